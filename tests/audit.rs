//! `gpforge audit`: every shipped baseline read back from its own `.reg` and `Registry.pol`
//! is compliant; one changed value is reported as exactly that setting differing, with its STIG
//! ids; real third-party state files (reg exports, GPMC backups) are read and mapped; the
//! report formats are snapshots; the binary's exit codes.

mod common;

use gpforge::app::{audit_reports, compile_dir};
use gpforge::audit::{self, Status};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");

/// The built baselines, written to a temporary folder.
fn built() -> (tempfile::TempDir, PathBuf) {
    let c = compile_dir(Path::new("definitions")).unwrap();
    assert!(!c.has_errors());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    gpforge::emit::write(&out, &c.artifacts).unwrap();
    (tmp, out)
}

fn reports(baseline: &str, sources: &[PathBuf]) -> Vec<audit::Report> {
    audit_reports(baseline, sources, Path::new("definitions"), false).unwrap()
}

const BASELINES: [&str; 3] = ["disa-stig", "smime-strict", "smime-sign-only"];

#[test]
fn every_baseline_read_back_from_its_own_files_is_compliant() {
    let (_tmp, out) = built();
    for b in BASELINES {
        let dir = out.join("baselines").join(b);
        for source in [
            dir.join("apply.reg"),
            dir.clone(),
            dir.join("User/Registry.pol"),
            dir.join("lgpo.txt"),
        ] {
            let r = &reports(b, std::slice::from_ref(&source))[0];
            assert!(
                r.compliant(),
                "{b} from {}: {}",
                source.display(),
                audit::human(r)
            );
            assert!(r.extras.is_empty(), "{b}: {:?}", r.extras);
            assert!(r.rows.len() >= 9);
        }
        // apply then revert: nothing left (a setting the baseline leaves not configured stays
        // compliant).
        let r = &reports(b, &[dir.join("apply.reg"), dir.join("revert.reg")])[0];
        let writing = r.rows.iter().filter(|x| !x.expected.is_empty()).count();
        assert_eq!(r.count(Status::NotConfigured), writing, "{b} after revert");
    }
}

/// `apply.reg` (UTF-16LE) with one line replaced.
fn edited(src: &Path, dst: &Path, from: &str, to: &str) {
    let text = gpforge::backend::text::decode_for_display(&std::fs::read(src).unwrap());
    assert!(text.contains(from), "{from} not in {}", src.display());
    let text = text.replace(from, to).replace('\n', "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(dst, bytes).unwrap();
}

#[test]
fn one_changed_value_is_exactly_one_setting_that_differs() {
    let (tmp, out) = built();
    for (b, from, to, id, stig) in [
        (
            "disa-stig",
            "\"minenckey\"=dword:000000a8",
            "\"minenckey\"=dword:00000080",
            "L_Minimumencryptionsettings",
            "O365-OU-000011",
        ),
        (
            "smime-strict",
            "\"alwaysencrypt\"=dword:00000001",
            "\"alwaysencrypt\"=dword:00000000",
            "L_Encryptallemailmessages",
            "",
        ),
        (
            "smime-sign-only",
            "\"clearsign\"=dword:00000001",
            "\"clearsign\"=dword:00000000",
            "L_Sendallsignedmessagesasclearsignedmessages",
            "DTOO264",
        ),
    ] {
        let changed = tmp.path().join(format!("{b}.reg"));
        edited(
            &out.join("baselines").join(b).join("apply.reg"),
            &changed,
            from,
            to,
        );
        let r = &reports(b, &[changed])[0];
        let bad: Vec<&audit::Row> = r
            .rows
            .iter()
            .filter(|x| x.status != Status::Compliant)
            .collect();
        assert_eq!(bad.len(), 1, "{b}: {}", audit::human(r));
        assert_eq!(bad[0].id, id);
        assert_eq!(bad[0].status, Status::Differs);
        if stig.is_empty() {
            assert!(bad[0].stig.is_empty());
        } else {
            assert!(
                bad[0].stig.iter().any(|s| s.starts_with(stig)),
                "{b}: {:?}",
                bad[0].stig
            );
        }
        // A value the state lacks altogether: not configured.
        let missing = tmp.path().join(format!("{b}-missing.reg"));
        let name = from.split('=').next().unwrap();
        edited(
            &out.join("baselines").join(b).join("apply.reg"),
            &missing,
            &format!("{from}\n"),
            "",
        );
        let r = &reports(b, &[missing])[0];
        let row = r.rows.iter().find(|x| x.id == id).unwrap();
        assert_eq!(row.status, Status::NotConfigured, "{b}: {name}");
    }
}

#[test]
fn the_report_formats() {
    let (tmp, out) = built();
    let changed = tmp.path().join("changed.reg");
    edited(
        &out.join("baselines/disa-stig/apply.reg"),
        &changed,
        "\"minenckey\"=dword:000000a8",
        "\"minenckey\"=dword:00000080\n\"unexplained\"=dword:00000001",
    );
    let mut r = reports("disa-stig", &[changed]).remove(0);
    r.sources = vec!["changed.reg".into()];
    assert_eq!(r.extras.len(), 1);
    insta::assert_snapshot!("audit_human", audit::human(&r));
    insta::assert_snapshot!("audit_short", audit::short(&r));
    insta::assert_snapshot!("audit_csv", audit::csv(&r));
    insta::assert_snapshot!("audit_markdown", audit::markdown(&r));
    insta::assert_snapshot!("audit_json", serde_json::to_string_pretty(&r).unwrap());
    let log = audit::sarif(std::slice::from_ref(&r));
    insta::assert_snapshot!("audit_sarif", serde_json::to_string_pretty(&log).unwrap());
    let mut schema = common::sarif_schema();
    common::fix_language_patterns(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn real_state_files_are_read_and_mapped() {
    let shared = Path::new("../shared/reference");
    assert!(shared.is_dir(), "{} is missing", shared.display());
    let mut summary = String::new();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(shared.join("reg-exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for dir in ["gpo-backups", "lgpo-text"] {
        sources.extend(
            std::fs::read_dir(shared.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_none_or(|e| e != "md")),
        );
    }
    sources.sort();
    for s in &sources {
        let ops = gpforge::state::read_path(s).unwrap_or_else(|e| panic!("{e}"));
        assert!(!ops.is_empty(), "{}", s.display());
        let r = &audit_reports(
            "disa-stig",
            std::slice::from_ref(s),
            Path::new("definitions"),
            false,
        )
        .unwrap()[0];
        summary.push_str(&format!(
            "{}: {} operations; {}\n",
            s.file_name().unwrap().to_string_lossy(),
            ops.len(),
            audit::summary(r)
        ));
    }
    insta::assert_snapshot!("real_state_files", summary);
    // DISA's own Outlook 2016 GPO: every rule of disa-stig it implements is compliant.
    let disa = &reports(
        "disa-stig",
        &[shared.join("gpo-backups/DISA-Office-System-2016-and-Components")],
    )[0];
    assert_eq!(disa.count(Status::Differs), 0);
    let missing: Vec<&str> = disa
        .rows
        .iter()
        .filter(|r| r.status == Status::NotConfigured)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "L_SignatureWarning",
            "L_DisablePublishtoGALbutton",
            "L_Readsignedemailasplaintext"
        ]
    );
}

#[test]
fn a_corrupt_registry_pol_is_an_error_with_its_offset() {
    let (tmp, out) = built();
    let pol = std::fs::read(out.join("baselines/disa-stig/User/Registry.pol")).unwrap();
    let dir = tmp.path().join("User");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("Registry.pol");
    std::fs::write(&p, &pol[..pol.len() / 2]).unwrap();
    let e = gpforge::state::read_path(&p).unwrap_err();
    assert!(
        e.at.as_deref().is_some_and(|a| a.starts_with("byte ")),
        "{e}"
    );
    let o = Command::new(BIN)
        .args(["audit", "--baseline", "disa-stig"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("byte "));
}

#[test]
fn exit_codes() {
    let (tmp, out) = built();
    let run = |args: &[&Path]| {
        Command::new(BIN)
            .args(["audit", "--baseline", "disa-stig"])
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    let apply = out.join("baselines/disa-stig/apply.reg");
    assert_eq!(run(&[&apply]), Some(0));
    let revert = out.join("baselines/disa-stig/revert.reg");
    assert_eq!(run(&[&apply, &revert]), Some(1));
    assert_eq!(run(&[&tmp.path().join("nope.reg")]), Some(2));
    let o = Command::new(BIN)
        .args(["audit", "--baseline", "nope"])
        .arg(&apply)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// `import --states` of every baseline's `Registry.pol`, built again, has the same registry
/// effect as the original.
#[test]
fn imported_states_rebuild_the_same_registry_effect() {
    let (tmp, out) = built();
    for b in BASELINES {
        let pol = out.join("baselines").join(b).join("User/Registry.pol");
        let text = gpforge::app::states_baseline(
            std::slice::from_ref(&pol),
            "found",
            Path::new("definitions"),
        )
        .unwrap();
        assert!(!text.contains("not imported"), "{b}: {text}");
        let f = tmp.path().join(format!("{b}-found.toml"));
        std::fs::write(&f, &text).unwrap();
        let c = gpforge::app::compile_with_baselines(Path::new("definitions"), &[&f]).unwrap();
        assert!(
            !c.has_errors(),
            "{b}: {}",
            c.render(
                gpforge::cli::DiagFormat::Short,
                gpforge::diag::Severity::Warning
            )
        );
        let rebuilt = c
            .artifacts
            .iter()
            .find(|a| a.path == Path::new(&format!("baselines/{b}-found/User/Registry.pol")))
            .unwrap();
        let snap = |bytes: &[u8]| {
            let mut s = gpforge::state::Snapshot::new();
            s.apply(
                &gpforge::state::pol::parse("p", bytes, gpforge::model::effect::Hive::User)
                    .unwrap(),
            );
            s.iter()
                .map(|(h, v)| {
                    (
                        h,
                        v.key.to_lowercase(),
                        v.name.to_lowercase(),
                        v.ty,
                        v.data.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            snap(&rebuilt.bytes),
            snap(&std::fs::read(&pol).unwrap()),
            "{b}"
        );
    }
}

/// Whether `cmd` is on the PATH; the tests that use it are ignored unless it is
/// (`gpforge_realclients`), so its absence fails them.
fn tool(cmd: &str) -> bool {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {cmd}"))
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "{cmd} is missing (tests/tools/realclients/install.sh installs it)"
    );
    ok
}

/// The closed loop through real consumers: each baseline's `apply.reg` imported by Wine and
/// exported again by Wine's `reg export`, and merged by hivex into a hive file; the export and
/// the hive are audited: compliant. One changed value (a different one per baseline) is exactly
/// one setting that differs, with its STIG ids.
#[test]
#[cfg_attr(
    not(gpforge_realclients),
    ignore = "needs Wine, hivex, Samba and regpol (tests/tools/realclients/install.sh installs them)"
)]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn wine_exports_and_hivex_hives_of_every_baseline_audit_compliant() {
    let (wine, hivex) = (tool("wine"), tool("hivexregedit"));
    let (tmp, out) = built();
    for (b, from, to, id) in [
        (
            "disa-stig",
            "\"fipsmode\"=dword:00000001",
            "\"fipsmode\"=dword:00000000",
            "L_RuninFIPScompliantmode",
        ),
        (
            "smime-strict",
            "\"alwayssign\"=dword:00000001",
            "\"alwayssign\"=dword:00000000",
            "L_Signallemailmessages",
        ),
        (
            "smime-sign-only",
            "\"warnaboutinvalid\"=dword:00000001",
            "\"warnaboutinvalid\"=dword:00000002",
            "L_SignatureWarning",
        ),
    ] {
        let apply = out.join("baselines").join(b).join("apply.reg");
        let changed = tmp.path().join(format!("{b}-changed.reg"));
        edited(&apply, &changed, from, to);
        for (input, expect_ok) in [(&apply, true), (&changed, false)] {
            let check = |r: &audit::Report, via: &str| {
                if expect_ok {
                    assert!(r.compliant(), "{b} via {via}: {}", audit::human(r));
                } else {
                    let bad: Vec<&audit::Row> = r
                        .rows
                        .iter()
                        .filter(|x| x.status != Status::Compliant)
                        .collect();
                    assert_eq!(bad.len(), 1, "{b} via {via}: {}", audit::human(r));
                    assert_eq!(bad[0].id, id);
                    assert_eq!(bad[0].status, Status::Differs);
                }
            };
            if wine {
                let export = tmp.path().join(format!("{b}-{expect_ok}-wine.reg"));
                let o = Command::new("bash")
                    .arg("tests/tools/wine-export.sh")
                    .arg(input)
                    .arg(&export)
                    .arg("HKEY_CURRENT_USER\\Software\\Policies")
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                check(&reports(b, &[export])[0], "wine reg export");
            }
            if hivex {
                let hive = tmp
                    .path()
                    .join(format!("{b}-{expect_ok}"))
                    .join("NTUSER.DAT");
                merge_with_hivex(input, &hive);
                check(&reports(b, &[hive])[0], "hivexregedit --merge");
            }
        }
    }
}

/// `hivexregedit --merge` of a `.reg` file into a copy of hivex's minimal hive. hivex reads
/// only local-encoding text and cannot create a key whose parent is missing, so the file is
/// given as UTF-8 with every parent key first (as tests/tools/realclients/check-reg.sh does).
fn merge_with_hivex(reg: &Path, hive: &Path) {
    std::fs::create_dir_all(hive.parent().unwrap()).unwrap();
    let minimal = Path::new("tests/tools/realclients/hivex/minimal");
    std::fs::write(hive, std::fs::read(minimal).unwrap()).unwrap();
    let text = gpforge::backend::text::decode_for_display(&std::fs::read(reg).unwrap());
    let mut parents = std::collections::BTreeSet::new();
    for line in text.lines() {
        if let Some(k) = line
            .strip_prefix("[HKEY_CURRENT_USER\\")
            .and_then(|l| l.strip_suffix(']'))
        {
            let parts: Vec<&str> = k.split('\\').collect();
            for i in 1..parts.len() {
                parents.insert(parts[..i].join("\\"));
            }
        }
    }
    let mut parents: Vec<String> = parents.into_iter().collect();
    parents.sort_by_key(|p| p.len());
    let mut utf8 = String::from("Windows Registry Editor Version 5.00\n\n");
    for p in parents {
        utf8.push_str(&format!("[HKEY_CURRENT_USER\\{p}]\n\n"));
    }
    utf8.push_str(text.split_once('\n').map(|(_, r)| r).unwrap_or(""));
    let merged = hive.with_extension("reg");
    std::fs::write(&merged, utf8).unwrap();
    let o = Command::new("hivexregedit")
        .args(["--merge", "--prefix", "HKEY_CURRENT_USER"])
        .arg(hive)
        .arg(&merged)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_truncated_hive_is_an_error() {
    let (tmp, _) = built();
    let dir = tmp.path().join("h");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("NTUSER.DAT");
    let mut bytes = b"regf".to_vec();
    bytes.extend(vec![0u8; 3000]);
    std::fs::write(&p, bytes).unwrap();
    let e = gpforge::state::read_path(&p).unwrap_err();
    assert!(e.message.contains("not a readable hive"), "{e}");
}

/// LGPO text as `LGPO.exe /parse` prints it, made from a baseline's `Registry.pol`, audits
/// compliant like the file itself.
#[test]
fn lgpo_text_of_a_baseline_audits_compliant() {
    let (tmp, out) = built();
    for b in BASELINES {
        let pol = std::fs::read(out.join("baselines").join(b).join("User/Registry.pol")).unwrap();
        let ops =
            gpforge::state::pol::parse("p", &pol, gpforge::model::effect::Hive::User).unwrap();
        let mut text = String::from(
            "; ----------------------------------------------------------------------\r\n; PARSING User POLICY\r\n; Source file:  Registry.pol\r\n\r\n",
        );
        for op in &ops {
            let (key, name, action) = match op {
                gpforge::state::Op::Set {
                    key,
                    name,
                    ty,
                    data,
                    ..
                } => {
                    let action = match gpforge::state::decode(*ty, data).unwrap() {
                        gpforge::model::baseline::RegData::Dword(n) => format!("DWORD:{n}"),
                        gpforge::model::baseline::RegData::Sz(s) => format!("SZ:{s}"),
                        gpforge::model::baseline::RegData::ExpandSz(s) => format!("EXSZ:{s}"),
                        gpforge::model::baseline::RegData::MultiSz(i) => {
                            format!("MULTISZ:{}", i.join("\\0"))
                        }
                        gpforge::model::baseline::RegData::Qword(n) => format!("QWORD:{n}"),
                        gpforge::model::baseline::RegData::Binary(b) => format!(
                            "BINARY:{}",
                            b.iter()
                                .map(|x| format!("{x:02x}"))
                                .collect::<Vec<_>>()
                                .join(",")
                        ),
                    };
                    (key, name.clone(), action)
                }
                gpforge::state::Op::DeleteValue { key, name, .. } => {
                    (key, name.clone(), "DELETE".into())
                }
                gpforge::state::Op::DeleteAllValues { key, .. } => {
                    (key, "*".into(), "DELETEALLVALUES".into())
                }
                gpforge::state::Op::DeleteKey { .. } => continue,
            };
            text.push_str(&format!("User\r\n{key}\r\n{name}\r\n{action}\r\n\r\n"));
        }
        text.push_str("; PARSING COMPLETED.\r\n");
        let f = tmp.path().join(format!("{b}-lgpo.txt"));
        std::fs::write(&f, text).unwrap();
        let r = &reports(b, &[f])[0];
        assert!(r.compliant(), "{b}: {}", audit::human(r));
    }
}

/// Microsoft's 365 Apps security baseline GPO mapped onto Microsoft's own store (1903 Office
/// templates, imported and built in memory): how many policy states are found, and every value
/// no template explains.
#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn the_microsoft_365_apps_baseline_maps_onto_microsofts_store() {
    let store = Path::new("../shared/corpus/windows-1903-office2016/PolicyDefinitions");
    let gpo = Path::new("../shared/reference/gpo-backups/MSFT-M365Apps-2306");
    assert!(store.is_dir() && gpo.is_dir(), "the corpus is missing");
    let r = gpforge::app::audit_reports_with(
        "disa-stig",
        &[gpo.to_path_buf()],
        Path::new("definitions"),
        false,
        Some(store),
    )
    .unwrap()
    .remove(0);
    let values: usize = gpforge::state::read_path(gpo)
        .map(|ops| {
            let mut s = gpforge::state::Snapshot::new();
            s.apply(&ops);
            s.len()
        })
        .unwrap();
    assert!(
        r.elsewhere.len() > 80,
        "{} policy states",
        r.elsewhere.len()
    );
    let mut text = format!(
        "{values} values; {} policy states of the store; {} values no template explains\nstore templates not imported: {}\n\n",
        r.elsewhere.len(),
        r.unexplained.len(),
        r.store_skipped.join(", ")
    );
    for e in &r.elsewhere {
        text.push_str(&format!("{e}\n"));
    }
    text.push('\n');
    for e in &r.unexplained {
        text.push_str(&format!(
            "{}\\{}: {} = {}\n",
            e.hive, e.key, e.name, e.value
        ));
    }
    insta::assert_snapshot!("m365_apps_baseline_on_the_store", text);
}

/// `messageformatssmime`, which circulates as O365-OU-000011 but exists nowhere, is named as a
/// known bogus value when a state holds it.
#[test]
fn the_known_bogus_value_is_named() {
    let (tmp, out) = built();
    let changed = tmp.path().join("bogus.reg");
    edited(
        &out.join("baselines/disa-stig/apply.reg"),
        &changed,
        "\"minenckey\"=dword:000000a8",
        "\"minenckey\"=dword:000000a8\n\"messageformatssmime\"=dword:00000001",
    );
    let r = &reports("disa-stig", &[changed])[0];
    assert!(r.compliant());
    let e = r
        .extras
        .iter()
        .find(|e| e.name == "messageformatssmime")
        .unwrap();
    assert!(e.note.unwrap().contains("known bogus"));
    assert!(audit::human(r).contains("known bogus value"));
}

/// `import --states` of a state whose unexplained names and data hold CR/LF, NUL and quotes
/// (a Registry.pol can carry them) writes TOML that parses, with those values escaped in
/// comments.
#[test]
fn hostile_state_values_stay_inside_their_comments() {
    use gpforge::model::baseline::RegData;
    use gpforge::model::effect::{Action, Hive, RegOp};
    let tmp = tempfile::tempdir().unwrap();
    let key = "software\\policies\\microsoft\\office\\16.0\\outlook\\security".to_string();
    let ops = [
        RegOp {
            hive: Hive::User,
            key: key.clone(),
            action: Action::Set {
                name: "x\"\r\n[evil]\u{0}".into(),
                data: RegData::Sz("A\nB\u{1b}".into()),
                soft: false,
            },
        },
        RegOp {
            hive: Hive::User,
            key,
            action: Action::Set {
                name: "minenckey".into(),
                data: RegData::Dword(168),
                soft: false,
            },
        },
    ];
    let dir = tmp.path().join("User");
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("Registry.pol");
    std::fs::write(&f, gpforge::backend::pol::encode(ops.iter())).unwrap();
    let toml_text =
        gpforge::app::states_baseline(std::slice::from_ref(&f), "found", Path::new("definitions"))
            .unwrap();
    let parsed: toml::Table = toml::from_str(&toml_text).unwrap();
    assert_eq!(
        parsed["setting"].as_array().unwrap().len(),
        1,
        "{toml_text}"
    );
    assert!(
        !toml_text.lines().any(|l| l.starts_with("[evil]")),
        "{toml_text}"
    );
    assert!(toml_text.contains("not imported"));
}

/// A `.reg` file of the disa-stig baseline with minenckey's line replaced.
fn disa_with_minenckey(dir: &Path, line: &str) -> PathBuf {
    let text = common::disa_stig::apply_reg_text().replace("\"minenckey\"=dword:000000a8", line);
    assert!(text.contains(line));
    let p = dir.join("export.reg");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_256_bit_minimum_meets_o365_ou_000011_and_fails_dtoo316() {
    use gpforge::audit::Verdict;
    let tmp = tempfile::tempdir().unwrap();
    let p = disa_with_minenckey(tmp.path(), "\"minenckey\"=dword:00000100");
    let r = &reports("disa-stig", &[p])[0];
    let verdict = |id: &str| r.rules.iter().find(|x| x.id == id).unwrap().verdict;
    assert_eq!(verdict("O365-OU-000011"), Verdict::NotAFinding);
    assert_eq!(verdict("DTOO316"), Verdict::Open);
    assert_eq!(r.rule_count(Verdict::Open), 1);
    assert!(!r.compliant());
    // smime-strict asks for 256 and claims only O365-OU-000011: compliant, rule met.
    let strict = &reports("smime-strict", &[tmp.path().join("export.reg")])[0];
    let x = strict
        .rules
        .iter()
        .find(|x| x.id == "O365-OU-000011")
        .unwrap();
    assert_eq!(x.verdict, Verdict::NotAFinding);
    assert!(strict.rules.iter().all(|x| x.id != "DTOO316"));
}

#[test]
fn a_value_of_the_wrong_type_is_reported_once() {
    use gpforge::audit::{Status, Verdict};
    let tmp = tempfile::tempdir().unwrap();
    let p = disa_with_minenckey(tmp.path(), "\"minenckey\"=\"168\"");
    let r = &reports("disa-stig", &[p])[0];
    let row = r
        .rows
        .iter()
        .find(|x| x.id == "L_Minimumencryptionsettings")
        .unwrap();
    assert_eq!(row.status, Status::Differs);
    assert!(
        r.extras
            .iter()
            .all(|e| !e.name.eq_ignore_ascii_case("minenckey")),
        "reported again as an extra value: {:?}",
        r.extras
    );
    for id in ["O365-OU-000011", "DTOO316"] {
        let x = r.rules.iter().find(|x| x.id == id).unwrap();
        assert_eq!(x.verdict, Verdict::Open);
        assert!(
            x.why.as_deref().unwrap().contains("wrong type: REG_SZ"),
            "{x:?}"
        );
    }
    let human = gpforge::audit::human(r);
    assert_eq!(
        human.matches("extra registry settings").count(),
        0,
        "{human}"
    );
}
