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

/// Every value of the hive as a `Set` operation.
pub fn read(path: &Path) -> Result<Vec<Op>, ReadError> {
    let err = |m: String| ReadError {
        path: path.display().to_string(),
        at: None,
        message: m,
    };
    let (hive, prefix) = root_of(path).ok_or_else(|| {
        err(
            "cannot tell which hive this is: name the file NTUSER.DAT (user) or SOFTWARE (machine)"
                .into(),
        )
    })?;
    let owned = path.to_path_buf();
    let result = std::panic::catch_unwind(move || -> Result<Vec<Op>, String> {
        let parser = ParserBuilder::from_path(owned)
            .recover_deleted(false)
            .build()
            .map_err(|e| e.to_string())?;
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
