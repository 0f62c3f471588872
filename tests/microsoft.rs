//! Cross-check with Microsoft: reads `outlk16.admx` (UTF-16LE with BOM, no default namespace)
//! from the shared corpus and compares, for every policy we also define, the registry facts:
//! class, key, value name, enabled/disabled values, element kinds, ids, value names, enum item
//! values (in order) and decimal ranges. Every Microsoft policy of the categories Cryptography
//! and Signature Status dialog box (and Outlook Security Mode) must be in our definitions.

mod common;

use common::admx::{Pol, decode, parse};
use gpforge::app::compile_dir;
use gpforge::backend::text::decode_for_display;
use std::collections::BTreeMap;
use std::path::Path;

const CORPUS: &str = "../shared/corpus/windows-1903-office2016/PolicyDefinitions";

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
