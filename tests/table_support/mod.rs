//! Editing an exported table as a person does in a spreadsheet: read the CSV, change cells,
//! write it back. Shared by the spreadsheet round-trip tests.

use std::path::Path;

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
