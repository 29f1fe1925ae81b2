//! Scenarios as spreadsheets: exported tables read back give the same scenario, edits
//! show in the preview and the result, and bad rows are refused by row and column.

mod table_support;

use std::path::{Path, PathBuf};
use table_support::{column, edit_csv, export_csv, import_csv};

use rareflow::export::write_xlsx;
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
        // 12 tables of items, and `uncertainty` and `correlations` (empty here).
        assert_eq!(tables.len(), 14);
        assert_round_trip(&scenario, &tables, &format!("{} (CSV)", path.display()));

        let workbook = folder.path().join("scenario.xlsx");
        write_xlsx(&workbook, &scenario_tables(&scenario)).expect("writes");
        let sheets = read_xlsx(&workbook).expect("reads");
        assert_eq!(sheets.len(), 14);
        assert_round_trip(&scenario, &sheets, &format!("{} (XLSX)", path.display()));
        checked += 1;
    }
    assert_eq!(checked, 7);
}

/// Sets one cell of the row whose first cell is `id`; returns the row's spreadsheet number.
fn set_cell(folder: &Path, table: &str, id: &str, name: &str, value: &str) -> usize {
    let mut row_number = 0;
    edit_csv(folder, table, |rows| {
        let at = column(rows, name);
        let index = rows.iter().position(|row| row[0] == id).expect("row");
        rows[index][at] = value.to_owned();
        row_number = index + 1;
    });
    row_number
}

const LYNAS: &str = "SEP-MYS-lynas_malaysia_gebeng";
const KACHIN: &str = "MINE-MMR-kachin_state_ionic";

fn baseline() -> Scenario {
    rareflow::baseline().expect("loads")
}

/// Asserts that the import is refused with exactly `expected` among its reasons (as the
/// preview prints them) and changes nothing.
fn assert_refused(import: &Import, expected: &str) {
    assert!(
        import.scenario.is_none(),
        "refused imports give no scenario"
    );
    assert!(
        import.preview.is_empty(),
        "nothing added, changed or removed"
    );
    let reasons: Vec<String> = import
        .preview
        .refused
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        reasons.iter().any(|reason| reason == expected),
        "expected {expected:?} among {reasons:#?}"
    );
}

#[test]
fn a_changed_capacity_shows_as_changed_and_scales_the_refinerys_circuits() {
    let base = baseline();
    let folder = export_csv(&base);
    set_cell(folder.path(), "nodes", LYNAS, "capacity_t_per_yr", "45200");
    let import = import_csv(&base, folder.path());
    assert_eq!(import.preview.refused, vec![]);
    assert_eq!(import.preview.changed.len(), 1);
    let entry = &import.preview.changed[0];
    assert_eq!((entry.table.as_str(), entry.id.as_str()), ("nodes", LYNAS));
    assert_eq!(entry.fields, vec!["capacity_t_per_yr", "circuits"]);
    let merged = import.scenario.expect("merged");
    let lynas = merged.node(LYNAS).expect("node");
    assert_eq!(lynas.capacity_t_per_yr, 45_200.0);
    // 10,500 t/yr of NdPr doubled, as the app's capacity editor does.
    assert_eq!(lynas.circuit_capacity_in("NDPR", 2024, 1.0), 21_000.0);
    assert!(rareflow::model::validate(&merged).is_empty());
}

#[test]
fn an_added_magnet_plant_row_with_its_recipe_is_added() {
    let base = baseline();
    let folder = export_csv(&base);
    edit_csv(folder.path(), "nodes", |rows| {
        let mut row = vec![String::new(); rows[0].len()];
        for (name, value) in [
            ("id", "MAG-DEU-new_plant"),
            ("name", "A German magnet plant"),
            ("country", "DEU"),
            ("stage", "magnet"),
            ("status", "planned"),
            ("capacity_t_per_yr", "5000"),
            ("start_year", "2027"),
            ("ramp_years", "2"),
            ("product", "NDFEB"),
            ("source", "a planner's question"),
        ] {
            row[column(rows, name)] = value.to_owned();
        }
        rows.push(row);
    });
    edit_csv(folder.path(), "recipes", |rows| {
        rows.push(vec![
            "MAG-DEU-new_plant".into(),
            "NDPR".into(),
            "0.25".into(),
        ]);
        rows.push(vec![
            "MAG-DEU-new_plant".into(),
            "DYTB".into(),
            "0.009".into(),
        ]);
    });
    let import = import_csv(&base, folder.path());
    assert_eq!(import.preview.refused, vec![]);
    assert_eq!(import.preview.changed, vec![]);
    assert_eq!(import.preview.added.len(), 1);
    assert_eq!(import.preview.added[0].id, "MAG-DEU-new_plant");
    let merged = import.scenario.expect("merged");
    assert_eq!(merged.nodes.len(), base.nodes.len() + 1);
    let plant = merged.node("MAG-DEU-new_plant").expect("added");
    assert_eq!(plant.built_capacity_in(2028), 5_000.0);
    match &plant.process {
        Process::MagnetPlant { product, recipe } => {
            assert_eq!(product, "NDFEB");
            assert_eq!(recipe.len(), 2);
            assert_eq!(recipe[1].t_per_t, 0.009);
        }
        other => panic!("not a magnet plant: {other:?}"),
    }
}

#[test]
fn an_unknown_country_is_refused_by_row_and_column() {
    let base = baseline();
    let folder = export_csv(&base);
    let row = set_cell(folder.path(), "nodes", LYNAS, "country", "XYZ");
    let import = import_csv(&base, folder.path());
    assert_refused(
        &import,
        &format!("nodes.csv row {row}, column country: node \"{LYNAS}\": unknown country \"XYZ\""),
    );
}

#[test]
fn a_negative_or_nan_capacity_is_refused() {
    let base = baseline();
    for (value, shown) in [("-5", "-5"), ("NaN", "NaN")] {
        let folder = export_csv(&base);
        let row = set_cell(folder.path(), "nodes", KACHIN, "capacity_t_per_yr", value);
        let import = import_csv(&base, folder.path());
        assert_refused(
            &import,
            &format!(
                "nodes.csv row {row}, column capacity_t_per_yr: node \"{KACHIN}\": must be ≥ 0 \
                 (got {shown})"
            ),
        );
    }
}

#[test]
fn a_bad_composition_is_refused() {
    let base = baseline();
    // Kachin's NdPr share is on compositions.csv row 18 (header = row 1).
    let folder = export_csv(&base);
    edit_csv(folder.path(), "compositions", |rows| {
        assert_eq!(rows[17][..2], [KACHIN.to_owned(), "NDPR".to_owned()]);
        rows[17][2] = "0.5".to_owned();
    });
    let import = import_csv(&base, folder.path());
    assert_refused(
        &import,
        &format!(
            "compositions.csv row 18, column share: node \"{KACHIN}\": shares must sum to 1 \
             (they sum to 1.3500)"
        ),
    );

    let folder = export_csv(&base);
    edit_csv(folder.path(), "compositions", |rows| {
        rows[17][2] = "-0.1".to_owned();
        rows[20][2] = "0.8".to_owned();
    });
    let import = import_csv(&base, folder.path());
    assert_refused(
        &import,
        &format!(
            "compositions.csv row 18, column share: node \"{KACHIN}\": must be between 0 and 1 \
             (got -0.1)"
        ),
    );
}

#[test]
fn an_unknown_commodity_is_refused() {
    let base = baseline();
    let folder = export_csv(&base);
    edit_csv(folder.path(), "recipes", |rows| {
        rows[1][1] = "UNOBTAINIUM".to_owned()
    });
    let import = import_csv(&base, folder.path());
    assert_refused(
        &import,
        "recipes.csv row 2, column commodity: node \"MAG-CHN-sintered_bonded_ndfeb\": unknown \
         oxide commodity \"UNOBTAINIUM\"",
    );
}

#[test]
fn removing_a_node_a_policy_refers_to_is_refused() {
    let base = baseline();
    let folder = export_csv(&base);
    set_cell(folder.path(), "nodes", KACHIN, "remove", "yes");
    let import = import_csv(&base, folder.path());
    let policies = base
        .policies
        .iter()
        .position(|policy| policy.id == "mmr-kachin-disruption")
        .expect("policy");
    assert_refused(
        &import,
        &format!(
            "policies.csv row {}, column node: policy \"mmr-kachin-disruption\": unknown node \
             \"{KACHIN}\"",
            policies + 2
        ),
    );
}

#[test]
fn unknown_missing_and_unparsable_columns_are_refused() {
    let base = baseline();
    let folder = export_csv(&base);
    edit_csv(folder.path(), "demand", |rows| {
        rows[0].push("colour".to_owned());
        for row in &mut rows[1..] {
            row.push(String::new());
        }
    });
    let import = import_csv(&base, folder.path());
    assert!(
        import.preview.refused[0]
            .to_string()
            .starts_with("demand.csv row 1, column colour: unknown column (known: region, ")
    );
    assert!(import.scenario.is_none());

    let folder = export_csv(&base);
    edit_csv(folder.path(), "policies", |rows| {
        let at = column(rows, "label");
        for row in rows.iter_mut() {
            row.remove(at);
        }
    });
    assert_refused(
        &import_csv(&base, folder.path()),
        "policies.csv row 1, column label: missing required column",
    );

    let folder = export_csv(&base);
    let row = set_cell(folder.path(), "nodes", LYNAS, "start_year", "soon");
    assert_refused(
        &import_csv(&base, folder.path()),
        &format!("nodes.csv row {row}, column start_year: \"soon\" is not a whole number"),
    );
    let row = set_cell(
        folder.path(),
        "nodes",
        LYNAS,
        "unit_cost_usd_per_kg",
        "12,5",
    );
    let import = import_csv(&base, folder.path());
    assert_refused(
        &import,
        &format!("nodes.csv row {row}, column unit_cost_usd_per_kg: \"12,5\" is not a number"),
    );
}

#[test]
fn rows_are_removed_only_when_asked() {
    let base = baseline();
    let folder = export_csv(&base);
    // A dropped row keeps its item by default ...
    edit_csv(folder.path(), "trade_costs", |rows| rows.truncate(1));
    edit_csv(folder.path(), "policies", |rows| {
        let at = rows
            .iter()
            .position(|row| row[0] == "my-raw-ore-ban")
            .expect("row");
        rows.remove(at);
    });
    let import = import_csv(&base, folder.path());
    assert_eq!(import.preview.refused, vec![]);
    assert!(import.preview.is_empty());
    assert_eq!(import.preview.not_in_tables.len(), 1);
    assert_eq!(import.preview.not_in_tables[0].id, "my-raw-ore-ban");
    assert_eq!(import.scenario.as_ref(), Some(&base));
    // ... and goes when missing rows are read as removals.
    let tables = read_csv_folder(folder.path()).expect("reads");
    let options = MergeOptions {
        remove_missing_rows: true,
    };
    let import = merge_tables(&base, &tables, options);
    assert_eq!(import.preview.removed.len(), 1);
    assert_eq!(import.preview.removed[0].table, "policies");
    let merged = import.scenario.expect("merged");
    assert!(merged.policy("my-raw-ore-ban").is_none());
    assert_eq!(merged.policies.len(), base.policies.len() - 1);

    // A row marked `remove` removes its item.
    let folder = export_csv(&base);
    set_cell(folder.path(), "policies", "my-raw-ore-ban", "remove", "x");
    let import = import_csv(&base, folder.path());
    assert_eq!(import.preview.removed[0].id, "my-raw-ore-ban");
    assert!(
        import
            .scenario
            .expect("merged")
            .policy("my-raw-ore-ban")
            .is_none()
    );
}

#[test]
fn a_policy_row_of_the_wrong_kind_is_refused_and_a_new_one_added() {
    let base = baseline();
    let folder = export_csv(&base);
    edit_csv(folder.path(), "policies", |rows| {
        let mut row = vec![String::new(); rows[0].len()];
        for (name, value) in [
            ("id", "mmr-concentrate-ban"),
            ("label", "Myanmar bans exports of concentrate to China"),
            ("enabled", "true"),
            ("kind", "export_ban"),
            ("start_year", "2026"),
            ("country", "MMR"),
            ("stages", "mine"),
            ("partners_rule", "only"),
            ("partners", "CHN"),
            ("source", "what-if"),
        ] {
            row[column(rows, name)] = value.to_owned();
        }
        rows.push(row);
    });
    let import = import_csv(&base, folder.path());
    assert_eq!(import.preview.refused, vec![]);
    assert_eq!(import.preview.added[0].id, "mmr-concentrate-ban");
    let merged = import.scenario.expect("merged");
    assert!(
        merged
            .policy("mmr-concentrate-ban")
            .expect("added")
            .is_active_in(2026)
    );

    let row = set_cell(
        folder.path(),
        "policies",
        "mmr-concentrate-ban",
        "demand_factor",
        "2",
    );
    assert_refused(
        &import_csv(&base, folder.path()),
        &format!("policies.csv row {row}, column demand_factor: does not apply to kind export_ban"),
    );
}

#[test]
fn a_new_plant_without_a_recipe_is_refused_at_its_row() {
    let base = baseline();
    let folder = export_csv(&base);
    let mut row_number = 0;
    edit_csv(folder.path(), "nodes", |rows| {
        let mut row = rows[rows.len() - 1].clone();
        row[0] = "MAG-DEU-no_recipe".to_owned();
        row[column(rows, "country")] = "DEU".to_owned();
        rows.push(row);
        row_number = rows.len();
    });
    let import = import_csv(&base, folder.path());
    let reasons: Vec<String> = import
        .preview
        .refused
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(import.scenario.is_none());
    let last_stage = base.nodes.last().expect("nodes").process.stage();
    assert_eq!(
        last_stage,
        rareflow::model::Stage::Magnet,
        "the copied row is a magnet plant"
    );
    assert_eq!(
        reasons,
        vec![format!(
            "nodes.csv row {row_number}: node \"MAG-DEU-no_recipe\": lists no input (no rows in \
             recipes)"
        )]
    );
}
