//! Family `namespace`: is the root element the one an ADMX or ADML file must have, in the
//! namespace the schema defines? Input: the parsed document and the file's extension.
//! Output: V010–V012 and the file's kind, or `None` when the file is no template at all.

use super::Sink;
use crate::admx::dom::Document;
use crate::diag::Code;

/// The ADMX/ADML namespace real files use.
pub const NS: &str = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";
/// The spelling of MS-GPREG's printed schema.
pub const NS_GPREG: &str = "http://www.microsoft.com/GroupPolicy/PolicyDefinitions";

pub use crate::validate::store::Kind;

/// Checks the root; returns the kind of file its root says it is.
pub fn root(doc: &Document, by_extension: Option<Kind>, sink: &mut Sink<'_>) -> Option<Kind> {
    let root = doc.root?;
    let kind = match doc.name(root) {
        "policyDefinitions" => Kind::Admx,
        "policyDefinitionResources" => Kind::Adml,
        other => {
            sink.push(
                Code::V010,
                format!("root element `{other}` is neither `policyDefinitions` (ADMX) nor `policyDefinitionResources` (ADML)"),
                doc.name_span(root),
                "not a Group Policy template",
            );
            return None;
        }
    };
    if let Some(expected) = by_extension
        && expected != kind
    {
        let (is, ext) = match kind {
            Kind::Admx => ("an ADMX file", ".adml"),
            Kind::Adml => ("an ADML file", ".admx"),
        };
        sink.push(
            Code::V010,
            format!("this is {is} named `{ext}`"),
            doc.name_span(root),
            "the root element says what the file is",
        );
        return None;
    }
    match doc.attr(root, "xmlns") {
        None => {
            sink.push(
                Code::V011,
                "the root element has no default namespace",
                doc.name_span(root),
                format!("add xmlns=\"{NS}\""),
            );
        }
        Some((ns, span)) if ns == NS_GPREG => {
            sink.push(
                Code::V011,
                "the root element uses MS-GPREG's spelling of the namespace",
                span,
                format!("real files use {NS}"),
            );
        }
        Some((ns, span)) if ns != NS => {
            sink.push(
                Code::V012,
                format!("unknown root namespace `{ns}`"),
                span,
                format!("expected {NS}"),
            );
        }
        Some(_) => {}
    }
    Some(kind)
}
