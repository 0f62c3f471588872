//! Products (major and minor versions) and supportedOn definitions.

use super::*;

/// A product's major versions (`major`) or a major version's minor ones.
pub(super) fn lower_versions(
    cx: &mut Cx,
    src: &[S<ast::VersionSrc>],
    major: bool,
) -> Vec<MajorVersion> {
    let mut out = Vec::new();
    for v in src {
        let v = v.get_ref();
        let vspan = cx.sp(&v.id);
        let Some(vname) = cx.name::<Name>(&v.id, "version id") else {
            continue;
        };
        let display = cx.display(
            &v.display_name,
            v.display_name_id.as_ref(),
            vspan.clone(),
            "product version",
            &[vname.as_str()],
        );
        if !major && let Some(m) = v.minor.first() {
            cx.err(
                Code::D002,
                "a minor version has no minor versions",
                cx.sp(m),
                "remove `minor` here",
            );
        }
        let minors = if major {
            lower_versions(cx, &v.minor, false)
        } else {
            Vec::new()
        };
        if let Some(display) = display {
            out.push(MajorVersion {
                name: vname,
                display,
                index: *v.index.get_ref(),
                minors,
            });
        }
    }
    out
}

/// Products and supportedOn definitions, and every name a supportedOn entry may refer to.
pub(super) struct Supported {
    pub(super) products: Vec<Product>,
    pub(super) definitions: Vec<SupportedDefinition>,
    /// Products, versions (major and minor) and definitions of this template.
    pub(super) known: HashSet<String>,
}

pub(super) fn lower_supported(cx: &mut Cx, t: &TemplateSource) -> Supported {
    let mut products = Vec::new();
    let mut definitions = Vec::new();
    let mut names: HashMap<String, Span> = HashMap::new();
    for (file, f) in &t.files {
        cx.file = *file;
        for p in &f.product {
            products.extend(product(cx, p.get_ref(), &mut names));
        }
        for s in &f.supported_on {
            definitions.extend(definition(cx, s.get_ref(), &mut names));
        }
    }
    // Version names are referable too.
    let mut known: HashSet<String> = names.keys().cloned().collect();
    for v in products.iter().flat_map(|p| &p.versions) {
        known.insert(v.name.as_str().to_string());
        known.extend(v.minors.iter().map(|m| m.name.as_str().to_string()));
    }
    check_entries(cx, t, &known);
    Supported {
        products,
        definitions,
        known,
    }
}

fn product(cx: &mut Cx, p: &ast::ProductSrc, names: &mut HashMap<String, Span>) -> Option<Product> {
    let span = cx.sp(&p.id);
    let name = cx.name::<Name>(&p.id, "product id")?;
    let display = cx.display(
        &p.display_name,
        p.display_name_id.as_ref(),
        span.clone(),
        "product",
        &[name.as_str()],
    );
    let versions = lower_versions(cx, &p.versions, true);
    names.insert(name.as_str().to_string(), span);
    Some(Product {
        name,
        display: display?,
        versions,
    })
}

fn definition(
    cx: &mut Cx,
    s: &ast::SupportedOnSrc,
    names: &mut HashMap<String, Span>,
) -> Option<SupportedDefinition> {
    let span = cx.sp(&s.id);
    let name = cx.name::<Name>(&s.id, "supportedOn id")?;
    let msg = format!("supportedOn name `{name}` is used twice");
    if !cx.first_use(names, name.as_str(), span.clone(), Code::D020, msg) {
        return None;
    }
    let display = cx.display(
        &s.display_name,
        s.display_name_id.as_ref(),
        span.clone(),
        "supportedOn definition",
        &[name.as_str()],
    );
    let empty = Vec::new();
    let (combinator, entries) = match (&s.any, &s.all) {
        (Some(e), None) => (Some(Combinator::Or), e),
        (None, Some(e)) => (Some(Combinator::And), e),
        // A definition that only names what it supports (Windows.admx has these).
        (None, None) => (None, &empty),
        _ => {
            cx.err(
                Code::D003,
                format!("supportedOn `{name}` has both `any` and `all`"),
                span,
                "keep one",
            );
            return None;
        }
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.get_ref();
        let Some(target) = cx.reference(&e.reference, Code::D008, "supportedOn") else {
            continue;
        };
        let range = e.range.as_ref().is_some_and(|r| *r.get_ref());
        out.push(match (&e.min, &e.max) {
            (None, None) if !range => SupportedEntry::Reference(target),
            (min, max) => SupportedEntry::Range {
                target,
                min: min.as_ref().map(|m| *m.get_ref()),
                max: max.as_ref().map(|m| *m.get_ref()),
            },
        });
    }
    Some(SupportedDefinition {
        name,
        display: display?,
        combinator,
        entries: out,
    })
}

/// D044 for an entry without prefix that names nothing of this template.
fn check_entries(cx: &mut Cx, t: &TemplateSource, known: &HashSet<String>) {
    for (file, f) in &t.files {
        cx.file = *file;
        for s in &f.supported_on {
            let s = s.get_ref();
            for e in s.any.iter().chain(s.all.iter()).flatten() {
                let r = e.get_ref().reference.get_ref();
                if !r.contains(':') && !known.contains(r.as_str()) {
                    let span = cx.sp(&e.get_ref().reference);
                    cx.unresolved(
                        format!("`{r}` is not a product, version or supportedOn definition of this template"),
                        span,
                    );
                }
            }
        }
    }
}
