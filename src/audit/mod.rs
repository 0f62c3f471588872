//! `gpforge audit`: a registry state (read by `state`) checked against a baseline. For every
//! setting of the baseline the registry operations it stands for (`model::effect`, the same ones
//! `.reg` and `Registry.pol` are written from) are compared with the state: **compliant**, every
//! value as the baseline writes it and every value it deletes absent; **not configured**, none of
//! its values present; **differs**, anything else (expected and actual shown). Values under the
//! template's keys that no policy of the template explains are **extra** (GPMC's "Extra Registry
//! Settings"), never dropped. Keys and value names compare case-insensitively.

use crate::model::baseline::{Baseline, Target};
use crate::model::effect::{self, Hive};
use crate::model::{PolicySet, Template};
pub mod fleet;
pub mod reverse;

use crate::state::{Op, Snapshot, Stored};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Compliant,
    Differs,
    NotConfigured,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Compliant => "compliant",
            Status::Differs => "differs",
            Status::NotConfigured => "not configured",
        }
    }
}

/// One setting of the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The policy or registry-only id.
    pub id: String,
    /// Its en-US display name.
    pub name: String,
    pub status: Status,
    /// The STIG references, as `O365-OU-000014 (V-223359, …)`.
    pub stig: Vec<String>,
    /// What the baseline expects, one registry value each: `key: name = 3 (REG_DWORD)`.
    pub expected: Vec<String>,
    /// What the state holds for the same values (`absent` where nothing is).
    pub actual: Vec<String>,
}

impl Row {
    /// The STIG ids alone (`O365-OU-000014`), without the vulnerability numbers.
    fn stig_ids(&self) -> Vec<&str> {
        self.stig
            .iter()
            .map(|x| x.split(' ').next().unwrap_or(""))
            .collect()
    }
}

/// A value under one of the template's keys that no policy of the template explains.
#[derive(Debug, Clone, Serialize)]
pub struct Extra {
    pub hive: &'static str,
    pub key: String,
    pub name: String,
    pub value: String,
    /// What is known about the value, for values known to be wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

impl Extra {
    fn new(h: Hive, v: &Stored) -> Self {
        Extra {
            hive: hive_root(h),
            key: v.key.clone(),
            name: v.name.clone(),
            value: v.display(),
            note: known(&v.name),
        }
    }
}

/// Values that circulate in compliance material but that no Microsoft template, DISA STIG or
/// DoD GPO has: (value name, what to say).
const KNOWN_BOGUS: &[(&str, &str)] = &[(
    "messageformatssmime",
    "a known bogus value: a published compliance page maps O365-OU-000011 to it, but no Microsoft template, STIG or DoD GPO has it (O365-OU-000011 is minenckey >= 168; the S/MIME format rule is msgformats = 1, DTOO260)",
)];

fn known(name: &str) -> Option<&'static str> {
    KNOWN_BOGUS
        .iter()
        .find(|(n, _)| name.eq_ignore_ascii_case(n))
        .map(|(_, why)| *why)
}

/// A STIG rule's verdict, as STIG Viewer names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    NotAFinding,
    Open,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotAFinding => "NotAFinding",
            Verdict::Open => "Open",
        }
    }
}

/// One STIG rule a baseline setting carries, checked by its own condition (DISA's check text),
/// not by equality with the baseline's value: a setting may satisfy one rule and fail another.
#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    /// The STIG id (`O365-OU-000011`).
    pub id: String,
    pub vuln: String,
    pub rule: String,
    pub benchmark: String,
    pub release: String,
    /// The baseline setting (policy id) that carries the rule.
    pub setting: String,
    pub verdict: Verdict,
    /// `HKCU\…\security: minenckey >= 168 (REG_DWORD)`.
    pub expected: String,
    /// `HKCU\…\security: minenckey = 256 (REG_DWORD)`, or `…: absent`.
    pub found: String,
    /// Why an open rule is open, in a few words (`absent`, `wrong type REG_SZ`, `too small`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// The check text's sentence the condition comes from.
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub baseline: String,
    pub sources: Vec<String>,
    pub rows: Vec<Row>,
    /// Every STIG rule of the baseline's settings that states a check, with its verdict.
    pub rules: Vec<RuleResult>,
    pub extras: Vec<Extra>,
    /// With `--store`: policy states of the store's templates found in the state (outside the
    /// baseline), as `template: policy = state`.
    pub elsewhere: Vec<String>,
    /// With `--store`: values of the state that no template (definitions or store) explains.
    pub unexplained: Vec<Extra>,
    /// With `--store`: the store's ADMX files that could not be imported and built (their
    /// policies explain nothing here).
    pub store_skipped: Vec<String>,
    /// The values of the state that the baseline's template explains (reverse mapping), kept
    /// for [`map_elsewhere`] so the mapping is computed once.
    #[serde(skip)]
    pub explained: BTreeSet<(Hive, String, String)>,
}

/// Policy states of other templates (a store's) found in `state`, and the values of the state
/// that none of `templates` nor `own` explains.
pub fn map_elsewhere(
    templates: &[Template],
    own_explained: &BTreeSet<(Hive, String, String)>,
    state: &Snapshot,
) -> (Vec<String>, Vec<Extra>) {
    let mut explained = own_explained.clone();
    let mut found = Vec::new();
    for t in templates {
        let m = reverse::map(t, state);
        for s in &m.settings {
            let st = match &s.state {
                crate::model::baseline::State::Enabled(_) => "enabled",
                crate::model::baseline::State::Disabled => "disabled",
                crate::model::baseline::State::Set(_) => "set",
                crate::model::baseline::State::NotConfigured => "not configured",
            };
            found.push(format!("{}: {} = {st}", t.file_name, s.id(t)));
        }
        explained.extend(m.explained);
    }
    let unexplained = state
        .iter()
        .filter(|(h, v)| !explained.contains(&(*h, v.key.to_lowercase(), v.name.to_lowercase())))
        .map(|(h, v)| Extra::new(h, v))
        .collect();
    (found, unexplained)
}

impl Report {
    pub fn count(&self, s: Status) -> usize {
        self.rows.iter().filter(|r| r.status == s).count()
    }
    pub fn rule_count(&self, v: Verdict) -> usize {
        self.rules.iter().filter(|r| r.verdict == v).count()
    }
    /// Every setting as the baseline has it and every STIG rule met.
    pub fn compliant(&self) -> bool {
        self.rows.iter().all(|r| r.status == Status::Compliant)
            && self.rules.iter().all(|r| r.verdict == Verdict::NotAFinding)
    }
}

/// Whether a stored value meets a rule's condition; why not when it does not.
pub fn meets(cond: &crate::model::policy::Cond, v: Option<&Stored>) -> Result<(), String> {
    use crate::model::policy::Cond;
    let number = |v: &Stored| -> Result<u64, String> {
        match (v.ty, v.data.len()) {
            (4, 4) => Ok(u32::from_le_bytes(v.data[..4].try_into().unwrap_or([0; 4])) as u64),
            (11, 8) => Ok(u64::from_le_bytes(v.data[..8].try_into().unwrap_or([0; 8]))),
            _ => Err(format!(
                "wrong type: {}, a number (REG_DWORD) is checked",
                crate::model::baseline::type_name_of(v.ty)
            )),
        }
    };
    match (cond, v) {
        (Cond::Absent, None) | (Cond::Present, Some(_)) => Ok(()),
        (Cond::Absent, Some(_)) => Err("present".into()),
        (_, None) => Err("absent".into()),
        (Cond::Equals(n), Some(v)) => {
            let x = number(v)?;
            if x == *n {
                Ok(())
            } else {
                Err(format!("{x}, not {n}"))
            }
        }
        (Cond::AtLeast(n), Some(v)) => {
            let x = number(v)?;
            if x >= *n {
                Ok(())
            } else {
                Err(format!("{x}, less than {n}"))
            }
        }
        (Cond::AtMost(n), Some(v)) => {
            let x = number(v)?;
            if x <= *n {
                Ok(())
            } else {
                Err(format!("{x}, more than {n}"))
            }
        }
        (Cond::OneOf(list), Some(v)) => {
            let x = number(v)?;
            if list.contains(&x) {
                Ok(())
            } else {
                Err(format!("{x}, not one of the accepted values"))
            }
        }
        (Cond::EqualsText(t), Some(v)) => match v.reg_data() {
            Some(
                crate::model::baseline::RegData::Sz(s)
                | crate::model::baseline::RegData::ExpandSz(s),
            ) => {
                if &s == t {
                    Ok(())
                } else {
                    Err(format!("\"{s}\", not \"{t}\""))
                }
            }
            _ => Err(format!(
                "wrong type: {}, a text is checked",
                crate::model::baseline::type_name_of(v.ty)
            )),
        },
    }
}

/// The verdicts of the STIG rules that a setting carries with a check.
fn rule_results(
    t: &Template,
    s: &crate::model::baseline::Setting,
    ops: &[Op],
    state: &Snapshot,
) -> Vec<RuleResult> {
    let mut out = Vec::new();
    for stig in &s.stig {
        let Some(check) = &stig.check else { continue };
        // Where the value lives: the setting's own operation on it, else the policy's key.
        let at = ops.iter().find_map(|o| match o {
            Op::Set {
                hive, key, name, ..
            }
            | Op::DeleteValue { hive, key, name }
                if name.eq_ignore_ascii_case(&check.value) =>
            {
                Some((*hive, key.clone()))
            }
            _ => None,
        });
        let (hive, key) = at.unwrap_or_else(|| {
            let (class, key) = match s.target {
                Target::Policy(i) => (t.policies[i].class, t.policies[i].key.as_str().to_string()),
                Target::RegistryOnly(i) => (
                    t.registry_only[i].class,
                    t.registry_only[i].key.as_str().to_string(),
                ),
            };
            let hive = if class == crate::model::Class::Machine {
                Hive::Machine
            } else {
                Hive::User
            };
            (hive, key)
        });
        let found = state.get(hive, &key, &check.value);
        let verdict = meets(&check.cond, found);
        out.push(RuleResult {
            id: stig.id.clone(),
            vuln: stig.vuln.clone(),
            rule: stig.rule.clone(),
            benchmark: stig.benchmark.clone(),
            release: stig.release.clone(),
            setting: s.id(t).to_string(),
            verdict: if verdict.is_ok() {
                Verdict::NotAFinding
            } else {
                Verdict::Open
            },
            expected: format!("{} {}", place(hive, &key, &check.value), check.cond),
            found: match found {
                Some(v) => format!("{} = {}", place(hive, &key, &v.name), v.display()),
                None => format!("{}: absent", place(hive, &key, &check.value)),
            },
            why: verdict.err(),
            source: check.source.clone(),
        });
    }
    out
}

fn hive_root(h: Hive) -> &'static str {
    match h {
        Hive::User => "HKCU",
        Hive::Machine => "HKLM",
    }
}

fn place(h: Hive, key: &str, name: &str) -> String {
    format!(
        "{}\\{key}: {}",
        hive_root(h),
        if name.is_empty() { "(default)" } else { name }
    )
}

/// Checks `state` against every setting of `b`.
pub fn audit(set: &PolicySet, b: &Baseline, state: &Snapshot, sources: Vec<String>) -> Report {
    let t = &set.templates[b.template];
    let strings = t.source_strings();
    let mut rows = Vec::new();
    let mut rules: Vec<RuleResult> = Vec::new();
    // The values the baseline's settings name: a wrong one is reported in its setting's row,
    // never a second time as an extra value.
    let mut named: BTreeSet<(Hive, String, String)> = BTreeSet::new();
    for s in &b.settings {
        let ops: Vec<Op> = effect::apply(t, s).iter().map(Op::from_model).collect();
        for op in &ops {
            if let Op::Set {
                hive, key, name, ..
            }
            | Op::DeleteValue { hive, key, name } = op
            {
                named.insert((*hive, key.to_lowercase(), name.to_lowercase()));
            }
        }
        for r in rule_results(t, s, &ops, state) {
            if !rules
                .iter()
                .any(|x| x.benchmark == r.benchmark && x.vuln == r.vuln)
            {
                rules.push(r);
            }
        }
        let c = compare(&ops, state);
        let status = if c.wrong == 0 {
            Status::Compliant
        } else if c.present == 0 && c.sets > 0 {
            Status::NotConfigured
        } else {
            Status::Differs
        };
        let (expected, actual) = (c.expected, c.actual);
        let display = match s.target {
            Target::Policy(i) => &t.policies[i].display,
            Target::RegistryOnly(i) => &t.registry_only[i].display,
        };
        rows.push(Row {
            id: s.id(t).to_string(),
            name: strings.get(display).unwrap_or("").to_string(),
            status,
            stig: s.stig.iter().map(|x| x.to_string()).collect(),
            expected,
            actual,
        });
    }
    let explained = reverse::map(t, state).explained;
    let extras = extras(t, state, &explained)
        .into_iter()
        .filter(|e| {
            let h = if e.hive == "HKLM" {
                Hive::Machine
            } else {
                Hive::User
            };
            !named.contains(&(h, e.key.to_lowercase(), e.name.to_lowercase()))
        })
        .collect();
    Report {
        baseline: b.name.clone(),
        sources,
        rows,
        rules,
        extras,
        elsewhere: Vec::new(),
        unexplained: Vec::new(),
        store_skipped: Vec::new(),
        explained,
    }
}

/// What a setting's registry operations expect, what the state holds at those places, and the
/// tallies its status comes from.
#[derive(Default)]
struct Comparison {
    expected: Vec<String>,
    actual: Vec<String>,
    /// Places the state holds a value at (or, for a list, other values under its key).
    present: usize,
    /// Places that differ from what the setting writes.
    wrong: usize,
    /// Values the setting writes.
    sets: usize,
}

/// Compares a setting's operations with the state, place by place.
fn compare(ops: &[Op], state: &Snapshot) -> Comparison {
    let mut c = Comparison::default();
    for op in ops {
        match op {
            Op::Set {
                hive,
                key,
                name,
                ty,
                data,
                soft,
            } => {
                c.sets += 1;
                let want = Stored {
                    ty: *ty,
                    data: data.clone(),
                    key: key.clone(),
                    name: name.clone(),
                };
                c.expected
                    .push(format!("{} = {}", place(*hive, key, name), want.display()));
                match state.get(*hive, key, name) {
                    Some(v) => {
                        c.present += 1;
                        if !(*soft || (v.ty == *ty && v.data == *data)) {
                            c.wrong += 1;
                        }
                        c.actual
                            .push(format!("{} = {}", place(*hive, key, name), v.display()));
                    }
                    None => {
                        c.wrong += 1;
                        c.actual
                            .push(format!("{}: absent", place(*hive, key, name)));
                    }
                }
            }
            Op::DeleteValue { hive, key, name } => {
                c.expected
                    .push(format!("{}: absent", place(*hive, key, name)));
                match state.get(*hive, key, name) {
                    Some(v) => {
                        c.wrong += 1;
                        c.present += 1;
                        c.actual
                            .push(format!("{} = {}", place(*hive, key, name), v.display()));
                    }
                    None => c
                        .actual
                        .push(format!("{}: absent", place(*hive, key, name))),
                }
            }
            Op::DeleteAllValues { hive, key } => {
                // A non-additive list: nothing under the key but what this setting writes.
                let own = crate::state::own_names(ops, *hive, key);
                c.expected.push(format!(
                    "{}\\{key}: only the values above",
                    hive_root(*hive)
                ));
                let others: Vec<&Stored> = state
                    .values_of(*hive, key)
                    .filter(|v| !own.contains(&v.name.to_lowercase()))
                    .collect();
                if others.is_empty() {
                    c.actual
                        .push(format!("{}\\{key}: no other value", hive_root(*hive)));
                } else {
                    c.wrong += 1;
                    c.present += 1;
                    for v in others {
                        c.actual
                            .push(format!("{} = {}", place(*hive, key, &v.name), v.display()));
                    }
                }
            }
            Op::DeleteKey { .. } => {}
        }
    }
    c
}

/// Values under the template's keys that no policy state of the template explains (`explained`,
/// the reverse mapping): values no policy names, and values that form no valid state of their
/// policy.
fn extras(
    t: &Template,
    state: &Snapshot,
    explained: &BTreeSet<(Hive, String, String)>,
) -> Vec<Extra> {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for p in &t.policies {
        keys.insert(p.key.as_str().to_lowercase());
        for e in &p.elements {
            keys.insert(e.key.as_ref().unwrap_or(&p.key).as_str().to_lowercase());
            for (lk, _) in e.kind.list_value_names() {
                if let Some(k) = lk {
                    keys.insert(k.as_str().to_lowercase());
                }
            }
        }
        for l in [&p.enabled_list, &p.disabled_list] {
            for item in &l.items {
                if let Some(k) = item.key.as_ref().or(l.default_key.as_ref()) {
                    keys.insert(k.as_str().to_lowercase());
                }
            }
        }
    }
    for r in &t.registry_only {
        keys.insert(r.key.as_str().to_lowercase());
    }
    state
        .iter()
        .filter(|(h, v)| {
            let key = v.key.to_lowercase();
            keys.contains(&key) && !explained.contains(&(*h, key, v.name.to_lowercase()))
        })
        .map(|(h, v)| Extra::new(h, v))
        .collect()
}

/// One line per setting: `SOURCE: status[ID]: name (STIG ids)`; then the extras.
pub fn short(r: &Report) -> String {
    let src = r.sources.join(" + ");
    let mut s = String::new();
    for row in &r.rows {
        let ids = row.stig_ids();
        s.push_str(&format!(
            "{src}: {}[{}]: {}{}\n",
            row.status.as_str().replace(' ', "_"),
            row.id,
            row.name,
            if ids.is_empty() {
                String::new()
            } else {
                format!(" ({})", ids.join(", "))
            }
        ));
    }
    for e in &r.extras {
        s.push_str(&format!(
            "{src}: extra: {}\\{}: {} = {}\n",
            e.hive, e.key, e.name, e.value
        ));
    }
    s
}

/// The summary line of a report.
pub fn summary(r: &Report) -> String {
    let rules = if r.rules.is_empty() {
        String::new()
    } else {
        format!(
            "; STIG rules: {} not a finding, {} open",
            r.rule_count(Verdict::NotAFinding),
            r.rule_count(Verdict::Open)
        )
    };
    format!(
        "baseline {}: {} setting(s): {} compliant, {} differ, {} not configured; {} extra value(s){rules}",
        r.baseline,
        r.rows.len(),
        r.count(Status::Compliant),
        r.count(Status::Differs),
        r.count(Status::NotConfigured),
        r.extras.len()
    )
}

/// The STIG rules section of the human report: one line per rule, evidence for open ones.
fn human_rules(r: &Report, s: &mut String) {
    if r.rules.is_empty() {
        return;
    }
    s.push_str(
        "
STIG rules (each by its own check condition):
",
    );
    for x in &r.rules {
        s.push_str(&format!(
            "{:<15} {} ({}, {})  {}
",
            x.verdict.as_str(),
            x.id,
            x.vuln,
            x.benchmark,
            x.setting
        ));
        if x.verdict == Verdict::Open {
            s.push_str(&format!(
                "                  check    {}
                  found    {}{}
",
                x.expected,
                x.found,
                x.why
                    .as_ref()
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default()
            ));
        }
    }
}

/// A table for people: status, id, STIG ids; expected and actual for what is not compliant.
pub fn human(r: &Report) -> String {
    let mut s = format!(
        "audit of {} against baseline {}\n\n",
        r.sources.join(" + "),
        r.baseline
    );
    for row in &r.rows {
        let ids = row.stig_ids();
        s.push_str(&format!(
            "{:<15} {}{}\n",
            row.status.as_str(),
            row.id,
            if ids.is_empty() {
                String::new()
            } else {
                format!("  [{}]", ids.join(", "))
            }
        ));
        if row.status != Status::Compliant {
            for (e, a) in row.expected.iter().zip(&row.actual) {
                s.push_str(&format!(
                    "                  expected {e}\n                  found    {a}\n"
                ));
            }
        }
    }
    human_rules(r, &mut s);
    if !r.elsewhere.is_empty() {
        s.push_str("\npolicies of the store found in the state (not part of the baseline):\n");
        for e in &r.elsewhere {
            s.push_str(&format!("  {e}\n"));
        }
        if !r.store_skipped.is_empty() {
            s.push_str(&format!(
                "store templates not imported (their policies are not mapped): {}\n",
                r.store_skipped.join(", ")
            ));
        }
        s.push_str(&format!(
            "values no template explains: {}\n",
            r.unexplained.len()
        ));
        for e in &r.unexplained {
            s.push_str(&format!(
                "  {}\\{}: {} = {}\n",
                e.hive, e.key, e.name, e.value
            ));
        }
    }
    if !r.extras.is_empty() {
        s.push_str("\nextra registry settings (no policy of the template explains them):\n");
        for e in &r.extras {
            s.push_str(&format!(
                "  {}\\{}: {} = {}\n",
                e.hive, e.key, e.name, e.value
            ));
            if let Some(n) = e.note {
                s.push_str(&format!("    {n}\n"));
            }
        }
    }
    s.push('\n');
    s.push_str(&summary(r));
    s.push('\n');
    s
}

/// CSV for spreadsheets: one row per setting, then one per extra value.
pub fn csv(r: &Report) -> String {
    let cell = crate::backend::text::csv_cell;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record([
        "source", "status", "id", "name", "stig", "expected", "actual",
    ]);
    let src = r.sources.join(" + ");
    for row in &r.rows {
        let rec = [
            cell(&src).into_owned(),
            row.status.as_str().to_string(),
            cell(&row.id).into_owned(),
            cell(&row.name).into_owned(),
            cell(&row.stig.join("; ")).into_owned(),
            cell(&row.expected.join("; ")).into_owned(),
            cell(&row.actual.join("; ")).into_owned(),
        ];
        let _ = w.write_record(&rec);
    }
    for e in &r.extras {
        let rec = [
            cell(&src).into_owned(),
            "extra".to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            cell(&format!("{}\\{}: {} = {}", e.hive, e.key, e.name, e.value)).into_owned(),
        ];
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A Markdown report an auditor can file.
pub fn markdown(r: &Report) -> String {
    use crate::backend::text::{md_code, md_prose};
    let mut s = format!(
        "# Audit against baseline {}\n\nSources: {}\n\n{}\n\n| Status | Setting | Id | STIG | Expected | Found |\n|---|---|---|---|---|---|\n",
        md_code(&r.baseline),
        r.sources
            .iter()
            .map(|x| md_code(x))
            .collect::<Vec<_>>()
            .join(", "),
        md_prose(&summary(r))
    );
    for row in &r.rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            row.status.as_str(),
            md_prose(&row.name),
            md_code(&row.id),
            md_prose(&row.stig.join("; ")),
            row.expected
                .iter()
                .map(|x| md_code(x))
                .collect::<Vec<_>>()
                .join("<br>"),
            row.actual
                .iter()
                .map(|x| md_code(x))
                .collect::<Vec<_>>()
                .join("<br>"),
        ));
    }
    if !r.extras.is_empty() {
        s.push_str("\n## Extra registry settings\n\nValues under the template's keys that no policy explains.\n\n| Key | Value | Data |\n|---|---|---|\n");
        for e in &r.extras {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                md_code(&format!("{}\\{}", e.hive, e.key)),
                md_code(&e.name),
                md_code(&e.value)
            ));
        }
    }
    s
}

/// SARIF 2.1.0: one result per setting that is not compliant (error when it differs, warning
/// when it is not configured) and one note per extra value, located at the source file; the
/// rule is the setting's policy id, with its STIG ids in the message.
pub fn sarif(reports: &[Report]) -> serde_json::Value {
    let mut rules: Vec<String> = Vec::new();
    let mut results = Vec::new();
    for r in reports {
        let uri = r.sources.first().cloned().unwrap_or_default();
        for row in &r.rows {
            if row.status == Status::Compliant {
                continue;
            }
            if !rules.contains(&row.id) {
                rules.push(row.id.clone());
            }
            let mut text = format!("{} {}: {}", row.id, row.status.as_str(), row.name);
            if !row.stig.is_empty() {
                text.push_str(&format!(" [{}]", row.stig.join("; ")));
            }
            for (e, a) in row.expected.iter().zip(&row.actual) {
                text.push_str(&format!("\nexpected {e}\nfound    {a}"));
            }
            results.push(serde_json::json!({
                "ruleId": row.id,
                "level": if row.status == Status::Differs { "error" } else { "warning" },
                "message": { "text": text },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            }));
        }
        for e in &r.extras {
            results.push(serde_json::json!({
                "ruleId": "extra",
                "level": "note",
                "message": { "text": format!("extra registry setting {}\\{}: {} = {}", e.hive, e.key, e.name, e.value) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            }));
        }
    }
    let mut rule_list: Vec<serde_json::Value> = rules
        .iter()
        .map(|id| serde_json::json!({ "id": id, "shortDescription": { "text": format!("baseline setting {id}") } }))
        .collect();
    rule_list.push(serde_json::json!({ "id": "extra", "shortDescription": { "text": "a value no policy of the template explains" } }));
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "gpforge",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/gpforge/gpforge",
                "rules": rule_list,
            } },
            "results": results,
        }]
    })
}
