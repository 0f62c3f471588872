//! `output/` is committed; it must equal a fresh build of `definitions/`.

use gpforge::app::compile_dir;
use std::path::Path;

#[test]
fn output_matches_a_fresh_build() {
    let mut c = compile_dir(Path::new("definitions")).expect("readable definitions");
    assert!(!c.has_errors());
    // As `build` does: gpt.ini versions continue from the committed output.
    gpforge::backend::pol::raise_versions(&mut c.artifacts, &|rel| {
        gpforge::emit::previous(Path::new("output"), rel)
    });
    let stale = gpforge::emit::check(Path::new("output"), &c.artifacts);
    assert!(
        stale.is_empty(),
        "output/ is stale, run `cargo run --release -- build`: {stale:?}"
    );
}
