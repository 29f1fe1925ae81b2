//! Target `solve`: bytes → a small valid scenario → calibrate → solve → honest results.

use rareflow::model::{Scenario, validate};
use rareflow::solver::{self, Solution, SolveError, SolverSettings, YearSolution, Years};

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

/// Tolerance for a bound on a quantity of size `scale` (tonnes or $/kg), as the solver's
/// property tests allow: it works in kt to about 1e-6 relative, and an interior point
/// leaves dust of a few kg.
fn slack(scale: f64) -> f64 {
    0.05 + 1e-5 * scale.abs()
}

fn check_usable_year(year: &YearSolution) {
    let at = |what: &str| format!("{} ({:?}): {what}", year.year, year.status);
    let finite_non_negative = |what: &str, value: f64| {
        assert!(
            value.is_finite() && value >= -slack(value),
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
        finite_non_negative(&format!("{name} consumption"), market.consumption_t);
        finite_non_negative(&format!("{name} shortfall"), market.shortfall_t);
        finite_non_negative(&format!("{name} price"), market.price_usd_per_kg);
        finite_non_negative(&format!("{name} stock release"), market.stock_release_t);
        for origin in &market.origin {
            finite_non_negative(&format!("{name} origin share"), origin.share);
        }
    }
    for node in &year.nodes {
        finite_non_negative(&format!("{} output", node.node), node.output_t);
        assert!(
            node.output_t <= node.capacity_t + slack(node.capacity_t),
            "{}",
            at(&format!(
                "{} puts out {} t over its capacity {} t",
                node.node, node.output_t, node.capacity_t
            ))
        );
    }
    for flow in &year.flows {
        finite_non_negative(&format!("flow {} to {}", flow.from.id, flow.to.id), flow.t);
    }
    for release in &year.stock_releases {
        finite_non_negative(&format!("release of {}", release.policy), release.t);
    }
    for contract in &year.contracts {
        finite_non_negative(
            &format!("contract {} delivered", contract.contract),
            contract.delivered_t,
        );
    }
    for option in &year.expansions {
        finite_non_negative(&format!("option {} output", option.option), option.output_t);
    }
}
