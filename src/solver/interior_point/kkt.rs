//! The Newton system of each iteration, factorised with Clarabel's `qdldl`.

use std::cell::RefCell;

use clarabel::algebra::CscMatrix;
use clarabel::qdldl::{QDLDLFactorisation, QDLDLSettingsBuilder};

use super::REGULARISATION;
use super::iterates::{InverseGaps, Iterates};
use super::scaled::ScaledProblem;

/// Fill-reducing orderings already computed on this thread, most recent first: a year's
/// Newton system has the same pattern in every run of a sweep and after every slider move
/// that changes no fixed variable, and AMD took 6 % of a sweep's time. AMD is
/// deterministic, so a cached ordering is exactly the one it would compute again.
struct Ordering {
    column_start: Vec<usize>,
    row_index: Vec<usize>,
    permutation: Vec<usize>,
}

/// How many patterns each thread remembers (a horizon has one to a dozen; a sweep's
/// sampled start years add a few per year).
const ORDERINGS_KEPT: usize = 64;

thread_local! {
    static ORDERINGS: RefCell<Vec<Ordering>> = const { RefCell::new(Vec::new()) };
}

/// The cached ordering of the pattern, if this thread has met it.
fn cached_ordering(column_start: &[usize], row_index: &[usize]) -> Option<Vec<usize>> {
    ORDERINGS.with_borrow_mut(|orderings| {
        let found = orderings
            .iter()
            .position(|o| o.column_start == column_start && o.row_index == row_index)?;
        let ordering = orderings.remove(found);
        let permutation = ordering.permutation.clone();
        orderings.insert(0, ordering);
        Some(permutation)
    })
}

fn remember_ordering(column_start: &[usize], row_index: &[usize], permutation: &[usize]) {
    ORDERINGS.with_borrow_mut(|orderings| {
        orderings.truncate(ORDERINGS_KEPT - 1);
        orderings.insert(
            0,
            Ordering {
                column_start: column_start.to_vec(),
                row_index: row_index.to_vec(),
                permutation: permutation.to_vec(),
            },
        );
    });
}

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
        let cached = cached_ordering(&column_start, &row_index);
        let matrix = CscMatrix::new(n + m, n + m, column_start, row_index, values);
        let signs: Vec<i8> = (0..n + m).map(|k| if k < n { 1 } else { -1 }).collect();
        let mut settings = QDLDLSettingsBuilder::default();
        settings.Dsigns(signs).logical(true);
        if let Some(permutation) = cached.clone() {
            settings.perm(permutation);
        }
        let factorisation =
            QDLDLFactorisation::new(&matrix, Some(settings.build().ok()?)).ok()?;
        if cached.is_none() {
            remember_ordering(&matrix.colptr, &matrix.rowval, &factorisation.perm);
        }
        Some(Self {
            factorisation,
            diagonal_entries,
            diagonal: vec![0.0; n + m],
        })
    }

    /// Writes the diagonal of the Newton system at `at` and factorises it.
    /// (`inverse` holds the reciprocal gaps of `at`; zero where a bound is infinite).
    pub(super) fn factor(
        &mut self,
        problem: &ScaledProblem,
        at: &Iterates,
        inverse: &InverseGaps,
    ) -> Option<()> {
        let n = problem.variable_count();
        for j in 0..n {
            self.diagonal[j] = problem.quadratic[j]
                + REGULARISATION
                + at.lower_dual[j] * inverse.lower[j]
                + at.upper_dual[j] * inverse.upper[j];
        }
        for i in 0..problem.row_count() {
            self.diagonal[n + i] = -(at.s[i] * inverse.dual[i] + REGULARISATION);
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
