//! Categories: ids, texts, parents (unresolved ones D044, cycles D007).

use super::*;

/// A category with the place of its `parent` (for diagnostics).
type Placed = (Category, Option<(FileId, std::ops::Range<usize>)>);

/// The categories, and the span of each id (policies look their category up there).
pub(super) fn lower_categories(
    cx: &mut Cx,
    t: &TemplateSource,
) -> (Vec<Category>, HashMap<String, Span>) {
    // Ids first (so order does not matter), then parents.
    let mut categories: Vec<Placed> = Vec::new();
    let mut spans: HashMap<String, Span> = HashMap::new();
    for (file, f) in &t.files {
        cx.file = *file;
        for c in &f.category {
            if let Some(c) = category(cx, c.get_ref(), &mut spans) {
                categories.push((c.0, c.1.map(|r| (*file, r))));
            }
        }
    }
    for (c, pspan) in &categories {
        if let (Some(p), Some((file, range))) = (&c.parent, pspan)
            && p.prefix.is_none()
            && !spans.contains_key(p.name.as_str())
        {
            cx.unresolved(
                format!("parent category `{}` is not defined", p.name),
                Span::new(*file, range.clone()),
            );
        }
    }
    check_cycles(cx, &categories);
    (categories.into_iter().map(|(c, _)| c).collect(), spans)
}

/// One category and the range of its `parent`.
fn category(
    cx: &mut Cx,
    c: &ast::CategorySrc,
    spans: &mut HashMap<String, Span>,
) -> Option<(Category, Option<std::ops::Range<usize>>)> {
    let span = cx.sp(&c.id);
    let id = cx.name::<CategoryId>(&c.id, "category id")?;
    let msg = format!("category `{id}` is defined twice");
    if !cx.first_use(spans, id.as_str(), span.clone(), Code::D005, msg) {
        return None;
    }
    let display = cx.display(
        &c.display_name,
        c.display_name_id.as_ref(),
        span,
        "category",
        &[id.as_str()],
    );
    let explain = match &c.explain {
        Some(e) => cx.text(e, c.explain_id.as_ref(), &[id.as_str(), "Explain"]),
        None => None,
    };
    let parent = c
        .parent
        .as_ref()
        .and_then(|p| cx.reference(p, Code::D007, "category"));
    let category = Category {
        id,
        display: display?,
        explain,
        parent,
    };
    Some((category, c.parent.as_ref().map(|p| p.span())))
}

/// A parent chain must end at a root (D007).
fn check_cycles(cx: &mut Cx, categories: &[Placed]) {
    for (c, pspan) in categories {
        let mut cur = c.parent.clone();
        let mut steps = 0;
        while let Some(p) = cur.filter(|p| p.prefix.is_none()) {
            steps += 1;
            if p.name.as_str() == c.id.as_str() || steps > categories.len() {
                if let Some((file, range)) = pspan {
                    cx.diags.push(
                        Diagnostic::new(
                            Code::D007,
                            format!("category `{}` is its own ancestor", c.id),
                        )
                        .at(
                            Span::new(*file, range.clone()),
                            "this parent leads back to the category",
                        ),
                    );
                }
                break;
            }
            cur = categories
                .iter()
                .find(|(x, _)| x.id.as_str() == p.name.as_str())
                .and_then(|(x, _)| x.parent.clone());
        }
    }
}
