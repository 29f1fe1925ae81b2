//! Scenarios as spreadsheets: exported tables read back give the same scenario, edits
//! show in the preview and the result, and bad rows are refused by row and column.

use std::path::{Path, PathBuf};

use rareflow::export::{write_csv_folder, write_xlsx};
use rareflow::model::{Process, Scenario};
use rareflow::scenario_tables::{
    Import, MergeOptions, RawTable, merge_tables, read_csv_folder, read_xlsx, scenario_tables,
};

fn scenario_files() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("scenarios/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 7, "every shipped scenario");
    files
}

fn export_csv(scenario: &Scenario) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("temp dir");
    write_csv_folder(folder.path(), &scenario_tables(scenario)).expect("writes");
    folder
}

fn import_csv(base: &Scenario, folder: &Path) -> Import {
    let tables = read_csv_folder(folder).expect("reads");
    merge_tables(base, &tables, MergeOptions::default())
}

fn assert_round_trip(base: &Scenario, tables: &[RawTable], what: &str) {
    let import = merge_tables(base, tables, MergeOptions::default());
    assert!(
        import.preview.refused.is_empty(),
        "{what}: {:?}",
        import.preview.refused
    );
    assert!(import.preview.is_empty(), "{what}: {:?}", import.preview);
    assert!(import.preview.not_in_tables.is_empty(), "{what}");
    let merged = import.scenario.expect("merged");
    assert_eq!(&merged, base, "{what}");
    let (merged_ron, base_ron) = (
        rareflow::io::to_ron_string(&merged).expect("ron"),
        rareflow::io::to_ron_string(base).expect("ron"),
    );
    let first_difference = merged_ron
        .lines()
        .zip(base_ron.lines())
        .enumerate()
        .find(|(_, (merged, base))| merged != base);
    assert_eq!(first_difference, None, "{what}: byte-identical RON");
    assert_eq!(merged_ron, base_ron, "{what}: byte-identical RON");
}

#[test]
fn every_scenario_round_trips_through_csv_and_xlsx() {
    let mut checked = 0;
    for path in scenario_files() {
        let scenario = rareflow::io::load(&path).expect("loads");
        let folder = export_csv(&scenario);
        let tables = read_csv_folder(folder.path()).expect("reads");
        assert_eq!(tables.len(), 12);
        assert_round_trip(&scenario, &tables, &format!("{} (CSV)", path.display()));

        let workbook = folder.path().join("scenario.xlsx");
        write_xlsx(&workbook, &scenario_tables(&scenario)).expect("writes");
        let sheets = read_xlsx(&workbook).expect("reads");
        assert_eq!(sheets.len(), 12);
        assert_round_trip(&scenario, &sheets, &format!("{} (XLSX)", path.display()));
        checked += 1;
    }
    assert_eq!(checked, 7);
}
