//! Registry effects: what a policy state writes, as the Group Policy editor writes it
//! (reference/formats.md §1.9, MS-GPREG §3.3, PolicyPlus `PolicyProcessing`). `.reg`, `Registry.pol`
//! and the documentation are all rendered from these operations, so they cannot disagree.
//! Input: a template and a baseline setting. Output: an ordered list of [`RegOp`]s.

use super::baseline::{RegData, Setting, State, Target, Value};
use super::element::{Element, ElementKind};
use super::policy::{Class, Policy, RegValue, ValueList};
use super::{RegistryKey, Template};

/// The registry root a GPO half writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hive {
    /// HKEY_CURRENT_USER (the GPO's `User` half).
    User,
    /// HKEY_LOCAL_MACHINE (the GPO's `Machine` half).
    Machine,
}

impl Hive {
    pub fn of(class: Class) -> Hive {
        match class {
            Class::Machine => Hive::Machine,
            Class::User | Class::Both => Hive::User,
        }
    }
    /// The full root name `.reg` files require (formats.md §3.2).
    pub fn root(self) -> &'static str {
        match self {
            Hive::User => "HKEY_CURRENT_USER",
            Hive::Machine => "HKEY_LOCAL_MACHINE",
        }
    }
    /// The GPO folder holding this half's Registry.pol (formats.md §4.3).
    pub fn folder(self) -> &'static str {
        match self {
            Hive::User => "User",
            Hive::Machine => "Machine",
        }
    }
}

/// One registry operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegOp {
    pub hive: Hive,
    pub key: String,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Write a value. `soft`: only when it does not exist yet (ADMX `soft="true"`).
    Set {
        name: String,
        data: RegData,
        soft: bool,
    },
    /// Delete one value (`**del.` in Registry.pol).
    DeleteValue(String),
    /// Delete every value of the key, keeping subkeys (`**delvals.`): a non-additive list.
    DeleteAllValues,
}

/// The operations that applying `s` performs, in the order they must run: a list's
/// `DeleteAllValues` precedes the values written after it (MS-GPREG §3.2.5.1).
pub fn apply(t: &Template, s: &Setting) -> Vec<RegOp> {
    let hive = Hive::of(s.class);
    let mut w = Writer {
        hive,
        ops: Vec::new(),
    };
    match (s.target, &s.state) {
        (_, State::NotConfigured) => {}
        (Target::RegistryOnly(i), state) => {
            let r = &t.registry_only[i];
            match state {
                State::Set(data) => w.set(&r.key, r.value_name.as_str(), data.clone(), false),
                _ => w.delete(&r.key, r.value_name.as_str()),
            }
        }
        (Target::Policy(i), State::Enabled(values)) => {
            let p = &t.policies[i];
            if let Some(v) = &p.value_name {
                let on = p.on_enabled.clone().unwrap_or(RegValue::Decimal(1));
                w.value(&p.key, v.as_str(), &on);
            }
            w.list(&p.enabled_list, &p.key);
            for ev in values {
                element_enabled(&mut w, p, &p.elements[ev.element], &ev.value);
            }
        }
        (Target::Policy(i), _) => {
            let p = &t.policies[i];
            if let Some(v) = &p.value_name {
                match &p.on_disabled {
                    Some(off) => w.value(&p.key, v.as_str(), off),
                    None => w.delete(&p.key, v.as_str()),
                }
            }
            w.list(&p.disabled_list, &p.key);
            for e in &p.elements {
                element_disabled(&mut w, p, e);
            }
        }
    }
    // Clearing a list key must come first, or it would wipe values written before it.
    w.ops
        .sort_by_key(|op| !matches!(op.action, Action::DeleteAllValues));
    w.ops
}

/// The operations of every setting of a baseline, in order.
pub fn apply_all(t: &Template, settings: &[Setting]) -> Vec<RegOp> {
    settings.iter().flat_map(|s| apply(t, s)).collect()
}

/// The operations that return everything `apply` touched to "not configured": every value it
/// writes or deletes is deleted (a GPO leaves no value behind for a policy that is not configured).
pub fn revert(t: &Template, s: &Setting) -> Vec<RegOp> {
    let mut out: Vec<RegOp> = Vec::new();
    for op in apply(t, s) {
        let name = match op.action {
            Action::Set { name, .. } | Action::DeleteValue(name) => name,
            Action::DeleteAllValues => continue,
        };
        let del = RegOp {
            hive: op.hive,
            key: op.key,
            action: Action::DeleteValue(name),
        };
        if !out.iter().any(|o| same_value(o, &del)) {
            out.push(del);
        }
    }
    out
}

/// Registry names compare case-insensitively.
fn same_value(a: &RegOp, b: &RegOp) -> bool {
    let name = |o: &RegOp| match &o.action {
        Action::Set { name, .. } | Action::DeleteValue(name) => Some(name.to_lowercase()),
        Action::DeleteAllValues => None,
    };
    a.hive == b.hive && a.key.eq_ignore_ascii_case(&b.key) && name(a) == name(b)
}

struct Writer {
    hive: Hive,
    ops: Vec<RegOp>,
}

impl Writer {
    fn push(&mut self, key: &RegistryKey, action: Action) {
        self.ops.push(RegOp {
            hive: self.hive,
            key: key.path().to_string(),
            action,
        });
    }
    fn set(&mut self, key: &RegistryKey, name: &str, data: RegData, soft: bool) {
        self.push(
            key,
            Action::Set {
                name: name.to_string(),
                data,
                soft,
            },
        );
    }
    fn delete(&mut self, key: &RegistryKey, name: &str) {
        self.push(key, Action::DeleteValue(name.to_string()));
    }
    /// An ADMX `Value`: `<delete/>` deletes, the others write their type.
    fn value(&mut self, key: &RegistryKey, name: &str, v: &RegValue) {
        match v {
            RegValue::Delete => self.delete(key, name),
            RegValue::Decimal(d) => self.set(key, name, RegData::Dword(*d), false),
            RegValue::LongDecimal(q) => self.set(key, name, RegData::Qword(*q), false),
            RegValue::String(s) => self.set(key, name, RegData::Sz(s.clone()), false),
        }
    }
    /// Writes a value list; with `delete`, deletes every value it would write instead (its
    /// owner is disabled).
    fn list_as(&mut self, list: &ValueList, owner_key: &RegistryKey, delete: bool) {
        for item in &list.items {
            let key = item
                .key
                .as_ref()
                .or(list.default_key.as_ref())
                .unwrap_or(owner_key);
            if delete {
                self.delete(key, item.value_name.as_str());
            } else {
                self.value(key, item.value_name.as_str(), &item.value);
            }
        }
    }
    fn list(&mut self, list: &ValueList, owner_key: &RegistryKey) {
        self.list_as(list, owner_key, false);
    }
    fn unlist(&mut self, list: &ValueList, owner_key: &RegistryKey) {
        self.list_as(list, owner_key, true);
    }
}

fn element_enabled(w: &mut Writer, p: &Policy, e: &Element, v: &Value) {
    let key = e.key.as_ref().unwrap_or(&p.key);
    let name = e.value_name.as_ref().map(|n| n.as_str()).unwrap_or("");
    match (&e.kind, v) {
        (
            ElementKind::Boolean {
                true_value,
                false_value,
                true_list,
                false_list,
            },
            Value::Boolean(b),
        ) => {
            let (value, list, default) = if *b {
                (true_value, true_list, RegValue::Decimal(1))
            } else {
                (false_value, false_list, RegValue::Delete)
            };
            if e.value_name.is_some() {
                w.value(key, name, value.as_ref().unwrap_or(&default));
            }
            w.list(list, key);
        }
        (kind, Value::Decimal(_) | Value::LongDecimal(_)) => {
            let (Some(spec), Some(n)) = (kind.number(), v.number()) else {
                return;
            };
            let data = if spec.store_as_text {
                RegData::Sz(n.to_string())
            } else if spec.long {
                RegData::Qword(n)
            } else {
                RegData::Dword(n as u32)
            };
            w.set(key, name, data, spec.soft);
        }
        (
            ElementKind::Text {
                expandable, soft, ..
            },
            Value::Text(s),
        ) => {
            let data = if *expandable {
                RegData::ExpandSz(s.clone())
            } else {
                RegData::Sz(s.clone())
            };
            w.set(key, name, data, *soft);
        }
        (ElementKind::MultiText { soft, .. }, Value::MultiText(items)) => {
            w.set(key, name, RegData::MultiSz(items.clone()), *soft);
        }
        (ElementKind::Enum { items, .. }, Value::Enum(i, _)) => {
            let item = &items[*i];
            w.value(key, name, &item.value);
            w.list(&item.value_list, key);
        }
        (
            ElementKind::List {
                value_prefix,
                additive,
                expandable,
                ..
            },
            Value::List(entries),
        ) => {
            if !additive {
                w.push(key, Action::DeleteAllValues);
            }
            for (n, (given, data)) in entries.iter().enumerate() {
                // ADMX list naming: explicit names, else prefix + 1-based index, else the data.
                let vname = match (given, value_prefix) {
                    (Some(g), _) => g.clone(),
                    (None, Some(prefix)) => format!("{prefix}{}", n + 1),
                    (None, None) => data.clone(),
                };
                let d = if *expandable {
                    RegData::ExpandSz(data.clone())
                } else {
                    RegData::Sz(data.clone())
                };
                w.set(key, &vname, d, false);
            }
        }
        // Lowering pairs every value with its element's kind.
        _ => {}
    }
}

fn element_disabled(w: &mut Writer, p: &Policy, e: &Element) {
    let key = e.key.as_ref().unwrap_or(&p.key);
    match &e.kind {
        ElementKind::List { .. } => w.push(key, Action::DeleteAllValues),
        ElementKind::Boolean {
            true_list,
            false_list,
            ..
        } => {
            if let Some(n) = &e.value_name {
                w.delete(key, n.as_str());
            }
            w.unlist(true_list, key);
            w.unlist(false_list, key);
        }
        ElementKind::Enum { items, .. } => {
            if let Some(n) = &e.value_name {
                w.delete(key, n.as_str());
            }
            for item in items {
                w.unlist(&item.value_list, key);
            }
        }
        _ => {
            if let Some(n) = &e.value_name {
                w.delete(key, n.as_str());
            }
        }
    }
    dedup(&mut w.ops);
}

/// Drops repeated deletions of one value (enum items often share value-list names).
fn dedup(ops: &mut Vec<RegOp>) {
    let mut out: Vec<RegOp> = Vec::with_capacity(ops.len());
    for op in ops.drain(..) {
        let dup = matches!(op.action, Action::DeleteValue(_))
            && out
                .iter()
                .any(|o| matches!(o.action, Action::DeleteValue(_)) && same_value(o, &op));
        if !dup {
            out.push(op);
        }
    }
    *ops = out;
}
