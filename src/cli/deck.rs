//! `rareflow deck FILE --years 2025,2027 --out DIR`: the app's File > Export deck from the
//! command line, for a briefing prepared by a script. The same slides (one 16:9 PNG per
//! view and year, drawn offscreen), with the same names, as the app writes; the scenario
//! is compared with `--reference` (the built-in baseline unless given), as the app's
//! reference menu does.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{CliError, open, solve_opened};
use crate::app::png_export::{ViewData, write_deck};
use crate::app::slide::{SlideSize, parse_years};
use crate::solver::Years;

/// What `rareflow deck` is asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct DeckArgs {
    pub file: PathBuf,
    /// "2025,2027" or "2025 2027": each within the scenario's horizon.
    pub years: String,
    pub out: PathBuf,
    pub reference: PathBuf,
    /// 3840 x 2160 instead of 1920 x 1080.
    pub double: bool,
}

/// Solves the scenario and its reference and writes the deck; reports the files written.
pub fn deck(args: &DeckArgs) -> Result<String, CliError> {
    let scenario = open(&args.file)?;
    let years = parse_years(
        &args.years,
        scenario.meta.first_year,
        scenario.meta.last_year,
    )
    .map_err(CliError::Deck)?;
    let solution = solve_opened(&args.file, &scenario, Years::All)?;
    let reference_scenario = open(&args.reference)?;
    let reference = solve_opened(&args.reference, &reference_scenario, Years::All)?;
    let data = ViewData::at_fresh_start(
        (scenario, solution),
        (reference_scenario, reference),
        years[0],
    );
    let size = if args.double {
        SlideSize::Double
    } else {
        SlideSize::FullHd
    };
    let written = write_deck(
        &data,
        &years,
        size,
        &args.out,
        &slide_name(&args.file, &data),
    )
    .map_err(CliError::Deck)?;
    let mut report = String::new();
    for path in &written {
        let _ = writeln!(report, "wrote {}", path.display());
    }
    Ok(report)
}

/// The name the slides start with, as the app proposes it: the file's name without
/// ".ron", or the built-in baseline's name.
fn slide_name(file: &Path, data: &ViewData) -> String {
    if file == Path::new("baseline") {
        return data.scenario.meta.name.clone();
    }
    file.file_stem().map_or_else(
        || data.scenario.meta.name.clone(),
        |stem| stem.to_string_lossy().into_owned(),
    )
}
