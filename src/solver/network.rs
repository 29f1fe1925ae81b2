//! One year's problem: the nodes that run, the arcs that exist, the rows, the policies —
//! and reading the solution back into a [`YearSolution`].
//!
//! Scenario items are translated into dense entries that hold their QP variables; results
//! are mapped back by node id, country and region.

use std::collections::{BTreeMap, BTreeSet};

use super::calibrate::{Calibration, CostCurve, DemandAnchor};
use super::origin::{self, Mix};
use super::qp::{QpSolution, QpStatus, QuadraticProgram, RowId, Sense, Var};
use super::{
    Flow, FlowTarget, MarketResult, NodeResult, SolveStatus, SolverSettings, StockRelease,
    T_PER_KT, YearSolution,
};
use crate::model::{
    CommodityKind, Destinations, Node, PolicyKind, Process, QuotaLimit, RefineryFeed, ReleaseRule,
    Scenario, Stage, TariffRate, TradeGoods,
};

/// Values below this (kt) read as zero: 1 kg.
const ZERO_KT: f64 = 1e-6;
/// Flows below this (kt) are left out of the solution: 10 kg, interior-point dust.
const FLOW_MIN_KT: f64 = 1e-5;
/// A tiny quadratic cost on every route (US$/kg per kt carried). Where routes cost the same,
/// the equilibrium does not say how flow splits between them, and origins would jump from
/// year to year; this picks the most even split, making flows and origins unique and
/// steady. It moves prices by well under 0.01 $/kg.
pub const ROUTE_SPREAD_USD_PER_KG_PER_KT: f64 = 1e-4;

/// What a problem is built for.
#[derive(Clone, Copy)]
pub(crate) enum Purpose<'c> {
    /// The model proper, with calibrated costs and demand.
    Model(&'c Calibration),
    /// The calibration solve: base-year outputs held at their targets, prior costs, no
    /// policies, demand anchored at the data with the calibration elasticity.
    Calibration,
}

/// Stock left in each switched-on stockpile, carried from year to year.
#[derive(Clone, Debug, Default)]
pub struct StockState {
    remaining_t: BTreeMap<String, f64>,
}

impl StockState {
    pub fn new(scenario: &Scenario) -> Self {
        let remaining_t = scenario
            .policies
            .iter()
            .filter_map(|policy| match &policy.kind {
                PolicyKind::Stockpile {
                    initial_stock_t, ..
                } if policy.enabled => Some((policy.id.clone(), *initial_stock_t)),
                _ => None,
            })
            .collect();
        Self { remaining_t }
    }

    /// Takes a year's releases out of the stocks.
    pub fn after_year(&mut self, solution: &YearSolution) {
        for release in &solution.stock_releases {
            if let Some(stock) = self.remaining_t.get_mut(&release.policy) {
                *stock = (*stock - release.t).max(0.0);
            }
        }
    }
}

/// Where goods go: a country (its refineries or magnet plants) or a demand region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place<'s> {
    Country(&'s str),
    Region(&'s str),
}

/// The oxides a flow carries: one commodity, or a mine's concentrate.
#[derive(Clone, Copy)]
enum Carried<'s> {
    One(&'s str),
    Concentrate(&'s Node),
}

struct MineEntry {
    node: usize,
    output: Var,
    capacity_kt: f64,
    composition: Vec<(String, f64)>,
    /// Calibration: the row holding output at its target.
    target_row: Option<RowId>,
    target_kt: f64,
}

struct CircuitEntry {
    commodity: String,
    output: Var,
    capacity_kt: f64,
    /// Calibration: the row `output ≤ target`.
    target_row: Option<RowId>,
    target_kt: f64,
}

struct RefineryEntry {
    node: usize,
    recovery: f64,
    secondary: bool,
    circuits: Vec<CircuitEntry>,
}

struct PlantEntry {
    node: usize,
    product: String,
    recipe: Vec<(String, f64)>,
    output: Var,
    capacity_kt: f64,
    target_row: Option<RowId>,
    target_kt: f64,
}

struct Shipment {
    mine: usize,
    refinery: usize,
    var: Var,
    cost: f64,
}

/// Oxide or product from a country to a country's magnet plants or to a region.
struct TradeArc {
    stage: Stage,
    from: String,
    commodity: String,
    to: String,
    target: FlowTarget,
    /// The market the arc feeds (index into `markets`), for arcs to regions.
    market: Option<usize>,
    var: Var,
    cost: f64,
}

struct MarketEntry {
    region: String,
    commodity: String,
    consumption: Var,
    balance: RowId,
    reference_kt: f64,
    anchor: DemandAnchor,
    elasticity: f64,
}

impl MarketEntry {
    /// The demand curve's price at `q_kt`, never below zero.
    fn price_at(&self, q_kt: f64) -> f64 {
        let price = self.anchor.price_usd_per_kg
            * (1.0 + (self.reference_kt - q_kt) / (self.elasticity * self.reference_kt));
        price.max(0.0)
    }

    fn choke_price(&self) -> f64 {
        self.anchor.price_usd_per_kg * (1.0 + 1.0 / self.elasticity)
    }
}

struct ReleaseEntry {
    policy: String,
    market: usize,
    var: Var,
}

/// One year's problem, ready to solve.
pub struct YearProblem<'s> {
    scenario: &'s Scenario,
    pub year: i32,
    pub qp: QuadraticProgram,
    countries: BTreeMap<&'s str, (&'s str, f64, f64)>,
    regions: BTreeMap<&'s str, (f64, f64)>,
    reference_prices: BTreeMap<String, f64>,
    mines: Vec<MineEntry>,
    refineries: Vec<RefineryEntry>,
    plants: Vec<PlantEntry>,
    shipments: Vec<Shipment>,
    arcs: Vec<TradeArc>,
    markets: Vec<MarketEntry>,
    releases: Vec<ReleaseEntry>,
}

impl<'s> YearProblem<'s> {
    /// Builds the model's problem for `year`.
    pub fn build(
        scenario: &'s Scenario,
        calibration: &Calibration,
        year: i32,
        stocks: &StockState,
        settings: &SolverSettings,
    ) -> Self {
        Self::build_for(
            scenario,
            Purpose::Model(calibration),
            year,
            stocks,
            settings,
        )
    }

    pub(crate) fn build_for(
        scenario: &'s Scenario,
        purpose: Purpose<'_>,
        year: i32,
        stocks: &StockState,
        settings: &SolverSettings,
    ) -> Self {
        let mut problem = Self {
            scenario,
            year,
            qp: QuadraticProgram::new(),
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
            markets: Vec::new(),
            releases: Vec::new(),
        };
        problem.add_nodes(purpose, settings);
        problem.add_markets(purpose, settings);
        problem.add_shipments(purpose);
        problem.add_oxide_trade(purpose);
        problem.add_product_trade(purpose);
        if let Purpose::Model(_) = purpose {
            problem.add_quotas();
            problem.add_stock_releases(stocks);
        }
        problem
    }

    /// The switched-on policies in force in this year. The iterator borrows the scenario,
    /// not the problem, so the loops over it can keep adding rows.
    fn active_policies(&self) -> impl Iterator<Item = &'s crate::model::Policy> + use<'s> {
        let year = self.year;
        self.scenario
            .policies
            .iter()
            .filter(move |policy| policy.is_active_in(year))
    }

    /// Whether policies apply (not while calibrating).
    fn policies_apply(purpose: Purpose<'_>) -> bool {
        matches!(purpose, Purpose::Model(_))
    }

    /// A node's capacity in the year. While calibrating it is at least what the node
    /// reported: calibration describes the observed base year, so a capacity lever moved
    /// below it is a what-if to solve, not a new observation.
    fn capacity_kt(&self, node: &Node, purpose: Purpose<'_>) -> f64 {
        match purpose {
            Purpose::Model(_) => self.scenario.capacity_in(node, self.year) / T_PER_KT,
            Purpose::Calibration => {
                (node.built_capacity_in(self.year) / T_PER_KT).max(self.reported_kt(node, None))
            }
        }
    }

    /// A node's reported output of `commodity` (all commodities for `None`) in this year, kt.
    fn reported_kt(&self, node: &Node, commodity: Option<&str>) -> f64 {
        node.reported_output
            .iter()
            .filter(|o| o.year == self.year && commodity.is_none_or(|c| c == o.commodity))
            .map(|o| o.t)
            .sum::<f64>()
            / T_PER_KT
    }

    fn add_nodes(&mut self, purpose: Purpose<'_>, settings: &SolverSettings) {
        let scenario = self.scenario;
        for (index, node) in scenario.nodes.iter().enumerate() {
            let capacity_kt = self.capacity_kt(node, purpose);
            match &node.process {
                Process::Mine { composition, .. } => {
                    if capacity_kt <= 0.0 {
                        continue;
                    }
                    let curve = match (purpose, node.unit_cost_usd_per_kg) {
                        (_, Some(cost)) => CostCurve::linear(cost),
                        (Purpose::Model(calibration), None) => {
                            calibration.mine_cost(node, &self.reference_prices)
                        }
                        (Purpose::Calibration, None) => CostCurve::default(),
                    };
                    let output = self.qp.add_var(
                        format!("mine_out[{}]", node.id),
                        0.0,
                        capacity_kt,
                        curve.intercept_usd_per_kg,
                        curve.slope_usd_per_kg_per_kt,
                    );
                    let mut entry = MineEntry {
                        node: index,
                        output,
                        capacity_kt,
                        composition: composition
                            .iter()
                            .map(|s| (s.commodity.clone(), s.share))
                            .collect(),
                        target_row: None,
                        target_kt: 0.0,
                    };
                    if let (Purpose::Calibration, None) = (purpose, node.unit_cost_usd_per_kg) {
                        entry.target_kt = self.reported_kt(node, None).min(capacity_kt);
                        entry.target_row = Some(self.hold_at_target(
                            output,
                            &node.id,
                            Sense::Equal,
                            entry.target_kt,
                        ));
                    }
                    self.mines.push(entry);
                }
                Process::Refinery {
                    recovery,
                    circuits,
                    feed,
                } => {
                    let scale = match purpose {
                        Purpose::Model(_) => scenario.capacity_scale_in(node, self.year),
                        Purpose::Calibration => 1.0,
                    };
                    let mut commodities: Vec<&str> =
                        circuits.iter().map(|c| c.commodity.as_str()).collect();
                    commodities.sort_unstable();
                    commodities.dedup();
                    let mut entry = RefineryEntry {
                        node: index,
                        recovery: *recovery,
                        secondary: matches!(feed, RefineryFeed::Secondary { .. }),
                        circuits: Vec::new(),
                    };
                    for commodity in commodities {
                        let mut circuit_kt =
                            node.circuit_capacity_in(commodity, self.year, scale) / T_PER_KT;
                        if let Purpose::Calibration = purpose {
                            circuit_kt = circuit_kt.max(self.reported_kt(node, Some(commodity)));
                        }
                        if circuit_kt <= 0.0 {
                            continue;
                        }
                        let price = self.reference_prices.get(commodity).copied().unwrap_or(0.0);
                        let curve = match (purpose, node.unit_cost_usd_per_kg) {
                            (_, Some(cost)) => CostCurve::linear(cost),
                            (Purpose::Model(calibration), None) => {
                                calibration.circuit_cost(node, commodity, price)
                            }
                            (Purpose::Calibration, None) => {
                                CostCurve::linear(settings.prior_separation_cost_share * price)
                            }
                        };
                        let output = self.qp.add_var(
                            format!("separate[{},{commodity}]", node.id),
                            0.0,
                            circuit_kt,
                            curve.intercept_usd_per_kg,
                            curve.slope_usd_per_kg_per_kt,
                        );
                        let mut circuit = CircuitEntry {
                            commodity: commodity.to_owned(),
                            output,
                            capacity_kt: circuit_kt,
                            target_row: None,
                            target_kt: 0.0,
                        };
                        if let (Purpose::Calibration, None) = (purpose, node.unit_cost_usd_per_kg) {
                            circuit.target_kt =
                                self.reported_kt(node, Some(commodity)).min(circuit_kt);
                            circuit.target_row = Some(self.hold_at_target(
                                output,
                                &format!("{},{commodity}", node.id),
                                Sense::AtMost,
                                circuit.target_kt,
                            ));
                        }
                        entry.circuits.push(circuit);
                    }
                    if !entry.circuits.is_empty() {
                        self.refineries.push(entry);
                    }
                }
                Process::MagnetPlant { product, recipe } => {
                    if capacity_kt <= 0.0 {
                        continue;
                    }
                    let curve = match (purpose, node.unit_cost_usd_per_kg) {
                        (_, Some(cost)) => CostCurve::linear(cost),
                        (Purpose::Model(calibration), None) => calibration.plant_cost(node),
                        (Purpose::Calibration, None) => {
                            CostCurve::linear(settings.prior_magnet_cost_usd_per_kg)
                        }
                    };
                    let output = self.qp.add_var(
                        format!("make[{}]", node.id),
                        0.0,
                        capacity_kt,
                        curve.intercept_usd_per_kg,
                        curve.slope_usd_per_kg_per_kt,
                    );
                    let mut entry = PlantEntry {
                        node: index,
                        product: product.clone(),
                        recipe: recipe
                            .iter()
                            .map(|r| (r.commodity.clone(), r.t_per_t))
                            .collect(),
                        output,
                        capacity_kt,
                        target_row: None,
                        target_kt: 0.0,
                    };
                    if let (Purpose::Calibration, None) = (purpose, node.unit_cost_usd_per_kg) {
                        entry.target_kt = self.reported_kt(node, None).min(capacity_kt);
                        entry.target_row = Some(self.hold_at_target(
                            output,
                            &node.id,
                            Sense::Equal,
                            entry.target_kt,
                        ));
                    }
                    self.plants.push(entry);
                }
            }
        }
    }

    /// Calibration: holds an output at (or, for `AtMost`, below) its target with a row of
    /// its own, and drops its capacity bound, so that the row's dual alone is the output's
    /// marginal value (two rows that say the same split their dual arbitrarily).
    fn hold_at_target(&mut self, output: Var, name: &str, sense: Sense, target_kt: f64) -> RowId {
        self.qp.set_bounds(output, 0.0, f64::INFINITY);
        self.qp.add_row(
            format!("target[{name}]"),
            sense,
            vec![(output, 1.0)],
            target_kt,
        )
    }

    fn add_markets(&mut self, purpose: Purpose<'_>, settings: &SolverSettings) {
        let scenario = self.scenario;
        let base_year = scenario.meta.base_year;
        for demand in &scenario.demand {
            let (anchor, elasticity) = match purpose {
                Purpose::Model(calibration) => (calibration.anchor(demand), demand.elasticity),
                Purpose::Calibration => (
                    DemandAnchor {
                        reference_t: demand.reference_t_per_yr,
                        price_usd_per_kg: demand.reference_price_usd_per_kg
                            + self.delivery_cost_from_reference_region(
                                &demand.commodity,
                                &demand.region,
                            ),
                    },
                    settings.calibration_elasticity,
                ),
            };
            let mut reference_kt = anchor.reference_t / T_PER_KT
                * (1.0 + demand.growth_per_yr).powi(self.year - base_year);
            if Self::policies_apply(purpose) {
                for policy in self.active_policies() {
                    if let PolicyKind::DemandShock {
                        region,
                        commodity,
                        factor,
                    } = &policy.kind
                        && *region == demand.region
                        && *commodity == demand.commodity
                    {
                        reference_kt *= factor;
                    }
                }
            }
            if reference_kt <= 0.0 || anchor.price_usd_per_kg <= 0.0 {
                continue;
            }
            let price = anchor.price_usd_per_kg;
            let consumption = self.qp.add_var(
                format!("consume[{},{}]", demand.region, demand.commodity),
                0.0,
                f64::INFINITY,
                -price * (1.0 + 1.0 / elasticity),
                price / (elasticity * reference_kt),
            );
            let balance = self.qp.add_row(
                format!("balance[{},{}]", demand.region, demand.commodity),
                Sense::Equal,
                vec![(consumption, 1.0)],
                0.0,
            );
            self.markets.push(MarketEntry {
                region: demand.region.clone(),
                commodity: demand.commodity.clone(),
                consumption,
                balance,
                reference_kt,
                anchor,
                elasticity,
            });
        }
    }

    /// The largest-demand region of each commodity sets its reference price (the data's
    /// prices are FOB China); other regions pay the delivery from it on top.
    fn delivery_cost_from_reference_region(&self, commodity: &str, region: &str) -> f64 {
        let reference_region = self
            .scenario
            .demand
            .iter()
            .filter(|d| d.commodity == commodity)
            .max_by(|a, b| a.reference_t_per_yr.total_cmp(&b.reference_t_per_yr))
            .map(|d| d.region.as_str());
        match reference_region {
            Some(from) if from != region => {
                let trade = &self.scenario.trade;
                trade.border_usd_per_kg
                    + trade.per_1000km_usd_per_kg
                        * self.distance_km(self.regions.get(from), self.regions.get(region))
                        / 1000.0
            }
            _ => 0.0,
        }
    }

    fn distance_km(&self, a: Option<&(f64, f64)>, b: Option<&(f64, f64)>) -> f64 {
        match (a, b) {
            (Some(&(lat1, lon1)), Some(&(lat2, lon2))) => great_circle_km(lat1, lon1, lat2, lon2),
            _ => 0.0,
        }
    }

    fn region_of(&self, country: &str) -> &str {
        self.countries
            .get(country)
            .map_or("", |(region, ..)| region)
    }

    fn point(&self, place: Place<'_>) -> Option<(f64, f64)> {
        match place {
            Place::Country(iso3) => self.countries.get(iso3).map(|&(_, lat, lon)| (lat, lon)),
            Place::Region(id) => self.regions.get(id).copied(),
        }
    }

    fn is_domestic(&self, exporter: &str, to: Place<'_>) -> bool {
        match to {
            Place::Country(country) => country == exporter,
            Place::Region(region) => self.region_of(exporter) == region,
        }
    }

    /// Transport cost from a country to a place, US$/kg.
    fn transport_cost(&self, from: &str, to: Place<'_>, commodity: Option<&str>) -> f64 {
        let trade = &self.scenario.trade;
        let route_override = trade.overrides.iter().find(|route| {
            route.from == from
                && match to {
                    Place::Country(country) => route.to == country,
                    Place::Region(region) => route.to == region,
                }
                && route
                    .commodity
                    .as_deref()
                    .is_none_or(|c| Some(c) == commodity)
        });
        if let Some(route) = route_override {
            return route.usd_per_kg;
        }
        if self.is_domestic(from, to) {
            return trade.domestic_usd_per_kg;
        }
        let (Some((lat1, lon1)), Some((lat2, lon2))) =
            (self.point(Place::Country(from)), self.point(to))
        else {
            return trade.border_usd_per_kg;
        };
        trade.border_usd_per_kg
            + trade.per_1000km_usd_per_kg * great_circle_km(lat1, lon1, lat2, lon2) / 1000.0
    }

    /// Whether a partner code (country or region) names `to`.
    fn names_place(&self, code: &str, to: Place<'_>) -> bool {
        match to {
            Place::Country(country) => code == country || code == self.region_of(country),
            Place::Region(region) => code == region,
        }
    }

    fn partners_include(&self, partners: &Destinations, to: Place<'_>) -> bool {
        match partners {
            Destinations::All => true,
            Destinations::Only(codes) => codes.iter().any(|code| self.names_place(code, to)),
            Destinations::AllExcept(codes) => !codes.iter().any(|code| self.names_place(code, to)),
        }
    }

    fn goods_cover(goods: &TradeGoods, stage: Stage, carried: Carried<'_>) -> bool {
        if !goods.stages.is_empty() && !goods.stages.contains(&stage) {
            return false;
        }
        if goods.commodities.is_empty() {
            return true;
        }
        match carried {
            Carried::One(commodity) => goods.commodities.iter().any(|c| c == commodity),
            Carried::Concentrate(node) => match &node.process {
                Process::Mine { composition, .. } => composition
                    .iter()
                    .any(|share| share.share > 0.0 && goods.commodities.contains(&share.commodity)),
                _ => false,
            },
        }
    }

    /// The tonnage a quota counts on an arc per tonne carried: the covered oxides' share of
    /// concentrate, or 1.
    fn covered_content(goods: &TradeGoods, carried: Carried<'_>) -> f64 {
        match carried {
            Carried::Concentrate(node) if !goods.commodities.is_empty() => match &node.process {
                Process::Mine { composition, .. } => composition
                    .iter()
                    .filter(|share| goods.commodities.contains(&share.commodity))
                    .map(|share| share.share)
                    .sum(),
                _ => 0.0,
            },
            _ => 1.0,
        }
    }

    /// Whether a switched-on export ban stops this arc.
    fn is_banned(
        &self,
        purpose: Purpose<'_>,
        exporter: &str,
        to: Place<'_>,
        stage: Stage,
        carried: Carried<'_>,
    ) -> bool {
        if !Self::policies_apply(purpose) || self.is_domestic(exporter, to) {
            return false;
        }
        self.active_policies().any(|policy| {
            matches!(&policy.kind, PolicyKind::ExportBan { exporter: banned, goods, destinations }
                    if banned == exporter
                        && Self::goods_cover(goods, stage, carried)
                        && self.partners_include(destinations, to))
        })
    }

    /// The value of a tonne of what an arc carries at reference prices, US$/kg.
    fn carried_value(&self, carried: Carried<'_>) -> f64 {
        match carried {
            Carried::One(commodity) => self.reference_prices.get(commodity).copied().unwrap_or(0.0),
            Carried::Concentrate(node) => match &node.process {
                Process::Mine { composition, .. } => composition
                    .iter()
                    .map(|s| {
                        s.share
                            * self
                                .reference_prices
                                .get(&s.commodity)
                                .copied()
                                .unwrap_or(0.0)
                    })
                    .sum(),
                _ => 0.0,
            },
        }
    }

    /// Tariffs on an arc, US$/kg.
    fn tariff(
        &self,
        purpose: Purpose<'_>,
        exporter: &str,
        to: Place<'_>,
        stage: Stage,
        carried: Carried<'_>,
    ) -> f64 {
        if !Self::policies_apply(purpose) || self.is_domestic(exporter, to) {
            return 0.0;
        }
        self.active_policies()
            .map(|policy| match &policy.kind {
                PolicyKind::ImportTariff {
                    importer,
                    goods,
                    origins,
                    rate,
                } if self.names_place(importer, to)
                    && Self::goods_cover(goods, stage, carried)
                    && self.partners_include(origins, Place::Country(exporter)) =>
                {
                    match *rate {
                        TariffRate::UsdPerKg(usd) => usd,
                        TariffRate::AdValorem(share) => share * self.carried_value(carried),
                    }
                }
                _ => 0.0,
            })
            .sum()
    }

    fn add_shipments(&mut self, purpose: Purpose<'_>) {
        let scenario = self.scenario;
        let mut mine_rows: Vec<Vec<(Var, f64)>> =
            self.mines.iter().map(|m| vec![(m.output, -1.0)]).collect();
        // Composition rows: o[r,c] − recovery · Σ_m a[m,c] x[m,r] ≤ 0.
        let mut composition_rows: Vec<Vec<Vec<(Var, f64)>>> = self
            .refineries
            .iter()
            .map(|r| r.circuits.iter().map(|c| vec![(c.output, 1.0)]).collect())
            .collect();
        for (mine_index, mine) in self.mines.iter().enumerate() {
            let mine_node = &scenario.nodes[mine.node];
            for (refinery_index, refinery) in self.refineries.iter().enumerate() {
                if refinery.secondary {
                    continue;
                }
                let useful = refinery.circuits.iter().any(|circuit| {
                    mine.composition
                        .iter()
                        .any(|(c, share)| *c == circuit.commodity && *share > 0.0)
                });
                if !useful {
                    continue;
                }
                let refinery_node = &scenario.nodes[refinery.node];
                let to = Place::Country(&refinery_node.country);
                let carried = Carried::Concentrate(mine_node);
                if self.is_banned(purpose, &mine_node.country, to, Stage::Mine, carried) {
                    continue;
                }
                let cost = self.transport_cost(&mine_node.country, to, None)
                    + self.tariff(purpose, &mine_node.country, to, Stage::Mine, carried);
                let var = self.qp.add_var(
                    format!("ship[{},{}]", mine_node.id, refinery_node.id),
                    0.0,
                    f64::INFINITY,
                    cost,
                    ROUTE_SPREAD_USD_PER_KG_PER_KT,
                );
                mine_rows[mine_index].push((var, 1.0));
                for (circuit_index, circuit) in refinery.circuits.iter().enumerate() {
                    let share = mine
                        .composition
                        .iter()
                        .find(|(c, _)| *c == circuit.commodity)
                        .map_or(0.0, |(_, share)| *share);
                    if share > 0.0 {
                        composition_rows[refinery_index][circuit_index]
                            .push((var, -refinery.recovery * share));
                    }
                }
                self.shipments.push(Shipment {
                    mine: mine_index,
                    refinery: refinery_index,
                    var,
                    cost,
                });
            }
        }
        for (mine, terms) in self.mines.iter().zip(mine_rows) {
            let id = &scenario.nodes[mine.node].id;
            self.qp
                .add_row(format!("ship_out[{id}]"), Sense::Equal, terms, 0.0);
        }
        for (refinery, rows) in self.refineries.iter().zip(composition_rows) {
            if refinery.secondary {
                continue;
            }
            let id = &scenario.nodes[refinery.node].id;
            for (circuit, terms) in refinery.circuits.iter().zip(rows) {
                self.qp.add_row(
                    format!("feed[{id},{}]", circuit.commodity),
                    Sense::AtMost,
                    terms,
                    0.0,
                );
            }
        }
    }

    /// An arc of oxide or product from a country to a region's market (`market`, the index
    /// of the region's market) or, without one, to the magnet makers of country `to`, unless
    /// a ban stops it. Its cost is transport plus tariffs.
    fn add_trade_arc(
        &mut self,
        purpose: Purpose<'_>,
        stage: Stage,
        from: &str,
        commodity: &str,
        to: &str,
        market: Option<usize>,
    ) -> Option<Var> {
        let (target, place) = match market {
            Some(_) => (FlowTarget::Region, Place::Region(to)),
            None => (FlowTarget::MagnetMakers, Place::Country(to)),
        };
        let carried = Carried::One(commodity);
        if self.is_banned(purpose, from, place, stage, carried) {
            return None;
        }
        let cost = self.transport_cost(from, place, Some(commodity))
            + self.tariff(purpose, from, place, stage, carried);
        let kind = match (stage, target) {
            (Stage::Magnet, _) => "product",
            (_, FlowTarget::MagnetMakers) => "oxide_to_makers",
            _ => "oxide_to_region",
        };
        let var = self.qp.add_var(
            format!("{kind}[{from},{commodity},{to}]"),
            0.0,
            f64::INFINITY,
            cost,
            ROUTE_SPREAD_USD_PER_KG_PER_KT,
        );
        self.arcs.push(TradeArc {
            stage,
            from: from.to_owned(),
            commodity: commodity.to_owned(),
            to: to.to_owned(),
            target,
            market,
            var,
            cost,
        });
        Some(var)
    }

    /// Oxide hubs: each country's refineries sell each oxide to magnet makers and regions.
    fn add_oxide_trade(&mut self, purpose: Purpose<'_>) {
        let scenario = self.scenario;
        // (country, oxide) → refinery outputs.
        let mut sources: BTreeMap<(String, String), Vec<Var>> = BTreeMap::new();
        for refinery in &self.refineries {
            let country = &scenario.nodes[refinery.node].country;
            for circuit in &refinery.circuits {
                sources
                    .entry((country.clone(), circuit.commodity.clone()))
                    .or_default()
                    .push(circuit.output);
            }
        }
        // (country, oxide) → what its magnet plants use, −Σ b·z.
        let mut plant_rows: BTreeMap<(String, String), Vec<(Var, f64)>> = BTreeMap::new();
        for plant in &self.plants {
            let country = &scenario.nodes[plant.node].country;
            for (commodity, t_per_t) in &plant.recipe {
                plant_rows
                    .entry((country.clone(), commodity.clone()))
                    .or_default()
                    .push((plant.output, -t_per_t));
            }
        }
        let makers: Vec<(String, String)> = plant_rows.keys().cloned().collect();
        let markets: Vec<(usize, String, String)> = self
            .markets
            .iter()
            .enumerate()
            .map(|(index, m)| (index, m.region.clone(), m.commodity.clone()))
            .collect();
        let mut market_inflows: BTreeMap<usize, Vec<(Var, f64)>> = BTreeMap::new();
        for ((from, commodity), outputs) in &sources {
            let mut hub: Vec<(Var, f64)> = outputs.iter().map(|&v| (v, 1.0)).collect();
            for (to, _) in makers.iter().filter(|(_, c)| c == commodity) {
                if let Some(var) =
                    self.add_trade_arc(purpose, Stage::Refinery, from, commodity, to, None)
                {
                    hub.push((var, -1.0));
                    if let Some(row) = plant_rows.get_mut(&(to.clone(), commodity.clone())) {
                        row.push((var, 1.0));
                    }
                }
            }
            for (index, region, _) in markets.iter().filter(|(_, _, c)| c == commodity) {
                if let Some(var) = self.add_trade_arc(
                    purpose,
                    Stage::Refinery,
                    from,
                    commodity,
                    region,
                    Some(*index),
                ) {
                    hub.push((var, -1.0));
                    market_inflows.entry(*index).or_default().push((var, -1.0));
                }
            }
            self.qp.add_row(
                format!("oxide_hub[{from},{commodity}]"),
                Sense::Equal,
                hub,
                0.0,
            );
        }
        for ((country, commodity), terms) in plant_rows {
            self.qp.add_row(
                format!("recipe[{country},{commodity}]"),
                Sense::Equal,
                terms,
                0.0,
            );
        }
        self.connect_to_markets(market_inflows);
    }

    /// Product hubs: each country's plants sell to every region.
    fn add_product_trade(&mut self, purpose: Purpose<'_>) {
        let scenario = self.scenario;
        let mut hubs: BTreeMap<(String, String), Vec<(Var, f64)>> = BTreeMap::new();
        for plant in &self.plants {
            let country = &scenario.nodes[plant.node].country;
            hubs.entry((country.clone(), plant.product.clone()))
                .or_default()
                .push((plant.output, 1.0));
        }
        let markets: Vec<(usize, String, String)> = self
            .markets
            .iter()
            .enumerate()
            .map(|(index, m)| (index, m.region.clone(), m.commodity.clone()))
            .collect();
        let mut market_inflows: BTreeMap<usize, Vec<(Var, f64)>> = BTreeMap::new();
        for ((from, product), mut hub) in hubs {
            for (index, region, _) in markets.iter().filter(|(_, _, c)| *c == product) {
                if let Some(var) = self.add_trade_arc(
                    purpose,
                    Stage::Magnet,
                    &from,
                    &product,
                    region,
                    Some(*index),
                ) {
                    hub.push((var, -1.0));
                    market_inflows.entry(*index).or_default().push((var, -1.0));
                }
            }
            self.qp.add_row(
                format!("product_hub[{from},{product}]"),
                Sense::Equal,
                hub,
                0.0,
            );
        }
        self.connect_to_markets(market_inflows);
    }

    /// Adds inflow terms to market balance rows (built with consumption only).
    fn connect_to_markets(&mut self, inflows: BTreeMap<usize, Vec<(Var, f64)>>) {
        for (market_index, terms) in inflows {
            let row = self.markets[market_index].balance;
            self.qp.extend_row(row, terms);
        }
    }

    /// Export quotas and production quotas.
    fn add_quotas(&mut self) {
        let scenario = self.scenario;
        for policy in self.active_policies() {
            match &policy.kind {
                PolicyKind::ExportQuota {
                    exporter,
                    goods,
                    destinations,
                    limit,
                } => {
                    let mut terms = Vec::new();
                    for shipment in &self.shipments {
                        let mine_node = &scenario.nodes[self.mines[shipment.mine].node];
                        let refinery_node =
                            &scenario.nodes[self.refineries[shipment.refinery].node];
                        let to = Place::Country(&refinery_node.country);
                        let carried = Carried::Concentrate(mine_node);
                        if mine_node.country == *exporter
                            && !self.is_domestic(exporter, to)
                            && Self::goods_cover(goods, Stage::Mine, carried)
                            && self.partners_include(destinations, to)
                        {
                            terms.push((shipment.var, Self::covered_content(goods, carried)));
                        }
                    }
                    for arc in &self.arcs {
                        let to = match arc.target {
                            FlowTarget::Region => Place::Region(&arc.to),
                            _ => Place::Country(&arc.to),
                        };
                        if arc.from == *exporter
                            && !self.is_domestic(exporter, to)
                            && Self::goods_cover(goods, arc.stage, Carried::One(&arc.commodity))
                            && self.partners_include(destinations, to)
                        {
                            terms.push((arc.var, 1.0));
                        }
                    }
                    let rhs = match *limit {
                        QuotaLimit::Tonnes(t) => t / T_PER_KT,
                        QuotaLimit::ShareOfOutput(share) => {
                            for (var, content) in self.country_output_terms(exporter, goods) {
                                terms.push((var, -share * content));
                            }
                            0.0
                        }
                    };
                    if !terms.is_empty() {
                        self.qp.add_row(
                            format!("export_quota[{}]", policy.id),
                            Sense::AtMost,
                            terms,
                            rhs,
                        );
                    }
                }
                PolicyKind::ProductionQuota {
                    country,
                    stage,
                    commodities,
                    max_t_per_yr,
                } => {
                    let goods = TradeGoods {
                        commodities: commodities.clone(),
                        stages: vec![*stage],
                    };
                    let terms = self.country_output_terms(country, &goods);
                    if !terms.is_empty() {
                        self.qp.add_row(
                            format!("production_quota[{}]", policy.id),
                            Sense::AtMost,
                            terms,
                            max_t_per_yr / T_PER_KT,
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// A country's output of the goods, as (variable, tonnes counted per unit) terms.
    fn country_output_terms(&self, country: &str, goods: &TradeGoods) -> Vec<(Var, f64)> {
        let scenario = self.scenario;
        let mut terms = Vec::new();
        let stage_counts = |stage| goods.stages.is_empty() || goods.stages.contains(&stage);
        if stage_counts(Stage::Mine) {
            for mine in &self.mines {
                let node = &scenario.nodes[mine.node];
                if node.country == country {
                    let content = Self::covered_content(goods, Carried::Concentrate(node));
                    terms.push((mine.output, content));
                }
            }
        }
        if stage_counts(Stage::Refinery) {
            for refinery in &self.refineries {
                if scenario.nodes[refinery.node].country != country {
                    continue;
                }
                for circuit in &refinery.circuits {
                    if goods.commodities.is_empty()
                        || goods.commodities.contains(&circuit.commodity)
                    {
                        terms.push((circuit.output, 1.0));
                    }
                }
            }
        }
        if stage_counts(Stage::Magnet) {
            for plant in &self.plants {
                if scenario.nodes[plant.node].country == country
                    && (goods.commodities.is_empty() || goods.commodities.contains(&plant.product))
                {
                    terms.push((plant.output, 1.0));
                }
            }
        }
        terms
    }

    fn add_stock_releases(&mut self, stocks: &StockState) {
        for policy in self.active_policies() {
            let PolicyKind::Stockpile {
                holder,
                commodity,
                release,
                also_for,
                ..
            } = &policy.kind
            else {
                continue;
            };
            let stock_kt = stocks.remaining_t.get(&policy.id).copied().unwrap_or(0.0) / T_PER_KT;
            let (rate_kt, cost, fixed) = match *release {
                ReleaseRule::FixedRate { t_per_yr } => (t_per_yr / T_PER_KT, 0.0, true),
                ReleaseRule::PriceTrigger {
                    price_usd_per_kg,
                    max_t_per_yr,
                } => (max_t_per_yr / T_PER_KT, price_usd_per_kg, false),
            };
            let available_kt = stock_kt.min(rate_kt);
            if available_kt <= ZERO_KT {
                continue;
            }
            let mut terms = Vec::new();
            for region in std::iter::once(holder).chain(also_for) {
                let Some(market) = self
                    .markets
                    .iter()
                    .position(|m| m.region == *region && m.commodity == *commodity)
                else {
                    continue;
                };
                let var = self.qp.add_var(
                    format!("release[{},{region}]", policy.id),
                    0.0,
                    available_kt,
                    cost,
                    0.0,
                );
                self.qp
                    .extend_row(self.markets[market].balance, vec![(var, -1.0)]);
                terms.push((var, 1.0));
                self.releases.push(ReleaseEntry {
                    policy: policy.id.clone(),
                    market,
                    var,
                });
            }
            if !terms.is_empty() {
                let sense = if fixed { Sense::Equal } else { Sense::AtMost };
                self.qp
                    .add_row(format!("stock[{}]", policy.id), sense, terms, available_kt);
            }
        }
    }

    /// Solves the problem and reads the results back.
    pub fn solve(&self, settings: &SolverSettings) -> YearSolution {
        let solution = self.qp.solve(&settings.qp);
        self.read(&solution)
    }

    pub(crate) fn read(&self, solution: &QpSolution) -> YearSolution {
        let status = match solution.status {
            QpStatus::Optimal => SolveStatus::Optimal,
            QpStatus::AlmostOptimal => SolveStatus::AlmostOptimal,
            QpStatus::Infeasible => SolveStatus::Infeasible,
            QpStatus::Unbounded | QpStatus::NumericalTrouble => SolveStatus::NumericalTrouble,
        };
        let mut year = YearSolution {
            year: self.year,
            status,
            welfare_musd: -solution.objective,
            solve_ms: solution.solve_seconds * 1e3,
            markets: Vec::new(),
            nodes: Vec::new(),
            flows: Vec::new(),
            stock_releases: Vec::new(),
        };
        if !status.is_usable() {
            return year;
        }
        let value = |var: Var| {
            let v = solution.values[var.0];
            if v.abs() < ZERO_KT { 0.0 } else { v }
        };
        let origins = self.trace_origins(&value);
        self.read_nodes(&value, &origins, &mut year);
        self.read_flows(&value, &mut year);
        for (index, market) in self.markets.iter().enumerate() {
            let q = value(market.consumption).max(0.0);
            let released: f64 = self
                .releases
                .iter()
                .filter(|r| r.market == index)
                .map(|r| value(r.var))
                .sum();
            year.markets.push(MarketResult {
                region: market.region.clone(),
                commodity: market.commodity.clone(),
                consumption_t: q * T_PER_KT,
                reference_t: market.reference_kt * T_PER_KT,
                shortfall_t: (market.reference_kt - q).max(0.0) * T_PER_KT,
                price_usd_per_kg: market.price_at(q),
                reference_price_usd_per_kg: market.anchor.price_usd_per_kg,
                choke_price_usd_per_kg: market.choke_price(),
                // `+ 0.0` turns the −0.0 of an empty float sum into 0.
                stock_release_t: released * T_PER_KT + 0.0,
                origin: origin::shares(origins.markets.get(index).cloned().unwrap_or_default()),
            });
        }
        for release in &self.releases {
            let market = &self.markets[release.market];
            year.stock_releases.push(StockRelease {
                policy: release.policy.clone(),
                region: market.region.clone(),
                commodity: market.commodity.clone(),
                t: value(release.var) * T_PER_KT,
            });
        }
        year
    }

    fn read_nodes(&self, value: &dyn Fn(Var) -> f64, origins: &Origins, year: &mut YearSolution) {
        let scenario = self.scenario;
        let mut results: BTreeMap<usize, NodeResult> = BTreeMap::new();
        for (index, node) in scenario.nodes.iter().enumerate() {
            results.insert(
                index,
                NodeResult {
                    node: node.id.clone(),
                    country: node.country.clone(),
                    stage: node.process.stage(),
                    capacity_t: scenario.capacity_in(node, self.year),
                    output_t: 0.0,
                    outputs: Vec::new(),
                    utilisation: 0.0,
                    origin: Vec::new(),
                },
            );
        }
        for (mine_index, mine) in self.mines.iter().enumerate() {
            let output = value(mine.output);
            if let Some(result) = results.get_mut(&mine.node) {
                result.output_t = output * T_PER_KT;
                result.outputs = mine
                    .composition
                    .iter()
                    .map(|(c, share)| (c.clone(), share * output * T_PER_KT))
                    .collect();
                result.utilisation = ratio(output, mine.capacity_kt);
                result.origin = origin::shares(origins.mines[mine_index].clone());
            }
        }
        for (refinery_index, refinery) in self.refineries.iter().enumerate() {
            if let Some(result) = results.get_mut(&refinery.node) {
                let total: f64 = refinery.circuits.iter().map(|c| value(c.output)).sum();
                let capacity: f64 = refinery.circuits.iter().map(|c| c.capacity_kt).sum();
                result.output_t = total * T_PER_KT;
                result.outputs = refinery
                    .circuits
                    .iter()
                    .map(|c| (c.commodity.clone(), value(c.output) * T_PER_KT))
                    .collect();
                result.utilisation = ratio(total, capacity);
                let mut mix = Mix::new();
                for (circuit_index, circuit) in refinery.circuits.iter().enumerate() {
                    origin::add_scaled(
                        &mut mix,
                        &origins.refineries[refinery_index][circuit_index],
                        value(circuit.output),
                    );
                }
                result.origin = origin::shares(mix);
            }
        }
        for (plant_index, plant) in self.plants.iter().enumerate() {
            if let Some(result) = results.get_mut(&plant.node) {
                let output = value(plant.output);
                result.output_t = output * T_PER_KT;
                result.outputs = vec![(plant.product.clone(), output * T_PER_KT)];
                result.utilisation = ratio(output, plant.capacity_kt);
                result.origin = origin::shares(origins.plants[plant_index].clone());
            }
        }
        year.nodes = results.into_values().collect();
    }

    fn read_flows(&self, value: &dyn Fn(Var) -> f64, year: &mut YearSolution) {
        let scenario = self.scenario;
        for shipment in &self.shipments {
            let t = value(shipment.var);
            if t < FLOW_MIN_KT {
                continue;
            }
            let mine = &scenario.nodes[self.mines[shipment.mine].node];
            let refinery = &scenario.nodes[self.refineries[shipment.refinery].node];
            year.flows.push(Flow {
                stage: Stage::Mine,
                commodity: None,
                from: mine.id.clone(),
                from_country: mine.country.clone(),
                to: refinery.id.clone(),
                target: FlowTarget::Refinery,
                t: t * T_PER_KT,
                cost_usd_per_kg: shipment.cost,
            });
        }
        for arc in &self.arcs {
            let t = value(arc.var);
            if t < FLOW_MIN_KT {
                continue;
            }
            year.flows.push(Flow {
                stage: arc.stage,
                commodity: Some(arc.commodity.clone()),
                from: arc.from.clone(),
                from_country: arc.from.clone(),
                to: arc.to.clone(),
                target: arc.target,
                t: t * T_PER_KT,
                cost_usd_per_kg: arc.cost,
            });
        }
    }

    /// Follows the flows from mines to regions, mixing proportionally at every node.
    fn trace_origins(&self, value: &dyn Fn(Var) -> f64) -> Origins {
        let scenario = self.scenario;
        let mines: Vec<Mix> = self
            .mines
            .iter()
            .map(|mine| origin::single(&scenario.nodes[mine.node].country, 1.0))
            .collect();
        // Each circuit's oxide: its feed's content of that oxide, by mining country.
        let mut refineries: Vec<Vec<Mix>> = self
            .refineries
            .iter()
            .map(|r| {
                r.circuits
                    .iter()
                    .map(|_| {
                        if r.secondary {
                            origin::single(
                                &format!("{}:secondary", scenario.nodes[r.node].country),
                                1.0,
                            )
                        } else {
                            Mix::new()
                        }
                    })
                    .collect()
            })
            .collect();
        for shipment in &self.shipments {
            let t = value(shipment.var);
            if t <= 0.0 {
                continue;
            }
            let mine = &self.mines[shipment.mine];
            let refinery = &self.refineries[shipment.refinery];
            for (circuit_index, circuit) in refinery.circuits.iter().enumerate() {
                let share = mine
                    .composition
                    .iter()
                    .find(|(c, _)| *c == circuit.commodity)
                    .map_or(0.0, |(_, s)| *s);
                origin::add_scaled(
                    &mut refineries[shipment.refinery][circuit_index],
                    &mines[shipment.mine],
                    t * share,
                );
            }
        }
        // Country oxide hubs.
        let mut hubs: BTreeMap<(String, String), Mix> = BTreeMap::new();
        for (refinery_index, refinery) in self.refineries.iter().enumerate() {
            let country = &scenario.nodes[refinery.node].country;
            for (circuit_index, circuit) in refinery.circuits.iter().enumerate() {
                let hub = hubs
                    .entry((country.clone(), circuit.commodity.clone()))
                    .or_default();
                let normalised = origin::normalised(&refineries[refinery_index][circuit_index]);
                origin::add_scaled(hub, &normalised, value(circuit.output));
            }
        }
        // Each hub's mix as shares, once (every arc leaving it carries the same mix).
        let hubs: BTreeMap<(String, String), Mix> = hubs
            .into_iter()
            .map(|(key, mix)| (key, origin::normalised(&mix)))
            .collect();
        let no_mix = Mix::new();
        // Magnet makers' inputs by country and oxide, then each plant's product.
        let mut plant_inputs: BTreeMap<(String, String), Mix> = BTreeMap::new();
        let mut markets: Vec<Mix> = vec![Mix::new(); self.markets.len()];
        for arc in self.arcs.iter().filter(|a| a.stage == Stage::Refinery) {
            let t = value(arc.var);
            if t <= 0.0 {
                continue;
            }
            let source = hubs
                .get(&(arc.from.clone(), arc.commodity.clone()))
                .unwrap_or(&no_mix);
            match arc.market {
                Some(index) => origin::add_scaled(&mut markets[index], source, t),
                None => {
                    let entry = plant_inputs
                        .entry((arc.to.clone(), arc.commodity.clone()))
                        .or_default();
                    origin::add_scaled(entry, source, t);
                }
            }
        }
        let plants: Vec<Mix> = self
            .plants
            .iter()
            .map(|plant| {
                let country = &scenario.nodes[plant.node].country;
                let mut mix = Mix::new();
                for (commodity, t_per_t) in &plant.recipe {
                    let inputs = plant_inputs
                        .get(&(country.clone(), commodity.clone()))
                        .cloned()
                        .unwrap_or_default();
                    origin::add_scaled(&mut mix, &origin::normalised(&inputs), *t_per_t);
                }
                origin::normalised(&mix)
            })
            .collect();
        let mut product_hubs: BTreeMap<(String, String), Mix> = BTreeMap::new();
        for (plant_index, plant) in self.plants.iter().enumerate() {
            let country = &scenario.nodes[plant.node].country;
            let hub = product_hubs
                .entry((country.clone(), plant.product.clone()))
                .or_default();
            origin::add_scaled(hub, &plants[plant_index], value(plant.output));
        }
        let product_hubs: BTreeMap<(String, String), Mix> = product_hubs
            .into_iter()
            .map(|(key, mix)| (key, origin::normalised(&mix)))
            .collect();
        for arc in self.arcs.iter().filter(|a| a.stage == Stage::Magnet) {
            let t = value(arc.var);
            if t <= 0.0 {
                continue;
            }
            if let (Some(index), Some(source)) = (
                arc.market,
                product_hubs.get(&(arc.from.clone(), arc.commodity.clone())),
            ) {
                origin::add_scaled(&mut markets[index], source, t);
            }
        }
        for release in &self.releases {
            let t = value(release.var);
            let holder = self
                .scenario
                .policy(&release.policy)
                .and_then(|p| match &p.kind {
                    PolicyKind::Stockpile { holder, .. } => Some(holder.as_str()),
                    _ => None,
                })
                .unwrap_or("");
            origin::add_scaled(
                &mut markets[release.market],
                &origin::single(&format!("stockpile:{holder}"), 1.0),
                t,
            );
        }
        Origins {
            mines,
            refineries,
            plants,
            markets,
        }
    }

    /// Calibration: each calibrated node's target (kt), marginal value at the target
    /// (US$/kg: the prior cost plus the target row's dual), and its capacity (kt).
    pub(crate) fn calibration_points(
        &self,
        solution: &QpSolution,
        settings: &SolverSettings,
    ) -> Vec<CalibrationPoint> {
        let scenario = self.scenario;
        let mut points = Vec::new();
        for mine in &self.mines {
            if let Some(row) = mine.target_row {
                points.push(CalibrationPoint {
                    key: CostKey::Mine(scenario.nodes[mine.node].id.clone()),
                    target_kt: mine.target_kt,
                    capacity_kt: mine.capacity_kt,
                    marginal_value: solution.row_duals[row.0],
                });
            }
        }
        for refinery in &self.refineries {
            for circuit in &refinery.circuits {
                if let Some(row) = circuit.target_row {
                    let price = self
                        .reference_prices
                        .get(&circuit.commodity)
                        .copied()
                        .unwrap_or(0.0);
                    points.push(CalibrationPoint {
                        key: CostKey::Circuit(
                            scenario.nodes[refinery.node].id.clone(),
                            circuit.commodity.clone(),
                        ),
                        target_kt: solution.values[circuit.output.0].max(0.0),
                        capacity_kt: circuit.capacity_kt,
                        marginal_value: settings.prior_separation_cost_share * price
                            + solution.row_duals[row.0].max(0.0),
                    });
                }
            }
        }
        for plant in &self.plants {
            if let Some(row) = plant.target_row {
                points.push(CalibrationPoint {
                    key: CostKey::Plant(scenario.nodes[plant.node].id.clone()),
                    target_kt: plant.target_kt,
                    capacity_kt: plant.capacity_kt,
                    marginal_value: settings.prior_magnet_cost_usd_per_kg
                        + solution.row_duals[row.0],
                });
            }
        }
        points
    }

    /// Calibration: each market's consumption (kt) and price at the solution.
    pub(crate) fn market_points(&self, solution: &QpSolution) -> Vec<(String, String, f64, f64)> {
        self.markets
            .iter()
            .map(|market| {
                let q = solution.values[market.consumption.0].max(0.0);
                (
                    market.region.clone(),
                    market.commodity.clone(),
                    q,
                    market.price_at(q),
                )
            })
            .collect()
    }

    /// Duals of the market balance rows (prices, for cross-checks), by (region, commodity).
    pub fn balance_rows(&self) -> Vec<(String, String, RowId)> {
        self.markets
            .iter()
            .map(|m| (m.region.clone(), m.commodity.clone(), m.balance))
            .collect()
    }
}

/// What a cost curve belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CostKey {
    Mine(String),
    Circuit(String, String),
    Plant(String),
}

/// One node's calibration data point.
pub(crate) struct CalibrationPoint {
    pub key: CostKey,
    pub target_kt: f64,
    pub capacity_kt: f64,
    pub marginal_value: f64,
}

struct Origins {
    mines: Vec<Mix>,
    refineries: Vec<Vec<Mix>>,
    plants: Vec<Mix>,
    markets: Vec<Mix>,
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}

/// Reference price of each commodity: the anchor of its largest-demand region in the data.
pub(crate) fn reference_prices(scenario: &Scenario) -> BTreeMap<String, f64> {
    let mut best: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for demand in &scenario.demand {
        let entry = best.entry(demand.commodity.clone()).or_insert((-1.0, 0.0));
        if demand.reference_t_per_yr > entry.0 {
            *entry = (demand.reference_t_per_yr, demand.reference_price_usd_per_kg);
        }
    }
    let oxides: BTreeSet<&str> = scenario
        .commodities
        .iter()
        .filter(|c| c.kind == CommodityKind::Oxide || c.kind == CommodityKind::Product)
        .map(|c| c.id.as_str())
        .collect();
    best.into_iter()
        .filter(|(c, _)| oxides.contains(c.as_str()))
        .map(|(c, (_, price))| (c, price))
        .collect()
}

/// Great-circle distance in km between two points given in degrees.
pub(crate) fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}
