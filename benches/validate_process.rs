//! Whole-process validator benchmark (`cargo bench --bench validate_process`, release): the
//! `gpforge validate` binary as users run it (default profile and human format, diagnostics to
//! a null device) against `xmllint --noout` over the same files, side by side, on two sets:
//! - corpus: Microsoft's stores in ../shared/corpus (every PolicyDefinitions folder);
//! - vendors: the 21 products' PolicyDefinitions folders in ../shared/vendors.
//!
//! Runs alternate (gpforge, xmllint, floor, …); each time printed is the median of RUNS, and
//! each ratio is paired: the median of the RUNS ratios of one run to the xmllint run beside it
//! (a machine whose speed drifts during the benchmark moves both of a pair alike), with the
//! pairs' spread (lowest–highest) beside it. Wall time is measured around the process; CPU time
//! (user + system) and peak resident memory come from `wait4`'s rusage of that one child.
//! Prints both ratios and gpforge's peak memory against the set's bytes. Targets: corpus wall ≤ 0.40× and CPU ≤ 0.60× xmllint's, vendors wall ≤ 0.50× and
//! CPU ≤ 0.80×; memory < 3× the input.
//! Memory: gpforge's peak on each set (target < 3× the input) and on 16 copies of the vendor
//! stores in one run (about 410 MB; target ≤ 128 MiB: memory bounded by the stores in flight and
//! the files with findings, not by the input). The copies are hard links where the file system
//! allows, else copies, in a temporary folder.
//! Exits 1 when a target is missed, 2 when a set or xmllint is missing.
//!
//! A third figure, the **floor**, shows how much of the target is left for validation: on every
//! core, each file is only read, decoded (gpforge's decoder) and run through quick-xml's
//! tokenizer (events and attributes, nothing kept, no tree, no rule, no report), alternating
//! with the other two. It is printed twice: as a process of its own (this benchmark started
//! again, timed like the others: what a user pays) and inside this process (no start-up, a warm
//! heap: it flatters). No validator built on this reader can take less.

mod common;

use common::{Run, run};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 21;
/// Copies of the vendor stores validated in one run for the memory bound, and the bound.
const COPIES: usize = 16;
const COPIES_PEAK_MIB: f64 = 128.0;
/// Each set with its targets (wall, CPU), as ratios to xmllint's.
const SETS: [(&str, &str, f64, f64); 2] = [
    ("corpus", "../shared/corpus", 0.40, 0.60),
    ("vendors", "../shared/vendors", 0.50, 0.80),
];

/// Every `PolicyDefinitions` folder under `root`.
fn stores(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        if d.file_name().is_some_and(|n| n == "PolicyDefinitions") {
            out.push(d);
        } else {
            stores(&d, out);
        }
    }
}

/// The ADMX/ADML files of a store: at its top and in its culture folders.
fn files(store: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(store) else {
        return;
    };
    for e in rd.filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("admx") || x.eq_ignore_ascii_case("adml"))
        {
            out.push(p);
        }
    }
}

/// The floor: read, decode and tokenize every file on every core; nothing else. Wall time and
/// this process's CPU time (getrusage) for that work.
fn floor(list: &[PathBuf]) -> Run {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let cpu_now = || {
        // SAFETY: `rusage` is plain data that getrusage fills in.
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
        let tv = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
        };
        tv(u.ru_utime) + tv(u.ru_stime)
    };
    let (cpu0, started) = (cpu_now(), Instant::now());
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let events: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    // The heap as gpforge's workers have it (huge pages where allowed).
                    gpforge::heap::advise_thread_heap();
                    let mut n = 0usize;
                    let mut kept = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = list.get(k) else { break };
                        let bytes = std::fs::read(p).unwrap_or_default();
                        let text = gpforge::admx::decode::decode(bytes).text;
                        let mut r = quick_xml::reader::Reader::from_str(&text);
                        loop {
                            match r.read_event() {
                                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                                Ok(
                                    quick_xml::events::Event::Start(e)
                                    | quick_xml::events::Event::Empty(e),
                                ) => n += e.attributes().filter(|a| a.is_ok()).count() + 1,
                                Ok(_) => n += 1,
                            }
                        }
                        // A validator keeps the text for its report; so does the floor.
                        kept.push(text);
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    std::hint::black_box(events);
    Run {
        wall: started.elapsed(),
        cpu: cpu_now().saturating_sub(cpu0),
        peak_kb: 0,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The median of the pairwise ratios `a[i] / b[i]`, with the lowest and highest of them.
fn paired(a: &[Run], b: &[Run], f: fn(&Run) -> Duration) -> (f64, f64, f64) {
    let mut r: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| ms(f(x)) / ms(f(y)).max(1e-9))
        .collect();
    r.sort_by(f64::total_cmp);
    (r[r.len() / 2], r[0], r[r.len() - 1])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The floor as a process of its own (what a user's run pays: start-up, page faults, exit):
/// this benchmark started again with `GPFORGE_FLOOR_LIST` naming a file of paths.
fn floor_process(list: &[PathBuf], listing: &Path) -> Run {
    let text: String = list.iter().map(|p| format!("{}\n", p.display())).collect();
    std::fs::write(listing, text).expect("write the file list");
    let me = std::env::current_exe().expect("the benchmark's own path");
    run(Command::new(me).env("GPFORGE_FLOOR_LIST", listing))
}

/// `COPIES` copies of the stores `dirs` (found below `root`) under `into/cN/…`, as hard links
/// where possible. The folder to validate.
fn copies(root: &Path, dirs: &[PathBuf], into: &Path) -> PathBuf {
    for c in 0..COPIES {
        for d in dirs {
            let mut list = Vec::new();
            files(d, &mut list);
            for f in list {
                let rel = f.strip_prefix(root).expect("below the root");
                let to = into.join(format!("c{c}")).join(rel);
                std::fs::create_dir_all(to.parent().expect("a folder")).expect("create folder");
                if std::fs::hard_link(&f, &to).is_err() {
                    std::fs::copy(&f, &to).expect("copy a template");
                }
            }
        }
    }
    into.to_path_buf()
}

fn main() {
    // A child started by `floor_process`: do the floor's work and nothing else.
    if let Some(listing) = std::env::var_os("GPFORGE_FLOOR_LIST") {
        let text = std::fs::read_to_string(listing).unwrap_or_default();
        let list: Vec<PathBuf> = text.lines().map(PathBuf::from).collect();
        floor(&list);
        return;
    }
    let bin = env!("CARGO_BIN_EXE_gpforge");
    let work = tempfile::tempdir().expect("temp dir");
    if Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!("xmllint is not installed (tests/tools/realclients/install.sh installs it)");
        std::process::exit(2);
    }
    let mut failed = false;
    for (name, root, wall_target, cpu_target) in SETS {
        let mut dirs = Vec::new();
        stores(Path::new(root), &mut dirs);
        if dirs.is_empty() {
            eprintln!("no PolicyDefinitions folder under {root}");
            std::process::exit(2);
        }
        let mut list = Vec::new();
        for d in &dirs {
            files(d, &mut list);
        }
        list.sort();
        let bytes: u64 = list
            .iter()
            .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
            .sum();
        let (mut ours, mut theirs, mut floors) = (Vec::new(), Vec::new(), Vec::new());
        let mut fresh = Vec::new();
        let listing = work.path().join(format!("{name}.txt"));
        for _ in 0..RUNS {
            ours.push(run(Command::new(bin).arg("validate").args(&dirs)));
            theirs.push(run(Command::new("xmllint").arg("--noout").args(&list)));
            floors.push(floor(&list));
            fresh.push(floor_process(&list, &listing));
        }
        let peak = ours.iter().map(|r| r.peak_kb).max().unwrap_or(0);
        let fig = |v: &[Run], f: fn(&Run) -> Duration| median(v.iter().map(f).collect());
        let (ow, oc) = (fig(&ours, |r| r.wall), fig(&ours, |r| r.cpu));
        let (tw, tc) = (fig(&theirs, |r| r.wall), fig(&theirs, |r| r.cpu));
        let (fw, fc) = (fig(&floors, |r| r.wall), fig(&floors, |r| r.cpu));
        let (pw, pc) = (fig(&fresh, |r| r.wall), fig(&fresh, |r| r.cpu));
        let wall = paired(&ours, &theirs, |r| r.wall);
        let cpu = paired(&ours, &theirs, |r| r.cpu);
        let mem = (peak * 1024) as f64 / bytes as f64;
        println!(
            "{name}: {} stores, {} files, {:.1} MB",
            dirs.len(),
            list.len(),
            bytes as f64 / 1e6
        );
        let line = |what: &str,
                    ours: Duration,
                    theirs: Duration,
                    (r, lo, hi): (f64, f64, f64),
                    target: f64| {
            println!(
                "  {what} gpforge {:.1} ms, xmllint {:.1} ms, paired ratio {r:.2} ({lo:.2}–{hi:.2}) (target ≤ {target:.2})",
                ms(ours),
                ms(theirs)
            );
        };
        line("wall:", ow, tw, wall, wall_target);
        line("cpu: ", oc, tc, cpu, cpu_target);
        let (fresh_wall, fresh_cpu) = (
            paired(&fresh, &theirs, |r| r.wall).0,
            paired(&fresh, &theirs, |r| r.cpu).0,
        );
        println!(
            "  floor, a process of its own (read + decode + tokenize, every core): wall {:.1} ms = {fresh_wall:.2}, cpu {:.1} ms = {fresh_cpu:.2} of xmllint's",
            ms(pw),
            ms(pc),
        );
        println!(
            "  floor, inside this benchmark's process (flatters: no start-up, warm heap): wall {:.1} ms = {:.2}, cpu {:.1} ms = {:.2} of xmllint's",
            ms(fw),
            paired(&floors, &theirs, |r| r.wall).0,
            ms(fc),
            paired(&floors, &theirs, |r| r.cpu).0,
        );
        println!(
            "  peak memory: gpforge {:.1} MB = {mem:.2}× the input (target < 3)",
            peak as f64 / 1024.0
        );
        failed |= wall.0 > wall_target || cpu.0 > cpu_target || mem >= 3.0;
        if name == "vendors" {
            let many = copies(Path::new(root), &dirs, &work.path().join("copies"));
            let peak = (0..3)
                .map(|_| run(Command::new(bin).arg("validate").arg(&many)).peak_kb)
                .max()
                .unwrap_or(0) as f64
                / 1024.0;
            println!(
                "  peak memory on {COPIES} copies in one run ({:.0} MB): gpforge {peak:.1} MiB (target ≤ {COPIES_PEAK_MIB:.0})",
                bytes as f64 * COPIES as f64 / 1e6
            );
            failed |= peak > COPIES_PEAK_MIB;
        }
    }
    if failed {
        println!("FAILED: a target was missed");
        std::process::exit(1);
    }
    println!("all targets met");
}
