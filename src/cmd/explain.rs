//! `gpforge explain`: what a diagnostic code checks, why, and an example.

use super::*;
use crate::diag::Code;
use crate::diag::render::pretty;

/// Markdown of the codes' documentation as plain terminal text: `**What:**` → `What:`,
/// `` `x` `` → `x`.
fn terminal_text(md: &str) -> String {
    md.replace("**", "").replace('`', "")
}

/// A part of a code's documentation (`What`, `Why`, `Example`), as written.
fn doc_part(doc: &str, name: &str) -> String {
    let tag = format!("**{name}:**");
    let Some(i) = doc.find(&tag) else {
        return String::new();
    };
    let rest = &doc[i + tag.len()..];
    let end = ["**What:**", "**Why:**", "**Example:**"]
        .iter()
        .filter_map(|t| rest.find(t))
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim().to_string()
}

fn explain(code: Option<&str>, format: crate::cli::ExplainFormat) -> Outcome {
    use crate::cli::ExplainFormat;
    if format == ExplainFormat::Json {
        let view = |c: Code| {
            let v = CodeView::of(c);
            serde_json::json!({
                "code": v.code,
                "title": v.title,
                "severity": v.severity,
                "what": doc_part(&v.doc, "What"),
                "why": doc_part(&v.doc, "Why"),
                "example": doc_part(&v.doc, "Example"),
                "markdown": v.doc,
            })
        };
        return match code {
            Some(c) => match Code::parse(c) {
                Some(code) => Outcome {
                    stdout: pretty(&view(code)),
                    ..Outcome::default()
                },
                None => Outcome {
                    code: EXIT_FAILURE,
                    stderr: format!("error: unknown code `{c}`; `gpforge explain` lists them\n"),
                    ..Outcome::default()
                },
            },
            None => Outcome {
                stdout: pretty(&serde_json::Value::Array(
                    Code::ALL.iter().map(|c| view(*c)).collect(),
                )),
                ..Outcome::default()
            },
        };
    }
    let mut o = explain_markdown(code);
    if format == ExplainFormat::Human {
        o.stdout = terminal_text(&o.stdout);
    }
    o
}

fn explain_markdown(code: Option<&str>) -> Outcome {
    let mut hb = handlebars::Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    let mut o = Outcome::default();
    let result = match code {
        Some(c) => match Code::parse(c) {
            Some(code) => hb.render_template(
                include_str!("../../templates/explain/code.txt.hbs"),
                &CodeView::of(code),
            ),
            None => {
                o.code = EXIT_FAILURE;
                o.stderr = format!("error: unknown code `{c}`; `gpforge explain` lists them\n");
                return o;
            }
        },
        None => hb.render_template(
            include_str!("../../templates/explain/list.txt.hbs"),
            &ListView {
                codes: Code::ALL.iter().map(|c| CodeView::of(*c)).collect(),
            },
        ),
    };
    match result {
        Ok(text) => o.stdout = text,
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
        }
    }
    o
}

#[derive(serde::Serialize)]
struct CodeView {
    code: &'static str,
    title: &'static str,
    severity: &'static str,
    doc: String,
}

impl CodeView {
    fn of(c: Code) -> Self {
        CodeView {
            code: c.as_str(),
            title: c.title(),
            severity: if Code::TOLERATED.contains(&c) {
                "warning; error under --strict"
            } else if crate::validate::checks::SCHEMA_ONLY.contains(&c) {
                "warning; schema-only: off under profile gpmc unless selected, an error under profile schema"
            } else if crate::validate::checks::PEDANTIC.contains(&c) {
                "warning; pedantic: off unless selected"
            } else {
                c.severity().as_str()
            },
            doc: c
                .doc()
                .lines()
                .map(|l| l.strip_prefix(' ').unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_string(),
        }
    }
}

#[derive(serde::Serialize)]
struct ListView {
    codes: Vec<CodeView>,
}

/// `gpforge explain`.
pub fn run(args: crate::cli::ExplainArgs) -> Outcome {
    explain(args.code.as_deref(), args.format)
}
