//! Real consumers, none written by us (checked by the scripts in `tests/tools/realclients`):
//! - every generated ADMX/ADML validates against Microsoft's ADMX schema with xmllint
//!   (`check-admx-xsd.sh`, without `--fix-ns`);
//! - every `apply.reg` imports with Wine's `reg import` and with hivex, identically
//!   (`check-reg.sh --engine both`), and `revert.reg` after it leaves no value behind;
//! - every `Registry.pol` parses with Samba's parser and PyPI regpol identically and re-encodes
//!   byte for byte (`check-pol.sh --engine both --xml-roundtrip`);
//! - the values hivex holds after `apply.reg` equal the values Samba's parse of the `.pol`
//!   files produces, value for value.
//!
//! A test whose tools are missing is ignored with its reason (src/build.rs decides); run with
//! `--include-ignored`, it fails.

use gpforge::app::compile_dir;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SCRIPT: &str = "tests/tools/realclients/check-admx-xsd.sh";
const CHECK_REG: &str = "tests/tools/realclients/check-reg.sh";
const CHECK_POL: &str = "tests/tools/realclients/check-pol.sh";

fn have(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The tools are there: the tests that need them are ignored unless src/build.rs found them
/// (`gpforge_xsd`, `gpforge_realclients`), so their absence here fails the test.
fn require(what: &str, ok: bool) -> bool {
    assert!(
        ok,
        "{what} is missing (run tests/tools/realclients/install.sh)"
    );
    ok
}

fn available() -> bool {
    require(
        "xmllint or check-admx-xsd.sh",
        Path::new(SCRIPT).is_file() && have("xmllint", &["--version"]),
    )
}

fn registry_clients() -> bool {
    require(
        "Wine, hivex, Samba or regpol",
        Path::new(CHECK_REG).is_file()
            && have("wine", &["--version"])
            && have("perl", &["-MWin::Hivex::Regedit", "-e", "1"])
            && have("/usr/bin/python3", &["-c", "import samba.dcerpc.preg"])
            // As check-pol.sh finds it: the first python3 with the module, or the project's
            // own environment that install.sh fills when that python3 has none.
            && (have("python3", &["-c", "import regpol"])
                || have(
                    "target/realclients-venv/bin/python3",
                    &["-c", "import regpol"],
                )),
    )
}

fn run(script: &str, args: &[&str], files: &[&Path]) -> Output {
    Command::new("bash")
        .arg(script)
        .args(args)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("run {script}: {e}"))
}

fn ok_stdout(o: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{what}: exit {:?}\n{stdout}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    stdout
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

fn xml_files(files: &[PathBuf]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "admx" || e == "adml"))
        .cloned()
        .collect()
}

fn check(schema: &str, files: &[PathBuf]) {
    let files = &xml_files(files);
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
#[cfg_attr(
    not(gpforge_xsd),
    ignore = "needs xmllint (tests/tools/realclients/install.sh installs it)"
)]
fn outlook_templates_validate_against_microsofts_xsd() {
    assert!(available());
    let (_dir, files) = build("definitions");
    check("grafnetter", &files);
}

#[test]
#[cfg_attr(
    not(gpforge_xsd),
    ignore = "needs xmllint (tests/tools/realclients/install.sh installs it)"
)]
fn every_kind_fixture_validates_against_microsofts_xsd() {
    assert!(available());
    let (_dir, files) = build("tests/fixtures/kinds");
    check("grafnetter", &files);
}

/// The Grafnetter copy has no longDecimal; the rkttu copy of the same schema has it.
#[test]
#[cfg_attr(
    not(gpforge_xsd),
    ignore = "needs xmllint (tests/tools/realclients/install.sh installs it)"
)]
fn long_decimal_fixture_validates_against_the_longdecimal_xsd() {
    assert!(available());
    let (_dir, files) = build("tests/fixtures/longdecimal");
    check("rkttu", &files);
}

/// The check is not vacuous: a file that breaks the schema fails it.
#[test]
#[cfg_attr(
    not(gpforge_xsd),
    ignore = "needs xmllint (tests/tools/realclients/install.sh installs it)"
)]
fn the_schema_check_rejects_a_broken_file() {
    assert!(available());
    let (dir, files) = build("tests/fixtures/kinds");
    let admx = &xml_files(&files)[0];
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

/// Every baseline folder of a build.
fn baseline_dirs(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "apply.reg"))
        .map(|f| f.parent().unwrap().to_path_buf())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no baselines built");
    dirs
}

fn pol_files(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    [
        ("HKEY_CURRENT_USER", "User"),
        ("HKEY_LOCAL_MACHINE", "Machine"),
    ]
    .into_iter()
    .map(|(root, half)| (root, dir.join(half).join("Registry.pol")))
    .filter(|(_, p)| p.is_file())
    .collect()
}

/// The `registry.pol` files of a baseline's GPMC backup (`gpo-backup/{id}/DomainSysvol/GPO/…`).
fn backup_pol_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir.join("gpo-backup")) else {
        return out;
    };
    for e in rd.flatten() {
        for half in ["User", "Machine"] {
            let p = e
                .path()
                .join("DomainSysvol/GPO")
                .join(half)
                .join("registry.pol");
            if p.is_file() {
                out.push(p);
            }
        }
    }
    out
}

fn reg_files_import_identically_and_revert_cleanly(defs: &str) {
    assert!(registry_clients());
    let (_dir, files) = build(defs);
    for d in baseline_dirs(&files) {
        let (apply, revert) = (d.join("apply.reg"), d.join("revert.reg"));
        let out = run(CHECK_REG, &["--engine", "both"], &[&apply]);
        let values = ok_stdout(&out, &format!("{} (Wine vs hivex)", apply.display()));
        assert!(values.lines().count() > 0, "{}: no values", apply.display());
        let out = run(CHECK_REG, &["--engine", "both"], &[&apply, &revert]);
        let left = ok_stdout(&out, &format!("{} then revert.reg", apply.display()));
        assert_eq!(left, "", "{}: values left after revert.reg", d.display());
    }
}

#[test]
#[cfg_attr(
    not(gpforge_realclients),
    ignore = "needs Wine, hivex, Samba and regpol (tests/tools/realclients/install.sh installs them)"
)]
fn outlook_baselines_import_with_wine_and_hivex() {
    reg_files_import_identically_and_revert_cleanly("definitions");
}

#[test]
#[cfg_attr(
    not(gpforge_realclients),
    ignore = "needs Wine, hivex, Samba and regpol (tests/tools/realclients/install.sh installs them)"
)]
fn every_state_baseline_imports_with_wine_and_hivex() {
    reg_files_import_identically_and_revert_cleanly("tests/fixtures/kinds");
}

fn pol_files_parse_and_reencode(defs: &str) {
    assert!(registry_clients());
    let (_dir, files) = build(defs);
    for d in baseline_dirs(&files) {
        let pols = pol_files(&d);
        assert!(!pols.is_empty(), "{}: no Registry.pol", d.display());
        let backup = backup_pol_files(&d);
        assert_eq!(
            backup.len(),
            pols.len(),
            "{}: the GPO backup's halves",
            d.display()
        );
        for pol in pols.into_iter().map(|(_, p)| p).chain(backup) {
            let out = run(CHECK_POL, &["--engine", "both", "--xml-roundtrip"], &[&pol]);
            let entries = ok_stdout(&out, &format!("{} (Samba vs regpol)", pol.display()));
            assert!(entries.lines().count() > 0, "{}: no entries", pol.display());
        }
    }
}

#[test]
#[cfg_attr(
    not(gpforge_realclients),
    ignore = "needs Wine, hivex, Samba and regpol (tests/tools/realclients/install.sh installs them)"
)]
fn outlook_registry_pol_parses_with_samba_and_regpol() {
    pol_files_parse_and_reencode("definitions");
}

#[test]
#[cfg_attr(
    not(gpforge_realclients),
    ignore = "needs Wine, hivex, Samba and regpol (tests/tools/realclients/install.sh installs them)"
)]
fn every_state_registry_pol_parses_with_samba_and_regpol() {
    pol_files_parse_and_reencode("tests/fixtures/kinds");
}

type Values = BTreeMap<(String, String), (String, String)>;

/// `KEY<TAB>NAME<TAB>TYPE<TAB>HEX` lines of check-reg.sh (hivex) as a value map.
fn reg_values(stdout: &str) -> Values {
    stdout
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                (f[0].to_lowercase(), f[1].to_lowercase()),
                (f[2].to_string(), f[3].to_string()),
            )
        })
        .collect()
}

/// Applies check-pol.sh (Samba) lines of one hive to `values`, with GPMC's directive semantics.
fn apply_pol_lines(values: &mut Values, root: &str, stdout: &str) {
    for l in stdout.lines() {
        let f: Vec<&str> = l.split('\t').collect();
        let key = format!("{root}\\{}", f[0]).to_lowercase();
        let name = f[1].to_lowercase();
        if let Some(v) = name.strip_prefix("**del.") {
            values.remove(&(key, v.to_string()));
        } else if name == "**delvals." {
            values.retain(|(k, _), _| *k != key);
        } else if let Some(v) = name.strip_prefix("**soft.") {
            values
                .entry((key, v.to_string()))
                .or_insert((f[2].to_string(), f[3].to_string()));
        } else {
            assert!(!name.starts_with("**"), "unexpected directive {}", f[1]);
            values.insert((key, name), (f[2].to_string(), f[3].to_string()));
        }
    }
}

fn reg_and_pol_agree(defs: &str) {
    assert!(registry_clients());
    let (_dir, files) = build(defs);
    for d in baseline_dirs(&files) {
        let apply = d.join("apply.reg");
        let out = run(CHECK_REG, &["--engine", "hivex", "--hex"], &[&apply]);
        let from_reg = reg_values(&ok_stdout(&out, "hivex"));
        let mut from_pol = Values::new();
        for (root, pol) in pol_files(&d) {
            let out = run(CHECK_POL, &["--engine", "samba", "--hex"], &[&pol]);
            apply_pol_lines(&mut from_pol, root, &ok_stdout(&out, "samba"));
        }
        assert!(!from_reg.is_empty());
        assert_eq!(from_reg, from_pol, "{}: .reg and .pol differ", d.display());
    }
}

#[test]
#[cfg_attr(
    not(gpforge_realclients),
    ignore = "needs Wine, hivex, Samba and regpol (tests/tools/realclients/install.sh installs them)"
)]
fn outlook_reg_and_pol_write_the_same_values() {
    reg_and_pol_agree("definitions");
}

#[test]
#[cfg_attr(
    not(gpforge_realclients),
    ignore = "needs Wine, hivex, Samba and regpol (tests/tools/realclients/install.sh installs them)"
)]
fn every_state_reg_and_pol_write_the_same_values() {
    reg_and_pol_agree("tests/fixtures/kinds");
}
