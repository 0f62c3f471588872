//! The one text policy of the definitions: every string (and key) of every definitions file is
//! checked here, once, before anything is lowered. What no output format can carry is refused
//! with D040 at the string's span:
//! - C0 control characters other than tab, CR and LF: XML 1.0 has no way to write them (not even
//!   as `&#1;`), so the ADMX/ADML would not be XML; NUL ends a string in `.reg`, `Registry.pol`
//!   and the registry itself, so Wine/Samba and hivex/regpol read different data;
//! - U+FFFE and U+FFFF: not XML characters either.
//!
//! Narrower rules live with the values they concern: registry keys and value names take no
//! control character at all (D011/D012, `model::id`), multi-string items are not empty and hold
//! no U+F000 (Intune's separator) and no line break (D022, baseline lowering).

use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span};
use toml::de::{DeTable, DeValue};

/// The first character of `s` that no output format can carry, with its byte offset.
pub fn forbidden_char(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    })
}

/// Checks every string and key of a parsed TOML file.
pub fn check_file(file: FileId, text: &str, diags: &mut Diagnostics) {
    // A string can hold a forbidden character only if the text does, or through an escape
    // that writes any character (`\u`, `\U`, `\x`, `\e`, `\b`, `\f`): a file with neither
    // needs no second parse.
    let escapes = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\\' && matches!(w[1], b'u' | b'U' | b'x' | b'e' | b'b' | b'f'));
    if !escapes && forbidden_char(text).is_none() {
        return;
    }
    // Syntax errors are the deserializer's to report (D001).
    if let Ok(t) = DeTable::parse(text) {
        table(file, t.get_ref(), diags);
    }
}

fn report(
    file: FileId,
    s: &str,
    span: std::ops::Range<usize>,
    what: &str,
    diags: &mut Diagnostics,
) {
    if let Some((_, c)) = forbidden_char(s) {
        diags.push(
            Diagnostic::new(
                Code::D040,
                format!("{what} contains the character U+{:04X}, which no output format can carry", c as u32),
            )
            .at(Span::new(file, span), "here")
            .note("XML has no way to write C0 control characters (but tab, CR, LF) or U+FFFE/U+FFFF, and NUL ends a registry string"),
        );
    }
}

fn table(file: FileId, t: &DeTable<'_>, diags: &mut Diagnostics) {
    for (k, v) in t {
        report(file, k.get_ref(), k.span(), "a key", diags);
        value(file, v.get_ref(), v.span(), diags);
    }
}

fn value(file: FileId, v: &DeValue<'_>, span: std::ops::Range<usize>, diags: &mut Diagnostics) {
    match v {
        DeValue::String(s) => report(file, s, span, "a string", diags),
        DeValue::Array(a) => {
            for x in a.iter() {
                value(file, x.get_ref(), x.span(), diags);
            }
        }
        DeValue::Table(t) => table(file, t, diags),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_and_key_is_checked() {
        let text = "a = \"ok\\ttab\"\n[t]\nb = [\"x\", \"y\\u0001\"]\n\"k\\u0000\" = 1\nc = '''\nline\n'''\nd = \"\\uFFFF\"\n";
        let mut d = Diagnostics::new();
        check_file(0, text, &mut d);
        let found: Vec<_> = d.iter().map(|d| d.message.clone()).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("U+0001"), "{found:?}");
    }
}
