//! Expansion: capacity investors add where the market pays for it.
//!
//! Each switched-on option expands a host node's kind in its country (a mine's ore, a
//! refinery's circuit for one oxide, a magnet plant's recipe). In the year's problem:
//!
//! * `build` (kt/yr, ≤ the option's build rate, only from its first year): capacity coming
//!   on stream this year, at its annualised capital cost;
//! * `new` (kt): the output of all the option's capacity, `new ≤ built_before + build`, at
//!   the host's marginal cost at capacity (new capacity runs like the host's last unit);
//! * the host's output variable becomes the sum of its existing output (with its cost
//!   curve and capacity) and `new`, so every row that uses the host (shipments,
//!   composition, hubs, recipes, quotas) sees the new capacity.
//!
//! Capacity built in a year stays for every later year ([`YearState`] carries it). The
//! build of year t is chosen with year t's market in view: it comes on stream when it
//! pays its annualised cost at year t's prices, which is what investors who foresee the
//! market `lead_years` ahead would have decided. That is the myopic formulation used by
//! energy-system models run year by year (e.g. PyPSA's myopic mode); see the solver docs
//! for why it suits planners' questions.

use super::{ExpansionEntry, Host, YearProblem};
use crate::model::Stage;
use crate::solver::qp::{Sense, Var};
use crate::solver::solution::T_PER_KT;
use crate::solver::state::YearState;

impl YearProblem<'_> {
    pub(super) fn add_expansion(&mut self, state: &YearState) {
        let scenario = self.scenario;
        for (index, option) in scenario.expansion.iter().enumerate() {
            let built_before_kt = state.built_t_per_yr(&option.id) / T_PER_KT;
            // A capacity policy on the host says what its capacity is: no building past it.
            let capacity_set_by_policy = self.active_policies().any(|policy| {
                matches!(&policy.kind, crate::model::PolicyKind::CapacityChange { node, .. }
                    if *node == option.host)
            });
            let can_build = option.enabled
                && !capacity_set_by_policy
                && self.year >= option.first_year(scenario.meta.base_year)
                && option.max_build_t_per_yr > 0.0;
            if built_before_kt <= 0.0 && !can_build {
                continue;
            }
            let Some(host) = self.find_host(option) else {
                continue;
            };
            // Capacity built in earlier years still pays its annualised capital cost: not a
            // choice this year, but a cost of this year's welfare.
            self.qp
                .add_constant(built_before_kt * option.annualised_cost_usd_per_kg());
            let build = can_build.then(|| {
                self.qp.add_var(
                    || format!("build[{}]", option.id),
                    0.0,
                    option.max_build_t_per_yr / T_PER_KT,
                    option.annualised_cost_usd_per_kg(),
                    0.0,
                )
            });
            let (host_output, running_cost) = self.host_output(host);
            let new_output = self.qp.add_var(
                || format!("expanded_out[{}]", option.id),
                0.0,
                f64::INFINITY,
                running_cost,
                0.0,
            );
            let mut capacity_terms = vec![(new_output, 1.0)];
            if let Some(build) = build {
                capacity_terms.push((build, -1.0));
            }
            self.qp.add_row(
                || format!("expanded_capacity[{}]", option.id),
                Sense::AtMost,
                capacity_terms,
                built_before_kt,
            );
            // The host's output becomes existing plus new.
            let total = self.qp.add_var(
                || format!("total_out[{}]", option.id),
                0.0,
                f64::INFINITY,
                0.0,
                0.0,
            );
            self.qp.add_row(
                || format!("total[{}]", option.id),
                Sense::Equal,
                vec![(total, 1.0), (host_output, -1.0), (new_output, -1.0)],
                0.0,
            );
            self.set_host_output(host, total);
            self.expansions.push(ExpansionEntry {
                option: index,
                built_before_kt,
                build,
                output: new_output,
            });
        }
    }

    /// The entry an option expands: its host node (the circuit for its commodity).
    fn find_host(&self, option: &crate::model::ExpansionOption) -> Option<Host> {
        let scenario = self.scenario;
        let is_host = |node: usize| scenario.nodes[node].id == option.host;
        match option.stage {
            Stage::Mine => self
                .mines
                .iter()
                .position(|m| is_host(m.node))
                .map(Host::Mine),
            Stage::Magnet => self
                .plants
                .iter()
                .position(|p| is_host(p.node))
                .map(Host::Plant),
            Stage::Refinery => {
                let refinery = self.refineries.iter().position(|r| is_host(r.node))?;
                let circuit = self.refineries[refinery]
                    .circuits
                    .iter()
                    .position(|c| Some(&c.commodity) == option.commodity.as_ref())?;
                Some(Host::Circuit(refinery, circuit))
            }
        }
    }

    /// A host's output variable (as the entry holds it now) and its marginal cost at
    /// capacity.
    fn host_output(&self, host: Host) -> (Var, f64) {
        match host {
            Host::Mine(i) => (
                self.mines[i].output,
                self.mines[i].marginal_cost_at_capacity,
            ),
            Host::Circuit(r, c) => {
                let circuit = &self.refineries[r].circuits[c];
                (circuit.output, circuit.marginal_cost_at_capacity)
            }
            Host::Plant(i) => (
                self.plants[i].output,
                self.plants[i].marginal_cost_at_capacity,
            ),
        }
    }

    fn set_host_output(&mut self, host: Host, output: Var) {
        match host {
            Host::Mine(i) => self.mines[i].output = output,
            Host::Circuit(r, c) => self.refineries[r].circuits[c].output = output,
            Host::Plant(i) => self.plants[i].output = output,
        }
    }
}
