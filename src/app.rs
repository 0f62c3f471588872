//! The library's entry points for programs and tests, gathered in one place: compiling in
//! memory (`compile`), and what the commands compute without printing (`cmd`). The commands
//! themselves live in `cmd`, one module each.

pub use crate::cmd::audit::{audit_reports, audit_reports_with, store_templates};
pub use crate::cmd::build::completeness;
pub use crate::cmd::import::{
    RoundTrip, import_compiled, import_input, roundtrip, states_baseline,
};
pub use crate::cmd::{
    EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, Outcome, Stream, write_report, write_report_with,
};
pub use crate::compile::{
    Compiled, compile_dir, compile_files, compile_strict, compile_with_baselines,
    compile_with_params,
};
