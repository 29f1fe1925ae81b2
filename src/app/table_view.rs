//! The node table: sortable by any column; capacity editable by dragging or typing.
//!
//! While a pointer button is down the rows keep the order they had when it went down:
//! a drag that changes a capacity would otherwise re-sort the table under the pointer and
//! carry on editing whichever plant slid into the row. Each row's widgets also take their
//! ids from the node, not from their place in the grid, so a drag stays with its plant.

use super::amount_input::{MAX_TYPED_T, held_while_pointer_down, parse_tonnes};
use super::commands::Command;
use super::frozen_table::{FrozenTable, Row};
use super::palette;
use super::state::Selection;
use super::view_ctx::ViewCtx;
use crate::model::{Edit, Node};
use crate::units;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Country,
    Stage,
    Status,
    Capacity,
    Output,
    Utilisation,
    Start,
}

impl Column {
    /// The width of a column beside the name (which takes the rest), points: enough for
    /// its heading with a sort marker and its widest usual value ("magnet plant",
    /// "Construction", "450,000"); a longer country name is clipped, whole on hover.
    fn width_points(self) -> f32 {
        match self {
            Column::Name => 0.0,
            Column::Country => 84.0,
            Column::Stage => 92.0,
            Column::Status => 92.0,
            Column::Capacity => 112.0,
            Column::Output => 80.0,
            Column::Utilisation => 68.0,
            Column::Start => 52.0,
        }
    }
}

const COLUMNS: [(Column, &str); 8] = [
    (Column::Name, "Node"),
    (Column::Country, "Country"),
    (Column::Stage, "Stage"),
    (Column::Status, "Status"),
    (Column::Capacity, "Capacity t/yr"),
    (Column::Output, "Output t"),
    (Column::Utilisation, "Used %"),
    (Column::Start, "Start"),
];

/// How the table is sorted: what a PNG export of the table needs to draw it as seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableSort {
    column: Column,
    descending: bool,
}

impl Default for TableSort {
    fn default() -> Self {
        Self {
            column: Column::Capacity,
            descending: true,
        }
    }
}

impl TableSort {
    /// By node name, A to Z.
    pub fn by_name() -> Self {
        Self {
            column: Column::Name,
            descending: false,
        }
    }

    /// The sort after a click on `column`'s heading: the other direction of the same
    /// column, or a new column (amounts largest first, text A to Z).
    fn after_click_on(self, column: Column) -> Self {
        if self.column == column {
            Self {
                descending: !self.descending,
                ..self
            }
        } else {
            Self {
                column,
                descending: matches!(
                    column,
                    Column::Capacity | Column::Output | Column::Utilisation
                ),
            }
        }
    }

    /// The sorted column's heading with its direction marker ("Node ^"), as the table
    /// shows it.
    pub fn heading(self) -> String {
        let (_, title) = COLUMNS
            .iter()
            .find(|(column, _)| *column == self.column)
            .copied()
            .unwrap_or(COLUMNS[0]);
        format!("{title}{}", if self.descending { " v" } else { " ^" })
    }
}

/// The table's own state: the sort, and the row order held while a pointer is down.
#[derive(Default)]
pub struct TableView {
    sort: TableSort,
    /// Node ids in the order shown last frame.
    shown_order: Vec<String>,
}

impl TableView {
    /// A table sorted as `sort` (a PNG export draws the table as the user sorted it).
    pub fn with_sort(sort: TableSort) -> Self {
        Self {
            sort,
            shown_order: Vec::new(),
        }
    }

    pub fn sort(&self) -> TableSort {
        self.sort
    }

    /// The scenario's nodes in table order: sorted, or — while a pointer button is down,
    /// and in the frame it is released — in last frame's order, with any node new since
    /// then at the end.
    fn rows<'a>(&mut self, ui: &egui::Ui, view: &ViewCtx<'a>) -> Vec<&'a Node> {
        let mut nodes: Vec<&Node> = view.scenario.nodes.iter().collect();
        let hold = ui.input(|i| i.pointer.any_down() || i.pointer.any_released())
            || ui.ctx().dragged_id().is_some();
        if hold && !self.shown_order.is_empty() {
            let place = |node: &Node| {
                self.shown_order
                    .iter()
                    .position(|id| *id == node.id)
                    .unwrap_or(usize::MAX)
            };
            nodes.sort_by_key(|node| place(node));
        } else {
            self.sort_nodes(&mut nodes, view);
        }
        self.shown_order = nodes.iter().map(|n| n.id.clone()).collect();
        nodes
    }

    fn sort_nodes(&self, nodes: &mut [&Node], view: &ViewCtx<'_>) {
        let year = view.year_solution();
        let output = |node: &Node| {
            year.and_then(|y| y.node(&node.id))
                .map_or(0.0, |n| n.output_t)
        };
        let utilisation = |node: &Node| {
            year.and_then(|y| y.node(&node.id))
                .map_or(0.0, |n| n.utilisation)
        };
        nodes.sort_by(|a, b| {
            let order = match self.sort.column {
                Column::Name => a.name.cmp(&b.name),
                Column::Country => view
                    .country_name(&a.country)
                    .cmp(&view.country_name(&b.country)),
                Column::Stage => a.process.stage().cmp(&b.process.stage()),
                Column::Status => format!("{:?}", a.status).cmp(&format!("{:?}", b.status)),
                Column::Capacity => view
                    .scenario
                    .capacity_in(a, view.year)
                    .total_cmp(&view.scenario.capacity_in(b, view.year)),
                Column::Output => output(a).total_cmp(&output(b)),
                Column::Utilisation => utilisation(a).total_cmp(&utilisation(b)),
                Column::Start => a.start_year.cmp(&b.start_year),
            };
            if self.sort.descending {
                order.reverse()
            } else {
                order
            }
        });
    }

    pub fn show(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        let nodes = self.rows(ui, view);
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} nodes in {}; click a heading to sort, drag a capacity to change it.",
                nodes.len(),
                view.year
            ));
            if ui.button("Add a plant…").clicked() {
                commands.push(Command::OpenForm(super::forms::FormRequest::NewNode {
                    stage: crate::model::Stage::Magnet,
                    country: super::scenario_panel::first_country(view),
                }));
            }
        });
        // The name stays put and the figures scroll sideways beneath their headings when
        // the centre is too narrow for them (a wide inspector): every column is in reach
        // at any panel width, and a row's figures are always beside its name.
        let row_height = ui.spacing().interact_size.y + 4.0;
        let widths: Vec<f32> = COLUMNS[1..].iter().map(|(c, _)| c.width_points()).collect();
        let rows = Row::alternating(row_height, nodes.iter().map(|n| egui::IdSalt::new(&n.id)));
        let mut name_id = None;
        FrozenTable::new("nodes", (110.0, 360.0), &widths, row_height, &rows).show(
            ui,
            |ui, cell| {
                let (column, title) = COLUMNS[cell.column];
                match cell.row {
                    None => self.heading_ui(ui, column, title),
                    Some(row) => {
                        let node = nodes[row];
                        if column == Column::Name {
                            name_id = Some(name_ui(ui, view, node, commands));
                        } else {
                            cell_ui(ui, view, node, column, name_id, commands);
                        }
                    }
                }
            },
        );
    }

    fn heading_ui(&mut self, ui: &mut egui::Ui, column: Column, title: &str) {
        let text = if self.sort.column == column {
            self.sort.heading()
        } else {
            title.to_owned()
        };
        if ui.button(text).clicked() {
            self.sort = self.sort.after_click_on(column);
        }
    }
}

/// A node's name: selects it. Its id comes from the node, so it does not move with the
/// row; it labels the row's capacity field.
fn name_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    node: &Node,
    commands: &mut Vec<Command>,
) -> egui::Id {
    let selected = *view.selection == Selection::Node(node.id.clone());
    let name = egui::Button::selectable(selected, node.name.as_str())
        .wrap_mode(egui::TextWrapMode::Truncate);
    let name = ui
        .push_id(("name", &node.id), |ui| ui.add(name))
        .inner
        .on_hover_text(&node.name);
    if name.clicked() {
        commands.push(Command::Select(Selection::Node(node.id.clone())));
    }
    name.id
}

/// One of a node's figures.
fn cell_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    node: &Node,
    column: Column,
    name_id: Option<egui::Id>,
    commands: &mut Vec<Command>,
) {
    let result = view.year_solution().and_then(|y| y.node(&node.id));
    match column {
        Column::Name => {}
        Column::Country => {
            let country = view.country_name(&node.country);
            ui.add(egui::Label::new(&country).truncate())
                .on_hover_text(country);
        }
        Column::Stage => {
            let stage = node.process.stage();
            ui.colored_label(palette::stage(stage), stage.label());
        }
        Column::Status => {
            ui.label(format!("{:?}", node.status));
        }
        Column::Capacity => capacity_cell(ui, node, name_id, commands),
        Column::Output => {
            ui.label(units::tonnes(result.map_or(0.0, |n| n.output_t)));
        }
        Column::Utilisation => {
            ui.label(format!(
                "{:.0}",
                result.map_or(0.0, |n| n.utilisation) * 100.0
            ));
        }
        Column::Start => {
            ui.label(
                node.start_year
                    .map_or_else(|| "-".to_owned(), |y| y.to_string()),
            );
        }
    }
}

/// A node's capacity: drag or type it.
fn capacity_cell(
    ui: &mut egui::Ui,
    node: &Node,
    name_id: Option<egui::Id>,
    commands: &mut Vec<Command>,
) {
    let mut capacity = node.capacity_t_per_yr;
    // A speed from the capacity when the pointer went down: a speed that followed the
    // capacity would compound over a long drag.
    let speed = held_while_pointer_down(
        ui,
        egui::Id::unique(("table capacity speed", &node.id)),
        (node.capacity_t_per_yr * 0.005).max(1.0),
    );
    let drag = egui::DragValue::new(&mut capacity)
        .range(0.0..=MAX_TYPED_T)
        .clamp_existing_to_range(false)
        .speed(speed)
        .custom_formatter(|value, _| units::tonnes(value))
        .custom_parser(parse_tonnes)
        // A typed capacity counts when entered: one edit, one undo step.
        .update_while_editing(false);
    let mut response = ui
        .push_id(("capacity", &node.id), |ui| ui.add(drag))
        .inner
        .on_hover_text(format!("Nameplate capacity of {}", node.name));
    if let Some(name_id) = name_id {
        response = response.labelled_by(name_id);
    }
    if response.changed() && capacity != node.capacity_t_per_yr {
        commands.push(Command::Apply {
            edit: Edit::SetNodeCapacity {
                node: node.id.clone(),
                capacity_t_per_yr: capacity,
            },
            merge: true,
        });
    }
}
