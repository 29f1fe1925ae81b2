//! Unsaved changes: the action the user asked for goes ahead after "Don't save", and after
//! "Save" once saved; "Cancel" cancels; a new, untouched scenario has nothing to save.
//!
//! Native file dialogs are off: the app asks for a typed path, which these tests type.
#![cfg(feature = "gui")]

mod ui_support;

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use rareflow::app::RareflowApp;
use rareflow::app::commands::Command;
use rareflow::model::Scenario;
use ui_support::baseline_harness;

const INDIA_HALT: &str = "India halts rare-earth exports to Japan";

/// The baseline with Malaysia's ban switched on, saved in `folder` as `other.ron`.
fn other_scenario_file(folder: &Path) -> (std::path::PathBuf, Scenario) {
    let mut scenario = rareflow::baseline().expect("baseline");
    scenario
        .apply(&rareflow::model::Edit::SetPolicyEnabled {
            policy: "my-raw-ore-ban".to_owned(),
            enabled: true,
        })
        .expect("applies");
    let path = folder.join("other.ron");
    rareflow::io::save(&path, &scenario).expect("saves");
    (path, scenario)
}

/// Switches India's halt on: the document then has unsaved changes.
fn edit(harness: &mut Harness<'static, RareflowApp>) {
    harness
        .get_by_role_and_label(Role::CheckBox, INDIA_HALT)
        .click();
    harness.run_steps(2);
    assert!(harness.state().document().is_dirty());
}

fn asks_about_unsaved_changes(harness: &Harness<'static, RareflowApp>) -> bool {
    harness.query_by_label("Unsaved changes").is_some()
}

fn press_ctrl(harness: &mut Harness<'static, RareflowApp>, key: egui::Key) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
    // A modal's first frame only sizes it.
    harness.run_steps(4);
}

fn click_button(harness: &mut Harness<'static, RareflowApp>, label: &str) {
    harness.get_by_role_and_label(Role::Button, label).click();
    harness.run_steps(3);
}

/// Types `path` into the typed-path window titled `title` and presses its `verb` button.
fn choose_path(harness: &mut Harness<'static, RareflowApp>, title: &str, verb: &str, path: &Path) {
    harness.get_by_label(title);
    harness.get_by_role(Role::TextInput).focus();
    harness.run_steps(1);
    harness
        .get_by_role(Role::TextInput)
        .type_text(path.to_str().expect("utf-8"));
    harness.run_steps(1);
    click_button(harness, verb);
}

fn india_halt_on(harness: &Harness<'static, RareflowApp>) -> bool {
    harness
        .state()
        .document()
        .scenario()
        .policy("in-exports-japan-halt")
        .expect("policy")
        .enabled
}

#[test]
fn open_after_dont_save_opens_the_chosen_file() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, other) = other_scenario_file(folder.path());
    let mut harness = baseline_harness();
    edit(&mut harness);
    press_ctrl(&mut harness, egui::Key::O);
    assert!(asks_about_unsaved_changes(&harness));
    click_button(&mut harness, "Don't save");
    choose_path(&mut harness, "Open a scenario", "Open", &path);
    assert!(
        !asks_about_unsaved_changes(&harness),
        "asked once, answered once"
    );
    let document = harness.state().document();
    assert_eq!(
        document.path(),
        Some(path.as_path()),
        "the chosen file is open"
    );
    assert!(document.scenario() == &other);
    assert!(!document.is_dirty());
}

#[test]
fn open_after_save_saves_then_opens_the_chosen_file() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, other) = other_scenario_file(folder.path());
    let saved_path = folder.path().join("mine.ron");
    let mut harness = baseline_harness();
    edit(&mut harness);
    let edited = harness.state().document().scenario().clone();
    press_ctrl(&mut harness, egui::Key::O);
    click_button(&mut harness, "Save");
    choose_path(&mut harness, "Save the scenario as", "Save", &saved_path);
    assert!(
        rareflow::io::load(&saved_path).expect("saved") == edited,
        "the changes were saved first"
    );
    choose_path(&mut harness, "Open a scenario", "Open", &path);
    assert!(!asks_about_unsaved_changes(&harness));
    let document = harness.state().document();
    assert_eq!(document.path(), Some(path.as_path()));
    assert!(document.scenario() == &other);
}

#[test]
fn cancel_keeps_the_changes_and_opens_nothing() {
    let mut harness = baseline_harness();
    edit(&mut harness);
    press_ctrl(&mut harness, egui::Key::O);
    click_button(&mut harness, "Cancel");
    assert!(!asks_about_unsaved_changes(&harness));
    assert!(
        harness.query_by_label("Open a scenario").is_none(),
        "no file dialog after Cancel"
    );
    assert!(harness.state().document().is_dirty());
    assert!(india_halt_on(&harness));
}

/// Runs frames until the app asks the window to close, up to `frames`.
fn closes_within(harness: &mut Harness<'static, RareflowApp>, frames: usize) -> bool {
    for _ in 0..frames {
        let asked = harness
            .output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::Close));
        if asked {
            return true;
        }
        harness.step();
    }
    false
}

#[test]
fn quitting_after_dont_save_closes_the_window() {
    let mut harness = baseline_harness();
    edit(&mut harness);
    harness.state_mut().push_command(Command::Quit);
    // A modal's first frame only sizes it.
    harness.run_steps(4);
    assert!(asks_about_unsaved_changes(&harness));
    harness
        .get_by_role_and_label(Role::Button, "Don't save")
        .click();
    assert!(closes_within(&mut harness, 4));
}

#[test]
fn a_new_scenario_has_nothing_to_save_until_it_is_edited() {
    let mut harness = baseline_harness();
    edit(&mut harness);
    press_ctrl(&mut harness, egui::Key::N);
    click_button(&mut harness, "Don't save");
    assert!(!india_halt_on(&harness), "a new scenario from the baseline");
    assert!(
        !harness.state().document().is_dirty(),
        "a new, untouched scenario has nothing to save"
    );

    // Opening asks nothing: the open window comes at once.
    press_ctrl(&mut harness, egui::Key::O);
    assert!(!asks_about_unsaved_changes(&harness));
    harness.get_by_label("Open a scenario");
    click_button(&mut harness, "Cancel");
    // Nor does quitting.
    harness.state_mut().push_command(Command::Quit);
    harness.step();
    assert!(closes_within(&mut harness, 3));
    assert!(!asks_about_unsaved_changes(&harness));
}

#[test]
fn an_edited_new_scenario_asks_before_it_is_dropped() {
    let mut harness = baseline_harness();
    press_ctrl(&mut harness, egui::Key::N);
    assert!(!asks_about_unsaved_changes(&harness));
    assert!(!harness.state().document().is_dirty());
    edit(&mut harness);
    press_ctrl(&mut harness, egui::Key::N);
    assert!(asks_about_unsaved_changes(&harness));
}
