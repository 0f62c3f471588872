//! `gpforge import`: an ADMX (with its ADMLs) into definitions, or registry state into a
//! baseline; and the in-memory round trip (import, build, diff) the tests run on any store.

use super::*;
use crate::backend::Artifact;
use crate::cli::DiagFormat;
use crate::compile::{Compiled, compile_dir, compile_files};
use crate::diag::{Diagnostics, Severity};
use crate::model::PolicySet;
use crate::source::SourceMap;
use std::path::Path;
use std::time::Instant;

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

/// `gpforge import`: an ADMX, or registry state with `--states … --name`.
pub fn run(args: crate::cli::ImportArgs, color: bool) -> Outcome {
    match (args.admx, args.name) {
        (Some(admx), _) => import(&admx, &args.out, args.force, args.format, color),
        (None, Some(name)) => import_states(&args.states, &name, &args.out, args.force),
        (None, None) => Outcome {
            code: EXIT_FAILURE,
            stderr: "error: give an ADMX file, or --states SOURCE… --name NAME\n".into(),
            ..Outcome::default()
        },
    }
}
