//! Audit throughput (`cargo bench --bench audit`): N small `reg export` files (the `disa-stig`
//! baseline's `apply.reg`, one value changed in every second one) audited one by one in a single
//! call (`audit --each`), for N = 1,000 and 10,000. The yardstick, in the same process: reading
//! and decoding the same files (`state::read_path`) without auditing them. Prints the cost per
//! file and the ratio to the yardstick; target (exit 1 when missed): the cost per file at 10,000
//! at most 1.5x the cost per file at 1,000 (linear growth).

#[path = "../tests/common/disa_stig.rs"]
mod disa_stig;

use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path, n: usize) -> Vec<PathBuf> {
    let text = disa_stig::apply_reg_text();
    let changed = text.replace(
        "\"minenckey\"=dword:000000a8",
        "\"minenckey\"=dword:00000080",
    );
    let enc = |t: &str| {
        let mut b = vec![0xFF, 0xFE];
        b.extend(
            t.replace('\n', "\r\n")
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        b
    };
    let (a, b) = (enc(&text), enc(&changed));
    (0..n)
        .map(|i| {
            let p = dir.join(format!("export{i}.reg"));
            std::fs::write(&p, if i % 2 == 0 { &a } else { &b }).unwrap();
            p
        })
        .collect()
}

fn main() {
    let mut rows = Vec::new();
    println!("files   audit ms   per file us   yardstick ms   ratio");
    for n in [1_000usize, 10_000] {
        let tmp = tempfile::tempdir().unwrap();
        let list = files(tmp.path(), n);
        let t = Instant::now();
        for f in &list {
            let _ = gpforge::state::read_path(f).unwrap();
        }
        let yard = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let reports =
            gpforge::app::audit_reports("disa-stig", &list, Path::new("definitions"), true)
                .unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(reports.len(), n);
        assert_eq!(reports.iter().filter(|r| r.compliant()).count(), n / 2);
        println!(
            "{n:<7} {ms:>9.1}   {:>11.1}   {yard:>12.1}   {:>5.1}",
            ms * 1000.0 / n as f64,
            ms / yard
        );
        rows.push(ms / n as f64);
    }
    let growth = rows[1] / rows[0];
    println!("cost per file 10,000 / 1,000: {growth:.2} (target <= 1.5)");
    if growth > 1.5 {
        eprintln!("target missed");
        std::process::exit(1);
    }
}
