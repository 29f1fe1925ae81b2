//! Reading the data folder: CSV tables as rows of named fields, with errors that name the
//! file, the row and the column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A problem with the data folder.
#[derive(Debug, thiserror::Error)]
pub enum DeriveError {
    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{file}: {message}")]
    Data { file: String, message: String },
    #[error(transparent)]
    Save(#[from] rareflow::io::SaveError),
}

pub fn data_error(file: &str, message: impl Into<String>) -> DeriveError {
    DeriveError::Data {
        file: file.to_owned(),
        message: message.into(),
    }
}

/// One row of a CSV file: column name to trimmed text.
pub type Record = BTreeMap<String, String>;

/// A CSV file as rows of named fields.
pub struct Table {
    pub file: String,
    pub rows: Vec<Record>,
}

impl Table {
    pub fn read(data_dir: &Path, file: &str) -> Result<Self, DeriveError> {
        let path = data_dir.join(file);
        let csv_error = |source| DeriveError::Csv {
            path: path.clone(),
            source,
        };
        let mut reader = csv::Reader::from_path(&path).map_err(csv_error)?;
        let headers = reader.headers().map_err(csv_error)?.clone();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            rows.push(
                headers
                    .iter()
                    .zip(record.iter())
                    .map(|(header, value)| (header.to_owned(), value.trim().to_owned()))
                    .collect(),
            );
        }
        Ok(Self {
            file: file.to_owned(),
            rows,
        })
    }
}

/// Field access with errors that name the file, row and column.
pub trait Row {
    fn text(&self, column: &str) -> &str;
    fn number(&self, table: &Table, column: &str) -> Result<f64, DeriveError>;
    fn optional_number(&self, table: &Table, column: &str) -> Result<Option<f64>, DeriveError>;
    fn optional_year(&self, table: &Table, column: &str) -> Result<Option<i32>, DeriveError>;
}

impl Row for Record {
    fn text(&self, column: &str) -> &str {
        self.get(column).map_or("", String::as_str)
    }

    fn number(&self, table: &Table, column: &str) -> Result<f64, DeriveError> {
        self.optional_number(table, column)?
            .ok_or_else(|| data_error(&table.file, format!("a row has no `{column}`: {self:?}")))
    }

    fn optional_number(&self, table: &Table, column: &str) -> Result<Option<f64>, DeriveError> {
        let text = self.text(column);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>().map(Some).map_err(|_| {
            data_error(
                &table.file,
                format!("`{column}` is not a number: \"{text}\""),
            )
        })
    }

    fn optional_year(&self, table: &Table, column: &str) -> Result<Option<i32>, DeriveError> {
        let text = self.text(column);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<i32>()
            .map(Some)
            .map_err(|_| data_error(&table.file, format!("`{column}` is not a year: \"{text}\"")))
    }
}

/// The one value of `column` that all `rows` share (empty rows ignored); an error names
/// the facility when they disagree.
pub fn shared_text<'a>(
    table: &Table,
    facility: &str,
    rows: &[&'a Record],
    column: &str,
) -> Result<&'a str, DeriveError> {
    let mut values = rows
        .iter()
        .map(|row| row.text(column))
        .filter(|text| !text.is_empty());
    let first = values.next().unwrap_or("");
    if let Some(other) = values.find(|text| *text != first) {
        return Err(data_error(
            &table.file,
            format!("{facility}: rows disagree on `{column}`: \"{first}\" and \"{other}\""),
        ));
    }
    Ok(first)
}

/// Every CSV table the derivation reads.
pub struct Data {
    pub countries: Table,
    pub regions: Table,
    pub compositions: Table,
    pub nodes: Table,
    pub demand: Table,
    pub prices: Table,
    pub sources: Table,
}

impl Data {
    pub fn read(data_dir: &Path) -> Result<Self, DeriveError> {
        Ok(Self {
            countries: Table::read(data_dir, "countries.csv")?,
            regions: Table::read(data_dir, "regions.csv")?,
            compositions: Table::read(data_dir, "mine_composition.csv")?,
            nodes: Table::read(data_dir, "nodes.csv")?,
            demand: Table::read(data_dir, "demand.csv")?,
            prices: Table::read(data_dir, "prices.csv")?,
            sources: Table::read(data_dir, "sources.csv")?,
        })
    }

    /// The citation of a key of `sources.csv`.
    pub fn citation(&self, key: &str) -> Result<&str, DeriveError> {
        self.sources
            .rows
            .iter()
            .find(|row| row.text("key") == key)
            .map(|row| row.text("citation"))
            .ok_or_else(|| data_error(&self.sources.file, format!("no source with key \"{key}\"")))
    }
}
