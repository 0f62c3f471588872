//! STIG Viewer checklists from an audit: `.ckl` (STIG Viewer 2, XML) and `.cklb` (STIG Viewer 3,
//! JSON). Every rule of each benchmark (DISA's XCCDF, read by [`xccdf`]) is a VULN; the rules a
//! baseline checks (the audit's per-rule verdicts) are `NotAFinding` or `Open` with the registry
//! evidence in FINDING_DETAILS; every other rule is `Not_Reviewed`. A verdict is written only
//! where the audit's rule is the benchmark's rule, revision included: a check written for
//! another revision of a rule is not assumed to hold for this one.
//!
//! The layout follows the real checklists in `reference/ckl/` (STIG Viewer 2.14: ASSET, then
//! STIGS/iSTIG with STIG_INFO's SI_DATA and the VULNs' STIG_DATA in STIG Viewer's order), and
//! the published CKLB structure for `.cklb` (`tests/checklist.rs` compares both).

pub mod xccdf;

use crate::audit::{Report, RuleResult, Verdict};
use quick_xml::escape::partial_escape;
use xccdf::{Benchmark, Rule};

/// What a checklist says about the machine the state came from.
#[derive(Debug, Clone, Default)]
pub struct Asset {
    /// The host name: `--host`, else the source file's name without its extension.
    pub host: String,
    /// What was audited, for TARGET_COMMENT: the sources and the hives they hold.
    pub comment: String,
}

impl Asset {
    /// The asset of an audit report: the host named, or the first source's file stem.
    pub fn of(r: &Report, host: Option<&str>) -> Asset {
        let host = host.map(str::to_string).unwrap_or_else(|| {
            r.sources
                .first()
                .map(|s| {
                    let p = std::path::Path::new(s);
                    p.file_stem()
                        .map(|x| x.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
                .unwrap_or_default()
        });
        let hives: Vec<&str> = {
            let mut h: Vec<&str> = r
                .rules
                .iter()
                .map(|x| x.expected.split('\\').next().unwrap_or(""))
                .filter(|h| !h.is_empty())
                .collect();
            h.sort();
            h.dedup();
            h
        };
        Asset {
            host,
            comment: format!(
                "gpforge audit of {} against baseline {}{}",
                r.sources.join(" + "),
                r.baseline,
                if hives.is_empty() {
                    String::new()
                } else {
                    format!(" (hives: {})", hives.join(", "))
                }
            ),
        }
    }
}

/// A rule's status and the texts that go with it.
struct Entry {
    status: &'static str,
    details: String,
    comments: String,
}

fn entry(b: &Benchmark, rule: &Rule, r: &Report) -> Entry {
    let mine: Vec<&RuleResult> = r.rules.iter().filter(|x| x.vuln == rule.vuln).collect();
    let Some(x) = mine.iter().find(|x| x.benchmark == b.id) else {
        return Entry {
            status: "Not_Reviewed",
            details: String::new(),
            comments: String::new(),
        };
    };
    if x.rule != rule.rule_id {
        return Entry {
            status: "Not_Reviewed",
            details: String::new(),
            comments: format!(
                "gpforge checks {} ({} {}); this benchmark has {}: not evaluated",
                x.rule, x.benchmark, x.release, rule.rule_id
            ),
        };
    }
    let mut details = format!(
        "Evaluated by gpforge audit (baseline {}) from {}.\nExpected (DISA's check): {}\nFound: {}\n",
        r.baseline,
        r.sources.join(" + "),
        x.expected,
        x.found
    );
    if let Some(why) = &x.why {
        details.push_str(&format!("Open because: {why}\n"));
    }
    details.push_str(&format!("Check text: \"{}\"", x.source));
    Entry {
        status: match x.verdict {
            Verdict::NotAFinding => "NotAFinding",
            Verdict::Open => "Open",
        },
        details,
        comments: format!("Baseline setting {}", x.setting),
    }
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    partial_escape(s)
}

/// The STIG_DATA pairs of a VULN, in STIG Viewer 2's order.
fn stig_data<'a>(rule: &'a Rule, stig_ref: &'a str) -> Vec<(&'static str, &'a str)> {
    let mut v: Vec<(&'static str, &'a str)> = vec![
        ("Vuln_Num", &rule.vuln),
        ("Severity", &rule.severity),
        ("Group_Title", &rule.group_title),
        ("Rule_ID", &rule.rule_id),
        ("Rule_Ver", &rule.version),
        ("Rule_Title", &rule.title),
        ("Vuln_Discuss", &rule.discussion),
        ("IA_Controls", &rule.ia_controls),
        ("Check_Content", &rule.check_content),
        ("Fix_Text", &rule.fix_text),
        ("False_Positives", &rule.false_positives),
        ("False_Negatives", &rule.false_negatives),
        ("Documentable", &rule.documentable),
        ("Mitigations", &rule.mitigations),
        ("Potential_Impact", &rule.potential_impacts),
        ("Third_Party_Tools", &rule.third_party_tools),
        ("Mitigation_Control", &rule.mitigation_control),
        ("Responsibility", &rule.responsibility),
        (
            "Security_Override_Guidance",
            &rule.severity_override_guidance,
        ),
        ("Check_Content_Ref", &rule.check_ref_name),
        ("Weight", &rule.weight),
        ("Class", "Unclass"),
        ("STIGRef", stig_ref),
        ("TargetKey", &rule.target_key),
        ("STIG_UUID", ""),
    ];
    v.extend(rule.legacy_ids.iter().map(|l| ("LEGACY_ID", l.as_str())));
    v.extend(rule.ccis.iter().map(|c| ("CCI_REF", c.as_str())));
    v
}

/// A STIG Viewer 2 checklist (`.ckl`) of one audited state against the benchmarks.
pub fn ckl(r: &Report, asset: &Asset, benchmarks: &[Benchmark]) -> String {
    let target_key = benchmarks
        .first()
        .and_then(|b| b.rules.first())
        .map(|x| x.target_key.as_str())
        .unwrap_or("");
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--DISA STIG Viewer :: 2.14-->\n<CHECKLIST>\n\t<ASSET>\n",
    );
    for (tag, value) in [
        ("ROLE", "None"),
        ("ASSET_TYPE", "Computing"),
        ("HOST_NAME", asset.host.as_str()),
        ("HOST_IP", ""),
        ("HOST_MAC", ""),
        ("HOST_FQDN", ""),
        ("TARGET_COMMENT", asset.comment.as_str()),
        ("TECH_AREA", ""),
        ("TARGET_KEY", target_key),
        ("WEB_OR_DATABASE", "false"),
        ("WEB_DB_SITE", ""),
        ("WEB_DB_INSTANCE", ""),
    ] {
        s.push_str(&format!("\t\t<{tag}>{}</{tag}>\n", esc(value)));
    }
    s.push_str("\t</ASSET>\n\t<STIGS>\n");
    for b in benchmarks {
        s.push_str("\t\t<iSTIG>\n\t\t\t<STIG_INFO>\n");
        let uuid = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, b.stig_ref().as_bytes())
            .hyphenated()
            .to_string();
        for (name, data) in [
            ("version", Some(b.version.as_str())),
            ("classification", Some("UNCLASSIFIED")),
            ("customname", None),
            ("stigid", Some(b.id.as_str())),
            ("description", Some(b.description.as_str())),
            ("filename", Some(b.filename.as_str())),
            ("releaseinfo", Some(b.release_info.as_str())),
            ("title", Some(b.title.as_str())),
            ("uuid", Some(uuid.as_str())),
            ("notice", Some("terms-of-use")),
            ("source", None),
        ] {
            s.push_str(&format!(
                "\t\t\t\t<SI_DATA>\n\t\t\t\t\t<SID_NAME>{name}</SID_NAME>\n"
            ));
            if let Some(d) = data {
                s.push_str(&format!("\t\t\t\t\t<SID_DATA>{}</SID_DATA>\n", esc(d)));
            }
            s.push_str("\t\t\t\t</SI_DATA>\n");
        }
        s.push_str("\t\t\t</STIG_INFO>\n");
        let stig_ref = b.stig_ref();
        for rule in &b.rules {
            s.push_str("\t\t\t<VULN>\n");
            for (attr, data) in stig_data(rule, &stig_ref) {
                s.push_str(&format!(
                    "\t\t\t\t<STIG_DATA>\n\t\t\t\t\t<VULN_ATTRIBUTE>{attr}</VULN_ATTRIBUTE>\n\t\t\t\t\t<ATTRIBUTE_DATA>{}</ATTRIBUTE_DATA>\n\t\t\t\t</STIG_DATA>\n",
                    esc(data)
                ));
            }
            let e = entry(b, rule, r);
            s.push_str(&format!(
                "\t\t\t\t<STATUS>{}</STATUS>\n\t\t\t\t<FINDING_DETAILS>{}</FINDING_DETAILS>\n\t\t\t\t<COMMENTS>{}</COMMENTS>\n\t\t\t\t<SEVERITY_OVERRIDE></SEVERITY_OVERRIDE>\n\t\t\t\t<SEVERITY_JUSTIFICATION></SEVERITY_JUSTIFICATION>\n\t\t\t</VULN>\n",
                e.status,
                esc(&e.details),
                esc(&e.comments)
            ));
        }
        s.push_str("\t\t</iSTIG>\n");
    }
    s.push_str("\t</STIGS>\n</CHECKLIST>\n");
    s
}

/// A name-based id, the same for the same names in every run.
fn id(parts: &[&str]) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, parts.join("\u{1f}").as_bytes())
        .hyphenated()
        .to_string()
}

/// A STIG Viewer 3 checklist (`.cklb`, JSON) of one audited state against the benchmarks.
pub fn cklb(r: &Report, asset: &Asset, benchmarks: &[Benchmark]) -> serde_json::Value {
    let stigs: Vec<serde_json::Value> = benchmarks
        .iter()
        .map(|b| {
            let stig_uuid = id(&[&asset.host, &b.id, &b.release_info]);
            let stig_ref = b.stig_ref();
            let rules: Vec<serde_json::Value> = b
                .rules
                .iter()
                .map(|rule| {
                    let e = entry(b, rule, r);
                    serde_json::json!({
                        "uuid": id(&[&stig_uuid, &rule.rule_id]),
                        "stig_uuid": stig_uuid,
                        "target_key": if rule.target_key.is_empty() { serde_json::Value::Null } else { rule.target_key.clone().into() },
                        "stig_ref": stig_ref,
                        "group_id": rule.vuln,
                        "group_id_src": rule.vuln,
                        "rule_id": rule.rule_id.trim_end_matches("_rule"),
                        "rule_id_src": rule.rule_id,
                        "weight": rule.weight,
                        "classification": "Unclass",
                        "severity": rule.severity,
                        "rule_version": rule.version,
                        "group_title": rule.group_title,
                        "rule_title": rule.title,
                        "fix_text": rule.fix_text,
                        "false_positives": rule.false_positives,
                        "false_negatives": rule.false_negatives,
                        "discussion": rule.discussion,
                        "check_content": rule.check_content,
                        "documentable": rule.documentable,
                        "mitigations": rule.mitigations,
                        "potential_impacts": rule.potential_impacts,
                        "third_party_tools": rule.third_party_tools,
                        "mitigation_control": rule.mitigation_control,
                        "responsibility": rule.responsibility,
                        "security_override_guidance": rule.severity_override_guidance,
                        "ia_controls": rule.ia_controls,
                        "check_content_ref": { "href": rule.check_ref_href, "name": rule.check_ref_name },
                        "legacy_ids": rule.legacy_ids,
                        "ccis": rule.ccis,
                        "group_tree": [{ "id": rule.vuln, "title": rule.group_title, "description": "<GroupDescription></GroupDescription>" }],
                        "status": match e.status {
                            "NotAFinding" => "not_a_finding",
                            "Open" => "open",
                            _ => "not_reviewed",
                        },
                        "overrides": {},
                        "comments": e.comments,
                        "finding_details": e.details,
                    })
                })
                .collect();
            serde_json::json!({
                "stig_name": b.title,
                "display_name": b.title.trim_end_matches(" Security Technical Implementation Guide"),
                "stig_id": b.id,
                "release_info": b.release_info,
                "version": b.version,
                "uuid": stig_uuid,
                "reference_identifier": b.rules.first().map(|x| x.target_key.clone()).unwrap_or_default(),
                "size": b.rules.len(),
                "rules": rules,
            })
        })
        .collect();
    let title = format!(
        "{} {}",
        asset.host,
        benchmarks
            .iter()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    );
    serde_json::json!({
        "title": title,
        "id": id(&[&title, &r.sources.join(" + ")]),
        "stigs": stigs,
        "active": false,
        "mode": 1,
        "has_path": true,
        "target_data": {
            "target_type": "Computing",
            "host_name": asset.host,
            "ip_address": "",
            "mac_address": "",
            "fqdn": "",
            "comments": asset.comment,
            "role": "None",
            "is_web_database": false,
            "technology_area": "",
            "web_db_site": "",
            "web_db_instance": "",
            "classification": null,
        },
        "cklb_version": "1.0",
    })
}
