//! ARCHITECTURE.md stays true: every module it names in backticks (`emit`, `model::effect`,
//! `checklist::xccdf`, …) exists as a file or folder under src/.

use std::path::Path;

#[test]
fn every_module_named_in_architecture_md_exists() {
    let text = std::fs::read_to_string("ARCHITECTURE.md").unwrap();
    let known_top = [
        "cli",
        "app",
        "source",
        "model",
        "backend",
        "emit",
        "fsx",
        "admx",
        "validate",
        "diag",
        "import",
        "diff",
        "state",
        "audit",
        "checklist",
    ];
    let mut checked = 0;
    for (i, span) in text.split('`').enumerate() {
        if i % 2 == 0 {
            continue;
        }
        let parts: Vec<&str> = span.split("::").collect();
        if !known_top.contains(&parts[0])
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        {
            continue;
        }
        let module = |parts: &[&str]| {
            let rel = parts.join("/");
            [
                Path::new("src").join(format!("{rel}.rs")),
                Path::new("src").join(&rel).join("mod.rs"),
            ]
            .into_iter()
            .find(|p| p.is_file())
            .or_else(|| Some(Path::new("src").join(&rel)).filter(|p| p.is_dir()))
        };
        // A module, or a function of the module before it (`state::read_path`).
        let found = module(&parts).is_some()
            || (parts.len() > 1
                && module(&parts[..parts.len() - 1])
                    .filter(|p| p.is_file())
                    .and_then(|p| std::fs::read_to_string(p).ok())
                    .is_some_and(|src| src.contains(&format!("fn {}", parts[parts.len() - 1]))));
        assert!(
            found,
            "ARCHITECTURE.md names `{span}`, which is no module or function under src/"
        );
        checked += 1;
    }
    assert!(checked >= 30, "{checked} modules checked");
    // And every top-level module of the library is on the map.
    let lib = std::fs::read_to_string("src/lib.rs").unwrap();
    for line in lib.lines().filter_map(|l| l.strip_prefix("pub mod ")) {
        let name = line.trim_end_matches(';');
        assert!(
            text.contains(&format!("- `{name}`")),
            "`{name}` is not on the code map"
        );
    }
}

/// Module paths (`import::policy`) of every file under src/, with their source.
fn modules() -> Vec<(Vec<String>, String)> {
    fn walk(dir: &Path, out: &mut Vec<(Vec<String>, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix("src").unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .iter()
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    parts.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    parts.pop();
                }
                out.push((parts, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new("src"), &mut out);
    out
}

/// The module paths a source names through `crate::a::b` or `super::a::b` (comments aside).
fn references(module: &[String], src: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in src.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (anchor, base) in [
            ("crate::", Vec::new()),
            ("super::", {
                let mut p = module.to_vec();
                p.pop();
                p
            }),
        ] {
            for (i, _) in code.match_indices(anchor) {
                if code[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                let path: Vec<String> = code[i + anchor.len()..]
                    .split("::")
                    .map_while(|seg| {
                        let name: String = seg
                            .chars()
                            .take_while(|c| {
                                c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit()
                            })
                            .collect();
                        (!name.is_empty() && name.len() == seg.len()).then_some(name)
                    })
                    .collect();
                let mut full = base.clone();
                full.extend(path);
                out.push(full);
            }
        }
    }
    out
}

/// No two sibling modules import each other (`KNOWN` would list a tolerated circle; it is
/// empty): a circle fails this test.
#[test]
fn no_new_import_circles() {
    const KNOWN: &[(&str, &str)] = &[];
    let mods = modules();
    let names: std::collections::HashSet<Vec<String>> =
        mods.iter().map(|(m, _)| m.clone()).collect();
    let mut edges = std::collections::BTreeSet::new();
    for (m, src) in &mods {
        for r in references(m, src) {
            // The longest prefix that is a module.
            let Some(target) = (1..=r.len())
                .rev()
                .map(|k| r[..k].to_vec())
                .find(|c| names.contains(c))
            else {
                continue;
            };
            // Lift both ends to the children of their common ancestor.
            let common = m.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common == m.len() || common == target.len() {
                continue;
            }
            edges.insert((m[..=common].join("::"), target[..=common].join("::")));
        }
    }
    let circles: Vec<(String, String)> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .cloned()
        .collect();
    let known: Vec<(String, String)> = KNOWN
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(circles, known, "import circles between sibling modules");
    // The ones already cut stay cut.
    for cut in [
        ("emit", "fsx"),
        ("import::policy", "import::presentation"),
        ("model::element", "model::policy"),
    ] {
        assert!(
            !circles.contains(&(cut.0.to_string(), cut.1.to_string())),
            "{cut:?}"
        );
    }
}

/// Functions that are tables of data (one entry per construct), exempt from the length limit.
const DATA_TABLES: &[(&str, &str)] = &[("validate::checks::schema", "spec")];

/// The longest a function may be, signature to closing brace.
const MAX_FUNCTION_LINES: usize = 120;

/// Every function of the library and the binary is at most 120 lines (data tables aside), and
/// `app.rs` keeps only what every command shares (under 300 lines): a function that long is
/// split by what each part does, as the long ones of import, validate and the store rule were.
#[test]
fn functions_are_short_and_app_is_small() {
    let mut long = Vec::new();
    let mut counted = 0;
    for (module, src) in modules() {
        let name = module.join("::");
        let lines: Vec<&str> = src.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let indent = &line[..line.len() - t.len()];
            let t = t
                .strip_prefix("pub(crate) ")
                .or_else(|| t.strip_prefix("pub(super) "))
                .or_else(|| t.strip_prefix("pub "))
                .unwrap_or(t);
            let Some(rest) = t.strip_prefix("fn ") else {
                continue;
            };
            let f: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // The function ends at the first closing brace at its own indentation.
            let close = format!("{indent}}}");
            let Some(end) = lines[i + 1..].iter().position(|l| *l == close) else {
                continue;
            };
            counted += 1;
            let n = end + 2;
            if n > MAX_FUNCTION_LINES && !DATA_TABLES.contains(&(name.as_str(), f.as_str())) {
                long.push(format!("{name}::{f}: {n} lines"));
            }
        }
    }
    assert!(counted > 500, "only {counted} functions found");
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines: {long:#?}"
    );
    let app = std::fs::read_to_string("src/app.rs").unwrap();
    assert!(
        app.lines().count() < 300,
        "src/app.rs has {} lines",
        app.lines().count()
    );
}
