//! Texts the fidelity review flagged: each now says only what Microsoft's explain text (or the
//! cited source) says. One assertion per flagged claim, on the en-US definitions and, where a
//! claim was removed, on every culture.

use gpforge::app::compile_dir;
use std::path::Path;

fn explain(id: &str) -> String {
    let c = compile_dir(Path::new("definitions")).unwrap();
    let t = &c.set.templates[0];
    let strings = t.source_strings();
    let p = t.policies.iter().find(|p| p.id.as_str() == id).unwrap();
    strings
        .get(p.explain.as_ref().unwrap())
        .unwrap()
        .to_string()
}

fn every_culture(needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for e in std::fs::read_dir("definitions/outlook-smime/locales")
        .unwrap()
        .flatten()
    {
        let s = std::fs::read_to_string(e.path()).unwrap();
        if s.contains(needle) {
            hits.push(e.path().display().to_string());
        }
    }
    hits
}

#[test]
fn security_mode_is_said_to_govern_the_security_settings_only() {
    let e = explain("L_OutlookSecurityMode");
    assert!(!e.contains("the other policies of this template"), "{e}");
    assert!(
        e.contains("Microsoft's text says nothing of its policies under other keys"),
        "{e}"
    );
    let t = std::fs::read_to_string("definitions/outlook-smime/template.toml").unwrap();
    assert!(t.contains("The security settings among them"));
}

#[test]
fn minimum_key_no_longer_claims_the_default_algorithm_decides() {
    let e = explain("L_Minimumencryptionsettings");
    assert!(!e.contains("default encryption algorithm"), "{e}");
    assert!(every_culture("Default algorithms").is_empty());
}

#[test]
fn tnef_and_enrolment_url_disabled_say_what_microsoft_says() {
    let e = explain("L_OutlookTNEFinSMIMEmessages");
    assert!(e.contains("Outlook uses the format the user chose"), "{e}");
    assert!(
        !e.contains("only when it needs to") && !e.contains("Risk:"),
        "{e}"
    );
    let e = explain("L_URLforSMIMEcertificates");
    assert!(e.contains("has no explain text for this policy"), "{e}");
    assert!(
        !e.contains("public certificate providers") && !e.contains("Risk:"),
        "{e}"
    );
}

#[test]
fn required_ca_limits_encryption_to_its_recipients_too() {
    let e = explain("L_RequiredCertificateAuthority");
    assert!(e.contains("encryption and digital signatures"), "{e}");
    assert!(e.contains("limits encryption to recipients"), "{e}");
    assert!(e.contains("Trusted Root Certification Authorities"), "{e}");
}

#[test]
fn connected_experiences_block_is_marked_for_microsoft_365_apps_only() {
    let c = compile_dir(Path::new("definitions")).unwrap();
    let t = &c.set.templates[0];
    let p = t
        .policies
        .iter()
        .find(|p| p.id.as_str() == "L_SMimeDisableDataUpload")
        .unwrap();
    assert!(
        format!("{:?}", p.supported_on).contains("SUPPORTED_Microsoft365Apps"),
        "{:?}",
        p.supported_on
    );
}

#[test]
fn baseline_claims_carry_their_source_or_are_gone() {
    let strict = std::fs::read_to_string("definitions/baselines/smime-strict.toml").unwrap();
    assert!(strict.contains("RFC 8551, section 3.5"));
    let sign = std::fs::read_to_string("definitions/baselines/smime-sign-only.toml").unwrap();
    assert!(sign.contains("RFC 8551 section 3.5"));
    let disa = std::fs::read_to_string("definitions/baselines/disa-stig.toml").unwrap();
    assert!(!disa.contains("different address form"));
}
