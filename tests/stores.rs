//! Broken stores modelled on real reports of admins and vendors (reference/peers.md §3,
//! formats.md §2.2–2.4), under tests/fixtures/validate-stores/: each must be caught with the
//! codes listed here, and its rendered diagnostics are a snapshot.

use gpforge::diag::{Severity, render};
use gpforge::validate::{Profile, validate_paths};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// (store, profile, codes expected, the report it reproduces)
const STORES: &[(&str, Profile, &[&str], &str)] = &[
    (
        "html_saved_as_admx",
        Profile::Gpmc,
        &["V002"],
        "mozilla/policy-templates #84: DTD is prohibited",
    ),
    (
        "adml_beside_admx",
        Profile::Gpmc,
        &["V073", "V078"],
        "OfficeDocs-SharePoint #3968: resource file could not be found",
    ),
    (
        "stale_adml_missing_new_strings",
        Profile::Gpmc,
        &["V060"],
        "lithnet/idle-logoff #68: Resource '$(string.X)' not found",
    ),
    (
        "translation_lags_behind",
        Profile::Gpmc,
        &["V060"],
        "n8felton/Firefox-ADMX #33: French ADML missing strings",
    ),
    (
        "renamed_copy_same_namespace",
        Profile::Gpmc,
        &["V070"],
        "KB3077013: namespace already defined",
    ),
    (
        "case_variant_copies",
        Profile::Gpmc,
        &["V070", "V076"],
        "windows.admx next to Windows.admx",
    ),
    (
        "intune_crypto_key",
        Profile::Intune,
        &["V080"],
        "Harvester57/Security-ADMX #14: 0x20101",
    ),
    (
        "intune_windows_namespace_not_uploaded",
        Profile::Intune,
        &["V072"],
        "microsoft/PowerToys #21702: NamespaceMissing",
    ),
    (
        "intune_prefix_without_using",
        Profile::Intune,
        &["V030"],
        "p0w3rsh3ll/AdobeGPOTemplates #20: No namespace found with prefix adobe",
    ),
    (
        "intune_policy_without_explain",
        Profile::Intune,
        &["V082"],
        "MicrosoftDocs/memdocs #4094: Object Reference not set",
    ),
    (
        "intune_category_not_defined",
        Profile::Intune,
        &["V031"],
        "pseymour/MakeMeAdmin #49: category not defined",
    ),
    (
        "intune_combobox",
        Profile::Intune,
        &["V081"],
        "Intune import: no comboBox",
    ),
    (
        "admx_updated_without_adml_presentation",
        Profile::Gpmc,
        &["V061"],
        "OfficeDocs-DeployOffice #348: presentation not found",
    ),
    (
        "space_in_string_reference",
        Profile::Gpmc,
        &["V027"],
        "Fleex255/PolicyPlus #15: Invalid value for attribute explainText",
    ),
    (
        "revision_with_three_parts",
        Profile::Gpmc,
        &["V026"],
        "Winget-AutoUpdate-Intune #7: Invalid value '1.04.0000'",
    ),
    (
        "unclosed_elements",
        Profile::Gpmc,
        &["V001"],
        "bootstrapmate-windows #26: malformed XML",
    ),
    (
        "adml_older_than_admx",
        Profile::Gpmc,
        &["V077"],
        "minRequiredRevision mismatch",
    ),
    (
        "text_element_without_value_name",
        Profile::Gpmc,
        &["V058"],
        "firezone PR #9419: text without valueName",
    ),
    (
        "misspelt_nosort",
        Profile::Gpmc,
        &["V021"],
        "KDC/MSI/SearchOCR: nosort, oSort",
    ),
    (
        "textbox_default_as_attribute",
        Profile::Gpmc,
        &["V021"],
        "16 corpus textBoxes: defaultValue attribute",
    ),
    (
        "default_item_given_as_value",
        Profile::Gpmc,
        &["V044"],
        "defaultItem taken for the enum value",
    ),
    (
        "adml_left_behind_after_rename",
        Profile::Gpmc,
        &["V075"],
        "renamed ADMX, stale ADML",
    ),
    (
        "default_above_implicit_max",
        Profile::Gpmc,
        &["V046"],
        "maxValue left at the default 9999",
    ),
];

#[test]
fn every_broken_store_is_caught() {
    let root = PathBuf::from("tests/fixtures/validate-stores");
    let on_disk = std::fs::read_dir(&root).unwrap().count();
    assert_eq!(on_disk, STORES.len(), "every store is listed");
    assert!(STORES.len() >= 20);
    for (name, profile, codes, report) in STORES {
        let r = validate_paths(&[root.join(name)], *profile).unwrap();
        let found: BTreeSet<&str> = r.diags.iter().map(|d| d.code.as_str()).collect();
        let want: BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(found, want, "{name} ({report})");
        let mut text = format!("{report}\n\n");
        text.push_str(&render::human(&r.diags, &r.sources, false));
        insta::assert_snapshot!(*name, text);
        // Every store that the real consumer refuses has an Error.
        if !codes
            .iter()
            .all(|c| ["V021", "V044", "V046", "V058", "V075"].contains(c))
        {
            assert!(r.count(Severity::Error) > 0, "{name}");
        }
    }
}
