//! Default ranges from the data's ESTIMATE flags: the rules file parses, its slip rules are
//! the frequencies of the project history it cites, each rule selects what its row says on
//! in-force-2026, a scenario's own ranges win, and distributions round-trip as text.

use std::collections::BTreeMap;
use std::path::Path;

use rareflow::model::{Distribution, Scenario, UncertainTarget, YearSlip, validate};
use rareflow::uncertainty::defaults::{
    RULES_CSV, capacity_is_estimated, default_rules, parse_rules,
};
use rareflow::uncertainty::{default_ranges, missing_default_ranges, with_default_ranges};

fn in_force() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    rareflow::io::load(&path).expect("loads")
}

fn slips(distribution: &Distribution) -> Vec<(i32, f64)> {
    match distribution {
        Distribution::YearSlip(outcomes) => {
            outcomes.iter().map(|o| (o.years, o.probability)).collect()
        }
        other => panic!("not a slip: {other:?}"),
    }
}

#[test]
fn the_shipped_rules_parse_with_a_source_each() {
    let rules = default_rules();
    let names: Vec<&str> = rules.iter().map(|rule| rule.rule.as_str()).collect();
    assert_eq!(
        names,
        [
            "start-slip-construction",
            "start-slip-planned",
            "capacity-estimate",
            "elasticity",
            "growth",
            "licence-severity",
            "quota-severity",
            "expansion-capex",
            "expansion-lead",
        ]
    );
    assert!(rules.iter().all(|rule| !rule.source.is_empty()));
    let elasticity = &rules[3].distribution;
    assert_eq!(
        *elasticity,
        Distribution::LogNormal {
            median: 1.0,
            sigma: 0.421
        }
    );
}

/// The Uncertainty tab shows each range's citations on hover: every default range's source
/// names at least one key of the scenario's sources, whose citation it resolves to.
#[test]
fn every_default_range_cites_a_source_the_scenario_has() {
    let scenario = in_force();
    let ranges = default_ranges(&scenario);
    assert!(ranges.len() > 100, "{} default ranges", ranges.len());
    for range in &ranges {
        let citations = scenario.citations_in(&range.source);
        assert!(!citations.is_empty(), "{}: {}", range.id, range.source);
    }
    let elasticity = ranges
        .iter()
        .find(|range| range.source.starts_with("hicks1932 | rareflow"))
        .expect("an elasticity range");
    let citations = scenario.citations_in(&elasticity.source);
    assert_eq!(citations.len(), 2, "{citations:?}");
    assert!(citations[0].starts_with("J. R. Hicks, The Theory of Wages"));
    assert!(citations[1].starts_with("rareflow modelling assumption"));
    // Free text that names no key cites nothing; a key is a whole word, not a part of one.
    assert!(scenario.citations_in("my own guess, 2026").is_empty());
    assert!(scenario.citations_in("mcs2026x").is_empty());
}

#[test]
fn a_bad_rule_row_is_refused_naming_its_line_and_rule() {
    let header = RULES_CSV.lines().next().expect("header");
    let bad_target = format!("{header}\nx,node_height,estimate_flag,uniform,low=1;high=2,est,\n");
    let error = parse_rules(&bad_target).expect_err("unknown target");
    assert!(
        error.contains("line 2 (x)") && error.contains("node_height"),
        "{error}"
    );
    let wrong_selector =
        format!("{header}\ny,node_capacity,status=planned,uniform,low=1;high=2,est,\n");
    let error = parse_rules(&wrong_selector).expect_err("status selects start years only");
    assert!(error.contains("cannot select for node_capacity"), "{error}");
    let bad_params = format!("{header}\nz,demand_growth,estimate_flag,uniform,low=1,est,\n");
    let error = parse_rules(&bad_params).expect_err("no high");
    assert!(error.contains("uniform needs high="), "{error}");
}

/// The slip rules are exactly the frequencies of `project_delays.csv`'s outcomes by the
/// status a project had when its start was announced ("never" drawn as 10 years).
#[test]
fn the_slip_rules_are_the_frequencies_of_the_project_history() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/data/project_delays.csv");
    let mut reader = csv::Reader::from_path(path).expect("project_delays.csv");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (status_at, slip_at) = (column("status_when_announced"), column("slip_years"));
    let mut counts: BTreeMap<String, BTreeMap<i32, u32>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("row");
        let slip = match &record[slip_at] {
            "never" => 10,
            years => years.parse().expect("slip years"),
        };
        *counts
            .entry(record[status_at].to_owned())
            .or_default()
            .entry(slip)
            .or_default() += 1;
    }
    let rules = default_rules();
    for (status, rule) in [
        ("construction", "start-slip-construction"),
        ("planned", "start-slip-planned"),
    ] {
        let history = &counts[status];
        let total: u32 = history.values().sum();
        let expected: Vec<(i32, f64)> = history
            .iter()
            .map(|(&years, &n)| (years, f64::from(n) / f64::from(total)))
            .collect();
        let rule = rules.iter().find(|r| r.rule == rule).expect("rule");
        let actual = slips(&rule.distribution);
        assert_eq!(actual.len(), expected.len(), "{status}: {actual:?}");
        for ((years, p), (want_years, want_p)) in actual.iter().zip(&expected) {
            assert_eq!(years, want_years, "{status}");
            assert!(
                (p - want_p).abs() < 1e-6,
                "{status} {years} y: {p} vs {want_p}"
            );
        }
    }
    assert_eq!(counts["construction"].values().sum::<u32>(), 6);
    assert_eq!(counts["planned"].values().sum::<u32>(), 4);
}

#[test]
fn the_rules_select_what_their_rows_say_on_in_force_2026() {
    let scenario = in_force();
    let defaults = default_ranges(&scenario);
    let find = |id: &str| defaults.iter().find(|input| input.id == id);
    // Under construction (Eneabba refinery, 2027) and planned (Nolans, 2028) projects slip
    // by their history; an operating node with a past start year does not.
    let eneabba = find("SEP-AUS-eneabba_refinery_iluka.start_year").expect("construction");
    assert_eq!(
        slips(&eneabba.distribution),
        [(0, 0.5), (1, 0.333333), (2, 0.166667)]
    );
    let nolans = find("MINE-AUS-nolans_arafura.start_year").expect("planned");
    assert_eq!(
        slips(&nolans.distribution),
        [(2, 0.25), (6, 0.25), (10, 0.5)]
    );
    assert!(
        nolans.source.contains("start-slip-planned"),
        "{}",
        nolans.source
    );
    let start_slips = defaults
        .iter()
        .filter(|input| input.target.is_year_slip())
        .count();
    assert_eq!(start_slips, 6 + 11);
    // A capacity flagged "yes (group split); capacity" is a guess; one flagged only for
    // its group split is as published.
    let ionic = find("MINE-CHN-ion_adsorption_clay.capacity").expect("estimated capacity");
    assert_eq!(
        ionic.distribution,
        Distribution::Triangular {
            low: 0.8,
            mode: 1.0,
            high: 1.2
        }
    );
    let notes = |id: &str| scenario.node(id).expect("node").notes.clone();
    assert!(
        notes("MINE-CHN-ion_adsorption_clay").ends_with("Estimate: yes (group split); capacity")
    );
    assert!(notes("MINE-CHN-light_ree_mines").ends_with("Estimate: yes (group split)"));
    assert!(find("MINE-CHN-light_ree_mines.capacity").is_none());
    let as_published: Vec<&str> = scenario
        .nodes
        .iter()
        .filter(|node| node.notes.contains("Estimate: ") && !capacity_is_estimated(&node.notes))
        .map(|node| node.id.as_str())
        .collect();
    assert!(!as_published.is_empty());
    for id in &as_published {
        assert!(find(&format!("{id}.capacity")).is_none(), "{id}");
    }
    // Every commodity's elasticity and growth; switched-on quotas, not the tariff, not a
    // switched-off quota.
    for commodity in ["NDPR", "DYTB", "Y", "LACE", "NDFEB"] {
        assert!(
            find(&format!("{commodity}.elasticity")).is_some(),
            "{commodity}"
        );
        assert!(
            find(&format!("{commodity}.growth")).is_some(),
            "{commodity}"
        );
    }
    let licence = find("cn-licence-dytb.severity").expect("licence");
    assert_eq!(
        licence.distribution,
        Distribution::Uniform {
            low: 0.4,
            high: 1.6
        }
    );
    assert!(find("cn-total-quantity-control.severity").is_some());
    assert!(find("us-magnet-tariff-2026.severity").is_none());
    assert!(find("cn-mining-quota-2024.severity").is_none());
    // The defaults are a valid scenario's ranges, each target once.
    let ranged = with_default_ranges(&scenario);
    assert_eq!(validate(&ranged), Vec::new());
    for (index, input) in defaults.iter().enumerate() {
        assert!(
            !defaults[..index]
                .iter()
                .any(|earlier| earlier.target == input.target),
            "{} twice",
            input.id
        );
    }
}

#[test]
fn a_scenarios_own_range_wins_over_the_default() {
    let mut scenario = in_force();
    let own = rareflow::model::UncertainInput {
        id: "my-nolans".to_owned(),
        label: "Nolans, my view".to_owned(),
        target: UncertainTarget::NodeStartYear {
            node: "MINE-AUS-nolans_arafura".to_owned(),
        },
        distribution: Distribution::YearSlip(vec![YearSlip {
            years: 1,
            probability: 1.0,
        }]),
        source: "a planner".to_owned(),
        notes: String::new(),
    };
    scenario.uncertainty = vec![own.clone()];
    let all = default_ranges(&scenario);
    let missing = missing_default_ranges(&scenario);
    assert_eq!(missing.len(), all.len() - 1);
    assert!(missing.iter().all(|input| input.target != own.target));
    let ranged = with_default_ranges(&scenario);
    assert_eq!(ranged.uncertainty[0], own);
    assert_eq!(ranged.uncertainty.len(), all.len());
    // Adding the defaults again adds nothing.
    assert!(missing_default_ranges(&ranged).is_empty());
}

#[test]
fn the_baseline_has_no_policy_ranges_because_every_policy_is_off() {
    let baseline = rareflow::baseline().expect("baseline");
    let defaults = default_ranges(&baseline);
    assert!(!defaults.is_empty());
    assert!(
        defaults
            .iter()
            .all(|input| !matches!(input.target, UncertainTarget::PolicySeverity { .. }))
    );
}

#[test]
fn capacity_flags_are_read_from_the_estimate_note() {
    assert!(capacity_is_estimated("quota binding. Estimate: yes"));
    assert!(capacity_is_estimated(
        "x. Estimate: yes (group split); capacity"
    ));
    assert!(capacity_is_estimated(
        "Estimate: yes (REO conversion); values. Ramp to"
    ));
    assert!(capacity_is_estimated("Estimate: yes (group split) | yes"));
    assert!(!capacity_is_estimated("x. Estimate: yes (group split)"));
    assert!(!capacity_is_estimated(
        "Estimate: yes (REO conversion). Ramp to nameplate"
    ));
    assert!(!capacity_is_estimated("ESTIMATE 19,150 t but no flag"));
}

#[test]
fn distributions_round_trip_as_text_and_bad_text_is_named() {
    let cases = [
        Distribution::Uniform {
            low: 0.4,
            high: 1.6,
        },
        Distribution::Triangular {
            low: 0.8,
            mode: 1.0,
            high: 1.2,
        },
        Distribution::LogNormal {
            median: 1.0,
            sigma: 0.1 + 0.2,
        },
        Distribution::YearSlip(vec![
            YearSlip {
                years: -1,
                probability: 0.1,
            },
            YearSlip {
                years: 3,
                probability: 0.9,
            },
        ]),
    ];
    for distribution in cases {
        let text = distribution.params_text();
        let back = Distribution::parse(distribution.kind_name(), &text).expect("parses");
        assert_eq!(back, distribution, "{text}");
    }
    let error = Distribution::parse("uniform", "low=1;high=2;mode=1.5").expect_err("mode");
    assert!(error.contains("takes no \"mode\""), "{error}");
    let error = Distribution::parse("year_slip", "2=0.5").expect_err("no y");
    assert!(error.contains("\"2\" is not a number of years"), "{error}");
    let error = Distribution::parse("beta", "a=1").expect_err("kind");
    assert!(error.contains("unknown distribution \"beta\""), "{error}");
    for kind in rareflow::model::TARGET_KINDS {
        let target = UncertainTarget::from_kind(kind, "X").expect("kind");
        assert_eq!(target.kind_name(), kind);
        assert_eq!(target.item(), "X");
    }
}
