//! The `[template]` table (file name, target, revisions, defaults), usings and `[strings]`.

use super::*;

pub(super) fn revision_of(cx: &mut Cx, s: &S<String>) -> Revision {
    Revision::parse(s.get_ref()).unwrap_or_else(|| {
        cx.err_on(
            Code::D020,
            format!("revision `{}` is not MAJOR.MINOR", s.get_ref()),
            s,
            "expected e.g. `1.0` (1-4 digits, a dot, 1-5 digits)",
        );
        Revision { major: 1, minor: 0 }
    })
}

/// `[template]`: exactly once, in template.toml (the first file). `None` when missing.
pub(super) fn find_header<'t>(
    cx: &mut Cx,
    t: &'t TemplateSource,
    first_file: FileId,
) -> Option<(FileId, &'t S<ast::TemplateSrc>)> {
    let mut header: Option<(FileId, &S<ast::TemplateSrc>)> = None;
    for (file, f) in &t.files {
        let Some(h) = &f.template else { continue };
        let span = Span::new(*file, h.span());
        // `load_dir` puts template.toml first; a single-file template is its own first file.
        if *file != first_file {
            cx.err(
                Code::D025,
                "`[template]` must be in template.toml",
                span,
                "move this table to template.toml",
            );
        } else if header.is_some() {
            cx.err(
                Code::D025,
                "`[template]` appears twice",
                span,
                "second table",
            );
        } else {
            header = Some((*file, h));
        }
    }
    if header.is_none() {
        cx.err(
            Code::D025,
            format!("template `{}` has no `[template]` table", t.folder),
            Span::new(first_file, 0..0),
            "expected `[template]` in template.toml",
        );
    }
    header
}

/// What `[template]` says, checked.
pub(super) struct Header {
    pub(super) span: Span,
    pub(super) file_name: String,
    pub(super) prefix: Option<Name>,
    pub(super) namespace: Option<NamespaceName>,
    pub(super) revision: Revision,
    pub(super) min_required_revision: Revision,
    pub(super) adml_revision: Option<Revision>,
    pub(super) default_class: Option<Class>,
    pub(super) default_key: Option<RegistryKey>,
}

pub(super) fn lower_header(cx: &mut Cx, h: &ast::TemplateSrc) -> Header {
    let span = cx.sp(&h.name);
    let prefix: Option<Name> = cx.name(&h.prefix, "prefix");
    let namespace = cx.namespace(&h.namespace);
    let file_name = h.name.get_ref().clone();
    if let Some(why) = crate::model::id::file_name_problem(&file_name) {
        cx.err(
            Code::D020,
            format!("file name {file_name:?} is not usable: it {why}"),
            span.clone(),
            "use letters, digits, `_`, `-`, inner spaces and inner dots",
        );
    }
    let revision = revision_of(cx, &h.revision);
    let adml_revision = h.adml_revision.as_ref().map(|r| revision_of(cx, r));
    let min_required_revision = match &h.min_required_revision {
        Some(r) => revision_of(cx, r),
        None => revision,
    };
    let default_class = h.defaults.class.as_ref().and_then(|c| cx.class(c));
    let default_key = h.defaults.key.as_ref().and_then(|k| cx.key(k));
    // `prefix:name` with the template's own prefix refers to the template itself.
    if let Some(p) = &prefix {
        cx.usings.insert(p.as_str().to_string());
    }
    Header {
        span,
        file_name,
        prefix,
        namespace,
        revision,
        min_required_revision,
        adml_revision,
        default_class,
        default_key,
    }
}

/// `[[using]]` tables (declared and implicit), then `[strings]`, before anything refers to
/// them.
pub(super) fn usings_and_strings(
    cx: &mut Cx,
    t: &TemplateSource,
) -> (Vec<Namespace>, Vec<Namespace>) {
    let mut usings = Vec::new();
    let mut implicit_usings = Vec::new();
    for (file, f) in &t.files {
        cx.file = *file;
        for u in &f.usings {
            let (ns, implicit) = using(cx, u.get_ref());
            if let Some(ns) = ns {
                if implicit {
                    implicit_usings.push(ns);
                } else {
                    usings.push(ns);
                }
            }
        }
        for (id, text) in &f.strings {
            let span = cx.sp(text);
            if let Some(sid) = cx.string_id(id, "string id", span.clone()) {
                cx.declared.push(sid.clone());
                cx.add_string(sid, written(text.get_ref()), span)
            }
        }
    }
    (usings, implicit_usings)
}

/// One `[[using]]`, and whether it is implicit (D050).
fn using(cx: &mut Cx, u: &ast::UsingSrc) -> (Option<Namespace>, bool) {
    let p: Option<Name> = cx.name(&u.prefix, "prefix");
    let implicit = u.implicit.as_ref().filter(|i| *i.get_ref());
    if let Some(i) = implicit {
        cx.err_on(
            Code::D050,
            format!(
                "prefix `{}` is used without a `<using>` in the ADMX",
                u.prefix.get_ref()
            ),
            i,
            if u.namespace.is_some() {
                "resolved by gpforge, not declared in the ADMX"
            } else {
                "declared nowhere: its references resolve to nothing"
            },
        );
    }
    let ns = match (&u.namespace, implicit) {
        (Some(n), _) => cx.namespace(n),
        (None, Some(_)) => {
            // A prefix nobody declares: its references stay as written.
            if let Some(p) = &p {
                cx.usings.insert(p.as_str().to_string());
            }
            return (None, true);
        }
        (None, None) => {
            cx.err_on(
                Code::D003,
                "`[[using]]` needs a `namespace`",
                &u.prefix,
                "only an `implicit = true` prefix may lack one",
            );
            None
        }
    };
    let (Some(prefix), Some(namespace)) = (p, ns) else {
        return (None, implicit.is_some());
    };
    cx.usings.insert(prefix.as_str().to_string());
    (Some(Namespace { prefix, namespace }), implicit.is_some())
}
