//! The trade-cost form: the default costs of moving goods (per border, per 1,000 km, within
//! a country) and route overrides between two countries, for every commodity or one.
//! Confirming sends one `Edit::SetTradeCosts`, refused with the route named if invalid.

use super::form_rows;
use crate::model::{Edit, Scenario, TradeCostOverride, TradeCosts};

pub struct TradeForm {
    pub draft: TradeCosts,
    /// The country a new route starts from (the one selected when the form opened).
    pub from: String,
    pub refusal: Option<String>,
}

impl TradeForm {
    pub fn new(scenario: &Scenario, from: Option<&str>) -> Self {
        let from = from
            .or_else(|| scenario.countries.first().map(|c| c.iso3.as_str()))
            .unwrap_or_default()
            .to_owned();
        Self {
            draft: scenario.trade.clone(),
            from,
            refusal: None,
        }
    }

    /// Draws the form; the edit when confirmed and accepted, `Some(None)` when cancelled.
    pub fn ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) -> Option<Option<Edit>> {
        egui::Grid::new("trade defaults")
            .num_columns(2)
            .show(ui, |ui| defaults_ui(ui, &mut self.draft));
        ui.separator();
        ui.label("Routes that cost something else (replacing the distance-based default):");
        self.routes_ui(ui, scenario);
        if ui.button("Add a route").clicked() {
            let to = scenario
                .countries
                .iter()
                .find(|c| c.iso3 != self.from)
                .map(|c| c.iso3.clone())
                .unwrap_or_default();
            self.draft.overrides.push(TradeCostOverride {
                from: self.from.clone(),
                to,
                commodity: None,
                usd_per_kg: 1.0,
                source: "What-if added in rareflow".to_owned(),
            });
        }
        ui.separator();
        let draft = &self.draft;
        form_rows::confirm_edit(ui, true, &mut self.refusal, scenario, || {
            Edit::SetTradeCosts(Box::new(draft.clone()))
        })
    }

    fn routes_ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) {
        let mut removed = None;
        egui::Grid::new("trade routes")
            .num_columns(5)
            .striped(true)
            .show(ui, |ui| {
                ui.strong("From");
                ui.strong("To");
                ui.strong("Commodity");
                ui.strong("$/kg");
                ui.label("");
                ui.end_row();
                for (index, route) in self.draft.overrides.iter_mut().enumerate() {
                    super::policy_terms::country_picker(
                        ui,
                        scenario,
                        &format!("route from {index}"),
                        &mut route.from,
                    );
                    super::policy_terms::country_picker(
                        ui,
                        scenario,
                        &format!("route to {index}"),
                        &mut route.to,
                    );
                    commodity_choice(ui, scenario, index, &mut route.commodity);
                    ui.add(
                        egui::DragValue::new(&mut route.usd_per_kg)
                            .range(0.0..=1_000.0)
                            .speed(0.01),
                    );
                    if ui.small_button("Remove").clicked() {
                        removed = Some(index);
                    }
                    ui.end_row();
                }
            });
        if let Some(index) = removed {
            self.draft.overrides.remove(index);
        }
    }
}

fn defaults_ui(ui: &mut egui::Ui, costs: &mut TradeCosts) {
    let usd = |ui: &mut egui::Ui, label: &str, value: &mut f64| {
        form_rows::field(ui, label, |ui| {
            ui.add(egui::DragValue::new(value).range(0.0..=100.0).speed(0.005))
        });
    };
    usd(
        ui,
        "Per border crossing ($/kg)",
        &mut costs.border_usd_per_kg,
    );
    usd(ui, "Per 1,000 km ($/kg)", &mut costs.per_1000km_usd_per_kg);
    usd(
        ui,
        "Within a country ($/kg)",
        &mut costs.domestic_usd_per_kg,
    );
}

fn commodity_choice(
    ui: &mut egui::Ui,
    scenario: &Scenario,
    index: usize,
    commodity: &mut Option<String>,
) {
    let shown = commodity.as_deref().map_or_else(
        || "every commodity".to_owned(),
        |id| scenario.commodity_name(id),
    );
    egui::ComboBox::from_id_salt(("route commodity", index))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(commodity, None, "every commodity");
            for c in &scenario.commodities {
                ui.selectable_value(commodity, Some(c.id.clone()), &c.name);
            }
        });
}
