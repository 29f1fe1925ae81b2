//! The node table: sortable by any column; capacity, unit cost and start year editable.

use super::ViewCtx;
use super::commands::Command;
use super::palette;
use super::state::Selection;
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

/// The table's own state: the sort column and direction.
pub struct TableView {
    sort: Column,
    descending: bool,
}

impl Default for TableView {
    fn default() -> Self {
        Self {
            sort: Column::Capacity,
            descending: true,
        }
    }
}

impl TableView {
    pub fn show(&mut self, ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
        let year = view.year_solution();
        let output = |node: &Node| {
            year.and_then(|y| y.node(&node.id))
                .map_or(0.0, |n| n.output_t)
        };
        let utilisation = |node: &Node| {
            year.and_then(|y| y.node(&node.id))
                .map_or(0.0, |n| n.utilisation)
        };
        let mut nodes: Vec<&Node> = view.scenario.nodes.iter().collect();
        nodes.sort_by(|a, b| {
            let order = match self.sort {
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
            if self.descending {
                order.reverse()
            } else {
                order
            }
        });
        ui.label(format!(
            "{} nodes in {}; click a heading to sort, drag a capacity to change it.",
            nodes.len(),
            view.year
        ));
        egui::ScrollArea::both().show(ui, |ui| {
            egui::Grid::new("nodes")
                .striped(true)
                .min_col_width(60.0)
                .max_col_width(300.0)
                .show(ui, |ui| {
                    for (column, title) in COLUMNS {
                        let marker = if self.sort == column {
                            if self.descending { " v" } else { " ^" }
                        } else {
                            ""
                        };
                        if ui.button(format!("{title}{marker}")).clicked() {
                            if self.sort == column {
                                self.descending = !self.descending;
                            } else {
                                self.sort = column;
                                self.descending = matches!(
                                    column,
                                    Column::Capacity | Column::Output | Column::Utilisation
                                );
                            }
                        }
                    }
                    ui.end_row();
                    for node in nodes {
                        let stage = node.process.stage();
                        let selected = *view.selection == Selection::Node(node.id.clone());
                        let name = egui::Button::selectable(selected, node.name.as_str())
                            .wrap_mode(egui::TextWrapMode::Truncate);
                        let name = ui.add(name).on_hover_text(&node.name);
                        let name_id = name.id;
                        if name.clicked() {
                            commands.push(Command::Select(Selection::Node(node.id.clone())));
                        }
                        ui.add(egui::Label::new(view.country_name(&node.country)).truncate());
                        ui.colored_label(palette::stage(stage), stage.label());
                        ui.label(format!("{:?}", node.status));
                        let mut capacity = node.capacity_t_per_yr;
                        let drag = egui::DragValue::new(&mut capacity)
                            .range(0.0..=1.0e7)
                            .speed((node.capacity_t_per_yr * 0.005).max(1.0))
                            .custom_formatter(|value, _| units::tonnes(value));
                        let response = ui
                            .add(drag)
                            .on_hover_text(format!("Nameplate capacity of {}", node.name))
                            .labelled_by(name_id);
                        if response.changed() {
                            commands.push(Command::Apply {
                                edit: Edit::SetNodeCapacity {
                                    node: node.id.clone(),
                                    capacity_t_per_yr: capacity,
                                },
                                merge: true,
                            });
                        }
                        ui.label(units::tonnes(output(node)));
                        ui.label(format!("{:.0}", utilisation(node) * 100.0));
                        ui.label(
                            node.start_year
                                .map_or_else(|| "-".to_owned(), |y| y.to_string()),
                        );
                        ui.end_row();
                    }
                });
        });
    }
}
