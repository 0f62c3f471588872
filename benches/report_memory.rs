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

use std::process::{Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");

fn admx(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><policyDefinitions xmlns=\"http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions\" revision=\"1.0\" schemaVersion=\"1.0\"",
    );
    for i in 0..n {
        s.push_str(&format!(" b{i}=\"x\""));
    }
    s.push_str("><policyNamespaces><target prefix=\"a\" namespace=\"A.B\"/></policyNamespaces><resources minRequiredRevision=\"1.0\"/></policyDefinitions>");
    s.into_bytes()
}

/// Peak memory (KiB) and wall time (ms) of one child run, its output discarded.
#[allow(clippy::zombie_processes)]
fn run(cmd: &mut Command) -> (u64, f64) {
    let started = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4 failed");
    (
        usage.ru_maxrss as u64,
        started.elapsed().as_secs_f64() * 1000.0,
    )
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failed = false;
    println!(
        "findings   file MB   report                   peak MB   bytes/finding   ms      cat ms"
    );
    for n in [1_400_000usize, 5_200_000] {
        let p = tmp.path().join(format!("h{n}.admx"));
        let bytes = admx(n);
        let mb = bytes.len() as f64 / 1e6;
        std::fs::write(&p, &bytes).unwrap();
        drop(bytes);
        let (_, cat) = run(Command::new("cat").arg(&p));
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
            let (kb, ms) = run(Command::new(BIN).arg("validate").args(&args).arg(&p));
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
