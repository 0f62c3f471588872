//! Presentation controls: their texts by generated id, and their attributes the definitions
//! do not hold (reported, I002). Presentations no policy uses become `[[presentation]]` tables
//! (`presentations.toml`); their texts get the ids `model::lower` generates for them
//! (`<presentation>__<refId>`), under which the other cultures' texts go to the locale files.

use super::Cx;
use super::toml::{Doc, array, string, text_field};
use crate::admx::view::{Control, Presentation};
use crate::diag::Span;

/// Whether two cultures lay a presentation out alike: the same controls, kinds and refIds, in
/// the same order (texts aside).
pub(super) fn same_layout(a: Presentation<'_>, b: Presentation<'_>) -> bool {
    a.controls().count() == b.controls().count()
        && a.controls()
            .zip(b.controls())
            .all(|(x, y)| x.tag() == y.tag() && x.get("refId") == y.get("refId"))
}

impl Cx<'_> {
    /// Reports control attributes the definitions do not hold, and numbers that do not parse.
    /// `whose`: the presentation the control is in, as a message names it.
    pub(super) fn control_attrs(&mut self, c: Control<'_>, whose: &str) {
        let doc = c.doc;
        let kind = c.tag();
        let known = crate::admx::control_attributes(kind).unwrap_or_default();
        let numeric = ["defaultValue", "spinStep", "defaultHeight", "defaultItem"];
        let mut found = Vec::new();
        // `xml:space` on the control or on its `<label>`: only how white space is kept.
        for el in std::iter::once(*c).chain(c.child("label")) {
            if let Some(span) = el.attr_span("xml:space") {
                found.push((span, format!("`xml:space` of a `{}` in {whose} only says how white space around its label is kept; labels are imported and compared without leading and trailing white space, so it is left out and gpforge diff does not count it", el.tag())));
            }
        }
        for at in doc.attrs(c.index) {
            let n = doc.attr_name(at).to_string();
            let v = doc.value(at).trim().to_string();
            let range = at.name.start as usize..at.value.end as usize;
            if n == "refId" || n == "xml:space" {
                continue;
            }
            if !known.contains(&n.as_str()) && crate::admx::control_attributes(kind).is_some() {
                found.push((range, format!("attribute `{n}` of a `{kind}` in {whose} is not in Microsoft's schema, so no consumer reads it; left out (gpforge diff does not count it)")));
            } else if !known.contains(&n.as_str()) {
                found.push((range, format!("attribute `{n}` of a `{kind}` in {whose} has no place in the definitions; left out")));
            } else if numeric.contains(&n.as_str())
                && crate::admx::view::parse_unsigned(&v).is_none()
                && !(n == "defaultValue" && v.is_empty() && kind.ends_with("ecimalTextBox"))
                && !(n == "defaultItem" && v.is_empty() && kind == "dropdownList")
            {
                found.push((
                    range,
                    format!("`{n}=\"{v}\"` of a `{kind}` in {whose} is not a number; left out"),
                ));
            }
        }
        for (range, msg) in found {
            self.left_out(Span::new(self.en.file.id, range), msg, "not imported");
        }
    }

    pub(super) fn orphan_presentation(&mut self, id: &str, d: &mut Doc) {
        let Some(p) = self.en.presentation(id) else {
            return;
        };
        for c in p.controls() {
            self.control_attrs(c, &format!("presentation `{id}` (no policy uses it)"));
        }
        let en_texts = write_presentation(d, id, p);
        for (tid, t) in &en_texts {
            self.en_labels.insert(tid.clone(), t.clone());
        }
        // Other cultures: texts matched by refId (static texts by order); a culture that lays
        // the presentation out otherwise gets it in its own locale file.
        let prefix = format!("{id}_");
        for c in self.cultures {
            let Some(cp) = c.presentation(id) else {
                continue;
            };
            if !same_layout(p, cp) {
                self.own_layouts
                    .entry(c.name.clone())
                    .or_default()
                    .push(id.to_string());
            }
            let mut n = 0;
            let mut texts = Vec::new();
            for x in cp.controls() {
                let r = x.get("refId").map(|v| v.trim().to_string());
                if r.is_none() && x.tag() == "text" {
                    n += 1;
                }
                texts.extend(control_texts(x, &prefix, r.as_deref(), n));
            }
            let table = self
                .locales
                .get_mut(&c.name)
                .expect("one table per culture");
            for (tid, t) in texts {
                if en_texts.iter().any(|(e, _)| *e == tid) {
                    table.insert(tid, t);
                }
            }
        }
    }
}

/// Writes presentation `id` as a `[[presentation]]` table with its controls and their texts
/// inline (as this ADML has them); returns the texts by the ids lowering generates for them.
pub(super) fn write_presentation(
    d: &mut Doc,
    id: &str,
    p: Presentation<'_>,
) -> Vec<(String, String)> {
    d.table("[[presentation]]");
    d.str("id", id);
    let prefix = format!("{id}_");
    let mut en_texts = Vec::new();
    let mut n = 0;
    for c in p.controls() {
        let kind = c.tag();
        let attr = |a: &str| c.get(a).map(|v| v.trim().to_string());
        d.table("[[presentation.control]]");
        d.str("control", kind);
        let ref_id = attr("refId");
        if let Some(r) = &ref_id {
            d.str("ref_id", r);
        }
        d.raw("label", &text_field(&label_of(c)));
        let flag = |a: &str| c.flag(a);
        let number = |a: &str| c.number(a).map(|n| n.0);
        match kind {
            "checkBox" if flag("defaultChecked") == Some(true) => d.bool("default", true),
            "decimalTextBox" | "longDecimalTextBox" => {
                match attr("defaultValue") {
                    Some(v) if v.is_empty() => d.str("default", ""),
                    Some(_) => {
                        if let Some(n) = number("defaultValue") {
                            d.num("default", n);
                        }
                    }
                    None => {}
                }
                if flag("spin") == Some(false) {
                    d.bool("spin", false);
                }
                if let Some(s) = number("spinStep") {
                    d.num("spin_step", s);
                }
            }
            "multiTextBox" => {
                if flag("showAsDialog") == Some(true) {
                    d.bool("show_as_dialog", true);
                }
                if let Some(h) = number("defaultHeight") {
                    d.num("height", h);
                }
            }
            "dropdownList" | "comboBox" => {
                if flag("noSort") == Some(true) {
                    d.bool("no_sort", true);
                }
                if kind == "dropdownList" {
                    // `defaultItem=""` is kept as written (the build warns, D049).
                    if attr("defaultItem").is_some_and(|v| v.is_empty()) {
                        d.str("default", "");
                    } else if let Some(i) = number("defaultItem") {
                        d.num("default_item", i);
                    }
                }
            }
            _ => {}
        }
        if kind == "text" {
            n += 1;
        }
        let texts = control_texts(c, &prefix, ref_id.as_deref(), n);
        for (tid, t) in texts.iter().skip(1) {
            if tid.ends_with("_Default") {
                d.raw("default", &text_field(t));
            }
        }
        let suggestions: Vec<String> = texts
            .iter()
            .filter(|(tid, _)| tid.contains("_Suggestion"))
            .map(|(_, t)| string(t))
            .collect();
        if !suggestions.is_empty() {
            d.raw("suggestions", &array(&suggestions));
        }
        en_texts.extend(texts);
    }
    en_texts
}

/// A control's label, trimmed.
pub(super) fn label_of(c: Control<'_>) -> String {
    c.label().trim().to_string()
}

/// The localisable texts of a control, by generated id: label, text default, suggestions.
pub(super) fn control_texts(
    c: Control<'_>,
    policy: &str,
    element: Option<&str>,
    text_no: usize,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match element {
        None => out.push((format!("{policy}_Text{text_no}"), label_of(c))),
        Some(e) => {
            out.push((format!("{policy}_{e}"), label_of(c)));
            if let Some(dv) = c.default_text() {
                out.push((format!("{policy}_{e}_Default"), dv.text().into_owned()));
            }
            if c.tag() == "comboBox" {
                for (i, s) in c.suggestions().enumerate() {
                    out.push((
                        format!("{policy}_{e}_Suggestion{}", i + 1),
                        s.text().trim().to_string(),
                    ));
                }
            }
        }
    }
    out
}
