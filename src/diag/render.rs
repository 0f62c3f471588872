//! Renders diagnostics for people and tools: rustc-like snippets through codespan-reporting
//! (`human`) and one line per problem (`short`: `path:line:col: severity[code]: message`).
//! Lines and columns are 1-based; columns count characters.

use super::SourceMap;
use super::{Diagnostic, Severity};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;

/// A long line is shown as a window of this many bytes around its label, so a report costs
/// O(diagnostics), not O(diagnostics × line length) (a one-line 1 MB file with 100,000 findings).
const WINDOW: usize = 120;
/// Lines up to this long are shown whole.
const LONG_LINE: usize = 240;

/// Text echoed from input into a message or label, made printable: control characters (a CR/LF
/// in a key, an ESC sequence for the terminal) are shown escaped, never written raw.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(|c| c.is_control() && c != '\n') {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| {
                    if c.is_control() && c != '\n' {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A window on one long line: what is shown of it, and where it lies in the file.
struct Win {
    name: String,
    text: String,
    /// 0-based line of the window.
    line: usize,
    /// Characters of the line before the window's text (after the `…` prefix).
    col: usize,
    /// Bytes of the `…` prefix (0 when the window starts at the line's start).
    prefix: usize,
}

/// The files codespan sees for one diagnostic: the real ones (ids below `sources.len()`) and a
/// window per label on a long line.
struct Shown<'a> {
    sources: &'a SourceMap,
    wins: Vec<Win>,
}

impl Shown<'_> {
    fn win(&self, id: usize) -> Option<&Win> {
        id.checked_sub(self.sources.len())
            .and_then(|k| self.wins.get(k))
    }

    /// The file id and range codespan is given for a label: the real file when its line is
    /// short, else a window around the label's start.
    fn place(
        &mut self,
        file: usize,
        range: std::ops::Range<usize>,
    ) -> (usize, std::ops::Range<usize>) {
        use codespan_reporting::files::Files;
        let text = self.sources.text(file);
        let start = text.floor_char_boundary(range.start.min(text.len()));
        let Ok(li) = self.sources.line_index(file, start) else {
            return (file, range);
        };
        let Ok(line) = self.sources.line_range(file, li) else {
            return (file, range);
        };
        let line_end = text[line.clone()].trim_end_matches(['\n', '\r']).len() + line.start;
        if line_end - line.start <= LONG_LINE && range.end <= line.end {
            return (file, range);
        }
        let from = text.floor_char_boundary(start.saturating_sub(WINDOW / 3).max(line.start));
        let to = text
            .ceil_char_boundary((from + WINDOW).min(line_end))
            .max(start);
        let mut shown = String::new();
        if from > line.start {
            shown.push('…');
        }
        let prefix = shown.len();
        shown.push_str(&text[from..to]);
        if to < line_end {
            shown.push('…');
        }
        let end = range.end.clamp(start, to);
        self.wins.push(Win {
            name: self.sources.name(file),
            text: shown,
            line: li,
            col: self.sources.chars_between(file, line.start, from),
            prefix,
        });
        let id = self.sources.len() + self.wins.len() - 1;
        (id, start - from + prefix..end - from + prefix)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Shown<'a> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, codespan_reporting::files::Error> {
        match self.win(id) {
            Some(w) => Ok(w.name.clone()),
            None => self.sources.name_checked(id),
        }
    }
    fn source(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        match self.win(id) {
            Some(w) => Ok(&w.text),
            None => self.sources.source(id),
        }
    }
    fn line_index(
        &'a self,
        id: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        match self.win(id) {
            Some(w) => Ok(w.line),
            None => self.sources.line_index(id, byte),
        }
    }
    fn line_range(
        &'a self,
        id: usize,
        line: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        match self.win(id) {
            Some(w) => Ok(0..w.text.len()),
            None => self.sources.line_range(id, line),
        }
    }
    fn column_number(
        &'a self,
        id: usize,
        line: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        match self.win(id) {
            Some(w) => {
                let b = w
                    .text
                    .floor_char_boundary(byte.min(w.text.len()))
                    .max(w.prefix);
                Ok(w.col + w.text[w.prefix..b].chars().count() + 1)
            }
            None => {
                let start = self.sources.line_range(id, line)?.start;
                Ok(self.sources.chars_between(id, start, byte) + 1)
            }
        }
    }
}

fn to_codespan(d: &Diagnostic, shown: &mut Shown<'_>) -> cs::Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let labels = d
        .labels
        .iter()
        .map(|l| {
            let (file, range) = shown.place(
                l.span.file,
                l.span.range.start as usize..l.span.range.end as usize,
            );
            let label = if l.primary {
                cs::Label::primary(file, range)
            } else {
                cs::Label::secondary(file, range)
            };
            label.with_message(printable(&l.message))
        })
        .collect();
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(printable(&d.message))
        .with_labels(labels)
        .with_notes(d.notes.iter().map(|n| printable(n).into_owned()).collect())
}

/// Human form with source snippets. `color` adds ANSI escapes (for a terminal).
pub fn human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut out = Vec::new();
    let _ = human_to(&mut out, diags, sources, color);
    String::from_utf8_lossy(&out).into_owned()
}

/// [`human`], written diagnostic by diagnostic to `out` (a report streams; it is never held
/// whole in memory).
pub fn human_to(
    out: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &SourceMap,
    color: bool,
) -> std::io::Result<()> {
    // Snippets are rendered by every core, batch by batch (worker k takes batches k, k + n, …),
    // and written in order as they arrive: the report streams (each worker is at most one
    // finished batch ahead) and a long one takes a fraction of the time. The workers live for
    // the whole report, so a long report does not start a thread per batch.
    // Batches of 256, smaller for a short report so that it too is spread over every core
    // (a snippet from a large file costs tens of microseconds: its lines are found first).
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let batch = diags.len().div_ceil(cores * 2).clamp(16, 256);
    let workers = cores.min(diags.len().div_ceil(batch));
    if workers <= 1 {
        for part in diags.chunks(batch) {
            out.write_all(&render_human(part, sources, color))?;
        }
        return Ok(());
    }
    std::thread::scope(|s| {
        let (receivers, handles): (Vec<_>, Vec<_>) = (0..workers)
            .map(|k| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
                let handle = s.spawn(move || {
                    for part in diags.chunks(batch).skip(k).step_by(workers) {
                        if tx.send(render_human(part, sources, color)).is_err() {
                            break; // the writer stopped (a write failed)
                        }
                    }
                });
                (rx, handle)
            })
            .unzip();
        let written = (0..diags.len().div_ceil(batch)).try_for_each(|i| {
            // A worker that panicked leaves its batches out; that is a bug, reported as such.
            let part = receivers[i % workers]
                .recv()
                .map_err(|_| std::io::Error::other("internal error while rendering"))?;
            out.write_all(&part)
        });
        // Workers still waiting to hand over a batch stop when their receiver goes; a panic is
        // joined here (already reported above), not passed on.
        drop(receivers);
        for h in handles {
            let _ = h.join();
        }
        written
    })
}

/// The human form of `diags`, one after the other.
fn render_human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> Vec<u8> {
    let config = term::Config::default();
    let mut out = Vec::new();
    for d in diags {
        let mut shown = Shown {
            sources,
            wins: Vec::new(),
        };
        let cd = to_codespan(d, &mut shown);
        let before = out.len();
        let rendered = if color {
            let mut buf = term::termcolor::Buffer::ansi();
            let r = term::emit_to_write_style(&mut buf, &config, &shown, &cd);
            out.extend_from_slice(buf.as_slice());
            r
        } else {
            // Plain text straight into the batch.
            term::emit_to_io_write(&mut out, &config, &shown, &cd)
        };
        // A span outside its file would be a bug in the front end; fall back to the short form.
        if rendered.is_err() {
            out.truncate(before);
            let _ = short_to(&mut out, std::slice::from_ref(d), sources);
        }
    }
    out
}

/// One line per diagnostic: `path:line:col: severity[code]: message`.
pub fn short(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = Vec::new();
    let _ = short_to(&mut out, diags, sources);
    String::from_utf8_lossy(&out).into_owned()
}

/// [`short`], streamed.
pub fn short_to(
    out: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &SourceMap,
) -> std::io::Result<()> {
    for d in diags {
        if let Some(span) = d.primary_span() {
            let (line, col) = sources.line_col(span.file, span.range.start as usize);
            write!(out, "{}:{}:{}: ", sources.name(span.file), line, col)?;
        }
        writeln!(
            out,
            "{}[{}]: {}",
            d.severity.as_str(),
            d.code,
            printable(&d.message)
        )?;
    }
    Ok(())
}

/// A GitHub Actions workflow-command value: `%`, CR and LF escaped (and, in a property, `:` and
/// `,`), as the runner's command parser expects.
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// GitHub Actions annotations, one workflow command per finding:
/// `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=V021::message`.
pub fn github_to(
    out: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &SourceMap,
) -> std::io::Result<()> {
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(span) = d.primary_span() {
            let (line, col) = sources.line_col(span.file, span.range.start as usize);
            let (end_line, end_col) = sources.line_col(span.file, span.range.end as usize);
            props.push(format!(
                "file={}",
                gh_escape(&sources.name(span.file), true)
            ));
            props.push(format!(
                "line={line},col={col},endLine={end_line},endColumn={end_col}"
            ));
        }
        props.push(format!(
            "title={}",
            gh_escape(&format!("{} {}", d.code, d.code.title()), true)
        ));
        let mut message = d.message.clone();
        for n in &d.notes {
            message.push('\n');
            message.push_str(n);
        }
        writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            gh_escape(&message, false)
        )?;
    }
    Ok(())
}

/// What a capped report left out: how many findings of a code in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    pub file: String,
    pub code: &'static str,
    pub count: usize,
}

/// [`capped`], and what it left out per file and code (for the JSON and SARIF reports, which
/// say so in the report itself).
pub fn capped_counted(
    diags: Vec<Diagnostic>,
    limit: usize,
    sources: &SourceMap,
) -> (Vec<Diagnostic>, Vec<LeftOut>) {
    let shown = capped(diags, limit);
    let left = shown
        .iter()
        .filter(|d| {
            d.severity == Severity::Note
                && d.message.contains(" diagnostic(s) in this file not shown")
        })
        .filter_map(|d| {
            let n = d.message.split(' ').next()?.parse().ok()?;
            Some(LeftOut {
                file: d
                    .primary_span()
                    .map(|s| sources.name(s.file).to_string())
                    .unwrap_or_default(),
                code: d.code.as_str(),
                count: n,
            })
        })
        .collect();
    (shown, left)
}

/// At most `limit` diagnostics per (file, code); for each group cut short, a note of the same
/// code saying how many more there are, placed at the first one left out. `limit` 0 keeps all.
pub fn capped(diags: Vec<Diagnostic>, limit: usize) -> Vec<Diagnostic> {
    if limit == 0 {
        return diags.into_iter().filter(|d| d.folded == 0).collect();
    }
    let key = |d: &Diagnostic| (d.primary_span().map(|s| s.file), d.code);
    let mut total: foldhash::HashMap<(Option<usize>, super::Code), usize> = Default::default();
    for d in &diags {
        *total.entry(key(d)).or_default() += d.weight();
    }
    let mut seen: foldhash::HashMap<(Option<usize>, super::Code), usize> = Default::default();
    let mut out = Vec::with_capacity(diags.len());
    for d in diags {
        // A tally only adds to the count of what is not shown.
        if d.folded > 0 {
            continue;
        }
        let k = key(&d);
        let n = seen.entry(k).or_default();
        *n += 1;
        if *n <= limit {
            out.push(d);
        } else if *n == limit + 1 {
            let rest = total[&k] - limit;
            let mut note = Diagnostic::new(
                d.code,
                format!(
                    "{rest} more {} diagnostic(s) in this file not shown (--max-per-code 0 shows all)",
                    d.code
                ),
            );
            note.severity = Severity::Note;
            if let Some(s) = d.primary_span() {
                note = note.at(s.clone(), "the first one not shown");
            }
            out.push(note);
        }
    }
    out
}

/// A location as tools want it: path, 1-based line and column of start and end.
fn location(span: &super::Span, sources: &SourceMap) -> serde_json::Value {
    let (line, column) = sources.line_col(span.file, span.range.start as usize);
    let (end_line, end_column) = sources.line_col(span.file, span.range.end as usize);
    serde_json::json!({
        "file": sources.name(span.file),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
    })
}

/// Every diagnostic as a JSON value (an array), for scripts.
pub fn json(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    serde_json::Value::Array(diags.iter().map(|d| json_one(d, sources)).collect())
}

/// One diagnostic as a JSON value.
fn json_one(d: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
    let labels: Vec<_> = d
        .labels
        .iter()
        .map(|l| {
            let mut v = location(&l.span, sources);
            v["message"] = l.message.clone().into();
            v["primary"] = l.primary.into();
            v
        })
        .collect();
    let mut v = serde_json::json!({
        "code": d.code.as_str(),
        "severity": d.severity.as_str(),
        "title": d.code.title(),
        "message": d.message,
        "labels": labels,
        "notes": d.notes,
    });
    if let Some(s) = d.primary_span() {
        v["location"] = location(s, sources);
    }
    v
}

/// The marker that stands for the streamed array in a report's skeleton.
const STREAMED: &str = "@@gpforge-streamed-items@@";

/// Writes `skeleton` pretty-printed (as `serde_json::to_string_pretty` would, plus a final line
/// break) with its one array element [`STREAMED`] replaced by `items`, each rendered on demand
/// and written at once: a long report is never held whole, and the bytes are those of the whole
/// value printed in one go. With no items the skeleton's array is printed empty (`[]`).
pub fn stream_pretty<T>(
    out: &mut dyn std::io::Write,
    skeleton: &serde_json::Value,
    items: &[T],
    render: &dyn Fn(&T) -> serde_json::Value,
) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(skeleton).map_err(std::io::Error::other)?;
    let marker = format!("\"{STREAMED}\"");
    let at = text
        .find(&marker)
        .ok_or_else(|| std::io::Error::other("report skeleton without its marker"))?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..at];
    if items.is_empty() {
        // `[\n<indent>"marker"\n<outer>]` becomes `[]`.
        let open = text[..line_start].trim_end_matches('\n').len() - 1;
        let rest = &text[at + marker.len()..];
        let close = rest.find(']').unwrap_or(0);
        out.write_all(&text.as_bytes()[..=open])?;
        out.write_all(b"]")?;
        out.write_all(&rest.as_bytes()[close + 1..])?;
        return out.write_all(b"\n");
    }
    out.write_all(&text.as_bytes()[..line_start])?;
    let mut item = String::new();
    for (i, x) in items.iter().enumerate() {
        item.clear();
        if i > 0 {
            item.push_str(",\n");
        }
        let v = serde_json::to_string_pretty(&render(x)).map_err(std::io::Error::other)?;
        for (n, line) in v.split('\n').enumerate() {
            if n > 0 {
                item.push('\n');
            }
            item.push_str(indent);
            item.push_str(line);
        }
        out.write_all(item.as_bytes())?;
    }
    out.write_all(&text.as_bytes()[at + marker.len()..])?;
    out.write_all(b"\n")
}

/// The JSON report (`{"diagnostics": [...], "summary": {...}}`), streamed: the same bytes as
/// the whole value pretty-printed.
pub fn json_to(
    out: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &SourceMap,
    summary: serde_json::Value,
) -> std::io::Result<()> {
    let skeleton = serde_json::json!({
        "diagnostics": [STREAMED],
        "summary": summary,
    });
    stream_pretty(out, &skeleton, diags, &|d| json_one(d, sources))
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn sarif_location(span: &super::Span, sources: &SourceMap, message: &str) -> serde_json::Value {
    let (start_line, start_column) = sources.line_col(span.file, span.range.start as usize);
    let (end_line, end_column) = sources.line_col(span.file, span.range.end as usize);
    let mut loc = serde_json::json!({
        "physicalLocation": {
            "artifactLocation": { "uri": sources.name(span.file) },
            "region": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            }
        }
    });
    if !message.is_empty() {
        loc["message"] = serde_json::json!({ "text": message });
    }
    loc
}

/// SARIF 2.1.0 log with one run: the rules used, then one result per diagnostic.
pub fn sarif(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    let used = sarif_used(diags);
    let results: Vec<_> = diags
        .iter()
        .map(|d| sarif_result(d, sources, &used))
        .collect();
    sarif_skeleton(&used, results.into())
}

/// The rules of the codes in `diags`, sorted (a result's `ruleIndex` points into them).
fn sarif_used(diags: &[Diagnostic]) -> Vec<super::Code> {
    let mut used: Vec<super::Code> = diags.iter().map(|d| d.code).collect();
    used.sort();
    used.dedup();
    used
}

/// The SARIF log, streamed: the same bytes as [`sarif`] pretty-printed.
pub fn sarif_to(
    out: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &SourceMap,
    left_out: &[LeftOut],
) -> std::io::Result<()> {
    let used = sarif_used(diags);
    let mut skeleton = sarif_skeleton(&used, serde_json::json!([STREAMED]));
    if !left_out.is_empty() {
        // SARIF's property bag: what the report left out, per file and code.
        skeleton["runs"][0]["properties"] = serde_json::json!({ "leftOut": left_out });
    }
    stream_pretty(out, &skeleton, diags, &|d| sarif_result(d, sources, &used))
}

fn sarif_result(d: &Diagnostic, sources: &SourceMap, used: &[super::Code]) -> serde_json::Value {
    let mut text = d.message.clone();
    for n in &d.notes {
        text.push('\n');
        text.push_str(n);
    }
    let mut r = serde_json::json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": used.binary_search(&d.code).unwrap_or(0),
        "level": sarif_level(d.severity),
        "message": { "text": text },
    });
    if let Some(primary) = d.labels.iter().find(|l| l.primary) {
        r["locations"] =
            serde_json::json!([sarif_location(&primary.span, sources, &primary.message)]);
    }
    let related: Vec<_> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .enumerate()
        .map(|(i, l)| {
            let mut v = sarif_location(&l.span, sources, &l.message);
            v["id"] = i.into();
            v
        })
        .collect();
    if !related.is_empty() {
        r["relatedLocations"] = related.into();
    }
    r
}

fn sarif_skeleton(used: &[super::Code], results: serde_json::Value) -> serde_json::Value {
    let rules: Vec<_> = used
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "name": c.title(),
                "shortDescription": { "text": c.title() },
                "fullDescription": { "text": c.doc().trim() },
                "help": { "text": format!("gpforge explain {}", c.as_str()) },
                "defaultConfiguration": { "level": sarif_level(c.severity()) },
            })
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "gpforge",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/gpforge/gpforge",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// A JSON value as pretty text with a final line break.
pub fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::SourceMap;
    use super::*;
    use crate::diag::Code;

    fn diags(n: usize, sources: &mut SourceMap) -> Vec<Diagnostic> {
        let f = sources.add("a.admx", "<a>\n  <b x=\"1\"/>\n</a>\n");
        (0..n)
            .map(|i| {
                Diagnostic::new(
                    Code::V021,
                    format!("finding {i} with \"quotes\"\nand a break"),
                )
                .at(super::super::Span::new(f, 6..12), "here")
                .also(super::super::Span::new(f, 0..3), "and here")
                .note("a note")
            })
            .collect()
    }

    /// The streamed reports are byte for byte the whole value pretty-printed.
    #[test]
    fn streamed_json_and_sarif_equal_the_whole_value() {
        for n in [0, 1, 3] {
            let mut sources = SourceMap::new();
            let d = diags(n, &mut sources);
            let summary = serde_json::json!({ "files": 1, "errors": [0, {"x": n}] });
            let whole = serde_json::json!({
                "diagnostics": json(&d, &sources),
                "summary": summary.clone(),
            });
            let mut want = serde_json::to_string_pretty(&whole).unwrap();
            want.push('\n');
            let mut got = Vec::new();
            json_to(&mut got, &d, &sources, summary).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                want,
                "json, {n} finding(s)"
            );

            let mut want = serde_json::to_string_pretty(&sarif(&d, &sources)).unwrap();
            want.push('\n');
            let mut got = Vec::new();
            sarif_to(&mut got, &d, &sources, &[]).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                want,
                "sarif, {n} finding(s)"
            );
        }
    }
}
