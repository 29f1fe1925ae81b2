//! Generated market terms: demand curves, trade costs, policies of every kind, expansion
//! options and contracts, each referring only to items that exist.

use rareflow::model::{
    CapacityChangeKind, Contract, Demand, DemandForm, Destinations, ExpansionOption,
    LongRunResponse, MAX_FACTOR, Party, Policy, PolicyKind, Process, QuotaLimit, ReleaseRule,
    Scenario, Stage, TariffRate, TradeCostOverride, TradeCosts, TradeGoods, Volume,
};

use super::{Generator, PRODUCT};

impl Generator<'_> {
    /// Demand for some commodities in some regions (none at all is possible, and so is a
    /// reference quantity of zero).
    pub(super) fn demand(&mut self) -> Vec<Demand> {
        let mut commodities = self.oxides.clone();
        commodities.push(PRODUCT.to_owned());
        let mut demand = Vec::new();
        for region in self.regions.clone() {
            for commodity in &commodities {
                if self.choices.flag() {
                    continue;
                }
                let elasticity = self.choices.positive_amount(0.5);
                let form = if self.choices.flag() {
                    DemandForm::ConstantElasticity {
                        price_cap_multiple: *self.choices.pick(&[5.0, 1.0, 1e4, 37.5]),
                    }
                } else {
                    DemandForm::Linear
                };
                let long_run = self.choices.flag().then(|| LongRunResponse {
                    elasticity: (elasticity * *self.choices.pick(&[2.0, 1.0, 1e6])).min(f64::MAX),
                    adjustment_per_yr: self.choices.positive_fraction(),
                });
                demand.push(Demand {
                    region: region.clone(),
                    commodity: commodity.clone(),
                    reference_t_per_yr: self.choices.tonnes(500.0),
                    reference_price_usd_per_kg: self.choices.positive_amount(50.0),
                    elasticity,
                    growth_per_yr: *self.choices.pick(&[0.05, 0.0, -0.99, 10.0]),
                    form,
                    long_run,
                    source: "fuzz".to_owned(),
                    notes: String::new(),
                });
            }
        }
        demand
    }

    pub(super) fn trade(&mut self) -> TradeCosts {
        let overrides = (0..self.choices.count(2))
            .map(|_| TradeCostOverride {
                from: self.choices.pick(&self.countries).clone(),
                to: self.choices.pick(&self.countries).clone(),
                commodity: self.choices.flag().then(|| self.any_commodity()),
                usd_per_kg: self.choices.amount(1.0),
                source: String::new(),
            })
            .collect();
        TradeCosts {
            border_usd_per_kg: self.choices.amount(0.5),
            per_1000km_usd_per_kg: self.choices.amount(0.05),
            domestic_usd_per_kg: self.choices.amount(0.1),
            overrides,
            source: "fuzz".to_owned(),
        }
    }

    /// Up to two policies of each of the seven kinds (one of each when the bytes run out),
    /// switched on or off, over part or all of the horizon.
    pub(super) fn policies(&mut self, scenario: &Scenario) -> Vec<Policy> {
        let mut policies = Vec::new();
        for kind_index in 0..7 {
            for _ in 0..self.choices.count(2) {
                let Some(kind) = self.policy_kind(kind_index, scenario) else {
                    continue;
                };
                let start_year = self.year_in_horizon();
                let end_year = self.choices.flag().then(|| self.year_from(start_year));
                policies.push(Policy {
                    id: format!("P{}", policies.len()),
                    label: kind.kind_label().to_owned(),
                    enabled: !self.choices.flag(),
                    start_year,
                    end_year,
                    kind,
                    event: None,
                    source: "fuzz".to_owned(),
                    notes: String::new(),
                });
            }
        }
        policies
    }

    /// A policy of kind `kind_index` (0-6); `None` for a capacity change with no node.
    fn policy_kind(&mut self, kind_index: i32, scenario: &Scenario) -> Option<PolicyKind> {
        Some(match kind_index {
            0 => PolicyKind::ExportBan {
                exporter: self.choices.pick(&self.countries).clone(),
                goods: self.goods(),
                destinations: self.partners(),
            },
            1 => PolicyKind::ExportQuota {
                exporter: self.choices.pick(&self.countries).clone(),
                goods: self.goods(),
                destinations: self.partners(),
                limit: if self.choices.flag() {
                    QuotaLimit::ShareOfOutput(self.choices.fraction())
                } else {
                    QuotaLimit::Tonnes(self.choices.tonnes(100.0))
                },
            },
            2 => PolicyKind::ImportTariff {
                importer: self.country_or_region(),
                goods: self.goods(),
                origins: self.partners(),
                rate: if self.choices.flag() {
                    TariffRate::AdValorem(self.choices.amount(0.25))
                } else {
                    TariffRate::UsdPerKg(self.choices.amount(2.0))
                },
            },
            3 if scenario.nodes.is_empty() => return None,
            3 => PolicyKind::CapacityChange {
                node: self.choices.pick(&scenario.nodes).id.clone(),
                change: match self.choices.int(0, 3) {
                    0 => CapacityChangeKind::Scale(self.choices.amount(0.5).min(MAX_FACTOR)),
                    1 => CapacityChangeKind::SetTo(self.choices.tonnes(100.0)),
                    2 => CapacityChangeKind::Add(self.choices.tonnes(100.0)),
                    _ => CapacityChangeKind::Add(-self.choices.tonnes(100.0)),
                },
            },
            4 => PolicyKind::DemandShock {
                region: self.choices.pick(&self.regions).clone(),
                commodity: self.any_commodity(),
                factor: self.choices.amount(1.0).min(MAX_FACTOR),
            },
            5 => PolicyKind::Stockpile {
                holder: self.choices.pick(&self.regions).clone(),
                commodity: self.any_commodity(),
                initial_stock_t: self.choices.tonnes(1000.0),
                release: if self.choices.flag() {
                    ReleaseRule::PriceTrigger {
                        price_usd_per_kg: self.choices.positive_amount(100.0),
                        max_t_per_yr: self.choices.tonnes(100.0),
                    }
                } else {
                    ReleaseRule::FixedRate {
                        t_per_yr: self.choices.tonnes(100.0),
                    }
                },
                also_for: self.choices.subset(&self.regions.clone()),
            },
            _ => PolicyKind::ProductionQuota {
                country: self.choices.pick(&self.countries).clone(),
                stage: self.stage(),
                commodities: self.choices.subset(&self.commodity_ids()),
                max_t_per_yr: self.choices.tonnes(100.0),
            },
        })
    }

    /// Up to two options (one when the bytes run out) on existing nodes.
    pub(super) fn expansion_options(&mut self, scenario: &Scenario) -> Vec<ExpansionOption> {
        if scenario.nodes.is_empty() {
            return Vec::new();
        }
        (0..self.choices.count(2))
            .map(|index| {
                let host = self.choices.pick(&scenario.nodes);
                let commodity = match &host.process {
                    Process::Refinery { circuits, .. } => {
                        Some(self.choices.pick(circuits).commodity.clone())
                    }
                    _ => None,
                };
                ExpansionOption {
                    id: format!("X{index}"),
                    label: format!("Option {index}"),
                    enabled: !self.choices.flag(),
                    stage: host.process.stage(),
                    country: host.country.clone(),
                    host: host.id.clone(),
                    commodity,
                    capital_cost_usd_per_t_per_yr: self.choices.amount(20_000.0),
                    capital_recovery_factor: self.choices.fraction(),
                    lead_years: u32::try_from(self.choices.int(0, 30)).unwrap_or(0),
                    max_build_t_per_yr: self.choices.tonnes(500.0),
                    source: "fuzz".to_owned(),
                    notes: String::new(),
                }
            })
            .collect()
    }

    /// Up to two contracts (one when the bytes run out): concentrate from a mine to a
    /// refinery, or an oxide or the product from a country to a region.
    pub(super) fn contracts(&mut self, scenario: &Scenario) -> Vec<Contract> {
        let of_stage = |stage: Stage| -> Vec<String> {
            scenario
                .nodes
                .iter()
                .filter(|node| node.process.stage() == stage)
                .map(|node| node.id.clone())
                .collect()
        };
        let (mines, refineries) = (of_stage(Stage::Mine), of_stage(Stage::Refinery));
        (0..self.choices.count(2))
            .map(|index| {
                let by_node = !mines.is_empty() && !refineries.is_empty() && self.choices.flag();
                let (stage, seller, buyer, commodity) = if by_node {
                    let seller = Party::Node(self.choices.pick(&mines).clone());
                    let buyer = Party::Node(self.choices.pick(&refineries).clone());
                    (Stage::Mine, seller, buyer, None)
                } else {
                    let stage = *self.choices.pick(&[Stage::Refinery, Stage::Magnet]);
                    let seller = Party::Country(self.choices.pick(&self.countries).clone());
                    let buyer = Party::Region(self.choices.pick(&self.regions).clone());
                    (stage, seller, buyer, Some(self.any_commodity()))
                };
                // Contracts may start and end outside the horizon.
                let start_year = if self.choices.flag() {
                    i32::MIN
                } else {
                    self.year_in_horizon()
                };
                Contract {
                    id: format!("K{index}"),
                    label: format!("Contract {index}"),
                    enabled: !self.choices.flag(),
                    seller,
                    buyer,
                    stage,
                    commodity,
                    volume: if self.choices.flag() {
                        Volume::ShareOfOutput(self.choices.fraction())
                    } else {
                        Volume::Tonnes(self.choices.tonnes(100.0))
                    },
                    start_year,
                    end_year: self
                        .choices
                        .flag()
                        .then(|| self.year_from(start_year.max(self.first_year))),
                    breach_cost_usd_per_kg: self.choices.amount(10.0),
                    source: "fuzz".to_owned(),
                    notes: String::new(),
                }
            })
            .collect()
    }

    /// Goods a trade policy covers: some commodities and stages (none = all).
    fn goods(&mut self) -> TradeGoods {
        TradeGoods {
            commodities: self.choices.subset(&self.commodity_ids()),
            stages: self.choices.subset(&Stage::ALL),
        }
    }

    /// Partners of a trade policy: all, only some, or all but some (countries and regions).
    fn partners(&mut self) -> Destinations {
        let codes: Vec<String> = self
            .countries
            .iter()
            .chain(&self.regions)
            .cloned()
            .collect();
        match self.choices.int(0, 2) {
            0 => Destinations::All,
            1 => Destinations::Only(self.choices.some_of(&codes)),
            _ => Destinations::AllExcept(self.choices.subset(&codes)),
        }
    }

    fn country_or_region(&mut self) -> String {
        if self.choices.flag() {
            self.choices.pick(&self.regions).clone()
        } else {
            self.choices.pick(&self.countries).clone()
        }
    }

    fn commodity_ids(&self) -> Vec<String> {
        let mut ids = self.oxides.clone();
        ids.push(PRODUCT.to_owned());
        ids
    }
}
