//! Runs each command: load → lower → check → render → emit. No format logic here.
//! Returns text and an exit code; `main` prints them.

use crate::backend::{self, Artifact, RenderCtx};
use crate::cli::{Cli, Command, DiagFormat};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity, render};
use crate::model::{PolicySet, lower::lower};
use crate::source::{self, SourceMap};
use crate::validate::Profile;
use crate::validate::config::Loaded;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Human diagnostics written straight to stderr (or into `--output FILE`), piece by piece, so a
/// long report is never held whole.
pub type Stream = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>>;

/// What a command produced. `main` writes `stream` (if any) to stderr, then `stdout_stream`
/// and `stdout` to stdout, then `stderr`; with `--output FILE`, `stream`, `stdout_stream` and
/// `stdout` go to the file.
#[derive(Default)]
pub struct Outcome {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
    pub stream: Option<Stream>,
    /// A report written straight to stdout piece by piece (JSON, SARIF), never held whole.
    pub stdout_stream: Option<Stream>,
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outcome")
            .field("code", &self.code)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .field("stream", &self.stream.is_some())
            .finish()
    }
}

/// Exit codes (DESIGN.md §1).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

/// The result of compiling a definitions folder in memory.
pub struct Compiled {
    pub sources: SourceMap,
    pub diags: Diagnostics,
    pub set: PolicySet,
    /// Empty when `diags` has errors.
    pub artifacts: Vec<Artifact>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diags.has_errors()
    }
    /// Diagnostics of at least `min` severity, rendered without colour.
    pub fn render(&self, format: DiagFormat, min: Severity) -> String {
        self.render_with(format, min, false)
    }

    /// Diagnostics of at least `min` severity; `color` adds ANSI escapes to the human form.
    pub fn render_with(&self, format: DiagFormat, min: Severity, color: bool) -> String {
        let ds: Vec<Diagnostic> = self
            .diags
            .iter()
            .filter(|d| d.severity <= min)
            .cloned()
            .collect();
        match format {
            DiagFormat::Human => render::human(&ds, &self.sources, color),
            DiagFormat::Short => render::short(&ds, &self.sources),
            DiagFormat::Json => pretty(&render::json(&ds, &self.sources)),
            DiagFormat::Sarif => pretty(&render::sarif(&ds, &self.sources)),
            DiagFormat::Github => {
                let mut out = Vec::new();
                let _ = render::github_to(&mut out, &ds, &self.sources);
                String::from_utf8_lossy(&out).into_owned()
            }
        }
    }
}

/// Load, lower, check and render a definitions folder. Errors only for I/O failures.
pub fn compile_dir(dir: &Path) -> Result<Compiled, source::LoadError> {
    compile_with_baselines(dir, &[])
}

/// [`compile_dir`] with baseline parameter values (errors also for values that name no
/// baseline or parameter).
pub fn compile_with_params(
    dir: &Path,
    params: source::Params,
) -> Result<Compiled, source::LoadError> {
    compile_strict(dir, params, false)
}

/// [`compile_with_params`]; `strict`: what the editor loads but the XSD refuses is an error
/// (`build --strict`).
pub fn compile_strict(
    dir: &Path,
    params: source::Params,
    strict: bool,
) -> Result<Compiled, source::LoadError> {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let mut defs = source::load_dir(dir, &mut sources, &mut diags)?;
    defs.params = params;
    defs.strict = strict;
    source::check_params(&defs)?;
    Ok(finish(defs, sources, diags))
}

/// Like [`compile_dir`], with extra baseline files read from `baselines` (paths as given), as if
/// they were in `<dir>/baselines/`.
pub fn compile_with_baselines(
    dir: &Path,
    baselines: &[&Path],
) -> Result<Compiled, source::LoadError> {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let mut defs = source::load_dir(dir, &mut sources, &mut diags)?;
    for p in baselines {
        let text =
            std::fs::read_to_string(p).map_err(|e| source::LoadError::Io(p.to_path_buf(), e))?;
        let name = p
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = p.to_string_lossy().replace('\\', "/");
        defs.baselines.extend(source::parse_baseline(
            &name,
            path,
            text,
            &mut sources,
            &mut diags,
        ));
    }
    Ok(finish(defs, sources, diags))
}

/// Compile one template given as (file name, text) pairs, the first being `template.toml`.
pub fn compile_files(folder: &str, files: Vec<(String, String)>) -> Compiled {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let t = source::parse_template(folder, files, &mut sources, &mut diags);
    let defs = source::Definitions {
        templates: vec![t],
        ..Default::default()
    };
    finish(defs, sources, diags)
}

fn finish(defs: source::Definitions, mut sources: SourceMap, mut diags: Diagnostics) -> Compiled {
    let set = lower(&defs, &sources, &mut diags);
    let mut artifacts = Vec::new();
    if !diags.has_errors() {
        match backend::render_all(&set, &RenderCtx::default(), &mut diags) {
            Ok(a) => {
                self_check(&set, &a, &mut sources, &mut diags);
                if !diags.has_errors() {
                    artifacts = a;
                }
            }
            Err(e) => diags.push(Diagnostic::new(
                Code::D022,
                format!("rendering failed: {e}"),
            )),
        }
    }
    diags.sort();
    Compiled {
        sources,
        diags,
        set,
        artifacts,
    }
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
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

/// Runs the validator (profile gpmc; Intune limits are the B00x checks) over the generated
/// `PolicyDefinitions/` store; anything it reports is a gpforge bug, reported as B006 so nothing
/// is written.
/// Validator warnings that restate a tolerated definitions code (same construct, seen in the
/// generated file).
const RESTATED: &[(Code, &[Code])] = &[
    (Code::D042, &[Code::V021, Code::V025]),
    (Code::D043, &[Code::V062]),
    (
        Code::D044,
        &[Code::V025, Code::V031, Code::V032, Code::V033],
    ),
    (Code::D046, &[Code::V050]),
    (Code::D013, &[Code::V052]),
    (Code::D015, &[Code::V046]),
    (Code::D047, &[Code::V056]),
    (Code::D049, &[Code::V024]),
    (Code::D010, &[Code::V050]),
    (Code::D016, &[Code::V054]),
    (Code::D052, &[Code::V051]),
    (Code::D053, &[Code::V023]),
    (Code::D054, &[Code::V045]),
    (Code::D055, &[Code::V058]),
    (Code::D050, &[Code::V030]),
];

/// The validator's findings for the ids a culture leaves missing on purpose (D057).
fn kept_missing(set: &crate::model::PolicySet) -> Vec<String> {
    let mut out = Vec::new();
    for t in &set.templates {
        for table in &t.strings {
            let adml = format!("{}/{}.adml", table.culture, t.file_name);
            for id in &table.missing {
                out.push(format!("`$(string.{id})` is not in {adml}"));
            }
            for id in &table.missing_presentations {
                out.push(format!("`$(presentation.{id})` is not in {adml}"));
            }
        }
    }
    out
}

fn self_check(
    set: &crate::model::PolicySet,
    artifacts: &[Artifact],
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) {
    let kept_missing = kept_missing(set);
    let store: Vec<(String, Vec<u8>)> = artifacts
        .iter()
        .filter_map(|a| {
            let rel = a.path.strip_prefix("PolicyDefinitions").ok()?;
            Some((rel.to_string_lossy().replace('\\', "/"), a.bytes.clone()))
        })
        .collect();
    if store.is_empty() {
        return;
    }
    match crate::validate::validate_memory(&store, Profile::Gpmc) {
        Ok(report) => {
            // Generated files a finding points into join the source map, so the finding shows
            // the generated line.
            let mut added: std::collections::HashMap<usize, usize> = Default::default();
            // The central store provides the namespaces a template uses (Windows.admx for
            // `windows:`); the generated files alone cannot.
            // A tolerated construct reported in the definitions (D042 for a name with `-`) is
            // not reported again for every place the generated files carry it.
            let restated: Vec<Code> = RESTATED
                .iter()
                .filter(|(d, _)| diags.iter().any(|x| x.code == *d))
                .flat_map(|(_, v)| v.iter().copied())
                .collect();
            for d in report.diags.iter().filter(|d| {
                d.code != Code::V072
                    && !(d.severity != Severity::Error && restated.contains(&d.code))
                    && !(matches!(d.code, Code::V060 | Code::V061)
                        && kept_missing.contains(&d.message))
            }) {
                let code = if d.severity == Severity::Error {
                    Code::B006
                } else {
                    Code::B008
                };
                let mut out = Diagnostic::new(
                    code,
                    format!(
                        "generated template: {}[{}] {}",
                        d.severity.as_str(),
                        d.code,
                        d.message
                    ),
                );
                for l in &d.labels {
                    let file = *added.entry(l.span.file).or_insert_with(|| {
                        sources.add(
                            format!(
                                "PolicyDefinitions/{} (generated)",
                                report.sources.name(l.span.file)
                            ),
                            report.sources.text(l.span.file).to_string(),
                        )
                    });
                    out.labels.push(crate::diag::Label {
                        span: crate::diag::Span {
                            file,
                            range: l.span.range.clone(),
                        },
                        message: l.message.clone(),
                        primary: l.primary,
                    });
                }
                diags.push(out);
            }
        }
        Err(e) => diags.push(Diagnostic::new(Code::B006, e.to_string())),
    }
}

pub fn run(cli: Cli, color: bool) -> Outcome {
    match cli.command {
        Command::Build {
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
        } => {
            let loaded = match load_config(config) {
                Ok(l) => l,
                Err(e) => return failure(e),
            };
            let cfg = loaded.as_ref().map(|l| (&l.config.build, l));
            let definitions = path_setting(definitions, cfg, |c| &c.definitions)
                .unwrap_or_else(|| "definitions".into());
            let out = path_setting(out, cfg, |c| &c.out).unwrap_or_else(|| "output".into());
            let params = path_list(cfg, |c| &c.params, params);
            let strict = strict || cfg.and_then(|(c, _)| c.strict).unwrap_or(false);
            let quiet = quiet || cfg.and_then(|(c, _)| c.quiet).unwrap_or(false);
            let params = match source::read_params(&params, &set) {
                Ok(p) => p,
                Err(e) => {
                    return Outcome {
                        code: EXIT_FAILURE,
                        stderr: format!("error: {e}\n"),
                        ..Outcome::default()
                    };
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
        Command::Validate {
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
        } => {
            let found = config.or_else(|| {
                std::env::current_dir()
                    .ok()
                    .and_then(|d| crate::validate::config::find(&d))
            });
            let loaded = match found.map(|p| crate::validate::config::load(&p)).transpose() {
                Ok(l) => l,
                Err(e) => {
                    return Outcome {
                        code: EXIT_FAILURE,
                        stderr: format!("error: {e}\n"),
                        ..Outcome::default()
                    };
                }
            };
            let cfg = loaded.as_ref().map(|l| &l.config.validate);
            let list = |own: Vec<String>, from: fn(&crate::validate::config::ValidateConfig) -> &Vec<String>| {
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
        Command::Diff {
            old,
            new,
            format,
            fail_on,
            registry_only,
            policies,
        } => diff(&old, &new, format, fail_on, registry_only, &policies),
        Command::Import {
            admx,
            states,
            name,
            out,
            force,
            format,
        } => match (admx, name) {
            (Some(admx), _) => import(&admx, &out, force, format, color),
            (None, Some(name)) => import_states(&states, &name, &out, force),
            (None, None) => Outcome {
                code: EXIT_FAILURE,
                stderr: "error: give an ADMX file, or --states SOURCE… --name NAME\n".into(),
                ..Outcome::default()
            },
        },
        Command::Explain { code, format } => explain(code.as_deref(), format),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "gpforge", &mut buf);
            Outcome {
                stdout: String::from_utf8_lossy(&buf).into_owned(),
                ..Outcome::default()
            }
        }
        Command::Man { out: Some(dir) } => man_pages(&dir),
        Command::Man { out: None } => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            match clap_mangen::Man::new(cmd).render(&mut buf) {
                Ok(()) => Outcome {
                    stdout: String::from_utf8_lossy(&buf).into_owned(),
                    ..Outcome::default()
                },
                Err(e) => Outcome {
                    code: EXIT_FAILURE,
                    stderr: format!("error: {e}\n"),
                    ..Outcome::default()
                },
            }
        }
        Command::Audit {
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
        } => {
            let loaded = match load_config(config) {
                Ok(l) => l,
                Err(e) => return failure(e),
            };
            let cfg = loaded.as_ref().map(|l| (&l.config.audit, l));
            let Some(baseline) = baseline.or_else(|| cfg.and_then(|(c, _)| c.baseline.clone()))
            else {
                return failure(
                    "name the baseline: --baseline NAME (or `baseline` in gpforge.toml's [audit])"
                        .into(),
                );
            };
            let definitions = path_setting(definitions, cfg, |c| &c.definitions)
                .unwrap_or_else(|| "definitions".into());
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
    }
}

/// Every manual page (the command and each subcommand, as `clap_mangen` names them) written into
/// `dir` through the path-safety writer.
/// A path option: the command line's, else the settings file's `field` (relative to that file).
fn path_setting<C>(
    cli: Option<PathBuf>,
    cfg: Option<(&C, &Loaded)>,
    field: fn(&C) -> &Option<PathBuf>,
) -> Option<PathBuf> {
    cli.or_else(|| cfg.and_then(|(c, l)| field(c).as_ref().map(|p| l.resolve(p))))
}

/// A repeatable path option: the settings file's `field` (relative to that file), then the
/// command line's.
fn path_list<C>(
    cfg: Option<(&C, &Loaded)>,
    field: fn(&C) -> &Vec<PathBuf>,
    cli: Vec<PathBuf>,
) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = cfg.map_or_else(Vec::new, |(c, l)| {
        field(c).iter().map(|p| l.resolve(p)).collect()
    });
    v.extend(cli);
    v
}

fn man_pages(dir: &Path) -> Outcome {
    fn pages(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            pages(sub, out)?;
        }
        let man = clap_mangen::Man::new(cmd);
        let mut buf = Vec::new();
        man.render(&mut buf)?;
        out.push((man.get_filename(), buf));
        Ok(())
    }
    let mut cmd = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    cmd.build();
    let mut all = Vec::new();
    let mut o = Outcome::default();
    let written = pages(cmd, &mut all).and_then(|()| {
        all.iter()
            .map(|(name, bytes)| crate::emit::put_file(dir, Path::new(name), bytes))
            .collect::<std::io::Result<Vec<_>>>()
    });
    match written {
        Ok(paths) => {
            o.stderr = format!(
                "wrote {} manual page(s) into {}\n",
                paths.len(),
                dir.display()
            );
        }
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
        }
    }
    o
}

/// A failure outcome (exit 2) with its message.
fn failure(message: String) -> Outcome {
    Outcome {
        code: EXIT_FAILURE,
        stderr: format!("error: {message}\n"),
        ..Outcome::default()
    }
}

/// gpforge.toml: the file named, else the one found from the current folder up to the
/// repository root, else none.
fn load_config(
    named: Option<std::path::PathBuf>,
) -> Result<Option<crate::validate::config::Loaded>, String> {
    named
        .or_else(|| {
            std::env::current_dir()
                .ok()
                .and_then(|d| crate::validate::config::find(&d))
        })
        .map(|p| crate::validate::config::load(&p))
        .transpose()
}

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
        let stale = crate::emit::check(out, &compiled.artifacts);
        if stale.is_empty() {
            o.stderr = format!(
                "{} is up to date ({what}; {} files)\n",
                out.display(),
                compiled.artifacts.len()
            );
        } else {
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
        return o;
    }
    match crate::emit::write(out, &compiled.artifacts) {
        Ok(r) => {
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
    let mut o = Outcome::default();
    let per_path: Vec<String> = opts
        .config
        .iter()
        .flat_map(|c| &c.config.validate.per_path)
        .flat_map(|p| p.ignore.iter().cloned())
        .collect();
    if let Err(e) = check_codes(&opts.select)
        .and_then(|()| check_codes(&opts.extend_select))
        .and_then(|()| check_codes(&per_path))
        .and_then(|()| check_codes(&opts.ignore))
        .and_then(|()| check_codes(&opts.as_error))
        .and_then(|()| check_codes(&opts.as_warning))
    {
        o.code = EXIT_FAILURE;
        o.stderr = format!("error: {e}\n");
        return o;
    }
    // Findings beyond what the report shows are only counted (bounded memory), unless every one
    // is needed: --statistics and the baseline files name each finding.
    let fold_cap = if opts.statistics || opts.baseline.is_some() || opts.write_baseline.is_some() {
        0
    } else {
        opts.max_per_code
    };
    // Registry state named on the command line is audit's input, not a template.
    for p in paths {
        if let Some(kind) = registry_state_kind(p) {
            o.code = EXIT_FAILURE;
            o.stderr = format!(
                "error: {} is registry state ({kind}), not an ADMX or ADML template; check it against a baseline with `gpforge audit --baseline NAME {}`\n",
                p.display(),
                p.display()
            );
            return o;
        }
    }
    let mut report =
        match crate::validate::validate_capped(paths, profile, opts.store.as_deref(), fold_cap) {
            Ok(r) => r,
            Err(e) => {
                o.code = EXIT_FAILURE;
                o.stderr = format!("error: {e}\n");
                return o;
            }
        };
    if report.files == 0 {
        o.code = EXIT_FAILURE;
        o.stderr = format!(
            "error: no ADMX or ADML file in {}\n",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return o;
    }
    // Pedantic rules, and schema-only rules under gpmc, only when --select names them.
    report.diags.retain(|d| {
        let selected = names_code(&opts.select, d.code) || names_code(&opts.extend_select, d.code);
        (selected
            || (opts.select.is_empty() && crate::validate::checks::on_by_default(d.code, profile)))
            && !names_code(&opts.ignore, d.code)
    });
    if let Some(cfg) = opts.config.as_ref().filter(|c| !c.per_path.is_empty()) {
        let sources = &report.sources;
        report.diags.retain(|d| {
            let Some(span) = d.primary_span() else {
                return true;
            };
            let file = crate::validate::baseline::relative(&sources.name(span.file), paths);
            let ignored: Vec<String> = cfg.ignored_in(&file).cloned().collect();
            !names_code(&ignored, d.code)
        });
    }
    for d in &mut report.diags {
        if names_code(&opts.as_error, d.code) {
            d.severity = Severity::Error;
        } else if names_code(&opts.as_warning, d.code) && d.severity == Severity::Error {
            d.severity = Severity::Warning;
        }
    }
    if let Some(path) = &opts.write_baseline {
        let b = crate::validate::baseline::of(&report.diags, &report.sources, paths);
        let n: usize = b.findings.iter().map(|e| e.count).sum();
        let mut text = serde_json::to_string_pretty(&b).unwrap_or_default();
        text.push('\n');
        if let Err(e) = write_report(path, text.as_bytes()) {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
            return o;
        }
        o.stderr = format!(
            "wrote {n} finding(s) ({} fingerprints) to {}\n",
            b.findings.len(),
            path.display()
        );
        return o;
    }
    let mut suppressed = None;
    if let Some(path) = &opts.baseline {
        let read = crate::fsx::read_checked(path, None)
            .map_err(|e| e.to_string())
            .and_then(|b| {
                serde_json::from_slice::<crate::validate::baseline::Baseline>(&b)
                    .map_err(|e| format!("{} is no baseline: {e}", path.display()))
            });
        match read {
            Ok(b) => {
                suppressed = Some(crate::validate::baseline::suppress(
                    &mut report.diags,
                    &report.sources,
                    paths,
                    &b,
                ))
            }
            Err(e) => {
                o.code = EXIT_FAILURE;
                o.stderr = format!("error: {e}\n");
                return o;
            }
        }
    }
    let (deny_warnings, max_per_code) = (opts.deny_warnings, opts.max_per_code);
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let known = suppressed
        .map(|n| format!("; {n} known finding(s) suppressed by the baseline"))
        .unwrap_or_default();
    let config = opts
        .config
        .as_ref()
        .map(|c| format!(", config {}", c.path.display()))
        .unwrap_or_default();
    let summary = format!(
        "{} file(s), {} policies: {errors} error(s), {warnings} warning(s){known} ({} ms, profile {}{config})",
        report.files,
        report.policies,
        report.elapsed.as_millis(),
        match profile {
            Profile::Gpmc => "gpmc",
            Profile::Schema => "schema",
            Profile::Intune => "intune",
        }
    );
    if (errors > 0 || (deny_warnings && warnings > 0)) && !opts.exit_zero {
        o.code = EXIT_FINDINGS;
    }
    // Once printed, the report is not freed: the process exits right after, and freeing its
    // many small allocations (facts, findings) costs about 5% of a run on a whole store (the
    // compiler drivers' habit of exiting without freeing).
    let mut report = std::mem::ManuallyDrop::new(report);
    if opts.statistics {
        o.stdout = statistics(&report.diags, format == DiagFormat::Json);
        o.stderr = format!("{summary}\n");
        return o;
    }
    if opts.quiet {
        report.diags.retain(|d| d.severity == Severity::Error);
    }
    let (shown, left_out) = render::capped_counted(
        std::mem::take(&mut report.diags),
        max_per_code,
        &report.sources,
    );
    report.diags = shown;
    match format {
        DiagFormat::Human | DiagFormat::Short => {
            o.stream = Some(Box::new(move |out: &mut dyn std::io::Write| {
                if format == DiagFormat::Human {
                    render::human_to(out, &report.diags, &report.sources, color)
                } else {
                    render::short_to(out, &report.diags, &report.sources)
                }
            }));
            o.stderr = format!("{summary}\n");
            return o;
        }
        DiagFormat::Json => {
            let totals = serde_json::json!({
                "files": report.files,
                "policies": report.policies,
                "errors": errors,
                "warnings": warnings,
                "profile": profile,
                "elapsed_ms": report.elapsed.as_millis() as u64,
                // Findings the report does not show (--max-per-code), per file and code.
                "left_out": left_out,
            });
            o.stdout_stream = Some(Box::new(move |out: &mut dyn std::io::Write| {
                render::json_to(out, &report.diags, &report.sources, totals)
            }));
            o.stderr = format!("{summary}\n");
        }
        DiagFormat::Sarif => {
            o.stdout_stream = Some(Box::new(move |out: &mut dyn std::io::Write| {
                render::sarif_to(out, &report.diags, &report.sources, &left_out)
            }));
            o.stderr = format!("{summary}\n");
        }
        DiagFormat::Github => {
            o.stdout_stream = Some(Box::new(move |out: &mut dyn std::io::Write| {
                render::github_to(out, &report.diags, &report.sources)
            }));
            o.stderr = format!("{summary}\n");
        }
    }
    o
}

fn diff(
    old: &Path,
    new: &Path,
    format: crate::cli::DiffFormat,
    fail_on: crate::cli::FailOn,
    registry_only: bool,
    policies: &[String],
) -> Outcome {
    let mut o = Outcome::default();
    let report = match crate::diff::diff_paths(old, new) {
        Ok(r) => r.only(|c| {
            (!registry_only || crate::diff::alters_registry(c))
                && (policies.is_empty() || crate::diff::about_policies(c, policies))
        }),
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
            return o;
        }
    };
    o.stdout = match format {
        crate::cli::DiffFormat::Markdown => crate::diff::markdown(&report),
        crate::cli::DiffFormat::Json => pretty(&serde_json::to_value(&report).unwrap_or_default()),
    };
    let fails = match fail_on {
        crate::cli::FailOn::Any => !report.equal,
        crate::cli::FailOn::Breaking => report.breaking > 0,
    };
    if fails {
        o.code = EXIT_FINDINGS;
    }
    o
}

/// Imports an ADMX in memory and compiles the result: the definitions, the import's own
/// diagnostics and the compiled template (when the import could read its input).
pub fn import_compiled(
    admx: &Path,
) -> Result<(Option<crate::import::Imported>, Compiled), std::io::Error> {
    Ok(import_input(crate::import::read_input(admx)?))
}

/// [`import_compiled`] of files already read.
pub fn import_input(input: crate::import::Input) -> (Option<crate::import::Imported>, Compiled) {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let imported = crate::import::import(input, &mut sources, &mut diags);
    let mut compiled = match &imported {
        Some(i) => compile_files(&i.folder, i.files.clone()),
        None => Compiled {
            sources: SourceMap::new(),
            diags: Diagnostics::new(),
            set: PolicySet::default(),
            artifacts: Vec::new(),
        },
    };
    diags.sort();
    // Import findings first (they point into the ADMX/ADML), then the compile check's.
    let offset = sources.len();
    for (name, text) in compiled.sources.drain() {
        sources.add(name, text);
    }
    for mut d in compiled.diags.iter().cloned() {
        d.shift_files(offset);
        diags.push(d);
    }
    compiled.sources = sources;
    compiled.diags = diags;
    (imported, compiled)
}

fn import(admx: &Path, out: &Path, force: bool, format: DiagFormat, color: bool) -> Outcome {
    let started = Instant::now();
    let mut o = Outcome::default();
    let (imported, compiled) = match import_compiled(admx) {
        Ok(r) => r,
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: cannot read {}: {e}\n", admx.display());
            return o;
        }
    };
    // A JSON or SARIF report is the data (stdout); human diagnostics and the summary go to
    // stderr.
    let report = compiled.render_with(format, Severity::Warning, color);
    if matches!(
        format,
        DiagFormat::Json | DiagFormat::Sarif | DiagFormat::Github
    ) {
        o.stdout = report;
    } else {
        o.stderr = report;
    }
    let Some(imported) = imported else {
        o.code = EXIT_FAILURE;
        return o;
    };
    match crate::import::write(out, &imported, force) {
        Ok(dir) => {
            let findings = compiled
                .diags
                .iter()
                .filter(|d| d.code.as_str().starts_with('I'))
                .count();
            let build_errors = compiled
                .diags
                .iter()
                .any(|d| d.severity == Severity::Error && !d.code.as_str().starts_with('I'));
            let build_warnings = compiled
                .diags
                .iter()
                .filter(|d| d.severity == Severity::Warning && !d.code.as_str().starts_with('I'))
                .count();
            o.stderr += &format!(
                "imported {} policies ({}) into {} in {} ms; {} import finding(s) (I-codes), {} build warning(s); {}\n",
                imported.policies,
                imported.cultures.join(", "),
                dir.display(),
                started.elapsed().as_millis(),
                findings,
                build_warnings,
                if build_errors {
                    "it does not build: see the errors above"
                } else {
                    "it builds"
                }
            );
            if build_errors {
                o.code = EXIT_FINDINGS;
            }
        }
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr.push_str(&format!("error: {e}\n"));
        }
    }
    o
}

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

/// The baseline TOML of registry state read from `sources`, mapped onto the template of
/// `defs` that explains most of it.
pub fn states_baseline(
    sources: &[std::path::PathBuf],
    name: &str,
    defs: &Path,
) -> Result<String, String> {
    let compiled = compile_dir(defs).map_err(|e| e.to_string())?;
    if compiled.has_errors() {
        return Err(format!(
            "the definitions in {} have errors; run `gpforge build` for details",
            defs.display()
        ));
    }
    let mut snap = crate::state::Snapshot::new();
    for s in sources {
        snap.apply(&crate::state::read_path(s).map_err(|e| e.to_string())?);
    }
    let t = compiled
        .set
        .templates
        .iter()
        .max_by_key(|t| crate::audit::reverse::map(t, &snap).explained.len())
        .ok_or_else(|| format!("no template in {}", defs.display()))?;
    let names: Vec<String> = sources.iter().map(|p| p.display().to_string()).collect();
    Ok(crate::import::states::baseline_toml(t, &snap, name, &names))
}

fn import_states(sources: &[std::path::PathBuf], name: &str, out: &Path, force: bool) -> Outcome {
    let mut o = Outcome::default();
    let fail = |m: String| Outcome {
        code: EXIT_FAILURE,
        stderr: format!("error: {m}\n"),
        ..Outcome::default()
    };
    if let Some(why) = crate::model::id::file_name_problem(name) {
        return fail(format!("baseline name {name:?} is not usable: it {why}"));
    }
    let text = match states_baseline(sources, name, out) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let dir = out.join("baselines");
    let target = dir.join(format!("{name}.toml"));
    if target.exists() && !force {
        return fail(format!(
            "{} already exists (use --force to replace it)",
            target.display()
        ));
    }
    let art = Artifact {
        path: format!("{name}.toml").into(),
        bytes: text.into_bytes(),
    };
    let rel = Path::new("baselines").join(&art.path);
    if let Err(e) = std::fs::create_dir_all(out)
        .map_err(|e| crate::emit::io_at(out, e))
        .and_then(|()| crate::emit::put_file(out, &rel, &art.bytes))
    {
        return fail(e.to_string());
    }
    o.stderr = format!("wrote {}\n", target.display());
    o
}

/// `--output FILE` for a report written piece by piece: into a temporary file beside FILE,
/// renamed over it once whole (never through a link); on an error the temporary file goes.
pub fn write_report_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is a symbolic link", path.display()),
        ));
    }
    let tmp = dir.join(format!(
        ".{}.{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut w = std::io::BufWriter::new(f);
        write(&mut w)?;
        std::io::Write::flush(&mut w)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| crate::emit::io_at(path, e))
}

/// Writes one file atomically (a temporary file beside it, then a rename), never through a link.
/// `--output FILE`: the report, written whole beside FILE and renamed over it.
pub fn write_report(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    write_one(
        dir,
        &Artifact {
            path: std::path::PathBuf::from(name),
            bytes: bytes.to_vec(),
        },
    )
}

fn write_one(dir: &Path, a: &Artifact) -> std::io::Result<()> {
    let target = dir.join(&a.path);
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is a symbolic link", target.display()),
        ));
    }
    let tmp = dir.join(format!(".{}.{}", a.path.display(), std::process::id()));
    std::fs::write(&tmp, &a.bytes).map_err(|e| crate::emit::io_at(&tmp, e))?;
    std::fs::rename(&tmp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        crate::emit::io_at(&target, e)
    })
}

/// Markdown of the codes' documentation as plain terminal text: `**What:**` → `What:`,
/// `` `x` `` → `x`.
fn terminal_text(md: &str) -> String {
    md.replace("**", "").replace('`', "")
}

/// A part of a code's documentation (`What`, `Why`, `Example`), as written.
fn doc_part(doc: &str, name: &str) -> String {
    let tag = format!("**{name}:**");
    let Some(i) = doc.find(&tag) else {
        return String::new();
    };
    let rest = &doc[i + tag.len()..];
    let end = ["**What:**", "**Why:**", "**Example:**"]
        .iter()
        .filter_map(|t| rest.find(t))
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim().to_string()
}

fn explain(code: Option<&str>, format: crate::cli::ExplainFormat) -> Outcome {
    use crate::cli::ExplainFormat;
    if format == ExplainFormat::Json {
        let view = |c: Code| {
            let v = CodeView::of(c);
            serde_json::json!({
                "code": v.code,
                "title": v.title,
                "severity": v.severity,
                "what": doc_part(&v.doc, "What"),
                "why": doc_part(&v.doc, "Why"),
                "example": doc_part(&v.doc, "Example"),
                "markdown": v.doc,
            })
        };
        return match code {
            Some(c) => match Code::parse(c) {
                Some(code) => Outcome {
                    stdout: pretty(&view(code)),
                    ..Outcome::default()
                },
                None => Outcome {
                    code: EXIT_FAILURE,
                    stderr: format!("error: unknown code `{c}`; `gpforge explain` lists them\n"),
                    ..Outcome::default()
                },
            },
            None => Outcome {
                stdout: pretty(&serde_json::Value::Array(
                    Code::ALL.iter().map(|c| view(*c)).collect(),
                )),
                ..Outcome::default()
            },
        };
    }
    let mut o = explain_markdown(code);
    if format == ExplainFormat::Human {
        o.stdout = terminal_text(&o.stdout);
    }
    o
}

fn explain_markdown(code: Option<&str>) -> Outcome {
    let mut hb = handlebars::Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    let mut o = Outcome::default();
    let result = match code {
        Some(c) => match Code::parse(c) {
            Some(code) => hb.render_template(
                include_str!("../templates/explain/code.txt.hbs"),
                &CodeView::of(code),
            ),
            None => {
                o.code = EXIT_FAILURE;
                o.stderr = format!("error: unknown code `{c}`; `gpforge explain` lists them\n");
                return o;
            }
        },
        None => hb.render_template(
            include_str!("../templates/explain/list.txt.hbs"),
            &ListView {
                codes: Code::ALL.iter().map(|c| CodeView::of(*c)).collect(),
            },
        ),
    };
    match result {
        Ok(text) => o.stdout = text,
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
        }
    }
    o
}

#[derive(serde::Serialize)]
struct CodeView {
    code: &'static str,
    title: &'static str,
    severity: &'static str,
    doc: String,
}

impl CodeView {
    fn of(c: Code) -> Self {
        CodeView {
            code: c.as_str(),
            title: c.title(),
            severity: if Code::TOLERATED.contains(&c) {
                "warning; error under --strict"
            } else if crate::validate::checks::SCHEMA_ONLY.contains(&c) {
                "warning; schema-only: off under profile gpmc unless selected, an error under profile schema"
            } else if crate::validate::checks::PEDANTIC.contains(&c) {
                "warning; pedantic: off unless selected"
            } else {
                c.severity().as_str()
            },
            doc: c
                .doc()
                .lines()
                .map(|l| l.strip_prefix(' ').unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_string(),
        }
    }
}

#[derive(serde::Serialize)]
struct ListView {
    codes: Vec<CodeView>,
}

/// One template through import → build → diff (the round trip `build(import(x)) == x`).
#[derive(Debug)]
pub struct RoundTrip {
    /// Import findings (I-codes) and the build's diagnostics, as `CODE message` lines.
    pub findings: Vec<String>,
    /// Whether the imported definitions built (no Error).
    pub built: bool,
    /// The semantic difference between the original and the rebuilt template.
    pub diff: Option<crate::diff::Report>,
    /// The rebuilt files, relative to `dir` (`PolicyDefinitions/…`).
    pub files: Vec<std::path::PathBuf>,
}

/// Imports `admx`, builds the result and diffs its ADMX/ADMLs (in memory) against the original;
/// with `dir`, also writes them under `dir/PolicyDefinitions`.
pub fn roundtrip(admx: &Path, dir: Option<&Path>) -> Result<RoundTrip, String> {
    let input = crate::import::read_input(admx).map_err(|e| e.to_string())?;
    let (imported, compiled) = import_input(input);
    let findings = compiled
        .diags
        .iter()
        .map(|d| format!("{} {} {}", d.severity.as_str(), d.code, d.message))
        .collect();
    let mut out = RoundTrip {
        findings,
        built: imported.is_some() && !compiled.has_errors(),
        diff: None,
        files: Vec::new(),
    };
    if !out.built {
        return Ok(out);
    }
    let mut store = Vec::new();
    let mut name = String::new();
    for a in &compiled.artifacts {
        let Ok(rel) = a.path.strip_prefix("PolicyDefinitions") else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.ends_with(".admx") {
            name = format!("PolicyDefinitions/{rel} (rebuilt)");
        }
        if let Some(dir) = dir {
            crate::emit::put_file(dir, &a.path, &a.bytes).map_err(|e| e.to_string())?;
            out.files.push(a.path.clone());
        }
        store.push((rel, a.bytes.clone()));
    }
    // The original as import parsed it: read once.
    let original = crate::diff::read::read_documents(
        imported.as_ref().map(|i| &i.parsed[..]).unwrap_or_default(),
    );
    out.diff = Some(
        crate::diff::diff_side(original, &admx.display().to_string(), &store, &name)
            .map_err(|e| e.to_string())?,
    );
    Ok(out)
}
