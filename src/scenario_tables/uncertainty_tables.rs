//! The `uncertainty` and `correlations` tables: the scenario's ranges on guessed numbers
//! (a row per range, keyed by its id like the other tables) and the rank correlations
//! between them (a row per pair of range ids), written, merged back and compared like the
//! other tables.
//!
//! A row may leave `id` (and `label`) empty: it then names the range on its target, the
//! number it varies, so a planner adding or changing ranges in a spreadsheet need not
//! know ids. It replaces the scenario's range on that target, or, when there is none,
//! adds one with an id as the inspector would give it (`<item>-start`,
//! `<item>-capacity`…) and its target's description as its label.

use std::collections::BTreeSet;

use super::Refusal;
use super::columns::{self as col};
use super::merge_state::{KeyedRow, Merge, find, keyed_rows};
use super::read::{RawTable, Row};
use crate::export::{Cell, Table};
use crate::model::uncertainty::fresh_input_id;
use crate::model::{
    DISTRIBUTION_KINDS, Distribution, InputCorrelation, Scenario, TARGET_KINDS, UncertainInput,
    UncertainTarget,
};

/// The key of a range: its id.
pub(super) fn range_key(input: &UncertainInput) -> String {
    input.id.clone()
}

/// The key of a correlation: its two ids in sorted order, `a & b` (a pair is one
/// correlation whichever input is named first).
pub(super) fn correlation_key(pair: &InputCorrelation) -> String {
    pair_key(&pair.first, &pair.second)
}

fn pair_key(first: &str, second: &str) -> String {
    let (a, b) = if first <= second {
        (first, second)
    } else {
        (second, first)
    };
    format!("{a} & {b}")
}

fn text(value: &str) -> Cell {
    Cell::Text(value.to_owned())
}

/// A range's row, in [`col::UNCERTAINTY_COLUMNS`] order.
pub(super) fn uncertainty_row(input: &UncertainInput) -> Vec<Cell> {
    vec![
        text(input.target.kind_name()),
        text(input.target.item()),
        text(&input.id),
        text(&input.label),
        text(input.distribution.kind_name()),
        text(&input.distribution.params_text()),
        text(&input.source),
        text(&input.notes),
        Cell::Empty,
    ]
}

/// A correlation's row, in [`col::CORRELATION_COLUMNS`] order.
pub(super) fn correlation_row(pair: &InputCorrelation) -> Vec<Cell> {
    vec![
        text(&pair.first),
        text(&pair.second),
        Cell::Number(pair.rank_correlation),
        text(&pair.source),
        Cell::Empty,
    ]
}

/// The two tables, written even when empty: a planner can add ranges to a scenario that
/// has none, and a CSV folder exported again never keeps an older file's ranges.
pub(super) fn tables(scenario: &Scenario) -> [Table; 2] {
    [
        Table {
            name: col::UNCERTAINTY,
            headers: col::UNCERTAINTY_COLUMNS.to_vec(),
            rows: scenario.uncertainty.iter().map(uncertainty_row).collect(),
        },
        Table {
            name: col::CORRELATIONS,
            headers: col::CORRELATION_COLUMNS.to_vec(),
            rows: scenario.correlations.iter().map(correlation_row).collect(),
        },
    ]
}

/// Merges the `uncertainty` table, then `correlations` (which name ranges by id), into
/// `scenario`; call it after the items ranges name (nodes, policies, options) are merged.
pub(super) fn merge_uncertainty(
    merge: &mut Merge<'_>,
    tables: &[RawTable],
    scenario: &mut Scenario,
) {
    let base = merge.base;
    if let Some(table) = find(tables, col::UNCERTAINTY) {
        let rows = range_rows(merge, table, &base.uncertainty);
        scenario.uncertainty = merge.keyed(table, &base.uncertainty, range_key, rows);
    }
    if let Some(table) = find(tables, col::CORRELATIONS) {
        // The correlations taken together (a matrix that cannot hold) belong to no one
        // row: the table is named without a row.
        merge
            .provenance
            .entry((table.name.clone(), String::new()))
            .or_insert_with(|| (table.origin.clone(), Vec::new()));
        let rows = keyed_rows(
            merge,
            table,
            |row, errors| pair_key(&row.id("first", errors), &row.id("second", errors)),
            // Empty ids are refused by the key already.
            |row, errors| InputCorrelation {
                first: row.trimmed("first").to_owned(),
                second: row.trimmed("second").to_owned(),
                rank_correlation: row.number("rank_correlation", errors),
                source: row.text("source"),
            },
        );
        scenario.correlations = merge.keyed(table, &base.correlations, correlation_key, rows);
    }
}

/// The rows of the `uncertainty` table keyed by id, a row without one named after the
/// range on its target (see the module's doc).
fn range_rows(
    merge: &mut Merge<'_>,
    table: &RawTable,
    base: &[UncertainInput],
) -> Vec<KeyedRow<UncertainInput>> {
    let mut taken: BTreeSet<String> = base.iter().map(|input| input.id.clone()).collect();
    taken.extend(table.rows().map(|row| row.trimmed("id").to_owned()));
    let mut rows = Vec::new();
    for row in table.rows() {
        let mut errors = Vec::new();
        let mut input = range_from_row(&row, &mut errors);
        if !errors.is_empty() {
            merge.refusals.extend(errors);
            continue;
        }
        let replaced = base.iter().find(|old| old.target == input.target);
        if input.id.is_empty() {
            input.id = match replaced {
                Some(old) => old.id.clone(),
                None => fresh_input_id(&input.target, |id| taken.contains(id)),
            };
            taken.insert(input.id.clone());
        }
        if input.label.trim().is_empty() {
            input.label = match replaced {
                Some(old) => old.label.clone(),
                None => capitalised(&input.target.describe()),
            };
        }
        rows.push(KeyedRow {
            row: row.number,
            key: input.id.clone(),
            item: (!row.wants_removal()).then_some(input),
        });
    }
    rows
}

/// A range from its row; a row that removes its range still names its target (for a
/// row without an id) but needs no distribution.
fn range_from_row(row: &Row<'_>, errors: &mut Vec<Refusal>) -> UncertainInput {
    let item = row.id("item", errors);
    let kind = row.choice("target", &TARGET_KINDS, errors);
    // An unknown kind is refused; the placeholder is never merged.
    let target = UncertainTarget::from_kind(&kind, &item)
        .unwrap_or(UncertainTarget::NodeCapacity { node: item });
    let mut distribution = Distribution::Uniform {
        low: 1.0,
        high: 1.0,
    };
    if !row.wants_removal() {
        let distribution_kind = row.choice("distribution", &DISTRIBUTION_KINDS, errors);
        let params = row.trimmed("params");
        if DISTRIBUTION_KINDS.contains(&distribution_kind.as_str()) {
            match Distribution::parse(&distribution_kind, params) {
                Ok(parsed) => distribution = parsed,
                Err(reason) => errors.push(row.refusal("params", reason)),
            }
            refuse_non_finite(row, params, errors);
        }
    }
    UncertainInput {
        id: row.trimmed("id").to_owned(),
        label: row.text("label"),
        target,
        distribution,
        source: row.text("source"),
        notes: row.text("notes"),
    }
}

/// `NaN` and `inf` read as numbers in Rust; a parameter must be a finite one.
fn refuse_non_finite(row: &Row<'_>, params: &str, errors: &mut Vec<Refusal>) {
    for piece in params.split(';') {
        if let Some((key, value)) = piece.split_once('=')
            && value.trim().parse::<f64>().is_ok_and(|v| !v.is_finite())
        {
            errors.push(row.refusal(
                "params",
                format!("{}={} is not a finite number", key.trim(), value.trim()),
            ));
        }
    }
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Where a validation problem of a range or correlation sits: the table, the row's key,
/// the column, and the problem's field when the column alone does not say it (`params`
/// holds several numbers).
pub(super) struct ProblemPlace {
    pub table: &'static str,
    pub key: String,
    pub column: &'static str,
    pub detail: Option<String>,
}

/// The place of a problem whose item is `uncertain input "ID"`, `correlation of "A" and
/// "B"` or `correlations`; `None` for other items.
pub(super) fn problem_place(item: &str, field: &str, message: &str) -> Option<ProblemPlace> {
    if item == "correlations" {
        return Some(ProblemPlace {
            table: col::CORRELATIONS,
            key: String::new(),
            column: "rank_correlation",
            detail: None,
        });
    }
    if let Some(pair) = item.strip_prefix("correlation of \"") {
        let (first, second) = pair.strip_suffix('"')?.split_once("\" and \"")?;
        let column = col::CORRELATION_COLUMNS
            .iter()
            .find(|column| **column == field)
            .copied()
            .unwrap_or("first");
        return Some(ProblemPlace {
            table: col::CORRELATIONS,
            key: pair_key(first, second),
            column,
            detail: None,
        });
    }
    let id = item.strip_prefix("uncertain input \"")?.strip_suffix('"')?;
    let kind_mismatch = message.contains("year slip") || message.contains("YearSlip");
    let (column, detail) = match field {
        "id" | "label" | "source" | "notes" => (
            col::UNCERTAINTY_COLUMNS
                .iter()
                .find(|column| **column == field)
                .copied()
                .unwrap_or("id"),
            None,
        ),
        "distribution" if kind_mismatch => ("distribution", None),
        "distribution" => ("params", None),
        _ if field.starts_with("distribution.") => (
            "params",
            field.strip_prefix("distribution.").map(str::to_owned),
        ),
        _ => ("item", None),
    };
    Some(ProblemPlace {
        table: col::UNCERTAINTY,
        key: id.to_owned(),
        column,
        detail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_a_cell_per_column() {
        let input = UncertainInput {
            id: "x".to_owned(),
            label: "X".to_owned(),
            target: UncertainTarget::DemandGrowth {
                commodity: "NDPR".to_owned(),
            },
            distribution: Distribution::Uniform {
                low: 0.5,
                high: 1.5,
            },
            source: "s".to_owned(),
            notes: String::new(),
        };
        assert_eq!(
            uncertainty_row(&input).len(),
            col::UNCERTAINTY_COLUMNS.len()
        );
        let pair = InputCorrelation {
            first: "b".to_owned(),
            second: "a".to_owned(),
            rank_correlation: 0.5,
            source: "s".to_owned(),
        };
        assert_eq!(correlation_row(&pair).len(), col::CORRELATION_COLUMNS.len());
        assert_eq!(correlation_key(&pair), "a & b");
        assert_eq!(range_key(&input), "x");
    }
}
