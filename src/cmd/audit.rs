//! `gpforge audit`: real state read back and checked against a baseline; reports, checklists
//! and the fleet report.

use super::*;
use crate::cmd::import::import_input;
use crate::compile::compile_dir;
use crate::diag::render::pretty;
use std::path::Path;

/// The audit reports of `sources` against baseline `name` of `defs` (one merged report, or one
/// per source with `each`).
/// The templates of an ADMX store (`PolicyDefinitions` with its ADMLs), each imported and built
/// in memory; the names of those that do not build.
pub fn store_templates(dir: &Path) -> Result<(Vec<crate::model::Template>, Vec<String>), String> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("admx"))
        })
        .collect();
    files.sort();
    let mut templates = Vec::new();
    let mut skipped = Vec::new();
    for f in files {
        let Ok(input) = crate::import::read_input(&f) else {
            skipped.push(f.display().to_string());
            continue;
        };
        let (imported, compiled) = import_input(input);
        if imported.is_none() || compiled.has_errors() {
            skipped.push(f.display().to_string());
            continue;
        }
        templates.extend(compiled.set.templates);
    }
    Ok((templates, skipped))
}

pub fn audit_reports(
    name: &str,
    sources: &[std::path::PathBuf],
    defs: &Path,
    each: bool,
) -> Result<Vec<crate::audit::Report>, String> {
    audit_reports_with(name, sources, defs, each, None)
}

/// [`audit_reports`], also mapping the state onto the templates of an ADMX store.
pub fn audit_reports_with(
    name: &str,
    sources: &[std::path::PathBuf],
    defs: &Path,
    each: bool,
    store: Option<&Path>,
) -> Result<Vec<crate::audit::Report>, String> {
    let (store, skipped) = match store {
        Some(d) => {
            let (t, s) = store_templates(d)?;
            (Some(t), s)
        }
        None => (None, Vec::new()),
    };
    let compiled = compile_dir(defs).map_err(|e| e.to_string())?;
    if compiled.has_errors() {
        return Err(format!(
            "the definitions in {} have errors; run `gpforge build` for details",
            defs.display()
        ));
    }
    let set = &compiled.set;
    let Some(b) = set.baselines.iter().find(|b| b.name == name) else {
        let names: Vec<&str> = set.baselines.iter().map(|b| b.name.as_str()).collect();
        return Err(format!(
            "no baseline `{name}` in {} (baselines: {})",
            defs.display(),
            names.join(", ")
        ));
    };
    let mut reports = Vec::new();
    let groups: Vec<Vec<&std::path::PathBuf>> = if each {
        sources.iter().map(|s| vec![s]).collect()
    } else {
        vec![sources.iter().collect()]
    };
    // Progress on stderr for long runs in a terminal (never in pipes, CI logs or tests).
    let bar = (groups.len() > 50 && std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .then(|| indicatif::ProgressBar::new(groups.len() as u64));
    for g in groups {
        if let Some(b) = &bar {
            b.inc(1);
        }
        let mut snap = crate::state::Snapshot::new();
        for s in &g {
            let ops = crate::state::read_path(s).map_err(|e| e.to_string())?;
            snap.apply(&ops);
        }
        let names = g.iter().map(|p| p.display().to_string()).collect();
        let mut r = crate::audit::audit(set, b, &snap, names);
        if let Some(store) = &store {
            let (elsewhere, unexplained) = crate::audit::map_elsewhere(store, &r.explained, &snap);
            r.elsewhere = elsewhere;
            r.unexplained = unexplained;
            r.store_skipped = skipped
                .iter()
                .map(|p| {
                    Path::new(p)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
                .collect();
        }
        reports.push(r);
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(reports)
}

/// The checklist options of `audit` (`--format ckl|cklb`).
pub struct ChecklistOpts {
    pub benchmarks: Vec<std::path::PathBuf>,
    pub host: Option<String>,
    pub out_dir: Option<std::path::PathBuf>,
}

/// STIG Viewer checklists of the reports: one to stdout (or `--output`), or with several
/// reports one per report into `--out-dir`, each named after its host.
fn checklists(
    reports: &[crate::audit::Report],
    cklb: bool,
    opts: &ChecklistOpts,
) -> Result<(String, String), String> {
    if opts.benchmarks.is_empty() {
        return Err(
            "a checklist needs the STIG's rules: --benchmark U_…_Manual-xccdf.xml (repeatable)"
                .into(),
        );
    }
    let benchmarks: Vec<crate::checklist::xccdf::Benchmark> = opts
        .benchmarks
        .iter()
        .map(|p| crate::checklist::xccdf::read(p))
        .collect::<Result<_, _>>()?;
    let render = |r: &crate::audit::Report, host: Option<&str>| {
        let asset = crate::checklist::Asset::of(r, host);
        let text = if cklb {
            pretty(&crate::checklist::cklb(r, &asset, &benchmarks))
        } else {
            crate::checklist::ckl(r, &asset, &benchmarks)
        };
        (asset.host, text)
    };
    if reports.len() == 1 {
        return Ok((render(&reports[0], opts.host.as_deref()).1, String::new()));
    }
    let Some(dir) = &opts.out_dir else {
        return Err(format!(
            "{} sources audited one by one make {} checklists: name a folder for them with --out-dir DIR",
            reports.len(),
            reports.len()
        ));
    };
    if opts.host.is_some() {
        return Err("--host names one machine; with several sources each checklist is named after its source".into());
    }
    let ext = if cklb { "cklb" } else { "ckl" };
    let mut done = String::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in reports {
        let (host, text) = render(r, None);
        if let Some(why) = crate::model::id::file_name_problem(&host) {
            return Err(format!(
                "the host name {host:?} (from the source's file name) is not usable as a file name: it {why}"
            ));
        }
        if !seen.insert(host.to_lowercase()) {
            return Err(format!(
                "two sources are named {host}: their checklists would overwrite each other"
            ));
        }
        let rel = std::path::PathBuf::from(format!("{host}.{ext}"));
        let path = crate::emit::put_file(dir, &rel, text.as_bytes()).map_err(|e| e.to_string())?;
        done.push_str(&format!("wrote {}\n", path.display()));
    }
    Ok((String::new(), done))
}

fn audit(
    name: &str,
    sources: &[std::path::PathBuf],
    defs: &Path,
    each: bool,
    format: crate::cli::AuditFormat,
    store: Option<&Path>,
    checklist: &ChecklistOpts,
) -> Outcome {
    use crate::cli::AuditFormat;
    let mut o = Outcome::default();
    // The fleet formats see each source as a host.
    let fleet = matches!(
        format,
        AuditFormat::Html | AuditFormat::FleetCsv | AuditFormat::FleetJson
    );
    let reports = match audit_reports_with(name, sources, defs, each || fleet, store) {
        Ok(r) => r,
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
            return o;
        }
    };
    if fleet {
        let f = crate::audit::fleet::fleet(&reports);
        o.stdout = match format {
            AuditFormat::Html => crate::audit::fleet::html(&f),
            AuditFormat::FleetCsv => crate::audit::fleet::csv(&f),
            _ => pretty(&serde_json::to_value(&f).unwrap_or_default()),
        };
        let failing = f
            .cells
            .iter()
            .filter(|row| row.iter().any(|c| c.state != "pass"))
            .count();
        o.stderr = format!(
            "{} host(s), {} check(s): {} host(s) with a failing check\n",
            f.hosts.len(),
            f.columns.len(),
            failing
        );
        if reports.iter().any(|r| !r.compliant()) {
            o.code = EXIT_FINDINGS;
        }
        return o;
    }
    if matches!(format, AuditFormat::Ckl | AuditFormat::Cklb) {
        match checklists(&reports, format == AuditFormat::Cklb, checklist) {
            Ok((stdout, stderr)) => {
                o.stdout = stdout;
                o.stderr = stderr;
            }
            Err(e) => {
                o.code = EXIT_FAILURE;
                o.stderr = format!("error: {e}\n");
                return o;
            }
        }
        for r in &reports {
            o.stderr.push_str(&crate::audit::summary(r));
            o.stderr.push('\n');
            if !r.compliant() {
                o.code = EXIT_FINDINGS;
            }
        }
        return o;
    }
    for r in &reports {
        match format {
            AuditFormat::Human => o.stdout.push_str(&crate::audit::human(r)),
            AuditFormat::Short => o.stdout.push_str(&crate::audit::short(r)),
            AuditFormat::Csv => o.stdout.push_str(&crate::audit::csv(r)),
            AuditFormat::Markdown => o.stdout.push_str(&crate::audit::markdown(r)),
            _ => {}
        }
        if format != AuditFormat::Human {
            o.stderr.push_str(&crate::audit::summary(r));
            o.stderr.push('\n');
        }
        if !r.compliant() {
            o.code = EXIT_FINDINGS;
        }
    }
    if format == AuditFormat::Json {
        o.stdout = pretty(&serde_json::to_value(&reports).unwrap_or_default());
    }
    if format == AuditFormat::Sarif {
        o.stdout = pretty(&crate::audit::sarif(&reports));
    }
    o
}

/// `gpforge audit`: the command line's options, else `[audit]` of gpforge.toml.
pub fn run(args: crate::cli::AuditArgs) -> Outcome {
    let crate::cli::AuditArgs {
        baseline,
        quiet,
        config,
        sources,
        definitions,
        each,
        format,
        store,
        benchmark,
        host,
        out_dir,
    } = args;
    let loaded = match load_config(config) {
        Ok(l) => l,
        Err(e) => return failure(e),
    };
    let cfg = loaded.as_ref().map(|l| (&l.config.audit, l));
    let Some(baseline) = baseline.or_else(|| cfg.and_then(|(c, _)| c.baseline.clone())) else {
        return failure(
            "name the baseline: --baseline NAME (or `baseline` in gpforge.toml's [audit])".into(),
        );
    };
    let definitions =
        path_setting(definitions, cfg, |c| &c.definitions).unwrap_or_else(|| "definitions".into());
    let store = path_setting(store, cfg, |c| &c.store);
    let benchmarks = path_list(cfg, |c| &c.benchmark, benchmark);
    let quiet = quiet || cfg.and_then(|(c, _)| c.quiet).unwrap_or(false);
    let mut o = audit(
        &baseline,
        &sources,
        &definitions,
        each,
        format,
        store.as_deref(),
        &ChecklistOpts {
            benchmarks,
            host,
            out_dir,
        },
    );
    if quiet && format == crate::cli::AuditFormat::Human {
        // The summary lines only (the human report ends with one per source).
        o.stderr.push_str(
            &o.stdout
                .lines()
                .filter(|l| l.starts_with("baseline "))
                .map(|l| format!("{l}\n"))
                .collect::<String>(),
        );
        o.stdout.clear();
    }
    if let Some(l) = &loaded {
        o.stderr
            .push_str(&format!("(config {})\n", l.path.display()));
    }
    o
}
