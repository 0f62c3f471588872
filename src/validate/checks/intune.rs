//! Family `intune` (profile `intune` only): what Intune's "Import ADMX" and ADMX ingestion refuse
//! (formats.md §2.3, §5.4): forbidden registry roots, comboBox, missing explainText, files over
//! 1 MB, no en-US ADML, `using` dependencies that cannot be uploaded in order, policies without a
//! category, a parentCategory through the file's own prefix. Input: a parsed document (per file)
//! and store facts. Output: V080–V087.

use super::{Sink, push_at, rule};
use crate::admx::dom::Document;
use crate::admx::view::{Admx, Node, Policy};
use crate::backend::intune::{MAX_ADMX_BYTES, forbidden_key};
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::store::StoreView;
use foldhash::HashMap;

rule! {
    /// **What:** a registry key under `System`, `Software\Microsoft` or `Software\Policies\Microsoft`
    /// outside the paths Microsoft allows for ingested ADMX (Office, Exchange, Edge, OneDrive, …).
    /// Element `key` overrides, list keys and value-list keys are checked too.
    ///
    /// **Why:** the device refuses the policy at deployment (error 0x20101), long after the upload
    /// succeeded.
    ///
    /// **Example:** `key="Software\Policies\Microsoft\Cryptography\AutoEnrollment"`.
    V080: Error, Intune, "registry path forbidden for Intune"
}

rule! {
    /// **What:** a `comboBox` presentation control.
    ///
    /// **Why:** Intune's ADMX import does not support comboBox and rejects the file.
    ///
    /// **Example:** `<comboBox refId="Server"><label>Server</label></comboBox>`.
    V081: Error, Intune, "comboBox not supported by Intune"
}

rule! {
    /// **What:** a policy without `explainText`.
    ///
    /// **Why:** optional in the schema, but Intune's import fails with "Object Reference not set to
    /// an instance of an object".
    ///
    /// **Example:** `<policy name="P" class="User" displayName="$(string.P)" key="…">`.
    V082: Error, Intune, "policy without explainText"
}

rule! {
    /// **What:** an ADMX file larger than 1 MB.
    ///
    /// **Why:** Intune's import accepts files up to 1 MB.
    ///
    /// **Example:** a vendor ADMX of 1.4 MB.
    V083: Error, Intune, "ADMX over 1 MB"
}

rule! {
    /// **What:** an ADMX without an en-US ADML.
    ///
    /// **Why:** Intune's import takes the en-US ADML only; other cultures are not accepted.
    ///
    /// **Example:** `contoso.admx` with only `de-DE/contoso.adml`.
    V084: Error, Intune, "no en-US ADML"
}

rule! {
    /// **What:** ADMX files whose `using` dependencies form a cycle, so no upload order works.
    ///
    /// **Why:** Intune needs every namespace a file uses uploaded before the file itself.
    ///
    /// **Example:** a.admx uses b's namespace and b.admx uses a's.
    V085: Error, Intune, "using dependencies form a cycle"
}

rule! {
    /// **What:** a policy without `parentCategory`.
    ///
    /// **Why:** the editor shows it at the root of Administrative Templates, but Intune rejects the
    /// import, and the policy has no OMA-URI area (AppName~Policy~category chain).
    ///
    /// **Example:** `<policy name="P" …><supportedOn ref="…"/></policy>`.
    V086: Error, Intune, "policy without category"
}

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

rule! {
    /// **What:** a `parentCategory` (of a policy or a category) that names a category through the
    /// file's own target prefix (`makemeadmin:MakeMeAdmin` in makemeadmin.admx).
    ///
    /// **Why:** the Group Policy editor resolves it, but Intune's ADMX ingestion does not: it
    /// reports "category was not defined" (pseymour/MakeMeAdmin#49). Refer to the file's own
    /// categories without a prefix.
    ///
    /// **Example:** `<parentCategory ref="makemeadmin:MakeMeAdmin"/>` in a file whose target
    /// prefix is `makemeadmin`.
    V087: Error, Intune, "parentCategory through the file's own prefix"
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
