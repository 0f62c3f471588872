//! Accepted findings: `validate --write-baseline FILE` records the current findings by a stable
//! fingerprint (code, file, element path: the chain of elements from the root, each named by its
//! `name`, `id` or `refId` when it has one; no line numbers), and `--baseline FILE` reports and
//! fails only on findings beyond those, saying how many known ones it suppressed. A fingerprint
//! holds a count, so a second identical finding in the same place is new.

use crate::admx::dom::Document;
use crate::diag::{Diagnostic, FileId};
use crate::source::SourceMap;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// One fingerprint and how many findings carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub code: String,
    pub file: String,
    pub path: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Baseline {
    /// The format of this file (1).
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// `name` relative to the validated path that holds it (a folder given on the command line),
/// so a baseline holds wherever the store is checked out.
pub fn relative(name: &str, roots: &[PathBuf]) -> String {
    let name = name.replace('\\', "/");
    for r in roots {
        let r = r.to_string_lossy().replace('\\', "/");
        let r = r.trim_end_matches('/');
        if let Some(rest) = name.strip_prefix(r).and_then(|x| x.strip_prefix('/')) {
            return rest.to_string();
        }
    }
    match name.rsplit_once('/') {
        Some((_, file))
            if roots
                .iter()
                .any(|r| r.to_string_lossy().replace('\\', "/") == name) =>
        {
            file.to_string()
        }
        _ => name,
    }
}

/// The fingerprint of each of `diags`, in order; files relative to `roots`, the paths given
/// to validate.
pub fn fingerprints(
    diags: &[Diagnostic],
    sources: &SourceMap,
    roots: &[PathBuf],
) -> Vec<(String, String, String)> {
    let mut docs: HashMap<FileId, Paths> = HashMap::new();
    diags
        .iter()
        .map(|d| {
            let Some(span) = d.primary_span() else {
                return (d.code.as_str().to_string(), String::new(), String::new());
            };
            let paths = docs
                .entry(span.file)
                .or_insert_with(|| Paths::new(sources.text(span.file)));
            (
                d.code.as_str().to_string(),
                relative(&sources.name(span.file), roots),
                paths.at(span.range.start as usize),
            )
        })
        .collect()
}

/// The baseline of `diags`.
pub fn of(diags: &[Diagnostic], sources: &SourceMap, roots: &[PathBuf]) -> Baseline {
    let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for f in fingerprints(diags, sources, roots) {
        *counts.entry(f).or_default() += 1;
    }
    Baseline {
        version: 1,
        findings: counts
            .into_iter()
            .map(|((code, file, path), count)| Entry {
                code,
                file,
                path,
                count,
            })
            .collect(),
    }
}

/// Drops the findings `baseline` accepts; returns how many.
pub fn suppress(
    diags: &mut Vec<Diagnostic>,
    sources: &SourceMap,
    roots: &[PathBuf],
    baseline: &Baseline,
) -> usize {
    let mut left: HashMap<(&str, &str, &str), usize> = baseline
        .findings
        .iter()
        .map(|e| ((e.code.as_str(), e.file.as_str(), e.path.as_str()), e.count))
        .collect();
    let prints = fingerprints(diags, sources, roots);
    let mut keep = prints.iter().map(|(code, file, path)| {
        match left.get_mut(&(code.as_str(), file.as_str(), path.as_str())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
    let before = diags.len();
    diags.retain(|_| keep.next().unwrap_or(true));
    before - diags.len()
}

/// Element paths of one file's text, found by offset.
struct Paths {
    doc: Document,
    /// Start offsets of the elements, in document order (ascending).
    starts: Vec<(usize, u32)>,
}

impl Paths {
    fn new(text: &str) -> Paths {
        let (doc, _) = Document::parse(text.to_string());
        let starts = doc.all().map(|e| (doc.tag_span(e).start, e)).collect();
        Paths { doc, starts }
    }

    /// The path of the innermost element around `offset` (empty outside every element).
    fn at(&self, offset: usize) -> String {
        let i = self.starts.partition_point(|(s, _)| *s <= offset);
        let mut el = match i.checked_sub(1) {
            Some(i) => Some(self.starts[i].1),
            None => return String::new(),
        };
        // The last element starting before the offset, or the nearest ancestor that holds it.
        while let Some(e) = el {
            if self.doc.end_of(e) >= offset {
                break;
            }
            el = self.doc.parent(e);
        }
        let mut parts = Vec::new();
        while let Some(e) = el {
            let name = self.doc.name(e);
            let key = ["name", "id", "refId"]
                .iter()
                .find_map(|a| self.doc.attr(e, a).map(|(v, _)| v.into_owned()));
            parts.push(match key {
                Some(k) => format!("{name}[{k}]"),
                None => name.to_string(),
            });
            el = self.doc.parent(e);
        }
        parts.reverse();
        parts.join("/")
    }
}
