//! Fixed-bin histograms with integer counts: summaries that merge exactly.
//!
//! A sweep keeps, for every output, how many runs fell in each bin, never the runs
//! themselves: memory grows with the bins touched, not with the number of runs, and two
//! shards' histograms add to exactly the histogram one machine would have counted, in any
//! order. Quantiles are read from the counts (nearest rank), so they too are exact
//! functions of the merged state.
//!
//! # Resolution
//!
//! * **Prices** are binned by the log of their ratio to the unperturbed run's price, in
//!   steps of 0.01: a quantile is the bin's geometric middle, within ±0.5 % of the
//!   run's price.
//! * **Shortfall shares** (of demand at the reference price) in steps of 0.001 (0.1
//!   percentage point), with a bin of its own for no shortfall, so the probability of a
//!   shortfall is exact: a quantile is within ±0.05 percentage points.
//! * **Welfare** by its difference from the unperturbed run's, in steps of 0.1 % of it.

use std::collections::BTreeMap;

/// Log-price bin width: quantiles within ±0.5 % of the price.
pub const PRICE_LOG_STEP: f64 = 0.01;
/// Shortfall-share bin width (0.1 percentage point).
pub const SHORTFALL_SHARE_STEP: f64 = 0.001;
/// Welfare bin width, as a share of the unperturbed run's welfare.
pub const WELFARE_RELATIVE_STEP: f64 = 0.001;
/// A shortfall share at most this is none.
const NO_SHORTFALL: f64 = 1e-9;
/// Bins beyond ± this are held at it (a price 10^4343 times the reference is not a price).
const BIN_LIMIT: i64 = 1_000_000;
/// The bin of a price that is not positive (no log ratio).
const NON_POSITIVE_PRICE_BIN: i64 = -BIN_LIMIT - 1;

/// What an output measures, which decides its bins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// A market's price, US$/kg.
    Price,
    /// A market's shortfall over its demand at the reference price (0–1).
    ShortfallShare,
    /// The year's welfare, US$ million.
    Welfare,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Price => "price_usd_per_kg",
            Measure::ShortfallShare => "shortfall_share",
            Measure::Welfare => "welfare_musd",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Measure::Price, Measure::ShortfallShare, Measure::Welfare]
            .into_iter()
            .find(|measure| measure.name() == name)
    }

    /// The bin of `value`, for an output whose unperturbed value is `reference`.
    pub fn bin(self, value: f64, reference: f64) -> i64 {
        let raw = match self {
            Measure::Price => {
                if value <= 0.0 || reference <= 0.0 {
                    return NON_POSITIVE_PRICE_BIN;
                }
                ((value / reference).ln() / PRICE_LOG_STEP).floor()
            }
            Measure::ShortfallShare => {
                if value <= NO_SHORTFALL {
                    return 0;
                }
                (value / SHORTFALL_SHARE_STEP).ceil().max(1.0)
            }
            Measure::Welfare => ((value - reference) / welfare_step(reference)).floor(),
        };
        (raw as i64).clamp(-BIN_LIMIT, BIN_LIMIT)
    }

    /// The value a bin stands for (its middle).
    pub fn bin_value(self, bin: i64, reference: f64) -> f64 {
        match self {
            Measure::Price if bin == NON_POSITIVE_PRICE_BIN => 0.0,
            Measure::Price => reference * ((bin as f64 + 0.5) * PRICE_LOG_STEP).exp(),
            Measure::ShortfallShare if bin == 0 => 0.0,
            Measure::ShortfallShare => (bin as f64 - 0.5) * SHORTFALL_SHARE_STEP,
            Measure::Welfare => reference + (bin as f64 + 0.5) * welfare_step(reference),
        }
    }
}

/// Welfare's bin width in US$ million: 0.1 % of the reference (1 when it is 0).
fn welfare_step(reference: f64) -> f64 {
    let step = reference.abs() * WELFARE_RELATIVE_STEP;
    if step > 0.0 { step } else { 1.0 }
}

/// Runs counted by bin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    pub counts: BTreeMap<i64, u64>,
}

impl Histogram {
    pub fn add(&mut self, bin: i64, count: u64) {
        *self.counts.entry(bin).or_insert(0) += count;
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// Adds another histogram's counts (exact and order-independent).
    pub fn merge(&mut self, other: &Histogram) {
        for (&bin, &count) in &other.counts {
            self.add(bin, count);
        }
    }

    /// The bin holding the `probability` quantile by nearest rank (the smallest bin
    /// whose cumulative count reaches ⌈probability · n⌉); `None` when empty.
    pub fn quantile_bin(&self, probability: f64) -> Option<i64> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let rank = ((probability * total as f64).ceil() as u64).clamp(1, total);
        let mut cumulative = 0;
        for (&bin, &count) in &self.counts {
            cumulative += count;
            if cumulative >= rank {
                return Some(bin);
            }
        }
        self.counts.keys().next_back().copied()
    }

    /// Runs in bins above 0 (for shortfall shares: runs with a shortfall).
    pub fn count_above_zero_bin(&self) -> u64 {
        self.counts.range(1..).map(|(_, count)| count).sum()
    }
}
