//! ADMX writer: `PolicyDefinitions/<template>.admx`, in the XSD's element order, always with the
//! 2006/07 default namespace and `encoding="utf-8"` (formats.md §1.2, realclients.md §4).

use super::xml::{NS, Xml, string_ref};
use super::{Artifact, Backend, Error, RenderCtx, text};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::*;
use std::path::PathBuf;

pub struct Admx;

impl Backend for Admx {
    fn check(&self, set: &PolicySet, out: &mut Diagnostics) {
        for t in &set.templates {
            for r in &t.registry_only {
                let mut d = Diagnostic::new(
                    Code::B001,
                    format!(
                        "`{}` ({}) has no ADMX form; it is delivered by .reg and Registry.pol",
                        r.id,
                        r.reg_type.reg_name()
                    ),
                );
                d.labels.push(crate::diag::Label {
                    span: r.span.clone(),
                    message: "registry-only setting".into(),
                    primary: true,
                });
                out.push(d);
            }
        }
    }

    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        Ok(set
            .templates
            .iter()
            .map(|t| Artifact {
                path: PathBuf::from(format!("PolicyDefinitions/{}.admx", t.file_name)),
                bytes: text::utf8_bom_crlf(&render_template(t)),
            })
            .collect())
    }
}

/// The ADMX text (LF line ends, no BOM).
pub fn render_template(t: &Template) -> String {
    let mut x = Xml::new();
    let revision = t.revision.to_string();
    x.open(
        "policyDefinitions",
        &[
            ("revision", &revision),
            ("schemaVersion", "1.0"),
            ("xmlns", NS),
        ],
    );
    x.open("policyNamespaces", &[]);
    x.empty(
        "target",
        &[
            ("prefix", t.target.prefix.as_str()),
            ("namespace", t.target.namespace.as_str()),
        ],
    );
    for u in &t.usings {
        x.empty(
            "using",
            &[
                ("prefix", u.prefix.as_str()),
                ("namespace", u.namespace.as_str()),
            ],
        );
    }
    x.close("policyNamespaces");
    for s in &t.superseded_adm {
        x.empty("supersededAdm", &[("fileName", s)]);
    }
    let min_rev = t.min_required_revision.to_string();
    x.empty("resources", &[("minRequiredRevision", &min_rev)]);
    supported_on(&mut x, t);
    if !t.categories.is_empty() {
        x.open("categories", &[]);
        for c in &t.categories {
            category(&mut x, c);
        }
        x.close("categories");
    }
    if !t.policies.is_empty() {
        x.open("policies", &[]);
        for p in &t.policies {
            policy(&mut x, p);
        }
        x.close("policies");
    }
    x.close("policyDefinitions");
    x.finish()
}

fn supported_on(x: &mut Xml, t: &Template) {
    if t.products.is_empty() && t.supported_on.is_empty() {
        return;
    }
    x.open("supportedOn", &[]);
    if !t.products.is_empty() {
        x.open("products", &[]);
        for p in &t.products {
            let d = string_ref(p.display.as_str());
            let attrs = [("name", p.name.as_str()), ("displayName", d.as_str())];
            if p.versions.is_empty() {
                x.empty("product", &attrs);
                continue;
            }
            x.open("product", &attrs);
            for v in &p.versions {
                let version = |v: &crate::model::MajorVersion| {
                    [
                        ("name", v.name.as_str().to_string()),
                        ("displayName", string_ref(v.display.as_str())),
                        ("versionIndex", v.index.to_string()),
                    ]
                };
                let own = version(v);
                let attrs: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
                if v.minors.is_empty() {
                    x.empty("majorVersion", &attrs);
                    continue;
                }
                x.open("majorVersion", &attrs);
                for m in &v.minors {
                    let own = version(m);
                    let attrs: Vec<(&str, &str)> =
                        own.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    x.empty("minorVersion", &attrs);
                }
                x.close("majorVersion");
            }
            x.close("product");
        }
        x.close("products");
    }
    if !t.supported_on.is_empty() {
        x.open("definitions", &[]);
        for d in &t.supported_on {
            let disp = string_ref(d.display.as_str());
            let Some(comb) = d.combinator else {
                x.empty(
                    "definition",
                    &[("name", d.name.as_str()), ("displayName", &disp)],
                );
                continue;
            };
            let comb = match comb {
                Combinator::Or => "or",
                Combinator::And => "and",
            };
            x.open(
                "definition",
                &[("name", d.name.as_str()), ("displayName", &disp)],
            );
            x.open(comb, &[]);
            for e in &d.entries {
                match e {
                    SupportedEntry::Reference(r) => {
                        let r = r.to_string();
                        x.empty("reference", &[("ref", &r)]);
                    }
                    SupportedEntry::Range { target, min, max } => {
                        let r = target.to_string();
                        let min = min.map(|m| m.to_string());
                        let max = max.map(|m| m.to_string());
                        let mut attrs = vec![("ref", r.as_str())];
                        if let Some(m) = &min {
                            attrs.push(("minVersionIndex", m));
                        }
                        if let Some(m) = &max {
                            attrs.push(("maxVersionIndex", m));
                        }
                        x.empty("range", &attrs);
                    }
                }
            }
            x.close(comb);
            x.close("definition");
        }
        x.close("definitions");
    }
    x.close("supportedOn");
}

fn category(x: &mut Xml, c: &Category) {
    let d = string_ref(c.display.as_str());
    let e = c.explain.as_ref().map(|e| string_ref(e.as_str()));
    let mut attrs = vec![("name", c.id.as_str()), ("displayName", d.as_str())];
    if let Some(e) = &e {
        attrs.push(("explainText", e));
    }
    match &c.parent {
        None => x.empty("category", &attrs),
        Some(p) => {
            x.open("category", &attrs);
            let r = p.to_string();
            x.empty("parentCategory", &[("ref", &r)]);
            x.close("category");
        }
    }
}

fn policy(x: &mut Xml, p: &Policy) {
    let d = string_ref(p.display.as_str());
    let e = p.explain.as_ref().map(|e| string_ref(e.as_str()));
    let pres = p
        .presentation
        .as_ref()
        .map(|pr| format!("$(presentation.{})", pr.id));
    let mut attrs = vec![
        ("name", p.id.as_str()),
        ("class", p.class.as_str()),
        ("displayName", d.as_str()),
    ];
    if let Some(e) = &e {
        attrs.push(("explainText", e));
    }
    if let Some(pr) = &pres {
        attrs.push(("presentation", pr));
    }
    attrs.push(("key", p.key.as_str()));
    if let Some(c) = &p.client_extension {
        attrs.push(("clientExtension", c));
    }
    if let Some(v) = &p.value_name {
        attrs.push(("valueName", v.as_str()));
    }
    x.open("policy", &attrs);
    let cat = p
        .category
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    if p.parent_category {
        x.empty("parentCategory", &[("ref", &cat)]);
    }
    if let Some(sup) = &p.supported_on {
        x.empty("supportedOn", &[("ref", &sup.to_string())]);
    }
    if let Some(v) = &p.on_enabled {
        value_wrapped(x, "enabledValue", v);
    }
    if let Some(v) = &p.on_disabled {
        value_wrapped(x, "disabledValue", v);
    }
    value_list(x, "enabledList", &p.enabled_list);
    value_list(x, "disabledList", &p.disabled_list);
    if !p.elements.is_empty() {
        x.open("elements", &[]);
        for el in &p.elements {
            element(x, el);
        }
        x.close("elements");
    }
    x.close("policy");
}

/// The single child of a `Value`: `<decimal value="1"/>`, `<string>x</string>`, `<delete/>`.
fn value(x: &mut Xml, v: &RegValue) {
    match v {
        RegValue::Delete => x.empty("delete", &[]),
        RegValue::Decimal(n) => {
            let n = n.to_string();
            x.empty("decimal", &[("value", &n)]);
        }
        RegValue::LongDecimal(n) => {
            let n = n.to_string();
            x.empty("longDecimal", &[("value", &n)]);
        }
        RegValue::String(s) => x.text_element("string", &[], s),
    }
}

fn value_wrapped(x: &mut Xml, name: &str, v: &RegValue) {
    x.open(name, &[]);
    value(x, v);
    x.close(name);
}

fn value_list(x: &mut Xml, name: &str, list: &ValueList) {
    if list.is_empty() {
        return;
    }
    let dk = list.default_key.as_ref().map(|k| k.as_str().to_string());
    let mut attrs = Vec::new();
    if let Some(k) = &dk {
        attrs.push(("defaultKey", k.as_str()));
    }
    x.open(name, &attrs);
    for i in &list.items {
        let mut a = Vec::new();
        if let Some(k) = &i.key {
            a.push(("key", k.as_str()));
        }
        a.push(("valueName", i.value_name.as_str()));
        x.open("item", &a);
        value_wrapped(x, "value", &i.value);
        x.close("item");
    }
    x.close(name);
}

fn element(x: &mut Xml, e: &Element) {
    let owned = kind_attrs(&e.kind);
    let mut attrs: Vec<(&str, &str)> = vec![("id", e.id.as_str())];
    if let Some(k) = &e.key {
        attrs.push(("key", k.as_str()));
    }
    if let Some(v) = &e.value_name {
        attrs.push(("valueName", v.as_str()));
    }
    if let Some(c) = &e.client_extension {
        attrs.push(("clientExtension", c));
    }
    attrs.extend(owned.iter().map(|(k, v)| (*k, v.as_str())));
    let name = e.kind.admx_name();
    match &e.kind {
        ElementKind::Boolean {
            true_value,
            false_value,
            true_list,
            false_list,
        } => {
            if true_value.is_none()
                && false_value.is_none()
                && true_list.is_empty()
                && false_list.is_empty()
            {
                x.empty(name, &attrs);
                return;
            }
            x.open(name, &attrs);
            if let Some(v) = true_value {
                value_wrapped(x, "trueValue", v);
            }
            if let Some(v) = false_value {
                value_wrapped(x, "falseValue", v);
            }
            value_list(x, "trueList", true_list);
            value_list(x, "falseList", false_list);
            x.close(name);
        }
        ElementKind::Enum { items, .. } => {
            x.open(name, &attrs);
            for i in items {
                let d = string_ref(i.display.as_str());
                x.open("item", &[("displayName", &d)]);
                value_wrapped(x, "value", &i.value);
                value_list(x, "valueList", &i.value_list);
                x.close("item");
            }
            x.close(name);
        }
        _ => x.empty(name, &attrs),
    }
}

/// The attributes an element's kind adds after id, key, valueName and clientExtension, in
/// schema order.
fn kind_attrs(kind: &ElementKind) -> Vec<(&'static str, String)> {
    let mut owned: Vec<(&'static str, String)> = Vec::new();
    let flag = |owned: &mut Vec<(&'static str, String)>, name: &'static str, on: bool| {
        if on {
            owned.push((name, "true".to_string()));
        }
    };
    match kind {
        ElementKind::Boolean { .. } => {}
        ElementKind::Enum { required, .. } => flag(&mut owned, "required", *required),
        ElementKind::Decimal {
            required,
            min,
            max,
            store_as_text,
            soft,
        } => number_attrs(
            &mut owned,
            *required,
            *min as u64,
            *max as u64,
            *store_as_text,
            *soft,
        ),
        ElementKind::LongDecimal {
            required,
            min,
            max,
            store_as_text,
            soft,
        } => number_attrs(&mut owned, *required, *min, *max, *store_as_text, *soft),
        ElementKind::Text {
            required,
            max_length,
            expandable,
            soft,
            ..
        } => {
            flag(&mut owned, "required", *required);
            owned.push(("maxLength", max_length.to_string()));
            flag(&mut owned, "expandable", *expandable);
            flag(&mut owned, "soft", *soft);
        }
        ElementKind::MultiText {
            required,
            max_length,
            max_strings,
            soft,
        } => {
            flag(&mut owned, "required", *required);
            owned.push(("maxLength", max_length.to_string()));
            if *max_strings > 0 {
                owned.push(("maxStrings", max_strings.to_string()));
            }
            flag(&mut owned, "soft", *soft);
        }
        ElementKind::List {
            value_prefix,
            additive,
            expandable,
            explicit_value,
        } => {
            if let Some(p) = value_prefix {
                owned.push(("valuePrefix", p.clone()));
            }
            flag(&mut owned, "additive", *additive);
            flag(&mut owned, "expandable", *expandable);
            flag(&mut owned, "explicitValue", *explicit_value);
        }
    }
    owned
}

/// Attributes of `decimal` and `longDecimal`, in schema order.
fn number_attrs(
    owned: &mut Vec<(&'static str, String)>,
    required: bool,
    min: u64,
    max: u64,
    store_as_text: bool,
    soft: bool,
) {
    if required {
        owned.push(("required", "true".to_string()));
    }
    owned.push(("minValue", min.to_string()));
    owned.push(("maxValue", max.to_string()));
    if store_as_text {
        owned.push(("storeAsText", "true".to_string()));
    }
    if soft {
        owned.push(("soft", "true".to_string()));
    }
}
