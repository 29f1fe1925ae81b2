//! What the UI test files share: the real app in a kittest harness, and waiting for the
//! solver.
#![allow(dead_code, reason = "each UI test file uses part of the helpers")]

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
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

/// Drags the inspector's left edge `points` to the left (it stops at its widest) and
/// returns how much wider it became, points.
pub fn widen_inspector(harness: &mut Harness<'static, RareflowApp>, points: f32) -> f32 {
    let before = inspector_left(harness);
    // The panel's edge: its heading's left less the panel's inner margin.
    let mut pointer = egui::pos2(before - 8.0, 400.0);
    harness.hover_at(pointer);
    harness.step();
    harness.drag_at(pointer);
    harness.step();
    for _ in 0..20 {
        pointer.x -= points / 20.0;
        harness.hover_at(pointer);
        harness.step();
    }
    harness.drop_at(pointer);
    harness.run_steps(3);
    before - inspector_left(harness)
}

/// The left of the inspector's heading: the centre view ends before it.
pub fn inspector_left(harness: &Harness<'static, RareflowApp>) -> f32 {
    harness.get_by_label("Inspector").rect().left()
}

/// Scrolls sideways as far as it goes (a track pad swipe to the left, revealing what is
/// on the right) with the pointer at `over`.
pub fn scroll_to_the_right(harness: &mut Harness<'static, RareflowApp>, over: egui::Pos2) {
    harness.hover_at(over);
    harness.step();
    for _ in 0..10 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(-300.0, 0.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    harness.run_steps(10);
}
