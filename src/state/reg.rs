//! `.reg` files as `regedit` and `reg export` write them: UTF-16LE with a BOM and "Windows
//! Registry Editor Version 5.00", or ANSI (Windows-1252) "REGEDIT4". Sections `[key]` and
//! `[-key]` (delete the key); values `"name"=…` and `@=…` (the default value): `"text"` (REG_SZ),
//! `dword:0000002a`, `hex:…` (REG_BINARY), `hex(N):…` (type N: 0 REG_NONE, 1, 2 REG_EXPAND_SZ,
//! 7 REG_MULTI_SZ, b REG_QWORD…), `-` (delete the value); a line ending in `\` continues on the
//! next; `;` starts a comment line. Errors name the line.

use super::{Op, ReadError, utf16z};
use crate::model::effect::Hive;

/// Parses a whole file.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Op>, ReadError> {
    let text = if let Some(b) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let u: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&u)
    } else if let Some(b) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(b).into_owned()
    } else {
        encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
    };
    parse_text(path, &text)
}

fn error(path: &str, line: usize, message: impl Into<String>) -> ReadError {
    ReadError {
        path: path.to_string(),
        at: Some(format!("line {line}")),
        message: message.into(),
    }
}

/// The hive and the key below it of a section name.
fn split_key(full: &str) -> Option<(Hive, String)> {
    let (root, rest) = full.split_once('\\').unwrap_or((full, ""));
    let hive = match root.to_ascii_uppercase().as_str() {
        "HKEY_CURRENT_USER" | "HKCU" => Hive::User,
        "HKEY_LOCAL_MACHINE" | "HKLM" => Hive::Machine,
        // A user's hive under HKEY_USERS\<SID>\…: the user half.
        "HKEY_USERS" | "HKU" => {
            let (_, below) = rest.split_once('\\').unwrap_or((rest, ""));
            return Some((Hive::User, below.to_string()));
        }
        _ => return None,
    };
    Some((hive, rest.to_string()))
}

/// Parses decoded text.
pub fn parse_text(path: &str, text: &str) -> Result<Vec<Op>, ReadError> {
    let mut lines = text.lines().enumerate().peekable();
    // The header, after any blank lines.
    let header = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((n, l)) => break (n + 1, l.trim().to_string()),
            None => return Ok(Vec::new()),
        }
    };
    if header.1 != "Windows Registry Editor Version 5.00" && header.1 != "REGEDIT4" {
        return Err(error(
            path,
            header.0,
            "not a .reg file (expected \"Windows Registry Editor Version 5.00\" or \"REGEDIT4\")",
        ));
    }
    let mut ops = Vec::new();
    let mut section: Option<(Hive, String)> = None;
    while let Some((n, raw)) = lines.next() {
        let line_no = n + 1;
        let mut line = raw.trim_end().to_string();
        // Continuation lines: regedit wraps hex data before column 80 with a trailing `\`. No
        // other line ends in one (a string value ends in `"`, a dword in a digit).
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some((_, more)) => line.push_str(more.trim()),
                None => break,
            }
        }
        let t = line.trim_start();
        if t.is_empty() || t.starts_with(';') {
            continue;
        }
        if let Some(inner) = t.strip_prefix('[') {
            let inner = inner
                .strip_suffix(']')
                .ok_or_else(|| error(path, line_no, "a key line must end with `]`"))?;
            let (delete, name) = match inner.strip_prefix('-') {
                Some(k) => (true, k),
                None => (false, inner),
            };
            let (hive, key) = split_key(name).ok_or_else(|| {
                error(
                    path,
                    line_no,
                    format!("`{name}` is under no hive that policies use (HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, HKEY_USERS)"),
                )
            })?;
            if delete {
                ops.push(Op::DeleteKey {
                    hive,
                    key: key.clone(),
                });
                section = None;
            } else {
                section = Some((hive, key));
            }
            continue;
        }
        let Some((hive, key)) = &section else {
            return Err(error(path, line_no, "a value outside any [key] section"));
        };
        let (name, rest) = value_name(t)
            .ok_or_else(|| error(path, line_no, "expected `\"name\"=value` or `@=value`"))?;
        let rest = rest.trim();
        if rest == "-" {
            ops.push(Op::DeleteValue {
                hive: *hive,
                key: key.clone(),
                name,
            });
            continue;
        }
        let (ty, data) = value_data(rest).map_err(|m| error(path, line_no, m))?;
        ops.push(Op::Set {
            hive: *hive,
            key: key.clone(),
            name,
            ty,
            data,
            soft: false,
        });
    }
    Ok(ops)
}

/// `"na\"me"=rest` or `@=rest` → (name, rest).
fn value_name(t: &str) -> Option<(String, &str)> {
    if let Some(rest) = t.strip_prefix('@') {
        return Some((String::new(), rest.trim_start().strip_prefix('=')?));
    }
    let mut chars = t.strip_prefix('"')?.char_indices();
    let mut name = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => name.push(chars.next()?.1),
            '"' => {
                let rest = t[1 + i + 1..].trim_start().strip_prefix('=')?;
                return Some((name, rest));
            }
            c => name.push(c),
        }
    }
    None
}

/// The data of a value line: (type, bytes).
fn value_data(rest: &str) -> Result<(u32, Vec<u8>), String> {
    if let Some(s) = rest.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = s.chars();
        loop {
            match chars.next() {
                Some('\\') => out.push(chars.next().ok_or("unfinished escape")?),
                Some('"') => break,
                Some(c) => out.push(c),
                None => return Err("unterminated string".into()),
            }
        }
        return Ok((1, utf16z(&out)));
    }
    if let Some(d) = rest.strip_prefix("dword:") {
        let n = u32::from_str_radix(d.trim(), 16)
            .map_err(|_| format!("`dword:{d}` is not 8 hex digits"))?;
        return Ok((4, n.to_le_bytes().to_vec()));
    }
    let (ty, bytes) = if let Some(h) = rest.strip_prefix("hex:") {
        (3, h)
    } else if let Some(h) = rest.strip_prefix("hex(") {
        let (t, b) = h.split_once("):").ok_or("expected `hex(N):…`")?;
        let ty = u32::from_str_radix(t, 16).map_err(|_| format!("`hex({t})` is no type number"))?;
        (ty, b)
    } else {
        return Err(format!(
            "unknown value data `{}`",
            rest.chars().take(20).collect::<String>()
        ));
    };
    Ok((ty, super::hex_bytes(bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\A]\r\n\"s\"=\"x\\\"y\\\\\"\r\n@=\"d\"\r\n\"n\"=dword:000000a8\r\n\"b\"=hex:01,02,\\\r\n  03\r\n\"e\"=hex(2):41,00,00,00\r\n\"q\"=hex(b):01,00,00,00,00,00,00,00\r\n\"gone\"=-\r\n; comment\r\n[-HKEY_LOCAL_MACHINE\\Software\\B]\r\n";
        let ops = parse_text("t.reg", text).unwrap();
        assert_eq!(ops.len(), 8);
        assert!(
            matches!(&ops[0], Op::Set { name, ty: 1, data, .. } if name == "s" && super::super::decode(1, data) == Some(crate::model::baseline::RegData::Sz("x\"y\\".into())))
        );
        assert!(matches!(&ops[1], Op::Set { name, .. } if name.is_empty()));
        assert!(matches!(&ops[2], Op::Set { ty: 4, data, .. } if data == &[0xa8, 0, 0, 0]));
        assert!(matches!(&ops[3], Op::Set { ty: 3, data, .. } if data == &[1, 2, 3]));
        assert!(matches!(&ops[5], Op::Set { ty: 11, .. }));
        assert!(matches!(&ops[6], Op::DeleteValue { name, .. } if name == "gone"));
        assert!(
            matches!(&ops[7], Op::DeleteKey { hive: Hive::Machine, key } if key == "Software\\B")
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_text(
            "t.reg",
            "REGEDIT4\n\n[HKEY_CURRENT_USER\\A]\n\"n\"=dword:xyz\n",
        )
        .unwrap_err();
        assert_eq!(e.at.as_deref(), Some("line 4"));
        let e = parse_text("t.reg", "hello\n").unwrap_err();
        assert_eq!(e.at.as_deref(), Some("line 1"));
        let e = parse_text("t.reg", "REGEDIT4\n\"n\"=dword:1\n").unwrap_err();
        assert!(e.message.contains("outside"));
    }
}
