//! Calibration on Microsoft's own store (../shared/corpus, read in place): GPMC loads these files,
//! so the gpmc profile reports no Error except the listed ones; the count per code is a snapshot;
//! our schema verdict agrees with Microsoft's XSD (xmllint) file by file, or the difference is
//! listed with its reason; mutated files never make the validator panic.

mod common;

use common::corpus;
use gpforge::validate::checks::Family;
use gpforge::validate::{Profile, validate_memory, validate_paths};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Errors GPMC itself reports on this store.
const KNOWN_ERRORS: &[(&str, &str, &str)] = &[(
    "WindowsStore.admx",
    "V070",
    "WinStoreUI.admx and WindowsStore.admx both target Microsoft.Policies.WindowsStore; GPMC reports exactly this clash (KB3190327)",
)];

#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn microsoft_store_has_no_false_error() {
    let dir = corpus();
    let r = validate_paths(&[dir], Profile::Gpmc).unwrap();
    assert_eq!(r.files, 500);
    for d in r
        .diags
        .iter()
        .filter(|d| d.severity == gpforge::diag::Severity::Error)
    {
        let file = d
            .primary_span()
            .map(|s| r.sources.name(s.file))
            .unwrap_or_default();
        assert!(
            KNOWN_ERRORS
                .iter()
                .any(|(f, c, _)| file.ends_with(f) && d.code.as_str() == *c),
            "unexpected error {}: {} in {file}",
            d.code,
            d.message
        );
    }
    // The table as validate shows it by default; pedantic and schema-only rules (off under
    // gpmc) are counted apart.
    let mut table: BTreeMap<String, usize> = BTreeMap::new();
    let shown: Vec<_> = r
        .diags
        .iter()
        .filter(|d| gpforge::validate::checks::on_by_default(d.code, Profile::Gpmc))
        .collect();
    let warnings = shown
        .iter()
        .filter(|d| d.severity == gpforge::diag::Severity::Warning)
        .count();
    assert!(
        warnings <= 150,
        "{warnings} warnings by default on Microsoft's store"
    );
    assert!(
        shown
            .iter()
            .all(|d| !gpforge::validate::checks::SCHEMA_ONLY.contains(&d.code)),
        "a schema-only deviation in the default report"
    );
    for d in &r.diags {
        let off = !gpforge::validate::checks::on_by_default(d.code, Profile::Gpmc);
        *table
            .entry(format!(
                "{}{} {:7} {}",
                if off { "(off by default) " } else { "" },
                d.code,
                d.severity.as_str(),
                d.code.title()
            ))
            .or_default() += 1;
    }
    let mut text = format!("{} files, {} policies\n", r.files, r.policies);
    for (k, n) in &table {
        text.push_str(&format!("{n:6}  {k}\n"));
    }
    insta::assert_snapshot!("corpus_counts_gpmc", text);
}

/// Files whose XSD verdict differs from ours on purpose.
const XSD_DIFFERENCES: &[(&str, &str)] = &[];

#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
#[cfg_attr(
    not(gpforge_xsd),
    ignore = "needs xmllint (tests/tools/realclients/install.sh installs it)"
)]
fn schema_verdict_agrees_with_microsofts_xsd() {
    let dir = corpus();
    let mut files: Vec<String> = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            for q in std::fs::read_dir(&p).unwrap() {
                let q = q.unwrap().path();
                files.push(q.strip_prefix(&dir).unwrap().to_string_lossy().into_owned());
            }
        } else {
            files.push(p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned());
        }
    }
    files.sort();
    let script = Path::new("tests/tools/realclients/check-admx-xsd.sh")
        .canonicalize()
        .unwrap();
    let out = Command::new("bash")
        .arg(script)
        .arg("--fix-ns")
        .args(&files)
        .current_dir(&dir)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stdout);
    let mut xsd_fails: BTreeSet<String> = BTreeSet::new();
    let mut seen = 0;
    for line in log.lines() {
        let (name, fails) = if let Some(n) = line.strip_suffix(" fails to validate") {
            (n, true)
        } else if let Some(n) = line.strip_suffix(" validates") {
            (n, false)
        } else {
            continue;
        };
        seen += 1;
        let name = name.split(" (xmlns-").next().unwrap().to_string();
        if fails {
            xsd_fails.insert(name);
        }
    }
    assert_eq!(seen, files.len(), "xmllint judged every file");
    let r = validate_paths(std::slice::from_ref(&dir), Profile::Gpmc).unwrap();
    let prefix = format!("{}/", dir.to_string_lossy());
    let mut ours: BTreeSet<String> = BTreeSet::new();
    for d in &r.diags {
        let schema = d.code.rule().is_some_and(|rule| {
            rule.family == Family::Schema
                || d.code == gpforge::diag::Code::V012
                || rule.family == Family::Encoding && d.severity == gpforge::diag::Severity::Error
        });
        if schema && let Some(s) = d.primary_span() {
            let name = r.sources.name(s.file);
            ours.insert(name.strip_prefix(&prefix).unwrap_or(&name).to_string());
        }
    }
    let mut diff = String::new();
    for f in &files {
        let (x, o) = (xsd_fails.contains(f), ours.contains(f));
        if x != o {
            let reason = XSD_DIFFERENCES
                .iter()
                .find(|(n, _)| n == f)
                .map(|(_, r)| *r)
                .unwrap_or("UNEXPLAINED");
            diff.push_str(&format!(
                "{f}: xsd {} / gpforge {}: {reason}\n",
                if x { "fails" } else { "passes" },
                if o { "fails" } else { "passes" }
            ));
        }
    }
    let summary = format!(
        "{} files; xsd fails {}, gpforge schema fails {}; {} differ\n{diff}",
        files.len(),
        xsd_fails.len(),
        ours.len(),
        diff.lines().count()
    );
    insta::assert_snapshot!("corpus_xsd_agreement", summary);
    assert!(!diff.contains("UNEXPLAINED"), "{summary}");
}

/// Truncations, byte flips and deleted attributes of every 7th corpus file: diagnostics, never a
/// panic.
#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn mutated_files_never_panic() {
    let dir = corpus();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let mut runs = 0;
    for (i, p) in paths.iter().enumerate().filter(|(i, _)| i % 7 == 0) {
        let bytes = std::fs::read(p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for cut in [1, 2, 3, 5, 7] {
            variants.push(bytes[..bytes.len() * cut / 8].to_vec());
        }
        let mut seed = i as u64 * 2_654_435_761 + 1;
        for _ in 0..8 {
            let mut v = bytes.clone();
            for _ in 0..4 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let at = (seed >> 33) as usize % v.len();
                v[at] ^= (seed >> 13) as u8 | 1;
            }
            variants.push(v);
        }
        let text = String::from_utf8_lossy(&bytes);
        for attr in [" name=\"", " refId=\"", " key=\"", " ref=\""] {
            if let Some(at) = text.find(attr) {
                let end = text[at + attr.len()..]
                    .find('"')
                    .map(|e| at + attr.len() + e + 1);
                if let Some(end) = end {
                    let mut s = text.to_string();
                    s.replace_range(at..end, "");
                    variants.push(s.into_bytes());
                }
            }
        }
        for v in variants {
            let r = validate_memory(&[(name.clone(), v)], Profile::Intune).unwrap();
            let _ = gpforge::diag::render::human(&r.diags, &r.sources, false);
            runs += 1;
        }
    }
    assert!(runs > 400, "{runs} mutated files validated");
}

/// The README's figures on Microsoft's store come from commands it shows; run them again.
#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn the_readme_figures_are_what_its_commands_print() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let bin = env!("CARGO_BIN_EXE_gpforge");
    let store = "../shared/corpus/windows-1903-office2016/PolicyDefinitions";
    let o = std::process::Command::new(bin)
        .args(["validate", "--statistics", "--select", "ALL", store])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&o.stdout);
    let v063: usize = table
        .lines()
        .find(|l| l.starts_with("V063"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|n| n.parse().ok())
        .unwrap();
    let total: usize = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(2)?.parse::<usize>().ok())
        .sum();
    let thousands = |n: usize| {
        if n >= 1000 {
            format!("{},{:03}", n / 1000, n % 1000)
        } else {
            n.to_string()
        }
    };
    let claim = format!("makes {v063} of the {} findings", thousands(total));
    assert!(readme.contains(&claim), "README should say: {claim}");
    let o = std::process::Command::new(bin)
        .args(["audit", "--baseline", "disa-stig", "--store", store])
        .arg("../shared/reference/gpo-backups/MSFT-M365Apps-2306")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    let states = report
        .split("policies of the store found in the state (not part of the baseline):\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .count();
    let unexplained: usize = report
        .lines()
        .find_map(|l| l.strip_prefix("values no template explains: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let claim = format!("{states} policy states found,\n{unexplained} values no template explains");
    assert!(readme.contains(&claim), "README should say: {claim}");
}
