//! In the meeting room (issue 13): the map is hovered and labelled at the level the numbers
//! exist, slides come out at 16:9 with no controls in them, and a deck is one PNG per view
//! and year.
#![cfg(feature = "gui")]

mod ui_support;

use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rareflow::app::png_export::{ExportedViews, ViewData, slide_harness, view_harness, write_deck};
use rareflow::app::slide::{DECK_TABS, SlideSize};
use rareflow::app::state::Tab;
use rareflow::solver::{SolverSettings, Years, solve_scenario};
use rareflow::units::tonnes_short;
use ui_support::{baseline_harness, settle};

/// Every measure in force in 2026, compared with the baseline, solved.
fn data() -> ViewData {
    let settings = SolverSettings::default();
    let baseline = rareflow::baseline().expect("loads");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let scenario = rareflow::io::load(&path).expect("loads");
    let solution = solve_scenario(&scenario, Years::All, &settings).expect("solves");
    let reference = solve_scenario(&baseline, Years::All, &settings).expect("solves");
    ViewData::at_fresh_start((scenario, solution), (baseline, reference), 2027)
}

/// Moves the pointer onto (lon, lat) of the map and waits for the tooltip to name `label`.
fn hover_map_until(harness: &mut Harness<'_, ExportedViews>, lon: f32, lat: f32, label: &str) {
    let point = harness
        .state()
        .map_screen_point(lon, lat)
        .expect("the map was drawn");
    harness.hover_at(point);
    for _ in 0..40 {
        harness.step();
        if harness.query_by_label(label).is_some() {
            return;
        }
    }
    panic!("no tooltip naming {label:?} at ({lon}, {lat}) = {point:?}");
}

#[test]
fn hovering_canada_names_the_rest_of_the_world_with_its_totals_not_canadas() {
    let data = data();
    let canada = data.scenario.country("CAN").expect("Canada is listed");
    assert_eq!(
        canada.region, "ROW",
        "Canada's demand counts in the rest of the world"
    );
    // Quebec: away from the glyph of the Saskatoon plant at Canada's centre.
    let (lon, lat) = (-75.0, 55.0);
    let market = data.results.years[&2027]
        .market("ROW", "NDFEB")
        .expect("the rest of the world buys magnets");
    let mut harness = view_harness(&data, Tab::Map, egui::vec2(1100.0, 800.0));
    hover_map_until(&mut harness, lon, lat, "Rest of world");
    harness.get_by_label("Canada counts towards Rest of world");
    let totals = harness.get_by_label_contains("Rest of world, NdFeB magnets: ");
    let text = text_of(&totals);
    assert!(
        text.starts_with(&format!(
            "Rest of world, NdFeB magnets: {} consumed, {} short",
            tonnes_short(market.consumption_t),
            tonnes_short(market.shortfall_t)
        )),
        "{text}"
    );
    assert!(
        harness.query_by_label_contains("Canada:").is_none(),
        "the region's totals are never shown as Canada's"
    );
    // A country with plants of its own shows them.
    harness.get_by_label("Plants in Canada");
    harness.get_by_label_contains("SRC Rare Earth Processing Facility, Saskatoon (");
}

/// What a widget says: a label's text is its value.
fn text_of(node: &egui_kittest::Node<'_>) -> String {
    let node = node.accesskit_node();
    node.label().or_else(|| node.value()).unwrap_or_default()
}

#[test]
fn antarctica_has_no_demand_and_every_region_is_labelled_once_with_its_figure() {
    let data = data();
    let mut harness = view_harness(&data, Tab::Map, egui::vec2(1100.0, 800.0));
    let labels = harness.state().map_region_labels().to_vec();
    let regions: Vec<&str> = labels.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        regions,
        ["CHN", "EUR", "IND", "JPN", "KOR", "ROW", "SEA", "USA"],
        "{labels:?}"
    );
    let year = &data.results.years[&2027];
    let reference = data
        .reference
        .as_ref()
        .expect("solved")
        .year(2027)
        .expect("2027");
    let japan = year
        .price_pressure(reference, "JPN", "NDFEB")
        .expect("Japan buys magnets");
    let japan_label = &labels[3].1;
    assert_eq!(
        *japan_label,
        format!("Japan {}", rareflow::report::pressure(japan))
    );
    assert!(labels[5].1.starts_with("Rest of world "), "{labels:?}");
    assert!(labels[1].1.starts_with("Europe "), "{labels:?}");
    // Antarctica: no region's colour, and the tooltip says why.
    let image = harness.render().expect("renders");
    let point = harness
        .state()
        .map_screen_point(30.0, -75.0)
        .expect("drawn");
    let pixel = image.get_pixel(
        (point.x * 2.0).round() as u32,
        (point.y * 2.0).round() as u32,
    );
    assert_eq!(
        [pixel[0], pixel[1], pixel[2]],
        [0x55, 0x5a, 0x62],
        "Antarctica is 'no demand' grey"
    );
    hover_map_until(&mut harness, 30.0, -75.0, "No demand modelled here");
}

/// Labels of the widgets a user could press, in a drawn view.
fn controls(harness: &Harness<'_, ExportedViews>) -> Vec<String> {
    [
        Role::Button,
        Role::CheckBox,
        Role::ComboBox,
        Role::Slider,
        Role::SpinButton,
        Role::TextInput,
    ]
    .into_iter()
    .flat_map(|role| harness.query_all_by_role(role))
    .map(|node| text_of(&node))
    .collect()
}

#[test]
fn a_slide_has_a_title_band_and_a_source_line_and_no_controls() {
    let data = data();
    // What the interactive views draw: the check below can see them.
    let map = view_harness(&data, Tab::Map, egui::vec2(1100.0, 800.0));
    let on_screen = controls(&map);
    assert!(
        on_screen.iter().any(|label| label == "Reset view"),
        "{on_screen:?}"
    );
    assert!(on_screen.iter().any(|label| label == "price pressure"));
    let compare = view_harness(&data, Tab::Compare, egui::vec2(1100.0, 800.0));
    assert!(
        controls(&compare)
            .iter()
            .any(|label| label == "Built-in baseline")
    );
    for tab in DECK_TABS {
        let slide = slide_harness(&data, tab, SlideSize::FullHd);
        let drawn = controls(&slide);
        match tab {
            // The differences listed are content (each selects its item on screen).
            Tab::Compare => assert!(
                !drawn.iter().any(|label| [
                    "Built-in baseline",
                    "This scenario as it is now",
                    "A scenario file..."
                ]
                .contains(&label.as_str())),
                "{drawn:?}"
            ),
            _ => assert!(drawn.is_empty(), "{tab:?}: {drawn:?}"),
        }
        slide.get_by_label(&format!(
            "{}: Every measure in force in 2026, 2027",
            tab.label()
        ));
        slide.get_by_label("NdFeB magnets, compared with Baseline 2024");
        let source = slide.get_by_label_contains("Data: USGS Mineral Commodity Summaries 2026");
        let source = text_of(&source);
        assert!(
            source.ends_with(&format!("rareflow {}", env!("CARGO_PKG_VERSION"))),
            "{source}"
        );
    }
}

#[test]
fn a_deck_is_one_full_hd_png_per_view_and_year() {
    let data = data();
    let folder = tempfile::tempdir().expect("temp dir");
    let deck = folder.path().join("deck");
    let written = write_deck(
        &data,
        &[2025, 2030],
        SlideSize::FullHd,
        &deck,
        "in-force-2026",
    )
    .expect("writes");
    let names: Vec<String> = written
        .iter()
        .map(|p| {
            p.file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "in-force-2026_map_2025.png",
            "in-force-2026_flows_2025.png",
            "in-force-2026_charts_2025.png",
            "in-force-2026_compare_2025.png",
            "in-force-2026_map_2030.png",
            "in-force-2026_flows_2030.png",
            "in-force-2026_charts_2030.png",
            "in-force-2026_compare_2030.png",
        ]
    );
    for path in &written {
        let image = image::open(path).expect("decodes");
        assert_eq!((image.width(), image.height()), (1920, 1080), "{path:?}");
        if let Some(keep) = std::env::var_os("RAREFLOW_KEEP_PNG") {
            let name = path.file_name().expect("a file");
            std::fs::copy(path, std::path::Path::new(&keep).join(name)).expect("copy");
        }
    }
    // Two different years draw two different maps.
    let (early, late) = (
        image::open(&written[0]).expect("decodes").to_rgba8(),
        image::open(&written[4]).expect("decodes").to_rgba8(),
    );
    let differing = early
        .pixels()
        .zip(late.pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert!(differing > 1000, "{differing} pixels differ");
}

#[test]
fn export_deck_from_the_file_menu_writes_the_slides_and_confirms_without_a_modal_box() {
    let folder = tempfile::tempdir().expect("temp dir");
    let deck = folder.path().join("slides");
    let mut harness = baseline_harness();
    settle(&mut harness);
    harness.get_by_label("File").click();
    harness.run_steps(4);
    harness.get_by_label("Export deck...").click();
    harness.run_steps(4);
    let years =
        harness.get_by_role_and_label(Role::TextInput, "Years (for example 2025, 2027, 2030)");
    assert_eq!(years.accesskit_node().value().as_deref(), Some("2026"));
    let folder_field = (Role::TextInput, "Folder (created if missing)");
    harness
        .get_by_role_and_label(folder_field.0, folder_field.1)
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(folder_field.0, folder_field.1)
        .type_text(deck.to_str().expect("utf-8"));
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    harness.run_steps(4);
    for _ in 0..1200 {
        if harness.state().notice().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        harness.step();
    }
    let notice = harness.state().notice().expect("reported").to_owned();
    assert_eq!(notice, format!("Wrote 4 files in {}", deck.display()));
    harness.run_steps(2);
    harness.get_by_label(&notice);
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "OK")
            .is_none(),
        "a confirmation needs no answer"
    );
    let mut names: Vec<String> = std::fs::read_dir(&deck)
        .expect("written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "baseline-2024_charts_2026.png",
            "baseline-2024_compare_2026.png",
            "baseline-2024_flows_2026.png",
            "baseline-2024_map_2026.png",
        ]
    );
}
