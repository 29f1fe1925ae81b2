//! Reading tables back: a CSV folder or an XLSX workbook becomes [`RawTable`]s of text
//! cells, and [`Row`] turns a row's cells into values, refusing what does not parse with
//! the row and column named.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader as _};

use super::Refusal;
use super::columns::{self, TABLE_NAMES};

/// A table as read: its header and rows of text cells, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawTable {
    /// The table's name, e.g. `nodes`.
    pub name: String,
    /// How refusals name the table: `nodes.csv` or `sheet nodes`.
    pub origin: String,
    pub headers: Vec<String>,
    /// Each row with its number as a spreadsheet shows it (the header is row 1).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why the tables could not be read at all (a row that does not parse is a [`Refusal`]).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: cannot read: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}: holds none of the scenario tables ({})", TABLE_NAMES.join(", "))]
    NoTables { path: PathBuf },
}

/// Reads every `<table>.csv` of the folder; other files are ignored.
pub fn read_csv_folder(folder: &Path) -> Result<Vec<RawTable>, ReadError> {
    let io_error = |path: &Path, message: String| ReadError::Io {
        path: path.to_owned(),
        message,
    };
    if !folder.is_dir() {
        return Err(io_error(folder, "not a folder".to_owned()));
    }
    let mut tables = Vec::new();
    for name in TABLE_NAMES {
        let path = folder.join(format!("{name}.csv"));
        if !path.exists() {
            continue;
        }
        let text =
            crate::io::read_text(&path).map_err(|error| io_error(&path, error.to_string()))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = Vec::new();
        // Rows are numbered as a spreadsheet shows them (a cell may hold line breaks).
        for (index, record) in reader.records().enumerate() {
            let record = record.map_err(|error| io_error(&path, error.to_string()))?;
            records.push((
                index + 1,
                record.iter().map(str::to_owned).collect::<Vec<_>>(),
            ));
        }
        tables.push(raw_table(name, format!("{name}.csv"), records));
    }
    if tables.is_empty() {
        return Err(ReadError::NoTables {
            path: folder.to_owned(),
        });
    }
    Ok(tables)
}

/// Reads the sheets named like the tables from a workbook; other sheets are ignored.
pub fn read_xlsx(path: &Path) -> Result<Vec<RawTable>, ReadError> {
    let io_error = |message: String| ReadError::Io {
        path: path.to_owned(),
        message,
    };
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(path).map_err(|error| io_error(format!("{error}")))?;
    let mut tables = Vec::new();
    for name in TABLE_NAMES {
        if !workbook.sheet_names().iter().any(|sheet| sheet == name) {
            continue;
        }
        let range = workbook
            .worksheet_range(name)
            .map_err(|error| io_error(format!("sheet {name}: {error}")))?;
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let first_column = range.start().map_or(0, |(_, column)| column as usize);
        let records = range
            .rows()
            .enumerate()
            .map(|(index, cells)| {
                let mut texts = vec![String::new(); first_column];
                texts.extend(cells.iter().map(cell_text));
                (first_row + index + 1, texts)
            })
            .collect();
        tables.push(raw_table(name, format!("sheet {name}"), records));
    }
    if tables.is_empty() {
        return Err(ReadError::NoTables {
            path: path.to_owned(),
        });
    }
    Ok(tables)
}

/// A workbook cell as the text a CSV file would hold: whole numbers without a decimal
/// point, other numbers at full precision.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        // -0.0 keeps its sign (a file that holds it reads back byte-identical).
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 && *value != 0.0 => {
            format!("{}", *value as i64)
        }
        Data::Float(value) if *value == 0.0 && value.is_sign_negative() => "-0.0".to_owned(),
        Data::Float(value) if *value == 0.0 => "0".to_owned(),
        Data::Float(value) => format!("{value:?}"),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => value.to_string(),
        other => other.to_string(),
    }
}

/// The first non-empty record is the header; wholly empty rows are skipped.
fn raw_table(name: &str, origin: String, records: Vec<(usize, Vec<String>)>) -> RawTable {
    let mut records = records
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|cell| !cell.trim().is_empty()));
    let headers = records
        .next()
        .map(|(_, cells)| cells.iter().map(|cell| cell.trim().to_owned()).collect())
        .unwrap_or_default();
    RawTable {
        name: name.to_owned(),
        origin,
        headers,
        rows: records.collect(),
    }
}

impl RawTable {
    /// Refusals for unknown, repeated and missing columns, and for rows longer than the
    /// header (empty when the table's shape is sound).
    pub(super) fn shape_refusals(&self) -> Vec<Refusal> {
        let known = columns::columns_of(&self.name);
        let mut refusals = Vec::new();
        let mut refuse = |row, column: Option<&str>, reason: String| {
            refusals.push(Refusal {
                table: self.origin.clone(),
                row,
                column: column.map(str::to_owned),
                reason,
            });
        };
        for (index, header) in self.headers.iter().enumerate() {
            if header.is_empty() {
                refuse(Some(1), None, format!("column {} has no name", index + 1));
            } else if !known.contains(&header.as_str()) {
                refuse(
                    Some(1),
                    Some(header),
                    format!("unknown column (known: {})", known.join(", ")),
                );
            } else if self.headers[..index].contains(header) {
                refuse(Some(1), Some(header), "the column is repeated".to_owned());
            }
        }
        for column in known {
            if !columns::is_optional_column(column) && !self.headers.iter().any(|h| h == column) {
                refuse(Some(1), Some(column), "missing required column".to_owned());
            }
        }
        for (number, cells) in &self.rows {
            let extra = cells.iter().skip(self.headers.len()).any(|c| !c.is_empty());
            if extra {
                refuse(
                    Some(*number),
                    None,
                    format!(
                        "the row has more cells than the header's {}",
                        self.headers.len()
                    ),
                );
            }
        }
        refusals
    }

    /// The table's rows as [`Row`]s.
    pub(super) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        let index: BTreeMap<&str, usize> = self
            .headers
            .iter()
            .enumerate()
            .map(|(position, header)| (header.as_str(), position))
            .collect();
        self.rows.iter().map(move |(number, cells)| Row {
            table: self,
            number: *number,
            cells,
            index: index.clone(),
        })
    }
}

/// One row being read; every getter refuses what it cannot parse into `refusals`.
pub(super) struct Row<'a> {
    pub table: &'a RawTable,
    pub number: usize,
    cells: &'a [String],
    index: BTreeMap<&'a str, usize>,
}

impl Row<'_> {
    pub fn refusal(&self, column: &str, reason: impl Into<String>) -> Refusal {
        Refusal {
            table: self.table.origin.clone(),
            row: Some(self.number),
            column: Some(column.to_owned()),
            reason: reason.into(),
        }
    }

    /// The cell as written (a missing cell is empty).
    pub fn raw(&self, column: &str) -> &str {
        self.index
            .get(column)
            .and_then(|position| self.cells.get(*position))
            .map_or("", String::as_str)
    }

    /// The cell with surrounding spaces removed (for ids, codes and numbers).
    pub fn trimmed(&self, column: &str) -> &str {
        self.raw(column).trim()
    }

    pub fn is_empty(&self, column: &str) -> bool {
        self.trimmed(column).is_empty()
    }

    pub fn text(&self, column: &str) -> String {
        self.raw(column).to_owned()
    }

    /// An id or code that must be there.
    pub fn id(&self, column: &str, errors: &mut Vec<Refusal>) -> String {
        let value = self.trimmed(column);
        if value.is_empty() {
            errors.push(self.refusal(column, "must not be empty"));
        }
        value.to_owned()
    }

    pub fn optional_text(&self, column: &str) -> Option<String> {
        let value = self.trimmed(column);
        (!value.is_empty()).then(|| value.to_owned())
    }

    pub fn optional_number(&self, column: &str, errors: &mut Vec<Refusal>) -> Option<f64> {
        let value = self.trimmed(column);
        if value.is_empty() {
            return None;
        }
        match value.parse::<f64>() {
            Ok(number) => Some(number),
            Err(_) => {
                errors.push(self.refusal(column, format!("\"{value}\" is not a number")));
                None
            }
        }
    }

    pub fn number(&self, column: &str, errors: &mut Vec<Refusal>) -> f64 {
        let value = self.optional_number(column, errors);
        if value.is_none() && self.is_empty(column) {
            errors.push(self.refusal(column, "a number is needed"));
        }
        value.unwrap_or(0.0)
    }

    pub fn optional_integer<T: std::str::FromStr>(
        &self,
        column: &str,
        errors: &mut Vec<Refusal>,
    ) -> Option<T> {
        let value = self.trimmed(column);
        if value.is_empty() {
            return None;
        }
        match value.parse::<T>() {
            Ok(number) => Some(number),
            Err(_) => {
                errors.push(self.refusal(column, format!("\"{value}\" is not a whole number")));
                None
            }
        }
    }

    pub fn integer<T: std::str::FromStr + Default>(
        &self,
        column: &str,
        errors: &mut Vec<Refusal>,
    ) -> T {
        let value = self.optional_integer(column, errors);
        if value.is_none() && self.is_empty(column) {
            errors.push(self.refusal(column, "a whole number is needed"));
        }
        value.unwrap_or_default()
    }

    pub fn flag(&self, column: &str, errors: &mut Vec<Refusal>) -> bool {
        match parse_flag(self.trimmed(column)) {
            Some(value) => value,
            None => {
                errors.push(self.refusal(
                    column,
                    format!("\"{}\" is neither true nor false", self.trimmed(column)),
                ));
                false
            }
        }
    }

    /// Whether the row asks for its item to be removed.
    pub fn wants_removal(&self) -> bool {
        parse_flag(self.trimmed("remove")) == Some(true)
    }

    /// A `A;B;C` list, without empty entries.
    pub fn list(&self, column: &str) -> Vec<String> {
        self.trimmed(column)
            .split(';')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// One of `words`, refused otherwise.
    pub fn choice(&self, column: &str, words: &[&str], errors: &mut Vec<Refusal>) -> String {
        let value = self.trimmed(column).to_ascii_lowercase();
        if !words.contains(&value.as_str()) {
            errors.push(self.refusal(
                column,
                format!("\"{value}\" is not one of {}", words.join(", ")),
            ));
        }
        value
    }

    /// Refuses every non-empty cell of `columns` that is not in `allowed` (columns of
    /// another kind of item).
    pub fn only_columns(
        &self,
        columns: &[&str],
        allowed: &[&str],
        what: &str,
        errors: &mut Vec<Refusal>,
    ) {
        for column in columns {
            if !allowed.contains(column) && !self.is_empty(column) {
                errors.push(self.refusal(column, format!("does not apply to {what}")));
            }
        }
    }
}

/// `true`/`yes`/`x`/`1` or `false`/`no`/empty/`0`.
fn parse_flag(word: &str) -> Option<bool> {
    match word.to_ascii_lowercase().as_str() {
        "true" | "yes" | "x" | "1" => Some(true),
        "false" | "no" | "" | "0" => Some(false),
        _ => None,
    }
}
