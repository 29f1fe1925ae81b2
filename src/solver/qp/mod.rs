//! A quadratic program with a diagonal quadratic term, solved by rareflow's own
//! interior-point method (with Clarabel where it does not converge) and written as CPLEX
//! LP text (`lp_format.rs`).
//!
//! ```text
//! minimise   Σ_j c_j x_j + ½ Σ_j d_j x_j²        (d_j ≥ 0)
//! subject to Σ_j a_ij x_j = b_i    or    ≤ b_i     for every row i
//!            l_j ≤ x_j ≤ u_j                        (u_j may be +∞)
//! ```
//!
//! This is the only module that knows the solver library: swapping Clarabel for another
//! solver means changing [`QuadraticProgram::solve`] alone.
//!
//! # Why an interior point, and why two
//!
//! The equilibrium is a QP whose unique solution gives unique, smoothly moving regional
//! prices. An interior-point method solves such QPs accurately in a few milliseconds,
//! returns duals, and, where duals are not unique, lands near the middle of their
//! interval, the same place whichever interior-point method is used (what calibration
//! needs, see [`QpSettings::tolerance_gap`]). HiGHS solves an LP form faster and
//! hot-starts, but LP prices are not unique where capacity meets demand, and its QP solver
//! was 30× slower on networks of this shape (`benches/sweep.rs`).
//!
//! Clarabel (pure Rust, BSD/Apache) is a general conic solver; rareflow's own method
//! (`super::interior_point`) exploits what these problems are (a diagonal quadratic term,
//! bounds on every variable): over the shipped scenarios' horizons it spends 2.5× less
//! time solving (445 against 1,103 ms, measured in a test build), and a 2030 year with
//! its problem built and read back takes 6.5 against 13.2 ms (`benches/sweep.rs`). Clarabel
//! stays: it solves whatever the own method gives up on, says why a year has no solution
//! (infeasible or unbounded), and is the reference the own method is tested against
//! (`tests/interior_point.rs`).

use std::time::Instant;

mod lp_format;
mod warm_start;

pub use lp_format::lp_name;
pub use warm_start::WarmStart;

use super::interior_point::WarmPoint;
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver as _, SolverStatus, SupportedConeT,
};

/// Iterations after which rareflow's interior-point method gives the problem to Clarabel
/// (it converges in 25-35 on the shipped scenarios at the default tolerance).
const INTERIOR_POINT_ITERATIONS: u32 = 50;

/// Index of a variable in a [`QuadraticProgram`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Var(pub usize);

/// Index of a row in a [`QuadraticProgram`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    Equal,
    AtMost,
}

#[derive(Clone, Debug)]
struct Row {
    name: String,
    sense: Sense,
    terms: Vec<(Var, f64)>,
    rhs: f64,
}

/// A [`QuadraticProgram`] as Clarabel takes it, with where each row went.
struct ClarabelForm {
    a: CscMatrix<f64>,
    b: Vec<f64>,
    p: CscMatrix<f64>,
    cones: Vec<SupportedConeT<f64>>,
    /// Rows of the zero cone, in order, then fixed variables.
    equalities: Vec<usize>,
    /// Rows of the nonnegative cone, in order, after `zero_cone` entries.
    inequalities: Vec<usize>,
    zero_cone: usize,
}

/// The problem, built up variable by variable and row by row.
#[derive(Clone, Debug, Default)]
pub struct QuadraticProgram {
    /// Whether names are written (see [`Self::unnamed`]); where not, every name is empty.
    nameless: bool,
    names: Vec<String>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    linear: Vec<f64>,
    quadratic: Vec<f64>,
    rows: Vec<Row>,
    /// A constant added to the objective (costs already committed).
    constant: f64,
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QpStatus {
    Optimal,
    /// Solved to reduced accuracy; the numbers are usable but less precise.
    AlmostOptimal,
    Infeasible,
    Unbounded,
    /// Iteration or time limit, numerical error, no progress.
    NumericalTrouble,
}

/// The solution of a [`QuadraticProgram`].
#[derive(Clone, Debug)]
pub struct QpSolution {
    pub status: QpStatus,
    /// Value of every variable.
    pub values: Vec<f64>,
    /// Dual of every row: minus the objective's rate of change as the row's right-hand
    /// side grows. For a ≤ row it is ≥ 0, the value of relaxing it (a capacity's rent); for
    /// a balance row `consumption − supply = 0` of a welfare problem it is the price.
    pub row_duals: Vec<f64>,
    pub objective: f64,
    pub iterations: u32,
    pub solve_seconds: f64,
    /// The method whose answer this is.
    pub solved_by: QpMethod,
    /// A start for nearby problems, where one was asked for and the interior point solved.
    pub warm_start: Option<WarmStart>,
}

/// Solver tolerances and limits.
#[derive(Clone, Copy, Debug)]
pub struct QpSettings {
    /// Relative and absolute duality-gap tolerance. Default 1e-10: calibration reads duals
    /// that are not unique where the base year is degenerate (the value of ore whose
    /// separators are all full), and an interior point reaches the middle of such an
    /// interval only as the gap closes. At 1e-8 two methods (or two tolerances) gave
    /// calibrations whose 2030 prices differed by up to 1 %; at 1e-10 they agree within
    /// 1e-5 over every shipped scenario's horizon (measured, `tests/interior_point.rs`),
    /// for ~15 % more time than 1e-8. Where a year ends on a polish (the optimality
    /// conditions solved on the active set the iterate shows, `interior_point/polish.rs`),
    /// such a dual is the one that active set gives, a point of the interval as valid as
    /// the middle: a warm and a cold path picked two 2.8e-6 apart for China's 2024 LACE
    /// (`tests/solve_session.rs`), and every shipped scenario's consumed prices stay within
    /// 1.7e-5 of Clarabel's.
    pub tolerance_gap: f64,
    /// Feasibility tolerance (default 1e-10, as the gap).
    pub tolerance_feasibility: f64,
    pub max_iterations: u32,
    /// Iterative-refinement steps per linear solve (0 = none). Off by default: on the
    /// baseline it doubles solve time without changing prices beyond 1e-6 (measured).
    pub refinement_steps: u32,
    /// Ruiz equilibration passes over the problem data.
    pub equilibration_passes: u32,
    /// Which method solves first; Clarabel always takes over when rareflow's own
    /// interior-point method does not converge.
    pub method: QpMethod,
    /// Primal-dual active-set steps a warm-started solve takes from the active set of the
    /// warm point's answer before the interior point starts (0 = none; see
    /// `interior_point/polish.rs`). A slider move mostly keeps every year's active set,
    /// so one factorisation answers it; a sweep's runs, which sample every range at once,
    /// change tens of items of it and the steps seldom reach the answer.
    pub warm_active_set_steps: u32,
}

/// The method that solves a [`QuadraticProgram`] first, or that solved it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QpMethod {
    /// rareflow's interior-point method for bounded QPs (`solver/interior_point/`),
    /// with Clarabel when it does not converge.
    InteriorPoint,
    /// Clarabel alone.
    Clarabel,
}

impl Default for QpSettings {
    fn default() -> Self {
        Self {
            tolerance_gap: 1e-10,
            tolerance_feasibility: 1e-10,
            max_iterations: 200,
            refinement_steps: 0,
            equilibration_passes: 10,
            method: QpMethod::InteriorPoint,
            warm_active_set_steps: 2,
        }
    }
}

impl QuadraticProgram {
    pub fn new() -> Self {
        Self::default()
    }

    /// A program that does not write its variables' and rows' names: only the LP text and
    /// warm starts (which find their items by name) read them, and formatting them was a
    /// twentieth of a cold sweep's time (cachegrind).
    pub fn unnamed() -> Self {
        Self {
            nameless: true,
            ..Self::default()
        }
    }

    /// `name()`, or nothing (no allocation) in a program without names.
    fn name(&self, name: impl FnOnce() -> String) -> String {
        if self.nameless { String::new() } else { name() }
    }

    /// Adds a variable with bounds `[lower, upper]` (upper may be infinite), linear cost
    /// and quadratic coefficient `½ quadratic x²`; `name` is called only where names are
    /// kept.
    pub fn add_var(
        &mut self,
        name: impl FnOnce() -> String,
        lower: f64,
        upper: f64,
        linear: f64,
        quadratic: f64,
    ) -> Var {
        // A negative coefficient is a modelling bug; a non-finite one comes from scenario
        // numbers near `f64::MAX` overflowing, and makes the solve numerical trouble.
        let convex = quadratic >= 0.0 || !quadratic.is_finite();
        if cfg!(debug_assertions) && !convex {
            panic!("{}: convex objective", name());
        }
        let name = self.name(name);
        self.names.push(name);
        self.lower.push(lower);
        self.upper.push(upper);
        self.linear.push(linear);
        self.quadratic.push(quadratic);
        Var(self.names.len() - 1)
    }

    /// Adds a row; `name` is called only where names are kept.
    pub fn add_row(
        &mut self,
        name: impl FnOnce() -> String,
        sense: Sense,
        terms: Vec<(Var, f64)>,
        rhs: f64,
    ) -> RowId {
        let name = self.name(name);
        self.rows.push(Row {
            name,
            sense,
            terms,
            rhs,
        });
        RowId(self.rows.len() - 1)
    }

    /// Adds terms to an existing row.
    pub fn extend_row(&mut self, row: RowId, terms: Vec<(Var, f64)>) {
        self.rows[row.0].terms.extend(terms);
    }

    /// Adds a constant to the objective: it moves no solution, only the objective's value.
    pub fn add_constant(&mut self, constant: f64) {
        self.constant += constant;
    }

    pub fn set_bounds(&mut self, var: Var, lower: f64, upper: f64) {
        self.lower[var.0] = lower;
        self.upper[var.0] = upper;
    }

    pub fn var_count(&self) -> usize {
        self.names.len()
    }

    /// The largest violation of any row or bound at `values` (0 when feasible).
    pub fn max_violation(&self, values: &[f64]) -> f64 {
        let rows = self.rows.iter().map(|row| {
            let lhs: f64 = row.terms.iter().map(|(var, a)| a * values[var.0]).sum();
            match row.sense {
                Sense::Equal => (lhs - row.rhs).abs(),
                Sense::AtMost => (lhs - row.rhs).max(0.0),
            }
        });
        let bounds = values
            .iter()
            .enumerate()
            .map(|(j, x)| (self.lower[j] - x).max(x - self.upper[j]).max(0.0));
        rows.chain(bounds).fold(0.0, f64::max)
    }

    /// The problem in Clarabel's form: `A x + s = b` with `s` in a cone. Equalities (and
    /// fixed variables) go in a zero cone, everything else (rows ≤, then bounds) in a
    /// nonnegative cone.
    fn clarabel_form(&self) -> ClarabelForm {
        let n = self.var_count();
        let mut triplet_rows = Vec::new();
        let mut triplet_cols = Vec::new();
        let mut triplet_values = Vec::new();
        let mut b = Vec::new();
        let mut push_row =
            |terms: &mut dyn Iterator<Item = (usize, f64)>, rhs: f64, b: &mut Vec<f64>| {
                let row = b.len();
                for (col, value) in terms {
                    triplet_rows.push(row);
                    triplet_cols.push(col);
                    triplet_values.push(value);
                }
                b.push(rhs);
            };
        let equalities: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.rows[i].sense == Sense::Equal)
            .collect();
        let inequalities: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.rows[i].sense == Sense::AtMost)
            .collect();
        let fixed: Vec<usize> = (0..n).filter(|&j| self.lower[j] == self.upper[j]).collect();
        for &i in &equalities {
            let row = &self.rows[i];
            push_row(
                &mut row.terms.iter().map(|(v, a)| (v.0, *a)),
                row.rhs,
                &mut b,
            );
        }
        for &j in &fixed {
            push_row(&mut std::iter::once((j, 1.0)), self.lower[j], &mut b);
        }
        let zero_cone = b.len();
        for &i in &inequalities {
            let row = &self.rows[i];
            push_row(
                &mut row.terms.iter().map(|(v, a)| (v.0, *a)),
                row.rhs,
                &mut b,
            );
        }
        for j in 0..n {
            if self.lower[j] == self.upper[j] {
                continue;
            }
            if self.lower[j].is_finite() {
                push_row(&mut std::iter::once((j, -1.0)), -self.lower[j], &mut b);
            }
            if self.upper[j].is_finite() {
                push_row(&mut std::iter::once((j, 1.0)), self.upper[j], &mut b);
            }
        }
        let m = b.len();
        let a = CscMatrix::new_from_triplets(m, n, triplet_rows, triplet_cols, triplet_values);
        let diagonal: Vec<usize> = (0..n).filter(|&j| self.quadratic[j] != 0.0).collect();
        let p = CscMatrix::new_from_triplets(
            n,
            n,
            diagonal.clone(),
            diagonal.clone(),
            diagonal.iter().map(|&j| self.quadratic[j]).collect(),
        );
        let mut cones = Vec::new();
        if zero_cone > 0 {
            cones.push(SupportedConeT::ZeroConeT(zero_cone));
        }
        if m > zero_cone {
            cones.push(SupportedConeT::NonnegativeConeT(m - zero_cone));
        }
        ClarabelForm {
            a,
            b,
            p,
            cones,
            equalities,
            inequalities,
            zero_cone,
        }
    }

    /// Whether every number Clarabel would see is finite (a bound may be infinite on its
    /// open side) and the objective convex. Scenario numbers near `f64::MAX` can overflow
    /// to ∞ or NaN while a year's problem is built (a capacity times a recipe, a price over
    /// a tiny elasticity); Clarabel fails inside on such data (it panicked, found by
    /// fuzzing), so such a problem is numerical trouble, said in the year's status.
    fn is_well_posed(&self) -> bool {
        self.linear.iter().all(|c| c.is_finite())
            && self.quadratic.iter().all(|&d| d.is_finite() && d >= 0.0)
            && self
                .lower
                .iter()
                .all(|&l| l.is_finite() || (l.is_infinite() && l < 0.0))
            && self
                .upper
                .iter()
                .all(|&u| u.is_finite() || (u.is_infinite() && u > 0.0))
            && self
                .rows
                .iter()
                .all(|row| row.rhs.is_finite() && row.terms.iter().all(|(_, a)| a.is_finite()))
    }

    /// How far a solution may break a row or bound and still count as solved: 1e-5 of the
    /// problem's scale (its largest right-hand side or finite bound, in kt), and 1e-5 kt at
    /// least. Clarabel judges convergence on its rescaled problem; where the data spans
    /// many orders of magnitude (a choke price of 1e20 $/kg beside tonnes) it called
    /// answers "solved" that were a kilotonne outside their bounds (found by fuzzing).
    fn violation_tolerance(&self) -> f64 {
        let bounds = self
            .lower
            .iter()
            .chain(&self.upper)
            .filter(|b| b.is_finite());
        let scale = self
            .rows
            .iter()
            .map(|row| &row.rhs)
            .chain(bounds)
            .fold(0.0, |largest: f64, value| largest.max(value.abs()));
        1e-5 * (1.0 + scale)
    }

    /// Solves with rareflow's interior-point method, or with Clarabel where that gives up
    /// (or where `settings.method` asks for Clarabel alone).
    pub fn solve(&self, settings: &QpSettings) -> QpSolution {
        self.solve_near(settings, None, false)
    }

    /// [`Self::solve`], the interior point starting from `warm` where given, and keeping a
    /// [`WarmStart`] for nearby problems where `record`. Both need a program with names
    /// (not [`Self::unnamed`]), which map the start's items onto this program's.
    pub fn solve_near(
        &self,
        settings: &QpSettings,
        warm: Option<&WarmStart>,
        record: bool,
    ) -> QpSolution {
        debug_assert!(!self.nameless || (warm.is_none() && !record));
        let started = Instant::now();
        let n = self.var_count();
        let failed = |status| QpSolution {
            status,
            values: vec![0.0; n],
            row_duals: vec![0.0; self.rows.len()],
            objective: f64::NAN,
            iterations: 0,
            solve_seconds: started.elapsed().as_secs_f64(),
            solved_by: QpMethod::Clarabel,
            warm_start: None,
        };
        if !self.is_well_posed() {
            return failed(QpStatus::NumericalTrouble);
        }
        if n == 0 {
            // Nothing to decide (a year before any node or demand starts): Clarabel
            // panicked on an empty problem (found by fuzzing), and the answer is known.
            let feasible = self.max_violation(&[]) <= settings.tolerance_feasibility;
            return QpSolution {
                objective: self.constant,
                ..failed(if feasible {
                    QpStatus::Optimal
                } else {
                    QpStatus::Infeasible
                })
            };
        }
        if settings.method == QpMethod::InteriorPoint
            && let Some(solution) = self.solve_interior_point(
                settings,
                warm.map(|start| start.point_for(self)).as_ref(),
                record,
            )
            && self.max_violation(&solution.values) <= self.violation_tolerance()
        {
            return QpSolution {
                warm_start: solution.warm_point.map(|point| WarmStart::new(self, point)),
                status: QpStatus::Optimal,
                objective: self.objective_at(&solution.values),
                values: solution.values,
                row_duals: solution.row_duals,
                iterations: solution.iterations,
                solve_seconds: started.elapsed().as_secs_f64(),
                solved_by: QpMethod::InteriorPoint,
            };
        }
        let mut solution = self
            .solve_clarabel(settings)
            .unwrap_or_else(|| failed(QpStatus::NumericalTrouble));
        solution.solve_seconds = started.elapsed().as_secs_f64();
        solution
    }

    /// Solves with Clarabel; `None` where Clarabel refuses the settings or the data.
    fn solve_clarabel(&self, settings: &QpSettings) -> Option<QpSolution> {
        let ClarabelForm {
            a,
            b,
            p,
            cones,
            equalities,
            inequalities,
            zero_cone,
        } = self.clarabel_form();
        let clarabel_settings = DefaultSettingsBuilder::default()
            .verbose(std::env::var_os("RAREFLOW_QP_VERBOSE").is_some())
            .max_iter(settings.max_iterations)
            .tol_gap_abs(settings.tolerance_gap)
            .tol_gap_rel(settings.tolerance_gap)
            .tol_feas(settings.tolerance_feasibility)
            .iterative_refinement_enable(settings.refinement_steps > 0)
            .iterative_refinement_max_iter(settings.refinement_steps.max(1))
            .equilibrate_max_iter(settings.equilibration_passes)
            .build()
            .ok()?;
        let mut solver =
            DefaultSolver::new(&p, &self.linear, &a, &b, &cones, clarabel_settings).ok()?;
        solver.solve();
        let solution = &solver.solution;
        let status = match solution.status {
            SolverStatus::Solved => QpStatus::Optimal,
            SolverStatus::AlmostSolved => QpStatus::AlmostOptimal,
            SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
                QpStatus::Infeasible
            }
            SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => {
                QpStatus::Unbounded
            }
            _ => QpStatus::NumericalTrouble,
        };
        let status = match status {
            QpStatus::Optimal | QpStatus::AlmostOptimal
                if self.max_violation(&solution.x) > self.violation_tolerance() =>
            {
                QpStatus::NumericalTrouble
            }
            other => other,
        };
        // Row duals: Clarabel's z for A x + s = b. The inequality rows were written as
        // given (≤), so their z ≥ 0 is the shadow price of relaxing them.
        let mut row_duals = vec![0.0; self.rows.len()];
        for (position, &i) in equalities.iter().enumerate() {
            row_duals[i] = solution.z[position];
        }
        for (position, &i) in inequalities.iter().enumerate() {
            row_duals[i] = solution.z[zero_cone + position];
        }
        Some(QpSolution {
            status,
            values: solution.x.clone(),
            row_duals,
            objective: solution.obj_val + self.constant,
            iterations: solution.iterations,
            solve_seconds: 0.0,
            solved_by: QpMethod::Clarabel,
            warm_start: None,
        })
    }

    /// The objective (with its constant) at `values`.
    fn objective_at(&self, values: &[f64]) -> f64 {
        let variable_part: f64 = values
            .iter()
            .zip(self.linear.iter().zip(&self.quadratic))
            .map(|(x, (c, d))| (c + 0.5 * d * x) * x)
            .sum();
        variable_part + self.constant
    }

    /// Solves with rareflow's own interior-point method; `None` when it did not converge.
    fn solve_interior_point(
        &self,
        settings: &QpSettings,
        warm: Option<&WarmPoint>,
        record: bool,
    ) -> Option<super::interior_point::InteriorSolution> {
        let mut row_start = Vec::with_capacity(self.rows.len() + 1);
        let mut columns = Vec::new();
        let mut coefficients = Vec::new();
        row_start.push(0);
        for row in &self.rows {
            for &(var, a) in &row.terms {
                columns.push(var.0);
                coefficients.push(a);
            }
            row_start.push(columns.len());
        }
        let rhs: Vec<f64> = self.rows.iter().map(|row| row.rhs).collect();
        let is_equality: Vec<bool> = self.rows.iter().map(|r| r.sense == Sense::Equal).collect();
        let problem = super::interior_point::BoxQp {
            linear: &self.linear,
            quadratic: &self.quadratic,
            lower: &self.lower,
            upper: &self.upper,
            row_start: &row_start,
            columns: &columns,
            coefficients: &coefficients,
            rhs: &rhs,
            is_equality: &is_equality,
        };
        super::interior_point::solve(
            &problem,
            &super::interior_point::InteriorSettings {
                tolerance_gap: settings.tolerance_gap,
                tolerance_feasibility: settings.tolerance_feasibility,
                max_iterations: settings.max_iterations.min(INTERIOR_POINT_ITERATIONS),
                equilibration_passes: settings.equilibration_passes,
                warm_active_set_steps: settings.warm_active_set_steps,
            },
            warm,
            record,
        )
    }
}

#[cfg(test)]
mod tests;
