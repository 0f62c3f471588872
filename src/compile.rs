//! Compiling definitions in memory: load → lower → check → render, then the generated store
//! checked by the validator (B006/B008). The library's entry points for a build without
//! writing anything; `cmd::build` writes what this returns.

use crate::backend::{self, Artifact, RenderCtx};
use crate::cli::DiagFormat;
use crate::diag::render::pretty;
use crate::diag::{Code, Diagnostic, Diagnostics, Severity, render};
use crate::model::{PolicySet, lower::lower};
use crate::source::{self, SourceMap};
use crate::validate::Profile;
use std::path::Path;

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
