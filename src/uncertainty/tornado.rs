//! The tornado: each uncertain input swung to its 5 % and 95 % points alone, every other
//! input at its scenario value, and the bars ranked by how far they move one output.
//! As in a sweep, every swing starts each year from the unperturbed run's warm start and
//! solves to the sweep's tolerance ([`super::SWEEP_TOLERANCE`]), so that an input that
//! barely moves a steep market's price gives a bar of its own size, not the solver's.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::apply::scenario_for_draw;
use super::sampler::{Draw, InputDraw, quantile};
use super::sweep::{OutputKey, PARALLEL_RUNS, SweepError, sweep_settings};
use crate::model::Scenario;
use crate::solver::{
    Calibration, Detail, Solution, SolveError, SolverSettings, WarmStarts, solve_near,
    solve_recording,
};

/// One input's bar.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    pub input: String,
    pub label: String,
    /// The input at its 5 % and 95 % points (multipliers or years of slip).
    pub low_draw: InputDraw,
    pub high_draw: InputDraw,
    /// The output with the input at each end (`None`: that run did not solve).
    pub output_at_low: Option<f64>,
    pub output_at_high: Option<f64>,
}

impl TornadoBar {
    /// How far the output moves across the input's range (0 when a run failed).
    pub fn swing(&self) -> f64 {
        match (self.output_at_low, self.output_at_high) {
            (Some(low), Some(high)) => (high - low).abs(),
            _ => 0.0,
        }
    }
}

/// The bars for one output, the widest swing first.
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    pub output: OutputKey,
    /// The output with every input at its scenario value.
    pub unperturbed: f64,
    pub bars: Vec<TornadoBar>,
}

/// Swings every uncertain input of `base` alone and ranks the bars by swing (ties keep the
/// scenario's order). Two solves per input, [`PARALLEL_RUNS`] inputs at a time (one solver
/// thread each, as in a sweep).
pub fn tornado(
    base: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
    output: &OutputKey,
    cancel: &AtomicBool,
) -> Result<Tornado, SweepError> {
    let settings = sweep_settings(settings);
    let (solution, starts) = match solve_recording(base, calibration, &settings, Some(cancel)) {
        Ok((solution, starts)) => (Ok(solution), starts),
        Err(error) => (Err(error), WarmStarts::default()),
    };
    let unperturbed = output_value(solution, output)?.ok_or_else(|| {
        SweepError::UnperturbedYear(output.year, "the output is not in the solution".to_owned())
    })?;
    let settings = SolverSettings {
        threads: 1,
        detail: Detail::Markets,
        ..settings
    };
    let starts = &starts;
    let next_input = AtomicUsize::new(0);
    let mut bars: Vec<(usize, TornadoBar)> = Vec::with_capacity(base.uncertainty.len());
    let mut first_error = None;
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..PARALLEL_RUNS)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next_input.fetch_add(1, Ordering::Relaxed);
                        if index >= base.uncertainty.len() {
                            return Ok(done);
                        }
                        let solver = Solver {
                            calibration,
                            settings: &settings,
                            starts,
                            cancel,
                        };
                        let bar = swing_one(base, &solver, output, index);
                        done.push((index, bar?));
                    }
                })
            })
            .collect();
        for worker in workers {
            match worker.join().expect("a tornado worker panicked") {
                Ok(done) => bars.extend(done),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
    });
    if let Some(error) = first_error {
        return Err(error);
    }
    // The scenario's order first, so that the stable sort keeps it among ties.
    bars.sort_by_key(|(index, _)| *index);
    let mut bars: Vec<TornadoBar> = bars.into_iter().map(|(_, bar)| bar).collect();
    bars.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    Ok(Tornado {
        output: output.clone(),
        unperturbed,
        bars,
    })
}

/// What every swing is solved with.
struct Solver<'a> {
    calibration: &'a Calibration,
    settings: &'a SolverSettings,
    /// The unperturbed run's warm starts.
    starts: &'a WarmStarts,
    cancel: &'a AtomicBool,
}

/// The output's value in a solve's result (`None` when a year is unusable or the output
/// absent).
fn output_value(
    solved: Result<Solution, SolveError>,
    output: &OutputKey,
) -> Result<Option<f64>, SweepError> {
    match solved {
        Err(SolveError::Cancelled) => Err(SweepError::Cancelled),
        Err(_) => Ok(None),
        Ok(solution) if solution.years.iter().any(|y| !y.status.is_usable()) => Ok(None),
        Ok(solution) => Ok(output.value_in(&solution)),
    }
}

/// Input `index` alone at its 5 % and 95 % points, every other input at its nominal draw.
fn swing_one(
    base: &Scenario,
    solver: &Solver<'_>,
    output: &OutputKey,
    index: usize,
) -> Result<TornadoBar, SweepError> {
    let input = &base.uncertainty[index];
    let nominal: Vec<InputDraw> = base.uncertainty.iter().map(InputDraw::nominal).collect();
    let at =
        |probability: f64| quantile(&input.distribution, probability).unwrap_or(nominal[index]);
    let (low_draw, high_draw) = (at(0.05), at(0.95));
    let value_at = |value: InputDraw| {
        let mut values = nominal.clone();
        values[index] = value;
        let scenario = scenario_for_draw(base, &Draw { run: 0, values });
        let solved = solve_near(
            &scenario,
            solver.calibration,
            solver.settings,
            Some(solver.cancel),
            solver.starts,
        );
        output_value(solved, output)
    };
    Ok(TornadoBar {
        input: input.id.clone(),
        label: input.label.clone(),
        low_draw,
        high_draw,
        output_at_low: value_at(low_draw)?,
        output_at_high: value_at(high_draw)?,
    })
}
