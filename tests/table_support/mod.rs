//! Exporting a scenario's tables, editing them as a person does in a spreadsheet (read the
//! CSV, change cells, write it back) and importing them. Shared by the spreadsheet
//! round-trip tests.

use std::path::Path;

use rareflow::export::write_csv_folder;
use rareflow::model::Scenario;
use rareflow::scenario_tables::{
    Import, MergeOptions, merge_tables, read_csv_folder, scenario_tables,
};

/// The scenario's tables written as CSV files into a fresh folder.
pub fn export_csv(scenario: &Scenario) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("temp dir");
    write_csv_folder(folder.path(), &scenario_tables(scenario)).expect("writes");
    folder
}

/// The CSV folder's tables merged into `base`.
pub fn import_csv(base: &Scenario, folder: &Path) -> Import {
    let tables = read_csv_folder(folder).expect("reads");
    merge_tables(base, &tables, MergeOptions::default())
}

/// Rewrites `folder/<table>.csv` after `change` has edited its rows (the header is row 0).
pub fn edit_csv(folder: &Path, table: &str, change: impl FnOnce(&mut Vec<Vec<String>>)) {
    let path = folder.join(format!("{table}.csv"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(&path)
        .expect("opens");
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|record| record.expect("row").iter().map(str::to_owned).collect())
        .collect();
    change(&mut rows);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(&path)
        .expect("creates");
    for row in rows {
        writer.write_record(row).expect("writes");
    }
    writer.flush().expect("flushes");
}

/// The position of the column headed `name`.
pub fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).expect("column")
}
