//! "How sure are we?" in the app, driven by its labels (egui_kittest, AccessKit) as a
//! person would: ranges set in the inspector on a project's start year and on a demand
//! elasticity (a range without a source, and a bad one, refused), a 200-run sweep in the
//! Uncertainty tab with its fan chart readout, a tornado, and a second sweep cancelled
//! midway that leaves the results, the scenario and the undo history as they were; and
//! ranges on an expansion option's capital cost and lead time, set from its host node.
#![cfg(feature = "gui")]

mod ui_support;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rareflow::app::RareflowApp;
use rareflow::document::Document;
use rareflow::model::{Distribution, UncertainTarget, YearSlip};
use rareflow::solver::{SolverSettings, calibrate};
use rareflow::uncertainty::{Measure, OutputKey};
use ui_support::{harness_sized, settle};

/// A sweep of 200 full-horizon runs in the debug test profile takes about a minute on
/// this 2-core machine (measured, printed by the test); ten minutes means it hangs.
const SWEEP_TIMEOUT: Duration = Duration::from_secs(600);
const NOLANS: &str = "MINE-AUS-nolans_arafura";
const NOLANS_NAME: &str = "Nolans (Arafura), NT";

fn in_force_harness() -> Harness<'static, RareflowApp> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let scenario = rareflow::io::load(&path).expect("in-force-2026 loads");
    assert!(
        scenario.uncertainty.is_empty(),
        "the shipped file has no ranges"
    );
    // Tall, so the tab's charts and the tornado are on screen without scrolling.
    let mut harness = harness_sized(
        Document::new(scenario, Some(path)),
        egui::vec2(1500.0, 1200.0),
    );
    settle(&mut harness);
    harness
}

fn click_button(harness: &mut Harness<'static, RareflowApp>, label: &str) {
    harness
        .get_by_role_and_label(Role::Button, label)
        .click_accesskit();
    harness.run_steps(3);
}

fn type_source(harness: &mut Harness<'static, RareflowApp>, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, "Source (required)")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Source (required)")
        .type_text(text);
    harness.run_steps(2);
}

/// The start year of Nolans: selected in the table, a range added in the inspector,
/// refused until its source is filled in.
fn add_nolans_slip(harness: &mut Harness<'static, RareflowApp>) {
    harness.get_by_label("Table").click();
    harness.run_steps(2);
    click_button(harness, NOLANS_NAME);
    assert_eq!(
        harness.state().selection(),
        &rareflow::app::state::Selection::Node(NOLANS.to_owned())
    );
    click_button(
        harness,
        &format!("Add range on start year of {NOLANS_NAME}…"),
    );
    harness.get_by_label(&format!("Range on start year of {NOLANS_NAME}"));
    let revision = harness.state().document().revision();
    click_button(harness, "Add");
    harness.get_by_label_contains("Not accepted");
    harness.get_by_label_contains("source");
    assert!(harness.state().document().scenario().uncertainty.is_empty());
    assert_eq!(harness.state().document().revision(), revision, "refused");

    type_source(harness, "Test: slips of announced rare-earth projects");
    click_button(harness, "Add");
    let scenario = harness.state().document().scenario();
    assert_eq!(scenario.uncertainty.len(), 1);
    let input = &scenario.uncertainty[0];
    assert_eq!(
        input.target,
        UncertainTarget::NodeStartYear {
            node: NOLANS.to_owned()
        }
    );
    let slip = |years, probability| YearSlip { years, probability };
    assert_eq!(
        input.distribution,
        Distribution::YearSlip(vec![slip(0, 0.3), slip(1, 0.4), slip(2, 0.3)])
    );
    assert_eq!(input.source, "Test: slips of announced rare-earth projects");
    // The inspector lists it now, with Edit and Remove instead of Add.
    harness.get_by_label_contains("slip +0 y 30 %, +1 y 40 %, +2 y 30 %");
    harness.get_by_role_and_label(Role::Button, "Remove range");
}

/// The elasticity of magnet demand, from Japan's inspector: a low end above the high end
/// is refused naming both, then a proper range is added.
fn add_magnet_elasticity(harness: &mut Harness<'static, RareflowApp>) {
    harness.get_by_label("Map").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Japan (").click_accesskit();
    harness.run_steps(3);
    harness.get_by_label("Japan: overview").click_accesskit();
    harness.run_steps(4);
    harness
        .get_by_label("How sure? Ranges on demand (every region)")
        .click_accesskit();
    harness.run_steps(3);
    click_button(harness, "Add range on demand elasticity of NdFeB magnets…");
    type_source(harness, "Test: elasticities in the literature");
    let low = |harness: &mut Harness<'static, RareflowApp>, value: f64| {
        harness
            .get_by_role_and_label(Role::SpinButton, "Low (× value)")
            .set_value_accesskit(value);
        harness.run_steps(2);
    };
    low(harness, 2.0);
    let revision = harness.state().document().revision();
    click_button(harness, "Add");
    harness.get_by_label_contains("low (2) is above high (1.5)");
    assert_eq!(harness.state().document().revision(), revision, "refused");
    assert_eq!(harness.state().document().scenario().uncertainty.len(), 1);

    low(harness, 0.6);
    click_button(harness, "Add");
    let scenario = harness.state().document().scenario();
    assert_eq!(scenario.uncertainty.len(), 2);
    assert_eq!(
        scenario.uncertainty[1].target,
        UncertainTarget::DemandElasticity {
            commodity: "NDFEB".to_owned()
        }
    );
    assert_eq!(
        scenario.uncertainty[1].distribution,
        Distribution::Uniform {
            low: 0.6,
            high: 1.5
        }
    );
}

fn show_year(harness: &mut Harness<'static, RareflowApp>, year: i32) {
    harness
        .get_by_role_and_label(Role::Slider, "Year")
        .set_value_accesskit(f64::from(year));
    settle(harness);
    assert_eq!(harness.state().year(), year);
}

fn japan_magnet_price(year: i32) -> OutputKey {
    OutputKey {
        measure: Measure::Price,
        year,
        region: "JPN".to_owned(),
        commodity: "NDFEB".to_owned(),
    }
}

#[test]
fn ranges_set_in_the_inspector_give_a_200_run_fan_chart_and_tornado_and_a_cancel_changes_nothing() {
    let mut harness = in_force_harness();
    add_nolans_slip(&mut harness);
    add_magnet_elasticity(&mut harness);
    show_year(&mut harness, 2028);
    harness.get_by_label("Uncertainty").click();
    harness.run_steps(3);
    harness.get_by_label(&format!("Start year of {NOLANS_NAME}"));
    harness.get_by_label_contains("2 ranges, drawn together");

    // 200 runs, seed 1: the defaults.
    let runs = harness.get_by_role_and_label(Role::SpinButton, "Runs");
    assert_eq!(runs.accesskit_node().numeric_value(), Some(200.0));
    let started = Instant::now();
    click_button(&mut harness, "Run sweep");
    assert!(
        harness.state().uncertainty().is_busy(),
        "it runs on a worker"
    );
    assert!(
        harness
            .state_mut()
            .wait_until_uncertainty_idle(SWEEP_TIMEOUT),
        "the sweep finished"
    );
    eprintln!(
        "200 runs of in-force-2026 in the test profile: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    harness.run_steps(3);
    let summary = harness
        .state()
        .uncertainty()
        .summary()
        .expect("a summary")
        .clone();
    assert_eq!(summary.runs, 0..200);
    assert_eq!(summary.seed, 1);
    assert_eq!(summary.runs_solved + summary.runs_failed, 200);
    if summary.runs_failed > 0 {
        harness.get_by_label_contains(&format!("{} of 200 runs failed", summary.runs_failed));
    }
    let key = japan_magnet_price(2028);
    let row = summary
        .quantile_rows()
        .into_iter()
        .find(|row| row.key == key)
        .expect("Japan's magnet price in 2028");
    let q = row.quantiles.expect("quantiles");
    assert!(
        q[0] < q[2] && q[2] < q[4],
        "the ranges spread the price: P5 {} P50 {} P95 {}",
        q[0],
        q[2],
        q[4]
    );
    harness.get_by_label_contains(&format!(
        "P50 in 2028: {:.1} $/kg (P5 {:.1} $/kg",
        q[2], q[0]
    ));
    harness.get_by_label("P50 line");
    harness.get_by_label("Runs by value in 2028");

    // The tornado of the same output, against the core's own.
    click_button(&mut harness, "Run tornado");
    assert!(
        harness
            .state_mut()
            .wait_until_uncertainty_idle(SWEEP_TIMEOUT)
    );
    harness.run_steps(3);
    let shown = harness
        .state()
        .uncertainty()
        .tornado()
        .expect("a tornado")
        .clone();
    let scenario = harness.state().document().scenario().clone();
    let settings = SolverSettings::default();
    let calibration = calibrate(&scenario, &settings).expect("calibrates");
    let expected = rareflow::uncertainty::tornado(
        &scenario,
        &calibration,
        &settings,
        &key,
        &AtomicBool::new(false),
    )
    .expect("the tornado solves");
    let labels = |t: &rareflow::uncertainty::Tornado| -> Vec<String> {
        t.bars.iter().map(|b| b.label.clone()).collect()
    };
    assert_eq!(labels(&shown), labels(&expected));
    let top = &expected.bars[0];
    let (low, high) = (
        top.output_at_low.expect("solved"),
        top.output_at_high.expect("solved"),
    );
    assert!(top.swing() > 0.0, "the top input moves the price");
    harness.get_by_label_contains(&format!(
        "Widest swing: {}, {low:.1} $/kg to {high:.1} $/kg",
        top.label
    ));
    harness.get_by_label_contains(&format!("1. {} (", top.label));

    cancel_midway_changes_nothing(&mut harness);
}

/// A second sweep, cancelled after some runs: the first sweep's results, the scenario and
/// the undo history are as they were; then an edit marks the results stale.
fn cancel_midway_changes_nothing(harness: &mut Harness<'static, RareflowApp>) {
    let before = harness.state().uncertainty().summary().cloned();
    let scenario = harness.state().document().scenario().clone();
    let revision = harness.state().document().revision();
    let undo = harness.state().document().undo_label().map(str::to_owned);
    harness
        .get_by_role_and_label(Role::SpinButton, "Seed")
        .set_value_accesskit(7.0);
    harness.run_steps(2);
    click_button(harness, "Run sweep");
    let waited = Instant::now();
    while harness
        .state()
        .uncertainty()
        .sweep_progress()
        .is_some_and(|(done, _)| done < 4)
    {
        assert!(waited.elapsed() < SWEEP_TIMEOUT, "no run came in");
        std::thread::sleep(Duration::from_millis(20));
        harness.run_steps(1);
    }
    let (done, total) = harness
        .state()
        .uncertainty()
        .sweep_progress()
        .expect("still running");
    assert!(done < total, "cancelled midway: {done} of {total}");
    let cancelled_at = Instant::now();
    click_button(harness, "Cancel");
    assert!(
        harness
            .state_mut()
            .wait_until_uncertainty_idle(SWEEP_TIMEOUT)
    );
    let cancel_seconds = cancelled_at.elapsed().as_secs_f64();
    assert!(cancel_seconds < 10.0, "cancel took {cancel_seconds:.1} s");
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.uncertainty().summary().cloned(), before, "results kept");
    assert_eq!(app.document().scenario(), &scenario);
    assert_eq!(app.document().revision(), revision);
    assert_eq!(app.document().undo_label().map(str::to_owned), undo);
    harness.get_by_label_contains("Sweep cancelled after");
    harness.get_by_label_contains("P50 in 2028:");

    // An edit after the sweep: its results say they are stale.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(harness.state().document().scenario().uncertainty.len(), 1);
    harness.get_by_label_contains("Stale: the scenario changed after this sweep");
}

const LYNAS: &str = "SEP-MYS-lynas_malaysia_gebeng";
const LYNAS_NAME: &str = "Lynas Malaysia (Gebeng, Kuantan)";
const LYNAS_NDPR_OPTION: &str = "expand-SEP-MYS-lynas_malaysia_gebeng-ndpr";
const LYNAS_NDPR_LABEL: &str =
    "New NdPr oxide separation in Malaysia (like Lynas Malaysia (Gebeng, Kuantan))";

/// The capital cost and lead time of an expansion option, reached through the node that
/// hosts it: added, changed and removed by label, each one undo step.
#[test]
fn ranges_on_an_expansion_option_are_set_from_its_host_node() {
    let mut harness = in_force_harness();
    harness.get_by_label("Table").click();
    harness.run_steps(2);
    click_button(&mut harness, LYNAS_NAME);
    assert_eq!(
        harness.state().selection(),
        &rareflow::app::state::Selection::Node(LYNAS.to_owned())
    );
    harness
        .get_by_label("How sure? Ranges on expansion options (3)")
        .click_accesskit();
    harness.run_steps(3);
    harness.get_by_label(&format!(
        "{LYNAS_NDPR_LABEL}: $50,000 per t/yr of capacity, 3 years' lead"
    ));

    click_button(
        &mut harness,
        &format!("Add range on capital cost of {LYNAS_NDPR_LABEL}…"),
    );
    harness.get_by_label(&format!("Range on capital cost of {LYNAS_NDPR_LABEL}"));
    type_source(&mut harness, "Test: overruns of separation projects");
    harness
        .get_by_role_and_label(Role::SpinButton, "High (× value)")
        .set_value_accesskit(1.8);
    harness.run_steps(2);
    click_button(&mut harness, "Add");
    let cost_target = UncertainTarget::ExpansionCapitalCost {
        option: LYNAS_NDPR_OPTION.to_owned(),
    };
    {
        let ranges = &harness.state().document().scenario().uncertainty;
        assert_eq!(ranges.len(), 1);
        assert_eq!(ranges[0].target, cost_target);
        assert_eq!(ranges[0].id, format!("{LYNAS_NDPR_OPTION}-cost"));
        assert_eq!(
            ranges[0].distribution,
            Distribution::Triangular {
                low: 0.8,
                mode: 1.0,
                high: 1.8
            }
        );
    }

    click_button(
        &mut harness,
        &format!("Add range on lead time of {LYNAS_NDPR_LABEL}…"),
    );
    type_source(&mut harness, "Test: lead times of separation projects");
    click_button(&mut harness, "Add");
    {
        let ranges = &harness.state().document().scenario().uncertainty;
        assert_eq!(ranges.len(), 2);
        assert_eq!(
            ranges[1].target,
            UncertainTarget::ExpansionLeadTime {
                option: LYNAS_NDPR_OPTION.to_owned()
            }
        );
    }
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(
        harness.state().document().scenario().uncertainty.len(),
        1,
        "one undo step removes the lead-time range"
    );

    // The cost range is listed with Edit and Remove now: change its low end, then remove it.
    harness.get_by_label_contains("triangular × 0.80–1.80, peak 1.00");
    click_button(&mut harness, "Edit range…");
    harness
        .get_by_role_and_label(Role::SpinButton, "Low (× value)")
        .set_value_accesskit(0.9);
    harness.run_steps(2);
    click_button(&mut harness, "Apply");
    assert_eq!(
        harness.state().document().scenario().uncertainty[0].distribution,
        Distribution::Triangular {
            low: 0.9,
            mode: 1.0,
            high: 1.8
        }
    );
    click_button(&mut harness, "Remove range");
    assert!(harness.state().document().scenario().uncertainty.is_empty());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    let ranges = &harness.state().document().scenario().uncertainty;
    assert_eq!(ranges.len(), 1, "the removal is undone");
    assert_eq!(ranges[0].target, cost_target);
}

/// With the 158 default ranges the list starts folded, so Run sweep is on screen at once;
/// opening the list shows every range.
#[test]
fn a_long_list_of_ranges_starts_folded_with_run_sweep_in_view() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let scenario = rareflow::uncertainty::with_default_ranges(
        &rareflow::io::load(&path).expect("in-force-2026 loads"),
    );
    let count = scenario.uncertainty.len();
    assert!(count > 100, "the default ranges: {count}");
    let first = scenario.uncertainty[0].label.clone();
    let mut harness = harness_sized(
        Document::new(scenario, Some(path)),
        egui::vec2(1500.0, 920.0),
    );
    settle(&mut harness);
    harness.get_by_label("Uncertainty").click();
    harness.run_steps(3);
    let header = format!("{count} ranges, drawn together in each run");
    harness.get_by_label(&header);
    assert!(
        harness.query_by_label(&first).is_none(),
        "the list starts folded"
    );
    let run = harness.get_by_role_and_label(Role::Button, "Run sweep");
    let bottom = run.rect().max.y;
    assert!(
        bottom < 920.0,
        "Run sweep is in view: its bottom at {bottom}"
    );
    harness.get_by_label(&header).click();
    harness.run_steps(3);
    harness.get_by_label(&first);
}
