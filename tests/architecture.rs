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
