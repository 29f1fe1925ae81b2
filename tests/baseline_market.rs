//! The built-in baseline over the horizon, with its market terms: capacity that follows
//! prices, contracts that bind, captive chains. (Issue 9's "done when".)

use std::path::Path;

use rareflow::model::{Scenario, Stage};
use rareflow::solver::{
    Calibration, ContractStatus, Solution, SolverSettings, Years, calibrate, solve,
};

fn load(name: &str) -> Scenario {
    rareflow::io::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name),
    )
    .expect("loads")
}

fn solve_all(scenario: &Scenario, calibration: &Calibration) -> Solution {
    solve(
        scenario,
        calibration,
        Years::All,
        &SolverSettings::default(),
        None,
    )
    .expect("solves")
}

fn baseline() -> (Calibration, Solution) {
    let scenario = rareflow::baseline().expect("loads");
    let calibration = calibrate(&scenario, &SolverSettings::default()).expect("calibrates");
    let solution = solve_all(&scenario, &calibration);
    (calibration, solution)
}

#[test]
fn the_baseline_world_is_never_more_than_five_percent_short() {
    let (_, solution) = baseline();
    for year in &solution.years {
        assert!(year.status.is_usable(), "{}", year.year);
        for commodity in ["NDPR", "DYTB", "Y", "LACE", "NDFEB"] {
            let (reference, short) = year
                .markets
                .iter()
                .filter(|m| m.commodity == commodity)
                .fold((0.0, 0.0), |(r, s), m| {
                    (r + m.reference_t, s + m.shortfall_t)
                });
            assert!(
                short <= 0.05 * reference,
                "{} {commodity}: {short:.0} t short of {reference:.0} t",
                year.year
            );
        }
    }
}

#[test]
fn capacity_is_built_where_prices_pay_and_only_after_its_lead_time() {
    let (_, solution) = baseline();
    let built_by = |year: i32, stage: Stage, china: bool| -> f64 {
        solution
            .year(year)
            .expect("year")
            .expansions
            .iter()
            .filter(|e| e.stage == stage && (e.country == "CHN") == china)
            .map(|e| e.capacity_t_per_yr)
            .sum()
    };
    // Nothing before 2026 (decisions from 2025, a year's lead in China).
    for stage in [Stage::Mine, Stage::Refinery, Stage::Magnet] {
        assert_eq!(built_by(2025, stage, true), 0.0);
        assert_eq!(built_by(2025, stage, false), 0.0);
    }
    // Magnet demand grows 7 % a year: by 2035 new magnet plants make up for it.
    assert!(built_by(2035, Stage::Magnet, true) + built_by(2035, Stage::Magnet, false) > 50_000.0);
    // Outside China, new mines come no earlier than six years after 2025.
    for year in 2025..2032 {
        assert_eq!(built_by(year, Stage::Mine, false), 0.0, "{year}");
    }
}

#[test]
fn integrated_chains_move_their_own_ore() {
    let (_, solution) = baseline();
    for year in &solution.years {
        let mt_weld: f64 = year
            .flows
            .iter()
            .filter(|f| f.from.id == "MINE-AUS-mt_weld_lynas")
            .map(|f| f.t)
            .sum();
        let to_lynas: f64 = year
            .flows
            .iter()
            .filter(|f| {
                f.from.id == "MINE-AUS-mt_weld_lynas" && f.to.id == "SEP-MYS-lynas_malaysia_gebeng"
            })
            .map(|f| f.t)
            .sum();
        assert!(
            to_lynas >= mt_weld - 1.0,
            "{}: Mt Weld ships {mt_weld:.0} t, {to_lynas:.0} t to Lynas Malaysia",
            year.year
        );
    }
}

#[test]
fn india_halting_exports_to_japan_breaks_a_contract_that_carried_its_trade() {
    let (calibration, base) = baseline();
    let halt = solve_all(&load("india-japan-halt-2025.ron"), &calibration);
    let india_to_japan = |solution: &Solution, year: i32| -> f64 {
        solution
            .year(year)
            .expect("year")
            .flows
            .iter()
            .filter(|f| f.stage == Stage::Refinery && f.from.id == "IND" && f.to.id == "JPN")
            .map(|f| f.t)
            .sum()
    };
    // 2024 trade is reproduced: more than 1,000 t to Japan under the Toyotsu contract.
    assert!(
        india_to_japan(&base, 2024) >= 975.0,
        "{}",
        india_to_japan(&base, 2024)
    );
    assert!(india_to_japan(&base, 2025) >= 975.0);
    assert_eq!(india_to_japan(&halt, 2025), 0.0);
    let status = |solution: &Solution| {
        solution
            .year(2025)
            .expect("2025")
            .contracts
            .iter()
            .find(|c| c.contract == "irel-toyotsu-ndpr")
            .expect("contract")
            .status
    };
    assert_eq!(status(&base), ContractStatus::Held);
    assert_eq!(status(&halt), ContractStatus::Lapsed);
}
