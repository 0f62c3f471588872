//! A small read-only DOM over decoded text, built with quick-xml, in which every element and
//! attribute keeps its byte range so a diagnostic can point at line and column of the original
//! file. Names and values are ranges into the text, unescaped only when asked for, so a parsed
//! store costs little more memory than its text.
//!
//! A document type declaration is never expanded: parsing stops at `<!DOCTYPE` and the caller
//! reports it (GPMC: "DTD is prohibited"), so entity bombs and external entities cannot act.
//! Input: decoded text. Output: [`Document`] plus the first well-formedness problem, if any.

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use std::borrow::Cow;
use std::ops::Range;

/// "No element" in the index links.
pub const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Element {
    /// The qualified name as written (`policy`, `pd:policy`).
    pub name: Range<u32>,
    /// Where the local name starts (after any `prefix:`).
    pub local: u32,
    /// The whole start tag, `<` to `>`.
    pub tag: Range<u32>,
    /// Index range into [`Document::attrs`].
    pub attrs: Range<u32>,
    pub parent: u32,
    pub first_child: u32,
    pub next_sibling: u32,
    /// Between the start tag and the end tag (empty for `<x/>`).
    pub content: Range<u32>,
    /// Offset of the first non-whitespace character data directly inside, or [`NONE`].
    pub text_at: u32,
    /// Just after the end tag (the start tag's end for `<x/>`).
    pub end: u32,
}

#[derive(Debug, Clone)]
pub struct Attr {
    pub name: Range<u32>,
    /// The raw value, without its quotes.
    pub value: Range<u32>,
    /// The raw value is its own normalised value (no reference, tab or line break).
    pub plain: bool,
}

/// A well-formedness problem; parsing stops at the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Syntax {
        at: usize,
        message: String,
    },
    /// `<!DOCTYPE …>`; `html` when it declares an HTML page.
    Doctype {
        span: Range<usize>,
        html: bool,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Syntax { at, message } => write!(f, "{message} (at byte {at})"),
            Problem::Doctype { span, html } => write!(
                f,
                "a document type declaration at byte {}{}",
                span.start,
                if *html { " (an HTML page)" } else { "" }
            ),
        }
    }
}

/// Buffers of a finished document, kept for the next one.
#[derive(Debug, Default)]
pub struct Spare {
    elements: Vec<Element>,
    attrs: Vec<Attr>,
}

#[derive(Debug, Default)]
pub struct Document {
    pub text: String,
    pub elements: Vec<Element>,
    pub attrs: Vec<Attr>,
    /// Index of the root element (always 0 when there is one).
    pub root: Option<u32>,
}

fn r(range: &Range<u32>) -> Range<usize> {
    range.start as usize..range.end as usize
}

impl Document {
    /// Parses `text`. The document holds every element read before a problem.
    pub fn parse(text: String) -> (Document, Option<Problem>) {
        Self::parse_reusing(text, Spare::default())
    }

    /// Like [`Document::parse`], building into the (cleared) buffers of an earlier document, so
    /// a worker that parses many files does not allocate and fault in fresh memory for each.
    pub fn parse_reusing(text: String, spare: Spare) -> (Document, Option<Problem>) {
        let Spare {
            mut elements,
            mut attrs,
        } = spare;
        elements.clear();
        attrs.clear();
        let mut doc = Document {
            text,
            elements,
            attrs,
            root: None,
        };
        let problem = doc.build();
        (doc, problem)
    }

    /// The text, and the buffers for the next [`Document::parse_reusing`].
    pub fn into_parts(self) -> (String, Spare) {
        (
            self.text,
            Spare {
                elements: self.elements,
                attrs: self.attrs,
            },
        )
    }

    fn build(&mut self) -> Option<Problem> {
        let text = std::mem::take(&mut self.text);
        // XML 1.0 §2.2: a character outside `Char` makes the document not well-formed, wherever
        // it stands (GPMC's and xmllint's parsers refuse the file).
        let problem = match illegal_char(&text) {
            Some((at, c)) => Some(Problem::Syntax {
                at,
                message: format!("the character U+{:04X} is not allowed in XML", c as u32),
            }),
            // The decoder removed the byte order mark; a second U+FEFF is character data
            // before the root (quick-xml would skip it as a BOM).
            None if text.starts_with('\u{FEFF}') => Some(Problem::Syntax {
                at: 0,
                message: "a second byte order mark (U+FEFF) before the root element".into(),
            }),
            None => self.build_from(&text),
        };
        self.text = text;
        problem
    }

    fn build_from(&mut self, text: &str) -> Option<Problem> {
        let base = text.as_ptr() as usize;
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_comments = true;
        // Typical templates hold an element per 60 bytes and an attribute per 45.
        self.elements.reserve(text.len() / 60);
        self.attrs.reserve(text.len() / 45);
        let mut tree = Tree::default();
        loop {
            let before = reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    return Some(Problem::Syntax {
                        at: (reader.error_position() as usize).min(text.len()),
                        message: e.to_string(),
                    });
                }
            };
            let after = reader.buffer_position() as usize;
            let before = event_start(&event, text, base, before);
            let problem = match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    self.open(e, empty, text, before..after, &mut tree)
                }
                Event::End(_) => {
                    if let Some(index) = tree.stack.pop() {
                        tree.last_child.pop();
                        let el = &mut self.elements[index as usize];
                        el.content.end = before as u32;
                        el.end = after as u32;
                        tree.root_closed |= tree.stack.is_empty();
                    }
                    None
                }
                Event::Text(ref t) => {
                    let bytes: &[u8] = AsRef::<str>::as_ref(t).as_bytes();
                    bytes
                        .iter()
                        .position(|b| !b.is_ascii_whitespace())
                        .and_then(|i| self.mark_text(&tree.stack, before + i, "text"))
                }
                Event::GeneralRef(ref g) => reference_problem(g, text, before..after)
                    .or_else(|| self.mark_text(&tree.stack, before, "reference")),
                Event::CData(_) => self.mark_text(&tree.stack, before, "CDATA"),
                Event::DocType(ref d) => {
                    let body = AsRef::<str>::as_ref(d).as_bytes().trim_ascii_start();
                    let html = body.len() >= 4 && body[..4].eq_ignore_ascii_case(b"html");
                    Some(Problem::Doctype {
                        span: before..after,
                        html,
                    })
                }
                Event::Decl(_) if before > 0 => Some(Problem::Syntax {
                    at: before,
                    message: "an XML declaration is allowed only at the very start".into(),
                }),
                Event::Decl(ref d) => {
                    decl_problem(AsRef::<str>::as_ref(d)).map(|message| Problem::Syntax {
                        at: before,
                        message,
                    })
                }
                Event::PI(ref p) => {
                    pi_problem(AsRef::<str>::as_ref(p)).map(|message| Problem::Syntax {
                        at: before,
                        message,
                    })
                }
                Event::Comment(_) => None,
                Event::Eof => break,
            };
            if problem.is_some() {
                return problem;
            }
        }
        self.finished(&tree.stack, text)
    }

    /// A start or empty tag at `tag`: the element with its attributes, linked into the tree.
    #[inline]
    fn open(
        &mut self,
        e: &quick_xml::events::BytesStart<'_>,
        empty: bool,
        text: &str,
        tag: Range<usize>,
        tree: &mut Tree,
    ) -> Option<Problem> {
        let (before, after) = (tag.start, tag.end);
        if tree.root_closed {
            return Some(Problem::Syntax {
                at: before,
                message: "a second root element; a document has exactly one".into(),
            });
        }
        let index = self.elements.len() as u32;
        let qname = e.name();
        let qname: &str = AsRef::<str>::as_ref(&qname);
        let name_len = qname.len();
        if !is_xml_name(qname) {
            return Some(Problem::Syntax {
                at: before + 1,
                message: format!("`{qname}` is no XML name"),
            });
        }
        let attr_start = self.attrs.len() as u32;
        if let Err(p) = self.push_attrs(e, text, before + 1 + name_len, &mut tree.seen) {
            return Some(p);
        }
        let parent = tree.stack.last().copied().unwrap_or(NONE);
        let local = qname.bytes().rposition(|b| b == b':').map_or(0, |p| p + 1);
        self.elements.push(Element {
            name: (before + 1) as u32..(before + 1 + name_len) as u32,
            local: (before + 1 + local) as u32,
            tag: before as u32..after as u32,
            attrs: attr_start..self.attrs.len() as u32,
            parent,
            first_child: NONE,
            next_sibling: NONE,
            content: after as u32..after as u32,
            text_at: NONE,
            end: after as u32,
        });
        if parent == NONE {
            self.root = Some(index);
        } else {
            let depth = tree.stack.len() - 1;
            match tree.last_child[depth] {
                NONE => self.elements[parent as usize].first_child = index,
                prev => self.elements[prev as usize].next_sibling = index,
            }
            tree.last_child[depth] = index;
        }
        if empty {
            tree.root_closed |= parent == NONE;
        } else {
            tree.stack.push(index);
            tree.last_child.push(NONE);
        }
        None
    }

    /// The attributes of a tag, checked (well-formed, references defined, no `<`) and kept as
    /// spans of `text`; `malformed_at` is where a malformed one is reported.
    #[inline]
    fn push_attrs(
        &mut self,
        e: &quick_xml::events::BytesStart<'_>,
        text: &str,
        malformed_at: usize,
        seen: &mut Seen,
    ) -> Result<(), Problem> {
        let base = text.as_ptr() as usize;
        let first = self.attrs.len();
        // Duplicates are looked for below (quick-xml's own check allocates for every tag).
        let mut attrs = e.attributes();
        attrs.with_checks(false);
        for a in attrs {
            let a = a.map_err(|err| Problem::Syntax {
                at: malformed_at,
                message: format!("malformed attribute: {err}"),
            })?;
            let key: &[u8] = AsRef::<str>::as_ref(&a.key).as_bytes();
            let value: &[u8] = a.value.as_bytes();
            let k = key.as_ptr() as usize - base;
            let v = value.as_ptr() as usize - base;
            // Attributes are separated by white space (XML 1.0 §3.1), which quick-xml does
            // not insist on: `a="1"b="2"`.
            if !text.as_bytes()[k - 1].is_ascii_whitespace() {
                return Err(Problem::Syntax {
                    at: k,
                    message: "attributes need white space between them".into(),
                });
            }
            if !is_xml_name(&text[k..k + key.len()]) {
                return Err(Problem::Syntax {
                    at: k,
                    message: format!("`{}` is no XML attribute name", &text[k..k + key.len()]),
                });
            }
            // Branch-free over the value (the compiler vectorises it): most values hold none of
            // these bytes.
            let special = |b: u8| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r');
            let plain = !value.iter().fold(false, |any, &b| any | special(b));
            if !plain {
                attribute_value_problem(&text[v..v + value.len()], v)?;
            }
            let name = k as u32..(k + key.len()) as u32;
            no_duplicate(&self.attrs[first..], &name, text, seen)?;
            self.attrs.push(Attr {
                name,
                value: v as u32..(v + value.len()) as u32,
                plain,
            });
        }
        Ok(())
    }

    /// The end of the input: every element closed, and a root at all.
    fn finished(&self, stack: &[u32], text: &str) -> Option<Problem> {
        if let Some(&open) = stack.last() {
            let el = &self.elements[open as usize];
            return Some(Problem::Syntax {
                at: el.tag.start as usize,
                message: format!(
                    "`<{}>` is not closed before the end of the file",
                    &text[r(&el.name)]
                ),
            });
        }
        if self.root.is_none() {
            return Some(Problem::Syntax {
                at: text.len(),
                message: "no root element".into(),
            });
        }
        None
    }

    /// Character data at `at` inside the open element on top of `stack`; outside the root it is
    /// a well-formedness error.
    fn mark_text(&mut self, stack: &[u32], at: usize, what: &str) -> Option<Problem> {
        match stack.last() {
            Some(&top) => {
                let el = &mut self.elements[top as usize];
                if el.text_at == NONE {
                    el.text_at = at as u32;
                }
                None
            }
            None => Some(Problem::Syntax {
                at,
                message: format!("{what} outside the root element"),
            }),
        }
    }

    pub fn element(&self, i: u32) -> &Element {
        &self.elements[i as usize]
    }

    /// The local name (after any `prefix:`).
    pub fn name(&self, i: u32) -> &str {
        let el = self.element(i);
        &self.text[el.local as usize..el.name.end as usize]
    }

    /// The qualified name as written.
    pub fn qname(&self, i: u32) -> &str {
        &self.text[r(&self.element(i).name)]
    }

    pub fn name_span(&self, i: u32) -> Range<usize> {
        r(&self.element(i).name)
    }

    pub fn tag_span(&self, i: u32) -> Range<usize> {
        r(&self.element(i).tag)
    }

    pub fn children(&self, i: u32) -> Children<'_> {
        Children {
            doc: self,
            next: self.element(i).first_child,
        }
    }

    /// Children with this local name.
    pub fn children_named<'a>(&'a self, i: u32, name: &'a str) -> impl Iterator<Item = u32> + 'a {
        self.children(i).filter(move |&c| self.name(c) == name)
    }

    pub fn child(&self, i: u32, name: &str) -> Option<u32> {
        self.children_named(i, name).next()
    }

    pub fn parent(&self, i: u32) -> Option<u32> {
        match self.element(i).parent {
            NONE => None,
            p => Some(p),
        }
    }

    pub fn attrs(&self, i: u32) -> &[Attr] {
        &self.attrs[r(&self.element(i).attrs)]
    }

    pub fn attr_name<'a>(&'a self, a: &Attr) -> &'a str {
        &self.text[r(&a.name)]
    }

    pub fn raw_value<'a>(&'a self, a: &Attr) -> &'a str {
        &self.text[r(&a.value)]
    }

    /// An attribute of element `i` by exact name, as recorded.
    pub fn find_attr(&self, i: u32, name: &str) -> Option<&Attr> {
        let text = self.text.as_bytes();
        self.attrs(i)
            .iter()
            .find(|a| same_name(&text[r(&a.name)], name.as_bytes()))
    }

    /// An attribute by exact name: its normalised value and the span of the value.
    pub fn attr(&self, i: u32, name: &str) -> Option<(Cow<'_, str>, Range<usize>)> {
        self.find_attr(i, name)
            .map(|a| (self.value(a), r(&a.value)))
    }

    /// The `key` and `defaultKey` attributes of an element (one pass over its attributes).
    pub fn keys(&self, i: u32) -> impl Iterator<Item = (Cow<'_, str>, Range<usize>)> + '_ {
        self.attrs(i)
            .iter()
            .filter(|a| matches!(self.attr_name(a), "key" | "defaultKey"))
            .map(|a| (self.value(a), r(&a.value)))
    }

    /// Attribute value with white space normalised, then references resolved (XML 1.0 §2.11 and
    /// §3.3.3): a literal line break or tab becomes a space, while `&#13;&#10;` stays CR LF.
    pub fn value(&self, a: &Attr) -> Cow<'_, str> {
        let raw = self.raw_value(a);
        if a.plain {
            return Cow::Borrowed(raw);
        }
        let raw: Cow<str> = if raw.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
            Cow::Owned(raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " "))
        } else {
            Cow::Borrowed(raw)
        };
        if raw.contains('&') {
            match quick_xml::escape::unescape(&raw) {
                Ok(v) => Cow::Owned(v.into_owned()),
                Err(_) => raw,
            }
        } else {
            raw
        }
    }

    /// The character data directly inside an element (child elements and comments skipped,
    /// references resolved, CDATA kept, line ends normalised to `\n`).
    pub fn text(&self, i: u32) -> Cow<'_, str> {
        let el = self.element(i);
        if el.first_child == NONE {
            let raw = &self.text[r(&el.content)];
            if memchr::memchr3(b'<', b'&', b'\r', raw.as_bytes()).is_none() {
                return Cow::Borrowed(raw);
            }
            let mut out = String::with_capacity(raw.len());
            unescape_into(raw, &mut out);
            return Cow::Owned(out);
        }
        let mut pieces: Vec<Range<usize>> = Vec::new();
        let mut at = el.content.start as usize;
        for c in self.children(i) {
            let child = self.element(c);
            pieces.push(at..child.tag.start as usize);
            at = self.end_of(c);
        }
        pieces.push(at..el.content.end as usize);
        if pieces.len() == 1 {
            let raw = &self.text[pieces[0].clone()];
            if !raw.bytes().any(|b| matches!(b, b'<' | b'&' | b'\r')) {
                return Cow::Borrowed(raw);
            }
        }
        let mut out = String::new();
        for p in pieces {
            unescape_into(&self.text[p], &mut out);
        }
        Cow::Owned(out)
    }

    /// Length, blankness and edge line breaks of an element's text (CR LF counts as one
    /// character), without allocating when the element holds no child markup.
    pub fn text_shape(&self, i: u32) -> TextShape {
        match self.raw_content(i) {
            Some(raw) => TextShape::of_raw(&self.text[raw]),
            None => TextShape::of(&self.text(i)),
        }
    }

    /// Where an element's text lies when it is all of its content (no child element), so its
    /// shape can be taken later from the file's text alone ([`TextShape::of_raw`]).
    pub fn raw_content(&self, i: u32) -> Option<Range<usize>> {
        let el = self.element(i);
        (el.first_child == NONE).then(|| r(&el.content))
    }

    /// Byte offset just after an element's end tag.
    pub fn end_of(&self, i: u32) -> usize {
        self.element(i).end as usize
    }

    /// Elements in document order.
    pub fn all(&self) -> impl Iterator<Item = u32> {
        0..self.elements.len() as u32
    }
}

/// See [`Document::text_shape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextShape {
    /// Characters, counted only when there may be more than 255 (else the byte length).
    pub chars: usize,
    /// Empty or only white space.
    pub blank: bool,
    /// Starts or ends with white space that holds a line break (pretty-printed).
    pub edge_break: bool,
}

impl TextShape {
    /// The shape of an element's raw content without child elements (references, CDATA and
    /// comments as the tree's [`Document::text`] reads them).
    pub fn of_raw(raw: &str) -> TextShape {
        if memchr::memchr2(b'&', b'<', raw.as_bytes()).is_none() {
            return TextShape::of(raw);
        }
        // References resolved into a buffer the thread keeps, not a fresh string per text.
        thread_local! {
            static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        SCRATCH.with_borrow_mut(|out| {
            out.clear();
            unescape_into(raw, out);
            TextShape::of(out)
        })
    }

    fn of(t: &str) -> TextShape {
        let trimmed_start = t.trim_start();
        let lead = &t[..t.len() - trimmed_start.len()];
        let trail = &trimmed_start[trimmed_start.trim_end().len()..];
        let blank = trimmed_start.is_empty();
        TextShape {
            chars: if t.len() <= 255 {
                t.len()
            } else {
                // One pass: every byte that starts a character, but CR (CR LF counts as one).
                t.bytes()
                    .filter(|&b| (b as i8) >= -0x40 && b != b'\r')
                    .count()
            },
            blank,
            edge_break: !blank && (lead.contains('\n') || trail.contains('\n')),
        }
    }
}

/// An attribute name is not given twice in one tag (XML 1.0 §3.1, "Unique Att Spec"): the
/// tag's attributes so far are `so_far`. A tag with few attributes is scanned;
/// past [`FEW`] names a hash of each is kept, so a tag with N attributes costs O(N).
fn no_duplicate(
    so_far: &[Attr],
    name: &Range<u32>,
    text: &str,
    seen: &mut Seen,
) -> Result<(), Problem> {
    const FEW: usize = 16;
    let n = &text[r(name)];
    let twice = if so_far.len() < FEW {
        so_far.iter().any(|a| &text[r(&a.name)] == n)
    } else {
        use std::hash::BuildHasher;
        let Seen { hasher, hashes } = seen;
        if so_far.len() == FEW {
            // The first time this tag passes FEW names.
            hashes.clear();
            hashes.extend(so_far.iter().map(|a| hasher.hash_one(&text[r(&a.name)])));
        }
        // A new hash proves the name new; a known one (a duplicate, or a collision, which the
        // random seed keeps an input from arranging) is checked against the names.
        !hashes.insert(hasher.hash_one(n)) && so_far.iter().any(|a| &text[r(&a.name)] == n)
    };
    if twice {
        return Err(Problem::Syntax {
            at: name.start as usize,
            message: format!("attribute `{n}` is given twice in this tag"),
        });
    }
    Ok(())
}

/// Hashes of the attribute names of a tag with many attributes (the duplicate check), under a
/// randomly seeded hasher.
#[derive(Default)]
struct Seen {
    hasher: foldhash::fast::RandomState,
    hashes: foldhash::HashSet<u64>,
}

/// The open elements while a document is read: the path from the root, each level's last
/// child so far, and whether the root has closed.
#[derive(Default)]
struct Tree {
    stack: Vec<u32>,
    last_child: Vec<u32>,
    root_closed: bool,
    seen: Seen,
}

/// Whether two names are equal, compared in line: names are a few bytes long, shorter than
/// the call to `memcmp` that `==` makes for them.
#[inline]
pub fn same_name(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Where an event's markup starts. quick-xml's position before an event can stand ahead of
/// white space it folded into the event, so the start is taken from where the event's borrowed
/// content lies in `text`, less the markup before it (`<`, `</`, `&`, `<![CDATA[`, `<?`).
#[inline]
fn event_start(event: &Event<'_>, text: &str, base: usize, before: usize) -> usize {
    let at = |content: &[u8], markup: usize| -> usize {
        let p = (content.as_ptr() as usize).wrapping_sub(base);
        if p <= text.len() && p >= markup && p >= before {
            p - markup
        } else {
            before
        }
    };
    match event {
        Event::Start(e) | Event::Empty(e) => at(AsRef::<str>::as_ref(&e.name()).as_bytes(), 1),
        Event::End(e) => at(AsRef::<str>::as_ref(&e.name()).as_bytes(), 2),
        Event::Text(t) => at(AsRef::<str>::as_ref(t).as_bytes(), 0),
        Event::GeneralRef(g) => at(AsRef::<str>::as_ref(g).as_bytes(), 1),
        Event::CData(c) => at(AsRef::<str>::as_ref(c).as_bytes(), 9),
        Event::Decl(d) => at(AsRef::<str>::as_ref(d).as_bytes(), 2),
        _ => before,
    }
}

/// An attribute value holding `&`, `<` or white space other than spaces, at offset `v`: its
/// references must be defined and name XML characters, and it must hold no `<`.
fn attribute_value_problem(value: &str, v: usize) -> Result<(), Problem> {
    if value.contains('&') {
        match quick_xml::escape::unescape(value) {
            Err(err) => {
                return Err(Problem::Syntax {
                    at: v,
                    message: format!("bad reference in attribute value: {err}"),
                });
            }
            Ok(u) => {
                if let Some((_, c)) = illegal_char(&u) {
                    return Err(Problem::Syntax {
                        at: v,
                        message: format!(
                            "a reference to U+{:04X}, which is not an XML character",
                            c as u32
                        ),
                    });
                }
            }
        }
    }
    if value.contains('<') {
        return Err(Problem::Syntax {
            at: v,
            message: "`<` inside an attribute value".into(),
        });
    }
    Ok(())
}

/// A general reference (`&name;`, `&#N;`) in text: one of XML's five entities or a character
/// reference to an XML character.
fn reference_problem(
    g: &quick_xml::events::BytesRef<'_>,
    text: &str,
    span: Range<usize>,
) -> Option<Problem> {
    let ok = if g.is_char_ref() {
        matches!(g.resolve_char_ref(), Ok(Some(c)) if is_xml_char(c))
    } else {
        matches!(
            AsRef::<str>::as_ref(g).as_bytes(),
            b"amp" | b"lt" | b"gt" | b"quot" | b"apos"
        )
    };
    (!ok).then(|| Problem::Syntax {
        at: span.start,
        message: format!(
            "undefined entity or bad character reference `{}`",
            &text[span]
        ),
    })
}

/// XML 1.0 (fifth edition) §2.3 `Name`: a NameStartChar, then NameChars. ASCII names, nearly
/// all of them, take the first branch.
pub fn is_xml_name(s: &str) -> bool {
    let b = s.as_bytes();
    // ASCII names (nearly all) in one branch-free pass over the bytes; a name with any other
    // byte is decided by its characters below.
    let name_byte = |c: u8| {
        c.is_ascii_lowercase()
            | c.is_ascii_uppercase()
            | c.is_ascii_digit()
            | (c == b'_')
            | (c == b':')
            | (c == b'-')
            | (c == b'.')
    };
    if let Some((&first, rest)) = b.split_first()
        && (first.is_ascii_alphabetic() || first == b'_' || first == b':')
        && rest.iter().fold(true, |ok, &c| ok & name_byte(c))
    {
        return true;
    }
    if b.is_ascii() {
        return false;
    }
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// XML 1.0 §2.8 `XMLDecl` (the text between `<?` and `?>`): `xml`, then `version="1.x"`, an
/// optional `encoding` with a Latin name, an optional `standalone="yes|no"`, in that order,
/// each after white space, quoted with `"` or `'`.
fn decl_problem(content: &str) -> Option<String> {
    let mut rest = content.strip_prefix("xml")?;
    let order = ["version", "encoding", "standalone"];
    let mut next = 0;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        if trimmed.len() == rest.len() {
            return Some("the XML declaration needs white space between its parts".into());
        }
        let name_len = trimmed
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(trimmed.len());
        let name = &trimmed[..name_len];
        let Some(i) = order[next..].iter().position(|o| *o == name) else {
            return Some(format!(
                "`{name}` is out of place in the XML declaration (version, encoding, standalone)"
            ));
        };
        if next == 0 && i != 0 {
            return Some("the XML declaration must start with its version".into());
        }
        next += i + 1;
        let after = trimmed[name_len..].trim_start_matches([' ', '\t', '\r', '\n']);
        let Some(after) = after.strip_prefix('=') else {
            return Some(format!("`{name}` in the XML declaration has no `=`"));
        };
        let after = after.trim_start_matches([' ', '\t', '\r', '\n']);
        let Some(quote) = after.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            return Some(format!(
                "the value of `{name}` in the XML declaration is not quoted"
            ));
        };
        let Some(end) = after[1..].find(quote) else {
            return Some(format!(
                "the value of `{name}` in the XML declaration is not closed"
            ));
        };
        let value = &after[1..1 + end];
        let ok = match name {
            "version" => value
                .strip_prefix("1.")
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())),
            "encoding" => {
                value.starts_with(|c: char| c.is_ascii_alphabetic())
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            }
            _ => matches!(value, "yes" | "no"),
        };
        if !ok {
            return Some(format!(
                "`{name}=\"{value}\"` is not allowed in the XML declaration"
            ));
        }
        rest = &after[1 + end + 1..];
    }
    (next == 0).then(|| "the XML declaration has no version".into())
}

/// XML 1.0 §2.6: a processing instruction's target is a Name other than `xml` (any case),
/// followed by white space before its content.
fn pi_problem(content: &str) -> Option<String> {
    let end = content
        .find([' ', '\t', '\r', '\n'])
        .unwrap_or(content.len());
    let target = &content[..end];
    if !is_xml_name(target) {
        return Some(format!("`{target}` is no processing instruction target"));
    }
    target
        .eq_ignore_ascii_case("xml")
        .then(|| "the processing instruction target `xml` is reserved".into())
}

/// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF (surrogates
/// cannot occur in a Rust string).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// The first character that XML does not allow, with its byte offset. One pass over the bytes:
/// only C0 bytes and the UTF-8 of U+FFFE/U+FFFF (EF BF BE/BF) need a look.
pub fn illegal_char(text: &str) -> Option<(usize, char)> {
    let b = text.as_bytes();
    // A block of 64 bytes is first tested without a branch per byte (the compiler vectorises the
    // test); only a block holding a byte worth a look is walked byte by byte.
    const BLOCK: usize = 64;
    let worth_a_look = |x: u8| (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r')) | (x == 0xEF);
    let mut i = 0;
    while i < b.len() {
        let end = (i + BLOCK).min(b.len());
        if end - i == BLOCK
            && !b[i..end]
                .iter()
                .fold(false, |any, &x| any | worth_a_look(x))
        {
            i = end;
            continue;
        }
        while i < end {
            let x = b[i];
            if x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r') {
                return Some((i, x as char));
            }
            if x == 0xEF && b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF))
            {
                return text[i..].chars().next().map(|c| (i, c));
            }
            i += 1;
        }
    }
    None
}

/// Character data of a raw content slice without child elements.
fn unescape_into(raw: &str, out: &mut String) {
    let mut rest = raw;
    while !rest.is_empty() {
        match rest.find('<') {
            None => {
                push_text(rest, out);
                break;
            }
            Some(p) => {
                push_text(&rest[..p], out);
                rest = &rest[p..];
                let (open, close) = if rest.starts_with("<![CDATA[") {
                    ("<![CDATA[", "]]>")
                } else if rest.starts_with("<!--") {
                    ("<!--", "-->")
                } else {
                    ("<?", "?>")
                };
                let body_end = rest.find(close).unwrap_or(rest.len());
                if open == "<![CDATA[" {
                    push_normalised(&rest[open.len().min(body_end)..body_end], out);
                }
                rest = &rest[(body_end + close.len()).min(rest.len())..];
            }
        }
    }
}

/// Line ends are normalised in the raw text (XML 1.0 §2.11) before references are resolved, so a
/// `&#13;` stays a carriage return.
fn push_text(raw: &str, out: &mut String) {
    if !raw.contains('&') {
        push_normalised(raw, out);
        return;
    }
    let mut normalised = String::new();
    let raw = if raw.contains('\r') {
        push_normalised(raw, &mut normalised);
        normalised.as_str()
    } else {
        raw
    };
    out.push_str(&quick_xml::escape::unescape(raw).unwrap_or(Cow::Borrowed(raw)));
}

/// `raw` with CR LF and lone CR as LF (XML 1.0 §2.11), appended to `out` in one pass.
fn push_normalised(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(p) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..p]);
        out.push('\n');
        rest = &rest[p + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
}

pub struct Children<'a> {
    doc: &'a Document,
    next: u32,
}

impl Iterator for Children<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        match self.next {
            NONE => None,
            i => {
                self.next = self.doc.element(i).next_sibling;
                Some(i)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block-wise scan finds what a plain character walk finds, wherever the character
    /// stands relative to the 64-byte blocks (including U+FFFE split across two blocks, and a
    /// legal U+F000, whose UTF-8 also starts with EF, before it).
    #[test]
    fn illegal_char_at_every_block_position() {
        let reference = |t: &str| t.char_indices().find(|&(_, c)| !is_xml_char(c));
        for len in [0, 1, 63, 64, 65, 127, 128, 200] {
            let base = "a\tb\nc\r"
                .repeat(len)
                .chars()
                .take(len)
                .collect::<String>();
            assert_eq!(illegal_char(&base), None);
            for bad in ['\u{1}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
                for at in 0..=len {
                    for legal_ef in [false, true] {
                        let mut t = base[..at].to_string();
                        if legal_ef {
                            t.insert(0, '\u{F000}');
                        }
                        t.push(bad);
                        t.push_str(&base[at..]);
                        assert_eq!(illegal_char(&t), reference(&t), "{bad:?} at {at} of {len}");
                        assert!(illegal_char(&t).is_some());
                    }
                }
            }
        }
    }

    /// A name given twice in one tag is refused at its second place, whether the tag has few
    /// attributes (scanned) or many (hashed), wherever the first one stands; distinct names are
    /// accepted, also in a second large tag after a first one (the hashes are per tag).
    #[test]
    fn duplicate_attributes_in_small_and_large_tags() {
        for n in [2usize, 15, 16, 17, 40, 300] {
            let names: Vec<String> = (0..n).map(|i| format!("b{i}")).collect();
            let tag = |extra: &str| {
                let attrs: Vec<String> = names.iter().map(|a| format!("{a}=\"x\"")).collect();
                format!("<e {}{extra}/>", attrs.join(" "))
            };
            let ok = format!("<r>{}{}</r>", tag(""), tag(""));
            assert_eq!(Document::parse(ok).1, None, "{n} distinct names");
            for first in [0, n / 2, n - 1] {
                let text = format!("<r>{}{}</r>", tag(""), tag(&format!(" b{first}=\"y\"")));
                let at = text.rfind(&format!(" b{first}=")).unwrap() + 1;
                match Document::parse(text).1 {
                    Some(Problem::Syntax { at: got, message }) => {
                        assert_eq!(got, at, "{n}, b{first}");
                        assert!(message.contains(&format!("`b{first}` is given twice")));
                    }
                    other => panic!("{n}, b{first}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn spans_children_and_text() {
        let src = "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\">\n  <b>t&lt;<!--c--><![CDATA[<z>]]></b><c/>\n</a>";
        let (doc, p) = Document::parse(src.to_string());
        assert_eq!(p, None);
        let root = doc.root.unwrap();
        assert_eq!(doc.name(root), "a");
        let (v, span) = doc.attr(root, "x").unwrap();
        assert_eq!(v, "1 & 2");
        assert_eq!(&src[span], "1 &amp; 2");
        let kids: Vec<_> = doc.children(root).map(|c| doc.name(c)).collect();
        assert_eq!(kids, ["b", "c"]);
        let b = doc.child(root, "b").unwrap();
        assert_eq!(doc.text(b), "t<<z>");
        assert_eq!(doc.element(root).text_at, NONE);
        assert_eq!(&src[doc.end_of(b) - 4..doc.end_of(b)], "</b>");
    }

    /// Line ends are normalised (in CDATA too) before references are resolved, with and without
    /// references, with and without child elements.
    #[test]
    fn text_normalises_line_ends_then_references() {
        for (src, want) in [
            ("<a>x\r\ny\rz</a>", "x\ny\nz"),
            ("<a>x\r\ny\rz &amp; &#13;&#xA;</a>", "x\ny\nz & \r\n"),
            ("<a>plain</a>", "plain"),
            ("<a>\r\r\n\n</a>", "\n\n\n"),
            ("<a>a\r\n<b/>b&lt;\r</a>", "a\nb<\n"),
            ("<a>a<!--c\r\n--><![CDATA[\r\n&amp;]]>b</a>", "a\n&amp;b"),
        ] {
            let (doc, p) = Document::parse(src.to_string());
            assert_eq!(p, None, "{src:?}");
            assert_eq!(doc.text(doc.root.unwrap()), want, "{src:?}");
        }
    }

    #[test]
    fn problems_stop_parsing() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><lolz>&lol2;</lolz>";
        let (_, p) = Document::parse(bomb.to_string());
        assert!(matches!(p, Some(Problem::Doctype { html: false, .. })));
        let (_, p) = Document::parse("<!DOCTYPE html><html></html>".to_string());
        assert!(matches!(p, Some(Problem::Doctype { html: true, .. })));
        for bad in [
            "<a><b></a>",
            "<a>",
            "<a/><b/>",
            "<a>&nbsp;</a>",
            "<a x=\"&foo;\"/>",
            "",
            "x<a/>",
            "<a x='1' x='2'/>",
        ] {
            let (_, p) = Document::parse(bad.to_string());
            assert!(matches!(p, Some(Problem::Syntax { .. })), "{bad}: {p:?}");
        }
    }
}
