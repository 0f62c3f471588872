//! Cross-check with Microsoft: reads `outlk16.admx` (UTF-16LE with BOM, no default namespace)
//! from the shared corpus and compares, for every policy we also define, the registry facts:
//! class, key, value name, enabled/disabled values, element kinds, ids, value names, enum item
//! values (in order) and decimal ranges. Every Microsoft policy of the categories Cryptography
//! and Signature Status dialog box (and Outlook Security Mode) must be in our definitions.

use gpforge::app::compile_dir;
use gpforge::backend::text::decode_for_display;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeMap;
use std::path::Path;

const CORPUS: &str = "../shared/corpus/windows-1903-office2016/PolicyDefinitions";

#[derive(Debug, Default, Clone, PartialEq)]
struct Elem {
    kind: String,
    id: String,
    value_name: String,
    key: String,
    /// Decimal range with the schema defaults (0 and 9999) applied.
    range: Option<(u64, u64)>,
    items: Vec<String>,
}

#[derive(Debug, Default, Clone, PartialEq)]
struct Pol {
    class: String,
    key: String,
    value_name: String,
    category: String,
    enabled: Option<String>,
    disabled: Option<String>,
    elements: Vec<Elem>,
}

fn attr(e: &BytesStart, name: &str) -> String {
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
fn decode(bytes: &[u8]) -> String {
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
fn parse(text: &str) -> BTreeMap<String, Pol> {
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

fn corpus_file(name: &str) -> Option<Vec<u8>> {
    match std::fs::read(Path::new(CORPUS).join(name)) {
        Ok(b) => Some(b),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but {CORPUS}/{name}: {e}"
            );
            eprintln!("skipped: {CORPUS}/{name} missing");
            None
        }
    }
}

fn ours() -> BTreeMap<String, Pol> {
    let c = compile_dir(Path::new("definitions")).unwrap();
    assert!(!c.has_errors());
    let admx = c
        .artifacts
        .iter()
        .find(|a| a.path.extension().is_some_and(|e| e == "admx"))
        .unwrap();
    parse(&decode_for_display(&admx.bytes))
}

#[test]
fn microsoft_crypto_policies_match_ours() {
    let Some(bytes) = corpus_file("outlk16.admx") else {
        return;
    };
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "expected UTF-16LE with BOM");
    let ms = parse(&decode(&bytes));
    assert!(ms.len() > 300, "parsed {} Microsoft policies", ms.len());
    let ours = ours();
    let crypto: Vec<&String> = ms
        .iter()
        .filter(|(name, p)| {
            matches!(
                p.category.as_str(),
                "L_Cryptography" | "L_SignatureStatusDialog"
            ) || name.as_str() == "L_OutlookSecurityMode"
        })
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        crypto.len(),
        30,
        "24 + 5 crypto policies and Outlook Security Mode in the 1903 file"
    );
    for name in &crypto {
        assert!(
            ours.contains_key(*name),
            "Microsoft crypto policy {name} is missing from definitions/"
        );
    }
    let mut compared = 0;
    for (name, mine) in &ours {
        let Some(theirs) = ms.get(name) else { continue };
        compared += 1;
        assert_eq!(mine.class, theirs.class, "{name}: class");
        assert_eq!(mine.key, theirs.key, "{name}: key");
        assert_eq!(mine.value_name, theirs.value_name, "{name}: valueName");
        assert_eq!(mine.enabled, theirs.enabled, "{name}: enabledValue");
        assert_eq!(mine.disabled, theirs.disabled, "{name}: disabledValue");
        assert_eq!(
            mine.elements.len(),
            theirs.elements.len(),
            "{name}: element count"
        );
        for (a, b) in mine.elements.iter().zip(&theirs.elements) {
            assert_eq!(a.kind, b.kind, "{name}: element kind");
            assert_eq!(a.id, b.id, "{name}: element id");
            assert_eq!(a.value_name, b.value_name, "{name}/{}: valueName", a.id);
            assert_eq!(a.key, b.key, "{name}/{}: key", a.id);
            assert_eq!(a.items, b.items, "{name}/{}: enum item values", a.id);
            assert_eq!(a.range, b.range, "{name}/{}: decimal range", a.id);
        }
    }
    assert_eq!(compared, crypto.len(), "every shared policy was compared");
}

#[test]
fn the_cross_check_notices_a_difference() {
    let Some(bytes) = corpus_file("outlk16.admx") else {
        return;
    };
    let ms = parse(&decode(&bytes));
    let mut ours = ours();
    let p = ours.get_mut("L_SMIMEreceiptrequests").unwrap();
    assert_eq!(
        p.elements[0].items,
        ms["L_SMIMEreceiptrequests"].elements[0].items
    );
    assert_eq!(
        p.elements[0].items,
        ["decimal:0", "decimal:3", "decimal:1", "decimal:2"]
    );
    p.elements[0].items.swap(1, 2);
    assert_ne!(
        p.elements[0].items,
        ms["L_SMIMEreceiptrequests"].elements[0].items
    );
}
