//! Bytes → a small scenario that passes validation, for the `solve` target.
//!
//! The decoder reads the bytes as a stream of choices ([`arbitrary::Unstructured`]): how
//! many regions, countries and nodes, which oxides a mine holds, each number, each policy.
//! Running out of bytes is fine (every later choice takes its first option), so every input
//! makes a scenario, and the first options make an ordinary one-year network with one of
//! everything: the fuzzer mutates from there towards the corners.
//!
//! The corners are the point: every number may be zero, subnormal, tiny, huge (prices and
//! costs up to `f64::MAX`, tonnages up to the [`MAX_TONNES`] validation allows) or at either
//! end of its range; years may sit at either end
//! of `i32`; regions may be empty; every policy kind, contracts and expansion options may
//! be present at once. Whatever passes validation, the solver must answer honestly.

mod nodes;
mod terms;

use arbitrary::Unstructured;
use rareflow::model::{
    Commodity, CommodityKind, Country, MAX_TONNES, Metadata, Region, Scenario, Stage, TradeCosts,
};

/// The oxides a generated scenario may have (the first `n` of them).
const OXIDES: [&str; 3] = ["NDPR", "DYTB", "LACE"];
/// The one product, made by magnet plants.
const PRODUCT: &str = "NDFEB";
/// Country codes: the first `n` are listed countries.
const COUNTRIES: [&str; 4] = ["AAA", "BBB", "CCC", "DDD"];
/// Codes of unlisted countries that regions may name as members.
const UNLISTED_MEMBERS: [&str; 2] = ["ZZA", "ZZB"];
/// The first years a horizon may start at: ordinary, and both ends of `i32`.
const FIRST_YEARS: [i32; 4] = [2024, i32::MIN, i32::MAX - 3, 0];

/// A scenario decoded from `bytes` (see the module docs).
pub fn scenario_from_bytes(bytes: &[u8]) -> Scenario {
    let mut choices = Choices {
        bytes: Unstructured::new(bytes),
    };
    let first_year = *choices.pick(&FIRST_YEARS);
    let horizon_years = choices.int(1, 4);
    let last_year = first_year + (horizon_years - 1);
    let mut generator = Generator {
        choices,
        first_year,
        last_year,
        oxides: Vec::new(),
        countries: Vec::new(),
        regions: Vec::new(),
    };
    generator.scenario()
}

/// The decoder's reads, each infallible: with no bytes left, a read gives its first option.
struct Choices<'a> {
    bytes: Unstructured<'a>,
}

impl Choices<'_> {
    /// An integer in `low..=high`.
    fn int(&mut self, low: i32, high: i32) -> i32 {
        self.bytes.int_in_range(low..=high).unwrap_or(low)
    }

    /// An index into a slice of `len` items (`len` > 0).
    fn index(&mut self, len: usize) -> usize {
        self.bytes.choose_index(len).unwrap_or(0)
    }

    /// One of `items` (not empty).
    fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[self.index(items.len())]
    }

    /// True or false; false when the bytes run out.
    fn flag(&mut self) -> bool {
        self.bytes.arbitrary().unwrap_or(false)
    }

    /// How many of something, up to `max`: one when the bytes run out, so the first
    /// options make one of everything.
    fn count(&mut self, max: i32) -> usize {
        usize::try_from((self.int(0, max) + 1) % (max + 1)).unwrap_or(0)
    }

    /// The items of `items` that the bytes keep, in order (maybe none).
    fn subset<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        items.iter().filter(|_| self.flag()).cloned().collect()
    }

    /// Like [`Choices::subset`], but never empty: the first item when none is kept.
    fn some_of<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        let kept = self.subset(items);
        if kept.is_empty() {
            items[..1].to_vec()
        } else {
            kept
        }
    }

    /// A tonnage, price or cost around `typical`: usually within a factor 100 of it,
    /// sometimes zero, subnormal, tiny or huge (up to `f64::MAX`). Never negative.
    fn amount(&mut self, typical: f64) -> f64 {
        match self.int(0, 15) {
            0..=9 => typical * 10f64.powi(self.int(-2, 2)) * f64::from(self.int(1, 9)),
            10 => 0.0,
            11 => f64::from_bits(1), // the smallest positive f64 (subnormal)
            12 => typical * 1e-9,
            13 => typical * 1e9,
            14 => 1e300,
            _ => f64::MAX,
        }
    }

    /// A tonnage around `typical`: like [`Choices::amount`], but at most the
    /// [`MAX_TONNES`] validation allows.
    fn tonnes(&mut self, typical: f64) -> f64 {
        self.amount(typical).min(MAX_TONNES)
    }

    /// Like [`Choices::amount`], but above zero.
    fn positive_amount(&mut self, typical: f64) -> f64 {
        let amount = self.amount(typical);
        if amount > 0.0 { amount } else { typical }
    }

    /// A number in [0, 1]: its ends, the smallest positive f64, or thousandths.
    fn fraction(&mut self) -> f64 {
        match self.int(0, 7) {
            0..=4 => f64::from(self.int(1, 1000)) / 1000.0,
            5 => 0.0,
            6 => 1.0,
            _ => f64::from_bits(1),
        }
    }

    /// A number in (0, 1].
    fn positive_fraction(&mut self) -> f64 {
        let fraction = self.fraction();
        if fraction > 0.0 { fraction } else { 1.0 }
    }
}

/// The decoder with what it has made so far, for references.
struct Generator<'a> {
    choices: Choices<'a>,
    first_year: i32,
    last_year: i32,
    oxides: Vec<String>,
    countries: Vec<String>,
    regions: Vec<String>,
}

impl Generator<'_> {
    fn scenario(&mut self) -> Scenario {
        let base_year = self.year_in_horizon();
        let oxide_count = self.choices.int(1, 3);
        self.oxides = OXIDES[..oxide_count as usize]
            .iter()
            .map(|&id| id.to_owned())
            .collect();
        let commodities = self
            .oxides
            .iter()
            .map(|id| commodity(id, CommodityKind::Oxide))
            .chain([commodity(PRODUCT, CommodityKind::Product)])
            .collect();
        let regions = self.regions();
        let countries = self.countries();
        let mut scenario = Scenario {
            meta: Metadata {
                name: "fuzz".to_owned(),
                description: String::new(),
                base_year,
                first_year: self.first_year,
                last_year: self.last_year,
                reference_note: String::new(),
            },
            commodities,
            regions,
            countries,
            nodes: Vec::new(),
            demand: Vec::new(),
            trade: TradeCosts {
                border_usd_per_kg: 0.0,
                per_1000km_usd_per_kg: 0.0,
                domestic_usd_per_kg: 0.0,
                overrides: Vec::new(),
                source: "fuzz".to_owned(),
            },
            policies: Vec::new(),
            expansion: Vec::new(),
            contracts: Vec::new(),
            uncertainty: Vec::new(),
            correlations: Vec::new(),
            sources: Vec::new(),
        };
        scenario.nodes = self.nodes(base_year);
        scenario.demand = self.demand();
        scenario.trade = self.trade();
        scenario.policies = self.policies(&scenario);
        scenario.expansion = self.expansion_options(&scenario);
        scenario.contracts = self.contracts(&scenario);
        scenario
    }

    /// One to three regions; those no country names stay empty. Unlisted countries may be
    /// members of one region each, and one region may be the rest of the world.
    fn regions(&mut self) -> Vec<Region> {
        let count = self.choices.int(1, 3);
        self.regions = (0..count).map(|index| format!("R{index}")).collect();
        let mut regions: Vec<Region> = self
            .regions
            .clone()
            .into_iter()
            .map(|id| {
                let (lat, lon) = self.lat_lon();
                Region {
                    name: format!("Region {id}"),
                    id,
                    lat,
                    lon,
                    notes: String::new(),
                    members: Vec::new(),
                    rest_of_world: false,
                }
            })
            .collect();
        for member in UNLISTED_MEMBERS {
            if self.choices.flag() {
                let index = self.choices.index(regions.len());
                regions[index].members.push(member.to_owned());
            }
        }
        if self.choices.flag() {
            let index = self.choices.index(regions.len());
            regions[index].rest_of_world = true;
        }
        regions
    }

    fn countries(&mut self) -> Vec<Country> {
        let count = self.choices.int(1, 4);
        self.countries = COUNTRIES[..count as usize]
            .iter()
            .map(|&iso3| iso3.to_owned())
            .collect();
        self.countries
            .clone()
            .into_iter()
            .map(|iso3| {
                let region = self.choices.pick(&self.regions).clone();
                let (lat, lon) = self.lat_lon();
                Country {
                    name: format!("Country {iso3}"),
                    iso3,
                    region,
                    lat,
                    lon,
                }
            })
            .collect()
    }

    /// A point on the map, sometimes at the poles or the date line.
    fn lat_lon(&mut self) -> (f64, f64) {
        let lat = *self.choices.pick(&[10.0, -90.0, 90.0, 45.5]);
        let lon = *self.choices.pick(&[20.0, -180.0, 180.0, 100.25]);
        (lat, lon)
    }

    /// A year of the horizon.
    fn year_in_horizon(&mut self) -> i32 {
        self.first_year + self.choices.int(0, self.last_year - self.first_year)
    }

    /// A year of the horizon, or from this one to its end.
    fn year_from(&mut self, from: i32) -> i32 {
        from + self.choices.int(0, self.last_year - from)
    }

    /// Oxides or the product, any of them.
    fn any_commodity(&mut self) -> String {
        let index = self.choices.index(self.oxides.len() + 1);
        self.oxides
            .get(index)
            .cloned()
            .unwrap_or_else(|| PRODUCT.to_owned())
    }

    fn stage(&mut self) -> Stage {
        *self.choices.pick(&Stage::ALL)
    }
}

fn commodity(id: &str, kind: CommodityKind) -> Commodity {
    Commodity {
        id: id.to_owned(),
        name: format!("Commodity {id}"),
        kind,
        unit: "t".to_owned(),
        notes: String::new(),
    }
}
