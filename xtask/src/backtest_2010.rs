//! The 2010 world of the backtest: `assets/data/backtest/2010/` to
//! `scenarios/backtest-china-quotas-2010.ron`.
//!
//! The backtest asks whether the model, given the world as it stood in 2010 and China's
//! export quotas as they were set, reproduces what happened in 2010-2014. So the scenario
//! must be made by the same rules and with the same parameters as the 2024 baseline, and
//! from nothing observed after 2010:
//!
//! * **Parameters** are the baseline's `assumptions.csv`, read as they are (recipe,
//!   recovery, ramp, transport, price weights, demand curves): the same keys, the same
//!   values. Only the horizon is the backtest's own ([`LAST_YEAR`]).
//! * **Facts** of 2009/2010 replace the baseline's facts of 2024: mines, separation and
//!   magnet plants with their 2010 output (`nodes.csv`), regional demand (`demand.csv`,
//!   made into the baseline's demand table by `backtest_2010_market`), 2009 average
//!   prices (`prices.csv`). Projects announced by 2010 (Lynas, Project Phoenix) enter at
//!   their announced start years and sizes; their delays are outcomes.
//! * **Geography** (countries, regions) and **ore compositions** are the baseline's.
//! * **Policies**: China's export quotas 2010-2014, switched on (`policies.ron`).
//! * **Expansion**: the baseline's options (`expansion.csv`: capital costs, lead times,
//!   build rates), hosted by the nodes operating in 2010 by the baseline's rule.
//! * **Contracts**: those announced by 2010 (`contracts.csv`: the Lynas and Molycorp
//!   integrated chains, Sojitz's offtake for Japan).
//!
//! The demand rows come out of the baseline's own [`market::demand`], so the demand
//! curves follow whatever rule the baseline uses.
//!

use std::path::{Path, PathBuf};

use rareflow::model::{Metadata, Policy, Scenario, Source};

use crate::assumptions::Assumptions;
use crate::table::{Data, DeriveError, Row, Table, data_error};
use crate::{Inputs, backtest_2010_market, backtest_2010_nodes, catalogue, market, market_terms};

/// The scenario's file name in `scenarios/`.
pub const FILE_NAME: &str = "backtest-china-quotas-2010.ron";

/// The base year: the year of the facts (2009 prices, 2010 quantities).
pub const BASE_YEAR: i32 = 2010;

/// The last year solved: the quotas end with 2014, one year more shows their end.
pub const LAST_YEAR: i32 = 2015;

/// The 2010 world's folder inside a data folder.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("backtest").join("2010")
}

/// The citations of the 2010 folder's `sources.csv`, by key.
pub struct Citations {
    table: Table,
}

impl Citations {
    /// The citations of `keys` (" | "-separated), joined the same way.
    pub fn of(&self, keys: &str) -> Result<String, DeriveError> {
        keys.split('|')
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(|key| {
                self.table
                    .rows
                    .iter()
                    .find(|row| row.text("key") == key)
                    .map(|row| row.text("citation").to_owned())
                    .ok_or_else(|| {
                        data_error(&self.table.file, format!("no source with key \"{key}\""))
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|citations| citations.join(" | "))
    }
}

/// Derives the 2010 backtest scenario from the data folder (the baseline's files and its
/// `backtest/2010/` folder).
pub fn derive(data_dir: &Path) -> Result<Scenario, DeriveError> {
    let dir = folder(data_dir);
    let baseline = Data::read(data_dir)?;
    let parameters = Inputs::read(data_dir, &baseline)?;
    let citations = Citations {
        table: Table::read(&dir, "sources.csv")?,
    };
    let node_table = Table::read(&dir, "nodes.csv")?;
    let compositions = &baseline.compositions;
    let nodes = backtest_2010_nodes::nodes(&node_table, compositions, &parameters, &citations)?;
    let regions = catalogue::regions(&baseline.regions)?;
    let countries = catalogue::countries(&baseline.countries)?;
    let demand_table = backtest_2010_market::demand_table(
        &Table::read(&dir, "demand.csv")?,
        &backtest_2010_market::World {
            nodes: &nodes,
            regions: &regions,
            countries: &countries,
            baseline_demand: &baseline.demand,
        },
        &parameters,
        &citations,
    )?;
    let data = Data {
        countries: Table::read(data_dir, "countries.csv")?,
        regions: Table::read(data_dir, "regions.csv")?,
        compositions: Table::read(data_dir, "mine_composition.csv")?,
        nodes: node_table,
        demand: demand_table,
        prices: Table::read(&dir, "prices.csv")?,
        sources: Table::read(&dir, "sources.csv")?,
    };
    // The baseline's parameters, with the 2010 world's tables.
    let inputs = Inputs {
        data_dir: &dir,
        data: &data,
        assumptions: Assumptions::read(data_dir, &baseline)?,
        recipe: crate::MagnetRecipe {
            ndpr_t_per_t: parameters.recipe.ndpr_t_per_t,
            dytb_t_per_t: parameters.recipe.dytb_t_per_t,
        },
        refinery_recovery: parameters.refinery_recovery,
        ramp_years: parameters.ramp_years,
    };
    let prices = backtest_2010_market::reference_prices(&data.prices, &inputs, &citations)?;
    let expansion = market_terms::expansion_options(&parameters, &nodes)?;
    let demand = market::demand(&inputs, &prices)?;
    let scenario = Scenario {
        meta: metadata(),
        commodities: catalogue::commodities(),
        regions,
        countries,
        nodes,
        demand,
        trade: market::trade_costs(&inputs)?,
        policies: policies(&dir, &citations)?,
        // The baseline's options (costs, lead times, build rates), hosted by the 2010
        // world's operating nodes; the contracts announced by 2010.
        expansion,
        contracts: market_terms::contracts(&inputs)?,
        uncertainty: Vec::new(),
        correlations: Vec::new(),
        sources: sources(&data, &baseline, data_dir)?,
    };
    let problems = rareflow::model::validate(&scenario);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(data_error(
            "backtest/2010",
            format!(
                "the 2010 world is not a valid scenario:\n  - {}",
                list.join("\n  - ")
            ),
        ));
    }
    Ok(scenario)
}

fn metadata() -> Metadata {
    Metadata {
        name: "Backtest: China's export-quota cuts (2010-2014)".to_owned(),
        description: "The rare-earth supply chain as it stood in 2010 (2010 output, 2009 \
                      average prices), with the projects announced by then at their \
                      announced start years (Lynas Mt Weld and LAMP 2011, Molycorp's Project \
                      Phoenix 2012) and China's export quotas as set: 30,258 t in 2010 (-40 %), \
                      about 31 kt a year to 2014, none from 2015. Same modelling rules and \
                      parameters as the 2024 baseline. `rareflow backtest` compares it with \
                      what was observed in 2010-2014."
            .to_owned(),
        base_year: BASE_YEAR,
        first_year: BASE_YEAR,
        last_year: LAST_YEAR,
        reference_note: "A backtest: prices are read against the 2009 averages the model is \
                         calibrated on (the 2024 baseline is no reference for it)."
            .to_owned(),
    }
}

/// `policies.ron` of the 2010 folder, with source keys turned into citations.
fn policies(dir: &Path, citations: &Citations) -> Result<Vec<Policy>, DeriveError> {
    const FILE: &str = "backtest/2010/policies.ron";
    let path = dir.join("policies.ron");
    let text = std::fs::read_to_string(&path).map_err(|error| DeriveError::Read {
        path: path.clone(),
        message: error.to_string(),
    })?;
    let mut policies: Vec<Policy> =
        ron::from_str(&text).map_err(|error| data_error(FILE, error.to_string()))?;
    for policy in &mut policies {
        policy.source = citations.of(&policy.source)?;
    }
    Ok(policies)
}

/// The 2010 folder's sources, then the baseline's sources that its parameters cite.
fn sources(data: &Data, baseline: &Data, data_dir: &Path) -> Result<Vec<Source>, DeriveError> {
    let mut sources = catalogue::sources(data);
    let mut keys = Vec::new();
    for file in [crate::assumptions::FILE, market_terms::EXPANSION_FILE] {
        let table = Table::read(data_dir, file)?;
        keys.extend(table.rows.iter().map(|row| row.text("source").to_owned()));
    }
    for key in &keys {
        if sources.iter().any(|source| source.key == *key) {
            continue;
        }
        sources.push(Source {
            key: key.clone(),
            citation: baseline.citation(key)?.to_owned(),
        });
    }
    Ok(sources)
}
