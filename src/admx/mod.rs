//! Reading ADMX/ADML files: bytes to text as real stores encode them ([`decode`]), a lossless
//! spanned DOM over that text ([`dom`]), and the vocabulary of Microsoft's ADMX schema that
//! every reader shares (validate's rules, the diff, the import).

pub mod decode;
pub mod dom;

/// The attributes a presentation control of `kind` has besides `refId`
/// (PolicyDefinitionResources.xsd); `None` for a kind the schema does not define. The editor
/// reads no other attribute of a control, so one it does not have (`defaultItem` and `noSort`
/// on a `checkBox`, as Microsoft's VolumeEncryption.adml has) means nothing to any consumer.
pub fn control_attributes(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "decimalTextBox" | "longDecimalTextBox" => &["defaultValue", "spin", "spinStep"],
        "textBox" | "listBox" | "text" => &[],
        "multiTextBox" => &["showAsDialog", "defaultHeight"],
        "checkBox" => &["defaultChecked"],
        "comboBox" => &["noSort"],
        "dropdownList" => &["noSort", "defaultItem"],
        _ => return None,
    })
}
