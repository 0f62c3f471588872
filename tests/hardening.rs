//! Hostile inputs and output folders: one regression test per class of defect found by an
//! adversarial audit (data loss, writes outside `--out`, interrupted and concurrent builds,
//! file modes, injection into outputs, unbounded cost, special files, lossy reading).

#![cfg(unix)]

mod common;

use common::copy_dir;
use gpforge::app::compile_dir;
use gpforge::backend::Artifact;
use gpforge::emit::{self, Fault, Step};
use std::collections::BTreeMap;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");
const KINDS: &str = "tests/fixtures/kinds";

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("gpforge runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every regular file under `dir` (relative path → bytes); links are listed as such.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            let t = e.file_type().unwrap();
            if t.is_symlink() {
                out.insert(rel, b"<link>".to_vec());
            } else if t.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

/// Two definitions folders that build to different trees: the kinds fixture, and a copy whose
/// template has another revision and one baseline fewer (so files are changed and removed).
fn two_definitions(tmp: &Path) -> (PathBuf, PathBuf) {
    let a = tmp.join("defs-a");
    let b = tmp.join("defs-b");
    copy_dir(Path::new(KINDS), &a);
    copy_dir(Path::new(KINDS), &b);
    let t = b.join("every-kind/template.toml");
    let s = std::fs::read_to_string(&t).unwrap();
    std::fs::write(&t, s.replace("revision = \"2.3\"", "revision = \"2.4\"")).unwrap();
    std::fs::copy(
        b.join("baselines/every-state.toml"),
        a.join("baselines/second.toml"),
    )
    .unwrap();
    (a, b)
}

fn artifacts(defs: &Path) -> Vec<Artifact> {
    let c = compile_dir(defs).unwrap();
    assert!(
        !c.has_errors(),
        "{}",
        c.render(
            gpforge::cli::DiagFormat::Short,
            gpforge::diag::Severity::Warning
        )
    );
    c.artifacts
}

fn import_into(admx: &Path, defs: &Path) -> Output {
    run(&[
        "import",
        admx.to_str().unwrap(),
        "--out",
        defs.to_str().unwrap(),
    ])
}

/// A folder holding the clean fixture's ADMX (edited by `admx`) and en-US ADML (by `adml`).
fn clean_source(
    dir: &Path,
    admx: impl Fn(String) -> String,
    adml: impl Fn(String) -> String,
) -> PathBuf {
    std::fs::create_dir_all(dir.join("en-US")).unwrap();
    let a = std::fs::read_to_string("tests/fixtures/validate/clean/app.admx").unwrap();
    let l = std::fs::read_to_string("tests/fixtures/validate/clean/en-US/app.adml").unwrap();
    std::fs::write(dir.join("app.admx"), admx(a)).unwrap();
    std::fs::write(dir.join("en-US/app.adml"), adml(l)).unwrap();
    dir.join("app.admx")
}

// 1. Names derived from input are checked before they become paths.
#[test]
fn import_of_a_dot_named_admx_never_touches_the_parent_of_out() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    let defs = work.join("definitions");
    std::fs::create_dir_all(&defs).unwrap();
    std::fs::write(work.join("precious.txt"), "keep me").unwrap();
    std::fs::write(defs.join("mine.txt"), "keep me too").unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("en-US")).unwrap();
    let admx = std::fs::read("tests/fixtures/validate/clean/app.admx").unwrap();
    let adml = std::fs::read("tests/fixtures/validate/clean/en-US/app.adml").unwrap();
    for stem in ["..", ".", "CON", "nul"] {
        std::fs::write(src.join(format!("{stem}.admx")), &admx).unwrap();
        std::fs::write(src.join(format!("en-US/{stem}.adml")), &adml).unwrap();
        let before = tree(&work);
        let o = run(&[
            "import",
            src.join(format!("{stem}.admx")).to_str().unwrap(),
            "--out",
            defs.to_str().unwrap(),
            "--force",
        ]);
        assert_eq!(o.status.code(), Some(2), "{stem}: {}", text(&o));
        assert!(text(&o).contains("not usable"), "{stem}: {}", text(&o));
        assert_eq!(tree(&work), before, "{stem}: the folders changed");
    }
}

// 3. Baseline names: newline, dot names, device names.
#[test]
fn baseline_file_names_that_are_no_file_names_are_refused() {
    for name in ["a\nb", "..", "CON", "com1.x"] {
        let tmp = tempfile::tempdir().unwrap();
        let defs = tmp.path().join("defs");
        copy_dir(Path::new(KINDS), &defs);
        std::fs::copy(
            defs.join("baselines/every-state.toml"),
            defs.join(format!("baselines/{name}.toml")),
        )
        .unwrap();
        let c = compile_dir(&defs).unwrap();
        assert!(
            c.diags
                .iter()
                .any(|d| d.code == gpforge::diag::Code::D020 && d.message.contains("baseline")),
            "{name:?}"
        );
        assert!(c.artifacts.is_empty());
    }
}

// 2. Links in --out: never written or deleted through.
#[test]
fn a_link_planted_in_out_is_never_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let outside = tmp.path().join("home");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join(".bashrc"), "precious").unwrap();
    let arts = artifacts(Path::new(KINDS));
    emit::write(&out, &arts).unwrap();

    // A manifest line through a linked folder: the next build must not delete through it.
    symlink("../home", out.join("docs-link")).unwrap();
    let mut manifest = std::fs::read_to_string(out.join(".gpforge-manifest")).unwrap();
    manifest.push_str("docs-link/.bashrc\n");
    std::fs::write(out.join(".gpforge-manifest"), manifest).unwrap();
    let r = emit::write(&out, &arts).unwrap();
    assert_eq!(r.kept, vec![PathBuf::from("docs-link/.bashrc")]);
    assert_eq!(
        std::fs::read_to_string(outside.join(".bashrc")).unwrap(),
        "precious"
    );

    // A linked folder where a baseline's files go: refused, nothing written anywhere.
    let baseline = out.join("baselines/every-state");
    std::fs::remove_dir_all(&baseline).unwrap();
    symlink("../../home", &baseline).unwrap();
    let before_out = tree(&out);
    let o = run(&[
        "build",
        "--definitions",
        KINDS,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("symbolic link"), "{}", text(&o));
    assert_eq!(tree(&outside).len(), 1, "nothing written outside --out");
    assert_eq!(tree(&out), before_out, "nothing written inside either");
    // `--check` names it too.
    let stale = emit::check(&out, &arts);
    assert!(
        stale
            .iter()
            .any(|s| matches!(s, emit::Stale::Link(p) if p == Path::new("baselines/every-state"))),
        "{stale:?}"
    );
}

// 4. A build killed or failing at any point leaves the old tree or the new one.
#[test]
fn a_build_interrupted_at_any_step_leaves_the_old_or_the_new_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_definitions(tmp.path());
    let (old, new) = (artifacts(&a), artifacts(&b));
    let reference = tmp.path().join("reference");
    emit::write(&reference.join("old"), &old).unwrap();
    emit::write(&reference.join("new"), &new).unwrap();
    let old_tree = tree(&reference.join("old"));
    let new_tree = tree(&reference.join("new"));
    assert_ne!(old_tree, new_tree);

    // Count the steps of one transaction.
    let count = tmp.path().join("count");
    emit::write(&count, &old).unwrap();
    let mut steps = Vec::new();
    emit::write_with(&count, &new, &mut |s| {
        steps.push(s.clone());
        Fault::None
    })
    .unwrap();
    assert!(steps.len() > 10, "{steps:?}");

    for (k, step) in steps.iter().enumerate() {
        for fault in [Fault::Crash, Fault::Io] {
            let out = tmp.path().join(format!("out-{k}-{fault:?}"));
            emit::write(&out, &old).unwrap();
            let r = emit::write_with(&out, &new, &mut |s| {
                if s == step { fault } else { Fault::None }
            });
            assert!(r.is_err(), "{step:?} {fault:?}");
            // What the next gpforge run (or a reader after it) sees.
            emit::recover_dir(&out).unwrap();
            let got = tree(&out);
            let committed = matches!(step, Step::Apply(_) | Step::Cleanup);
            match (fault, committed) {
                (Fault::Crash, true) | (Fault::Io, true) => {
                    assert_eq!(
                        got, new_tree,
                        "{step:?} {fault:?}: a committed build completes"
                    )
                }
                _ => assert_eq!(got, old_tree, "{step:?} {fault:?}: the old tree stays"),
            }
            assert!(!out.join(emit::STAGING).exists());
        }
    }
}

// 4. The same with the real process, killed at random moments.
#[test]
fn a_killed_build_process_leaves_the_old_or_the_new_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_definitions(tmp.path());
    let reference = tmp.path().join("reference");
    emit::write(&reference.join("old"), &artifacts(&a)).unwrap();
    emit::write(&reference.join("new"), &artifacts(&b)).unwrap();
    let old_tree = tree(&reference.join("old"));
    let new_tree = tree(&reference.join("new"));
    let mut seen = (0, 0);
    for i in 0..24u64 {
        let out = tmp.path().join(format!("out-{i}"));
        emit::write(&out, &artifacts(&a)).unwrap();
        let mut child = Command::new(BIN)
            .args(["build", "--definitions", b.to_str().unwrap(), "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(i * i * 150));
        let _ = child.kill();
        let _ = child.wait();
        emit::recover_dir(&out).unwrap();
        let got = tree(&out);
        if got == old_tree {
            seen.0 += 1;
        } else if got == new_tree {
            seen.1 += 1;
        } else {
            panic!("run {i}: a mix of the old and the new tree");
        }
    }
    eprintln!(
        "killed builds: {} left the old tree, {} the new one",
        seen.0, seen.1
    );
}

// 4. Concurrent builds: one of the two results, never a mix; concurrent imports leave nothing.
#[test]
fn concurrent_builds_leave_one_whole_result() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_definitions(tmp.path());
    let reference = tmp.path().join("reference");
    emit::write(&reference.join("a"), &artifacts(&a)).unwrap();
    emit::write(&reference.join("b"), &artifacts(&b)).unwrap();
    let (ta, tb) = (tree(&reference.join("a")), tree(&reference.join("b")));
    for round in 0..8 {
        let out = tmp.path().join(format!("out-{round}"));
        let spawn = |defs: &Path| {
            Command::new(BIN)
                .args(["build", "--definitions", defs.to_str().unwrap(), "--out"])
                .arg(&out)
                .output()
                .unwrap()
        };
        let (oa, ob) = std::thread::scope(|s| {
            let ha = s.spawn(|| spawn(&a));
            let hb = s.spawn(|| spawn(&b));
            (ha.join().unwrap(), hb.join().unwrap())
        });
        assert!(oa.status.success() && ob.status.success());
        let got = tree(&out);
        assert!(got == ta || got == tb, "round {round}: mixed output");
    }
    // Two imports of one ADMX into one folder: one wins, the other reports, nothing is left over.
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("en-US")).unwrap();
    std::fs::copy(
        "tests/fixtures/validate/clean/app.admx",
        src.join("app.admx"),
    )
    .unwrap();
    std::fs::copy(
        "tests/fixtures/validate/clean/en-US/app.adml",
        src.join("en-US/app.adml"),
    )
    .unwrap();
    let defs = tmp.path().join("imported");
    let admx = src.join("app.admx");
    std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    run(&[
                        "import",
                        admx.to_str().unwrap(),
                        "--out",
                        defs.to_str().unwrap(),
                    ])
                })
            })
            .collect();
        let ok = hs
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|o| o.status.code() != Some(2))
            .count();
        assert_eq!(ok, 1, "exactly one import creates the folder");
    });
    let names: Vec<String> = std::fs::read_dir(&defs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["app".to_string()], "no staging folders left");
}

// 5. Output files honour the umask, on first build and on rebuild.
#[test]
fn output_files_honour_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_definitions(tmp.path());
    let out = tmp.path().join("out");
    for (defs, umask, file_mode) in [(&a, "022", 0o644), (&b, "027", 0o640)] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" build --definitions \"$1\" --out \"$2\""
            ))
            .arg(BIN)
            .arg(defs)
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
        let adml = out.join("PolicyDefinitions/en-US/every_kind.adml");
        let mode = std::fs::metadata(&adml).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, file_mode, "umask {umask}: {mode:o}");
    }
}

// 8. CSV cells and Markdown.
#[test]
fn formulas_and_html_from_definitions_stay_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("defs");
    copy_dir(Path::new(KINDS), &defs);
    let t = defs.join("every-kind/template.toml");
    let s = std::fs::read_to_string(&t).unwrap();
    let s = s.replacen(
        "display_name = \"Every element kind\"",
        "display_name = \"=HYPERLINK(\\\"http://x\\\")\"",
        1,
    );
    std::fs::write(&t, s).unwrap();
    let b = defs.join("baselines/every-state.toml");
    let s = std::fs::read_to_string(&b).unwrap();
    let s = s.replacen("[baseline]\n", "[baseline]\n# hostile\n", 1);
    let s = regex_free_replace_title(&s, "<script>alert(1)</script> [x](javascript:alert(1))");
    std::fs::write(&b, s).unwrap();
    let c = compile_dir(&defs).unwrap();
    assert!(!c.has_errors());
    let get = |p: &str| {
        String::from_utf8(
            c.artifacts
                .iter()
                .find(|a| a.path == Path::new(p))
                .unwrap_or_else(|| panic!("{p}"))
                .bytes
                .clone(),
        )
        .unwrap()
    };
    let readme = get("baselines/every-state/README.md");
    assert!(!readme.contains("<script>"), "{readme}");
    assert!(readme.contains("&lt;script&gt;"));
    assert!(readme.contains("\\[x\\](javascript:"));
    let csv = get("baselines/every-state/intune.csv");
    for line in csv.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{line}");
        }
    }
}

fn regex_free_replace_title(toml: &str, title: &str) -> String {
    toml.lines()
        .map(|l| {
            if l.starts_with("title = ") {
                format!("title = {title:?}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// 9. A one-line ADMX with 100,000 bad attributes: bounded report, every finding counted.
#[test]
fn a_huge_one_line_admx_gets_a_bounded_report() {
    let tmp = tempfile::tempdir().unwrap();
    let attrs: Vec<String> = (0..100_000).map(|i| format!("b{i}=\"x\"")).collect();
    let admx = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><policyDefinitions xmlns=\"http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions\" revision=\"1.0\" schemaVersion=\"1.0\" {}><policyNamespaces><target prefix=\"a\" namespace=\"A.B\"/></policyNamespaces><resources minRequiredRevision=\"1.0\"/></policyDefinitions>",
        attrs.join(" ")
    );
    assert!(admx.len() > 1_000_000);
    let p = tmp.path().join("x.admx");
    std::fs::write(&p, admx).unwrap();
    for format in ["human", "short"] {
        let o = run(&[
            "validate",
            "--select",
            "V021",
            "--format",
            format,
            p.to_str().unwrap(),
        ]);
        let out = String::from_utf8_lossy(&o.stderr);
        assert!(out.len() < 200_000, "{format}: {} bytes", out.len());
        assert!(out.contains("100000 warning(s)"), "{format}");
        assert!(out.contains("99900 more V021"), "{format}");
    }
}

// 10. FIFOs and devices in a store: reported, never read (the test would hang otherwise).
#[test]
fn special_files_in_a_store_are_reported_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    copy_dir(Path::new("tests/fixtures/validate/clean"), &store);
    assert!(
        Command::new("mkfifo")
            .arg(store.join("fifo.admx"))
            .status()
            .unwrap()
            .success()
    );
    symlink("/dev/zero", store.join("zero.admx")).unwrap();
    // Larger than any template may be (a sparse file: no disk used).
    std::fs::File::create(store.join("big.admx"))
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    std::fs::write(tmp.path().join("secret"), "password=hunter2").unwrap();
    symlink("../secret", store.join("secret.admx")).unwrap();
    let mut child = Command::new(BIN)
        .args(["validate", "--format", "short"])
        .arg(&store)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() > 60 {
            let _ = child.kill();
            panic!("validate blocked on a special file");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stderr);
    for f in ["fifo.admx", "zero.admx", "secret.admx", "big.admx"] {
        assert!(
            out.lines().any(|l| l.contains(f) && l.contains("V005")),
            "{f}: {out}"
        );
    }
    assert!(!out.contains("hunter2"), "{out}");
    // The same for diff (explicit paths are followed, but only regular files are read).
    let z = tmp.path().join("z.admx");
    symlink("/dev/zero", &z).unwrap();
    let o = run(&["diff", z.to_str().unwrap(), z.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("not a regular file"), "{}", text(&o));
}

// 11. Import writes TOML that parses, keeps literal `$(string.X)` texts, names paths in errors.
#[test]
fn import_keeps_what_it_reads_and_errors_name_their_path() {
    let tmp = tempfile::tempdir().unwrap();
    // A display text that reads `$(string.Other)` literally.
    let admx_path = clean_source(
        &tmp.path().join("src"),
        |a| a,
        |l| {
            assert!(
                l.contains("<string id=\"Simple\">Simple setting</string>"),
                "fixture text changed"
            );
            l.replacen(
                "<string id=\"Simple\">Simple setting</string>",
                "<string id=\"Simple\">$(string.Other)</string>",
                1,
            )
        },
    );
    let defs = tmp.path().join("defs");
    let o = import_into(&admx_path, &defs);
    assert!(o.status.success(), "{}", text(&o));
    let c = compile_dir(&defs).unwrap();
    assert!(
        !c.has_errors(),
        "{}",
        c.render(
            gpforge::cli::DiagFormat::Short,
            gpforge::diag::Severity::Warning
        )
    );
    let adml_out = c
        .artifacts
        .iter()
        .find(|a| a.path.ends_with("en-US/app.adml"))
        .unwrap();
    assert!(
        String::from_utf8_lossy(&adml_out.bytes).contains(">$(string.Other)</string>"),
        "the literal text survives the round trip"
    );
    // Errors name the path they happened on.
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = run(&[
        "build",
        "--definitions",
        KINDS,
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("a-file"), "{}", text(&o));
}

#[test]
fn toml_comments_never_carry_control_characters() {
    // The comment writer of import escapes what TOML comments cannot hold: a DEL in a category
    // name (the category's comment heads its policies file).
    let tmp = tempfile::tempdir().unwrap();
    let admx_path = clean_source(
        &tmp.path().join("src"),
        |a| {
            let first = a
                .split("<category name=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .expect("the clean fixture has a category")
                .to_string();
            a.replace(&format!("\"{first}\""), &format!("\"{first}\u{7f}\""))
        },
        |l| l,
    );
    let defs = tmp.path().join("defs");
    let _ = import_into(&admx_path, &defs);
    for (p, t) in tree(&defs) {
        let t = String::from_utf8(t).unwrap();
        assert!(
            toml::from_str::<toml::Table>(&t).is_ok(),
            "{}: does not parse",
            p.display()
        );
    }
}

// 11. `&#13;&#10;` in an attribute is a CR LF, not a space: diff sees the difference.
#[test]
fn character_references_in_attributes_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let admx = std::fs::read_to_string("tests/fixtures/validate/clean/app.admx").unwrap();
    let key = admx
        .split(" key=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    for (dir, k) in [
        ("a", format!("{key} x")),
        ("b", format!("{key}&#13;&#10;x")),
    ] {
        let d = tmp.path().join(dir);
        std::fs::create_dir_all(d.join("en-US")).unwrap();
        std::fs::write(
            d.join("app.admx"),
            admx.replacen(&format!(" key=\"{key}\""), &format!(" key=\"{k}\""), 1),
        )
        .unwrap();
        std::fs::copy(
            "tests/fixtures/validate/clean/en-US/app.adml",
            d.join("en-US/app.adml"),
        )
        .unwrap();
    }
    let o = run(&[
        "diff",
        tmp.path().join("a/app.admx").to_str().unwrap(),
        tmp.path().join("b/app.admx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

// 7. Raw illegal characters and references to them: not well-formed (V001), in validate and in
// build's self-check alike (both read through the same parser).
#[test]
fn illegal_xml_characters_are_not_well_formed() {
    let admx = std::fs::read_to_string("tests/fixtures/validate/clean/app.admx").unwrap();
    let adml = std::fs::read("tests/fixtures/validate/clean/en-US/app.adml").unwrap();
    for bad in ["\u{1}", "&#1;", "\u{FFFF}", "&#xFFFE;"] {
        let text = admx.replacen(
            "</policyDefinitions>",
            &format!("<!-- -->{bad}</policyDefinitions>"),
            1,
        );
        let text = if bad.starts_with('&') {
            // In an attribute value too.
            text.replacen(" key=\"", &format!(" key=\"{bad}"), 1)
        } else {
            text
        };
        let r = gpforge::validate::validate_memory(
            &[
                ("app.admx".to_string(), text.into_bytes()),
                ("en-US/app.adml".to_string(), adml.clone()),
            ],
            gpforge::validate::Profile::Schema,
        )
        .unwrap();
        assert!(
            r.diags.iter().any(|d| d.code == gpforge::diag::Code::V001),
            "{bad:?}: {:?}",
            r.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }
}

// 4. Leftovers: older versions' `.tmpXXXXXX` files and an import's staging folder.
#[test]
fn leftovers_are_reported_and_removed_and_never_break_a_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let arts = artifacts(Path::new(KINDS));
    emit::write(&out, &arts).unwrap();
    let leftover = out.join("PolicyDefinitions/.tmpAb12Cd");
    std::fs::write(&leftover, vec![0u8; 4 << 20]).unwrap();
    let stale = emit::check(&out, &arts);
    assert_eq!(
        stale,
        vec![emit::Stale::Leftover(PathBuf::from(
            "PolicyDefinitions/.tmpAb12Cd"
        ))]
    );
    let r = emit::write(&out, &arts).unwrap();
    assert_eq!(
        r.recovered,
        vec!["removed leftover PolicyDefinitions/.tmpAb12Cd".to_string()]
    );
    assert!(!leftover.exists());
    assert!(emit::check(&out, &arts).is_empty());

    // A staging folder an interrupted import left in a definitions folder is not a template.
    let defs = tmp.path().join("defs");
    copy_dir(Path::new(KINDS), &defs);
    copy_dir(
        &defs.join("every-kind"),
        &defs.join(".every-kind.import.1234"),
    );
    let c = compile_dir(&defs).unwrap();
    assert!(!c.has_errors());
}
