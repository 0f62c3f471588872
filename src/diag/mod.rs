//! Diagnostics as data: problems found in the user's input, each with a stable code, a severity,
//! a one-line message and labelled spans into the source files. Rendering lives in `render`.
//! Inputs: spans from the front end; outputs: `Diagnostic` values that `main` prints.

pub mod code;
pub mod render;
pub mod sources;

pub use code::Code;
pub use sources::SourceMap;

use std::ops::Range;

/// Index of a file in the [`crate::source::SourceMap`].
pub type FileId = usize;

/// Byte offsets into the decoded text of one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<u32>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            range: clamp(range.start)..clamp(range.end),
        }
    }
}

/// Severities are declared with the rules (`rules`), which every part of the crate reads.
pub use crate::rules::Severity;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    /// 0 for a finding. Otherwise this record is a tally, not a finding: it stands for `folded`
    /// findings of its file, code and severity that a capped report would not show and that
    /// were therefore not kept (validate's memory stays bounded on hostile input). Counts
    /// ([`Diagnostic::weight`]) include them; reports never show the record itself.
    pub folded: usize,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            folded: 0,
        }
    }

    /// How many findings this record stands for: 1, or a tally's count.
    pub fn weight(&self) -> usize {
        if self.folded > 0 { self.folded } else { 1 }
    }

    /// The main location: where the problem is.
    pub fn at(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// A secondary location: context such as the first definition of a duplicate.
    pub fn also(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// [`Diagnostic::also`] on a diagnostic already pushed.
    pub fn secondary(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// Moves every label to files numbered `offset` higher (when two source maps are joined).
    pub fn shift_files(&mut self, offset: FileId) {
        for l in &mut self.labels {
            l.span.file += offset;
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The primary span, if any.
    pub fn primary_span(&self) -> Option<&Span> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or(self.labels.first())
            .map(|l| &l.span)
    }
}

/// Collects diagnostics; passes push here instead of stopping at the first problem.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
    pub fn count(&self, severity: Severity) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == severity)
            .map(Diagnostic::weight)
            .sum()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }
    /// Source order (file, then offset), so output reads top to bottom; stable for equal keys.
    pub fn sort(&mut self) {
        self.items.sort_by_key(|d| {
            d.primary_span()
                .map(|s| (s.file, s.range.start))
                .unwrap_or((usize::MAX, 0))
        });
    }
    /// Makes the diagnostics from index `start` on with a code of `codes` errors (`--strict`).
    pub fn promote_from(&mut self, start: usize, codes: &[Code]) {
        for d in self.items.iter_mut().skip(start) {
            if codes.contains(&d.code) {
                d.severity = Severity::Error;
            }
        }
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// The candidate most like `name` (Jaro-Winkler similarity above 0.8, as clap suggests
/// subcommands), for "did you mean" notes on a misspelt field or item.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
