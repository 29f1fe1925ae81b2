//! The tables' names and columns, and the words used for the model's enums, shared by the
//! writer and the reader so that the two cannot drift apart.

use crate::model::{NodeStatus, Stage};

pub const SCENARIO: &str = "scenario";
pub const NODES: &str = "nodes";
pub const COMPOSITIONS: &str = "compositions";
pub const CIRCUITS: &str = "circuits";
pub const RECIPES: &str = "recipes";
pub const NODE_EXPANSIONS: &str = "node_expansions";
pub const DEMAND: &str = "demand";
pub const POLICIES: &str = "policies";
pub const TRADE_DEFAULTS: &str = "trade_defaults";
pub const TRADE_COSTS: &str = "trade_costs";
pub const EXPANSION_OPTIONS: &str = "expansion_options";
pub const CONTRACTS: &str = "contracts";
pub const UNCERTAINTY: &str = "uncertainty";
pub const CORRELATIONS: &str = "correlations";

/// Every table, in the order they are written.
pub const TABLE_NAMES: [&str; 14] = [
    SCENARIO,
    NODES,
    COMPOSITIONS,
    CIRCUITS,
    RECIPES,
    NODE_EXPANSIONS,
    DEMAND,
    POLICIES,
    TRADE_DEFAULTS,
    TRADE_COSTS,
    EXPANSION_OPTIONS,
    CONTRACTS,
    UNCERTAINTY,
    CORRELATIONS,
];

pub const SCENARIO_COLUMNS: &[&str] = &[
    "name",
    "description",
    "base_year",
    "first_year",
    "last_year",
    "reference_note",
];

pub const NODE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "operator",
    "country",
    "stage",
    "status",
    "capacity_t_per_yr",
    "start_year",
    "ramp_years",
    "unit_cost_usd_per_kg",
    "ore_type",
    "recovery",
    "feed",
    "product",
    "source",
    "notes",
    "remove",
];

/// Node columns that only one stage uses, with that stage.
pub const NODE_STAGE_COLUMNS: &[(&str, Stage)] = &[
    ("ore_type", Stage::Mine),
    ("recovery", Stage::Refinery),
    ("feed", Stage::Refinery),
    ("product", Stage::Magnet),
];

pub const COMPOSITION_COLUMNS: &[&str] = &["node", "commodity", "share"];
pub const CIRCUIT_COLUMNS: &[&str] = &[
    "node",
    "commodity",
    "capacity_t_per_yr",
    "start_year",
    "ramp_years",
];
pub const RECIPE_COLUMNS: &[&str] = &["node", "commodity", "t_per_t"];
pub const NODE_EXPANSION_COLUMNS: &[&str] =
    &["node", "year", "added_t_per_yr", "ramp_years", "source"];

pub const DEMAND_COLUMNS: &[&str] = &[
    "region",
    "commodity",
    "reference_t_per_yr",
    "reference_price_usd_per_kg",
    "elasticity",
    "growth_per_yr",
    "form",
    "price_cap_multiple",
    "long_run_elasticity",
    "long_run_adjustment_per_yr",
    "source",
    "notes",
    "remove",
];

pub const POLICY_COLUMNS: &[&str] = &[
    "id",
    "label",
    "enabled",
    "kind",
    "start_year",
    "end_year",
    "country",
    "region",
    "node",
    "commodities",
    "stages",
    "partners_rule",
    "partners",
    "quota_t_per_yr",
    "quota_share_of_output",
    "tariff_usd_per_kg",
    "tariff_ad_valorem",
    "capacity_set_t_per_yr",
    "capacity_scale",
    "capacity_add_t_per_yr",
    "demand_factor",
    "initial_stock_t",
    "release_t_per_yr",
    "release_trigger_usd_per_kg",
    "release_max_t_per_yr",
    "also_for",
    "max_t_per_yr",
    "event",
    "source",
    "notes",
    "remove",
];

/// The policy columns that belong to kinds (the rest apply to every policy).
pub const POLICY_KIND_COLUMNS: &[&str] = &[
    "country",
    "region",
    "node",
    "commodities",
    "stages",
    "partners_rule",
    "partners",
    "quota_t_per_yr",
    "quota_share_of_output",
    "tariff_usd_per_kg",
    "tariff_ad_valorem",
    "capacity_set_t_per_yr",
    "capacity_scale",
    "capacity_add_t_per_yr",
    "demand_factor",
    "initial_stock_t",
    "release_t_per_yr",
    "release_trigger_usd_per_kg",
    "release_max_t_per_yr",
    "also_for",
    "max_t_per_yr",
];

/// The kind-specific columns each policy kind may fill.
pub fn policy_kind_columns(kind: &str) -> &'static [&'static str] {
    const TRADE: &[&str] = &[
        "country",
        "commodities",
        "stages",
        "partners_rule",
        "partners",
    ];
    match kind {
        "export_ban" => TRADE,
        "export_quota" => &[
            "country",
            "commodities",
            "stages",
            "partners_rule",
            "partners",
            "quota_t_per_yr",
            "quota_share_of_output",
        ],
        "import_tariff" => &[
            "country",
            "commodities",
            "stages",
            "partners_rule",
            "partners",
            "tariff_usd_per_kg",
            "tariff_ad_valorem",
        ],
        "capacity_change" => &[
            "node",
            "capacity_set_t_per_yr",
            "capacity_scale",
            "capacity_add_t_per_yr",
        ],
        "demand_shock" => &["region", "commodities", "demand_factor"],
        "stockpile" => &[
            "region",
            "commodities",
            "initial_stock_t",
            "release_t_per_yr",
            "release_trigger_usd_per_kg",
            "release_max_t_per_yr",
            "also_for",
        ],
        "production_quota" => &["country", "stages", "commodities", "max_t_per_yr"],
        _ => &[],
    }
}

pub const POLICY_KINDS: &[&str] = &[
    "export_ban",
    "export_quota",
    "import_tariff",
    "capacity_change",
    "demand_shock",
    "stockpile",
    "production_quota",
];

pub const TRADE_DEFAULT_COLUMNS: &[&str] = &[
    "border_usd_per_kg",
    "per_1000km_usd_per_kg",
    "domestic_usd_per_kg",
    "source",
];
pub const TRADE_COST_COLUMNS: &[&str] =
    &["from", "to", "commodity", "usd_per_kg", "source", "remove"];

pub const EXPANSION_OPTION_COLUMNS: &[&str] = &[
    "id",
    "label",
    "enabled",
    "stage",
    "country",
    "host",
    "commodity",
    "capital_cost_usd_per_t_per_yr",
    "capital_recovery_factor",
    "lead_years",
    "max_build_t_per_yr",
    "source",
    "notes",
    "remove",
];

pub const CONTRACT_COLUMNS: &[&str] = &[
    "id",
    "label",
    "enabled",
    "seller_kind",
    "seller",
    "buyer_kind",
    "buyer",
    "stage",
    "commodity",
    "volume_t_per_yr",
    "volume_share_of_output",
    "start_year",
    "end_year",
    "breach_cost_usd_per_kg",
    "source",
    "notes",
    "remove",
];

/// A range on a guessed number: its target (`target` kind and the `item` it names), its
/// `id` (the key; a row without one names the range on its target), `distribution` and
/// `params` as `crate::model::Distribution::params_text` writes them (`low=0.8;high=1.2`).
pub const UNCERTAINTY_COLUMNS: &[&str] = &[
    "target",
    "item",
    "id",
    "label",
    "distribution",
    "params",
    "source",
    "notes",
    "remove",
];

/// A rank correlation between two ranges, named by their ids; the unordered pair is its key.
pub const CORRELATION_COLUMNS: &[&str] =
    &["first", "second", "rank_correlation", "source", "remove"];

/// The columns of a table, by its name.
pub fn columns_of(table: &str) -> &'static [&'static str] {
    match table {
        SCENARIO => SCENARIO_COLUMNS,
        NODES => NODE_COLUMNS,
        COMPOSITIONS => COMPOSITION_COLUMNS,
        CIRCUITS => CIRCUIT_COLUMNS,
        RECIPES => RECIPE_COLUMNS,
        NODE_EXPANSIONS => NODE_EXPANSION_COLUMNS,
        DEMAND => DEMAND_COLUMNS,
        POLICIES => POLICY_COLUMNS,
        TRADE_DEFAULTS => TRADE_DEFAULT_COLUMNS,
        TRADE_COSTS => TRADE_COST_COLUMNS,
        EXPANSION_OPTIONS => EXPANSION_OPTION_COLUMNS,
        CONTRACTS => CONTRACT_COLUMNS,
        UNCERTAINTY => UNCERTAINTY_COLUMNS,
        CORRELATIONS => CORRELATION_COLUMNS,
        _ => &[],
    }
}

/// Columns a table may leave out (a table without it removes nothing by its rows): every
/// other column is required, so that a dropped column never silently clears a field.
pub fn is_optional_column(column: &str) -> bool {
    column == "remove"
}

pub fn stage_word(stage: Stage) -> &'static str {
    match stage {
        Stage::Mine => "mine",
        Stage::Refinery => "refinery",
        Stage::Magnet => "magnet",
    }
}

pub fn parse_stage(word: &str) -> Option<Stage> {
    Stage::ALL
        .into_iter()
        .find(|stage| stage_word(*stage) == word.trim().to_ascii_lowercase())
}

pub const STATUSES: [NodeStatus; 5] = [
    NodeStatus::Operating,
    NodeStatus::Construction,
    NodeStatus::Planned,
    NodeStatus::Pilot,
    NodeStatus::Exploration,
];

pub fn status_word(status: NodeStatus) -> &'static str {
    match status {
        NodeStatus::Operating => "operating",
        NodeStatus::Construction => "construction",
        NodeStatus::Planned => "planned",
        NodeStatus::Pilot => "pilot",
        NodeStatus::Exploration => "exploration",
    }
}

pub fn parse_status(word: &str) -> Option<NodeStatus> {
    STATUSES
        .into_iter()
        .find(|status| status_word(*status) == word.trim().to_ascii_lowercase())
}
