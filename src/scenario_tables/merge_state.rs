//! The state of a merge of tables into a scenario (what it has found so far, and which
//! rows describe which item), shared by the parsers of the tables and by the merge that
//! calls them, so that neither has to import the other.

use std::collections::{BTreeMap, BTreeSet};

use super::read::{RawTable, Row};
use super::{PreviewEntry, Refusal};
use crate::model::Scenario;

/// How rows that are missing from a table are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeOptions {
    /// When true, an item with no row in a table that was read is removed; when false (the
    /// default) it is kept and listed in [`super::ImportPreview::not_in_tables`], and only
    /// rows with `remove` set remove items.
    pub remove_missing_rows: bool,
}

/// A parsed row of a table keyed by id: the item it describes, or `None` when the row
/// asks for the item to be removed.
pub(super) struct KeyedRow<T> {
    pub row: usize,
    pub key: String,
    pub item: Option<T>,
}

/// Which rows of which table describe an item: (table, key) → (origin, row numbers).
pub(super) type Provenance = BTreeMap<(String, String), (String, Vec<usize>)>;

/// The state of a merge: what it has found so far.
pub(super) struct Merge<'a> {
    pub base: &'a Scenario,
    pub options: MergeOptions,
    pub refusals: Vec<Refusal>,
    pub provenance: Provenance,
    pub not_in_tables: Vec<PreviewEntry>,
}

impl Merge<'_> {
    /// Notes that `row` of `table` describes the item `key` (for naming validation
    /// problems by row).
    pub fn note_row(&mut self, table: &RawTable, key: &str, row: usize) {
        self.provenance
            .entry((table.name.clone(), key.to_owned()))
            .or_insert_with(|| (table.origin.clone(), Vec::new()))
            .1
            .push(row);
    }

    /// Merges a keyed table's rows into `base` items: a row replaces the item of its key or
    /// adds one, a removal row removes it; items with no row stay (or go, with
    /// [`MergeOptions::remove_missing_rows`]). Order: the base's, new items at the end.
    pub fn keyed<T: Clone>(
        &mut self,
        table: &RawTable,
        base: &[T],
        key_of: impl Fn(&T) -> String,
        rows: Vec<KeyedRow<T>>,
    ) -> Vec<T> {
        let base_keys: BTreeSet<String> = base.iter().map(&key_of).collect();
        let mut by_key: BTreeMap<String, Option<T>> = BTreeMap::new();
        let mut added = Vec::new();
        for row in rows {
            if by_key.contains_key(&row.key) {
                self.refusals.push(Refusal {
                    table: table.origin.clone(),
                    row: Some(row.row),
                    column: None,
                    reason: format!("\"{}\" has a row already", row.key),
                });
                continue;
            }
            if row.item.is_none() && !base_keys.contains(&row.key) {
                self.refusals.push(Refusal {
                    table: table.origin.clone(),
                    row: Some(row.row),
                    column: Some("remove".to_owned()),
                    reason: format!("there is no \"{}\" to remove", row.key),
                });
                continue;
            }
            self.note_row(table, &row.key, row.row);
            if !base_keys.contains(&row.key)
                && let Some(item) = &row.item
            {
                added.push(item.clone());
            }
            by_key.insert(row.key, row.item);
        }
        let mut merged = Vec::with_capacity(base.len() + added.len());
        for item in base {
            let key = key_of(item);
            match by_key.get(&key) {
                Some(Some(replacement)) => merged.push(replacement.clone()),
                Some(None) => {}
                None if self.options.remove_missing_rows => {}
                None => {
                    self.not_in_tables.push(PreviewEntry {
                        table: table.name.clone(),
                        id: key,
                        fields: Vec::new(),
                    });
                    merged.push(item.clone());
                }
            }
        }
        merged.extend(added);
        merged
    }
}

/// The table of a name among those read.
pub(super) fn find<'t>(tables: &'t [RawTable], name: &str) -> Option<&'t RawTable> {
    tables.iter().find(|table| table.name == name)
}

/// Parses every row of a keyed table with `parse`, which returns the row's key and item;
/// a row with `remove` set needs only its key.
pub(super) fn keyed_rows<T>(
    merge: &mut Merge<'_>,
    table: &RawTable,
    key: impl Fn(&Row<'_>, &mut Vec<Refusal>) -> String,
    parse: impl Fn(&Row<'_>, &mut Vec<Refusal>) -> T,
) -> Vec<KeyedRow<T>> {
    let mut rows = Vec::new();
    for row in table.rows() {
        let mut errors = Vec::new();
        let row_key = key(&row, &mut errors);
        let item = (!row.wants_removal()).then(|| parse(&row, &mut errors));
        if errors.is_empty() {
            rows.push(KeyedRow {
                row: row.number,
                key: row_key,
                item,
            });
        } else {
            merge.refusals.extend(errors);
        }
    }
    rows
}
