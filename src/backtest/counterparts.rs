//! The model's value of what an observation measures, read from a solved episode.
//!
//! * Prices "outside China" (`EXCHN`) are the mean over the seven regions outside China,
//!   weighted by each region's demand at the reference price that year; the base is the
//!   same mean of the reference prices (the prices the base year is calibrated on).
//! * Rare-earth use counts every oxide consumed, what magnet makers buy included (t REO),
//!   as the observed consumption statistics do; magnets themselves are not counted again.
//! * China's exports are concentrate (its REO) and oxide leaving China, as its quotas
//!   counted them, or magnets for `NDFEB`.

use super::PricePath;
use super::observations::{Observation, Quantity};
use crate::model::{CommodityKind, PolicyKind, Process, QuotaLimit, Scenario, Stage};
use crate::solver::{Flow, Solution, YearSolution};

/// Outside China: the regions other than China, demand-weighted.
pub const OUTSIDE_CHINA: &str = "EXCHN";
/// Every region.
pub const WORLD: &str = "WORLD";
const CHINA: &str = "CHN";

/// A model value and what it is.
pub struct ModelValue {
    pub value: Option<f64>,
    pub meaning: String,
}

struct Solved<'a> {
    scenario: &'a Scenario,
    solution: &'a Solution,
}

impl<'a> Solved<'a> {
    fn year(&self, year: i32) -> Result<&'a YearSolution, String> {
        self.solution.year(year).ok_or_else(|| {
            format!(
                "{} has no solution for {year} (its horizon is {}-{})",
                self.scenario.meta.name,
                self.scenario.meta.first_year,
                self.scenario.meta.last_year
            )
        })
    }

    fn base(&self) -> Result<&'a YearSolution, String> {
        self.year(self.scenario.meta.base_year)
    }

    fn commodity_name(&self, id: &str) -> String {
        self.scenario.commodity_name(id)
    }

    fn place(&self, code: &str) -> String {
        match code {
            OUTSIDE_CHINA => "outside China".to_owned(),
            WORLD => "worldwide".to_owned(),
            code => self
                .scenario
                .regions
                .iter()
                .find(|region| region.id == code)
                .map(|region| format!("in {}", region.name))
                .or_else(|| {
                    self.scenario
                        .country(code)
                        .map(|c| format!("in {}", c.name))
                })
                .unwrap_or_else(|| format!("in {code}")),
        }
    }

    fn is_oxide(&self, commodity: &str) -> bool {
        self.scenario
            .commodity(commodity)
            .is_some_and(|c| c.kind == CommodityKind::Oxide)
    }

    /// t REO of oxide per t of magnet (the first magnet plant's recipe).
    fn oxide_per_magnet_t(&self) -> f64 {
        self.scenario
            .nodes
            .iter()
            .find_map(|node| match &node.process {
                Process::MagnetPlant { recipe, .. } => {
                    Some(recipe.iter().map(|input| input.t_per_t).sum())
                }
                _ => None,
            })
            .unwrap_or(0.0)
    }
}

/// A price in a region (or outside China, demand-weighted) and its base price.
fn price_and_base(
    year: &YearSolution,
    base: &YearSolution,
    region: &str,
    commodity: &str,
) -> Option<(f64, f64)> {
    let base_price = |market_region: &str| {
        base.market(market_region, commodity)
            .map(|m| m.reference_price_usd_per_kg)
    };
    if region == OUTSIDE_CHINA {
        let (mut price, mut base_total, mut weight) = (0.0, 0.0, 0.0);
        for market in year
            .markets
            .iter()
            .filter(|m| m.commodity == commodity && m.region != CHINA)
        {
            let Some(base_market) = base_price(&market.region) else {
                continue;
            };
            price += market.reference_t * market.price_usd_per_kg;
            base_total += market.reference_t * base_market;
            weight += market.reference_t;
        }
        (weight > 0.0).then(|| (price / weight, base_total / weight))
    } else {
        let market = year.market(region, commodity)?;
        Some((market.price_usd_per_kg, base_price(region)?))
    }
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

fn change(now: f64, before: f64) -> Option<f64> {
    ratio(now, before).map(|r| r - 1.0)
}

/// Rare earths used in a region (or the world), t REO: oxides consumed plus what its
/// magnet makers bought.
fn rare_earth_use(episode: &Solved<'_>, year: &YearSolution, region: &str) -> f64 {
    year.markets
        .iter()
        .filter(|m| (region == WORLD || m.region == region) && episode.is_oxide(&m.commodity))
        .map(|m| m.consumption_t + m.to_magnet_makers_t)
        .sum()
}

/// Whether a flow leaves China.
fn leaves_china(flow: &Flow) -> bool {
    flow.is_export() && flow.from.country_code() == CHINA
}

/// China's exports, t: `ALL` = concentrate (REO) and oxide, an oxide id = its content of
/// that oxide, `NDFEB` = magnets.
fn china_exports(episode: &Solved<'_>, year: &YearSolution, commodity: &str) -> f64 {
    year.flows
        .iter()
        .filter(|flow| leaves_china(flow))
        .map(|flow| match (flow.stage, commodity) {
            (Stage::Magnet, c) if flow.commodity.as_deref() == Some(c) => flow.t,
            (Stage::Mine | Stage::Refinery, "ALL") => flow.t,
            (Stage::Mine | Stage::Refinery, c) if episode.is_oxide(c) => flow.content_of(c),
            _ => 0.0,
        })
        .sum()
}

/// China's export quotas in force in `year`, t.
fn china_quota(scenario: &Scenario, year: i32) -> f64 {
    scenario
        .policies
        .iter()
        .filter(|policy| policy.is_active_in(year))
        .map(|policy| match &policy.kind {
            PolicyKind::ExportQuota {
                exporter,
                limit: QuotaLimit::Tonnes(t),
                ..
            } if exporter == CHINA => *t,
            _ => 0.0,
        })
        .sum()
}

/// Mine output, t REO: of one country, of all but China (`EXCHN`), or the world.
fn mine_output(year: &YearSolution, place: &str) -> f64 {
    year.nodes
        .iter()
        .filter(|node| node.stage == Stage::Mine)
        .filter(|node| match place {
            WORLD => true,
            OUTSIDE_CHINA => node.country != CHINA,
            country => node.country == country,
        })
        .map(|node| node.output_t)
        .sum()
}

/// The model's value of what `observation` measures, with its meaning in words.
pub fn model_value(
    observation: &Observation,
    scenario: &Scenario,
    solution: &Solution,
) -> Result<ModelValue, String> {
    let episode = Solved { scenario, solution };
    let at = episode.year(observation.year)?;
    let from = match observation.from_year {
        Some(year) => Some(episode.year(year)?),
        None => None,
    };
    let (region, commodity, y) = (
        observation.region.as_str(),
        observation.commodity.as_str(),
        observation.year,
    );
    let name = episode.commodity_name(commodity);
    let place = episode.place(region);
    let base = episode.base()?;
    let base_year = scenario.meta.base_year;
    let (value, meaning) = match observation.quantity {
        Quantity::PriceRatioToBase => (
            price_and_base(at, base, region, commodity).and_then(|(p, b)| ratio(p, b)),
            format!("{name} price {place} in {y} over its {base_year} reference price"),
        ),
        Quantity::PriceRatioToChina => (
            price_and_base(at, base, region, commodity)
                .and_then(|(p, _)| ratio(p, at.market(CHINA, commodity)?.price_usd_per_kg)),
            format!("{name} price {place} over its price in China, {y}"),
        ),
        Quantity::BasketRatioToBase => (
            basket_ratio(scenario, at, base, commodity)?,
            format!(
                "the ore of {} at the prices outside China in {y}, over the same at the \
                 {base_year} reference prices",
                scenario
                    .node(commodity)
                    .map_or(commodity, |n| n.name.as_str())
            ),
        ),
        Quantity::PricePaidRatioToBase => (
            price_paid_ratio(at, base, commodity),
            format!("{name}: mean price paid by all buyers in {y}, over its {base_year} reference"),
        ),
        Quantity::ExportRatioToQuota => (
            ratio(china_exports(&episode, at, "ALL"), china_quota(scenario, y)),
            format!("China's exports of concentrate and oxide in {y} over its export quota"),
        ),
        Quantity::ExportChange => {
            let from = from.ok_or("an export change needs a from year")?;
            (
                change(
                    china_exports(&episode, at, commodity),
                    china_exports(&episode, from, commodity),
                ),
                format!("China's exports of {name} in {y} against {}", from.year),
            )
        }
        Quantity::ConsumptionChange => {
            let from = from.ok_or("a consumption change needs a from year")?;
            (
                change(
                    rare_earth_use(&episode, at, region),
                    rare_earth_use(&episode, from, region),
                ),
                format!(
                    "rare earths used {place} (t REO) in {y} against {}",
                    from.year
                ),
            )
        }
        Quantity::MineOutputChange => {
            let from = from.ok_or("an output change needs a from year")?;
            (
                change(mine_output(at, region), mine_output(from, region)),
                format!("mine output {place} in {y} against {}", from.year),
            )
        }
        Quantity::ExChinaMineShare => (
            ratio(mine_output(at, OUTSIDE_CHINA), mine_output(at, WORLD)),
            format!("share of world mine output mined outside China, {y}"),
        ),
        Quantity::MineOutput => (
            Some(mine_output(at, region)),
            format!("mine output {place} in {y}, t REO"),
        ),
        Quantity::FirstOutputYear => (
            first_output_year(solution, commodity),
            format!(
                "first year {} produces in the model",
                scenario
                    .node(commodity)
                    .map_or(commodity, |n| n.name.as_str())
            ),
        ),
        Quantity::ExChinaSupplyRamp => {
            let from = from.ok_or("a ramp needs a from year")?;
            let years = f64::from(y - from.year);
            let growth = mine_output(at, OUTSIDE_CHINA) - mine_output(from, OUTSIDE_CHINA);
            (
                ratio(growth / years, rare_earth_use(&episode, from, WORLD)),
                format!(
                    "growth of mine output outside China per year, {}-{y}, over world use in {}",
                    from.year, from.year
                ),
            )
        }
        Quantity::PricedOutShare => (
            priced_out_share(&episode, at),
            format!("demand at the reference price left unmet by prices, {y}, share (t REO)"),
        ),
    };
    Ok(ModelValue { value, meaning })
}

/// A mine's composition at the prices outside China over the same at base prices.
fn basket_ratio(
    scenario: &Scenario,
    at: &YearSolution,
    base: &YearSolution,
    node: &str,
) -> Result<Option<f64>, String> {
    let Some(Process::Mine { composition, .. }) = scenario.node(node).map(|n| &n.process) else {
        return Err(format!(
            "basket: no mine \"{node}\" in {}",
            scenario.meta.name
        ));
    };
    let (mut now, mut then) = (0.0, 0.0);
    for share in composition {
        if let Some((price, base_price)) = price_and_base(at, base, OUTSIDE_CHINA, &share.commodity)
        {
            now += share.share * price;
            then += share.share * base_price;
        }
    }
    Ok(ratio(now, then))
}

/// The price paid by every buyer of a commodity (final users and magnet makers),
/// volume-weighted, over the same volumes at base prices.
fn price_paid_ratio(at: &YearSolution, base: &YearSolution, commodity: &str) -> Option<f64> {
    let (mut paid, mut at_base) = (0.0, 0.0);
    for market in at.markets.iter().filter(|m| m.commodity == commodity) {
        let volume = market.consumption_t + market.to_magnet_makers_t;
        let base_price = base
            .market(&market.region, commodity)?
            .reference_price_usd_per_kg;
        paid += volume * market.price_usd_per_kg;
        at_base += volume * base_price;
    }
    ratio(paid, at_base)
}

fn first_output_year(solution: &Solution, node: &str) -> Option<f64> {
    solution
        .years
        .iter()
        .find(|year| year.node(node).is_some_and(|n| n.output_t > 1.0))
        .map(|year| f64::from(year.year))
}

/// Shortfall over demand at the reference price, all markets, magnets as their oxide.
fn priced_out_share(episode: &Solved<'_>, at: &YearSolution) -> Option<f64> {
    let per_magnet = episode.oxide_per_magnet_t();
    let (mut short, mut wanted) = (0.0, 0.0);
    for market in &at.markets {
        let scale = if episode.is_oxide(&market.commodity) {
            1.0
        } else {
            per_magnet
        };
        short += scale * market.shortfall_t;
        wanted += scale * market.reference_t;
    }
    ratio(short, wanted)
}

/// The model's price over its base, every year, for each (region, commodity) that the
/// episode's price observations are about, with those observations as points.
pub fn price_paths(
    episode: &super::Episode,
    observations: &[Observation],
    scenario: &Scenario,
    solution: &Solution,
) -> Vec<PricePath> {
    let view = Solved { scenario, solution };
    let Ok(base) = view.base() else {
        return Vec::new();
    };
    let mut paths: Vec<PricePath> = Vec::new();
    let observed = observations
        .iter()
        .filter(|o| o.episode == episode.id && o.quantity == Quantity::PriceRatioToBase);
    for observation in observed {
        let (region, commodity) = (&observation.region, &observation.commodity);
        let index = match paths
            .iter()
            .position(|p| p.region == *region && p.commodity == *commodity)
        {
            Some(index) => index,
            None => {
                let model = solution
                    .years
                    .iter()
                    .filter_map(|year| {
                        let (price, base_price) = price_and_base(year, base, region, commodity)?;
                        Some((year.year, ratio(price, base_price)?))
                    })
                    .collect();
                paths.push(PricePath {
                    region: region.clone(),
                    commodity: commodity.clone(),
                    label: format!("{} {}", view.commodity_name(commodity), view.place(region)),
                    model,
                    observed: Vec::new(),
                });
                paths.len() - 1
            }
        };
        paths[index]
            .observed
            .push((observation.year, observation.value, observation.id.clone()));
    }
    paths
}
