//! The map's key, in a strip of its own at the right of the map (never over a country): the
//! stepped colour scale of the metric shown, "no demand", and the glyph of each stage.

use egui::{Color32, Rect, Shape, Stroke, Vec2, pos2, vec2};

use super::map_regions::scale_steps;
use super::palette;
use super::state::MapMetric;
use super::view_ctx::ViewCtx;
use crate::model::Stage;

/// Width of the key's strip, points.
pub const LEGEND_WIDTH: f32 = 200.0;

/// The colour steps and the glyph key, drawn inside `rect` (the strip beside the map).
pub fn legend(painter: &egui::Painter, rect: Rect, view: &ViewCtx<'_>, visuals: &egui::Visuals) {
    let painter = painter.with_clip_rect(rect);
    painter.rect_filled(rect, 0.0, visuals.panel_fill);
    let text_colour = visuals.text_color();
    let title = match view.prefs.map_metric {
        MapMetric::PricePressure => "Price against\nthe reference",
        MapMetric::Shortfall => "Shortfall,\n% of demand",
    };
    let mut y = rect.top() + 8.0;
    let left = rect.left() + 12.0;
    let galley = painter.layout(
        title.to_owned(),
        egui::FontId::proportional(14.0),
        text_colour,
        rect.width() - 16.0,
    );
    let title_height = galley.size().y;
    painter.galley(pos2(left, y), galley, text_colour);
    y += title_height + 8.0;
    let row = 21.0;
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
    for step in scale_steps(view.prefs.map_metric).iter().rev() {
        swatch(y, step.colour, step.label);
        y += row;
    }
    swatch(y, palette::NO_DATA, "no demand");
    y += row + 12.0;
    glyph_key(&painter, left, y, text_colour);
}

/// One row per stage: its glyph and name; then what size and arrows mean.
fn glyph_key(painter: &egui::Painter, left: f32, top: f32, text_colour: Color32) {
    let mut y = top;
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
        y += 21.0;
    }
    painter.text(
        pos2(left, y + 4.0),
        egui::Align2::LEFT_TOP,
        "size: capacity\narrows: flows of the\ncommodity",
        egui::FontId::proportional(12.0),
        text_colour,
    );
}
