//! `gpforge diff`: fixture pairs (tests/fixtures/diff/<case>/{old,new}) covering every change
//! kind, with the Markdown changelog and the JSON as snapshots; classification and revision
//! suggestions; exit codes like diff(1); and Microsoft's outlk16 against our Outlook template.

mod common;

use gpforge::diff::{self, Report};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = "tests/fixtures/diff";

fn pair(case: &str) -> Report {
    let d = PathBuf::from(ROOT).join(case);
    diff::diff_paths(&d.join("old"), &d.join("new")).unwrap()
}

#[test]
fn every_change_kind_is_reported_and_classified() {
    let mut cases: Vec<String> = std::fs::read_dir(ROOT)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    for case in &cases {
        let r = pair(case);
        insta::assert_snapshot!(format!("{case}_md"), diff::markdown(&r));
        insta::assert_snapshot!(
            format!("{case}_json"),
            serde_json::to_string_pretty(&r).unwrap()
        );
    }
    assert!(
        pair("equal").equal,
        "CRLF and nothing else is no difference"
    );
    let c = pair("compatible_only");
    assert_eq!((c.breaking, c.compatible > 5), (0, true));
    assert_eq!(
        c.templates[0].suggested_revision, None,
        "1.1 already covers it"
    );
    let b = pair("breaking");
    assert!(b.breaking >= 8);
    assert_eq!(b.templates[0].suggested_revision.as_deref(), Some("2.0"));
    let kinds: Vec<&str> = b.templates[0]
        .changes
        .iter()
        .filter(|c| c.breaking)
        .map(|c| c.what.as_str())
        .collect();
    for k in [
        "removed",
        "class",
        "key",
        "minValue",
        "maxValue",
        "enum item removed",
        "enum item revalued",
        "type",
        "explainText string id",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    let s = pair("store_template_added_and_removed");
    assert_eq!((s.breaking, s.compatible), (1, 1));
}

fn gpforge(args: &[&str]) -> Option<i32> {
    Command::new(env!("CARGO_BIN_EXE_gpforge"))
        .args(args)
        .output()
        .unwrap()
        .status
        .code()
}

#[test]
fn exit_codes_follow_diff() {
    let p = |case: &str, side: &str| format!("{ROOT}/{case}/{side}");
    assert_eq!(
        gpforge(&["diff", &p("equal", "old"), &p("equal", "new")]),
        Some(0)
    );
    let (o, n) = (p("compatible_only", "old"), p("compatible_only", "new"));
    assert_eq!(gpforge(&["diff", &o, &n]), Some(1));
    assert_eq!(gpforge(&["diff", "--fail-on", "breaking", &o, &n]), Some(0));
    let (o, n) = (p("breaking", "old"), p("breaking", "new"));
    assert_eq!(gpforge(&["diff", "--fail-on", "breaking", &o, &n]), Some(1));
    assert_eq!(gpforge(&["diff", "--format", "json", &o, &n]), Some(1));
    assert_eq!(gpforge(&["diff", &o, "no/such/store"]), Some(2));
    assert_eq!(
        gpforge(&[
            "diff",
            &o,
            "tests/fixtures/validate/V001_not_closed/app.admx"
        ]),
        Some(2),
        "a file that is not XML is a failure, not a difference"
    );
}

#[test]
fn microsoft_outlk16_and_our_template_agree_on_every_shared_policy() {
    let ms = Path::new("tests/fixtures/microsoft/office-1903/outlk16.admx");
    let r = diff::diff_paths(ms, Path::new("output/PolicyDefinitions/outlook_smime.admx")).unwrap();
    common::assert_shared_policies_agree(&r);
}

/// What the ADMX says beyond policies counts: minor versions, a range without bounds, a
/// `supersededAdm`, a policy's `clientExtension`; an attribute outside Microsoft's schema
/// (`maxvalue` on a decimal, `required` on a boolean) does not.
#[test]
fn products_supported_on_and_header_facts_are_compared() {
    let admx = |extra: &str, range: &str, attr: &str| -> Vec<(String, Vec<u8>)> {
        let x = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces><target prefix="p" namespace="Gpforge.Diff.Facts"/></policyNamespaces>
  {extra}
  <resources minRequiredRevision="1.0"/>
  <supportedOn>
    <products><product name="P" displayName="$(string.P)"><majorVersion name="P1" displayName="$(string.P1)" versionIndex="1">{range}</majorVersion></product></products>
  </supportedOn>
  <policies>
    <policy name="A" class="User" displayName="$(string.A)" explainText="$(string.A)" key="Software\X" presentation="$(presentation.A)">
      <elements><decimal id="N" valueName="n"{attr}/><boolean id="B" valueName="b"/></elements>
    </policy>
  </policies>
</policyDefinitions>"#
        );
        vec![("x.admx".to_string(), x.into_bytes())]
    };
    let report = |a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]| {
        gpforge::diff::diff_memory(a, "a", b, "b").unwrap()
    };
    let base = admx("", "", "");
    // Outside the schema: no difference.
    let r = report(&base, &admx("", "", r#" maxvalue="9""#));
    assert!(r.equal, "{r:#?}");
    // Typed values: a flag spelt `1`, a number with leading zeros, a stated schema default
    // are the values the editor reads, so no difference.
    let r = report(
        &admx("", "", r#" required="true" maxValue="20""#),
        &admx(
            "",
            "",
            r#" required="1" maxValue="0020" minValue="0" soft="false""#,
        ),
    );
    assert!(r.equal, "{r:#?}");
    // A lower maxValue is a breaking change, shown as numbers; a higher one is not.
    for (new, breaking) in [("10", true), ("30", false)] {
        let r = report(
            &admx("", "", r#" maxValue="20""#),
            &admx("", "", &format!(r#" maxValue="{new}""#)),
        );
        let c = r
            .templates
            .iter()
            .flat_map(|t| &t.changes)
            .find(|c| c.what == "maxValue")
            .unwrap_or_else(|| panic!("{r:#?}"));
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref(), c.breaking),
            (Some("20"), Some(new), breaking)
        );
    }
    // A minor version, a supersededAdm: differences, named by subject.
    for (new, subject) in [
        (
            admx(
                "",
                r#"<minorVersion name="P1_1" displayName="$(string.P1)" versionIndex="0"/>"#,
                "",
            ),
            "product P",
        ),
        (
            admx(r#"<supersededAdm fileName="old.adm"/>"#, "", ""),
            "supersededAdm",
        ),
    ] {
        let r = report(&base, &new);
        assert!(!r.equal, "{subject}");
        assert!(
            r.templates
                .iter()
                .flat_map(|t| &t.changes)
                .any(|c| c.subject == subject),
            "{subject}: {r:#?}"
        );
    }
}

/// `--registry-only` keeps the changes that alter the registry effect; `--policies` those of
/// the named policies; the exit status follows what is left.
#[test]
fn diff_filters_registry_effect_and_policies() {
    let (old, new) = (
        "tests/fixtures/diff/compatible_only/old",
        "tests/fixtures/diff/compatible_only/new",
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["diff", "--format", "json"];
        args.extend_from_slice(extra);
        args.extend([old, new]);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_gpforge"))
            .args(&args)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let subjects: Vec<String> = v["templates"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["changes"].as_array().unwrap().clone())
            .map(|c| {
                format!(
                    "{}: {}",
                    c["subject"].as_str().unwrap(),
                    c["what"].as_str().unwrap()
                )
            })
            .collect();
        (o.status.code(), subjects)
    };
    let (code, all) = run(&[]);
    assert_eq!(code, Some(1));
    assert!(all.iter().any(|s| s.starts_with("string ")), "{all:?}");
    let (code, reg) = run(&["--registry-only"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        reg,
        [
            "policy Level / element LevelEnum: enum item added",
            "policy Telemetry: added"
        ]
    );
    let (code, some) = run(&["--policies", "Level"]);
    assert_eq!(code, Some(1));
    assert!(
        some.iter().all(|s| s.starts_with("policy Level ")),
        "{some:?}"
    );
    // Only a text changed for Simple: no difference in what it writes.
    let (code, none) = run(&["--registry-only", "--policies", "Simple"]);
    assert_eq!((code, none.len()), (Some(0), 0));
}
