//! The left panel: the scenario's policies, grouped by kind, with on/off switches; and the
//! countries, each expanding to its nodes.

use std::collections::BTreeMap;

use super::commands::Command;
use super::forms::FormRequest;
use super::palette;
use super::state::Selection;
use super::view_ctx::ViewCtx;
use crate::model::Edit;
use crate::units;

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        // Each heading carries its own "add" button, so the lists start where they did.
        ui.horizontal(|ui| {
            let description = &view.scenario.meta.description;
            ui.heading(&view.scenario.meta.name)
                .on_hover_text(if description.is_empty() {
                    "No description yet"
                } else {
                    description.as_str()
                });
            if ui
                .small_button("Rename…")
                .on_hover_text(
                    "Name and description: what the scenario assumes, in words (shown on \
                     Compare and when presenting)",
                )
                .clicked()
            {
                commands.push(Command::OpenForm(FormRequest::ScenarioInfo));
            }
        });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.strong("Policies");
            if ui.small_button("Add a policy…").clicked() {
                let exporter = match view.selection {
                    Selection::Country(iso3) => Some(iso3.clone()),
                    _ => None,
                };
                commands.push(Command::OpenForm(FormRequest::NewPolicy { exporter }));
            }
        });
        let mut by_kind: BTreeMap<&str, Vec<&crate::model::Policy>> = BTreeMap::new();
        for policy in &view.scenario.policies {
            by_kind
                .entry(policy.kind.kind_label())
                .or_default()
                .push(policy);
        }
        for (kind, policies) in by_kind {
            let on = policies.iter().filter(|p| p.enabled).count();
            egui::CollapsingHeader::new(format!("{kind} ({on} of {} on)", policies.len()))
                .id_salt(kind)
                .default_open(true)
                .show(ui, |ui| {
                    for policy in policies {
                        ui.horizontal_top(|ui| {
                            let years = match policy.end_year {
                                Some(end) => format!("{}–{end}", policy.start_year),
                                None => format!("from {}", policy.start_year),
                            };
                            let mut enabled = policy.enabled;
                            let checkbox = ui.add(egui::Checkbox::without_text(&mut enabled));
                            let selected = *view.selection == Selection::Policy(policy.id.clone());
                            // The label selects the policy for the inspector; it also names the
                            // checkbox for screen readers and tests.
                            let label = ui
                                .add(
                                    egui::Button::selectable(selected, policy.label.as_str())
                                        .wrap(),
                                )
                                .on_hover_text(format!("{years}. {}", policy.notes));
                            let checkbox = checkbox.labelled_by(label.id);
                            if checkbox.changed() {
                                commands.push(Command::Apply {
                                    edit: Edit::SetPolicyEnabled {
                                        policy: policy.id.clone(),
                                        enabled,
                                    },
                                    merge: false,
                                });
                            }
                            if label.clicked() {
                                commands
                                    .push(Command::Select(Selection::Policy(policy.id.clone())));
                            }
                        });
                    }
                });
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.strong("Countries");
            if ui.small_button("Add a plant…").clicked() {
                commands.push(Command::OpenForm(FormRequest::NewNode {
                    stage: crate::model::Stage::Magnet,
                    country: first_country(view),
                }));
            }
        });
        let mut by_country: BTreeMap<String, Vec<&crate::model::Node>> = BTreeMap::new();
        for node in &view.scenario.nodes {
            by_country
                .entry(view.country_name(&node.country))
                .or_default()
                .push(node);
        }
        let year_solution = view.year_solution();
        for (name, nodes) in by_country {
            let iso3 = nodes[0].country.clone();
            egui::CollapsingHeader::new(format!("{name} ({})", nodes.len()))
                .id_salt(("country", &iso3))
                .show(ui, |ui| {
                    if ui
                        .selectable_label(
                            *view.selection == Selection::Country(iso3.clone()),
                            format!("{name}: overview"),
                        )
                        .clicked()
                    {
                        commands.push(Command::Select(Selection::Country(iso3.clone())));
                    }
                    for node in nodes {
                        let stage = node.process.stage();
                        let capacity = view.scenario.capacity_in(node, view.year);
                        let output = year_solution
                            .and_then(|y| y.node(&node.id))
                            .map(|n| n.output_t);
                        let text = egui::RichText::new(format!(
                            "{} ({}, {})",
                            node.name,
                            stage.label(),
                            output.map_or_else(
                                || units::tonnes_short(capacity),
                                |o| format!(
                                    "{} of {}",
                                    units::tonnes_short(o),
                                    units::tonnes_short(capacity)
                                )
                            ),
                        ))
                        .color(palette::stage(stage));
                        if ui
                            .selectable_label(
                                *view.selection == Selection::Node(node.id.clone()),
                                text,
                            )
                            .clicked()
                        {
                            commands.push(Command::Select(Selection::Node(node.id.clone())));
                        }
                    }
                });
        }
    });
}

/// Where a new plant goes first: the selected country or a selected node's, else the first.
pub(super) fn first_country(view: &ViewCtx<'_>) -> String {
    match view.selection {
        Selection::Country(iso3) => iso3.clone(),
        Selection::Node(id) => view
            .scenario
            .node(id)
            .map(|n| n.country.clone())
            .unwrap_or_default(),
        _ => view
            .scenario
            .countries
            .first()
            .map(|c| c.iso3.clone())
            .unwrap_or_default(),
    }
}
