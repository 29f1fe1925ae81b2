//! Edits of whole items: a node, a policy or a demand row added, replaced or removed, and
//! the scenario's own name and description.
//!
//! A whole item can be wrong in more ways than one number can, so these edits are checked
//! the way a loaded file is: the edited scenario is validated and the edit is refused if it
//! brings a problem the scenario did not have, with that problem's words (the item and the
//! field at fault). Removing a node also removes what would otherwise point at nothing
//! (its capacity-change policies, the contracts it is a party to; the expansion options it
//! hosts move to another plant of its kind in its country, or go when there is none; the
//! uncertain inputs on what goes, go too);
//! [`node_dependants`] names what goes before the user confirms.

use super::{
    Demand, Node, Party, Policy, PolicyKind, Problem, Scenario, Stage, TradeCosts, UncertainInput,
    UncertainTarget, validate,
};

/// Why a whole-item edit was refused; the scenario is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemRefusal {
    /// There is no item with that id.
    Unknown { what: &'static str, id: String },
    /// The edited scenario would have this problem.
    Invalid(String),
}

/// Adds the node, or replaces the node with the same id.
pub fn put_node(scenario: &mut Scenario, node: &Node) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        match s.nodes.iter_mut().find(|n| n.id == node.id) {
            Some(existing) => *existing = node.clone(),
            None => s.nodes.push(node.clone()),
        }
        Ok(())
    })
}

/// Removes the node and everything that refers to it (see [`node_dependants`]).
pub fn remove_node(scenario: &mut Scenario, id: &str) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        if !s.nodes.iter().any(|n| n.id == id) {
            return Err(ItemRefusal::Unknown {
                what: "node",
                id: id.to_owned(),
            });
        }
        let heir = heir_of(s, id);
        s.nodes.retain(|n| n.id != id);
        s.policies.retain(|p| !policy_is_on_node(p, id));
        s.contracts
            .retain(|c| !is_node_party(&c.seller, id) && !is_node_party(&c.buyer, id));
        match heir {
            Some(heir) => {
                for option in s.expansion.iter_mut().filter(|o| o.host == id) {
                    option.host.clone_from(&heir);
                }
            }
            None => s.expansion.retain(|option| option.host != id),
        }
        drop_ranges_on_missing_items(s);
        Ok(())
    })
}

/// What removing the node also removes, for people: "policy: Myanmar: Kachin conflict …".
pub fn node_dependants(scenario: &Scenario, id: &str) -> Vec<String> {
    let policies = scenario
        .policies
        .iter()
        .filter(|p| policy_is_on_node(p, id))
        .map(|p| format!("policy: {}", p.label));
    let contracts = scenario
        .contracts
        .iter()
        .filter(|c| is_node_party(&c.seller, id) || is_node_party(&c.buyer, id))
        .map(|c| format!("contract: {}", c.label));
    // An expansion option moves to another plant of the kind in the country if there is one.
    let heir = heir_of(scenario, id).and_then(|heir| scenario.node(&heir));
    let options = scenario
        .expansion
        .iter()
        .filter(|option| option.host == id && heir.is_none())
        .map(|option| format!("expansion option: {}", option.label));
    policies.chain(contracts).chain(options).collect()
}

/// The plant of the same kind in the same country that takes over a deleted node's
/// expansion options (the first other one), if any.
fn heir_of(scenario: &Scenario, id: &str) -> Option<String> {
    let node = scenario.nodes.iter().find(|n| n.id == id)?;
    scenario
        .nodes
        .iter()
        .find(|n| {
            n.id != id && n.country == node.country && n.process.stage() == node.process.stage()
        })
        .map(|n| n.id.clone())
}

/// Adds the policy, or replaces the policy with the same id.
pub fn put_policy(scenario: &mut Scenario, policy: &Policy) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        match s.policies.iter_mut().find(|p| p.id == policy.id) {
            Some(existing) => *existing = policy.clone(),
            None => s.policies.push(policy.clone()),
        }
        Ok(())
    })
}

pub fn remove_policy(scenario: &mut Scenario, id: &str) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        if !s.policies.iter().any(|p| p.id == id) {
            return Err(ItemRefusal::Unknown {
                what: "policy",
                id: id.to_owned(),
            });
        }
        s.policies.retain(|p| p.id != id);
        drop_ranges_on_missing_items(s);
        Ok(())
    })
}

/// Adds the demand row, or replaces the row of the same region and commodity.
pub fn put_demand(scenario: &mut Scenario, demand: &Demand) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        match s
            .demand
            .iter_mut()
            .find(|d| d.region == demand.region && d.commodity == demand.commodity)
        {
            Some(existing) => *existing = demand.clone(),
            None => s.demand.push(demand.clone()),
        }
        Ok(())
    })
}

/// Sets the scenario's name and description (shown on Compare and in presentation mode).
pub fn set_info(scenario: &mut Scenario, name: &str, description: &str) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        s.meta.name = name.to_owned();
        s.meta.description = description.to_owned();
        Ok(())
    })
}

/// Sets the trade costs: the defaults and the route overrides.
pub fn set_trade_costs(scenario: &mut Scenario, costs: &TradeCosts) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        s.trade = costs.clone();
        Ok(())
    })
}

/// Adds the uncertain input, or replaces the one with the same id.
pub fn put_uncertain_input(
    scenario: &mut Scenario,
    input: &UncertainInput,
) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        match s.uncertainty.iter_mut().find(|i| i.id == input.id) {
            Some(existing) => *existing = input.clone(),
            None => s.uncertainty.push(input.clone()),
        }
        Ok(())
    })
}

pub fn remove_uncertain_input(scenario: &mut Scenario, id: &str) -> Result<(), ItemRefusal> {
    checked(scenario, |s| {
        if !s.uncertainty.iter().any(|i| i.id == id) {
            return Err(ItemRefusal::Unknown {
                what: "uncertain input",
                id: id.to_owned(),
            });
        }
        s.uncertainty.retain(|i| i.id != id);
        Ok(())
    })
}

/// An id for a new node of `stage` in `country` named `name`, unique in the scenario:
/// `MAG-DEU-new_magnet_plant`, then `…_2`, `…_3`.
pub fn new_node_id(scenario: &Scenario, stage: Stage, country: &str, name: &str) -> String {
    let prefix = match stage {
        Stage::Mine => "MINE",
        Stage::Refinery => "SEP",
        Stage::Magnet => "MAG",
    };
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let slug = if slug.is_empty() {
        "new".to_owned()
    } else {
        slug
    };
    let base = format!("{prefix}-{country}-{slug}");
    let taken = |id: &str| scenario.nodes.iter().any(|n| n.id == id);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

/// An id for a new policy with `label`, unique in the scenario.
pub fn new_policy_id(scenario: &Scenario, label: &str) -> String {
    let slug: String = label
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    let base = format!("user-{}", if slug.is_empty() { "policy" } else { &slug });
    let taken = |id: &str| scenario.policies.iter().any(|p| p.id == id);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

/// Uncertain inputs go with the item they vary (a deleted node, policy or option).
fn drop_ranges_on_missing_items(scenario: &mut Scenario) {
    let nodes: Vec<String> = scenario.nodes.iter().map(|n| n.id.clone()).collect();
    let policies: Vec<String> = scenario.policies.iter().map(|p| p.id.clone()).collect();
    let options: Vec<String> = scenario.expansion.iter().map(|o| o.id.clone()).collect();
    scenario.uncertainty.retain(|input| match &input.target {
        UncertainTarget::NodeCapacity { node } | UncertainTarget::NodeStartYear { node } => {
            nodes.contains(node)
        }
        UncertainTarget::PolicySeverity { policy } => policies.contains(policy),
        UncertainTarget::ExpansionCapitalCost { option }
        | UncertainTarget::ExpansionLeadTime { option } => options.contains(option),
        UncertainTarget::DemandElasticity { .. } | UncertainTarget::DemandGrowth { .. } => true,
    });
}

fn policy_is_on_node(policy: &Policy, node: &str) -> bool {
    matches!(&policy.kind, PolicyKind::CapacityChange { node: on, .. } if on == node)
}

fn is_node_party(party: &Party, node: &str) -> bool {
    matches!(party, Party::Node(id) if id == node)
}

/// Applies `change` to a copy, and keeps the copy only if it has no problem the scenario
/// did not already have.
fn checked(
    scenario: &mut Scenario,
    change: impl FnOnce(&mut Scenario) -> Result<(), ItemRefusal>,
) -> Result<(), ItemRefusal> {
    let mut edited = scenario.clone();
    change(&mut edited)?;
    let after = validate(&edited);
    // The scenario as it was is validated only when the edit leaves problems to compare.
    if !after.is_empty() {
        let before: Vec<Problem> = validate(scenario);
        if let Some(problem) = after.into_iter().find(|problem| !before.contains(problem)) {
            return Err(ItemRefusal::Invalid(problem.to_string()));
        }
    }
    *scenario = edited;
    Ok(())
}
