//! A summary of a scenario's supply side for one year: capacity and reported output by
//! stage, country and commodity, and one country's shares of each stage.
//!
//! Capacity follows start years, ramps, later phases and switched-on capacity policies. A
//! mine's capacity splits into oxides by its composition; a refinery's by its circuits; a
//! magnet plant's is in t of product. Output is what nodes report for the year (the data's
//! 2024 and 2025 columns), not a model result.

use std::collections::BTreeMap;

use crate::model::{Process, Scenario, Stage};

/// Capacity and reported output of one (stage, country, commodity) cell, t/yr.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Amounts {
    pub capacity_t_per_yr: f64,
    pub output_t: f64,
}

/// The summary of one year.
#[derive(Clone, Debug)]
pub struct Summary {
    pub year: i32,
    /// Whether any node reports output for the year (otherwise output columns are empty).
    pub has_output: bool,
    cells: BTreeMap<(Stage, String, String), Amounts>,
}

impl Summary {
    /// Builds the summary of `year`.
    pub fn new(scenario: &Scenario, year: i32) -> Self {
        let mut cells: BTreeMap<(Stage, String, String), Amounts> = BTreeMap::new();
        let mut has_output = false;
        for node in &scenario.nodes {
            let stage = node.process.stage();
            let capacity = scenario.capacity_in(node, year);
            let mut add_capacity = |commodity: &str, t_per_yr: f64| {
                cells
                    .entry((stage, node.country.clone(), commodity.to_owned()))
                    .or_default()
                    .capacity_t_per_yr += t_per_yr;
            };
            match &node.process {
                Process::Mine { composition, .. } => {
                    for share in composition {
                        add_capacity(&share.commodity, capacity * share.share);
                    }
                }
                Process::Refinery { circuits, .. } => {
                    let scale = scenario.capacity_scale_in(node, year);
                    let mut commodities: Vec<&str> =
                        circuits.iter().map(|c| c.commodity.as_str()).collect();
                    commodities.sort_unstable();
                    commodities.dedup();
                    for commodity in commodities {
                        add_capacity(commodity, node.circuit_capacity_in(commodity, year, scale));
                    }
                }
                Process::MagnetPlant { product, .. } => add_capacity(product, capacity),
            }
            for output in node.reported_output.iter().filter(|o| o.year == year) {
                has_output = true;
                cells
                    .entry((stage, node.country.clone(), output.commodity.clone()))
                    .or_default()
                    .output_t += output.t;
            }
        }
        Self {
            year,
            has_output,
            cells,
        }
    }

    /// Sum over the cells of a stage, optionally only one country and one commodity.
    pub fn total(&self, stage: Stage, country: Option<&str>, commodity: Option<&str>) -> Amounts {
        self.cells
            .iter()
            .filter(|((cell_stage, cell_country, cell_commodity), _)| {
                *cell_stage == stage
                    && country.is_none_or(|c| c == cell_country)
                    && commodity.is_none_or(|c| c == cell_commodity)
            })
            .fold(Amounts::default(), |sum, (_, amounts)| Amounts {
                capacity_t_per_yr: sum.capacity_t_per_yr + amounts.capacity_t_per_yr,
                output_t: sum.output_t + amounts.output_t,
            })
    }

    /// A country's share of a stage's reported output (optionally of one commodity), or
    /// `None` when the stage reports no output.
    pub fn output_share(
        &self,
        stage: Stage,
        country: &str,
        commodity: Option<&str>,
    ) -> Option<f64> {
        let world = self.total(stage, None, commodity).output_t;
        (world > 0.0).then(|| self.total(stage, Some(country), commodity).output_t / world)
    }

    /// The countries with capacity or output in a stage, sorted by output then capacity,
    /// largest first.
    pub fn countries(&self, stage: Stage) -> Vec<String> {
        let mut countries: Vec<String> = self
            .cells
            .keys()
            .filter(|(cell_stage, ..)| *cell_stage == stage)
            .map(|(_, country, _)| country.clone())
            .collect();
        countries.dedup();
        countries.sort_by(|a, b| {
            let (a_total, b_total) = (
                self.total(stage, Some(a), None),
                self.total(stage, Some(b), None),
            );
            b_total
                .output_t
                .total_cmp(&a_total.output_t)
                .then(
                    b_total
                        .capacity_t_per_yr
                        .total_cmp(&a_total.capacity_t_per_yr),
                )
                .then(a.cmp(b))
        });
        countries
    }

    /// The commodities that appear in a stage, sorted by id.
    pub fn commodities(&self, stage: Stage) -> Vec<String> {
        let mut commodities: Vec<String> = self
            .cells
            .keys()
            .filter(|(cell_stage, ..)| *cell_stage == stage)
            .map(|(.., commodity)| commodity.clone())
            .collect();
        commodities.sort_unstable();
        commodities.dedup();
        commodities
    }
}
