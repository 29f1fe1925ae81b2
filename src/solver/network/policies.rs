//! Every policy's effect on the year's problem, in one place: export bans remove arcs,
//! import tariffs add to their cost, export and production quotas cap sums of variables,
//! demand shocks scale a market's reference quantity, stockpiles release into markets.
//! (Capacity changes act on capacities, in `model::capacity`.)
//!
//! Adding a policy kind means adding its effect here and its checks in `model::validate`.

use super::trade::{Carried, Place};
use super::{ReleaseEntry, YearProblem, ZERO_KT};
use crate::model::{
    Destinations, PolicyKind, Process, QuotaLimit, ReleaseRule, Stage, TariffRate, TradeGoods,
};
use crate::solver::qp::{Sense, Var};
use crate::solver::solution::T_PER_KT;
use crate::solver::state::YearState;

impl YearProblem<'_> {
    /// Whether a partner code (country or region) names `to`.
    fn names_place(&self, code: &str, to: Place<'_>) -> bool {
        match to {
            Place::Country(country) => code == country || code == self.region_of(country),
            Place::Region(region) => code == region,
        }
    }

    fn partners_include(&self, partners: &Destinations, to: Place<'_>) -> bool {
        match partners {
            Destinations::All => true,
            Destinations::Only(codes) => codes.iter().any(|code| self.names_place(code, to)),
            Destinations::AllExcept(codes) => !codes.iter().any(|code| self.names_place(code, to)),
        }
    }

    /// Whether a switched-on export ban stops this arc.
    pub(super) fn is_banned(
        &self,
        exporter: &str,
        to: Place<'_>,
        stage: Stage,
        carried: Carried<'_>,
    ) -> bool {
        if self.is_domestic(exporter, to) {
            return false;
        }
        self.active_policies().any(|policy| {
            matches!(&policy.kind, PolicyKind::ExportBan { exporter: banned, goods, destinations }
                    if banned == exporter
                        && goods_cover(goods, stage, carried)
                        && self.partners_include(destinations, to))
        })
    }

    /// The value of a tonne of what an arc carries at reference prices, US$/kg.
    fn carried_value(&self, carried: Carried<'_>) -> f64 {
        match carried {
            Carried::One(commodity) => self.reference_prices.get(commodity).copied().unwrap_or(0.0),
            Carried::Concentrate(node) => {
                crate::solver::curves::ore_value(node, &self.reference_prices)
            }
        }
    }

    /// Tariffs on an arc, US$/kg.
    pub(super) fn tariff(
        &self,
        exporter: &str,
        to: Place<'_>,
        stage: Stage,
        carried: Carried<'_>,
    ) -> f64 {
        if self.is_domestic(exporter, to) {
            return 0.0;
        }
        self.active_policies()
            .map(|policy| match &policy.kind {
                PolicyKind::ImportTariff {
                    importer,
                    goods,
                    origins,
                    rate,
                } if self.names_place(importer, to)
                    && goods_cover(goods, stage, carried)
                    && self.partners_include(origins, Place::Country(exporter)) =>
                {
                    match *rate {
                        TariffRate::UsdPerKg(usd) => usd,
                        TariffRate::AdValorem(share) => share * self.carried_value(carried),
                    }
                }
                _ => 0.0,
            })
            .sum()
    }

    /// The product of every switched-on demand shock on a market.
    pub(super) fn demand_shock_factor(&self, region: &str, commodity: &str) -> f64 {
        let mut factor_total = 1.0;
        for policy in self.active_policies() {
            if let PolicyKind::DemandShock {
                region: shocked,
                commodity: shocked_commodity,
                factor,
            } = &policy.kind
                && shocked == region
                && shocked_commodity == commodity
            {
                factor_total *= factor;
            }
        }
        factor_total
    }

    /// Export quotas and production quotas.
    pub(super) fn add_quotas(&mut self) {
        for policy in self.active_policies() {
            match &policy.kind {
                PolicyKind::ExportQuota {
                    exporter,
                    goods,
                    destinations,
                    limit,
                } => {
                    let mut terms = self.export_terms(exporter, goods, destinations);
                    let rhs = match *limit {
                        QuotaLimit::Tonnes(t) => t / T_PER_KT,
                        QuotaLimit::ShareOfOutput(share) => {
                            for (var, content) in self.country_output_terms(exporter, goods) {
                                terms.push((var, -share * content));
                            }
                            0.0
                        }
                    };
                    if !terms.is_empty() {
                        self.qp.add_row(
                            || format!("export_quota[{}]", policy.id),
                            Sense::AtMost,
                            terms,
                            rhs,
                        );
                    }
                }
                PolicyKind::ProductionQuota {
                    country,
                    stage,
                    commodities,
                    max_t_per_yr,
                } => {
                    let goods = TradeGoods {
                        commodities: commodities.clone(),
                        stages: vec![*stage],
                    };
                    let terms = self.country_output_terms(country, &goods);
                    if !terms.is_empty() {
                        self.qp.add_row(
                            || format!("production_quota[{}]", policy.id),
                            Sense::AtMost,
                            terms,
                            max_t_per_yr / T_PER_KT,
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// The arcs an export quota counts, as (variable, tonnes counted per tonne carried).
    fn export_terms(
        &self,
        exporter: &str,
        goods: &TradeGoods,
        destinations: &Destinations,
    ) -> Vec<(Var, f64)> {
        let scenario = self.scenario;
        let mut terms = Vec::new();
        for shipment in &self.shipments {
            let mine_node = &scenario.nodes[self.mines[shipment.mine].node];
            let refinery_node = &scenario.nodes[self.refineries[shipment.refinery].node];
            let to = Place::Country(&refinery_node.country);
            let carried = Carried::Concentrate(mine_node);
            if mine_node.country == exporter
                && !self.is_domestic(exporter, to)
                && goods_cover(goods, Stage::Mine, carried)
                && self.partners_include(destinations, to)
            {
                terms.push((shipment.var, covered_content(goods, carried)));
            }
        }
        for arc in &self.arcs {
            let to = Place::Region(&arc.to);
            if arc.from == exporter
                && !self.is_domestic(exporter, to)
                && goods_cover(goods, arc.stage, Carried::One(&arc.commodity))
                && self.partners_include(destinations, to)
            {
                terms.push((arc.var, 1.0));
            }
        }
        terms
    }

    /// A country's output of the goods, as (variable, tonnes counted per unit) terms.
    pub(super) fn country_output_terms(
        &self,
        country: &str,
        goods: &TradeGoods,
    ) -> Vec<(Var, f64)> {
        let scenario = self.scenario;
        let mut terms = Vec::new();
        let stage_counts = |stage| goods.stages.is_empty() || goods.stages.contains(&stage);
        let commodity_counts =
            |c: &String| goods.commodities.is_empty() || goods.commodities.contains(c);
        if stage_counts(Stage::Mine) {
            for mine in &self.mines {
                let node = &scenario.nodes[mine.node];
                if node.country == country {
                    let content = covered_content(goods, Carried::Concentrate(node));
                    terms.push((mine.output, content));
                }
            }
        }
        if stage_counts(Stage::Refinery) {
            for refinery in &self.refineries {
                if scenario.nodes[refinery.node].country != country {
                    continue;
                }
                for circuit in &refinery.circuits {
                    if commodity_counts(&circuit.commodity) {
                        terms.push((circuit.output, 1.0));
                    }
                }
            }
        }
        if stage_counts(Stage::Magnet) {
            for plant in &self.plants {
                if scenario.nodes[plant.node].country == country && commodity_counts(&plant.product)
                {
                    terms.push((plant.output, 1.0));
                }
            }
        }
        terms
    }

    /// Stockpiles: each releases up to its rate (and what is left) into its holder's market
    /// and those it also serves; a fixed-rate stockpile releases all it may, a
    /// price-triggered one only when the price exceeds its trigger (the release costs the
    /// trigger price).
    pub(super) fn add_stock_releases(&mut self, state: &YearState) {
        for policy in self.active_policies() {
            let PolicyKind::Stockpile {
                holder,
                commodity,
                release,
                also_for,
                ..
            } = &policy.kind
            else {
                continue;
            };
            let stock_kt = state.stocks_t.get(&policy.id).copied().unwrap_or(0.0) / T_PER_KT;
            let (rate_kt, cost, fixed) = match *release {
                ReleaseRule::FixedRate { t_per_yr } => (t_per_yr / T_PER_KT, 0.0, true),
                ReleaseRule::PriceTrigger {
                    price_usd_per_kg,
                    max_t_per_yr,
                } => (max_t_per_yr / T_PER_KT, price_usd_per_kg, false),
            };
            let available_kt = stock_kt.min(rate_kt);
            if available_kt <= ZERO_KT {
                continue;
            }
            let mut terms = Vec::new();
            for region in std::iter::once(holder).chain(also_for) {
                let Some(market) = self.market_index(region, commodity) else {
                    continue;
                };
                let var = self.qp.add_var(
                    || format!("release[{},{region}]", policy.id),
                    0.0,
                    available_kt,
                    cost,
                    0.0,
                );
                self.qp
                    .extend_row(self.markets[market].balance, vec![(var, -1.0)]);
                terms.push((var, 1.0));
                self.releases.push(ReleaseEntry {
                    policy: policy.id.clone(),
                    market,
                    var,
                });
            }
            if !terms.is_empty() {
                let sense = if fixed { Sense::Equal } else { Sense::AtMost };
                self.qp.add_row(
                    || format!("stock[{}]", policy.id),
                    sense,
                    terms,
                    available_kt,
                );
            }
        }
    }
}

fn goods_cover(goods: &TradeGoods, stage: Stage, carried: Carried<'_>) -> bool {
    if !goods.stages.is_empty() && !goods.stages.contains(&stage) {
        return false;
    }
    if goods.commodities.is_empty() {
        return true;
    }
    match carried {
        Carried::One(commodity) => goods.commodities.iter().any(|c| c == commodity),
        Carried::Concentrate(node) => match &node.process {
            Process::Mine { composition, .. } => composition
                .iter()
                .any(|share| share.share > 0.0 && goods.commodities.contains(&share.commodity)),
            _ => false,
        },
    }
}

/// The tonnage a quota counts on an arc per tonne carried: the covered oxides' share of
/// concentrate, or 1.
fn covered_content(goods: &TradeGoods, carried: Carried<'_>) -> f64 {
    match carried {
        Carried::Concentrate(node) if !goods.commodities.is_empty() => match &node.process {
            Process::Mine { composition, .. } => composition
                .iter()
                .filter(|share| goods.commodities.contains(&share.commodity))
                .map(|share| share.share)
                .sum(),
            _ => 0.0,
        },
        _ => 1.0,
    }
}
