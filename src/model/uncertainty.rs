//! Uncertain inputs: a range and a distribution on a number the scenario already holds.
//!
//! Half the numbers a planner drags are guesses. An [`UncertainInput`] says how far one of
//! them may be off: a node's capacity or start year, a commodity's demand elasticity or
//! growth, a policy's severity, an expansion option's capital cost or lead time. A sweep
//! (`crate::uncertainty`) draws every input together, run after run.
//!
//! Continuous draws are **multipliers** of the scenario's value (1.0 = the value as it is),
//! so a range survives edits of the value: a capacity of 20 kt/yr with a range of
//! 0.7–1.1 is 14–22 kt/yr, and 14.7–23.1 kt/yr after the capacity is edited to 21 kt/yr.
//! A start year instead slips by whole years drawn from a discrete distribution.

use serde::{Deserialize, Serialize};

/// One uncertain number of the scenario, with where its range comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertainInput {
    /// Unique among the scenario's uncertain inputs, e.g. `lynas-texas-start`.
    pub id: String,
    /// For people: "Lynas Texas start year".
    pub label: String,
    pub target: UncertainTarget,
    pub distribution: Distribution,
    /// Where the range comes from (required, like every parameter's source).
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

/// Which number of the scenario an input varies; each names an existing item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum UncertainTarget {
    /// A node's nameplate capacity (a refinery's circuits scale with it), multiplied.
    NodeCapacity { node: String },
    /// A node's first year of output (with its later circuits and phases), slipped by
    /// whole years.
    NodeStartYear { node: String },
    /// Every region's short-run (and long-run) demand elasticity of a commodity, multiplied.
    DemandElasticity { commodity: String },
    /// Every region's yearly demand growth of a commodity, multiplied.
    DemandGrowth { commodity: String },
    /// A policy's severity, multiplied: an export quota's tonnes or licence share (a share
    /// capped at 1), an import tariff's rate, a production quota's tonnes.
    PolicySeverity { policy: String },
    /// An expansion option's capital cost per t/yr, multiplied.
    ExpansionCapitalCost { option: String },
    /// An expansion option's lead time, multiplied and rounded to whole years.
    ExpansionLeadTime { option: String },
}

impl UncertainTarget {
    /// Whether the target is drawn as a year slip (else as a multiplier).
    pub fn is_year_slip(&self) -> bool {
        matches!(self, UncertainTarget::NodeStartYear { .. })
    }

    /// What the target varies, for people and CSV: "capacity of node X".
    pub fn describe(&self) -> String {
        match self {
            UncertainTarget::NodeCapacity { node } => format!("capacity of node {node}"),
            UncertainTarget::NodeStartYear { node } => format!("start year of node {node}"),
            UncertainTarget::DemandElasticity { commodity } => {
                format!("demand elasticity of {commodity}")
            }
            UncertainTarget::DemandGrowth { commodity } => format!("demand growth of {commodity}"),
            UncertainTarget::PolicySeverity { policy } => format!("severity of policy {policy}"),
            UncertainTarget::ExpansionCapitalCost { option } => {
                format!("capital cost of expansion option {option}")
            }
            UncertainTarget::ExpansionLeadTime { option } => {
                format!("lead time of expansion option {option}")
            }
        }
    }
}

/// An id for a new input on `target` that `taken` does not hold yet: `<item>-start`,
/// `<item>-capacity`, …, then `-2`, `-3`… (the inspector and the spreadsheet import name
/// new ranges alike).
pub fn fresh_input_id(target: &UncertainTarget, taken: impl Fn(&str) -> bool) -> String {
    let stem = match target {
        UncertainTarget::NodeCapacity { node } => format!("{node}-capacity"),
        UncertainTarget::NodeStartYear { node } => format!("{node}-start"),
        UncertainTarget::DemandElasticity { commodity } => format!("{commodity}-elasticity"),
        UncertainTarget::DemandGrowth { commodity } => format!("{commodity}-growth"),
        UncertainTarget::PolicySeverity { policy } => format!("{policy}-severity"),
        UncertainTarget::ExpansionCapitalCost { option } => format!("{option}-cost"),
        UncertainTarget::ExpansionLeadTime { option } => format!("{option}-lead"),
    };
    let mut id = stem.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{stem}-{n}");
        n += 1;
    }
    id
}

/// How an input's draw is distributed. Continuous ones are multipliers of the scenario's
/// value; [`Distribution::YearSlip`] is years added to a start year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Distribution {
    /// Every multiplier in [low, high] equally likely.
    Uniform { low: f64, high: f64 },
    /// A triangle from `low` through its peak at `mode` to `high`.
    Triangular { low: f64, mode: f64, high: f64 },
    /// `median · exp(sigma · Z)`, Z standard normal: a right-skewed multiplier.
    LogNormal { median: f64, sigma: f64 },
    /// Years added to a start year, each with its probability (summing to 1).
    YearSlip(Vec<YearSlip>),
}

/// One outcome of a start-year slip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearSlip {
    /// Years added to the start year (0 = on time; negative = early).
    pub years: i32,
    pub probability: f64,
}

/// How far slip probabilities may sum away from 1.
pub const PROBABILITY_TOLERANCE: f64 = 1e-6;

/// A rank (Spearman) correlation between two uncertain inputs' draws, sampled with a
/// Gaussian copula: two licence caps set by one ministry, say, or two projects financed by
/// one lender, move together rather than independently.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputCorrelation {
    /// The ids of the two inputs (different ones).
    pub first: String,
    pub second: String,
    /// In [-1, 1]: 1 = always ranked alike, −1 = ranked opposite, 0 = independent.
    pub rank_correlation: f64,
    pub source: String,
}

/// The normal-scores (Pearson) correlation whose Gaussian copula has rank correlation
/// `rank_correlation`: 2 sin(π ρ_s / 6) (Pearson 1907; Kruskal 1958).
pub fn normal_correlation(rank_correlation: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rank_correlation / 6.0).sin()
}

/// The ids of the inputs that take part in any correlation, in the scenario's order of
/// `inputs`, and the normal-scores correlation matrix between them.
pub fn correlation_matrix(
    inputs: &[UncertainInput],
    correlations: &[InputCorrelation],
) -> (Vec<String>, Vec<Vec<f64>>) {
    let ids: Vec<String> = inputs
        .iter()
        .map(|input| input.id.clone())
        .filter(|id| {
            correlations
                .iter()
                .any(|pair| pair.first == *id || pair.second == *id)
        })
        .collect();
    let position = |id: &str| ids.iter().position(|known| known == id);
    let mut matrix: Vec<Vec<f64>> = (0..ids.len())
        .map(|row| (0..ids.len()).map(|col| f64::from(row == col)).collect())
        .collect();
    for pair in correlations {
        if let (Some(a), Some(b)) = (position(&pair.first), position(&pair.second))
            && a != b
        {
            let value = normal_correlation(pair.rank_correlation);
            matrix[a][b] = value;
            matrix[b][a] = value;
        }
    }
    (ids, matrix)
}

/// The lower-triangular L with L·Lᵀ = `matrix`, or `None` when the matrix is not
/// positive definite (no set of random numbers can have those correlations at once).
pub fn cholesky(matrix: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = matrix.len();
    let mut lower = vec![vec![0.0; n]; n];
    for row in 0..n {
        for col in 0..=row {
            let dot: f64 = (0..col).map(|k| lower[row][k] * lower[col][k]).sum();
            if row == col {
                let pivot = matrix[row][row] - dot;
                // A pivot this small is a matrix that is singular in all but rounding.
                if pivot.is_nan() || pivot <= 1e-10 {
                    return None;
                }
                lower[row][col] = pivot.sqrt();
            } else {
                lower[row][col] = (matrix[row][col] - dot) / lower[col][col];
            }
        }
    }
    Some(lower)
}
