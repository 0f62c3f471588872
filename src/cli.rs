//! Command line (clap derive). Parsing only; `cmd` runs the commands.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// gpforge: Group Policy as code.
///
/// Compiles TOML definitions of policy settings (first of all Outlook's S/MIME and cryptography
/// settings) into ADMX/ADML templates for a Group Policy central store, GPMC backups, Registry.pol,
/// LGPO text, Intune profiles and Remediations scripts; validates any ADMX/ADML file or store the
/// way GPMC and Intune read them; audits real policy state (.reg exports, Registry.pol, GPO
/// backups, LGPO text, offline hives) against a baseline.
#[derive(Debug, Parser)]
#[command(name = "gpforge", version, about, long_about)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Write the command's report (what it prints on stdout: SARIF, JSON, Markdown, tables) to
    /// FILE instead, whole or not at all (written beside it, then renamed); diagnostics and
    /// progress stay on stderr.
    #[arg(long, value_name = "FILE", global = true)]
    pub output: Option<std::path::PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagFormat {
    /// Source snippets with line and column.
    Human,
    /// One line per problem: path:line:col: severity[code]: message.
    Short,
    /// A JSON document: every diagnostic with file, line, column and labels.
    Json,
    /// SARIF 2.1.0, for code-scanning annotations in CI.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`), on stdout: each
    /// finding becomes an annotation of the pull request.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// A table, with expected and found values for what is not compliant.
    Human,
    /// One line per setting: `SOURCE: status[ID]: name (STIG ids)`.
    Short,
    Json,
    Csv,
    /// A report an auditor can file.
    Markdown,
    /// SARIF 2.1.0 for CI annotations.
    Sarif,
    /// A STIG Viewer 2 checklist (needs --benchmark): every rule of the benchmarks, the
    /// baseline's rules NotAFinding or Open with their registry evidence, the others
    /// Not_Reviewed.
    Ckl,
    /// A STIG Viewer 3 checklist (JSON; needs --benchmark), as `ckl`.
    Cklb,
    /// A fleet report: one self-contained HTML file over every source (each source a host), a
    /// host × check matrix with per-check compliance, the failing values on click, a filter.
    Html,
    /// The fleet report's matrix as CSV (a row per host, a column per check).
    FleetCsv,
    /// The fleet report's matrix as JSON.
    FleetJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any semantic difference.
    Any,
    /// Only breaking changes.
    Breaking,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build every template and baseline of the definitions folder into the output folder.
    ///
    /// Writes PolicyDefinitions/<template>.admx and PolicyDefinitions/<culture>/<template>.adml,
    /// docs/<template>.md, and for every baselines/<name>.toml: baselines/<name>/apply.reg and
    /// revert.reg, User|Machine/Registry.pol with gpt.ini, intune.csv, intune.json and README.md.
    /// Files are written atomically and only when their bytes change; nothing is written when the
    /// definitions have an error. Exit status: 0 built, 1 errors in the definitions (or, with
    /// --check, output is stale), 2 usage or I/O failure.
    Build(BuildArgs),
    /// Check ADMX/ADML files or whole PolicyDefinitions stores the way GPMC and Intune read them.
    ///
    /// A folder is a store: ADMX files at its top, ADML files in culture folders (en-US/, de-DE/).
    /// A loose .admx is checked with the ADMLs found in culture folders beside it, a loose .adml
    /// with the ADMX one folder up. Every problem is reported (with file, line, column and a
    /// V-code that `gpforge explain` documents), then a summary line. Exit status: 0 clean (warnings
    /// allowed), 1 errors found (or warnings with --deny-warnings), 2 usage or I/O failure.
    Validate(ValidateArgs),
    /// Semantic difference of two versions of a template (ADMX files, read with their ADMLs) or
    /// of two PolicyDefinitions stores: policies added, removed and changed (class, key, value
    /// name, values, elements, limits, enum items, category, strings and presentations per
    /// culture), each classified breaking or compatible, with a suggested revision bump.
    /// Exit status like diff(1): 0 no semantic difference, 1 differences (with
    /// --fail-on breaking: breaking ones only), 2 failure.
    Diff(DiffArgs),
    /// Turn an ADMX file (with the ADMLs in culture folders beside it) into a definitions
    /// folder: <out>/<name>/template.toml with the header, supportedOn and categories, the
    /// policies (one file per category when there are many), and locales/<culture>.toml for every
    /// culture but en-US. Anything the definitions cannot hold is reported (I-codes). The result
    /// is compiled in memory as a check; its D/B diagnostics are printed too.
    /// Exit status: 0 imported, 1 imported but it does not build cleanly, 2 not imported.
    Import(ImportArgs),
    /// Check real policy state against a baseline: `.reg` exports (regedit, `reg export`),
    /// `Registry.pol` files, LGPO text, offline hives (NTUSER.DAT, SOFTWARE), GPO folders (SYSVOL
    /// layout) and GPMC backups (folders holding `Machine|User/registry.pol`).
    ///
    /// Every setting of the baseline is compliant, differs (expected and found shown), or not
    /// configured; values under the template's keys that no policy explains are listed as extra
    /// registry settings. Several sources are merged in the order given (later ones win, as GPO
    /// precedence does), or audited one by one with --each. Exit status: 0 all compliant, 1 any
    /// setting not compliant, 2 unreadable input or unknown baseline.
    Audit(AuditArgs),
    /// Explain a diagnostic code (what it checks, why, an example); without CODE, list all codes.
    Explain(ExplainArgs),
    /// Print a shell completion script, generated from this command line's definition:
    /// `gpforge completions bash > /etc/bash_completion.d/gpforge`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), generated from this command line's definition:
    /// `gpforge man > gpforge.1`, `man ./gpforge.1`.
    Man(ManArgs),
}

// The options of `gpforge build` (no doc comment: the variant's is the help text).
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Folder of template folders (each holding template.toml). Default: `definitions`, or
    /// `[build] definitions` of gpforge.toml.
    #[arg(long, value_name = "DIR")]
    pub definitions: Option<PathBuf>,
    /// Folder that receives the outputs. Default: `output`, or `[build] out`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Errors and the summary line only (no warnings, no translation table).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Settings file (default: gpforge.toml, as for validate): its [build] table.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write nothing; exit 1 if the output folder differs from a fresh build.
    #[arg(long)]
    pub check: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    pub format: DiagFormat,
    /// Also print notes (settings a format cannot carry, and which formats deliver them).
    #[arg(short, long)]
    pub verbose: bool,
    /// A baseline parameter's value: `smime-strict.required_ca="CN=Contoso Issuing CA 1"`.
    /// The value is read as TOML (a number, a quoted string, an array) and else as text.
    /// Settings whose parameters have no value are left out (warning B009).
    #[arg(long = "set", value_name = "BASELINE.PARAM=VALUE")]
    pub set: Vec<String>,
    /// A TOML file of parameter values: one table per baseline, `[smime-strict]` with
    /// `required_ca = "…"`. Keep site values out of the shared definitions.
    #[arg(long, value_name = "FILE")]
    pub params: Vec<PathBuf>,
    /// Refuse what the Group Policy editor loads but Microsoft's ADMX XSD does not (names
    /// with `-` or `.`, and the other warnings `gpforge explain` marks as tolerated): they
    /// become errors. `strict = true` in a template's `[template]` does the same for it.
    #[arg(long)]
    pub strict: bool,
}

// The options of `gpforge validate` (no doc comment: the variant's is the help text).
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// ADMX/ADML files and PolicyDefinitions folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Whose rules decide what is an error: gpmc (the Group Policy editor; the default),
    /// schema (the ADMX XSD, strictly), intune (gpmc plus Intune's ADMX import and ingestion).
    #[arg(long, value_enum)]
    pub profile: Option<crate::validate::Profile>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    pub format: DiagFormat,
    /// Exit 1 when there are warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Exit 0 even when there are findings (2 still means the run failed), as ruff's
    /// --exit-zero: report without failing the job.
    #[arg(long, conflicts_with = "deny_warnings")]
    pub exit_zero: bool,
    /// Show at most N diagnostics per file and code, then how many more there are (the
    /// summary and the exit status count them all); 0 shows every one. Default 100.
    #[arg(long, value_name = "N")]
    pub max_per_code: Option<usize>,
    /// Settings file (default: gpforge.toml in the current folder or the nearest one above
    /// it): [validate] profile, select, ignore, error, warn, baseline, max_per_code, and
    /// [[validate.per_path]] paths = [globs] with ignore = [codes]. Flags add to its lists
    /// (--ignore, --error, --warn) or replace its values (--select, --profile, --baseline).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report only these codes or families (`V063`, `strings`, `pedantic`, `ALL`);
    /// repeatable, comma-separated.
    #[arg(long, value_name = "CODE|FAMILY", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Also report these codes or families, on top of what is reported by default (or by
    /// --select): `--extend-select pedantic` adds the off-by-default rules.
    #[arg(long, value_name = "CODE|FAMILY", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Never report these codes or families; repeatable, comma-separated.
    #[arg(long, value_name = "CODE|FAMILY", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Report these codes or families as errors (promote), e.g. `--error V031`.
    #[arg(long = "error", value_name = "CODE|FAMILY", value_delimiter = ',')]
    pub as_error: Vec<String>,
    /// Report these codes or families as warnings (demote).
    #[arg(long = "warn", value_name = "CODE|FAMILY", value_delimiter = ',')]
    pub as_warning: Vec<String>,
    /// Errors and the summary only.
    #[arg(short, long)]
    pub quiet: bool,
    /// A table of the findings by code (count, files, meaning) instead of each finding.
    #[arg(long)]
    pub statistics: bool,
    /// Accepted findings (written by --write-baseline): report and fail only on findings
    /// beyond them, and say how many known ones were suppressed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings (after --select/--ignore) in FILE by fingerprint (code,
    /// file, element path; no line numbers) and exit 0; adopt the gate on a store that is not
    /// clean today, then run with --baseline FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// A reference PolicyDefinitions folder (the central store the files will join): the
    /// namespaces, categories, supportedOn definitions and products its ADMX files provide
    /// resolve the validated files' usings and references. Its own files are read, not
    /// reported on.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

// The options of `gpforge diff` (no doc comment: the variant's is the help text).
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old version: an .admx file or a store folder.
    pub old: PathBuf,
    /// The new version: an .admx file or a store folder.
    pub new: PathBuf,
    /// Output: a Markdown changelog or JSON.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,
    /// Which changes make the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Any)]
    pub fail_on: FailOn,
    /// Only changes that alter what lands in the registry (class, key, value names,
    /// values, lists, element types and flags, policies and elements added or removed); not
    /// texts, placement or presentation.
    #[arg(long)]
    pub registry_only: bool,
    /// Only changes of these policies (by ADMX name); repeatable, comma-separated.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub policies: Vec<String>,
}

// The options of `gpforge import` (no doc comment: the variant's is the help text).
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The .admx file.
    #[arg(required_unless_present = "states")]
    pub admx: Option<PathBuf>,
    /// Instead of an ADMX: registry state (what `gpforge audit` reads) imported as a baseline
    /// of the policy states that explain it, written to OUT/baselines/NAME.toml.
    #[arg(long, value_name = "SOURCE", num_args = 1.., requires = "name", conflicts_with = "admx")]
    pub states: Vec<PathBuf>,
    /// The baseline's name (with --states).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Folder that receives the template folder.
    #[arg(long, default_value = "definitions")]
    pub out: PathBuf,
    /// Replace an existing template folder of the same name.
    #[arg(long)]
    pub force: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    pub format: DiagFormat,
}

// The options of `gpforge audit` (no doc comment: the variant's is the help text).
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The baseline's name (`disa-stig`: definitions/baselines/disa-stig.toml); default
    /// `[audit] baseline` of gpforge.toml.
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    /// The summary line only (the human report's table is left out).
    #[arg(short, long)]
    pub quiet: bool,
    /// Settings file (default: gpforge.toml, as for validate): its [audit] table.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// State files or folders.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,
    /// Folder of template folders and baselines (default `definitions`, or `[audit]
    /// definitions`).
    #[arg(long, value_name = "DIR")]
    pub definitions: Option<PathBuf>,
    /// Audit each source on its own instead of merging them.
    #[arg(long)]
    pub each: bool,
    /// Also map the state onto the policies of an ADMX store (a PolicyDefinitions folder,
    /// e.g. Microsoft's): lists the policy states found there and the values no template
    /// explains.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,
    /// A DISA XCCDF benchmark (`U_…_Manual-xccdf.xml`) whose rules the checklist lists
    /// (`--format ckl|cklb`; repeat it for several STIGs in one checklist).
    #[arg(long, value_name = "XCCDF")]
    pub benchmark: Vec<PathBuf>,
    /// The host name written into the checklist (default: the source file's name without
    /// its extension).
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,
    /// With --each and --format ckl|cklb: the folder that receives one checklist per source
    /// (`<host>.ckl`).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

// The options of `gpforge explain` (no doc comment: the variant's is the help text).
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A code such as D010 or V060.
    pub code: Option<String>,
    /// human: plain text for a terminal; markdown: the documentation as written; json: for
    /// tools (code, title, severity, what, why, example, the Markdown text).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

// The options of `gpforge completions` (no doc comment: the variant's is the help text).
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// bash, elvish, fish, powershell or zsh.
    pub shell: clap_complete::Shell,
}

// The options of `gpforge man` (no doc comment: the variant's is the help text).
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write every page (gpforge.1 and one per subcommand, gpforge-build.1, …) into this
    /// folder, created when missing, instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
