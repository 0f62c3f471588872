//! Writing definitions TOML that reads as if written by hand: keys in a fixed order, strings in
//! their plainest form (`toml_writer` chooses the encoding and escapes), multi-line texts as
//! `"""` blocks whose closing quotes stand on their own line.

use toml_writer::{ToTomlKey, ToTomlValue, TomlKeyBuilder, TomlStringBuilder};

/// A string value, exactly (registry data, text defaults).
pub fn string(s: &str) -> String {
    TomlStringBuilder::new(s).as_default().to_toml_value()
}

/// A display text, explain text or label. Lowering removes the one line break before the
/// closing `"""` (`model::lower::written`), so a text with line breaks gets one added here.
pub fn text(s: &str) -> String {
    if !s.contains('\n') {
        return string(s);
    }
    let with_break = format!("{s}\n");
    let b = TomlStringBuilder::new(&with_break);
    b.as_ml_basic_pretty()
        .or_else(|| b.as_ml_literal())
        .unwrap_or_else(|| b.as_ml_basic())
        .to_toml_value()
}

/// A display text, explain text or label as a text field: a text that would read as a
/// reference (`$(string.X)` literally) or that starts with `$$` gets one more `$`, which the
/// lowering drops again.
pub fn text_field(s: &str) -> String {
    if s.starts_with("$$") || crate::admx::view::reference_id(s, "string").is_some() {
        text(&format!("${s}"))
    } else {
        text(s)
    }
}

/// A key: bare when it can be.
pub fn key(k: &str) -> String {
    TomlKeyBuilder::new(k).as_default().to_toml_key()
}

/// Builds one TOML file.
#[derive(Default)]
pub struct Doc {
    out: String,
}

impl Doc {
    pub fn new(comment: &str) -> Doc {
        let mut d = Doc::default();
        for line in comment.lines() {
            d.out.push_str("# ");
            // TOML comments cannot hold control characters (but tab): a name with U+007F or NUL
            // in a comment would make the file unreadable. They are shown escaped.
            for c in line.chars() {
                if c.is_control() && c != '\t' {
                    d.out.extend(c.escape_default());
                } else {
                    d.out.push(c);
                }
            }
            d.out.push('\n');
        }
        d
    }
    /// `[name]` or `[[name]]`, after a blank line.
    pub fn table(&mut self, header: &str) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out.push_str(header);
        self.out.push('\n');
    }
    /// `key = <raw value>`.
    pub fn raw(&mut self, k: &str, v: &str) {
        self.out.push_str(&key(k));
        self.out.push_str(" = ");
        self.out.push_str(v);
        self.out.push('\n');
    }
    pub fn str(&mut self, k: &str, v: &str) {
        self.raw(k, &string(v));
    }
    pub fn text(&mut self, k: &str, v: &str) {
        self.raw(k, &text(v));
    }
    pub fn num(&mut self, k: &str, v: u64) {
        self.raw(k, &v.to_string());
    }
    pub fn bool(&mut self, k: &str, v: bool) {
        self.raw(k, if v { "true" } else { "false" });
    }
    pub fn finish(self) -> String {
        self.out
    }
}

/// `{ a = 1, b = "x" }` from already encoded values.
pub fn inline(pairs: &[(&str, String)]) -> String {
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{} = {v}", key(k)))
        .collect();
    format!("{{ {} }}", body.join(", "))
}

/// `[a, b]` on one line, or one entry per line when long.
pub fn array(items: &[String]) -> String {
    let one_line = format!("[{}]", items.join(", "));
    if one_line.len() <= 90 && !one_line.contains('\n') {
        return one_line;
    }
    let mut s = String::from("[\n");
    for i in items {
        s.push_str("    ");
        s.push_str(i);
        s.push_str(",\n");
    }
    s.push(']');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What lowering reads back from `k = <text(s)>`.
    fn read_back(encoded: &str) -> String {
        let v: toml::Table = toml::from_str(&format!("k = {encoded}")).expect("valid TOML");
        let raw = v["k"].as_str().expect("a string").to_string();
        raw.strip_suffix('\n').map(str::to_string).unwrap_or(raw)
    }

    #[test]
    fn texts_survive_the_trip() {
        for s in [
            "plain",
            "with \"quotes\" and \\ backslash",
            "two\nlines",
            "\nleading break",
            "trailing break\n",
            "\n\nboth\n\n",
            "tab\there and ''' and \"\"\" inside\nsecond",
            "control \u{1} char",
            "  spaced  ",
        ] {
            let multi = s.contains('\n');
            let got = if multi {
                read_back(&text(s))
            } else {
                let v: toml::Table = toml::from_str(&format!("k = {}", text(s))).expect("valid");
                v["k"].as_str().expect("string").to_string()
            };
            assert_eq!(got, s, "{s:?} encoded as {}", text(s));
        }
    }

    #[test]
    fn long_arrays_break_lines() {
        let short = array(&["1".into(), "2".into()]);
        assert_eq!(short, "[1, 2]");
        let long = array(&vec![string(&"x".repeat(50)); 3]);
        assert!(long.starts_with("[\n    \""), "{long}");
    }
}
