//! The Sankey: where the chosen commodity is mined, refined, made into magnets and used,
//! for the year on screen. Bands are tonnes of the commodity; magnets are followed through
//! their first recipe oxide (NdPr), so every band is in the same unit.

use egui::{Pos2, Rect, Sense, Shape, Stroke, pos2, vec2};

use super::commands::Command;
use super::flow_change;
use super::sankey_build::{Sankey, build, change_against};
use super::view_ctx::ViewCtx;
use crate::model::{CommodityKind, Process};
use crate::solver::YearSolution;
use crate::units;

/// What the Sankey follows: the chosen oxide itself, or — for magnets — their first
/// recipe oxide, with the tonnes of it per tonne of magnets.
struct Traced {
    tracer: String,
    magnet_share: f64,
    is_product: bool,
}

impl Traced {
    fn of(view: &ViewCtx<'_>, commodity: &str) -> Self {
        // Products are followed through their first recipe oxide.
        let product_recipe = view.scenario.nodes.iter().find_map(|n| match &n.process {
            Process::MagnetPlant { product, recipe } if product == commodity => {
                recipe.first().map(|r| (r.commodity.clone(), r.t_per_t))
            }
            _ => None,
        });
        let is_product = view
            .scenario
            .commodity(commodity)
            .is_some_and(|c| c.kind == CommodityKind::Product);
        let (tracer, magnet_share) = match (is_product, &product_recipe) {
            (true, Some((oxide, share))) => (oxide.clone(), *share),
            _ => {
                let share = view.scenario.nodes.iter().find_map(|n| match &n.process {
                    Process::MagnetPlant { recipe, .. } => recipe
                        .iter()
                        .find(|r| r.commodity == commodity)
                        .map(|r| r.t_per_t),
                    _ => None,
                });
                (commodity.to_owned(), share.unwrap_or(0.0))
            }
        };
        Self {
            tracer,
            magnet_share,
            is_product,
        }
    }

    fn heading(&self, view: &ViewCtx<'_>, commodity: &str) -> String {
        if self.is_product {
            format!(
                "{} in {}: where the {} in them was mined, refined, made into magnets and used (t/yr of {})",
                view.commodity_name(commodity),
                view.year,
                view.commodity_name(&self.tracer),
                view.commodity_name(&self.tracer)
            )
        } else {
            format!(
                "{} in {}: where it was mined, refined and used (t/yr)",
                view.commodity_name(commodity),
                view.year
            )
        }
    }
}

/// Where the Sankey's columns stand in the painted area.
#[derive(Clone, Copy)]
struct Columns {
    rect: Rect,
    count: usize,
}

impl Columns {
    const BLOCK_WIDTH: f32 = 16.0;

    /// The left edge of `column`'s blocks; the last column leaves room for its labels.
    fn x(self, column: usize) -> f32 {
        self.rect.left()
            + (self.rect.width() - Self::BLOCK_WIDTH - 130.0) * column as f32
                / (self.count - 1) as f32
    }
}

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>, _commands: &mut Vec<Command>) {
    let commodity = view.prefs.commodity.as_str();
    let Some(year) = view.year_solution() else {
        ui.label("Solving...");
        return;
    };
    let traced = Traced::of(view, commodity);
    let with_magnets = traced.magnet_share > 0.0;
    let build_year = |year: &YearSolution| {
        build(
            view,
            year,
            &traced.tracer,
            traced.magnet_share,
            with_magnets,
        )
    };
    let mut sankey = build_year(year);
    let as_change = flow_change::change_toggle(ui, "flows drawn as change");
    if as_change && let Some(reference) = view.reference_year() {
        sankey = change_against(&build_year(reference), &sankey);
    }
    ui.label(traced.heading(view, commodity));
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::hover());
    let rect = response.rect.shrink2(vec2(12.0, 26.0));
    let columns = Columns {
        rect,
        count: if with_magnets { 4 } else { 3 },
    };
    let titles = if with_magnets {
        vec![
            "Mined in",
            "Refined in",
            "Made into magnets in",
            "Used in region",
        ]
    } else {
        vec!["Mined in", "Refined in", "Used in region"]
    };
    let text_colour = ui.visuals().text_color();
    for (column, title) in titles.iter().enumerate() {
        painter.text(
            pos2(columns.x(column), response.rect.top() + 4.0),
            egui::Align2::LEFT_TOP,
            *title,
            egui::FontId::proportional(14.0),
            text_colour,
        );
    }
    if sankey.bands.is_empty() {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "No flows of this commodity in this year",
            egui::FontId::proportional(15.0),
            text_colour,
        );
        return;
    }
    let (rects, scale) = block_rects(&sankey, columns);
    let hovered = paint_bands(&painter, &sankey, &rects, scale, response.hover_pos());
    paint_blocks(ui, &painter, &sankey, &rects);
    if as_change {
        flow_change::paint_legend(&painter, rect, text_colour);
    }
    if let Some(text) = hovered {
        response.on_hover_text_at_pointer(text);
    }
}

/// The tonnes in `column`'s blocks together.
fn column_total(sankey: &Sankey, column: usize) -> f64 {
    sankey
        .blocks
        .iter()
        .filter(|b| b.column == column)
        .map(|b| b.value)
        .sum::<f64>()
}

/// Each block's rectangle, largest first in each column, and the points per tonne that
/// make the fullest column fit.
fn block_rects(sankey: &Sankey, columns: Columns) -> (Vec<Rect>, f64) {
    let rect = columns.rect;
    let gap = 8.0;
    let column_count = |column: usize| sankey.blocks.iter().filter(|b| b.column == column).count();
    let scale = (0..columns.count)
        .map(|c| {
            (rect.height() - gap * column_count(c).saturating_sub(1) as f32) as f64
                / column_total(sankey, c).max(1e-9)
        })
        .fold(f64::INFINITY, f64::min);
    // Blocks, largest first in each column.
    let mut rects: Vec<Rect> = vec![Rect::NOTHING; sankey.blocks.len()];
    for column in 0..columns.count {
        let mut order: Vec<usize> = (0..sankey.blocks.len())
            .filter(|&i| sankey.blocks[i].column == column)
            .collect();
        order.sort_by(|&a, &b| sankey.blocks[b].value.total_cmp(&sankey.blocks[a].value));
        let mut y = rect.top();
        for index in order {
            let height = (sankey.blocks[index].value * scale) as f32;
            rects[index] = Rect::from_min_size(
                pos2(columns.x(column), y),
                vec2(Columns::BLOCK_WIDTH, height.max(1.0)),
            );
            y += height + gap;
        }
    }
    (rects, scale)
}

/// Draws the bands, stacked at both ends in the order of the blocks they join; returns
/// the text for the band under the pointer, if any.
fn paint_bands(
    painter: &egui::Painter,
    sankey: &Sankey,
    rects: &[Rect],
    scale: f64,
    pointer: Option<Pos2>,
) -> Option<String> {
    let mut out_offset = vec![0.0f32; sankey.blocks.len()];
    let mut in_offset = vec![0.0f32; sankey.blocks.len()];
    let mut bands: Vec<(usize, usize, f64)> =
        sankey.bands.iter().map(|(&(f, t), &v)| (f, t, v)).collect();
    bands.sort_by(|a, b| {
        rects[a.0]
            .top()
            .total_cmp(&rects[b.0].top())
            .then(rects[a.1].top().total_cmp(&rects[b.1].top()))
    });
    let mut hovered: Option<String> = None;
    for (from, to, value) in bands {
        let thickness = (value * scale) as f32;
        let (a, b) = (rects[from], rects[to]);
        let top_start = pos2(a.right(), a.top() + out_offset[from]);
        let top_end = pos2(b.left(), b.top() + in_offset[to]);
        out_offset[from] += thickness;
        in_offset[to] += thickness;
        let curve = |start: Pos2, end: Pos2, t: f32| {
            let s = t * t * (3.0 - 2.0 * t);
            pos2(
                start.x + (end.x - start.x) * t,
                start.y + (end.y - start.y) * s,
            )
        };
        let steps = 24;
        let mut points: Vec<Pos2> = (0..=steps)
            .map(|i| curve(top_start, top_end, i as f32 / steps as f32))
            .collect();
        points.extend((0..=steps).rev().map(|i| {
            curve(top_start, top_end, i as f32 / steps as f32) + vec2(0.0, thickness.max(0.5))
        }));
        let change = sankey.changes.get(&(from, to)).copied();
        let colour = change.map_or_else(
            || sankey.blocks[from].colour.gamma_multiply(0.55),
            |(before, after)| flow_change::change_colour(before, after),
        );
        let inside = pointer.is_some_and(|p| {
            p.x >= top_start.x && p.x <= top_end.x && {
                let t = (p.x - top_start.x) / (top_end.x - top_start.x);
                let top = curve(top_start, top_end, t).y;
                p.y >= top && p.y <= top + thickness.max(2.0)
            }
        });
        // Each band is drawn as thin slices: the outline is not convex.
        for i in 0..steps {
            let quad = vec![
                points[i],
                points[i + 1],
                points[2 * steps + 1 - (i + 1)],
                points[2 * steps + 1 - i],
            ];
            painter.add(Shape::convex_polygon(
                quad,
                if inside {
                    colour.gamma_multiply(1.6)
                } else {
                    colour
                },
                Stroke::NONE,
            ));
        }
        if inside {
            let amount = change.map_or_else(
                || units::tonnes_short(value),
                |(before, after)| flow_change::change_words(before, after),
            );
            hovered = Some(format!(
                "{} -> {}: {amount}",
                sankey.blocks[from].label, sankey.blocks[to].label,
            ));
        }
    }
    hovered
}

/// Draws the blocks with their labels (where there is room).
fn paint_blocks(ui: &egui::Ui, painter: &egui::Painter, sankey: &Sankey, rects: &[Rect]) {
    let text_colour = ui.visuals().text_color();
    let backing = ui.visuals().panel_fill.gamma_multiply(0.85);
    for (index, block) in sankey.blocks.iter().enumerate() {
        let r = rects[index];
        painter.rect_filled(r, 1.0, block.colour);
        if r.height() >= 9.0 || block.value >= column_total(sankey, block.column) * 0.02 {
            // A backing keeps labels readable over the bands that pass behind them.
            // A change drawing's block sizes are sums of changes, not tonnes to print.
            let text = if sankey.changes.is_empty() {
                format!("{} {}", block.label, units::tonnes_short(block.value))
            } else {
                block.label.clone()
            };
            let galley =
                painter.layout_no_wrap(text, egui::FontId::proportional(12.5), text_colour);
            let at = pos2(r.right() + 5.0, r.center().y - galley.size().y / 2.0);
            painter.rect_filled(
                Rect::from_min_size(at, galley.size()).expand(2.0),
                3.0,
                backing,
            );
            painter.galley(at, galley, text_colour);
        }
    }
}
