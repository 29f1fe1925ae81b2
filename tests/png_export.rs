//! PNG export draws a view offscreen at twice the pixel density; the file decodes to an
//! image of exactly that size.
#![cfg(feature = "gui")]

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rareflow::app::png_export::{
    EXPORT_PIXELS_PER_POINT, MapCamera, TableSort, ViewData, view_harness, write_view_png,
};
use rareflow::app::state::Tab;
use rareflow::solver::{SolverSettings, Years, solve_scenario};

fn data() -> ViewData {
    let settings = SolverSettings::default();
    let baseline = rareflow::baseline().expect("loads");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let scenario = rareflow::io::load(&path).expect("loads");
    let solution = solve_scenario(&scenario, Years::All, &settings).expect("solves");
    let reference = solve_scenario(&baseline, Years::All, &settings).expect("solves");
    ViewData::at_fresh_start((scenario, solution), (baseline, reference), 2026)
}

#[test]
fn the_map_and_a_chart_export_at_twice_the_resolution() {
    let data = data();
    let folder = tempfile::tempdir().expect("temp dir");
    for (tab, name) in [
        (Tab::Map, "map.png"),
        (Tab::Charts, "charts.png"),
        (Tab::Flows, "flows.png"),
    ] {
        let path = folder.path().join(name);
        let size = write_view_png(&data, tab, egui::vec2(1000.0, 620.0), &path).expect("renders");
        let expected = (
            (1000.0 * EXPORT_PIXELS_PER_POINT) as u32,
            (620.0 * EXPORT_PIXELS_PER_POINT) as u32,
        );
        assert_eq!(size, expected);
        let decoded = image::open(&path).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), expected, "{name}");
        if std::env::var_os("RAREFLOW_KEEP_PNG").is_some() {
            std::fs::copy(&path, std::env::temp_dir().join(name)).expect("copy");
        }
    }
}

/// Node names in the order the exported table shows their rows.
fn exported_row_names(data: &ViewData) -> Vec<String> {
    let names: Vec<&str> = data
        .scenario
        .nodes
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    let harness = view_harness(data, Tab::Table, egui::vec2(1000.0, 620.0));
    assert_eq!(harness.state().table_sort(), data.table_sort);
    harness.get_by_label(&data.table_sort.heading());
    harness
        .query_all_by_role(Role::Button)
        .filter_map(|button| button.accesskit_node().label())
        .filter(|label| names.contains(&label.as_str()))
        .collect()
}

#[test]
fn the_table_exports_in_the_users_sort_order() {
    let mut data = data();
    let by_capacity = exported_row_names(&data);
    data.table_sort = TableSort::by_name();
    let by_name = exported_row_names(&data);
    assert!(by_name.len() >= 20, "rows drawn: {}", by_name.len());
    let mut alphabetical: Vec<String> =
        data.scenario.nodes.iter().map(|n| n.name.clone()).collect();
    alphabetical.sort();
    assert_eq!(
        by_name,
        alphabetical[..by_name.len()],
        "sorted A to Z as the user chose"
    );
    assert_ne!(
        by_capacity[..by_name.len()],
        by_name[..],
        "not the default order"
    );
    assert_eq!(
        by_capacity[0],
        "China sintered+bonded NdFeB (JL Mag, Ningbo Yunsheng, Zhong Ke San Huan, ...)",
        "the default: largest capacity first"
    );
}

#[test]
fn the_map_exports_through_the_users_camera() {
    let mut data = data();
    let size = egui::vec2(800.0, 500.0);
    let world = {
        let mut harness = view_harness(&data, Tab::Map, size);
        assert_eq!(harness.state().map_camera(), MapCamera::default());
        harness.render().expect("renders")
    };
    // Zoomed in on Japan, as a user might leave the map.
    let japan = MapCamera {
        center: egui::vec2(138.0, 37.0),
        zoom: 6.0,
    };
    data.map_camera = japan;
    let mut zoomed = view_harness(&data, Tab::Map, size);
    assert_eq!(
        zoomed.state().map_camera(),
        japan,
        "drawn through the camera given"
    );
    let zoomed = zoomed.render().expect("renders");
    assert_eq!(world.dimensions(), zoomed.dimensions());
    let differing = world
        .pixels()
        .zip(zoomed.pixels())
        .filter(|(a, b)| a != b)
        .count();
    let total = (world.width() * world.height()) as usize;
    assert!(
        differing > total / 4,
        "a zoomed map looks different: {differing} of {total} pixels differ"
    );
}
