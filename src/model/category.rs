//! Categories: the folders of the Administrative Templates tree.

use super::id::{CategoryId, ItemRef, StringId};

#[derive(Debug, Clone)]
pub struct Category {
    pub id: CategoryId,
    pub display: StringId,
    pub explain: Option<StringId>,
    /// None: a root category under "Administrative Templates".
    pub parent: Option<ItemRef>,
}
