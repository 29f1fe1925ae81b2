//! What one year hands to the next: stock left in stockpiles, capacity built by expansion
//! options, and how far demand has adapted to the prices it has seen.
//!
//! Years that share no state are independent and may be solved in parallel; as soon as a
//! scenario has a stockpile, an expansion option or a long-run demand response, years are
//! solved in order and each starts from the state the previous one left.

use std::collections::BTreeMap;

use super::solution::YearSolution;
use crate::model::{PolicyKind, Scenario};

/// The state carried from year to year.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearState {
    /// Stock left in each switched-on stockpile, t, by policy id.
    pub(crate) stocks_t: BTreeMap<String, f64>,
    /// Capacity built so far by each expansion option, t/yr, by option id.
    pub(crate) built_t_per_yr: BTreeMap<String, f64>,
    /// Demand adapted to past prices, as a multiple of the reference quantity, by
    /// (region, commodity); 1 where it has not moved.
    pub(crate) demand_multiple: BTreeMap<(String, String), f64>,
}

impl YearState {
    /// The state before the first year: full stockpiles, nothing built, demand as given.
    pub fn new(scenario: &Scenario) -> Self {
        let stocks_t = scenario
            .policies
            .iter()
            .filter_map(|policy| match &policy.kind {
                PolicyKind::Stockpile {
                    initial_stock_t, ..
                } if policy.enabled => Some((policy.id.clone(), *initial_stock_t)),
                _ => None,
            })
            .collect();
        Self {
            stocks_t,
            ..Self::default()
        }
    }

    /// Whether a scenario's years depend on each other.
    pub fn links_years(scenario: &Scenario) -> bool {
        let stockpile = scenario
            .policies
            .iter()
            .any(|p| p.enabled && matches!(p.kind, PolicyKind::Stockpile { .. }));
        let expansion = scenario.expansion.iter().any(|o| o.enabled);
        let adapting = scenario.demand.iter().any(|d| d.long_run.is_some());
        stockpile || expansion || adapting
    }

    /// Capacity an option has built so far, t/yr.
    pub fn built_t_per_yr(&self, option: &str) -> f64 {
        self.built_t_per_yr.get(option).copied().unwrap_or(0.0)
    }

    /// How much of its reference quantity a market's demand still wants (1 = all).
    pub fn demand_multiple(&self, region: &str, commodity: &str) -> f64 {
        self.demand_multiple
            .get(&(region.to_owned(), commodity.to_owned()))
            .copied()
            .unwrap_or(1.0)
    }

    /// The state after `solution`'s year: releases taken out of stocks, new capacity
    /// added, and demand moved part of the way towards where its long-run elasticity takes
    /// it at this year's price (`m ← m + λ·((p/P)^−(ε_LR − ε_SR) − m)`).
    pub fn after_year(&mut self, scenario: &Scenario, solution: &YearSolution) {
        for release in &solution.stock_releases {
            if let Some(stock) = self.stocks_t.get_mut(&release.policy) {
                *stock = (*stock - release.t).max(0.0);
            }
        }
        for expansion in &solution.expansions {
            *self
                .built_t_per_yr
                .entry(expansion.option.clone())
                .or_default() += expansion.added_t_per_yr;
        }
        for demand in &scenario.demand {
            let Some(long_run) = &demand.long_run else {
                continue;
            };
            let Some(market) = solution.market(&demand.region, &demand.commodity) else {
                continue;
            };
            if market.reference_price_usd_per_kg <= 0.0 || market.price_usd_per_kg <= 0.0 {
                continue;
            }
            let relative_price = market.price_usd_per_kg / market.reference_price_usd_per_kg;
            let target = relative_price.powf(-(long_run.elasticity - demand.elasticity).max(0.0));
            let key = (demand.region.clone(), demand.commodity.clone());
            let multiple = self.demand_multiple.entry(key).or_insert(1.0);
            *multiple += long_run.adjustment_per_yr * (target - *multiple);
        }
    }
}
