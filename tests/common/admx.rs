//! A small reader of ADMX registry facts (policies, their class, category, values and elements),
//! written with quick-xml independently of gpforge's writer.

use gpforge::backend::text::decode_for_display;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeMap;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Elem {
    pub kind: String,
    pub id: String,
    pub value_name: String,
    pub key: String,
    /// Decimal range with the schema defaults (0 and 9999) applied.
    pub range: Option<(u64, u64)>,
    pub items: Vec<String>,
    /// `maxLength` of text and multiText elements.
    pub max_length: Option<u64>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pol {
    pub class: String,
    pub key: String,
    pub value_name: String,
    pub category: String,
    pub enabled: Option<String>,
    pub disabled: Option<String>,
    pub elements: Vec<Elem>,
}

pub fn attr(e: &BytesStart, name: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap()
                .into_owned()
        })
        .unwrap_or_default()
}

/// Decodes by BOM (UTF-16LE or UTF-8).
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    } else {
        decode_for_display(bytes)
    }
}

/// Registry facts of every policy of an ADMX text, by policy name. Values are written as
/// `decimal:1`, `string:x`, `delete`.
pub fn parse(text: &str) -> BTreeMap<String, Pol> {
    let mut r = Reader::from_str(text);
    let mut out = BTreeMap::new();
    let mut cur: Option<(String, Pol)> = None;
    let mut ctx: Vec<String> = Vec::new();
    loop {
        let ev = r.read_event().unwrap();
        let (e, empty) = match &ev {
            Event::Start(e) => (e.clone(), false),
            Event::Empty(e) => (e.clone(), true),
            Event::End(e) => {
                let n = e.local_name().as_ref().to_string();
                ctx.pop();
                if n == "policy"
                    && let Some((name, p)) = cur.take()
                {
                    out.insert(name, p);
                }
                continue;
            }
            Event::Text(t) => {
                if let (Some((_, p)), Some(parent)) = (cur.as_mut(), ctx.iter().rev().nth(1))
                    && ctx.last().map(String::as_str) == Some("string")
                {
                    let v = format!(
                        "string:{}",
                        t.xml_content(quick_xml::XmlVersion::Implicit1_0)
                    );
                    set_value(p, parent, v);
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let n = e.local_name().as_ref().to_string();
        match n.as_str() {
            "policy" => {
                cur = Some((
                    attr(&e, "name"),
                    Pol {
                        class: attr(&e, "class"),
                        key: attr(&e, "key"),
                        value_name: attr(&e, "valueName"),
                        ..Default::default()
                    },
                ))
            }
            "parentCategory" => {
                if let Some((_, p)) = cur.as_mut() {
                    p.category = attr(&e, "ref");
                }
            }
            "boolean" | "decimal" | "longDecimal" | "text" | "multiText" | "enum" | "list"
                if ctx.last().map(String::as_str) == Some("elements") =>
            {
                if let Some((_, p)) = cur.as_mut() {
                    let range = matches!(n.as_str(), "decimal" | "longDecimal").then(|| {
                        let num = |a: &str, d: u64| attr(&e, a).parse().unwrap_or(d);
                        (num("minValue", 0), num("maxValue", 9999))
                    });
                    p.elements.push(Elem {
                        kind: n.clone(),
                        id: attr(&e, "id"),
                        value_name: attr(&e, "valueName"),
                        key: attr(&e, "key"),
                        range,
                        items: Vec::new(),
                        max_length: matches!(n.as_str(), "text" | "multiText")
                            .then(|| attr(&e, "maxLength").parse().unwrap_or(1023)),
                    });
                }
            }
            "decimal" | "longDecimal" | "delete" => {
                if let (Some((_, p)), Some(parent)) = (cur.as_mut(), ctx.last()) {
                    let v = if n == "delete" {
                        "delete".to_string()
                    } else {
                        format!("decimal:{}", attr(&e, "value"))
                    };
                    let grand = ctx.iter().rev().nth(1).cloned().unwrap_or_default();
                    if parent == "value" && grand == "item" {
                        if let Some(el) = p.elements.last_mut() {
                            el.items.push(v);
                        }
                    } else {
                        set_value(p, parent, v);
                    }
                }
            }
            _ => {}
        }
        if !empty {
            ctx.push(n);
        }
    }
    out
}

fn set_value(p: &mut Pol, parent: &str, v: String) {
    match parent {
        "enabledValue" => p.enabled = Some(v),
        "disabledValue" => p.disabled = Some(v),
        "value" => {
            if let Some(el) = p.elements.last_mut() {
                el.items.push(v);
            }
        }
        _ => {}
    }
}

/// Every category of an ADMX text: name → parent reference (`None` for a root category).
pub fn categories(text: &str) -> BTreeMap<String, Option<String>> {
    let mut r = Reader::from_str(text);
    let mut out = BTreeMap::new();
    let mut cur: Option<String> = None;
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "category" => {
                let name = attr(&e, "name");
                out.insert(name.clone(), None);
                cur = Some(name);
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "parentCategory" => {
                if let Some(c) = &cur {
                    out.insert(c.clone(), Some(attr(&e, "ref")));
                }
            }
            Event::End(e) if e.local_name().as_ref() == "category" => cur = None,
            Event::Eof => break,
            _ => {}
        }
    }
    out
}
