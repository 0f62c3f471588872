//! Family `strings`: does every `$(string.X)` and `$(presentation.X)` of an ADMX resolve in each
//! of its ADMLs, and are the strings themselves sound (not empty, not pretty-printed, not
//! defined twice, display names not over-long)? Input: the facts of an ADML (per file) and those
//! of a store. Output: V060–V066.

use super::{Sink, push_at};
use crate::diag::{Code, Diagnostic, FileId, Span};
use crate::validate::facts::Strings;
use crate::validate::store::StoreView;

/// Per ADML file: pretty-printed strings and ids defined twice (from the facts).
pub fn file(text: &str, facts: &crate::validate::facts::AdmlFacts, sink: &mut Sink<'_>) {
    // Pretty-printed strings are many in some stores and reported only when selected.
    let pretty = sink.wants(Code::V063);
    for s in facts.strings.iter().filter(|_| pretty) {
        let id = s.id(text);
        if s.shape(text).edge_break {
            sink.push(
                Code::V063,
                format!("string `{id}` starts or ends with a line break"),
                s.span.clone(),
                "the editor shows the blank lines and indentation",
            );
        }
    }
    let file = sink.file;
    for t in &facts.twice {
        let (code, what) = if t.presentation {
            (Code::V065, "presentation")
        } else {
            (Code::V064, "string")
        };
        sink.push(
            code,
            format!("{what} `{}` is defined twice", t.id),
            t.span.clone(),
            "second definition",
        )
        .secondary(Span::new(file, t.first.clone()), "first definition (used)");
    }
}

/// Store: every reference of every ADMX against the ADML of every culture that has one. `text`
/// gives a file's text (for the shape of a display name's string).
pub fn store<'t>(
    view: &StoreView<'_>,
    text: &dyn Fn(FileId) -> &'t str,
    out: &mut Vec<Diagnostic>,
) {
    for (file, f) in view.admx_files() {
        // Each id hashed once, then looked up in the ADML of every culture.
        let hashes: Vec<u64> = f
            .string_refs
            .iter()
            .map(|(r, _)| Strings::hash(&r.text))
            .collect();
        for culture in &view.cultures {
            let Some((adml, a)) = view.adml(file, culture) else {
                continue;
            };
            for ((r, display), &hash) in f.string_refs.iter().zip(&hashes) {
                match a.strings.get_hashed(hash, &r.text, text(adml.id)) {
                    None => {
                        push_at(
                            out,
                            Code::V060,
                            format!("`$(string.{})` is not in {}", r.text, adml.name),
                            Span::new(file.id, r.span.clone()),
                            format!("missing from the {culture} ADML"),
                        );
                    }
                    Some(s) if *display => {
                        let shape = s.shape(text(adml.id));
                        if shape.blank {
                            push_at(
                                out,
                                Code::V062,
                                format!("display name `{}` is empty", r.text),
                                Span::new(adml.id, s.span.clone()),
                                "empty",
                            );
                        } else if shape.chars > 255 {
                            push_at(
                                out,
                                Code::V066,
                                format!("display name `{}` has {} characters", r.text, shape.chars),
                                Span::new(adml.id, s.span.clone()),
                                "over 255 characters",
                            );
                        }
                    }
                    Some(_) => {}
                }
            }
            for p in &f.policies {
                if let Some(r) = &p.presentation
                    && !a.presentations.contains_key(&r.text)
                {
                    push_at(
                        out,
                        Code::V061,
                        format!("`$(presentation.{})` is not in {}", r.text, adml.name),
                        Span::new(file.id, r.span.clone()),
                        format!("missing from the {culture} ADML"),
                    );
                }
            }
        }
    }
}
