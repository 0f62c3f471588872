//! `gpforge diff`: the semantic difference of two templates or stores.

use super::*;
use crate::diag::render::pretty;
use std::path::Path;

fn diff(
    old: &Path,
    new: &Path,
    format: crate::cli::DiffFormat,
    fail_on: crate::cli::FailOn,
    registry_only: bool,
    policies: &[String],
) -> Outcome {
    let mut o = Outcome::default();
    let report = match crate::diff::diff_paths(old, new) {
        Ok(r) => r.only(|c| {
            (!registry_only || crate::diff::alters_registry(c))
                && (policies.is_empty() || crate::diff::about_policies(c, policies))
        }),
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
            return o;
        }
    };
    o.stdout = match format {
        crate::cli::DiffFormat::Markdown => crate::diff::markdown(&report),
        crate::cli::DiffFormat::Json => pretty(&serde_json::to_value(&report).unwrap_or_default()),
    };
    let fails = match fail_on {
        crate::cli::FailOn::Any => !report.equal,
        crate::cli::FailOn::Breaking => report.breaking > 0,
    };
    if fails {
        o.code = EXIT_FINDINGS;
    }
    o
}

/// `gpforge diff`.
pub fn run(args: crate::cli::DiffArgs) -> Outcome {
    diff(
        &args.old,
        &args.new,
        args.format,
        args.fail_on,
        args.registry_only,
        &args.policies,
    )
}
