//! The tables beyond the nodes: the scenario row, demand, policies, trade costs,
//! expansion options and contracts, merged into a scenario.

use super::columns::{self as col, parse_stage};
use super::merge_state::{Merge, find, keyed_rows};
use super::read::{RawTable, Row};
use super::{Refusal, parse_policies};
use crate::model::{
    Contract, Demand, DemandForm, ExpansionOption, LongRunResponse, Metadata, Party, Scenario,
    Stage, TradeCostOverride, TradeCosts, Volume,
};

/// The key of a demand row: `REGION/COMMODITY`.
pub(super) fn demand_key(demand: &Demand) -> String {
    format!("{}/{}", demand.region, demand.commodity)
}

/// The key of a trade-cost override: `FROM->TO/COMMODITY` (`all` for every commodity).
pub(super) fn trade_cost_key(route: &TradeCostOverride) -> String {
    format!(
        "{}->{}/{}",
        route.from,
        route.to,
        route.commodity.as_deref().unwrap_or("all")
    )
}

/// The one row of a single-row table, refusing tables with more or fewer.
fn single_row<'t>(merge: &mut Merge<'_>, table: &'t RawTable) -> Option<Row<'t>> {
    let mut rows = table.rows();
    let first = rows.next();
    if first.is_none() {
        merge.refusals.push(Refusal {
            table: table.origin.clone(),
            row: None,
            column: None,
            reason: "the table needs one row".to_owned(),
        });
    }
    for extra in rows {
        merge.refusals.push(Refusal {
            table: table.origin.clone(),
            row: Some(extra.number),
            column: None,
            reason: "the table has one row only".to_owned(),
        });
    }
    first
}

/// The `scenario` table: name, description and years.
pub(super) fn merge_scenario_row(merge: &mut Merge<'_>, tables: &[RawTable], meta: &mut Metadata) {
    let Some(table) = find(tables, col::SCENARIO) else {
        return;
    };
    let Some(row) = single_row(merge, table) else {
        return;
    };
    let mut errors = Vec::new();
    merge.note_row(table, "", row.number);
    *meta = Metadata {
        name: row.text("name"),
        description: row.text("description"),
        base_year: row.integer("base_year", &mut errors),
        first_year: row.integer("first_year", &mut errors),
        last_year: row.integer("last_year", &mut errors),
        reference_note: row.text("reference_note"),
    };
    merge.refusals.extend(errors);
}

fn id_key(row: &Row<'_>, errors: &mut Vec<Refusal>) -> String {
    row.id("id", errors)
}

/// Demand, policies, trade costs, expansion options and contracts.
pub(super) fn merge_market(merge: &mut Merge<'_>, tables: &[RawTable], scenario: &mut Scenario) {
    let base = merge.base;
    if let Some(table) = find(tables, col::DEMAND) {
        let rows = keyed_rows(
            merge,
            table,
            |row, errors| {
                format!(
                    "{}/{}",
                    row.id("region", errors),
                    row.id("commodity", errors)
                )
            },
            demand_from_row,
        );
        scenario.demand = merge.keyed(table, &base.demand, demand_key, rows);
    }
    if let Some(table) = find(tables, col::POLICIES) {
        let rows = keyed_rows(merge, table, id_key, parse_policies::policy_from_row);
        scenario.policies = merge.keyed(table, &base.policies, |p| p.id.clone(), rows);
    }
    if let Some(table) = find(tables, col::TRADE_DEFAULTS)
        && let Some(row) = single_row(merge, table)
    {
        let mut errors = Vec::new();
        merge.note_row(table, "", row.number);
        scenario.trade = TradeCosts {
            border_usd_per_kg: row.number("border_usd_per_kg", &mut errors),
            per_1000km_usd_per_kg: row.number("per_1000km_usd_per_kg", &mut errors),
            domestic_usd_per_kg: row.number("domestic_usd_per_kg", &mut errors),
            overrides: scenario.trade.overrides.clone(),
            source: row.text("source"),
        };
        merge.refusals.extend(errors);
    }
    if let Some(table) = find(tables, col::TRADE_COSTS) {
        let rows = keyed_rows(
            merge,
            table,
            |row, errors| {
                let commodity = row.optional_text("commodity");
                format!(
                    "{}->{}/{}",
                    row.id("from", errors),
                    row.id("to", errors),
                    commodity.as_deref().unwrap_or("all")
                )
            },
            |row, errors| TradeCostOverride {
                from: row.id("from", errors),
                to: row.id("to", errors),
                commodity: row.optional_text("commodity"),
                usd_per_kg: row.number("usd_per_kg", errors),
                source: row.text("source"),
            },
        );
        scenario.trade.overrides = merge.keyed(table, &base.trade.overrides, trade_cost_key, rows);
    }
    if let Some(table) = find(tables, col::EXPANSION_OPTIONS) {
        let rows = keyed_rows(merge, table, id_key, expansion_option_from_row);
        scenario.expansion = merge.keyed(table, &base.expansion, |o| o.id.clone(), rows);
    }
    if let Some(table) = find(tables, col::CONTRACTS) {
        let rows = keyed_rows(merge, table, id_key, contract_from_row);
        scenario.contracts = merge.keyed(table, &base.contracts, |c| c.id.clone(), rows);
    }
}

fn demand_from_row(row: &Row<'_>, errors: &mut Vec<Refusal>) -> Demand {
    let form = match row
        .choice("form", &["linear", "constant_elasticity"], errors)
        .as_str()
    {
        "constant_elasticity" => DemandForm::ConstantElasticity {
            price_cap_multiple: row.number("price_cap_multiple", errors),
        },
        _ => {
            row.only_columns(&["price_cap_multiple"], &[], "form linear", errors);
            DemandForm::Linear
        }
    };
    let long_run_elasticity = row.optional_number("long_run_elasticity", errors);
    let long_run_adjustment = row.optional_number("long_run_adjustment_per_yr", errors);
    let long_run = match (long_run_elasticity, long_run_adjustment) {
        (Some(elasticity), Some(adjustment_per_yr)) => Some(LongRunResponse {
            elasticity,
            adjustment_per_yr,
        }),
        (None, None) => None,
        (Some(_), None) => {
            errors.push(row.refusal(
                "long_run_adjustment_per_yr",
                "needed with a long-run elasticity",
            ));
            None
        }
        (None, Some(_)) => {
            errors.push(row.refusal("long_run_elasticity", "needed with a long-run adjustment"));
            None
        }
    };
    Demand {
        region: row.id("region", errors),
        commodity: row.id("commodity", errors),
        reference_t_per_yr: row.number("reference_t_per_yr", errors),
        reference_price_usd_per_kg: row.number("reference_price_usd_per_kg", errors),
        elasticity: row.number("elasticity", errors),
        growth_per_yr: row.number("growth_per_yr", errors),
        form,
        long_run,
        source: row.text("source"),
        notes: row.text("notes"),
    }
}

pub(super) fn stage_cell(row: &Row<'_>, column: &str, errors: &mut Vec<Refusal>) -> Stage {
    let words: Vec<&str> = Stage::ALL.iter().map(|s| col::stage_word(*s)).collect();
    parse_stage(&row.choice(column, &words, errors)).unwrap_or(Stage::Mine)
}

fn expansion_option_from_row(row: &Row<'_>, errors: &mut Vec<Refusal>) -> ExpansionOption {
    ExpansionOption {
        id: row.id("id", errors),
        label: row.text("label"),
        enabled: row.flag("enabled", errors),
        stage: stage_cell(row, "stage", errors),
        country: row.id("country", errors),
        host: row.id("host", errors),
        commodity: row.optional_text("commodity"),
        capital_cost_usd_per_t_per_yr: row.number("capital_cost_usd_per_t_per_yr", errors),
        capital_recovery_factor: row.number("capital_recovery_factor", errors),
        lead_years: row.integer("lead_years", errors),
        max_build_t_per_yr: row.number("max_build_t_per_yr", errors),
        source: row.text("source"),
        notes: row.text("notes"),
    }
}

fn party(row: &Row<'_>, side: &str, errors: &mut Vec<Refusal>) -> Party {
    let kind_column = format!("{side}_kind");
    let id = row.id(side, errors);
    match row
        .choice(&kind_column, &["node", "country", "region"], errors)
        .as_str()
    {
        "node" => Party::Node(id),
        "country" => Party::Country(id),
        _ => Party::Region(id),
    }
}

/// Exactly one of two alternative columns filled, as its value and which one it was.
pub(super) fn one_of(row: &Row<'_>, columns: [&str; 2], errors: &mut Vec<Refusal>) -> (f64, usize) {
    let values = columns.map(|column| row.optional_number(column, errors));
    match values {
        [Some(value), None] => (value, 0),
        [None, Some(value)] => (value, 1),
        [Some(_), Some(_)] => {
            errors.push(row.refusal(columns[1], format!("fill {} or this, not both", columns[0])));
            (0.0, 0)
        }
        [None, None] => {
            if row.is_empty(columns[0]) && row.is_empty(columns[1]) {
                errors.push(row.refusal(columns[0], format!("fill this or {}", columns[1])));
            }
            (0.0, 0)
        }
    }
}

fn contract_from_row(row: &Row<'_>, errors: &mut Vec<Refusal>) -> Contract {
    let (volume, which) = one_of(row, ["volume_t_per_yr", "volume_share_of_output"], errors);
    Contract {
        id: row.id("id", errors),
        label: row.text("label"),
        enabled: row.flag("enabled", errors),
        seller: party(row, "seller", errors),
        buyer: party(row, "buyer", errors),
        stage: stage_cell(row, "stage", errors),
        commodity: row.optional_text("commodity"),
        volume: if which == 0 {
            Volume::Tonnes(volume)
        } else {
            Volume::ShareOfOutput(volume)
        },
        start_year: row.integer("start_year", errors),
        end_year: row.optional_integer("end_year", errors),
        breach_cost_usd_per_kg: row.number("breach_cost_usd_per_kg", errors),
        source: row.text("source"),
        notes: row.text("notes"),
    }
}
