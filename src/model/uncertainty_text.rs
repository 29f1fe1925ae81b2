//! Uncertain inputs as plain text cells: a target as a kind name and an item id, a
//! distribution as a kind name and `key=value` parameters. The rules of default ranges
//! (`assets/data/uncertainty_rules.csv`), the `rareflow ranges` table and the
//! spreadsheet's `uncertainty.csv` all write them this way, so one reader serves all three.
//!
//! | distribution | params |
//! |---|---|
//! | `uniform` | `low=0.8;high=1.2` |
//! | `triangular` | `low=0.8;mode=1;high=1.2` |
//! | `lognormal` | `median=1;sigma=0.42` |
//! | `year_slip` | `0y=0.5;1y=0.3;2y=0.2` (years of slip = probability) |

use super::uncertainty::{Distribution, UncertainTarget, YearSlip};

/// The target kinds' names, in the order [`UncertainTarget`] lists them.
pub const TARGET_KINDS: [&str; 7] = [
    "node_capacity",
    "node_start_year",
    "demand_elasticity",
    "demand_growth",
    "policy_severity",
    "expansion_capital_cost",
    "expansion_lead_time",
];

/// The distribution kinds' names.
pub const DISTRIBUTION_KINDS: [&str; 4] = ["uniform", "triangular", "lognormal", "year_slip"];

impl UncertainTarget {
    /// The kind's name, e.g. `node_start_year`.
    pub fn kind_name(&self) -> &'static str {
        let index = match self {
            UncertainTarget::NodeCapacity { .. } => 0,
            UncertainTarget::NodeStartYear { .. } => 1,
            UncertainTarget::DemandElasticity { .. } => 2,
            UncertainTarget::DemandGrowth { .. } => 3,
            UncertainTarget::PolicySeverity { .. } => 4,
            UncertainTarget::ExpansionCapitalCost { .. } => 5,
            UncertainTarget::ExpansionLeadTime { .. } => 6,
        };
        TARGET_KINDS[index]
    }

    /// The id of the item varied: a node, commodity, policy or expansion option.
    pub fn item(&self) -> &str {
        match self {
            UncertainTarget::NodeCapacity { node } | UncertainTarget::NodeStartYear { node } => {
                node
            }
            UncertainTarget::DemandElasticity { commodity }
            | UncertainTarget::DemandGrowth { commodity } => commodity,
            UncertainTarget::PolicySeverity { policy } => policy,
            UncertainTarget::ExpansionCapitalCost { option }
            | UncertainTarget::ExpansionLeadTime { option } => option,
        }
    }

    /// The target of kind `kind` on `item` (`None` for an unknown kind).
    pub fn from_kind(kind: &str, item: &str) -> Option<Self> {
        let item = item.to_owned();
        Some(match kind {
            "node_capacity" => UncertainTarget::NodeCapacity { node: item },
            "node_start_year" => UncertainTarget::NodeStartYear { node: item },
            "demand_elasticity" => UncertainTarget::DemandElasticity { commodity: item },
            "demand_growth" => UncertainTarget::DemandGrowth { commodity: item },
            "policy_severity" => UncertainTarget::PolicySeverity { policy: item },
            "expansion_capital_cost" => UncertainTarget::ExpansionCapitalCost { option: item },
            "expansion_lead_time" => UncertainTarget::ExpansionLeadTime { option: item },
            _ => return None,
        })
    }
}

impl Distribution {
    /// The kind's name, e.g. `triangular`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Distribution::Uniform { .. } => DISTRIBUTION_KINDS[0],
            Distribution::Triangular { .. } => DISTRIBUTION_KINDS[1],
            Distribution::LogNormal { .. } => DISTRIBUTION_KINDS[2],
            Distribution::YearSlip(_) => DISTRIBUTION_KINDS[3],
        }
    }

    /// The parameters as `key=value` pairs joined by `;`; numbers in Rust's shortest form
    /// that reads back to the same `f64`, so text round-trips exactly.
    pub fn params_text(&self) -> String {
        match self {
            Distribution::Uniform { low, high } => format!("low={low};high={high}"),
            Distribution::Triangular { low, mode, high } => {
                format!("low={low};mode={mode};high={high}")
            }
            Distribution::LogNormal { median, sigma } => format!("median={median};sigma={sigma}"),
            Distribution::YearSlip(outcomes) => outcomes
                .iter()
                .map(|outcome| format!("{}y={}", outcome.years, outcome.probability))
                .collect::<Vec<_>>()
                .join(";"),
        }
    }

    /// Reads a distribution of kind `kind` from its parameters (as [`Self::params_text`]
    /// writes them). Checks the form only; [`crate::model::validate()`] checks the values.
    pub fn parse(kind: &str, params: &str) -> Result<Self, String> {
        let pairs = key_values(params)?;
        let value = |key: &str| -> Result<f64, String> {
            let found = pairs
                .iter()
                .find(|(k, _)| k == key)
                .ok_or_else(|| format!("{kind} needs {key}=… in \"{params}\""))?;
            found
                .1
                .parse::<f64>()
                .map_err(|_| format!("{key}=\"{}\" is not a number", found.1))
        };
        let allow = |keys: &[&str]| -> Result<(), String> {
            match pairs.iter().find(|(k, _)| !keys.contains(&k.as_str())) {
                Some((k, _)) => Err(format!(
                    "{kind} takes no \"{k}\" (only {})",
                    keys.join(", ")
                )),
                None => Ok(()),
            }
        };
        match kind {
            "uniform" => {
                allow(&["low", "high"])?;
                Ok(Distribution::Uniform {
                    low: value("low")?,
                    high: value("high")?,
                })
            }
            "triangular" => {
                allow(&["low", "mode", "high"])?;
                Ok(Distribution::Triangular {
                    low: value("low")?,
                    mode: value("mode")?,
                    high: value("high")?,
                })
            }
            "lognormal" => {
                allow(&["median", "sigma"])?;
                Ok(Distribution::LogNormal {
                    median: value("median")?,
                    sigma: value("sigma")?,
                })
            }
            "year_slip" => year_slips(&pairs).map(Distribution::YearSlip),
            other => Err(format!(
                "unknown distribution \"{other}\" (one of {})",
                DISTRIBUTION_KINDS.join(", ")
            )),
        }
    }
}

/// `a=1;b=2` as pairs, refusing a piece without `=`.
fn key_values(params: &str) -> Result<Vec<(String, String)>, String> {
    params
        .split(';')
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            piece
                .split_once('=')
                .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
                .ok_or_else(|| format!("\"{piece}\" is not key=value"))
        })
        .collect()
}

/// `0y=0.5;2y=0.5` as slips.
fn year_slips(pairs: &[(String, String)]) -> Result<Vec<YearSlip>, String> {
    if pairs.is_empty() {
        return Err("year_slip needs at least one Ny=probability".to_owned());
    }
    pairs
        .iter()
        .map(|(key, value)| {
            let years = key
                .strip_suffix('y')
                .and_then(|years| years.parse::<i32>().ok())
                .ok_or_else(|| format!("\"{key}\" is not a number of years like 2y"))?;
            let probability = value
                .parse::<f64>()
                .map_err(|_| format!("probability \"{value}\" of {key} is not a number"))?;
            Ok(YearSlip { years, probability })
        })
        .collect()
}
