//! The iterates of the method, its search directions and its residuals.

use super::InteriorSettings;
use super::kkt::Kkt;
use super::scaled::ScaledProblem;
use super::steps::Complementarity;

/// Primal and dual iterates. `y` holds every row's dual (≥ 0 on inequality rows), `s`
/// every row's slack (0 on equality rows); `lower_dual`/`upper_dual` are the bounds' duals
/// (0 where a bound is infinite).
pub(super) struct Iterates {
    pub(super) x: Vec<f64>,
    pub(super) y: Vec<f64>,
    pub(super) s: Vec<f64>,
    pub(super) lower_dual: Vec<f64>,
    pub(super) upper_dual: Vec<f64>,
}

/// A search direction: a change of every iterate, in the same layout.
pub(super) type Direction = Iterates;

/// Reciprocal bound gaps `1/(x − l)`, `1/(u − x)` and inequality duals `1/y` at the
/// current iterates (zero where a bound is infinite or a row an equality).
pub(super) struct InverseGaps {
    pub(super) lower: Vec<f64>,
    pub(super) upper: Vec<f64>,
    pub(super) dual: Vec<f64>,
}

impl InverseGaps {
    pub(super) fn new(problem: &ScaledProblem) -> Self {
        let (n, m) = (problem.variable_count(), problem.row_count());
        Self {
            lower: vec![0.0; n],
            upper: vec![0.0; n],
            dual: vec![0.0; m],
        }
    }
}

/// Residuals of the optimality conditions at the current iterates.
pub(super) struct Residuals {
    /// `D x + c + Aᵀ y − λ_l + λ_u`.
    pub(super) dual: Vec<f64>,
    /// `A x + s − b`.
    pub(super) primal: Vec<f64>,
    /// Mean complementarity product.
    pub(super) mu: f64,
    pub(super) objective: f64,
}

impl Residuals {
    pub(super) fn new(problem: &ScaledProblem) -> Self {
        Self {
            dual: vec![0.0; problem.variable_count()],
            primal: vec![0.0; problem.row_count()],
            mu: 0.0,
            objective: 0.0,
        }
    }

    /// The primal and dual residuals relative to the right-hand sides and costs, and the
    /// absolute gap (complementarity summed over every pair).
    fn relative(&self, problem: &ScaledProblem) -> (f64, f64, f64) {
        let largest = |values: &[f64]| values.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
        (
            largest(&self.primal) / (1.0 + largest(&problem.rhs)),
            largest(&self.dual) / (1.0 + largest(&problem.linear)),
            self.mu * problem.pairs as f64,
        )
    }

    pub(super) fn print(&self, problem: &ScaledProblem, iteration: u32) {
        let (primal, dual, gap) = self.relative(problem);
        eprintln!(
            "interior point {iteration:>3}: primal {primal:.2e} dual {dual:.2e} gap {gap:.2e} \
             objective {:.8e}",
            self.objective
        );
    }

    pub(super) fn is_finite(&self) -> bool {
        self.mu.is_finite()
            && self.objective.is_finite()
            && self.dual.iter().chain(&self.primal).all(|v| v.is_finite())
    }

    /// The largest of the relative primal and dual residuals and the relative gap.
    pub(super) fn merit(&self, problem: &ScaledProblem) -> f64 {
        let (primal, dual, gap) = self.relative(problem);
        primal.max(dual).max(gap / (1.0 + self.objective.abs()))
    }

    pub(super) fn converged(&self, problem: &ScaledProblem, settings: &InteriorSettings) -> bool {
        let (primal, dual, gap) = self.relative(problem);
        primal <= settings.tolerance_feasibility
            && dual <= settings.tolerance_feasibility
            && (gap <= settings.tolerance_gap
                || gap <= settings.tolerance_gap * self.objective.abs())
    }
}

/// Where a cold start puts a variable with bounds `l` and `u`: one scaled unit from a
/// single bound, midway between two, at zero when free.
pub(super) fn cold_value(l: f64, u: f64) -> f64 {
    match (l.is_finite(), u.is_finite()) {
        (true, true) => 0.5 * (l + u),
        (true, false) => l + 1.0,
        (false, true) => u - 1.0,
        (false, false) => 0.0,
    }
}

impl Iterates {
    /// A strictly interior start: each variable inside its bounds (one scaled unit from a
    /// single bound, midway between two), every slack and bound dual at 1; `None` where
    /// bounds cross (no interior: Clarabel says the problem is infeasible).
    pub(super) fn start(problem: &ScaledProblem) -> Option<Self> {
        if (0..problem.variable_count()).any(|j| problem.lower[j] > problem.upper[j]) {
            return None;
        }
        let x: Vec<f64> = (0..problem.variable_count())
            .map(|j| cold_value(problem.lower[j], problem.upper[j]))
            .collect();
        let s = (0..problem.row_count())
            .map(|i| {
                if problem.is_equality[i] {
                    0.0
                } else {
                    let activity: f64 = problem.row(i).map(|(j, a)| a * x[j]).sum();
                    (problem.rhs[i] - activity).max(1.0)
                }
            })
            .collect();
        let y = problem
            .is_equality
            .iter()
            .map(|&e| if e { 0.0 } else { 1.0 })
            .collect();
        let bound_dual = |bounds: &[f64]| {
            bounds
                .iter()
                .map(|b| if b.is_finite() { 1.0 } else { 0.0 })
                .collect()
        };
        Some(Self {
            lower_dual: bound_dual(&problem.lower),
            upper_dual: bound_dual(&problem.upper),
            x,
            y,
            s,
        })
    }

    /// An all-zero direction of the problem's shape, to be filled by [`Self::direction`].
    pub(super) fn zeros(problem: &ScaledProblem) -> Direction {
        let (n, m) = (problem.variable_count(), problem.row_count());
        Direction {
            x: vec![0.0; n],
            y: vec![0.0; m],
            s: vec![0.0; m],
            lower_dual: vec![0.0; n],
            upper_dual: vec![0.0; n],
        }
    }

    /// Copies `other` (of the same shape) into `self`.
    pub(super) fn copy_from(&mut self, other: &Self) {
        self.x.copy_from_slice(&other.x);
        self.y.copy_from_slice(&other.y);
        self.s.copy_from_slice(&other.s);
        self.lower_dual.copy_from_slice(&other.lower_dual);
        self.upper_dual.copy_from_slice(&other.upper_dual);
    }

    /// The residuals at the iterates, written into `out` (whose vectors have the
    /// problem's shape) so that no iteration allocates.
    pub(super) fn residuals(&self, problem: &ScaledProblem, out: &mut Residuals) {
        let n = problem.variable_count();
        for (j, dual_j) in out.dual.iter_mut().enumerate() {
            *dual_j = problem.quadratic[j] * self.x[j] + problem.linear[j] - self.lower_dual[j]
                + self.upper_dual[j];
        }
        for (i, primal_i) in out.primal.iter_mut().enumerate() {
            let mut activity = 0.0;
            for (j, a) in problem.row(i) {
                activity += a * self.x[j];
                out.dual[j] += a * self.y[i];
            }
            *primal_i = activity + self.s[i] - problem.rhs[i];
        }
        let mut products = 0.0;
        for j in 0..n {
            if problem.lower[j].is_finite() {
                products += (self.x[j] - problem.lower[j]) * self.lower_dual[j];
            }
            if problem.upper[j].is_finite() {
                products += (problem.upper[j] - self.x[j]) * self.upper_dual[j];
            }
        }
        for i in 0..problem.row_count() {
            if !problem.is_equality[i] {
                products += self.s[i] * self.y[i];
            }
        }
        out.objective = (0..n)
            .map(|j| (problem.linear[j] + 0.5 * problem.quadratic[j] * self.x[j]) * self.x[j])
            .sum();
        out.mu = products / problem.pairs.max(1) as f64;
    }

    /// The reciprocals of every bound gap and inequality dual at the iterates (zero where
    /// the bound is infinite or the row an equality): each iteration divides once, and the
    /// Newton system and both directions multiply.
    pub(super) fn inverse_gaps(&self, problem: &ScaledProblem, out: &mut InverseGaps) {
        // An infinite bound's gap is infinite and its reciprocal exactly zero: no branch.
        for j in 0..self.x.len() {
            out.lower[j] = 1.0 / (self.x[j] - problem.lower[j]);
            out.upper[j] = 1.0 / (problem.upper[j] - self.x[j]);
        }
        for i in 0..self.y.len() {
            out.dual[i] = if problem.is_equality[i] {
                0.0
            } else {
                1.0 / self.y[i]
            };
        }
    }

    /// The Newton direction whose complementarity products move by `change` (pair by pair:
    /// `λ Δw + w Δλ = change`), written into `out`.
    pub(super) fn direction(
        &self,
        problem: &ScaledProblem,
        kkt: &mut Kkt,
        residuals: &Residuals,
        inverse: &InverseGaps,
        change: &Complementarity,
        out: &mut Direction,
    ) {
        let (n, m) = (problem.variable_count(), problem.row_count());
        // The change of each bound dual before the step in x is known, kept in `out`;
        // the right-hand side of the Newton system in `out.x` and `out.y`.
        for j in 0..n {
            out.lower_dual[j] = change.lower[j] * inverse.lower[j];
            out.upper_dual[j] = change.upper[j] * inverse.upper[j];
            out.x[j] = -residuals.dual[j] + out.lower_dual[j] - out.upper_dual[j];
        }
        for i in 0..m {
            out.s[i] = change.slack[i] * inverse.dual[i];
            out.y[i] = -residuals.primal[i] - out.s[i];
        }
        kkt.solve(&mut out.x, &mut out.y);
        for j in 0..n {
            out.lower_dual[j] -= self.lower_dual[j] * out.x[j] * inverse.lower[j];
            out.upper_dual[j] += self.upper_dual[j] * out.x[j] * inverse.upper[j];
        }
        for i in 0..m {
            out.s[i] -= self.s[i] * out.y[i] * inverse.dual[i];
        }
    }
}
