//! The rules of family `schema`: each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::schema`.

use super::rule;

rule! {
    /// **What:** an element the schema does not allow at this place: an unknown name, one out of
    /// the required order, or one too many.
    ///
    /// **Why:** the editor ignores what it does not know, so the author's intent is lost silently
    /// (a misspelt `<parentcategory>` leaves the policy at the root of the tree).
    ///
    /// **Example:** `<supportedOn>` before `<parentCategory>` inside a `<policy>`.
    V020: Warning, Schema, "element not allowed here"
}

rule! {
    /// **What:** an attribute the schema does not define on this element. Attribute names are
    /// case-sensitive, so `nosort` is not `noSort`.
    ///
    /// **Why:** the editor ignores it silently: a misspelt `defaultvalue` or `nosort` simply does
    /// nothing. Microsoft's own files carry some (`clientExtension` on policy, `Area`), which the
    /// editor tolerates.
    ///
    /// **Example:** `<dropdownList refId="X" nosort="true">`.
    V021: Warning, Schema, "attribute not allowed here"
}

rule! {
    /// **What:** an attribute the schema requires is missing (a policy's `name`, `class`, `key` or
    /// `displayName`, a control's `refId`, a string's `id`, the root's `revision`, …).
    ///
    /// **Why:** the editor cannot build the item without it and refuses the file.
    ///
    /// **Example:** `<policy name="A" class="User" displayName="$(string.A)">` without `key`.
    V022: Error, Schema, "required attribute missing"
}

rule! {
    /// **What:** a child element the schema requires is missing: a policy without
    /// `<supportedOn>`, a `<textBox>` without `<label>`, an enum `<item>` without `<value>`, an
    /// empty `<categories>`. Error when the editor needs the element to load the file at all
    /// (`policyNamespaces`, `target`, `resources`), Warning otherwise.
    ///
    /// **Why:** the item is incomplete: the editor shows no "Supported on" text, an empty label, or
    /// writes nothing.
    ///
    /// **Example:** `<policy …><parentCategory ref="C"/></policy>` (no `<supportedOn>`).
    V023: Warning, Schema, "required child element missing"
}

rule! {
    /// **What:** an attribute or text value that does not have the schema's type: a number that is
    /// not an unsigned integer, a boolean other than `true`/`false`/`1`/`0`, a GUID without braces,
    /// a `<string>` value over 255 characters.
    ///
    /// **Why:** the editor falls back to a default or truncates, so the setting behaves other than
    /// written.
    ///
    /// **Example:** `<decimalTextBox refId="X" defaultValue="">`.
    V024: Warning, Schema, "value not of the schema's type"
}

rule! {
    /// **What:** a name or reference with characters the schema forbids: names and ids must match
    /// `(\p{L}|\p{N}|_)+` (letters, digits, underscore), references `name` or `prefix:name`.
    ///
    /// **Why:** the editor accepts hyphens and dots in many places (Microsoft ships them), but
    /// `$(string.…)` references to such ids fail, and other tools (Intune's importer, gpui)
    /// reject them.
    ///
    /// **Example:** `<policy name="Allow-Feature" …>`.
    V025: Warning, Schema, "name with characters the schema forbids"
}

rule! {
    /// **What:** `revision`, `schemaVersion` or `minRequiredRevision` is not `MAJOR.MINOR` (1–4
    /// digits, a dot, 1–5 digits).
    ///
    /// **Why:** the editor refuses the file: "Invalid value: '1.04.0000' for attribute revision".
    ///
    /// **Example:** `revision="1.04.0000"`.
    V026: Error, Schema, "malformed revision"
}

rule! {
    /// **What:** a `displayName`, `explainText` or `presentation` value that is not exactly
    /// `$(string.ID)` / `$(presentation.ID)` with an id of letters, digits and underscores.
    ///
    /// **Why:** the editor refuses the file: "Invalid value '$(string.UploadUserActivities _Help)'
    /// for attribute explainText".
    ///
    /// **Example:** `explainText="$(string.My Policy_Help)"`.
    V027: Error, Schema, "malformed string or presentation reference"
}

rule! {
    /// **What:** a policy `class` other than `User`, `Machine` or `Both`.
    ///
    /// **Why:** the class decides the half of the GPO (and HKCU or HKLM); the editor refuses the
    /// file.
    ///
    /// **Example:** `class="Computer"`.
    V028: Error, Schema, "invalid policy class"
}

rule! {
    /// **What:** text inside an element that may hold only elements.
    ///
    /// **Why:** usually a line pasted into the wrong place (Microsoft's outlk16.adml has a stray
    /// "# If you change the title…" in its string table); the editor ignores it, schema validators
    /// reject the file.
    ///
    /// **Example:** `<elements>TODO<decimal id="X" valueName="x"/></elements>`.
    V029: Warning, Schema, "text where only elements are allowed"
}
