//! The map: country outlines (Natural Earth 1:110m) coloured by their region's price
//! pressure or shortfall for the chosen commodity; nodes as glyphs sized by capacity and
//! shaped by stage (circle mine, square refinery, triangle magnet plant); flows between
//! countries as arrows whose width is tonnage. Drag to pan, scroll to zoom, hover for
//! numbers, click a node to inspect it.

use std::collections::BTreeMap;

use egui::{Color32, Mesh, Pos2, Rect, Sense, Shape, Stroke, Vec2, pos2, vec2};

use super::ViewCtx;
use super::commands::Command;
use super::palette;
use super::state::{MapMetric, Selection};
use crate::model::Stage;
use crate::solver::EndpointKind;
use crate::units;

const WORLD_GEOJSON: &str = include_str!("../../assets/data/world-110m.geojson");

/// One country's shape in degrees: triangles to fill and rings to outline.
struct CountryShape {
    iso3: String,
    name: String,
    vertices: Vec<[f32; 2]>,
    triangles: Vec<u32>,
    rings: Vec<Vec<[f32; 2]>>,
}

/// Reads the GeoJSON and triangulates every polygon (concave ones need it).
fn load_world() -> Vec<CountryShape> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(WORLD_GEOJSON) else {
        return Vec::new();
    };
    let mut shapes = Vec::new();
    for feature in json["features"].as_array().into_iter().flatten() {
        let iso3 = feature["properties"]["iso3"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let name = feature["properties"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let geometry = &feature["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            Some("MultiPolygon") => geometry["coordinates"]
                .as_array()
                .map(|p| p.iter().collect())
                .unwrap_or_default(),
            _ => continue,
        };
        let mut shape = CountryShape {
            iso3,
            name,
            vertices: Vec::new(),
            triangles: Vec::new(),
            rings: Vec::new(),
        };
        for polygon in polygons {
            let rings: Vec<Vec<[f32; 2]>> = polygon
                .as_array()
                .into_iter()
                .flatten()
                .map(|ring| {
                    ring.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|point| {
                            Some([point[0].as_f64()? as f32, point[1].as_f64()? as f32])
                        })
                        .collect()
                })
                .collect();
            let mut flat = Vec::new();
            let mut holes = Vec::new();
            for (index, ring) in rings.iter().enumerate() {
                if index > 0 {
                    holes.push(flat.len() / 2);
                }
                for point in ring {
                    flat.push(f64::from(point[0]));
                    flat.push(f64::from(point[1]));
                }
            }
            let offset = shape.vertices.len() as u32;
            if let Ok(triangles) = earcutr::earcut(&flat, &holes, 2) {
                shape
                    .triangles
                    .extend(triangles.into_iter().map(|i| offset + i as u32));
            }
            for ring in &rings {
                shape.vertices.extend(ring.iter().copied());
            }
            shape.rings.extend(rings);
        }
        shapes.push(shape);
    }
    shapes
}

/// The map's own state: geometry (loaded once) and the view.
pub struct MapView {
    world: Option<Vec<CountryShape>>,
    /// Centre of the view, degrees (lon, lat).
    center: Vec2,
    /// Zoom: 1 shows the whole world across the view's width.
    zoom: f32,
}

impl Default for MapView {
    fn default() -> Self {
        Self {
            world: None,
            center: vec2(20.0, 25.0),
            zoom: 1.0,
        }
    }
}

/// Degrees to screen points and back.
#[derive(Clone, Copy)]
struct Projection {
    rect: Rect,
    center: Vec2,
    points_per_degree: f32,
}

impl Projection {
    fn to_screen(self, lon: f32, lat: f32) -> Pos2 {
        let center = self.rect.center();
        pos2(
            center.x + (lon - self.center.x) * self.points_per_degree,
            center.y - (lat - self.center.y) * self.points_per_degree,
        )
    }

    fn to_degrees(self, pos: Pos2) -> Vec2 {
        let center = self.rect.center();
        vec2(
            self.center.x + (pos.x - center.x) / self.points_per_degree,
            self.center.y - (pos.y - center.y) / self.points_per_degree,
        )
    }
}

/// Whether `p` lies in triangle (a, b, c).
fn in_triangle(p: [f32; 2], a: [f32; 2], b: [f32; 2], c: [f32; 2]) -> bool {
    let sign = |p1: [f32; 2], p2: [f32; 2], p3: [f32; 2]| {
        (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1])
    };
    let (d1, d2, d3) = (sign(p, a, b), sign(p, b, c), sign(p, c, a));
    let negative = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
    let positive = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
    !(negative && positive)
}

/// A glyph on the map.
struct Glyph {
    node: String,
    stage: Stage,
    pos: Pos2,
    radius: f32,
}

impl MapView {
    pub fn show(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        let commodity = view.prefs.commodity.as_str();
        ui.horizontal(|ui| {
            ui.label("Colour countries by");
            for (metric, label) in [
                (MapMetric::PricePressure, "price pressure"),
                (MapMetric::Shortfall, "shortfall"),
            ] {
                if ui
                    .selectable_label(view.prefs.map_metric == metric, label)
                    .clicked()
                {
                    commands.push(Command::SetMapMetric(metric));
                }
            }
            ui.label(format!(
                "of {} in {}",
                view.commodity_name(commodity),
                view.year
            ));
            if ui.button("Reset view").clicked() {
                *self = Self {
                    world: self.world.take(),
                    ..Self::default()
                };
            }
        });
        let world = self.world.get_or_insert_with(load_world);
        let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
        let rect = response.rect;
        // Fit 330° of longitude or 140° of latitude (60°S–80°N), whichever is tighter.
        let base_scale = (rect.width() / 330.0).min(rect.height() / 140.0);
        let mut projection = Projection {
            rect,
            center: self.center,
            points_per_degree: base_scale * self.zoom,
        };
        if response.dragged() {
            let delta = response.drag_delta() / projection.points_per_degree;
            self.center.x -= delta.x;
            self.center.y += delta.y;
        }
        if response.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                self.zoom = (self.zoom * (scroll / 300.0).exp()).clamp(0.8, 20.0);
            }
        }
        projection.center = self.center;
        projection.points_per_degree = base_scale * self.zoom;
        painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);

        // Country colours from their region's market.
        let region_of = |iso3: &str| -> Option<String> {
            view.scenario.region_of_country(iso3).map(str::to_owned)
        };
        let metric_of = |region: &str| -> Option<f64> {
            match view.prefs.map_metric {
                MapMetric::PricePressure => view.price_pressure(region, commodity),
                MapMetric::Shortfall => {
                    let market = view.year_solution()?.market(region, commodity)?;
                    (market.reference_t > 0.0).then(|| market.shortfall_t / market.reference_t)
                }
            }
        };
        let colour_of = |value: Option<f64>| match (value, view.prefs.map_metric) {
            (None, _) => palette::NO_DATA,
            (Some(v), MapMetric::PricePressure) => palette::pressure(v),
            (Some(v), MapMetric::Shortfall) => palette::shortfall(v),
        };
        let border = Stroke::new(0.5, Color32::from_gray(30));
        let pointer = response.hover_pos();
        let pointer_degrees = pointer.map(|p| projection.to_degrees(p));
        let mut hovered_country: Option<(String, String)> = None;
        for shape in world.iter() {
            let region = region_of(&shape.iso3);
            let colour = colour_of(region.as_deref().and_then(metric_of));
            let mut mesh = Mesh::default();
            for vertex in &shape.vertices {
                mesh.colored_vertex(projection.to_screen(vertex[0], vertex[1]), colour);
            }
            mesh.indices.extend_from_slice(&shape.triangles);
            painter.add(Shape::mesh(mesh));
            for ring in &shape.rings {
                let points: Vec<Pos2> = ring
                    .iter()
                    .map(|v| projection.to_screen(v[0], v[1]))
                    .collect();
                painter.add(Shape::closed_line(points, border));
            }
            if let Some(p) = pointer_degrees {
                let p = [p.x, p.y];
                let hit = shape.triangles.chunks_exact(3).any(|t| {
                    in_triangle(
                        p,
                        shape.vertices[t[0] as usize],
                        shape.vertices[t[1] as usize],
                        shape.vertices[t[2] as usize],
                    )
                });
                if hit {
                    hovered_country = Some((shape.iso3.clone(), shape.name.clone()));
                }
            }
        }

        // Flows between countries of the chosen commodity.
        let point_of = |iso3: &str| {
            view.scenario
                .country(iso3)
                .map(|c| projection.to_screen(c.lon as f32, c.lat as f32))
        };
        let region_point = |id: &str| {
            view.scenario
                .regions
                .iter()
                .find(|r| r.id == id)
                .map(|r| projection.to_screen(r.lon as f32, r.lat as f32))
        };
        let mut arrows: Vec<(Pos2, Pos2, f64)> = Vec::new();
        if let Some(year) = view.year_solution() {
            for flow in year.flows.iter().filter(|f| f.is_export()) {
                // Concentrate counts the chosen oxide's content.
                let tonnes = flow.content_of(commodity);
                if tonnes <= 0.0 {
                    continue;
                }
                let from = point_of(flow.from.country_code());
                let to = match flow.to.kind {
                    EndpointKind::Region => region_point(&flow.to.id),
                    EndpointKind::Node | EndpointKind::Country => point_of(flow.to.country_code()),
                };
                if let (Some(from), Some(to)) = (from, to) {
                    arrows.push((from, to, tonnes));
                }
            }
        }
        let largest = arrows.iter().map(|a| a.2).fold(0.0, f64::max);
        let flow_colour = if ui.visuals().dark_mode {
            Color32::from_rgba_unmultiplied(240, 240, 255, 150)
        } else {
            Color32::from_rgba_unmultiplied(30, 40, 70, 150)
        };
        for (from, to, tonnes) in &arrows {
            // Two places can project to one point (a country and its region's marker):
            // such an arrow has no direction, and NaN would draw across the map.
            if !(from.is_finite() && to.is_finite()) || from.distance(*to) < 4.0 {
                continue;
            }
            let width = (1.0 + 9.0 * (tonnes / largest).sqrt()) as f32;
            let direction = (*to - *from).normalized();
            let tip = *to - direction * 6.0;
            painter.line_segment([*from, tip], Stroke::new(width, flow_colour));
            let normal = vec2(-direction.y, direction.x);
            let head = width.max(4.0) * 1.6;
            painter.add(Shape::convex_polygon(
                vec![
                    tip + direction * head * 0.6,
                    tip - direction * head * 0.6 + normal * head * 0.6,
                    tip - direction * head * 0.6 - normal * head * 0.6,
                ],
                flow_colour,
                Stroke::NONE,
            ));
        }

        // Node glyphs, spread around their country's centroid.
        let mut per_country: BTreeMap<&str, usize> = BTreeMap::new();
        let largest_capacity = view
            .scenario
            .nodes
            .iter()
            .map(|n| view.scenario.capacity_in(n, view.year) * stage_weight(n.process.stage()))
            .fold(1.0, f64::max);
        let mut glyphs = Vec::new();
        for node in &view.scenario.nodes {
            let capacity = view.scenario.capacity_in(node, view.year);
            if capacity <= 0.0 {
                continue;
            }
            let Some(country) = view.scenario.country(&node.country) else {
                continue;
            };
            let index = per_country.entry(node.country.as_str()).or_default();
            let angle = *index as f32 * 2.4;
            let distance = if *index == 0 {
                0.0
            } else {
                9.0 + 3.0 * (*index as f32).sqrt()
            };
            *index += 1;
            let center = projection.to_screen(country.lon as f32, country.lat as f32)
                + vec2(angle.cos(), angle.sin()) * distance;
            let radius = (3.0
                + 16.0 * (capacity * stage_weight(node.process.stage()) / largest_capacity).sqrt())
                as f32;
            glyphs.push(Glyph {
                node: node.id.clone(),
                stage: node.process.stage(),
                pos: center,
                radius,
            });
        }
        let mut hovered_node: Option<&Glyph> = None;
        for glyph in &glyphs {
            let selected = *view.selection == Selection::Node(glyph.node.clone());
            let stroke = Stroke::new(
                if selected { 2.5 } else { 1.0 },
                if selected {
                    Color32::WHITE
                } else {
                    Color32::BLACK
                },
            );
            let fill = palette::stage(glyph.stage).gamma_multiply(0.9);
            let r = glyph.radius;
            match glyph.stage {
                Stage::Mine => {
                    painter.circle(glyph.pos, r, fill, stroke);
                }
                Stage::Refinery => {
                    painter.rect(
                        Rect::from_center_size(glyph.pos, Vec2::splat(r * 1.7)),
                        1.0,
                        fill,
                        stroke,
                        egui::StrokeKind::Middle,
                    );
                }
                Stage::Magnet => {
                    let p = glyph.pos;
                    painter.add(Shape::convex_polygon(
                        vec![
                            p + vec2(0.0, -r * 1.2),
                            p + vec2(r * 1.05, r * 0.7),
                            p + vec2(-r * 1.05, r * 0.7),
                        ],
                        fill,
                        stroke,
                    ));
                }
            }
            if pointer.is_some_and(|p| p.distance(glyph.pos) <= r + 2.0) {
                hovered_node = Some(glyph);
            }
        }
        legend(&painter, rect, view);

        if let Some(glyph) = hovered_node {
            if response.clicked() {
                commands.push(Command::Select(Selection::Node(glyph.node.clone())));
            }
            if let Some(node) = view.scenario.node(&glyph.node) {
                let result = view.year_solution().and_then(|y| y.node(&node.id));
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.strong(&node.name);
                    ui.label(format!(
                        "{} in {}",
                        node.process.stage().label(),
                        view.country_name(&node.country)
                    ));
                    if let Some(result) = result {
                        ui.label(format!(
                            "Output {} of {} ({:.0} % used) in {}",
                            units::tonnes_short(result.output_t),
                            units::tonnes_short(result.capacity_t),
                            result.utilisation * 100.0,
                            view.year
                        ));
                    }
                });
            }
        } else if let Some((iso3, name)) = hovered_country {
            let region = region_of(&iso3);
            if response.clicked() && view.scenario.country(&iso3).is_some() {
                commands.push(Command::Select(Selection::Country(iso3.clone())));
            }
            response.on_hover_ui_at_pointer(|ui| {
                ui.strong(&name);
                let Some(region) = region else { return };
                ui.label(format!("Demand region {region}"));
                if let Some(market) = view
                    .year_solution()
                    .and_then(|y| y.market(&region, commodity))
                {
                    ui.label(format!(
                        "{}: {} consumed, {} short, {}",
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
            });
        }
    }
}

/// Magnet plants are counted in t of magnets, a quarter of which is NdPr; weigh them so
/// glyphs compare tonnes of rare earths.
fn stage_weight(stage: Stage) -> f64 {
    match stage {
        Stage::Magnet => 0.26,
        _ => 1.0,
    }
}

/// The colour scale and the glyph key, in the map's top-left corner.
fn legend(painter: &egui::Painter, rect: Rect, view: &ViewCtx<'_>) {
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
