//! Build script: tells the test suites what this machine has, so a test that needs data or a
//! tool it lacks is reported as ignored with its reason instead of passing without running.
//!
//! - `gpforge_shared`: `../shared` beside the repository holds the corpus (Microsoft's
//!   templates), the vendors' templates and the reference files;
//! - `gpforge_xsd`: xmllint, for `tests/tools/realclients/check-admx-xsd.sh` (Microsoft's XSD);
//! - `gpforge_realclients`: Wine, hivex, Samba's and regpol's parsers (the check scripts are in
//!   `tests/tools/realclients`, with `install.sh`);
//! - `gpforge_corpus`: `GPFORGE_CORPUS` names a folder of ADMX templates (any store) for the
//!   extended round-trip suite.
//!
//! `cargo test -- --include-ignored` runs every test regardless (`.ci/run` does): a missing
//! need then fails the test. With `GPFORGE_ESSENTIAL=1` (set by `tests/run.sh`, the README's
//! test command) the real clients are essential: if any is missing the build stops and names
//! exactly which, instead of the tests that need them being ignored.

use std::path::Path;
use std::process::Command;

fn have(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn main() {
    for cfg in [
        "gpforge_shared",
        "gpforge_xsd",
        "gpforge_realclients",
        "gpforge_corpus",
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    let shared = Path::new("../shared");
    // Only paths that exist: cargo counts a missing one as changed on every build, which made
    // every cargo command recompile gpforge on a machine without ../shared.
    for p in ["corpus", "vendors", "reference"] {
        if shared.join(p).exists() {
            println!("cargo::rerun-if-changed=../shared/{p}");
        }
    }
    println!("cargo::rerun-if-changed=src/build.rs");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=GPFORGE_CORPUS");
    if std::env::var_os("GPFORGE_CORPUS").is_some_and(|d| Path::new(&d).is_dir()) {
        println!("cargo::rustc-cfg=gpforge_corpus");
    }
    if ["corpus", "vendors", "reference"]
        .iter()
        .all(|p| shared.join(p).is_dir())
    {
        println!("cargo::rustc-cfg=gpforge_shared");
    }
    // The check scripts and Microsoft's XSDs are the project's own (tests/tools/realclients).
    let rc = Path::new("tests/tools/realclients");
    let needs: [(&str, bool); 5] = [
        (
            "xmllint (Debian libxml2-utils)",
            have("xmllint", &["--version"]),
        ),
        ("wine (Debian wine, wine64)", have("wine", &["--version"])),
        (
            "hivex's Perl module (Debian libwin-hivex-perl)",
            have("perl", &["-MWin::Hivex::Regedit", "-e", "1"]),
        ),
        (
            "Samba's preg parser (Debian python3-samba, for /usr/bin/python3)",
            have("/usr/bin/python3", &["-c", "import samba.dcerpc.preg"]),
        ),
        (
            "regpol (PyPI, for python3 or in target/realclients-venv)",
            have("python3", &["-c", "import regpol"])
                || have(
                    "target/realclients-venv/bin/python3",
                    &["-c", "import regpol"],
                ),
        ),
    ];
    // A real browser for the fleet report's test (headless Chromium loads the HTML file).
    let browser = have("chromium", &["--version"]);
    println!("cargo::rustc-check-cfg=cfg(gpforge_browser)");
    if browser {
        println!("cargo::rustc-cfg=gpforge_browser");
    }
    println!("cargo::rerun-if-env-changed=GPFORGE_ESSENTIAL");
    if std::env::var_os("GPFORGE_ESSENTIAL").is_some_and(|v| v == "1") {
        let mut missing: Vec<&str> = needs.iter().filter(|n| !n.1).map(|n| n.0).collect();
        if !browser {
            missing.push("Chromium (Debian chromium)");
        }
        if !missing.is_empty() {
            panic!(
                "GPFORGE_ESSENTIAL=1: the essential tests need real clients that are missing: {}; \
                 `bash tests/tools/realclients/install.sh` installs them on Debian",
                missing.join(", ")
            );
        }
    }
    if rc.join("check-admx-xsd.sh").is_file() && needs[0].1 {
        println!("cargo::rustc-cfg=gpforge_xsd");
    }
    if rc.join("check-reg.sh").is_file()
        && rc.join("check-pol.sh").is_file()
        && needs[1..].iter().all(|n| n.1)
    {
        println!("cargo::rustc-cfg=gpforge_realclients");
    }
}
