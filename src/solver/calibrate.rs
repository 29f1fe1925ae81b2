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

use super::curves::{
    Calibration, CostCurve, CostKey, DemandAnchor, StageDefaults, ore_value, reference_prices,
};
use super::network::{Basis, CurveShape, Output, OutputTerms, YearProblem};
use super::qp::{QpSolution, QpStatus, Sense};
use super::settings::{CalibrationError, SolveError, SolverSettings};
use super::solution::T_PER_KT;
use super::state::YearState;
use crate::model::{Demand, Node, Scenario, validate};
use crate::units;

/// The calibration solve's basis: capacities at least what nodes reported, prior costs,
/// every calibrated output held at its reported output, demand at the data's point made
/// very elastic, no policies.
struct CalibrationBasis<'a> {
    settings: &'a SolverSettings,
}

impl Basis for CalibrationBasis<'_> {
    fn levers_apply(&self) -> bool {
        false
    }

    /// Calibration describes the observed base year: a node's capacity is at least what it
    /// reported, so a capacity lever moved below it is a what-if to solve, not a new
    /// observation.
    fn node_capacity_kt(&self, problem: &YearProblem<'_>, node: &Node) -> f64 {
        (node.built_capacity_in(problem.year) / T_PER_KT).max(problem.reported_kt(node, None))
    }

    fn circuit_capacity_kt(&self, problem: &YearProblem<'_>, node: &Node, commodity: &str) -> f64 {
        (node.circuit_capacity_in(commodity, problem.year, 1.0) / T_PER_KT)
            .max(problem.reported_kt(node, Some(commodity)))
    }

    fn output_terms(
        &self,
        problem: &YearProblem<'_>,
        node: &Node,
        output: Output<'_>,
        capacity_kt: f64,
    ) -> OutputTerms {
        if let Some(cost) = node.unit_cost_usd_per_kg {
            // A set cost is kept as it is and not calibrated.
            return OutputTerms {
                curve: CostCurve::linear(cost),
                hold: None,
            };
        }
        let (curve, sense, reported_kt) = match output {
            Output::Mine => (
                CostCurve::default(),
                Sense::Equal,
                problem.reported_kt(node, None),
            ),
            // Mass balance may keep a refinery under its reported output.
            Output::Circuit {
                commodity,
                price_usd_per_kg,
            } => (
                CostCurve::linear(self.settings.prior_separation_cost_share * price_usd_per_kg),
                Sense::AtMost,
                problem.reported_kt(node, Some(commodity)),
            ),
            Output::Plant => (
                CostCurve::linear(self.settings.prior_magnet_cost_usd_per_kg),
                Sense::Equal,
                problem.reported_kt(node, None),
            ),
        };
        OutputTerms {
            curve,
            hold: Some((sense, reported_kt.min(capacity_kt))),
        }
    }

    /// The data's point, at the data's price plus delivery from the largest market, with
    /// the calibration elasticity.
    fn demand_curve(
        &self,
        problem: &YearProblem<'_>,
        demand: &Demand,
    ) -> (DemandAnchor, CurveShape) {
        let delivery =
            problem.delivery_cost_from_reference_region(&demand.commodity, &demand.region);
        (
            DemandAnchor {
                reference_t: demand.reference_t_per_yr,
                price_usd_per_kg: demand.reference_price_usd_per_kg + delivery,
            },
            CurveShape::Linear {
                elasticity: self.settings.calibration_elasticity,
            },
        )
    }
}

/// One calibrated output's data point.
struct CalibrationPoint {
    key: CostKey,
    target_kt: f64,
    capacity_kt: f64,
    /// Marginal value at the target, US$/kg: the prior cost plus the hold row's dual.
    marginal_value: f64,
}

/// Each held output's target, capacity and marginal value at the calibration solution.
fn calibration_points(
    problem: &YearProblem<'_>,
    solution: &QpSolution,
    settings: &SolverSettings,
) -> Vec<CalibrationPoint> {
    let mut points = Vec::new();
    for mine in &problem.mines {
        if let Some(row) = mine.hold_row {
            points.push(CalibrationPoint {
                key: CostKey::Mine(problem.mine_node(mine).id.clone()),
                target_kt: mine.target_kt,
                capacity_kt: mine.capacity_kt,
                marginal_value: solution.row_duals[row.0],
            });
        }
    }
    for refinery in &problem.refineries {
        for circuit in &refinery.circuits {
            if let Some(row) = circuit.hold_row {
                let price = problem
                    .reference_prices
                    .get(&circuit.commodity)
                    .copied()
                    .unwrap_or(0.0);
                points.push(CalibrationPoint {
                    key: CostKey::Circuit(
                        problem.refinery_node(refinery).id.clone(),
                        circuit.commodity.clone(),
                    ),
                    // Held at most at its target: what it reached.
                    target_kt: solution.values[circuit.output.0].max(0.0),
                    capacity_kt: circuit.capacity_kt,
                    marginal_value: settings.prior_separation_cost_share * price
                        + solution.row_duals[row.0].max(0.0),
                });
            }
        }
    }
    for plant in &problem.plants {
        if let Some(row) = plant.hold_row {
            points.push(CalibrationPoint {
                key: CostKey::Plant(problem.plant_node(plant).id.clone()),
                target_kt: plant.target_kt,
                capacity_kt: plant.capacity_kt,
                marginal_value: settings.prior_magnet_cost_usd_per_kg + solution.row_duals[row.0],
            });
        }
    }
    points
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
        return Ok(uncalibrated(base_year, settings));
    }
    let basis = CalibrationBasis { settings };
    let problem = YearProblem::build_for(scenario, &basis, base_year, &YearState::default());
    let solution = problem.qp.solve(&settings.qp);
    if !matches!(solution.status, QpStatus::Optimal | QpStatus::AlmostOptimal) {
        return Err(CalibrationError::ReportedOutputUnreachable {
            base_year,
            status: solution.status,
        }
        .into());
    }
    let points = calibration_points(&problem, &solution, settings);
    let [mine_defaults, circuit_defaults, plant_defaults] =
        stage_defaults(scenario, &points, settings);
    let mut notes = Vec::new();
    let mut costs = BTreeMap::new();
    for point in &points {
        let typical = match point.key {
            CostKey::Mine(_) => mine_defaults.utilisation,
            CostKey::Circuit(..) => circuit_defaults.utilisation,
            CostKey::Plant(_) => plant_defaults.utilisation,
        };
        if point.target_kt > 1e-9 && point.marginal_value <= 0.0 {
            notes.push(format!(
                "{} produced {} t in {base_year} at a marginal value of {:.2} $/kg (a by-product)",
                cost_key_name(scenario, &point.key),
                units::tonnes(point.target_kt * T_PER_KT),
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
                settings.fixed_cost_share,
            ),
        );
    }
    notes.extend(circuits_short_of_reports(scenario, &points));
    let demand = demand_anchors(scenario, &problem, &solution, &mut notes);
    Ok(Calibration {
        base_year,
        costs,
        demand,
        mine_defaults,
        circuit_defaults,
        plant_defaults,
        fixed_share: settings.fixed_cost_share,
        notes,
    })
}

/// Nothing observed to calibrate on: costs and demand stay as the scenario gives them
/// (nodes without a unit cost get the fallback stage curves).
fn uncalibrated(base_year: i32, settings: &SolverSettings) -> Calibration {
    Calibration {
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
    }
}

/// Typical curves of mines, circuits and plants, from the calibrated outputs that produced:
/// weighted medians of cost ratio and utilisation.
fn stage_defaults(
    scenario: &Scenario,
    points: &[CalibrationPoint],
    settings: &SolverSettings,
) -> [StageDefaults; 3] {
    let prices = reference_prices(scenario);
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
                    let ore_value = ore_value(node, &prices);
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
    [
        StageDefaults {
            cost_ratio: weighted_median(mine_ratios, 0.5),
            utilisation: weighted_median(mine_utilisation, 0.7).clamp(0.3, 1.0),
        },
        StageDefaults {
            cost_ratio: weighted_median(circuit_ratios, settings.prior_separation_cost_share),
            utilisation: weighted_median(circuit_utilisation, 0.7).clamp(0.3, 1.0),
        },
        StageDefaults {
            cost_ratio: weighted_median(plant_costs, settings.prior_magnet_cost_usd_per_kg),
            utilisation: weighted_median(plant_utilisation, 0.7).clamp(0.3, 1.0),
        },
    ]
}

/// A calibrated curve's owner as a planner reads it: "Lynas Malaysia (Gebeng, Kuantan)'s
/// NdPr oxide circuit" (`rareflow calibrate` prints the notes).
fn cost_key_name(scenario: &Scenario, key: &CostKey) -> String {
    match key {
        CostKey::Mine(id) | CostKey::Plant(id) => scenario.node_name(id),
        CostKey::Circuit(id, commodity) => format!(
            "{}'s {} circuit",
            scenario.node_name(id),
            scenario.commodity_name(commodity)
        ),
    }
}

/// Notes on circuits that could not reach their reported output (mass balance).
fn circuits_short_of_reports(scenario: &Scenario, points: &[CalibrationPoint]) -> Vec<String> {
    let base_year = scenario.meta.base_year;
    let mut notes = Vec::new();
    for point in points {
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
                let commodity = scenario.commodity_name(commodity);
                notes.push(format!(
                    "{} separates {} t of {commodity} in {base_year}, not the reported {} t: the \
                     ore mined that year holds too little {commodity} for every refinery's \
                     reported output",
                    scenario.node_name(id),
                    units::tonnes(reached),
                    units::tonnes(reported),
                ));
            }
        }
    }
    notes
}

/// Each market's demand curve anchored at the calibration solve's consumption and price.
fn demand_anchors(
    scenario: &Scenario,
    problem: &YearProblem<'_>,
    solution: &QpSolution,
    notes: &mut Vec<String>,
) -> BTreeMap<(String, String), DemandAnchor> {
    let base_year = scenario.meta.base_year;
    let mut demand = BTreeMap::new();
    for market in &problem.markets {
        let (region, commodity) = (&market.region, &market.commodity);
        let q_kt = market
            .consumption_kt(&|var| solution.values[var.0])
            .max(0.0);
        let Some(curve) = &market.demand else {
            continue;
        };
        let price = curve.price_at(q_kt);
        let Some(row) = scenario
            .demand
            .iter()
            .find(|d| d.region == *region && d.commodity == *commodity)
        else {
            continue;
        };
        if q_kt <= 1e-9 {
            notes.push(format!(
                "{} gets no {} in {base_year}; its demand curve stays at the data's point",
                scenario.region_name(region),
                scenario.commodity_name(commodity)
            ));
            continue;
        }
        let data_t = row.reference_t_per_yr;
        let calibrated_t = q_kt * T_PER_KT;
        if (calibrated_t - data_t).abs() > 0.02 * data_t {
            notes.push(format!(
                "{}, {}: {base_year} supply allows {} t against demand estimated at {} t; the \
                 curve is anchored at the former",
                scenario.region_name(region),
                scenario.commodity_name(commodity),
                units::tonnes(calibrated_t),
                units::tonnes(data_t)
            ));
        }
        demand.insert(
            (region.clone(), commodity.clone()),
            DemandAnchor {
                reference_t: calibrated_t,
                price_usd_per_kg: price,
            },
        );
    }
    demand
}
