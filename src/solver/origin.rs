//! Origin tracing: where consumption came from, by mining country.
//!
//! After a solve, flows are followed from mines through refineries and magnet plants to
//! regions (an acyclic network), mixing proportionally at every node: a refinery's oxide
//! carries its feed's origins weighted by each feed's content of that oxide; a country's
//! exports carry the mix of its refineries; a magnet carries the mix of its oxides
//! weighted by the recipe. Sources are mining countries (`"CHN"`), secondary supply
//! (`"CHN:secondary"`) and stock releases (`"stockpile:JPN"`).

use std::collections::BTreeMap;

use super::network::YearProblem;
use super::qp::Var;
use crate::model::{PolicyKind, Stage};

/// Tonnes (or weights) by source.
pub type Mix = BTreeMap<String, f64>;

/// The origin key of recycling and unrecorded supply in a country.
pub fn secondary_key(iso3: &str) -> String {
    format!("{iso3}:secondary")
}

/// The origin key of a region's stockpile.
pub fn stockpile_key(holder: &str) -> String {
    format!("stockpile:{holder}")
}

/// The mixes of every node and market of a solved year, in the problem's entry order.
pub(crate) struct Origins {
    pub mines: Vec<Mix>,
    /// Per refinery, per circuit: the circuit's oxide by origin.
    pub refineries: Vec<Vec<Mix>>,
    pub plants: Vec<Mix>,
    pub markets: Vec<Mix>,
}

/// A mix with one source.
pub fn single(source: &str, weight: f64) -> Mix {
    Mix::from([(source.to_owned(), weight)])
}

/// `target += weight × source`.
pub fn add_scaled(target: &mut Mix, source: &Mix, weight: f64) {
    if weight <= 0.0 {
        return;
    }
    for (key, value) in source {
        *target.entry(key.clone()).or_default() += weight * value;
    }
}

/// The mix scaled to sum to 1 (empty stays empty).
pub fn normalised(mix: &Mix) -> Mix {
    let total: f64 = mix.values().sum();
    if total <= 0.0 {
        return Mix::new();
    }
    mix.iter().map(|(k, v)| (k.clone(), v / total)).collect()
}

/// Shares by source key, largest first, leaving out shares below 0.01 %.
pub fn shares(mix: &Mix) -> Vec<(String, f64)> {
    let mut list: Vec<(String, f64)> = normalised(mix)
        .into_iter()
        .filter(|(_, share)| *share >= 1e-4)
        .collect();
    list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    list
}

/// Mixes keyed by (country, commodity): a country's hub of an oxide or a product.
type Hubs = BTreeMap<(String, String), Mix>;

/// Follows a solved year's flows from mines to regions, mixing proportionally at every
/// node.
pub(crate) fn trace(problem: &YearProblem<'_>, value: &dyn Fn(Var) -> f64) -> Origins {
    let scenario = problem.scenario;
    let mines: Vec<Mix> = problem
        .mines
        .iter()
        .map(|mine| single(&scenario.nodes[mine.node].country, 1.0))
        .collect();
    let refineries = circuit_mixes(problem, value, &mines);
    let oxide_hubs = oxide_hubs(problem, value, &refineries);
    let mut markets: Vec<Mix> = vec![Mix::new(); problem.markets.len()];
    deliver_oxides(problem, value, &oxide_hubs, &mut markets);
    deliver_releases(problem, value, &mut markets);
    let plants = plant_mixes(problem, &markets);
    deliver_products(problem, value, &plants, &mut markets);
    Origins {
        mines,
        refineries,
        plants,
        markets,
    }
}

/// Each circuit's oxide: its feed's content of that oxide, by mining country (secondary
/// refineries: their own country's recycling).
fn circuit_mixes(
    problem: &YearProblem<'_>,
    value: &dyn Fn(Var) -> f64,
    mines: &[Mix],
) -> Vec<Vec<Mix>> {
    let scenario = problem.scenario;
    let mut refineries: Vec<Vec<Mix>> = problem
        .refineries
        .iter()
        .map(|r| {
            r.circuits
                .iter()
                .map(|_| {
                    if r.secondary {
                        single(&secondary_key(&scenario.nodes[r.node].country), 1.0)
                    } else {
                        Mix::new()
                    }
                })
                .collect()
        })
        .collect();
    for shipment in &problem.shipments {
        let t = value(shipment.var);
        if t <= 0.0 {
            continue;
        }
        let mine = &problem.mines[shipment.mine];
        let refinery = &problem.refineries[shipment.refinery];
        for (circuit_index, circuit) in refinery.circuits.iter().enumerate() {
            let share = mine.share_of(&circuit.commodity);
            add_scaled(
                &mut refineries[shipment.refinery][circuit_index],
                &mines[shipment.mine],
                t * share,
            );
        }
    }
    refineries
}

/// Each country's oxide hub as shares (every arc leaving it carries the same mix).
fn oxide_hubs(
    problem: &YearProblem<'_>,
    value: &dyn Fn(Var) -> f64,
    refineries: &[Vec<Mix>],
) -> Hubs {
    let mut hubs = Hubs::new();
    for (refinery, circuit_mixes) in problem.refineries.iter().zip(refineries) {
        let country = &problem.scenario.nodes[refinery.node].country;
        for (circuit, circuit_mix) in refinery.circuits.iter().zip(circuit_mixes) {
            let hub = hubs
                .entry((country.clone(), circuit.commodity.clone()))
                .or_default();
            add_scaled(hub, &normalised(circuit_mix), value(circuit.output));
        }
    }
    normalise_all(hubs)
}

fn normalise_all(hubs: Hubs) -> Hubs {
    hubs.into_iter()
        .map(|(key, mix)| (key, normalised(&mix)))
        .collect()
}

/// Oxide arcs into markets, each carrying its exporter's hub mix.
fn deliver_oxides(
    problem: &YearProblem<'_>,
    value: &dyn Fn(Var) -> f64,
    hubs: &Hubs,
    markets: &mut [Mix],
) {
    for arc in problem.arcs.iter().filter(|a| a.stage == Stage::Refinery) {
        let t = value(arc.var);
        if t <= 0.0 {
            continue;
        }
        if let Some(source) = hubs.get(&(arc.from.clone(), arc.commodity.clone())) {
            add_scaled(&mut markets[arc.market], source, t);
        }
    }
}

/// Each plant's product: the mix of the oxides its country's makers bought in their
/// region's markets, weighted by its recipe.
fn plant_mixes(problem: &YearProblem<'_>, markets: &[Mix]) -> Vec<Mix> {
    problem
        .plants
        .iter()
        .map(|plant| {
            let country = &problem.scenario.nodes[plant.node].country;
            let mut mix = Mix::new();
            for (commodity, t_per_t) in &plant.recipe {
                let bought = problem
                    .draws
                    .iter()
                    .find(|d| d.country == *country && d.commodity == *commodity);
                if let Some(draw) = bought {
                    add_scaled(&mut mix, &normalised(&markets[draw.market]), *t_per_t);
                }
            }
            normalised(&mix)
        })
        .collect()
}

/// Product arcs into markets, each carrying its country's product hub mix.
fn deliver_products(
    problem: &YearProblem<'_>,
    value: &dyn Fn(Var) -> f64,
    plants: &[Mix],
    markets: &mut [Mix],
) {
    let mut product_hubs = Hubs::new();
    for (plant, mix) in problem.plants.iter().zip(plants) {
        let country = &problem.scenario.nodes[plant.node].country;
        let hub = product_hubs
            .entry((country.clone(), plant.product.clone()))
            .or_default();
        add_scaled(hub, mix, value(plant.output));
    }
    let product_hubs = normalise_all(product_hubs);
    for arc in problem.arcs.iter().filter(|a| a.stage == Stage::Magnet) {
        let t = value(arc.var);
        if t <= 0.0 {
            continue;
        }
        if let Some(source) = product_hubs.get(&(arc.from.clone(), arc.commodity.clone())) {
            add_scaled(&mut markets[arc.market], source, t);
        }
    }
}

/// Stock releases into markets, as their holder's stockpile.
fn deliver_releases(problem: &YearProblem<'_>, value: &dyn Fn(Var) -> f64, markets: &mut [Mix]) {
    for release in &problem.releases {
        let holder = problem
            .scenario
            .policy(&release.policy)
            .and_then(|p| match &p.kind {
                PolicyKind::Stockpile { holder, .. } => Some(holder.as_str()),
                _ => None,
            })
            .unwrap_or("");
        add_scaled(
            &mut markets[release.market],
            &single(&stockpile_key(holder), 1.0),
            value(release.var),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixing_is_proportional() {
        let mut hub = Mix::new();
        add_scaled(&mut hub, &single("CHN", 1.0), 3.0);
        add_scaled(
            &mut hub,
            &normalised(&Mix::from([
                ("AUS".to_owned(), 2.0),
                ("USA".to_owned(), 2.0),
            ])),
            1.0,
        );
        let list = shares(&hub);
        assert_eq!(list[0], ("CHN".to_owned(), 0.75));
        assert_eq!(list[1].1, 0.125);
        assert_eq!(list.len(), 3);
    }
}
