//! The rules of family `presentation`: each code with its default severity, title and what `gpforge explain`
//! prints. Checked in `validate::checks::presentation`.

use super::rule;

rule! {
    /// **What:** a presentation control whose `refId` matches no element of the policy (ids are
    /// case-sensitive).
    ///
    /// **Why:** the editor cannot bind the control and fails when the policy is opened; MDM drops
    /// the value.
    ///
    /// **Example:** `<textBox refId="ServerName">` for an element `<text id="Server">`.
    V040: Error, Presentation, "control for no element"
}

rule! {
    /// **What:** a control of the wrong kind for its element (the pairs are decimalTextBox–decimal,
    /// longDecimalTextBox–longDecimal, textBox/comboBox–text, checkBox–boolean,
    /// dropdownList–enum, listBox–list, multiTextBox–multiText).
    ///
    /// **Why:** the editor cannot show the element and refuses to open the policy.
    ///
    /// **Example:** `<textBox refId="Level">` for `<enum id="Level">`.
    V041: Error, Presentation, "control of the wrong kind"
}

rule! {
    /// **What:** an element of the policy that no control of its presentation shows.
    ///
    /// **Why:** the value cannot be set in the editor; enabling the policy writes nothing for it
    /// (or the policy cannot be enabled if the element is required).
    ///
    /// **Example:** `<decimal id="Port">` with a presentation that only has a `<text>` label.
    V042: Warning, Presentation, "element without a control"
}

rule! {
    /// **What:** two controls of one presentation bound to the same element.
    ///
    /// **Why:** both edit one value; which one wins is undefined.
    ///
    /// **Example:** two `<textBox refId="Server">`.
    V043: Warning, Presentation, "element with two controls"
}

rule! {
    /// **What:** a dropdownList `defaultItem` that is not an index of the enum's items. It is a
    /// 0-based position, not the item's value.
    ///
    /// **Why:** the list opens with no selection, or with another item than intended.
    ///
    /// **Example:** `defaultItem="3"` for an enum of three items.
    V044: Warning, Presentation, "defaultItem out of range"
}

rule! {
    /// **What:** a policy with elements but no `presentation` attribute.
    ///
    /// **Why:** the editor shows no fields, so the elements cannot be set.
    ///
    /// **Example:** `<policy name="P" …>` with `<elements><text id="T" valueName="t"/></elements>`.
    V045: Warning, Presentation, "policy with elements but no presentation"
}

rule! {
    /// **What:** a decimalTextBox `defaultValue` outside the element's `minValue`…`maxValue`
    /// (0…9999 when not given).
    ///
    /// **Why:** the editor proposes a value it then refuses.
    ///
    /// **Example:** `defaultValue="40"` for `<decimal minValue="64" …>`.
    V046: Warning, Presentation, "default value outside min/max"
}
