//! The GPMC backup of every baseline against GPMC's real backups (reference/gpo-backups, the
//! Microsoft 365 Apps security baseline and DISA's Office GPOs, as GPMC wrote them): the element
//! and attribute paths of `manifest.xml`, `Backup.xml` and `bkupInfo.xml` are compared, and
//! every difference is listed with its reason (a snapshot reviewed as code). The backup is read
//! back by the audit: compliant with its baseline.

use gpforge::app::compile_dir;
use quick_xml::events::Event;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every element path (`/a/b`) and attribute path (`/a/b@name`) of an XML text.
fn paths(text: &str) -> BTreeSet<String> {
    let mut r = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut out = BTreeSet::new();
    loop {
        let ev = r.read_event().unwrap();
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let name = AsRef::<str>::as_ref(&e.name()).to_string();
                let path = format!("{}/{name}", stack.join("/"));
                for a in e.attributes().flatten() {
                    out.insert(format!("{path}@{}", AsRef::<str>::as_ref(&a.key)));
                }
                out.insert(path);
                if matches!(ev, Event::Start(_)) {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn real_backups() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for set in ["MSFT-M365Apps-2306", "DISA-Office2019-M365Apps-V2R4"] {
        let base = Path::new("../shared/reference/gpo-backups").join(set);
        let base = if base.join("GPOs").is_dir() {
            base.join("GPOs")
        } else {
            base
        };
        v.push(base);
    }
    v
}

#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn the_backup_has_the_shape_of_gpmcs_backups() {
    assert!(
        Path::new("../shared/reference/gpo-backups").is_dir(),
        "the reference backups are missing"
    );
    let c = compile_dir(Path::new("definitions")).unwrap();
    let ours = |suffix: &str| -> BTreeSet<String> {
        c.artifacts
            .iter()
            .filter(|a| {
                a.path.starts_with("baselines/disa-stig/gpo-backup")
                    && a.path.to_string_lossy().ends_with(suffix)
            })
            .flat_map(|a| paths(&String::from_utf8_lossy(&a.bytes)))
            .collect()
    };
    let theirs = |file: &str| -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for base in real_backups() {
            if file == "manifest.xml" {
                all.extend(paths(&std::fs::read_to_string(base.join(file)).unwrap()));
                continue;
            }
            for e in std::fs::read_dir(&base).unwrap().flatten() {
                let p = e.path().join(file);
                if p.is_file() {
                    all.extend(paths(&std::fs::read_to_string(p).unwrap()));
                }
            }
        }
        all
    };
    // Why each difference is there.
    let reasons = |path: &str| -> &'static str {
        if path.contains("SecurityGroups/Group") {
            "the domain groups named by a real GPO's DACL (Domain/Enterprise Admins of one domain); ours has only well-known principals"
        } else if path.contains("FSObjectDir") {
            "folders of other extensions in a machine GPO (Security Settings, software installation); ours holds registry.pol only"
        } else if path.contains("Adm") {
            "the ADM folder of a GPO edited with old ADM templates; ours has none"
        } else {
            "UNEXPLAINED"
        }
    };
    let mut report = String::new();
    for file in ["manifest.xml", "Backup.xml", "bkupInfo.xml"] {
        let (o, t) = (ours(file), theirs(file));
        report.push_str(&format!(
            "{file}: {} paths ours, {} in GPMC's\n",
            o.len(),
            t.len()
        ));
        for p in t.difference(&o) {
            report.push_str(&format!("  only GPMC's: {p} ({})\n", reasons(p)));
        }
        for p in o.difference(&t) {
            report.push_str(&format!("  only ours: {p} (UNEXPLAINED)\n"));
        }
    }
    assert!(!report.contains("UNEXPLAINED"), "{report}");
    // Values that must match too: the Registry extension and Administrative Templates tool of
    // the user half, as in DISA's user GPO backup; UTF-8 without a BOM, as GPMC writes it.
    let cse = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F73-3407-48AE-BA88-E8213C6761F1}]";
    let disa = real_backups()[1].join("{922D1591-2DDF-4057-8C87-89723EA65AA0}/Backup.xml");
    assert!(std::fs::read_to_string(disa).unwrap().contains(cse));
    let backup = c
        .artifacts
        .iter()
        .find(|a| {
            a.path.starts_with("baselines/disa-stig/gpo-backup") && a.path.ends_with("Backup.xml")
        })
        .unwrap();
    assert!(String::from_utf8_lossy(&backup.bytes).contains(cse));
    assert!(
        backup
            .bytes
            .starts_with(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>")
    );
    insta::assert_snapshot!("backup_shape_vs_gpmc", report);
}

#[test]
fn every_backup_audits_compliant_and_ids_are_stable() {
    let c = compile_dir(Path::new("definitions")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    gpforge::emit::write(tmp.path(), &c.artifacts).unwrap();
    for b in ["disa-stig", "smime-strict", "smime-sign-only"] {
        let dir = tmp.path().join("baselines").join(b).join("gpo-backup");
        let r = &gpforge::app::audit_reports(
            b,
            std::slice::from_ref(&dir),
            Path::new("definitions"),
            false,
        )
        .unwrap()[0];
        assert!(r.compliant(), "{b}: {}", gpforge::audit::human(r));
        let manifest = std::fs::read_to_string(dir.join("manifest.xml")).unwrap();
        let id = gpforge::backend::gpobackup::guid(&format!("gpforge:outlook_smime:{b}:backup"));
        assert!(manifest.contains(&id), "{b}: {manifest}");
        assert!(dir.join(&id).join("Backup.xml").is_file());
    }
    // Name-based ids: the same names, the same id, whatever the machine or the day.
    assert_eq!(
        gpforge::backend::gpobackup::guid("x"),
        gpforge::backend::gpobackup::guid("x")
    );
    assert_ne!(
        gpforge::backend::gpobackup::guid("x"),
        gpforge::backend::gpobackup::guid("y")
    );
}

/// Every element's text and every attribute's value of an XML text, by path.
fn values(text: &str) -> Vec<(String, String)> {
    let mut r = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut open_paths: Vec<String> = Vec::new();
    let mut open_text: Option<String> = None;
    loop {
        let ev = r.read_event().unwrap();
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let name = AsRef::<str>::as_ref(&e.name()).to_string();
                let path = format!("{}/{name}", stack.join("/"));
                for a in e.attributes().flatten() {
                    let v = a.value.to_string();
                    out.push((format!("{path}@{}", AsRef::<str>::as_ref(&a.key)), v));
                }
                if matches!(ev, Event::Start(_)) {
                    stack.push(name);
                    open_paths.push(path);
                    open_text = Some(String::new());
                } else {
                    out.push((path, String::new()));
                }
            }
            Event::CData(c) => {
                if let Some(t) = open_text.as_mut() {
                    t.push_str(AsRef::<str>::as_ref(c));
                }
            }
            Event::Text(t) => {
                if let Some(o) = open_text.as_mut() {
                    o.push_str(AsRef::<str>::as_ref(t).trim());
                }
            }
            Event::End(_) => {
                let path = open_paths.pop().unwrap();
                if let Some(t) = open_text.take() {
                    out.push((path, t));
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The form of a value: what a reader of the field expects.
fn form(v: &str) -> &'static str {
    let guid =
        regex::Regex::new(r"^\{[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}$").unwrap();
    let time = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$").unwrap();
    let dns = regex::Regex::new(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$").unwrap();
    let unc = regex::Regex::new(
        r"^\\\\[A-Za-z0-9.-]+\\sysvol\\[A-Za-z0-9.-]+\\Policies\\\{[0-9A-F-]{36}\}\\",
    )
    .unwrap();
    if v.is_empty() {
        "empty"
    } else if guid.is_match(v) {
        "guid"
    } else if time.is_match(v) {
        "time"
    } else if v.bytes().all(|b| b.is_ascii_digit()) {
        "number"
    } else if dns.is_match(v) {
        "dns name"
    } else if unc.is_match(v) {
        "sysvol path"
    } else {
        "text"
    }
}

#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn d13_every_field_of_the_real_backups_is_present_and_of_the_same_form() {
    use std::collections::BTreeMap;
    let c = compile_dir(Path::new("definitions")).unwrap();
    for file in ["manifest.xml", "Backup.xml", "bkupInfo.xml"] {
        // Their forms per path, from every real backup.
        let mut theirs: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
        for base in real_backups() {
            let mut texts = Vec::new();
            if file == "manifest.xml" {
                texts.push(std::fs::read_to_string(base.join(file)).unwrap());
            } else {
                for e in std::fs::read_dir(&base).unwrap().flatten() {
                    if let Ok(t) = std::fs::read_to_string(e.path().join(file)) {
                        texts.push(t);
                    }
                }
            }
            assert!(!texts.is_empty(), "{file} in {}", base.display());
            for t in texts {
                for (p, v) in values(&t) {
                    theirs.entry(p).or_default().insert(form(&v));
                }
            }
        }
        for b in ["disa-stig", "smime-strict", "smime-sign-only"] {
            let ours: BTreeMap<String, &'static str> = c
                .artifacts
                .iter()
                .filter(|a| {
                    a.path.starts_with(format!("baselines/{b}/gpo-backup"))
                        && a.path.ends_with(file)
                })
                .flat_map(|a| values(&String::from_utf8_lossy(&a.bytes)))
                .map(|(p, v)| (p, form(&v)))
                .collect();
            assert!(!ours.is_empty(), "{b}/{file}");
            for (path, forms) in &theirs {
                // Fields of other extensions and the domain groups of a real DACL (the shape test
                // lists why ours has none).
                if path.contains("SecurityGroups/Group")
                    || path.contains("FSObjectDir")
                    || path.contains("\\Adm")
                    || path.contains("FSObjectFile") && !ours.contains_key(path)
                {
                    continue;
                }
                let Some(mine) = ours.get(path) else {
                    panic!("{b}/{file}: {path} missing ({forms:?} in GPMC's)");
                };
                // The comment is free text GPMC writes when given one; theirs were left empty.
                if path.ends_with("/Comment") {
                    continue;
                }
                assert!(
                    forms.contains(mine),
                    "{b}/{file}: {path} is {mine}, GPMC's are {forms:?}"
                );
            }
        }
    }
    // The domain fields name the documented placeholder, the same in every build.
    let info = c
        .artifacts
        .iter()
        .find(|a| {
            a.path.starts_with("baselines/disa-stig/gpo-backup") && a.path.ends_with("bkupInfo.xml")
        })
        .unwrap();
    let text = String::from_utf8_lossy(&info.bytes);
    assert!(text.contains("<GPODomain><![CDATA[gpforge.invalid]]></GPODomain>"));
    assert!(text.contains(&format!(
        "<GPODomainGuid><![CDATA[{}]]></GPODomainGuid>",
        gpforge::backend::gpobackup::domain_guid()
    )));
    assert!(
        text.contains("<GPODomainController><![CDATA[dc.gpforge.invalid]]></GPODomainController>")
    );
}
