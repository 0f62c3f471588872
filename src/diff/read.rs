//! Reads one side of a diff: an ADMX file (with the ADMLs GPMC would read beside it) or a whole
//! store, through the validator's decoder and spanned DOM, into a comparable view of each
//! template: policies with their registry targets, values, elements and strings per culture.
//! Input: paths. Output: [`Side`], or a failure when a file cannot be read or parsed.

use crate::admx::decode;
use crate::admx::dom::Document;
use crate::admx::view::{self, Adml, Admx, Element, ElementKind, List, Node, Typed, Value};
use crate::validate::checks::namespace::Kind;
use crate::validate::groups;
use crate::validate::store::{self, Place};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::admx::view::Val;

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
    /// Every other attribute (limits, flags), by name, typed; schema defaults left out.
    pub attrs: BTreeMap<String, Typed>,
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
pub type Control = (String, Option<String>, BTreeMap<String, Typed>, String);

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
fn canonical(n: Node<'_>) -> String {
    let (doc, el) = (n.doc, n.index);
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
    let children: Vec<String> = n.children().map(canonical).collect();
    format!("{name}[{}]({})", attrs.join(","), children.join(";"))
}

/// The [`Tmpl::other`] facts of an ADMX.
fn other(x: Admx<'_>, t: &mut Tmpl) {
    let mut put = |k: String, v: String| {
        t.other.insert(k, v);
    };
    let name = |a: Option<view::Attr<'_>>| a.map(|a| a.0.into_owned()).unwrap_or_default();
    for u in x.usings() {
        put(format!("using {}", name(u.prefix())), name(u.namespace()));
    }
    let superseded: Vec<String> = x.superseded_adm().map(|a| a.0.into_owned()).collect();
    if !superseded.is_empty() {
        put("supersededAdm".into(), superseded.join(", "));
    }
    if let Some((r, _)) = x.resources().and_then(|r| r.min_required_revision()) {
        put("minRequiredRevision".into(), r.trim().to_string());
    }
    for p in x.products() {
        put(format!("product {}", name(p.name())), canonical(*p));
    }
    for d in x.definitions() {
        put(format!("supportedOn {}", name(d.name())), canonical(*d));
    }
    for c in x.categories() {
        put(format!("category {} texts", name(c.name())), canonical(*c));
    }
    for p in x.policies() {
        if let (Some(n), Some(c)) = (p.name(), p.client_extension()) {
            put(format!("policy {} clientExtension", n.0), c.0.into_owned());
        }
    }
}

#[derive(Debug, Default)]
pub struct Side {
    /// Lower-cased file stem → template.
    pub templates: BTreeMap<String, Tmpl>,
}

/// A list's items; an item without `key` (and no `defaultKey`) writes under `fallback` (the
/// policy's or element's key), so both spellings compare equal.
fn list(l: Option<List<'_>>, fallback: &str) -> Vec<ListItem> {
    let Some(l) = l else { return Vec::new() };
    let default_key = l.get("defaultKey");
    l.items()
        .map(|i| {
            let key = i.get("key").or_else(|| default_key.clone());
            (
                Some(key.map_or_else(|| fallback.to_string(), |k| k.into_owned())),
                owned(i.get("valueName")).unwrap_or_default(),
                i.value().and_then(Value::get),
            )
        })
        .collect()
}

fn owned(v: Option<std::borrow::Cow<'_, str>>) -> Option<String> {
    v.map(|v| v.into_owned())
}

fn string_id(s: Option<String>, kind: &str) -> Option<String> {
    s.map(|s| crate::admx::view::referenced_id(&s, kind).to_string())
}

/// An element's attributes other than `id`, `key` and `valueName`, as GPMC reads them.
fn element_attrs(e: Element<'_>) -> BTreeMap<String, Typed> {
    let own = crate::admx::attributes(e.tag());
    // An attribute the element does not have is read by no consumer.
    e.settings(|n| !matches!(n, "id" | "key" | "valueName") && own.contains(&n))
}

fn element(e: Element<'_>, policy_key: &str) -> Elem {
    let element_key = owned(e.get("key")).unwrap_or_else(|| policy_key.to_string());
    let items = e
        .items()
        .map(|i| Item {
            display: string_id(owned(i.get("displayName")), "string").unwrap_or_default(),
            value: i.value().and_then(Value::get),
            value_list: list(i.value_list(), &element_key),
        })
        .collect();
    let mut values = BTreeMap::new();
    for n in ["trueValue", "falseValue"] {
        if let Some(v) = e.value_of(n).and_then(Value::get) {
            values.insert(n.to_string(), v);
        }
    }
    let mut lists = BTreeMap::new();
    for n in ["trueList", "falseList"] {
        if let Some(l) = e.list_of(n) {
            lists.insert(n.to_string(), list(Some(l), &element_key));
        }
    }
    Elem {
        id: owned(e.get("id")).unwrap_or_default(),
        kind: e.tag().to_string(),
        key: owned(e.get("key")),
        // A list writes one value per entry; a valueName on it is ignored.
        value_name: owned(e.get("valueName")).filter(|_| e.kind() != Some(ElementKind::List)),
        attrs: element_attrs(e),
        items,
        values,
        lists,
    }
}

fn admx(doc: &Document, file: String) -> Tmpl {
    let mut t = Tmpl {
        file,
        ..Tmpl::default()
    };
    let Some(x) = Admx::of(doc) else { return t };
    t.revision = owned(x.get("revision")).unwrap_or_default();
    other(x, &mut t);
    if let Some(target) = x.target() {
        t.namespace = owned(target.get("namespace")).unwrap_or_default();
        t.prefix = owned(target.get("prefix")).unwrap_or_default();
    }
    for c in x.categories() {
        if let Some((name, _)) = c.name() {
            t.categories
                .insert(name.into_owned(), c.parent().map(|p| p.0.into_owned()));
        }
    }
    for p in x.policies() {
        let Some((name, _)) = p.name() else { continue };
        let key = owned(p.get("key")).unwrap_or_default();
        let elements = p.elements().map(|e| element(e, &key)).collect();
        let text = |a: Option<view::Attr<'_>>, kind| string_id(a.map(|a| a.0.into_owned()), kind);
        t.policies.insert(
            name.into_owned(),
            Pol {
                class: owned(p.get("class")).unwrap_or_default(),
                value_name: owned(p.get("valueName")),
                enabled: p.enabled_value().and_then(Value::get),
                disabled: p.disabled_value().and_then(Value::get),
                enabled_list: list(p.enabled_list(), &key),
                disabled_list: list(p.disabled_list(), &key),
                elements,
                category: p.parent().map(|a| a.0.into_owned()),
                supported: p.supported_on().map(|a| a.0.into_owned()),
                display: text(p.display_name(), "string").unwrap_or_default(),
                explain: text(p.explain_text(), "string"),
                presentation: text(p.presentation(), "presentation"),
                key,
            },
        );
    }
    t
}

/// A presentation control as compared: kind, refId, the attributes the control has, label.
fn control(c: view::Control<'_>) -> Control {
    let own = crate::admx::control_attributes(c.tag());
    let attrs = c.settings(|n| n != "refId" && own.is_none_or(|own| own.contains(&n)));
    let mut parts = Vec::new();
    let text = c.text();
    if !text.trim().is_empty() {
        parts.push(format!("\"{}\"", text.trim()));
    }
    for child in c.children() {
        parts.push(format!("{} \"{}\"", child.tag(), child.text().trim()));
    }
    (
        c.tag().to_string(),
        owned(c.get("refId")),
        attrs,
        parts.join(", "),
    )
}

fn adml(doc: &Document, t: &mut Tmpl, culture: &str) {
    let Some(l) = Adml::of(doc) else { return };
    let strings = t.strings.entry(culture.to_string()).or_default();
    for s in l.string_table().into_iter().flat_map(|t| t.strings()) {
        if let Some((id, _)) = s.id() {
            strings
                .entry(id.into_owned())
                .or_insert_with(|| s.text().into_owned());
        }
    }
    let pres = t.presentations.entry(culture.to_string()).or_default();
    for p in l.presentations() {
        let Some((id, _)) = p.id() else { continue };
        pres.entry(id.into_owned())
            .or_insert_with(|| p.controls().map(control).collect());
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
