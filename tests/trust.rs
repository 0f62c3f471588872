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

/// The values a sequence of operations leaves, as comparable text.
fn values(ops: &[gpforge::state::Op]) -> Vec<String> {
    let mut s = gpforge::state::Snapshot::new();
    s.apply(ops);
    s.iter()
        .map(|(h, v)| format!("{h:?}\\{}\\{} = {} {:?}", v.key, v.name, v.ty, v.data))
        .collect()
}

/// LGPO text read back gives exactly the operations it was not told to leave out.
fn lgpo_round_trip(ops: &[gpforge::model::effect::RegOp]) {
    use gpforge::backend::lgpo;
    use gpforge::state::Op;
    let text = lgpo::render_ops("t", ops);
    let kept: Vec<Op> = ops
        .iter()
        .filter(|o| lgpo::problem(o).is_none())
        .map(|o| {
            let mut op = Op::from_model(o);
            if let Op::Set { soft, .. } = &mut op {
                *soft = false;
            }
            op
        })
        .collect();
    let read =
        gpforge::state::lgpo::parse("lgpo.txt", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(values(&read), values(&kept), "{text}");
    // The deletions come back too, in order.
    let dels = |v: &[Op]| -> Vec<String> {
        v.iter()
            .filter(|o| !matches!(o, Op::Set { .. }))
            .map(|o| format!("{o:?}"))
            .collect()
    };
    assert_eq!(dels(&read), dels(&kept), "{text}");
}

#[test]
fn d6_every_generated_lgpo_text_reads_back_as_written() {
    for defs in ["definitions", KINDS] {
        let c = compile_dir(Path::new(defs)).unwrap();
        for b in &c.set.baselines {
            let t = &c.set.templates[b.template];
            lgpo_round_trip(&gpforge::model::effect::apply_all(t, &b.settings));
            // The file on disk is the one audited: its own baseline is compliant.
            if defs == "definitions" {
                let f = format!("output/baselines/{}/lgpo.txt", b.name);
                let o = run(&["audit", "--baseline", &b.name, &f]);
                assert!(o.status.success(), "{f}: {}", text(&o));
            }
        }
    }
}

#[test]
fn d6_what_lgpo_text_cannot_carry_is_left_out_with_b010() {
    use gpforge::model::baseline::RegData;
    use gpforge::model::effect::{Action, Hive, RegOp};
    let set = |key: &str, name: &str, data: RegData| RegOp {
        hive: Hive::User,
        key: key.into(),
        action: Action::Set {
            name: name.into(),
            data,
            soft: false,
        },
    };
    let bad = [
        set("K", ";comment", RegData::Dword(1)),
        set("K", " padded ", RegData::Dword(1)),
        set("K", "(Default)", RegData::Dword(1)),
        set("K", "m", RegData::MultiSz(vec!["a\\0b".into()])),
        set("K", "s", RegData::Sz("a\nb".into())),
        set(";K", "v", RegData::Dword(1)),
    ];
    for op in &bad {
        assert!(gpforge::backend::lgpo::problem(op).is_some(), "{op:?}");
    }
    let mut ops = bad.to_vec();
    ops.push(set("K", "after", RegData::Dword(7)));
    ops.push(set("K", "", RegData::Sz("default value".into())));
    ops.push(set("K", "semi;inside", RegData::Sz(" spaced ".into())));
    lgpo_round_trip(&ops);
    let lgpo = gpforge::backend::lgpo::render_ops("t", &ops);
    assert_eq!(lgpo.matches("; left out: ").count(), bad.len(), "{lgpo}");
    assert!(lgpo.contains("; left out: K\\;comment: "), "{lgpo}");
    assert!(
        lgpo.contains("; left out: K\\s: its value holds a line break"),
        "{lgpo}"
    );

    // Through a build: a hostile value name in a registry-only setting is a B010 warning.
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("defs");
    copy_dir(Path::new(KINDS), &defs);
    let b = defs.join("baselines/every-state.toml");
    let s = std::fs::read_to_string(&b).unwrap();
    assert!(s.contains("IText = \"two\\nlines & <xml>\""));
    let o = run(&[
        "build",
        "--definitions",
        defs.to_str().unwrap(),
        "--out",
        tmp.path().join("out").to_str().unwrap(),
    ]);
    assert!(text(&o).contains("B010"), "{}", text(&o));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, failure_persistence: None, ..Default::default() })]

    /// Any name and string data: left out with B010, or read back exactly.
    #[test]
    fn d6_lgpo_text_is_exact_or_refused(
        name in "[a-z;() \\\\0\n\t*Dd]{0,12}",
        data in "[a-z;() \\\\0\n]{0,12}",
        items in proptest::collection::vec("[a-z\\\\0 ]{0,5}", 1..4),
    ) {
        use gpforge::model::baseline::RegData;
        use gpforge::model::effect::{Action, Hive, RegOp};
        let ops = vec![
            RegOp { hive: Hive::User, key: "K".into(), action: Action::Set { name: name.clone(), data: RegData::Sz(data), soft: false } },
            RegOp { hive: Hive::Machine, key: "K".into(), action: Action::Set { name: "m".into(), data: RegData::MultiSz(items), soft: false } },
            RegOp { hive: Hive::User, key: "K".into(), action: Action::Set { name: "z".into(), data: RegData::Dword(3), soft: false } },
        ];
        lgpo_round_trip(&ops);
    }
}

#[test]
fn d7_a_truncated_or_corrupt_hive_is_unreadable_input() {
    let tmp = tempfile::tempdir().unwrap();
    let good = std::fs::read("tests/tools/realclients/hivex/minimal").unwrap();
    let fix_checksum = |b: &mut Vec<u8>| {
        let x = (0..0x1FC).step_by(4).fold(0u32, |x, i| {
            x ^ u32::from_le_bytes(b[i..i + 4].try_into().unwrap())
        });
        b[0x1FC..0x200].copy_from_slice(&x.to_le_bytes());
    };
    let mut cases: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    cases.push(("truncated in a bin", good[..6000].to_vec(), "truncated"));
    cases.push(("base block only", good[..4096].to_vec(), "truncated"));
    cases.push(("half a base block", good[..3000].to_vec(), "truncated"));
    let mut b = good.clone();
    b[4096..4100].copy_from_slice(b"xxxx");
    cases.push(("no hbin", b, "hive bin signature"));
    let mut b = good.clone();
    b[0x30] ^= 0xff;
    cases.push(("checksum", b, "checksum"));
    let mut b = good.clone();
    b[4096 + 32..4096 + 36].copy_from_slice(&(-12i32).to_le_bytes());
    cases.push(("cell size", b, "cell size"));
    let mut b = good.clone();
    b[0x28..0x2c].copy_from_slice(&(8192u32).to_le_bytes());
    fix_checksum(&mut b);
    cases.push(("announced size", b, "truncated"));
    for (what, bytes, says) in cases {
        let dir = tmp.path().join(what.replace(' ', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("NTUSER.DAT");
        std::fs::write(&p, &bytes).unwrap();
        let e = gpforge::state::read_path(&p).unwrap_err();
        assert!(e.message.contains(says), "{what}: {e}");
        assert!(
            e.at.as_deref().is_some_and(|a| a.starts_with("byte 0x")),
            "{what}: {e}"
        );
        let o = run(&["audit", "--baseline", "disa-stig", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{what}: {}", text(&o));
        assert!(
            text(&o).contains("not a readable hive"),
            "{what}: {}",
            text(&o)
        );
    }
    // The intact hive is read (empty: nothing configured, exit 1, no error).
    let p = tmp.path().join("NTUSER.DAT");
    std::fs::write(&p, &good).unwrap();
    assert!(gpforge::state::read_path(&p).unwrap().is_empty());
    let o = run(&["audit", "--baseline", "disa-stig", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

#[test]
fn d9_gpforge_toml_is_looked_for_up_to_the_repository_root_only() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("parent");
    let repo = parent.join("checkout");
    let store = repo.join("store");
    copy_dir(
        Path::new("tests/fixtures/validate/V031_unknown_category"),
        &store,
    );
    std::fs::write(
        parent.join("gpforge.toml"),
        "[validate]\nignore = [\"V031\"]\n",
    )
    .unwrap();
    // Without a repository root the parent's file is found, and the summary names it.
    let o = run_in(&repo, &["validate", "--deny-warnings", "store"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("config {}", parent.join("gpforge.toml").display())),
        "{}",
        text(&o)
    );
    // A checkout (a folder holding .git) stops the search: the parent's file is not taken.
    std::fs::create_dir(repo.join(".git")).unwrap();
    let o = run_in(&repo, &["validate", "--deny-warnings", "store"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("V031"), "{}", text(&o));
    assert!(!text(&o).contains("config "), "{}", text(&o));
    // The repository's own file is found from a folder below the root.
    std::fs::write(
        repo.join("gpforge.toml"),
        "[validate]\nignore = [\"V031\"]\n",
    )
    .unwrap();
    let o = run_in(&store, &["validate", "--deny-warnings", "."]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("checkout/gpforge.toml"), "{}", text(&o));
}

#[test]
fn d10_a_line_break_in_a_baseline_title_is_refused() {
    for title in ["S/MIME\n[General]\nVersion=0", "a\rb", "a\u{2028}b"] {
        let tmp = tempfile::tempdir().unwrap();
        let defs = tmp.path().join("defs");
        copy_dir(Path::new(KINDS), &defs);
        let b = defs.join("baselines/every-state.toml");
        let s = std::fs::read_to_string(&b).unwrap().replace(
            "title = \"Every state\"",
            &format!("title = {}", toml::Value::String(title.into())),
        );
        std::fs::write(&b, s).unwrap();
        let out = tmp.path().join("out");
        let o = run(&[
            "build",
            "--definitions",
            defs.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{title:?}: {}", text(&o));
        assert!(text(&o).contains("D051"), "{}", text(&o));
        assert!(
            !out.join("baselines/every-state/gpt.ini").exists(),
            "nothing written"
        );
    }
}

#[test]
fn d12_an_unreadable_culture_folder_is_named() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let store = tmp.path().join("store");
    copy_dir(Path::new("tests/fixtures/validate/clean"), &store);
    let culture = store.join("de-DE");
    std::fs::create_dir(&culture).unwrap();
    std::fs::set_permissions(&culture, std::fs::Permissions::from_mode(0o000)).unwrap();
    // A copy of the binary in the open temporary folder: the checkout may sit in a folder only
    // its owner can enter.
    let bin = tmp.path().join("gpforge");
    std::fs::copy(BIN, &bin).unwrap();
    let mut cmd = Command::new(&bin);
    cmd.args(["validate", store.to_str().unwrap()]);
    // Root reads any folder: run gpforge as an ordinary user (nobody) then.
    if unsafe { libc::geteuid() } == 0 {
        cmd.uid(65534).gid(65534);
    }
    let o = cmd.output().unwrap();
    let t = text(&o);
    std::fs::set_permissions(&culture, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains(&format!("cannot read {}", culture.display())),
        "{t}"
    );
}

/// A one-line ADMX with `n` attributes the schema does not allow (a V021 each) and a few other
/// findings, in two orders.
fn hostile_admx(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><policyDefinitions xmlns=\"http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions\" revision=\"1.0\" schemaVersion=\"1.0\"",
    );
    for i in 0..n {
        s.push_str(&format!(" b{i}=\"x\""));
    }
    s.push_str("><policyNamespaces><target prefix=\"a\" namespace=\"A.B\"/></policyNamespaces><resources minRequiredRevision=\"1.0\"/><categories>");
    for i in 0..300 {
        s.push_str(&format!(
            "<category name=\"c{i}\" displayName=\"$(string.c{i})\" bogus=\"1\"/>"
        ));
    }
    s.push_str("</categories></policyDefinitions>");
    s.into_bytes()
}

#[test]
fn d5_a_capped_report_keeps_only_what_it_shows_and_counts_the_rest() {
    use gpforge::diag::{Severity, render};
    use gpforge::validate::{Profile, validate_capped};
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("x.admx");
    std::fs::write(&p, hostile_admx(20_000)).unwrap();
    let all = validate_capped(std::slice::from_ref(&p), Profile::Gpmc, None, 0).unwrap();
    for cap in [1, 7, 100] {
        let folded = validate_capped(std::slice::from_ref(&p), Profile::Gpmc, None, cap).unwrap();
        assert!(
            folded.diags.len() < 2_000,
            "cap {cap}: {} records kept",
            folded.diags.len()
        );
        for s in [Severity::Error, Severity::Warning, Severity::Note] {
            assert_eq!(folded.count(s), all.count(s), "cap {cap}: {s:?}");
        }
        let show = |r: &gpforge::validate::Report| {
            let d = render::capped(r.diags.clone(), cap);
            let mut out = Vec::new();
            render::human_to(&mut out, &d, &r.sources, false).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(show(&folded), show(&all), "cap {cap}: the same report");
    }
    // Through the command line: the summary counts every finding.
    let o = run(&["validate", "--select", "V021", p.to_str().unwrap()]);
    assert!(text(&o).contains("20300 warning(s)"), "{}", text(&o));
    assert!(text(&o).contains("20200 more V021"), "{}", text(&o));
}

#[test]
fn d7_a_hive_written_by_hivex_reads_back_exactly() {
    use gpforge::state::Op;
    let ops = gpforge::state::read_path(Path::new("tests/fixtures/hive/NTUSER.DAT")).unwrap();
    let get = |name: &str| {
        ops.iter()
            .find_map(|o| match o {
                Op::Set {
                    name: n,
                    ty,
                    data,
                    key,
                    ..
                } if n == name => Some((key.clone(), *ty, data.clone())),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{name} not read"))
    };
    let (key, ty, data) = get("blob");
    assert!(key.eq_ignore_ascii_case("Software\\Gpforge\\Big"), "{key}");
    assert_eq!(ty, 3);
    assert_eq!(data.len(), 40_000, "big data across segments");
    assert!(data.iter().enumerate().all(|(i, b)| *b == (i % 256) as u8));
    let (_, ty, data) = get("Ünïcode näme");
    assert_eq!(ty, 1);
    let units: Vec<u16> = data
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(
        String::from_utf16_lossy(&units).trim_end_matches('\0'),
        "välue"
    );
    let (_, ty, data) = get("multi");
    assert_eq!(
        (ty, data.as_slice()),
        (7, &[0x61, 0, 0, 0, 0x62, 0, 0, 0, 0, 0][..])
    );
    let (_, ty, data) = get("minenckey");
    assert_eq!((ty, data.as_slice()), (4, &168u32.to_le_bytes()[..]));
    // The whole baseline reads back compliant, every rule met.
    let o = run(&[
        "audit",
        "--baseline",
        "disa-stig",
        "tests/fixtures/hive/NTUSER.DAT",
    ]);
    assert!(o.status.success(), "{}", text(&o));
}
