//! File > Export deck: the years (the one on screen by default, or a list such as
//! "2025, 2027, 2030"), the folder and the size; one slide per view and year in one go.

use std::path::PathBuf;

use super::commands::Command;
use super::slide::{DECK_TABS, SlideSize, parse_years};

/// What a deck export writes.
#[derive(Clone, Debug, PartialEq)]
pub struct DeckRequest {
    pub folder: PathBuf,
    pub years: Vec<i32>,
    pub size: SlideSize,
}

/// The open "Export deck" window.
pub struct DeckDialog {
    years: String,
    folder: String,
    double: bool,
    /// The horizon, first and last year: years outside it are refused before anything runs.
    horizon: (i32, i32),
    error: Option<String>,
}

impl DeckDialog {
    pub fn new(year_on_screen: i32, horizon: (i32, i32)) -> Self {
        Self {
            years: year_on_screen.to_string(),
            folder: String::new(),
            double: false,
            horizon,
            error: None,
        }
    }

    /// Draws the window; returns the export to run once the user asks for it, and whether
    /// the window stays open.
    pub fn show(&mut self, ctx: &egui::Context) -> (Option<Command>, bool) {
        let mut command = None;
        let mut open = true;
        egui::Window::new("Export deck")
            .collapsible(false)
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "One 16:9 slide per view ({}) and year.",
                    DECK_TABS.map(|t| t.label().to_lowercase()).join(", ")
                ));
                let label = ui.label("Years (for example 2025, 2027, 2030)");
                ui.add(egui::TextEdit::singleline(&mut self.years).desired_width(420.0))
                    .labelled_by(label.id);
                let label = ui.label("Folder (created if missing)");
                ui.add(
                    egui::TextEdit::singleline(&mut self.folder)
                        .desired_width(420.0)
                        .hint_text("slides"),
                )
                .labelled_by(label.id);
                ui.checkbox(&mut self.double, "Twice the size (3840 x 2160)");
                if let Some(error) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                ui.horizontal(|ui| {
                    if ui.button("Export").clicked() {
                        match self.request() {
                            Ok(request) => {
                                command = Some(Command::ExportDeckTo(request));
                                open = false;
                            }
                            Err(error) => self.error = Some(error),
                        }
                    }
                    if ui.button("Cancel").clicked() {
                        open = false;
                    }
                });
            });
        (command, open)
    }

    fn request(&self) -> Result<DeckRequest, String> {
        let years = parse_years(&self.years, self.horizon.0, self.horizon.1)?;
        let folder = self.folder.trim();
        if folder.is_empty() {
            return Err("choose a folder for the slides".to_owned());
        }
        Ok(DeckRequest {
            folder: PathBuf::from(folder),
            years,
            size: if self.double {
                SlideSize::Double
            } else {
                SlideSize::FullHd
            },
        })
    }
}
