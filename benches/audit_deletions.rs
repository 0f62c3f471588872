//! Audit cost on hostile deletions (`cargo bench --bench audit_deletions`): `.reg` files with a
//! `[-key]` after every key, `Registry.pol` files with a `**deletekeys` after every key, LGPO text
//! with a `CLEAR` after every record, at 1x, 10x and 100x the size (2,000 to 200,000 records),
//! each audited by the release binary as a whole process (`gpforge audit --baseline disa-stig`).
//! The yardstick, in the same run: the same binary reading and decoding each file without a
//! baseline to compare (`gpforge audit --each`'s reading is the same; here `cat` of the file into
//! /dev/null, a process that only reads). Prints the cost per record and the growth; target
//! (exit 1 when missed): the cost per record at 100x at most 3x the cost per record at 1x
//! (linear growth; the quadratic reader this replaced grew 100x).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn reg(n: usize) -> Vec<u8> {
    let mut t = String::from("Windows Registry Editor Version 5.00\r\n\r\n");
    for i in 0..n {
        t.push_str(&format!(
            "[HKEY_CURRENT_USER\\Software\\Policies\\Bench\\k{i}]\r\n\"v\"=dword:00000001\r\n\r\n[-HKEY_CURRENT_USER\\Software\\Policies\\Bench\\k{}]\r\n\r\n",
            i / 2
        ));
    }
    let mut b = vec![0xFF, 0xFE];
    b.extend(utf16(&t));
    b
}

fn pol_entry(out: &mut Vec<u8>, key: &str, name: &str, ty: u32, data: &[u8]) {
    out.extend(utf16("["));
    out.extend(utf16(key));
    out.extend([0, 0]);
    out.extend(utf16(";"));
    out.extend(utf16(name));
    out.extend([0, 0]);
    out.extend(utf16(";"));
    out.extend(ty.to_le_bytes());
    out.extend(utf16(";"));
    out.extend((data.len() as u32).to_le_bytes());
    out.extend(utf16(";"));
    out.extend(data);
    out.extend(utf16("]"));
}

fn pol(n: usize) -> Vec<u8> {
    let mut b = b"PReg\x01\x00\x00\x00".to_vec();
    for i in 0..n {
        pol_entry(
            &mut b,
            &format!("Software\\Policies\\Bench\\k{i}"),
            "v",
            4,
            &1u32.to_le_bytes(),
        );
        let mut list = utf16(&format!("k{}", i / 2));
        list.extend([0, 0]);
        pol_entry(
            &mut b,
            "Software\\Policies\\Bench",
            "**deletekeys",
            1,
            &list,
        );
    }
    b
}

fn lgpo(n: usize) -> Vec<u8> {
    let mut t = String::from("; bench\n\n");
    for i in 0..n {
        t.push_str(&format!(
            "User\nSoftware\\Policies\\Bench\\k{i}\nv\nDWORD:1\n\nUser\nSoftware\\Policies\\Bench\\k{}\n*\nCLEAR\n\n",
            i / 2
        ));
    }
    t.into_bytes()
}

fn time(cmd: &mut Command) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let o = cmd.output().unwrap();
        assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    best
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failed = false;
    println!("format  records   bytes        audit ms   us/record   cat ms   growth/record vs 1x");
    type Gen = fn(usize) -> Vec<u8>;
    for (fmt, ext, generate) in [
        ("reg", "reg", reg as Gen),
        ("pol", "pol", pol as Gen),
        ("lgpo", "txt", lgpo as Gen),
    ] {
        let mut base = 0.0;
        for mult in [1usize, 10, 100] {
            let n = 2_000 * mult;
            let p: PathBuf = tmp.path().join(format!("{fmt}{mult}.{ext}"));
            let bytes = generate(n);
            std::fs::write(&p, &bytes).unwrap();
            let audit = time(
                Command::new(BIN)
                    .args(["audit", "--baseline", "disa-stig"])
                    .arg(&p)
                    .current_dir(Path::new(env!("CARGO_MANIFEST_DIR"))),
            );
            let cat = time(
                Command::new("cat")
                    .arg(&p)
                    .stdout(std::process::Stdio::null()),
            );
            let per = audit * 1000.0 / n as f64;
            if mult == 1 {
                base = per;
            }
            let growth = per / base;
            println!(
                "{fmt:<6}  {n:>7}   {:>10}   {audit:>8.1}   {per:>9.2}   {cat:>6.1}   {growth:.2}",
                bytes.len()
            );
            if mult == 100 && growth > 3.0 {
                eprintln!("{fmt}: cost per record grew {growth:.1}x from 1x to 100x (target <= 3)");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
