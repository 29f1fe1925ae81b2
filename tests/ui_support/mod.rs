//! What the UI test files share: the real app in a kittest harness, and waiting for the
//! solver.
#![allow(dead_code, reason = "each UI test file uses part of the helpers")]

use std::time::Duration;

use egui_kittest::Harness;
use rareflow::app::RareflowApp;
use rareflow::app::state::UiPrefs;
use rareflow::document::Document;

pub const SOLVE_TIMEOUT: Duration = Duration::from_secs(120);

/// The app on `document`, compared with the built-in baseline, in a window of `size`
/// points, with native file dialogs off.
pub fn harness_sized(document: Document, size: egui::Vec2) -> Harness<'static, RareflowApp> {
    let baseline = rareflow::baseline().expect("baseline");
    let app = RareflowApp::new(
        &egui::Context::default(),
        document,
        baseline,
        UiPrefs::default(),
        false,
    );
    Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut RareflowApp| app.ui_frame(ui), app)
}

pub fn harness(document: Document) -> Harness<'static, RareflowApp> {
    harness_sized(document, egui::vec2(1500.0, 950.0))
}

pub fn baseline_harness() -> Harness<'static, RareflowApp> {
    harness(Document::built_in(rareflow::baseline().expect("baseline")))
}

/// Lets the solver finish and the frames catch up.
pub fn settle(harness: &mut Harness<'static, RareflowApp>) {
    harness.run_steps(2);
    assert!(
        harness.state_mut().wait_until_solved(SOLVE_TIMEOUT),
        "the solver finished"
    );
    harness.run_steps(3);
}
