//! Documentation backend: `docs/<template>.md` (every setting: registry path and value, type,
//! allowed values, what each state does, STIG id, Intune URI) and `baselines/<name>/README.md`
//! (the baseline's choices, what they write, and which file to use for GPMC, a GPO backup,
//! `reg import` and Intune). Prose comes from handlebars templates under `templates/docs/`;
//! the views below are computed here (DESIGN.md §7.8: dumb templates, smart Rust).

use super::{Artifact, Backend, Error, RenderCtx, intune};
use crate::model::baseline::{Baseline, Setting, State, Target, Value};
use crate::model::effect::{self, Action, Hive, RegOp};
use crate::model::element::ElementKind;
use crate::model::{Class, Policy, PolicySet, RegValue, Stig, Template};
use indexmap::IndexMap;
use serde::Serialize;

pub struct Docs;

impl Backend for Docs {
    fn render(&self, set: &PolicySet, _ctx: &RenderCtx) -> Result<Vec<Artifact>, Error> {
        let hb = registry().as_ref().map_err(|e| Error(e.clone()))?;
        let mut out = Vec::new();
        for t in &set.templates {
            out.push(Artifact {
                path: format!("docs/{}.md", t.file_name).into(),
                bytes: render(hb, "template", &template_view(t))?,
            });
        }
        for b in &set.baselines {
            out.push(Artifact {
                path: format!("baselines/{}/README.md", b.name).into(),
                bytes: render(hb, "baseline", &baseline_view(set, b))?,
            });
        }
        Ok(out)
    }
}

/// The templates, parsed once per process (parsing costs more than rendering a small template).
fn registry() -> &'static Result<handlebars::Handlebars<'static>, String> {
    static HB: std::sync::OnceLock<Result<handlebars::Handlebars<'static>, String>> =
        std::sync::OnceLock::new();
    HB.get_or_init(|| {
        let mut hb = handlebars::Handlebars::new();
        hb.set_strict_mode(true);
        // Every `{{value}}` is Markdown prose: shown, never run (no HTML, no links).
        hb.register_escape_fn(super::text::md_prose);
        hb.register_helper("code", Box::new(code_helper));
        for (name, src) in [
            (
                "template",
                include_str!("../../templates/docs/template.md.hbs"),
            ),
            (
                "baseline",
                include_str!("../../templates/docs/baseline.md.hbs"),
            ),
        ] {
            hb.register_template_string(name, src)
                .map_err(|e| format!("template {name}: {e}"))?;
        }
        Ok(hb)
    })
}

/// `{{code x}}`: `x` as one Markdown code span ([`super::text::md_code`]).
fn code_helper(
    h: &handlebars::Helper,
    _: &handlebars::Handlebars,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let v = h
        .param(0)
        .map(|p| p.value())
        .ok_or_else(|| handlebars::RenderErrorReason::ParamNotFoundForIndex("code", 0))?;
    let text = match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    out.write(&super::text::md_code(&text))?;
    Ok(())
}

fn render<T: Serialize>(
    hb: &handlebars::Handlebars,
    name: &str,
    view: &T,
) -> Result<Vec<u8>, Error> {
    hb.render(name, view)
        .map(String::into_bytes)
        .map_err(|e| Error(format!("{name}: {e}")))
}

#[derive(Serialize)]
struct TemplateView {
    file_name: String,
    display_name: String,
    description: String,
    namespace: String,
    prefix: String,
    ingestion_uri: String,
    policy_count: usize,
    categories: Vec<CategoryView>,
    registry_only: Vec<RegistryOnlyView>,
}

#[derive(Serialize)]
struct CategoryView {
    path: String,
    policies: Vec<PolicyView>,
}

#[derive(Serialize)]
struct PolicyView {
    id: String,
    name: String,
    class: String,
    key: String,
    value_name: String,
    enabled: Vec<String>,
    disabled: Vec<String>,
    elements: Vec<ElementView>,
    stig: String,
    intune_uri: String,
    explain: String,
}

#[derive(Serialize)]
struct ElementView {
    id: String,
    kind: String,
    value: String,
    allowed: String,
}

#[derive(Serialize)]
struct RegistryOnlyView {
    id: String,
    name: String,
    path: String,
    value_name: String,
    reg_type: String,
    stig: String,
    explain: String,
}

fn stig_text(s: &[Stig]) -> String {
    s.iter().map(Stig::to_string).collect::<Vec<_>>().join("; ")
}

/// Markdown table cells cannot hold `|` or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn hive_class(class: Class) -> &'static str {
    match class {
        Class::User => "HKCU",
        Class::Machine => "HKLM",
        Class::Both => "HKCU or HKLM",
    }
}

/// One operation as a line of documentation, naming the key only when it differs from `base`.
fn op_text(op: &RegOp, base: &str) -> String {
    let key = if op.key.eq_ignore_ascii_case(base) {
        String::new()
    } else {
        format!("{}\\{}: ", op.hive.root(), op.key)
    };
    match &op.action {
        Action::Set { name, data, soft } => format!(
            "{key}`{name}` = {} ({}){}",
            cell(&data.display()),
            data.type_name(),
            if *soft { ", only if absent" } else { "" }
        ),
        Action::DeleteValue(name) => format!("{key}delete `{name}`"),
        Action::DeleteAllValues => format!("{}\\{}: delete all values", op.hive.root(), op.key),
    }
}

fn reg_value_text(v: &RegValue) -> String {
    match v {
        RegValue::Delete => "deleted".into(),
        RegValue::Decimal(d) => format!("{d} (REG_DWORD)"),
        RegValue::LongDecimal(d) => format!("{d} (REG_QWORD)"),
        RegValue::String(s) => format!("\"{}\" (REG_SZ)", cell(s)),
    }
}

fn template_view(t: &Template) -> TemplateView {
    let strings = t.source_strings();
    let text = |id| strings.get(id).unwrap_or("").to_string();
    let mut categories: Vec<CategoryView> = t
        .categories
        .iter()
        .map(|c| {
            let path: Vec<String> = t
                .category_path(&c.id)
                .iter()
                .map(|c| text(&c.display))
                .collect();
            CategoryView {
                path: path.join(" › "),
                policies: t
                    .policies
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| {
                        p.local_category(t.target.prefix.as_str()).as_ref() == Some(&c.id)
                    })
                    .map(|(i, p)| policy_view(t, i, p))
                    .collect(),
            }
        })
        .filter(|c| !c.policies.is_empty())
        .collect();
    // Policies placed under another template's category (`windows:System`) or under none
    // (`parentCategory ref=""`): listed under that reference, so every policy is documented.
    let mut outside: IndexMap<String, Vec<PolicyView>> = IndexMap::new();
    for (i, p) in t.policies.iter().enumerate() {
        let local = p.local_category(t.target.prefix.as_str());
        if local.is_some_and(|c| t.category(&c).is_some()) {
            continue;
        }
        let path = match &p.category {
            Some(r) => format!("{r} (a category this template does not define)"),
            None => "No category (an empty category reference)".to_string(),
        };
        outside.entry(path).or_default().push(policy_view(t, i, p));
    }
    categories.extend(
        outside
            .into_iter()
            .map(|(path, policies)| CategoryView { path, policies }),
    );
    TemplateView {
        file_name: t.file_name.clone(),
        display_name: t.display_name.clone(),
        description: t.description.clone(),
        namespace: t.target.namespace.as_str().to_string(),
        prefix: t.target.prefix.as_str().to_string(),
        ingestion_uri: intune::ingestion_uri(t),
        policy_count: t.policies.len(),
        categories,
        registry_only: t
            .registry_only
            .iter()
            .map(|r| RegistryOnlyView {
                id: r.id.as_str().to_string(),
                name: text(&r.display),
                path: format!("{}\\{}", hive_class(r.class), r.key.as_str()),
                value_name: r.value_name.as_str().to_string(),
                reg_type: r.reg_type.reg_name().to_string(),
                stig: stig_text(&r.stig),
                explain: text(&r.explain).trim().to_string(),
            })
            .collect(),
    }
}

fn policy_view(t: &Template, index: usize, p: &Policy) -> PolicyView {
    let strings = t.source_strings();
    let class = if p.class == Class::Both {
        Class::User
    } else {
        p.class
    };
    let disabled = effect::apply(
        t,
        &Setting {
            target: Target::Policy(index),
            state: State::Disabled,
            class,
            stig: Vec::new(),
            note: None,
            span: p.span.clone(),
        },
    );
    let mut enabled = Vec::new();
    if let Some(v) = &p.value_name {
        let on = p.on_enabled.clone().unwrap_or(RegValue::Decimal(1));
        enabled.push(format!("`{v}` = {}", reg_value_text(&on)));
    }
    for i in &p.enabled_list.items {
        enabled.push(format!("`{}` = {}", i.value_name, reg_value_text(&i.value)));
    }
    if !p.elements.is_empty() {
        enabled.push("each element writes its value (below)".into());
    }
    PolicyView {
        id: p.id.as_str().to_string(),
        name: strings.get(&p.display).unwrap_or("").to_string(),
        class: p.class.as_str().to_string(),
        key: format!("{}\\{}", hive_class(p.class), p.key.as_str()),
        value_name: p
            .value_name
            .as_ref()
            .map(|v| v.as_str().to_string())
            .unwrap_or_default(),
        enabled,
        disabled: disabled
            .iter()
            .map(|o| op_text(o, p.key.as_str()))
            .collect(),
        elements: p.elements.iter().map(|e| element_view(t, p, e)).collect(),
        stig: stig_text(&p.stig),
        intune_uri: intune::policy_uri(t, p, Hive::of(class)),
        explain: p
            .explain
            .as_ref()
            .and_then(|e| strings.get(e))
            .unwrap_or("")
            .trim()
            .to_string(),
    }
}

fn element_view(t: &Template, p: &Policy, e: &crate::model::element::Element) -> ElementView {
    let strings = t.source_strings();
    let (ty, allowed) = match &e.kind {
        ElementKind::Boolean { .. } => ("REG_DWORD", "true or false".to_string()),
        ElementKind::Decimal { .. } | ElementKind::LongDecimal { .. } => {
            let n = e
                .kind
                .number()
                .unwrap_or(crate::model::element::NumberSpec {
                    min: 0,
                    max: 0,
                    store_as_text: false,
                    soft: false,
                    long: false,
                });
            (
                match (n.store_as_text, n.long) {
                    (true, _) => "REG_SZ",
                    (false, true) => "REG_QWORD",
                    (false, false) => "REG_DWORD",
                },
                format!("{} to {}", n.min, n.max),
            )
        }
        ElementKind::Text {
            max_length,
            expandable,
            ..
        } => (
            if *expandable {
                "REG_EXPAND_SZ"
            } else {
                "REG_SZ"
            },
            format!("text, at most {max_length} characters"),
        ),
        ElementKind::MultiText {
            max_length,
            max_strings,
            ..
        } => (
            "REG_MULTI_SZ",
            format!("up to {max_strings} strings of at most {max_length} characters"),
        ),
        ElementKind::Enum { items, .. } => (
            "",
            items
                .iter()
                .map(|i| {
                    format!(
                        "`{}` = {} ({})",
                        i.name,
                        reg_value_text(&i.value),
                        cell(strings.get(&i.display).unwrap_or(""))
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ElementKind::List {
            additive,
            value_prefix,
            ..
        } => (
            "REG_SZ",
            format!(
                "a list of values{}{}",
                match value_prefix {
                    Some(p) => format!(" named {p}1, {p}2, …"),
                    None => String::new(),
                },
                if *additive {
                    ""
                } else {
                    "; the key's other values are deleted first"
                }
            ),
        ),
    };
    let key = e
        .key
        .as_ref()
        .filter(|k| *k != &p.key)
        .map(|k| format!("{}\\", k.as_str()))
        .unwrap_or_default();
    let name = e
        .value_name
        .as_ref()
        .map(|v| v.as_str())
        .unwrap_or("(list values)");
    ElementView {
        id: e.id.as_str().to_string(),
        kind: e.kind.admx_name().to_string(),
        value: if ty.is_empty() {
            format!("{key}`{name}`")
        } else {
            format!("{key}`{name}` ({ty})")
        },
        allowed,
    }
}

#[derive(Serialize)]
struct BaselineView {
    name: String,
    title: String,
    description: String,
    template: String,
    settings: Vec<SettingView>,
    left_out: Vec<LeftOutView>,
    parameters: Vec<ParameterView>,
    /// Settings this build left out for a missing parameter value (B009).
    unparameterised: Vec<LeftOutView>,
    has_user: bool,
    has_machine: bool,
    intune_rows: usize,
    /// Settings in the Settings Catalog profile, and those left out of it (B011).
    catalog_count: usize,
    catalog_left_out: Vec<LeftOutView>,
}

#[derive(Serialize)]
struct ParameterView {
    name: String,
    description: String,
    supplied: String,
}

#[derive(Serialize)]
struct SettingView {
    id: String,
    name: String,
    state: String,
    registry: Vec<String>,
    stig: String,
    note: String,
}

#[derive(Serialize)]
struct LeftOutView {
    id: String,
    why: String,
}

fn value_text(t: &Template, p: &Policy, v: &Value, element: usize) -> String {
    let e = &p.elements[element];
    let strings = t.source_strings();
    let shown = match (v, &e.kind) {
        (Value::Boolean(b), _) => b.to_string(),
        (Value::Decimal(n), _) => n.to_string(),
        (Value::LongDecimal(n), _) => n.to_string(),
        (Value::Text(s), _) => format!("\"{}\"", cell(s)),
        (Value::MultiText(items), _) => cell(&items.join("; ")),
        (Value::Enum(i, name), ElementKind::Enum { items, .. }) => format!(
            "`{name}` ({})",
            cell(strings.get(&items[*i].display).unwrap_or(""))
        ),
        (Value::List(entries), _) => cell(
            &entries
                .iter()
                .map(|(n, d)| match n {
                    Some(n) => format!("{n}={d}"),
                    None => d.clone(),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (Value::Enum(_, name), _) => name.to_string(),
    };
    format!("{} = {shown}", e.id)
}

fn baseline_view(set: &PolicySet, b: &Baseline) -> BaselineView {
    let t = &set.templates[b.template];
    let (_, catalog_left_out) = super::settings_catalog::body(t, b);
    let strings = t.source_strings();
    let mut has_user = false;
    let mut has_machine = false;
    let mut left_out = Vec::new();
    let settings = b
        .settings
        .iter()
        .map(|s| {
            let ops = effect::apply(t, s);
            has_user |= ops.iter().any(|o| o.hive == Hive::User);
            has_machine |= ops.iter().any(|o| o.hive == Hive::Machine);
            if let Err((code, why)) = intune::deliverable(t, s) {
                left_out.push(LeftOutView {
                    id: s.id(t).to_string(),
                    why: format!("{why} ({code})"),
                });
            }
            let (name, base) = match s.target {
                Target::Policy(i) => (&t.policies[i].display, t.policies[i].key.as_str()),
                Target::RegistryOnly(i) => {
                    (&t.registry_only[i].display, t.registry_only[i].key.as_str())
                }
            };
            let state = match (&s.state, s.target) {
                (State::NotConfigured, _) => "Not configured".to_string(),
                (State::Disabled, _) => "Disabled".to_string(),
                (State::Set(d), _) => format!("Set: {}", cell(&d.display())),
                (State::Enabled(values), Target::Policy(i)) => {
                    let p = &t.policies[i];
                    let vs: Vec<String> = values
                        .iter()
                        .map(|v| value_text(t, p, &v.value, v.element))
                        .collect();
                    if vs.is_empty() {
                        "Enabled".to_string()
                    } else {
                        format!("Enabled: {}", vs.join(", "))
                    }
                }
                (State::Enabled(_), Target::RegistryOnly(_)) => "Enabled".to_string(),
            };
            SettingView {
                id: s.id(t).to_string(),
                name: cell(strings.get(name).unwrap_or("")),
                state,
                registry: if ops.is_empty() {
                    vec!["nothing".to_string()]
                } else {
                    ops.iter().map(|o| op_text(o, base)).collect()
                },
                stig: stig_text(&s.stig),
                note: cell(s.note.as_deref().unwrap_or("")),
            }
        })
        .collect();
    BaselineView {
        name: b.name.clone(),
        title: b.title.clone(),
        description: b.description.clone(),
        template: t.file_name.clone(),
        settings,
        left_out,
        parameters: b
            .parameters
            .iter()
            .map(|p| ParameterView {
                name: p.name.clone(),
                description: cell(&p.description),
                supplied: match &p.supplied {
                    Some(origin) => format!("supplied ({})", cell(origin)),
                    None => "not supplied".to_string(),
                },
            })
            .collect(),
        unparameterised: b
            .left_out
            .iter()
            .map(|l| LeftOutView {
                id: l.id.clone(),
                why: format!("needs {}", l.missing.join(", ")),
            })
            .collect(),
        has_user,
        has_machine,
        intune_rows: intune::row_count(t, b),
        catalog_count: b
            .settings
            .iter()
            .filter(|s| s.state != State::NotConfigured)
            .count()
            .saturating_sub(catalog_left_out.len()),
        catalog_left_out: catalog_left_out
            .into_iter()
            .map(|(i, why)| LeftOutView {
                id: b.settings[i].id(t).to_string(),
                why: cell(&why),
            })
            .collect(),
    }
}
