//! Baselines never ship a value only a site can know: such values are parameters, supplied at
//! build time (`--set`, `--params`); without them the settings are left out (B009), and no
//! example value reaches a deployable file.

use gpforge::app::{compile_dir, compile_with_params};
use gpforge::diag::Code;
use gpforge::source::{ParamValue, Params, read_params};
use std::path::Path;

fn params(pairs: &[(&str, &str, toml::Value)]) -> Params {
    let mut p = Params::new();
    for (b, n, v) in pairs {
        p.entry(b.to_string()).or_default().insert(
            n.to_string(),
            ParamValue {
                value: v.clone(),
                origin: "test".into(),
            },
        );
    }
    p
}

#[test]
fn no_example_value_reaches_a_deployable_file() {
    let c = compile_dir(Path::new("definitions")).unwrap();
    assert!(!c.has_errors());
    for a in &c.artifacts {
        let name = a.path.to_string_lossy();
        if !name.starts_with("baselines/") || name.ends_with("README.md") {
            continue;
        }
        let text = gpforge::backend::text::decode_for_display(&a.bytes).to_ascii_lowercase();
        for bad in ["example", "2.999", "contoso"] {
            assert!(!text.contains(bad), "{name} contains {bad:?}");
        }
    }
}

#[test]
fn missing_parameters_leave_their_settings_out() {
    let c = compile_dir(Path::new("definitions")).unwrap();
    let b = c
        .set
        .baselines
        .iter()
        .find(|b| b.name == "smime-strict")
        .unwrap();
    let left: Vec<&str> = b.left_out.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        left,
        [
            "L_RequiredCertificateAuthority",
            "L_URLforSMIMEcertificates",
            "L_MessagewhenOutlookcannotfindthedigitalIDtodecodeamessage",
            "L_EnsureallSMIMEsignedmessageshavealabel",
            "ForceSecurityLabelX",
        ]
    );
    assert_eq!(c.diags.iter().filter(|d| d.code == Code::B009).count(), 5);
    assert!(!c.has_errors(), "B009 is a warning");
}

#[test]
fn supplied_parameters_reach_every_format() {
    let p = params(&[
        ("smime-strict", "required_ca", "CN=Site CA, O=Site".into()),
        (
            "smime-strict",
            "enrolment_url",
            "https://pki.site.test/%1".into(),
        ),
        (
            "smime-strict",
            "decode_message",
            "Ask the service desk".into(),
        ),
        ("smime-strict", "security_label", "31 03 02 01 01".into()),
    ]);
    let c = compile_with_params(Path::new("definitions"), p).unwrap();
    assert!(!c.has_errors());
    assert!(!c.diags.iter().any(|d| d.code == Code::B009));
    let file = |n: &str| {
        let a = c
            .artifacts
            .iter()
            .find(|a| a.path == Path::new(n))
            .unwrap_or_else(|| panic!("{n}"));
        gpforge::backend::text::decode_for_display(&a.bytes)
    };
    assert!(
        file("baselines/smime-strict/apply.reg").contains("\"requiredca\"=\"CN=Site CA, O=Site\"")
    );
    assert!(
        file("baselines/smime-strict/apply.reg")
            .contains("\"ForceSecurityLabelX\"=hex:31,03,02,01,01")
    );
    assert!(file("baselines/smime-strict/intune.csv").contains("CN=Site CA, O=Site"));
    assert!(file("baselines/smime-strict/README.md").contains("supplied (test)"));
}

#[test]
fn parameter_values_are_checked_like_any_value() {
    // A value of the wrong kind is the same diagnostic as in the baseline file.
    let p = params(&[("smime-strict", "security_label", "not hex".into())]);
    let c = compile_with_params(Path::new("definitions"), p).unwrap();
    assert!(c.diags.iter().any(|d| d.code == Code::D032));
    // Values for a baseline or parameter that does not exist are refused before building.
    for (b, n) in [("nope", "x"), ("smime-strict", "nope")] {
        let p = params(&[(b, n, "1".into())]);
        assert!(
            compile_with_params(Path::new("definitions"), p).is_err(),
            "{b}.{n}"
        );
    }
}

#[test]
fn parameters_are_read_from_files_and_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("site.toml");
    std::fs::write(&f, "[smime-strict]\nrequired_ca = \"CN=From File\"\n").unwrap();
    let p = read_params(
        std::slice::from_ref(&f),
        &[
            "smime-strict.enrolment_url=https://x.test/?a=b".to_string(),
            "smime-strict.decode_message=\"quoted\"".to_string(),
        ],
    )
    .unwrap();
    let s = &p["smime-strict"];
    assert_eq!(s["required_ca"].value.as_str(), Some("CN=From File"));
    assert_eq!(
        s["enrolment_url"].value.as_str(),
        Some("https://x.test/?a=b")
    );
    assert_eq!(s["decode_message"].value.as_str(), Some("quoted"));
    assert!(read_params(&[], &["no-equals".to_string()]).is_err());
    // The text policy of the definitions (D040) holds for supplied values: NUL, ESC, U+FFFF.
    for bad in ["a\u{0}b", "x\u{1b}[2J", "\u{FFFF}"] {
        let e = read_params(&[], &[format!("smime-strict.decode_message={bad}")]).unwrap_err();
        assert!(e.to_string().contains("no output format can carry"), "{e}");
    }
    std::fs::write(&f, "[smime-strict]\nrequired_ca = \"CN=\\u0000\"\n").unwrap();
    assert!(read_params(std::slice::from_ref(&f), &[]).is_err());
}
