//! Registry state read back from the files admins and auditors hold: `.reg` exports (`reg.rs`),
//! `Registry.pol` (`pol.rs`), offline hives (`hive.rs`), LGPO text (`lgpo.rs`), and folders
//! holding them (a GPO in SYSVOL, a GPMC backup, a folder
//! of backups: `Machine|User/registry.pol` found below it, `folder.rs`).
//!
//! Every reader returns [`Op`]s, the registry operations that `.reg` and `.pol` are rendered
//! from, with the data kept raw (type number and bytes): real files hold types the model's
//! `RegData` has no variant for (REG_NONE, big-endian DWORDs), and an audit must compare what is
//! there, not what gpforge would have written. [`Snapshot`] applies operations in order and
//! compares keys and value names case-insensitively, as Windows does.

pub mod folder;
pub mod hive;
pub mod lgpo;
pub mod pol;
pub mod reg;

use crate::model::baseline::RegData;
use crate::model::effect::{Action, Hive, RegOp};
use std::collections::BTreeMap;
use std::path::Path;

/// One registry operation as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Set {
        hive: Hive,
        key: String,
        name: String,
        ty: u32,
        data: Vec<u8>,
        /// `**soft.`: only when the value does not exist yet.
        soft: bool,
    },
    DeleteValue {
        hive: Hive,
        key: String,
        name: String,
    },
    /// Every value of the key (`**delvals.`).
    DeleteAllValues { hive: Hive, key: String },
    /// The key and everything below it (`[-key]`, `**deletekeys`).
    DeleteKey { hive: Hive, key: String },
}

impl Op {
    /// The operation gpforge's own model describes, with its data as the registry stores it.
    pub fn from_model(op: &RegOp) -> Op {
        let (hive, key) = (op.hive, op.key.clone());
        match &op.action {
            Action::Set { name, data, soft } => Op::Set {
                hive,
                key,
                name: name.clone(),
                ty: data.type_number(),
                data: data.to_bytes(),
                soft: *soft,
            },
            Action::DeleteValue(name) => Op::DeleteValue {
                hive,
                key,
                name: name.clone(),
            },
            Action::DeleteAllValues => Op::DeleteAllValues { hive, key },
        }
    }
}

/// A value as stored: its type number and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub ty: u32,
    pub data: Vec<u8>,
    /// The key and name as spelt where they were read.
    pub key: String,
    pub name: String,
}

impl Stored {
    /// The data in the model's terms, when its type has one.
    pub fn reg_data(&self) -> Option<RegData> {
        decode(self.ty, &self.data)
    }

    /// The value as a person reads it: `1 (REG_DWORD)`, `"text" (REG_SZ)`.
    pub fn display(&self) -> String {
        match self.reg_data() {
            Some(d) => format!("{} ({})", d.display(), d.type_name()),
            None => format!("hex({:x}):{} ", self.ty, hex(&self.data)),
        }
    }
}

/// Comma-separated hex bytes (`01,ff, 0a`), as `.reg` `hex:` data and LGPO `BINARY` carry them.
pub(crate) fn hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| u8::from_str_radix(b, 16).map_err(|_| format!("`{b}` is not a hex byte")))
        .collect()
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Raw data in the model's terms: strings without their NUL, numbers little-endian.
pub fn decode(ty: u32, data: &[u8]) -> Option<RegData> {
    let utf16 = |b: &[u8]| -> Vec<u16> {
        b.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect()
    };
    let string = |b: &[u8]| {
        let mut u = utf16(b);
        while u.last() == Some(&0) {
            u.pop();
        }
        String::from_utf16_lossy(&u)
    };
    match ty {
        1 => Some(RegData::Sz(string(data))),
        2 => Some(RegData::ExpandSz(string(data))),
        3 => Some(RegData::Binary(data.to_vec())),
        4 if data.len() == 4 => Some(RegData::Dword(u32::from_le_bytes(data.try_into().ok()?))),
        11 if data.len() == 8 => Some(RegData::Qword(u64::from_le_bytes(data.try_into().ok()?))),
        7 => {
            let u = utf16(data);
            let items: Vec<String> = u
                .split(|c| *c == 0)
                .filter(|s| !s.is_empty())
                .map(String::from_utf16_lossy)
                .collect();
            Some(RegData::MultiSz(items))
        }
        _ => None,
    }
}

/// A string as the registry stores it: UTF-16LE with its NUL.
pub(crate) fn utf16z(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    crate::model::baseline::utf16z(s, &mut out);
    out
}

/// The value names the `Set` operations of `ops` write under `hive`\`key` (lower-cased): what a
/// non-additive list key may hold after `**delvals.`.
pub fn own_names(ops: &[Op], hive: Hive, key: &str) -> std::collections::BTreeSet<String> {
    ops.iter()
        .filter_map(|o| match o {
            Op::Set {
                hive: h,
                key: k,
                name,
                ..
            } if *h == hive && k.eq_ignore_ascii_case(key) => Some(name.to_lowercase()),
            _ => None,
        })
        .collect()
}

/// Values after a sequence of operations, keyed case-insensitively.
///
/// Indexed by key, then by value name, so every operation costs a lookup: deleting a key's
/// values (`**delvals.`) removes one entry, deleting a key with its subkeys (`[-key]`,
/// `**deletekeys`) visits only the keys below it (a range of the ordered map). A state of n
/// operations is applied in O(n log n), whatever the mix.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// (hive, lower-cased key) → lower-cased name → value.
    keys: BTreeMap<(Hive, String), BTreeMap<String, Stored>>,
    len: usize,
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

impl Snapshot {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies operations in order (later ones win, as GPO precedence does).
    pub fn apply(&mut self, ops: &[Op]) {
        for op in ops {
            match op {
                Op::Set {
                    hive,
                    key,
                    name,
                    ty,
                    data,
                    soft,
                } => {
                    let values = self.keys.entry((*hive, lower(key))).or_default();
                    let n = lower(name);
                    if *soft && values.contains_key(&n) {
                        continue;
                    }
                    let stored = Stored {
                        ty: *ty,
                        data: data.clone(),
                        key: key.clone(),
                        name: name.clone(),
                    };
                    if values.insert(n, stored).is_none() {
                        self.len += 1;
                    }
                }
                Op::DeleteValue { hive, key, name } => {
                    let k = (*hive, lower(key));
                    if let Some(values) = self.keys.get_mut(&k) {
                        if values.remove(&lower(name)).is_some() {
                            self.len -= 1;
                        }
                        if values.is_empty() {
                            self.keys.remove(&k);
                        }
                    }
                }
                Op::DeleteAllValues { hive, key } => {
                    if let Some(values) = self.keys.remove(&(*hive, lower(key))) {
                        self.len -= values.len();
                    }
                }
                Op::DeleteKey { hive, key } => {
                    let k = lower(key);
                    if let Some(values) = self.keys.remove(&(*hive, k.clone())) {
                        self.len -= values.len();
                    }
                    // The subkeys: every key that starts with `key\`, a contiguous range.
                    let below = format!("{k}\\");
                    let doomed: Vec<(Hive, String)> = self
                        .keys
                        .range((*hive, below.clone())..)
                        .take_while(|((h, kk), _)| h == hive && kk.starts_with(&below))
                        .map(|(k, _)| k.clone())
                        .collect();
                    for d in doomed {
                        if let Some(values) = self.keys.remove(&d) {
                            self.len -= values.len();
                        }
                    }
                }
            }
        }
    }

    pub fn get(&self, hive: Hive, key: &str, name: &str) -> Option<&Stored> {
        self.keys.get(&(hive, lower(key)))?.get(&lower(name))
    }

    /// Every value of a key.
    pub fn values_of<'a>(&'a self, hive: Hive, key: &str) -> impl Iterator<Item = &'a Stored> + 'a {
        self.keys
            .get(&(hive, lower(key)))
            .into_iter()
            .flat_map(|values| values.values())
    }

    /// Every value, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (Hive, &Stored)> {
        self.keys
            .iter()
            .flat_map(|((h, _), values)| values.values().map(move |v| (*h, v)))
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A state file that could not be read: where and why.
#[derive(Debug)]
pub struct ReadError {
    pub path: String,
    /// A line (`.reg`) or byte offset (`.pol`), already formatted: `line 12`, `byte 0x1a4`.
    pub at: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{}: {at}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads any state source: a `.reg` file, a `Registry.pol` file (its hive from its folder,
/// `Machine` or `User`, else from `hive` when given), or a folder (GPO, GPMC backup, backups).
pub fn read_path(path: &Path) -> Result<Vec<Op>, ReadError> {
    let err = |m: String| ReadError {
        path: path.display().to_string(),
        at: None,
        message: m,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
    if meta.is_dir() {
        return folder::read(path);
    }
    let bytes = crate::fsx::read_checked(path, None).map_err(|e| err(e.to_string()))?;
    let name = path.display().to_string();
    if bytes.starts_with(b"regf") {
        return hive::read(path);
    }
    if bytes.starts_with(b"PReg") {
        let hive = folder::hive_of(path).unwrap_or(Hive::User);
        return pol::parse(&name, &bytes, hive);
    }
    // LGPO text (`LGPO.exe /parse` output), else a `.reg` file.
    if let Ok(text) = std::str::from_utf8(&bytes)
        && lgpo::looks_like(text)
    {
        return lgpo::parse(&name, text);
    }
    reg::parse(&name, &bytes)
}
