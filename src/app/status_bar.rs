//! The status bar: solve status and time, validation warnings, the file and its dirty mark.

use super::commands::Command;
use super::forms::FormRequest;
use super::view_ctx::ViewCtx;
use crate::document::Document;

pub fn show(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    document: &Document,
    frame_ms: f64,
    commands: &mut Vec<Command>,
) {
    egui::Panel::bottom("status bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let file = document.path().and_then(|p| p.file_name()).map_or_else(
                || {
                    let state = if document.is_dirty() {
                        "not saved"
                    } else {
                        "built-in"
                    };
                    format!("{} ({state})", view.scenario.meta.name)
                },
                |n| n.to_string_lossy().into_owned(),
            );
            let mark = if document.is_dirty() { " *" } else { "" };
            ui.label(format!("{file}{mark}"));
            ui.separator();
            let results = view.results;
            let status = if let Some(error) = results.error.as_deref().or(view.reference_error) {
                egui::RichText::new(format!("Not solved: {error}"))
                    .color(ui.visuals().error_fg_color)
            } else if results.revision != document.revision() || !results.complete {
                egui::RichText::new("Solving...")
            } else {
                let total_ms: f64 = results.years.values().map(|y| y.solve_ms).sum();
                let usable = results
                    .years
                    .values()
                    .filter(|y| y.status.is_usable())
                    .count();
                egui::RichText::new(format!(
                    "Solved {} of {} years ({:.0} ms of solver time)",
                    usable,
                    results.years.len(),
                    total_ms
                ))
            };
            ui.label(status);
            let problems = view.problems;
            if problems > 0 {
                ui.separator();
                let count = egui::RichText::new(format!("{problems} validation problem(s)"))
                    .color(ui.visuals().warn_fg_color);
                if ui
                    .link(count)
                    .on_hover_text("List them; each selects the item at fault")
                    .clicked()
                {
                    commands.push(Command::OpenForm(FormRequest::Problems));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(egui::RichText::new(format!("frame {frame_ms:.1} ms")).small());
            });
        });
    });
}
