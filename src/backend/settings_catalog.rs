//! Intune Settings Catalog backend: per baseline, `intune-settings-catalog.json`, a Graph
//! `deviceManagement/configurationPolicies` body (also what the admin centre's "Import policy"
//! reads) that sets every baseline setting which is one of Microsoft's own outlk16 policies.
//!
//! Setting ids are never guessed: they come from `settings_catalog.tsv`, a table generated from
//! transcriptions of Microsoft's catalog and real exports (`tests/settings_catalog.rs` rebuilds
//! it from `../shared/reference/intune-catalog/` and Microsoft's `outlk16.admx` and fails when it
//! is stale). Each row carries the registry fingerprint of Microsoft's policy or element; a
//! gpforge policy maps onto a row only when its own fingerprint is the same, so a policy that
//! merely shares a name sets nothing. Everything else (registry-only settings, policies or
//! values the table does not confirm) is left out with B011 and stays in the custom profile.

use super::{Artifact, Backend, Error, RenderCtx};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::baseline::{Baseline, Setting, State, Target, Value};
use crate::model::element::{Element, ElementKind};
use crate::model::{Policy, PolicySet, RegValue, Template};
use serde_json::{Value as Json, json};

pub struct SettingsCatalog;

/// The generated table (see the module documentation).
pub const TABLE: &str = include_str!("settings_catalog.tsv");

/// One definition of the catalog: a policy (`element` empty) or one of its elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'t> {
    /// Microsoft's ADMX policy name.
    pub policy: &'t str,
    /// Microsoft's element id, lower-cased as the catalog has it; empty for the policy itself.
    pub element: &'t str,
    pub definition: &'t str,
    /// `choice` or `simple`.
    pub kind: &'t str,
    /// The option suffixes the sources confirm (`0`, `1`, an enum item's value).
    pub options: Vec<&'t str>,
    /// [`policy_fingerprint`] or [`element_fingerprint`] of Microsoft's policy or element.
    pub registry: &'t str,
    /// For a policy offered as a child of another option (`…_l_outlooksecuritymode_1`).
    pub parent: Option<&'t str>,
    /// The reference file the id was read from.
    pub source: &'t str,
}

/// The rows of [`TABLE`].
pub fn rows() -> Vec<Row<'static>> {
    parse(TABLE)
}

/// Rows of a table text: tab-separated, `#` comments, `-` for an empty field.
pub fn parse(text: &str) -> Vec<Row<'_>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let [
                policy,
                element,
                definition,
                kind,
                options,
                registry,
                parent,
                source,
            ] = f[..]
            else {
                return None;
            };
            fn opt(s: &str) -> Option<&str> {
                (s != "-").then_some(s)
            }
            Some(Row {
                policy,
                element: opt(element).unwrap_or(""),
                definition,
                kind,
                options: opt(options)
                    .map(|o| o.split(',').collect())
                    .unwrap_or_default(),
                registry,
                parent: opt(parent),
                source,
            })
        })
        .collect()
}

fn reg_value(v: &Option<RegValue>) -> String {
    match v {
        None => "-".into(),
        Some(RegValue::Delete) => "delete".into(),
        Some(RegValue::Decimal(n)) => format!("dword:{n}"),
        Some(RegValue::LongDecimal(n)) => format!("qword:{n}"),
        Some(RegValue::String(s)) => format!("sz:{s}"),
    }
}

/// What a policy writes by itself: key, value name and the enabled and disabled values
/// (registry names compared case-insensitively, as the registry does).
pub fn policy_fingerprint(p: &Policy) -> String {
    let name = p.value_name.as_ref().map(|v| v.as_str()).unwrap_or("");
    format!(
        "{}\\{} on={} off={}",
        p.key.path().to_lowercase(),
        name.to_lowercase(),
        reg_value(&p.on_enabled),
        reg_value(&p.on_disabled)
    )
}

/// What an element writes: key, value name, kind, and for an enum each item's value.
pub fn element_fingerprint(p: &Policy, e: &Element) -> String {
    let key = e.key.as_ref().unwrap_or(&p.key).path().to_lowercase();
    let name = e.value_name.as_ref().map(|v| v.as_str()).unwrap_or("");
    let kind = match &e.kind {
        ElementKind::Enum { items, .. } => {
            let v: Vec<String> = items
                .iter()
                .map(|i| reg_value(&Some(i.value.clone())))
                .collect();
            format!("enum[{}]", v.join(","))
        }
        ElementKind::Boolean { .. } => "boolean".into(),
        ElementKind::Decimal { .. } => "decimal".into(),
        ElementKind::LongDecimal { .. } => "longDecimal".into(),
        ElementKind::Text { .. } => "text".into(),
        ElementKind::MultiText { .. } => "multiText".into(),
        ElementKind::List { .. } => "list".into(),
    };
    format!("{key}\\{} {kind}", name.to_lowercase())
}

/// One baseline setting as a catalog setting instance, with the parent option it must be
/// placed under (if any); or why it cannot be.
fn instance(
    table: &[Row<'_>],
    t: &Template,
    s: &Setting,
) -> Result<Option<(Json, Option<String>)>, String> {
    let Target::Policy(pi) = s.target else {
        return Err("a registry-only setting has no catalog definition".into());
    };
    let p = &t.policies[pi];
    let Some(row) = table
        .iter()
        .find(|r| r.element.is_empty() && r.policy == p.id.as_str())
    else {
        return Err(format!(
            "`{}` is not one of the outlk16 policies the catalog table confirms",
            p.id
        ));
    };
    let mine = policy_fingerprint(p);
    if mine != row.registry {
        return Err(format!(
            "it writes `{mine}`, Microsoft's `{}` writes `{}`",
            row.policy, row.registry
        ));
    }
    let option = match &s.state {
        State::NotConfigured => return Ok(None),
        State::Set(_) => return Err("a registry-only setting has no catalog definition".into()),
        State::Disabled => "0",
        State::Enabled(_) => "1",
    };
    if !row.options.contains(&option) {
        return Err(format!(
            "option `_{option}` of `{}` is not confirmed",
            row.definition
        ));
    }
    let mut children = Vec::new();
    if let State::Enabled(values) = &s.state {
        for v in values {
            children.push(child(table, row, p, &p.elements[v.element], &v.value)?);
        }
    }
    Ok(Some((
        choice(row.definition, option, children),
        row.parent.map(str::to_string),
    )))
}

/// An element's value as a child instance.
fn child(
    table: &[Row<'_>],
    parent: &Row<'_>,
    p: &Policy,
    e: &Element,
    v: &Value,
) -> Result<Json, String> {
    let id = e.id.as_str().to_lowercase();
    let Some(row) = table.iter().find(|r| {
        r.policy == parent.policy && r.element == id && r.definition.starts_with(parent.definition)
    }) else {
        return Err(format!(
            "element `{}` of `{}` is not confirmed by the catalog table",
            e.id, p.id
        ));
    };
    let mine = element_fingerprint(p, e);
    if mine != row.registry {
        return Err(format!(
            "element `{}` writes `{mine}`, Microsoft's writes `{}`",
            e.id, row.registry
        ));
    }
    let confirmed = |o: &str| {
        if row.options.contains(&o) {
            Ok(())
        } else {
            Err(format!(
                "option `_{o}` of `{}` is not confirmed",
                row.definition
            ))
        }
    };
    Ok(match (&e.kind, v, row.kind) {
        (ElementKind::Enum { items, .. }, Value::Enum(i, _), "choice") => {
            let option = match &items[*i].value {
                RegValue::Decimal(n) => n.to_string(),
                RegValue::LongDecimal(n) => n.to_string(),
                RegValue::String(s) => s.clone(),
                other => return Err(format!("item value {other:?} has no catalog option")),
            };
            confirmed(&option)?;
            choice(row.definition, &option, Vec::new())
        }
        (ElementKind::Boolean { .. }, Value::Boolean(b), "choice") => {
            let option = if *b { "1" } else { "0" };
            confirmed(option)?;
            choice(row.definition, option, Vec::new())
        }
        (_, Value::Decimal(n), "simple") => simple(
            row.definition,
            "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue",
            json!(n),
        ),
        (_, Value::Text(s), "simple") => simple(
            row.definition,
            "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
            json!(s),
        ),
        _ => {
            return Err(format!(
                "element `{}` is a {} definition the value cannot fill",
                e.id, row.kind
            ));
        }
    })
}

fn choice(definition: &str, option: &str, children: Vec<Json>) -> Json {
    json!({
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
        "settingDefinitionId": definition,
        "settingInstanceTemplateReference": null,
        "choiceSettingValue": {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
            "settingValueTemplateReference": null,
            "value": format!("{definition}_{option}"),
            "children": children,
        }
    })
}

fn simple(definition: &str, value_type: &str, value: Json) -> Json {
    json!({
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
        "settingDefinitionId": definition,
        "settingInstanceTemplateReference": null,
        "simpleSettingValue": {
            "@odata.type": value_type,
            "settingValueTemplateReference": null,
            "value": value,
        }
    })
}

/// The catalog body of one baseline, and the settings left out with why.
pub fn body(t: &Template, b: &Baseline) -> (Json, Vec<(usize, String)>) {
    let table = rows();
    let mut top: Vec<Json> = Vec::new();
    let mut nested: Vec<(usize, Json, String)> = Vec::new();
    let mut left_out = Vec::new();
    for (i, s) in b.settings.iter().enumerate() {
        match instance(&table, t, s) {
            Ok(None) => {}
            Ok(Some((inst, None))) => top.push(inst),
            Ok(Some((inst, Some(parent)))) => nested.push((i, inst, parent)),
            Err(why) => left_out.push((i, why)),
        }
    }
    // A policy offered under another one's option goes into that option's children; without
    // that option set, it cannot be placed.
    for (i, inst, parent) in nested {
        let host = top
            .iter_mut()
            .find(|h| h["choiceSettingValue"]["value"].as_str() == Some(parent.as_str()));
        match host {
            Some(h) => {
                if let Some(c) = h["choiceSettingValue"]["children"].as_array_mut() {
                    c.push(inst);
                }
            }
            None => left_out.push((
                i,
                format!(
                    "the catalog offers it only under `{parent}`, which this baseline does not set"
                ),
            )),
        }
    }
    left_out.sort();
    let settings: Vec<Json> = top
        .into_iter()
        .enumerate()
        .map(|(n, inst)| json!({ "id": n.to_string(), "settingInstance": inst }))
        .collect();
    let body = json!({
        "name": b.title,
        "description": b.description,
        "platforms": "windows10",
        "technologies": "mdm",
        "roleScopeTagIds": ["0"],
        "templateReference": {
            "templateId": "",
            "templateFamily": "none",
            "templateDisplayName": null,
            "templateDisplayVersion": null,
        },
        "settings": settings,
    });
    (body, left_out)
}

impl Backend for SettingsCatalog {
    fn check(&self, set: &PolicySet, out: &mut Diagnostics) {
        for b in &set.baselines {
            let t = &set.templates[b.template];
            let (_, left_out) = body(t, b);
            for (i, why) in left_out {
                let s = &b.settings[i];
                out.push(
                    Diagnostic::new(
                        Code::B011,
                        format!(
                            "`{}` is left out of the Settings Catalog profile of baseline `{}`: {why}",
                            s.id(t),
                            b.name
                        ),
                    )
                    .at(s.span.clone(), "no confirmed catalog setting")
                    .note(format!(
                        "not deliverable through the Settings Catalog; use the custom profile (baselines/{}/intune.json)",
                        b.name
                    )),
                );
            }
        }
    }

    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        let mut out = Vec::new();
        for b in &set.baselines {
            let (body, _) = body(&set.templates[b.template], b);
            // No confirmed catalog setting: no empty profile that would look like a deployment.
            if body["settings"].as_array().is_none_or(|s| s.is_empty()) {
                continue;
            }
            let mut s = serde_json::to_string_pretty(&body)
                .map_err(|e| Error(format!("intune-settings-catalog.json: {e}")))?;
            s.push('\n');
            out.push(Artifact {
                path: format!("baselines/{}/intune-settings-catalog.json", b.name).into(),
                bytes: s.into_bytes(),
            });
        }
        Ok(out)
    }
}
