//! Validating newtypes: names that the ADMX schema restricts, registry keys and value names,
//! revisions. Constructors check; once built, a value is known to be valid.

use std::fmt;

/// `(\p{L}|\p{N}|_)+` (BaseTypes.xsd `itemName`/`resourceID`), approximated with Rust's
/// alphabetic/numeric classes.
pub fn is_item_name(s: &str) -> bool {
    // Most names are ASCII: one branch-free test over the bytes (the compiler vectorises it);
    // anything else is decided by its characters.
    !s.is_empty()
        && (s.bytes().fold(true, |ok, b| {
            ok & (b.is_ascii_lowercase()
                | b.is_ascii_uppercase()
                | b.is_ascii_digit()
                | (b == b'_'))
        }) || s.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

/// A name the Group Policy editor loads although the XSD's `itemName` refuses it: letters,
/// digits, `_`, `-` and `.` (Microsoft's own `p2p-pnrp`, `terminalserver-Server`,
/// `AllowX-ForestPolicy-and-RUP`; vendors' `org.freedesktop.accounts.change-own-password`).
/// Such names are accepted with warning D042 (an error under `--strict`).
pub fn is_loose_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Why `s` cannot name a file or folder gpforge writes (a template's ADMX, a baseline's folder,
/// an imported template's folder), or `None` when it can. Names reach the file system only
/// through this check: letters, digits, `_`, `-`, inner spaces (VMware ships `VMware UEM.admx`)
/// and inner dots; no leading dot (`.`, `..`,
/// hidden files), no trailing dot (Windows drops it), at most 100 characters, and not a Windows
/// device name (`CON`, `NUL`, `COM1`…, with or without an extension), which Windows cannot
/// create or opens as a device.
pub fn file_name_problem(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return Some("is empty");
    }
    if s.chars().any(char::is_control) {
        return Some("contains control characters");
    }
    if !s
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
    {
        return Some("may hold only letters, digits, `_`, `-`, `.` and spaces");
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") {
        return Some(
            "starts or ends with a space, or has two in a row (Windows drops trailing spaces)",
        );
    }
    if s.starts_with('.') {
        return Some(
            "starts with a dot (`.`, `..` and hidden names are not file names gpforge writes)",
        );
    }
    if s.ends_with('.') {
        return Some("ends with a dot, which Windows drops");
    }
    if s.chars().count() > 100 {
        return Some("is longer than 100 characters");
    }
    let base = s.split('.').next().unwrap_or(s).to_ascii_uppercase();
    let device = matches!(
        base.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || ((base.starts_with("COM") || base.starts_with("LPT"))
        && base.chars().count() == 4
        && base
            .chars()
            .nth(3)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³')));
    if device {
        return Some("is a Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9)");
    }
    None
}

/// A name type with the XSD's rule ([`is_item_name`]) and the editor's ([`is_loose_name`]).
pub trait AdmxName: Sized {
    fn strict(s: &str) -> Option<Self>;
    fn loose(s: &str) -> Option<Self>;
}

macro_rules! name_type {
    ($(#[$m:meta])* $t:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $t(String);
        impl $t {
            /// Accepts only names matching the ADMX `itemName` pattern.
            pub fn parse(s: &str) -> Option<Self> {
                is_item_name(s).then(|| $t(s.to_string()))
            }
            /// Accepts the names the editor loads ([`is_loose_name`]) as well.
            pub fn parse_loose(s: &str) -> Option<Self> {
                is_loose_name(s).then(|| $t(s.to_string()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl AdmxName for $t {
            fn strict(s: &str) -> Option<Self> {
                Self::parse(s)
            }
            fn loose(s: &str) -> Option<Self> {
                Self::parse_loose(s)
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type!(
    /// A policy's ADMX `name`: its stable id.
    PolicyId
);
name_type!(
    /// A category `name`.
    CategoryId
);
name_type!(
    /// An ADML string id (`$(string.ID)`).
    StringId
);
name_type!(
    /// An element `id` (and presentation `refId`). The XSD allows any string; gpforge keeps to the
    /// `itemName` pattern so ids are safe in Intune `<data id>` payloads and generated string ids.
    ElementId
);
name_type!(
    /// A plain local name: supportedOn definitions, products, versions, prefixes, enum item names.
    Name
);

impl StringId {
    /// Builds a generated id from valid parts (`Policy_Explain`); parts are already item names.
    pub fn join(parts: &[&str]) -> Option<StringId> {
        StringId::parse_loose(&parts.join("_"))
    }
}

/// `name` or `prefix:name` (BaseTypes.xsd `itemReference`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemRef {
    pub prefix: Option<Name>,
    pub name: Name,
}

impl ItemRef {
    pub fn parse(s: &str) -> Option<ItemRef> {
        Self::parse_with(s, Name::parse)
    }
    /// Prefix and name as the editor loads them ([`is_loose_name`]).
    pub fn parse_loose(s: &str) -> Option<ItemRef> {
        Self::parse_with(s, Name::parse_loose)
    }
    fn parse_with(s: &str, name: fn(&str) -> Option<Name>) -> Option<ItemRef> {
        match s.split_once(':') {
            Some((p, n)) => Some(ItemRef {
                prefix: Some(name(p)?),
                name: name(n)?,
            }),
            None => Some(ItemRef {
                prefix: None,
                name: name(s)?,
            }),
        }
    }
    pub fn local(name: &str) -> Option<ItemRef> {
        Some(ItemRef {
            prefix: None,
            name: Name::parse(name)?,
        })
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.prefix {
            Some(p) => write!(f, "{p}:{}", self.name),
            None => f.write_str(self.name.as_str()),
        }
    }
}

/// A dotted target namespace such as `Gpforge.Policies.OutlookSmime`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamespaceName(String);

impl NamespaceName {
    pub fn parse(s: &str) -> Option<Self> {
        (!s.is_empty() && s.split('.').all(is_item_name)).then(|| NamespaceName(s.to_string()))
    }
    /// A namespace the editor loads: the XSD's `xs:anyURI` (no white space inside, no control
    /// characters), such as VMware's `FullArmor.a6dbfaf9-98b7-463f-a7c7-ac0447f00743`. White
    /// space around it is collapsed by the schema (Microsoft's OOBE.admx has
    /// `Microsoft.Policies.OOBE  `) and kept as written.
    pub fn parse_loose(s: &str) -> Option<Self> {
        let t = s.trim_matches(' ');
        (!t.is_empty() && !t.chars().any(char::is_control)).then(|| NamespaceName(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a registry key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    Hive,
    ForwardSlash,
    EmptySegment,
    Empty,
    /// A control character (CR/LF would start a new line of a `.reg` file: a new key).
    Control,
    /// A segment longer than the registry's 255 characters.
    SegmentTooLong,
}

/// The registry's limit on one key name (a segment of a path).
pub const MAX_KEY_SEGMENT: usize = 255;

const HIVES: &[&str] = &[
    "HKEY_LOCAL_MACHINE",
    "HKEY_CURRENT_USER",
    "HKEY_CLASSES_ROOT",
    "HKEY_USERS",
    "HKEY_CURRENT_CONFIG",
    "HKLM",
    "HKCU",
    "HKCR",
    "HKU",
    "HKCC",
];

/// A registry key relative to the hive that the policy class selects.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegistryKey(String);

impl RegistryKey {
    pub fn parse(s: &str) -> Result<Self, KeyError> {
        if s.is_empty() {
            return Err(KeyError::Empty);
        }
        let first = s.split(['\\', '/', ':']).next().unwrap_or_default();
        if HIVES.iter().any(|h| h.eq_ignore_ascii_case(first)) {
            return Err(KeyError::Hive);
        }
        Self::parse_under_hive(s)
    }
    /// A key whose first segment may name a hive: the editor loads it and writes a subkey of
    /// that name under the class's hive (D010). Every other rule of [`RegistryKey::parse`] holds.
    pub fn parse_under_hive(s: &str) -> Result<Self, KeyError> {
        if s.is_empty() {
            return Err(KeyError::Empty);
        }
        // `/` is a legal character of a key name (Outlook reads `…\Internet Free/Busy`); a key
        // with `/` and no `\` uses the wrong separator.
        if s.contains('/') && !s.contains('\\') {
            return Err(KeyError::ForwardSlash);
        }
        if s.chars().any(char::is_control) {
            return Err(KeyError::Control);
        }
        if s.split('\\').any(str::is_empty) {
            return Err(KeyError::EmptySegment);
        }
        if s.split('\\')
            .any(|seg| seg.chars().count() > MAX_KEY_SEGMENT)
        {
            return Err(KeyError::SegmentTooLong);
        }
        Ok(RegistryKey(s.to_string()))
    }
    /// A key the Group Policy editor loads though [`RegistryKey::parse`] refuses it, and why:
    /// one trailing `\` (Microsoft's TerminalServer.admx), or `/` as the only separator (a key
    /// whose name holds `/`, as BaseALT's templates write). Written back to the ADMX as given;
    /// the registry outputs use [`RegistryKey::path`].
    pub fn parse_loose(s: &str) -> Result<(Self, &'static str), KeyError> {
        if let Some(inner) = s.strip_suffix('\\')
            && let Ok(k) = Self::parse(inner)
        {
            return Ok((
                RegistryKey(format!("{}\\", k.0)),
                "ends with `\\`, which the registry ignores",
            ));
        }
        match Self::parse(&s.replace('/', "\\")) {
            Ok(_) if s.contains('/') && !s.contains('\\') => Ok((
                RegistryKey(s.to_string()),
                "has `/` and no `\\`: one key whose name holds `/`",
            )),
            Ok(_) => Self::parse(s).map(|k| (k, "")),
            Err(e) => Err(e),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The key as the registry names it: without a trailing `\`.
    pub fn path(&self) -> &str {
        self.0.strip_suffix('\\').unwrap_or(&self.0)
    }
}

impl fmt::Display for RegistryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Registry.pol allows value names of 1 to 259 characters (MS-GPREG 2.2.1).
pub const MAX_VALUE_NAME: usize = 259;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValueName(String);

impl ValueName {
    /// The empty name: a key's unnamed default value (`@` in `.reg`).
    pub fn default_value() -> Self {
        ValueName(String::new())
    }
    pub fn parse(s: &str) -> Option<Self> {
        let n = s.chars().count();
        // Control characters: CR/LF would split a `.reg` line, NUL ends the name in `.pol`.
        ((1..=MAX_VALUE_NAME).contains(&n) && !s.chars().any(char::is_control))
            .then(|| ValueName(s.to_string()))
    }
    /// A name longer than Registry.pol carries but within the registry's own limit (16,383
    /// characters): the editor loads it (D052).
    pub fn parse_long(s: &str) -> Option<Self> {
        let n = s.chars().count();
        (n > MAX_VALUE_NAME && n <= MAX_REGISTRY_VALUE_NAME && !s.chars().any(char::is_control))
            .then(|| ValueName(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The registry's own limit on a value name.
pub const MAX_REGISTRY_VALUE_NAME: usize = 16_383;

impl fmt::Display for ValueName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `[0-9]{1,4}\.[0-9]{1,5}` (BaseTypes.xsd `versionString`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Revision {
    pub major: u16,
    pub minor: u32,
}

impl Revision {
    pub fn parse(s: &str) -> Option<Self> {
        let (a, b) = s.split_once('.')?;
        let digits = |t: &str, max: usize| {
            !t.is_empty() && t.len() <= max && t.bytes().all(|c| c.is_ascii_digit())
        };
        if !digits(a, 4) || !digits(b, 5) {
            return None;
        }
        Some(Revision {
            major: a.parse().ok()?,
            minor: b.parse().ok()?,
        })
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A dotted ASN.1 object identifier: first arc 0, 1 or 2, then decimal arcs without leading zeros.
pub fn is_oid(s: &str) -> bool {
    let arcs: Vec<&str> = s.split('.').collect();
    arcs.len() >= 2
        && matches!(arcs[0], "0" | "1" | "2")
        && arcs.iter().all(|a| {
            !a.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && (a.len() == 1 || !a.starts_with('0'))
        })
}

/// `en-US`, `de-DE`, `zh-Hant-TW`, `fi-FL`: letters, a hyphen, more.
pub fn looks_like_culture(s: &str) -> bool {
    is_language(s) && s.contains('-')
}

/// xs:language: `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`.
pub fn is_language(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (1..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ASCII names by the byte test, others by their characters: the same verdicts.
    #[test]
    fn item_names() {
        for ok in ["a", "Pol_1", "_", "Größe", "名前", "x٣"] {
            assert!(is_item_name(ok), "{ok}");
        }
        for bad in ["", "a-b", "a.b", "a b", "a:b", "é-", "x\u{0}"] {
            assert!(!is_item_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn keys() {
        assert!(RegistryKey::parse(r"software\policies\x").is_ok());
        assert_eq!(RegistryKey::parse(r"HKCU\software"), Err(KeyError::Hive));
        assert_eq!(
            RegistryKey::parse(r"HKEY_LOCAL_MACHINE\software"),
            Err(KeyError::Hive)
        );
        assert_eq!(
            RegistryKey::parse("software/policies"),
            Err(KeyError::ForwardSlash)
        );
        assert!(RegistryKey::parse(r"software\outlook\internet free/busy").is_ok());
        assert_eq!(
            RegistryKey::parse(r"software\\x"),
            Err(KeyError::EmptySegment)
        );
        assert_eq!(
            RegistryKey::parse(r"software\"),
            Err(KeyError::EmptySegment)
        );
        assert_eq!(RegistryKey::parse(""), Err(KeyError::Empty));
        let (k, _) = RegistryKey::parse_loose(r"software\x\").unwrap();
        assert_eq!((k.as_str(), k.path()), (r"software\x\", r"software\x"));
        let (k, _) = RegistryKey::parse_loose("software/x").unwrap();
        assert_eq!(k.path(), "software/x");
        assert!(RegistryKey::parse_loose(r"software\\x").is_err());
        assert!(RegistryKey::parse_loose(r"software\x\\").is_err());
        assert!(RegistryKey::parse_loose(r"HKCU\x\").is_err());
    }

    #[test]
    fn names_and_revisions() {
        assert!(PolicyId::parse("L_Signallemailmessages").is_some());
        assert!(PolicyId::parse("Sign-All").is_none());
        assert!(PolicyId::parse("").is_none());
        assert!(NamespaceName::parse("Gpforge.Policies.Outlook").is_some());
        assert!(NamespaceName::parse("Gpforge..Outlook").is_none());
        assert!(NamespaceName::parse_loose("Microsoft.Policies.OOBE  ").is_some());
        // GPMC loads a namespace with inner spaces (90meter's templates have one).
        assert!(NamespaceName::parse_loose("Contoso Policies").is_some());
        assert!(NamespaceName::parse_loose("Contoso\nPolicies").is_none());
        assert!(PolicyId::parse_loose("AllowX-ForestPolicy-and-RUP").is_some());
        assert!(PolicyId::parse_loose("Sign All").is_none());
        assert_eq!(
            Revision::parse("1.0"),
            Some(Revision { major: 1, minor: 0 })
        );
        assert!(Revision::parse("1.04.0000").is_none());
        assert!(Revision::parse("12345.0").is_none());
        assert!(ValueName::parse(&"x".repeat(259)).is_some());
        assert!(ValueName::parse(&"x".repeat(260)).is_none());
        let r = ItemRef::parse("windows:SUPPORTED_Windows7").unwrap();
        assert_eq!(r.prefix.unwrap().as_str(), "windows");
    }

    #[test]
    fn file_names() {
        for ok in [
            "outlook_smime",
            "disa-stig",
            "a.b",
            "Contoso.Outlook",
            "CONSOLE",
            "com10",
            "VMware UEM FlexEngine",
        ] {
            assert_eq!(file_name_problem(ok), None, "{ok}");
        }
        for bad in [
            "", ".", "..", "...", ".hidden", "a.", "a\nb", "a/b", "a\\b", "CON", "nul", "Com1",
            "lpt9.txt", "aux.admx", "COM¹", " a", "a ", "a  b",
        ] {
            assert!(file_name_problem(bad).is_some(), "{bad:?}");
        }
        assert!(file_name_problem(&"x".repeat(101)).is_some());
    }

    #[test]
    fn oids() {
        assert!(is_oid("2.16.840.1.101.3.4.1.42"));
        assert!(is_oid("1.2.840.113549.3.7"));
        assert!(!is_oid("2.16.840.1.101.3.4.1.42."));
        assert!(!is_oid("3.1"));
        assert!(!is_oid("2.016.1"));
        assert!(!is_oid("aes256"));
    }
}
