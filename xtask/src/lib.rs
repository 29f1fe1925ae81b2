//! rareflow's maintainer tasks. `cargo xtask derive` derives the built-in scenarios
//! (`scenarios/*.ron`) from the source data in `assets/data/`; a test re-derives them and
//! checks that the committed files are exactly what this code makes of the data.
//!
//! It is a workspace member of its own so that the shipped `rareflow` crate carries no
//! maintainer tool, and the root's `default-members` include it so that a plain
//! `cargo test` or `cargo nextest run` at the root runs that check.
//!
//! # How the data becomes the model
//!
//! * `nodes.csv` has one row per facility and commodity group; a facility is one node (its
//!   `node_id` without the group suffix). A `-2` suffix marks a later phase of the same site:
//!   it becomes an [`Expansion`](rareflow::model::Expansion) (and, for refineries, circuits
//!   with a start year). The `operator` column names the operator ([`nodes`]).
//! * Mines: capacity is the sum of the group rows; the composition is the
//!   `mine_composition.csv` row of the `ore_type` column (the rows are that composition
//!   times the total), else the rows' own split. Rows of group `ALL` or `MIXED` have no
//!   capacity; they get the generic bastnaesite split as a placeholder.
//! * Refineries: each group row is a separation circuit; feed capacity is their sum.
//!   Recovery is `refinery_recovery` of `assumptions.csv`; secondary supply has its own feed.
//! * Magnet plants: capacity and output in t NdFeB from the `*_t_ndfeb` columns; the recipe
//!   (`magnet_recipe_t_reo_per_t_ndfeb`) is 0.25 t NdPr + 0.009 t Dy/Tb per t of magnet.
//! * The metal stage (`stage=metal`) is not a stage of the model: oxide goes to magnet
//!   plants directly. Its rows are left out (their capacity is not binding in the data).
//! * Demand: oxide rows as they are; magnet rows become NdFeB demand (NdPr t REO / 0.25)
//!   ([`market`]).
//! * Prices: 2024 Argus FOB China annual averages from `prices.csv`.
//! * Policies: `policies.ron`, all switched off, each computed number checked against the
//!   data by its rule ([`policies`]); the event scenarios switch some on ([`scenarios`]).
//! * Projects that start after the base year ramp to nameplate over
//!   `new_capacity_ramp_years`.
//! * Expansion options (capacity investors may add) from `expansion.csv`, one per country,
//!   stage and circuit hosted by its largest operating node; contracts and captive chains
//!   from `contracts.csv` ([`market_terms`]).
//! * Demand curves: constant elasticity with a price cap, adapting over the years towards a
//!   long-run elasticity, all from `assumptions.csv` ([`market`]).
//!
//! Every constant that shapes answers is a row of `assumptions.csv` ([`assumptions`]).

pub mod assumptions;
pub mod backtest_2010;
mod backtest_2010_market;
mod backtest_2010_nodes;
pub mod catalogue;
pub mod market;
pub mod market_terms;
pub mod nodes;
pub mod policies;
pub mod scenarios;
pub mod table;

use std::path::{Path, PathBuf};

use rareflow::model::Scenario;

use crate::assumptions::Assumptions;
pub use crate::table::DeriveError;
use crate::table::{Data, data_error};

/// The data's base year: the year of its `*_2024_*` columns.
pub const BASE_YEAR: i32 = 2024;

/// The oxide groups of the data, in file order.
pub const OXIDES: [&str; 4] = ["NDPR", "DYTB", "Y", "LACE"];

/// The magnet product's commodity id.
pub const MAGNETS: &str = "NDFEB";

/// The baseline's file name in `scenarios/`.
pub const BASELINE_FILE_NAME: &str = "baseline-2024.ron";

/// The repository's root (this crate lives in its `xtask/` folder).
pub fn repository_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| Path::new("."))
}

/// The data folder of the repository: `assets/data/`.
pub fn default_data_dir() -> PathBuf {
    repository_root().join("assets").join("data")
}

/// The scenarios folder of the repository: `scenarios/`.
pub fn default_scenarios_dir() -> PathBuf {
    repository_root().join("scenarios")
}

/// Oxide (t REO) per t of NdFeB magnet, from `assumptions.csv`.
pub struct MagnetRecipe {
    pub ndpr_t_per_t: f64,
    pub dytb_t_per_t: f64,
}

impl MagnetRecipe {
    /// The oxide of `commodity` in a tonne of magnet (0 for oxides not in the recipe).
    pub fn t_per_t(&self, commodity: &str) -> f64 {
        match commodity {
            "NDPR" => self.ndpr_t_per_t,
            "DYTB" => self.dytb_t_per_t,
            _ => 0.0,
        }
    }
}

/// The data tables and the constants every part of the derivation reads.
pub struct Inputs<'d> {
    pub data_dir: &'d Path,
    pub data: &'d Data,
    pub assumptions: Assumptions<'d>,
    pub recipe: MagnetRecipe,
    pub refinery_recovery: f64,
    pub ramp_years: u32,
}

impl<'d> Inputs<'d> {
    fn read(data_dir: &'d Path, data: &'d Data) -> Result<Self, DeriveError> {
        let assumptions = Assumptions::read(data_dir, data)?;
        let recipe_key = "magnet_recipe_t_reo_per_t_ndfeb";
        let recipe = MagnetRecipe {
            ndpr_t_per_t: assumptions.get_for(recipe_key, "NDPR")?.value,
            dytb_t_per_t: assumptions.get_for(recipe_key, "DYTB")?.value,
        };
        let refinery_recovery = assumptions
            .get_for("refinery_recovery", "concentrate")?
            .value;
        let ramp_years = assumptions.whole_number("new_capacity_ramp_years")?;
        Ok(Self {
            data_dir,
            data,
            assumptions,
            recipe,
            refinery_recovery,
            ramp_years,
        })
    }
}

/// Derives the 2024 baseline scenario from the data folder.
pub fn derive_baseline(data_dir: &Path) -> Result<Scenario, DeriveError> {
    let data = Data::read(data_dir)?;
    let inputs = Inputs::read(data_dir, &data)?;
    let prices = market::reference_prices(&inputs)?;
    let demand = market::demand(&inputs, &prices)?;
    let last_year = inputs.assumptions.year("horizon_last_year")?;
    let nodes = nodes::nodes(&inputs)?;
    let expansion = market_terms::expansion_options(&inputs, &nodes)?;
    let contracts = market_terms::contracts(&inputs)?;
    let scenario = Scenario {
        meta: scenarios::baseline_metadata(last_year),
        commodities: catalogue::commodities(),
        regions: catalogue::regions(&data.regions)?,
        countries: catalogue::countries(&data.countries)?,
        nodes,
        trade: market::trade_costs(&inputs)?,
        policies: policies::policies(&inputs, &demand, &prices)?,
        expansion,
        contracts,
        uncertainty: Vec::new(),
        correlations: Vec::new(),
        demand,
        sources: catalogue::sources(&data),
    };
    inputs.assumptions.all_read()?;
    let problems = rareflow::model::validate(&scenario);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(data_error(
            "the derived baseline",
            format!("is not a valid scenario:\n  - {}", list.join("\n  - ")),
        ));
    }
    Ok(scenario)
}

/// Derives every built-in scenario from `data_dir` (the baseline, its event scenarios and
/// the 2010 world of the backtest, [`backtest_2010`]) and writes them to `out_dir`; returns
/// the paths written.
pub fn write_scenarios(data_dir: &Path, out_dir: &Path) -> Result<Vec<PathBuf>, DeriveError> {
    let baseline = derive_baseline(data_dir)?;
    let events = scenarios::event_scenarios(&baseline)
        .map_err(|message| data_error(policies::FILE, message))?;
    let mut written = Vec::new();
    let path = out_dir.join(BASELINE_FILE_NAME);
    rareflow::io::save(&path, &baseline)?;
    written.push(path);
    for event in events {
        let path = out_dir.join(event.file_name);
        rareflow::io::save(&path, &event.scenario)?;
        written.push(path);
    }
    let path = out_dir.join(backtest_2010::FILE_NAME);
    rareflow::io::save(&path, &backtest_2010::derive(data_dir)?)?;
    written.push(path);
    Ok(written)
}
