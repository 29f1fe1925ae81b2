//! The map at the level the numbers exist: demand regions. A country takes its region's
//! colour in readable steps, hovering it outlines and names the whole region, and every
//! region carries a label with the figure shown, anchored inside one of its countries.

use std::collections::BTreeMap;

use egui::{Color32, Pos2, Rect};

use super::map_geometry::{CountryShape, Projection};
use super::map_labels::{
    LabelRequest, PlacedLabel, Surroundings, paint_leader, paint_tab, place_labels,
};
use super::palette;
use super::state::MapMetric;
use super::view_ctx::ViewCtx;
use crate::units;

/// Territories where nobody buys magnets: the catch-all region must not paint them (a
/// coloured Antarctica reads as demand there).
pub const NO_DEMAND_TERRITORIES: [&str; 2] = ["ATA", "ATF"];

/// One step of a colour scale: values below `below` (and at or above the previous step's)
/// take `colour`.
pub struct ScaleStep {
    pub below: f64,
    pub colour: Color32,
    pub label: &'static str,
}

/// Price pressure in steps a room can tell apart, diverging around "unchanged".
static PRESSURE_STEPS: [ScaleStep; 8] = [
    step(-0.5, 0x1f, 0x5f, 0x9e, "below -50 %"),
    step(-0.2, 0x3b, 0x82, 0xc4, "-50 to -20 %"),
    step(-0.05, 0x93, 0xb8, 0xdc, "-20 to -5 %"),
    step(0.05, 0x8a, 0x8f, 0x98, "unchanged (±5 %)"),
    step(0.2, 0xf3, 0xc6, 0x8c, "+5 to +20 %"),
    step(0.5, 0xf0, 0x9a, 0x3e, "+20 to +50 %"),
    step(1.0, 0xe0, 0x62, 0x2a, "+50 to +100 %"),
    step(f64::INFINITY, 0xb4, 0x1e, 0x1e, "+100 % or more"),
];

/// Shortfall as a share of demand, from none to half or more.
static SHORTFALL_STEPS: [ScaleStep; 5] = [
    step(0.01, 0x8a, 0x8f, 0x98, "none (below 1 %)"),
    step(0.05, 0xf3, 0xc6, 0x8c, "1 to 5 %"),
    step(0.2, 0xf0, 0x9a, 0x3e, "5 to 20 %"),
    step(0.5, 0xe0, 0x62, 0x2a, "20 to 50 %"),
    step(f64::INFINITY, 0xb4, 0x1e, 0x1e, "50 % or more"),
];

const fn step(below: f64, r: u8, g: u8, b: u8, label: &'static str) -> ScaleStep {
    ScaleStep {
        below,
        colour: Color32::from_rgb(r, g, b),
        label,
    }
}

/// The steps of the metric's scale, lowest first.
pub fn scale_steps(metric: MapMetric) -> &'static [ScaleStep] {
    match metric {
        MapMetric::PricePressure => &PRESSURE_STEPS,
        MapMetric::Shortfall => &SHORTFALL_STEPS,
    }
}

/// The colour of `value` on the metric's stepped scale; no value is "no demand" grey.
pub fn step_colour(metric: MapMetric, value: Option<f64>) -> Color32 {
    let Some(value) = value.filter(|v| v.is_finite()) else {
        return palette::NO_DATA;
    };
    let steps = scale_steps(metric);
    steps
        .iter()
        .find(|s| value < s.below)
        .unwrap_or(&steps[steps.len() - 1])
        .colour
}

/// The demand region a country's consumption counts towards; none for territories
/// without demand.
pub fn demand_region_of(view: &ViewCtx<'_>, iso3: &str) -> Option<String> {
    demand_region_id(view, iso3).map(str::to_owned)
}

/// [`demand_region_of`], borrowed from the scenario.
fn demand_region_id<'v>(view: &ViewCtx<'v>, iso3: &str) -> Option<&'v str> {
    if NO_DEMAND_TERRITORIES.contains(&iso3) {
        return None;
    }
    view.scenario.region_of_country(iso3)
}

/// A region's name for a label: "Europe", not "Europe (EU-27 + UK + NOR + CHE)".
pub fn region_short_name(view: &ViewCtx<'_>, region: &str) -> String {
    view.scenario
        .regions
        .iter()
        .find(|r| r.id == region)
        .map_or_else(
            || region.to_owned(),
            |r| r.name.split(" (").next().unwrap_or(&r.name).to_owned(),
        )
}

/// The chosen metric of a region's market for the chosen commodity: price against the
/// reference, or shortfall as a share of demand. None where the region has no demand.
pub fn metric_of(view: &ViewCtx<'_>, region: &str) -> Option<f64> {
    let commodity = view.prefs.commodity.as_str();
    let market = view.year_solution()?.market(region, commodity)?;
    if market.reference_t <= 0.0 {
        return None;
    }
    match view.prefs.map_metric {
        MapMetric::PricePressure => view.price_pressure(region, commodity),
        MapMetric::Shortfall => Some(market.shortfall_t / market.reference_t),
    }
}

/// The figure of a region alone: "+42 %" or "1.20 kt short"; what a crowded label
/// shortens to.
pub fn region_figure_text(view: &ViewCtx<'_>, region: &str) -> Option<String> {
    let figure = metric_of(view, region)?;
    match view.prefs.map_metric {
        MapMetric::PricePressure => Some(crate::report::pressure(figure)),
        MapMetric::Shortfall => {
            let market = view
                .year_solution()?
                .market(region, view.prefs.commodity.as_str())?;
            Some(format!("{} short", units::tonnes_short(market.shortfall_t)))
        }
    }
}

/// The figure printed on a region: "Japan +42 %" or "Japan 1.20 kt short".
pub fn region_label_text(view: &ViewCtx<'_>, region: &str) -> Option<String> {
    let figure = region_figure_text(view, region)?;
    Some(format!("{} {figure}", region_short_name(view, region)))
}

/// Where each region's label sits, degrees (lon, lat): the region's own map point when it
/// lies inside one of its countries, else the middle of its largest country (the rest of
/// the world's point is in the Gulf of Guinea). Computed from the data, the same every
/// frame.
pub fn region_anchors(view: &ViewCtx<'_>, world: &[CountryShape]) -> BTreeMap<String, [f32; 2]> {
    let mut largest: BTreeMap<String, &CountryShape> = BTreeMap::new();
    let mut own_point_inside: BTreeMap<String, bool> = BTreeMap::new();
    for shape in world {
        let Some(region) = demand_region_of(view, &shape.iso3) else {
            continue;
        };
        if let Some(r) = view.scenario.regions.iter().find(|r| r.id == region) {
            let inside = shape.contains([r.lon as f32, r.lat as f32]);
            *own_point_inside.entry(region.clone()).or_default() |= inside;
        }
        let entry = largest.entry(region).or_insert(shape);
        if shape.largest_area_deg2 > entry.largest_area_deg2 {
            *entry = shape;
        }
    }
    largest
        .into_iter()
        .map(|(region, shape)| {
            let own = view
                .scenario
                .regions
                .iter()
                .find(|r| r.id == region)
                .filter(|_| own_point_inside.get(&region).copied().unwrap_or(false))
                .map(|r| [r.lon as f32, r.lat as f32]);
            let anchor = own.unwrap_or(shape.label_point);
            (region, anchor)
        })
        .collect()
}

/// What a placement is computed from: the labels asked for, the glyphs' boxes, the map's
/// rectangle and the projection (centre, points per degree).
type LabelKey = (Vec<LabelRequest>, Vec<Rect>, Rect, [f32; 3]);

/// The label placement drawn last, and what it was computed from: recomputed only when
/// any of that changes (a pan, a zoom, another year or figure).
#[derive(Default)]
pub struct LabelCache {
    key: Option<LabelKey>,
    placed: Vec<PlacedLabel>,
}

/// Prints each region's figure on the map, placed so that no label covers another (see
/// [`super::map_labels`]), the smallest region first. Returns the labels drawn (region,
/// text), for tests and exports to check.
pub fn paint_region_labels(
    painter: &egui::Painter,
    projection: Projection,
    view: &ViewCtx<'_>,
    (world, anchors): (&[CountryShape], &BTreeMap<String, [f32; 2]>),
    glyphs: &[Rect],
    cache: &mut LabelCache,
) -> Vec<(String, String)> {
    let font = egui::FontId::proportional(14.0);
    let padding = egui::vec2(10.0, 4.0);
    let mut texts: BTreeMap<&str, (String, String)> = BTreeMap::new();
    let mut requests = Vec::new();
    for (region, anchor) in anchors {
        let (Some(full), Some(short)) = (
            region_label_text(view, region),
            region_figure_text(view, region),
        ) else {
            continue;
        };
        let at: Pos2 = projection.to_screen(anchor[0], anchor[1]);
        if !painter.clip_rect().contains(at) {
            continue;
        }
        let size_of = |text: &str| {
            painter
                .layout_no_wrap(text.to_owned(), font.clone(), Color32::WHITE)
                .size()
                + padding
        };
        requests.push(LabelRequest {
            region: region.clone(),
            anchor: at,
            full_size: size_of(&full),
            short_size: size_of(&short),
        });
        texts.insert(region, (full, short));
    }
    // The smallest region first: South Korea has room for its label only near itself,
    // China has its own land for one.
    let mut area_deg2: BTreeMap<&str, f32> = BTreeMap::new();
    for shape in world {
        if let Some(region) = demand_region_id(view, &shape.iso3) {
            *area_deg2.entry(region).or_default() += shape.largest_area_deg2;
        }
    }
    let area_of = |region: &str| area_deg2.get(region).copied().unwrap_or(0.0);
    requests.sort_by(|a, b| {
        area_of(&a.region)
            .total_cmp(&area_of(&b.region))
            .then_with(|| a.region.cmp(&b.region))
    });
    let key = (
        requests,
        glyphs.to_vec(),
        painter.clip_rect(),
        [
            projection.center.x,
            projection.center.y,
            projection.points_per_degree,
        ],
    );
    if cache.key.as_ref() != Some(&key) {
        let region_at = |point: Pos2| {
            let degrees = projection.to_degrees(point);
            let shape = world.iter().find(|s| s.contains([degrees.x, degrees.y]))?;
            demand_region_id(view, &shape.iso3)
        };
        let around = Surroundings {
            bounds: painter.clip_rect().shrink(2.0),
            glyphs,
            region_at: &region_at,
        };
        cache.placed = place_labels(&key.0, &around);
        cache.key = Some(key);
    }
    for label in &cache.placed {
        paint_leader(painter, label);
    }
    let mut drawn = Vec::new();
    for label in &cache.placed {
        let Some((full, short)) = texts.get(label.region.as_str()) else {
            continue;
        };
        let text = if label.short { short } else { full };
        let galley = painter.layout_no_wrap(text.clone(), font.clone(), Color32::WHITE);
        paint_tab(painter, label, galley);
        drawn.push((label.region.clone(), text.clone()));
    }
    drawn.sort();
    drawn
}

/// The tooltip of a country: the region it counts towards, named as the region, with the
/// region's figures (never as if they were the country's own), and the country's plants.
pub fn country_tooltip_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>, iso3: &str, name: &str) {
    let commodity = view.prefs.commodity.as_str();
    let Some(region) = demand_region_of(view, iso3) else {
        ui.strong(name);
        ui.label("No demand modelled here");
        return;
    };
    let region_name = region_short_name(view, &region);
    ui.strong(&region_name);
    if region != iso3 {
        ui.label(format!("{name} counts towards {region_name}"));
    }
    if let Some(market) = view
        .year_solution()
        .and_then(|y| y.market(&region, commodity))
    {
        ui.label(format!(
            "{region_name}, {}: {} consumed, {} short, {}",
            view.commodity_name(commodity),
            units::tonnes_short(market.consumption_t),
            units::tonnes_short(market.shortfall_t),
            units::usd_per_kg(market.price_usd_per_kg)
        ));
    }
    if let Some(pressure) = view.price_pressure(&region, commodity) {
        ui.label(format!(
            "Price against the reference: {}",
            crate::report::pressure(pressure)
        ));
    }
    let plants: Vec<&crate::model::Node> = view
        .scenario
        .nodes
        .iter()
        .filter(|n| n.country == iso3)
        .collect();
    if !plants.is_empty() {
        ui.separator();
        ui.strong(format!("Plants in {name}"));
        for node in plants {
            let output = view
                .year_solution()
                .and_then(|y| y.node(&node.id))
                .map(|n| format!(": {} out", units::tonnes_short(n.output_t)))
                .unwrap_or_default();
            ui.label(format!(
                "{} ({}){output}",
                node.name,
                node.process.stage().label()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pressure_scale_steps_at_readable_figures_and_centres_on_zero() {
        let colour = |v| step_colour(MapMetric::PricePressure, Some(v));
        assert_eq!(colour(0.0), colour(0.049));
        assert_eq!(colour(0.0), colour(-0.05));
        assert_eq!(colour(0.0), palette::NEUTRAL);
        assert_ne!(colour(0.0), colour(0.05));
        assert_ne!(colour(0.19), colour(0.2));
        assert_ne!(colour(0.49), colour(0.5));
        assert_ne!(colour(0.99), colour(1.0));
        assert_eq!(colour(1.0), colour(50.0));
        assert_ne!(colour(-0.21), colour(-0.19));
        assert_ne!(colour(-0.51), colour(-0.49));
        assert_eq!(
            step_colour(MapMetric::PricePressure, None),
            palette::NO_DATA
        );
        assert_eq!(
            step_colour(MapMetric::Shortfall, Some(f64::NAN)),
            palette::NO_DATA
        );
        assert_eq!(
            step_colour(MapMetric::Shortfall, Some(0.0)),
            palette::NEUTRAL
        );
    }
}
