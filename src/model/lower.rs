//! Lowering: the only code that builds the model. It resolves template defaults, references
//! (categories, supportedOn, `$(string.ID)`), generates string ids, and reports every problem in
//! the definitions as a D-code diagnostic with a span, collecting all of them.
//! Input: [`Definitions`] (AST + file ids). Output: [`PolicySet`] (meaningful only without errors).

use super::element::{DEFAULT_DECIMAL_MAX, DEFAULT_MAX_LENGTH, StringCheck};
use super::id::{AdmxName, KeyError, is_oid};
use super::policy::MAX_VALUE_STRING;
use super::*;
use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span};
use crate::source::ast::{self, S};
use crate::source::{Definitions, SourceMap, TemplateSource};
use crate::validate::checks::reference_id;
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};

mod baseline;
mod presentation;

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
        if v.is_none() {
            let n = s.get_ref().chars().count();
            let span = self.sp(s);
            self.err(
                Code::D012,
                if s.get_ref().chars().any(char::is_control) {
                    "registry value name contains a control character".to_string()
                } else {
                    format!(
                        "registry value name has {n} characters; 1 to {} are allowed",
                        id::MAX_VALUE_NAME
                    )
                },
                span,
                "value names have 1 to 259 characters and no control characters",
            );
        }
        v
    }

    fn class(&mut self, s: &S<String>) -> Option<Class> {
        let c = Class::parse(s.get_ref());
        if c.is_none() {
            let span = self.sp(s);
            self.err(
                Code::D022,
                format!("unknown class `{}`", s.get_ref()),
                span,
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
                self.err(
                    Code::D019,
                    format!("{what} has no en-US explain text"),
                    span,
                    "add `explain = \"\"\"…\"\"\"` describing Enabled, Disabled and Not configured",
                );
                None
            }
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
                let span = self.sp(s);
                self.err(
                    Code::D003,
                    format!("{what} must be between 0 and 4294967295"),
                    span,
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

    // [template]: exactly once, in template.toml.
    let mut header: Option<(FileId, &S<ast::TemplateSrc>)> = None;
    for (file, f) in &t.files {
        if let Some(h) = &f.template {
            let span = Span::new(*file, h.span());
            // `load_dir` puts template.toml first; a single-file template is its own first file.
            if *file != first_file {
                cx.err(
                    Code::D025,
                    "`[template]` must be in template.toml",
                    span,
                    "move this table to template.toml",
                );
            } else if header.is_some() {
                cx.err(
                    Code::D025,
                    "`[template]` appears twice",
                    span,
                    "second table",
                );
            } else {
                header = Some((*file, h));
            }
        }
    }
    let Some((hfile, header)) = header else {
        cx.err(
            Code::D025,
            format!("template `{}` has no `[template]` table", t.folder),
            Span::new(first_file, 0..0),
            "expected `[template]` in template.toml",
        );
        return None;
    };
    cx.file = hfile;
    let h = header.get_ref();
    let header_span = cx.sp(&h.name);
    let prefix: Option<Name> = cx.name(&h.prefix, "prefix");
    let namespace = cx.namespace(&h.namespace);
    let file_name = h.name.get_ref().clone();
    if let Some(why) = crate::model::id::file_name_problem(&file_name) {
        cx.err(
            Code::D020,
            format!("file name {file_name:?} is not usable: it {why}"),
            header_span.clone(),
            "use letters, digits, `_`, `-` and inner dots",
        );
    }
    let revision = revision_of(&mut cx, &h.revision);
    let adml_revision = h.adml_revision.as_ref().map(|r| revision_of(&mut cx, r));
    let min_rev = match &h.min_required_revision {
        Some(r) => revision_of(&mut cx, r),
        None => revision,
    };
    let defaults = &h.defaults;
    let default_class = defaults.class.as_ref().and_then(|c| cx.class(c));
    let default_key = defaults.key.as_ref().and_then(|k| cx.key(k));
    let default_supported = defaults.supported_on.as_ref();
    let default_supported_file = hfile;
    // `prefix:name` with the template's own prefix refers to the template itself.
    if let Some(p) = &prefix {
        cx.usings.insert(p.as_str().to_string());
    }

    // Usings, then explicit strings, before anything refers to them.
    let mut usings = Vec::new();
    let mut implicit_usings = Vec::new();
    for (file, f) in &t.files {
        cx.file = *file;
        for u in &f.usings {
            let u = u.get_ref();
            let p: Option<Name> = cx.name(&u.prefix, "prefix");
            let ns = cx.namespace(&u.namespace);
            let implicit = u.implicit.as_ref().filter(|i| *i.get_ref());
            if let Some(i) = implicit {
                let span = cx.sp(i);
                cx.err(
                    Code::D050,
                    format!(
                        "prefix `{}` is used without a `<using>` in the ADMX",
                        u.prefix.get_ref()
                    ),
                    span,
                    "resolved by gpforge, not declared in the ADMX",
                );
            }
            if let (Some(prefix), Some(namespace)) = (p, ns) {
                cx.usings.insert(prefix.as_str().to_string());
                let list = if implicit.is_some() {
                    &mut implicit_usings
                } else {
                    &mut usings
                };
                list.push(Namespace { prefix, namespace });
            }
        }
        for (id, text) in &f.strings {
            let span = cx.sp(text);
            if let Some(sid) = cx.string_id(id, "string id", span.clone()) {
                cx.declared.push(sid.clone());
                cx.add_string(sid, written(text.get_ref()), span)
            }
        }
    }

    // Products and supportedOn definitions.
    let mut products = Vec::new();
    let mut supported = Vec::new();
    let mut supported_names: HashMap<String, Span> = HashMap::new();
    for (file, f) in &t.files {
        cx.file = *file;
        for p in &f.product {
            let p = p.get_ref();
            let span = cx.sp(&p.id);
            let Some(name) = cx.name::<Name>(&p.id, "product id") else {
                continue;
            };
            let display = cx.display(
                &p.display_name,
                p.display_name_id.as_ref(),
                span.clone(),
                "product",
                &[name.as_str()],
            );
            let versions = lower_versions(&mut cx, &p.versions, true);
            supported_names.insert(name.as_str().to_string(), span);
            if let Some(display) = display {
                products.push(Product {
                    name,
                    display,
                    versions,
                });
            }
        }
        for s in &f.supported_on {
            let s = s.get_ref();
            let span = cx.sp(&s.id);
            let Some(name) = cx.name::<Name>(&s.id, "supportedOn id") else {
                continue;
            };
            let msg = format!("supportedOn name `{name}` is used twice");
            if !cx.first_use(
                &mut supported_names,
                name.as_str(),
                span.clone(),
                Code::D020,
                msg,
            ) {
                continue;
            }
            let display = cx.display(
                &s.display_name,
                s.display_name_id.as_ref(),
                span.clone(),
                "supportedOn definition",
                &[name.as_str()],
            );
            let empty = Vec::new();
            let (combinator, entries) = match (&s.any, &s.all) {
                (Some(e), None) => (Some(Combinator::Or), e),
                (None, Some(e)) => (Some(Combinator::And), e),
                // A definition that only names what it supports (Windows.admx has these).
                (None, None) => (None, &empty),
                _ => {
                    cx.err(
                        Code::D003,
                        format!("supportedOn `{name}` has both `any` and `all`"),
                        span,
                        "keep one",
                    );
                    continue;
                }
            };
            let mut out = Vec::new();
            for e in entries {
                let e = e.get_ref();
                let Some(target) = cx.reference(&e.reference, Code::D008, "supportedOn") else {
                    continue;
                };
                let range = e.range.as_ref().is_some_and(|r| *r.get_ref());
                out.push(match (&e.min, &e.max) {
                    (None, None) if !range => SupportedEntry::Reference(target),
                    (min, max) => SupportedEntry::Range {
                        target,
                        min: min.as_ref().map(|m| *m.get_ref()),
                        max: max.as_ref().map(|m| *m.get_ref()),
                    },
                });
            }
            if let Some(display) = display {
                supported.push(SupportedDefinition {
                    name,
                    display,
                    combinator,
                    entries: out,
                });
            }
        }
    }
    // Version names are referable too.
    let mut known_supported: HashSet<String> = supported_names.keys().cloned().collect();
    for p in &products {
        for v in &p.versions {
            known_supported.insert(v.name.as_str().to_string());
            for m in &v.minors {
                known_supported.insert(m.name.as_str().to_string());
            }
        }
    }
    for (file, f) in &t.files {
        cx.file = *file;
        for s in &f.supported_on {
            for e in s
                .get_ref()
                .any
                .iter()
                .chain(s.get_ref().all.iter())
                .flatten()
            {
                let r = e.get_ref().reference.get_ref();
                if !r.contains(':') && !known_supported.contains(r.as_str()) {
                    let span = cx.sp(&e.get_ref().reference);
                    cx.unresolved(
                        format!("`{r}` is not a product, version or supportedOn definition of this template"),
                        span,
                    );
                }
            }
        }
    }

    // Categories: ids first (so order does not matter), then parents.
    let mut categories = Vec::new();
    let mut category_spans: HashMap<String, Span> = HashMap::new();
    for (file, f) in &t.files {
        cx.file = *file;
        for c in &f.category {
            let c = c.get_ref();
            let span = cx.sp(&c.id);
            let Some(id) = cx.name::<CategoryId>(&c.id, "category id") else {
                continue;
            };
            let msg = format!("category `{id}` is defined twice");
            if !cx.first_use(
                &mut category_spans,
                id.as_str(),
                span.clone(),
                Code::D005,
                msg,
            ) {
                continue;
            }
            let display = cx.display(
                &c.display_name,
                c.display_name_id.as_ref(),
                span.clone(),
                "category",
                &[id.as_str()],
            );
            let explain = match &c.explain {
                Some(e) => cx.text(e, c.explain_id.as_ref(), &[id.as_str(), "Explain"]),
                None => None,
            };
            let parent = c
                .parent
                .as_ref()
                .and_then(|p| cx.reference(p, Code::D007, "category"));
            if let Some(display) = display {
                categories.push((
                    Category {
                        id,
                        display,
                        explain,
                        parent,
                    },
                    c.parent.as_ref().map(|p| (*file, p.span())),
                ));
            }
        }
    }
    for (c, pspan) in &categories {
        if let (Some(p), Some((file, range))) = (&c.parent, pspan)
            && p.prefix.is_none()
            && !category_spans.contains_key(p.name.as_str())
        {
            cx.unresolved(
                format!("parent category `{}` is not defined", p.name),
                Span::new(*file, range.clone()),
            );
        }
    }
    // A parent chain must end at a root.
    for (c, pspan) in &categories {
        let mut cur = c.parent.clone();
        let mut steps = 0;
        while let Some(p) = cur.filter(|p| p.prefix.is_none()) {
            steps += 1;
            if p.name.as_str() == c.id.as_str() || steps > categories.len() {
                if let Some((file, range)) = pspan {
                    cx.diags.push(
                        Diagnostic::new(
                            Code::D007,
                            format!("category `{}` is its own ancestor", c.id),
                        )
                        .at(
                            Span::new(*file, range.clone()),
                            "this parent leads back to the category",
                        ),
                    );
                }
                break;
            }
            cur = categories
                .iter()
                .find(|(x, _)| x.id.as_str() == p.name.as_str())
                .and_then(|(x, _)| x.parent.clone());
        }
    }
    let categories: Vec<Category> = categories.into_iter().map(|(c, _)| c).collect();

    // Policies and registry-only settings.
    let env = Env {
        default_class,
        default_key,
        default_supported: default_supported.map(|s| (default_supported_file, s)),
        categories: &category_spans,
        supported: &known_supported,
    };
    let mut policies = Vec::new();
    let mut registry_only = Vec::new();
    let mut ids: HashMap<String, Span> = HashMap::new();
    for (file, f) in &t.files {
        cx.file = *file;
        for p in &f.policy {
            let id = p.get_ref().id.get_ref();
            let msg = format!("policy id `{id}` is defined twice");
            if !cx.first_use(&mut ids, id, cx.sp(&p.get_ref().id), Code::D004, msg) {
                continue;
            }
            if let Some(policy) = lower_policy(&mut cx, &env, p) {
                policies.push(policy);
            }
        }
        for r in &f.registry_only {
            let id = r.get_ref().id.get_ref();
            let msg = format!("setting id `{id}` is defined twice");
            if !cx.first_use(&mut ids, id, cx.sp(&r.get_ref().id), Code::D004, msg) {
                continue;
            }
            if let Some(setting) = lower_registry_only(&mut cx, &env, r) {
                registry_only.push(setting);
            }
        }
    }

    check_collisions(&mut cx, &policies, &registry_only);
    let presentations = presentation::lower_presentations(&mut cx, &t.files, &policies);

    // Every `$(string.ID)` must resolve.
    for (id, span) in std::mem::take(&mut cx.string_refs) {
        if !cx.strings.contains_key(&id) {
            cx.err(
                Code::D009,
                format!("string `{id}` is not defined"),
                span,
                "add it to a `[strings]` table",
            );
        }
    }

    let table = StringTable {
        culture: SOURCE_CULTURE.to_string(),
        entries: cx
            .strings
            .into_iter()
            .map(|(k, (text, _))| (k, text))
            .collect(),
    };
    let declared = std::mem::take(&mut cx.declared);
    let mut tables = vec![table];
    for (culture, file, src) in &t.locales {
        tables.extend(locale(culture, *file, src, &tables[0], cx.diags));
    }
    Some((
        Template {
            file_name,
            target: Namespace {
                prefix: prefix?,
                namespace: namespace?,
            },
            usings,
            implicit_usings,
            superseded_adm: h
                .superseded_adm
                .as_ref()
                .map(|s| s.get_ref().to_vec())
                .unwrap_or_default(),
            revision,
            min_required_revision: min_rev,
            adml_revision,
            display_name: h.display_name.get_ref().clone(),
            description: h.description.get_ref().clone(),
            products,
            supported_on: supported,
            categories,
            policies,
            registry_only,
            presentations,
            strings: tables,
            declared_strings: declared,
        },
        header_span,
    ))
}

/// A product's major versions (`major`) or a major version's minor ones.
fn lower_versions(cx: &mut Cx, src: &[S<ast::VersionSrc>], major: bool) -> Vec<MajorVersion> {
    let mut out = Vec::new();
    for v in src {
        let v = v.get_ref();
        let vspan = cx.sp(&v.id);
        let Some(vname) = cx.name::<Name>(&v.id, "version id") else {
            continue;
        };
        let display = cx.display(
            &v.display_name,
            v.display_name_id.as_ref(),
            vspan.clone(),
            "product version",
            &[vname.as_str()],
        );
        if !major && let Some(m) = v.minor.first() {
            cx.err(
                Code::D002,
                "a minor version has no minor versions",
                cx.sp(m),
                "remove `minor` here",
            );
        }
        let minors = if major {
            lower_versions(cx, &v.minor, false)
        } else {
            Vec::new()
        };
        if let Some(display) = display {
            out.push(MajorVersion {
                name: vname,
                display,
                index: *v.index.get_ref(),
                minors,
            });
        }
    }
    out
}

fn revision_of(cx: &mut Cx, s: &S<String>) -> Revision {
    Revision::parse(s.get_ref()).unwrap_or_else(|| {
        let span = cx.sp(s);
        cx.err(
            Code::D020,
            format!("revision `{}` is not MAJOR.MINOR", s.get_ref()),
            span,
            "expected e.g. `1.0` (1-4 digits, a dot, 1-5 digits)",
        );
        Revision { major: 1, minor: 0 }
    })
}

/// Template-wide facts a policy needs.
struct Env<'a> {
    default_class: Option<Class>,
    default_key: Option<RegistryKey>,
    default_supported: Option<(FileId, &'a S<String>)>,
    categories: &'a HashMap<String, Span>,
    supported: &'a HashSet<String>,
}

fn class_or_default(cx: &mut Cx, env: &Env, s: &Option<S<String>>, owner: &Span) -> Option<Class> {
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

fn key_or_default(
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

pub(crate) fn stig(s: &Option<S<Vec<ast::StigSrc>>>) -> Vec<Stig> {
    s.iter()
        .flat_map(|v| v.get_ref())
        .map(|s| Stig {
            benchmark: s.benchmark.get_ref().clone(),
            release: s.release.get_ref().clone(),
            vuln: s.vuln.get_ref().clone(),
            rule: s.rule.get_ref().clone(),
            id: s.id.get_ref().clone(),
        })
        .collect()
}

fn lower_policy(cx: &mut Cx, env: &Env, p: &S<ast::PolicySrc>) -> Option<Policy> {
    let p = p.get_ref();
    let span = cx.sp(&p.id);
    let id = cx.name::<PolicyId>(&p.id, "policy id");
    let idstr = p.id.get_ref().as_str();
    let class = class_or_default(cx, env, &p.class, &span);
    let key = key_or_default(cx, env, &p.key, &span);
    let value_name = p.value_name.as_ref().and_then(|v| cx.value_name(v));

    // Category: local ones must exist.
    let category_ref = cx.reference(&p.category, Code::D007, "category");
    if let Some(r) = &category_ref
        && r.prefix.is_none()
        && !env.categories.contains_key(r.name.as_str())
    {
        let cspan = cx.sp(&p.category);
        cx.unresolved(format!("category `{}` is not defined", r.name), cspan);
    }
    let category = category_ref;

    let supported_on = match (&p.supported_on, env.default_supported) {
        (Some(s), _) => resolve_supported(cx, env, s, cx.file),
        (None, Some((file, s))) => {
            let saved = cx.file;
            let r = resolve_supported(cx, env, s, file);
            cx.file = saved;
            r
        }
        (None, None) => {
            cx.err(
                Code::D003,
                "no `supported_on` and no `[template.defaults] supported_on`",
                span.clone(),
                "every ADMX policy needs a supportedOn reference",
            );
            None
        }
    };

    let display = cx.display(
        &p.display_name,
        p.display_name_id.as_ref(),
        span.clone(),
        &format!("policy `{idstr}`"),
        &[idstr],
    );
    let explain = cx.explain(
        &p.explain,
        p.explain_id.as_ref(),
        span.clone(),
        &format!("policy `{idstr}`"),
        &[idstr, "Explain"],
    );

    let on_enabled = p.enabled_value.as_ref().and_then(|v| cx.reg_value(v));
    let on_disabled = p.disabled_value.as_ref().and_then(|v| cx.reg_value(v));
    for (field, given) in [
        ("enabled_value", &p.enabled_value),
        ("disabled_value", &p.disabled_value),
    ] {
        if let (Some(v), None) = (given, &p.value_name) {
            let vspan = cx.sp(v);
            cx.err(
                Code::D003,
                format!("`{field}` needs the policy's `value_name`"),
                vspan,
                "no value name to write this to",
            );
        }
    }
    let enabled_list = cx.value_list(&p.enabled_list, &key);
    let disabled_list = cx.value_list(&p.disabled_list, &key);

    // Elements and their presentation controls.
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
        if let Some((el, control)) = lower_element(cx, e, idstr, &key) {
            elements.push(el);
            controls.push(control);
        }
    }
    let presentation_id = match &p.presentation {
        Some(given) => cx.name::<Name>(given, "presentation id"),
        None => Name::parse_loose(idstr),
    };
    // A named presentation is kept even without controls (Windows has empty ones).
    let presentation = (!controls.is_empty() || p.presentation.is_some()).then(|| Presentation {
        id: presentation_id.unwrap_or_else(|| Name::parse("_").expect("valid")),
        controls,
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
        supported_on: supported_on?,
        display: display?,
        explain: explain?,
        presentation,
        client_extension: p.client_extension.as_ref().map(|c| c.get_ref().clone()),
        stig: stig(&p.stig),
        source: p.source.as_ref().map(|s| s.get_ref().clone()),
        span,
    })
}

fn resolve_supported(cx: &mut Cx, env: &Env, s: &S<String>, file: FileId) -> Option<ItemRef> {
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

fn lower_label(cx: &mut Cx, e: &S<ast::ElementSrc>, policy: &str, n: usize) -> Option<Control> {
    check_fields(cx, e, &["kind", "label"]);
    let src = e.get_ref();
    let span = cx.sp(&src.kind);
    let Some(label) = &src.label else {
        cx.err(
            Code::D003,
            "a `label` element needs `label` (the text to show)",
            span,
            "no text",
        );
        return None;
    };
    let n = format!("Text{n}");
    Some(Control::Text {
        label: cx.text(label, None, &[policy, &n])?,
    })
}

/// The keys of an element block that are set, with their spans.
fn set_fields(e: &ast::ElementSrc) -> Vec<(&'static str, std::ops::Range<usize>)> {
    macro_rules! fields {
        ($($f:ident),*) => {{
            let mut v = Vec::new();
            $( if let Some(x) = &e.$f { v.push((stringify!($f), x.span())); } )*
            v
        }};
    }
    fields!(
        id,
        key,
        value_name,
        client_extension,
        label,
        required,
        soft,
        default,
        min,
        max,
        store_as_text,
        spin,
        spin_step,
        max_length,
        expandable,
        max_strings,
        show_as_dialog,
        height,
        control,
        suggestions,
        format,
        no_sort,
        items,
        true_value,
        false_value,
        true_list,
        false_list,
        value_prefix,
        additive,
        explicit_value
    )
}

/// D002 for every key that does not apply to this element kind.
fn check_fields(cx: &mut Cx, e: &S<ast::ElementSrc>, allowed: &[&str]) {
    let kind = e.get_ref().kind.get_ref().clone();
    for (name, range) in set_fields(e.get_ref()) {
        if !allowed.contains(&name) {
            let span = Span::new(cx.file, range);
            cx.err(
                Code::D002,
                format!("`{name}` does not apply to `{kind}` elements"),
                span,
                "remove this key",
            );
        }
    }
}

/// Builds an element's presentation control once its id and label are known.
type MakeControl = Box<dyn FnOnce(ElementId, StringId) -> Control>;

const COMMON: &[&str] = &[
    "kind",
    "id",
    "key",
    "value_name",
    "client_extension",
    "label",
];

fn lower_element(
    cx: &mut Cx,
    e: &S<ast::ElementSrc>,
    policy: &str,
    policy_key: &Option<RegistryKey>,
) -> Option<(Element, Control)> {
    let src = e.get_ref();
    let kind = src.kind.get_ref().as_str();
    let kspan = cx.sp(&src.kind);
    let allowed: Vec<&str> = match kind {
        "boolean" => vec![
            "true_value",
            "false_value",
            "true_list",
            "false_list",
            "default",
        ],
        "decimal" | "long_decimal" => vec![
            "required",
            "soft",
            "min",
            "max",
            "store_as_text",
            "default",
            "spin",
            "spin_step",
        ],
        "text" => vec![
            "required",
            "soft",
            "max_length",
            "expandable",
            "default",
            "control",
            "suggestions",
            "no_sort",
            "format",
        ],
        "multi_text" => vec![
            "required",
            "soft",
            "max_length",
            "max_strings",
            "show_as_dialog",
            "height",
        ],
        "enum" => vec!["required", "items", "default", "no_sort", "format"],
        "list" => vec!["value_prefix", "additive", "expandable", "explicit_value"],
        _ => {
            cx.err(
                Code::D022,
                format!("unknown element kind `{kind}`"),
                kspan,
                "expected boolean, decimal, long_decimal, text, multi_text, enum, list or label",
            );
            return None;
        }
    };
    let allowed: Vec<&str> = COMMON.iter().copied().chain(allowed).collect();
    check_fields(cx, e, &allowed);

    let Some(id_src) = &src.id else {
        cx.err(
            Code::D003,
            format!("`{kind}` element has no `id`"),
            kspan,
            "add `id = \"…\"`",
        );
        return None;
    };
    let id: Option<ElementId> = cx.name(id_src, "element id");
    let idstr = id_src.get_ref().as_str();
    let key = src.key.as_ref().and_then(|k| cx.key(k));
    let value_name = match (&src.value_name, kind) {
        (Some(v), "list") => {
            let span = cx.sp(v);
            cx.err(
                Code::D002,
                "`value_name` does not apply to `list` elements",
                span,
                "a list writes one value per entry under its `key`",
            );
            None
        }
        (Some(v), _) => cx.value_name(v),
        (None, "list") => None,
        (None, _) => {
            let span = cx.sp(id_src);
            cx.err(
                Code::D003,
                format!("element `{idstr}` has no `value_name`"),
                span,
                "the registry value this element writes",
            );
            None
        }
    };
    let effective_key = key.clone().or_else(|| policy_key.clone());
    let label = match &src.label {
        Some(l) => cx.text(l, None, &[policy, idstr]),
        None => {
            let span = cx.sp(id_src);
            cx.err(
                Code::D018,
                format!("element `{idstr}` has no en-US label"),
                span,
                "add `label = \"…\"` (the text beside the control)",
            );
            None
        }
    };
    let flag = |b: &Option<S<bool>>| b.as_ref().is_some_and(|b| *b.get_ref());
    let required = flag(&src.required);
    let soft = flag(&src.soft);

    let (kind_model, control) = match kind {
        "boolean" => {
            let default_checked = match &src.default {
                Some(d) => match d.get_ref() {
                    toml::Value::Boolean(b) => *b,
                    _ => {
                        let span = cx.sp(d);
                        cx.err(
                            Code::D022,
                            "a checkBox default is `true` or `false`",
                            span,
                            "not a boolean",
                        );
                        false
                    }
                },
                None => false,
            };
            let k = ElementKind::Boolean {
                true_value: src.true_value.as_ref().and_then(|v| cx.reg_value(v)),
                false_value: src.false_value.as_ref().and_then(|v| cx.reg_value(v)),
                true_list: cx.value_list(&src.true_list, &effective_key),
                false_list: cx.value_list(&src.false_list, &effective_key),
            };
            let c = move |ref_id, label| Control::CheckBox {
                ref_id,
                label,
                default_checked,
            };
            (k, Box::new(c) as MakeControl)
        }
        "decimal" | "long_decimal" => {
            let long = kind == "long_decimal";
            let limit: u64 = if long {
                i64::MAX as u64
            } else {
                u32::MAX as u64
            };
            let min = match &src.min {
                Some(m) => match u64::try_from(*m.get_ref()).ok().filter(|v| *v <= limit) {
                    Some(v) => v,
                    None => {
                        let span = cx.sp(m);
                        cx.err(
                            Code::D003,
                            format!("`min` must be between 0 and {limit}"),
                            span,
                            "out of range",
                        );
                        0
                    }
                },
                None => 0,
            };
            let max = match &src.max {
                Some(m) => match m.get_ref() {
                    toml::Value::Integer(i) if *i >= 0 && (*i as u64) <= limit => *i as u64,
                    _ => {
                        let span = cx.sp(m);
                        cx.err(
                            Code::D003,
                            format!("`max` must be an integer between 0 and {limit}"),
                            span,
                            "out of range",
                        );
                        limit
                    }
                },
                None => DEFAULT_DECIMAL_MAX as u64,
            };
            if min > max
                && let (Some(mi), Some(ma)) = (&src.min, &src.max)
            {
                let (mspan, xspan) = (cx.sp(mi), cx.sp(ma));
                cx.diags.push(
                    Diagnostic::new(
                        Code::D016,
                        format!("`min` ({min}) is greater than `max` ({max})"),
                    )
                    .at(mspan, "min")
                    .also(xspan, "max"),
                );
            } else if min > max {
                let span = src.min.as_ref().map(|m| cx.sp(m)).unwrap_or(kspan.clone());
                cx.err(
                    Code::D016,
                    format!("`min` ({min}) is greater than the default `max` ({max})"),
                    span,
                    "set `max` as well",
                );
            }
            let mut empty_default = false;
            let default = match &src.default {
                Some(d) => match d.get_ref() {
                    toml::Value::String(t) if t.is_empty() => {
                        let span = cx.sp(d);
                        cx.err(
                            Code::D049,
                            "an empty decimal default (`defaultValue=\"\"`)",
                            span,
                            "written as `defaultValue=\"\"`",
                        );
                        empty_default = true;
                        None
                    }
                    toml::Value::Integer(i) if *i >= 0 => {
                        let v = *i as u64;
                        if v < min || v > max {
                            let span = cx.sp(d);
                            cx.err(
                                Code::D015,
                                format!("default {v} is outside {min}..={max}"),
                                span,
                                "outside min/max",
                            );
                        } else if v > u32::MAX as u64 {
                            // The ADMX schema types longDecimalTextBox@defaultValue as unsignedInt.
                            let span = cx.sp(d);
                            cx.err(
                                Code::D022,
                                format!("default {v} does not fit the presentation's defaultValue"),
                                span,
                                "the ADMX schema allows at most 4294967295 here",
                            );
                        }
                        Some(v)
                    }
                    _ => {
                        let span = cx.sp(d);
                        cx.err(
                            Code::D022,
                            "a decimal default must be a non-negative integer",
                            span,
                            "not a number",
                        );
                        None
                    }
                },
                None => None,
            };
            let spin = src.spin.as_ref().is_none_or(|s| *s.get_ref());
            let spin_step = src
                .spin_step
                .as_ref()
                .and_then(|s| cx.u32_field(s, "spin_step"))
                .unwrap_or(1);
            let store_as_text = flag(&src.store_as_text);
            if long {
                let k = ElementKind::LongDecimal {
                    required,
                    min,
                    max,
                    store_as_text,
                    soft,
                };
                let c = move |ref_id, label| Control::LongDecimalTextBox {
                    ref_id,
                    label,
                    default,
                    empty_default,
                    spin,
                    spin_step,
                };
                (k, Box::new(c) as MakeControl)
            } else {
                let k = ElementKind::Decimal {
                    required,
                    min: min as u32,
                    max: max as u32,
                    store_as_text,
                    soft,
                };
                let default = default.map(|d| d.min(u32::MAX as u64) as u32);
                let c = move |ref_id, label| Control::DecimalTextBox {
                    ref_id,
                    label,
                    default,
                    empty_default,
                    spin,
                    spin_step,
                };
                (k, Box::new(c) as MakeControl)
            }
        }
        "text" => {
            let max_length = src
                .max_length
                .as_ref()
                .and_then(|m| cx.u32_field(m, "max_length"))
                .unwrap_or(DEFAULT_MAX_LENGTH);
            let check = string_check(cx, &src.format);
            let default = match &src.default {
                Some(d) => match d.get_ref() {
                    toml::Value::String(t) => {
                        let dspan = cx.sp(d);
                        if t.chars().count() > max_length as usize {
                            cx.err(
                                Code::D017,
                                format!(
                                    "default has {} characters; `max_length` is {max_length}",
                                    t.chars().count()
                                ),
                                dspan.clone(),
                                "too long",
                            );
                        }
                        if check == Some(StringCheck::Oid) && !is_oid(t) {
                            cx.err(
                                Code::D023,
                                format!("`{t}` is not an object identifier"),
                                dspan.clone(),
                                "expected e.g. 2.16.840.1.101.3.4.1.42",
                            );
                        }
                        let gid = StringId::join(&[policy, idstr, "Default"]);
                        if let Some(g) = &gid {
                            cx.add_string(g.clone(), t.clone(), dspan);
                        }
                        gid
                    }
                    _ => {
                        let span = cx.sp(d);
                        cx.err(
                            Code::D022,
                            "a text default must be a string",
                            span,
                            "not a string",
                        );
                        None
                    }
                },
                None => None,
            };
            let expandable = flag(&src.expandable);
            let k = ElementKind::Text {
                required,
                max_length,
                expandable,
                soft,
                check,
            };
            let combo = match &src.control {
                None => false,
                Some(c) if c.get_ref() == "textBox" => false,
                Some(c) if c.get_ref() == "comboBox" => true,
                Some(c) => {
                    let span = cx.sp(c);
                    cx.err(
                        Code::D022,
                        format!("unknown control `{}`", c.get_ref()),
                        span,
                        "expected `textBox` or `comboBox`",
                    );
                    false
                }
            };
            if !combo {
                for (f, given) in [
                    ("suggestions", src.suggestions.as_ref().map(|s| s.span())),
                    ("no_sort", src.no_sort.as_ref().map(|s| s.span())),
                ] {
                    if let Some(r) = given {
                        cx.err(
                            Code::D002,
                            format!("`{f}` needs `control = \"comboBox\"`"),
                            Span::new(cx.file, r),
                            "only comboBox has this",
                        );
                    }
                }
                let c = move |ref_id, label| Control::TextBox {
                    ref_id,
                    label,
                    default,
                };
                (k, Box::new(c) as MakeControl)
            } else {
                let mut suggestions = Vec::new();
                for (i, s) in src
                    .suggestions
                    .iter()
                    .flat_map(|s| s.get_ref().iter())
                    .enumerate()
                {
                    let n = format!("Suggestion{}", i + 1);
                    if let Some(sid) = cx.text(s, None, &[policy, idstr, &n]) {
                        suggestions.push(sid);
                    }
                }
                let no_sort = flag(&src.no_sort);
                let c = move |ref_id, label| Control::ComboBox {
                    ref_id,
                    label,
                    default,
                    suggestions,
                    no_sort,
                };
                (k, Box::new(c) as MakeControl)
            }
        }
        "multi_text" => {
            let max_length = src
                .max_length
                .as_ref()
                .and_then(|m| cx.u32_field(m, "max_length"))
                .unwrap_or(DEFAULT_MAX_LENGTH);
            let max_strings = src
                .max_strings
                .as_ref()
                .and_then(|m| cx.u32_field(m, "max_strings"))
                .unwrap_or(0);
            let show_as_dialog = flag(&src.show_as_dialog);
            let default_height = src
                .height
                .as_ref()
                .and_then(|m| cx.u32_field(m, "height"))
                .unwrap_or(3);
            let k = ElementKind::MultiText {
                required,
                max_length,
                max_strings,
                soft,
            };
            let c = move |ref_id, label| Control::MultiTextBox {
                ref_id,
                label,
                show_as_dialog,
                default_height,
            };
            (k, Box::new(c) as MakeControl)
        }
        "enum" => {
            let check = string_check(cx, &src.format);
            let items = lower_items(cx, src, policy, idstr, &effective_key, check);
            let default_item = match &src.default {
                Some(d) => {
                    let span = cx.sp(d);
                    match d.get_ref() {
                        toml::Value::String(name) => {
                            let pos = items.iter().position(|i| i.name.as_str() == name);
                            if pos.is_none() {
                                cx.err(
                                    Code::D022,
                                    format!("default `{name}` is not an item of this enum"),
                                    span,
                                    "unknown item name",
                                );
                            }
                            pos
                        }
                        _ => {
                            cx.err(
                                Code::D022,
                                "an enum default is the `name` of one of its items",
                                span,
                                "not an item name",
                            );
                            None
                        }
                    }
                }
                None => None,
            };
            let no_sort = src.no_sort.as_ref().is_none_or(|s| *s.get_ref());
            let k = ElementKind::Enum { required, items };
            let c = move |ref_id, label| Control::DropdownList {
                ref_id,
                label,
                no_sort,
                default_item,
            };
            (k, Box::new(c) as MakeControl)
        }
        "list" => {
            let explicit_value = flag(&src.explicit_value);
            if explicit_value && let Some(p) = &src.value_prefix {
                let span = cx.sp(p);
                cx.err(
                    Code::D047,
                    "`value_prefix` has no effect with `explicit_value`: the user names each value",
                    span,
                    "ignored by the editor",
                );
            }
            let k = ElementKind::List {
                value_prefix: src.value_prefix.as_ref().map(|p| p.get_ref().clone()),
                additive: flag(&src.additive),
                expandable: flag(&src.expandable),
                explicit_value,
            };
            let c = move |ref_id, label| Control::ListBox { ref_id, label };
            (k, Box::new(c) as MakeControl)
        }
        _ => return None,
    };
    let id = id?;
    let control = control(id.clone(), label?);
    Some((
        Element {
            id,
            key,
            value_name: if kind == "list" {
                None
            } else {
                Some(value_name?)
            },
            client_extension: src.client_extension.as_ref().map(|c| c.get_ref().clone()),
            kind: kind_model,
        },
        control,
    ))
}

fn string_check(cx: &mut Cx, format: &Option<S<String>>) -> Option<StringCheck> {
    let f = format.as_ref()?;
    if f.get_ref() == "oid" {
        Some(StringCheck::Oid)
    } else {
        let span = cx.sp(f);
        cx.err(
            Code::D022,
            format!("unknown format `{}`", f.get_ref()),
            span,
            "expected `oid`",
        );
        None
    }
}

fn lower_items(
    cx: &mut Cx,
    src: &ast::ElementSrc,
    policy: &str,
    element: &str,
    key: &Option<RegistryKey>,
    check: Option<StringCheck>,
) -> Vec<EnumItem> {
    let mut out = Vec::new();
    let Some(items) = &src.items else {
        let span = cx.sp(&src.kind);
        cx.err(
            Code::D003,
            format!("enum `{element}` has no `items`"),
            span,
            "add `items = [ … ]`",
        );
        return out;
    };
    let mut names: HashMap<String, Span> = HashMap::new();
    let mut displays: HashMap<String, Span> = HashMap::new();
    let mut values: Vec<(RegValue, ValueList, Span)> = Vec::new();
    for item in items.get_ref() {
        let item = item.get_ref();
        let nspan = cx.sp(&item.name);
        let name = cx.name::<Name>(&item.name, "enum item name");
        let msg = format!("enum item name `{}` is used twice", item.name.get_ref());
        if !cx.first_use(
            &mut names,
            item.name.get_ref(),
            nspan.clone(),
            Code::D014,
            msg,
        ) {
            continue;
        }
        let repeated = item.display_name.as_ref().is_some_and(|d| {
            // A `$(string.ID)` shows the text defined for ID.
            let shown = reference_id(d.get_ref(), "string")
                .and_then(StringId::parse)
                .and_then(|id| cx.strings.get(&id).map(|(t, _)| t.clone()))
                .unwrap_or_else(|| d.get_ref().clone());
            let msg = format!("enum display text `{shown}` is used twice");
            !cx.first_use(&mut displays, &shown, cx.sp(d), Code::D038, msg)
        });
        let value_list = cx.value_list(&item.value_list, key);
        let value = cx.reg_value(&item.value);
        let vspan = cx.sp(&item.value);
        if let Some(v) = &value {
            // Items that differ only in their value lists are told apart by those lists.
            // An item repeated with the same text (D038) is redundant, not ambiguous.
            if let Some((_, _, first)) = values
                .iter()
                .find(|(x, l, _)| x == v && *l == value_list)
                .filter(|_| !repeated)
            {
                let first = first.clone();
                cx.diags.push(
                    Diagnostic::new(Code::D013, "two items of this enum write the same value")
                        .at(vspan.clone(), "same value again")
                        .also(first, "first written here"),
                );
            }
            values.push((v.clone(), value_list.clone(), vspan.clone()));
            if check == Some(StringCheck::Oid) {
                match v {
                    RegValue::String(s) if is_oid(s) => {}
                    _ => cx.err(
                        Code::D023,
                        "item value is not an object identifier",
                        vspan,
                        "expected e.g. \"2.16.840.1.101.3.4.1.42\"",
                    ),
                }
            }
        }
        let display = cx.display(
            &item.display_name,
            item.display_name_id.as_ref(),
            nspan,
            &format!("enum item `{}`", item.name.get_ref()),
            &[policy, element, item.name.get_ref()],
        );
        if let (Some(name), Some(display), Some(value)) = (name, display, value) {
            out.push(EnumItem {
                name,
                display,
                value,
                value_list,
            });
        }
    }
    out
}

fn lower_registry_only(
    cx: &mut Cx,
    env: &Env,
    r: &S<ast::RegistryOnlySrc>,
) -> Option<RegistrySetting> {
    let r = r.get_ref();
    let span = cx.sp(&r.id);
    let idstr = r.id.get_ref().as_str();
    let id = cx.name::<PolicyId>(&r.id, "setting id");
    let class = class_or_default(cx, env, &r.class, &span);
    if class == Some(Class::Both) {
        let cspan = r.class.as_ref().map(|c| cx.sp(c)).unwrap_or(span.clone());
        cx.err(
            Code::D022,
            "a registry-only setting writes one hive: `User` or `Machine`",
            cspan,
            "not `Both`",
        );
    }
    let key = key_or_default(cx, env, &r.key, &span);
    let value_name = cx.value_name(&r.value_name);
    let reg_type = RegType::parse(r.reg_type.get_ref());
    if reg_type.is_none() {
        let tspan = cx.sp(&r.reg_type);
        cx.err(
            Code::D022,
            format!("unknown registry type `{}`", r.reg_type.get_ref()),
            tspan,
            "expected string, expand_string, binary, dword, multi_string or qword",
        );
    }
    let what = format!("setting `{idstr}`");
    let display = cx.display(&r.display_name, None, span.clone(), &what, &[idstr]);
    let explain = cx.explain(&r.explain, None, span.clone(), &what, &[idstr, "Explain"]);
    Some(RegistrySetting {
        id: id?,
        class: class?,
        key: key?,
        value_name: value_name?,
        reg_type: reg_type?,
        display: display?,
        explain: explain?,
        stig: stig(&r.stig),
        source: r.source.as_ref().map(|s| s.get_ref().clone()),
        span,
    })
}

/// D024: two settings writing one registry value (class, key and name compared case-insensitively).
fn check_collisions(cx: &mut Cx, policies: &[Policy], registry_only: &[RegistrySetting]) {
    let hive = |c: Class| match c {
        Class::Both => 2,
        Class::User => 0,
        Class::Machine => 1,
    };
    let mut seen: HashMap<(u8, String, String), (String, Span)> = HashMap::new();
    let mut visit = |cx: &mut Cx,
                     class: Class,
                     key: &RegistryKey,
                     name: &ValueName,
                     owner: &str,
                     span: &Span| {
        let k = (
            hive(class),
            key.as_str().to_lowercase(),
            name.as_str().to_lowercase(),
        );
        if let Some((first_owner, first)) = seen.get(&k) {
            // Within one policy the element's value replaces the policy's own (Microsoft's
            // templates do this); across settings the two fight.
            let code = if first_owner == owner {
                Code::D037
            } else {
                Code::D024
            };
            cx.diags.push(
                Diagnostic::new(
                    code,
                    format!("`{owner}` writes `{name}`, which `{first_owner}` already writes"),
                )
                .at(span.clone(), "second writer")
                .also(first.clone(), "first writer"),
            );
        } else {
            seen.insert(k, (owner.to_string(), span.clone()));
        }
    };
    for p in policies {
        if let Some(v) = &p.value_name {
            visit(cx, p.class, &p.key, v, p.id.as_str(), &p.span);
        }
        for e in &p.elements {
            if let Some(v) = &e.value_name {
                visit(
                    cx,
                    p.class,
                    e.key.as_ref().unwrap_or(&p.key),
                    v,
                    p.id.as_str(),
                    &p.span,
                );
            }
        }
    }
    for r in registry_only {
        visit(cx, r.class, &r.key, &r.value_name, r.id.as_str(), &r.span);
    }
}

/// One `locales/<culture>.toml`: a string table for that culture. Unknown ids and a file name
/// that is no culture are errors (D034); untranslated ids fall back to en-US (D035); a text equal
/// to en-US that is not listed in `same` is probably untranslated (D036).
fn locale(
    culture: &str,
    file: FileId,
    src: &crate::source::ast::LocaleFileSrc,
    source: &StringTable,
    diags: &mut Diagnostics,
) -> Option<StringTable> {
    let whole = Span::new(file, 0..0);
    if !crate::validate::store::looks_like_culture(culture) || culture == SOURCE_CULTURE {
        diags.push(
            Diagnostic::new(
                Code::D034,
                format!("`{culture}.toml` does not name a culture other than en-US"),
            )
            .at(whole.clone(), "name locale files like de-DE.toml")
            .note("en-US is the source language, written in the template files themselves"),
        );
        return None;
    }
    let mut entries = indexmap::IndexMap::new();
    for (id, text) in &src.strings {
        let span = Span::new(file, text.span());
        let Some(sid) = StringId::parse_loose(id) else {
            diags.push(
                Diagnostic::new(Code::D034, format!("`{id}` is not a string id"))
                    .at(span, "letters, digits, `_`, `-` and `.`")
                    .note("the ids are those of the en-US ADML (output/PolicyDefinitions/en-US/)"),
            );
            continue;
        };
        if source.get(&sid).is_none() {
            diags.push(
                Diagnostic::new(
                    Code::D048,
                    format!("`{id}` is a string of {culture} only; no en-US string has this id"),
                )
                .at(span.clone(), "written to this culture's ADML only")
                .note("the ids are those of the en-US ADML (output/PolicyDefinitions/en-US/); --strict makes it an error"),
            );
        }
        let same = src.same.iter().any(|s| s.get_ref() == id);
        if !same && source.get(&sid) == Some(written(text.get_ref()).as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::D036,
                    format!("`{id}` in {culture} is the same as in en-US"),
                )
                .at(span, "not translated?")
                .note("list the id in `same = [...]` when the text is rightly the same"),
            );
        }
        entries.insert(sid, written(text.get_ref()));
    }
    for s in &src.same {
        if !src.strings.contains_key(s.get_ref()) {
            diags.push(
                Diagnostic::new(
                    Code::D034,
                    format!("`{}` in `same` has no text in this file", s.get_ref()),
                )
                .at(Span::new(file, s.span()), "give its text under [strings]"),
            );
        }
    }
    for id in source.entries.keys() {
        if !entries.contains_key(id) {
            diags.push(
                Diagnostic::new(
                    Code::D035,
                    format!("`{id}` is not translated to {culture}; the {culture} ADML uses the en-US text"),
                )
                .at(whole.clone(), format!("no `{id}` here")),
            );
        }
    }
    Some(StringTable {
        culture: culture.to_string(),
        entries,
    })
}

/// A text as written in TOML, less the one line break before a multi-line string's closing
/// quotes (`"""` on its own line); any further line breaks are part of the text.
fn written(raw: &str) -> String {
    raw.strip_suffix("\r\n")
        .or_else(|| raw.strip_suffix('\n'))
        .unwrap_or(raw)
        .to_string()
}
