//! Property: for random states of every policy and registry-only setting (of the Outlook template
//! and of the every-kind fixture), the `.reg` and `Registry.pol` backends describe the same
//! registry operations. Both files are read back with the independent readers of
//! `tests/common` and applied to the same registry, pre-filled with values under every touched
//! key (so deletions matter); the results must be equal.
//!
//! Known difference, excluded by construction: a `soft` value (`**soft.` in Registry.pol) is
//! written unconditionally by `.reg`, which has no "only if absent" form; soft values are not
//! pre-filled.

mod common;

use common::{Registry, apply_pol, apply_reg, parse_pol};
use gpforge::app::compile_dir;
use gpforge::backend::{Backend, RenderCtx, pol::Pol, reg::Reg, text::decode_for_display};
use gpforge::model::baseline::{Baseline, ElementValue, RegData, Setting, State, Target, Value};
use gpforge::model::effect::{self, Action, Hive};
use gpforge::model::element::ElementKind;
use gpforge::model::{Class, PolicySet, RegType, Template};
use proptest::prelude::*;
use std::path::Path;

/// A tiny deterministic generator driven by proptest's seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    /// Text with the characters that need care: quotes, backslashes, CR/LF, `;`, `]`, non-ASCII.
    fn text(&mut self, max: u32) -> String {
        const CHARS: &[char] = &[
            'a', 'Z', '0', ' ', '"', '\\', '\n', '\r', ';', ']', '%', 'é', '✓', '\t',
        ];
        let len = self.below(u64::from(max.min(12)) + 1);
        (0..len)
            .map(|_| CHARS[self.below(CHARS.len() as u64) as usize])
            .collect()
    }
}

fn class_of(rng: &mut Rng, c: Class) -> Class {
    match c {
        Class::Both if rng.below(2) == 0 => Class::User,
        Class::Both => Class::Machine,
        c => c,
    }
}

fn random_value(rng: &mut Rng, kind: &ElementKind) -> Value {
    match kind {
        ElementKind::Boolean { .. } => Value::Boolean(rng.below(2) == 0),
        ElementKind::Decimal { min, max, .. } => {
            Value::Decimal(rng.range(u64::from(*min), u64::from(*max)) as u32)
        }
        ElementKind::LongDecimal { min, max, .. } => Value::LongDecimal(rng.range(*min, *max)),
        ElementKind::Text { max_length, .. } => Value::Text(rng.text(*max_length)),
        ElementKind::MultiText { max_length, .. } => {
            let n = rng.range(1, 3);
            Value::MultiText(
                (0..n)
                    .map(|_| format!("s{}", rng.text(*max_length)))
                    .collect(),
            )
        }
        ElementKind::Enum { items, .. } => {
            let i = rng.below(items.len() as u64) as usize;
            Value::Enum(i, items[i].name.clone())
        }
        ElementKind::List {
            explicit_value,
            value_prefix,
            ..
        } => {
            let n = rng.below(4);
            Value::List(
                (0..n)
                    .map(|i| {
                        // Data that doubles as a value name has no control characters (D032).
                        let mut data = format!("v{i}{}", rng.text(8));
                        if value_prefix.is_none() && !explicit_value {
                            data.retain(|c| !c.is_control());
                        }
                        (explicit_value.then(|| format!("n{i}")), data)
                    })
                    .collect(),
            )
        }
    }
}

fn random_setting(rng: &mut Rng, t: &Template, target: Target) -> Setting {
    let (class, state) = match target {
        Target::Policy(i) => {
            let p = &t.policies[i];
            let state = match rng.below(3) {
                0 => State::NotConfigured,
                1 => State::Disabled,
                _ => State::Enabled(
                    p.elements
                        .iter()
                        .enumerate()
                        .map(|(n, e)| ElementValue {
                            element: n,
                            value: random_value(rng, &e.kind),
                        })
                        .collect(),
                ),
            };
            (class_of(rng, p.class), state)
        }
        Target::RegistryOnly(i) => {
            let r = &t.registry_only[i];
            let data = match r.reg_type {
                RegType::Dword => RegData::Dword(rng.next() as u32),
                RegType::Qword => RegData::Qword(rng.next()),
                RegType::String => RegData::Sz(rng.text(20)),
                RegType::ExpandString => RegData::ExpandSz(rng.text(20)),
                RegType::MultiString => {
                    RegData::MultiSz(vec![format!("s{}", rng.text(5)), "x".into()])
                }
                RegType::Binary => {
                    RegData::Binary((0..rng.range(1, 40)).map(|_| rng.next() as u8).collect())
                }
            };
            let state = match rng.below(3) {
                0 => State::NotConfigured,
                1 => State::Disabled,
                _ => State::Set(data),
            };
            (r.class, state)
        }
    };
    Setting {
        target,
        state,
        class,
        stig: Vec::new(),
        note: None,
        span: t
            .policies
            .first()
            .map(|p| p.span.clone())
            .unwrap_or_else(|| t.registry_only[0].span.clone()),
    }
}

/// Every value the settings touch, pre-filled with foreign data, plus one bystander per key.
fn prefill(t: &Template, settings: &[Setting]) -> Registry {
    let mut reg = Registry::new();
    for s in settings {
        for op in effect::apply(t, s) {
            let key = format!("{}\\{}", op.hive.root(), op.key).to_lowercase();
            let vals = reg.entry(key).or_default();
            vals.insert("bystander".into(), (4, vec![9, 0, 0, 0]));
            if let Action::Set {
                name, soft: false, ..
            }
            | Action::DeleteValue(name) = &op.action
            {
                vals.insert(name.to_lowercase(), (1, vec![b'o', 0, 0, 0]));
            }
        }
    }
    reg
}

fn check(set: &PolicySet, seed: u64) {
    let mut rng = Rng(seed | 1);
    for (ti, t) in set.templates.iter().enumerate() {
        let mut settings: Vec<Setting> = (0..t.policies.len())
            .map(|i| random_setting(&mut rng, t, Target::Policy(i)))
            .collect();
        settings.extend(
            (0..t.registry_only.len())
                .map(|i| random_setting(&mut rng, t, Target::RegistryOnly(i))),
        );
        let span = settings[0].span.clone();
        let one = PolicySet {
            templates: set.templates.clone(),
            baselines: vec![Baseline {
                name: "random".into(),
                title: "random".into(),
                description: String::new(),
                template: ti,
                settings: settings.clone(),
                parameters: Vec::new(),
                left_out: Vec::new(),
                span,
            }],
        };
        let ctx = RenderCtx::default();
        let reg_files = Reg.render(&one, &ctx).unwrap();
        let pol_files = Pol.render(&one, &ctx).unwrap();

        let start = prefill(t, &settings);
        let mut via_reg = start.clone();
        apply_reg(&mut via_reg, &decode_for_display(&reg_files[0].bytes));
        let mut via_pol = start.clone();
        for f in &pol_files {
            let root = if f.path.starts_with("baselines/random/User") {
                Hive::User.root()
            } else if f.path.starts_with("baselines/random/Machine") {
                Hive::Machine.root()
            } else {
                continue;
            };
            apply_pol(&mut via_pol, root, &parse_pol(&f.bytes));
        }
        // `.reg` re-creates a cleared list key empty; `**delvals.` leaves it empty: the same.
        via_reg.retain(|_, v| !v.is_empty());
        via_pol.retain(|_, v| !v.is_empty());
        assert_eq!(via_reg, via_pol, "template {} seed {seed}", t.file_name);

        // revert.reg leaves none of the touched values, only the bystanders.
        apply_reg(&mut via_reg, &decode_for_display(&reg_files[1].bytes));
        for (k, vals) in &via_reg {
            for name in vals.keys() {
                assert_eq!(
                    name, "bystander",
                    "{k} keeps a value after revert.reg (seed {seed})"
                );
            }
        }
    }
}

fn sets() -> Vec<PolicySet> {
    ["definitions", "tests/fixtures/kinds"]
        .iter()
        .map(|d| {
            let c = compile_dir(Path::new(d)).unwrap();
            assert!(!c.has_errors());
            c.set
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn reg_and_pol_describe_the_same_operations(seed in any::<u64>()) {
        for set in sets() {
            check(&set, seed);
        }
    }
}

/// The comparison is not vacuous: dropping one `.pol` operation is noticed.
#[test]
fn a_missing_operation_is_noticed() {
    let set = &sets()[0];
    let t = &set.templates[0];
    let settings: Vec<Setting> = (0..t.policies.len())
        .map(|i| {
            let mut s = random_setting(&mut Rng(7), t, Target::Policy(i));
            s.state = State::Disabled;
            s
        })
        .collect();
    let ops: Vec<_> = settings.iter().flat_map(|s| effect::apply(t, s)).collect();
    let text = gpforge::backend::reg::render_ops(&ops);
    let pol = gpforge::backend::pol::encode(ops.iter().skip(1));
    let start = prefill(t, &settings);
    let (mut a, mut b) = (start.clone(), start);
    apply_reg(&mut a, &text);
    apply_pol(&mut b, Hive::User.root(), &parse_pol(&pol));
    assert_ne!(a, b);
}

/// Reverse mapping inverts writing: a random state of one policy (or registry-only setting),
/// written as `Registry.pol`, read back and mapped, is that state again; a state that writes
/// nothing (a disabled policy that only deletes) reads back as not configured.
fn reverse_round_trip(set: &PolicySet, seed: u64) {
    let mut rng = Rng(seed);
    for t in &set.templates {
        let targets: Vec<Target> = (0..t.policies.len())
            .map(Target::Policy)
            .chain((0..t.registry_only.len()).map(Target::RegistryOnly))
            .collect();
        for target in targets {
            let s = random_setting(&mut rng, t, target);
            let ops = effect::apply(t, &s);
            let mut snap = gpforge::state::Snapshot::new();
            for hive in [Hive::User, Hive::Machine] {
                let mine: Vec<_> = ops.iter().filter(|o| o.hive == hive).collect();
                let pol = gpforge::backend::pol::encode(mine.into_iter());
                snap.apply(&gpforge::state::pol::parse("r.pol", &pol, hive).unwrap());
            }
            let mapped = gpforge::audit::reverse::map(t, &snap);
            let writes = ops
                .iter()
                .any(|o| matches!(o.action, gpforge::model::effect::Action::Set { .. }));
            let found: Vec<&Setting> = mapped
                .settings
                .iter()
                .filter(|m| m.target == s.target)
                .collect();
            if writes && !matches!(s.state, State::NotConfigured) {
                assert_eq!(found.len(), 1, "{}: {:?} not found", s.id(t), s.state);
                assert_eq!(found[0].state, s.state, "{}", s.id(t));
                assert_eq!(found[0].class, s.class, "{}", s.id(t));
            } else {
                assert!(
                    found.is_empty(),
                    "{}: {:?} from nothing",
                    s.id(t),
                    found[0].state
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn reverse_mapping_inverts_writing(seed in any::<u64>()) {
        for set in sets() {
            reverse_round_trip(&set, seed);
        }
    }
}
