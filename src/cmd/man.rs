//! `gpforge completions` and `gpforge man`: generated from the command line's definition.

use super::*;
use std::path::Path;

fn man_pages(dir: &Path) -> Outcome {
    fn pages(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            pages(sub, out)?;
        }
        let man = clap_mangen::Man::new(cmd);
        let mut buf = Vec::new();
        man.render(&mut buf)?;
        out.push((man.get_filename(), buf));
        Ok(())
    }
    let mut cmd =
        <crate::cli::Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    cmd.build();
    let mut all = Vec::new();
    let mut o = Outcome::default();
    let written = pages(cmd, &mut all).and_then(|()| {
        all.iter()
            .map(|(name, bytes)| crate::emit::put_file(dir, Path::new(name), bytes))
            .collect::<std::io::Result<Vec<_>>>()
    });
    match written {
        Ok(paths) => {
            o.stderr = format!(
                "wrote {} manual page(s) into {}\n",
                paths.len(),
                dir.display()
            );
        }
        Err(e) => {
            o.code = EXIT_FAILURE;
            o.stderr = format!("error: {e}\n");
        }
    }
    o
}

/// `gpforge completions SHELL`: the script on stdout.
pub fn completions(args: crate::cli::CompletionsArgs) -> Outcome {
    let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "gpforge", &mut buf);
    Outcome {
        stdout: String::from_utf8_lossy(&buf).into_owned(),
        ..Outcome::default()
    }
}

/// `gpforge man`: the main page on stdout, or every page into `--out DIR`.
pub fn run(args: crate::cli::ManArgs) -> Outcome {
    if let Some(dir) = args.out {
        return man_pages(&dir);
    }
    let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    match clap_mangen::Man::new(cmd).render(&mut buf) {
        Ok(()) => Outcome {
            stdout: String::from_utf8_lossy(&buf).into_owned(),
            ..Outcome::default()
        },
        Err(e) => failure(e.to_string()),
    }
}
