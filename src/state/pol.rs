//! `Registry.pol` (PReg version 1, MS-GPREG §2.2.1): the header `PReg` + version 1, then entries
//! `[key\0;name\0;type;size;data]` with every character UTF-16LE. Special value names
//! (case-insensitive, MS-GPREG §2.2.2): `**del.NAME` deletes a value, `**delvals.` every value of
//! the key, `**deletevalues` the values its data lists (`a;b`), `**deletekeys` the subkeys its data
//! lists, `**soft.NAME` sets a value only when it is absent, `**securekey` sets an ACL (nothing to
//! audit). Tolerant where real files differ (a header-only or empty file, doubled NULs after a
//! name, trailing NUL padding); strict on anything else: the error gives the byte offset. (A name
//! may hold `;`: only its NUL ends it.)

use super::{Op, ReadError};
use crate::model::effect::Hive;

fn at(path: &str, offset: usize, message: impl Into<String>) -> ReadError {
    ReadError {
        path: path.to_string(),
        at: Some(format!("byte {offset} (0x{offset:x})")),
        message: message.into(),
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    path: &'a str,
}

impl Cursor<'_> {
    fn u16(&self) -> Option<u16> {
        self.b
            .get(self.i..self.i + 2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
    }
    fn expect(&mut self, c: char) -> Result<(), ReadError> {
        if self.u16() == Some(c as u16) {
            self.i += 2;
            Ok(())
        } else {
            Err(at(self.path, self.i, format!("expected `{c}`")))
        }
    }
    /// A NUL-terminated UTF-16 string up to (not including) `;`.
    fn string(&mut self) -> Result<String, ReadError> {
        let start = self.i;
        let mut u = Vec::new();
        loop {
            match self.u16() {
                None => return Err(at(self.path, start, "a name runs past the end of the file")),
                Some(0) => {
                    self.i += 2;
                    // Skip doubled NULs some writers leave.
                    while self.u16() == Some(0) {
                        self.i += 2;
                    }
                    break;
                }
                Some(c) => {
                    u.push(c);
                    self.i += 2;
                }
            }
        }
        String::from_utf16(&u).map_err(|_| at(self.path, start, "a name is not valid UTF-16"))
    }
    fn u32(&mut self) -> Result<u32, ReadError> {
        let v = self
            .b
            .get(self.i..self.i + 4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .ok_or_else(|| at(self.path, self.i, "the file ends inside an entry"))?;
        self.i += 4;
        Ok(v)
    }
}

fn utf16_list(data: &[u8]) -> Vec<String> {
    let u: Vec<u16> = data
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|c| *c != 0)
        .collect();
    String::from_utf16_lossy(&u)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Parses one `Registry.pol`; `hive` is the half it belongs to (its folder says which).
pub fn parse(path: &str, b: &[u8], hive: Hive) -> Result<Vec<Op>, ReadError> {
    if b.is_empty() {
        return Ok(Vec::new());
    }
    if b.len() < 8 || &b[..4] != b"PReg" {
        return Err(at(path, 0, "not a Registry.pol file (no `PReg` header)"));
    }
    let version = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
    if version != 1 {
        return Err(at(path, 4, format!("version {version}, expected 1")));
    }
    let mut c = Cursor { b, i: 8, path };
    let mut ops = Vec::new();
    while c.i < b.len() {
        // Trailing NUL padding after the last entry.
        if b[c.i..].iter().all(|x| *x == 0) {
            break;
        }
        let entry = c.i;
        c.expect('[')?;
        let key = c.string()?;
        c.expect(';')?;
        let name = c.string()?;
        c.expect(';')?;
        let ty = c.u32()?;
        c.expect(';')?;
        let size = c.u32()? as usize;
        c.expect(';')?;
        let data = b
            .get(c.i..c.i + size)
            .ok_or_else(|| {
                at(
                    path,
                    c.i,
                    format!("{size} bytes of data run past the end of the file"),
                )
            })?
            .to_vec();
        c.i += size;
        c.expect(']').map_err(|_| {
            at(
                path,
                c.i,
                format!(
                    "the entry at byte {entry} does not end with `]` after its {size} bytes of data"
                ),
            )
        })?;
        let lower = name.to_ascii_lowercase();
        let key_of = |k: &str| k.to_string();
        if let Some(v) = lower.strip_prefix("**del.") {
            ops.push(Op::DeleteValue {
                hive,
                key: key_of(&key),
                name: name[name.len() - v.len()..].to_string(),
            });
        } else if lower == "**delvals." {
            ops.push(Op::DeleteAllValues { hive, key });
        } else if lower == "**deletevalues" {
            for v in utf16_list(&data) {
                ops.push(Op::DeleteValue {
                    hive,
                    key: key.clone(),
                    name: v,
                });
            }
        } else if lower == "**deletekeys" {
            for k in utf16_list(&data) {
                ops.push(Op::DeleteKey {
                    hive,
                    key: format!("{key}\\{k}"),
                });
            }
        } else if lower == "**securekey" || lower.starts_with("**securekey") {
            // An ACL on the key: nothing a value audit compares.
        } else if let Some(v) = lower.strip_prefix("**soft.") {
            ops.push(Op::Set {
                hive,
                key,
                name: name[name.len() - v.len()..].to_string(),
                ty,
                data,
                soft: true,
            });
        } else {
            ops.push(Op::Set {
                hive,
                key,
                name,
                ty,
                data,
                soft: false,
            });
        }
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(out: &mut Vec<u8>, key: &str, name: &str, ty: u32, data: &[u8]) {
        let w =
            |out: &mut Vec<u8>, s: &str| out.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        w(out, "[");
        w(out, key);
        out.extend([0, 0]);
        w(out, ";");
        w(out, name);
        out.extend([0, 0]);
        w(out, ";");
        out.extend(ty.to_le_bytes());
        w(out, ";");
        out.extend((data.len() as u32).to_le_bytes());
        w(out, ";");
        out.extend(data);
        w(out, "]");
    }

    #[test]
    fn special_names_and_errors_with_offsets() {
        let mut b = b"PReg\x01\x00\x00\x00".to_vec();
        entry(&mut b, "K", "v", 4, &[1, 0, 0, 0]);
        entry(&mut b, "K", "**del.Gone", 1, &[0, 0]);
        entry(&mut b, "K\\L", "**delvals.", 1, &[0, 0]);
        entry(
            &mut b,
            "K",
            "**DeleteValues",
            1,
            &"a;b\0"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes())
                .collect::<Vec<_>>(),
        );
        entry(&mut b, "K", "**soft.S", 4, &[2, 0, 0, 0]);
        entry(&mut b, "K", "**SecureKey", 4, &[1, 0, 0, 0]);
        let ops = parse("r.pol", &b, Hive::User).unwrap();
        assert_eq!(ops.len(), 6);
        assert!(matches!(&ops[1], Op::DeleteValue { name, .. } if name == "Gone"));
        assert!(matches!(&ops[2], Op::DeleteAllValues { key, .. } if key == "K\\L"));
        assert!(matches!(&ops[5], Op::Set { soft: true, name, .. } if name == "S"));
        // Truncated inside the data of the first entry.
        let e = parse("r.pol", &b[..36], Hive::User).unwrap_err();
        assert!(e.at.as_deref().unwrap().starts_with("byte "), "{e}");
        assert!(parse("r.pol", b"PReg\x02\x00\x00\x00", Hive::User).is_err());
        assert!(parse("r.pol", b"XXXX\x01\x00\x00\x00", Hive::User).is_err());
        assert!(
            parse("r.pol", b"PReg\x01\x00\x00\x00", Hive::User)
                .unwrap()
                .is_empty()
        );
    }
}
