//! THE IR: a read-only, validated model of everything the definitions describe. Built only by
//! [`lower`]; backends read it. No serde, no I/O, no rendering here.

pub mod baseline;
pub mod category;
pub mod effect;
pub mod element;
pub mod id;
pub mod lower;
pub mod policy;
pub mod presentation;
pub mod strings;
pub mod supported;
pub mod value;

pub use category::Category;
pub use element::{Element, ElementKind, EnumItem};
pub use id::{
    CategoryId, ElementId, ItemRef, Name, NamespaceName, PolicyId, RegistryKey, Revision, StringId,
    ValueName,
};
pub use policy::{Class, Policy, RegValue, Stig, ValueList, ValueListItem};
pub use presentation::{Control, Presentation};
pub use strings::StringTable;
pub use supported::{Combinator, MajorVersion, Product, SupportedDefinition, SupportedEntry};

use crate::diag::Span;

/// Source language of definitions; every other culture falls back to it.
pub const SOURCE_CULTURE: &str = "en-US";

/// All templates of a definitions folder.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub templates: Vec<Template>,
    pub baselines: Vec<baseline::Baseline>,
}

impl PolicySet {
    pub fn policy_count(&self) -> usize {
        self.templates.iter().map(|t| t.policies.len()).sum()
    }
    pub fn registry_only_count(&self) -> usize {
        self.templates.iter().map(|t| t.registry_only.len()).sum()
    }
}

#[derive(Debug, Clone)]
pub struct Namespace {
    pub prefix: Name,
    pub namespace: NamespaceName,
}

/// One ADMX file with its ADMLs.
#[derive(Debug, Clone)]
pub struct Template {
    /// ADMX/ADML file base name.
    pub file_name: String,
    pub target: Namespace,
    pub usings: Vec<Namespace>,
    /// Prefixes the ADMX uses without a `<using>` (`implicit = true`): resolved, not written.
    pub implicit_usings: Vec<Namespace>,
    /// `supersededAdm` file names, in order.
    pub superseded_adm: Vec<String>,
    pub revision: Revision,
    pub min_required_revision: Revision,
    /// The ADMLs' `revision` when it is not the one derived from the two above
    /// ([`Template::adml_revision`]).
    pub adml_revision: Option<Revision>,
    /// ADML `displayName` / `description`.
    pub display_name: String,
    pub description: String,
    pub products: Vec<Product>,
    pub supported_on: Vec<SupportedDefinition>,
    pub categories: Vec<Category>,
    pub policies: Vec<Policy>,
    pub registry_only: Vec<RegistrySetting>,
    /// Presentations no policy uses (`[[presentation]]`), written to every ADML.
    pub presentations: Vec<Presentation>,
    /// en-US first; other cultures follow.
    pub strings: Vec<StringTable>,
    /// String ids declared in `[strings]`: every ADML carries them even when no ADMX attribute
    /// refers to them (an imported template keeps the strings its ADMLs had).
    pub declared_strings: Vec<StringId>,
}

/// The ADML revision that satisfies an ADMX of revision `r` requiring `m`: `r` itself when it
/// has `m`'s major and at least its minor, else `m`.
pub fn derived_adml_revision(r: Revision, m: Revision) -> Revision {
    if r.major == m.major && r.minor >= m.minor {
        r
    } else {
        m
    }
}

impl Template {
    /// The ADMLs' `revision`: as given, else the ADMX's revision when it satisfies the ADMX's
    /// own `minRequiredRevision` (same major, minor at least as high), else
    /// `minRequiredRevision` (an ADMX at 1.0 that requires 1.3 gets ADMLs at 1.3).
    pub fn adml_revision(&self) -> Revision {
        if let Some(r) = self.adml_revision {
            return r;
        }
        derived_adml_revision(self.revision, self.min_required_revision)
    }

    pub fn source_strings(&self) -> &StringTable {
        &self.strings[0]
    }
    pub fn category(&self, id: &CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| &c.id == id)
    }
    /// This template's categories from the root down to `id`. A parent in another file (another
    /// prefix) ends the chain; lowering rejects cycles, the bound only guards against one.
    pub fn category_path(&self, id: &CategoryId) -> Vec<&Category> {
        let mut out = Vec::new();
        let mut cur = self.category(id);
        while let Some(c) = cur.filter(|_| out.len() <= self.categories.len()) {
            out.push(c);
            cur = c
                .parent
                .as_ref()
                .filter(|p| {
                    p.prefix
                        .as_ref()
                        .is_none_or(|x| x.as_str() == self.target.prefix.as_str())
                })
                .and_then(|p| {
                    self.categories
                        .iter()
                        .find(|x| x.id.as_str() == p.name.as_str())
                });
        }
        out.reverse();
        out
    }
}

/// Registry value types of registry-only settings (winnt.h numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegType {
    String,
    ExpandString,
    Binary,
    Dword,
    MultiString,
    Qword,
}

impl RegType {
    pub fn parse(s: &str) -> Option<RegType> {
        Some(match s {
            "string" => RegType::String,
            "expand_string" => RegType::ExpandString,
            "binary" => RegType::Binary,
            "dword" => RegType::Dword,
            "multi_string" => RegType::MultiString,
            "qword" => RegType::Qword,
            _ => return None,
        })
    }
    /// The registry name (`REG_BINARY`).
    pub fn reg_name(self) -> &'static str {
        match self {
            RegType::String => "REG_SZ",
            RegType::ExpandString => "REG_EXPAND_SZ",
            RegType::Binary => "REG_BINARY",
            RegType::Dword => "REG_DWORD",
            RegType::MultiString => "REG_MULTI_SZ",
            RegType::Qword => "REG_QWORD",
        }
    }
}

/// A registry value that Outlook honours but no ADMX element can carry (or that has no
/// documented editor semantics). Delivered by `.reg` and `Registry.pol`; documented everywhere.
#[derive(Debug, Clone)]
pub struct RegistrySetting {
    pub id: PolicyId,
    pub class: Class,
    pub key: RegistryKey,
    pub value_name: ValueName,
    pub reg_type: RegType,
    pub display: StringId,
    pub explain: StringId,
    pub stig: Vec<Stig>,
    pub source: Option<String>,
    pub span: Span,
}
