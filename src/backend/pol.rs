//! `Registry.pol` backend: per baseline, a GPO-backup-ready folder with `User/Registry.pol`,
//! `Machine/Registry.pol` (when the baseline writes that half) and `gpt.ini`.
//! Encoding: MS-GPREG §2.2.1 and reference/formats.md §4, with the writer rules that Samba's
//! parser re-encodes byte for byte (realclients.md §3.3): header `PReg` + version 1; entries
//! `[key\0;name\0;type;size;data]` in UTF-16LE; strings NUL-terminated (an empty one is `00 00`);
//! nothing after the last `]`.

use super::{Artifact, Backend, Error, RenderCtx, text};
use crate::model::PolicySet;
use crate::model::baseline::{RegData, utf16z};
use crate::model::effect::{self, Action, Hive, RegOp};

pub struct Pol;

/// The registry client-side extension and the Administrative Templates tool GUIDs that make a
/// client process Registry.pol (MS-GPREG §1.9; formats.md §4.4). Sorted as MS-GPOL §2.2.4 demands.
const CSE_MACHINE: &str =
    "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]";
const CSE_USER: &str =
    "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]";

impl Backend for Pol {
    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        let mut out = Vec::new();
        for b in &set.baselines {
            let t = &set.templates[b.template];
            let ops = effect::apply_all(t, &b.settings);
            let mut halves = Vec::new();
            for hive in [Hive::Machine, Hive::User] {
                let mine: Vec<&RegOp> = ops.iter().filter(|o| o.hive == hive).collect();
                if mine.is_empty() {
                    continue;
                }
                halves.push(hive);
                out.push(Artifact {
                    path: format!("baselines/{}/{}/Registry.pol", b.name, hive.folder()).into(),
                    bytes: encode(mine.into_iter()),
                });
            }
            out.push(Artifact {
                path: format!("baselines/{}/gpt.ini", b.name).into(),
                bytes: text::ascii_crlf(&gpt_ini(&b.title, &halves)),
            });
        }
        Ok(out)
    }
}

/// `gpt.ini` of a GPO whose halves in `halves` have been written once: the version's upper 16
/// bits count user changes, the lower 16 machine changes (MS-GPOL §3.3.4.5).
pub fn gpt_ini(title: &str, halves: &[Hive]) -> String {
    let mut s = String::from("[General]\n");
    let mut version = 0u32;
    if halves.contains(&Hive::Machine) {
        s.push_str(&format!("gPCMachineExtensionNames={CSE_MACHINE}\n"));
        version |= 1;
    }
    if halves.contains(&Hive::User) {
        s.push_str(&format!("gPCUserExtensionNames={CSE_USER}\n"));
        version |= 1 << 16;
    }
    s.push_str(&format!("Version={version}\ndisplayName={title}\n"));
    s
}

/// The data GPMC writes for the `**del.` and `**delvals.` directives: one space and a NUL
/// (formats.md §4.2, seen in DISA's GPMC-written Outlook GPO).
const DIRECTIVE_DATA: &str = " ";

/// A complete PReg v1 file.
pub fn encode<'a>(ops: impl Iterator<Item = &'a RegOp>) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(b"PReg");
    out.extend_from_slice(&1u32.to_le_bytes());
    for op in ops {
        match &op.action {
            Action::Set { name, data, soft } => {
                let name = if *soft {
                    format!("**soft.{name}")
                } else {
                    name.clone()
                };
                entry(&mut out, &op.key, &name, data);
            }
            Action::DeleteValue(name) => entry(
                &mut out,
                &op.key,
                &format!("**del.{name}"),
                &RegData::Sz(DIRECTIVE_DATA.into()),
            ),
            Action::DeleteAllValues => entry(
                &mut out,
                &op.key,
                "**delvals.",
                &RegData::Sz(DIRECTIVE_DATA.into()),
            ),
        }
    }
    out
}

/// `[key\0;name\0;type;size;data]`: brackets and semicolons are UTF-16LE characters; the size
/// counts the data bytes including string NULs (MS-GPREG §2.2.1).
fn entry(out: &mut Vec<u8>, key: &str, name: &str, data: &RegData) {
    let bytes = data.to_bytes();
    out.extend_from_slice(&[b'[', 0]);
    utf16z(key, out);
    out.extend_from_slice(&[b';', 0]);
    utf16z(name, out);
    out.extend_from_slice(&[b';', 0]);
    out.extend_from_slice(&data.type_number().to_le_bytes());
    out.extend_from_slice(&[b';', 0]);
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(&[b';', 0]);
    out.extend_from_slice(&bytes);
    out.extend_from_slice(&[b']', 0]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dword_entry_bytes() {
        let op = RegOp {
            hive: Hive::User,
            key: "K".into(),
            action: Action::Set {
                name: "v".into(),
                data: RegData::Dword(168),
                soft: false,
            },
        };
        let b = encode(std::iter::once(&op));
        assert_eq!(
            b,
            [
                b"PReg".as_slice(),
                &[1, 0, 0, 0],
                &[b'[', 0, b'K', 0, 0, 0, b';', 0, b'v', 0, 0, 0, b';', 0],
                &[
                    4, 0, 0, 0, b';', 0, 4, 0, 0, 0, b';', 0, 168, 0, 0, 0, b']', 0
                ],
            ]
            .concat()
        );
    }

    #[test]
    fn delete_is_a_space_and_nul() {
        let op = RegOp {
            hive: Hive::User,
            key: "K".into(),
            action: Action::DeleteValue("x".into()),
        };
        let b = encode(std::iter::once(&op));
        assert!(b.ends_with(&[
            1, 0, 0, 0, b';', 0, 4, 0, 0, 0, b';', 0, 0x20, 0, 0, 0, b']', 0
        ]));
    }

    #[test]
    fn gpt_versions() {
        assert!(gpt_ini("x", &[Hive::User]).contains("Version=65536\n"));
        assert!(gpt_ini("x", &[Hive::Machine, Hive::User]).contains("Version=65537\n"));
    }
}

/// `Version=` of a `gpt.ini`.
fn version_of(gpt: &[u8]) -> Option<u32> {
    String::from_utf8_lossy(gpt)
        .lines()
        .find_map(|l| l.trim().strip_prefix("Version="))
        .and_then(|v| v.trim().parse().ok())
}

/// Raises each baseline's `gpt.ini` version over the previous build's (read with `previous`,
/// by path relative to the output folder) for every half whose `Registry.pol` changed, as GPMC
/// does when a GPO is edited (MS-GPOL §3.3.4.5: user changes count in the upper 16 bits, machine
/// changes in the lower 16), so clients that applied the GPO read it again. Without a previous
/// `gpt.ini` the version stays the first one; equal bytes keep the previous version, so a
/// rebuild writes nothing. Deterministic: it depends only on the two builds.
pub fn raise_versions(
    artifacts: &mut [Artifact],
    previous: &dyn Fn(&std::path::Path) -> Option<Vec<u8>>,
) {
    let pols: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> = artifacts
        .iter()
        .filter(|a| a.path.ends_with("Registry.pol"))
        .map(|a| (a.path.clone(), a.bytes.clone()))
        .collect();
    for a in artifacts.iter_mut() {
        if a.path.file_name().is_none_or(|n| n != "gpt.ini") {
            continue;
        }
        let Some(old) = previous(&a.path).as_deref().and_then(version_of) else {
            continue;
        };
        let Some(dir) = a.path.parent() else {
            continue;
        };
        let (mut user, mut machine) = (old >> 16, old & 0xFFFF);
        for (half, counter) in [("User", &mut user), ("Machine", &mut machine)] {
            let path = dir.join(half).join("Registry.pol");
            let new = pols.get(&path);
            let before = previous(&path);
            if new.map(Vec::as_slice) != before.as_deref() {
                *counter = (*counter + 1) & 0xFFFF;
            }
        }
        let version = (user << 16) | machine;
        let text = String::from_utf8_lossy(&a.bytes).into_owned();
        let text: String = text
            .split_inclusive('\n')
            .map(|l| {
                if l.starts_with("Version=") {
                    format!("Version={version}\r\n")
                } else {
                    l.to_string()
                }
            })
            .collect();
        a.bytes = text.into_bytes();
    }
}

#[cfg(test)]
mod versions {
    use super::*;

    #[test]
    fn a_changed_half_raises_its_counter() {
        let gpt = |v: u32| format!("[General]\r\nVersion={v}\r\ndisplayName=x\r\n").into_bytes();
        let art = |p: &str, b: &[u8]| Artifact {
            path: p.into(),
            bytes: b.to_vec(),
        };
        let mut arts = vec![
            art("b/x/gpt.ini", &gpt(65536)),
            art("b/x/User/Registry.pol", b"new"),
        ];
        let prev = |p: &std::path::Path| -> Option<Vec<u8>> {
            match p.to_str()? {
                "b/x/gpt.ini" => Some(gpt(3 << 16)),
                "b/x/User/Registry.pol" => Some(b"old".to_vec()),
                _ => None,
            }
        };
        raise_versions(&mut arts, &prev);
        assert_eq!(version_of(&arts[0].bytes), Some(4 << 16));
        // Unchanged: the previous version stays.
        let mut same = vec![
            art("b/x/gpt.ini", &gpt(65536)),
            art("b/x/User/Registry.pol", b"old"),
        ];
        raise_versions(&mut same, &prev);
        assert_eq!(version_of(&same[0].bytes), Some(3 << 16));
        // No previous build: the first version.
        let mut first = vec![art("b/x/gpt.ini", &gpt(65536))];
        raise_versions(&mut first, &|_| None);
        assert_eq!(version_of(&first[0].bytes), Some(65536));
    }
}
