//! LGPO text backend: per baseline, `lgpo.txt` for `LGPO.exe /t lgpo.txt` on a standalone
//! machine (reference/lgpo-text/LGPO-TEXT-FORMAT.md): a Computer section, then a User section,
//! each record four lines (scope, key, value name, action) and a blank line, as `LGPO.exe /parse`
//! prints them. Actions: `DWORD:n`, `QWORD:n`, `SZ:`, `EXSZ:`, `MULTISZ:a\0b`, `BINARY:00,ff`,
//! `DELETE` (a disabled value), `DELETEALLVALUES` with value name `*` (a non-additive list).
//! LGPO text has no escape: a string with a line break cannot be written (B010), and it has no
//! "only if absent" form, so a soft value is written as a plain one with a comment saying so.

use super::{Artifact, Backend, Error, RenderCtx, text};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::PolicySet;
use crate::model::baseline::RegData;
use crate::model::effect::{self, Action, Hive, RegOp};

pub struct Lgpo;

fn data_line(d: &RegData) -> String {
    match d {
        RegData::Dword(n) => format!("DWORD:{n}"),
        RegData::Qword(n) => format!("QWORD:{n}"),
        RegData::Sz(s) => format!("SZ:{s}"),
        RegData::ExpandSz(s) => format!("EXSZ:{s}"),
        RegData::MultiSz(items) => format!("MULTISZ:{}", items.join("\\0")),
        RegData::Binary(b) => format!(
            "BINARY:{}",
            b.iter()
                .map(|x| format!("{x:02x}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// Whether LGPO text can carry the data (no line break in a string).
fn writable(d: &RegData) -> bool {
    match d {
        RegData::Sz(s) | RegData::ExpandSz(s) => !s.contains(['\r', '\n']),
        RegData::MultiSz(items) => items.iter().all(|i| !i.contains(['\r', '\n'])),
        _ => true,
    }
}

/// The LGPO text of a sequence of operations.
pub fn render_ops(title: &str, ops: &[RegOp]) -> String {
    let mut s = format!(
        "; LGPO text of the baseline \"{}\" (gpforge build).\n; Apply on a standalone machine with: LGPO.exe /t lgpo.txt\n\n",
        title.replace(['\r', '\n'], " ")
    );
    for (hive, scope) in [(Hive::Machine, "Computer"), (Hive::User, "User")] {
        let mine: Vec<&RegOp> = ops.iter().filter(|o| o.hive == hive).collect();
        if mine.is_empty() {
            continue;
        }
        for op in mine {
            let (name, action) = match &op.action {
                Action::Set { name, data, soft } => {
                    if !writable(data) {
                        s.push_str(&format!(
                            "; left out: {}\\{name} holds a line break, which LGPO text cannot carry\n\n",
                            op.key
                        ));
                        continue;
                    }
                    if *soft {
                        s.push_str(
                            "; written only when absent by the GPO; LGPO text writes it always\n",
                        );
                    }
                    (name.clone(), data_line(data))
                }
                Action::DeleteValue(name) => (name.clone(), "DELETE".to_string()),
                Action::DeleteAllValues => ("*".to_string(), "DELETEALLVALUES".to_string()),
            };
            let name = if name.is_empty() {
                "(Default)".to_string()
            } else {
                name
            };
            s.push_str(&format!("{scope}\n{}\n{name}\n{action}\n\n", op.key));
        }
    }
    s
}

impl Backend for Lgpo {
    fn check(&self, set: &PolicySet, out: &mut Diagnostics) {
        for b in &set.baselines {
            let t = &set.templates[b.template];
            for s in &b.settings {
                for op in effect::apply(t, s) {
                    if let Action::Set { data, .. } = &op.action
                        && !writable(data)
                    {
                        out.push(
                            Diagnostic::new(
                                Code::B010,
                                format!(
                                    "`{}` is left out of the LGPO text of baseline `{}`: its value holds a line break",
                                    s.id(t),
                                    b.name
                                ),
                            )
                            .at(s.span.clone(), "set here")
                            .note("deliver it with the Registry.pol or the GPO backup"),
                        );
                    }
                }
            }
        }
    }

    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        Ok(set
            .baselines
            .iter()
            .map(|b| {
                let t = &set.templates[b.template];
                let ops = effect::apply_all(t, &b.settings);
                Artifact {
                    path: format!("baselines/{}/lgpo.txt", b.name).into(),
                    bytes: text::crlf(&render_ops(&b.title, &ops)).into_bytes(),
                }
            })
            .collect())
    }
}
