//! Correlated inputs: a Gaussian copula gives 5,000 draws the rank correlation asked for
//! (within ±0.05) while each input keeps its own distribution; draws depend only on
//! (seed, run); correlations that cannot hold together are refused, naming the inputs.

use rareflow::model::{
    Distribution, InputCorrelation, Scenario, UncertainInput, UncertainTarget, YearSlip, validate,
};
use rareflow::uncertainty::copula::normal_cdf;
use rareflow::uncertainty::{Copula, draw_run, draw_run_correlated};

fn input(id: &str, distribution: Distribution) -> UncertainInput {
    let target = if matches!(distribution, Distribution::YearSlip(_)) {
        UncertainTarget::NodeStartYear {
            node: "SEP-AUS-eneabba_refinery_iluka".to_owned(),
        }
    } else {
        UncertainTarget::DemandGrowth {
            commodity: "NDPR".to_owned(),
        }
    };
    UncertainInput {
        id: id.to_owned(),
        label: id.to_owned(),
        target,
        distribution,
        source: "test".to_owned(),
        notes: String::new(),
    }
}

fn pair(first: &str, second: &str, rank_correlation: f64) -> InputCorrelation {
    InputCorrelation {
        first: first.to_owned(),
        second: second.to_owned(),
        rank_correlation,
        source: "test".to_owned(),
    }
}

fn inputs() -> Vec<UncertainInput> {
    vec![
        input(
            "uniform",
            Distribution::Uniform {
                low: 0.5,
                high: 1.5,
            },
        ),
        input(
            "lognormal",
            Distribution::LogNormal {
                median: 1.0,
                sigma: 0.4,
            },
        ),
        input(
            "triangular",
            Distribution::Triangular {
                low: 0.8,
                mode: 1.0,
                high: 1.4,
            },
        ),
        input(
            "independent",
            Distribution::Uniform {
                low: 0.9,
                high: 1.1,
            },
        ),
    ]
}

/// Ranks 0..n of `values` (no ties in continuous draws).
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    for (rank, &index) in order.iter().enumerate() {
        ranks[index] = rank as f64;
    }
    ranks
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let covariance: f64 = ra
        .iter()
        .zip(&rb)
        .map(|(x, y)| (x - mean) * (y - mean))
        .sum();
    let variance: f64 = ra.iter().map(|x| (x - mean).powi(2)).sum();
    covariance / variance
}

#[test]
fn five_thousand_draws_have_the_rank_correlations_asked_for() {
    let inputs = inputs();
    let correlations = vec![
        pair("uniform", "lognormal", 0.7),
        pair("triangular", "uniform", -0.4),
    ];
    let copula = Copula::new(&inputs, &correlations)
        .expect("possible")
        .expect("some");
    let draws: Vec<Vec<f64>> = (0..5_000)
        .map(|run| {
            draw_run_correlated(&inputs, Some(&copula), 11, run)
                .values
                .iter()
                .map(|v| v.as_number())
                .collect()
        })
        .collect();
    let column = |i: usize| draws.iter().map(|d| d[i]).collect::<Vec<f64>>();
    let (uniform, lognormal, triangular, independent) =
        (column(0), column(1), column(2), column(3));
    let near = |what: &str, got: f64, want: f64| {
        assert!((got - want).abs() <= 0.05, "{what}: {got} vs {want}");
    };
    near("uniform~lognormal", spearman(&uniform, &lognormal), 0.7);
    near("triangular~uniform", spearman(&triangular, &uniform), -0.4);
    near("independent~uniform", spearman(&independent, &uniform), 0.0);
    // A pair not listed is uncorrelated in the copula, even with a partner in common.
    near(
        "triangular~lognormal",
        spearman(&triangular, &lognormal),
        0.0,
    );
    // Each input keeps its own distribution: the uniform's mean and range, the
    // log-normal's median.
    let mean = uniform.iter().sum::<f64>() / uniform.len() as f64;
    near("uniform mean", mean, 1.0);
    assert!(uniform.iter().all(|v| (0.5..=1.5).contains(v)));
    let mut sorted = lognormal.clone();
    sorted.sort_by(f64::total_cmp);
    near("log-normal median", sorted[sorted.len() / 2], 1.0);
    // Run k's draw depends only on (seed, k).
    let again = draw_run_correlated(&inputs, Some(&copula), 11, 4_321);
    let shown: Vec<f64> = again.values.iter().map(|v| v.as_number()).collect();
    assert_eq!(shown, draws[4_321]);
    assert_ne!(
        draw_run_correlated(&inputs, Some(&copula), 12, 4_321),
        again
    );
}

#[test]
fn without_correlations_the_draws_are_exactly_the_independent_ones() {
    let inputs = inputs();
    assert_eq!(Copula::new(&inputs, &[]), Ok(None));
    for run in [0, 1, 99] {
        assert_eq!(
            draw_run_correlated(&inputs, None, 5, run),
            draw_run(&inputs, 5, run)
        );
    }
}

#[test]
fn a_slip_follows_a_correlated_input_by_rank() {
    let mut inputs = inputs();
    inputs.push(input(
        "slip",
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
    ));
    let copula = Copula::new(&inputs, &[pair("slip", "uniform", 0.9)])
        .expect("possible")
        .expect("some");
    let (mut late_high, mut runs_late) = (0, 0);
    for run in 0..2_000 {
        let values = draw_run_correlated(&inputs, Some(&copula), 3, run).values;
        if values[4].as_number() == 2.0 {
            runs_late += 1;
            if values[0].as_number() > 1.0 {
                late_high += 1;
            }
        }
    }
    // Late slips come with the uniform's upper half about 90 % of the time.
    let share = f64::from(late_high) / f64::from(runs_late);
    assert!(share > 0.8, "{share}");
}

#[test]
fn correlations_that_cannot_hold_together_are_refused_naming_the_inputs() {
    let inputs = inputs();
    let impossible = vec![
        pair("uniform", "lognormal", 0.9),
        pair("lognormal", "triangular", 0.9),
        pair("uniform", "triangular", -0.9),
    ];
    let error = Copula::new(&inputs, &impossible).expect_err("not positive definite");
    assert!(error.contains("uniform, lognormal, triangular"), "{error}");
    let shipped =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let mut scenario: Scenario = rareflow::io::load(&shipped).expect("loads");
    scenario.uncertainty = inputs;
    scenario.correlations = impossible;
    let problems: Vec<String> = validate(&scenario).iter().map(|p| p.to_string()).collect();
    assert!(
        problems.iter().any(
            |p| p.contains("uniform, lognormal, triangular") && p.contains("positive definite")
        ),
        "{problems:?}"
    );
    scenario.correlations = vec![
        pair("uniform", "nothing", 1.5),
        pair("uniform", "uniform", 0.2),
    ];
    let problems: Vec<String> = validate(&scenario).iter().map(|p| p.to_string()).collect();
    let text = problems.join("\n");
    assert!(
        text.contains("unknown uncertain input \"nothing\""),
        "{text}"
    );
    assert!(text.contains("rank_correlation"), "{text}");
    assert!(text.contains("correlated with itself"), "{text}");
    // A possible set validates, and survives a save and load.
    scenario.correlations = vec![pair("uniform", "lognormal", 0.7)];
    assert_eq!(validate(&scenario), Vec::new());
    let text = rareflow::io::to_ron_string(&scenario).expect("writes");
    assert!(text.contains("rank_correlation: 0.7"));
    assert_eq!(
        rareflow::io::load_str("c.ron", &text).expect("loads"),
        scenario
    );
}

#[test]
fn the_normal_cdf_is_accurate() {
    for (score, want) in [
        (0.0, 0.5),
        (1.0, 0.841_344_746),
        (-1.644_853_627, 0.05),
        (3.0, 0.998_650_102),
    ] {
        assert!(
            (normal_cdf(score) - want).abs() < 1e-7,
            "{score}: {}",
            normal_cdf(score)
        );
    }
}
