//! The shipped scenarios are exactly what `cargo xtask derive` makes of `assets/data/`, so
//! they can be regenerated and nobody edits numbers by hand unnoticed.
//!
//! The data is part of the repository: where it is missing these tests fail, they never
//! skip.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    xtask::default_data_dir()
}

/// A copy of the data folder to break on purpose.
fn data_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(data_dir()).expect("assets/data is in the repository") {
        let entry = entry.expect("entry");
        // The backtest's folder is not the baseline's data.
        if entry.file_type().expect("file type").is_dir() {
            continue;
        }
        std::fs::copy(entry.path(), copy.path().join(entry.file_name())).expect("copy");
    }
    copy
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert_eq!(text.matches(from).count(), 1, "{from:?} once in {path:?}");
    std::fs::write(path, text.replace(from, to)).expect("write");
}

fn derive_error(data: &Path) -> String {
    match xtask::derive_baseline(data) {
        Ok(_) => panic!("the broken data derived without an error"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn shipped_scenarios_are_derived_from_the_data() {
    let out = tempfile::tempdir().expect("temp dir");
    let written = xtask::write_scenarios(&data_dir(), out.path()).expect("derives");
    // The baseline, its five event scenarios and the 2010 world of the backtest.
    assert_eq!(written.len(), 7);
    let shipped = xtask::default_scenarios_dir();
    let mut names = BTreeSet::new();
    for path in written {
        let name = path.file_name().expect("file name").to_owned();
        let derived = std::fs::read_to_string(&path).expect("read derived");
        let committed = std::fs::read_to_string(shipped.join(&name)).expect("read shipped");
        assert!(
            derived == committed,
            "scenarios/{} differs from what assets/data gives; run `cargo xtask derive` and \
             review the diff",
            name.to_string_lossy(),
        );
        names.insert(name);
    }
    let shipped_names: BTreeSet<_> = std::fs::read_dir(&shipped)
        .expect("scenarios/")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(shipped_names, names, "scenarios/ holds only derived files");
}

#[test]
fn every_data_row_is_used_or_accounted_for() {
    let data = data_dir();
    let scenario = xtask::derive_baseline(&data).expect("derives");
    let mut reader = csv::Reader::from_path(data.join("nodes.csv")).expect("nodes.csv");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (node_id_at, stage_at) = (column("node_id"), column("stage"));
    let mut facilities = BTreeSet::new();
    let mut metal_rows = 0;
    for record in reader.records() {
        let record = record.expect("row");
        let (node_id, stage) = (&record[node_id_at], &record[stage_at]);
        if stage == "metal" {
            metal_rows += 1;
            continue;
        }
        let (facility, _, _) = xtask::nodes::split_node_id(node_id).expect("group suffix");
        facilities.insert(facility.to_owned());
    }
    assert_eq!(metal_rows, 10, "the metal stage is left out, and only it");
    let node_ids: BTreeSet<String> = scenario.nodes.iter().map(|n| n.id.clone()).collect();
    assert_eq!(node_ids, facilities, "one node per facility");
    assert_eq!(scenario.nodes.len(), 58);
    let demand_rows = csv::Reader::from_path(data.join("demand.csv"))
        .expect("demand.csv")
        .records()
        .count();
    // Magnet Dy/Tb rows are folded into NdFeB demand (checked against the recipe).
    assert_eq!(scenario.demand.len(), demand_rows - 8);
    assert_eq!(scenario.policies.len(), 13);
}

/// Every citation in a `source` column is a row of `sources.csv` (pieces joined by " | "),
/// so the README's provenance table covers everything the data cites.
#[test]
fn every_cited_source_is_listed_in_sources_csv() {
    let data = data_dir();
    let mut reader = csv::Reader::from_path(data.join("sources.csv")).expect("sources.csv");
    let mut listed = BTreeSet::new();
    for record in reader.records() {
        let record = record.expect("row");
        listed.insert(record[0].to_owned());
        listed.insert(record[1].to_owned());
    }
    let mut unlisted = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&data).expect("assets/data") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|ext| ext != "csv") {
            continue;
        }
        let mut reader = csv::Reader::from_path(&path).expect("csv");
        let headers = reader.headers().expect("headers").clone();
        for record in reader.records() {
            let record = record.expect("row");
            for (header, value) in headers.iter().zip(record.iter()) {
                if header != "source" {
                    continue;
                }
                for piece in value.split(" | ").map(str::trim).filter(|p| !p.is_empty()) {
                    checked += 1;
                    if !listed.contains(piece) {
                        unlisted.push(format!("{}: {piece}", path.display()));
                    }
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} citations found");
    assert_eq!(unlisted, Vec::<String>::new());
}

#[test]
fn a_policy_number_that_disagrees_with_its_rule_is_an_error() {
    let copy = data_copy();
    replace_in(
        &copy.path().join("policies.ron"),
        "limit: Tonnes(1170.0)",
        "limit: Tonnes(1200.0)",
    );
    let error = derive_error(copy.path());
    assert!(
        error.contains("cn-licence-y: the file says 1200 t but its rule gives 1170 t"),
        "{error}"
    );
}

#[test]
fn a_change_in_demand_must_be_carried_into_the_policies() {
    let copy = data_copy();
    // Japan's Dy/Tb oxide demand feeds both the Dy/Tb export cap and the JOGMEC stock.
    let demand = copy.path().join("demand.csv");
    let text = std::fs::read_to_string(&demand).expect("read");
    let japan_dytb = text
        .lines()
        .find(|line| line.starts_with("JPN,DYTB,oxide,"))
        .expect("Japan's Dy/Tb oxide row")
        .to_owned();
    let tonnes = japan_dytb.split(',').nth(3).expect("demand_2024_t_reo");
    let doubled = format!("{}", tonnes.parse::<f64>().expect("number") * 10.0);
    replace_in(
        &demand,
        &japan_dytb,
        &japan_dytb.replacen(&format!(",{tonnes},"), &format!(",{doubled},"), 1),
    );
    let error = derive_error(copy.path());
    assert!(error.contains("policies.ron: cn-licence-dytb"), "{error}");
}

#[test]
fn structured_magnet_columns_must_match_the_recipe() {
    let copy = data_copy();
    replace_in(
        &copy.path().join("nodes.csv"),
        "MAG-JPN-japan_shin_etsu-NDPR,JPN,magnet,NDPR,\"Japan (Shin-Etsu, Proterial, TDK, \
         Daido)\",\"Shin-Etsu, Proterial, TDK, Daido\",operating,,3000,2250,2250,12000,",
        "MAG-JPN-japan_shin_etsu-NDPR,JPN,magnet,NDPR,\"Japan (Shin-Etsu, Proterial, TDK, \
         Daido)\",\"Shin-Etsu, Proterial, TDK, Daido\",operating,,3000,2250,2250,13000,",
    );
    let error = derive_error(copy.path());
    assert!(error.contains("MAG-JPN-japan_shin_etsu"), "{error}");
}

#[test]
fn an_assumption_nothing_reads_is_an_error() {
    let copy = data_copy();
    let path = copy.path().join("assumptions.csv");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("demand_elasticity,NDPRX,0.3,short-run price elasticity,rareflow,typo\r\n");
    std::fs::write(&path, text).expect("write");
    let error = derive_error(copy.path());
    assert!(error.contains("demand_elasticity (NDPRX)"), "{error}");
}

#[test]
fn a_missing_data_folder_is_an_error() {
    let empty = tempfile::tempdir().expect("temp dir");
    let error = derive_error(empty.path());
    assert!(error.contains("countries.csv"), "{error}");
}

#[test]
fn the_command_writes_the_seven_scenarios() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["derive", "--out"])
        .arg(out.path())
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 7, "{stdout}");
    assert!(out.path().join(xtask::BASELINE_FILE_NAME).exists());
}
