//! Every STIG reference of the definitions, checked against DISA's XCCDF benchmarks
//! (`tests/fixtures/stig/`, as published): the benchmark and release exist; the vulnerability
//! id names a rule of that release with the same rule id (revision included) and STIG id; the
//! rule's check text names the policy's registry key and one of its registry values; and a
//! baseline that claims the rule writes a value the check accepts.

use gpforge::app::compile_dir;
use gpforge::model::Stig;
use gpforge::model::baseline::{RegData, State};
use gpforge::model::effect::{Action, apply};
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::path::Path;

/// One rule of a benchmark.
#[derive(Debug, Clone)]
struct Rule {
    rule: String,
    version: String,
    check: String,
}

/// A benchmark: its id, `V<version>R<release>`, and its rules by vulnerability id.
struct Benchmark {
    id: String,
    release: String,
    rules: BTreeMap<String, Rule>,
}

fn read(path: &str) -> Benchmark {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = quick_xml::Reader::from_str(&text);
    let mut b = Benchmark {
        id: String::new(),
        release: String::new(),
        rules: BTreeMap::new(),
    };
    let (mut version, mut release) = (String::new(), String::new());
    let mut stack: Vec<String> = Vec::new();
    let mut group = String::new();
    let mut cur = Rule {
        rule: String::new(),
        version: String::new(),
        check: String::new(),
    };
    let attr = |e: &quick_xml::events::BytesStart, n: &str| {
        e.attributes()
            .flatten()
            .find(|a| AsRef::<str>::as_ref(&a.key) == n)
            .map(|a| quick_xml::escape::unescape(&a.value).unwrap().into_owned())
    };
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) => {
                let name = AsRef::<str>::as_ref(&e.local_name()).to_string();
                match name.as_str() {
                    "Benchmark" => b.id = attr(&e, "id").unwrap(),
                    "Group" => group = attr(&e, "id").unwrap(),
                    "Rule" => cur.rule = attr(&e, "id").unwrap(),
                    "plain-text" if attr(&e, "id").as_deref() == Some("release-info") => {
                        stack.push("release-info".into());
                        continue;
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::Text(t) => {
                let t = AsRef::<str>::as_ref(&t).to_string();
                match (stack.last().map(String::as_str), stack.len()) {
                    (Some("version"), 2) => version.push_str(&t),
                    (Some("release-info"), _) => release.push_str(&t),
                    (Some("version"), _) => cur.version.push_str(&t),
                    (Some("check-content"), _) => cur.check.push_str(&t),
                    _ => {}
                }
            }
            Event::GeneralRef(g) if stack.last().map(String::as_str) == Some("check-content") => {
                let c = match AsRef::<str>::as_ref(&g) {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                };
                cur.check.push_str(c);
            }
            Event::End(e) => {
                stack.pop();
                if AsRef::<str>::as_ref(&e.local_name()) == "Rule" {
                    b.rules.insert(group.clone(), cur.clone());
                    cur.version.clear();
                    cur.check.clear();
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let rel = release
        .split_whitespace()
        .nth(1)
        .expect("Release: N Benchmark Date: …");
    b.release = format!("V{}R{}", version.trim(), rel);
    b
}

fn benchmarks() -> Vec<Benchmark> {
    vec![
        read("tests/fixtures/stig/U_MS_Office_365_ProPlus_STIG_V3R5_Manual-xccdf.xml"),
        read("tests/fixtures/stig/U_MS_Outlook_2016_STIG_V2R4_Manual-xccdf.xml"),
    ]
}

/// The rule a reference names, or why it is wrong.
fn resolve<'a>(bs: &'a [Benchmark], s: &Stig) -> Result<&'a Rule, String> {
    let b = bs
        .iter()
        .find(|b| b.id == s.benchmark)
        .ok_or_else(|| format!("{}: no benchmark {}", s.id, s.benchmark))?;
    if b.release != s.release {
        return Err(format!(
            "{}: {} is at {}, not {}",
            s.id, b.id, b.release, s.release
        ));
    }
    let r = b
        .rules
        .get(&s.vuln)
        .ok_or_else(|| format!("{}: {} {} has no {}", s.id, b.id, b.release, s.vuln))?;
    if r.rule != s.rule {
        return Err(format!(
            "{}: {} is {}, not {}",
            s.vuln, s.id, r.rule, s.rule
        ));
    }
    if r.version != s.id {
        return Err(format!(
            "{}: its STIG id is {}, not {}",
            s.vuln, r.version, s.id
        ));
    }
    Ok(r)
}

/// Whether `name` stands in `text` as a word (case-insensitive, as Windows compares names).
fn names(text: &str, name: &str) -> bool {
    let t = text.to_ascii_lowercase();
    let n = name.to_ascii_lowercase();
    t.match_indices(&n).any(|(i, _)| {
        let before = t[..i].chars().last();
        let after = t[i + n.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// The DWORD values the check accepts for `value`: the sentence naming it, "REG_DWORD = a8
/// (hex) or 168 (decimal)", "REG_DWORD = 1", "set to 168 or above".
fn accepts(check: &str, value: &str, data: u32) -> bool {
    let lower = check.to_ascii_lowercase();
    let v = value.to_ascii_lowercase();
    let Some(at) = lower
        .match_indices("if the value")
        .map(|(i, _)| i)
        .find(|&i| names(&lower[i..(i + 40 + v.len()).min(lower.len())], &v))
    else {
        return false;
    };
    let sentence = &lower[at..lower[at..]
        .find("not a finding")
        .map_or(lower.len(), |e| at + e)];
    if let Some(p) = sentence.find(" or above") {
        let n: String = sentence[..p]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return n.parse::<u32>().is_ok_and(|min| data >= min);
    }
    let after = match sentence.find("reg_dword = ") {
        Some(p) => &sentence[p + 12..],
        None => return false,
    };
    let words: Vec<&str> = after.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let mut ok = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        if next.starts_with("(hex") {
            ok.extend(u32::from_str_radix(w, 16));
        } else if w.chars().all(|c| c.is_ascii_digit()) {
            ok.extend(w.parse::<u32>());
        }
    }
    ok.contains(&data)
}

#[test]
fn the_benchmarks_are_read() {
    let bs = benchmarks();
    assert_eq!(bs[0].id, "MS_Office_365_ProPlus_STIG");
    assert_eq!(bs[0].release, "V3R5");
    assert_eq!(bs[0].rules.len(), 139);
    assert_eq!(bs[1].id, "Microsoft_Outlook_2016");
    assert_eq!(bs[1].release, "V2R4");
    assert_eq!(bs[1].rules.len(), 64);
    let r = &bs[1].rules["V-228474"];
    assert_eq!(r.version, "DTOO316");
    assert!(accepts(&r.check, "minenckey", 168));
    assert!(!accepts(&r.check, "minenckey", 128));
    assert!(
        !accepts(&r.check, "minenckey", 256),
        "the Outlook 2016 rule names 168 exactly"
    );
    let r = &bs[0].rules["V-223356"];
    assert!(
        accepts(&r.check, "minenckey", 256),
        "O365-OU-000011: 168 or above"
    );
    assert!(!accepts(&r.check, "minenckey", 40));
}

#[test]
fn every_stig_reference_is_in_its_benchmark_and_checks_the_same_value() {
    let bs = benchmarks();
    let c = compile_dir(Path::new("definitions")).unwrap();
    assert!(!c.has_errors());
    let mut checked = 0;
    for t in &c.set.templates {
        for p in &t.policies {
            let mut values: Vec<&str> = p.value_name.iter().map(|v| v.as_str()).collect();
            values.extend(
                p.elements
                    .iter()
                    .filter_map(|e| e.value_name.as_ref().map(|v| v.as_str())),
            );
            for s in &p.stig {
                let r = resolve(&bs, s).unwrap_or_else(|e| panic!("{}: {e}", p.id));
                let key = p.key.as_str();
                assert!(
                    r.check
                        .to_ascii_lowercase()
                        .contains(&key.to_ascii_lowercase()),
                    "{}: {} checks another key than {key}",
                    p.id,
                    s.id
                );
                assert!(
                    values.iter().any(|v| names(&r.check, v)),
                    "{}: {} names none of {values:?}",
                    p.id,
                    s.id
                );
                checked += 1;
            }
        }
        for x in &t.registry_only {
            assert!(
                x.stig.is_empty(),
                "{}: registry-only settings carry no STIG id",
                x.id
            );
        }
    }
    assert!(checked >= 15, "{checked} references checked");
}

#[test]
fn every_baseline_value_satisfies_the_rules_it_claims() {
    let bs = benchmarks();
    let c = compile_dir(Path::new("definitions")).unwrap();
    let mut checked = 0;
    for b in &c.set.baselines {
        let t = &c.set.templates[b.template];
        for s in &b.settings {
            if s.stig.is_empty() {
                continue;
            }
            assert!(
                !matches!(s.state, State::NotConfigured),
                "{}/{}: not configured satisfies no rule",
                b.name,
                s.id(t)
            );
            let ops = apply(t, s);
            for st in &s.stig {
                let r = resolve(&bs, st).unwrap_or_else(|e| panic!("{}: {e}", b.name));
                let ok = ops.iter().any(|op| match &op.action {
                    Action::Set {
                        name,
                        data: RegData::Dword(d),
                        ..
                    } => {
                        r.check
                            .to_ascii_lowercase()
                            .contains(&op.key.to_ascii_lowercase())
                            && accepts(&r.check, name, *d)
                    }
                    _ => false,
                });
                assert!(
                    ok,
                    "{}/{}: {} is not satisfied by {ops:?}",
                    b.name,
                    s.id(t),
                    st.id
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "{checked} baseline claims checked");
}

#[test]
fn a_wrong_reference_is_caught() {
    let bs = benchmarks();
    let good = Stig {
        benchmark: "MS_Office_365_ProPlus_STIG".into(),
        release: "V3R5".into(),
        vuln: "V-223359".into(),
        rule: "SV-223359r961863_rule".into(),
        id: "O365-OU-000014".into(),
        check: None,
    };
    assert!(resolve(&bs, &good).is_ok());
    // The mix the definitions once carried: an Outlook 2013 vulnerability id.
    let mixed = Stig {
        vuln: "V-17760".into(),
        ..good.clone()
    };
    assert!(resolve(&bs, &mixed).is_err());
    let stale = Stig {
        rule: "SV-223359r508019_rule".into(),
        ..good.clone()
    };
    assert!(resolve(&bs, &stale).is_err());
    let other_release = Stig {
        release: "V3R4".into(),
        ..good.clone()
    };
    assert!(resolve(&bs, &other_release).is_err());
    // A rule that checks another value than the policy writes.
    let r = resolve(&bs, &good).unwrap();
    assert!(names(&r.check, "adminsecuritymode"));
    assert!(!names(&r.check, "minenckey"));
}

#[test]
fn the_bogus_format_value_is_nowhere() {
    // A published compliance page maps O365-OU-000011 to `messageformatssmime` = 1; no Microsoft
    // template, STIG or DoD GPO has that value (O365-OU-000011 is minenckey >= 168; the S/MIME
    // format rule is msgformats = 1, DTOO260).
    for b in benchmarks() {
        for r in b.rules.values() {
            assert!(!names(&r.check, "messageformatssmime"));
        }
    }
    let c = compile_dir(Path::new("definitions")).unwrap();
    for a in &c.artifacts {
        let text = gpforge::backend::text::decode_for_display(&a.bytes).to_ascii_lowercase();
        assert!(
            !text.contains("messageformatssmime"),
            "{}",
            a.path.display()
        );
    }
}

/// The check text with its white space collapsed (the XCCDF wraps lines).
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every STIG reference states its rule's acceptance condition, quoted from the XCCDF check
/// text, and the condition accepts exactly the values the check text accepts (compared on every
/// number from 0 to 300 and the condition's own numbers, as REG_DWORD).
#[test]
fn every_condition_is_the_one_the_check_text_states() {
    use gpforge::model::policy::Cond;
    use gpforge::state::Stored;
    let bs = benchmarks();
    let c = compile_dir(Path::new("definitions")).unwrap();
    let mut checked = 0;
    for t in &c.set.templates {
        let refs = t
            .policies
            .iter()
            .flat_map(|p| p.stig.iter().map(move |s| (p.id.as_str(), s)))
            .chain(
                t.registry_only
                    .iter()
                    .flat_map(|r| r.stig.iter().map(move |s| (r.id.as_str(), s))),
            );
        for (owner, s) in refs {
            let r = resolve(&bs, s).unwrap();
            let check = s
                .check
                .as_ref()
                .unwrap_or_else(|| panic!("{owner}: {} states no check", s.id));
            assert!(
                flat(&r.check).contains(&flat(&check.source)),
                "{owner}: {}: the quoted sentence is not in the check text: {:?}",
                s.id,
                check.source
            );
            assert!(
                names(&check.source, &check.value),
                "{owner}: {}: the sentence does not name {}",
                s.id,
                check.value
            );
            let mut sample: Vec<u64> = (0..=300).collect();
            match &check.cond {
                Cond::Equals(n) | Cond::AtLeast(n) | Cond::AtMost(n) => sample.push(*n),
                Cond::OneOf(v) => sample.extend(v),
                _ => {}
            }
            for n in sample {
                let v = Stored {
                    ty: 4,
                    data: (n as u32).to_le_bytes().to_vec(),
                    key: String::new(),
                    name: check.value.clone(),
                };
                assert_eq!(
                    gpforge::audit::meets(&check.cond, Some(&v)).is_ok(),
                    accepts(&check.source, &check.value, n as u32),
                    "{owner}: {} on {n}",
                    s.id
                );
            }
            // A number of another type never meets a numeric check.
            let text = Stored {
                ty: 1,
                data: "1\0".encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
                key: String::new(),
                name: check.value.clone(),
            };
            assert!(gpforge::audit::meets(&check.cond, Some(&text)).is_err());
            assert!(gpforge::audit::meets(&check.cond, None).is_err());
            checked += 1;
        }
    }
    assert!(checked >= 19, "{checked} conditions");
}
