//! The market's terms, solved by hand: capacity expansion with a lead time, demand with a
//! constant-elasticity curve and a price cap, demand that adapts over the years, and
//! contracts that hold their routes.
//!
//! The network is `one_country` of the known answers: a mine (10 $/kg, ample), a refinery
//! (5 $/kg, 1,000 t/yr) and demand `P(q) = 150 − 125·q` (q in kt; Q0 = 800 t, P0 = 50 $/kg,
//! ε = 0.5). With the refinery binding, the price is P(1 kt) = 25 $/kg.

mod common;

use common::{Net, assert_near, ban, solve};
use rareflow::model::{
    Contract, DemandForm, Destinations, ExpansionOption, LongRunResponse, Party, PolicyKind,
    QuotaLimit, Scenario, Stage, TradeGoods, Volume,
};
use rareflow::solver::{CAP_RISE, ContractStatus, ROUTE_SPREAD_USD_PER_KG_PER_KT};

/// Expansion of the refinery's NdPr circuit: 10,000 $ per t/yr at a recovery factor of 0.5
/// is 5 $/kg a year.
fn refinery_option(lead_years: u32, capital_cost: f64, max_build: f64) -> ExpansionOption {
    ExpansionOption {
        id: "more-R".to_owned(),
        label: "More separation at R".to_owned(),
        enabled: true,
        stage: Stage::Refinery,
        country: "AAA".to_owned(),
        host: "R".to_owned(),
        commodity: Some("NDPR".to_owned()),
        capital_cost_usd_per_t_per_yr: capital_cost,
        capital_recovery_factor: 0.5,
        lead_years,
        max_build_t_per_yr: max_build,
        source: "test".to_owned(),
        notes: String::new(),
    }
}

fn network(last_year: i32) -> Scenario {
    let mut scenario = Net::new()
        .country("AAA", 0.0)
        .mine("M", "AAA", 5_000.0, 10.0, &[("NDPR", 1.0)])
        .refinery("R", "AAA", &[("NDPR", 1_000.0)], 5.0)
        .demand("AAA", "NDPR", 800.0, 50.0, 0.5)
        .build();
    scenario.meta.last_year = last_year;
    scenario
}

fn price(solution: &rareflow::solver::Solution, year: i32) -> f64 {
    solution
        .year(year)
        .and_then(|y| y.market("AAA", "NDPR"))
        .expect("market")
        .price_usd_per_kg
}

#[test]
fn capacity_comes_on_stream_after_its_lead_time_and_where_it_pays() {
    // Lead 1 year from decisions in 2025: first new capacity in 2026. A new tonne costs
    // mine 10 + refinery 5 + capital 5 = 20 $/kg (plus the route-spread term 2ε·q on the
    // two routes), so 150 − 125·q = 20 + 2ε·q: q = 130/(125 + 2ε) kt, ~40 t built.
    let mut scenario = network(2027);
    scenario.expansion.push(refinery_option(1, 10_000.0, 500.0));
    let solution = solve(&scenario);
    let spread = ROUTE_SPREAD_USD_PER_KG_PER_KT;
    assert_near("2024 price", price(&solution, 2024), 25.0, 1e-3);
    assert_near(
        "2025 price, nothing built yet",
        price(&solution, 2025),
        25.0,
        1e-3,
    );
    let q_kt = 130.0 / (125.0 + 2.0 * spread);
    let year_2026 = solution.year(2026).expect("2026");
    let built = &year_2026.expansions[0];
    assert_near(
        "built in 2026",
        built.added_t_per_yr,
        q_kt * 1000.0 - 1000.0,
        0.05,
    );
    assert_near(
        "2026 price",
        price(&solution, 2026),
        20.0 + 2.0 * spread * q_kt,
        1e-3,
    );
    let refinery = year_2026.node("R").expect("refinery");
    assert_near(
        "the refinery's capacity includes it",
        refinery.capacity_t,
        q_kt * 1000.0,
        0.05,
    );
    // 2027: what was built stays; at 20 $/kg nothing more pays.
    let year_2027 = solution.year(2027).expect("2027");
    let built = &year_2027.expansions[0];
    assert_near("nothing more built", built.added_t_per_yr, 0.0, 0.05);
    assert_near(
        "built before",
        built.built_before_t_per_yr,
        q_kt * 1000.0 - 1000.0,
        0.05,
    );
    assert_near("2027 price", price(&solution, 2027), 20.0, 1e-2);
}

#[test]
fn a_switched_off_option_builds_nothing() {
    let mut scenario = network(2027);
    let mut option = refinery_option(1, 10_000.0, 500.0);
    option.enabled = false;
    scenario.expansion.push(option);
    let solution = solve(&scenario);
    assert_near("2027 price", price(&solution, 2027), 25.0, 1e-3);
    assert!(solution.year(2027).expect("2027").expansions.is_empty());
}

#[test]
fn free_capacity_with_no_lead_time_is_unconstrained_capacity() {
    // Lead 0 and no capital cost: from 2025 the refinery is as large as the market wants:
    // 150 − 125·q = 15 + 2ε·q, the ample-capacity answer of the known answers.
    let mut free = network(2025);
    free.expansion.push(refinery_option(0, 0.0, 1e6));
    let mut unconstrained = network(2025);
    let refinery = &mut unconstrained.nodes[1];
    refinery.capacity_t_per_yr = 1e6;
    if let rareflow::model::Process::Refinery { circuits, .. } = &mut refinery.process {
        circuits[0].capacity_t_per_yr = 1e6;
    }
    let (free, unconstrained) = (solve(&free), solve(&unconstrained));
    assert_near(
        "price",
        price(&free, 2025),
        price(&unconstrained, 2025),
        1e-4,
    );
    let q = |s: &rareflow::solver::Solution| {
        s.year(2025)
            .and_then(|y| y.market("AAA", "NDPR"))
            .expect("market")
            .consumption_t
    };
    assert_near("consumption", q(&free), q(&unconstrained), 0.01);
}

#[test]
fn the_build_rate_limits_what_comes_on_stream_in_a_year() {
    // At most 10 t a year: 2026 gets 10 t, 2027 another 10 t; the price stays above the
    // 20 $/kg at which building stops paying, on the demand curve at the capacity.
    let mut scenario = network(2027);
    scenario.expansion.push(refinery_option(1, 10_000.0, 10.0));
    let solution = solve(&scenario);
    let added = |year: i32| solution.year(year).expect("year").expansions[0].added_t_per_yr;
    assert_near("2026", added(2026), 10.0, 1e-3);
    assert_near("2027", added(2027), 10.0, 1e-3);
    assert_near(
        "2026 price",
        price(&solution, 2026),
        150.0 - 125.0 * 1.01,
        1e-3,
    );
    assert_near(
        "2027 price",
        price(&solution, 2027),
        150.0 - 125.0 * 1.02,
        1e-3,
    );
}

#[test]
fn a_constant_elasticity_curve_prices_scarcity_far_above_the_linear_choke() {
    // The refinery makes 1,000 t; demand at 50 $/kg is 2,000 t with ε = 0.2, so the price
    // on the curve is 50·(1,000/2,000)^(−1/0.2) = 50·32 = 1,600 $/kg. The cap is 20× = 1,000
    // $/kg, below that: buyers go without from the cap, and the price is on the cap piece,
    // which rises in a straight line from the cap at the quantity demanded there,
    // q_cap = 2,000·20^(−0.2) = 1,098.6 t, to CAP_RISE above it at none: 1,000·(1 + 0.1·
    // (1 − 1,000/1,098.6)) = 1,008.97 $/kg.
    // (The linear curve through the same point would stop at its choke, 50·(1 + 5) = 300.)
    let mut scenario = network(2024);
    scenario.demand[0].reference_t_per_yr = 2_000.0;
    scenario.demand[0].elasticity = 0.2;
    scenario.demand[0].form = DemandForm::ConstantElasticity {
        price_cap_multiple: 20.0,
    };
    let solution = solve(&scenario);
    let market = solution.years[0].market("AAA", "NDPR").expect("market");
    let q_cap_t = 2_000.0 * 20f64.powf(-0.2);
    let on_cap_piece = 1_000.0 * (1.0 + CAP_RISE * (1.0 - 1_000.0 / q_cap_t));
    assert_near(
        "price on the cap piece",
        market.price_usd_per_kg,
        on_cap_piece,
        1e-3,
    );
    assert!(on_cap_piece > 1_008.9 && on_cap_piece < 1_009.0);
    assert_near("consumption", market.consumption_t, 1_000.0, 0.01);
    assert_near(
        "choke",
        market.choke_price_usd_per_kg,
        1_000.0 * (1.0 + CAP_RISE),
        1e-9,
    );
    // With a cap of 50×, the price is on the curve's straight piece between the breakpoints
    // at 4× and the cap: the quantities demanded there are Q·m^(−ε).
    scenario.demand[0].form = DemandForm::ConstantElasticity {
        price_cap_multiple: 50.0,
    };
    let solution = solve(&scenario);
    let market = solution.years[0].market("AAA", "NDPR").expect("market");
    let (q_cap, q_4) = (2.0 * 50f64.powf(-0.2), 2.0 * 4f64.powf(-0.2));
    let on_piece = 50.0 * (50.0 - (50.0 - 4.0) * (1.0 - q_cap) / (q_4 - q_cap));
    assert_near(
        "price on the piece",
        market.price_usd_per_kg,
        on_piece,
        1e-2,
    );
    assert!(market.price_usd_per_kg > 1_000.0 && market.price_usd_per_kg < 2_500.0);
}

#[test]
fn demand_adapts_to_a_lasting_price_towards_its_long_run_elasticity() {
    // The refinery binds at 1,000 t; the demand curve is constant-elasticity (ε = 0.2,
    // cap 20×) through Q0 = 1,100 t at 50 $/kg, so in 2024 the price is on the curve's piece
    // between 1× and 2× (the quantities there are 1,100 t and 1,100·2^−0.2).
    // The long run elasticity is 0.6 and half the gap closes each year:
    // m(2025) = 1 + 0.5·((p/50)^−0.4 − 1).
    let mut scenario = network(2025);
    scenario.demand[0].reference_t_per_yr = 1_100.0;
    scenario.demand[0].elasticity = 0.2;
    scenario.demand[0].form = DemandForm::ConstantElasticity {
        price_cap_multiple: 20.0,
    };
    scenario.demand[0].long_run = Some(LongRunResponse {
        elasticity: 0.6,
        adjustment_per_yr: 0.5,
    });
    let solution = solve(&scenario);
    let (q_lo, q_hi) = (1.1 * 2f64.powf(-0.2), 1.1);
    let p_2024 = 50.0 * (2.0 - (2.0 - 1.0) * (1.0 - q_lo) / (q_hi - q_lo));
    assert_near("2024 price", price(&solution, 2024), p_2024, 1e-2);
    let multiple = 1.0 + 0.5 * ((p_2024 / 50.0).powf(-0.4) - 1.0);
    let reference_2025 = solution
        .year(2025)
        .and_then(|y| y.market("AAA", "NDPR"))
        .expect("market")
        .reference_t;
    assert_near("adapted demand", reference_2025, 1_100.0 * multiple, 0.01);
    assert!(price(&solution, 2025) < p_2024, "less demand, lower price");
}

/// Mine A at home (10 $/kg) and mine B across the border (12 $/kg + 1 $/kg border), one
/// refinery of 1,000 t at home: left alone, the refinery takes only A's ore.
fn two_suppliers() -> Scenario {
    Net::new()
        .country("AAA", 0.0)
        .country("BBB", 10.0)
        .border_cost(1.0)
        .mine("A", "AAA", 2_000.0, 10.0, &[("NDPR", 1.0)])
        .mine("B", "BBB", 2_000.0, 12.0, &[("NDPR", 1.0)])
        .refinery("R", "AAA", &[("NDPR", 1_000.0)], 5.0)
        .demand("AAA", "NDPR", 800.0, 50.0, 0.5)
        .build()
}

fn offtake(volume: Volume) -> Contract {
    Contract {
        id: "b-offtake".to_owned(),
        label: "B's ore to R".to_owned(),
        enabled: true,
        seller: Party::Node("B".to_owned()),
        buyer: Party::Node("R".to_owned()),
        stage: Stage::Mine,
        commodity: None,
        volume,
        start_year: 2024,
        end_year: None,
        breach_cost_usd_per_kg: 50.0,
        source: "test".to_owned(),
        notes: String::new(),
    }
}

fn shipped_from(solution: &rareflow::solver::Solution, mine: &str) -> f64 {
    solution.years[0]
        .flows
        .iter()
        .filter(|f| f.from.id == mine)
        .map(|f| f.t)
        .sum()
}

#[test]
fn a_contract_holds_its_route_against_a_cheaper_one() {
    let free = solve(&two_suppliers());
    assert_near("A ships all", shipped_from(&free, "A"), 1_000.0, 0.05);
    assert_near("B ships nothing", shipped_from(&free, "B"), 0.0, 0.05);
    let mut bound = two_suppliers();
    bound.contracts.push(offtake(Volume::Tonnes(600.0)));
    let solution = solve(&bound);
    assert_near(
        "B ships its 600 t",
        shipped_from(&solution, "B"),
        600.0,
        0.05,
    );
    assert_near(
        "A ships the rest",
        shipped_from(&solution, "A"),
        400.0,
        0.05,
    );
    let result = &solution.years[0].contracts[0];
    assert_eq!(result.status, ContractStatus::Held);
    assert_near("delivered", result.delivered_t, 600.0, 0.05);
    // The refinery still binds: the price is P(1 kt) = 25 $/kg either way.
    assert_near("price", price(&solution, 2024), 25.0, 1e-3);
}

#[test]
fn a_share_of_output_contract_takes_that_share() {
    // B must send R half of what it mines; B mines only for R, so all of it.
    let mut bound = two_suppliers();
    bound.contracts.push(offtake(Volume::ShareOfOutput(0.5)));
    let solution = solve(&bound);
    let b = solution.years[0].node("B").expect("mine").output_t;
    assert!(shipped_from(&solution, "B") >= 0.5 * b - 0.05);
    assert_eq!(solution.years[0].contracts[0].status, ContractStatus::Held);
}

#[test]
fn a_ban_on_its_route_lapses_a_contract_and_a_quota_leaves_it_short() {
    let mut banned = two_suppliers();
    banned.contracts.push(offtake(Volume::Tonnes(600.0)));
    banned.policies.push(common_policy(ban(
        "BBB",
        &[],
        &[Stage::Mine],
        Destinations::All,
    )));
    let solution = solve(&banned);
    assert_eq!(
        solution.years[0].contracts[0].status,
        ContractStatus::Lapsed
    );
    assert_near("B ships nothing", shipped_from(&solution, "B"), 0.0, 0.05);
    let mut capped = two_suppliers();
    capped.contracts.push(offtake(Volume::Tonnes(600.0)));
    capped.policies.push(common_policy(PolicyKind::ExportQuota {
        exporter: "BBB".to_owned(),
        goods: TradeGoods {
            commodities: Vec::new(),
            stages: vec![Stage::Mine],
        },
        destinations: Destinations::All,
        limit: QuotaLimit::Tonnes(300.0),
    }));
    let solution = solve(&capped);
    let result = &solution.years[0].contracts[0];
    assert_eq!(result.status, ContractStatus::Short);
    assert_near("delivered up to the quota", result.delivered_t, 300.0, 0.05);
    assert_near("required", result.required_t, 600.0, 1e-6);
}

fn common_policy(kind: PolicyKind) -> rareflow::model::Policy {
    rareflow::model::Policy {
        id: "policy".to_owned(),
        label: "policy".to_owned(),
        enabled: true,
        start_year: 2024,
        end_year: None,
        kind,
        event: None,
        source: "test".to_owned(),
        notes: String::new(),
    }
}
