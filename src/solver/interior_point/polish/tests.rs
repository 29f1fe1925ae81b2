//! The polish on a QP solved by hand:
//!
//! ```text
//! minimise ½(x₀² + x₁²) − 3x₀ − x₁/2   subject to   x₀ + x₁ ≤ b,   0 ≤ x ≤ 10.
//! ```
//!
//! With `b = 2` the row binds and so does `x₁ ≥ 0`: the answer is `x = (2, 0)`, the row's
//! dual 1 and `x₁`'s bound dual ½ (`x₀ − 3 + y = 0`, `x₁ − ½ + y − λ = 0`). With `b = 4`
//! nothing binds: `x = (3, ½)`. With `b = 4` and `x₀ ≤ 1.5`, `x₀` binds at its upper
//! bound with multiplier 1.5 (`x₀ − 3 + λᵤ = 0`) and `x = (1.5, ½)`.

use super::super::iterates::Iterates;
use super::super::kkt::Kkt;
use super::super::scaled::ScaledProblem;
use super::super::{BoxQp, InteriorSettings, InteriorSolution, solve};
use super::{ActiveSet, Place, Polished, polish};
use crate::solver::interior_point::iterates::Residuals;

const LOWER: [f64; 2] = [0.0, 0.0];
const UPPER: [f64; 2] = [10.0, 10.0];
const UPPER_BINDING: [f64; 2] = [1.5, 10.0];

fn problem(rhs: &[f64; 1]) -> BoxQp<'_> {
    problem_within(rhs, &UPPER)
}

fn problem_within<'a>(rhs: &'a [f64; 1], upper: &'a [f64; 2]) -> BoxQp<'a> {
    BoxQp {
        linear: &[-3.0, -0.5],
        quadratic: &[1.0, 1.0],
        lower: &LOWER,
        upper,
        row_start: &[0, 2],
        columns: &[0, 1],
        coefficients: &[1.0, 1.0],
        rhs,
        is_equality: &[false],
    }
}

fn settings(warm_active_set_steps: u32) -> InteriorSettings {
    InteriorSettings {
        tolerance_gap: 1e-10,
        tolerance_feasibility: 1e-10,
        max_iterations: 100,
        equilibration_passes: 10,
        warm_active_set_steps,
    }
}

/// The polish of `guess` on the problem with `b = 2`, from the cold start.
fn polished(guess: &ActiveSet) -> (ScaledProblem, Polished) {
    let scaled = ScaledProblem::new(&problem(&[2.0]), 10);
    let mut kkt = Kkt::new(&scaled, None).expect("a system");
    let from = Iterates::start(&scaled).expect("a start");
    let mut residuals = Residuals::new(&scaled);
    let outcome = polish(
        &scaled,
        &settings(0),
        &mut kkt,
        guess,
        &from,
        false,
        &mut residuals,
    );
    (scaled, outcome)
}

fn guess(variables: [Place; 2], binding: bool) -> ActiveSet {
    ActiveSet {
        variables: variables.to_vec(),
        binding: vec![binding],
    }
}

fn assert_answer(solution: &InteriorSolution, values: [f64; 2], row_dual: f64) {
    for (got, want) in solution.values.iter().zip(values) {
        assert!((got - want).abs() < 1e-13, "x = {:?}", solution.values);
    }
    let dual = solution.row_duals[0];
    assert!((dual - row_dual).abs() < 1e-12, "row dual {dual}");
}

#[test]
fn the_right_guess_gives_the_hand_solved_answer_to_rounding() {
    let (scaled, outcome) = polished(&guess([Place::Free, Place::AtLower], true));
    let Polished::Exact(point) = outcome else {
        panic!("the right guess is exact");
    };
    assert_answer(&scaled.unscale(&point, 0), [2.0, 0.0], 1.0);
    // x₁'s bound dual, in the original units: the scaled dual over its scale and the
    // cost scale.
    let lower_dual = point.lower_dual[1] / (scaled.variable_scale[1] * scaled.cost_scale);
    assert!((lower_dual - 0.5).abs() < 1e-12, "bound dual {lower_dual}");
}

#[test]
fn a_free_variable_past_its_bound_is_fixed_at_it() {
    // Free, x₁ comes out at −¼.
    let (_, outcome) = polished(&guess([Place::Free, Place::Free], true));
    let Polished::Wrong(corrected) = outcome else {
        panic!("x₁ < 0 is wrong");
    };
    assert_eq!(corrected, guess([Place::Free, Place::AtLower], true));
}

#[test]
fn a_slack_row_its_answer_breaks_is_made_binding() {
    // With nothing binding, x = (3, ½) and the row's activity is 3.5 > 2.
    let (_, outcome) = polished(&guess([Place::Free, Place::Free], false));
    let Polished::Wrong(corrected) = outcome else {
        panic!("x₀ + x₁ = 3.5 > 2 is wrong");
    };
    assert_eq!(corrected, guess([Place::Free, Place::Free], true));
}

#[test]
fn every_correction_is_made_at_once() {
    // x₀ at its lower bound: x₁ = 2 and the row's dual −1.5, so the row is let go; with
    // its dual at zero, x₀'s multiplier is 0 − 3 < 0, so x₀ is freed too.
    let (_, outcome) = polished(&guess([Place::AtLower, Place::Free], true));
    let Polished::Wrong(corrected) = outcome else {
        panic!("a negative row dual is wrong");
    };
    assert_eq!(corrected, guess([Place::Free, Place::Free], false));
}

#[test]
fn a_cold_solve_ends_on_the_polished_answer_beyond_its_tolerance() {
    let solution = solve(&problem(&[2.0]), &settings(0), None, true).expect("solves");
    // The tolerance is 1e-10; the polish is exact to rounding, and puts x₁ on its bound
    // exactly, where an interior point only comes near it.
    assert_answer(&solution, [2.0, 0.0], 1.0);
    assert_eq!(solution.values[1], 0.0);
}

#[test]
fn a_variable_binding_at_its_upper_bound_has_a_positive_multiplier() {
    let scaled = ScaledProblem::new(&problem_within(&[4.0], &UPPER_BINDING), 10);
    let mut kkt = Kkt::new(&scaled, None).expect("a system");
    let from = Iterates::start(&scaled).expect("a start");
    let mut residuals = Residuals::new(&scaled);
    let right = guess([Place::AtUpper, Place::Free], false);
    let outcome = polish(
        &scaled,
        &settings(0),
        &mut kkt,
        &right,
        &from,
        false,
        &mut residuals,
    );
    let Polished::Exact(point) = outcome else {
        panic!("the right guess is exact");
    };
    assert_answer(&scaled.unscale(&point, 0), [1.5, 0.5], 0.0);
    let upper_dual = point.upper_dual[0] / (scaled.variable_scale[0] * scaled.cost_scale);
    assert!((upper_dual - 1.5).abs() < 1e-12, "bound dual {upper_dual}");
    // Freed, x₀ goes to 3, past its bound: it is fixed there again.
    let freed = guess([Place::Free, Place::Free], false);
    let outcome = polish(
        &scaled,
        &settings(0),
        &mut kkt,
        &freed,
        &from,
        false,
        &mut residuals,
    );
    let Polished::Wrong(corrected) = outcome else {
        panic!("x₀ = 3 > 1.5 is wrong");
    };
    assert_eq!(corrected, right);
    // And a cold solve ends there.
    let solution = solve(
        &problem_within(&[4.0], &UPPER_BINDING),
        &settings(0),
        None,
        false,
    )
    .expect("solves");
    assert_answer(&solution, [1.5, 0.5], 0.0);
}

#[test]
fn a_warm_solve_on_an_unchanged_active_set_takes_one_factorisation() {
    let first = solve(&problem(&[2.0]), &settings(0), None, true).expect("solves");
    let point = first.warm_point.expect("a warm point");
    // b = 1.5 keeps the active set: x = (1.5, 0), y = 1.5.
    let moved = solve(&problem(&[1.5]), &settings(2), Some(&point), true).expect("solves");
    assert_eq!(
        moved.iterations, 1,
        "one active-set step, no interior point"
    );
    assert_answer(&moved, [1.5, 0.0], 1.5);
    // Its warm point keeps that active set for the next move.
    let next = moved.warm_point.expect("a warm point");
    let again = solve(&problem(&[1.0]), &settings(2), Some(&next), true).expect("solves");
    assert_eq!(again.iterations, 1);
    assert_answer(&again, [1.0, 0.0], 2.0);
}

#[test]
fn a_warm_solve_whose_active_set_changed_steps_to_it_or_falls_back() {
    let first = solve(&problem(&[2.0]), &settings(0), None, true).expect("solves");
    let point = first.warm_point.expect("a warm point");
    // b = 4: nothing binds. From {x₁ at 0, row binding}: x₀ = 4 and the row's dual −1
    // (let it go), and x₁'s multiplier −½ (free it); then the answer.
    let stepped = solve(&problem(&[4.0]), &settings(2), Some(&point), false).expect("solves");
    assert_eq!(stepped.iterations, 2, "two active-set steps");
    assert_answer(&stepped, [3.0, 0.5], 0.0);
    // Allowed one step, the solve goes on from the warm point's iterate instead and ends
    // on the same answer.
    let fell_back = solve(&problem(&[4.0]), &settings(1), Some(&point), false).expect("solves");
    assert!(
        fell_back.iterations > 1,
        "{} iterations",
        fell_back.iterations
    );
    assert_answer(&fell_back, [3.0, 0.5], 0.0);
}
