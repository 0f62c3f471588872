//! Validator benchmark (`cargo bench --bench validate`, release). In one run:
//! - `gpforge validate` (every rule, profile intune) over Microsoft's whole store
//!   (../shared/corpus, 248 ADMX + their en-US/de-DE/fr-FR ADMLs), in process, and
//!   `xmllint --noout` (well-formedness only) over the same files, interleaved, medians of RUNS;
//!   target: gpforge at most 0.5× xmllint;
//! - peak memory (VmHWM) after validating the store once; target: under 3× the store's bytes;
//! - a synthetic store 10× the corpus (the same files under ten sets of names), in memory, against
//!   the 1× store in memory; target: time grows at most linearly (per-byte cost ≤ 1.25×).
//!
//! Exits 1 when a target is missed.

use gpforge::validate::{Profile, validate_memory, validate_paths};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const CORPUS: &str = "../shared/corpus/windows-1903-office2016/PolicyDefinitions";
const RUNS: usize = 15;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).expect("corpus") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            for q in std::fs::read_dir(&p).expect("culture") {
                v.push(q.expect("entry").path());
            }
        } else {
            v.push(p);
        }
    }
    v.sort();
    v
}

fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn main() {
    let dir = PathBuf::from(CORPUS);
    if !dir.is_dir() {
        eprintln!("no corpus at {CORPUS}");
        std::process::exit(2);
    }
    let list = files(&dir);
    let bytes: u64 = list
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let base_kb = peak_kb().unwrap_or(0);
    let first = validate_paths(std::slice::from_ref(&dir), Profile::Intune).expect("corpus");
    let peak = peak_kb().unwrap_or(0);
    println!(
        "corpus: {} files, {:.1} MB; {} policies; {} diagnostics",
        list.len(),
        bytes as f64 / 1e6,
        first.policies,
        first.diags.len()
    );
    drop(first);

    let have_xmllint = Command::new("xmllint").arg("--version").output().is_ok();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = validate_paths(std::slice::from_ref(&dir), Profile::Intune).expect("corpus");
        ours.push(t.elapsed());
        drop(r);
        if have_xmllint {
            let t = Instant::now();
            let ok = Command::new("xmllint")
                .arg("--noout")
                .args(&list)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            theirs.push(t.elapsed());
            assert!(ok, "xmllint rejected a corpus file");
        }
    }
    let ours = median(ours);
    let mut failed = false;
    print!("validate (every rule, 2 workers): {:.1} ms", ms(ours));
    if have_xmllint {
        let theirs = median(theirs);
        let ratio = ms(ours) / ms(theirs);
        println!(
            "; xmllint --noout: {:.1} ms; ratio {ratio:.2} (target ≤ 0.50)",
            ms(theirs)
        );
        failed |= ratio > 0.5;
    } else {
        println!("; xmllint not installed, no ratio");
    }
    let ratio_mem = (peak.saturating_sub(0) * 1024) as f64 / bytes as f64;
    println!(
        "peak memory: {:.1} MB (process before: {:.1} MB) = {ratio_mem:.2}× the store (target < 3)",
        peak as f64 / 1024.0,
        base_kb as f64 / 1024.0
    );
    failed |= ratio_mem >= 3.0;

    // 1× and 10× in memory.
    let store: Vec<(String, Vec<u8>)> = list
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(p).unwrap())
        })
        .collect();
    let ten: Vec<(String, Vec<u8>)> = (0..10)
        .flat_map(|k| {
            store.iter().map(move |(n, b)| {
                let name = match n.rsplit_once('/') {
                    Some((d, f)) => format!("{d}/c{k}_{f}"),
                    None => format!("c{k}_{n}"),
                };
                (name, b.clone())
            })
        })
        .collect();
    let time = |s: &[(String, Vec<u8>)], runs: usize| {
        median(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    let r = validate_memory(s, Profile::Intune).expect("in memory");
                    let e = t.elapsed();
                    drop(r);
                    e
                })
                .collect(),
        )
    };
    let one = time(&store, RUNS);
    let many = time(&ten, 5);
    let growth = ms(many) / (10.0 * ms(one));
    println!(
        "in memory: 1× {:.1} ms, 10× {:.1} ms; per-byte cost at 10× = {growth:.2}× the 1× cost (target ≤ 1.25)",
        ms(one),
        ms(many)
    );
    failed |= growth > 1.25;
    if failed {
        println!("FAILED: a target was missed");
        std::process::exit(1);
    }
    println!("all targets met");
}
