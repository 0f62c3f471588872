//! String tables: the en-US one from every text of the template, then one per locale file.

use super::*;

/// One `locales/<culture>.toml`: a string table for that culture. Unknown ids and a file name
/// that is no culture are errors (D034); untranslated ids fall back to en-US (D035); a text equal
/// to en-US that is not listed in `same` is probably untranslated (D036).
pub(super) fn locale(
    culture: &str,
    file: FileId,
    src: &crate::source::ast::LocaleFileSrc,
    source: &StringTable,
    exempt: &[&StringId],
    diags: &mut Diagnostics,
) -> Option<StringTable> {
    let whole = Span::new(file, 0..0);
    if !crate::model::id::looks_like_culture(culture) || culture == SOURCE_CULTURE {
        diags.push(
            Diagnostic::new(
                Code::D034,
                format!("`{culture}.toml` does not name a culture other than en-US"),
            )
            .at(whole.clone(), "name locale files like de-DE.toml")
            .note("en-US is the source language, written in the template files themselves"),
        );
        return None;
    }
    let mut entries = indexmap::IndexMap::new();
    for (id, text) in &src.strings {
        let span = Span::new(file, text.span());
        let Some(sid) = StringId::parse_loose(id) else {
            diags.push(
                Diagnostic::new(Code::D034, format!("`{id}` is not a string id"))
                    .at(span, "letters, digits, `_`, `-` and `.`")
                    .note("the ids are those of the en-US ADML (output/PolicyDefinitions/en-US/)"),
            );
            continue;
        };
        if source.get(&sid).is_none() {
            diags.push(
                Diagnostic::new(
                    Code::D048,
                    format!("`{id}` is a string of {culture} only; no en-US string has this id"),
                )
                .at(span.clone(), "written to this culture's ADML only")
                .note("the ids are those of the en-US ADML (output/PolicyDefinitions/en-US/); --strict makes it an error"),
            );
        }
        let same = src.same.iter().any(|s| s.get_ref() == id);
        if !same && source.get(&sid) == Some(written(text.get_ref()).as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::D036,
                    format!("`{id}` in {culture} is the same as in en-US"),
                )
                .at(span, "not translated?")
                .note("list the id in `same = [...]` when the text is rightly the same"),
            );
        }
        entries.insert(sid, written(text.get_ref()));
    }
    for s in &src.same {
        if !src.strings.contains_key(s.get_ref()) {
            diags.push(
                Diagnostic::new(
                    Code::D034,
                    format!("`{}` in `same` has no text in this file", s.get_ref()),
                )
                .at(Span::new(file, s.span()), "give its text under [strings]"),
            );
        }
    }
    for id in source.entries.keys() {
        if !entries.contains_key(id)
            && !exempt.contains(&id)
            && !src.missing.iter().any(|m| m.get_ref() == id.as_str())
        {
            diags.push(
                Diagnostic::new(
                    Code::D035,
                    format!("`{id}` is not translated to {culture}; the {culture} ADML uses the en-US text"),
                )
                .at(whole.clone(), format!("no `{id}` here")),
            );
        }
    }
    Some(StringTable {
        culture: culture.to_string(),
        entries,
        ..StringTable::default()
    })
}

/// The string and presentation ids a culture's ADML lacks on purpose (D057): each an en-US
/// string (not also translated, D034) or a presentation of the template.
fn missing(
    culture: &str,
    file: FileId,
    src: &crate::source::ast::LocaleFileSrc,
    source: &StringTable,
    presentations: &[&Presentation],
    diags: &mut Diagnostics,
) -> (Vec<String>, Vec<String>) {
    let mut strings = Vec::new();
    let mut layouts = Vec::new();
    let lists = [(&src.missing, false), (&src.missing_presentations, true)];
    for (list, is_presentation) in lists {
        for m in list {
            let id = m.get_ref();
            let span = Span::new(file, m.span());
            let known = if is_presentation {
                presentations.iter().any(|p| p.id.as_str() == id)
            } else {
                StringId::parse_loose(id).is_some_and(|s| source.get(&s).is_some())
            };
            let what = if is_presentation {
                "presentation"
            } else {
                "string"
            };
            if !known {
                diags.push(
                    Diagnostic::new(Code::D034, format!("`{id}` is no en-US {what}"))
                        .at(span, "unknown id"),
                );
                continue;
            }
            if !is_presentation && src.strings.contains_key(id) {
                diags.push(
                    Diagnostic::new(
                        Code::D034,
                        format!("`{id}` is both translated and `missing`"),
                    )
                    .at(span, "remove it from one of the two"),
                );
                continue;
            }
            diags.push(
                Diagnostic::new(
                    Code::D057,
                    format!("{what} `{id}` is left out of the {culture} ADML, not filled from en-US"),
                )
                .at(span, "kept missing")
                .note("as the imported template had it; the editor reports a missing resource for this culture; --strict makes it an error"),
            );
            if is_presentation {
                layouts.push(id.clone());
            } else {
                strings.push(id.clone());
            }
        }
    }
    (strings, layouts)
}

/// A text as written in TOML, less the one line break before a multi-line string's closing
/// quotes (`"""` on its own line); any further line breaks are part of the text.
pub(super) fn written(raw: &str) -> String {
    raw.strip_suffix("\r\n")
        .or_else(|| raw.strip_suffix('\n'))
        .unwrap_or(raw)
        .to_string()
}

/// The en-US table (once every `$(string.ID)` is checked, D009) and one per locale file.
pub(super) fn string_tables(
    cx: &mut Cx,
    t: &TemplateSource,
    presentations: &[&Presentation],
) -> Vec<StringTable> {
    let presentation_ids: Vec<&str> = presentations.iter().map(|p| p.id.as_str()).collect();
    let presentation_ids = presentation_ids.as_slice();
    for (id, span) in std::mem::take(&mut cx.string_refs) {
        if !cx.strings.contains_key(&id) {
            cx.err(
                Code::D009,
                format!("string `{id}` is not defined"),
                span,
                "add it to a `[strings]` table",
            );
        }
    }
    let table = StringTable {
        culture: SOURCE_CULTURE.to_string(),
        entries: std::mem::take(&mut cx.strings)
            .into_iter()
            .map(|(k, (text, _))| (k, text))
            .collect(),
        ..StringTable::default()
    };
    let mut tables = vec![table];
    for (culture, file, src) in &t.locales {
        let (strings_missing, layouts_missing) =
            missing(culture, *file, src, &tables[0], presentations, cx.diags);
        // The texts of a presentation this culture lacks are not missing translations.
        let exempt: Vec<&StringId> = presentations
            .iter()
            .filter(|p| layouts_missing.iter().any(|m| m == p.id.as_str()))
            .flat_map(|p| p.controls.iter().flat_map(|c| c.text_ids()))
            .collect();
        let Some(mut table) = locale(culture, *file, src, &tables[0], &exempt, cx.diags) else {
            continue;
        };
        (table.missing, table.missing_presentations) = (strings_missing, layouts_missing);
        // A layout of its own: lowered like `[[presentation]]`, its texts this culture's.
        let saved = cx.file;
        cx.file = *file;
        for p in &src.presentation {
            let id = &p.get_ref().id;
            if table
                .presentations
                .iter()
                .any(|o| o.id.as_str() == id.get_ref())
            {
                cx.err_on(
                    Code::D022,
                    format!("{culture} lays out presentation `{}` twice", id.get_ref()),
                    id,
                    "one `[[presentation]]` per presentation id",
                );
                continue;
            }
            table
                .presentations
                .extend(super::presentation::lower_override(cx, p, presentation_ids));
            for (id, (text, _)) in std::mem::take(&mut cx.strings) {
                table.presentation_texts.insert(id, text);
            }
        }
        cx.file = saved;
        tables.push(table);
    }
    tables
}
