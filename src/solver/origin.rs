//! Origin tracing: where consumption came from, by mining country.
//!
//! After a solve, flows are followed from mines through refineries and magnet plants to
//! regions (an acyclic network), mixing proportionally at every node: a refinery's oxide
//! carries its feed's origins weighted by each feed's content of that oxide; a country's
//! exports carry the mix of its refineries; a magnet carries the mix of its oxides
//! weighted by the recipe. Sources are mining countries (`"CHN"`), secondary supply
//! (`"CHN:secondary"`) and stock releases (`"stockpile:JPN"`).

use std::collections::BTreeMap;

use super::OriginShare;

/// Tonnes (or weights) by source.
pub type Mix = BTreeMap<String, f64>;

/// A mix with one source.
pub fn single(source: &str, weight: f64) -> Mix {
    Mix::from([(source.to_owned(), weight)])
}

/// `target += weight × source`.
pub fn add_scaled(target: &mut Mix, source: &Mix, weight: f64) {
    if weight <= 0.0 {
        return;
    }
    for (key, value) in source {
        *target.entry(key.clone()).or_default() += weight * value;
    }
}

/// The mix scaled to sum to 1 (empty stays empty).
pub fn normalised(mix: &Mix) -> Mix {
    let total: f64 = mix.values().sum();
    if total <= 0.0 {
        return Mix::new();
    }
    mix.iter().map(|(k, v)| (k.clone(), v / total)).collect()
}

/// Shares, largest first, leaving out shares below 0.01 %.
pub fn shares(mix: Mix) -> Vec<OriginShare> {
    let mut list: Vec<OriginShare> = normalised(&mix)
        .into_iter()
        .filter(|(_, share)| *share >= 1e-4)
        .map(|(source, share)| OriginShare { source, share })
        .collect();
    list.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.source.cmp(&b.source)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixing_is_proportional() {
        let mut hub = Mix::new();
        add_scaled(&mut hub, &single("CHN", 1.0), 3.0);
        add_scaled(
            &mut hub,
            &normalised(&Mix::from([
                ("AUS".to_owned(), 2.0),
                ("USA".to_owned(), 2.0),
            ])),
            1.0,
        );
        let list = shares(hub);
        assert_eq!(
            list[0],
            OriginShare {
                source: "CHN".to_owned(),
                share: 0.75
            }
        );
        assert_eq!(list[1].share, 0.125);
        assert_eq!(list.len(), 3);
    }
}
