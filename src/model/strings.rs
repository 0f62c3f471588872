//! Localised strings: one table per culture, keyed by string id, in source order.

use super::id::StringId;
use indexmap::IndexMap;

#[derive(Debug, Clone, Default)]
pub struct StringTable {
    pub culture: String,
    pub entries: IndexMap<StringId, String>,
}

impl StringTable {
    pub fn get(&self, id: &StringId) -> Option<&str> {
        self.entries.get(id).map(String::as_str)
    }
}
