//! `[[presentation]]`: presentations no policy uses. The editor never shows them, but they are
//! part of what an ADML says, so an imported template keeps them and rebuilds whole. Control
//! texts get generated string ids `<presentation>__<refId>` (static texts
//! `<presentation>__Text<n>`), under which locale files translate them.

use super::{Code, Cx, FileId, S, Span, ast};
use crate::model::{Control, ElementId, Name, Policy, Presentation, StringId};
use std::collections::HashMap;

/// Which fields each control takes, besides `control` and `label`.
fn fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "text" => &[],
        "checkBox" => &["ref_id", "default"],
        "decimalTextBox" | "longDecimalTextBox" => &["ref_id", "default", "spin", "spin_step"],
        "textBox" => &["ref_id", "default"],
        "multiTextBox" => &["ref_id", "show_as_dialog", "height"],
        "dropdownList" => &["ref_id", "no_sort", "default_item", "default"],
        "listBox" => &["ref_id"],
        "comboBox" => &["ref_id", "default", "suggestions", "no_sort"],
        _ => return None,
    })
}

fn set_fields(c: &ast::ControlSrc) -> Vec<(&'static str, std::ops::Range<usize>)> {
    let mut v = Vec::new();
    macro_rules! field {
        ($($f:ident),*) => { $( if let Some(x) = &c.$f { v.push((stringify!($f), x.span())); } )* };
    }
    field!(
        ref_id,
        default,
        default_item,
        no_sort,
        spin,
        spin_step,
        show_as_dialog,
        height
    );
    if let Some(s) = c.suggestions.as_ref().and_then(|s| s.first()) {
        v.push(("suggestions", s.span()));
    }
    v
}

pub(super) fn lower_presentations(
    cx: &mut Cx,
    files: &[(FileId, ast::FileSrc)],
    policies: &[Policy],
) -> Vec<Presentation> {
    let mut seen: HashMap<String, Span> = policies
        .iter()
        .filter_map(|p| p.presentation.as_ref())
        .map(|p| (p.id.as_str().to_string(), Span::new(cx.file, 0..0)))
        .collect();
    let mut out = Vec::new();
    for (file, f) in files {
        cx.file = *file;
        for p in &f.presentation {
            let p = p.get_ref();
            let raw = p.id.get_ref();
            let span = cx.sp(&p.id);
            if seen.contains_key(raw) {
                cx.err(
                    Code::D022,
                    format!("presentation `{raw}` is defined twice (or by a policy)"),
                    span,
                    "a presentation id is used once per template",
                );
                continue;
            }
            seen.insert(raw.clone(), span);
            let Some(id) = cx.name::<Name>(&p.id, "presentation id") else {
                continue;
            };
            let controls = controls(cx, raw, &p.control);
            out.push(Presentation { id, controls });
        }
    }
    out
}

/// A culture's own layout of presentation `id` (a `[[presentation]]` in its locale file): the
/// id must be one of the template's presentations (D022); controls as in `[[presentation]]`,
/// their texts registered (in `cx.strings`, which the caller moves into the culture's table).
pub(super) fn lower_override(
    cx: &mut Cx,
    p: &S<ast::PresentationSrc>,
    known: &[&str],
) -> Option<Presentation> {
    let p = p.get_ref();
    let raw = p.id.get_ref();
    if !known.contains(&raw.as_str()) {
        cx.err_on(
            Code::D022,
            format!("presentation `{raw}` is not one of the template's"),
            &p.id,
            "a culture can lay out only a presentation en-US has",
        );
        return None;
    }
    let id = cx.name::<Name>(&p.id, "presentation id")?;
    let controls = controls(cx, raw, &p.control);
    Some(Presentation { id, controls })
}

/// The controls of `[[presentation]]` `pres`, static texts numbered in order.
fn controls(cx: &mut Cx, pres: &str, srcs: &[S<ast::ControlSrc>]) -> Vec<Control> {
    let mut out = Vec::new();
    let mut texts = 0;
    for c in srcs {
        if c.get_ref().control.get_ref() == "text" {
            texts += 1;
        }
        out.extend(control(cx, pres, c, texts));
    }
    out
}

fn control(cx: &mut Cx, pres: &str, c: &S<ast::ControlSrc>, text_no: usize) -> Option<Control> {
    let src = c.get_ref();
    let kind = src.control.get_ref().as_str();
    let Some(allowed) = fields(kind) else {
        cx.err_on(
            Code::D022,
            format!("unknown control `{kind}`"),
            &src.control,
            "text, checkBox, decimalTextBox, longDecimalTextBox, textBox, multiTextBox, dropdownList, listBox or comboBox",
        );
        return None;
    };
    for (name, range) in set_fields(src) {
        if !allowed.contains(&name) {
            cx.err(
                Code::D002,
                format!("`{name}` does not apply to a `{kind}`"),
                Span::new(cx.file, range),
                "remove this key",
            );
        }
    }
    let empty = S::new(0..0, String::new());
    let label_src = src.label.as_ref().unwrap_or(&empty);
    if kind == "text" {
        let n = format!("Text{text_no}");
        let label = cx.text(label_src, None, &[pres, "", &n])?;
        return Some(Control::Text { label });
    }
    let Some(ref_src) = &src.ref_id else {
        cx.err_on(
            Code::D003,
            format!("a `{kind}` needs `ref_id`"),
            &src.control,
            "the id of the element it shows",
        );
        return None;
    };
    let ref_id: ElementId = cx.name(ref_src, "refId")?;
    let r = ref_src.get_ref().as_str();
    let label = cx.text(label_src, None, &[pres, "", r])?;
    let shown = Shown { src, kind, pres, r };
    Some(shown.control(cx, ref_id, label))
}

/// A control that shows an element: its source, kind, presentation id and refId text.
struct Shown<'a> {
    src: &'a ast::ControlSrc,
    kind: &'a str,
    pres: &'a str,
    r: &'a str,
}

/// A flag key: its value, else `default`.
fn flag(b: &Option<S<bool>>, default: bool) -> bool {
    b.as_ref().map_or(default, |b| *b.get_ref())
}

impl Shown<'_> {
    fn control(&self, cx: &mut Cx, ref_id: ElementId, label: StringId) -> Control {
        let src = self.src;
        match self.kind {
            "checkBox" => Control::CheckBox {
                ref_id,
                label,
                default_checked: self.checked(cx),
            },
            "decimalTextBox" | "longDecimalTextBox" => self.decimal_box(cx, ref_id, label),
            "textBox" => Control::TextBox {
                ref_id,
                label,
                default: self.text_default(cx),
            },
            "multiTextBox" => Control::MultiTextBox {
                ref_id,
                label,
                show_as_dialog: flag(&src.show_as_dialog, false),
                default_height: src
                    .height
                    .as_ref()
                    .and_then(|h| u32::try_from(*h.get_ref()).ok())
                    .unwrap_or(3),
            },
            "dropdownList" => Control::DropdownList {
                ref_id,
                label,
                no_sort: flag(&src.no_sort, false),
                default_item: src
                    .default_item
                    .as_ref()
                    .and_then(|i| usize::try_from(*i.get_ref()).ok()),
                empty_default: self.empty_item(cx),
            },
            "listBox" => Control::ListBox { ref_id, label },
            _ => self.combo_box(cx, ref_id, label),
        }
    }

    /// A checkBox's `default`: true or false.
    fn checked(&self, cx: &mut Cx) -> bool {
        match self.src.default.as_ref() {
            Some(d) => match d.get_ref() {
                toml::Value::Boolean(b) => *b,
                _ => {
                    bad(cx, d.span(), "true or false");
                    false
                }
            },
            None => false,
        }
    }

    /// A textBox's or comboBox's `default`: a text, under `<pres>__<refId>_Default`.
    fn text_default(&self, cx: &mut Cx) -> Option<StringId> {
        let d = self.src.default.as_ref()?;
        match d.get_ref() {
            toml::Value::String(t) => {
                let t = S::new(d.span(), t.clone());
                cx.text(&t, None, &[self.pres, "", self.r, "Default"])
            }
            _ => {
                bad(cx, d.span(), "a text");
                None
            }
        }
    }

    /// A dropdownList's `default`: only `""` (`defaultItem=""`, D049); an index is
    /// `default_item`.
    fn empty_item(&self, cx: &mut Cx) -> bool {
        let Some(d) = &self.src.default else {
            return false;
        };
        let span = cx.sp(d);
        if d.get_ref().as_str() == Some("") {
            cx.err(
                Code::D049,
                "an empty dropdownList default (`defaultItem=\"\"`)",
                span,
                "written as `defaultItem=\"\"`",
            );
            true
        } else {
            cx.err(
                Code::D022,
                "a dropdownList's `default` can only be `\"\"` (`defaultItem=\"\"`)",
                span,
                "an item's index is `default_item`",
            );
            false
        }
    }

    fn decimal_box(&self, cx: &mut Cx, ref_id: ElementId, label: StringId) -> Control {
        let src = self.src;
        let (default, empty_default) = cx.decimal_default(src.default.as_ref());
        let spin = flag(&src.spin, true);
        let spin_step = src
            .spin_step
            .as_ref()
            .and_then(|s| u32::try_from(*s.get_ref()).ok())
            .unwrap_or(1);
        if self.kind == "decimalTextBox" {
            Control::DecimalTextBox {
                ref_id,
                label,
                default: default.map(|d| d.min(u32::MAX as u64) as u32),
                empty_default,
                spin,
                spin_step,
            }
        } else {
            Control::LongDecimalTextBox {
                ref_id,
                label,
                default,
                empty_default,
                spin,
                spin_step,
            }
        }
    }

    fn combo_box(&self, cx: &mut Cx, ref_id: ElementId, label: StringId) -> Control {
        let default = self.text_default(cx);
        let mut suggestions = Vec::new();
        for (k, s) in self.src.suggestions.iter().flatten().enumerate() {
            let n = format!("Suggestion{}", k + 1);
            suggestions.extend(cx.text(s, None, &[self.pres, "", self.r, &n]));
        }
        Control::ComboBox {
            ref_id,
            label,
            default,
            suggestions,
            no_sort: flag(&self.src.no_sort, false),
        }
    }
}

fn bad(cx: &mut Cx, range: std::ops::Range<usize>, want: &str) {
    let span = Span::new(cx.file, range);
    cx.err(
        Code::D022,
        format!("this control's default must be {want}"),
        span,
        "wrong kind of value",
    );
}
