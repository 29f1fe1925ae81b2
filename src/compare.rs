//! What differs between two scenarios' assumptions, line by line, each line pointing at the
//! item it is about (so a view can select it).

use crate::model::{Demand, Node, Policy, Scenario};
use crate::units;

/// The item a difference is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffItem {
    Policy(String),
    Node(String),
    Demand { region: String, commodity: String },
    Scenario,
}

/// One difference, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub item: DiffItem,
    pub text: String,
}

fn years(policy: &Policy) -> String {
    match policy.end_year {
        Some(end) => format!("{}–{end}", policy.start_year),
        None => format!("from {}", policy.start_year),
    }
}

fn policy_differences(reference: &Scenario, scenario: &Scenario, out: &mut Vec<Difference>) {
    for policy in &scenario.policies {
        let item = DiffItem::Policy(policy.id.clone());
        let Some(before) = reference.policy(&policy.id) else {
            let state = if policy.enabled { "on" } else { "off" };
            out.push(Difference {
                item,
                text: format!("Policy added ({state}): {}", policy.label),
            });
            continue;
        };
        if before.enabled != policy.enabled {
            let verb = if policy.enabled {
                "Switched on"
            } else {
                "Switched off"
            };
            out.push(Difference {
                item: item.clone(),
                text: format!("{verb}: {}", policy.label),
            });
        }
        if (before.start_year, before.end_year) != (policy.start_year, policy.end_year) {
            out.push(Difference {
                item: item.clone(),
                text: format!(
                    "Years of {}: from {} to {}",
                    policy.label,
                    years(before),
                    years(policy)
                ),
            });
        }
        if before.kind != policy.kind {
            out.push(Difference {
                item,
                text: format!(
                    "Terms of {} changed (limit, rate, goods or partners)",
                    policy.label
                ),
            });
        }
    }
    for policy in &reference.policies {
        if scenario.policy(&policy.id).is_none() {
            out.push(Difference {
                item: DiffItem::Scenario,
                text: format!("Policy removed: {}", policy.label),
            });
        }
    }
}

fn node_differences(reference: &Scenario, scenario: &Scenario, out: &mut Vec<Difference>) {
    for node in &scenario.nodes {
        let item = DiffItem::Node(node.id.clone());
        let Some(before) = reference.node(&node.id) else {
            out.push(Difference {
                item,
                text: format!(
                    "Node added: {} ({})",
                    node.name,
                    units::tonnes_short(node.capacity_t_per_yr)
                ),
            });
            continue;
        };
        let mut changes = Vec::new();
        note_change(
            &mut changes,
            "capacity",
            before.capacity_t_per_yr,
            node.capacity_t_per_yr,
            units::tonnes_short,
        );
        note_change(
            &mut changes,
            "start",
            before.start_year,
            node.start_year,
            |y| y.map_or_else(|| "operating".to_owned(), |y| y.to_string()),
        );
        note_change(
            &mut changes,
            "unit cost",
            before.unit_cost_usd_per_kg,
            node.unit_cost_usd_per_kg,
            |c| c.map_or_else(|| "calibrated".to_owned(), units::usd_per_kg),
        );
        note_change(&mut changes, "status", before.status, node.status, |s| {
            format!("{s:?}")
        });
        if !changes.is_empty() || !same_otherwise(before, node) {
            if changes.is_empty() {
                changes.push("process or phases changed".to_owned());
            }
            out.push(Difference {
                item,
                text: format!("{}: {}", node.name, changes.join(", ")),
            });
        }
    }
    for node in &reference.nodes {
        if scenario.node(&node.id).is_none() {
            out.push(Difference {
                item: DiffItem::Scenario,
                text: format!("Node removed: {}", node.name),
            });
        }
    }
}

/// Appends "label before → after" to `changes` when the two values differ.
fn note_change<T: PartialEq>(
    changes: &mut Vec<String>,
    label: &str,
    before: T,
    after: T,
    show: impl Fn(T) -> String,
) {
    if before != after {
        changes.push(format!("{label} from {} to {}", show(before), show(after)));
    }
}

/// Whether two versions of a node agree on everything the summary line above does not name.
fn same_otherwise(before: &Node, after: &Node) -> bool {
    before.process == after.process
        && before.expansions == after.expansions
        && before.ramp_years == after.ramp_years
}

fn demand_differences(reference: &Scenario, scenario: &Scenario, out: &mut Vec<Difference>) {
    fn find<'a>(s: &'a Scenario, d: &Demand) -> Option<&'a Demand> {
        s.demand
            .iter()
            .find(|x| x.region == d.region && x.commodity == d.commodity)
    }
    for demand in &scenario.demand {
        let item = DiffItem::Demand {
            region: demand.region.clone(),
            commodity: demand.commodity.clone(),
        };
        let Some(before) = find(reference, demand) else {
            out.push(Difference {
                item,
                text: format!("Demand added: {} {}", demand.region, demand.commodity),
            });
            continue;
        };
        let mut changes = Vec::new();
        note_change(
            &mut changes,
            "quantity",
            before.reference_t_per_yr,
            demand.reference_t_per_yr,
            units::tonnes_short,
        );
        note_change(
            &mut changes,
            "price",
            before.reference_price_usd_per_kg,
            demand.reference_price_usd_per_kg,
            units::usd_per_kg,
        );
        note_change(
            &mut changes,
            "growth",
            before.growth_per_yr,
            demand.growth_per_yr,
            |g| format!("{:.1} %/yr", g * 100.0),
        );
        note_change(
            &mut changes,
            "elasticity",
            before.elasticity,
            demand.elasticity,
            |e| e.to_string(),
        );
        if !changes.is_empty() {
            out.push(Difference {
                item,
                text: format!(
                    "Demand {} {}: {}",
                    demand.region,
                    demand.commodity,
                    changes.join(", ")
                ),
            });
        }
    }
}

/// Changed default trade costs, and route overrides added or removed.
// The app's fonts have no arrow glyph: changes read "from … to …".
fn trade_differences(reference: &Scenario, scenario: &Scenario, out: &mut Vec<Difference>) {
    let (before, after) = (&reference.trade, &scenario.trade);
    for (name, was, is) in [
        (
            "per border crossing",
            before.border_usd_per_kg,
            after.border_usd_per_kg,
        ),
        (
            "per 1,000 km",
            before.per_1000km_usd_per_kg,
            after.per_1000km_usd_per_kg,
        ),
        (
            "within a country",
            before.domestic_usd_per_kg,
            after.domestic_usd_per_kg,
        ),
    ] {
        if was != is {
            out.push(Difference {
                item: DiffItem::Scenario,
                text: format!("Trade cost {name}: from {was} to {is} $/kg"),
            });
        }
    }
    let route = |r: &crate::model::TradeCostOverride| {
        let goods = r.commodity.as_deref().unwrap_or("every commodity");
        format!("{} to {} ({goods}) at {} $/kg", r.from, r.to, r.usd_per_kg)
    };
    for (change, from, against) in [("added", after, before), ("removed", before, after)] {
        for r in from
            .overrides
            .iter()
            .filter(|r| !against.overrides.contains(r))
        {
            out.push(Difference {
                item: DiffItem::Scenario,
                text: format!("Trade route {change}: {}", route(r)),
            });
        }
    }
    if before.source != after.source {
        out.push(Difference {
            item: DiffItem::Scenario,
            text: "Trade costs' source changed".to_owned(),
        });
    }
}

/// Every difference in assumptions between `reference` and `scenario`: policies first, then
/// nodes, demand and the rest.
pub fn assumption_diff(reference: &Scenario, scenario: &Scenario) -> Vec<Difference> {
    let mut out = Vec::new();
    policy_differences(reference, scenario, &mut out);
    node_differences(reference, scenario, &mut out);
    demand_differences(reference, scenario, &mut out);
    trade_differences(reference, scenario, &mut out);
    let (a, b) = (&reference.meta, &scenario.meta);
    if (a.base_year, a.first_year, a.last_year) != (b.base_year, b.first_year, b.last_year) {
        out.push(Difference {
            item: DiffItem::Scenario,
            text: format!(
                "Horizon from {}–{} to {}–{}",
                a.first_year, a.last_year, b.first_year, b.last_year
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Edit;

    #[test]
    fn a_new_trade_route_is_listed_with_its_countries_and_cost() {
        let baseline = crate::baseline().expect("loads");
        let mut scenario = baseline.clone();
        let mut costs = scenario.trade.clone();
        costs.overrides.push(crate::model::TradeCostOverride {
            from: "AUS".to_owned(),
            to: "JPN".to_owned(),
            commodity: None,
            usd_per_kg: 2.5,
            source: String::new(),
        });
        scenario
            .apply(&Edit::SetTradeCosts(Box::new(costs)))
            .expect("applies");
        let texts: Vec<String> = assumption_diff(&baseline, &scenario)
            .into_iter()
            .map(|d| d.text)
            .collect();
        assert_eq!(
            texts,
            vec!["Trade route added: AUS to JPN (every commodity) at 2.5 $/kg".to_owned()]
        );
    }

    #[test]
    fn a_scenario_equals_itself() {
        let baseline = crate::baseline().expect("loads");
        assert_eq!(assumption_diff(&baseline, &baseline), vec![]);
    }

    #[test]
    fn switched_policies_and_changed_capacities_are_listed_with_their_items() {
        let baseline = crate::baseline().expect("loads");
        let mut scenario = baseline.clone();
        scenario
            .apply(&Edit::SetPolicyEnabled {
                policy: "vn-raw-ore-ban".to_owned(),
                enabled: true,
            })
            .expect("applies");
        scenario
            .apply(&Edit::SetNodeCapacity {
                node: "MINE-AUS-mt_weld_lynas".to_owned(),
                capacity_t_per_yr: 60_000.0,
            })
            .expect("applies");
        let diff = assumption_diff(&baseline, &scenario);
        assert_eq!(
            diff,
            vec![
                Difference {
                    item: DiffItem::Policy("vn-raw-ore-ban".to_owned()),
                    text: "Switched on: Vietnam bans raw rare-earth ore exports".to_owned(),
                },
                Difference {
                    item: DiffItem::Node("MINE-AUS-mt_weld_lynas".to_owned()),
                    text: "Mt Weld (Lynas) + minor: capacity from 50.0 kt to 60.0 kt".to_owned(),
                },
            ]
        );
    }

    #[test]
    fn the_event_scenarios_differ_from_the_baseline_by_their_measures() {
        let baseline = crate::baseline().expect("loads");
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
        let in_force = crate::io::load(&path).expect("loads");
        let diff = assumption_diff(&baseline, &in_force);
        assert_eq!(diff.len(), 11, "{diff:#?}");
        assert!(diff.iter().all(|d| d.text.starts_with("Switched on: ")));
    }
}
