//! Encodings and line endings, applied after rendering (one row per format):
//!
//! | format | encoding | line ends |
//! |---|---|---|
//! | ADMX, ADML | UTF-8 with BOM (as most of Microsoft's Windows templates) | CRLF |

/// UTF-8 with a byte-order mark and CRLF line ends (the text is rendered with `\n`).
pub fn utf8_bom_crlf(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 20 + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(line.strip_suffix('\r').unwrap_or(line).as_bytes());
    }
    out
}

/// Inverse of the encoders for snapshots and tests: strips a BOM, decodes UTF-8, LF line ends.
pub fn decode_for_display(bytes: &[u8]) -> String {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(b).replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn crlf_and_bom() {
        let b = super::utf8_bom_crlf("a\nb\r\nc");
        assert_eq!(b, b"\xEF\xBB\xBFa\r\nb\r\nc");
        assert_eq!(super::decode_for_display(&b), "a\nb\nc");
    }
}
