//! The app changes the scenario only where the user changes it: a held drag stays inside
//! a range fixed for the whole drag, a drag in the sorted table edits the row it started
//! on, and showing a value never edits it.
//!
//! Drags are driven as a person does them: pointer down, a few pixels of movement, then
//! many frames with the pointer held (`harness.step()` in a loop), then release.
#![cfg(feature = "gui")]

mod ui_support;

use egui::accesskit::Role;
use egui::{Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rareflow::app::RareflowApp;
use rareflow::document::Document;
use ui_support::{baseline_harness, harness_sized};

/// Frames a drag is held for: at egui's default step of 1/60 s about one second, and far
/// more frames than a runaway range needs to show (it grew every frame).
const HELD_FRAMES: usize = 60;

fn tall_baseline_harness() -> Harness<'static, RareflowApp> {
    harness_sized(
        Document::built_in(rareflow::baseline().expect("baseline")),
        egui::vec2(1500.0, 2000.0),
    )
}

fn node_capacity(app: &RareflowApp, id: &str) -> f64 {
    app.document()
        .scenario()
        .node(id)
        .expect("node")
        .capacity_t_per_yr
}

/// The slider's value and the top of its range, as the slider declares them.
fn slider_value_and_max(harness: &Harness<'static, RareflowApp>, label: &str) -> (f64, f64) {
    let slider = harness.get_by_role_and_label(Role::Slider, label);
    let node = slider.accesskit_node();
    (
        node.numeric_value().expect("a value"),
        node.max_numeric_value().expect("a range"),
    )
}

/// Presses on the slider's rail at `fraction` of its width, moves a few points, holds for
/// [`HELD_FRAMES`] frames and checks, every frame, that the range stays where it was when
/// the pointer went down and the value inside it. Returns the value while held; the
/// pointer is released after.
fn hold_a_slider_drag(harness: &mut Harness<'static, RareflowApp>, label: &str) -> f64 {
    let (_, max_before) = slider_value_and_max(harness, label);
    let rail = harness.get_by_role_and_label(Role::Slider, label).rect();
    let press = rail.left_center() + vec2(rail.width() * 0.6, 0.0);
    harness.hover_at(press);
    harness.step();
    harness.drag_at(press);
    harness.step();
    let mut pointer = press;
    for _ in 0..3 {
        pointer += vec2(2.0, 0.0);
        harness.hover_at(pointer);
        harness.step();
    }
    let (settled_value, _) = slider_value_and_max(harness, label);
    for frame in 0..HELD_FRAMES {
        harness.step();
        let (value, max) = slider_value_and_max(harness, label);
        assert_eq!(
            max, max_before,
            "frame {frame}: the range moved while the pointer was down"
        );
        assert!(
            (0.0..=max_before).contains(&value),
            "frame {frame}: {value} is outside 0..={max_before}"
        );
        assert_eq!(
            value, settled_value,
            "frame {frame}: holding still moved it"
        );
    }
    harness.drop_at(pointer);
    harness.run_steps(2);
    settled_value
}

#[test]
fn holding_a_capacity_slider_drag_keeps_its_range_and_value() {
    // Tall enough that Japan's plants show in the scenario panel without scrolling.
    let mut harness = tall_baseline_harness();
    harness.get_by_label("Japan (4)").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Japan (Shin-Etsu").click();
    harness.run_steps(2);
    let id = "MAG-JPN-japan_shin_etsu";
    assert_eq!(node_capacity(harness.state(), id), 12_000.0);
    let held = hold_a_slider_drag(&mut harness, "Capacity, t NdFeB/yr");
    let capacity = node_capacity(harness.state(), id);
    assert_eq!(capacity, held, "the document has what the slider showed");
    assert!(
        capacity > 12_000.0 && capacity <= 60_000.0,
        "60 % along a range that starts from 12,000 t: {capacity}"
    );
    // One drag, one undo step.
    let document = harness.state().document();
    assert_eq!(
        document.undo_label(),
        Some("capacity of Japan (Shin-Etsu, Proterial, TDK, Daido)")
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(node_capacity(harness.state(), id), 12_000.0);
    assert_eq!(harness.state().document().undo_label(), None);
    assert!(!harness.state().document().is_dirty());
}

#[test]
fn holding_an_export_cap_slider_drag_keeps_its_range_and_value() {
    let mut harness = baseline_harness();
    let policy = "China licenses yttrium oxide exports (−50 %)";
    harness.get_by_role_and_label(Role::Button, policy).click();
    harness.run_steps(2);
    let limit = |app: &RareflowApp| match &app
        .document()
        .scenario()
        .policy("cn-licence-y")
        .expect("policy")
        .kind
    {
        rareflow::model::PolicyKind::ExportQuota { limit, .. } => limit.clone(),
        other => panic!("not a quota: {other:?}"),
    };
    let before = limit(harness.state());
    assert_eq!(before, rareflow::model::QuotaLimit::Tonnes(1_170.0));
    let held = hold_a_slider_drag(&mut harness, "Export cap, t/yr");
    assert_eq!(
        limit(harness.state()),
        rareflow::model::QuotaLimit::Tonnes(held)
    );
    assert!(held > 1_170.0 && held <= 6_000.0, "{held}");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(limit(harness.state()), before);
    assert_eq!(harness.state().document().undo_label(), None);
}

#[test]
fn a_drag_in_the_table_sorted_by_capacity_edits_only_its_own_row() {
    let mut harness = baseline_harness();
    let original = harness.state().document().scenario().clone();
    harness.get_by_label("Table").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Capacity t/yr v");
    let name = "Lynas Malaysia (Gebeng, Kuantan)";
    let id = "SEP-MYS-lynas_malaysia_gebeng";
    let start: Pos2 = harness
        .get_by_role_and_label(Role::SpinButton, name)
        .rect()
        .center();
    harness.hover_at(start);
    harness.step();
    harness.drag_at(start);
    harness.step();
    // 40 frames of 8 points to the right: far enough to pass several larger plants.
    let mut pointer = start;
    for _ in 0..40 {
        pointer += vec2(8.0, 0.0);
        harness.hover_at(pointer);
        harness.step();
    }
    for _ in 0..20 {
        harness.step();
    }
    harness.drop_at(pointer);
    harness.run_steps(2);

    let edited = harness.state().document().scenario().clone();
    let lynas = node_capacity(harness.state(), id);
    assert!(
        lynas > 45_200.0,
        "the drag doubled Lynas at least, passing larger plants: {lynas}"
    );
    for (before, after) in original.nodes.iter().zip(&edited.nodes) {
        if before.id != id {
            assert_eq!(
                before, after,
                "{} changed, but the drag was on {name}",
                before.id
            );
        }
    }
    assert_eq!(original.policies, edited.policies);
    let document = harness.state().document();
    assert_eq!(
        document.undo_label(),
        Some(format!("capacity of {name}").as_str())
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let document = harness.state().document();
    assert_eq!(
        document.scenario(),
        &original,
        "one undo restores everything"
    );
    assert_eq!(document.undo_label(), None, "and it was the only step");
    assert!(!document.is_dirty());
}

#[test]
fn selecting_every_node_and_policy_edits_nothing() {
    // Tall enough that every table row is on screen.
    let mut harness = tall_baseline_harness();
    harness.run_steps(2);
    let revision = harness.state().document().revision();
    let scenario = harness.state().document().scenario().clone();
    assert!(
        scenario
            .nodes
            .iter()
            .any(|n| n.capacity_t_per_yr % 10.0 != 0.0),
        "some capacity is off a 10 t grid (China separation: 399,999 t), so rounding shows"
    );
    harness.get_by_label("Table").click();
    harness.run_steps(2);
    for node in &scenario.nodes {
        harness
            .get_by_role_and_label(Role::Button, &node.name)
            .click();
        // Away with the pointer, so the name's tooltip does not cover the next row.
        harness.remove_cursor();
        harness.run_steps(2);
        assert_eq!(
            harness.state().selection(),
            &rareflow::app::state::Selection::Node(node.id.clone())
        );
        let document = harness.state().document();
        assert!(!document.is_dirty(), "selecting {} edited it", node.id);
        assert_eq!(document.revision(), revision, "selecting {}", node.id);
    }
    for policy in &scenario.policies {
        harness
            .get_by_role_and_label(Role::Button, &policy.label)
            .click();
        harness.remove_cursor();
        harness.run_steps(2);
        assert_eq!(
            harness.state().selection(),
            &rareflow::app::state::Selection::Policy(policy.id.clone())
        );
        let document = harness.state().document();
        assert!(!document.is_dirty(), "selecting {} edited it", policy.id);
        assert_eq!(document.revision(), revision, "selecting {}", policy.id);
    }
    assert_eq!(harness.state().document().scenario(), &scenario);
    assert_eq!(harness.state().document().undo_label(), None);
}
