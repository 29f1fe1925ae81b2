//! Scenarios as spreadsheets: the parts of a [`Scenario`] a planner edits, written as
//! tables (one CSV file or one XLSX sheet each) and read back by merging rows into a
//! scenario by id.
//!
//! # Tables and columns
//!
//! Every table has a header row; the columns may come in any order. Units are in the
//! column names (`_t_per_yr`, `_usd_per_kg`; shares and rates are fractions). Lists are
//! written `A;B;C`. Empty cells are "none" for optional values.
//!
//! | table | a row per | columns |
//! |---|---|---|
//! | `scenario` | the scenario (one row) | `name`, `description`, `base_year`, `first_year`, `last_year`, `reference_note` |
//! | `nodes` | mine, refinery or magnet plant | `id`, `name`, `operator`, `country`, `stage` (mine, refinery, magnet), `status` (operating, construction, planned, pilot, exploration), `capacity_t_per_yr`, `start_year`, `ramp_years`, `unit_cost_usd_per_kg`, `ore_type` (mines), `recovery` and `feed` (refineries: concentrate or secondary), `product` (magnet plants), `source`, `notes`, `remove` |
//! | `compositions` | oxide of a mine's ore, or of a secondary refinery's feed | `node`, `commodity`, `share` |
//! | `circuits` | separation circuit of a refinery | `node`, `commodity`, `capacity_t_per_yr`, `start_year`, `ramp_years` |
//! | `recipes` | oxide input of a magnet plant | `node`, `commodity`, `t_per_t` |
//! | `node_expansions` | later phase of a mine or magnet plant | `node`, `year`, `added_t_per_yr`, `ramp_years`, `source` |
//! | `demand` | region and commodity | `region`, `commodity`, `reference_t_per_yr`, `reference_price_usd_per_kg`, `elasticity`, `growth_per_yr`, `form` (linear, constant_elasticity), `price_cap_multiple`, `long_run_elasticity`, `long_run_adjustment_per_yr`, `source`, `notes`, `remove` |
//! | `policies` | policy | see below |
//! | `trade_defaults` | (one row) | `border_usd_per_kg`, `per_1000km_usd_per_kg`, `domestic_usd_per_kg`, `source` |
//! | `trade_costs` | route-specific cost | `from`, `to`, `commodity` (empty: every commodity), `usd_per_kg`, `source`, `remove` |
//! | `expansion_options` | capacity investors may add | `id`, `label`, `enabled`, `stage`, `country`, `host`, `commodity`, `capital_cost_usd_per_t_per_yr`, `capital_recovery_factor`, `lead_years`, `max_build_t_per_yr`, `source`, `notes`, `remove` |
//! | `contracts` | long-term contract | `id`, `label`, `enabled`, `seller_kind` and `buyer_kind` (node, country, region), `seller`, `buyer`, `stage`, `commodity`, `volume_t_per_yr` or `volume_share_of_output`, `start_year`, `end_year`, `breach_cost_usd_per_kg`, `source`, `notes`, `remove` |
//! | `uncertainty` | range on a guessed number | `target` (node_capacity, node_start_year, demand_elasticity, demand_growth, policy_severity, expansion_capital_cost, expansion_lead_time), `item` (the node, commodity, policy or expansion option), `id`, `label`, `distribution` (uniform, triangular, lognormal, year_slip), `params` (`low=0.8;high=1.2`, `low=0.8;mode=1;high=1.2`, `median=1;sigma=0.42`, `0y=0.5;2y=0.5`: multipliers of the value, or years of slip with their probabilities), `source`, `notes`, `remove` |
//! | `correlations` | rank correlation between two ranges | `first`, `second` (ids of ranges), `rank_correlation` (−1 to 1), `source`, `remove` |
//!
//! `policies` has a row per policy: `id`, `label`, `enabled`, `kind`, `start_year`,
//! `end_year`, `event`, `source`, `notes`, `remove`, and the columns of its kind (a
//! column of another kind must stay empty):
//!
//! | kind | columns |
//! |---|---|
//! | `export_ban` | `country` (exporter), `commodities`, `stages`, `partners_rule` (all, only, all_except), `partners` |
//! | `export_quota` | as `export_ban`, and `quota_t_per_yr` or `quota_share_of_output` |
//! | `import_tariff` | `country` (importer: country or region), `commodities`, `stages`, `partners_rule`, `partners` (origins), `tariff_usd_per_kg` or `tariff_ad_valorem` |
//! | `capacity_change` | `node`, one of `capacity_set_t_per_yr`, `capacity_scale`, `capacity_add_t_per_yr` |
//! | `demand_shock` | `region`, `commodities` (one), `demand_factor` |
//! | `stockpile` | `region` (holder), `commodities` (one), `initial_stock_t`, `release_t_per_yr` or both `release_trigger_usd_per_kg` and `release_max_t_per_yr`, `also_for` |
//! | `production_quota` | `country`, `stages` (one), `commodities` (empty: all), `max_t_per_yr` |
//!
//! Commodities, regions, countries, sources and nodes' reported output (calibration data)
//! are not tables: they stay as the scenario file has them.
//!
//! # Merging
//!
//! Rows are matched to items by id (`demand` by region and commodity, `trade_costs` by
//! from, to and commodity, `correlations` by the pair of ids in either order). A row of
//! `uncertainty` may leave `id` and `label` empty: it then replaces the range on its
//! target, or adds one with an id such as `<item>-start` and its target's description. A row with a new id adds an item; a row whose values differ
//! changes the item; a row with `remove` set (`yes`, `x`, `true` or `1`) removes it. A row
//! that is simply missing leaves its item as it is, unless the import is told to treat
//! missing rows as removed ([`MergeOptions::remove_missing_rows`]): a planner who sends
//! back a filtered sheet, or drops a table, should not lose half the scenario by
//! accident. A table that is absent altogether changes nothing.
//!
//! A node's rows in `compositions`, `circuits`, `recipes` and `node_expansions` replace
//! its list when there are any; a node with no rows there keeps its list. A refinery's
//! capacity is the total of the circuits that start with it: a changed capacity whose
//! circuits are unchanged scales those circuits, as the app's capacity editor does.
//!
//! Anything wrong refuses the whole import: the reason names the table, the row (as a
//! spreadsheet numbers it: the header is row 1) and the column, and nothing changes.
//! After merging, the scenario must pass [`crate::model::validate()`].

mod columns;
mod merge;
mod merge_state;
mod parse_market;
mod parse_nodes;
mod parse_policies;
mod read;
mod uncertainty_tables;
mod write;

use std::fmt;

pub use merge::merge_tables;
pub use merge_state::MergeOptions;
pub use read::{RawTable, ReadError, read_csv_folder, read_xlsx};
pub use write::scenario_tables;

use crate::model::Scenario;

/// One item added, changed, removed or left out, as the preview lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewEntry {
    /// The table the item's row is in, e.g. `nodes`.
    pub table: String,
    /// The row's id, e.g. `MINE-CHN-bayan_obo` or `EUR/NDFEB`.
    pub id: String,
    /// For a changed item: the columns whose values change (and child tables such as
    /// `circuits` whose rows for the item change).
    pub fields: Vec<String>,
}

/// A row the import refuses, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Where the row came from, e.g. `nodes.csv` or `sheet nodes`.
    pub table: String,
    /// The row as a spreadsheet numbers it (header = 1); `None` for the whole table.
    pub row: Option<usize>,
    /// The column at fault, when one is.
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.table)?;
        if let Some(row) = self.row {
            write!(f, " row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// What an import would do, before it is applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPreview {
    pub added: Vec<PreviewEntry>,
    pub changed: Vec<PreviewEntry>,
    pub removed: Vec<PreviewEntry>,
    /// Items with no row in a table that was read: kept as they are (see
    /// [`MergeOptions::remove_missing_rows`]).
    pub not_in_tables: Vec<PreviewEntry>,
    /// Rows refused; when any is, the import changes nothing.
    pub refused: Vec<Refusal>,
}

impl ImportPreview {
    /// Whether the tables change nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// The preview as text, one line per entry (for the CLI).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut list = |heading: &str, entries: &[PreviewEntry]| {
            if entries.is_empty() {
                return;
            }
            out.push_str(&format!("{heading} ({}):\n", entries.len()));
            for entry in entries {
                out.push_str(&format!("  {} {}", entry.table, entry.id));
                if !entry.fields.is_empty() {
                    out.push_str(&format!(": {}", entry.fields.join(", ")));
                }
                out.push('\n');
            }
        };
        list("added", &self.added);
        list("changed", &self.changed);
        list("removed", &self.removed);
        if !self.not_in_tables.is_empty() {
            out.push_str(&format!(
                "kept, not in the tables: {} item(s)\n",
                self.not_in_tables.len()
            ));
        }
        if !self.refused.is_empty() {
            out.push_str(&format!("refused ({}):\n", self.refused.len()));
            for refusal in &self.refused {
                out.push_str(&format!("  {refusal}\n"));
            }
        }
        out
    }
}

/// The outcome of merging tables into a scenario.
#[derive(Clone, Debug)]
pub struct Import {
    pub preview: ImportPreview,
    /// The merged scenario; `None` when anything was refused.
    pub scenario: Option<Scenario>,
}

/// Where tables are read from or written to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TablesLocation {
    /// A folder with a `<table>.csv` file per table.
    CsvFolder(std::path::PathBuf),
    /// A workbook with a sheet per table.
    Xlsx(std::path::PathBuf),
}

/// Writes the scenario's tables; returns the files written.
pub fn export_tables(
    scenario: &Scenario,
    location: &TablesLocation,
) -> Result<Vec<std::path::PathBuf>, crate::export::ExportError> {
    let tables = scenario_tables(scenario);
    match location {
        TablesLocation::CsvFolder(folder) => crate::export::write_csv_folder(folder, &tables),
        TablesLocation::Xlsx(path) => {
            crate::export::write_xlsx(path, &tables)?;
            Ok(vec![path.clone()])
        }
    }
}

/// Reads the tables at `location` and merges them into `base`.
pub fn import_tables(
    base: &Scenario,
    location: &TablesLocation,
    options: MergeOptions,
) -> Result<Import, ReadError> {
    let tables = match location {
        TablesLocation::CsvFolder(folder) => read_csv_folder(folder)?,
        TablesLocation::Xlsx(path) => read_xlsx(path)?,
    };
    Ok(merge_tables(base, &tables, options))
}
