//! The windows that build a what-if: add or change a node or a policy, a region's demand,
//! the scenario's name and description, and the confirmation before a node is deleted.
//! Each edits a draft; confirming sends one `Command::Apply` (one undo step).

use super::commands::Command;
use super::node_form::NodeForm;
use super::policy_form::PolicyForm;
use super::range_form::RangeForm;
use super::trade_form::TradeForm;
use crate::model::{Demand, Edit, LongRunResponse, PolicyKind, Scenario, Stage, item_edits};

/// Which form to open.
#[derive(Clone, Debug, PartialEq)]
pub enum FormRequest {
    /// A new plant of `stage` in `country` ("Add a plant here").
    NewNode {
        stage: Stage,
        country: String,
    },
    DuplicateNode(String),
    /// Every field of a node.
    EditNode(String),
    /// Asks before deleting a node, naming what goes with it.
    DeleteNode(String),
    /// A new policy; a trade policy's exporter is `exporter` when one is given.
    NewPolicy {
        exporter: Option<String>,
    },
    /// A demand shock for the region's demand of the commodity.
    NewDemandShock {
        region: String,
        commodity: String,
    },
    /// Every term of a policy.
    EditPolicy(String),
    /// The region's demand for the commodity.
    Demand {
        region: String,
        commodity: String,
    },
    ScenarioInfo,
    /// The scenario's validation problems, each selecting its item.
    Problems,
    /// Trade costs: the defaults and route overrides; new routes start from `from`.
    TradeCosts {
        from: Option<String>,
    },
    /// A range on a guessed number (an uncertain input), new or existing.
    Range(super::range_form::RangeRequest),
}

/// The open forms (at most one of each).
#[derive(Default)]
pub struct Forms {
    node: Option<NodeForm>,
    policy: Option<PolicyForm>,
    demand: Option<Demand>,
    info: Option<(String, String)>,
    delete: Option<String>,
    trade: Option<TradeForm>,
    range: Option<RangeForm>,
    problems: bool,
}

impl Forms {
    pub fn open(&mut self, request: FormRequest, scenario: &Scenario) {
        match request {
            FormRequest::NewNode { stage, country } => {
                self.node = Some(NodeForm::new_node(scenario, stage, &country));
            }
            FormRequest::DuplicateNode(id) => {
                self.node = scenario.node(&id).map(|n| NodeForm::duplicate(scenario, n));
            }
            FormRequest::EditNode(id) => self.node = scenario.node(&id).map(NodeForm::edit),
            FormRequest::DeleteNode(id) => self.delete = Some(id),
            FormRequest::NewPolicy { exporter } => {
                self.policy = Some(PolicyForm::new_policy(scenario, exporter.as_deref()));
            }
            FormRequest::NewDemandShock { region, commodity } => {
                // Named as planners read it ("NdFeB magnets in Japan"), not by the ids.
                let commodity_name = scenario
                    .commodity(&commodity)
                    .map_or(commodity.as_str(), |c| c.name.as_str());
                let region_name = scenario
                    .regions
                    .iter()
                    .find(|r| r.id == region)
                    .map_or(region.as_str(), |r| {
                        crate::report::short_region_name(&r.name)
                    });
                let label = format!("Demand shock: {commodity_name} in {region_name}");
                let kind = PolicyKind::DemandShock {
                    region,
                    commodity,
                    factor: 1.2,
                };
                self.policy = Some(PolicyForm::with_kind(scenario, &label, kind));
            }
            FormRequest::EditPolicy(id) => {
                self.policy = scenario.policy(&id).map(PolicyForm::edit);
            }
            FormRequest::Demand { region, commodity } => {
                self.demand = scenario
                    .demand
                    .iter()
                    .find(|d| d.region == region && d.commodity == commodity)
                    .cloned();
            }
            FormRequest::TradeCosts { from } => {
                self.trade = Some(TradeForm::new(scenario, from.as_deref()));
            }
            FormRequest::Range(request) => self.range = RangeForm::open(request, scenario),
            FormRequest::Problems => self.problems = true,
            FormRequest::ScenarioInfo => {
                let meta = &scenario.meta;
                self.info = Some((meta.name.clone(), meta.description.clone()));
            }
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, scenario: &Scenario, commands: &mut Vec<Command>) {
        if self.problems {
            let outcome = window(ctx, "Validation problems", "problems")
                .show(ctx, |ui| super::problems_view::ui(ui, scenario, commands));
            if outcome.and_then(|r| r.inner).flatten().is_some() {
                self.problems = false;
            }
        }
        let mut apply = |edit: Edit| commands.push(Command::Apply { edit, merge: false });
        if let Some(form) = &mut self.node {
            let outcome = window(ctx, &form.title(), "node").show(ctx, |ui| form.ui(ui, scenario));
            if let Some(done) = outcome.and_then(|r| r.inner).flatten() {
                if let Some(edit) = done {
                    apply(edit);
                }
                self.node = None;
            }
        }
        if let Some(form) = &mut self.policy {
            let outcome =
                window(ctx, &form.title(), "policy").show(ctx, |ui| form.ui(ui, scenario));
            if let Some(done) = outcome.and_then(|r| r.inner).flatten() {
                if let Some(edit) = done {
                    apply(edit);
                }
                self.policy = None;
            }
        }
        if let Some(form) = &mut self.trade {
            let outcome = window(ctx, "Trade costs", "trade").show(ctx, |ui| form.ui(ui, scenario));
            if let Some(done) = outcome.and_then(|r| r.inner).flatten() {
                if let Some(edit) = done {
                    apply(edit);
                }
                self.trade = None;
            }
        }
        if let Some(form) = &mut self.range {
            let title = form.title(scenario);
            let outcome = window(ctx, &title, "range").show(ctx, |ui| form.ui(ui, scenario));
            if let Some(done) = outcome.and_then(|r| r.inner).flatten() {
                if let Some(edit) = done {
                    apply(edit);
                }
                self.range = None;
            }
        }
        if let Some(demand) = &mut self.demand {
            let commodity = scenario
                .commodity(&demand.commodity)
                .map_or(demand.commodity.as_str(), |c| c.name.as_str());
            let region = scenario
                .regions
                .iter()
                .find(|r| r.id == demand.region)
                .map_or(demand.region.as_str(), |r| r.name.as_str());
            let title = format!("Demand for {commodity} in {region}");
            let outcome = window(ctx, &title, "demand").show(ctx, |ui| demand_ui(ui, demand));
            if let Some(done) = outcome.and_then(|r| r.inner).flatten() {
                if done {
                    apply(Edit::PutDemand(Box::new(demand.clone())));
                }
                self.demand = None;
            }
        }
        if let Some((name, description)) = &mut self.info {
            let outcome = window(ctx, "Scenario name and description", "info")
                .show(ctx, |ui| info_ui(ui, name, description));
            if let Some(done) = outcome.and_then(|r| r.inner).flatten() {
                if done {
                    apply(Edit::SetScenarioInfo {
                        name: name.clone(),
                        description: description.clone(),
                    });
                }
                self.info = None;
            }
        }
        if let Some(node) = &self.delete {
            let outcome = window(ctx, "Delete a plant", "delete")
                .show(ctx, |ui| delete_ui(ui, scenario, node));
            if let Some(done) = outcome.and_then(|r| r.inner).flatten() {
                if done {
                    apply(Edit::RemoveNode { node: node.clone() });
                }
                self.delete = None;
            }
        }
    }
}

/// A form's window; `id` keeps it in place when its title changes with the draft.
fn window<'a>(ctx: &egui::Context, title: &'a str, id: &str) -> egui::Window<'a> {
    let centre = ctx.content_rect().center();
    egui::Window::new(title)
        .id(egui::Id::unique(("what-if form", id)))
        .collapsible(false)
        .resizable(false)
        // Wide enough for a plant's name, a citation and a row of trade routes.
        .min_width(520.0)
        .default_pos(centre - egui::vec2(220.0, 260.0))
}

/// `Some(true)` when confirmed, `Some(false)` when cancelled.
fn confirm_row(ui: &mut egui::Ui, confirm: &str) -> Option<bool> {
    let mut outcome = None;
    ui.horizontal(|ui| {
        if ui.button(confirm).clicked() {
            outcome = Some(true);
        }
        if ui.button("Cancel").clicked() {
            outcome = Some(false);
        }
    });
    outcome
}

fn demand_ui(ui: &mut egui::Ui, demand: &mut Demand) -> Option<bool> {
    egui::Grid::new("demand form")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Reference quantity (t/yr, base year)");
            ui.add(
                egui::DragValue::new(&mut demand.reference_t_per_yr)
                    .range(0.0..=1.0e7)
                    .speed(10.0)
                    .max_decimals(0),
            );
            ui.end_row();
            ui.label("Reference price ($/kg)");
            ui.add(
                egui::DragValue::new(&mut demand.reference_price_usd_per_kg)
                    .range(0.0..=100_000.0)
                    .speed(0.1),
            );
            ui.end_row();
            super::form_rows::field(ui, "Growth (%/yr)", |ui| {
                percent_field(ui, &mut demand.growth_per_yr, -50.0..=100.0)
            });
            ui.label("Short-run elasticity");
            ui.add(
                egui::DragValue::new(&mut demand.elasticity)
                    .range(0.01..=10.0)
                    .speed(0.005),
            );
            ui.end_row();
            if let Some(long_run) = &mut demand.long_run {
                long_run_rows(ui, long_run);
            }
            super::form_rows::field(ui, "Source", |ui| {
                super::form_rows::wide_text(ui, &mut demand.source)
            });
        });
    confirm_row(ui, "Apply")
}

fn long_run_rows(ui: &mut egui::Ui, long_run: &mut LongRunResponse) {
    ui.label("Long-run elasticity");
    ui.add(
        egui::DragValue::new(&mut long_run.elasticity)
            .range(0.01..=10.0)
            .speed(0.005),
    );
    ui.end_row();
    super::form_rows::field(ui, "Adjustment (share of the gap per year)", |ui| {
        percent_field(ui, &mut long_run.adjustment_per_yr, 1.0..=100.0)
    });
}

fn percent_field(
    ui: &mut egui::Ui,
    share: &mut f64,
    range: std::ops::RangeInclusive<f64>,
) -> egui::Response {
    let mut shown = *share * 100.0;
    let response = ui.add(
        egui::DragValue::new(&mut shown)
            .range(range)
            .speed(0.1)
            .suffix(" %"),
    );
    if response.changed() {
        *share = shown / 100.0;
    }
    response
}

fn info_ui(ui: &mut egui::Ui, name: &mut String, description: &mut String) -> Option<bool> {
    ui.label("Name");
    ui.text_edit_singleline(name);
    ui.label("Description: what the scenario assumes, in words");
    ui.add(
        egui::TextEdit::multiline(description)
            .desired_rows(6)
            .desired_width(420.0),
    );
    confirm_row(ui, "Apply")
}

fn delete_ui(ui: &mut egui::Ui, scenario: &Scenario, node: &str) -> Option<bool> {
    let name = scenario.node(node).map_or(node, |n| n.name.as_str());
    ui.label(format!("Delete {name}?"));
    let dependants = item_edits::node_dependants(scenario, node);
    if dependants.is_empty() {
        ui.label("Nothing else refers to it.");
    } else {
        ui.label("These refer to it and are deleted with it:");
        for dependant in dependants {
            ui.label(format!("  • {dependant}"));
        }
    }
    ui.label("Undo brings everything back.");
    confirm_row(ui, "Delete")
}
