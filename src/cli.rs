//! Command line (clap derive). Parsing only; `app` runs the commands.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// gpforge: Group Policy as code.
///
/// Compiles TOML definitions of policy settings (first of all Outlook's S/MIME and cryptography
/// settings) into ADMX/ADML templates for a Group Policy central store.
#[derive(Debug, Parser)]
#[command(name = "gpforge", version, about, long_about)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagFormat {
    /// Source snippets with line and column.
    Human,
    /// One line per problem: path:line:col: severity[code]: message.
    Short,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build every template and baseline of the definitions folder into the output folder.
    ///
    /// Writes PolicyDefinitions/<template>.admx and PolicyDefinitions/<culture>/<template>.adml,
    /// docs/<template>.md, and for every baselines/<name>.toml: baselines/<name>/apply.reg and
    /// revert.reg, User|Machine/Registry.pol with gpt.ini, intune.csv, intune.json and README.md.
    /// Files are written atomically and only when their bytes change; nothing is written when the
    /// definitions have an error. Exit status: 0 built, 1 errors in the definitions (or, with
    /// --check, output is stale), 2 usage or I/O failure.
    Build {
        /// Folder of template folders (each holding template.toml).
        #[arg(long, value_name = "DIR", default_value = "definitions")]
        definitions: PathBuf,
        /// Folder that receives the outputs.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        /// Write nothing; exit 1 if the output folder differs from a fresh build.
        #[arg(long)]
        check: bool,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
        format: DiagFormat,
        /// Also print notes (settings a format cannot carry, and which formats deliver them).
        #[arg(short, long)]
        verbose: bool,
    },
    /// Explain a diagnostic code (what it checks, why, an example); without CODE, list all codes.
    Explain {
        /// A code such as D010.
        code: Option<String>,
    },
}
