//! DISA XCCDF benchmarks (`U_…_Manual-xccdf.xml`), read for the checklists: the benchmark's
//! id, title, version and release, and for every Group its rule with the fields STIG Viewer
//! copies into a checklist (severity, titles, discussion and the other description parts, check
//! and fix text, CCIs and legacy ids, the DPMS target key). Read with quick-xml; the rule
//! description is itself escaped XML (`<VulnDiscussion>…</VulnDiscussion><FalsePositives>…`),
//! whose parts are taken by tag.

use quick_xml::events::Event;

/// One rule of a benchmark (an XCCDF Group with its Rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    /// The Group id: `V-223356`.
    pub vuln: String,
    /// The Group title: `SRG-APP-000630`.
    pub group_title: String,
    /// `SV-223356r1117184_rule`.
    pub rule_id: String,
    pub severity: String,
    pub weight: String,
    /// The STIG id: `O365-OU-000011`.
    pub version: String,
    pub title: String,
    pub discussion: String,
    pub false_positives: String,
    pub false_negatives: String,
    pub documentable: String,
    pub mitigations: String,
    pub severity_override_guidance: String,
    pub potential_impacts: String,
    pub third_party_tools: String,
    pub mitigation_control: String,
    pub responsibility: String,
    pub ia_controls: String,
    pub check_content: String,
    /// The check-content-ref's name (`M`) and href.
    pub check_ref_name: String,
    pub check_ref_href: String,
    pub fix_text: String,
    pub ccis: Vec<String>,
    pub legacy_ids: Vec<String>,
    /// The DPMS target key (`4099`).
    pub target_key: String,
}

/// A benchmark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Benchmark {
    /// `MS_Office_365_ProPlus_STIG`.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The benchmark's `<version>`: `3`.
    pub version: String,
    /// `Release: 5 Benchmark Date: 01 Apr 2026`.
    pub release_info: String,
    /// The file name it was read from.
    pub filename: String,
    pub rules: Vec<Rule>,
}

impl Benchmark {
    /// `V3R5`, as the definitions' STIG references name a release.
    pub fn release(&self) -> String {
        let r = self
            .release_info
            .split_whitespace()
            .nth(1)
            .unwrap_or_default();
        format!("V{}R{}", self.version.trim(), r)
    }

    /// `Microsoft Office 365 ProPlus … Guide :: Version 3, Release: 5 Benchmark Date: …`, as
    /// STIG Viewer writes STIGRef.
    pub fn stig_ref(&self) -> String {
        format!(
            "{} :: Version {}, {}",
            self.title, self.version, self.release_info
        )
    }
}

/// The text of `<tag>…</tag>` in an (unescaped) description, or empty.
fn part(desc: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    desc.find(&open)
        .and_then(|i| {
            let rest = &desc[i + open.len()..];
            rest.find(&close).map(|j| rest[..j].to_string())
        })
        .unwrap_or_default()
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key) == name)
        .map(|a| {
            quick_xml::escape::unescape(&a.value)
                .map(|c| c.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
}

/// Reads a benchmark from its XML text; `filename` is recorded for the checklist.
pub fn parse(text: &str, filename: &str) -> Result<Benchmark, String> {
    let mut r = quick_xml::Reader::from_str(text);
    let mut b = Benchmark {
        filename: filename.to_string(),
        ..Benchmark::default()
    };
    let mut stack: Vec<String> = Vec::new();
    let mut cur: Option<Rule> = None;
    let mut buf = String::new();
    let mut ident_system = String::new();
    let mut plain_id = String::new();
    loop {
        let ev = r
            .read_event()
            .map_err(|e| format!("{filename}: byte {}: {e}", r.buffer_position()))?;
        match ev {
            Event::Start(e) => {
                let name = AsRef::<str>::as_ref(&e.local_name()).to_string();
                match name.as_str() {
                    "Benchmark" => b.id = attr(&e, "id").unwrap_or_default(),
                    "Group" => {
                        cur = Some(Rule {
                            vuln: attr(&e, "id").unwrap_or_default(),
                            ..Rule::default()
                        })
                    }
                    "Rule" => {
                        if let Some(c) = cur.as_mut() {
                            c.rule_id = attr(&e, "id").unwrap_or_default();
                            c.severity = attr(&e, "severity").unwrap_or_default();
                            c.weight = attr(&e, "weight").unwrap_or_default();
                        }
                    }
                    "ident" => ident_system = attr(&e, "system").unwrap_or_default(),
                    "plain-text" => plain_id = attr(&e, "id").unwrap_or_default(),
                    _ => {}
                }
                stack.push(name);
                buf.clear();
            }
            Event::Empty(e) => {
                let name = AsRef::<str>::as_ref(&e.local_name()).to_string();
                if name == "check-content-ref"
                    && let Some(c) = cur.as_mut()
                {
                    c.check_ref_name = attr(&e, "name").unwrap_or_default();
                    c.check_ref_href = attr(&e, "href").unwrap_or_default();
                }
            }
            Event::Text(t) => buf.push_str(AsRef::<str>::as_ref(&t)),
            Event::CData(t) => buf.push_str(AsRef::<str>::as_ref(&t)),
            Event::GeneralRef(g) => buf.push_str(&resolve(AsRef::<str>::as_ref(&g))),
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let text = std::mem::take(&mut buf);
                match (cur.as_mut(), parent, name.as_str()) {
                    (None, "Benchmark", "title") => b.title = text,
                    (None, "Benchmark", "description") => b.description = text,
                    (None, "Benchmark", "version") => b.version = text,
                    (None, "Benchmark", "plain-text") if plain_id == "release-info" => {
                        b.release_info = text
                    }
                    (Some(c), "Group", "title") => c.group_title = text,
                    (Some(c), "Rule", "version") => c.version = text,
                    (Some(c), "Rule", "title") => c.title = text,
                    (Some(c), "Rule", "description") => c.read_description(&text),
                    (Some(c), "Rule", "ident") => {
                        if ident_system.ends_with("/cci") {
                            c.ccis.push(text)
                        } else {
                            c.legacy_ids.push(text)
                        }
                    }
                    (Some(c), "Rule", "fixtext") => c.fix_text = text,
                    (Some(c), "check", "check-content") => c.check_content = text,
                    (Some(c), "reference", "identifier") => c.target_key = text,
                    (Some(_), _, "Group") => {
                        if let Some(c) = cur.take() {
                            b.rules.push(c);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if b.id.is_empty() || b.rules.is_empty() {
        return Err(format!(
            "{filename}: not a DISA XCCDF benchmark (no Benchmark id or no rule)"
        ));
    }
    Ok(b)
}

/// The text of a general reference (`&lt;`, `&#38;`), empty when it is none.
fn resolve(name: &str) -> String {
    match name {
        "lt" => "<".to_string(),
        "gt" => ">".to_string(),
        "amp" => "&".to_string(),
        "quot" => "\"".to_string(),
        "apos" => "'".to_string(),
        n => quick_xml::escape::unescape(&format!("&{n};"))
            .map(|c| c.into_owned())
            .unwrap_or_default(),
    }
}

impl Rule {
    /// The parts of a rule's description (DISA writes them as escaped pseudo-XML tags).
    fn read_description(&mut self, text: &str) {
        self.discussion = part(text, "VulnDiscussion");
        self.false_positives = part(text, "FalsePositives");
        self.false_negatives = part(text, "FalseNegatives");
        self.documentable = part(text, "Documentable");
        self.mitigations = part(text, "Mitigations");
        self.severity_override_guidance = part(text, "SeverityOverrideGuidance");
        self.potential_impacts = part(text, "PotentialImpacts");
        self.third_party_tools = part(text, "ThirdPartyTools");
        self.mitigation_control = part(text, "MitigationControl");
        self.responsibility = part(text, "Responsibility");
        self.ia_controls = part(text, "IAControls");
    }
}

/// Reads a benchmark file.
pub fn read(path: &std::path::Path) -> Result<Benchmark, String> {
    let bytes = crate::fsx::read_checked(path, None).map_err(|e| e.to_string())?;
    let text = crate::backend::text::decode_for_display(&bytes);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse(&text, &name)
}
