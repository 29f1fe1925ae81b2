//! Solving near another solve: each year's interior point starts from the warm start a
//! nearby scenario's solve of that year left ([`qp::WarmStart`]: an iterate partway
//! through, its items found by name), instead of from the cold point.
//!
//! A sweep's runs start from the unperturbed run's years ([`solve_recording`], then
//! [`solve_near`]); the app's worker starts each edit's years from the previous edit's and
//! keeps the new ones ([`solve_each_year_near`], [`solve_year_near`]). The answers are the
//! solver's to its tolerances either way; only the iterations differ.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::{
    Calibration, Solution, SolveError, SolverSettings, YearProblem, YearSolution, YearState,
    caught, qp, read, solve_in_order,
};
use crate::model::{Scenario, validate};

/// What a solve leaves for nearby scenarios to start from: each year's warm start.
#[derive(Clone, Debug, Default)]
pub struct WarmStarts {
    years: BTreeMap<i32, qp::WarmStart>,
}

/// How a solve in order uses warm starts: each year starts `from` one where given, and
/// puts the one it leaves `into` the other where given.
pub(super) struct Warm<'a> {
    from: Option<&'a WarmStarts>,
    into: Option<&'a mut WarmStarts>,
}

impl Warm<'_> {
    /// Cold starts, nothing kept.
    pub(super) const COLD: Warm<'static> = Warm {
        from: None,
        into: None,
    };

    fn used(&self) -> bool {
        self.from.is_some() || self.into.is_some()
    }

    /// The year's problem, with names where warm starts are used (they find items by name).
    pub(super) fn build<'s>(
        &self,
        scenario: &'s Scenario,
        calibration: &Calibration,
        year: i32,
        state: &YearState,
    ) -> YearProblem<'s> {
        if self.used() {
            YearProblem::build_named(scenario, calibration, year, state)
        } else {
            YearProblem::build(scenario, calibration, year, state)
        }
    }

    pub(super) fn solve(
        &self,
        problem: &YearProblem<'_>,
        settings: &qp::QpSettings,
        year: i32,
    ) -> qp::QpSolution {
        if !self.used() {
            return problem.qp.solve(settings);
        }
        let start = self.from.and_then(|starts| starts.years.get(&year));
        problem.qp.solve_near(settings, start, self.into.is_some())
    }

    /// Keeps the year's warm start where asked.
    pub(super) fn keep(&mut self, year: i32, solution: &mut qp::QpSolution) {
        if let (Some(into), Some(start)) = (self.into.as_deref_mut(), solution.warm_start.take()) {
            into.years.insert(year, start);
        }
    }
}

/// Solves every year in order, as [`super::solve`] does, and keeps each year's warm start.
pub fn solve_recording(
    scenario: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
    cancel: Option<&AtomicBool>,
) -> Result<(Solution, WarmStarts), SolveError> {
    let mut starts = WarmStarts::default();
    let warm = Warm {
        from: None,
        into: Some(&mut starts),
    };
    let solution = solve_all(
        scenario,
        calibration,
        settings,
        cancel,
        &mut |_, _| {},
        warm,
    )?;
    Ok((solution, starts))
}

/// Solves every year in order, each year starting from `starts`' (a nearby scenario's, from
/// [`solve_recording`]): the answers of [`super::solve`] to the solver's tolerances, in
/// about a third fewer interior-point iterations (see `interior_point/warm.rs`).
pub fn solve_near(
    scenario: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
    cancel: Option<&AtomicBool>,
    starts: &WarmStarts,
) -> Result<Solution, SolveError> {
    let warm = Warm {
        from: Some(starts),
        into: None,
    };
    solve_all(
        scenario,
        calibration,
        settings,
        cancel,
        &mut |_, _| {},
        warm,
    )
}

/// [`super::solve_each_year`], each year starting from `starts`' where it has one, with
/// the warm starts this solve leaves (for the next edit's).
pub fn solve_each_year_near(
    scenario: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
    cancel: Option<&AtomicBool>,
    on_year: &mut dyn FnMut(&YearState, &YearSolution),
    starts: &WarmStarts,
) -> Result<(Solution, WarmStarts), SolveError> {
    let mut left = WarmStarts::default();
    let warm = Warm {
        from: Some(starts),
        into: Some(&mut left),
    };
    let solution = solve_all(scenario, calibration, settings, cancel, on_year, warm)?;
    Ok((solution, left))
}

/// [`super::solve_year_from`], starting from `starts`' year where it has one.
pub fn solve_year_near(
    scenario: &Scenario,
    calibration: &Calibration,
    year: i32,
    state: &YearState,
    settings: &SolverSettings,
    starts: &WarmStarts,
) -> Result<YearSolution, SolveError> {
    let warm = Warm {
        from: Some(starts),
        into: None,
    };
    solve_year_with(scenario, calibration, year, state, settings, warm)
}

/// One year from `state`, with `warm`'s starts (the body of [`super::solve_year_from`]
/// and [`solve_year_near`]).
pub(super) fn solve_year_with(
    scenario: &Scenario,
    calibration: &Calibration,
    year: i32,
    state: &YearState,
    settings: &SolverSettings,
    warm: Warm<'_>,
) -> Result<YearSolution, SolveError> {
    let problems = validate(scenario);
    if !problems.is_empty() {
        return Err(SolveError::Invalid(problems));
    }
    caught(year, || {
        let problem = warm.build(scenario, calibration, year, state);
        read::year_solution(&problem, &warm.solve(&problem, &settings.qp, year))
    })
}

pub(super) fn solve_all(
    scenario: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
    cancel: Option<&AtomicBool>,
    on_year: &mut dyn FnMut(&YearState, &YearSolution),
    warm: Warm<'_>,
) -> Result<Solution, SolveError> {
    let problems = validate(scenario);
    if !problems.is_empty() {
        return Err(SolveError::Invalid(problems));
    }
    let started = Instant::now();
    let cancelled = || cancel.is_some_and(|flag| flag.load(Ordering::Relaxed));
    let wanted: Vec<i32> = scenario.years().collect();
    let years = solve_in_order(
        scenario,
        calibration,
        &wanted,
        settings,
        &cancelled,
        on_year,
        warm,
    )?;
    Ok(Solution {
        scenario: scenario.meta.name.clone(),
        years,
        total_solve_ms: started.elapsed().as_secs_f64() * 1e3,
    })
}
