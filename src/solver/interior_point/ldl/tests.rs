//! The factorisation against a dense solve, on quasi-definite matrices with and without a
//! dense trailing block.

// Dense linear algebra reads clearest with its indices.
#![allow(clippy::needless_range_loop)]

use super::super::kkt::analyse;
use super::Ldl;

/// A small deterministic generator (the tests need no statistical quality).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `[H Aᵀ; A −G]` with `H`, `G` positive diagonals and `A` (rows × variables) holding
/// `density` of its entries, as a dense matrix.
fn quasi_definite(variables: usize, rows: usize, density: f64, seed: u64) -> Vec<Vec<f64>> {
    let mut random = Lcg(seed);
    let n = variables + rows;
    let mut m = vec![vec![0.0; n]; n];
    for (j, row) in m.iter_mut().enumerate().take(variables) {
        row[j] = 0.1 + random.next();
    }
    for i in 0..rows {
        m[variables + i][variables + i] = -(1e-3 + random.next());
        for j in 0..variables {
            if random.next() < density {
                let a = random.next() * 2.0 - 1.0;
                m[variables + i][j] = a;
                m[j][variables + i] = a;
            }
        }
    }
    m
}

/// Gaussian elimination with partial pivoting.
fn dense_solve(matrix: &[Vec<f64>], rhs: &[f64]) -> Vec<f64> {
    let n = rhs.len();
    let mut a: Vec<Vec<f64>> = matrix.to_vec();
    let mut b = rhs.to_vec();
    for k in 0..n {
        let p = (k..n)
            .max_by(|&i, &j| a[i][k].abs().total_cmp(&a[j][k].abs()))
            .expect("a row");
        a.swap(k, p);
        b.swap(k, p);
        for i in k + 1..n {
            let f = a[i][k] / a[k][k];
            for j in k..n {
                a[i][j] -= f * a[k][j];
            }
            b[i] -= f * b[k];
        }
    }
    let mut x = vec![0.0; n];
    for k in (0..n).rev() {
        let s: f64 = (k + 1..n).map(|j| a[k][j] * x[j]).sum();
        x[k] = (b[k] - s) / a[k][k];
    }
    x
}

/// How the test orders the matrix: by AMD as the solver does, or as given.
#[derive(Clone, Copy)]
enum Ordering {
    Amd,
    AsGiven,
}

/// Factorises `m` (pivot signs from its diagonal), solves against a dense solve, then
/// again with the diagonal doubled (the second solve with the right-hand side in two
/// parts, as the interior point passes it); returns the dense block's columns.
fn check_matrix(m: &[Vec<f64>], ordering: Ordering) -> std::ops::Range<usize> {
    let n = m.len();
    let (mut column_start, mut row_index, mut values) = (vec![0], Vec::new(), Vec::new());
    for c in 0..n {
        for (r, row) in m.iter().enumerate().take(c + 1) {
            if row[c] != 0.0 || r == c {
                row_index.push(r);
                values.push(row[c]);
            }
        }
        column_start.push(row_index.len());
    }
    let positive: Vec<bool> = (0..n).map(|k| m[k][k] > 0.0).collect();
    let pattern = match ordering {
        Ordering::Amd => analyse(&column_start, &row_index, None).expect("an ordering"),
        Ordering::AsGiven => {
            let identity: Vec<usize> = (0..n).collect();
            analyse(&column_start, &row_index, Some(&identity)).expect("an analysis")
        }
    };
    let mut ldl = Ldl::new(&column_start, &row_index, &values, &positive, pattern);
    ldl.factor().expect("finite pivots");
    let rhs: Vec<f64> = (0..n).map(|k| (k as f64 * 0.37).sin()).collect();
    let mut x = rhs.clone();
    ldl.solve(&mut x, &mut []);
    let expected = dense_solve(m, &rhs);
    for k in 0..n {
        assert!(
            (x[k] - expected[k]).abs() <= 1e-9 * (1.0 + expected[k].abs()),
            "entry {k}: {} against {}",
            x[k],
            expected[k]
        );
    }
    // A second factorisation with another diagonal reuses the pattern.
    for k in 0..n {
        ldl.set_diagonal(k, m[k][k] * 2.0);
    }
    ldl.factor().expect("finite pivots");
    let mut doubled = m.to_vec();
    (0..n).for_each(|k| doubled[k][k] *= 2.0);
    let mut x = rhs.clone();
    let (first, second) = x.split_at_mut(n / 2);
    ldl.solve(first, second);
    let expected = dense_solve(&doubled, &rhs);
    for k in 0..n {
        assert!((x[k] - expected[k]).abs() <= 1e-9 * (1.0 + expected[k].abs()));
    }
    ldl.block.clone()
}

fn check(variables: usize, rows: usize, density: f64, seed: u64) -> usize {
    check_matrix(
        &quasi_definite(variables, rows, density, seed),
        Ordering::Amd,
    )
    .len()
}

#[test]
fn sparse_systems_match_a_dense_solve() {
    for seed in 1..6 {
        check(40, 12, 0.05, seed);
    }
}

#[test]
fn a_dense_trailing_block_is_factorised_densely_and_matches() {
    let mut largest_block = 0;
    for seed in 1..6 {
        largest_block = largest_block.max(check(60, 25, 0.3, seed));
    }
    assert!(
        largest_block >= 10,
        "dense block of {largest_block} columns"
    );
}

#[test]
fn a_fully_dense_matrix_matches() {
    check(6, 4, 1.0, 7);
}

/// Variables first, then rows, then three variables in no row: eliminating the variables
/// fills the rows' block completely, and the isolated variables follow it (as AMD leaves
/// isolated columns after the balance rows in a year's Newton system).
#[test]
fn a_dense_block_followed_by_sparse_columns_matches() {
    let core = quasi_definite(30, 12, 0.4, 11);
    let n = core.len() + 3;
    let mut m = vec![vec![0.0; n]; n];
    for (i, row) in core.iter().enumerate() {
        m[i][..core.len()].copy_from_slice(row);
    }
    for (k, d) in [(n - 3, 0.7), (n - 2, 1.3), (n - 1, 2.1)] {
        m[k][k] = d;
    }
    let block = check_matrix(&m, Ordering::AsGiven);
    assert!(
        block.end < n && block.len() >= 10,
        "dense block {block:?} of {n}"
    );
}
