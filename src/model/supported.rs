//! supportedOn: products with their versions, and the definitions policies refer to.

use super::id::{ItemRef, Name, StringId};

#[derive(Debug, Clone)]
pub struct Product {
    pub name: Name,
    pub display: StringId,
    pub versions: Vec<MajorVersion>,
}

#[derive(Debug, Clone)]
pub struct MajorVersion {
    pub name: Name,
    pub display: StringId,
    pub index: u32,
    /// `minorVersion`s, in order (their own `minors` are empty).
    pub minors: Vec<MajorVersion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combinator {
    Or,
    And,
}

#[derive(Debug, Clone)]
pub enum SupportedEntry {
    Reference(ItemRef),
    Range {
        target: ItemRef,
        min: Option<u32>,
        max: Option<u32>,
    },
}

#[derive(Debug, Clone)]
pub struct SupportedDefinition {
    pub name: Name,
    pub display: StringId,
    /// `None`: a definition with a display name only (no `<or>`/`<and>`), as Windows has.
    pub combinator: Option<Combinator>,
    pub entries: Vec<SupportedEntry>,
}
