//! The map's key, in a place of its own beside or under the map (never over a country):
//! the stepped colour scale of the metric shown, "no demand", and the glyph of each stage.
//! Beside the map it is one column; under it, two (colours, then glyphs) so that the band
//! under the map stays low and the map keeps the height.

use egui::{Color32, Pos2, Rect, Shape, Stroke, Vec2, pos2, vec2};

use super::map_regions::scale_steps;
use super::palette;
use super::state::MapMetric;
use super::view_ctx::ViewCtx;
use crate::model::Stage;

/// Width of one column of the key, points.
const COLUMN_WIDTH: f32 = 200.0;
/// Where the glyph key starts when the key is two columns, points from the left.
const SECOND_COLUMN_AT: f32 = 170.0;
/// Height of a swatch's or a glyph's row, points.
const ROW: f32 = 21.0;
/// Space above the title and between the title and the rows, points.
const MARGIN: f32 = 8.0;
/// Width of the glyph key ("separation refinery" and its glyph), points.
const GLYPH_KEY_WIDTH: f32 = 155.0;
/// Height of the glyph key: three stages and three lines on size and arrows.
const GLYPH_KEY_HEIGHT: f32 = 3.0 * ROW + 52.0;

/// The key's title: what the colours measure.
fn title(metric: MapMetric) -> &'static str {
    match metric {
        MapMetric::PricePressure => "Price against\nthe reference",
        MapMetric::Shortfall => "Shortfall,\n% of demand",
    }
}

/// Height of the title and the colour rows ("no demand" included), points.
fn scale_height(metric: MapMetric, title_height: f32) -> f32 {
    MARGIN + title_height + MARGIN + (scale_steps(metric).len() + 1) as f32 * ROW
}

/// The key's size as one column and as two, points.
pub fn legend_sizes(painter: &egui::Painter, metric: MapMetric) -> (Vec2, Vec2) {
    let title_height = title_galley(painter, metric, Color32::WHITE).size().y;
    let scale = scale_height(metric, title_height);
    (
        vec2(COLUMN_WIDTH, scale + 12.0 + GLYPH_KEY_HEIGHT),
        vec2(
            SECOND_COLUMN_AT + GLYPH_KEY_WIDTH,
            scale.max(MARGIN + GLYPH_KEY_HEIGHT),
        ),
    )
}

fn title_galley(
    painter: &egui::Painter,
    metric: MapMetric,
    colour: Color32,
) -> std::sync::Arc<egui::Galley> {
    painter.layout(
        title(metric).to_owned(),
        egui::FontId::proportional(14.0),
        colour,
        COLUMN_WIDTH - 16.0,
    )
}

/// The colour steps and the glyph key, drawn inside `rect`: one column, or two.
pub fn legend(
    painter: &egui::Painter,
    rect: Rect,
    view: &ViewCtx<'_>,
    visuals: &egui::Visuals,
    two_columns: bool,
) {
    let painter = painter.with_clip_rect(rect);
    painter.rect_filled(rect, 0.0, visuals.panel_fill);
    let text_colour = visuals.text_color();
    let metric = view.prefs.map_metric;
    let left = rect.left() + 12.0;
    let mut y = rect.top() + MARGIN;
    let galley = title_galley(&painter, metric, text_colour);
    let title_height = galley.size().y;
    painter.galley(pos2(left, y), galley, text_colour);
    y += title_height + MARGIN;
    let swatch = |y: f32, colour: Color32, label: &str| {
        painter.rect(
            Rect::from_min_size(pos2(left, y), vec2(22.0, 15.0)),
            2.0,
            colour,
            Stroke::new(0.5, Color32::from_gray(30)),
            egui::StrokeKind::Inside,
        );
        painter.text(
            pos2(left + 30.0, y + 7.5),
            egui::Align2::LEFT_CENTER,
            label,
            egui::FontId::proportional(13.0),
            text_colour,
        );
    };
    // Highest first, as a room reads "more" at the top.
    for step in scale_steps(metric).iter().rev() {
        swatch(y, step.colour, step.label);
        y += ROW;
    }
    swatch(y, palette::NO_DATA, "no demand");
    let glyphs_at = if two_columns {
        pos2(rect.left() + SECOND_COLUMN_AT, rect.top() + MARGIN)
    } else {
        pos2(left, y + ROW + 12.0)
    };
    glyph_key(&painter, glyphs_at, text_colour);
}

/// One row per stage: its glyph and name; then what size and arrows mean.
fn glyph_key(painter: &egui::Painter, top_left: Pos2, text_colour: Color32) {
    let (left, mut y) = (top_left.x, top_left.y);
    for (stage, label) in [
        (Stage::Mine, "mine"),
        (Stage::Refinery, "separation refinery"),
        (Stage::Magnet, "magnet plant"),
    ] {
        let centre = pos2(left + 11.0, y + 8.0);
        let fill = palette::stage(stage);
        match stage {
            Stage::Mine => {
                painter.circle_filled(centre, 6.0, fill);
            }
            Stage::Refinery => {
                painter.rect_filled(Rect::from_center_size(centre, Vec2::splat(11.0)), 1.0, fill);
            }
            Stage::Magnet => {
                painter.add(Shape::convex_polygon(
                    vec![
                        centre + vec2(0.0, -7.0),
                        centre + vec2(6.5, 5.0),
                        centre + vec2(-6.5, 5.0),
                    ],
                    fill,
                    Stroke::NONE,
                ));
            }
        }
        painter.text(
            pos2(left + 30.0, centre.y),
            egui::Align2::LEFT_CENTER,
            label,
            egui::FontId::proportional(13.0),
            text_colour,
        );
        y += ROW;
    }
    painter.text(
        pos2(left, y + 4.0),
        egui::Align2::LEFT_TOP,
        "size: capacity\narrows: flows of the\ncommodity",
        egui::FontId::proportional(12.0),
        text_colour,
    );
}
