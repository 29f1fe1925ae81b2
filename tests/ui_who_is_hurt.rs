//! Who is hurt, asked as a planner would (egui_kittest, AccessKit): with every measure in
//! force in 2026, Vietnam's ore ban is switched off, the scenario taken as the reference,
//! the ban switched back on; the Compare tab's plant view names the Chinese separation
//! plant that lost Vietnamese ore and by how much, and a region's row header in the
//! Compare grid shows the plants and routes behind its change.
#![cfg(feature = "gui")]

mod ui_support;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use rareflow::app::RareflowApp;
use rareflow::document::Document;
use ui_support::{harness, inspector_left, scroll_to_the_right, settle, widen_inspector};

const BAN: &str = "Vietnam bans raw rare-earth ore exports";
/// The plant's row button: "+" until it is opened.
const CHINA_NORTH_ROW: &str =
    "+ China separation plants (China Northern RE Group, China Rare Earth Group, others)";

fn in_force_2026() -> Harness<'static, RareflowApp> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let scenario = rareflow::io::load(&path).expect("in-force-2026");
    let mut harness = harness(Document::new(scenario, Some(path)));
    settle(&mut harness);
    harness
}

fn switch_ban(harness: &mut Harness<'static, RareflowApp>) {
    harness.get_by_role_and_label(Role::CheckBox, BAN).click();
    harness.run_steps(2);
    settle(harness);
}

fn show_year(harness: &mut Harness<'static, RareflowApp>, year: i32) {
    harness
        .get_by_role_and_label(Role::Slider, "Year")
        .set_value_accesskit(f64::from(year));
    settle(harness);
    assert_eq!(harness.state().year(), year);
}

/// In force 2026 without the ban as the reference, with it as the scenario, in 2026.
fn ban_against_no_ban() -> Harness<'static, RareflowApp> {
    let mut harness = in_force_2026();
    show_year(&mut harness, 2026);
    switch_ban(&mut harness);
    harness.get_by_label("Compare").click();
    harness.run_steps(2);
    harness.get_by_label("This scenario as it is now").click();
    settle(&mut harness);
    switch_ban(&mut harness);
    harness.get_by_label("Switched on: Vietnam bans raw rare-earth ore exports");
    harness
}

#[test]
fn the_plant_view_names_the_chinese_plant_that_lost_vietnamese_ore() {
    let mut harness = ban_against_no_ban();
    harness.get_by_label("Plants: who is hurt").click();
    harness.run_steps(3);
    // Its row says which origin it lost and how much; opened, its feed before and after.
    let row = harness.get_by_role_and_label(Role::Button, CHINA_NORTH_ROW);
    row.click();
    harness.run_steps(3);
    harness.get_by_label("Vietnam -288 t");
    harness.get_by_label("Vietnam: 288 -> 0 t (-288)");
    // The lost route is listed with the routes, red.
    harness.get_by_label_contains("Small ionic/bastnaesite operations -> China separation");
}

#[test]
fn a_region_in_the_compare_grid_shows_its_plants_and_routes() {
    let mut harness = ban_against_no_ban();
    harness.get_by_role_and_label(Role::Button, "SEA").click();
    harness.run_steps(3);
    harness.get_by_label_contains("plants in Southeast Asia, and the routes into and out of it");
    harness.get_by_role_and_label(Role::Button, "+ Vietnam separators (VTRE etc.)");
    harness.get_by_label("lost (out)");
    // Back to every plant.
    harness.get_by_label("All plants").click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, CHINA_NORTH_ROW);
}

/// With the inspector at its widest the plant table scrolls sideways: its last column
/// (Used %) comes into the centre view while the plant names stay put.
#[test]
fn the_plant_tables_last_column_is_in_reach_beside_the_names_with_the_widest_inspector() {
    let mut harness = ban_against_no_ban();
    let widened = widen_inspector(&mut harness, 300.0);
    assert!(widened > 150.0, "the inspector widened by {widened} points");
    harness.get_by_label("Plants: who is hurt").click();
    harness.run_steps(3);
    let centre_right = inspector_left(&harness) - 8.0;
    let name = harness
        .get_by_role_and_label(Role::Button, CHINA_NORTH_ROW)
        .rect();
    scroll_to_the_right(&mut harness, name.center() + egui::vec2(300.0, 0.0));
    let used = harness.get_by_label("Used %").rect();
    assert!(
        used.right() <= centre_right && used.left() >= name.right(),
        "Used % ({used:?}) lies between the names (right edge {}) and the inspector \
         ({centre_right})",
        name.right()
    );
    assert_eq!(
        harness
            .get_by_role_and_label(Role::Button, CHINA_NORTH_ROW)
            .rect(),
        name,
        "the plant's name did not move"
    );
}
