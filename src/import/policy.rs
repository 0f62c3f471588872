//! The ADMX body: supportedOn, categories, policies with their elements, and each policy's
//! presentation merged into its elements (labels and control settings), per culture.

use super::toml::{Doc, array, inline, string, text};
use super::{Cx, Defaults};
use crate::admx::dom::Document;
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::checks::presentation::fits;
use crate::validate::checks::referenced_id;
use crate::validate::facts::ElementKind;
use crate::validate::facts::{Val, value};
use std::collections::HashSet;

/// An encoded registry value, as `model::lower` reads it.
fn value_toml(v: &Val) -> String {
    match v {
        Val::Delete => inline(&[("delete", "true".into())]),
        Val::Decimal(n) if *n <= u64::from(u32::MAX) => n.to_string(),
        Val::Decimal(n) => inline(&[("decimal", n.to_string())]),
        Val::LongDecimal(n) => inline(&[("long_decimal", n.to_string())]),
        Val::String(s) => string(s),
    }
}

/// A control's label: the `<label>` child of textBox/comboBox, else its own text.
pub(super) fn label_of(doc: &Document, c: u32) -> String {
    match doc.name(c) {
        "textBox" | "comboBox" => doc
            .child(c, "label")
            .map(|l| doc.text(l).trim().to_string())
            .unwrap_or_default(),
        _ => doc.text(c).trim().to_string(),
    }
}

/// The localisable texts of a control, by generated id: label, text default, suggestions.
pub(super) fn control_texts(
    doc: &Document,
    c: u32,
    policy: &str,
    element: Option<&str>,
    text_no: usize,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match element {
        None => out.push((format!("{policy}_Text{text_no}"), label_of(doc, c))),
        Some(e) => {
            out.push((format!("{policy}_{e}"), label_of(doc, c)));
            let default = match doc.name(c) {
                "textBox" => doc.child(c, "defaultValue"),
                "comboBox" => doc.child(c, "default"),
                _ => None,
            };
            if let Some(dv) = default {
                out.push((format!("{policy}_{e}_Default"), doc.text(dv).into_owned()));
            }
            if doc.name(c) == "comboBox" {
                for (i, s) in doc.children_named(c, "suggestion").enumerate() {
                    out.push((
                        format!("{policy}_{e}_Suggestion{}", i + 1),
                        doc.text(s).trim().to_string(),
                    ));
                }
            }
        }
    }
    out
}

/// [`inline`] of owned keys.
fn inline_pairs(pairs: &[(String, String)]) -> String {
    let pairs: Vec<(&str, String)> = pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    inline(&pairs)
}

impl Cx<'_> {
    /// `id`, `display_name` (with its id when not the generated one) and `index` of a
    /// `majorVersion` or `minorVersion`.
    fn version_pairs(&mut self, v: u32) -> Vec<(String, String)> {
        let a = self.admx;
        let name = a.attr(v, "name").unwrap_or_default();
        let mut pairs = vec![("id".to_string(), string(&name))];
        pairs.extend(self.text_pairs("display_name", v, "displayName", &name));
        pairs.push((
            "index".into(),
            a.number(v, "versionIndex").unwrap_or(0).to_string(),
        ));
        pairs
    }

    pub(super) fn supported_on(&mut self, root: u32, head: &mut Doc) {
        let a = self.admx;
        let doc = &a.doc;
        let Some(s) = doc.child(root, "supportedOn") else {
            return;
        };
        if let Some(products) = doc.child(s, "products") {
            for p in doc.children_named(products, "product") {
                let name = a.attr(p, "name").unwrap_or_default();
                head.table("[[product]]");
                head.str("id", &name);
                self.text_field(head, "display_name", p, "displayName", &name);
                let mut versions = Vec::new();
                for v in doc.children_named(p, "majorVersion") {
                    let mut pairs = self.version_pairs(v);
                    let minors: Vec<String> = doc
                        .children_named(v, "minorVersion")
                        .map(|m| inline_pairs(&self.version_pairs(m)))
                        .collect();
                    if !minors.is_empty() {
                        pairs.push(("minor".into(), array(&minors)));
                    }
                    versions.push(inline_pairs(&pairs));
                }
                if !versions.is_empty() {
                    head.raw("versions", &array(&versions));
                }
            }
        }
        if let Some(defs) = doc.child(s, "definitions") {
            for def in doc.children_named(defs, "definition") {
                let name = a.attr(def, "name").unwrap_or_default();
                head.table("[[supported_on]]");
                head.str("id", &name);
                self.text_field(head, "display_name", def, "displayName", &name);
                for (tag, field) in [("or", "any"), ("and", "all")] {
                    let Some(c) = doc.child(def, tag) else {
                        continue;
                    };
                    let entries: Vec<String> = doc
                        .children(c)
                        .map(|e| {
                            let mut pairs =
                                vec![("ref", string(&a.attr(e, "ref").unwrap_or_default()))];
                            if doc.name(e) == "range" {
                                if let Some(n) = a.number(e, "minVersionIndex") {
                                    pairs.push(("min", n.to_string()));
                                }
                                if let Some(n) = a.number(e, "maxVersionIndex") {
                                    pairs.push(("max", n.to_string()));
                                }
                                if pairs.len() == 1 {
                                    pairs.push(("range", "true".to_string()));
                                }
                            }
                            inline(&pairs)
                        })
                        .collect();
                    head.raw(field, &array(&entries));
                }
            }
        }
    }

    pub(super) fn categories(&mut self, root: u32, head: &mut Doc) {
        let a = self.admx;
        let doc = &a.doc;
        let Some(cats) = doc.child(root, "categories") else {
            return;
        };
        for c in doc.children_named(cats, "category") {
            let name = a.attr(c, "name").unwrap_or_default();
            self.unknown_attrs(c, &format!("category `{name}`"));
            head.table("[[category]]");
            head.str("id", &name);
            if let Some(p) = doc
                .child(c, "parentCategory")
                .and_then(|p| a.attr(p, "ref"))
            {
                head.str("parent", &p);
            }
            self.text_field(head, "display_name", c, "displayName", &name);
            if a.attr(c, "explainText").is_some() {
                self.text_field(
                    head,
                    "explain",
                    c,
                    "explainText",
                    &format!("{name}_Explain"),
                );
            }
            for other in doc.children(c).filter(|x| doc.name(*x) != "parentCategory") {
                let span = a.span(other);
                self.left_out(
                    span,
                    format!("`{}` of category `{name}` is not imported", doc.name(other)),
                    "left out",
                );
            }
        }
    }

    /// `[{ key?, value_name, value }, …]`; an item's key is left out when it is `fallback`.
    fn list(&mut self, el: u32, fallback: &str) -> String {
        let a = self.admx;
        let doc = &a.doc;
        let default_key = a.attr(el, "defaultKey");
        let mut items = Vec::new();
        for i in doc.children_named(el, "item") {
            let mut pairs = Vec::new();
            if let Some(k) = a.attr(i, "key").or_else(|| default_key.clone())
                && k != fallback
            {
                pairs.push(("key", string(&k)));
            }
            pairs.push((
                "value_name",
                string(&a.attr(i, "valueName").unwrap_or_default()),
            ));
            pairs.push(("value", self.value_of(doc.child(i, "value"), i)));
            items.push(inline(&pairs));
        }
        array(&items)
    }

    fn value_of(&mut self, el: Option<u32>, owner: u32) -> String {
        match value(&self.admx.doc, el) {
            Some(v) => value_toml(&v),
            None => {
                let span = self.admx.span(el.unwrap_or(owner));
                self.diags.push(
                    Diagnostic::new(
                        Code::I002,
                        "a registry value that cannot be read; imported as 0",
                    )
                    .at(
                        span,
                        "not <decimal value=\"N\"/>, <longDecimal>, <string> or <delete/>",
                    ),
                );
                "0".into()
            }
        }
    }

    pub(super) fn policy(&mut self, p: u32, defaults: &Defaults, _own_prefix: &str, d: &mut Doc) {
        let a = self.admx;
        let doc = &a.doc;
        let name = a.attr(p, "name").unwrap_or_default();
        self.unknown_attrs(p, &format!("policy `{name}`"));
        d.table("[[policy]]");
        d.str("id", &name);
        let category = doc
            .child(p, "parentCategory")
            .and_then(|c| a.attr(c, "ref"));
        match &category {
            Some(c) => d.str("category", c),
            None => {
                let span = a.span(p);
                self.left_out(
                    span,
                    format!("policy `{name}` has no parentCategory"),
                    "no category",
                );
                d.str("category", "");
            }
        }
        let class = a.attr(p, "class");
        if class != defaults.class {
            d.str("class", &class.unwrap_or_default());
        }
        let key = a.attr(p, "key").unwrap_or_default();
        if Some(&key) != defaults.key.as_ref() {
            d.str("key", &key);
        }
        let supported = doc.child(p, "supportedOn").and_then(|s| a.attr(s, "ref"));
        match (&supported, &defaults.supported) {
            (Some(s), Some(dflt)) if s == dflt => {}
            (Some(s), _) => d.str("supported_on", s),
            (None, Some(_)) => {
                let span = a.span(p);
                self.left_out(
                    span,
                    format!("policy `{name}` has no supportedOn; it gets the template default"),
                    "no supportedOn",
                );
            }
            (None, None) => {}
        }
        if let Some(v) = a.attr(p, "valueName") {
            d.str("value_name", &v);
        }
        if let Some(e) = doc.child(p, "enabledValue") {
            let v = self.value_of(Some(e), p);
            d.raw("enabled_value", &v);
        }
        if let Some(e) = doc.child(p, "disabledValue") {
            let v = self.value_of(Some(e), p);
            d.raw("disabled_value", &v);
        }
        for (tag, field) in [
            ("enabledList", "enabled_list"),
            ("disabledList", "disabled_list"),
        ] {
            if let Some(l) = doc.child(p, tag) {
                let v = self.list(l, &key);
                d.raw(field, &v);
            }
        }
        let presentation = a
            .attr(p, "presentation")
            .map(|r| referenced_id(&r, "presentation").to_string());
        // Named when it is not the policy's own name, or when no element would make one.
        let has_elements = doc
            .child(p, "elements")
            .is_some_and(|e| doc.children(e).next().is_some());
        if let Some(pr) = presentation
            .as_ref()
            .filter(|pr| **pr != name || !has_elements)
        {
            d.str("presentation", pr);
        }
        if let Some(c) = a.attr(p, "clientExtension") {
            d.str("client_extension", &c);
        }
        self.text_field(d, "display_name", p, "displayName", &name);
        if a.attr(p, "explainText").is_some() {
            self.text_field(d, "explain", p, "explainText", &format!("{name}_Explain"));
        } else {
            let span = a.span(p);
            self.left_out(
                span,
                format!("policy `{name}` has no explainText"),
                "no explain text",
            );
        }
        for other in doc.children(p).filter(|x| {
            !matches!(
                doc.name(*x),
                "parentCategory"
                    | "supportedOn"
                    | "enabledValue"
                    | "disabledValue"
                    | "enabledList"
                    | "disabledList"
                    | "elements"
            )
        }) {
            let span = a.span(other);
            self.left_out(
                span,
                format!("`{}` of policy `{name}` is not imported", doc.name(other)),
                "left out",
            );
        }
        self.elements(p, &name, &key, presentation.as_deref(), d);
    }

    /// Elements in the order of the en-US presentation, each with its control's settings and
    /// label; static texts become `label` elements.
    fn elements(
        &mut self,
        p: u32,
        policy: &str,
        key: &str,
        presentation: Option<&str>,
        d: &mut Doc,
    ) {
        let a = self.admx;
        let doc = &a.doc;
        let elements: Vec<u32> = doc
            .child(p, "elements")
            .map(|e| doc.children(e).collect())
            .unwrap_or_default();
        let en_doc = &self.en.file.doc;
        let en_pres = presentation.and_then(|id| self.en.presentations.get(id).copied());
        if let (Some(id), None) = (presentation, en_pres) {
            let span = a.attr_span(p, "presentation");
            self.diags.push(
                Diagnostic::new(
                    Code::I004,
                    format!("presentation `{id}` is not in the en-US ADML"),
                )
                .at(span, "referenced here"),
            );
        }
        let controls: Vec<u32> = en_pres
            .map(|pe| en_doc.children(pe).collect())
            .unwrap_or_default();
        for &c in &controls {
            self.control_attrs(c, policy);
        }
        let mut placed: HashSet<u32> = HashSet::new();
        let mut text_no = 0;
        // Localised texts of this presentation, by generated id, per culture.
        let mut en_texts: Vec<(String, String)> = Vec::new();
        for &c in &controls {
            let ctl = en_doc.name(c).to_string();
            match en_doc.attr(c, "refId").map(|(v, _)| v.into_owned()) {
                None if ctl == "text" => {
                    text_no += 1;
                    let texts = control_texts(en_doc, c, policy, None, text_no);
                    d.table("[[policy.element]]");
                    d.str("kind", "label");
                    d.raw("label", &super::toml::text_field(&texts[0].1));
                    en_texts.extend(texts);
                }
                ref_id => {
                    let ref_id = ref_id.unwrap_or_default();
                    match elements
                        .iter()
                        .find(|e| a.attr(**e, "id").as_deref() == Some(ref_id.as_str()))
                    {
                        Some(&e) if placed.insert(e) => {
                            en_texts.extend(control_texts(en_doc, c, policy, Some(&ref_id), 0));
                            self.element(e, Some(c), policy, key, d);
                        }
                        _ => {
                            let span = Span::new(self.en.file.id, en_doc.name_span(c));
                            self.left_out(
                                span,
                                format!("control `{ctl}` refers to no element `{ref_id}` of policy `{policy}` (or to one already shown); left out"),
                                "no such element",
                            );
                        }
                    }
                }
            }
        }
        for &e in &elements {
            if placed.contains(&e) {
                continue;
            }
            let id = a.attr(e, "id").unwrap_or_default();
            let span = a.span(e);
            self.left_out(
                span,
                format!("element `{id}` of policy `{policy}` has no control in its presentation; imported with an empty label, so the rebuilt dialog shows it"),
                "no control",
            );
            en_texts.push((format!("{policy}_{id}"), String::new()));
            self.element(e, None, policy, key, d);
        }
        for (id, t) in &en_texts {
            self.en_labels.insert(id.clone(), t.clone());
        }
        // Other cultures: the same presentation, texts matched by refId (labels by order).
        let Some(pres_id) = presentation else { return };
        for c in self.cultures {
            let cdoc = &c.file.doc;
            let Some(cp) = c.presentations.get(pres_id).copied() else {
                continue;
            };
            let cctl: Vec<u32> = cdoc.children(cp).collect();
            let same_shape = cctl.len() == controls.len()
                && cctl.iter().zip(&controls).all(|(x, y)| {
                    cdoc.name(*x) == en_doc.name(*y)
                        && cdoc.attr(*x, "refId").map(|v| v.0)
                            == en_doc.attr(*y, "refId").map(|v| v.0)
                });
            if !same_shape {
                self.diags.push(
                    Diagnostic::new(
                        Code::I003,
                        format!("presentation `{pres_id}` in {} differs from en-US; its texts are matched by refId and order, the en-US layout is kept", c.name),
                    )
                    .at(Span::new(c.file.id, cdoc.name_span(cp)), "this presentation"),
                );
            }
            let mut n = 0;
            let mut texts = Vec::new();
            for &x in &cctl {
                match cdoc.attr(x, "refId").map(|(v, _)| v.into_owned()) {
                    None if cdoc.name(x) == "text" => {
                        n += 1;
                        texts.extend(control_texts(cdoc, x, policy, None, n));
                    }
                    Some(r) => texts.extend(control_texts(cdoc, x, policy, Some(&r), 0)),
                    None => {}
                }
            }
            let table = self
                .locales
                .get_mut(&c.name)
                .expect("one table per culture");
            for (id, t) in texts {
                if en_texts.iter().any(|(e, _)| *e == id) {
                    table.insert(id, t);
                }
            }
        }
    }

    /// Reports control attributes the definitions do not hold, and numbers that do not parse.
    fn control_attrs(&mut self, c: u32, policy: &str) {
        let doc = &self.en.file.doc;
        let kind = doc.name(c).to_string();
        let known = crate::admx::control_attributes(&kind).unwrap_or_default();
        let numeric = ["defaultValue", "spinStep", "defaultHeight", "defaultItem"];
        let mut found = Vec::new();
        for at in doc.attrs(c) {
            let n = doc.attr_name(at).to_string();
            let v = doc.value(at).trim().to_string();
            let range = at.name.start as usize..at.value.end as usize;
            if n == "refId" {
                continue;
            }
            if !known.contains(&n.as_str()) && crate::admx::control_attributes(&kind).is_some() {
                found.push((range, format!("attribute `{n}` of a `{kind}` in policy `{policy}`'s presentation is not in Microsoft's schema, so no consumer reads it; left out (gpforge diff does not count it)")));
            } else if !known.contains(&n.as_str()) {
                found.push((range, format!("attribute `{n}` of a `{kind}` in policy `{policy}`'s presentation has no place in the definitions; left out")));
            } else if numeric.contains(&n.as_str())
                && crate::validate::checks::schema::parse_unsigned(&v).is_none()
                && !(n == "defaultValue" && v.is_empty() && kind.ends_with("ecimalTextBox"))
            {
                found.push((range, format!("`{n}=\"{v}\"` of a `{kind}` in policy `{policy}`'s presentation is not a number; left out")));
            }
        }
        for (range, msg) in found {
            self.left_out(Span::new(self.en.file.id, range), msg, "not imported");
        }
    }

    fn element(
        &mut self,
        e: u32,
        control: Option<u32>,
        policy: &str,
        policy_key: &str,
        d: &mut Doc,
    ) {
        let a = self.admx;
        let doc = &a.doc;
        let en_doc = &self.en.file.doc;
        let kind = doc.name(e).to_string();
        let id = a.attr(e, "id").unwrap_or_default();
        self.unknown_attrs(e, &format!("element `{id}` of policy `{policy}`"));
        let toml_kind = match kind.as_str() {
            "decimal" => "decimal",
            "longDecimal" => "long_decimal",
            "text" => "text",
            "multiText" => "multi_text",
            "enum" => "enum",
            "boolean" => "boolean",
            "list" => "list",
            other => {
                let span = a.span(e);
                self.left_out(
                    span,
                    format!("element kind `{other}` is unknown; left out"),
                    "left out",
                );
                return;
            }
        };
        let control = control.filter(|c| {
            let ok = ElementKind::of(&kind).is_some_and(|k| fits(en_doc.name(*c), k));
            if !ok {
                let span = Span::new(self.en.file.id, en_doc.name_span(*c));
                self.diags.push(
                    Diagnostic::new(
                        Code::I002,
                        format!(
                            "a `{}` cannot show a `{kind}` element; its settings are left out",
                            en_doc.name(*c)
                        ),
                    )
                    .at(span, "control"),
                );
            }
            ok
        });
        let ctl_name = control
            .map(|c| en_doc.name(c).to_string())
            .unwrap_or_default();
        let cattr =
            |n: &str| control.and_then(|c| en_doc.attr(c, n).map(|(v, _)| v.trim().to_string()));
        let cflag = |n: &str| cattr(n).map(|v| v == "true" || v == "1");
        let cnum =
            |n: &str| cattr(n).and_then(|v| crate::validate::checks::schema::parse_unsigned(&v));
        d.table("[[policy.element]]");
        d.str("kind", toml_kind);
        d.str("id", &id);
        let own_key = a.attr(e, "key");
        if let Some(k) = &own_key {
            d.str("key", k);
        }
        if let Some(c) = a.attr(e, "clientExtension") {
            d.str("client_extension", &c);
        }
        match a.attr(e, "valueName") {
            Some(_) if kind == "list" => {
                let span = a.attr_span(e, "valueName");
                self.left_out(
                    span,
                    format!("`valueName` of list `{id}` is ignored by the editor (a list writes one value per entry); left out"),
                    "not imported",
                );
            }
            Some(v) => d.str("value_name", &v),
            None => {}
        }
        d.raw(
            "label",
            &super::toml::text_field(&control.map(|c| label_of(en_doc, c)).unwrap_or_default()),
        );
        for (attr, field) in [("required", "required"), ("soft", "soft")] {
            // Only kinds whose schema has the attribute (unknown_attrs reported the others).
            if crate::admx::attributes(&kind).contains(&attr) && a.flag(e, attr) == Some(true) {
                d.bool(field, true);
            }
        }
        let effective_key = own_key.clone().unwrap_or_else(|| policy_key.to_string());
        match kind.as_str() {
            "decimal" | "longDecimal" => {
                if let Some(n) = a.number(e, "minValue") {
                    d.num("min", n);
                }
                if let Some(n) = a.number(e, "maxValue") {
                    d.num("max", n);
                }
                if a.flag(e, "storeAsText") == Some(true) {
                    d.bool("store_as_text", true);
                }
                if let Some(n) = cnum("defaultValue") {
                    d.num("default", n);
                } else if cattr("defaultValue").is_some_and(|v| v.trim().is_empty()) {
                    // `defaultValue=""` is kept as written (the build warns, D049).
                    d.str("default", "");
                }
                if cflag("spin") == Some(false) {
                    d.bool("spin", false);
                }
                if let Some(n) = cnum("spinStep").filter(|n| *n != 1) {
                    d.num("spin_step", n);
                }
            }
            "text" => {
                if let Some(n) = a.number(e, "maxLength") {
                    d.num("max_length", n);
                }
                if a.flag(e, "expandable") == Some(true) {
                    d.bool("expandable", true);
                }
                let c = control.unwrap_or(0);
                if ctl_name == "comboBox" {
                    d.str("control", "comboBox");
                    if let Some(dv) = en_doc.child(c, "default") {
                        d.str("default", &en_doc.text(dv));
                    }
                    let sugg: Vec<String> = en_doc
                        .children_named(c, "suggestion")
                        .map(|s| text(en_doc.text(s).trim()))
                        .collect();
                    if !sugg.is_empty() {
                        d.raw("suggestions", &array(&sugg));
                    }
                    if cflag("noSort") == Some(true) {
                        d.bool("no_sort", true);
                    }
                } else if ctl_name == "textBox"
                    && let Some(dv) = en_doc.child(c, "defaultValue")
                {
                    d.str("default", &en_doc.text(dv));
                }
            }
            "multiText" => {
                if let Some(n) = a.number(e, "maxLength") {
                    d.num("max_length", n);
                }
                if let Some(n) = a.number(e, "maxStrings") {
                    d.num("max_strings", n);
                }
                if cflag("showAsDialog") == Some(true) {
                    d.bool("show_as_dialog", true);
                }
                if let Some(n) = cnum("defaultHeight").filter(|n| *n != 3) {
                    d.num("height", n);
                }
            }
            "enum" => {
                let mut names: HashSet<String> = HashSet::new();
                let mut items = Vec::new();
                let mut item_names = Vec::new();
                for it in doc.children_named(e, "item") {
                    let display = a
                        .attr(it, "displayName")
                        .map(|r| referenced_id(&r, "string").to_string())
                        .unwrap_or_default();
                    let prefix = format!("{policy}_{id}_");
                    let base = display
                        .strip_prefix(&prefix)
                        .unwrap_or(&display)
                        .to_string();
                    let base = if crate::model::id::is_item_name(&base) {
                        base
                    } else {
                        "item".to_string()
                    };
                    let mut item = base.clone();
                    let mut k = 2;
                    while !names.insert(item.clone()) {
                        item = format!("{base}_{k}");
                        k += 1;
                    }
                    let mut pairs = vec![("name".to_string(), string(&item))];
                    pairs.extend(self.text_pairs(
                        "display_name",
                        it,
                        "displayName",
                        &format!("{prefix}{item}"),
                    ));
                    pairs.push(("value".into(), self.value_of(doc.child(it, "value"), it)));
                    if let Some(l) = doc.child(it, "valueList") {
                        pairs.push(("value_list".into(), self.list(l, &effective_key)));
                    }
                    let pairs: Vec<(&str, String)> =
                        pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                    items.push(inline(&pairs));
                    item_names.push(item);
                }
                d.raw("items", &array(&items));
                if let Some(i) = cnum("defaultItem") {
                    match item_names.get(i as usize) {
                        Some(n) => d.str("default", n),
                        None => {
                            let span =
                                Span::new(self.en.file.id, en_doc.name_span(control.unwrap_or(0)));
                            self.left_out(
                                span,
                                format!("defaultItem {i} is not an item of `{id}`; left out"),
                                "no such item",
                            );
                        }
                    }
                }
                if control.is_some() && cflag("noSort") != Some(true) {
                    d.bool("no_sort", false);
                }
            }
            "boolean" => {
                for (tag, field) in [("trueValue", "true_value"), ("falseValue", "false_value")] {
                    if let Some(v) = doc.child(e, tag) {
                        let v = self.value_of(Some(v), e);
                        d.raw(field, &v);
                    }
                }
                for (tag, field) in [("trueList", "true_list"), ("falseList", "false_list")] {
                    if let Some(l) = doc.child(e, tag) {
                        let v = self.list(l, &effective_key);
                        d.raw(field, &v);
                    }
                }
                if cflag("defaultChecked") == Some(true) {
                    d.bool("default", true);
                }
            }
            "list" => {
                if let Some(v) = a.attr(e, "valuePrefix") {
                    d.str("value_prefix", &v);
                }
                for (attr, field) in [
                    ("additive", "additive"),
                    ("expandable", "expandable"),
                    ("explicitValue", "explicit_value"),
                ] {
                    if a.flag(e, attr) == Some(true) {
                        d.bool(field, true);
                    }
                }
            }
            _ => {}
        }
    }
}
