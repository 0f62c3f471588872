//! The validator's rule catalogue: one module per rule family, each rule declared with [`rule!`]
//! next to the code that checks it (what / why / example, printed by `gpforge explain`).
//!
//! Per-file families read one parsed document; store families read the [`super::facts`] of every
//! file of a store. Severities are those of the `gpmc` profile; [`super::Profile`] adjusts them.

use crate::diag::{Code, Diagnostic, FileId, Severity, Span};
use std::ops::Range;

pub mod encoding;
pub mod intune;
pub mod namespace;
pub mod presentation;
pub mod references;
pub mod registry;
pub mod schema;
pub mod store;
pub mod strings;

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
/// Style rules that are off unless `--select` names them (by code, family or `pedantic`):
/// V063 alone makes 808 of the 1,310 findings on Microsoft's own 1903 + Office store, where the
/// editor shows the strings well enough; a vendor polishing its own ADMLs turns it on.
pub const PEDANTIC: &[crate::diag::Code] = &[crate::diag::Code::V063];

macro_rules! rule {
    ($(#[doc = $doc:literal])* $name:ident: $sev:ident, $fam:ident, $title:literal) => {
        $crate::validate::checks::rule! { $(#[doc = $doc])* $name: $sev, $fam, $title, intune_error = false }
    };
    ($(#[doc = $doc:literal])* $name:ident: $sev:ident, $fam:ident, $title:literal, intune_error = $ie:literal) => {
        $(#[doc = $doc])*
        pub const $name: $crate::validate::checks::Rule = $crate::validate::checks::Rule {
            severity: $crate::diag::Severity::$sev,
            family: $crate::validate::checks::Family::$fam,
            title: $title,
            doc: concat!($($doc, "\n"),*),
            intune_error: $ie,
        };
    };
}
pub(crate) use rule;

/// Collects the diagnostics of one file.
pub struct Sink<'a> {
    pub file: FileId,
    pub out: &'a mut Vec<Diagnostic>,
}

impl Sink<'_> {
    /// A diagnostic at `range` of this file, with the code's default severity.
    pub fn push(
        &mut self,
        code: Code,
        message: impl Into<String>,
        range: Range<usize>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        push_at(self.out, code, message, Span::new(self.file, range), label)
    }
}

/// Pushes a diagnostic and returns it for notes or secondary labels.
pub fn push_at(
    out: &mut Vec<Diagnostic>,
    code: Code,
    message: impl Into<String>,
    span: Span,
    label: impl Into<String>,
) -> &mut Diagnostic {
    out.push(Diagnostic::new(code, message).at(span, label));
    let last = out.len() - 1;
    &mut out[last]
}

pub use crate::model::id::is_item_name;

/// `name` or `prefix:name` (BaseTypes.xsd itemReference).
pub fn is_item_reference(s: &str) -> bool {
    match s.split_once(':') {
        Some((p, n)) => is_item_name(p) && is_item_name(n),
        None => is_item_name(s),
    }
}

/// Splits `prefix:name`.
pub fn split_ref(s: &str) -> (Option<&str>, &str) {
    match s.split_once(':') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    }
}
