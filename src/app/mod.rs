//! The desktop app (feature `gui`).
//!
//! The app owns a [`Document`] (scenario, file, undo history) and a [`SolveSession`]
//! (the solve worker and the bookkeeping of its answers). Each frame it takes the
//! session's answers, draws the panels — which only read a `ViewCtx` and push
//! [`Command`]s — and then applies the commands in one place. Any change to the document
//! sends the newest scenario to the worker; no frame waits for the solver.
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | the app: its state and one frame |
//! | `command_handling.rs` | carrying out commands |
//! | `commands.rs` | the command enum and keyboard shortcuts |
//! | `input.rs` | keys, shortcuts, dropped files, the close button |
//! | `timeline.rs` | playing the years; presentation mode |
//! | `file_actions.rs` | open, save, export results and the view |
//! | `view_ctx.rs`, `state.rs` | what panels read; preferences and selection |
//! | `menu_bar.rs` | File, Edit, View, Help |
//! | `scenario_panel.rs` | left: policies by kind with switches, countries with their nodes |
//! | `inspector.rs` (+ `inspector_editors.rs`, `amount_input.rs`) | right: the selected node, country or policy |
//! | `map_view.rs` (+ `map_geometry.rs`, `map_legend.rs`), `flows_view.rs` (+ `sankey_build.rs`, `flow_change.rs`), `charts_view.rs`, `table_view.rs` (+ `frozen_table.rs`), `compare_view.rs`, `backtest_view.rs` | the centre tabs |
//! | `year_bar.rs`, `status_bar.rs` | the year slider; solve status and file |
//! | `dialogs.rs`, `file_dialogs.rs` | unsaved changes, errors, About; file dialogs |
//! | `import_view.rs` | the preview of an import of scenario tables, Apply or Cancel |
//! | `png_export.rs`, `palette.rs` | the view as PNG; colours and text sizes |
//! | `recovery_view.rs` | autosave; the offer to restore what a crash left |
//! | `uncertainty_view.rs` (+ `uncertainty_charts.rs`, `sweep_job.rs`, `range_form.rs`) | how sure are we: ranges, sweeps off the UI thread, fan chart, histogram, tornado |
//! | `window_focus.rs` | the keyboard for the window when it opens |

mod amount_input;
mod backtest_view;
mod chart_key;
mod charts_view;
mod command_handling;
pub mod commands;
mod compare_view;
mod deck_dialog;
mod dialogs;
mod file_actions;
mod file_dialogs;
mod flow_change;
mod flows_view;
mod form_rows;
mod forms;
mod frozen_table;
mod import_view;
mod input;
mod inspector;
mod inspector_editors;
mod map_geometry;
mod map_labels;
mod map_layout;
mod map_legend;
mod map_ranking;
mod map_regions;
mod map_view;
mod menu_bar;
mod node_form;
mod palette;
mod plant_compare_view;
pub mod png_export;
mod policy_form;
mod policy_terms;
mod problems_view;
mod range_form;
mod recovery_view;
mod sankey_build;
mod scenario_panel;
pub mod slide;
pub mod state;
mod status_bar;
mod sweep_job;
mod table_view;
mod timeline;
mod toast;
mod trade_form;
mod uncertainty_charts;
pub mod uncertainty_view;
mod view_ctx;
mod window_focus;
mod year_bar;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use commands::Command;
use dialogs::{Dialogs, Pending};
use state::{Selection, Tab, UiPrefs};
use timeline::Timeline;
use view_ctx::ViewCtx;

use crate::document::Document;
use crate::model::Scenario;
use crate::solve_session::{BacktestState, Results, SolveSession};
use crate::solver::Solution;

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
        renderer: window_renderer(),
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
            let app = RareflowApp::new(&creation.egui_ctx, document, baseline, prefs, true);
            Ok(Box::new(
                app.with_recovery(crate::recovery::default_dir().as_deref()),
            ))
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

/// The window's renderer: OpenGL (glow) unless `RAREFLOW_RENDERER=wgpu`.
///
/// Measured under Xvfb with software rendering (`benches/startup.sh`): glow shows the first
/// frame in about half the time wgpu takes and holds ~20 MB less resident memory, because
/// wgpu creates a Vulkan instance and probes every installed driver before the first frame.
/// wgpu stays in the binary (PNG exports render with it) and can be chosen for the window
/// where a machine's OpenGL is broken.
fn window_renderer() -> eframe::Renderer {
    match std::env::var("RAREFLOW_RENDERER").as_deref() {
        Ok("wgpu") => eframe::Renderer::Wgpu,
        _ => eframe::Renderer::Glow,
    }
}

/// The application.
pub struct RareflowApp {
    document: Document,
    session: SolveSession,
    /// The scenario the reference solution is (or is being) solved from.
    reference_scenario: Scenario,
    prefs: UiPrefs,
    year: i32,
    selection: Selection,
    commands: Vec<Command>,
    dialogs: Dialogs,
    /// The open what-if forms (add a plant, a policy, demand, the scenario's name).
    forms: forms::Forms,
    files: file_dialogs::FileDialogs,
    map: map_view::MapView,
    table: table_view::TableView,
    timeline: Timeline,
    /// Size of the centre view last frame (points): what a PNG export draws.
    view_size: egui::Vec2,
    png_export: Option<png_export::PngExportReport>,
    /// The preview of an import of tables, while its window is open.
    import: Option<import_view::ImportView>,
    /// Validation problems of the scenario, by revision (computed when it changes).
    problems: (u64, usize),
    /// Time the UI spent on the last frame (not counting the solver), for the status bar.
    last_frame_ms: f64,
    /// Asks for the keyboard when the window opens, so shortcuts work without a click.
    window_focus: window_focus::WindowFocus,
    /// Autosave and the offer to restore what a crash left (off unless `with_recovery`).
    recovery: recovery_view::RecoveryView,
    /// Sweeps and tornados over the scenario's ranges, and their last results.
    uncertainty: uncertainty_view::UncertaintyView,
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
        let session = SolveSession::start(Arc::new(reference.clone()), move || {
            wake_ctx.request_repaint()
        });
        ctx.set_theme(prefs.theme());
        palette::install_style(ctx);
        let meta = &document.scenario().meta;
        let year = meta.base_year.max(2026).min(meta.last_year);
        let mut app = Self {
            document,
            session,
            reference_scenario: reference,
            prefs,
            year,
            selection: Selection::Nothing,
            commands: Vec::new(),
            dialogs: Dialogs::default(),
            forms: forms::Forms::default(),
            files: file_dialogs::FileDialogs::new(native_dialogs),
            map: map_view::MapView::default(),
            table: table_view::TableView::default(),
            timeline: Timeline::default(),
            view_size: egui::vec2(1000.0, 640.0),
            png_export: None,
            import: None,
            problems: (u64::MAX, 0),
            last_frame_ms: 0.0,
            window_focus: window_focus::WindowFocus::default(),
            recovery: recovery_view::RecoveryView::default(),
            uncertainty: uncertainty_view::UncertaintyView::default(),
        };
        app.request_solve();
        app
    }

    pub fn document(&self) -> &Document {
        &self.document
    }

    pub fn results(&self) -> &Results {
        self.session.ledger().results()
    }

    pub fn reference(&self) -> Option<&Solution> {
        self.session.ledger().reference()
    }

    pub fn reference_scenario(&self) -> &Scenario {
        &self.reference_scenario
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
        self.timeline.is_playing()
    }

    pub fn is_presenting(&self) -> bool {
        self.timeline.is_presenting()
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

    /// The backtest of the shipped episodes (solved when the Backtest tab is first shown).
    pub fn backtest(&self) -> &BacktestState {
        self.session.ledger().backtest()
    }

    /// The Uncertainty tab: its running sweep and last results.
    pub fn uncertainty(&self) -> &uncertainty_view::UncertaintyView {
        &self.uncertainty
    }

    /// Waits until no sweep or tornado runs (tests). False on timeout.
    pub fn wait_until_uncertainty_idle(&mut self, timeout: Duration) -> bool {
        self.uncertainty.wait_until_idle(timeout)
    }

    /// Waits until the backtest asked for is in (tests). False on timeout, or if nothing
    /// asked for it.
    pub fn wait_until_backtest(&mut self, timeout: Duration) -> bool {
        self.session.wait_until_backtest(timeout)
    }

    /// Waits until the worker has sent the reference and every year of the current
    /// revision (tests, benchmarks). False on timeout.
    pub fn wait_until_solved(&mut self, timeout: Duration) -> bool {
        self.request_solve();
        self.session.wait_until_solved(timeout)
    }

    /// Sends the document to the solver if this revision was not sent yet.
    fn request_solve(&mut self) {
        self.session.request(
            self.document.revision(),
            self.document.scenario(),
            self.year,
        );
    }

    /// Draws one frame into `ui` (the whole window) and applies what it asked for.
    pub fn ui_frame(&mut self, ui: &mut egui::Ui) {
        let started = Instant::now();
        self.session.poll();
        self.uncertainty.poll();
        let input = input::read_input(ui, self.timeline.is_presenting());
        self.commands.extend(input.commands);
        if input.close_requested && self.document.is_dirty() && !self.dialogs.quitting() {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialogs.ask(Pending::Quit);
        }
        if self.problems.0 != self.document.revision() {
            self.problems = (
                self.document.revision(),
                crate::model::validate(self.document.scenario()).len(),
            );
        }
        self.panels_ui(ui);
        if let Some(import) = &mut self.import {
            import.show(ui.ctx(), self.document.scenario(), &mut self.commands);
        }
        if let Some(command) = self.files.show(ui.ctx()) {
            self.commands.push(command);
        }
        let last_year = self.document.scenario().meta.last_year;
        if let Some(command) = self.timeline.advance(ui, self.year, last_year) {
            self.commands.push(command);
        }
        self.take_png_export_report(ui.ctx());
        let queued = std::mem::take(&mut self.commands);
        for command in queued {
            self.apply_command(command, ui.ctx());
        }
        // A drag ends when the pointer is released, but only after this frame's edits: in
        // the frame of the release a slider still reads the pointer, and its last value
        // belongs to the drag's undo step, not to a step of its own.
        if !ui.input(|i| i.pointer.any_down()) {
            self.document.end_merge();
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
        self.recovery_frame(ui.ctx());
        self.request_solve();
        if self.prefs.tab == Tab::Backtest {
            // Solved once, on the worker, the first time anyone looks.
            self.session.request_backtest();
        }
        self.last_frame_ms = started.elapsed().as_secs_f64() * 1e3;
    }

    /// Draws every panel and dialog; what they ask for lands in `self.commands`.
    fn panels_ui(&mut self, ui: &mut egui::Ui) {
        let ledger = self.session.ledger();
        let ctx = ViewCtx {
            scenario: self.document.scenario(),
            results: ledger.results(),
            reference: ledger.reference(),
            reference_scenario: &self.reference_scenario,
            reference_error: ledger.reference_error(),
            year: self.year,
            selection: &self.selection,
            prefs: &self.prefs,
            problems: self.problems.1,
            backtest: ledger.backtest(),
        };
        let commands = &mut self.commands;
        let presenting = self.timeline.is_presenting();
        if presenting {
            timeline::presentation_title_ui(ui, &ctx);
        } else {
            menu_bar::show(ui, &ctx, &self.document, commands);
            status_bar::show(ui, &ctx, &self.document, self.last_frame_ms, commands);
            year_bar::show(ui, &ctx, self.timeline.is_playing(), commands);
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
        let (map, table, uncertainty) = (&mut self.map, &mut self.table, &mut self.uncertainty);
        let revision = self.document.revision();
        let mut view_size = self.view_size;
        egui::CentralPanel::default().show(ui, |ui| {
            if !presenting {
                tabs_ui(ui, ctx.prefs.tab, commands);
            }
            view_size = ui.available_size();
            match ctx.prefs.tab {
                Tab::Map => map.show(ui, &ctx, commands),
                Tab::Flows => flows_view::show(ui, &ctx, commands),
                Tab::Charts => charts_view::show(ui, &ctx, commands),
                Tab::Table => table.show(ui, &ctx, commands),
                Tab::Compare => compare_view::show(ui, &ctx, commands),
                Tab::Backtest => backtest_view::show(ui, &ctx),
                Tab::Uncertainty => uncertainty.show(ui, &ctx, revision),
            }
        });
        self.dialogs.show(ui.ctx(), &ctx, &self.document, commands);
        if !presenting {
            self.forms.show(ui.ctx(), ctx.scenario, commands);
        }
        // The title line of an exported image takes a little room of its own.
        self.view_size = view_size + egui::vec2(0.0, 40.0);
    }
}

/// The row of centre tabs.
fn tabs_ui(ui: &mut egui::Ui, shown: Tab, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        for tab in Tab::ALL {
            if ui.selectable_label(shown == tab, tab.label()).clicked() {
                commands.push(Command::SetTab(tab));
            }
        }
    });
    ui.separator();
}

impl eframe::App for RareflowApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.window_focus.ask_until_focused(ui.ctx(), frame);
        self.ui_frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}
