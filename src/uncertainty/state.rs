//! A summary as text (a shard's histogram state), merging shards, and quantiles.
//!
//! The text keeps every count and every reference value bit for bit (as hex), so shards
//! written on several machines merge into exactly the summary one machine would have made.

use std::fmt::Write as _;

use super::histogram::{Histogram, Measure};
use super::sweep::{OutputKey, OutputSeries, RunFailure, SweepSummary};

/// The quantiles a sweep reports.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

const HEADER: &str = "rareflow-sweep-state 1";

/// One output's quantiles over the solved runs.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantileRow {
    pub key: OutputKey,
    pub reference: f64,
    pub runs: u64,
    /// P5, P25, P50, P75, P95 (`None` when no run solved).
    pub quantiles: Option<[f64; 5]>,
    /// For shortfall shares: the share of runs with a shortfall.
    pub probability_above_zero: Option<f64>,
}

impl SweepSummary {
    /// Every output's quantiles, in the summary's order.
    pub fn quantile_rows(&self) -> Vec<QuantileRow> {
        self.outputs.iter().map(quantile_row).collect()
    }

    /// The summary as text, exact (see the module's docs).
    pub fn to_state_text(&self) -> String {
        let mut text = format!("{HEADER}\nseed\t{}\n", self.seed);
        let _ = writeln!(text, "runs\t{}\t{}", self.runs.start, self.runs.end);
        let _ = writeln!(
            text,
            "solved\t{}\nfailed\t{}",
            self.runs_solved, self.runs_failed
        );
        for failure in &self.failures {
            let reason = failure.reason.replace(['\n', '\t'], " ");
            let _ = writeln!(text, "failure\t{}\t{reason}", failure.run);
        }
        for series in &self.outputs {
            let key = &series.key;
            let _ = writeln!(
                text,
                "output\t{}\t{}\t{}\t{}\t{:016x}",
                key.measure.name(),
                key.year,
                dash_if_empty(&key.region),
                dash_if_empty(&key.commodity),
                series.reference.to_bits()
            );
            for (bin, count) in &series.histogram.counts {
                let _ = writeln!(text, "bin\t{bin}\t{count}");
            }
        }
        text
    }

    /// Reads what [`SweepSummary::to_state_text`] wrote.
    pub fn from_state_text(text: &str) -> Result<SweepSummary, String> {
        let mut lines = text.lines().enumerate();
        if lines.next().map(|(_, line)| line) != Some(HEADER) {
            return Err(format!("the first line is not `{HEADER}`"));
        }
        let mut summary = SweepSummary {
            seed: 0,
            runs: 0..0,
            runs_solved: 0,
            runs_failed: 0,
            failures: Vec::new(),
            outputs: Vec::new(),
        };
        for (index, line) in lines {
            read_state_line(&mut summary, line).map_err(|e| format!("line {}: {e}", index + 1))?;
        }
        Ok(summary)
    }

    /// Adds shards into one summary: they must share the seed and the outputs (with
    /// their reference values, bit for bit) and their runs must be disjoint and together
    /// one range. Exact, and the same in any order.
    pub fn merge(shards: &[SweepSummary]) -> Result<SweepSummary, String> {
        let mut sorted: Vec<&SweepSummary> = shards.iter().collect();
        sorted.sort_by_key(|shard| shard.runs.start);
        let (first, rest) = sorted.split_first().ok_or("no shard to merge")?;
        let mut merged = (*first).clone();
        for shard in rest {
            if shard.seed != merged.seed {
                return Err(format!("seeds differ: {} and {}", merged.seed, shard.seed));
            }
            if shard.runs.start != merged.runs.end {
                return Err(format!(
                    "runs {}..{} do not follow runs ..{}",
                    shard.runs.start, shard.runs.end, merged.runs.end
                ));
            }
            let same_outputs =
                shard.outputs.len() == merged.outputs.len()
                    && shard.outputs.iter().zip(&merged.outputs).all(|(a, b)| {
                        a.key == b.key && a.reference.to_bits() == b.reference.to_bits()
                    });
            if !same_outputs {
                return Err("the shards were run on different scenarios".to_owned());
            }
            merged.runs.end = shard.runs.end;
            merged.runs_solved += shard.runs_solved;
            merged.runs_failed += shard.runs_failed;
            merged.note_failures(shard.failures.iter().cloned());
            for (into, from) in merged.outputs.iter_mut().zip(&shard.outputs) {
                into.histogram.merge(&from.histogram);
            }
        }
        Ok(merged)
    }
}

fn quantile_row(series: &OutputSeries) -> QuantileRow {
    let measure = series.key.measure;
    let quantiles = QUANTILES.map(|p| {
        series
            .histogram
            .quantile_bin(p)
            .map(|bin| measure.bin_value(bin, series.reference))
    });
    let runs = series.histogram.total();
    QuantileRow {
        key: series.key.clone(),
        reference: series.reference,
        runs,
        quantiles: quantiles
            .iter()
            .all(Option::is_some)
            .then(|| quantiles.map(|q| q.unwrap_or(0.0))),
        probability_above_zero: (measure == Measure::ShortfallShare && runs > 0)
            .then(|| series.histogram.count_above_zero_bin() as f64 / runs as f64),
    }
}

fn dash_if_empty(text: &str) -> &str {
    if text.is_empty() { "-" } else { text }
}

fn empty_if_dash(text: &str) -> String {
    if text == "-" {
        String::new()
    } else {
        text.to_owned()
    }
}

fn read_state_line(summary: &mut SweepSummary, line: &str) -> Result<(), String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let number = |index: usize| -> Result<u64, String> {
        fields
            .get(index)
            .and_then(|field| field.parse().ok())
            .ok_or_else(|| format!("expected a number in `{line}`"))
    };
    match fields.first().copied() {
        Some("seed") => summary.seed = number(1)?,
        Some("runs") => summary.runs = number(1)?..number(2)?,
        Some("solved") => summary.runs_solved = number(1)?,
        Some("failed") => summary.runs_failed = number(1)?,
        Some("failure") => summary.failures.push(RunFailure {
            run: number(1)?,
            reason: fields.get(2).copied().unwrap_or_default().to_owned(),
        }),
        Some("output") if fields.len() == 6 => {
            let measure = Measure::from_name(fields[1]).ok_or("unknown measure")?;
            let year = fields[2].parse().map_err(|_| "bad year")?;
            let bits = u64::from_str_radix(fields[5], 16).map_err(|_| "bad reference")?;
            summary.outputs.push(OutputSeries {
                key: OutputKey {
                    measure,
                    year,
                    region: empty_if_dash(fields[3]),
                    commodity: empty_if_dash(fields[4]),
                },
                reference: f64::from_bits(bits),
                histogram: Histogram::default(),
            });
        }
        Some("bin") if fields.len() == 3 => {
            let bin = fields[1].parse().map_err(|_| "bad bin")?;
            let series = summary
                .outputs
                .last_mut()
                .ok_or("a bin before any output")?;
            series.histogram.add(bin, number(2)?);
        }
        _ => return Err(format!("cannot read `{line}`")),
    }
    Ok(())
}
