//! How far to go along a direction: separate primal and dual step lengths, the
//! complementarity each direction aims at, and Gondzio's centrality corrector.
//!
//! Separate step lengths and one centrality corrector took the iterations on the 14 year
//! problems of the shipped scenarios from 409 to 323 in a prototype (Gondzio 1996,
//! "Multiple centrality corrections in a primal-dual method for linear programming",
//! Comput. Optim. Appl. 6; as HOPDM and HiGHS's IPX use them). Each iteration costs one
//! factorisation and two or three solves with it, so fewer iterations are what pays.

use super::iterates::{Direction, Iterates};
use super::scaled::ScaledProblem;

/// Products a corrector leaves alone: within `[BETA_MIN, BETA_MAX]` times the target.
const BETA_MIN: f64 = 0.1;
const BETA_MAX: f64 = 10.0;
/// A corrected direction is taken when it lengthens the step by at least this factor.
const ACCEPT_FACTOR: f64 = 1.01;

/// Step lengths in `[0, 1]`: `primal` for the variables and slacks, `dual` for the rows'
/// and bounds' duals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Steps {
    pub(super) primal: f64,
    pub(super) dual: f64,
}

impl Steps {
    /// Each step times `fraction`, at most 1.
    pub(super) fn times(self, fraction: f64) -> Self {
        Self {
            primal: (fraction * self.primal).min(1.0),
            dual: (fraction * self.dual).min(1.0),
        }
    }

    fn shortest(self) -> f64 {
        self.primal.min(self.dual)
    }

    /// Whether steps of `self` along a corrected direction are worth taking instead of
    /// `before`: the shorter grows by [`ACCEPT_FACTOR`], or the sum grows by it while the
    /// shorter does not shrink.
    pub(super) fn improve_on(self, before: Self) -> bool {
        self.shortest() >= ACCEPT_FACTOR * before.shortest()
            || (self.primal + self.dual >= ACCEPT_FACTOR * (before.primal + before.dual)
                && self.shortest() >= before.shortest())
    }
}

/// A value per complementarity pair: lower bounds, upper bounds and inequality rows (zero
/// where the bound is infinite or the row an equality).
pub(super) struct Complementarity {
    pub(super) lower: Vec<f64>,
    pub(super) upper: Vec<f64>,
    pub(super) slack: Vec<f64>,
}

impl Complementarity {
    pub(super) fn new(problem: &ScaledProblem) -> Self {
        let (n, m) = (problem.variable_count(), problem.row_count());
        Self {
            lower: vec![0.0; n],
            upper: vec![0.0; n],
            slack: vec![0.0; m],
        }
    }
}

impl Iterates {
    /// The longest steps in `[0, 1]` along `d` that keep every bound gap and slack
    /// (primal) and every dual of a complementarity pair (dual) non-negative.
    pub(super) fn steps_to_boundary(&self, problem: &ScaledProblem, d: &Direction) -> Steps {
        // Without branches, so that the loop over the variables vectorises: a change that
        // is not negative gives an infinite ratio, which never limits; so does an infinite
        // bound, whose gap is infinite and whose dual and its change are exactly zero.
        let ratio = |value: f64, change: f64| {
            if change < 0.0 {
                -value / change
            } else {
                f64::INFINITY
            }
        };
        let (mut primal, mut dual) = (1.0_f64, 1.0_f64);
        for j in 0..self.x.len() {
            let to_lower = ratio(self.x[j] - problem.lower[j], d.x[j]);
            let to_upper = ratio(problem.upper[j] - self.x[j], -d.x[j]);
            primal = primal.min(to_lower.min(to_upper));
            let lower_dual = ratio(self.lower_dual[j], d.lower_dual[j]);
            let upper_dual = ratio(self.upper_dual[j], d.upper_dual[j]);
            dual = dual.min(lower_dual.min(upper_dual));
        }
        for i in 0..self.y.len() {
            if !problem.is_equality[i] {
                primal = primal.min(ratio(self.s[i], d.s[i]));
                dual = dual.min(ratio(self.y[i], d.y[i]));
            }
        }
        Steps { primal, dual }
    }

    /// Calls `each(product)` with every complementarity product after `steps` along `d`.
    fn products_after(
        &self,
        problem: &ScaledProblem,
        d: &Direction,
        steps: Steps,
        mut each: impl FnMut(Pair, usize, f64),
    ) {
        let (p, q) = (steps.primal, steps.dual);
        for j in 0..self.x.len() {
            let x = self.x[j] + p * d.x[j];
            if problem.lower[j].is_finite() {
                let product = (x - problem.lower[j]) * (self.lower_dual[j] + q * d.lower_dual[j]);
                each(Pair::Lower, j, product);
            }
            if problem.upper[j].is_finite() {
                let product = (problem.upper[j] - x) * (self.upper_dual[j] + q * d.upper_dual[j]);
                each(Pair::Upper, j, product);
            }
        }
        for i in 0..self.y.len() {
            if !problem.is_equality[i] {
                each(
                    Pair::Slack,
                    i,
                    (self.s[i] + p * d.s[i]) * (self.y[i] + q * d.y[i]),
                );
            }
        }
    }

    /// The mean complementarity product after `steps` along `d`.
    pub(super) fn complementarity_after(
        &self,
        problem: &ScaledProblem,
        d: &Direction,
        steps: Steps,
    ) -> f64 {
        let mut products = 0.0;
        self.products_after(problem, d, steps, |_, _, product| products += product);
        products / problem.pairs.max(1) as f64
    }

    /// How far each product must move to reach `target`, less the predictor's
    /// second-order products when `affine` is given (Mehrotra's corrector).
    pub(super) fn change_towards(
        &self,
        problem: &ScaledProblem,
        target: f64,
        affine: Option<&Direction>,
        out: &mut Complementarity,
    ) {
        for j in 0..self.x.len() {
            let (l, u) = (problem.lower[j], problem.upper[j]);
            out.lower[j] = if l.is_finite() {
                let second_order = affine.map_or(0.0, |d| d.x[j] * d.lower_dual[j]);
                target - (self.x[j] - l) * self.lower_dual[j] - second_order
            } else {
                0.0
            };
            out.upper[j] = if u.is_finite() {
                let second_order = affine.map_or(0.0, |d| -d.x[j] * d.upper_dual[j]);
                target - (u - self.x[j]) * self.upper_dual[j] - second_order
            } else {
                0.0
            };
        }
        for i in 0..self.y.len() {
            out.slack[i] = if problem.is_equality[i] {
                0.0
            } else {
                let second_order = affine.map_or(0.0, |d| d.s[i] * d.y[i]);
                target - self.s[i] * self.y[i] - second_order
            };
        }
    }

    /// Gondzio's centrality correction: looks at the products after steps of `trial`
    /// along `d` and adds to `change` what brings the products outside
    /// `[BETA_MIN, BETA_MAX] × target` back to the nearer end (a product far above is
    /// pulled down by at most `BETA_MAX × target`).
    pub(super) fn centrality_correction(
        &self,
        problem: &ScaledProblem,
        d: &Direction,
        trial: Steps,
        target: f64,
        change: &mut Complementarity,
    ) {
        let (low, high) = (BETA_MIN * target, BETA_MAX * target);
        self.products_after(problem, d, trial, |pair, k, product| {
            let push = if product < low {
                low - product
            } else if product > high {
                (high - product).max(-high)
            } else {
                0.0
            };
            match pair {
                Pair::Lower => change.lower[k] += push,
                Pair::Upper => change.upper[k] += push,
                Pair::Slack => change.slack[k] += push,
            }
        });
    }

    /// Moves the primal iterates by `steps.primal` and the dual ones by `steps.dual`
    /// along `d`.
    pub(super) fn take(&mut self, d: &Direction, steps: Steps) {
        let add = |values: &mut [f64], change: &[f64], length: f64| {
            values
                .iter_mut()
                .zip(change)
                .for_each(|(v, c)| *v += length * c);
        };
        add(&mut self.x, &d.x, steps.primal);
        add(&mut self.s, &d.s, steps.primal);
        add(&mut self.y, &d.y, steps.dual);
        add(&mut self.lower_dual, &d.lower_dual, steps.dual);
        add(&mut self.upper_dual, &d.upper_dual, steps.dual);
    }
}

/// Which kind of complementarity pair a product belongs to.
#[derive(Clone, Copy)]
enum Pair {
    Lower,
    Upper,
    Slack,
}
