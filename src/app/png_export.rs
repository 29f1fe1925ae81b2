//! PNG export of a view at presentation resolution: the view is drawn offscreen (wgpu,
//! through egui_kittest's renderer) at twice the window's pixel density, so charts, the map
//! and the Sankey stay sharp on a projector or in a slide.
//!
//! The export draws the view as the user sees it: the map through the user's camera (pan
//! and zoom), the table in the user's sort order.

use std::path::Path;

use egui_kittest::Harness;

use super::commands::Command;
pub use super::map_view::MapCamera;
use super::map_view::MapView;
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
}

/// The views with state of their own, set up as the user left them.
pub struct ExportedViews {
    map: MapView,
    table: TableView,
    uncertainty: UncertaintyView,
    /// The document's revision the Uncertainty tab tells stale results by.
    revision: u64,
}

impl ExportedViews {
    pub fn map_camera(&self) -> MapCamera {
        self.map.camera()
    }

    pub fn table_sort(&self) -> TableSort {
        self.table.sort()
    }
}

/// An offscreen window of `size_points` × [`EXPORT_PIXELS_PER_POINT`] drawing `tab` of
/// `data` under a title line, ready to render.
pub fn view_harness(
    data: &ViewData,
    tab: Tab,
    size_points: egui::Vec2,
) -> Harness<'_, ExportedViews> {
    view_harness_showing(data, tab, size_points, (UncertaintyShown::default(), 0))
}

/// [`view_harness`], the Uncertainty tab showing `uncertainty` (what it shows and the
/// document's revision).
pub fn view_harness_showing(
    data: &ViewData,
    tab: Tab,
    size_points: egui::Vec2,
    uncertainty: (UncertaintyShown, u64),
) -> Harness<'_, ExportedViews> {
    let views = ExportedViews {
        map: MapView::with_camera(data.map_camera),
        table: TableView::with_sort(data.table_sort),
        uncertainty: UncertaintyView::showing(uncertainty.0),
        revision: uncertainty.1,
    };
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

fn draw_view(ui: &mut egui::Ui, data: &ViewData, tab: Tab, views: &mut ExportedViews) {
    super::palette::install_style(ui.ctx());
    ui.ctx().set_theme(data.prefs.theme());
    let view = ViewCtx {
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
    };
    let mut ignored: Vec<Command> = Vec::new();
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading(view.title());
        match tab {
            Tab::Map => views.map.show(ui, &view, &mut ignored),
            Tab::Flows => super::flows_view::show(ui, &view, &mut ignored),
            Tab::Charts => super::charts_view::show(ui, &view, &mut ignored),
            Tab::Table => views.table.show(ui, &view, &mut ignored),
            Tab::Compare => super::compare_view::show(ui, &view, &mut ignored),
            Tab::Backtest => super::backtest_view::show(ui, &view),
            Tab::Uncertainty => views.uncertainty.show(ui, &view, views.revision),
        }
    });
}

/// Draws `tab` at `size_points` × [`EXPORT_PIXELS_PER_POINT`] and writes it as PNG
/// (atomically). Returns the image's size in pixels.
pub fn write_view_png(
    data: &ViewData,
    tab: Tab,
    size_points: egui::Vec2,
    path: &Path,
) -> Result<(u32, u32), String> {
    write_view_png_showing(
        data,
        tab,
        size_points,
        path,
        (UncertaintyShown::default(), 0),
    )
}

/// [`write_view_png`], the Uncertainty tab showing `uncertainty` (see
/// [`view_harness_showing`]).
pub fn write_view_png_showing(
    data: &ViewData,
    tab: Tab,
    size_points: egui::Vec2,
    path: &Path,
    uncertainty: (UncertaintyShown, u64),
) -> Result<(u32, u32), String> {
    let image = view_harness_showing(data, tab, size_points, uncertainty).render()?;
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
