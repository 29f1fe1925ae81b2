//! Policies in the words a planner would use: "Vietnam bans exports of mined ore, to every
//! destination." Country, region and commodity codes become their names; the goods a policy
//! covers are named by what they physically are at that stage (ore, oxides, magnets).
//!
//! Egui-free, so the inspector, the comparison and the CLI say the same sentence.

use crate::model::{
    CapacityChangeKind, Destinations, Policy, PolicyKind, QuotaLimit, ReleaseRule, Scenario, Stage,
    TariffRate, TradeGoods,
};
use crate::units;

/// One sentence saying what `policy` does.
pub fn describe(scenario: &Scenario, policy: &Policy) -> String {
    let names = Names(scenario);
    match &policy.kind {
        PolicyKind::ExportBan {
            exporter,
            goods,
            destinations,
        } => format!(
            "{} bans exports of {}, {}.",
            names.country(exporter),
            names.goods(goods),
            names.partners_phrase(destinations, false)
        ),
        PolicyKind::ExportQuota {
            exporter,
            goods,
            destinations,
            limit,
        } => {
            let limit = match limit {
                QuotaLimit::Tonnes(t) => format!("at most {}/yr", units::tonnes_short(*t)),
                QuotaLimit::ShareOfOutput(share) => {
                    format!("at most {} of its output", whole_percent(*share))
                }
            };
            format!(
                "{} licenses exports of {} {}: {limit}.",
                names.country(exporter),
                names.goods(goods),
                names.partners_phrase(destinations, false)
            )
        }
        PolicyKind::ImportTariff {
            importer,
            goods,
            origins,
            rate,
        } => {
            let rate = match rate {
                TariffRate::UsdPerKg(usd) => units::usd_per_kg(*usd),
                TariffRate::AdValorem(share) => whole_percent(*share),
            };
            format!(
                "{} levies a {rate} tariff on imports of {} {}.",
                names.country(importer),
                names.goods(goods),
                names.partners_phrase(origins, true)
            )
        }
        PolicyKind::CapacityChange { node, change } => {
            let plant = scenario
                .node(node)
                .map_or(node.as_str(), |n| n.name.as_str());
            match change {
                CapacityChangeKind::SetTo(t) => {
                    format!(
                        "{plant} runs at a capacity of {}/yr.",
                        units::tonnes_short(*t)
                    )
                }
                CapacityChangeKind::Scale(factor) => {
                    format!("{plant}'s capacity {}.", rises_or_falls(*factor))
                }
                CapacityChangeKind::Add(t) if *t >= 0.0 => {
                    format!("{plant} adds {}/yr of capacity.", units::tonnes_short(*t))
                }
                CapacityChangeKind::Add(t) => {
                    format!("{plant} loses {}/yr of capacity.", units::tonnes_short(-t))
                }
            }
        }
        PolicyKind::DemandShock {
            region,
            commodity,
            factor,
        } => format!(
            "Demand for {} in {} {}.",
            names.commodity(commodity),
            names.region(region),
            rises_or_falls(*factor)
        ),
        PolicyKind::Stockpile {
            holder,
            commodity,
            initial_stock_t,
            release,
            also_for,
        } => {
            let release = match release {
                ReleaseRule::FixedRate { t_per_yr } => {
                    format!("releasing up to {}/yr", units::tonnes_short(*t_per_yr))
                }
                ReleaseRule::PriceTrigger {
                    price_usd_per_kg,
                    max_t_per_yr,
                } => format!(
                    "releasing up to {}/yr when its price passes {}",
                    units::tonnes_short(*max_t_per_yr),
                    units::usd_per_kg(*price_usd_per_kg)
                ),
            };
            let sharing = if also_for.is_empty() {
                String::new()
            } else {
                format!(
                    ", shared with {}",
                    names.list(also_for, |id| names.region(id))
                )
            };
            format!(
                "{} holds a stockpile of {} {}, {release}{sharing}.",
                names.region(holder),
                units::tonnes_short(*initial_stock_t),
                names.commodity(commodity)
            )
        }
        PolicyKind::ProductionQuota {
            country,
            stage,
            commodities,
            max_t_per_yr,
        } => {
            let what = if commodities.is_empty() {
                stage_output(*stage).to_owned()
            } else {
                format!(
                    "{} {}",
                    stage_output(*stage),
                    names.list(commodities, |id| names.commodity(id))
                )
            };
            format!(
                "{} caps its {what} at {}/yr.",
                names.country(country),
                units::tonnes_short(*max_t_per_yr)
            )
        }
    }
}

/// What a stage turns out, as a planner names it.
fn stage_goods(stage: Stage) -> &'static str {
    match stage {
        Stage::Mine => "mined ore",
        Stage::Refinery => "separated oxides",
        Stage::Magnet => "magnets",
    }
}

/// A stage's output, as in "caps its mine output".
fn stage_output(stage: Stage) -> &'static str {
    match stage {
        Stage::Mine => "mine output",
        Stage::Refinery => "separation output",
        Stage::Magnet => "magnet output",
    }
}

/// "rises 20 %", "falls 15 %", "is unchanged" for a multiplier.
fn rises_or_falls(factor: f64) -> String {
    if (factor - 1.0).abs() < 5e-4 {
        "is unchanged".to_owned()
    } else if factor > 1.0 {
        format!("rises {}", whole_percent(factor - 1.0))
    } else {
        format!("falls {}", whole_percent(1.0 - factor))
    }
}

/// A share as a percentage without needless decimals: "40 %", "2.5 %".
fn whole_percent(share: f64) -> String {
    let percent = share * 100.0;
    if (percent - percent.round()).abs() < 0.05 {
        format!("{percent:.0} %")
    } else {
        format!("{percent:.1} %")
    }
}

/// Names for codes, falling back to the code where the scenario has no name.
struct Names<'a>(&'a Scenario);

impl Names<'_> {
    fn country(&self, iso3: &str) -> String {
        self.0.country_name(iso3)
    }

    /// A region's name, or a country's where a policy names a country instead.
    fn region(&self, id: &str) -> String {
        match self.0.regions.iter().any(|r| r.id == id) {
            true => self.0.region_name(id),
            false => self.country(id),
        }
    }

    fn commodity(&self, id: &str) -> String {
        self.0.commodity_name(id)
    }

    /// "Japan", "Japan and Korea", "Japan, Korea and India".
    fn list(&self, codes: &[String], name: impl Fn(&str) -> String) -> String {
        let names: Vec<String> = codes.iter().map(|code| name(code)).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// The goods a trade measure covers: "mined ore", "Dy/Tb oxide and Yttrium oxide",
    /// "Dy/Tb oxide in separated oxides", or "all rare-earth goods".
    fn goods(&self, goods: &TradeGoods) -> String {
        let stages = self.list_of(goods.stages.iter().map(|s| stage_goods(*s).to_owned()));
        let commodities = self.list(&goods.commodities, |id| self.commodity(id));
        match (commodities.is_empty(), stages.is_empty()) {
            (true, true) => "all rare-earth goods (ore, oxides and magnets)".to_owned(),
            (true, false) => stages,
            (false, true) => commodities,
            (false, false) => format!("{commodities} as {stages}"),
        }
    }

    fn list_of(&self, items: impl Iterator<Item = String>) -> String {
        let items: Vec<String> = items.collect();
        self.list(&items, str::to_owned)
    }

    /// "to every destination", "to Japan and Korea", "to every destination but Japan";
    /// `from` gives the same for origins ("from every origin but China").
    fn partners_phrase(&self, partners: &Destinations, from: bool) -> String {
        let (towards, every) = if from {
            ("from", "every origin")
        } else {
            ("to", "every destination")
        };
        match partners {
            Destinations::All => format!("{towards} {every}"),
            Destinations::Only(codes) => {
                format!("{towards} {}", self.list(codes, |c| self.country(c)))
            }
            Destinations::AllExcept(codes) => format!(
                "{towards} {every} but {}",
                self.list(codes, |c| self.country(c))
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline() -> Scenario {
        crate::baseline().expect("baseline loads")
    }

    fn policy(kind: PolicyKind) -> Policy {
        let mut policy = baseline().policies[0].clone();
        policy.kind = kind;
        policy
    }

    #[test]
    fn an_ore_ban_reads_as_a_planner_says_it() {
        let ban = policy(PolicyKind::ExportBan {
            exporter: "VNM".to_owned(),
            goods: TradeGoods {
                commodities: vec![],
                stages: vec![Stage::Mine],
            },
            destinations: Destinations::All,
        });
        assert_eq!(
            describe(&baseline(), &ban),
            "Vietnam bans exports of mined ore, to every destination."
        );
    }

    #[test]
    fn a_licence_names_its_goods_partners_and_limit() {
        let licence = policy(PolicyKind::ExportQuota {
            exporter: "CHN".to_owned(),
            goods: TradeGoods {
                commodities: vec!["DYTB".to_owned(), "Y".to_owned()],
                stages: vec![Stage::Refinery],
            },
            destinations: Destinations::AllExcept(vec!["KOR".to_owned()]),
            limit: QuotaLimit::ShareOfOutput(0.4),
        });
        let text = describe(&baseline(), &licence);
        assert!(text.starts_with("China licenses exports of Dy/Tb oxide and Yttrium oxide as separated oxides to every destination but "), "{text}");
        assert!(text.ends_with(": at most 40 % of its output."), "{text}");
        assert!(!text.contains("KOR"), "codes become names: {text}");
    }

    #[test]
    fn tariffs_shocks_and_capacity_changes_say_which_way() {
        let scenario = baseline();
        let tariff = policy(PolicyKind::ImportTariff {
            importer: "USA".to_owned(),
            goods: TradeGoods {
                commodities: vec![],
                stages: vec![Stage::Magnet],
            },
            origins: Destinations::Only(vec!["CHN".to_owned()]),
            rate: TariffRate::AdValorem(0.25),
        });
        assert_eq!(
            describe(&scenario, &tariff),
            "United States of America levies a 25 % tariff on imports of magnets from China."
        );
        let shock = policy(PolicyKind::DemandShock {
            region: "JPN".to_owned(),
            commodity: "NDFEB".to_owned(),
            factor: 0.85,
        });
        assert_eq!(
            describe(&scenario, &shock),
            "Demand for NdFeB magnets in Japan falls 15 %."
        );
        let lynas = &scenario
            .nodes
            .iter()
            .find(|n| n.id.contains("lynas_malaysia"))
            .expect("Lynas");
        let cut = policy(PolicyKind::CapacityChange {
            node: lynas.id.clone(),
            change: CapacityChangeKind::Add(-2_000.0),
        });
        let text = describe(&scenario, &cut);
        assert!(
            text.starts_with(&lynas.name) && text.ends_with("loses 2.00 kt/yr of capacity."),
            "{text}"
        );
    }
}
