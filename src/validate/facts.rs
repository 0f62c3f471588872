//! What the store-level rules need to know about one file, extracted from its DOM so the DOM can
//! be dropped right after the per-file checks (a whole store then costs little more than its
//! text). Input: a parsed ADMX or ADML. Output: [`AdmxFacts`] / [`AdmlFacts`] with spans.

use crate::admx::dom::{Document, TextShape};
use crate::admx::view::{Adml, Admx, Attr, ElementKind, Namespace, reference_id};
use foldhash::HashMap;
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

/// A string: where its id is, and its text's shape, taken when a rule asks (most strings are
/// explain texts no rule measures) from the file's text, which lives as long as the facts.
#[derive(Debug, Clone)]
pub struct StringFact {
    pub span: Range<usize>,
    /// The id when it differs from the text at `span` (written with references); else `None`.
    owned: Option<Box<str>>,
    shape: Shape,
}

/// An ADML's strings: each id's first definition, keyed by the id as its file spells it (no
/// string per id: a large store holds tens of thousands). Lookups need the file's text.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    table: hashbrown::HashTable<StringFact>,
}

/// One randomly seeded hasher for every table of the run (ids an input chose cannot make
/// lookups collide).
static IDS: std::sync::LazyLock<foldhash::fast::RandomState> =
    std::sync::LazyLock::new(foldhash::fast::RandomState::default);

fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    IDS.hash_one(id)
}

impl Strings {
    /// The first definition of `id`; `text` is the ADML's.
    pub fn get<'s>(&'s self, id: &str, text: &str) -> Option<&'s StringFact> {
        self.get_hashed(Self::hash(id), id, text)
    }

    /// An id's hash, for looking it up in many tables ([`Strings::get_hashed`]).
    pub fn hash(id: &str) -> u64 {
        id_hash(id)
    }

    /// [`Strings::get`] with the id's hash taken once by [`Strings::hash`].
    pub fn get_hashed<'s>(&'s self, hash: u64, id: &str, text: &str) -> Option<&'s StringFact> {
        self.table.find(hash, |s| s.id(text) == id)
    }

    /// Every first definition, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &StringFact> {
        self.table.iter()
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

#[derive(Debug, Clone)]
enum Shape {
    /// The element's content, all text (no child element).
    Raw(Range<usize>),
    /// Taken from the tree (the element has child elements).
    Taken(TextShape),
}

impl StringFact {
    /// The string's id; `text` is its file's.
    pub fn id<'t>(&'t self, text: &'t str) -> &'t str {
        match &self.owned {
            Some(id) => id,
            None => text.get(self.span.clone()).unwrap_or(""),
        }
    }

    /// The shape of the string's text; `text` is its file's.
    pub fn shape(&self, text: &str) -> TextShape {
        match &self.shape {
            Shape::Raw(raw) => TextShape::of_raw(text.get(raw.clone()).unwrap_or("")),
            Shape::Taken(t) => *t,
        }
    }
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
    /// Each id's first definition (the one the editor uses).
    pub strings: Strings,
    pub presentations: HashMap<String, PresentationFact>,
    /// Ids defined again, in document order (strings first, then presentations).
    pub twice: Vec<Twice>,
}

/// A string or presentation id defined a second time in one ADML.
#[derive(Debug, Clone)]
pub struct Twice {
    pub presentation: bool,
    pub id: String,
    /// The second definition's id attribute, and the first's.
    pub span: Range<usize>,
    pub first: Range<usize>,
}

fn at((text, span): Attr<'_>) -> At {
    At {
        text: text.into_owned(),
        span,
    }
}

fn ns(n: Namespace<'_>) -> Option<Ns> {
    Some(Ns {
        prefix: at(n.prefix()?),
        namespace: at(n.namespace()?),
    })
}

pub fn admx(doc: &Document) -> AdmxFacts {
    let mut f = AdmxFacts::default();
    let Some(x) = Admx::of(doc) else { return f };
    f.revision = x.revision().map(at);
    f.target = x.target().and_then(ns);
    f.usings = x.usings().filter_map(ns).collect();
    if let Some(res) = x.resources() {
        f.min_required = res.min_required_revision().map(at);
        f.fallback_culture = res.fallback_culture().map(|a| a.0.into_owned());
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
            if let Some(id) = reference_id(&v, "string")
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
    for p in x.products() {
        f.products.extend(p.name().map(at));
        for m in p.versions() {
            f.products.extend(m.name().map(at));
            f.products
                .extend(m.versions().filter_map(|n| n.name()).map(at));
        }
    }
    for d in x.definitions() {
        f.definitions.extend(d.name().map(at));
        for (_, refs) in d.conditions() {
            f.product_refs
                .extend(refs.into_iter().filter_map(|r| r.reference()).map(at));
        }
    }
    for c in x.categories() {
        let Some(name) = c.name() else { continue };
        f.categories.push(at(name));
        if let Some(p) = c.parent() {
            f.category_parents.push((f.categories.len() - 1, at(p)));
        }
    }
    for p in x.policies() {
        let Some(name) = p.name() else { continue };
        let presentation = p.presentation().and_then(|(v, span)| {
            reference_id(&v, "presentation").map(|id| At {
                text: id.to_string(),
                span,
            })
        });
        let elements = p
            .elements()
            .filter_map(|e| {
                Some(ElementFact {
                    kind: e.kind()?,
                    id: at(e.id()?),
                    items: e.items().count(),
                    min: e.number("minValue").map(|n| n.0).unwrap_or(0),
                    max: e.number("maxValue").map(|n| n.0).unwrap_or(9999),
                })
            })
            .collect();
        f.policies.push(PolicyFact {
            name: at(name),
            parent: p.parent().map(at),
            supported: p.supported_on().map(at),
            presentation,
            elements,
        });
    }
    f
}

pub fn adml(doc: &Document) -> AdmlFacts {
    let mut f = AdmlFacts::default();
    let Some(l) = Adml::of(doc) else { return f };
    f.revision = l.revision().map(at);
    // Sized once (a large ADML holds thousands of strings: no rehashing on the way).
    let strings = l.string_table().map_or(0, |t| t.strings().count());
    let text = doc.text.as_str();
    let table = &mut f.strings.table;
    table.reserve(strings, |s| id_hash(s.id(text)));
    for s in l.string_table().into_iter().flat_map(|t| t.strings()) {
        let Some((id, span)) = s.id() else { continue };
        let entry = table.entry(id_hash(&id), |s| s.id(text) == id, |s| id_hash(s.id(text)));
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => f.twice.push(Twice {
                presentation: false,
                id: id.into_owned(),
                span,
                first: o.get().span.clone(),
            }),
            hashbrown::hash_table::Entry::Vacant(v) => {
                let shape = match doc.raw_content(s.index) {
                    Some(raw) => Shape::Raw(raw),
                    None => Shape::Taken(doc.text_shape(s.index)),
                };
                let owned = match id {
                    std::borrow::Cow::Borrowed(_) => None,
                    std::borrow::Cow::Owned(id) => Some(id.into_boxed_str()),
                };
                v.insert(StringFact { span, owned, shape });
            }
        }
    }
    for p in l.presentations() {
        let Some(id) = p.id() else { continue };
        if let Some(first) = f.presentations.get(id.0.as_ref()) {
            f.twice.push(Twice {
                presentation: true,
                id: id.0.into_owned(),
                span: id.1,
                first: first.span.clone(),
            });
            continue;
        }
        let controls = p
            .controls()
            .filter(|c| c.tag() != "text")
            .map(|c| ControlFact {
                kind: c.tag().to_string(),
                ref_id: c.ref_id().map(at),
                span: c.span(),
                default_item: c.number("defaultItem"),
                default_value: c.number("defaultValue"),
            })
            .collect();
        f.presentations.insert(
            id.0.into_owned(),
            PresentationFact {
                span: id.1,
                controls,
            },
        );
    }
    f
}
