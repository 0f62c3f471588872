//! `gpforge import`: an ADMX file with the ADMLs beside it → a definitions folder in gpforge's
//! TOML (en-US texts inline, other cultures as `locales/<culture>.toml`). Reads through the
//! validator's decoder and spanned DOM, so every problem has a file, line and column.
//! Whatever the TOML cannot hold is reported (I-codes), never dropped silently.
//! Input: [`Input`] (texts) or a path. Output: [`Imported`] (relative file names and TOML).

mod policy;
mod presentation;
pub mod states;
pub(crate) mod toml;

use self::toml::{Doc, array, string};
use crate::admx::decode;
use crate::admx::dom::Document;
use crate::admx::view::{Adml, Admx, Node, Policy, Presentation, referenced_id};
use crate::diag::{Code, Diagnostic, Diagnostics, FileId, Span};
use crate::source::SourceMap;
use crate::validate::store;
use indexmap::IndexMap;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One file to import, as read.
pub struct Source {
    /// The name diagnostics show (a path).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// An ADMX with its ADMLs by culture (`en-US` required).
pub struct Input {
    pub admx: Source,
    pub admls: Vec<(String, Source)>,
}

/// A definitions folder in memory.
#[derive(Debug)]
pub struct Imported {
    /// The template folder name (the ADMX file stem).
    pub folder: String,
    /// (path relative to the folder, TOML text); `template.toml` first.
    pub files: Vec<(String, String)>,
    pub policies: usize,
    pub cultures: Vec<String>,
    /// The parsed input, for readers that need it again (the round trip's diff): the ADMX as
    /// `<name>.admx`, each ADML as `<culture>/<name>.adml`.
    pub parsed: Vec<(String, Document)>,
}

/// Reads `admx` and the `<culture>/<stem>.adml` files beside it.
pub fn read_input(admx: &Path) -> std::io::Result<Input> {
    let bytes = crate::fsx::read_checked(admx, None)?;
    let stem = admx
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let dir = admx.parent().unwrap_or(Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut admls = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| crate::emit::io_at(dir, e))?
        .filter_map(|e| e.ok())
        // The entry's own type (no stat per entry: a store holds hundreds of ADMX files);
        // a link is followed to see whether it is a folder.
        .filter(|e| {
            e.file_type()
                .is_ok_and(|t| t.is_dir() || (t.is_symlink() && e.path().is_dir()))
        })
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| store::looks_like_culture(&n.to_string_lossy()))
        })
        .collect();
    folders.sort();
    for f in folders {
        let culture = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !store::looks_like_culture(&culture) {
            continue;
        }
        // The ADML spelt like the ADMX, else any spelling of it (names are case-insensitive).
        let exact = admx.with_extension("adml");
        let exact = exact.file_name().map(|n| f.join(n)).filter(|p| p.is_file());
        let found = match exact {
            Some(p) => Some(p),
            None => {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&f)
                    .map_err(|e| crate::emit::io_at(&f, e))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .collect();
                files.sort();
                files.into_iter().find(|p| {
                    p.extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("adml"))
                        && p.file_stem()
                            .is_some_and(|s| s.to_string_lossy().to_lowercase() == stem)
                })
            }
        };
        if let Some(p) = found {
            admls.push((
                store::canonical_culture(&culture),
                Source {
                    name: p.to_string_lossy().into_owned(),
                    bytes: crate::fsx::read_checked(&p, Some(dir))?,
                },
            ));
        }
    }
    Ok(Input {
        admx: Source {
            name: admx.to_string_lossy().into_owned(),
            bytes,
        },
        admls,
    })
}

/// Writes an imported folder to `out/<folder>` atomically: into a hidden staging folder beside
/// it (which builds skip), then renamed. Refuses to replace an existing folder unless `force`;
/// with `force` the old folder is moved aside first and removed only once the new one is in
/// place. The folder name comes from the ADMX file name and is checked before it becomes a path
/// (`...admx` has the stem `..`). Imports into one folder take its lock, one after the other.
pub fn write(out: &Path, imported: &Imported, force: bool) -> std::io::Result<PathBuf> {
    let name = &imported.folder;
    if let Some(why) = crate::model::id::file_name_problem(name) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "the template folder name {name:?} (from the ADMX file name) is not usable: it {why}; rename the ADMX file"
            ),
        ));
    }
    let target = out.join(name);
    let at = |p: &Path| {
        let p = p.to_path_buf();
        move |e| crate::emit::io_at(&p, e)
    };
    std::fs::create_dir_all(out).map_err(at(out))?;
    let _lock = crate::emit::lock(out)?;
    let exists = std::fs::symlink_metadata(&target).ok();
    if exists.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{} is a symbolic link; gpforge does not replace links",
                target.display()
            ),
        ));
    }
    if exists.is_some() && !force {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!(
                "{} already exists (use --force to replace it)",
                target.display()
            ),
        ));
    }
    // Staging and set-aside folders are hidden (builds skip them) and made with `create_dir`, so
    // they get the umask's mode like any folder the user makes; under the lock the names are ours.
    let staged = Scratch(out.join(format!(".{name}.import.{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&staged.0);
    std::fs::create_dir(&staged.0).map_err(at(&staged.0))?;
    for (rel, text) in &imported.files {
        let p = staged.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(at(parent))?;
        }
        std::fs::write(&p, text).map_err(at(&p))?;
    }
    if exists.is_some() {
        let old = Scratch(out.join(format!(".{name}.old.{}", std::process::id())));
        let _ = std::fs::remove_dir_all(&old.0);
        std::fs::rename(&target, &old.0).map_err(at(&target))?;
        if let Err(e) = std::fs::rename(&staged.0, &target) {
            // Put the old folder back; the staged one is removed with `staged`.
            let _ = std::fs::rename(&old.0, &target);
            return Err(crate::emit::io_at(&target, e));
        }
    } else {
        std::fs::rename(&staged.0, &target).map_err(at(&target))?;
    }
    Ok(target)
}

/// A folder removed when dropped (if it is still there).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::fs::symlink_metadata(&self.0).is_ok_and(|m| m.is_dir()) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A parsed input file.
struct File {
    id: FileId,
    doc: Document,
}

impl File {
    /// Where an element of this file is.
    fn span(&self, el: Node<'_>) -> Span {
        Span::new(self.id, el.span())
    }
    /// Where an attribute's value is (the element when it has no such attribute).
    fn attr_span(&self, el: Node<'_>, name: &str) -> Span {
        el.attr(name)
            .map(|(_, r)| Span::new(self.id, r))
            .unwrap_or_else(|| self.span(el))
    }
}

/// An attribute's value as an owned string.
fn get(el: Node<'_>, name: &str) -> Option<String> {
    el.get(name).map(|v| v.into_owned())
}

/// One culture's ADML.
struct Culture {
    name: String,
    /// The ADML's path as read.
    source_name: String,
    file: File,
    strings: IndexMap<String, String>,
    presentations: HashMap<String, u32>,
}

impl Culture {
    fn presentation(&self, id: &str) -> Option<Presentation<'_>> {
        let index = *self.presentations.get(id)?;
        Some(Presentation(Node {
            doc: &self.file.doc,
            index,
        }))
    }
}

fn parse(source: Source, sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<File> {
    let decoded = decode::decode(source.bytes);
    let (doc, problem) = Document::parse(decoded.text);
    let id = sources.add(source.name.clone(), doc.text.clone());
    if let Some(p) = problem {
        let (range, message) = match p {
            crate::admx::dom::Problem::Syntax { at, message } => (at..at, message),
            crate::admx::dom::Problem::Doctype { span, .. } => {
                (span, "a DOCTYPE is not allowed in ADMX/ADML".to_string())
            }
        };
        diags.push(
            Diagnostic::new(
                Code::I001,
                format!("{} is not well-formed XML", source.name),
            )
            .at(Span::new(id, range), message)
            .note("run `gpforge validate` on it for details"),
        );
        return None;
    }
    Some(File { id, doc })
}

fn culture(name: String, source_name: String, file: File) -> Culture {
    let mut strings = IndexMap::new();
    let mut presentations = HashMap::new();
    if let Some(l) = Adml::of(&file.doc) {
        for s in l.string_table().into_iter().flat_map(|t| t.strings()) {
            if let Some(id) = get(*s, "id") {
                strings.entry(id).or_insert_with(|| s.text().into_owned());
            }
        }
        for p in l.presentations() {
            if let Some(id) = get(*p, "id") {
                presentations.entry(id).or_insert(p.index);
            }
        }
    }
    Culture {
        name,
        source_name,
        file,
        strings,
        presentations,
    }
}

/// Imports one ADMX with its ADMLs. `None` when the input cannot be read at all (I001).
pub fn import(input: Input, sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<Imported> {
    let admx_name = input.admx.name.clone();
    let admx = parse(input.admx, sources, diags)?;
    let mut cultures = Vec::new();
    for (c, src) in input.admls {
        let source_name = src.name.clone();
        if let Some(f) = parse(src, sources, diags) {
            cultures.push(culture(c, source_name, f));
        }
    }
    let Some(en) = cultures.iter().position(|c| c.name == "en-US") else {
        diags.push(
            Diagnostic::new(
                Code::I001,
                format!("{admx_name} has no en-US ADML beside it"),
            )
            .at(
                Span::new(admx.id, 0..0),
                "expected en-US/<name>.adml next to this file",
            )
            .note("gpforge's definitions hold en-US texts inline; import needs them"),
        );
        return None;
    };
    let en = cultures.remove(en);
    let Some(root) = Admx::of(&admx.doc).filter(|r| r.tag() == "policyDefinitions") else {
        diags.push(
            Diagnostic::new(Code::I001, format!("{admx_name} is not an ADMX file"))
                .at(Span::new(admx.id, 0..0), "no <policyDefinitions> root"),
        );
        return None;
    };
    let stem = Path::new(&admx_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cx = Cx {
        admx: &admx,
        en: &en,
        cultures: &cultures,
        diags,
        used: HashSet::new(),
        locales: cultures
            .iter()
            .map(|c| (c.name.clone(), IndexMap::new()))
            .collect(),
        en_labels: HashMap::new(),
        own_layouts: BTreeMap::new(),
    };
    let mut imported = cx.run(root, stem);
    let file_name = |n: &str| {
        Path::new(n)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    imported.parsed.push((file_name(&admx_name), admx.doc));
    for c in std::iter::once(en).chain(cultures) {
        let name = format!("{}/{}", c.name, file_name(&c.source_name));
        imported.parsed.push((name, c.file.doc));
    }
    Some(imported)
}

struct Cx<'a> {
    admx: &'a File,
    en: &'a Culture,
    cultures: &'a [Culture],
    diags: &'a mut Diagnostics,
    /// en-US string ids already placed inline.
    used: HashSet<String>,
    /// Per culture: id → text for `locales/<culture>.toml`.
    locales: BTreeMap<String, IndexMap<String, String>>,
    /// Generated ids of presentation texts (labels, defaults) → en-US text.
    en_labels: HashMap<String, String>,
    /// Per culture: presentations it lays out otherwise than en-US (written to its locale
    /// file as `[[presentation]]`).
    own_layouts: BTreeMap<String, Vec<String>>,
}

impl Cx<'_> {
    fn left_out(&mut self, span: Span, message: String, label: &str) {
        self.diags
            .push(Diagnostic::new(Code::I002, message).at(span, label.to_string()));
    }

    /// Reports attributes of `el` that gpforge does not represent.
    fn unknown_attrs(&mut self, el: Node<'_>, owner: &str) {
        let doc = el.doc;
        let known = crate::admx::attributes(el.tag());
        let extra: Vec<(String, std::ops::Range<usize>)> = doc
            .attrs(el.index)
            .iter()
            .filter(|a| {
                let n = doc.attr_name(a);
                !known.contains(&n) && !n.starts_with("xmlns")
            })
            .map(|a| {
                (
                    doc.attr_name(a).to_string(),
                    a.name.start as usize..a.value.end as usize,
                )
            })
            .collect();
        for (n, r) in extra {
            self.left_out(
                Span::new(self.admx.id, r),
                format!("attribute `{n}` of {owner} is not in Microsoft's ADMX schema, so no consumer reads it; left out (gpforge diff does not count it)"),
                "not imported",
            );
        }
    }

    /// The en-US text of a `$(string.ID)` reference, marking the id as placed. Returns
    /// (text, id). A missing string is reported and its id stands in for the text.
    fn string(&mut self, el: Node<'_>, attr: &str) -> Option<(String, String)> {
        let raw = el.get(attr)?;
        let id = referenced_id(&raw, "string").to_string();
        let text = match self.en.strings.get(&id) {
            Some(t) => t.clone(),
            None => {
                let span = self.admx.attr_span(el, attr);
                self.diags.push(
                    Diagnostic::new(
                        Code::I004,
                        format!(
                            "string `{id}` is not in the en-US ADML; its id stands in for the text"
                        ),
                    )
                    .at(span, "referenced here"),
                );
                id.clone()
            }
        };
        Some((text, id))
    }

    /// `field = "text"` (and `field_id` when the id is not `generated`) for a string reference,
    /// as encoded pairs; a second use of an id refers to it as `$(string.ID)`.
    fn text_pairs(
        &mut self,
        field: &str,
        el: Node<'_>,
        attr: &str,
        generated: &str,
    ) -> Vec<(String, String)> {
        let Some((text, id)) = self.string(el, attr) else {
            return Vec::new();
        };
        if !self.en.strings.contains_key(&id) || self.used.insert(id.clone()) {
            let mut out = vec![(field.to_string(), self::toml::text_field(&text))];
            if id != generated {
                out.push((format!("{field}_id"), string(&id)));
            }
            self.translations(&id);
            out
        } else {
            vec![(field.to_string(), string(&format!("$(string.{id})")))]
        }
    }

    fn text_field(&mut self, d: &mut Doc, field: &str, el: Node<'_>, attr: &str, generated: &str) {
        for (k, v) in self.text_pairs(field, el, attr, generated) {
            d.raw(&k, &v);
        }
    }

    /// Copies the other cultures' texts of an ADML string into their locale tables.
    fn translations(&mut self, id: &str) {
        for c in self.cultures {
            if let Some(t) = c.strings.get(id) {
                self.locales
                    .get_mut(&c.name)
                    .expect("one table per culture")
                    .insert(id.to_string(), t.clone());
            }
        }
    }

    fn run(&mut self, root: Admx<'_>, stem: String) -> Imported {
        self.unknown_attrs(*root, "policyDefinitions");
        let mut head = Doc::new(&format!(
            "Imported from {stem}.admx by `gpforge import`.\nen-US texts are inline; other cultures are in locales/<culture>.toml."
        ));
        let own_prefix = self.template_table(root, &stem, &mut head);
        let policies: Vec<Policy<'_>> = root.policies().collect();
        let defaults = defaults(&policies, &mut head);
        self.usings(root, &own_prefix, &mut head);
        if let Some(ann) = root.child("annotation") {
            let span = self.admx.span(ann);
            self.left_out(span, "`annotation` is not imported".into(), "left out");
        }
        self.supported_on(root, &mut head);
        self.categories(root, &mut head);
        let mut files = self.policy_files(&policies, &defaults, &own_prefix);
        self.orphan_presentations(&policies, &mut files);
        self.unused_strings(&mut head);

        let mut out = vec![("template.toml".to_string(), head.finish())];
        for (name, d) in files {
            out.push((name, d.finish()));
        }
        for c in self.cultures {
            out.push(self.locale_file(c, &stem));
        }
        Imported {
            folder: stem,
            files: out,
            policies: policies.len(),
            cultures: std::iter::once("en-US".to_string())
                .chain(self.cultures.iter().map(|c| c.name.clone()))
                .collect(),
            parsed: Vec::new(),
        }
    }

    /// `[template]`: name, prefix, namespace, revisions, superseded ADM files and the en-US
    /// header texts. Returns the template's own prefix.
    fn template_table(&mut self, root: Admx<'_>, stem: &str, head: &mut Doc) -> String {
        let a = self.admx;
        head.table("[template]");
        head.str("name", stem);
        let target = root.target();
        let own_prefix = target.and_then(|t| get(*t, "prefix")).unwrap_or_default();
        head.str("prefix", &own_prefix);
        head.str(
            "namespace",
            &target
                .and_then(|t| get(*t, "namespace"))
                .unwrap_or_default(),
        );
        let revision = get(*root, "revision").unwrap_or_else(|| "1.0".into());
        head.str("revision", &revision);
        let resources = root.resources();
        let min_required = resources.and_then(|r| get(*r, "minRequiredRevision"));
        if let Some(r) = min_required.as_ref().filter(|r| **r != revision) {
            head.str("min_required_revision", r);
        }
        // The ADMLs' revision, when it is not the one the build derives from the two above.
        let min_required = min_required.unwrap_or_else(|| revision.clone());
        if let (Some(admx_rev), Some(min_rev)) = (
            crate::model::Revision::parse(&revision),
            crate::model::Revision::parse(&min_required),
        ) && let Some(en_rev) = Adml::of(&self.en.file.doc).and_then(|l| get(*l, "revision"))
        {
            let derived = crate::model::derived_adml_revision(admx_rev, min_rev);
            if crate::model::Revision::parse(&en_rev) != Some(derived) {
                head.str("adml_revision", &en_rev);
            }
        }
        if let Some((_, span)) = resources.and_then(|r| r.fallback_culture()) {
            self.left_out(
                Span::new(a.id, span),
                "`fallbackCulture` has no place in the definitions; left out".into(),
                "not imported",
            );
        }
        let superseded: Vec<String> = root.superseded_adm().map(|s| s.0.into_owned()).collect();
        match superseded.as_slice() {
            [] => {}
            [one] => head.str("superseded_adm", one),
            many => head.raw(
                "superseded_adm",
                &array(&many.iter().map(|s| string(s)).collect::<Vec<_>>()),
            ),
        }
        let en_root = Adml::of(&self.en.file.doc);
        let header_text = |n: &str| {
            en_root
                .and_then(|r| r.child(n))
                .map(|e| e.text().into_owned())
                .unwrap_or_default()
        };
        head.text("display_name", header_text("displayName").trim());
        head.text("description", header_text("description").trim());
        own_prefix
    }

    /// `[[using]]` tables: the declared ones, then every prefix used without a `<using>`
    /// (implicit; Windows templates refer to `products:` so, and GPMC resolves the well-known
    /// prefixes through the central store).
    fn usings(&mut self, root: Admx<'_>, own_prefix: &str, head: &mut Doc) {
        let doc = &self.admx.doc;
        let mut declared: HashSet<String> = HashSet::from([own_prefix.to_string()]);
        for u in root.usings() {
            let prefix = get(*u, "prefix").unwrap_or_default();
            head.table("[[using]]");
            head.str("prefix", &prefix);
            head.str("namespace", &get(*u, "namespace").unwrap_or_default());
            declared.insert(prefix);
        }
        for el in doc.all() {
            let Some((r, _)) = doc.attr(el, "ref") else {
                continue;
            };
            let Some((prefix, _)) = r.split_once(':') else {
                continue;
            };
            if declared.contains(prefix) {
                continue;
            }
            let prefix = prefix.to_string();
            declared.insert(prefix.clone());
            let known = match prefix.as_str() {
                "products" => Some("Microsoft.Policies.Products"),
                "windows" => Some("Microsoft.Policies.Windows"),
                _ => None,
            };
            head.table("[[using]]");
            head.str("prefix", &prefix);
            // A prefix declared nowhere has no namespace: its references stay unresolved, as
            // in the editor.
            if let Some(namespace) = known {
                head.str("namespace", namespace);
            }
            head.bool("implicit", true);
        }
    }

    /// Policies: one file, or one per category when there are many.
    fn policy_files(
        &mut self,
        policies: &[Policy<'_>],
        defaults: &Defaults,
        own_prefix: &str,
    ) -> IndexMap<String, Doc> {
        let mut files: IndexMap<String, Doc> = IndexMap::new();
        let split = policies.len() > 30;
        let mut names: HashMap<String, String> = HashMap::new();
        for p in policies {
            let category = p.parent().map(|c| c.0.into_owned()).unwrap_or_default();
            let file = if split {
                category_file_name(&category, &mut names, &files)
            } else {
                "policies.toml".to_string()
            };
            let d = files.entry(file).or_insert_with(|| {
                Doc::new(&if split {
                    format!("Policies of category {category}.")
                } else {
                    "Policies.".to_string()
                })
            });
            self.policy(*p, defaults, own_prefix, d);
        }
        files
    }

    /// Presentations no policy refers to: `[[presentation]]` tables in presentations.toml.
    fn orphan_presentations(&mut self, policies: &[Policy<'_>], files: &mut IndexMap<String, Doc>) {
        let referenced: HashSet<String> = policies
            .iter()
            .filter_map(|p| get(**p, "presentation"))
            .map(|r| referenced_id(&r, "presentation").to_string())
            .collect();
        let mut orphans: Vec<&String> = self
            .en
            .presentations
            .keys()
            .filter(|id| !referenced.contains(*id))
            .collect();
        orphans.sort();
        if !orphans.is_empty() {
            let mut d = Doc::new(
                "Presentations no policy uses: the editor shows none of them; they are kept so the ADMLs rebuild whole.",
            );
            for id in orphans {
                self.orphan_presentation(id, &mut d);
            }
            files.insert("presentations.toml".to_string(), d);
        }
    }

    /// Strings no attribute refers to stay in `[strings]`.
    fn unused_strings(&mut self, head: &mut Doc) {
        let unused: Vec<(&String, &String)> = self
            .en
            .strings
            .iter()
            .filter(|(id, _)| !self.used.contains(*id))
            .collect();
        if !unused.is_empty() {
            head.table("[strings]");
            for (id, t) in unused {
                head.text(id, t);
                self.translations(id);
            }
        }
    }

    /// `locales/<culture>.toml`: the culture's texts, the ids it rightly shares with en-US
    /// (`same`), what it lacks (`missing`, D057) and the presentations it lays out its own way.
    fn locale_file(&mut self, c: &Culture, stem: &str) -> (String, String) {
        // Strings only this culture has are kept (the build warns, D048).
        for (id, t) in c.strings.iter() {
            if !self.en.strings.contains_key(id) {
                self.locales
                    .get_mut(&c.name)
                    .expect("one table per culture")
                    .insert(id.clone(), t.clone());
            }
        }
        let table = &self.locales[&c.name];
        let mut d = Doc::new(&format!(
            "{} texts of {stem}, keyed by en-US string id.",
            c.name
        ));
        let same: Vec<String> = table
            .iter()
            .filter(|(id, t)| self.en_text(id).as_deref() == Some(t.as_str()))
            .map(|(id, _)| string(id))
            .collect();
        if !same.is_empty() {
            d.raw("same", &array(&same));
        }
        // What this culture's ADML lacks stays missing (D057), never filled from en-US.
        let missing: Vec<String> = self
            .en
            .strings
            .keys()
            .filter(|id| !c.strings.contains_key(*id))
            .map(|id| string(id))
            .collect();
        if !missing.is_empty() {
            d.raw("missing", &array(&missing));
        }
        let mut absent: Vec<&String> = self
            .en
            .presentations
            .keys()
            .filter(|id| !c.presentations.contains_key(*id))
            .collect();
        absent.sort();
        if !absent.is_empty() {
            let absent: Vec<String> = absent.into_iter().map(|id| string(id)).collect();
            d.raw("missing_presentations", &array(&absent));
        }
        d.table("[strings]");
        for (id, t) in table {
            d.text(id, t);
        }
        // Presentations this culture lays out its own way, whole.
        for id in self.own_layouts.get(&c.name).into_iter().flatten() {
            if let Some(p) = c.presentation(id) {
                presentation::write_presentation(&mut d, id, p);
            }
        }
        (format!("locales/{}.toml", c.name), d.finish())
    }

    /// The en-US text of a string or generated label id, as lowering will hold it.
    fn en_text(&self, id: &str) -> Option<String> {
        self.en
            .strings
            .get(id)
            .cloned()
            .or_else(|| self.en_labels.get(id).cloned())
    }
}

struct Defaults {
    class: Option<String>,
    key: Option<String>,
    supported: Option<String>,
}

/// The class, key and supportedOn most policies share (at least two): `[template.defaults]`.
fn defaults(policies: &[Policy<'_>], head: &mut Doc) -> Defaults {
    let most = |attr: &dyn Fn(Policy<'_>) -> Option<String>| -> Option<String> {
        let mut n: IndexMap<String, usize> = IndexMap::new();
        for p in policies {
            if let Some(v) = attr(*p) {
                *n.entry(v).or_default() += 1;
            }
        }
        n.into_iter()
            .fold(None, |best: Option<(String, usize)>, (v, c)| match best {
                Some((_, bc)) if bc >= c => best,
                _ => Some((v, c)),
            })
            .filter(|(_, c)| *c >= 2)
            .map(|(v, _)| v)
    };
    let defaults = Defaults {
        class: most(&|p| get(*p, "class")),
        key: most(&|p| get(*p, "key")),
        supported: most(&|p| p.supported_on().map(|s| s.0.into_owned())),
    };
    if defaults.class.is_some() || defaults.key.is_some() || defaults.supported.is_some() {
        head.table("[template.defaults]");
        if let Some(c) = &defaults.class {
            head.str("class", c);
        }
        if let Some(k) = &defaults.key {
            head.str("key", k);
        }
        if let Some(s) = &defaults.supported {
            head.str("supported_on", s);
        }
    }
    defaults
}

/// The policy file of a category when policies are split by category: its name with
/// anything but letters, digits and `_` as `-`, numbered when it would clash with another
/// file (case-insensitively) or with template.toml.
fn category_file_name(
    category: &str,
    names: &mut HashMap<String, String>,
    files: &IndexMap<String, Doc>,
) -> String {
    let base: String = category
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let base = if base.is_empty() {
        "policies".into()
    } else {
        base
    };
    let n = names.len();
    names
        .entry(category.to_string())
        .or_insert_with(|| {
            let taken = |b: &str| {
                b.eq_ignore_ascii_case("template")
                    || files
                        .keys()
                        .any(|k| k.eq_ignore_ascii_case(&format!("{b}.toml")))
            };
            if taken(&base) {
                format!("{base}-{n}.toml")
            } else {
                format!("{base}.toml")
            }
        })
        .clone()
}
