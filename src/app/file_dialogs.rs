//! Native file dialogs (rfd) on a helper thread, so the UI never freezes; where the desktop
//! offers no dialog service, a window where the path can be typed. The "Export deck" window
//! lives here too (see [`super::deck_dialog`]).

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use super::commands::Command;
use super::deck_dialog::DeckDialog;
use super::slide::SlideSize;
use crate::scenario_tables::TablesLocation;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Open,
    Save,
    ExportCsv,
    ExportXlsx,
    ExportPng,
    Reference,
    ImportTablesCsv,
    ImportTablesXlsx,
    ExportTablesCsv,
    ExportTablesXlsx,
}

/// A dialog answering in less than this is taken as "no dialog service here".
const NO_SERVICE: Duration = Duration::from_millis(400);

pub struct FileDialogs {
    native: bool,
    waiting: Option<(Purpose, Instant, Receiver<Option<PathBuf>>)>,
    typed: Option<(Purpose, String, bool)>,
    /// The name a PNG export proposes ("in-force-2026_map_2027.png"), and its size.
    png: (String, SlideSize),
    deck: Option<DeckDialog>,
}

impl FileDialogs {
    pub fn new(native: bool) -> Self {
        Self {
            native,
            waiting: None,
            typed: None,
            png: (String::from("view.png"), SlideSize::FullHd),
            deck: None,
        }
    }

    /// The size of the PNG export being chosen.
    pub fn png_size(&self) -> SlideSize {
        self.png.1
    }

    /// Opens the "Export deck" window, the year on screen filled in.
    pub fn open_deck(&mut self, year_on_screen: i32, horizon: (i32, i32)) {
        self.deck = Some(DeckDialog::new(year_on_screen, horizon));
    }

    pub fn pick_open(&mut self) {
        self.pick(Purpose::Open);
    }

    pub fn pick_save(&mut self) {
        self.pick(Purpose::Save);
    }

    pub fn pick_reference(&mut self) {
        self.pick(Purpose::Reference);
    }

    pub fn pick_export_csv(&mut self) {
        self.pick(Purpose::ExportCsv);
    }

    /// Where to write a slide of `size`; the dialog proposes `file_name`.
    pub fn pick_export_png(&mut self, file_name: String, size: SlideSize) {
        self.png = (file_name, size);
        self.pick(Purpose::ExportPng);
    }

    pub fn pick_export_xlsx(&mut self) {
        self.pick(Purpose::ExportXlsx);
    }

    /// Scenario tables to import (`import`) or export, as a CSV folder or a workbook.
    pub fn pick_tables(&mut self, import: bool, xlsx: bool) {
        self.pick(match (import, xlsx) {
            (true, false) => Purpose::ImportTablesCsv,
            (true, true) => Purpose::ImportTablesXlsx,
            (false, false) => Purpose::ExportTablesCsv,
            (false, true) => Purpose::ExportTablesXlsx,
        });
    }

    fn pick(&mut self, purpose: Purpose) {
        if !self.native {
            self.typed = Some((purpose, String::new(), false));
            return;
        }
        if self.waiting.is_some() {
            return;
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        let png_name = self.png.0.clone();
        let spawned = std::thread::Builder::new()
            .name("rareflow-file-dialog".to_owned())
            .spawn(move || {
                let picked = match purpose {
                    Purpose::Open | Purpose::Reference => rfd::FileDialog::new()
                        .add_filter("rareflow scenario", &["ron"])
                        .pick_file(),
                    Purpose::Save => rfd::FileDialog::new()
                        .add_filter("rareflow scenario", &["ron"])
                        .set_file_name("scenario.ron")
                        .save_file(),
                    Purpose::ExportCsv | Purpose::ImportTablesCsv | Purpose::ExportTablesCsv => {
                        rfd::FileDialog::new().pick_folder()
                    }
                    Purpose::ImportTablesXlsx => rfd::FileDialog::new()
                        .add_filter("Excel workbook", &["xlsx"])
                        .pick_file(),
                    Purpose::ExportTablesXlsx => rfd::FileDialog::new()
                        .add_filter("Excel workbook", &["xlsx"])
                        .set_file_name("scenario-tables.xlsx")
                        .save_file(),
                    Purpose::ExportPng => rfd::FileDialog::new()
                        .add_filter("PNG image", &["png"])
                        .set_file_name(png_name)
                        .save_file(),
                    Purpose::ExportXlsx => rfd::FileDialog::new()
                        .add_filter("Excel workbook", &["xlsx"])
                        .set_file_name("results.xlsx")
                        .save_file(),
                };
                let _ = sender.send(picked);
            });
        match spawned {
            Ok(_) => self.waiting = Some((purpose, Instant::now(), receiver)),
            Err(_) => self.typed = Some((purpose, String::new(), true)),
        }
    }

    /// Shows the typed-path window if needed; returns the command a chosen path leads to.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<Command> {
        if let Some(deck) = &mut self.deck {
            let (command, open) = deck.show(ctx);
            if !open {
                self.deck = None;
            }
            if command.is_some() {
                return command;
            }
        }
        if let Some((purpose, started, receiver)) = &self.waiting {
            match receiver.try_recv() {
                Ok(Some(path)) => {
                    let purpose = *purpose;
                    self.waiting = None;
                    return Some(command_for(purpose, path));
                }
                Ok(None) => {
                    // Cancelled, or no dialog service: a near-instant None means the latter.
                    if started.elapsed() < NO_SERVICE {
                        self.typed = Some((*purpose, String::new(), true));
                    }
                    self.waiting = None;
                }
                Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
                Err(TryRecvError::Disconnected) => self.waiting = None,
            }
        }
        let png_name = self.png.0.clone();
        let (purpose, text, no_service) = self.typed.as_mut()?;
        let mut chosen = None;
        let mut close = false;
        let title = match purpose {
            Purpose::Open => "Open a scenario",
            Purpose::Save => "Save the scenario as",
            Purpose::ExportCsv => "Export the results as CSV files",
            Purpose::ExportXlsx => "Export the results as a workbook",
            Purpose::ExportPng => "Export the view as PNG",
            Purpose::Reference => "Compare with a scenario file",
            Purpose::ImportTablesCsv => "Import scenario tables from CSV files",
            Purpose::ImportTablesXlsx => "Import scenario tables from a workbook",
            Purpose::ExportTablesCsv => "Export the scenario as CSV tables",
            Purpose::ExportTablesXlsx => "Export the scenario as a workbook",
        };
        egui::Window::new(title).collapsible(false).show(ctx, |ui| {
            if *no_service {
                ui.label("This desktop offers no file dialog. Type the file's path instead:");
            } else if *purpose == Purpose::ExportCsv || *purpose == Purpose::ExportTablesCsv {
                ui.label("Folder for the CSV files (created if missing):");
            } else if *purpose == Purpose::ImportTablesCsv {
                ui.label("Folder with the CSV tables (nodes.csv, policies.csv, ...):");
            } else if matches!(
                purpose,
                Purpose::ImportTablesXlsx | Purpose::ExportTablesXlsx
            ) {
                ui.label("Path of the workbook (.xlsx):");
            } else if *purpose == Purpose::ExportPng {
                ui.label("Path of the image (.png):");
            } else if *purpose == Purpose::ExportXlsx {
                ui.label("Path of the workbook (.xlsx):");
            } else {
                ui.label("Path of the scenario file (.ron):");
            }
            let hint = if *purpose == Purpose::ExportPng {
                png_name.as_str()
            } else {
                "scenarios/in-force-2026.ron"
            };
            let field = ui.add(
                egui::TextEdit::singleline(text)
                    .desired_width(460.0)
                    .hint_text(hint),
            );
            field.clone().labelled_by(ui.label("Path").id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let verb = match purpose {
                    Purpose::Open
                    | Purpose::Reference
                    | Purpose::ImportTablesCsv
                    | Purpose::ImportTablesXlsx => "Open",
                    Purpose::Save
                    | Purpose::ExportCsv
                    | Purpose::ExportXlsx
                    | Purpose::ExportPng
                    | Purpose::ExportTablesCsv
                    | Purpose::ExportTablesXlsx => "Save",
                };
                let pressed = ui.button(verb).clicked() || entered;
                if pressed && !text.trim().is_empty() {
                    chosen = Some(PathBuf::from(text.trim()));
                } else if pressed && *purpose == Purpose::ExportPng {
                    chosen = Some(PathBuf::from(&png_name));
                }
                // An image typed as a folder takes the proposed name.
                if *purpose == Purpose::ExportPng
                    && let Some(folder) = chosen.take_if(|p| p.is_dir())
                {
                    chosen = Some(folder.join(&png_name));
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
        if let Some(path) = chosen {
            let command = command_for(*purpose, path);
            self.typed = None;
            return Some(command);
        }
        if close {
            self.typed = None;
        }
        None
    }
}

fn command_for(purpose: Purpose, path: PathBuf) -> Command {
    match purpose {
        Purpose::Open => Command::OpenPath(path),
        Purpose::Save => Command::SaveAsPath(path),
        Purpose::ExportCsv => Command::ExportCsvPath(path),
        Purpose::ExportXlsx => Command::ExportXlsxPath(path),
        Purpose::ExportPng => Command::ExportPngPath(path),
        Purpose::Reference => Command::SetReference(super::commands::ReferenceChoice::File(path)),
        Purpose::ImportTablesCsv => Command::ImportTablesFrom(TablesLocation::CsvFolder(path)),
        Purpose::ImportTablesXlsx => Command::ImportTablesFrom(TablesLocation::Xlsx(path)),
        Purpose::ExportTablesCsv => {
            Command::ExportScenarioTablesTo(TablesLocation::CsvFolder(path))
        }
        Purpose::ExportTablesXlsx => Command::ExportScenarioTablesTo(TablesLocation::Xlsx(path)),
    }
}
