//! Ranges in the spreadsheet round trip: a scenario's uncertain inputs (`uncertainty`) and
//! their correlations (`correlations`) are written as tables, read back unchanged to the
//! identical scenario, merged by id (or, for a row without one, by target) when edited, and
//! refused by row and column when wrong.

mod table_support;

use std::path::{Path, PathBuf};
use table_support::{column, edit_csv, export_csv, import_csv};

use rareflow::export::write_xlsx;
use rareflow::model::{Distribution, InputCorrelation, Scenario, UncertainTarget, validate};
use rareflow::scenario_tables::{
    MergeOptions, PreviewEntry, RawTable, merge_tables, read_csv_folder, read_xlsx, scenario_tables,
};

/// The `target/item` of Nolans' start-year range, which finds its row.
const NOLANS_START: &str = "node_start_year/MINE-AUS-nolans_arafura";
/// The id of that range, as the default ranges name it.
const NOLANS_ID: &str = "MINE-AUS-nolans_arafura.start_year";

fn in_force_2026() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    rareflow::io::load(&path).expect("loads")
}

/// in-force-2026 with the data's 158 default ranges (every target kind and every
/// distribution kind) and two correlations between them.
fn ranged_scenario() -> Scenario {
    let mut scenario = rareflow::uncertainty::with_default_ranges(&in_force_2026());
    assert_eq!(scenario.uncertainty.len(), 158);
    scenario.correlations = vec![
        InputCorrelation {
            first: "cn-licence-dytb.severity".to_owned(),
            second: "cn-licence-y.severity".to_owned(),
            rank_correlation: 0.7,
            source: "test: one ministry sets both licences".to_owned(),
        },
        InputCorrelation {
            first: "NDPR.growth".to_owned(),
            second: "NDFEB.growth".to_owned(),
            rank_correlation: 0.85,
            source: "test: magnets drive NdPr demand".to_owned(),
        },
    ];
    assert_eq!(validate(&scenario), vec![]);
    scenario
}

fn assert_round_trip(base: &Scenario, tables: &[RawTable], what: &str) {
    assert_eq!(
        tables.len(),
        14,
        "{what}: every table, ranges and correlations too"
    );
    let import = merge_tables(base, tables, MergeOptions::default());
    assert_eq!(import.preview.refused, vec![], "{what}");
    assert!(import.preview.is_empty(), "{what}: {:?}", import.preview);
    assert!(import.preview.not_in_tables.is_empty(), "{what}");
    let merged = import.scenario.expect("merged");
    assert_eq!(&merged, base, "{what}");
    assert_eq!(
        rareflow::io::to_ron_string(&merged).expect("ron"),
        rareflow::io::to_ron_string(base).expect("ron"),
        "{what}: byte-identical RON"
    );
}

#[test]
fn ranges_and_correlations_round_trip_through_csv_and_xlsx() {
    let scenario = ranged_scenario();
    let folder = export_csv(&scenario);
    let uncertainty =
        std::fs::read_to_string(folder.path().join("uncertainty.csv")).expect("reads");
    assert_eq!(uncertainty.lines().count(), 1 + 158, "a row per range");
    assert!(
        uncertainty.starts_with("target,item,id,label,distribution,params,source,notes,remove\n"),
        "{uncertainty}"
    );
    assert!(
        uncertainty.contains(
            "\nnode_start_year,MINE-AUS-nolans_arafura,MINE-AUS-nolans_arafura.start_year,"
        ),
        "the target is written as its kind and item"
    );
    let correlations =
        std::fs::read_to_string(folder.path().join("correlations.csv")).expect("reads");
    assert_eq!(
        correlations.lines().collect::<Vec<_>>(),
        vec![
            "first,second,rank_correlation,source,remove",
            "cn-licence-dytb.severity,cn-licence-y.severity,0.7,test: one ministry sets both licences,",
            "NDPR.growth,NDFEB.growth,0.85,test: magnets drive NdPr demand,",
        ]
    );
    let tables = read_csv_folder(folder.path()).expect("reads");
    assert_round_trip(&scenario, &tables, "CSV");

    let workbook = folder.path().join("scenario.xlsx");
    write_xlsx(&workbook, &scenario_tables(&scenario)).expect("writes");
    let sheets = read_xlsx(&workbook).expect("reads");
    assert_round_trip(&scenario, &sheets, "XLSX");

    // A scenario without ranges writes both tables with their headers only, to fill in.
    let plain = export_csv(&in_force_2026());
    let empty = std::fs::read_to_string(plain.path().join("uncertainty.csv")).expect("reads");
    assert_eq!(empty.lines().count(), 1);
}

/// Sets cells of the `uncertainty` row whose target key (`kind/item`) is `key`; returns
/// the row's spreadsheet number.
fn set_range_cells(folder: &Path, key: &str, cells: &[(&str, &str)]) -> usize {
    let mut row_number = 0;
    edit_csv(folder, "uncertainty", |rows| {
        let index = rows
            .iter()
            .position(|row| format!("{}/{}", row[0], row[1]) == key)
            .expect("row");
        for (name, value) in cells {
            let at = column(rows, name);
            rows[index][at] = (*value).to_owned();
        }
        row_number = index + 1;
    });
    row_number
}

/// Appends a row of `(column, value)` cells to `table`; returns its spreadsheet number.
fn append_row(folder: &Path, table: &str, cells: &[(&str, &str)]) -> usize {
    let mut row_number = 0;
    edit_csv(folder, table, |rows| {
        let mut row = vec![String::new(); rows[0].len()];
        for (name, value) in cells {
            row[column(rows, name)] = (*value).to_owned();
        }
        rows.push(row);
        row_number = rows.len();
    });
    row_number
}

fn range<'s>(scenario: &'s Scenario, id: &str) -> &'s rareflow::model::UncertainInput {
    scenario
        .uncertainty
        .iter()
        .find(|input| input.id == id)
        .expect("range")
}

#[test]
fn an_edited_row_changes_exactly_that_range() {
    let base = ranged_scenario();
    let folder = export_csv(&base);
    set_range_cells(folder.path(), NOLANS_START, &[("params", "1y=0.5;3y=0.5")]);
    let import = import_csv(&base, folder.path());
    assert_eq!(import.preview.refused, vec![]);
    assert_eq!(
        import.preview.changed,
        vec![PreviewEntry {
            table: "uncertainty".to_owned(),
            id: NOLANS_ID.to_owned(),
            fields: vec!["params".to_owned()],
        }]
    );
    assert!(import.preview.added.is_empty() && import.preview.removed.is_empty());
    let merged = import.scenario.expect("merged");
    let nolans = range(&merged, "MINE-AUS-nolans_arafura.start_year");
    assert_eq!(
        nolans.distribution,
        Distribution::YearSlip(vec![
            rareflow::model::YearSlip {
                years: 1,
                probability: 0.5,
            },
            rareflow::model::YearSlip {
                years: 3,
                probability: 0.5,
            },
        ])
    );
    let mut expected = base.clone();
    let at = expected
        .uncertainty
        .iter()
        .position(|input| input.id == nolans.id)
        .expect("there");
    expected.uncertainty[at] = nolans.clone();
    assert_eq!(merged, expected, "nothing else changes");
}

#[test]
fn rows_add_and_remove_ranges_and_correlations() {
    let mut base = ranged_scenario();
    base.uncertainty.retain(|input| input.id != "Y.growth");
    let folder = export_csv(&base);
    append_row(
        folder.path(),
        "uncertainty",
        &[
            ("target", "demand_growth"),
            ("item", "Y"),
            ("distribution", "triangular"),
            ("params", "low=0.5;mode=1;high=1.5"),
            ("source", "test: a planner's guess"),
        ],
    );
    set_range_cells(folder.path(), NOLANS_START, &[("remove", "yes")]);
    // A row without an id (or label) names the range on its target.
    set_range_cells(
        folder.path(),
        "demand_growth/DYTB",
        &[
            ("id", ""),
            ("label", ""),
            ("params", "low=0.5;mode=1;high=2"),
        ],
    );
    edit_csv(folder.path(), "correlations", |rows| {
        let at = column(rows, "rank_correlation");
        rows[2][at] = "0.5".to_owned();
    });
    let import = import_csv(&base, folder.path());
    assert_eq!(import.preview.refused, vec![]);
    let ids = |entries: &[PreviewEntry]| -> Vec<String> {
        entries
            .iter()
            .map(|e| format!("{} {} {}", e.table, e.id, e.fields.join(",")))
            .collect()
    };
    assert_eq!(ids(&import.preview.added), vec!["uncertainty Y-growth "]);
    assert_eq!(
        ids(&import.preview.removed),
        vec![format!("uncertainty {NOLANS_ID} ")]
    );
    assert_eq!(
        ids(&import.preview.changed),
        vec![
            "uncertainty DYTB.growth params",
            "correlations NDFEB.growth & NDPR.growth rank_correlation"
        ]
    );
    let merged = import.scenario.expect("merged");
    assert_eq!(merged.uncertainty.len(), 157);
    let added = range(&merged, "Y-growth");
    assert_eq!(
        added.label, "Demand growth of Y",
        "a label made from the target"
    );
    assert_eq!(
        added.target,
        UncertainTarget::DemandGrowth {
            commodity: "Y".to_owned()
        }
    );
    assert_eq!(merged.correlations[1].rank_correlation, 0.5);
    let dytb = range(&merged, "DYTB.growth");
    assert_eq!(dytb.label, range(&base, "DYTB.growth").label);
    assert_eq!(
        dytb.distribution,
        Distribution::Triangular {
            low: 0.5,
            mode: 1.0,
            high: 2.0
        }
    );
}

/// Imports the tables of `base` with `edit` applied and asserts that the import is
/// refused with `expected` among its reasons and changes nothing.
fn assert_refused_after(base: &Scenario, edit: impl FnOnce(&Path) -> String, expected: &str) {
    let folder = export_csv(base);
    let expected = expected.replace("{row}", &edit(folder.path()));
    let import = import_csv(base, folder.path());
    assert!(import.scenario.is_none(), "refused: {expected}");
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
        reasons.contains(&expected),
        "expected {expected:?} among {reasons:#?}"
    );
}

const KACHIN_CAPACITY: &str = "node_capacity/MINE-MMR-kachin_state_ionic";

#[test]
fn bad_rows_are_refused_naming_row_and_column() {
    let base = ranged_scenario();
    let set = |key: &'static str, cells: &'static [(&'static str, &'static str)]| {
        move |folder: &Path| set_range_cells(folder, key, cells).to_string()
    };
    assert_refused_after(
        &base,
        set(NOLANS_START, &[("source", "")]),
        &format!(
            "uncertainty.csv row {{row}}, column source: uncertain input \"{NOLANS_ID}\": \
             must not be empty"
        ),
    );
    assert_refused_after(
        &base,
        set(
            KACHIN_CAPACITY,
            &[("distribution", "uniform"), ("params", "low=1.2;high=0.8")],
        ),
        "uncertainty.csv row {row}, column params: uncertain input \
         \"MINE-MMR-kachin_state_ionic.capacity\": low (1.2) is above high (0.8)",
    );
    assert_refused_after(
        &base,
        set(KACHIN_CAPACITY, &[("params", "low=-0.5;mode=1;high=1.2")]),
        "uncertainty.csv row {row}, column params: uncertain input \
         \"MINE-MMR-kachin_state_ionic.capacity\": low must be > 0 (got -0.5)",
    );
    assert_refused_after(
        &base,
        set(KACHIN_CAPACITY, &[("params", "low=NaN;mode=1;high=1.2")]),
        "uncertainty.csv row {row}, column params: low=NaN is not a finite number",
    );
    assert_refused_after(
        &base,
        set(KACHIN_CAPACITY, &[("params", "low=abc;mode=1;high=1.2")]),
        "uncertainty.csv row {row}, column params: low=\"abc\" is not a number",
    );
    assert_refused_after(
        &base,
        set(NOLANS_START, &[("distribution", "uniform")]),
        "uncertainty.csv row {row}, column params: uniform takes no \"2y\" (only low, high)",
    );
    assert_refused_after(
        &base,
        |folder: &Path| {
            append_row(
                folder,
                "uncertainty",
                &[
                    ("target", "node_capacity"),
                    ("item", "NO-SUCH-NODE"),
                    ("distribution", "uniform"),
                    ("params", "low=0.8;high=1.2"),
                    ("source", "test"),
                ],
            )
            .to_string()
        },
        "uncertainty.csv row {row}, column item: uncertain input \"NO-SUCH-NODE-capacity\": \
         unknown node \"NO-SUCH-NODE\"",
    );
    assert_refused_after(
        &base,
        set(NOLANS_START, &[("target", "node_colour")]),
        "uncertainty.csv row {row}, column target: \"node_colour\" is not one of \
         node_capacity, node_start_year, demand_elasticity, demand_growth, policy_severity, \
         expansion_capital_cost, expansion_lead_time",
    );
    assert_refused_after(
        &base,
        |folder: &Path| {
            edit_csv(folder, "correlations", |rows| {
                let at = column(rows, "second");
                rows[1][at] = "no-such-range".to_owned();
            });
            "2".to_owned()
        },
        "correlations.csv row {row}, column second: correlation of \
         \"cn-licence-dytb.severity\" and \"no-such-range\": unknown uncertain input \
         \"no-such-range\"",
    );
    assert_refused_after(
        &base,
        |folder: &Path| {
            edit_csv(folder, "correlations", |rows| {
                let at = column(rows, "rank_correlation");
                rows[2][at] = "1.5".to_owned();
            });
            "3".to_owned()
        },
        "correlations.csv row {row}, column rank_correlation: correlation of \"NDPR.growth\" \
         and \"NDFEB.growth\": must be between -1 and 1 (got 1.5)",
    );
}

#[test]
fn a_refused_range_fails_the_cli_import_and_writes_nothing() {
    let folder = tempfile::tempdir().expect("temp dir");
    let ranged = folder.path().join("ranged.ron");
    rareflow::io::save(&ranged, &ranged_scenario()).expect("saves");
    let csv = folder.path().join("tables");
    let rareflow = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_rareflow"))
            .args(args)
            .output()
            .expect("runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let path = |path: &PathBuf| path.to_str().expect("utf-8").to_owned();
    let (ok, stdout, stderr) = rareflow(&["export-scenario", &path(&ranged), "--csv", &path(&csv)]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("uncertainty.csv"), "{stdout}");
    let row = set_range_cells(&csv, NOLANS_START, &[("source", " ")]);
    let out = folder.path().join("never.ron");
    let (ok, stdout, stderr) = rareflow(&[
        "import-scenario",
        &path(&ranged),
        "--csv",
        &path(&csv),
        "-o",
        &path(&out),
    ]);
    assert!(!ok);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(&format!(
            "uncertainty.csv row {row}, column source: uncertain input \"{NOLANS_ID}\": must \
             not be empty"
        )),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}
