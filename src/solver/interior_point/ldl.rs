//! The LDLᵀ factorisation of the quasi-definite Newton system, with its dense trailing
//! block factorised as a dense matrix.
//!
//! After a fill-reducing ordering, the last columns of `L` of a year's Newton system are
//! completely full (the balance rows of the regions, which trade with one another): in a
//! 2030 year of `in-force-2026.ron` the last 50 of 1,254 columns hold two thirds of the
//! factorisation's work. Clarabel's `qdldl` treats them as sparse, one scattered update at
//! a time; here they are gathered into a dense block whose updates run along contiguous
//! memory. The sparse columns are factorised up-looking as `qdldl` does, with each row's
//! pattern computed once (the pattern never changes between iterations) instead of
//! walking the elimination tree every time.
//!
//! Most sparse columns hold two or three entries, so a loop per column ends in a
//! mispredicted branch nearly every time. Each row's updates in the factorisation and the
//! whole forward substitution therefore run as flat loops over lists made with the
//! pattern, doing the same arithmetic in the same order (a sweep's files are byte for byte
//! the same). By cachegrind's count this cut a sweep's mispredicted branches by a third
//! and made builds without LTO 13 % faster; the shipped fat-LTO build ran no faster,
//! within this machine's noise (measured 2026-12-01).
//!
//! Pivots are regularised as `qdldl` does: a pivot of the wrong sign or smaller than
//! [`PIVOT_EPSILON`] becomes [`PIVOT_DELTA`] with the expected sign.

/// Pivots smaller than this (with their expected sign) are replaced (`qdldl`'s default).
const PIVOT_EPSILON: f64 = 1e-12;
/// What a replaced pivot becomes, with its expected sign (`qdldl`'s default).
const PIVOT_DELTA: f64 = 1e-7;

/// The symbolic analysis a factorisation starts from: the ordering and the pattern of `L`.
#[derive(Clone)]
pub(super) struct Pattern {
    /// `permutation[k]` is the original index of the `k`-th pivot.
    pub(super) permutation: Vec<usize>,
    /// Strictly lower triangle of `L` in the permuted order, by column, rows ascending.
    pub(super) l_start: Vec<usize>,
    pub(super) l_row: Vec<usize>,
}

/// A numeric factorisation `P A Pᵀ = L D Lᵀ` of a symmetric quasi-definite matrix whose
/// off-diagonal entries stay fixed and whose diagonal is written before each
/// factorisation.
pub(super) struct Ldl {
    pattern: Pattern,
    /// Original index → pivot position.
    position: Vec<usize>,
    /// Off-diagonal entries of `P A Pᵀ` by column (the upper triangle: rows before the
    /// column), as `(row, value)`.
    upper_start: Vec<usize>,
    upper: Vec<(usize, f64)>,
    /// Diagonal of `P A Pᵀ` and the expected sign of each pivot (±1).
    diagonal: Vec<f64>,
    sign: Vec<f64>,
    /// Every row's pattern in `L`: the columns it has an entry in (ascending) and where
    /// that entry is stored.
    row_start: Vec<usize>,
    row_entries: Vec<(usize, usize)>,
    /// Where each row's entries end that the sparse factorisation computes (in the block's
    /// rows, those of the columns before the block).
    row_solved_end: Vec<usize>,
    /// Every update of the sparse factorisation, row by row, as `(i, q, j)`: the scattered
    /// row's entry `i` loses `L[q]` times its entry `j`.
    update_start: Vec<usize>,
    updates: Vec<(u32, u32, u32)>,
    /// The dense block's columns, and for each column before it where its entries in the
    /// block's rows begin and end.
    block: std::ops::Range<usize>,
    block_begin: Vec<usize>,
    block_end: Vec<usize>,
    l_value: Vec<f64>,
    /// The column of each entry of `L`.
    l_column: Vec<usize>,
    /// The dense block by column (entry `(i, j)` at `j * size + i`), lower triangle: its
    /// Schur complement, then its own `L` (strictly lower), so that the dense
    /// factorisation's updates and both triangular solves run along contiguous memory.
    dense: Vec<f64>,
    d_inverse: Vec<f64>,
    /// Scratch: a scattered row, all zero between uses, and the solve's vector in pivot
    /// order and in the original order.
    scattered: Vec<f64>,
    column: Vec<f64>,
    permuted: Vec<f64>,
    original: Vec<f64>,
}

impl Ldl {
    /// Prepares the factorisation of the symmetric matrix whose upper triangle (diagonal
    /// included in every column) is given in compressed columns, ordered and analysed as
    /// `pattern` says; `positive[k]` is whether the `k`-th pivot should be positive.
    pub(super) fn new(
        column_start: &[usize],
        row_index: &[usize],
        values: &[f64],
        positive: &[bool],
        pattern: Pattern,
    ) -> Self {
        let n = column_start.len() - 1;
        let mut position = vec![0; n];
        for (k, &original) in pattern.permutation.iter().enumerate() {
            position[original] = k;
        }
        let mut diagonal = vec![0.0; n];
        let mut count = vec![0_usize; n + 1];
        let mut entries = Vec::with_capacity(row_index.len());
        for c in 0..n {
            for t in column_start[c]..column_start[c + 1] {
                let (r, pc) = (position[row_index[t]], position[c]);
                if r == pc {
                    diagonal[pc] += values[t];
                } else {
                    let (row, col) = (r.min(pc), r.max(pc));
                    count[col + 1] += 1;
                    entries.push((col, row, values[t]));
                }
            }
        }
        for k in 0..n {
            count[k + 1] += count[k];
        }
        let upper_start = count.clone();
        let mut upper = vec![(0, 0.0); entries.len()];
        for (col, row, value) in entries {
            upper[count[col]] = (row, value);
            count[col] += 1;
        }
        let (l_start, l_row) = (&pattern.l_start, &pattern.l_row);
        let mut row_count = vec![0_usize; n + 1];
        l_row.iter().for_each(|&i| row_count[i + 1] += 1);
        for k in 0..n {
            row_count[k + 1] += row_count[k];
        }
        let row_start = row_count.clone();
        let mut row_entries = vec![(0, 0); l_row.len()];
        for j in 0..n {
            for (p, &i) in l_row
                .iter()
                .enumerate()
                .take(l_start[j + 1])
                .skip(l_start[j])
            {
                row_entries[row_count[i]] = (j, p);
                row_count[i] += 1;
            }
        }
        let block = dense_block(l_start, l_row);
        let (block_begin, block_end): (Vec<usize>, Vec<usize>) = (0..n)
            .map(|j| {
                let rows = &l_row[l_start[j]..l_start[j + 1]];
                if j < block.start {
                    (
                        l_start[j] + rows.partition_point(|&i| i < block.start),
                        l_start[j] + rows.partition_point(|&i| i < block.end),
                    )
                } else {
                    (l_start[j + 1], l_start[j + 1])
                }
            })
            .unzip();
        let size = block.len();
        let row_solved_end: Vec<usize> = (0..n)
            .map(|k| {
                let entries = &row_entries[row_start[k]..row_start[k + 1]];
                let solved = if block.contains(&k) {
                    entries.partition_point(|&(j, _)| j < block.start)
                } else {
                    entries.len()
                };
                row_start[k] + solved
            })
            .collect();
        let (update_start, updates) = updates(
            l_start,
            l_row,
            &row_start,
            &row_entries,
            &row_solved_end,
            &block,
            &block_begin,
        );
        Self {
            sign: (0..n)
                .map(|k| {
                    if positive[pattern.permutation[k]] {
                        1.0
                    } else {
                        -1.0
                    }
                })
                .collect(),
            l_value: vec![0.0; l_row.len()],
            l_column: (0..n)
                .flat_map(|j| std::iter::repeat_n(j, l_start[j + 1] - l_start[j]))
                .collect(),
            pattern,
            position,
            upper_start,
            upper,
            diagonal,
            row_start,
            row_entries,
            row_solved_end,
            update_start,
            updates,
            block,
            block_begin,
            block_end,
            dense: vec![0.0; size * size],
            d_inverse: vec![0.0; n],
            scattered: vec![0.0; n],
            column: vec![0.0; size],
            permuted: vec![0.0; n],
            original: vec![0.0; n],
        }
    }

    /// Where each original row and column is pivoted.
    pub(super) fn pivot_places(&self) -> &[usize] {
        &self.position
    }

    /// Sets the diagonal entry of original row and column `k`.
    pub(super) fn set_diagonal(&mut self, k: usize, value: f64) {
        self.diagonal[self.position[k]] = value;
    }

    /// The pivot, regularised as `qdldl` does.
    fn pivot(&self, k: usize, value: f64) -> f64 {
        if value * self.sign[k] < PIVOT_EPSILON {
            PIVOT_DELTA * self.sign[k]
        } else {
            value
        }
    }

    /// Factorises the matrix with its current diagonal; `None` if a pivot is not finite.
    pub(super) fn factor(&mut self) -> Option<()> {
        let n = self.diagonal.len();
        let (start, size) = (self.block.start, self.block.len());
        self.dense.fill(0.0);
        for k in 0..n {
            let in_block = self.block.contains(&k);
            for &(row, value) in &self.upper[self.upper_start[k]..self.upper_start[k + 1]] {
                if in_block && row >= start {
                    self.dense[(row - start) * size + k - start] = value;
                } else {
                    self.scattered[row] = value;
                }
            }
            // Row k of L: forward substitution along its pattern (in the block's rows,
            // over the columns before the block only; the rest goes through the block's
            // Schur complement). The updates run as one flat loop (see the module doc);
            // each reads an entry that no later update of the row changes, so it is the
            // value the column-by-column order would read.
            for &(i, q, j) in &self.updates[self.update_start[k]..self.update_start[k + 1]] {
                let (i, q, j) = (i as usize, q as usize, j as usize);
                self.scattered[i] -= self.l_value[q] * self.scattered[j];
            }
            let mut pivot = self.diagonal[k];
            for &(j, p) in &self.row_entries[self.row_start[k]..self.row_solved_end[k]] {
                let yj = self.scattered[j];
                self.scattered[j] = 0.0;
                let l = yj * self.d_inverse[j];
                self.l_value[p] = l;
                pivot -= yj * l;
            }
            if in_block {
                self.dense[(k - start) * size + k - start] = self.diagonal[k];
            } else {
                let pivot = self.pivot(k, pivot);
                if !pivot.is_finite() {
                    return None;
                }
                self.d_inverse[k] = 1.0 / pivot;
            }
        }
        // Schur complement of the block: the share of every column before it.
        for j in 0..start {
            let d = 1.0 / self.d_inverse[j];
            for q1 in self.block_begin[j]..self.block_end[j] {
                let (i1, l1) = (self.pattern.l_row[q1] - start, self.l_value[q1] * d);
                for q2 in self.block_begin[j]..=q1 {
                    let i2 = self.pattern.l_row[q2] - start;
                    self.dense[i2 * size + i1] -= l1 * self.l_value[q2];
                }
            }
        }
        self.factor_dense()
    }

    /// Dense LDLᵀ of the block, right-looking, in place.
    fn factor_dense(&mut self) -> Option<()> {
        let (start, size) = (self.block.start, self.block.len());
        for k in 0..size {
            let pivot = self.pivot(start + k, self.dense[k * size + k]);
            if !pivot.is_finite() {
                return None;
            }
            let inverse = 1.0 / pivot;
            self.d_inverse[start + k] = inverse;
            let column_k = k * size..(k + 1) * size;
            self.column[k + 1..].copy_from_slice(&self.dense[column_k.start + k + 1..column_k.end]);
            for j in k + 1..size {
                let factor = self.column[j] * inverse;
                self.dense[j * size + j..(j + 1) * size]
                    .iter_mut()
                    .zip(&self.column[j..])
                    .for_each(|(entry, c)| *entry -= factor * c);
            }
            self.dense[column_k.start + k + 1..column_k.end]
                .iter_mut()
                .for_each(|entry| *entry *= inverse);
        }
        Some(())
    }

    /// Solves `A x = rhs` in place, where `rhs` is `first` followed by `second` (the two
    /// parts of the Newton system, kept in separate vectors by its caller).
    pub(super) fn solve(&mut self, first: &mut [f64], second: &mut [f64]) {
        let n = first.len() + second.len();
        let split = first.len();
        let (start, size) = (self.block.start, self.block.len());
        let (l_start, l_row) = (&self.pattern.l_start, &self.pattern.l_row);
        // Gathered and scattered through one contiguous copy: a branch on which part an
        // entry belongs to would be mispredicted about half the time (AMD interleaves the
        // parts).
        self.original[..split].copy_from_slice(first);
        self.original[split..].copy_from_slice(second);
        let x = &mut self.permuted;
        for (v, &original) in x.iter_mut().zip(&self.pattern.permutation) {
            *v = self.original[original];
        }
        // Column by column, flattened into one loop over the entries (each knows its
        // column; see the module doc).
        let forward = |x: &mut [f64], columns: std::ops::Range<usize>| {
            let entries = l_start[columns.start]..l_start[columns.end];
            for ((&i, &j), &l) in l_row[entries.clone()]
                .iter()
                .zip(&self.l_column[entries.clone()])
                .zip(&self.l_value[entries])
            {
                x[i] -= l * x[j];
            }
        };
        forward(x, 0..start);
        for k in 0..size {
            let xk = x[start + k];
            x[start + k + 1..start + size]
                .iter_mut()
                .zip(&self.dense[k * size + k + 1..(k + 1) * size])
                .for_each(|(v, l)| *v -= l * xk);
        }
        forward(x, self.block.end..n);
        x.iter_mut().zip(&self.d_inverse).for_each(|(v, d)| *v *= d);
        let backward = |x: &mut [f64], j: usize| {
            let entries = l_start[j]..l_start[j + 1];
            let sum: f64 = l_row[entries.clone()]
                .iter()
                .zip(&self.l_value[entries])
                .map(|(&i, &l)| l * x[i])
                .sum();
            x[j] -= sum;
        };
        (self.block.end..n).rev().for_each(|j| backward(x, j));
        for k in (0..size).rev() {
            let sum: f64 = x[start + k + 1..start + size]
                .iter()
                .zip(&self.dense[k * size + k + 1..(k + 1) * size])
                .map(|(v, l)| v * l)
                .sum();
            x[start + k] -= sum;
        }
        (0..start).rev().for_each(|j| backward(x, j));
        for (&v, &original) in x.iter().zip(&self.pattern.permutation) {
            self.original[original] = v;
        }
        first.copy_from_slice(&self.original[..split]);
        second.copy_from_slice(&self.original[split..]);
    }
}

/// The sparse factorisation's updates, row by row: for each entry `(j, p)` of row `k`
/// that it computes, the entries `q` of column `j` above row `k` (above the block, in the
/// block's rows), as `(row of q, q, j)`; with where each row's updates start.
fn updates(
    l_start: &[usize],
    l_row: &[usize],
    row_start: &[usize],
    row_entries: &[(usize, usize)],
    row_solved_end: &[usize],
    block: &std::ops::Range<usize>,
    block_begin: &[usize],
) -> (Vec<usize>, Vec<(u32, u32, u32)>) {
    let n = row_start.len() - 1;
    let narrow = |v: usize| u32::try_from(v).expect("a Newton system under 2^32 entries");
    let mut update_start = Vec::with_capacity(n + 1);
    let mut updates = Vec::new();
    update_start.push(0);
    for k in 0..n {
        for &(j, p) in &row_entries[row_start[k]..row_solved_end[k]] {
            let end = if block.contains(&k) {
                block_begin[j]
            } else {
                p
            };
            let column = l_start[j]..end;
            updates.extend(
                column
                    .clone()
                    .zip(&l_row[column])
                    .map(|(q, &i)| (narrow(i), narrow(q), narrow(j))),
            );
        }
        update_start.push(updates.len());
    }
    (update_start, updates)
}

/// The largest block of consecutive columns `t..e` of `L` that is full below its diagonal
/// and has no entry below its last row (so it can be factorised densely): AMD puts the
/// densely connected rows last, possibly followed by a few isolated columns, so the block
/// is looked for ending at each of the last [`BLOCK_END_SEARCH`] columns.
fn dense_block(l_start: &[usize], l_row: &[usize]) -> std::ops::Range<usize> {
    let n = l_start.len() - 1;
    let full_to = |j: usize, end: usize| {
        let rows = &l_row[l_start[j]..l_start[j + 1]];
        rows.len() == end - 1 - j && rows.last().is_none_or(|&i| i < end)
    };
    let mut best = n..n;
    for end in (n.saturating_sub(BLOCK_END_SEARCH)..=n).rev() {
        let mut start = end;
        while start > 0 && full_to(start - 1, end) {
            start -= 1;
        }
        if end - start > best.len() {
            best = start..end;
        }
    }
    best
}

/// How far from the last column a dense block may end.
const BLOCK_END_SEARCH: usize = 64;

#[cfg(test)]
mod tests;
