//! Family `strings`: does every `$(string.X)` and `$(presentation.X)` of an ADMX resolve in each
//! of its ADMLs, and are the strings themselves sound (not empty, not pretty-printed, not
//! defined twice, display names not over-long)? Input: an ADML document (per file) and the facts
//! of a store. Output: V060–V066.

use super::{Sink, push_at, rule};
use crate::admx::dom::Document;
use crate::admx::view::{Adml, Node};
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::store::StoreView;
use foldhash::{HashMap, HashMapExt};
use std::ops::Range;

rule! {
    /// **What:** a `$(string.ID)` of the ADMX that the ADML of a culture does not define.
    ///
    /// **Why:** the editor refuses the whole file: "Resource '$(string.X)' referenced in attribute
    /// displayName could not be found". The usual cause is an ADMX updated without its ADML, or a
    /// translated ADML that lags behind en-US.
    ///
    /// **Example:** a new policy whose `$(string.NewPolicy_Help)` is missing from `de-DE/x.adml`.
    V060: Error, Strings, "string missing from an ADML"
}

rule! {
    /// **What:** a `$(presentation.ID)` of the ADMX that the ADML of a culture does not define.
    ///
    /// **Why:** the editor refuses the file: "Resource '$(presentation.X)' referenced in attribute
    /// presentation could not be found".
    ///
    /// **Example:** `presentation="$(presentation.L_ConnectedOfficeExperiences)"` with no such
    /// `<presentation id>` in the ADML.
    V061: Error, Strings, "presentation missing from an ADML"
}

rule! {
    /// **What:** a display name (of a policy, category, product or supportedOn definition) that is
    /// empty or only white space.
    ///
    /// **Why:** the item shows as a blank line in the editor's tree and cannot be found by name.
    ///
    /// **Example:** `<string id="MyPolicy"></string>`.
    V062: Warning, Strings, "empty display name"
}

rule! {
    /// **What:** an ADML string that starts or ends with a line break and indentation, as an XML
    /// pretty-printer leaves it.
    ///
    /// **Why:** ADML text is shown as written: the editor displays the stray blank lines and
    /// indentation (Chromium's template writer refuses to pretty-print ADML for this reason).
    ///
    /// **Off by default** (pedantic): Microsoft's own 1903 + Office store has 808 such strings,
    /// most of validate's findings there. `--select V063` (or `--select pedantic`) turns it on.
    ///
    /// **Example:** `<string id="X">\n      Allow downloads\n    </string>`.
    V063: Warning, Strings, "string with leading or trailing line break"
}

rule! {
    /// **What:** two `<string>` elements with the same `id` in one ADML.
    ///
    /// **Why:** the Group Policy editor refuses the file: "Found duplicate definition of element
    /// string with name …" (microsoft/vscode#248917).
    ///
    /// **Example:** `<string id="Help">…</string>` twice.
    V064: Error, Strings, "string defined twice"
}

rule! {
    /// **What:** two `<presentation>` elements with the same `id` in one ADML.
    ///
    /// **Why:** only one of the dialogs is used, and which one depends on the reader.
    ///
    /// **Example:** `<presentation id="Proxy">` twice.
    V065: Warning, Strings, "presentation defined twice"
}

rule! {
    /// **What:** a display name longer than 255 characters.
    ///
    /// **Why:** display names are tree labels and report headings; ADM limited them to 255
    /// characters and long names are cut in the editor, reports and Intune's settings list. Put
    /// the detail in the explain text.
    ///
    /// **Example:** a policy display name that repeats its whole explanation.
    V066: Warning, Strings, "display name over 255 characters"
}

/// Per ADML file: duplicates (from the tree) and pretty-printed strings (from the facts).
pub fn file(doc: &Document, facts: &crate::validate::facts::AdmlFacts, sink: &mut Sink<'_>) {
    for (id, s) in &facts.strings {
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
