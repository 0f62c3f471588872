//! Encodings and line endings, applied after rendering (one row per format):
//!
//! | format | encoding | line ends |
//! |---|---|---|
//! | ADMX, ADML | UTF-8 with BOM (as most of Microsoft's Windows templates) | CRLF |
//! | `.reg` | UTF-16LE with BOM (what regedit exports; realclients.md §2.3) | CRLF |
//! | `Registry.pol` | binary PReg v1 (`pol.rs`) | — |
//! | `gpt.ini` | ASCII (an ANSI INI file; non-ASCII replaced by `?`) | CRLF |
//! | `intune.csv` | UTF-8 without BOM (RFC 4180) | CRLF |
//! | `lgpo.txt` | UTF-8 without BOM (ASCII for ASCII data, as `LGPO.exe /parse` writes) | CRLF |
//! | `intune.json`, Markdown | UTF-8 without BOM | LF |

/// UTF-8 with a byte-order mark and CRLF line ends (the text is rendered with `\n`).
pub fn utf8_bom_crlf(text: &str) -> Vec<u8> {
    let body = crlf(text);
    let mut out = Vec::with_capacity(body.len() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    out.extend_from_slice(body.as_bytes());
    out
}

/// UTF-16LE with a byte-order mark and CRLF line ends (the text is rendered with `\n`).
pub fn utf16le_bom_crlf(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2 + 2 + text.len() / 10);
    out.extend_from_slice(&[0xFF, 0xFE]);
    for u in crlf(text).encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// ASCII with CRLF line ends; any other character becomes `?`.
pub fn ascii_crlf(text: &str) -> Vec<u8> {
    crlf(text)
        .chars()
        .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
        .collect()
}

/// `\n` → `\r\n` (a `\r\n` already present is kept as is).
pub fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
    }
    out
}

/// Inverse of the encoders for snapshots and tests: strips a BOM, decodes UTF-8 or UTF-16LE
/// (by its BOM), LF line ends.
pub fn decode_for_display(bytes: &[u8]) -> String {
    let text = if let Some(b) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = b
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        String::from_utf8_lossy(b).into_owned()
    };
    text.replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn crlf_and_bom() {
        let b = super::utf8_bom_crlf("a\nb\r\nc");
        assert_eq!(b, b"\xEF\xBB\xBFa\r\nb\r\nc");
        assert_eq!(super::decode_for_display(&b), "a\nb\nc");
    }

    #[test]
    fn utf16_with_bom() {
        let b = super::utf16le_bom_crlf("é\n✓");
        assert_eq!(b, [0xFF, 0xFE, 0xE9, 0, 13, 0, 10, 0, 0x13, 0x27]);
        assert_eq!(super::decode_for_display(&b), "é\n✓");
        assert_eq!(super::ascii_crlf("a\né"), b"a\r\n?");
    }
}

/// Text from the definitions (or from a compared template) as Markdown prose, so it is shown,
/// never run: `<` and `>` become entities (no raw HTML, no `<javascript:…>` autolink), `[` and
/// `]` are escaped (no `[x](javascript:…)` link), `|` is escaped (a table cell stays one cell).
/// Handlebars applies it to every `{{value}}` of the Markdown templates.
pub fn md_prose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text as one Markdown code span: fenced with more backticks than it holds, padded when it
/// starts or ends with one, `|` escaped for tables (GFM reads `\|` as `|` inside a span too),
/// line breaks as spaces.
pub fn md_code(s: &str) -> String {
    let flat = s.replace(['\r', '\n'], " ").replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at its
/// start) gets a leading `'` (OWASP's advice for CSV injection); everything else is unchanged.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod escaping {
    use super::*;

    #[test]
    fn markdown_shows_text_and_never_runs_it() {
        assert_eq!(
            md_prose("<img src=x onerror=alert(1)> [x](javascript:alert(1)) a|b"),
            "&lt;img src=x onerror=alert(1)&gt; \\[x\\](javascript:alert(1)) a\\|b"
        );
        assert_eq!(md_code("Software\\Policies"), "`Software\\Policies`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_code("a|b\nc"), "`a\\|b c`");
    }

    #[test]
    fn csv_cells_are_never_formulas() {
        for f in ["=cmd|' /C calc'!A0", "+1", "-1+2", "@SUM(A1)", "\t=1"] {
            assert!(csv_cell(f).starts_with('\''), "{f}");
        }
        assert_eq!(csv_cell("<enabled/>"), "<enabled/>");
        assert_eq!(csv_cell("./User/Vendor"), "./User/Vendor");
    }
}
