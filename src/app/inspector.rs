//! The right panel: the selected node, country or policy, with editors for what planners
//! change most (capacity, unit cost, start year, quota, tariff; see `inspector_editors.rs`)
//! and the results of the year on screen.

use super::commands::Command;
use super::forms::FormRequest;
use super::inspector_editors as editors;
use super::range_form;
use super::state::Selection;
use super::view_ctx::ViewCtx;
use crate::model::{Edit, ExpansionOption, Node, Policy, PolicyKind, Process, UncertainTarget};
use crate::solver::OriginShare;
use crate::units;

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    // Both ways and never shrinking: content wider than the panel scrolls inside it instead of
    // widening the panel (which reflowed the centre view whenever the selection changed).
    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show(ui, |ui| match view.selection {
            Selection::Nothing => {
                ui.heading("Inspector");
                ui.label(
                    "Select a policy, a country or a node on the left, in the table or on the map.",
                );
            }
            Selection::Node(id) => match view.scenario.node(id) {
                Some(node) => node_ui(ui, view, node, commands),
                None => {
                    ui.label(format!("No node \"{id}\" in this scenario."));
                }
            },
            Selection::Policy(id) => match view.scenario.policy(id) {
                Some(policy) => policy_ui(ui, view, policy, commands),
                None => {
                    ui.label(format!("No policy \"{id}\" in this scenario."));
                }
            },
            Selection::Country(iso3) => country_ui(ui, view, iso3, commands),
        });
}

fn origin_ui(ui: &mut egui::Ui, origin: &[OriginShare]) {
    egui::Grid::new("origin").num_columns(2).show(ui, |ui| {
        for share in origin.iter().take(6) {
            ui.label(&share.name);
            let bar = egui::ProgressBar::new(share.share as f32)
                .desired_width(130.0)
                .text(format!("{:.0} %", share.share * 100.0));
            ui.add(bar);
            ui.end_row();
        }
    });
}

fn node_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>, node: &Node, commands: &mut Vec<Command>) {
    let stage = node.process.stage();
    ui.heading(&node.name);
    ui.label(format!(
        "{} in {}{}",
        stage.label(),
        view.country_name(&node.country),
        if node.operator.is_empty() {
            String::new()
        } else {
            format!(", {}", node.operator)
        }
    ));
    ui.label(format!("Status: {:?}", node.status));
    ui.add_space(6.0);
    editors::node_editors_ui(ui, view, node, commands);
    let mut targets = vec![UncertainTarget::NodeCapacity {
        node: node.id.clone(),
    }];
    if node.start_year.is_some() {
        targets.push(UncertainTarget::NodeStartYear {
            node: node.id.clone(),
        });
    }
    range_form::ranges_heading(ui);
    range_form::ranges_ui(ui, view, &targets, commands);
    expansion_ranges_ui(ui, view, node, commands);
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        let request = |r: FormRequest| Command::OpenForm(r);
        if ui.button("Change all fields…").clicked() {
            commands.push(request(FormRequest::EditNode(node.id.clone())));
        }
        if ui.button("Duplicate…").clicked() {
            commands.push(request(FormRequest::DuplicateNode(node.id.clone())));
        }
        if ui.button("Delete…").clicked() {
            commands.push(request(FormRequest::DeleteNode(node.id.clone())));
        }
    });
    node_results_ui(ui, view, node);
    if let Process::Mine {
        ore_type,
        composition,
    } = &node.process
    {
        ui.add_space(6.0);
        ui.label(format!("Ore: {ore_type}"));
        let shares: Vec<String> = composition
            .iter()
            .map(|s| {
                format!(
                    "{} {:.1} %",
                    view.commodity_name(&s.commodity),
                    s.share * 100.0
                )
            })
            .collect();
        ui.label(shares.join(", "));
    }
    ui.add_space(6.0);
    ui.collapsing("Source and notes", |ui| {
        ui.label(egui::RichText::new(&node.source).small());
        ui.label(egui::RichText::new(&node.notes).small());
    });
}

/// The node's result in the year on screen: output, what it made, where its ore came from.
fn node_results_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>, node: &Node) {
    let stage = node.process.stage();
    ui.add_space(6.0);
    ui.strong(format!("In {}", view.year));
    match view.year_solution().and_then(|y| y.node(&node.id)) {
        Some(result) => {
            ui.label(format!(
                "Output {} of {} capacity ({:.0} % used)",
                units::tonnes_short(result.output_t),
                units::tonnes_short(result.capacity_t),
                result.utilisation * 100.0
            ));
            built_capacity_ui(ui, view, node);
            for (commodity, t) in &result.outputs {
                if *t > 0.5 {
                    ui.label(format!(
                        "  {}: {}",
                        view.commodity_name(commodity),
                        units::tonnes_short(*t)
                    ));
                }
            }
            if !result.origin.is_empty() && stage != crate::model::Stage::Mine {
                ui.label("Where its material was mined:");
                origin_ui(ui, &result.origin);
            }
        }
        None => {
            ui.label("Solving...");
        }
    }
}

/// Capacity investors added to this node's kind since the base year, if any.
fn built_capacity_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>, node: &Node) {
    let Some(year) = view.year_solution() else {
        return;
    };
    for expansion in year
        .expansions
        .iter()
        .filter(|e| e.host == node.id && e.capacity_t_per_yr >= 0.5)
    {
        let what = expansion
            .commodity
            .as_deref()
            .map(|c| format!(" of {}", view.commodity_name(c)))
            .unwrap_or_default();
        ui.label(format!(
            "  of which {}{what} built by investors since {} ({} this year)",
            units::tonnes_short(expansion.capacity_t_per_yr),
            view.scenario.meta.base_year,
            units::tonnes_short(expansion.added_t_per_yr)
        ))
        .on_hover_text(
            "New capacity of this node's kind that pays its annualised capital cost at the \
             year's prices, after its lead time (the scenario's expansion options)",
        );
    }
}

fn policy_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>, policy: &Policy, commands: &mut Vec<Command>) {
    ui.heading(&policy.label);
    ui.label(policy.kind.kind_label());
    let mut enabled = policy.enabled;
    if ui.checkbox(&mut enabled, "Switched on").changed() {
        commands.push(Command::Apply {
            edit: Edit::SetPolicyEnabled {
                policy: policy.id.clone(),
                enabled,
            },
            merge: false,
        });
    }
    editors::policy_editors_ui(ui, view, policy, commands);
    if matches!(
        policy.kind,
        PolicyKind::ExportQuota { .. }
            | PolicyKind::ImportTariff { .. }
            | PolicyKind::ProductionQuota { .. }
    ) {
        range_form::ranges_heading(ui);
        let target = UncertainTarget::PolicySeverity {
            policy: policy.id.clone(),
        };
        range_form::ranges_ui(ui, view, &[target], commands);
        ui.add_space(6.0);
    }
    ui.horizontal(|ui| {
        if ui.button("Change all terms…").clicked() {
            commands.push(Command::OpenForm(FormRequest::EditPolicy(
                policy.id.clone(),
            )));
        }
        if ui.button("Delete").clicked() {
            commands.push(Command::Apply {
                edit: Edit::RemovePolicy {
                    policy: policy.id.clone(),
                },
                merge: false,
            });
        }
    });
    ui.add_space(6.0);
    ui.label(crate::policy_words::describe(view.scenario, policy));
    ui.add_space(6.0);
    ui.collapsing("Source and notes", |ui| {
        ui.label(egui::RichText::new(&policy.source).small());
        ui.label(egui::RichText::new(&policy.notes).small());
    });
}

fn country_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>, iso3: &str, commands: &mut Vec<Command>) {
    ui.heading(view.country_name(iso3));
    let region = view
        .scenario
        .country(iso3)
        .map_or("", |c| c.region.as_str());
    let region_name = view.region_name(region);
    ui.label(format!("Demand region: {region_name}"));
    if let Some(year) = view.year_solution() {
        ui.add_space(6.0);
        ui.strong(format!("{region_name} in {}", view.year));
        egui::Grid::new("country markets")
            .striped(true)
            .show(ui, |ui| {
                ui.label("commodity");
                ui.label("consumed");
                ui.label("short")
                    .on_hover_text(crate::report::SHORTFALL_MEANS);
                ui.label("price");
                ui.label("vs baseline");
                ui.end_row();
                for market in year.markets.iter().filter(|m| m.region == region) {
                    ui.label(view.commodity_name(&market.commodity));
                    ui.label(units::tonnes_short(market.consumption_t));
                    ui.label(units::tonnes_short(market.shortfall_t));
                    ui.label(units::usd_per_kg(market.price_usd_per_kg));
                    ui.label(
                        view.price_pressure(region, &market.commodity)
                            .map_or_else(|| "-".to_owned(), crate::report::pressure),
                    );
                    ui.end_row();
                }
            });
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        ui.label("Add here:");
        for stage in crate::model::Stage::ALL {
            if ui.button(format!("{}…", stage.label())).clicked() {
                commands.push(Command::OpenForm(FormRequest::NewNode {
                    stage,
                    country: iso3.to_owned(),
                }));
            }
        }
    });
    if ui
        .button("Trade costs from here…")
        .on_hover_text("Costs of moving goods, and routes that cost something else")
        .clicked()
    {
        commands.push(Command::OpenForm(FormRequest::TradeCosts {
            from: Some(iso3.to_owned()),
        }));
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("Demand in {region_name}:"));
        for demand in view.scenario.demand.iter().filter(|d| d.region == region) {
            if ui
                .small_button(format!("{}…", view.commodity_name(&demand.commodity)))
                .clicked()
            {
                commands.push(Command::OpenForm(FormRequest::Demand {
                    region: region.to_owned(),
                    commodity: demand.commodity.clone(),
                }));
            }
        }
    });
    demand_ranges_ui(ui, view, region, commands);
    ui.add_space(6.0);
    ui.strong("Nodes");
    for node in view.scenario.nodes.iter().filter(|n| n.country == iso3) {
        if ui.selectable_label(false, &node.name).clicked() {
            commands.push(Command::Select(Selection::Node(node.id.clone())));
        }
    }
}

/// Ranges on the demand elasticity and growth of each commodity the region buys (a range
/// varies every region's demand for the commodity alike).
fn demand_ranges_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    region: &str,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new("How sure? Ranges on demand (every region)")
        .id_salt("demand ranges")
        .show(ui, |ui| {
            let targets: Vec<UncertainTarget> = view
                .scenario
                .demand
                .iter()
                .filter(|d| d.region == region)
                .flat_map(|d| {
                    let commodity = d.commodity.clone();
                    [
                        UncertainTarget::DemandElasticity {
                            commodity: commodity.clone(),
                        },
                        UncertainTarget::DemandGrowth { commodity },
                    ]
                })
                .collect();
            range_form::ranges_ui(ui, view, &targets, commands);
        });
}

/// Ranges on the capital cost and lead time of the expansion options this node hosts (the
/// capacity investors may add of its kind): options have no place of their own on screen,
/// so they are reached through their host.
fn expansion_ranges_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    node: &Node,
    commands: &mut Vec<Command>,
) {
    let options: Vec<&ExpansionOption> = view
        .scenario
        .expansion
        .iter()
        .filter(|option| option.host == node.id)
        .collect();
    if options.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!(
        "How sure? Ranges on expansion options ({})",
        options.len()
    ))
    .id_salt("expansion ranges")
    .show(ui, |ui| {
        for option in options {
            ui.label(format!(
                "{}: ${} per t/yr of capacity, {} years' lead{}",
                option.label,
                units::whole_number(option.capital_cost_usd_per_t_per_yr),
                option.lead_years,
                if option.enabled {
                    ""
                } else {
                    " (switched off)"
                }
            ));
            let targets = [
                UncertainTarget::ExpansionCapitalCost {
                    option: option.id.clone(),
                },
                UncertainTarget::ExpansionLeadTime {
                    option: option.id.clone(),
                },
            ];
            range_form::ranges_ui(ui, view, &targets, commands);
            ui.add_space(4.0);
        }
    });
}
