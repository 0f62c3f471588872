//! Registry values as ADMX states write them: one `Value` and a `ValueList` of them. Shared by
//! policies and their elements.

use super::id::{RegistryKey, ValueName};

/// An ADMX `Value`: what one state writes to one registry value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RegValue {
    /// `<delete/>`: the value is removed (`**del.` in Registry.pol).
    Delete,
    /// `<decimal>`: REG_DWORD.
    Decimal(u32),
    /// `<longDecimal>`: REG_QWORD.
    LongDecimal(u64),
    /// `<string>`: REG_SZ, at most 255 characters.
    String(String),
}

/// Maximum length of an ADMX `Value/string` (XSD; ADMX syntax guide).
pub const MAX_VALUE_STRING: usize = 255;

/// One registry value of an ADMX `ValueList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueListItem {
    /// Falls back to the list's default key (the policy or element key).
    pub key: Option<RegistryKey>,
    pub value_name: ValueName,
    pub value: RegValue,
}

/// An ADMX `ValueList` (`enabledList`, `trueList`, an enum item's `valueList`…).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValueList {
    pub default_key: Option<RegistryKey>,
    pub items: Vec<ValueListItem>,
}

impl ValueList {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
