//! PNG export of a view at presentation resolution: the view is drawn offscreen (wgpu,
//! through egui_kittest's renderer) at twice the window's pixel density, so charts, the map
//! and the Sankey stay sharp on a projector or in a slide.

use std::path::Path;

use super::ViewCtx;
use super::commands::Command;
use super::state::{Results, Selection, Tab, UiPrefs};
use crate::model::Scenario;
use crate::solver::Solution;

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
}

/// Draws `tab` at `size_points` × [`EXPORT_PIXELS_PER_POINT`] and writes it as PNG
/// (atomically). Returns the image's size in pixels.
pub fn write_view_png(
    data: &ViewData,
    tab: Tab,
    size_points: egui::Vec2,
    path: &Path,
) -> Result<(u32, u32), String> {
    let mut map = super::map_view::MapView::default();
    let mut table = super::table_view::TableView::default();
    let mut harness = egui_kittest::Harness::builder()
        .with_size(size_points)
        .with_pixels_per_point(EXPORT_PIXELS_PER_POINT)
        .wgpu()
        .build_ui(|ui| {
            super::palette::install_style(ui.ctx());
            ui.ctx().set_theme(if data.prefs.dark_mode {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            let view = ViewCtx {
                scenario: &data.scenario,
                results: &data.results,
                reference: data.reference.as_ref(),
                reference_scenario: &data.reference_scenario,
                year: data.year,
                selection: &data.selection,
                prefs: &data.prefs,
                problems: 0,
            };
            let mut ignored: Vec<Command> = Vec::new();
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading(format!(
                    "{}: {}, {}, compared with {}",
                    view.scenario.meta.name,
                    view.commodity_name(&view.prefs.commodity),
                    view.year,
                    view.reference_scenario.meta.name
                ));
                match tab {
                    Tab::Map => map.show(ui, &view, &mut ignored),
                    Tab::Flows => super::flows_view::show(ui, &view, &mut ignored),
                    Tab::Charts => super::charts_view::show(ui, &view, &mut ignored),
                    Tab::Table => table.show(ui, &view, &mut ignored),
                    Tab::Compare => super::compare_view::show(ui, &view, &mut ignored),
                }
            });
        });
    harness.run_steps(3);
    let image = harness.render()?;
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
