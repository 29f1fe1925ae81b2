//! Solver benchmarks: the baseline for one year (alone, and with the years before it that
//! it depends on) and the horizon, a re-solve after one capacity change, and synthetic
//! networks with ~10x and ~100x the baseline's variables.
//!
//! Run: `cargo bench --bench solver`. Criterion prints the median of each.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rareflow::model::{CapacityChangeKind, Party, Policy, PolicyKind, Process, Scenario};
use rareflow::solver::{
    SolverSettings, YearProblem, Years, calibrate, solve, solve_each_year, solve_year_from,
};

/// The baseline with every facility split into `k` equal facilities in the same country:
/// the same world, k times as many nodes. Concentrate may go from any mine to any
/// refinery, so variables grow as k².
fn finer(baseline: &Scenario, k: usize) -> Scenario {
    let mut scenario = baseline.clone();
    let share = 1.0 / k as f64;
    scenario.nodes = baseline
        .nodes
        .iter()
        .flat_map(|node| {
            (0..k).map(move |copy| {
                let mut node = node.clone();
                node.id = format!("{}#{copy}", node.id);
                node.capacity_t_per_yr *= share;
                for phase in &mut node.expansions {
                    phase.added_t_per_yr *= share;
                }
                for output in &mut node.reported_output {
                    output.t *= share;
                }
                if let Process::Refinery { circuits, .. } = &mut node.process {
                    for circuit in circuits {
                        circuit.capacity_t_per_yr *= share;
                    }
                }
                node
            })
        })
        .collect();
    scenario
        .policies
        .retain(|p| !matches!(p.kind, PolicyKind::CapacityChange { .. }));
    // Expansion options grow the first copy of their host; contracts between two nodes
    // would bind one copy to the whole node's volume, so the finer world has none.
    for option in &mut scenario.expansion {
        option.host = format!("{}#0", option.host);
    }
    scenario
        .contracts
        .retain(|c| !matches!(c.seller, Party::Node(_)) && !matches!(c.buyer, Party::Node(_)));
    scenario
}

fn benches(c: &mut Criterion) {
    let settings = SolverSettings::default();
    let baseline = rareflow::baseline().expect("baseline");
    let calibration = calibrate(&baseline, &settings).expect("calibrates");

    let mut group = c.benchmark_group("solve");
    group.sample_size(30);
    for year in [2024, 2030] {
        group.bench_function(format!("baseline_one_year_{year}"), |b| {
            b.iter(|| {
                solve(
                    black_box(&baseline),
                    &calibration,
                    Years::Only(year),
                    &settings,
                    None,
                )
            })
        });
    }
    // One year from the state the years before left (what the app's first answer solves;
    // `baseline_one_year_2030` above solves 2024-2030, as every year depends on the ones
    // before it).
    let mut states = std::collections::BTreeMap::new();
    solve_each_year(
        &baseline,
        &calibration,
        &settings,
        None,
        &mut |state, year| {
            states.insert(year.year, state.clone());
        },
    )
    .expect("solves");
    for year in [2024, 2030] {
        let state = states[&year].clone();
        group.bench_function(format!("baseline_year_{year}_from_its_state"), |b| {
            b.iter(|| solve_year_from(black_box(&baseline), &calibration, year, &state, &settings))
        });
    }
    group.bench_function("baseline_horizon_2024_2035", |b| {
        b.iter(|| {
            solve(
                black_box(&baseline),
                &calibration,
                Years::All,
                &settings,
                None,
            )
        })
    });
    group.bench_function("baseline_horizon_one_thread", |b| {
        let one_thread = SolverSettings {
            threads: 1,
            ..settings
        };
        b.iter(|| {
            solve(
                black_box(&baseline),
                &calibration,
                Years::All,
                &one_thread,
                None,
            )
        })
    });
    // A slider move: Lynas Malaysia's capacity changes, the year on screen is solved again.
    let mut moved = baseline.clone();
    moved.policies.push(Policy {
        id: "slider".to_owned(),
        label: "slider".to_owned(),
        enabled: true,
        start_year: 2024,
        end_year: None,
        kind: PolicyKind::CapacityChange {
            node: "SEP-MYS-lynas_malaysia_gebeng".to_owned(),
            change: CapacityChangeKind::Scale(1.3),
        },
        event: None,
        source: "bench".to_owned(),
        notes: String::new(),
    });
    group.bench_function("resolve_after_capacity_change_2030", |b| {
        b.iter(|| {
            solve(
                black_box(&moved),
                &calibration,
                Years::Only(2030),
                &settings,
                None,
            )
        })
    });
    group.bench_function("calibrate_baseline", |b| {
        b.iter(|| calibrate(black_box(&baseline), &settings))
    });
    group.finish();

    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    for k in [1, 3, 6, 19] {
        let scenario = finer(&baseline, k);
        let calibration = calibrate(&scenario, &settings).expect("calibrates");
        let stocks = Default::default();
        let variables = YearProblem::build(&scenario, &calibration, 2024, &stocks)
            .qp
            .var_count();
        group.bench_function(format!("finer_x{k}_{variables}_variables_2024"), |b| {
            b.iter(|| {
                solve(
                    black_box(&scenario),
                    &calibration,
                    Years::Only(2024),
                    &settings,
                    None,
                )
            })
        });
    }
    group.finish();
}

criterion_group!(solver, benches);
criterion_main!(solver);
