//! Reading input files safely: every command that reads a file it found by listing a folder
//! (a definitions folder, a store, the ADMLs beside an ADMX) reads it here.
//! - Only regular files: a FIFO named `x.admx` would block the reader forever, `/dev/zero` would
//!   be read until memory runs out.
//! - A symbolic link found inside a folder is followed only while its target stays inside that
//!   folder: a planted `x.admx -> ~/.ssh/id_rsa` must not end up in a snippet in a CI log. Paths
//!   given on the command line are the user's choice and are followed.
//! - At most [`MAX_INPUT_BYTES`]: the largest real template is a few MB.
//!
//! Input: a path and the folder it was found in. Output: the bytes, or why they were not read.

use std::io::Read;
use std::path::Path;

/// The largest input file read: 64 MiB (Microsoft's largest ADMX is under 2 MB, Intune refuses
/// more than 1 MB).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A FIFO, device, socket or folder (named).
    NotRegular(&'static str),
    /// A link whose target lies outside the folder it was found in (the target is not named:
    /// it is exactly what must not leak into a report).
    LinkOutside,
    TooLarge(u64),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotRegular(kind) => write!(f, "not a regular file (a {kind})"),
            Refusal::LinkOutside => {
                f.write_str("a symbolic link whose target lies outside the folder being read")
            }
            Refusal::TooLarge(n) => write!(
                f,
                "{n} bytes, more than the {} MiB an input file may have",
                MAX_INPUT_BYTES >> 20
            ),
        }
    }
}

fn kind_of(m: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    if m.is_dir() { "folder" } else { "special file" }
}

/// An I/O error that names the path it happened on (the OS message alone, "File exists (os error
/// 17)", names none).
pub fn io_at(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Reads `path`, found inside `root` (or named by the user when `root` is `None`). The outer
/// error is an I/O failure (with the path in its message); the inner one a refusal.
pub fn read_file(path: &Path, root: Option<&Path>) -> std::io::Result<Result<Vec<u8>, Refusal>> {
    let mut bytes = Vec::new();
    Ok(read_file_into(path, root, &mut bytes)?.map(|()| bytes))
}

/// [`read_file`] into `bytes` (cleared first; its capacity is reused, grown once to the file's
/// length when short).
pub fn read_file_into(
    path: &Path,
    root: Option<&Path>,
    bytes: &mut Vec<u8>,
) -> std::io::Result<Result<(), Refusal>> {
    bytes.clear();
    let at = |e: std::io::Error| io_at(path, e);
    let lm = std::fs::symlink_metadata(path).map_err(at)?;
    if lm.file_type().is_symlink()
        && let Some(root) = root
    {
        let target = std::fs::canonicalize(path).map_err(at)?;
        let root = std::fs::canonicalize(root).map_err(|e| io_at(root, e))?;
        if !target.starts_with(&root) {
            return Ok(Err(Refusal::LinkOutside));
        }
    }
    // Not a link: what `symlink_metadata` said is what `metadata` would say.
    let m = if lm.file_type().is_symlink() {
        std::fs::metadata(path).map_err(at)?
    } else {
        lm
    };
    if !m.is_file() {
        return Ok(Err(Refusal::NotRegular(kind_of(&m))));
    }
    if m.len() > MAX_INPUT_BYTES {
        return Ok(Err(Refusal::TooLarge(m.len())));
    }
    let f = std::fs::File::open(path).map_err(at)?;
    // The file may have changed since `metadata`: never read more than the limit.
    if bytes.capacity() < m.len() as usize {
        // A fresh buffer, not a grown one (growing would copy the old one's bytes).
        *bytes = Vec::with_capacity(m.len() as usize);
    }
    f.take(MAX_INPUT_BYTES + 1).read_to_end(bytes).map_err(at)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        let n = bytes.len() as u64;
        bytes.clear();
        return Ok(Err(Refusal::TooLarge(n)));
    }
    Ok(Ok(()))
}

/// [`read_file`] with a refusal turned into an I/O error that names the path.
pub fn read_checked(path: &Path, root: Option<&Path>) -> std::io::Result<Vec<u8>> {
    read_file(path, root)?.map_err(|r| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{}: {r}", path.display()),
        )
    })
}

/// Whether a folder entry is hidden (`.git`, a staging folder): listings of definitions skip it.
pub fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn refuses_fifos_devices_and_links_leaving_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("store");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("ok.admx"), "x").unwrap();
        std::fs::write(dir.path().join("secret"), "key").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("s.admx")).unwrap();
        std::os::unix::fs::symlink(root.join("ok.admx"), root.join("in.admx")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.admx")).unwrap();
        let fifo = root.join("fifo.admx");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let r = |p: &str| read_file(&root.join(p), Some(&root)).unwrap();
        assert_eq!(r("ok.admx"), Ok(b"x".to_vec()));
        assert_eq!(r("in.admx"), Ok(b"x".to_vec()));
        assert!(r("s.admx") == Err(Refusal::LinkOutside));
        assert!(r("zero.admx") == Err(Refusal::LinkOutside));
        assert_eq!(r("fifo.admx"), Err(Refusal::NotRegular("FIFO")));
        // Named on the command line: followed, still only a regular file.
        assert_eq!(
            read_file(Path::new("/dev/zero"), None).unwrap(),
            Err(Refusal::NotRegular("device"))
        );
        assert_eq!(
            read_file(&root.join("s.admx"), None).unwrap(),
            Ok(b"key".to_vec())
        );
    }
}
