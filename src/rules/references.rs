//! The rules of family `references`: each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::references`.

use super::rule;

rule! {
    /// **What:** a reference `prefix:name` whose prefix is neither the file's target prefix nor
    /// declared by a `<using>`.
    ///
    /// **Why:** the reference cannot be resolved. The editor tolerates it (Microsoft ships
    /// `products:` references without a `using`), Intune refuses the file ("No namespace found
    /// with prefix adobe"): Warning, Error with profile intune.
    ///
    /// **Example:** `<supportedOn ref="windows:SUPPORTED_Windows7"/>` without
    /// `<using prefix="windows" namespace="Microsoft.Policies.Windows"/>`.
    V030: Warning, References, "undeclared prefix", intune_error = true
}

rule! {
    /// **What:** a `parentCategory` that names a category that does not exist in the file, or in
    /// the file its prefix points to.
    ///
    /// **Why:** the editor loads the file but does not show a policy whose category is unknown,
    /// so the setting cannot be reached ("proxy policy not available" until its parentCategory
    /// was fixed: drlellinger/thunderbird-policies#6). Microsoft ships four such policies itself
    /// (TerminalServer's AutoSubscription, three in inetres.admx), so it is a warning for the
    /// editor (`--error V031` promotes it); Intune's ingestion refuses it ("category not
    /// defined"): an error with profile intune.
    ///
    /// **Example:** `<parentCategory ref="windows:NoSuchCategory"/>`.
    V031: Warning, References, "unknown category", intune_error = true
}

rule! {
    /// **What:** a policy's `supportedOn` that names a definition that does not exist in the file
    /// or in the file its prefix points to.
    ///
    /// **Why:** the editor shows no "Supported on" text and its product filter misses the policy
    /// (Microsoft's own store has such references when files of different releases are mixed).
    ///
    /// **Example:** `<supportedOn ref="windows:SUPPORTED_Windows_99"/>`.
    V032: Warning, References, "unknown supportedOn definition"
}

rule! {
    /// **What:** a `range` or `reference` inside a supportedOn definition that names no product,
    /// version or other supportedOn definition.
    ///
    /// **Why:** the editor's "Supported on" text and its filter by product are wrong.
    ///
    /// **Example:** `<range ref="Contoso_v9"/>` with no such `majorVersion`.
    V033: Warning, References, "unknown product or version"
}

rule! {
    /// **What:** two categories, policies, supportedOn definitions or products of one file with
    /// the same name.
    ///
    /// **Why:** names are keys inside a namespace: the editor refuses the file ("An item with the
    /// same key has already been added").
    ///
    /// **Example:** two `<policy name="DisableX" …>` in one ADMX.
    V034: Error, References, "name defined twice"
}

rule! {
    /// **What:** categories whose `parentCategory` chain loops back to itself.
    ///
    /// **Why:** the category tree cannot be built; the editor shows none of the policies under it.
    ///
    /// **Example:** category A with parent B, B with parent A.
    V035: Error, References, "category cycle"
}
