//! Typed views of the ADMX/ADML vocabulary over the lossless spanned DOM: [`Admx`] (target,
//! usings, products, [`SupportedOn`] definitions, [`Category`], [`Policy`] with its
//! [`Element`]s) and [`Adml`] ([`StringTable`], [`Presentation`]s with their [`Control`]s).
//!
//! A view is a `Copy` handle (document + element index); its accessors return the value and its
//! span ([`Attr`]), or nothing where a broken file lacks it. Nothing is copied or checked here:
//! validate's rules decide what is wrong, the diff compares what is there, the import writes it.

use super::dom::Document;
use std::borrow::Cow;
use std::ops::Range;

/// An attribute's value (white space normalised, references resolved) and its span.
pub type Attr<'d> = (Cow<'d, str>, Range<usize>);

/// One element of a document.
#[derive(Clone, Copy)]
pub struct Node<'d> {
    pub doc: &'d Document,
    pub index: u32,
}

impl<'d> Node<'d> {
    /// The element's local name (after any `prefix:`).
    pub fn tag(self) -> &'d str {
        self.doc.name(self.index)
    }
    /// The span of the element's name in its start tag.
    pub fn span(self) -> Range<usize> {
        self.doc.name_span(self.index)
    }
    pub fn attr(self, name: &str) -> Option<Attr<'d>> {
        self.doc.attr(self.index, name)
    }
    /// Where a whole attribute is written: from its name to the end of its value.
    pub fn attr_span(self, name: &str) -> Option<Range<usize>> {
        self.doc
            .find_attr(self.index, name)
            .map(|a| a.name.start as usize..a.value.end as usize)
    }
    /// An attribute's value alone.
    pub fn get(self, name: &str) -> Option<Cow<'d, str>> {
        self.attr(name).map(|a| a.0)
    }
    /// An unsigned number attribute as the schema's `xs:unsignedInt`/`unsignedLong` reads it.
    pub fn number(self, name: &str) -> Option<(u64, Range<usize>)> {
        let (v, span) = self.attr(name)?;
        parse_unsigned(v.trim()).map(|n| (n, span))
    }
    /// A boolean attribute (`true`/`1`, `false`/`0`; anything else reads as false).
    pub fn flag(self, name: &str) -> Option<bool> {
        self.get(name).map(|v| matches!(v.trim(), "true" | "1"))
    }
    /// The character data directly inside the element.
    pub fn text(self) -> Cow<'d, str> {
        self.doc.text(self.index)
    }
    pub fn children(self) -> impl Iterator<Item = Node<'d>> {
        let doc = self.doc;
        doc.children(self.index)
            .map(move |index| Node { doc, index })
    }
    pub fn children_named(self, name: &'d str) -> impl Iterator<Item = Node<'d>> {
        self.children().filter(move |c| c.tag() == name)
    }
    pub fn child(self, name: &str) -> Option<Node<'d>> {
        self.children().find(|c| c.tag() == name)
    }
    fn grandchildren(self, parent: &'d str, name: &'d str) -> impl Iterator<Item = Node<'d>> {
        self.child(parent)
            .into_iter()
            .flat_map(move |p| p.children_named(name))
    }
}

/// A setting attribute's value as the editor reads it: a flag, a number, or text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Typed {
    Flag(bool),
    Number(u64),
    Text(String),
}

impl std::fmt::Display for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Typed::Flag(b) => write!(f, "{b}"),
            Typed::Number(n) => write!(f, "{n}"),
            Typed::Text(t) => f.write_str(t),
        }
    }
}

/// The schema's type and default of a setting attribute of an element or control (the XSDs'
/// `xs:boolean`/`xs:unsignedInt` attributes and their `default`s); `None` for text.
fn attribute_type(name: &str) -> Option<Typed> {
    Some(match name {
        "required" | "soft" | "storeAsText" | "expandable" | "additive" | "explicitValue"
        | "noSort" | "defaultChecked" | "showAsDialog" => Typed::Flag(false),
        "spin" => Typed::Flag(true),
        "minValue" | "maxStrings" => Typed::Number(0),
        "maxValue" => Typed::Number(9999),
        "maxLength" => Typed::Number(1023),
        "spinStep" => Typed::Number(1),
        "defaultHeight" => Typed::Number(3),
        // Numbers without a default.
        "defaultValue" | "defaultItem" => Typed::Number(u64::MAX),
        _ => return None,
    })
}

impl Typed {
    /// An attribute's value as its schema type reads it; a value that is not of that type
    /// stays text (so a change to or from it still shows).
    pub fn of(name: &str, value: &str) -> Typed {
        let t = value.trim();
        match attribute_type(name) {
            Some(Typed::Flag(_)) => match t {
                "true" | "1" => Typed::Flag(true),
                "false" | "0" => Typed::Flag(false),
                _ => Typed::Text(t.to_string()),
            },
            Some(Typed::Number(_)) => match parse_unsigned(t) {
                Some(n) => Typed::Number(n),
                None => Typed::Text(t.to_string()),
            },
            _ => Typed::Text(t.to_string()),
        }
    }

    /// Whether this is the schema's default for `name` (so stating it equals leaving it out).
    pub fn is_default(&self, name: &str) -> bool {
        attribute_type(name).as_ref() == Some(self)
    }
}

impl<'d> Node<'d> {
    /// The element's setting attributes that `keep` admits, typed, with those that state their
    /// schema default left out: `maxLength="1023"` equals no `maxLength`.
    pub fn settings(
        self,
        keep: impl Fn(&str) -> bool,
    ) -> std::collections::BTreeMap<String, Typed> {
        let doc = self.doc;
        doc.attrs(self.index)
            .iter()
            .map(|a| (doc.attr_name(a), a))
            .filter(|(n, _)| keep(n))
            .map(|(n, a)| (n.to_string(), Typed::of(n, &doc.value(a))))
            .filter(|(n, v)| !v.is_default(n))
            .collect()
    }
}

/// `xs:unsignedInt`/`xs:unsignedLong` lexical form: digits with an optional `+`, leading zeros
/// allowed.
pub fn parse_unsigned(s: &str) -> Option<u64> {
    let d = s.strip_prefix('+').unwrap_or(s);
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d = d.trim_start_matches('0');
    if d.is_empty() {
        return Some(0);
    }
    d.parse().ok()
}

/// The id of `$(kind.ID)`, or `None` when the text is no such reference.
pub fn reference_id<'s>(s: &'s str, kind: &str) -> Option<&'s str> {
    s.strip_prefix("$(")?
        .strip_prefix(kind)?
        .strip_prefix('.')?
        .strip_suffix(')')
}

/// The id of `$(kind.ID)`, or the text itself when it is no such reference.
pub fn referenced_id<'s>(s: &'s str, kind: &str) -> &'s str {
    reference_id(s, kind).unwrap_or(s)
}

macro_rules! view {
    ($(#[$doc:meta])* $name:ident { $($f:ident => $a:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'d>(pub Node<'d>);
        impl<'d> std::ops::Deref for $name<'d> {
            type Target = Node<'d>;
            fn deref(&self) -> &Node<'d> {
                &self.0
            }
        }
        #[allow(dead_code)]
        impl<'d> $name<'d> {
            $(
                #[doc = concat!("The `", $a, "` attribute.")]
                pub fn $f(self) -> Option<Attr<'d>> {
                    self.0.attr($a)
                }
            )*
        }
    };
}

view!(
    /// The root `policyDefinitions` of an ADMX.
    Admx { revision => "revision", schema_version => "schemaVersion" }
);
view!(
    /// A `target` or `using` of `policyNamespaces`.
    Namespace { prefix => "prefix", namespace => "namespace" }
);
view!(
    /// The ADMX's `resources` element.
    Resources { min_required_revision => "minRequiredRevision", fallback_culture => "fallbackCulture" }
);
view!(
    /// A `product`, `majorVersion` or `minorVersion` of `supportedOn/products`.
    Product { name => "name", display_name => "displayName", version_index => "versionIndex" }
);
view!(
    /// A `definition` of `supportedOn/definitions`.
    SupportedOn { name => "name", display_name => "displayName" }
);
view!(
    /// A `reference` or `range` inside a supportedOn definition's `or`/`and`.
    SupportedRef { reference => "ref", min_version_index => "minVersionIndex", max_version_index => "maxVersionIndex" }
);
view!(
    /// A `category`.
    Category { name => "name", display_name => "displayName", explain_text => "explainText" }
);
view!(
    /// A `policy`.
    Policy {
        name => "name",
        class => "class",
        display_name => "displayName",
        explain_text => "explainText",
        presentation => "presentation",
        key => "key",
        value_name => "valueName",
        client_extension => "clientExtension",
    }
);
view!(
    /// An element of a policy's `elements` (`boolean`, `decimal`, `text`, `enum`, …).
    Element {
        id => "id",
        key => "key",
        value_name => "valueName",
        client_extension => "clientExtension",
    }
);
view!(
    /// An `item` of an `enum`.
    EnumItem { display_name => "displayName" }
);
view!(
    /// An `enabledList`, `disabledList`, `trueList`, `falseList` or an enum item's `valueList`.
    List { default_key => "defaultKey" }
);
view!(
    /// An `item` of a [`List`].
    ListItem { key => "key", value_name => "valueName" }
);
view!(
    /// A value holder (`enabledValue`, `trueValue`, an enum item's `value`, …).
    Value {}
);
view!(
    /// The root `policyDefinitionResources` of an ADML.
    Adml { revision => "revision", schema_version => "schemaVersion" }
);
view!(
    /// An ADML's `stringTable`.
    StringTable {}
);
view!(
    /// A `string` of a [`StringTable`].
    StringEntry { id => "id" }
);
view!(
    /// A `presentation` of the `presentationTable`.
    Presentation { id => "id" }
);
view!(
    /// A control of a [`Presentation`] (`textBox`, `dropdownList`, …, or `text`).
    Control { ref_id => "refId" }
);

fn root(doc: &Document) -> Option<Node<'_>> {
    doc.root.map(|index| Node { doc, index })
}

impl<'d> Admx<'d> {
    /// The document's root, whatever its name (a broken file still shows what it has).
    pub fn of(doc: &'d Document) -> Option<Self> {
        root(doc).map(Admx)
    }
    pub fn target(self) -> Option<Namespace<'d>> {
        self.grandchildren("policyNamespaces", "target")
            .next()
            .map(Namespace)
    }
    pub fn usings(self) -> impl Iterator<Item = Namespace<'d>> {
        self.grandchildren("policyNamespaces", "using")
            .map(Namespace)
    }
    /// `supersededAdm@fileName`s.
    pub fn superseded_adm(self) -> impl Iterator<Item = Attr<'d>> {
        self.children_named("supersededAdm")
            .filter_map(|s| s.attr("fileName"))
    }
    pub fn resources(self) -> Option<Resources<'d>> {
        self.child("resources").map(Resources)
    }
    pub fn products(self) -> impl Iterator<Item = Product<'d>> {
        self.child("supportedOn")
            .into_iter()
            .flat_map(|s| s.grandchildren("products", "product"))
            .map(Product)
    }
    pub fn definitions(self) -> impl Iterator<Item = SupportedOn<'d>> {
        self.child("supportedOn")
            .into_iter()
            .flat_map(|s| s.grandchildren("definitions", "definition"))
            .map(SupportedOn)
    }
    pub fn categories(self) -> impl Iterator<Item = Category<'d>> {
        self.grandchildren("categories", "category").map(Category)
    }
    pub fn policies(self) -> impl Iterator<Item = Policy<'d>> {
        self.grandchildren("policies", "policy").map(Policy)
    }
}

impl<'d> Product<'d> {
    /// `majorVersion`s of a product, `minorVersion`s of a major version.
    pub fn versions(self) -> impl Iterator<Item = Product<'d>> {
        let tag = match self.tag() {
            "product" => "majorVersion",
            _ => "minorVersion",
        };
        self.children_named(tag).map(Product)
    }
}

impl<'d> SupportedOn<'d> {
    /// `("or" | "and", its references)`.
    pub fn conditions(self) -> impl Iterator<Item = (&'d str, Vec<SupportedRef<'d>>)> {
        self.children()
            .map(|c| (c.tag(), c.children().map(SupportedRef).collect()))
    }
}

/// `parentCategory@ref` of a category or policy.
fn parent<'d>(n: Node<'d>) -> Option<Attr<'d>> {
    n.child("parentCategory")?.attr("ref")
}

impl<'d> Category<'d> {
    pub fn parent(self) -> Option<Attr<'d>> {
        parent(self.0)
    }
}

impl<'d> Policy<'d> {
    pub fn parent(self) -> Option<Attr<'d>> {
        parent(self.0)
    }
    pub fn supported_on(self) -> Option<Attr<'d>> {
        self.child("supportedOn")?.attr("ref")
    }
    pub fn enabled_value(self) -> Option<Value<'d>> {
        self.child("enabledValue").map(Value)
    }
    pub fn disabled_value(self) -> Option<Value<'d>> {
        self.child("disabledValue").map(Value)
    }
    pub fn enabled_list(self) -> Option<List<'d>> {
        self.child("enabledList").map(List)
    }
    pub fn disabled_list(self) -> Option<List<'d>> {
        self.child("disabledList").map(List)
    }
    /// The children of `elements`, whatever their names (an unknown one has no [`ElementKind`]).
    pub fn elements(self) -> impl Iterator<Item = Element<'d>> {
        self.child("elements")
            .into_iter()
            .flat_map(|e| e.children())
            .map(Element)
    }
}

/// The kinds of policy element in the schema.
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

impl<'d> Element<'d> {
    pub fn kind(self) -> Option<ElementKind> {
        ElementKind::of(self.tag())
    }
    /// An enum's items.
    pub fn items(self) -> impl Iterator<Item = EnumItem<'d>> {
        self.children_named("item").map(EnumItem)
    }
    /// A boolean's `trueValue` / `falseValue`.
    pub fn value_of(self, which: &str) -> Option<Value<'d>> {
        self.child(which).map(Value)
    }
    /// A boolean's `trueList` / `falseList`.
    pub fn list_of(self, which: &str) -> Option<List<'d>> {
        self.child(which).map(List)
    }
}

impl<'d> EnumItem<'d> {
    pub fn value(self) -> Option<Value<'d>> {
        self.child("value").map(Value)
    }
    pub fn value_list(self) -> Option<List<'d>> {
        self.child("valueList").map(List)
    }
}

impl<'d> List<'d> {
    pub fn items(self) -> impl Iterator<Item = ListItem<'d>> {
        self.children_named("item").map(ListItem)
    }
}

impl<'d> ListItem<'d> {
    pub fn value(self) -> Option<Value<'d>> {
        self.child("value").map(Value)
    }
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

impl Value<'_> {
    /// The value its one child states: `<delete/>`, `<decimal>`, `<longDecimal>` or
    /// `<string>`; `None` when it states none a consumer can read.
    pub fn get(self) -> Option<Val> {
        let v = self.children().next()?;
        let n = || v.number("value").map(|n| n.0);
        Some(match v.tag() {
            "delete" => Val::Delete,
            "decimal" => Val::Decimal(n()?),
            "longDecimal" => Val::LongDecimal(n()?),
            "string" => Val::String(v.text().into_owned()),
            _ => return None,
        })
    }
}

impl<'d> Adml<'d> {
    pub fn of(doc: &'d Document) -> Option<Self> {
        root(doc).map(Adml)
    }
    pub fn string_table(self) -> Option<StringTable<'d>> {
        self.child("resources")?
            .child("stringTable")
            .map(StringTable)
    }
    pub fn presentations(self) -> impl Iterator<Item = Presentation<'d>> {
        self.child("resources")
            .into_iter()
            .flat_map(|r| r.grandchildren("presentationTable", "presentation"))
            .map(Presentation)
    }
}

impl<'d> StringTable<'d> {
    pub fn strings(self) -> impl Iterator<Item = StringEntry<'d>> {
        self.children_named("string").map(StringEntry)
    }
}

impl<'d> Presentation<'d> {
    /// Its controls in order, `text` labels included.
    pub fn controls(self) -> impl Iterator<Item = Control<'d>> {
        self.children().map(Control)
    }
}

impl<'d> Control<'d> {
    /// The label: the `<label>` child of a textBox/comboBox, else the control's own text.
    pub fn label(self) -> Cow<'d, str> {
        match self.tag() {
            "textBox" | "comboBox" => self.child("label").map(|l| l.text()).unwrap_or_default(),
            _ => self.text(),
        }
    }
    /// A textBox's `defaultValue` or a comboBox's `default` text.
    pub fn default_text(self) -> Option<Node<'d>> {
        match self.tag() {
            "textBox" => self.child("defaultValue"),
            "comboBox" => self.child("default"),
            _ => None,
        }
    }
    /// A comboBox's `suggestion`s.
    pub fn suggestions(self) -> impl Iterator<Item = Node<'d>> {
        self.children_named("suggestion")
    }
}
