//! Import benchmark (`cargo bench --bench import`, release): every ADMX of Microsoft's store
//! (../shared/corpus, 248 templates with their en-US/de-DE/fr-FR ADMLs) imported to TOML, built
//! (ADMX/ADML plus every other backend and the build's validation of what it generated) and
//! diffed against its original, on all cores as `validate` does; against `gpforge validate` of
//! the same store (profile gpmc, in process). Medians of RUNS (9: the 60-80 ms yardstick is noisy).
//! Target: import + build + diff within LIMIT× validate. Exits 1 when missed.

use gpforge::app::roundtrip;
use gpforge::validate::{Profile, validate_paths};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CORPUS: &str = "../shared/corpus/windows-1903-office2016/PolicyDefinitions";
const RUNS: usize = 9;
const LIMIT: f64 = 10.0;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Round-trips every template on `workers` threads; returns how many rebuilt exactly.
fn round_trip_all(admx: &[PathBuf], workers: usize) -> usize {
    let next = AtomicUsize::new(0);
    let exact = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(a) = admx.get(i) else { break };
                    let rt = roundtrip(a, None).expect("round trip");
                    if rt.diff.is_some_and(|d| d.equal) {
                        exact.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    exact.into_inner()
}

fn main() {
    let dir = PathBuf::from(CORPUS);
    if !dir.is_dir() {
        eprintln!("no corpus at {CORPUS}");
        std::process::exit(2);
    }
    let mut admx: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "admx"))
        .collect();
    admx.sort();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (mut v, mut r) = (Vec::new(), Vec::new());
    let mut exact = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let report = validate_paths(std::slice::from_ref(&dir), Profile::Gpmc).expect("validate");
        v.push(t.elapsed());
        assert!(report.files > 0);
        let t = Instant::now();
        exact = round_trip_all(&admx, workers);
        r.push(t.elapsed());
    }
    let (v, r) = (median(v), median(r));
    let ratio = r.as_secs_f64() / v.as_secs_f64();
    println!(
        "import+build+diff of {} templates ({exact} rebuilt exactly), {workers} workers: {:.0} ms (median of {RUNS})",
        admx.len(),
        ms(r)
    );
    println!("validate of the same store: {:.0} ms", ms(v));
    println!(
        "ratio {ratio:.1}x validate (target ≤ {LIMIT:.0}x): {}",
        if ratio <= LIMIT { "met" } else { "MISSED" }
    );
    if ratio > LIMIT {
        std::process::exit(1);
    }
}
