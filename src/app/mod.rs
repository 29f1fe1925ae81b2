//! The desktop app (feature `gui`).
//!
//! The app owns a [`Document`] (scenario, file, undo history) and a [`SolveWorker`]. Each
//! frame it takes the worker's results, draws the panels — which only read a [`ViewCtx`]
//! and push [`Command`]s — and then applies the commands in one place. Any change to the
//! document sends the newest scenario to the worker; no frame waits for the solver.
//!
//! | file | panel |
//! |---|---|
//! | `menu_bar.rs` | File, Edit, View, Help |
//! | `scenario_panel.rs` | left: policies by kind with switches, countries with their nodes |
//! | `inspector.rs` | right: the selected node, country or policy, with sliders |
//! | `map_view.rs`, `flows_view.rs`, `charts_view.rs`, `table_view.rs` | the centre tabs |
//! | `year_bar.rs`, `status_bar.rs` | the year slider; solve status and file |
//! | `dialogs.rs`, `file_dialogs.rs` | unsaved changes, errors, About; native file dialogs |

mod amount_input;
mod charts_view;
pub mod commands;
mod compare_view;
mod dialogs;
mod file_dialogs;
mod flows_view;
mod inspector;
mod map_view;
mod menu_bar;
mod palette;
pub mod png_export;
mod scenario_panel;
pub mod solve_worker;
pub mod state;
mod status_bar;
mod table_view;
mod year_bar;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use commands::{Command, ReferenceChoice, SHORTCUTS};
use dialogs::{Dialogs, Pending};
use solve_worker::{SolveEvent, SolveRequest, SolveWorker};
use state::{Results, Selection, Tab, UiPrefs};

use crate::document::Document;
use crate::model::Scenario;
use crate::solver::{Solution, YearSolution};

/// Opens the window on `file`, or on the built-in baseline.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let baseline = match crate::baseline() {
        Ok(baseline) => baseline,
        Err(error) => {
            eprintln!("the built-in baseline does not load: {error}");
            return ExitCode::FAILURE;
        }
    };
    let document = match &file {
        Some(path) => match crate::io::load(path) {
            Ok(scenario) => Document::new(scenario, Some(path.clone())),
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        },
        None => Document::built_in(baseline.clone()),
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("rareflow")
            .with_inner_size([1500.0, 920.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "rareflow",
        options,
        Box::new(move |creation| {
            let prefs: UiPrefs = creation
                .storage
                .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
                .unwrap_or_default();
            Ok(Box::new(RareflowApp::new(
                &creation.egui_ctx,
                document,
                baseline,
                prefs,
                true,
            )))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rareflow could not open its window: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What panels read: the document, the results and the view.
pub struct ViewCtx<'a> {
    pub scenario: &'a Scenario,
    pub results: &'a Results,
    pub reference: Option<&'a Solution>,
    /// The scenario the reference solution is of.
    pub reference_scenario: &'a Scenario,
    pub year: i32,
    pub selection: &'a Selection,
    pub prefs: &'a UiPrefs,
    /// How many validation problems the scenario has.
    pub problems: usize,
}

impl ViewCtx<'_> {
    /// The solution of the year on screen, if it has arrived.
    pub fn year_solution(&self) -> Option<&YearSolution> {
        self.results.years.get(&self.year)
    }

    pub fn reference_year(&self) -> Option<&YearSolution> {
        self.reference.and_then(|r| r.year(self.year))
    }

    /// Price in this scenario over the reference's, minus 1.
    pub fn price_pressure(&self, region: &str, commodity: &str) -> Option<f64> {
        let price = self
            .year_solution()?
            .market(region, commodity)?
            .price_usd_per_kg;
        let reference = self
            .reference_year()?
            .market(region, commodity)?
            .price_usd_per_kg;
        (reference > 0.0).then(|| price / reference - 1.0)
    }

    pub fn commodity_name(&self, id: &str) -> String {
        self.scenario
            .commodity(id)
            .map_or_else(|| id.to_owned(), |c| c.name.clone())
    }

    pub fn country_name(&self, iso3: &str) -> String {
        self.scenario
            .country(iso3)
            .map_or_else(|| iso3.to_owned(), |c| c.name.clone())
    }
}

/// Seconds each year stays on screen while the timeline plays.
const PLAY_SECONDS_PER_YEAR: f64 = 1.2;
/// Text and widgets grow by this much in presentation mode.
const PRESENTATION_ZOOM: f32 = 1.35;

/// The title line of presentation mode (scenario, commodity, year, reference) and, at the
/// bottom, the keys that work there.
fn presentation_title(ui: &mut egui::Ui, view: &ViewCtx<'_>) {
    egui::Panel::top("presentation title").show(ui, |ui| {
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!(
                    "{}: {}, {}, compared with {}",
                    view.scenario.meta.name,
                    view.commodity_name(&view.prefs.commodity),
                    view.year,
                    view.reference_scenario.meta.name
                ))
                .heading(),
            )
            .wrap(),
        );
    });
    egui::Panel::bottom("presentation keys").show(ui, |ui| {
        ui.label(
            egui::RichText::new("Left/Right arrows: year    Esc or F11: leave presentation")
                .small(),
        );
    });
}

/// The application.
pub struct RareflowApp {
    document: Document,
    worker: SolveWorker,
    results: Results,
    reference: Option<Solution>,
    reference_scenario: Scenario,
    prefs: UiPrefs,
    year: i32,
    selection: Selection,
    commands: Vec<Command>,
    dialogs: Dialogs,
    files: file_dialogs::FileDialogs,
    map: map_view::MapView,
    table: table_view::TableView,
    requested_revision: Option<u64>,
    /// Size of the centre view last frame (points): what a PNG export draws.
    view_size: egui::Vec2,
    /// A PNG export running on its own thread reports here.
    png_export: Option<std::sync::mpsc::Receiver<Result<String, String>>>,
    /// While the timeline plays: when the year last moved (egui time, seconds).
    playing_since: Option<f64>,
    presenting: bool,
    /// Validation problems of the scenario, by revision (computed when it changes).
    problems: (u64, usize),
    /// Time the UI spent on the last frame (not counting the solver), for the status bar.
    last_frame_ms: f64,
}

impl RareflowApp {
    /// `native_dialogs`: use the desktop's file dialogs (tests pass false and type paths).
    pub fn new(
        ctx: &egui::Context,
        document: Document,
        reference: Scenario,
        prefs: UiPrefs,
        native_dialogs: bool,
    ) -> Self {
        let wake_ctx = ctx.clone();
        let worker = SolveWorker::start(Arc::new(reference.clone()), move || {
            wake_ctx.request_repaint()
        });
        ctx.set_theme(if prefs.dark_mode {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        palette::install_style(ctx);
        let year = document
            .scenario()
            .meta
            .base_year
            .max(2026)
            .min(document.scenario().meta.last_year);
        let mut app = Self {
            document,
            worker,
            results: Results::default(),
            reference: None,
            reference_scenario: reference,
            prefs,
            year,
            selection: Selection::Nothing,
            commands: Vec::new(),
            dialogs: Dialogs::default(),
            files: file_dialogs::FileDialogs::new(native_dialogs),
            map: map_view::MapView::default(),
            table: table_view::TableView::default(),
            requested_revision: None,
            problems: (u64::MAX, 0),
            view_size: egui::vec2(1000.0, 640.0),
            png_export: None,
            playing_since: None,
            presenting: false,
            last_frame_ms: 0.0,
        };
        app.request_solve();
        app
    }

    pub fn document(&self) -> &Document {
        &self.document
    }

    pub fn results(&self) -> &Results {
        &self.results
    }

    pub fn reference(&self) -> Option<&Solution> {
        self.reference.as_ref()
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    pub fn tab(&self) -> Tab {
        self.prefs.tab
    }

    pub fn is_playing(&self) -> bool {
        self.playing_since.is_some()
    }

    pub fn is_presenting(&self) -> bool {
        self.presenting
    }

    /// The message shown to the user, if any (errors of opening or saving).
    pub fn notice(&self) -> Option<&str> {
        self.dialogs.notice()
    }

    pub fn last_frame_ms(&self) -> f64 {
        self.last_frame_ms
    }

    /// Queues a command as a menu or panel would.
    pub fn push_command(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Waits until the worker has sent the reference and every year of the current
    /// revision (tests, benchmarks). False on timeout.
    pub fn wait_until_solved(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            self.request_solve();
            if self.reference.is_some()
                && self.results.complete
                && Some(self.results.revision) == self.requested_revision
            {
                return true;
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            if let Some(event) = self.worker.wait(left) {
                self.take_event(event);
            }
        }
    }

    fn request_solve(&mut self) {
        let revision = self.document.revision();
        if self.requested_revision == Some(revision) {
            return;
        }
        self.requested_revision = Some(revision);
        self.worker.request(SolveRequest {
            revision,
            scenario: Arc::new(self.document.scenario().clone()),
            year_on_screen: self.year,
        });
    }

    fn take_event(&mut self, event: SolveEvent) {
        match event {
            SolveEvent::Reference(solution) => self.reference = Some(solution),
            SolveEvent::Year { revision, year } => {
                if revision != self.results.revision {
                    // A new revision's first year: keep the older years on screen until
                    // the horizon arrives, so charts do not flicker.
                    self.results.revision = revision;
                    self.results.complete = false;
                }
                self.results.error = None;
                self.results.years.insert(year.year, year);
            }
            SolveEvent::Horizon { revision, solution } => {
                self.results.revision = revision;
                self.results.years = solution.years.into_iter().map(|y| (y.year, y)).collect();
                self.results.complete = true;
                self.results.error = None;
            }
            SolveEvent::Failed { revision, message } => {
                self.results.revision = revision;
                self.results.complete = true;
                self.results.error = Some(message);
            }
        }
    }

    /// Draws one frame into `ui` (the whole window) and applies what it asked for.
    pub fn ui_frame(&mut self, ui: &mut egui::Ui) {
        let started = Instant::now();
        for event in self.worker.poll() {
            self.take_event(event);
        }
        self.read_input(ui);
        if self.problems.0 != self.document.revision() {
            self.problems = (
                self.document.revision(),
                crate::model::validate(self.document.scenario()).len(),
            );
        }
        let ctx = ViewCtx {
            scenario: self.document.scenario(),
            results: &self.results,
            reference: self.reference.as_ref(),
            reference_scenario: &self.reference_scenario,
            year: self.year,
            selection: &self.selection,
            prefs: &self.prefs,
            problems: self.problems.1,
        };
        let commands = &mut self.commands;
        let presenting = self.presenting;
        if presenting {
            presentation_title(ui, &ctx);
        } else {
            menu_bar::show(ui, &ctx, &self.document, commands);
            status_bar::show(ui, &ctx, &self.document, self.last_frame_ms, commands);
            year_bar::show(ui, &ctx, self.playing_since.is_some(), commands);
            egui::Panel::left("scenario")
                .resizable(true)
                .default_size(330.0)
                .max_size(480.0)
                .show(ui, |ui| scenario_panel::show(ui, &ctx, commands));
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(340.0)
                .max_size(520.0)
                .show(ui, |ui| inspector::show(ui, &ctx, commands));
        }
        let mut view_size = self.view_size;
        egui::CentralPanel::default().show(ui, |ui| {
            if !presenting {
                ui.horizontal(|ui| {
                    for tab in Tab::ALL {
                        if ui
                            .selectable_label(ctx.prefs.tab == tab, tab.label())
                            .clicked()
                        {
                            commands.push(Command::SetTab(tab));
                        }
                    }
                });
                ui.separator();
            }
            view_size = ui.available_size();
            match ctx.prefs.tab {
                Tab::Map => self.map.show(ui, &ctx, commands),
                Tab::Flows => flows_view::show(ui, &ctx, commands),
                Tab::Charts => charts_view::show(ui, &ctx, commands),
                Tab::Table => self.table.show(ui, &ctx, commands),
                Tab::Compare => compare_view::show(ui, &ctx, commands),
            }
        });
        self.dialogs.show(ui.ctx(), &ctx, &self.document, commands);
        // The title line of an exported image takes a little room of its own.
        self.view_size = view_size + egui::vec2(0.0, 40.0);
        if let Some(command) = self.files.show(ui.ctx()) {
            self.commands.push(command);
        }
        self.advance_playback(ui);
        if let Some(receiver) = &self.png_export {
            match receiver.try_recv() {
                Ok(Ok(message)) => {
                    self.dialogs.info(message);
                    self.png_export = None;
                }
                Ok(Err(message)) => {
                    self.dialogs.error(message);
                    self.png_export = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    ui.ctx().request_repaint_after(Duration::from_millis(100))
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.png_export = None,
            }
        }
        // A slider drag ends when the pointer is released.
        if !ui.input(|i| i.pointer.any_down()) {
            self.document.end_merge();
        }
        let queued = std::mem::take(&mut self.commands);
        for command in queued {
            self.apply_command(command, ui.ctx());
        }
        if let Some(pending) = self.dialogs.take_confirmed() {
            // The user saved or chose not to: do what was asked.
            let command = match pending {
                Pending::New => Command::NewScenario,
                Pending::Open => Command::Open,
                Pending::OpenPath(path) => Command::OpenPath(path),
                Pending::Quit => Command::Quit,
            };
            self.apply_command(command, ui.ctx());
        }
        self.request_solve();
        self.last_frame_ms = started.elapsed().as_secs_f64() * 1e3;
    }

    /// While playing, moves to the next year every [`PLAY_SECONDS_PER_YEAR`]; stops at the
    /// last year.
    fn advance_playback(&mut self, ui: &egui::Ui) {
        let Some(since) = self.playing_since else {
            return;
        };
        let now = ui.input(|i| i.time);
        if now - since >= PLAY_SECONDS_PER_YEAR {
            if self.year >= self.document.scenario().meta.last_year {
                self.playing_since = None;
                return;
            }
            self.commands.push(Command::StepYear(1));
            self.playing_since = Some(now);
        }
        ui.ctx()
            .request_repaint_after(Duration::from_secs_f64(PLAY_SECONDS_PER_YEAR / 4.0));
    }

    fn read_input(&mut self, ui: &mut egui::Ui) {
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F11))
            || (self.presenting
                && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)))
        {
            self.commands.push(Command::TogglePresentation);
        }
        if self.presenting || !ui.ctx().egui_wants_keyboard_input() {
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowRight)) {
                self.commands.push(Command::StepYear(1));
            }
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowLeft)) {
                self.commands.push(Command::StepYear(-1));
            }
        }
        for (shortcut, command) in SHORTCUTS {
            if ui.input_mut(|i| i.consume_shortcut(shortcut)) {
                self.commands.push(command.command());
            }
        }
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for path in dropped {
            if path.extension().is_some_and(|e| e == "ron") {
                self.commands.push(Command::OpenPath(path));
            }
        }
        if ui.input(|i| i.viewport().close_requested())
            && self.document.is_dirty()
            && !self.dialogs.quitting()
        {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialogs.ask(Pending::Quit, &self.document);
        }
    }

    /// Carries out one command.
    pub fn apply_command(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::NewScenario => {
                self.unless_unsaved(Pending::New, |app| match crate::baseline() {
                    Ok(baseline) => app.replace_document(Document::new(baseline, None)),
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
            Command::ExportCsvPath(path) => self.export(&path, false),
            Command::ExportXlsx => self.files.pick_export_xlsx(),
            Command::ExportPng => self.files.pick_export_png(),
            Command::ExportPngPath(path) => self.export_png(path),
            Command::ExportXlsxPath(path) => self.export(&path, true),
            Command::Undo => {
                self.document.undo();
            }
            Command::Redo => {
                self.document.redo();
            }
            Command::Apply { edit, merge } => {
                if let Err(error) = self.document.apply(&edit, merge) {
                    self.dialogs
                        .error(format!("{}: {error}", edit.label(self.document.scenario())));
                }
            }
            Command::EndMerge => self.document.end_merge(),
            Command::SetYear(year) => {
                let meta = &self.document.scenario().meta;
                self.year = year.clamp(meta.first_year, meta.last_year);
            }
            Command::StepYear(delta) => {
                let meta = &self.document.scenario().meta;
                self.year = (self.year + delta).clamp(meta.first_year, meta.last_year);
            }
            Command::TogglePlay => {
                if self.playing_since.is_some() {
                    self.playing_since = None;
                } else {
                    let meta = &self.document.scenario().meta;
                    if self.year >= meta.last_year {
                        self.year = meta.first_year;
                    }
                    self.playing_since = Some(ctx.input(|i| i.time));
                }
            }
            Command::TogglePresentation => {
                self.presenting = !self.presenting;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.presenting));
                ctx.set_zoom_factor(if self.presenting {
                    PRESENTATION_ZOOM
                } else {
                    1.0
                });
            }
            Command::Select(selection) => self.selection = selection,
            Command::SetTab(tab) => self.prefs.tab = tab,
            Command::SetCommodity(commodity) => self.prefs.commodity = commodity,
            Command::SetMapMetric(metric) => self.prefs.map_metric = metric,
            Command::SetChartRegion(region) => self.prefs.chart_region = region,
            Command::ChooseReferenceFile => self.files.pick_reference(),
            Command::SetReference(choice) => self.set_reference(choice),
            Command::ToggleTheme => {
                self.prefs.dark_mode = !self.prefs.dark_mode;
                ctx.set_theme(if self.prefs.dark_mode {
                    egui::Theme::Dark
                } else {
                    egui::Theme::Light
                });
            }
            Command::ShowAbout => self.dialogs.show_about(),
            Command::Quit => self.unless_unsaved(Pending::Quit, |app| {
                app.dialogs.set_quitting();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }),
        }
    }

    /// Runs `then` now, or — with unsaved changes — after the user agreed to drop them.
    fn unless_unsaved(&mut self, pending: Pending, then: impl FnOnce(&mut Self)) {
        if self.document.is_dirty() && !self.dialogs.take_discard_agreed(&pending) {
            self.dialogs.ask(pending, &self.document);
        } else {
            then(self);
        }
    }

    fn open(&mut self, path: &Path) {
        match crate::io::load(path) {
            Ok(scenario) => {
                self.prefs.remember(path.to_owned());
                self.replace_document(Document::new(scenario, Some(path.to_owned())));
            }
            // The open scenario stays as it was.
            Err(error) => self.dialogs.error(error.to_string()),
        }
    }

    fn save(&mut self, path: &Path) {
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
    fn export(&mut self, path: &Path, workbook: bool) {
        let solution = Solution {
            scenario: self.document.scenario().meta.name.clone(),
            years: self.results.years.values().cloned().collect(),
            total_solve_ms: 0.0,
        };
        let tables = crate::export::tables(&solution, self.reference.as_ref());
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
                self.worker.set_reference(Arc::new(scenario.clone()));
                self.reference_scenario = scenario;
                self.reference = None;
            }
            // The reference stays as it was.
            Err(message) => self.dialogs.error(message),
        }
    }

    pub fn reference_scenario(&self) -> &Scenario {
        &self.reference_scenario
    }

    /// Draws the centre view offscreen at 2x on a named thread and writes it as PNG; the
    /// result is reported when it arrives.
    fn export_png(&mut self, path: PathBuf) {
        let data = png_export::ViewData {
            scenario: self.document.scenario().clone(),
            results: self.results.clone(),
            reference: self.reference.clone(),
            reference_scenario: self.reference_scenario.clone(),
            year: self.year,
            selection: self.selection.clone(),
            prefs: self.prefs.clone(),
        };
        let (tab, size) = (self.prefs.tab, self.view_size);
        let (sender, receiver) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("rareflow-png-export".to_owned())
            .spawn(move || {
                let result = png_export::write_view_png(&data, tab, size, &path)
                    .map(|(w, h)| format!("Wrote {} ({w} x {h} pixels)", path.display()));
                let _ = sender.send(result);
            });
        match spawned {
            Ok(_) => self.png_export = Some(receiver),
            Err(error) => self
                .dialogs
                .error(format!("the export could not start: {error}")),
        }
    }

    fn replace_document(&mut self, document: Document) {
        let meta = &document.scenario().meta;
        self.year = self.year.clamp(meta.first_year, meta.last_year);
        self.document = document;
        // Revisions start again at 0 in a new document.
        self.problems = (u64::MAX, 0);
        self.selection = Selection::Nothing;
        self.results = Results::default();
        self.requested_revision = None;
        self.request_solve();
    }
}

impl eframe::App for RareflowApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}
