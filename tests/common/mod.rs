//! Helpers shared by the integration tests: an independent reader of Registry.pol and of the
//! `.reg` subset gpforge writes (so tests do not trust the encoders they check), a registry
//! simulator to compare the effects of both, and the text form of artifacts for snapshots.
#![allow(dead_code)]

pub mod admx;
pub mod disa_stig;

use std::collections::BTreeMap;

/// One PReg entry: key, value name, type, data bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolEntry {
    pub key: String,
    pub name: String,
    pub ty: u32,
    pub data: Vec<u8>,
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).expect("valid UTF-16")
}

/// Strict MS-GPREG 2.2.1 reader: panics on anything a conforming file does not contain.
pub fn parse_pol(b: &[u8]) -> Vec<PolEntry> {
    assert!(b.starts_with(b"PReg\x01\x00\x00\x00"), "PReg v1 header");
    let mut i = 8;
    let mut out = Vec::new();
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    while i < b.len() {
        assert_eq!(u16_at(i), '[' as u16, "entry starts with [ at {i}");
        i += 2;
        let read_z = |i: &mut usize| {
            let start = *i;
            while u16_at(*i) != 0 {
                *i += 2;
            }
            let s = utf16(&b[start..*i]);
            *i += 2;
            assert_eq!(u16_at(*i), ';' as u16, "; after a NUL-terminated string");
            *i += 2;
            s
        };
        let key = read_z(&mut i);
        let name = read_z(&mut i);
        let ty = u32_at(i);
        assert_eq!(u16_at(i + 4), ';' as u16);
        let size = u32_at(i + 6) as usize;
        assert_eq!(u16_at(i + 10), ';' as u16);
        i += 12;
        let data = b[i..i + size].to_vec();
        i += size;
        assert_eq!(u16_at(i), ']' as u16, "entry ends with ] at {i}");
        i += 2;
        out.push(PolEntry {
            key,
            name,
            ty,
            data,
        });
    }
    assert_eq!(i, b.len(), "nothing after the last ]");
    out
}

/// A registry: (hive\key lower-cased) → (value name lower-cased) → (type, bytes).
pub type Registry = BTreeMap<String, BTreeMap<String, (u32, Vec<u8>)>>;

/// Applies Registry.pol entries of one hive (`root`, e.g. HKEY_CURRENT_USER) to `reg`.
pub fn apply_pol(reg: &mut Registry, root: &str, entries: &[PolEntry]) {
    for e in entries {
        let key = format!("{root}\\{}", e.key).to_lowercase();
        let lname = e.name.to_lowercase();
        if let Some(v) = lname.strip_prefix("**del.") {
            if let Some(k) = reg.get_mut(&key) {
                k.remove(v);
            }
        } else if lname == "**delvals." {
            reg.entry(key).or_default().clear();
        } else if let Some(v) = lname.strip_prefix("**soft.") {
            reg.entry(key)
                .or_default()
                .entry(v.to_string())
                .or_insert((e.ty, e.data.clone()));
        } else {
            assert!(!lname.starts_with("**"), "unexpected directive {}", e.name);
            reg.entry(key)
                .or_default()
                .insert(lname, (e.ty, e.data.clone()));
        }
    }
}

fn hex_bytes(s: &str) -> Vec<u8> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(|x| u8::from_str_radix(x.trim(), 16).expect("hex byte"))
        .collect()
}

fn utf16z(s: &str) -> Vec<u8> {
    let mut v: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    v.extend([0, 0]);
    v
}

fn unquote(s: &str) -> String {
    let inner = &s[1..s.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next().expect("escaped char"));
        } else {
            out.push(c);
        }
    }
    out
}

/// Applies a `.reg` text (decoded, LF line ends) to `reg`, following regedit's rules for the
/// constructs gpforge writes: `[key]`, `[-key]` (deletes the subtree), `"name"=-`, strings,
/// `dword:`, `hex(N):` with `\` continuations.
pub fn apply_reg(reg: &mut Registry, text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("Windows Registry Editor Version 5.00"));
    let mut key: Option<String> = None;
    let mut pending = String::new();
    for line in lines {
        // Only hex data continues a line: it ends in `,\` (quoted strings end in `"`).
        if line.ends_with(",\\") {
            pending.push_str(line.trim_start().trim_end_matches('\\'));
            continue;
        }
        let line = if pending.is_empty() {
            line.to_string()
        } else {
            let l = format!("{pending}{}", line.trim_start());
            pending.clear();
            l
        };
        if line.is_empty() {
            continue;
        }
        if let Some(k) = line.strip_prefix("[-").and_then(|l| l.strip_suffix(']')) {
            let k = k.to_lowercase();
            reg.retain(|x, _| *x != k && !x.starts_with(&format!("{k}\\")));
            key = None;
            continue;
        }
        if let Some(k) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let k = k.to_lowercase();
            reg.entry(k.clone()).or_default();
            key = Some(k);
            continue;
        }
        let k = key.clone().expect("value line inside a section");
        // The name is a quoted string or @; find the `=` after it.
        let (name, rhs) = if let Some(rest) = line.strip_prefix('@') {
            (
                String::new(),
                rest.strip_prefix('=').expect("=").to_string(),
            )
        } else {
            let mut end = 1;
            let bytes: Vec<char> = line.chars().collect();
            while *bytes
                .get(end)
                .unwrap_or_else(|| panic!("unterminated name in {line:?}"))
                != '"'
            {
                if bytes[end] == '\\' {
                    end += 1;
                }
                end += 1;
            }
            let name: String = bytes[..=end].iter().collect();
            let rest: String = bytes[end + 1..].iter().collect();
            (
                unquote(&name),
                rest.strip_prefix('=').expect("=").to_string(),
            )
        };
        let lname = name.to_lowercase();
        let vals = reg.entry(k).or_default();
        if rhs == "-" {
            vals.remove(&lname);
        } else if rhs.starts_with('"') {
            vals.insert(lname, (1, utf16z(&unquote(&rhs))));
        } else if let Some(d) = rhs.strip_prefix("dword:") {
            assert_eq!(d.len(), 8, "dword with 8 digits");
            let n = u32::from_str_radix(d, 16).expect("dword");
            vals.insert(lname, (4, n.to_le_bytes().to_vec()));
        } else if let Some(h) = rhs.strip_prefix("hex:") {
            vals.insert(lname, (3, hex_bytes(h)));
        } else if let Some(rest) = rhs.strip_prefix("hex(") {
            let (ty, h) = rest.split_once("):").expect("hex(N):");
            let ty = u32::from_str_radix(ty, 16).expect("type");
            vals.insert(lname, (ty, hex_bytes(h)));
        } else {
            panic!("unexpected .reg line: {line}");
        }
    }
}

/// Registry.pol as a snapshot: a decoded listing and a hexdump.
pub fn describe_pol(bytes: &[u8]) -> String {
    let mut s = String::from("# entries\n");
    for e in parse_pol(bytes) {
        let data = match e.ty {
            1 | 2 => format!("{:?}", utf16(&e.data[..e.data.len().saturating_sub(2)])),
            4 => u32::from_le_bytes(e.data[..4].try_into().unwrap()).to_string(),
            11 => u64::from_le_bytes(e.data[..8].try_into().unwrap()).to_string(),
            7 => format!(
                "{:?}",
                utf16(&e.data[..e.data.len().saturating_sub(4)])
                    .split('\0')
                    .collect::<Vec<_>>()
            ),
            _ => e
                .data
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(","),
        };
        s.push_str(&format!(
            "[{}] {:?} type={} size={} {}\n",
            e.key,
            e.name,
            e.ty,
            e.data.len(),
            data
        ));
    }
    s.push_str("\n# hexdump\n");
    for (n, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let ascii: String = chunk
            .iter()
            .map(|&b| {
                if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '.'
                }
            })
            .collect();
        s.push_str(&format!("{:08x}  {:<47}  {ascii}\n", n * 16, hex.join(" ")));
    }
    s
}

/// The text form of any artifact for snapshots.
pub fn describe(path: &std::path::Path, bytes: &[u8]) -> String {
    if path.extension().is_some_and(|e| e == "pol") {
        describe_pol(bytes)
    } else {
        gpforge::backend::text::decode_for_display(bytes)
    }
}

/// Microsoft's store, read in place. Tests that read it are ignored (`gpforge_shared`, set by
/// src/build.rs) unless it is there; run with `--include-ignored`, its absence fails them.
pub fn corpus() -> std::path::PathBuf {
    const CORPUS: &str = "../shared/corpus/windows-1903-office2016/PolicyDefinitions";
    let p = std::path::PathBuf::from(CORPUS);
    assert!(
        p.is_dir(),
        "{CORPUS} is missing (tests that need it are ignored unless ../shared is beside the repository)"
    );
    p
}

/// The vendors' templates (../shared/vendors), read in place.
#[allow(dead_code)]
pub fn vendors() -> std::path::PathBuf {
    const VENDORS: &str = "../shared/vendors";
    let p = std::path::PathBuf::from(VENDORS);
    assert!(
        p.is_dir(),
        "{VENDORS} is missing (tests that need it are ignored unless ../shared is beside the repository)"
    );
    p
}

/// Every file below `dir`, depth first, in no particular order.
#[allow(dead_code)]
pub fn walk(dir: &std::path::Path, f: &mut dyn FnMut(&std::path::Path)) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, f);
        } else {
            f(&p);
        }
    }
}

/// Asserts that a diff between Microsoft's outlk16 and our Outlook template shows no
/// registry-level change on any policy both define (at least 25 of them).
pub fn assert_shared_policies_agree(r: &gpforge::diff::Report) {
    let shared: Vec<&gpforge::diff::Change> = r.templates[0]
        .changes
        .iter()
        .filter(|c| c.subject.starts_with("policy ") && c.what != "removed" && c.what != "added")
        .collect();
    let names: std::collections::BTreeSet<&str> = shared
        .iter()
        .filter_map(|c| c.subject.split(' ').nth(1))
        .collect();
    assert!(names.len() >= 25, "{names:?}");
    let registry: Vec<_> = shared
        .iter()
        .filter(|c| gpforge::diff::alters_registry(c))
        .collect();
    assert!(registry.is_empty(), "{registry:#?}");
}

/// The SARIF 2.1.0 JSON schema that serde-sarif ships.
pub fn sarif_schema() -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .output()
        .expect("cargo metadata");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif in the dependency graph");
    let schema = std::path::Path::new(manifest).with_file_name("src/schema.json");
    serde_json::from_slice(&std::fs::read(&schema).expect("schema.json")).expect("schema")
}

/// The published schema's `language` patterns have a stray `]`, which the draft-07 meta-schema
/// rejects as a regex; they are replaced by the pattern they mean. Returns how many.
pub fn fix_language_patterns(v: &mut serde_json::Value) -> usize {
    const BAD: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match v {
        serde_json::Value::String(s) if s == BAD => {
            *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
            1
        }
        serde_json::Value::Array(a) => a.iter_mut().map(fix_language_patterns).sum(),
        serde_json::Value::Object(o) => o.values_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

/// Copies a folder tree (fixtures into a temporary folder a test may change).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}
