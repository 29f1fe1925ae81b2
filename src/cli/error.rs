//! Why a command failed, as variants callers and tests can match on. The messages are what
//! the command prints on stderr.

use std::path::PathBuf;

use crate::backtest::BacktestError;
use crate::export::ExportError;
use crate::io::{LoadError, SaveError};
use crate::scenario_tables::ReadError;
use crate::solver::SolveError;

/// Why a `rareflow` subcommand failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The scenario file (or the built-in baseline) could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{year} is outside the scenario's horizon {first_year}–{last_year}")]
    YearOutsideHorizon {
        year: i32,
        first_year: i32,
        last_year: i32,
    },
    /// Solving a file failed; the file is named.
    #[error("{}: {source}", file.display())]
    Solve { file: PathBuf, source: SolveError },
    /// Calibrating or building a problem failed (`calibrate`, `export-lp`).
    #[error(transparent)]
    Solver(#[from] SolveError),
    #[error("say where to export: --csv FOLDER and/or --xlsx FILE")]
    NoExportTarget,
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    ReadTables(#[from] ReadError),
    /// Some rows of the imported tables were refused; `preview` lists them.
    #[error("{preview}import refused; nothing written")]
    ImportRefused { preview: String },
    #[error(transparent)]
    Backtest(#[from] BacktestError),
    /// A sweep could not run or shards could not be merged (says why).
    #[error("{0}")]
    Sweep(String),
    #[error("{}: {source}", path.display())]
    SweepIo {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    SweepStopped(#[from] crate::uncertainty::SweepError),
    /// The years could not be read, or a slide could not be drawn or written (says why).
    #[error("{0}")]
    Deck(String),
}
