//! How sure are we: Monte Carlo sweeps and tornado charts over a scenario's uncertain
//! inputs ([`crate::model::UncertainInput`]).
//!
//! A sweep draws every input together for each run from a seeded stream that depends only
//! on (seed, run) ([`sampler`]), applies the draw to the scenario ([`scenario_for_draw`]),
//! solves the full horizon and counts the outputs (price and shortfall share by region,
//! commodity and year, and welfare) into fixed-bin histograms ([`histogram`]). The
//! summary is small, independent of the number of runs, and merges exactly, so a sweep
//! split into shards on a cluster adds up to the one a single machine would make
//! ([`SweepSummary::merge`]). Quantiles (P5…P95) and the probability of a shortfall come
//! from the counts.
//!
//! Each run solves each year from the unperturbed run's warm start for that year
//! ([`crate::solver::solve_near`]): about a third fewer interior-point iterations, and the
//! same start wherever the run is solved, so shards still add up exactly. Sweeps solve at
//! [`SWEEP_TOLERANCE`], which settles steep markets' prices to 1e-4.
//!
//! [`run_sweep`] runs off the caller's thread pool (two runs at once), reports progress
//! and stops when its cancel flag is set: what the app's progress bar needs. No egui here.
//! Inputs a scenario correlates (`correlations`, rank correlations) are drawn together
//! through a Gaussian copula ([`copula`]); the tornado swings each input alone.
//!
//! [`defaults`] gives every number the data marks as a guess a range by the stated rules
//! of `assets/data/uncertainty_rules.csv`.

mod apply;
pub mod copula;
pub mod defaults;
pub mod histogram;
pub mod sampler;
mod state;
mod sweep;
mod tornado;

pub use apply::scenario_for_draw;
pub use copula::{Copula, draw_run_correlated};
pub use defaults::{default_ranges, missing_default_ranges, with_default_ranges};
pub use histogram::{Histogram, Measure};
pub use sampler::{Draw, InputDraw, draw_run};
pub use state::{QUANTILES, QuantileRow};
pub use sweep::{
    LISTED_FAILURES, OutputKey, OutputSeries, PARALLEL_RUNS, RunFailure, RunRecord,
    SWEEP_TOLERANCE, SweepError, SweepRequest, SweepSummary, Unperturbed, outputs_of, run_sweep,
    sweep_from_unperturbed, sweep_settings, sweep_with_records, unperturbed,
};
pub use tornado::{Tornado, TornadoBar, tornado};
