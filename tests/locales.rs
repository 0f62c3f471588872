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
