//! The Uncertainty tab's pictures: the fan chart over the horizon (egui_plot), the
//! histogram of one output, and the tornado (painted by hand so every bar keeps its label
//! and its numbers readable, the labels being real widgets that screen readers and tests
//! find).

use egui::{Align2, Color32, FontId, RichText, Stroke};
use egui_plot::{Bar, BarChart, FilledArea, Line, LineStyle, Plot, PlotPoints};

use super::palette;
use crate::uncertainty::{InputDraw, Measure, OutputSeries, QuantileRow, Tornado};

/// How an output is shown: shortfall shares as percentages, prices as they are.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub factor: f64,
    pub unit: &'static str,
}

impl Scale {
    pub fn of(measure: Measure) -> Self {
        match measure {
            Measure::Price => Scale {
                factor: 1.0,
                unit: "$/kg",
            },
            Measure::ShortfallShare => Scale {
                factor: 100.0,
                unit: "% of demand",
            },
            Measure::Welfare => Scale {
                factor: 1.0,
                unit: "US$ million",
            },
        }
    }

    pub fn text(self, value: f64) -> String {
        format!("{:.1} {}", value * self.factor, self.unit)
    }
}

const OUTER_BAND: Color32 = Color32::from_rgba_premultiplied(0x2a, 0x55, 0x80, 0x60);
const INNER_BAND: Color32 = Color32::from_rgba_premultiplied(0x3b, 0x82, 0xc4, 0xa0);
/// The bands' colours as opaque text, for the key.
const OUTER_BAND_KEY: Color32 = Color32::from_rgb(0x4a, 0x75, 0xa0);
const INNER_BAND_KEY: Color32 = Color32::from_rgb(0x5b, 0xa2, 0xe4);
const LOW_END: Color32 = Color32::from_rgb(0x3b, 0x82, 0xc4);
const HIGH_END: Color32 = Color32::from_rgb(0xf0, 0x9a, 0x3e);

/// P5–P95 and P25–P75 bands, the P50 line and the unperturbed run (dashed) over the years
/// of `rows` (one output series, by year); the key is a row above the plot, never over
/// the data.
pub fn fan_chart(ui: &mut egui::Ui, rows: &[&QuantileRow], scale: Scale, height: f32) {
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(OUTER_BAND_KEY, "P5–P95 band (9 runs in 10)");
        ui.colored_label(INNER_BAND_KEY, "P25–P75 band (half the runs)");
        ui.colored_label(palette::SCENARIO, "P50 line");
        ui.colored_label(palette::REFERENCE, "unperturbed run (dashed)");
    });
    let solved: Vec<(f64, [f64; 5], f64)> = rows
        .iter()
        .filter_map(|row| {
            let q = row.quantiles?;
            Some((
                f64::from(row.key.year),
                q.map(|v| v * scale.factor),
                row.reference * scale.factor,
            ))
        })
        .collect();
    let xs: Vec<f64> = solved.iter().map(|s| s.0).collect();
    let band = |i: usize| -> Vec<f64> { solved.iter().map(|s| s.1[i]).collect() };
    let points = |values: Vec<f64>| -> PlotPoints<'static> {
        xs.iter().zip(values).map(|(&x, y)| [x, y]).collect()
    };
    let unperturbed: Vec<f64> = solved.iter().map(|s| s.2).collect();
    Plot::new("fan chart")
        .height(height)
        .include_y(0.0)
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .x_axis_label("year")
        .y_axis_label(scale.unit)
        .x_axis_formatter(|mark, _range| {
            if mark.value.fract().abs() < 1e-9 {
                format!("{:.0}", mark.value)
            } else {
                String::new()
            }
        })
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.add(FilledArea::new("P5–P95", &xs, &band(0), &band(4)).fill_color(OUTER_BAND));
            plot.add(FilledArea::new("P25–P75", &xs, &band(1), &band(3)).fill_color(INNER_BAND));
            plot.line(
                Line::new("P50", points(band(2)))
                    .color(palette::SCENARIO)
                    .width(2.5),
            );
            plot.line(
                Line::new("unperturbed run", points(unperturbed))
                    .color(palette::REFERENCE)
                    .style(LineStyle::dashed_loose())
                    .width(2.0),
            );
        });
}

/// Up to this many bars: finer bins are added together so bars stay visible.
const HISTOGRAM_BARS: usize = 30;

/// How the runs of one output fell, from the sweep's bins.
pub fn histogram(ui: &mut egui::Ui, series: &OutputSeries, scale: Scale, height: f32) {
    let measure = series.key.measure;
    let values: Vec<(f64, u64)> = series
        .histogram
        .counts
        .iter()
        .map(|(&bin, &count)| {
            (
                measure.bin_value(bin, series.reference) * scale.factor,
                count,
            )
        })
        .collect();
    let low = values.iter().map(|v| v.0).fold(f64::INFINITY, f64::min);
    let high = values.iter().map(|v| v.0).fold(f64::NEG_INFINITY, f64::max);
    let width = if high > low {
        (high - low) / HISTOGRAM_BARS as f64
    } else {
        (low.abs() * 0.02).max(0.1)
    };
    let mut counts = vec![0_u64; HISTOGRAM_BARS + 1];
    for (value, count) in &values {
        let index = (((value - low) / width).floor().max(0.0) as usize).min(HISTOGRAM_BARS);
        counts[index] += count;
    }
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .filter(|(_, count)| **count > 0)
        .map(|(index, &count)| {
            Bar::new(low + (index as f64 + 0.5) * width, count as f64)
                .width(width * 0.9)
                .fill(palette::SCENARIO)
        })
        .collect();
    Plot::new("histogram")
        .height(height)
        .include_y(0.0)
        .x_axis_label(scale.unit)
        .y_axis_label("runs")
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("runs", bars).color(palette::SCENARIO));
            plot.vline(
                egui_plot::VLine::new("unperturbed run", series.reference * scale.factor)
                    .color(palette::REFERENCE)
                    .style(LineStyle::dashed_loose()),
            );
        });
}

/// An input's value at one end of its bar, in words: "×0.82" or "+2 y".
pub fn draw_text(draw: InputDraw) -> String {
    match draw {
        InputDraw::Multiplier(factor) => format!("×{factor:.2}"),
        InputDraw::SlipYears(years) => format!("{years:+} y"),
    }
}

/// Whether a tornado bar's number at `x` goes right of it (else left): just beyond its
/// bar's far end, on the side the bar points to; an end at the unperturbed value (`centre`)
/// goes on the side away from the other end (at `other`), and when both are there (an input
/// that moves nothing) the low end's number goes left and the high end's right, so that
/// neither hides the other.
fn number_goes_right(high_end: bool, x: f32, other: f32, centre: f32) -> bool {
    let at_centre = |x: f32| (x - centre).abs() < 1.0;
    match (at_centre(x), at_centre(other)) {
        (true, true) => high_end,
        (true, false) => other < centre,
        (false, _) => x > centre,
    }
}

/// Height of a tornado bar's row, points.
const ROW_HEIGHT: f32 = 20.0;

/// One bar per input, the widest swing first: the input's label and its 5 % and 95 %
/// values above a bar from the output with the input at its low end (blue) to the output
/// at its high end (orange), across a line at the unperturbed output. Labels sit above
/// their bars so that a narrow column still shows them whole.
pub fn tornado_chart(ui: &mut egui::Ui, tornado: &Tornado, scale: Scale) {
    let ends = tornado
        .bars
        .iter()
        .flat_map(|b| [b.output_at_low, b.output_at_high])
        .flatten()
        .chain([tornado.unperturbed]);
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for value in ends {
        low = low.min(value * scale.factor);
        high = high.max(value * scale.factor);
    }
    if high - low < 1e-9 {
        (low, high) = (low - 1.0, high + 1.0);
    }
    let font = FontId::proportional(13.0);
    let ink = ui.visuals().text_color();
    for (rank, bar) in tornado.bars.iter().enumerate() {
        ui.vertical(|ui| {
            let label = format!(
                "{}. {} ({} to {})",
                rank + 1,
                bar.label,
                draw_text(bar.low_draw),
                draw_text(bar.high_draw)
            );
            ui.label(RichText::new(label));
            let width = ui.available_width().max(160.0);
            let (rect, _) =
                ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), egui::Sense::hover());
            // Room for the numbers at both ends of the bar.
            let inner = rect.shrink2(egui::vec2(70.0, 3.0));
            let x_of = |value: f64| {
                let t = ((value * scale.factor - low) / (high - low)) as f32;
                inner.left() + t * inner.width()
            };
            let painter = ui.painter_at(rect);
            let centre = x_of(tornado.unperturbed);
            let ends = [(bar.output_at_low, LOW_END), (bar.output_at_high, HIGH_END)];
            let xs = ends.map(|(end, _)| end.map(x_of));
            for (x, (_, colour)) in xs.iter().zip(ends) {
                let Some(x) = *x else { continue };
                let span = egui::Rect::from_x_y_ranges(
                    centre.min(x)..=centre.max(x).max(centre.min(x) + 1.0),
                    inner.y_range(),
                );
                painter.rect_filled(span, 2.0, colour);
            }
            for (index, (end, _)) in ends.iter().enumerate() {
                let (Some(value), Some(x)) = (end, xs[index]) else {
                    continue;
                };
                let other = xs[1 - index].unwrap_or(centre);
                let rightwards = number_goes_right(index == 1, x, other, centre);
                let (at, align) = if rightwards {
                    (x.max(centre) + 4.0, Align2::LEFT_CENTER)
                } else {
                    (x.min(centre) - 4.0, Align2::RIGHT_CENTER)
                };
                painter.text(
                    egui::pos2(at, rect.center().y),
                    align,
                    format!("{:.1}", value * scale.factor),
                    font.clone(),
                    ink,
                );
            }
            painter.line_segment(
                [
                    egui::pos2(centre, rect.top()),
                    egui::pos2(centre, rect.bottom()),
                ],
                Stroke::new(1.5, palette::REFERENCE),
            );
        });
    }
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(LOW_END, "blue: input at its 5 % point");
        ui.colored_label(HIGH_END, "orange: at its 95 % point");
        ui.label(format!(
            "| unperturbed {} (line); numbers in {}",
            scale.text(tornado.unperturbed),
            scale.unit
        ));
    });
}

#[cfg(test)]
mod tests {
    use super::number_goes_right;

    #[test]
    fn tornado_numbers_never_share_a_side_at_the_centre() {
        // Bars pointing away from the centre: each number beyond its own end.
        assert!(number_goes_right(true, 150.0, 80.0, 100.0));
        assert!(!number_goes_right(false, 80.0, 150.0, 100.0));
        // One end at the centre: its number on the side away from the other bar.
        assert!(!number_goes_right(false, 100.2, 150.0, 100.0));
        assert!(number_goes_right(true, 100.0, 60.0, 100.0));
        // Both ends at the centre: low left, high right.
        assert!(!number_goes_right(false, 100.0, 100.3, 100.0));
        assert!(number_goes_right(true, 100.3, 100.0, 100.0));
    }
}
