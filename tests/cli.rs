//! The real binary: exit codes, stdout and stderr of `build`, `build --check`, a bad definition,
//! `explain` and `--help`.

mod common;

use common::copy_dir;
use std::path::Path;
use std::process::{Command, Output};

fn gpforge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gpforge"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gpforge")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    fn walk(base: &Path, d: &Path, v: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, v);
            } else {
                v.push(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    if dir.exists() {
        walk(dir, dir, &mut v);
    }
    v.sort();
    v
}

#[test]
fn build_on_a_clean_copy_writes_the_committed_output_then_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("definitions");
    let out = tmp.path().join("output");
    copy_dir(Path::new("definitions"), &defs);
    let (d, o) = (defs.to_str().unwrap(), out.to_str().unwrap());

    let r = gpforge(&["build", "--definitions", d, "--out", o]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    // 51 files, plus one ADML per translation.
    let translations = std::fs::read_dir("definitions/outlook-smime/locales")
        .map(|d| d.count())
        .unwrap_or(0);
    let written = format!(
        "44 policies, 1 registry-only setting(s), 3 baseline(s): {} written",
        51 + translations
    );
    assert!(text(&r.stderr).contains(&written), "{}", text(&r.stderr));
    assert!(
        r.stdout.is_empty(),
        "the summary is progress: {}",
        text(&r.stdout)
    );
    assert_eq!(files_under(&out), files_under(Path::new("output")));
    for f in files_under(&out) {
        let (fresh, committed) = (
            std::fs::read(out.join(&f)).unwrap(),
            std::fs::read(Path::new("output").join(&f)).unwrap(),
        );
        if f.ends_with("gpt.ini") {
            // A first build starts the GPO version afresh; the committed one continues from the
            // builds before it. Everything else is equal.
            let strip = |b: &[u8]| {
                String::from_utf8_lossy(b)
                    .lines()
                    .filter(|l| !l.starts_with("Version="))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(strip(&fresh), strip(&committed), "{f}");
        } else {
            assert_eq!(fresh, committed, "{f}");
        }
    }

    let r = gpforge(&["build", "--definitions", d, "--out", o]);
    assert_eq!(r.status.code(), Some(0));
    assert!(
        text(&r.stderr).contains(": 0 written"),
        "{}",
        text(&r.stderr)
    );

    let r = gpforge(&["build", "--check", "--definitions", d, "--out", o]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("is up to date"));
    assert!(r.stdout.is_empty(), "progress is not data");
}

#[test]
fn check_exits_1_when_output_is_stale_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    copy_dir(Path::new("output"), &out);
    let adml = out.join("PolicyDefinitions/en-US/outlook_smime.adml");
    std::fs::write(&adml, b"stale").unwrap();
    let r = gpforge(&["build", "--check", "--out", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r.stderr).contains("out of date: PolicyDefinitions/en-US/outlook_smime.adml"),
        "{}",
        text(&r.stderr)
    );
    assert_eq!(
        std::fs::read(&adml).unwrap(),
        b"stale",
        "--check must not write"
    );

    let empty = tmp.path().join("empty");
    let r = gpforge(&["build", "--check", "--out", empty.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1));
    assert!(text(&r.stderr).contains("missing: PolicyDefinitions/outlook_smime.admx"));
    assert!(!empty.exists());
}

/// A name the editor loads but the XSD refuses (`-`): a warning and a full build by default,
/// an error and nothing written under `--strict`.
#[test]
fn strict_refuses_what_the_default_build_tolerates() {
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("definitions");
    copy_dir(Path::new("definitions"), &defs);
    let f = defs.join("outlook-smime/template.toml");
    let src = std::fs::read_to_string(&f).unwrap();
    let dashed = src.replacen("prefix = \"outlooksmime\"", "prefix = \"outlook-smime\"", 1);
    assert_ne!(src, dashed);
    std::fs::write(&f, dashed).unwrap();
    let out = tmp.path().join("output");
    let args = |strict: bool| {
        let mut v = vec![
            "build".to_string(),
            "--definitions".into(),
            defs.to_string_lossy().into_owned(),
            "--out".into(),
            out.to_string_lossy().into_owned(),
        ];
        if strict {
            v.push("--strict".into());
        }
        v
    };
    let strict = args(true);
    let r = gpforge(&strict.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(r.status.code(), Some(1), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("error[D042]: prefix `outlook-smime`"));
    assert!(!out.exists(), "nothing written under --strict");
    let lenient = args(false);
    let r = gpforge(&lenient.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("warning[D042]: prefix `outlook-smime`"));
    let admx = std::fs::read_to_string(out.join("PolicyDefinitions/outlook_smime.admx")).unwrap();
    assert!(admx.contains("<target prefix=\"outlook-smime\""), "{admx}");
}

#[test]
fn a_bad_definition_exits_1_with_diagnostics_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("definitions");
    let out = tmp.path().join("output");
    copy_dir(Path::new("definitions"), &defs);
    let f = defs.join("outlook-smime/cryptography.toml");
    let src = std::fs::read_to_string(&f).unwrap();
    let bad = src
        .replacen(
            "value_name = \"alwayssign\"",
            "value_name = \"alwayssign\"\nkey = 'HKCU\\Software'",
            1,
        )
        .replacen("id = \"L_Signallemailmessages\"", "id = \"Sign All\"", 1);
    std::fs::write(&f, bad).unwrap();
    let r = gpforge(&[
        "build",
        "--definitions",
        defs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(1));
    let err = text(&r.stderr);
    assert!(
        err.contains("warning[D010]: registry key starts with a hive"),
        "{err}"
    );
    assert!(err.contains("error[D020]: policy id `Sign All`"), "{err}");
    assert!(err.contains("cryptography.toml:"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(text(&r.stdout).is_empty());
    assert!(!out.exists(), "no output on error");

    let r = gpforge(&[
        "build",
        "--format",
        "short",
        "--definitions",
        defs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = text(&r.stderr);
    assert!(
        err.lines()
            .any(|l| l.contains("cryptography.toml:") && l.contains(": error[D020]: ")),
        "{err}"
    );
}

#[test]
fn usage_and_io_failures_exit_2() {
    let r = gpforge(&["build", "--definitions", "no/such/folder"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r.stderr).contains("does not exist"));
    let r = gpforge(&["build", "--no-such-flag"]);
    assert_eq!(r.status.code(), Some(2));
    let r = gpforge(&["explain", "X999"]);
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn explain_prints_what_why_and_an_example() {
    let r = gpforge(&["explain", "d010"]);
    assert_eq!(r.status.code(), Some(0));
    let out = text(&r.stdout);
    assert!(
        out.starts_with("D010: registry key with a hive prefix (warning; error under --strict)"),
        "{out}"
    );
    for part in ["What:", "Why:", "Example:"] {
        assert!(out.contains(part), "{out}");
    }
    let r = gpforge(&["explain"]);
    let list = text(&r.stdout);
    for code in gpforge::diag::Code::ALL {
        assert!(list.contains(code.as_str()), "{code} not listed");
        assert!(!code.doc().trim().is_empty());
    }
}

#[test]
fn help_describes_the_commands() {
    let r = gpforge(&["--help"]);
    assert_eq!(r.status.code(), Some(0));
    let out = text(&r.stdout);
    for w in ["build", "explain", "Group Policy"] {
        assert!(out.contains(w), "{out}");
    }
    let r = gpforge(&["build", "--help"]);
    let out = text(&r.stdout);
    for w in ["--definitions", "--out", "--check", "atomically"] {
        assert!(out.contains(w), "{out}");
    }
}

#[test]
fn validate_exit_codes_summary_and_formats() {
    let v = "tests/fixtures/validate";
    // Clean store: exit 0, summary line; human findings and the summary go to stderr and
    // stdout stays empty (it is for reports: JSON, SARIF, --statistics).
    let r = gpforge(&["validate", &format!("{v}/clean")]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(r.stdout.is_empty(), "{}", text(&r.stdout));
    let out = text(&r.stderr);
    assert!(
        out.starts_with("2 file(s), 2 policies: 0 error(s), 0 warning(s) ("),
        "{out}"
    );
    assert!(out.trim_end().ends_with("profile gpmc)"), "{out}");
    // Errors: exit 1, snippet with line and column.
    let r = gpforge(&["validate", &format!("{v}/V060_string_missing")]);
    assert_eq!(r.status.code(), Some(1));
    let out = text(&r.stderr);
    assert!(out.contains("error[V060]"), "{out}");
    assert!(out.contains("app.admx:23:84"), "{out}");
    // Warnings only: 0, or 1 with --deny-warnings. V021 is schema-only: off under gpmc unless
    // selected (then a warning), an error under the schema profile.
    let warn = format!("{v}/V021_misspelt_attribute");
    assert_eq!(gpforge(&["validate", &warn]).status.code(), Some(0));
    assert_eq!(
        gpforge(&["validate", "--deny-warnings", &warn])
            .status
            .code(),
        Some(0),
        "schema-only findings are off under gpmc"
    );
    assert_eq!(
        gpforge(&["validate", "--select", "schema", "--deny-warnings", &warn])
            .status
            .code(),
        Some(1)
    );
    // The schema profile makes it an error.
    assert_eq!(
        gpforge(&["validate", "--profile", "schema", &warn])
            .status
            .code(),
        Some(1)
    );
    // Short form: one line per problem, then the summary.
    let r = gpforge(&["validate", "--select", "schema", "--format", "short", &warn]);
    let out = text(&r.stderr);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains(".adml:20:57: warning[V021]:"),
        "{out}"
    );
    // JSON and SARIF on stdout (the summary goes to stderr so stdout stays parseable).
    let r = gpforge(&["validate", "--select", "schema", "--format", "json", &warn]);
    let j: serde_json::Value = serde_json::from_slice(&r.stdout).expect("JSON");
    assert_eq!(j["summary"]["warnings"], 1);
    assert_eq!(j["diagnostics"][0]["code"], "V021");
    assert!(text(&r.stderr).contains("1 warning(s)"));
    let r = gpforge(&["validate", "--format", "sarif", &warn]);
    let s: serde_json::Value = serde_json::from_slice(&r.stdout).expect("SARIF");
    assert_eq!(s["version"], "2.1.0");
    // I/O failure and usage: 2.
    let r = gpforge(&["validate", "no/such/store"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r.stderr).starts_with("error: cannot read no/such/store"));
    assert_eq!(gpforge(&["validate"]).status.code(), Some(2));
    assert_eq!(
        gpforge(&["validate", "--profile", "nope", &warn])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn validate_help_and_explain_v_codes() {
    let r = gpforge(&["validate", "--help"]);
    let out = text(&r.stdout);
    for w in [
        "--profile",
        "--format",
        "--deny-warnings",
        "sarif",
        "intune",
        "culture",
    ] {
        assert!(out.contains(w), "{out}");
    }
    let r = gpforge(&["explain", "V060"]);
    assert_eq!(r.status.code(), Some(0));
    let out = text(&r.stdout);
    assert!(
        out.starts_with("V060: string missing from an ADML (error)"),
        "{out}"
    );
    assert!(out.contains("could not be found"), "{out}");
}

/// `gpt.ini`'s version rises when its `Registry.pol` changes, so clients that applied the GPO
/// read it again; an unchanged baseline keeps its version.
#[test]
fn gpt_ini_version_rises_with_its_registry_pol() {
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("definitions");
    let out = tmp.path().join("output");
    copy_dir(Path::new("definitions"), &defs);
    let (d, o) = (defs.to_str().unwrap(), out.to_str().unwrap());
    let version = |b: &str| {
        std::fs::read_to_string(out.join(format!("baselines/{b}/gpt.ini")))
            .unwrap()
            .lines()
            .find_map(|l| {
                l.strip_prefix("Version=")
                    .map(|v| v.parse::<u32>().unwrap())
            })
            .unwrap()
    };
    assert_eq!(
        gpforge(&["build", "--definitions", d, "--out", o])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(version("disa-stig"), 1 << 16);
    let f = defs.join("baselines/disa-stig.toml");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        s.replace(
            "L_Minimumkeysizeinbits = 168",
            "L_Minimumkeysizeinbits = 169",
        ),
    )
    .unwrap();
    assert_eq!(
        gpforge(&["build", "--definitions", d, "--out", o])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(version("disa-stig"), 2 << 16, "the user half changed");
    assert_eq!(version("smime-strict"), 1 << 16, "unchanged");
    let r = gpforge(&["build", "--check", "--definitions", d, "--out", o]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
}

/// validate's selection: --select/--ignore by code or family, -q, --statistics; an empty folder
/// or an unknown code is a usage failure.
#[test]
fn validate_selection_quiet_statistics_and_empty_input() {
    let store = "tests/fixtures/validate/V063_pretty_printed_string";
    // V063 is pedantic: off unless selected.
    let r = gpforge(&["validate", "--format", "short", store]);
    assert!(!text(&r.stderr).contains("[V063]"), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("0 warning(s)"));
    for on in ["V063", "pedantic", "strings"] {
        let r = gpforge(&["validate", "--format", "short", "--select", on, store]);
        assert!(text(&r.stderr).contains("[V063]"), "--select {on}");
    }
    let r = gpforge(&[
        "validate", "--format", "short", "--select", "V063", "--ignore", "strings", store,
    ]);
    assert!(!text(&r.stderr).contains("[V063]"), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("0 warning(s)"));
    let r = gpforge(&["validate", "--format", "short", "--select", "V001", store]);
    assert!(!text(&r.stderr).contains("[V063]"));
    let r = gpforge(&["validate", "--statistics", "--select", "V063", store]);
    let out = text(&r.stdout);
    assert!(
        out.starts_with("code   severity  count  files  meaning"),
        "{out}"
    );
    assert!(
        !out.contains("warning(s)"),
        "the summary is progress: {out}"
    );
    assert!(text(&r.stderr).contains("1 warning(s)"));
    assert!(
        out.lines()
            .any(|l| l.starts_with("V063") && l.contains("line break")),
        "{out}"
    );
    let r = gpforge(&[
        "validate", "-q", "--format", "short", "--select", "V063", store,
    ]);
    assert!(!text(&r.stderr).contains("[V063]"), "warnings hidden");
    assert!(
        text(&r.stderr).contains("1 warning(s)"),
        "the summary counts them"
    );
    let r = gpforge(&["validate", "--select", "V999", store]);
    assert_eq!(r.status.code(), Some(2));
    let empty = tempfile::tempdir().unwrap();
    let r = gpforge(&["validate", empty.path().to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r.stderr).contains("no ADMX or ADML file"));
}

/// `--write-baseline` records the findings; `--baseline` then passes the same store, still
/// passes when lines move, and fails on a finding added since (reporting only that one).
#[test]
fn a_baseline_accepts_known_findings_and_fails_on_new_ones() {
    let work = tempfile::tempdir().unwrap();
    let store = work.path().join("store");
    copy_dir(
        Path::new("tests/fixtures/validate/V025_hyphen_in_name"),
        &store,
    );
    let baseline = work.path().join("accepted.json");
    let (s, b) = (store.to_str().unwrap(), baseline.to_str().unwrap());
    let r = gpforge(&["validate", "--select", "pedantic", "--deny-warnings", s]);
    assert_eq!(r.status.code(), Some(1), "the store has warnings");
    let r = gpforge(&["validate", "--select", "pedantic", "--write-baseline", b, s]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("wrote "));
    let saved = std::fs::read_to_string(&baseline).unwrap();
    assert!(saved.contains("\"code\": \"V025\"") && saved.contains("\"file\": \"app.admx\""));
    assert!(
        !saved.contains(s),
        "files are relative to the validated folder"
    );
    let r = gpforge(&[
        "validate",
        "--select",
        "pedantic",
        "--deny-warnings",
        "--baseline",
        b,
        s,
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("known finding(s) suppressed by the baseline"));
    // Lines move: still known.
    let admx = store.join("app.admx");
    let x = std::fs::read_to_string(&admx).unwrap();
    let moved = x.replacen("<policyNamespaces>", "\n\n\n<policyNamespaces>", 1);
    std::fs::write(&admx, &moved).unwrap();
    let r = gpforge(&[
        "validate",
        "--select",
        "pedantic",
        "--deny-warnings",
        "--baseline",
        b,
        s,
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    // A new finding: reported alone, and it fails.
    let added = moved.replacen(
        "<policy name=\"Simple\"",
        "<policy name=\"New-One\" class=\"User\" displayName=\"$(string.Simple)\" explainText=\"$(string.Simple_Help)\" key=\"Software\\Policies\\Contoso\\App\" valueName=\"New\"><parentCategory ref=\"Contoso-Cat\"/><supportedOn ref=\"SUPPORTED_App1\"/></policy>\n    <policy name=\"Simple\"",
        1,
    );
    std::fs::write(&admx, added).unwrap();
    let r = gpforge(&[
        "validate",
        "--select",
        "pedantic",
        "--deny-warnings",
        "--format",
        "short",
        "--baseline",
        b,
        s,
    ]);
    assert_eq!(r.status.code(), Some(1), "{}", text(&r.stderr));
    let out = text(&r.stderr);
    // The new policy's name and its parentCategory reference; the 3 known ones stay hidden.
    assert!(out.contains("New-One"), "{out}");
    assert!(
        out.contains("2 warning(s); 3 known finding(s) suppressed"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.contains("warning[")).count(),
        2,
        "{out}"
    );
}

/// `gpforge.toml` (found upward from the current folder, or `--config`): its ignore list, its
/// per-path ignores, its profile and its baseline apply; flags add to it; a wrong key is a
/// usage failure naming the file and line.
#[test]
fn a_settings_file_configures_validate() {
    let work = tempfile::tempdir().unwrap();
    let store = work.path().join("store");
    copy_dir(
        Path::new("tests/fixtures/validate/V025_hyphen_in_name"),
        &store,
    );
    let sub = work.path().join("deeper/down");
    std::fs::create_dir_all(&sub).unwrap();
    let run = |dir: &Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gpforge"))
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap()
    };
    let s = store.to_str().unwrap();
    let cfg = work.path().join("gpforge.toml");
    let short = ["validate", "--select", "pedantic", "--format", "short", s];
    let before = text(&run(&sub, &short).stderr);
    assert!(before.contains("[V025]"), "{before}");

    std::fs::write(&cfg, "[validate]\nignore = [\"V025\"]\n").unwrap();
    let out = text(&run(&sub, &short).stderr);
    assert!(!out.contains("[V025]"), "found two folders up: {out}");
    // A flag adds to the file's list.
    let r = run(
        &sub,
        &[
            "validate", "--select", "pedantic", "--format", "short", "--ignore", "V031", s,
        ],
    );
    assert!(!text(&r.stderr).contains("[V025]"));

    std::fs::write(
        &cfg,
        "[validate]\n[[validate.per_path]]\npaths = [\"*.admx\"]\nignore = [\"V025\"]\n",
    )
    .unwrap();
    let out = text(&run(&sub, &short).stderr);
    assert!(
        !out.lines()
            .any(|l| l.contains("app.admx:") && l.contains("[V025]")),
        "{out}"
    );
    std::fs::write(
        &cfg,
        "[validate]\n[[validate.per_path]]\npaths = [\"en-US/*.adml\"]\nignore = [\"V025\"]\n",
    )
    .unwrap();
    let out = text(&run(&sub, &short).stderr);
    assert!(out.contains("[V025]"), "a pattern for other files: {out}");

    std::fs::write(&cfg, "[validate]\nprofile = \"schema\"\n").unwrap();
    let r = run(&sub, &short);
    assert_eq!(r.status.code(), Some(1), "schema makes V025 an error");
    assert!(text(&r.stderr).contains("error[V025]"));
    let r = run(
        &sub,
        &["validate", "--select", "pedantic", "--profile", "gpmc", s],
    );
    assert_eq!(r.status.code(), Some(0), "--profile wins over the file");

    // A baseline named by the file, relative to it.
    std::fs::write(&cfg, "[validate]\nbaseline = \"accepted.json\"\n").unwrap();
    let b = work.path().join("accepted.json");
    let r = run(
        &sub,
        &[
            "validate",
            "--select",
            "pedantic",
            "--write-baseline",
            b.to_str().unwrap(),
            s,
        ],
    );
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    let r = run(
        &sub,
        &["validate", "--select", "pedantic", "--deny-warnings", s],
    );
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("suppressed by the baseline"));

    std::fs::write(&cfg, "[validate]\n\nignor = [\"V025\"]\n").unwrap();
    let r = run(&sub, &short);
    assert_eq!(r.status.code(), Some(2));
    let err = text(&r.stderr);
    assert!(err.contains("gpforge.toml:3"), "{err}");
    // --config names another file; the one found upward is not read.
    let other = work.path().join("other.toml");
    std::fs::write(&other, "[validate]\nignore = [\"V025\"]\n").unwrap();
    let r = run(
        &sub,
        &[
            "validate",
            "--select",
            "pedantic",
            "--format",
            "short",
            "--config",
            other.to_str().unwrap(),
            s,
        ],
    );
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(!text(&r.stderr).contains("[V025]"));
}

/// Machine-readable reports go to stdout alone, whole and parseable; summaries, tables and
/// progress go to stderr (`build --format sarif > x.sarif` captures the SARIF log).
#[test]
fn machine_reports_go_to_stdout_and_progress_to_stderr() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let o = out.to_str().unwrap();
    for (args, what) in [
        (vec!["build", "--out", o, "--format", "sarif"], "sarif"),
        (vec!["build", "--out", o, "--format", "json"], "json"),
        (
            vec![
                "validate",
                "--format",
                "sarif",
                "tests/fixtures/validate/V055_value_written_twice",
            ],
            "sarif",
        ),
        (
            vec![
                "validate",
                "--format",
                "json",
                "tests/fixtures/validate/V055_value_written_twice",
            ],
            "json",
        ),
        (
            vec![
                "diff",
                "--format",
                "json",
                "tests/fixtures/diff/compatible_only/old",
                "tests/fixtures/diff/compatible_only/new",
            ],
            "json",
        ),
        (
            vec![
                "import",
                "--format",
                "json",
                "--out",
                o,
                "tests/fixtures/import/anyuri_namespace/Fixture.admx",
            ],
            "json",
        ),
        (
            vec![
                "audit",
                "--baseline",
                "disa-stig",
                "--format",
                "sarif",
                "output/baselines/disa-stig/apply.reg",
            ],
            "sarif",
        ),
    ] {
        let r = gpforge(&args);
        let stdout = text(&r.stdout);
        let v: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is no JSON ({e}): {stdout}"));
        if what == "sarif" {
            assert_eq!(v["version"], "2.1.0", "{args:?}");
        }
        let stderr = text(&r.stderr);
        if args[0] == "build" {
            assert!(stderr.contains("built "), "{args:?}: {stderr}");
            assert!(stderr.contains("translations of "), "{args:?}: {stderr}");
        }
        if args[0] == "validate" {
            assert!(stderr.contains("file(s)"), "{args:?}: summary on stderr");
        }
        if args[0] == "import" {
            assert!(stderr.contains("imported "), "{args:?}: {stderr}");
        }
    }
    // Human diagnostics are not a report: validate's and import's go to stderr.
    for args in [
        vec![
            "validate",
            "tests/fixtures/validate/V055_value_written_twice",
        ],
        vec![
            "import",
            "--out",
            o,
            "--force",
            "tests/fixtures/import/anyuri_namespace/Fixture.admx",
        ],
    ] {
        let r = gpforge(&args);
        assert!(r.stdout.is_empty(), "{args:?}: {}", text(&r.stdout));
        assert!(
            text(&r.stderr).contains("warning["),
            "{args:?}: {}",
            text(&r.stderr)
        );
    }
}

/// Completions and the manual page come from the command line's own definition.
#[test]
fn completions_and_man_page_are_generated() {
    let r = gpforge(&["completions", "bash"]);
    assert_eq!(r.status.code(), Some(0));
    let bash = text(&r.stdout);
    assert!(bash.contains("_gpforge()"), "{bash}");
    assert!(bash.contains("--write-baseline"), "every flag is completed");
    let r = gpforge(&["completions", "zsh"]);
    assert_eq!(r.status.code(), Some(0));
    assert!(text(&r.stdout).starts_with("#compdef gpforge"));
    let r = gpforge(&["completions", "tcsh"]);
    assert_eq!(
        r.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
    let r = gpforge(&["man"]);
    assert_eq!(r.status.code(), Some(0));
    let man = text(&r.stdout);
    assert!(man.contains(".TH gpforge 1"), "{man}");
    assert!(man.contains("validate"), "subcommands are listed");
}

/// `--output FILE` takes what a command prints on stdout, for every command: stdout stays
/// empty, stderr keeps the progress, the file holds the whole report.
#[test]
fn output_writes_the_report_to_a_file() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("report");
    let f = file.to_str().unwrap();
    let out = work.path().join("out");
    let store = "tests/fixtures/validate/V055_value_written_twice";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "build",
                "--out",
                out.to_str().unwrap(),
                "--format",
                "sarif",
                "--output",
                f,
            ],
            "\"version\": \"2.1.0\"",
        ),
        (
            vec!["validate", "--format", "json", "--output", f, store],
            "\"diagnostics\"",
        ),
        (
            vec!["validate", "--format", "short", "--output", f, store],
            "[V055]",
        ),
        (
            vec![
                "diff",
                "--output",
                f,
                "tests/fixtures/diff/compatible_only/old",
                "tests/fixtures/diff/compatible_only/new",
            ],
            "# Changes from",
        ),
        (vec!["explain", "D042", "--output", f], "D042: name outside"),
    ];
    for (args, needle) in cases {
        let _ = std::fs::remove_file(&file);
        let r = gpforge(&args);
        assert!(r.stdout.is_empty(), "{args:?}: {}", text(&r.stdout));
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.contains(needle), "{args:?}: {written}");
    }
}

/// `--output` never writes through a symbolic link: the command fails and the link's target
/// stays as it was.
#[test]
fn output_refuses_a_link() {
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("precious");
    std::fs::write(&target, "keep").unwrap();
    let link = work.path().join("report.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    // Refused with exit 2, the link named as such, its target untouched.
    let refused = |r: &std::process::Output| {
        assert_eq!(r.status.code(), Some(2), "{}", text(&r.stderr));
        assert!(
            text(&r.stderr).contains("symbolic link"),
            "{}",
            text(&r.stderr)
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    };
    let r = gpforge(&["explain", "D042", "--output", link.to_str().unwrap()]);
    refused(&r);
    assert!(r.stdout.is_empty());
    // `--write-baseline` writes its file the same way.
    let store = "tests/fixtures/validate/V063_pretty_printed_string";
    let args = ["validate", "--select", "V063", "--write-baseline"];
    refused(&gpforge(
        &[&args[..], &[link.to_str().unwrap(), store]].concat(),
    ));
    let plain = work.path().join("accepted.json");
    let r = gpforge(&[&args[..], &[plain.to_str().unwrap(), store]].concat());
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert!(std::fs::read_to_string(&plain).unwrap().contains("V063"));
    let left: Vec<_> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "no temporary file left: {left:?}");
}

/// The README's install lines after `cargo install` (completions, manual pages) work in a fresh
/// home, creating their folders; every page the main page refers to is written.
#[test]
fn the_readme_install_lines_work_in_a_fresh_home() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let block = readme
        .split("## Install")
        .nth(1)
        .and_then(|r| r.split("```sh\n").nth(1))
        .and_then(|r| r.split("```").next())
        .unwrap();
    let lines: Vec<&str> = block
        .lines()
        .filter(|l| !l.starts_with("cargo install"))
        .map(|l| l.split("  #").next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 2, "{block}");
    let home = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_gpforge")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for l in &lines {
        let o = Command::new("sh")
            .args(["-c", l])
            .env("HOME", home.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(o.status.success(), "{l}: {}", text(&o.stderr));
    }
    let h = home.path();
    let completion =
        std::fs::read_to_string(h.join(".local/share/bash-completion/completions/gpforge"))
            .unwrap();
    assert!(completion.contains("_gpforge"));
    let man1 = h.join(".local/share/man/man1");
    let main = std::fs::read_to_string(man1.join("gpforge.1")).unwrap();
    let mut refs = 0;
    for part in main.split("gpforge\\-").skip(1) {
        let name = part.split('(').next().unwrap();
        assert!(
            man1.join(format!("gpforge-{name}.1")).is_file(),
            "gpforge-{name}(1) is referred to but not written"
        );
        refs += 1;
    }
    assert!(refs >= 7, "{refs} references");
}

/// Conventions from ruff and cargo: GitHub annotations, --exit-zero, --extend-select, ALL,
/// NO_COLOR and CLICOLOR_FORCE.
#[test]
fn github_annotations_exit_zero_extend_select_all_and_colour_variables() {
    let store = "tests/fixtures/validate/V060_string_missing";
    let r = gpforge(&["validate", "--format", "github", store]);
    assert_eq!(r.status.code(), Some(1));
    let out = text(&r.stdout);
    assert!(
        out.starts_with("::error file=tests/fixtures/validate/V060_string_missing/app.admx,line=23,col=84,endLine=23,endColumn=105,title=V060 string missing from an ADML::"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");
    // Workflow-command escaping: a line break in a message never ends the command.
    let tmp = tempfile::tempdir().unwrap();
    let store2 = tmp.path().join("s");
    copy_dir(
        Path::new("tests/fixtures/validate/V063_pretty_printed_string"),
        &store2,
    );
    let r = gpforge(&[
        "validate",
        "--format",
        "github",
        "--select",
        "V063",
        store2.to_str().unwrap(),
    ]);
    for l in text(&r.stdout).lines() {
        assert!(l.starts_with("::warning file="), "{l}");
    }
    // --exit-zero: findings do not fail the run; a failure still does.
    assert_eq!(
        gpforge(&["validate", "--exit-zero", store]).status.code(),
        Some(0)
    );
    assert_eq!(
        gpforge(&["validate", "--exit-zero", "no/such"])
            .status
            .code(),
        Some(2)
    );
    // --extend-select adds to the default; --select ALL names every code.
    let warn = "tests/fixtures/validate/V021_misspelt_attribute";
    for args in [
        vec![
            "validate",
            "--extend-select",
            "V021",
            "--deny-warnings",
            warn,
        ],
        vec!["validate", "--select", "ALL", "--deny-warnings", warn],
    ] {
        let r = gpforge(&args);
        assert_eq!(r.status.code(), Some(1), "{args:?}");
        assert!(text(&r.stderr).contains("V021"), "{args:?}");
    }
    let r = gpforge(&["validate", "--extend-select", "V999", warn]);
    assert_eq!(r.status.code(), Some(2));
    // Colour: CLICOLOR_FORCE turns it on without a terminal, NO_COLOR wins over it.
    let colour = |vars: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gpforge"));
        c.args(["validate", store])
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in vars {
            c.env(k, v);
        }
        text(&c.output().unwrap().stderr).contains('\u{1b}')
    };
    assert!(!colour(&[]));
    assert!(colour(&[("CLICOLOR_FORCE", "1")]));
    assert!(!colour(&[("CLICOLOR_FORCE", "0")]));
    assert!(!colour(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
}

/// `explain` for a terminal (no Markdown marks), as Markdown, and as JSON for tools.
#[test]
fn explain_for_terminals_and_tools() {
    let r = gpforge(&["explain", "D010"]);
    let t = text(&r.stdout);
    assert!(t.starts_with("D010: "), "{t}");
    assert!(
        t.contains("\nWhat: ") && !t.contains("**") && !t.contains('`'),
        "{t}"
    );
    let r = gpforge(&["explain", "--format", "markdown", "D010"]);
    assert!(text(&r.stdout).contains("**What:**"));
    let r = gpforge(&["explain", "--format", "json", "V021"]);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["code"], "V021");
    assert!(
        v["severity"]
            .as_str()
            .unwrap()
            .contains("off under profile gpmc")
    );
    assert!(!v["what"].as_str().unwrap().is_empty());
    assert!(!v["why"].as_str().unwrap().is_empty());
    let r = gpforge(&["explain", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert!(all.as_array().unwrap().len() > 100);
}

/// `-q` and gpforge.toml's `[build]` and `[audit]` tables, as validate has them.
#[test]
fn build_and_audit_take_quiet_and_settings() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    copy_dir(Path::new("definitions"), &root.join("defs"));
    std::fs::copy("output/baselines/disa-stig/apply.reg", root.join("WS1.reg")).unwrap();
    let bench =
        std::fs::canonicalize("tests/fixtures/stig/U_MS_Outlook_2016_STIG_V2R4_Manual-xccdf.xml")
            .unwrap();
    std::fs::write(
        root.join("gpforge.toml"),
        format!(
            "[build]\ndefinitions = \"defs\"\nout = \"built\"\nquiet = true\n\n[audit]\nbaseline = \"disa-stig\"\ndefinitions = \"defs\"\nbenchmark = [{:?}]\n",
            bench.display().to_string()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gpforge"))
            .args(args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let r = run(&["build"]);
    let err = text(&r.stderr);
    assert!(r.status.success(), "{err}");
    assert!(
        root.join("built/PolicyDefinitions/outlook_smime.admx")
            .is_file()
    );
    assert!(
        !err.contains("warning[") && !err.contains("translations of"),
        "quiet: {err}"
    );
    assert!(
        err.contains("(config ") && err.contains("gpforge.toml"),
        "{err}"
    );
    let r = run(&["audit", "WS1.reg"]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    assert!(text(&r.stdout).contains("compliant"));
    let r = run(&["audit", "-q", "WS1.reg"]);
    assert!(r.stdout.is_empty());
    assert!(
        text(&r.stderr).contains("baseline disa-stig: 16 setting(s)"),
        "{}",
        text(&r.stderr)
    );
    // The benchmark comes from the settings too.
    let r = run(&["audit", "--format", "ckl", "WS1.reg"]);
    assert!(
        text(&r.stdout).contains("<CHECKLIST>"),
        "{}",
        text(&r.stderr)
    );
    // A flag replaces the setting.
    let r = run(&["build", "--out", "elsewhere"]);
    assert!(r.status.success());
    assert!(
        root.join("elsewhere/PolicyDefinitions/outlook_smime.admx")
            .is_file()
    );
}
