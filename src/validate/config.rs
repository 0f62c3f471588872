//! `gpforge.toml`: a project's settings for validate, build and audit, found in the current
//! folder or the nearest one above it up to the repository root (or named by `--config`).
//! Command-line flags add to it (`--ignore`, `--error`, `--warn`, `--params`, `--benchmark`) or
//! replace it (everything else).
//!
//! ```toml
//! [validate]
//! profile = "intune"
//! ignore = ["V063"]
//! error = ["V031"]
//! baseline = "gpforge-baseline.json"   # relative to this file
//! store = "../central/PolicyDefinitions" # a reference store, likewise
//!
//! [[validate.per_path]]
//! paths = ["Vendor*.admx", "*/Vendor*.adml"]   # inside the validated folder
//! ignore = ["strings"]
//!
//! [build]
//! definitions = "definitions"
//! out = "output"
//! params = ["site-params.toml"]
//!
//! [audit]
//! baseline = "disa-stig"
//! benchmark = ["stig/U_MS_Office_365_ProPlus_STIG_V3R5_Manual-xccdf.xml"]
//! ```

use super::Profile;
use std::path::{Path, PathBuf};

/// The file name looked for.
pub const FILE_NAME: &str = "gpforge.toml";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub validate: ValidateConfig,
    #[serde(default)]
    pub build: BuildConfig,
    #[serde(default)]
    pub audit: AuditConfig,
}

/// `[build]`: the flags' defaults for `gpforge build`; paths relative to the configuration's
/// folder. Flags replace them.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    pub definitions: Option<PathBuf>,
    pub out: Option<PathBuf>,
    /// Parameter files (`--params`), read before any named on the command line.
    #[serde(default)]
    pub params: Vec<PathBuf>,
    pub strict: Option<bool>,
    pub quiet: Option<bool>,
}

/// `[audit]`: the flags' defaults for `gpforge audit`; paths relative to the configuration's
/// folder. Flags replace them.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    pub baseline: Option<String>,
    pub definitions: Option<PathBuf>,
    pub store: Option<PathBuf>,
    #[serde(default)]
    pub benchmark: Vec<PathBuf>,
    pub quiet: Option<bool>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateConfig {
    pub profile: Option<Profile>,
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub error: Vec<String>,
    #[serde(default)]
    pub warn: Vec<String>,
    /// Relative to the configuration file's folder.
    pub baseline: Option<PathBuf>,
    /// A reference store (`--store`), relative to the configuration file's folder.
    pub store: Option<PathBuf>,
    pub max_per_code: Option<usize>,
    #[serde(default)]
    pub per_path: Vec<PerPath>,
}

/// Codes or families ignored in the files some patterns match.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerPath {
    /// Glob patterns (`*`, `**`, `?`, `[..]`) over a file's path inside the validated folder,
    /// with `/` between folders (`en-US/Vendor.adml`).
    pub paths: Vec<String>,
    pub ignore: Vec<String>,
}

/// A configuration, its folder, and the compiled per-path patterns.
pub struct Loaded {
    pub config: Config,
    pub path: PathBuf,
    pub per_path: Vec<(globset::GlobSet, Vec<String>)>,
}

impl Loaded {
    /// The codes or families ignored for `file` (a path inside the validated folder).
    pub fn ignored_in(&self, file: &str) -> impl Iterator<Item = &String> {
        self.per_path
            .iter()
            .filter(move |(set, _)| set.is_match(file))
            .flat_map(|(_, codes)| codes)
    }

    /// A path the configuration gives, resolved against the configuration's folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        self.path.parent().unwrap_or(Path::new(".")).join(p)
    }
}

/// `gpforge.toml` in `start` or the nearest folder above it, up to the repository root (the
/// first folder holding `.git`), as ruff and cargo look: a file in a checkout's parent folder
/// belongs to someone else and must not change the verdict on this one.
pub fn find(start: &Path) -> Option<PathBuf> {
    for d in start.ancestors() {
        let p = d.join(FILE_NAME);
        if p.is_file() {
            return Some(p);
        }
        if std::fs::symlink_metadata(d.join(".git")).is_ok() {
            return None;
        }
    }
    None
}

/// Reads and checks a configuration file; the error names the file and line.
pub fn load(path: &Path) -> Result<Loaded, String> {
    let bytes = crate::fsx::read_checked(path, None).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8", path.display()))?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start].matches('\n').count() + 1;
                format!(":{line}")
            })
            .unwrap_or_default();
        format!("{}{at}: {}", path.display(), e.message())
    })?;
    let mut per_path = Vec::new();
    for p in &config.validate.per_path {
        let mut b = globset::GlobSetBuilder::new();
        for g in &p.paths {
            let glob = globset::GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("{}: pattern `{g}`: {e}", path.display()))?;
            b.add(glob);
        }
        let set = b.build().map_err(|e| format!("{}: {e}", path.display()))?;
        per_path.push((set, p.ignore.clone()));
    }
    Ok(Loaded {
        config,
        path: path.to_path_buf(),
        per_path,
    })
}
