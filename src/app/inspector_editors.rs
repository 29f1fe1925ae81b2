//! The inspector's editors: what planners change most about a node (capacity, unit cost,
//! start year) and a policy (years, export cap or licensed share, tariff rate).
//!
//! Each editor emits an edit only for a value the user changed to something new: showing a
//! value never edits it (sliders do not clamp or round what they only display).

use super::amount_input;
use super::commands::Command;
use super::view_ctx::ViewCtx;
use crate::model::{Edit, Node, Policy, PolicyKind, QuotaLimit, TariffRate};

/// Capacity (slider and typed), unit cost and start year of `node`.
pub fn node_editors_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    node: &Node,
    commands: &mut Vec<Command>,
) {
    let stage = node.process.stage();
    let unit = if stage == crate::model::Stage::Magnet {
        "t NdFeB/yr"
    } else {
        "t REO/yr"
    };
    let nameplate_t = view
        .reference_scenario
        .node(&node.id)
        .map_or(node.capacity_t_per_yr, |n| n.capacity_t_per_yr);
    if let Some(capacity_t_per_yr) = amount_input::tonnes_ui(
        ui,
        egui::Id::unique(("capacity", &node.id)),
        &format!("Capacity, {unit}"),
        node.capacity_t_per_yr,
        nameplate_t,
        Some(10.0),
    ) {
        commands.push(Command::Apply {
            edit: Edit::SetNodeCapacity {
                node: node.id.clone(),
                capacity_t_per_yr,
            },
            merge: true,
        });
    }
    let mut has_cost = node.unit_cost_usd_per_kg.is_some();
    let mut cost = node.unit_cost_usd_per_kg.unwrap_or(10.0);
    ui.horizontal(|ui| {
        let toggled = ui
            .checkbox(&mut has_cost, "Set unit cost")
            .on_hover_text("A set cost replaces the calibrated cost curve")
            .changed();
        let dragged = ui
            .add_enabled(
                has_cost,
                egui::Slider::new(&mut cost, 0.0..=500.0)
                    .clamping(egui::SliderClamping::Edits)
                    .text("$/kg"),
            )
            .changed();
        let cost_changed = node.unit_cost_usd_per_kg != Some(cost);
        if toggled || (dragged && has_cost && cost_changed) {
            commands.push(Command::Apply {
                edit: Edit::SetNodeUnitCost {
                    node: node.id.clone(),
                    usd_per_kg: has_cost.then_some(cost),
                },
                merge: dragged,
            });
        }
    });
    let meta = &view.scenario.meta;
    let mut start = node
        .start_year
        .unwrap_or(meta.first_year)
        .max(meta.first_year);
    if ui
        .add(
            egui::Slider::new(&mut start, meta.first_year..=meta.last_year)
                .integer()
                .clamping(egui::SliderClamping::Edits)
                .text("Start year"),
        )
        .changed()
        && node.start_year != Some(start)
    {
        commands.push(Command::Apply {
            edit: Edit::SetNodeStartYear {
                node: node.id.clone(),
                year: Some(start),
            },
            merge: true,
        });
    }
}

/// The years of `policy` and, by its kind, its export cap, licensed share or tariff rate.
pub fn policy_editors_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    policy: &Policy,
    commands: &mut Vec<Command>,
) {
    let meta = &view.scenario.meta;
    let mut start = policy.start_year;
    if ui
        .add(
            egui::Slider::new(&mut start, meta.first_year..=meta.last_year)
                .integer()
                .clamping(egui::SliderClamping::Edits)
                .text("From year"),
        )
        .changed()
        && start != policy.start_year
    {
        let end = policy.end_year.map(|end| end.max(start));
        commands.push(Command::Apply {
            edit: Edit::SetPolicyYears {
                policy: policy.id.clone(),
                start_year: start,
                end_year: end,
            },
            merge: true,
        });
    }
    match &policy.kind {
        PolicyKind::ExportQuota { limit, .. } => match *limit {
            QuotaLimit::Tonnes(t) => {
                let nameplate_t = match view.reference_scenario.policy(&policy.id).map(|p| &p.kind)
                {
                    Some(PolicyKind::ExportQuota {
                        limit: QuotaLimit::Tonnes(reference_t),
                        ..
                    }) => *reference_t,
                    _ => t,
                };
                if let Some(new_t) = amount_input::tonnes_ui(
                    ui,
                    egui::Id::unique(("export cap", &policy.id)),
                    "Export cap, t/yr",
                    t,
                    nameplate_t,
                    None,
                ) {
                    commands.push(Command::Apply {
                        edit: Edit::SetQuotaLimit {
                            policy: policy.id.clone(),
                            limit: QuotaLimit::Tonnes(new_t),
                        },
                        merge: true,
                    });
                }
            }
            QuotaLimit::ShareOfOutput(share) => {
                let mut percent = share * 100.0;
                if ui
                    .add(
                        egui::Slider::new(&mut percent, 0.0..=100.0)
                            .clamping(egui::SliderClamping::Edits)
                            .text("Licensed share of output, %"),
                    )
                    .changed()
                    && percent != share * 100.0
                {
                    commands.push(Command::Apply {
                        edit: Edit::SetQuotaLimit {
                            policy: policy.id.clone(),
                            limit: QuotaLimit::ShareOfOutput(percent / 100.0),
                        },
                        merge: true,
                    });
                }
            }
        },
        PolicyKind::ImportTariff { rate, .. } => {
            let (mut value, ad_valorem) = match *rate {
                TariffRate::AdValorem(share) => (share * 100.0, true),
                TariffRate::UsdPerKg(usd) => (usd, false),
            };
            let (range, text) = if ad_valorem {
                (0.0..=200.0, "Tariff, % of value")
            } else {
                (0.0..=100.0, "Tariff, $/kg")
            };
            let shown = value;
            if ui
                .add(
                    egui::Slider::new(&mut value, range)
                        .clamping(egui::SliderClamping::Edits)
                        .text(text),
                )
                .changed()
                && value != shown
            {
                let rate = if ad_valorem {
                    TariffRate::AdValorem(value / 100.0)
                } else {
                    TariffRate::UsdPerKg(value)
                };
                commands.push(Command::Apply {
                    edit: Edit::SetTariffRate {
                        policy: policy.id.clone(),
                        rate,
                    },
                    merge: true,
                });
            }
        }
        _ => {}
    }
}
