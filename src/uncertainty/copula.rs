//! Correlated draws: a Gaussian copula over the inputs that take part in a correlation.
//!
//! Run k draws one standard normal per correlated input from its own stream, mixes them
//! with the Cholesky factor of the normal-scores correlation matrix, and turns each into
//! its input's value through the normal CDF and the input's inverse CDF (a log-normal
//! takes the normal score directly). Ranks, not values, are what the copula correlates, so
//! every input keeps its own distribution. Inputs in no correlation draw as in
//! [`super::sampler::draw_run`]; a scenario without correlations draws exactly as before.

use super::sampler::{Draw, InputDraw, SplitMix64, sample, value_at_unit};
use crate::model::uncertainty::{cholesky, correlation_matrix};
use crate::model::{Distribution, InputCorrelation, UncertainInput};

/// The correlated inputs (their indices among the scenario's inputs) and the Cholesky
/// factor of their normal-scores correlation matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Copula {
    members: Vec<usize>,
    lower: Vec<Vec<f64>>,
}

impl Copula {
    /// The copula of `correlations` over `inputs`: `None` when there are no correlations,
    /// an error naming the inputs when they cannot all hold at once.
    pub fn new(
        inputs: &[UncertainInput],
        correlations: &[InputCorrelation],
    ) -> Result<Option<Self>, String> {
        if correlations.is_empty() {
            return Ok(None);
        }
        let (ids, matrix) = correlation_matrix(inputs, correlations);
        let lower = cholesky(&matrix).ok_or_else(|| {
            format!(
                "the correlations between {} cannot all hold at once (the matrix is not \
                 positive definite)",
                ids.join(", ")
            )
        })?;
        let members = ids
            .iter()
            .filter_map(|id| inputs.iter().position(|input| input.id == *id))
            .collect();
        Ok(Some(Self { members, lower }))
    }
}

/// Run `run`'s draw of every input, correlated by `copula` when there is one.
pub fn draw_run_correlated(
    inputs: &[UncertainInput],
    copula: Option<&Copula>,
    seed: u64,
    run: u64,
) -> Draw {
    let Some(copula) = copula else {
        return super::sampler::draw_run(inputs, seed, run);
    };
    let mut stream = SplitMix64::for_run(seed, run);
    let independent: Vec<f64> = copula
        .members
        .iter()
        .map(|_| stream.next_standard_normal())
        .collect();
    let scores: Vec<f64> = copula
        .lower
        .iter()
        .map(|row| row.iter().zip(&independent).map(|(l, z)| l * z).sum())
        .collect();
    let values = inputs
        .iter()
        .enumerate()
        .map(
            |(index, input)| match copula.members.iter().position(|&member| member == index) {
                Some(slot) => from_normal_score(&input.distribution, scores[slot]),
                None => sample(&input.distribution, &mut stream),
            },
        )
        .collect();
    Draw { run, values }
}

/// The value whose cumulative probability is Φ(`score`).
fn from_normal_score(distribution: &Distribution, score: f64) -> InputDraw {
    match distribution {
        Distribution::LogNormal { median, sigma } => {
            InputDraw::Multiplier(median * (sigma * score).exp())
        }
        other => value_at_unit(other, normal_cdf(score)),
    }
}

/// Φ, the standard normal CDF, through erfc (Numerical Recipes' `erfcc`, fractional error
/// below 1.2e-7: far finer than any range's own precision).
pub fn normal_cdf(score: f64) -> f64 {
    let x = -score / std::f64::consts::SQRT_2;
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let erfc = if x >= 0.0 { erfc } else { 2.0 - erfc };
    0.5 * erfc
}
