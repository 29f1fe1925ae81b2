//! No observed outcome of a backtested episode may set a parameter (issue 9): this test
//! reads where every parameter comes from and refuses any that names an outcome.
//!
//! # The rule (checkable, and checked here)
//!
//! The parameter tables are `assets/data/assumptions.csv` and any `expansion*.csv`,
//! `contract*.csv`, `captive*.csv` or `parameters*.csv` beside it. A row is refused when
//!
//! 1. it has a `backtest_outcome` column that is neither empty nor `no` (the author says
//!    the number was read off an episode's outcome), or
//! 2. its `source`, the citation of that source in `sources.csv`, or its `notes` name an
//!    outcome: the address of any observation of `assets/data/backtest/observations.csv`
//!    (without `http(s)://` and `www.`), the title of one, or a marker of
//!    `assets/data/backtest/outcome_studies.csv` (studies that measured an episode's
//!    outcomes, e.g. Sprecher et al. 2017), compared case-insensitively.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("data")
}

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let headers = reader.headers().expect("headers").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("row");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.trim().to_owned()))
                .collect()
        })
        .collect()
}

fn address_marker(address: &str) -> String {
    let address = address.trim().to_lowercase();
    let address = address
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.");
    address.trim_end_matches('/').to_owned()
}

/// What names an outcome, and why.
fn outcome_markers(backtest_dir: &Path) -> Vec<(String, String)> {
    let mut markers = Vec::new();
    for row in rows(&backtest_dir.join("observations.csv")) {
        let why = format!("observation {} ({})", row["id"], row["what"]);
        markers.push((address_marker(&row["source_address"]), why.clone()));
        markers.push((row["source_title"].to_lowercase(), why));
    }
    for row in rows(&backtest_dir.join("outcome_studies.csv")) {
        markers.push((row["marker"].to_lowercase(), row["reports"].clone()));
    }
    markers.retain(|(marker, _)| marker.len() >= 6);
    markers
}

/// The refusals of one parameter table, as "file: key (applies_to): why".
fn refusals(
    table: &str,
    parameters: &[BTreeMap<String, String>],
    citations: &BTreeMap<String, String>,
    markers: &[(String, String)],
) -> Vec<String> {
    let mut refused = Vec::new();
    for row in parameters {
        let field = |name: &str| row.get(name).map_or("", String::as_str);
        let name = format!(
            "{table}: {} ({})",
            field("key").to_owned() + field("id"),
            field("applies_to")
        );
        let declared = field("backtest_outcome");
        if !declared.is_empty() && !declared.eq_ignore_ascii_case("no") {
            refused.push(format!("{name}: backtest_outcome = {declared}"));
        }
        let source = field("source");
        let citation = source
            .split('|')
            .filter_map(|key| citations.get(key.trim()))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let text = format!("{source} {citation} {}", field("notes")).to_lowercase();
        for (marker, why) in markers {
            if text.contains(marker.as_str()) {
                refused.push(format!("{name}: cites \"{marker}\", {why}"));
            }
        }
    }
    refused
}

fn parameter_tables(data: &Path) -> Vec<PathBuf> {
    let mut tables: Vec<PathBuf> = std::fs::read_dir(data)
        .expect("assets/data")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            let name = path
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            name.ends_with(".csv")
                && (name == "assumptions.csv"
                    || ["expansion", "contract", "captive", "parameters"]
                        .iter()
                        .any(|prefix| name.starts_with(prefix)))
        })
        .collect();
    tables.sort();
    tables
}

fn citations(data: &Path) -> BTreeMap<String, String> {
    rows(&data.join("sources.csv"))
        .into_iter()
        .map(|row| (row["key"].clone(), row["citation"].clone()))
        .collect()
}

#[test]
fn no_parameter_is_set_by_an_observed_outcome() {
    let data = data_dir();
    let markers = outcome_markers(&data.join("backtest"));
    let citations = citations(&data);
    let tables = parameter_tables(&data);
    assert!(tables.iter().any(|t| t.ends_with("assumptions.csv")));
    let mut refused = Vec::new();
    let mut checked = 0;
    for table in &tables {
        let parameters = rows(table);
        checked += parameters.len();
        let name = table
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        refused.extend(refusals(&name, &parameters, &citations, &markers));
    }
    assert!(checked >= 20, "only {checked} parameters read");
    assert!(
        markers.len() >= 50,
        "only {} outcome markers",
        markers.len()
    );
    assert!(
        refused.is_empty(),
        "parameters set by observed outcomes of a backtested episode:\n  {}",
        refused.join("\n  ")
    );
}

#[test]
fn a_parameter_that_names_an_outcome_is_refused() {
    let data = data_dir();
    let markers = outcome_markers(&data.join("backtest"));
    let citations = BTreeMap::from([(
        "sprecher2017".to_owned(),
        "Sprecher et al. | Novel Indicators ... 2010 Rare Earth Crisis Case Study | 2017"
            .to_owned(),
    )]);
    let row = |key: &str, source: &str, notes: &str, declared: &str| {
        BTreeMap::from([
            ("key".to_owned(), key.to_owned()),
            ("applies_to".to_owned(), "NDPR".to_owned()),
            ("source".to_owned(), source.to_owned()),
            ("notes".to_owned(), notes.to_owned()),
            ("backtest_outcome".to_owned(), declared.to_owned()),
        ])
    };
    let parameters = vec![
        row("clean", "rareflow", "cost-share reasoning", ""),
        row("by_citation", "sprecher2017", "", "no"),
        row(
            "by_address",
            "rareflow",
            "ratio of Argus Europe to SMM, gmteight.com/latest/detail/282683",
            "",
        ),
        row("declared", "rareflow", "", "B_2025_HREE_licensing"),
    ];
    let refused = refusals("assumptions.csv", &parameters, &citations, &markers);
    let names: Vec<&str> = refused
        .iter()
        .map(|r| r.split(' ').nth(1).expect("key"))
        .collect();
    assert!(!names.contains(&"clean"), "{refused:?}");
    for key in ["by_citation", "by_address", "declared"] {
        assert!(names.contains(&key), "{key} is not refused: {refused:?}");
    }
}
