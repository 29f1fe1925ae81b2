//! Markets: per region and commodity, the final buyers' consumption along their demand curve
//! and a balance row (consumption + magnet makers' purchases = inflows) whose dual is the
//! region's price. Magnet plants buy their oxides in their own region's market, so a
//! region's Dy/Tb price is what its magnet makers and its other users pay alike.

use super::{Basis, CurveShape, MarketEntry, YearProblem};
use crate::solver::demand::DemandCurve;
use crate::solver::qp::Sense;
use crate::solver::solution::T_PER_KT;
use crate::solver::state::YearState;

impl YearProblem<'_> {
    pub(super) fn add_markets(&mut self, basis: &dyn Basis, state: &YearState) {
        let scenario = self.scenario;
        let base_year = scenario.meta.base_year;
        for demand in &scenario.demand {
            let (anchor, shape) = basis.demand_curve(self, demand);
            let mut reference_kt = anchor.reference_t / T_PER_KT
                * (1.0 + demand.growth_per_yr).powi(self.year - base_year);
            if basis.levers_apply() {
                reference_kt *= self.demand_shock_factor(&demand.region, &demand.commodity)
                    * state.demand_multiple(&demand.region, &demand.commodity);
            }
            if reference_kt <= 0.0 || anchor.price_usd_per_kg <= 0.0 {
                continue;
            }
            let price = anchor.price_usd_per_kg;
            let curve = match shape {
                CurveShape::Linear { elasticity } => {
                    DemandCurve::linear(reference_kt, price, elasticity)
                }
                CurveShape::ConstantElasticity {
                    elasticity,
                    price_cap_multiple,
                } => DemandCurve::constant_elasticity(
                    reference_kt,
                    price,
                    elasticity,
                    price_cap_multiple,
                ),
            };
            let pieces = curve.objective_pieces();
            let single = pieces.len() == 1;
            // A curve in pieces is nearly vertical where demand is inelastic: its pieces are
            // narrow and steep, the steeper the smaller the market. Its variables count
            // shares of the reference quantity (scaled by it), which keeps the problem's
            // numbers of one order for every market size.
            let scale_kt = if single { 1.0 } else { reference_kt };
            let consumption: Vec<_> = pieces
                .into_iter()
                .enumerate()
                .map(|(index, (linear, quadratic, upper_kt))| {
                    let name = || {
                        if single {
                            format!("consume[{},{}]", demand.region, demand.commodity)
                        } else {
                            format!("consume[{},{},{index}]", demand.region, demand.commodity)
                        }
                    };
                    self.qp.add_var(
                        name,
                        0.0,
                        upper_kt / scale_kt,
                        linear * scale_kt,
                        quadratic * scale_kt * scale_kt,
                    )
                })
                .collect();
            let balance = self.qp.add_row(
                || format!("balance[{},{}]", demand.region, demand.commodity),
                Sense::Equal,
                consumption.iter().map(|&var| (var, scale_kt)).collect(),
                0.0,
            );
            self.markets.push(MarketEntry {
                region: demand.region.clone(),
                commodity: demand.commodity.clone(),
                consumption,
                consumption_scale_kt: scale_kt,
                balance,
                demand: Some(curve),
            });
        }
    }

    /// A market for every oxide that a region's magnet plants use and its final buyers do
    /// not (so far) demand: there the plants alone buy.
    pub(super) fn add_maker_markets(&mut self) {
        let needed: Vec<(String, String)> = self
            .plants
            .iter()
            .flat_map(|plant| {
                let region = self.region_of(&self.plant_node(plant).country).to_owned();
                plant
                    .recipe
                    .iter()
                    .map(move |(commodity, _)| (region.clone(), commodity.clone()))
            })
            .collect();
        for (region, commodity) in needed {
            if self.market_index(&region, &commodity).is_none() {
                let balance = self.qp.add_row(
                    || format!("balance[{region},{commodity}]"),
                    Sense::Equal,
                    Vec::new(),
                    0.0,
                );
                self.markets.push(MarketEntry {
                    region,
                    commodity,
                    consumption: Vec::new(),
                    consumption_scale_kt: 1.0,
                    balance,
                    demand: None,
                });
            }
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
