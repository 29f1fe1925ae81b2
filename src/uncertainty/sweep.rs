//! The sweep: N runs drawing every uncertain input together, solved two at a time off the
//! caller's thread, streamed into histograms (see [`super::histogram`]).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

use super::apply::scenario_for_draw;
use super::copula::{Copula, draw_run_correlated};
use super::histogram::{Histogram, Measure};
use super::sampler::{Draw, draw_run};
use crate::model::Scenario;
use crate::solver::{
    Calibration, Detail, Solution, SolveError, SolverSettings, WarmStarts, solve_near,
    solve_recording,
};

/// Runs solved at once: this machine has two cores.
pub const PARALLEL_RUNS: usize = 2;

/// The gap and feasibility tolerance of a sweep's year solves (the unperturbed run's and
/// every run's), tighter than the solver's default 1e-10.
///
/// At 1e-10 a steep market's price is settled only to a few 1e-4: yttrium (elasticity
/// 0.05, so a tonne's error is a twentyfold price error) missed the price solved at 1e-13
/// by up to 4.2e-4 from a cold start (2 of 136,800 prices of 300 runs of
/// `in-force-2026.ron` beyond 1e-4) and 4.3e-4 from a warm one (16 beyond); Clarabel at
/// 1e-10 missed by 4.7e-4. At 1e-11 no price of those runs is beyond 8.9e-5, warm or
/// cold, and warm-started runs take no longer than at 1e-10 (5.2 s both; cold runs 12 %
/// longer).
pub const SWEEP_TOLERANCE: f64 = 1e-11;

/// Failed runs a summary names (all are counted).
pub const LISTED_FAILURES: usize = 20;

/// `settings` with the sweep's tolerance.
pub fn sweep_settings(settings: &SolverSettings) -> SolverSettings {
    let mut settings = *settings;
    settings.qp.tolerance_gap = SWEEP_TOLERANCE;
    settings.qp.tolerance_feasibility = SWEEP_TOLERANCE;
    // Measured on 100 runs of `in-force-2026.ron`: 24 of 1,000 run-years reached their
    // answer from the unperturbed year's active set in three steps; the rest lost three
    // factorisations.
    settings.qp.warm_active_set_steps = 0;
    settings
}

/// One output of a run: a market's price or shortfall share in a year, or a year's welfare
/// (region and commodity empty).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputKey {
    pub measure: Measure,
    pub year: i32,
    pub region: String,
    pub commodity: String,
}

impl OutputKey {
    /// The output's value in a solution (`None` when the solution lacks it).
    pub fn value_in(&self, solution: &Solution) -> Option<f64> {
        let year = solution.year(self.year)?;
        match self.measure {
            Measure::Welfare => Some(year.welfare_musd),
            Measure::Price => Some(year.market(&self.region, &self.commodity)?.price_usd_per_kg),
            Measure::ShortfallShare => Some(
                year.market(&self.region, &self.commodity)?
                    .shortfall_share(),
            ),
        }
    }
}

/// Every output of the unperturbed solution, in a fixed order (year, then markets as the
/// solver lists them, price before shortfall; welfare after the year's markets).
pub fn outputs_of(solution: &Solution) -> Vec<OutputKey> {
    let mut keys = Vec::new();
    for year in &solution.years {
        for market in &year.markets {
            for measure in [Measure::Price, Measure::ShortfallShare] {
                keys.push(OutputKey {
                    measure,
                    year: year.year,
                    region: market.region.clone(),
                    commodity: market.commodity.clone(),
                });
            }
        }
        keys.push(OutputKey {
            measure: Measure::Welfare,
            year: year.year,
            region: String::new(),
            commodity: String::new(),
        });
    }
    keys
}

/// One output's distribution over the runs.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputSeries {
    pub key: OutputKey,
    /// The unperturbed run's value: the bins' anchor.
    pub reference: f64,
    pub histogram: Histogram,
}

/// A run that gave no usable answer (counted, never dropped silently).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunFailure {
    pub run: u64,
    pub reason: String,
}

/// What a sweep found: small, mergeable, independent of the number of runs.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSummary {
    pub seed: u64,
    /// The runs summarised (a shard's slice, or all after merging).
    pub runs: Range<u64>,
    pub runs_solved: u64,
    pub runs_failed: u64,
    /// The failed runs with the lowest numbers, at most [`LISTED_FAILURES`].
    pub failures: Vec<RunFailure>,
    pub outputs: Vec<OutputSeries>,
}

/// What one run gave, shown to the caller in run order (for per-run files).
#[derive(Clone, Debug)]
pub struct RunRecord {
    pub draw: Draw,
    /// The value of every output, in the summary's order, or why the run failed.
    pub outcome: Result<Vec<f64>, String>,
}

/// Why a sweep stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The unperturbed scenario itself does not solve.
    #[error("the scenario as it is does not solve: {0}")]
    Unperturbed(SolveError),
    #[error("the unperturbed run's year {0} is not usable ({1})")]
    UnperturbedYear(i32, String),
    #[error("cancelled")]
    Cancelled,
}

/// The sweep's inputs.
#[derive(Clone, Copy)]
pub struct SweepRequest<'a> {
    pub base: &'a Scenario,
    pub calibration: &'a Calibration,
    pub settings: &'a SolverSettings,
    pub runs: &'a Range<u64>,
    pub seed: u64,
}

/// Solves `runs` of the sweep seeded `seed` and summarises them. `progress(done, total)` is
/// called on the caller's thread after each run; setting `cancel` stops the sweep.
pub fn run_sweep(
    base: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
    runs: Range<u64>,
    seed: u64,
    progress: &dyn Fn(u64, u64),
    cancel: &AtomicBool,
) -> Result<SweepSummary, SweepError> {
    let request = SweepRequest {
        base,
        calibration,
        settings,
        runs: &runs,
        seed,
    };
    sweep_with_records(&request, progress, cancel, &mut |_| {})
}

/// The unperturbed run: its solution, the summary's empty output series, and each year's
/// warm start, from which every run's year starts (the same start whichever machine or
/// shard solves the run, so that a run's numbers do not depend on where it ran).
pub struct Unperturbed {
    pub solution: Solution,
    pub outputs: Vec<OutputSeries>,
    pub starts: WarmStarts,
}

/// Solves the scenario as it is (see [`Unperturbed`]).
pub fn unperturbed(
    base: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
) -> Result<Unperturbed, SweepError> {
    let (solution, starts) = solve_recording(base, calibration, &sweep_settings(settings), None)
        .map_err(SweepError::Unperturbed)?;
    if let Some(year) = solution.years.iter().find(|y| !y.status.is_usable()) {
        return Err(SweepError::UnperturbedYear(
            year.year,
            format!("{:?}", year.status),
        ));
    }
    let series = outputs_of(&solution)
        .into_iter()
        .map(|key| OutputSeries {
            reference: key.value_in(&solution).unwrap_or(0.0),
            key,
            histogram: Histogram::default(),
        })
        .collect();
    Ok(Unperturbed {
        solution,
        outputs: series,
        starts,
    })
}

/// [`run_sweep`], also showing every run's record to `on_run` in run order.
pub fn sweep_with_records(
    request: &SweepRequest<'_>,
    progress: &dyn Fn(u64, u64),
    cancel: &AtomicBool,
    on_run: &mut dyn FnMut(&RunRecord),
) -> Result<SweepSummary, SweepError> {
    let unperturbed = unperturbed(request.base, request.calibration, request.settings)?;
    sweep_from_unperturbed(request, unperturbed, progress, cancel, on_run)
}

/// [`sweep_with_records`] for a caller that has solved the unperturbed run already (so the
/// scenario is not solved twice).
pub fn sweep_from_unperturbed(
    request: &SweepRequest<'_>,
    unperturbed: Unperturbed,
    progress: &dyn Fn(u64, u64),
    cancel: &AtomicBool,
    on_run: &mut dyn FnMut(&RunRecord),
) -> Result<SweepSummary, SweepError> {
    let Unperturbed {
        outputs, starts, ..
    } = unperturbed;
    let keys: Vec<OutputKey> = outputs.iter().map(|s| s.key.clone()).collect();
    // Validation refuses correlations that cannot hold; should a caller pass them anyway,
    // every run fails with the reason rather than drawing them independently.
    let copula = Copula::new(&request.base.uncertainty, &request.base.correlations);
    let mut summary = SweepSummary {
        seed: request.seed,
        runs: request.runs.clone(),
        runs_solved: 0,
        runs_failed: 0,
        failures: Vec::new(),
        outputs,
    };
    let total = request.runs.end.saturating_sub(request.runs.start);
    let next_run = AtomicU64::new(request.runs.start);
    // One thread per solve: the runs, not the years, are what run in parallel.
    // Runs read markets and welfare only.
    let settings = SolverSettings {
        threads: 1,
        detail: Detail::Markets,
        ..sweep_settings(request.settings)
    };
    let run_settings = RunSettings {
        settings: &settings,
        keys: &keys,
        copula: &copula,
        starts: &starts,
    };
    let (sender, receiver) = mpsc::channel::<RunRecord>();
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_RUNS {
            let sender = sender.clone();
            let (next_run, run_settings) = (&next_run, &run_settings);
            scope.spawn(move || {
                while !cancel.load(Ordering::Relaxed) {
                    let run = next_run.fetch_add(1, Ordering::Relaxed);
                    if run >= request.runs.end {
                        break;
                    }
                    let record = solve_run(request, run_settings, run, cancel);
                    if sender.send(record).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        // Records arrive in any order; the caller sees them in run order.
        let mut waiting: BTreeMap<u64, RunRecord> = BTreeMap::new();
        let mut next_shown = request.runs.start;
        let mut done = 0;
        for record in receiver {
            if cancel.load(Ordering::Relaxed) {
                continue;
            }
            summary.count(&record);
            waiting.insert(record.draw.run, record);
            while let Some(record) = waiting.remove(&next_shown) {
                on_run(&record);
                next_shown += 1;
            }
            done += 1;
            progress(done, total);
        }
    });
    if cancel.load(Ordering::Relaxed) {
        return Err(SweepError::Cancelled);
    }
    Ok(summary)
}

/// What every run of a sweep is solved with.
struct RunSettings<'a> {
    settings: &'a SolverSettings,
    keys: &'a [OutputKey],
    copula: &'a Result<Option<Copula>, String>,
    /// The unperturbed run's warm starts.
    starts: &'a WarmStarts,
}

/// Draws, applies and solves one run.
fn solve_run(
    request: &SweepRequest<'_>,
    with: &RunSettings<'_>,
    run: u64,
    cancel: &AtomicBool,
) -> RunRecord {
    let inputs = &request.base.uncertainty;
    let copula = with.copula;
    let copula = match copula {
        Ok(copula) => copula.as_ref(),
        Err(reason) => {
            let draw = draw_run(inputs, request.seed, run);
            return RunRecord {
                draw,
                outcome: Err(reason.clone()),
            };
        }
    };
    let draw = draw_run_correlated(inputs, copula, request.seed, run);
    let scenario = scenario_for_draw(request.base, &draw);
    let outcome = solve_near(
        &scenario,
        request.calibration,
        with.settings,
        Some(cancel),
        with.starts,
    )
    .map_err(|error| error.to_string())
    .and_then(|solution| run_values(&solution, with.keys));
    RunRecord { draw, outcome }
}

/// Every output's value in a run, or why the run cannot count.
fn run_values(solution: &Solution, keys: &[OutputKey]) -> Result<Vec<f64>, String> {
    if let Some(year) = solution.years.iter().find(|y| !y.status.is_usable()) {
        return Err(format!("year {} is {:?}", year.year, year.status));
    }
    keys.iter()
        .map(|key| {
            key.value_in(solution)
                .filter(|value| value.is_finite())
                .ok_or_else(|| {
                    format!(
                        "no finite {} for {} {} in {}",
                        key.measure.name(),
                        key.region,
                        key.commodity,
                        key.year
                    )
                })
        })
        .collect()
}

impl SweepSummary {
    /// Counts one run into the histograms (or the failures).
    pub fn count(&mut self, record: &RunRecord) {
        match &record.outcome {
            Ok(values) => {
                self.runs_solved += 1;
                for (series, &value) in self.outputs.iter_mut().zip(values) {
                    let bin = series.key.measure.bin(value, series.reference);
                    series.histogram.add(bin, 1);
                }
            }
            Err(reason) => {
                self.runs_failed += 1;
                self.note_failures(std::iter::once(RunFailure {
                    run: record.draw.run,
                    reason: reason.clone(),
                }));
            }
        }
    }

    /// Keeps the failures with the lowest run numbers (the same whatever the order).
    pub(super) fn note_failures(&mut self, failures: impl Iterator<Item = RunFailure>) {
        self.failures.extend(failures);
        self.failures.sort_by_key(|failure| failure.run);
        self.failures.dedup_by_key(|failure| failure.run);
        self.failures.truncate(LISTED_FAILURES);
    }

    /// The output's series, if the sweep has it.
    pub fn series(&self, key: &OutputKey) -> Option<&OutputSeries> {
        self.outputs.iter().find(|series| series.key == *key)
    }
}
