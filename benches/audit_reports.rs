//! Assessor reports at scale (`cargo bench --bench audit_reports`): N `reg export` files (the
//! disa-stig baseline's `apply.reg`, minenckey = 256 in every second one) audited by the release
//! binary as a whole process into one HTML fleet report (`--format html`) and into one STIG
//! Viewer checklist per file (`--format ckl --each --out-dir`, both DISA benchmarks), for
//! N = 100 and 1,000. The yardstick, in the same run: the same audit to the plain `short` format.
//! Prints the time per state and the ratio to the yardstick; target (exit 1 when missed): the
//! time per state at 1,000 at most 1.5x the time per state at 100 (linear).

#[path = "../tests/common/disa_stig.rs"]
mod disa_stig;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");
const O365: &str = "tests/fixtures/stig/U_MS_Office_365_ProPlus_STIG_V3R5_Manual-xccdf.xml";
const OUTLOOK: &str = "tests/fixtures/stig/U_MS_Outlook_2016_STIG_V2R4_Manual-xccdf.xml";

fn files(dir: &Path, n: usize) -> Vec<PathBuf> {
    let text = disa_stig::apply_reg_text();
    let changed = text.replace(
        "\"minenckey\"=dword:000000a8",
        "\"minenckey\"=dword:00000100",
    );
    (0..n)
        .map(|i| {
            let p = dir.join(format!("host{i:05}.reg"));
            std::fs::write(&p, if i % 2 == 0 { &text } else { &changed }).unwrap();
            p
        })
        .collect()
}

fn time(args: &[String]) -> f64 {
    let t = Instant::now();
    let o = Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let mut per: Vec<(String, usize, f64)> = Vec::new();
    println!("states   report   ms        ms/state   short ms   ratio");
    for n in [100usize, 1000] {
        let tmp = tempfile::tempdir().unwrap();
        let list: Vec<String> = files(tmp.path(), n)
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let base: Vec<String> = ["audit", "--baseline", "disa-stig"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let with = |extra: &[&str]| -> Vec<String> {
            let mut v = base.clone();
            v.extend(extra.iter().map(|s| s.to_string()));
            v.extend(list.iter().cloned());
            v
        };
        let short = time(&with(&["--each", "--format", "short"]));
        let out = tmp.path().join("ckl");
        for (label, args) in [
            ("html", with(&["--format", "html"])),
            (
                "ckl",
                with(&[
                    "--each",
                    "--format",
                    "ckl",
                    "--benchmark",
                    O365,
                    "--benchmark",
                    OUTLOOK,
                    "--out-dir",
                    out.to_str().unwrap(),
                ]),
            ),
        ] {
            let ms = time(&args);
            println!(
                "{n:<8} {label:<8} {ms:>8.1}  {:>9.3}  {short:>9.1}  {:>5.2}",
                ms / n as f64,
                ms / short
            );
            per.push((label.to_string(), n, ms / n as f64));
        }
    }
    let mut failed = false;
    for label in ["html", "ckl"] {
        let at = |n: usize| per.iter().find(|p| p.0 == label && p.1 == n).unwrap().2;
        let growth = at(1000) / at(100);
        println!("{label}: time per state 1,000 / 100: {growth:.2} (target <= 1.5)");
        failed |= growth > 1.5;
    }
    if failed {
        std::process::exit(1);
    }
}
