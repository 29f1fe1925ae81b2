//! The Sankey: where the chosen commodity is mined, refined, made into magnets and used,
//! for the year on screen. Bands are tonnes of the commodity; magnets are followed through
//! their first recipe oxide (NdPr), so every band is in the same unit.

use std::collections::BTreeMap;

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, pos2, vec2};

use super::commands::Command;
use super::flow_change;
use super::view_ctx::ViewCtx;
use crate::model::{CommodityKind, Process, Stage};
use crate::solver::{FlowTarget, OriginKind, YearSolution};
use crate::units;

/// A box in a column.
struct Block {
    column: usize,
    label: String,
    value: f64,
    colour: Color32,
}

struct Band {
    from: usize,
    to: usize,
    value: f64,
}

#[derive(Default)]
struct Sankey {
    blocks: Vec<Block>,
    index: BTreeMap<(usize, String), usize>,
    bands: BTreeMap<(usize, usize), f64>,
    /// Drawn as change against the reference: each band's (reference, scenario) tonnes;
    /// `bands` then holds the size of the change.
    changes: BTreeMap<(usize, usize), (f64, f64)>,
}

/// A steady colour for a country code.
fn country_colour(code: &str) -> Color32 {
    if code.starts_with("CHN") {
        return Color32::from_rgb(0xd9, 0x4f, 0x4f);
    }
    let hash = code
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let hue = (hash % 360) as f32 / 360.0;
    egui::ecolor::Hsva::new(hue, 0.45, 0.8, 1.0).into()
}

impl Sankey {
    fn block(&mut self, column: usize, key: &str, label: String) -> usize {
        if let Some(&index) = self.index.get(&(column, key.to_owned())) {
            return index;
        }
        self.blocks.push(Block {
            column,
            label,
            value: 0.0,
            colour: country_colour(key),
        });
        self.index
            .insert((column, key.to_owned()), self.blocks.len() - 1);
        self.blocks.len() - 1
    }

    fn band(&mut self, from: usize, to: usize, value: f64) {
        if value > 0.0 {
            *self.bands.entry((from, to)).or_default() += value;
        }
    }
}

/// The Sankey's column indices.
#[derive(Clone, Copy)]
struct ColumnIndex {
    mining: usize,
    refining: usize,
    making: usize,
    using: usize,
}

/// Bands from mining countries (and recycling) to refining countries.
fn mined_to_refined(
    sankey: &mut Sankey,
    view: &ViewCtx<'_>,
    year: &YearSolution,
    tracer: &str,
    columns: ColumnIndex,
) {
    let ColumnIndex {
        mining, refining, ..
    } = columns;
    // How much of the tracer each refinery received, from which mining country.
    let mut received: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for flow in year.flows.iter().filter(|f| f.stage == Stage::Mine) {
        *received
            .entry(flow.to.id.as_str())
            .or_default()
            .entry(flow.from.country_code())
            .or_default() += flow.content_of(tracer);
    }
    for node in &year.nodes {
        if node.stage != Stage::Refinery {
            continue;
        }
        let output: f64 = node
            .outputs
            .iter()
            .filter(|(c, _)| c == tracer)
            .map(|(_, t)| t)
            .sum();
        if output <= 0.0 {
            continue;
        }
        let refinery = sankey.block(refining, &node.country, node.country_name.clone());
        let recycled =
            !node.origin.is_empty() && node.origin.iter().all(|o| o.kind == OriginKind::Recycled);
        if recycled {
            let key = format!("{}:recycled", node.country);
            let source = sankey.block(mining, &key, format!("{} (recycled)", node.country_name));
            sankey.band(source, refinery, output);
            continue;
        }
        // The refinery's output, split like the tracer it received.
        let Some(sources) = received.get(node.node.as_str()) else {
            continue;
        };
        let total: f64 = sources.values().sum();
        for (country, content) in sources {
            if total > 0.0 {
                let source = sankey.block(mining, country, view.country_name(country));
                sankey.band(source, refinery, output * content / total);
            }
        }
    }
}

/// Bands from refining countries into regions' markets (their final users and magnet
/// makers), and from magnet makers to the regions that use the magnets.
fn refined_onwards(
    sankey: &mut Sankey,
    year: &YearSolution,
    tracer: &str,
    magnet_share: f64,
    with_magnets: bool,
    columns: ColumnIndex,
) {
    let ColumnIndex {
        refining,
        making,
        using,
        ..
    } = columns;
    // Each region's market of the tracer: what each refining country sent into it, split
    // proportionally between its final users and the magnet makers who buy there.
    let mut sent: BTreeMap<&str, BTreeMap<(&str, &str), f64>> = BTreeMap::new();
    let mut bought_by_makers: Vec<(&str, &str, String, f64)> = Vec::new();
    for flow in year
        .flows
        .iter()
        .filter(|f| f.stage == Stage::Refinery && f.commodity.as_deref() == Some(tracer))
    {
        match flow.target {
            FlowTarget::Region => {
                *sent
                    .entry(flow.to.id.as_str())
                    .or_default()
                    .entry((flow.from.id.as_str(), flow.from.name.as_str()))
                    .or_default() += flow.t;
            }
            FlowTarget::MagnetMakers if with_magnets => bought_by_makers.push((
                flow.from.id.as_str(),
                flow.to.id.as_str(),
                flow.to.name.clone(),
                flow.t,
            )),
            _ => {}
        }
    }
    for (region, senders) in &sent {
        let total: f64 = senders.values().sum();
        if total <= 0.0 {
            continue;
        }
        let used = year.market(region, tracer).map_or(0.0, |m| m.consumption_t);
        let key = format!("region:{region}");
        let users = sankey.block(using, &key, (*region).to_owned());
        for ((country, name), t) in senders {
            let from = sankey.block(refining, country, (*name).to_owned());
            sankey.band(from, users, used * t / total);
            for (market, maker, maker_name, bought) in &bought_by_makers {
                if market == region {
                    let to = sankey.block(making, maker, maker_name.clone());
                    sankey.band(from, to, bought * t / total);
                }
            }
        }
    }
    if with_magnets {
        for flow in year.flows.iter().filter(|f| f.stage == Stage::Magnet) {
            let from = sankey.block(making, &flow.from.id, flow.from.name.clone());
            let key = format!("region:{}", flow.to.id);
            let to = sankey.block(using, &key, flow.to.id.clone());
            sankey.band(from, to, flow.t * magnet_share);
        }
    }
}

/// Builds the Sankey of `tracer` (an oxide) for the year; `magnet_share` turns tonnes of
/// magnets into tonnes of the tracer.
fn build(
    view: &ViewCtx<'_>,
    year: &YearSolution,
    tracer: &str,
    magnet_share: f64,
    with_magnets: bool,
) -> Sankey {
    let mut sankey = Sankey::default();
    let columns = ColumnIndex {
        mining: 0,
        refining: 1,
        making: 2,
        using: if with_magnets { 3 } else { 2 },
    };
    mined_to_refined(&mut sankey, view, year, tracer, columns);
    refined_onwards(
        &mut sankey,
        year,
        tracer,
        magnet_share,
        with_magnets,
        columns,
    );
    settle_block_values(&mut sankey);
    sankey
}

/// Every band keyed by its ends' (column, key), for matching two years' Sankeys.
type BandsByKey = BTreeMap<((usize, String), (usize, String)), f64>;

fn bands_by_key(sankey: &Sankey) -> BandsByKey {
    let mut keys = vec![(0, String::new()); sankey.blocks.len()];
    for (key, &index) in &sankey.index {
        keys[index] = key.clone();
    }
    sankey
        .bands
        .iter()
        .map(|(&(from, to), &t)| ((keys[from].clone(), keys[to].clone()), t))
        .collect()
}

/// The Sankey of the change from `reference` to `scenario`: a band per route of either,
/// as thick as its change, coloured by what happened to it.
fn change_against(reference: &Sankey, scenario: &Sankey) -> Sankey {
    let label = |key: &(usize, String)| {
        scenario
            .index
            .get(key)
            .map(|&i| &scenario.blocks[i])
            .or_else(|| reference.index.get(key).map(|&i| &reference.blocks[i]))
            .map_or_else(|| key.1.clone(), |block| block.label.clone())
    };
    let mut change = Sankey::default();
    let links = flow_change::link_changes(&bands_by_key(reference), &bands_by_key(scenario));
    for link in links {
        if link.size_t() < crate::plant_compare::NEGLIGIBLE_T {
            continue;
        }
        let from = change.block(link.from.0, &link.from.1, label(&link.from));
        let to = change.block(link.to.0, &link.to.1, label(&link.to));
        change.band(from, to, link.size_t());
        change
            .changes
            .insert((from, to), (link.reference_t, link.scenario_t));
    }
    settle_block_values(&mut change);
    change
}

/// A block's value is the larger of what enters and what leaves it.
fn settle_block_values(sankey: &mut Sankey) {
    let bands: Vec<Band> = sankey
        .bands
        .iter()
        .map(|(&(from, to), &value)| Band { from, to, value })
        .collect();
    for band in &bands {
        let out = band.value;
        sankey.blocks[band.from].value += out;
    }
    // A block's value is the larger of what enters and what leaves it.
    let mut incoming = vec![0.0; sankey.blocks.len()];
    for band in &bands {
        incoming[band.to] += band.value;
    }
    for (block, entering) in sankey.blocks.iter_mut().zip(incoming) {
        block.value = block.value.max(entering);
    }
}

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
