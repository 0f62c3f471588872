//! The Intune Settings Catalog output: its id table is generated from the reference files
//! (Microsoft's catalog transcribed, real exports, Microsoft's outlk16.admx) and every generated
//! id, option and value is one those files show; the body has the shape of the real exports.
//! Set `GPFORGE_REGENERATE=1` to rewrite `src/backend/settings_catalog.tsv`.

use gpforge::app::import_input;
use gpforge::backend::settings_catalog::{self, element_fingerprint, policy_fingerprint};
use gpforge::model::Template;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const REF: &str = "../shared/reference/intune-catalog";
const CRYPTO: &str = "catalog-defs/outlook-cryptography-1720d60f.tsv";
const MODE: &str = "catalog-defs/outlook-securitymode-dependents-d4e5541e.tsv";
const OIB: &str = "oib/Win_-_OIB_-_SC_-_Microsoft_Office_-_U_-_Security_-_v3.6.json";
const OUTLK16: &str = "../shared/corpus/ws2025-outlook/PolicyDefinitions/outlk16.admx";

fn reference(rel: &str) -> String {
    let p = Path::new(REF).join(rel);
    let text = std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e} (the reference files are needed)", p.display()));
    text.trim_start_matches('\u{feff}').to_string()
}

fn microsoft_outlk16() -> Template {
    let input = gpforge::import::read_input(Path::new(OUTLK16)).expect("outlk16.admx");
    let (_, compiled) = import_input(input);
    assert!(
        !compiled.has_errors(),
        "Microsoft's outlk16.admx does not build"
    );
    compiled.set.templates.into_iter().next().expect("template")
}

/// What one reference says about a definition id.
#[derive(Default)]
struct Seen {
    kind: String,
    options: BTreeSet<String>,
    deprecated: bool,
    parent: Option<String>,
    source: String,
}

/// The policy part of a definition id: after the last `~`, from the first `_l_` (the category
/// names end there), without a `_v2`.
fn policy_part(id: &str) -> Option<(&str, bool)> {
    let last = id.rsplit('~').next()?;
    let at = last.find("_l_")?;
    let rest = &last[at + 1..];
    Some(match rest.strip_suffix("_v2") {
        Some(r) => (r, true),
        None => (rest, false),
    })
}

fn read_crypto(seen: &mut BTreeMap<String, Seen>) {
    let text = reference(CRYPTO);
    let prefix = text
        .lines()
        .find_map(|l| l.strip_prefix("# prefix P = "))
        .expect("prefix line")
        .trim()
        .to_string();
    for l in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = l.split('\t').collect();
        let [kind, id, _uri, _ux, options, _dep, name] = f[..] else {
            continue;
        };
        let id = match id.strip_prefix("P_") {
            Some(rest) => format!("{prefix}_{rest}"),
            None => id.to_string(),
        };
        let e = seen.entry(id).or_default();
        e.kind = kind.to_string();
        e.deprecated |= name.contains("(Deprecated)");
        e.source = CRYPTO.into();
        if options != "-" {
            for o in options.split(',') {
                if let Some((v, _)) = o.split_once('=') {
                    e.options.insert(v.trim().to_string());
                }
            }
        }
    }
}

/// The policies offered under Outlook Security Mode's option `_1`.
fn read_mode(seen: &mut BTreeMap<String, Seen>) {
    let text = reference(MODE);
    let root = text
        .lines()
        .find_map(|l| l.strip_prefix("# Definition "))
        .expect("definition line")
        .trim()
        .to_string();
    let e = seen.entry(root.clone()).or_default();
    e.kind = "choice".into();
    e.options.extend(["0".to_string(), "1".to_string()]);
    e.source = MODE.into();
    for l in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((id, _required)) = l.split_once('\t') else {
            continue;
        };
        // Children of the root's own elements are elements, not policies.
        if id.starts_with(&format!("{root}_")) {
            continue;
        }
        let e = seen.entry(id.to_string()).or_default();
        e.parent = Some(format!("{root}_1"));
        if e.source.is_empty() {
            e.source = MODE.into();
        }
        if e.kind.is_empty() {
            e.kind = "choice".into();
        }
    }
}

/// Every outlk16 instance of a real export: its kind and the option it sets.
fn read_export(seen: &mut BTreeMap<String, Seen>) {
    let doc: Json = serde_json::from_str(&reference(OIB)).expect("OIB JSON");
    fn walk(inst: &Json, seen: &mut BTreeMap<String, Seen>) {
        let id = inst["settingDefinitionId"].as_str().unwrap_or_default();
        if !id.contains("outlk16") {
            return;
        }
        let e = seen.entry(id.to_string()).or_default();
        if e.source.is_empty() {
            e.source = OIB.into();
        }
        if let Some(v) = inst["choiceSettingValue"]["value"].as_str() {
            e.kind = "choice".into();
            if let Some(o) = v.strip_prefix(&format!("{id}_")) {
                e.options.insert(o.to_string());
            }
            for c in inst["choiceSettingValue"]["children"]
                .as_array()
                .into_iter()
                .flatten()
            {
                walk(c, seen);
            }
        } else if inst.get("simpleSettingValue").is_some() {
            e.kind = "simple".into();
        }
    }
    for s in doc["settings"].as_array().expect("settings") {
        walk(&s["settingInstance"], seen);
    }
}

/// The table as generated from the references.
fn generate() -> String {
    let ms = microsoft_outlk16();
    let mut seen = BTreeMap::new();
    read_crypto(&mut seen);
    read_mode(&mut seen);
    read_export(&mut seen);
    // Policy definitions: ids whose policy part names a policy of Microsoft's outlk16.
    let by_lower: BTreeMap<String, &gpforge::model::Policy> = ms
        .policies
        .iter()
        .map(|p| (p.id.as_str().to_lowercase(), p))
        .collect();
    let mut chosen: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for (id, s) in &seen {
        let Some((part, v2)) = policy_part(id) else {
            continue;
        };
        let Some(p) = by_lower.get(part) else {
            continue;
        };
        let want = id.clone();
        // Only the policy's own id (not one of its elements').
        let policy_id_base = if v2 {
            id.strip_suffix("_v2").unwrap()
        } else {
            id
        };
        if !policy_id_base.ends_with(&format!("_{part}")) {
            continue;
        }
        // Prefer the definition that is not deprecated; between two, the base one.
        let better = match chosen.get(p.id.as_str()) {
            None => true,
            Some((_, old_deprecated)) => *old_deprecated && !s.deprecated,
        };
        if better {
            chosen.insert(p.id.as_str().to_string(), (want, s.deprecated));
        }
    }
    let mut out = String::from(
        "# Intune Settings Catalog definitions of Microsoft's outlk16 policies, generated by\n\
         # tests/settings_catalog.rs from ../shared/reference/intune-catalog (SOURCES.tsv there names\n\
         # each file's repository, commit and licence; the ids are facts read from them) and the\n\
         # registry data of Microsoft's outlk16.admx (ws2025-outlook). Do not edit by hand.\n\
         # policy\telement\tdefinition\tkind\toptions\tregistry\tparent\tsource\n",
    );
    let dash = |s: String| if s.is_empty() { "-".to_string() } else { s };
    for (name, (id, _)) in &chosen {
        let p = ms.policies.iter().find(|p| p.id.as_str() == name).unwrap();
        let s = &seen[id];
        // A policy's own definition is the editor's Enabled/Disabled choice: `_1` and `_0`,
        // as every policy of the transcribed category shows (uxBehavior toggle).
        assert_eq!(s.kind, "choice", "{id}");
        out.push_str(&format!(
            "{name}\t-\t{id}\tchoice\t0,1\t{}\t{}\t{}\n",
            policy_fingerprint(p),
            dash(s.parent.clone().unwrap_or_default()),
            s.source
        ));
        for e in &p.elements {
            let eid = format!("{id}_{}", e.id.as_str().to_lowercase());
            let Some(es) = seen.get(&eid) else {
                continue;
            };
            let opts: Vec<&str> = es.options.iter().map(String::as_str).collect();
            out.push_str(&format!(
                "{name}\t{}\t{eid}\t{}\t{}\t{}\t-\t{}\n",
                e.id.as_str().to_lowercase(),
                es.kind,
                dash(opts.join(",")),
                element_fingerprint(p, e),
                es.source
            ));
        }
    }
    out
}

#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (reference/intune-catalog, corpus) beside the repository"
)]
fn the_table_is_generated_from_the_reference_files() {
    let want = generate();
    let path = PathBuf::from("src/backend/settings_catalog.tsv");
    if std::env::var_os("GPFORGE_REGENERATE").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        have, want,
        "src/backend/settings_catalog.tsv is stale: run GPFORGE_REGENERATE=1 cargo test --test settings_catalog"
    );
    let rows = settings_catalog::rows();
    assert!(rows.len() >= 30, "{} rows", rows.len());
}

/// Every id, option and value a generated body holds is one the reference files show for that
/// definition, and its JSON has the shape of the real exports.
#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (reference/intune-catalog, corpus) beside the repository"
)]
fn every_generated_id_and_value_is_confirmed_by_the_references() {
    let mut seen = BTreeMap::new();
    read_crypto(&mut seen);
    read_mode(&mut seen);
    read_export(&mut seen);
    let real: Json = serde_json::from_str(&reference(OIB)).unwrap();
    let native: Json =
        serde_json::from_str(&reference("oib/NativeImport_MacOS_Edge_Security_v1.0.json")).unwrap();
    let mut checked = 0;
    for b in ["disa-stig", "smime-sign-only", "smime-strict"] {
        let path = format!("output/baselines/{b}/intune-settings-catalog.json");
        let body: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        // Every field of ours is one the real Graph export and the admin centre's import
        // JSON both carry.
        for k in body.as_object().unwrap().keys() {
            assert!(
                real.get(k).is_some(),
                "{path}: `{k}` is not in the real export"
            );
            assert!(
                native.get(k).is_some(),
                "{path}: `{k}` is not in the import JSON"
            );
        }
        assert_eq!(
            body["templateReference"]["templateFamily"],
            real["templateReference"]["templateFamily"]
        );
        assert_eq!(body["platforms"], "windows10", "{path}");
        assert_eq!(body["technologies"], "mdm", "{path}");
        assert!(body["name"].as_str().is_some_and(|n| !n.is_empty()));
        let settings = body["settings"].as_array().unwrap();
        assert!(!settings.is_empty(), "{path}: no settings");
        for (n, s) in settings.iter().enumerate() {
            assert_eq!(s["id"], n.to_string());
            checked += check_instance(&s["settingInstance"], &seen, &path);
        }
    }
    assert!(checked >= 30, "{checked} instances");
}

fn check_instance(inst: &Json, seen: &BTreeMap<String, Seen>, path: &str) -> usize {
    let id = inst["settingDefinitionId"].as_str().unwrap();
    let s = seen
        .get(id)
        .unwrap_or_else(|| panic!("{path}: `{id}` is in no reference file"));
    let ty = inst["@odata.type"].as_str().unwrap();
    let mut n = 1;
    match s.kind.as_str() {
        "choice" => {
            assert_eq!(
                ty,
                "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance"
            );
            let v = inst["choiceSettingValue"]["value"].as_str().unwrap();
            let o = v.strip_prefix(&format!("{id}_")).unwrap();
            assert!(
                s.options.contains(o),
                "{path}: option `_{o}` of `{id}` not seen"
            );
            for c in inst["choiceSettingValue"]["children"].as_array().unwrap() {
                let cid = c["settingDefinitionId"].as_str().unwrap();
                let cs = &seen[cid];
                assert!(
                    cid.starts_with(id) || cs.parent.as_deref() == Some(v),
                    "{path}: `{cid}` is no child of `{v}`"
                );
                n += check_instance(c, seen, path);
            }
        }
        "simple" => {
            assert_eq!(
                ty,
                "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance"
            );
            let v = &inst["simpleSettingValue"];
            match v["@odata.type"].as_str().unwrap() {
                "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue" => {
                    assert!(v["value"].is_u64())
                }
                "#microsoft.graph.deviceManagementConfigurationStringSettingValue" => {
                    assert!(v["value"].is_string())
                }
                other => panic!("{path}: value type {other}"),
            }
        }
        other => panic!("{path}: kind {other}"),
    }
    n
}

/// What the table does not confirm is left out with B011 and never guessed: the registry-only
/// setting, policies Microsoft's catalog table does not list, and a policy that shares a name
/// with Microsoft's but writes elsewhere.
#[test]
fn what_the_table_does_not_confirm_is_left_out_with_b011() {
    // With every parameter supplied, smime-strict holds the registry-only ForceSecurityLabelX.
    let mut params = gpforge::source::Params::new();
    for (n, v) in [
        ("required_ca", "CN=Site CA, O=Site"),
        ("enrolment_url", "https://pki.site.test/%1"),
        ("decode_message", "Ask the service desk"),
        ("security_label", "31 03 02 01 01"),
    ] {
        params
            .entry("smime-strict".to_string())
            .or_default()
            .insert(
                n.to_string(),
                gpforge::source::ParamValue {
                    value: toml::Value::String(v.into()),
                    origin: "test".into(),
                },
            );
    }
    let c = gpforge::app::compile_with_params(Path::new("definitions"), params).unwrap();
    assert!(!c.has_errors());
    let b011: Vec<String> = c
        .diags
        .iter()
        .filter(|d| d.code == gpforge::diag::Code::B011)
        .map(|d| d.message.clone())
        .collect();
    let left_out = |id: &str, why: &str| {
        assert!(
            b011.iter()
                .any(|m| m.contains(&format!("`{id}`")) && m.contains(why)),
            "{id}: {b011:#?}"
        )
    };
    left_out("ForceSecurityLabelX", "registry-only");
    left_out(
        "DefaultEncryptionAlgorithm",
        "not one of the outlk16 policies",
    );
    left_out("L_MissingCRLs", "not one of the outlk16 policies");
    // The site values reach the catalog as string values of the confirmed element ids.
    let file = |n: &str| {
        let a = c
            .artifacts
            .iter()
            .find(|a| a.path.to_string_lossy().replace('\\', "/") == n)
            .unwrap_or_else(|| panic!("{n}"));
        String::from_utf8(a.bytes.clone()).unwrap()
    };
    let strict = file("baselines/smime-strict/intune-settings-catalog.json");
    assert!(strict.contains("CN=Site CA, O=Site"), "{strict}");
    assert!(strict.contains(
        "l_requiredcertificateauthority_l_x509issuednthatrestrictschoiceofcertifyingauthorities"
    ));
    assert!(!strict.contains("defaultencryptionalgorithm"));
    assert!(
        !strict.contains("31 03 02 01 01"),
        "registry-only value in the catalog"
    );
}

/// A policy that shares Microsoft's name but writes another value maps onto nothing.
#[test]
fn a_same_named_policy_writing_elsewhere_is_left_out() {
    let defs = tempfile::tempdir().unwrap();
    let src = Path::new("definitions");
    copy_dir(src, defs.path());
    let crypto = defs.path().join("outlook-smime/cryptography.toml");
    let text = std::fs::read_to_string(&crypto).unwrap();
    let changed = text.replacen(
        "value_name = \"alwayssign\"",
        "value_name = \"alwayssignx\"",
        1,
    );
    assert_ne!(text, changed, "the fixture changes nothing");
    std::fs::write(&crypto, changed).unwrap();
    let c = gpforge::app::compile_dir(defs.path()).unwrap();
    assert!(
        c.diags.iter().any(|d| d.code == gpforge::diag::Code::B011
            && d.message.contains("`L_Signallemailmessages`")
            && d.message
                .contains("Microsoft's `L_Signallemailmessages` writes")),
        "{:#?}",
        c.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}
