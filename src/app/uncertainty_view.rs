//! The Uncertainty tab ("How sure are we?"): the scenario's ranges, a Monte Carlo sweep
//! run off the UI thread with progress, time left and Cancel, and what it found for one
//! output at a time: the fan chart over the horizon, the histogram of the year on screen
//! and the tornado of the inputs that move it most.
//!
//! The sweep runs on a copy of the scenario, so editing while it runs never mixes two
//! scenarios: the results say which revision they are of and are marked stale once the
//! document moves on. Cancelling keeps the results there were (or none).

use std::time::Duration;

use super::sweep_job::{self, Job, JobPoll, SweepResult, TornadoResult};
use super::uncertainty_charts::{self as charts, Scale};
use super::view_ctx::ViewCtx;
use crate::uncertainty::{Measure, OutputKey, SweepSummary, Tornado};

/// How often a running job's progress redraws the window at most: a repaint per run
/// would spend on drawing (in software rendering, on both cores) what the runs need.
const PROGRESS_REPAINT: Duration = Duration::from_millis(200);

/// Runs of a sweep unless the user asks for more or fewer.
pub const DEFAULT_RUNS: u64 = 200;
pub const DEFAULT_SEED: u64 = 1;

/// What the tab shows: the sweep settings, the output chosen and the last results. Plain
/// data, so an exported image of the tab draws a copy of it.
#[derive(Clone, Debug)]
pub struct UncertaintyShown {
    runs: u64,
    seed: u64,
    result: Option<SweepResult>,
    tornado: Option<TornadoResult>,
    /// Why the last job did not give a result (cancelled, failed), shown until the next.
    notice: Option<String>,
    measure: Measure,
    /// The output's region and commodity (empty: follow the app's chart region and
    /// commodity).
    region: String,
    commodity: String,
}

impl Default for UncertaintyShown {
    fn default() -> Self {
        Self {
            runs: DEFAULT_RUNS,
            seed: DEFAULT_SEED,
            result: None,
            tornado: None,
            notice: None,
            measure: Measure::Price,
            region: String::new(),
            commodity: String::new(),
        }
    }
}

/// The tab's state: what it shows and the jobs running for it.
#[derive(Default)]
pub struct UncertaintyView {
    shown: UncertaintyShown,
    sweep: Option<Job<SweepResult>>,
    tornado_job: Option<Job<TornadoResult>>,
}

impl UncertaintyView {
    /// A view of `shown` with no job running (an exported image of the tab).
    pub fn showing(shown: UncertaintyShown) -> Self {
        Self {
            shown,
            sweep: None,
            tornado_job: None,
        }
    }

    /// A copy of what the tab shows.
    pub fn shown(&self) -> UncertaintyShown {
        self.shown.clone()
    }

    /// The last finished sweep, if any.
    pub fn result(&self) -> Option<&SweepResult> {
        self.shown.result.as_ref()
    }

    pub fn summary(&self) -> Option<&SweepSummary> {
        self.shown.result.as_ref().map(|r| &r.summary)
    }

    pub fn tornado(&self) -> Option<&Tornado> {
        self.shown.tornado.as_ref().map(|t| &t.tornado)
    }

    /// Whether a sweep or a tornado is running.
    pub fn is_busy(&self) -> bool {
        self.sweep.is_some() || self.tornado_job.is_some()
    }

    /// Runs done and in all of the running sweep.
    pub fn sweep_progress(&self) -> Option<(u64, u64)> {
        self.sweep.as_ref().map(|j| (j.runs_done(), j.runs_total))
    }

    pub fn notice(&self) -> Option<&str> {
        self.shown.notice.as_deref()
    }

    /// Takes what the workers finished; called every frame, whichever tab is shown.
    pub fn poll(&mut self) {
        if let Some(job) = &self.sweep {
            match job.poll() {
                JobPoll::Running => {}
                JobPoll::Finished(result) => {
                    self.shown.notice = None;
                    self.shown.result = Some(result);
                    self.sweep = None;
                }
                JobPoll::Cancelled => {
                    self.shown.notice = Some(format!(
                        "Sweep cancelled after {} of {} runs; the results shown are from before.",
                        job.runs_done(),
                        job.runs_total
                    ));
                    self.sweep = None;
                }
                JobPoll::Failed(reason) => {
                    self.shown.notice = Some(format!("The sweep did not run: {reason}"));
                    self.sweep = None;
                }
            }
        }
        if let Some(job) = &self.tornado_job {
            match job.poll() {
                JobPoll::Running => {}
                JobPoll::Finished(result) => {
                    self.shown.tornado = Some(result);
                    self.tornado_job = None;
                }
                JobPoll::Cancelled => {
                    self.shown.notice = Some("Tornado cancelled.".to_owned());
                    self.tornado_job = None;
                }
                JobPoll::Failed(reason) => {
                    self.shown.notice = Some(format!("The tornado did not run: {reason}"));
                    self.tornado_job = None;
                }
            }
        }
    }

    /// Waits (polling) until no job runs (tests). False on timeout.
    pub fn wait_until_idle(&mut self, timeout: Duration) -> bool {
        let started = std::time::Instant::now();
        loop {
            self.poll();
            if !self.is_busy() {
                return true;
            }
            if started.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The tab; `revision` is the document's, to run on and to tell stale results by.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>, revision: u64) {
        if self.shown.region.is_empty() {
            self.shown.region = view.prefs.chart_region.clone();
        }
        if self.shown.commodity.is_empty() {
            self.shown.commodity = view.prefs.commodity.clone();
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading("How sure are we?");
            inputs_ui(ui, view);
            ui.add_space(6.0);
            self.controls_ui(ui, view, revision);
            if let Some(notice) = &self.shown.notice {
                ui.colored_label(ui.visuals().warn_fg_color, notice);
            }
            if self.shown.result.is_some() {
                ui.separator();
                self.results_ui(ui, view, revision);
            }
        });
    }

    /// Runs and seed, Run, and while a sweep runs its progress, time left and Cancel.
    fn controls_ui(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>, revision: u64) {
        ui.horizontal(|ui| {
            let runs_label = ui.label("Runs");
            ui.add(egui::DragValue::new(&mut self.shown.runs).range(1..=100_000))
                .labelled_by(runs_label.id);
            let seed_label = ui.label("Seed");
            ui.add(egui::DragValue::new(&mut self.shown.seed))
                .labelled_by(seed_label.id);
            let can_run = self.sweep.is_none() && !view.scenario.uncertainty.is_empty();
            if ui
                .add_enabled(can_run, egui::Button::new("Run sweep"))
                .on_hover_text("Solve the whole horizon once per run, every range drawn together")
                .clicked()
            {
                let wake_ctx = ui.ctx().clone();
                self.shown.notice = None;
                self.sweep = Some(sweep_job::start_sweep(
                    view.scenario.clone(),
                    revision,
                    self.shown.runs,
                    self.shown.seed,
                    move || wake_ctx.request_repaint_after(PROGRESS_REPAINT),
                ));
            }
        });
        let Some(job) = &self.sweep else { return };
        ui.horizontal(|ui| {
            let done = job.runs_done();
            let left = job.seconds_left().map_or_else(
                || "estimating time left".to_owned(),
                |s| format!("about {s:.0} s left"),
            );
            let text = if job.is_cancelling() {
                format!("{done} / {} runs, cancelling…", job.runs_total)
            } else {
                format!("{done} / {} runs, {left}", job.runs_total)
            };
            ui.add(
                egui::ProgressBar::new(done as f32 / job.runs_total.max(1) as f32)
                    .desired_width(360.0)
                    .text(text),
            );
            if ui
                .add_enabled(!job.is_cancelling(), egui::Button::new("Cancel"))
                .clicked()
            {
                job.cancel();
            }
        });
        if job.revision != revision {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "The scenario changed after this sweep started: it runs on the scenario as it \
                 was, and its results will be marked stale.",
            );
        }
        // The worker wakes the UI after each run; this keeps "time left" ticking between.
        ui.ctx().request_repaint_after(PROGRESS_REPAINT);
    }

    /// The sweep's status, the output chooser, the fan chart, histogram and tornado.
    fn results_ui(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>, revision: u64) {
        // Out of `self` while drawn, so the choosers and the tornado button can change the
        // rest of the view; put back below (nothing else replaces it during a frame).
        let Some(result) = self.shown.result.take() else {
            return;
        };
        self.sweep_result_ui(ui, view, revision, &result);
        self.shown.result = Some(result);
    }

    fn sweep_result_ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &ViewCtx<'_>,
        revision: u64,
        result: &SweepResult,
    ) {
        let summary = &result.summary;
        let total = summary.runs.end - summary.runs.start;
        ui.label(format!(
            "{total} runs, seed {}: {} solved in {:.1} s.",
            summary.seed,
            summary.runs_solved,
            result.elapsed.as_secs_f64()
        ));
        if summary.runs_failed > 0 {
            let reasons: Vec<String> = summary
                .failures
                .iter()
                .take(3)
                .map(|f| format!("run {}: {}", f.run, f.reason))
                .collect();
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{} of {total} runs failed: {}",
                    summary.runs_failed,
                    reasons.join("; ")
                ),
            );
        }
        if result.revision != revision {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Stale: the scenario changed after this sweep. Run it again to see the \
                 scenario as it is now.",
            );
        }
        self.output_chooser_ui(ui, view);
        let year = view.year;
        let key = OutputKey {
            measure: self.shown.measure,
            year,
            region: self.shown.region.clone(),
            commodity: self.shown.commodity.clone(),
        };
        let scale = Scale::of(self.shown.measure);
        let rows = summary.quantile_rows();
        let series_rows: Vec<_> = rows
            .iter()
            .filter(|r| {
                r.key.measure == key.measure
                    && r.key.region == key.region
                    && r.key.commodity == key.commodity
            })
            .collect();
        let Some(row) = series_rows.iter().find(|r| r.key.year == year) else {
            ui.label(format!(
                "The sweep has no {} for {} {} in {year}.",
                self.shown.measure.name(),
                key.region,
                key.commodity
            ));
            return;
        };
        readout_ui(ui, row, scale);
        let chart_height = (ui.available_height() * 0.45).clamp(220.0, 380.0);
        charts::fan_chart(ui, &series_rows, scale, chart_height);
        // The histogram narrower than the tornado, whose bars need the room.
        ui.horizontal_top(|ui| {
            let histogram_width = (ui.available_width() * 0.38).max(220.0);
            ui.allocate_ui(egui::vec2(histogram_width, 240.0), |ui| {
                ui.vertical(|ui| {
                    ui.strong(format!("Runs by value in {year}"));
                    if let Some(series) = summary.series(&key) {
                        charts::histogram(ui, series, scale, 200.0);
                    }
                });
            });
            ui.separator();
            ui.vertical(|ui| self.tornado_ui(ui, view, revision, &key, scale));
        });
    }

    /// Measure, region and commodity of the output shown (the year is the year on screen).
    fn output_chooser_ui(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Output:");
            egui::ComboBox::from_id_salt("uncertainty measure")
                .selected_text(measure_words(self.shown.measure))
                .show_ui(ui, |ui| {
                    for measure in [Measure::Price, Measure::ShortfallShare] {
                        ui.selectable_value(
                            &mut self.shown.measure,
                            measure,
                            measure_words(measure),
                        );
                    }
                });
            let regions = view
                .scenario
                .regions
                .iter()
                .map(|r| (r.id.as_str(), r.name.clone()));
            super::form_rows::pick(ui, "uncertainty region", &mut self.shown.region, regions);
            let commodities = view
                .scenario
                .commodities
                .iter()
                .map(|c| (c.id.as_str(), c.name.clone()));
            super::form_rows::pick(
                ui,
                "uncertainty commodity",
                &mut self.shown.commodity,
                commodities,
            );
            ui.label(format!("in {} (the year on the slider)", view.year));
        });
    }

    /// The tornado of `key` (run on demand, off the UI thread), or the button that runs it.
    fn tornado_ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &ViewCtx<'_>,
        revision: u64,
        key: &OutputKey,
        scale: Scale,
    ) {
        ui.strong(format!("What moves it most ({})", key.year));
        let running = self.tornado_job.is_some();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!running, egui::Button::new("Run tornado"))
                .on_hover_text("Each range alone at its 5 % and 95 % points: two solves per range")
                .clicked()
            {
                let wake_ctx = ui.ctx().clone();
                self.tornado_job = Some(sweep_job::start_tornado(
                    view.scenario.clone(),
                    revision,
                    key.clone(),
                    move || wake_ctx.request_repaint_after(PROGRESS_REPAINT),
                ));
            }
            if let Some(job) = &self.tornado_job {
                ui.spinner();
                if ui.button("Cancel tornado").clicked() {
                    job.cancel();
                }
            }
        });
        let Some(result) = &self.shown.tornado else {
            return;
        };
        if result.tornado.output != *key {
            ui.label("The tornado shown is of another output: run it for this one.");
            return;
        }
        if result.revision != revision {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Stale: the scenario changed since.",
            );
        }
        if let Some(top) = result.tornado.bars.first() {
            let end =
                |value: Option<f64>| value.map_or_else(|| "failed".to_owned(), |v| scale.text(v));
            ui.label(format!(
                "Widest swing: {}, {} to {}",
                top.label,
                end(top.output_at_low),
                end(top.output_at_high)
            ));
        }
        charts::tornado_chart(ui, &result.tornado, scale);
    }
}

fn measure_words(measure: Measure) -> &'static str {
    match measure {
        Measure::Price => "Price, $/kg",
        Measure::ShortfallShare => "Shortfall, % of demand",
        Measure::Welfare => "Welfare, US$ million",
    }
}

/// The scenario's ranges: label, what each varies, its distribution and source.
fn inputs_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>) {
    let inputs = &view.scenario.uncertainty;
    if inputs.is_empty() {
        ui.label(
            "This scenario has no ranges yet. Select a node, a policy or a country and add a \
             range in the inspector (\"How sure? Ranges\").",
        );
        return;
    }
    egui::CollapsingHeader::new(format!(
        "{} ranges, drawn together in each run",
        inputs.len()
    ))
    .id_salt("uncertainty-ranges")
    .default_open(inputs.len() <= RANGES_SHOWN_OPEN)
    .show(ui, |ui| {
        // One wrapped line each: a grid of four columns runs off a narrow centre panel.
        for input in inputs {
            ui.horizontal_wrapped(|ui| {
                ui.strong(&input.label);
                ui.label(format!(
                    "varies the {}: {}. Source: {}",
                    super::range_form::target_words(view.scenario, &input.target),
                    super::range_form::describe_distribution(&input.distribution),
                    input.source
                ))
                .on_hover_ui(|ui| {
                    ui.label(super::range_form::source_text(view.scenario, &input.source));
                });
            });
        }
    });
}

/// Ranges listed open up to this many. A longer list starts folded: the 158 default ranges
/// of `in-force-2026.ron` pushed Run sweep and the results below three screens of text.
const RANGES_SHOWN_OPEN: usize = 8;

/// "P50 in 2027: 120.3 $/kg (P5 … – P95 …; unperturbed …)", and for shortfalls the chance
/// of any shortfall.
fn readout_ui(ui: &mut egui::Ui, row: &crate::uncertainty::QuantileRow, scale: Scale) {
    let Some(q) = row.quantiles else {
        ui.label("No run solved: no quantiles.");
        return;
    };
    ui.label(format!(
        "P50 in {}: {} (P5 {} – P95 {}; P25–P75 {} – {}; unperturbed {})",
        row.key.year,
        scale.text(q[2]),
        scale.text(q[0]),
        scale.text(q[4]),
        scale.text(q[1]),
        scale.text(q[3]),
        scale.text(row.reference)
    ));
    if let Some(p) = row.probability_above_zero {
        ui.label(format!(
            "P(shortfall > 0) in {}: {:.0} % of runs",
            row.key.year,
            p * 100.0
        ));
    }
}
