//! Snapshots of every generated artifact, for the real definitions and for the fixture sets that
//! exercise every element and presentation control kind. Text is snapshotted decoded (no BOM, LF);
//! Registry.pol as a decoded listing plus a hexdump.

mod common;

use gpforge::app::compile_dir;
use gpforge::backend::text::decode_for_display;
use gpforge::cli::DiagFormat;
use gpforge::diag::Severity;
use std::path::Path;

fn snapshot_set(dir: &str, prefix: &str) -> usize {
    let c = compile_dir(Path::new(dir)).expect("readable definitions");
    assert!(
        !c.has_errors(),
        "{dir}:\n{}",
        c.render(DiagFormat::Short, Severity::Warning)
    );
    for a in &c.artifacts {
        let name = format!(
            "{prefix}__{}",
            a.path.to_string_lossy().replace(['/', '\\'], "__")
        );
        insta::assert_snapshot!(name, common::describe(&a.path, &a.bytes));
    }
    c.artifacts.len()
}

#[test]
fn outlook_smime() {
    // ADMX, the en-US ADML and one per translation, docs, and per baseline: apply.reg,
    // revert.reg, User/Registry.pol, gpt.ini, lgpo.txt, intune.csv, intune.json, README.md, and
    // the GPMC backup (manifest.xml, Backup.xml, bkupInfo.xml, registry.pol), and the
    // Remediations scripts (detect.ps1, remediate.ps1, revert.ps1), and
    // intune-settings-catalog.json.
    let translations = std::fs::read_dir("definitions/outlook-smime/locales")
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(
        snapshot_set("definitions", "outlook"),
        3 + translations + 3 * 16
    );
}

#[test]
fn every_element_and_control_kind() {
    // ADMX, ADML, docs, and one baseline writing both halves (two Registry.pol files).
    // The backup of a baseline writing both halves has two registry.pol files.
    assert_eq!(snapshot_set("tests/fixtures/kinds", "kinds"), 3 + 9 + 5 + 3);
}

#[test]
fn long_decimal() {
    assert_eq!(snapshot_set("tests/fixtures/longdecimal", "longdecimal"), 3);
}

#[test]
fn same_input_same_bytes() {
    let a = compile_dir(Path::new("definitions")).unwrap();
    let b = compile_dir(Path::new("definitions")).unwrap();
    assert_eq!(a.artifacts, b.artifacts);
}

#[test]
fn every_kind_fixture_covers_every_kind() {
    let c = compile_dir(Path::new("tests/fixtures/kinds")).unwrap();
    let admx = decode_for_display(&c.artifacts[0].bytes);
    let adml = decode_for_display(&c.artifacts[1].bytes);
    for el in [
        "<boolean ",
        "<decimal ",
        "<text ",
        "<multiText ",
        "<enum ",
        "<list ",
        "<enabledList",
        "<disabledList",
        "<trueValue>",
        "<falseValue>",
        "<trueList",
        "<falseList",
        "<valueList",
        "<delete/>",
        "<string>",
        "<enabledValue>",
        "<disabledValue>",
    ] {
        assert!(admx.contains(el), "ADMX lacks {el}");
    }
    for ctl in [
        "<text>",
        "<checkBox ",
        "<decimalTextBox ",
        "<textBox ",
        "<multiTextBox ",
        "<dropdownList ",
        "<listBox ",
        "<comboBox ",
    ] {
        assert!(adml.contains(ctl), "ADML lacks {ctl}");
    }
    let c = compile_dir(Path::new("tests/fixtures/longdecimal")).unwrap();
    let admx = decode_for_display(&c.artifacts[0].bytes);
    let adml = decode_for_display(&c.artifacts[1].bytes);
    assert!(admx.contains("<longDecimal id=") && admx.contains("<longDecimal value="));
    assert!(adml.contains("<longDecimalTextBox "));
}
