//! Reads one side of a diff: an ADMX file (with the ADMLs GPMC would read beside it) or a whole
//! store, through the validator's decoder and spanned DOM, into a comparable view of each
//! template: policies with their registry targets, values, elements and strings per culture.
//! Input: paths. Output: [`Side`], or a failure when a file cannot be read or parsed.

use crate::admx::decode;
use crate::admx::dom::Document;
use crate::validate::checks::namespace::Kind;
use crate::validate::facts::value;
use crate::validate::groups;
use crate::validate::store::{self, Place};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::validate::facts::Val;

/// `(key, valueName, value)` of an enabledList/disabledList/valueList item.
pub type ListItem = (Option<String>, String, Option<Val>);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    pub display: String,
    pub value: Option<Val>,
    pub value_list: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Elem {
    pub id: String,
    pub kind: String,
    pub key: Option<String>,
    pub value_name: Option<String>,
    /// Every other attribute (limits, flags), by name.
    pub attrs: BTreeMap<String, String>,
    pub items: Vec<Item>,
    /// Boolean trueValue/falseValue.
    pub values: BTreeMap<String, Val>,
    /// Boolean trueList/falseList.
    pub lists: BTreeMap<String, Vec<ListItem>>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pol {
    pub class: String,
    pub key: String,
    pub value_name: Option<String>,
    pub enabled: Option<Val>,
    pub disabled: Option<Val>,
    pub enabled_list: Vec<ListItem>,
    pub disabled_list: Vec<ListItem>,
    pub elements: Vec<Elem>,
    pub category: Option<String>,
    pub supported: Option<String>,
    pub display: String,
    pub explain: Option<String>,
    pub presentation: Option<String>,
}

/// A presentation control: kind, refId and its other attributes and label text.
pub type Control = (String, Option<String>, BTreeMap<String, String>, String);

#[derive(Debug, Clone, Default)]
pub struct Tmpl {
    pub file: String,
    pub namespace: String,
    pub prefix: String,
    pub revision: String,
    pub categories: BTreeMap<String, Option<String>>,
    pub policies: BTreeMap<String, Pol>,
    /// culture → string id → text.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// culture → presentation id → controls.
    pub presentations: BTreeMap<String, BTreeMap<String, Vec<Control>>>,
    /// Everything else the ADMX says that a consumer reads, by subject (`product X`,
    /// `supportedOn X`, `using x`, `category X texts`, `policy X clientExtension`…), in a
    /// canonical text: compared as a whole.
    pub other: BTreeMap<String, String>,
}

/// `el` and its subtree as one canonical line: name, the schema's attributes sorted (string
/// references by id), children in order. White space in texts is trimmed.
fn canonical(doc: &Document, el: u32) -> String {
    let name = doc.name(el);
    let own = crate::admx::attributes(name);
    let mut attrs: Vec<String> = doc
        .attrs(el)
        .iter()
        .filter(|a| {
            let n = doc.attr_name(a);
            !n.starts_with("xmlns") && own.contains(&n)
        })
        .map(|a| {
            let v = doc.value(a);
            let v = string_id(Some(v.trim().to_string()), "string").unwrap_or_default();
            format!("{}={v}", doc.attr_name(a))
        })
        .collect();
    attrs.sort();
    let children: Vec<String> = doc.children(el).map(|c| canonical(doc, c)).collect();
    format!("{name}[{}]({})", attrs.join(","), children.join(";"))
}

/// The [`Tmpl::other`] facts of an ADMX.
fn other(doc: &Document, root: u32, t: &mut Tmpl) {
    let mut put = |k: String, v: String| {
        t.other.insert(k, v);
    };
    if let Some(ns) = doc.child(root, "policyNamespaces") {
        for u in doc.children_named(ns, "using") {
            let p = attr(doc, u, "prefix").unwrap_or_default();
            put(
                format!("using {p}"),
                attr(doc, u, "namespace").unwrap_or_default(),
            );
        }
    }
    let superseded: Vec<String> = doc
        .children_named(root, "supersededAdm")
        .filter_map(|s| attr(doc, s, "fileName"))
        .collect();
    if !superseded.is_empty() {
        put("supersededAdm".into(), superseded.join(", "));
    }
    if let Some(r) = doc
        .child(root, "resources")
        .and_then(|r| attr(doc, r, "minRequiredRevision"))
    {
        put("minRequiredRevision".into(), r.trim().to_string());
    }
    if let Some(s) = doc.child(root, "supportedOn") {
        if let Some(products) = doc.child(s, "products") {
            for p in doc.children_named(products, "product") {
                let name = attr(doc, p, "name").unwrap_or_default();
                put(format!("product {name}"), canonical(doc, p));
            }
        }
        if let Some(defs) = doc.child(s, "definitions") {
            for d in doc.children_named(defs, "definition") {
                let name = attr(doc, d, "name").unwrap_or_default();
                put(format!("supportedOn {name}"), canonical(doc, d));
            }
        }
    }
    if let Some(cats) = doc.child(root, "categories") {
        for c in doc.children_named(cats, "category") {
            let name = attr(doc, c, "name").unwrap_or_default();
            put(format!("category {name} texts"), canonical(doc, c));
        }
    }
    if let Some(pols) = doc.child(root, "policies") {
        for p in doc.children_named(pols, "policy") {
            if let (Some(name), Some(c)) = (attr(doc, p, "name"), attr(doc, p, "clientExtension")) {
                put(format!("policy {name} clientExtension"), c);
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct Side {
    /// Lower-cased file stem → template.
    pub templates: BTreeMap<String, Tmpl>,
}

fn attr(doc: &Document, el: u32, name: &str) -> Option<String> {
    doc.attr(el, name).map(|(v, _)| v.into_owned())
}

/// A list's items; an item without `key` (and no `defaultKey`) writes under `fallback` (the
/// policy's or element's key), so both spellings compare equal.
fn list(doc: &Document, el: Option<u32>, fallback: &str) -> Vec<ListItem> {
    let Some(el) = el else { return Vec::new() };
    let default_key = attr(doc, el, "defaultKey");
    doc.children_named(el, "item")
        .map(|i| {
            (
                attr(doc, i, "key")
                    .or_else(|| default_key.clone())
                    .or_else(|| Some(fallback.to_string())),
                attr(doc, i, "valueName").unwrap_or_default(),
                value(doc, doc.child(i, "value")),
            )
        })
        .collect()
}

/// Attribute values as GPMC reads them: booleans spelt `true`, and attributes that state their
/// XSD default left out, so `maxLength="1023"` equals no `maxLength`.
fn normalize(attrs: &mut BTreeMap<String, String>) {
    const DEFAULTS: &[(&str, &str)] = &[
        ("required", "false"),
        ("soft", "false"),
        ("storeAsText", "false"),
        ("expandable", "false"),
        ("additive", "false"),
        ("explicitValue", "false"),
        ("minValue", "0"),
        ("maxValue", "9999"),
        ("maxLength", "1023"),
        ("maxStrings", "0"),
        ("spin", "true"),
        ("spinStep", "1"),
        ("noSort", "false"),
        ("defaultChecked", "false"),
        ("showAsDialog", "false"),
        ("defaultHeight", "3"),
    ];
    for (k, v) in attrs.iter_mut() {
        let t = v.trim();
        let boolean = DEFAULTS
            .iter()
            .any(|(dk, dv)| dk == k && matches!(*dv, "true" | "false"));
        *v = match t {
            "1" if boolean => "true".into(),
            "0" if boolean => "false".into(),
            _ => match crate::validate::checks::schema::parse_unsigned(t) {
                Some(n) if !boolean => n.to_string(),
                _ => t.to_string(),
            },
        };
    }
    attrs.retain(|k, v| !DEFAULTS.iter().any(|(dk, dv)| dk == k && dv == v));
}

fn string_id(s: Option<String>, kind: &str) -> Option<String> {
    s.map(|s| crate::validate::checks::referenced_id(&s, kind).to_string())
}

fn admx(doc: &Document, file: String) -> Tmpl {
    let mut t = Tmpl {
        file,
        ..Tmpl::default()
    };
    let Some(root) = doc.root else { return t };
    t.revision = attr(doc, root, "revision").unwrap_or_default();
    other(doc, root, &mut t);
    if let Some(target) = doc
        .child(root, "policyNamespaces")
        .and_then(|n| doc.child(n, "target"))
    {
        t.namespace = attr(doc, target, "namespace").unwrap_or_default();
        t.prefix = attr(doc, target, "prefix").unwrap_or_default();
    }
    let parent = |el: u32| {
        doc.child(el, "parentCategory")
            .and_then(|p| attr(doc, p, "ref"))
    };
    if let Some(cats) = doc.child(root, "categories") {
        for c in doc.children_named(cats, "category") {
            if let Some(name) = attr(doc, c, "name") {
                t.categories.insert(name, parent(c));
            }
        }
    }
    let Some(pols) = doc.child(root, "policies") else {
        return t;
    };
    for p in doc.children_named(pols, "policy") {
        let Some(name) = attr(doc, p, "name") else {
            continue;
        };
        let policy_key = attr(doc, p, "key").unwrap_or_default();
        let mut elements = Vec::new();
        if let Some(els) = doc.child(p, "elements") {
            for e in doc.children(els) {
                let mut attrs = BTreeMap::new();
                let own = crate::admx::attributes(doc.name(e));
                for a in doc.attrs(e) {
                    let n = doc.attr_name(a);
                    // An attribute the element does not have is read by no consumer.
                    if !matches!(n, "id" | "key" | "valueName") && own.contains(&n) {
                        attrs.insert(n.to_string(), doc.value(a).into_owned());
                    }
                }
                normalize(&mut attrs);
                let element_key = attr(doc, e, "key").unwrap_or_else(|| policy_key.clone());
                let items = doc
                    .children_named(e, "item")
                    .map(|i| Item {
                        display: string_id(attr(doc, i, "displayName"), "string")
                            .unwrap_or_default(),
                        value: value(doc, doc.child(i, "value")),
                        value_list: list(doc, doc.child(i, "valueList"), &element_key),
                    })
                    .collect();
                let mut values = BTreeMap::new();
                let mut lists = BTreeMap::new();
                for (n, is_list) in [
                    ("trueValue", false),
                    ("falseValue", false),
                    ("trueList", true),
                    ("falseList", true),
                ] {
                    if let Some(c) = doc.child(e, n) {
                        if is_list {
                            lists.insert(n.to_string(), list(doc, Some(c), &element_key));
                        } else if let Some(v) = value(doc, Some(c)) {
                            values.insert(n.to_string(), v);
                        }
                    }
                }
                elements.push(Elem {
                    id: attr(doc, e, "id").unwrap_or_default(),
                    kind: doc.name(e).to_string(),
                    key: attr(doc, e, "key"),
                    // A list writes one value per entry; a valueName on it is ignored.
                    value_name: attr(doc, e, "valueName").filter(|_| doc.name(e) != "list"),
                    attrs,
                    items,
                    values,
                    lists,
                });
            }
        }
        t.policies.insert(
            name,
            Pol {
                class: attr(doc, p, "class").unwrap_or_default(),
                key: attr(doc, p, "key").unwrap_or_default(),
                value_name: attr(doc, p, "valueName"),
                enabled: value(doc, doc.child(p, "enabledValue")),
                disabled: value(doc, doc.child(p, "disabledValue")),
                enabled_list: list(doc, doc.child(p, "enabledList"), &policy_key),
                disabled_list: list(doc, doc.child(p, "disabledList"), &policy_key),
                elements,
                category: parent(p),
                supported: doc
                    .child(p, "supportedOn")
                    .and_then(|s| attr(doc, s, "ref")),
                display: string_id(attr(doc, p, "displayName"), "string").unwrap_or_default(),
                explain: string_id(attr(doc, p, "explainText"), "string"),
                presentation: string_id(attr(doc, p, "presentation"), "presentation"),
            },
        );
    }
    t
}

fn adml(doc: &Document, t: &mut Tmpl, culture: &str) {
    let Some(res) = doc.root.and_then(|r| doc.child(r, "resources")) else {
        return;
    };
    let strings = t.strings.entry(culture.to_string()).or_default();
    if let Some(table) = doc.child(res, "stringTable") {
        for s in doc.children_named(table, "string") {
            if let Some(id) = attr(doc, s, "id") {
                strings
                    .entry(id)
                    .or_insert_with(|| doc.text(s).into_owned());
            }
        }
    }
    let pres = t.presentations.entry(culture.to_string()).or_default();
    if let Some(table) = doc.child(res, "presentationTable") {
        for p in doc.children_named(table, "presentation") {
            let Some(id) = attr(doc, p, "id") else {
                continue;
            };
            let controls = doc
                .children(p)
                .map(|c| {
                    let mut attrs = BTreeMap::new();
                    let own = crate::admx::control_attributes(doc.name(c));
                    for a in doc.attrs(c) {
                        let n = doc.attr_name(a);
                        if n != "refId" && own.is_none_or(|own| own.contains(&n)) {
                            attrs.insert(n.to_string(), doc.value(a).into_owned());
                        }
                    }
                    normalize(&mut attrs);
                    let mut parts = Vec::new();
                    let own = doc.text(c);
                    if !own.trim().is_empty() {
                        parts.push(format!("\"{}\"", own.trim()));
                    }
                    for child in doc.children(c) {
                        parts.push(format!(
                            "{} \"{}\"",
                            doc.name(child),
                            doc.text(child).trim()
                        ));
                    }
                    let label = parts.join(", ");
                    (doc.name(c).to_string(), attr(doc, c, "refId"), attrs, label)
                })
                .collect();
            pres.entry(id).or_insert(controls);
        }
    }
}

/// Failures: unreadable or unparsable files.
#[derive(Debug)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

fn parse(path: &Path) -> Result<Document, ReadError> {
    let bytes =
        crate::fsx::read_checked(path, None).map_err(|e| ReadError(format!("cannot read {e}")))?;
    parse_bytes(&path.display().to_string(), bytes)
}

fn parse_bytes(name: &str, bytes: Vec<u8>) -> Result<Document, ReadError> {
    let (doc, problem) = Document::parse(decode::decode(bytes).text);
    match problem {
        Some(p) => Err(ReadError(format!(
            "{name} is not well-formed XML: {p}; run `gpforge validate` on it"
        ))),
        None => Ok(doc),
    }
}

/// Reads an ADMX file (with its ADMLs) or a store folder.
pub fn read(path: &Path) -> Result<Side, ReadError> {
    let gs = groups(&[PathBuf::from(path)]).map_err(|e| ReadError(e.to_string()))?;
    let mut side = Side::default();
    let mut admls = Vec::new();
    for g in &gs {
        for e in &g.entries {
            let stem = e
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            match (&e.place, e.ext_kind) {
                (Place::Top, Some(Kind::Admx)) => {
                    let doc = parse(&e.path)?;
                    let file = e
                        .path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    side.templates.insert(stem, admx(&doc, file));
                }
                (Place::Culture(c), Some(Kind::Adml)) => admls.push((stem, c.clone(), &e.path)),
                _ => {}
            }
        }
    }
    for (stem, culture, path) in admls {
        if let Some(t) = side.templates.get_mut(&stem) {
            let doc = parse(path)?;
            adml(&doc, t, &store::canonical_culture(&culture));
        }
    }
    if side.templates.is_empty() {
        return Err(ReadError(format!(
            "{}: no ADMX template found (expected an .admx file or a store folder holding them)",
            path.display()
        )));
    }
    Ok(side)
}

/// Reads a store held in memory: (name relative to the store, bytes), ADMX files at the top and
/// ADMLs as `<culture>/<name>.adml`.
pub fn read_memory(files: &[(String, Vec<u8>)]) -> Result<Side, ReadError> {
    let mut docs = Vec::new();
    for (name, bytes) in files {
        docs.push((name.clone(), parse_bytes(name, bytes.clone())?));
    }
    Ok(read_documents(&docs))
}

/// [`read_memory`] of files already parsed (`<name>.admx`, `<culture>/<name>.adml`).
pub fn read_documents(files: &[(String, Document)]) -> Side {
    let mut side = Side::default();
    let stem = |n: &str| {
        Path::new(n)
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    };
    for (name, doc) in files
        .iter()
        .filter(|(n, _)| !n.contains('/') && n.ends_with(".admx"))
    {
        side.templates.insert(stem(name), admx(doc, name.clone()));
    }
    for (name, doc) in files.iter().filter(|(n, _)| n.ends_with(".adml")) {
        let Some((culture, file)) = name.split_once('/') else {
            continue;
        };
        if let Some(t) = side.templates.get_mut(&stem(file)) {
            adml(doc, t, &store::canonical_culture(culture));
        }
    }
    side
}
