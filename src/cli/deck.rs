//! `rareflow deck FILE --years 2025,2027 --out DIR`: the app's File > Export deck from the
//! command line, for a briefing prepared by a script. The same slides (one 16:9 PNG per
//! view and year, drawn offscreen), with the same names, as the app writes; the scenario
//! is compared with `--reference` (the built-in baseline unless given), as the app's
//! reference menu does.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{CliError, open, solve_file};
use crate::app::png_export::{MapCamera, TableSort, ViewData, write_deck};
use crate::app::slide::{SlideSize, parse_years};
use crate::app::state::{Selection, UiPrefs};
use crate::solve_session::{BacktestState, Results};

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
    let solution = solve_file(&args.file, None)?;
    let reference = solve_file(&args.reference, None)?;
    let reference_scenario = open(&args.reference)?;
    let data = ViewData {
        results: Results {
            revision: 0,
            years: solution.years.into_iter().map(|y| (y.year, y)).collect(),
            complete: true,
            error: None,
        },
        scenario,
        reference: Some(reference),
        reference_scenario,
        year: years[0],
        selection: Selection::Nothing,
        // The app's fresh start: NdFeB magnets, price pressure, the dark theme.
        prefs: UiPrefs::default(),
        map_camera: MapCamera::default(),
        table_sort: TableSort::default(),
        backtest: BacktestState::NotAsked,
        uncertainty: Default::default(),
        revision: 0,
    };
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
