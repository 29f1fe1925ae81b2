//! Validation of the places: regions with their members, and countries.

use std::collections::BTreeMap;

use super::{Checker, Known, Range};

/// Whether `code` has the shape of an ISO 3166-1 alpha-3 code: three capital letters.
fn is_iso3(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|byte| byte.is_ascii_uppercase())
}

impl Checker<'_> {
    pub(super) fn regions_and_countries(&mut self) {
        for region in &self.scenario.regions {
            let item = format!("region \"{}\"", region.id);
            self.name(&item, "id", &region.id);
            self.name(&item, "name", &region.name);
            self.number(&item, "lat", region.lat, Range::Between(-90.0, 90.0));
            self.number(&item, "lon", region.lon, Range::Between(-180.0, 180.0));
        }
        self.duplicates(
            "region",
            self.scenario.regions.iter().map(|r| r.id.as_str()),
        );
        self.region_members();
        for country in &self.scenario.countries {
            let item = format!("country \"{}\"", country.iso3);
            self.name(&item, "iso3", &country.iso3);
            self.name(&item, "name", &country.name);
            self.reference(&item, "region", &country.region, Known::Region);
            self.number(&item, "lat", country.lat, Range::Between(-90.0, 90.0));
            self.number(&item, "lon", country.lon, Range::Between(-180.0, 180.0));
        }
        self.duplicates(
            "country",
            self.scenario.countries.iter().map(|c| c.iso3.as_str()),
        );
    }

    /// Members are ISO3 codes, each in one region at most, agreeing with the country list;
    /// at most one region is the catch-all.
    fn region_members(&mut self) {
        let mut region_of_member: BTreeMap<&str, &str> = BTreeMap::new();
        for region in &self.scenario.regions {
            let item = format!("region \"{}\"", region.id);
            for member in &region.members {
                if !is_iso3(member) {
                    self.report(
                        &item,
                        "members",
                        format!(
                            "\"{member}\" is not an ISO 3166-1 alpha-3 country code (three \
                             capital letters, e.g. \"DEU\")"
                        ),
                    );
                }
                if let Some(first) = region_of_member.insert(member, &region.id) {
                    let message = if first == region.id {
                        format!("\"{member}\" is listed twice")
                    } else {
                        format!("\"{member}\" is also a member of region \"{first}\"")
                    };
                    self.report(&item, "members", message);
                }
                if let Some(country) = self.scenario.country(member)
                    && country.region != region.id
                {
                    self.report(
                        &item,
                        "members",
                        format!(
                            "\"{member}\" is listed as a country of region \"{}\"",
                            country.region
                        ),
                    );
                }
            }
        }
        let catch_alls: Vec<&str> = self
            .scenario
            .regions
            .iter()
            .filter(|region| region.rest_of_world)
            .map(|region| region.id.as_str())
            .collect();
        if let [_, second, ..] = catch_alls.as_slice() {
            self.report(
                &format!("region \"{second}\""),
                "rest_of_world",
                format!(
                    "only one region may be the rest of the world; {} are",
                    catch_alls.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Scenario, validate};

    fn baseline() -> Scenario {
        crate::baseline().expect("the built-in baseline loads")
    }

    fn messages(scenario: &Scenario) -> Vec<String> {
        validate(scenario).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn countries_resolve_to_listed_region_then_members_then_rest_of_world() {
        let scenario = baseline();
        assert_eq!(scenario.region_of_country("DEU"), Some("EUR"), "listed");
        assert_eq!(scenario.region_of_country("DNK"), Some("EUR"), "member");
        assert_eq!(scenario.region_of_country("MMR"), Some("SEA"), "listed");
        assert_eq!(scenario.region_of_country("ISL"), Some("ROW"), "neither");
        let mut without_catch_all = scenario.clone();
        for region in &mut without_catch_all.regions {
            region.rest_of_world = false;
        }
        assert_eq!(without_catch_all.region_of_country("ISL"), None);
        assert_eq!(without_catch_all.region_of_country("DNK"), Some("EUR"));
    }

    #[test]
    fn members_must_be_iso3_codes_in_one_region() {
        let mut scenario = baseline();
        assert_eq!(messages(&scenario), Vec::<String>::new());
        let eur = scenario
            .regions
            .iter_mut()
            .find(|region| region.id == "EUR")
            .expect("EUR");
        eur.members.push("Denmark".to_owned());
        eur.members.push("JPN".to_owned());
        eur.members.push("PRT".to_owned());
        let problems = messages(&scenario);
        assert_eq!(
            problems,
            [
                "region \"EUR\", members: \"Denmark\" is not an ISO 3166-1 alpha-3 country code \
                 (three capital letters, e.g. \"DEU\")",
                "region \"EUR\", members: \"JPN\" is also a member of region \"JPN\"",
                "region \"EUR\", members: \"JPN\" is listed as a country of region \"JPN\"",
                "region \"EUR\", members: \"PRT\" is listed twice",
            ]
        );
    }

    #[test]
    fn one_region_at_most_is_the_rest_of_the_world() {
        let mut scenario = baseline();
        for region in &mut scenario.regions {
            region.rest_of_world = region.id == "ROW" || region.id == "IND";
        }
        assert_eq!(
            messages(&scenario),
            [
                "region \"ROW\", rest_of_world: only one region may be the rest of the world; \
              IND, ROW are"
            ]
        );
    }
}
