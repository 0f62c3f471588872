//! The fleet report (`audit --format html|fleet-csv|fleet-json`): one self-contained HTML file
//! over many hosts, loaded by a real browser (Debian's Chromium, headless): its DOM has one row
//! per host and one column per rule; a screenshot is written beside this test
//! (`tests/fixtures/fleet/report.png`, the README's picture). No external resource is named.

#[path = "common/disa_stig.rs"]
mod disa_stig;

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_gpforge");

/// Two hosts: one as the baseline writes it, one with minenckey = 256 (DTOO316 open).
fn hosts(dir: &Path) -> Vec<PathBuf> {
    let text = disa_stig::apply_reg_text();
    let a = dir.join("WS-ALPHA.reg");
    let b = dir.join("WS-<b>&\"bravo\".reg");
    std::fs::write(&a, &text).unwrap();
    std::fs::write(
        &b,
        text.replace(
            "\"minenckey\"=dword:000000a8",
            "\"minenckey\"=dword:00000100",
        ),
    )
    .unwrap();
    vec![a, b]
}

fn report(format: &str, sources: &[PathBuf]) -> (i32, String) {
    let o = Command::new(BIN)
        .args(["audit", "--baseline", "disa-stig", "--format", format])
        .args(sources)
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

#[test]
fn the_html_report_is_self_contained_and_escapes_what_it_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, html) = report("html", &hosts(tmp.path()));
    assert_eq!(code, 1, "a host has an open rule");
    let lower = html.to_ascii_lowercase();
    for external in ["http:", "https:", "src=", "href=", "@import", "url(", "//"] {
        assert!(!lower.contains(external), "{external} in the report");
    }
    assert!(
        html.contains("WS-&lt;b&gt;&amp;&quot;bravo&quot;.reg"),
        "escaped host name"
    );
    assert!(!html.contains("<b>&"));
    assert_eq!(html.matches("<tr data-status=").count(), 2);
    assert_eq!(html.matches("<th class=\"rule\"").count(), 21);
}

#[test]
fn the_matrix_as_csv_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let h = hosts(tmp.path());
    let (_, csv) = report("fleet-csv", &h);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("host,passed,O365-OU-000014,"));
    assert!(lines[1].starts_with("WS-ALPHA.reg,21/21,NotAFinding"));
    assert!(lines[2].contains(",20/21,"), "{}", lines[2]);
    let (_, json) = report("fleet-json", &h);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["hosts"].as_array().unwrap().len(), 2);
    assert_eq!(v["columns"].as_array().unwrap().len(), 21);
    let col = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["id"] == "DTOO316")
        .unwrap();
    assert_eq!(v["cells"][1][col]["verdict"], "Open");
    assert!(
        v["cells"][1][col]["evidence"][1]
            .as_str()
            .unwrap()
            .contains("minenckey = 256")
    );
}

fn chromium(args: &[&str], url: &str, profile: &Path) -> std::process::Output {
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs")
}

#[test]
#[cfg_attr(
    not(gpforge_browser),
    ignore = "needs Debian's chromium (tests/tools/realclients/install.sh installs it)"
)]
fn a_real_browser_shows_one_row_per_host_and_one_column_per_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, html) = report("html", &hosts(tmp.path()));
    let file = tmp.path().join("fleet.html");
    std::fs::write(&file, &html).unwrap();
    let url = format!("file://{}", file.display());
    let o = chromium(&["--dump-dom"], &url, &tmp.path().join("profile1"));
    let dom = String::from_utf8_lossy(&o.stdout);
    assert!(
        dom.contains("<table id=\"matrix\">"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let matrix = &dom[dom.find("<table id=\"matrix\">").unwrap()..];
    let body = &matrix[matrix.find("<tbody>").unwrap()..matrix.find("</tbody>").unwrap()];
    assert_eq!(
        body.matches("<tr data-status=").count(),
        2,
        "one row per host"
    );
    let head = &matrix[..matrix.find("</thead>").unwrap()];
    assert_eq!(
        head.matches("<th class=\"rule\"").count(),
        21,
        "one column per rule"
    );
    assert!(body.contains("<details><summary>Open</summary>"));
    // The screenshot: the README's picture.
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fleet/report.png");
    let _ = std::fs::remove_file(&shot);
    let o = chromium(
        &[
            "--window-size=1400,900",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
        &tmp.path().join("profile2"),
    );
    let png = std::fs::read(&shot)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
}
