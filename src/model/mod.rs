//! The scenario: plain data that describes one what-if world.
//!
//! Everything here is serde data with no GUI and no solver types. A [`Scenario`] is what a
//! file holds (see [`crate::io`]), what the GUI edits and what the solver reads.
//!
//! # Units
//!
//! * Tonnages of oxides and concentrate are **t REO** (tonnes of rare-earth-oxide
//!   equivalent); rates are per year (`_t_per_yr`).
//! * Magnets are **t NdFeB**; a magnet plant's capacity is in t NdFeB per year.
//! * Prices and unit costs are **US$ per kg** (`_usd_per_kg`; 1 $/kg = 1,000 $/t).
//! * Shares and growth rates are fractions (0.05 = 5 %).
//!
//! # References between items
//!
//! Items refer to each other by their string ids: a node's `country` is an ISO3 code from
//! [`Scenario::countries`], a demand row's `region` is a [`Region::id`], commodities are
//! [`Commodity::id`]s. [`validate`](validate::validate) checks every reference.

mod capacity;
pub mod edit;
pub mod item_edits;
mod market_terms;
mod policy;
pub mod uncertainty;
mod uncertainty_text;
pub mod validate;

use serde::{Deserialize, Serialize};

pub use edit::{Edit, EditError};
pub use market_terms::{Contract, ExpansionOption, Party, Volume};
pub use policy::{
    CapacityChangeKind, Destinations, Policy, PolicyKind, QuotaLimit, ReleaseRule, TariffRate,
    TradeGoods,
};
pub use uncertainty::{Distribution, InputCorrelation, UncertainInput, UncertainTarget, YearSlip};
pub use uncertainty_text::{DISTRIBUTION_KINDS, TARGET_KINDS};
pub use validate::{Problem, validate};

/// How far a composition may sum away from 1 before validation rejects it.
pub const COMPOSITION_TOLERANCE: f64 = 1e-3;

/// The most tonnes a yearly quantity of a scenario may be (capacities, demand, stocks,
/// quotas, contracts): a million times the world's yearly rare-earth output. Fuzzing found
/// that numbers near `f64::MAX` overflow to ∞ on the way to a report (a reference demand
/// of 1.8e308 t growing 5 % a year) while the year is called optimal.
pub const MAX_TONNES: f64 = 1e12;

/// The largest factor a demand shock or a capacity scaling may apply: a demand shock of
/// `f64::MAX` made a year's shortfall infinite in a year called optimal (found by fuzzing).
pub const MAX_FACTOR: f64 = 1e6;

/// The longest horizon validation accepts, in years. Every year is solved in turn (tens of
/// milliseconds each on the baseline) and kept in memory; a file with a horizon of
/// billions of years (`first_year: -2147483648`) loaded as valid and its solve grew memory
/// by gigabytes a second without end.
pub const MAX_HORIZON_YEARS: u32 = 100;

/// One what-if world: the supply network, demand, trade costs and policies over a horizon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub meta: Metadata,
    pub commodities: Vec<Commodity>,
    pub regions: Vec<Region>,
    pub countries: Vec<Country>,
    pub nodes: Vec<Node>,
    pub demand: Vec<Demand>,
    pub trade: TradeCosts,
    pub policies: Vec<Policy>,
    /// Capacity investors may add when prices pay for it (none: announced projects only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expansion: Vec<ExpansionOption>,
    /// Long-term contracts and captive chains that hold trade on their routes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<Contract>,
    /// Ranges on guessed numbers, drawn together by a sweep (none: the scenario is
    /// taken as certain).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncertainty: Vec<UncertainInput>,
    /// Rank correlations between uncertain inputs (none: every input is drawn
    /// independently). Optional within format version 2: older files have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correlations: Vec<InputCorrelation>,
    /// Citations by key, for the About box and for readers of the file.
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// Name, description and the years the scenario covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    pub name: String,
    pub description: String,
    /// The year whose data calibrates the model (reference quantities and prices).
    pub base_year: i32,
    /// First year of the horizon (inclusive).
    pub first_year: i32,
    /// Last year of the horizon (inclusive).
    pub last_year: i32,
    /// What this scenario should be compared against, in words (e.g. the baseline file).
    #[serde(default)]
    pub reference_note: String,
}

/// A traded good: a separated oxide group or a manufactured product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commodity {
    /// Short id used in references, e.g. `NDPR`.
    pub id: String,
    pub name: String,
    pub kind: CommodityKind,
    /// Unit of quantities, e.g. `t REO` or `t NdFeB`.
    pub unit: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommodityKind {
    /// Comes out of a refinery (and travels in concentrate as a share of its REO).
    Oxide,
    /// Made by magnet plants from oxides by a recipe.
    Product,
}

/// A demand region (a country or a bloc of countries).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: String,
    pub name: String,
    /// A representative point for the map.
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub notes: String,
    /// ISO 3166-1 alpha-3 codes of the countries whose consumption counts towards this
    /// region, also those not in [`Scenario::countries`] (the map colours every country of
    /// the world). Empty in files written before regions listed their members.
    #[serde(default)]
    pub members: Vec<String>,
    /// The catch-all region: countries that are neither listed nor members of another
    /// region count towards it (at most one region may be marked).
    #[serde(default)]
    pub rest_of_world: bool,
}

/// A country: where nodes sit, and which demand region it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code.
    pub iso3: String,
    pub name: String,
    /// The [`Region::id`] whose demand this country's consumption counts towards.
    pub region: String,
    pub lat: f64,
    pub lon: f64,
}

/// The three stages of the chain, also used to say which goods a trade policy covers:
/// goods leaving a `Mine` are concentrate, leaving a `Refinery` separated oxide, leaving a
/// `Magnet` plant magnets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    Mine,
    Refinery,
    Magnet,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Mine, Stage::Refinery, Stage::Magnet];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Mine => "mine",
            Stage::Refinery => "refinery",
            Stage::Magnet => "magnet plant",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeStatus {
    Operating,
    Construction,
    Planned,
    Pilot,
    Exploration,
}

/// A facility: a mine, a separation refinery or a magnet plant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Unique id, e.g. `SEP-MYS-lynas_malaysia_gebeng`.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub operator: String,
    /// ISO3 code of the country the facility is in.
    pub country: String,
    pub status: NodeStatus,
    /// Nameplate capacity once ramped up: t REO/yr of concentrate for a mine, t of product
    /// per year for a magnet plant. For a refinery, the total of the circuits that run from
    /// its start (its capacity in a year is always the sum of its running circuits).
    pub capacity_t_per_yr: f64,
    /// First year of output; `None` when the facility operated before the horizon.
    #[serde(default)]
    pub start_year: Option<i32>,
    /// Years from `start_year` to full capacity, rising linearly (0 = full at once).
    #[serde(default)]
    pub ramp_years: u32,
    /// Later phases that add capacity from a given year (mines and magnet plants; a
    /// refinery grows by circuits with their own start years).
    #[serde(default)]
    pub expansions: Vec<Expansion>,
    /// Operating cost per kg of output, where a public figure exists.
    #[serde(default)]
    pub unit_cost_usd_per_kg: Option<f64>,
    /// Output observed in past years, by commodity: calibration targets and the summary.
    #[serde(default)]
    pub reported_output: Vec<ReportedOutput>,
    pub process: Process,
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

/// What a node does, with the data only that kind of node has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Process {
    /// Produces mixed concentrate whose REO splits into oxides by `composition`; the
    /// composition travels with the concentrate to whichever refinery takes it.
    Mine {
        /// Deposit type, e.g. `ion_adsorption_clay_SEA` (informational).
        ore_type: String,
        /// Share of each oxide in the concentrate's REO; sums to 1.
        composition: Vec<Share>,
    },
    /// Separates concentrate into oxides. Its circuits bound what it puts out; it may take
    /// more concentrate than its circuits can separate and set the rest aside (Lynas rejects
    /// La/Ce this way), so the feed itself is not bounded.
    Refinery {
        /// Fraction of the feed's REO that comes out as separated oxide (process losses).
        recovery: f64,
        /// Separation circuits: the most of each oxide the plant can put out per year.
        /// An oxide with no circuit cannot be separated here.
        circuits: Vec<Circuit>,
        feed: RefineryFeed,
    },
    /// Makes a product (NdFeB magnets) from oxides by a fixed recipe.
    MagnetPlant {
        /// The [`Commodity::id`] of the product.
        product: String,
        /// Tonnes of each oxide per tonne of product.
        recipe: Vec<RecipeInput>,
    },
}

impl Process {
    pub fn stage(&self) -> Stage {
        match self {
            Process::Mine { .. } => Stage::Mine,
            Process::Refinery { .. } => Stage::Refinery,
            Process::MagnetPlant { .. } => Stage::Magnet,
        }
    }
}

/// Where a refinery's feed comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RefineryFeed {
    /// Buys concentrate from mines; the oxide split follows each mine's composition.
    Concentrate,
    /// Secondary supply (scrap recycling, unrecorded supply) with its own feed, up to the
    /// node's capacity, of the given composition.
    Secondary { composition: Vec<Share> },
}

/// A commodity's share of a whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Share {
    pub commodity: String,
    pub share: f64,
}

/// A separation circuit of a refinery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Circuit {
    pub commodity: String,
    pub capacity_t_per_yr: f64,
    /// First year the circuit runs when later than the node (a new circuit or phase);
    /// `None` = it starts and ramps with the node.
    #[serde(default)]
    pub start_year: Option<i32>,
    /// Years from the circuit's own `start_year` to full capacity.
    #[serde(default)]
    pub ramp_years: u32,
}

/// One input of a recipe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipeInput {
    pub commodity: String,
    /// Tonnes of this oxide per tonne of product.
    pub t_per_t: f64,
}

/// A later phase of a facility.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expansion {
    pub year: i32,
    pub added_t_per_yr: f64,
    #[serde(default)]
    pub ramp_years: u32,
    #[serde(default)]
    pub source: String,
}

/// Output observed in a year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportedOutput {
    pub year: i32,
    pub commodity: String,
    pub t: f64,
}

/// A region's demand for one commodity: a demand curve through a reference point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    pub region: String,
    pub commodity: String,
    /// Quantity demanded in the base year at the reference price.
    pub reference_t_per_yr: f64,
    pub reference_price_usd_per_kg: f64,
    /// Short-run price elasticity, as a positive number (0.2 = a 10 % price rise cuts
    /// demand by 2 %).
    pub elasticity: f64,
    /// Yearly growth of the reference quantity (0.08 = +8 %/yr).
    pub growth_per_yr: f64,
    /// The curve's shape (linear when the file does not say).
    #[serde(default, skip_serializing_if = "DemandForm::is_linear")]
    pub form: DemandForm,
    /// How demand adapts to a lasting price change over the years (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_run: Option<LongRunResponse>,
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

/// The shape of a demand curve through its reference point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum DemandForm {
    /// `P(q) = P·(1 + (Q − q)/(ε·Q))`: prices rise at most to `P·(1 + 1/ε)`.
    #[default]
    Linear,
    /// Constant elasticity, `P(q) = P·(q/Q)^(−1/ε)`, up to `price_cap_multiple × P`, the
    /// price at which buyers start to go without (the last tonnes are worth up to a tenth
    /// more: `solver::CAP_RISE`).
    ConstantElasticity { price_cap_multiple: f64 },
}

impl DemandForm {
    pub fn is_linear(&self) -> bool {
        matches!(self, DemandForm::Linear)
    }
}

/// Demand's adaptation to a lasting price change (substitution, thrifting): each year the
/// reference quantity closes `adjustment_per_yr` of the gap to where the long-run
/// elasticity would take it at last year's price (a partial-adjustment, Koyck form).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LongRunResponse {
    /// Long-run price elasticity, as a positive number, at least the short-run one.
    pub elasticity: f64,
    /// Share of the gap closed each year, in (0, 1].
    pub adjustment_per_yr: f64,
}

/// What moving goods between countries costs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeCosts {
    /// Cost of any shipment that crosses a border, whatever its length.
    pub border_usd_per_kg: f64,
    /// Added cost per 1,000 km of great-circle distance between country centroids.
    pub per_1000km_usd_per_kg: f64,
    /// Cost of moving goods within one country.
    pub domestic_usd_per_kg: f64,
    /// Route-specific costs that replace the distance-based default.
    #[serde(default)]
    pub overrides: Vec<TradeCostOverride>,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeCostOverride {
    /// Exporting country (ISO3).
    pub from: String,
    /// Importing country (ISO3).
    pub to: String,
    /// Commodity the override applies to; `None` = every commodity.
    #[serde(default)]
    pub commodity: Option<String>,
    pub usd_per_kg: f64,
    #[serde(default)]
    pub source: String,
}

/// A citation, by key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub key: String,
    pub citation: String,
}

impl Scenario {
    /// The citations of the source keys that `source_text` names (as `mcs2026 | est` or
    /// `project_delays (default rule …)` do), in order, each once; none for free text that
    /// names no key.
    pub fn citations_in(&self, source_text: &str) -> Vec<&str> {
        let mut citations: Vec<&str> = Vec::new();
        for word in source_text.split(|c: char| c.is_whitespace() || "|,;()".contains(c)) {
            if let Some(source) = self.sources.iter().find(|source| source.key == word)
                && !citations.contains(&source.citation.as_str())
            {
                citations.push(&source.citation);
            }
        }
        citations
    }

    /// The years of the horizon, first to last.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.meta.first_year..=self.meta.last_year
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|node| node.id == id)
    }

    pub fn country(&self, iso3: &str) -> Option<&Country> {
        self.countries.iter().find(|country| country.iso3 == iso3)
    }

    /// The demand region a country's consumption counts towards: the region of the listed
    /// country, else the region that names it among its members, else the catch-all
    /// region (`rest_of_world`); `None` when there is none.
    pub fn region_of_country(&self, iso3: &str) -> Option<&str> {
        if let Some(country) = self.country(iso3) {
            return Some(&country.region);
        }
        let member_of = self
            .regions
            .iter()
            .find(|region| region.members.iter().any(|member| member == iso3));
        member_of
            .or_else(|| self.regions.iter().find(|region| region.rest_of_world))
            .map(|region| region.id.as_str())
    }

    pub fn commodity(&self, id: &str) -> Option<&Commodity> {
        self.commodities.iter().find(|commodity| commodity.id == id)
    }

    /// What a planner reads for a commodity id ("NdPr oxide"); the id where the scenario
    /// has no such commodity.
    pub fn commodity_name(&self, id: &str) -> String {
        self.commodity(id)
            .map_or_else(|| id.to_owned(), |commodity| commodity.name.clone())
    }

    /// A country's name ("Japan"); the code where the scenario lists no such country.
    pub fn country_name(&self, iso3: &str) -> String {
        self.country(iso3)
            .map_or_else(|| iso3.to_owned(), |country| country.name.clone())
    }

    /// A demand region's name ("Europe (EU-27 + UK + NOR + CHE)"); the id where the
    /// scenario has no such region.
    pub fn region_name(&self, id: &str) -> String {
        self.regions
            .iter()
            .find(|region| region.id == id)
            .map_or_else(|| id.to_owned(), |region| region.name.clone())
    }

    /// A node's name ("Lynas Malaysia (Gebeng, Kuantan)"); the id where there is no such node.
    pub fn node_name(&self, id: &str) -> String {
        self.node(id)
            .map_or_else(|| id.to_owned(), |node| node.name.clone())
    }

    pub fn policy(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|policy| policy.id == id)
    }
}
