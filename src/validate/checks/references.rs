//! Family `references`: do the names an ADMX refers to exist, in the file or in the store
//! through `using` prefixes (categories, supportedOn definitions, products)? Are names unique?
//! Input: the facts of every ADMX of a store. Output: V030–V035.

use super::{push_at, rule, split_ref};
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::facts::{AdmxFacts, At};
use crate::validate::store::{FileInfo, NameKind, StoreView};
use foldhash::{HashMap, HashMapExt};

rule! {
    /// **What:** a reference `prefix:name` whose prefix is neither the file's target prefix nor
    /// declared by a `<using>`.
    ///
    /// **Why:** the reference cannot be resolved. The editor tolerates it (Microsoft ships
    /// `products:` references without a `using`), Intune refuses the file ("No namespace found
    /// with prefix adobe"): Warning, Error with profile intune.
    ///
    /// **Example:** `<supportedOn ref="windows:SUPPORTED_Windows7"/>` without
    /// `<using prefix="windows" namespace="Microsoft.Policies.Windows"/>`.
    V030: Warning, References, "undeclared prefix", intune_error = true
}

rule! {
    /// **What:** a `parentCategory` that names a category that does not exist in the file, or in
    /// the file its prefix points to.
    ///
    /// **Why:** the editor loads the file but does not show a policy whose category is unknown,
    /// so the setting cannot be reached ("proxy policy not available" until its parentCategory
    /// was fixed: drlellinger/thunderbird-policies#6). Microsoft ships four such policies itself
    /// (TerminalServer's AutoSubscription, three in inetres.admx), so it is a warning for the
    /// editor (`--error V031` promotes it); Intune's ingestion refuses it ("category not
    /// defined"): an error with profile intune.
    ///
    /// **Example:** `<parentCategory ref="windows:NoSuchCategory"/>`.
    V031: Warning, References, "unknown category", intune_error = true
}

rule! {
    /// **What:** a policy's `supportedOn` that names a definition that does not exist in the file
    /// or in the file its prefix points to.
    ///
    /// **Why:** the editor shows no "Supported on" text and its product filter misses the policy
    /// (Microsoft's own store has such references when files of different releases are mixed).
    ///
    /// **Example:** `<supportedOn ref="windows:SUPPORTED_Windows_99"/>`.
    V032: Warning, References, "unknown supportedOn definition"
}

rule! {
    /// **What:** a `range` or `reference` inside a supportedOn definition that names no product,
    /// version or other supportedOn definition.
    ///
    /// **Why:** the editor's "Supported on" text and its filter by product are wrong.
    ///
    /// **Example:** `<range ref="Contoso_v9"/>` with no such `majorVersion`.
    V033: Warning, References, "unknown product or version"
}

rule! {
    /// **What:** two categories, policies, supportedOn definitions or products of one file with
    /// the same name.
    ///
    /// **Why:** names are keys inside a namespace: the editor refuses the file ("An item with the
    /// same key has already been added").
    ///
    /// **Example:** two `<policy name="DisableX" …>` in one ADMX.
    V034: Error, References, "name defined twice"
}

rule! {
    /// **What:** categories whose `parentCategory` chain loops back to itself.
    ///
    /// **Why:** the category tree cannot be built; the editor shows none of the policies under it.
    ///
    /// **Example:** category A with parent B, B with parent A.
    V035: Error, References, "category cycle"
}

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
