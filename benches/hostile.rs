//! Hostile-input benchmark (`cargo bench --bench hostile`): a one-line ADMX with N attributes the
//! schema does not allow (one V021 each), for N = 10,000 (1×, 0.1 MB), 100,000 (10×, 1.1 MB)
//! and 1,000,000 (100×, 11 MB). Each size runs in a fresh child process (this benchmark run
//! again), which validates the file and renders the report the way `gpforge validate` does
//! (human with snippets and short, capped as by default, and short with `--max-per-code 0`, every
//! finding), then prints its time and peak memory (VmHWM). The yardstick, in the same process:
//! quick-xml reading every event of the same bytes.
//!
//! Targets (exit 1 when missed): cost per byte at 100× at most 2× the cost per byte at 1×
//! (linear, measured against the yardstick's own growth); peak memory at 100× under 60× the
//! file's bytes.

mod common;

use gpforge::diag::render;
use gpforge::validate::{Profile, validate_memory};
use std::process::Command;
use std::time::Instant;

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn yardstick(bytes: &[u8]) -> usize {
    let mut r = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        match r.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(quick_xml::events::Event::Start(e)) => n += e.attributes().count(),
            Ok(_) => {}
        }
        buf.clear();
    }
    n
}

/// In the child: validate + render, print `ms yard_ms peak_kb bytes findings`.
fn child(n: usize) {
    let bytes = common::attributes_admx(n);
    let len = bytes.len();
    let t = Instant::now();
    let attrs = yardstick(&bytes);
    let yard = t.elapsed();
    assert!(attrs > n);
    let t = Instant::now();
    let report = validate_memory(&[("x.admx".to_string(), bytes)], Profile::Gpmc).unwrap();
    let total = report.diags.len();
    let capped = render::capped(report.diags.clone(), 100);
    let mut sink = std::io::sink();
    render::human_to(&mut sink, &capped, &report.sources, false).unwrap();
    render::short_to(&mut sink, &capped, &report.sources).unwrap();
    render::short_to(&mut sink, &report.diags, &report.sources).unwrap();
    let took = t.elapsed();
    println!(
        "{} {} {} {len} {total}",
        took.as_secs_f64() * 1000.0,
        yard.as_secs_f64() * 1000.0,
        peak_kb()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(args[i + 1].parse().unwrap());
        return;
    }
    let me = std::env::current_exe().unwrap();
    let mut rows = Vec::new();
    println!("size   bytes       findings  gpforge ms  yardstick ms  ratio  peak KB   peak/bytes");
    for (label, n) in [("1x", 10_000usize), ("10x", 100_000), ("100x", 1_000_000)] {
        // Median of three child runs.
        let mut runs: Vec<(f64, f64, u64, usize, usize)> = (0..3)
            .map(|_| {
                let o = Command::new(&me)
                    .args(["--child", &n.to_string()])
                    .output()
                    .unwrap();
                let out = String::from_utf8_lossy(&o.stdout);
                let f: Vec<&str> = out.split_whitespace().collect();
                (
                    f[0].parse().unwrap(),
                    f[1].parse().unwrap(),
                    f[2].parse().unwrap(),
                    f[3].parse().unwrap(),
                    f[4].parse().unwrap(),
                )
            })
            .collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (ms, yard, peak, bytes, findings) = runs[1];
        println!(
            "{label:<6} {bytes:<11} {findings:<9} {ms:>10.1}  {yard:>12.1}  {:>5.1}  {peak:>8}  {:>9.1}",
            ms / yard.max(0.001),
            peak as f64 * 1024.0 / bytes as f64
        );
        rows.push((ms, yard, peak, bytes));
    }
    let per_byte = |r: &(f64, f64, u64, usize)| r.0 / r.3 as f64;
    let growth = per_byte(&rows[2]) / per_byte(&rows[0]);
    let yard_growth = (rows[2].1 / rows[2].3 as f64) / (rows[0].1 / rows[0].3 as f64);
    let peak_ratio = rows[2].2 as f64 * 1024.0 / rows[2].3 as f64;
    println!(
        "cost per byte 100x/1x: {growth:.2} (yardstick {yard_growth:.2}); target <= 2.0 x the yardstick's growth"
    );
    println!("peak at 100x: {peak_ratio:.1}x the file; target < 60x");
    if growth > 2.0 * yard_growth.max(1.0) || peak_ratio >= 60.0 {
        eprintln!("target missed");
        std::process::exit(1);
    }
}
