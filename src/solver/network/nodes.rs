//! Mines, refinery circuits and magnet plants: one output variable each, bounded by its
//! capacity, with a rising marginal cost from the basis.

use super::{
    Basis, CircuitEntry, MineEntry, Output, OutputTerms, PlantEntry, RefineryEntry, YearProblem,
};
use crate::model::{Node, Process, RefineryFeed};
use crate::solver::qp::{RowId, Var};

impl YearProblem<'_> {
    pub(super) fn add_nodes(&mut self, basis: &dyn Basis) {
        let scenario = self.scenario;
        for (index, node) in scenario.nodes.iter().enumerate() {
            match &node.process {
                Process::Mine { composition, .. } => {
                    let capacity_kt = basis.node_capacity_kt(self, node);
                    if capacity_kt <= 0.0 {
                        continue;
                    }
                    let terms = basis.output_terms(self, node, Output::Mine, capacity_kt);
                    let (output, hold_row, target_kt) =
                        self.add_output(|| format!("mine_out[{}]", node.id), capacity_kt, terms);
                    self.mines.push(MineEntry {
                        node: index,
                        output,
                        capacity_kt,
                        marginal_cost_at_capacity: terms.curve.marginal_cost(capacity_kt),
                        composition: composition
                            .iter()
                            .map(|s| (s.commodity.clone(), s.share))
                            .collect(),
                        hold_row,
                        target_kt,
                    });
                }
                Process::Refinery { recovery, feed, .. } => {
                    let entry = RefineryEntry {
                        node: index,
                        recovery: *recovery,
                        secondary: matches!(feed, RefineryFeed::Secondary { .. }),
                        circuits: self.add_circuits(basis, node),
                    };
                    if !entry.circuits.is_empty() {
                        self.refineries.push(entry);
                    }
                }
                Process::MagnetPlant { product, recipe } => {
                    let capacity_kt = basis.node_capacity_kt(self, node);
                    if capacity_kt <= 0.0 {
                        continue;
                    }
                    let terms = basis.output_terms(self, node, Output::Plant, capacity_kt);
                    let (output, hold_row, target_kt) =
                        self.add_output(|| format!("make[{}]", node.id), capacity_kt, terms);
                    self.plants.push(PlantEntry {
                        marginal_cost_at_capacity: terms.curve.marginal_cost(capacity_kt),
                        node: index,
                        product: product.clone(),
                        recipe: recipe
                            .iter()
                            .map(|r| (r.commodity.clone(), r.t_per_t))
                            .collect(),
                        output,
                        capacity_kt,
                        hold_row,
                        target_kt,
                    });
                }
            }
        }
    }

    /// A refinery's circuits, one output per commodity it separates.
    fn add_circuits(&mut self, basis: &dyn Basis, node: &Node) -> Vec<CircuitEntry> {
        let Process::Refinery { circuits, .. } = &node.process else {
            return Vec::new();
        };
        let mut commodities: Vec<&str> = circuits.iter().map(|c| c.commodity.as_str()).collect();
        commodities.sort_unstable();
        commodities.dedup();
        let mut entries = Vec::new();
        for commodity in commodities {
            let capacity_kt = basis.circuit_capacity_kt(self, node, commodity);
            if capacity_kt <= 0.0 {
                continue;
            }
            let price_usd_per_kg = self.reference_prices.get(commodity).copied().unwrap_or(0.0);
            let circuit = Output::Circuit {
                commodity,
                price_usd_per_kg,
            };
            let terms = basis.output_terms(self, node, circuit, capacity_kt);
            let (output, hold_row, _) = self.add_output(
                || format!("separate[{},{commodity}]", node.id),
                capacity_kt,
                terms,
            );
            entries.push(CircuitEntry {
                commodity: commodity.to_owned(),
                output,
                capacity_kt,
                marginal_cost_at_capacity: terms.curve.marginal_cost(capacity_kt),
                hold_row,
            });
        }
        entries
    }

    /// An output variable up to `capacity_kt` with its cost curve. A held output gets a row
    /// of its own and loses its capacity bound, so that the row's dual alone is the output's
    /// marginal value (two rows that say the same split their dual arbitrarily). Returns the
    /// variable, the hold row and the target (0 when not held).
    fn add_output(
        &mut self,
        name: impl Fn() -> String,
        capacity_kt: f64,
        terms: OutputTerms,
    ) -> (Var, Option<RowId>, f64) {
        let hold_name = || format!("target[{}]", inner_name(&name()));
        let output = self.qp.add_var(
            &name,
            0.0,
            capacity_kt,
            terms.curve.intercept_usd_per_kg,
            terms.curve.slope_usd_per_kg_per_kt,
        );
        match terms.hold {
            None => (output, None, 0.0),
            Some((sense, target_kt)) => {
                self.qp.set_bounds(output, 0.0, f64::INFINITY);
                let row = self
                    .qp
                    .add_row(hold_name, sense, vec![(output, 1.0)], target_kt);
                (output, Some(row), target_kt)
            }
        }
    }
}

/// `separate[SEP-X,NDPR]` → `SEP-X,NDPR`: the part a hold row is named after.
fn inner_name(name: &str) -> &str {
    name.split_once('[')
        .and_then(|(_, rest)| rest.strip_suffix(']'))
        .unwrap_or(name)
}
