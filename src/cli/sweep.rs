//! `rareflow sweep` and `rareflow sweep-merge`: Monte Carlo over a scenario's uncertain
//! inputs, whole or one shard at a time, and shards combined into exactly the files one
//! machine would have written.
//!
//! A sweep's folder holds:
//!
//! | file | rows |
//! |---|---|
//! | `draws.csv` | `run,input,value`: every input's draw (a multiplier, or years of slip) |
//! | `run_status.csv` | `run,status,reason`: `solved`, or `failed` with why |
//! | `runs.csv` | `run,measure,year,region,commodity,value`: every output of every solved run |
//! | `quantiles.csv` | per output: the unperturbed value, runs, P5–P95, P(shortfall > 0) |
//! | `sweep-state.txt` | the histograms, exactly, for `sweep-merge` |

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::{CliError, open};
use crate::model::Scenario;
use crate::solver::{SolverSettings, calibrate};
use crate::uncertainty::{
    OutputKey, RunRecord, SweepRequest, SweepSummary, sweep_from_unperturbed, unperturbed,
    with_default_ranges,
};

const DRAWS: &str = "draws.csv";
const STATUS: &str = "run_status.csv";
const RUNS: &str = "runs.csv";
const QUANTILES: &str = "quantiles.csv";
const STATE: &str = "sweep-state.txt";
/// The per-run files, in the order `sweep-merge` concatenates them.
const PER_RUN_FILES: [(&str, &str); 3] = [
    (DRAWS, "run,input,value\n"),
    (STATUS, "run,status,reason\n"),
    (RUNS, "run,measure,year,region,commodity,value\n"),
];

/// Slice K of N (1-based, as Slurm array task ids usually are) of a sweep's runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Runs `total·(K−1)/N .. total·K/N`: contiguous slices that cover every run once.
    pub fn runs(self, total: u64) -> Range<u64> {
        let at = |k: u64| (u128::from(total) * u128::from(k) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }
}

/// Reads `K/N` with 1 ≤ K ≤ N.
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let (index, count) = text
        .split_once('/')
        .ok_or("write the shard as K/N, e.g. 3/10")?;
    let index: u64 = index
        .trim()
        .parse()
        .map_err(|_| "K in K/N is not a number")?;
    let count: u64 = count
        .trim()
        .parse()
        .map_err(|_| "N in K/N is not a number")?;
    if index == 0 || index > count {
        return Err(format!("shard {index}/{count}: K must be between 1 and N"));
    }
    Ok(Shard { index, count })
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> CliError + '_ {
    move |source| CliError::SweepIo {
        path: path.to_owned(),
        source,
    }
}

/// Runs a sweep (or one shard of it) and writes its folder; returns a short report.
pub fn sweep(
    file: &Path,
    total_runs: u64,
    seed: u64,
    out: &Path,
    shard: Option<Shard>,
    default_ranges: bool,
) -> Result<String, CliError> {
    let started = Instant::now();
    let scenario = open_ranged(file, default_ranges)?;
    let settings = SolverSettings::default();
    let calibration = calibrate(&scenario, &settings)?;
    let runs = shard.map_or(0..total_runs, |shard| shard.runs(total_runs));
    std::fs::create_dir_all(out).map_err(io_error(out))?;
    let mut writers = PerRunWriters::create(out)?;
    let request = SweepRequest {
        base: &scenario,
        calibration: &calibration,
        settings: &settings,
        runs: &runs,
        seed,
    };
    // The unperturbed run is solved once: its outputs name the per-run rows and anchor the
    // histograms.
    let unperturbed = unperturbed(&scenario, &calibration, &settings)?;
    let keys: Vec<OutputKey> = unperturbed
        .outputs
        .iter()
        .map(|series| series.key.clone())
        .collect();
    let cancel = AtomicBool::new(false);
    let progress = |done: u64, total: u64| {
        if done.is_multiple_of(10) || done == total {
            eprint!("\r{done}/{total} runs");
        }
    };
    let summary =
        sweep_from_unperturbed(&request, unperturbed, &progress, &cancel, &mut |record| {
            writers.write(&scenario.uncertainty, &keys, record);
        })?;
    eprintln!();
    writers.finish()?;
    write_summary_files(out, &summary)?;
    Ok(format!(
        "{} runs ({}..{} of {total_runs}, seed {seed}): {} solved, {} failed, in {:.1} s; \
         wrote {}\n",
        runs.end - runs.start,
        runs.start,
        runs.end,
        summary.runs_solved,
        summary.runs_failed,
        started.elapsed().as_secs_f64(),
        out.display()
    ))
}

/// Opens a scenario for a sweep or a tornado, with the default ranges added on items the
/// file gives no range when `default_ranges` is set; refuses one with no range at all.
pub(super) fn open_ranged(file: &Path, default_ranges: bool) -> Result<Scenario, CliError> {
    let mut scenario = open(file)?;
    if default_ranges {
        scenario = with_default_ranges(&scenario);
    }
    if scenario.uncertainty.is_empty() {
        return Err(CliError::Sweep(format!(
            "{}: the scenario has no uncertain inputs (`uncertainty: [...]`); every run would \
             be the same (--default-ranges adds the data's default ranges)",
            file.display()
        )));
    }
    Ok(scenario)
}

/// Combines shard folders into the folder the whole sweep would have written.
pub fn sweep_merge(shard_dirs: &[PathBuf], out: &Path) -> Result<String, CliError> {
    let mut shards = Vec::with_capacity(shard_dirs.len());
    for dir in shard_dirs {
        let path = dir.join(STATE);
        let text = std::fs::read_to_string(&path).map_err(io_error(&path))?;
        let summary = SweepSummary::from_state_text(&text)
            .map_err(|e| CliError::Sweep(format!("{}: {e}", path.display())))?;
        shards.push((summary, dir));
    }
    let summaries: Vec<SweepSummary> = shards.iter().map(|(s, _)| s.clone()).collect();
    let merged = SweepSummary::merge(&summaries).map_err(CliError::Sweep)?;
    shards.sort_by_key(|(summary, _)| summary.runs.start);
    std::fs::create_dir_all(out).map_err(io_error(out))?;
    for (name, header) in PER_RUN_FILES {
        let path = out.join(name);
        let mut merged_file = BufWriter::new(File::create(&path).map_err(io_error(&path))?);
        merged_file
            .write_all(header.as_bytes())
            .map_err(io_error(&path))?;
        for (_, dir) in &shards {
            let part_path = dir.join(name);
            let part = std::fs::read_to_string(&part_path).map_err(io_error(&part_path))?;
            let body = part.strip_prefix(header).ok_or_else(|| {
                CliError::Sweep(format!("{}: not a sweep's {name}", part_path.display()))
            })?;
            merged_file
                .write_all(body.as_bytes())
                .map_err(io_error(&path))?;
        }
        merged_file.flush().map_err(io_error(&path))?;
    }
    write_summary_files(out, &merged)?;
    Ok(format!(
        "merged {} shard(s): runs {}..{}, {} solved, {} failed; wrote {}\n",
        shard_dirs.len(),
        merged.runs.start,
        merged.runs.end,
        merged.runs_solved,
        merged.runs_failed,
        out.display()
    ))
}

fn write_summary_files(out: &Path, summary: &SweepSummary) -> Result<(), CliError> {
    let state_path = out.join(STATE);
    std::fs::write(&state_path, summary.to_state_text()).map_err(io_error(&state_path))?;
    let path = out.join(QUANTILES);
    let mut text = String::from(
        "measure,year,region,commodity,unperturbed,runs,p5,p25,p50,p75,p95,p_above_zero\n",
    );
    for row in summary.quantile_rows() {
        let quantiles = row
            .quantiles
            .map_or_else(|| ",,,,".to_owned(), |q| q.map(|v| v.to_string()).join(","));
        let above_zero = row
            .probability_above_zero
            .map_or_else(String::new, |p| p.to_string());
        let _ = writeln!(
            text,
            "{},{},{},{},{},{},{quantiles},{above_zero}",
            row.key.measure.name(),
            row.key.year,
            row.key.region,
            row.key.commodity,
            row.reference,
            row.runs,
        );
    }
    std::fs::write(&path, text).map_err(io_error(&path))
}

/// The per-run files, written as runs arrive (in run order); the first write error is
/// kept and reported at the end.
struct PerRunWriters {
    files: Vec<(PathBuf, BufWriter<File>)>,
    error: Option<CliError>,
}

impl PerRunWriters {
    fn create(out: &Path) -> Result<Self, CliError> {
        let mut files = Vec::new();
        for (name, header) in PER_RUN_FILES {
            let path = out.join(name);
            let mut file = BufWriter::new(File::create(&path).map_err(io_error(&path))?);
            file.write_all(header.as_bytes()).map_err(io_error(&path))?;
            files.push((path, file));
        }
        Ok(Self { files, error: None })
    }

    fn write(
        &mut self,
        inputs: &[crate::model::UncertainInput],
        keys: &[OutputKey],
        record: &RunRecord,
    ) {
        let run = record.draw.run;
        // Written straight into each file's text: a `format!` per row was a run's largest
        // allocation count. (Writing to a `String` cannot fail.)
        let mut draws = String::new();
        for (input, value) in inputs.iter().zip(&record.draw.values) {
            let _ = writeln!(draws, "{run},{},{}", input.id, value.as_number());
        }
        let mut rows = String::with_capacity(48 * keys.len());
        let status = match &record.outcome {
            Ok(values) => {
                for (key, value) in keys.iter().zip(values) {
                    let _ = writeln!(
                        rows,
                        "{run},{},{},{},{},{value}",
                        key.measure.name(),
                        key.year,
                        key.region,
                        key.commodity
                    );
                }
                format!("{run},solved,\n")
            }
            Err(reason) => format!("{run},failed,\"{}\"\n", reason.replace('"', "'")),
        };
        for ((path, file), text) in self.files.iter_mut().zip([draws, status, rows]) {
            if let Err(source) = file.write_all(text.as_bytes())
                && self.error.is_none()
            {
                self.error = Some(CliError::SweepIo {
                    path: path.clone(),
                    source,
                });
            }
        }
    }

    fn finish(mut self) -> Result<(), CliError> {
        for (path, file) in &mut self.files {
            file.flush().map_err(io_error(path))?;
        }
        self.error.map_or(Ok(()), Err)
    }
}
