//! The validator's rules as data: each V-code with its default severity (profile gpmc), family,
//! title and documentation (what / why / example, printed by `gpforge explain`), one module per
//! family as `validate::checks` has. A leaf: it reads nothing of the crate, so the diagnostics
//! (`diag`) and the validator (`validate`) both read it without depending on each other.

pub mod encoding;
pub mod intune;
pub mod namespace;
pub mod presentation;
pub mod references;
pub mod registry;
pub mod schema;
pub mod store;
pub mod strings;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Which family a rule belongs to (and so which profile cares about it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Encoding,
    Namespace,
    Schema,
    References,
    Presentation,
    Registry,
    Strings,
    Store,
    Intune,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Encoding => "encoding",
            Family::Namespace => "namespace",
            Family::Schema => "schema",
            Family::References => "references",
            Family::Presentation => "presentation",
            Family::Registry => "registry",
            Family::Strings => "strings",
            Family::Store => "store",
            Family::Intune => "intune",
        }
    }
}

/// A validator rule: its default severity (profile gpmc), family, title and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub severity: Severity,
    pub family: Family,
    pub title: &'static str,
    pub doc: &'static str,
    /// An Error under profile intune (Intune's importer refuses what the editor works around).
    pub intune_error: bool,
}

/// Declares a rule constant; its doc comment is the text `gpforge explain` prints.
macro_rules! rule {
    ($(#[doc = $doc:literal])* $name:ident: $sev:ident, $fam:ident, $title:literal) => {
        $crate::rules::rule! { $(#[doc = $doc])* $name: $sev, $fam, $title, intune_error = false }
    };
    ($(#[doc = $doc:literal])* $name:ident: $sev:ident, $fam:ident, $title:literal, intune_error = $ie:literal) => {
        $(#[doc = $doc])*
        pub const $name: $crate::rules::Rule = $crate::rules::Rule {
            severity: $crate::rules::Severity::$sev,
            family: $crate::rules::Family::$fam,
            title: $title,
            doc: concat!($($doc, "\n"),*),
            intune_error: $ie,
        };
    };
}
pub(crate) use rule;
