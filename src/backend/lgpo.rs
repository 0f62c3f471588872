//! LGPO text backend: per baseline, `lgpo.txt` for `LGPO.exe /t lgpo.txt` on a standalone
//! machine (reference/lgpo-text/LGPO-TEXT-FORMAT.md): a Computer section, then a User section,
//! each record four lines (scope, key, value name, action) and a blank line, as `LGPO.exe /parse`
//! prints them. Actions: `DWORD:n`, `QWORD:n`, `SZ:`, `EXSZ:`, `MULTISZ:a\0b`, `BINARY:00,ff`,
//! `DELETE` (a disabled value), `DELETEALLVALUES` with value name `*` (a non-additive list).
//! LGPO text has no escape: what it cannot carry exactly (a line break in data, a name starting
//! with `;` or with outer spaces, a value named `(Default)`, a list item holding `\0`) is left
//! out with a comment and a warning (B010, [`problem`]), never written to be misread; and it has
//! no "only if absent" form, so a soft value is written as a plain one with a comment saying so.

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

/// Why LGPO text cannot carry a name or key line: readers (`LGPO.exe`, gpforge's own) take a line
/// starting with `;` for a comment, trim outer white space, and read `(Default)` as the default
/// value; a blank line ends a record.
fn line_problem(what: &str, s: &str) -> Option<String> {
    if s.contains(['\r', '\n']) {
        Some(format!("its {what} holds a line break"))
    } else if s.trim_start().starts_with(';') {
        Some(format!(
            "its {what} starts with `;`, which LGPO text reads as a comment"
        ))
    } else if s.trim() != s {
        Some(format!(
            "its {what} has outer white space, which LGPO text trims"
        ))
    } else if what == "value name" && s.eq_ignore_ascii_case("(default)") {
        Some("its value name is `(Default)`, which LGPO text reads as the default value".into())
    } else {
        None
    }
}

/// Why LGPO text cannot carry the data, if it cannot: a line break in a string (the data runs to
/// the end of the line; there is no escape), or a multi-string item holding the two characters
/// `\0` (the item separator) or empty (readers skip empty items).
fn data_problem(d: &RegData) -> Option<String> {
    match d {
        RegData::Sz(s) | RegData::ExpandSz(s) if s.contains(['\r', '\n']) => {
            Some("its value holds a line break".into())
        }
        RegData::MultiSz(items) if items.iter().any(|i| i.contains(['\r', '\n'])) => {
            Some("its value holds a line break".into())
        }
        RegData::MultiSz(items) if items.iter().any(|i| i.contains("\\0")) => {
            Some("an item of its list holds `\\0`, LGPO text's item separator".into())
        }
        RegData::MultiSz(items) if items.iter().any(String::is_empty) => {
            Some("its list holds an empty item, which LGPO text cannot write".into())
        }
        _ => None,
    }
}

/// Why LGPO text cannot carry an operation exactly, if it cannot (B010).
pub fn problem(op: &RegOp) -> Option<String> {
    line_problem("key", &op.key).or_else(|| match &op.action {
        Action::Set { name, data, .. } => (!name.is_empty())
            .then(|| line_problem("value name", name))
            .flatten()
            .or_else(|| data_problem(data)),
        Action::DeleteValue(name) => (!name.is_empty())
            .then(|| line_problem("value name", name))
            .flatten(),
        Action::DeleteAllValues => None,
    })
}

/// A name or key for a comment line: control characters escaped, so the comment stays one line.
fn for_comment(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
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
            if let Some(why) = problem(op) {
                let name = match &op.action {
                    Action::Set { name, .. } | Action::DeleteValue(name) => name.as_str(),
                    Action::DeleteAllValues => "*",
                };
                s.push_str(&format!(
                    "; left out: {}\\{}: {why} (B010)\n\n",
                    for_comment(&op.key),
                    for_comment(name)
                ));
                continue;
            }
            let (name, action) = match &op.action {
                Action::Set { name, data, soft } => {
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
                    if let Some(why) = problem(&op) {
                        out.push(
                            Diagnostic::new(
                                Code::B010,
                                format!(
                                    "`{}` is left out of the LGPO text of baseline `{}`: {why}",
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
