//! Intune outputs, read back as Intune would: every `intune.csv` with a CSV reader, every payload
//! with an XML parser, every URI against the category chain of the ADMX that the first row
//! ingests, every `<data id>` against that ADMX's elements and the values they accept; and
//! `intune.json` carries the same rows as a Graph `windows10CustomConfiguration`.

mod common;

use common::admx::{Elem, Pol, categories, parse};
use gpforge::app::compile_dir;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::path::Path;

struct Row {
    name: String,
    uri: String,
    data_type: String,
    value: String,
}

fn read_csv(bytes: &[u8]) -> Vec<Row> {
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["Name", "Description", "OMA-URI", "Data type", "Value"]
    );
    r.records()
        .map(|rec| {
            let rec = rec.expect("RFC 4180 record");
            assert_eq!(rec.len(), 5);
            Row {
                name: rec[0].to_string(),
                uri: rec[2].to_string(),
                data_type: rec[3].to_string(),
                value: rec[4].to_string(),
            }
        })
        .collect()
}

/// The payload as (`enabled`|`disabled`, [(data id, value)]), parsed as XML.
fn read_payload(p: &str) -> (String, Vec<(String, String)>) {
    let mut r = Reader::from_str(p);
    let mut state = String::new();
    let mut data = Vec::new();
    loop {
        match r.read_event().expect("well-formed payload") {
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                if name == "data" {
                    data.push((
                        common::admx::attr(&e, "id"),
                        common::admx::attr(&e, "value"),
                    ));
                } else {
                    assert!(state.is_empty(), "one state per payload: {p}");
                    state = name;
                }
            }
            Event::Eof => break,
            other => panic!("unexpected {other:?} in {p}"),
        }
    }
    (state, data)
}

/// Whether the element accepts `value` as Intune sends it (formats.md §5.2).
fn accepts(e: &Elem, value: &str) -> bool {
    let parts: Vec<&str> = value.split('\u{F000}').collect();
    match e.kind.as_str() {
        "boolean" => value == "true" || value == "false",
        "decimal" | "longDecimal" => {
            let (lo, hi) = e.range.unwrap();
            value.parse::<u64>().is_ok_and(|n| (lo..=hi).contains(&n))
        }
        "enum" => e.items.iter().any(|i| {
            i.strip_prefix("decimal:")
                .or(i.strip_prefix("string:"))
                .is_some_and(|v| v == value)
        }),
        "text" => value.chars().count() as u64 <= e.max_length.unwrap(),
        "multiText" => parts
            .iter()
            .all(|s| s.chars().count() as u64 <= e.max_length.unwrap()),
        "list" => parts.len().is_multiple_of(2),
        _ => false,
    }
}

/// The category chain from the root down to `cat`, local categories only.
fn chain(cats: &BTreeMap<String, Option<String>>, cat: &str) -> String {
    let mut out = vec![cat.to_string()];
    let mut cur = cat.to_string();
    while let Some(Some(parent)) = cats.get(&cur) {
        if parent.contains(':') {
            break;
        }
        out.push(parent.clone());
        cur = parent.clone();
    }
    out.reverse();
    out.join("~")
}

fn check_baselines(defs: &str) -> usize {
    let c = compile_dir(Path::new(defs)).unwrap();
    assert!(!c.has_errors());
    let mut checked = 0;
    for a in c
        .artifacts
        .iter()
        .filter(|a| a.path.ends_with("intune.csv"))
    {
        let rows = read_csv(&a.bytes);
        let where_ = a.path.display();
        assert!(
            rows.len() >= 2,
            "{where_}: ingestion and at least one policy"
        );
        assert!(rows.iter().all(|r| r.data_type == "String"));

        // Row 1 ingests the ADMX exactly as built.
        let ingest = &rows[0];
        let (app, file_uid) = ingest
            .uri
            .strip_prefix("./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/")
            .and_then(|r| r.split_once("/Policy/"))
            .unwrap_or_else(|| panic!("{where_}: first row is not ADMX ingestion"));
        let admx = c
            .artifacts
            .iter()
            .find(|x| x.path == Path::new(&format!("PolicyDefinitions/{file_uid}.admx")))
            .unwrap_or_else(|| panic!("{where_}: ingests {file_uid}, which was not built"));
        assert_eq!(
            ingest.value.as_bytes(),
            admx.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap(),
            "{where_}: ingestion value is not the ADMX file"
        );
        let policies: BTreeMap<String, Pol> = parse(&ingest.value);
        let cats = categories(&ingest.value);

        for r in &rows[1..] {
            let rest = r
                .uri
                .strip_prefix("./User/Vendor/MSFT/Policy/Config/")
                .map(|x| ("User", x))
                .or_else(|| {
                    r.uri
                        .strip_prefix("./Device/Vendor/MSFT/Policy/Config/")
                        .map(|x| ("Machine", x))
                });
            let (scope, rest) = rest.unwrap_or_else(|| panic!("bad URI {}", r.uri));
            let (area, policy) = rest.split_once('/').unwrap();
            let p = policies
                .get(policy)
                .unwrap_or_else(|| panic!("{}: no policy {policy} in the ADMX", r.uri));
            assert!(p.class == scope || p.class == "Both", "{}: class", r.uri);
            assert_eq!(
                area,
                format!("{app}~Policy~{}", chain(&cats, &p.category)),
                "{}: area is not the category chain",
                r.uri
            );
            assert!(!r.name.is_empty());
            let (state, data) = read_payload(&r.value);
            match state.as_str() {
                "disabled" => assert!(data.is_empty(), "{}", r.value),
                "enabled" => {
                    for e in &p.elements {
                        let given: Vec<&(String, String)> =
                            data.iter().filter(|(id, _)| *id == e.id).collect();
                        assert_eq!(given.len(), 1, "{}: one <data> for {}", r.uri, e.id);
                        assert!(
                            accepts(e, &given[0].1),
                            "{}: {} does not accept {:?}",
                            r.uri,
                            e.id,
                            given[0].1
                        );
                    }
                    assert_eq!(data.len(), p.elements.len(), "{}: unknown <data> id", r.uri);
                }
                other => panic!("{}: payload state {other}", r.uri),
            }
            checked += 1;
        }

        // The Graph body holds the same rows.
        let json_path = a.path.with_file_name("intune.json");
        let json = c.artifacts.iter().find(|x| x.path == json_path).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
        assert_eq!(
            v["@odata.type"],
            "#microsoft.graph.windows10CustomConfiguration"
        );
        let settings = v["omaSettings"].as_array().unwrap();
        assert_eq!(settings.len(), rows.len());
        for (s, r) in settings.iter().zip(&rows) {
            assert_eq!(s["@odata.type"], "#microsoft.graph.omaSettingString");
            assert_eq!(s["omaUri"], r.uri.as_str());
            assert_eq!(s["value"], r.value.as_str());
            assert_eq!(s["displayName"], r.name.as_str());
        }
    }
    checked
}

#[test]
fn outlook_baselines_are_valid_intune_profiles() {
    // disa-stig 16, smime-strict 16 (the parameterised settings are left out without a site's
    // values), smime-sign-only 8.
    assert_eq!(check_baselines("definitions"), 16 + 16 + 8);
}

#[test]
fn every_state_baseline_is_a_valid_intune_profile() {
    // OnOff, ImplicitValues (disabled), StringAndDelete, IntuneElements; AllElements (comboBox),
    // ForbiddenForIntune and the registry-only settings are left out.
    assert_eq!(check_baselines("tests/fixtures/kinds"), 4);
}

#[test]
fn the_payload_check_rejects_a_value_the_element_does_not_accept() {
    let e = Elem {
        kind: "enum".into(),
        items: vec!["decimal:1".into(), "decimal:2".into()],
        ..Default::default()
    };
    assert!(accepts(&e, "2"));
    assert!(!accepts(&e, "3"));
    let d = Elem {
        kind: "decimal".into(),
        range: Some((0, 100)),
        ..Default::default()
    };
    assert!(!accepts(&d, "101"));
}
