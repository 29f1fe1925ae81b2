//! `assumptions.csv`: the modelling constants that shape answers (recipes, recovery,
//! ramps, transport costs, price weights, demand curves), each with its unit, source key
//! and notes.
//!
//! A row is found by `key` and, for constants that differ by commodity or the like, by
//! `applies_to` (empty for a single value). Adding a parameter is adding a row and reading
//! it here; a row that the derivation never reads is an error, so a misspelt key cannot
//! silently fall back to something else.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;

use crate::table::{Data, DeriveError, Record, Row, Table, data_error};

/// The file name inside the data folder.
pub const FILE: &str = "assumptions.csv";

/// One constant, with where it comes from.
pub struct Assumption<'a> {
    pub value: f64,
    /// The `notes` column: the reason, quoted where a scenario text states it.
    pub notes: &'a str,
    /// The citation of the row's `source` key in `sources.csv`.
    pub citation: &'a str,
}

/// The rows of `assumptions.csv`, remembering which were read.
pub struct Assumptions<'d> {
    table: Table,
    data: &'d Data,
    read: RefCell<BTreeSet<(String, String)>>,
}

impl<'d> Assumptions<'d> {
    pub fn read(data_dir: &Path, data: &'d Data) -> Result<Self, DeriveError> {
        let table = Table::read(data_dir, FILE)?;
        let mut seen = BTreeSet::new();
        for row in &table.rows {
            let key = (row.text("key"), row.text("applies_to"));
            if !seen.insert(key) {
                return Err(data_error(
                    FILE,
                    format!("{} for \"{}\" is given twice", key.0, key.1),
                ));
            }
            row.number(&table, "value")?;
            data.citation(row.text("source"))?;
        }
        Ok(Self {
            table,
            data,
            read: RefCell::new(BTreeSet::new()),
        })
    }

    fn row(&self, key: &str, applies_to: &str) -> Result<&Record, DeriveError> {
        let row = self
            .table
            .rows
            .iter()
            .find(|row| row.text("key") == key && row.text("applies_to") == applies_to)
            .ok_or_else(|| {
                let which = if applies_to.is_empty() {
                    String::new()
                } else {
                    format!(" for \"{applies_to}\"")
                };
                data_error(FILE, format!("no row `{key}`{which}"))
            })?;
        self.read
            .borrow_mut()
            .insert((key.to_owned(), applies_to.to_owned()));
        Ok(row)
    }

    /// The constant `key` for `applies_to` (a commodity id, a price series, ...).
    pub fn get_for(&self, key: &str, applies_to: &str) -> Result<Assumption<'_>, DeriveError> {
        let row = self.row(key, applies_to)?;
        Ok(Assumption {
            value: row.number(&self.table, "value")?,
            notes: row.text("notes"),
            citation: self.data.citation(row.text("source"))?,
        })
    }

    /// The single constant `key` (its `applies_to` is empty).
    pub fn get(&self, key: &str) -> Result<Assumption<'_>, DeriveError> {
        self.get_for(key, "")
    }

    /// The value of the single constant `key`.
    pub fn value(&self, key: &str) -> Result<f64, DeriveError> {
        Ok(self.get(key)?.value)
    }

    /// A constant that counts something (years): a whole, non-negative number.
    pub fn whole_number(&self, key: &str) -> Result<u32, DeriveError> {
        let value = self.value(key)?;
        if value.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&value) {
            return Err(data_error(
                FILE,
                format!("`{key}` must be a whole number (got {value})"),
            ));
        }
        Ok(value as u32)
    }

    /// A constant that is a calendar year.
    pub fn year(&self, key: &str) -> Result<i32, DeriveError> {
        let value = self.value(key)?;
        if value.fract() != 0.0 || !(1900.0..=2200.0).contains(&value) {
            return Err(data_error(
                FILE,
                format!("`{key}` must be a year (got {value})"),
            ));
        }
        Ok(value as i32)
    }

    /// Fails on rows the derivation has not read: a misspelt or retired key.
    pub fn all_read(&self) -> Result<(), DeriveError> {
        let read = self.read.borrow();
        let unread: Vec<String> = self
            .table
            .rows
            .iter()
            .map(|row| {
                (
                    row.text("key").to_owned(),
                    row.text("applies_to").to_owned(),
                )
            })
            .filter(|key| !read.contains(key))
            .map(|(key, applies_to)| format!("{key} ({applies_to})"))
            .collect();
        if unread.is_empty() {
            Ok(())
        } else {
            Err(data_error(
                FILE,
                format!(
                    "rows that nothing reads (misspelt, or read them in the xtask): {}",
                    unread.join(", ")
                ),
            ))
        }
    }
}
