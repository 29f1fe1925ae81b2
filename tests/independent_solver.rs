//! The exported problem, re-solved by an independent solver (HiGHS, through `highspy`),
//! gives the same objective and the same regional prices.
//!
//! Needs `python3` with `highspy` (`pip install highspy`), so the tests are `#[ignore]`d
//! in a plain `cargo nextest run` (listed as skipped, never passed) and run with
//! `--run-ignored all`, as CI does; where `highspy` is missing they fail.

use std::path::Path;
use std::process::Command;

use rareflow::model::Scenario;
use rareflow::solver::{SolverSettings, Years, calibrate, lp_text, solve};

/// Fails, naming what to install, where python3 with highspy is missing.
fn require_highs() {
    let available = Command::new("python3")
        .args(["-c", "import highspy"])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        available,
        "this test needs python3 with highspy: pip install highspy"
    );
}

fn cross_check(scenario: &Scenario, year: i32) {
    let settings = SolverSettings::default();
    let calibration = calibrate(scenario, &settings).expect("calibrates");
    let ours = solve(scenario, &calibration, Years::Only(year), &settings, None).expect("solves");
    let ours = &ours.years[0];
    assert!(ours.status.is_usable());

    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("problem.lp");
    std::fs::write(
        &path,
        lp_text(scenario, &calibration, year, &settings).expect("exports"),
    )
    .expect("write");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/highs_solve.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let highs: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(highs["status"], "Optimal", "{}", highs["status"]);

    // HiGHS minimises −welfare.
    let objective = highs["objective"].as_f64().expect("objective");
    let relative = (objective + ours.welfare_musd).abs() / ours.welfare_musd.abs();
    assert!(
        relative < 1e-6,
        "{year}: HiGHS objective {objective}, ours −{}",
        ours.welfare_musd
    );

    // HiGHS's row dual is ∂objective/∂rhs: minus the price.
    let mut compared = 0;
    for market in ours.markets.iter().filter(|m| m.consumption_t > 1.0) {
        let row = format!("balance_{},{}_", market.region, market.commodity);
        let dual = highs["row_duals"][&row]
            .as_f64()
            .unwrap_or_else(|| panic!("no row {row}"));
        let difference = (-dual - market.price_usd_per_kg).abs();
        assert!(
            difference <= 1e-4 * market.price_usd_per_kg + 1e-4,
            "{year} {} {}: HiGHS price {}, ours {}",
            market.region,
            market.commodity,
            -dual,
            market.price_usd_per_kg
        );
        compared += 1;
    }
    assert!(compared >= 30, "compared {compared} prices");
}

#[test]
#[ignore = "needs python3 with highspy (pip install highspy); CI runs it"]
fn highs_agrees_on_the_baseline() {
    require_highs();
    let baseline = rareflow::baseline().expect("loads");
    for year in [2024, 2030] {
        cross_check(&baseline, year);
    }
}

#[test]
#[ignore = "needs python3 with highspy (pip install highspy); CI runs it"]
fn highs_agrees_with_every_2026_measure_in_force() {
    require_highs();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    cross_check(&rareflow::io::load(&path).expect("loads"), 2026);
}
