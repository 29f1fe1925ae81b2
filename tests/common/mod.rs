//! Small hand-made networks for solver tests.
#![allow(dead_code, reason = "each test file uses part of the builder")]

use rareflow::model::*;

/// A scenario with explicit unit costs and no reported output, so that nothing is
/// calibrated and equilibria can be worked out by hand. Transport is free unless set.
pub struct Net {
    pub scenario: Scenario,
}

impl Net {
    pub fn new() -> Self {
        Self {
            scenario: Scenario {
                meta: Metadata {
                    name: "hand network".to_owned(),
                    description: String::new(),
                    base_year: 2024,
                    first_year: 2024,
                    last_year: 2026,
                    reference_note: String::new(),
                },
                commodities: vec![
                    oxide("NDPR"),
                    oxide("DYTB"),
                    oxide("LACE"),
                    Commodity {
                        id: "NDFEB".to_owned(),
                        name: "NdFeB magnets".to_owned(),
                        kind: CommodityKind::Product,
                        unit: "t NdFeB".to_owned(),
                        notes: String::new(),
                    },
                ],
                regions: Vec::new(),
                countries: Vec::new(),
                nodes: Vec::new(),
                demand: Vec::new(),
                trade: TradeCosts {
                    border_usd_per_kg: 0.0,
                    per_1000km_usd_per_kg: 0.0,
                    domestic_usd_per_kg: 0.0,
                    overrides: Vec::new(),
                    source: "test".to_owned(),
                },
                policies: Vec::new(),
                expansion: Vec::new(),
                contracts: Vec::new(),
                uncertainty: Vec::new(),
                correlations: Vec::new(),
                sources: Vec::new(),
            },
        }
    }

    /// A country that is its own demand region.
    pub fn country(mut self, iso3: &str, lon: f64) -> Self {
        self.scenario.regions.push(Region {
            id: iso3.to_owned(),
            name: iso3.to_owned(),
            lat: 0.0,
            lon,
            notes: String::new(),
            members: Vec::new(),
            rest_of_world: false,
        });
        self.scenario.countries.push(Country {
            iso3: iso3.to_owned(),
            name: iso3.to_owned(),
            region: iso3.to_owned(),
            lat: 0.0,
            lon,
        });
        self
    }

    pub fn border_cost(mut self, usd_per_kg: f64) -> Self {
        self.scenario.trade.border_usd_per_kg = usd_per_kg;
        self
    }

    pub fn mine(
        mut self,
        id: &str,
        country: &str,
        capacity_t: f64,
        cost: f64,
        composition: &[(&str, f64)],
    ) -> Self {
        self.scenario.nodes.push(node(
            id,
            country,
            capacity_t,
            cost,
            Process::Mine {
                ore_type: "test".to_owned(),
                composition: composition
                    .iter()
                    .map(|(c, s)| Share {
                        commodity: (*c).to_owned(),
                        share: *s,
                    })
                    .collect(),
            },
        ));
        self
    }

    /// A refinery with full recovery and one circuit per listed oxide.
    pub fn refinery(
        mut self,
        id: &str,
        country: &str,
        circuits: &[(&str, f64)],
        cost: f64,
    ) -> Self {
        let total = circuits.iter().map(|(_, t)| t).sum();
        self.scenario.nodes.push(node(
            id,
            country,
            total,
            cost,
            Process::Refinery {
                recovery: 1.0,
                circuits: circuits
                    .iter()
                    .map(|(c, t)| Circuit {
                        commodity: (*c).to_owned(),
                        capacity_t_per_yr: *t,
                        start_year: None,
                        ramp_years: 0,
                    })
                    .collect(),
                feed: RefineryFeed::Concentrate,
            },
        ));
        self
    }

    pub fn magnet_plant(mut self, id: &str, country: &str, capacity_t: f64, cost: f64) -> Self {
        self.scenario.nodes.push(node(
            id,
            country,
            capacity_t,
            cost,
            Process::MagnetPlant {
                product: "NDFEB".to_owned(),
                recipe: vec![
                    RecipeInput {
                        commodity: "NDPR".to_owned(),
                        t_per_t: 0.25,
                    },
                    RecipeInput {
                        commodity: "DYTB".to_owned(),
                        t_per_t: 0.01,
                    },
                ],
            },
        ));
        self
    }

    pub fn demand(
        mut self,
        region: &str,
        commodity: &str,
        reference_t: f64,
        price: f64,
        elasticity: f64,
    ) -> Self {
        self.scenario.demand.push(Demand {
            region: region.to_owned(),
            commodity: commodity.to_owned(),
            reference_t_per_yr: reference_t,
            reference_price_usd_per_kg: price,
            elasticity,
            growth_per_yr: 0.0,
            form: rareflow::model::DemandForm::Linear,
            long_run: None,
            source: "test".to_owned(),
            notes: String::new(),
        });
        self
    }

    pub fn policy(mut self, id: &str, kind: PolicyKind) -> Self {
        self.scenario.policies.push(Policy {
            id: id.to_owned(),
            label: id.to_owned(),
            enabled: true,
            start_year: 2024,
            end_year: None,
            kind,
            event: None,
            source: "test".to_owned(),
            notes: String::new(),
        });
        self
    }

    pub fn build(self) -> Scenario {
        let problems = validate(&self.scenario);
        assert!(
            problems.is_empty(),
            "test network is invalid: {problems:#?}"
        );
        self.scenario
    }
}

fn oxide(id: &str) -> Commodity {
    Commodity {
        id: id.to_owned(),
        name: id.to_owned(),
        kind: CommodityKind::Oxide,
        unit: "t REO".to_owned(),
        notes: String::new(),
    }
}

fn node(id: &str, country: &str, capacity_t: f64, cost: f64, process: Process) -> Node {
    Node {
        id: id.to_owned(),
        name: id.to_owned(),
        operator: String::new(),
        country: country.to_owned(),
        status: NodeStatus::Operating,
        capacity_t_per_yr: capacity_t,
        start_year: None,
        ramp_years: 0,
        expansions: Vec::new(),
        unit_cost_usd_per_kg: Some(cost),
        reported_output: Vec::new(),
        process,
        source: "test".to_owned(),
        notes: String::new(),
    }
}

/// An export ban of everything from `exporter` at `stages` (all stages when empty).
pub fn ban(
    exporter: &str,
    commodities: &[&str],
    stages: &[Stage],
    destinations: Destinations,
) -> PolicyKind {
    PolicyKind::ExportBan {
        exporter: exporter.to_owned(),
        goods: TradeGoods {
            commodities: commodities.iter().map(|c| (*c).to_owned()).collect(),
            stages: stages.to_vec(),
        },
        destinations,
    }
}

pub fn solve(scenario: &Scenario) -> rareflow::solver::Solution {
    rareflow::solver::solve_scenario(scenario, rareflow::solver::Years::All, &Default::default())
        .expect("solves")
}

/// Asserts `a ≈ b` within `tolerance` (absolute).
#[track_caller]
pub fn assert_near(what: &str, a: f64, b: f64, tolerance: f64) {
    assert!(
        (a - b).abs() <= tolerance,
        "{what}: {a} is not within {tolerance} of {b}"
    );
}
