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

/// A location as tools want it: path, 1-based line and column of start and end.
fn location(span: &super::Span, sources: &SourceMap) -> serde_json::Value {
    let (line, column) = sources.line_col(span.file, span.range.start as usize);
    let (end_line, end_column) = sources.line_col(span.file, span.range.end as usize);
    serde_json::json!({
        "file": sources.name(span.file),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
    })
}

/// Every diagnostic as a JSON value (an array), for scripts.
pub fn json(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    serde_json::Value::Array(
        diags
            .iter()
            .map(|d| {
                let labels: Vec<_> = d
                    .labels
                    .iter()
                    .map(|l| {
                        let mut v = location(&l.span, sources);
                        v["message"] = l.message.clone().into();
                        v["primary"] = l.primary.into();
                        v
                    })
                    .collect();
                let mut v = serde_json::json!({
                    "code": d.code.as_str(),
                    "severity": d.severity.as_str(),
                    "title": d.code.title(),
                    "message": d.message,
                    "labels": labels,
                    "notes": d.notes,
                });
                if let Some(s) = d.primary_span() {
                    v["location"] = location(s, sources);
                }
                v
            })
            .collect(),
    )
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn sarif_location(span: &super::Span, sources: &SourceMap, message: &str) -> serde_json::Value {
    let (start_line, start_column) = sources.line_col(span.file, span.range.start as usize);
    let (end_line, end_column) = sources.line_col(span.file, span.range.end as usize);
    let mut loc = serde_json::json!({
        "physicalLocation": {
            "artifactLocation": { "uri": sources.name(span.file) },
            "region": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            }
        }
    });
    if !message.is_empty() {
        loc["message"] = serde_json::json!({ "text": message });
    }
    loc
}

/// SARIF 2.1.0 log with one run: the rules used, then one result per diagnostic.
pub fn sarif(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    let mut used: Vec<super::Code> = diags.iter().map(|d| d.code).collect();
    used.sort();
    used.dedup();
    let rules: Vec<_> = used
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "name": c.title(),
                "shortDescription": { "text": c.title() },
                "fullDescription": { "text": c.doc().trim() },
                "help": { "text": format!("gpforge explain {}", c.as_str()) },
                "defaultConfiguration": { "level": sarif_level(c.severity()) },
            })
        })
        .collect();
    let results: Vec<_> = diags
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            for n in &d.notes {
                text.push('\n');
                text.push_str(n);
            }
            let mut r = serde_json::json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": used.binary_search(&d.code).unwrap_or(0),
                "level": sarif_level(d.severity),
                "message": { "text": text },
            });
            if let Some(primary) = d.labels.iter().find(|l| l.primary) {
                r["locations"] =
                    serde_json::json!([sarif_location(&primary.span, sources, &primary.message)]);
            }
            let related: Vec<_> = d
                .labels
                .iter()
                .filter(|l| !l.primary)
                .enumerate()
                .map(|(i, l)| {
                    let mut v = sarif_location(&l.span, sources, &l.message);
                    v["id"] = i.into();
                    v
                })
                .collect();
            if !related.is_empty() {
                r["relatedLocations"] = related.into();
            }
            r
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "gpforge",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/gpforge/gpforge",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}
