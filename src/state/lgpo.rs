//! LGPO text: what `LGPO.exe /parse` prints and `LGPO.exe /t` and `/r` read
//! (reference/lgpo-text/LGPO-TEXT-FORMAT.md). Records of four non-comment lines: scope
//! (`Computer`, `User`, or an MLGPO layer `User:…`, read as the user half), key (no hive), value
//! name, action: `DWORD:n`, `QWORD:n` (decimal or `0x` hex), `SZ:text`, `EXSZ:text`,
//! `MULTISZ:a\0b`, `BINARY:00,ff`, `DELETE`, `DELETEALLVALUES`, `DELETEKEYS` (line 3 lists the
//! subkeys), `CREATEKEY`, `CLEAR` (drops the commands before it for that key). `;` starts a
//! comment line; blank lines separate records. Errors name the line.

use super::{Op, ReadError, utf16z};
use crate::model::effect::Hive;

fn number(s: &str) -> Option<u64> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Whether `text` looks like LGPO text: its first record line is a scope.
pub fn looks_like(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with(';'))
        .is_some_and(|l| scope(l).is_some())
}

fn scope(l: &str) -> Option<Hive> {
    let l = l.to_ascii_lowercase();
    if l == "computer" {
        Some(Hive::Machine)
    } else if l == "user" || l.starts_with("user:") {
        Some(Hive::User)
    } else {
        None
    }
}

pub fn parse(path: &str, text: &str) -> Result<Vec<Op>, ReadError> {
    let err = |line: usize, m: String| ReadError {
        path: path.to_string(),
        at: Some(format!("line {line}")),
        message: m,
    };
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with(';'))
        .collect();
    let mut recorded = Recorded::default();
    for rec in lines.chunks(4) {
        let [(n1, s), (_, key), (_, name), (n4, action)] = rec else {
            return Err(err(
                rec[0].0,
                "an incomplete record: scope, key, value name and action take four lines".into(),
            ));
        };
        let hive = scope(s.trim()).ok_or_else(|| {
            err(
                *n1,
                format!("`{}` is no scope (Computer, User, User:…)", s.trim()),
            )
        })?;
        let key = key.trim().to_string();
        let name = name.trim().to_string();
        let name = if name.eq_ignore_ascii_case("(default)") {
            String::new()
        } else {
            name
        };
        let (verb, data) = action.split_once(':').unwrap_or((action, ""));
        match verb.trim().to_ascii_uppercase().as_str() {
            "DELETE" => recorded.push(Op::DeleteValue { hive, key, name }),
            "DELETEALLVALUES" => recorded.push(Op::DeleteAllValues { hive, key }),
            "DELETEKEYS" => {
                for k in name.split(';').map(str::trim).filter(|k| !k.is_empty()) {
                    recorded.push(Op::DeleteKey {
                        hive,
                        key: format!("{key}\\{k}"),
                    });
                }
            }
            // Creates an empty key: nothing a value audit compares.
            "CREATEKEY" => {}
            // Removes the commands given before for this key.
            "CLEAR" => recorded.clear(hive, &key),
            verb => {
                let (ty, data) = value(verb, data).map_err(|m| err(*n4, m))?;
                recorded.push(Op::Set {
                    hive,
                    key,
                    name,
                    ty,
                    data,
                    soft: false,
                });
            }
        }
    }
    Ok(recorded.ops.into_iter().flatten().collect())
}

/// The operations read so far. `ops[i]` is `None` once a later `CLEAR` dropped it; `by_key`
/// lists the live operations of each (hive, lower-cased key), so a `CLEAR` visits only its own
/// key's (linear in all).
#[derive(Default)]
struct Recorded {
    ops: Vec<Option<Op>>,
    by_key: std::collections::HashMap<(Hive, String), Vec<usize>>,
}

impl Recorded {
    fn push(&mut self, op: Op) {
        let (h, k) = match &op {
            Op::Set { hive, key, .. }
            | Op::DeleteValue { hive, key, .. }
            | Op::DeleteAllValues { hive, key }
            | Op::DeleteKey { hive, key } => (*hive, key.to_lowercase()),
        };
        self.by_key.entry((h, k)).or_default().push(self.ops.len());
        self.ops.push(Some(op));
    }

    /// `CLEAR`: drops every operation recorded for the key. The map's own list goes too: each
    /// operation is dropped at most once.
    fn clear(&mut self, hive: Hive, key: &str) {
        for i in self
            .by_key
            .remove(&(hive, key.to_lowercase()))
            .unwrap_or_default()
        {
            self.ops[i] = None;
        }
    }
}

/// A value-writing action (`DWORD:1`, `SZ:text`, …) as registry type and data.
fn value(verb: &str, data: &str) -> Result<(u32, Vec<u8>), String> {
    Ok(match verb {
        "DWORD" => {
            let n = number(data)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| format!("`{data}` is no DWORD"))?;
            (4, n.to_le_bytes().to_vec())
        }
        "QWORD" => {
            let n = number(data).ok_or_else(|| format!("`{data}` is no QWORD"))?;
            (11, n.to_le_bytes().to_vec())
        }
        "SZ" => (1, utf16z(data)),
        "EXSZ" => (2, utf16z(data)),
        "MULTISZ" => {
            let mut out = Vec::new();
            for item in data.split("\\0").filter(|i| !i.is_empty()) {
                out.extend(utf16z(item));
            }
            out.extend_from_slice(&[0, 0]);
            (7, out)
        }
        "BINARY" => (3, super::hex_bytes(data)?),
        other => return Err(format!("unknown action `{other}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_errors() {
        let t = "; header\n\nUser\nSoftware\\A\nv\nDWORD:0x2a\n\nComputer\nSoftware\\B\n(Default)\nSZ:a b\n\nUser\nSoftware\\A\n*\nDELETEALLVALUES\n\nUser\nSoftware\\A\nx;y\nDELETEKEYS\n\nUser:Administrators\nSoftware\\C\nm\nMULTISZ:a\\0b\n";
        let ops = parse("l.txt", t).unwrap();
        assert_eq!(ops.len(), 6);
        assert!(
            matches!(&ops[0], Op::Set { hive: Hive::User, ty: 4, data, .. } if data == &[42, 0, 0, 0])
        );
        assert!(
            matches!(&ops[1], Op::Set { hive: Hive::Machine, name, ty: 1, .. } if name.is_empty())
        );
        assert!(matches!(&ops[3], Op::DeleteKey { key, .. } if key == "Software\\A\\x"));
        assert!(looks_like(t));
        let e = parse("l.txt", "User\nK\nv\nNOPE:1\n").unwrap_err();
        assert_eq!(e.at.as_deref(), Some("line 4"));
        let e = parse("l.txt", "User\nK\nv\n").unwrap_err();
        assert_eq!(e.at.as_deref(), Some("line 1"));
    }
}
