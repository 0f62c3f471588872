//! Offline registry hives (`regf` files: `NTUSER.DAT`, a machine's `SOFTWARE` hive), read by a
//! small reader of the hive format's key and value cells (the format as libyal's `libregf`
//! documentation describes it: base block, hive bins, `nk` keys, `lf`/`lh`/`li`/`ri` subkey
//! lists, `vk` values, `db` big data). Chosen over the crates available: `notatin` (Apache-2.0)
//! declares `nom >= 6` but compiles only with nom 7, so an unlocked resolve (`cargo install`
//! without `--locked`) fails; `nt-hive` and `nt_hive2` are GPL and cannot be linked into an
//! MIT/Apache-2.0 tool; the young `regf` and `winreg-core` crates are single-author and
//! unproven. An audit needs the values only (no transaction logs, no deleted cells), which is a
//! few hundred lines, every offset bounds-checked, cycles and depth bounded, fuzzed
//! (`tests/fuzz.rs`) and cross-checked against hivex (`tests/audit.rs`: `.reg` files merged into
//! a hive by `hivexregedit` audit compliant). The file's structure is checked first
//! ([`check_structure`]), so a truncated or damaged hive is an error with its byte offset, never
//! "nothing configured". Which half a hive is comes from its file name: `NTUSER.DAT` /
//! `USRCLASS.DAT` are the user hive (HKCU), `SOFTWARE` is HKLM\Software.

use super::{Op, ReadError};
use crate::model::effect::Hive;
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

/// The hive bins start here; cell offsets count from it.
const BINS: usize = 4096;
/// Deeper keys than this are refused (real hives nest a few dozen levels).
const MAX_DEPTH: usize = 512;

struct Hive_<'a> {
    b: &'a [u8],
    /// Cells visited as keys, so a list that points back up is an error, not a loop.
    seen: std::collections::HashSet<u32>,
    ops: Vec<Op>,
}

type Fail = (usize, String);

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

impl<'a> Hive_<'a> {
    /// The data of the allocated cell at `offset` (relative to the bins).
    fn cell(&self, offset: u32) -> Result<&'a [u8], Fail> {
        let at = BINS
            .checked_add(offset as usize)
            .filter(|_| offset != u32::MAX);
        let at = at.ok_or((0, format!("cell offset {offset:#x} out of range")))?;
        let size = u32_at(self.b, at).ok_or((
            self.b.len(),
            format!("a reference to a cell at {at:#x}, beyond the end of the file"),
        ))? as i32;
        if size >= 0 {
            return Err((at, "a reference to a free cell".into()));
        }
        let len = size.unsigned_abs() as usize;
        self.b
            .get(at + 4..at + len)
            .ok_or((at, format!("cell of {len} bytes beyond the file")))
    }

    fn sig<'c>(&self, c: &'c [u8], want: &[u8], offset: u32) -> Result<&'c [u8], Fail> {
        if c.get(..2) == Some(want) {
            Ok(c)
        } else {
            Err((
                BINS + offset as usize,
                format!("expected a `{}` cell", String::from_utf8_lossy(want)),
            ))
        }
    }

    /// A name stored as Latin-1 (`compressed`) or UTF-16LE.
    fn name(raw: &[u8], compressed: bool) -> String {
        if compressed {
            raw.iter().map(|&c| c as char).collect()
        } else {
            let u: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&u)
        }
    }

    /// The key cells a subkey list names (`lf`, `lh`, `li`, or `ri` of lists).
    fn subkeys(&self, offset: u32, out: &mut Vec<u32>, depth: usize) -> Result<(), Fail> {
        if depth > 8 {
            return Err((
                BINS + offset as usize,
                "subkey lists nested too deep".into(),
            ));
        }
        let c = self.cell(offset)?;
        let n = u16_at(c, 2).unwrap_or(0) as usize;
        let (step, nested) = match c.get(..2) {
            Some(b"lf") | Some(b"lh") => (8, false),
            Some(b"li") => (4, false),
            Some(b"ri") => (4, true),
            _ => return Err((BINS + offset as usize, "not a subkey list".into())),
        };
        for i in 0..n {
            let o = u32_at(c, 4 + i * step).ok_or((
                BINS + offset as usize,
                "subkey list shorter than its count".to_string(),
            ))?;
            if nested {
                self.subkeys(o, out, depth + 1)?;
            } else {
                out.push(o);
            }
        }
        Ok(())
    }

    /// A value's data: inline (4 bytes or fewer), one cell, or `db` segments.
    fn data(&self, vk: &[u8], at: u32) -> Result<Vec<u8>, Fail> {
        let size = u32_at(vk, 4).unwrap_or(0);
        let offset = u32_at(vk, 8).unwrap_or(0);
        if size & 0x8000_0000 != 0 {
            let n = (size & 0x7fff_ffff) as usize;
            return Ok(vk.get(8..8 + n.min(4)).unwrap_or_default().to_vec());
        }
        let n = size as usize;
        if n == 0 {
            return Ok(Vec::new());
        }
        let c = self.cell(offset)?;
        if n > 16344 && c.get(..2) == Some(b"db".as_slice()) {
            let count = u16_at(c, 2).unwrap_or(0) as usize;
            let list = self.cell(u32_at(c, 4).unwrap_or(u32::MAX))?;
            let mut out = Vec::with_capacity(n);
            for i in 0..count {
                let seg = u32_at(list, i * 4).ok_or((
                    BINS + at as usize,
                    "big data list shorter than its count".to_string(),
                ))?;
                let d = self.cell(seg)?;
                out.extend_from_slice(&d[..d.len().min(16344)]);
            }
            if out.len() < n {
                return Err((
                    BINS + at as usize,
                    format!("value data of {n} bytes, {} found", out.len()),
                ));
            }
            out.truncate(n);
            return Ok(out);
        }
        c.get(..n).map(<[u8]>::to_vec).ok_or((
            BINS + offset as usize,
            format!("value data of {n} bytes beyond its cell"),
        ))
    }

    /// Walks the key at `offset` (named `path` below the root) and everything below it.
    fn key(
        &mut self,
        offset: u32,
        path: &str,
        depth: usize,
        hive: Hive,
        prefix: &str,
    ) -> Result<(), Fail> {
        if depth > MAX_DEPTH {
            return Err((BINS + offset as usize, "keys nested too deep".into()));
        }
        if !self.seen.insert(offset) {
            return Err((
                BINS + offset as usize,
                "a key reached twice (a cycle)".into(),
            ));
        }
        let nk = self.sig(self.cell(offset)?, b"nk", offset)?;

        let n_sub = u32_at(nk, 20).unwrap_or(0);
        let sub_list = u32_at(nk, 28).unwrap_or(u32::MAX);
        let n_val = u32_at(nk, 36).unwrap_or(0) as usize;
        let val_list = u32_at(nk, 40).unwrap_or(u32::MAX);
        if !path.is_empty() && n_val > 0 {
            let list = self.cell(val_list)?;
            let full = format!("{prefix}{path}");
            for i in 0..n_val {
                let vo = u32_at(list, i * 4).ok_or((
                    BINS + val_list as usize,
                    "value list shorter than its count".to_string(),
                ))?;
                let vk = self.sig(self.cell(vo)?, b"vk", vo)?;
                let name_len = u16_at(vk, 2).unwrap_or(0) as usize;
                let ty = u32_at(vk, 12).unwrap_or(0);
                let compressed = u16_at(vk, 16).unwrap_or(0) & 1 != 0;
                let raw = vk
                    .get(20..20 + name_len)
                    .ok_or((BINS + vo as usize, "value name beyond its cell".to_string()))?;
                let data = self.data(vk, vo)?;
                self.ops.push(Op::Set {
                    hive,
                    key: full.clone(),
                    name: Self::name(raw, compressed),
                    ty,
                    data,
                    soft: false,
                });
            }
        }
        if n_sub > 0 {
            let mut subs = Vec::new();
            self.subkeys(sub_list, &mut subs, 0)?;
            for so in subs {
                let sk = self.sig(self.cell(so)?, b"nk", so)?;
                let len = u16_at(sk, 72).unwrap_or(0) as usize;
                let sflags = u16_at(sk, 2).unwrap_or(0);
                let raw = sk
                    .get(76..76 + len)
                    .ok_or((BINS + so as usize, "key name beyond its cell".to_string()))?;
                let name = Self::name(raw, sflags & 0x20 != 0);
                let child = if path.is_empty() {
                    name
                } else {
                    format!("{path}\\{name}")
                };
                self.key(so, &child, depth + 1, hive, prefix)?;
            }
        }
        Ok(())
    }
}

/// Every value of a hive's bytes, below its root key, as `Set` operations (keys without the
/// root key's own name, with `prefix` in front). The error is a byte offset and what is wrong.
pub fn parse(b: &[u8], hive: Hive, prefix: &str) -> Result<Vec<Op>, Fail> {
    check_structure(b)?;
    let root = u32_at(b, 0x24).unwrap_or(u32::MAX);
    let mut h = Hive_ {
        b,
        seen: std::collections::HashSet::new(),
        ops: Vec::new(),
    };
    h.key(root, "", 0, hive, prefix)?;
    Ok(h.ops)
}

/// Every value of the hive file as a `Set` operation.
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
    let file = crate::fsx::read_checked(path, None).map_err(|e| err(e.to_string()))?;
    parse(&file, hive, prefix).map_err(|(at, why)| ReadError {
        path: path.display().to_string(),
        at: Some(format!("byte {at:#x}")),
        message: format!("not a readable hive: {why}"),
    })
}
