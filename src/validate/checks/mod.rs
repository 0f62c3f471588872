//! The validator's checks: one module per rule family; each family's rules (code, severity,
//! what / why / example, printed by `gpforge explain`) are declared in `rules::<family>`.
//!
//! Per-file families read one parsed document; store families read the [`super::facts`] of every
//! file of a store. Severities are those of the `gpmc` profile; [`super::Profile`] adjusts them.

use crate::diag::{Code, Diagnostic, FileId, Span};
use std::ops::Range;

pub use crate::rules::{Family, Rule};

pub mod encoding;
pub mod intune;
pub mod namespace;
pub mod presentation;
pub mod references;
pub mod registry;
pub mod schema;
pub mod store;
pub mod strings;

/// Style rules that are off unless `--select` names them (by code, family or `pedantic`):
/// V063 alone makes 808 of the 1,310 findings on Microsoft's own 1903 + Office store, where the
/// editor shows the strings well enough; a vendor polishing its own ADMLs turns it on.
pub const PEDANTIC: &[crate::diag::Code] = &[crate::diag::Code::V063];

/// Schema-only deviations: what Microsoft's ADMX schema forbids but the Group Policy editor loads
/// without a word and reads as intended (an attribute the schema does not allow, such as
/// `required` on `<boolean>`; a root without the schema's namespace; a value or name outside the
/// schema's types; stray text; a prefix used without a `using`, which the editor resolves).
/// Under profile gpmc a finding means the editor shows an error, a setting is unreachable or
/// behaves otherwise than it reads, so these are off there unless `--select` names them (by
/// code, family or `pedantic`); profile schema reports them as errors, and profile intune the
/// ones Intune's import refuses (V030). On Microsoft's own 1903 + Office store they were 369 of
/// the 500 warnings.
pub const SCHEMA_ONLY: &[crate::diag::Code] = &[
    crate::diag::Code::V011,
    crate::diag::Code::V021,
    crate::diag::Code::V024,
    crate::diag::Code::V025,
    crate::diag::Code::V029,
    crate::diag::Code::V030,
];

/// Whether `code` is reported under `profile` when `--select` does not name it.
pub fn on_by_default(code: crate::diag::Code, profile: super::Profile) -> bool {
    if PEDANTIC.contains(&code) {
        return false;
    }
    if SCHEMA_ONLY.contains(&code) {
        return match profile {
            super::Profile::Schema => true,
            super::Profile::Intune => code.rule().is_some_and(|r| r.intune_error),
            super::Profile::Gpmc => false,
        };
    }
    true
}

/// Collects the diagnostics of one file. With a cap (the report's `--max-per-code`), the list is
/// folded whenever it has doubled: per code, the `cap + 1` first findings in source order are
/// kept (the shown ones and the one a capped report names as the first not shown) and the rest
/// become a tally per code and severity ([`Diagnostic::folded`]). Memory then follows the
/// report, not the file: a one-line file with millions of findings keeps a few hundred.
///
/// A sink may want only some codes (the report's selection): a finding of another code is not
/// kept, and a check with many findings of one code asks [`Sink::wants`] before it builds them.
pub struct Sink<'a> {
    pub file: FileId,
    pub out: &'a mut Vec<Diagnostic>,
    cap: usize,
    next_fold: usize,
    wants: &'a (dyn Fn(Code) -> bool + Sync),
    /// Where a finding not wanted is built, so callers can still add labels and notes to it.
    unwanted: Diagnostic,
}

impl<'a> Sink<'a> {
    /// A sink for `file` that wants every code; `cap` 0 keeps every finding.
    pub fn new(file: FileId, out: &'a mut Vec<Diagnostic>, cap: usize) -> Self {
        Sink {
            file,
            out,
            cap,
            next_fold: 4096,
            wants: &|_| true,
            unwanted: Diagnostic::new(Code::V001, ""),
        }
    }

    /// The same sink, keeping only findings of the codes `wants` accepts.
    pub fn wanting(mut self, wants: &'a (dyn Fn(Code) -> bool + Sync)) -> Self {
        self.wants = wants;
        self
    }

    /// Whether findings of `code` are kept.
    pub fn wants(&self, code: Code) -> bool {
        (self.wants)(code)
    }

    /// A diagnostic at `range` of this file, with the code's default severity.
    pub fn push(
        &mut self,
        code: Code,
        message: impl Into<String>,
        range: Range<usize>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        if !(self.wants)(code) {
            self.unwanted.labels.clear();
            self.unwanted.notes.clear();
            return &mut self.unwanted;
        }
        if self.cap > 0 && self.out.len() >= self.next_fold {
            fold(self.out, self.cap);
            self.next_fold = (self.out.len() * 2).max(4096);
        }
        push_at(self.out, code, message, Span::new(self.file, range), label)
    }

    /// Folds what is over the cap once the file is done.
    pub fn finish(&mut self) {
        if self.cap > 0 {
            fold(self.out, self.cap);
        }
    }
}

/// Keeps, per code, the `cap + 1` findings that come first in source order (offset, then push
/// order, as the report's sort has it) and folds the others into one tally per code and
/// severity. Existing tallies are merged. Linear in the list's length (plus a sort per code of
/// what is over the cap).
pub fn fold(out: &mut Vec<Diagnostic>, cap: usize) {
    use std::collections::HashMap;
    let keep = cap + 1;
    let mut per_code: HashMap<Code, Vec<usize>> = HashMap::new();
    for (i, d) in out.iter().enumerate() {
        if d.folded == 0 {
            per_code.entry(d.code).or_default().push(i);
        }
    }
    let mut drop = vec![false; out.len()];
    let mut tallies: HashMap<(Code, crate::diag::Severity), Diagnostic> = HashMap::new();
    for (_, mut idx) in per_code {
        if idx.len() <= keep {
            continue;
        }
        let start = |i: usize| out[i].primary_span().map_or(0, |s| s.range.start);
        idx.select_nth_unstable_by_key(keep - 1, |&i| (start(i), i));
        for &i in &idx[keep..] {
            drop[i] = true;
        }
    }
    if !drop.contains(&true) {
        return;
    }
    let mut i = 0;
    out.retain_mut(|d| {
        let gone = drop[i] || d.folded > 0;
        i += 1;
        if gone {
            let t = tallies.entry((d.code, d.severity)).or_insert_with(|| {
                let mut t = Diagnostic::new(d.code, "findings not kept (over the report's cap)");
                t.severity = d.severity;
                t.labels = d.labels.iter().filter(|l| l.primary).cloned().collect();
                t
            });
            t.folded += d.weight();
        }
        !gone
    });
    let mut tallies: Vec<Diagnostic> = tallies.into_values().collect();
    tallies.sort_by_key(|t| (t.code, t.severity as u8));
    out.extend(tallies);
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

pub use crate::validate::store::split_ref;
