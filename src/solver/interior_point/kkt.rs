//! The Newton system of each iteration: ordered and analysed once per pattern (AMD and the
//! symbolic analysis of Clarabel's `qdldl`), factorised by [`Ldl`] at every iteration.

use std::cell::RefCell;

use clarabel::algebra::CscMatrix;
use clarabel::qdldl::{QDLDLFactorisation, QDLDLSettingsBuilder};

use super::REGULARISATION;
use super::iterates::{InverseGaps, Iterates};
use super::ldl::{Ldl, Pattern};
use super::scaled::ScaledProblem;

/// Symbolic analyses already made on this thread, most recent first. A year's Newton
/// system keeps its pattern after a slider move that fixes or frees no variable, so the
/// app's re-solves and repeated horizons skip AMD. A sweep gains little: its sampled inputs
/// change which variables and arcs exist, and 100 runs of `in-force-2026.ron` met 554
/// patterns in 1,200 years. AMD is deterministic, so a remembered analysis is exactly
/// the one it would make again.
struct Analysis {
    fingerprint: u64,
    column_start: Vec<usize>,
    row_index: Vec<usize>,
    pattern: Pattern,
}

/// How many patterns each thread remembers (a horizon has one to a dozen).
const ANALYSES_KEPT: usize = 16;

thread_local! {
    static ANALYSES: RefCell<Vec<Analysis>> = const { RefCell::new(Vec::new()) };
}

/// A cheap hash of a pattern, compared before the pattern itself.
fn fingerprint(column_start: &[usize], row_index: &[usize]) -> u64 {
    column_start
        .iter()
        .chain(row_index)
        .fold(0xcbf2_9ce4_8422_2325, |hash, &v| {
            (hash ^ v as u64).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The ordering and pattern of `L` for the symmetric matrix whose upper triangle has this
/// pattern (diagonal in every column), remembered per thread. Pivot signs play no part:
/// they matter only to the numeric factorisation.
pub(super) fn analyse(column_start: &[usize], row_index: &[usize]) -> Option<Pattern> {
    let key = fingerprint(column_start, row_index);
    let remembered = ANALYSES.with_borrow_mut(|analyses| {
        let found = analyses.iter().position(|a| {
            a.fingerprint == key && a.column_start == column_start && a.row_index == row_index
        })?;
        let analysis = analyses.remove(found);
        let pattern = analysis.pattern.clone();
        analyses.insert(0, analysis);
        Some(pattern)
    });
    if remembered.is_some() {
        return remembered;
    }
    let n = column_start.len() - 1;
    let matrix = CscMatrix::new(
        n,
        n,
        column_start.to_vec(),
        row_index.to_vec(),
        vec![1.0; row_index.len()],
    );
    let settings = QDLDLSettingsBuilder::default().logical(true).build().ok()?;
    let symbolic = QDLDLFactorisation::new(&matrix, Some(settings)).ok()?;
    let pattern = Pattern {
        permutation: symbolic.perm,
        l_start: symbolic.L.colptr,
        l_row: symbolic.L.rowval,
    };
    ANALYSES.with_borrow_mut(|analyses| {
        analyses.truncate(ANALYSES_KEPT - 1);
        analyses.insert(
            0,
            Analysis {
                fingerprint: key,
                column_start: column_start.to_vec(),
                row_index: row_index.to_vec(),
                pattern: pattern.clone(),
            },
        );
    });
    Some(pattern)
}

/// The factorised Newton system: its pattern (upper triangle, variables first, then one
/// column per row holding the row's coefficients and its diagonal) is analysed once;
/// each iteration writes only the diagonal and refactorises.
pub(super) struct Kkt {
    factorisation: Ldl,
}

impl Kkt {
    pub(super) fn new(problem: &ScaledProblem) -> Option<Self> {
        let (n, m) = (problem.variable_count(), problem.row_count());
        let mut column_start = Vec::with_capacity(n + m + 1);
        let mut row_index = Vec::with_capacity(n + problem.columns.len() + m);
        let mut values = Vec::with_capacity(row_index.capacity());
        column_start.push(0);
        for j in 0..n {
            row_index.push(j);
            values.push(1.0);
            column_start.push(row_index.len());
        }
        for i in 0..m {
            for (j, a) in problem.row(i) {
                row_index.push(j);
                values.push(a);
            }
            row_index.push(n + i);
            values.push(-1.0);
            column_start.push(row_index.len());
        }
        let positive: Vec<bool> = (0..n + m).map(|k| k < n).collect();
        let pattern = analyse(&column_start, &row_index)?;
        Some(Self {
            factorisation: Ldl::new(&column_start, &row_index, &values, &positive, pattern),
        })
    }

    /// Writes the diagonal of the Newton system at `at` and factorises it
    /// (`inverse` holds the reciprocal gaps of `at`; zero where a bound is infinite).
    pub(super) fn factor(
        &mut self,
        problem: &ScaledProblem,
        at: &Iterates,
        inverse: &InverseGaps,
    ) -> Option<()> {
        let n = problem.variable_count();
        for j in 0..n {
            let d = problem.quadratic[j]
                + REGULARISATION
                + at.lower_dual[j] * inverse.lower[j]
                + at.upper_dual[j] * inverse.upper[j];
            if !d.is_finite() {
                return None;
            }
            self.factorisation.set_diagonal(j, d);
        }
        for i in 0..problem.row_count() {
            let d = -(at.s[i] * inverse.dual[i] + REGULARISATION);
            if !d.is_finite() {
                return None;
            }
            self.factorisation.set_diagonal(n + i, d);
        }
        self.factorisation.factor()
    }

    /// Solves the Newton system in place: `variables` and `rows` hold the two parts of the
    /// right-hand side and receive the two parts of the solution.
    pub(super) fn solve(&mut self, variables: &mut [f64], rows: &mut [f64]) {
        self.factorisation.solve(variables, rows);
    }
}
