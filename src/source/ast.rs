//! The serde mirror of a definitions file. Every file of a template folder has the same shape;
//! `template.toml` carries the `[template]` table, the others usually hold `[[policy]]` blocks.
//! Fields that a diagnostic may point at are `Spanned`; unknown keys are rejected (D002).
//! Polymorphic values (registry values, defaults) stay `toml::Value` here and are interpreted by
//! `model::lower`, which reports their problems with a span.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSrc {
    pub template: Option<S<TemplateSrc>>,
    #[serde(default, rename = "using")]
    pub usings: Vec<S<UsingSrc>>,
    #[serde(default)]
    pub product: Vec<S<ProductSrc>>,
    #[serde(default)]
    pub supported_on: Vec<S<SupportedOnSrc>>,
    #[serde(default)]
    pub category: Vec<S<CategorySrc>>,
    /// Shared en-US strings, referenced from text fields as `$(string.ID)`.
    #[serde(default)]
    pub strings: IndexMap<String, S<String>>,
    #[serde(default)]
    pub policy: Vec<S<PolicySrc>>,
    #[serde(default)]
    pub registry_only: Vec<S<RegistryOnlySrc>>,
    /// Presentations no policy uses, kept so an imported template's ADMLs rebuild whole.
    #[serde(default)]
    pub presentation: Vec<S<PresentationSrc>>,
}

/// `[[presentation]]`: an ADML presentation that no policy refers to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresentationSrc {
    pub id: S<String>,
    #[serde(default)]
    pub control: Vec<S<ControlSrc>>,
}

/// `[[presentation.control]]`: one control, named as in the ADML (`dropdownList`, `textBox`…).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlSrc {
    pub control: S<String>,
    pub ref_id: Option<S<String>>,
    pub label: Option<S<String>>,
    /// A number (decimal boxes, `""` for `defaultValue=""`), a text (textBox, comboBox) or a
    /// boolean (checkBox).
    pub default: Option<S<toml::Value>>,
    pub default_item: Option<S<i64>>,
    pub no_sort: Option<S<bool>>,
    pub spin: Option<S<bool>>,
    pub spin_step: Option<S<i64>>,
    pub show_as_dialog: Option<S<bool>>,
    pub height: Option<S<i64>>,
    pub suggestions: Option<Vec<S<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSrc {
    /// ADMX/ADML file base name.
    pub name: S<String>,
    /// Target prefix (`policyNamespaces/target@prefix`).
    pub prefix: S<String>,
    /// Target namespace, a dotted name unique in the store.
    pub namespace: S<String>,
    pub revision: S<String>,
    pub min_required_revision: Option<S<String>>,
    /// The ADMLs' `revision` when it is not the derived one (see `Template::adml_revision`).
    pub adml_revision: Option<S<String>>,
    /// `supersededAdm` file names: one, or a list.
    pub superseded_adm: Option<S<OneOrMany>>,
    /// ADML `displayName` / `description` (not shown by GPMC, kept for tools).
    pub display_name: S<String>,
    pub description: S<String>,
    /// `strict = true`: what the editor loads but the ADMX XSD refuses (the codes of
    /// `Code::TOLERATED`) is an error for this template, as under `build --strict`.
    #[serde(default)]
    pub strict: Option<S<bool>>,
    /// Defaults for every policy of the template; a policy may override each.
    #[serde(default)]
    pub defaults: DefaultsSrc,
}

/// A text, or a list of texts.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultsSrc {
    pub class: Option<S<String>>,
    pub key: Option<S<String>>,
    pub supported_on: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsingSrc {
    pub prefix: S<String>,
    /// Required, but for an implicit prefix whose namespace nobody declares (`acme:` in an ADMX
    /// without `<using prefix="acme">`): the editor loads its references as unresolved ones.
    pub namespace: Option<S<String>>,
    /// `implicit = true`: the ADMX uses the prefix without a `<using>` (as Microsoft's do with
    /// `products:`); gpforge resolves it but writes no `<using>` (D050).
    pub implicit: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSrc {
    pub id: S<String>,
    pub display_name: Option<S<String>>,
    /// The ADML string id of `display_name` when it is not the generated one.
    pub display_name_id: Option<S<String>>,
    #[serde(default)]
    pub versions: Vec<S<VersionSrc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSrc {
    pub id: S<String>,
    pub display_name: Option<S<String>>,
    pub display_name_id: Option<S<String>>,
    pub index: S<u32>,
    /// The version's `minorVersion`s (service packs, branches), same fields.
    #[serde(default)]
    pub minor: Vec<S<VersionSrc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportedOnSrc {
    pub id: S<String>,
    pub display_name: Option<S<String>>,
    pub display_name_id: Option<S<String>>,
    /// Supported when any entry applies (`<or>`).
    pub any: Option<Vec<S<SupportedEntrySrc>>>,
    /// Supported when every entry applies (`<and>`).
    pub all: Option<Vec<S<SupportedEntrySrc>>>,
}

/// `{ ref = "X" }` is a `<reference>`; with `min`/`max` it is a `<range>` of version indices.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportedEntrySrc {
    #[serde(rename = "ref")]
    pub reference: S<String>,
    pub min: Option<S<u32>>,
    pub max: Option<S<u32>>,
    /// `range = true`: a `<range>` without bounds (every version), as written in the ADMX,
    /// rather than a `<reference>`.
    pub range: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySrc {
    pub id: S<String>,
    pub parent: Option<S<String>>,
    pub display_name: Option<S<String>>,
    pub display_name_id: Option<S<String>>,
    pub explain: Option<S<String>>,
    pub explain_id: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StigSrc {
    /// The XCCDF benchmark's `id`, e.g. `MS_Office_365_ProPlus_STIG` or `Microsoft_Outlook_2016`.
    pub benchmark: S<String>,
    /// The benchmark's version and release, e.g. `V3R5`.
    pub release: S<String>,
    /// The vulnerability id (the XCCDF Group), e.g. `V-223356`.
    pub vuln: S<String>,
    /// The rule id with its revision, e.g. `SV-223356r1117184_rule`.
    pub rule: S<String>,
    /// The STIG id (the rule's `version`), e.g. `O365-OU-000011` or `DTOO316`.
    pub id: S<String>,
    /// The rule's acceptance condition, as its check text states it.
    pub check: Option<S<CheckSrc>>,
}

/// `check = { value = "minenckey", at_least = 168, source = "…" }`: the registry value a STIG
/// rule checks and the one condition under which DISA's check text says "this is not a
/// finding"; `source` quotes that sentence of the check text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSrc {
    /// The value name the check names (compared case-insensitively, as Windows does).
    pub value: S<String>,
    pub equals: Option<S<toml::Value>>,
    pub at_least: Option<S<u64>>,
    pub at_most: Option<S<u64>>,
    pub one_of: Option<S<Vec<u64>>>,
    pub present: Option<S<bool>>,
    pub absent: Option<S<bool>>,
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySrc {
    pub id: S<String>,
    /// Absent: no `<parentCategory>` at all (D056).
    pub category: Option<S<String>>,
    pub class: Option<S<String>>,
    pub key: Option<S<String>>,
    pub supported_on: Option<S<String>>,
    pub value_name: Option<S<String>>,
    pub enabled_value: Option<S<toml::Value>>,
    pub disabled_value: Option<S<toml::Value>>,
    pub enabled_list: Option<S<Vec<S<ListEntrySrc>>>>,
    pub disabled_list: Option<S<Vec<S<ListEntrySrc>>>>,
    pub display_name: Option<S<String>>,
    /// The ADML string id of `display_name` when it is not the generated `<id>`.
    pub display_name_id: Option<S<String>>,
    pub explain: Option<S<String>>,
    /// The ADML string id of `explain` when it is not the generated `<id>_Explain`.
    pub explain_id: Option<S<String>>,
    /// The ADML presentation id when it is not the policy id (policies may share one).
    pub presentation: Option<S<String>>,
    /// ADMX `clientExtension`: the GUID of the client-side extension that applies the policy.
    pub client_extension: Option<S<String>>,
    pub stig: Option<S<Vec<StigSrc>>>,
    /// Free-form note on where the setting comes from (documentation only).
    pub source: Option<S<String>>,
    #[serde(default)]
    pub element: Vec<S<ElementSrc>>,
}

/// One entry of an `enabledList`, `disabledList`, `trueList`, `falseList` or enum `valueList`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListEntrySrc {
    pub key: Option<S<String>>,
    pub value_name: S<String>,
    pub value: S<toml::Value>,
}

/// An element of a policy, flat for every kind so spans survive; `lower` checks which keys apply
/// to which kind (D002).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementSrc {
    pub kind: S<String>,
    pub id: Option<S<String>>,
    pub key: Option<S<String>>,
    pub value_name: Option<S<String>>,
    /// ADMX `clientExtension` of the element: a client-side extension's GUID.
    pub client_extension: Option<S<String>>,
    /// The label of the presentation control (for `label`, the static text itself).
    pub label: Option<S<String>>,
    pub required: Option<S<bool>>,
    pub soft: Option<S<bool>>,
    /// Presentation default: a number (decimal), text (text, comboBox), an item name (enum) or a
    /// boolean (checkBox).
    pub default: Option<S<toml::Value>>,
    // decimal / long_decimal
    pub min: Option<S<i64>>,
    pub max: Option<S<toml::Value>>,
    pub store_as_text: Option<S<bool>>,
    pub spin: Option<S<bool>>,
    pub spin_step: Option<S<i64>>,
    // text / multi_text
    pub max_length: Option<S<i64>>,
    pub expandable: Option<S<bool>>,
    pub max_strings: Option<S<i64>>,
    pub show_as_dialog: Option<S<bool>>,
    pub height: Option<S<i64>>,
    /// `textBox` (default) or `comboBox` for text elements.
    pub control: Option<S<String>>,
    pub suggestions: Option<S<Vec<S<String>>>>,
    /// A check on the values (`oid`).
    pub format: Option<S<String>>,
    // enum / comboBox
    pub no_sort: Option<S<bool>>,
    pub items: Option<S<Vec<S<EnumItemSrc>>>>,
    // boolean
    pub true_value: Option<S<toml::Value>>,
    pub false_value: Option<S<toml::Value>>,
    pub true_list: Option<S<Vec<S<ListEntrySrc>>>>,
    pub false_list: Option<S<Vec<S<ListEntrySrc>>>>,
    // list
    pub value_prefix: Option<S<String>>,
    pub additive: Option<S<bool>>,
    pub explicit_value: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumItemSrc {
    pub name: S<String>,
    pub display_name: Option<S<String>>,
    pub display_name_id: Option<S<String>>,
    pub value: S<toml::Value>,
    pub value_list: Option<S<Vec<S<ListEntrySrc>>>>,
}

/// A registry value that Outlook honours but no ADMX element can express (e.g. REG_BINARY).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryOnlySrc {
    pub id: S<String>,
    pub class: Option<S<String>>,
    pub key: Option<S<String>>,
    pub value_name: S<String>,
    #[serde(rename = "type")]
    pub reg_type: S<String>,
    pub display_name: Option<S<String>>,
    pub explain: Option<S<String>>,
    pub stig: Option<S<Vec<StigSrc>>>,
    pub source: Option<S<String>>,
}

/// A baseline file, `definitions/baselines/<name>.toml`: a named set of policy states.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFileSrc {
    pub baseline: S<BaselineHeadSrc>,
    /// Values a site supplies (`--set`, `--params`): a required CA, an enrolment URL, a label.
    #[serde(default)]
    pub parameter: Vec<S<ParameterSrc>>,
    #[serde(default)]
    pub setting: Vec<S<SettingSrc>>,
}

/// A baseline parameter: a value only the deploying site knows, never an example value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSrc {
    pub name: S<String>,
    /// What to supply, in the site's terms (the baseline's README shows it).
    pub description: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineHeadSrc {
    pub title: S<String>,
    pub description: S<String>,
    /// The ADMX file name of the template the settings belong to; optional with one template.
    pub template: Option<S<String>>,
}

/// One policy (or registry-only setting) and the state the baseline gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingSrc {
    /// A policy id or a registry-only setting id.
    pub policy: S<String>,
    /// `enabled`, `disabled` or `not_configured`.
    pub state: S<String>,
    /// Element values of an enabled policy, by element id.
    pub values: Option<S<IndexMap<S<String>, S<toml::Value>>>>,
    /// The data of an enabled registry-only setting.
    pub value: Option<S<toml::Value>>,
    /// The hive of a `Both` policy: `User` or `Machine`.
    pub class: Option<S<String>>,
    pub stig: Option<S<Vec<StigSrc>>>,
    /// Parameters without which this setting is left out (besides those its values refer to
    /// with `{ param = "…" }`).
    pub requires: Option<S<Vec<S<String>>>>,
    /// Why this value was chosen.
    pub note: Option<S<String>>,
}

/// `locales/<culture>.toml`: translations of the template's strings, keyed by the string ids of
/// the en-US ADML. Ids missing here fall back to en-US (D035).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocaleFileSrc {
    #[serde(default)]
    pub strings: IndexMap<String, S<String>>,
    /// Ids whose text is rightly the same as in en-US (names, URLs): no D036 for them.
    #[serde(default)]
    pub same: Vec<S<String>>,
    /// Presentations this culture lays out differently from en-US (its own controls, texts
    /// inline), as `[[presentation]]` tables.
    #[serde(default)]
    pub presentation: Vec<S<PresentationSrc>>,
    /// String ids this culture's ADML lacks on purpose, as an imported template's did (D057):
    /// written to no ADML of this culture, never filled from en-US.
    #[serde(default)]
    pub missing: Vec<S<String>>,
    /// Presentation ids this culture's ADML lacks on purpose (D057).
    #[serde(default)]
    pub missing_presentations: Vec<S<String>>,
}
