//! Generated nodes: mines, refineries (concentrate or secondary feed) and magnet plants,
//! with start years, ramps, later phases, unit costs or reported outputs to calibrate on.

use rareflow::model::{
    Circuit, Expansion, MAX_TONNES, Node, NodeStatus, Process, RecipeInput, RefineryFeed,
    ReportedOutput, Share,
};

use super::{Generator, PRODUCT};

/// Ramps a node or circuit may have: none, ordinary, and the largest `u32`.
const RAMP_YEARS: [u32; 5] = [0, 1, 2, 3, u32::MAX];

impl Generator<'_> {
    /// Up to three mines, three refineries and two magnet plants (one of each when the
    /// bytes run out).
    pub(super) fn nodes(&mut self, base_year: i32) -> Vec<Node> {
        let mut nodes = Vec::new();
        for index in 0..self.choices.count(3) {
            let composition = self.shares();
            let process = Process::Mine {
                ore_type: "fuzz".to_owned(),
                composition,
            };
            let capacity = self.choices.tonnes(1000.0);
            nodes.push(self.node(format!("MINE{index}"), capacity, process, base_year));
        }
        for index in 0..self.choices.count(3) {
            let (process, capacity) = self.refinery();
            nodes.push(self.node(format!("SEP{index}"), capacity, process, base_year));
        }
        for index in 0..self.choices.count(2) {
            let recipe = self
                .choices
                .some_of(&self.oxides.clone())
                .into_iter()
                .map(|commodity| RecipeInput {
                    commodity,
                    t_per_t: self.choices.positive_amount(0.25),
                })
                .collect();
            let process = Process::MagnetPlant {
                product: PRODUCT.to_owned(),
                recipe,
            };
            let capacity = self.choices.tonnes(1000.0);
            nodes.push(self.node(format!("MAG{index}"), capacity, process, base_year));
        }
        nodes
    }

    /// A node with what every kind shares: where, when, how it ramps, later phases (not
    /// for refineries, which grow by circuits), and a unit cost or reported output.
    fn node(&mut self, id: String, capacity: f64, process: Process, base_year: i32) -> Node {
        let is_refinery = matches!(process, Process::Refinery { .. });
        let expansions = if is_refinery {
            Vec::new()
        } else {
            (0..self.choices.count(2))
                .map(|_| Expansion {
                    year: self.year_in_horizon(),
                    added_t_per_yr: self.choices.tonnes(500.0),
                    ramp_years: *self.choices.pick(&RAMP_YEARS),
                    source: String::new(),
                })
                .collect()
        };
        // A node without a unit cost is calibrated on its reported output.
        let unit_cost_usd_per_kg = (!self.choices.flag()).then(|| self.choices.amount(10.0));
        let reported_output = (0..self.choices.count(2))
            .map(|_| ReportedOutput {
                year: if self.choices.flag() {
                    self.year_in_horizon()
                } else {
                    base_year
                },
                commodity: self.any_commodity(),
                t: self.choices.tonnes(200.0),
            })
            .collect();
        Node {
            name: format!("Node {id}"),
            id,
            operator: String::new(),
            country: self.choices.pick(&self.countries).clone(),
            status: *self
                .choices
                .pick(&[NodeStatus::Operating, NodeStatus::Planned]),
            capacity_t_per_yr: capacity,
            start_year: self.start_year(),
            ramp_years: *self.choices.pick(&RAMP_YEARS),
            expansions,
            unit_cost_usd_per_kg,
            reported_output,
            process,
            source: "fuzz".to_owned(),
            notes: String::new(),
        }
    }

    /// A refinery's process and its capacity (the total of the circuits that start with it).
    fn refinery(&mut self) -> (Process, f64) {
        let circuits: Vec<Circuit> = self
            .choices
            .some_of(&self.oxides.clone())
            .into_iter()
            .map(|commodity| Circuit {
                commodity,
                // A third of the cap each, so the refinery's total (its capacity) stays
                // within it too.
                capacity_t_per_yr: self.choices.tonnes(500.0).min(MAX_TONNES / 3.0),
                start_year: if self.choices.flag() {
                    self.start_year()
                } else {
                    None
                },
                ramp_years: *self.choices.pick(&RAMP_YEARS),
            })
            .collect();
        let capacity = circuits
            .iter()
            .filter(|circuit| circuit.start_year.is_none())
            .map(|circuit| circuit.capacity_t_per_yr)
            .sum();
        let feed = if self.choices.flag() {
            RefineryFeed::Secondary {
                composition: self.shares(),
            }
        } else {
            RefineryFeed::Concentrate
        };
        let process = Process::Refinery {
            recovery: self.choices.positive_fraction(),
            circuits,
            feed,
        };
        (process, capacity)
    }

    /// A start year: none (running before the horizon), in the horizon, a few years
    /// before it, or the earliest `i32`.
    fn start_year(&mut self) -> Option<i32> {
        match self.choices.int(0, 5) {
            0 | 1 => None,
            2 | 3 => Some(self.year_in_horizon()),
            4 => Some(self.first_year.saturating_sub(self.choices.int(1, 30))),
            _ => Some(i32::MIN),
        }
    }

    /// A composition over some of the oxides, summing to 1; some shares may be 0.
    fn shares(&mut self) -> Vec<Share> {
        let oxides = self.choices.some_of(&self.oxides.clone());
        let mut weights: Vec<f64> = oxides
            .iter()
            .map(|_| f64::from(self.choices.int(0, 10)))
            .collect();
        if weights.iter().all(|&weight| weight == 0.0) {
            weights[0] = 1.0;
        }
        let total: f64 = weights.iter().sum();
        oxides
            .into_iter()
            .zip(weights)
            .map(|(commodity, weight)| Share {
                commodity,
                share: weight / total,
            })
            .collect()
    }
}
