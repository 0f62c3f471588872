//! Family `presentation`: do the controls of each policy's presentation (in every ADML) match
//! the policy's elements (in the ADMX): one control per element, of the right kind, with
//! defaults in range? Input: the facts of a store. Output: V040–V046.

use super::push_at;
use crate::admx::view::ElementKind;
use crate::diag::{Code, Diagnostic, Span};
use crate::validate::facts::PolicyFact;
use crate::validate::store::{FileInfo, StoreView};

/// Whether a presentation control can show an element of this kind.
pub fn fits(control: &str, kind: ElementKind) -> bool {
    matches!(
        (control, kind),
        ("decimalTextBox", ElementKind::Decimal)
            | ("longDecimalTextBox", ElementKind::LongDecimal)
            | ("textBox", ElementKind::Text)
            | ("comboBox", ElementKind::Text)
            | ("checkBox", ElementKind::Boolean)
            | ("dropdownList", ElementKind::Enum)
            | ("listBox", ElementKind::List)
            | ("multiTextBox", ElementKind::MultiText)
    )
}

pub fn store(view: &StoreView<'_>, out: &mut Vec<Diagnostic>) {
    for (file, f) in view.admx_files() {
        // The file's ADML in each culture, looked up once for all its policies.
        let admls: Vec<_> = view
            .cultures
            .iter()
            .filter_map(|culture| view.adml(file, culture))
            .collect();
        for p in &f.policies {
            if p.elements.is_empty() {
                continue;
            }
            let Some(pres) = &p.presentation else {
                push_at(
                    out,
                    Code::V045,
                    format!("policy `{}` has elements but no presentation", p.name.text),
                    Span::new(file.id, p.name.span.clone()),
                    "add presentation=\"$(presentation.…)\"",
                );
                continue;
            };
            for (adml, a) in &admls {
                if let Some(pf) = a.presentations.get(&pres.text) {
                    policy(file, adml, p, pf, out);
                }
            }
        }
    }
}

fn policy(
    file: &FileInfo,
    adml: &FileInfo,
    p: &PolicyFact,
    pf: &crate::validate::facts::PresentationFact,
    out: &mut Vec<Diagnostic>,
) {
    let mut shown = vec![0usize; p.elements.len()];
    for c in &pf.controls {
        let Some(r) = &c.ref_id else { continue };
        let Some(i) = p.elements.iter().position(|e| e.id.text == r.text) else {
            let d = push_at(
                out,
                Code::V040,
                format!(
                    "`<{} refId=\"{}\">` matches no element of policy `{}`",
                    c.kind, r.text, p.name.text
                ),
                Span::new(adml.id, r.span.clone()),
                "no element with this id",
            );
            if let Some(e) = p
                .elements
                .iter()
                .find(|e| e.id.text.eq_ignore_ascii_case(&r.text))
            {
                d.notes.push(format!(
                    "ids are case-sensitive: did you mean `{}`?",
                    e.id.text
                ));
            }
            continue;
        };
        let e = &p.elements[i];
        shown[i] += 1;
        if shown[i] == 2 {
            push_at(
                out,
                Code::V043,
                format!("element `{}` is shown by two controls", e.id.text),
                Span::new(adml.id, r.span.clone()),
                "second control",
            );
        }
        if !fits(&c.kind, e.kind) {
            push_at(
                out,
                Code::V041,
                format!(
                    "a `<{}>` cannot show the {} element `{}`",
                    c.kind,
                    e.kind.as_str(),
                    e.id.text
                ),
                Span::new(adml.id, c.span.clone()),
                "wrong control",
            )
            .secondary(
                Span::new(file.id, e.id.span.clone()),
                format!("a {} element", e.kind.as_str()),
            );
            continue;
        }
        if let Some((n, span)) = &c.default_item
            && *n as usize >= e.items
        {
            push_at(
                out,
                Code::V044,
                format!(
                    "defaultItem {n} is not an index of the {} items of `{}`",
                    e.items, e.id.text
                ),
                Span::new(adml.id, span.clone()),
                format!(
                    "0…{} expected (a position, not a value)",
                    e.items.saturating_sub(1)
                ),
            );
        }
        if c.kind.ends_with("ecimalTextBox")
            && let Some((n, span)) = &c.default_value
            && (*n < e.min || *n > e.max)
        {
            push_at(
                out,
                Code::V046,
                format!(
                    "defaultValue {n} is outside {}…{} of `{}`",
                    e.min, e.max, e.id.text
                ),
                Span::new(adml.id, span.clone()),
                "the editor will refuse it",
            );
        }
    }
    for (e, n) in p.elements.iter().zip(&shown) {
        if *n == 0 {
            push_at(
                out,
                Code::V042,
                format!(
                    "element `{}` of policy `{}` has no control in {}",
                    e.id.text, p.name.text, adml.name
                ),
                Span::new(file.id, e.id.span.clone()),
                "cannot be set in the editor",
            );
        }
    }
}
