//! Real consumers: every generated ADMX/ADML validates against Microsoft's ADMX schema with
//! xmllint (`../shared/realclients/check-admx-xsd.sh`, without `--fix-ns`). Under `CI=true` a
//! missing tool fails the test; elsewhere it is skipped with a message.

use gpforge::app::compile_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

const SCRIPT: &str = "../shared/realclients/check-admx-xsd.sh";

fn available() -> bool {
    let ok =
        Path::new(SCRIPT).is_file() && Command::new("xmllint").arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but xmllint or {SCRIPT} is missing (run ../shared/realclients/install.sh)"
        );
        eprintln!("skipped: xmllint or {SCRIPT} missing");
    }
    ok
}

/// Builds `defs` into a temporary folder and returns it with the written files.
fn build(defs: &str) -> (tempfile::TempDir, Vec<PathBuf>) {
    let c = compile_dir(Path::new(defs)).expect("readable definitions");
    assert!(!c.has_errors());
    let dir = tempfile::tempdir().unwrap();
    gpforge::emit::write(dir.path(), &c.artifacts).unwrap();
    let files = c
        .artifacts
        .iter()
        .map(|a| dir.path().join(&a.path))
        .collect();
    (dir, files)
}

fn check(schema: &str, files: &[PathBuf]) {
    let out = Command::new("bash")
        .arg(SCRIPT)
        .args(["--schema", schema])
        .args(files)
        .output()
        .expect("run check-admx-xsd.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("{} passed, 0 failed", files.len())),
        "{stdout}"
    );
}

#[test]
fn outlook_templates_validate_against_microsofts_xsd() {
    if !available() {
        return;
    }
    let (_dir, files) = build("definitions");
    check("grafnetter", &files);
}

#[test]
fn every_kind_fixture_validates_against_microsofts_xsd() {
    if !available() {
        return;
    }
    let (_dir, files) = build("tests/fixtures/kinds");
    check("grafnetter", &files);
}

/// The Grafnetter copy has no longDecimal; the rkttu copy of the same schema has it.
#[test]
fn long_decimal_fixture_validates_against_the_longdecimal_xsd() {
    if !available() {
        return;
    }
    let (_dir, files) = build("tests/fixtures/longdecimal");
    check("rkttu", &files);
}

/// The check is not vacuous: a file that breaks the schema fails it.
#[test]
fn the_schema_check_rejects_a_broken_file() {
    if !available() {
        return;
    }
    let (dir, files) = build("tests/fixtures/kinds");
    let admx = &files[0];
    let text = std::fs::read_to_string(admx).unwrap();
    std::fs::write(
        admx,
        text.replacen("class=\"User\"", "class=\"Everyone\"", 1),
    )
    .unwrap();
    let out = Command::new("bash").arg(SCRIPT).arg(admx).output().unwrap();
    assert!(!out.status.success());
    drop(dir);
}
