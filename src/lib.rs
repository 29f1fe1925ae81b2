//! # rareflow
//!
//! A what-if modeller for the global rare-earth supply chain: mines → separation
//! refineries → magnet plants → regional demand, per commodity and year.
//!
//! # Architecture
//!
//! Data flows one way:
//!
//! ```text
//! scenario file (RON) ──io::load──▶ model::Scenario ──solver::solve──▶ Solution ──▶ views
//! ```
//!
//! | module | what it holds | knows egui? |
//! |---|---|---|
//! | [`model`] | the scenario as plain serde data, capacity over the years, validation | no |
//! | [`io`] | the RON file format: versions, migrations, size limit, atomic saves | no |
//! | [`summary`] | capacity and reported output by stage, country and commodity | no |
//! | [`solver`] | the yearly spatial price equilibrium, calibration, origins, LP export | no |
//! | [`document`] | the open scenario: its file, unsaved changes, labelled undo/redo | no |
//! | [`solve_session`] | solving in the background; which answers belong to the document | no |
//! | [`report`] | solutions as text tables, CSV and JSON | no |
//! | [`export`] | results as CSV files and an XLSX workbook | no |
//! | [`scenario_tables`] | a scenario as editable tables (CSV, XLSX) and merging them back | no |
//! | [`recovery`] | autosave of unsaved changes; recovery files left by a crash | no |
//! | [`compare`] | what differs between two scenarios' assumptions | no |
//! | [`plant_compare`] | who is hurt: every plant's and route's results against a reference | no |
//! | [`policy_words`] | policies in a planner's words | no |
//! | [`backtest`] | the model against observed outcomes of two episodes | no |
//! | [`uncertainty`] | Monte Carlo sweeps, their mergeable summaries, tornado charts | no |
//! | [`cli`] | the command-line interface | no |
//! | [`units`] | how numbers are shown: t/yr, kt, $/kg, % | no |
//! | `app` | the eframe application (feature `gui`) | yes |
//!
//! Only `app` may use egui: `cargo check --no-default-features` builds everything else.
//!
//! The built-in scenarios in `scenarios/` are derived from the source data in
//! `assets/data/` by the maintainers' tool in the `xtask` workspace member
//! (`cargo xtask derive`); it is not part of this crate.

pub mod backtest;
pub mod cli;
pub mod compare;
pub mod document;
pub mod export;
pub mod io;
pub mod model;
pub mod plant_compare;
pub mod policy_words;
pub mod recovery;
pub mod report;
pub mod scenario_tables;
pub mod solve_session;
pub mod solver;
pub mod summary;
pub mod uncertainty;
pub mod units;

#[cfg(feature = "gui")]
pub mod app;

/// The built-in 2024 baseline scenario, as shipped in `scenarios/baseline-2024.ron`.
pub const BASELINE_RON: &str = include_str!("../scenarios/baseline-2024.ron");

/// Loads the built-in baseline.
///
/// A test holds the embedded file valid, so this fails only on a broken build.
pub fn baseline() -> Result<model::Scenario, io::LoadError> {
    io::load_str("built-in baseline", BASELINE_RON)
}
