//! ADML writer: `PolicyDefinitions/<culture>/<template>.adml` for every culture of a template.
//! The string table holds exactly the strings the ADMX references (display names, explain
//! texts); presentation labels are written into the presentation table as literal text.
//! `stringTable` comes before `presentationTable` (the order is fixed, formats.md §1.10).

use super::xml::{NS, Xml};
use super::{Artifact, Backend, Error, RenderCtx, text};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

pub struct Adml;

impl Backend for Adml {
    /// Policies that share a presentation id must show the same dialog in every culture: the
    /// ADML holds the presentation once.
    fn check(&self, set: &PolicySet, out: &mut Diagnostics) {
        for t in &set.templates {
            let mut first: HashMap<&Name, (&Policy, Vec<String>)> = HashMap::new();
            for p in &t.policies {
                let Some(pr) = &p.presentation else { continue };
                let shape: Vec<String> = t
                    .strings
                    .iter()
                    .map(|table| {
                        let mut x = Xml::new();
                        for c in &pr.controls {
                            control(&mut x, t, table, c);
                        }
                        x.finish()
                    })
                    .collect();
                match first.get(&pr.id) {
                    None => {
                        first.insert(&pr.id, (p, shape));
                    }
                    Some((q, other)) if *other != shape => out.push(
                        Diagnostic::new(
                            Code::B007,
                            format!(
                                "policies `{}` and `{}` share presentation `{}` but their controls differ",
                                q.id, p.id, pr.id
                            ),
                        )
                        .at(p.span.clone(), "this policy's elements or labels")
                        .also(q.span.clone(), "differ from this one's"),
                    ),
                    Some(_) => {}
                }
            }
        }
    }

    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        let mut out = Vec::new();
        for t in &set.templates {
            for table in &t.strings {
                out.push(Artifact {
                    path: PathBuf::from(format!(
                        "PolicyDefinitions/{}/{}.adml",
                        table.culture, t.file_name
                    )),
                    bytes: text::utf8_bom_crlf(&render_culture(t, table)),
                });
            }
        }
        Ok(out)
    }
}

/// String ids that the ADMX refers to with `$(string.ID)`, in no particular order.
pub fn admx_string_ids(t: &Template) -> HashSet<&StringId> {
    let mut ids = HashSet::new();
    for p in &t.products {
        ids.insert(&p.display);
        ids.extend(p.versions.iter().map(|v| &v.display));
        ids.extend(
            p.versions
                .iter()
                .flat_map(|v| &v.minors)
                .map(|m| &m.display),
        );
    }
    ids.extend(t.supported_on.iter().map(|d| &d.display));
    for c in &t.categories {
        ids.insert(&c.display);
        ids.extend(c.explain.iter());
    }
    for p in &t.policies {
        ids.insert(&p.display);
        ids.extend(p.explain.iter());
        for e in &p.elements {
            if let ElementKind::Enum { items, .. } = &e.kind {
                ids.extend(items.iter().map(|i| &i.display));
            }
        }
    }
    ids
}

/// A localised text, falling back to the source culture.
fn lookup<'a>(t: &'a Template, table: &'a StringTable, id: &StringId) -> &'a str {
    table
        .get(id)
        .or_else(|| t.source_strings().get(id))
        .unwrap_or_default()
}

/// The ADML text for one culture (LF line ends, no BOM).
pub fn render_culture(t: &Template, table: &StringTable) -> String {
    let mut x = Xml::new();
    // The ADML must satisfy the ADMX's minRequiredRevision: same major, minor at least as high.
    let revision = t.adml_revision().to_string();
    x.open(
        "policyDefinitionResources",
        &[
            ("revision", &revision),
            ("schemaVersion", "1.0"),
            ("xmlns", NS),
        ],
    );
    x.text_element("displayName", &[], &t.display_name);
    x.text_element("description", &[], &t.description);
    x.open("resources", &[]);
    let mut used = admx_string_ids(t);
    used.extend(t.declared_strings.iter());
    x.open("stringTable", &[]);
    let source = t.source_strings();
    for id in source.entries.keys() {
        if used.contains(id) && !table.missing.iter().any(|m| m == id.as_str()) {
            x.text_element("string", &[("id", id.as_str())], lookup(t, table, id));
        }
    }
    // Strings only this culture has (D048), as its locale file gives them.
    for (id, text) in table
        .entries
        .iter()
        .filter(|(id, _)| source.get(id).is_none())
    {
        x.text_element("string", &[("id", id.as_str())], text);
    }
    x.close("stringTable");
    // The policies' presentations, then those no policy uses; none this culture leaves out.
    // Policies may share a presentation (lowering checks they agree): written once.
    let mut seen = HashSet::new();
    let presentations: Vec<&Presentation> = t
        .policies
        .iter()
        .filter_map(|p| p.presentation.as_ref())
        .chain(&t.presentations)
        .filter(|p| seen.insert(&p.id))
        .filter(|p| {
            !table
                .missing_presentations
                .iter()
                .any(|m| m == p.id.as_str())
        })
        .collect();
    if !presentations.is_empty() {
        x.open("presentationTable", &[]);
        for p in presentations {
            // A culture may lay a presentation out its own way (its locale file says how).
            let p = table
                .presentations
                .iter()
                .find(|o| o.id == p.id)
                .unwrap_or(p);
            x.open("presentation", &[("id", p.id.as_str())]);
            for c in &p.controls {
                control(&mut x, t, table, c);
            }
            x.close("presentation");
        }
        x.close("presentationTable");
    }
    x.close("resources");
    x.close("policyDefinitionResources");
    x.finish()
}

fn control(x: &mut Xml, t: &Template, table: &StringTable, c: &Control) {
    let s = |id: &StringId| lookup(t, table, id);
    let yes = |b: bool| if b { "true" } else { "false" };
    match c {
        Control::Text { label } => x.text_element("text", &[], s(label)),
        Control::CheckBox {
            ref_id,
            label,
            default_checked,
        } => {
            let mut a = vec![("refId", ref_id.as_str())];
            if *default_checked {
                a.push(("defaultChecked", "true"));
            }
            x.text_element("checkBox", &a, s(label));
        }
        Control::DecimalTextBox {
            ref_id,
            label,
            default,
            empty_default,
            spin,
            spin_step,
        } => {
            let d = default
                .map(|d| d.to_string())
                .or_else(|| empty_default.then(String::new));
            number_box(x, "decimalTextBox", ref_id, d, *spin, *spin_step, s(label));
        }
        Control::LongDecimalTextBox {
            ref_id,
            label,
            default,
            empty_default,
            spin,
            spin_step,
        } => {
            let d = default
                .map(|d| d.to_string())
                .or_else(|| empty_default.then(String::new));
            number_box(
                x,
                "longDecimalTextBox",
                ref_id,
                d,
                *spin,
                *spin_step,
                s(label),
            );
        }
        Control::TextBox {
            ref_id,
            label,
            default,
        } => {
            x.open("textBox", &[("refId", ref_id.as_str())]);
            x.text_element("label", &[], s(label));
            if let Some(d) = default {
                x.text_element("defaultValue", &[], s(d));
            }
            x.close("textBox");
        }
        Control::MultiTextBox {
            ref_id,
            label,
            show_as_dialog,
            default_height,
        } => {
            let h = default_height.to_string();
            let mut a = vec![("refId", ref_id.as_str())];
            if *show_as_dialog {
                a.push(("showAsDialog", "true"));
            }
            a.push(("defaultHeight", &h));
            x.text_element("multiTextBox", &a, s(label));
        }
        Control::DropdownList {
            ref_id,
            label,
            no_sort,
            default_item,
            empty_default,
        } => {
            let di = default_item
                .map(|d| d.to_string())
                .or_else(|| empty_default.then(String::new));
            let mut a = vec![("refId", ref_id.as_str()), ("noSort", yes(*no_sort))];
            if let Some(d) = &di {
                a.push(("defaultItem", d));
            }
            x.text_element("dropdownList", &a, s(label));
        }
        Control::ListBox { ref_id, label } => {
            x.text_element("listBox", &[("refId", ref_id.as_str())], s(label));
        }
        Control::ComboBox {
            ref_id,
            label,
            default,
            suggestions,
            no_sort,
        } => {
            let mut a = vec![("refId", ref_id.as_str())];
            if *no_sort {
                a.push(("noSort", "true"));
            }
            x.open("comboBox", &a);
            x.text_element("label", &[], s(label));
            if let Some(d) = default {
                x.text_element("default", &[], s(d));
            }
            for sug in suggestions {
                x.text_element("suggestion", &[], s(sug));
            }
            x.close("comboBox");
        }
    }
}

fn number_box(
    x: &mut Xml,
    name: &str,
    ref_id: &ElementId,
    default: Option<String>,
    spin: bool,
    spin_step: u32,
    label: &str,
) {
    let step = spin_step.to_string();
    let mut a = vec![("refId", ref_id.as_str())];
    if let Some(d) = &default {
        a.push(("defaultValue", d));
    }
    if !spin {
        a.push(("spin", "false"));
    }
    if spin_step != 1 {
        a.push(("spinStep", &step));
    }
    x.text_element(name, &a, label);
}
