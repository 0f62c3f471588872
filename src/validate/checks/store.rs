//! Family `store`: rules across the files of one `PolicyDefinitions` store: unique target
//! namespaces, `using` that some ADMX provides, every ADMX with its ADML in each culture, ADMLs
//! with an ADMX, case-variant twins, revisions, files in the wrong folder.
//! Input: the facts of every file of a store. Output: V070–V078.

use super::{push_at, rule};
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::checks::namespace::Kind;
use crate::validate::store::{Place, StoreView};
use foldhash::{HashMap, HashMapExt};

rule! {
    /// **What:** two ADMX files of the store declare the same target namespace.
    ///
    /// **Why:** the editor loads the first and refuses the second: "Namespace '…' is already defined
    /// as the target namespace for another file in the store". The usual cause is a renamed copy
    /// (a newer release next to the old one, or `windows.admx` next to `Windows.admx`).
    ///
    /// **Example:** `LocationProviderADM.admx` and `Microsoft-Windows-Geolocation-WLPAdm.admx`.
    V070: Error, Store, "target namespace defined twice"
}

rule! {
    /// **What:** two ADMX files of the store use the same target prefix.
    ///
    /// **Why:** prefixes are local to a file, so the editor accepts it, but Intune's importer and
    /// people reading `prefix:name` references confuse the two files.
    ///
    /// **Example:** two vendors' files both with `<target prefix="policy" …>`.
    V071: Warning, Store, "target prefix used twice"
}

rule! {
    /// **What:** a `<using>` names a namespace that no ADMX file of the store provides as its
    /// target. A warning for the Group Policy editor, an error for the Intune profile.
    ///
    /// **Why:** GPMC loads such files: Microsoft's own Windows Server 2025 store has two
    /// (`SmartScreen.admx` uses `Microsoft.Policies.MicrosoftEdge`, `WindowsBackup.admx` uses
    /// `Microsoft.Policies.Backup`, neither provided), and a maintainer of Winget-AutoUpdate
    /// reports that such a `using` "in domain GPO hasn't been a problem" (Romanitho/
    /// Winget-AutoUpdate#265); only the references through that prefix fail to resolve, and
    /// each is reported on its own (V031 category, V032 supportedOn, V033 product) unless the
    /// namespace is one of Windows' own, which every central store provides. Intune refuses
    /// the file: "ADMX file referenced not found NamespaceMissing:Microsoft.Policies.Windows.
    /// Please upload it first." `--store DIR` resolves against the store the file will join.
    ///
    /// **Example:** `<using prefix="windows" namespace="Microsoft.Policies.Windows"/>` in a store
    /// without `Windows.admx`.
    V072: Warning, Store, "using a namespace the store does not provide", intune_error = true
}

rule! {
    /// **What:** an ADMX without an ADML in en-US and in its fallback culture
    /// (`resources@fallbackCulture`), looked up as `<culture>/<same name>.adml`, case-insensitively.
    ///
    /// **Why:** the editor refuses the file: "An appropriate resource file could not be found for
    /// file …". An ADML beside the ADMX instead of in the culture folder is the usual cause.
    ///
    /// **Example:** `contoso.admx` with `contoso.adml` next to it and no `en-US/contoso.adml`.
    V073: Error, Store, "ADMX without ADML in its fallback culture"
}

rule! {
    /// **What:** the store has a culture folder that lacks the ADML of some ADMX files (one
    /// diagnostic per culture, listing the files).
    ///
    /// **Why:** admins with that display language see those policies in the fallback language; a
    /// translation was forgotten or is stale.
    ///
    /// **Example:** `de-DE/` holds `outlk16.adml` but not `contoso.adml`.
    V074: Warning, Store, "culture without some ADMLs"
}

rule! {
    /// **What:** an ADML in a culture folder for which the store has no ADMX of the same name.
    ///
    /// **Why:** the editor never reads it; usually a renamed or removed ADMX left its ADML behind.
    ///
    /// **Example:** `en-US/oldname.adml` after `oldname.admx` became `newname.admx`.
    V075: Warning, Store, "ADML without ADMX"
}

rule! {
    /// **What:** two files (or culture folders) whose names differ only in case.
    ///
    /// **Why:** Windows treats them as one file, so copying the store to SYSVOL keeps an arbitrary
    /// one; on case-sensitive copies both load and their namespaces clash.
    ///
    /// **Example:** `windows.admx` and `Windows.admx`; `en-us/` and `en-US/`.
    V076: Warning, Store, "names that differ only in case"
}

rule! {
    /// **What:** an ADML whose `revision` does not satisfy its ADMX's
    /// `resources@minRequiredRevision` (same major number, minor number at least as high).
    ///
    /// **Why:** the editor refuses the pair; the ADML is older than the ADMX needs.
    ///
    /// **Example:** ADMX `minRequiredRevision="2.0"`, ADML `revision="1.5"`.
    V077: Error, Store, "ADML revision below minRequiredRevision"
}

rule! {
    /// **What:** an ADML directly in the store folder, or an ADMX inside a culture folder.
    ///
    /// **Why:** the editor reads ADMX files only from the store folder and ADMLs only from culture
    /// folders, so the file is ignored.
    ///
    /// **Example:** `PolicyDefinitions/contoso.adml`.
    V078: Warning, Store, "file in the wrong folder"
}

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
