//! Cost curves and demand anchors: what calibration produces and the network consumes.
//!
//! This module is a leaf: it knows the scenario's data but neither the network nor the
//! calibration solve, so that [`calibrate`](mod@super::calibrate) can build a network and the
//! network can price its nodes without either importing the other.

use std::collections::{BTreeMap, BTreeSet};

use super::solution::T_PER_KT;
use crate::model::{CommodityKind, Demand, Node, Process, Scenario};

/// Share of a capacity-bound node's marginal value left as capacity rent.
const CAPACITY_RENT_SHARE: f64 = 0.3;
/// A target within this share of capacity counts as running at capacity.
const AT_CAPACITY: f64 = 0.999;

/// A marginal cost that rises with output: `mc(x) = intercept + slope · x`, x in kt.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CostCurve {
    pub intercept_usd_per_kg: f64,
    pub slope_usd_per_kg_per_kt: f64,
}

impl CostCurve {
    pub fn linear(usd_per_kg: f64) -> Self {
        Self {
            intercept_usd_per_kg: usd_per_kg,
            slope_usd_per_kg_per_kt: 0.0,
        }
    }

    /// Marginal cost at `x_kt`, US$/kg.
    pub fn marginal_cost(&self, x_kt: f64) -> f64 {
        self.intercept_usd_per_kg + self.slope_usd_per_kg_per_kt * x_kt
    }

    /// The curve through marginal value `v` at output `x_kt`, for a node of capacity
    /// `capacity_kt` whose stage runs at `typical_utilisation` (see the calibration docs).
    pub(crate) fn through(
        v: f64,
        x_kt: f64,
        capacity_kt: f64,
        typical_utilisation: f64,
        fixed_share: f64,
    ) -> Self {
        let scale_kt = (typical_utilisation * capacity_kt).max(1e-3);
        if x_kt <= 1e-9 {
            // Produced nothing: marginal cost starts at the value.
            return Self {
                intercept_usd_per_kg: v,
                slope_usd_per_kg_per_kt: (1.0 - fixed_share) * v.abs().max(0.01) / scale_kt,
            };
        }
        let mc = if x_kt >= AT_CAPACITY * capacity_kt && v > 0.0 {
            (1.0 - CAPACITY_RENT_SHARE) * v
        } else {
            v
        };
        if mc > 0.0 {
            Self {
                intercept_usd_per_kg: fixed_share * mc,
                slope_usd_per_kg_per_kt: (1.0 - fixed_share) * mc / x_kt,
            }
        } else {
            // Ran at a loss at the margin (a by-product): keep the curve rising, through
            // the point.
            let slope = (1.0 - fixed_share) * mc.abs().max(0.01) / x_kt;
            Self {
                intercept_usd_per_kg: mc - slope * x_kt,
                slope_usd_per_kg_per_kt: slope,
            }
        }
    }
}

/// Where a region's demand curve passes through in the base year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DemandAnchor {
    pub reference_t: f64,
    pub price_usd_per_kg: f64,
}

/// What a cost curve belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CostKey {
    Mine(String),
    Circuit(String, String),
    Plant(String),
}

/// Typical curves for nodes without base-year output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct StageDefaults {
    /// Marginal cost at typical utilisation over the value of the output at reference
    /// prices (mines: ore value; circuits: oxide price); for plants, the cost in $/kg.
    pub cost_ratio: f64,
    pub utilisation: f64,
}

/// The calibrated costs and demand anchors of a scenario (made by
/// [`calibrate`](super::calibrate::calibrate)).
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub base_year: i32,
    pub(crate) costs: BTreeMap<CostKey, CostCurve>,
    pub(crate) demand: BTreeMap<(String, String), DemandAnchor>,
    pub(crate) mine_defaults: StageDefaults,
    pub(crate) circuit_defaults: StageDefaults,
    pub(crate) plant_defaults: StageDefaults,
    pub(crate) fixed_share: f64,
    /// What calibration had to adjust, in words (for the CLI and the status bar).
    pub notes: Vec<String>,
}

impl Calibration {
    /// A mine's cost curve: calibrated, or its stage's typical one.
    pub fn mine_cost(&self, node: &Node, prices: &BTreeMap<String, f64>) -> CostCurve {
        if let Some(curve) = self.costs.get(&CostKey::Mine(node.id.clone())) {
            return *curve;
        }
        let v = self.mine_defaults.cost_ratio * ore_value(node, prices);
        CostCurve::through(
            v,
            self.mine_defaults.utilisation * nameplate_kt(node),
            nameplate_kt(node),
            1.0,
            self.fixed_share,
        )
    }

    /// A refinery circuit's cost curve.
    pub fn circuit_cost(&self, node: &Node, commodity: &str, price: f64) -> CostCurve {
        if let Some(curve) = self
            .costs
            .get(&CostKey::Circuit(node.id.clone(), commodity.to_owned()))
        {
            return *curve;
        }
        let capacity_kt = match &node.process {
            Process::Refinery { circuits, .. } => {
                circuits
                    .iter()
                    .filter(|c| c.commodity == commodity)
                    .map(|c| c.capacity_t_per_yr)
                    .sum::<f64>()
                    / T_PER_KT
            }
            _ => 0.0,
        };
        let v = self.circuit_defaults.cost_ratio * price;
        CostCurve::through(
            v,
            self.circuit_defaults.utilisation * capacity_kt,
            capacity_kt,
            1.0,
            self.fixed_share,
        )
    }

    /// A magnet plant's cost curve.
    pub fn plant_cost(&self, node: &Node) -> CostCurve {
        if let Some(curve) = self.costs.get(&CostKey::Plant(node.id.clone())) {
            return *curve;
        }
        let capacity_kt = nameplate_kt(node);
        CostCurve::through(
            self.plant_defaults.cost_ratio,
            self.plant_defaults.utilisation * capacity_kt,
            capacity_kt,
            1.0,
            self.fixed_share,
        )
    }

    /// A demand row's anchor: calibrated, or the data's own point.
    pub fn anchor(&self, demand: &Demand) -> DemandAnchor {
        self.demand
            .get(&(demand.region.clone(), demand.commodity.clone()))
            .copied()
            .unwrap_or(DemandAnchor {
                reference_t: demand.reference_t_per_yr,
                price_usd_per_kg: demand.reference_price_usd_per_kg,
            })
    }

    /// Number of nodes and circuits with calibrated curves.
    pub fn calibrated_curves(&self) -> usize {
        self.costs.len()
    }
}

/// The value of a tonne of a mine's ore at `prices`, US$/kg (0 for other nodes).
pub(crate) fn ore_value(node: &Node, prices: &BTreeMap<String, f64>) -> f64 {
    match &node.process {
        Process::Mine { composition, .. } => composition
            .iter()
            .map(|s| s.share * prices.get(&s.commodity).copied().unwrap_or(0.0))
            .sum(),
        _ => 0.0,
    }
}

/// A node's capacity once every phase is built, kt.
fn nameplate_kt(node: &Node) -> f64 {
    (node.capacity_t_per_yr
        + node
            .expansions
            .iter()
            .map(|e| e.added_t_per_yr)
            .sum::<f64>())
        / T_PER_KT
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
