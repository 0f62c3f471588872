//! The rules of family `store`: each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::store`.

use super::rule;

rule! {
    /// **What:** two ADMX files of the store declare the same target namespace.
    ///
    /// **Why:** the editor loads the first and refuses the second: "Namespace '…' is already defined
    /// as the target namespace for another file in the store". The usual cause is a renamed copy
    /// (a newer release next to the old one, or `windows.admx` next to `Windows.admx`).
    ///
    /// **Example:** `LocationProviderADM.admx` and `Microsoft-Windows-Geolocation-WLPAdm.admx`.
    V070: Error, Store, "target namespace defined twice"
}

rule! {
    /// **What:** two ADMX files of the store use the same target prefix.
    ///
    /// **Why:** prefixes are local to a file, so the editor accepts it, but Intune's importer and
    /// people reading `prefix:name` references confuse the two files.
    ///
    /// **Example:** two vendors' files both with `<target prefix="policy" …>`.
    V071: Warning, Store, "target prefix used twice"
}

rule! {
    /// **What:** a `<using>` names a namespace that no ADMX file of the store provides as its
    /// target. A warning for the Group Policy editor, an error for the Intune profile.
    ///
    /// **Why:** GPMC loads such files: Microsoft's own Windows Server 2025 store has two
    /// (`SmartScreen.admx` uses `Microsoft.Policies.MicrosoftEdge`, `WindowsBackup.admx` uses
    /// `Microsoft.Policies.Backup`, neither provided), and a maintainer of Winget-AutoUpdate
    /// reports that such a `using` "in domain GPO hasn't been a problem" (Romanitho/
    /// Winget-AutoUpdate#265); only the references through that prefix fail to resolve, and
    /// each is reported on its own (V031 category, V032 supportedOn, V033 product) unless the
    /// namespace is one of Windows' own, which every central store provides. Intune refuses
    /// the file: "ADMX file referenced not found NamespaceMissing:Microsoft.Policies.Windows.
    /// Please upload it first." `--store DIR` resolves against the store the file will join.
    ///
    /// **Example:** `<using prefix="windows" namespace="Microsoft.Policies.Windows"/>` in a store
    /// without `Windows.admx`.
    V072: Warning, Store, "using a namespace the store does not provide", intune_error = true
}

rule! {
    /// **What:** an ADMX without an ADML in en-US and in its fallback culture
    /// (`resources@fallbackCulture`), looked up as `<culture>/<same name>.adml`, case-insensitively.
    ///
    /// **Why:** the editor refuses the file: "An appropriate resource file could not be found for
    /// file …". An ADML beside the ADMX instead of in the culture folder is the usual cause.
    ///
    /// **Example:** `contoso.admx` with `contoso.adml` next to it and no `en-US/contoso.adml`.
    V073: Error, Store, "ADMX without ADML in its fallback culture"
}

rule! {
    /// **What:** the store has a culture folder that lacks the ADML of some ADMX files (one
    /// diagnostic per culture, listing the files).
    ///
    /// **Why:** admins with that display language see those policies in the fallback language; a
    /// translation was forgotten or is stale.
    ///
    /// **Example:** `de-DE/` holds `outlk16.adml` but not `contoso.adml`.
    V074: Warning, Store, "culture without some ADMLs"
}

rule! {
    /// **What:** an ADML in a culture folder for which the store has no ADMX of the same name.
    ///
    /// **Why:** the editor never reads it; usually a renamed or removed ADMX left its ADML behind.
    ///
    /// **Example:** `en-US/oldname.adml` after `oldname.admx` became `newname.admx`.
    V075: Warning, Store, "ADML without ADMX"
}

rule! {
    /// **What:** two files (or culture folders) whose names differ only in case.
    ///
    /// **Why:** Windows treats them as one file, so copying the store to SYSVOL keeps an arbitrary
    /// one; on case-sensitive copies both load and their namespaces clash.
    ///
    /// **Example:** `windows.admx` and `Windows.admx`; `en-us/` and `en-US/`.
    V076: Warning, Store, "names that differ only in case"
}

rule! {
    /// **What:** an ADML whose `revision` does not satisfy its ADMX's
    /// `resources@minRequiredRevision` (same major number, minor number at least as high).
    ///
    /// **Why:** the editor refuses the pair; the ADML is older than the ADMX needs.
    ///
    /// **Example:** ADMX `minRequiredRevision="2.0"`, ADML `revision="1.5"`.
    V077: Error, Store, "ADML revision below minRequiredRevision"
}

rule! {
    /// **What:** an ADML directly in the store folder, or an ADMX inside a culture folder.
    ///
    /// **Why:** the editor reads ADMX files only from the store folder and ADMLs only from culture
    /// folders, so the file is ignored.
    ///
    /// **Example:** `PolicyDefinitions/contoso.adml`.
    V078: Warning, Store, "file in the wrong folder"
}
