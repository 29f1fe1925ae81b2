//! Reading a solved year back into a [`YearSolution`]: markets, nodes, flows with typed,
//! named endpoints, stock releases and origins.

use std::collections::BTreeMap;

use super::network::{ContractRoute, YearProblem, ZERO_KT};
use super::origin::{self, Mix, Origins};
use super::qp::{QpSolution, QpStatus, Var};
use super::solution::{
    ContractResult, ContractStatus, Endpoint, EndpointKind, ExpansionResult, Flow, FlowTarget,
    MarketResult, NodeResult, OriginKind, OriginShare, SolveStatus, StockRelease, T_PER_KT,
    YearSolution,
};
use crate::model::{Node, Scenario, Stage};

/// Flows below this (kt) are left out of the solution: 10 kg, interior-point dust.
const FLOW_MIN_KT: f64 = 1e-5;

/// The year's results from the QP's solution.
pub(crate) fn year_solution(problem: &YearProblem<'_>, solution: &QpSolution) -> YearSolution {
    let mut year = year_outcome(problem, solution);
    complete_year(problem, solution, &mut year);
    year
}

/// The part of a year's results the next year starts from (markets and their prices,
/// capacity built, stock released, contracts), read without origins, nodes or flows: a
/// horizon solve moves on to the next year with it while [`complete_year`] reads the rest
/// on another core.
pub(crate) fn year_outcome(problem: &YearProblem<'_>, solution: &QpSolution) -> YearSolution {
    let status = match solution.status {
        QpStatus::Optimal => SolveStatus::Optimal,
        QpStatus::AlmostOptimal => SolveStatus::AlmostOptimal,
        QpStatus::Infeasible => SolveStatus::Infeasible,
        QpStatus::Unbounded | QpStatus::NumericalTrouble => SolveStatus::NumericalTrouble,
    };
    let mut year = YearSolution {
        welfare_musd: -solution.objective,
        solve_ms: solution.solve_seconds * 1e3,
        solved_by: solution.solved_by,
        ..YearSolution::empty(problem.year, status)
    };
    if !status.is_usable() {
        return year;
    }
    let value = |var: Var| value_of(solution, var);
    let names = Names::new(problem.scenario);
    year.markets = read_markets(problem, &value, &solution.row_duals, &names);
    year.expansions = read_expansions(problem, &value);
    year.contracts = read_contracts(problem, &value);
    for release in &problem.releases {
        let market = &problem.markets[release.market];
        year.stock_releases.push(StockRelease {
            policy: release.policy.clone(),
            region: market.region.clone(),
            commodity: market.commodity.clone(),
            t: value(release.var) * T_PER_KT,
        });
    }
    year
}

/// Adds to a [`year_outcome`] what the views read besides: nodes (with the capacity
/// expansion added to their hosts), flows and origins; then checks that every number is
/// finite.
pub(crate) fn complete_year(
    problem: &YearProblem<'_>,
    solution: &QpSolution,
    year: &mut YearSolution,
) {
    if !year.status.is_usable() {
        return;
    }
    let value = |var: Var| value_of(solution, var);
    let names = Names::new(problem.scenario);
    let origins = origin::trace(problem, &value);
    year.nodes = read_nodes(problem, &value, &origins, &names);
    for expansion in &year.expansions {
        if let Some(node) = year.nodes.iter_mut().find(|n| n.node == expansion.host) {
            node.capacity_t += expansion.capacity_t_per_yr;
            node.utilisation = ratio(node.output_t, node.capacity_t);
        }
    }
    year.flows = read_flows(problem, &value, &names);
    // Markets were read in the order of the problem's markets that have demand.
    let with_demand = problem
        .markets
        .iter()
        .enumerate()
        .filter(|(_, market)| market.demand.is_some());
    for ((index, _), market) in with_demand.zip(&mut year.markets) {
        market.origin = names.origin(origins.markets.get(index).unwrap_or(&Mix::new()));
    }
    // A year the solver calls solved whose numbers are not all finite (a reference demand
    // so large that it overflows once demand has adapted over the years, found by fuzzing)
    // is no answer: it is reported as numerical trouble, never as optimal.
    if !year_is_finite(year) {
        year.status = SolveStatus::NumericalTrouble;
    }
}

/// The finiteness check of [`complete_year`], for a year read without nodes, flows or
/// origins ([`Detail::Markets`](super::settings::Detail::Markets)): a year whose markets,
/// welfare or any of the solver's values are not finite is numerical trouble, never
/// optimal. Node figures derived from the scenario's data (capacity after policies) are
/// not read, so they are not checked.
pub(crate) fn check_markets(solution: &QpSolution, year: &mut YearSolution) {
    if year.status.is_usable()
        && !(year_is_finite(year) && solution.values.iter().all(|v| v.is_finite()))
    {
        year.status = SolveStatus::NumericalTrouble;
    }
}

/// A variable's value, with interior-point dust below [`ZERO_KT`] read as zero.
fn value_of(solution: &QpSolution, var: Var) -> f64 {
    let v = solution.values[var.0];
    if v.abs() < ZERO_KT { 0.0 } else { v }
}

/// Whether every number a view or a report reads from the year is finite.
fn year_is_finite(year: &YearSolution) -> bool {
    let markets = year.markets.iter().flat_map(|m| {
        [
            m.consumption_t,
            m.reference_t,
            m.shortfall_t,
            m.price_usd_per_kg,
            m.reference_price_usd_per_kg,
            m.choke_price_usd_per_kg,
            m.stock_release_t,
        ]
    });
    let nodes = year.nodes.iter().flat_map(|n| [n.capacity_t, n.output_t]);
    let flows = year.flows.iter().map(|flow| flow.t);
    year.welfare_musd.is_finite() && markets.chain(nodes).chain(flows).all(f64::is_finite)
}

/// Names for people, looked up once per year read.
struct Names<'s> {
    countries: BTreeMap<&'s str, (&'s str, &'s str)>,
    regions: BTreeMap<&'s str, &'s str>,
    commodities: BTreeMap<&'s str, &'s str>,
}

impl<'s> Names<'s> {
    fn new(scenario: &'s Scenario) -> Self {
        Self {
            countries: scenario
                .countries
                .iter()
                .map(|c| (c.iso3.as_str(), (c.name.as_str(), c.region.as_str())))
                .collect(),
            regions: scenario
                .regions
                .iter()
                .map(|r| (r.id.as_str(), r.name.as_str()))
                .collect(),
            commodities: scenario
                .commodities
                .iter()
                .map(|c| (c.id.as_str(), c.name.as_str()))
                .collect(),
        }
    }

    fn country(&self, iso3: &str) -> String {
        self.countries
            .get(iso3)
            .map_or_else(|| iso3.to_owned(), |(name, _)| (*name).to_owned())
    }

    fn region_of(&self, iso3: &str) -> String {
        self.countries
            .get(iso3)
            .map_or_else(String::new, |(_, region)| (*region).to_owned())
    }

    fn region(&self, id: &str) -> String {
        self.regions
            .get(id)
            .map_or_else(|| id.to_owned(), |name| (*name).to_owned())
    }

    fn commodity(&self, id: &str) -> String {
        self.commodities
            .get(id)
            .map_or_else(|| id.to_owned(), |name| (*name).to_owned())
    }

    fn node_endpoint(&self, node: &Node) -> Endpoint {
        Endpoint {
            kind: EndpointKind::Node,
            id: node.id.clone(),
            name: node.name.clone(),
            country: Some(node.country.clone()),
            region: self.region_of(&node.country),
        }
    }

    fn country_endpoint(&self, iso3: &str) -> Endpoint {
        Endpoint {
            kind: EndpointKind::Country,
            id: iso3.to_owned(),
            name: self.country(iso3),
            country: Some(iso3.to_owned()),
            region: self.region_of(iso3),
        }
    }

    fn region_endpoint(&self, id: &str) -> Endpoint {
        Endpoint {
            kind: EndpointKind::Region,
            id: id.to_owned(),
            name: self.region(id),
            country: None,
            region: id.to_owned(),
        }
    }

    /// An origin key as a typed, named share.
    fn origin_share(&self, source: String, share: f64) -> OriginShare {
        let (kind, place, name) = if let Some(iso3) = source.strip_suffix(":secondary") {
            let name = format!("{} (recycled)", self.country(iso3));
            (OriginKind::Recycled, iso3.to_owned(), name)
        } else if let Some(holder) = source.strip_prefix("stockpile:") {
            let name = format!("{} stockpile", self.region(holder));
            (OriginKind::Stockpile, holder.to_owned(), name)
        } else {
            (OriginKind::Mined, source.clone(), self.country(&source))
        };
        OriginShare {
            source,
            kind,
            place,
            name,
            share,
        }
    }

    fn origin(&self, mix: &Mix) -> Vec<OriginShare> {
        origin::shares(mix)
            .into_iter()
            .map(|(source, share)| self.origin_share(source, share))
            .collect()
    }
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}

fn read_markets(
    problem: &YearProblem<'_>,
    value: &dyn Fn(Var) -> f64,
    row_duals: &[f64],
    names: &Names<'_>,
) -> Vec<MarketResult> {
    let mut results = Vec::new();
    for (index, market) in problem.markets.iter().enumerate() {
        // Markets where only magnet makers buy have no demand curve to report against.
        let Some(demand) = &market.demand else {
            continue;
        };
        let q = market.consumption_kt(value).max(0.0);
        let released: f64 = problem
            .releases
            .iter()
            .filter(|r| r.market == index)
            .map(|r| value(r.var))
            .sum();
        let to_makers: f64 = problem
            .draws
            .iter()
            .filter(|d| d.market == index)
            .map(|d| value(d.var))
            .sum();
        let reference_kt = demand.reference_kt;
        // The price is the balance row's dual. On a linear curve with buyers it is also the
        // curve at their consumption, which is exact where the dual carries the solver's
        // tolerance; a steep curve in pieces is the other way round (a tiny error in q is a
        // large one in P(q)), and where the final buyers are priced out, magnet makers may
        // bid more than they would pay.
        let price = if q <= 0.0 && to_makers <= 0.0 {
            // Nothing arrives: any price at or above the choke clears the market; say the
            // choke.
            demand.choke_price()
        } else if demand.is_linear() && q > 0.0 {
            demand.price_at(q)
        } else if to_makers > 0.0 {
            row_duals[market.balance.0].max(0.0)
        } else {
            // Final buyers alone never pay above their choke: clip the dual's last digits.
            row_duals[market.balance.0].clamp(0.0, demand.choke_price())
        };
        results.push(MarketResult {
            region: market.region.clone(),
            region_name: names.region(&market.region),
            commodity: market.commodity.clone(),
            commodity_name: names.commodity(&market.commodity),
            consumption_t: q * T_PER_KT,
            reference_t: reference_kt * T_PER_KT,
            shortfall_t: (reference_kt - q).max(0.0) * T_PER_KT,
            price_usd_per_kg: price,
            reference_price_usd_per_kg: demand.price_usd_per_kg,
            choke_price_usd_per_kg: demand.choke_price(),
            // `+ 0.0` turns the −0.0 of an empty float sum into 0.
            stock_release_t: released * T_PER_KT + 0.0,
            to_magnet_makers_t: to_makers * T_PER_KT + 0.0,
            // Filled in by `complete_year`, with the other origins.
            origin: Vec::new(),
        });
    }
    results
}

fn read_nodes(
    problem: &YearProblem<'_>,
    value: &dyn Fn(Var) -> f64,
    origins: &Origins,
    names: &Names<'_>,
) -> Vec<NodeResult> {
    let scenario = problem.scenario;
    let mut results: Vec<NodeResult> = scenario
        .nodes
        .iter()
        .map(|node| NodeResult {
            node: node.id.clone(),
            name: node.name.clone(),
            country: node.country.clone(),
            country_name: names.country(&node.country),
            stage: node.process.stage(),
            capacity_t: scenario.capacity_in(node, problem.year),
            output_t: 0.0,
            outputs: Vec::new(),
            utilisation: 0.0,
            origin: Vec::new(),
        })
        .collect();
    for (mine, mix) in problem.mines.iter().zip(&origins.mines) {
        let output = value(mine.output);
        let result = &mut results[mine.node];
        result.output_t = output * T_PER_KT;
        result.outputs = mine
            .composition
            .iter()
            .map(|(c, share)| (c.clone(), share * output * T_PER_KT))
            .collect();
        result.utilisation = ratio(output, mine.capacity_kt);
        result.origin = names.origin(mix);
    }
    for (refinery, circuit_mixes) in problem.refineries.iter().zip(&origins.refineries) {
        let result = &mut results[refinery.node];
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
        for (circuit, circuit_mix) in refinery.circuits.iter().zip(circuit_mixes) {
            origin::add_scaled(&mut mix, circuit_mix, value(circuit.output));
        }
        result.origin = names.origin(&mix);
    }
    for (plant, mix) in problem.plants.iter().zip(&origins.plants) {
        let result = &mut results[plant.node];
        let output = value(plant.output);
        result.output_t = output * T_PER_KT;
        result.outputs = vec![(plant.product.clone(), output * T_PER_KT)];
        result.utilisation = ratio(output, plant.capacity_kt);
        result.origin = names.origin(mix);
    }
    results
}

/// Each expansion option's capacity and output (`complete_year` adds the capacity to its
/// host node's).
fn read_expansions(problem: &YearProblem<'_>, value: &dyn Fn(Var) -> f64) -> Vec<ExpansionResult> {
    let scenario = problem.scenario;
    let mut results = Vec::new();
    for entry in &problem.expansions {
        let option = &scenario.expansion[entry.option];
        let added_t = entry.build.map_or(0.0, value) * T_PER_KT;
        let built_before_t = entry.built_before_kt * T_PER_KT;
        let capacity_t = built_before_t + added_t;
        results.push(ExpansionResult {
            option: option.id.clone(),
            label: option.label.clone(),
            stage: option.stage,
            country: option.country.clone(),
            host: option.host.clone(),
            commodity: option.commodity.clone(),
            built_before_t_per_yr: built_before_t,
            // `+ 0.0` turns −0.0 into 0.
            added_t_per_yr: added_t + 0.0,
            capacity_t_per_yr: capacity_t,
            output_t: value(entry.output) * T_PER_KT,
        });
    }
    results
}

/// Each contract in force: what it asked for and what its route carried.
fn read_contracts(problem: &YearProblem<'_>, value: &dyn Fn(Var) -> f64) -> Vec<ContractResult> {
    problem
        .contracts
        .iter()
        .map(|entry| {
            let contract = &problem.scenario.contracts[entry.contract];
            let delivered_kt = match entry.route {
                Some(ContractRoute::Shipment(i)) => value(problem.shipments[i].var),
                Some(ContractRoute::Arc(i)) => value(problem.arcs[i].var),
                None => 0.0,
            };
            let short_kt = value(entry.short);
            let required_kt = if entry.required_kt > 0.0 {
                entry.required_kt
            } else {
                // A share of output: what was delivered plus what fell short.
                delivered_kt + short_kt
            };
            let status = match entry.route {
                None => ContractStatus::Lapsed,
                Some(_) if short_kt * T_PER_KT > 0.5 => ContractStatus::Short,
                Some(_) => ContractStatus::Held,
            };
            ContractResult {
                contract: contract.id.clone(),
                label: contract.label.clone(),
                status,
                required_t: required_kt * T_PER_KT,
                delivered_t: delivered_kt * T_PER_KT,
            }
        })
        .collect()
}

fn read_flows(
    problem: &YearProblem<'_>,
    value: &dyn Fn(Var) -> f64,
    names: &Names<'_>,
) -> Vec<Flow> {
    let mut flows = Vec::new();
    for shipment in &problem.shipments {
        let t = value(shipment.var);
        if t < FLOW_MIN_KT {
            continue;
        }
        let mine = &problem.mines[shipment.mine];
        let mine_node = problem.mine_node(mine);
        let refinery_node = problem.refinery_node(&problem.refineries[shipment.refinery]);
        flows.push(Flow {
            stage: Stage::Mine,
            commodity: None,
            from: names.node_endpoint(mine_node),
            to: names.node_endpoint(refinery_node),
            target: FlowTarget::Refinery,
            t: t * T_PER_KT,
            content_t: mine
                .composition
                .iter()
                .map(|(c, share)| (c.clone(), share * t * T_PER_KT))
                .collect(),
            cost_usd_per_kg: shipment.cost,
        });
    }
    for arc in &problem.arcs {
        let t = value(arc.var);
        if t < FLOW_MIN_KT {
            continue;
        }
        flows.push(Flow {
            stage: arc.stage,
            commodity: Some(arc.commodity.clone()),
            from: names.country_endpoint(&arc.from),
            to: names.region_endpoint(&arc.to),
            target: FlowTarget::Region,
            t: t * T_PER_KT,
            content_t: vec![(arc.commodity.clone(), t * T_PER_KT)],
            cost_usd_per_kg: arc.cost,
        });
    }
    // Magnet makers buying oxide in their region's market.
    for draw in &problem.draws {
        let t = value(draw.var);
        if t < FLOW_MIN_KT {
            continue;
        }
        flows.push(Flow {
            stage: Stage::Refinery,
            commodity: Some(draw.commodity.clone()),
            from: names.region_endpoint(&problem.markets[draw.market].region),
            to: names.country_endpoint(&draw.country),
            target: FlowTarget::MagnetMakers,
            t: t * T_PER_KT,
            content_t: vec![(draw.commodity.clone(), t * T_PER_KT)],
            cost_usd_per_kg: 0.0,
        });
    }
    flows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_keys_become_named_typed_shares() {
        let scenario = crate::baseline().expect("loads");
        let names = Names::new(&scenario);
        let recycled = names.origin_share("CHN:secondary".to_owned(), 0.5);
        assert_eq!(recycled.kind, OriginKind::Recycled);
        assert_eq!(recycled.place, "CHN");
        assert_eq!(recycled.name, "China (recycled)");
        let stock = names.origin_share("stockpile:JPN".to_owned(), 0.1);
        assert_eq!(stock.kind, OriginKind::Stockpile);
        assert_eq!(stock.name, "Japan stockpile");
        let mined = names.origin_share("AUS".to_owned(), 0.4);
        assert_eq!(
            (mined.kind, mined.name.as_str()),
            (OriginKind::Mined, "Australia")
        );
    }
}
