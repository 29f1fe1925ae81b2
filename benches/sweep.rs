//! What a Monte Carlo sweep costs, with rareflow's solver (its interior-point method)
//! beside Clarabel (the same settings, Clarabel alone) and HiGHS on the same instances:
//! one year of
//! `scenarios/in-force-2026.ron` (2030, from the state the years before leave), the same
//! year after a slider move (Lynas Malaysia's capacity +10 %, from the state the years
//! before left, as the app's first answer solves it: cold, and from the warm start the
//! unmoved year left), and a 1,000-run sweep of the whole horizon with the data's default
//! ranges, as `rareflow sweep --default-ranges` runs it (each run's years warm-started from
//! the unperturbed run's).
//!
//! HiGHS gets the exact problem rareflow solves (the year's QP as CPLEX LP text, what
//! `rareflow export-lp` writes) through its Python interface `highspy` (the crate has no
//! HiGHS binding; `pip install highspy`). Only `Highs::run` is timed, in the Python process,
//! so interpreter start and file reading are not counted. For the re-solve HiGHS keeps the
//! solved model, takes the moved problem's changed bounds and costs, and runs again with
//! its QP hot start allowed (`allow_qp_hot_start`), the nearest it has to a warm start.
//! HiGHS is not run on the sweep: at its one-year time it would take hours.
//!
//! Run: `cargo bench --bench sweep`; the year's group alone: `cargo bench --bench sweep --
//! year_`; the sweep alone: `-- sweep_1000` (ten sweeps of 20-40 s each). Criterion prints
//! the median of each.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rareflow::model::{Edit, Scenario};
use rareflow::solver::qp::QpMethod;
use rareflow::solver::{
    Calibration, SolverSettings, YearProblem, YearState, calibrate, solve_each_year,
    solve_recording, solve_year_from, solve_year_near,
};
use rareflow::uncertainty::{run_sweep, with_default_ranges};

const YEAR: i32 = 2030;
const SCENARIO: &str = "scenarios/in-force-2026.ron";

/// Times HiGHS's `run()` on `lp` `iterations` times; with `moved`, solves `lp` once untimed,
/// then applies `moved`'s bounds and costs to it and times each re-solve (from the model
/// solved just before: each iteration moves the problem back or forth).
const HIGHS_TIMING: &str = r#"
import sys, time, highspy
lp, iterations, moved = sys.argv[1], int(sys.argv[2]), (sys.argv[3] if len(sys.argv) > 3 else None)
def model(path):
    h = highspy.Highs(); h.setOptionValue("output_flag", False); h.setOptionValue("threads", 1)
    h.readModel(path); return h
h = model(lp)
def run():
    started = time.perf_counter(); h.run(); elapsed = time.perf_counter() - started
    status = h.modelStatusToString(h.getModelStatus())
    if status != "Optimal": sys.exit("HiGHS: " + status)
    return elapsed
if moved is None:
    total = 0.0
    for _ in range(iterations):
        h.clearSolver(); total += run()
else:
    h.setOptionValue("allow_qp_hot_start", True)
    run()
    a, b = h.getLp(), model(moved).getLp()
    if a.num_col_ != b.num_col_ or a.num_row_ != b.num_row_: sys.exit("HiGHS: the moved problem has another shape")
    versions = [(list(a.col_lower_), list(a.col_upper_), list(a.row_lower_), list(a.row_upper_), list(a.col_cost_)),
                (list(b.col_lower_), list(b.col_upper_), list(b.row_lower_), list(b.row_upper_), list(b.col_cost_))]
    total = 0.0
    for k in range(iterations):
        cl, cu, rl, ru, c = versions[(k + 1) % 2]
        for j in range(a.num_col_):
            h.changeColBounds(j, cl[j], cu[j]); h.changeColCost(j, c[j])
        for i in range(a.num_row_):
            h.changeRowBounds(i, rl[i], ru[i])
        total += run()
print(total)
"#;

/// HiGHS's time for `iterations` solves (see [`HIGHS_TIMING`]).
fn highs_time(lp: &Path, iterations: u64, moved: Option<&Path>) -> Duration {
    let mut command = Command::new("python3");
    command
        .arg("-c")
        .arg(HIGHS_TIMING)
        .arg(lp)
        .arg(iterations.to_string());
    if let Some(moved) = moved {
        command.arg(moved);
    }
    let output = command.output().expect("python3 runs");
    assert!(
        output.status.success(),
        "HiGHS timing failed (is highspy installed? `pip install highspy`): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // HiGHS prints its banner first; the time is the last line.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let seconds: f64 = stdout
        .lines()
        .last()
        .and_then(|line| line.trim().parse().ok())
        .unwrap_or_else(|| panic!("no time from the HiGHS timing: {stdout}"));
    Duration::from_secs_f64(seconds)
}

/// A slider move, as the inspector's capacity slider sends it: Lynas Malaysia's capacity
/// 10 % up.
fn slider_moved(scenario: &Scenario) -> Scenario {
    const LYNAS: &str = "SEP-MYS-lynas_malaysia_gebeng";
    let capacity = scenario
        .nodes
        .iter()
        .find(|node| node.id == LYNAS)
        .expect("Lynas Malaysia is in the scenario")
        .capacity_t_per_yr;
    let mut moved = scenario.clone();
    moved
        .apply(&Edit::SetNodeCapacity {
            node: LYNAS.to_owned(),
            capacity_t_per_yr: capacity * 1.1,
        })
        .expect("applies");
    moved
}

/// The state `year` starts from, as the years before leave it.
fn state_before(
    scenario: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
    year: i32,
) -> YearState {
    let mut states = std::collections::BTreeMap::new();
    solve_each_year(
        scenario,
        calibration,
        settings,
        None,
        &mut |state, solved| {
            states.insert(solved.year, state.clone());
        },
    )
    .expect("solves");
    states.remove(&year).expect("the year is in the horizon")
}

fn one_year_and_resolve(c: &mut Criterion) {
    let settings = SolverSettings::default();
    let mut clarabel = settings;
    clarabel.qp.method = QpMethod::Clarabel;
    let scenario = rareflow::io::load(Path::new(SCENARIO)).expect("loads");
    let calibration = calibrate(&scenario, &settings).expect("calibrates");
    let moved = slider_moved(&scenario);
    let moved_calibration = calibrate(&moved, &settings).expect("calibrates");
    // Both from the state the unmoved years left, as the app's first answer after a
    // slider move: the same problem's shape, with the moved capacity and its calibration.
    let state = state_before(&scenario, &calibration, &settings, YEAR);

    let folder = tempfile::tempdir().expect("temporary folder");
    let lp = folder.path().join("year.lp");
    let moved_lp = folder.path().join("moved.lp");
    let lp_of = |scenario: &Scenario, calibration: &Calibration| {
        YearProblem::build_named(scenario, calibration, YEAR, &state)
            .qp
            .to_lp_string("rareflow bench")
    };
    std::fs::write(&lp, lp_of(&scenario, &calibration)).expect("writes");
    std::fs::write(&moved_lp, lp_of(&moved, &moved_calibration)).expect("writes");

    let mut group = c.benchmark_group(format!("year_{YEAR}_in_force_2026"));
    group.sample_size(10);
    group.bench_function("rareflow_one_year", |b| {
        b.iter(|| solve_year_from(black_box(&scenario), &calibration, YEAR, &state, &settings))
    });
    group.bench_function("clarabel_one_year", |b| {
        b.iter(|| solve_year_from(black_box(&scenario), &calibration, YEAR, &state, &clarabel))
    });
    group.bench_function("highs_qp_one_year", |b| {
        b.iter_custom(|iterations| highs_time(&lp, iterations, None))
    });
    // Cold re-solves: a solve of the moved problem from the cold start.
    for (name, settings) in [
        ("rareflow_resolve_after_slider_move", &settings),
        ("clarabel_resolve_after_slider_move", &clarabel),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                solve_year_from(
                    black_box(&moved),
                    &moved_calibration,
                    YEAR,
                    &state,
                    settings,
                )
            })
        });
    }
    // The app's re-solve: the moved year starts from the warm start the unmoved horizon
    // left for it (`solve_year_near`, as the solve worker's first answer does).
    let (_, starts) = solve_recording(&scenario, &calibration, &settings, None).expect("solves");
    group.bench_function("rareflow_warm_resolve_after_slider_move", |b| {
        b.iter(|| {
            solve_year_near(
                black_box(&moved),
                &moved_calibration,
                YEAR,
                &state,
                &settings,
                &starts,
            )
        })
    });
    group.bench_function("highs_qp_hot_resolve_after_slider_move", |b| {
        b.iter_custom(|iterations| highs_time(&lp, iterations, Some(&moved_lp)))
    });
    group.finish();
}

fn sweep_1000(c: &mut Criterion) {
    let settings = SolverSettings::default();
    let scenario = with_default_ranges(&rareflow::io::load(Path::new(SCENARIO)).expect("loads"));
    let calibration = calibrate(&scenario, &settings).expect("calibrates");
    let cancel = AtomicBool::new(false);
    let mut group = c.benchmark_group("sweep_1000_runs");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("in_force_2026", |b| {
        b.iter(|| {
            let summary = run_sweep(
                black_box(&scenario),
                &calibration,
                &settings,
                0..1000,
                1,
                &|_, _| {},
                &cancel,
            )
            .expect("sweeps");
            assert_eq!(summary.runs_failed, 0);
        })
    });
    group.finish();
}

criterion_group!(year, one_year_and_resolve);
criterion_group!(sweep, sweep_1000);
criterion_main!(year, sweep);
