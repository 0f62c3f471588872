//! Presentations no policy uses become `[[presentation]]` tables (`presentations.toml`); their
//! texts get the ids `model::lower` generates for them (`<presentation>__<refId>`), under which
//! the other cultures' texts go to the locale files.

use super::Cx;
use super::policy::{control_texts, label_of};
use super::toml::{Doc, array, string, text_field};
use crate::validate::checks::schema::parse_unsigned;

impl Cx<'_> {
    pub(super) fn orphan_presentation(&mut self, id: &str, el: u32, d: &mut Doc) {
        let doc = &self.en.file.doc;
        d.table("[[presentation]]");
        d.str("id", id);
        let prefix = format!("{id}_");
        let mut en_texts = Vec::new();
        let mut n = 0;
        for c in doc.children(el) {
            let kind = doc.name(c).to_string();
            let attr = |a: &str| doc.attr(c, a).map(|(v, _)| v.trim().to_string());
            d.table("[[presentation.control]]");
            d.str("control", &kind);
            let ref_id = attr("refId");
            if let Some(r) = &ref_id {
                d.str("ref_id", r);
            }
            d.raw("label", &text_field(&label_of(doc, c)));
            let flag = |a: &str| attr(a).map(|v| v == "true" || v == "1");
            match kind.as_str() {
                "checkBox" if flag("defaultChecked") == Some(true) => d.bool("default", true),
                "decimalTextBox" | "longDecimalTextBox" => {
                    match attr("defaultValue") {
                        Some(v) if v.is_empty() => d.str("default", ""),
                        Some(v) => {
                            if let Some(n) = parse_unsigned(&v) {
                                d.num("default", n);
                            }
                        }
                        None => {}
                    }
                    if flag("spin") == Some(false) {
                        d.bool("spin", false);
                    }
                    if let Some(s) = attr("spinStep").and_then(|v| parse_unsigned(&v)) {
                        d.num("spin_step", s);
                    }
                }
                "multiTextBox" => {
                    if flag("showAsDialog") == Some(true) {
                        d.bool("show_as_dialog", true);
                    }
                    if let Some(h) = attr("defaultHeight").and_then(|v| parse_unsigned(&v)) {
                        d.num("height", h);
                    }
                }
                "dropdownList" | "comboBox" => {
                    if flag("noSort") == Some(true) {
                        d.bool("no_sort", true);
                    }
                    if kind == "dropdownList"
                        && let Some(i) = attr("defaultItem").and_then(|v| parse_unsigned(&v))
                    {
                        d.num("default_item", i);
                    }
                }
                _ => {}
            }
            if kind == "text" {
                n += 1;
            }
            let texts = control_texts(doc, c, &prefix, ref_id.as_deref(), n);
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
        for (tid, t) in &en_texts {
            self.en_labels.insert(tid.clone(), t.clone());
        }
        // Other cultures: texts matched by refId (static texts by order).
        for c in self.cultures {
            let cdoc = &c.file.doc;
            let Some(cp) = c.presentations.get(id).copied() else {
                continue;
            };
            let mut n = 0;
            let mut texts = Vec::new();
            for x in cdoc.children(cp) {
                let r = cdoc.attr(x, "refId").map(|(v, _)| v.trim().to_string());
                if r.is_none() && cdoc.name(x) == "text" {
                    n += 1;
                }
                texts.extend(control_texts(cdoc, x, &prefix, r.as_deref(), n));
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
