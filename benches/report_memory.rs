//! Report memory on hostile input (`cargo bench --bench report_memory`): a one-line ADMX with N
//! attributes the schema does not allow (one V021 each), N = 1,400,000 (16 MB) and 5,200,000
//! (63 MB, just under the 64 MiB read cap), validated by the release binary as a whole process:
//! `--max-per-code 0 --format json` and `--format sarif` (every finding reported, streamed) and
//! the default human report (capped at 100 per file and code; the rest counted, not kept). Peak
//! memory is the child's own (`wait4`'s rusage). The yardstick, in the same run: `cat` of the
//! same file into /dev/null.
//!
//! Targets (exit 1 when missed): JSON and SARIF at most 1 KB of peak memory per finding; the
//! human report at the cap under 500 MB on the 63 MB file.

mod common;

use std::process::Command;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failed = false;
    println!(
        "findings   file MB   report                   peak MB   bytes/finding   ms      cat ms"
    );
    for n in [1_400_000usize, 5_200_000] {
        let p = tmp.path().join(format!("h{n}.admx"));
        let bytes = common::attributes_admx(n);
        let mb = bytes.len() as f64 / 1e6;
        std::fs::write(&p, &bytes).unwrap();
        drop(bytes);
        let cat = ms(common::run(Command::new("cat").arg(&p)).wall);
        for (label, args) in [
            (
                "json, every finding",
                vec!["--max-per-code", "0", "--format", "json"],
            ),
            (
                "sarif, every finding",
                vec!["--max-per-code", "0", "--format", "sarif"],
            ),
            ("human, capped (default)", vec![]),
        ] {
            let r = common::run(Command::new(BIN).arg("validate").args(&args).arg(&p));
            let (kb, ms) = (r.peak_kb, ms(r.wall));
            let per = kb as f64 * 1024.0 / n as f64;
            println!(
                "{n:>9}   {mb:>7.1}   {label:<23}  {:>7.0}   {per:>13.0}   {ms:>6.0}   {cat:>5.1}",
                kb as f64 / 1024.0
            );
            if label.contains("every") && per > 1024.0 {
                eprintln!("{label}: {per:.0} bytes per finding (target <= 1024)");
                failed = true;
            }
            if label.starts_with("human") && n == 5_200_000 && kb > 500 * 1024 {
                eprintln!("{label}: {} MB at the cap (target < 500 MB)", kb / 1024);
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
