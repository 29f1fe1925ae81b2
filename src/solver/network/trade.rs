//! Trade: where countries and regions are, what moving goods between them costs, and the
//! arcs that carry concentrate (mine → refinery), oxide (country hub → region's market,
//! where final users and magnet makers buy) and products (country hub → region).
//!
//! Oxide trade goes through one hub per country and oxide, so a country's refineries share
//! their export arcs: this keeps the problem small (a few hundred arcs instead of one per
//! refinery and destination) without changing any price.

use std::collections::BTreeMap;

use super::{MakerDraw, ROUTE_SPREAD_USD_PER_KG_PER_KT, Shipment, TradeArc, YearProblem};
use crate::model::{Node, Stage};
use crate::solver::qp::{Sense, Var};

/// Where goods go: a country (its refineries or magnet plants) or a demand region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place<'s> {
    Country(&'s str),
    Region(&'s str),
}

/// The oxides a flow carries: one commodity, or a mine's concentrate.
#[derive(Clone, Copy)]
pub(super) enum Carried<'s> {
    One(&'s str),
    Concentrate(&'s Node),
}

impl YearProblem<'_> {
    pub(super) fn region_of(&self, country: &str) -> &str {
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

    pub(super) fn is_domestic(&self, exporter: &str, to: Place<'_>) -> bool {
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

    /// The delivery cost from the largest-demand region of a commodity to `region`, US$/kg:
    /// the data's prices are FOB China, and other regions pay the delivery on top.
    pub(crate) fn delivery_cost_from_reference_region(&self, commodity: &str, region: &str) -> f64 {
        let reference_region = self
            .scenario
            .demand
            .iter()
            .filter(|d| d.commodity == commodity)
            .max_by(|a, b| a.reference_t_per_yr.total_cmp(&b.reference_t_per_yr))
            .map(|d| d.region.as_str());
        match reference_region {
            Some(from) if from != region => {
                let (Some(&(lat1, lon1)), Some(&(lat2, lon2))) =
                    (self.regions.get(from), self.regions.get(region))
                else {
                    return self.scenario.trade.border_usd_per_kg;
                };
                let trade = &self.scenario.trade;
                trade.border_usd_per_kg
                    + trade.per_1000km_usd_per_kg * great_circle_km(lat1, lon1, lat2, lon2) / 1000.0
            }
            _ => 0.0,
        }
    }

    /// Concentrate from every mine to every refinery that separates something it holds,
    /// unless a ban stops it, with the mine rows (`Σ shipments = output`) and the
    /// composition rows (`o[r,c] ≤ recovery · Σ_m a[m,c] · x[m,r]`).
    pub(super) fn add_shipments(&mut self, policies: bool) {
        let scenario = self.scenario;
        let mut mine_rows: Vec<Vec<(Var, f64)>> =
            self.mines.iter().map(|m| vec![(m.output, -1.0)]).collect();
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
                let useful = refinery
                    .circuits
                    .iter()
                    .any(|circuit| mine.share_of(&circuit.commodity) > 0.0);
                if !useful {
                    continue;
                }
                let refinery_node = &scenario.nodes[refinery.node];
                let to = Place::Country(&refinery_node.country);
                let carried = Carried::Concentrate(mine_node);
                if policies && self.is_banned(&mine_node.country, to, Stage::Mine, carried) {
                    continue;
                }
                let tariff = if policies {
                    self.tariff(&mine_node.country, to, Stage::Mine, carried)
                } else {
                    0.0
                };
                let cost = self.transport_cost(&mine_node.country, to, None) + tariff;
                let var = self.qp.add_var(
                    || format!("ship[{},{}]", mine_node.id, refinery_node.id),
                    0.0,
                    f64::INFINITY,
                    cost,
                    ROUTE_SPREAD_USD_PER_KG_PER_KT,
                );
                mine_rows[mine_index].push((var, 1.0));
                for (circuit_index, circuit) in refinery.circuits.iter().enumerate() {
                    let share = mine.share_of(&circuit.commodity);
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
                .add_row(|| format!("ship_out[{id}]"), Sense::Equal, terms, 0.0);
        }
        for (refinery, rows) in self.refineries.iter().zip(composition_rows) {
            if refinery.secondary {
                continue;
            }
            let id = &scenario.nodes[refinery.node].id;
            for (circuit, terms) in refinery.circuits.iter().zip(rows) {
                self.qp.add_row(
                    || format!("feed[{id},{}]", circuit.commodity),
                    Sense::AtMost,
                    terms,
                    0.0,
                );
            }
        }
    }

    /// An arc of oxide or product from a country's hub to a region's market, unless a ban
    /// stops it. Its cost is transport plus tariffs.
    fn add_trade_arc(
        &mut self,
        policies: bool,
        stage: Stage,
        from: &str,
        commodity: &str,
        (market, region): (usize, &str),
    ) -> Option<Var> {
        let place = Place::Region(region);
        let carried = Carried::One(commodity);
        if policies && self.is_banned(from, place, stage, carried) {
            return None;
        }
        let tariff = if policies {
            self.tariff(from, place, stage, carried)
        } else {
            0.0
        };
        let cost = self.transport_cost(from, place, Some(commodity)) + tariff;
        let kind = if stage == Stage::Magnet {
            "product"
        } else {
            "oxide_to_region"
        };
        let var = self.qp.add_var(
            || format!("{kind}[{from},{commodity},{region}]"),
            0.0,
            f64::INFINITY,
            cost,
            ROUTE_SPREAD_USD_PER_KG_PER_KT,
        );
        self.arcs.push(TradeArc {
            stage,
            from: from.to_owned(),
            commodity: commodity.to_owned(),
            to: region.to_owned(),
            market,
            var,
            cost,
        });
        Some(var)
    }

    /// Oxide hubs: each country's refineries sell each oxide into every region's market;
    /// each country's magnet plants buy their recipe's oxides in their own region's market.
    pub(super) fn add_oxide_trade(&mut self, policies: bool) {
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
        let markets = self.market_keys();
        let mut market_terms: BTreeMap<usize, Vec<(Var, f64)>> = BTreeMap::new();
        for ((from, commodity), outputs) in &sources {
            let mut hub: Vec<(Var, f64)> = outputs.iter().map(|&v| (v, 1.0)).collect();
            for (index, region, _) in markets.iter().filter(|(_, _, c)| c == commodity) {
                let to = (*index, region.as_str());
                if let Some(var) =
                    self.add_trade_arc(policies, Stage::Refinery, from, commodity, to)
                {
                    hub.push((var, -1.0));
                    market_terms.entry(*index).or_default().push((var, -1.0));
                }
            }
            self.qp.add_row(
                || format!("oxide_hub[{from},{commodity}]"),
                Sense::Equal,
                hub,
                0.0,
            );
        }
        // (country, oxide) → what its magnet plants use, −Σ b·z.
        let mut recipe_rows: BTreeMap<(String, String), Vec<(Var, f64)>> = BTreeMap::new();
        for plant in &self.plants {
            let country = &scenario.nodes[plant.node].country;
            for (commodity, t_per_t) in &plant.recipe {
                recipe_rows
                    .entry((country.clone(), commodity.clone()))
                    .or_default()
                    .push((plant.output, -t_per_t));
            }
        }
        for ((country, commodity), mut terms) in recipe_rows {
            let region = self.region_of(&country).to_owned();
            if let Some(market) = self.market_index(&region, &commodity) {
                let var = self.qp.add_var(
                    || format!("makers_buy[{country},{commodity}]"),
                    0.0,
                    f64::INFINITY,
                    0.0,
                    0.0,
                );
                terms.push((var, 1.0));
                market_terms.entry(market).or_default().push((var, 1.0));
                self.draws.push(MakerDraw {
                    country: country.clone(),
                    commodity: commodity.clone(),
                    market,
                    var,
                });
            }
            self.qp.add_row(
                || format!("recipe[{country},{commodity}]"),
                Sense::Equal,
                terms,
                0.0,
            );
        }
        self.connect_to_markets(market_terms);
    }

    /// Product hubs: each country's plants sell to every region.
    pub(super) fn add_product_trade(&mut self, policies: bool) {
        let scenario = self.scenario;
        let mut hubs: BTreeMap<(String, String), Vec<(Var, f64)>> = BTreeMap::new();
        for plant in &self.plants {
            let country = &scenario.nodes[plant.node].country;
            hubs.entry((country.clone(), plant.product.clone()))
                .or_default()
                .push((plant.output, 1.0));
        }
        let markets = self.market_keys();
        let mut market_inflows: BTreeMap<usize, Vec<(Var, f64)>> = BTreeMap::new();
        for ((from, product), mut hub) in hubs {
            for (index, region, _) in markets.iter().filter(|(_, _, c)| *c == product) {
                let to = (*index, region.as_str());
                if let Some(var) = self.add_trade_arc(policies, Stage::Magnet, &from, &product, to)
                {
                    hub.push((var, -1.0));
                    market_inflows.entry(*index).or_default().push((var, -1.0));
                }
            }
            self.qp.add_row(
                || format!("product_hub[{from},{product}]"),
                Sense::Equal,
                hub,
                0.0,
            );
        }
        self.connect_to_markets(market_inflows);
    }

    /// (index, region, commodity) of every market, owned, so arcs can be added meanwhile.
    fn market_keys(&self) -> Vec<(usize, String, String)> {
        self.markets
            .iter()
            .enumerate()
            .map(|(index, m)| (index, m.region.clone(), m.commodity.clone()))
            .collect()
    }
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
