//! `gpforge import --states`: registry state (any source `gpforge audit` reads) → a baseline of
//! the policy states that explain it (`audit::reverse`), written as readable TOML: policies by
//! id, element values by meaning (enum item names, numbers, texts), registry-only settings by
//! their data. Values no policy explains are listed in comments, so nothing is dropped silently.

use super::toml::{Doc, inline, string};
use crate::audit::reverse;
use crate::model::Template;
use crate::model::baseline::{RegData, State, Target, Value};
use crate::model::element::ElementKind;
use crate::state::Snapshot;

fn value_toml(kind: &ElementKind, v: &Value) -> String {
    match v {
        Value::Boolean(b) => b.to_string(),
        Value::Decimal(n) => n.to_string(),
        Value::LongDecimal(n) => n.to_string(),
        Value::Text(s) => string(s),
        Value::MultiText(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| string(i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Enum(_, name) => string(name.as_str()),
        Value::List(entries) => {
            let explicit = matches!(
                kind,
                ElementKind::List {
                    explicit_value: true,
                    ..
                }
            );
            let items: Vec<String> = entries
                .iter()
                .map(|(n, d)| match (explicit, n) {
                    (true, Some(n)) => inline(&[("name", string(n)), ("value", string(d))]),
                    _ => string(d),
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
    }
}

fn data_toml(d: &RegData) -> String {
    match d {
        RegData::Dword(n) => n.to_string(),
        RegData::Qword(n) => n.to_string(),
        RegData::Sz(s) | RegData::ExpandSz(s) => string(s),
        RegData::MultiSz(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| string(i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        RegData::Binary(b) => string(
            &b.iter()
                .map(|x| format!("{x:02x}"))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

/// The baseline TOML of `state` mapped onto `t`.
pub fn baseline_toml(t: &Template, state: &Snapshot, title: &str, sources: &[String]) -> String {
    let mapped = reverse::map(t, state);
    let mut d = Doc::new(&format!(
        "Imported from registry state by `gpforge import --states`: {}.\nEach setting is the policy state that writes exactly the values found.",
        sources.join(", ")
    ));
    d.table("[baseline]");
    d.str("title", title);
    d.text(
        "description",
        &format!("The policy states found in {}.", sources.join(", ")),
    );
    d.str("template", &t.file_name);
    for s in &mapped.settings {
        d.table("[[setting]]");
        d.str("policy", s.id(t));
        match (&s.state, s.target) {
            (State::Disabled, _) => d.str("state", "disabled"),
            (State::Enabled(values), Target::Policy(i)) => {
                d.str("state", "enabled");
                let p = &t.policies[i];
                if !values.is_empty() {
                    let pairs: Vec<(&str, String)> = values
                        .iter()
                        .map(|v| {
                            let e = &p.elements[v.element];
                            (e.id.as_str(), value_toml(&e.kind, &v.value))
                        })
                        .collect();
                    d.raw("values", &inline(&pairs));
                }
            }
            (State::Set(data), _) => {
                d.str("state", "enabled");
                d.raw("value", &data_toml(data));
            }
            _ => {}
        }
        if let Target::Policy(i) = s.target
            && t.policies[i].class == crate::model::Class::Both
        {
            d.str(
                "class",
                if s.class == crate::model::Class::Machine {
                    "Machine"
                } else {
                    "User"
                },
            );
        }
    }
    let mut out = d.finish();
    let extras: Vec<String> = state
        .iter()
        .filter(|(h, v)| {
            !mapped
                .explained
                .contains(&(*h, v.key.to_lowercase(), v.name.to_lowercase()))
        })
        .map(|(h, v)| {
            format!(
                "# {}\\{}: {} = {}",
                if h == crate::model::effect::Hive::User {
                    "HKCU"
                } else {
                    "HKLM"
                },
                v.key,
                v.name,
                v.display()
            )
        })
        .collect();
    if !extras.is_empty() {
        out.push_str("\n# Values no policy of this template explains (not imported):\n");
        for e in extras {
            // Comments cannot hold control characters: shown escaped.
            out.push_str(
                &e.chars()
                    .flat_map(|c| {
                        if c.is_control() {
                            c.escape_default().collect::<Vec<_>>()
                        } else {
                            vec![c]
                        }
                    })
                    .collect::<String>(),
            );
            out.push('\n');
        }
    }
    out
}
