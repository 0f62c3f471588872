//! `gpforge build`: compile the definitions and write the outputs (or `--check` them).

use super::*;
use crate::cli::DiagFormat;
use crate::compile::compile_strict;
use crate::diag::Severity;
use crate::model::PolicySet;
use crate::source::{self};
use std::path::Path;
use std::time::Instant;

/// How `build` runs (its flags).
struct BuildOpts {
    check: bool,
    format: DiagFormat,
    verbose: bool,
    color: bool,
    strict: bool,
    /// `-q`: errors and the summary only.
    quiet: bool,
}

/// `build`: with `--format json|sarif` the report is the data and goes to stdout (a SARIF log
/// even when there is no finding); everything else (the build summary, translation tables,
/// human diagnostics) goes to stderr.
fn build(defs: &Path, out: &Path, opts: &BuildOpts, params: source::Params) -> Outcome {
    let mut report_len = 0;
    let mut o = build_run(defs, out, opts, params, &mut report_len);
    if matches!(
        opts.format,
        DiagFormat::Json | DiagFormat::Sarif | DiagFormat::Github
    ) && report_len > 0
    {
        let rest = o.stderr.split_off(report_len);
        let report = std::mem::replace(&mut o.stderr, std::mem::take(&mut o.stdout));
        o.stderr.push_str(&rest);
        o.stdout = report;
    }
    o
}

/// The `gpforge build` command line that rebuilds `out` from `defs` (the defaults left out).
fn build_command(defs: &Path, out: &Path) -> String {
    let mut c = String::from("gpforge build");
    if defs != Path::new("definitions") {
        c.push_str(&format!(
            " --definitions {}",
            shell_word(&defs.display().to_string())
        ));
    }
    if out != Path::new("output") {
        c.push_str(&format!(
            " --out {}",
            shell_word(&out.display().to_string())
        ));
    }
    c
}

/// A path as one shell word: quoted when it holds anything but plain characters.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn build_run(
    defs: &Path,
    out: &Path,
    opts: &BuildOpts,
    params: source::Params,
    report_len: &mut usize,
) -> Outcome {
    let BuildOpts {
        check,
        format,
        verbose,
        color,
        strict,
        quiet,
    } = *opts;
    let started = Instant::now();
    let mut o = Outcome::default();
    if !defs.is_dir() {
        o.code = EXIT_FAILURE;
        o.stderr = format!(
            "error: definitions folder {} does not exist\n",
            defs.display()
        );
        return o;
    }
    let compiled = match compile_strict(defs, params, strict) {
        Ok(c) => c,
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
            return o;
        }
    };
    let min = if verbose {
        Severity::Note
    } else if quiet {
        Severity::Error
    } else {
        Severity::Warning
    };
    o.stderr = compiled.render_with(format, min, color);
    *report_len = o.stderr.len();
    let errors = compiled.diags.count(Severity::Error);
    let warnings = compiled.diags.count(Severity::Warning);
    if errors > 0 {
        o.code = EXIT_FINDINGS;
        o.stderr.push_str(&format!(
            "error: {errors} error(s), {warnings} warning(s) in {}; nothing was written\n",
            defs.display()
        ));
        return o;
    }
    let mut compiled = compiled;
    // gpt.ini versions continue from the previous build in `out`.
    crate::backend::pol::raise_versions(&mut compiled.artifacts, &|rel| {
        crate::emit::previous(out, rel)
    });
    let set = &compiled.set;
    let what = format!(
        "{} template(s), {} policies, {} registry-only setting(s), {} baseline(s)",
        set.templates.len(),
        set.policy_count(),
        set.registry_only_count(),
        set.baselines.len()
    );
    if check {
        check_output(&mut o, defs, out, &compiled.artifacts, &what);
        return o;
    }
    match crate::emit::write(out, &compiled.artifacts) {
        Ok(r) => {
            written_summary(&mut o, out, &r);
            // Progress, like every command's: stderr (stdout carries only reports).
            if !quiet {
                o.stderr += &completeness(set);
            }
            o.stderr += &format!(
                "built {what}: {} written, {} unchanged, {} removed in {} ({} ms)\n",
                r.written.len(),
                r.unchanged,
                r.removed.len(),
                out.display(),
                started.elapsed().as_millis()
            );
        }
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr
                .push_str(&format!("error: cannot write {}: {e}\n", out.display()));
        }
    }
    o
}

/// `--check`: whether `out` holds exactly what a build would write.
fn check_output(o: &mut Outcome, defs: &Path, out: &Path, artifacts: &[Artifact], what: &str) {
    let stale = crate::emit::check(out, artifacts);
    if stale.is_empty() {
        o.stderr = format!(
            "{} is up to date ({what}; {} files)\n",
            out.display(),
            artifacts.len()
        );
        return;
    }
    o.code = EXIT_FINDINGS;
    for s in &stale {
        o.stderr.push_str(&format!("stale: {s}\n"));
    }
    o.stderr.push_str(&format!(
        "error: {} is stale ({} file(s)); run `{}`\n",
        out.display(),
        stale.len(),
        build_command(defs, out)
    ));
}

/// What the write recovered from an earlier interrupted build, and the files it kept.
fn written_summary(o: &mut Outcome, out: &Path, r: &crate::emit::EmitReport) {
    for what in &r.recovered {
        let (level, what) = match what.strip_prefix("warning: ") {
            Some(w) => ("warning", w),
            None => ("note", what.as_str()),
        };
        o.stderr
            .push_str(&format!("{level}: {}: {what}\n", out.display()));
    }
    for p in &r.kept {
        o.stderr.push_str(&format!(
            "warning: {} is no longer produced but was kept: its path runs through a symbolic link\n",
            out.join(p).display()
        ));
    }
}

/// Per template with translations: a table of how complete each culture is.
pub fn completeness(set: &PolicySet) -> String {
    let mut s = String::new();
    for t in set.templates.iter().filter(|t| t.strings.len() > 1) {
        let source = t.source_strings();
        let total = source.entries.len();
        s.push_str(&format!(
            "translations of {}: {total} strings\n  culture  translated  missing (en-US used)  same as en-US\n",
            t.file_name
        ));
        for table in &t.strings[1..] {
            // Counted over the en-US ids only: a culture may also hold strings en-US lacks
            // (kept, D048), which are neither translations nor missing.
            let translated = table
                .entries
                .iter()
                .filter(|(id, _)| source.get(id).is_some())
                .count();
            let own = table.entries.len() - translated;
            let same = table
                .entries
                .iter()
                .filter(|(id, text)| source.get(id) == Some(text.as_str()))
                .count();
            s.push_str(&format!(
                "  {:<7}  {:>10}  {:>20}  {:>13}{}\n",
                table.culture,
                format!("{translated}/{total}"),
                total.saturating_sub(translated),
                same,
                if own > 0 {
                    format!("  (+{own} string(s) only this culture has)")
                } else {
                    String::new()
                }
            ));
        }
    }
    s
}

/// `gpforge build`: the command line's options, else `[build]` of gpforge.toml.
pub fn run(args: crate::cli::BuildArgs, color: bool) -> Outcome {
    let crate::cli::BuildArgs {
        definitions,
        out,
        quiet,
        config,
        check,
        format,
        verbose,
        set,
        params,
        strict,
    } = args;
    let loaded = match load_config(config) {
        Ok(l) => l,
        Err(e) => return failure(e),
    };
    let cfg = loaded.as_ref().map(|l| (&l.config.build, l));
    let definitions =
        path_setting(definitions, cfg, |c| &c.definitions).unwrap_or_else(|| "definitions".into());
    let out = path_setting(out, cfg, |c| &c.out).unwrap_or_else(|| "output".into());
    let params = path_list(cfg, |c| &c.params, params);
    let strict = strict || cfg.and_then(|(c, _)| c.strict).unwrap_or(false);
    let quiet = quiet || cfg.and_then(|(c, _)| c.quiet).unwrap_or(false);
    let params = match source::read_params(&params, &set) {
        Ok(p) => p,
        Err(e) => {
            return failure(e.to_string());
        }
    };
    let opts = BuildOpts {
        check,
        format,
        verbose,
        color,
        strict,
        quiet,
    };
    let mut o = build(&definitions, &out, &opts, params);
    if let Some(l) = &loaded {
        o.stderr
            .push_str(&format!("(config {})\n", l.path.display()));
    }
    o
}
