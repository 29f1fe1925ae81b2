//! Edits: every change a person can make to a scenario, as a value.
//!
//! The GUI (and scripts, and tests) change a scenario only through [`Scenario::apply`], so
//! every change can be labelled ("capacity of Lynas Malaysia"), undone and replayed.

use super::item_edits::{self, ItemRefusal};
use super::{
    Circuit, Demand, Node, NodeStatus, Policy, PolicyKind, Process, QuotaLimit, Scenario,
    TariffRate, TradeCosts, UncertainInput,
};

/// One change to a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Switches a policy on or off.
    SetPolicyEnabled {
        policy: String,
        enabled: bool,
    },
    /// Sets a node's nameplate capacity (t/yr). A refinery's circuits scale with it.
    SetNodeCapacity {
        node: String,
        capacity_t_per_yr: f64,
    },
    /// Sets or clears a node's unit cost (US$/kg); a set cost replaces calibration.
    SetNodeUnitCost {
        node: String,
        usd_per_kg: Option<f64>,
    },
    /// Sets a node's first year of output.
    SetNodeStartYear {
        node: String,
        year: Option<i32>,
    },
    SetNodeStatus {
        node: String,
        status: NodeStatus,
    },
    /// Sets a policy's first and last year.
    SetPolicyYears {
        policy: String,
        start_year: i32,
        end_year: Option<i32>,
    },
    /// Sets an export quota's limit (tonnes, or a share of output for a licence regime).
    SetQuotaLimit {
        policy: String,
        limit: QuotaLimit,
    },
    /// Sets an import tariff's rate.
    SetTariffRate {
        policy: String,
        rate: TariffRate,
    },
    /// Adds a node, or replaces the node with its id (every field at once).
    PutNode(Box<Node>),
    /// Removes a node with its capacity-change policies and the contracts it is a party
    /// to; the expansion options it hosts move to another plant of its kind in its country
    /// (or go with it when there is none).
    RemoveNode {
        node: String,
    },
    /// Adds a policy, or replaces the policy with its id (every term at once).
    PutPolicy(Box<Policy>),
    RemovePolicy {
        policy: String,
    },
    /// Adds a demand row, or replaces the row of its region and commodity.
    PutDemand(Box<Demand>),
    /// Sets the scenario's name and description.
    SetScenarioInfo {
        name: String,
        description: String,
    },
    /// Sets what moving goods costs: the defaults and every route override at once.
    SetTradeCosts(Box<TradeCosts>),
    /// Adds an uncertain input (a range on a guessed number), or replaces the one with its
    /// id; refused when the input names no existing item or its distribution is improper.
    PutUncertainInput(Box<UncertainInput>),
    RemoveUncertainInput {
        input: String,
    },
}

/// Why an edit could not be applied; the scenario is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("there is no node \"{0}\"")]
    UnknownNode(String),
    #[error("there is no policy \"{0}\"")]
    UnknownPolicy(String),
    #[error("there is no uncertain input \"{0}\"")]
    UnknownUncertainInput(String),
    #[error("policy \"{0}\" is not of the kind this edit changes")]
    WrongPolicyKind(String),
    #[error("{what} must be {wanted} (got {got})")]
    OutOfRange {
        what: &'static str,
        wanted: &'static str,
        got: String,
    },
    /// The edited scenario would have this problem (names the item and the field).
    #[error("{0}")]
    Invalid(String),
}

impl From<ItemRefusal> for EditError {
    fn from(refusal: ItemRefusal) -> Self {
        match refusal {
            ItemRefusal::Unknown { what: "node", id } => EditError::UnknownNode(id),
            ItemRefusal::Unknown {
                what: "uncertain input",
                id,
            } => EditError::UnknownUncertainInput(id),
            ItemRefusal::Unknown { id, .. } => EditError::UnknownPolicy(id),
            ItemRefusal::Invalid(problem) => EditError::Invalid(problem),
        }
    }
}

fn finite_non_negative(what: &'static str, value: f64) -> Result<(), EditError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(EditError::OutOfRange {
            what,
            wanted: "a finite number ≥ 0",
            got: value.to_string(),
        })
    }
}

impl Edit {
    /// What the edit changes, for "Undo: …" ("capacity of Lynas Malaysia (Gebeng, Kuantan)").
    pub fn label(&self, scenario: &Scenario) -> String {
        let node = |id: &str| {
            scenario
                .node(id)
                .map_or_else(|| id.to_owned(), |n| n.name.clone())
        };
        let policy = |id: &str| {
            scenario
                .policy(id)
                .map_or_else(|| id.to_owned(), |p| p.label.clone())
        };
        match self {
            Edit::SetPolicyEnabled {
                policy: id,
                enabled,
            } => {
                format!(
                    "{} {}",
                    if *enabled { "switch on" } else { "switch off" },
                    policy(id)
                )
            }
            Edit::SetNodeCapacity { node: id, .. } => format!("capacity of {}", node(id)),
            Edit::SetNodeUnitCost { node: id, .. } => format!("unit cost of {}", node(id)),
            Edit::SetNodeStartYear { node: id, .. } => format!("start year of {}", node(id)),
            Edit::SetNodeStatus { node: id, .. } => format!("status of {}", node(id)),
            Edit::SetPolicyYears { policy: id, .. } => format!("years of {}", policy(id)),
            Edit::SetQuotaLimit { policy: id, .. } => format!("limit of {}", policy(id)),
            Edit::SetTariffRate { policy: id, .. } => format!("rate of {}", policy(id)),
            Edit::PutNode(new) if scenario.node(&new.id).is_some() => {
                format!("change {}", new.name)
            }
            Edit::PutNode(new) => format!("add {}", new.name),
            Edit::RemoveNode { node: id } => format!("delete {}", node(id)),
            Edit::PutPolicy(new) if scenario.policy(&new.id).is_some() => {
                format!("change {}", new.label)
            }
            Edit::PutPolicy(new) => format!("add {}", new.label),
            Edit::RemovePolicy { policy: id } => format!("delete {}", policy(id)),
            Edit::PutDemand(demand) => {
                format!("demand for {} in {}", demand.commodity, demand.region)
            }
            Edit::SetScenarioInfo { .. } => "name and description".to_owned(),
            Edit::SetTradeCosts(_) => "trade costs".to_owned(),
            Edit::PutUncertainInput(input)
                if scenario.uncertainty.iter().any(|i| i.id == input.id) =>
            {
                format!("change range of {}", input.label)
            }
            Edit::PutUncertainInput(input) => format!("add range on {}", input.label),
            Edit::RemoveUncertainInput { input: id } => {
                let label = scenario
                    .uncertainty
                    .iter()
                    .find(|i| i.id == *id)
                    .map_or(id.as_str(), |i| i.label.as_str());
                format!("remove range on {label}")
            }
        }
    }

    /// Edits of the same thing in a row (a slider drag) that undo as one step share a key.
    pub fn merge_key(&self) -> String {
        match self {
            Edit::SetPolicyEnabled { policy, .. } => format!("enabled:{policy}"),
            Edit::SetNodeCapacity { node, .. } => format!("capacity:{node}"),
            Edit::SetNodeUnitCost { node, .. } => format!("cost:{node}"),
            Edit::SetNodeStartYear { node, .. } => format!("start:{node}"),
            Edit::SetNodeStatus { node, .. } => format!("status:{node}"),
            Edit::SetPolicyYears { policy, .. } => format!("years:{policy}"),
            Edit::SetQuotaLimit { policy, .. } => format!("limit:{policy}"),
            Edit::SetTariffRate { policy, .. } => format!("rate:{policy}"),
            Edit::PutNode(node) => format!("node:{}", node.id),
            Edit::RemoveNode { node } => format!("remove-node:{node}"),
            Edit::PutPolicy(policy) => format!("policy:{}", policy.id),
            Edit::RemovePolicy { policy } => format!("remove-policy:{policy}"),
            Edit::PutDemand(demand) => format!("demand:{}:{}", demand.region, demand.commodity),
            Edit::SetScenarioInfo { .. } => "info".to_owned(),
            Edit::SetTradeCosts(_) => "trade".to_owned(),
            Edit::PutUncertainInput(input) => format!("uncertain:{}", input.id),
            Edit::RemoveUncertainInput { input } => format!("remove-uncertain:{input}"),
        }
    }
}

impl Scenario {
    /// Applies an edit, or leaves the scenario unchanged and says why.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        match edit {
            Edit::SetPolicyEnabled { policy, enabled } => {
                self.policy_mut(policy)?.enabled = *enabled;
            }
            Edit::SetNodeCapacity {
                node,
                capacity_t_per_yr,
            } => {
                finite_non_negative("capacity", *capacity_t_per_yr)?;
                let node = self.node_mut(node)?;
                if let Process::Refinery { circuits, .. } = &mut node.process {
                    if !circuits.iter().any(|c| c.start_year.is_none()) {
                        return Err(EditError::OutOfRange {
                            what: "capacity",
                            wanted: "set on a refinery with circuits that start with it",
                            got: capacity_t_per_yr.to_string(),
                        });
                    }
                    scale_circuits(circuits, node.capacity_t_per_yr, *capacity_t_per_yr);
                }
                node.capacity_t_per_yr = *capacity_t_per_yr;
            }
            Edit::SetNodeUnitCost { node, usd_per_kg } => {
                if let Some(cost) = usd_per_kg {
                    finite_non_negative("unit cost", *cost)?;
                }
                self.node_mut(node)?.unit_cost_usd_per_kg = *usd_per_kg;
            }
            Edit::SetNodeStartYear { node, year } => {
                if let Some(year) = year
                    && *year > self.meta.last_year
                {
                    return Err(EditError::OutOfRange {
                        what: "start year",
                        wanted: "within the horizon",
                        got: year.to_string(),
                    });
                }
                self.node_mut(node)?.start_year = *year;
            }
            Edit::SetNodeStatus { node, status } => {
                self.node_mut(node)?.status = *status;
            }
            Edit::SetPolicyYears {
                policy,
                start_year,
                end_year,
            } => {
                let (first, last) = (self.meta.first_year, self.meta.last_year);
                let end = end_year.unwrap_or(last);
                if !(first..=last).contains(start_year)
                    || !(first..=last).contains(&end)
                    || end < *start_year
                {
                    return Err(EditError::OutOfRange {
                        what: "policy years",
                        wanted: "within the horizon, start before end",
                        got: format!("{start_year}–{end}"),
                    });
                }
                let policy = self.policy_mut(policy)?;
                policy.start_year = *start_year;
                policy.end_year = *end_year;
            }
            Edit::SetQuotaLimit { policy, limit } => {
                match *limit {
                    QuotaLimit::Tonnes(t) => finite_non_negative("quota", t)?,
                    QuotaLimit::ShareOfOutput(share) if !(0.0..=1.0).contains(&share) => {
                        return Err(EditError::OutOfRange {
                            what: "licence share",
                            wanted: "between 0 and 1",
                            got: share.to_string(),
                        });
                    }
                    QuotaLimit::ShareOfOutput(_) => {}
                }
                match &mut self.policy_mut(policy)?.kind {
                    PolicyKind::ExportQuota { limit: current, .. } => *current = limit.clone(),
                    _ => return Err(EditError::WrongPolicyKind(policy.clone())),
                }
            }
            Edit::SetTariffRate { policy, rate } => {
                let (TariffRate::UsdPerKg(value) | TariffRate::AdValorem(value)) = *rate;
                finite_non_negative("tariff", value)?;
                match &mut self.policy_mut(policy)?.kind {
                    PolicyKind::ImportTariff { rate: current, .. } => *current = rate.clone(),
                    _ => return Err(EditError::WrongPolicyKind(policy.clone())),
                }
            }
            Edit::PutNode(node) => item_edits::put_node(self, node)?,
            Edit::RemoveNode { node } => item_edits::remove_node(self, node)?,
            Edit::PutPolicy(policy) => item_edits::put_policy(self, policy)?,
            Edit::RemovePolicy { policy } => item_edits::remove_policy(self, policy)?,
            Edit::PutDemand(demand) => item_edits::put_demand(self, demand)?,
            Edit::SetScenarioInfo { name, description } => {
                item_edits::set_info(self, name, description)?;
            }
            Edit::SetTradeCosts(costs) => item_edits::set_trade_costs(self, costs)?,
            Edit::PutUncertainInput(input) => item_edits::put_uncertain_input(self, input)?,
            Edit::RemoveUncertainInput { input } => {
                item_edits::remove_uncertain_input(self, input)?;
            }
        }
        Ok(())
    }

    fn node_mut(&mut self, id: &str) -> Result<&mut super::Node, EditError> {
        self.nodes
            .iter_mut()
            .find(|node| node.id == id)
            .ok_or_else(|| EditError::UnknownNode(id.to_owned()))
    }

    fn policy_mut(&mut self, id: &str) -> Result<&mut super::Policy, EditError> {
        self.policies
            .iter_mut()
            .find(|policy| policy.id == id)
            .ok_or_else(|| EditError::UnknownPolicy(id.to_owned()))
    }
}

/// Scales a refinery's circuits from `old_total` to `new_total` (the circuits that start
/// with the node sum to the node's capacity; later ones scale alike).
fn scale_circuits(circuits: &mut [Circuit], old_total: f64, new_total: f64) {
    if old_total > 0.0 {
        let factor = new_total / old_total;
        for circuit in circuits.iter_mut() {
            circuit.capacity_t_per_yr *= factor;
        }
    } else {
        // Nothing to scale from: share the new total equally among the base circuits.
        let base = circuits
            .iter()
            .filter(|c| c.start_year.is_none())
            .count()
            .max(1);
        for circuit in circuits.iter_mut().filter(|c| c.start_year.is_none()) {
            circuit.capacity_t_per_yr = new_total / base as f64;
        }
    }
}
