//! Calibration: cost curves and demand anchors with which the base year reproduces the
//! data's outputs and prices.
//!
//! The data gives every node's output in the base year and the year's prices, but almost
//! no costs. Calibration derives costs from what was observed, by positive mathematical
//! programming (Howitt 1995):
//!
//! 1. **Calibration solve.** The base year with no policy, every mine and magnet plant
//!    held at its reported output, every refinery circuit at most at its reported output,
//!    prior costs (separation 10 % of the oxide price, magnet making 23 $/kg, mining 0),
//!    and demand curves through the data's quantities at the data's prices plus delivery
//!    from the largest market, made very elastic (ε = 50) so that prices stay at the data
//!    and quantities absorb the data's small imbalances (its supply and demand estimates
//!    differ by up to a few per cent).
//! 2. **Costs.** The dual of each node's output row is the marginal value of its output
//!    beyond the prior cost. Each node gets a rising marginal cost `mc(x) = α + γ·x`
//!    through its output at that value: `α = β·v`, `γ = (1 − β)·v/x*` (β =
//!    [`SolverSettings::fixed_cost_share`]). A node that ran at capacity keeps 30 % of
//!    its value as capacity rent, so more capacity there means more output. A node that
//!    produced nothing gets `α = v`: it starts producing as soon as its value rises.
//! 3. **Demand.** Each region's demand curve is anchored at the calibration solve's
//!    consumption and price, with the data's own elasticity.
//!
//! Calibration depends on what was observed (reported output, demand, prices, transport
//! costs, compositions, recipes), not on capacity levers: while calibrating, a node's
//! capacity is at least its reported output, so cutting a capacity below it is a what-if.
//!
//! A node with a `unit_cost_usd_per_kg` keeps that flat cost and is not calibrated; a
//! scenario in which no other node reports base-year output keeps its demand as given.
//!
//! With these, the base year's equilibrium *is* the calibration solve's: mines and magnet
//! plants at their reported output, refineries as close to theirs as mass balance allows,
//! prices at the data's. New capacity (no base-year output) gets the typical curve of its
//! stage: for a mine, the median ratio of calibrated marginal cost to the value of its ore
//! at reference prices; for a circuit, the median ratio to its oxide's price; for a magnet
//! plant, the median calibrated cost; each reached at the stage's median utilisation.

use std::collections::BTreeMap;

use super::network::{CostKey, Purpose, StockState, YearProblem, reference_prices};
use super::{SolveError, SolverSettings, T_PER_KT};
use crate::model::{Demand, Node, Process, Scenario, validate};

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
    /// `capacity_kt` whose stage runs at `typical_utilisation`.
    fn through(
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

/// Typical curves for nodes without base-year output.
#[derive(Clone, Copy, Debug, PartialEq)]
struct StageDefaults {
    /// Marginal cost at typical utilisation over the value of the output at reference
    /// prices (mines: ore value; circuits: oxide price); for plants, the cost in $/kg.
    cost_ratio: f64,
    utilisation: f64,
}

/// The calibrated costs and demand anchors of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub base_year: i32,
    costs: BTreeMap<CostKey, CostCurve>,
    demand: BTreeMap<(String, String), DemandAnchor>,
    mine_defaults: StageDefaults,
    circuit_defaults: StageDefaults,
    plant_defaults: StageDefaults,
    fixed_share: f64,
    /// What calibration had to adjust, in words (for the CLI and the status bar).
    pub notes: Vec<String>,
}

impl Calibration {
    /// A mine's cost curve: calibrated, or its stage's typical one.
    pub fn mine_cost(&self, node: &Node, prices: &BTreeMap<String, f64>) -> CostCurve {
        if let Some(curve) = self.costs.get(&CostKey::Mine(node.id.clone())) {
            return *curve;
        }
        let ore_value = match &node.process {
            Process::Mine { composition, .. } => composition
                .iter()
                .map(|s| s.share * prices.get(&s.commodity).copied().unwrap_or(0.0))
                .sum(),
            _ => 0.0,
        };
        let v = self.mine_defaults.cost_ratio * ore_value;
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

/// Weighted median of (value, weight) pairs; `fallback` when empty.
fn weighted_median(mut pairs: Vec<(f64, f64)>, fallback: f64) -> f64 {
    pairs.retain(|(value, weight)| value.is_finite() && *weight > 0.0);
    if pairs.is_empty() {
        return fallback;
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = pairs.iter().map(|(_, w)| w).sum::<f64>() / 2.0;
    let mut running = 0.0;
    for (value, weight) in &pairs {
        running += weight;
        if running >= half {
            return *value;
        }
    }
    pairs[pairs.len() - 1].0
}

/// Calibrates the scenario's base year (see the module docs).
pub fn calibrate(
    scenario: &Scenario,
    settings: &SolverSettings,
) -> Result<Calibration, SolveError> {
    let problems = validate(scenario);
    if !problems.is_empty() {
        return Err(SolveError::Invalid(problems));
    }
    let base_year = scenario.meta.base_year;
    let reports_base_year = scenario.nodes.iter().any(|node| {
        node.unit_cost_usd_per_kg.is_none()
            && node
                .reported_output
                .iter()
                .any(|o| o.year == base_year && o.t > 0.0)
    });
    if !reports_base_year {
        // Nothing observed to calibrate on: costs and demand stay as the scenario gives
        // them (nodes without a unit cost get the fallback stage curves).
        return Ok(Calibration {
            base_year,
            costs: BTreeMap::new(),
            demand: BTreeMap::new(),
            mine_defaults: StageDefaults {
                cost_ratio: 0.5,
                utilisation: 0.7,
            },
            circuit_defaults: StageDefaults {
                cost_ratio: settings.prior_separation_cost_share,
                utilisation: 0.7,
            },
            plant_defaults: StageDefaults {
                cost_ratio: settings.prior_magnet_cost_usd_per_kg,
                utilisation: 0.7,
            },
            fixed_share: settings.fixed_cost_share,
            notes: vec![format!(
                "no node reports output in {base_year}: costs and demand are used as given"
            )],
        });
    }
    let problem = YearProblem::build_for(
        scenario,
        Purpose::Calibration,
        base_year,
        &StockState::default(),
        settings,
    );
    let solution = problem.qp.solve(&settings.qp);
    if !matches!(
        solution.status,
        super::qp::QpStatus::Optimal | super::qp::QpStatus::AlmostOptimal
    ) {
        return Err(SolveError::Calibration(format!(
            "the {base_year} outputs the scenario reports cannot all be produced and sold \
             ({:?}); check {base_year} capacities against reported output",
            solution.status
        )));
    }
    let prices = reference_prices(scenario);
    let points = problem.calibration_points(&solution, settings);
    let fixed_share = settings.fixed_cost_share;
    let mut notes = Vec::new();

    // Stage defaults from the calibrated nodes that produced.
    let mut mine_ratios = Vec::new();
    let mut mine_utilisation = Vec::new();
    let mut circuit_ratios = Vec::new();
    let mut circuit_utilisation = Vec::new();
    let mut plant_costs = Vec::new();
    let mut plant_utilisation = Vec::new();
    for point in points
        .iter()
        .filter(|p| p.target_kt > 1e-9 && p.capacity_kt > 0.0)
    {
        let utilisation = point.target_kt / point.capacity_kt;
        match &point.key {
            CostKey::Mine(id) => {
                if let Some(node) = scenario.node(id) {
                    let ore_value: f64 = match &node.process {
                        Process::Mine { composition, .. } => composition
                            .iter()
                            .map(|s| s.share * prices.get(&s.commodity).copied().unwrap_or(0.0))
                            .sum(),
                        _ => 0.0,
                    };
                    if ore_value > 0.0 {
                        mine_ratios.push((point.marginal_value / ore_value, point.target_kt));
                    }
                }
                mine_utilisation.push((utilisation, point.target_kt));
            }
            CostKey::Circuit(_, commodity) => {
                let price = prices.get(commodity).copied().unwrap_or(0.0);
                if price > 0.0 {
                    circuit_ratios.push((point.marginal_value / price, point.target_kt));
                }
                circuit_utilisation.push((utilisation, point.target_kt));
            }
            CostKey::Plant(_) => {
                plant_costs.push((point.marginal_value, point.target_kt));
                plant_utilisation.push((utilisation, point.target_kt));
            }
        }
    }
    let mine_defaults = StageDefaults {
        cost_ratio: weighted_median(mine_ratios, 0.5),
        utilisation: weighted_median(mine_utilisation, 0.7).clamp(0.3, 1.0),
    };
    let circuit_defaults = StageDefaults {
        cost_ratio: weighted_median(circuit_ratios, settings.prior_separation_cost_share),
        utilisation: weighted_median(circuit_utilisation, 0.7).clamp(0.3, 1.0),
    };
    let plant_defaults = StageDefaults {
        cost_ratio: weighted_median(plant_costs, settings.prior_magnet_cost_usd_per_kg),
        utilisation: weighted_median(plant_utilisation, 0.7).clamp(0.3, 1.0),
    };

    let mut costs = BTreeMap::new();
    for point in &points {
        let typical = match point.key {
            CostKey::Mine(_) => mine_defaults.utilisation,
            CostKey::Circuit(..) => circuit_defaults.utilisation,
            CostKey::Plant(_) => plant_defaults.utilisation,
        };
        if point.target_kt > 1e-9 && point.marginal_value <= 0.0 {
            notes.push(format!(
                "{:?} produced {:.0} t in {base_year} at a marginal value of {:.2} $/kg (a by-product)",
                point.key,
                point.target_kt * T_PER_KT,
                point.marginal_value
            ));
        }
        costs.insert(
            point.key.clone(),
            CostCurve::through(
                point.marginal_value,
                point.target_kt,
                point.capacity_kt,
                typical,
                fixed_share,
            ),
        );
    }

    // Circuits that could not reach their reported output (mass balance).
    for point in &points {
        if let CostKey::Circuit(id, commodity) = &point.key
            && let Some(node) = scenario.node(id)
        {
            let reported: f64 = node
                .reported_output
                .iter()
                .filter(|o| o.year == base_year && o.commodity == *commodity)
                .map(|o| o.t)
                .sum();
            let reached = point.target_kt * T_PER_KT;
            if reported - reached > 0.02 * reported + 1.0 {
                notes.push(format!(
                    "{id} separates {reached:.0} t of {commodity} in {base_year}, not the reported \
                     {reported:.0} t: the ore mined that year holds too little {commodity} for \
                     every refinery's reported output"
                ));
            }
        }
    }

    let mut demand = BTreeMap::new();
    for (region, commodity, q_kt, price) in problem.market_points(&solution) {
        let Some(row) = scenario
            .demand
            .iter()
            .find(|d| d.region == region && d.commodity == commodity)
        else {
            continue;
        };
        if q_kt <= 1e-9 {
            notes.push(format!(
                "{region} gets no {commodity} in {base_year}; its demand curve stays at the data's point"
            ));
            continue;
        }
        let data_t = row.reference_t_per_yr;
        let calibrated_t = q_kt * T_PER_KT;
        if (calibrated_t - data_t).abs() > 0.02 * data_t {
            notes.push(format!(
                "{region} {commodity}: {base_year} supply allows {calibrated_t:.0} t against demand \
                 estimated at {data_t:.0} t; the curve is anchored at the former"
            ));
        }
        demand.insert(
            (region, commodity),
            DemandAnchor {
                reference_t: calibrated_t,
                price_usd_per_kg: price,
            },
        );
    }

    Ok(Calibration {
        base_year,
        costs,
        demand,
        mine_defaults,
        circuit_defaults,
        plant_defaults,
        fixed_share,
        notes,
    })
}
