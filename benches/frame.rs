//! Frame time while a capacity slider moves: each frame applies a new capacity (as a
//! slider drag does) and draws the whole app on the map tab; the solver runs on its worker
//! thread meanwhile, as in the app. Criterion reports the median of a frame; the p95 of
//! the app's own measured frame work is printed after.
//!
//! Run: `cargo bench --bench frame`.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use rareflow::app::RareflowApp;
use rareflow::app::commands::Command;
use rareflow::app::state::{Selection, UiPrefs};
use rareflow::document::Document;
use rareflow::model::Edit;

fn harness() -> Harness<'static, RareflowApp> {
    let baseline = rareflow::baseline().expect("baseline");
    let document = Document::built_in(baseline.clone());
    let app = RareflowApp::new(
        &egui::Context::default(),
        document,
        baseline,
        UiPrefs::default(),
        false,
    );
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1500.0, 920.0))
        .build_ui_state(|ui, app: &mut RareflowApp| app.ui_frame(ui), app);
    harness
        .state_mut()
        .push_command(Command::Select(Selection::Node(
            "MINE-CHN-light_ree_mines".to_owned(),
        )));
    harness.run_steps(2);
    assert!(
        harness
            .state_mut()
            .wait_until_solved(std::time::Duration::from_secs(60))
    );
    harness
}

fn frame_while_dragging(c: &mut Criterion) {
    let mut harness = harness();
    let mut capacity = 250_850.0;
    // The app's own frame work, for the p95 below (kept out of criterion's warm-up).
    let frame_ms = std::cell::RefCell::new(Vec::new());
    c.bench_function("frame_while_capacity_slider_moves", |b| {
        b.iter(|| {
            capacity = if capacity > 150_000.0 {
                capacity - 500.0
            } else {
                250_850.0
            };
            harness.state_mut().push_command(Command::Apply {
                edit: Edit::SetNodeCapacity {
                    node: "MINE-CHN-light_ree_mines".to_owned(),
                    capacity_t_per_yr: capacity,
                },
                merge: true,
            });
            harness.step();
            frame_ms.borrow_mut().push(harness.state().last_frame_ms());
        })
    });
    let mut frame_ms = frame_ms.into_inner();
    frame_ms.sort_by(f64::total_cmp);
    if !frame_ms.is_empty() {
        let at = |q: f64| frame_ms[((frame_ms.len() - 1) as f64 * q).round() as usize];
        println!(
            "app frame work over {} frames: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            frame_ms.len(),
            at(0.5),
            at(0.95),
            at(1.0)
        );
    }
}

criterion_group!(frame, frame_while_dragging);
criterion_main!(frame);
