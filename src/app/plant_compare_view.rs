//! Who is hurt: the Compare tab's plant view. Every node's input, output and utilisation,
//! scenario against reference, sorted by the size of its change; a row opens to its feed by
//! origin before and after; a region chosen in the Compare grid narrows the view to its
//! plants and the routes into and out of it.
//!
//! The view keeps its own state (sort, open rows, region) in egui's memory, so the app's
//! state needs no field for it and the Compare tab stays a plain function.

use std::collections::BTreeSet;

use super::commands::Command;
use super::flow_change::{GAINED, LOST};
use super::frozen_table::{Cell, FrozenTable, Row};
use super::state::Selection;
use super::view_ctx::ViewCtx;
use crate::plant_compare::{
    Direction, NEGLIGIBLE_T, PlantChange, PlantComparison, RouteChange, RouteFate,
};
use crate::units;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Column {
    Plant,
    Country,
    #[default]
    Change,
    Input,
    Output,
    Utilisation,
}

/// The biggest change next to the name, so the answer is in view however narrow the
/// panel; the figures behind it follow. Widths, points, beside the name (which stays put
/// and takes the rest): sized so that the whole table fits a 1600-point window with the
/// inspector at its default width or at 400 points; narrower, the figures scroll
/// sideways under the names.
const COLUMNS: [(Column, &str, f32); 6] = [
    (Column::Plant, "Plant", 0.0),
    (Column::Country, "Country", 100.0),
    (Column::Change, "Biggest change", 170.0),
    (Column::Output, "Output t", 115.0),
    (Column::Input, "Input t", 115.0),
    (Column::Utilisation, "Used %", 70.0),
];

/// The plant name column's narrowest and widest, points.
const NAME_WIDTH_RANGE: (f32, f32) = (180.0, 380.0);

/// Which part of the Compare tab is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CompareSubView {
    #[default]
    Markets,
    Plants,
}

/// The plant view's own state, kept in egui's memory.
#[derive(Clone, Debug, Default)]
pub struct PlantViewState {
    pub sub_view: CompareSubView,
    sort: Column,
    ascending: bool,
    open_rows: BTreeSet<String>,
    /// The region chosen in the Compare grid, if any.
    pub region: Option<String>,
}

fn state_id() -> egui::Id {
    egui::Id::unique("plant comparison view")
}

/// The view's state (a copy; [`set_state`] stores it back).
pub fn state(ctx: &egui::Context) -> PlantViewState {
    ctx.data(|data| data.get_temp::<PlantViewState>(state_id()))
        .unwrap_or_default()
}

pub fn set_state(ctx: &egui::Context, state: PlantViewState) {
    ctx.data_mut(|data| data.insert_temp(state_id(), state));
}

/// Shows the plants and routes behind `region`'s change (from the Compare grid).
pub fn show_region(ctx: &egui::Context, region: &str) {
    let mut state = state(ctx);
    state.sub_view = CompareSubView::Plants;
    state.region = Some(region.to_owned());
    set_state(ctx, state);
}

/// The "Markets | Plants" switch at the top of the Compare tab; returns what to show.
pub fn sub_view_switch(ui: &mut egui::Ui) -> CompareSubView {
    let mut state = state(ui.ctx());
    if super::slide::controls_hidden(ui.ctx()) {
        return state.sub_view;
    }
    ui.horizontal(|ui| {
        for (sub_view, label) in [
            (CompareSubView::Markets, "Markets: prices and shortfalls"),
            (CompareSubView::Plants, "Plants: who is hurt"),
        ] {
            if ui
                .add(egui::Button::selectable(state.sub_view == sub_view, label))
                .clicked()
            {
                state.sub_view = sub_view;
            }
        }
    });
    let shown = state.sub_view;
    set_state(ui.ctx(), state);
    shown
}

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    let (Some(year), Some(reference)) = (view.year_solution(), view.reference_year()) else {
        ui.label("Solving...");
        return;
    };
    let comparison = PlantComparison::new(reference, year, view.scenario);
    let mut state = state(ui.ctx());
    let region = state.region.clone();
    let region_changes = region.as_deref().map(|r| comparison.region(r));
    let mut plants: Vec<&PlantChange> = match &region_changes {
        Some(changes) => changes.plants.clone(),
        None => comparison.plants.iter().collect(),
    };
    sort_plants(&mut plants, state.sort, state.ascending);
    ui.horizontal_wrapped(|ui| match &region {
        Some(region) => {
            ui.strong(format!(
                "{}: {} plants in {}, and the routes into and out of it",
                view.year,
                plants.len(),
                view.region_name(region)
            ));
            if ui.button("All plants").clicked() {
                state.region = None;
            }
        }
        None => {
            ui.strong(format!(
                "{}: {} plants, {} changed by {} t or more; click a plant for its feed \
                     by origin, a heading to sort",
                view.year,
                plants.len(),
                comparison.changed_plants().count(),
                NEGLIGIBLE_T
            ));
        }
    });
    let routes: Vec<(Option<Direction>, &RouteChange)> = match &region_changes {
        Some(changes) => changes.routes.iter().map(|(d, r)| (Some(*d), *r)).collect(),
        None => comparison.changed_routes().map(|r| (None, r)).collect(),
    };
    // The plants above, the routes below, each scrolling on its own with its first
    // column in view.
    let plants_height = if routes.is_empty() {
        ui.available_height() - 60.0
    } else {
        (ui.available_height() * 0.6).max(200.0)
    };
    plant_table(ui, view, &plants, plants_height, &mut state, commands);
    ui.add_space(8.0);
    routes_ui(ui, view, &routes);
    set_state(ui.ctx(), state);
}

fn sort_plants(plants: &mut [&PlantChange], column: Column, ascending: bool) {
    plants.sort_by(|a, b| {
        let order = match column {
            Column::Plant => a.name.cmp(&b.name),
            Column::Country => a.country_name.cmp(&b.country_name),
            Column::Change => a.change_size_t().total_cmp(&b.change_size_t()).reverse(),
            Column::Input => a.input_change_t().total_cmp(&b.input_change_t()),
            Column::Output => a.output_change_t().total_cmp(&b.output_change_t()),
            Column::Utilisation => (a.utilisation_scenario - a.utilisation_reference)
                .total_cmp(&(b.utilisation_scenario - b.utilisation_reference)),
        };
        if ascending { order.reverse() } else { order }
    });
}

/// A column's heading: sorts by it, a second click the other way.
fn heading_ui(ui: &mut egui::Ui, state: &mut PlantViewState, column: Column, title: &str) {
    let text = if state.sort == column {
        format!("{title}{}", if state.ascending { " ^" } else { " v" })
    } else {
        title.to_owned()
    };
    let mut response = ui.button(text);
    if matches!(column, Column::Output | Column::Input) {
        response = response.on_hover_text(
            "In this scenario, t, and in brackets its change against the reference; \
             a figure's hover text gives both",
        );
    }
    if response.clicked() {
        if state.sort == column {
            state.ascending = !state.ascending;
        } else {
            state.sort = column;
            state.ascending = false;
        }
    }
}

/// "288 -> 0 (−288)", coloured by the sign of the change.
fn change_text(before: f64, after: f64) -> egui::RichText {
    let change = after - before;
    let text = format!(
        "{} -> {} ({:+.0})",
        units::tonnes(before),
        units::tonnes(after),
        change
    );
    coloured(egui::RichText::new(text), change)
}

/// "312,022 (-12)": the amount in this scenario and its change, coloured by its sign;
/// both amounts on hover. Short enough that the plant table fits beside the name.
fn amount_and_change_ui(ui: &mut egui::Ui, before: f64, after: f64) {
    let change = after - before;
    let text = format!("{} ({change:+.0})", units::tonnes(after));
    ui.label(coloured(egui::RichText::new(text), change))
        .on_hover_text(format!(
            "{} t in the reference, {} t in this scenario",
            units::tonnes(before),
            units::tonnes(after)
        ));
}

fn coloured(text: egui::RichText, change: f64) -> egui::RichText {
    if change <= -NEGLIGIBLE_T {
        text.color(LOST)
    } else if change >= NEGLIGIBLE_T {
        text.color(GAINED)
    } else {
        text
    }
}

/// "Vietnam −288 t": the origin whose feed changed most.
pub fn biggest_change_text(plant: &PlantChange) -> String {
    match plant.biggest_origin_change() {
        Some(origin) => format!("{} {:+.0} t", origin.name, origin.change_t()),
        None if plant.change_size_t() >= NEGLIGIBLE_T => {
            format!("output {:+.0} t", plant.output_change_t())
        }
        None => "-".to_owned(),
    }
}

/// What a body row of the plant table shows: a plant, or its feed by origin opened
/// beneath it.
#[derive(Clone, Copy)]
enum PlantRow<'a> {
    Plant(&'a PlantChange),
    Origins(&'a PlantChange),
}

fn plant_table(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    plants: &[&PlantChange],
    max_height: f32,
    state: &mut PlantViewState,
    commands: &mut Vec<Command>,
) {
    let row_height = ui.spacing().interact_size.y + 4.0;
    // Each origin is a line as tall as a widget row (it is laid out in one).
    let line_height = ui
        .text_style_height(&egui::TextStyle::Body)
        .max(ui.spacing().interact_size.y)
        + ui.spacing().item_spacing.y;
    let mut shown: Vec<PlantRow<'_>> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    for (index, plant) in plants.iter().enumerate() {
        let striped = index % 2 == 1;
        shown.push(PlantRow::Plant(plant));
        rows.push(Row {
            key: egui::IdSalt::new(("plant", &plant.node)),
            height: row_height,
            striped,
            spans: false,
        });
        if state.open_rows.contains(&plant.node) {
            let lines = 1 + shown_origins(plant).count();
            shown.push(PlantRow::Origins(plant));
            rows.push(Row {
                key: egui::IdSalt::new(("origins", &plant.node)),
                height: lines as f32 * line_height + 6.0,
                striped,
                spans: true,
            });
        }
    }
    let widths: Vec<f32> = COLUMNS[1..].iter().map(|(_, _, width)| *width).collect();
    FrozenTable::new(
        "plant changes",
        NAME_WIDTH_RANGE,
        &widths,
        row_height,
        &rows,
    )
    .max_height(max_height)
    .show(ui, |ui, cell| {
        let (column, title, _) = COLUMNS[cell.column];
        match cell.row.map(|row| shown[row]) {
            None => heading_ui(ui, state, column, title),
            Some(PlantRow::Plant(plant)) => {
                plant_cell_ui(ui, view, plant, column, state, commands);
            }
            Some(PlantRow::Origins(plant)) => origins_ui(ui, plant),
        }
    });
}

/// One of a plant's cells; its name opens its feed by origin and selects it.
fn plant_cell_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    plant: &PlantChange,
    column: Column,
    state: &mut PlantViewState,
    commands: &mut Vec<Command>,
) {
    match column {
        Column::Plant => {
            let marker = if state.open_rows.contains(&plant.node) {
                "-"
            } else {
                "+"
            };
            let selected = *view.selection == Selection::Node(plant.node.clone());
            let name = egui::Button::selectable(selected, format!("{marker} {}", plant.name))
                .wrap_mode(egui::TextWrapMode::Truncate);
            let response = ui
                .add(name)
                .on_hover_text(format!("{}: click for its feed by origin", plant.name));
            if response.clicked() {
                if !state.open_rows.remove(&plant.node) {
                    state.open_rows.insert(plant.node.clone());
                }
                commands.push(Command::Select(Selection::Node(plant.node.clone())));
            }
        }
        Column::Country => {
            ui.add(egui::Label::new(&plant.country_name).truncate())
                .on_hover_text(&plant.country_name);
        }
        Column::Change => {
            let biggest = plant
                .biggest_origin_change()
                .map_or(plant.output_change_t(), |o| o.change_t());
            let text = biggest_change_text(plant);
            ui.add(egui::Label::new(coloured(egui::RichText::new(&text), biggest)).truncate())
                .on_hover_text(text);
        }
        Column::Output => {
            amount_and_change_ui(ui, plant.output_reference_t, plant.output_scenario_t)
        }
        Column::Input => {
            if plant.input_reference_t > 0.0 || plant.input_scenario_t > 0.0 {
                amount_and_change_ui(ui, plant.input_reference_t, plant.input_scenario_t);
            } else {
                ui.weak("-").on_hover_text(
                    "No route ends here: a mine, or magnet plants buying in their region's market",
                );
            }
        }
        Column::Utilisation => {
            ui.label(format!(
                "{:.0} -> {:.0}",
                plant.utilisation_reference * 100.0,
                plant.utilisation_scenario * 100.0
            ));
        }
    }
}

/// The origins worth a line: those that sent something before or after.
fn shown_origins(plant: &PlantChange) -> impl Iterator<Item = &crate::plant_compare::OriginChange> {
    plant
        .origins
        .iter()
        .filter(|o| o.reference_t >= NEGLIGIBLE_T || o.scenario_t >= NEGLIGIBLE_T)
}

/// An open row: the plant's feed by origin, before -> after, t.
fn origins_ui(ui: &mut egui::Ui, plant: &PlantChange) {
    ui.vertical(|ui| {
        ui.add_space(3.0);
        ui.weak(format!(
            "    {} of {} by origin, t",
            feed_word(plant),
            plant.name
        ));
        for origin in shown_origins(plant) {
            let text = format!(
                "{}: {} -> {} t ({:+.0})",
                origin.name,
                units::tonnes(origin.reference_t),
                units::tonnes(origin.scenario_t),
                origin.change_t()
            );
            ui.horizontal(|ui| {
                ui.add_space(16.0);
                ui.label(coloured(egui::RichText::new(text), origin.change_t()));
            });
        }
    });
}

/// Refineries' figures are their feed; mines' and magnet plants' their output.
fn feed_word(plant: &PlantChange) -> &'static str {
    if plant.input_reference_t > 0.0 || plant.input_scenario_t > 0.0 {
        "Feed"
    } else {
        "Output"
    }
}

/// The routes' columns beside the route itself (which stays put), with their widths,
/// points.
const ROUTE_COLUMNS: [(&str, f32); 4] = [
    ("Route", 0.0),
    ("Change", 110.0),
    ("Goods", 150.0),
    ("t before -> after", 170.0),
];

/// The route column's narrowest and widest, points: both ends' names are long.
const ROUTE_WIDTH_RANGE: (f32, f32) = (220.0, 560.0);

fn routes_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>, routes: &[(Option<Direction>, &RouteChange)]) {
    ui.strong(format!(
        "Routes lost, new or changed ({}), largest change first",
        routes.len()
    ));
    if routes.is_empty() {
        ui.label("None: every route carries what it carried in the reference.");
        return;
    }
    let routes = &routes[..routes.len().min(200)];
    let row_height = ui.spacing().interact_size.y + 2.0;
    let rows = Row::alternating(row_height, (0..routes.len()).map(egui::IdSalt::new));
    let widths: Vec<f32> = ROUTE_COLUMNS[1..].iter().map(|(_, width)| *width).collect();
    FrozenTable::new(
        "route changes",
        ROUTE_WIDTH_RANGE,
        &widths,
        row_height,
        &rows,
    )
    .show(ui, |ui, cell| match cell.row {
        None => {
            ui.strong(ROUTE_COLUMNS[cell.column].0);
        }
        Some(row) => {
            let (direction, route) = routes[row];
            route_cell_ui(ui, view, direction, route, cell);
        }
    });
}

fn route_cell_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    direction: Option<Direction>,
    route: &RouteChange,
    cell: Cell,
) {
    match cell.column {
        0 => {
            let text = format!("{} -> {}", route.from.name, route.to.name);
            ui.add(egui::Label::new(&text).truncate())
                .on_hover_text(text);
        }
        1 => {
            let fate = route.fate();
            let colour = match fate {
                RouteFate::Lost => LOST,
                RouteFate::New => GAINED,
                _ => ui.visuals().text_color(),
            };
            let direction = match direction {
                Some(Direction::Into) => " (in)",
                Some(Direction::OutOf) => " (out)",
                Some(Direction::Within) => " (within)",
                None => "",
            };
            ui.colored_label(colour, format!("{}{direction}", fate.label()));
        }
        2 => {
            // The names planners read ("NdPr oxide"), not the model's ids.
            let goods = match &route.commodity {
                Some(commodity) => view.commodity_name(commodity),
                None => "concentrate".to_owned(),
            };
            ui.add(egui::Label::new(&goods).truncate())
                .on_hover_text(goods);
        }
        _ => {
            ui.label(change_text(route.reference_t, route.scenario_t));
        }
    }
}
