//! The problem as the method iterates on it: fixed variables taken out, rows merged and
//! sorted, the data equilibrated.

use super::iterates::Iterates;
use super::{BoxQp, InteriorSolution, SCALE_LIMITS};

/// The problem after fixed variables are taken out and the data equilibrated.
pub(super) struct ScaledProblem {
    /// Variables left (`l < u`), by their index in the original problem.
    pub(super) variables: Vec<usize>,
    /// Values of the fixed variables, by original index (`NaN` for the others).
    pub(super) fixed_value: Vec<f64>,
    pub(super) quadratic: Vec<f64>,
    pub(super) linear: Vec<f64>,
    pub(super) lower: Vec<f64>,
    pub(super) upper: Vec<f64>,
    /// Rows over the remaining variables, merged and sorted by variable.
    pub(super) row_start: Vec<usize>,
    pub(super) columns: Vec<usize>,
    pub(super) coefficients: Vec<f64>,
    pub(super) rhs: Vec<f64>,
    pub(super) is_equality: Vec<bool>,
    /// Scale of each variable and row, and of the objective.
    pub(super) variable_scale: Vec<f64>,
    pub(super) row_scale: Vec<f64>,
    pub(super) cost_scale: f64,
    /// Number of complementarity pairs (bounds and inequality rows).
    pub(super) pairs: usize,
}

/// The scales an earlier equilibration found, by the original problem's variables and
/// rows (`NaN` where it had none: a fixed variable, an item its problem lacked).
#[derive(Clone, Copy)]
pub(super) struct KnownScales<'a> {
    pub(super) variables: &'a [f64],
    pub(super) rows: &'a [f64],
}

impl ScaledProblem {
    /// The problem equilibrated by `passes` of Ruiz (the tests' way in).
    #[cfg(test)]
    pub(super) fn new(problem: &BoxQp<'_>, passes: u32) -> Self {
        Self::with_scales(problem, passes, None)
    }

    /// The problem equilibrated with `known` scales where they cover every variable left
    /// and every row (a nearby problem's: the warm start's), else by `passes` of Ruiz.
    /// Scaling changes only the rounding of the answer, and the scales of a problem a
    /// slider move or a sampled input changed by a few per cent serve as well as its own:
    /// ten passes were about a tenth of a re-solve's instructions.
    pub(super) fn with_scales(
        problem: &BoxQp<'_>,
        passes: u32,
        known: Option<KnownScales<'_>>,
    ) -> Self {
        let n = problem.linear.len();
        let fixed_value: Vec<f64> = (0..n)
            .map(|j| {
                if problem.lower[j] == problem.upper[j] {
                    problem.lower[j]
                } else {
                    f64::NAN
                }
            })
            .collect();
        let variables: Vec<usize> = (0..n).filter(|&j| fixed_value[j].is_nan()).collect();
        let mut position = vec![usize::MAX; n];
        for (k, &j) in variables.iter().enumerate() {
            position[j] = k;
        }
        let m = problem.rhs.len();
        let mut row_start = vec![0];
        let mut columns = Vec::new();
        let mut coefficients = Vec::new();
        let mut rhs = problem.rhs.to_vec();
        let mut terms: Vec<(usize, f64)> = Vec::new();
        for (i, rhs_i) in rhs.iter_mut().enumerate() {
            terms.clear();
            for t in problem.row_start[i]..problem.row_start[i + 1] {
                let (j, a) = (problem.columns[t], problem.coefficients[t]);
                if fixed_value[j].is_nan() {
                    terms.push((position[j], a));
                } else {
                    *rhs_i -= a * fixed_value[j];
                }
            }
            terms.sort_by_key(|&(k, _)| k);
            for &(k, a) in &terms {
                if columns.len() > row_start[i] && columns.last() == Some(&k) {
                    *coefficients.last_mut().expect("a term") += a;
                } else {
                    columns.push(k);
                    coefficients.push(a);
                }
            }
            row_start.push(columns.len());
        }
        let pick = |values: &[f64]| variables.iter().map(|&j| values[j]).collect::<Vec<_>>();
        let mut scaled = Self {
            quadratic: pick(problem.quadratic),
            linear: pick(problem.linear),
            lower: pick(problem.lower),
            upper: pick(problem.upper),
            variable_scale: vec![1.0; variables.len()],
            row_scale: vec![1.0; m],
            cost_scale: 1.0,
            pairs: 0,
            variables,
            fixed_value,
            row_start,
            columns,
            coefficients,
            rhs,
            is_equality: problem.is_equality.to_vec(),
        };
        let reused = known.and_then(|known| scaled.known_scales(known));
        let (e, r) = reused.unwrap_or_else(|| scaled.ruiz(passes));
        scaled.apply_scales(e, r);
        scaled.pairs = scaled.lower.iter().filter(|l| l.is_finite()).count()
            + scaled.upper.iter().filter(|u| u.is_finite()).count()
            + scaled.is_equality.iter().filter(|&&e| !e).count();
        scaled
    }

    pub(super) fn variable_count(&self) -> usize {
        self.variables.len()
    }

    pub(super) fn row_count(&self) -> usize {
        self.rhs.len()
    }

    pub(super) fn row(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        (self.row_start[i]..self.row_start[i + 1]).map(|t| (self.columns[t], self.coefficients[t]))
    }

    /// `known`'s scales of this problem's variables and rows, where it has every one.
    fn known_scales(&self, known: KnownScales<'_>) -> Option<(Vec<f64>, Vec<f64>)> {
        let usable = |scale: &f64| scale.is_finite() && *scale > 0.0;
        if known.variables.len() != self.fixed_value.len() || known.rows.len() != self.row_count() {
            return None;
        }
        let e: Vec<f64> = self.variables.iter().map(|&j| known.variables[j]).collect();
        (e.iter().all(usable) && known.rows.iter().all(usable)).then(|| (e, known.rows.to_vec()))
    }

    /// Ruiz equilibration of `[D Aᵀ; A 0]`: each pass divides every column and row by the
    /// square root of its largest entry. Returns the variables' and rows' scales.
    fn ruiz(&self, passes: u32) -> (Vec<f64>, Vec<f64>) {
        let (n, m) = (self.variable_count(), self.row_count());
        let (mut e, mut r) = (vec![1.0; n], vec![1.0; m]);
        for _ in 0..passes {
            let mut column_norm: Vec<f64> = (0..n)
                .map(|j| (self.quadratic[j] * e[j] * e[j]).abs())
                .collect();
            let mut row_norm = vec![0.0_f64; m];
            for (i, norm) in row_norm.iter_mut().enumerate() {
                for (j, a) in self.row(i) {
                    let entry = (r[i] * a * e[j]).abs();
                    *norm = norm.max(entry);
                    column_norm[j] = column_norm[j].max(entry);
                }
            }
            let rescale = |scale: &mut f64, norm: f64| {
                if norm > 0.0 && norm.is_finite() {
                    *scale = (*scale / norm.sqrt()).clamp(SCALE_LIMITS.0, SCALE_LIMITS.1);
                }
            };
            e.iter_mut()
                .zip(&column_norm)
                .for_each(|(s, &v)| rescale(s, v));
            r.iter_mut()
                .zip(&row_norm)
                .for_each(|(s, &v)| rescale(s, v));
        }
        (e, r)
    }

    /// Scales the data in place by the variables' scales `e` and the rows' `r`, then the
    /// objective by one scale so that its largest coefficient is at most 1.
    fn apply_scales(&mut self, e: Vec<f64>, r: Vec<f64>) {
        for (i, &row_scale) in r.iter().enumerate() {
            for t in self.row_start[i]..self.row_start[i + 1] {
                self.coefficients[t] *= row_scale * e[self.columns[t]];
            }
            self.rhs[i] *= row_scale;
        }
        for (j, &scale) in e.iter().enumerate() {
            self.quadratic[j] *= scale * scale;
            self.linear[j] *= scale;
            self.lower[j] /= scale;
            self.upper[j] /= scale;
        }
        let largest = self
            .linear
            .iter()
            .chain(&self.quadratic)
            .fold(1.0_f64, |largest, v| largest.max(v.abs()));
        self.cost_scale = 1.0 / largest;
        self.linear.iter_mut().for_each(|c| *c *= self.cost_scale);
        self.quadratic
            .iter_mut()
            .for_each(|d| *d *= self.cost_scale);
        self.variable_scale = e;
        self.row_scale = r;
    }

    /// The solution in the original problem's units.
    pub(super) fn unscale(&self, iterates: &Iterates, iterations: u32) -> InteriorSolution {
        let mut values = self.fixed_value.clone();
        for (k, &j) in self.variables.iter().enumerate() {
            values[j] = iterates.x[k] * self.variable_scale[k];
        }
        let row_duals = (0..self.row_count())
            .map(|i| iterates.y[i] * self.row_scale[i] / self.cost_scale)
            .collect();
        InteriorSolution {
            values,
            row_duals,
            iterations,
            warm_point: None,
        }
    }
}
