//! `gpforge validate`: check ADMX/ADML files and stores, then report and gate.

use super::*;
use crate::cli::DiagFormat;
use crate::diag::render::pretty;
use crate::diag::{Code, Diagnostic, Severity, render};
use crate::validate::Profile;
use std::path::Path;

/// How `validate` selects and shows findings.
pub struct ValidateOptions {
    pub deny_warnings: bool,
    /// `--exit-zero`: findings never fail the run.
    pub exit_zero: bool,
    pub max_per_code: usize,
    /// Codes or families to report (empty: all).
    pub select: Vec<String>,
    /// `--extend-select`: codes or families reported on top of the default (or --select).
    pub extend_select: Vec<String>,
    /// Codes or families never to report.
    pub ignore: Vec<String>,
    /// Codes or families reported as errors.
    pub as_error: Vec<String>,
    /// Codes or families reported as warnings.
    pub as_warning: Vec<String>,
    pub quiet: bool,
    pub statistics: bool,
    /// `--baseline FILE`.
    pub baseline: Option<std::path::PathBuf>,
    /// `--write-baseline FILE`.
    pub write_baseline: Option<std::path::PathBuf>,
    /// `gpforge.toml`, for its per-path ignores (its lists are merged into the fields above).
    pub config: Option<crate::validate::config::Loaded>,
    /// `--store DIR`: a reference store to resolve against.
    pub store: Option<std::path::PathBuf>,
}

/// Whether `code` is named by a list of codes and families (`V063`, `strings`).
fn names_code(list: &[String], code: Code) -> bool {
    list.iter().any(|x| {
        let x = x.trim();
        if x == "ALL" {
            return true;
        }
        (x.eq_ignore_ascii_case("pedantic")
            && (crate::validate::checks::PEDANTIC.contains(&code)
                || crate::validate::checks::SCHEMA_ONLY.contains(&code)))
            || x.eq_ignore_ascii_case(code.as_str())
            || code
                .rule()
                .is_some_and(|r| x.eq_ignore_ascii_case(r.family.as_str()))
    })
}

/// Every entry names a V-code or a rule family.
fn check_codes(list: &[String]) -> Result<(), String> {
    for x in list {
        let known = x.trim().eq_ignore_ascii_case("pedantic")
            || x.trim() == "ALL"
            || Code::ALL.iter().any(|c| {
                c.as_str().eq_ignore_ascii_case(x.trim())
                    || c.rule()
                        .is_some_and(|r| r.family.as_str().eq_ignore_ascii_case(x.trim()))
            });
        if !known {
            return Err(format!(
                "`{x}` is no validator code or family (`gpforge explain` lists the codes)"
            ));
        }
    }
    Ok(())
}

/// `--statistics`: code, count, files, meaning.
/// What kind of registry state a file named on the command line is, if it is one: by its first
/// bytes (PReg, regf, a `.reg` header, LGPO text), else by its extension.
fn registry_state_kind(p: &Path) -> Option<&'static str> {
    if !p.is_file() {
        return None;
    }
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(p)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let text = crate::backend::text::decode_for_display(head);
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if head.starts_with(b"PReg") {
        Some("a Registry.pol file")
    } else if head.starts_with(b"regf") {
        Some("an offline registry hive")
    } else if text.trim_start().starts_with("Windows Registry Editor")
        || text.trim_start().starts_with("REGEDIT4")
    {
        Some("a .reg export")
    } else if crate::state::lgpo::looks_like(&text) {
        Some("LGPO text")
    } else if ext == "pol" {
        Some("a .pol file")
    } else if ext == "reg" {
        Some("a .reg file")
    } else {
        None
    }
}

/// One row of `--statistics`: a code, its severity, how many findings in how many files.
#[derive(serde::Serialize)]
struct StatRow {
    code: &'static str,
    /// `error`, `warning`, `note`, or `mixed` when promotions gave the code several.
    severity: &'static str,
    count: usize,
    files: usize,
    meaning: &'static str,
}

fn statistics_rows(diags: &[Diagnostic]) -> Vec<StatRow> {
    type Acc = (
        usize,
        std::collections::BTreeSet<usize>,
        std::collections::BTreeSet<&'static str>,
    );
    let mut by: std::collections::BTreeMap<Code, Acc> = Default::default();
    for d in diags {
        let e = by.entry(d.code).or_default();
        e.0 += d.weight();
        e.2.insert(d.severity.as_str());
        if let Some(s) = d.primary_span() {
            e.1.insert(s.file);
        }
    }
    let mut rows: Vec<StatRow> = by
        .into_iter()
        .map(|(code, (count, files, sev))| StatRow {
            code: code.as_str(),
            severity: if sev.len() == 1 {
                sev.into_iter().next().unwrap_or("")
            } else {
                "mixed"
            },
            count,
            files: files.len(),
            meaning: code.title(),
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

/// The `--statistics` table, or its JSON form with `--format json`.
fn statistics(diags: &[Diagnostic], json: bool) -> String {
    let rows = statistics_rows(diags);
    if json {
        return pretty(&serde_json::json!({ "statistics": rows }));
    }
    let mut s = String::from("code   severity  count  files  meaning\n");
    for r in rows {
        s.push_str(&format!(
            "{:<6} {:<8} {:>6}  {:>5}  {}\n",
            r.code, r.severity, r.count, r.files, r.meaning
        ));
    }
    s
}

fn validate(
    paths: &[std::path::PathBuf],
    profile: Profile,
    format: DiagFormat,
    opts: ValidateOptions,
    color: bool,
) -> Outcome {
    if let Err(e) = check_selectors(&opts) {
        return failure(e);
    }
    // Registry state named on the command line is audit's input, not a template.
    if let Some(e) = registry_state_among(paths) {
        return failure(e);
    }
    // Findings beyond what the report shows are only counted (bounded memory), unless every one
    // is needed: --statistics and the baseline files name each finding.
    let fold_cap = if opts.statistics || opts.baseline.is_some() || opts.write_baseline.is_some() {
        0
    } else {
        opts.max_per_code
    };
    let code = |c: Code| wanted(c, &opts, profile);
    let finding = |d: &Diagnostic, file: &str| not_ignored_in(d, file, &opts, paths);
    let select = crate::validate::Selection {
        code: &code,
        finding: &finding,
    };
    let mut report = match crate::validate::validate_selected(
        paths,
        profile,
        opts.store.as_deref(),
        fold_cap,
        &select,
    ) {
        Ok(r) => r,
        Err(e) => return failure(e.to_string()),
    };
    if report.files == 0 {
        return failure(format!(
            "no ADMX or ADML file in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    promote(&mut report, &opts);
    if let Some(path) = &opts.write_baseline {
        return write_findings_baseline(path, &report, paths);
    }
    let suppressed = match &opts.baseline {
        Some(path) => match suppress_known(path, &mut report, paths) {
            Ok(n) => Some(n),
            Err(e) => return failure(e),
        },
        None => None,
    };
    let mut o = Outcome::default();
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let summary = summary_line(&report, &opts, profile, suppressed, errors, warnings);
    if (errors > 0 || (opts.deny_warnings && warnings > 0)) && !opts.exit_zero {
        o.code = EXIT_FINDINGS;
    }
    o.stderr = format!("{summary}\n");
    // Once printed, the report is not freed: the process exits right after, and freeing its
    // many small allocations (facts, findings) costs about 5% of a run on a whole store (the
    // compiler drivers' habit of exiting without freeing).
    let mut report = std::mem::ManuallyDrop::new(report);
    if opts.statistics {
        o.stdout = statistics(&report.diags, format == DiagFormat::Json);
        return o;
    }
    if opts.quiet {
        report.diags.retain(|d| d.severity == Severity::Error);
    }
    let (shown, left_out) = render::capped_counted(
        std::mem::take(&mut report.diags),
        opts.max_per_code,
        &report.sources,
    );
    report.diags = shown;
    let counts = Counts {
        errors,
        warnings,
        profile,
    };
    stream_report(&mut o, report, format, color, counts, left_out);
    o
}

/// Every code or family named by a selector exists (else the run fails: a typo would silently
/// select nothing).
fn check_selectors(opts: &ValidateOptions) -> Result<(), String> {
    let per_path: Vec<String> = opts
        .config
        .iter()
        .flat_map(|c| &c.config.validate.per_path)
        .flat_map(|p| p.ignore.iter().cloned())
        .collect();
    check_codes(&opts.select)
        .and_then(|()| check_codes(&opts.extend_select))
        .and_then(|()| check_codes(&per_path))
        .and_then(|()| check_codes(&opts.ignore))
        .and_then(|()| check_codes(&opts.as_error))
        .and_then(|()| check_codes(&opts.as_warning))
}

/// The message for the first path that is registry state rather than a template.
fn registry_state_among(paths: &[std::path::PathBuf]) -> Option<String> {
    paths.iter().find_map(|p| {
        let kind = registry_state_kind(p)?;
        Some(format!(
            "{} is registry state ({kind}), not an ADMX or ADML template; check it against a baseline with `gpforge audit --baseline NAME {}`",
            p.display(),
            p.display()
        ))
    })
}

/// Whether the selectors want findings of a code: pedantic rules, and schema-only rules under
/// gpmc, only when --select names them; never what --ignore names.
fn wanted(code: Code, opts: &ValidateOptions, profile: Profile) -> bool {
    let named = names_code(&opts.select, code) || names_code(&opts.extend_select, code);
    (named || (opts.select.is_empty() && crate::validate::checks::on_by_default(code, profile)))
        && !names_code(&opts.ignore, code)
}

/// Whether gpforge.toml's per-path ignores leave a finding (of the file named `file`) in.
fn not_ignored_in(
    d: &Diagnostic,
    file: &str,
    opts: &ValidateOptions,
    paths: &[std::path::PathBuf],
) -> bool {
    let Some(cfg) = opts.config.as_ref().filter(|c| !c.per_path.is_empty()) else {
        return true;
    };
    if d.primary_span().is_none() {
        return true;
    }
    let file = crate::validate::baseline::relative(file, paths);
    let ignored: Vec<String> = cfg.ignored_in(&file).cloned().collect();
    !names_code(&ignored, d.code)
}

/// The kept findings' severities promoted or demoted (--as-error, --as-warning).
fn promote(report: &mut crate::validate::Report, opts: &ValidateOptions) {
    for d in &mut report.diags {
        if names_code(&opts.as_error, d.code) {
            d.severity = Severity::Error;
        } else if names_code(&opts.as_warning, d.code) && d.severity == Severity::Error {
            d.severity = Severity::Warning;
        }
    }
}

/// `--write-baseline FILE`: the findings by fingerprint, and exit 0.
fn write_findings_baseline(
    path: &Path,
    report: &crate::validate::Report,
    paths: &[std::path::PathBuf],
) -> Outcome {
    let b = crate::validate::baseline::of(&report.diags, &report.sources, paths);
    let n: usize = b.findings.iter().map(|e| e.count).sum();
    let mut text = serde_json::to_string_pretty(&b).unwrap_or_default();
    text.push('\n');
    if let Err(e) = write_report(path, text.as_bytes()) {
        return failure(e.to_string());
    }
    Outcome {
        stderr: format!(
            "wrote {n} finding(s) ({} fingerprints) to {}\n",
            b.findings.len(),
            path.display()
        ),
        ..Outcome::default()
    }
}

/// `--baseline FILE`: drops the findings it accepts; how many.
fn suppress_known(
    path: &Path,
    report: &mut crate::validate::Report,
    paths: &[std::path::PathBuf],
) -> Result<usize, String> {
    let b = crate::fsx::read_checked(path, None)
        .map_err(|e| e.to_string())
        .and_then(|b| {
            serde_json::from_slice::<crate::validate::baseline::Baseline>(&b)
                .map_err(|e| format!("{} is no baseline: {e}", path.display()))
        })?;
    Ok(crate::validate::baseline::suppress(
        &mut report.diags,
        &report.sources,
        paths,
        &b,
    ))
}

/// `N file(s), N policies: N error(s), N warning(s) (N ms, profile P)`.
fn summary_line(
    report: &crate::validate::Report,
    opts: &ValidateOptions,
    profile: Profile,
    suppressed: Option<usize>,
    errors: usize,
    warnings: usize,
) -> String {
    let known = suppressed
        .map(|n| format!("; {n} known finding(s) suppressed by the baseline"))
        .unwrap_or_default();
    let config = opts
        .config
        .as_ref()
        .map(|c| format!(", config {}", c.path.display()))
        .unwrap_or_default();
    format!(
        "{} file(s), {} policies: {errors} error(s), {warnings} warning(s){known} ({} ms, profile {}{config})",
        report.files,
        report.policies,
        report.elapsed.as_millis(),
        match profile {
            Profile::Gpmc => "gpmc",
            Profile::Schema => "schema",
            Profile::Intune => "intune",
        }
    )
}

/// What the JSON report's totals say besides the report's own counts.
struct Counts {
    errors: usize,
    warnings: usize,
    profile: Profile,
}

/// The findings as the format wants them, written piece by piece when `main` prints: human
/// and short to stderr, JSON, SARIF and GitHub annotations to stdout.
fn stream_report(
    o: &mut Outcome,
    report: std::mem::ManuallyDrop<crate::validate::Report>,
    format: DiagFormat,
    color: bool,
    counts: Counts,
    left_out: Vec<render::LeftOut>,
) {
    match format {
        DiagFormat::Human | DiagFormat::Short => {
            o.stream = Some(Box::new(move |out: &mut dyn std::io::Write| {
                if format == DiagFormat::Human {
                    render::human_to(out, &report.diags, &report.sources, color)
                } else {
                    render::short_to(out, &report.diags, &report.sources)
                }
            }));
        }
        DiagFormat::Json => {
            let totals = serde_json::json!({
                "files": report.files,
                "policies": report.policies,
                "errors": counts.errors,
                "warnings": counts.warnings,
                "profile": counts.profile,
                "elapsed_ms": report.elapsed.as_millis() as u64,
                // Findings the report does not show (--max-per-code), per file and code.
                "left_out": left_out,
            });
            o.stdout_stream = Some(Box::new(move |out: &mut dyn std::io::Write| {
                render::json_to(out, &report.diags, &report.sources, totals)
            }));
        }
        DiagFormat::Sarif => {
            o.stdout_stream = Some(Box::new(move |out: &mut dyn std::io::Write| {
                render::sarif_to(out, &report.diags, &report.sources, &left_out)
            }));
        }
        DiagFormat::Github => {
            o.stdout_stream = Some(Box::new(move |out: &mut dyn std::io::Write| {
                render::github_to(out, &report.diags, &report.sources)
            }));
        }
    }
}

/// `gpforge validate`: the command line's options, with gpforge.toml's `[validate]` (found
/// from the current folder up when not named) for what they leave open.
pub fn run(args: crate::cli::ValidateArgs, color: bool) -> Outcome {
    let crate::cli::ValidateArgs {
        paths,
        profile,
        format,
        deny_warnings,
        exit_zero,
        max_per_code,
        select,
        extend_select,
        ignore,
        as_error,
        as_warning,
        quiet,
        statistics,
        baseline,
        write_baseline,
        config,
        store,
    } = args;
    let found = config.or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|d| crate::validate::config::find(&d))
    });
    let loaded = match found.map(|p| crate::validate::config::load(&p)).transpose() {
        Ok(l) => l,
        Err(e) => {
            return failure(e.to_string());
        }
    };
    let cfg = loaded.as_ref().map(|l| &l.config.validate);
    let list = |own: Vec<String>,
                from: fn(&crate::validate::config::ValidateConfig) -> &Vec<String>| {
        cfg.map(|c| from(c).clone())
            .unwrap_or_default()
            .into_iter()
            .chain(own)
            .collect::<Vec<_>>()
    };
    let select = if select.is_empty() {
        cfg.map(|c| c.select.clone()).unwrap_or_default()
    } else {
        select
    };
    let baseline = baseline.or_else(|| {
        let l = loaded.as_ref()?;
        write_baseline
            .is_none()
            .then(|| l.config.validate.baseline.as_ref().map(|b| l.resolve(b)))?
    });
    let store = store.or_else(|| {
        let l = loaded.as_ref()?;
        l.config.validate.store.as_ref().map(|s| l.resolve(s))
    });
    let profile = profile.or(cfg.and_then(|c| c.profile)).unwrap_or_default();
    let max_per_code = max_per_code
        .or(cfg.and_then(|c| c.max_per_code))
        .unwrap_or(100);
    validate(
        &paths,
        profile,
        format,
        ValidateOptions {
            deny_warnings,
            exit_zero,
            max_per_code,
            select,
            extend_select,
            ignore: list(ignore, |c| &c.ignore),
            as_error: list(as_error, |c| &c.error),
            as_warning: list(as_warning, |c| &c.warn),
            quiet,
            statistics,
            baseline,
            write_baseline,
            config: loaded,
            store,
        },
        color,
    )
}
