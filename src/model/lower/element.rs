//! Elements of a policy and their presentation controls: each kind's fields, limits and
//! defaults, enum items, and static text labels.

use super::*;

pub(super) fn lower_label(
    cx: &mut Cx,
    e: &S<ast::ElementSrc>,
    policy: &str,
    n: usize,
) -> Option<Control> {
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
pub(super) fn set_fields(e: &ast::ElementSrc) -> Vec<(&'static str, std::ops::Range<usize>)> {
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
pub(super) fn check_fields(cx: &mut Cx, e: &S<ast::ElementSrc>, allowed: &[&str]) {
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
pub(super) type MakeControl = Box<dyn FnOnce(ElementId, StringId) -> Control>;

const COMMON: &[&str] = &[
    "kind",
    "id",
    "key",
    "value_name",
    "client_extension",
    "label",
];

/// A flag field: set and true.
fn flag(b: &Option<S<bool>>) -> bool {
    b.as_ref().is_some_and(|b| *b.get_ref())
}

/// `max_length` of a text or multi_text element, else the XSD's default.
fn max_length(cx: &mut Cx, src: &ast::ElementSrc) -> u32 {
    src.max_length
        .as_ref()
        .and_then(|m| cx.u32_field(m, "max_length"))
        .unwrap_or(DEFAULT_MAX_LENGTH)
}

/// The keys an element of `kind` has besides [`COMMON`]; `None` for an unknown kind.
fn kind_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "boolean" => &[
            "true_value",
            "false_value",
            "true_list",
            "false_list",
            "default",
        ],
        "decimal" | "long_decimal" => &[
            "required",
            "soft",
            "min",
            "max",
            "store_as_text",
            "default",
            "spin",
            "spin_step",
        ],
        "text" => &[
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
        "multi_text" => &[
            "required",
            "soft",
            "max_length",
            "max_strings",
            "show_as_dialog",
            "height",
        ],
        "enum" => &["required", "items", "default", "no_sort", "format"],
        "list" => &["value_prefix", "additive", "expandable", "explicit_value"],
        _ => return None,
    })
}

/// An element's `value_name`: expected, except on a list, which writes one value per entry, and
/// on a boolean, which may write through its lists; without one, the element writes the key's
/// default value (D055).
fn element_value_name(
    cx: &mut Cx,
    src: &ast::ElementSrc,
    kind: &str,
    id_src: &S<String>,
) -> Option<Option<ValueName>> {
    match (&src.value_name, kind) {
        (Some(v), "list") => {
            cx.err_on(
                Code::D002,
                "`value_name` does not apply to `list` elements",
                v,
                "a list writes one value per entry under its `key`",
            );
            None
        }
        (Some(v), _) => cx.value_name(v).map(Some),
        (None, "list") => Some(None),
        (None, "boolean") if src.true_list.is_some() || src.false_list.is_some() => Some(None),
        (None, _) => {
            let span = cx.sp(id_src);
            cx.diags.push(
                Diagnostic::new(
                    Code::D055,
                    format!("element `{}` has no `value_name`", id_src.get_ref()),
                )
                .at(span, "writes the key's unnamed default value")
                .note("the editor loads it and writes the default value, which programs rarely read; --strict makes it an error"),
            );
            Some(None)
        }
    }
}

/// What every kind's lowering reads of its element.
struct Parts<'a> {
    src: &'a ast::ElementSrc,
    kind: &'a str,
    policy: &'a str,
    idstr: &'a str,
    /// The element's key, else the policy's.
    effective_key: &'a Option<RegistryKey>,
    required: bool,
    soft: bool,
}

pub(super) fn lower_element(
    cx: &mut Cx,
    e: &S<ast::ElementSrc>,
    policy: &str,
    policy_key: &Option<RegistryKey>,
) -> Option<(Element, Control)> {
    let src = e.get_ref();
    let kind = src.kind.get_ref().as_str();
    let kspan = cx.sp(&src.kind);
    let Some(allowed) = kind_fields(kind) else {
        cx.err(
            Code::D022,
            format!("unknown element kind `{kind}`"),
            kspan,
            "expected boolean, decimal, long_decimal, text, multi_text, enum, list or label",
        );
        return None;
    };
    let allowed: Vec<&str> = COMMON.iter().chain(allowed).copied().collect();
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
    let value_name = element_value_name(cx, src, kind, id_src);
    let effective_key = key.clone().or_else(|| policy_key.clone());
    let label = match &src.label {
        Some(l) => cx.text(l, None, &[policy, idstr]),
        None => {
            cx.err_on(
                Code::D018,
                format!("element `{idstr}` has no en-US label"),
                id_src,
                "add `label = \"…\"` (the text beside the control)",
            );
            None
        }
    };
    let required = flag(&src.required);
    let soft = flag(&src.soft);

    let parts = Parts {
        src,
        kind,
        policy,
        idstr,
        effective_key: &effective_key,
        required,
        soft,
    };
    let (kind_model, control) = match kind {
        "boolean" => boolean(cx, &parts)?,
        "decimal" | "long_decimal" => decimal(cx, &parts)?,
        "text" => text(cx, &parts)?,
        "multi_text" => multi_text(cx, &parts)?,
        "enum" => enumeration(cx, &parts)?,
        "list" => list(cx, &parts)?,
        _ => return None,
    };
    let id = id?;
    let control = control(id.clone(), label?);
    Some((
        Element {
            id,
            key,
            value_name: value_name?,
            client_extension: src.client_extension.as_ref().map(|c| c.get_ref().clone()),
            kind: kind_model,
        },
        control,
    ))
}

pub(super) fn string_check(cx: &mut Cx, format: &Option<S<String>>) -> Option<StringCheck> {
    let f = format.as_ref()?;
    if f.get_ref() == "oid" {
        Some(StringCheck::Oid)
    } else {
        cx.err_on(
            Code::D022,
            format!("unknown format `{}`", f.get_ref()),
            f,
            "expected `oid`",
        );
        None
    }
}

pub(super) fn lower_items(
    cx: &mut Cx,
    src: &ast::ElementSrc,
    policy: &str,
    element: &str,
    key: &Option<RegistryKey>,
    check: Option<StringCheck>,
) -> Vec<EnumItem> {
    let mut out = Vec::new();
    let Some(items) = &src.items else {
        cx.err_on(
            Code::D003,
            format!("enum `{element}` has no `items`"),
            &src.kind,
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
            check_item_value(cx, (v, &value_list, vspan), &mut values, repeated, check);
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

/// An enum item's value: D013 when an earlier item writes the same value and value list (an
/// item repeated with the same text, D038, is redundant, not ambiguous); D023 when the enum's
/// format is `oid` and the value is no object identifier.
fn check_item_value(
    cx: &mut Cx,
    (v, value_list, vspan): (&RegValue, &ValueList, Span),
    values: &mut Vec<(RegValue, ValueList, Span)>,
    repeated: bool,
    check: Option<StringCheck>,
) {
    if let Some((_, _, first)) = values
        .iter()
        .find(|(x, l, _)| x == v && l == value_list)
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

/// The `boolean` kind: its model and presentation control.
fn boolean(cx: &mut Cx, p: &Parts) -> Option<(ElementKind, MakeControl)> {
    let src = p.src;
    let effective_key = p.effective_key;
    let default_checked = match &src.default {
        Some(d) => match d.get_ref() {
            toml::Value::Boolean(b) => *b,
            _ => {
                cx.err_on(
                    Code::D022,
                    "a checkBox default is `true` or `false`",
                    d,
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
        true_list: cx.value_list(&src.true_list, effective_key),
        false_list: cx.value_list(&src.false_list, effective_key),
    };
    let c = move |ref_id, label| Control::CheckBox {
        ref_id,
        label,
        default_checked,
    };
    Some((k, Box::new(c) as MakeControl))
}

/// `min` and `max` of a decimal element (each within 0..=`limit`), with D016 when they cross.
fn decimal_range(cx: &mut Cx, src: &ast::ElementSrc, limit: u64) -> (u64, u64) {
    let min = match &src.min {
        Some(m) => match u64::try_from(*m.get_ref()).ok().filter(|v| *v <= limit) {
            Some(v) => v,
            None => {
                cx.err_on(
                    Code::D003,
                    format!("`min` must be between 0 and {limit}"),
                    m,
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
                cx.err_on(
                    Code::D003,
                    format!("`max` must be an integer between 0 and {limit}"),
                    m,
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
        let span = src
            .min
            .as_ref()
            .map(|m| cx.sp(m))
            .unwrap_or_else(|| cx.sp(&src.kind));
        cx.err(
            Code::D016,
            format!("`min` ({min}) is greater than the default `max` ({max})"),
            span,
            "set `max` as well",
        );
    }
    (min, max)
}

/// A decimal default must lie in `min..=max` (D015) and fit the presentation's unsignedInt.
fn check_decimal_default(
    cx: &mut Cx,
    src: &ast::ElementSrc,
    default: Option<u64>,
    min: u64,
    max: u64,
) {
    if let (Some(v), Some(d)) = (default, &src.default) {
        let span = cx.sp(d);
        if v < min || v > max {
            cx.err(
                Code::D015,
                format!("default {v} is outside {min}..={max}"),
                span,
                "outside min/max",
            );
        } else if v > u32::MAX as u64 {
            // The ADMX schema types longDecimalTextBox@defaultValue as unsignedInt.
            cx.err(
                Code::D022,
                format!("default {v} does not fit the presentation's defaultValue"),
                span,
                "the ADMX schema allows at most 4294967295 here",
            );
        }
    }
}

/// The `decimal | long_decimal` kind: its model and presentation control.
fn decimal(cx: &mut Cx, p: &Parts) -> Option<(ElementKind, MakeControl)> {
    let src = p.src;
    let kind = p.kind;
    let required = p.required;
    let soft = p.soft;
    let long = kind == "long_decimal";
    let limit: u64 = if long {
        i64::MAX as u64
    } else {
        u32::MAX as u64
    };
    let (min, max) = decimal_range(cx, src, limit);
    let (default, empty_default) = cx.decimal_default(src.default.as_ref());
    check_decimal_default(cx, src, default, min, max);
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
        Some((k, Box::new(c) as MakeControl))
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
        Some((k, Box::new(c) as MakeControl))
    }
}

/// A text element's `default`: a string within `max_length` (D017) that passes its format
/// (D023), added as the string `<policy>_<id>_Default`.
fn text_default(
    cx: &mut Cx,
    p: &Parts,
    max_length: u32,
    check: Option<StringCheck>,
) -> Option<StringId> {
    let d = p.src.default.as_ref()?;
    let toml::Value::String(t) = d.get_ref() else {
        cx.err_on(
            Code::D022,
            "a text default must be a string",
            d,
            "not a string",
        );
        return None;
    };
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
    let gid = StringId::join(&[p.policy, p.idstr, "Default"]);
    if let Some(g) = &gid {
        cx.add_string(g.clone(), t.clone(), dspan);
    }
    gid
}

/// Whether a text element's `control` is `comboBox` (else `textBox`, the default).
fn text_control_is_combo(cx: &mut Cx, src: &ast::ElementSrc) -> bool {
    match &src.control {
        None => false,
        Some(c) if c.get_ref() == "textBox" => false,
        Some(c) if c.get_ref() == "comboBox" => true,
        Some(c) => {
            cx.err_on(
                Code::D022,
                format!("unknown control `{}`", c.get_ref()),
                c,
                "expected `textBox` or `comboBox`",
            );
            false
        }
    }
}

/// The `text` kind: its model and presentation control.
fn text(cx: &mut Cx, p: &Parts) -> Option<(ElementKind, MakeControl)> {
    let src = p.src;
    let policy = p.policy;
    let idstr = p.idstr;
    let required = p.required;
    let soft = p.soft;
    let max_length = max_length(cx, src);
    let check = string_check(cx, &src.format);
    let default = text_default(cx, p, max_length, check);
    let expandable = flag(&src.expandable);
    let k = ElementKind::Text {
        required,
        max_length,
        expandable,
        soft,
        check,
    };
    let combo = text_control_is_combo(cx, src);
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
        Some((k, Box::new(c) as MakeControl))
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
        Some((k, Box::new(c) as MakeControl))
    }
}

/// The `multi_text` kind: its model and presentation control.
fn multi_text(cx: &mut Cx, p: &Parts) -> Option<(ElementKind, MakeControl)> {
    let src = p.src;
    let required = p.required;
    let soft = p.soft;
    let max_length = max_length(cx, src);
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
    Some((k, Box::new(c) as MakeControl))
}

/// The `enum` kind: its model and presentation control.
fn enumeration(cx: &mut Cx, p: &Parts) -> Option<(ElementKind, MakeControl)> {
    let src = p.src;
    let policy = p.policy;
    let idstr = p.idstr;
    let effective_key = p.effective_key;
    let required = p.required;
    let check = string_check(cx, &src.format);
    let items = lower_items(cx, src, policy, idstr, effective_key, check);
    let mut empty_default = false;
    let default_item = match &src.default {
        Some(d) => {
            let span = cx.sp(d);
            match d.get_ref() {
                toml::Value::String(name) if name.is_empty() => {
                    cx.err(
                        Code::D049,
                        "an empty enum default (`defaultItem=\"\"`)",
                        span,
                        "written as `defaultItem=\"\"`",
                    );
                    empty_default = true;
                    None
                }
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
        empty_default,
    };
    Some((k, Box::new(c) as MakeControl))
}

/// The `list` kind: its model and presentation control.
fn list(cx: &mut Cx, p: &Parts) -> Option<(ElementKind, MakeControl)> {
    let src = p.src;
    let explicit_value = flag(&src.explicit_value);
    if explicit_value && let Some(p) = &src.value_prefix {
        cx.err_on(
            Code::D047,
            "`value_prefix` has no effect with `explicit_value`: the user names each value",
            p,
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
    Some((k, Box::new(c) as MakeControl))
}
