//! The validator's rule catalogue: one fixture store per V-code under tests/fixtures/validate/,
//! each an edit of the clean store `clean/`, triggering exactly its code; the rendered
//! diagnostics are snapshots. Plus: entity declarations are never expanded, every output format
//! carries the same findings.

mod common;

use gpforge::diag::{Code, Severity, render};
use gpforge::validate::{Profile, validate_memory, validate_paths};
use std::path::{Path, PathBuf};

const ROOT: &str = "tests/fixtures/validate";

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(ROOT)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn profile_for(name: &str) -> Profile {
    if name.starts_with("V08") {
        Profile::Intune
    } else {
        Profile::Gpmc
    }
}

#[test]
fn each_fixture_triggers_exactly_its_code() {
    for dir in fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if name == "clean" {
            continue;
        }
        let code = Code::parse(&name[..4]).unwrap_or_else(|| panic!("{name}: no code prefix"));
        let report = validate_paths(std::slice::from_ref(&dir), profile_for(&name)).unwrap();
        assert!(!report.diags.is_empty(), "{name} triggers nothing");
        for d in &report.diags {
            assert_eq!(
                d.code, code,
                "{name} also triggers {}: {}",
                d.code, d.message
            );
        }
        let mut text = render::human(&report.diags, &report.sources, false);
        text.push_str(&render::short(&report.diags, &report.sources));
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn every_v_code_has_a_fixture() {
    let names: Vec<String> = fixtures()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for code in Code::ALL.iter().filter(|c| c.as_str().starts_with('V')) {
        assert!(
            names.iter().any(|n| n.starts_with(code.as_str())),
            "no fixture for {code}"
        );
        assert!(
            code.rule().is_some_and(|r| r.doc.contains("**Example:**")),
            "{code} lacks docs"
        );
    }
}

#[test]
fn clean_store_is_clean_under_every_profile() {
    for profile in [Profile::Gpmc, Profile::Schema, Profile::Intune] {
        let r = validate_paths(&[PathBuf::from(ROOT).join("clean")], profile).unwrap();
        assert!(r.diags.is_empty(), "{profile:?}: {:?}", r.diags);
        assert_eq!((r.files, r.policies), (2, 2));
    }
}

#[test]
fn a_loose_admx_is_read_with_its_adml() {
    let admx = Path::new(ROOT).join("clean/app.admx");
    let r = validate_paths(&[admx], Profile::Gpmc).unwrap();
    assert_eq!(r.files, 2, "en-US/app.adml beside it is read too");
    assert!(r.diags.is_empty());
    let adml = Path::new(ROOT).join("clean/en-US/app.adml");
    let r = validate_paths(&[adml], Profile::Gpmc).unwrap();
    assert_eq!(r.files, 2, "the ADMX one folder up is read too");
}

#[test]
fn schema_profile_turns_schema_warnings_into_errors() {
    let dir = PathBuf::from(ROOT).join("V021_misspelt_attribute");
    let gpmc = validate_paths(std::slice::from_ref(&dir), Profile::Gpmc).unwrap();
    let schema = validate_paths(&[dir], Profile::Schema).unwrap();
    assert_eq!(gpmc.count(Severity::Warning), 1);
    assert_eq!(schema.count(Severity::Error), 1);
}

#[test]
fn entities_are_never_expanded() {
    let clean = std::fs::read_to_string(Path::new(ROOT).join("clean/app.admx")).unwrap();
    for doctype in [
        "<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
        "<!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>",
    ] {
        let text = clean
            .replacen("?>\n", &format!("?>\n{doctype}\n"), 1)
            .replace("<categories>", "<categories><!-- &d; -->");
        let r = validate_memory(&[("x.admx".into(), text.into_bytes())], Profile::Gpmc).unwrap();
        let codes: Vec<Code> = r.diags.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::V002), "{codes:?}");
        assert!(
            r.sources.text(0).len() < clean.len() + 400,
            "nothing was expanded"
        );
        let shown = render::short(&r.diags, &r.sources);
        assert!(
            !shown.contains("root:"),
            "no file content leaks into messages"
        );
    }
}

#[test]
fn html_saved_as_admx_gets_a_hint() {
    let page = "<!DOCTYPE html>\n<html><head><title>firefox.admx at main</title></head><body></body></html>\n";
    let r = validate_memory(&[("firefox.admx".into(), page.into())], Profile::Gpmc).unwrap();
    assert_eq!(r.diags.len(), 1);
    assert_eq!(r.diags[0].code, Code::V002);
    assert!(r.diags[0].notes.iter().any(|n| n.contains("HTML page")));
}

#[test]
fn json_and_sarif_carry_every_finding() {
    let dir = PathBuf::from(ROOT).join("V060_string_missing");
    let r = validate_paths(&[dir], Profile::Gpmc).unwrap();
    let json = render::json(&r.diags, &r.sources);
    assert_eq!(json.as_array().unwrap().len(), r.diags.len());
    assert_eq!(json[0]["code"], "V060");
    assert_eq!(json[0]["location"]["line"], 23);
    let sarif = render::sarif(&r.diags, &r.sources);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "gpforge");
    assert_eq!(run["results"].as_array().unwrap().len(), r.diags.len());
    let res = &run["results"][0];
    assert_eq!(res["ruleId"], "V060");
    assert_eq!(res["level"], "error");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let idx = res["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "V060");
    let region = &res["locations"][0]["physicalLocation"]["region"];
    assert!(region["startLine"].as_u64().unwrap() >= 1);
    assert!(region["startColumn"].as_u64().unwrap() >= 1);
}

/// The official SARIF 2.1.0 schema, as shipped inside the serde-sarif crate (a dev-dependency,
/// so cargo has its source), found through `cargo metadata`.
#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let schema = common::sarif_schema();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    // The published schema's `language` patterns have a stray `]`, which the draft-07 meta-schema
    // rejects as a regex; they are replaced by the pattern they mean (our logs carry no language).
    let mut schema = schema;
    let fixed = common::fix_language_patterns(&mut schema);
    assert!(fixed >= 2, "{fixed} patterns fixed");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    // Every fixture (so every rule, related locations, notes) in one log, and an empty log.
    let mut all = Vec::new();
    let mut sources = Vec::new();
    for dir in fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let r = validate_paths(&[dir], profile_for(&name)).unwrap();
        let log = render::sarif(&r.diags, &r.sources);
        all.push(log);
        sources.push(r);
    }
    all.push(render::sarif(&[], &sources[0].sources));
    for log in &all {
        let errors: Vec<String> = validator.iter_errors(log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}\n{log:#}");
        let typed: Result<serde_sarif::sarif::Sarif, _> = serde_json::from_value(log.clone());
        assert!(typed.is_ok(), "{typed:?}");
    }
    // The validator is no rubber stamp: a level SARIF does not know is refused.
    let mut bad = all[0].clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
}

/// V072 (a `using` no ADMX of the store provides): GPMC loads such files (Microsoft's own 2025
/// store has two), so it is a warning; Intune refuses them, so the intune profile makes it an
/// error.
#[test]
fn an_unprovided_using_is_a_warning_for_gpmc_and_an_error_for_intune() {
    let dir = PathBuf::from("tests/fixtures/validate/V072_using_not_in_store");
    for (profile, severity) in [
        (Profile::Gpmc, Severity::Warning),
        (Profile::Intune, Severity::Error),
    ] {
        let r = validate_paths(std::slice::from_ref(&dir), profile).unwrap();
        let d = r.diags.iter().find(|d| d.code == Code::V072).unwrap();
        assert_eq!(d.severity, severity, "{profile:?}");
    }
}

/// `--store DIR` names the central store the files will join: a `using` of a namespace it
/// provides is no V072, references through that prefix resolve against its names (an unknown
/// one is still V031), and its own files, even a broken one, are read but never reported on.
#[test]
fn a_reference_store_resolves_usings_and_references() {
    let vendor = PathBuf::from("tests/fixtures/reference_store/vendor");
    let central = Path::new("tests/fixtures/reference_store/central");
    let alone = validate_paths(std::slice::from_ref(&vendor), Profile::Gpmc).unwrap();
    let codes: Vec<Code> = alone.diags.iter().map(|d| d.code).collect();
    // Without the store: the using, and each reference through its prefix on its own.
    assert_eq!(
        codes,
        [Code::V072, Code::V031, Code::V031],
        "without the store"
    );
    assert!(
        alone.diags[1]
            .message
            .contains("`shared:ContosoRoot` does not resolve: no ADMX of the store provides namespace `Contoso.Policies.Shared`"),
        "{}",
        alone.diags[1].message
    );
    for profile in [Profile::Gpmc, Profile::Intune] {
        let (found, files) = against(&vendor, profile, central);
        assert_eq!(
            found,
            [(
                Code::V031,
                "category `shared:NoSuchCategory` does not exist".to_string()
            )],
            "{profile:?}"
        );
        assert_eq!(files, 2, "the reference store's files are not counted");
    }
    // The command line, and a missing store is an I/O failure.
    let bin = env!("CARGO_BIN_EXE_gpforge");
    let o = std::process::Command::new(bin)
        .args(["validate", "--format", "short", "--store"])
        .arg(central)
        .arg(&vendor)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[V031]") && !err.contains("V072"),
        "{err}"
    );
    let o = std::process::Command::new(bin)
        .args(["validate", "--store", "no/such/store"])
        .arg(&vendor)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// Windows' own namespace against Microsoft's real Windows.admx (a vendored fixture): a vendor
/// template's `windows:` category and supportedOn references resolve with `--store` naming a
/// store that holds it, an unknown one is reported, and the namespace is in the table of
/// namespaces every store provides (so the folder alone gets no V072).
#[test]
fn windows_references_resolve_against_microsofts_windows_admx() {
    let windows = Path::new("tests/fixtures/microsoft/windows-1903");
    let work = tempfile::tempdir().unwrap();
    let vendor = work.path().join("vendor");
    std::fs::create_dir_all(vendor.join("en-US")).unwrap();
    let fixture = Path::new("tests/fixtures/reference_store/vendor");
    let admx = std::fs::read_to_string(fixture.join("app.admx"))
        .unwrap()
        .replace(
            r#"<using prefix="shared" namespace="Contoso.Policies.Shared"/>"#,
            r#"<using prefix="windows" namespace="Microsoft.Policies.Windows"/>"#,
        )
        .replace("shared:ContosoRoot", "windows:WindowsComponents")
        .replace("shared:NoSuchCategory", "windows:NoSuchCategory")
        .replacen(
            r#"<supportedOn ref="SUPPORTED_App1"/>"#,
            r#"<supportedOn ref="windows:SUPPORTED_Windows7"/>"#,
            1,
        );
    std::fs::write(vendor.join("app.admx"), admx).unwrap();
    std::fs::copy(
        fixture.join("en-US/app.adml"),
        vendor.join("en-US/app.adml"),
    )
    .unwrap();
    let alone = validate_paths(std::slice::from_ref(&vendor), Profile::Gpmc).unwrap();
    assert!(
        alone.diags.iter().all(|d| d.code != Code::V072),
        "Windows' namespace is provided by every store"
    );
    let (found, _) = against(&vendor, Profile::Gpmc, windows);
    assert_eq!(
        found,
        [(
            Code::V031,
            "category `windows:NoSuchCategory` does not exist".to_string()
        )]
    );
    let text = std::fs::read(windows.join("Windows.admx")).unwrap();
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains(r#"namespace="Microsoft.Policies.Windows""#));
    assert!(gpforge::validate::windows_namespaces::provided_by_windows(
        "Microsoft.Policies.Windows"
    ));
}

/// The findings (code, message) of validating `dir` against a reference store, and the number
/// of files validated.
fn against(dir: &Path, profile: Profile, store: &Path) -> (Vec<(Code, String)>, usize) {
    let r =
        gpforge::validate::validate_against(&[dir.to_path_buf()], profile, Some(store)).unwrap();
    let found = r
        .diags
        .iter()
        .map(|d| (d.code, d.message.clone()))
        .collect();
    (found, r.files)
}

/// A reference store is read like any store: a link in it whose target lies outside it is not
/// followed, so what the target provides resolves nothing.
#[test]
fn a_reference_store_does_not_follow_links_out_of_it() {
    let work = tempfile::tempdir().unwrap();
    let central = work.path().join("central");
    std::fs::create_dir_all(&central).unwrap();
    let outside = work.path().join("outside.admx");
    std::fs::copy(
        "tests/fixtures/reference_store/central/shared.admx",
        &outside,
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, central.join("shared.admx")).unwrap();
    let vendor = Path::new("tests/fixtures/reference_store/vendor");
    let (found, _) = against(vendor, Profile::Gpmc, &central);
    assert!(
        found.iter().any(|(c, _)| *c == Code::V072),
        "the linked file was read: {found:?}"
    );
    // The same file placed inside the store resolves the namespace.
    std::fs::remove_file(central.join("shared.admx")).unwrap();
    std::fs::copy(&outside, central.join("shared.admx")).unwrap();
    let (found, _) = against(vendor, Profile::Gpmc, &central);
    assert!(found.iter().all(|(c, _)| *c != Code::V072), "{found:?}");
}

fn gpforge(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gpforge"))
        .args(args)
        .output()
        .unwrap()
}

/// Schema-only deviations are off under gpmc, on under schema, and a vendor can select them.
#[test]
fn schema_only_findings_are_off_by_default_under_gpmc() {
    let dir = format!("{ROOT}/V021_misspelt_attribute");
    let o = gpforge(&["validate", "--deny-warnings", &dir]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("V021"), "{err}");
    for args in [
        vec!["validate", "--profile", "schema", dir.as_str()],
        vec![
            "validate",
            "--select",
            "pedantic",
            "--deny-warnings",
            dir.as_str(),
        ],
        vec![
            "validate",
            "--select",
            "V021",
            "--deny-warnings",
            dir.as_str(),
        ],
    ] {
        let o = gpforge(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("V021"),
            "{args:?}"
        );
    }
}

#[test]
fn json_and_sarif_say_what_the_cap_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("x.admx");
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><policyDefinitions xmlns=\"http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions\" revision=\"1.0\" schemaVersion=\"1.0\"",
    );
    for i in 0..30 {
        s.push_str(&format!(" b{i}=\"x\""));
    }
    s.push_str("><policyNamespaces><target prefix=\"a\" namespace=\"A.B\"/></policyNamespaces><resources minRequiredRevision=\"1.0\"/></policyDefinitions>");
    std::fs::write(&p, s).unwrap();
    let path = p.to_str().unwrap();
    let o = gpforge(&[
        "validate",
        "--select",
        "V021",
        "--max-per-code",
        "10",
        "--format",
        "json",
        path,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["left_out"][0]["code"], "V021");
    assert_eq!(v["summary"]["left_out"][0]["count"], 20);
    assert_eq!(v["summary"]["warnings"], 30);
    let o = gpforge(&[
        "validate",
        "--select",
        "V021",
        "--max-per-code",
        "10",
        "--format",
        "sarif",
        path,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["runs"][0]["properties"]["leftOut"][0]["count"], 20);
    // --statistics: a severity column, and JSON.
    let o = gpforge(&["validate", "--select", "V021", "--statistics", path]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(
        t.starts_with("code   severity  count  files  meaning\n"),
        "{t}"
    );
    assert!(
        t.contains("V021   warning      30      1  attribute not allowed here"),
        "{t}"
    );
    let o = gpforge(&[
        "validate",
        "--select",
        "V021",
        "--statistics",
        "--format",
        "json",
        path,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["statistics"][0]["severity"], "warning");
    assert_eq!(v["statistics"][0]["count"], 30);
}

#[test]
fn a_folder_of_stores_is_validated_store_by_store() {
    let tmp = tempfile::tempdir().unwrap();
    for product in ["alpha", "beta"] {
        common::copy_dir(
            Path::new(&format!("{ROOT}/clean")),
            &tmp.path().join(product).join("PolicyDefinitions"),
        );
    }
    let o = gpforge(&["validate", tmp.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("4 file(s)"), "{err}");
}

#[test]
fn registry_state_is_pointed_to_audit() {
    for f in [
        "output/baselines/disa-stig/User/Registry.pol",
        "output/baselines/disa-stig/apply.reg",
        "output/baselines/disa-stig/lgpo.txt",
    ] {
        let o = gpforge(&["validate", f]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{f}: {err}");
        assert!(
            err.contains("is registry state") && err.contains("gpforge audit --baseline"),
            "{err}"
        );
    }
}

/// Memory is bounded by the stores in flight, not by the input: once a store's rules have run,
/// the report keeps the text only of files a kept finding points into (a finding dropped by the
/// selection needs no text either); stores finishing as the run ends keep theirs. The findings
/// and their rendering are those of each store validated alone.
#[test]
fn a_finished_store_keeps_only_the_texts_its_findings_need() {
    let root = PathBuf::from(ROOT);
    // The clean store first, then enough stores that much is still unread when it finishes.
    let mut paths = vec![root.join("clean"), root.join("V055_value_written_twice")];
    paths.extend((0..12).map(|_| root.join("V034_policy_defined_twice")));
    let r = validate_paths(&paths, Profile::Gpmc).unwrap();
    let id = |name: &str| (0..r.sources.len()).find(|&i| r.sources.name(i).ends_with(name));
    let clean = id("clean/app.admx").expect("the clean ADMX");
    let twice = id("V055_value_written_twice/app.admx").expect("the V055 ADMX");
    assert_eq!(r.sources.text(clean), "", "no finding points into it");
    assert!(
        r.sources.text(twice).contains("<policy"),
        "its finding's text"
    );
    let alone = validate_paths(&[root.join("V055_value_written_twice")], Profile::Gpmc).unwrap();
    let shown = |r: &gpforge::validate::Report, code: Code| {
        let d: Vec<_> = r.diags.iter().filter(|d| d.code == code).cloned().collect();
        render::short(&d, &r.sources)
    };
    assert_eq!(shown(&r, Code::V055), shown(&alone, Code::V055));
    assert!(!shown(&r, Code::V055).is_empty());
    // The same run with V055 not selected: its file's text goes too.
    let select = gpforge::validate::Selection {
        code: &|c| c != Code::V055,
        ..gpforge::validate::Selection::ALL
    };
    let r = gpforge::validate::validate_selected(&paths, Profile::Gpmc, None, 0, &select).unwrap();
    assert!(r.diags.iter().all(|d| d.code != Code::V055));
    assert!(r.diags.iter().any(|d| d.code == Code::V034));
    let twice = (0..r.sources.len())
        .find(|&i| {
            r.sources
                .name(i)
                .ends_with("V055_value_written_twice/app.admx")
        })
        .unwrap();
    assert_eq!(r.sources.text(twice), "");
}

/// A store's entries are classified from the folder listing where it says what they are; a link
/// (which the listing calls a link) is still followed to what it names inside the store: a
/// culture folder and an ADMX that are links inside the store are read as before.
#[cfg(unix)]
#[test]
fn links_inside_a_store_are_followed_to_folders_and_files() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("PolicyDefinitions");
    let clean = Path::new(ROOT).join("clean");
    std::fs::create_dir_all(store.join("real/sub")).unwrap();
    std::fs::copy(clean.join("app.admx"), store.join("real/app.admx")).unwrap();
    std::fs::copy(
        clean.join("en-US/app.adml"),
        store.join("real/sub/app.adml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(store.join("real/app.admx"), store.join("app.admx")).unwrap();
    std::os::unix::fs::symlink(store.join("real/sub"), store.join("en-US")).unwrap();
    let r = validate_paths(std::slice::from_ref(&store), Profile::Gpmc).unwrap();
    let names: Vec<String> = (0..r.sources.len()).map(|i| r.sources.name(i)).collect();
    assert!(
        names
            .iter()
            .any(|n| n.ends_with("PolicyDefinitions/app.admx")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.ends_with("en-US/app.adml")),
        "{names:?}"
    );
    // Two policies from the linked ADMX, two from its target (in `real/`, a misplaced file).
    assert_eq!(r.policies, 4, "the linked ADMX was read");
    assert!(
        r.diags
            .iter()
            .all(|d| d.code != Code::V060 && d.code != Code::V075),
        "the linked ADML serves the linked ADMX: {:?}",
        r.diags
    );
}

/// A selection that does not want a code keeps no finding of it (the checks do not build them)
/// and leaves every other finding as it was.
#[test]
fn unwanted_codes_are_not_built_and_others_are_untouched() {
    for (fixture, code) in [
        ("V063_pretty_printed_string", Code::V063),
        ("V025_hyphen_in_name", Code::V025),
        ("V021_misspelt_attribute", Code::V021),
    ] {
        let paths = [PathBuf::from(ROOT).join(fixture)];
        let all = validate_paths(&paths, Profile::Gpmc).unwrap();
        assert!(all.diags.iter().any(|d| d.code == code), "{fixture}");
        let select = gpforge::validate::Selection {
            code: &|c| c != code,
            ..gpforge::validate::Selection::ALL
        };
        let some =
            gpforge::validate::validate_selected(&paths, Profile::Gpmc, None, 0, &select).unwrap();
        let others: Vec<_> = all.diags.iter().filter(|d| d.code != code).collect();
        assert_eq!(some.diags.iter().collect::<Vec<_>>(), others, "{fixture}");
    }
}

/// String ids are looked up as the editor reads them: an id written with a character reference
/// (`Hig&#x68;`) is the id `High`, found by `$(string.High)`, and the same id written plainly
/// again is a second definition (V064), in either order; an empty display name found through
/// such an id is still measured (V062).
#[test]
fn string_ids_written_with_references_are_the_ids_they_spell() {
    let clean = Path::new(ROOT).join("clean");
    let admx = std::fs::read(clean.join("app.admx")).unwrap();
    let adml = std::fs::read_to_string(clean.join("en-US/app.adml")).unwrap();
    let run = |adml: String| {
        let files = [
            ("app.admx".to_string(), admx.clone()),
            ("en-US/app.adml".to_string(), adml.into_bytes()),
        ];
        let r = validate_memory(&files, Profile::Gpmc).unwrap();
        r.diags.iter().map(|d| d.code).collect::<Vec<_>>()
    };
    let referenced = adml.replace(r#"<string id="High">"#, r#"<string id="Hig&#x68;">"#);
    assert_eq!(run(referenced.clone()), Vec::<Code>::new());
    let twice = referenced.replace(
        r#"<string id="Low">"#,
        r#"<string id="High">High</string><string id="Low">"#,
    );
    assert_eq!(run(twice), vec![Code::V064]);
    let empty = adml.replace(
        r#"<string id="Cat">Contoso App</string>"#,
        r#"<string id="C&#x61;t">  </string>"#,
    );
    assert_eq!(run(empty), vec![Code::V062]);
}
