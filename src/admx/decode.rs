//! Bytes → text for ADMX/ADML files as they are found in real stores.
//!
//! The byte-order mark wins over the XML declaration (formats.md §1.14: 214 UTF-8+BOM, 46 UTF-8
//! without BOM, 14 UTF-16LE+BOM in Microsoft's own set; `encoding='unicode'` in Search.admx). A
//! file without a BOM is sniffed from its first bytes (`<\0` is UTF-16LE, `\0<` UTF-16BE), then the
//! declaration's `encoding` picks a legacy single-byte encoding through `encoding_rs`.
//! Input: raw bytes. Output: [`Decoded`] text (BOM removed) plus what the decoder noticed.

use std::ops::Range;

/// How the file's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// A single-byte encoding named by the declaration (windows-1252, ISO-8859-1, …).
    Legacy(&'static encoding_rs::Encoding),
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Legacy(e) => e.name(),
        }
    }
    fn is_utf16(self) -> bool {
        matches!(self, Encoding::Utf16Le | Encoding::Utf16Be)
    }
}

/// Something about the encoding worth a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Bytes that are not valid in the encoding; the offset is into the decoded text (the text up
    /// to the bad bytes is kept, the rest replaced).
    Invalid { at: usize, encoding: &'static str },
    /// The declaration names an encoding the bytes do not have (the BOM or byte pattern wins).
    Mismatch {
        declared: String,
        actual: &'static str,
        span: Range<usize>,
    },
    /// The declaration names an encoding nobody knows.
    Unknown {
        declared: String,
        span: Range<usize>,
    },
}

#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    pub bom: bool,
    pub findings: Vec<Finding>,
}

/// Decodes one file. Never fails: undecodable bytes become U+FFFD and a [`Finding::Invalid`].
pub fn decode(mut bytes: Vec<u8>) -> Decoded {
    decode_from(&mut bytes)
}

/// [`decode`] from a buffer the caller reuses: UTF-8 text becomes the text (the buffer is
/// taken); other encodings are decoded out of it and the buffer is left, cleared, for the next
/// file (its memory is not faulted in again).
pub fn decode_from(buffer: &mut Vec<u8>) -> Decoded {
    let decoded = decode_in(buffer);
    buffer.clear();
    decoded
}

fn decode_in(bytes: &mut Vec<u8>) -> Decoded {
    let (encoding, bom_len) = match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
        [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
        [b'<', 0, ..] => (Encoding::Utf16Le, 0),
        [0, b'<', ..] => (Encoding::Utf16Be, 0),
        _ => (Encoding::Utf8, 0),
    };
    let mut findings = Vec::new();
    // Without a BOM, a declaration naming a single-byte encoding decides (XML 1.0 §4.3.3).
    if bom_len == 0 && !encoding.is_utf16() {
        let head = &bytes[..bytes.len().min(512)];
        let head = match std::str::from_utf8(head) {
            Ok(h) => h,
            Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
        };
        if let Some((label, _)) = declared_encoding(head)
            && let Some(e) = encoding_rs::Encoding::for_label(label.trim().as_bytes())
            && e.is_single_byte()
            && e != encoding_rs::UTF_8
        {
            let (text, had_errors) = e.decode_without_bom_handling(bytes);
            if had_errors {
                findings.push(Finding::Invalid {
                    at: 0,
                    encoding: e.name(),
                });
            }
            return Decoded {
                text: text.into_owned(),
                encoding: Encoding::Legacy(e),
                bom: false,
                findings,
            };
        }
    }
    let text = if encoding.is_utf16() {
        utf16(
            &bytes[bom_len..],
            encoding == Encoding::Utf16Le,
            &mut findings,
        )
    } else {
        bytes.drain(..bom_len);
        utf8(std::mem::take(bytes), &mut findings)
    };
    if let Some((declared, span)) = declared_encoding(&text) {
        let label = declared.to_ascii_lowercase();
        // `unicode` is what FullArmor's tools write for UTF-16; Microsoft's own Search.admx has it
        // in a UTF-8 file, and GPMC reads that file, so it is no mismatch worth telling.
        let says_utf16 = matches!(
            label.as_str(),
            "utf-16" | "utf16" | "utf-16le" | "utf-16be" | "ucs-2" | "iso-10646-ucs-2"
        );
        let says_utf8 = matches!(label.as_str(), "utf-8" | "utf8");
        let mismatch = if label == "unicode" {
            false
        } else if says_utf16 {
            !encoding.is_utf16()
        } else if says_utf8 {
            encoding.is_utf16()
        } else if encoding_rs::Encoding::for_label(label.as_bytes()).is_some() {
            // A legacy label with a BOM or UTF-16 bytes: the bytes win.
            true
        } else {
            findings.push(Finding::Unknown {
                declared: declared.clone(),
                span: span.clone(),
            });
            false
        };
        if mismatch {
            findings.push(Finding::Mismatch {
                declared,
                actual: encoding.name(),
                span,
            });
        }
    }
    Decoded {
        text,
        encoding,
        bom: bom_len > 0,
        findings,
    }
}

fn utf8(body: Vec<u8>, findings: &mut Vec<Finding>) -> String {
    match String::from_utf8(body) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            findings.push(Finding::Invalid {
                at,
                encoding: "UTF-8",
            });
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    }
}

/// Well-formed UTF-16 as a string of exactly its length, or `None` at the first bad unit.
///
/// encoding_rs's one-call decode fills a fresh buffer of the worst-case length (1.5 bytes per
/// input byte) with zeros before decoding into it, so each file would fault in and keep about
/// three times its text. Here the decoder writes into a scratch buffer that each thread keeps
/// (faulted in once), and only the decoded bytes are copied out.
fn utf16_exact(codec: &'static encoding_rs::Encoding, body: &[u8]) -> Option<String> {
    thread_local! {
        static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let mut decoder = codec.new_decoder_without_bom_handling();
    let max = decoder.max_utf8_buffer_length_without_replacement(body.len())?;
    SCRATCH.with_borrow_mut(|scratch| {
        if scratch.len() < max {
            // Grown with one `memset` (a `char` at a time took 3% of a run on Microsoft's
            // stores); zeros are valid UTF-8, checked once here at memory speed.
            let mut bytes = std::mem::take(scratch).into_bytes();
            bytes.resize(max, 0);
            *scratch = String::from_utf8(bytes).expect("NUL bytes are UTF-8");
        }
        // Decoded straight into a `str`: encoding_rs keeps it valid UTF-8, so nothing is
        // checked a second time.
        // An earlier file's text may have left a character across `max`: end after it.
        let mut end = max;
        while !scratch.is_char_boundary(end) {
            end += 1;
        }
        let (result, _, written) =
            decoder.decode_to_str_without_replacement(body, &mut scratch.as_mut_str()[..end], true);
        match result {
            encoding_rs::DecoderResult::InputEmpty => Some(scratch[..written].to_owned()),
            _ => None,
        }
    })
}

fn utf16(body: &[u8], le: bool, findings: &mut Vec<Finding>) -> String {
    let codec = if le {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    if let Some(text) = utf16_exact(codec, body) {
        return text;
    }
    // Slow path, only to find where the first bad unit is.
    let units = body.chunks(2).map(|c| match (c, le) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        // An odd trailing byte is no UTF-16 unit: U+FFFD via an unpaired surrogate.
        _ => 0xD800,
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut first_bad = None;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => text.push(c),
            Err(_) => {
                first_bad.get_or_insert(text.len());
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if let Some(at) = first_bad {
        findings.push(Finding::Invalid {
            at,
            encoding: if le { "UTF-16LE" } else { "UTF-16BE" },
        });
    }
    text
}

/// The `encoding` pseudo-attribute of a leading `<?xml …?>` declaration and its byte span.
fn declared_encoding(text: &str) -> Option<(String, Range<usize>)> {
    let head = text.strip_prefix("<?xml")?;
    let end = head.find("?>")?;
    let decl = &head[..end];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let close = value.find(quote)?;
    let start = "<?xml".len() + (decl.len() - rest.len()) + 1;
    Some((value[..close].to_string(), start..start + close))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { vec![] };
        v.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        v
    }

    /// A reused buffer: UTF-16 is decoded out of it and the buffer stays (cleared, capacity
    /// kept); UTF-8 is taken as the text; whatever came before, each file decodes alone.
    #[test]
    fn a_reused_buffer_is_kept_for_utf16_and_taken_for_utf8() {
        let long = format!("<a>{}</a>", "ü".repeat(500));
        let mut buffer = utf16le(&long, true);
        let d = decode_from(&mut buffer);
        assert_eq!(d.text, long);
        assert!(
            buffer.is_empty() && buffer.capacity() >= 1000,
            "kept, cleared"
        );
        buffer.extend_from_slice(&utf16le("<b/>", true));
        assert_eq!(decode_from(&mut buffer).text, "<b/>");
        buffer.extend_from_slice(b"<c/>");
        assert_eq!(decode_from(&mut buffer).text, "<c/>");
        assert_eq!(buffer.capacity(), 0, "taken as the text");
    }

    #[test]
    fn bom_wins_and_unicode_is_accepted() {
        let d = decode(utf16le(
            "<?xml version='1.0' encoding='unicode'?><a/>",
            true,
        ));
        assert_eq!(d.encoding, Encoding::Utf16Le);
        assert!(d.findings.is_empty());
        assert!(d.text.starts_with("<?xml"));
        let d = decode(b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>".to_vec());
        assert_eq!(d.encoding, Encoding::Utf8);
        assert!(matches!(d.findings[0], Finding::Mismatch { .. }));
    }

    #[test]
    fn sniffs_utf16_without_bom_and_reports_bad_bytes() {
        assert_eq!(decode(utf16le("<a/>", false)).encoding, Encoding::Utf16Le);
        let d = decode(b"<a>\xFF\xFE\xFD</a>".to_vec());
        assert_eq!(
            d.findings,
            vec![Finding::Invalid {
                at: 3,
                encoding: "UTF-8"
            }]
        );
        let mut odd = utf16le("<a/>", true);
        odd.push(0x41);
        assert!(matches!(decode(odd).findings[0], Finding::Invalid { .. }));
    }

    /// UTF-16 through the per-thread scratch buffer: exact text (BMP, astral, both byte orders),
    /// a shorter file after a longer one gets none of its bytes, a lone surrogate is reported
    /// where it stands.
    #[test]
    fn utf16_decodes_exactly_through_the_scratch_buffer() {
        let long = "<a>é中😀 long text</a>".repeat(50);
        let short = "<b>ü😀</b>";
        for s in [long.as_str(), short, long.as_str(), ""] {
            let d = decode(utf16le(s, true));
            assert_eq!(d.text, s);
            assert!(d.findings.is_empty());
            let mut be = vec![0xFE, 0xFF];
            be.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
            assert_eq!(decode(be).text, s);
        }
        // After a text of 4-byte characters, every shorter length ends the scratch buffer's
        // usable part inside one of them at some point: each still decodes exactly.
        let wide = "😀".repeat(64);
        for n in 0..48 {
            assert_eq!(decode(utf16le(&wide, true)).text, wide);
            let s = "x".repeat(n);
            assert_eq!(decode(utf16le(&s, true)).text, s);
        }
        let mut lone = utf16le("<a>x", true);
        lone.extend(0xD800u16.to_le_bytes());
        lone.extend(utf16le("</a>", false));
        let d = decode(lone);
        assert_eq!(d.text, "<a>x\u{FFFD}</a>");
        assert_eq!(
            d.findings,
            vec![Finding::Invalid {
                at: 4,
                encoding: "UTF-16LE"
            }]
        );
    }

    #[test]
    fn legacy_declaration_decodes_single_byte() {
        let d = decode(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x80</a>".to_vec());
        assert_eq!(d.encoding.name(), "windows-1252");
        assert!(d.text.contains('€'));
        assert!(d.findings.is_empty());
        let d = decode(b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>".to_vec());
        assert!(
            matches!(&d.findings[0], Finding::Unknown { declared, .. } if declared == "klingon")
        );
    }
}
