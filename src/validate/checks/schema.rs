//! Family `schema`: Microsoft's ADMX schema (PolicyDefinitionFiles.xsd, BaseTypes.xsd,
//! PolicyDefinitions.xsd; formats.md §1), as a table of element types with their attributes,
//! attribute types and content models, plus `longDecimal`/`longDecimalTextBox` from the
//! MS-GPREG variant. A walk over the document checks every element against its type.
//!
//! Violations the editor tolerates (Microsoft ships many: `clientExtension` on policy, hyphens
//! in names, misspelt attributes) are Warnings; lexical errors the editor reports when it loads
//! the file (revision, `$(string.…)` references, policy class, missing required attributes) are
//! Errors. Input: a parsed document. Output: V020–V029.

use super::{Sink, is_item_name, is_item_reference};
use crate::admx::dom::{Document, same_name};
use crate::admx::view::parse_unsigned;
use crate::diag::{Code, Severity};

/// Attribute value types of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Str,
    ItemName,
    ItemRef,
    StringRef,
    PresRef,
    Version,
    UInt,
    ULong,
    Bool,
    Guid,
    Language,
    AnyUri,
    Class,
}

#[derive(Debug, Clone, Copy)]
struct A {
    name: &'static str,
    ty: Ty,
    required: bool,
}

const fn a(name: &'static str, ty: Ty) -> A {
    A {
        name,
        ty,
        required: false,
    }
}
const fn req(name: &'static str, ty: Ty) -> A {
    A {
        name,
        ty,
        required: true,
    }
}

/// Element types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    PolicyDefinitions,
    PolicyNamespaces,
    NsAssoc,
    FileRef,
    Annotation,
    ResourcesRef,
    SupportedOnTable,
    Products,
    Product,
    MajorVersion,
    MinorVersion,
    Definitions,
    Definition,
    Condition,
    Range,
    Reference,
    CategoryList,
    Category,
    CategoryRef,
    PolicyList,
    Policy,
    Value,
    Empty,
    DecimalValue,
    LongDecimalValue,
    StringValue,
    ValueList,
    ValueItem,
    Elements,
    Boolean,
    Decimal,
    LongDecimal,
    Text,
    Enum,
    EnumItem,
    List,
    MultiText,
    AdmlRoot,
    Localization,
    StringTable,
    LocalizedString,
    PresentationTable,
    Presentation,
    DecimalTextBox,
    TextBox,
    MultiTextBox,
    CheckBox,
    ComboBox,
    DropdownList,
    ListBox,
    /// xs:string element: text, no attributes, no children.
    Simple,
}

/// One particle of a sequence or an option of a choice.
type P = (&'static str, T, u32, u32);
const N: u32 = u32::MAX;

enum Content {
    /// No children, no text.
    Empty,
    /// Text only.
    Simple,
    /// Anything (annotation); the schema asks for exactly one child element.
    Any,
    Seq(&'static [P]),
    /// A repeated choice: (min, max) occurrences in total.
    Choice(u32, u32, &'static [P]),
}

struct Spec {
    attrs: &'static [A],
    /// PolicyElementAttributeGroup, for the element kinds that have it.
    group: &'static [A],
    content: Content,
}

/// Element types whose attributes include PolicyElementAttributeGroup (all but `list`).
fn has_element_group(t: T) -> bool {
    matches!(
        t,
        T::Boolean | T::Decimal | T::LongDecimal | T::Text | T::MultiText | T::Enum
    )
}

const DESCRIPTIVE_ATTRS: [A; 2] = [
    req("displayName", Ty::StringRef),
    a("explainText", Ty::StringRef),
];
const ELEMENT_ATTRS: [A; 4] = [
    req("id", Ty::Str),
    a("clientExtension", Ty::Guid),
    a("key", Ty::Str),
    a("valueName", Ty::Str),
];
const VALUE_CHOICE: &[P] = &[
    ("delete", T::Empty, 0, 1),
    ("decimal", T::DecimalValue, 0, 1),
    ("longDecimal", T::LongDecimalValue, 0, 1),
    ("string", T::StringValue, 0, 1),
];

fn spec(t: T) -> Spec {
    use Content::*;
    let (attrs, content): (&'static [A], Content) = match t {
        T::PolicyDefinitions => (
            const {
                &[
                    req("revision", Ty::Version),
                    req("schemaVersion", Ty::Version),
                ]
            },
            Seq(&[
                ("policyNamespaces", T::PolicyNamespaces, 1, 1),
                ("supersededAdm", T::FileRef, 0, N),
                ("annotation", T::Annotation, 0, N),
                ("resources", T::ResourcesRef, 1, 1),
                ("supportedOn", T::SupportedOnTable, 0, 1),
                ("categories", T::CategoryList, 0, 1),
                ("policies", T::PolicyList, 0, 1),
            ]),
        ),
        T::PolicyNamespaces => (
            &[],
            Seq(&[("target", T::NsAssoc, 1, 1), ("using", T::NsAssoc, 0, N)]),
        ),
        T::NsAssoc => (
            const { &[req("prefix", Ty::ItemName), req("namespace", Ty::AnyUri)] },
            Empty,
        ),
        T::FileRef => (const { &[req("fileName", Ty::Str)] }, Empty),
        T::Annotation => (const { &[req("application", Ty::Str)] }, Any),
        T::ResourcesRef => (
            const {
                &[
                    req("minRequiredRevision", Ty::Version),
                    a("fallbackCulture", Ty::Language),
                ]
            },
            Empty,
        ),
        T::SupportedOnTable => (
            &[],
            Seq(&[
                ("products", T::Products, 0, 1),
                ("definitions", T::Definitions, 0, 1),
            ]),
        ),
        T::Products => (&[], Seq(&[("product", T::Product, 1, N)])),
        T::Product => (
            const { &[req("name", Ty::ItemName), req("displayName", Ty::StringRef)] },
            Seq(&[("majorVersion", T::MajorVersion, 0, N)]),
        ),
        T::MajorVersion => (
            const {
                &[
                    req("name", Ty::ItemName),
                    req("displayName", Ty::StringRef),
                    req("versionIndex", Ty::UInt),
                ]
            },
            Seq(&[("minorVersion", T::MinorVersion, 0, N)]),
        ),
        T::MinorVersion => (
            const {
                &[
                    req("displayName", Ty::StringRef),
                    req("name", Ty::ItemName),
                    req("versionIndex", Ty::UInt),
                ]
            },
            Empty,
        ),
        T::Definitions => (&[], Seq(&[("definition", T::Definition, 1, N)])),
        T::Definition => (
            const { &[req("name", Ty::ItemName), req("displayName", Ty::StringRef)] },
            Choice(
                0,
                1,
                &[("or", T::Condition, 0, 1), ("and", T::Condition, 0, 1)],
            ),
        ),
        T::Condition => (
            &[],
            Choice(
                1,
                N,
                &[("range", T::Range, 0, N), ("reference", T::Reference, 0, N)],
            ),
        ),
        T::Range => (
            const {
                &[
                    req("ref", Ty::ItemRef),
                    a("minVersionIndex", Ty::UInt),
                    a("maxVersionIndex", Ty::UInt),
                ]
            },
            Empty,
        ),
        T::Reference | T::CategoryRef => (const { &[req("ref", Ty::ItemRef)] }, Empty),
        T::CategoryList => (&[], Seq(&[("category", T::Category, 1, N)])),
        T::Category => (
            const {
                &[
                    req("name", Ty::ItemName),
                    DESCRIPTIVE_ATTRS[0],
                    DESCRIPTIVE_ATTRS[1],
                ]
            },
            Seq(&[
                ("annotation", T::Annotation, 0, N),
                ("parentCategory", T::CategoryRef, 0, 1),
                ("seeAlso", T::Simple, 0, N),
                ("keywords", T::Simple, 0, 1),
            ]),
        ),
        T::PolicyList => (&[], Seq(&[("policy", T::Policy, 1, N)])),
        T::Policy => (
            const {
                &[
                    req("name", Ty::ItemName),
                    req("class", Ty::Class),
                    DESCRIPTIVE_ATTRS[0],
                    DESCRIPTIVE_ATTRS[1],
                    a("presentation", Ty::PresRef),
                    req("key", Ty::Str),
                    a("valueName", Ty::Str),
                ]
            },
            Seq(&[
                ("annotation", T::Annotation, 0, N),
                ("parentCategory", T::CategoryRef, 0, 1),
                ("seeAlso", T::Simple, 0, N),
                ("keywords", T::Simple, 0, 1),
                ("supportedOn", T::Reference, 1, 1),
                ("enabledValue", T::Value, 0, 1),
                ("disabledValue", T::Value, 0, 1),
                ("enabledList", T::ValueList, 0, 1),
                ("disabledList", T::ValueList, 0, 1),
                ("elements", T::Elements, 0, 1),
            ]),
        ),
        T::Value => (&[], Choice(1, 1, VALUE_CHOICE)),
        T::Empty => (&[], Empty),
        T::DecimalValue => (const { &[req("value", Ty::UInt)] }, Empty),
        T::LongDecimalValue => (const { &[req("value", Ty::ULong)] }, Empty),
        T::StringValue | T::Simple | T::LocalizedString => (
            if t == T::LocalizedString {
                const { &[req("id", Ty::ItemName)] }
            } else {
                &[]
            },
            Simple,
        ),
        T::ValueList => (
            const { &[a("defaultKey", Ty::Str)] },
            Seq(&[("item", T::ValueItem, 1, N)]),
        ),
        T::ValueItem => (
            const { &[a("key", Ty::Str), req("valueName", Ty::Str)] },
            Seq(&[("value", T::Value, 1, 1)]),
        ),
        T::Elements => (
            &[],
            Choice(
                1,
                N,
                &[
                    ("boolean", T::Boolean, 0, N),
                    ("decimal", T::Decimal, 0, N),
                    ("text", T::Text, 0, N),
                    ("enum", T::Enum, 0, N),
                    ("list", T::List, 0, N),
                    ("longDecimal", T::LongDecimal, 0, N),
                    ("multiText", T::MultiText, 0, N),
                ],
            ),
        ),
        T::Boolean => (
            &[],
            Seq(&[
                ("trueValue", T::Value, 0, 1),
                ("falseValue", T::Value, 0, 1),
                ("trueList", T::ValueList, 0, 1),
                ("falseList", T::ValueList, 0, 1),
            ]),
        ),
        T::Decimal => (
            const {
                &[
                    a("required", Ty::Bool),
                    a("minValue", Ty::UInt),
                    a("maxValue", Ty::UInt),
                    a("storeAsText", Ty::Bool),
                    a("soft", Ty::Bool),
                ]
            },
            Empty,
        ),
        T::LongDecimal => (
            const {
                &[
                    a("required", Ty::Bool),
                    a("minValue", Ty::ULong),
                    a("maxValue", Ty::ULong),
                    a("storeAsText", Ty::Bool),
                    a("soft", Ty::Bool),
                ]
            },
            Empty,
        ),
        T::Text => (
            const {
                &[
                    a("required", Ty::Bool),
                    a("maxLength", Ty::UInt),
                    a("expandable", Ty::Bool),
                    a("soft", Ty::Bool),
                ]
            },
            Empty,
        ),
        T::MultiText => (
            const {
                &[
                    a("required", Ty::Bool),
                    a("maxLength", Ty::UInt),
                    a("maxStrings", Ty::UInt),
                    a("soft", Ty::Bool),
                ]
            },
            Empty,
        ),
        T::Enum => (
            const { &[a("required", Ty::Bool)] },
            Seq(&[("item", T::EnumItem, 0, N)]),
        ),
        T::EnumItem => (
            const { &[req("displayName", Ty::StringRef)] },
            Seq(&[("value", T::Value, 1, 1), ("valueList", T::ValueList, 0, 1)]),
        ),
        T::List => (
            const {
                &[
                    req("id", Ty::Str),
                    a("clientExtension", Ty::Guid),
                    a("key", Ty::Str),
                    a("valuePrefix", Ty::Str),
                    a("additive", Ty::Bool),
                    a("expandable", Ty::Bool),
                    a("explicitValue", Ty::Bool),
                ]
            },
            Empty,
        ),
        T::AdmlRoot => (
            const {
                &[
                    req("revision", Ty::Version),
                    req("schemaVersion", Ty::Version),
                ]
            },
            Seq(&[
                ("displayName", T::Simple, 1, 1),
                ("description", T::Simple, 1, 1),
                ("annotation", T::Annotation, 0, N),
                ("resources", T::Localization, 1, 1),
            ]),
        ),
        T::Localization => (
            &[],
            Seq(&[
                ("stringTable", T::StringTable, 0, 1),
                ("presentationTable", T::PresentationTable, 0, 1),
            ]),
        ),
        T::StringTable => (&[], Seq(&[("string", T::LocalizedString, 1, N)])),
        T::PresentationTable => (&[], Seq(&[("presentation", T::Presentation, 1, N)])),
        T::Presentation => (
            const { &[req("id", Ty::ItemName)] },
            Choice(
                0,
                N,
                &[
                    ("text", T::Simple, 0, N),
                    ("decimalTextBox", T::DecimalTextBox, 0, N),
                    ("textBox", T::TextBox, 0, N),
                    ("checkBox", T::CheckBox, 0, N),
                    ("comboBox", T::ComboBox, 0, N),
                    ("dropdownList", T::DropdownList, 0, N),
                    ("listBox", T::ListBox, 0, N),
                    ("longDecimalTextBox", T::DecimalTextBox, 0, N),
                    ("multiTextBox", T::MultiTextBox, 0, N),
                ],
            ),
        ),
        T::DecimalTextBox => (
            const {
                &[
                    req("refId", Ty::Str),
                    a("defaultValue", Ty::UInt),
                    a("spin", Ty::Bool),
                    a("spinStep", Ty::UInt),
                ]
            },
            Simple,
        ),
        T::TextBox => (
            const { &[req("refId", Ty::Str)] },
            Seq(&[
                ("label", T::Simple, 1, 1),
                ("defaultValue", T::Simple, 0, 1),
            ]),
        ),
        T::MultiTextBox => (
            const {
                &[
                    req("refId", Ty::Str),
                    a("showAsDialog", Ty::Bool),
                    a("defaultHeight", Ty::UInt),
                ]
            },
            Simple,
        ),
        T::CheckBox => (
            const { &[req("refId", Ty::Str), a("defaultChecked", Ty::Bool)] },
            Simple,
        ),
        T::ComboBox => (
            const { &[req("refId", Ty::Str), a("noSort", Ty::Bool)] },
            Seq(&[
                ("label", T::Simple, 1, 1),
                ("default", T::Simple, 0, 1),
                ("suggestion", T::Simple, 0, N),
            ]),
        ),
        T::DropdownList => (
            const {
                &[
                    req("refId", Ty::Str),
                    a("noSort", Ty::Bool),
                    a("defaultItem", Ty::UInt),
                ]
            },
            Simple,
        ),
        T::ListBox => (const { &[req("refId", Ty::Str)] }, Simple),
    };
    Spec {
        attrs,
        group: if has_element_group(t) {
            &ELEMENT_ATTRS
        } else {
            &[]
        },
        content,
    }
}

/// Walks the whole document from its root (`Kind` known from the root element).
pub fn check(doc: &Document, adml: bool, sink: &mut Sink<'_>) {
    let Some(root) = doc.root else { return };
    let t = if adml {
        T::AdmlRoot
    } else {
        T::PolicyDefinitions
    };
    let mut stack = vec![(root, t)];
    while let Some((el, t)) = stack.pop() {
        element(doc, el, t, sink, &mut stack);
    }
}

fn element(doc: &Document, el: u32, t: T, sink: &mut Sink<'_>, stack: &mut Vec<(u32, T)>) {
    let spec = spec(t);
    attributes(doc, el, &spec, sink);
    let name = doc.name(el);
    match spec.content {
        Content::Empty | Content::Simple => {
            if let Some(c) = doc.children(el).next() {
                sink.push(
                    Code::V020,
                    format!("`<{}>` is not allowed inside `<{name}>`", doc.name(c)),
                    doc.name_span(c),
                    format!("`<{name}>` holds no elements"),
                );
            }
            let text_at = doc.element(el).text_at;
            if matches!(spec.content, Content::Empty) && text_at != crate::admx::dom::NONE {
                stray_text(doc, el, sink);
            }
            if t == T::StringValue {
                let len = doc.text(el).chars().count();
                if len > 255 {
                    sink.push(
                        Code::V024,
                        format!(
                            "a registry string value of {len} characters; the schema allows 255"
                        ),
                        doc.name_span(el),
                        "over 255 characters",
                    );
                }
            }
        }
        Content::Any => {
            let n = doc.children(el).count();
            if n != 1 {
                sink.push(
                    Code::V023,
                    format!("`<{name}>` must hold exactly one element, it holds {n}"),
                    doc.name_span(el),
                    "one child element expected",
                );
            }
        }
        Content::Seq(particles) => {
            if doc.element(el).text_at != crate::admx::dom::NONE {
                stray_text(doc, el, sink);
            }
            sequence(doc, el, particles, sink, stack);
        }
        Content::Choice(min, max, options) => {
            if doc.element(el).text_at != crate::admx::dom::NONE {
                stray_text(doc, el, sink);
            }
            let mut count = 0u32;
            for c in doc.children(el) {
                let cname = doc.name(c);
                match options
                    .iter()
                    .find(|p| same_name(p.0.as_bytes(), cname.as_bytes()))
                {
                    Some(p) => {
                        count += 1;
                        if count > max {
                            sink.push(
                                Code::V020,
                                format!(
                                    "`<{cname}>`: `<{name}>` allows only {max} child element(s)"
                                ),
                                doc.name_span(c),
                                "one too many",
                            );
                        } else {
                            stack.push((c, p.1));
                        }
                    }
                    None => unexpected(doc, c, name, options, sink),
                }
            }
            if count < min {
                let want: Vec<&str> = options.iter().map(|p| p.0).collect();
                missing(doc, el, &want.join("`, `<"), sink);
            }
        }
    }
}

fn sequence(
    doc: &Document,
    el: u32,
    particles: &[P],
    sink: &mut Sink<'_>,
    stack: &mut Vec<(u32, T)>,
) {
    let name = doc.name(el);
    let mut p = 0usize;
    let mut count = 0u32;
    for c in doc.children(el) {
        let cname = doc.name(c);
        match particles[p..]
            .iter()
            .position(|q| same_name(q.0.as_bytes(), cname.as_bytes()))
        {
            Some(0) => {}
            Some(k) => {
                // Skipped particles must be optional or already satisfied.
                for (i, q) in particles[p..p + k].iter().enumerate() {
                    let have = if i == 0 { count } else { 0 };
                    if have < q.2 {
                        missing(doc, el, q.0, sink);
                    }
                }
                p += k;
                count = 0;
            }
            None => {
                if particles[..p].iter().any(|q| q.0 == cname) {
                    sink.push(
                        Code::V020,
                        format!(
                            "`<{cname}>` is out of order inside `<{name}>`: it must come before `<{}>`",
                            particles[p].0
                        ),
                        doc.name_span(c),
                        "out of order",
                    );
                } else {
                    unexpected(doc, c, name, particles, sink);
                }
                continue;
            }
        }
        count += 1;
        if count > particles[p].3 {
            sink.push(
                Code::V020,
                format!("a second `<{cname}>` inside `<{name}>`; the schema allows one"),
                doc.name_span(c),
                "one too many",
            );
        } else {
            stack.push((c, particles[p].1));
        }
    }
    for (i, q) in particles[p..].iter().enumerate() {
        let have = if i == 0 { count } else { 0 };
        if have < q.2 {
            missing(doc, el, q.0, sink);
        }
    }
}

fn unexpected(doc: &Document, c: u32, parent: &str, allowed: &[P], sink: &mut Sink<'_>) {
    let cname = doc.name(c);
    let d = sink.push(
        Code::V020,
        format!("`<{cname}>` is not allowed inside `<{parent}>`"),
        doc.name_span(c),
        "unknown here",
    );
    // The editor refuses an unknown element among the strings of an ADML (a `<seeAlso>` left
    // uncommented: nsacyber/Windows-Secure-Host-Baseline#54).
    if parent == "stringTable" {
        d.severity = Severity::Error;
        d.notes
            .push("the Group Policy editor refuses the ADML (an error, not a warning)".into());
    }
    if let Some(p) = allowed.iter().find(|p| p.0.eq_ignore_ascii_case(cname)) {
        d.notes.push(format!(
            "element names are case-sensitive: did you mean `<{}>`?",
            p.0
        ));
    } else {
        let names: Vec<&str> = allowed.iter().map(|p| p.0).collect();
        d.notes
            .push(format!("allowed here: `<{}>`", names.join(">`, `<")));
    }
}

fn missing(doc: &Document, el: u32, what: &str, sink: &mut Sink<'_>) {
    let name = doc.name(el);
    let fatal = matches!(what, "policyNamespaces" | "target" | "resources");
    let d = sink.push(
        Code::V023,
        format!("`<{name}>` lacks a required `<{what}>`"),
        doc.name_span(el),
        format!("`<{what}>` missing"),
    );
    if fatal {
        d.severity = Severity::Error;
        d.notes
            .push("the editor cannot load the file without it".to_string());
    }
}

fn stray_text(doc: &Document, el: u32, sink: &mut Sink<'_>) {
    let at = doc.element(el).text_at as usize;
    let end = doc.text[at..]
        .find(['<', '\n'])
        .map(|e| at + e)
        .unwrap_or(at);
    sink.push(
        Code::V029,
        format!(
            "text inside `<{}>`, which holds only elements",
            doc.name(el)
        ),
        at..end,
        "stray text",
    );
}

fn attributes(doc: &Document, el: u32, spec: &Spec, sink: &mut Sink<'_>) {
    let ename = doc.name(el);
    for at in doc.attrs(el) {
        let name = doc.attr_name(at);
        if name == "xmlns" || name.starts_with("xmlns:") || name.starts_with("xsi:") {
            continue;
        }
        let span = at.name.start as usize..at.name.end as usize;
        let Some(a) = spec
            .attrs
            .iter()
            .chain(spec.group)
            .find(|a| same_name(a.name.as_bytes(), name.as_bytes()))
        else {
            if !sink.wants(Code::V021) {
                continue;
            }
            let d = sink.push(
                Code::V021,
                format!("attribute `{name}` is not allowed on `<{ename}>`"),
                span,
                "ignored by the editor",
            );
            if let Some(a) = spec
                .attrs
                .iter()
                .chain(spec.group)
                .find(|a| a.name.eq_ignore_ascii_case(name))
            {
                d.notes.push(format!(
                    "attribute names are case-sensitive: did you mean `{}`?",
                    a.name
                ));
            } else if ename == "textBox" && name == "defaultValue" {
                d.notes.push(
                    "a textBox's default is a child element: <textBox refId=\"…\"><label>…</label><defaultValue>…</defaultValue></textBox>".into(),
                );
            }
            continue;
        };
        let value = doc.value(at);
        let vspan = at.value.start as usize..at.value.end as usize;
        value_type(&value, a, ename, vspan, sink);
    }
    for a in spec.attrs.iter().chain(spec.group).filter(|a| a.required) {
        if doc.find_attr(el, a.name).is_none() {
            sink.push(
                Code::V022,
                format!("`<{ename}>` lacks the required attribute `{}`", a.name),
                doc.name_span(el),
                format!("`{}` missing", a.name),
            );
        }
    }
}

fn value_type(value: &str, a: &A, ename: &str, span: std::ops::Range<usize>, sink: &mut Sink<'_>) {
    let token = value.trim_matches(' ');
    let name = a.name;
    match a.ty {
        Ty::Str => {}
        Ty::ItemName | Ty::ItemRef => {
            let ok = if a.ty == Ty::ItemName {
                is_item_name(value)
            } else {
                is_item_reference(value)
            };
            if !ok && sink.wants(Code::V025) {
                let what = if a.ty == Ty::ItemName {
                    "letters, digits and `_`"
                } else {
                    "`name` or `prefix:name` of letters, digits and `_`"
                };
                sink.push(
                    Code::V025,
                    format!("`{name}=\"{value}\"` on `<{ename}>`: the schema allows only {what}"),
                    span,
                    "forbidden characters",
                );
            }
        }
        Ty::StringRef | Ty::PresRef => {
            let kind = if a.ty == Ty::StringRef {
                "string"
            } else {
                "presentation"
            };
            match crate::admx::view::reference_id(value, kind) {
                Some(id) if is_item_name(id) => {}
                // Hyphens and dots load (Microsoft ships them); white space and a broken shape
                // are what the editor refuses.
                Some(id) if !id.is_empty() && !id.contains(char::is_whitespace) => {
                    if !sink.wants(Code::V025) {
                        return;
                    }
                    sink.push(
                        Code::V025,
                        format!("`{name}=\"{value}\"`: the schema allows only letters, digits and `_` in ids"),
                        span,
                        "forbidden characters",
                    );
                }
                _ => {
                    sink.push(
                        Code::V027,
                        format!("`{name}=\"{value}\"` is not a `$({kind}.ID)` reference"),
                        span,
                        format!("expected $({kind}.ID), ID of letters, digits and `_`"),
                    );
                }
            }
        }
        Ty::Version => {
            let ok = token.split_once('.').is_some_and(|(m, n)| {
                (1..=4).contains(&m.len())
                    && (1..=5).contains(&n.len())
                    && m.bytes().all(|b| b.is_ascii_digit())
                    && n.bytes().all(|b| b.is_ascii_digit())
            });
            if !ok {
                sink.push(
                    Code::V026,
                    format!("`{name}=\"{value}\"` is not MAJOR.MINOR"),
                    span,
                    "expected 1–4 digits, a dot, 1–5 digits",
                );
            }
        }
        Ty::Class => {
            if !matches!(token, "User" | "Machine" | "Both") {
                sink.push(
                    Code::V028,
                    format!("`class=\"{value}\"` is not `User`, `Machine` or `Both`"),
                    span,
                    "invalid class",
                );
            }
        }
        // libxml2 escapes and accepts nearly anything as xs:anyURI; so does the editor.
        Ty::AnyUri => {}
        Ty::UInt | Ty::ULong | Ty::Bool | Ty::Guid | Ty::Language => {
            let (ok, want) = match a.ty {
                Ty::UInt => (
                    parse_unsigned(token).is_some_and(|n| n <= u32::MAX as u64),
                    "an unsigned 32-bit integer",
                ),
                Ty::ULong => (
                    parse_unsigned(token).is_some(),
                    "an unsigned 64-bit integer",
                ),
                Ty::Bool => (
                    matches!(token, "true" | "false" | "1" | "0"),
                    "`true` or `false`",
                ),
                Ty::Guid => (
                    is_guid(value),
                    "a GUID in braces, {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}",
                ),
                _ => (is_language(token), "a culture name such as en-US"),
            };
            if !ok {
                sink.push(
                    Code::V024,
                    format!("`{name}=\"{value}\"` on `<{ename}>` is not {want}"),
                    span,
                    format!("expected {want}"),
                );
            }
        }
    }
}

fn is_guid(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
        return false;
    };
    let parts: Vec<&str> = inner.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub use crate::validate::store::is_language;
