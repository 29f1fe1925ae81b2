//! Validation of expansion options and contracts.

use super::{Checker, Known, Range};
use crate::model::{Party, Process, Stage, Volume};

impl Checker<'_> {
    pub(super) fn expansion_options(&mut self) {
        let scenario = self.scenario;
        for option in &scenario.expansion {
            let item = format!("expansion option \"{}\"", option.id);
            self.name(&item, "id", &option.id);
            self.name(&item, "label", &option.label);
            self.reference(&item, "country", &option.country, Known::Country);
            self.reference(&item, "host", &option.host, Known::Node);
            if let Some(host) = scenario.node(&option.host) {
                if host.process.stage() != option.stage {
                    self.report(&item, "host", "the host node is of another stage");
                }
                // An unknown host country is reported on the node; say nothing twice.
                if host.country != option.country && self.countries.contains(host.country.as_str())
                {
                    self.report(&item, "host", "the host node is in another country");
                }
            }
            match (&option.commodity, option.stage) {
                (Some(commodity), Stage::Refinery) => {
                    self.reference(&item, "commodity", commodity, Known::Oxide);
                    let separates = scenario.node(&option.host).is_some_and(|host| {
                        matches!(&host.process, Process::Refinery { circuits, .. }
                            if circuits.iter().any(|c| c.commodity == *commodity))
                    });
                    if !separates {
                        self.report(
                            &item,
                            "commodity",
                            "the host refinery has no circuit for this commodity",
                        );
                    }
                }
                (None, Stage::Refinery) => self.report(
                    &item,
                    "commodity",
                    "a separation option names the circuit it expands",
                ),
                (Some(_), _) => self.report(
                    &item,
                    "commodity",
                    "only separation options name a commodity",
                ),
                (None, _) => {}
            }
            self.number(
                &item,
                "capital_cost_usd_per_t_per_yr",
                option.capital_cost_usd_per_t_per_yr,
                Range::NonNegative,
            );
            self.number(
                &item,
                "capital_recovery_factor",
                option.capital_recovery_factor,
                Range::Fraction,
            );
            self.number(
                &item,
                "max_build_t_per_yr",
                option.max_build_t_per_yr,
                Range::Tonnes,
            );
            if option.lead_years > 30 {
                self.report(&item, "lead_years", "must be at most 30 years");
            }
        }
        self.duplicates(
            "expansion option",
            scenario.expansion.iter().map(|o| o.id.as_str()),
        );
    }

    pub(super) fn contracts(&mut self) {
        let scenario = self.scenario;
        for contract in &scenario.contracts {
            let item = format!("contract \"{}\"", contract.id);
            self.name(&item, "id", &contract.id);
            self.name(&item, "label", &contract.label);
            self.party(&item, "seller", &contract.seller);
            self.party(&item, "buyer", &contract.buyer);
            let route_fits = match (contract.stage, &contract.seller, &contract.buyer) {
                (Stage::Mine, Party::Node(_), Party::Node(_)) => contract.commodity.is_none(),
                (Stage::Refinery | Stage::Magnet, Party::Country(_), Party::Region(_)) => {
                    contract.commodity.is_some()
                }
                _ => false,
            };
            if !route_fits {
                self.report(
                    &item,
                    "stage",
                    "a contract is for concentrate from a mine node to a refinery node (no \
                     commodity), or for an oxide or product from a country to a region",
                );
            }
            if let Some(commodity) = &contract.commodity {
                self.reference(&item, "commodity", commodity, Known::Commodity);
            }
            match contract.volume {
                Volume::Tonnes(t) => self.number(&item, "volume", t, Range::Tonnes),
                Volume::ShareOfOutput(share) => {
                    self.number(&item, "volume", share, Range::Fraction)
                }
            }
            self.number(
                &item,
                "breach_cost_usd_per_kg",
                contract.breach_cost_usd_per_kg,
                Range::NonNegative,
            );
            if let Some(end) = contract.end_year
                && end < contract.start_year
            {
                self.report(&item, "end_year", "ends before it starts");
            }
        }
        self.duplicates("contract", scenario.contracts.iter().map(|c| c.id.as_str()));
    }

    fn party(&mut self, item: &str, field: &str, party: &Party) {
        match party {
            Party::Node(id) => self.reference(item, field, id, Known::Node),
            Party::Country(iso3) => self.reference(item, field, iso3, Known::Country),
            Party::Region(id) => self.reference(item, field, id, Known::Region),
        }
    }
}
