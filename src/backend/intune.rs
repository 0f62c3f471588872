//! Intune backend: per baseline, `intune.csv` (a custom profile's rows: Name, Description,
//! OMA-URI, Data type, Value; RFC 4180) and `intune.json` (a Graph `windows10CustomConfiguration`
//! body). The first row ingests our ADMX (formats.md §5.1); then one row per configured policy with
//! the ADMX-backed URI and its `<enabled/><data …/>` or `<disabled/>` payload (§5.2).
//! What ingestion cannot deliver is left out with a B-code warning (B002–B004).

use super::{Artifact, Backend, Error, RenderCtx, admx, text};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::baseline::{Baseline, Setting, State, Target, Value};
use crate::model::effect::Hive;
use crate::model::element::ElementKind;
use crate::model::presentation::Control;
use crate::model::{Policy, PolicySet, RegValue, Template};
use serde::Serialize;

pub struct Intune;

/// Separator of multiText strings and list entries in ADMX payloads (formats.md §5.2).
const SEP: char = '\u{F000}';
/// Intune does not ingest an ADMX file larger than this (formats.md §2.3).
pub const MAX_ADMX_BYTES: usize = 1024 * 1024;
/// `omaSettings` holds at most this many rows (windows10CustomConfiguration).
pub const MAX_ROWS: usize = 1000;

impl Backend for Intune {
    fn check(&self, set: &PolicySet, out: &mut Diagnostics) {
        let admx_len: Vec<usize> = set
            .templates
            .iter()
            .map(|t| admx::render_template(t).len())
            .collect();
        for b in &set.baselines {
            let t = &set.templates[b.template];
            let mut rows = 1;
            for s in &b.settings {
                match deliverable(t, s) {
                    Ok(Some(_)) => rows += 1,
                    Ok(None) => {}
                    Err((code, why)) => out.push(
                        Diagnostic::new(
                            code,
                            format!(
                                "`{}` is left out of the Intune profile of baseline `{}`: {why}",
                                s.id(t),
                                b.name
                            ),
                        )
                        .at(s.span.clone(), "not deliverable by ADMX ingestion")
                        .note(format!(
                            "deliver it with baselines/{}/apply.reg or the GPO backup (see its README.md)",
                            b.name
                        )),
                    ),
                }
            }
            let admx_len = admx_len[b.template];
            if admx_len > MAX_ADMX_BYTES || rows > MAX_ROWS {
                out.push(
                    Diagnostic::new(
                        Code::B004,
                        format!(
                            "baseline `{}`: {rows} OMA-URI rows (limit {MAX_ROWS}), ADMX {admx_len} bytes (limit {MAX_ADMX_BYTES})",
                            b.name
                        ),
                    )
                    .at(b.span.clone(), "over an Intune limit"),
                );
            }
        }
    }

    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        // The ingestion row carries the ADMX text: render it once per template.
        let admx: Vec<String> = set
            .templates
            .iter()
            .map(|t| text::crlf(&admx::render_template(t)))
            .collect();
        let mut out = Vec::new();
        for b in &set.baselines {
            let rows = rows(set, b, &admx[b.template]);
            out.push(Artifact {
                path: format!("baselines/{}/intune.csv", b.name).into(),
                bytes: csv_bytes(&rows)?,
            });
            out.push(Artifact {
                path: format!("baselines/{}/intune.json", b.name).into(),
                bytes: json_bytes(b, &rows)?,
            });
        }
        Ok(out)
    }
}

/// One OMA-URI setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub name: String,
    pub description: String,
    pub uri: String,
    pub value: String,
}

/// The AppName our ADMX is ingested under: the template's target prefix (unique in a store).
pub fn app_name(t: &Template) -> &str {
    t.target.prefix.as_str()
}

/// `./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/<AppName>/Policy/<FileUid>`.
pub fn ingestion_uri(t: &Template) -> String {
    format!(
        "./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/{}/Policy/{}",
        app_name(t),
        t.file_name
    )
}

/// `./User|Device/Vendor/MSFT/Policy/Config/<AppName>~Policy~<category chain>/<policy>`: the
/// chain runs from the root category down to the policy's own (formats.md §5.2).
pub fn policy_uri(t: &Template, p: &Policy, hive: Hive) -> String {
    let local = p.local_category(t.target.prefix.as_str());
    let chain: Vec<&str> = local
        .map(|c| t.category_path(&c))
        .unwrap_or_default()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let scope = match hive {
        Hive::User => "User",
        Hive::Machine => "Device",
    };
    format!(
        "./{scope}/Vendor/MSFT/Policy/Config/{}~Policy~{}/{}",
        app_name(t),
        chain.join("~"),
        p.id
    )
}

/// Registry locations ingested ADMX may write, although under a forbidden root (formats.md §5.4).
const ALLOWED: &[&str] = &[
    r"software\policies\microsoft\office",
    r"software\microsoft\office",
    r"software\microsoft\windows\currentversion\explorer",
    r"software\policies\microsoft\windows\currentversion\explorer",
    r"software\microsoft\internet explorer",
    r"software\policies\microsoft\shared tools\proofing tools",
    r"software\microsoft\shared tools\proofing tools",
    r"software\policies\microsoft\shared tools\graphics filters",
    r"software\microsoft\shared tools\graphics filters",
    r"software\policies\microsoft\imejp",
    r"software\policies\microsoft\ime\shared",
    r"software\policies\microsoft\softwareprotectionplatform",
    r"software\policies\microsoft\officesoftwareprotectionplatform",
    r"software\policies\microsoft\windows\windows search\preferences",
    r"software\microsoft\windows\windows search\preferences",
    r"software\policies\microsoft\exchange",
    r"software\microsoft\exchange",
    r"software\policies\microsoft\vba\security",
    r"software\microsoft\onedrive",
    r"software\microsoft\edge",
    r"software\microsoft\edgeupdate",
];
const FORBIDDEN: &[&str] = &[
    "system",
    r"software\microsoft",
    r"software\policies\microsoft",
];

fn under(key: &str, prefix: &str) -> bool {
    key == prefix
        || key
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('\\'))
}

/// Whether ADMX ingestion refuses a policy writing under `key`.
pub fn forbidden_key(key: &str) -> bool {
    let k = key.to_lowercase();
    FORBIDDEN.iter().any(|f| under(&k, f)) && !ALLOWED.iter().any(|a| under(&k, a))
}

/// Every key a policy writes: its own, its elements', and those of its value lists.
fn policy_keys(p: &Policy) -> Vec<&str> {
    let mut keys = vec![p.key.as_str()];
    let mut lists: Vec<&crate::model::ValueList> = vec![&p.enabled_list, &p.disabled_list];
    for e in &p.elements {
        keys.extend(e.key.iter().map(|k| k.as_str()));
        match &e.kind {
            ElementKind::Boolean {
                true_list,
                false_list,
                ..
            } => lists.extend([true_list, false_list]),
            ElementKind::Enum { items, .. } => lists.extend(items.iter().map(|i| &i.value_list)),
            _ => {}
        }
    }
    for l in lists {
        keys.extend(l.default_key.iter().map(|k| k.as_str()));
        keys.extend(
            l.items
                .iter()
                .filter_map(|i| i.key.as_ref().map(|k| k.as_str())),
        );
    }
    keys
}

/// The payload of a setting (`None` when not configured), or why ingestion cannot deliver it.
pub fn deliverable(t: &Template, s: &Setting) -> Result<Option<String>, (Code, String)> {
    let i = match s.target {
        Target::RegistryOnly(i) => {
            if s.state == State::NotConfigured {
                return Ok(None);
            }
            return Err((
                Code::B002,
                format!(
                    "a registry-only {} value has no ADMX element",
                    t.registry_only[i].reg_type.reg_name()
                ),
            ));
        }
        Target::Policy(i) => i,
    };
    let p = &t.policies[i];
    let values = match &s.state {
        State::NotConfigured => return Ok(None),
        State::Disabled | State::Set(_) => None,
        State::Enabled(v) => Some(v),
    };
    if let Some(k) = policy_keys(p).into_iter().find(|k| forbidden_key(k)) {
        return Err((
            Code::B003,
            format!("it writes under `{k}`, which ingested ADMX may not write"),
        ));
    }
    let combo = p.presentation.as_ref().is_some_and(|pr| {
        pr.controls
            .iter()
            .any(|c| matches!(c, Control::ComboBox { .. }))
    });
    if combo {
        return Err((
            Code::B002,
            "Intune's ADMX ingestion does not support comboBox".to_string(),
        ));
    }
    let Some(values) = values else {
        return Ok(Some("<disabled/>".to_string()));
    };
    let mut payload = String::from("<enabled/>");
    for ev in values {
        let e = &p.elements[ev.element];
        let data = match (&ev.value, &e.kind) {
            (Value::Boolean(b), _) => b.to_string(),
            (Value::Decimal(n), _) => n.to_string(),
            (Value::LongDecimal(n), _) => n.to_string(),
            (Value::Text(s), _) => s.clone(),
            (Value::MultiText(items), _) => join(items.iter().map(String::as_str)),
            (Value::Enum(i, name), ElementKind::Enum { items, .. }) => match &items[*i].value {
                RegValue::Decimal(n) => n.to_string(),
                RegValue::LongDecimal(n) => n.to_string(),
                RegValue::String(s) => s.clone(),
                RegValue::Delete => {
                    return Err((
                        Code::B002,
                        format!(
                            "enum item `{name}` of `{}` deletes its value; a payload can only send a value",
                            e.id
                        ),
                    ));
                }
            },
            (Value::List(entries), ElementKind::List { value_prefix, .. }) => {
                let mut parts = Vec::new();
                for (n, (name, data)) in entries.iter().enumerate() {
                    let name = match (name, value_prefix) {
                        (Some(g), _) => g.clone(),
                        (None, Some(p)) => format!("{p}{}", n + 1),
                        (None, None) => data.clone(),
                    };
                    parts.push(name);
                    parts.push(data.clone());
                }
                join(parts.iter().map(String::as_str))
            }
            _ => continue,
        };
        payload.push_str(&format!(
            "<data id=\"{}\" value=\"{}\"/>",
            e.id,
            escape_attr(&data)
        ));
    }
    Ok(Some(payload))
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts.collect::<Vec<_>>().join(&SEP.to_string())
}

/// XML attribute escaping; U+F000 as `&#xF000;` as Microsoft's samples write it.
fn escape_attr(s: &str) -> String {
    quick_xml::escape::escape(s).replace(SEP, "&#xF000;")
}

/// How many rows [`rows`] gives: the ingestion row and one per deliverable, configured setting.
pub fn row_count(t: &Template, b: &Baseline) -> usize {
    1 + b
        .settings
        .iter()
        .filter(|s| matches!(deliverable(t, s), Ok(Some(_))))
        .count()
}

/// The ingestion row (its value `admx_text`, the ADMX file's text) followed by one row per
/// deliverable, configured setting.
pub fn rows(set: &PolicySet, b: &Baseline, admx_text: &str) -> Vec<Row> {
    let t = &set.templates[b.template];
    let strings = t.source_strings();
    let mut rows = vec![Row {
        name: format!("Ingest {}.admx", t.file_name),
        description: format!(
            "ADMX ingestion of {} ({}); must precede the policy rows",
            t.file_name,
            t.target.namespace.as_str()
        ),
        uri: ingestion_uri(t),
        value: admx_text.to_string(),
    }];
    for s in &b.settings {
        let Target::Policy(i) = s.target else {
            continue;
        };
        let p = &t.policies[i];
        if let Ok(Some(payload)) = deliverable(t, s) {
            rows.push(Row {
                name: strings.get(&p.display).unwrap_or(p.id.as_str()).to_string(),
                description: s.note.clone().unwrap_or_default(),
                uri: policy_uri(t, p, Hive::of(s.class)),
                value: payload,
            });
        }
    }
    rows
}

fn csv_bytes(rows: &[Row]) -> Result<Vec<u8>, Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let err = |e: csv::Error| Error(format!("intune.csv: {e}"));
    w.write_record(["Name", "Description", "OMA-URI", "Data type", "Value"])
        .map_err(err)?;
    for r in rows {
        let cell = super::text::csv_cell;
        let cells = [
            cell(&r.name),
            cell(&r.description),
            cell(&r.uri),
            "String".into(),
            cell(&r.value),
        ];
        w.write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error(format!("intune.csv: {e}")))
}

#[derive(Serialize)]
struct GraphProfile<'a> {
    #[serde(rename = "@odata.type")]
    odata_type: &'static str,
    #[serde(rename = "displayName")]
    display_name: &'a str,
    description: &'a str,
    #[serde(rename = "omaSettings")]
    oma_settings: Vec<GraphSetting<'a>>,
}

#[derive(Serialize)]
struct GraphSetting<'a> {
    #[serde(rename = "@odata.type")]
    odata_type: &'static str,
    #[serde(rename = "displayName")]
    display_name: &'a str,
    description: &'a str,
    #[serde(rename = "omaUri")]
    oma_uri: &'a str,
    value: &'a str,
}

fn json_bytes(b: &Baseline, rows: &[Row]) -> Result<Vec<u8>, Error> {
    let profile = GraphProfile {
        odata_type: "#microsoft.graph.windows10CustomConfiguration",
        display_name: &b.title,
        description: &b.description,
        oma_settings: rows
            .iter()
            .map(|r| GraphSetting {
                odata_type: "#microsoft.graph.omaSettingString",
                display_name: &r.name,
                description: &r.description,
                oma_uri: &r.uri,
                value: &r.value,
            })
            .collect(),
    };
    let mut s =
        serde_json::to_string_pretty(&profile).map_err(|e| Error(format!("intune.json: {e}")))?;
    s.push('\n');
    Ok(s.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_roots() {
        assert!(!forbidden_key(
            r"software\policies\microsoft\office\16.0\outlook\security"
        ));
        assert!(forbidden_key(
            r"Software\Policies\Microsoft\Cryptography\AutoEnrollment"
        ));
        assert!(forbidden_key(r"SYSTEM\CurrentControlSet"));
        assert!(!forbidden_key(r"Software\Policies\Contoso"));
        assert!(!forbidden_key(r"Software\Microsoft\OneDrive"));
        assert!(forbidden_key(r"Software\Microsoft\OneDriveX"));
    }

    #[test]
    fn separator_is_a_character_reference() {
        assert_eq!(escape_attr("a\u{F000}b<\"&"), "a&#xF000;b&lt;&quot;&amp;");
    }
}
