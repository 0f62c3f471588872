//! Backends: one module per output format, each a pure function of the model. A backend first
//! checks its format's limits (reporting B-codes), then renders artifacts: paths relative to
//! `output/` and their final bytes (encoding and line endings applied by `text`).

pub mod adml;
pub mod admx;
pub mod docs;
pub mod gpobackup;
pub mod intune;
pub mod lgpo;
pub mod pol;
pub mod reg;
pub mod remediation;
pub mod settings_catalog;
pub mod text;
pub mod xml;

use crate::diag::Diagnostics;
use crate::model::PolicySet;
use std::path::PathBuf;

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Relative to the output folder, `/`-separated.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Context that is the same for every backend of one build.
#[derive(Debug, Clone, Default)]
pub struct RenderCtx {}

/// A failure of the tool while rendering (never a problem of the user's input).
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error(e.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Admx,
    Adml,
    Reg,
    Pol,
    GpoBackup,
    Lgpo,
    Remediation,
    Intune,
    SettingsCatalog,
    Docs,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Admx,
        Format::Adml,
        Format::Reg,
        Format::Pol,
        Format::GpoBackup,
        Format::Lgpo,
        Format::Remediation,
        Format::Intune,
        Format::SettingsCatalog,
        Format::Docs,
    ];
}

pub trait Backend {
    /// Limits of this format. Runs before render.
    fn check(&self, _set: &PolicySet, _out: &mut Diagnostics) {}
    /// Pure: no file system, no clock.
    fn render(&self, set: &PolicySet, ctx: &RenderCtx) -> Result<Vec<Artifact>, Error>;
}

pub fn backend(format: Format) -> &'static dyn Backend {
    match format {
        Format::Admx => &admx::Admx,
        Format::Adml => &adml::Adml,
        Format::Reg => &reg::Reg,
        Format::Pol => &pol::Pol,
        Format::GpoBackup => &gpobackup::GpoBackup,
        Format::Lgpo => &lgpo::Lgpo,
        Format::Remediation => &remediation::Remediation,
        Format::Intune => &intune::Intune,
        Format::SettingsCatalog => &settings_catalog::SettingsCatalog,
        Format::Docs => &docs::Docs,
    }
}

/// Checks and renders every format. Diagnostics from checks are added to `diags`.
pub fn render_all(
    set: &PolicySet,
    ctx: &RenderCtx,
    diags: &mut Diagnostics,
) -> Result<Vec<Artifact>, Error> {
    let mut out = Vec::new();
    for f in Format::ALL {
        let b = backend(*f);
        b.check(set, diags);
        out.extend(b.render(set, ctx)?);
    }
    Ok(out)
}
