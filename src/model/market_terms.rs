//! How the market moves over the years beyond the scenario's own nodes: capacity that
//! investors add when prices pay for it, and contracts that hold trade on its routes.

use serde::{Deserialize, Serialize};

use super::Stage;

/// Capacity investors may add, in a country and stage, when the market pays for it: new
/// capacity of the same kind as the `host` node (its ore, its recipe, its routes).
///
/// Capacity that comes on stream in year t is chosen with year t's market in view: it pays
/// its annualised capital cost (`capital_cost_usd_per_t_per_yr × capital_recovery_factor`)
/// and runs at the host's marginal cost. Nothing can come on stream before the base year +
/// 1 + `lead_years` (decisions are taken from the year after the observed one), and at most
/// `max_build_t_per_yr` a year; what is built stays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpansionOption {
    pub id: String,
    /// For people: "New separation in Malaysia (NdPr)".
    pub label: String,
    pub enabled: bool,
    pub stage: Stage,
    /// The country where the capacity is built (ISO3).
    pub country: String,
    /// The node whose kind the new capacity is (same country and stage).
    pub host: String,
    /// For separation: the circuit's commodity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commodity: Option<String>,
    /// Capital cost per t/yr of capacity (t REO for mines and separation, t of product for
    /// magnet plants), US$.
    pub capital_cost_usd_per_t_per_yr: f64,
    /// Share of the capital cost paid each year (the capital recovery factor of the
    /// discount rate over the asset's life).
    pub capital_recovery_factor: f64,
    /// Years from the decision to first output.
    pub lead_years: u32,
    /// At most this much new capacity comes on stream in a year, t/yr.
    pub max_build_t_per_yr: f64,
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

impl ExpansionOption {
    /// The yearly cost of a kg/yr of new capacity, US$/kg.
    pub fn annualised_cost_usd_per_kg(&self) -> f64 {
        self.capital_cost_usd_per_t_per_yr * self.capital_recovery_factor / 1000.0
    }

    /// The first year new capacity can come on stream, for a scenario whose base year is
    /// `base_year`. Saturates at `i32::MAX` (a horizon may end there; an option that
    /// could first build later than that never builds).
    pub fn first_year(&self, base_year: i32) -> i32 {
        let lead_years = i32::try_from(self.lead_years).unwrap_or(i32::MAX);
        base_year.saturating_add(1).saturating_add(lead_years)
    }
}

/// One end of a contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Party {
    /// A node (a mine selling concentrate, a refinery buying it).
    Node(String),
    /// A country (its refineries or magnet plants selling).
    Country(String),
    /// A demand region (its users and magnet makers buying).
    Region(String),
}

/// A contract's volume.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Volume {
    /// At least this many t/yr.
    Tonnes(f64),
    /// At least this share of the seller's output (a captive chain, or an offtake of a
    /// share of production).
    ShareOfOutput(f64),
}

/// A long-term contract or captive chain: goods go from seller to buyer, at least the
/// volume, unless a policy blocks the route (then the contract lapses) or the seller cannot
/// deliver (then it pays `breach_cost_usd_per_kg` a kg short, the incentive that makes it
/// bind).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    pub id: String,
    /// For people: "Lynas NdPr to Japan (JARE)".
    pub label: String,
    pub enabled: bool,
    pub seller: Party,
    pub buyer: Party,
    /// The stage the goods leave (mine: concentrate; refinery: oxide; magnet: magnets).
    pub stage: Stage,
    /// The commodity (for concentrate: none, the mine's ore).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commodity: Option<String>,
    pub volume: Volume,
    pub start_year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<i32>,
    /// What a kg short costs the parties (US$/kg): high enough that the contract holds in
    /// ordinary markets, finite so that a scarce seller can fall short.
    pub breach_cost_usd_per_kg: f64,
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

impl Contract {
    pub fn is_active_in(&self, year: i32) -> bool {
        self.enabled && year >= self.start_year && self.end_year.is_none_or(|end| year <= end)
    }
}
