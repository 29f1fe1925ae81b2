//! Markets: one consumption variable per region and commodity with its demand curve, and a
//! balance row (consumption = inflows) whose dual is the region's price.

use super::{Basis, MarketEntry, YearProblem};
use crate::solver::curves::LinearDemand;
use crate::solver::qp::Sense;
use crate::solver::solution::T_PER_KT;

impl YearProblem<'_> {
    pub(super) fn add_markets(&mut self, basis: &dyn Basis) {
        let scenario = self.scenario;
        let base_year = scenario.meta.base_year;
        for demand in &scenario.demand {
            let (anchor, elasticity) = basis.demand_curve(self, demand);
            let mut reference_kt = anchor.reference_t / T_PER_KT
                * (1.0 + demand.growth_per_yr).powi(self.year - base_year);
            if basis.policies_apply() {
                reference_kt *= self.demand_shock_factor(&demand.region, &demand.commodity);
            }
            if reference_kt <= 0.0 || anchor.price_usd_per_kg <= 0.0 {
                continue;
            }
            let curve = LinearDemand {
                reference_kt,
                price_usd_per_kg: anchor.price_usd_per_kg,
                elasticity,
            };
            let (linear, quadratic) = curve.objective_terms();
            let consumption = self.qp.add_var(
                format!("consume[{},{}]", demand.region, demand.commodity),
                0.0,
                f64::INFINITY,
                linear,
                quadratic,
            );
            let balance = self.qp.add_row(
                format!("balance[{},{}]", demand.region, demand.commodity),
                Sense::Equal,
                vec![(consumption, 1.0)],
                0.0,
            );
            self.markets.push(MarketEntry {
                region: demand.region.clone(),
                commodity: demand.commodity.clone(),
                consumption,
                balance,
                demand: curve,
            });
        }
    }

    /// The index of the market for a region and commodity.
    pub(crate) fn market_index(&self, region: &str, commodity: &str) -> Option<usize> {
        self.markets
            .iter()
            .position(|m| m.region == region && m.commodity == commodity)
    }

    /// Adds inflow terms to market balance rows (built with consumption only).
    pub(super) fn connect_to_markets(
        &mut self,
        inflows: std::collections::BTreeMap<usize, Vec<(crate::solver::qp::Var, f64)>>,
    ) {
        for (market_index, terms) in inflows {
            let row = self.markets[market_index].balance;
            self.qp.extend_row(row, terms);
        }
    }
}
