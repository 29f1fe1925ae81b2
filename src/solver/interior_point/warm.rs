//! Warm starts: an iterate partway through one solve, kept in the original problem's units,
//! from which a nearby problem starts instead of from the cold point.
//!
//! The iterate is the first whose merit (largest relative residual or gap) is at most
//! [`WARM_MERIT`]: far enough from the boundary that a perturbed problem's answer is still
//! ahead of it, far enough along that the first iterations' work is not repeated. On the
//! years of a 100-run sweep of `in-force-2026.ron` whose problems had the unperturbed
//! year's shape, starting from it took 15.5 iterations where a cold start took 22.8
//! (merits of 1 to 0.03 all gave 15.5 to 15.8; 1e-3 gave 19.5, 1e-4 21.7: an iterate
//! close to the old answer sits on the old active set, and leaving it costs more than it
//! saves). Matched by name, every year of 300 runs starts warm, in 15.6 on average.
//!
//! Each complementarity pair is moved off the boundary so that its product is at least
//! the point's mean product: the gap is moved where the dual is large (an active bound),
//! the dual where the gap is large (an inactive one), as Gondzio and Grothey's shifts do
//! ("Reoptimization with the primal-dual interior point method", SIAM J. Optim. 13, 2002).
//! A variable or row the old problem did not have starts as it would cold.
//!
//! The point also carries where each variable and row stood in the old Newton system's
//! pivot order. Where the new problem's variables and rows all have a place there (a run
//! whose sampled start years add no mine, a slider that empties a node), its system is
//! ordered by the same places and AMD is not run. A sweep's years mostly meet patterns no
//! earlier year had (about 5 new patterns a run in 300 runs of `in-force-2026.ron`), so
//! a cache of analyses seldom helps: AMD was 4.4 % of a 30-run sweep's instructions,
//! and is 0.25 % now (the unperturbed run's years). The order is the old one restricted
//! to the new problem's items. Where those items keep the terms they had, the fill is at
//! most the old fill on them (eliminating a subgraph in the induced order makes no fill
//! the whole graph's elimination does not); a term the old problem lacked (a route
//! share that was zero) can add fill, which costs time, never accuracy.

use super::iterates::{Iterates, cold_value};
use super::polish::{ActiveSet, Place};
use super::scaled::{KnownScales, ScaledProblem};

/// The merit at which an iterate is kept for warm starts.
pub(crate) const WARM_MERIT: f64 = 0.1;

/// An iterate in the original problem's units and indexing (fixed variables included),
/// with its mean complementarity product. `NaN` marks a value the point does not have
/// (a variable or row of a problem it was mapped to that its own problem lacked).
#[derive(Clone, Debug)]
pub(crate) struct WarmPoint {
    x: Vec<f64>,
    y: Vec<f64>,
    s: Vec<f64>,
    lower_dual: Vec<f64>,
    upper_dual: Vec<f64>,
    /// Mean complementarity product, in the original objective's units.
    mu: f64,
    /// Each variable's and row's place in the pivot order of the Newton system the point
    /// was taken on (`None`: fixed there, or not in that problem).
    variable_place: Vec<Option<u32>>,
    row_place: Vec<Option<u32>>,
    /// Where each variable and row sat in the answer of the solve the point was taken in
    /// (`None`: fixed there, not in that problem, or the answer's active set not known):
    /// a nearby problem's solve tries that active set first (see `polish.rs`).
    active_variables: Vec<Option<Place>>,
    active_rows: Vec<Option<bool>>,
    /// The equilibration scales of the point's problem (`NaN`: fixed there, or not in it),
    /// which a nearby problem reuses (see [`ScaledProblem::with_scales`]).
    variable_scale: Vec<f64>,
    row_scale: Vec<f64>,
    /// That answer's `x` and `y`, in original units (`NaN` where not known): active-set
    /// steps refine from it, so that what the optimality conditions leave open (a price
    /// of a degenerate market, a split between routes of equal cost) stays where the last
    /// answer had it instead of where the interior point's early iterate had it.
    answer_x: Vec<f64>,
    answer_y: Vec<f64>,
}

impl WarmPoint {
    /// The iterate `at` of `problem`, with mean product `mu`, in original units;
    /// `pivot_place[k]` is where the Newton system's column `k` (variables, then rows) is
    /// pivoted.
    pub(super) fn record(
        problem: &ScaledProblem,
        at: &Iterates,
        mu: f64,
        pivot_place: &[usize],
    ) -> Self {
        let n = problem.fixed_value.len();
        let narrow = |place: usize| u32::try_from(place).ok();
        let mut variable_place = vec![None; n];
        let mut variable_scale = vec![f64::NAN; n];
        let mut x = problem.fixed_value.clone();
        let (mut lower_dual, mut upper_dual) = (vec![0.0; n], vec![0.0; n]);
        for (k, &j) in problem.variables.iter().enumerate() {
            variable_place[j] = narrow(pivot_place[k]);
            let e = problem.variable_scale[k];
            variable_scale[j] = e;
            x[j] = at.x[k] * e;
            lower_dual[j] = at.lower_dual[k] / (e * problem.cost_scale);
            upper_dual[j] = at.upper_dual[k] / (e * problem.cost_scale);
        }
        let row_place = pivot_place[problem.variable_count()..]
            .iter()
            .map(|&place| narrow(place))
            .collect();
        let r = &problem.row_scale;
        Self {
            x,
            y: (0..r.len())
                .map(|i| at.y[i] * r[i] / problem.cost_scale)
                .collect(),
            s: (0..r.len()).map(|i| at.s[i] / r[i]).collect(),
            lower_dual,
            upper_dual,
            mu: mu / problem.cost_scale,
            active_variables: vec![None; n],
            active_rows: vec![None; r.len()],
            variable_scale,
            row_scale: r.clone(),
            answer_x: vec![f64::NAN; n],
            answer_y: vec![f64::NAN; r.len()],
            variable_place,
            row_place,
        }
    }

    /// Keeps `active`, the active set of `problem`'s answer, for nearby problems.
    /// Keeps `answer`, `problem`'s answer, and `active`, the active set it is exact on,
    /// for nearby problems.
    pub(super) fn set_answer(
        &mut self,
        problem: &ScaledProblem,
        active: &ActiveSet,
        answer: &Iterates,
    ) {
        self.active_variables.fill(None);
        self.answer_x.clone_from(&problem.fixed_value);
        for (k, &j) in problem.variables.iter().enumerate() {
            self.active_variables[j] = Some(active.variables[k]);
            self.answer_x[j] = answer.x[k] * problem.variable_scale[k];
        }
        self.active_rows = active.binding.iter().map(|&b| Some(b)).collect();
        self.answer_y = (0..problem.row_count())
            .map(|i| answer.y[i] * problem.row_scale[i] / problem.cost_scale)
            .collect();
    }

    /// The kept answer's `x` and `y` in `problem`'s scaled units, `fallback`'s where it has
    /// none (the other parts are `fallback`'s).
    pub(super) fn answer_in(&self, problem: &ScaledProblem, fallback: &Iterates) -> Iterates {
        let mut point = Iterates::zeros(problem);
        point.copy_from(fallback);
        if self.answer_x.len() != problem.fixed_value.len()
            || self.answer_y.len() != problem.row_count()
        {
            return point;
        }
        for (k, &j) in problem.variables.iter().enumerate() {
            if self.answer_x[j].is_finite() {
                point.x[k] = self.answer_x[j] / problem.variable_scale[k];
            }
        }
        for (i, y) in point.y.iter_mut().enumerate() {
            if self.answer_y[i].is_finite() {
                *y = self.answer_y[i] * problem.cost_scale / problem.row_scale[i];
            }
        }
        point
    }

    /// The active set this point's answer had, on `problem`'s items: an item the answer
    /// did not have is free (a variable) or slack (an inequality row); `None` where no
    /// active set is known.
    pub(super) fn active_in(&self, problem: &ScaledProblem) -> Option<ActiveSet> {
        let sized = self.active_variables.len() == problem.fixed_value.len()
            && self.active_rows.len() == problem.row_count();
        let known = self.active_rows.iter().any(Option::is_some)
            || self.active_variables.iter().any(Option::is_some);
        if !sized || !known {
            return None;
        }
        let variables = problem
            .variables
            .iter()
            .enumerate()
            .map(|(k, &j)| match self.active_variables[j] {
                Some(Place::AtLower) if problem.lower[k].is_finite() => Place::AtLower,
                Some(Place::AtUpper) if problem.upper[k].is_finite() => Place::AtUpper,
                _ => Place::Free,
            })
            .collect();
        let binding = (0..problem.row_count())
            .map(|i| problem.is_equality[i] || self.active_rows[i] == Some(true))
            .collect();
        Some(ActiveSet { variables, binding })
    }

    /// The point for another problem whose variable `j` is this point's `variables[j]`
    /// and whose row `i` is its `rows[i]` (`None`: new, given `NaN`).
    pub(crate) fn mapped(&self, variables: &[Option<usize>], rows: &[Option<usize>]) -> Self {
        let pick = |values: &[f64], map: &[Option<usize>]| {
            map.iter()
                .map(|k| k.map_or(f64::NAN, |k| values[k]))
                .collect()
        };
        let place = |places: &[Option<u32>], map: &[Option<usize>]| {
            map.iter().map(|k| k.and_then(|k| places[k])).collect()
        };
        Self {
            x: pick(&self.x, variables),
            y: pick(&self.y, rows),
            s: pick(&self.s, rows),
            lower_dual: pick(&self.lower_dual, variables),
            upper_dual: pick(&self.upper_dual, variables),
            mu: self.mu,
            variable_place: place(&self.variable_place, variables),
            row_place: place(&self.row_place, rows),
            active_variables: variables
                .iter()
                .map(|k| k.and_then(|k| self.active_variables[k]))
                .collect(),
            active_rows: rows
                .iter()
                .map(|k| k.and_then(|k| self.active_rows[k]))
                .collect(),
            variable_scale: pick(&self.variable_scale, variables),
            row_scale: pick(&self.row_scale, rows),
            answer_x: pick(&self.answer_x, variables),
            answer_y: pick(&self.answer_y, rows),
        }
    }

    /// A pivot order for `problem`'s Newton system (variables, then rows; `order[k]` is
    /// the column pivoted `k`-th): the point's own order restricted to the problem's
    /// items, or `None` where the problem has an item without a place in it.
    pub(super) fn order_in(&self, problem: &ScaledProblem) -> Option<Vec<usize>> {
        let n = problem.variable_count();
        let sized = self.variable_place.len() == problem.fixed_value.len()
            && self.row_place.len() == problem.row_count();
        if !sized {
            return None;
        }
        let mut placed = Vec::with_capacity(n + problem.row_count());
        for (k, &j) in problem.variables.iter().enumerate() {
            placed.push((self.variable_place[j]?, k));
        }
        for (i, &place) in self.row_place.iter().enumerate() {
            placed.push((place?, n + i));
        }
        placed.sort_unstable();
        Some(placed.into_iter().map(|(_, k)| k).collect())
    }

    /// The equilibration scales of the point's problem, for a nearby one.
    pub(super) fn scales(&self) -> KnownScales<'_> {
        KnownScales {
            variables: &self.variable_scale,
            rows: &self.row_scale,
        }
    }

    /// The point's mean complementarity product in `problem`'s scaled units.
    pub(super) fn mu_in(&self, problem: &ScaledProblem) -> f64 {
        self.mu * problem.cost_scale
    }

    /// A strictly interior start for `problem` near this point; `None` where the point
    /// is not of the problem's size or gives no usable product.
    pub(super) fn start(&self, problem: &ScaledProblem) -> Option<Iterates> {
        let mu = self.mu_in(problem);
        let sized =
            self.x.len() == problem.fixed_value.len() && self.y.len() == problem.row_count();
        if !(sized && mu > 0.0 && mu.is_finite()) {
            return None;
        }
        let floor = mu.sqrt();
        // The smallest gap that gives a pair with dual `dual` the product `mu`.
        let least_gap = |dual: f64| mu / dual.max(floor);
        let known = |value: f64, otherwise: f64| if value.is_nan() { otherwise } else { value };
        let mut start = Iterates::zeros(problem);
        for (k, &j) in problem.variables.iter().enumerate() {
            let (e, c) = (problem.variable_scale[k], problem.cost_scale);
            let (l, u) = (problem.lower[k], problem.upper[k]);
            let lower_dual = known(self.lower_dual[j], 0.0) * e * c;
            let upper_dual = known(self.upper_dual[j], 0.0) * e * c;
            let (from, to) = (l + least_gap(lower_dual), u - least_gap(upper_dual));
            // A new variable starts where a cold start puts it.
            let x = if from <= to {
                known(self.x[j] / e, cold_value(l, u)).clamp(from, to)
            } else {
                0.5 * (l + u)
            };
            start.x[k] = x;
            if l.is_finite() {
                start.lower_dual[k] = lower_dual.max(mu / (x - l));
            }
            if u.is_finite() {
                start.upper_dual[k] = upper_dual.max(mu / (u - x));
            }
        }
        for i in 0..problem.row_count() {
            let r = problem.row_scale[i];
            let y = known(self.y[i], 0.0) * problem.cost_scale / r;
            if problem.is_equality[i] {
                start.y[i] = y;
            } else {
                let s = (known(self.s[i], 1.0 / r) * r).max(least_gap(y));
                start.s[i] = s;
                start.y[i] = y.max(mu / s);
            }
        }
        let finite = start
            .x
            .iter()
            .chain(&start.y)
            .chain(&start.s)
            .chain(&start.lower_dual)
            .chain(&start.upper_dual)
            .all(|v| v.is_finite());
        finite.then_some(start)
    }
}

#[cfg(test)]
mod tests {
    use super::super::kkt::{AMD_RUNS, Kkt};
    use super::super::{BoxQp, InteriorSettings, InteriorSolution, ScaledProblem, solve};
    use super::WarmPoint;

    /// Three variables in `[0, 2]`, `x₀ + x₁ + x₂ = 3` and `x₀ − x₂ ≤ 1`; `fixed` fixes
    /// `x₁` at 1 (so the solver takes its column out).
    struct Small {
        lower: [f64; 3],
        upper: [f64; 3],
    }

    const PASSES: u32 = 10;

    impl Small {
        fn new(fixed: bool) -> Self {
            if fixed {
                Self {
                    lower: [0.0, 1.0, 0.0],
                    upper: [2.0, 1.0, 2.0],
                }
            } else {
                Self {
                    lower: [0.0; 3],
                    upper: [2.0; 3],
                }
            }
        }

        fn problem(&self) -> BoxQp<'_> {
            BoxQp {
                linear: &[-1.0, -2.0, 0.5],
                quadratic: &[1.0, 2.0, 1.0],
                lower: &self.lower,
                upper: &self.upper,
                row_start: &[0, 3, 5],
                columns: &[0, 1, 2, 0, 2],
                coefficients: &[1.0, 1.0, 1.0, 1.0, -1.0],
                rhs: &[3.0, 1.0],
                is_equality: &[true, false],
            }
        }

        fn scaled(&self) -> ScaledProblem {
            ScaledProblem::new(&self.problem(), PASSES)
        }

        fn solve(&self, warm: Option<&WarmPoint>) -> InteriorSolution {
            self.solve_with_steps(warm, 0)
        }

        fn solve_with_steps(&self, warm: Option<&WarmPoint>, steps: u32) -> InteriorSolution {
            let settings = InteriorSettings {
                tolerance_gap: 1e-10,
                tolerance_feasibility: 1e-10,
                max_iterations: 100,
                equilibration_passes: PASSES,
                warm_active_set_steps: steps,
            };
            solve(&self.problem(), &settings, warm, true).expect("solves")
        }

        fn order(&self, point: &WarmPoint) -> Option<Vec<usize>> {
            point.order_in(&self.scaled())
        }
    }

    fn amd_runs() -> u32 {
        AMD_RUNS.with(std::cell::Cell::get)
    }

    /// `order[places[k]] == k` for every column `k`.
    fn assert_inverse(order: &[usize], places: &[usize]) {
        assert_eq!(order.len(), places.len());
        for (k, &place) in places.iter().enumerate() {
            assert_eq!(order[place], k, "column {k}, pivoted {place}-th");
        }
    }

    #[test]
    fn a_point_gives_its_own_problem_the_order_that_problem_was_pivoted_in() {
        // x₁ fixed: the recorded places go through the map from kept to original variables.
        let fixed = Small::new(true);
        let point = fixed.solve(None).warm_point.expect("a warm point");
        let order = fixed.order(&point).expect("every item has a place");
        let amd = Kkt::new(&fixed.scaled(), None).expect("a system");
        assert_inverse(&order, amd.pivot_places());
    }

    #[test]
    fn a_system_is_pivoted_in_the_order_it_is_given() {
        let full = Small::new(false);
        let mut point = full.solve(None).warm_point.expect("a warm point");
        point.variable_place = vec![Some(4), Some(3), Some(2)];
        point.row_place = vec![Some(1), Some(0)];
        let order = full.order(&point).expect("every item has a place");
        assert_eq!(order, [4, 3, 2, 1, 0]);
        let kkt = Kkt::new(&full.scaled(), Some(&order)).expect("a system");
        assert_inverse(&order, kkt.pivot_places());
    }

    #[test]
    fn a_problem_with_an_item_fixed_is_solved_in_the_old_order_less_that_item_without_amd() {
        let (full, fixed) = (Small::new(false), Small::new(true));
        let point = full.solve(None).warm_point.expect("a warm point");
        let order = full.order(&point).expect("every item has a place");
        // Fixing x₁ takes its column (1) out; the later columns move down by one.
        let expected: Vec<usize> = order
            .iter()
            .filter(|&&k| k != 1)
            .map(|&k| if k > 1 { k - 1 } else { k })
            .collect();
        assert_eq!(fixed.order(&point), Some(expected));
        let before = amd_runs();
        let warm = fixed.solve(Some(&point));
        assert_eq!(
            amd_runs(),
            before,
            "no AMD from a warm start whose order covers all"
        );
        let cold = fixed.solve(None);
        assert_eq!(
            amd_runs(),
            before + 1,
            "AMD orders a pattern its thread has not seen"
        );
        let pairs = warm.values.iter().zip(&cold.values);
        for (a, b) in pairs.chain(warm.row_duals.iter().zip(&cold.row_duals)) {
            assert!((a - b).abs() < 1e-7, "{a} against {b}");
        }
    }

    #[test]
    fn the_active_set_goes_through_the_map_from_kept_to_original_variables() {
        // Taken on the problem with x₁ fixed (its column out), the answer's active set is
        // kept by original variable; a re-solve of the same problem from it takes one
        // active-set step, with an equality row and an inequality row.
        let fixed = Small::new(true);
        let cold = fixed.solve(None);
        let point = cold.warm_point.expect("a warm point");
        let again = fixed.solve_with_steps(Some(&point), 2);
        assert_eq!(again.iterations, 1, "one active-set step");
        let pairs = again.values.iter().zip(&cold.values);
        for (a, b) in pairs.chain(again.row_duals.iter().zip(&cold.row_duals)) {
            assert!((a - b).abs() < 1e-9, "{a} against {b}");
        }
        // Mapped onto the problem with x₁ free, the set has x₁ free (it was fixed, not
        // placed), and the re-solve ends on that problem's cold answer.
        let full = Small::new(false);
        let free = full.solve_with_steps(Some(&point), 2);
        let cold_full = full.solve(None);
        for (a, b) in free.values.iter().zip(&cold_full.values) {
            assert!((a - b).abs() < 1e-9, "{a} against {b}");
        }
    }

    #[test]
    fn an_item_the_old_problem_lacked_leaves_the_order_to_amd() {
        let full = Small::new(false);
        let point = full.solve(None).warm_point.expect("a warm point");
        let new_variable = point.mapped(&[Some(0), Some(1), None], &[Some(0), Some(1)]);
        assert_eq!(full.order(&new_variable), None);
        let new_row = point.mapped(&[Some(0), Some(1), Some(2)], &[Some(0), None]);
        assert_eq!(full.order(&new_row), None);
    }
}
