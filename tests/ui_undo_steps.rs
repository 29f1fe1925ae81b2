//! One drag is one undo step, and Ctrl+Z works from the first frame without a click.
//!
//! Drags are driven as a hand does them: pointer down, many frames of small moves, and a
//! release that lands a little further on (the pointer rarely stands still when the button
//! comes up). Then Ctrl+Z is pressed once, by key events alone, and the scenario must be
//! back where it was.
#![cfg(feature = "gui")]

mod ui_support;

use egui::accesskit::Role;
use egui::{Pos2, Vec2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use rareflow::app::RareflowApp;
use rareflow::document::Document;
use rareflow::model::Edit;
use ui_support::{baseline_harness, harness_sized};

/// Frames the pointer moves for, one small step each.
const MOVING_FRAMES: usize = 30;

fn tall_baseline_harness() -> Harness<'static, RareflowApp> {
    harness_sized(
        Document::built_in(rareflow::baseline().expect("baseline")),
        egui::vec2(1500.0, 2000.0),
    )
}

/// Presses at `start`, moves by `step` each frame for [`MOVING_FRAMES`] frames, holds a
/// few frames, and releases three `step`s further on in one frame.
fn drag_by_hand(harness: &mut Harness<'static, RareflowApp>, start: Pos2, step: Vec2) {
    harness.hover_at(start);
    harness.step();
    harness.drag_at(start);
    harness.step();
    let mut pointer = start;
    for _ in 0..MOVING_FRAMES {
        pointer += step;
        harness.hover_at(pointer);
        harness.step();
    }
    for _ in 0..5 {
        harness.step();
    }
    // The last moves and the release arrive in one frame, as they do from a real mouse
    // (kittest's own event queue would run one frame per event).
    let mut release_frame = Vec::new();
    for _ in 0..3 {
        pointer += step;
        release_frame.push(egui::Event::PointerMoved(pointer));
    }
    release_frame.push(egui::Event::PointerButton {
        pos: pointer,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.input_mut().events.extend(release_frame);
    harness.step();
    harness.run_steps(1);
    harness.remove_cursor();
    harness.run_steps(1);
}

/// Ctrl+Z once, as key events only (no click first), then checks that the scenario is the
/// one before the drag and that nothing is left to undo.
fn one_undo_restores(
    harness: &mut Harness<'static, RareflowApp>,
    before: &rareflow::model::Scenario,
) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    let document = harness.state().document();
    assert_eq!(
        document.undo_label(),
        None,
        "one Ctrl+Z undid the whole change"
    );
    assert!(
        document.scenario() == before,
        "back to the scenario before the change"
    );
    assert!(!document.is_dirty());
}

fn select_shin_etsu(harness: &mut Harness<'static, RareflowApp>) {
    harness.get_by_label("Japan (4)").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Japan (Shin-Etsu").click();
    harness.remove_cursor();
    harness.run_steps(2);
}

fn shin_etsu_capacity(harness: &Harness<'static, RareflowApp>) -> f64 {
    harness
        .state()
        .document()
        .scenario()
        .node("MAG-JPN-japan_shin_etsu")
        .expect("node")
        .capacity_t_per_yr
}

#[test]
fn one_drag_of_the_inspectors_capacity_slider_is_one_undo_step() {
    let mut harness = tall_baseline_harness();
    select_shin_etsu(&mut harness);
    let before = harness.state().document().scenario().clone();
    let rail = harness
        .get_by_role_and_label(Role::Slider, "Capacity, t NdFeB/yr")
        .rect();
    drag_by_hand(
        &mut harness,
        rail.left_center() + vec2(rail.width() * 0.3, 0.0),
        vec2(2.0, 0.0),
    );
    assert!(
        shin_etsu_capacity(&harness) > 12_000.0,
        "the drag raised the capacity: {}",
        shin_etsu_capacity(&harness)
    );
    one_undo_restores(&mut harness, &before);
}

#[test]
fn one_drag_of_the_inspectors_amount_field_is_one_undo_step() {
    let mut harness = tall_baseline_harness();
    select_shin_etsu(&mut harness);
    let before = harness.state().document().scenario().clone();
    let field = harness
        .get_by_role_and_label(Role::SpinButton, "Capacity, t NdFeB/yr")
        .rect();
    drag_by_hand(&mut harness, field.center(), vec2(3.0, 0.0));
    assert!(
        shin_etsu_capacity(&harness) > 12_000.0,
        "the drag raised the capacity: {}",
        shin_etsu_capacity(&harness)
    );
    one_undo_restores(&mut harness, &before);
}

#[test]
fn one_drag_of_a_table_capacity_is_one_undo_step() {
    let mut harness = baseline_harness();
    let before = harness.state().document().scenario().clone();
    harness.get_by_label("Table").click();
    harness.remove_cursor();
    harness.run_steps(2);
    let name = "Lynas Malaysia (Gebeng, Kuantan)";
    let cell = harness.get_by_role_and_label(Role::SpinButton, name).rect();
    drag_by_hand(&mut harness, cell.center(), vec2(3.0, 0.0));
    let lynas = harness
        .state()
        .document()
        .scenario()
        .node("SEP-MYS-lynas_malaysia_gebeng")
        .expect("node")
        .capacity_t_per_yr;
    assert!(lynas > 22_600.0, "the drag raised Lynas: {lynas}");
    one_undo_restores(&mut harness, &before);
}

#[test]
fn one_drag_of_an_export_cap_slider_is_one_undo_step() {
    let mut harness = baseline_harness();
    harness
        .get_by_role_and_label(Role::Button, "China licenses yttrium oxide exports (−50 %)")
        .click();
    harness.remove_cursor();
    harness.run_steps(2);
    let before = harness.state().document().scenario().clone();
    let rail = harness
        .get_by_role_and_label(Role::Slider, "Export cap, t/yr")
        .rect();
    drag_by_hand(
        &mut harness,
        rail.left_center() + vec2(rail.width() * 0.3, 0.0),
        vec2(2.0, 0.0),
    );
    assert_ne!(
        harness.state().document().scenario(),
        &before,
        "the drag changed the cap"
    );
    one_undo_restores(&mut harness, &before);
}

#[test]
fn ctrl_z_works_on_the_first_frame_without_a_click() {
    let mut document = Document::built_in(rareflow::baseline().expect("baseline"));
    let before = document.scenario().clone();
    let edit = Edit::SetPolicyEnabled {
        policy: "vn-raw-ore-ban".to_owned(),
        enabled: true,
    };
    assert!(document.apply(&edit, false).expect("applies"));
    let mut harness = ui_support::harness(document);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(harness.state().document().scenario() == &before);
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run_steps(2);
    assert!(
        harness
            .state()
            .document()
            .scenario()
            .policy("vn-raw-ore-ban")
            .expect("policy")
            .enabled,
        "Ctrl+Shift+Z redoes"
    );
}

/// Clicks the inspector's amount field, which opens it for typing (its text all selected).
fn open_the_amount_field(harness: &mut Harness<'static, RareflowApp>) {
    let field = harness
        .get_by_role_and_label(Role::SpinButton, "Capacity, t NdFeB/yr")
        .rect()
        .center();
    harness.hover_at(field);
    harness.drag_at(field);
    harness.drop_at(field);
    harness.run_steps(2);
    assert!(
        harness
            .get_by_role_and_label(Role::SpinButton, "Capacity, t NdFeB/yr")
            .is_focused(),
        "the amount field is open for typing"
    );
}

/// Types `text` one key at a time, a frame each, as a person does.
fn type_keys(harness: &mut Harness<'static, RareflowApp>, text: &str) {
    for c in text.chars() {
        harness.event(egui::Event::Text(c.to_string()));
        harness.step();
    }
}

#[test]
fn a_typed_amount_is_one_undo_step() {
    let mut harness = tall_baseline_harness();
    select_shin_etsu(&mut harness);
    let before = harness.state().document().scenario().clone();
    open_the_amount_field(&mut harness);
    type_keys(&mut harness, "30000");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    assert_eq!(shin_etsu_capacity(&harness), 30_000.0);
    one_undo_restores(&mut harness, &before);
}

#[test]
fn a_capacity_typed_in_the_table_is_one_undo_step() {
    let mut harness = baseline_harness();
    let before = harness.state().document().scenario().clone();
    harness.get_by_label("Table").click();
    harness.remove_cursor();
    harness.run_steps(2);
    let name = "Lynas Malaysia (Gebeng, Kuantan)";
    let cell = harness
        .get_by_role_and_label(Role::SpinButton, name)
        .rect()
        .center();
    harness.hover_at(cell);
    harness.drag_at(cell);
    harness.drop_at(cell);
    harness.run_steps(2);
    assert!(
        harness
            .get_by_role_and_label(Role::SpinButton, name)
            .is_focused(),
        "the cell is open for typing"
    );
    type_keys(&mut harness, "30000");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let lynas = harness
        .state()
        .document()
        .scenario()
        .node("SEP-MYS-lynas_malaysia_gebeng")
        .expect("node")
        .capacity_t_per_yr;
    assert_eq!(lynas, 30_000.0);
    one_undo_restores(&mut harness, &before);
}

#[test]
fn ctrl_z_in_a_text_field_undoes_the_typing_not_the_scenario() {
    let mut harness = tall_baseline_harness();
    harness
        .get_by_role_and_label(Role::CheckBox, "Vietnam bans raw rare-earth ore exports")
        .click();
    harness.run_steps(2);
    let switched = harness.state().document().scenario().clone();
    select_shin_etsu(&mut harness);
    open_the_amount_field(&mut harness);
    type_keys(&mut harness, "95");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(
        harness.state().document().scenario() == &switched,
        "Ctrl+Z went to the text field: the policy is still switched on"
    );
    assert_eq!(
        harness.state().document().undo_label(),
        Some("switch on Vietnam bans raw rare-earth ore exports")
    );
    // Out of the field, Ctrl+Z is the scenario's again.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().document().undo_label(), None);
    assert!(!harness.state().document().is_dirty());
}
