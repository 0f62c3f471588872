//! `gpforge validate`: checks ADMX/ADML files and whole `PolicyDefinitions` stores the way GPMC
//! and Intune read them, and reports every problem with a V-code and a location.
//!
//! ```text
//! bytes ─decode─▶ text ─dom─▶ spanned tree ─checks (per file)─▶ facts ─checks (per store)─▶ diagnostics
//! ```
//! Files are processed in parallel, store by store; each file's tree is dropped once its facts
//! are taken, and a store's facts once its store rules have run, with the text of every file no
//! finding points into. Memory is bounded by the stores in flight and the files with findings,
//! not by the input. The library never prints.

pub mod baseline;
pub mod checks;
pub mod config;
pub mod facts;
pub mod store;
pub mod windows_namespaces;

use crate::admx::{decode, dom};
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceMap;
use checks::namespace::Kind;
use checks::{Family, Sink};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
pub use store::{Entry, Group, Place};

/// Whose view of the files the severities follow.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Errors are what the Group Policy editor refuses; schema violations it tolerates warn.
    #[default]
    Gpmc,
    /// Like gpmc, and every schema violation is an error (the XSD's verdict).
    Schema,
    /// Like gpmc, plus what Intune's ADMX import and ingestion refuse, as errors.
    Intune,
}

impl Profile {
    /// The severity of a diagnostic under this profile.
    fn adjust(self, d: &mut Diagnostic) {
        let Some(rule) = d.code.rule() else { return };
        if self == Profile::Intune && rule.intune_error {
            d.severity = Severity::Error;
        }
        if self == Profile::Schema
            && matches!(rule.family, Family::Schema | Family::Namespace)
            && d.severity == Severity::Warning
        {
            d.severity = Severity::Error;
        }
    }
}

/// The result of one validation run.
pub struct Report {
    /// Every validated file by id; the text only of files a finding points into (the others'
    /// texts were dropped with their store: nothing renders them).
    pub sources: SourceMap,
    pub diags: Vec<Diagnostic>,
    /// What the store rules read of the files of the stores that finished as the run ended
    /// (when less was left to read than the store itself; the others' facts were freed as each
    /// store finished, with the texts of their files without a finding). Kept with the report
    /// rather than freed at the end of the run: their many small allocations are freed with
    /// the report, or not at all by a process that exits right after printing it (the command
    /// line).
    pub facts: Vec<store::FileInfo>,
    pub files: usize,
    pub policies: usize,
    pub bytes: usize,
    pub elapsed: Duration,
}

impl Report {
    /// Findings of a severity, folded ones included.
    pub fn count(&self, s: Severity) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == s)
            .map(Diagnostic::weight)
            .sum()
    }
}

/// Failures of the tool (unreadable paths), not findings.
#[derive(Debug)]
pub struct IoError(pub PathBuf, pub std::io::Error);

impl std::fmt::Display for IoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read {}: {}", self.0.display(), self.1)
    }
}

impl std::error::Error for IoError {}

/// Groups the given paths: each folder is a store; loose files form one more group.
pub fn groups(paths: &[PathBuf]) -> Result<Vec<Group>, IoError> {
    let mut out = Vec::new();
    let mut loose = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| IoError(p.clone(), e))?;
        if meta.is_dir() {
            let group = store::discover_store(p)?;
            if group.entries.is_empty() {
                // A folder holding stores (`vendors/<product>/PolicyDefinitions`): each store
                // found below it is validated as its own store.
                let found = stores_below(p, 4)?;
                if !found.is_empty() {
                    out.extend(found);
                    continue;
                }
            }
            out.push(group);
        } else {
            loose.push(p.clone());
        }
    }
    if !loose.is_empty() {
        out.push(store::discover_loose(&loose).map_err(|e| IoError(loose[0].clone(), e))?);
    }
    Ok(out)
}

/// The stores (folders with ADMX or ADML files) below `dir`, up to `depth` folders down, in
/// name order; a folder that is a store is not searched further. Links are not followed (a
/// store under review must not lead the search elsewhere).
fn stores_below(dir: &Path, depth: usize) -> Result<Vec<Group>, IoError> {
    let mut out = Vec::new();
    if depth == 0 {
        return Ok(out);
    }
    let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| IoError(dir.to_path_buf(), e))?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| !crate::fsx::is_hidden(p))
        .collect();
    subs.sort();
    for sub in subs {
        let group = store::discover_store(&sub)?;
        if group.entries.iter().any(|e| e.place == Place::Top) {
            out.push(group);
        } else {
            out.extend(stores_below(&sub, depth - 1)?);
        }
    }
    Ok(out)
}

/// Validates files and folders from disk.
pub fn validate_paths(paths: &[PathBuf], profile: Profile) -> Result<Report, IoError> {
    validate_against(paths, profile, None)
}

/// [`validate_paths`], resolving usings and references also against a reference store (the
/// central store the files will join; `--store DIR`), whose own files are not reported on.
pub fn validate_against(
    paths: &[PathBuf],
    profile: Profile,
    reference: Option<&Path>,
) -> Result<Report, IoError> {
    validate_capped(paths, profile, reference, 0)
}

/// [`validate_against`] for a report that shows at most `cap` findings per file and code
/// (`--max-per-code`; 0: all): beyond the first `cap + 1` of a file and code in source order,
/// findings are only counted, in a tally record ([`Diagnostic::folded`]), so memory stays
/// bounded by the report shown, not by the findings of a hostile file.
pub fn validate_capped(
    paths: &[PathBuf],
    profile: Profile,
    reference: Option<&Path>,
    cap: usize,
) -> Result<Report, IoError> {
    validate_selected(paths, profile, reference, cap, &Selection::ALL)
}

/// Which findings a report keeps, asked as the run goes, so a finding nobody will see is not
/// built (a default run on a vendor's store skips thousands of pedantic and schema-only ones)
/// and a file left without a finding does not keep its text.
#[derive(Clone, Copy)]
pub struct Selection<'a> {
    /// Whether findings of this code can be kept at all: asked before a check builds one.
    pub code: &'a (dyn Fn(crate::diag::Code) -> bool + Sync),
    /// Whether this finding is kept, with the name of its file as [`SourceMap::name`] gives it
    /// (empty for a finding without a location): asked as its store finishes.
    pub finding: &'a (dyn Fn(&Diagnostic, &str) -> bool + Sync),
}

impl Selection<'static> {
    /// Every finding.
    pub const ALL: Selection<'static> = Selection {
        code: &|_| true,
        finding: &|_, _| true,
    };
}

/// [`validate_capped`] keeping only the findings `select` selects (`--select`, `--ignore`, the
/// rules on by default, per-path ignores): the texts of files left without a finding are not
/// kept either.
pub fn validate_selected(
    paths: &[PathBuf],
    profile: Profile,
    reference: Option<&Path>,
    cap: usize,
    select: &Selection<'_>,
) -> Result<Report, IoError> {
    let started = Instant::now();
    let groups = groups(paths)?;
    let mut inputs = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for e in &group.entries {
            inputs.push((g, e.clone(), None));
        }
    }
    let reference = match reference {
        Some(dir) => reference_store(dir, inputs.len())?,
        None => Vec::new(),
    };
    run(&groups, inputs, profile, started, &reference, cap, select)
}

/// What the ADMX files at the top of a reference store provide (their facts; file ids start at
/// `first_id`, after the validated files'). A file that cannot be read or parsed provides
/// nothing; it is not this run's subject.
fn reference_store(dir: &Path, first_id: usize) -> Result<Vec<store::FileInfo>, IoError> {
    let meta = std::fs::metadata(dir).map_err(|e| IoError(dir.to_path_buf(), e))?;
    if !meta.is_dir() {
        return Err(IoError(
            dir.to_path_buf(),
            std::io::Error::other("--store names a PolicyDefinitions folder, not a file"),
        ));
    }
    let group = store::discover_store(dir)?;
    let mut out = Vec::new();
    for e in group
        .entries
        .iter()
        .filter(|e| e.place == Place::Top && e.ext_kind == Some(Kind::Admx))
    {
        let Ok(Ok(bytes)) = crate::fsx::read_file(&e.path, group.root.as_deref()) else {
            continue;
        };
        let size = bytes.len();
        let (doc, problem) = dom::Document::parse(decode::decode(bytes).text);
        if problem.is_some() {
            continue;
        }
        let mut info = file_info(first_id + out.len(), e, size);
        info.admx = Some(facts::admx(&doc));
        out.push(info);
    }
    Ok(out)
}

/// Validates files held in memory as one store (`name` relative to the store folder, e.g.
/// `x.admx` or `en-US/x.adml`). Used by `build` on what it generated.
pub fn validate_memory(files: &[(String, Vec<u8>)], profile: Profile) -> Result<Report, IoError> {
    let started = Instant::now();
    let entries: Vec<Entry> = files
        .iter()
        .map(|(name, _)| {
            let path = PathBuf::from(name);
            let place = match name.rsplit_once('/') {
                Some((dir, _)) => Place::Culture(dir.rsplit('/').next().unwrap_or(dir).into()),
                None => Place::Top,
            };
            Entry {
                name: name.clone(),
                ext_kind: store::ext_kind(&path),
                path,
                place,
            }
        })
        .collect();
    let group = Group {
        entries: entries.clone(),
        is_store: true,
        root: None,
    };
    let inputs = entries
        .into_iter()
        .zip(files)
        .map(|(e, (_, bytes))| (0, e, Some(bytes.as_slice())))
        .collect();
    run(&[group], inputs, profile, started, &[], 0, &Selection::ALL)
}

/// The result of the per-file stage.
struct Processed {
    text: String,
    diags: Vec<Diagnostic>,
    info: store::FileInfo,
    policies: usize,
}

/// A file that was not read (not a regular file, a link out of the store, too large): V005.
fn refused(id: usize, entry: &Entry, why: &crate::fsx::Refusal) -> Processed {
    let mut diags = Vec::new();
    let mut sink = Sink::new(id, &mut diags, 0);
    checks::encoding::refused(why, &mut sink);
    Processed {
        text: String::new(),
        diags,
        info: file_info(id, entry, 0),
        policies: 0,
    }
}

/// What the store rules know of a file before its contents are looked at.
fn file_info(id: usize, entry: &Entry, bytes: usize) -> store::FileInfo {
    store::FileInfo {
        id,
        name: entry.name.clone(),
        place: entry.place.clone(),
        stem: entry
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default(),
        file_name: entry
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        kind: entry.ext_kind,
        admx: None,
        adml: None,
        bytes,
    }
}

fn process(
    id: usize,
    entry: &Entry,
    bytes: &mut Vec<u8>,
    profile: Profile,
    spare: &mut dom::Spare,
    cap: usize,
    select: &Selection<'_>,
) -> Processed {
    let size = bytes.len();
    let mut diags = Vec::new();
    let mut sink = Sink::new(id, &mut diags, cap).wanting(select.code);
    let decoded = decode::decode_from(bytes);
    checks::encoding::decoded(&decoded, &mut sink);
    let readable = !decoded
        .findings
        .iter()
        .any(|f| matches!(f, decode::Finding::Invalid { .. }));
    let (doc, problem) = dom::Document::parse_reusing(decoded.text, std::mem::take(spare));
    let mut info = file_info(id, entry, size);
    let mut policies = 0;
    if let Some(p) = &problem {
        checks::encoding::parsed(p, &mut sink);
    } else if readable {
        info.kind = checks::namespace::root(&doc, entry.ext_kind, &mut sink);
        match info.kind {
            Some(Kind::Admx) => {
                checks::schema::check(&doc, false, &mut sink);
                checks::registry::check(&doc, &mut sink);
                if profile == Profile::Intune {
                    checks::intune::admx(&doc, size, &mut sink);
                }
                let f = facts::admx(&doc);
                checks::references::file(&f, id, sink.out);
                policies = f.policies.len();
                info.admx = Some(f);
            }
            Some(Kind::Adml) => {
                checks::schema::check(&doc, true, &mut sink);
                let f = facts::adml(&doc);
                checks::strings::file(&doc.text, &f, &mut sink);
                if profile == Profile::Intune {
                    checks::intune::adml(&doc, &mut sink);
                }
                info.adml = Some(f);
            }
            None => {}
        }
    }
    sink.finish();
    let (text, buffers) = doc.into_parts();
    *spare = buffers;
    Processed {
        text,
        diags,
        info,
        policies,
    }
}

/// A store whose files are still in the per-file stage: how many are left, what is done.
struct Pending {
    left: usize,
    done: Vec<(usize, Result<Processed, IoError>)>,
}

/// A store after its store rules: what the report keeps of it. `texts` holds (file id, name,
/// text), the text empty for a file no finding points into (nothing will render it).
struct Finished {
    texts: Vec<(usize, String, String)>,
    diags: Vec<Diagnostic>,
    policies: usize,
    bytes: usize,
    /// The store's facts, when it finished as the run ended (see [`Report::facts`]); else empty.
    /// Its texts are then all kept too.
    facts: Vec<store::FileInfo>,
}

/// Runs the per-file stage over every file and, as soon as the last file of a store is done,
/// that store's rules on the same worker; then the store's facts are dropped and so is the text
/// of every file without a finding. Memory is bounded by the stores in flight (at most one per
/// worker, as files are taken store by store) and the files with findings, not by the input.
fn run(
    groups: &[Group],
    inputs: Vec<(usize, Entry, Option<&[u8]>)>,
    profile: Profile,
    started: Instant,
    reference: &[store::FileInfo],
    cap: usize,
    select: &Selection<'_>,
) -> Result<Report, IoError> {
    let n = inputs.len();
    let size = |i: usize| match &inputs[i].2 {
        Some(b) => b.len() as u64,
        None => std::fs::metadata(&inputs[i].1.path)
            .map(|m| m.len())
            .unwrap_or(0),
    };
    let sizes: Vec<u64> = (0..n).map(size).collect();
    // Store by store, in the order given; in a store the largest files first, so the workers
    // finish a store together.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (inputs[i].0, std::cmp::Reverse(sizes[i])));
    let mut counts = vec![0usize; groups.len()];
    let mut store_bytes = vec![0u64; groups.len()];
    for (i, x) in inputs.iter().enumerate() {
        counts[x.0] += 1;
        store_bytes[x.0] += sizes[i];
    }
    let pending: Vec<std::sync::Mutex<Pending>> = counts
        .iter()
        .map(|&left| {
            std::sync::Mutex::new(Pending {
                left,
                done: Vec::new(),
            })
        })
        .collect();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let intune = profile == Profile::Intune;
    let untaken = std::sync::atomic::AtomicU64::new(sizes.iter().sum());
    // Each worker keeps its tree's buffers and a read buffer from file to file, on a heap with
    // huge pages where the system allows them (crate::heap).
    let state = || {
        crate::heap::advise_thread_heap();
        (dom::Spare::default(), Vec::new())
    };
    let results = on_workers(workers, n, state, |(spare, buffer), k| {
        let i = order[k];
        untaken.fetch_sub(sizes[i], Ordering::Relaxed);
        let (g, entry, bytes) = &inputs[i];
        let root = groups[*g].root.as_deref();
        let r = match bytes {
            Some(b) => {
                buffer.clear();
                buffer.extend_from_slice(b);
                Ok(process(i, entry, buffer, profile, spare, cap, select))
            }
            None => match crate::fsx::read_file_into(&entry.path, root, buffer) {
                Ok(Ok(())) => Ok(process(i, entry, buffer, profile, spare, cap, select)),
                Ok(Err(why)) => Ok(refused(i, entry, &why)),
                Err(e) => Err(IoError(entry.path.clone(), e)),
            },
        };
        let done = {
            let mut p = pending[*g].lock().unwrap_or_else(|e| e.into_inner());
            p.done.push((i, r));
            p.left -= 1;
            (p.left == 0).then(|| std::mem::take(&mut p.done))
        };
        // A store finished when less is left to read than the store itself keeps its facts and
        // texts for the report: freeing them would barely lower the peak and costs time.
        let last = untaken.load(Ordering::Relaxed) <= store_bytes[*g];
        done.map(|done| {
            (
                *g,
                finish(&groups[*g], done, reference, intune, select, last),
            )
        })
    });
    let mut finished: Vec<Option<Result<Finished, IoError>>> =
        groups.iter().map(|_| None).collect();
    for (g, f) in results.into_iter().flatten().flatten() {
        finished[g] = Some(f);
    }
    // A store without files has nothing to wait for (and its rules nothing to say).
    for (g, f) in finished.iter_mut().enumerate() {
        if counts[g] == 0 {
            *f = Some(finish(
                &groups[g],
                Vec::new(),
                reference,
                intune,
                select,
                true,
            ));
        }
    }
    report(groups, finished, n, profile, started)
}

/// `more` after `all`: the vector itself when `all` is empty.
fn append<T>(all: &mut Vec<T>, mut more: Vec<T>) {
    if all.is_empty() {
        std::mem::swap(all, &mut more);
    } else {
        all.append(&mut more);
    }
}

/// The report from every store's result, in file order; a store without a result (its worker
/// panicked) fails the run.
fn report(
    groups: &[Group],
    finished: Vec<Option<Result<Finished, IoError>>>,
    n: usize,
    profile: Profile,
    started: Instant,
) -> Result<Report, IoError> {
    let mut texts: Vec<(String, String)> = (0..n).map(|_| Default::default()).collect();
    let (mut diags, mut policies, mut bytes, mut facts) = (Vec::new(), 0, 0, Vec::new());
    for (g, f) in finished.into_iter().enumerate() {
        // A worker that panicked leaves its stores unchecked; that is a bug, reported as such.
        let f = f.unwrap_or_else(|| {
            Err(IoError(
                groups[g].root.clone().unwrap_or_default(),
                std::io::Error::other("internal error while validating this store"),
            ))
        })?;
        for (i, name, text) in f.texts {
            texts[i] = (name, text);
        }
        // Moved, not copied, when nothing came before (the facts of a large store finishing
        // last are megabytes).
        append(&mut diags, f.diags);
        policies += f.policies;
        bytes += f.bytes;
        append(&mut facts, f.facts);
    }
    let mut sources = SourceMap::new();
    for (name, text) in texts {
        sources.add(name, text);
    }
    for d in &mut diags {
        profile.adjust(d);
    }
    sort(&mut diags);
    Ok(Report {
        sources,
        diags,
        facts,
        files: n,
        policies,
        bytes,
        elapsed: started.elapsed(),
    })
}

/// The store rules over a store whose files are all through the per-file stage (`done`, in any
/// order); the store's facts are dropped here, and the text of every file no finding points
/// into. Only the findings `select` selects are kept. The first I/O failure (in file order)
/// fails the store.
fn finish(
    group: &Group,
    mut done: Vec<(usize, Result<Processed, IoError>)>,
    reference: &[store::FileInfo],
    intune: bool,
    select: &Selection<'_>,
    last: bool,
) -> Result<Finished, IoError> {
    done.sort_by_key(|d| d.0);
    let mut out = Finished {
        texts: Vec::with_capacity(done.len()),
        diags: Vec::new(),
        policies: 0,
        bytes: 0,
        facts: Vec::new(),
    };
    let mut files = Vec::with_capacity(done.len());
    for (i, p) in done {
        let p = p?;
        out.texts.push((i, p.info.name.clone(), p.text));
        out.diags.extend(p.diags);
        out.policies += p.policies;
        out.bytes += p.info.bytes;
        files.push(p.info);
    }
    let mut view = store::StoreView::new(files.iter().collect(), group.is_store);
    view.add_reference(reference);
    checks::store::store(&view, intune, &mut out.diags);
    checks::references::store(&view, &mut out.diags);
    // `out.texts` is in file order: a file's entry is found by binary search.
    let texts = &out.texts;
    let entry = |id: usize| texts.binary_search_by_key(&id, |t| t.0).ok();
    checks::strings::store(
        &view,
        &|id| entry(id).map_or("", |k| texts[k].2.as_str()),
        &mut out.diags,
    );
    checks::presentation::store(&view, &mut out.diags);
    if intune {
        checks::intune::store(&view, &mut out.diags);
    }
    drop(view);
    if last {
        out.facts = files;
    } else {
        drop(files);
    }
    out.diags.retain(|d| {
        let file = d.primary_span().and_then(|s| entry(s.file));
        (select.code)(d.code) && (select.finding)(d, file.map_or("", |k| texts[k].1.as_str()))
    });
    let mut shown = vec![false; texts.len()];
    for l in out.diags.iter().flat_map(|d| &d.labels) {
        if let Some(k) = entry(l.span.file) {
            shown[k] = true;
        }
    }
    // As the run ends, dropping would not lower the peak: the report keeps the texts.
    if !last {
        for (t, shown) in out.texts.iter_mut().zip(shown) {
            if !shown {
                t.2 = String::new();
            }
        }
    }
    Ok(out)
}

/// Runs `task(state, k)` for every k in 0..n on up to `workers` threads, each pulling the next
/// k and keeping its own `state` (made by `init`) from task to task. The results by k; `None`
/// where a thread panicked.
fn on_workers<S, R: Send>(
    workers: usize,
    n: usize,
    init: impl Fn() -> S + Sync,
    task: impl Fn(&mut S, usize) -> R + Sync,
) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let done: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers.min(n).max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut state = init();
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= n {
                            break;
                        }
                        mine.push((k, task(&mut state, k)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut out: Vec<Option<R>> = (0..n).map(|_| None).collect();
    for (k, r) in done.into_iter().flatten() {
        out[k] = Some(r);
    }
    out
}

/// Source order: file, offset, then code; equal keys keep the order the checks produced them in
/// (itself deterministic), so equal inputs print equal reports.
fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_cached_key(|d| {
        let (file, start) = d
            .primary_span()
            .map(|s| (s.file, s.range.start))
            .unwrap_or((usize::MAX, 0));
        (file, start, d.code)
    });
}
