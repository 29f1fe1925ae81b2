//! The Backtest tab: the model against what was observed in China's 2010-2014 export-quota
//! cuts and its April 2025 licensing, each observation with its source (on hover) and a
//! verdict in colour *and* words, so a miss reads as plainly as a hit. A chart per episode
//! draws the model's price path against the observed points.
//!
//! The backtest is of the shipped episode scenarios, not of the scenario open in the app:
//! it is solved once, on the solve worker, the first time the tab is shown.

use egui::{Color32, RichText};
use egui_plot::{GridInput, GridMark, Line, MarkerShape, Plot, PlotPoints, Points};

use super::palette;
use super::view_ctx::ViewCtx;
use crate::backtest::{
    Backtest, EpisodeRun, Row, Tally, Verdict, comparison_text, model_text, rule_text,
    short_source, value_text,
};
use crate::solve_session::BacktestState;

/// Verdict colours: green, amber, red, each with its word on it.
fn verdict_colours(verdict: Verdict) -> (Color32, Color32) {
    match verdict {
        Verdict::Hit => (Color32::from_rgb(0x2e, 0x9d, 0x5b), Color32::WHITE),
        Verdict::Near => (Color32::from_rgb(0xe6, 0x9f, 0x00), Color32::BLACK),
        Verdict::Miss => (Color32::from_rgb(0xc8, 0x2a, 0x2a), Color32::WHITE),
    }
}

/// The verdict as a coloured badge with its word.
fn badge(ui: &mut egui::Ui, verdict: Verdict, text: &str) {
    let (fill, ink) = verdict_colours(verdict);
    egui::Frame::new()
        .fill(fill)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .corner_radius(3.0)
        .show(ui, |ui| {
            // Never wrapped: "NEAR" reads as one word in the narrowest column.
            ui.add(
                egui::Label::new(RichText::new(text).color(ink).strong())
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
        });
}

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>) {
    match view.backtest {
        BacktestState::NotAsked | BacktestState::Solving => {
            ui.heading("Backtest: the model against observed outcomes");
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Solving the two episodes (the 2010 world and the 2025 licensing)...");
            });
        }
        BacktestState::Failed(message) => {
            ui.heading("Backtest: the model against observed outcomes");
            ui.colored_label(
                verdict_colours(Verdict::Miss).0,
                format!("The backtest did not run: {message}"),
            );
        }
        BacktestState::Done(backtest) => {
            egui::ScrollArea::vertical()
                .id_salt("backtest")
                .auto_shrink([false, false])
                .show(ui, |ui| content(ui, backtest));
        }
    }
}

fn tally_ui(ui: &mut egui::Ui, tally: Tally) {
    ui.horizontal(|ui| {
        badge(ui, Verdict::Hit, &format!("{} HIT", tally.hits));
        badge(ui, Verdict::Near, &format!("{} NEAR", tally.near));
        badge(ui, Verdict::Miss, &format!("{} MISS", tally.misses));
        ui.label(format!("of {} observations", tally.total()));
    });
}

fn content(ui: &mut egui::Ui, backtest: &Backtest) {
    ui.heading("Backtest: the model against observed outcomes");
    ui.add(
        egui::Label::new(
            "Each row is something observed in one of two episodes, next to the model's value \
             of the same thing, from the episode's own scenario (not the scenario open on the \
             left). The model's parameters come from 2024 data and published literature, none \
             from these outcomes. Hover a row for its source, how the observed number was \
             obtained, and what the model's number is.",
        )
        .wrap(),
    );
    ui.add(egui::Label::new(RichText::new(rule_text()).weak()).wrap());
    tally_ui(ui, Tally::of(&backtest.rows));
    for episode in &backtest.episodes {
        ui.add_space(10.0);
        ui.separator();
        episode_ui(ui, backtest, episode);
    }
}

fn episode_ui(ui: &mut egui::Ui, backtest: &Backtest, episode: &EpisodeRun) {
    let rows: Vec<&Row> = backtest.rows_of(episode.letter).collect();
    ui.heading(format!("{}  {}", episode.letter, episode.name));
    ui.add(
        egui::Label::new(
            RichText::new(format!(
                "Scenario {} ({}); {}.",
                episode.scenario_name, episode.scenario_file, episode.base
            ))
            .weak(),
        )
        .wrap(),
    );
    tally_ui(ui, Tally::of(rows.iter().copied()));
    price_chart(ui, episode);
    if rows.iter().any(|row| row.observation.in_sample.is_some()) {
        ui.add(
            egui::Label::new(
                RichText::new(
                    "* in-sample: the observation also sized the scenario's policy, so it is \
                     not an independent test (hover the row for why).",
                )
                .weak(),
            )
            .wrap(),
        );
    }
    rows_grid(ui, episode.letter, &rows);
}

/// The chart's key, above it so it hides no data: a colour swatch per series.
fn chart_key(ui: &mut egui::Ui, episode: &EpisodeRun) {
    ui.horizontal_wrapped(|ui| {
        for (index, path) in episode.paths.iter().enumerate() {
            let colour = palette::CATEGORICAL[index % palette::CATEGORICAL.len()];
            let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 4.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 1.0, colour);
            ui.label(&path.label);
            ui.add_space(10.0);
        }
    });
}

/// A ratio on the chart's logarithmic axis: "3×", "0.5×".
fn ratio_label(ratio: f64) -> String {
    if ratio >= 1.0 {
        format!("{ratio:.0}×")
    } else {
        format!("{ratio:.2}×")
    }
}

/// Grid lines at round ratios on the log10 axis.
fn ratio_marks(input: GridInput) -> Vec<GridMark> {
    const RATIOS: [f64; 11] = [0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 50.0, 100.0];
    RATIOS
        .iter()
        .map(|ratio| GridMark {
            value: ratio.log10(),
            step_size: if [1.0, 10.0, 100.0].contains(ratio) {
                1.0
            } else {
                0.1
            },
        })
        .filter(|mark| input.bounds.0 <= mark.value && mark.value <= input.bounds.1)
        .collect()
}

/// The model's price over the base, year by year (lines), against the observed points of
/// the same series (markers), on a logarithmic axis: observed ratios run from 1× to 45×.
fn price_chart(ui: &mut egui::Ui, episode: &EpisodeRun) {
    if episode.paths.is_empty() {
        return;
    }
    ui.strong("Price over the base: model (lines) and observed (diamonds), log scale");
    chart_key(ui, episode);
    let last_observed = episode
        .paths
        .iter()
        .flat_map(|path| path.observed.iter().map(|(year, ..)| *year))
        .max()
        .unwrap_or(0);
    let shown_to = last_observed + 2;
    // Room above the highest point, so no marker sits on the frame.
    let highest = episode
        .paths
        .iter()
        .flat_map(|path| {
            let observed = path.observed.iter().map(|(_, ratio, _)| *ratio);
            let model = path
                .model
                .iter()
                .filter(|(year, _)| *year <= shown_to)
                .map(|(_, ratio)| *ratio);
            observed.chain(model)
        })
        .fold(1.0, f64::max);
    Plot::new(("backtest prices", episode.id))
        .height(230.0)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .y_grid_spacer(ratio_marks)
        .y_axis_formatter(|mark, _| ratio_label(10f64.powf(mark.value)))
        .x_axis_formatter(|mark, _| {
            if mark.value.fract().abs() < 1e-9 {
                format!("{:.0}", mark.value)
            } else {
                String::new()
            }
        })
        .include_y(0.0)
        .include_y(highest.log10() + 0.15)
        .label_formatter(|hover| match hover {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\n{:.0}: {}",
                position.x,
                ratio_label(10f64.powf(position.y))
            )),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            for (index, path) in episode.paths.iter().enumerate() {
                let colour = palette::CATEGORICAL[index % palette::CATEGORICAL.len()];
                let model: Vec<[f64; 2]> = path
                    .model
                    .iter()
                    .filter(|(year, ratio)| *year <= shown_to && *ratio > 0.0)
                    .map(|(year, ratio)| [f64::from(*year), ratio.log10()])
                    .collect();
                plot.line(
                    Line::new(format!("model: {}", path.label), PlotPoints::from(model))
                        .color(colour)
                        .width(2.5),
                );
                let observed: Vec<[f64; 2]> = path
                    .observed
                    .iter()
                    .map(|(year, ratio, _)| [f64::from(*year), ratio.log10()])
                    .collect();
                plot.points(
                    Points::new(format!("observed: {}", path.label), observed)
                        .color(colour)
                        .shape(MarkerShape::Diamond)
                        .filled(true)
                        .radius(5.0),
                );
            }
        });
}

/// Text that wraps within `width` points.
fn wrapped(ui: &mut egui::Ui, width: f32, text: RichText) -> egui::Response {
    ui.allocate_ui(egui::vec2(width, 0.0), |ui| {
        ui.set_width(width);
        ui.add(egui::Label::new(text).wrap())
    })
    .inner
}

/// A number that never wraps ("18,606 t", "opposite sign").
fn number(ui: &mut egui::Ui, text: String) -> egui::Response {
    ui.add(egui::Label::new(text).wrap_mode(egui::TextWrapMode::Extend))
}

/// Everything behind a row, for its tooltip.
fn row_details(row: &Row) -> String {
    let o = &row.observation;
    let mut text = format!(
        "Observed: {}\nHow: {}\nModel: {} ({})\nSource: {}",
        value_text(o.value, &o.unit),
        o.basis,
        model_text(row),
        row.model_meaning,
        o.source.citation()
    );
    if !o.notes.is_empty() {
        text.push_str(&format!("\nNotes: {}", o.notes));
    }
    if let Some(reason) = &o.in_sample {
        text.push_str(&format!("\nIn-sample: {reason}"));
    }
    text
}

/// A grid cell whose content starts at the top of its row, so a one-line cell lines up
/// with the first line of a wrapped one.
fn top<R>(ui: &mut egui::Ui, content: impl FnOnce(&mut egui::Ui) -> R) -> R {
    ui.vertical(content).inner
}

fn rows_grid(ui: &mut egui::Ui, letter: &str, rows: &[&Row]) {
    // Verdict, the three numbers and the gaps between six columns take about 330 points;
    // the observation gets what the source leaves.
    let source_width = 160.0;
    let what_width = (ui.available_width() - source_width - 340.0).max(220.0);
    egui::Grid::new(("backtest rows", letter))
        .striped(true)
        .spacing(egui::vec2(10.0, 6.0))
        .show(ui, |ui| {
            for heading in ["Verdict", "Observation", "Observed", "Model", "Model/obs."] {
                ui.strong(heading);
            }
            ui.strong("Source");
            ui.end_row();
            for row in rows {
                let o = &row.observation;
                let details = row_details(row);
                top(ui, |ui| badge(ui, row.verdict, row.verdict.word()));
                let marker = if o.in_sample.is_some() { "*" } else { "" };
                top(ui, |ui| {
                    wrapped(
                        ui,
                        what_width,
                        RichText::new(format!("{}{marker}  {}", o.id, o.what)),
                    )
                    .on_hover_text(&details)
                });
                top(ui, |ui| {
                    number(ui, value_text(o.value, &o.unit)).on_hover_text(&o.basis)
                });
                top(ui, |ui| {
                    number(ui, model_text(row)).on_hover_text(&row.model_meaning)
                });
                top(ui, |ui| {
                    number(ui, comparison_text(row)).on_hover_text(
                        "The model's value over the observed one (for a first year of \
                         output, the difference in years)",
                    )
                });
                top(ui, |ui| {
                    wrapped(ui, source_width, RichText::new(short_source(row)))
                        .on_hover_text(format!("{}\n{}", o.source.citation(), o.basis))
                });
                ui.end_row();
            }
        });
}
