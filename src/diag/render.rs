//! Renders diagnostics for people and tools: rustc-like snippets through codespan-reporting
//! (`human`) and one line per problem (`short`: `path:line:col: severity[code]: message`).
//! Lines and columns are 1-based; columns count characters.

use super::{Diagnostic, Severity};
use crate::source::SourceMap;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let labels = d
        .labels
        .iter()
        .map(|l| {
            let range = l.span.range.start as usize..l.span.range.end as usize;
            let label = if l.primary {
                cs::Label::primary(l.span.file, range)
            } else {
                cs::Label::secondary(l.span.file, range)
            };
            label.with_message(&l.message)
        })
        .collect();
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(d.notes.clone())
}

/// Human form with source snippets. `color` adds ANSI escapes (for a terminal).
pub fn human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let config = term::Config::default();
    let files = sources.files();
    if color {
        let mut buf = term::termcolor::Buffer::ansi();
        for d in diags {
            // A span outside its file would be a bug in the front end; fall back to the short form.
            if term::emit_to_write_style(&mut buf, &config, files, &to_codespan(d)).is_err() {
                return short(diags, sources);
            }
        }
        String::from_utf8_lossy(buf.as_slice()).into_owned()
    } else {
        let mut out = String::new();
        for d in diags {
            if term::emit_to_string(&mut out, &config, files, &to_codespan(d)).is_err() {
                return short(diags, sources);
            }
        }
        out
    }
}

/// One line per diagnostic: `path:line:col: severity[code]: message`.
pub fn short(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let place = match d.primary_span() {
            Some(span) => {
                let (line, col) = sources.line_col(span.file, span.range.start as usize);
                format!("{}:{}:{}: ", sources.name(span.file), line, col)
            }
            None => String::new(),
        };
        out.push_str(&format!(
            "{place}{}[{}]: {}\n",
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}
