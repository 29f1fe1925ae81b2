//! Networks small enough to solve by hand.
//!
//! Demand curves are `P(q) = P0·(1 + (Q0 − q)/(ε·Q0))`. With Q0 = 800 t, P0 = 50 $/kg and
//! ε = 0.5 that is `P(q) = 150 − q/8` (q in t), choke price 150 $/kg.

mod common;

use common::{Net, assert_near, ban, solve};
use rareflow::model::{Destinations, PolicyKind, QuotaLimit, Stage, TradeGoods};
use rareflow::solver::{
    CalibrationError, ROUTE_SPREAD_USD_PER_KG_PER_KT, SolveError, SolveStatus, SolverSettings,
    Years, solve_scenario,
};

/// One mine (10 $/kg), one refinery (5 $/kg), one region, no transport cost.
fn one_country(capacity_t: f64) -> Net {
    Net::new()
        .country("AAA", 0.0)
        .mine("M", "AAA", capacity_t, 10.0, &[("NDPR", 1.0)])
        .refinery("R", "AAA", &[("NDPR", capacity_t)], 5.0)
        .demand("AAA", "NDPR", 800.0, 50.0, 0.5)
}

#[test]
fn price_equals_marginal_cost_when_capacity_is_ample() {
    // In kt, P(q) = 150 − 125·q. Marginal cost is 15 $/kg plus the route-spread term ε·q on
    // each of the two routes the oxide takes (mine → refinery, refinery → region):
    // 150 − 125·q = 15 + 2·ε·q, so q = 135/(125 + 2ε) ≈ 1,080 t and P ≈ 15.0002 $/kg.
    // Without ε: q = 1,080 t, P = 15, welfare 150·1.08 − 50·1.08²/(2·0.5·0.8) − 15·1.08 = 72.9.
    let spread = ROUTE_SPREAD_USD_PER_KG_PER_KT;
    let q_kt = 135.0 / (125.0 + 2.0 * spread);
    let solution = solve(&one_country(2_000.0).build());
    let year = &solution.years[0];
    assert_eq!(year.status, SolveStatus::Optimal);
    let market = year.market("AAA", "NDPR").expect("market");
    assert_near("consumption", market.consumption_t, q_kt * 1000.0, 0.01);
    assert_near(
        "price",
        market.price_usd_per_kg,
        15.0 + 2.0 * spread * q_kt,
        1e-5,
    );
    assert_near("shortfall", market.shortfall_t, 0.0, 1e-9);
    let welfare =
        150.0 * q_kt - 50.0 * q_kt * q_kt / (2.0 * 0.5 * 0.8) - 15.0 * q_kt - spread * q_kt * q_kt;
    assert_near("welfare", year.welfare_musd, welfare, 1e-4);
    assert!(
        (welfare - 72.9).abs() < 1e-3,
        "the spread term is tiny: {welfare}"
    );
    assert_near(
        "mine output",
        year.node("M").expect("mine").output_t,
        q_kt * 1000.0,
        0.01,
    );
}

#[test]
fn price_rises_to_the_demand_curve_when_capacity_binds() {
    // 1,000 t is all there is: P(1,000) = 150 − 125 = 25 $/kg > 15 $/kg of cost.
    let solution = solve(&one_country(1_000.0).build());
    let year = &solution.years[0];
    let market = year.market("AAA", "NDPR").expect("market");
    assert_near("consumption", market.consumption_t, 1_000.0, 0.01);
    assert_near("price", market.price_usd_per_kg, 25.0, 1e-3);
    assert_near(
        "mine utilisation",
        year.node("M").expect("mine").utilisation,
        1.0,
        1e-6,
    );
}

/// Mine in AAA, refinery and demand in BBB.
fn across_a_border() -> Net {
    Net::new()
        .country("AAA", 0.0)
        .country("BBB", 10.0)
        .mine("M", "AAA", 2_000.0, 10.0, &[("NDPR", 1.0)])
        .refinery("R", "BBB", &[("NDPR", 2_000.0)], 5.0)
        .demand("BBB", "NDPR", 800.0, 50.0, 0.5)
}

#[test]
fn a_ban_on_the_only_route_leaves_demand_unserved_at_the_choke_price() {
    let open = solve(&across_a_border().build());
    assert_near(
        "open consumption",
        open.years[0]
            .market("BBB", "NDPR")
            .expect("m")
            .consumption_t,
        1_080.0,
        0.01,
    );
    let banned = solve(
        &across_a_border()
            .policy("ban", ban("AAA", &[], &[Stage::Mine], Destinations::All))
            .build(),
    );
    let market = banned.years[0].market("BBB", "NDPR").expect("market");
    assert_near("consumption", market.consumption_t, 0.0, 1e-6);
    assert_near("shortfall", market.shortfall_t, 800.0, 1e-6);
    assert_near("price", market.price_usd_per_kg, 150.0, 1e-6);
    assert_eq!(market.choke_price_usd_per_kg, 150.0);
    assert!(banned.years[0].flows.is_empty(), "nothing moves");
}

#[test]
fn a_ban_on_another_destination_changes_nothing() {
    let open = solve(&across_a_border().build());
    let elsewhere = solve(
        &across_a_border()
            .country("CCC", 20.0)
            .policy(
                "ban",
                ban("AAA", &[], &[], Destinations::Only(vec!["CCC".to_owned()])),
            )
            .build(),
    );
    assert_near(
        "consumption",
        elsewhere.years[0]
            .market("BBB", "NDPR")
            .expect("m")
            .consumption_t,
        open.years[0]
            .market("BBB", "NDPR")
            .expect("m")
            .consumption_t,
        1e-3,
    );
}

/// AAA mines and refines (30 $/kg all told, 2,000 t) and sells at home and to BBB.
fn exporter() -> Net {
    Net::new()
        .country("AAA", 0.0)
        .country("BBB", 10.0)
        .mine("M", "AAA", 2_000.0, 25.0, &[("NDPR", 1.0)])
        .refinery("R", "AAA", &[("NDPR", 2_000.0)], 5.0)
        .demand("AAA", "NDPR", 800.0, 50.0, 0.5)
        .demand("BBB", "NDPR", 800.0, 50.0, 0.5)
}

fn oxide_quota(limit: QuotaLimit) -> PolicyKind {
    PolicyKind::ExportQuota {
        exporter: "AAA".to_owned(),
        goods: TradeGoods {
            commodities: vec!["NDPR".to_owned()],
            stages: vec![Stage::Refinery],
        },
        destinations: Destinations::All,
        limit,
    }
}

#[test]
fn without_a_quota_both_markets_clear_at_cost() {
    // P = 30 in both, plus the route-spread term: the mine → refinery route carries both
    // markets' 2q, each refinery → region route q: 150 − 125·q = 30 + 3·ε·q, so
    // q = 120/(125 + 3ε) ≈ 960 t each; 1,920 t made; half exported.
    let spread = ROUTE_SPREAD_USD_PER_KG_PER_KT;
    let q_kt = 120.0 / (125.0 + 3.0 * spread);
    let year = &solve(&exporter().build()).years[0];
    for region in ["AAA", "BBB"] {
        let market = year.market(region, "NDPR").expect("market");
        assert_near(
            &format!("{region} consumption"),
            market.consumption_t,
            q_kt * 1000.0,
            0.01,
        );
        assert_near(
            &format!("{region} price"),
            market.price_usd_per_kg,
            30.0 + 3.0 * spread * q_kt,
            1e-5,
        );
    }
}

#[test]
fn a_tonnage_quota_caps_exports_and_prices_the_importer_up() {
    // BBB gets 400 t: P = 150 − 50 = 100 $/kg. AAA still clears at cost: 960 t.
    let year = &solve(
        &exporter()
            .policy("quota", oxide_quota(QuotaLimit::Tonnes(400.0)))
            .build(),
    )
    .years[0];
    let importer = year.market("BBB", "NDPR").expect("market");
    assert_near("BBB consumption", importer.consumption_t, 400.0, 0.01);
    assert_near("BBB price", importer.price_usd_per_kg, 100.0, 1e-3);
    assert_near(
        "AAA consumption",
        year.market("AAA", "NDPR").expect("m").consumption_t,
        960.0,
        0.01,
    );
}

#[test]
fn a_licence_share_of_40_percent_ties_exports_to_output() {
    // Exports q_B = 0.4·X, home sales q_A = 0.6·X. Welfare is maximal where
    // 0.6·P_A + 0.4·P_B = 30, i.e. 150 − 0.065·X = 30: X = 1,846.15 t, so
    // q_A = 1,107.69 t (P_A = 11.54 $/kg) and q_B = 738.46 t (P_B = 57.69 $/kg).
    let year = &solve(
        &exporter()
            .policy("licence", oxide_quota(QuotaLimit::ShareOfOutput(0.4)))
            .build(),
    )
    .years[0];
    let home = year.market("AAA", "NDPR").expect("market");
    let abroad = year.market("BBB", "NDPR").expect("market");
    let output = year.node("R").expect("refinery").output_t;
    assert_near("output", output, 1_846.154, 0.01);
    assert_near("exports share", abroad.consumption_t / output, 0.4, 1e-6);
    assert_near("home consumption", home.consumption_t, 1_107.692, 0.01);
    assert_near("home price", home.price_usd_per_kg, 11.538, 1e-3);
    assert_near("export price", abroad.price_usd_per_kg, 57.692, 1e-3);
}

/// AAA has a light mine (NdPr, La/Ce) and an ionic-clay mine (also Dy/Tb); BBB refines
/// and consumes.
fn two_mines() -> Net {
    Net::new()
        .country("AAA", 0.0)
        .country("BBB", 10.0)
        .mine(
            "LIGHT",
            "AAA",
            1_000.0,
            1.0,
            &[("NDPR", 0.2), ("LACE", 0.8)],
        )
        .mine(
            "IONIC",
            "AAA",
            200.0,
            1.0,
            &[("NDPR", 0.2), ("DYTB", 0.1), ("LACE", 0.7)],
        )
        .refinery(
            "R",
            "BBB",
            &[("NDPR", 1_000.0), ("DYTB", 100.0), ("LACE", 1_000.0)],
            1.0,
        )
        .demand("BBB", "NDPR", 200.0, 50.0, 0.5)
        .demand("BBB", "DYTB", 20.0, 300.0, 0.5)
        .demand("BBB", "LACE", 800.0, 1.0, 0.5)
}

#[test]
fn dy_tb_travels_in_concentrate_so_a_concentrate_ban_removes_it() {
    let open = solve(&two_mines().build());
    let dytb_open = open.years[0]
        .market("BBB", "DYTB")
        .expect("market")
        .consumption_t;
    // All of the ionic mine's 200 t carries 20 t of Dy/Tb.
    assert_near("Dy/Tb without policy", dytb_open, 20.0, 0.01);

    let concentrate_ban = solve(
        &two_mines()
            .policy("ban", ban("AAA", &[], &[Stage::Mine], Destinations::All))
            .build(),
    );
    let market = concentrate_ban.years[0]
        .market("BBB", "DYTB")
        .expect("market");
    assert_near(
        "Dy/Tb under a concentrate ban",
        market.consumption_t,
        0.0,
        1e-6,
    );
    assert_near("Dy/Tb shortfall", market.shortfall_t, 20.0, 1e-6);
    assert_near("Dy/Tb price", market.price_usd_per_kg, 900.0, 1e-6);

    // An oxide ban on NdPr does not touch concentrate: Dy/Tb still arrives.
    let oxide_ban = solve(
        &two_mines()
            .policy(
                "ban",
                ban("AAA", &["NDPR"], &[Stage::Refinery], Destinations::All),
            )
            .build(),
    );
    assert_near(
        "Dy/Tb under an NdPr oxide ban",
        oxide_ban.years[0]
            .market("BBB", "DYTB")
            .expect("m")
            .consumption_t,
        dytb_open,
        1e-3,
    );
}

#[test]
fn a_ban_on_concentrate_containing_dy_tb_stops_only_the_mine_that_has_it() {
    let solution = solve(
        &two_mines()
            .policy(
                "ban",
                ban("AAA", &["DYTB"], &[Stage::Mine], Destinations::All),
            )
            .build(),
    );
    let year = &solution.years[0];
    assert_near(
        "Dy/Tb",
        year.market("BBB", "DYTB").expect("m").consumption_t,
        0.0,
        1e-6,
    );
    assert_near(
        "ionic mine output",
        year.node("IONIC").expect("mine").output_t,
        0.0,
        1e-6,
    );
    assert!(
        year.node("LIGHT").expect("mine").output_t > 100.0,
        "the light mine still ships"
    );
    assert!(
        year.market("BBB", "NDPR").expect("m").consumption_t > 100.0,
        "NdPr still arrives"
    );
}

#[test]
fn origin_follows_the_ore_through_a_refining_country() {
    // AAA (100 t) and DDD (300 t) ship to BBB's refinery; CCC buys the oxide. Demand is
    // strong enough for both mines to run flat out, so CCC's NdPr is 25 % AAA, 75 % DDD.
    let scenario = Net::new()
        .country("AAA", 0.0)
        .country("BBB", 10.0)
        .country("CCC", 20.0)
        .country("DDD", 30.0)
        .mine("MA", "AAA", 100.0, 1.0, &[("NDPR", 1.0)])
        .mine("MD", "DDD", 300.0, 1.0, &[("NDPR", 1.0)])
        .refinery("R", "BBB", &[("NDPR", 1_000.0)], 1.0)
        .demand("CCC", "NDPR", 1_000.0, 50.0, 0.5)
        .build();
    let solution = solve(&scenario);
    let market = solution.years[0].market("CCC", "NDPR").expect("market");
    assert_near("consumption", market.consumption_t, 400.0, 1e-3);
    let share = |source: &str| {
        market
            .origin
            .iter()
            .find(|o| o.source == source)
            .map_or(0.0, |o| o.share)
    };
    assert_near("AAA share", share("AAA"), 0.25, 1e-6);
    assert_near("DDD share", share("DDD"), 0.75, 1e-6);
    assert_near("BBB share", share("BBB"), 0.0, 1e-12);
}

#[test]
fn magnets_are_made_by_the_recipe() {
    // A magnet plant needs 0.25 t NdPr and 0.01 t Dy/Tb per t; Dy/Tb (10 t) is scarce,
    // so at most 1,000 t of magnets can be made.
    let scenario = Net::new()
        .country("AAA", 0.0)
        .mine(
            "M",
            "AAA",
            2_000.0,
            1.0,
            &[("NDPR", 0.99), ("DYTB", 0.005), ("LACE", 0.005)],
        )
        .refinery("R", "AAA", &[("NDPR", 2_000.0), ("DYTB", 100.0)], 1.0)
        .magnet_plant("G", "AAA", 5_000.0, 5.0)
        .demand("AAA", "NDFEB", 4_000.0, 60.0, 0.5)
        .build();
    let year = &solve(&scenario).years[0];
    let magnets = year.node("G").expect("plant").output_t;
    assert_near("magnets", magnets, 1_000.0, 0.01);
    let ndpr_used: f64 = year
        .node("R")
        .expect("refinery")
        .outputs
        .iter()
        .find(|(c, _)| c == "NDPR")
        .expect("NdPr")
        .1;
    assert!(
        ndpr_used >= 250.0 - 0.01,
        "NdPr for 1,000 t of magnets: {ndpr_used}"
    );
}

#[test]
fn an_invalid_scenario_is_an_error_naming_the_item() {
    let mut scenario = one_country(1_000.0).build();
    scenario.nodes[0].country = "ZZZ".to_owned();
    let error =
        solve_scenario(&scenario, Years::All, &SolverSettings::default()).expect_err("invalid");
    let SolveError::Invalid(problems) = &error else {
        panic!("expected Invalid, got {error}");
    };
    assert_eq!(problems[0].item, "node \"M\"");
    assert!(
        error.to_string().contains("unknown country \"ZZZ\""),
        "{error}"
    );
}

#[test]
fn base_year_output_that_cannot_be_made_fails_calibration_clearly() {
    // A magnet plant reports 2024 output but no oxide exists to make it from.
    let mut scenario = Net::new()
        .country("AAA", 0.0)
        .magnet_plant("G", "AAA", 1_000.0, 5.0)
        .demand("AAA", "NDFEB", 500.0, 60.0, 0.5)
        .build();
    scenario.nodes[0].unit_cost_usd_per_kg = None;
    scenario.nodes[0]
        .reported_output
        .push(rareflow::model::ReportedOutput {
            year: 2024,
            commodity: "NDFEB".to_owned(),
            t: 500.0,
        });
    let error = solve_scenario(&scenario, Years::All, &SolverSettings::default())
        .expect_err("cannot calibrate");
    assert!(
        matches!(
            error,
            SolveError::Calibration(CalibrationError::ReportedOutputUnreachable {
                base_year: 2024,
                ..
            })
        ),
        "{error}"
    );
    assert!(error.to_string().contains("2024"), "{error}");
}
