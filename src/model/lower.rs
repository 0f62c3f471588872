//! Lowering: the only code that builds the model. It resolves template defaults, references
//! (categories, supportedOn, `$(string.ID)`), generates string ids, and reports every problem in
//! the definitions as a D-code diagnostic with a span, collecting all of them.
//! Input: [`Definitions`] (AST + file ids). Output: [`PolicySet`] (meaningful only without errors).

use super::element::{DEFAULT_DECIMAL_MAX, DEFAULT_MAX_LENGTH, StringCheck};
use super::id::{AdmxName, KeyError, is_oid};
use super::policy::MAX_VALUE_STRING;
use super::*;
use crate::admx::view::reference_id;
use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span};
use crate::source::ast::{self, S};
use crate::source::{Definitions, SourceMap, TemplateSource};
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};

mod baseline;
mod category;
mod collisions;
mod element;
mod header;
mod policy;
mod presentation;
mod registry_only;
mod strings;
mod supported;

use collisions::check_collisions;
use element::{lower_element, lower_label};
use policy::{Env, class_or_default, key_or_default, stig, stig_in};
use registry_only::lower_registry_only;
use strings::written;

/// Lowers every template. Check `diags.has_errors()` before using the result.
pub fn lower(defs: &Definitions, sources: &SourceMap, diags: &mut Diagnostics) -> PolicySet {
    let mut set = PolicySet::default();
    let mut seen: Vec<(String, String, String, Span)> = Vec::new();
    for t in &defs.templates {
        let start = diags.len();
        let lowered = lower_template(t, sources, diags);
        let strict = defs.strict
            || t.files.iter().any(|(_, f)| {
                f.template
                    .as_ref()
                    .and_then(|h| h.get_ref().strict.as_ref())
                    .is_some_and(|s| *s.get_ref())
            });
        if strict {
            diags.promote_from(start, Code::TOLERATED);
        }
        if let Some(template) = lowered {
            let (name, span) = template;
            let key = (
                name.file_name.to_ascii_lowercase(),
                name.target.prefix.as_str().to_string(),
                name.target.namespace.as_str().to_string(),
            );
            if let Some(first) = seen
                .iter()
                .find(|s| s.0 == key.0 || s.1 == key.1 || s.2 == key.2)
            {
                diags.push(
                    Diagnostic::new(
                        Code::D026,
                        format!(
                            "template `{}` repeats the file name, prefix or namespace of another template",
                            name.file_name
                        ),
                    )
                    .at(span.clone(), "declared again here")
                    .also(first.3.clone(), "first declared here"),
                );
            }
            seen.push((key.0, key.1, key.2, span));
            set.templates.push(name);
        }
    }
    // Baselines refer to templates; with broken templates their references would mislead.
    if !diags.has_errors() {
        set.baselines = baseline::lower_baselines(&defs.baselines, &defs.params, &set, diags);
    }
    set
}

/// Per-template lowering state.
struct Cx<'a> {
    diags: &'a mut Diagnostics,
    file: FileId,
    /// en-US strings with the span that defined them.
    strings: IndexMap<StringId, (String, Span)>,
    /// `$(string.ID)` references to check once every string is known.
    string_refs: Vec<(StringId, Span)>,
    usings: HashSet<String>,
    /// Ids given in `[strings]` tables: written to every ADML even when nothing refers to them.
    declared: Vec<StringId>,
}

impl Cx<'_> {
    fn sp<T>(&self, s: &S<T>) -> Span {
        Span::new(self.file, s.span())
    }

    /// Records `key` as taken at `span`. If it was taken before, reports `code` with both places
    /// and returns false.
    fn first_use(
        &mut self,
        seen: &mut HashMap<String, Span>,
        key: &str,
        span: Span,
        code: Code,
        msg: String,
    ) -> bool {
        if let Some(first) = seen.get(key) {
            let first = first.clone();
            self.diags.push(
                Diagnostic::new(code, msg)
                    .at(span, "again here")
                    .also(first, "first here"),
            );
            return false;
        }
        seen.insert(key.to_string(), span);
        true
    }

    fn err(&mut self, code: Code, msg: impl Into<String>, span: Span, label: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, msg).at(span, label));
    }

    /// [`Cx::err`] at the place `at` was read from in the current file.
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

    /// A name: the XSD's itemName, or a name the editor loads with `-` or `.` (D042), else
    /// D020.
    fn name<T: AdmxName>(&mut self, s: &S<String>, what: &str) -> Option<T> {
        let raw = s.get_ref();
        if let Some(v) = T::strict(raw) {
            return Some(v);
        }
        let span = self.sp(s);
        if let Some(v) = T::loose(raw) {
            self.loose_name(what, raw, span);
            return Some(v);
        }
        self.diags.push(
            Diagnostic::new(
                Code::D020,
                format!("{what} `{raw}` is not a valid ADMX name"),
            )
            .at(
                span,
                "only letters, digits and `_` are allowed (`-` and `.` with a warning)",
            )
            .note("ADMX names must match (\\p{L}|\\p{N}|_)+ (BaseTypes.xsd itemName)"),
        );
        None
    }

    /// Reports D042 for a name outside the XSD's itemName that the editor loads.
    fn loose_name(&mut self, what: &str, raw: &str, span: Span) {
        self.diags.push(
            Diagnostic::new(
                Code::D042,
                format!("{what} `{raw}` is outside the XSD's itemName; the editor loads it"),
            )
            .at(span, "`-` and `.` are not in (\\p{L}|\\p{N}|_)+")
            .note("validate --profile schema reports it (V021); --strict makes it an error"),
        );
    }

    /// A decimal box's `default`: a number, or `""` (`defaultValue=""`, D049); anything else
    /// D022. Returns the number and whether it was the empty text.
    fn decimal_default(&mut self, d: Option<&S<toml::Value>>) -> (Option<u64>, bool) {
        let Some(d) = d else { return (None, false) };
        let span = self.sp(d);
        match d.get_ref() {
            toml::Value::Integer(i) if *i >= 0 => (Some(*i as u64), false),
            toml::Value::String(t) if t.is_empty() => {
                self.err(
                    Code::D049,
                    "an empty decimal default (`defaultValue=\"\"`)",
                    span,
                    "written as `defaultValue=\"\"`",
                );
                (None, true)
            }
            _ => {
                self.err(
                    Code::D022,
                    "a decimal default must be a non-negative integer",
                    span,
                    "not a number",
                );
                (None, false)
            }
        }
    }

    /// D044: a reference without prefix to something this template does not define.
    fn unresolved(&mut self, msg: String, span: Span) {
        self.diags.push(
            Diagnostic::new(Code::D044, msg)
                .at(span, "not defined in this template")
                .note("the editor loads the file but cannot resolve the reference (a policy is then not shown under any category); --strict makes it an error"),
        );
    }

    /// A string id given as text (a `[strings]` key, `$(string.ID)`, `…_id = "ID"`).
    fn string_id(&mut self, raw: &str, what: &str, span: Span) -> Option<StringId> {
        if let Some(v) = StringId::parse(raw) {
            return Some(v);
        }
        if let Some(v) = StringId::parse_loose(raw) {
            self.loose_name(what, raw, span);
            return Some(v);
        }
        self.err(
            Code::D020,
            format!("{what} `{raw}` is not a valid ADMX name"),
            span,
            "only letters, digits and `_` are allowed (`-` and `.` with a warning)",
        );
        None
    }

    /// A target or using namespace: a dotted name, or an `xs:anyURI` the editor loads (D042).
    fn namespace(&mut self, s: &S<String>) -> Option<NamespaceName> {
        let raw = s.get_ref();
        if let Some(v) = NamespaceName::parse(raw) {
            return Some(v);
        }
        let span = self.sp(s);
        if let Some(v) = NamespaceName::parse_loose(raw) {
            self.loose_name("namespace", raw, span);
            return Some(v);
        }
        self.err(
            Code::D020,
            format!("namespace `{raw}` is not a dotted name"),
            span,
            "expected e.g. `Contoso.Policies.Outlook`, without white space",
        );
        None
    }

    fn key(&mut self, s: &S<String>) -> Option<RegistryKey> {
        match RegistryKey::parse(s.get_ref()) {
            Ok(k) => Some(k),
            Err(KeyError::EmptySegment | KeyError::ForwardSlash)
                if RegistryKey::parse_loose(s.get_ref()).is_ok() =>
            {
                let (k, why) = RegistryKey::parse_loose(s.get_ref()).ok()?;
                let span = self.sp(s);
                self.diags.push(
                    Diagnostic::new(Code::D046, format!("registry key `{}` {why}", s.get_ref()))
                        .at(span, "kept as written in the ADMX")
                        .note("the editor loads it; --strict makes it an error"),
                );
                Some(k)
            }
            Err(KeyError::Hive) if RegistryKey::parse_under_hive(s.get_ref()).is_ok() => {
                let span = self.sp(s);
                self.diags.push(
                    Diagnostic::new(
                        Code::D010,
                        format!("registry key starts with a hive: `{}`", s.get_ref()),
                    )
                    .at(span, "kept as written in the ADMX")
                    .note(
                        "the editor loads it and writes a subkey of that name under the class's hive (HKCU\\HKEY_CURRENT_USER\\…); remove the hive, or --strict makes it an error",
                    ),
                );
                RegistryKey::parse_under_hive(s.get_ref()).ok()
            }
            Err(e) => {
                let span = self.sp(s);
                let (code, msg, label) = match e {
                    KeyError::Hive => (
                        Code::D010,
                        "registry key starts with a hive",
                        "remove the hive; the policy class chooses HKCU or HKLM",
                    ),
                    KeyError::ForwardSlash => (
                        Code::D011,
                        "registry key contains `/`",
                        "registry keys are separated by `\\`",
                    ),
                    KeyError::EmptySegment => (
                        Code::D011,
                        "registry key has an empty segment",
                        "no leading, trailing or doubled `\\`",
                    ),
                    KeyError::Empty => (Code::D011, "registry key is empty", "empty"),
                    KeyError::Control => (
                        Code::D011,
                        "registry key contains a control character",
                        "CR, LF, tab and other control characters are not allowed in keys",
                    ),
                    KeyError::SegmentTooLong => (
                        Code::D011,
                        "registry key has a segment longer than 255 characters",
                        "Windows limits each key name to 255 characters",
                    ),
                };
                self.err(code, format!("{msg}: `{}`", s.get_ref()), span, label);
                None
            }
        }
    }

    fn value_name(&mut self, s: &S<String>) -> Option<ValueName> {
        if s.get_ref().is_empty() {
            let span = self.sp(s);
            self.diags.push(
                Diagnostic::new(
                    Code::D045,
                    "registry value name is empty: the key's default value",
                )
                .at(span, "`valueName=\"\"`")
                .note(
                    "`.reg` writes it as `@`, LGPO text as `(Default)`; --strict makes it an error",
                ),
            );
            return Some(ValueName::default_value());
        }
        let v = ValueName::parse(s.get_ref());
        if v.is_none()
            && let Some(long) = ValueName::parse_long(s.get_ref())
        {
            let span = self.sp(s);
            self.diags.push(
                Diagnostic::new(
                    Code::D052,
                    format!(
                        "registry value name has {} characters; Registry.pol carries at most {}",
                        s.get_ref().chars().count(),
                        id::MAX_VALUE_NAME
                    ),
                )
                .at(span, "kept as written in the ADMX")
                .note(
                    "the editor loads it, but no baseline can set it; --strict makes it an error",
                ),
            );
            return Some(long);
        }
        if v.is_none() {
            let n = s.get_ref().chars().count();
            self.err_on(
                Code::D012,
                if s.get_ref().chars().any(char::is_control) {
                    "registry value name contains a control character".to_string()
                } else {
                    format!(
                        "registry value name has {n} characters; 1 to {} are allowed",
                        id::MAX_VALUE_NAME
                    )
                },
                s,
                "value names have 1 to 259 characters and no control characters",
            );
        }
        v
    }

    fn class(&mut self, s: &S<String>) -> Option<Class> {
        let c = Class::parse(s.get_ref());
        if c.is_none() {
            self.err_on(
                Code::D022,
                format!("unknown class `{}`", s.get_ref()),
                s,
                "expected `User`, `Machine` or `Both`",
            );
        }
        c
    }

    /// Registers an en-US text. A text of the exact form `$(string.ID)` refers to `[strings]`
    /// (`$$(string.ID)` is that text literally: a leading `$$` stands for `$`);
    /// anything else is stored under `id` when given (`display_name_id = "…"`), else under the
    /// generated id.
    fn text(
        &mut self,
        s: &S<String>,
        id: Option<&S<String>>,
        generated: &[&str],
    ) -> Option<StringId> {
        let span = self.sp(s);
        let raw = s.get_ref();
        if let Some(inner) = reference_id(raw, "string") {
            let id = self.string_id(inner, "string reference id", span.clone())?;
            self.string_refs.push((id.clone(), span));
            return Some(id);
        }
        let id = match id {
            Some(given) => {
                let gspan = self.sp(given);
                self.string_id(given.get_ref(), "string id", gspan)?
            }
            // The parts were already reported as invalid names.
            None => StringId::join(generated)?,
        };
        // `$$…` is the escape for a text that starts with `$` literally (a text that reads
        // `$(string.X)` in the editor is written `$$(string.X)`): one `$` is dropped.
        let literal = raw
            .strip_prefix('$')
            .filter(|r| r.starts_with('$'))
            .unwrap_or(raw);
        self.add_string(id.clone(), written(literal), span);
        Some(id)
    }

    fn add_string(&mut self, id: StringId, text: String, span: Span) {
        if let Some((_, first)) = self.strings.get(&id) {
            let first = first.clone();
            self.diags.push(
                Diagnostic::new(Code::D021, format!("string id `{id}` is defined twice"))
                    .at(span, "defined again here")
                    .also(first, "first defined here")
                    .note("generated ids are `<policy>`, `<policy>_Explain`, `<policy>_<element>` and `<policy>_<element>_<item>`"),
            );
            return;
        }
        self.strings.insert(id, (text, span));
    }

    /// A required display text (D018 when missing or blank).
    fn display(
        &mut self,
        s: &Option<S<String>>,
        id: Option<&S<String>>,
        owner: Span,
        what: &str,
        generated: &[&str],
    ) -> Option<StringId> {
        match s {
            Some(s) if !s.get_ref().trim().is_empty() => self.text(s, id, generated),
            Some(s) => {
                let span = self.sp(s);
                self.diags.push(
                    Diagnostic::new(Code::D043, format!("{what} has a blank en-US display name"))
                        .at(span, "blank")
                        .note("the editor shows an empty entry; --strict makes it an error"),
                );
                self.text(s, id, generated)
            }
            None => {
                self.err(
                    Code::D018,
                    format!("{what} has no en-US display name"),
                    owner,
                    "add `display_name = \"…\"` to this block",
                );
                None
            }
        }
    }

    fn explain(
        &mut self,
        s: &Option<S<String>>,
        id: Option<&S<String>>,
        owner: Span,
        what: &str,
        generated: &[&str],
    ) -> Option<StringId> {
        match s {
            Some(s) if !s.get_ref().trim().is_empty() => self.text(s, id, generated),
            _ => {
                let span = s.as_ref().map(|s| self.sp(s)).unwrap_or(owner);
                let mut d = Diagnostic::new(
                    Code::D019,
                    format!("{what} has no en-US explain text"),
                )
                .at(
                    span,
                    "add `explain = \"\"\"…\"\"\"` describing Enabled, Disabled and Not configured",
                );
                // gpforge's own registry-only settings must explain themselves.
                d.severity = crate::diag::Severity::Error;
                self.diags.push(d);
                None
            }
        }
    }

    /// A policy's explain text, which the schema makes optional: none (no `explainText`), the
    /// text, or an empty text kept as such; the first and last warn (D019, tolerated).
    fn policy_explain(
        &mut self,
        s: &Option<S<String>>,
        id: Option<&S<String>>,
        owner: Span,
        what: &str,
        generated: &[&str],
    ) -> Option<StringId> {
        let (span, empty) = match s {
            Some(s) if !s.get_ref().trim().is_empty() => return self.text(s, id, generated),
            Some(s) => (self.sp(s), true),
            None => (owner, false),
        };
        self.diags.push(
            Diagnostic::new(Code::D019, format!("{what} has no en-US explain text"))
                .at(
                    span,
                    if empty {
                        "empty: written as an empty explain text"
                    } else {
                        "no explainText is written"
                    },
                )
                .note(
                    "the editor shows no explanation; Intune's ADMX import refuses such a policy",
                ),
        );
        match s {
            Some(s) => self.text(s, id, generated),
            None => None,
        }
    }

    /// An ADMX `Value` written in TOML: an integer (decimal), a string, or a table with one of
    /// `decimal`, `long_decimal`, `string`, `delete = true`.
    fn reg_value(&mut self, s: &S<toml::Value>) -> Option<RegValue> {
        let span = self.sp(s);
        let decimal = |cx: &mut Self, i: i64| match u32::try_from(i) {
            Ok(v) => Some(RegValue::Decimal(v)),
            Err(_) => {
                cx.err(
                    Code::D003,
                    format!("{i} does not fit a REG_DWORD (0 to 4294967295)"),
                    span.clone(),
                    "use `{ long_decimal = … }` for a REG_QWORD",
                );
                None
            }
        };
        let string = |cx: &mut Self, t: &str| {
            if t.chars().count() > MAX_VALUE_STRING {
                cx.err(
                    Code::D017,
                    format!(
                        "a fixed string value has {} characters; the ADMX XSD allows {MAX_VALUE_STRING}",
                        t.chars().count()
                    ),
                    span.clone(),
                    "too long",
                );
            }
            Some(RegValue::String(t.to_string()))
        };
        match s.get_ref() {
            toml::Value::Integer(i) => decimal(self, *i),
            toml::Value::String(t) => string(self, t),
            toml::Value::Table(t) if t.len() == 1 => {
                let (k, v) = t.iter().next()?;
                match (k.as_str(), v) {
                    ("decimal", toml::Value::Integer(i)) => decimal(self, *i),
                    ("long_decimal", toml::Value::Integer(i)) if *i >= 0 => {
                        Some(RegValue::LongDecimal(*i as u64))
                    }
                    ("string", toml::Value::String(t)) => string(self, t),
                    ("delete", toml::Value::Boolean(true)) => Some(RegValue::Delete),
                    _ => {
                        self.bad_value(span);
                        None
                    }
                }
            }
            _ => {
                self.bad_value(span);
                None
            }
        }
    }

    fn bad_value(&mut self, span: Span) {
        self.diags.push(
            Diagnostic::new(Code::D022, "not a registry value")
                .at(span, "expected a number, a string, or one of `{ decimal = N }`, `{ long_decimal = N }`, `{ string = \"…\" }`, `{ delete = true }`"),
        );
    }

    fn value_list(
        &mut self,
        list: &Option<S<Vec<S<ast::ListEntrySrc>>>>,
        fallback: &Option<RegistryKey>,
    ) -> ValueList {
        let mut out = ValueList::default();
        let Some(list) = list else { return out };
        for e in list.get_ref() {
            let e = e.get_ref();
            let key = e.key.as_ref().and_then(|k| self.key(k));
            let value_name = self.value_name(&e.value_name);
            let value = self.reg_value(&e.value);
            if let (Some(value_name), Some(value)) = (value_name, value) {
                out.items.push(ValueListItem {
                    key,
                    value_name,
                    value,
                });
            }
        }
        // The editor needs a key for every item: give the list the policy (or element) key.
        if out.items.iter().any(|i| i.key.is_none()) {
            out.default_key = fallback.clone();
        }
        out
    }

    fn reference(&mut self, s: &S<String>, code: Code, what: &str) -> Option<ItemRef> {
        let span = self.sp(s);
        let r = ItemRef::parse(s.get_ref()).or_else(|| {
            let r = ItemRef::parse_loose(s.get_ref())?;
            self.loose_name(&format!("{what} reference"), s.get_ref(), span.clone());
            Some(r)
        });
        let Some(r) = r else {
            self.err(
                Code::D020,
                format!(
                    "{what} reference `{}` is not `name` or `prefix:name`",
                    s.get_ref()
                ),
                span,
                "invalid reference",
            );
            return None;
        };
        if let Some(p) = &r.prefix
            && !self.usings.contains(p.as_str())
        {
            self.err(
                code,
                format!("prefix `{p}` is not declared"),
                span,
                "add a [[using]] with this prefix",
            );
            return None;
        }
        Some(r)
    }

    fn u32_field(&mut self, s: &S<i64>, what: &str) -> Option<u32> {
        match u32::try_from(*s.get_ref()) {
            Ok(v) => Some(v),
            Err(_) => {
                self.err_on(
                    Code::D003,
                    format!("{what} must be between 0 and 4294967295"),
                    s,
                    "out of range",
                );
                None
            }
        }
    }
}

fn lower_template(
    t: &TemplateSource,
    _sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Option<(Template, Span)> {
    let first_file = t.files.first().map(|f| f.0)?;
    let mut cx = Cx {
        diags,
        file: first_file,
        strings: IndexMap::new(),
        string_refs: Vec::new(),
        usings: HashSet::new(),
        declared: Vec::new(),
    };
    let (hfile, h) = header::find_header(&mut cx, t, first_file)?;
    cx.file = hfile;
    let h = h.get_ref();
    let head = header::lower_header(&mut cx, h);
    let (usings, implicit_usings) = header::usings_and_strings(&mut cx, t);
    let supported = supported::lower_supported(&mut cx, t);
    let (categories, category_spans) = category::lower_categories(&mut cx, t);
    let env = Env {
        default_class: head.default_class,
        default_key: head.default_key.clone(),
        default_supported: h.defaults.supported_on.as_ref().map(|s| (hfile, s)),
        categories: &category_spans,
        supported: &supported.known,
    };
    let (policies, registry_only) = policy::lower_settings(&mut cx, t, &env);
    check_collisions(&mut cx, &policies, &registry_only);
    let presentations = presentation::lower_presentations(&mut cx, &t.files, &policies);
    let all_presentations: Vec<&Presentation> = policies
        .iter()
        .filter_map(|p| p.presentation.as_ref())
        .chain(&presentations)
        .collect();
    let strings = strings::string_tables(&mut cx, t, &all_presentations);
    let template = Template {
        file_name: head.file_name,
        target: Namespace {
            prefix: head.prefix?,
            namespace: head.namespace?,
        },
        usings,
        implicit_usings,
        superseded_adm: h
            .superseded_adm
            .as_ref()
            .map(|s| s.get_ref().to_vec())
            .unwrap_or_default(),
        revision: head.revision,
        min_required_revision: head.min_required_revision,
        adml_revision: head.adml_revision,
        display_name: h.display_name.get_ref().clone(),
        description: h.description.get_ref().clone(),
        products: supported.products,
        supported_on: supported.definitions,
        categories,
        policies,
        registry_only,
        presentations,
        strings,
        declared_strings: std::mem::take(&mut cx.declared),
    };
    Some((template, head.span))
}
