//! `policies.ron`: the trade measures and disruptions of the built-in scenarios, in
//! rareflow's own policy format, each with its source and notes.
//!
//! A number that is computed from other data carries the rule that computes it. The
//! derivation recomputes every rule from the data and fails if the file's number, or the
//! notes' mention of it, disagrees: the file stays readable as it is, and cannot drift from
//! the data unnoticed.

use rareflow::model::{CapacityChangeKind, Demand, Policy, PolicyKind, QuotaLimit, ReleaseRule};
use serde::Deserialize;

use crate::market::ReferencePrices;
use crate::table::{DeriveError, Row, data_error};
use crate::{Inputs, MAGNETS};

/// The file name inside the data folder.
pub const FILE: &str = "policies.ron";

/// How a policy's number follows from the data (see the head of `policies.ron`).
#[derive(Debug, Deserialize)]
enum Rule {
    /// An export cap: 2024 demand for `commodity` in every region but `region`, times
    /// (1 + `change`), rounded to whole tonnes.
    DemandOutsideRegion {
        region: String,
        commodity: String,
        change: f64,
    },
    /// An export cap on an oxide: its 2024 use outside `region` (demand there plus what the
    /// magnet plants there put into their 2024 output, by the recipe), times (1 + `change`),
    /// rounded to whole tonnes.
    OxideUseOutsideRegion {
        region: String,
        commodity: String,
        change: f64,
    },
    /// `base_t_per_yr` × (1 + `change`), rounded to whole tonnes.
    ChangeFromBase { base_t_per_yr: f64, change: f64 },
    /// The country's reported separated output in `year` (secondary supply excluded), from
    /// `nodes.csv`.
    PrimaryRefineryOutput { country: String, year: i32 },
    /// A stockpile of `days` of the holder's 2024 use of the commodity (oxide demand plus
    /// the commodity in magnet demand), rounded; released up to the whole stock a year when
    /// the price exceeds `trigger_price_multiple` × the reference price (rounded).
    DaysOfUse {
        days: f64,
        trigger_price_multiple: f64,
    },
}

/// One entry of the file: the policy as the scenario carries it, and its rule if its
/// number is computed.
#[derive(Debug, Deserialize)]
struct Entry {
    policy: Policy,
    #[serde(default)]
    rule: Option<Rule>,
}

/// Whole tonnes compare equal within this (the rules round to whole tonnes or dollars).
const ROUNDED_TOLERANCE: f64 = 1e-6;

/// The policies of `policies.ron`, every rule checked against the data.
pub fn policies(
    inputs: &Inputs<'_>,
    demand: &[Demand],
    prices: &ReferencePrices,
) -> Result<Vec<Policy>, DeriveError> {
    let path = inputs.data_dir.join(FILE);
    let text = std::fs::read_to_string(&path).map_err(|error| DeriveError::Read {
        path: path.clone(),
        message: error.to_string(),
    })?;
    let entries: Vec<Entry> =
        ron::from_str(&text).map_err(|error| data_error(FILE, error.to_string()))?;
    let checker = RuleChecker {
        inputs,
        demand,
        prices,
    };
    let mut policies = Vec::with_capacity(entries.len());
    for Entry { policy, rule } in entries {
        if policy.enabled {
            return Err(data_error(
                FILE,
                format!(
                    "{}: the baseline carries every policy switched off (`enabled: false`); \
                     the event scenarios switch them on",
                    policy.id
                ),
            ));
        }
        if let Some(rule) = &rule {
            checker
                .check(&policy, rule)
                .map_err(|message| data_error(FILE, format!("{}: {message}", policy.id)))?;
        }
        policies.push(policy);
    }
    Ok(policies)
}

/// What a rule needs from the rest of the derivation.
struct RuleChecker<'a, 'd> {
    inputs: &'a Inputs<'d>,
    demand: &'a [Demand],
    prices: &'a ReferencePrices,
}

impl RuleChecker<'_, '_> {
    /// Recomputes the rule and compares it with the policy; the message says what differs.
    fn check(&self, policy: &Policy, rule: &Rule) -> Result<(), String> {
        match rule {
            Rule::DemandOutsideRegion {
                region,
                commodity,
                change,
            } => {
                let outside: f64 = self
                    .demand
                    .iter()
                    .filter(|d| d.commodity == *commodity && d.region != *region)
                    .map(|d| d.reference_t_per_yr)
                    .sum();
                let expected = (outside * (1.0 + change)).round();
                check_tonnes(policy, expected)
            }
            Rule::OxideUseOutsideRegion {
                region,
                commodity,
                change,
            } => {
                let demand: f64 = self
                    .demand
                    .iter()
                    .filter(|d| d.commodity == *commodity && d.region != *region)
                    .map(|d| d.reference_t_per_yr)
                    .sum();
                let in_magnets =
                    self.magnet_output_outside(region)? * self.inputs.recipe.t_per_t(commodity);
                let expected = ((demand + in_magnets) * (1.0 + change)).round();
                check_tonnes(policy, expected)
            }
            Rule::ChangeFromBase {
                base_t_per_yr,
                change,
            } => check_tonnes(policy, (base_t_per_yr * (1.0 + change)).round()),
            Rule::PrimaryRefineryOutput { country, year } => {
                check_tonnes(policy, self.primary_refinery_output(country, *year)?)
            }
            Rule::DaysOfUse {
                days,
                trigger_price_multiple,
            } => self.check_days_of_use(policy, *days, *trigger_price_multiple),
        }
    }

    /// 2024 magnet output (t NdFeB) of the plants outside `region`'s countries, from the
    /// NdPr rows of `nodes.csv` (one per plant).
    fn magnet_output_outside(&self, region: &str) -> Result<f64, String> {
        let table = &self.inputs.data.nodes;
        let countries = &self.inputs.data.countries;
        let region_of = |iso3: &str| {
            countries
                .rows
                .iter()
                .find(|row| row.text("iso3") == iso3)
                .map(|row| row.text("demand_region").to_owned())
        };
        let mut total = 0.0;
        for row in &table.rows {
            if row.text("stage") == "magnet"
                && row.text("commodity_group") == "NDPR"
                && region_of(row.text("iso3")).as_deref() != Some(region)
            {
                let t = row
                    .optional_number(table, "output_2024_t_ndfeb")
                    .map_err(|error| error.to_string())?;
                total += t.unwrap_or(0.0);
            }
        }
        Ok(total)
    }

    fn primary_refinery_output(&self, country: &str, year: i32) -> Result<f64, String> {
        let table = &self.inputs.data.nodes;
        let column = format!("output_{year}_t_reo");
        let mut total = 0.0;
        for row in &table.rows {
            if row.text("stage") == "refinery"
                && row.text("iso3") == country
                && row.text("subtype") != "secondary"
            {
                let t = row
                    .optional_number(table, &column)
                    .map_err(|error| error.to_string())?;
                total += t.unwrap_or(0.0);
            }
        }
        Ok(total)
    }

    fn check_days_of_use(
        &self,
        policy: &Policy,
        days: f64,
        trigger_price_multiple: f64,
    ) -> Result<(), String> {
        let PolicyKind::Stockpile {
            holder,
            commodity,
            initial_stock_t,
            release,
            ..
        } = &policy.kind
        else {
            return Err("the DaysOfUse rule is for a Stockpile".to_owned());
        };
        let in_magnets_t_per_t = self.inputs.recipe.t_per_t(commodity);
        let use_t_per_yr: f64 = self
            .demand
            .iter()
            .filter(|d| d.region == *holder)
            .map(|d| {
                if d.commodity == *commodity {
                    d.reference_t_per_yr
                } else if d.commodity == MAGNETS {
                    d.reference_t_per_yr * in_magnets_t_per_t
                } else {
                    0.0
                }
            })
            .sum();
        let stock_t = (use_t_per_yr * days / 365.0).round();
        let price = self
            .prices
            .get(commodity)
            .ok_or_else(|| format!("no reference price for {commodity}"))?;
        let trigger_usd_per_kg = (price.usd_per_kg * trigger_price_multiple).round();
        let ReleaseRule::PriceTrigger {
            price_usd_per_kg,
            max_t_per_yr,
        } = release
        else {
            return Err("the DaysOfUse rule releases by PriceTrigger".to_owned());
        };
        for (field, found, expected) in [
            ("initial_stock_t", *initial_stock_t, stock_t),
            ("max_t_per_yr", *max_t_per_yr, stock_t),
            ("price_usd_per_kg", *price_usd_per_kg, trigger_usd_per_kg),
        ] {
            if (found - expected).abs() > ROUNDED_TOLERANCE {
                return Err(format!(
                    "{field} is {found} but its rule gives {expected} ({days} days of \
                     {use_t_per_yr:.0} t/yr of {commodity}; trigger {trigger_price_multiple} × \
                     {} $/kg); update the file",
                    price.usd_per_kg
                ));
            }
        }
        mentioned_in_notes(policy, stock_t)
    }
}

/// The tonnes a rule may govern: an export cap, a production cap or a capacity.
fn governed_tonnes(kind: &PolicyKind) -> Option<f64> {
    match kind {
        PolicyKind::ExportQuota {
            limit: QuotaLimit::Tonnes(t),
            ..
        }
        | PolicyKind::ProductionQuota {
            max_t_per_yr: t, ..
        }
        | PolicyKind::CapacityChange {
            change: CapacityChangeKind::SetTo(t),
            ..
        } => Some(*t),
        _ => None,
    }
}

fn check_tonnes(policy: &Policy, expected: f64) -> Result<(), String> {
    let found = governed_tonnes(&policy.kind).ok_or(
        "the rule computes tonnes: an export quota in tonnes, a production quota or a capacity set",
    )?;
    if (found - expected).abs() > ROUNDED_TOLERANCE {
        return Err(format!(
            "the file says {found} t but its rule gives {expected} t from the data; update the \
             number and the notes"
        ));
    }
    mentioned_in_notes(policy, expected)
}

/// Whole tonnes with thousands separators: 324292 → "324,292".
fn with_thousands(t: f64) -> String {
    let digits = format!("{t:.0}");
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// The notes must state the computed number ("1170 t" or "1,170 t").
fn mentioned_in_notes(policy: &Policy, t: f64) -> Result<(), String> {
    let plain = format!("{t:.0} t");
    let grouped = format!("{} t", with_thousands(t));
    if policy.notes.contains(&plain) || policy.notes.contains(&grouped) {
        Ok(())
    } else {
        Err(format!(
            "the notes do not state the computed {plain}; update them: \"{}\"",
            policy.notes
        ))
    }
}

#[cfg(test)]
mod tests {
    use rareflow::model::Stage;

    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(with_thousands(324_292.0), "324,292");
        assert_eq!(with_thousands(1170.0), "1,170");
        assert_eq!(with_thousands(27.0), "27");
        assert_eq!(with_thousands(47_161.0), "47,161");
    }

    #[test]
    fn a_cap_is_found_in_each_kind_that_has_one() {
        let quota = PolicyKind::ProductionQuota {
            country: "CHN".to_owned(),
            stage: Stage::Refinery,
            commodities: Vec::new(),
            max_t_per_yr: 324_292.0,
        };
        assert_eq!(governed_tonnes(&quota), Some(324_292.0));
        let set = PolicyKind::CapacityChange {
            node: "n".to_owned(),
            change: CapacityChangeKind::Scale(0.5),
        };
        assert_eq!(governed_tonnes(&set), None);
    }
}
