//! The shipped scenarios are exactly what `rareflow derive-baseline` makes of the data
//! folder, so they can be regenerated and nobody edits numbers by hand unnoticed.
//!
//! The data folder is `../shared/data` beside the repository, or `RAREFLOW_DATA_DIR`. Where
//! neither exists the test says so and passes, except in CI (`CI` set), where it fails.

use std::path::{Path, PathBuf};

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("RAREFLOW_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join("nodes.csv").exists() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have the data folder at {} (or RAREFLOW_DATA_DIR)",
        dir.display()
    );
    eprintln!("skipped: no data folder at {}", dir.display());
    None
}

#[test]
fn shipped_scenarios_are_derived_from_the_data() {
    let Some(data) = data_dir() else { return };
    let out = tempfile::tempdir().expect("temp dir");
    let written = rareflow::derive::write_scenarios(&data, out.path()).expect("derives");
    assert_eq!(written.len(), 6);
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for path in written {
        let name = path.file_name().expect("file name");
        let derived = std::fs::read_to_string(&path).expect("read derived");
        let committed = std::fs::read_to_string(shipped.join(name)).expect("read shipped");
        assert!(
            derived == committed,
            "scenarios/{} differs from what the data gives; run `cargo run -- derive-baseline \
             {} --out scenarios` and review the diff",
            name.to_string_lossy(),
            data.display()
        );
    }
}

#[test]
fn every_data_row_is_used_or_accounted_for() {
    let Some(data) = data_dir() else { return };
    let scenario = rareflow::derive::derive_baseline(&data).expect("derives");
    let nodes_csv = std::fs::read_to_string(data.join("nodes.csv")).expect("read");
    let mut reader = csv::Reader::from_reader(nodes_csv.as_bytes());
    let mut facilities = std::collections::BTreeSet::new();
    let mut metal_rows = 0;
    for record in reader.records() {
        let record = record.expect("row");
        let (node_id, stage) = (&record[0], &record[2]);
        if stage == "metal" {
            metal_rows += 1;
            continue;
        }
        let base = node_id.strip_suffix("-2").unwrap_or(node_id);
        let facility = base.rsplit_once('-').expect("group suffix").0;
        facilities.insert(facility.to_owned());
    }
    assert_eq!(metal_rows, 10, "the metal stage is left out, and only it");
    let node_ids: std::collections::BTreeSet<String> =
        scenario.nodes.iter().map(|n| n.id.clone()).collect();
    assert_eq!(node_ids, facilities, "one node per facility");
    let demand_rows = std::fs::read_to_string(data.join("demand.csv"))
        .expect("read")
        .lines()
        .count()
        - 1;
    // Magnet Dy/Tb rows are folded into NdFeB demand (checked against the recipe).
    assert_eq!(scenario.demand.len(), demand_rows - 8);
}
