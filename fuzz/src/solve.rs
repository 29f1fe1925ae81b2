//! Target `solve`: bytes → a small valid scenario → calibrate → solve → honest results.

use rareflow::model::{Scenario, validate};
use rareflow::solver::{
    self, Solution, SolveError, SolveStatus, SolverSettings, YearSolution, Years,
};

use super::scenario_gen::scenario_from_bytes;

/// Decodes a scenario from `bytes` (see [`scenario_from_bytes`]), calibrates and solves
/// every year, and checks the answer is honest. A calibration that fails with its reason
/// is fine, and so is a year whose status says it is infeasible or in numerical trouble.
/// A bug is a panic anywhere (also one the solver catches and reports as a failed year),
/// a generated scenario that fails validation (the generator's bug), a year missing, or a
/// year reported usable whose numbers are not finite or break their bounds.
pub fn solve_generated_scenario(bytes: &[u8]) {
    let scenario = scenario_from_bytes(bytes);
    let problems = validate(&scenario);
    assert!(
        problems.is_empty(),
        "the generator made an invalid scenario: {problems:?}"
    );
    // One thread: AFL++ wants each run to take the same path.
    let settings = SolverSettings {
        threads: 1,
        ..SolverSettings::default()
    };
    let calibration = match solver::calibrate(&scenario, &settings) {
        Ok(calibration) => calibration,
        Err(SolveError::Calibration(reason)) => {
            assert!(
                reason
                    .to_string()
                    .contains(&scenario.meta.base_year.to_string()),
                "a calibration failure names no year: {reason}"
            );
            return;
        }
        Err(other) => panic!("calibration failed other than on the base year: {other}"),
    };
    match solver::solve(&scenario, &calibration, Years::All, &settings, None) {
        Ok(solution) => check_solution(&scenario, &solution),
        Err(error) => panic!("the solve failed: {error}"),
    }
}

/// Every year of the horizon is there, in order, and a usable year's numbers are finite
/// and within their bounds.
fn check_solution(scenario: &Scenario, solution: &Solution) {
    let years: Vec<i32> = solution.years.iter().map(|year| year.year).collect();
    let expected: Vec<i32> = scenario.years().collect();
    assert_eq!(
        years, expected,
        "the solution's years are not the horizon's"
    );
    for year in &solution.years {
        if year.status.is_usable() {
            check_usable_year(year);
        }
    }
}

/// The size of a year's numbers: the largest of `values` that is finite (0 if none).
fn scale(values: impl Iterator<Item = f64>) -> f64 {
    values
        .filter(|value| value.is_finite())
        .map(f64::abs)
        .fold(0.0, f64::max)
}

/// A usable year's numbers are finite and within their bounds, to a slack that grows with
/// the year's scale: the solver accepts answers within 1e-5 of the problem's scale (in kt),
/// so a year with 1e12 t somewhere may be off by kilotonnes elsewhere, and an interior point
/// leaves dust even at small scales.
fn check_usable_year(year: &YearSolution) {
    let tonnes = scale(
        year.markets
            .iter()
            .flat_map(|m| [m.reference_t, m.consumption_t, m.stock_release_t])
            .chain(year.nodes.iter().flat_map(|n| [n.capacity_t, n.output_t]))
            .chain(year.flows.iter().map(|flow| flow.t)),
    );
    let prices = scale(year.markets.iter().flat_map(|m| {
        [
            m.price_usd_per_kg,
            m.reference_price_usd_per_kg,
            m.choke_price_usd_per_kg,
        ]
    }));
    // A year solved to reduced accuracy says so, and may be ten times less precise.
    let relative = match year.status {
        SolveStatus::AlmostOptimal => 1e-4,
        _ => 1e-5,
    };
    // Below a tonne is interior-point dust where the problem's bounds (stocks, build
    // limits) are far larger than what the year moves.
    let slack_t = 1.0 + relative * tonnes;
    let slack_price = 1e-3 + relative * prices;
    let at = |what: &str| format!("{} ({:?}): {what}", year.year, year.status);
    let within = |what: &str, value: f64, slack: f64| {
        assert!(
            value.is_finite() && value >= -slack,
            "{}",
            at(&format!("{what} is {value}"))
        );
    };
    assert!(
        year.welfare_musd.is_finite(),
        "{}",
        at("welfare is not finite")
    );
    for market in &year.markets {
        let name = format!("{}/{}", market.region, market.commodity);
        within(
            &format!("{name} consumption"),
            market.consumption_t,
            slack_t,
        );
        within(&format!("{name} shortfall"), market.shortfall_t, slack_t);
        within(
            &format!("{name} price"),
            market.price_usd_per_kg,
            slack_price,
        );
        within(
            &format!("{name} stock release"),
            market.stock_release_t,
            slack_t,
        );
        for origin in &market.origin {
            within(&format!("{name} origin share"), origin.share, 1e-6);
        }
    }
    for node in &year.nodes {
        within(&format!("{} output", node.node), node.output_t, slack_t);
        assert!(
            node.output_t <= node.capacity_t + slack_t,
            "{}",
            at(&format!(
                "{} puts out {} t over its capacity {} t",
                node.node, node.output_t, node.capacity_t
            ))
        );
    }
    for flow in &year.flows {
        within(
            &format!("flow {} to {}", flow.from.id, flow.to.id),
            flow.t,
            slack_t,
        );
    }
    for release in &year.stock_releases {
        within(
            &format!("release of {}", release.policy),
            release.t,
            slack_t,
        );
    }
    for contract in &year.contracts {
        let what = format!("contract {} delivered", contract.contract);
        within(&what, contract.delivered_t, slack_t);
    }
    for option in &year.expansions {
        within(
            &format!("option {} output", option.option),
            option.output_t,
            slack_t,
        );
    }
}
