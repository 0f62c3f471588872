//! Writes artifacts under an output folder: creates folders, writes a file only when its bytes
//! change, and writes atomically (a temporary file in the same folder, then a rename), so a
//! reader never sees half a file. A manifest (`.gpforge-manifest`) lists what gpforge wrote, so
//! files that a later build no longer produces are removed, and nothing else is ever touched.

use crate::backend::Artifact;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = ".gpforge-manifest";

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EmitReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
}

/// Why `build --check` considers the output stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    Missing(PathBuf),
    Differs(PathBuf),
    /// Listed in the old manifest but no longer produced.
    Extra(PathBuf),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing(p) => write!(f, "missing: {}", p.display()),
            Stale::Differs(p) => write!(f, "out of date: {}", p.display()),
            Stale::Extra(p) => write!(f, "no longer produced: {}", p.display()),
        }
    }
}

fn manifest_artifact(artifacts: &[Artifact]) -> Artifact {
    let names: BTreeSet<String> = artifacts
        .iter()
        .map(|a| a.path.to_string_lossy().replace('\\', "/"))
        .collect();
    let mut text = String::from("# files written by gpforge build; do not edit\n");
    for n in names {
        text.push_str(&n);
        text.push('\n');
    }
    Artifact {
        path: PathBuf::from(MANIFEST),
        bytes: text.into_bytes(),
    }
}

fn old_manifest(out: &Path) -> Vec<PathBuf> {
    std::fs::read_to_string(out.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        // Only plain relative paths: a hand-edited manifest must not reach outside `out`.
        .filter(|l| !l.starts_with('/') && !l.split('/').any(|s| s == ".." || s.is_empty()))
        .map(PathBuf::from)
        .collect()
}

/// The artifacts followed by the manifest that lists them.
fn with_manifest(artifacts: &[Artifact]) -> Vec<Artifact> {
    let mut all = artifacts.to_vec();
    all.push(manifest_artifact(artifacts));
    all
}

/// Files of the old manifest that `all` no longer produces and that still exist in `out`.
fn no_longer_produced(out: &Path, old: Vec<PathBuf>, all: &[Artifact]) -> Vec<PathBuf> {
    let produced: BTreeSet<&PathBuf> = all.iter().map(|a| &a.path).collect();
    old.into_iter()
        .filter(|p| !produced.contains(p) && out.join(p).is_file())
        .collect()
}

/// Compares `out` with what a build would write, without writing anything.
pub fn check(out: &Path, artifacts: &[Artifact]) -> Vec<Stale> {
    let all = with_manifest(artifacts);
    let mut stale = Vec::new();
    for a in &all {
        match std::fs::read(out.join(&a.path)) {
            Ok(b) if b == a.bytes => {}
            Ok(_) => stale.push(Stale::Differs(a.path.clone())),
            Err(_) => stale.push(Stale::Missing(a.path.clone())),
        }
    }
    stale.extend(
        no_longer_produced(out, old_manifest(out), &all)
            .into_iter()
            .map(Stale::Extra),
    );
    stale
}

/// Writes every artifact that differs, atomically, then removes files that the previous build
/// wrote and this one does not.
pub fn write(out: &Path, artifacts: &[Artifact]) -> std::io::Result<EmitReport> {
    let mut report = EmitReport::default();
    // Read before the new manifest replaces it.
    let old = old_manifest(out);
    let all = with_manifest(artifacts);
    for a in &all {
        let path = out.join(&a.path);
        let is_manifest = a.path == Path::new(MANIFEST);
        if std::fs::read(&path).is_ok_and(|b| b == a.bytes) {
            report.unchanged += usize::from(!is_manifest);
            continue;
        }
        let dir = path.parent().unwrap_or(out);
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(&a.bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        if !is_manifest {
            report.written.push(a.path.clone());
        }
    }
    for p in no_longer_produced(out, old, &all) {
        std::fs::remove_file(out.join(&p))?;
        report.removed.push(p);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(p: &str, b: &str) -> Artifact {
        Artifact {
            path: PathBuf::from(p),
            bytes: b.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_only_changes_and_removes_what_it_no_longer_produces() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("mine-not.txt"), "user file").unwrap();
        let r = write(out, &[art("a/x.admx", "1"), art("b.adml", "2")]).unwrap();
        assert_eq!(r.written.len(), 2);
        assert!(check(out, &[art("a/x.admx", "1"), art("b.adml", "2")]).is_empty());
        let r = write(out, &[art("a/x.admx", "1"), art("b.adml", "3")]).unwrap();
        assert_eq!(r.written, vec![PathBuf::from("b.adml")]);
        assert_eq!(r.unchanged, 1);
        let stale = check(out, &[art("a/x.admx", "1")]);
        assert!(
            stale.contains(&Stale::Extra(PathBuf::from("b.adml"))),
            "{stale:?}"
        );
        let r = write(out, &[art("a/x.admx", "1")]).unwrap();
        assert_eq!(r.removed, vec![PathBuf::from("b.adml")]);
        assert!(!out.join("b.adml").exists());
        assert!(
            out.join("mine-not.txt").exists(),
            "files gpforge did not write are kept"
        );
        assert_eq!(
            check(out, &[art("a/x.admx", "9")]),
            vec![Stale::Differs(PathBuf::from("a/x.admx"))]
        );
    }
}
