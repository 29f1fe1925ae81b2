//! Tests of the quadratic program: known answers, duals, LP text, and the problems
//! Clarabel must not see (empty, or with numbers that overflowed).

use super::lp_format::unique_lp_names;
use super::*;

/// Found by fuzzing: Clarabel panicked on a problem with no variable.
#[test]
fn a_problem_without_variables_is_solved_without_clarabel() {
    let mut qp = QuadraticProgram::new();
    qp.add_constant(2.5);
    let solution = qp.solve(&QpSettings::default());
    assert_eq!(solution.status, QpStatus::Optimal);
    assert_eq!(solution.objective, 2.5);
    assert!(solution.values.is_empty());
    qp.add_row(|| "impossible".to_owned(), Sense::Equal, Vec::new(), 1.0);
    let solution = qp.solve(&QpSettings::default());
    assert_eq!(solution.status, QpStatus::Infeasible);
    assert_eq!(solution.row_duals, [0.0]);
}

/// Scenario numbers near `f64::MAX` overflow while a problem is built; such a problem
/// is numerical trouble, not a panic or a NaN answer called optimal.
#[test]
fn a_problem_with_numbers_that_overflowed_is_numerical_trouble() {
    let mut qp = QuadraticProgram::new();
    let x = qp.add_var(|| "x".to_owned(), 0.0, f64::INFINITY, -1.0, 1.0);
    qp.add_row(|| "cap".to_owned(), Sense::AtMost, vec![(x, 1.0)], 10.0);
    assert_eq!(qp.solve(&QpSettings::default()).status, QpStatus::Optimal);
    for (cost, cap) in [
        (f64::NAN, 10.0),
        (-1.0, f64::INFINITY),
        (f64::NEG_INFINITY, 10.0),
    ] {
        let mut qp = QuadraticProgram::new();
        let x = qp.add_var(|| "x".to_owned(), 0.0, f64::INFINITY, cost, 1.0);
        qp.add_row(|| "cap".to_owned(), Sense::AtMost, vec![(x, 1.0)], cap);
        let solution = qp.solve(&QpSettings::default());
        assert_eq!(solution.status, QpStatus::NumericalTrouble, "{cost} {cap}");
    }
}

/// min (x − 3)²/2 + (y − 1)²/2 s.t. x + y = b with b = 3: x = 2.5, y = 0.5. The
/// optimal objective is (b − 4)²/4, so its derivative in b is −0.5 and the dual +0.5.
#[test]
fn a_tiny_qp_has_its_textbook_solution() {
    let mut qp = QuadraticProgram::new();
    let x = qp.add_var(|| "x".to_owned(), 0.0, f64::INFINITY, -3.0, 1.0);
    let y = qp.add_var(|| "y".to_owned(), 0.0, f64::INFINITY, -1.0, 1.0);
    let row = qp.add_row(
        || "sum".to_owned(),
        Sense::Equal,
        vec![(x, 1.0), (y, 1.0)],
        3.0,
    );
    let solution = qp.solve(&QpSettings::default());
    assert_eq!(solution.status, QpStatus::Optimal);
    assert!(
        (solution.values[x.0] - 2.5).abs() < 1e-7,
        "{:?}",
        solution.values
    );
    assert!(
        (solution.values[y.0] - 0.5).abs() < 1e-7,
        "{:?}",
        solution.values
    );
    assert!(
        (solution.row_duals[row.0] - 0.5).abs() < 1e-7,
        "{}",
        solution.row_duals[row.0]
    );
    assert!(qp.max_violation(&solution.values) < 1e-7);
}

#[test]
fn infeasibility_is_a_status_not_a_panic() {
    let mut qp = QuadraticProgram::new();
    let x = qp.add_var(|| "x".to_owned(), 0.0, 1.0, 1.0, 0.0);
    qp.add_row(|| "too_much".to_owned(), Sense::Equal, vec![(x, 1.0)], 5.0);
    assert_eq!(
        qp.solve(&QpSettings::default()).status,
        QpStatus::Infeasible
    );
}

#[test]
fn lp_names_stay_unique_after_sanitising() {
    let names = unique_lp_names(&["a b".to_owned(), "a_b".to_owned(), "a-b".to_owned()]);
    assert_eq!(names, ["a_b", "a_b#2", "a_b#3"]);
}

#[test]
fn lp_text_names_everything() {
    let mut qp = QuadraticProgram::new();
    let x = qp.add_var(|| "ship CHN->JPN".to_owned(), 0.0, 4.0, -2.0, 0.5);
    qp.add_row(|| "cap[1]".to_owned(), Sense::AtMost, vec![(x, 1.0)], 3.0);
    let text = qp.to_lp_string("test");
    assert!(
        text.contains("obj: - 2.0 ship_CHN__JPN + [ + 0.5 ship_CHN__JPN ^2 ] / 2"),
        "{text}"
    );
    assert!(
        text.contains(" cap_1_: + 1.0 ship_CHN__JPN <= 3.0"),
        "{text}"
    );
    assert!(text.contains(" 0.0 <= ship_CHN__JPN <= 4.0"), "{text}");
}

/// min ½x² + ½y² s.t. x + y = 2 with both variables free: no bound and no inequality, so
/// nothing to centre (μ = 0). x = y = 1; the dual of the row solves 1 + y = 0: −1. The
/// interior-point method answers it itself.
#[test]
fn a_qp_without_bounds_is_solved_by_the_interior_point() {
    let mut qp = QuadraticProgram::new();
    let x = qp.add_var(
        || "x".to_owned(),
        f64::NEG_INFINITY,
        f64::INFINITY,
        0.0,
        1.0,
    );
    let y = qp.add_var(
        || "y".to_owned(),
        f64::NEG_INFINITY,
        f64::INFINITY,
        0.0,
        1.0,
    );
    let row = qp.add_row(
        || "sum".to_owned(),
        Sense::Equal,
        vec![(x, 1.0), (y, 1.0)],
        2.0,
    );
    let solution = qp.solve(&QpSettings::default());
    assert_eq!(solution.status, QpStatus::Optimal);
    assert_eq!(solution.solved_by, QpMethod::InteriorPoint);
    assert!((solution.values[x.0] - 1.0).abs() < 1e-9);
    assert!((solution.values[y.0] - 1.0).abs() < 1e-9);
    assert!((solution.row_duals[row.0] + 1.0).abs() < 1e-9);
}

/// A capacity of 1 against a delivery of at least 2: the interior point cannot converge,
/// gives up, and Clarabel says why (infeasible), so a year is never called solved wrongly.
#[test]
fn an_infeasible_qp_is_handed_to_clarabel() {
    let mut qp = QuadraticProgram::new();
    let x = qp.add_var(|| "x".to_owned(), 0.0, 1.0, 1.0, 0.0);
    qp.add_row(
        || "deliver".to_owned(),
        Sense::AtMost,
        vec![(x, -1.0)],
        -2.0,
    );
    let solution = qp.solve(&QpSettings::default());
    assert_eq!(solution.status, QpStatus::Infeasible);
    assert_eq!(solution.solved_by, QpMethod::Clarabel);
}

/// A variable fixed by its bounds (l = u) is taken out before the interior point iterates
/// and comes back at its value: min 7x + ½y² − 5y s.t. x + y ≤ 4 with x fixed at 1 gives y = 3,
/// and the row's dual is the value of relaxing it, 2.
#[test]
fn a_fixed_variable_keeps_its_value() {
    let mut qp = QuadraticProgram::new();
    let x = qp.add_var(|| "x".to_owned(), 1.0, 1.0, 7.0, 0.0);
    let y = qp.add_var(|| "y".to_owned(), 0.0, f64::INFINITY, -5.0, 1.0);
    let row = qp.add_row(
        || "cap".to_owned(),
        Sense::AtMost,
        vec![(x, 1.0), (y, 1.0)],
        4.0,
    );
    let solution = qp.solve(&QpSettings::default());
    assert_eq!(solution.status, QpStatus::Optimal);
    assert_eq!(solution.solved_by, QpMethod::InteriorPoint);
    assert_eq!(solution.values[x.0], 1.0);
    assert!((solution.values[y.0] - 3.0).abs() < 1e-9);
    assert!((solution.row_duals[row.0] - 2.0).abs() < 1e-8);
    // 7 for x, −5·3 + ½·3² for y.
    assert!((solution.objective + 3.5).abs() < 1e-8);
}
