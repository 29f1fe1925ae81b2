//! Properties that must hold on any network: mass balance, capacities, shortfall ≥ 0,
//! prices within [0, choke] (linear and constant-elasticity demand); more capacity or an
//! expansion option never lowers welfare and a ban never raises it; with one commodity,
//! more capacity never raises shortfall and a ban never lowers it.

mod common;

use common::{Net, ban, solve};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use rareflow::model::{
    CapacityChangeKind, DemandForm, Destinations, ExpansionOption, PolicyKind, Process, Scenario,
    Stage,
};
use rareflow::solver::{FlowTarget, Solution};

const OXIDES: [&str; 3] = ["NDPR", "DYTB", "LACE"];

/// Tolerance in tonnes for balances (the solver works in kt to ~1e-6 relative).
fn tolerance_t(scale_t: f64) -> f64 {
    0.05 + 1e-5 * scale_t
}

#[derive(Clone, Debug)]
struct MineSpec {
    country: usize,
    capacity_t: f64,
    cost: f64,
    mix: [f64; 3],
}

#[derive(Clone, Debug)]
struct RefinerySpec {
    country: usize,
    circuits_t: [f64; 3],
    cost: f64,
}

#[derive(Clone, Debug)]
struct NetSpec {
    countries: usize,
    border_cost: f64,
    mines: Vec<MineSpec>,
    refineries: Vec<RefinerySpec>,
    plants: Vec<(usize, f64, f64)>,
    demand: Vec<(usize, usize, f64, f64)>,
    single_commodity: bool,
}

fn net_spec(single_commodity: bool) -> impl Strategy<Value = NetSpec> {
    (2usize..=4).prop_flat_map(move |countries| {
        let mine = (
            0..countries,
            100.0..2_000.0f64,
            1.0..30.0f64,
            [0.05..1.0f64, 0.0..0.2f64, 0.0..1.0f64],
        )
            .prop_map(|(country, capacity_t, cost, mix)| MineSpec {
                country,
                capacity_t,
                cost,
                mix,
            });
        let refinery = (
            0..countries,
            [50.0..2_000.0f64, 0.0..100.0f64, 0.0..2_000.0f64],
            1.0..10.0f64,
        )
            .prop_map(|(country, circuits_t, cost)| RefinerySpec {
                country,
                circuits_t,
                cost,
            });
        let plants = prop::collection::vec((0..countries, 100.0..3_000.0f64, 2.0..20.0f64), 0..=2);
        // (region, commodity 0..4 where 3 = magnets, reference t, elasticity)
        let demand = prop::collection::vec(
            (0..countries, 0usize..4, 50.0..1_500.0f64, 0.2..1.0f64),
            1..=6,
        );
        (
            Just(countries),
            0.0..0.5f64,
            prop::collection::vec(mine, 1..=4),
            prop::collection::vec(refinery, 1..=3),
            plants,
            demand,
        )
            .prop_map(
                move |(countries, border_cost, mines, refineries, plants, demand)| NetSpec {
                    countries,
                    border_cost,
                    mines,
                    refineries,
                    plants: if single_commodity { Vec::new() } else { plants },
                    demand,
                    single_commodity,
                },
            )
    })
}

fn country(index: usize) -> String {
    format!("C{index}0")
}

fn build(spec: &NetSpec) -> Scenario {
    let mut net = Net::new().border_cost(spec.border_cost);
    for index in 0..spec.countries {
        net = net.country(&country(index), 20.0 * index as f64);
    }
    for (index, mine) in spec.mines.iter().enumerate() {
        let composition: Vec<(&str, f64)> = if spec.single_commodity {
            vec![("NDPR", 1.0)]
        } else {
            let total: f64 = mine.mix.iter().sum();
            OXIDES
                .iter()
                .zip(mine.mix)
                .map(|(c, s)| (*c, s / total))
                .collect()
        };
        net = net.mine(
            &format!("M{index}"),
            &country(mine.country),
            mine.capacity_t,
            mine.cost,
            &composition,
        );
    }
    for (index, refinery) in spec.refineries.iter().enumerate() {
        let circuits: Vec<(&str, f64)> = if spec.single_commodity {
            vec![("NDPR", refinery.circuits_t[0])]
        } else {
            OXIDES
                .iter()
                .zip(refinery.circuits_t)
                .filter(|(_, t)| *t > 1.0)
                .map(|(c, t)| (*c, t))
                .collect()
        };
        net = net.refinery(
            &format!("R{index}"),
            &country(refinery.country),
            &circuits,
            refinery.cost,
        );
    }
    for (index, (plant_country, capacity_t, cost)) in spec.plants.iter().enumerate() {
        net = net.magnet_plant(
            &format!("G{index}"),
            &country(*plant_country),
            *capacity_t,
            *cost,
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for (region, commodity, reference_t, elasticity) in &spec.demand {
        let commodity = if spec.single_commodity { 0 } else { *commodity };
        if !seen.insert((*region, commodity)) {
            continue;
        }
        let (id, price) = match commodity {
            0 => ("NDPR", 50.0),
            1 => ("DYTB", 300.0),
            2 => ("LACE", 2.0),
            _ => ("NDFEB", 60.0),
        };
        net = net.demand(&country(*region), id, *reference_t, price, *elasticity);
    }
    net.build()
}

fn check_invariants(scenario: &Scenario, solution: &Solution) -> Result<(), TestCaseError> {
    let year = &solution.years[0];
    prop_assert!(year.status.is_usable(), "status {:?}", year.status);
    let scale: f64 = scenario.nodes.iter().map(|n| n.capacity_t_per_yr).sum();
    let tolerance = tolerance_t(scale);
    for node in &year.nodes {
        prop_assert!(
            node.output_t >= -tolerance,
            "{} output {}",
            node.node,
            node.output_t
        );
        prop_assert!(
            node.output_t <= node.capacity_t + tolerance,
            "{} over capacity",
            node.node
        );
        let scenario_node = scenario.node(&node.node).expect("node");
        match &scenario_node.process {
            Process::Mine { .. } => {
                // Everything mined is shipped.
                let shipped: f64 = year
                    .flows
                    .iter()
                    .filter(|f| f.from.id == node.node)
                    .map(|f| f.t)
                    .sum();
                prop_assert!(
                    (shipped - node.output_t).abs() <= tolerance,
                    "{} ships {shipped} of {}",
                    node.node,
                    node.output_t
                );
            }
            Process::Refinery { .. } => {
                // Each oxide out ≤ its circuit (scaled by capacity policies) and ≤ what the
                // feed contains.
                let scale = scenario.capacity_scale_in(scenario_node, year.year);
                for (commodity, t) in &node.outputs {
                    let circuit = scenario_node.circuit_capacity_in(commodity, year.year, scale);
                    prop_assert!(
                        *t <= circuit + tolerance,
                        "{} {commodity} over its circuit",
                        node.node
                    );
                    let contained: f64 = year
                        .flows
                        .iter()
                        .filter(|f| f.target == FlowTarget::Refinery && f.to.id == node.node)
                        .map(|f| {
                            let mine = scenario.node(&f.from.id).expect("mine");
                            let Process::Mine { composition, .. } = &mine.process else {
                                return 0.0;
                            };
                            f.t * composition
                                .iter()
                                .filter(|s| s.commodity == *commodity)
                                .map(|s| s.share)
                                .sum::<f64>()
                        })
                        .sum();
                    prop_assert!(
                        *t <= contained + tolerance,
                        "{} separates {t} t of {commodity} from {contained} t",
                        node.node
                    );
                }
            }
            Process::MagnetPlant { .. } => {}
        }
    }
    for market in &year.markets {
        prop_assert!(market.shortfall_t >= 0.0);
        prop_assert!(
            (market.shortfall_t - (market.reference_t - market.consumption_t).max(0.0)).abs()
                <= 1e-9,
            "shortfall is reference minus consumption"
        );
        prop_assert!(market.price_usd_per_kg >= 0.0);
        // Above the final buyers' choke only where magnet makers outbid them (then the buyers
        // are priced out).
        prop_assert!(
            market.price_usd_per_kg <= market.choke_price_usd_per_kg * (1.0 + 1e-6) + 1e-6
                || (market.to_magnet_makers_t > 0.0 && market.consumption_t < tolerance),
            "{} {}: price {} over choke {}",
            market.region,
            market.commodity,
            market.price_usd_per_kg,
            market.choke_price_usd_per_kg
        );
        // What a region's users and magnet makers take arrived there.
        let arrived: f64 = year
            .flows
            .iter()
            .filter(|f| {
                f.target == FlowTarget::Region
                    && f.to.id == market.region
                    && f.commodity.as_deref() == Some(market.commodity.as_str())
            })
            .map(|f| f.t)
            .sum();
        let taken = market.consumption_t + market.to_magnet_makers_t;
        prop_assert!(
            (arrived + market.stock_release_t - taken).abs() <= tolerance,
            "{} {}: {arrived} t arrived, {} consumed, {} to magnet makers",
            market.region,
            market.commodity,
            market.consumption_t,
            market.to_magnet_makers_t
        );
        // Magnet makers' purchases leave the market as flows to them.
        let to_makers: f64 = year
            .flows
            .iter()
            .filter(|f| {
                f.target == FlowTarget::MagnetMakers
                    && f.from.id == market.region
                    && f.commodity.as_deref() == Some(market.commodity.as_str())
            })
            .map(|f| f.t)
            .sum();
        prop_assert!((to_makers - market.to_magnet_makers_t).abs() <= tolerance);
    }
    Ok(())
}

fn with_policy(scenario: &Scenario, kind: PolicyKind) -> Scenario {
    let mut changed = scenario.clone();
    changed.policies.push(rareflow::model::Policy {
        id: "property".to_owned(),
        label: "property".to_owned(),
        enabled: true,
        start_year: scenario.meta.first_year,
        end_year: None,
        kind,
        event: None,
        source: "test".to_owned(),
        notes: String::new(),
    });
    changed
}

fn single_year(mut scenario: Scenario) -> Scenario {
    scenario.meta.last_year = scenario.meta.first_year;
    scenario
}

fn welfare(solution: &Solution) -> f64 {
    solution.years[0].welfare_musd
}

fn total_shortfall(solution: &Solution) -> f64 {
    solution.years[0]
        .markets
        .iter()
        .map(|m| m.shortfall_t)
        .sum()
}

/// 48 cases unless `PROPTEST_CASES` says otherwise; the seeds of past failures in
/// `solver_properties.proptest-regressions` (next to this file) are replayed first, and a
/// new failure's seed is added there, so a case that once failed is checked in every run.
fn properties_config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(48),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

#[test]
fn the_regression_seeds_are_read() {
    let committed = include_str!("solver_properties.proptest-regressions")
        .lines()
        .filter(|line| line.starts_with("cc "))
        .count();
    assert!(committed >= 1, "the file holds the seed of a past failure");
    let config = properties_config();
    let persistence = config
        .failure_persistence
        .as_ref()
        .expect("failures are persisted");
    let loaded = persistence.load_persisted_failures2(Some(file!()));
    assert_eq!(loaded.len(), committed, "every committed seed is replayed");
}

proptest! {
    #![proptest_config(properties_config())]

    #[test]
    fn invariants_hold_on_random_networks(spec in net_spec(false)) {
        let scenario = single_year(build(&spec));
        let solution = solve(&scenario);
        check_invariants(&scenario, &solution)?;
    }

    #[test]
    fn more_capacity_never_lowers_welfare_and_a_ban_never_raises_it(
        spec in net_spec(false),
        node_pick in any::<prop::sample::Index>(),
        exporter_pick in any::<prop::sample::Index>(),
        stage_pick in 0usize..3,
    ) {
        let scenario = single_year(build(&spec));
        let base = welfare(&solve(&scenario));
        let node = node_pick.get(&scenario.nodes).id.clone();
        let bigger = with_policy(&scenario, PolicyKind::CapacityChange { node, change: CapacityChangeKind::Scale(1.5) });
        let solution = solve(&bigger);
        check_invariants(&bigger, &solution)?;
        prop_assert!(welfare(&solution) >= base - 1e-6 * base.abs() - 1e-6, "capacity lowered welfare: {} < {base}", welfare(&solution));
        let exporter = exporter_pick.get(&scenario.countries).iso3.clone();
        let stage = Stage::ALL[stage_pick];
        let banned = with_policy(&scenario, ban(&exporter, &[], &[stage], Destinations::All));
        let solution = solve(&banned);
        check_invariants(&banned, &solution)?;
        prop_assert!(welfare(&solution) <= base + 1e-6 * base.abs() + 1e-6, "a ban raised welfare: {} > {base}", welfare(&solution));
    }

    #[test]
    fn with_one_commodity_capacity_never_raises_shortfall_and_a_ban_never_lowers_it(
        spec in net_spec(true),
        node_pick in any::<prop::sample::Index>(),
        exporter_pick in any::<prop::sample::Index>(),
    ) {
        let scenario = single_year(build(&spec));
        let solution = solve(&scenario);
        check_invariants(&scenario, &solution)?;
        let base = total_shortfall(&solution);
        let tolerance = tolerance_t(scenario.nodes.iter().map(|n| n.capacity_t_per_yr).sum());
        let node = node_pick.get(&scenario.nodes).id.clone();
        let bigger = with_policy(&scenario, PolicyKind::CapacityChange { node, change: CapacityChangeKind::Scale(1.5) });
        prop_assert!(total_shortfall(&solve(&bigger)) <= base + tolerance);
        let exporter = exporter_pick.get(&scenario.countries).iso3.clone();
        let banned = with_policy(&scenario, ban(&exporter, &[], &[], Destinations::All));
        prop_assert!(total_shortfall(&solve(&banned)) >= base - tolerance);
    }

    #[test]
    fn invariants_hold_with_constant_elasticity_demand(
        spec in net_spec(false),
        cap in 1.5..60.0f64,
    ) {
        let mut scenario = single_year(build(&spec));
        for demand in &mut scenario.demand {
            demand.form = DemandForm::ConstantElasticity { price_cap_multiple: cap };
        }
        let solution = solve(&scenario);
        check_invariants(&scenario, &solution)?;
    }

    #[test]
    fn an_expansion_option_never_lowers_welfare(
        spec in net_spec(false),
        host_pick in any::<prop::sample::Index>(),
        capital_cost in 0.0..100_000.0f64,
        max_build_t in 0.0..2_000.0f64,
    ) {
        // The first year an option with no lead time can build (the base year + 1).
        let mut scenario = build(&spec);
        scenario.meta.last_year = scenario.meta.base_year + 1;
        let year = scenario.meta.last_year;
        let host = host_pick.get(&scenario.nodes).clone();
        let commodity = match &host.process {
            Process::Refinery { circuits, .. } => Some(circuits[0].commodity.clone()),
            _ => None,
        };
        let welfare_in = |s: &Scenario| solve(s).year(year).expect("year").welfare_musd;
        let base = welfare_in(&scenario);
        let mut expanded = scenario.clone();
        expanded.expansion.push(ExpansionOption {
            id: "property".to_owned(),
            label: "property".to_owned(),
            enabled: true,
            stage: host.process.stage(),
            country: host.country.clone(),
            host: host.id.clone(),
            commodity,
            capital_cost_usd_per_t_per_yr: capital_cost,
            capital_recovery_factor: 0.1,
            lead_years: 0,
            max_build_t_per_yr: max_build_t,
            source: "test".to_owned(),
            notes: String::new(),
        });
        let solution = solve(&expanded);
        let with = solution.year(year).expect("year");
        prop_assert!(with.status.is_usable());
        prop_assert!(
            with.welfare_musd >= base - 1e-6 * base.abs() - 1e-6,
            "an option lowered welfare: {} < {base}",
            with.welfare_musd
        );
        let built = &with.expansions[0];
        prop_assert!(built.added_t_per_yr <= max_build_t + 0.05);
        prop_assert!(built.output_t <= built.capacity_t_per_yr + 0.05);
        let node = with.node(&host.id).expect("host");
        prop_assert!(node.output_t <= node.capacity_t + 0.05, "{} over capacity", node.node);
    }
}
