//! `gpforge import`: every template of Microsoft's store (../shared/corpus, read in place) is
//! imported, built and diffed against its original. A template either round-trips exactly, or
//! every difference is one the import reported (an I-code naming that very thing), or gpforge's
//! rules refuse it for a listed reason. The rebuilt files pass validate (the build's own
//! self-check: no Error) and Microsoft's XSD. The imported outlk16 TOML is a snapshot.

mod common;

use gpforge::app::roundtrip;
use gpforge::diff::Change;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::corpus;

fn admx_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("admx"))
        })
        .collect();
    v.sort();
    v
}

/// Definitions errors that Microsoft's templates trigger, and why gpforge keeps the rule.
const REFUSED: &[(&str, &str)] = &[
    (
        "D020",
        "a name with `-` or spaces: the ADMX XSD's itemName allows letters, digits and `_` only, and gpforge writes schema-valid names",
    ),
    (
        "D024",
        "two policies write the same registry value: settings that fight are refused",
    ),
    (
        "D013",
        "two enum items with different texts write the same value: the editor cannot show which one is set",
    ),
    ("D018", "an enum item whose display text is blank"),
    (
        "D012",
        "valueName=\"\" (the key's default value): gpforge needs a named value",
    ),
    (
        "D007",
        "a parent category that no template of the store defines",
    ),
    (
        "D008",
        "a supportedOn entry names a minorVersion, which gpforge does not model (I002 reports each)",
    ),
    ("D011", "a registry key with a trailing backslash"),
    (
        "D022",
        "a dropdown default that names an item refused above",
    ),
    (
        "D015",
        "a decimal default outside the element's minValue..maxValue",
    ),
    ("D017", "a fixed string value longer than 255 characters"),
    ("D034", "a translation of a string refused above"),
];

/// The text an import finding must contain to account for `c`; `None`: nothing can.
fn explanation(c: &Change) -> Vec<String> {
    let subject = c.subject.as_str();
    if let Some(rest) = subject.strip_prefix("presentation ") {
        let id = rest.split(' ').next().unwrap_or_default();
        if c.what == "removed" {
            return vec![format!("presentation `{id}` is used by no policy")];
        }
        // A control attribute: the finding names the attribute and the control kind.
        let words = |s: &Option<String>| -> Vec<String> {
            s.as_deref()
                .unwrap_or_default()
                .split(' ')
                .filter(|w| w.contains('='))
                .map(|w| w.to_string())
                .collect()
        };
        let (old, new) = (words(&c.old), words(&c.new));
        let kind = c
            .old
            .as_deref()
            .unwrap_or_default()
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        return old
            .iter()
            .filter(|w| !new.contains(w))
            .chain(new.iter().filter(|w| !old.contains(w)))
            .map(|w| {
                let attr = w.split('=').next().unwrap_or_default();
                format!("`{attr}")
            })
            .chain(std::iter::once(format!("a `{kind}`")))
            .collect();
    }
    if let Some((_, element)) = subject.split_once(" / element ") {
        return vec![format!("attribute `{}` of element `{element}`", c.what)];
    }
    vec![format!("unexplained {subject} {}", c.what)]
}

#[test]
fn corpus_round_trip() {
    let Some(dir) = corpus() else { return };
    let summary = round_trip_all(&dir, &admx_files(&dir));
    println!("{summary}");
    insta::assert_snapshot!("corpus_round_trip", summary);
}

/// The 21 vendors' templates of ../shared/vendors (SOURCES.tsv there says where each is from).
#[test]
fn vendors_round_trip() {
    let Some(dir) = common::vendors() else { return };
    let mut files = Vec::new();
    common::walk(&dir, &mut |p| {
        if p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("admx"))
        {
            files.push(p.to_path_buf());
        }
    });
    files.sort();
    let summary = round_trip_all(&dir, &files);
    println!("{summary}");
    insta::assert_snapshot!("vendors_round_trip", summary);
}

/// Imports, builds and diffs every template; returns the tally, the table of exceptions and
/// the XSD comparison.
fn round_trip_all(root: &Path, files: &[PathBuf]) -> String {
    let work = tempfile::tempdir().unwrap();
    let (mut exact, mut reported, mut refused) = (0, 0, 0);
    let mut table = String::new();
    let mut rebuilt: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (i, admx) in files.iter().enumerate() {
        let name = admx
            .strip_prefix(root)
            .unwrap_or(admx)
            .to_string_lossy()
            .into_owned();
        let out = work.path().join(i.to_string());
        let rt = roundtrip(admx, Some(&out)).unwrap();
        assert!(
            !rt.findings.iter().any(|f| f.contains(" B006 ")),
            "{name}: the rebuilt template fails validate: {:?}",
            rt.findings
        );
        rebuilt.extend(rt.files.iter().map(|f| (out.join(f), original_of(admx, f))));
        let Some(diff) = &rt.diff else {
            refused += 1;
            let mut codes: Vec<&str> = rt
                .findings
                .iter()
                .filter(|f| f.starts_with("error "))
                .map(|f| f.split(' ').nth(1).unwrap_or_default())
                .collect();
            codes.sort();
            codes.dedup();
            table.push_str(&format!("{name}: not rebuilt\n"));
            for code in codes {
                let reason = REFUSED
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map(|(_, r)| *r)
                    .unwrap_or_else(|| {
                        panic!("{name}: unlisted refusal {code}: {:?}", rt.findings)
                    });
                table.push_str(&format!("  {code}: {reason}\n"));
            }
            continue;
        };
        if diff.equal {
            exact += 1;
            continue;
        }
        reported += 1;
        table.push_str(&format!("{name}: differs where import reported\n"));
        for c in diff.templates.iter().flat_map(|t| &t.changes) {
            let keys = explanation(c);
            let finding = rt
                .findings
                .iter()
                .find(|f| f.contains(" I0") && keys.iter().all(|k| f.contains(k.as_str())));
            let finding = finding.unwrap_or_else(|| {
                panic!(
                    "{name}: `{} {}` ({:?} → {:?}) is not explained by an import finding {keys:?}",
                    c.subject, c.what, c.old, c.new
                )
            });
            let code = finding.split(' ').nth(1).unwrap_or_default();
            table.push_str(&format!("  {} {}: {code}\n", c.subject, c.what));
        }
    }
    let summary = format!(
        "{} templates: {exact} round-trip exactly, {reported} differ only where the import reported it, {refused} are refused by gpforge's rules\n\n{table}",
        files.len()
    );
    format!("{}\n{summary}", xsd_check(&rebuilt))
}

/// The original file a rebuilt `PolicyDefinitions/…` file stands for: the ADMX itself, or the
/// ADML of the same culture and name (compared case-insensitively, as Windows does).
fn original_of(admx: &Path, rebuilt: &Path) -> PathBuf {
    if rebuilt.extension().is_some_and(|e| e == "admx") {
        return admx.to_path_buf();
    }
    let culture = rebuilt.parent().and_then(Path::file_name).unwrap();
    let name = rebuilt.file_name().unwrap();
    let find = |dir: &Path, want: &std::ffi::OsStr| -> Option<PathBuf> {
        std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name().is_some_and(|n| {
                    n.to_string_lossy()
                        .eq_ignore_ascii_case(&want.to_string_lossy())
                })
            })
    };
    find(admx.parent().unwrap(), culture)
        .and_then(|d| find(&d, name))
        .unwrap_or_else(|| panic!("no original for {}", rebuilt.display()))
}

/// Which of `files` fail Microsoft's ADMX schema (xmllint through the real-client script).
fn xsd_failures(files: &[&Path], fix_ns: bool) -> std::collections::HashSet<PathBuf> {
    let script = Path::new("../shared/realclients/check-admx-xsd.sh")
        .canonicalize()
        .unwrap();
    let mut failed = std::collections::HashSet::new();
    let mut judged = 0;
    for chunk in files.chunks(200) {
        let mut cmd = Command::new("bash");
        cmd.arg(&script);
        if fix_ns {
            cmd.arg("--fix-ns");
        }
        let out = cmd.args(chunk).output().unwrap();
        let log = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        for line in log.lines() {
            let line = line
                .replace(" (xmlns-added) ", " ")
                .replace(" (xmlns-rewritten) ", " ");
            if line.ends_with(" validates") {
                judged += 1;
            } else if let Some(f) = line.strip_suffix(" fails to validate") {
                judged += 1;
                failed.insert(PathBuf::from(f));
            }
        }
    }
    assert_eq!(judged, files.len(), "xmllint judged every file");
    failed
}

/// The rebuilt ADMX/ADML files against Microsoft's ADMX schema (xmllint): a rebuilt file fails
/// only where its original fails too (the originals are read with `--fix-ns`: Office's files
/// have no default namespace, which the rebuilt ones carry). Returns a summary line.
fn xsd_check(pairs: &[(PathBuf, PathBuf)]) -> String {
    let ok = Command::new("xmllint").arg("--version").output().is_ok();
    assert!(
        ok || std::env::var("CI").is_err(),
        "xmllint is missing under CI"
    );
    if !ok {
        eprintln!("skipped: xmllint not installed");
        return "XSD: skipped (no xmllint)".into();
    }
    let rebuilt: Vec<&Path> = pairs.iter().map(|(r, _)| r.as_path()).collect();
    let failed = xsd_failures(&rebuilt, false);
    let originals: Vec<&Path> = pairs
        .iter()
        .filter(|(r, _)| failed.contains(r))
        .map(|(_, o)| o.as_path())
        .collect();
    let failed_originals = xsd_failures(&originals, true);
    for (r, o) in pairs.iter().filter(|(r, _)| failed.contains(r)) {
        assert!(
            failed_originals.contains(o),
            "{} fails Microsoft's XSD, its original {} passes",
            r.display(),
            o.display()
        );
    }
    format!(
        "XSD: {} rebuilt ADMX/ADML files; {} pass, {} fail where their original fails too",
        pairs.len(),
        pairs.len() - failed.len(),
        failed.len()
    )
}

/// The imported TOML of Microsoft's outlk16: the header and the cryptography categories.
#[test]
fn imported_outlk16_reads_like_hand_written_definitions() {
    let Some(dir) = corpus() else { return };
    let input = gpforge::import::read_input(&dir.join("outlk16.admx")).unwrap();
    let mut sources = gpforge::source::SourceMap::new();
    let mut diags = gpforge::diag::Diagnostics::new();
    let imported = gpforge::import::import(input, &mut sources, &mut diags).unwrap();
    assert_eq!(imported.cultures, ["en-US", "de-DE", "fr-FR"]);
    assert_eq!(imported.files[0].0, "template.toml");
    let file = |name: &str| {
        imported
            .files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .1
            .clone()
    };
    let head: String = file("template.toml")
        .split("\n[[category]]")
        .next()
        .unwrap()
        .to_string();
    insta::assert_snapshot!("outlk16_template_head", head);
    for f in [
        "L_Cryptography.toml",
        "L_SignatureStatusDialog.toml",
        "L_Security.toml",
    ] {
        insta::assert_snapshot!(format!("outlk16_{f}"), file(f));
    }
    // The German locale carries Microsoft's own texts for the crypto policies.
    let de = file("locales/de-DE.toml");
    assert!(
        de.contains("L_Cryptography = \"Kryptografie\""),
        "{}",
        &de[..2000]
    );
}

/// Microsoft's outlk16, imported and rebuilt, against our Outlook template: no registry-level
/// difference on any policy both define.
#[test]
fn imported_outlk16_and_our_template_agree_on_every_shared_policy() {
    let Some(dir) = corpus() else { return };
    let work = tempfile::tempdir().unwrap();
    let rt = roundtrip(&dir.join("outlk16.admx"), Some(work.path())).unwrap();
    // outlk16 differs from its rebuild only by presentations no policy uses (I002, listed in
    // the corpus round trip).
    let own = rt.diff.as_ref().expect("outlk16 builds");
    assert!(
        own.templates
            .iter()
            .flat_map(|t| &t.changes)
            .all(|c| c.subject.starts_with("presentation ") && c.what == "removed"),
        "{own:#?}"
    );
    let rebuilt = work.path().join("PolicyDefinitions/outlk16.admx");
    let r = gpforge::diff::diff_paths(
        &rebuilt,
        Path::new("output/PolicyDefinitions/outlook_smime.admx"),
    )
    .unwrap();
    common::assert_shared_policies_agree(&r);
}

fn gpforge(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gpforge"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_writes_a_folder_that_builds_and_never_overwrites_silently() {
    let Some(dir) = corpus() else { return };
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("defs");
    let admx = dir.join("outlk16.admx");
    let (admx, out_s) = (admx.to_str().unwrap(), out.to_str().unwrap());
    let o = gpforge(&["import", admx, "--out", out_s]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("imported 361 policies (en-US, de-DE, fr-FR)"),
        "{stdout}"
    );
    assert!(stdout.contains("it builds"), "{stdout}");
    assert!(out.join("outlk16/template.toml").is_file());
    assert!(out.join("outlk16/locales/fr-FR.toml").is_file());
    // A second import refuses to replace the folder, and leaves it as it was.
    let before = std::fs::read_to_string(out.join("outlk16/template.toml")).unwrap();
    let o = gpforge(&["import", admx, "--out", out_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(out.join("outlk16/template.toml")).unwrap(),
        before
    );
    assert_eq!(
        gpforge(&["import", admx, "--out", out_s, "--force"])
            .status
            .code(),
        Some(0)
    );
    // The folder builds with `gpforge build`.
    let built = work.path().join("built");
    let o = gpforge(&[
        "build",
        "--definitions",
        out_s,
        "--out",
        built.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(built.join("PolicyDefinitions/de-DE/outlk16.adml").is_file());
    // No en-US ADML: nothing is written, exit 2 with I001.
    let lonely = work.path().join("lonely.admx");
    std::fs::copy(dir.join("outlk16.admx"), &lonely).unwrap();
    let o = gpforge(&[
        "import",
        lonely.to_str().unwrap(),
        "--out",
        out_s,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("error[I001]"));
    assert!(!out.join("lonely").exists());
}
