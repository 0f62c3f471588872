//! quick-xml helpers shared by the XML backends: a small builder over `quick_xml::Writer` so
//! escaping and nesting cannot go wrong, and `<string>` text is never re-indented.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// The ADMX/ADML namespace that real files use (and GPMC and the XSD expect).
pub const NS: &str = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";

pub struct Xml {
    w: Writer<Vec<u8>>,
}

type Attrs<'a> = &'a [(&'a str, &'a str)];

impl Xml {
    pub fn new() -> Self {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        // Writing to a Vec cannot fail.
        let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
        Xml { w }
    }

    fn start_tag<'a>(name: &'a str, attrs: Attrs<'a>) -> BytesStart<'a> {
        let mut s = BytesStart::new(name);
        for (k, v) in attrs {
            s.push_attribute((*k, *v));
        }
        s
    }

    pub fn open(&mut self, name: &str, attrs: Attrs) {
        let _ = self
            .w
            .write_event(Event::Start(Self::start_tag(name, attrs)));
    }

    pub fn close(&mut self, name: &str) {
        let _ = self.w.write_event(Event::End(BytesEnd::new(name)));
    }

    pub fn empty(&mut self, name: &str, attrs: Attrs) {
        let _ = self
            .w
            .write_event(Event::Empty(Self::start_tag(name, attrs)));
    }

    /// `<name attrs>text</name>` on one line; the text is escaped, never indented.
    pub fn text_element(&mut self, name: &str, attrs: Attrs, text: &str) {
        // An empty text is an empty element: a start and end tag would be split over two
        // indented lines, and that white space would become the text.
        if text.is_empty() {
            self.empty(name, attrs);
            return;
        }
        let _ = self
            .w
            .write_event(Event::Start(Self::start_tag(name, attrs)));
        {
            // A carriage return is kept as a reference: a raw one would be read as a line end.
            let escaped = quick_xml::escape::partial_escape(text);
            let escaped = if escaped.contains('\r') {
                std::borrow::Cow::Owned(escaped.replace('\r', "&#13;"))
            } else {
                escaped
            };
            let _ = self
                .w
                .write_event(Event::Text(BytesText::from_escaped(escaped)));
        }
        let _ = self.w.write_event(Event::End(BytesEnd::new(name)));
    }

    pub fn finish(self) -> String {
        let mut bytes = self.w.into_inner();
        bytes.push(b'\n');
        // Every input was a &str, so the buffer is UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

/// `$(string.ID)`
pub fn string_ref(id: &str) -> String {
    format!("$(string.{id})")
}
