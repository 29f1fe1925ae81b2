//! The ranked strip beside or under the map: every region's figure, highest first, as a
//! bar in the map's colour and a number with its unit. A room reads the order at a glance
//! without hunting over the map, and a figure the map had no room to print is still here.

use egui::{Color32, Rect, Stroke, pos2};

use super::map_regions::{metric_of, region_short_name, step_colour};
use super::state::MapMetric;
use super::view_ctx::ViewCtx;
use crate::units;

/// One region's line of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedRegion {
    pub region: String,
    /// "Japan", not "Japan (JPN)".
    pub name: String,
    /// The figure the map is coloured by: price against the reference, or shortfall as a
    /// share of demand.
    pub value: f64,
    /// The figure with its unit: "+42 %", or "1.20 kt (12.0 %)" (short, and the share
    /// of demand).
    pub text: String,
}

/// Height of the title line and of a region's row, points.
const TITLE_HEIGHT: f32 = 24.0;
const ROW_HEIGHT: f32 = 22.0;

/// Every region with demand for the commodity, ranked by the figure shown, highest first
/// (ties by name, so the order never flickers).
pub fn ranked_regions(view: &ViewCtx<'_>) -> Vec<RankedRegion> {
    let commodity = view.prefs.commodity.as_str();
    let mut ranked: Vec<RankedRegion> = view
        .scenario
        .regions
        .iter()
        .filter_map(|region| {
            let value = metric_of(view, &region.id)?;
            let text = match view.prefs.map_metric {
                MapMetric::PricePressure => crate::report::pressure(value),
                MapMetric::Shortfall => {
                    let market = view.year_solution()?.market(&region.id, commodity)?;
                    format!(
                        "{} ({})",
                        units::tonnes_short(market.shortfall_t),
                        units::percent(value)
                    )
                }
            };
            Some(RankedRegion {
                region: region.id.clone(),
                name: region_short_name(view, &region.id),
                value,
                text,
            })
        })
        .collect();
    ranked.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.name.cmp(&b.name)));
    ranked
}

/// Height the strip needs for `rows` regions, points.
pub fn ranking_height(rows: usize) -> f32 {
    TITLE_HEIGHT + rows as f32 * ROW_HEIGHT + 4.0
}

/// Draws the ranking in `rect`: a title, then a row per region with its name, a bar from
/// zero in the map's colour for the figure, and the figure.
pub fn paint_ranking(
    painter: &egui::Painter,
    rect: Rect,
    view: &ViewCtx<'_>,
    visuals: &egui::Visuals,
    ranked: &[RankedRegion],
) {
    let painter = painter.with_clip_rect(rect);
    painter.rect_filled(rect, 0.0, visuals.panel_fill);
    let text_colour = visuals.text_color();
    let font = egui::FontId::proportional(14.0);
    let left = rect.left() + 12.0;
    let title = match view.prefs.map_metric {
        MapMetric::PricePressure => "Regions, dearest first",
        MapMetric::Shortfall => "Short, and share of demand",
    };
    painter.text(
        pos2(left, rect.top() + 8.0),
        egui::Align2::LEFT_TOP,
        title,
        egui::FontId::proportional(14.0),
        text_colour,
    );
    let width_of = |text: &str| {
        painter
            .layout_no_wrap(text.to_owned(), font.clone(), text_colour)
            .size()
            .x
    };
    let names_width = ranked.iter().map(|r| width_of(&r.name)).fold(0.0, f32::max);
    let figures_width = ranked.iter().map(|r| width_of(&r.text)).fold(0.0, f32::max);
    let bar_left = left + names_width + 8.0;
    let bar_right = rect.right() - 12.0 - figures_width - 8.0;
    // Too narrow for bars: names and figures only.
    let bars = bar_right - bar_left >= 24.0;
    // A diverging scale: bars run left of zero for cheaper, right for dearer.
    let low = ranked.iter().map(|r| r.value).fold(0.0, f64::min);
    let high = ranked.iter().map(|r| r.value).fold(0.0, f64::max);
    let span = (high - low).max(1e-9);
    let x_of = |value: f64| bar_left + ((value - low) / span) as f32 * (bar_right - bar_left);
    let zero_x = x_of(0.0);
    let mut y = rect.top() + TITLE_HEIGHT + 4.0;
    for row in ranked {
        let middle = y + ROW_HEIGHT / 2.0;
        painter.text(
            pos2(left, middle),
            egui::Align2::LEFT_CENTER,
            &row.name,
            font.clone(),
            text_colour,
        );
        if bars {
            let (from, to) = (zero_x.min(x_of(row.value)), zero_x.max(x_of(row.value)));
            let bar = Rect::from_min_max(
                pos2(from, y + 3.0),
                pos2(to.max(from + 1.0), y + ROW_HEIGHT - 3.0),
            );
            painter.rect_filled(
                bar,
                1.0,
                step_colour(view.prefs.map_metric, Some(row.value)),
            );
        }
        painter.text(
            pos2(rect.right() - 12.0, middle),
            egui::Align2::RIGHT_CENTER,
            &row.text,
            font.clone(),
            text_colour,
        );
        y += ROW_HEIGHT;
    }
    if !bars {
        return;
    }
    let axis = Stroke::new(1.0, Color32::from_gray(150));
    let rows_bottom = rect.top() + TITLE_HEIGHT + 4.0 + ranked.len() as f32 * ROW_HEIGHT;
    painter.line_segment(
        [
            pos2(zero_x, rect.top() + TITLE_HEIGHT + 2.0),
            pos2(zero_x, rows_bottom),
        ],
        axis,
    );
}
