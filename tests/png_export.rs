//! PNG export draws a view offscreen at twice the pixel density; the file decodes to an
//! image of exactly that size.
#![cfg(feature = "gui")]

use rareflow::app::png_export::{EXPORT_PIXELS_PER_POINT, ViewData, write_view_png};
use rareflow::app::state::{Results, Selection, Tab, UiPrefs};
use rareflow::solver::{SolverSettings, Years, solve_scenario};

fn data() -> ViewData {
    let settings = SolverSettings::default();
    let baseline = rareflow::baseline().expect("loads");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let scenario = rareflow::io::load(&path).expect("loads");
    let solution = solve_scenario(&scenario, Years::All, &settings).expect("solves");
    let reference = solve_scenario(&baseline, Years::All, &settings).expect("solves");
    ViewData {
        results: Results {
            revision: 0,
            years: solution.years.into_iter().map(|y| (y.year, y)).collect(),
            complete: true,
            error: None,
        },
        scenario,
        reference: Some(reference),
        reference_scenario: baseline,
        year: 2026,
        selection: Selection::Nothing,
        prefs: UiPrefs::default(),
    }
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
