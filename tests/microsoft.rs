//! Cross-check with Microsoft: reads `outlk16.admx` (UTF-16LE with BOM, no default namespace)
//! from the shared corpus and compares, for every policy we also define, the registry facts:
//! class, key, value name, enabled/disabled values, element kinds, ids, value names, enum item
//! values (in order) and decimal ranges. Every Microsoft policy of the categories Cryptography
//! and Signature Status dialog box (and Outlook Security Mode) must be in our definitions; for
//! Microsoft's newest template also every S/MIME-related policy filed elsewhere, and the ones
//! left out on purpose are listed by name.

mod common;

use common::admx::{Pol, decode, parse};
use gpforge::app::compile_dir;
use gpforge::backend::text::decode_for_display;
use std::collections::BTreeMap;
use std::path::Path;

/// Microsoft's templates kept as test fixtures (ORIGIN.md there says where they are from).
const FIXTURES: &str = "tests/fixtures/microsoft";
const OFFICE_1903: &str = "tests/fixtures/microsoft/office-1903";

/// A file of Microsoft's 1903 Office store, as vendored.
fn corpus_file(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(OFFICE_1903).join(name))
        .unwrap_or_else(|e| panic!("{OFFICE_1903}/{name}: {e}"))
}

fn ours() -> BTreeMap<String, Pol> {
    let c = compile_dir(Path::new("definitions")).unwrap();
    assert!(!c.has_errors());
    let admx = c
        .artifacts
        .iter()
        .find(|a| a.path.extension().is_some_and(|e| e == "admx"))
        .unwrap();
    parse(&decode_for_display(&admx.bytes))
}

/// Every policy of `ms` that we also define has our registry facts; returns how many.
fn compare(ms: &BTreeMap<String, Pol>, ours: &BTreeMap<String, Pol>) -> usize {
    let mut compared = 0;
    for (name, mine) in ours {
        let Some(theirs) = ms.get(name) else { continue };
        compared += 1;
        assert_eq!(mine.class, theirs.class, "{name}: class");
        assert_eq!(
            mine.key.to_ascii_lowercase(),
            theirs.key.to_ascii_lowercase(),
            "{name}: key"
        );
        assert_eq!(mine.value_name, theirs.value_name, "{name}: valueName");
        assert_eq!(mine.enabled, theirs.enabled, "{name}: enabledValue");
        assert_eq!(mine.disabled, theirs.disabled, "{name}: disabledValue");
        assert_eq!(
            mine.elements.len(),
            theirs.elements.len(),
            "{name}: element count"
        );
        for (a, b) in mine.elements.iter().zip(&theirs.elements) {
            assert_eq!(a.kind, b.kind, "{name}: element kind");
            assert_eq!(a.id, b.id, "{name}: element id");
            assert_eq!(a.value_name, b.value_name, "{name}/{}: valueName", a.id);
            assert_eq!(a.key, b.key, "{name}/{}: key", a.id);
            assert_eq!(a.items, b.items, "{name}/{}: enum item values", a.id);
            assert_eq!(a.range, b.range, "{name}/{}: decimal range", a.id);
        }
    }
    compared
}

#[test]
fn microsoft_crypto_policies_match_ours() {
    let bytes = corpus_file("outlk16.admx");
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "expected UTF-16LE with BOM");
    let ms = parse(&decode(&bytes));
    assert!(ms.len() > 300, "parsed {} Microsoft policies", ms.len());
    let ours = ours();
    let crypto: Vec<&String> = ms
        .iter()
        .filter(|(name, p)| {
            matches!(
                p.category.as_str(),
                "L_Cryptography" | "L_SignatureStatusDialog"
            ) || name.as_str() == "L_OutlookSecurityMode"
        })
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        crypto.len(),
        30,
        "24 + 5 crypto policies and Outlook Security Mode in the 1903 file"
    );
    for name in &crypto {
        assert!(
            ours.contains_key(*name),
            "Microsoft crypto policy {name} is missing from definitions/"
        );
    }
    let shared = compare(&ms, &ours);
    assert!(shared >= crypto.len(), "every shared policy was compared");
}

/// Microsoft's newest outlk16.admx (Windows Server 2025-era templates, 397 policies): the
/// crypto categories, Outlook Security Mode and the S/MIME-related policies Microsoft files
/// elsewhere must all be ours, identical at registry level. Every other policy whose name or
/// value names look crypto-related is listed here by name with why it is left out.
const WS2025: &str = "tests/fixtures/microsoft/ws2025-outlook/outlk16.admx";

/// S/MIME-related policies outside Microsoft's crypto categories that definitions/ carries.
const RELATED: &[&str] = &[
    "L_Promptusertochoosesecuritysettingsifdefaultsettingsfail",
    "L_Readsignedemailasplaintext",
    "L_Donotautomaticallysignreplies",
    "L_AllowCryptoAutosave",
    "L_PreventClearSignedMessageAndAttachmentIndexing",
    "L_EnableRPCEncryption",
    "L_RPCProxyServerPrincipalName",
    // Flag 3 makes the proxy principal name above take effect.
    "L_RPCHTTPConnectionFlags",
    // Kerberos required by DISA (O365-OU-000001, DTOO280).
    "L_AuthenticationwithExchangeServer",
    "L_SMimeDisableDataUpload",
    "L_SpecifyMaxCertLengthAllowedtoStamp",
];

/// Policies whose names or value names match the crypto keywords but that are not about S/MIME
/// or Outlook's cryptography, left out on purpose.
const LEFT_OUT: &[(&str, &str)] = &[
    (
        "L_Options",
        "tracking options: read and delivery receipts, not S/MIME receipts",
    ),
    (
        "L_DisableSignatures",
        "e-mail text signatures (signature blocks), not digital signatures",
    ),
    (
        "L_DefinecustomlabelforSharePointstore",
        "a display label for a SharePoint store",
    ),
    (
        "L_ChangethelimitMIMEheaders",
        "MIME-to-MAPI header limit, not S/MIME",
    ),
    (
        "L_SpecifyListOfSocialNetworkProvidersToLoad",
        "social connector providers",
    ),
    (
        "L_OutlookForWindowsPrimaryAccountMustMatchDeviceSignInAccount",
        "sign-in account of the new Outlook for Windows, not message signing",
    ),
];

#[test]
fn microsofts_newest_outlook_template_agrees_with_ours() {
    let bytes = std::fs::read(WS2025).unwrap_or_else(|e| panic!("{WS2025}: {e}"));
    let ms = parse(&decode(&bytes));
    assert_eq!(ms.len(), 397, "policies in the newest outlk16.admx");
    let ours = ours();
    let crypto = |name: &str, p: &Pol| {
        let words = format!(
            "{name} {} {}",
            p.value_name.clone(),
            p.elements
                .iter()
                .map(|e| e.value_name.clone())
                .collect::<Vec<_>>()
                .join(" ")
        )
        .to_ascii_lowercase();
        [
            "crypt",
            "smime",
            "sign",
            "cert",
            "encrypt",
            "crl",
            "fips",
            "suiteb",
            "label",
            "securitymode",
            "receipt",
        ]
        .iter()
        .any(|k| words.contains(k))
            || matches!(
                p.category.as_str(),
                "L_Cryptography" | "L_SignatureStatusDialog"
            )
    };
    let mut missing = Vec::new();
    for (name, p) in &ms {
        let required = crypto(name, p) || RELATED.contains(&name.as_str());
        let excused = LEFT_OUT.iter().any(|(n, _)| n == name);
        if required && !excused && !ours.contains_key(name) {
            missing.push(name.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "crypto/S/MIME policies missing from definitions/: {missing:?}"
    );
    for name in RELATED {
        assert!(
            ms.contains_key(*name),
            "{name} is not in Microsoft's newest template"
        );
        assert!(
            ours.contains_key(*name),
            "{name} is missing from definitions/"
        );
    }
    for (name, _) in LEFT_OUT {
        assert!(
            ms.contains_key(*name),
            "left-out {name} is not in Microsoft's template"
        );
        assert!(
            !ours.contains_key(*name),
            "{name} is listed as left out but defined"
        );
    }
    // Every policy of ours that Microsoft has is identical at registry level.
    let shared = compare(&ms, &ours);
    let own: Vec<&String> = ours.keys().filter(|n| !ms.contains_key(*n)).collect();
    assert_eq!(
        own,
        ["DefaultEncryptionAlgorithm", "DefaultHashAlgorithm"],
        "our own policies (no Microsoft counterpart)"
    );
    assert_eq!(shared + own.len(), ours.len());
}

#[test]
fn the_cross_check_notices_a_difference() {
    let bytes = corpus_file("outlk16.admx");
    let ms = parse(&decode(&bytes));
    let mut ours = ours();
    let p = ours.get_mut("L_SMIMEreceiptrequests").unwrap();
    assert_eq!(
        p.elements[0].items,
        ms["L_SMIMEreceiptrequests"].elements[0].items
    );
    assert_eq!(
        p.elements[0].items,
        ["decimal:0", "decimal:3", "decimal:1", "decimal:2"]
    );
    p.elements[0].items.swap(1, 2);
    assert_ne!(
        p.elements[0].items,
        ms["L_SMIMEreceiptrequests"].elements[0].items
    );
}

/// The vendored templates are Microsoft's files unchanged: byte for byte the shared corpus's
/// copies (which record their public sources), file by file.
#[test]
#[cfg_attr(
    not(gpforge_shared),
    ignore = "needs ../shared (corpus, vendors, reference) beside the repository"
)]
fn fixtures_are_microsofts_files_unchanged() {
    let pairs = [
        ("office-1903", "windows-1903-office2016/PolicyDefinitions"),
        ("windows-1903", "windows-1903-office2016/PolicyDefinitions"),
        ("ws2025-outlook", "ws2025-outlook/PolicyDefinitions"),
    ];
    let mut n = 0;
    for (ours, shared) in pairs {
        let dir = Path::new(FIXTURES).join(ours);
        let mut files = Vec::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            } else {
                files.push(p);
            }
        }
        for f in files {
            let rel = f.strip_prefix(&dir).unwrap();
            let original = Path::new("../shared/corpus").join(shared).join(rel);
            assert_eq!(
                std::fs::read(&f).unwrap(),
                std::fs::read(&original).unwrap_or_else(|e| panic!("{}: {e}", original.display())),
                "{} differs from {}",
                f.display(),
                original.display()
            );
            n += 1;
        }
    }
    assert_eq!(n, 8, "every vendored file was compared");
}
