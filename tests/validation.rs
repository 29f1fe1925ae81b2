//! Validation catches each kind of bad input and names the item and the field.

use rareflow::model::{
    CapacityChangeKind, Destinations, PolicyKind, Problem, Process, Scenario, TradeGoods, validate,
};

fn baseline() -> Scenario {
    rareflow::baseline().expect("the built-in baseline loads")
}

/// Asserts that exactly one problem names `item` and `field`, and returns it.
fn only_problem_about(problems: &[Problem], item: &str, field: &str) -> Problem {
    let matching: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.item == item && p.field == field)
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one problem about {item} / {field}, got {problems:#?}"
    );
    matching[0].clone()
}

fn mine_mut<'a>(scenario: &'a mut Scenario, id: &str) -> &'a mut rareflow::model::Node {
    scenario
        .nodes
        .iter_mut()
        .find(|node| node.id == id)
        .expect("node exists")
}

#[test]
fn the_baseline_and_every_shipped_scenario_are_valid() {
    assert_eq!(validate(&baseline()), vec![]);
}

#[test]
fn duplicate_ids_are_named() {
    let mut scenario = baseline();
    let copy = scenario.nodes[3].clone();
    scenario.nodes.push(copy.clone());
    let policy = scenario.policies[0].clone();
    scenario.policies.push(policy.clone());
    let problems = validate(&scenario);
    let node = only_problem_about(&problems, &format!("node \"{}\"", copy.id), "id");
    assert!(node.message.contains("more than once"), "{node}");
    only_problem_about(&problems, &format!("policy \"{}\"", policy.id), "id");
}

#[test]
fn unknown_country_is_named() {
    let mut scenario = baseline();
    mine_mut(&mut scenario, "MINE-AUS-mt_weld_lynas").country = "XXX".to_owned();
    let problems = validate(&scenario);
    let problem = only_problem_about(&problems, "node \"MINE-AUS-mt_weld_lynas\"", "country");
    assert_eq!(problem.message, "unknown country \"XXX\"");
    assert_eq!(problems.len(), 1, "{problems:#?}");
}

#[test]
fn unknown_commodity_is_named() {
    let mut scenario = baseline();
    scenario.demand[0].commodity = "UNOBTAINIUM".to_owned();
    let problems = validate(&scenario);
    let item = format!("demand {}/UNOBTAINIUM", scenario.demand[0].region);
    let problem = only_problem_about(&problems, &item, "commodity");
    assert_eq!(problem.message, "unknown commodity \"UNOBTAINIUM\"");
}

#[test]
fn unknown_node_in_a_policy_is_named() {
    let mut scenario = baseline();
    let policy = scenario
        .policies
        .iter_mut()
        .find(|p| p.id == "mmr-kachin-disruption")
        .expect("policy exists");
    policy.kind = PolicyKind::CapacityChange {
        node: "MINE-NOWHERE".to_owned(),
        change: CapacityChangeKind::Scale(0.5),
    };
    let problems = validate(&scenario);
    let problem = only_problem_about(&problems, "policy \"mmr-kachin-disruption\"", "node");
    assert_eq!(problem.message, "unknown node \"MINE-NOWHERE\"");
}

#[test]
fn unknown_destination_is_named() {
    let mut scenario = baseline();
    scenario.policies[0].kind = PolicyKind::ExportBan {
        exporter: "CHN".to_owned(),
        goods: TradeGoods::default(),
        destinations: Destinations::Only(vec!["JPN".to_owned(), "ATLANTIS".to_owned()]),
    };
    let problems = validate(&scenario);
    let item = format!("policy \"{}\"", scenario.policies[0].id);
    let problem = only_problem_about(&problems, &item, "destinations");
    assert_eq!(problem.message, "unknown country or region \"ATLANTIS\"");
}

#[test]
fn negative_capacity_is_named() {
    let mut scenario = baseline();
    mine_mut(&mut scenario, "MINE-USA-mountain_pass_mp").capacity_t_per_yr = -5.0;
    let problems = validate(&scenario);
    let problem = only_problem_about(
        &problems,
        "node \"MINE-USA-mountain_pass_mp\"",
        "capacity_t_per_yr",
    );
    assert_eq!(problem.message, "must be ≥ 0 (got -5)");
}

#[test]
fn non_finite_numbers_are_named() {
    let mut scenario = baseline();
    scenario.demand[2].reference_price_usd_per_kg = f64::NAN;
    scenario.demand[3].elasticity = f64::INFINITY;
    let problems = validate(&scenario);
    let price_item = format!(
        "demand {}/{}",
        scenario.demand[2].region, scenario.demand[2].commodity
    );
    let price = only_problem_about(&problems, &price_item, "reference_price_usd_per_kg");
    assert_eq!(price.message, "must be > 0 (got NaN)");
    let elasticity_item = format!(
        "demand {}/{}",
        scenario.demand[3].region, scenario.demand[3].commodity
    );
    only_problem_about(&problems, &elasticity_item, "elasticity");
}

#[test]
fn nan_in_a_file_is_rejected_by_name() {
    let text =
        rareflow::BASELINE_RON.replacen("capacity_t_per_yr: 250850.0", "capacity_t_per_yr: NaN", 1);
    assert_ne!(
        text,
        rareflow::BASELINE_RON,
        "the baseline has the China light mine capacity"
    );
    let error = rareflow::io::load_str("edited.ron", &text).expect_err("NaN is refused");
    let message = error.to_string();
    assert!(
        message.contains(
            "node \"MINE-CHN-light_ree_mines\", capacity_t_per_yr: must be ≥ 0 (got NaN)"
        ),
        "{message}"
    );
}

#[test]
fn composition_that_does_not_sum_to_one_is_named() {
    let mut scenario = baseline();
    let node = mine_mut(&mut scenario, "MINE-MMR-kachin_state_ionic");
    let Process::Mine { composition, .. } = &mut node.process else {
        panic!("a mine");
    };
    composition[0].share += 0.1;
    let problems = validate(&scenario);
    let problem = only_problem_about(
        &problems,
        "node \"MINE-MMR-kachin_state_ionic\"",
        "composition",
    );
    assert_eq!(problem.message, "shares must sum to 1 (they sum to 1.1000)");
}

#[test]
fn recipe_with_a_missing_commodity_is_named() {
    let mut scenario = baseline();
    let node = mine_mut(&mut scenario, "MAG-JPN-japan_shin_etsu");
    let Process::MagnetPlant { recipe, .. } = &mut node.process else {
        panic!("a magnet plant");
    };
    recipe[1].commodity = "BORON".to_owned();
    let problems = validate(&scenario);
    let problem = only_problem_about(
        &problems,
        "node \"MAG-JPN-japan_shin_etsu\"",
        "recipe[BORON]",
    );
    assert_eq!(problem.message, "unknown oxide commodity \"BORON\"");
}

/// Found by the loader's fuzz seeds: a horizon of every `i32` year loaded as valid, and
/// solving it grew memory by gigabytes a second.
#[test]
fn a_horizon_over_a_hundred_years_is_refused() {
    let mut scenario = baseline();
    scenario.meta.first_year = i32::MIN;
    scenario.meta.last_year = i32::MAX;
    scenario.meta.base_year = 2024;
    let problems = validate(&scenario);
    let horizon = only_problem_about(&problems, "scenario", "meta.last_year");
    assert_eq!(
        horizon.message,
        "the horizon -2147483648–2147483647 is 4294967296 years; at most 100 are solved"
    );
    scenario.meta.first_year = 2024;
    scenario.meta.last_year = 2123;
    assert_eq!(validate(&scenario), Vec::new(), "100 years are fine");
    scenario.meta.last_year = 2124;
    let horizon = only_problem_about(&validate(&scenario), "scenario", "meta.last_year");
    assert_eq!(
        horizon.message,
        "the horizon 2024–2124 is 101 years; at most 100 are solved"
    );
}

/// Found by fuzzing: a reference demand of 1.8e308 t growing 5 % a year overflowed to ∞ in
/// the report of a year called optimal.
#[test]
fn tonnages_over_a_million_times_world_output_are_refused() {
    let mut scenario = baseline();
    mine_mut(&mut scenario, "MINE-CHN-light_ree_mines").capacity_t_per_yr = 2e12;
    scenario.demand[0].reference_t_per_yr = f64::MAX;
    let problems = validate(&scenario);
    let capacity = only_problem_about(
        &problems,
        "node \"MINE-CHN-light_ree_mines\"",
        "capacity_t_per_yr",
    );
    assert_eq!(
        capacity.message,
        "must be at most 1e12 t, a million times the world's yearly output (got 2000000000000)"
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    mine_mut(&mut scenario, "MINE-CHN-light_ree_mines").capacity_t_per_yr = 1e12;
    scenario.demand[0].reference_t_per_yr = 1e12;
    assert_eq!(validate(&scenario), Vec::new(), "1e12 t is allowed");
}

#[test]
fn years_outside_the_horizon_are_named() {
    let mut scenario = baseline();
    scenario.policies[1].start_year = 2019;
    scenario.policies[2].end_year = Some(2040);
    mine_mut(&mut scenario, "MINE-NAM-lofdal_namibia_critical").start_year = Some(2041);
    let problems = validate(&scenario);
    let start = only_problem_about(
        &problems,
        &format!("policy \"{}\"", scenario.policies[1].id),
        "start_year",
    );
    assert_eq!(start.message, "year 2019 is outside the horizon 2024–2035");
    only_problem_about(
        &problems,
        &format!("policy \"{}\"", scenario.policies[2].id),
        "end_year",
    );
    let node = only_problem_about(
        &problems,
        "node \"MINE-NAM-lofdal_namibia_critical\"",
        "start_year",
    );
    assert_eq!(
        node.message,
        "year 2041 is after the horizon's last year 2035"
    );
}

#[test]
fn policy_ending_before_it_starts_is_named() {
    let mut scenario = baseline();
    scenario.policies[4].start_year = 2030;
    scenario.policies[4].end_year = Some(2028);
    let problems = validate(&scenario);
    let problem = only_problem_about(
        &problems,
        &format!("policy \"{}\"", scenario.policies[4].id),
        "end_year",
    );
    assert_eq!(problem.message, "ends (2028) before it starts (2030)");
}

#[test]
fn empty_names_are_named() {
    let mut scenario = baseline();
    mine_mut(&mut scenario, "SEP-EST-npm_silmet_neo").name = "  ".to_owned();
    scenario.policies[0].label.clear();
    let problems = validate(&scenario);
    only_problem_about(&problems, "node \"SEP-EST-npm_silmet_neo\"", "name");
    only_problem_about(
        &problems,
        &format!("policy \"{}\"", scenario.policies[0].id),
        "label",
    );
}

#[test]
fn refinery_capacity_must_be_its_circuits() {
    let mut scenario = baseline();
    mine_mut(&mut scenario, "SEP-MYS-lynas_malaysia_gebeng").capacity_t_per_yr = 30_000.0;
    let problems = validate(&scenario);
    let problem = only_problem_about(
        &problems,
        "node \"SEP-MYS-lynas_malaysia_gebeng\"",
        "capacity_t_per_yr",
    );
    assert!(
        problem.message.contains("(22600 t/yr; got 30000)"),
        "{problem}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut scenario = baseline();
    mine_mut(&mut scenario, "MINE-AUS-mt_weld_lynas").country = "XXX".to_owned();
    mine_mut(&mut scenario, "MINE-USA-mountain_pass_mp").capacity_t_per_yr = -1.0;
    scenario.demand[0].elasticity = 0.0;
    scenario.policies[0].start_year = 1999;
    let problems = validate(&scenario);
    assert_eq!(problems.len(), 4, "{problems:#?}");
}
