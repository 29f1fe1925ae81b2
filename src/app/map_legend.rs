//! The map's key, drawn over its top-left corner: the colour scale of the metric shown and
//! the glyph of each stage.

use egui::{Color32, Rect, Shape, Stroke, Vec2, pos2, vec2};

use super::palette;
use super::state::MapMetric;
use super::view_ctx::ViewCtx;
use crate::model::Stage;

/// The colour scale and the glyph key, in the map's top-left corner.
pub fn legend(painter: &egui::Painter, rect: Rect, view: &ViewCtx<'_>) {
    let origin = rect.left_top() + vec2(12.0, 12.0);
    let size = vec2(240.0, 112.0);
    let frame = Rect::from_min_size(origin, size);
    painter.rect_filled(frame, 4.0, Color32::from_black_alpha(170));
    let text_colour = Color32::from_gray(230);
    let font = egui::FontId::proportional(13.0);
    let (title, stops): (&str, Vec<(f64, &str)>) = match view.prefs.map_metric {
        MapMetric::PricePressure => (
            "Price against the reference",
            vec![(-0.5, "-50%"), (0.0, "0"), (1.0, "+100%"), (3.0, "+300%")],
        ),
        MapMetric::Shortfall => (
            "Shortfall, % of demand",
            vec![(0.0, "0"), (0.25, "25%"), (0.5, "50%"), (1.0, "100%")],
        ),
    };
    painter.text(
        origin + vec2(8.0, 6.0),
        egui::Align2::LEFT_TOP,
        title,
        font.clone(),
        text_colour,
    );
    let bar = Rect::from_min_size(origin + vec2(20.0, 28.0), vec2(size.x - 40.0, 12.0));
    let (low, high) = (stops[0].0, stops[stops.len() - 1].0);
    let steps = 48;
    for step in 0..steps {
        let t0 = step as f32 / steps as f32;
        let value = low + (high - low) * f64::from(t0);
        let colour = match view.prefs.map_metric {
            MapMetric::PricePressure => palette::pressure(value),
            MapMetric::Shortfall => palette::shortfall(value),
        };
        let x0 = bar.left() + bar.width() * t0;
        painter.rect_filled(
            Rect::from_min_max(
                pos2(x0, bar.top()),
                pos2(x0 + bar.width() / steps as f32 + 0.5, bar.bottom()),
            ),
            0.0,
            colour,
        );
    }
    for (value, label) in &stops {
        let x = bar.left() + bar.width() * ((value - low) / (high - low)) as f32;
        painter.text(
            pos2(x, bar.bottom() + 3.0),
            egui::Align2::CENTER_TOP,
            *label,
            egui::FontId::proportional(11.0),
            text_colour,
        );
    }
    let key_y = bar.bottom() + 30.0;
    let mut x = origin.x + 16.0;
    for (stage, label) in [
        (Stage::Mine, "mine"),
        (Stage::Refinery, "refinery"),
        (Stage::Magnet, "magnets"),
    ] {
        let centre = pos2(x, key_y + 8.0);
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
            centre + vec2(10.0, 0.0),
            egui::Align2::LEFT_CENTER,
            label,
            egui::FontId::proportional(12.0),
            text_colour,
        );
        x += 74.0;
    }
    painter.text(
        pos2(origin.x + 8.0, key_y + 24.0),
        egui::Align2::LEFT_TOP,
        "size: capacity; arrows: flows of the commodity",
        egui::FontId::proportional(11.0),
        text_colour,
    );
}
