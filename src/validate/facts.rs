//! What the store-level rules need to know about one file, extracted from its DOM so the DOM can
//! be dropped right after the per-file checks (a whole store then costs little more than its
//! text). Input: a parsed ADMX or ADML. Output: [`AdmxFacts`] / [`AdmlFacts`] with spans.

use crate::admx::dom::Document;
use std::collections::HashMap;
use std::ops::Range;

/// A name or reference with the span of its attribute value.
#[derive(Debug, Clone)]
pub struct At {
    pub text: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Ns {
    pub prefix: At,
    pub namespace: At,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementKind {
    Boolean,
    Decimal,
    LongDecimal,
    Text,
    MultiText,
    Enum,
    List,
}

impl ElementKind {
    pub fn of(name: &str) -> Option<Self> {
        Some(match name {
            "boolean" => ElementKind::Boolean,
            "decimal" => ElementKind::Decimal,
            "longDecimal" => ElementKind::LongDecimal,
            "text" => ElementKind::Text,
            "multiText" => ElementKind::MultiText,
            "enum" => ElementKind::Enum,
            "list" => ElementKind::List,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Boolean => "boolean",
            ElementKind::Decimal => "decimal",
            ElementKind::LongDecimal => "longDecimal",
            ElementKind::Text => "text",
            ElementKind::MultiText => "multiText",
            ElementKind::Enum => "enum",
            ElementKind::List => "list",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ElementFact {
    pub id: At,
    pub kind: ElementKind,
    /// Enum items.
    pub items: usize,
    pub min: u64,
    pub max: u64,
}

#[derive(Debug, Clone)]
pub struct PolicyFact {
    pub name: At,
    pub parent: Option<At>,
    pub supported: Option<At>,
    pub presentation: Option<At>,
    pub elements: Vec<ElementFact>,
}

#[derive(Debug, Clone, Default)]
pub struct AdmxFacts {
    pub target: Option<Ns>,
    pub usings: Vec<Ns>,
    pub revision: Option<At>,
    pub min_required: Option<At>,
    pub fallback_culture: Option<String>,
    pub categories: Vec<At>,
    /// (index into `categories`, parentCategory ref)
    pub category_parents: Vec<(usize, At)>,
    pub definitions: Vec<At>,
    /// Product, majorVersion and minorVersion names.
    pub products: Vec<At>,
    /// `range@ref` / `reference@ref` inside supportedOn definitions.
    pub product_refs: Vec<At>,
    pub policies: Vec<PolicyFact>,
    /// Every `$(string.ID)`: (id, span of the attribute value, used as a display name).
    pub string_refs: Vec<(At, bool)>,
}

#[derive(Debug, Clone)]
pub struct StringFact {
    pub span: Range<usize>,
    pub chars: usize,
    /// Empty or only white space.
    pub blank: bool,
    /// Starts or ends with a line break (pretty-printed).
    pub edge_break: bool,
}

#[derive(Debug, Clone)]
pub struct ControlFact {
    pub kind: String,
    pub ref_id: Option<At>,
    pub span: Range<usize>,
    pub default_item: Option<(u64, Range<usize>)>,
    pub default_value: Option<(u64, Range<usize>)>,
}

#[derive(Debug, Clone)]
pub struct PresentationFact {
    pub span: Range<usize>,
    pub controls: Vec<ControlFact>,
}

#[derive(Debug, Clone, Default)]
pub struct AdmlFacts {
    pub revision: Option<At>,
    pub strings: HashMap<String, StringFact>,
    pub presentations: HashMap<String, PresentationFact>,
}

/// A registry value as an ADMX states it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Val {
    Delete,
    Decimal(u64),
    LongDecimal(u64),
    String(String),
}

impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Delete => f.write_str("delete"),
            Val::Decimal(n) => write!(f, "decimal {n}"),
            Val::LongDecimal(n) => write!(f, "longDecimal {n}"),
            Val::String(s) => write!(f, "string \"{s}\""),
        }
    }
}

/// The value an ADMX `Value` element (`enabledValue`, an enum item's `value`, …) states: its one
/// child `<delete/>`, `<decimal>`, `<longDecimal>` or `<string>`.
pub fn value(doc: &Document, el: Option<u32>) -> Option<Val> {
    let v = doc.children(el?).next()?;
    let n = || {
        doc.attr(v, "value")
            .and_then(|(s, _)| crate::validate::checks::schema::parse_unsigned(s.trim()))
    };
    Some(match doc.name(v) {
        "delete" => Val::Delete,
        "decimal" => Val::Decimal(n()?),
        "longDecimal" => Val::LongDecimal(n()?),
        "string" => Val::String(doc.text(v).into_owned()),
        _ => return None,
    })
}

fn at(doc: &Document, el: u32, name: &str) -> Option<At> {
    doc.attr(el, name).map(|(v, span)| At {
        text: v.into_owned(),
        span,
    })
}

fn number(doc: &Document, el: u32, name: &str) -> Option<(u64, Range<usize>)> {
    let (v, span) = doc.attr(el, name)?;
    crate::validate::checks::schema::parse_unsigned(v.trim()).map(|n| (n, span))
}

pub fn admx(doc: &Document) -> AdmxFacts {
    let mut f = AdmxFacts::default();
    let Some(root) = doc.root else { return f };
    f.revision = at(doc, root, "revision");
    if let Some(ns) = doc.child(root, "policyNamespaces") {
        for c in doc.children(ns) {
            let (Some(prefix), Some(namespace)) = (at(doc, c, "prefix"), at(doc, c, "namespace"))
            else {
                continue;
            };
            let n = Ns { prefix, namespace };
            match doc.name(c) {
                "target" if f.target.is_none() => f.target = Some(n),
                "using" => f.usings.push(n),
                _ => {}
            }
        }
    }
    if let Some(res) = doc.child(root, "resources") {
        f.min_required = at(doc, res, "minRequiredRevision");
        f.fallback_culture = at(doc, res, "fallbackCulture").map(|a| a.text);
    }
    // Every $(string.X) of the file, wherever it is.
    for i in doc.all() {
        for a in doc.attrs(i) {
            let name = doc.attr_name(a);
            if name != "displayName" && name != "explainText" {
                continue;
            }
            let v = doc.value(a);
            // Malformed references are V027 already; do not look them up again.
            if let Some(id) = crate::validate::checks::reference_id(&v, "string")
                && !id.is_empty()
                && !id.contains(char::is_whitespace)
            {
                f.string_refs.push((
                    At {
                        text: id.to_string(),
                        span: a.value.start as usize..a.value.end as usize,
                    },
                    name == "displayName" && doc.name(i) != "item",
                ));
            }
        }
    }
    if let Some(sup) = doc.child(root, "supportedOn") {
        if let Some(products) = doc.child(sup, "products") {
            for p in doc.children_named(products, "product") {
                f.products.extend(at(doc, p, "name"));
                for m in doc.children_named(p, "majorVersion") {
                    f.products.extend(at(doc, m, "name"));
                    for n in doc.children_named(m, "minorVersion") {
                        f.products.extend(at(doc, n, "name"));
                    }
                }
            }
        }
        if let Some(defs) = doc.child(sup, "definitions") {
            for d in doc.children_named(defs, "definition") {
                f.definitions.extend(at(doc, d, "name"));
                for cond in doc.children(d) {
                    for r in doc.children(cond) {
                        f.product_refs.extend(at(doc, r, "ref"));
                    }
                }
            }
        }
    }
    if let Some(cats) = doc.child(root, "categories") {
        for c in doc.children_named(cats, "category") {
            let Some(name) = at(doc, c, "name") else {
                continue;
            };
            f.categories.push(name);
            if let Some(p) = doc
                .child(c, "parentCategory")
                .and_then(|p| at(doc, p, "ref"))
            {
                f.category_parents.push((f.categories.len() - 1, p));
            }
        }
    }
    if let Some(pols) = doc.child(root, "policies") {
        for p in doc.children_named(pols, "policy") {
            let Some(name) = at(doc, p, "name") else {
                continue;
            };
            let presentation = at(doc, p, "presentation").and_then(|a| {
                crate::validate::checks::reference_id(&a.text, "presentation").map(|id| At {
                    text: id.to_string(),
                    span: a.span.clone(),
                })
            });
            let mut elements = Vec::new();
            if let Some(els) = doc.child(p, "elements") {
                for e in doc.children(els) {
                    let (Some(kind), Some(id)) = (ElementKind::of(doc.name(e)), at(doc, e, "id"))
                    else {
                        continue;
                    };
                    elements.push(ElementFact {
                        id,
                        kind,
                        items: doc.children_named(e, "item").count(),
                        min: number(doc, e, "minValue").map(|n| n.0).unwrap_or(0),
                        max: number(doc, e, "maxValue").map(|n| n.0).unwrap_or(9999),
                    });
                }
            }
            f.policies.push(PolicyFact {
                name,
                parent: doc
                    .child(p, "parentCategory")
                    .and_then(|c| at(doc, c, "ref")),
                supported: doc.child(p, "supportedOn").and_then(|c| at(doc, c, "ref")),
                presentation,
                elements,
            });
        }
    }
    f
}

pub fn adml(doc: &Document) -> AdmlFacts {
    let mut f = AdmlFacts::default();
    let Some(root) = doc.root else { return f };
    f.revision = at(doc, root, "revision");
    let Some(res) = doc.child(root, "resources") else {
        return f;
    };
    if let Some(table) = doc.child(res, "stringTable") {
        for s in doc.children_named(table, "string") {
            let Some(id) = at(doc, s, "id") else { continue };
            let shape = doc.text_shape(s);
            f.strings.entry(id.text).or_insert(StringFact {
                span: id.span,
                chars: shape.chars,
                blank: shape.blank,
                edge_break: shape.edge_break,
            });
        }
    }
    if let Some(table) = doc.child(res, "presentationTable") {
        for p in doc.children_named(table, "presentation") {
            let Some(id) = at(doc, p, "id") else { continue };
            let controls = doc
                .children(p)
                .filter(|&c| doc.name(c) != "text")
                .map(|c| ControlFact {
                    kind: doc.name(c).to_string(),
                    ref_id: at(doc, c, "refId"),
                    span: doc.name_span(c),
                    default_item: number(doc, c, "defaultItem"),
                    default_value: number(doc, c, "defaultValue"),
                })
                .collect();
            f.presentations.entry(id.text).or_insert(PresentationFact {
                span: id.span,
                controls,
            });
        }
    }
    f
}
