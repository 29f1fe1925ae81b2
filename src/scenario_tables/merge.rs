//! Merging read tables into a scenario by id, the preview of what changes, and the
//! refusals (with row and column) when anything is wrong.

use std::collections::{BTreeMap, BTreeSet};

use super::columns::{self as col};
use super::merge_state::{Merge, MergeOptions, Provenance};
use super::read::RawTable;
use super::uncertainty_tables::{self as ranges, ProblemPlace};
use super::write;
use super::{Import, ImportPreview, PreviewEntry, Refusal};
use crate::export::Cell;
use crate::model::{Problem, Scenario, validate};

/// Merges `tables` into `base` and says what changes; refuses everything when any row is
/// wrong or the result does not validate.
pub fn merge_tables(base: &Scenario, tables: &[RawTable], options: MergeOptions) -> Import {
    let shape: Vec<Refusal> = tables.iter().flat_map(RawTable::shape_refusals).collect();
    if !shape.is_empty() {
        return refused(shape);
    }
    let mut merge = Merge {
        base,
        options,
        refusals: Vec::new(),
        provenance: Provenance::new(),
        not_in_tables: Vec::new(),
    };
    let mut scenario = base.clone();
    super::parse_market::merge_scenario_row(&mut merge, tables, &mut scenario.meta);
    scenario.nodes = super::parse_nodes::merge_nodes(&mut merge, tables);
    super::parse_market::merge_market(&mut merge, tables, &mut scenario);
    ranges::merge_uncertainty(&mut merge, tables, &mut scenario);
    if !merge.refusals.is_empty() {
        return refused(merge.refusals);
    }
    let problems = validate(&scenario);
    if !problems.is_empty() {
        let refusals = problems
            .iter()
            .map(|problem| refusal_for_problem(&merge.provenance, &scenario, problem))
            .collect();
        return refused(refusals);
    }
    let mut preview = preview(base, &scenario);
    preview.not_in_tables = merge.not_in_tables;
    Import {
        preview,
        scenario: Some(scenario),
    }
}

fn refused(refusals: Vec<Refusal>) -> Import {
    Import {
        preview: ImportPreview {
            refused: refusals,
            ..ImportPreview::default()
        },
        scenario: None,
    }
}

/// The rows of a node in one of its child tables (`circuits`, say).
type ChildRows = fn(&crate::model::Node) -> Vec<Vec<Cell>>;

/// The columns in which two rows of the same table differ.
fn changed_columns(columns: &[&str], before: &[Cell], after: &[Cell]) -> Vec<String> {
    columns
        .iter()
        .zip(before.iter().zip(after))
        .filter(|(_, (old, new))| old != new)
        .map(|(column, _)| (*column).to_owned())
        .collect()
}

/// Added, changed and removed items of one table, by key.
fn compare<T>(
    preview: &mut ImportPreview,
    table: &str,
    before: &[T],
    after: &[T],
    key_of: impl Fn(&T) -> String,
    fields: impl Fn(&T, &T) -> Vec<String>,
) {
    let entry = |id: String, fields: Vec<String>| PreviewEntry {
        table: table.to_owned(),
        id,
        fields,
    };
    let old: BTreeMap<String, &T> = before.iter().map(|item| (key_of(item), item)).collect();
    let new_keys: BTreeSet<String> = after.iter().map(&key_of).collect();
    for item in after {
        let key = key_of(item);
        match old.get(&key) {
            None => preview.added.push(entry(key, Vec::new())),
            Some(previous) => {
                let changed = fields(previous, item);
                if !changed.is_empty() {
                    preview.changed.push(entry(key, changed));
                }
            }
        }
    }
    for item in before {
        let key = key_of(item);
        if !new_keys.contains(&key) {
            preview.removed.push(entry(key, Vec::new()));
        }
    }
}

/// The columns of a node's row, and the child tables, in which two versions differ.
fn node_fields(old: &crate::model::Node, new: &crate::model::Node) -> Vec<String> {
    let mut fields = changed_columns(
        col::NODE_COLUMNS,
        &write::node_row(old),
        &write::node_row(new),
    );
    let children: [(&str, ChildRows); 4] = [
        (col::COMPOSITIONS, write::composition_rows),
        (col::CIRCUITS, write::circuit_rows),
        (col::RECIPES, write::recipe_rows),
        (col::NODE_EXPANSIONS, write::node_expansion_rows),
    ];
    for (table, rows) in children {
        if rows(old) != rows(new) {
            fields.push(table.to_owned());
        }
    }
    if old.reported_output != new.reported_output {
        fields.push("reported_output".to_owned());
    }
    fields
}

/// What differs between the scenario before and after, table by table.
fn preview(before: &Scenario, after: &Scenario) -> ImportPreview {
    let mut preview = ImportPreview::default();
    let meta_fields = |old: &Scenario, new: &Scenario| {
        let rows = |s: &Scenario| write::scenario_row(&s.meta);
        changed_columns(col::SCENARIO_COLUMNS, &rows(old), &rows(new))
    };
    let fields = meta_fields(before, after);
    if !fields.is_empty() {
        preview.changed.push(PreviewEntry {
            table: col::SCENARIO.to_owned(),
            id: after.meta.name.clone(),
            fields,
        });
    }
    compare(
        &mut preview,
        col::NODES,
        &before.nodes,
        &after.nodes,
        |n| n.id.clone(),
        node_fields,
    );
    compare(
        &mut preview,
        col::DEMAND,
        &before.demand,
        &after.demand,
        super::parse_market::demand_key,
        |old, new| {
            changed_columns(
                col::DEMAND_COLUMNS,
                &write::demand_row(old),
                &write::demand_row(new),
            )
        },
    );
    compare(
        &mut preview,
        col::POLICIES,
        &before.policies,
        &after.policies,
        |p| p.id.clone(),
        |old, new| {
            changed_columns(
                col::POLICY_COLUMNS,
                &write::policy_row(old),
                &write::policy_row(new),
            )
        },
    );
    let trade_fields = |old: &Scenario, new: &Scenario| {
        let rows = |s: &Scenario| write::trade_defaults_row(&s.trade);
        changed_columns(col::TRADE_DEFAULT_COLUMNS, &rows(old), &rows(new))
    };
    let fields = trade_fields(before, after);
    if !fields.is_empty() {
        preview.changed.push(PreviewEntry {
            table: col::TRADE_DEFAULTS.to_owned(),
            id: "defaults".to_owned(),
            fields,
        });
    }
    compare(
        &mut preview,
        col::TRADE_COSTS,
        &before.trade.overrides,
        &after.trade.overrides,
        super::parse_market::trade_cost_key,
        |old, new| {
            changed_columns(
                col::TRADE_COST_COLUMNS,
                &write::trade_cost_row(old),
                &write::trade_cost_row(new),
            )
        },
    );
    compare(
        &mut preview,
        col::EXPANSION_OPTIONS,
        &before.expansion,
        &after.expansion,
        |o| o.id.clone(),
        |old, new| {
            changed_columns(
                col::EXPANSION_OPTION_COLUMNS,
                &write::expansion_option_row(old),
                &write::expansion_option_row(new),
            )
        },
    );
    compare(
        &mut preview,
        col::CONTRACTS,
        &before.contracts,
        &after.contracts,
        |c| c.id.clone(),
        |old, new| {
            changed_columns(
                col::CONTRACT_COLUMNS,
                &write::contract_row(old),
                &write::contract_row(new),
            )
        },
    );
    compare(
        &mut preview,
        col::UNCERTAINTY,
        &before.uncertainty,
        &after.uncertainty,
        ranges::range_key,
        |old, new| {
            changed_columns(
                col::UNCERTAINTY_COLUMNS,
                &ranges::uncertainty_row(old),
                &ranges::uncertainty_row(new),
            )
        },
    );
    compare(
        &mut preview,
        col::CORRELATIONS,
        &before.correlations,
        &after.correlations,
        ranges::correlation_key,
        |old, new| {
            changed_columns(
                col::CORRELATION_COLUMNS,
                &ranges::correlation_row(old),
                &ranges::correlation_row(new),
            )
        },
    );
    preview
}

/// Where a validation problem sits in the tables: table, key, column and which of the
/// item's rows (for child tables such as `circuits`).
struct Place {
    table: &'static str,
    key: String,
    column: String,
    index: usize,
    /// The part of the cell at fault, when the cell holds several values (`low` of a
    /// range's `params`).
    detail: Option<String>,
}

/// The quoted id in an item such as `node "X"`.
fn quoted(item: &str, prefix: &str) -> Option<String> {
    item.strip_prefix(prefix)?
        .strip_prefix('"')?
        .strip_suffix('"')
        .map(str::to_owned)
}

/// The index in a field such as `circuits[2].capacity_t_per_yr` (0 without one).
fn field_index(field: &str) -> usize {
    field
        .split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .and_then(|(index, _)| index.parse().ok())
        .unwrap_or(0)
}

fn node_place(key: String, field: &str, message: &str) -> Place {
    let unknown = message.starts_with("unknown");
    let after_dot = field.rsplit_once('.').map(|(_, last)| last);
    let (table, column) =
        if field.starts_with("composition") || field.starts_with("feed.composition") {
            (
                col::COMPOSITIONS,
                if unknown { "commodity" } else { "share" },
            )
        } else if field.starts_with("circuits") {
            (col::CIRCUITS, after_dot.unwrap_or("commodity"))
        } else if field.starts_with("recipe") {
            (col::RECIPES, if unknown { "commodity" } else { "t_per_t" })
        } else if field.starts_with("expansions") {
            (col::NODE_EXPANSIONS, after_dot.unwrap_or("year"))
        } else {
            (col::NODES, field)
        };
    let index = if field.contains("].") {
        field_index(field)
    } else {
        0
    };
    Place {
        table,
        key,
        column: column.to_owned(),
        index,
        detail: None,
    }
}

fn place_of(scenario: &Scenario, problem: &Problem) -> Option<Place> {
    let (item, field) = (problem.item.as_str(), problem.field.as_str());
    let simple = |table, key: String, column: &str| Place {
        table,
        key,
        column: column.to_owned(),
        index: 0,
        detail: None,
    };
    if let Some(found) = ranges::problem_place(item, field, &problem.message) {
        let ProblemPlace {
            table,
            key,
            column,
            detail,
        } = found;
        return Some(Place {
            detail,
            ..simple(table, key, column)
        });
    }
    if let Some(key) = quoted(item, "node ") {
        return Some(node_place(key, field, &problem.message));
    }
    if let Some(key) = quoted(item, "policy ") {
        let column = match field {
            "exporter" | "importer" => "country",
            "goods.commodities" | "commodity" => "commodities",
            "destinations" | "origins" => "partners",
            "holder" => "region",
            "stage" => "stages",
            other => other,
        };
        return Some(simple(col::POLICIES, key, column));
    }
    if let Some(key) = item.strip_prefix("demand ") {
        return Some(simple(
            col::DEMAND,
            key.to_owned(),
            &field.replace("long_run.", "long_run_"),
        ));
    }
    if let Some(key) = quoted(item, "expansion option ") {
        return Some(simple(col::EXPANSION_OPTIONS, key, field));
    }
    if let Some(key) = quoted(item, "contract ") {
        return Some(simple(col::CONTRACTS, key, field));
    }
    if let Some(rest) = item.strip_prefix("trade cost override ") {
        let index: usize = rest.split(' ').next()?.parse().ok()?;
        let route = scenario.trade.overrides.get(index)?;
        return Some(simple(
            col::TRADE_COSTS,
            super::parse_market::trade_cost_key(route),
            field,
        ));
    }
    match item {
        "trade costs" => Some(simple(col::TRADE_DEFAULTS, String::new(), field)),
        "scenario" => Some(simple(
            col::SCENARIO,
            String::new(),
            field.trim_start_matches("meta."),
        )),
        _ => None,
    }
}

/// A validation problem of the merged scenario as a refusal of the row it comes from: the
/// row of its table, else (a node's list with no rows of its own) the node's row.
fn refusal_for_problem(provenance: &Provenance, scenario: &Scenario, problem: &Problem) -> Refusal {
    let Some(place) = place_of(scenario, problem) else {
        return Refusal {
            table: "scenario file".to_owned(),
            row: None,
            column: None,
            reason: problem.to_string(),
        };
    };
    let reason = match &place.detail {
        Some(detail) => format!("{}: {detail} {}", problem.item, problem.message),
        None => format!("{}: {}", problem.item, problem.message),
    };
    if let Some((origin, rows)) = provenance.get(&(place.table.to_owned(), place.key.clone())) {
        return Refusal {
            table: origin.clone(),
            row: rows.get(place.index).or(rows.first()).copied(),
            column: Some(place.column),
            reason,
        };
    }
    let node_row = provenance
        .get(&(col::NODES.to_owned(), place.key.clone()))
        .filter(|_| place.table != col::NODES && !place.key.is_empty());
    match node_row {
        Some((origin, rows)) => Refusal {
            table: origin.clone(),
            row: rows.first().copied(),
            column: None,
            reason: format!("{reason} (no rows in {})", place.table),
        },
        None => Refusal {
            table: place.table.to_owned(),
            row: None,
            column: Some(place.column),
            reason: format!("{reason} (the item has no row in the tables)"),
        },
    }
}
