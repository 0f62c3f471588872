//! Family `registry`: what an ADMX writes to the registry (key shape, value names, enum and
//! decimal constraints, values written twice). These are authoring mistakes the editor accepts
//! and then writes something other than intended. Input: a parsed ADMX. Output: V050–V058.

use super::Sink;
use crate::admx::dom::Document;
use crate::admx::view::{Element, EnumItem, Node, Policy, Val};
use crate::diag::Code;
use foldhash::{HashMap, HashMapExt};
use std::ops::Range;

const HIVES: &[&str] = &[
    "hkey_local_machine",
    "hkey_current_user",
    "hkey_users",
    "hkey_classes_root",
    "hkey_current_config",
    "hklm",
    "hkcu",
    "hku",
    "hkcr",
];

fn key_problem(key: &str) -> Option<&'static str> {
    if key.is_empty() {
        return Some("the key is empty");
    }
    let first = key.split('\\').next().unwrap_or("");
    if HIVES.iter().any(|h| h.eq_ignore_ascii_case(first)) {
        return Some("the key starts with a hive; the policy's class chooses the hive");
    }
    if key.starts_with('\\') || key.ends_with('\\') || key.contains("\\\\") {
        return Some("the key has an empty segment (a leading, trailing or doubled backslash)");
    }
    None
}

/// Checks every policy of an ADMX.
pub fn check(doc: &Document, sink: &mut Sink<'_>) {
    for el in doc.all() {
        for (k, span) in doc.keys(el) {
            if let Some(why) = key_problem(&k) {
                sink.push(
                    Code::V050,
                    format!("malformed registry key `{k}`"),
                    span,
                    why,
                );
            }
        }
        if let Some((v, span)) = doc.attr(el, "valueName") {
            let n = v.chars().count();
            if n > 259 {
                sink.push(
                    Code::V051,
                    format!("a value name of {n} characters"),
                    span,
                    "Registry.pol allows 259",
                );
            }
        }
        match doc.name(el) {
            "policy" => policy(Policy(Node { doc, index: el }), sink),
            "enum" => enumeration(Element(Node { doc, index: el }), sink),
            "decimal" | "longDecimal" => {
                let n = |a| {
                    doc.attr(el, a)
                        .and_then(|(v, _)| crate::admx::view::parse_unsigned(v.trim()))
                };
                let min = n("minValue").unwrap_or(0);
                let max = n("maxValue").unwrap_or(9999);
                if min > max {
                    let span = doc
                        .attr(el, "minValue")
                        .map(|a| a.1)
                        .unwrap_or(doc.name_span(el));
                    sink.push(
                        Code::V054,
                        format!("minValue {min} is greater than maxValue {max}"),
                        span,
                        "no number fits",
                    );
                }
            }
            "list" => {
                let explicit = doc
                    .attr(el, "explicitValue")
                    .is_some_and(|(v, _)| matches!(v.trim(), "true" | "1"));
                if explicit && let Some((_, span)) = doc.attr(el, "valuePrefix") {
                    sink.push(
                        Code::V056,
                        "valuePrefix is ignored with explicitValue=\"true\"",
                        span,
                        "has no effect",
                    );
                }
            }
            "enabledList" | "disabledList" | "trueList" | "falseList" | "valueList"
                if doc.attr(el, "defaultKey").is_none() =>
            {
                for item in doc.children_named(el, "item") {
                    if doc.attr(item, "key").is_none() {
                        sink.push(
                            Code::V057,
                            format!(
                                "an item of `<{}>` without `key`, and the list has no `defaultKey`",
                                doc.name(el)
                            ),
                            doc.name_span(item),
                            "add key=\"…\" or defaultKey on the list",
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn policy(p: Policy<'_>, sink: &mut Sink<'_>) {
    let key = p.get("key").map(|k| k.into_owned()).unwrap_or_default();
    // (key, value) lower-cased → where it was first written.
    let mut writes: HashMap<(String, String), Range<usize>> = HashMap::new();
    let mut write = |k: &str, v: &str, span: Range<usize>, sink: &mut Sink<'_>| {
        let id = (k.to_lowercase(), v.to_lowercase());
        let file = sink.file;
        if let Some(first) = writes.get(&id) {
            sink.push(
                Code::V055,
                format!("`{k}\\{v}` is written twice by this policy"),
                span,
                "second write",
            )
            .secondary(crate::diag::Span::new(file, first.clone()), "first write");
        } else {
            writes.insert(id, span);
        }
    };
    if let Some((v, span)) = p.value_name() {
        write(&key, &v, span, sink);
    }
    for e in p.elements() {
        let kind = e.tag();
        let k = e
            .get("key")
            .map(|k| k.into_owned())
            .unwrap_or_else(|| key.clone());
        match e.value_name() {
            Some((v, span)) => write(&k, &v, span, sink),
            None => {
                let writes_elsewhere = match kind {
                    "boolean" => {
                        e.list_of("trueList").is_some() || e.list_of("falseList").is_some()
                    }
                    "text" | "decimal" | "longDecimal" | "multiText" => false,
                    _ => true,
                };
                if !writes_elsewhere {
                    sink.push(
                        Code::V058,
                        format!("`<{kind}>` element without valueName"),
                        e.span(),
                        "writes the key's unnamed default value",
                    );
                }
            }
        }
    }
}

/// The number an enum item writes (decimal and longDecimal alike), its text, or a deletion.
fn item_value(item: EnumItem<'_>) -> Option<Val> {
    Some(match item.value()?.get()? {
        Val::LongDecimal(n) => Val::Decimal(n),
        v => v,
    })
}

fn enumeration(el: Element<'_>, sink: &mut Sink<'_>) {
    let mut seen: HashMap<Val, Range<usize>> = HashMap::new();
    let mut any = false;
    for item in el.items() {
        any = true;
        let Some(v) = item_value(item) else {
            continue;
        };
        let span = item.span();
        let file = sink.file;
        if let Some(first) = seen.get(&v) {
            sink.push(
                Code::V052,
                format!(
                    "two items of enum `{}` write the same value",
                    el.get("id").unwrap_or_default()
                ),
                span,
                "same value as an earlier item",
            )
            .secondary(
                crate::diag::Span::new(file, first.clone()),
                "first item with this value",
            );
        } else {
            seen.insert(v, span);
        }
    }
    if !any {
        sink.push(
            Code::V053,
            format!("enum `{}` has no items", el.get("id").unwrap_or_default()),
            el.span(),
            "empty drop-down list",
        );
    }
}
