//! The map: country outlines (Natural Earth 1:110m) coloured, in steps, by their demand
//! region's price pressure or shortfall for the chosen commodity (see [`super::map_regions`]:
//! a region is hovered, outlined and labelled as one); nodes as glyphs sized by capacity and
//! shaped by stage (circle mine, square refinery, triangle magnet plant); flows between
//! countries as arrows whose width is tonnage. The key and the regions ranked by the figure
//! shown sit under the map or beside it ([`super::map_layout`]). Drag to pan, scroll to
//! zoom, hover for numbers, click a node to inspect it.

use std::collections::BTreeMap;

use egui::{Color32, Mesh, Pos2, Rect, Sense, Shape, Stroke, Vec2, vec2};

use super::commands::Command;
use super::forms::FormRequest;
use super::map_geometry::{CountryShape, Projection, load_world};
pub use super::map_layout::MapCamera;
use super::map_layout::{ContentSizes, map_layout};
use super::map_legend::{legend, legend_sizes};
use super::map_ranking::{RankedRegion, paint_ranking, ranked_regions, ranking_height};
use super::map_regions::{
    LabelCache, country_tooltip_ui, demand_region_of, metric_of, paint_region_labels,
    region_anchors, step_colour,
};
use super::palette;
use super::state::{MapMetric, Selection};
use super::view_ctx::ViewCtx;
use crate::model::Stage;
use crate::solver::EndpointKind;
use crate::units;

const WORLD_GEOJSON: &str = include_str!("../../assets/data/world-110m.geojson");

/// The map's own state: geometry (loaded once) and the camera.
#[derive(Default)]
pub struct MapView {
    /// The country outlines, read on first show; why they could not be, if so.
    world: Option<Result<Vec<CountryShape>, String>>,
    camera: MapCamera,
    /// The country right-clicked last: its context menu offers "Add a plant here".
    context_country: Option<String>,
    /// Where the map was drawn last frame: tests and exports find a place on it.
    last_projection: Option<Projection>,
    /// The region labels drawn last frame, (region, text).
    last_labels: Vec<(String, String)>,
    /// Where the labels went, kept until what they are placed from changes.
    label_cache: LabelCache,
    /// The ranked strip drawn last frame (empty when there was no room for it).
    last_ranking: Vec<RankedRegion>,
}

/// A glyph on the map.
struct Glyph {
    node: String,
    stage: Stage,
    pos: Pos2,
    radius: f32,
}

/// What the pointer is over: a node's glyph wins over the country under it.
enum Hovered<'a> {
    Nothing,
    Node(&'a Glyph),
    Country { iso3: String, name: String },
}

impl MapView {
    /// A map looking through `camera` (a PNG export draws the map as the user left it).
    pub fn with_camera(camera: MapCamera) -> Self {
        Self {
            world: None,
            camera,
            context_country: None,
            last_projection: None,
            last_labels: Vec::new(),
            label_cache: LabelCache::default(),
            last_ranking: Vec::new(),
        }
    }

    pub fn camera(&self) -> MapCamera {
        self.camera
    }

    /// Where (lon, lat) was drawn last frame, if the map has been drawn.
    pub fn screen_point(&self, lon: f32, lat: f32) -> Option<Pos2> {
        self.last_projection.map(|p| p.to_screen(lon, lat))
    }

    /// The region labels printed on the map last frame, (region, text).
    pub fn region_labels(&self) -> &[(String, String)] {
        &self.last_labels
    }

    /// The regions ranked beside or under the map last frame, highest figure first.
    pub fn ranking(&self) -> &[RankedRegion] {
        &self.last_ranking
    }

    pub fn show(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        if !super::slide::controls_hidden(ui.ctx()) {
            self.controls_ui(ui, view, commands);
        }
        let world = self
            .world
            .get_or_insert_with(|| load_world(WORLD_GEOJSON).map_err(|error| error.to_string()));
        let (shapes, map_error): (&[CountryShape], _) = match world {
            Ok(shapes) => (shapes, None),
            Err(message) => (&[], Some(message.as_str())),
        };
        let (whole, whole_painter) = ui.allocate_painter(ui.available_size(), Sense::hover());
        let ranked = ranked_regions(view);
        let (key_column, key_row) = legend_sizes(&whole_painter, view.prefs.map_metric);
        let layout = map_layout(
            whole.rect,
            ContentSizes {
                key_column,
                key_row,
                ranking_height: ranking_height(ranked.len()),
            },
        );
        // Only the map pans, zooms and answers the pointer; the key and the ranking are
        // its captions.
        let map_rect = layout.map;
        let response = ui.interact(map_rect, whole.id.with("map"), Sense::click_and_drag());
        let painter = whole_painter.with_clip_rect(map_rect);
        self.camera.pan_and_zoom(ui, &response, map_rect);
        let projection = self.camera.projection(map_rect);
        self.last_projection = Some(projection);
        painter.rect_filled(map_rect, 0.0, ui.visuals().extreme_bg_color);
        let pointer = response.hover_pos().filter(|p| map_rect.contains(*p));
        let hovered_country = paint_countries(&painter, shapes, projection, view, pointer);
        if let Some(message) = map_error {
            painter.text(
                response.rect.center_top() + vec2(0.0, 40.0),
                egui::Align2::CENTER_TOP,
                format!("{message}; countries are not drawn"),
                egui::FontId::proportional(14.0),
                ui.visuals().error_fg_color,
            );
        }
        let anchors = region_anchors(view, shapes);
        let arrows = flow_arrows(view, projection, &anchors);
        paint_flow_arrows(ui, &painter, &arrows);
        let glyphs = node_glyphs(view, projection);
        let hovered_node = paint_glyphs(&painter, &glyphs, view, pointer);
        let glyph_boxes: Vec<Rect> = glyphs
            .iter()
            .map(|g| Rect::from_center_size(g.pos, Vec2::splat(2.0 * g.radius + 2.0)))
            .collect();
        self.last_labels = paint_region_labels(
            &painter,
            projection,
            view,
            (shapes, &anchors),
            &glyph_boxes,
            &mut self.label_cache,
        );
        legend(
            &whole_painter,
            layout.key,
            view,
            ui.visuals(),
            layout.key_in_two_columns,
        );
        match layout.ranking {
            Some(rect) => {
                paint_ranking(&whole_painter, rect, view, ui.visuals(), &ranked);
                self.last_ranking = ranked;
            }
            None => self.last_ranking.clear(),
        }
        let hovered = match (hovered_node, hovered_country) {
            (Some(glyph), _) => Hovered::Node(glyph),
            (None, Some((iso3, name))) => Hovered::Country { iso3, name },
            (None, None) => Hovered::Nothing,
        };
        self.context_menu_ui(&response, view, &hovered, commands);
        hover_ui(response, view, hovered, commands);
    }

    /// Right-click a country (or a plant in it): add a mine, refinery or magnet plant there.
    fn context_menu_ui(
        &mut self,
        response: &egui::Response,
        view: &ViewCtx<'_>,
        hovered: &Hovered<'_>,
        commands: &mut Vec<Command>,
    ) {
        if response.secondary_clicked() {
            self.context_country = match hovered {
                Hovered::Country { iso3, .. } => Some(iso3.clone()),
                Hovered::Node(glyph) => view.scenario.node(&glyph.node).map(|n| n.country.clone()),
                Hovered::Nothing => None,
            };
        }
        let Some(iso3) = self
            .context_country
            .clone()
            .filter(|iso3| view.scenario.country(iso3).is_some())
        else {
            return;
        };
        response.context_menu(|ui| {
            ui.strong(format!("Add a plant in {}", view.country_name(&iso3)));
            for stage in Stage::ALL {
                if ui.button(format!("{}…", stage.label())).clicked() {
                    commands.push(Command::OpenForm(FormRequest::NewNode {
                        stage,
                        country: iso3.clone(),
                    }));
                    ui.close();
                }
            }
        });
    }

    /// The metric buttons, what is shown, and the reset button.
    fn controls_ui(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        let commodity = view.prefs.commodity.as_str();
        // Wrapped: a row wider than the tab would widen the map under the inspector.
        ui.horizontal_wrapped(|ui| {
            ui.label("Colour countries by");
            for (metric, label) in [
                (MapMetric::PricePressure, "price pressure"),
                (MapMetric::Shortfall, "shortfall"),
            ] {
                let button = ui.selectable_label(view.prefs.map_metric == metric, label);
                let button = if metric == MapMetric::Shortfall {
                    button.on_hover_text(crate::report::SHORTFALL_MEANS)
                } else {
                    button
                };
                if button.clicked() {
                    commands.push(Command::SetMapMetric(metric));
                }
            }
            ui.label(format!(
                "of {} in {}",
                view.commodity_name(commodity),
                view.year
            ));
            if ui.button("Reset view").clicked() {
                self.camera = MapCamera::default();
            }
        });
    }
}

/// Fills and outlines every country in its region's colour, and outlines the region under
/// the pointer as one; returns the country under the pointer (iso3, name), if any.
fn paint_countries(
    painter: &egui::Painter,
    world: &[CountryShape],
    projection: Projection,
    view: &ViewCtx<'_>,
    pointer: Option<Pos2>,
) -> Option<(String, String)> {
    let border = Stroke::new(0.5, Color32::from_gray(30));
    let pointer_degrees = pointer.map(|p| projection.to_degrees(p));
    let hovered_country = pointer_degrees
        .and_then(|p| world.iter().find(|shape| shape.contains([p.x, p.y])))
        .map(|shape| (shape.iso3.clone(), shape.name.clone()));
    let hovered_region = hovered_country
        .as_ref()
        .and_then(|(iso3, _)| demand_region_of(view, iso3));
    let mut region_outline = Vec::new();
    for shape in world {
        let region = demand_region_of(view, &shape.iso3);
        let colour = step_colour(
            view.prefs.map_metric,
            region.as_deref().and_then(|r| metric_of(view, r)),
        );
        let outline = shape.outline_at(projection.points_per_degree);
        let mut mesh = Mesh::default();
        for vertex in &outline.vertices {
            mesh.colored_vertex(projection.to_screen(vertex[0], vertex[1]), colour);
        }
        mesh.indices.extend_from_slice(&outline.triangles);
        painter.add(Shape::mesh(mesh));
        for ring in &outline.rings {
            let points: Vec<Pos2> = ring
                .iter()
                .map(|v| projection.to_screen(v[0], v[1]))
                .collect();
            if region.is_some() && region == hovered_region {
                region_outline.push(points.clone());
            }
            painter.add(Shape::closed_line(points, border));
        }
    }
    let highlight = Stroke::new(2.5, Color32::WHITE);
    for ring in region_outline {
        for path in super::map_geometry::split_at_needles(&ring) {
            painter.add(Shape::line(path, highlight));
        }
    }
    hovered_country
}

/// Flows between countries of the chosen commodity, as (from, to, tonnes). A flow to a
/// region's market points at the region's label (the rest of the world's own map point is
/// in the sea).
fn flow_arrows(
    view: &ViewCtx<'_>,
    projection: Projection,
    anchors: &BTreeMap<String, [f32; 2]>,
) -> Vec<(Pos2, Pos2, f64)> {
    let commodity = view.prefs.commodity.as_str();
    let point_of = |iso3: &str| {
        view.scenario
            .country(iso3)
            .map(|c| projection.to_screen(c.lon as f32, c.lat as f32))
    };
    let region_point = |id: &str| {
        anchors
            .get(id)
            .map(|a| projection.to_screen(a[0], a[1]))
            .or_else(|| {
                let region = view.scenario.regions.iter().find(|r| r.id == id)?;
                Some(projection.to_screen(region.lon as f32, region.lat as f32))
            })
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
    arrows
}

/// Arrows whose width is tonnage, relative to the largest.
fn paint_flow_arrows(ui: &egui::Ui, painter: &egui::Painter, arrows: &[(Pos2, Pos2, f64)]) {
    let largest = arrows.iter().map(|a| a.2).fold(0.0, f64::max);
    let flow_colour = if ui.visuals().dark_mode {
        Color32::from_rgba_unmultiplied(240, 240, 255, 150)
    } else {
        Color32::from_rgba_unmultiplied(30, 40, 70, 150)
    };
    for (from, to, tonnes) in arrows {
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
}

/// Node glyphs sized by capacity, spread around their country's centroid.
fn node_glyphs(view: &ViewCtx<'_>, projection: Projection) -> Vec<Glyph> {
    let mut per_country: BTreeMap<&str, usize> = BTreeMap::new();
    // The year's capacity, including what investors built, once the year is solved.
    let capacity_of = |node: &crate::model::Node| {
        view.year_solution()
            .and_then(|y| y.node(&node.id))
            .map_or_else(
                || view.scenario.capacity_in(node, view.year),
                |n| n.capacity_t,
            )
    };
    let largest_capacity = view
        .scenario
        .nodes
        .iter()
        .map(|n| capacity_of(n) * stage_weight(n.process.stage()))
        .fold(1.0, f64::max);
    let mut glyphs = Vec::new();
    for node in &view.scenario.nodes {
        let capacity = capacity_of(node);
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
    glyphs
}

/// Draws the glyphs (the selected one outlined in white); returns the one under the
/// pointer, if any.
fn paint_glyphs<'g>(
    painter: &egui::Painter,
    glyphs: &'g [Glyph],
    view: &ViewCtx<'_>,
    pointer: Option<Pos2>,
) -> Option<&'g Glyph> {
    let mut hovered_node = None;
    for glyph in glyphs {
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
    hovered_node
}

/// The tooltip of what the pointer is over; a click selects it.
fn hover_ui(
    response: egui::Response,
    view: &ViewCtx<'_>,
    hovered: Hovered<'_>,
    commands: &mut Vec<Command>,
) {
    match hovered {
        Hovered::Nothing => {}
        Hovered::Node(glyph) => {
            if response.clicked() {
                commands.push(Command::Select(Selection::Node(glyph.node.clone())));
            }
            let Some(node) = view.scenario.node(&glyph.node) else {
                return;
            };
            let result = view.year_solution().and_then(|y| y.node(&node.id));
            response.on_hover_ui_at_pointer(|ui| {
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
                let built: f64 = view
                    .year_solution()
                    .map(|y| {
                        y.expansions
                            .iter()
                            .filter(|e| e.host == node.id)
                            .map(|e| e.capacity_t_per_yr)
                            .sum()
                    })
                    .unwrap_or(0.0);
                if built >= 0.5 {
                    ui.label(format!(
                        "of which {} built by investors since {}",
                        units::tonnes_short(built),
                        view.scenario.meta.base_year
                    ));
                }
            });
        }
        Hovered::Country { iso3, name } => {
            if response.clicked() && view.scenario.country(&iso3).is_some() {
                commands.push(Command::Select(Selection::Country(iso3.clone())));
            }
            response.on_hover_ui_at_pointer(|ui| country_tooltip_ui(ui, view, &iso3, &name));
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
