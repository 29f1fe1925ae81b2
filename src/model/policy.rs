//! Policies: measures that change the world from a year on (trade restrictions, capacity
//! and demand changes, stockpiles, production quotas), with the terms each kind takes.

use serde::{Deserialize, Serialize};

use super::Stage;

/// A measure that changes the world from a year on: a trade restriction, a capacity or
/// demand change, a stockpile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: String,
    pub label: String,
    pub enabled: bool,
    pub start_year: i32,
    /// Last year the policy applies (inclusive); `None` = to the end of the horizon.
    #[serde(default)]
    pub end_year: Option<i32>,
    pub kind: PolicyKind,
    /// The `events.csv` id this policy expresses, if any.
    #[serde(default)]
    pub event: Option<String>,
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

impl Policy {
    /// Whether the policy is switched on and applies in `year`.
    pub fn is_active_in(&self, year: i32) -> bool {
        self.enabled && self.start_year <= year && self.end_year.is_none_or(|end| year <= end)
    }
}

/// The kinds of policy the model can express.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum PolicyKind {
    /// No exports of the goods from the exporter to the destinations.
    ExportBan {
        exporter: String,
        goods: TradeGoods,
        destinations: Destinations,
    },
    /// Exports of the goods to the destinations are capped (a licence regime).
    ExportQuota {
        exporter: String,
        goods: TradeGoods,
        destinations: Destinations,
        limit: QuotaLimit,
    },
    /// Imports of the goods from the origins pay a tariff.
    ImportTariff {
        /// Importing country (ISO3) or demand region id.
        importer: String,
        goods: TradeGoods,
        origins: Destinations,
        rate: TariffRate,
    },
    /// A node's capacity changes (a disruption, an expansion, a quota on one site).
    CapacityChange {
        node: String,
        change: CapacityChangeKind,
    },
    /// A region's demand curve for a commodity shifts: the reference quantity is multiplied.
    DemandShock {
        region: String,
        commodity: String,
        factor: f64,
    },
    /// A stock that can be released to consumers.
    Stockpile {
        /// The demand region that holds the stock.
        holder: String,
        commodity: String,
        initial_stock_t: f64,
        release: ReleaseRule,
        /// Regions that may draw on the stock besides the holder.
        #[serde(default)]
        also_for: Vec<String>,
    },
    /// A country caps the output of one stage (e.g. China's mining and separation quotas).
    ProductionQuota {
        country: String,
        stage: Stage,
        /// Commodities the cap counts; empty = all.
        #[serde(default)]
        commodities: Vec<String>,
        max_t_per_yr: f64,
    },
}

impl PolicyKind {
    /// A short name of the kind, for grouping in lists.
    pub fn kind_label(&self) -> &'static str {
        match self {
            PolicyKind::ExportBan { .. } => "Export ban",
            PolicyKind::ExportQuota { .. } => "Export quota / licence",
            PolicyKind::ImportTariff { .. } => "Import tariff",
            PolicyKind::CapacityChange { .. } => "Capacity change",
            PolicyKind::DemandShock { .. } => "Demand shock",
            PolicyKind::Stockpile { .. } => "Stockpile",
            PolicyKind::ProductionQuota { .. } => "Production quota",
        }
    }
}

/// Which goods a trade policy covers. An empty list means "all".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeGoods {
    /// Commodity ids; for concentrate, the oxides it contains.
    #[serde(default)]
    pub commodities: Vec<String>,
    /// Stages the goods leave: `Mine` = concentrate, `Refinery` = oxide, `Magnet` = magnets.
    #[serde(default)]
    pub stages: Vec<Stage>,
}

/// Which partner countries a trade policy covers. A code is an ISO3 country or a demand
/// region id; a region id covers every country in the region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Destinations {
    All,
    Only(Vec<String>),
    AllExcept(Vec<String>),
}

impl Destinations {
    /// The codes the list names (empty for `All`).
    pub fn codes(&self) -> &[String] {
        match self {
            Destinations::All => &[],
            Destinations::Only(codes) | Destinations::AllExcept(codes) => codes,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum QuotaLimit {
    /// At most this many tonnes per year.
    Tonnes(f64),
    /// At most this share of the exporter's output of the goods (licences for 35–40 %).
    ShareOfOutput(f64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TariffRate {
    UsdPerKg(f64),
    /// A share of the commodity's reference price (0.25 = 25 %).
    AdValorem(f64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CapacityChangeKind {
    /// Capacity becomes this many t/yr.
    SetTo(f64),
    /// Capacity is multiplied by this factor.
    Scale(f64),
    /// This many t/yr are added (negative to remove).
    Add(f64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ReleaseRule {
    /// Release up to this many tonnes each year while stock lasts.
    FixedRate { t_per_yr: f64 },
    /// Release up to `max_t_per_yr` in years when the holder's price exceeds the trigger.
    PriceTrigger {
        price_usd_per_kg: f64,
        max_t_per_yr: f64,
    },
}
