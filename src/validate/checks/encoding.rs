//! Family `encoding`: can the file be read as XML at all (bytes, encoding, well-formedness, DTD)?
//! Input: the decoder's findings and the parser's first problem. Output: V001–V004.

use super::Sink;
use crate::admx::decode::{Decoded, Finding};
use crate::admx::dom::Problem;
use crate::diag::Code;

/// Reports a file that was not read.
pub fn refused(why: &crate::fsx::Refusal, sink: &mut Sink<'_>) {
    sink.push(
        Code::V005,
        format!("file not read: {why}"),
        0..0,
        "not read",
    );
}

/// Reports what the decoder found.
pub fn decoded(d: &Decoded, sink: &mut Sink<'_>) {
    for f in &d.findings {
        match f {
            Finding::Invalid { at, encoding } => {
                sink.push(
                    Code::V003,
                    format!("bytes that are not valid {encoding}"),
                    *at..*at,
                    "the first invalid byte is here",
                )
                .notes
                .push(
                    "save the file as UTF-8 (with or without BOM) or as UTF-16LE with BOM".into(),
                );
            }
            Finding::Mismatch {
                declared,
                actual,
                span,
            } => {
                sink.push(
                    Code::V004,
                    format!("the declaration says `{declared}` but the file is {actual}"),
                    span.clone(),
                    format!("the bytes are {actual}"),
                );
            }
            Finding::Unknown { declared, span } => {
                sink.push(
                    Code::V004,
                    format!("unknown encoding `{declared}`"),
                    span.clone(),
                    "not an encoding name",
                );
            }
        }
    }
}

/// Reports the parser's problem.
pub fn parsed(problem: &Problem, sink: &mut Sink<'_>) {
    match problem {
        Problem::Syntax { at, message } => {
            sink.push(
                Code::V001,
                format!("not well-formed XML: {message}"),
                *at..*at,
                "here",
            );
        }
        Problem::Doctype { span, html } => {
            let d = sink.push(
                Code::V002,
                "document type declaration: the Group Policy editor says \"DTD is prohibited\"",
                span.clone(),
                "not allowed in an ADMX/ADML file",
            );
            if *html {
                d.notes.push(
                    "this is an HTML page, not a template: download the raw file (on GitHub: the \"Raw\" button) instead of saving the web page".into(),
                );
            }
            d.notes
                .push("the declaration was not expanded; nothing after it was checked".into());
        }
    }
}
