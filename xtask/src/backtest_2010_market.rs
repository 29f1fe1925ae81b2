//! The market side of the 2010 world: 2009 reference prices by the baseline's rules, and
//! the 2010 facts about demand made into a table in the baseline's `demand.csv` form, so
//! that the baseline's own [`crate::market::demand`] turns it into demand curves.
//!
//! # Demand (all ESTIMATE: no 2010 table by region and commodity exists)
//!
//! 1. **Magnets used** (t NdFeB) in a region: what its plants made in 2010, plus what China
//!    exported to it (CCR: 13,886 t, by destination; the exports to unnamed destinations
//!    are shared in proportion to the named ones); China uses what it made less what it
//!    exported.
//! 2. **Rare earths used** (t REO, magnet making included) by China, Japan, the US and
//!    Europe as `demand.csv` gives them; the other regions share the rest of the world
//!    total in proportion to their 2024 demand in the baseline.
//! 3. **Oxides for other uses** in a region: its rare-earth use less what its magnet plants
//!    bought (their 2010 output times the recipe), split by group as the world's 2010
//!    separated output not used in magnets.

use std::collections::BTreeMap;

use rareflow::model::{Country, Node, Process, Region};

use crate::backtest_2010::{BASE_YEAR, Citations};
use crate::market::{ReferencePrice, ReferencePrices};
use crate::table::{DeriveError, Record, Row, Table, data_error};
use crate::{Inputs, MAGNETS, OXIDES};

const DEMAND_FILE: &str = "backtest/2010/demand.csv";
const PRICES_FILE: &str = "backtest/2010/prices.csv";

/// The column of the baseline's `demand.csv` that its rules read the base year's
/// quantities from: the 2010 quantities are passed under that name.
const BASELINE_QUANTITY_COLUMN: &str = "demand_2024_t_reo";

/// The 2009 average of a price series, with its citation and notes.
fn average_2009(
    table: &Table,
    series: &str,
    citations: &Citations,
) -> Result<(f64, String, String), DeriveError> {
    let row = table
        .rows
        .iter()
        .find(|row| row.text("commodity") == series && row.text("date") == "2009 avg")
        .ok_or_else(|| data_error(PRICES_FILE, format!("no 2009 average for {series}")))?;
    let mut notes = row.text("notes").to_owned();
    if row.text("estimate") == "yes" {
        notes = format!("ESTIMATE: {notes}");
    }
    Ok((
        row.number(table, "usd_per_kg")?,
        citations.of(row.text("source"))?,
        notes,
    ))
}

/// 2009 reference prices by the baseline's rules (see [`crate::market::reference_prices`]):
/// NdPr oxide; Dy/Tb weighted by `dytb_price_weight_t_per_month`; Y2O3; La/Ce the mean of
/// La2O3 and CeO2; magnets the recipe's oxide plus `magnet_conversion_usd_per_kg`.
pub fn reference_prices(
    table: &Table,
    inputs: &Inputs<'_>,
    citations: &Citations,
) -> Result<ReferencePrices, DeriveError> {
    let (ndpr, ndpr_source, ndpr_notes) = average_2009(table, "NdPr oxide", citations)?;
    let (dy, dy_source, _) = average_2009(table, "Dy2O3", citations)?;
    let (tb, _, _) = average_2009(table, "Tb4O7", citations)?;
    let (y, y_source, y_notes) = average_2009(table, "Y2O3", citations)?;
    let (la, la_source, _) = average_2009(table, "La2O3", citations)?;
    let (ce, _, _) = average_2009(table, "CeO2", citations)?;
    let crate::market::Composites {
        dytb,
        lace,
        magnet,
        dy_t_per_month: dy_weight,
        tb_t_per_month: tb_weight,
        conversion,
    } = crate::market::composite_prices(inputs, ndpr, (dy, tb), (la, ce))?;
    let price = |usd_per_kg: f64, source: &str, notes: String| ReferencePrice {
        usd_per_kg,
        source: source.to_owned(),
        notes,
    };
    Ok(BTreeMap::from([
        (
            "NDPR".to_owned(),
            price(
                ndpr,
                &ndpr_source,
                format!("NdPr oxide, FOB China 2009 average ({ndpr_notes})"),
            ),
        ),
        (
            "DYTB".to_owned(),
            price(
                dytb,
                &dy_source,
                format!(
                    "Dy2O3 {dy} $/kg and Tb4O7 {tb} $/kg (FOB China 2009 averages) weighted \
                     {dy_weight} : {tb_weight} as in the baseline (China's 2024 output mix; \
                     no 2010 mix was found, ESTIMATE)"
                ),
            ),
        ),
        (
            "Y".to_owned(),
            price(y, &y_source, format!("Y2O3 ({y_notes})")),
        ),
        (
            "LACE".to_owned(),
            price(
                lace,
                &la_source,
                format!("mean of La2O3 {la} $/kg and CeO2 {ce} $/kg (FOB China 2009 averages)"),
            ),
        ),
        (
            MAGNETS.to_owned(),
            price(
                magnet,
                conversion.citation,
                format!(
                    "ESTIMATE: oxide content at 2009 prices plus {} $/kg for {}",
                    conversion.value, conversion.notes
                ),
            ),
        ),
    ]))
}

/// What the demand rules read besides the facts.
pub struct World<'a> {
    pub nodes: &'a [Node],
    pub regions: &'a [Region],
    pub countries: &'a [Country],
    /// The baseline's `demand.csv`: its regional shares fill the regions 2010 lacks.
    pub baseline_demand: &'a Table,
}

impl World<'_> {
    /// The demand region of a country (as [`rareflow::model::Scenario::region_of_country`]).
    fn region_of(&self, iso3: &str) -> Result<String, DeriveError> {
        if let Some(country) = self.countries.iter().find(|c| c.iso3 == iso3) {
            return Ok(country.region.clone());
        }
        self.regions
            .iter()
            .find(|region| region.members.iter().any(|member| member == iso3))
            .or_else(|| self.regions.iter().find(|region| region.rest_of_world))
            .map(|region| region.id.clone())
            .ok_or_else(|| data_error(DEMAND_FILE, format!("no region for \"{iso3}\"")))
    }

    /// 2010 output of the magnet plants, t NdFeB by region.
    fn magnets_made(&self) -> Result<BTreeMap<String, f64>, DeriveError> {
        let mut made = BTreeMap::new();
        for node in self.nodes {
            if let Process::MagnetPlant { .. } = node.process {
                let t: f64 = node.reported_output.iter().map(|o| o.t).sum();
                *made.entry(self.region_of(&node.country)?).or_insert(0.0) += t;
            }
        }
        Ok(made)
    }

    /// 2010 separated output not used in magnets, as shares by oxide group.
    fn other_uses_split(
        &self,
        oxide_per_magnet_t: &BTreeMap<&str, f64>,
    ) -> Result<Vec<(&'static str, f64)>, DeriveError> {
        let mut left: BTreeMap<&str, f64> = OXIDES.iter().map(|oxide| (*oxide, 0.0)).collect();
        for node in self.nodes {
            match node.process {
                Process::Refinery { .. } => {
                    for output in node.reported_output.iter().filter(|o| o.year == BASE_YEAR) {
                        if let Some(t) = left.get_mut(output.commodity.as_str()) {
                            *t += output.t;
                        }
                    }
                }
                Process::MagnetPlant { .. } => {
                    let made: f64 = node.reported_output.iter().map(|o| o.t).sum();
                    for (oxide, t_per_t) in oxide_per_magnet_t {
                        if let Some(t) = left.get_mut(oxide) {
                            *t -= made * t_per_t;
                        }
                    }
                }
                Process::Mine { .. } => {}
            }
        }
        let total: f64 = left.values().sum();
        if let Some((oxide, t)) = left.iter().find(|(_, t)| **t <= 0.0) {
            return Err(data_error(
                DEMAND_FILE,
                format!("magnets use more {oxide} than was separated in 2010 ({t:.0} t left)"),
            ));
        }
        Ok(OXIDES
            .iter()
            .map(|oxide| (*oxide, left[oxide] / total))
            .collect())
    }
}

/// The facts of `demand.csv` with one `measure`.
fn facts<'t>(table: &'t Table, measure: &str) -> impl Iterator<Item = &'t Record> {
    table
        .rows
        .iter()
        .filter(move |row| row.text("measure") == measure)
}

/// Magnets used in 2010, t NdFeB by region (rule 1).
fn magnets_used(
    table: &Table,
    world: &World<'_>,
    made: &BTreeMap<String, f64>,
) -> Result<BTreeMap<String, f64>, DeriveError> {
    let mut exported_total = 0.0;
    let mut named: BTreeMap<String, f64> = BTreeMap::new();
    for row in facts(table, "magnet_exports_from_china") {
        let t = row.number(table, "value")?;
        match row.text("region") {
            "ALL" => exported_total = t,
            iso3 => *named.entry(world.region_of(iso3)?).or_insert(0.0) += t,
        }
    }
    let named_total: f64 = named.values().sum();
    if named_total <= 0.0 || exported_total < named_total {
        return Err(data_error(
            DEMAND_FILE,
            "China's magnet exports do not add up",
        ));
    }
    let mut used = made.clone();
    *used.entry("CHN".to_owned()).or_insert(0.0) -= exported_total;
    for (region, t) in named {
        *used.entry(region).or_insert(0.0) += t * exported_total / named_total;
    }
    Ok(used)
}

/// Rare earths used in 2010, t REO by region (rule 2).
fn rare_earths_used(
    table: &Table,
    world: &World<'_>,
) -> Result<BTreeMap<String, f64>, DeriveError> {
    let mut used = BTreeMap::new();
    let mut world_total = None;
    for row in facts(table, "rare_earth_use") {
        let t = row.number(table, "value")?;
        match row.text("region") {
            "WORLD" => world_total = Some(t),
            region => {
                used.insert(region.to_owned(), t);
            }
        }
    }
    let world_total =
        world_total.ok_or_else(|| data_error(DEMAND_FILE, "no WORLD rare_earth_use"))?;
    let baseline = world.baseline_demand;
    let mut shares: BTreeMap<String, f64> = BTreeMap::new();
    for row in &baseline.rows {
        let region = row.text("region");
        if !used.contains_key(region) {
            *shares.entry(region.to_owned()).or_insert(0.0) +=
                row.number(baseline, BASELINE_QUANTITY_COLUMN)?;
        }
    }
    let rest = world_total - used.values().sum::<f64>();
    let shares_total: f64 = shares.values().sum();
    if rest <= 0.0 || shares_total <= 0.0 {
        return Err(data_error(
            DEMAND_FILE,
            "no rest of the world total to share",
        ));
    }
    for (region, share) in shares {
        used.insert(region, rest * share / shares_total);
    }
    Ok(used)
}

/// The 2010 demand facts as rows of the baseline's `demand.csv` (rule 3).
pub fn demand_table(
    table: &Table,
    world: &World<'_>,
    parameters: &Inputs<'_>,
    citations: &Citations,
) -> Result<Table, DeriveError> {
    let recipe = &parameters.recipe;
    let per_magnet = BTreeMap::from([("NDPR", recipe.ndpr_t_per_t), ("DYTB", recipe.dytb_t_per_t)]);
    let made = world.magnets_made()?;
    let magnets = magnets_used(table, world, &made)?;
    let rare_earths = rare_earths_used(table, world)?;
    let split = world.other_uses_split(&per_magnet)?;
    let source = citations.of(&distinct_keys(table))?;
    let mut rows = Vec::new();
    for region in world.regions {
        let id = region.id.as_str();
        let used = rare_earths.get(id).copied().unwrap_or(0.0);
        let for_magnet_making =
            made.get(id).copied().unwrap_or(0.0) * (recipe.ndpr_t_per_t + recipe.dytb_t_per_t);
        let other_uses = used - for_magnet_making;
        if other_uses < 0.0 {
            return Err(data_error(
                DEMAND_FILE,
                format!("{id}: its magnet plants use more than its rare-earth use"),
            ));
        }
        let reasoning = format!(
            "ESTIMATE (assets/data/backtest/README.md): {id} used {used:.0} t REO in 2010, of \
             which its magnet plants bought {for_magnet_making:.0} t; the rest splits by group \
             as the world's 2010 separated output not used in magnets"
        );
        for (oxide, share) in &split {
            let t = (other_uses * share).round();
            if t >= 1.0 {
                rows.push(row(
                    id,
                    oxide,
                    "oxide",
                    t,
                    "all uses but magnets",
                    &reasoning,
                    &source,
                ));
            }
        }
        let magnets_t = magnets.get(id).copied().unwrap_or(0.0);
        if magnets_t >= 1.0 {
            let reasoning = format!(
                "ESTIMATE (assets/data/backtest/README.md): {magnets_t:.0} t NdFeB used in {id} \
                 in 2010, made there or imported from China (CCR export destinations)"
            );
            for (oxide, t_per_t) in &per_magnet {
                rows.push(row(
                    id,
                    oxide,
                    "magnet",
                    (magnets_t * t_per_t * 100.0).round() / 100.0,
                    "NdFeB magnets",
                    &reasoning,
                    &source,
                ));
            }
        }
    }
    Ok(Table {
        file: DEMAND_FILE.to_owned(),
        rows,
    })
}

/// Every source key the facts cite, each once, joined by " | ".
fn distinct_keys(table: &Table) -> String {
    let mut distinct: Vec<&str> = Vec::new();
    for key in table
        .rows
        .iter()
        .flat_map(|row| row.text("source").split('|'))
    {
        let key = key.trim();
        if !key.is_empty() && !distinct.contains(&key) {
            distinct.push(key);
        }
    }
    distinct.join(" | ")
}

fn row(
    region: &str,
    group: &str,
    stage: &str,
    t_reo: f64,
    end_uses: &str,
    reasoning: &str,
    source: &str,
) -> Record {
    Record::from([
        ("region".to_owned(), region.to_owned()),
        ("commodity_group".to_owned(), group.to_owned()),
        ("stage".to_owned(), stage.to_owned()),
        (BASELINE_QUANTITY_COLUMN.to_owned(), format!("{t_reo}")),
        ("end_uses".to_owned(), end_uses.to_owned()),
        ("reasoning".to_owned(), reasoning.to_owned()),
        ("source".to_owned(), source.to_owned()),
    ])
}
