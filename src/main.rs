//! The `rareflow` binary: the GUI with no subcommand, the CLI otherwise.

use std::process::ExitCode;

use clap::Parser as _;
use rareflow::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => rareflow::cli::run(command),
        None => run_gui(cli.file),
    }
}

#[cfg(feature = "gui")]
fn run_gui(file: Option<std::path::PathBuf>) -> ExitCode {
    rareflow::app::run(file)
}

#[cfg(not(feature = "gui"))]
fn run_gui(_file: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!("This rareflow was built without the GUI (feature `gui`); see `rareflow --help`.");
    ExitCode::FAILURE
}
