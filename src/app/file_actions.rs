//! What the app does with files: open and save scenarios, export results as CSV files or
//! a workbook, and export the view on screen as a slide (PNG), or a deck of slides, on a
//! thread of their own.

use std::path::{Path, PathBuf};
use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use super::RareflowApp;
use super::deck_dialog::DeckRequest;
use super::import_view::ImportView;
use super::png_export::{self, ViewData};
use super::slide::{SlideSize, proposed_file_name};
use crate::document::Document;
use crate::scenario_tables::{ImportPreview, TablesLocation};
use crate::solver::Solution;

impl RareflowApp {
    /// What the open import window would do, if one is open.
    pub fn import_preview(&self) -> Option<&ImportPreview> {
        self.import.as_ref().map(ImportView::preview)
    }

    pub(super) fn open(&mut self, path: &Path) {
        match crate::io::load(path) {
            Ok(scenario) => {
                self.prefs.remember(path.to_owned());
                self.replace_document(Document::new(scenario, Some(path.to_owned())));
            }
            // The open scenario stays as it was.
            Err(error) => self.dialogs.error(error.to_string()),
        }
    }

    pub(super) fn save(&mut self, path: &Path) {
        match self.document.save_as(path) {
            Ok(()) => {
                self.prefs.remember(path.to_owned());
                self.dialogs.after_save(path);
            }
            Err(error) => self.dialogs.error(error.to_string()),
        }
    }

    /// Writes every solved year's results (see [`crate::export`]) as CSV files into a
    /// folder, or as a workbook, with price pressure against the reference.
    pub(super) fn export_results(&mut self, path: &Path, workbook: bool) {
        let ledger = self.session.ledger();
        let solution = Solution {
            scenario: self.document.scenario().meta.name.clone(),
            years: ledger.results().years.values().cloned().collect(),
            total_solve_ms: 0.0,
        };
        let tables = crate::export::tables(&solution, ledger.reference());
        let written = if workbook {
            crate::export::write_xlsx(path, &tables).map(|()| path.display().to_string())
        } else {
            crate::export::write_csv_folder(path, &tables)
                .map(|paths| format!("{} CSV files in {}", paths.len(), path.display()))
        };
        match written {
            Ok(what) => self
                .dialogs
                .info(format!("Wrote {what} ({} years)", solution.years.len())),
            Err(error) => self.dialogs.error(error.to_string()),
        }
    }

    /// Writes the open scenario's tables (see [`crate::scenario_tables`]).
    pub(super) fn export_scenario_tables(&mut self, location: &TablesLocation) {
        match crate::scenario_tables::export_tables(self.document.scenario(), location) {
            Ok(paths) => self.dialogs.info(match location {
                TablesLocation::CsvFolder(folder) => {
                    format!("Wrote {} CSV tables in {}", paths.len(), folder.display())
                }
                TablesLocation::Xlsx(path) => format!("Wrote {}", path.display()),
            }),
            Err(error) => self.dialogs.error(error.to_string()),
        }
    }

    /// Reads tables and shows what importing them would change.
    pub(super) fn preview_import(&mut self, location: TablesLocation) {
        match ImportView::read(self.document.scenario(), location) {
            Ok(view) => self.import = Some(view),
            Err(message) => self.dialogs.error(message),
        }
    }

    /// Merges the previewed tables into the scenario as one undo step.
    pub(super) fn apply_import(&mut self) {
        let Some(view) = self.import.take() else {
            return;
        };
        match view.merged(self.document.scenario()) {
            Ok((scenario, label)) => {
                self.document.replace_scenario(scenario, &label);
            }
            Err(message) => self.dialogs.error(message),
        }
    }

    /// Everything the view on screen shows, as the user sees it (pan, zoom, sort), owned
    /// so that an export can draw it on another thread.
    pub fn view_data_for_export(&self) -> ViewData {
        let ledger = self.session.ledger();
        ViewData {
            scenario: self.document.scenario().clone(),
            results: ledger.results().clone(),
            reference: ledger.reference().cloned(),
            reference_scenario: self.reference_scenario.clone(),
            year: self.year,
            selection: self.selection.clone(),
            prefs: self.prefs.clone(),
            map_camera: self.map.camera(),
            table_sort: self.table.sort(),
            backtest: ledger.backtest().clone(),
            uncertainty: self.uncertainty.shown(),
            revision: self.document.revision(),
        }
    }

    /// The scenario as a slide's file name knows it: its file's name without ".ron", or,
    /// never saved, its name.
    fn scenario_file_stem(&self) -> String {
        self.document
            .path()
            .and_then(|p| p.file_stem())
            .map_or_else(
                || self.document.scenario().meta.name.clone(),
                |stem| stem.to_string_lossy().into_owned(),
            )
    }

    /// "in-force-2026_map_2027.png": what a PNG export of the view on screen proposes.
    pub(super) fn proposed_png_name(&self) -> String {
        proposed_file_name(&self.scenario_file_stem(), self.prefs.tab, self.year)
    }

    /// Draws the centre view as a slide (see [`png_export::write_slide_png`]) on a named
    /// thread and writes it as PNG; the result is reported when it arrives (see
    /// [`Self::take_png_export_report`]).
    pub(super) fn export_png(&mut self, path: PathBuf, size: SlideSize) {
        let data = self.view_data_for_export();
        let tab = self.prefs.tab;
        self.spawn_export(move || {
            png_export::write_slide_png(&data, tab, size, &path)
                .map(|(w, h)| format!("Wrote {} ({w} x {h} pixels)", path.display()))
        });
    }

    /// Writes a slide per view for each year asked for, on a named thread.
    pub(super) fn export_deck(&mut self, request: DeckRequest) {
        let data = self.view_data_for_export();
        let name = self.scenario_file_stem();
        self.spawn_export(move || {
            let DeckRequest {
                folder,
                years,
                size,
            } = request;
            png_export::write_deck(&data, &years, size, &folder, &name)
                .map(|paths| format!("Wrote {} files in {}", paths.len(), folder.display()))
        });
    }

    /// Runs an image export on its own thread; its message lands in `self.png_export`.
    fn spawn_export(&mut self, export: impl FnOnce() -> Result<String, String> + Send + 'static) {
        let (sender, receiver) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("rareflow-png-export".to_owned())
            .spawn(move || {
                let _ = sender.send(export());
            });
        match spawned {
            Ok(_) => self.png_export = Some(receiver),
            Err(error) => self
                .dialogs
                .error(format!("the export could not start: {error}")),
        }
    }

    /// Shows the report of a finished PNG export; while one runs, looks again soon.
    pub(super) fn take_png_export_report(&mut self, ctx: &egui::Context) {
        let Some(receiver) = &self.png_export else {
            return;
        };
        match receiver.try_recv() {
            Ok(Ok(message)) => {
                self.dialogs.info(message);
                self.png_export = None;
            }
            Ok(Err(message)) => {
                self.dialogs.error(message);
                self.png_export = None;
            }
            Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
            Err(TryRecvError::Disconnected) => self.png_export = None,
        }
    }
}
