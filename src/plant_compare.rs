//! Who is hurt: every plant's and every route's results in a scenario against a reference,
//! for one year.
//!
//! The Compare grid answers "how much did prices and shortfalls move in a region"; this
//! answers "which plants lost feed, from where, and which routes carried less". A plant
//! that swapped one supplier for another can keep its output while losing a whole origin,
//! so a plant's change is measured by the largest of its input, output and per-origin feed
//! changes, not by output alone. (`compare` is the assumptions' diff; this is the results'.)

use std::collections::BTreeMap;

use crate::model::{Scenario, Stage};
use crate::solver::{Endpoint, EndpointKind, Flow, NodeResult, OriginShare, YearSolution};

/// Below this a tonnage counts as nothing: a route carrying less is absent, a change
/// smaller is no change (numbers are shown in whole tonnes).
pub const NEGLIGIBLE_T: f64 = 0.5;

/// One origin of a plant's feed, before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct OriginChange {
    /// The origin key (`"VNM"`, `"CHN:secondary"`, `"stockpile:JPN"`).
    pub source: String,
    /// For people: "Vietnam", "China (recycled)".
    pub name: String,
    pub reference_t: f64,
    pub scenario_t: f64,
}

impl OriginChange {
    pub fn change_t(&self) -> f64 {
        self.scenario_t - self.reference_t
    }
}

/// One node's results in the scenario against the reference.
#[derive(Clone, Debug, PartialEq)]
pub struct PlantChange {
    pub node: String,
    pub name: String,
    pub country: String,
    pub country_name: String,
    /// The demand region the node's country counts towards.
    pub region: String,
    pub stage: Stage,
    /// What arrived at the node along routes ending at it (refineries' concentrate); 0
    /// for nodes no route ends at (mines, and magnet plants, which buy in their region's
    /// market).
    pub input_reference_t: f64,
    pub input_scenario_t: f64,
    pub output_reference_t: f64,
    pub output_scenario_t: f64,
    /// Output over capacity.
    pub utilisation_reference: f64,
    pub utilisation_scenario: f64,
    /// Its feed by origin, largest change first: routes ending at the node traced to their
    /// mining countries where there are such routes, else its output by origin (a mine is
    /// its own origin; a magnet plant's is the mix of the oxides its region bought).
    pub origins: Vec<OriginChange>,
}

impl PlantChange {
    pub fn input_change_t(&self) -> f64 {
        self.input_scenario_t - self.input_reference_t
    }

    pub fn output_change_t(&self) -> f64 {
        self.output_scenario_t - self.output_reference_t
    }

    /// The size of the change the table sorts by: the largest of the input, output and
    /// per-origin changes, t.
    pub fn change_size_t(&self) -> f64 {
        self.origins
            .iter()
            .map(|origin| origin.change_t().abs())
            .fold(
                self.input_change_t()
                    .abs()
                    .max(self.output_change_t().abs()),
                f64::max,
            )
    }

    /// The origin whose feed changed most, if any changed by more than [`NEGLIGIBLE_T`].
    pub fn biggest_origin_change(&self) -> Option<&OriginChange> {
        self.origins
            .first()
            .filter(|origin| origin.change_t().abs() >= NEGLIGIBLE_T)
    }

    pub fn origin(&self, source: &str) -> Option<&OriginChange> {
        self.origins.iter().find(|origin| origin.source == source)
    }
}

/// What happened to a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteFate {
    /// Carried goods in the reference, nothing in the scenario.
    Lost,
    /// Carried nothing in the reference, goods in the scenario.
    New,
    /// Carried goods in both, a different amount.
    Changed,
    /// Carried the same (within [`NEGLIGIBLE_T`]) or nothing in both.
    Unchanged,
}

impl RouteFate {
    pub fn label(self) -> &'static str {
        match self {
            RouteFate::Lost => "lost",
            RouteFate::New => "new",
            RouteFate::Changed => "changed",
            RouteFate::Unchanged => "unchanged",
        }
    }
}

/// One route (from → to, stage, commodity) before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteChange {
    /// The stage the goods leave: `Mine` = concentrate, `Refinery` = oxide, `Magnet`.
    pub stage: Stage,
    /// `None` for concentrate.
    pub commodity: Option<String>,
    pub from: Endpoint,
    pub to: Endpoint,
    pub reference_t: f64,
    pub scenario_t: f64,
}

impl RouteChange {
    pub fn change_t(&self) -> f64 {
        self.scenario_t - self.reference_t
    }

    pub fn fate(&self) -> RouteFate {
        fate_of(self.reference_t, self.scenario_t)
    }
}

/// What happened to a route that carried `reference_t` and now carries `scenario_t`.
pub fn fate_of(reference_t: f64, scenario_t: f64) -> RouteFate {
    let before = reference_t >= NEGLIGIBLE_T;
    let after = scenario_t >= NEGLIGIBLE_T;
    match (before, after) {
        (true, false) => RouteFate::Lost,
        (false, true) => RouteFate::New,
        _ if (scenario_t - reference_t).abs() >= NEGLIGIBLE_T => RouteFate::Changed,
        _ => RouteFate::Unchanged,
    }
}

/// A year's plants and routes in a scenario against a reference, largest change first.
#[derive(Clone, Debug, PartialEq)]
pub struct PlantComparison {
    pub year: i32,
    pub plants: Vec<PlantChange>,
    pub routes: Vec<RouteChange>,
}

/// Which way a route crosses a region's border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Into,
    OutOf,
    Within,
}

/// What lies behind a region's change: its plants and the routes that touch it.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionChanges<'a> {
    pub region: String,
    pub plants: Vec<&'a PlantChange>,
    pub routes: Vec<(Direction, &'a RouteChange)>,
}

impl PlantComparison {
    /// Compares `scenario_year` with `reference_year` (the same year of two solves);
    /// `scenario` places the nodes' countries in regions. A node in only one of the two
    /// counts as zero in the other.
    pub fn new(
        reference_year: &YearSolution,
        scenario_year: &YearSolution,
        scenario: &Scenario,
    ) -> Self {
        let mut plants: Vec<PlantChange> = Vec::new();
        for node in &scenario_year.nodes {
            plants.push(plant_change(
                reference_year.node(&node.node),
                Some(node),
                reference_year,
                scenario_year,
                scenario,
            ));
        }
        for node in &reference_year.nodes {
            if scenario_year.node(&node.node).is_none() {
                plants.push(plant_change(
                    Some(node),
                    None,
                    reference_year,
                    scenario_year,
                    scenario,
                ));
            }
        }
        plants.sort_by(|a, b| {
            b.change_size_t()
                .total_cmp(&a.change_size_t())
                .then_with(|| a.name.cmp(&b.name))
        });
        Self {
            year: scenario_year.year,
            plants,
            routes: route_changes(reference_year, scenario_year),
        }
    }

    pub fn plant(&self, node: &str) -> Option<&PlantChange> {
        self.plants.iter().find(|plant| plant.node == node)
    }

    /// The plants whose results changed (by [`NEGLIGIBLE_T`] or more), largest first.
    pub fn changed_plants(&self) -> impl Iterator<Item = &PlantChange> {
        self.plants
            .iter()
            .filter(|plant| plant.change_size_t() >= NEGLIGIBLE_T)
    }

    /// The routes that were lost, are new or changed, largest change first.
    pub fn changed_routes(&self) -> impl Iterator<Item = &RouteChange> {
        self.routes
            .iter()
            .filter(|route| route.fate() != RouteFate::Unchanged)
    }

    /// The plants in `region` and the changed routes into, out of and within it, each
    /// largest change first.
    pub fn region(&self, region: &str) -> RegionChanges<'_> {
        let plants = self
            .plants
            .iter()
            .filter(|plant| plant.region == region)
            .collect();
        let routes = self
            .changed_routes()
            .filter_map(|route| {
                let from_here = route.from.region == region;
                let to_here = route.to.region == region;
                match (from_here, to_here) {
                    (true, true) => Some((Direction::Within, route)),
                    (true, false) => Some((Direction::OutOf, route)),
                    (false, true) => Some((Direction::Into, route)),
                    (false, false) => None,
                }
            })
            .collect();
        RegionChanges {
            region: region.to_owned(),
            plants,
            routes,
        }
    }
}

fn plant_change(
    reference: Option<&NodeResult>,
    now: Option<&NodeResult>,
    reference_year: &YearSolution,
    scenario_year: &YearSolution,
    scenario: &Scenario,
) -> PlantChange {
    let node = now.or(reference).expect("a node in one of the two years");
    let reference_feed = feed_by_origin(reference, reference_year);
    let scenario_feed = feed_by_origin(now, scenario_year);
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for (source, (name, _)) in reference_feed.iter().chain(&scenario_feed) {
        names.insert(source, name);
    }
    let tonnes = |feed: &Feed, source: &str| feed.get(source).map_or(0.0, |(_, t)| *t);
    let mut origins: Vec<OriginChange> = names
        .into_iter()
        .map(|(source, name)| OriginChange {
            source: source.to_owned(),
            name: name.to_owned(),
            reference_t: tonnes(&reference_feed, source),
            scenario_t: tonnes(&scenario_feed, source),
        })
        .collect();
    origins.sort_by(|a, b| {
        b.change_t()
            .abs()
            .total_cmp(&a.change_t().abs())
            .then_with(|| b.scenario_t.total_cmp(&a.scenario_t))
    });
    let output = |result: Option<&NodeResult>| result.map_or(0.0, |n| n.output_t);
    let utilisation = |result: Option<&NodeResult>| result.map_or(0.0, |n| n.utilisation);
    PlantChange {
        node: node.node.clone(),
        name: node.name.clone(),
        country: node.country.clone(),
        country_name: node.country_name.clone(),
        region: scenario
            .region_of_country(&node.country)
            .unwrap_or_default()
            .to_owned(),
        stage: node.stage,
        input_reference_t: input_t(&node.node, reference_year, reference.is_some()),
        input_scenario_t: input_t(&node.node, scenario_year, now.is_some()),
        output_reference_t: output(reference),
        output_scenario_t: output(now),
        utilisation_reference: utilisation(reference),
        utilisation_scenario: utilisation(now),
        origins,
    }
}

/// Tonnes and a name for people by origin key.
type Feed = BTreeMap<String, (String, f64)>;

fn flows_into<'a>(node: &'a str, year: &'a YearSolution) -> impl Iterator<Item = &'a Flow> {
    year.flows
        .iter()
        .filter(move |flow| flow.to.kind == EndpointKind::Node && flow.to.id == node)
}

fn input_t(node: &str, year: &YearSolution, present: bool) -> f64 {
    if !present {
        return 0.0;
    }
    flows_into(node, year).map(|flow| flow.t).sum()
}

fn add_shares(feed: &mut Feed, shares: &[OriginShare], t: f64) {
    for share in shares {
        let entry = feed
            .entry(share.source.clone())
            .or_insert_with(|| (share.name.clone(), 0.0));
        entry.1 += share.share * t;
    }
}

/// A node's feed by origin, t: its incoming routes, each split by its sending node's
/// origin; else (no incoming routes) its output by origin.
fn feed_by_origin(result: Option<&NodeResult>, year: &YearSolution) -> Feed {
    let mut feed = Feed::new();
    let Some(result) = result else {
        return feed;
    };
    let mut has_inflows = false;
    for flow in flows_into(&result.node, year) {
        has_inflows = true;
        match year
            .node(&flow.from.id)
            .filter(|_| flow.from.kind == EndpointKind::Node)
        {
            Some(sender) if !sender.origin.is_empty() => {
                add_shares(&mut feed, &sender.origin, flow.t);
            }
            _ => {
                let key = flow.from.country_code().to_owned();
                let entry = feed
                    .entry(key)
                    .or_insert_with(|| (flow.from.name.clone(), 0.0));
                entry.1 += flow.t;
            }
        }
    }
    if !has_inflows {
        add_shares(&mut feed, &result.origin, result.output_t);
    }
    feed
}

/// What identifies a route: stage, commodity and both ends.
type RouteKey = (Stage, Option<String>, u8, String, u8, String);

fn route_key(flow: &Flow) -> RouteKey {
    (
        flow.stage,
        flow.commodity.clone(),
        flow.from.kind as u8,
        flow.from.id.clone(),
        flow.to.kind as u8,
        flow.to.id.clone(),
    )
}

/// Every route of either year, largest change first.
fn route_changes(reference_year: &YearSolution, scenario_year: &YearSolution) -> Vec<RouteChange> {
    let mut routes: Vec<RouteChange> = Vec::new();
    let mut index: BTreeMap<RouteKey, usize> = BTreeMap::new();
    let mut add = |flow: &Flow, in_scenario: bool| {
        let at = *index.entry(route_key(flow)).or_insert_with(|| {
            routes.push(RouteChange {
                stage: flow.stage,
                commodity: flow.commodity.clone(),
                from: flow.from.clone(),
                to: flow.to.clone(),
                reference_t: 0.0,
                scenario_t: 0.0,
            });
            routes.len() - 1
        });
        if in_scenario {
            routes[at].scenario_t += flow.t;
        } else {
            routes[at].reference_t += flow.t;
        }
    };
    for flow in &reference_year.flows {
        add(flow, false);
    }
    for flow in &scenario_year.flows {
        add(flow, true);
    }
    routes.sort_by(|a, b| b.change_t().abs().total_cmp(&a.change_t().abs()));
    routes
}

#[cfg(test)]
#[path = "plant_compare_tests.rs"]
mod tests;
