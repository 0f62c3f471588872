//! The repository itself: no symbolic link in the tree points outside it (a dangling link to a
//! build machine's path was once committed at the root).

#![cfg(unix)]

use std::path::{Path, PathBuf};

fn links(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name();
        if dir == Path::new(".") && (name == "target" || name == ".git") {
            continue;
        }
        let t = e.file_type().unwrap();
        if t.is_symlink() {
            out.push(e.path());
        } else if t.is_dir() {
            links(&e.path(), out);
        }
    }
}

#[test]
fn no_link_in_the_repository_points_outside_it() {
    let root = std::fs::canonicalize(".").unwrap();
    let mut found = Vec::new();
    links(Path::new("."), &mut found);
    for l in &found {
        let target = std::fs::read_link(l).unwrap();
        let resolved = l.parent().unwrap().join(&target);
        let inside = std::fs::canonicalize(&resolved)
            .map(|p| p.starts_with(&root))
            .unwrap_or(false);
        assert!(
            inside,
            "{} -> {} leaves the repository or dangles",
            l.display(),
            target.display()
        );
    }
}

#[test]
fn the_check_notices_a_link_outside() {
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/tmp/minpath/collect2", tmp.path().join("collect2")).unwrap();
    let mut found = Vec::new();
    links(tmp.path(), &mut found);
    assert_eq!(found.len(), 1);
    assert!(std::fs::canonicalize(&found[0]).is_err(), "dangling");
}
