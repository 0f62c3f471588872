//! Presentations (ADML `presentationTable`): the controls of a policy's dialog, in display order.
//! Labels and text defaults are localised, so they are string ids resolved per culture.

use super::id::{ElementId, Name, StringId};

#[derive(Debug, Clone)]
pub struct Presentation {
    pub id: Name,
    pub controls: Vec<Control>,
}

impl Control {
    /// The string ids of the texts this control shows (label, default, suggestions).
    pub fn text_ids(&self) -> Vec<&StringId> {
        match self {
            Control::Text { label }
            | Control::CheckBox { label, .. }
            | Control::DecimalTextBox { label, .. }
            | Control::LongDecimalTextBox { label, .. }
            | Control::MultiTextBox { label, .. }
            | Control::DropdownList { label, .. }
            | Control::ListBox { label, .. } => vec![label],
            Control::TextBox { label, default, .. } => {
                std::iter::once(label).chain(default.iter()).collect()
            }
            Control::ComboBox {
                label,
                default,
                suggestions,
                ..
            } => std::iter::once(label)
                .chain(default.iter())
                .chain(suggestions.iter())
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Control {
    /// Static text with no element.
    Text {
        label: StringId,
    },
    CheckBox {
        ref_id: ElementId,
        label: StringId,
        default_checked: bool,
    },
    DecimalTextBox {
        ref_id: ElementId,
        label: StringId,
        default: Option<u32>,
        /// `defaultValue=""`: kept as written (D049).
        empty_default: bool,
        spin: bool,
        spin_step: u32,
    },
    LongDecimalTextBox {
        ref_id: ElementId,
        label: StringId,
        default: Option<u64>,
        /// `defaultValue=""`: kept as written (D049).
        empty_default: bool,
        spin: bool,
        spin_step: u32,
    },
    TextBox {
        ref_id: ElementId,
        label: StringId,
        default: Option<StringId>,
    },
    MultiTextBox {
        ref_id: ElementId,
        label: StringId,
        show_as_dialog: bool,
        default_height: u32,
    },
    DropdownList {
        ref_id: ElementId,
        label: StringId,
        no_sort: bool,
        /// 0-based index into the enum's items.
        default_item: Option<usize>,
        /// `defaultItem=""`: kept as written (D049).
        empty_default: bool,
    },
    ListBox {
        ref_id: ElementId,
        label: StringId,
    },
    ComboBox {
        ref_id: ElementId,
        label: StringId,
        default: Option<StringId>,
        suggestions: Vec<StringId>,
        no_sort: bool,
    },
}
