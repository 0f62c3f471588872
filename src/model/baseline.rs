//! Baselines: named sets of policy states (DESIGN.md §1.1). A baseline refers to one template's
//! policies and registry-only settings by index; element values are already checked against the
//! element (enum item exists, number in range, text within maxLength), so backends only translate.

use super::policy::Stig;
use super::{Class, Name, Template};
use crate::diag::Span;

/// A string as UTF-16LE code units with its terminating NUL.
pub fn utf16z(s: &str, out: &mut Vec<u8>) {
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out.extend_from_slice(&[0, 0]);
}

/// One baseline file, lowered.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The file stem (`disa-stig`): the output folder name.
    pub name: String,
    pub title: String,
    pub description: String,
    /// Index into `PolicySet::templates`.
    pub template: usize,
    pub settings: Vec<Setting>,
    /// The parameters a site supplies, in declaration order.
    pub parameters: Vec<Parameter>,
    /// Settings left out because a parameter they need was not supplied (B009).
    pub left_out: Vec<LeftOut>,
    pub span: Span,
}

/// A baseline parameter and whether this build had a value for it.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub description: String,
    /// Where the value came from, when one was supplied.
    pub supplied: Option<String>,
}

/// A setting of the baseline file that this build leaves out.
#[derive(Debug, Clone)]
pub struct LeftOut {
    /// The policy or registry-only id.
    pub id: String,
    /// The parameters it needs that were not supplied.
    pub missing: Vec<String>,
}

/// What a baseline setting configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Index into `Template::policies`.
    Policy(usize),
    /// Index into `Template::registry_only`.
    RegistryOnly(usize),
}

impl Setting {
    /// The id of the policy or registry-only setting this configures.
    pub fn id<'a>(&self, t: &'a Template) -> &'a str {
        match self.target {
            Target::Policy(i) => t.policies[i].id.as_str(),
            Target::RegistryOnly(i) => t.registry_only[i].id.as_str(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Setting {
    pub target: Target,
    pub state: State,
    /// The hive a `Both` policy is written to; the policy's own class otherwise.
    pub class: Class,
    /// The compliance rule this choice satisfies (the baseline's, else the policy's).
    pub stig: Vec<Stig>,
    /// Why this value was chosen (documentation only).
    pub note: Option<String>,
    pub span: Span,
}

/// The three states the Group Policy editor offers.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    NotConfigured,
    Disabled,
    /// Element values in element order (one per element that writes a value).
    Enabled(Vec<ElementValue>),
    /// A registry-only setting written with this data.
    Set(RegData),
}

/// The chosen value of one policy element, by its meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementValue {
    /// Index into `Policy::elements`.
    pub element: usize,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Boolean(bool),
    Decimal(u32),
    LongDecimal(u64),
    Text(String),
    MultiText(Vec<String>),
    /// Index into the enum's items, with the item's name for documentation.
    Enum(usize, Name),
    /// (value name, data) pairs; the name is given only for `explicit_value` lists.
    List(Vec<(Option<String>, String)>),
}

impl Value {
    /// The number of a decimal or longDecimal value.
    pub fn number(&self) -> Option<u64> {
        match self {
            Value::Decimal(n) => Some(u64::from(*n)),
            Value::LongDecimal(n) => Some(*n),
            _ => None,
        }
    }
}

/// Typed registry data, as written by `.reg` and `Registry.pol`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegData {
    Sz(String),
    ExpandSz(String),
    Binary(Vec<u8>),
    Dword(u32),
    MultiSz(Vec<String>),
    Qword(u64),
}

impl RegData {
    /// The winnt.h type number (REG_SZ = 1 …).
    pub fn type_number(&self) -> u32 {
        match self {
            RegData::Sz(_) => 1,
            RegData::ExpandSz(_) => 2,
            RegData::Binary(_) => 3,
            RegData::Dword(_) => 4,
            RegData::MultiSz(_) => 7,
            RegData::Qword(_) => 11,
        }
    }

    pub fn type_name(&self) -> &'static str {
        type_name_of(self.type_number())
    }
}

/// The name of a registry type number (winnt.h): `REG_DWORD` for 4, `type 12` for what has none.
pub fn type_name_of(ty: u32) -> &'static str {
    match ty {
        0 => "REG_NONE",
        1 => "REG_SZ",
        2 => "REG_EXPAND_SZ",
        3 => "REG_BINARY",
        4 => "REG_DWORD",
        5 => "REG_DWORD_BIG_ENDIAN",
        6 => "REG_LINK",
        7 => "REG_MULTI_SZ",
        11 => "REG_QWORD",
        _ => "an unknown type",
    }
}

impl RegData {
    /// The raw bytes as the registry stores them: strings UTF-16LE with their NUL, REG_MULTI_SZ
    /// with the final extra NUL, numbers little-endian (MS-GPREG 2.2.1; winnt.h).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            RegData::Sz(s) | RegData::ExpandSz(s) => utf16z(s, &mut out),
            RegData::Binary(b) => out.extend_from_slice(b),
            RegData::Dword(d) => out.extend_from_slice(&d.to_le_bytes()),
            RegData::Qword(q) => out.extend_from_slice(&q.to_le_bytes()),
            RegData::MultiSz(items) => {
                for i in items {
                    utf16z(i, &mut out);
                }
                out.extend_from_slice(&[0, 0]);
            }
        }
        out
    }

    /// Human-readable data for documentation (`168`, `"text"`, `hex:31,0a`).
    pub fn display(&self) -> String {
        match self {
            RegData::Sz(s) | RegData::ExpandSz(s) => format!("\"{s}\""),
            RegData::Dword(d) => d.to_string(),
            RegData::Qword(q) => q.to_string(),
            RegData::MultiSz(items) => items
                .iter()
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(", "),
            RegData::Binary(b) => format!(
                "hex:{}",
                b.iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }
}
