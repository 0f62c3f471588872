//! Build benchmark (`cargo bench --bench build`, release): times a full build (load, lower, render,
//! write) of the real definitions, and of generated templates of 1,000 and 10,000 policies to show
//! that cost grows linearly. As a reference in the same run it times `xmllint --noout` parsing
//! the generated files (when xmllint is installed), so the ratio can be compared across machines.
//! Exits 1 if the real definitions take 100 ms or more (the target).

use gpforge::app::compile_dir;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Full build into `out`; returns the time and the files written.
fn build_once(defs: &Path, out: &Path) -> (Duration, Vec<PathBuf>) {
    let t = Instant::now();
    let c = compile_dir(defs).expect("readable definitions");
    assert!(!c.has_errors(), "definitions have errors");
    gpforge::emit::write(out, &c.artifacts).expect("writable output");
    let took = t.elapsed();
    (
        took,
        c.artifacts.iter().map(|a| out.join(&a.path)).collect(),
    )
}

fn bench(defs: &Path) -> (Duration, Vec<PathBuf>) {
    let out = tempfile::tempdir().unwrap();
    let mut times = Vec::new();
    let mut files = Vec::new();
    for i in 0..RUNS {
        // A fresh folder every run, so every file is really written.
        let o = out.path().join(i.to_string());
        let (t, f) = build_once(defs, &o);
        times.push(t);
        files = f;
    }
    let keep = out.keep();
    (
        median(times),
        files.into_iter().map(|f| keep.join(f)).collect(),
    )
}

/// A template with `n` policies of mixed shapes (on/off, enum, decimal, text).
fn generate(dir: &Path, n: usize) {
    let t = dir.join("generated");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("template.toml"),
        r#"[template]
name = "generated"
prefix = "generated"
namespace = "Gpforge.Bench.Generated"
revision = "1.0"
display_name = "Generated"
description = "Benchmark template"

[template.defaults]
class = "User"
key = 'Software\Policies\Gpforge\Bench'
supported_on = "SUPPORTED_Any"

[[product]]
id = "Product"
display_name = "Product"

[[supported_on]]
id = "SUPPORTED_Any"
display_name = "Any"
any = [{ ref = "Product" }]

[[category]]
id = "Root"
display_name = "Root"
"#,
    )
    .unwrap();
    let mut s = String::new();
    for i in 0..n {
        let explain =
            "Enabled writes the value; Disabled deletes it; Not configured leaves it alone.";
        match i % 4 {
            0 => writeln!(s, "[[policy]]\nid = \"P{i}\"\ncategory = \"Root\"\nvalue_name = \"v{i}\"\nenabled_value = 1\ndisabled_value = 0\ndisplay_name = \"Policy {i}\"\nexplain = \"{explain}\"\n"),
            1 => writeln!(s, "[[policy]]\nid = \"P{i}\"\ncategory = \"Root\"\ndisplay_name = \"Policy {i}\"\nexplain = \"{explain}\"\n\n[[policy.element]]\nkind = \"enum\"\nid = \"E{i}\"\nvalue_name = \"v{i}\"\nlabel = \"Choice:\"\ndefault = \"a\"\nitems = [{{ name = \"a\", value = 0, display_name = \"A\" }}, {{ name = \"b\", value = 1, display_name = \"B\" }}]\n"),
            2 => writeln!(s, "[[policy]]\nid = \"P{i}\"\ncategory = \"Root\"\ndisplay_name = \"Policy {i}\"\nexplain = \"{explain}\"\n\n[[policy.element]]\nkind = \"decimal\"\nid = \"E{i}\"\nvalue_name = \"v{i}\"\nlabel = \"Number:\"\nmin = 1\nmax = 100\ndefault = 50\n"),
            _ => writeln!(s, "[[policy]]\nid = \"P{i}\"\ncategory = \"Root\"\ndisplay_name = \"Policy {i}\"\nexplain = \"{explain}\"\n\n[[policy.element]]\nkind = \"text\"\nid = \"E{i}\"\nvalue_name = \"v{i}\"\nlabel = \"Text:\"\n"),
        }
        .unwrap();
    }
    std::fs::write(t.join("policies.toml"), s).unwrap();

    // A baseline configuring every policy (every fifth disabled), so the .reg, Registry.pol,
    // Intune and README outputs grow with the template.
    let mut b = String::from("[baseline]\ntitle = \"All\"\ndescription = \"Every policy\"\n\n");
    for i in 0..n {
        let state = if i % 5 == 0 { "disabled" } else { "enabled" };
        write!(b, "[[setting]]\npolicy = \"P{i}\"\nstate = \"{state}\"\n").unwrap();
        if state == "enabled" {
            match i % 4 {
                0 => {}
                1 => writeln!(b, "values = {{ E{i} = \"b\" }}").unwrap(),
                2 => writeln!(b, "values = {{ E{i} = 50 }}").unwrap(),
                _ => writeln!(b, "values = {{ E{i} = \"x\" }}").unwrap(),
            }
        }
        b.push('\n');
    }
    std::fs::create_dir_all(dir.join("baselines")).unwrap();
    std::fs::write(dir.join("baselines/all.toml"), b).unwrap();
}

/// `xmllint --noout` on the same ADMX/ADML files, as a yardstick (None when xmllint is missing).
fn xmllint(files: &[PathBuf]) -> Option<Duration> {
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let xml = files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "admx" || e == "adml"));
        let ok = std::process::Command::new("xmllint")
            .arg("--noout")
            .args(xml)
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
        times.push(t.elapsed());
    }
    Some(median(times))
}

/// `; xmllint --noout: X ms (ratio R)` for the same files, or a note that xmllint is missing.
fn yardstick(ours: Duration, files: &[PathBuf]) -> String {
    match xmllint(files) {
        Some(x) => format!(
            "; xmllint --noout: {:.2} ms (ratio {:.2})",
            ms(x),
            ms(ours) / ms(x)
        ),
        None => "; xmllint not available".to_string(),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let (real, real_files) = bench(Path::new("definitions"));
    let c = compile_dir(Path::new("definitions")).unwrap();
    let policies = c.set.policy_count();
    print!(
        "real definitions ({policies} policies): {:.2} ms median of {RUNS} full builds",
        ms(real)
    );
    println!("{}", yardstick(real, &real_files));
    let mut compile = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let c = compile_dir(Path::new("definitions")).unwrap();
        compile.push(t.elapsed());
        assert!(!c.artifacts.is_empty());
    }
    println!(
        "  of which in memory (load, lower, check, render {} artifacts): {:.2} ms",
        c.artifacts.len(),
        ms(median(compile))
    );

    let mut per_policy = Vec::new();
    for n in [1_000usize, 10_000] {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), n);
        let (t, files) = bench(dir.path());
        let each = t.as_secs_f64() * 1e6 / n as f64;
        per_policy.push(each);
        print!(
            "generated {n:>6} policies: {:8.2} ms ({each:.2} µs per policy)",
            ms(t)
        );
        println!("{}", yardstick(t, &files));
    }
    println!(
        "growth 1k → 10k: {:.2}× the per-policy cost (1.00 = linear)",
        per_policy[1] / per_policy[0]
    );
    if real >= Duration::from_millis(100) {
        println!("FAIL: the real definitions must build in under 100 ms");
        std::process::exit(1);
    }
    println!("ok: real definitions build in under 100 ms");
}
