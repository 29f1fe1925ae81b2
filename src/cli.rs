//! The command-line interface: `rareflow [FILE]` opens the GUI, subcommands work headless.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod compare;
#[cfg(feature = "gui")]
mod deck;
mod error;
mod ranges;
mod summary;
mod sweep;
mod tornado;

pub use compare::{CompareFormat, compare_report};
#[cfg(feature = "gui")]
pub use deck::{DeckArgs, deck};
pub use error::CliError;
pub use ranges::ranges_report;
pub use summary::{china_shares_line, stage_heading, summary_report};
pub use sweep::{Shard, parse_shard};
pub use tornado::{parse_output_key, tornado_report};

use crate::model::{Scenario, validate};
use crate::scenario_tables::{MergeOptions, TablesLocation};
use crate::solver::{Solution, SolverSettings, Years, calibrate, solve_scenario};

/// A what-if modeller for the global rare-earth supply chain.
///
/// With no command, opens the desktop app on FILE, or on the built-in 2024 baseline.
#[derive(Debug, Parser)]
#[command(name = "rareflow", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Scenario file (.ron) to open in the app; the built-in baseline when left out.
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a scenario file and list every problem (exit status 1 if any).
    Validate {
        /// The scenario file (.ron).
        file: PathBuf,
    },
    /// Capacity and reported output by stage, country and commodity, and China's shares.
    Summary {
        /// The scenario file (.ron); `baseline` for the built-in baseline.
        file: PathBuf,
        /// The year to summarise (default: the scenario's base year).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Solve the equilibrium: shortfall, price and price pressure by region and commodity,
    /// the largest flows and origin shares.
    Solve {
        /// The scenario file (.ron); `baseline` for the built-in baseline.
        file: PathBuf,
        /// Solve only this year (default: every year of the horizon).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Price pressure is measured against this scenario (default: the built-in baseline).
        #[arg(long, default_value = "baseline")]
        reference: PathBuf,
    },
    /// Compare two scenarios: consumption, shortfall and prices, and who is hurt: the plants
    /// whose input, output or feed by origin changed most, and the routes lost or gained.
    Compare {
        /// The reference scenario (.ron or `baseline`).
        base: PathBuf,
        /// The scenario compared with it.
        other: PathBuf,
        /// Only this year (default: every year).
        #[arg(long)]
        year: Option<i32>,
        /// How many plants and routes to list per year, largest change first.
        #[arg(long, default_value_t = 10)]
        plants: usize,
        #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
        format: CompareFormat,
    },
    /// Write the slides of File > Export deck: one 16:9 PNG per view (map, flows, charts,
    /// compare) and year, named `<file>_<view>_<year>.png`, into OUT.
    #[cfg(feature = "gui")]
    Deck {
        /// The scenario file (.ron) or `baseline`.
        file: PathBuf,
        /// The years, e.g. `2025,2027` (each within the scenario's horizon).
        #[arg(long)]
        years: String,
        /// Folder for the slides (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// The scenario compared with (default: the built-in baseline).
        #[arg(long, default_value = "baseline")]
        reference: PathBuf,
        /// 3840 x 2160 instead of 1920 x 1080.
        #[arg(long)]
        double: bool,
    },
    /// Write one year's exact optimisation problem in CPLEX LP format, for re-solving in
    /// another solver (HiGHS, Gurobi, CPLEX, SCIP).
    ExportLp {
        /// The scenario file (.ron) or `baseline`.
        file: PathBuf,
        #[arg(long)]
        year: i32,
        /// Output file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Export every year's results (markets, flows, nodes, origins) as CSV files and/or an
    /// XLSX workbook with one sheet per table.
    Export {
        /// The scenario file (.ron) or `baseline`.
        file: PathBuf,
        /// Folder for markets.csv, flows.csv, nodes.csv, origins.csv and years.csv.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Workbook to write (.xlsx).
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Price pressure is measured against this scenario (default: the built-in baseline).
        #[arg(long, default_value = "baseline")]
        reference: PathBuf,
    },
    /// Write the scenario's nodes, demand, policies, trade costs, expansion options and
    /// contracts as tables to edit in a spreadsheet: CSV files and/or an XLSX workbook.
    ExportScenario {
        /// The scenario file (.ron) or `baseline`.
        file: PathBuf,
        /// Folder for nodes.csv, demand.csv, policies.csv and the other tables.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Workbook to write (.xlsx), a sheet per table.
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Read edited tables back into a scenario: rows are merged by id (added, changed,
    /// removed with `remove` set), the result is validated and written to OUT. Any bad row
    /// refuses the whole import (exit status 1) and writes nothing.
    ImportScenario {
        /// The scenario the tables are merged into (.ron or `baseline`).
        file: PathBuf,
        /// Folder of CSV tables, as `export-scenario --csv` writes them.
        #[arg(long, conflicts_with = "xlsx", required_unless_present = "xlsx")]
        csv: Option<PathBuf>,
        /// Workbook, as `export-scenario --xlsx` writes it.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Where to write the merged scenario (.ron).
        #[arg(long, short)]
        output: PathBuf,
        /// Remove the items of a table that have no row in it (by default they are kept).
        #[arg(long)]
        remove_missing: bool,
    },
    /// The model against observed outcomes: China's 2010-2011 export-quota cuts and its
    /// April 2025 licensing of heavy rare earths, each observation with its source and a
    /// HIT, NEAR or MISS by a fixed rule.
    Backtest {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Monte Carlo over the scenario's uncertain inputs: N seeded runs of the whole horizon,
    /// per-run CSV and quantiles (P5–P95, P(shortfall > 0)) in OUT. `--shard K/N` runs only
    /// slice K of N; `sweep-merge` combines the slices.
    Sweep {
        /// The scenario file (.ron) with `uncertainty: [...]`.
        file: PathBuf,
        /// Runs in the whole sweep (all shards together).
        #[arg(long)]
        runs: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder for draws.csv, run_status.csv, runs.csv, quantiles.csv, sweep-state.txt.
        #[arg(long)]
        out: PathBuf,
        /// Run only slice K of N (1 ≤ K ≤ N), e.g. `--shard $SLURM_ARRAY_TASK_ID/10`.
        #[arg(long, value_parser = parse_shard)]
        shard: Option<Shard>,
        /// Add the data's default ranges (assets/data/uncertainty_rules.csv) on the items
        /// the file gives no range.
        #[arg(long)]
        default_ranges: bool,
    },
    /// List the scenario's uncertain inputs as a table: target, distribution, its 5 %,
    /// 50 % and 95 % points, source.
    Ranges {
        /// The scenario file (.ron) or `baseline`.
        file: PathBuf,
        /// Add the default ranges of the data's ESTIMATE rules on items with no range.
        #[arg(long)]
        defaults: bool,
        /// Also write the scenario with the listed ranges (its own and any defaults) here.
        #[arg(long)]
        write: Option<PathBuf>,
    },
    /// Swing each uncertain input alone to its 5 % and 95 % points and rank the inputs by
    /// how far they move one output.
    Tornado {
        /// The scenario file (.ron) or `baseline`.
        file: PathBuf,
        /// The output: `price:REGION:COMMODITY:YEAR`, `shortfall:REGION:COMMODITY:YEAR` or
        /// `welfare:YEAR` (the measure names of quantiles.csv work too).
        #[arg(long)]
        output: String,
        /// Add the default ranges (assets/data/uncertainty_rules.csv) on items with none.
        #[arg(long)]
        default_ranges: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Combine the folders of a sweep's shards into exactly the files one `sweep` writes.
    SweepMerge {
        /// The shards' folders, in any order.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Show what calibrating the base year adjusted.
    Calibrate {
        /// The scenario file (.ron) or `baseline`.
        file: PathBuf,
    },
}

/// Output formats of `rareflow solve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// Prints a report or an error and turns it into an exit code.
fn finish(result: Result<String, CliError>) -> ExitCode {
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a subcommand, printing its report to stdout and problems to stderr.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Solve {
            file,
            year,
            format,
            reference,
        } => finish(solve_report(&file, year, format, &reference)),
        Command::Compare {
            base,
            other,
            year,
            plants,
            format,
        } => finish(compare_report(&base, &other, year, plants, format)),
        #[cfg(feature = "gui")]
        Command::Deck {
            file,
            years,
            out,
            reference,
            double,
        } => finish(deck(&DeckArgs {
            file,
            years,
            out,
            reference,
            double,
        })),
        Command::ExportLp { file, year, output } => {
            finish(export_lp(&file, year, output.as_deref()))
        }
        Command::Calibrate { file } => finish(calibrate_report(&file)),
        Command::Sweep {
            file,
            runs,
            seed,
            out,
            shard,
            default_ranges,
        } => finish(sweep::sweep(&file, runs, seed, &out, shard, default_ranges)),
        Command::Ranges {
            file,
            defaults,
            write,
        } => finish(ranges_report(&file, defaults, write.as_deref())),
        Command::Tornado {
            file,
            output,
            default_ranges,
            json,
        } => finish(tornado_report(&file, &output, default_ranges, json)),
        Command::SweepMerge { dirs, out } => finish(sweep::sweep_merge(&dirs, &out)),
        Command::Backtest { format } => finish(backtest_report(format)),
        Command::Export {
            file,
            csv,
            xlsx,
            reference,
        } => finish(export(&file, csv.as_deref(), xlsx.as_deref(), &reference)),
        Command::ExportScenario { file, csv, xlsx } => {
            finish(export_scenario(&file, csv.as_deref(), xlsx.as_deref()))
        }
        Command::ImportScenario {
            file,
            csv,
            xlsx,
            output,
            remove_missing,
        } => {
            let location = match (csv, xlsx) {
                (Some(folder), _) => TablesLocation::CsvFolder(folder),
                (None, Some(path)) => TablesLocation::Xlsx(path),
                (None, None) => unreachable!("clap requires --csv or --xlsx"),
            };
            let options = MergeOptions {
                remove_missing_rows: remove_missing,
            };
            finish(import_scenario(&file, &location, &output, options))
        }
        Command::Validate { file } => {
            let (report, valid) = validate_report(&file);
            if valid {
                print!("{report}");
                ExitCode::SUCCESS
            } else {
                eprint!("{report}");
                ExitCode::FAILURE
            }
        }
        Command::Summary { file, year } => match open(&file) {
            Ok(scenario) => {
                let year = year.unwrap_or(scenario.meta.base_year);
                print!("{}", summary_report(&scenario, year));
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Opens a scenario file, or the built-in baseline for the word `baseline`.
fn open(file: &Path) -> Result<Scenario, CliError> {
    let result = if file == Path::new("baseline") {
        crate::baseline()
    } else {
        crate::io::load(file)
    };
    Ok(result?)
}

fn years(year: Option<i32>) -> Years {
    year.map_or(Years::All, Years::Only)
}

fn solve_file(file: &Path, year: Option<i32>) -> Result<Solution, CliError> {
    let scenario = open(file)?;
    if let Some(year) = year
        && !scenario.years().contains(&year)
    {
        return Err(CliError::YearOutsideHorizon {
            year,
            first_year: scenario.meta.first_year,
            last_year: scenario.meta.last_year,
        });
    }
    solve_opened(file, &scenario, years(year))
}

/// Solves a scenario already opened from `file` (named in the error).
fn solve_opened(file: &Path, scenario: &Scenario, years: Years) -> Result<Solution, CliError> {
    solve_scenario(scenario, years, &SolverSettings::default()).map_err(|source| CliError::Solve {
        file: file.to_owned(),
        source,
    })
}

/// The report of `rareflow solve`.
pub fn solve_report(
    file: &Path,
    year: Option<i32>,
    format: Format,
    reference: &Path,
) -> Result<String, CliError> {
    let solution = solve_file(file, year)?;
    let reference_solution = solve_file(reference, year)?;
    Ok(match format {
        Format::Table => crate::report::to_text(&solution, Some(&reference_solution), 12),
        Format::Csv => crate::report::to_csv(&solution, Some(&reference_solution)),
        Format::Json => crate::report::to_json(&solution, Some(&reference_solution)) + "\n",
    })
}

/// `rareflow export-lp`: the year's problem as CPLEX LP text, to a file or stdout.
pub fn export_lp(file: &Path, year: i32, output: Option<&Path>) -> Result<String, CliError> {
    let scenario = open(file)?;
    let settings = SolverSettings::default();
    let calibration = calibrate(&scenario, &settings)?;
    let text = crate::solver::lp_text(&scenario, &calibration, year, &settings)?;
    match output {
        Some(path) => {
            crate::io::write_atomically(path, |f| std::io::Write::write_all(f, text.as_bytes()))?;
            Ok(format!("wrote {}\n", path.display()))
        }
        None => Ok(text),
    }
}

/// `rareflow export`: writes the tables and says where.
pub fn export(
    file: &Path,
    csv: Option<&Path>,
    xlsx: Option<&Path>,
    reference: &Path,
) -> Result<String, CliError> {
    if csv.is_none() && xlsx.is_none() {
        return Err(CliError::NoExportTarget);
    }
    let solution = solve_file(file, None)?;
    let reference_solution = solve_file(reference, None)?;
    let tables = crate::export::tables(&solution, Some(&reference_solution));
    let mut report = String::new();
    if let Some(folder) = csv {
        for path in crate::export::write_csv_folder(folder, &tables)? {
            let _ = writeln!(report, "wrote {}", path.display());
        }
    }
    if let Some(path) = xlsx {
        crate::export::write_xlsx(path, &tables)?;
        let _ = writeln!(report, "wrote {}", path.display());
    }
    Ok(report)
}

/// `rareflow export-scenario`: writes the scenario's tables and says where.
pub fn export_scenario(
    file: &Path,
    csv: Option<&Path>,
    xlsx: Option<&Path>,
) -> Result<String, CliError> {
    if csv.is_none() && xlsx.is_none() {
        return Err(CliError::NoExportTarget);
    }
    let scenario = open(file)?;
    let locations = csv
        .map(|folder| TablesLocation::CsvFolder(folder.to_owned()))
        .into_iter()
        .chain(xlsx.map(|path| TablesLocation::Xlsx(path.to_owned())));
    let mut report = String::new();
    for location in locations {
        let written = crate::scenario_tables::export_tables(&scenario, &location)?;
        for path in written {
            let _ = writeln!(report, "wrote {}", path.display());
        }
    }
    Ok(report)
}

/// `rareflow import-scenario`: the merge preview, and the merged scenario written to
/// `output`; when any row is refused, the refusals and nothing written.
pub fn import_scenario(
    file: &Path,
    location: &TablesLocation,
    output: &Path,
    options: MergeOptions,
) -> Result<String, CliError> {
    let base = open(file)?;
    let import = crate::scenario_tables::import_tables(&base, location, options)?;
    let preview = import.preview.to_text();
    let Some(merged) = import.scenario else {
        return Err(CliError::ImportRefused { preview });
    };
    crate::io::save(output, &merged)?;
    let summary = if import.preview.is_empty() {
        "no changes\n".to_owned()
    } else {
        preview
    };
    Ok(format!("{summary}wrote {}\n", output.display()))
}

/// The report of `rareflow backtest`: both episodes solved, every observation judged.
pub fn backtest_report(format: Format) -> Result<String, CliError> {
    let backtest = crate::backtest::run(&SolverSettings::default())?;
    Ok(match format {
        Format::Table => crate::backtest::to_text(&backtest),
        Format::Csv => crate::backtest::to_csv(&backtest),
        Format::Json => crate::backtest::to_json(&backtest) + "\n",
    })
}

/// The report of `rareflow calibrate`.
pub fn calibrate_report(file: &Path) -> Result<String, CliError> {
    let scenario = open(file)?;
    let calibration = calibrate(&scenario, &SolverSettings::default())?;
    let mut out = format!(
        "{}: calibrated {} cost curves on {}; {} note(s)\n",
        scenario.meta.name,
        calibration.calibrated_curves(),
        calibration.base_year,
        calibration.notes.len()
    );
    for note in &calibration.notes {
        let _ = writeln!(out, "  - {note}");
    }
    Ok(out)
}

/// The report of `rareflow validate`, and whether the file is valid.
pub fn validate_report(file: &Path) -> (String, bool) {
    let scenario = match crate::io::parse_file(file) {
        Ok(scenario) => scenario,
        Err(error) => return (format!("{error}\n"), false),
    };
    let problems = validate(&scenario);
    if problems.is_empty() {
        let report = format!(
            "{}: valid (\"{}\", {} nodes, {} demand rows, {} policies, {}–{})\n",
            file.display(),
            scenario.meta.name,
            scenario.nodes.len(),
            scenario.demand.len(),
            scenario.policies.len(),
            scenario.meta.first_year,
            scenario.meta.last_year,
        );
        return (report, true);
    }
    let mut report = format!("{}: {} problem(s)\n", file.display(), problems.len());
    for problem in &problems {
        let _ = writeln!(report, "  - {problem}");
    }
    (report, false)
}
