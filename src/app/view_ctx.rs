//! [`ViewCtx`]: everything a panel reads to draw itself. Panels read it and push
//! [`super::commands::Command`]s; they never change the document or the app directly.

use super::state::{Selection, UiPrefs};
use crate::model::Scenario;
use crate::solve_session::{BacktestState, Results};
use crate::solver::{Solution, YearSolution};

/// What panels read: the document, the results and the view.
pub struct ViewCtx<'a> {
    pub scenario: &'a Scenario,
    pub results: &'a Results,
    pub reference: Option<&'a Solution>,
    /// The scenario the reference solution is of.
    pub reference_scenario: &'a Scenario,
    /// Why the reference scenario did not solve, if it did not.
    pub reference_error: Option<&'a str>,
    pub year: i32,
    pub selection: &'a Selection,
    pub prefs: &'a UiPrefs,
    /// How many validation problems the scenario has.
    pub problems: usize,
    /// The backtest of the shipped episodes, once asked for.
    pub backtest: &'a BacktestState,
}

impl ViewCtx<'_> {
    /// The solution of the year on screen, if it has arrived.
    pub fn year_solution(&self) -> Option<&YearSolution> {
        self.results.years.get(&self.year)
    }

    pub fn reference_year(&self) -> Option<&YearSolution> {
        self.reference.and_then(|r| r.year(self.year))
    }

    /// Price in this scenario over the reference's, minus 1.
    pub fn price_pressure(&self, region: &str, commodity: &str) -> Option<f64> {
        self.year_solution()?
            .price_pressure(self.reference_year()?, region, commodity)
    }

    /// "Baseline 2024: NdFeB magnets, 2026, compared with Baseline 2024": what the views
    /// show, for presentation mode and exported images.
    pub fn title(&self) -> String {
        format!(
            "{}: {}, {}, compared with {}",
            self.scenario.meta.name,
            self.commodity_name(&self.prefs.commodity),
            self.year,
            self.reference_scenario.meta.name
        )
    }

    pub fn commodity_name(&self, id: &str) -> String {
        self.scenario.commodity_name(id)
    }

    /// A demand region's name as a planner reads it ("Southeast Asia", "Rest of world"
    /// without its membership note), the id if the scenario has no such region.
    pub fn region_name(&self, id: &str) -> String {
        self.scenario
            .regions
            .iter()
            .find(|r| r.id == id)
            .map_or_else(
                || id.to_owned(),
                |r| crate::report::short_region_name(&r.name).to_owned(),
            )
    }

    pub fn country_name(&self, iso3: &str) -> String {
        self.scenario.country_name(iso3)
    }
}
