//! The command-line interface: `rareflow [FILE]` opens the GUI, subcommands work headless.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::model::{Scenario, Stage, validate};
use crate::summary::Summary;
use crate::units;

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
    /// Regenerate the built-in scenarios from the data folder (for maintainers).
    DeriveBaseline {
        /// The folder with nodes.csv, demand.csv, ... (shared/data).
        data_dir: PathBuf,
        /// Where to write the scenario files.
        #[arg(long, default_value = "scenarios")]
        out: PathBuf,
    },
}

/// Runs a subcommand, printing its report to stdout and problems to stderr.
pub fn run(command: Command) -> ExitCode {
    match command {
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
        Command::DeriveBaseline { data_dir, out } => {
            match crate::derive::write_scenarios(&data_dir, &out) {
                Ok(paths) => {
                    for path in paths {
                        println!("wrote {}", path.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Opens a scenario file, or the built-in baseline for the word `baseline`.
fn open(file: &Path) -> Result<Scenario, String> {
    let result = if file == Path::new("baseline") {
        crate::baseline()
    } else {
        crate::io::load(file)
    };
    result.map_err(|error| error.to_string())
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

/// A stage's heading with its unit, e.g. "Mining (t REO/yr)".
pub fn stage_heading(stage: Stage) -> &'static str {
    match stage {
        Stage::Mine => "Mining (t REO/yr)",
        Stage::Refinery => "Separation, incl. secondary supply (t REO/yr)",
        Stage::Magnet => "Magnet making (t NdFeB/yr)",
    }
}

/// The report of `rareflow summary`.
pub fn summary_report(scenario: &Scenario, year: i32) -> String {
    let summary = Summary::new(scenario, year);
    let output_heading = if summary.has_output {
        format!("output {year}")
    } else {
        "output".to_owned()
    };
    let output_cell = |t: f64| {
        if summary.has_output {
            units::tonnes(t)
        } else {
            "-".to_owned()
        }
    };
    let country_name = |iso3: &str| {
        scenario
            .country(iso3)
            .map_or_else(|| iso3.to_owned(), |country| country.name.clone())
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — supply in {year}\nCapacity follows start years, ramps and switched-on capacity \
         policies; output is as reported in the data (not a model result).\n",
        scenario.meta.name
    );
    for stage in Stage::ALL {
        let commodities = summary.commodities(stage);
        let _ = writeln!(out, "{}", stage_heading(stage));
        let _ = writeln!(
            out,
            "  {:<28} {:>12} {:>12}",
            "commodity", "capacity", output_heading
        );
        for commodity in &commodities {
            let amounts = summary.total(stage, None, Some(commodity));
            let _ = writeln!(
                out,
                "  {:<28} {:>12} {:>12}",
                commodity,
                units::tonnes(amounts.capacity_t_per_yr),
                output_cell(amounts.output_t),
            );
        }
        let total = summary.total(stage, None, None);
        let _ = writeln!(
            out,
            "  {:<28} {:>12} {:>12}",
            "all",
            units::tonnes(total.capacity_t_per_yr),
            output_cell(total.output_t),
        );
        let _ = write!(
            out,
            "\n  {:<28} {:>12} {:>12}",
            "country", "capacity", output_heading
        );
        if commodities.len() > 1 {
            for commodity in &commodities {
                let _ = write!(out, " {:>10}", format!("{commodity} out"));
            }
        }
        let _ = writeln!(out);
        for country in summary.countries(stage) {
            let amounts = summary.total(stage, Some(&country), None);
            let _ = write!(
                out,
                "  {:<28} {:>12} {:>12}",
                country_name(&country),
                units::tonnes(amounts.capacity_t_per_yr),
                output_cell(amounts.output_t),
            );
            if commodities.len() > 1 {
                for commodity in &commodities {
                    let cell = summary.total(stage, Some(&country), Some(commodity));
                    let _ = write!(out, " {:>10}", output_cell(cell.output_t));
                }
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(out);
    }
    if summary.has_output {
        let _ = writeln!(out, "{}", china_shares_line(&summary));
    }
    out
}

/// "China's shares of 2024 output: mining 70.3 %, separation 93.6 % (...), magnets 94.6 %".
pub fn china_shares_line(summary: &Summary) -> String {
    let share = |stage, commodity| {
        summary
            .output_share(stage, "CHN", commodity)
            .map_or_else(|| "-".to_owned(), units::percent)
    };
    let oxides = summary.commodities(Stage::Refinery);
    let by_oxide: Vec<String> = oxides
        .iter()
        .map(|commodity| {
            format!(
                "{commodity} {}",
                share(Stage::Refinery, Some(commodity.as_str()))
            )
        })
        .collect();
    format!(
        "China's shares of {} output: mining {}, separation {} ({}), magnets {}",
        summary.year,
        share(Stage::Mine, None),
        share(Stage::Refinery, None),
        by_oxide.join(", "),
        share(Stage::Magnet, None),
    )
}
