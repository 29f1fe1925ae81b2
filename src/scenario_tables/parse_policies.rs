//! A `policies` row as a [`Policy`]: the common columns, then the columns of its kind.

use super::Refusal;
use super::columns::{self as col, parse_stage};
use super::parse_market::{one_of, stage_cell};
use super::read::Row;
use crate::model::{
    CapacityChangeKind, Destinations, Policy, PolicyKind, QuotaLimit, ReleaseRule, TariffRate,
    TradeGoods,
};

pub(super) fn policy_from_row(row: &Row<'_>, errors: &mut Vec<Refusal>) -> Policy {
    let kind_word = row.choice("kind", col::POLICY_KINDS, errors);
    row.only_columns(
        col::POLICY_KIND_COLUMNS,
        col::policy_kind_columns(&kind_word),
        &format!("kind {kind_word}"),
        errors,
    );
    Policy {
        id: row.id("id", errors),
        label: row.text("label"),
        enabled: row.flag("enabled", errors),
        start_year: row.integer("start_year", errors),
        end_year: row.optional_integer("end_year", errors),
        kind: policy_kind(row, &kind_word, errors),
        event: row.optional_text("event"),
        source: row.text("source"),
        notes: row.text("notes"),
    }
}

fn goods(row: &Row<'_>, errors: &mut Vec<Refusal>) -> TradeGoods {
    let mut stages = Vec::new();
    for word in row.list("stages") {
        match parse_stage(&word) {
            Some(stage) => stages.push(stage),
            None => errors.push(row.refusal(
                "stages",
                format!("\"{word}\" is not one of mine, refinery, magnet"),
            )),
        }
    }
    TradeGoods {
        commodities: row.list("commodities"),
        stages,
    }
}

fn partners(row: &Row<'_>, errors: &mut Vec<Refusal>) -> Destinations {
    let codes = row.list("partners");
    match row
        .choice("partners_rule", &["all", "only", "all_except"], errors)
        .as_str()
    {
        "only" => Destinations::Only(codes),
        "all_except" => Destinations::AllExcept(codes),
        _ => {
            if !codes.is_empty() {
                errors.push(row.refusal("partners", "must be empty when partners_rule is all"));
            }
            Destinations::All
        }
    }
}

/// The one commodity of a demand shock or stockpile.
fn single_commodity(row: &Row<'_>, errors: &mut Vec<Refusal>) -> String {
    let list = row.list("commodities");
    if list.len() != 1 {
        errors.push(row.refusal("commodities", "name exactly one commodity"));
    }
    list.into_iter().next().unwrap_or_default()
}

fn policy_kind(row: &Row<'_>, kind: &str, errors: &mut Vec<Refusal>) -> PolicyKind {
    match kind {
        "export_quota" => {
            let (value, which) = one_of(row, ["quota_t_per_yr", "quota_share_of_output"], errors);
            PolicyKind::ExportQuota {
                exporter: row.id("country", errors),
                goods: goods(row, errors),
                destinations: partners(row, errors),
                limit: if which == 0 {
                    QuotaLimit::Tonnes(value)
                } else {
                    QuotaLimit::ShareOfOutput(value)
                },
            }
        }
        "import_tariff" => {
            let (value, which) = one_of(row, ["tariff_usd_per_kg", "tariff_ad_valorem"], errors);
            PolicyKind::ImportTariff {
                importer: row.id("country", errors),
                goods: goods(row, errors),
                origins: partners(row, errors),
                rate: if which == 0 {
                    TariffRate::UsdPerKg(value)
                } else {
                    TariffRate::AdValorem(value)
                },
            }
        }
        "capacity_change" => PolicyKind::CapacityChange {
            node: row.id("node", errors),
            change: capacity_change(row, errors),
        },
        "demand_shock" => PolicyKind::DemandShock {
            region: row.id("region", errors),
            commodity: single_commodity(row, errors),
            factor: row.number("demand_factor", errors),
        },
        "stockpile" => PolicyKind::Stockpile {
            holder: row.id("region", errors),
            commodity: single_commodity(row, errors),
            initial_stock_t: row.number("initial_stock_t", errors),
            release: release_rule(row, errors),
            also_for: row.list("also_for"),
        },
        "production_quota" => PolicyKind::ProductionQuota {
            country: row.id("country", errors),
            stage: {
                if row.list("stages").len() != 1 {
                    errors.push(row.refusal("stages", "name exactly one stage"));
                }
                stage_cell(row, "stages", errors)
            },
            commodities: row.list("commodities"),
            max_t_per_yr: row.number("max_t_per_yr", errors),
        },
        // Export bans, and rows whose kind is refused already.
        _ => PolicyKind::ExportBan {
            exporter: row.id("country", errors),
            goods: goods(row, errors),
            destinations: partners(row, errors),
        },
    }
}

fn capacity_change(row: &Row<'_>, errors: &mut Vec<Refusal>) -> CapacityChangeKind {
    let columns = [
        "capacity_set_t_per_yr",
        "capacity_scale",
        "capacity_add_t_per_yr",
    ];
    let values = columns.map(|column| row.optional_number(column, errors));
    let filled: Vec<usize> = (0..3).filter(|index| values[*index].is_some()).collect();
    if filled.len() != 1 {
        if columns.iter().all(|column| row.is_empty(column)) || filled.len() > 1 {
            errors.push(row.refusal(
                columns[0],
                format!("fill exactly one of {}", columns.join(", ")),
            ));
        }
        return CapacityChangeKind::Scale(1.0);
    }
    let value = values[filled[0]].unwrap_or_default();
    match filled[0] {
        0 => CapacityChangeKind::SetTo(value),
        1 => CapacityChangeKind::Scale(value),
        _ => CapacityChangeKind::Add(value),
    }
}

fn release_rule(row: &Row<'_>, errors: &mut Vec<Refusal>) -> ReleaseRule {
    let fixed = row.optional_number("release_t_per_yr", errors);
    let trigger = row.optional_number("release_trigger_usd_per_kg", errors);
    let max = row.optional_number("release_max_t_per_yr", errors);
    match (fixed, trigger, max) {
        (Some(t_per_yr), None, None) => ReleaseRule::FixedRate { t_per_yr },
        (None, Some(price_usd_per_kg), Some(max_t_per_yr)) => ReleaseRule::PriceTrigger {
            price_usd_per_kg,
            max_t_per_yr,
        },
        _ => {
            errors.push(row.refusal(
                "release_t_per_yr",
                "fill release_t_per_yr, or both release_trigger_usd_per_kg and \
                 release_max_t_per_yr",
            ));
            ReleaseRule::FixedRate { t_per_yr: 0.0 }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Stage;

    #[test]
    fn stage_words_read_back() {
        for stage in Stage::ALL {
            assert_eq!(
                super::parse_stage(super::col::stage_word(stage)),
                Some(stage)
            );
        }
    }
}
