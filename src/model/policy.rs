//! A policy as the Group Policy editor shows it, and the registry values it writes.

use super::element::Element;
use super::id::{CategoryId, ItemRef, PolicyId, RegistryKey, StringId, ValueName};
use super::presentation::Presentation;
pub use super::value::{MAX_VALUE_STRING, RegValue, ValueList, ValueListItem};
use crate::diag::Span;

/// Which half of a GPO a policy belongs to, and so which hive it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    User,
    Machine,
    Both,
}

impl Class {
    pub fn parse(s: &str) -> Option<Class> {
        match s {
            "User" => Some(Class::User),
            "Machine" => Some(Class::Machine),
            "Both" => Some(Class::Both),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Class::User => "User",
            Class::Machine => "Machine",
            Class::Both => "Both",
        }
    }
}

/// A DISA STIG reference: which benchmark and release, and the rule's ids there. Every field
/// is checked against the benchmark's XCCDF file by the test suite (`tests/stig.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stig {
    /// The XCCDF benchmark id (`MS_Office_365_ProPlus_STIG`).
    pub benchmark: String,
    /// `V3R5`.
    pub release: String,
    /// `V-223356`.
    pub vuln: String,
    /// `SV-223356r1117184_rule`.
    pub rule: String,
    /// The STIG id: `O365-OU-000011`, `DTOO316`.
    pub id: String,
    /// The rule's acceptance condition (checked against the XCCDF check text by `tests/stig.rs`).
    pub check: Option<Check>,
}

/// What a STIG rule's check accepts for one registry value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The value name the check names.
    pub value: String,
    pub cond: Cond,
    /// The check text's sentence the condition is read from.
    pub source: String,
}

/// A rule's condition on a registry value. Numbers are REG_DWORD (or REG_QWORD) data; a value of
/// another type fails a numeric condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    Equals(u64),
    EqualsText(String),
    AtLeast(u64),
    AtMost(u64),
    OneOf(Vec<u64>),
    Present,
    Absent,
}

impl std::fmt::Display for Cond {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cond::Equals(n) => write!(f, "= {n} (REG_DWORD)"),
            Cond::EqualsText(t) => write!(f, "= \"{t}\""),
            Cond::AtLeast(n) => write!(f, ">= {n} (REG_DWORD)"),
            Cond::AtMost(n) => write!(f, "<= {n} (REG_DWORD)"),
            Cond::OneOf(v) => write!(
                f,
                "one of {} (REG_DWORD)",
                v.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
            ),
            Cond::Present => f.write_str("present"),
            Cond::Absent => f.write_str("absent"),
        }
    }
}

impl std::fmt::Display for Stig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}, {}; {} {})",
            self.id, self.vuln, self.rule, self.benchmark, self.release
        )
    }
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub id: PolicyId,
    pub class: Class,
    pub key: RegistryKey,
    pub value_name: Option<ValueName>,
    pub on_enabled: Option<RegValue>,
    pub on_disabled: Option<RegValue>,
    pub enabled_list: ValueList,
    pub disabled_list: ValueList,
    pub elements: Vec<Element>,
    /// A category of this template (no prefix) or of another one (`windows:System`); `None`
    /// for `parentCategory ref=""` (D044), which the editor loads and shows under no category.
    pub category: Option<ItemRef>,
    /// False when the policy has no `<parentCategory>` at all (D056); the editor shows it at
    /// the root of Administrative Templates.
    pub parent_category: bool,
    /// `None`: no `<supportedOn>` (D053), which the schema requires and the editor loads.
    pub supported_on: Option<ItemRef>,
    /// The GUID of the client-side extension that applies the policy (ADMX `clientExtension`).
    pub client_extension: Option<String>,
    pub display: StringId,
    /// None: no `explainText` (the schema makes it optional).
    pub explain: Option<StringId>,
    /// Present when the policy has elements (or static text) to show.
    pub presentation: Option<Presentation>,
    pub stig: Vec<Stig>,
    pub source: Option<String>,
    pub span: Span,
}

impl Policy {
    /// The policy's category when it belongs to this template (`own_prefix` or no prefix).
    pub fn local_category(&self, own_prefix: &str) -> Option<CategoryId> {
        let c = self.category.as_ref()?;
        match &c.prefix {
            Some(p) if p.as_str() != own_prefix => None,
            _ => CategoryId::parse(c.name.as_str()),
        }
    }
}
