//! Carrying out [`Command`]s: the one place where the document, the view and the solve
//! session change in answer to the user.

use std::path::Path;
use std::sync::Arc;

use super::RareflowApp;
use super::commands::{Command, ReferenceChoice};
use super::dialogs::Pending;
use super::slide::SlideSize;
use super::state::Selection;
use crate::document::Document;
use crate::model::Edit;

impl RareflowApp {
    /// Carries out one command.
    pub(super) fn apply_command(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::NewScenario => {
                self.unless_unsaved(Pending::New, |app| match crate::baseline() {
                    // Nothing to save until it is edited, like the baseline at start.
                    Ok(baseline) => app.replace_document(Document::built_in(baseline)),
                    Err(error) => app.dialogs.error(error.to_string()),
                })
            }
            Command::Open => self.unless_unsaved(Pending::Open, |app| app.files.pick_open()),
            Command::OpenPath(path) => {
                self.unless_unsaved(Pending::OpenPath(path.clone()), |app| app.open(&path))
            }
            Command::Save => match self.document.path().map(Path::to_owned) {
                Some(path) => self.save(&path),
                None => self.files.pick_save(),
            },
            Command::SaveAs => self.files.pick_save(),
            Command::SaveAsPath(path) => self.save(&path),
            Command::ExportCsv => self.files.pick_export_csv(),
            Command::ExportCsvPath(path) => self.export_results(&path, false),
            Command::ExportXlsx => self.files.pick_export_xlsx(),
            Command::ExportXlsxPath(path) => self.export_results(&path, true),
            Command::ImportTables { xlsx } => self.files.pick_tables(true, xlsx),
            Command::ImportTablesFrom(location) => self.preview_import(location),
            Command::ApplyImport => self.apply_import(),
            Command::CancelImport => self.import = None,
            Command::ExportScenarioTables { xlsx } => self.files.pick_tables(false, xlsx),
            Command::ExportScenarioTablesTo(location) => self.export_scenario_tables(&location),
            Command::ExportPng => self
                .files
                .pick_export_png(self.proposed_png_name(), SlideSize::FullHd),
            Command::ExportPng2x => self
                .files
                .pick_export_png(self.proposed_png_name(), SlideSize::Double),
            Command::ExportPngPath(path) => self.export_png(path, self.files.png_size()),
            Command::ExportDeck => {
                let meta = &self.document.scenario().meta;
                let horizon = (meta.first_year, meta.last_year);
                self.files.open_deck(self.year, horizon);
            }
            Command::ExportDeckTo(request) => self.export_deck(request),
            Command::Undo => {
                self.document.undo();
            }
            Command::Redo => {
                self.document.redo();
            }
            Command::Apply { edit, merge } => match self.document.apply(&edit, merge) {
                Ok(_) => self.select_what_was_made(&edit),
                Err(error) => self
                    .dialogs
                    .error(format!("{}: {error}", edit.label(self.document.scenario()))),
            },
            Command::OpenForm(request) => self.forms.open(request, self.document.scenario()),
            Command::SetYear(year) => self.set_year(year),
            Command::StepYear(delta) => self.set_year(self.year + delta),
            Command::TogglePlay => {
                let meta = &self.document.scenario().meta;
                if !self.timeline.is_playing() && self.year >= meta.last_year {
                    self.year = meta.first_year;
                }
                self.timeline.toggle_play(ctx.input(|i| i.time));
            }
            Command::TogglePresentation => self.timeline.toggle_presentation(ctx),
            Command::Select(selection) => self.selection = selection,
            Command::SetTab(tab) => self.prefs.tab = tab,
            Command::SetCommodity(commodity) => self.prefs.commodity = commodity,
            Command::SetMapMetric(metric) => self.prefs.map_metric = metric,
            Command::SetChartRegion(region) => self.prefs.chart_region = region,
            Command::ChooseReferenceFile => self.files.pick_reference(),
            Command::SetReference(choice) => self.set_reference(choice),
            Command::ToggleTheme => {
                self.prefs.dark_mode = !self.prefs.dark_mode;
                ctx.set_theme(self.prefs.theme());
            }
            Command::ShowAbout => self.dialogs.show_about(),
            Command::Quit => self.unless_unsaved(Pending::Quit, |app| {
                app.dialogs.set_quitting();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }),
        }
    }

    /// After an edit that adds or deletes an item, the inspector shows what is now there.
    fn select_what_was_made(&mut self, edit: &Edit) {
        match edit {
            Edit::PutNode(node) => self.selection = Selection::Node(node.id.clone()),
            Edit::PutPolicy(policy) => self.selection = Selection::Policy(policy.id.clone()),
            Edit::RemoveNode { .. } | Edit::RemovePolicy { .. } => {
                self.selection = Selection::Nothing;
            }
            _ => {}
        }
    }

    /// Shows `year`, kept within the scenario's horizon.
    fn set_year(&mut self, year: i32) {
        let meta = &self.document.scenario().meta;
        self.year = year.clamp(meta.first_year, meta.last_year);
    }

    /// Runs `then` now, or — with unsaved changes — after the user agreed to drop them.
    fn unless_unsaved(&mut self, pending: Pending, then: impl FnOnce(&mut Self)) {
        let revision = self.document.revision();
        if self.document.is_dirty() && !self.dialogs.take_discard_agreed(&pending, revision) {
            self.dialogs.ask(pending);
        } else {
            then(self);
        }
    }

    /// Makes `choice` the scenario everything is compared with; its solution follows.
    fn set_reference(&mut self, choice: ReferenceChoice) {
        let scenario = match choice {
            ReferenceChoice::BuiltIn => crate::baseline().map_err(|e| e.to_string()),
            ReferenceChoice::Snapshot => {
                let mut snapshot = self.document.scenario().clone();
                snapshot.meta.name = format!("{} (as it was)", snapshot.meta.name);
                Ok(snapshot)
            }
            ReferenceChoice::File(path) => crate::io::load(&path).map_err(|e| e.to_string()),
        };
        match scenario {
            Ok(scenario) => {
                self.session.set_reference(Arc::new(scenario.clone()));
                self.reference_scenario = scenario;
            }
            // The reference stays as it was.
            Err(message) => self.dialogs.error(message),
        }
    }

    /// Puts `document` in place of the open one: its results are solved afresh.
    pub(super) fn replace_document(&mut self, document: Document) {
        let meta = &document.scenario().meta;
        self.year = self.year.clamp(meta.first_year, meta.last_year);
        self.document = document;
        self.selection = Selection::Nothing;
        self.session.forget_results();
        self.request_solve();
    }
}
