//! The form that adds a mine, refinery or magnet plant (new, or a copy of an existing node),
//! or changes every field of one. It edits a draft [`Node`]; "Add" / "Apply" sends one
//! `Edit::PutNode`, refused with the validator's words if the node is not valid.

use super::form_rows::{self, field, wide_text};
use crate::model::{
    Circuit, Edit, Node, NodeStatus, Process, RecipeInput, RefineryFeed, Scenario, Share, Stage,
    item_edits,
};

/// A node being drafted.
pub struct NodeForm {
    pub draft: Node,
    /// Whether the draft replaces an existing node (same id) or adds one.
    pub replaces: bool,
    /// The mine whose ore composition a new mine copies.
    pub ore_from: String,
    /// Why the last "Add" was refused.
    pub refusal: Option<String>,
}

const STATUSES: [NodeStatus; 5] = [
    NodeStatus::Operating,
    NodeStatus::Construction,
    NodeStatus::Planned,
    NodeStatus::Pilot,
    NodeStatus::Exploration,
];

impl NodeForm {
    /// A new node of `stage` in `country`, starting from the data's typical node of that
    /// stage (its ore, circuits or recipe), at 1,000 t/yr from the year after the base year.
    pub fn new_node(scenario: &Scenario, stage: Stage, country: &str) -> Self {
        let name = default_name(scenario, stage, country);
        let mut draft = Node {
            id: item_edits::new_node_id(scenario, stage, country, &name),
            name,
            operator: String::new(),
            country: country.to_owned(),
            status: NodeStatus::Planned,
            capacity_t_per_yr: 1_000.0,
            start_year: Some(scenario.meta.base_year + 1),
            ramp_years: 2,
            expansions: Vec::new(),
            unit_cost_usd_per_kg: None,
            reported_output: Vec::new(),
            process: default_process(scenario, stage),
            source: "What-if added in rareflow".to_owned(),
            notes: String::new(),
        };
        scale_circuits_to_capacity(&mut draft);
        let ore_from = first_node_of(scenario, Stage::Mine).unwrap_or_default();
        Self {
            draft,
            replaces: false,
            ore_from,
            refusal: None,
        }
    }

    /// A copy of `node` under a new id and name, to change before adding.
    pub fn duplicate(scenario: &Scenario, node: &Node) -> Self {
        let mut draft = node.clone();
        draft.name = format!("{} (copy)", node.name);
        draft.id =
            item_edits::new_node_id(scenario, node.process.stage(), &node.country, &draft.name);
        draft.reported_output.clear();
        Self {
            draft,
            replaces: false,
            ore_from: node.id.clone(),
            refusal: None,
        }
    }

    /// Every field of an existing node.
    pub fn edit(node: &Node) -> Self {
        Self {
            draft: node.clone(),
            replaces: true,
            ore_from: node.id.clone(),
            refusal: None,
        }
    }

    pub fn title(&self) -> String {
        if self.replaces {
            format!("Change {}", self.draft.name)
        } else {
            format!("Add a {}", self.draft.process.stage().label())
        }
    }

    /// Draws the form; returns the edit when the user confirms and the scenario accepts
    /// it, and `Some(None)` when the user cancels.
    pub fn ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) -> Option<Option<Edit>> {
        egui::Grid::new("node form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| self.common_fields_ui(ui, scenario));
        ui.separator();
        self.process_ui(ui, scenario);
        ui.separator();
        let draft = &self.draft;
        form_rows::confirm_edit(ui, self.replaces, &mut self.refusal, scenario, || {
            Edit::PutNode(Box::new(draft.clone()))
        })
    }

    fn common_fields_ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) {
        let draft = &mut self.draft;
        if !self.replaces {
            ui.label("Kind");
            let mut stage = draft.process.stage();
            egui::ComboBox::from_id_salt("node kind")
                .selected_text(stage.label())
                .show_ui(ui, |ui| {
                    for choice in Stage::ALL {
                        ui.selectable_value(&mut stage, choice, choice.label());
                    }
                });
            if stage != draft.process.stage() {
                if draft.name == default_name(scenario, draft.process.stage(), &draft.country) {
                    draft.name = default_name(scenario, stage, &draft.country);
                }
                draft.process = default_process(scenario, stage);
                draft.id = item_edits::new_node_id(scenario, stage, &draft.country, &draft.name);
                scale_circuits_to_capacity(draft);
            }
            ui.end_row();
            ui.label("Country");
            let mut country = draft.country.clone();
            super::policy_terms::country_picker(ui, scenario, "node country", &mut country);
            if country != draft.country {
                if draft.name == default_name(scenario, draft.process.stage(), &draft.country) {
                    draft.name = default_name(scenario, draft.process.stage(), &country);
                }
                draft.id =
                    item_edits::new_node_id(scenario, draft.process.stage(), &country, &draft.name);
                draft.country = country;
            }
            ui.end_row();
        }
        field(ui, "Name", |ui| wide_text(ui, &mut draft.name));
        field(ui, "Operator", |ui| wide_text(ui, &mut draft.operator));
        let before = draft.capacity_t_per_yr;
        field(ui, "Capacity (t/yr)", |ui| {
            ui.add(
                egui::DragValue::new(&mut draft.capacity_t_per_yr)
                    .range(0.0..=1.0e7)
                    .speed(10.0)
                    .max_decimals(0),
            )
        });
        if draft.capacity_t_per_yr != before {
            scale_circuits_to_capacity(draft);
        }
        let label = ui.label("First year of output");
        start_year_ui(ui, draft, scenario, label.id);
        ui.end_row();
        ui.label("Ramp to capacity (years)");
        ui.add(egui::DragValue::new(&mut draft.ramp_years).range(0..=10));
        ui.end_row();
        ui.label("Status");
        egui::ComboBox::from_id_salt("node status")
            .selected_text(format!("{:?}", draft.status))
            .show_ui(ui, |ui| {
                for status in STATUSES {
                    ui.selectable_value(&mut draft.status, status, format!("{status:?}"));
                }
            });
        ui.end_row();
        field(ui, "Source", |ui| wide_text(ui, &mut draft.source));
    }

    fn process_ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) {
        match &mut self.draft.process {
            Process::Mine {
                ore_type,
                composition,
            } => {
                ui.horizontal(|ui| {
                    ui.label("Ore like");
                    let mut from = self.ore_from.clone();
                    egui::ComboBox::from_id_salt("ore from")
                        .selected_text(node_label(scenario, &from))
                        .height(320.0)
                        .show_ui(ui, |ui| {
                            for node in nodes_of(scenario, Stage::Mine) {
                                ui.selectable_value(&mut from, node.id.clone(), &node.name);
                            }
                        });
                    if from != self.ore_from
                        && let Some(Process::Mine {
                            ore_type: their_type,
                            composition: theirs,
                        }) = scenario.node(&from).map(|n| &n.process)
                    {
                        ore_type.clone_from(their_type);
                        composition.clone_from(theirs);
                        self.ore_from = from;
                    }
                });
                ui.label(format!("Deposit type: {ore_type}"));
                shares_ui(ui, scenario, composition, "Share of the ore's REO (%)");
            }
            Process::Refinery { circuits, .. } => {
                ui.label("Separation circuits (t/yr of oxide):");
                egui::Grid::new("circuits").num_columns(2).show(ui, |ui| {
                    for circuit in circuits.iter_mut() {
                        ui.label(commodity_label(scenario, &circuit.commodity));
                        ui.add(
                            egui::DragValue::new(&mut circuit.capacity_t_per_yr)
                                .range(0.0..=1.0e7)
                                .speed(5.0)
                                .max_decimals(0),
                        );
                        ui.end_row();
                    }
                });
                // A refinery's capacity is the sum of the circuits that start with it.
                self.draft.capacity_t_per_yr = circuits
                    .iter()
                    .filter(|c| c.start_year.is_none())
                    .map(|c| c.capacity_t_per_yr)
                    .sum();
            }
            Process::MagnetPlant { recipe, .. } => {
                ui.label("Recipe (t of oxide per t of magnet):");
                egui::Grid::new("recipe").num_columns(2).show(ui, |ui| {
                    for input in recipe.iter_mut() {
                        ui.label(commodity_label(scenario, &input.commodity));
                        ui.add(
                            egui::DragValue::new(&mut input.t_per_t)
                                .range(0.0..=1.0)
                                .speed(0.001)
                                .max_decimals(4),
                        );
                        ui.end_row();
                    }
                });
            }
        }
    }
}

fn start_year_ui(ui: &mut egui::Ui, draft: &mut Node, scenario: &Scenario, label: egui::Id) {
    ui.horizontal(|ui| {
        let mut before_horizon = draft.start_year.is_none();
        if ui
            .checkbox(&mut before_horizon, "already running")
            .changed()
        {
            draft.start_year = (!before_horizon).then_some(scenario.meta.base_year + 1);
        }
        if let Some(year) = &mut draft.start_year {
            ui.add(
                egui::DragValue::new(year)
                    .range(scenario.meta.first_year..=scenario.meta.last_year),
            )
            .labelled_by(label);
        }
    });
}

fn shares_ui(ui: &mut egui::Ui, scenario: &Scenario, shares: &mut [Share], heading: &str) {
    ui.label(heading);
    egui::Grid::new("shares").num_columns(2).show(ui, |ui| {
        for share in shares.iter_mut() {
            ui.label(commodity_label(scenario, &share.commodity));
            let mut percent = share.share * 100.0;
            if ui
                .add(
                    egui::DragValue::new(&mut percent)
                        .range(0.0..=100.0)
                        .speed(0.1)
                        .max_decimals(2),
                )
                .changed()
            {
                share.share = percent / 100.0;
            }
            ui.end_row();
        }
    });
    let total: f64 = shares.iter().map(|s| s.share).sum();
    ui.label(format!("Total {:.2} % (must be 100 %)", total * 100.0));
}

/// A new node's process: the ore of the first mine, the circuits and recovery of the
/// first refinery that buys concentrate, the recipe of the first magnet plant.
fn default_process(scenario: &Scenario, stage: Stage) -> Process {
    let like = scenario
        .nodes
        .iter()
        .filter(|n| n.process.stage() == stage)
        .find(|n| {
            !matches!(
                n.process,
                Process::Refinery {
                    feed: RefineryFeed::Secondary { .. },
                    ..
                }
            )
        })
        .map(|n| n.process.clone());
    like.map_or_else(
        || fallback_process(scenario, stage),
        |process| match process {
            Process::Refinery {
                recovery, circuits, ..
            } => Process::Refinery {
                recovery,
                circuits: circuits
                    .into_iter()
                    .filter(|c| c.start_year.is_none())
                    .collect(),
                feed: RefineryFeed::Concentrate,
            },
            other => other,
        },
    )
}

/// A process when the scenario has no node of that kind to copy: oxides in equal shares.
fn fallback_process(scenario: &Scenario, stage: Stage) -> Process {
    let oxides: Vec<&str> = scenario
        .commodities
        .iter()
        .filter(|c| c.kind == crate::model::CommodityKind::Oxide)
        .map(|c| c.id.as_str())
        .collect();
    let share = 1.0 / oxides.len().max(1) as f64;
    match stage {
        Stage::Mine => Process::Mine {
            ore_type: "user_defined".to_owned(),
            composition: oxides
                .iter()
                .map(|c| Share {
                    commodity: (*c).to_owned(),
                    share,
                })
                .collect(),
        },
        Stage::Refinery => Process::Refinery {
            recovery: 0.95,
            circuits: oxides
                .iter()
                .map(|c| Circuit {
                    commodity: (*c).to_owned(),
                    capacity_t_per_yr: 0.0,
                    start_year: None,
                    ramp_years: 0,
                })
                .collect(),
            feed: RefineryFeed::Concentrate,
        },
        Stage::Magnet => Process::MagnetPlant {
            product: "NDFEB".to_owned(),
            recipe: vec![RecipeInput {
                commodity: "NDPR".to_owned(),
                t_per_t: 0.25,
            }],
        },
    }
}

/// Keeps a refinery's base circuits in their proportions while its capacity changes.
fn scale_circuits_to_capacity(node: &mut Node) {
    let capacity = node.capacity_t_per_yr;
    if let Process::Refinery { circuits, .. } = &mut node.process {
        let total: f64 = circuits
            .iter()
            .filter(|c| c.start_year.is_none())
            .map(|c| c.capacity_t_per_yr)
            .sum();
        let count = circuits.iter().filter(|c| c.start_year.is_none()).count();
        for circuit in circuits.iter_mut().filter(|c| c.start_year.is_none()) {
            circuit.capacity_t_per_yr = if total > 0.0 {
                circuit.capacity_t_per_yr * capacity / total
            } else {
                capacity / count.max(1) as f64
            };
        }
    }
}

fn nodes_of(scenario: &Scenario, stage: Stage) -> impl Iterator<Item = &Node> {
    scenario
        .nodes
        .iter()
        .filter(move |n| n.process.stage() == stage)
}

fn first_node_of(scenario: &Scenario, stage: Stage) -> Option<String> {
    nodes_of(scenario, stage).next().map(|n| n.id.clone())
}

/// "New magnet plant in Germany": the name a new node has until the user gives it one.
fn default_name(scenario: &Scenario, stage: Stage, country: &str) -> String {
    format!(
        "New {} in {}",
        stage.label(),
        country_label(scenario, country)
    )
}

fn node_label(scenario: &Scenario, id: &str) -> String {
    scenario
        .node(id)
        .map_or_else(|| "choose a mine".to_owned(), |n| n.name.clone())
}

fn country_label(scenario: &Scenario, iso3: &str) -> String {
    scenario.country_name(iso3)
}

fn commodity_label(scenario: &Scenario, id: &str) -> String {
    scenario.commodity_name(id)
}
