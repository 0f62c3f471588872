//! The ADMX body: supportedOn, categories, policies with their elements, and each policy's
//! presentation merged into its elements (labels and control settings), per culture.

use super::presentation::{control_texts, label_of};
use super::toml::{Doc, array, inline, string, text};
use super::{Cx, Defaults, get};
use crate::admx::view::{
    Admx, Control, Element, List, Node, Policy, Product, Val, Value, referenced_id,
};
use crate::diag::{Code, Diagnostic};
use crate::validate::checks::presentation::fits;
use std::collections::HashSet;

/// An encoded registry value, as `model::lower` reads it.
fn value_toml(v: &Val) -> String {
    match v {
        Val::Delete => inline(&[("delete", "true".into())]),
        Val::Decimal(n) if *n <= u64::from(u32::MAX) => n.to_string(),
        Val::Decimal(n) => inline(&[("decimal", n.to_string())]),
        Val::LongDecimal(n) => inline(&[("long_decimal", n.to_string())]),
        Val::String(s) => string(s),
    }
}

/// [`inline`] of owned keys.
fn inline_pairs(pairs: &[(String, String)]) -> String {
    let pairs: Vec<(&str, String)> = pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    inline(&pairs)
}

impl Cx<'_> {
    /// `id`, `display_name` (with its id when not the generated one) and `index` of a
    /// `majorVersion` or `minorVersion`.
    fn version_pairs(&mut self, v: Product<'_>) -> Vec<(String, String)> {
        let name = get(*v, "name").unwrap_or_default();
        let mut pairs = vec![("id".to_string(), string(&name))];
        pairs.extend(self.text_pairs("display_name", *v, "displayName", &name));
        let index = match v.number("versionIndex") {
            Some(n) => n.0,
            None => {
                let raw = get(*v, "versionIndex");
                let span = self.admx.span(*v);
                self.left_out(
                    span,
                    match raw {
                        Some(r) => {
                            format!("versionIndex `{r}` of `{name}` is not a number; imported as 0")
                        }
                        None => format!("`{name}` has no versionIndex; imported as 0"),
                    },
                    "versionIndex",
                );
                0
            }
        };
        pairs.push(("index".into(), index.to_string()));
        pairs
    }

    pub(super) fn supported_on(&mut self, root: Admx<'_>, head: &mut Doc) {
        for p in root.products() {
            let name = get(*p, "name").unwrap_or_default();
            head.table("[[product]]");
            head.str("id", &name);
            self.text_field(head, "display_name", *p, "displayName", &name);
            let mut versions = Vec::new();
            for v in p.versions() {
                let mut pairs = self.version_pairs(v);
                let minors: Vec<String> = v
                    .versions()
                    .map(|m| inline_pairs(&self.version_pairs(m)))
                    .collect();
                if !minors.is_empty() {
                    pairs.push(("minor".into(), array(&minors)));
                }
                versions.push(inline_pairs(&pairs));
            }
            if !versions.is_empty() {
                head.raw("versions", &array(&versions));
            }
        }
        for def in root.definitions() {
            let name = get(*def, "name").unwrap_or_default();
            head.table("[[supported_on]]");
            head.str("id", &name);
            self.text_field(head, "display_name", *def, "displayName", &name);
            for (tag, refs) in def.conditions() {
                let field = match tag {
                    "or" => "any",
                    "and" => "all",
                    _ => continue,
                };
                for e in &refs {
                    // `minVersionIndex` on a `<reference>` (Microsoft's TerminalServer.admx):
                    // outside the schema, read by no consumer; said, not dropped silently.
                    self.unknown_attrs(e.0, &format!("a `{}` of supportedOn `{name}`", e.tag()));
                }
                let entries: Vec<String> = refs
                    .into_iter()
                    .map(|e| {
                        let mut pairs = vec![("ref", string(&get(*e, "ref").unwrap_or_default()))];
                        if e.tag() == "range" {
                            if let Some((n, _)) = e.number("minVersionIndex") {
                                pairs.push(("min", n.to_string()));
                            }
                            if let Some((n, _)) = e.number("maxVersionIndex") {
                                pairs.push(("max", n.to_string()));
                            }
                            if pairs.len() == 1 {
                                pairs.push(("range", "true".to_string()));
                            }
                        }
                        inline(&pairs)
                    })
                    .collect();
                head.raw(field, &array(&entries));
            }
        }
    }

    pub(super) fn categories(&mut self, root: Admx<'_>, head: &mut Doc) {
        let a = self.admx;
        for c in root.categories() {
            let name = get(*c, "name").unwrap_or_default();
            self.unknown_attrs(*c, &format!("category `{name}`"));
            head.table("[[category]]");
            head.str("id", &name);
            if let Some((p, _)) = c.parent() {
                head.str("parent", &p);
            }
            self.text_field(head, "display_name", *c, "displayName", &name);
            if c.explain_text().is_some() {
                self.text_field(
                    head,
                    "explain",
                    *c,
                    "explainText",
                    &format!("{name}_Explain"),
                );
            }
            for other in c.children().filter(|x| x.tag() != "parentCategory") {
                let span = a.span(other);
                self.left_out(
                    span,
                    format!("`{}` of category `{name}` is not imported", other.tag()),
                    "left out",
                );
            }
        }
    }

    /// `[{ key?, value_name, value }, …]`; an item's key is left out when it is `fallback`.
    fn list(&mut self, l: List<'_>, fallback: &str) -> String {
        let default_key = get(*l, "defaultKey");
        let mut items = Vec::new();
        for i in l.items() {
            let mut pairs = Vec::new();
            if let Some(k) = get(*i, "key").or_else(|| default_key.clone())
                && k != fallback
            {
                pairs.push(("key", string(&k)));
            }
            pairs.push((
                "value_name",
                string(&get(*i, "valueName").unwrap_or_default()),
            ));
            pairs.push(("value", self.value_of(i.value(), *i)));
            items.push(inline(&pairs));
        }
        array(&items)
    }

    fn value_of(&mut self, v: Option<Value<'_>>, owner: Node<'_>) -> String {
        match v.and_then(Value::get) {
            Some(v) => value_toml(&v),
            None => {
                let span = self.admx.span(v.map_or(owner, |v| *v));
                self.diags.push(
                    Diagnostic::new(
                        Code::I002,
                        "a registry value that cannot be read; imported as 0",
                    )
                    .at(
                        span,
                        "not <decimal value=\"N\"/>, <longDecimal>, <string> or <delete/>",
                    ),
                );
                "0".into()
            }
        }
    }

    pub(super) fn policy(
        &mut self,
        p: Policy<'_>,
        defaults: &Defaults,
        _own_prefix: &str,
        d: &mut Doc,
    ) {
        let a = self.admx;
        let name = get(*p, "name").unwrap_or_default();
        self.unknown_attrs(*p, &format!("policy `{name}`"));
        d.table("[[policy]]");
        d.str("id", &name);
        // No parentCategory at all (D056) is kept so: no `category` field.
        if let Some((c, _)) = p.parent() {
            d.str("category", &c);
        }
        let class = get(*p, "class");
        if class != defaults.class {
            d.str("class", &class.unwrap_or_default());
        }
        let key = get(*p, "key").unwrap_or_default();
        if Some(&key) != defaults.key.as_ref() {
            d.str("key", &key);
        }
        let supported = p.supported_on().map(|s| s.0.into_owned());
        match (&supported, &defaults.supported) {
            (Some(s), Some(dflt)) if s == dflt => {}
            (Some(s), _) => d.str("supported_on", s),
            // None at all, which the template default must not fill.
            (None, Some(_)) => d.str("supported_on", ""),
            (None, None) => {}
        }
        if let Some(v) = get(*p, "valueName") {
            d.str("value_name", &v);
        }
        for (v, field) in [
            (p.enabled_value(), "enabled_value"),
            (p.disabled_value(), "disabled_value"),
        ] {
            if v.is_some() {
                let v = self.value_of(v, *p);
                d.raw(field, &v);
            }
        }
        for (l, field) in [
            (p.enabled_list(), "enabled_list"),
            (p.disabled_list(), "disabled_list"),
        ] {
            if let Some(l) = l {
                let v = self.list(l, &key);
                d.raw(field, &v);
            }
        }
        let presentation = p
            .get("presentation")
            .map(|r| referenced_id(&r, "presentation").to_string());
        // Named when it is not the policy's own name, or when no element would make one.
        let has_elements = p.elements().next().is_some();
        if let Some(pr) = presentation
            .as_ref()
            .filter(|pr| **pr != name || !has_elements)
        {
            d.str("presentation", pr);
        } else if presentation.is_none() && has_elements {
            // Elements the editor shows no fields for (D054): kept so.
            d.str("presentation", "");
        }
        if let Some(c) = get(*p, "clientExtension") {
            d.str("client_extension", &c);
        }
        self.text_field(d, "display_name", *p, "displayName", &name);
        // Text directly inside <policy> (a Thunderbird template, SecGuide): no consumer reads
        // it; said, not dropped silently.
        if !p.text().trim().is_empty() {
            let span = a.span(*p);
            self.left_out(
                span,
                format!("text inside policy `{name}` is outside the schema and read by no consumer; left out"),
                "stray text",
            );
        }
        // Without explainText the definitions have no `explain` (D019 warns; the rebuilt policy
        // has none either, as the schema allows and the editor loads).
        if p.explain_text().is_some() {
            self.text_field(d, "explain", *p, "explainText", &format!("{name}_Explain"));
        }
        for other in p.children().filter(|x| {
            !matches!(
                x.tag(),
                "parentCategory"
                    | "supportedOn"
                    | "enabledValue"
                    | "disabledValue"
                    | "enabledList"
                    | "disabledList"
                    | "elements"
            )
        }) {
            let span = a.span(other);
            self.left_out(
                span,
                format!("`{}` of policy `{name}` is not imported", other.tag()),
                "left out",
            );
        }
        self.elements(p, &name, &key, presentation.as_deref(), d);
    }

    /// Elements in the order of the en-US presentation, each with its control's settings and
    /// label; static texts become `label` elements.
    fn elements(
        &mut self,
        p: Policy<'_>,
        policy: &str,
        key: &str,
        presentation: Option<&str>,
        d: &mut Doc,
    ) {
        let a = self.admx;
        let elements: Vec<Element<'_>> = p.elements().collect();
        let en = self.en;
        let en_pres = presentation.and_then(|id| en.presentation(id));
        if let (Some(id), None) = (presentation, en_pres) {
            let span = a.attr_span(*p, "presentation");
            self.diags.push(
                Diagnostic::new(
                    Code::I004,
                    format!("presentation `{id}` is not in the en-US ADML"),
                )
                .at(span, "referenced here"),
            );
        }
        let controls: Vec<Control<'_>> = en_pres
            .map(|pe| pe.controls().collect())
            .unwrap_or_default();
        for &c in &controls {
            self.control_attrs(c, &format!("policy `{policy}`'s presentation"));
        }
        let mut placed: HashSet<u32> = HashSet::new();
        let mut text_no = 0;
        // Localised texts of this presentation, by generated id, per culture.
        let mut en_texts: Vec<(String, String)> = Vec::new();
        for &c in &controls {
            let ctl = c.tag();
            match get(*c, "refId") {
                None if ctl == "text" => {
                    text_no += 1;
                    let texts = control_texts(c, policy, None, text_no);
                    d.table("[[policy.element]]");
                    d.str("kind", "label");
                    d.raw("label", &super::toml::text_field(&texts[0].1));
                    en_texts.extend(texts);
                }
                ref_id => {
                    let ref_id = ref_id.unwrap_or_default();
                    match elements
                        .iter()
                        .find(|e| e.get("id").as_deref() == Some(ref_id.as_str()))
                    {
                        Some(&e) if placed.insert(e.index) => {
                            en_texts.extend(control_texts(c, policy, Some(&ref_id), 0));
                            self.element(e, Some(c), policy, key, d);
                        }
                        _ => {
                            let span = en.file.span(*c);
                            self.left_out(
                                span,
                                format!("control `{ctl}` refers to no element `{ref_id}` of policy `{policy}` (or to one already shown); left out"),
                                "no such element",
                            );
                        }
                    }
                }
            }
        }
        for &e in &elements {
            if placed.contains(&e.index) {
                continue;
            }
            let id = get(*e, "id").unwrap_or_default();
            let span = a.span(*e);
            // Without any presentation the rebuilt policy has none either (D054).
            if presentation.is_some() {
                self.left_out(
                    span,
                    format!("element `{id}` of policy `{policy}` has no control in its presentation; imported with an empty label, so the rebuilt dialog shows it"),
                    "no control",
                );
            }
            en_texts.push((format!("{policy}_{id}"), String::new()));
            self.element(e, None, policy, key, d);
        }
        for (id, t) in &en_texts {
            self.en_labels.insert(id.clone(), t.clone());
        }
        // Other cultures: the same presentation, texts matched by refId (labels by order).
        if let Some(pres_id) = presentation {
            self.culture_labels(pres_id, en_pres, policy, &en_texts);
        }
    }

    /// Each other culture's texts of presentation `pres_id`, for the labels en-US has; a
    /// culture that lays it out otherwise gets it whole in its locale file.
    fn culture_labels(
        &mut self,
        pres_id: &str,
        en_pres: Option<super::Presentation<'_>>,
        policy: &str,
        en_texts: &[(String, String)],
    ) {
        for c in self.cultures {
            let Some(cp) = c.presentation(pres_id) else {
                continue;
            };
            let cctl: Vec<Control<'_>> = cp.controls().collect();
            if let Some(en_pres) = en_pres
                && !super::presentation::same_layout(en_pres, cp)
            {
                // Written whole to the culture's locale file.
                self.own_layouts
                    .entry(c.name.clone())
                    .or_default()
                    .push(pres_id.to_string());
            }
            let mut n = 0;
            let mut texts = Vec::new();
            for &x in &cctl {
                match get(*x, "refId") {
                    None if x.tag() == "text" => {
                        n += 1;
                        texts.extend(control_texts(x, policy, None, n));
                    }
                    Some(r) => texts.extend(control_texts(x, policy, Some(&r), 0)),
                    None => {}
                }
            }
            let table = self
                .locales
                .get_mut(&c.name)
                .expect("one table per culture");
            for (id, t) in texts {
                if en_texts.iter().any(|(e, _)| *e == id) {
                    table.insert(id, t);
                }
            }
        }
    }

    fn element(
        &mut self,
        e: Element<'_>,
        control: Option<Control<'_>>,
        policy: &str,
        policy_key: &str,
        d: &mut Doc,
    ) {
        let a = self.admx;
        let en = self.en;
        let kind = e.tag();
        let id = get(*e, "id").unwrap_or_default();
        self.unknown_attrs(*e, &format!("element `{id}` of policy `{policy}`"));
        let toml_kind = match kind {
            "decimal" => "decimal",
            "longDecimal" => "long_decimal",
            "text" => "text",
            "multiText" => "multi_text",
            "enum" => "enum",
            "boolean" => "boolean",
            "list" => "list",
            other => {
                let span = a.span(*e);
                self.left_out(
                    span,
                    format!("element kind `{other}` is unknown; left out"),
                    "left out",
                );
                return;
            }
        };
        let control = control.filter(|c| {
            let ok = e.kind().is_some_and(|k| fits(c.tag(), k));
            if !ok {
                self.diags.push(
                    Diagnostic::new(
                        Code::I002,
                        format!(
                            "a `{}` cannot show a `{kind}` element; its settings are left out",
                            c.tag()
                        ),
                    )
                    .at(en.file.span(**c), "control"),
                );
            }
            ok
        });
        d.table("[[policy.element]]");
        d.str("kind", toml_kind);
        d.str("id", &id);
        let own_key = get(*e, "key");
        if let Some(k) = &own_key {
            d.str("key", k);
        }
        if let Some(c) = get(*e, "clientExtension") {
            d.str("client_extension", &c);
        }
        match get(*e, "valueName") {
            Some(_) if kind == "list" => {
                let span = a.attr_span(*e, "valueName");
                self.left_out(
                    span,
                    format!("`valueName` of list `{id}` is ignored by the editor (a list writes one value per entry); left out"),
                    "not imported",
                );
            }
            Some(v) => d.str("value_name", &v),
            None => {}
        }
        d.raw(
            "label",
            &super::toml::text_field(&control.map(label_of).unwrap_or_default()),
        );
        for (attr, field) in [("required", "required"), ("soft", "soft")] {
            // Only kinds whose schema has the attribute (unknown_attrs reported the others).
            if crate::admx::attributes(kind).contains(&attr) && e.flag(attr) == Some(true) {
                d.bool(field, true);
            }
        }
        let effective_key = own_key.clone().unwrap_or_else(|| policy_key.to_string());
        match kind {
            "decimal" | "longDecimal" => number_fields(e, control, d),
            "text" => text_fields(e, control, d),
            "multiText" => multi_text_fields(e, control, d),
            "enum" => self.enum_fields(e, control, policy, &id, &effective_key, d),
            "boolean" => self.boolean_fields(e, control, &effective_key, d),
            "list" => list_fields(e, d),
            _ => {}
        }
    }

    /// An enum's items (names unique, display texts, values and value lists) and its default.
    fn enum_fields(
        &mut self,
        e: Element<'_>,
        control: Option<Control<'_>>,
        policy: &str,
        id: &str,
        effective_key: &str,
        d: &mut Doc,
    ) {
        let mut names: HashSet<String> = HashSet::new();
        let mut items = Vec::new();
        let mut item_names = Vec::new();
        for it in e.items() {
            let display = it
                .get("displayName")
                .map(|r| referenced_id(&r, "string").to_string())
                .unwrap_or_default();
            let prefix = format!("{policy}_{id}_");
            let base = display
                .strip_prefix(&prefix)
                .unwrap_or(&display)
                .to_string();
            let base = if crate::model::id::is_item_name(&base) {
                base
            } else {
                "item".to_string()
            };
            let mut item = base.clone();
            let mut k = 2;
            while !names.insert(item.clone()) {
                item = format!("{base}_{k}");
                k += 1;
            }
            let mut pairs = vec![("name".to_string(), string(&item))];
            pairs.extend(self.text_pairs(
                "display_name",
                *it,
                "displayName",
                &format!("{prefix}{item}"),
            ));
            pairs.push(("value".into(), self.value_of(it.value(), *it)));
            if let Some(l) = it.value_list() {
                pairs.push(("value_list".into(), self.list(l, effective_key)));
            }
            let pairs: Vec<(&str, String)> =
                pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            items.push(inline(&pairs));
            item_names.push(item);
        }
        d.raw("items", &array(&items));
        // `defaultItem=""` is kept as written (the build warns, D049).
        if control
            .and_then(|c| c.get("defaultItem"))
            .is_some_and(|v| v.trim().is_empty())
        {
            d.str("default", "");
        } else if let Some(i) = cnum(control, "defaultItem") {
            match item_names.get(i as usize) {
                Some(n) => d.str("default", n),
                None => {
                    let span = match control {
                        Some(c) => self.en.file.span(*c),
                        None => self.admx.span(*e),
                    };
                    self.left_out(
                        span,
                        format!("defaultItem {i} is not an item of `{id}`; left out"),
                        "no such item",
                    );
                }
            }
        }
        if control.is_some() && cflag(control, "noSort") != Some(true) {
            d.bool("no_sort", false);
        }
    }

    /// A boolean's values and value lists, and its default.
    fn boolean_fields(
        &mut self,
        e: Element<'_>,
        control: Option<Control<'_>>,
        effective_key: &str,
        d: &mut Doc,
    ) {
        for (tag, field) in [("trueValue", "true_value"), ("falseValue", "false_value")] {
            if let Some(v) = e.value_of(tag) {
                let v = self.value_of(Some(v), *e);
                d.raw(field, &v);
            }
        }
        for (tag, field) in [("trueList", "true_list"), ("falseList", "false_list")] {
            if let Some(l) = e.list_of(tag) {
                let v = self.list(l, effective_key);
                d.raw(field, &v);
            }
        }
        if cflag(control, "defaultChecked") == Some(true) {
            d.bool("default", true);
        }
    }
}

/// A control attribute, trimmed.
fn cattr(control: Option<Control<'_>>, n: &str) -> Option<String> {
    control.and_then(|c| c.get(n).map(|v| v.trim().to_string()))
}

/// A control flag.
fn cflag(control: Option<Control<'_>>, n: &str) -> Option<bool> {
    control.and_then(|c| c.flag(n))
}

/// A control number.
fn cnum(control: Option<Control<'_>>, n: &str) -> Option<u64> {
    control.and_then(|c| c.number(n)).map(|n| n.0)
}

/// A decimal's or longDecimal's limits and storage, and its box's default and spin.
fn number_fields(e: Element<'_>, control: Option<Control<'_>>, d: &mut Doc) {
    let number = |n: &str| e.number(n).map(|n| n.0);
    if let Some(n) = number("minValue") {
        d.num("min", n);
    }
    if let Some(n) = number("maxValue") {
        d.num("max", n);
    }
    if e.flag("storeAsText") == Some(true) {
        d.bool("store_as_text", true);
    }
    if let Some(n) = cnum(control, "defaultValue") {
        d.num("default", n);
    } else if cattr(control, "defaultValue").is_some_and(|v| v.trim().is_empty()) {
        // `defaultValue=""` is kept as written (the build warns, D049).
        d.str("default", "");
    }
    if cflag(control, "spin") == Some(false) {
        d.bool("spin", false);
    }
    if let Some(n) = cnum(control, "spinStep").filter(|n| *n != 1) {
        d.num("spin_step", n);
    }
}

/// A text's limits, and its box's (or comboBox's) default and suggestions.
fn text_fields(e: Element<'_>, control: Option<Control<'_>>, d: &mut Doc) {
    if let Some(n) = e.number("maxLength").map(|n| n.0) {
        d.num("max_length", n);
    }
    if e.flag("expandable") == Some(true) {
        d.bool("expandable", true);
    }
    let combo = control.filter(|c| c.tag() == "comboBox");
    if combo.is_some() {
        d.str("control", "comboBox");
    }
    if let Some(dv) = control.and_then(|c| c.default_text()) {
        d.str("default", &dv.text());
    }
    if let Some(c) = combo {
        let sugg: Vec<String> = c.suggestions().map(|s| text(s.text().trim())).collect();
        if !sugg.is_empty() {
            d.raw("suggestions", &array(&sugg));
        }
        if cflag(control, "noSort") == Some(true) {
            d.bool("no_sort", true);
        }
    }
}

/// A multiText's limits and its box's layout.
fn multi_text_fields(e: Element<'_>, control: Option<Control<'_>>, d: &mut Doc) {
    let number = |n: &str| e.number(n).map(|n| n.0);
    if let Some(n) = number("maxLength") {
        d.num("max_length", n);
    }
    if let Some(n) = number("maxStrings") {
        d.num("max_strings", n);
    }
    if cflag(control, "showAsDialog") == Some(true) {
        d.bool("show_as_dialog", true);
    }
    if let Some(n) = cnum(control, "defaultHeight").filter(|n| *n != 3) {
        d.num("height", n);
    }
}

/// A list's prefix and flags.
fn list_fields(e: Element<'_>, d: &mut Doc) {
    if let Some(v) = get(*e, "valuePrefix") {
        d.str("value_prefix", &v);
    }
    for (attr, field) in [
        ("additive", "additive"),
        ("expandable", "expandable"),
        ("explicitValue", "explicit_value"),
    ] {
        if e.flag(attr) == Some(true) {
            d.bool(field, true);
        }
    }
}
