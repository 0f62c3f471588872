//! The rules of family `encoding`: each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::encoding`.

use super::rule;

rule! {
    /// **What:** the file is not well-formed XML: a syntax error, a tag that is not closed or
    /// closed in the wrong order, an undefined entity such as `&nbsp;`, text or a second element
    /// after the root, or no root element at all.
    ///
    /// **Why:** GPMC and Intune stop reading the file at the first such error, and every policy
    /// of the file is missing from the editor ("Encountered an error while parsing").
    ///
    /// **Example:** `<policy name="A" …>` without `</policy>`.
    V001: Error, Encoding, "file is not well-formed XML"
}

rule! {
    /// **What:** the file contains a document type declaration (`<!DOCTYPE …>`). gpforge never
    /// expands it, so entity bombs and external entities do nothing here.
    ///
    /// **Why:** the Group Policy editor refuses any DTD ("Encountered an error while parsing.
    /// DTD is prohibited."). The usual cause is a web page saved as `.admx` (a repository's HTML
    /// view instead of the raw file), the most repeated complaint about downloaded templates.
    ///
    /// **Example:** `<!DOCTYPE html>` at line 1 of `firefox.admx`.
    V002: Error, Encoding, "document type declaration (DTD is prohibited)"
}

rule! {
    /// **What:** bytes that are not valid in the file's encoding (UTF-8 chosen when there is no
    /// BOM, UTF-16 when there is one), or a UTF-16 file with an odd number of bytes.
    ///
    /// **Why:** the XML parser of the editor rejects the file ("Invalid character"); text around the
    /// bad bytes would be garbled anyway.
    ///
    /// **Example:** an ADML saved as Windows-1252 (`é` as byte E9) while its declaration says UTF-8.
    V003: Error, Encoding, "bytes invalid in the file's encoding"
}

rule! {
    /// **What:** the XML declaration names an encoding the bytes do not have (`encoding="utf-16"` in
    /// a UTF-8 file), or one nobody knows. The byte-order mark and byte pattern win, as they do in
    /// the editor.
    ///
    /// **Why:** the editor reads the file by its BOM and ignores the label, but other readers (XML
    /// libraries, Intune's importer, editors) follow the label and fail or garble the text.
    ///
    /// **Example:** `<?xml version="1.0" encoding="utf-16"?>` in a file that starts with EF BB BF.
    V004: Warning, Encoding, "declared encoding disagrees with the bytes"
}

rule! {
    /// **What:** a file that gpforge did not read: not a regular file (a FIFO, a device, a
    /// socket), a symbolic link found in a store whose target lies outside it, or a file larger
    /// than 64 MiB.
    ///
    /// **Why:** a FIFO named `x.admx` blocks any reader forever and a link to `/dev/zero` is
    /// read until memory runs out; a link out of the store can carry any readable file (a key, a
    /// password file) into a report. No template is any of these.
    ///
    /// **Example:** `PolicyDefinitions/evil.admx -> /home/ci/.ssh/id_rsa`.
    V005: Error, Encoding, "file not read"
}
