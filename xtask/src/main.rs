//! `cargo xtask derive`: regenerates `scenarios/` from `assets/data/` (see the library's
//! documentation for how the data becomes the model).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// rareflow's maintainer tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Derive the built-in scenarios from the source data and write them.
    Derive {
        /// The data folder (default: the repository's assets/data).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Where to write the scenario files (default: the repository's scenarios).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().task {
        Task::Derive { data, out } => {
            let data = data.unwrap_or_else(xtask::default_data_dir);
            let out = out.unwrap_or_else(xtask::default_scenarios_dir);
            match xtask::write_scenarios(&data, &out) {
                Ok(paths) => {
                    for path in paths {
                        println!("wrote {}", path.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
