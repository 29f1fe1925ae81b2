//! One year's problem: the nodes that run, the arcs that exist, the markets and the policies,
//! as a [`QuadraticProgram`] with the entries that map its variables back to the scenario.
//!
//! | file | what it adds |
//! |---|---|
//! | `nodes.rs` | mines, refinery circuits, magnet plants and their cost curves |
//! | `markets.rs` | one consumption variable and balance row per region and commodity |
//! | `trade.rs` | geography and transport costs; concentrate shipments; oxide and product hubs |
//! | `policies.rs` | every policy's effect: bans, tariffs, quotas, demand shocks, stock releases |
//! | `expansion.rs` | capacity investors add: build variables at annualised capital cost |
//! | `contracts.rs` | contracts and captive chains: floors under the flows on their routes |
//!
//! What the problem is built *for* is a [`Basis`]: the model proper ([`ModelBasis`], with
//! calibrated costs) or the calibration solve (in `calibrate.rs`). The network asks its
//! basis for capacities, cost curves and demand curves and knows nothing of calibration.
//! Reading a solution back ([`super::read`]) and tracing origins ([`super::origin`]) use
//! the entries here; nothing here uses them.

mod contracts;
mod expansion;
mod markets;
mod nodes;
mod policies;
mod trade;

use std::collections::BTreeMap;

use super::curves::{Calibration, CostCurve, DemandAnchor, reference_prices};
use super::qp::{QuadraticProgram, RowId, Sense, Var};
use super::solution::T_PER_KT;
use super::state::YearState;
use crate::model::{Demand, DemandForm, Node, Scenario};

/// A tiny quadratic cost on every route (US$/kg per kt carried). Where routes cost the same,
/// the equilibrium does not say how flow splits between them, and origins would jump from
/// year to year; this picks the most even split, making flows and origins unique and
/// steady. It moves prices by well under 0.01 $/kg.
pub const ROUTE_SPREAD_USD_PER_KG_PER_KT: f64 = 1e-4;

/// Values below this (kt) read as zero: 1 kg.
pub(crate) const ZERO_KT: f64 = 1e-6;

/// The output a cost curve is asked for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Output<'a> {
    Mine,
    /// A refinery circuit for a commodity, with the commodity's reference price (US$/kg).
    Circuit {
        commodity: &'a str,
        price_usd_per_kg: f64,
    },
    Plant,
}

/// The shape of a market's demand curve in the problem.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum CurveShape {
    Linear {
        elasticity: f64,
    },
    ConstantElasticity {
        elasticity: f64,
        price_cap_multiple: f64,
    },
}

/// How an output enters the problem: its cost curve and, while calibrating, the target it is
/// held at (`Equal`) or under (`AtMost`), in kt.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OutputTerms {
    pub curve: CostCurve,
    pub hold: Option<(Sense, f64)>,
}

/// What a problem is built for. The network asks its basis for every capacity, cost curve
/// and demand curve; policies apply only where the basis says so.
pub(crate) trait Basis {
    /// Whether the scenario's levers apply: policies, expansion options, demand adapted to
    /// past prices (the model: yes; the calibration solve of the observed base year: no).
    fn levers_apply(&self) -> bool;
    /// A node's capacity in the problem's year, kt.
    fn node_capacity_kt(&self, problem: &YearProblem<'_>, node: &Node) -> f64;
    /// A refinery's capacity for one commodity's circuits in the problem's year, kt.
    fn circuit_capacity_kt(&self, problem: &YearProblem<'_>, node: &Node, commodity: &str) -> f64;
    /// An output's cost curve and any target it is held at; `capacity_kt` is the capacity
    /// the problem gives it.
    fn output_terms(
        &self,
        problem: &YearProblem<'_>,
        node: &Node,
        output: Output<'_>,
        capacity_kt: f64,
    ) -> OutputTerms;
    /// A demand row's anchor in the base year and the shape of its curve.
    fn demand_curve(
        &self,
        problem: &YearProblem<'_>,
        demand: &Demand,
    ) -> (DemandAnchor, CurveShape);
}

/// The model proper: capacities with every lever, calibrated costs and demand, policies.
pub struct ModelBasis<'c> {
    pub calibration: &'c Calibration,
}

impl Basis for ModelBasis<'_> {
    fn levers_apply(&self) -> bool {
        true
    }

    fn node_capacity_kt(&self, problem: &YearProblem<'_>, node: &Node) -> f64 {
        problem.scenario.capacity_in(node, problem.year) / T_PER_KT
    }

    fn circuit_capacity_kt(&self, problem: &YearProblem<'_>, node: &Node, commodity: &str) -> f64 {
        let scale = problem.scenario.capacity_scale_in(node, problem.year);
        node.circuit_capacity_in(commodity, problem.year, scale) / T_PER_KT
    }

    fn output_terms(
        &self,
        problem: &YearProblem<'_>,
        node: &Node,
        output: Output<'_>,
        _capacity_kt: f64,
    ) -> OutputTerms {
        let curve = match (node.unit_cost_usd_per_kg, output) {
            (Some(cost), _) => CostCurve::linear(cost),
            (None, Output::Mine) => self.calibration.mine_cost(node, &problem.reference_prices),
            (
                None,
                Output::Circuit {
                    commodity,
                    price_usd_per_kg,
                },
            ) => self
                .calibration
                .circuit_cost(node, commodity, price_usd_per_kg),
            (None, Output::Plant) => self.calibration.plant_cost(node),
        };
        OutputTerms { curve, hold: None }
    }

    fn demand_curve(
        &self,
        _problem: &YearProblem<'_>,
        demand: &Demand,
    ) -> (DemandAnchor, CurveShape) {
        let shape = match demand.form {
            DemandForm::Linear => CurveShape::Linear {
                elasticity: demand.elasticity,
            },
            DemandForm::ConstantElasticity { price_cap_multiple } => {
                CurveShape::ConstantElasticity {
                    elasticity: demand.elasticity,
                    price_cap_multiple,
                }
            }
        };
        (self.calibration.anchor(demand), shape)
    }
}

/// A mine and its output variable.
pub(crate) struct MineEntry {
    /// Index into the scenario's nodes.
    pub node: usize,
    /// The mine's output (with expansion: existing plus new capacity's).
    pub output: Var,
    pub capacity_kt: f64,
    /// Marginal cost at capacity, US$/kg: what new capacity of its kind costs to run.
    pub marginal_cost_at_capacity: f64,
    pub composition: Vec<(String, f64)>,
    /// The row holding output at its target, while calibrating.
    pub hold_row: Option<RowId>,
    pub target_kt: f64,
}

impl MarketEntry {
    /// Consumption at a solution, kt.
    pub fn consumption_kt(&self, value: &dyn Fn(Var) -> f64) -> f64 {
        self.consumption.iter().map(|&var| value(var)).sum::<f64>() * self.consumption_scale_kt
    }
}

impl MineEntry {
    /// The ore's share of `commodity` (0 when it holds none).
    pub fn share_of(&self, commodity: &str) -> f64 {
        self.composition
            .iter()
            .find(|(c, _)| c == commodity)
            .map_or(0.0, |(_, share)| *share)
    }
}

/// A refinery's circuits for one commodity.
pub(crate) struct CircuitEntry {
    pub commodity: String,
    pub output: Var,
    pub capacity_kt: f64,
    pub marginal_cost_at_capacity: f64,
    /// The row `output ≤ target`, while calibrating.
    pub hold_row: Option<RowId>,
}

pub(crate) struct RefineryEntry {
    pub node: usize,
    pub recovery: f64,
    /// Secondary supply (recycling): its circuits have no concentrate feed.
    pub secondary: bool,
    pub circuits: Vec<CircuitEntry>,
}

pub(crate) struct PlantEntry {
    pub node: usize,
    pub product: String,
    pub recipe: Vec<(String, f64)>,
    pub output: Var,
    pub capacity_kt: f64,
    pub marginal_cost_at_capacity: f64,
    pub hold_row: Option<RowId>,
    pub target_kt: f64,
}

/// Where an expansion option's new capacity sits: the entry whose kind it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Host {
    Mine(usize),
    /// A refinery and the index of its circuit.
    Circuit(usize, usize),
    Plant(usize),
}

/// An expansion option in this year's problem.
pub(crate) struct ExpansionEntry {
    /// Index into the scenario's expansion options.
    pub option: usize,
    /// Capacity built in earlier years, kt/yr.
    pub built_before_kt: f64,
    /// Capacity coming on stream this year (none before the option's first year), kt/yr.
    pub build: Option<Var>,
    /// Output of all the option's capacity, kt.
    pub output: Var,
}

/// The arc a contract holds: a shipment or an oxide/product arc (indices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ContractRoute {
    Shipment(usize),
    Arc(usize),
}

/// A contract in force this year.
pub(crate) struct ContractEntry {
    /// Index into the scenario's contracts.
    pub contract: usize,
    /// Its route; `None` when a policy removed the arc (the contract lapsed).
    pub route: Option<ContractRoute>,
    /// How far the flow falls short of the contract, kt.
    pub short: Var,
    /// The contracted tonnes, kt (0 for a share of output: read from the output).
    pub required_kt: f64,
}

/// Concentrate from a mine to a refinery.
pub(crate) struct Shipment {
    /// Indices into `mines` and `refineries`.
    pub mine: usize,
    pub refinery: usize,
    pub var: Var,
    pub cost: f64,
}

/// Oxide or product from a country's hub to a region's market.
pub(crate) struct TradeArc {
    pub stage: crate::model::Stage,
    /// The exporting country.
    pub from: String,
    pub commodity: String,
    /// The region.
    pub to: String,
    /// The index of the market in `markets`.
    pub market: usize,
    pub var: Var,
    pub cost: f64,
}

/// What a country's magnet plants buy of one oxide in their region's market.
pub(crate) struct MakerDraw {
    /// The country whose plants buy.
    pub country: String,
    pub commodity: String,
    pub market: usize,
    pub var: Var,
}

/// A region's market for one commodity: its final buyers (along their demand curve) and,
/// for an oxide, the magnet plants of the region's countries buy there.
pub(crate) struct MarketEntry {
    pub region: String,
    pub commodity: String,
    /// One variable per piece of the demand curve, filled in order; consumption is their sum
    /// times `consumption_scale_kt`.
    pub consumption: Vec<Var>,
    pub consumption_scale_kt: f64,
    /// Consumption plus magnet makers' purchases equals inflows; the row's dual is the price.
    pub balance: RowId,
    /// The final buyers' demand curve this year (grown and shocked); `None` where only
    /// magnet makers buy.
    pub demand: Option<super::demand::DemandCurve>,
}

/// Stock a stockpile policy may release into a market.
pub(crate) struct ReleaseEntry {
    pub policy: String,
    pub market: usize,
    pub var: Var,
}

/// One year's problem, ready to solve.
pub struct YearProblem<'s> {
    pub(crate) scenario: &'s Scenario,
    pub year: i32,
    pub qp: QuadraticProgram,
    /// ISO3 → (region, lat, lon).
    pub(crate) countries: BTreeMap<&'s str, (&'s str, f64, f64)>,
    /// Region id → (lat, lon).
    pub(crate) regions: BTreeMap<&'s str, (f64, f64)>,
    pub(crate) reference_prices: BTreeMap<String, f64>,
    pub(crate) mines: Vec<MineEntry>,
    pub(crate) refineries: Vec<RefineryEntry>,
    pub(crate) plants: Vec<PlantEntry>,
    pub(crate) shipments: Vec<Shipment>,
    pub(crate) arcs: Vec<TradeArc>,
    pub(crate) draws: Vec<MakerDraw>,
    pub(crate) markets: Vec<MarketEntry>,
    pub(crate) releases: Vec<ReleaseEntry>,
    pub(crate) expansions: Vec<ExpansionEntry>,
    pub(crate) contracts: Vec<ContractEntry>,
}

impl<'s> YearProblem<'s> {
    /// Builds the model's problem for `year`, without names (see
    /// [`QuadraticProgram::unnamed`]).
    pub fn build(
        scenario: &'s Scenario,
        calibration: &Calibration,
        year: i32,
        state: &YearState,
    ) -> Self {
        Self::build_for(scenario, &ModelBasis { calibration }, year, state)
    }

    /// The same problem with every variable and row named, for the LP text and for warm
    /// starts ([`crate::solver::solve_near`]).
    pub fn build_named(
        scenario: &'s Scenario,
        calibration: &Calibration,
        year: i32,
        state: &YearState,
    ) -> Self {
        Self::build_into(
            QuadraticProgram::new(),
            scenario,
            &ModelBasis { calibration },
            year,
            state,
        )
    }

    /// Builds the problem for `year` on any basis, without names.
    pub(crate) fn build_for(
        scenario: &'s Scenario,
        basis: &dyn Basis,
        year: i32,
        state: &YearState,
    ) -> Self {
        Self::build_into(QuadraticProgram::unnamed(), scenario, basis, year, state)
    }

    fn build_into(
        qp: QuadraticProgram,
        scenario: &'s Scenario,
        basis: &dyn Basis,
        year: i32,
        state: &YearState,
    ) -> Self {
        let mut problem = Self {
            scenario,
            year,
            qp,
            countries: scenario
                .countries
                .iter()
                .map(|c| (c.iso3.as_str(), (c.region.as_str(), c.lat, c.lon)))
                .collect(),
            regions: scenario
                .regions
                .iter()
                .map(|r| (r.id.as_str(), (r.lat, r.lon)))
                .collect(),
            reference_prices: reference_prices(scenario),
            mines: Vec::new(),
            refineries: Vec::new(),
            plants: Vec::new(),
            shipments: Vec::new(),
            arcs: Vec::new(),
            draws: Vec::new(),
            markets: Vec::new(),
            releases: Vec::new(),
            expansions: Vec::new(),
            contracts: Vec::new(),
        };
        let levers = basis.levers_apply();
        problem.add_nodes(basis);
        if levers {
            problem.add_expansion(state);
        }
        problem.add_markets(basis, state);
        problem.add_maker_markets();
        let policies = levers;
        problem.add_shipments(policies);
        problem.add_oxide_trade(policies);
        problem.add_product_trade(policies);
        // Contracts hold in the observed base year too: calibration sees them.
        problem.add_contracts();
        if policies {
            problem.add_quotas();
            problem.add_stock_releases(state);
        }
        problem
    }

    /// The switched-on policies in force in this year. The iterator borrows the scenario,
    /// not the problem, so the loops over it can keep adding rows.
    pub(crate) fn active_policies(
        &self,
    ) -> impl Iterator<Item = &'s crate::model::Policy> + use<'s> {
        let year = self.year;
        self.scenario
            .policies
            .iter()
            .filter(move |policy| policy.is_active_in(year))
    }

    /// A node's reported output of `commodity` (all commodities for `None`) in this year, kt.
    pub(crate) fn reported_kt(&self, node: &Node, commodity: Option<&str>) -> f64 {
        node.reported_output
            .iter()
            .filter(|o| o.year == self.year && commodity.is_none_or(|c| c == o.commodity))
            .map(|o| o.t)
            .sum::<f64>()
            / T_PER_KT
    }

    /// The node a mine entry stands for.
    pub(crate) fn mine_node(&self, mine: &MineEntry) -> &'s Node {
        &self.scenario.nodes[mine.node]
    }

    /// The node a refinery entry stands for.
    pub(crate) fn refinery_node(&self, refinery: &RefineryEntry) -> &'s Node {
        &self.scenario.nodes[refinery.node]
    }

    /// The node a plant entry stands for.
    pub(crate) fn plant_node(&self, plant: &PlantEntry) -> &'s Node {
        &self.scenario.nodes[plant.node]
    }
}
