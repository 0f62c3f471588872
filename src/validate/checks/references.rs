//! Family `references`: do the names an ADMX refers to exist, in the file or in the store
//! through `using` prefixes (categories, supportedOn definitions, products)? Are names unique?
//! Input: the facts of every ADMX of a store. Output: V030–V035.

use super::{push_at, split_ref};
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::facts::{AdmxFacts, At};
use crate::validate::store::{FileInfo, NameKind, StoreView};
use foldhash::{HashMap, HashMapExt};

/// Per-file: undeclared prefixes and duplicate names.
pub fn file(f: &AdmxFacts, file: crate::diag::FileId, out: &mut Vec<Diagnostic>) {
    let refs = f
        .category_parents
        .iter()
        .map(|(_, r)| r)
        .chain(f.product_refs.iter())
        .chain(
            f.policies
                .iter()
                .flat_map(|p| p.parent.iter().chain(p.supported.iter())),
        );
    if f.target.is_some() {
        for r in refs {
            let (prefix, _) = split_ref(&r.text);
            if let Some(p) = prefix
                && StoreView::namespace_of(f, Some(p)).is_none()
            {
                push_at(
                    out,
                    Code::V030,
                    format!("prefix `{p}` is not declared"),
                    Span::new(file, r.span.clone()),
                    "no <target> or <using> has this prefix",
                )
                .notes
                .push(format!(
                    "declare it: <using prefix=\"{p}\" namespace=\"…\"/> inside <policyNamespaces>"
                ));
            }
        }
    }
    let names = |v: &mut dyn Iterator<Item = &At>, what: &str, out: &mut Vec<Diagnostic>| {
        let mut seen: HashMap<&str, &At> = HashMap::new();
        for n in v {
            if let Some(first) = seen.get(n.text.as_str()) {
                push_at(
                    out,
                    Code::V034,
                    format!("{what} `{}` is defined twice", n.text),
                    Span::new(file, n.span.clone()),
                    "second definition",
                )
                .secondary(Span::new(file, first.span.clone()), "first definition");
            } else {
                seen.insert(&n.text, n);
            }
        }
    };
    names(&mut f.categories.iter(), "category", out);
    names(&mut f.policies.iter().map(|p| &p.name), "policy", out);
    names(&mut f.definitions.iter(), "supportedOn definition", out);
    names(&mut f.products.iter(), "product or version", out);
}

/// Store: categories, supportedOn definitions and products resolved across files; cycles.
pub fn store(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    for (file, f) in view.admx_files() {
        for (_, r) in &f.category_parents {
            category(view, file, f, r, false, out);
        }
        for p in &f.policies {
            if let Some(r) = &p.parent {
                category(view, file, f, r, true, out);
            }
            if let Some(r) = &p.supported
                && !unresolvable(
                    view,
                    file,
                    f,
                    r,
                    (Code::V032, "supportedOn definition"),
                    out,
                )
                && view.resolve(f, r, NameKind::Definition) == Some(false)
            {
                push_at(
                    out,
                    Code::V032,
                    format!("supportedOn definition `{}` does not exist", r.text),
                    Span::new(file.id, r.span.clone()),
                    "unknown definition",
                );
            }
        }
        for r in &f.product_refs {
            // A range or reference may name a product, a version, or another definition.
            if unresolvable(view, file, f, r, (Code::V033, "product or version"), out) {
                continue;
            }
            if view.resolve(f, r, NameKind::Product) == Some(false)
                && view.resolve(f, r, NameKind::Definition) == Some(false)
            {
                push_at(
                    out,
                    Code::V033,
                    format!("product or version `{}` does not exist", r.text),
                    Span::new(file.id, r.span.clone()),
                    "unknown product",
                );
            }
        }
        cycles(file, f, out);
    }
}

/// The namespace a `prefix:name` reference points into when the store has no ADMX providing
/// it (reported once as V072 at the `using`), unless it is one of Windows' own namespaces,
/// which every central store provides. Only for a whole store: files validated loose are
/// missing the rest of their store by design (V072 says to validate the folder).
fn unprovided<'f>(view: &StoreView<'_>, f: &'f AdmxFacts, r: &At) -> Option<&'f str> {
    if !view.is_store {
        return None;
    }
    let (prefix, _) = split_ref(&r.text);
    let ns = StoreView::namespace_of(f, Some(prefix?))?;
    (!view.providers.contains_key(ns)
        && !crate::validate::windows_namespaces::provided_by_windows(ns))
    .then_some(ns)
}

/// A reference through a prefix whose namespace the store lacks: reported on its own, with the
/// code of its kind, since nothing can resolve it.
fn unresolvable(
    view: &StoreView<'_>,
    file: &FileInfo,
    f: &AdmxFacts,
    r: &At,
    (code, what): (Code, &str),
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Some(ns) = unprovided(view, f, r) else {
        return false;
    };
    push_at(
        out,
        code,
        format!(
            "{what} `{}` does not resolve: no ADMX of the store provides namespace `{ns}`",
            r.text
        ),
        Span::new(file.id, r.span.clone()),
        "namespace not in the store",
    )
    .notes
    .push("validate with the store that provides it (`--store DIR`), or add its ADMX".into());
    true
}

fn category(
    view: &StoreView<'_>,
    file: &FileInfo,
    f: &AdmxFacts,
    r: &At,
    policy: bool,
    out: &mut Vec<Diagnostic>,
) {
    if unresolvable(view, file, f, r, (Code::V031, "category"), out) {
        if policy && let Some(d) = out.last_mut() {
            d.notes.push(
                "the editor does not show this policy: the setting cannot be reached (`--error V031` makes this an error)"
                    .into(),
            );
        }
        return;
    }
    if view.resolve(f, r, NameKind::Category) == Some(false) {
        let d = push_at(
            out,
            Code::V031,
            format!("category `{}` does not exist", r.text),
            Span::new(file.id, r.span.clone()),
            "unknown category",
        );
        if policy {
            d.notes.push(
                "the editor does not show this policy: the setting cannot be reached (`--error V031` makes this an error)"
                    .into(),
            );
        }
    }
}

fn cycles(file: &FileInfo, f: &AdmxFacts, out: &mut Vec<Diagnostic>) {
    let own = f.target.as_ref().map(|t| t.prefix.text.as_str());
    let parent: HashMap<&str, &At> = f
        .category_parents
        .iter()
        .filter(|(_, r)| {
            let (p, _) = split_ref(&r.text);
            p.is_none() || p == own
        })
        .map(|(i, r)| (f.categories[*i].text.as_str(), r))
        .collect();
    for (i, c) in f.categories.iter().enumerate() {
        let mut at = c.text.as_str();
        for _ in 0..=f.categories.len() {
            let Some(r) = parent.get(at) else { break };
            at = split_ref(&r.text).1;
            if at == c.text {
                // Report the loop once, at its first category in file order.
                let members_before = f.categories[..i].iter().any(|o| {
                    let mut x = o.text.as_str();
                    for _ in 0..=f.categories.len() {
                        match parent.get(x) {
                            Some(r) => x = split_ref(&r.text).1,
                            None => return false,
                        }
                        if x == c.text {
                            return true;
                        }
                    }
                    false
                });
                if !members_before {
                    push_at(
                        out,
                        Code::V035,
                        format!("category `{}` is its own ancestor", c.text),
                        Span::new(file.id, c.span.clone()),
                        "the parentCategory chain comes back here",
                    );
                }
                break;
            }
        }
    }
}
