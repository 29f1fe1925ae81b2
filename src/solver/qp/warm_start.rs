//! Warm starts between problems that differ in their numbers and in which variables and
//! rows they have (a sampled start year adds a mine and its routes; a slider that empties a
//! node removes them): the interior point's warm point with the names of the items it was
//! taken on, mapped by name onto the next problem.

use std::collections::HashMap;

use super::QuadraticProgram;
use crate::solver::interior_point::WarmPoint;

/// An iterate partway through one problem's solve, to start a nearby problem from.
#[derive(Clone, Debug)]
pub struct WarmStart {
    point: WarmPoint,
    variables: HashMap<String, usize>,
    rows: HashMap<String, usize>,
}

impl WarmStart {
    /// `point`, taken on `program` (whose items must be named, see
    /// [`QuadraticProgram::unnamed`]).
    pub(super) fn new(program: &QuadraticProgram, point: WarmPoint) -> Self {
        let index = |names: &mut dyn Iterator<Item = &String>| {
            names
                .enumerate()
                .map(|(k, name)| (name.clone(), k))
                .collect()
        };
        Self {
            point,
            variables: index(&mut program.names.iter()),
            rows: index(&mut program.rows.iter().map(|row| &row.name)),
        }
    }

    /// The point on `program`'s variables and rows: each takes the value of the item of
    /// the same name, a new one none.
    pub(super) fn point_for(&self, program: &QuadraticProgram) -> WarmPoint {
        let variables: Vec<Option<usize>> = program
            .names
            .iter()
            .map(|name| self.variables.get(name).copied())
            .collect();
        let rows: Vec<Option<usize>> = program
            .rows
            .iter()
            .map(|row| self.rows.get(&row.name).copied())
            .collect();
        self.point.mapped(&variables, &rows)
    }
}
