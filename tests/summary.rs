//! The baseline's supply summary reproduces the data's 2024 figures (assets/data/README.md,
//! "Key figures" and "Consistency checks"), and capacity follows the years.

use rareflow::model::{CapacityChangeKind, PolicyKind, Stage};
use rareflow::summary::Summary;

fn baseline_2024() -> Summary {
    Summary::new(&rareflow::baseline().expect("loads"), 2024)
}

/// `actual` within `relative` of `expected`.
fn assert_close(what: &str, actual: f64, expected: f64, relative: f64) {
    let error = (actual - expected).abs() / expected.abs();
    assert!(
        error <= relative,
        "{what}: {actual:.1} is not within {:.1} % of {expected}",
        relative * 100.0
    );
}

/// A share in percent within `points` percentage points.
fn assert_share(what: &str, share: Option<f64>, expected_percent: f64, points: f64) {
    let share = share.expect("the stage reports output") * 100.0;
    assert!(
        (share - expected_percent).abs() <= points,
        "{what}: {share:.2} % is not within {points} points of {expected_percent} %"
    );
}

#[test]
fn world_mine_output_matches_usgs_and_the_data_table() {
    let summary = baseline_2024();
    let world = summary.total(Stage::Mine, None, None).output_t;
    // The data's table: 384 kt; USGS rounds to 380 kt.
    assert_close("world mine output", world, 384_000.0, 0.002);
    assert_close("world mine output vs USGS", world, 380_000.0, 0.015);
    for (oxide, kt) in [("NDPR", 76.7), ("DYTB", 2.6), ("Y", 13.4), ("LACE", 291.0)] {
        let t = summary.total(Stage::Mine, None, Some(oxide)).output_t;
        assert_close(&format!("mined {oxide}"), t, kt * 1000.0, 0.015);
    }
}

#[test]
fn separated_output_matches_the_data_table() {
    let summary = baseline_2024();
    let total = summary.total(Stage::Refinery, None, None).output_t;
    assert_close("separated output", total, 359_000.0, 0.003);
    for (oxide, kt) in [("NDPR", 85.5), ("DYTB", 2.9), ("Y", 12.6), ("LACE", 258.0)] {
        let t = summary.total(Stage::Refinery, None, Some(oxide)).output_t;
        assert_close(&format!("separated {oxide}"), t, kt * 1000.0, 0.01);
    }
}

#[test]
fn chinas_shares_match_the_data_table() {
    let summary = baseline_2024();
    assert_share(
        "China's share of mining",
        summary.output_share(Stage::Mine, "CHN", None),
        70.0,
        0.5,
    );
    assert_share(
        "China's share of separation",
        summary.output_share(Stage::Refinery, "CHN", None),
        93.6,
        0.1,
    );
    for (oxide, percent) in [("NDPR", 88.0), ("DYTB", 99.7), ("Y", 99.6), ("LACE", 95.0)] {
        assert_share(
            &format!("China's share of separated {oxide}"),
            summary.output_share(Stage::Refinery, "CHN", Some(oxide)),
            percent,
            0.15,
        );
    }
    assert_share(
        "China's share of magnets",
        summary.output_share(Stage::Magnet, "CHN", None),
        94.6,
        0.1,
    );
}

#[test]
fn magnet_output_matches_argus_and_the_iea() {
    let summary = baseline_2024();
    let world = summary.total(Stage::Magnet, None, None).output_t;
    assert_close("world magnet output", world, 317_000.0, 0.001);
    assert_close(
        "China's magnet output (Argus)",
        summary.total(Stage::Magnet, Some("CHN"), None).output_t,
        300_000.0,
        0.001,
    );
}

#[test]
fn years_without_reported_output_say_so() {
    let summary = Summary::new(&rareflow::baseline().expect("loads"), 2030);
    assert!(!summary.has_output);
    assert_eq!(summary.output_share(Stage::Mine, "CHN", None), None);
}

#[test]
fn capacity_follows_start_years_ramps_and_phases() {
    let scenario = rareflow::baseline().expect("loads");
    let node = |id: &str| scenario.node(id).expect("node exists").clone();
    // Vulcan Elements: 10,000 t/yr from 2027, ramping over two years.
    let vulcan = node("MAG-USA-vulcan_elements_benson");
    assert_eq!(scenario.capacity_in(&vulcan, 2026), 0.0);
    assert_eq!(scenario.capacity_in(&vulcan, 2027), 5_000.0);
    assert_eq!(scenario.capacity_in(&vulcan, 2028), 10_000.0);
    // USA Rare Earth Stillwater: 1,200 t/yr from 2026, then +3,600 t/yr from 2028.
    let stillwater = node("MAG-USA-usa_rare_earth");
    assert_eq!(scenario.capacity_in(&stillwater, 2026), 600.0);
    assert_eq!(scenario.capacity_in(&stillwater, 2027), 1_200.0);
    assert_eq!(scenario.capacity_in(&stillwater, 2028), 3_000.0);
    assert_eq!(scenario.capacity_in(&stillwater, 2029), 4_800.0);
    // White Mesa: phase 2 circuits start in 2029 and ramp over two years; the refinery's
    // capacity is the sum of its running circuits.
    let white_mesa = node("SEP-USA-white_mesa_mill");
    assert_eq!(white_mesa.circuit_capacity_in("DYTB", 2028, 1.0), 0.0);
    assert_eq!(white_mesa.circuit_capacity_in("DYTB", 2029, 1.0), 153.0);
    assert_eq!(white_mesa.circuit_capacity_in("DYTB", 2030, 1.0), 306.0);
    assert_eq!(white_mesa.circuit_capacity_in("NDPR", 2028, 1.0), 1_000.0);
    assert_eq!(white_mesa.circuit_capacity_in("NDPR", 2029, 1.0), 4_000.0);
    assert_eq!(white_mesa.circuit_capacity_in("NDPR", 2030, 1.0), 7_000.0);
    assert_eq!(scenario.capacity_in(&white_mesa, 2030), 7_306.0);
}

#[test]
fn switched_on_capacity_policies_change_capacity_in_their_years() {
    let mut scenario = rareflow::baseline().expect("loads");
    let myanmar = scenario
        .node("MINE-MMR-kachin_state_ionic")
        .expect("exists")
        .clone();
    assert_eq!(scenario.capacity_in(&myanmar, 2025), 45_000.0);
    let policy = scenario
        .policies
        .iter_mut()
        .find(|p| p.id == "mmr-kachin-disruption")
        .expect("exists");
    assert!(
        matches!(policy.kind, PolicyKind::CapacityChange { change: CapacityChangeKind::SetTo(t), .. } if t == 22_000.0)
    );
    policy.enabled = true;
    assert_eq!(
        scenario.capacity_in(&myanmar, 2024),
        45_000.0,
        "before the policy starts"
    );
    assert_eq!(scenario.capacity_in(&myanmar, 2025), 22_000.0);
    assert_eq!(
        Summary::new(&scenario, 2025)
            .total(Stage::Mine, Some("MMR"), None)
            .capacity_t_per_yr,
        22_000.0
    );
}
