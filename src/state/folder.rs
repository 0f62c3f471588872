//! Folders that hold policy state: a GPO as it sits in SYSVOL (`gpt.ini`, `Machine/Registry.pol`,
//! `User/Registry.pol`), a GPMC backup (`{GUID}/Backup.xml`, `DomainSysvol/GPO/Machine|User/
//! registry.pol`), or a folder of backups (`manifest.xml` beside them). Every `registry.pol`
//! (any case) whose parent folder is `Machine` or `User` is read, with that hive, in path order.
//! Links are not followed. (`.reg` files are given by name: a folder may hold an apply and a
//! revert file whose order would decide the result.)

use super::{Op, ReadError};
use crate::model::effect::Hive;
use std::path::{Path, PathBuf};

/// The hive a `Registry.pol` belongs to, from its parent folder's name.
pub fn hive_of(path: &Path) -> Option<Hive> {
    let parent = path
        .parent()?
        .file_name()?
        .to_string_lossy()
        .to_ascii_lowercase();
    match parent.as_str() {
        "machine" => Some(Hive::Machine),
        "user" => Some(Hive::User),
        _ => None,
    }
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if depth > 8 {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let Ok(m) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if m.is_dir() {
            walk(&p, depth + 1, out)?;
        } else if m.is_file() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if name == "registry.pol" && hive_of(&p).is_some() {
                out.push(p);
            }
        }
    }
    Ok(())
}

/// Reads every state file of a folder, in path order.
pub fn read(dir: &Path) -> Result<Vec<Op>, ReadError> {
    let mut files = Vec::new();
    walk(dir, 0, &mut files).map_err(|e| ReadError {
        path: dir.display().to_string(),
        at: None,
        message: e.to_string(),
    })?;
    if files.is_empty() {
        return Err(ReadError {
            path: dir.display().to_string(),
            at: None,
            message: "no Machine/User registry.pol in this folder (give .reg files by name)".into(),
        });
    }
    let mut ops = Vec::new();
    for f in files {
        ops.extend(super::read_path(&f)?);
    }
    Ok(ops)
}
