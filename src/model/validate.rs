//! Validation: every problem of a scenario at once, each naming the item and the field.
//!
//! A scenario that passes [`validate`] has unique ids, only known references, finite
//! numbers in their ranges, compositions that sum to 1, recipes over known oxides, a
//! horizon of at most [`MAX_HORIZON_YEARS`] years and years inside it. The solver may rely
//! on all of that.

use std::collections::BTreeSet;
use std::fmt;

mod market_terms;
mod markets;
mod places;
mod uncertainty;

use super::{
    COMPOSITION_TOLERANCE, CapacityChangeKind, CommodityKind, Destinations, MAX_FACTOR,
    MAX_HORIZON_YEARS, MAX_TONNES, Node, PolicyKind, Process, QuotaLimit, RefineryFeed,
    ReleaseRule, Scenario, Share, TariffRate, TradeGoods,
};

/// One thing wrong with a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The offending item, e.g. `node "MINE-CHN-light_ree_mines"`.
    pub item: String,
    /// The field within the item, e.g. `capacity_t_per_yr`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}: {}", self.item, self.field, self.message)
    }
}

/// Checks the whole scenario and returns every problem found (empty when valid).
pub fn validate(scenario: &Scenario) -> Vec<Problem> {
    let mut check = Checker::new(scenario);
    check.meta();
    check.commodities();
    check.regions_and_countries();
    for node in &scenario.nodes {
        check.node(node);
    }
    check.duplicates("node", scenario.nodes.iter().map(|node| node.id.as_str()));
    check.demand();
    check.trade();
    check.policies();
    check.expansion_options();
    check.contracts();
    check.uncertain_inputs();
    check.duplicates(
        "source",
        scenario.sources.iter().map(|source| source.key.as_str()),
    );
    check.problems
}

/// Which values a number may take.
#[derive(Clone, Copy)]
enum Range {
    /// Finite and ≥ 0.
    NonNegative,
    /// Tonnes: finite, ≥ 0 and at most [`MAX_TONNES`].
    Tonnes,
    /// Finite and > 0.
    Positive,
    /// Finite, in [0, 1].
    Fraction,
    /// Finite, in (0, 1].
    PositiveFraction,
    /// Finite, in the closed interval.
    Between(f64, f64),
}

struct Checker<'a> {
    scenario: &'a Scenario,
    problems: Vec<Problem>,
    oxides: BTreeSet<&'a str>,
    commodities: BTreeSet<&'a str>,
    countries: BTreeSet<&'a str>,
    regions: BTreeSet<&'a str>,
    nodes: BTreeSet<&'a str>,
}

impl<'a> Checker<'a> {
    fn new(scenario: &'a Scenario) -> Self {
        Self {
            scenario,
            problems: Vec::new(),
            oxides: scenario
                .commodities
                .iter()
                .filter(|commodity| commodity.kind == CommodityKind::Oxide)
                .map(|commodity| commodity.id.as_str())
                .collect(),
            commodities: scenario.commodities.iter().map(|c| c.id.as_str()).collect(),
            countries: scenario.countries.iter().map(|c| c.iso3.as_str()).collect(),
            regions: scenario.regions.iter().map(|r| r.id.as_str()).collect(),
            nodes: scenario.nodes.iter().map(|n| n.id.as_str()).collect(),
        }
    }

    fn report(&mut self, item: &str, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            item: item.to_owned(),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn number(&mut self, item: &str, field: &str, value: f64, range: Range) {
        // The wanted range is written out only for a value out of it: a scenario checks
        // about a thousand numbers each time a year is solved.
        let ok = value.is_finite()
            && match range {
                Range::NonNegative => value >= 0.0,
                Range::Tonnes => (0.0..=MAX_TONNES).contains(&value),
                Range::Positive => value > 0.0,
                Range::Fraction => (0.0..=1.0).contains(&value),
                Range::PositiveFraction => value > 0.0 && value <= 1.0,
                Range::Between(low, high) => (low..=high).contains(&value),
            };
        if ok {
            return;
        }
        let wanted = match range {
            Range::NonNegative => "≥ 0".to_owned(),
            Range::Tonnes if value.is_finite() && value > MAX_TONNES => {
                format!("at most {MAX_TONNES:e} t, a million times the world's yearly output")
            }
            Range::Tonnes => "≥ 0".to_owned(),
            Range::Positive => "> 0".to_owned(),
            Range::Fraction => "between 0 and 1".to_owned(),
            Range::PositiveFraction => "above 0 and at most 1".to_owned(),
            Range::Between(low, high) => format!("between {low} and {high}"),
        };
        self.report(item, field, format!("must be {wanted} (got {value})"));
    }

    fn name(&mut self, item: &str, field: &str, text: &str) {
        if text.trim().is_empty() {
            self.report(item, field, "must not be empty");
        }
    }

    fn reference(&mut self, item: &str, field: &str, id: &str, known: Known) {
        let (found, what) = match known {
            Known::Country => (self.countries.contains(id), "country"),
            Known::Region => (self.regions.contains(id), "region"),
            Known::CountryOrRegion => (
                self.countries.contains(id) || self.regions.contains(id),
                "country or region",
            ),
            Known::Commodity => (self.commodities.contains(id), "commodity"),
            Known::Oxide => (self.oxides.contains(id), "oxide commodity"),
            Known::Node => (self.nodes.contains(id), "node"),
        };
        if !found {
            let message = if id.is_empty() {
                format!("names no {what}")
            } else {
                format!("unknown {what} \"{id}\"")
            };
            self.report(item, field, message);
        }
    }

    /// A year that must lie inside the horizon.
    fn year_in_horizon(&mut self, item: &str, field: &str, year: i32) {
        let meta = &self.scenario.meta;
        if !(meta.first_year..=meta.last_year).contains(&year) {
            self.report(
                item,
                field,
                format!(
                    "year {year} is outside the horizon {}–{}",
                    meta.first_year, meta.last_year
                ),
            );
        }
    }

    /// A year by which something must have happened for it to matter: at most the last year.
    fn year_not_after_horizon(&mut self, item: &str, field: &str, year: i32) {
        let last = self.scenario.meta.last_year;
        if year > last {
            self.report(
                item,
                field,
                format!("year {year} is after the horizon's last year {last}"),
            );
        }
    }

    fn duplicates<'b>(&mut self, kind: &str, ids: impl Iterator<Item = &'b str>) {
        let mut seen = BTreeSet::new();
        let mut reported = BTreeSet::new();
        for id in ids {
            if !seen.insert(id) && reported.insert(id) {
                self.report(&format!("{kind} \"{id}\""), "id", "is used more than once");
            }
        }
    }

    fn shares(&mut self, item: &str, field: &str, shares: &[Share]) {
        if shares.is_empty() {
            self.report(item, field, "lists no commodity");
            return;
        }
        let mut seen = BTreeSet::new();
        for share in shares {
            let share_field = format!("{field}[{}]", share.commodity);
            self.reference(item, &share_field, &share.commodity, Known::Oxide);
            self.number(item, &share_field, share.share, Range::Fraction);
            if !seen.insert(share.commodity.as_str()) {
                self.report(item, &share_field, "is listed more than once");
            }
        }
        let total: f64 = shares.iter().map(|share| share.share).sum();
        if total.is_finite() && (total - 1.0).abs() > COMPOSITION_TOLERANCE {
            self.report(
                item,
                field,
                format!("shares must sum to 1 (they sum to {total:.4})"),
            );
        }
    }

    fn meta(&mut self) {
        let meta = &self.scenario.meta;
        self.name("scenario", "meta.name", &meta.name);
        if meta.first_year > meta.last_year {
            self.report(
                "scenario",
                "meta.first_year",
                format!(
                    "first year {} is after last year {}",
                    meta.first_year, meta.last_year
                ),
            );
        }
        let horizon_years = i64::from(meta.last_year) - i64::from(meta.first_year) + 1;
        if horizon_years > i64::from(MAX_HORIZON_YEARS) {
            self.report(
                "scenario",
                "meta.last_year",
                format!(
                    "the horizon {}–{} is {horizon_years} years; at most {MAX_HORIZON_YEARS} \
                     are solved",
                    meta.first_year, meta.last_year
                ),
            );
        }
        self.year_in_horizon("scenario", "meta.base_year", meta.base_year);
    }

    fn commodities(&mut self) {
        for commodity in &self.scenario.commodities {
            let item = format!("commodity \"{}\"", commodity.id);
            self.name(&item, "id", &commodity.id);
            self.name(&item, "name", &commodity.name);
            self.name(&item, "unit", &commodity.unit);
        }
        self.duplicates(
            "commodity",
            self.scenario.commodities.iter().map(|c| c.id.as_str()),
        );
        if self.oxides.is_empty() {
            self.report("scenario", "commodities", "lists no oxide commodity");
        }
    }

    fn node(&mut self, node: &Node) {
        let item = format!("node \"{}\"", node.id);
        self.name(&item, "id", &node.id);
        self.name(&item, "name", &node.name);
        self.reference(&item, "country", &node.country, Known::Country);
        self.number(
            &item,
            "capacity_t_per_yr",
            node.capacity_t_per_yr,
            Range::Tonnes,
        );
        if let Some(start) = node.start_year {
            self.year_not_after_horizon(&item, "start_year", start);
        }
        for (index, phase) in node.expansions.iter().enumerate() {
            let field = format!("expansions[{index}]");
            self.year_in_horizon(&item, &format!("{field}.year"), phase.year);
            self.number(
                &item,
                &format!("{field}.added_t_per_yr"),
                phase.added_t_per_yr,
                Range::Tonnes,
            );
        }
        if let Some(cost) = node.unit_cost_usd_per_kg {
            self.number(&item, "unit_cost_usd_per_kg", cost, Range::NonNegative);
        }
        for (index, output) in node.reported_output.iter().enumerate() {
            let field = format!("reported_output[{index}]");
            self.reference(
                &item,
                &format!("{field}.commodity"),
                &output.commodity,
                Known::Commodity,
            );
            self.number(&item, &format!("{field}.t"), output.t, Range::Tonnes);
        }
        match &node.process {
            Process::Mine { composition, .. } => {
                self.shares(&item, "composition", composition);
            }
            Process::Refinery {
                recovery,
                circuits,
                feed,
            } => {
                self.number(&item, "recovery", *recovery, Range::PositiveFraction);
                if circuits.is_empty() {
                    self.report(&item, "circuits", "lists no separation circuit");
                }
                for (index, circuit) in circuits.iter().enumerate() {
                    let field = format!("circuits[{index}]");
                    self.reference(
                        &item,
                        &format!("{field}.commodity"),
                        &circuit.commodity,
                        Known::Oxide,
                    );
                    self.number(
                        &item,
                        &format!("{field}.capacity_t_per_yr"),
                        circuit.capacity_t_per_yr,
                        Range::Tonnes,
                    );
                    if let Some(start) = circuit.start_year {
                        self.year_not_after_horizon(&item, &format!("{field}.start_year"), start);
                    }
                }
                if let RefineryFeed::Secondary { composition } = feed {
                    self.shares(&item, "feed.composition", composition);
                }
                if !node.expansions.is_empty() {
                    self.report(
                        &item,
                        "expansions",
                        "a refinery grows by circuits with their own start year, not expansions",
                    );
                }
                let base_total: f64 = circuits
                    .iter()
                    .filter(|circuit| circuit.start_year.is_none())
                    .map(|circuit| circuit.capacity_t_per_yr)
                    .sum();
                if base_total.is_finite()
                    && node.capacity_t_per_yr.is_finite()
                    && (base_total - node.capacity_t_per_yr).abs() > 0.5
                {
                    self.report(
                        &item,
                        "capacity_t_per_yr",
                        format!(
                            "must equal the total of the circuits that start with the node \
                             ({base_total} t/yr; got {})",
                            node.capacity_t_per_yr
                        ),
                    );
                }
            }
            Process::MagnetPlant { product, recipe } => {
                let is_product = self
                    .scenario
                    .commodity(product)
                    .is_some_and(|c| c.kind == CommodityKind::Product);
                if !is_product {
                    self.report(
                        &item,
                        "product",
                        format!("\"{product}\" is not a product commodity"),
                    );
                }
                if recipe.is_empty() {
                    self.report(&item, "recipe", "lists no input");
                }
                for input in recipe {
                    let field = format!("recipe[{}]", input.commodity);
                    self.reference(&item, &field, &input.commodity, Known::Oxide);
                    self.number(&item, &field, input.t_per_t, Range::Positive);
                }
            }
        }
    }

    fn goods(&mut self, item: &str, goods: &TradeGoods) {
        for commodity in &goods.commodities {
            self.reference(item, "goods.commodities", commodity, Known::Commodity);
        }
    }

    fn partners(&mut self, item: &str, field: &str, partners: &Destinations) {
        if matches!(partners, Destinations::Only(codes) if codes.is_empty()) {
            self.report(item, field, "Only(..) lists no country or region");
        }
        for code in partners.codes() {
            self.reference(item, field, code, Known::CountryOrRegion);
        }
    }

    fn policies(&mut self) {
        for policy in &self.scenario.policies {
            let item = format!("policy \"{}\"", policy.id);
            self.name(&item, "id", &policy.id);
            self.name(&item, "label", &policy.label);
            self.year_in_horizon(&item, "start_year", policy.start_year);
            if let Some(end) = policy.end_year {
                self.year_in_horizon(&item, "end_year", end);
                if end < policy.start_year {
                    self.report(
                        &item,
                        "end_year",
                        format!("ends ({end}) before it starts ({})", policy.start_year),
                    );
                }
            }
            self.policy_kind(&item, &policy.kind);
        }
        self.duplicates(
            "policy",
            self.scenario.policies.iter().map(|p| p.id.as_str()),
        );
    }

    fn policy_kind(&mut self, item: &str, kind: &PolicyKind) {
        match kind {
            PolicyKind::ExportBan {
                exporter,
                goods,
                destinations,
            } => {
                self.reference(item, "exporter", exporter, Known::Country);
                self.goods(item, goods);
                self.partners(item, "destinations", destinations);
            }
            PolicyKind::ExportQuota {
                exporter,
                goods,
                destinations,
                limit,
            } => {
                self.reference(item, "exporter", exporter, Known::Country);
                self.goods(item, goods);
                self.partners(item, "destinations", destinations);
                match *limit {
                    QuotaLimit::Tonnes(t) => self.number(item, "limit", t, Range::Tonnes),
                    QuotaLimit::ShareOfOutput(share) => {
                        self.number(item, "limit", share, Range::Fraction);
                    }
                }
            }
            PolicyKind::ImportTariff {
                importer,
                goods,
                origins,
                rate,
            } => {
                self.reference(item, "importer", importer, Known::CountryOrRegion);
                self.goods(item, goods);
                self.partners(item, "origins", origins);
                let (TariffRate::UsdPerKg(value) | TariffRate::AdValorem(value)) = *rate;
                self.number(item, "rate", value, Range::NonNegative);
            }
            PolicyKind::CapacityChange { node, change } => {
                self.reference(item, "node", node, Known::Node);
                match *change {
                    CapacityChangeKind::SetTo(value) => {
                        self.number(item, "change", value, Range::Tonnes);
                    }
                    CapacityChangeKind::Scale(value) => {
                        self.number(item, "change", value, Range::Between(0.0, MAX_FACTOR));
                    }
                    CapacityChangeKind::Add(value) => {
                        let range = Range::Between(-MAX_TONNES, MAX_TONNES);
                        self.number(item, "change", value, range);
                    }
                }
            }
            PolicyKind::DemandShock {
                region,
                commodity,
                factor,
            } => {
                self.reference(item, "region", region, Known::Region);
                self.reference(item, "commodity", commodity, Known::Commodity);
                self.number(item, "factor", *factor, Range::Between(0.0, MAX_FACTOR));
            }
            PolicyKind::Stockpile {
                holder,
                commodity,
                initial_stock_t,
                release,
                also_for,
            } => {
                self.reference(item, "holder", holder, Known::Region);
                self.reference(item, "commodity", commodity, Known::Commodity);
                self.number(item, "initial_stock_t", *initial_stock_t, Range::Tonnes);
                match *release {
                    ReleaseRule::FixedRate { t_per_yr } => {
                        self.number(item, "release.t_per_yr", t_per_yr, Range::Tonnes);
                    }
                    ReleaseRule::PriceTrigger {
                        price_usd_per_kg,
                        max_t_per_yr,
                    } => {
                        self.number(
                            item,
                            "release.price_usd_per_kg",
                            price_usd_per_kg,
                            Range::Positive,
                        );
                        self.number(item, "release.max_t_per_yr", max_t_per_yr, Range::Tonnes);
                    }
                }
                for region in also_for {
                    self.reference(item, "also_for", region, Known::Region);
                }
            }
            PolicyKind::ProductionQuota {
                country,
                commodities,
                max_t_per_yr,
                ..
            } => {
                self.reference(item, "country", country, Known::Country);
                for commodity in commodities {
                    self.reference(item, "commodities", commodity, Known::Commodity);
                }
                self.number(item, "max_t_per_yr", *max_t_per_yr, Range::Tonnes);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Known {
    Country,
    Region,
    CountryOrRegion,
    Commodity,
    Oxide,
    Node,
}
