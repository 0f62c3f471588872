//! The rules of family `registry`: each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::registry`.

use super::rule;

rule! {
    /// **What:** a registry key that starts with a hive (`HKEY_LOCAL_MACHINE\…`, `HKLM\…`), is
    /// empty, or has an empty segment (a leading, trailing or doubled backslash).
    ///
    /// **Why:** the hive comes from the policy's class; a key with a hive writes to
    /// `HKLM\HKEY_LOCAL_MACHINE\…`, which no program reads.
    ///
    /// **Example:** `key="HKEY_CURRENT_USER\Software\Policies\Contoso"`.
    V050: Warning, Registry, "malformed registry key"
}

rule! {
    /// **What:** a registry value name longer than 259 characters.
    ///
    /// **Why:** Registry.pol records value names of at most 259 characters (MS-GPREG §2.2.1); the
    /// setting cannot be delivered in a GPO.
    ///
    /// **Example:** `valueName="…"` of 300 characters.
    V051: Warning, Registry, "registry value name too long"
}

rule! {
    /// **What:** two items of one enum write the same value.
    ///
    /// **Why:** the editor cannot tell which item is configured when it reads the setting back;
    /// reports show the wrong choice.
    ///
    /// **Example:** items "Low" and "Medium" both `<decimal value="1"/>`.
    V052: Warning, Registry, "enum items with the same value"
}

rule! {
    /// **What:** an enum element without any item.
    ///
    /// **Why:** the drop-down list is empty; enabling the policy writes nothing.
    ///
    /// **Example:** `<enum id="Level" valueName="level"/>`.
    V053: Warning, Registry, "enum without items"
}

rule! {
    /// **What:** a decimal or longDecimal element whose `minValue` is greater than its `maxValue`
    /// (the default maximum is 9999).
    ///
    /// **Why:** no number can be entered; the editor refuses every value.
    ///
    /// **Example:** `<decimal id="Port" valueName="port" minValue="10000"/>`.
    V054: Warning, Registry, "minValue greater than maxValue"
}

rule! {
    /// **What:** one policy writes the same registry value from two places (its own `valueName` and
    /// an element, or two elements), compared case-insensitively.
    ///
    /// **Why:** the last write wins, so one of the two settings has no effect.
    ///
    /// **Example:** `<policy valueName="level">` with `<decimal valueName="Level"/>` under the same key.
    V055: Warning, Registry, "registry value written twice by one policy"
}

rule! {
    /// **What:** a list element with both `valuePrefix` and `explicitValue="true"`.
    ///
    /// **Why:** the two are exclusive (the user types value names with `explicitValue`); the editor
    /// ignores the prefix.
    ///
    /// **Example:** `<list id="Sites" valuePrefix="site" explicitValue="true"/>`.
    V056: Warning, Registry, "list with valuePrefix and explicitValue"
}

rule! {
    /// **What:** an item of `enabledList`, `disabledList`, `trueList`, `falseList` or an enum
    /// `valueList` without `key`, in a list without `defaultKey`.
    ///
    /// **Why:** the Guide says the editor shows an error; newer editors use the policy's key. Give
    /// the key explicitly so every tool writes to the same place.
    ///
    /// **Example:** `<enabledList><item valueName="a"><value><decimal value="1"/></value></item></enabledList>`.
    V057: Warning, Registry, "value list item without key"
}

rule! {
    /// **What:** a text, decimal, longDecimal, multiText or boolean element without `valueName`
    /// (a boolean may instead write through `trueList`/`falseList`).
    ///
    /// **Why:** the element writes the key's unnamed default value, which is almost never what a
    /// program reads; a text element without `valueName` is a known cause of "the policy does
    /// nothing".
    ///
    /// **Example:** `<text id="Server"/>`.
    V058: Warning, Registry, "element without valueName"
}
