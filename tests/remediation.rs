//! The Remediations scripts, checked with a third-party PowerShell parser (tree-sitter's
//! PowerShell grammar): every script parses without an error node, and the `$Settings` table
//! read back from the parse tree (keys, value names, types, data) is the baseline's registry
//! effect. The quoting function survives hostile strings. The scripts are syntax- and
//! data-checked here, not executed (no Windows in CI).

use gpforge::app::compile_dir;
use gpforge::backend::remediation::ps_quote;
use gpforge::model::baseline::RegData;
use gpforge::model::effect::{self, Action, Hive};
use proptest::prelude::*;
use std::path::Path;
use tree_sitter::{Node, Parser};

fn parse(src: &str) -> tree_sitter::Tree {
    let mut p = Parser::new();
    p.set_language(&tree_sitter_powershell::LANGUAGE.into())
        .unwrap();
    p.parse(src, None).unwrap()
}

fn errors(n: Node, src: &str, out: &mut Vec<String>) {
    if n.is_error() || n.is_missing() {
        let s = n.start_position();
        out.push(format!(
            "{}:{}: {}",
            s.row + 1,
            s.column + 1,
            &src[n.byte_range()].chars().take(60).collect::<String>()
        ));
    }
    for i in 0..n.child_count() {
        errors(n.child(i as u32).unwrap(), src, out);
    }
}

/// The text of a single-quoted PowerShell string literal.
fn unquote(lit: &str) -> String {
    let quote = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
    let chars: Vec<char> = lit.chars().collect();
    assert!(quote(chars[0]) && quote(*chars.last().unwrap()), "{lit}");
    let inner = &chars[1..chars.len() - 1];
    let mut out = String::new();
    let mut i = 0;
    while i < inner.len() {
        out.push(inner[i]);
        if quote(inner[i]) && i + 1 < inner.len() && quote(inner[i + 1]) {
            i += 1;
        }
        i += 1;
    }
    out
}

fn find<'a>(n: Node<'a>, kind: &str, out: &mut Vec<Node<'a>>) {
    if n.kind() == kind {
        out.push(n);
        return;
    }
    for i in 0..n.child_count() {
        find(n.child(i as u32).unwrap(), kind, out);
    }
}

/// The string literals below a node, unquoted, in order.
fn strings(n: Node, src: &str) -> Vec<String> {
    let mut lits = Vec::new();
    find(n, "string_literal", &mut lits);
    lits.iter().map(|l| unquote(&src[l.byte_range()])).collect()
}

/// One `$Settings` entry: field → string values.
type Entry = std::collections::BTreeMap<String, Vec<String>>;

fn table(src: &str) -> Vec<Entry> {
    let tree = parse(src);
    let mut hashes = Vec::new();
    find(tree.root_node(), "hash_literal_expression", &mut hashes);
    hashes
        .iter()
        .map(|h| {
            let mut entries = Vec::new();
            find(*h, "hash_entry", &mut entries);
            entries
                .iter()
                .map(|e| {
                    let key = e.child(0).unwrap();
                    // The value: the named child after the key (a `;` may close the entry).
                    let value = (1..e.child_count() as u32)
                        .filter_map(|i| e.child(i))
                        .find(|c| c.is_named())
                        .unwrap();
                    (src[key.byte_range()].to_string(), strings(value, src))
                })
                .collect()
        })
        .collect()
}

fn data_strings(d: &RegData) -> (&'static str, Vec<String>) {
    match d {
        RegData::Dword(n) => ("DWord", vec![n.to_string()]),
        RegData::Qword(n) => ("QWord", vec![n.to_string()]),
        RegData::Sz(s) => ("String", vec![s.clone()]),
        RegData::ExpandSz(s) => ("ExpandString", vec![s.clone()]),
        RegData::MultiSz(i) => ("MultiString", i.clone()),
        RegData::Binary(b) => (
            "Binary",
            vec![
                b.iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ],
        ),
    }
}

fn check(defs: &str) {
    let c = compile_dir(Path::new(defs)).unwrap();
    assert!(!c.has_errors());
    for b in &c.set.baselines {
        let t = &c.set.templates[b.template];
        let mut want: Vec<Entry> = Vec::new();
        for s in &b.settings {
            for op in effect::apply(t, s) {
                let mut e = Entry::new();
                e.insert("Id".into(), vec![s.id(t).into()]);
                e.insert(
                    "Class".into(),
                    vec![
                        if op.hive == Hive::Machine {
                            "Machine"
                        } else {
                            "User"
                        }
                        .into(),
                    ],
                );
                e.insert("Key".into(), vec![op.key.clone()]);
                let (name, action, ty, data) = match &op.action {
                    Action::Set { name, data, .. } => {
                        let (ty, d) = data_strings(data);
                        (name.clone(), "Set", ty, d)
                    }
                    Action::DeleteValue(n) => (n.clone(), "Delete", "", vec![String::new()]),
                    Action::DeleteAllValues => {
                        (String::new(), "DeleteAll", "", vec![String::new()])
                    }
                };
                e.insert("Name".into(), vec![name]);
                e.insert("Action".into(), vec![action.into()]);
                e.insert("Type".into(), vec![ty.into()]);
                e.insert("Data".into(), data);
                want.push(e);
            }
        }
        for file in ["detect.ps1", "remediate.ps1", "revert.ps1"] {
            let a = c
                .artifacts
                .iter()
                .find(|a| a.path == Path::new(&format!("baselines/{}/remediation/{file}", b.name)))
                .unwrap();
            let src = gpforge::backend::text::decode_for_display(&a.bytes);
            let mut errs = Vec::new();
            errors(parse(&src).root_node(), &src, &mut errs);
            assert!(errs.is_empty(), "{}/{file}: {errs:?}", b.name);
            let got: Vec<Entry> = table(&src)
                .into_iter()
                .map(|mut e| {
                    e.remove("Stig");
                    e
                })
                .collect();
            assert_eq!(got, want, "{}/{file}", b.name);
        }
    }
}

#[test]
fn outlook_scripts_parse_and_carry_the_baselines() {
    check("definitions");
}

#[test]
fn every_kind_scripts_parse_and_carry_the_baseline() {
    check("tests/fixtures/kinds");
}

#[test]
fn a_broken_script_is_noticed() {
    let mut errs = Vec::new();
    let src = "$Settings = @( @{ Id = 'a'; Name = 'it's' } )\n";
    errors(parse(src).root_node(), src, &mut errs);
    assert!(!errs.is_empty());
}

proptest! {
    #[test]
    fn hostile_strings_survive_the_quoting(s in "[a-z'\"$`\u{2018}\u{2019}\u{201A}\u{201B}\n\r\t é✓@(){};#<>|&-]{0,40}") {
        let src = format!("$x = {}\n", ps_quote(&s));
        let mut errs = Vec::new();
        let tree = parse(&src);
        errors(tree.root_node(), &src, &mut errs);
        prop_assert!(errs.is_empty(), "{:?}: {:?}", src, errs);
        let lits = strings(tree.root_node(), &src);
        prop_assert_eq!(lits, vec![s]);
    }
}
