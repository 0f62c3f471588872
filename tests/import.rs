//! `gpforge import`: every template of Microsoft's store (../shared/corpus) and of the vendors'
//! set (../shared/vendors), read in place, is imported, built and diffed against its original:
//! every one must round-trip with no semantic difference in any culture. The rebuilt files have
//! no validate finding the original lacks, and fail Microsoft's XSD only where the original
//! does. The imported outlk16 TOML is a snapshot.

mod common;

use gpforge::app::roundtrip;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::corpus;

/// Microsoft's outlk16 with its ADMLs, kept as a test fixture (tests/fixtures/microsoft).
const OFFICE_1903: &str = "tests/fixtures/microsoft/office-1903";

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

/// Every ADMX file below `dir`, at any depth, sorted.
fn admx_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    common::walk(dir, &mut |p| {
        if p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("admx"))
        {
            files.push(p.to_path_buf());
        }
    });
    files.sort();
    files
}

#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
#[cfg_attr(
    not(gpforge_xsd),
    ignore = "needs xmllint (tests/tools/realclients/install.sh installs it)"
)]
fn corpus_round_trip() {
    let dir = corpus();
    let summary = round_trip_all(&dir, &admx_files(&dir));
    println!("{summary}");
    insta::assert_snapshot!("corpus_round_trip", summary);
}

/// The 21 vendors' templates of ../shared/vendors (SOURCES.tsv there says where each is from).
#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
#[cfg_attr(
    not(gpforge_xsd),
    ignore = "needs xmllint (tests/tools/realclients/install.sh installs it)"
)]
fn vendors_round_trip() {
    let dir = common::vendors();
    let files = admx_below(&dir);
    let summary = round_trip_all(&dir, &files);
    println!("{summary}");
    insta::assert_snapshot!("vendors_round_trip", summary);
}

/// The extended suite on any store: `GPFORGE_CORPUS=DIR` names a folder whose ADMX files (at
/// any depth, each with its culture folders beside it) get the same round trip as Microsoft's
/// store: import, build, no semantic difference in any culture, no new validate finding, and
/// Microsoft's XSD failing only where it fails the original. `.ci/run` points it at the shared
/// corpus's newest Outlook store.
#[test]
#[cfg_attr(
    any(not(gpforge_corpus), not(gpforge_xsd)),
    ignore = "set GPFORGE_CORPUS=DIR (a PolicyDefinitions folder, or a folder of them) to run the round trip on any store; needs xmllint (tests/tools/realclients/install.sh installs it)"
)]
fn any_store_round_trips() {
    let dir = PathBuf::from(
        std::env::var_os("GPFORGE_CORPUS").expect("GPFORGE_CORPUS names the store to round-trip"),
    );
    let files = admx_below(&dir);
    assert!(!files.is_empty(), "no ADMX under {}", dir.display());
    println!("{}: {}", dir.display(), round_trip_all(&dir, &files));
}

/// Imports, builds and diffs every template: each must build and show no semantic difference
/// in any culture, and its rebuilt files must have no validate finding (profile gpmc, by code
/// and message) that the original does not have. Returns the tally and the XSD comparison.
fn round_trip_all(root: &Path, files: &[PathBuf]) -> String {
    let work = tempfile::tempdir().unwrap();
    let mut rebuilt: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut findings = (0, 0);
    for (i, admx) in files.iter().enumerate() {
        let name = admx
            .strip_prefix(root)
            .unwrap_or(admx)
            .to_string_lossy()
            .into_owned();
        let out = work.path().join(i.to_string());
        let rt = roundtrip(admx, Some(&out)).unwrap();
        let Some(diff) = &rt.diff else {
            panic!("{name}: not rebuilt: {:#?}", rt.findings);
        };
        let changes: Vec<String> = diff
            .templates
            .iter()
            .flat_map(|t| &t.changes)
            .map(|c| format!("{} {}: {:?} -> {:?}", c.subject, c.what, c.old, c.new))
            .collect();
        assert!(diff.equal, "{name}: differs from its rebuild: {changes:#?}");
        let rebuilt_admx = rt
            .files
            .iter()
            .find(|f| f.extension().is_some_and(|e| e == "admx"))
            .map(|f| out.join(f))
            .unwrap();
        let (o, r) = new_findings(admx, &rebuilt_admx, &name);
        findings.0 += o;
        findings.1 += r;
        rebuilt.extend(rt.files.iter().map(|f| (out.join(f), original_of(admx, f))));
    }
    format!(
        "{}\n{} templates: every one imports, builds and round-trips with no semantic difference in any culture\nvalidate (gpmc): {} findings on the originals, {} on the rebuilt files, none new\n",
        xsd_check(&rebuilt),
        files.len(),
        findings.0,
        findings.1
    )
}

/// Validate findings (code and message) of the rebuilt template that its original lacks:
/// there must be none. Returns the numbers of findings of both.
fn new_findings(original: &Path, rebuilt: &Path, name: &str) -> (usize, usize) {
    use gpforge::validate::{Profile, validate_paths};
    let keys = |p: &Path| -> Vec<String> {
        let r = validate_paths(&[p.to_path_buf()], Profile::Gpmc).unwrap();
        let mut v: Vec<String> = r
            .diags
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        v.sort();
        v
    };
    let (o, r) = (keys(original), keys(rebuilt));
    let mut left = o.clone();
    let mut new = Vec::new();
    for f in &r {
        match left.iter().position(|x| x == f) {
            Some(i) => {
                left.remove(i);
            }
            None => new.push(f.clone()),
        }
    }
    assert!(
        new.is_empty(),
        "{name}: the rebuilt files have findings the original does not: {new:#?}"
    );
    (o.len(), r.len())
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
    let script = Path::new("tests/tools/realclients/check-admx-xsd.sh")
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
    let dir = PathBuf::from(OFFICE_1903);
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
    let dir = PathBuf::from(OFFICE_1903);
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
    let dir = PathBuf::from(OFFICE_1903);
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
    // The summary is progress: stderr; stdout stays empty (no report was asked for).
    assert!(o.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("imported 361 policies (en-US, de-DE, fr-FR)"),
        "{stderr}"
    );
    assert!(stderr.contains("it builds"), "{stderr}");
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
