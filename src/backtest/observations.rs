//! `assets/data/backtest/observations.csv`: what was observed, with its source.

use serde::{Deserialize, Serialize};

use super::{BacktestError, Rule};

/// What an observation measures, and so what the model's counterpart is (see
/// `counterparts.rs` for each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// A region's price in a year over the base price (episode A: the 2009 average; B: 2024).
    PriceRatioToBase,
    /// A region's price over China's, the same year.
    PriceRatioToChina,
    /// A mine's ore (its composition) at the prices outside China, over the same at base.
    BasketRatioToBase,
    /// The price actually paid across all buyers (consumption-weighted) over the base.
    PricePaidRatioToBase,
    /// China's exports of concentrate and oxide over its export quota that year.
    ExportRatioToQuota,
    /// China's exports of a commodity, one year against another (a fraction).
    ExportChange,
    /// A region's rare-earth use (oxides, its magnet makers' included), one year against
    /// another.
    ConsumptionChange,
    /// A country's mine output, one year against another.
    MineOutputChange,
    /// The share of world mine output mined outside China.
    ExChinaMineShare,
    /// A country's mine output, t REO.
    MineOutput,
    /// The first year a node produced.
    FirstOutputYear,
    /// Growth of mine output outside China per year, as a share of world use at the start.
    ExChinaSupplyRamp,
    /// Demand at the reference price left unmet by prices, as a share of it.
    PricedOutShare,
}

impl Quantity {
    /// How the model's value is judged against the observed one.
    pub fn rule(self) -> Rule {
        match self {
            Quantity::ExportChange | Quantity::ConsumptionChange | Quantity::MineOutputChange => {
                Rule::Change
            }
            Quantity::FirstOutputYear => Rule::Years,
            _ => Rule::Factor,
        }
    }
}

/// Where an observation comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceRef {
    pub publisher: String,
    pub title: String,
    pub date: String,
    /// The address the number was read at.
    pub address: String,
}

impl SourceRef {
    /// "Publisher, Title (date), address": the whole citation on one line.
    pub fn citation(&self) -> String {
        format!(
            "{}, \"{}\" ({}), {}",
            self.publisher, self.title, self.date, self.address
        )
    }
}

/// One observed outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observation {
    /// `A01`, `B07`, ...
    pub id: String,
    /// The episode id (see [`super::EPISODES`]).
    pub episode: String,
    /// In words: "Dy oxide price outside China, 2011 year-end over the 2009 average".
    pub what: String,
    pub quantity: Quantity,
    /// `EXCHN` (outside China), a region id, a country's ISO3 code or `WORLD`.
    pub region: String,
    /// A commodity id, `ALL`, or for a basket or a first year of output a node id.
    pub commodity: String,
    pub year: i32,
    /// The year a change is measured from.
    pub from_year: Option<i32>,
    pub value: f64,
    pub unit: String,
    /// How the observed number was obtained (the quotes and their division).
    pub basis: String,
    pub source: SourceRef,
    /// Why the observation is not independent of the scenario, if it is not.
    pub in_sample: Option<String>,
    pub notes: String,
}

/// A row of the CSV as it is written.
#[derive(Deserialize)]
struct Record {
    id: String,
    episode: String,
    what: String,
    quantity: Quantity,
    region: String,
    commodity: String,
    year: i32,
    from_year: Option<i32>,
    value: f64,
    unit: String,
    basis: String,
    source_publisher: String,
    source_title: String,
    source_date: String,
    source_address: String,
    in_sample: String,
    notes: String,
}

/// Parses observations from CSV text; every row must name its source.
pub fn parse_observations(csv_text: &str) -> Result<Vec<Observation>, BacktestError> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut observations = Vec::new();
    for (index, record) in reader.deserialize::<Record>().enumerate() {
        let line = index + 2;
        let record = record.map_err(|error| BacktestError::Observations {
            line,
            message: error.to_string(),
        })?;
        if record.source_publisher.is_empty() || record.source_address.is_empty() {
            return Err(BacktestError::Observations {
                line,
                message: format!("{}: no source", record.id),
            });
        }
        if record.quantity.rule() == Rule::Change && record.from_year.is_none() {
            return Err(BacktestError::Observations {
                line,
                message: format!("{}: a change needs `from_year`", record.id),
            });
        }
        observations.push(Observation {
            id: record.id,
            episode: record.episode,
            what: record.what,
            quantity: record.quantity,
            region: record.region,
            commodity: record.commodity,
            year: record.year,
            from_year: record.from_year,
            value: record.value,
            unit: record.unit,
            basis: record.basis,
            source: SourceRef {
                publisher: record.source_publisher,
                title: record.source_title,
                date: record.source_date,
                address: record.source_address,
            },
            in_sample: (!record.in_sample.is_empty()).then_some(record.in_sample),
            notes: record.notes,
        });
    }
    Ok(observations)
}
