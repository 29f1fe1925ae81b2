//! Results as tables for people who work in spreadsheets: one CSV file per table, or one
//! XLSX workbook with a sheet per table.
//!
//! | table | a row per |
//! |---|---|
//! | `years` | year: status, welfare (US$ m), solve time |
//! | `markets` | year, region, commodity: consumption, reference, shortfall (t), price ($/kg), price pressure, stock released and bought by magnet makers (t) |
//! | `flows` | year and arc: stage, commodity (empty for concentrate), from, to, t, cost ($/kg) |
//! | `nodes` | year and node: capacity, output (t), utilisation |
//! | `origins` | year, region, commodity and source: share of consumption |
//! | `expansions` | year and expansion option: capacity built before, added, in all (t/yr), output (t) |
//! | `contracts` | year and contract: status (held, short, lapsed), required and delivered (t) |
//!
//! Quantities are t/yr (t REO; magnets t NdFeB), shares and price pressure fractions.

use std::path::{Path, PathBuf};

use crate::io::{SaveError, write_atomically};
use crate::solver::Solution;

/// A table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// Years: written without a decimal point.
    Integer(i64),
    Number(f64),
    Empty,
}

/// A named table with a header row.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn number(value: f64) -> Cell {
    Cell::Number(value)
}

/// A table with its headers and no rows yet.
fn table(name: &'static str, headers: &[&'static str]) -> Table {
    Table {
        name,
        headers: headers.to_vec(),
        rows: Vec::new(),
    }
}

/// Every table of a solution; price pressure against `reference` where given.
pub fn tables(solution: &Solution, reference: Option<&Solution>) -> Vec<Table> {
    let mut years = table("years", &["year", "status", "welfare_musd", "solve_ms"]);
    for year in &solution.years {
        years.rows.push(vec![
            Cell::Integer(i64::from(year.year)),
            text(format!("{:?}", year.status)),
            number(year.welfare_musd),
            number(year.solve_ms),
        ]);
    }
    vec![
        years,
        markets_table(solution, reference),
        flows_table(solution),
        nodes_table(solution),
        origins_table(solution),
        expansions_table(solution),
        contracts_table(solution),
    ]
}

fn markets_table(solution: &Solution, reference: Option<&Solution>) -> Table {
    let mut markets = table(
        "markets",
        &[
            "year",
            "region",
            "commodity",
            "consumption_t",
            "reference_t",
            "shortfall_t",
            "price_usd_per_kg",
            "price_pressure",
            "stock_release_t",
            "to_magnet_makers_t",
        ],
    );
    for year in &solution.years {
        for market in &year.markets {
            let pressure = reference
                .and_then(|r| r.year(year.year))
                .and_then(|r| r.market(&market.region, &market.commodity))
                .and_then(|base| market.price_pressure_against(base))
                .map_or(Cell::Empty, number);
            markets.rows.push(vec![
                Cell::Integer(i64::from(year.year)),
                text(&market.region),
                text(&market.commodity),
                number(market.consumption_t),
                number(market.reference_t),
                number(market.shortfall_t),
                number(market.price_usd_per_kg),
                pressure,
                number(market.stock_release_t),
                number(market.to_magnet_makers_t),
            ]);
        }
    }
    markets
}

fn origins_table(solution: &Solution) -> Table {
    let mut origins = table(
        "origins",
        &["year", "region", "commodity", "source", "share"],
    );
    for year in &solution.years {
        for market in &year.markets {
            for share in &market.origin {
                origins.rows.push(vec![
                    Cell::Integer(i64::from(year.year)),
                    text(&market.region),
                    text(&market.commodity),
                    text(&share.source),
                    number(share.share),
                ]);
            }
        }
    }
    origins
}

fn flows_table(solution: &Solution) -> Table {
    let mut flows = table(
        "flows",
        &[
            "year",
            "stage",
            "commodity",
            "from",
            "from_country",
            "to",
            "target",
            "t",
            "cost_usd_per_kg",
        ],
    );
    for year in &solution.years {
        for flow in &year.flows {
            flows.rows.push(vec![
                Cell::Integer(i64::from(year.year)),
                text(flow.stage.label()),
                flow.commodity.as_deref().map_or(Cell::Empty, text),
                text(&flow.from.id),
                text(flow.from.country_code()),
                text(&flow.to.id),
                text(format!("{:?}", flow.target)),
                number(flow.t),
                number(flow.cost_usd_per_kg),
            ]);
        }
    }
    flows
}

fn nodes_table(solution: &Solution) -> Table {
    let mut nodes = table(
        "nodes",
        &[
            "year",
            "node",
            "country",
            "stage",
            "capacity_t",
            "output_t",
            "utilisation",
        ],
    );
    for year in &solution.years {
        for node in &year.nodes {
            nodes.rows.push(vec![
                Cell::Integer(i64::from(year.year)),
                text(&node.node),
                text(&node.country),
                text(node.stage.label()),
                number(node.capacity_t),
                number(node.output_t),
                number(node.utilisation),
            ]);
        }
    }
    nodes
}

fn expansions_table(solution: &Solution) -> Table {
    let mut expansions = table(
        "expansions",
        &[
            "year",
            "option",
            "stage",
            "country",
            "commodity",
            "built_before_t_per_yr",
            "added_t_per_yr",
            "capacity_t_per_yr",
            "output_t",
        ],
    );
    for year in &solution.years {
        for expansion in &year.expansions {
            expansions.rows.push(vec![
                Cell::Integer(i64::from(year.year)),
                text(&expansion.option),
                text(expansion.stage.label()),
                text(&expansion.country),
                expansion.commodity.as_deref().map_or(Cell::Empty, text),
                number(expansion.built_before_t_per_yr),
                number(expansion.added_t_per_yr),
                number(expansion.capacity_t_per_yr),
                number(expansion.output_t),
            ]);
        }
    }
    expansions
}

fn contracts_table(solution: &Solution) -> Table {
    let mut contracts = table(
        "contracts",
        &["year", "contract", "status", "required_t", "delivered_t"],
    );
    for year in &solution.years {
        for contract in &year.contracts {
            contracts.rows.push(vec![
                Cell::Integer(i64::from(year.year)),
                text(&contract.contract),
                text(format!("{:?}", contract.status)),
                number(contract.required_t),
                number(contract.delivered_t),
            ]);
        }
    }
    contracts
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Write(#[from] SaveError),
    #[error("{path}: cannot create the folder: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot build the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

fn csv_text(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&table.headers)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(text) => text.clone(),
            Cell::Integer(value) => value.to_string(),
            // Full precision: what is read back is what was solved.
            Cell::Number(value) => format!("{value:?}"),
            Cell::Empty => String::new(),
        }))?;
    }
    writer
        .into_inner()
        .map_err(|error| ExportError::Csv(error.into_error().into()))
}

/// Writes each table to `folder/<name>.csv` (the folder is created); returns the paths.
pub fn write_csv_folder(folder: &Path, tables: &[Table]) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(folder).map_err(|source| ExportError::Folder {
        path: folder.to_owned(),
        source,
    })?;
    let mut written = Vec::new();
    for table in tables {
        let path = folder.join(format!("{}.csv", table.name));
        let bytes = csv_text(table)?;
        write_atomically(&path, |file| std::io::Write::write_all(file, &bytes))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes the tables as one workbook, a sheet per table, headers bold and frozen.
pub fn write_xlsx(path: &Path, tables: &[Table]) -> Result<(), ExportError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.name)?;
        for (column, header) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, *header, &bold)?;
            sheet.set_column_width(column as u16, (header.len() as f64 + 4.0).max(10.0))?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (index, row) in table.rows.iter().enumerate() {
            let row_number = index as u32 + 1;
            for (column, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(row_number, column as u16, text)?;
                    }
                    Cell::Number(value) => {
                        sheet.write_number(row_number, column as u16, *value)?;
                    }
                    Cell::Integer(value) => {
                        sheet.write_number(row_number, column as u16, *value as f64)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    let bytes = workbook.save_to_buffer()?;
    write_atomically(path, |file| std::io::Write::write_all(file, &bytes))?;
    Ok(())
}
