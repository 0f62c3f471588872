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
