//! The store model: which files were given, where each sits (the top of a `PolicyDefinitions`
//! folder, a culture folder, or loose), and lookups the cross-file rules share (ADMLs of an ADMX,
//! providers of a namespace, reference resolution through prefixes). File names compare
//! case-insensitively, as on Windows. Input: paths. Output: [`Entry`] lists grouped per store.

use super::facts::{AdmlFacts, AdmxFacts, At};
use crate::diag::FileId;
pub use crate::model::id::{is_language, looks_like_culture};
use foldhash::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Where a file sits in its store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Directly in the store folder (where ADMX files belong).
    Top,
    /// In a culture sub-folder (where ADML files belong); the folder name as found.
    Culture(String),
}

/// One input file before reading.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path as shown in diagnostics.
    pub name: String,
    pub path: PathBuf,
    pub place: Place,
    /// The kind its extension says, if any.
    pub ext_kind: Option<Kind>,
}

/// Files validated together: one store folder, or the loose files given (with the counterparts
/// found beside them).
#[derive(Debug, Clone)]
pub struct Group {
    pub entries: Vec<Entry>,
    /// A whole `PolicyDefinitions` folder (so "not in the store" means "missing").
    pub is_store: bool,
    /// The store folder: a link found in it is read only while it stays inside.
    pub root: Option<PathBuf>,
}

/// A file after the per-file checks.
#[derive(Debug)]
pub struct FileInfo {
    pub id: FileId,
    pub name: String,
    pub place: Place,
    /// Lower-cased file name without extension.
    pub stem: String,
    pub file_name: String,
    pub kind: Option<Kind>,
    pub admx: Option<AdmxFacts>,
    pub adml: Option<AdmlFacts>,
    pub bytes: usize,
}

impl FileInfo {
    /// The ADMX's `<target>`, if this is a parsed ADMX that has one.
    pub fn target(&self) -> Option<&super::facts::Ns> {
        self.admx.as_ref().and_then(|a| a.target.as_ref())
    }

    /// The file name without extension, as spelt on disk.
    pub fn base(&self) -> &str {
        self.file_name
            .rsplit_once('.')
            .map(|(b, _)| b)
            .unwrap_or(&self.file_name)
    }

    pub fn culture(&self) -> Option<&str> {
        match &self.place {
            Place::Culture(c) => Some(c),
            Place::Top => None,
        }
    }
}

pub fn ext_kind(p: &Path) -> Option<Kind> {
    let e = p.extension()?.to_string_lossy().to_ascii_lowercase();
    match e.as_str() {
        "admx" => Some(Kind::Admx),
        "adml" => Some(Kind::Adml),
        _ => None,
    }
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A folder's entries in name order, each with whether it is a folder and whether a file: from
/// the listing's own file type where it has one (no `stat` per entry), else (a link, a file
/// system that does not say) from the entry's metadata, which follows links as before.
fn sorted(dir: &Path) -> std::io::Result<Vec<(PathBuf, bool, bool)>> {
    let mut v: Vec<(PathBuf, bool, bool)> = std::fs::read_dir(dir)?
        .map(|e| {
            e.map(|e| {
                let p = e.path();
                match e.file_type() {
                    Ok(t) if t.is_dir() || t.is_file() => (p, t.is_dir(), t.is_file()),
                    _ => {
                        let (d, f) = (p.is_dir(), p.is_file());
                        (p, d, f)
                    }
                }
            })
        })
        .collect::<Result<_, _>>()?;
    v.sort();
    Ok(v)
}

/// A store folder: ADMX at the top, ADML in culture folders; misplaced files are kept with their
/// place so the store rules can name them. An error names the folder that could not be read
/// (the store, or one of its culture folders).
pub fn discover_store(dir: &Path) -> Result<Group, super::IoError> {
    let sorted = |d: &Path| sorted(d).map_err(|e| super::IoError(d.to_path_buf(), e));
    let mut entries = Vec::new();
    for (p, is_dir, _) in sorted(dir)? {
        if is_dir {
            let culture = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for (q, _, is_file) in sorted(&p)? {
                if is_file && ext_kind(&q).is_some() {
                    entries.push(Entry {
                        name: display(&q),
                        ext_kind: ext_kind(&q),
                        path: q,
                        place: Place::Culture(culture.clone()),
                    });
                }
            }
        } else if ext_kind(&p).is_some() {
            entries.push(Entry {
                name: display(&p),
                ext_kind: ext_kind(&p),
                path: p,
                place: Place::Top,
            });
        }
    }
    Ok(Group {
        entries,
        is_store: true,
        root: Some(dir.to_path_buf()),
    })
}

/// Loose files, plus what GPMC would read with them: the ADMLs of an ADMX
/// (`<dir>/<culture>/<name>.adml`) and the ADMX of an ADML (`<dir>/../<name>.admx`).
pub fn discover_loose(files: &[PathBuf]) -> std::io::Result<Group> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut add = |p: PathBuf, place: Place, entries: &mut Vec<Entry>| {
        let canon = p.canonicalize().unwrap_or_else(|_| p.clone());
        if !seen.contains(&canon) {
            seen.push(canon);
            entries.push(Entry {
                name: display(&p),
                ext_kind: ext_kind(&p),
                path: p,
                place,
            });
        }
    };
    for f in files {
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let dir_name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match ext_kind(f) {
            Some(Kind::Adml) => {
                let place = if looks_like_culture(&dir_name) {
                    Place::Culture(dir_name.clone())
                } else {
                    Place::Top
                };
                add(f.clone(), place.clone(), &mut entries);
                if place != Place::Top
                    && let Some(parent) = dir.parent()
                {
                    for (q, _, _) in sorted(if parent.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        parent
                    })
                    .unwrap_or_default()
                    {
                        if ext_kind(&q) == Some(Kind::Admx) && same_stem(&q, &stem) {
                            add(q, Place::Top, &mut entries);
                        }
                    }
                }
            }
            _ => {
                add(f.clone(), Place::Top, &mut entries);
                let base = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir.clone()
                };
                for (sub, is_dir, _) in sorted(&base).unwrap_or_default() {
                    if !is_dir {
                        continue;
                    }
                    let culture = sub
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if !looks_like_culture(&culture) {
                        continue;
                    }
                    for (q, _, _) in sorted(&sub).unwrap_or_default() {
                        if ext_kind(&q) == Some(Kind::Adml) && same_stem(&q, &stem) {
                            add(q, Place::Culture(culture.clone()), &mut entries);
                        }
                    }
                }
            }
        }
    }
    // Reading a file that does not exist is the caller's I/O error.
    for f in files {
        std::fs::metadata(f)?;
    }
    Ok(Group {
        entries,
        is_store: false,
        root: None,
    })
}

fn same_stem(p: &Path, stem: &str) -> bool {
    p.file_stem()
        .is_some_and(|s| s.to_string_lossy().to_lowercase() == stem)
}

/// `en-us` → `en-US`, so a culture folder compares whatever its spelling; other names unchanged.
pub fn canonical_culture(c: &str) -> String {
    match c.split_once('-') {
        Some((l, r)) if looks_like_culture(c) => {
            format!("{}-{}", l.to_lowercase(), r.to_uppercase())
        }
        _ => c.to_string(),
    }
}

/// Lookups shared by the store rules of one group.
pub struct StoreView<'a> {
    pub files: Vec<&'a FileInfo>,
    pub is_store: bool,
    /// Target namespace → ADMX files declaring it.
    pub providers: HashMap<&'a str, Vec<&'a FileInfo>>,
    /// ADMX stem → (culture lower-cased → ADML files).
    pub admls: HashMap<&'a str, Vec<&'a FileInfo>>,
    /// Cultures present in the store (as spelled first), lower-case key.
    pub cultures: Vec<String>,
    /// (namespace, kind) → the names its providers define, for constant-time resolution.
    names: HashMap<(&'a str, NameKind), HashSet<&'a str>>,
    /// Lower-cased stems of the ADMX files at the top of the store.
    pub admx_stems: HashSet<&'a str>,
}

impl<'a> StoreView<'a> {
    pub fn new(files: Vec<&'a FileInfo>, is_store: bool) -> Self {
        let mut providers: HashMap<&str, Vec<&FileInfo>> = HashMap::default();
        let mut admls: HashMap<&str, Vec<&FileInfo>> = HashMap::default();
        let mut cultures: Vec<String> = Vec::new();
        for f in &files {
            if let Some(t) = f.target() {
                providers
                    .entry(t.namespace.text.as_str())
                    .or_default()
                    .push(f);
            }
            if f.kind == Some(Kind::Adml)
                && let Some(c) = f.culture()
            {
                admls.entry(f.stem.as_str()).or_default().push(f);
                if !cultures.iter().any(|x| x.eq_ignore_ascii_case(c)) {
                    cultures.push(c.to_string());
                }
            }
        }
        let mut names: HashMap<(&str, NameKind), HashSet<&str>> = HashMap::default();
        let mut admx_stems = HashSet::default();
        for f in &files {
            if let (Some(a), Some(t)) = (&f.admx, f.target()) {
                add_names(&mut names, &t.namespace.text, a);
            }
            if f.place == Place::Top && f.kind == Some(Kind::Admx) {
                admx_stems.insert(f.stem.as_str());
            }
        }
        StoreView {
            files,
            is_store,
            providers,
            admls,
            cultures,
            names,
            admx_stems,
        }
    }

    /// Adds what a reference store provides: the namespaces these files target (those no
    /// validated file targets itself) and the names defined in them. The files are never
    /// reported on.
    pub fn add_reference(&mut self, reference: &'a [FileInfo]) {
        // Reference files are numbered after the validated ones.
        let first = reference.first().map_or(usize::MAX, |r| r.id);
        for f in reference {
            let (Some(a), Some(t)) = (&f.admx, f.target()) else {
                continue;
            };
            let ns = t.namespace.text.as_str();
            if self
                .providers
                .get(ns)
                .is_some_and(|p| p.iter().any(|p| p.id < first))
            {
                continue;
            }
            self.providers.entry(ns).or_default().push(f);
            add_names(&mut self.names, ns, a);
        }
    }

    pub fn admx_files(&self) -> impl Iterator<Item = (&'a FileInfo, &'a AdmxFacts)> + '_ {
        self.files
            .iter()
            .filter(|f| f.place == Place::Top)
            .filter_map(|f| f.admx.as_ref().map(|a| (*f, a)))
    }

    /// The ADML of an ADMX in a culture (case-insensitive), if present and parsed.
    pub fn adml(&self, admx: &FileInfo, culture: &str) -> Option<(&'a FileInfo, &'a AdmlFacts)> {
        self.admls.get(admx.stem.as_str())?.iter().find_map(|f| {
            (f.culture().is_some_and(|c| c.eq_ignore_ascii_case(culture)))
                .then_some(())
                .and(f.adml.as_ref().map(|a| (*f, a)))
        })
    }

    /// The namespace a `prefix:name` reference of `facts` points into, if its prefix is declared.
    pub fn namespace_of<'f>(facts: &'f AdmxFacts, prefix: Option<&str>) -> Option<&'f str> {
        let target = facts.target.as_ref()?;
        match prefix {
            None => Some(&target.namespace.text),
            Some(p) if p == target.prefix.text => Some(&target.namespace.text),
            Some(p) => facts
                .usings
                .iter()
                .find(|u| u.prefix.text == p)
                .map(|u| u.namespace.text.as_str()),
        }
    }

    /// Resolves a reference: `None` when its namespace is not in the store (reported once by the
    /// store rules), `Some(found)` otherwise.
    pub fn resolve(&self, facts: &AdmxFacts, r: &At, kind: NameKind) -> Option<bool> {
        let (prefix, name) = split_ref(&r.text);
        let ns = Self::namespace_of(facts, prefix)?;
        self.providers.get(ns)?;
        Some(
            self.names
                .get(&(ns, kind))
                .is_some_and(|set| set.contains(name)),
        )
    }
}

/// Records the categories, supportedOn definitions and products an ADMX defines under its
/// target namespace.
fn add_names<'a>(
    names: &mut HashMap<(&'a str, NameKind), HashSet<&'a str>>,
    ns: &'a str,
    a: &'a AdmxFacts,
) {
    for kind in [NameKind::Category, NameKind::Definition, NameKind::Product] {
        names
            .entry((ns, kind))
            .or_default()
            .extend(kind.of(a).iter().map(|n| n.text.as_str()));
    }
}

/// The kinds of names a reference can point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Category,
    Definition,
    Product,
}

impl NameKind {
    fn of(self, f: &AdmxFacts) -> &[At] {
        match self {
            NameKind::Category => &f.categories,
            NameKind::Definition => &f.definitions,
            NameKind::Product => &f.products,
        }
    }
}

/// What a file's root says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Admx,
    Adml,
}

/// Splits `prefix:name`.
pub fn split_ref(s: &str) -> (Option<&str>, &str) {
    match s.split_once(':') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    }
}
