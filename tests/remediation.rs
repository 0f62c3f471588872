//! The Remediations scripts, checked with a third-party PowerShell parser (tree-sitter's
//! PowerShell grammar): every script parses without an error node, and the `$Settings` table
//! read back from the parse tree (keys, value names, types, data) is the baseline's registry
//! effect. The quoting function survives hostile strings. The scripts are syntax- and
//! data-checked here, not executed (no Windows in CI).

use gpforge::app::compile_dir;
use gpforge::backend::remediation::ps_string;
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

/// The value of `[char]N`, or of a quoted string, below `n`, in order.
fn pieces(n: Node, src: &str, out: &mut String) {
    match n.kind() {
        "string_literal" => out.push_str(&unquote(&src[n.byte_range()])),
        "cast_expression" => {
            let text = &src[n.byte_range()];
            let code = text
                .strip_prefix("[char]")
                .unwrap_or_else(|| panic!("only [char]N casts are generated: {text}"));
            out.push(char::from_u32(code.parse().unwrap()).unwrap());
        }
        _ => {
            for i in 0..n.child_count() {
                pieces(n.child(i as u32).unwrap(), src, out);
            }
        }
    }
}

/// The strings below a node, in order: each single-quoted literal, and each parenthesised
/// concatenation of literals and `[char]N` as one string (how control characters are written).
fn strings(n: Node, src: &str) -> Vec<String> {
    fn go(n: Node, src: &str, out: &mut Vec<String>) {
        match n.kind() {
            // Expandable ("…") strings are the fixed body's, never data.
            "string_literal" if src[n.byte_range()].starts_with('"') => {}
            "string_literal" => out.push(unquote(&src[n.byte_range()])),
            "parenthesized_expression" if src[n.byte_range()].contains("[char]") => {
                let mut s = String::new();
                pieces(n, src, &mut s);
                out.push(s);
            }
            _ => {
                for i in 0..n.child_count() {
                    go(n.child(i as u32).unwrap(), src, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    go(n, src, &mut out);
    out
}

/// One `$Settings` entry: field → string values.
type Entry = std::collections::BTreeMap<String, Vec<String>>;

fn table(src: &str) -> Vec<Entry> {
    let tree = parse(src);
    let mut hashes = Vec::new();
    find(tree.root_node(), "hash_literal_expression", &mut hashes);
    hashes
        .iter()
        // The `$Settings` entries (the `$Baseline` table and the body's objects have no Action).
        .filter(|h| src[h.byte_range()].contains("Action = "))
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

/// The STIG conditions on value `name`, flattened as the scripts' `Rules` carry them.
fn rule_strings(stig: &[gpforge::model::Stig], name: &str) -> Vec<String> {
    use gpforge::model::policy::Cond;
    let mut out = Vec::new();
    for r in stig {
        let Some(c) = &r.check else { continue };
        if !c.value.eq_ignore_ascii_case(name) {
            continue;
        }
        out.push(r.id.clone());
        match &c.cond {
            Cond::Equals(n) => out.extend(["Equals".to_string(), n.to_string()]),
            Cond::EqualsText(t) => out.extend(["EqualsText".to_string(), t.clone()]),
            Cond::AtLeast(n) => out.extend(["AtLeast".to_string(), n.to_string()]),
            Cond::AtMost(n) => out.extend(["AtMost".to_string(), n.to_string()]),
            Cond::OneOf(v) => {
                out.push("OneOf".into());
                out.extend(v.iter().map(u64::to_string));
            }
            Cond::Present => out.push("Present".into()),
            Cond::Absent => out.push("Absent".into()),
        }
    }
    out
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
                        // The rules that check this value: id, operator, data, in order.
                        e.insert("Rules".into(), rule_strings(&s.stig, name));
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
        let src = format!("$x = {}\n", ps_string(&s));
        let mut errs = Vec::new();
        let tree = parse(&src);
        errors(tree.root_node(), &src, &mut errs);
        prop_assert!(errs.is_empty(), "{:?}: {:?}", src, errs);
        let lits = strings(tree.root_node(), &src);
        prop_assert_eq!(lits, vec![s]);
    }
}

/// The top-level statements of a script, as the kinds of their nodes: hostile data may change
/// what a statement holds, never how many there are.
fn top_statements(src: &str) -> usize {
    let tree = parse(src);
    let root = tree.root_node();
    let mut n = 0;
    for i in 0..root.child_count() {
        let c = root.child(i as u32).unwrap();
        if c.kind() == "statement_list" {
            n += c.named_child_count();
        } else if c.is_named() && c.kind() != "comment" {
            n += 1;
        }
    }
    n
}

/// The scripts of the kinds fixture with a title, description, value id (note) and text values
/// replaced by `hostile`.
fn hostile_scripts(hostile: &str) -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().unwrap();
    let defs = tmp.path().join("defs");
    std::fs::create_dir_all(defs.join("baselines")).unwrap();
    for f in ["intune.toml", "template.toml"] {
        std::fs::create_dir_all(defs.join("every-kind")).unwrap();
        std::fs::copy(
            Path::new("tests/fixtures/kinds/every-kind").join(f),
            defs.join("every-kind").join(f),
        )
        .unwrap();
    }
    let b = std::fs::read_to_string("tests/fixtures/kinds/baselines/every-state.toml").unwrap();
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let b = b
        .replace("title = \"Every state\"", &format!("title = {}", q(hostile)))
        .replace(
            "description = \"Fixture: enabled with every element kind, disabled, not configured, registry-only data.\"",
            &format!("description = {}", q(hostile)),
        )
        .replace("IText = \"two\\nlines & <xml>\"", &format!("IText = {}", q(hostile)))
        .replace("Combo = \"beta\"", &format!("Combo = {}", q(hostile)));
    std::fs::write(defs.join("baselines/every-state.toml"), b).unwrap();
    let c = compile_dir(&defs).unwrap();
    c.artifacts
        .iter()
        .filter(|a| a.path.extension().is_some_and(|e| e == "ps1"))
        .map(|a| {
            (
                a.path.display().to_string(),
                gpforge::backend::text::decode_for_display(&a.bytes),
            )
        })
        .collect()
}

#[test]
fn d2_a_title_that_ends_the_comment_adds_no_statement() {
    let plain = hostile_scripts("plain");
    assert_eq!(plain.len(), 3);
    let attack = "x #>\n\";Write-Output PWNED; Remove-Item C:\\ -Recurse\n<# ";
    let bad = hostile_scripts(attack);
    for ((name, good), (_, evil)) in plain.iter().zip(&bad) {
        let mut errs = Vec::new();
        errors(parse(evil).root_node(), evil, &mut errs);
        assert!(errs.is_empty(), "{name}: {errs:?}");
        assert_eq!(top_statements(evil), top_statements(good), "{name}");
        // The title is in the data, whole, and nowhere in the comment.
        let header = &evil[..evil.find("#>").unwrap()];
        assert!(!header.contains("PWNED"), "{name}: {header}");
        let lits = strings(parse(evil).root_node(), evil);
        assert!(lits.iter().any(|l| l == attack), "{name}");
        // No raw line break of the data: every line break in the file is the file's own (CRLF).
        assert!(
            !evil.contains("PWNED; Remove-Item C:\\ -Recurse\r\n<#"),
            "{name}"
        );
    }
}

#[test]
fn d8_line_breaks_in_data_are_written_as_char_codes_not_line_ends() {
    let scripts = hostile_scripts("a\nb");
    for (name, src) in &scripts {
        assert!(src.contains("('a' + [char]10 + 'b')"), "{name}");
        let lits = strings(parse(src).root_node(), src);
        assert!(
            lits.iter().any(|l| l == "a\nb"),
            "{name}: the data is a LF, not CRLF"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Generated hostile titles, descriptions and values never add a statement to a script.
    #[test]
    fn hostile_definitions_text_never_adds_a_statement(s in "[a-z'\"$`\u{2018}\u{2019}#<>\n\r;(){}@| ]{1,30}") {
        let plain = hostile_scripts("plain");
        let bad = hostile_scripts(&s);
        prop_assume!(bad.len() == 3);
        for ((name, good), (_, evil)) in plain.iter().zip(&bad) {
            let mut errs = Vec::new();
            errors(parse(evil).root_node(), evil, &mut errs);
            prop_assert!(errs.is_empty(), "{}: {:?}", name, errs);
            prop_assert_eq!(top_statements(evil), top_statements(good), "{}", name);
            let lits = strings(parse(evil).root_node(), evil);
            prop_assert!(lits.iter().any(|l| l == &s), "{}", name);
        }
    }
}

/// The text of every node of `kind` below `n`.
fn texts<'a>(n: Node, src: &'a str, kind: &str) -> Vec<&'a str> {
    let mut v = Vec::new();
    find(n, kind, &mut v);
    v.iter().map(|x| &src[x.byte_range()]).collect()
}

#[test]
fn user_profiles_cover_entra_and_local_accounts_and_every_loaded_hive_is_unloaded() {
    let src = gpforge::backend::text::decode_for_display(
        &std::fs::read("output/baselines/disa-stig/remediation/detect.ps1").unwrap(),
    );
    let tree = parse(&src);
    let root = tree.root_node();
    let mut errs = Vec::new();
    errors(root, &src, &mut errs);
    assert!(errs.is_empty(), "{errs:?}");

    // The profiles come from ProfileList, filtered by one pattern: users of both SID forms, no
    // system or service profile. (PowerShell's -notmatch is case-insensitive, as here.)
    assert!(src.contains(
        "'Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList'"
    ));
    let assignment = texts(root, &src, "assignment_expression")
        .into_iter()
        .find(|a| a.starts_with("$GpforgeUserSid"))
        .expect("the SID pattern");
    let pattern = unquote(assignment.split_once('=').unwrap().1.trim());
    let re = regex::RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .build()
        .unwrap();
    for user in [
        "S-1-5-21-3623811015-3361044348-30300820-1013",
        "S-1-12-1-1234567890-1234567890-1234567890-1234567890",
    ] {
        assert!(re.is_match(user), "{user}");
    }
    for system in [
        "S-1-5-18",
        "S-1-5-19",
        "S-1-5-20",
        "S-1-5-21-3623811015-3361044348-30300820-1013.bak",
        "S-1-5-80-1",
    ] {
        assert!(!re.is_match(system), "{system}");
    }
    // The old filter, which missed Entra ID users, is gone.
    assert!(!src.contains("Get-GpforgeRoots"));

    // Exactly one load and one unload; the load inside a try whose finally unloads, guarded by
    // the mount name that is set only once the load succeeded.
    let loads: Vec<_> = src.match_indices("& reg.exe load").collect();
    let unloads: Vec<_> = src.match_indices("& reg.exe unload").collect();
    assert_eq!((loads.len(), unloads.len()), (1, 1));
    let mut tries = Vec::new();
    find(root, "try_statement", &mut tries);
    let t = tries
        .iter()
        .find(|t| src[t.byte_range()].contains("reg.exe load"))
        .expect("the load is inside a try");
    let mut finals = Vec::new();
    find(*t, "finally_clause", &mut finals);
    assert_eq!(finals.len(), 1, "the try has a finally");
    let fin = &src[finals[0].byte_range()];
    assert!(fin.contains("reg.exe unload"), "{fin}");
    assert!(fin.contains("if ($null -ne $mount)"), "{fin}");
    assert!(
        fin.contains("[gc]::Collect()"),
        "handles are released first: {fin}"
    );
    let try_text = &src[t.byte_range()];
    let load_at = try_text.find("reg.exe load").unwrap();
    let mount_at = try_text.find("$mount = $name").unwrap();
    assert!(
        mount_at > load_at,
        "the mount is recorded after the load succeeded"
    );
    let mut catches = Vec::new();
    find(*t, "catch_clause", &mut catches);
    assert_eq!(
        catches.len(),
        1,
        "an error on one profile is reported, not fatal"
    );
    // Between the load and the finally nothing leaves the function without the finally.
    let mut flows = Vec::new();
    find(*t, "flow_control_statement", &mut flows);
    // A throw is caught by the catch, and the finally runs after it.
    flows.retain(|f| !src[f.byte_range()].starts_with("throw "));
    assert!(
        flows.is_empty(),
        "exit/return/break in the try: {:?}",
        flows
            .iter()
            .map(|f| &src[f.byte_range()])
            .collect::<Vec<_>>()
    );
    let mut all_flows = Vec::new();
    find(root, "flow_control_statement", &mut all_flows);
    assert!(
        !all_flows.is_empty(),
        "the grammar names exit/return statements so"
    );

    // No false COMPLIANT: the verdicts in order: errors, differences, no user profile, compliant.
    let at = |s: &str| src.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("if ($script:GpforgeErrors -gt 0)") < at("if ($script:failed -gt 0)"));
    assert!(at("if ($script:failed -gt 0)") < at("if ($script:GpforgeNoUser)"));
    assert!(at("if ($script:GpforgeNoUser)") < at("Write-Output (\"COMPLIANT:"));
    assert!(src.contains("NO USER PROFILE"));
    // The same enumeration serves remediate and revert, which fail on an unreachable profile.
    for f in ["remediate.ps1", "revert.ps1"] {
        let s = gpforge::backend::text::decode_for_display(
            &std::fs::read(format!("output/baselines/disa-stig/remediation/{f}")).unwrap(),
        );
        assert!(s.contains("Invoke-GpforgeTargets {"), "{f}");
        assert!(
            s.contains("if ($script:GpforgeErrors -gt 0) { exit 1 }"),
            "{f}"
        );
    }
}
