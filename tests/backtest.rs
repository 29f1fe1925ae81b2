//! `rareflow backtest`: every observation gets a row, every verdict follows the stated
//! rule, and the model's counterparts are the quantities the observations measure.

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::OnceLock;

use rareflow::backtest::{
    Backtest, BacktestError, EPISODES, OBSERVATIONS_CSV, Rule, Verdict, judge, parse_observations,
};
use rareflow::model::Stage;
use rareflow::solver::SolverSettings;

fn backtest() -> &'static Backtest {
    static BACKTEST: OnceLock<Backtest> = OnceLock::new();
    BACKTEST.get_or_init(|| rareflow::backtest::run(&SolverSettings::default()).expect("runs"))
}

fn row(id: &str) -> &'static rareflow::backtest::Row {
    backtest()
        .rows
        .iter()
        .find(|row| row.observation.id == id)
        .unwrap_or_else(|| panic!("row {id}"))
}

#[test]
fn the_table_has_every_observation_once_with_its_source() {
    let observations = parse_observations(OBSERVATIONS_CSV).expect("parses");
    let csv_rows = OBSERVATIONS_CSV.lines().count() - 1;
    assert_eq!(observations.len(), csv_rows);
    assert_eq!(observations.len(), 48);
    let ids: BTreeSet<&str> = backtest()
        .rows
        .iter()
        .map(|row| row.observation.id.as_str())
        .collect();
    assert_eq!(ids.len(), observations.len(), "one row per observation");
    for observation in &observations {
        assert!(ids.contains(observation.id.as_str()), "{}", observation.id);
        let source = &observation.source;
        assert!(
            !source.publisher.is_empty()
                && !source.title.is_empty()
                && !source.date.is_empty()
                && source.address.starts_with("http"),
            "{}: {source:?}",
            observation.id
        );
    }
    // Both episodes, each with its scenario solved over its horizon.
    assert_eq!(backtest().episodes.len(), EPISODES.len());
    assert_eq!(backtest().rows_of("A").count(), 36);
    assert_eq!(backtest().rows_of("B").count(), 12);
}

#[test]
fn every_verdict_follows_the_rule() {
    for row in &backtest().rows {
        let observation = &row.observation;
        assert_eq!(row.rule, observation.quantity.rule());
        let (comparison, verdict) = judge(row.rule, observation.value, row.model);
        assert_eq!(verdict, row.verdict, "{}", observation.id);
        assert_eq!(comparison, row.comparison, "{}", observation.id);
        if let (Rule::Factor | Rule::Change, Some(model)) = (row.rule, row.model) {
            let ratio = model / observation.value;
            let expected = if ratio <= 0.0 || !ratio.is_finite() {
                Verdict::Miss
            } else if ratio.max(1.0 / ratio) <= 1.5 {
                Verdict::Hit
            } else if ratio.max(1.0 / ratio) <= 3.0 {
                Verdict::Near
            } else {
                Verdict::Miss
            };
            assert_eq!(row.verdict, expected, "{}", observation.id);
        }
    }
    // Every row is counted, misses as much as hits.
    let tally = rareflow::backtest::Tally::of(&backtest().rows);
    assert_eq!(tally.total(), backtest().rows.len());
    let misses = backtest()
        .rows
        .iter()
        .filter(|row| row.verdict == Verdict::Miss)
        .count();
    assert_eq!(tally.misses, misses);
}

/// An episode solved here, to read counterparts off it independently.
fn solved(episode: usize) -> (rareflow::model::Scenario, rareflow::solver::Solution) {
    let scenario = EPISODES[episode].scenario().expect("loads");
    let solution = rareflow::solver::solve_scenario(
        &scenario,
        rareflow::solver::Years::All,
        &SolverSettings::default(),
    )
    .expect("solves");
    (scenario, solution)
}

fn mine_output(solution: &rareflow::solver::Solution, year: i32, country: &str) -> f64 {
    solution
        .year(year)
        .expect("year")
        .nodes
        .iter()
        .filter(|n| n.stage == Stage::Mine && (country == "ALL" || n.country == country))
        .map(|n| n.output_t)
        .sum()
}

#[test]
fn the_counterparts_measure_what_was_observed() {
    let (_, solution) = solved(0);
    // China's mine output, 2012 against 2010, straight from the mine nodes.
    let china = mine_output(&solution, 2012, "CHN") / mine_output(&solution, 2010, "CHN") - 1.0;
    let a28 = row("A28").model.expect("a model value");
    assert!((a28 - china).abs() < 1e-9, "{a28} vs {china}");
    // The share mined outside China in 2013.
    let world = mine_output(&solution, 2013, "ALL");
    let outside = 1.0 - mine_output(&solution, 2013, "CHN") / world;
    assert!((row("A30").model.expect("value") - outside).abs() < 1e-9);
    // US mine output: Molycorp's announced 19,050 t/yr runs in full by 2014.
    assert!((row("A33").model.expect("value") - mine_output(&solution, 2014, "USA")).abs() < 1e-6);
    // China's exports of concentrate and oxide in 2011 over that year's quota, 30,184 t.
    let exports: f64 = solution
        .year(2011)
        .expect("2011")
        .flows
        .iter()
        .filter(|f| f.is_export() && f.from.country_code() == "CHN" && f.stage != Stage::Magnet)
        .map(|f| f.t)
        .sum();
    let a22 = row("A22").model.expect("value");
    assert!((a22 - exports / 30_184.0).abs() < 1e-9, "{a22}");
    // The 2010 quota binds: China exports exactly its quota.
    let a21 = row("A21").model.expect("value");
    assert!((a21 - 1.0).abs() < 1e-3, "{a21}");
    // LAMP first produces in its announced year, 2011: one year before it did.
    assert_eq!(row("A34").model, Some(2011.0));
    assert_eq!(row("A34").comparison, Some(-1.0));
    // NdPr was not licensed in 2025: no premium outside China.
    let ndpr = row("B07").model.expect("value");
    assert!((ndpr - 1.0).abs() < 0.02, "{ndpr}");
    // China's Dy/Tb exports (oxide, and the Dy/Tb in concentrate), 2025 against 2024.
    let (_, licensing) = solved(1);
    let dytb_exports = |year: i32| -> f64 {
        licensing
            .year(year)
            .expect("year")
            .flows
            .iter()
            .filter(|f| f.is_export() && f.from.country_code() == "CHN" && f.stage != Stage::Magnet)
            .map(|f| f.content_of("DYTB"))
            .sum()
    };
    let change = dytb_exports(2025) / dytb_exports(2024) - 1.0;
    let b11 = row("B11").model.expect("value");
    assert!((b11 - change).abs() < 1e-9, "{b11} vs {change}");
    assert!(change < 0.0, "the licensing cuts Dy/Tb exports: {change}");
    // The in-sample rows are the three whose observations sized the 2025 caps.
    let in_sample: Vec<&str> = backtest()
        .rows
        .iter()
        .filter(|row| row.observation.in_sample.is_some())
        .map(|row| row.observation.id.as_str())
        .collect();
    assert_eq!(in_sample, ["B10", "B11", "B12"]);
}

#[test]
fn price_paths_run_over_each_horizon_with_the_observed_points() {
    let episode_a = &backtest().episodes[0];
    let dytb = episode_a
        .paths
        .iter()
        .find(|p| p.region == "EXCHN" && p.commodity == "DYTB")
        .expect("Dy/Tb outside China");
    let years: Vec<i32> = dytb.model.iter().map(|(year, _)| *year).collect();
    assert_eq!(years, (2010..=2015).collect::<Vec<_>>());
    let observed: Vec<&str> = dytb.observed.iter().map(|(_, _, id)| id.as_str()).collect();
    assert_eq!(observed, ["A01", "A02", "A06", "A07", "A11", "A12"]);
    let episode_b = &backtest().episodes[1];
    let y = episode_b
        .paths
        .iter()
        .find(|p| p.region == "EUR" && p.commodity == "Y")
        .expect("Y in Europe");
    // The base year of the 2025 episode solves at its calibrated prices.
    let (first_year, first_ratio) = y.model[0];
    assert_eq!(first_year, 2024);
    assert!((first_ratio - 1.0).abs() < 0.01, "{first_ratio}");
}

fn rareflow(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_rareflow"))
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_command_prints_the_table_csv_and_json() {
    let (ok, table, stderr) = rareflow(&["backtest"]);
    assert!(ok, "{stderr}");
    assert!(
        table.contains("within a factor of 1.5"),
        "the rule is stated"
    );
    for row in &backtest().rows {
        let line = table
            .lines()
            .find(|line| line.trim_start().starts_with(&row.observation.id))
            .unwrap_or_else(|| panic!("{} in the table", row.observation.id));
        assert!(line.contains(row.verdict.word()), "{line}");
    }
    assert!(table.contains("All: 48 observations"));

    let (ok, csv, _) = rareflow(&["backtest", "--format", "csv"]);
    assert!(ok);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert!(headers.iter().any(|h| h == "source_address"));
    assert_eq!(reader.records().count(), 48);

    let (ok, json, _) = rareflow(&["backtest", "--format", "json"]);
    assert!(ok);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["rule"]["hit_factor"], 1.5);
    assert_eq!(value["rows"].as_array().expect("rows").len(), 48);
    let summary = &value["summary"];
    let counted = ["hits", "near", "misses"]
        .iter()
        .map(|k| summary[*k].as_u64().expect("count"))
        .sum::<u64>();
    assert_eq!(counted, 48);
}

/// A malformed observations file is refused with a typed error naming the line: a row
/// without a source (here the first data row with its publisher blanked) is line 2.
#[test]
fn an_observation_without_a_source_is_refused_naming_its_line() {
    let mut lines: Vec<String> = OBSERVATIONS_CSV.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let publisher = header
        .iter()
        .position(|column| *column == "source_publisher")
        .expect("a source_publisher column");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(lines[1].as_bytes());
    let record = reader.records().next().expect("a row").expect("parses");
    let mut fields: Vec<String> = record.iter().map(str::to_owned).collect();
    fields[publisher].clear();
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(&fields).expect("writes");
    lines[1] = String::from_utf8(writer.into_inner().expect("flushes"))
        .expect("utf-8")
        .trim_end()
        .to_owned();
    match parse_observations(&lines.join("\n")) {
        Err(BacktestError::Observations { line, message }) => {
            assert_eq!(line, 2);
            assert!(message.contains("no source"), "{message}");
        }
        other => panic!("expected a refusal of line 2, got {other:?}"),
    }
}
