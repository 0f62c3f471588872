//! Intune Remediations backend: per baseline, `remediation/detect.ps1` (exit 0 compliant, 1 not,
//! one line per value that differs with its STIG ids), `remediation/remediate.ps1` and
//! `remediation/revert.ps1` (both `-WhatIf`-aware). Each script is a data table rendered here
//! (`$Settings`, one entry per registry operation of the baseline, registry-only settings
//! included) followed by a fixed, reviewed body (`templates/remediation/*.ps1`). No text from the
//! definitions reaches a script outside the data tables (`$Baseline`, `$Settings`): the header
//! comment is fixed, and every string goes through [`ps_string`]: single-quoted PowerShell
//! strings, in which nothing expands, joined with `[char]N` for control characters, so a line
//! break in the data is data (the file's own line ends, CRLF, never touch it) and no value can
//! end a comment or a statement.

use super::{Artifact, Backend, Error, RenderCtx, text};
use crate::model::PolicySet;
use crate::model::baseline::RegData;
use crate::model::effect::{self, Action, Hive};

pub struct Remediation;

/// A PowerShell single-quoted string: its quote characters (`'` and the typographic ones
/// PowerShell also accepts, U+2018–U+201B) doubled; `$`, backticks and line breaks stay literal.
pub fn ps_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Characters written as `[char]N` instead of inside a quoted string: control characters (line
/// ends among them, which the file's CRLF conversion would otherwise rewrite) and the Unicode
/// line and paragraph separators.
fn needs_char_code(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// A PowerShell expression whose value is exactly `s`: [`ps_quote`] when `s` holds no character
/// of [`needs_char_code`], else a parenthesised concatenation that starts with a quoted string
/// (so the value is a string) and writes each such character as `[char]N`:
/// `('a' + [char]10 + 'b')`.
pub fn ps_string(s: &str) -> String {
    if !s.chars().any(needs_char_code) {
        return ps_quote(s);
    }
    let mut parts: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in s.chars() {
        if needs_char_code(c) {
            if !run.is_empty() || parts.is_empty() {
                parts.push(ps_quote(&run));
                run.clear();
            }
            parts.push(format!("[char]{}", c as u32));
        } else {
            run.push(c);
        }
    }
    if !run.is_empty() {
        parts.push(ps_quote(&run));
    }
    format!("({})", parts.join(" + "))
}

fn type_and_data(d: &RegData) -> (&'static str, String) {
    match d {
        RegData::Dword(n) => ("DWord", ps_quote(&n.to_string())),
        RegData::Qword(n) => ("QWord", ps_quote(&n.to_string())),
        RegData::Sz(s) => ("String", ps_string(s)),
        RegData::ExpandSz(s) => ("ExpandString", ps_string(s)),
        RegData::MultiSz(items) => (
            "MultiString",
            format!(
                "@({})",
                items
                    .iter()
                    .map(|i| ps_string(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        RegData::Binary(b) => (
            "Binary",
            ps_quote(
                &b.iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ),
    }
}

/// The STIG rules that check value `name`, as the scripts test them: the same conditions the
/// audit applies (`audit::meets`), from the same data. `@()` when no rule checks it (the value
/// is then tested for equality with the baseline's).
fn rules(stig: &[crate::model::Stig], name: &str) -> String {
    use crate::model::policy::Cond;
    let items: Vec<String> = stig
        .iter()
        .filter_map(|r| r.check.as_ref().map(|c| (r, c)))
        .filter(|(_, c)| c.value.eq_ignore_ascii_case(name))
        .map(|(r, c)| {
            let (op, data): (&str, Vec<String>) = match &c.cond {
                Cond::Equals(n) => ("Equals", vec![n.to_string()]),
                Cond::EqualsText(t) => ("EqualsText", vec![t.clone()]),
                Cond::AtLeast(n) => ("AtLeast", vec![n.to_string()]),
                Cond::AtMost(n) => ("AtMost", vec![n.to_string()]),
                Cond::OneOf(v) => ("OneOf", v.iter().map(u64::to_string).collect()),
                Cond::Present => ("Present", Vec::new()),
                Cond::Absent => ("Absent", Vec::new()),
            };
            format!(
                "@{{ Id = {}; Op = {}; Data = @({}) }}",
                ps_string(&r.id),
                ps_string(op),
                data.iter()
                    .map(|d| ps_string(d))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    format!("@({})", items.join(", "))
}

/// The `$Settings` table of a baseline.
pub fn table(set: &PolicySet, b: &crate::model::baseline::Baseline) -> String {
    let t = &set.templates[b.template];
    let mut s = String::from("$Settings = @(\n");
    for setting in &b.settings {
        let stig: Vec<&str> = setting.stig.iter().map(|x| x.id.as_str()).collect();
        for op in effect::apply(t, setting) {
            let class = if op.hive == Hive::Machine {
                "Machine"
            } else {
                "User"
            };
            let head = format!(
                "    @{{ Id = {}; Stig = {}; Class = {}; Key = {}",
                ps_string(setting.id(t)),
                ps_string(&stig.join(", ")),
                ps_string(class),
                ps_string(&op.key)
            );
            let line = match &op.action {
                Action::Set { name, data, .. } => {
                    let (ty, data) = type_and_data(data);
                    format!(
                        "{head}; Name = {}; Action = 'Set'; Type = {}; Data = {data}; Rules = {} }}",
                        ps_string(name),
                        ps_string(ty),
                        rules(&setting.stig, name)
                    )
                }
                Action::DeleteValue(name) => format!(
                    "{head}; Name = {}; Action = 'Delete'; Type = ''; Data = '' }}",
                    ps_string(name)
                ),
                Action::DeleteAllValues => {
                    format!("{head}; Name = ''; Action = 'DeleteAll'; Type = ''; Data = '' }}")
                }
            };
            s.push_str(&line);
            s.push('\n');
        }
    }
    s.push_str(")\n");
    s
}

const COMMON: &str = include_str!("../../templates/remediation/common.ps1");

/// The `$Baseline` table: the baseline's name and title, as data.
fn header_table(b: &crate::model::baseline::Baseline) -> String {
    format!(
        "$Baseline = @{{ Name = {}; Title = {} }}\n",
        ps_string(&b.name),
        ps_string(&b.title)
    )
}

fn script(set: &PolicySet, b: &crate::model::baseline::Baseline, what: &str, body: &str) -> String {
    format!(
        "<#\n{what} of a gpforge baseline (generated by gpforge build; the baseline's name and title\nare in $Baseline below). Run as SYSTEM (Intune's default), User-class settings go to every\nuser profile of the device (ProfileList: loaded hives under HKEY_USERS, other profiles'\nNTUSER.DAT loaded and unloaded again); run as a user, to that user's HKCU. Machine-class\nsettings go to HKLM.\n#>\n[CmdletBinding(SupportsShouldProcess)]\nparam()\n\n{}{}\n{COMMON}{body}",
        header_table(b),
        table(set, b)
    )
}

impl Backend for Remediation {
    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        let mut out = Vec::new();
        for b in &set.baselines {
            for (file, what, body) in [
                (
                    "detect.ps1",
                    "Detection script",
                    include_str!("../../templates/remediation/detect.ps1"),
                ),
                (
                    "remediate.ps1",
                    "Remediation script",
                    include_str!("../../templates/remediation/remediate.ps1"),
                ),
                (
                    "revert.ps1",
                    "Revert script",
                    include_str!("../../templates/remediation/revert.ps1"),
                ),
            ] {
                out.push(Artifact {
                    path: format!("baselines/{}/remediation/{file}", b.name).into(),
                    // UTF-8 with a BOM: Windows PowerShell 5.1 reads BOM-less files as ANSI.
                    bytes: text::utf8_bom_crlf(&script(set, b, what, body)),
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(ps_string("a\nb"), "('a' + [char]10 + 'b')");
        assert_eq!(ps_string("\r\n"), "('' + [char]13 + [char]10)");
        assert_eq!(ps_string("x#>"), "'x#>'");
        assert_eq!(ps_quote("a'b"), "'a''b'");
        assert_eq!(ps_quote("$x `n"), "'$x `n'");
        assert_eq!(ps_quote("\u{2019}"), "'\u{2019}\u{2019}'");
    }
}
