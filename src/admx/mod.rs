//! Reading ADMX/ADML files: bytes to text as real stores encode them ([`decode`]), a lossless
//! spanned DOM over that text ([`dom`]), and the vocabulary of Microsoft's ADMX schema that
//! every reader shares (validate's rules, the diff, the import).

pub mod decode;
pub mod dom;
pub mod view;

/// The attributes an ADMX element has in Microsoft's schema (PolicyDefinitions.xsd; for
/// `longDecimal`, the copy that defines it), besides namespace declarations. The editor reads
/// no other attribute, so one outside this list (`required` on a `boolean`, `maxvalue` for
/// `maxValue`, `noSort` on an `enum`, a vendor's `Area`) means nothing to any consumer: import
/// leaves it out with a note and `gpforge diff` does not count it.
pub fn attributes(element: &str) -> &'static [&'static str] {
    const ELEMENT: [&str; 4] = ["id", "clientExtension", "key", "valueName"];
    macro_rules! element {
        ($($a:literal),*) => {
            &[ELEMENT[0], ELEMENT[1], ELEMENT[2], ELEMENT[3], $($a),*]
        };
    }
    match element {
        "policyDefinitions" => &["revision", "schemaVersion"],
        "policy" => &[
            "name",
            "class",
            "displayName",
            "explainText",
            "presentation",
            "key",
            "valueName",
            "clientExtension",
        ],
        "category" => &["name", "displayName", "explainText"],
        "parentCategory" | "supportedOn" => &["ref"],
        "target" | "using" => &["prefix", "namespace"],
        "supersededAdm" => &["fileName"],
        "resources" => &["minRequiredRevision", "fallbackCulture"],
        "product" | "definition" => &["name", "displayName"],
        "majorVersion" | "minorVersion" => &["name", "displayName", "versionIndex"],
        "reference" => &["ref"],
        "range" => &["ref", "minVersionIndex", "maxVersionIndex"],
        "decimal" | "longDecimal" => {
            element!("required", "minValue", "maxValue", "storeAsText", "soft")
        }
        "text" => element!("required", "maxLength", "expandable", "soft"),
        "multiText" => element!("required", "maxLength", "maxStrings", "soft"),
        "enum" => element!("required"),
        "boolean" => element!(),
        "list" => &[
            "id",
            "clientExtension",
            "key",
            "valuePrefix",
            "additive",
            "expandable",
            "explicitValue",
        ],
        _ => &[],
    }
}

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
