//! The real app, driven through its widgets by their labels (egui_kittest, AccessKit).
//!
//! No display or GPU is needed. Native file dialogs are off: the app then asks for a typed
//! path, which is what these tests type into.
#![cfg(feature = "gui")]

mod ui_support;

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use rareflow::app::RareflowApp;
use rareflow::app::png_export::{MapCamera, TableSort};
use rareflow::document::Document;
use ui_support::{baseline_harness, harness, settle};

fn japan_market(app: &RareflowApp, commodity: &str) -> (f64, f64) {
    let year = app.results().years.get(&app.year()).expect("year solved");
    let market = year.market("JPN", commodity).expect("market");
    let reference = app
        .reference()
        .and_then(|r| r.year(app.year()))
        .and_then(|y| y.market("JPN", commodity))
        .expect("reference");
    (
        market.shortfall_t,
        market.price_usd_per_kg / reference.price_usd_per_kg - 1.0,
    )
}

#[test]
fn switching_on_chinas_licensing_shows_japans_dytb_shortfall_and_price_pressure() {
    let mut harness = baseline_harness();
    harness
        .get_by_role_and_label(Role::Slider, "Year")
        .set_value_accesskit(2025.0);
    harness.run_steps(2);
    assert_eq!(harness.state().year(), 2025);
    harness.get_by_label("Japan (4)").click();
    harness.run_steps(2);
    harness.get_by_label("Japan: overview").click();
    settle(&mut harness);
    let (shortfall_before, pressure_before) = japan_market(harness.state(), "DYTB");
    assert!(
        shortfall_before < 1.0 && pressure_before.abs() < 1e-6,
        "baseline against itself"
    );

    for policy in [
        "China licenses Dy/Tb oxide exports (−50 %)",
        "China licenses yttrium oxide exports (−50 %)",
        "China licenses exports of magnets containing Dy/Tb (−19 %)",
    ] {
        harness
            .get_by_role_and_label(Role::CheckBox, policy)
            .click();
        harness.run_steps(1);
    }
    settle(&mut harness);
    let (shortfall, pressure) = japan_market(harness.state(), "DYTB");
    assert!(shortfall > 5.0, "Japan runs short of Dy/Tb: {shortfall} t");
    assert!(
        pressure > 1.0,
        "Dy/Tb more than doubles in Japan: {pressure}"
    );
    // The inspector shows both numbers on screen.
    harness.get_by_label(&rareflow::report::pressure(pressure));
    harness.get_by_label(&rareflow::units::tonnes_short(shortfall));
    let (_, magnet_pressure) = japan_market(harness.state(), "NDFEB");
    harness.get_by_label(&rareflow::report::pressure(magnet_pressure));
}

#[test]
fn a_capacity_slider_changes_the_solution_and_undo_restores_it() {
    let mut harness = baseline_harness();
    settle(&mut harness);
    let (_, pressure_before) = japan_market(harness.state(), "NDFEB");
    let price_before = harness.state().results().years[&2026]
        .market("JPN", "NDFEB")
        .expect("m")
        .price_usd_per_kg;
    assert!(pressure_before.abs() < 1e-6);
    harness.get_by_label("China (6)").click();
    harness.run_steps(2);
    harness
        .get_by_label_contains("China light REE mines")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Slider, "Capacity, t REO/yr")
        .set_value_accesskit(150_000.0);
    settle(&mut harness);
    let capacity = harness
        .state()
        .document()
        .scenario()
        .node("MINE-CHN-light_ree_mines")
        .expect("node")
        .capacity_t_per_yr;
    assert_eq!(capacity, 150_000.0);
    let (_, pressure) = japan_market(harness.state(), "NDFEB");
    assert!(
        pressure > 0.1,
        "less Chinese ore makes magnets dearer: {pressure}"
    );
    assert_eq!(
        harness.state().document().undo_label(),
        Some("capacity of China light REE mines (Bayan Obo/Inner Mongolia, Sichuan, Shandong)")
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    let capacity = harness
        .state()
        .document()
        .scenario()
        .node("MINE-CHN-light_ree_mines")
        .expect("node")
        .capacity_t_per_yr;
    assert_eq!(capacity, 250_850.0, "undo restores the capacity");
    let price = harness.state().results().years[&2026]
        .market("JPN", "NDFEB")
        .expect("m")
        .price_usd_per_kg;
    assert!(
        (price - price_before).abs() < 1e-6 * price_before,
        "and the numbers: {price} vs {price_before}"
    );
    assert!(!harness.state().document().is_dirty());
}

/// Types a path into the typed-path window, as a person does: focus the field, then type.
fn type_path(harness: &mut Harness<'static, RareflowApp>, path: &std::path::Path) {
    harness.get_by_role(Role::TextInput).focus();
    harness.run_steps(1);
    harness
        .get_by_role(Role::TextInput)
        .type_text(path.to_str().expect("utf-8"));
}

fn open_by_typing(harness: &mut Harness<'static, RareflowApp>, path: &std::path::Path) {
    harness.get_by_label("File").click();
    harness.run_steps(4);
    harness.get_by_label_contains("Open...").click();
    harness.run_steps(4);
    type_path(harness, path);
    harness.run_steps(1);
    harness.get_by_role_and_label(Role::Button, "Open").click();
    harness.run_steps(4);
}

#[test]
fn opening_a_broken_file_shows_the_error_and_keeps_the_scenario() {
    let folder = tempfile::tempdir().expect("temp dir");
    let broken = folder.path().join("broken.ron");
    std::fs::write(
        &broken,
        "(\n    format_version: 1,\n    meta: (name: \"x\" base_year: 2024),\n)\n",
    )
    .expect("write");
    let mut harness = baseline_harness();
    open_by_typing(&mut harness, &broken);
    let notice = harness
        .state()
        .notice()
        .expect("an error is shown")
        .to_owned();
    assert!(notice.contains("broken.ron:3:"), "{notice}");
    harness.get_by_label_contains("broken.ron:3:");
    harness.get_by_label("The open scenario is unchanged.");
    assert_eq!(
        harness.state().document().scenario().meta.name,
        "Baseline 2024"
    );
}

#[test]
fn opening_a_file_with_a_misspelt_field_names_it_and_keeps_the_scenario() {
    let folder = tempfile::tempdir().expect("temp dir");
    let misspelt = folder.path().join("misspelt.ron");
    let text = rareflow::BASELINE_RON
        .replacen("name: \"Baseline 2024\"", "name: \"Misspelt\"", 1)
        .replacen("elasticity: 0.1,", "elasticty: 0.1,", 1);
    let line = text
        .lines()
        .position(|l| l.contains("elasticty"))
        .expect("edited line")
        + 1;
    std::fs::write(&misspelt, text).expect("write");
    let mut harness = baseline_harness();
    open_by_typing(&mut harness, &misspelt);
    let notice = harness
        .state()
        .notice()
        .expect("an error is shown")
        .to_owned();
    assert!(
        notice.contains(&format!(
            "misspelt.ron:{line}:13: unknown field `elasticty`, did you mean `elasticity`?"
        )),
        "{notice}"
    );
    harness.get_by_label("The open scenario is unchanged.");
    assert_eq!(
        harness.state().document().scenario().meta.name,
        "Baseline 2024"
    );
}

#[test]
fn saving_and_reopening_gives_the_same_scenario() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("saved.ron");
    let mut harness = baseline_harness();
    harness
        .get_by_role_and_label(Role::CheckBox, "Vietnam bans raw rare-earth ore exports")
        .click();
    harness.run_steps(2);
    assert!(harness.state().document().is_dirty());
    harness.get_by_label("File").click();
    harness.run_steps(4);
    harness.get_by_label_contains("Save As...").click();
    harness.run_steps(4);
    type_path(&mut harness, &path);
    harness.run_steps(1);
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(4);
    assert!(!harness.state().document().is_dirty());
    let saved = harness.state().document().scenario().clone();
    assert_eq!(rareflow::io::load(&path).expect("the file loads"), saved);

    let mut fresh = baseline_harness();
    open_by_typing(&mut fresh, &path);
    assert_eq!(fresh.state().document().scenario(), &saved);
    assert_eq!(fresh.state().document().path(), Some(path.as_path()));
}

#[test]
fn starting_anew_with_unsaved_changes_asks_first() {
    let mut harness = baseline_harness();
    harness
        .get_by_role_and_label(Role::CheckBox, "India halts rare-earth exports to Japan")
        .click();
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run_steps(2);
    harness.get_by_label("Unsaved changes");
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run_steps(2);
    assert!(
        harness.state().document().is_dirty(),
        "cancel keeps the changes"
    );
    assert!(
        harness
            .state()
            .document()
            .scenario()
            .policy("in-exports-japan-halt")
            .expect("policy")
            .enabled
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Don't save")
        .click();
    harness.run_steps(3);
    assert!(
        !harness
            .state()
            .document()
            .scenario()
            .policy("in-exports-japan-halt")
            .expect("policy")
            .enabled
    );
}

#[test]
fn every_tab_draws_with_results() {
    let mut harness = harness(Document::new(
        rareflow::io::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/in-force-2026.ron"
        )))
        .expect("loads"),
        None,
    ));
    settle(&mut harness);
    for (tab, shows) in [
        (
            "Flows",
            "NdFeB magnets in 2026: where the NdPr oxide in them was mined",
        ),
        ("Charts", "price pressure in 2026, %"),
        ("Table", "58 nodes in 2026"),
        ("Map", "Colour countries by"),
    ] {
        harness.get_by_label(tab).click();
        harness.run_steps(2);
        assert_eq!(format!("{:?}", harness.state().tab()), tab);
        harness.get_by_label_contains(shows);
    }
}

fn export_by_typing(
    harness: &mut Harness<'static, RareflowApp>,
    item: &str,
    path: &std::path::Path,
) {
    harness.get_by_label("File").click();
    harness.run_steps(4);
    harness.get_by_label("Export").click();
    harness.run_steps(4);
    harness.get_by_label_contains(item).click();
    harness.run_steps(4);
    type_path(harness, path);
    harness.run_steps(1);
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(4);
}

#[test]
fn results_export_as_csv_files_and_a_workbook_from_the_file_menu() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut harness = baseline_harness();
    settle(&mut harness);
    let csv_folder = folder.path().join("results");
    export_by_typing(&mut harness, "Results as CSV files", &csv_folder);
    let text = std::fs::read_to_string(csv_folder.join("markets.csv")).expect("written");
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("year,region,commodity,consumption_t")
    );
    assert_eq!(lines.count(), 38 * 12, "every market of every year");
    harness.get_by_label_contains("Wrote 7 CSV files");
    let workbook = folder.path().join("results.xlsx");
    export_by_typing(&mut harness, "Results as a workbook", &workbook);
    assert!(std::fs::metadata(&workbook).expect("written").len() > 10_000);
}

#[test]
fn the_assumption_diff_lists_a_switched_policy_and_follows_the_chosen_reference() {
    let mut harness = baseline_harness();
    harness
        .get_by_role_and_label(Role::CheckBox, "Vietnam bans raw rare-earth ore exports")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Compare").click();
    settle(&mut harness);
    harness.get_by_label("Compared with: Baseline 2024");
    harness
        .get_by_label("Switched on: Vietnam bans raw rare-earth ore exports")
        .click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().selection(),
        &rareflow::app::state::Selection::Policy("vn-raw-ore-ban".to_owned())
    );

    // Compare with every measure in force in 2026 instead.
    harness.get_by_label("A scenario file...").click();
    harness.run_steps(4);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    type_path(&mut harness, &path);
    harness.run_steps(1);
    harness.get_by_role_and_label(Role::Button, "Open").click();
    settle(&mut harness);
    harness.get_by_label("Compared with: Every measure in force in 2026");
    assert_eq!(
        harness.state().reference_scenario().meta.name,
        "Every measure in force in 2026"
    );
    let switched_off = harness
        .query_all_by_label_contains("Switched off: ")
        .count();
    assert_eq!(switched_off, 10, "the ten measures on there but not here");
    // The document itself is untouched by the choice of reference.
    assert_eq!(
        harness.state().document().scenario().meta.name,
        "Baseline 2024"
    );
}

#[test]
fn the_timeline_plays_through_the_years_and_pauses() {
    let mut harness = baseline_harness();
    settle(&mut harness);
    let start = harness.state().year();
    harness.get_by_role_and_label(Role::Button, "Play").click();
    harness.run_steps(2);
    assert!(harness.state().is_playing());
    // Frames advance the app's clock; the year moves every 1.2 s of it.
    let mut frames = 0;
    while harness.state().year() < start + 2 && frames < 2_000 {
        harness.step();
        frames += 1;
    }
    let played = harness.state().year();
    assert_eq!(played, start + 2, "the year advanced, one step at a time");
    assert!(harness.state().is_playing());
    harness.get_by_role_and_label(Role::Button, "Pause").click();
    harness.run_steps(2);
    let paused = harness.state().year();
    harness.run_steps(160);
    assert_eq!(harness.state().year(), paused, "paused");
    assert!(!harness.state().is_playing());
}

#[test]
fn presentation_mode_hides_the_editors_and_steps_years_with_the_arrows() {
    let mut harness = baseline_harness();
    settle(&mut harness);
    assert!(harness.query_by_label("Policies").is_some());
    harness.key_press(egui::Key::F11);
    harness.run_steps(3);
    assert!(harness.state().is_presenting());
    assert!(
        harness.query_by_label("Policies").is_none(),
        "the scenario editor is hidden"
    );
    assert!(
        harness.query_by_label("Inspector").is_none(),
        "the inspector is hidden"
    );
    assert!(
        harness.query_by_label("Year").is_none(),
        "the year bar is hidden"
    );
    harness.get_by_label("Baseline 2024: NdFeB magnets, 2026, compared with Baseline 2024");
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(2);
    assert_eq!(harness.state().year(), 2027);
    harness.get_by_label_contains("2027, compared with");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(!harness.state().is_presenting());
    assert!(
        harness.query_by_label("Policies").is_some(),
        "editors are back"
    );
}

#[test]
fn the_view_exports_as_a_png_at_twice_the_resolution_from_the_file_menu() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("map.png");
    let mut harness = baseline_harness();
    settle(&mut harness);
    export_by_typing(&mut harness, "The current view as PNG", &path);
    // The image is drawn on its own thread; wait for its report.
    for _ in 0..600 {
        if harness.state().notice().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        harness.step();
    }
    let notice = harness
        .state()
        .notice()
        .expect("the export reported")
        .to_owned();
    assert!(notice.starts_with("Wrote "), "{notice}");
    let image = image::open(&path).expect("a PNG");
    assert!(
        image.width() >= 1000 && image.height() >= 600,
        "{} x {}",
        image.width(),
        image.height()
    );
    assert!(
        notice.contains(&format!("({} x {} pixels)", image.width(), image.height())),
        "{notice}"
    );
}

#[test]
fn a_png_export_gets_the_map_and_the_table_as_the_user_left_them() {
    let mut harness = baseline_harness();
    let untouched = harness.state().view_data_for_export();
    assert_eq!(untouched.table_sort, TableSort::default());
    assert_eq!(untouched.map_camera, MapCamera::default());
    // Sort the table by name.
    harness.get_by_label("Table").click();
    harness.run_steps(2);
    harness.get_by_label("Node").click();
    harness.run_steps(2);
    harness.get_by_label("Node ^");
    // Pan the map 200 points to the left.
    harness.get_by_label("Map").click();
    harness.run_steps(2);
    let start = harness.get_by_label("Reset view").rect().center() + egui::vec2(0.0, 300.0);
    harness.hover_at(start);
    harness.step();
    harness.drag_at(start);
    harness.step();
    let mut pointer = start;
    for _ in 0..10 {
        pointer -= egui::vec2(20.0, 0.0);
        harness.hover_at(pointer);
        harness.step();
    }
    harness.drop_at(pointer);
    harness.run_steps(2);
    let exported = harness.state().view_data_for_export();
    assert_eq!(exported.table_sort, TableSort::by_name());
    let moved = exported.map_camera.center - MapCamera::default().center;
    assert!(
        moved.x > 10.0 && moved.y.abs() < 1e-3,
        "dragging left looks further east: {moved:?}"
    );
    assert_eq!(exported.map_camera.zoom, 1.0);
}
