//! The Backtest tab, driven by its labels (egui_kittest): it solves on the worker when
//! first shown, lists every observation with its verdict in words, and shows a row's
//! source on hover.
#![cfg(feature = "gui")]

mod ui_support;

use egui_kittest::kittest::Queryable as _;
use rareflow::app::state::Tab;
use rareflow::backtest::Verdict;
use rareflow::solve_session::BacktestState;
use ui_support::{SOLVE_TIMEOUT, baseline_harness, settle};

#[test]
fn the_backtest_tab_lists_every_observation_with_its_verdict_and_source() {
    let mut harness = baseline_harness();
    settle(&mut harness);
    assert!(
        matches!(harness.state().backtest(), BacktestState::NotAsked),
        "nothing is solved before anyone looks"
    );
    harness.get_by_label("Backtest").click();
    harness.run_steps(2);
    assert_eq!(harness.state().tab(), Tab::Backtest);
    assert!(
        harness.state_mut().wait_until_backtest(SOLVE_TIMEOUT),
        "the backtest solved on the worker"
    );
    harness.run_steps(3);
    let BacktestState::Done(backtest) = harness.state().backtest().clone() else {
        panic!("the backtest ran");
    };
    assert_eq!(backtest.rows.len(), 48);

    // A row, found by its label: the observation with its id.
    let row = harness.get_by_label_contains("A01  Dy oxide price outside China, 2011 year-end");
    row.hover();
    // Tooltips wait for the pointer to rest.
    harness.run_steps(60);
    // Its source shows on hover.
    harness.get_by_label_contains("docslib.org/doc/1659904");

    // Every verdict is written out, misses as plainly as hits: one badge per row (plus the
    // counts in the tallies, which carry a number).
    for verdict in [Verdict::Hit, Verdict::Near, Verdict::Miss] {
        let rows = backtest
            .rows
            .iter()
            .filter(|r| r.verdict == verdict)
            .count();
        let badges = harness.query_all_by_label(verdict.word()).count();
        assert_eq!(badges, rows, "{verdict:?}");
    }
    let misses = backtest
        .rows
        .iter()
        .filter(|r| r.verdict == Verdict::Miss)
        .count();
    harness.get_by_label(&format!("{misses} MISS"));
    // The in-sample rows are marked.
    harness.get_by_label_contains("B10*  China's magnet exports");
}

#[test]
fn the_backtest_tab_exports_as_the_user_sees_it() {
    use rareflow::app::png_export::{MapCamera, TableSort, ViewData, view_harness};
    use rareflow::app::state::{Selection, UiPrefs};
    use std::sync::Arc;

    let baseline = rareflow::baseline().expect("loads");
    let backtest =
        rareflow::backtest::run(&rareflow::solver::SolverSettings::default()).expect("runs");
    let data = ViewData {
        scenario: baseline.clone(),
        results: rareflow::solve_session::Results::default(),
        reference: None,
        reference_scenario: baseline,
        year: 2026,
        selection: Selection::Nothing,
        prefs: UiPrefs::default(),
        map_camera: MapCamera::default(),
        table_sort: TableSort::default(),
        backtest: BacktestState::Done(Arc::new(backtest)),
        uncertainty: Default::default(),
        revision: 0,
    };
    let harness = view_harness(&data, Tab::Backtest, egui::vec2(1100.0, 900.0));
    harness.get_by_label_contains("A01  Dy oxide price outside China");
    harness.get_by_label_contains("China's licensing of seven heavy rare earths");
}
