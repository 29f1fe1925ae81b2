//! PNG export of a view at presentation resolution: the view is drawn offscreen (wgpu,
//! through egui_kittest's renderer) at twice the window's pixel density, so charts, the map
//! and the Sankey stay sharp on a projector or in a slide.
//!
//! The export draws the view as the user sees it: the map through the user's camera (pan
//! and zoom), the table in the user's sort order.
//!
//! A slide ([`write_slide_png`]) is the same drawing at 16:9, 1920 × 1080 or twice that,
//! with a title band and a source line, and without the view's controls; a deck
//! ([`write_deck`]) is a slide per view and year.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;

use super::commands::Command;
pub use super::map_view::MapCamera;
use super::map_view::MapView;
use super::slide::{DECK_TABS, SLIDE_POINTS, SlideSize, SlideText, slide_text};
use super::state::{Selection, Tab, UiPrefs};
pub use super::table_view::TableSort;
use super::table_view::TableView;
use super::uncertainty_view::{UncertaintyShown, UncertaintyView};
use super::view_ctx::ViewCtx;
use crate::model::Scenario;
use crate::solve_session::{BacktestState, Results};
use crate::solver::Solution;

/// A PNG export running on its own thread reports its message (or error) here.
pub type PngExportReport = std::sync::mpsc::Receiver<Result<String, String>>;

/// Pixels per point of exported images.
pub const EXPORT_PIXELS_PER_POINT: f32 = 2.0;

/// Everything a view needs, owned, so the export can run on its own thread.
#[derive(Clone)]
pub struct ViewData {
    pub scenario: Scenario,
    pub results: Results,
    pub reference: Option<Solution>,
    pub reference_scenario: Scenario,
    pub year: i32,
    pub selection: Selection,
    pub prefs: UiPrefs,
    /// Where the user's map looks.
    pub map_camera: MapCamera,
    /// How the user sorted the table.
    pub table_sort: TableSort,
    /// The backtest, if it has been solved.
    pub backtest: BacktestState,
    /// What the Uncertainty tab shows (its last sweep and tornado, what is chosen).
    pub uncertainty: UncertaintyShown,
    /// The document's revision, by which the Uncertainty tab tells stale results.
    pub revision: u64,
}

impl ViewData {
    /// A solved scenario beside its solved reference, shown as the app shows them at a
    /// fresh start (nothing selected, NdFeB magnets, price pressure, the default camera and
    /// sort): what `rareflow deck` draws, and what the export tests draw.
    pub fn at_fresh_start(
        (scenario, solution): (Scenario, Solution),
        (reference_scenario, reference): (Scenario, Solution),
        year: i32,
    ) -> Self {
        Self {
            results: Results {
                revision: 0,
                years: solution.years.into_iter().map(|y| (y.year, y)).collect(),
                complete: true,
                error: None,
            },
            scenario,
            reference: Some(reference),
            reference_scenario,
            year,
            selection: Selection::Nothing,
            prefs: UiPrefs::default(),
            map_camera: MapCamera::default(),
            table_sort: TableSort::default(),
            backtest: BacktestState::NotAsked,
            uncertainty: UncertaintyShown::default(),
            revision: 0,
        }
    }
}

/// The views with state of their own, set up as the user left them.
pub struct ExportedViews {
    map: MapView,
    table: TableView,
    uncertainty: UncertaintyView,
    revision: u64,
}

impl ExportedViews {
    /// The views as the user left them in `data`.
    fn of(data: &ViewData) -> Self {
        Self {
            map: MapView::with_camera(data.map_camera),
            table: TableView::with_sort(data.table_sort),
            uncertainty: UncertaintyView::showing(data.uncertainty.clone()),
            revision: data.revision,
        }
    }

    pub fn map_camera(&self) -> MapCamera {
        self.map.camera()
    }

    pub fn table_sort(&self) -> TableSort {
        self.table.sort()
    }

    /// Where (lon, lat) was drawn on the map, once it has been drawn.
    pub fn map_screen_point(&self, lon: f32, lat: f32) -> Option<egui::Pos2> {
        self.map.screen_point(lon, lat)
    }

    /// The region labels printed on the map, (region, text).
    pub fn map_region_labels(&self) -> &[(String, String)] {
        self.map.region_labels()
    }

    /// The regions ranked beside or under the map, highest figure first, as (region,
    /// figure with its unit); empty when the map had no room for the ranking.
    pub fn map_ranking(&self) -> Vec<(String, String)> {
        self.map
            .ranking()
            .iter()
            .map(|r| (r.region.clone(), r.text.clone()))
            .collect()
    }
}

/// An offscreen window of `size_points` × [`EXPORT_PIXELS_PER_POINT`] drawing `tab` of
/// `data` under a title line, ready to render.
pub fn view_harness(
    data: &ViewData,
    tab: Tab,
    size_points: egui::Vec2,
) -> Harness<'_, ExportedViews> {
    let views = ExportedViews::of(data);
    let mut harness = Harness::builder()
        .with_size(size_points)
        .with_pixels_per_point(EXPORT_PIXELS_PER_POINT)
        .wgpu()
        .build_ui_state(
            move |ui, views: &mut ExportedViews| draw_view(ui, data, tab, views),
            views,
        );
    harness.run_steps(3);
    harness
}

/// A slide of `tab`: the view without its controls under a title band, over a source line,
/// laid out at [`SLIDE_POINTS`] and rendered at `size`'s pixels.
pub fn slide_harness(data: &ViewData, tab: Tab, size: SlideSize) -> Harness<'_, ExportedViews> {
    let views = ExportedViews::of(data);
    let text = slide_text(&view_ctx(data), tab);
    let mut harness = Harness::builder()
        .with_size(SLIDE_POINTS)
        .with_pixels_per_point(size.pixels_per_point())
        .wgpu()
        .build_ui_state(
            move |ui, views: &mut ExportedViews| draw_slide(ui, data, tab, &text, views),
            views,
        );
    harness.run_steps(3);
    harness
}

fn draw_slide(
    ui: &mut egui::Ui,
    data: &ViewData,
    tab: Tab,
    text: &SlideText,
    views: &mut ExportedViews,
) {
    super::slide::hide_controls(ui.ctx());
    super::palette::install_style(ui.ctx());
    ui.ctx().set_theme(data.prefs.theme());
    let view = view_ctx(data);
    let mut ignored: Vec<Command> = Vec::new();
    egui::Panel::top("slide title").show(ui, |ui| {
        ui.add_space(4.0);
        ui.label(egui::RichText::new(&text.title).size(26.0).strong());
        ui.label(egui::RichText::new(&text.subtitle).size(17.0));
        ui.add_space(2.0);
    });
    egui::Panel::bottom("slide source").show(ui, |ui| {
        ui.label(egui::RichText::new(&text.source).size(12.0).weak());
    });
    egui::CentralPanel::default().show(ui, |ui| draw_tab(ui, &view, tab, views, &mut ignored));
}

/// The view of `data`, for drawing.
fn view_ctx(data: &ViewData) -> ViewCtx<'_> {
    ViewCtx {
        scenario: &data.scenario,
        results: &data.results,
        reference: data.reference.as_ref(),
        reference_scenario: &data.reference_scenario,
        reference_error: None,
        year: data.year,
        selection: &data.selection,
        prefs: &data.prefs,
        problems: 0,
        backtest: &data.backtest,
    }
}

fn draw_view(ui: &mut egui::Ui, data: &ViewData, tab: Tab, views: &mut ExportedViews) {
    super::palette::install_style(ui.ctx());
    ui.ctx().set_theme(data.prefs.theme());
    let view = view_ctx(data);
    let mut ignored: Vec<Command> = Vec::new();
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading(view.title());
        draw_tab(ui, &view, tab, views, &mut ignored);
    });
}

fn draw_tab(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    tab: Tab,
    views: &mut ExportedViews,
    ignored: &mut Vec<Command>,
) {
    match tab {
        Tab::Map => views.map.show(ui, view, ignored),
        Tab::Flows => super::flows_view::show(ui, view, ignored),
        Tab::Charts => super::charts_view::show(ui, view, ignored),
        Tab::Table => views.table.show(ui, view, ignored),
        Tab::Compare => super::compare_view::show(ui, view, ignored),
        Tab::Backtest => super::backtest_view::show(ui, view),
        Tab::Uncertainty => views.uncertainty.show(ui, view, views.revision),
    }
}

/// Draws `tab` at `size_points` × [`EXPORT_PIXELS_PER_POINT`] and writes it as PNG
/// (atomically). Returns the image's size in pixels.
pub fn write_view_png(
    data: &ViewData,
    tab: Tab,
    size_points: egui::Vec2,
    path: &Path,
) -> Result<(u32, u32), String> {
    write_png(view_harness(data, tab, size_points).render()?, path)
}

/// Draws `tab` as a slide (see [`slide_harness`]) and writes it as PNG (atomically).
/// Returns the image's size in pixels.
pub fn write_slide_png(
    data: &ViewData,
    tab: Tab,
    size: SlideSize,
    path: &Path,
) -> Result<(u32, u32), String> {
    write_png(slide_harness(data, tab, size).render()?, path)
}

/// Writes a slide per view of [`DECK_TABS`] for each of `years` into `folder` (created if
/// missing), named `<name>_<view>_<year>.png`. Returns the files written, in order.
pub fn write_deck(
    data: &ViewData,
    years: &[i32],
    size: SlideSize,
    folder: &Path,
    name: &str,
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(folder)
        .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    let mut written = Vec::new();
    for year in years {
        let data = ViewData {
            year: *year,
            ..data.clone()
        };
        for tab in DECK_TABS {
            let path = folder.join(super::slide::proposed_file_name(name, tab, *year));
            write_slide_png(&data, tab, size, &path)?;
            written.push(path);
        }
    }
    Ok(written)
}

fn write_png(image: image::RgbaImage, path: &Path) -> Result<(u32, u32), String> {
    let size = (image.width(), image.height());
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|error| format!("cannot encode the PNG: {error}"))?;
    crate::io::write_atomically(path, |file| {
        std::io::Write::write_all(file, bytes.get_ref())
    })
    .map_err(|error| error.to_string())?;
    Ok(size)
}
