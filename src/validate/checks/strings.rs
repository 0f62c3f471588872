//! Family `strings`: does every `$(string.X)` and `$(presentation.X)` of an ADMX resolve in each
//! of its ADMLs, and are the strings themselves sound (not empty, not pretty-printed, not
//! defined twice, display names not over-long)? Input: an ADML document (per file) and the facts
//! of a store. Output: V060–V066.

use super::{Sink, push_at};
use crate::admx::dom::Document;
use crate::admx::view::{Adml, Node};
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::store::StoreView;
use foldhash::{HashMap, HashMapExt};
use std::ops::Range;

/// Per ADML file: duplicates (from the tree) and pretty-printed strings (from the facts).
pub fn file(doc: &Document, facts: &crate::validate::facts::AdmlFacts, sink: &mut Sink<'_>) {
    // Pretty-printed strings are many in some stores and reported only when selected.
    let pretty = sink.wants(Code::V063);
    for (id, s) in facts.strings.iter().filter(|_| pretty) {
        if s.edge_break {
            sink.push(
                Code::V063,
                format!("string `{id}` starts or ends with a line break"),
                s.span.clone(),
                "the editor shows the blank lines and indentation",
            );
        }
    }
    let Some(l) = Adml::of(doc) else { return };
    let strings = l
        .string_table()
        .into_iter()
        .flat_map(|t| t.strings())
        .map(|s| *s);
    let presentations = l.presentations().map(|p| *p);
    let tables: [(Box<dyn Iterator<Item = Node<'_>>>, Code, &str); 2] = [
        (Box::new(strings), Code::V064, "string"),
        (Box::new(presentations), Code::V065, "presentation"),
    ];
    for (items, code, what) in tables {
        let mut seen: HashMap<std::borrow::Cow<'_, str>, Range<usize>> = HashMap::new();
        for s in items {
            let Some((id, span)) = s.attr("id") else {
                continue;
            };
            let file = sink.file;
            if let Some(first) = seen.get(&id) {
                sink.push(
                    code,
                    format!("{what} `{id}` is defined twice"),
                    span.clone(),
                    "second definition",
                )
                .secondary(Span::new(file, first.clone()), "first definition (used)");
            } else {
                seen.insert(id, span.clone());
            }
        }
    }
}

/// Store: every reference of every ADMX against the ADML of every culture that has one.
pub fn store(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    for (file, f) in view.admx_files() {
        for culture in &view.cultures {
            let Some((adml, a)) = view.adml(file, culture) else {
                continue;
            };
            for (r, display) in &f.string_refs {
                match a.strings.get(&r.text) {
                    None => {
                        push_at(
                            out,
                            Code::V060,
                            format!("`$(string.{})` is not in {}", r.text, adml.name),
                            Span::new(file.id, r.span.clone()),
                            format!("missing from the {culture} ADML"),
                        );
                    }
                    Some(s) if *display && s.blank => {
                        push_at(
                            out,
                            Code::V062,
                            format!("display name `{}` is empty", r.text),
                            Span::new(adml.id, s.span.clone()),
                            "empty",
                        );
                    }
                    Some(s) if *display && s.chars > 255 => {
                        push_at(
                            out,
                            Code::V066,
                            format!("display name `{}` has {} characters", r.text, s.chars),
                            Span::new(adml.id, s.span.clone()),
                            "over 255 characters",
                        );
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
