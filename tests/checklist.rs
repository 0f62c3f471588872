//! STIG Viewer checklists from `gpforge audit --format ckl|cklb`, against the real checklists in
//! `../shared/reference/ckl/` (STIG Viewer 2.14) and DISA's XCCDF benchmarks in
//! `tests/fixtures/stig/`: the same elements in the same order, every rule of each benchmark as
//! a VULN with its group and rule ids, the baseline's rules with their verdicts and evidence.

#[path = "common/disa_stig.rs"]
mod disa_stig;

use quick_xml::events::Event;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");
const O365: &str = "tests/fixtures/stig/U_MS_Office_365_ProPlus_STIG_V3R5_Manual-xccdf.xml";
const OUTLOOK: &str = "tests/fixtures/stig/U_MS_Outlook_2016_STIG_V2R4_Manual-xccdf.xml";

/// A `.reg` file of the disa-stig baseline with minenckey = 256.
fn state_256(dir: &Path, name: &str) -> PathBuf {
    let text = disa_stig::apply_reg_text().replace(
        "\"minenckey\"=dword:000000a8",
        "\"minenckey\"=dword:00000100",
    );
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn audit(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("audit")
        .args([
            "--baseline",
            "disa-stig",
            "--benchmark",
            O365,
            "--benchmark",
            OUTLOOK,
        ])
        .args(args)
        .output()
        .unwrap()
}

/// The children of each element, in order, by path; and the text of leaf elements in order.
struct Xml {
    /// (path of the parent, child names in order), one entry per parent element.
    children: Vec<(String, Vec<String>)>,
    /// (path, text) of every element with text.
    texts: Vec<(String, String)>,
}

fn read_xml(text: &str) -> Xml {
    let mut r = quick_xml::Reader::from_str(text);
    let mut stack: Vec<(String, Vec<String>)> = Vec::new();
    let mut out = Xml {
        children: Vec::new(),
        texts: Vec::new(),
    };
    let mut buf = String::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) => {
                let name = AsRef::<str>::as_ref(&e.name()).to_string();
                if let Some(top) = stack.last_mut() {
                    top.1.push(name.clone());
                }
                let path = match stack.last() {
                    Some((p, _)) => format!("{p}/{name}"),
                    None => name,
                };
                stack.push((path, Vec::new()));
                buf.clear();
            }
            Event::Text(t) => buf.push_str(AsRef::<str>::as_ref(&t)),
            Event::GeneralRef(g) => buf.push_str(&format!("&{};", AsRef::<str>::as_ref(&g))),
            Event::End(_) => {
                let (path, kids) = stack.pop().unwrap();
                if kids.is_empty() {
                    out.texts.push((path.clone(), std::mem::take(&mut buf)));
                }
                out.children.push((path, kids));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The VULN_ATTRIBUTE names of each VULN, in order, with repeats of LEGACY_ID and CCI_REF
/// folded (their number follows the rule).
fn vuln_attributes(x: &Xml) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for (path, text) in &x.texts {
        if path.ends_with("VULN/STIG_DATA/VULN_ATTRIBUTE") {
            if text == "Vuln_Num" && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if cur.last() != Some(text) {
                cur.push(text.clone());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn texts_at<'a>(x: &'a Xml, suffix: &str) -> Vec<&'a str> {
    x.texts
        .iter()
        .filter(|(p, _)| p.ends_with(suffix))
        .map(|(_, t)| t.as_str())
        .collect()
}

fn children_of<'a>(x: &'a Xml, suffix: &str) -> BTreeSet<&'a Vec<String>> {
    x.children
        .iter()
        .filter(|(p, _)| p.ends_with(suffix))
        .map(|(_, k)| k)
        .collect()
}

#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn the_ckl_has_the_structure_of_stig_viewers_checklists() {
    let tmp = tempfile::tempdir().unwrap();
    let p = state_256(tmp.path(), "WS042.reg");
    let o = audit(&["--format", "ckl", p.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ours = String::from_utf8(o.stdout).unwrap();
    assert!(ours.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--DISA STIG Viewer :: 2.14-->\n<CHECKLIST>"
    ));
    let ours = read_xml(&ours);
    for real in [
        "../shared/reference/ckl/DoD Microsoft Office 365 ProPlus STIG v2r3.ckl",
        "../shared/reference/ckl/DoD Microsoft Office 2016 System v2r2.ckl",
    ] {
        let theirs = read_xml(&std::fs::read_to_string(real).unwrap());
        // The same children in the same order: the checklist, the asset, a STIG, its info, a
        // SI_DATA (with or without SID_DATA), a STIG_DATA, a VULN's tail.
        for parent in [
            "CHECKLIST",
            "CHECKLIST/ASSET",
            "STIGS/iSTIG/STIG_INFO",
            "VULN/STIG_DATA",
        ] {
            assert_eq!(
                children_of(&ours, parent),
                children_of(&theirs, parent),
                "{real}: children of {parent}"
            );
        }
        let sid = |x: &Xml| {
            texts_at(x, "SI_DATA/SID_NAME")
                .into_iter()
                .take(11)
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(sid(&ours), sid(&theirs), "{real}: SI_DATA names in order");
        let tail = |x: &Xml| -> BTreeSet<Vec<String>> {
            children_of(x, "iSTIG/VULN")
                .into_iter()
                .map(|k| k.iter().filter(|n| *n != "STIG_DATA").cloned().collect())
                .collect()
        };
        assert_eq!(
            tail(&ours),
            tail(&theirs),
            "{real}: STATUS, FINDING_DETAILS, … after the STIG_DATA"
        );
        // Every VULN's STIG_DATA in STIG Viewer's order. LEGACY_ID is one per legacy id of the
        // rule, and rules added since 2021 have none (in the XCCDF too), so it is compared apart.
        let no_legacy = |x: &Xml| -> Vec<Vec<String>> {
            vuln_attributes(x)
                .into_iter()
                .map(|v| v.into_iter().filter(|a| a != "LEGACY_ID").collect())
                .collect()
        };
        let real_order: BTreeSet<Vec<String>> = no_legacy(&theirs).into_iter().collect();
        for v in no_legacy(&ours) {
            assert!(
                real_order.contains(&v),
                "{real}: STIG_DATA order {v:?} not among {real_order:?}"
            );
        }
    }
    // Statuses are STIG Viewer's words.
    let statuses: BTreeSet<&str> = texts_at(&ours, "VULN/STATUS").into_iter().collect();
    assert!(statuses.is_subset(&BTreeSet::from([
        "NotAFinding",
        "Open",
        "Not_Reviewed",
        "Not_Applicable"
    ])));
    assert_eq!(texts_at(&ours, "ASSET/HOST_NAME"), vec!["WS042"]);
}

/// Group and rule ids of a benchmark, read with a pattern (independent of gpforge's reader).
fn xccdf_ids(path: &str) -> BTreeSet<(String, String)> {
    let t = std::fs::read_to_string(path).unwrap();
    let re = regex::Regex::new(r#"<Group id="(V-\d+)">.*?<Rule id="(SV-\d+r\d+_rule)""#).unwrap();
    re.captures_iter(&t)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect()
}

#[test]
fn every_rule_of_the_benchmarks_is_in_the_checklist_with_its_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let p = state_256(tmp.path(), "WS042.reg");
    let o = audit(&["--format", "ckl", p.to_str().unwrap()]);
    let x = read_xml(&String::from_utf8(o.stdout).unwrap());
    let mut ids: BTreeSet<(String, String)> = BTreeSet::new();
    let mut verdicts = std::collections::BTreeMap::new();
    let nums = texts_at(&x, "STIG_DATA/ATTRIBUTE_DATA");
    let attrs = texts_at(&x, "STIG_DATA/VULN_ATTRIBUTE");
    let statuses = texts_at(&x, "VULN/STATUS");
    let mut vuln = String::new();
    let mut k = 0;
    for (a, d) in attrs.iter().zip(&nums) {
        match *a {
            "Vuln_Num" => vuln = d.to_string(),
            "Rule_ID" => {
                ids.insert((vuln.clone(), d.to_string()));
            }
            "Rule_Ver" => {
                verdicts.insert(d.to_string(), statuses[k]);
                k += 1;
            }
            _ => {}
        }
    }
    let mut want = xccdf_ids(O365);
    want.extend(xccdf_ids(OUTLOOK));
    assert_eq!(want.len(), 139 + 64);
    assert_eq!(ids, want, "every VULN of the XCCDF, with its rule id");
    assert_eq!(verdicts["O365-OU-000011"], "NotAFinding");
    assert_eq!(verdicts["DTOO316"], "Open");
    assert_eq!(verdicts["DTOO239"], "NotAFinding");
    assert_eq!(
        verdicts["O365-AC-000001"], "Not_Reviewed",
        "a rule the baseline does not check"
    );
    let open = texts_at(&x, "VULN/FINDING_DETAILS")
        .into_iter()
        .find(|d| d.contains("Open because"))
        .unwrap();
    for needle in [
        "HKCU\\software\\policies\\microsoft\\office\\16.0\\outlook\\security",
        "MinEncKey = 168 (REG_DWORD)",
        "minenckey = 256 (REG_DWORD)",
        "WS042.reg",
        "If the value MinEncKey is REG_DWORD = a8 (hex) or 168 (decimal), this is not a finding.",
    ] {
        assert!(open.contains(needle), "{needle}: {open}");
    }
}

#[test]
fn several_sources_give_one_checklist_each_into_the_named_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let a = state_256(tmp.path(), "host-a.reg");
    let b = state_256(tmp.path(), "host-b.reg");
    let out = tmp.path().join("checklists");
    let o = audit(&[
        "--format",
        "cklb",
        "--each",
        "--out-dir",
        out.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    for h in ["host-a", "host-b"] {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{h}.cklb"))).unwrap()).unwrap();
        assert_eq!(v["target_data"]["host_name"], h);
    }
    // Without --out-dir: refused, nothing written.
    let o = audit(&[
        "--format",
        "ckl",
        "--each",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--out-dir"));
    // Without --benchmark: refused.
    let o = Command::new(BIN)
        .args([
            "audit",
            "--baseline",
            "disa-stig",
            "--format",
            "ckl",
            a.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--benchmark"));
}

/// The keys of a rule and of a STIG in a public `.cklb` (mitre/heimdall2,
/// `libs/hdf-converters/sample_jsons/checklist_mapper/sample_input_report/converted-rhel8_sample_oneOfEachControlStatus.cklb`,
/// commit 2bab46b8), and the checklist's own keys; the published CKLB schema's rule properties
/// add `ia_controls` (present there too), `createdAt`, `updatedAt` and `STIGUuid` (optional).
const RULE_KEYS: &[&str] = &[
    "group_id",
    "group_id_src",
    "severity",
    "group_title",
    "rule_id_src",
    "rule_id",
    "rule_version",
    "rule_title",
    "discussion",
    "ia_controls",
    "check_content",
    "fix_text",
    "false_positives",
    "false_negatives",
    "documentable",
    "mitigations",
    "potential_impacts",
    "third_party_tools",
    "mitigation_control",
    "responsibility",
    "security_override_guidance",
    "check_content_ref",
    "weight",
    "classification",
    "legacy_ids",
    "ccis",
    "stig_ref",
    "target_key",
    "uuid",
    "comments",
    "finding_details",
    "group_tree",
    "status",
    "overrides",
];
const STIG_KEYS: &[&str] = &[
    "stig_name",
    "display_name",
    "version",
    "stig_id",
    "release_info",
    "size",
    "rules",
];
const TOP_KEYS: &[&str] = &[
    "title",
    "id",
    "stigs",
    "active",
    "mode",
    "has_path",
    "target_data",
    "cklb_version",
];

#[test]
fn the_cklb_has_the_keys_of_real_cklb_files() {
    let tmp = tempfile::tempdir().unwrap();
    let p = state_256(tmp.path(), "WS042.reg");
    let o = audit(&["--format", "cklb", p.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys = |x: &serde_json::Value| -> BTreeSet<String> {
        x.as_object().unwrap().keys().cloned().collect()
    };
    let has = |x: &serde_json::Value, want: &[&str], what: &str| {
        let k = keys(x);
        for w in want {
            assert!(k.contains(*w), "{what} lacks {w}: {k:?}");
        }
    };
    has(&v, TOP_KEYS, "the checklist");
    assert_eq!(v["cklb_version"], "1.0");
    let stigs = v["stigs"].as_array().unwrap();
    assert_eq!(stigs.len(), 2);
    let mut statuses = BTreeSet::new();
    for s in stigs {
        has(s, STIG_KEYS, "a STIG");
        assert_eq!(
            s["size"].as_u64().unwrap() as usize,
            s["rules"].as_array().unwrap().len()
        );
        for r in s["rules"].as_array().unwrap() {
            has(r, RULE_KEYS, "a rule");
            statuses.insert(r["status"].as_str().unwrap().to_string());
            assert_eq!(r["stig_uuid"], s["uuid"]);
        }
    }
    assert_eq!(
        statuses,
        BTreeSet::from([
            "not_a_finding".to_string(),
            "not_reviewed".into(),
            "open".into()
        ])
    );
    // Byte for byte the same on a second run (name-based ids, no clock).
    let again = audit(&["--format", "cklb", p.to_str().unwrap()]);
    assert_eq!(again.stdout, o.stdout);
}
