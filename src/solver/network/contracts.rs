//! Contracts and captive chains: a floor under the flow on a route.
//!
//! A contract in force adds `flow + short ≥ volume` (or `≥ share × seller's output`) on its
//! route, where `short` costs the contract's breach cost a kg. The floor makes the route
//! carry its contracted goods in ordinary markets, as offtakes and integrated chains do,
//! instead of whatever route is cheapest at the margin; where the seller cannot deliver
//! (a quota binds, its capacity falls) the contract falls short at that cost. A policy
//! that bans the route removes the arc: the contract lapses, falling short by all of it.

use super::{ContractEntry, ContractRoute, YearProblem};
use crate::model::{Contract, Party, Stage, TradeGoods, Volume};
use crate::solver::qp::{Sense, Var};
use crate::solver::solution::T_PER_KT;

impl YearProblem<'_> {
    pub(super) fn add_contracts(&mut self) {
        let scenario = self.scenario;
        for (index, contract) in scenario.contracts.iter().enumerate() {
            if !contract.is_active_in(self.year) {
                continue;
            }
            // A route a policy removed carries nothing: the contract falls short by all of
            // it, at its breach cost (the same problem with the route fixed at zero, so a
            // ban still never raises welfare).
            let route = self.contract_route(contract);
            let short = self.qp.add_var(
                || format!("contract_short[{}]", contract.id),
                0.0,
                f64::INFINITY,
                contract.breach_cost_usd_per_kg,
                0.0,
            );
            let route_var = route.map(|route| match route {
                ContractRoute::Shipment(i) => self.shipments[i].var,
                ContractRoute::Arc(i) => self.arcs[i].var,
            });
            let mut terms = vec![(short, -1.0)];
            if let Some(route_var) = route_var {
                terms.push((route_var, -1.0));
            }
            let required_kt = match contract.volume {
                Volume::Tonnes(t) => t / T_PER_KT,
                Volume::ShareOfOutput(share) => {
                    for (var, content) in self.seller_output_terms(contract) {
                        terms.push((var, share * content));
                    }
                    0.0
                }
            };
            self.qp.add_row(
                || format!("contract[{}]", contract.id),
                Sense::AtMost,
                terms,
                -required_kt,
            );
            self.contracts.push(ContractEntry {
                contract: index,
                route,
                short,
                required_kt,
            });
        }
    }

    /// The arc a contract's goods travel on, if it exists this year.
    fn contract_route(&self, contract: &Contract) -> Option<ContractRoute> {
        let scenario = self.scenario;
        match (&contract.seller, &contract.buyer, contract.stage) {
            (Party::Node(mine), Party::Node(refinery), Stage::Mine) => self
                .shipments
                .iter()
                .position(|s| {
                    scenario.nodes[self.mines[s.mine].node].id == *mine
                        && scenario.nodes[self.refineries[s.refinery].node].id == *refinery
                })
                .map(ContractRoute::Shipment),
            (Party::Country(from), Party::Region(to), stage) => {
                let commodity = contract.commodity.as_deref()?;
                self.arcs
                    .iter()
                    .position(|arc| {
                        arc.stage == stage
                            && arc.from == *from
                            && arc.to == *to
                            && arc.commodity == commodity
                    })
                    .map(ContractRoute::Arc)
            }
            _ => None,
        }
    }

    /// The seller's output a share-of-output contract is a share of.
    fn seller_output_terms(&self, contract: &Contract) -> Vec<(Var, f64)> {
        match &contract.seller {
            Party::Node(id) => self
                .mines
                .iter()
                .filter(|m| self.scenario.nodes[m.node].id == *id)
                .map(|m| (m.output, 1.0))
                .collect(),
            Party::Country(iso3) => {
                let goods = TradeGoods {
                    commodities: contract.commodity.iter().cloned().collect(),
                    stages: vec![contract.stage],
                };
                self.country_output_terms(iso3, &goods)
            }
            Party::Region(_) => Vec::new(),
        }
    }
}
