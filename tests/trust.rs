//! One regression test per defect of the hostile-contributor and Intune-admin review: each is
//! named after the defect (`d1_…` to `d13_…`) and modelled on its case.

#![cfg(unix)]

mod common;

use common::copy_dir;
use gpforge::app::compile_dir;
use gpforge::backend::Artifact;
use gpforge::emit;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");
const KINDS: &str = "tests/fixtures/kinds";

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("gpforge runs")
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gpforge runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn artifacts(defs: &Path) -> Vec<Artifact> {
    let c = compile_dir(defs).unwrap();
    assert!(!c.has_errors());
    c.artifacts
}

/// A built output folder, a precious file and folder outside it, and the artifacts.
fn built(tmp: &Path) -> (PathBuf, PathBuf, Vec<Artifact>) {
    let out = tmp.join("out");
    let outside = tmp.join("outside");
    std::fs::create_dir_all(outside.join("repo/.git")).unwrap();
    std::fs::write(outside.join("victim"), "precious").unwrap();
    std::fs::write(outside.join("repo/.git/HEAD"), "ref: main").unwrap();
    let arts = artifacts(Path::new(KINDS));
    emit::write(&out, &arts).unwrap();
    (out, outside, arts)
}

fn outside_intact(outside: &Path) {
    assert_eq!(
        std::fs::read_to_string(outside.join("victim")).unwrap(),
        "precious"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("repo/.git/HEAD")).unwrap(),
        "ref: main"
    );
}

#[test]
fn d1_a_planted_journal_never_moves_a_file_into_out() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, outside, arts) = built(tmp.path());
    let victim = outside.join("victim");
    let git = outside.join("repo/.git");
    let staging = out.join(emit::STAGING);
    type Setup = Box<dyn Fn(&Path)>;
    let cases: Vec<(String, Setup)> = vec![
        // `../../x` relative to the staging folder.
        (
            "put\t../../outside/victim\tdocs/stolen\n".into(),
            Box::new(|_: &Path| {}),
        ),
        // An absolute path.
        (
            format!("put\t{}\tdocs/stolen\n", victim.display()),
            Box::new(|_: &Path| {}),
        ),
        // A folder (a repository's .git) through a link in the staging folder.
        (
            "put\tg\tdocs/git\n".into(),
            Box::new({
                let git = git.clone();
                move |st: &Path| symlink(&git, st.join("g")).unwrap()
            }),
        ),
        // A real folder in the staging folder.
        (
            "put\td\tdocs/dir\n".into(),
            Box::new(|st: &Path| {
                std::fs::create_dir(st.join("d")).unwrap();
                std::fs::write(st.join("d/f"), "x").unwrap();
            }),
        ),
        // A link to a file.
        (
            "put\tl\tdocs/link\n".into(),
            Box::new({
                let victim = victim.clone();
                move |st: &Path| symlink(&victim, st.join("l")).unwrap()
            }),
        ),
        // A valid line followed by a broken one: nothing of the journal is carried out.
        (
            "put\t0\tdocs/ok\nput\t../x\tdocs/stolen\n".into(),
            Box::new(|st: &Path| std::fs::write(st.join("0"), "staged").unwrap()),
        ),
        // A target in the staging folder, an unknown verb.
        (
            "put\t0\t.gpforge-staging/x\n".into(),
            Box::new(|st: &Path| std::fs::write(st.join("0"), "staged").unwrap()),
        ),
        ("mv\t0\tdocs/x\n".into(), Box::new(|_: &Path| {})),
    ];
    let before: Vec<_> = walk(&out);
    for (journal, setup) in cases {
        std::fs::create_dir_all(&staging).unwrap();
        setup(&staging);
        std::fs::write(staging.join("journal"), &journal).unwrap();
        let r = emit::write(&out, &arts).unwrap();
        assert!(
            r.recovered
                .iter()
                .any(|w| w.starts_with("warning: discarded .gpforge-staging/journal")),
            "{journal:?}: {:?}",
            r.recovered
        );
        outside_intact(&outside);
        assert!(git.join("HEAD").exists(), "{journal:?}");
        assert!(
            !staging.exists(),
            "{journal:?}: the planted staging folder is discarded"
        );
        for stolen in [
            "docs/stolen",
            "docs/git",
            "docs/dir",
            "docs/link",
            "docs/ok",
            "docs/x",
        ] {
            assert!(
                std::fs::symlink_metadata(out.join(stolen)).is_err(),
                "{journal:?} made {stolen}"
            );
        }
        assert_eq!(
            walk(&out),
            before,
            "{journal:?}: the output tree is untouched"
        );
        assert!(emit::check(&out, &arts).is_empty());
    }
    // Through the command line: the warning is shown, exit 0, nothing moved.
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(
        staging.join("journal"),
        "put\t../../outside/victim\tdocs/stolen\n",
    )
    .unwrap();
    let defs = tmp.path().join("defs");
    copy_dir(Path::new(KINDS), &defs);
    let o = run(&[
        "build",
        "--definitions",
        defs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("warning: ") && t.contains("gpforge did not write"),
        "{t}"
    );
    outside_intact(&outside);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    fn go(root: &Path, d: &Path, v: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            v.push(p.strip_prefix(root).unwrap().to_path_buf());
            if e.file_type().unwrap().is_dir() {
                go(root, &p, v);
            }
        }
    }
    go(dir, dir, &mut v);
    v.sort();
    v
}

#[test]
fn d3_the_clean_up_never_deletes_through_a_linked_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, outside, arts) = built(tmp.path());
    std::fs::create_dir_all(outside.join("sub")).unwrap();
    let tmpfile = outside.join("sub/.tmpAb12Cd");
    std::fs::write(&tmpfile, "not gpforge's").unwrap();
    symlink(&outside, out.join("l")).unwrap();
    let m = out.join(emit::MANIFEST);
    let mut s = std::fs::read_to_string(&m).unwrap();
    s.push_str("l/sub/x.admx\n");
    std::fs::write(&m, s).unwrap();
    assert!(
        !emit::check(&out, &arts)
            .iter()
            .any(|s| matches!(s, emit::Stale::Leftover(p) if p.starts_with("l"))),
        "a file behind a link is not a leftover of ours"
    );
    emit::write(&out, &arts).unwrap();
    assert!(tmpfile.exists(), "deleted through the linked folder");
    outside_intact(&outside);
}

#[test]
fn d11_import_states_never_writes_through_a_linked_baselines_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("defs");
    copy_dir(Path::new("definitions"), &defs);
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::rename(defs.join("baselines"), outside.join("baselines")).unwrap();
    symlink(outside.join("baselines"), defs.join("baselines")).unwrap();
    let o = run(&[
        "import",
        "--states",
        "output/baselines/smime-strict/User/Registry.pol",
        "--name",
        "site",
        "--out",
        defs.to_str().unwrap(),
    ]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("symbolic link"), "{t}");
    assert!(!outside.join("baselines/site.toml").exists());
    // Without the link it is written.
    std::fs::remove_file(defs.join("baselines")).unwrap();
    std::fs::create_dir(defs.join("baselines")).unwrap();
    let o = run(&[
        "import",
        "--states",
        "output/baselines/smime-strict/User/Registry.pol",
        "--name",
        "site",
        "--out",
        defs.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(defs.join("baselines/site.toml").is_file());
}

#[test]
fn d11_every_writer_refuses_a_link_on_its_path() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    symlink(&outside, out.join("l")).unwrap();
    for rel in ["l/x", "l/sub/x", "l"] {
        let e = emit::put_file(&out, Path::new(rel), b"x").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{rel}: {e}");
    }
    for rel in ["../x", "/tmp/x", ""] {
        assert!(emit::put_file(&out, Path::new(rel), b"x").is_err(), "{rel}");
    }
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    emit::put_file(&out, Path::new("a/b/c.txt"), b"ok").unwrap();
    assert_eq!(std::fs::read(out.join("a/b/c.txt")).unwrap(), b"ok");
    let _ = run_in;
}

#[test]
fn d4_deletions_remove_the_key_and_its_subkeys_only() {
    use gpforge::model::effect::Hive;
    use gpforge::state::{Op, Snapshot};
    let set = |h, k: &str, n: &str| Op::Set {
        hive: h,
        key: k.into(),
        name: n.into(),
        ty: 4,
        data: vec![1, 0, 0, 0],
        soft: false,
    };
    let mut s = Snapshot::new();
    s.apply(&[
        set(Hive::User, "Software\\A", "v"),
        set(Hive::User, "Software\\A\\B", "v"),
        set(Hive::User, "Software\\A\\B\\C", "v"),
        set(Hive::User, "Software\\AB", "v"),
        set(Hive::User, "Software\\A-x", "v"),
        set(Hive::Machine, "Software\\A\\B", "v"),
    ]);
    assert_eq!(s.len(), 6);
    s.apply(&[Op::DeleteKey {
        hive: Hive::User,
        key: "software\\a".into(),
    }]);
    let left: Vec<String> = s.iter().map(|(h, v)| format!("{h:?} {}", v.key)).collect();
    assert_eq!(
        left,
        [
            "User Software\\A-x",
            "User Software\\AB",
            "Machine Software\\A\\B"
        ]
    );
    assert_eq!(s.len(), 3);
    assert!(s.get(Hive::User, "Software\\A\\B", "v").is_none());
    assert!(s.get(Hive::Machine, "SOFTWARE\\a\\b", "V").is_some());
    s.apply(&[Op::DeleteAllValues {
        hive: Hive::User,
        key: "Software\\AB".into(),
    }]);
    assert_eq!(s.len(), 2);
    assert_eq!(s.values_of(Hive::User, "software\\a-x").count(), 1);

    // LGPO CLEAR drops only the commands given before it for its own key.
    let t = "User\nK\\A\nv\nDWORD:1\n\nUser\nK\\B\nv\nDWORD:2\n\nUser\nk\\a\n*\nCLEAR\n\nUser\nK\\A\nw\nDWORD:3\n";
    let ops = gpforge::state::lgpo::parse("l.txt", t).unwrap();
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert!(matches!(&ops[0], Op::Set { key, .. } if key == "K\\B"));
    assert!(matches!(&ops[1], Op::Set { key, name, .. } if key == "K\\A" && name == "w"));
}
