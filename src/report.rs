//! Solutions as text for people and as CSV and JSON for scripts.
//!
//! # The JSON interface (`rareflow solve FILE --format json`)
//!
//! ```text
//! {
//!   "scenario": "…", "reference": "…",                 // names of the two scenarios
//!   "years": [{
//!     "year": 2026, "status": "Optimal",               // or AlmostOptimal, Infeasible, NumericalTrouble
//!     "welfare_musd": 1234.5,                          // objective: surplus minus costs, US$ million
//!     "markets": [{ "region": "JPN", "region_name": "Japan",
//!                   "commodity": "DYTB", "commodity_name": "Dy/Tb oxide",
//!                   "consumption_t": 9.1, "reference_t": 10.2, "shortfall_t": 1.1,
//!                   "price_usd_per_kg": 512.0, "price_pressure": 0.41,   // vs the reference; null if none
//!                   "stock_release_t": 0.0, "to_magnet_makers_t": 0.0,
//!                   "origin": [{ "source": "MMR", "kind": "Mined",   // or Recycled, Stockpile
//!                                "place": "MMR", "name": "Myanmar", "share": 0.55 }, …] }, …],
//!     "flows": [{ "stage": "Refinery", "commodity": "NDPR",            // stage the goods leave
//!                 "from": { "kind": "Country", "id": "MYS", "name": "Malaysia",
//!                           "country": "MYS", "region": "SEA" },   // kind: Node, Country or Region
//!                 "to": { "kind": "Region", "id": "JPN", "name": "Japan",
//!                         "country": null, "region": "JPN" },
//!                 "target": "Region",                              // or Refinery, MagnetMakers
//!                 "t": 3000.0, "content_t": [["NDPR", 3000.0]],    // oxide carried, by commodity
//!                 "cost_usd_per_kg": 0.15 }, …],
//!     "expansions": [{ "option": "…", "label": "New magnet making in China (like …)",
//!                      "stage": "Magnet", "country": "CHN", "host": "…", "commodity": null,
//!                      "built_before_t_per_yr": 20000.0, "added_t_per_yr": 5000.0,
//!                      "capacity_t_per_yr": 25000.0, "output_t": 24800.0 }, …],
//!     "contracts": [{ "contract": "…", "label": "…", "status": "Held",  // or Short, Lapsed
//!                     "required_t": 3000.0, "delivered_t": 3000.0 }, …],
//!     "utilisation": [{ "node": "…", "name": "…", "country": "AUS", "country_name": "Australia",
//!                       "stage": "Mine", "capacity_t": 50000.0, "output_t": 29000.0,
//!                       "outputs": [["NDPR", 5945.0], …], "utilisation": 0.58, "origin": […] }, …]
//!   }, …]
//! }
//! ```
//!
//! Quantities are tonnes per year (t REO; magnets t NdFeB); prices US$/kg; shares and price
//! pressure are fractions (0.41 = +41 %). Concentrate flows have `"commodity": null`.
//! `shortfall_t` is demand at the reference price left unmet ([`SHORTFALL_MEANS`]).

use std::fmt::Write as _;

use serde::Serialize;

use crate::solver::{
    ContractResult, ContractStatus, ExpansionResult, Flow, NodeResult, OriginShare, Solution,
    SolveStatus, YearSolution,
};
use crate::units;

/// One market record of the JSON and CSV outputs.
#[derive(Clone, Debug, Serialize)]
pub struct MarketRecord<'a> {
    pub region: &'a str,
    pub region_name: &'a str,
    pub commodity: &'a str,
    pub commodity_name: &'a str,
    pub consumption_t: f64,
    pub reference_t: f64,
    pub shortfall_t: f64,
    pub price_usd_per_kg: f64,
    pub price_pressure: Option<f64>,
    pub stock_release_t: f64,
    pub to_magnet_makers_t: f64,
    pub origin: &'a [OriginShare],
}

#[derive(Serialize)]
struct YearRecord<'a> {
    year: i32,
    status: SolveStatus,
    welfare_musd: f64,
    markets: Vec<MarketRecord<'a>>,
    flows: &'a [Flow],
    utilisation: &'a [NodeResult],
    expansions: &'a [ExpansionResult],
    contracts: &'a [ContractResult],
}

#[derive(Serialize)]
struct SolutionRecord<'a> {
    scenario: &'a str,
    reference: &'a str,
    years: Vec<YearRecord<'a>>,
}

/// The market records of a year, with price pressure against `reference` where given.
pub fn market_records<'a>(
    year: &'a YearSolution,
    reference: Option<&Solution>,
) -> Vec<MarketRecord<'a>> {
    year.markets
        .iter()
        .map(|market| MarketRecord {
            region: &market.region,
            region_name: &market.region_name,
            commodity: &market.commodity,
            commodity_name: &market.commodity_name,
            consumption_t: market.consumption_t,
            reference_t: market.reference_t,
            shortfall_t: market.shortfall_t,
            price_usd_per_kg: market.price_usd_per_kg,
            price_pressure: reference.and_then(|r| {
                market.price_pressure_against(
                    r.year(year.year)?
                        .market(&market.region, &market.commodity)?,
                )
            }),
            stock_release_t: market.stock_release_t,
            to_magnet_makers_t: market.to_magnet_makers_t,
            origin: &market.origin,
        })
        .collect()
}

/// The solution as the documented JSON.
pub fn to_json(solution: &Solution, reference: Option<&Solution>) -> String {
    let record = SolutionRecord {
        scenario: &solution.scenario,
        reference: reference.map_or("", |r| r.scenario.as_str()),
        years: solution
            .years
            .iter()
            .map(|year| YearRecord {
                year: year.year,
                status: year.status,
                welfare_musd: year.welfare_musd,
                markets: market_records(year, reference),
                flows: &year.flows,
                utilisation: &year.nodes,
                expansions: &year.expansions,
                contracts: &year.contracts,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&record)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
}

/// The markets of every year as CSV.
pub fn to_csv(solution: &Solution, reference: Option<&Solution>) -> String {
    let mut out = String::from(
        "year,status,region,commodity,consumption_t,reference_t,shortfall_t,price_usd_per_kg,price_pressure,stock_release_t\n",
    );
    for year in &solution.years {
        for record in market_records(year, reference) {
            let _ = writeln!(
                out,
                "{},{:?},{},{},{:.3},{:.3},{:.3},{:.4},{},{:.3}",
                year.year,
                year.status,
                record.region,
                record.commodity,
                record.consumption_t,
                record.reference_t,
                record.shortfall_t,
                record.price_usd_per_kg,
                record
                    .price_pressure
                    .map_or(String::new(), |p| format!("{p:.6}")),
                record.stock_release_t,
            );
        }
    }
    out
}

/// "+41 %", "−3.2 %", "0 %".
pub fn pressure(fraction: f64) -> String {
    let percent = fraction * 100.0;
    if percent.abs() < 0.05 {
        "0 %".to_owned()
    } else if percent.abs() >= 10.0 {
        format!("{percent:+.0} %")
    } else {
        format!("{percent:+.1} %")
    }
}

/// A commodity's name, from the year's markets (every traded commodity has one).
fn commodity_name<'a>(year: &'a YearSolution, id: &'a str) -> &'a str {
    year.markets
        .iter()
        .find(|m| m.commodity == id)
        .map_or(id, |m| m.commodity_name.as_str())
}

/// A region's name without its membership note: "Rest of world (incl. Taiwan, …)" reads
/// "Rest of world" in a table.
pub fn short_region_name(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name).trim()
}

fn origin_text(origin: &[OriginShare]) -> String {
    origin
        .iter()
        .take(3)
        .map(|o| format!("{} {:.0} %", o.name, o.share * 100.0))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What "shortfall" means, wherever it is shown.
pub const SHORTFALL_MEANS: &str = "Shortfall: demand at the reference price that the \
    equilibrium leaves unmet. Buyers who would take it at the reference price are priced out: \
    it is rationed by price, not a stock-out, and part of it exists in every year as demand \
    grows ahead of supply. The gap a policy opens is the shortfall beyond the reference \
    scenario's.";

/// The solution as text tables: markets, the largest flows, capacity built by investors and
/// contracts that did not hold.
pub fn to_text(solution: &Solution, reference: Option<&Solution>, flows_shown: usize) -> String {
    let mut out = String::from(SHORTFALL_MEANS);
    out.push_str("\n\n");
    let against = reference.map_or_else(
        || "no reference".to_owned(),
        |r| format!("against \"{}\"", r.scenario),
    );
    for year in &solution.years {
        let _ = writeln!(
            out,
            "{} — {} equilibrium: {:?}, welfare {} US$ m, solved in {:.1} ms; price pressure {against}",
            solution.scenario,
            year.year,
            year.status,
            units::tonnes(year.welfare_musd),
            year.solve_ms
        );
        if !year.status.is_usable() {
            let _ = writeln!(out, "  (no usable numbers for this year)\n");
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<16} {:<24} {:>12} {:>12} {:>9} {:>11} {:>9}  origin (top 3)",
            "region", "commodity", "consumed t", "shortfall t", "short %", "price $/kg", "pressure",
        );
        for record in market_records(year, reference) {
            let short_percent = if record.reference_t > 0.0 {
                format!("{:.1} %", 100.0 * record.shortfall_t / record.reference_t)
            } else {
                "-".to_owned()
            };
            let _ = writeln!(
                out,
                "  {:<16} {:<24} {:>12} {:>12} {:>9} {:>11} {:>9}  {}",
                short_region_name(record.region_name),
                commodity_name(year, record.commodity),
                units::tonnes(record.consumption_t),
                units::tonnes(record.shortfall_t),
                short_percent,
                format!("{:.2}", record.price_usd_per_kg),
                record
                    .price_pressure
                    .map_or_else(|| "-".to_owned(), pressure),
                origin_text(record.origin),
            );
        }
        let mut flows: Vec<&Flow> = year.flows.iter().filter(|f| f.is_export()).collect();
        flows.sort_by(|a, b| b.t.total_cmp(&a.t));
        let _ = writeln!(out, "\n  largest flows (t/yr)");
        for flow in flows.iter().take(flows_shown) {
            let what = flow
                .commodity
                .as_deref()
                .map_or("concentrate", |c| commodity_name(year, c));
            let _ = writeln!(
                out,
                "  {:>12}  {:<24} {} -> {}",
                units::tonnes(flow.t),
                what,
                flow.from.name,
                flow.to.name
            );
        }
        market_terms_text(&mut out, year);
        let _ = writeln!(out);
    }
    out
}

/// Capacity built by investors so far, and contracts that did not hold, as text.
fn market_terms_text(out: &mut String, year: &YearSolution) {
    let mut built: Vec<&ExpansionResult> = year
        .expansions
        .iter()
        .filter(|e| e.capacity_t_per_yr >= 0.5)
        .collect();
    if !built.is_empty() {
        built.sort_by(|a, b| b.capacity_t_per_yr.total_cmp(&a.capacity_t_per_yr));
        let total: f64 = built.iter().map(|e| e.capacity_t_per_yr).sum();
        let _ = writeln!(
            out,
            "\n  capacity built by investors since the base year (t/yr; {} options)",
            built.len()
        );
        for expansion in built.iter().take(8) {
            let _ = writeln!(
                out,
                "  {:>12}  {:<60} {:>+10} this year, output {}",
                units::tonnes(expansion.capacity_t_per_yr),
                expansion.label,
                format!("{:.0}", expansion.added_t_per_yr),
                units::tonnes(expansion.output_t)
            );
        }
        let _ = writeln!(out, "  {:>12}  in all", units::tonnes(total));
    }
    let troubled: Vec<&ContractResult> = year
        .contracts
        .iter()
        .filter(|c| c.status != ContractStatus::Held)
        .collect();
    if !year.contracts.is_empty() {
        let _ = writeln!(
            out,
            "\n  contracts: {} of {} held in full",
            year.contracts.len() - troubled.len(),
            year.contracts.len()
        );
        for contract in troubled {
            let _ = writeln!(
                out,
                "  {:?}: {} ({} of {} t delivered)",
                contract.status,
                contract.label,
                units::tonnes(contract.delivered_t),
                units::tonnes(contract.required_t)
            );
        }
    }
}

/// Differences between two solutions, year by year, as text.
pub fn compare_text(base: &Solution, other: &Solution) -> String {
    let mut out = String::new();
    for year in &other.years {
        let Some(base_year) = base.year(year.year) else {
            continue;
        };
        let _ = writeln!(
            out,
            "{} — \"{}\" against \"{}\": welfare {} US$ m ({:+.0})",
            year.year,
            other.scenario,
            base.scenario,
            units::tonnes(year.welfare_musd),
            year.welfare_musd - base_year.welfare_musd
        );
        let _ = writeln!(
            out,
            "  {:<16} {:<24} {:>12} {:>12} {:>12} {:>11} {:>11} {:>9}",
            "region",
            "commodity",
            "consumed t",
            "Δ consumed",
            "shortfall t",
            "price $/kg",
            "base $/kg",
            "pressure"
        );
        for market in &year.markets {
            let Some(base_market) = base_year.market(&market.region, &market.commodity) else {
                continue;
            };
            let delta = market.consumption_t - base_market.consumption_t;
            let change = market
                .price_pressure_against(base_market)
                .map_or_else(|| "-".to_owned(), pressure);
            let _ = writeln!(
                out,
                "  {:<16} {:<24} {:>12} {:>12} {:>12} {:>11.2} {:>11.2} {:>9}",
                short_region_name(&market.region_name),
                market.commodity_name,
                units::tonnes(market.consumption_t),
                format!("{:+.0}", delta),
                units::tonnes(market.shortfall_t),
                market.price_usd_per_kg,
                base_market.price_usd_per_kg,
                change
            );
        }
        let mut node_changes: Vec<(f64, &NodeResult, f64)> = year
            .nodes
            .iter()
            .filter_map(|node| {
                let base_node = base_year.node(&node.node)?;
                Some((node.output_t - base_node.output_t, node, base_node.output_t))
            })
            .filter(|(delta, ..)| delta.abs() >= 1.0)
            .collect();
        node_changes.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
        if !node_changes.is_empty() {
            let _ = writeln!(out, "\n  largest changes in node output (t/yr)");
            for (delta, node, base_output) in node_changes.iter().take(10) {
                let _ = writeln!(
                    out,
                    "  {:>+12.0}  {:<45} {} -> {}",
                    delta,
                    node.name,
                    units::tonnes(*base_output),
                    units::tonnes(node.output_t)
                );
            }
        }
        let _ = writeln!(out);
    }
    out
}
