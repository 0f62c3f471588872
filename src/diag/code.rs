//! The catalogue of diagnostic codes. `D###` = definitions, `B###` = backend limits, `V###` =
//! validator rules. A code is never reused once retired. The documentation of each D/B variant
//! (what it checks, why it matters, an example) is what `gpforge explain CODE` prints, so the docs
//! live next to the code; V-codes are declared with their documentation in `rules::<family>`
//! (one module per family of `validate::checks`) and only listed here.

macro_rules! codes {
    (
        $( $(#[doc = $doc:literal])* $name:ident => $sev:ident, $title:literal; )*
        @rules { $( $vname:ident => $rule:path; )* }
    ) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])* $name, )*
            $( #[doc = concat!("Validator rule, see `", stringify!($rule), "`.")] $vname, )*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)* $(Code::$vname,)*];

            /// The code as printed: `D001`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => stringify!($name),)*
                    $(Code::$vname => stringify!($vname),)*
                }
            }

            /// Default severity of diagnostics with this code.
            pub fn severity(self) -> super::Severity {
                match self {
                    $(Code::$name => super::Severity::$sev,)*
                    $(Code::$vname => $rule.severity,)*
                }
            }

            /// One-line title.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$name => $title,)*
                    $(Code::$vname => $rule.title,)*
                }
            }

            /// The long documentation (Markdown): what, why, example.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Code::$name => concat!($($doc, "\n"),*),)*
                    $(Code::$vname => $rule.doc,)*
                }
            }

            /// The validator rule behind a V-code.
            pub fn rule(self) -> Option<crate::rules::Rule> {
                match self {
                    $(Code::$vname => Some($rule),)*
                    _ => None,
                }
            }
        }
    };
}

impl Code {
    /// Codes for what the Group Policy editor loads but the ADMX XSD (or a stricter rule of
    /// gpforge) refuses: warnings by default, errors under `--strict` or `strict = true` in a
    /// template's `[template]` table.
    pub const TOLERATED: &'static [Code] = &[
        Code::D019,
        Code::D024,
        Code::D042,
        Code::D043,
        Code::D044,
        Code::D045,
        Code::D046,
        Code::D047,
        Code::D048,
        Code::D049,
        Code::D050,
        Code::D010,
        Code::D016,
        Code::D052,
        Code::D053,
        Code::D054,
        Code::D055,
        Code::D056,
        Code::D057,
        Code::D013,
        Code::D015,
        Code::D017,
    ];
}

impl Code {
    /// Looks a code up by its printed form, case-insensitively.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

codes! {
    /// **What:** the file is not valid TOML (unclosed string, missing `=`, duplicate key in a table…).
    ///
    /// **Why:** nothing in the file can be read until the syntax is fixed.
    ///
    /// **Example:** `display_name = "Sign all e-mail` (no closing quote).
    D001 => Error, "TOML syntax error";

    /// **What:** a key that the definitions format does not know, or that does not apply to the
    /// element kind it is written on (`max_length` on a `decimal`).
    ///
    /// **Why:** a misspelt key (`valuename` for `value_name`) would otherwise be ignored silently and
    /// the policy would write something else than its author meant.
    ///
    /// **Example:** `valuename = "alwayssign"` inside `[[policy]]`.
    D002 => Error, "unknown field";

    /// **What:** a required key is missing or a key has the wrong type (a string where a number is
    /// expected, a number out of range for the registry type).
    ///
    /// **Why:** the model only holds complete, valid policies.
    ///
    /// **Example:** `[[policy]]` without `id`, or `min = -1` on a decimal (REG_DWORD is unsigned).
    D003 => Error, "missing or invalid field";

    /// **What:** two policies (or registry-only settings) of one template share an `id`.
    ///
    /// **Why:** the id is the ADMX `policy@name`; GPMC, Intune URIs and baselines address a policy by
    /// it, so it must be unique inside the template's namespace.
    ///
    /// **Example:** two `[[policy]]` blocks with `id = "L_Signallemailmessages"`.
    D004 => Error, "duplicate policy id";

    /// **What:** two categories of one template share an `id`.
    ///
    /// **Why:** category names are unique in an ADMX namespace; the editor cannot tell them apart.
    ///
    /// **Example:** `[[category]] id = "L_Cryptography"` twice.
    D005 => Error, "duplicate category id";

    /// **What:** two elements of one policy share an `id`, or two enum items of one element share a
    /// `name`.
    ///
    /// **Why:** presentations (`refId`) and Intune payloads (`<data id=…>`) address elements by id;
    /// baselines address enum items by name.
    ///
    /// **Example:** two `[[policy.element]]` blocks with `id = "L_Minimumkeysizeinbits"`.
    D006 => Error, "duplicate element id";

    /// **What:** a `category` or `parent` uses a `prefix:` that no `[[using]]` declares, or a
    /// category is its own ancestor. (A category name without prefix that the template does not
    /// define is D044.)
    ///
    /// **Why:** Intune's ADMX ingestion refuses a file with an undeclared prefix ("No namespace
    /// found with prefix adobe", validator rule V030), and a category that is its own ancestor
    /// has no place in the editor's tree.
    ///
    /// **Example:** `category = "office:L_Crypto"` without `[[using]] prefix = "office"`.
    D007 => Error, "unknown category";

    /// **What:** `supported_on` (or an entry of a supportedOn definition) uses a `prefix:` that
    /// no `[[using]]` declares. (A name without prefix that the template does not define is
    /// D044.)
    ///
    /// **Why:** Intune's ADMX ingestion refuses a file with an undeclared prefix ("No namespace
    /// found with prefix adobe", validator rule V030).
    ///
    /// **Example:** `supported_on = "windows:SUPPORTED_Windows7"` without a `[[using]]` of
    /// `windows`.
    D008 => Error, "unknown supportedOn definition";

    /// **What:** a text field written as `$(string.ID)` names a string that `[strings]` does not
    /// define.
    ///
    /// **Why:** every `$(string.ID)` must resolve in the ADML, otherwise GPMC fails with
    /// "Resource '$(string.ID)' … could not be found".
    ///
    /// **Example:** `display_name = "$(string.L_Warnng)"`.
    D009 => Error, "unknown string";

    /// **What:** a registry key starts with a hive (`HKEY_CURRENT_USER\…`, `HKCU\…`).
    ///
    /// **Why:** ADMX keys are relative: the hive comes from the policy class (User → HKCU,
    /// Machine → HKLM). A hive in the key would be written as a subkey named `HKEY_…`.
    ///
    /// The Group Policy editor loads such a key and writes a subkey named after the hive under
    /// the class's hive (the schema's `key` is any string): an imported template keeps it as
    /// written, with this warning; `--strict` makes it an error.
    ///
    /// **Example:** `key = 'HKCU\Software\Policies\Microsoft\Office\16.0\Outlook\Security'`.
    D010 => Warning, "registry key with a hive prefix";

    /// **What:** a registry key with an empty segment (`a\\b`, a leading backslash), a control
    /// character, a segment over 255 characters, or empty. (One trailing backslash, and `/` as
    /// the only separator, are D046.) A `/` inside a name of a backslash-separated key is
    /// allowed (`…\Calendar\Internet Free/Busy`).
    ///
    /// **Why:** the registry separates keys with `\` and limits a key name to 255 characters;
    /// a line break would start a new key in a `.reg` file.
    ///
    /// **Example:** `key = 'Software\\Policies'`.
    D011 => Error, "malformed registry key";

    /// **What:** a registry value name holds a control character, or is longer than the
    /// registry's 16,383 characters; or a baseline sets a policy whose value name is longer than
    /// the 259 characters Registry.pol carries (the template itself only warns, D052). (An empty
    /// name, the key's default value, is D045.)
    ///
    /// **Why:** a line break would split a `.reg` line and NUL ends the name in `Registry.pol`;
    /// Registry.pol (MS-GPREG 2.2.1) allows value names of 1 to 259 characters, so no GPO can
    /// deliver a longer one.
    ///
    /// **Example:** `value_name = "Level\nWindows Registry Editor Version 5.00"`.
    D012 => Error, "invalid registry value name";

    /// **What:** two items of one enum write the same registry value (and the same value list).
    ///
    /// **Why:** the editor could not show which item is configured, and Intune sends the value, so two
    /// items would be indistinguishable. Microsoft ships such enums (WindowsUpdate.admx,
    /// word16.admx) and the editor loads them, so it is a warning by default (tolerated), an
    /// error under `--strict` or `strict = true` in `[template]`.
    ///
    /// **Example:** items `warning` and `error` both with `value = 0`.
    D013 => Warning, "enum with duplicate values";

    /// **What:** two items of one enum share a `name`.
    ///
    /// **Why:** baselines choose items by name.
    ///
    /// **Example:** two items named `aes256`.
    D014 => Error, "enum with duplicate names";

    /// **What:** a decimal's presentation default lies outside its `min`/`max`.
    ///
    /// **Why:** the box opens with a number outside the range the element accepts. The editor
    /// loads such templates (Lithnet's idlelogoff.admx has a default of 0 with a minimum of 10),
    /// so it is a warning by default (tolerated), an error under `--strict` or `strict = true`
    /// in `[template]`. A default that is no number is D022.
    ///
    /// **Example:** `min = 40`, `max = 256`, `default = 512`.
    D015 => Warning, "decimal default outside min/max";

    /// **What:** a decimal's `min` is greater than its `max`.
    ///
    /// **Why:** no value could be entered; the policy can never be enabled. The schema does not
    /// relate the two attributes and the Group Policy editor loads the template (it then refuses
    /// every number typed), so an imported template keeps them, with this warning; `--strict`
    /// makes it an error.
    ///
    /// **Example:** `min = 256`, `max = 40`.
    D016 => Warning, "min greater than max";

    /// **What:** a text default (or a fixed string value) is longer than the element's `max_length`
    /// (or longer than the 255 characters that an ADMX `<string>` value allows).
    ///
    /// **Why:** Microsoft's ADMX XSD limits a `<string>` value to 255 characters (maxLength), and
    /// a default longer than `max_length` does not fit its box. The editor loads such templates
    /// (harvester57's AdditionalNetworkHardening.admx writes cipher-suite lists of up to 646
    /// characters), so it is a warning by default (tolerated), an error under `--strict` or
    /// `strict = true` in `[template]`.
    ///
    /// **Example:** `max_length = 10`, `default = "https://pki.example.com/enroll"`.
    D017 => Warning, "text longer than maxLength";

    /// **What:** a policy, category, enum item or supportedOn definition has no en-US display name.
    ///
    /// **Why:** every `displayName` must resolve in the en-US ADML (the fallback culture); the editor
    /// shows nothing useful otherwise.
    ///
    /// **Example:** a `[[policy]]` block without `display_name`.
    D018 => Error, "missing display name";

    /// **What:** a policy has no explain text (no `explain`, or an empty one).
    ///
    /// **Why:** admins read the explain text to decide, and Intune's ADMX import fails on a policy
    /// without `explainText` ("Object reference not set to an instance of an object"). The
    /// schema makes `explainText` optional and the Group Policy editor loads such policies
    /// (Samba's `GNOME_Settings.admx` and veyon's template have none, Citrix's `receiver.admx`
    /// an empty one), so an imported template keeps them: a warning, an error under `--strict`;
    /// the build writes no `explainText` (or the empty text) exactly as the original had it. A
    /// registry-only setting (gpforge's own) must have one: there it is an error.
    ///
    /// **Example:** a `[[policy]]` block without `explain`.
    D019 => Warning, "missing explain text";

    /// **What:** an id contains characters that the ADMX schema forbids. Names of policies,
    /// categories, strings, presentations and elements must match `(\p{L}|\p{N}|_)+`: letters,
    /// digits and underscores only; a namespace must be a dotted name; a revision `MAJOR.MINOR`.
    ///
    /// **Why:** GPMC rejects the file ("Invalid value '$(string.My Policy)' for attribute
    /// displayName").
    ///
    /// **Example:** `id = "Sign-All"`.
    D020 => Error, "invalid id";

    /// **What:** two strings would get the same string id (an explicit `[strings]` entry and a
    /// generated one, or two generated ones).
    ///
    /// **Why:** an ADML string table holds each id once.
    ///
    /// **Example:** `[strings] L_Encryptallemailmessages = "…"` next to a policy of that id.
    D021 => Error, "duplicate string id";

    /// **What:** a value that is syntactically fine but not allowed here: an unknown element `kind`,
    /// an enum default that names no item, a registry value table with an unknown type.
    ///
    /// **Why:** the model accepts only states that the ADMX schema and the editor can represent.
    ///
    /// **Example:** `kind = "dropdown"` (the kinds are boolean, decimal, long_decimal, text,
    /// multi_text, enum, list and label).
    D022 => Error, "invalid value";

    /// **What:** a string that must be an ASN.1 object identifier (an S/MIME algorithm OID) is not a
    /// dotted sequence of decimal arcs starting with 0, 1 or 2.
    ///
    /// **Why:** Outlook ignores an unparsable `DefaultEncryptionAlgOID` and silently falls back to its
    /// built-in algorithm.
    ///
    /// **Example:** `value = "2.16.840.1.101.3.4.1.42."`.
    D023 => Error, "invalid OID";

    /// **What:** two policies or registry-only settings write the same registry value (same class,
    /// key and value name, compared case-insensitively).
    ///
    /// **Why:** the settings would overwrite each other; which one wins depends on processing order.
    /// The Group Policy editor loads such templates: Microsoft's `Power.admx`, Firefox's
    /// `*OneLine` twins of multi-line policies and Adobe's x64/x86 policy pairs write one value
    /// from two policies. A warning by default (tolerated), an error under `--strict` or
    /// `strict = true` in `[template]`.
    ///
    /// **Example:** two policies with `value_name = "alwayssign"` under the same key.
    D024 => Warning, "registry value written twice";

    /// **What:** the definitions folder has no template (`<folder>/template.toml` with a `[template]`
    /// table), a `[template]` table appears outside `template.toml`, or a template folder cannot be read.
    ///
    /// **Why:** a template is the unit that becomes one ADMX file and its ADMLs.
    ///
    /// **Example:** `definitions/outlook/policies.toml` with no `template.toml` beside it.
    D025 => Error, "template missing or misplaced";

    /// **What:** two templates of one definitions folder share an ADMX file name, a target prefix or
    /// a target namespace.
    ///
    /// **Why:** GPMC ignores a second file that declares an already loaded target namespace
    /// ("Namespace '…' is already defined as the target namespace for another file in the store").
    ///
    /// **Example:** two templates with `namespace = "Gpforge.Policies.Outlook"`.
    D026 => Error, "duplicate template";

    /// **What:** a baseline names a policy or registry-only setting that its template does not
    /// define, or a template that the definitions do not hold.
    ///
    /// **Why:** the baseline would silently leave that setting unconfigured.
    ///
    /// **Example:** `policy = "L_Signallemailmessage"` (missing `s`).
    D027 => Error, "unknown policy in baseline";

    /// **What:** a baseline chooses an enum item by a name the element does not have.
    ///
    /// **Why:** baselines choose items by their stable `name`; a wrong name cannot be written.
    ///
    /// **Example:** `L_signaturewarning30 = "warn_always"` when the items are `user_decides`,
    /// `always_warn` and `never_warn`.
    D028 => Error, "unknown enum item";

    /// **What:** a baseline value lies outside the element's limits: a number outside `min`/`max`,
    /// a text longer than `max_length`, more strings than `max_strings`.
    ///
    /// **Why:** the editor refuses such a value, and Outlook may ignore it.
    ///
    /// **Example:** `L_Minimumkeysizeinbits = 100000` when `max = 16384`.
    D029 => Error, "baseline value out of range";

    /// **What:** an enabled policy in a baseline does not give a value for one of its elements.
    ///
    /// **Why:** the editor writes every element of an enabled policy; a missing value would leave
    /// the registry half-configured.
    ///
    /// **Example:** `state = "enabled"` for `L_Minimumencryptionsettings` without
    /// `values = { L_Minimumkeysizeinbits = 168 }`.
    D030 => Error, "element value missing";

    /// **What:** a baseline configures the same policy twice.
    ///
    /// **Why:** one of the two states would be lost; which one depends on file order.
    ///
    /// **Example:** two `[[setting]]` blocks with `policy = "L_Signallemailmessages"`.
    D031 => Error, "policy configured twice";

    /// **What:** a baseline value of the wrong kind: text for a number, `values` on a disabled
    /// policy, a registry-only value that does not match its registry type, an unknown state.
    ///
    /// **Why:** the value cannot be written as the element or registry type requires.
    ///
    /// **Example:** `values = { L_Minimumkeysizeinbits = "168" }` (a string for a decimal).
    D032 => Error, "baseline value of the wrong kind";

    /// **What:** a baseline gives a value for an element id the policy does not have.
    ///
    /// **Why:** a misspelt element id would otherwise be ignored and the element left unset.
    ///
    /// **Example:** `values = { L_Minimumkeysize = 168 }`.
    D033 => Error, "unknown element in baseline";

    /// **What:** a locale file whose name is no culture (`locales/german.toml`), or that translates
    /// a string id the template does not have, or lists in `same` an id it gives no text for.
    ///
    /// **Why:** the translation would be silently lost; usually a typo in the id.
    ///
    /// **Example:** `L_Signallemailmesages = "…"` in `locales/de-DE.toml`.
    D034 => Error, "invalid locale file";

    /// **What:** a string of the template that a locale file does not translate.
    ///
    /// **Why:** the culture's ADML shows the en-US text there (so GPMC never fails); admins of
    /// that language see a mixed dialog.
    ///
    /// **Example:** a new policy added to the template without its German text.
    D035 => Warning, "missing translation";

    /// **What:** a translated string that is identical to its en-US text and not listed in
    /// `same = [...]`.
    ///
    /// **Why:** usually copied and not yet translated; list product names and URLs in `same`.
    ///
    /// **Example:** `L_Cryptography = "Cryptography"` in `locales/de-DE.toml`.
    D036 => Warning, "translation identical to en-US";

    /// **What:** a policy writes the same registry value twice: as the policy's own `value_name`
    /// and as an element's.
    ///
    /// **Why:** the element's data replaces the policy's enabled value, so the policy's value is
    /// never seen; Microsoft's templates do this on purpose, hand-written ones rarely mean it.
    ///
    /// **Example:** `value_name = "minenckey"` on the policy and on its decimal element.
    D037 => Warning, "policy writes one value twice";

    /// **What:** two items of one enum show the same display text (when they also write the same
    /// value, the second is a harmless repeat and D013 is not reported).
    ///
    /// **Why:** admins choose items by their text; two equal texts cannot be told apart.
    ///
    /// **Example:** two items both shown as `5:00 PM`.
    D038 => Warning, "enum items with the same text";

    /// **What:** a file in the definitions folder that gpforge did not read: not a regular file
    /// (a FIFO, a device), a symbolic link whose target lies outside the definitions folder, or
    /// a file over 64 MiB.
    ///
    /// **Why:** a FIFO blocks the build forever, `/dev/zero` is read until memory runs out, and a
    /// link out of the folder could carry any readable file (a key) into an error snippet in a
    /// CI log.
    ///
    /// **Example:** `definitions/baselines/x.toml -> /etc/shadow`.
    D039 => Error, "file not read";

    /// **What:** a string (or key) of the definitions holds a character that no output format
    /// can carry: a C0 control character other than tab, CR and LF (`\u0000`, `\b`, `\e`…), or
    /// U+FFFE/U+FFFF. TOML lets escapes write them; gpforge refuses them once, for every text.
    ///
    /// **Why:** XML 1.0 cannot contain them (not even as `&#1;`), so the ADMX/ADML would not
    /// load; NUL ends a string in `.reg`, `Registry.pol` and the registry, so Wine, Samba, hivex
    /// and regpol read different data; the Intune payload would not be XML.
    ///
    /// **Example:** `explain = "Signs mail\u0000"`.
    D040 => Error, "character no output format can carry";

    /// **What:** a baseline parameter problem: a setting refers to a parameter the baseline does
    /// not declare (`{ param = "x" }` or `requires = ["x"]`), a parameter is declared twice or
    /// without a description.
    ///
    /// **Why:** parameters carry the values only a deploying site knows (its issuing CA, its
    /// enrolment page, its security label); a baseline never ships example values in their place.
    ///
    /// **Example:** `values = { L_EnterURL = { param = "enrolment_url" } }` without a
    /// `[[parameter]] name = "enrolment_url"`.
    D041 => Error, "baseline parameter problem";

    /// **What:** a name the ADMX XSD's `itemName` pattern refuses but the Group Policy editor
    /// loads: an id, prefix or reference with `-` or `.` (`p2p-pnrp`,
    /// `org.freedesktop.accounts.change-own-password`), or a target namespace that is a valid
    /// `xs:anyURI` but not a dotted name (`FullArmor.a6dbfaf9-98b7-463f-a7c7-ac0447f00743`).
    ///
    /// **Why:** Microsoft's own store ships such names (`P2P-pnrp.admx` has prefix `p2p-pnrp`,
    /// `TerminalServer-Server.admx` has `terminalserver-Server`, `GroupPolicy.admx` a policy
    /// `AllowX-ForestPolicy-and-RUP`) and GPMC shows them; Microsoft's XSD (and validate
    /// `--profile schema`, V021) refuses them. A warning by default, an error under `--strict`
    /// or `strict = true` in `[template]`. Names with white space, `:` or other characters stay
    /// D020: the editor refuses them.
    ///
    /// **Example:** `id = "Sign-All"`.
    D042 => Warning, "name outside the XSD's itemName";

    /// **What:** a display name that is given but blank (empty or only white space): an enum
    /// item, a supportedOn definition, a policy or a category whose en-US text shows nothing.
    ///
    /// **Why:** users cannot tell the entry apart from its neighbours. The Group Policy editor
    /// loads it (RealVNC's `vncserver.admx` has a blank enum item; VMware Horizon's
    /// `vdm_blast.admx` and `vdm_client.admx` a blank supportedOn text), so it is a warning by
    /// default, an error under `--strict` or `strict = true` in `[template]`. A display name that
    /// is missing altogether stays D018.
    ///
    /// **Example:** `items = [{ name = "Off", display_name = "", value = 0 }]`.
    D043 => Warning, "blank display name";

    /// **What:** a reference without prefix (`category`, `parent`, `supported_on`, an entry of
    /// a supportedOn definition) to something this template does not define, such as a
    /// definition of another ADMX file named without that file's prefix, or an empty category
    /// reference (`category = ""`, written as `parentCategory ref=""`, as Adobe's Reader DC
    /// template has it).
    ///
    /// **Why:** the Group Policy editor resolves a reference without prefix in its own file
    /// only. It loads the file, but a policy whose category is unresolved is not shown under any
    /// category (Thunderbird's proxy policy with `parentCategory ref="firefox"` was unreachable
    /// until the reference was fixed, drlellinger/thunderbird-policies#6) and an unresolved
    /// supportedOn shows no "Supported on" text. Microsoft's `inetres.admx` and VMware Horizon's
    /// templates ship such references, so it is a warning by default, an error under `--strict`
    /// or `strict = true` in `[template]`. An undeclared prefix stays D007/D008.
    ///
    /// **Example:** `category = "firefox"` in a template that defines no category `firefox`;
    /// `category = ""`.
    D044 => Warning, "reference to nothing in this template";

    /// **What:** an empty registry value name (`value_name = ""`): the policy writes the key's
    /// unnamed default value.
    ///
    /// **Why:** MS-GPREG gives value names of 1 to 259 characters for `Registry.pol`, and no
    /// source checked says whether every consumer accepts an empty one. The Group Policy editor
    /// loads such templates (Microsoft's `GroupPolicyPreferences.admx` has 21 policies with
    /// `valueName=""`), so it is a warning by default, an error under `--strict` or
    /// `strict = true` in `[template]`. `.reg` files write the default value as `@`.
    ///
    /// **Example:** `value_name = ""`.
    D045 => Warning, "empty value name";

    /// **What:** a registry key that ends with one `\`, or that uses `/` and no `\` (one key
    /// whose name holds `/`).
    ///
    /// **Why:** the first is almost always a typo the registry ignores, the second almost always
    /// the wrong separator. The Group Policy editor loads both (Microsoft's `TerminalServer.admx`
    /// has `…\Terminal Services\`; BaseALT's templates write `Software/BaseALT/Policies/…`), so
    /// they are warnings by default, errors under `--strict` or `strict = true` in
    /// `[template]`. The ADMX keeps the key as written; `.reg`, `Registry.pol` and the other
    /// registry outputs name the key without the trailing `\`.
    ///
    /// **Example:** `key = 'Software\Policies\Contoso\'`.
    D046 => Warning, "unusual registry key";

    /// **What:** a list element with both `value_prefix` and `explicit_value = true`.
    ///
    /// **Why:** with `explicitValue` the user types each value's name, so the prefix has no
    /// effect (formats.md, after the ADMX syntax guide: the two "cannot be combined"). Firefox's
    /// and Cliqz's templates write `valuePrefix=""` beside `explicitValue="true"` and the
    /// Group Policy editor loads them, so it is a warning by default, an error under
    /// `--strict` or `strict = true` in `[template]`. The ADMX keeps both attributes.
    ///
    /// **Example:** `kind = "list"`, `value_prefix = ""`, `explicit_value = true`.
    D047 => Warning, "list prefix with explicit names";

    /// **What:** a locale file gives a string whose id no en-US string has.
    ///
    /// **Why:** nothing refers to it through the en-US texts, so it is usually a leftover of an
    /// older release or a typo of an id. The Group Policy editor loads such ADMLs (Mozilla's
    /// ru-RU firefox.adml has `SUPPORTED_FF127`, which its en-US ADML lacks), so it is a
    /// warning by default and the string is written to that culture's ADML only; an error
    /// under `--strict` or `strict = true` in `[template]`.
    ///
    /// **Example:** `L_Signallemailmessage = "…"` (one letter short) in `locales/de-DE.toml`.
    D048 => Warning, "string of one culture only";

    /// **What:** a decimal element's or an enum's default given as an empty text
    /// (`default = ""`), written to the ADML as `defaultValue=""` or `defaultItem=""`.
    ///
    /// **Why:** Microsoft's schema types `defaultValue` and `defaultItem` as unsigned numbers, so
    /// the XSD refuses the empty text, and no source checked says which number or item the
    /// editor shows for it. The editor loads such ADMLs (Microsoft's Office templates have
    /// `defaultValue=""` on `L_SetCNGCipherKeyLength`, VMware's and RealVNC's templates too;
    /// Ubuntu ADSys's templates have `defaultItem=""` on drop-down lists), so gpforge keeps it
    /// as written, as a warning; an error under `--strict` or `strict = true` in `[template]`.
    ///
    /// **Example:** `kind = "decimal"`, `default = ""`; `kind = "enum"`, `default = ""`.
    D049 => Warning, "empty number default";

    /// **What:** a `[[using]]` with `implicit = true`: the ADMX refers to the prefix without
    /// declaring it in a `<using>`; gpforge resolves it and writes no `<using>`.
    ///
    /// **Why:** the Group Policy editor resolves such references (Microsoft's Printing.admx,
    /// WindowsUpdate.admx and others use `products:` undeclared), but Intune's ADMX ingestion
    /// refuses the file ("No namespace found with prefix …", validator rule V030). Import
    /// writes it so the rebuilt file says what the original said; a warning by default, an
    /// error under `--strict` or `strict = true` in `[template]`.
    ///
    /// **Example:** `[[using]] prefix = "products"`, `namespace = "Microsoft.Policies.Products"`,
    /// `implicit = true`.
    D050 => Warning, "prefix used without a using";

    /// **What:** a baseline's `title` holds a line break (LF, CR, NEL, U+2028 or U+2029).
    ///
    /// **Why:** the title names the GPO: it is written into `gpt.ini` (`displayName=`), where a
    /// line break starts a new line that can open a `[section]` or set a key such as
    /// `Version=0`, and into the GPMC backup's display name and the first line of every
    /// generated file. A title is one line.
    ///
    /// **Example:** `title = "S/MIME\n[General]\nVersion=0"`.
    D051 => Error, "line break in a baseline title";

    /// **What:** a registry value name longer than the 259 characters Registry.pol carries
    /// (MS-GPREG 2.2.1), within the registry's own 16,383.
    ///
    /// **Why:** the schema's `valueName` is any string and the Group Policy editor loads the
    /// template, but a GPO cannot carry the value: an imported template keeps the name as
    /// written, with this warning, and a baseline that sets the policy is refused (D012).
    /// `--strict` makes it an error.
    ///
    /// **Example:** a `value_name` of 260 characters.
    D052 => Warning, "value name longer than Registry.pol carries";

    /// **What:** a policy without a supportedOn reference: `supported_on = ""`, or none given
    /// and no `[template.defaults] supported_on`.
    ///
    /// **Why:** the schema requires `<supportedOn>`, but the Group Policy editor loads a policy
    /// without it and shows no "Supported on" text (profile gpmc reports it as V023, a
    /// warning): an imported template keeps it so, with this warning; a new template should say
    /// which versions read the policy. `--strict` makes it an error.
    ///
    /// **Example:** `supported_on = ""`.
    D053 => Warning, "policy without supportedOn";

    /// **What:** a policy with elements and `presentation = ""`: no presentation attribute.
    ///
    /// **Why:** the schema makes the attribute optional and the Group Policy editor loads the
    /// policy, but shows no fields, so its elements cannot be set there (profile gpmc: V045, a
    /// warning). An imported template keeps it so, with this warning; `--strict` makes it an
    /// error.
    ///
    /// **Example:** `presentation = ""` on a policy with a `text` element.
    D054 => Warning, "elements without a presentation";

    /// **What:** a text, decimal, longDecimal, multiText or enum element without `value_name`.
    ///
    /// **Why:** the schema makes `valueName` optional and the Group Policy editor loads the
    /// element, which then writes the key's unnamed default value, almost never what a program
    /// reads (profile gpmc: V058, a warning). An imported template keeps it so, with this
    /// warning; `--strict` makes it an error.
    ///
    /// **Example:** `[[policy.element]]` `kind = "text"`, `id = "Server"` and no `value_name`.
    D055 => Warning, "element without value_name";

    /// **What:** a policy without `category`: no `<parentCategory>` in the ADMX.
    ///
    /// **Why:** the Group Policy editor loads it and shows it at the root of Administrative
    /// Templates, but Intune refuses such a template (profile intune: V086) and the policy has
    /// no OMA-URI area. An imported template keeps it so, with this warning; `--strict` makes
    /// it an error.
    ///
    /// **Example:** a `[[policy]]` with no `category` line.
    D056 => Warning, "policy without a category";

    /// **What:** an id listed in a locale file's `missing = [...]`: a string or presentation
    /// that this culture's ADML leaves out.
    ///
    /// **Why:** an imported template whose culture ADML lacks some strings (Samba's ru-RU
    /// samba.adml) rebuilds exactly only if they stay missing rather than filled from en-US.
    /// The editor, run in that culture, reports the missing resource (profile gpmc: V060,
    /// V061): keep the list for a faithful copy, translate the ids to fix it. `--strict` makes
    /// it an error.
    ///
    /// **Example:** `missing = ["Samba_Help"]` in `locales/ru-RU.toml`.
    D057 => Warning, "translation left missing";

    /// **What:** a setting that this output format cannot carry and therefore leaves out, such as a
    /// registry-only binary value in an ADMX file.
    ///
    /// **Why:** nothing is dropped silently: the note names the formats that do deliver the setting.
    ///
    /// **Example:** `ForceSecurityLabelX` (REG_BINARY) is not representable by any ADMX element; it
    /// is delivered by `.reg` and `Registry.pol`.
    B001 => Note, "setting not representable in this format";

    /// **What:** a baseline setting that ADMX ingestion cannot deliver, so the Intune profile
    /// leaves it out: a registry-only value (binary data has no ADMX element), or a policy with a
    /// comboBox (Intune's ingestion does not support it).
    ///
    /// **Why:** nothing is dropped silently; the baseline's README says how to deliver it instead
    /// (the `.reg` file, the GPO backup, or a script).
    ///
    /// **Example:** `ForceSecurityLabelX` (REG_BINARY) in a baseline.
    B002 => Warning, "setting left out of the Intune profile";

    /// **What:** a baseline policy writes under a registry path that ingested ADMX may not write
    /// (`System`, `Software\Microsoft`, `Software\Policies\Microsoft` outside the allowed Office,
    /// Exchange, Edge… subtrees), so the Intune profile leaves it out.
    ///
    /// **Why:** Intune refuses such policies (formats.md §5.4); deliver them by GPO or a script.
    ///
    /// **Example:** a policy with `key = 'Software\Policies\Microsoft\Cryptography\AutoEnrollment'`.
    B003 => Warning, "registry path forbidden for Intune ADMX ingestion";

    /// **What:** an Intune profile exceeds a documented limit: an ADMX over 1 MB cannot be
    /// ingested, and a custom profile holds at most 1000 OMA-URI settings.
    ///
    /// **Why:** Intune rejects the upload; split the template or the baseline.
    ///
    /// **Example:** a baseline with 1200 configured policies.
    B004 => Warning, "over an Intune limit";

    /// **What:** a non-additive list (Registry.pol `**delvals.`) is written in the `.reg` file as a
    /// deletion of its whole key, and that key also holds values of other settings.
    ///
    /// **Why:** `.reg` has no "delete all values" line; deleting the key would also remove the other
    /// settings' values. Give the list its own key.
    ///
    /// **Example:** a list element with no `key` of its own under the policy key.
    B005 => Warning, "list key shared in .reg";

    /// **What:** `gpforge validate` (profile gpmc) found a problem in the ADMX/ADML that the build
    /// generated.
    ///
    /// **Why:** every generated template must load in GPMC and import into Intune; a finding here
    /// is a gpforge bug, so the build writes nothing. Please report it with the definitions.
    ///
    /// **Example:** a generated ADML that lacks a string the ADMX references.
    B006 => Error, "generated template fails validation";

    /// **What:** two policies name the same `presentation` but their elements, labels or
    /// defaults differ in some culture.
    ///
    /// **Why:** the ADML holds one presentation per id, so one of the two dialogs would be wrong.
    ///
    /// **Example:** `presentation = "Shared"` on two policies whose text boxes have other labels.
    B007 => Error, "policies share a presentation that differs";

    /// **What:** `gpforge validate` (profile gpmc) reports a warning for the ADMX/ADML that the
    /// build generated, such as a string that starts with a line break.
    ///
    /// **Why:** the template loads, but an admin will notice; the warning usually comes from the
    /// definitions (an imported template keeps what its original had).
    ///
    /// **Example:** a `[strings]` text that begins with an empty line.
    B008 => Warning, "generated template has a validator warning";

    /// **What:** a baseline setting needs a parameter value that this build was not given
    /// (`gpforge build --set <baseline>.<parameter>=<value>` or `--params FILE`), so it is left
    /// out of every output of the baseline: `.reg`, `Registry.pol`, Intune, and the README lists
    /// it under "Left out".
    ///
    /// **Why:** a required CA, an enrolment URL or a security label that is not the site's own
    /// would lock users out of sending mail; an example value must never reach a deployable file.
    ///
    /// **Example:** `smime-strict` built without `--set smime-strict.required_ca=…`.
    B009 => Warning, "baseline setting left out: parameter not supplied";

    /// **What:** a baseline value that LGPO text cannot carry exactly, left out of the
    /// baseline's `lgpo.txt`: a line break in its data, a key or value name that starts with `;`
    /// or has outer white space, a value named `(Default)`, or a list item that holds the two
    /// characters `\0` or is empty.
    ///
    /// **Why:** LGPO text has no escape. Everything after `SZ:` up to the end of the line is the
    /// data, so a line break would end the record; a line starting with `;` is a comment, which
    /// would shift every later record; readers trim names, read `(Default)` as the default value
    /// and split `MULTISZ:` data at `\0`. Rather than a file that is read back as something else,
    /// the value is left out (with a comment in the file naming it).
    ///
    /// **Example:** a text element set to `"line one\nline two"`; a value name `;x`.
    B010 => Warning, "value left out of LGPO text";

    /// **What:** a baseline setting left out of `intune-settings-catalog.json`: a registry-only
    /// setting, a policy that is not one of Microsoft's outlk16 policies the catalog table
    /// confirms (or writes otherwise than Microsoft's policy of that name), or a value whose
    /// catalog option the table does not confirm.
    ///
    /// **Why:** a Settings Catalog id is never guessed: the ids come from Microsoft's catalog
    /// and real exports (`src/backend/settings_catalog.tsv`, with its sources). The setting is
    /// still delivered by the custom profile (`intune.json`, `intune.csv`), the GPO backup and
    /// the registry files.
    ///
    /// **Example:** `ForceSecurityLabelX` (registry-only) in baseline smime-strict.
    B011 => Note, "setting left out of the Settings Catalog profile";

    /// **What:** `gpforge import` cannot read its input: the ADMX or an ADML is not well-formed,
    /// the file is no ADMX, or no en-US ADML lies beside it (`en-US/<name>.adml`).
    ///
    /// **Why:** the definitions hold en-US texts inline; without them there is nothing to write.
    ///
    /// **Example:** `gpforge import Vendor.admx` with only `de-DE/Vendor.adml` next to it.
    I001 => Error, "cannot import";

    /// **What:** something in the imported template that the definitions cannot hold, reported
    /// with what import did instead: an attribute outside Microsoft's schema (`Area`),
    /// `fallbackCulture`, `annotation`, `seeAlso`/`keywords`, an element without a presentation
    /// control (or a control without an element), a control that cannot show its element.
    ///
    /// **Why:** nothing is dropped silently; the rebuilt template differs from the original
    /// exactly there (`gpforge diff` shows it). An attribute that a presentation control does
    /// not have in Microsoft's schema (`defaultItem` on a `checkBox`) is read by no consumer:
    /// import leaves it out without a finding, and `gpforge diff` does not count it. Likewise
    /// `xml:space` on a control or its `<label>`: it only says how white space around a label is
    /// kept, and labels are imported and compared without leading and trailing white space.
    ///
    /// **Example:** `<policy … Area="Security">`.
    I002 => Warning, "not representable; left out";

    /// **What:** (no longer reported) a culture's ADML that differs from the en-US one.
    ///
    /// **Why:** both ways a culture can differ are now imported: strings only that culture has
    /// stay in its locale file (the build warns, D048), and a presentation it lays out its own
    /// way is written whole to its locale file as `[[presentation]]`, which the build puts in
    /// that culture's ADML. The code stays reserved so it keeps its meaning.
    ///
    /// **Example:** a `de-DE` presentation with an extra static text (imported, not reported).
    I003 => Warning, "culture differs from en-US (no longer reported)";

    /// **What:** the ADMX refers to a string or presentation that the en-US ADML lacks.
    ///
    /// **Why:** GPMC refuses such a template; import stands in the id for the missing text so
    /// the definitions still build, and says so.
    ///
    /// **Example:** `displayName="$(string.Missing)"` with no `<string id="Missing">`.
    I004 => Warning, "missing en-US string or presentation";

    @rules {
        V001 => crate::rules::encoding::V001;
        V002 => crate::rules::encoding::V002;
        V003 => crate::rules::encoding::V003;
        V004 => crate::rules::encoding::V004;
        V005 => crate::rules::encoding::V005;
        V010 => crate::rules::namespace::V010;
        V011 => crate::rules::namespace::V011;
        V012 => crate::rules::namespace::V012;
        V020 => crate::rules::schema::V020;
        V021 => crate::rules::schema::V021;
        V022 => crate::rules::schema::V022;
        V023 => crate::rules::schema::V023;
        V024 => crate::rules::schema::V024;
        V025 => crate::rules::schema::V025;
        V026 => crate::rules::schema::V026;
        V027 => crate::rules::schema::V027;
        V028 => crate::rules::schema::V028;
        V029 => crate::rules::schema::V029;
        V030 => crate::rules::references::V030;
        V031 => crate::rules::references::V031;
        V032 => crate::rules::references::V032;
        V033 => crate::rules::references::V033;
        V034 => crate::rules::references::V034;
        V035 => crate::rules::references::V035;
        V040 => crate::rules::presentation::V040;
        V041 => crate::rules::presentation::V041;
        V042 => crate::rules::presentation::V042;
        V043 => crate::rules::presentation::V043;
        V044 => crate::rules::presentation::V044;
        V045 => crate::rules::presentation::V045;
        V046 => crate::rules::presentation::V046;
        V050 => crate::rules::registry::V050;
        V051 => crate::rules::registry::V051;
        V052 => crate::rules::registry::V052;
        V053 => crate::rules::registry::V053;
        V054 => crate::rules::registry::V054;
        V055 => crate::rules::registry::V055;
        V056 => crate::rules::registry::V056;
        V057 => crate::rules::registry::V057;
        V058 => crate::rules::registry::V058;
        V060 => crate::rules::strings::V060;
        V061 => crate::rules::strings::V061;
        V062 => crate::rules::strings::V062;
        V063 => crate::rules::strings::V063;
        V064 => crate::rules::strings::V064;
        V065 => crate::rules::strings::V065;
        V066 => crate::rules::strings::V066;
        V070 => crate::rules::store::V070;
        V071 => crate::rules::store::V071;
        V072 => crate::rules::store::V072;
        V073 => crate::rules::store::V073;
        V074 => crate::rules::store::V074;
        V075 => crate::rules::store::V075;
        V076 => crate::rules::store::V076;
        V077 => crate::rules::store::V077;
        V078 => crate::rules::store::V078;
        V080 => crate::rules::intune::V080;
        V081 => crate::rules::intune::V081;
        V082 => crate::rules::intune::V082;
        V083 => crate::rules::intune::V083;
        V084 => crate::rules::intune::V084;
        V085 => crate::rules::intune::V085;
        V086 => crate::rules::intune::V086;
        V087 => crate::rules::intune::V087;
    }
}
