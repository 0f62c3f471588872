//! Writes artifacts under an output folder, all-or-nothing.
//!
//! A build is a transaction on `--out` (the shape of a write-ahead log):
//! 1. **lock**: `.gpforge-lock` is locked exclusively, so concurrent builds (and imports, which
//!    use the same lock on their folder) run one after the other and each leaves a whole tree;
//! 2. **recover**: an earlier build that was killed either left a complete journal (it is rolled
//!    forward) or an incomplete staging folder (it is removed), plus the `.tmp*` files of older
//!    gpforge versions next to the files they were meant to replace (removed);
//! 3. **stage**: every file whose bytes change is written into `.gpforge-staging/` and synced;
//!    a disk-full or permission error here removes the staging folder and leaves the old tree;
//! 4. **commit**: the journal (what to rename where, what to delete) is written and synced, then
//!    renamed into place: from here on the build is done even if the process dies;
//! 5. **apply**: renames and deletions, the manifest last; then the staging folder goes.
//!
//! Nothing follows a link out of `--out`: every path is checked component by component before
//! anything is read, written or deleted there, and a path through a symbolic link is refused.
//! Files are created with the process's umask (as any tool writing for colleagues and SYSVOL).
//! A manifest (`.gpforge-manifest`) lists what gpforge wrote, so files that a later build no
//! longer produces are removed, and nothing else is ever touched.

use crate::backend::Artifact;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

pub const MANIFEST: &str = ".gpforge-manifest";
/// The lock file every writer of a folder takes where folders cannot be locked (not Unix).
pub const LOCK: &str = ".gpforge-lock";
/// Where a build stages its files before the commit.
pub const STAGING: &str = ".gpforge-staging";
const JOURNAL: &str = "journal";

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EmitReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
    /// What recovery did before this build: an interrupted build rolled forward, leftovers gone.
    pub recovered: Vec<String>,
    /// Files of the old manifest that were not removed because their path runs through a link.
    pub kept: Vec<PathBuf>,
}

/// Why `build --check` considers the output stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    Missing(PathBuf),
    Differs(PathBuf),
    /// Listed in the old manifest but no longer produced.
    Extra(PathBuf),
    /// An interrupted build's journal or staging folder, or an older version's temporary file.
    Leftover(PathBuf),
    /// An output path runs through a symbolic link (a build refuses to write there).
    Link(PathBuf),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing(p) => write!(f, "missing: {}", p.display()),
            Stale::Differs(p) => write!(f, "out of date: {}", p.display()),
            Stale::Extra(p) => write!(f, "no longer produced: {}", p.display()),
            Stale::Leftover(p) => write!(f, "left over by an interrupted build: {}", p.display()),
            Stale::Link(p) => write!(f, "symbolic link in the output folder: {}", p.display()),
        }
    }
}

pub use crate::fsx::io_at;

fn refused(path: &Path, why: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{}: {why}", path.display()),
    )
}

/// Whether `rel` is a plain relative path: normal components only, each a usable file name
/// (no control characters, no backslash, not empty). Artifact paths are built from validated
/// names; this is the last line of defence before they touch the file system.
pub fn is_plain_relative(rel: &Path) -> bool {
    let mut any = false;
    for c in rel.components() {
        let Component::Normal(s) = c else {
            return false;
        };
        let Some(s) = s.to_str() else {
            return false;
        };
        if s.is_empty() || s.chars().any(|c| c.is_control() || c == '\\') {
            return false;
        }
        any = true;
    }
    any
}

/// What is at `out/rel`, looking at every component without following links.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Absent,
    File,
    /// `rel`'s prefix (relative to `out`) that is a symbolic link.
    Link(PathBuf),
    /// A prefix that is neither a folder (for a parent) nor a regular file (for the last part).
    NotFile(PathBuf),
}

fn inspect(out: &Path, rel: &Path) -> std::io::Result<Target> {
    let parts: Vec<_> = rel.components().collect();
    let mut prefix = PathBuf::new();
    for (i, c) in parts.iter().enumerate() {
        prefix.push(c);
        let m = match std::fs::symlink_metadata(out.join(&prefix)) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::Absent),
            // `NotADirectory` where a parent is a file.
            Err(e) if e.raw_os_error() == Some(20) => return Ok(Target::NotFile(prefix)),
            Err(e) => return Err(io_at(&out.join(&prefix), e)),
        };
        let last = i + 1 == parts.len();
        if m.file_type().is_symlink() {
            return Ok(Target::Link(prefix));
        }
        if last {
            return Ok(if m.is_file() {
                Target::File
            } else {
                Target::NotFile(prefix)
            });
        }
        if !m.is_dir() {
            return Ok(Target::NotFile(prefix));
        }
    }
    Ok(Target::Absent)
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

/// The previous manifest's entries. Only plain relative paths count: a hand-edited (or planted)
/// manifest must not reach outside `out`. A manifest that is itself a link is not read.
fn old_manifest(out: &Path) -> Vec<PathBuf> {
    if inspect(out, Path::new(MANIFEST)).ok() != Some(Target::File) {
        return Vec::new();
    }
    std::fs::read_to_string(out.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter(|l| !l.starts_with('/') && !l.split('/').any(|s| s == ".." || s.is_empty()))
        .map(PathBuf::from)
        .filter(|p| is_plain_relative(p) && p != Path::new(MANIFEST))
        .collect()
}

/// The artifacts followed by the manifest that lists them.
fn with_manifest(artifacts: &[Artifact]) -> Vec<Artifact> {
    let mut all = artifacts.to_vec();
    all.push(manifest_artifact(artifacts));
    all
}

/// A file gpforge's older versions left behind when killed: `tempfile`'s `.tmpXXXXXX`.
fn is_legacy_tmp(name: &str) -> bool {
    name.len() == 10
        && name.starts_with(".tmp")
        && name[4..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Folders (relative to `out`) where gpforge writes: the root and every parent of a manifest
/// entry or artifact, the ones that exist as real folders.
fn output_folders(out: &Path, paths: &[&Path]) -> BTreeSet<PathBuf> {
    let mut dirs = BTreeSet::from([PathBuf::new()]);
    for p in paths {
        let mut d = p.parent();
        while let Some(x) = d {
            if x.as_os_str().is_empty() {
                break;
            }
            dirs.insert(x.to_path_buf());
            d = x.parent();
        }
    }
    dirs.into_iter().filter(|d| is_real_dir(out, d)).collect()
}

/// Whether `out/rel` is a folder reached through folders only: no component is a link (a
/// linked folder leads outside `out`, and nothing there is gpforge's to delete).
fn is_real_dir(out: &Path, rel: &Path) -> bool {
    let mut cur = out.to_path_buf();
    for c in rel.components() {
        let Component::Normal(part) = c else {
            return false;
        };
        cur.push(part);
        match std::fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() && !m.file_type().is_symlink() => {}
            _ => return false,
        }
    }
    true
}

fn legacy_leftovers(out: &Path, paths: &[&Path]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for d in output_folders(out, paths) {
        let Ok(rd) = std::fs::read_dir(out.join(&d)) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name();
            if is_legacy_tmp(&name.to_string_lossy()) && e.file_type().is_ok_and(|t| t.is_file()) {
                found.push(d.join(name));
            }
        }
    }
    found.sort();
    found
}

/// The bytes of a file of an earlier build in `out` (a regular file, reached without links), for
/// backends that continue from it (`gpt.ini` versions).
pub fn previous(out: &Path, rel: &Path) -> Option<Vec<u8>> {
    if !is_plain_relative(rel) || inspect(out, rel).ok()? != Target::File {
        return None;
    }
    crate::fsx::read_file(&out.join(rel), Some(out)).ok()?.ok()
}

/// Compares `out` with what a build would write, without writing anything.
pub fn check(out: &Path, artifacts: &[Artifact]) -> Vec<Stale> {
    let all = with_manifest(artifacts);
    let mut stale = Vec::new();
    if std::fs::symlink_metadata(out.join(STAGING)).is_ok() {
        stale.push(Stale::Leftover(PathBuf::from(STAGING)));
    }
    for a in &all {
        match inspect(out, &a.path) {
            Ok(Target::File) => match std::fs::read(out.join(&a.path)) {
                Ok(b) if b == a.bytes => {}
                _ => stale.push(Stale::Differs(a.path.clone())),
            },
            Ok(Target::Link(p)) => stale.push(Stale::Link(p)),
            _ => stale.push(Stale::Missing(a.path.clone())),
        }
    }
    let old = old_manifest(out);
    let produced: BTreeSet<&PathBuf> = all.iter().map(|a| &a.path).collect();
    for p in &old {
        if !produced.contains(p) && inspect(out, p).ok() == Some(Target::File) {
            stale.push(Stale::Extra(p.clone()));
        }
    }
    let paths: Vec<&Path> = all
        .iter()
        .map(|a| a.path.as_path())
        .chain(old.iter().map(PathBuf::as_path))
        .collect();
    stale.extend(
        legacy_leftovers(out, &paths)
            .into_iter()
            .map(Stale::Leftover),
    );
    stale.dedup();
    stale
}

/// A point where [`write_with`] can be made to fail, for tests of interrupted builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Before staging the n-th changed file.
    Stage(usize),
    /// Before the journal is committed.
    Commit,
    /// Before the n-th rename or deletion of the apply phase.
    Apply(usize),
    /// Before the staging folder is removed.
    Cleanup,
}

/// What a test's fault hook does at a [`Step`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Carry on.
    None,
    /// An I/O error (disk full, permission): the build handles it as it would a real one.
    Io,
    /// The process dies here: return at once, leaving everything as it is.
    Crash,
}

/// Writes every artifact that differs, as one transaction (module documentation), then removes
/// files that the previous build wrote and this one does not.
pub fn write(out: &Path, artifacts: &[Artifact]) -> std::io::Result<EmitReport> {
    write_with(out, artifacts, &mut |_| Fault::None)
}

/// Takes the folder's lock (exclusive), held until the returned file is dropped. On Unix the
/// folder itself is locked (`flock` on its descriptor), so no lock file is left behind; elsewhere
/// `.gpforge-lock` in it is (never a link, never truncated).
pub fn lock(dir: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    let f = std::fs::File::open(dir).map_err(|e| io_at(dir, e))?;
    #[cfg(not(unix))]
    let f = {
        let path = dir.join(LOCK);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(refused(&path, "is not a regular file; remove it"));
        }
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_at(&path, e))?
    };
    f.lock().map_err(|e| io_at(dir, e))?;
    Ok(f)
}

/// [`write`] with a fault hook called before every step (tests of interrupted builds).
pub fn write_with(
    out: &Path,
    artifacts: &[Artifact],
    fault: &mut dyn FnMut(&Step) -> Fault,
) -> std::io::Result<EmitReport> {
    std::fs::create_dir_all(out).map_err(|e| io_at(out, e))?;
    let _lock = lock(out)?;
    let mut report = EmitReport {
        recovered: recover(out)?,
        ..EmitReport::default()
    };
    // Read before the new manifest replaces it.
    let old = old_manifest(out);
    let all = with_manifest(artifacts);

    // Plan: what changes, what goes; refuse anything through a link before touching anything.
    let mut puts: Vec<&Artifact> = Vec::new();
    for a in &all {
        if !is_plain_relative(&a.path) {
            return Err(refused(
                &a.path,
                "not a plain relative path (a gpforge bug)",
            ));
        }
        let is_manifest = a.path == Path::new(MANIFEST);
        match inspect(out, &a.path)? {
            Target::File => {
                let path = out.join(&a.path);
                if std::fs::read(&path).map_err(|e| io_at(&path, e))? == a.bytes {
                    report.unchanged += usize::from(!is_manifest);
                    continue;
                }
            }
            other => writable(out, other)?,
        }
        puts.push(a);
    }
    let produced: BTreeSet<&PathBuf> = all.iter().map(|a| &a.path).collect();
    let mut dels = Vec::new();
    for p in old {
        if produced.contains(&p) {
            continue;
        }
        match inspect(out, &p)? {
            Target::File => dels.push(p),
            Target::Link(_) => report.kept.push(p),
            _ => {}
        }
    }
    if puts.is_empty() && dels.is_empty() {
        return Ok(report);
    }

    // Stage.
    let staging = out.join(STAGING);
    std::fs::create_dir(&staging).map_err(|e| io_at(&staging, e))?;
    let mut journal = String::new();
    for (i, a) in puts.iter().enumerate() {
        let staged = staging.join(i.to_string());
        let r = match fault(&Step::Stage(i)) {
            Fault::Crash => return Err(std::io::Error::other("simulated crash")),
            Fault::Io => Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device (simulated)",
            )),
            Fault::None => write_synced(&staged, &a.bytes),
        };
        if let Err(e) = r {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io_at(&out.join(&a.path), e));
        }
        journal.push_str(&format!("put\t{i}\t{}\n", slash(&a.path)));
    }
    for p in &dels {
        journal.push_str(&format!("del\t{}\n", slash(p)));
    }

    // Commit.
    match fault(&Step::Commit) {
        Fault::Crash => return Err(std::io::Error::other("simulated crash")),
        Fault::Io => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device (simulated)",
            ));
        }
        Fault::None => {}
    }
    let pending = staging.join("journal.new");
    if let Err(e) = write_synced(&pending, journal.as_bytes())
        .and_then(|()| std::fs::rename(&pending, staging.join(JOURNAL)))
        .and_then(|()| sync_dir(&staging))
    {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io_at(&pending, e));
    }

    // Apply.
    roll_forward(out, &journal, fault)?;
    for a in puts {
        if a.path != Path::new(MANIFEST) {
            report.written.push(a.path.clone());
        }
    }
    report.removed = dels;
    Ok(report)
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // `create_new`: never through a link, never someone else's file. The mode is 0666 less the
    // umask, as for any file a user's tool creates.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // Makes the rename durable on Unix; Windows cannot open a folder this way and needs nothing.
    match std::fs::File::open(dir) {
        Ok(f) => f.sync_all().or(Ok(())),
        Err(_) => Ok(()),
    }
}

/// One line of a journal, checked.
#[derive(Debug, PartialEq, Eq)]
enum Entry<'a> {
    /// Move the staged file `staged` (a file name directly in the staging folder) to `rel`.
    Put {
        staged: &'a str,
        rel: &'a Path,
    },
    Del(&'a Path),
}

/// Whether `name` is a plain file name: one component, no separator, not `.` or `..`, no control
/// character.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

/// Reads a journal; every field is untrusted (a journal can be planted in a committed output
/// folder). A staged file must be a plain file name directly inside the staging folder and, where
/// it is still there, a regular file (not a link, not a folder); a target must be a plain relative
/// path outside the staging folder. The first line that breaks a rule is the error, with its line
/// number: then the whole journal is refused and nothing of it is carried out.
fn parse_journal<'a>(staging: &Path, journal: &'a str) -> Result<Vec<Entry<'a>>, String> {
    let mut entries = Vec::new();
    for (n, line) in journal.lines().enumerate() {
        let at = |why: String| format!("line {}: {why}", n + 1);
        let target = |rel: &'a str| -> Result<&'a Path, String> {
            let p = Path::new(rel);
            let inside_staging = p.components().next() == Some(Component::Normal(STAGING.as_ref()));
            if !is_plain_relative(p) || inside_staging {
                return Err(at(format!(
                    "target {rel:?} is not a plain relative path in the output folder"
                )));
            }
            Ok(p)
        };
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["put", staged, rel] => {
                if !is_plain_name(staged) || *staged == JOURNAL {
                    return Err(at(format!(
                        "staged file {staged:?} is not a plain file name in {STAGING}"
                    )));
                }
                match std::fs::symlink_metadata(staging.join(staged)) {
                    Ok(m) if !m.file_type().is_file() => {
                        return Err(at(format!(
                            "staged file {staged:?} is not a regular file (a link or a folder)"
                        )));
                    }
                    _ => {}
                }
                entries.push(Entry::Put {
                    staged,
                    rel: target(rel)?,
                });
            }
            ["del", rel] => entries.push(Entry::Del(target(rel)?)),
            _ => return Err(at("not a `put` or `del` line".to_string())),
        }
    }
    Ok(entries)
}

/// Carries out a committed journal: renames staged files into place (a staged file that is no
/// longer there was moved by an earlier, interrupted run) and deletes what is listed, never
/// through a link; then removes the staging folder. A journal that breaks a rule of
/// [`parse_journal`] is an error before anything is touched.
fn roll_forward(
    out: &Path,
    journal: &str,
    fault: &mut dyn FnMut(&Step) -> Fault,
) -> std::io::Result<()> {
    let staging = out.join(STAGING);
    let entries =
        parse_journal(&staging, journal).map_err(|why| refused(&staging.join(JOURNAL), &why))?;
    for (n, entry) in entries.into_iter().enumerate() {
        if let Some(e) = injected(fault(&Step::Apply(n)), "the next build completes this one") {
            return Err(e);
        }
        match entry {
            Entry::Put { staged, rel } => {
                let staged = staging.join(staged);
                // Checked again right before the move: only a regular file is ever moved.
                if !std::fs::symlink_metadata(&staged).is_ok_and(|m| m.file_type().is_file()) {
                    continue;
                }
                match inspect(out, rel)? {
                    Target::Link(p) | Target::NotFile(p) => {
                        return Err(refused(
                            &out.join(p),
                            "appeared in the way of an output file during the build",
                        ));
                    }
                    Target::Absent | Target::File => {}
                }
                let dest = out.join(rel);
                if let Some(parent) = dest.parent() {
                    create_dirs_under(out, parent.strip_prefix(out).unwrap_or(Path::new("")))?;
                }
                std::fs::rename(&staged, &dest).map_err(|e| io_at(&dest, e))?;
            }
            Entry::Del(rel) => {
                if inspect(out, rel)? == Target::File {
                    let p = out.join(rel);
                    std::fs::remove_file(&p).map_err(|e| io_at(&p, e))?;
                }
            }
        }
    }
    if let Some(e) = injected(
        fault(&Step::Cleanup),
        "the next build removes the staging folder",
    ) {
        return Err(e);
    }
    if let Some(parent) = out.join(MANIFEST).parent() {
        sync_dir(parent)?;
    }
    std::fs::remove_dir_all(&staging).map_err(|e| io_at(&staging, e))
}

/// Whether an output may be written where [`inspect`] found `t`: absent or a regular file;
/// a link or something in the way is refused, naming the path.
fn writable(out: &Path, t: Target) -> std::io::Result<()> {
    match t {
        Target::Absent | Target::File => Ok(()),
        Target::Link(p) => Err(refused(
            &out.join(p),
            "is a symbolic link; gpforge never writes through a link in the output folder (remove it)",
        )),
        Target::NotFile(p) => Err(refused(
            &out.join(p),
            "is in the way of an output file (not a regular file or folder)",
        )),
    }
}

/// Creates the folders of `rel` under `out`, one component at a time, refusing any component
/// that is a link or not a folder: the one routine by which writers make folders under a root.
pub fn create_dirs_under(out: &Path, rel: &Path) -> std::io::Result<()> {
    let mut cur = out.to_path_buf();
    for c in rel.components() {
        let Component::Normal(part) = c else {
            return Err(refused(&out.join(rel), "not a plain relative path"));
        };
        cur.push(part);
        match std::fs::symlink_metadata(&cur) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refused(
                    &cur,
                    "is a symbolic link; gpforge never writes through a link in the output folder (remove it)",
                ));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(refused(
                    &cur,
                    "is in the way of an output folder (not a folder)",
                ));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(&cur) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !std::fs::symlink_metadata(&cur).is_ok_and(|m| m.is_dir()) {
                        return Err(refused(&cur, "appeared in the way of an output folder"));
                    }
                }
                Err(e) => return Err(io_at(&cur, e)),
            },
            Err(e) => return Err(io_at(&cur, e)),
        }
    }
    Ok(())
}

/// Writes one file at `out/rel` whole (a temporary file beside it, synced, then renamed over the
/// target), after the path-safety check of every writer: `rel` a plain relative path, no
/// component a link, folders made one by one ([`create_dirs_under`]).
pub fn put_file(out: &Path, rel: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    if !is_plain_relative(rel) {
        return Err(refused(rel, "not a plain relative path"));
    }
    // The root itself is the user's choice (named on the command line).
    std::fs::create_dir_all(out).map_err(|e| io_at(out, e))?;
    writable(out, inspect(out, rel)?)?;
    if let Some(parent) = rel.parent() {
        create_dirs_under(out, parent)?;
    }
    let dest = out.join(rel);
    let name = rel.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dest.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    write_synced(&tmp, bytes).map_err(|e| io_at(&tmp, e))?;
    std::fs::rename(&tmp, &dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_at(&dest, e)
    })?;
    Ok(dest)
}

/// Takes `out`'s lock and finishes or discards what an interrupted build left there (what every
/// build does first); returns what it did.
pub fn recover_dir(out: &Path) -> std::io::Result<Vec<String>> {
    let _lock = lock(out)?;
    recover(out)
}

/// The error a test's [`Fault`] stands for after the commit (where nothing is undone), or `None`.
fn injected(f: Fault, then: &str) -> Option<std::io::Error> {
    match f {
        Fault::None => None,
        Fault::Crash => Some(std::io::Error::other("simulated crash")),
        Fault::Io => Some(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("permission denied (simulated); {then}"),
        )),
    }
}

/// Finishes or discards what an interrupted build left in `out`; returns what it did. Called
/// with the lock held.
fn recover(out: &Path) -> std::io::Result<Vec<String>> {
    let mut done = Vec::new();
    let staging = out.join(STAGING);
    match std::fs::symlink_metadata(&staging) {
        Err(_) => {}
        Ok(m) if !m.is_dir() => {
            // A link or a file where the staging folder goes: remove it (never what it points to).
            std::fs::remove_file(&staging).map_err(|e| io_at(&staging, e))?;
            done.push(format!("removed {STAGING} (not a folder)"));
        }
        Ok(_) => {
            let journal = staging.join(JOURNAL);
            let committed = std::fs::symlink_metadata(&journal).is_ok_and(|m| m.is_file());
            if committed {
                let mut text = String::new();
                std::fs::File::open(&journal)
                    .and_then(|mut f| f.read_to_string(&mut text))
                    .map_err(|e| io_at(&journal, e))?;
                if let Err(why) = parse_journal(&staging, &text) {
                    std::fs::remove_dir_all(&staging).map_err(|e| io_at(&staging, e))?;
                    done.push(format!(
                        "warning: discarded {STAGING}/{JOURNAL}, which gpforge did not write ({why}); nothing it names was moved or deleted"
                    ));
                } else {
                    roll_forward(out, &text, &mut |_| Fault::None)?;
                    done.push("completed an interrupted build".to_string());
                }
            } else {
                std::fs::remove_dir_all(&staging).map_err(|e| io_at(&staging, e))?;
                done.push("discarded an interrupted build's staged files".to_string());
            }
        }
    }
    let old = old_manifest(out);
    let paths: Vec<&Path> = old.iter().map(PathBuf::as_path).collect();
    for p in legacy_leftovers(out, &paths) {
        let full = out.join(&p);
        std::fs::remove_file(&full).map_err(|e| io_at(&full, e))?;
        done.push(format!("removed leftover {}", slash(&p)));
    }
    Ok(done)
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
        assert!(!out.join(STAGING).exists());
    }

    #[test]
    fn plain_relative_paths() {
        for ok in ["a", "a/b.admx", "baselines/x/User/Registry.pol"] {
            assert!(is_plain_relative(Path::new(ok)), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a\nb",
            "a\\b",
            "./a/\u{1}",
        ] {
            assert!(!is_plain_relative(Path::new(bad)), "{bad:?}");
        }
    }

    #[test]
    fn legacy_temporary_names() {
        assert!(is_legacy_tmp(".tmpAb12Cd"));
        assert!(!is_legacy_tmp(".tmp"));
        assert!(!is_legacy_tmp(".tmpAb12Cd.admx"));
        assert!(!is_legacy_tmp("tmpAb12Cd0"));
    }
}
