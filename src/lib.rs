//! gpforge: Group Policy as code.
//!
//! ```text
//! definitions/*.toml ──source──▶ AST ──model::lower──▶ PolicySet (the IR) ──backend::*──▶ Artifacts ──emit──▶ output/
//!                                  └──────────── diag: D-codes with spans, rendered by diag::render ───────────┘
//!
//! ADMX/ADML files ──validate::decode──▶ text ──validate::dom──▶ spanned tree ──validate::checks──▶ V-codes
//! ```
//! ```text
//! ```

pub mod admx;
pub mod app;
pub mod audit;
pub mod backend;
pub mod checklist;
pub mod cli;
pub mod cmd;
pub mod compile;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod fsx;
pub mod heap;
pub mod import;
pub mod model;
pub mod rules;
pub mod source;
pub mod state;
pub mod validate;
