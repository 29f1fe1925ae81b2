//! The Newton system of each iteration, factorised with Clarabel's `qdldl`.

use clarabel::algebra::CscMatrix;
use clarabel::qdldl::{QDLDLFactorisation, QDLDLSettingsBuilder};

use super::REGULARISATION;
use super::iterates::Iterates;
use super::scaled::ScaledProblem;

/// The factorised Newton system: its pattern (upper triangle, variables first, then one
/// column per row holding the row's coefficients and its diagonal) is ordered and
/// analysed once; each iteration writes only the diagonal and refactorises.
pub(super) struct Kkt {
    factorisation: QDLDLFactorisation<f64>,
    /// Position of each column's diagonal entry in the matrix handed to `qdldl`.
    diagonal_entries: Vec<usize>,
    diagonal: Vec<f64>,
}

impl Kkt {
    pub(super) fn new(problem: &ScaledProblem) -> Option<Self> {
        let (n, m) = (problem.variable_count(), problem.row_count());
        let mut column_start = Vec::with_capacity(n + m + 1);
        let mut row_index = Vec::with_capacity(n + problem.columns.len() + m);
        let mut values = Vec::with_capacity(row_index.capacity());
        let mut diagonal_entries = Vec::with_capacity(n + m);
        column_start.push(0);
        for j in 0..n {
            diagonal_entries.push(row_index.len());
            row_index.push(j);
            values.push(1.0);
            column_start.push(row_index.len());
        }
        for i in 0..m {
            for (j, a) in problem.row(i) {
                row_index.push(j);
                values.push(a);
            }
            diagonal_entries.push(row_index.len());
            row_index.push(n + i);
            values.push(-1.0);
            column_start.push(row_index.len());
        }
        let matrix = CscMatrix::new(n + m, n + m, column_start, row_index, values);
        let signs: Vec<i8> = (0..n + m).map(|k| if k < n { 1 } else { -1 }).collect();
        let settings = QDLDLSettingsBuilder::default()
            .Dsigns(signs)
            .logical(true)
            .build()
            .ok()?;
        let factorisation = QDLDLFactorisation::new(&matrix, Some(settings)).ok()?;
        Some(Self {
            factorisation,
            diagonal_entries,
            diagonal: vec![0.0; n + m],
        })
    }

    /// Writes the diagonal of the Newton system at `at` and factorises it.
    pub(super) fn factor(&mut self, problem: &ScaledProblem, at: &Iterates) -> Option<()> {
        let n = problem.variable_count();
        for j in 0..n {
            let mut d = problem.quadratic[j] + REGULARISATION;
            if problem.lower[j].is_finite() {
                d += at.lower_dual[j] / (at.x[j] - problem.lower[j]);
            }
            if problem.upper[j].is_finite() {
                d += at.upper_dual[j] / (problem.upper[j] - at.x[j]);
            }
            self.diagonal[j] = d;
        }
        for i in 0..problem.row_count() {
            self.diagonal[n + i] = if problem.is_equality[i] {
                -REGULARISATION
            } else {
                -(at.s[i] / at.y[i] + REGULARISATION)
            };
        }
        if !self.diagonal.iter().all(|d| d.is_finite()) {
            return None;
        }
        self.factorisation
            .update_values(&self.diagonal_entries, &self.diagonal);
        self.factorisation.refactor().ok()
    }

    pub(super) fn solve(&mut self, rhs: &mut [f64]) {
        self.factorisation.solve(rhs);
    }
}
