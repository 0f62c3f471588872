//! `.reg` backend: per baseline, `apply.reg` (what GPMC would write for the baseline's states) and
//! `revert.reg` (every touched value back to "not configured"). Writer rules from
//! reference/realclients.md §2.3, which Wine's `reg import` and hivex both accept identically:
//! the v5 header and a blank line, full root names, a blank line after every section, `"name"=…`
//! with no spaces, `dword:` with 8 lowercase hex digits, only `\\` and `\"` escaped, strings with
//! control characters as `hex(1)`, REG_EXPAND_SZ as `hex(2)`, no comments, no trailing spaces.

use super::{Artifact, Backend, Error, RenderCtx, text};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::PolicySet;
use crate::model::baseline::RegData;
use crate::model::effect::{self, Action, RegOp};
use std::fmt::Write;

pub struct Reg;

impl Backend for Reg {
    /// B005: `.reg` has no "delete all values" line; a non-additive list becomes a key deletion,
    /// which must not hit values of other settings.
    fn check(&self, set: &PolicySet, out: &mut Diagnostics) {
        for b in &set.baselines {
            let t = &set.templates[b.template];
            let all: Vec<(RegOp, usize)> = b
                .settings
                .iter()
                .enumerate()
                .flat_map(|(i, s)| effect::apply(t, s).into_iter().map(move |op| (op, i)))
                .collect();
            for (op, i) in &all {
                if op.action != Action::DeleteAllValues {
                    continue;
                }
                let shared = all.iter().any(|(o, j)| {
                    j != i
                        && o.hive == op.hive
                        && (o.key.eq_ignore_ascii_case(&op.key)
                            || o.key
                                .to_lowercase()
                                .starts_with(&format!("{}\\", op.key.to_lowercase())))
                });
                if shared {
                    out.push(
                        Diagnostic::new(
                            Code::B005,
                            format!(
                                "`{}` clears key `{}`, which other settings of baseline `{}` also write",
                                b.settings[*i].id(t),
                                op.key,
                                b.name
                            ),
                        )
                        .at(b.settings[*i].span.clone(), "its list key is shared")
                        .note("apply.reg deletes and re-creates the key; Registry.pol clears only its values"),
                    );
                }
            }
        }
    }

    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        let mut out = Vec::new();
        for b in &set.baselines {
            let t = &set.templates[b.template];
            let apply = effect::apply_all(t, &b.settings);
            let revert: Vec<RegOp> = b
                .settings
                .iter()
                .flat_map(|s| effect::revert(t, s))
                .collect();
            for (file, ops) in [("apply.reg", apply), ("revert.reg", revert)] {
                out.push(Artifact {
                    path: format!("baselines/{}/{file}", b.name).into(),
                    bytes: text::utf16le_bom_crlf(&render_ops(&ops)),
                });
            }
        }
        Ok(out)
    }
}

/// The `.reg` text (with `\n`; the encoder adds CR) of a sequence of operations. Consecutive
/// operations on one key share a section.
pub fn render_ops(ops: &[RegOp]) -> String {
    let mut s = String::from("Windows Registry Editor Version 5.00\n");
    let mut open: Option<(String, String)> = None;
    for op in ops {
        let path = format!("{}\\{}", op.hive.root(), op.key);
        if op.action == Action::DeleteAllValues {
            // No .reg line deletes only the values: delete the key and create it again.
            let _ = write!(s, "\n[-{path}]\n\n[{path}]\n");
            open = Some((path.to_lowercase(), path));
            continue;
        }
        if open.as_ref().is_none_or(|(k, _)| *k != path.to_lowercase()) {
            let _ = write!(s, "\n[{path}]\n");
            open = Some((path.to_lowercase(), path));
        }
        match &op.action {
            Action::Set { name, data, .. } => value_line(&mut s, name, data),
            Action::DeleteValue(name) => {
                let _ = writeln!(s, "{}=-", quoted_name(name));
            }
            Action::DeleteAllValues => {}
        }
    }
    s.push('\n');
    s
}

fn quoted_name(name: &str) -> String {
    if name.is_empty() {
        "@".to_string()
    } else {
        format!("\"{}\"", escape(name))
    }
}

/// Only `\` and `"` are escaped in .reg strings (KB310516; Wine's regproc.c).
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn value_line(s: &mut String, name: &str, data: &RegData) {
    let lhs = quoted_name(name);
    match data {
        RegData::Sz(v) if !v.chars().any(char::is_control) => {
            let _ = writeln!(s, "{lhs}=\"{}\"", escape(v));
        }
        RegData::Dword(d) => {
            let _ = writeln!(s, "{lhs}={}", format_args!("dword:{d:08x}"));
        }
        // Strings with CR, LF or other control characters have no escape: write their bytes.
        RegData::Sz(_) => hex_line(s, &lhs, "hex(1)", &data.to_bytes()),
        RegData::ExpandSz(_) => hex_line(s, &lhs, "hex(2)", &data.to_bytes()),
        RegData::MultiSz(_) => hex_line(s, &lhs, "hex(7)", &data.to_bytes()),
        RegData::Qword(_) => hex_line(s, &lhs, "hex(b)", &data.to_bytes()),
        RegData::Binary(b) => hex_line(s, &lhs, "hex", b),
    }
}

/// `"name"=hex(N):01,02,…` wrapped like regedit's export: lines end in `,\` before column 80 and
/// continue indented by two spaces (formats.md §3.4).
fn hex_line(s: &mut String, lhs: &str, tag: &str, bytes: &[u8]) {
    let mut line = format!("{lhs}={tag}:");
    for (i, b) in bytes.iter().enumerate() {
        let last = i + 1 == bytes.len();
        let piece = if last {
            format!("{b:02x}")
        } else {
            format!("{b:02x},")
        };
        if line.len() + piece.len() > 78 && !last {
            s.push_str(&line);
            s.push_str("\\\n");
            line = String::from("  ");
        }
        line.push_str(&piece);
    }
    s.push_str(&line);
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::effect::Hive;

    fn op(action: Action) -> RegOp {
        RegOp {
            hive: Hive::User,
            key: "Software\\Policies\\X".into(),
            action,
        }
    }

    #[test]
    fn values_and_sections() {
        let text = render_ops(&[
            op(Action::Set {
                name: "a\"b".into(),
                data: RegData::Sz("C:\\x".into()),
                soft: false,
            }),
            op(Action::Set {
                name: "n".into(),
                data: RegData::Dword(168),
                soft: false,
            }),
            op(Action::Set {
                name: "l".into(),
                data: RegData::Sz("a\nb".into()),
                soft: false,
            }),
            op(Action::DeleteValue("gone".into())),
        ]);
        assert_eq!(
            text,
            "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software\\Policies\\X]\n\
             \"a\\\"b\"=\"C:\\\\x\"\n\"n\"=dword:000000a8\n\"l\"=hex(1):61,00,0a,00,62,00,00,00\n\
             \"gone\"=-\n\n"
        );
    }

    #[test]
    fn long_hex_wraps_below_80_columns() {
        let mut s = String::new();
        hex_line(&mut s, "\"v\"", "hex", &[0xab; 100]);
        assert!(s.lines().all(|l| l.len() <= 80), "{s}");
        assert!(s.lines().skip(1).all(|l| l.starts_with("  ")));
        let bytes: usize = s.matches("ab").count();
        assert_eq!(bytes, 100);
    }
}
