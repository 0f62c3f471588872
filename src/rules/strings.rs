//! The rules of family `strings`: each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::strings`.

use super::rule;

rule! {
    /// **What:** a `$(string.ID)` of the ADMX that the ADML of a culture does not define.
    ///
    /// **Why:** the editor refuses the whole file: "Resource '$(string.X)' referenced in attribute
    /// displayName could not be found". The usual cause is an ADMX updated without its ADML, or a
    /// translated ADML that lags behind en-US.
    ///
    /// **Example:** a new policy whose `$(string.NewPolicy_Help)` is missing from `de-DE/x.adml`.
    V060: Error, Strings, "string missing from an ADML"
}

rule! {
    /// **What:** a `$(presentation.ID)` of the ADMX that the ADML of a culture does not define.
    ///
    /// **Why:** the editor refuses the file: "Resource '$(presentation.X)' referenced in attribute
    /// presentation could not be found".
    ///
    /// **Example:** `presentation="$(presentation.L_ConnectedOfficeExperiences)"` with no such
    /// `<presentation id>` in the ADML.
    V061: Error, Strings, "presentation missing from an ADML"
}

rule! {
    /// **What:** a display name (of a policy, category, product or supportedOn definition) that is
    /// empty or only white space.
    ///
    /// **Why:** the item shows as a blank line in the editor's tree and cannot be found by name.
    ///
    /// **Example:** `<string id="MyPolicy"></string>`.
    V062: Warning, Strings, "empty display name"
}

rule! {
    /// **What:** an ADML string that starts or ends with a line break and indentation, as an XML
    /// pretty-printer leaves it.
    ///
    /// **Why:** ADML text is shown as written: the editor displays the stray blank lines and
    /// indentation (Chromium's template writer refuses to pretty-print ADML for this reason).
    ///
    /// **Off by default** (pedantic): Microsoft's own 1903 + Office store has 808 such strings,
    /// most of validate's findings there. `--select V063` (or `--select pedantic`) turns it on.
    ///
    /// **Example:** `<string id="X">\n      Allow downloads\n    </string>`.
    V063: Warning, Strings, "string with leading or trailing line break"
}

rule! {
    /// **What:** two `<string>` elements with the same `id` in one ADML.
    ///
    /// **Why:** the Group Policy editor refuses the file: "Found duplicate definition of element
    /// string with name …" (microsoft/vscode#248917).
    ///
    /// **Example:** `<string id="Help">…</string>` twice.
    V064: Error, Strings, "string defined twice"
}

rule! {
    /// **What:** two `<presentation>` elements with the same `id` in one ADML.
    ///
    /// **Why:** only one of the dialogs is used, and which one depends on the reader.
    ///
    /// **Example:** `<presentation id="Proxy">` twice.
    V065: Warning, Strings, "presentation defined twice"
}

rule! {
    /// **What:** a display name longer than 255 characters.
    ///
    /// **Why:** display names are tree labels and report headings; ADM limited them to 255
    /// characters and long names are cut in the editor, reports and Intune's settings list. Put
    /// the detail in the explain text.
    ///
    /// **Example:** a policy display name that repeats its whole explanation.
    V066: Warning, Strings, "display name over 255 characters"
}
