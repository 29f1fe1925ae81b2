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
/// panel; the figures behind it follow.
const COLUMNS: [(Column, &str); 6] = [
    (Column::Plant, "Plant"),
    (Column::Country, "Country"),
    (Column::Change, "Biggest change"),
    (Column::Output, "Output t"),
    (Column::Input, "Input t"),
    (Column::Utilisation, "Used %"),
];

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
                region_name(view, region)
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
    egui::ScrollArea::both()
        .id_salt("plants")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            plant_grid(ui, view, &plants, &mut state, commands);
            ui.add_space(8.0);
            routes_ui(ui, &routes);
        });
    set_state(ui.ctx(), state);
}

fn region_name(view: &ViewCtx<'_>, region: &str) -> String {
    view.scenario
        .regions
        .iter()
        .find(|r| r.id == region)
        .map_or_else(|| region.to_owned(), |r| r.name.clone())
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

fn headings_ui(ui: &mut egui::Ui, state: &mut PlantViewState) {
    for (column, title) in COLUMNS {
        let text = if state.sort == column {
            format!("{title}{}", if state.ascending { " ^" } else { " v" })
        } else {
            title.to_owned()
        };
        if ui.button(text).clicked() {
            if state.sort == column {
                state.ascending = !state.ascending;
            } else {
                state.sort = column;
                state.ascending = false;
            }
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

fn plant_grid(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    plants: &[&PlantChange],
    state: &mut PlantViewState,
    commands: &mut Vec<Command>,
) {
    // The name column takes what the numbers leave, so the table fits the width and
    // nothing scrolls sideways (the name stays in view).
    let name_width = (ui.available_width() - 620.0).clamp(170.0, 420.0);
    egui::Grid::new("plant changes")
        .striped(true)
        .min_col_width(60.0)
        .show(ui, |ui| {
            headings_ui(ui, state);
            ui.end_row();
            for plant in plants {
                let open = state.open_rows.contains(&plant.node);
                let marker = if open { "-" } else { "+" };
                let selected = *view.selection == Selection::Node(plant.node.clone());
                let name = egui::Button::selectable(selected, format!("{marker} {}", plant.name))
                    .wrap_mode(egui::TextWrapMode::Truncate);
                let response = ui
                    .push_id(("plant", &plant.node), |ui| {
                        ui.set_max_width(name_width);
                        ui.add(name)
                    })
                    .inner
                    .on_hover_text(format!("{}: click for its feed by origin", plant.name));
                if response.clicked() {
                    if !state.open_rows.remove(&plant.node) {
                        state.open_rows.insert(plant.node.clone());
                    }
                    commands.push(Command::Select(Selection::Node(plant.node.clone())));
                }
                ui.scope(|ui| {
                    ui.set_max_width(110.0);
                    ui.add(egui::Label::new(&plant.country_name).truncate())
                        .on_hover_text(&plant.country_name);
                });
                let biggest = plant
                    .biggest_origin_change()
                    .map_or(plant.output_change_t(), |o| o.change_t());
                ui.label(coloured(
                    egui::RichText::new(biggest_change_text(plant)),
                    biggest,
                ));
                ui.label(change_text(plant.output_reference_t, plant.output_scenario_t));
                if plant.input_reference_t > 0.0 || plant.input_scenario_t > 0.0 {
                    ui.label(change_text(plant.input_reference_t, plant.input_scenario_t));
                } else {
                    ui.weak("-").on_hover_text(
                        "No route ends here: a mine, or magnet plants buying in their region's market",
                    );
                }
                ui.label(format!(
                    "{:.0} -> {:.0}",
                    plant.utilisation_reference * 100.0,
                    plant.utilisation_scenario * 100.0
                ));
                ui.end_row();
                if open {
                    origins_row(ui, plant);
                    ui.end_row();
                }
            }
        });
}

/// An open row: the plant's feed by origin, before -> after, t.
fn origins_row(ui: &mut egui::Ui, plant: &PlantChange) {
    ui.vertical(|ui| {
        ui.weak(format!("{} by origin, t", feed_word(plant)));
        for origin in plant
            .origins
            .iter()
            .filter(|o| o.reference_t >= NEGLIGIBLE_T || o.scenario_t >= NEGLIGIBLE_T)
        {
            let text = format!(
                "{}: {} -> {} t ({:+.0})",
                origin.name,
                units::tonnes(origin.reference_t),
                units::tonnes(origin.scenario_t),
                origin.change_t()
            );
            ui.label(coloured(egui::RichText::new(text), origin.change_t()));
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

fn routes_ui(ui: &mut egui::Ui, routes: &[(Option<Direction>, &RouteChange)]) {
    ui.strong(format!(
        "Routes lost, new or changed ({}), largest change first",
        routes.len()
    ));
    if routes.is_empty() {
        ui.label("None: every route carries what it carried in the reference.");
        return;
    }
    egui::Grid::new("route changes")
        .striped(true)
        .show(ui, |ui| {
            for heading in ["", "Route", "Goods", "t before -> after"] {
                ui.strong(heading);
            }
            ui.end_row();
            for (direction, route) in routes.iter().take(200) {
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
                ui.label(format!("{} -> {}", route.from.name, route.to.name));
                ui.label(match &route.commodity {
                    Some(commodity) => commodity.clone(),
                    None => "concentrate".to_owned(),
                });
                ui.label(change_text(route.reference_t, route.scenario_t));
                ui.end_row();
            }
        });
}
