//! Localised strings: one table per culture, keyed by string id, in source order.

use super::id::StringId;
use indexmap::IndexMap;

#[derive(Debug, Clone, Default)]
pub struct StringTable {
    pub culture: String,
    pub entries: IndexMap<StringId, String>,
    /// Presentations this culture lays out differently from en-US: its ADML shows these
    /// controls instead.
    pub presentations: Vec<super::Presentation>,
    /// The texts of those controls (labels, defaults, suggestions): shown in the presentation
    /// table only, never written to the string table.
    pub presentation_texts: IndexMap<StringId, String>,
    /// String ids this culture's ADML leaves out (D057).
    pub missing: Vec<String>,
    /// Presentation ids this culture's ADML leaves out (D057).
    pub missing_presentations: Vec<String>,
}

impl StringTable {
    pub fn get(&self, id: &StringId) -> Option<&str> {
        self.entries
            .get(id)
            .or_else(|| self.presentation_texts.get(id))
            .map(String::as_str)
    }
}
