//! The solver's settings, with documented defaults, and why a solve can fail as a whole.

use super::qp;
use crate::model::Problem;

/// Settings of the model and the solver, with documented defaults.
#[derive(Clone, Copy, Debug)]
pub struct SolverSettings {
    /// Share of a node's calibrated marginal cost that does not rise with output (β):
    /// `mc(x) = v·(β + (1 − β)·x/x*)`, so supply elasticity at the calibrated point is
    /// `1/(1 − β)`. Default 0.5 (elasticity 2; ESTIMATE).
    pub fixed_cost_share: f64,
    /// Demand elasticity used only while calibrating, so that the base year's prices come
    /// out at the data's prices and quantities absorb the data's small imbalances.
    /// Default 50.
    pub calibration_elasticity: f64,
    /// Separation cost before calibration, as a share of the oxide's price. Default 0.1.
    pub prior_separation_cost_share: f64,
    /// Magnet-making cost before calibration (US$/kg of magnet). Default 23 (the estimate
    /// behind the magnet reference price).
    pub prior_magnet_cost_usd_per_kg: f64,
    /// Threads for solving years in parallel. Default: the machine's cores (at most 4).
    pub threads: usize,
    pub qp: qp::QpSettings,
    /// What each year's solution holds. Default [`Detail::Full`].
    pub detail: Detail,
}

/// What each year's solution holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Everything the views read: markets, welfare, expansions and contracts, and every
    /// node's output, every flow and the origins of what each market buys.
    Full,
    /// Markets, welfare, expansions, releases and contracts only (what the next year
    /// starts from): no nodes, flows or origins. Sweeps and tornadoes read nothing else,
    /// and tracing origins took about a tenth of a sweep's time.
    Markets,
}

impl Default for SolverSettings {
    fn default() -> Self {
        Self {
            fixed_cost_share: 0.5,
            calibration_elasticity: 50.0,
            prior_separation_cost_share: 0.1,
            prior_magnet_cost_usd_per_kg: 23.0,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
            qp: qp::QpSettings::default(),
            detail: Detail::Full,
        }
    }
}

/// Why a scenario could not be solved at all.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error("the scenario has {} problem(s); the first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<Problem>),
    #[error("calibration failed: {0}")]
    Calibration(#[from] CalibrationError),
    #[error("cancelled")]
    Cancelled,
    /// A year's solve failed (a panic in its thread): the years are named rather than
    /// left out of the solution.
    #[error("the solver failed in {}: {message}", list_years(years))]
    YearFailed { years: Vec<i32>, message: String },
}

/// Why the base year could not be calibrated.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    /// The base year's reported outputs cannot all be produced and sold (the calibration
    /// problem's status says how it failed).
    #[error(
        "the {base_year} outputs the scenario reports cannot all be produced and sold \
         ({status:?}); check {base_year} capacities against reported output"
    )]
    ReportedOutputUnreachable {
        base_year: i32,
        status: qp::QpStatus,
    },
}

fn list_years(years: &[i32]) -> String {
    years
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
