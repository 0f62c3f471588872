//! Translations: `locales/<culture>.toml` next to a template's files. Each culture gets its ADML;
//! a missing string falls back to en-US (D035) so GPMC never fails; a text copied from en-US is
//! flagged (D036) unless listed in `same`; `build` prints a completeness table per culture.

use gpforge::app::{compile_dir, completeness};
use gpforge::cli::DiagFormat;
use gpforge::diag::{Code, Severity};
use gpforge::validate::{Profile, validate_memory};
use std::path::Path;

#[test]
fn cultures_fall_back_to_en_us_and_report_completeness() {
    let c = compile_dir(Path::new("tests/fixtures/locales")).unwrap();
    assert!(!c.has_errors());
    let codes: Vec<Code> = c.diags.iter().map(|d| d.code).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == Code::D035).count(),
        1,
        "only Product is missing in de-DE"
    );
    assert_eq!(codes.iter().filter(|c| **c == Code::D036).count(), 1);
    insta::assert_snapshot!(
        "locale_diagnostics",
        c.render(DiagFormat::Short, Severity::Warning)
    );
    insta::assert_snapshot!("completeness_table", completeness(&c.set));
    let adml = |culture: &str| {
        let a = c
            .artifacts
            .iter()
            .find(|a| a.path.to_string_lossy().contains(&format!("/{culture}/")))
            .unwrap_or_else(|| panic!("no {culture} ADML"));
        gpforge::backend::text::decode_for_display(&a.bytes)
    };
    let de = adml("de-DE");
    assert!(de.contains(">Gpforge test product<"), "fallback to en-US");
    assert!(de.contains(">Ein REG_QWORD-Kontingent<"));
    assert!(de.contains(">Byte:<"), "labels are translated too");
    insta::assert_snapshot!("de_DE_adml", de);
    assert!(adml("fr-FR").contains(">Octets :<"));
    // Every culture's ADML resolves every reference of the ADMX: the validator finds nothing.
    let store: Vec<(String, Vec<u8>)> = c
        .artifacts
        .iter()
        .filter_map(|a| {
            let rel = a.path.strip_prefix("PolicyDefinitions").ok()?;
            Some((rel.to_string_lossy().into_owned(), a.bytes.clone()))
        })
        .collect();
    assert_eq!(store.len(), 4, "ADMX + en-US, de-DE, fr-FR");
    let r = validate_memory(&store, Profile::Gpmc).unwrap();
    assert!(r.diags.is_empty(), "{:?}", r.diags);
}

/// The Outlook template ships six complete translations: no missing string, no unexplained
/// copy of the en-US text; the completeness table is a snapshot.
#[test]
fn outlook_template_is_translated_into_six_cultures() {
    let c = compile_dir(std::path::Path::new("definitions")).unwrap();
    assert!(!c.has_errors());
    let cultures: Vec<&str> = c.set.templates[0]
        .strings
        .iter()
        .map(|t| t.culture.as_str())
        .collect();
    for want in [
        "en-US", "de-DE", "fr-FR", "nl-NL", "es-ES", "it-IT", "ja-JP",
    ] {
        assert!(cultures.contains(&want), "{want} missing from {cultures:?}");
    }
    let untranslated: Vec<_> = c
        .diags
        .iter()
        .filter(|d| matches!(d.code.as_str(), "D034" | "D035" | "D036"))
        .map(|d| d.message.clone())
        .collect();
    assert!(untranslated.is_empty(), "{untranslated:#?}");
    insta::assert_snapshot!("outlook_completeness_table", completeness(&c.set));
}

/// Policies our template shares with Microsoft's outlk16 show Microsoft's own German and French
/// names wherever our en-US name is Microsoft's, so admins recognise them.
#[test]
fn shared_policies_use_microsofts_german_and_french_names() {
    let ms = std::path::Path::new("tests/fixtures/microsoft/office-1903/outlk16.admx");
    let theirs = gpforge::diff::read::read(ms).unwrap();
    let ours = gpforge::diff::read::read(std::path::Path::new(
        "output/PolicyDefinitions/outlook_smime.admx",
    ))
    .unwrap();
    let (t, o) = (
        theirs.templates.values().next().unwrap(),
        ours.templates.values().next().unwrap(),
    );
    let text = |tmpl: &gpforge::diff::read::Tmpl, culture: &str, id: &str| {
        tmpl.strings
            .get(culture)
            .and_then(|s| s.get(id))
            .cloned()
            .unwrap_or_default()
    };
    let mut compared = 0;
    for (name, op) in &o.policies {
        let Some(tp) = t.policies.get(name) else {
            continue;
        };
        if text(o, "en-US", &op.display) != text(t, "en-US", &tp.display) {
            continue;
        }
        for culture in ["de-DE", "fr-FR"] {
            assert_eq!(
                text(o, culture, &op.display),
                text(t, culture, &tp.display),
                "{name} in {culture}"
            );
        }
        compared += 1;
    }
    assert!(
        compared >= 32,
        "only {compared} shared policy names compared"
    );
    // Categories too (their display string ids are their names in both templates).
    let mut categories = 0;
    for name in o.categories.keys() {
        if !t.categories.contains_key(name)
            || text(o, "en-US", name).is_empty()
            || text(o, "en-US", name) != text(t, "en-US", name)
        {
            continue;
        }
        for culture in ["de-DE", "fr-FR"] {
            assert_eq!(
                text(o, culture, name),
                text(t, culture, name),
                "category {name} in {culture}"
            );
        }
        categories += 1;
    }
    assert!(
        categories >= 6,
        "only {categories} shared category names compared"
    );
}

/// A culture holding strings en-US lacks (Mozilla's firefox ADMLs do): they are neither
/// translations nor missing, the counts stay within the total, and nothing underflows.
#[test]
fn strings_only_a_culture_has_are_counted_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("defs");
    let demo = defs.join("demo");
    std::fs::create_dir_all(demo.join("locales")).unwrap();
    for f in ["template.toml", "locales/de-DE.toml", "locales/fr-FR.toml"] {
        std::fs::copy(
            Path::new("tests/fixtures/locales/demo").join(f),
            demo.join(f),
        )
        .unwrap();
    }
    let de = demo.join("locales/de-DE.toml");
    let mut text = std::fs::read_to_string(&de).unwrap();
    text.push_str(
        "OnlyInGerman = \"Nur auf Deutsch\"\nAlsoOnlyInGerman = \"Auch nur auf Deutsch\"\n",
    );
    std::fs::write(&de, text).unwrap();
    let c = compile_dir(&defs).unwrap();
    assert!(!c.has_errors());
    let table = completeness(&c.set);
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with("de-DE"))
        .unwrap();
    let total: usize = table
        .lines()
        .next()
        .unwrap()
        .split(": ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let fields: Vec<&str> = row.split_whitespace().collect();
    let (done, of) = fields[1].split_once('/').unwrap();
    let done: usize = done.parse().unwrap();
    assert_eq!(of.parse::<usize>().unwrap(), total);
    assert!(done <= total, "{row}");
    assert_eq!(fields[2].parse::<usize>().unwrap(), total - done, "{row}");
    assert!(
        row.ends_with("(+2 string(s) only this culture has)"),
        "{row}"
    );
}
