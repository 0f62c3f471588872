//! Lowering of baselines: resolves each setting's policy (or registry-only setting) in its
//! template and checks every element value against the element (D027–D033), so that backends
//! only translate states into registry data.

use super::super::baseline::{
    Baseline, ElementValue, LeftOut, Parameter, RegData, Setting, State, Target, Value,
};
use super::super::element::{Element, ElementKind, StringCheck};
use super::super::id::is_oid;
use super::super::{Class, PolicySet, RegType, Template, ValueName};
use super::stig_in;
use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span};
use crate::source::ast::{S, SettingSrc};
use crate::source::{BaselineSource, ParamValue, Params};
use std::collections::BTreeMap;
use std::collections::HashMap;

pub fn lower_baselines(
    sources: &[BaselineSource],
    params: &Params,
    set: &PolicySet,
    diags: &mut Diagnostics,
) -> Vec<Baseline> {
    let index: Vec<HashMap<&str, Target>> = set
        .templates
        .iter()
        .map(|t| {
            let mut m: HashMap<&str, Target> = t
                .registry_only
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.as_str(), Target::RegistryOnly(i)))
                .collect();
            m.extend(
                t.policies
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.id.as_str(), Target::Policy(i))),
            );
            m
        })
        .collect();
    let mut out = Vec::new();
    let none = BTreeMap::new();
    for b in sources {
        let mut cx = Bx {
            diags,
            file: b.file,
            index: &index,
            supplied: params.get(&b.name).unwrap_or(&none),
            declared: Vec::new(),
            left_out: Vec::new(),
        };
        if let Some(bl) = cx.baseline(b, set) {
            out.push(bl);
        }
    }
    out
}

struct Bx<'a> {
    diags: &'a mut Diagnostics,
    file: FileId,
    /// Per template: policy and registry-only ids → target.
    index: &'a [HashMap<&'a str, Target>],
    /// The parameter values supplied for this baseline.
    supplied: &'a BTreeMap<String, ParamValue>,
    /// The parameters this baseline declares.
    declared: Vec<String>,
    left_out: Vec<LeftOut>,
}

/// The parameter a value refers to: `{ param = "name" }`.
fn param_ref(v: &toml::Value) -> Option<&str> {
    let t = v.as_table()?;
    (t.len() == 1).then_some(())?;
    t.get("param")?.as_str()
}

impl Bx<'_> {
    fn sp<T>(&self, s: &S<T>) -> Span {
        Span::new(self.file, s.span())
    }

    fn err(&mut self, code: Code, msg: impl Into<String>, span: Span, label: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, msg).at(span, label));
    }

    /// [`Bx::err`] at the place `at` was read from.
    fn err_on<T>(
        &mut self,
        code: Code,
        msg: impl Into<String>,
        at: &S<T>,
        label: impl Into<String>,
    ) {
        let span = self.sp(at);
        self.err(code, msg, span, label);
    }

    fn baseline(&mut self, b: &BaselineSource, set: &PolicySet) -> Option<Baseline> {
        let head = b.ast.baseline.get_ref();
        let head_span = self.sp(&b.ast.baseline);
        // The file stem names the baseline's output folder: it must be a usable file name.
        if let Some(why) = crate::model::id::file_name_problem(&b.name) {
            self.diags.push(
                Diagnostic::new(
                    Code::D020,
                    format!("baseline file name {:?} is not usable: it {why}", b.name),
                )
                .at(
                    Span::new(self.file, 0..0),
                    "the file's name names the output folder",
                )
                .note("rename the file: letters, digits, `_`, `-` and inner dots, then `.toml`"),
            );
            return None;
        }
        let title = head.title.get_ref();
        if title.contains(['\r', '\n', '\u{85}', '\u{2028}', '\u{2029}']) {
            self.err_on(
                Code::D051,
                "the baseline title holds a line break",
                &head.title,
                "one line: it names the GPO (gpt.ini, the GPMC backup) and heads every file",
            );
            return None;
        }
        let template = self.template_index(head, head_span.clone(), set)?;
        let t = &set.templates[template];
        let parameters = self.parameters(b)?;
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut settings = Vec::new();
        let mut ok = true;
        for s in &b.ast.setting {
            let span = self.sp(&s.get_ref().policy);
            let id = s.get_ref().policy.get_ref();
            if let Some(first) = seen.get(id) {
                self.diags.push(
                    Diagnostic::new(Code::D031, format!("`{id}` is configured twice"))
                        .at(span.clone(), "configured again here")
                        .also(first.clone(), "first configured here"),
                );
                ok = false;
                continue;
            }
            seen.insert(id.clone(), span.clone());
            match self.setting(t, template, s) {
                Some(Some(x)) if !self.value_names_fit(t, &x, span) => ok = false,
                Some(Some(x)) => settings.push(x),
                Some(None) => {}
                None => ok = false,
            }
        }
        ok.then(|| Baseline {
            name: b.name.clone(),
            title: head.title.get_ref().clone(),
            description: head.description.get_ref().trim().to_string(),
            template,
            settings,
            parameters,
            left_out: std::mem::take(&mut self.left_out),
            span: head_span,
        })
    }

    /// The template a baseline configures: named by `template`, or the only one.
    fn template_index(
        &mut self,
        head: &crate::source::ast::BaselineHeadSrc,
        head_span: Span,
        set: &PolicySet,
    ) -> Option<usize> {
        Some(match &head.template {
            Some(t) => {
                let found = set
                    .templates
                    .iter()
                    .position(|x| x.file_name.eq_ignore_ascii_case(t.get_ref()));
                if found.is_none() {
                    let names: Vec<&str> =
                        set.templates.iter().map(|x| x.file_name.as_str()).collect();
                    let span = self.sp(t);
                    self.diags.push(
                        Diagnostic::new(Code::D027, format!("unknown template `{}`", t.get_ref()))
                            .at(span, "no template has this ADMX name")
                            .note(format!("templates: {}", names.join(", "))),
                    );
                }
                found?
            }
            None if set.templates.len() == 1 => 0,
            None => {
                self.err(
                    Code::D027,
                    "this baseline does not say which template it configures",
                    head_span,
                    "add `template = \"<ADMX file name>\"`",
                );
                return None;
            }
        })
    }

    /// The `[[parameter]]`s: valid names, declared once, each with a description (D020, D041).
    fn parameters(&mut self, b: &BaselineSource) -> Option<Vec<Parameter>> {
        let mut parameters = Vec::new();
        for p in &b.ast.parameter {
            let src = p.get_ref();
            let name = src.name.get_ref();
            let span = self.sp(&src.name);
            if !crate::model::id::is_item_name(name) {
                self.err(
                    Code::D020,
                    format!("parameter name `{name}` is not a valid name"),
                    span,
                    "letters, digits and `_`",
                );
                return None;
            }
            if self.declared.contains(name) {
                self.err(
                    Code::D041,
                    format!("parameter `{name}` is declared twice"),
                    span,
                    "declared again here",
                );
                return None;
            }
            if src.description.get_ref().trim().is_empty() {
                self.err_on(
                    Code::D041,
                    format!("parameter `{name}` has no description"),
                    &src.description,
                    "say what a site supplies here",
                );
                return None;
            }
            self.declared.push(name.clone());
            parameters.push(Parameter {
                name: name.clone(),
                description: src.description.get_ref().trim().to_string(),
                supplied: self.supplied.get(name).map(|v| v.origin.clone()),
            });
        }
        Some(parameters)
    }

    /// `None` on an error; `Some(None)` when the setting is left out for a missing parameter.
    /// A template may hold a value name longer than Registry.pol carries (the editor loads it,
    /// D052); a baseline cannot set such a policy, since no GPO could deliver it.
    fn value_names_fit(&mut self, t: &Template, s: &Setting, span: Span) -> bool {
        let long = crate::model::effect::apply(t, s)
            .into_iter()
            .find_map(|op| match op.action {
                crate::model::effect::Action::Set { name, .. }
                | crate::model::effect::Action::DeleteValue(name)
                    if name.chars().count() > super::super::id::MAX_VALUE_NAME =>
                {
                    Some(name)
                }
                _ => None,
            });
        let Some(name) = long else { return true };
        self.diags.push(
            Diagnostic::new(
                Code::D012,
                format!(
                    "`{}` writes a value name of {} characters; Registry.pol carries at most {}",
                    s.id(t),
                    name.chars().count(),
                    super::super::id::MAX_VALUE_NAME
                ),
            )
            .at(span, "cannot be delivered by a GPO"),
        );
        false
    }

    fn setting(&mut self, t: &Template, ti: usize, s: &S<SettingSrc>) -> Option<Option<Setting>> {
        let src = s.get_ref();
        let id = src.policy.get_ref();
        let span = self.sp(&src.policy);
        let target = self.target(t, ti, id, &span)?;
        let missing = self.missing_parameters(src)?;
        if !missing.is_empty() {
            self.diags.push(
                Diagnostic::new(
                    Code::B009,
                    format!(
                        "`{id}` is left out of this baseline's outputs: parameter(s) {} not supplied",
                        missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .at(span.clone(), "needs a site's value")
                .note("supply it with `gpforge build --set <baseline>.<parameter>=<value>` or `--params FILE`"),
            );
            self.left_out.push(LeftOut {
                id: id.clone(),
                missing,
            });
            return Some(None);
        }
        let (own_class, policy_stig) = match target {
            Target::Policy(i) => (t.policies[i].class, &t.policies[i].stig),
            Target::RegistryOnly(i) => (t.registry_only[i].class, &t.registry_only[i].stig),
        };
        let class = self.class(src, own_class, &span)?;
        let state = self.state(t, src, target, &span)?;
        // A baseline names the rules its choice satisfies (`stig = []` for none); without
        // `stig` it claims the policy's rules, and the test suite checks the value meets them.
        let stig = match &src.stig {
            // A rule named here without a check takes the policy's check of the same rule.
            Some(_) => stig_in(self.file, self.diags, &src.stig)
                .into_iter()
                .map(|mut r| {
                    if r.check.is_none() {
                        r.check = policy_stig
                            .iter()
                            .find(|p| p.benchmark == r.benchmark && p.vuln == r.vuln)
                            .and_then(|p| p.check.clone());
                    }
                    r
                })
                .collect(),
            None => policy_stig.clone(),
        };
        Some(Some(Setting {
            target,
            state,
            class,
            stig,
            note: src.note.as_ref().map(|n| n.get_ref().trim().to_string()),
            span,
        }))
    }

    /// The policy or registry-only setting a setting names (D027 when the template has none).
    fn target(&mut self, t: &Template, ti: usize, id: &str, span: &Span) -> Option<Target> {
        if let Some(found) = self.index[ti].get(id) {
            return Some(*found);
        }
        let mut d = Diagnostic::new(
            Code::D027,
            format!("template `{}` has no policy `{id}`", t.file_name),
        )
        .at(span.clone(), "unknown policy id");
        let near = t
            .policies
            .iter()
            .map(|p| p.id.as_str())
            .chain(t.registry_only.iter().map(|r| r.id.as_str()))
            .find(|p| p.eq_ignore_ascii_case(id));
        if let Some(near) = near {
            d = d.note(format!("ids are case-sensitive: did you mean `{near}`?"));
        }
        self.diags.push(d);
        None
    }

    /// The parameters a setting needs (`requires`, `$param` values) that were not supplied;
    /// `None` after D041 when one is not declared.
    fn missing_parameters(&mut self, src: &SettingSrc) -> Option<Vec<String>> {
        // Parameters: every one named must be declared; a missing value leaves the setting out.
        let mut needed: Vec<(String, Span)> = Vec::new();
        if let Some(r) = &src.requires {
            for n in r.get_ref() {
                needed.push((n.get_ref().clone(), self.sp(n)));
            }
        }
        let refs = src
            .values
            .iter()
            .flat_map(|v| v.get_ref().values())
            .chain(src.value.iter());
        for v in refs {
            if let Some(n) = param_ref(v.get_ref()) {
                needed.push((n.to_string(), self.sp(v)));
            }
        }
        let mut missing = Vec::new();
        for (n, nspan) in &needed {
            if !self.declared.contains(n) {
                self.err(
                    Code::D041,
                    format!("unknown parameter `{n}`"),
                    nspan.clone(),
                    "declare it with [[parameter]] name = … description = …",
                );
                return None;
            }
            if !self.supplied.contains_key(n) && !missing.contains(n) {
                missing.push(n.clone());
            }
        }
        Some(missing)
    }

    /// The state a setting gives its target, with the values an enabled one writes.
    fn state(
        &mut self,
        t: &Template,
        src: &SettingSrc,
        target: Target,
        span: &Span,
    ) -> Option<State> {
        let id = src.policy.get_ref();
        let state_span = self.sp(&src.state);
        Some(match src.state.get_ref().as_str() {
            "not_configured" | "disabled" => {
                if let Some(v) = src.values.as_ref().map(|v| self.sp(v)) {
                    self.err(
                        Code::D032,
                        format!("`values` on a policy that is {}", src.state.get_ref()),
                        v,
                        "only an enabled policy has element values",
                    );
                    return None;
                }
                if let Some(v) = src.value.as_ref().map(|v| self.sp(v)) {
                    self.err(
                        Code::D032,
                        format!("`value` on a setting that is {}", src.state.get_ref()),
                        v,
                        "only an enabled setting has a value",
                    );
                    return None;
                }
                if src.state.get_ref() == "disabled" {
                    State::Disabled
                } else {
                    State::NotConfigured
                }
            }
            "enabled" => match target {
                Target::Policy(i) => {
                    if let Some(v) = &src.value {
                        self.err_on(
                            Code::D032,
                            "a policy takes `values = { <element id> = … }`, not `value`",
                            v,
                            "`value` is for registry-only settings",
                        );
                        return None;
                    }
                    State::Enabled(self.element_values(t, i, src, span)?)
                }
                Target::RegistryOnly(i) => {
                    let r = &t.registry_only[i];
                    let Some(v) = &src.value else {
                        self.err(
                            Code::D030,
                            format!("enabled setting `{id}` has no `value`"),
                            span.clone(),
                            format!("add `value = …` ({})", r.reg_type.reg_name()),
                        );
                        return None;
                    };
                    let v = self.substituted(v);
                    State::Set(self.reg_data(r.reg_type, &v)?)
                }
            },
            other => {
                self.err(
                    Code::D032,
                    format!("unknown state `{other}`"),
                    state_span,
                    "expected `enabled`, `disabled` or `not_configured`",
                );
                return None;
            }
        })
    }

    /// The hive: a `Both` policy needs `class`; any other policy may only repeat its own.
    fn class(&mut self, src: &SettingSrc, own: Class, span: &Span) -> Option<Class> {
        match (&src.class, own) {
            (None, Class::Both) => {
                self.err(
                    Code::D032,
                    "this policy is `Both` (user and machine): say which half the baseline writes",
                    span.clone(),
                    "add `class = \"User\"` or `class = \"Machine\"`",
                );
                None
            }
            (None, c) => Some(c),
            (Some(c), own) => {
                let cspan = self.sp(c);
                match (Class::parse(c.get_ref()), own) {
                    (Some(Class::Both), _) | (None, _) => {
                        self.err(
                            Code::D032,
                            format!("`class = \"{}\"` in a baseline", c.get_ref()),
                            cspan,
                            "expected `User` or `Machine`",
                        );
                        None
                    }
                    (Some(c), Class::Both) => Some(c),
                    (Some(c), own) if c == own => Some(c),
                    (Some(c), own) => {
                        self.err(
                            Code::D032,
                            format!(
                                "the policy is `{}`; a baseline cannot write it to `{}`",
                                own.as_str(),
                                c.as_str()
                            ),
                            cspan,
                            "remove `class`",
                        );
                        None
                    }
                }
            }
        }
    }

    fn element_values(
        &mut self,
        t: &Template,
        i: usize,
        src: &SettingSrc,
        span: &Span,
    ) -> Option<Vec<ElementValue>> {
        let p = &t.policies[i];
        // A `{ param = "…" }` stands for the supplied value, at the reference's span.
        let given: Vec<(&S<String>, S<toml::Value>)> = src
            .values
            .as_ref()
            .map(|v| {
                v.get_ref()
                    .iter()
                    .map(|(k, v)| (k, self.substituted(v)))
                    .collect()
            })
            .unwrap_or_default();
        let mut ok = true;
        for (k, _) in &given {
            if !p.elements.iter().any(|e| e.id.as_str() == k.get_ref()) {
                let ks = self.sp(*k);
                let ids: Vec<&str> = p.elements.iter().map(|e| e.id.as_str()).collect();
                self.diags.push(
                    Diagnostic::new(
                        Code::D033,
                        format!("policy `{}` has no element `{}`", p.id, k.get_ref()),
                    )
                    .at(ks, "unknown element id")
                    .note(if ids.is_empty() {
                        "this policy has no elements; remove `values`".to_string()
                    } else {
                        format!("its elements: {}", ids.join(", "))
                    }),
                );
                ok = false;
            }
        }
        let mut out = Vec::new();
        for (n, e) in p.elements.iter().enumerate() {
            match given.iter().find(|(k, _)| k.get_ref() == e.id.as_str()) {
                Some((_, v)) => match self.element_value(e, v) {
                    Some(value) => out.push(ElementValue { element: n, value }),
                    None => ok = false,
                },
                None => {
                    let at = src
                        .values
                        .as_ref()
                        .map(|v| self.sp(v))
                        .unwrap_or(span.clone());
                    self.err(
                        Code::D030,
                        format!(
                            "enabled policy `{}` gives no value for element `{}`",
                            p.id, e.id
                        ),
                        at,
                        format!("add `{} = …` ({})", e.id, e.kind.admx_name()),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// `v`, or the value supplied for the parameter it names (checked to exist before).
    fn substituted(&self, v: &S<toml::Value>) -> S<toml::Value> {
        match param_ref(v.get_ref()).and_then(|n| self.supplied.get(n)) {
            Some(p) => S::new(v.span(), p.value.clone()),
            None => v.clone(),
        }
    }

    fn wrong_kind(&mut self, span: Span, e: &Element, expected: &str) {
        self.err(
            Code::D032,
            format!(
                "element `{}` ({}) takes {expected}",
                e.id,
                e.kind.admx_name()
            ),
            span,
            "value of the wrong kind",
        );
    }

    fn out_of_range(&mut self, span: Span, msg: String, label: String) {
        self.err(Code::D029, msg, span, label);
    }

    fn element_value(&mut self, e: &Element, v: &S<toml::Value>) -> Option<Value> {
        let span = self.sp(v);
        let val = v.get_ref();
        match &e.kind {
            ElementKind::Boolean { .. } => match val {
                toml::Value::Boolean(b) => Some(Value::Boolean(*b)),
                _ => {
                    self.wrong_kind(span, e, "`true` or `false`");
                    None
                }
            },
            ElementKind::Decimal { .. } | ElementKind::LongDecimal { .. } => {
                self.decimal_value(e, val, span)
            }
            ElementKind::Text {
                max_length, check, ..
            } => self.text_value(e, val, span, *max_length, *check),
            ElementKind::MultiText {
                max_length,
                max_strings,
                ..
            } => self.multi_text_value(e, val, span, *max_length, *max_strings),
            ElementKind::Enum { items, .. } => self.enum_value(e, val, span, items),
            ElementKind::List {
                explicit_value,
                value_prefix,
                ..
            } => self.list_value(e, val, span, *explicit_value, value_prefix.is_some()),
        }
    }

    fn decimal_value(&mut self, e: &Element, val: &toml::Value, span: Span) -> Option<Value> {
        let spec = e.kind.number()?;
        let Some(n) = val.as_integer() else {
            self.wrong_kind(span, e, "a number");
            return None;
        };
        let (min, max) = (spec.min, spec.max);
        match u64::try_from(n) {
            Ok(n) if (min..=max).contains(&n) => Some(if spec.long {
                Value::LongDecimal(n)
            } else {
                // max fits a u32 for a decimal, so n does too.
                Value::Decimal(n as u32)
            }),
            _ => {
                self.out_of_range(
                    span,
                    format!("{n} is outside {min}..={max} of `{}`", e.id),
                    format!("allowed: {min} to {max}"),
                );
                None
            }
        }
    }

    fn text_value(
        &mut self,
        e: &Element,
        val: &toml::Value,
        span: Span,
        max_length: u32,
        check: Option<StringCheck>,
    ) -> Option<Value> {
        let Some(s) = val.as_str() else {
            self.wrong_kind(span, e, "a string");
            return None;
        };
        self.text_len(&span, e, s, max_length)?;
        if check == Some(StringCheck::Oid) && !is_oid(s) {
            self.err(
                Code::D023,
                format!("`{s}` is not an object identifier"),
                span,
                "expected dotted decimal arcs, e.g. 2.16.840.1.101.3.4.1.42",
            );
            return None;
        }
        Some(Value::Text(s.to_string()))
    }

    fn multi_text_value(
        &mut self,
        e: &Element,
        val: &toml::Value,
        span: Span,
        max_length: u32,
        max_strings: u32,
    ) -> Option<Value> {
        let Some(items) = string_array(val) else {
            self.wrong_kind(span, e, "an array of strings");
            return None;
        };
        if max_strings > 0 && items.len() > max_strings as usize {
            self.out_of_range(
                span,
                format!(
                    "{} strings for `{}`, which allows {max_strings}",
                    items.len(),
                    e.id
                ),
                "too many strings".to_string(),
            );
            return None;
        }
        for s in &items {
            self.text_len(&span, e, s, max_length)?;
        }
        self.multi_string(&span, &items)?;
        Some(Value::MultiText(items))
    }

    fn enum_value(
        &mut self,
        e: &Element,
        val: &toml::Value,
        span: Span,
        items: &[crate::model::EnumItem],
    ) -> Option<Value> {
        let Some(name) = val.as_str() else {
            self.wrong_kind(span, e, "an item name (a string)");
            return None;
        };
        match items.iter().position(|i| i.name.as_str() == name) {
            Some(i) => Some(Value::Enum(i, items[i].name.clone())),
            None => {
                let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
                let mut d = Diagnostic::new(
                    Code::D028,
                    format!("element `{}` has no item `{name}`", e.id),
                )
                .at(span, "unknown item");
                if let Some(near) = crate::diag::nearest(name, names.iter().copied()) {
                    d = d.note(format!("did you mean `{near}`?"));
                }
                self.diags
                    .push(d.note(format!("its items: {}", names.join(", "))));
                None
            }
        }
    }

    /// A list's entries: strings, or `{ name, value }` tables with `explicit_value`; explicit
    /// names, or (without a prefix) the data itself, become value names and must be usable.
    fn list_value(
        &mut self,
        e: &Element,
        val: &toml::Value,
        span: Span,
        explicit_value: bool,
        has_prefix: bool,
    ) -> Option<Value> {
        let list = if explicit_value {
            let pairs = val.as_array().and_then(|a| {
                a.iter()
                    .map(|x| {
                        let t = x.as_table()?;
                        if t.len() != 2 {
                            return None;
                        }
                        Some((
                            Some(t.get("name")?.as_str()?.to_string()),
                            t.get("value")?.as_str()?.to_string(),
                        ))
                    })
                    .collect::<Option<Vec<_>>>()
            });
            match pairs {
                Some(p) => p,
                None => {
                    self.wrong_kind(
                        span,
                        e,
                        "an array of `{ name = \"…\", value = \"…\" }` tables",
                    );
                    return None;
                }
            }
        } else {
            match string_array(val) {
                Some(items) => items.into_iter().map(|s| (None, s)).collect(),
                None => {
                    self.wrong_kind(span, e, "an array of strings");
                    return None;
                }
            }
        };
        // Explicit names, or (without a prefix) the data itself, become value names.
        for (name, data) in &list {
            let Some(n) = name.as_ref().or((!has_prefix).then_some(data)) else {
                continue;
            };
            if ValueName::parse(n).is_none() || n.chars().any(char::is_control) {
                self.err(
                    Code::D032,
                    format!("list entry {n:?} of `{}` is not a usable value name", e.id),
                    span,
                    "value names have 1 to 259 characters and no control characters",
                );
                return None;
            }
        }
        Some(Value::List(list))
    }

    /// Items of a multi-string (REG_MULTI_SZ) value: every format must read the same list. An
    /// empty item ends the list for Windows' readers (two NULs in a row), U+F000 is the separator
    /// of Intune's payload, a line break splits an item in the editor's one-item-per-line box.
    fn multi_string(&mut self, span: &Span, items: &[String]) -> Option<()> {
        for (i, s) in items.iter().enumerate() {
            let why = if s.is_empty() {
                "is empty (an empty string ends a REG_MULTI_SZ list for Windows' readers)"
            } else if s.contains('\u{F000}') {
                "contains U+F000, the item separator of Intune's payload"
            } else if s.contains(['\r', '\n']) {
                "contains a line break (the editor shows one item per line)"
            } else {
                continue;
            };
            self.err(
                Code::D022,
                format!("item {} of this list {why}", i + 1),
                span.clone(),
                "every format must read the same items",
            );
            return None;
        }
        Some(())
    }

    fn text_len(&mut self, span: &Span, e: &Element, s: &str, max: u32) -> Option<()> {
        let n = s.chars().count();
        if n > max as usize {
            self.out_of_range(
                span.clone(),
                format!("{n} characters for `{}`, which allows {max}", e.id),
                "too long".to_string(),
            );
            return None;
        }
        Some(())
    }

    /// The data of a registry-only setting, by its registry type.
    fn reg_data(&mut self, ty: RegType, v: &S<toml::Value>) -> Option<RegData> {
        let span = self.sp(v);
        let val = v.get_ref();
        let data = match ty {
            RegType::Dword => val
                .as_integer()
                .and_then(|n| u32::try_from(n).ok())
                .map(RegData::Dword),
            RegType::Qword => val
                .as_integer()
                .and_then(|n| u64::try_from(n).ok())
                .map(RegData::Qword),
            RegType::String => val.as_str().map(|s| RegData::Sz(s.to_string())),
            RegType::ExpandString => val.as_str().map(|s| RegData::ExpandSz(s.to_string())),
            RegType::MultiString => match string_array(val) {
                Some(items) => {
                    self.multi_string(&span, &items)?;
                    Some(RegData::MultiSz(items))
                }
                None => None,
            },
            RegType::Binary => val.as_str().and_then(parse_hex).map(RegData::Binary),
        };
        if data.is_none() {
            let expected = match ty {
                RegType::Dword => "a number from 0 to 4294967295",
                RegType::Qword => "a non-negative number",
                RegType::String | RegType::ExpandString => "a string",
                RegType::MultiString => "an array of strings",
                RegType::Binary => "hex bytes as a string, e.g. \"31 0a 02 01\"",
            };
            self.err(
                Code::D032,
                format!("not {} data", ty.reg_name()),
                span,
                format!("expected {expected}"),
            );
        }
        data
    }
}

fn string_array(v: &toml::Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// `"31 0a,02"` → bytes; separators are spaces, commas or colons; an empty string is no data.
fn parse_hex(s: &str) -> Option<Vec<u8>> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | ':' | '\n' | '\t'))
        .collect();
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return None;
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok())
        .collect()
}
