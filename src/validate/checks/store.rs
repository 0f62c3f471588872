//! Family `store`: rules across the files of one `PolicyDefinitions` store: unique target
//! namespaces, `using` that some ADMX provides, every ADMX with its ADML in each culture, ADMLs
//! with an ADMX, case-variant twins, revisions, files in the wrong folder.
//! Input: the facts of every file of a store. Output: V070–V078.

use super::push_at;
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::checks::namespace::Kind;
use crate::validate::store::{Place, StoreView};
use foldhash::{HashMap, HashMapExt};

fn version(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.trim().split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

pub fn store(view: &StoreView<'_>, intune: bool, out: &mut Vec<Diagnostic>) {
    placement_and_case(view, out);
    targets(view, out);
    usings(view, intune, out);
    adml_pairing(view, out);
    cultures_lacking(view, out);
    adml_without_admx(view, out);
}

/// V078 (a file in the wrong folder) and V076 (files or culture folders differing only in
/// case).
fn placement_and_case(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    let mut names: HashMap<String, &crate::validate::store::FileInfo> = HashMap::new();
    let mut folders: HashMap<String, &str> = HashMap::new();
    for f in &view.files {
        match (&f.place, f.kind) {
            (Place::Top, Some(Kind::Adml)) | (Place::Culture(_), Some(Kind::Admx)) => {
                let why = if f.kind == Some(Kind::Adml) {
                    "an ADML belongs in a culture folder such as en-US/"
                } else {
                    "an ADMX belongs in the store folder itself"
                };
                push_at(
                    out,
                    Code::V078,
                    format!("{} is in the wrong folder", f.name),
                    Span::new(f.id, 0..0),
                    why,
                );
            }
            _ => {}
        }
        if let Some(c) = f.culture()
            && let Some(first) = folders.get(&c.to_lowercase())
            && *first != c
        {
            push_at(
                out,
                Code::V076,
                format!("culture folders `{first}` and `{c}` differ only in case"),
                Span::new(f.id, 0..0),
                "one folder on Windows",
            );
        }
        if let Some(c) = f.culture() {
            folders.entry(c.to_lowercase()).or_insert(c);
        }
        let key = format!(
            "{}/{}",
            f.culture().unwrap_or("").to_lowercase(),
            f.file_name.to_lowercase()
        );
        match names.get(&key) {
            Some(first) if first.culture() == f.culture() => {
                push_at(
                    out,
                    Code::V076,
                    format!("{} and {} differ only in case", first.name, f.name),
                    Span::new(f.id, 0..0),
                    "one file on Windows",
                )
                .secondary(Span::new(first.id, 0..0), "the other file");
            }
            Some(_) => {}
            None => {
                names.insert(key, f);
            }
        }
    }
}

/// V070 (a namespace targeted twice) and V071 (a target prefix shared by two namespaces).
fn targets(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    let mut prefixes: HashMap<&str, &crate::validate::store::FileInfo> = HashMap::new();
    for (file, f) in view.admx_files() {
        let Some(t) = &f.target else { continue };
        if let Some(first) = view
            .providers
            .get(t.namespace.text.as_str())
            .and_then(|v| v.first())
            && first.id != file.id
        {
            push_at(
                out,
                Code::V070,
                format!(
                    "namespace `{}` is already the target of {}",
                    t.namespace.text, first.name
                ),
                Span::new(file.id, t.namespace.span.clone()),
                "declared again here",
            )
            .secondary(
                Span::new(
                    first.id,
                    first
                        .target()
                        .map(|t| t.namespace.span.clone())
                        .unwrap_or(0..0),
                ),
                "first declared here",
            );
        }
        match prefixes.get(t.prefix.text.as_str()) {
            Some(first) if first.id != file.id => {
                let same_ns = first
                    .target()
                    .is_some_and(|x| x.namespace.text == t.namespace.text);
                if !same_ns {
                    push_at(
                        out,
                        Code::V071,
                        format!(
                            "target prefix `{}` is also used by {}",
                            t.prefix.text, first.name
                        ),
                        Span::new(file.id, t.prefix.span.clone()),
                        "same prefix, other namespace",
                    );
                }
            }
            Some(_) => {}
            None => {
                prefixes.insert(&t.prefix.text, file);
            }
        }
    }
}

/// V072: a `using` whose namespace no ADMX of the store provides (Windows' own namespaces
/// count as provided, but for Intune).
fn usings(view: &StoreView<'_>, intune: bool, out: &mut Vec<Diagnostic>) {
    for (file, f) in view.admx_files() {
        if f.target.is_none() {
            continue;
        }
        for u in &f.usings {
            // Every central store provides Windows' own namespaces; Intune must be given them.
            let windows =
                crate::validate::windows_namespaces::provided_by_windows(&u.namespace.text);
            if !view.providers.contains_key(u.namespace.text.as_str()) && (intune || !windows) {
                let d = push_at(
                    out,
                    Code::V072,
                    format!("no ADMX provides namespace `{}`", u.namespace.text),
                    Span::new(file.id, u.namespace.span.clone()),
                    "not in the store",
                );
                if !view.is_store && !intune {
                    d.notes
                        .push("validate the whole PolicyDefinitions folder to resolve it".into());
                }
                if !intune {
                    d.notes.push(
                        "GPMC loads the file; references through this prefix do not resolve, and Intune refuses it".into(),
                    );
                }
                if intune {
                    d.notes.push(format!(
                        "Intune: \"NamespaceMissing:{}. Please upload it first.\"",
                        u.namespace.text
                    ));
                }
            }
        }
    }
}

/// V073 (an ADMX without an ADML in its fallback culture) and V077 (an ADML older than the
/// ADMX's minRequiredRevision).
fn adml_pairing(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    for (file, f) in view.admx_files() {
        if f.target.is_none() {
            continue;
        }
        let fallback = f.fallback_culture.clone().unwrap_or_else(|| "en-US".into());
        if view.adml(file, &fallback).is_none() && view.adml(file, "en-US").is_none() {
            push_at(
                out,
                Code::V073,
                format!(
                    "{} has no ADML in its fallback culture {fallback}",
                    file.name
                ),
                Span::new(file.id, 0..0),
                format!("looked for {fallback}/{}.adml", file.base()),
            )
            .notes
            .push("the editor says: \"An appropriate resource file could not be found\"".into());
        }
        if let Some(min) = &f.min_required
            && let Some((mmaj, mmin)) = version(&min.text)
        {
            for c in &view.cultures {
                let Some((adml, a)) = view.adml(file, c) else {
                    continue;
                };
                let Some(rev) = &a.revision else { continue };
                let Some((maj, minor)) = version(&rev.text) else {
                    continue;
                };
                if maj != mmaj || minor < mmin {
                    push_at(
                        out,
                        Code::V077,
                        format!(
                            "{} has revision {} but {} needs {}",
                            adml.name, rev.text, file.name, min.text
                        ),
                        Span::new(adml.id, rev.span.clone()),
                        "too old for the ADMX",
                    )
                    .secondary(Span::new(file.id, min.span.clone()), "minRequiredRevision");
                }
            }
        }
    }
}

/// V074: a culture folder lacking the ADMLs of some ADMX files (one finding per culture).
fn cultures_lacking(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    for c in &view.cultures {
        let lacking: Vec<_> = view
            .admx_files()
            .filter(|(file, f)| {
                let fallback = f.fallback_culture.as_deref().unwrap_or("en-US");
                !fallback.eq_ignore_ascii_case(c) && view.adml(file, c).is_none()
            })
            .map(|(file, _)| file)
            .collect();
        if let Some(first) = lacking.first() {
            let mut names: Vec<&str> = lacking.iter().map(|f| f.base()).collect();
            let more = names.len().saturating_sub(10);
            names.truncate(10);
            let d = push_at(
                out,
                Code::V074,
                format!("{c}/ lacks the ADML of {} ADMX file(s)", lacking.len()),
                Span::new(first.id, 0..0),
                format!("no {c}/{}.adml", first.base()),
            );
            d.notes.push(format!(
                "missing: {}{}",
                names.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
            d.notes.push(
                "admins with this display language see these policies in the fallback language"
                    .into(),
            );
        }
    }
}

/// V075: an ADML whose ADMX is not in the store.
fn adml_without_admx(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    for f in &view.files {
        if f.kind == Some(Kind::Adml)
            && f.culture().is_some()
            && !view.admx_stems.contains(f.stem.as_str())
        {
            push_at(
                out,
                Code::V075,
                format!("{} has no ADMX named {}.admx", f.name, f.base()),
                Span::new(f.id, 0..0),
                "never read by the editor",
            );
        }
    }
}
