//! What a solve returns: a [`Solution`] that describes itself.
//!
//! Every item carries its ids *and* its names for people, and every flow's ends are typed
//! [`Endpoint`]s (a node, a country's refineries or magnet makers, a region), so views,
//! reports and exports draw from the solution without going back to the scenario to
//! interpret it.

use serde::Serialize;

use super::qp::QpMethod;
use crate::model::Stage;

/// Tonnes per kt: the solver works in kt, the [`Solution`] in t.
pub(crate) const T_PER_KT: f64 = 1000.0;

/// How a year's solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SolveStatus {
    Optimal,
    /// Solved to reduced accuracy.
    AlmostOptimal,
    Infeasible,
    NumericalTrouble,
}

impl SolveStatus {
    /// Whether the year's numbers can be used.
    pub fn is_usable(self) -> bool {
        matches!(self, SolveStatus::Optimal | SolveStatus::AlmostOptimal)
    }
}

/// What kind of source an origin is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum OriginKind {
    /// Ore mined in a country.
    Mined,
    /// Recycling and unrecorded supply in a country (secondary refineries).
    Recycled,
    /// Stock released by a stockpile of a region.
    Stockpile,
}

/// A share of consumption or output by origin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OriginShare {
    /// A stable key: `"CHN"` for Chinese mines, `"CHN:secondary"` for Chinese recycling and
    /// unrecorded supply, `"stockpile:JPN"` for Japan's stockpile.
    pub source: String,
    pub kind: OriginKind,
    /// The mining country's ISO3 code, or the stockpile holder's region.
    pub place: String,
    /// For people: "China", "China (recycled)", "Japan's stockpile".
    pub name: String,
    pub share: f64,
}

/// The result for one region and commodity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarketResult {
    pub region: String,
    pub region_name: String,
    pub commodity: String,
    pub commodity_name: String,
    pub consumption_t: f64,
    /// Demand at the reference price this year (grown and shocked).
    pub reference_t: f64,
    /// Demand at the reference price that the equilibrium leaves unserved.
    pub shortfall_t: f64,
    /// The market's price: what its last tonne fetched (the balance row's dual). It can
    /// exceed the final buyers' choke price where magnet makers outbid them.
    pub price_usd_per_kg: f64,
    /// The price at the demand curve's anchor this year (the calibrated 2024 price).
    pub reference_price_usd_per_kg: f64,
    /// The final buyers' highest price: their choke price, or a tenth above their cap
    /// (`CAP_RISE`).
    pub choke_price_usd_per_kg: f64,
    pub stock_release_t: f64,
    /// Bought in this market by the region's magnet makers (oxides), t.
    pub to_magnet_makers_t: f64,
    /// Where the market's supply came from, by origin (final users and magnet makers
    /// alike).
    pub origin: Vec<OriginShare>,
}

impl MarketResult {
    /// This market's price over the same market's price in a reference solution, minus 1
    /// (`None` where the reference price is not positive): the one place price pressure is
    /// computed.
    pub fn price_pressure_against(&self, reference: &MarketResult) -> Option<f64> {
        (reference.price_usd_per_kg > 0.0)
            .then(|| self.price_usd_per_kg / reference.price_usd_per_kg - 1.0)
    }

    /// Shortfall as a share of demand at the reference price (0 where there is none).
    pub fn shortfall_share(&self) -> f64 {
        if self.reference_t > 0.0 {
            self.shortfall_t / self.reference_t
        } else {
            0.0
        }
    }
}

/// The result for one node.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeResult {
    pub node: String,
    pub name: String,
    pub country: String,
    pub country_name: String,
    pub stage: Stage,
    pub capacity_t: f64,
    /// Output: t REO (mines, refineries) or t of product (magnet plants).
    pub output_t: f64,
    /// Output by commodity (refinery oxides; a mine's oxide content; a plant's product).
    pub outputs: Vec<(String, f64)>,
    /// Output over capacity (0 when capacity is 0).
    pub utilisation: f64,
    /// Where the node's output came from, by mining country.
    pub origin: Vec<OriginShare>,
}

/// Where a flow goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FlowTarget {
    /// A refinery (the flow's `to` is the refinery node).
    Refinery,
    /// The magnet plants of a country, buying in their region's market (`from` is the
    /// region, `to` the country).
    MagnetMakers,
    /// A demand region (`to` is the region).
    Region,
}

/// What an end of a flow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EndpointKind {
    /// A node: a mine sending concentrate, a refinery receiving it. `id` is the node id.
    Node,
    /// A country's refineries (oxide exports) or magnet plants. `id` is its ISO3 code.
    Country,
    /// A demand region. `id` is the region id.
    Region,
}

/// One end of a flow, with what a view needs to place and name it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Endpoint {
    pub kind: EndpointKind,
    pub id: String,
    /// For people: the node's, country's or region's name.
    pub name: String,
    /// The ISO3 code of the country it is in or is; `None` for a region.
    pub country: Option<String>,
    /// The demand region it is in or is.
    pub region: String,
}

impl Endpoint {
    /// The country's ISO3 code, or "" for a region.
    pub fn country_code(&self) -> &str {
        self.country.as_deref().unwrap_or("")
    }
}

/// A flow on an arc.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    /// The stage the goods leave: `Mine` = concentrate, `Refinery` = oxide, `Magnet`.
    pub stage: Stage,
    /// The commodity; for concentrate, `None` (it carries the mine's composition).
    pub commodity: Option<String>,
    pub from: Endpoint,
    pub to: Endpoint,
    pub target: FlowTarget,
    pub t: f64,
    /// Oxide content carried, t by commodity: a concentrate's content of each oxide (before
    /// separation losses); for oxide and products, the flow itself.
    pub content_t: Vec<(String, f64)>,
    /// Transport plus tariffs, US$/kg.
    pub cost_usd_per_kg: f64,
}

impl Flow {
    /// Whether the flow crosses a border: concentrate between countries, oxide or products
    /// into another region (magnet makers buying in their own region's market do not).
    pub fn is_export(&self) -> bool {
        match (self.from.kind, self.to.kind) {
            (EndpointKind::Region, _) => false,
            (_, EndpointKind::Region) => self.from.region != self.to.region,
            _ => self.from.country != self.to.country,
        }
    }

    /// Tonnes of `commodity` the flow carries.
    pub fn content_of(&self, commodity: &str) -> f64 {
        self.content_t
            .iter()
            .filter(|(c, _)| c == commodity)
            .map(|(_, t)| t)
            .sum()
    }
}

/// What an expansion option built, and what its capacity made, in a year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpansionResult {
    pub option: String,
    pub label: String,
    pub stage: Stage,
    pub country: String,
    /// The node whose kind the capacity is.
    pub host: String,
    /// For separation: the circuit's commodity.
    pub commodity: Option<String>,
    /// Built in earlier years, t/yr.
    pub built_before_t_per_yr: f64,
    /// Come on stream this year, t/yr.
    pub added_t_per_yr: f64,
    /// All the option's capacity this year, t/yr.
    pub capacity_t_per_yr: f64,
    /// What it made this year, t.
    pub output_t: f64,
}

/// How a contract fared in a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ContractStatus {
    /// Delivered in full.
    Held,
    /// Delivered in part: the seller could not deliver all (a quota, its capacity).
    Short,
    /// A policy removed its route.
    Lapsed,
}

/// A contract's deliveries in a year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContractResult {
    pub contract: String,
    pub label: String,
    pub status: ContractStatus,
    /// What the contract asks for this year, t.
    pub required_t: f64,
    /// What its route carried, t.
    pub delivered_t: f64,
}

/// Stock a stockpile policy released in a year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StockRelease {
    pub policy: String,
    pub region: String,
    pub commodity: String,
    pub t: f64,
}

/// One year's equilibrium.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearSolution {
    pub year: i32,
    pub status: SolveStatus,
    /// Consumers' gross surplus minus costs (including the annualised capital cost of all
    /// capacity built by expansion options so far), US$ million.
    pub welfare_musd: f64,
    pub solve_ms: f64,
    /// The method whose answer this is: rareflow's interior-point method, or Clarabel where
    /// that did not converge.
    pub solved_by: QpMethod,
    pub markets: Vec<MarketResult>,
    pub nodes: Vec<NodeResult>,
    pub flows: Vec<Flow>,
    pub stock_releases: Vec<StockRelease>,
    /// Capacity added by expansion options (built so far, and this year).
    pub expansions: Vec<ExpansionResult>,
    /// Contracts in force and what they delivered.
    pub contracts: Vec<ContractResult>,
}

impl YearSolution {
    /// A year with its status and nothing read yet (or nothing to read: a failed solve).
    pub fn empty(year: i32, status: SolveStatus) -> Self {
        Self {
            year,
            status,
            welfare_musd: 0.0,
            solve_ms: 0.0,
            solved_by: QpMethod::Clarabel,
            markets: Vec::new(),
            nodes: Vec::new(),
            flows: Vec::new(),
            stock_releases: Vec::new(),
            expansions: Vec::new(),
            contracts: Vec::new(),
        }
    }

    pub fn market(&self, region: &str, commodity: &str) -> Option<&MarketResult> {
        self.markets
            .iter()
            .find(|m| m.region == region && m.commodity == commodity)
    }

    pub fn node(&self, id: &str) -> Option<&NodeResult> {
        self.nodes.iter().find(|n| n.node == id)
    }

    /// Price pressure of a market against the same market in `reference`.
    pub fn price_pressure(
        &self,
        reference: &YearSolution,
        region: &str,
        commodity: &str,
    ) -> Option<f64> {
        self.market(region, commodity)?
            .price_pressure_against(reference.market(region, commodity)?)
    }
}

/// The equilibrium of every year solved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Solution {
    pub scenario: String,
    pub years: Vec<YearSolution>,
    pub total_solve_ms: f64,
}

impl Solution {
    pub fn year(&self, year: i32) -> Option<&YearSolution> {
        self.years.iter().find(|y| y.year == year)
    }

    /// Price in `self` over price in `reference`, minus 1, for a region, commodity and
    /// year (`None` where either is missing or the reference price is not positive).
    pub fn price_pressure(
        &self,
        reference: &Solution,
        year: i32,
        region: &str,
        commodity: &str,
    ) -> Option<f64> {
        self.year(year)?
            .price_pressure(reference.year(year)?, region, commodity)
    }
}
