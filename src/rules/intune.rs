//! The rules of family `intune` (profile `intune` only): each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::intune`.

use super::rule;

rule! {
    /// **What:** a registry key under `System`, `Software\Microsoft` or `Software\Policies\Microsoft`
    /// outside the paths Microsoft allows for ingested ADMX (Office, Exchange, Edge, OneDrive, …).
    /// Element `key` overrides, list keys and value-list keys are checked too.
    ///
    /// **Why:** the device refuses the policy at deployment (error 0x20101), long after the upload
    /// succeeded.
    ///
    /// **Example:** `key="Software\Policies\Microsoft\Cryptography\AutoEnrollment"`.
    V080: Error, Intune, "registry path forbidden for Intune"
}

rule! {
    /// **What:** a `comboBox` presentation control.
    ///
    /// **Why:** Intune's ADMX import does not support comboBox and rejects the file.
    ///
    /// **Example:** `<comboBox refId="Server"><label>Server</label></comboBox>`.
    V081: Error, Intune, "comboBox not supported by Intune"
}

rule! {
    /// **What:** a policy without `explainText`.
    ///
    /// **Why:** optional in the schema, but Intune's import fails with "Object Reference not set to
    /// an instance of an object".
    ///
    /// **Example:** `<policy name="P" class="User" displayName="$(string.P)" key="…">`.
    V082: Error, Intune, "policy without explainText"
}

rule! {
    /// **What:** an ADMX file larger than 1 MB.
    ///
    /// **Why:** Intune's import accepts files up to 1 MB.
    ///
    /// **Example:** a vendor ADMX of 1.4 MB.
    V083: Error, Intune, "ADMX over 1 MB"
}

rule! {
    /// **What:** an ADMX without an en-US ADML.
    ///
    /// **Why:** Intune's import takes the en-US ADML only; other cultures are not accepted.
    ///
    /// **Example:** `contoso.admx` with only `de-DE/contoso.adml`.
    V084: Error, Intune, "no en-US ADML"
}

rule! {
    /// **What:** ADMX files whose `using` dependencies form a cycle, so no upload order works.
    ///
    /// **Why:** Intune needs every namespace a file uses uploaded before the file itself.
    ///
    /// **Example:** a.admx uses b's namespace and b.admx uses a's.
    V085: Error, Intune, "using dependencies form a cycle"
}

rule! {
    /// **What:** a policy without `parentCategory`.
    ///
    /// **Why:** the editor shows it at the root of Administrative Templates, but Intune rejects the
    /// import, and the policy has no OMA-URI area (AppName~Policy~category chain).
    ///
    /// **Example:** `<policy name="P" …><supportedOn ref="…"/></policy>`.
    V086: Error, Intune, "policy without category"
}

rule! {
    /// **What:** a `parentCategory` (of a policy or a category) that names a category through the
    /// file's own target prefix (`makemeadmin:MakeMeAdmin` in makemeadmin.admx).
    ///
    /// **Why:** the Group Policy editor resolves it, but Intune's ADMX ingestion does not: it
    /// reports "category was not defined" (pseymour/MakeMeAdmin#49). Refer to the file's own
    /// categories without a prefix.
    ///
    /// **Example:** `<parentCategory ref="makemeadmin:MakeMeAdmin"/>` in a file whose target
    /// prefix is `makemeadmin`.
    V087: Error, Intune, "parentCategory through the file's own prefix"
}
