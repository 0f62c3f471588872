//! Family `intune` (profile `intune` only): what Intune's "Import ADMX" and ADMX ingestion refuse
//! (formats.md §2.3, §5.4): forbidden registry roots, comboBox, missing explainText, files over
//! 1 MB, no en-US ADML, `using` dependencies that cannot be uploaded in order, policies without a
//! category, a parentCategory through the file's own prefix. Input: a parsed document (per file)
//! and store facts. Output: V080–V087.

use super::{Sink, push_at};
use crate::admx::dom::Document;
use crate::admx::view::{Admx, Node, Policy};
use crate::backend::intune::{MAX_ADMX_BYTES, forbidden_key};
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::store::StoreView;
use foldhash::HashMap;

/// Per ADMX file.
pub fn admx(doc: &Document, bytes: usize, sink: &mut Sink<'_>) {
    own_prefix_parents(doc, sink);
    if bytes > MAX_ADMX_BYTES {
        sink.push(
            Code::V083,
            format!("the file has {bytes} bytes; Intune accepts at most {MAX_ADMX_BYTES}"),
            0..0,
            "too large for Intune",
        );
    }
    for el in doc.all() {
        for (k, span) in doc.keys(el) {
            if forbidden_key(&k) {
                sink.push(
                    Code::V080,
                    format!("Intune may not write `{k}`"),
                    span,
                    "outside the allowed registry paths",
                );
            }
        }
        if doc.name(el) == "policy" {
            let p = Policy(Node { doc, index: el });
            let name = p.get("name").unwrap_or_default();
            if p.explain_text().is_none() {
                sink.push(
                    Code::V082,
                    format!("policy `{name}` has no explainText"),
                    p.span(),
                    "Intune's import fails on it",
                );
            }
            if p.parent().is_none() {
                sink.push(
                    Code::V086,
                    format!("policy `{name}` has no parentCategory"),
                    p.span(),
                    "Intune rejects it",
                );
            }
        }
    }
}

/// `parentCategory` references through the file's own prefix (V087).
fn own_prefix_parents(doc: &Document, sink: &mut Sink<'_>) {
    let Some(own) = Admx::of(doc)
        .and_then(|x| x.target())
        .and_then(|t| t.get("prefix"))
    else {
        return;
    };
    for el in doc.all() {
        if doc.name(el) != "parentCategory" {
            continue;
        }
        if let Some((r, span)) = doc.attr(el, "ref")
            && r.split_once(':').is_some_and(|(p, _)| p == own)
        {
            sink.push(
                Code::V087,
                format!("`{r}` refers to this file's own category through its prefix `{own}`"),
                span,
                "Intune: \"category was not defined\"",
            )
            .notes
            .push(format!(
                "write `{}` (without the prefix)",
                r.split_once(':').map(|(_, n)| n).unwrap_or(&r)
            ));
        }
    }
}

/// Per ADML file.
pub fn adml(doc: &Document, sink: &mut Sink<'_>) {
    for el in doc.all() {
        if doc.name(el) == "comboBox" {
            sink.push(
                Code::V081,
                "comboBox is not supported by Intune",
                doc.name_span(el),
                "use a textBox",
            );
        }
    }
}

/// Store: en-US ADMLs and the upload order.
pub fn store(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    let files: Vec<_> = view.admx_files().collect();
    for (file, _) in &files {
        if view.adml(file, "en-US").is_none() {
            push_at(
                out,
                Code::V084,
                format!("{} has no en-US ADML", file.name),
                Span::new(file.id, 0..0),
                format!("Intune needs en-US/{}.adml", file.base()),
            );
        }
    }
    // Dependency graph by namespace; a cycle is found by depth-first search.
    let index: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .filter_map(|(i, (_, f))| f.target.as_ref().map(|t| (t.namespace.text.as_str(), i)))
        .collect();
    let deps: Vec<Vec<usize>> = files
        .iter()
        .map(|(_, f)| {
            f.usings
                .iter()
                .filter_map(|u| index.get(u.namespace.text.as_str()).copied())
                .collect()
        })
        .collect();
    // 0 = new, 1 = on the path, 2 = done.
    let mut state = vec![0u8; files.len()];
    for start in 0..files.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, next)) = stack.pop() {
            if let Some(&dep) = deps[node].get(next) {
                stack.push((node, next + 1));
                match state[dep] {
                    0 => {
                        state[dep] = 1;
                        stack.push((dep, 0));
                    }
                    1 if dep != node => {
                        let (file, f) = files[node];
                        let u = f
                            .usings
                            .iter()
                            .find(|u| index.get(u.namespace.text.as_str()) == Some(&dep));
                        push_at(
                            out,
                            Code::V085,
                            format!(
                                "{} and {} depend on each other",
                                file.name, files[dep].0.name
                            ),
                            Span::new(file.id, u.map(|u| u.namespace.span.clone()).unwrap_or(0..0)),
                            "this using closes a cycle",
                        );
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
            }
        }
    }
}
