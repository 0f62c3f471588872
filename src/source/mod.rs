//! Front end: reads a definitions folder into a [`SourceMap`] (every file's text, for snippets)
//! and an AST that mirrors the TOML (`ast`), with spans on every field a diagnostic may point at.
//! Input: `definitions/<template>/*.toml`. Output: [`Definitions`], handed to `model::lower`.

pub mod ast;
pub mod text;

use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span};
use std::path::{Path, PathBuf};

pub use crate::diag::SourceMap;

/// One template folder as parsed: its files in a stable order, `template.toml` first.
pub struct TemplateSource {
    /// The folder name (used in messages only; the ADMX name comes from `[template] name`).
    pub folder: String,
    pub files: Vec<(FileId, ast::FileSrc)>,
    /// `locales/<culture>.toml`: (culture from the file name, file, contents).
    pub locales: Vec<(String, FileId, ast::LocaleFileSrc)>,
}

/// One baseline file as parsed.
pub struct BaselineSource {
    /// The file stem (`disa-stig`).
    pub name: String,
    pub file: FileId,
    pub ast: ast::BaselineFileSrc,
}

/// A parameter value a site supplied, and where from (`--set`, a `--params` file).
#[derive(Debug, Clone)]
pub struct ParamValue {
    pub value: toml::Value,
    pub origin: String,
}

/// Baseline name → parameter name → supplied value.
pub type Params =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, ParamValue>>;

/// Everything read from a definitions folder.
#[derive(Default)]
pub struct Definitions {
    pub templates: Vec<TemplateSource>,
    pub baselines: Vec<BaselineSource>,
    /// Parameter values supplied for the baselines (empty: every parameterised setting is left
    /// out, B009).
    pub params: Params,
    /// `--strict`: the tolerated constructs (`Code::TOLERATED`) are errors in every template.
    pub strict: bool,
}

/// Failures of the tool itself (not of the user's definitions).
#[derive(Debug)]
pub enum LoadError {
    Io(PathBuf, std::io::Error),
    /// A parameter value (`--set`, `--params`) that names no baseline or no parameter of it.
    Params(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            LoadError::Params(m) => f.write_str(m),
        }
    }
}

/// Reads baseline parameter values: `--params` files (a table per baseline) and `--set
/// BASELINE.PARAM=VALUE` (VALUE as TOML, else as text; later ones win).
pub fn read_params(files: &[PathBuf], sets: &[String]) -> Result<Params, LoadError> {
    let mut out = Params::new();
    for f in files {
        let text = crate::fsx::read_checked(f, None).map_err(|e| LoadError::Io(f.clone(), e))?;
        let text = String::from_utf8(text)
            .map_err(|_| LoadError::Params(format!("{}: not UTF-8 text", f.display())))?;
        let table: toml::Table = toml::from_str(&text)
            .map_err(|e| LoadError::Params(format!("{}: {}", f.display(), e.message())))?;
        for (baseline, values) in table {
            let Some(values) = values.as_table() else {
                return Err(LoadError::Params(format!(
                    "{}: `{baseline}` must be a table of parameter values ([{baseline}])",
                    f.display()
                )));
            };
            for (name, value) in values {
                out.entry(baseline.clone()).or_default().insert(
                    name.clone(),
                    ParamValue {
                        value: value.clone(),
                        origin: f.display().to_string(),
                    },
                );
            }
        }
    }
    for s in sets {
        let (lhs, value) = s.split_once('=').ok_or_else(|| {
            LoadError::Params(format!("--set {s}: expected BASELINE.PARAM=VALUE"))
        })?;
        let (baseline, name) = lhs.trim().split_once('.').ok_or_else(|| {
            LoadError::Params(format!("--set {s}: expected BASELINE.PARAM=VALUE"))
        })?;
        let value = toml::from_str::<toml::Table>(&format!("v = {value}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        out.entry(baseline.to_string()).or_default().insert(
            name.to_string(),
            ParamValue {
                value,
                origin: format!("--set {lhs}"),
            },
        );
    }
    // The definitions' text policy (D040) holds for supplied values too.
    for (baseline, values) in &out {
        for (name, v) in values {
            if let Some(c) = forbidden_in(&v.value) {
                return Err(LoadError::Params(format!(
                    "{}: the value of {baseline}.{name} holds U+{:04X}, which no output format can carry",
                    v.origin, c as u32
                )));
            }
        }
    }
    Ok(out)
}

/// The first string in `v` (at any depth) holding a character no output format can carry.
fn forbidden_in(v: &toml::Value) -> Option<char> {
    match v {
        toml::Value::String(s) => text::forbidden_char(s).map(|(_, c)| c),
        toml::Value::Array(a) => a.iter().find_map(forbidden_in),
        toml::Value::Table(t) => t.values().find_map(forbidden_in),
        _ => None,
    }
}

/// Every supplied parameter names a baseline of `defs` and a parameter it declares.
pub fn check_params(defs: &Definitions) -> Result<(), LoadError> {
    for (baseline, values) in &defs.params {
        let Some(b) = defs.baselines.iter().find(|b| &b.name == baseline) else {
            let names: Vec<&str> = defs.baselines.iter().map(|b| b.name.as_str()).collect();
            return Err(LoadError::Params(format!(
                "parameter values for `{baseline}`, which is no baseline (baselines: {})",
                names.join(", ")
            )));
        };
        for name in values.keys() {
            if !b
                .ast
                .parameter
                .iter()
                .any(|p| p.get_ref().name.get_ref() == name)
            {
                let declared: Vec<&str> = b
                    .ast
                    .parameter
                    .iter()
                    .map(|p| p.get_ref().name.get_ref().as_str())
                    .collect();
                return Err(LoadError::Params(format!(
                    "baseline `{baseline}` has no parameter `{name}` (its parameters: {})",
                    if declared.is_empty() {
                        "none".to_string()
                    } else {
                        declared.join(", ")
                    }
                )));
            }
        }
    }
    Ok(())
}

impl std::error::Error for LoadError {}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let rd = std::fs::read_dir(dir).map_err(|e| LoadError::Io(dir.to_path_buf(), e))?;
    let mut out = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| LoadError::Io(dir.to_path_buf(), e))?;
        out.push(entry.path());
    }
    out.sort();
    Ok(out)
}

/// Reads every template folder of `dir` (a folder holding `template.toml`). Folders without one
/// are ignored unless they hold TOML files (then D025). `baselines/` is reserved for baselines.
pub fn load_dir(
    dir: &Path,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Definitions, LoadError> {
    let mut templates = Vec::new();
    for path in sorted_entries(dir)? {
        // Hidden folders (`.git`, an import's staging folder) hold no templates.
        if !path.is_dir()
            || crate::fsx::is_hidden(&path)
            || path.file_name().is_some_and(|n| n == "baselines")
        {
            continue;
        }
        let mut tomls: Vec<PathBuf> = sorted_entries(&path)?
            .into_iter()
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
            .collect();
        if tomls.is_empty() {
            continue;
        }
        // template.toml first, the rest in name order.
        tomls.sort_by_key(|p| {
            (
                p.file_name().is_none_or(|n| n != "template.toml"),
                p.clone(),
            )
        });
        if tomls[0].file_name().is_none_or(|n| n != "template.toml") {
            let file = sources.add(display_path(&tomls[0]), String::new());
            diags.push(
                Diagnostic::new(
                    Code::D025,
                    format!("{} holds TOML files but no template.toml", display_path(&path)),
                )
                .at(Span::new(file, 0..0), "this file belongs to no template")
                .note("a template is a folder holding template.toml (with [template]) and policy files"),
            );
            continue;
        }
        let mut files = Vec::new();
        let locales = path.join("locales");
        let locale_files = if locales.is_dir() {
            sorted_entries(&locales)?
                .into_iter()
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
                .collect()
        } else {
            Vec::new()
        };
        for p in tomls.iter().chain(&locale_files) {
            if let Some(text) = read_toml(p, dir, sources, diags)? {
                files.push((display_path(p), text));
            }
        }
        let folder = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        templates.push(parse_template(&folder, files, sources, diags));
    }
    if templates.is_empty() {
        let file = sources.add(display_path(dir), String::new());
        diags.push(
            Diagnostic::new(
                Code::D025,
                format!("no template found in {}", display_path(dir)),
            )
            .at(
                Span::new(file, 0..0),
                "expected <folder>/template.toml here",
            )
            .note(
                "a template is a folder holding template.toml (with [template]) and policy files",
            ),
        );
    }
    let baselines = load_baselines(&dir.join("baselines"), sources, diags)?;
    Ok(Definitions {
        templates,
        baselines,
        params: Params::new(),
        strict: false,
    })
}

/// Reads one definitions file found in `root` through [`crate::fsx`]: a FIFO, a device, a link
/// out of the definitions folder or an oversized file is D039 (and not read); bytes that are not
/// UTF-8 are D001 at their offset.
fn read_toml(
    p: &Path,
    root: &Path,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Option<String>, LoadError> {
    let bytes = match crate::fsx::read_file(p, Some(root)) {
        Ok(Ok(b)) => b,
        Ok(Err(why)) => {
            let file = sources.add(display_path(p), String::new());
            diags.push(
                Diagnostic::new(
                    Code::D039,
                    format!("{} was not read: {why}", display_path(p)),
                )
                .at(Span::new(file, 0..0), "not read"),
            );
            return Ok(None);
        }
        Err(e) => return Err(LoadError::Io(p.to_path_buf(), e)),
    };
    match String::from_utf8(bytes) {
        Ok(t) => Ok(Some(t)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = sources.add(display_path(p), text);
            diags.push(
                Diagnostic::new(Code::D001, "the file is not UTF-8 text")
                    .at(Span::new(file, at..at), "invalid UTF-8 here"),
            );
            Ok(None)
        }
    }
}

/// Reads every `*.toml` of a `baselines/` folder (absent = no baselines).
fn load_baselines(
    dir: &Path,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Vec<BaselineSource>, LoadError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for p in sorted_entries(dir)? {
        if !p.is_file() || p.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let Some(text) = read_toml(&p, dir, sources, diags)? else {
            continue;
        };
        let name = p
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(b) = parse_baseline(&name, display_path(&p), text, sources, diags) {
            out.push(b);
        }
    }
    Ok(out)
}

/// Parses one baseline file; TOML and shape errors become D001/D002/D003.
pub fn parse_baseline(
    name: &str,
    path: String,
    text: String,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<BaselineSource> {
    let file = sources.add(path, text);
    let text = sources.text(file);
    text::check_file(file, text, diags);
    match toml::from_str::<ast::BaselineFileSrc>(text) {
        Ok(ast) => Some(BaselineSource {
            name: name.to_string(),
            file,
            ast,
        }),
        Err(e) => {
            diags.push(toml_error(file, text, &e));
            None
        }
    }
}

fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Parses one template from (name, text) pairs; the first file is expected to be `template.toml`.
/// Used by `load_dir` and by tests that hold a template in a single file.
pub fn parse_template(
    folder: &str,
    files: Vec<(String, String)>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> TemplateSource {
    let mut parsed = Vec::new();
    let mut locales = Vec::new();
    for (name, text) in files {
        let path = Path::new(&name);
        let in_locales = path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|n| n == "locales");
        let culture = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = sources.add(name, text);
        text::check_file(id, sources.text(id), diags);
        if in_locales {
            match toml::from_str::<ast::LocaleFileSrc>(sources.text(id)) {
                Ok(ast) => locales.push((culture, id, ast)),
                Err(e) => diags.push(toml_error(id, sources.text(id), &e)),
            }
        } else if let Some(ast) = parse_file(id, sources.text(id), diags) {
            parsed.push((id, ast));
        }
    }
    TemplateSource {
        folder: folder.to_string(),
        files: parsed,
        locales,
    }
}

/// Deserializes one file; TOML and shape errors become D001/D002/D003.
pub fn parse_file(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<ast::FileSrc> {
    match toml::from_str::<ast::FileSrc>(text) {
        Ok(ast) => Some(ast),
        Err(e) => {
            diags.push(toml_error(file, text, &e));
            None
        }
    }
}

fn toml_error(file: FileId, text: &str, e: &toml::de::Error) -> Diagnostic {
    let msg = e.message().trim().to_string();
    let span = e.span().unwrap_or(0..0);
    // Point at the offending key rather than at its whole table when serde names it.
    let (code, label) = if msg.starts_with("unknown field") {
        (Code::D002, "not a field of this table")
    } else if msg.starts_with("missing field")
        || msg.starts_with("invalid type")
        || msg.starts_with("invalid value")
        || msg.starts_with("unknown variant")
        || msg.contains("out of range")
    {
        (Code::D003, "here")
    } else {
        (Code::D001, "here")
    };
    let span = narrow(text, span);
    let first_line = msg.lines().next().unwrap_or_default().to_string();
    let mut d = Diagnostic::new(code, first_line.clone()).at(Span::new(file, span), label);
    // serde names the unknown field or variant and the expected ones, each in backticks.
    if msg.starts_with("unknown field") || msg.starts_with("unknown variant") {
        let ticked: Vec<&str> = first_line.split('`').skip(1).step_by(2).collect();
        if let Some((given, expected)) = ticked.split_first()
            && let Some(near) = crate::diag::nearest(given, expected.iter().copied())
        {
            d = d.note(format!("did you mean `{near}`?"));
        }
    }
    for extra in msg.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        d = d.note(extra.trim().to_string());
    }
    d
}

/// Keeps a span on one line so snippets stay short (a whole table would print every line).
fn narrow(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = span.start.min(text.len());
    let end = span.end.min(text.len());
    match text[start..end].find('\n') {
        Some(i) if i > 0 => start..start + i,
        _ => start..end,
    }
}
