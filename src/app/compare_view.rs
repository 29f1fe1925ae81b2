//! The comparison: what the reference is and how to choose another, what differs in the
//! assumptions (each line selects its item), and by how much prices and shortfalls moved;
//! or, under "Plants", who is hurt (a region's row header opens its plants).

use super::commands::{Command, ReferenceChoice};
use super::palette;
use super::plant_compare_view::{self, CompareSubView};
use super::state::Selection;
use super::view_ctx::ViewCtx;
use crate::compare::{DiffItem, assumption_diff};
use crate::units;

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    let meta = &view.scenario.meta;
    ui.strong(&meta.name);
    if !meta.description.is_empty() {
        ui.add(egui::Label::new(egui::RichText::new(&meta.description).weak()).wrap());
    }
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!(
            "Compared with: {}",
            view.reference_scenario.meta.name
        ));
        if view.reference.is_none() {
            ui.label("(solving...)");
        }
        if super::slide::controls_hidden(ui.ctx()) {
            return;
        }
        if ui.button("Built-in baseline").clicked() {
            commands.push(Command::SetReference(ReferenceChoice::BuiltIn));
        }
        if ui
            .button("This scenario as it is now")
            .on_hover_text("Later edits then show as changes")
            .clicked()
        {
            commands.push(Command::SetReference(ReferenceChoice::Snapshot));
        }
        if ui.button("A scenario file...").clicked() {
            commands.push(Command::ChooseReferenceFile);
        }
    });
    ui.separator();
    if plant_compare_view::sub_view_switch(ui) == CompareSubView::Plants {
        plant_compare_view::show(ui, view, commands);
        return;
    }
    let diff = assumption_diff(view.reference_scenario, view.scenario);
    ui.strong(format!("What differs in the assumptions ({})", diff.len()));
    egui::ScrollArea::vertical()
        .id_salt("diff")
        .max_height(170.0)
        .show(ui, |ui| {
            if diff.is_empty() {
                ui.label("Nothing: the two scenarios assume the same.");
            }
            for difference in &diff {
                let selection = match &difference.item {
                    DiffItem::Policy(id) => Some(Selection::Policy(id.clone())),
                    DiffItem::Node(id) => Some(Selection::Node(id.clone())),
                    DiffItem::Demand { region, .. } => view
                        .scenario
                        .countries
                        .iter()
                        .find(|c| c.region == *region)
                        .map(|c| Selection::Country(c.iso3.clone())),
                    DiffItem::Scenario => None,
                };
                let selected = selection.as_ref().is_some_and(|s| s == view.selection);
                let button = egui::Button::selectable(selected, difference.text.as_str()).wrap();
                if ui.add(button).clicked()
                    && let Some(selection) = selection
                {
                    commands.push(Command::Select(selection));
                }
            }
        });
    ui.separator();
    ui.strong(format!(
        "Price against the reference in {} (below it, the change in shortfall: the gap this \
         scenario opens beyond the reference's)",
        view.year
    ))
    .on_hover_text(crate::report::SHORTFALL_MEANS);
    results_grid(ui, view);
}

/// Regions × commodities: price pressure, coloured, and the change in shortfall.
fn results_grid(ui: &mut egui::Ui, view: &ViewCtx<'_>) {
    let (Some(year), Some(reference)) = (view.year_solution(), view.reference_year()) else {
        ui.label("Solving...");
        return;
    };
    let mut regions: Vec<&str> = Vec::new();
    for market in &year.markets {
        if !regions.contains(&market.region.as_str()) {
            regions.push(&market.region);
        }
    }
    let commodities: Vec<&crate::model::Commodity> = view.scenario.commodities.iter().collect();
    egui::ScrollArea::both().id_salt("grid").show(ui, |ui| {
        egui::Grid::new("changes")
            .striped(true)
            .min_col_width(70.0)
            .show(ui, |ui| {
                ui.label("");
                for commodity in &commodities {
                    ui.strong(&commodity.name);
                }
                ui.end_row();
                for region in &regions {
                    let header = ui
                        .add(egui::Button::new(egui::RichText::new(*region).strong()))
                        .on_hover_text(format!(
                            "{}: the plants and routes behind its change",
                            view.region_name(region)
                        ));
                    if header.clicked() {
                        plant_compare_view::show_region(ui.ctx(), region);
                    }
                    for commodity in &commodities {
                        let now = year.market(region, &commodity.id);
                        let before = reference.market(region, &commodity.id);
                        match (now, before) {
                            (Some(now), Some(before)) if before.price_usd_per_kg > 0.0 => {
                                let pressure = now.price_usd_per_kg / before.price_usd_per_kg - 1.0;
                                let shortfall = now.shortfall_t - before.shortfall_t;
                                let text = format!(
                                    "{}\n{}{}",
                                    crate::report::pressure(pressure),
                                    if shortfall >= 0.0 { "+" } else { "-" },
                                    units::tonnes_short(shortfall.abs())
                                );
                                let fill = palette::pressure(pressure);
                                egui::Frame::new()
                                    .fill(fill)
                                    .inner_margin(3.0)
                                    .corner_radius(3.0)
                                    .show(ui, |ui| {
                                        ui.label(
                                            egui::RichText::new(text).color(egui::Color32::BLACK),
                                        );
                                    });
                            }
                            _ => {
                                ui.label("-");
                            }
                        }
                    }
                    ui.end_row();
                }
            });
    });
}
