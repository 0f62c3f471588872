//! One module per command, each turning its parsed options into library calls and an
//! [`Outcome`] (text and an exit code; `main` prints them). What every command shares lives
//! here: the outcome, exit codes, settings-file options and report writing.

pub mod audit;
pub mod build;
pub mod diff;
pub mod explain;
pub mod import;
pub mod man;
pub mod validate;

use crate::backend::Artifact;
use crate::validate::config::Loaded;
use std::path::{Path, PathBuf};

/// Human diagnostics written straight to stderr (or into `--output FILE`), piece by piece, so a
/// long report is never held whole.
pub type Stream = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>>;

/// What a command produced. `main` writes `stream` (if any) to stderr, then `stdout_stream`
/// and `stdout` to stdout, then `stderr`; with `--output FILE`, `stream`, `stdout_stream` and
/// `stdout` go to the file.
#[derive(Default)]
pub struct Outcome {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
    pub stream: Option<Stream>,
    /// A report written straight to stdout piece by piece (JSON, SARIF), never held whole.
    pub stdout_stream: Option<Stream>,
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outcome")
            .field("code", &self.code)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .field("stream", &self.stream.is_some())
            .finish()
    }
}

/// Exit codes (DESIGN.md §1).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

/// Every manual page (the command and each subcommand, as `clap_mangen` names them) written into
/// `dir` through the path-safety writer.
/// A path option: the command line's, else the settings file's `field` (relative to that file).
fn path_setting<C>(
    cli: Option<PathBuf>,
    cfg: Option<(&C, &Loaded)>,
    field: fn(&C) -> &Option<PathBuf>,
) -> Option<PathBuf> {
    cli.or_else(|| cfg.and_then(|(c, l)| field(c).as_ref().map(|p| l.resolve(p))))
}

/// A repeatable path option: the settings file's `field` (relative to that file), then the
/// command line's.
fn path_list<C>(
    cfg: Option<(&C, &Loaded)>,
    field: fn(&C) -> &Vec<PathBuf>,
    cli: Vec<PathBuf>,
) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = cfg.map_or_else(Vec::new, |(c, l)| {
        field(c).iter().map(|p| l.resolve(p)).collect()
    });
    v.extend(cli);
    v
}

/// A failure outcome (exit 2) with its message.
fn failure(message: String) -> Outcome {
    Outcome {
        code: EXIT_FAILURE,
        stderr: format!("error: {message}\n"),
        ..Outcome::default()
    }
}

/// gpforge.toml: the file named, else the one found from the current folder up to the
/// repository root, else none.
fn load_config(
    named: Option<std::path::PathBuf>,
) -> Result<Option<crate::validate::config::Loaded>, String> {
    named
        .or_else(|| {
            std::env::current_dir()
                .ok()
                .and_then(|d| crate::validate::config::find(&d))
        })
        .map(|p| crate::validate::config::load(&p))
        .transpose()
}

/// `--output FILE` for a report written piece by piece: into a temporary file beside FILE,
/// renamed over it once whole (never through a link); on an error the temporary file goes.
pub fn write_report_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is a symbolic link", path.display()),
        ));
    }
    let tmp = dir.join(format!(
        ".{}.{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut w = std::io::BufWriter::new(f);
        write(&mut w)?;
        std::io::Write::flush(&mut w)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| crate::emit::io_at(path, e))
}

/// `--output FILE`: the report, written whole beside FILE and renamed over it (never through a
/// link), as [`write_report_with`] writes a streamed one.
pub fn write_report(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_report_with(path, &mut |w| w.write_all(bytes))
}
