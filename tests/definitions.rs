//! Invalid definitions: one fixture per D-code (warning codes: reported, output still built) (`tests/fixtures/invalid/D0xx_*.toml`, or a folder
//! for codes that need several templates; baselines in `tests/fixtures/invalid-baselines/`,
//! checked against the `tests/fixtures/kinds` template). Each must fail with its code, write
//! nothing, and its rendered diagnostics are snapshotted.

mod common;

use gpforge::app::{Compiled, compile_dir, compile_files, compile_strict, compile_with_baselines};
use gpforge::cli::DiagFormat;
use gpforge::diag::{Code, Severity};
use std::path::{Path, PathBuf};

const DIR: &str = "tests/fixtures/invalid";
const BASELINES: &str = "tests/fixtures/invalid-baselines";
const BASELINE_TEMPLATE: &str = "tests/fixtures/kinds";

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = [DIR, BASELINES]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).expect("fixture folder"))
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

fn compile(path: &Path) -> Compiled {
    if path.starts_with(BASELINES) {
        compile_with_baselines(Path::new(BASELINE_TEMPLATE), &[path]).expect("readable fixture")
    } else if path.is_dir() {
        compile_dir(path).expect("readable fixture")
    } else {
        let name = path.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).expect("readable fixture");
        compile_files("fixture", vec![(name, text)])
    }
}

fn code_of(path: &Path) -> Code {
    let stem = path.file_name().unwrap().to_string_lossy();
    Code::parse(&stem[..4]).unwrap_or_else(|| panic!("{stem} does not start with a code"))
}

#[test]
fn every_fixture_fails_with_its_code_and_writes_nothing() {
    for path in fixtures() {
        let code = code_of(&path);
        let c = compile(&path);
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if code.severity() == Severity::Error {
            assert!(c.has_errors(), "{name}: expected errors");
            assert!(c.artifacts.is_empty(), "{name}: artifacts despite errors");
        } else {
            // Warning codes: reported, and the build still produces everything.
            assert!(!c.has_errors(), "{name}: unexpected errors");
            assert!(!c.artifacts.is_empty(), "{name}: no artifacts");
        }
        assert!(
            c.diags
                .iter()
                .any(|d| d.code == code && d.severity == code.severity()),
            "{name}: no {code} among {:?}",
            c.diags.iter().map(|d| d.code).collect::<Vec<_>>()
        );
        for d in c.diags.iter() {
            assert!(
                d.primary_span().is_some(),
                "{name}: {} has no location",
                d.code
            );
        }
        insta::assert_snapshot!(name, c.render(DiagFormat::Human, Severity::Note));
    }
}

/// `--strict` keeps the rules as they were before the tolerated constructs: every fixture of a
/// tolerated code (a warning by default) fails under it, with the same code as an error, and
/// writes nothing; `strict = true` in `[template]` does the same.
#[test]
fn strict_makes_every_tolerated_construct_an_error() {
    let mut seen = 0;
    for path in fixtures() {
        let code = code_of(&path);
        if !Code::TOLERATED.contains(&code) {
            continue;
        }
        seen += 1;
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let work = tempfile::tempdir().unwrap();
        let defs = work.path().join("defs");
        // A folder fixture is a definitions folder; a file, one template.
        let dir = if path.is_dir() {
            common::copy_dir(&path, &defs);
            let t = std::fs::read_dir(&defs).unwrap().next().unwrap().unwrap();
            t.path()
        } else {
            let dir = defs.join("fixture");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::copy(&path, dir.join("template.toml")).unwrap();
            dir
        };
        let text = std::fs::read_to_string(dir.join("template.toml")).unwrap();
        let c = compile_strict(&defs, Default::default(), true).unwrap();
        assert!(c.has_errors(), "{name}: no error under --strict");
        assert!(c.artifacts.is_empty(), "{name}: artifacts under --strict");
        assert!(
            c.diags
                .iter()
                .any(|d| d.code == code && d.severity == Severity::Error),
            "{name}: {code} is no error under --strict"
        );
        let lenient = compile_strict(&defs, Default::default(), false).unwrap();
        assert!(!lenient.has_errors(), "{name}: errors without --strict");
        let marked = text.replacen("[template]\n", "[template]\nstrict = true\n", 1);
        assert_ne!(marked, text, "{name}: no [template] line");
        std::fs::write(dir.join("template.toml"), marked).unwrap();
        let c = compile_strict(&defs, Default::default(), false).unwrap();
        assert!(c.has_errors(), "{name}: strict = true is not strict");
    }
    assert_eq!(
        seen,
        Code::TOLERATED.len(),
        "a tolerated code without fixture"
    );
}

#[test]
fn every_definitions_code_has_a_fixture() {
    let have: Vec<Code> = fixtures().iter().map(|p| code_of(p)).collect();
    for code in Code::ALL.iter().filter(|c| c.as_str().starts_with('D')) {
        assert!(have.contains(code), "no fixture for {code}");
    }
}

#[test]
fn all_problems_of_a_file_are_reported() {
    let c = compile(Path::new(
        "tests/fixtures/invalid/D011_key_with_slashes.toml",
    ));
    // One key is refused (D011), the other tolerated (D046): both reported.
    assert_eq!(c.diags.iter().filter(|d| d.code == Code::D011).count(), 1);
    assert_eq!(c.diags.iter().filter(|d| d.code == Code::D046).count(), 1);
    let c = compile(Path::new(
        "tests/fixtures/invalid/D016_min_greater_than_max.toml",
    ));
    assert_eq!(
        c.diags.iter().filter(|d| d.code == Code::D016).count(),
        1,
        "one problem, one diagnostic"
    );
}

#[test]
fn short_format_has_path_line_and_column() {
    let c = compile(Path::new("tests/fixtures/invalid/D010_key_with_hive.toml"));
    let short = c.render(DiagFormat::Short, Severity::Note);
    assert_eq!(
        short.lines().next().unwrap_or_default(),
        "tests/fixtures/invalid/D010_key_with_hive.toml:30:7: warning[D010]: registry key starts with a hive: `HKCU\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Security`"
    );
}

/// A misspelt enum item and a misspelt field name get the nearest valid one.
#[test]
fn misspellings_get_a_did_you_mean() {
    for (from, to, want) in [
        (
            "Choice = \"second\"",
            "Choice = \"secnod\"",
            "did you mean `second`?",
        ),
        ("note = ", "noet = ", "did you mean `note`?"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let defs = tmp.path().join("defs");
        common::copy_dir(Path::new("tests/fixtures/kinds"), &defs);
        let b = defs.join("baselines/every-state.toml");
        let s = std::fs::read_to_string(&b).unwrap();
        assert!(s.contains(from));
        std::fs::write(&b, s.replacen(from, to, 1)).unwrap();
        let c = compile_dir(&defs).unwrap();
        assert!(c.has_errors());
        let human = c.render(DiagFormat::Human, Severity::Note);
        assert!(human.contains(want), "{human}");
    }
}

/// A template may keep a value name longer than Registry.pol carries (D052, a warning: the
/// editor loads it), but a baseline that sets that policy is refused (D012), since no GPO could
/// deliver it; nothing is built.
#[test]
fn a_baseline_cannot_set_a_value_name_registry_pol_cannot_carry() {
    let work = tempfile::tempdir().unwrap();
    let t = work.path().join("defs/fixture");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::copy(
        "tests/fixtures/invalid/D052_value_name_too_long.toml",
        t.join("template.toml"),
    )
    .unwrap();
    let b = work.path().join("long.toml");
    std::fs::write(
        &b,
        "[baseline]\ntitle = \"Long\"\ndescription = \"x\"\n\n[[setting]]\npolicy = \"P\"\nstate = \"enabled\"\n",
    )
    .unwrap();
    let c = compile_with_baselines(&work.path().join("defs"), &[b.as_path()]).unwrap();
    let d012: Vec<_> = c.diags.iter().filter(|d| d.code == Code::D012).collect();
    assert_eq!(
        d012.len(),
        1,
        "{:?}",
        c.diags.iter().map(|d| d.code).collect::<Vec<_>>()
    );
    assert_eq!(d012[0].severity, Severity::Error);
    assert!(
        d012[0].message.contains("Registry.pol carries at most 259"),
        "{}",
        d012[0].message
    );
    assert!(c.artifacts.is_empty());
}
