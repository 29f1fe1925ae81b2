//! The Newton system of each iteration: ordered and analysed once per pattern and order
//! (the order AMD finds, or a warm start's; then the symbolic analysis of Clarabel's
//! `qdldl`), factorised by [`Ldl`] at every iteration.

use std::cell::RefCell;

use clarabel::algebra::CscMatrix;
use clarabel::qdldl::{QDLDLFactorisation, QDLDLSettingsBuilder};

use super::REGULARISATION;
use super::iterates::{InverseGaps, Iterates};
use super::ldl::{Ldl, Pattern};
use super::scaled::ScaledProblem;

/// Symbolic analyses already made on this thread, most recent first. A year's Newton
/// system keeps its pattern after a slider move that fixes or frees no variable, so the
/// app's re-solves and repeated horizons skip the analysis. A sweep's runs meet patterns
/// no earlier year had (its sampled inputs change which variables and arcs exist: 100
/// runs of `in-force-2026.ron` met 554 patterns in 1,200 years), and are spared AMD by
/// their warm start's order instead (see `warm.rs`).
///
/// A remembered analysis is always the one that would be made again, so a solve's numbers
/// never depend on what its thread solved before: one asked for in AMD's order is taken
/// only from an analysis AMD ordered (AMD is deterministic), one asked for in a given order
/// from any analysis of the pattern in that order.
struct Analysis {
    fingerprint: u64,
    column_start: Vec<usize>,
    row_index: Vec<usize>,
    ordered_by_amd: bool,
    pattern: Pattern,
}

/// How many patterns each thread remembers (a horizon has one to a dozen).
const ANALYSES_KEPT: usize = 16;

thread_local! {
    static ANALYSES: RefCell<Vec<Analysis>> = const { RefCell::new(Vec::new()) };
}

#[cfg(test)]
thread_local! {
    /// How many times AMD has run on this thread (tests check warm starts skip it).
    pub(super) static AMD_RUNS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
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

/// The ordering (`order`: `order[k]` is the column pivoted `k`-th; AMD's where none is
/// given) and pattern of `L` for the symmetric matrix whose upper triangle has this
/// pattern (diagonal in every column), remembered per thread. Pivot signs play no part:
/// they matter only to the numeric factorisation.
pub(super) fn analyse(
    column_start: &[usize],
    row_index: &[usize],
    order: Option<&[usize]>,
) -> Option<Pattern> {
    let n = column_start.len() - 1;
    if let Some(order) = order {
        // qdldl checks a given permutation only loosely.
        debug_assert!(is_permutation(order, n), "an order of the {n} columns");
    }
    let key = fingerprint(column_start, row_index);
    let remembered = ANALYSES.with_borrow_mut(|analyses| {
        let found = analyses.iter().position(|a| {
            a.fingerprint == key
                && a.column_start == column_start
                && a.row_index == row_index
                && order.map_or(a.ordered_by_amd, |order| a.pattern.permutation == order)
        })?;
        let analysis = analyses.remove(found);
        let pattern = analysis.pattern.clone();
        analyses.insert(0, analysis);
        Some(pattern)
    });
    if remembered.is_some() {
        return remembered;
    }
    let matrix = CscMatrix::new(
        n,
        n,
        column_start.to_vec(),
        row_index.to_vec(),
        vec![1.0; row_index.len()],
    );
    let mut settings = QDLDLSettingsBuilder::default();
    settings.logical(true);
    if let Some(order) = order {
        settings.perm(order.to_vec());
    }
    #[cfg(test)]
    if order.is_none() {
        AMD_RUNS.with(|runs| runs.set(runs.get() + 1));
    }
    let settings = settings.build().ok()?;
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
                ordered_by_amd: order.is_none(),
                pattern: pattern.clone(),
            },
        );
    });
    Some(pattern)
}

/// Whether `order` holds each of `0..n` once.
fn is_permutation(order: &[usize], n: usize) -> bool {
    let mut seen = vec![false; n];
    order.len() == n
        && order
            .iter()
            .all(|&k| k < n && !std::mem::replace(&mut seen[k], true))
}

/// The factorised Newton system: its pattern (upper triangle, variables first, then one
/// column per row holding the row's coefficients and its diagonal) is analysed once;
/// each iteration writes only the diagonal and refactorises.
pub(super) struct Kkt {
    factorisation: Ldl,
}

impl Kkt {
    /// The system of `problem`, pivoted in `order` (see [`analyse`]).
    pub(super) fn new(problem: &ScaledProblem, order: Option<&[usize]>) -> Option<Self> {
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
        let pattern = analyse(&column_start, &row_index, order)?;
        Some(Self {
            factorisation: Ldl::new(&column_start, &row_index, &values, &positive, pattern),
        })
    }

    /// Where each column of the system (variables, then rows) is pivoted.
    pub(super) fn pivot_places(&self) -> &[usize] {
        self.factorisation.pivot_places()
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

    /// Writes the whole diagonal (the variables', then the rows') and factorises.
    pub(super) fn factor_diagonal(&mut self, diagonal: impl Iterator<Item = f64>) -> Option<()> {
        for (k, d) in diagonal.enumerate() {
            if !d.is_finite() {
                return None;
            }
            self.factorisation.set_diagonal(k, d);
        }
        self.factorisation.factor()
    }

    /// Solves the Newton system in place: `variables` and `rows` hold the two parts of the
    /// right-hand side and receive the two parts of the solution.
    pub(super) fn solve(&mut self, variables: &mut [f64], rows: &mut [f64]) {
        self.factorisation.solve(variables, rows);
    }
}
