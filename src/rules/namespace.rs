//! The rules of family `namespace`: each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::namespace`.

use super::rule;

rule! {
    /// **What:** the root element is not `policyDefinitions` (for an `.admx` file) or
    /// `policyDefinitionResources` (for an `.adml` file): another kind of XML file, or an ADMX and
    /// an ADML swapped.
    ///
    /// **Why:** the editor cannot load such a file; an ADML named `.admx` also hides the real ADMX.
    ///
    /// **Example:** `<policyDefinitionResources …>` in `contoso.admx`.
    V010: Error, Namespace, "wrong root element"
}

rule! {
    /// **What:** the root element has no default namespace, or the spelling printed in MS-GPREG
    /// (`http://www.microsoft.com/GroupPolicy/PolicyDefinitions`) instead of
    /// `http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions`.
    ///
    /// **Why:** the editor matches elements by local name and loads such files (every Office
    /// `*16.admx` has no namespace), but schema validators and editors built on the XSD (gpui,
    /// admx-lint) reject them: "No matching global declaration available for the validation root".
    ///
    /// **Example:** `<policyDefinitions revision="1.0" schemaVersion="1.0">` without `xmlns`.
    V011: Warning, Namespace, "root without the ADMX schema namespace"
}

rule! {
    /// **What:** the root element's namespace is neither the schema's nor one of its known
    /// variants.
    ///
    /// **Why:** no schema-based reader accepts the file; it usually comes from a search-and-replace
    /// gone wrong.
    ///
    /// **Example:** `xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/Policysecurity intelligence"`
    /// (Microsoft's WindowsDefender.adml).
    V012: Warning, Namespace, "root in an unknown namespace"
}
