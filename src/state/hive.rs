//! Offline registry hives (`regf` files: `NTUSER.DAT`, a machine's `SOFTWARE` hive), read with
//! the `notatin` crate. Chosen because it is a maintained, Apache-2.0 parser of the hive format
//! used in forensics (transaction logs, deleted-cell recovery we leave off); `nt-hive` and
//! `nt_hive2` are GPL and cannot be linked into an MIT/Apache-2.0 tool. Which half a hive is
//! comes from its file name: `NTUSER.DAT`/`USRCLASS.DAT` are the user hive (HKCU), `SOFTWARE`
//! is HKLM\Software. A parser panic on a hostile file becomes an error, never a crash.

use super::{Op, ReadError, utf16z};
use crate::model::effect::Hive;
use notatin::cell_value::CellValue;
use notatin::parser::ParserIterator;
use notatin::parser_builder::ParserBuilder;
use std::path::Path;

/// (hive, prefix added to every key path) of a hive file, from its name.
pub fn root_of(path: &Path) -> Option<(Hive, &'static str)> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.starts_with("ntuser") || name.starts_with("usrclass") {
        Some((Hive::User, ""))
    } else if name.starts_with("software") {
        Some((Hive::Machine, "Software\\"))
    } else {
        None
    }
}

/// The bytes of a value as the registry stores them, from notatin's typed content.
fn bytes(ty: u32, v: CellValue) -> Vec<u8> {
    match v {
        CellValue::None | CellValue::Error => Vec::new(),
        CellValue::Binary(b) => b,
        CellValue::String(s) => utf16z(&s),
        CellValue::MultiString(items) => {
            let mut out = Vec::new();
            for i in items {
                out.extend(utf16z(&i));
            }
            out.extend_from_slice(&[0, 0]);
            out
        }
        CellValue::U32(n) if ty == 5 => n.to_be_bytes().to_vec(),
        CellValue::U32(n) => n.to_le_bytes().to_vec(),
        CellValue::I32(n) => n.to_le_bytes().to_vec(),
        CellValue::U64(n) => n.to_le_bytes().to_vec(),
        CellValue::I64(n) => n.to_le_bytes().to_vec(),
    }
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The structure of a hive file, checked before it is parsed: the parser skips what it cannot
/// read, so a truncated or damaged hive would otherwise look like a hive with nothing in it, and
/// an audit would report "nothing configured" for a file it never read. Checks the base block
/// (signature, checksum, the root key's offset), that the file holds the hive bins its header
/// announces, each bin's header, and that the cells of each bin tile it exactly. The error names
/// the byte offset where the file stops making sense.
pub fn check_structure(b: &[u8]) -> Result<(), (usize, String)> {
    const BASE: usize = 4096;
    if b.len() < BASE || !b.starts_with(b"regf") {
        return Err((
            b.len().min(BASE),
            format!(
                "truncated: {} bytes, less than the 4096-byte base block",
                b.len()
            ),
        ));
    }
    let mut sum = (0..0x1FC)
        .step_by(4)
        .fold(0u32, |x, i| x ^ u32_at(b, i).unwrap_or(0));
    if sum == 0 {
        sum = 1;
    } else if sum == u32::MAX {
        sum = u32::MAX - 1;
    }
    let stored = u32_at(b, 0x1FC).unwrap_or(0);
    if stored != sum {
        return Err((
            0x1FC,
            format!("base block checksum {stored:#010x}, but the block sums to {sum:#010x}"),
        ));
    }
    let size = u32_at(b, 0x28).unwrap_or(0) as usize;
    if size == 0 || !size.is_multiple_of(BASE) {
        return Err((
            0x28,
            format!("hive bins size {size} is not a multiple of 4096"),
        ));
    }
    let end = BASE.saturating_add(size);
    if b.len() < end {
        return Err((
            b.len(),
            format!(
                "truncated: the header announces {size} bytes of hive bins, the file holds {}",
                b.len() - BASE
            ),
        ));
    }
    let root = BASE.saturating_add(u32_at(b, 0x24).unwrap_or(u32::MAX) as usize);
    if root.saturating_add(6) > end || b.get(root + 4..root + 6) != Some(b"nk".as_slice()) {
        return Err((
            0x24,
            "the root key offset does not point at a key cell".into(),
        ));
    }
    let mut bin = BASE;
    while bin < end {
        if b.get(bin..bin + 4) != Some(b"hbin".as_slice()) {
            return Err((
                bin,
                "no hive bin signature (`hbin`) where a bin must start".into(),
            ));
        }
        let len = u32_at(b, bin + 8).unwrap_or(0) as usize;
        if len == 0 || !len.is_multiple_of(BASE) || bin.saturating_add(len) > end {
            return Err((
                bin + 8,
                format!("hive bin size {len} does not fit the file"),
            ));
        }
        let mut cell = bin + 32;
        while cell < bin + len {
            let raw = u32_at(b, cell).unwrap_or(0) as i32;
            let cl = raw.unsigned_abs() as usize;
            if cl < 8 || !cl.is_multiple_of(8) || cell.saturating_add(cl) > bin + len {
                return Err((cell, format!("cell size {raw} does not fit its hive bin")));
            }
            cell += cl;
        }
        bin += len;
    }
    Ok(())
}

/// Every value of the hive as a `Set` operation.
pub fn read(path: &Path) -> Result<Vec<Op>, ReadError> {
    let err = |m: String| ReadError {
        path: path.display().to_string(),
        at: None,
        message: m,
    };
    let file = crate::fsx::read_checked(path, None).map_err(|e| err(e.to_string()))?;
    if let Err((at, why)) = check_structure(&file) {
        return Err(ReadError {
            path: path.display().to_string(),
            at: Some(format!("byte {at:#x}")),
            message: format!("not a readable hive: {why}"),
        });
    }
    let (hive, prefix) = root_of(path).ok_or_else(|| {
        err(
            "cannot tell which hive this is: name the file NTUSER.DAT (user) or SOFTWARE (machine)"
                .into(),
        )
    })?;
    // The bytes checked are the bytes parsed (not the file read a second time).
    let result = std::panic::catch_unwind(move || -> Result<Vec<Op>, String> {
        let mut builder = ParserBuilder::from_file(std::io::Cursor::new(file));
        builder.recover_deleted(false);
        let parser = builder.build().map_err(|e| e.to_string())?;
        let mut ops = Vec::new();
        for key in ParserIterator::new(&parser) {
            // `\ROOTNAME\Software\…`: drop the root key's own name.
            let path = key.path.trim_start_matches('\\');
            let below = path.split_once('\\').map(|(_, r)| r).unwrap_or("");
            if below.is_empty() {
                continue;
            }
            let full = format!("{prefix}{below}");
            for v in key.value_iter() {
                let ty = v.data_type as u32;
                let name = v.detail.value_name();
                let (content, _) = v.get_content();
                ops.push(Op::Set {
                    hive,
                    key: full.clone(),
                    name,
                    ty,
                    data: bytes(ty, content),
                    soft: false,
                });
            }
        }
        Ok(ops)
    });
    match result {
        Ok(Ok(ops)) => Ok(ops),
        Ok(Err(m)) => Err(err(format!("not a readable hive: {m}"))),
        Err(_) => Err(err(
            "not a readable hive (the hive parser failed on it)".into()
        )),
    }
}
