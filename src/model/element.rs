//! Policy elements (the `<elements>` children): what a policy writes when it is enabled with data.

use super::id::{ElementId, Name, RegistryKey, StringId, ValueName};
use super::value::{RegValue, ValueList};

#[derive(Debug, Clone)]
pub struct Element {
    pub id: ElementId,
    /// Overrides the policy key.
    pub key: Option<RegistryKey>,
    /// Absent only for `list` (which writes many values under its key).
    pub value_name: Option<ValueName>,
    /// ADMX `clientExtension` of the element (the schema allows it on every element).
    pub client_extension: Option<String>,
    pub kind: ElementKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringCheck {
    /// Every value must be a dotted object identifier.
    Oid,
}

#[derive(Debug, Clone)]
pub enum ElementKind {
    Boolean {
        true_value: Option<RegValue>,
        false_value: Option<RegValue>,
        true_list: ValueList,
        false_list: ValueList,
    },
    Decimal {
        required: bool,
        min: u32,
        max: u32,
        store_as_text: bool,
        soft: bool,
    },
    LongDecimal {
        required: bool,
        min: u64,
        max: u64,
        store_as_text: bool,
        soft: bool,
    },
    Text {
        required: bool,
        max_length: u32,
        expandable: bool,
        soft: bool,
        check: Option<StringCheck>,
    },
    MultiText {
        required: bool,
        max_length: u32,
        max_strings: u32,
        soft: bool,
    },
    Enum {
        required: bool,
        items: Vec<EnumItem>,
    },
    List {
        value_prefix: Option<String>,
        additive: bool,
        expandable: bool,
        explicit_value: bool,
    },
}

/// XSD defaults.
pub const DEFAULT_DECIMAL_MAX: u32 = 9999;
pub const DEFAULT_MAX_LENGTH: u32 = 1023;

#[derive(Debug, Clone)]
pub struct EnumItem {
    /// Stable name used by baselines (`aes256`).
    pub name: Name,
    pub display: StringId,
    pub value: RegValue,
    pub value_list: ValueList,
}

/// A decimal or longDecimal element's limits (widened to u64) and storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberSpec {
    pub min: u64,
    pub max: u64,
    pub store_as_text: bool,
    pub soft: bool,
    /// longDecimal (REG_QWORD) rather than decimal (REG_DWORD).
    pub long: bool,
}

impl ElementKind {
    /// The values a boolean's true/false lists and an enum's item lists write: (key when not
    /// the element's, value name).
    pub fn list_value_names(&self) -> Vec<(Option<&RegistryKey>, &str)> {
        let lists: Vec<&ValueList> = match self {
            ElementKind::Boolean {
                true_list,
                false_list,
                ..
            } => vec![true_list, false_list],
            ElementKind::Enum { items, .. } => items.iter().map(|i| &i.value_list).collect(),
            _ => Vec::new(),
        };
        lists
            .into_iter()
            .flat_map(|l| {
                l.items.iter().map(move |i| {
                    (
                        i.key.as_ref().or(l.default_key.as_ref()),
                        i.value_name.as_str(),
                    )
                })
            })
            .collect()
    }

    /// The number spec of a decimal or longDecimal; `None` for other kinds.
    pub fn number(&self) -> Option<NumberSpec> {
        match *self {
            ElementKind::Decimal {
                min,
                max,
                store_as_text,
                soft,
                ..
            } => Some(NumberSpec {
                min: u64::from(min),
                max: u64::from(max),
                store_as_text,
                soft,
                long: false,
            }),
            ElementKind::LongDecimal {
                min,
                max,
                store_as_text,
                soft,
                ..
            } => Some(NumberSpec {
                min,
                max,
                store_as_text,
                soft,
                long: true,
            }),
            _ => None,
        }
    }

    /// The ADMX element name.
    pub fn admx_name(&self) -> &'static str {
        match self {
            ElementKind::Boolean { .. } => "boolean",
            ElementKind::Decimal { .. } => "decimal",
            ElementKind::LongDecimal { .. } => "longDecimal",
            ElementKind::Text { .. } => "text",
            ElementKind::MultiText { .. } => "multiText",
            ElementKind::Enum { .. } => "enum",
            ElementKind::List { .. } => "list",
        }
    }
}
