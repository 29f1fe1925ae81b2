//! One form for every policy kind the model knows: a new policy, or every term of an
//! existing one. It edits a draft [`Policy`]; "Add" / "Apply" sends one `Edit::PutPolicy`,
//! refused with the validator's words (the term at fault) if the policy is not valid.

use super::form_rows;
use crate::model::{
    CapacityChangeKind, Destinations, Edit, Policy, PolicyKind, QuotaLimit, ReleaseRule, Scenario,
    Stage, TariffRate, TradeGoods, item_edits,
};

/// A policy being drafted.
pub struct PolicyForm {
    pub draft: Policy,
    pub replaces: bool,
    pub refusal: Option<String>,
}

/// The kinds in the order the form offers them.
const KIND_NAMES: [&str; 7] = [
    "Export ban",
    "Export quota / licence",
    "Import tariff",
    "Capacity change",
    "Demand shock",
    "Stockpile",
    "Production quota",
];

impl PolicyForm {
    /// A new export ban from `exporter` (else the first country), switched on from the
    /// year after the base.
    pub fn new_policy(scenario: &Scenario, exporter: Option<&str>) -> Self {
        let exporter = exporter
            .or_else(|| scenario.countries.first().map(|c| c.iso3.as_str()))
            .unwrap_or_default()
            .to_owned();
        let kind = PolicyKind::ExportBan {
            exporter,
            goods: TradeGoods::default(),
            destinations: Destinations::All,
        };
        Self::with_kind(scenario, "New export ban", kind)
    }

    /// A new policy of `kind` labelled `label`.
    pub fn with_kind(scenario: &Scenario, label: &str, kind: PolicyKind) -> Self {
        Self {
            draft: Policy {
                id: item_edits::new_policy_id(scenario, label),
                label: label.to_owned(),
                enabled: true,
                start_year: (scenario.meta.base_year + 1).min(scenario.meta.last_year),
                end_year: None,
                kind,
                event: None,
                source: "What-if added in rareflow".to_owned(),
                notes: String::new(),
            },
            replaces: false,
            refusal: None,
        }
    }

    pub fn edit(policy: &Policy) -> Self {
        Self {
            draft: policy.clone(),
            replaces: true,
            refusal: None,
        }
    }

    pub fn title(&self) -> String {
        if self.replaces {
            format!("Change {}", self.draft.label)
        } else {
            "Add a policy".to_owned()
        }
    }

    /// Draws the form; the edit when confirmed and accepted, `Some(None)` when cancelled.
    pub fn ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) -> Option<Option<Edit>> {
        egui::Grid::new("policy form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                self.kind_ui(ui, scenario);
                self.common_ui(ui, scenario);
                super::policy_terms::terms_ui(ui, scenario, &mut self.draft.kind);
            });
        let draft = &self.draft;
        form_rows::confirm_edit(ui, self.replaces, &mut self.refusal, scenario, || {
            Edit::PutPolicy(Box::new(draft.clone()))
        })
    }

    fn kind_ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) {
        if self.replaces {
            return;
        }
        ui.label("Kind");
        let current = kind_index(&self.draft.kind);
        let mut chosen = current;
        egui::ComboBox::from_id_salt("policy kind")
            .selected_text(KIND_NAMES[current])
            .show_ui(ui, |ui| {
                for (index, name) in KIND_NAMES.iter().enumerate() {
                    ui.selectable_value(&mut chosen, index, *name);
                }
            });
        if chosen != current {
            self.draft.kind = default_kind(scenario, chosen);
            self.draft.label = format!("New {}", KIND_NAMES[chosen].to_lowercase());
        }
        ui.end_row();
    }

    fn common_ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) {
        let draft = &mut self.draft;
        form_rows::field(ui, "Label", |ui| form_rows::wide_text(ui, &mut draft.label));
        if !self.replaces {
            // The id follows the label until the policy exists.
            draft.id = item_edits::new_policy_id(scenario, &draft.label);
        }
        ui.label("Switched on");
        ui.checkbox(&mut draft.enabled, "");
        ui.end_row();
        let (first, last) = (scenario.meta.first_year, scenario.meta.last_year);
        ui.label("From year");
        ui.add(egui::DragValue::new(&mut draft.start_year).range(first..=last));
        ui.end_row();
        ui.label("Until year");
        ui.horizontal(|ui| {
            let mut open_ended = draft.end_year.is_none();
            if ui.checkbox(&mut open_ended, "open-ended").changed() {
                draft.end_year = (!open_ended).then_some(last);
            }
            if let Some(end) = &mut draft.end_year {
                ui.add(egui::DragValue::new(end).range(first..=last));
            }
        });
        ui.end_row();
        form_rows::field(ui, "Source", |ui| {
            form_rows::wide_text(ui, &mut draft.source)
        });
        form_rows::field(ui, "Note", |ui| form_rows::wide_text(ui, &mut draft.notes));
    }
}

fn kind_index(kind: &PolicyKind) -> usize {
    match kind {
        PolicyKind::ExportBan { .. } => 0,
        PolicyKind::ExportQuota { .. } => 1,
        PolicyKind::ImportTariff { .. } => 2,
        PolicyKind::CapacityChange { .. } => 3,
        PolicyKind::DemandShock { .. } => 4,
        PolicyKind::Stockpile { .. } => 5,
        PolicyKind::ProductionQuota { .. } => 6,
    }
}

/// A starting point for each kind, from the scenario's first country, region, node and
/// commodity.
fn default_kind(scenario: &Scenario, index: usize) -> PolicyKind {
    let country = || {
        scenario
            .countries
            .first()
            .map(|c| c.iso3.clone())
            .unwrap_or_default()
    };
    let region = || {
        scenario
            .regions
            .first()
            .map(|r| r.id.clone())
            .unwrap_or_default()
    };
    let commodity = || {
        scenario
            .commodities
            .first()
            .map(|c| c.id.clone())
            .unwrap_or_default()
    };
    match index {
        0 => PolicyKind::ExportBan {
            exporter: country(),
            goods: TradeGoods::default(),
            destinations: Destinations::All,
        },
        1 => PolicyKind::ExportQuota {
            exporter: country(),
            goods: TradeGoods::default(),
            destinations: Destinations::All,
            limit: QuotaLimit::ShareOfOutput(0.5),
        },
        2 => PolicyKind::ImportTariff {
            importer: country(),
            goods: TradeGoods::default(),
            origins: Destinations::All,
            rate: TariffRate::AdValorem(0.25),
        },
        3 => PolicyKind::CapacityChange {
            node: scenario
                .nodes
                .first()
                .map(|n| n.id.clone())
                .unwrap_or_default(),
            change: CapacityChangeKind::Scale(0.5),
        },
        4 => PolicyKind::DemandShock {
            region: region(),
            commodity: commodity(),
            factor: 1.2,
        },
        5 => PolicyKind::Stockpile {
            holder: region(),
            commodity: commodity(),
            initial_stock_t: 1_000.0,
            release: ReleaseRule::FixedRate { t_per_yr: 500.0 },
            also_for: Vec::new(),
        },
        _ => PolicyKind::ProductionQuota {
            country: country(),
            stage: Stage::Mine,
            commodities: Vec::new(),
            max_t_per_yr: 100_000.0,
        },
    }
}
