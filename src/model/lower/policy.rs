//! Policies: class, key and supportedOn with the template's defaults, category, values,
//! lists and elements.

use super::*;

/// Template-wide facts a policy needs.
pub(super) struct Env<'a> {
    pub(super) default_class: Option<Class>,
    pub(super) default_key: Option<RegistryKey>,
    pub(super) default_supported: Option<(FileId, &'a S<String>)>,
    pub(super) categories: &'a HashMap<String, Span>,
    pub(super) supported: &'a HashSet<String>,
}

pub(super) fn class_or_default(
    cx: &mut Cx,
    env: &Env,
    s: &Option<S<String>>,
    owner: &Span,
) -> Option<Class> {
    match s {
        Some(c) => cx.class(c),
        None => env.default_class.or_else(|| {
            cx.err(
                Code::D003,
                "no `class` and no `[template.defaults] class`",
                owner.clone(),
                "add `class = \"User\"` or `\"Machine\"`",
            );
            None
        }),
    }
}

pub(super) fn key_or_default(
    cx: &mut Cx,
    env: &Env,
    s: &Option<S<String>>,
    owner: &Span,
) -> Option<RegistryKey> {
    match s {
        Some(k) => cx.key(k),
        None => env.default_key.clone().or_else(|| {
            cx.err(
                Code::D003,
                "no `key` and no `[template.defaults] key`",
                owner.clone(),
                "add `key = '…'`",
            );
            None
        }),
    }
}

pub(crate) fn stig(cx: &mut Cx, s: &Option<S<Vec<ast::StigSrc>>>) -> Vec<Stig> {
    stig_in(cx.file, cx.diags, s)
}

/// The STIG references of a source file (`file`), their checks' problems pushed to `diags`.
pub(crate) fn stig_in(
    file: crate::diag::FileId,
    diags: &mut crate::diag::Diagnostics,
    s: &Option<S<Vec<ast::StigSrc>>>,
) -> Vec<Stig> {
    s.iter()
        .flat_map(|v| v.get_ref())
        .map(|s| Stig {
            benchmark: s.benchmark.get_ref().clone(),
            release: s.release.get_ref().clone(),
            vuln: s.vuln.get_ref().clone(),
            rule: s.rule.get_ref().clone(),
            id: s.id.get_ref().clone(),
            check: s.check.as_ref().and_then(|c| match check(c) {
                Ok(c) => Some(c),
                Err((range, msg, label)) => {
                    diags.push(
                        crate::diag::Diagnostic::new(Code::D003, msg)
                            .at(crate::diag::Span::new(file, range), label),
                    );
                    None
                }
            }),
        })
        .collect()
}

/// A rule's condition: exactly one of `equals`, `at_least`, `at_most`, `one_of`,
/// `present = true`, `absent = true`; else where and why not (D003).
type CheckError = (std::ops::Range<usize>, &'static str, &'static str);

fn check(c: &S<ast::CheckSrc>) -> Result<crate::model::policy::Check, CheckError> {
    use crate::model::policy::{Check, Cond};
    let src = c.get_ref();
    let mut conds = Vec::new();
    if let Some(v) = &src.equals {
        match v.get_ref() {
            toml::Value::Integer(n) if *n >= 0 => conds.push(Cond::Equals(*n as u64)),
            toml::Value::String(t) => conds.push(Cond::EqualsText(t.clone())),
            _ => {
                return Err((
                    v.span(),
                    "`equals` is a number (REG_DWORD) or a text",
                    "not a number or text",
                ));
            }
        }
    }
    if let Some(n) = &src.at_least {
        conds.push(Cond::AtLeast(*n.get_ref()));
    }
    if let Some(n) = &src.at_most {
        conds.push(Cond::AtMost(*n.get_ref()));
    }
    if let Some(v) = &src.one_of {
        conds.push(Cond::OneOf(v.get_ref().clone()));
    }
    if src.present.as_ref().is_some_and(|b| *b.get_ref()) {
        conds.push(Cond::Present);
    }
    if src.absent.as_ref().is_some_and(|b| *b.get_ref()) {
        conds.push(Cond::Absent);
    }
    if conds.len() != 1 {
        return Err((
            c.span(),
            "a STIG check states exactly one condition",
            "one of equals, at_least, at_most, one_of, present = true, absent = true",
        ));
    }
    Ok(Check {
        value: src.value.get_ref().clone(),
        cond: conds.remove(0),
        source: src.source.get_ref().clone(),
    })
}

pub(super) fn lower_policy(cx: &mut Cx, env: &Env, p: &S<ast::PolicySrc>) -> Option<Policy> {
    let p = p.get_ref();
    let span = cx.sp(&p.id);
    let id = cx.name::<PolicyId>(&p.id, "policy id");
    let idstr = p.id.get_ref().as_str();
    let class = class_or_default(cx, env, &p.class, &span);
    let key = key_or_default(cx, env, &p.key, &span);
    let value_name = p.value_name.as_ref().and_then(|v| cx.value_name(v));

    let category = policy_category(cx, env, p, &span);
    let supported_on = policy_supported_on(cx, env, p, &span);

    let display = cx.display(
        &p.display_name,
        p.display_name_id.as_ref(),
        span.clone(),
        &format!("policy `{idstr}`"),
        &[idstr],
    );
    let explain = cx.policy_explain(
        &p.explain,
        p.explain_id.as_ref(),
        span.clone(),
        &format!("policy `{idstr}`"),
        &[idstr, "Explain"],
    );

    let on_enabled = p.enabled_value.as_ref().and_then(|v| cx.reg_value(v));
    let on_disabled = p.disabled_value.as_ref().and_then(|v| cx.reg_value(v));
    values_need_a_name(cx, p);
    let enabled_list = cx.value_list(&p.enabled_list, &key);
    let disabled_list = cx.value_list(&p.disabled_list, &key);

    let (elements, controls) = policy_elements(cx, p, idstr, &key);
    let none = p.presentation.as_ref().filter(|g| g.get_ref().is_empty());
    if let Some(g) = none {
        let gspan = cx.sp(g);
        cx.diags.push(
            Diagnostic::new(
                Code::D054,
                format!("policy `{idstr}` has elements but no presentation"),
            )
            .at(gspan, "`presentation = \"\"`")
            .note("the editor loads it and shows no fields, so the elements cannot be set there; --strict makes it an error"),
        );
    }
    let presentation_id = match &p.presentation {
        Some(_) if none.is_some() => None,
        Some(given) => cx.name::<Name>(given, "presentation id"),
        None => Name::parse_loose(idstr),
    };
    // A named presentation is kept even without controls (Windows has empty ones).
    let presentation =
        (none.is_none() && (!controls.is_empty() || p.presentation.is_some())).then(|| {
            Presentation {
                id: presentation_id.unwrap_or_else(|| Name::parse("_").expect("valid")),
                controls,
            }
        });

    Some(Policy {
        id: id?,
        class: class?,
        key: key?,
        value_name,
        on_enabled,
        on_disabled,
        enabled_list,
        disabled_list,
        elements,
        category: category?,
        parent_category: p.category.is_some(),
        supported_on: supported_on?,
        display: display?,
        explain,
        presentation,
        client_extension: p.client_extension.as_ref().map(|c| c.get_ref().clone()),
        stig: stig(cx, &p.stig),
        source: p.source.as_ref().map(|s| s.get_ref().clone()),
        span,
    })
}

/// A policy's category: a local one must exist (D007 for a malformed reference). `""` is
/// `parentCategory ref=""`, kept as written (D044): `Some(None)`.
fn policy_category(
    cx: &mut Cx,
    env: &Env,
    p: &ast::PolicySrc,
    span: &Span,
) -> Option<Option<ItemRef>> {
    let Some(category) = &p.category else {
        cx.diags.push(
            Diagnostic::new(Code::D056, "policy without a category")
                .at(span.clone(), "no `category`")
                .note("the editor shows it at the root of Administrative Templates; Intune refuses such a template; --strict makes it an error"),
        );
        return Some(None);
    };
    if category.get_ref().is_empty() {
        let cspan = cx.sp(category);
        cx.unresolved(
            "an empty category reference (`parentCategory ref=\"\"`) names no category".into(),
            cspan,
        );
        return Some(None);
    }
    let r = cx.reference(category, Code::D007, "category");
    if let Some(r) = &r
        && r.prefix.is_none()
        && !env.categories.contains_key(r.name.as_str())
    {
        let cspan = cx.sp(category);
        cx.unresolved(format!("category `{}` is not defined", r.name), cspan);
    }
    r.map(Some)
}

/// A policy's supportedOn: its own, else the template default (read in the file defining it);
/// `Some(None)` for none at all (`supported_on = ""`, or no default): D053.
fn policy_supported_on(
    cx: &mut Cx,
    env: &Env,
    p: &ast::PolicySrc,
    span: &Span,
) -> Option<Option<ItemRef>> {
    match (&p.supported_on, env.default_supported) {
        (Some(s), _) if s.get_ref().is_empty() => {
            let sspan = cx.sp(s);
            no_supported_on(cx, sspan, "`supported_on = \"\"`");
            Some(None)
        }
        (Some(s), _) => resolve_supported(cx, env, s, cx.file).map(Some),
        (None, Some((file, s))) => {
            let saved = cx.file;
            let r = resolve_supported(cx, env, s, file);
            cx.file = saved;
            r.map(Some)
        }
        (None, None) => {
            no_supported_on(
                cx,
                span.clone(),
                "no `supported_on` and no template default",
            );
            Some(None)
        }
    }
}

fn no_supported_on(cx: &mut Cx, span: Span, label: &str) {
    cx.diags.push(
        Diagnostic::new(Code::D053, "policy without a supportedOn reference")
            .at(span, label.to_string())
            .note("the editor loads it and shows no \"Supported on\" text; --strict makes it an error"),
    );
}

/// `enabled_value` / `disabled_value` write to the policy's `value_name` (D003 without one).
fn values_need_a_name(cx: &mut Cx, p: &ast::PolicySrc) {
    for (field, given) in [
        ("enabled_value", &p.enabled_value),
        ("disabled_value", &p.disabled_value),
    ] {
        if let (Some(v), None) = (given, &p.value_name) {
            cx.err_on(
                Code::D003,
                format!("`{field}` needs the policy's `value_name`"),
                v,
                "no value name to write this to",
            );
        }
    }
}

/// A policy's elements and their presentation controls, in order; `label` elements are
/// controls only. An element id used twice is D006 (the second is skipped).
fn policy_elements(
    cx: &mut Cx,
    p: &ast::PolicySrc,
    idstr: &str,
    key: &Option<RegistryKey>,
) -> (Vec<Element>, Vec<Control>) {
    let mut elements = Vec::new();
    let mut controls = Vec::new();
    let mut element_ids: HashMap<String, Span> = HashMap::new();
    let mut label_no = 0;
    for e in &p.element {
        if e.get_ref().kind.get_ref() == "label" {
            label_no += 1;
            if let Some(c) = lower_label(cx, e, idstr, label_no) {
                controls.push(c);
            }
            continue;
        }
        if let Some(eid) = &e.get_ref().id {
            let msg = format!(
                "element id `{}` is used twice in policy `{idstr}`",
                eid.get_ref()
            );
            if !cx.first_use(&mut element_ids, eid.get_ref(), cx.sp(eid), Code::D006, msg) {
                continue;
            }
        }
        if let Some((el, control)) = lower_element(cx, e, idstr, key) {
            elements.push(el);
            controls.push(control);
        }
    }
    (elements, controls)
}

pub(super) fn resolve_supported(
    cx: &mut Cx,
    env: &Env,
    s: &S<String>,
    file: FileId,
) -> Option<ItemRef> {
    cx.file = file;
    let r = cx.reference(s, Code::D008, "supportedOn")?;
    if r.prefix.is_none() && !env.supported.contains(r.name.as_str()) {
        let span = cx.sp(s);
        cx.unresolved(
            format!("supportedOn definition `{}` is not defined", r.name),
            span,
        );
    }
    Some(r)
}

/// Policies and registry-only settings, their ids unique together (D004).
pub(super) fn lower_settings(
    cx: &mut Cx,
    t: &TemplateSource,
    env: &Env,
) -> (Vec<Policy>, Vec<RegistrySetting>) {
    let mut policies = Vec::new();
    let mut registry_only = Vec::new();
    let mut ids: HashMap<String, Span> = HashMap::new();
    for (file, f) in &t.files {
        cx.file = *file;
        for p in &f.policy {
            let id = p.get_ref().id.get_ref();
            let msg = format!("policy id `{id}` is defined twice");
            if cx.first_use(&mut ids, id, cx.sp(&p.get_ref().id), Code::D004, msg) {
                policies.extend(lower_policy(cx, env, p));
            }
        }
        for r in &f.registry_only {
            let id = r.get_ref().id.get_ref();
            let msg = format!("setting id `{id}` is defined twice");
            if cx.first_use(&mut ids, id, cx.sp(&r.get_ref().id), Code::D004, msg) {
                registry_only.extend(lower_registry_only(cx, env, r));
            }
        }
    }
    (policies, registry_only)
}
