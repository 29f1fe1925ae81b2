//! Warm starts: an iterate partway through one solve, kept in the original problem's units,
//! from which a nearby problem starts instead of from the cold point.
//!
//! The iterate is the first whose merit (largest relative residual or gap) is at most
//! [`WARM_MERIT`]: far enough from the boundary that a perturbed problem's answer is still
//! ahead of it, far enough along that the first iterations' work is not repeated. On the
//! years of a 100-run sweep of `in-force-2026.ron` whose problems had the unperturbed
//! year's shape, starting from it took 15.5 iterations where a cold start took 22.8
//! (merits of 1 to 0.03 all gave 15.5 to 15.8; 1e-3 gave 19.5, 1e-4 21.7: an iterate
//! close to the old answer sits on the old active set, and leaving it costs more than it
//! saves). Matched by name, every year of 300 runs starts warm, in 15.6 on average.
//!
//! Each complementarity pair is moved off the boundary so that its product is at least
//! the point's mean product: the gap is moved where the dual is large (an active bound),
//! the dual where the gap is large (an inactive one), as Gondzio and Grothey's shifts do
//! ("Reoptimization with the primal-dual interior point method", SIAM J. Optim. 13, 2002).
//! A variable or row the old problem did not have starts as it would cold.

use super::iterates::{Iterates, cold_value};
use super::scaled::ScaledProblem;

/// The merit at which an iterate is kept for warm starts.
pub(crate) const WARM_MERIT: f64 = 0.1;

/// An iterate in the original problem's units and indexing (fixed variables included),
/// with its mean complementarity product. `NaN` marks a value the point does not have
/// (a variable or row of a problem it was mapped to that its own problem lacked).
#[derive(Clone, Debug)]
pub(crate) struct WarmPoint {
    x: Vec<f64>,
    y: Vec<f64>,
    s: Vec<f64>,
    lower_dual: Vec<f64>,
    upper_dual: Vec<f64>,
    /// Mean complementarity product, in the original objective's units.
    mu: f64,
}

impl WarmPoint {
    /// The iterate `at` of `problem`, with mean product `mu`, in original units.
    pub(super) fn record(problem: &ScaledProblem, at: &Iterates, mu: f64) -> Self {
        let n = problem.fixed_value.len();
        let mut x = problem.fixed_value.clone();
        let (mut lower_dual, mut upper_dual) = (vec![0.0; n], vec![0.0; n]);
        for (k, &j) in problem.variables.iter().enumerate() {
            let e = problem.variable_scale[k];
            x[j] = at.x[k] * e;
            lower_dual[j] = at.lower_dual[k] / (e * problem.cost_scale);
            upper_dual[j] = at.upper_dual[k] / (e * problem.cost_scale);
        }
        let r = &problem.row_scale;
        Self {
            x,
            y: (0..r.len())
                .map(|i| at.y[i] * r[i] / problem.cost_scale)
                .collect(),
            s: (0..r.len()).map(|i| at.s[i] / r[i]).collect(),
            lower_dual,
            upper_dual,
            mu: mu / problem.cost_scale,
        }
    }

    /// The point for another problem whose variable `j` is this point's `variables[j]`
    /// and whose row `i` is its `rows[i]` (`None`: new, given `NaN`).
    pub(crate) fn mapped(&self, variables: &[Option<usize>], rows: &[Option<usize>]) -> Self {
        let pick = |values: &[f64], map: &[Option<usize>]| {
            map.iter()
                .map(|k| k.map_or(f64::NAN, |k| values[k]))
                .collect()
        };
        Self {
            x: pick(&self.x, variables),
            y: pick(&self.y, rows),
            s: pick(&self.s, rows),
            lower_dual: pick(&self.lower_dual, variables),
            upper_dual: pick(&self.upper_dual, variables),
            mu: self.mu,
        }
    }

    /// The point's mean complementarity product in `problem`'s scaled units.
    pub(super) fn mu_in(&self, problem: &ScaledProblem) -> f64 {
        self.mu * problem.cost_scale
    }

    /// A strictly interior start for `problem` near this point; `None` where the point
    /// is not of the problem's size or gives no usable product.
    pub(super) fn start(&self, problem: &ScaledProblem) -> Option<Iterates> {
        let mu = self.mu_in(problem);
        let sized =
            self.x.len() == problem.fixed_value.len() && self.y.len() == problem.row_count();
        if !(sized && mu > 0.0 && mu.is_finite()) {
            return None;
        }
        let floor = mu.sqrt();
        // The smallest gap that gives a pair with dual `dual` the product `mu`.
        let least_gap = |dual: f64| mu / dual.max(floor);
        let known = |value: f64, otherwise: f64| if value.is_nan() { otherwise } else { value };
        let mut start = Iterates::zeros(problem);
        for (k, &j) in problem.variables.iter().enumerate() {
            let (e, c) = (problem.variable_scale[k], problem.cost_scale);
            let (l, u) = (problem.lower[k], problem.upper[k]);
            let lower_dual = known(self.lower_dual[j], 0.0) * e * c;
            let upper_dual = known(self.upper_dual[j], 0.0) * e * c;
            let (from, to) = (l + least_gap(lower_dual), u - least_gap(upper_dual));
            // A new variable starts where a cold start puts it.
            let x = if from <= to {
                known(self.x[j] / e, cold_value(l, u)).clamp(from, to)
            } else {
                0.5 * (l + u)
            };
            start.x[k] = x;
            if l.is_finite() {
                start.lower_dual[k] = lower_dual.max(mu / (x - l));
            }
            if u.is_finite() {
                start.upper_dual[k] = upper_dual.max(mu / (u - x));
            }
        }
        for i in 0..problem.row_count() {
            let r = problem.row_scale[i];
            let y = known(self.y[i], 0.0) * problem.cost_scale / r;
            if problem.is_equality[i] {
                start.y[i] = y;
            } else {
                let s = (known(self.s[i], 1.0 / r) * r).max(least_gap(y));
                start.s[i] = s;
                start.y[i] = y.max(mu / s);
            }
        }
        let finite = start
            .x
            .iter()
            .chain(&start.y)
            .chain(&start.s)
            .chain(&start.lower_dual)
            .chain(&start.upper_dual)
            .all(|v| v.is_finite());
        finite.then_some(start)
    }
}
