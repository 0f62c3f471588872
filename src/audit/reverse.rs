//! Reverse mapping: registry state → the policy states of a template that explain it, inverting
//! GPMC's rules exactly by construction. For each policy, candidate states are built from what
//! the state holds (element values decoded by kind: numbers, texts, multi-strings, enum items by
//! value, booleans by their true/false values and lists, lists by prefix, explicit names or
//! data) and each candidate is **re-encoded** with `model::effect` (the code `.reg` and
//! `Registry.pol` are written with) and kept only when every value it writes is there with the
//! same type and data, every value it deletes is absent, and a non-additive list key holds
//! nothing else. A state no candidate reproduces is not a state of that policy: its values stay
//! unexplained and are reported as extra registry settings, never dropped.

use crate::model::baseline::{ElementValue, Setting, State, Target, Value};
use crate::model::effect::{self, Hive};
use crate::model::element::ElementKind;
use crate::model::policy::RegValue;
use crate::model::{Class, Policy, Template};
use crate::state::{Op, Snapshot, Stored};
use std::collections::BTreeSet;

/// The settings of `t` that `state` holds, and the values they explain (hive, lower-cased key,
/// lower-cased name).
pub struct Mapped {
    pub settings: Vec<Setting>,
    pub explained: BTreeSet<(Hive, String, String)>,
}

fn hives(c: Class) -> Vec<(Hive, Class)> {
    match c {
        Class::User => vec![(Hive::User, Class::User)],
        Class::Machine => vec![(Hive::Machine, Class::Machine)],
        Class::Both => vec![(Hive::User, Class::User), (Hive::Machine, Class::Machine)],
    }
}

/// Whether `s` is exactly what the state holds for it; the values it writes when so.
fn verify(t: &Template, s: &Setting, state: &Snapshot) -> Option<Vec<(Hive, String, String)>> {
    let ops: Vec<Op> = effect::apply(t, s).iter().map(Op::from_model).collect();
    let mut written = Vec::new();
    for op in &ops {
        match op {
            Op::Set {
                hive,
                key,
                name,
                ty,
                data,
                soft,
            } => {
                let v = state.get(*hive, key, name)?;
                if !soft && (v.ty != *ty || v.data != *data) {
                    return None;
                }
                written.push((*hive, key.to_lowercase(), name.to_lowercase()));
            }
            Op::DeleteValue { hive, key, name } => {
                if state.get(*hive, key, name).is_some() {
                    return None;
                }
            }
            Op::DeleteAllValues { hive, key } => {
                let own = crate::state::own_names(&ops, *hive, key);
                if state
                    .values_of(*hive, key)
                    .any(|v| !own.contains(&v.name.to_lowercase()))
                {
                    return None;
                }
            }
            Op::DeleteKey { .. } => {}
        }
    }
    Some(written)
}

fn number(v: &Stored) -> Option<u64> {
    match v.reg_data()? {
        crate::model::baseline::RegData::Dword(n) => Some(u64::from(n)),
        crate::model::baseline::RegData::Qword(n) => Some(n),
        crate::model::baseline::RegData::Sz(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(v: &Stored) -> Option<String> {
    match v.reg_data()? {
        crate::model::baseline::RegData::Sz(s) | crate::model::baseline::RegData::ExpandSz(s) => {
            Some(s)
        }
        _ => None,
    }
}

fn same(v: &Stored, want: &RegValue) -> bool {
    match (want, v.reg_data()) {
        (RegValue::Decimal(d), Some(crate::model::baseline::RegData::Dword(n))) => *d == n,
        (RegValue::LongDecimal(d), Some(crate::model::baseline::RegData::Qword(n))) => *d == n,
        (RegValue::String(s), Some(crate::model::baseline::RegData::Sz(x))) => *s == x,
        _ => false,
    }
}

/// The values an element could have in `state` (several for booleans and enums, whose choice
/// verification settles; none when the state cannot hold one).
fn candidates(
    p: &Policy,
    e: &crate::model::element::Element,
    hive: Hive,
    state: &Snapshot,
) -> Vec<Value> {
    let key = e.key.as_ref().unwrap_or(&p.key).as_str();
    let stored = e
        .value_name
        .as_ref()
        .and_then(|n| state.get(hive, key, n.as_str()));
    match &e.kind {
        ElementKind::Boolean { .. } => vec![Value::Boolean(true), Value::Boolean(false)],
        ElementKind::Enum { items, .. } => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let plausible = match (&item.value, stored) {
                    (RegValue::Delete, s) => s.is_none(),
                    (want, Some(s)) => same(s, want),
                    (_, None) => false,
                };
                if plausible || e.value_name.is_none() {
                    out.push(Value::Enum(i, item.name.clone()));
                }
            }
            out
        }
        ElementKind::Decimal { .. } => stored
            .and_then(number)
            .and_then(|n| u32::try_from(n).ok())
            .map(|n| vec![Value::Decimal(n)])
            .unwrap_or_default(),
        ElementKind::LongDecimal { .. } => stored
            .and_then(number)
            .map(|n| vec![Value::LongDecimal(n)])
            .unwrap_or_default(),
        ElementKind::Text { .. } => stored
            .and_then(text)
            .map(|s| vec![Value::Text(s)])
            .unwrap_or_default(),
        ElementKind::MultiText { .. } => match stored.and_then(Stored::reg_data) {
            Some(crate::model::baseline::RegData::MultiSz(items)) => vec![Value::MultiText(items)],
            _ => Vec::new(),
        },
        ElementKind::List {
            value_prefix,
            explicit_value,
            ..
        } => {
            let mut values: Vec<&Stored> = state.values_of(hive, key).collect();
            let entries: Vec<(Option<String>, String)> = if *explicit_value {
                values
                    .iter()
                    .filter_map(|v| Some((Some(v.name.clone()), text(v)?)))
                    .collect()
            } else if let Some(prefix) = value_prefix {
                // prefix1, prefix2, … in numeric order.
                values.sort_by_key(|v| {
                    v.name
                        .get(prefix.len()..)
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or(usize::MAX)
                });
                values
                    .iter()
                    .filter_map(|v| Some((None, text(v)?)))
                    .collect()
            } else {
                values
                    .iter()
                    .filter_map(|v| Some((None, text(v)?)))
                    .collect()
            };
            vec![Value::List(entries)]
        }
    }
}

/// At most this many combinations of boolean and enum choices are tried per policy.
const MAX_COMBINATIONS: usize = 256;

fn enabled_candidates(p: &Policy, hive: Hive, state: &Snapshot) -> Vec<Vec<ElementValue>> {
    let mut combos: Vec<Vec<ElementValue>> = vec![Vec::new()];
    for (n, e) in p.elements.iter().enumerate() {
        let options = candidates(p, e, hive, state);
        if options.is_empty() {
            return Vec::new();
        }
        let mut next = Vec::new();
        for c in &combos {
            for o in &options {
                let mut x = c.clone();
                x.push(ElementValue {
                    element: n,
                    value: o.clone(),
                });
                next.push(x);
                if next.len() >= MAX_COMBINATIONS {
                    break;
                }
            }
        }
        combos = next;
    }
    combos
}

/// Maps `state` onto the policies and registry-only settings of `t`.
pub fn map(t: &Template, state: &Snapshot) -> Mapped {
    let mut out = Mapped {
        settings: Vec::new(),
        explained: BTreeSet::new(),
    };
    let setting = |target, state: State, class| Setting {
        target,
        state,
        class,
        stig: Vec::new(),
        note: None,
        span: crate::diag::Span::new(0, 0..0),
    };
    for (i, p) in t.policies.iter().enumerate() {
        for (hive, class) in hives(p.class) {
            let mut tries: Vec<Setting> = enabled_candidates(p, hive, state)
                .into_iter()
                .map(|v| setting(Target::Policy(i), State::Enabled(v), class))
                .collect();
            tries.push(setting(Target::Policy(i), State::Disabled, class));
            for s in tries {
                match verify(t, &s, state) {
                    // A state that writes nothing (a disabled policy that only deletes) is
                    // indistinguishable from not configured.
                    Some(written) if !written.is_empty() => {
                        out.explained.extend(written);
                        out.settings.push(s);
                        break;
                    }
                    _ => {}
                }
            }
        }
    }
    for (i, r) in t.registry_only.iter().enumerate() {
        let hive = effect::Hive::of(r.class);
        if let Some(v) = state.get(hive, r.key.as_str(), r.value_name.as_str())
            && let Some(data) = v.reg_data()
        {
            let s = setting(Target::RegistryOnly(i), State::Set(data), r.class);
            if let Some(written) = verify(t, &s, state) {
                out.explained.extend(written);
                out.settings.push(s);
            }
        }
    }
    out
}
