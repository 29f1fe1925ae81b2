//! Uncertain inputs: the sampler's statistics, reproducible draws, validation and edits,
//! the format migration, the tornado on a hand network, and sweep summaries that merge.

mod common;

use std::sync::atomic::AtomicBool;

use common::Net;
use rareflow::io;
use rareflow::model::{
    Distribution, Edit, EditError, Scenario, UncertainInput, UncertainTarget, YearSlip, validate,
};
use rareflow::solver::{SolverSettings, calibrate};
use rareflow::uncertainty::{
    InputDraw, Measure, OutputKey, SweepSummary, draw_run, run_sweep, sampler, tornado,
};

fn input(id: &str, target: UncertainTarget, distribution: Distribution) -> UncertainInput {
    UncertainInput {
        id: id.to_owned(),
        label: id.to_owned(),
        target,
        distribution,
        source: "test range".to_owned(),
        notes: String::new(),
    }
}

fn capacity(node: &str, low: f64, high: f64) -> UncertainInput {
    input(
        &format!("{node}-capacity"),
        UncertainTarget::NodeCapacity {
            node: node.to_owned(),
        },
        Distribution::Uniform { low, high },
    )
}

fn multipliers(distribution: &Distribution, n: usize) -> Vec<f64> {
    let inputs = [input(
        "x",
        UncertainTarget::DemandGrowth {
            commodity: "NDPR".to_owned(),
        },
        distribution.clone(),
    )];
    (0..n as u64)
        .map(|run| draw_run(&inputs, 42, run).values[0].as_number())
        .collect()
}

fn mean_and_variance(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, variance)
}

#[test]
fn sample_moments_match_each_distribution() {
    let n = 100_000;
    // Uniform(0.8, 1.2): mean 1, variance 0.4²/12.
    let (mean, variance) = mean_and_variance(&multipliers(
        &Distribution::Uniform {
            low: 0.8,
            high: 1.2,
        },
        n,
    ));
    assert!((mean - 1.0).abs() < 0.002, "uniform mean {mean}");
    assert!(
        (variance / (0.16 / 12.0) - 1.0).abs() < 0.02,
        "uniform variance {variance}"
    );
    // Triangular(0.5, 1, 2): mean 3.5/3, variance (a²+b²+c²−ab−ac−bc)/18.
    let triangular = multipliers(
        &Distribution::Triangular {
            low: 0.5,
            mode: 1.0,
            high: 2.0,
        },
        n,
    );
    let (mean, variance) = mean_and_variance(&triangular);
    let expected_variance = (0.25 + 1.0 + 4.0 - 0.5 - 1.0 - 2.0) / 18.0;
    assert!((mean - 3.5 / 3.0).abs() < 0.003, "triangular mean {mean}");
    assert!(
        (variance / expected_variance - 1.0).abs() < 0.03,
        "triangular variance {variance}"
    );
    assert!(triangular.iter().all(|v| (0.5..=2.0).contains(v)));
    // LogNormal(median 1, σ 0.3): ln is N(0, 0.09).
    let logs: Vec<f64> = multipliers(
        &Distribution::LogNormal {
            median: 1.0,
            sigma: 0.3,
        },
        n,
    )
    .iter()
    .map(|v| v.ln())
    .collect();
    let (mean, variance) = mean_and_variance(&logs);
    assert!(mean.abs() < 0.003, "log-normal log mean {mean}");
    assert!(
        (variance / 0.09 - 1.0).abs() < 0.03,
        "log-normal log variance {variance}"
    );
}

#[test]
fn year_slips_come_with_their_probabilities() {
    let slips = Distribution::YearSlip(vec![
        YearSlip {
            years: 0,
            probability: 0.5,
        },
        YearSlip {
            years: 1,
            probability: 0.3,
        },
        YearSlip {
            years: 3,
            probability: 0.2,
        },
    ]);
    let n = 50_000;
    let mut stream = sampler::SplitMix64::for_run(9, 0);
    let mut counts = [0usize; 4];
    for _ in 0..n {
        match sampler::sample(&slips, &mut stream) {
            InputDraw::SlipYears(years) => counts[years as usize] += 1,
            other => panic!("a slip distribution drew {other:?}"),
        }
    }
    let share = |years: usize| counts[years] as f64 / n as f64;
    assert!((share(0) - 0.5).abs() < 0.01, "{counts:?}");
    assert!((share(1) - 0.3).abs() < 0.01, "{counts:?}");
    assert!((share(3) - 0.2).abs() < 0.01, "{counts:?}");
    assert_eq!(counts[2], 0);
}

#[test]
fn a_draw_depends_only_on_seed_and_run() {
    let inputs = [
        capacity("A", 0.5, 1.5),
        input(
            "slip",
            UncertainTarget::NodeStartYear {
                node: "B".to_owned(),
            },
            Distribution::YearSlip(vec![
                YearSlip {
                    years: 0,
                    probability: 0.5,
                },
                YearSlip {
                    years: 2,
                    probability: 0.5,
                },
            ]),
        ),
    ];
    let alone = draw_run(&inputs, 2026, 17);
    // Drawing other runs first (as another shard would) changes nothing.
    for run in 0..17 {
        draw_run(&inputs, 2026, run);
    }
    assert_eq!(draw_run(&inputs, 2026, 17), alone);
    assert_eq!(alone.run, 17);
    assert_ne!(draw_run(&inputs, 2026, 18).values, alone.values);
    assert_ne!(draw_run(&inputs, 2027, 17).values, alone.values);
}

fn baseline_with(inputs: Vec<UncertainInput>) -> Scenario {
    let mut scenario = rareflow::baseline().expect("baseline loads");
    scenario.uncertainty = inputs;
    scenario
}

/// The problems of the baseline with one input added, as text.
fn problems_with(bad: UncertainInput) -> Vec<String> {
    validate(&baseline_with(vec![bad]))
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn validation_refuses_each_bad_input_naming_it() {
    let uniform = Distribution::Uniform {
        low: 0.8,
        high: 1.2,
    };
    let cases: Vec<(UncertainInput, &str)> = vec![
        (
            capacity("NO-SUCH-NODE", 0.8, 1.2),
            "unknown node \"NO-SUCH-NODE\"",
        ),
        (
            capacity("MINE-CHN-light_ree_mines", 1.2, 0.8),
            "low (1.2) is above high (0.8)",
        ),
        (
            capacity("MINE-CHN-light_ree_mines", -0.5, 1.2),
            "distribution.low: must be > 0",
        ),
        (
            capacity("MINE-CHN-light_ree_mines", 0.8, f64::INFINITY),
            "distribution.high",
        ),
        (
            input(
                "tri",
                UncertainTarget::DemandElasticity {
                    commodity: "NDPR".to_owned(),
                },
                Distribution::Triangular {
                    low: 0.8,
                    mode: 1.5,
                    high: 1.2,
                },
            ),
            "mode (1.5) is above high (1.2)",
        ),
        (
            input(
                "growth",
                UncertainTarget::DemandGrowth {
                    commodity: "UNOBTAINIUM".to_owned(),
                },
                uniform.clone(),
            ),
            "unknown commodity \"UNOBTAINIUM\"",
        ),
        (
            input(
                "policy",
                UncertainTarget::PolicySeverity {
                    policy: "no-such-policy".to_owned(),
                },
                uniform.clone(),
            ),
            "unknown policy \"no-such-policy\"",
        ),
        (
            input(
                "option",
                UncertainTarget::ExpansionLeadTime {
                    option: "no-such-option".to_owned(),
                },
                uniform.clone(),
            ),
            "unknown expansion option \"no-such-option\"",
        ),
        (
            input(
                "slip",
                UncertainTarget::NodeStartYear {
                    node: "MINE-CHN-light_ree_mines".to_owned(),
                },
                Distribution::YearSlip(vec![YearSlip {
                    years: 1,
                    probability: 1.0,
                }]),
            ),
            "has no start year to slip",
        ),
        (
            input(
                "probabilities",
                UncertainTarget::NodeStartYear {
                    node: "MINE-CHN-light_ree_mines".to_owned(),
                },
                Distribution::YearSlip(vec![YearSlip {
                    years: 1,
                    probability: 0.7,
                }]),
            ),
            "the probabilities sum to 0.7, not 1",
        ),
        (
            input(
                "slip-on-capacity",
                UncertainTarget::NodeCapacity {
                    node: "MINE-CHN-light_ree_mines".to_owned(),
                },
                Distribution::YearSlip(vec![YearSlip {
                    years: 1,
                    probability: 1.0,
                }]),
            ),
            "a year slip varies only a start year",
        ),
    ];
    for (bad, expected) in cases {
        let id = bad.id.clone();
        let problems = problems_with(bad);
        assert!(
            problems.iter().any(|problem| {
                problem.starts_with(&format!("uncertain input \"{id}\", "))
                    && problem.contains(expected)
            }),
            "expected {expected:?} for {id}, got {problems:#?}"
        );
    }
    assert!(problems_with(capacity("MINE-CHN-light_ree_mines", 0.8, 1.2)).is_empty());
}

#[test]
fn an_edit_puts_and_removes_an_input_and_refuses_a_bad_one() {
    let mut scenario = rareflow::baseline().expect("loads");
    let good = capacity("MINE-CHN-light_ree_mines", 0.8, 1.2);
    scenario
        .apply(&Edit::PutUncertainInput(Box::new(good.clone())))
        .expect("a valid input is put");
    assert_eq!(scenario.uncertainty, vec![good.clone()]);
    let bad = capacity("NO-SUCH-NODE", 0.8, 1.2);
    let refused = scenario
        .apply(&Edit::PutUncertainInput(Box::new(bad)))
        .expect_err("a dangling input is refused");
    assert!(
        matches!(&refused, EditError::Invalid(text) if text.contains("uncertain input \"NO-SUCH-NODE-capacity\"")),
        "{refused}"
    );
    assert_eq!(scenario.uncertainty.len(), 1);
    let unknown = scenario
        .apply(&Edit::RemoveUncertainInput {
            input: "nothing".to_owned(),
        })
        .expect_err("unknown");
    assert_eq!(
        unknown,
        EditError::UnknownUncertainInput("nothing".to_owned())
    );
    scenario
        .apply(&Edit::RemoveNode {
            node: "MINE-CHN-light_ree_mines".to_owned(),
        })
        .expect("a node with a range on it can still be deleted");
    assert!(
        scenario.uncertainty.is_empty(),
        "the range went with its node"
    );
}

#[test]
fn a_version_1_file_migrates_to_no_uncertainty_and_saves_as_version_2() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1-two-country.ron");
    let text = std::fs::read_to_string(&fixture).expect("fixture");
    assert!(
        text.contains("format_version: 1,"),
        "the fixture stays version 1"
    );
    let scenario = io::load(&fixture).unwrap_or_else(|e| panic!("{e}"));
    assert!(scenario.uncertainty.is_empty());
    let saved = io::to_ron_string(&scenario).expect("writes");
    assert!(saved.contains("format_version: 2,"), "{saved}");
    assert!(!saved.contains("uncertainty"), "no empty list is written");
    let mut ranged = scenario.clone();
    ranged
        .uncertainty
        .push(capacity(&scenario.nodes[0].id, 0.7, 1.1));
    let text = io::to_ron_string(&ranged).expect("writes");
    assert_eq!(io::load_str("ranged.ron", &text).expect("loads"), ranged);
}

/// One mine short of demand (price 75 $/kg), its capacity ±50 % and the elasticity ±10 %.
fn short_network() -> Scenario {
    let mut scenario = Net::new()
        .country("AAA", 0.0)
        .mine("M", "AAA", 600.0, 10.0, &[("NDPR", 1.0)])
        .refinery("R", "AAA", &[("NDPR", 2_000.0)], 5.0)
        .demand("AAA", "NDPR", 800.0, 50.0, 0.5)
        .build();
    scenario.uncertainty = vec![
        input(
            "elasticity",
            UncertainTarget::DemandElasticity {
                commodity: "NDPR".to_owned(),
            },
            Distribution::Uniform {
                low: 0.9,
                high: 1.1,
            },
        ),
        capacity("M", 0.5, 1.5),
    ];
    scenario
}

fn price_2024() -> OutputKey {
    OutputKey {
        measure: Measure::Price,
        year: 2024,
        region: "AAA".to_owned(),
        commodity: "NDPR".to_owned(),
    }
}

#[test]
fn the_tornado_ranks_the_input_that_matters_first() {
    let scenario = short_network();
    let settings = SolverSettings::default();
    let calibration = calibrate(&scenario, &settings).expect("calibrates");
    let cancel = AtomicBool::new(false);
    let chart =
        tornado(&scenario, &calibration, &settings, &price_2024(), &cancel).expect("solves");
    // P(q) = 150 − q/8 (q in t): 600 t sell at 75 $/kg.
    assert!(
        (chart.unperturbed - 75.0).abs() < 0.1,
        "{}",
        chart.unperturbed
    );
    assert_eq!(chart.bars[0].input, "M-capacity", "{chart:#?}");
    // Capacity at its 5 % and 95 % points (×0.55, ×1.45): 330 t and 870 t, both short of
    // the 1,080 t sold at marginal cost, so the price is on the demand curve.
    let capacity_bar = &chart.bars[0];
    let low = capacity_bar.output_at_low.expect("solved");
    let high = capacity_bar.output_at_high.expect("solved");
    assert!((low - (150.0 - 330.0 / 8.0)).abs() < 0.2, "{low}");
    assert!((high - (150.0 - 870.0 / 8.0)).abs() < 0.2, "{high}");
    assert!(
        capacity_bar.swing() > 5.0 * chart.bars[1].swing(),
        "{chart:#?}"
    );
    assert!(
        chart.bars[1].swing() > 0.0,
        "the elasticity moves the price too"
    );
}

#[test]
fn shard_summaries_merge_into_the_whole_sweeps_exactly() {
    let scenario = short_network();
    let settings = SolverSettings::default();
    let calibration = calibrate(&scenario, &settings).expect("calibrates");
    let cancel = AtomicBool::new(false);
    let sweep = |runs| {
        run_sweep(
            &scenario,
            &calibration,
            &settings,
            runs,
            5,
            &|_, _| {},
            &cancel,
        )
        .expect("sweeps")
    };
    let whole = sweep(0..12);
    assert_eq!((whole.runs_solved, whole.runs_failed), (12, 0));
    let shards = [sweep(8..12), sweep(0..3), sweep(3..8)];
    let merged = SweepSummary::merge(&shards).expect("merges");
    assert_eq!(merged, whole);
    assert_eq!(merged.to_state_text(), whole.to_state_text());
    let read_back = SweepSummary::from_state_text(&whole.to_state_text()).expect("reads");
    assert_eq!(read_back, whole);
    // The price's median lies between the ends of the capacity's range.
    let row = whole
        .quantile_rows()
        .into_iter()
        .find(|row| row.key == price_2024())
        .expect("the price is summarised");
    let quantiles = row.quantiles.expect("runs solved");
    assert!(
        quantiles.windows(2).all(|pair| pair[0] <= pair[1]),
        "{quantiles:?}"
    );
    // 300–900 t with ε = 0.45–0.55: 50 + (800 − q)/(16·ε) lies in 36.1–119.5 $/kg (the
    // bins add at most 0.5 %).
    assert!(quantiles[0] > 35.9 && quantiles[4] < 120.1, "{quantiles:?}");
    assert!(quantiles[2] > 45.0 && quantiles[2] < 100.0, "{quantiles:?}");
}

#[test]
fn a_cancelled_sweep_says_so_and_reports_no_summary() {
    let scenario = short_network();
    let settings = SolverSettings::default();
    let calibration = calibrate(&scenario, &settings).expect("calibrates");
    let cancel = AtomicBool::new(true);
    let progress_calls = std::cell::Cell::new(0);
    let result = run_sweep(
        &scenario,
        &calibration,
        &settings,
        0..50,
        1,
        &|_, _| progress_calls.set(progress_calls.get() + 1),
        &cancel,
    );
    assert!(
        matches!(result, Err(rareflow::uncertainty::SweepError::Cancelled)),
        "{result:?}"
    );
    assert_eq!(
        progress_calls.get(),
        0,
        "no run was counted after the cancel"
    );
}
