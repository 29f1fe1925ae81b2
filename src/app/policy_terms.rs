//! The terms of each policy kind as form rows (inside the policy form's grid): who, which
//! goods, which partners, and the limit, share or rate.

use super::form_rows::pick;
use crate::model::{
    CapacityChangeKind, Destinations, PolicyKind, QuotaLimit, ReleaseRule, Scenario, Stage,
    TariffRate, TradeGoods,
};

pub fn terms_ui(ui: &mut egui::Ui, scenario: &Scenario, kind: &mut PolicyKind) {
    match kind {
        PolicyKind::ExportBan {
            exporter,
            goods,
            destinations,
        } => {
            row(ui, "Exporter", |ui| {
                country_picker(ui, scenario, "exporter", exporter)
            });
            goods_rows(ui, scenario, goods);
            row(ui, "To", |ui| partners_ui(ui, scenario, "to", destinations));
        }
        PolicyKind::ExportQuota {
            exporter,
            goods,
            destinations,
            limit,
        } => {
            row(ui, "Exporter", |ui| {
                country_picker(ui, scenario, "exporter", exporter)
            });
            goods_rows(ui, scenario, goods);
            row(ui, "To", |ui| partners_ui(ui, scenario, "to", destinations));
            row(ui, "Limit", |ui| quota_ui(ui, limit));
        }
        PolicyKind::ImportTariff {
            importer,
            goods,
            origins,
            rate,
        } => {
            row(ui, "Importer", |ui| {
                place_picker(ui, scenario, "importer", importer)
            });
            goods_rows(ui, scenario, goods);
            row(ui, "From", |ui| partners_ui(ui, scenario, "from", origins));
            row(ui, "Rate", |ui| tariff_ui(ui, rate));
        }
        PolicyKind::CapacityChange { node, change } => {
            row(ui, "Plant", |ui| node_picker(ui, scenario, node));
            row(ui, "Change", |ui| capacity_change_ui(ui, change));
        }
        PolicyKind::DemandShock {
            region,
            commodity,
            factor,
        } => {
            row(ui, "Region", |ui| {
                region_picker(ui, scenario, "region", region)
            });
            row(ui, "Commodity", |ui| {
                commodity_picker(ui, scenario, "commodity", commodity)
            });
            row(ui, "Demand × (1 = unchanged)", |ui| {
                ui.add(egui::DragValue::new(factor).range(0.0..=10.0).speed(0.01))
            });
        }
        PolicyKind::Stockpile {
            holder,
            commodity,
            initial_stock_t,
            release,
            ..
        } => {
            row(ui, "Held by region", |ui| {
                region_picker(ui, scenario, "holder", holder)
            });
            row(ui, "Commodity", |ui| {
                commodity_picker(ui, scenario, "commodity", commodity)
            });
            row(ui, "Stock at the start (t)", |ui| {
                tonnes(ui, initial_stock_t)
            });
            release_rows(ui, release);
        }
        PolicyKind::ProductionQuota {
            country,
            stage,
            max_t_per_yr,
            ..
        } => {
            row(ui, "Country", |ui| {
                country_picker(ui, scenario, "quota country", country)
            });
            row(ui, "Stage", |ui| stage_picker(ui, stage));
            row(ui, "At most (t/yr)", |ui| tonnes(ui, max_t_per_yr));
        }
    }
}

fn row<R>(ui: &mut egui::Ui, label: &str, add: impl FnOnce(&mut egui::Ui) -> R) {
    ui.label(label);
    add(ui);
    ui.end_row();
}

fn tonnes(ui: &mut egui::Ui, value: &mut f64) -> egui::Response {
    ui.add(
        egui::DragValue::new(value)
            .range(0.0..=1.0e7)
            .speed(10.0)
            .max_decimals(0),
    )
}

fn percent(ui: &mut egui::Ui, share: &mut f64, max_percent: f64) -> egui::Response {
    let mut shown = *share * 100.0;
    let response = ui.add(
        egui::DragValue::new(&mut shown)
            .range(0.0..=max_percent)
            .speed(0.5)
            .suffix(" %"),
    );
    if response.changed() {
        *share = shown / 100.0;
    }
    response
}

fn goods_rows(ui: &mut egui::Ui, scenario: &Scenario, goods: &mut TradeGoods) {
    // One per line: wrapped rows inside a grid cell would spill into the next row.
    row(ui, "Commodities (none ticked = all)", |ui| {
        ui.vertical(|ui| {
            for commodity in &scenario.commodities {
                toggle_in(ui, &mut goods.commodities, &commodity.id, &commodity.name);
            }
        })
    });
    row(ui, "Stages (none ticked = all)", |ui| {
        ui.horizontal(|ui| {
            for stage in Stage::ALL {
                let mut on = goods.stages.contains(&stage);
                let label = match stage {
                    Stage::Mine => "concentrate",
                    Stage::Refinery => "oxide",
                    Stage::Magnet => "magnets",
                };
                if ui.checkbox(&mut on, label).changed() {
                    goods.stages.retain(|s| *s != stage);
                    if on {
                        goods.stages.push(stage);
                    }
                }
            }
        })
    });
}

fn toggle_in(ui: &mut egui::Ui, list: &mut Vec<String>, id: &str, label: &str) {
    let mut on = list.iter().any(|c| c == id);
    if ui.checkbox(&mut on, label).changed() {
        list.retain(|c| c != id);
        if on {
            list.push(id.to_owned());
        }
    }
}

/// All partners, only the ticked ones, or all but the ticked ones (regions and countries).
fn partners_ui(ui: &mut egui::Ui, scenario: &Scenario, salt: &str, partners: &mut Destinations) {
    ui.vertical(|ui| {
        let mut choice = match partners {
            Destinations::All => 0,
            Destinations::Only(_) => 1,
            Destinations::AllExcept(_) => 2,
        };
        let before = choice;
        ui.horizontal(|ui| {
            ui.radio_value(&mut choice, 0, "all");
            ui.radio_value(&mut choice, 1, "only");
            ui.radio_value(&mut choice, 2, "all except");
        });
        if choice != before {
            let codes = partners.codes().to_vec();
            *partners = match choice {
                0 => Destinations::All,
                1 => Destinations::Only(codes),
                _ => Destinations::AllExcept(codes),
            };
        }
        if let Destinations::Only(codes) | Destinations::AllExcept(codes) = partners {
            egui::ScrollArea::vertical()
                .id_salt(salt)
                .max_height(160.0)
                .min_scrolled_height(160.0)
                .show(ui, |ui| {
                    for region in &scenario.regions {
                        toggle_in(ui, codes, &region.id, &format!("{} (region)", region.name));
                    }
                    for country in &scenario.countries {
                        toggle_in(ui, codes, &country.iso3, &country.name);
                    }
                });
        }
    });
}

fn quota_ui(ui: &mut egui::Ui, limit: &mut QuotaLimit) {
    ui.horizontal(|ui| {
        let mut share = matches!(limit, QuotaLimit::ShareOfOutput(_));
        if ui.checkbox(&mut share, "share of output").changed() {
            *limit = if share {
                QuotaLimit::ShareOfOutput(0.5)
            } else {
                QuotaLimit::Tonnes(1_000.0)
            };
        }
        match limit {
            QuotaLimit::Tonnes(t) => {
                tonnes(ui, t);
                ui.label("t/yr");
            }
            QuotaLimit::ShareOfOutput(share) => {
                percent(ui, share, 100.0);
            }
        }
    });
}

fn tariff_ui(ui: &mut egui::Ui, rate: &mut TariffRate) {
    ui.horizontal(|ui| {
        let mut ad_valorem = matches!(rate, TariffRate::AdValorem(_));
        if ui.checkbox(&mut ad_valorem, "share of price").changed() {
            *rate = if ad_valorem {
                TariffRate::AdValorem(0.25)
            } else {
                TariffRate::UsdPerKg(1.0)
            };
        }
        match rate {
            TariffRate::AdValorem(share) => {
                percent(ui, share, 1000.0);
            }
            TariffRate::UsdPerKg(usd) => {
                ui.add(egui::DragValue::new(usd).range(0.0..=1000.0).speed(0.1));
                ui.label("$/kg");
            }
        }
    });
}

fn capacity_change_ui(ui: &mut egui::Ui, change: &mut CapacityChangeKind) {
    ui.horizontal(|ui| {
        let mut choice = match change {
            CapacityChangeKind::SetTo(_) => 0,
            CapacityChangeKind::Scale(_) => 1,
            CapacityChangeKind::Add(_) => 2,
        };
        let before = choice;
        ui.radio_value(&mut choice, 0, "set to");
        ui.radio_value(&mut choice, 1, "scale by");
        ui.radio_value(&mut choice, 2, "add");
        if choice != before {
            *change = match choice {
                0 => CapacityChangeKind::SetTo(1_000.0),
                1 => CapacityChangeKind::Scale(0.5),
                _ => CapacityChangeKind::Add(1_000.0),
            };
        }
        match change {
            CapacityChangeKind::SetTo(t) => {
                tonnes(ui, t);
                ui.label("t/yr");
            }
            CapacityChangeKind::Scale(factor) => {
                ui.add(egui::DragValue::new(factor).range(0.0..=10.0).speed(0.01));
                ui.label("×");
            }
            CapacityChangeKind::Add(t) => {
                ui.add(egui::DragValue::new(t).range(-1.0e7..=1.0e7).speed(10.0));
                ui.label("t/yr (negative removes)");
            }
        }
    });
}

fn release_rows(ui: &mut egui::Ui, release: &mut ReleaseRule) {
    row(ui, "Released", |ui| {
        ui.horizontal(|ui| {
            let mut on_trigger = matches!(release, ReleaseRule::PriceTrigger { .. });
            if ui.checkbox(&mut on_trigger, "only above a price").changed() {
                *release = if on_trigger {
                    ReleaseRule::PriceTrigger {
                        price_usd_per_kg: 100.0,
                        max_t_per_yr: 500.0,
                    }
                } else {
                    ReleaseRule::FixedRate { t_per_yr: 500.0 }
                };
            }
            match release {
                ReleaseRule::FixedRate { t_per_yr } => {
                    tonnes(ui, t_per_yr);
                    ui.label("t/yr");
                }
                ReleaseRule::PriceTrigger {
                    price_usd_per_kg,
                    max_t_per_yr,
                } => {
                    tonnes(ui, max_t_per_yr);
                    ui.label("t/yr above");
                    ui.add(egui::DragValue::new(price_usd_per_kg).range(0.0..=10_000.0));
                    ui.label("$/kg");
                }
            }
        })
    });
}

pub fn country_picker(ui: &mut egui::Ui, scenario: &Scenario, salt: &str, iso3: &mut String) {
    let countries = scenario
        .countries
        .iter()
        .map(|c| (c.iso3.as_str(), c.name.clone()));
    pick(ui, salt, iso3, countries);
}

fn region_picker(ui: &mut egui::Ui, scenario: &Scenario, salt: &str, id: &mut String) {
    let regions = scenario
        .regions
        .iter()
        .map(|r| (r.id.as_str(), r.name.clone()));
    pick(ui, salt, id, regions);
}

/// A country or a demand region (an importer).
fn place_picker(ui: &mut egui::Ui, scenario: &Scenario, salt: &str, code: &mut String) {
    let regions = scenario
        .regions
        .iter()
        .map(|r| (r.id.as_str(), format!("{} (region)", r.name)));
    let countries = scenario
        .countries
        .iter()
        .map(|c| (c.iso3.as_str(), c.name.clone()));
    pick(ui, salt, code, regions.chain(countries));
}

fn commodity_picker(ui: &mut egui::Ui, scenario: &Scenario, salt: &str, id: &mut String) {
    let commodities = scenario
        .commodities
        .iter()
        .map(|c| (c.id.as_str(), c.name.clone()));
    pick(ui, salt, id, commodities);
}

fn node_picker(ui: &mut egui::Ui, scenario: &Scenario, id: &mut String) {
    let nodes = scenario
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.name.clone()));
    pick(ui, "plant", id, nodes);
}

fn stage_picker(ui: &mut egui::Ui, stage: &mut Stage) {
    egui::ComboBox::from_id_salt("stage")
        .selected_text(stage.label())
        .show_ui(ui, |ui| {
            for choice in Stage::ALL {
                ui.selectable_value(stage, choice, choice.label());
            }
        });
}
