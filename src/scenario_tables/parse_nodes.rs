//! The `nodes` table and its child tables (`compositions`, `circuits`, `recipes`,
//! `node_expansions`) merged into the scenario's nodes.

use std::collections::BTreeMap;

use super::columns::{self as col, parse_stage, parse_status};
use super::merge_state::{KeyedRow, Merge, find};
use super::read::{RawTable, Row};
use crate::model::{
    Circuit, Expansion, Node, NodeStatus, Process, RecipeInput, RefineryFeed, Share, Stage,
};

/// The scenario's nodes with the tables' rows merged in.
pub(super) fn merge_nodes(merge: &mut Merge<'_>, tables: &[RawTable]) -> Vec<Node> {
    let base = &merge.base.nodes;
    let mut nodes = match find(tables, col::NODES) {
        Some(table) => {
            let rows = node_rows(merge, table);
            merge.keyed(table, base, |node| node.id.clone(), rows)
        }
        None => base.clone(),
    };
    for table_name in [
        col::COMPOSITIONS,
        col::CIRCUITS,
        col::RECIPES,
        col::NODE_EXPANSIONS,
    ] {
        if let Some(table) = find(tables, table_name) {
            merge_child_table(merge, table, &mut nodes);
        }
    }
    for node in &mut nodes {
        if let Some(before) = base.iter().find(|old| old.id == node.id) {
            follow_refinery_capacity(before, node);
        }
    }
    nodes
}

fn node_rows(merge: &mut Merge<'_>, table: &RawTable) -> Vec<KeyedRow<Node>> {
    let mut rows = Vec::new();
    for row in table.rows() {
        let mut errors = Vec::new();
        let key = row.id("id", &mut errors);
        let item = if row.wants_removal() {
            None
        } else {
            let base = merge.base.node(&key);
            Some(node_from_row(&row, base, &mut errors))
        };
        if errors.is_empty() {
            rows.push(KeyedRow {
                row: row.number,
                key,
                item,
            });
        } else {
            merge.refusals.extend(errors);
        }
    }
    rows
}

/// A node from its row; lists the row cannot hold (composition, circuits, recipe,
/// expansions, reported output) come from `base` when it is of the same stage.
fn node_from_row(row: &Row<'_>, base: Option<&Node>, errors: &mut Vec<super::Refusal>) -> Node {
    let stage_words: Vec<&str> = Stage::ALL.iter().map(|s| col::stage_word(*s)).collect();
    let stage = parse_stage(&row.choice("stage", &stage_words, errors)).unwrap_or(Stage::Mine);
    let status_words: Vec<&str> = col::STATUSES.iter().map(|s| col::status_word(*s)).collect();
    let status =
        parse_status(&row.choice("status", &status_words, errors)).unwrap_or(NodeStatus::Planned);
    let stage_columns: Vec<&str> = col::NODE_STAGE_COLUMNS
        .iter()
        .filter(|(_, owner)| *owner == stage)
        .map(|(column, _)| *column)
        .collect();
    let all_stage_columns: Vec<&str> = col::NODE_STAGE_COLUMNS.iter().map(|(c, _)| *c).collect();
    row.only_columns(
        &all_stage_columns,
        &stage_columns,
        &format!("stage {}", col::stage_word(stage)),
        errors,
    );
    let same_stage = base.filter(|node| node.process.stage() == stage);
    let process = match stage {
        Stage::Mine => Process::Mine {
            ore_type: row.text("ore_type"),
            composition: match same_stage.map(|node| &node.process) {
                Some(Process::Mine { composition, .. }) => composition.clone(),
                _ => Vec::new(),
            },
        },
        Stage::Refinery => refinery_from_row(row, same_stage, errors),
        Stage::Magnet => Process::MagnetPlant {
            product: row.id("product", errors),
            recipe: match same_stage.map(|node| &node.process) {
                Some(Process::MagnetPlant { recipe, .. }) => recipe.clone(),
                _ => Vec::new(),
            },
        },
    };
    Node {
        id: row.trimmed("id").to_owned(),
        name: row.text("name"),
        operator: row.text("operator"),
        country: row.id("country", errors),
        status,
        capacity_t_per_yr: row.number("capacity_t_per_yr", errors),
        start_year: row.optional_integer("start_year", errors),
        ramp_years: row.integer("ramp_years", errors),
        expansions: base.map(|node| node.expansions.clone()).unwrap_or_default(),
        unit_cost_usd_per_kg: row.optional_number("unit_cost_usd_per_kg", errors),
        reported_output: base
            .map(|node| node.reported_output.clone())
            .unwrap_or_default(),
        process,
        source: row.text("source"),
        notes: row.text("notes"),
    }
}

fn refinery_from_row(
    row: &Row<'_>,
    base: Option<&Node>,
    errors: &mut Vec<super::Refusal>,
) -> Process {
    let (base_circuits, base_feed) = match base.map(|node| &node.process) {
        Some(Process::Refinery { circuits, feed, .. }) => (circuits.clone(), Some(feed)),
        _ => (Vec::new(), None),
    };
    let feed = match row
        .choice("feed", &["concentrate", "secondary"], errors)
        .as_str()
    {
        "secondary" => RefineryFeed::Secondary {
            composition: match base_feed {
                Some(RefineryFeed::Secondary { composition }) => composition.clone(),
                _ => Vec::new(),
            },
        },
        _ => RefineryFeed::Concentrate,
    };
    Process::Refinery {
        recovery: row.number("recovery", errors),
        circuits: base_circuits,
        feed,
    }
}

/// Replaces each named node's list by its rows in a child table.
fn merge_child_table(merge: &mut Merge<'_>, table: &RawTable, nodes: &mut [Node]) {
    let mut by_node: BTreeMap<String, Vec<Row<'_>>> = BTreeMap::new();
    for row in table.rows() {
        let node = row.trimmed("node").to_owned();
        let removed_now =
            merge.base.node(&node).is_some() && !nodes.iter().any(|candidate| candidate.id == node);
        if removed_now {
            // The rows of a node this import removes go with it.
            continue;
        }
        if !nodes.iter().any(|candidate| candidate.id == node) {
            let reason = if node.is_empty() {
                "must not be empty".to_owned()
            } else {
                format!("unknown node \"{node}\"")
            };
            merge.refusals.push(row.refusal("node", reason));
            continue;
        }
        merge.note_row(table, &node, row.number);
        by_node.entry(node).or_default().push(row);
    }
    for (node_id, rows) in by_node {
        let Some(node) = nodes.iter_mut().find(|node| node.id == node_id) else {
            continue;
        };
        let mut errors = Vec::new();
        replace_list(table.name.as_str(), node, &rows, &mut errors);
        merge.refusals.extend(errors);
    }
}

fn replace_list(table: &str, node: &mut Node, rows: &[Row<'_>], errors: &mut Vec<super::Refusal>) {
    let description = format!("node \"{}\" is a {}", node.id, node.process.stage().label());
    let wrong_kind = |errors: &mut Vec<super::Refusal>, what: &str| {
        errors.push(rows[0].refusal("node", format!("{description}; it has no {what}")));
    };
    match table {
        col::COMPOSITIONS => {
            let shares: Vec<Share> = rows
                .iter()
                .map(|row| Share {
                    commodity: row.id("commodity", errors),
                    share: row.number("share", errors),
                })
                .collect();
            match &mut node.process {
                Process::Mine { composition, .. }
                | Process::Refinery {
                    feed: RefineryFeed::Secondary { composition },
                    ..
                } => *composition = shares,
                _ => wrong_kind(errors, "composition (a mine's ore or a secondary feed)"),
            }
        }
        col::CIRCUITS => {
            let list: Vec<Circuit> = rows
                .iter()
                .map(|row| Circuit {
                    commodity: row.id("commodity", errors),
                    capacity_t_per_yr: row.number("capacity_t_per_yr", errors),
                    start_year: row.optional_integer("start_year", errors),
                    ramp_years: row.integer("ramp_years", errors),
                })
                .collect();
            match &mut node.process {
                Process::Refinery { circuits, .. } => *circuits = list,
                _ => wrong_kind(errors, "separation circuits"),
            }
        }
        col::RECIPES => {
            let list: Vec<RecipeInput> = rows
                .iter()
                .map(|row| RecipeInput {
                    commodity: row.id("commodity", errors),
                    t_per_t: row.number("t_per_t", errors),
                })
                .collect();
            match &mut node.process {
                Process::MagnetPlant { recipe, .. } => *recipe = list,
                _ => wrong_kind(errors, "recipe"),
            }
        }
        _ => {
            node.expansions = rows
                .iter()
                .map(|row| Expansion {
                    year: row.integer("year", errors),
                    added_t_per_yr: row.number("added_t_per_yr", errors),
                    ramp_years: row.integer("ramp_years", errors),
                    source: row.text("source"),
                })
                .collect();
        }
    }
}

/// A refinery's capacity is the total of the circuits that start with it: a changed
/// capacity with unchanged circuits scales the circuits (as the app's capacity editor
/// does), and changed circuits with an unchanged capacity set the capacity.
fn follow_refinery_capacity(before: &Node, node: &mut Node) {
    let (
        Process::Refinery {
            circuits: old_circuits,
            ..
        },
        Process::Refinery { circuits, .. },
    ) = (&before.process, &mut node.process)
    else {
        return;
    };
    let capacity_changed = before.capacity_t_per_yr != node.capacity_t_per_yr;
    if capacity_changed && circuits == old_circuits {
        let (old_total, new_total) = (before.capacity_t_per_yr, node.capacity_t_per_yr);
        if old_total > 0.0 && new_total.is_finite() && new_total >= 0.0 {
            let factor = new_total / old_total;
            for circuit in circuits.iter_mut() {
                circuit.capacity_t_per_yr *= factor;
            }
        }
    } else if !capacity_changed && circuits != old_circuits {
        node.capacity_t_per_yr = circuits
            .iter()
            .filter(|circuit| circuit.start_year.is_none())
            .map(|circuit| circuit.capacity_t_per_yr)
            .sum();
    }
}
