//! A scenario as tables ([`crate::export::Table`]), ready for
//! [`crate::export::write_csv_folder`] and [`crate::export::write_xlsx`].
//!
//! Each item becomes a row by name ([`row`]), so the merge can also compare an item's
//! old and new rows column by column to say what changes.

use super::columns::{self, stage_word, status_word};
use crate::export::{Cell, Table};
use crate::model::{
    CapacityChangeKind, Contract, Demand, DemandForm, Destinations, ExpansionOption, Metadata,
    Node, Party, Policy, PolicyKind, Process, QuotaLimit, RefineryFeed, ReleaseRule, Scenario,
    TariffRate, TradeCostOverride, TradeCosts, Volume,
};

pub(super) fn text(value: &str) -> Cell {
    Cell::Text(value.to_owned())
}

pub(super) fn number(value: f64) -> Cell {
    Cell::Number(value)
}

pub(super) fn integer(value: impl Into<i64>) -> Cell {
    Cell::Integer(value.into())
}

fn optional_number(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, number)
}

fn optional_year(value: Option<i32>) -> Cell {
    value.map_or(Cell::Empty, integer)
}

fn optional_text(value: Option<&str>) -> Cell {
    value.map_or(Cell::Empty, text)
}

fn flag(value: bool) -> Cell {
    text(if value { "true" } else { "false" })
}

fn list<S: AsRef<str>>(items: &[S]) -> Cell {
    text(
        &items
            .iter()
            .map(|item| item.as_ref())
            .collect::<Vec<_>>()
            .join(";"),
    )
}

/// The cells of a row in `columns`' order; a column not named is empty.
pub(super) fn row(columns: &[&str], cells: Vec<(&str, Cell)>) -> Vec<Cell> {
    columns
        .iter()
        .map(|column| {
            cells
                .iter()
                .find(|(name, _)| name == column)
                .map_or(Cell::Empty, |(_, cell)| cell.clone())
        })
        .collect()
}

fn table(name: &'static str, columns: &'static [&'static str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        name,
        headers: columns.to_vec(),
        rows,
    }
}

/// Every table of the scenario, in `columns::TABLE_NAMES` order.
pub fn scenario_tables(scenario: &Scenario) -> Vec<Table> {
    let scenario_row = scenario_row(&scenario.meta);
    let trade_defaults_row = trade_defaults_row(&scenario.trade);
    let trade = &scenario.trade;
    let nodes = &scenario.nodes;
    let mut tables = vec![
        table(
            columns::SCENARIO,
            columns::SCENARIO_COLUMNS,
            vec![scenario_row],
        ),
        table(
            columns::NODES,
            columns::NODE_COLUMNS,
            nodes.iter().map(node_row).collect(),
        ),
        table(
            columns::COMPOSITIONS,
            columns::COMPOSITION_COLUMNS,
            nodes.iter().flat_map(composition_rows).collect(),
        ),
        table(
            columns::CIRCUITS,
            columns::CIRCUIT_COLUMNS,
            nodes.iter().flat_map(circuit_rows).collect(),
        ),
        table(
            columns::RECIPES,
            columns::RECIPE_COLUMNS,
            nodes.iter().flat_map(recipe_rows).collect(),
        ),
        table(
            columns::NODE_EXPANSIONS,
            columns::NODE_EXPANSION_COLUMNS,
            nodes.iter().flat_map(node_expansion_rows).collect(),
        ),
        table(
            columns::DEMAND,
            columns::DEMAND_COLUMNS,
            scenario.demand.iter().map(demand_row).collect(),
        ),
        table(
            columns::POLICIES,
            columns::POLICY_COLUMNS,
            scenario.policies.iter().map(policy_row).collect(),
        ),
        table(
            columns::TRADE_DEFAULTS,
            columns::TRADE_DEFAULT_COLUMNS,
            vec![trade_defaults_row],
        ),
        table(
            columns::TRADE_COSTS,
            columns::TRADE_COST_COLUMNS,
            trade.overrides.iter().map(trade_cost_row).collect(),
        ),
        table(
            columns::EXPANSION_OPTIONS,
            columns::EXPANSION_OPTION_COLUMNS,
            scenario
                .expansion
                .iter()
                .map(expansion_option_row)
                .collect(),
        ),
        table(
            columns::CONTRACTS,
            columns::CONTRACT_COLUMNS,
            scenario.contracts.iter().map(contract_row).collect(),
        ),
    ];
    tables.extend(super::uncertainty_tables::tables(scenario));
    tables
}

/// The one row of the `scenario` table.
pub(super) fn scenario_row(meta: &Metadata) -> Vec<Cell> {
    row(
        columns::SCENARIO_COLUMNS,
        vec![
            ("name", text(&meta.name)),
            ("description", text(&meta.description)),
            ("base_year", integer(meta.base_year)),
            ("first_year", integer(meta.first_year)),
            ("last_year", integer(meta.last_year)),
            ("reference_note", text(&meta.reference_note)),
        ],
    )
}

/// The one row of the `trade_defaults` table.
pub(super) fn trade_defaults_row(trade: &TradeCosts) -> Vec<Cell> {
    row(
        columns::TRADE_DEFAULT_COLUMNS,
        vec![
            ("border_usd_per_kg", number(trade.border_usd_per_kg)),
            ("per_1000km_usd_per_kg", number(trade.per_1000km_usd_per_kg)),
            ("domestic_usd_per_kg", number(trade.domestic_usd_per_kg)),
            ("source", text(&trade.source)),
        ],
    )
}

pub(super) fn node_row(node: &Node) -> Vec<Cell> {
    let mut cells = vec![
        ("id", text(&node.id)),
        ("name", text(&node.name)),
        ("operator", text(&node.operator)),
        ("country", text(&node.country)),
        ("stage", text(stage_word(node.process.stage()))),
        ("status", text(status_word(node.status))),
        ("capacity_t_per_yr", number(node.capacity_t_per_yr)),
        ("start_year", optional_year(node.start_year)),
        ("ramp_years", integer(node.ramp_years)),
        (
            "unit_cost_usd_per_kg",
            optional_number(node.unit_cost_usd_per_kg),
        ),
        ("source", text(&node.source)),
        ("notes", text(&node.notes)),
    ];
    match &node.process {
        Process::Mine { ore_type, .. } => cells.push(("ore_type", text(ore_type))),
        Process::Refinery { recovery, feed, .. } => {
            cells.push(("recovery", number(*recovery)));
            let feed_word = match feed {
                RefineryFeed::Concentrate => "concentrate",
                RefineryFeed::Secondary { .. } => "secondary",
            };
            cells.push(("feed", text(feed_word)));
        }
        Process::MagnetPlant { product, .. } => cells.push(("product", text(product))),
    }
    row(columns::NODE_COLUMNS, cells)
}

pub(super) fn composition_rows(node: &Node) -> Vec<Vec<Cell>> {
    let shares = match &node.process {
        Process::Mine { composition, .. } => composition.as_slice(),
        Process::Refinery {
            feed: RefineryFeed::Secondary { composition },
            ..
        } => composition.as_slice(),
        _ => &[],
    };
    shares
        .iter()
        .map(|share| {
            row(
                columns::COMPOSITION_COLUMNS,
                vec![
                    ("node", text(&node.id)),
                    ("commodity", text(&share.commodity)),
                    ("share", number(share.share)),
                ],
            )
        })
        .collect()
}

pub(super) fn circuit_rows(node: &Node) -> Vec<Vec<Cell>> {
    let Process::Refinery { circuits, .. } = &node.process else {
        return Vec::new();
    };
    circuits
        .iter()
        .map(|circuit| {
            row(
                columns::CIRCUIT_COLUMNS,
                vec![
                    ("node", text(&node.id)),
                    ("commodity", text(&circuit.commodity)),
                    ("capacity_t_per_yr", number(circuit.capacity_t_per_yr)),
                    ("start_year", optional_year(circuit.start_year)),
                    ("ramp_years", integer(circuit.ramp_years)),
                ],
            )
        })
        .collect()
}

pub(super) fn recipe_rows(node: &Node) -> Vec<Vec<Cell>> {
    let Process::MagnetPlant { recipe, .. } = &node.process else {
        return Vec::new();
    };
    recipe
        .iter()
        .map(|input| {
            row(
                columns::RECIPE_COLUMNS,
                vec![
                    ("node", text(&node.id)),
                    ("commodity", text(&input.commodity)),
                    ("t_per_t", number(input.t_per_t)),
                ],
            )
        })
        .collect()
}

pub(super) fn node_expansion_rows(node: &Node) -> Vec<Vec<Cell>> {
    node.expansions
        .iter()
        .map(|phase| {
            row(
                columns::NODE_EXPANSION_COLUMNS,
                vec![
                    ("node", text(&node.id)),
                    ("year", integer(phase.year)),
                    ("added_t_per_yr", number(phase.added_t_per_yr)),
                    ("ramp_years", integer(phase.ramp_years)),
                    ("source", text(&phase.source)),
                ],
            )
        })
        .collect()
}

pub(super) fn demand_row(demand: &Demand) -> Vec<Cell> {
    let mut cells = vec![
        ("region", text(&demand.region)),
        ("commodity", text(&demand.commodity)),
        ("reference_t_per_yr", number(demand.reference_t_per_yr)),
        (
            "reference_price_usd_per_kg",
            number(demand.reference_price_usd_per_kg),
        ),
        ("elasticity", number(demand.elasticity)),
        ("growth_per_yr", number(demand.growth_per_yr)),
        ("source", text(&demand.source)),
        ("notes", text(&demand.notes)),
    ];
    match demand.form {
        DemandForm::Linear => cells.push(("form", text("linear"))),
        DemandForm::ConstantElasticity { price_cap_multiple } => {
            cells.push(("form", text("constant_elasticity")));
            cells.push(("price_cap_multiple", number(price_cap_multiple)));
        }
    }
    if let Some(long_run) = demand.long_run {
        cells.push(("long_run_elasticity", number(long_run.elasticity)));
        cells.push((
            "long_run_adjustment_per_yr",
            number(long_run.adjustment_per_yr),
        ));
    }
    row(columns::DEMAND_COLUMNS, cells)
}

fn partner_cells(partners: &Destinations) -> [(&'static str, Cell); 2] {
    let rule = match partners {
        Destinations::All => "all",
        Destinations::Only(_) => "only",
        Destinations::AllExcept(_) => "all_except",
    };
    [
        ("partners_rule", text(rule)),
        ("partners", list(partners.codes())),
    ]
}

fn stage_list(stages: &[crate::model::Stage]) -> Cell {
    let words: Vec<&str> = stages.iter().map(|stage| stage_word(*stage)).collect();
    list(&words)
}

/// The kind-specific cells of a policy and the word for its kind.
fn policy_kind_cells(kind: &PolicyKind) -> (&'static str, Vec<(&'static str, Cell)>) {
    match kind {
        PolicyKind::ExportBan {
            exporter,
            goods,
            destinations,
        } => {
            let mut cells = vec![
                ("country", text(exporter)),
                ("commodities", list(&goods.commodities)),
                ("stages", stage_list(&goods.stages)),
            ];
            cells.extend(partner_cells(destinations));
            ("export_ban", cells)
        }
        PolicyKind::ExportQuota {
            exporter,
            goods,
            destinations,
            limit,
        } => {
            let mut cells = vec![
                ("country", text(exporter)),
                ("commodities", list(&goods.commodities)),
                ("stages", stage_list(&goods.stages)),
            ];
            cells.extend(partner_cells(destinations));
            cells.push(match *limit {
                QuotaLimit::Tonnes(t) => ("quota_t_per_yr", number(t)),
                QuotaLimit::ShareOfOutput(share) => ("quota_share_of_output", number(share)),
            });
            ("export_quota", cells)
        }
        PolicyKind::ImportTariff {
            importer,
            goods,
            origins,
            rate,
        } => {
            let mut cells = vec![
                ("country", text(importer)),
                ("commodities", list(&goods.commodities)),
                ("stages", stage_list(&goods.stages)),
            ];
            cells.extend(partner_cells(origins));
            cells.push(match *rate {
                TariffRate::UsdPerKg(value) => ("tariff_usd_per_kg", number(value)),
                TariffRate::AdValorem(share) => ("tariff_ad_valorem", number(share)),
            });
            ("import_tariff", cells)
        }
        PolicyKind::CapacityChange { node, change } => {
            let change_cell = match *change {
                CapacityChangeKind::SetTo(t) => ("capacity_set_t_per_yr", number(t)),
                CapacityChangeKind::Scale(factor) => ("capacity_scale", number(factor)),
                CapacityChangeKind::Add(t) => ("capacity_add_t_per_yr", number(t)),
            };
            ("capacity_change", vec![("node", text(node)), change_cell])
        }
        PolicyKind::DemandShock {
            region,
            commodity,
            factor,
        } => (
            "demand_shock",
            vec![
                ("region", text(region)),
                ("commodities", text(commodity)),
                ("demand_factor", number(*factor)),
            ],
        ),
        PolicyKind::Stockpile {
            holder,
            commodity,
            initial_stock_t,
            release,
            also_for,
        } => {
            let mut cells = vec![
                ("region", text(holder)),
                ("commodities", text(commodity)),
                ("initial_stock_t", number(*initial_stock_t)),
                ("also_for", list(also_for)),
            ];
            match *release {
                ReleaseRule::FixedRate { t_per_yr } => {
                    cells.push(("release_t_per_yr", number(t_per_yr)));
                }
                ReleaseRule::PriceTrigger {
                    price_usd_per_kg,
                    max_t_per_yr,
                } => {
                    cells.push(("release_trigger_usd_per_kg", number(price_usd_per_kg)));
                    cells.push(("release_max_t_per_yr", number(max_t_per_yr)));
                }
            }
            ("stockpile", cells)
        }
        PolicyKind::ProductionQuota {
            country,
            stage,
            commodities,
            max_t_per_yr,
        } => (
            "production_quota",
            vec![
                ("country", text(country)),
                ("stages", text(stage_word(*stage))),
                ("commodities", list(commodities)),
                ("max_t_per_yr", number(*max_t_per_yr)),
            ],
        ),
    }
}

pub(super) fn policy_row(policy: &Policy) -> Vec<Cell> {
    let (kind_word, kind_cells) = policy_kind_cells(&policy.kind);
    let mut cells = vec![
        ("id", text(&policy.id)),
        ("label", text(&policy.label)),
        ("enabled", flag(policy.enabled)),
        ("kind", text(kind_word)),
        ("start_year", integer(policy.start_year)),
        ("end_year", optional_year(policy.end_year)),
        ("event", optional_text(policy.event.as_deref())),
        ("source", text(&policy.source)),
        ("notes", text(&policy.notes)),
    ];
    cells.extend(kind_cells);
    row(columns::POLICY_COLUMNS, cells)
}

pub(super) fn trade_cost_row(route: &TradeCostOverride) -> Vec<Cell> {
    row(
        columns::TRADE_COST_COLUMNS,
        vec![
            ("from", text(&route.from)),
            ("to", text(&route.to)),
            ("commodity", optional_text(route.commodity.as_deref())),
            ("usd_per_kg", number(route.usd_per_kg)),
            ("source", text(&route.source)),
        ],
    )
}

pub(super) fn expansion_option_row(option: &ExpansionOption) -> Vec<Cell> {
    row(
        columns::EXPANSION_OPTION_COLUMNS,
        vec![
            ("id", text(&option.id)),
            ("label", text(&option.label)),
            ("enabled", flag(option.enabled)),
            ("stage", text(stage_word(option.stage))),
            ("country", text(&option.country)),
            ("host", text(&option.host)),
            ("commodity", optional_text(option.commodity.as_deref())),
            (
                "capital_cost_usd_per_t_per_yr",
                number(option.capital_cost_usd_per_t_per_yr),
            ),
            (
                "capital_recovery_factor",
                number(option.capital_recovery_factor),
            ),
            ("lead_years", integer(option.lead_years)),
            ("max_build_t_per_yr", number(option.max_build_t_per_yr)),
            ("source", text(&option.source)),
            ("notes", text(&option.notes)),
        ],
    )
}

fn party_cells(party: &Party) -> (Cell, Cell) {
    let (kind, id) = match party {
        Party::Node(id) => ("node", id),
        Party::Country(id) => ("country", id),
        Party::Region(id) => ("region", id),
    };
    (text(kind), text(id))
}

pub(super) fn contract_row(contract: &Contract) -> Vec<Cell> {
    let (seller_kind, seller) = party_cells(&contract.seller);
    let (buyer_kind, buyer) = party_cells(&contract.buyer);
    let volume = match contract.volume {
        Volume::Tonnes(t) => ("volume_t_per_yr", number(t)),
        Volume::ShareOfOutput(share) => ("volume_share_of_output", number(share)),
    };
    row(
        columns::CONTRACT_COLUMNS,
        vec![
            ("id", text(&contract.id)),
            ("label", text(&contract.label)),
            ("enabled", flag(contract.enabled)),
            ("seller_kind", seller_kind),
            ("seller", seller),
            ("buyer_kind", buyer_kind),
            ("buyer", buyer),
            ("stage", text(stage_word(contract.stage))),
            ("commodity", optional_text(contract.commodity.as_deref())),
            volume,
            ("start_year", integer(contract.start_year)),
            ("end_year", optional_year(contract.end_year)),
            (
                "breach_cost_usd_per_kg",
                number(contract.breach_cost_usd_per_kg),
            ),
            ("source", text(&contract.source)),
            ("notes", text(&contract.notes)),
        ],
    )
}
