//! Validation of the markets: demand rows with their curves, and trade costs.

use std::collections::BTreeSet;

use super::{Checker, Known, Range};
use crate::model::DemandForm;

impl Checker<'_> {
    pub(super) fn demand(&mut self) {
        let mut seen = BTreeSet::new();
        for demand in &self.scenario.demand {
            let item = format!("demand {}/{}", demand.region, demand.commodity);
            self.reference(&item, "region", &demand.region, Known::Region);
            self.reference(&item, "commodity", &demand.commodity, Known::Commodity);
            self.number(
                &item,
                "reference_t_per_yr",
                demand.reference_t_per_yr,
                Range::Tonnes,
            );
            self.number(
                &item,
                "reference_price_usd_per_kg",
                demand.reference_price_usd_per_kg,
                Range::Positive,
            );
            self.number(&item, "elasticity", demand.elasticity, Range::Positive);
            self.number(
                &item,
                "growth_per_yr",
                demand.growth_per_yr,
                Range::Between(-0.99, 10.0),
            );
            if let DemandForm::ConstantElasticity { price_cap_multiple } = demand.form {
                self.number(
                    &item,
                    "price_cap_multiple",
                    price_cap_multiple,
                    Range::Between(1.0, 1e4),
                );
            }
            if let Some(long_run) = &demand.long_run {
                self.number(
                    &item,
                    "long_run.elasticity",
                    long_run.elasticity,
                    Range::Positive,
                );
                self.number(
                    &item,
                    "long_run.adjustment_per_yr",
                    long_run.adjustment_per_yr,
                    Range::PositiveFraction,
                );
                if long_run.elasticity < demand.elasticity {
                    self.report(
                        &item,
                        "long_run.elasticity",
                        "the long-run elasticity must be at least the short-run one",
                    );
                }
            }
            if !seen.insert((demand.region.as_str(), demand.commodity.as_str())) {
                self.report(
                    &item,
                    "region",
                    "this region and commodity are listed more than once",
                );
            }
        }
    }

    pub(super) fn trade(&mut self) {
        let trade = &self.scenario.trade;
        let item = "trade costs";
        self.number(
            item,
            "border_usd_per_kg",
            trade.border_usd_per_kg,
            Range::NonNegative,
        );
        self.number(
            item,
            "per_1000km_usd_per_kg",
            trade.per_1000km_usd_per_kg,
            Range::NonNegative,
        );
        self.number(
            item,
            "domestic_usd_per_kg",
            trade.domestic_usd_per_kg,
            Range::NonNegative,
        );
        for (index, route) in trade.overrides.iter().enumerate() {
            let item = format!(
                "trade cost override {index} ({} to {})",
                route.from, route.to
            );
            self.reference(&item, "from", &route.from, Known::Country);
            self.reference(&item, "to", &route.to, Known::Country);
            if let Some(commodity) = &route.commodity {
                self.reference(&item, "commodity", commodity, Known::Commodity);
            }
            self.number(&item, "usd_per_kg", route.usd_per_kg, Range::NonNegative);
        }
    }
}
