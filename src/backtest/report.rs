//! The backtest as a table for people, CSV and JSON for scripts.
//!
//! # The JSON interface (`rareflow backtest --format json`)
//!
//! ```text
//! { "rule": { "hit_factor": 1.5, "near_factor": 3.0, "text": "…" },
//!   "summary": { "hits": 9, "near": 12, "misses": 27 },      // every row counted
//!   "episodes": [{ "id": "A_2010_export_quota_cuts", "letter": "A", "name": "…",
//!                  "scenario_file": "…", "scenario_name": "…", "base": "…", "solve_ms": 31.0,
//!                  "paths": [{ "region": "EXCHN", "commodity": "DYTB", "label": "…",
//!                              "model": [[2010, 1.02], …], "observed": [[2011, 12.19, "A01"], …] }] }],
//!   "rows": [{ "observation": { "id": "A01", "episode": "…", "what": "…",
//!                               "quantity": "PriceRatioToBase", "region": "EXCHN",
//!                               "commodity": "DYTB", "year": 2011, "from_year": null,
//!                               "value": 12.19, "unit": "ratio", "basis": "…",
//!                               "source": { "publisher": "…", "title": "…", "date": "…",
//!                                           "address": "…" },
//!                               "in_sample": null, "notes": "…" },
//!              "episode_letter": "A", "rule": "Factor",              // or Change, Years
//!              "model": 1.21, "model_meaning": "…",
//!              "comparison": 0.099,                                  // model/observed (Years: model − observed)
//!              "verdict": "Miss" }, …] }                             // Hit, Near or Miss
//! ```

use std::fmt::Write as _;

use serde::Serialize;

use super::{Backtest, HIT_FACTOR, NEAR_FACTOR, Row, Rule, Tally};
use crate::units;

/// The verdict rule in words, as the table, the app and the JSON state it.
pub fn rule_text() -> String {
    format!(
        "A HIT is a model value within a factor of {HIT_FACTOR} of the observed one (either way), \
         NEAR within a factor of {NEAR_FACTOR}, anything else a MISS. A change (one year against \
         another) must also have the observed sign. A first year of output is a HIT in the same \
         year, NEAR one year off."
    )
}

/// An observed or model value in the observation's unit, for people.
pub fn value_text(value: f64, unit: &str) -> String {
    match unit {
        "ratio" if value >= 10.0 => format!("{value:.0}×"),
        "ratio" => format!("{value:.2}×"),
        "fraction" => {
            let percent = value * 100.0;
            if percent.abs() < 0.05 {
                "0 %".to_owned()
            } else if percent.abs() < 0.5 {
                format!("{percent:+.1} %")
            } else {
                format!("{percent:+.0} %")
            }
        }
        "share" => units::percent(value),
        "share per year" => format!("{} /yr", units::percent(value)),
        "year" => format!("{value:.0}"),
        unit if unit.starts_with('t') => format!("{} t", units::tonnes(value)),
        _ => format!("{value}"),
    }
}

/// A row's comparison for people: "×0.10", "-1 yr" for years, "opposite sign" or "no
/// change" for a change that does not go the observed way; "-" where there is none.
pub fn comparison_text(row: &Row) -> String {
    match (row.rule, row.comparison) {
        (_, None) => "-".to_owned(),
        (Rule::Years, Some(difference)) => format!("{difference:+.0} yr"),
        (Rule::Change, Some(ratio)) if ratio.abs() < 0.005 => "no change".to_owned(),
        (Rule::Change, Some(ratio)) if ratio < 0.0 => "opposite sign".to_owned(),
        (_, Some(ratio)) if ratio.abs() >= 10.0 => format!("×{ratio:.0}"),
        // A model change of zero shows as zero, not "-0.00".
        (_, Some(ratio)) if ratio.abs() < 0.005 => "×0".to_owned(),
        (_, Some(ratio)) => format!("×{ratio:.2}"),
    }
}

/// The model's value for people, or "none".
pub fn model_text(row: &Row) -> String {
    row.model.map_or_else(
        || "none".to_owned(),
        |value| value_text(value, &row.observation.unit),
    )
}

/// A short source for a table cell: the publisher up to its first parenthesis or comma,
/// and the date.
pub fn short_source(row: &Row) -> String {
    let source = &row.observation.source;
    let publisher = source
        .publisher
        .split([',', '('])
        .next()
        .unwrap_or(&source.publisher)
        .trim();
    format!("{publisher}, {}", source.date)
}

fn tally_text(tally: Tally) -> String {
    format!(
        "{} observations: {} HIT, {} NEAR, {} MISS",
        tally.total(),
        tally.hits,
        tally.near,
        tally.misses
    )
}

/// The table `rareflow backtest` prints.
pub fn to_text(backtest: &Backtest) -> String {
    let mut out = String::from("Backtest: the model against observed outcomes\n\n");
    let _ = writeln!(out, "{}", rule_text());
    out.push_str(
        "* in-sample: the observation also sized the scenario's policy, so it is not an \
         independent test.\n",
    );
    for episode in &backtest.episodes {
        let rows: Vec<&Row> = backtest.rows_of(episode.letter).collect();
        let _ = writeln!(
            out,
            "\n{}  {} ({}; {}; solved in {:.0} ms)",
            episode.letter, episode.name, episode.scenario_file, episode.base, episode.solve_ms
        );
        let what_width = rows
            .iter()
            .map(|row| row.observation.what.chars().count())
            .max()
            .unwrap_or(10);
        let _ = writeln!(
            out,
            "  {:<4} {:<7} {:>9} {:>9} {:>13}  {:<what_width$}  source",
            "id", "verdict", "observed", "model", "model/obs", "observation"
        );
        for row in &rows {
            let observation = &row.observation;
            let id = if observation.in_sample.is_some() {
                format!("{}*", observation.id)
            } else {
                observation.id.clone()
            };
            let _ = writeln!(
                out,
                "  {:<4} {:<7} {:>9} {:>9} {:>13}  {:<what_width$}  {}",
                id,
                row.verdict.word(),
                value_text(observation.value, &observation.unit),
                model_text(row),
                comparison_text(row),
                observation.what,
                short_source(row),
            );
        }
        let _ = writeln!(out, "  {}: {}", episode.letter, tally_text(Tally::of(rows)));
    }
    let _ = writeln!(
        out,
        "\nAll: {}. Full sources: --format csv or json; the observations are documented in \
         assets/data/backtest/README.md.",
        tally_text(Tally::of(&backtest.rows))
    );
    out
}

/// Every row as CSV, with its full source.
pub fn to_csv(backtest: &Backtest) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "episode",
        "what",
        "quantity",
        "region",
        "commodity",
        "year",
        "from_year",
        "observed",
        "unit",
        "model",
        "comparison",
        "rule",
        "verdict",
        "in_sample",
        "model_meaning",
        "basis",
        "source_publisher",
        "source_title",
        "source_date",
        "source_address",
    ];
    let _ = writer.write_record(header);
    for row in &backtest.rows {
        let o = &row.observation;
        let number = |value: Option<f64>| value.map_or(String::new(), |v| format!("{v:.6}"));
        let _ = writer.write_record([
            o.id.clone(),
            o.episode.clone(),
            o.what.clone(),
            format!("{:?}", o.quantity),
            o.region.clone(),
            o.commodity.clone(),
            o.year.to_string(),
            o.from_year.map_or(String::new(), |y| y.to_string()),
            format!("{}", o.value),
            o.unit.clone(),
            number(row.model),
            number(row.comparison),
            format!("{:?}", row.rule),
            row.verdict.word().to_owned(),
            o.in_sample.clone().unwrap_or_default(),
            row.model_meaning.clone(),
            o.basis.clone(),
            o.source.publisher.clone(),
            o.source.title.clone(),
            o.source.date.clone(),
            o.source.address.clone(),
        ]);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

#[derive(Serialize)]
struct RuleRecord {
    hit_factor: f64,
    near_factor: f64,
    text: String,
}

#[derive(Serialize)]
struct BacktestRecord<'a> {
    rule: RuleRecord,
    summary: Tally,
    #[serde(flatten)]
    backtest: &'a Backtest,
}

/// The backtest as JSON (see the module documentation).
pub fn to_json(backtest: &Backtest) -> String {
    let record = BacktestRecord {
        rule: RuleRecord {
            hit_factor: HIT_FACTOR,
            near_factor: NEAR_FACTOR,
            text: rule_text(),
        },
        summary: Tally::of(&backtest.rows),
        backtest,
    };
    serde_json::to_string_pretty(&record)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
}
