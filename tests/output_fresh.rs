//! `output/` is committed; it must equal a fresh build of `definitions/`.

use gpforge::app::compile_dir;
use std::path::Path;

#[test]
fn output_matches_a_fresh_build() {
    let c = compile_dir(Path::new("definitions")).expect("readable definitions");
    assert!(!c.has_errors());
    let stale = gpforge::emit::check(Path::new("output"), &c.artifacts);
    assert!(
        stale.is_empty(),
        "output/ is stale, run `cargo run --release -- build`: {stale:?}"
    );
}
