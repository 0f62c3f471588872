//! `gpforge diff OLD NEW`: the semantic difference of two versions of a template (an ADMX with
//! its ADMLs) or of two stores. Each change is classified: **breaking** when a registry target or
//! a value's meaning changes, a policy, element or enum item disappears, or a string id is
//! renamed (GPOs and ADMLs written for the old version stop matching); **compatible** otherwise.
//! A revision bump is suggested per template. Input: two paths. Output: [`Report`], rendered as
//! Markdown (a changelog) or JSON. The library never prints.

pub mod read;

use crate::admx::view::Typed;
use read::{Elem, ListItem, Pol, Side, Tmpl, Val};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `policy X`, `policy X / element Y`, `category X`, `string X (de-DE)`, `template`.
    pub subject: String,
    /// What changed, e.g. `key`, `removed`, `enum item revalued`.
    pub what: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub breaking: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TemplateDiff {
    pub file: String,
    pub old_revision: Option<String>,
    pub new_revision: Option<String>,
    /// The revision NEW should have at least, when its own is lower.
    pub suggested_revision: Option<String>,
    pub changes: Vec<Change>,
}

/// What a change may say changed that alters what lands in the registry (not texts,
/// placement or presentation).
pub const REGISTRY_LEVEL: &[&str] = &[
    "class",
    "key",
    "valueName",
    "enabledValue",
    "disabledValue",
    "enabledList",
    "disabledList",
    "type",
    "enum item removed",
    "enum item revalued",
    "enum item added",
    "trueValue",
    "falseValue",
    "trueList",
    "falseList",
    "storeAsText",
    "expandable",
    "valuePrefix",
    "explicitValue",
    "additive",
];

/// Whether `c` alters the registry effect: a registry-level attribute or value, or a policy or
/// element added or removed.
pub fn alters_registry(c: &Change) -> bool {
    REGISTRY_LEVEL.contains(&c.what.as_str())
        || (c.subject.starts_with("policy ")
            && !c.subject.ends_with(" clientExtension")
            && matches!(c.what.as_str(), "added" | "removed"))
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub old: String,
    pub new: String,
    pub equal: bool,
    pub breaking: usize,
    pub compatible: usize,
    pub templates: Vec<TemplateDiff>,
}

impl Report {
    /// The report with only the changes `keep` accepts (counts and verdict recomputed;
    /// templates left without changes dropped).
    pub fn only(&self, keep: impl Fn(&Change) -> bool) -> Report {
        let templates: Vec<TemplateDiff> = self
            .templates
            .iter()
            .map(|t| TemplateDiff {
                changes: t.changes.iter().filter(|c| keep(c)).cloned().collect(),
                ..t.clone()
            })
            .filter(|t| !t.changes.is_empty())
            .collect();
        let all = || templates.iter().flat_map(|t| &t.changes);
        let breaking = all().filter(|c| c.breaking).count();
        let compatible = all().count() - breaking;
        Report {
            old: self.old.clone(),
            new: self.new.clone(),
            equal: breaking + compatible == 0,
            breaking,
            compatible,
            templates,
        }
    }
}

/// Whether `c` is about one of `policies` (its subject is `policy X` or `policy X / …`).
pub fn about_policies(c: &Change, policies: &[String]) -> bool {
    c.subject
        .strip_prefix("policy ")
        .map(|rest| rest.split(' ').next().unwrap_or_default())
        .is_some_and(|name| policies.iter().any(|p| p == name))
}

/// A side's one template under an empty name, so two templates compare whatever their file names.
fn anonymous(mut s: Side) -> Side {
    let t = s.templates.pop_first().map(|(_, t)| t).unwrap_or_default();
    s.templates.insert(String::new(), t);
    s
}

/// Compares two templates held in memory (names relative to a store: `x.admx`,
/// `en-US/x.adml`), whatever their file names.
/// [`diff_memory`] with the old side already read.
pub fn diff_side(
    old: read::Side,
    old_name: &str,
    new: &[(String, Vec<u8>)],
    new_name: &str,
) -> Result<Report, read::ReadError> {
    let a = anonymous(old);
    let b = anonymous(read::read_memory(new)?);
    Ok(diff(&a, &b, old_name, new_name))
}

pub fn diff_memory(
    old: &[(String, Vec<u8>)],
    old_name: &str,
    new: &[(String, Vec<u8>)],
    new_name: &str,
) -> Result<Report, read::ReadError> {
    let a = anonymous(read::read_memory(old)?);
    let b = anonymous(read::read_memory(new)?);
    Ok(diff(&a, &b, old_name, new_name))
}

/// Compares two files or stores from disk.
pub fn diff_paths(old: &Path, new: &Path) -> Result<Report, read::ReadError> {
    let a = read::read(old)?;
    let b = read::read(new)?;
    // Two single files are compared whatever their names.
    let single = |p: &Path, s: &Side| p.is_file() && s.templates.len() == 1;
    let (a, b) = if single(old, &a) && single(new, &b) {
        (anonymous(a), anonymous(b))
    } else {
        (a, b)
    };
    Ok(diff(
        &a,
        &b,
        &old.display().to_string(),
        &new.display().to_string(),
    ))
}

pub fn diff(a: &Side, b: &Side, old: &str, new: &str) -> Report {
    let mut templates = Vec::new();
    let stems: BTreeSet<&String> = a.templates.keys().chain(b.templates.keys()).collect();
    for stem in stems {
        let (ta, tb) = (a.templates.get(stem), b.templates.get(stem));
        let mut changes = Vec::new();
        match (ta, tb) {
            (Some(x), None) => {
                changes.push(change("template", "removed", Some(&x.file), None, true))
            }
            (None, Some(y)) => {
                changes.push(change("template", "added", None, Some(&y.file), false))
            }
            (Some(x), Some(y)) => template(x, y, &mut changes),
            (None, None) => {}
        }
        if changes.is_empty() {
            continue;
        }
        let file = tb.or(ta).map(|t| t.file.clone()).unwrap_or_default();
        let breaking = changes.iter().any(|c| c.breaking);
        let suggested = ta
            .zip(tb)
            .and_then(|(x, y)| suggest(&x.revision, &y.revision, breaking));
        templates.push(TemplateDiff {
            file,
            old_revision: ta.map(|t| t.revision.clone()),
            new_revision: tb.map(|t| t.revision.clone()),
            suggested_revision: suggested,
            changes,
        });
    }
    let all = templates.iter().flat_map(|t| &t.changes);
    let breaking = all.clone().filter(|c| c.breaking).count();
    let compatible = all.count() - breaking;
    Report {
        old: old.to_string(),
        new: new.to_string(),
        equal: breaking + compatible == 0,
        breaking,
        compatible,
        templates,
    }
}

fn change(
    subject: &str,
    what: &str,
    old: Option<&str>,
    new: Option<&str>,
    breaking: bool,
) -> Change {
    Change {
        subject: subject.to_string(),
        what: what.to_string(),
        old: old.map(str::to_string),
        new: new.map(str::to_string),
        breaking,
    }
}

/// `MAJOR.MINOR` of the new side as it should be at least: major+1 for breaking changes,
/// minor+1 for compatible ones. `None` when NEW's revision already suffices.
fn suggest(old: &str, new: &str, breaking: bool) -> Option<String> {
    let parse = |s: &str| -> Option<(u32, u32)> {
        let (a, b) = s.trim().split_once('.')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    };
    let (maj, min) = parse(old)?;
    let want = if breaking {
        (maj + 1, 0)
    } else {
        (maj, min + 1)
    };
    match parse(new) {
        Some(have) if have >= want => None,
        _ => Some(format!("{}.{}", want.0, want.1)),
    }
}

fn opt(v: &Option<impl std::fmt::Display>) -> Option<String> {
    v.as_ref().map(|v| v.to_string())
}

fn list_text(l: &[ListItem]) -> String {
    l.iter()
        .map(|(k, n, v)| {
            format!(
                "{}{n}={}",
                k.as_ref().map(|k| format!("{k}\\")).unwrap_or_default(),
                v.as_ref()
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "?".into())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn template(a: &Tmpl, b: &Tmpl, out: &mut Vec<Change>) {
    if a.namespace != b.namespace {
        out.push(change(
            "template",
            "target namespace",
            Some(&a.namespace),
            Some(&b.namespace),
            true,
        ));
    }
    if a.prefix != b.prefix {
        out.push(change(
            "template",
            "target prefix",
            Some(&a.prefix),
            Some(&b.prefix),
            false,
        ));
    }
    for (name, pa) in &a.categories {
        let subject = format!("category {name}");
        match b.categories.get(name) {
            None => out.push(change(&subject, "removed", None, None, false)),
            Some(pb) if pb != pa => out.push(change(
                &subject,
                "parent",
                opt(pa).as_deref(),
                opt(pb).as_deref(),
                false,
            )),
            Some(_) => {}
        }
    }
    for name in b
        .categories
        .keys()
        .filter(|n| !a.categories.contains_key(*n))
    {
        out.push(change(
            &format!("category {name}"),
            "added",
            None,
            None,
            false,
        ));
    }
    // A fact of a category or policy that one side lacks is told by its `added`/`removed`.
    let on_both = |subject: &str| {
        let mut w = subject.split(' ');
        match (w.next(), w.next()) {
            (Some("category"), Some(n)) => {
                a.categories.contains_key(n) && b.categories.contains_key(n)
            }
            (Some("policy"), Some(n)) => a.policies.contains_key(n) && b.policies.contains_key(n),
            _ => true,
        }
    };
    for (subject, va) in a.other.iter().filter(|(s, _)| on_both(s)) {
        match b.other.get(subject) {
            None => out.push(change(subject, "removed", Some(va), None, false)),
            Some(vb) if vb != va => out.push(change(subject, "changed", Some(va), Some(vb), false)),
            Some(_) => {}
        }
    }
    for (subject, vb) in b
        .other
        .iter()
        .filter(|(s, _)| !a.other.contains_key(*s) && on_both(s))
    {
        out.push(change(subject, "added", None, Some(vb), false));
    }
    for (name, pa) in &a.policies {
        let subject = format!("policy {name}");
        match b.policies.get(name) {
            None => out.push(change(&subject, "removed", Some(&pa.key), None, true)),
            Some(pb) => policy(&subject, pa, pb, out),
        }
    }
    for (name, pb) in b
        .policies
        .iter()
        .filter(|(n, _)| !a.policies.contains_key(*n))
    {
        out.push(change(
            &format!("policy {name}"),
            "added",
            None,
            Some(&pb.key),
            false,
        ));
    }
    strings(a, b, out);
}

fn policy(subject: &str, a: &Pol, b: &Pol, out: &mut Vec<Change>) {
    let mut field = |what: &str, x: Option<String>, y: Option<String>, breaking: bool| {
        if x != y {
            out.push(change(subject, what, x.as_deref(), y.as_deref(), breaking));
        }
    };
    // Registry target and values: breaking.
    field("class", Some(a.class.clone()), Some(b.class.clone()), true);
    field(
        "key",
        Some(a.key.clone()),
        Some(b.key.clone()),
        !a.key.eq_ignore_ascii_case(&b.key),
    );
    field(
        "valueName",
        a.value_name.clone(),
        b.value_name.clone(),
        a.value_name.as_deref().map(str::to_lowercase)
            != b.value_name.as_deref().map(str::to_lowercase),
    );
    field("enabledValue", opt(&a.enabled), opt(&b.enabled), true);
    field("disabledValue", opt(&a.disabled), opt(&b.disabled), true);
    field(
        "enabledList",
        Some(list_text(&a.enabled_list)),
        Some(list_text(&b.enabled_list)),
        true,
    );
    field(
        "disabledList",
        Some(list_text(&a.disabled_list)),
        Some(list_text(&b.disabled_list)),
        true,
    );
    // String ids: a rename breaks every ADML written for the old version.
    field(
        "displayName string id",
        Some(a.display.clone()),
        Some(b.display.clone()),
        true,
    );
    field(
        "explainText string id",
        a.explain.clone(),
        b.explain.clone(),
        a.explain.is_some(),
    );
    // Placement and presentation: compatible.
    field("category", a.category.clone(), b.category.clone(), false);
    field(
        "supportedOn",
        a.supported.clone(),
        b.supported.clone(),
        false,
    );
    field(
        "presentation id",
        a.presentation.clone(),
        b.presentation.clone(),
        false,
    );
    for ea in &a.elements {
        let s = format!("{subject} / element {}", ea.id);
        match b.elements.iter().find(|e| e.id == ea.id) {
            None => out.push(change(&s, "removed", Some(&ea.kind), None, true)),
            Some(eb) => element(&s, ea, eb, out),
        }
    }
    for eb in b
        .elements
        .iter()
        .filter(|e| !a.elements.iter().any(|x| x.id == e.id))
    {
        out.push(change(
            &format!("{subject} / element {}", eb.id),
            "added",
            None,
            Some(&eb.kind),
            false,
        ));
    }
}

/// Whether changing an element attribute from `x` to `y` can invalidate a configured value or
/// change what is written.
fn attr_breaking(name: &str, x: Option<&Typed>, y: Option<&Typed>) -> bool {
    // Absent means the schema default (defaults are left out when read).
    let num = |v: Option<&Typed>, default: u64| match v {
        Some(Typed::Number(n)) => *n,
        _ => default,
    };
    let flag = |v: Option<&Typed>| v == Some(&Typed::Flag(true));
    match name {
        "minValue" => num(y, 0) > num(x, 0),
        "maxValue" => num(y, 9999) < num(x, 9999),
        "maxLength" => num(y, 1023) < num(x, 1023),
        // 0 = unlimited.
        "maxStrings" => {
            let (x, y) = (num(x, 0), num(y, 0));
            y != 0 && (x == 0 || y < x)
        }
        "required" => flag(y) && !flag(x),
        "storeAsText" | "expandable" | "valuePrefix" | "explicitValue" | "additive" => x != y,
        _ => false,
    }
}

fn element(subject: &str, a: &Elem, b: &Elem, out: &mut Vec<Change>) {
    if a.kind != b.kind {
        out.push(change(subject, "type", Some(&a.kind), Some(&b.kind), true));
        return;
    }
    let ci = |x: &Option<String>| x.as_deref().map(str::to_lowercase);
    if ci(&a.key) != ci(&b.key) {
        out.push(change(
            subject,
            "key",
            a.key.as_deref(),
            b.key.as_deref(),
            true,
        ));
    }
    if ci(&a.value_name) != ci(&b.value_name) {
        out.push(change(
            subject,
            "valueName",
            a.value_name.as_deref(),
            b.value_name.as_deref(),
            true,
        ));
    }
    let names: BTreeSet<&String> = a.attrs.keys().chain(b.attrs.keys()).collect();
    for n in names {
        let (x, y) = (a.attrs.get(n), b.attrs.get(n));
        if x != y {
            let text = |v: Option<&Typed>| v.map(Typed::to_string);
            let breaking = attr_breaking(n, x, y);
            out.push(change(
                subject,
                n,
                text(x).as_deref(),
                text(y).as_deref(),
                breaking,
            ));
        }
    }
    for (n, va) in &a.values {
        if b.values.get(n) != Some(va) {
            out.push(change(
                subject,
                n,
                Some(&va.to_string()),
                b.values.get(n).map(|v| v.to_string()).as_deref(),
                true,
            ));
        }
    }
    for (n, vb) in b.values.iter().filter(|(n, _)| !a.values.contains_key(*n)) {
        out.push(change(subject, n, None, Some(&vb.to_string()), true));
    }
    let lists: BTreeSet<&String> = a.lists.keys().chain(b.lists.keys()).collect();
    for n in lists {
        let (x, y) = (a.lists.get(n), b.lists.get(n));
        if x != y {
            let t = |l: Option<&Vec<ListItem>>| l.map(|l| list_text(l));
            out.push(change(subject, n, t(x).as_deref(), t(y).as_deref(), true));
        }
    }
    // Enum items: matched by their display string id, then the rest by value (a renamed string
    // id with the same registry value).
    let mut unmatched_b: Vec<&read::Item> = b
        .items
        .iter()
        .filter(|i| !a.items.iter().any(|x| x.display == i.display))
        .collect();
    for ia in &a.items {
        match b.items.iter().find(|i| i.display == ia.display) {
            Some(ib) if ib.value != ia.value || ib.value_list != ia.value_list => out.push(change(
                subject,
                "enum item revalued",
                Some(&item_text(&ia.display, &ia.value)),
                Some(&item_text(&ib.display, &ib.value)),
                true,
            )),
            Some(_) => {}
            None => match unmatched_b
                .iter()
                .position(|i| i.value == ia.value && i.value_list == ia.value_list)
            {
                Some(k) => {
                    let ib = unmatched_b.remove(k);
                    out.push(change(
                        subject,
                        "enum item string id",
                        Some(&ia.display),
                        Some(&ib.display),
                        true,
                    ));
                }
                None => out.push(change(
                    subject,
                    "enum item removed",
                    Some(&item_text(&ia.display, &ia.value)),
                    None,
                    true,
                )),
            },
        }
    }
    for ib in unmatched_b {
        out.push(change(
            subject,
            "enum item added",
            None,
            Some(&item_text(&ib.display, &ib.value)),
            false,
        ));
    }
}

fn item_text(display: &str, v: &Option<Val>) -> String {
    format!(
        "{display} = {}",
        v.as_ref()
            .map(|v| v.to_string())
            .unwrap_or_else(|| "?".into())
    )
}

fn strings(a: &Tmpl, b: &Tmpl, out: &mut Vec<Change>) {
    let cultures: BTreeSet<&String> = a.strings.keys().chain(b.strings.keys()).collect();
    let empty = BTreeMap::new();
    for c in cultures {
        let (sa, sb) = (a.strings.get(c), b.strings.get(c));
        if sa.is_none() {
            out.push(change(&format!("ADML {c}"), "added", None, None, false));
            continue;
        }
        if sb.is_none() {
            out.push(change(&format!("ADML {c}"), "removed", None, None, false));
            continue;
        }
        let (sa, sb) = (sa.unwrap_or(&empty), sb.unwrap_or(&empty));
        for (id, ta) in sa {
            let subject = format!("string {id} ({c})");
            match sb.get(id) {
                None => out.push(change(&subject, "removed", Some(ta), None, false)),
                Some(tb) if tb != ta => {
                    out.push(change(&subject, "text", Some(ta), Some(tb), false))
                }
                Some(_) => {}
            }
        }
        for (id, tb) in sb.iter().filter(|(id, _)| !sa.contains_key(*id)) {
            out.push(change(
                &format!("string {id} ({c})"),
                "added",
                None,
                Some(tb),
                false,
            ));
        }
        let empty_p = BTreeMap::new();
        let pa = a.presentations.get(c).unwrap_or(&empty_p);
        let pb = b.presentations.get(c).unwrap_or(&empty_p);
        let ids: BTreeSet<&String> = pa.keys().chain(pb.keys()).collect();
        for id in ids {
            let (x, y) = (pa.get(id), pb.get(id));
            if x == y {
                continue;
            }
            let subject = format!("presentation {id} ({c})");
            match (x, y) {
                // Same number of controls: report each control that changed.
                (Some(x), Some(y)) if x.len() == y.len() => {
                    for (i, (cx, cy)) in x.iter().zip(y).enumerate() {
                        if cx != cy {
                            out.push(change(
                                &format!("{subject} / control {}", i + 1),
                                "changed",
                                Some(&control_text(cx)),
                                Some(&control_text(cy)),
                                false,
                            ));
                        }
                    }
                }
                _ => {
                    let t = |v: Option<&Vec<read::Control>>| {
                        v.map(|v| v.iter().map(control_text).collect::<Vec<_>>().join("; "))
                    };
                    let what = match (x, y) {
                        (None, _) => "added",
                        (_, None) => "removed",
                        _ => "controls",
                    };
                    out.push(change(
                        &subject,
                        what,
                        t(x).as_deref(),
                        t(y).as_deref(),
                        false,
                    ));
                }
            }
        }
    }
}

/// `kind refId attr=value … "label"`.
fn control_text((kind, ref_id, attrs, label): &read::Control) -> String {
    let mut s = kind.clone();
    if let Some(r) = ref_id {
        s.push(' ');
        s.push_str(r);
    }
    for (k, v) in attrs {
        s.push_str(&format!(" {k}={v}"));
    }
    if !label.is_empty() {
        s.push_str(&format!(" {label}"));
    }
    s
}

/// Markdown changelog.
pub fn markdown(r: &Report) -> String {
    // Names, texts and values come from the compared files: shown as prose or code, never run.
    use crate::backend::text::{md_code, md_prose};
    let mut s = format!(
        "# Changes from {} to {}\n\n",
        md_code(&r.old),
        md_code(&r.new)
    );
    if r.equal {
        s.push_str("No semantic difference.\n");
        return s;
    }
    s.push_str(&format!(
        "**{} breaking, {} compatible change(s).**\n",
        r.breaking, r.compatible
    ));
    for t in &r.templates {
        s.push_str(&format!("\n## {}\n\n", md_prose(&t.file)));
        s.push_str(&format!(
            "Revision: {} → {}",
            t.old_revision.as_deref().unwrap_or("—"),
            t.new_revision.as_deref().unwrap_or("—")
        ));
        match &t.suggested_revision {
            Some(v) => s.push_str(&format!("; suggested at least **{v}**\n")),
            None => s.push('\n'),
        }
        for (title, breaking) in [("Breaking", true), ("Compatible", false)] {
            let items: Vec<&Change> = t
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if items.is_empty() {
                continue;
            }
            s.push_str(&format!("\n### {title}\n\n"));
            for c in items {
                s.push_str(&format!(
                    "- {}: {}",
                    md_prose(&c.subject),
                    md_prose(&c.what)
                ));
                match (&c.old, &c.new) {
                    (Some(o), Some(n)) => s.push_str(&format!(
                        ": {} → {}",
                        md_code(&one_line(o)),
                        md_code(&one_line(n))
                    )),
                    (Some(o), None) => s.push_str(&format!(" (was {})", md_code(&one_line(o)))),
                    (None, Some(n)) => s.push_str(&format!(" ({})", md_code(&one_line(n)))),
                    (None, None) => {}
                }
                s.push('\n');
            }
        }
    }
    s
}

fn one_line(s: &str) -> String {
    let flat = s.replace(['\r', '\n'], " ");
    if flat.chars().count() > 120 {
        format!("{}…", flat.chars().take(120).collect::<String>())
    } else {
        flat
    }
}
