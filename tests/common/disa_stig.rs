//! The disa-stig baseline's `apply.reg`, built from `definitions/`, as text: the registry state
//! a host configured by that baseline exports. Shared by tests and benches (`#[path]`).

use std::path::Path;

/// The text of `baselines/disa-stig/apply.reg` (its line breaks and encoding as displayed).
pub fn apply_reg_text() -> String {
    let c = gpforge::app::compile_dir(Path::new("definitions")).unwrap();
    let apply = c
        .artifacts
        .iter()
        .find(|a| a.path == Path::new("baselines/disa-stig/apply.reg"))
        .expect("the disa-stig baseline builds apply.reg");
    gpforge::backend::text::decode_for_display(&apply.bytes)
}
