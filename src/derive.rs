//! Derives the built-in scenarios from the project's data folder (`shared/data/*.csv`).
//!
//! `rareflow derive-baseline DATA_DIR --out scenarios/` regenerates
//! `scenarios/baseline-2024.ron` and the event scenarios; a test re-derives them and checks
//! that the committed files are what this code makes of the data.
//!
//! # How rows become the model
//!
//! * `nodes.csv` has one row per facility and commodity group; a facility is one node (its
//!   `node_id` without the group suffix). A `-2` suffix marks a later phase of the same site:
//!   it becomes an [`Expansion`] (and, for refineries, circuits with a start year).
//! * Mines: capacity is the sum of the group rows; the composition is the
//!   `mine_composition.csv` row of the ore type that `native_quantity` names (the rows are
//!   that composition times the total), else the rows' own split. Rows of group `ALL` or
//!   `MIXED` have no capacity; they get the generic bastnaesite split as a placeholder.
//! * Refineries: each group row is a separation circuit; feed capacity is their sum.
//!   Recovery is 95 % (the data README's process losses); secondary supply has its own feed.
//! * Magnet plants: capacity and output in t NdFeB from `native_quantity`; the recipe is the
//!   data README's 0.25 t NdPr + 0.009 t Dy/Tb per t of magnet.
//! * The metal stage (`stage=metal`) is not a stage of the model: oxide goes to magnet
//!   plants directly. Its rows are left out (their capacity is not binding in the data).
//! * Demand: oxide rows as they are; magnet rows become NdFeB demand (NdPr t REO / 0.25).
//! * Prices: 2024 Argus FOB China annual averages from `prices.csv` (see `reference_prices`).
//! * Events: those the model can express become policies, switched off; see [`policies`].
//! * Projects that start in 2025 or later ramp to nameplate over [`NEW_CAPACITY_RAMP_YEARS`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::{
    Circuit, Commodity, CommodityKind, Country, Demand, Destinations, Expansion, Metadata, Node,
    NodeStatus, Policy, PolicyKind, Process, QuotaLimit, RecipeInput, RefineryFeed, Region,
    ReleaseRule, ReportedOutput, Scenario, Share, Source, Stage, TariffRate, TradeCosts,
    TradeGoods,
};

/// NdPr (t REO) per t of NdFeB magnet, net primary basis (data README).
pub const MAGNET_NDPR_T_PER_T: f64 = 0.25;
/// Dy+Tb (t REO) per t of NdFeB magnet, net primary basis (data README).
pub const MAGNET_DYTB_T_PER_T: f64 = 0.009;
/// Separation recovery of concentrate-fed refineries (data README: 5 % process losses).
pub const REFINERY_RECOVERY: f64 = 0.95;
/// Years a project starting in 2025 or later takes to reach nameplate (ESTIMATE).
pub const NEW_CAPACITY_RAMP_YEARS: u32 = 2;
/// The data's base year.
pub const BASE_YEAR: i32 = 2024;
/// Last year of the built-in horizon.
pub const LAST_YEAR: i32 = 2035;

/// The oxide groups of the data, in file order.
const OXIDES: [&str; 4] = ["NDPR", "DYTB", "Y", "LACE"];
/// The magnet product's commodity id.
pub const MAGNETS: &str = "NDFEB";

/// A problem with the data folder.
#[derive(Debug, thiserror::Error)]
pub enum DeriveError {
    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{file}: {message}")]
    Data { file: String, message: String },
    #[error(transparent)]
    Save(#[from] crate::io::SaveError),
}

fn data_error(file: &str, message: impl Into<String>) -> DeriveError {
    DeriveError::Data {
        file: file.to_owned(),
        message: message.into(),
    }
}

/// A CSV file as rows of named fields.
struct Table {
    file: String,
    rows: Vec<BTreeMap<String, String>>,
}

impl Table {
    fn read(data_dir: &Path, file: &str) -> Result<Self, DeriveError> {
        let path = data_dir.join(file);
        let csv_error = |source| DeriveError::Csv {
            path: path.clone(),
            source,
        };
        let mut reader = csv::Reader::from_path(&path).map_err(csv_error)?;
        let headers = reader.headers().map_err(csv_error)?.clone();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            rows.push(
                headers
                    .iter()
                    .zip(record.iter())
                    .map(|(header, value)| (header.to_owned(), value.trim().to_owned()))
                    .collect(),
            );
        }
        Ok(Self {
            file: file.to_owned(),
            rows,
        })
    }
}

/// Field access with errors that name the file, row and column.
trait Row {
    fn text(&self, column: &str) -> &str;
    fn number(&self, table: &Table, column: &str) -> Result<f64, DeriveError>;
    fn optional_number(&self, table: &Table, column: &str) -> Result<Option<f64>, DeriveError>;
}

impl Row for BTreeMap<String, String> {
    fn text(&self, column: &str) -> &str {
        self.get(column).map_or("", String::as_str)
    }

    fn number(&self, table: &Table, column: &str) -> Result<f64, DeriveError> {
        self.optional_number(table, column)?
            .ok_or_else(|| data_error(&table.file, format!("a row has no `{column}`: {self:?}")))
    }

    fn optional_number(&self, table: &Table, column: &str) -> Result<Option<f64>, DeriveError> {
        let text = self.text(column);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>().map(Some).map_err(|_| {
            data_error(
                &table.file,
                format!("`{column}` is not a number: \"{text}\""),
            )
        })
    }
}

/// All data tables the derivation reads.
struct Data {
    countries: Table,
    regions: Table,
    compositions: Table,
    nodes: Table,
    demand: Table,
    prices: Table,
    sources: Table,
}

impl Data {
    fn read(data_dir: &Path) -> Result<Self, DeriveError> {
        Ok(Self {
            countries: Table::read(data_dir, "countries.csv")?,
            regions: Table::read(data_dir, "regions.csv")?,
            compositions: Table::read(data_dir, "mine_composition.csv")?,
            nodes: Table::read(data_dir, "nodes.csv")?,
            demand: Table::read(data_dir, "demand.csv")?,
            prices: Table::read(data_dir, "prices.csv")?,
            sources: Table::read(data_dir, "sources.csv")?,
        })
    }
}

/// Derives the 2024 baseline scenario from the data folder.
pub fn derive_baseline(data_dir: &Path) -> Result<Scenario, DeriveError> {
    let data = Data::read(data_dir)?;
    let prices = reference_prices(&data.prices)?;
    let demand = demand(&data.demand, &prices)?;
    Ok(Scenario {
        meta: Metadata {
            name: "Baseline 2024".to_owned(),
            description: "The rare-earth supply chain as it stood in 2024 (USGS MCS 2025/2026, \
                          company reports, IEA, Argus, SMM), with announced projects at their \
                          announced start years and every expressible 2023–2026 trade measure \
                          present but switched off. Switch measures on to ask what-if \
                          questions; the event scenarios in scenarios/ do so for 2025–2026 \
                          events. Not modelled: the metal stage (oxide goes to magnet plants \
                          directly), technology export bans, price floors, finance."
                .to_owned(),
            base_year: BASE_YEAR,
            first_year: BASE_YEAR,
            last_year: LAST_YEAR,
            reference_note: "This is the reference scenario: price pressure elsewhere is \
                             measured against it."
                .to_owned(),
        },
        commodities: commodities(),
        regions: regions(&data.regions)?,
        countries: countries(&data.countries)?,
        nodes: nodes(&data)?,
        trade: trade_costs(),
        policies: policies(&demand, &prices),
        demand,
        sources: sources(&data.sources),
    })
}

fn commodities() -> Vec<Commodity> {
    let oxide = |id: &str, name: &str, notes: &str| Commodity {
        id: id.to_owned(),
        name: name.to_owned(),
        kind: CommodityKind::Oxide,
        unit: "t REO".to_owned(),
        notes: notes.to_owned(),
    };
    vec![
        oxide(
            "NDPR",
            "NdPr oxide",
            "Neodymium + praseodymium, the light magnet rare earths.",
        ),
        oxide(
            "DYTB",
            "Dy/Tb oxide",
            "Dysprosium + terbium, the heavy magnet rare earths.",
        ),
        oxide(
            "Y",
            "Yttrium oxide",
            "Ceramics, coatings, phosphors, lasers.",
        ),
        oxide(
            "LACE",
            "La/Ce and other oxides",
            "Lanthanum, cerium and every other rare earth (Sm, Gd, Eu, Ho, Er, ...).",
        ),
        Commodity {
            id: MAGNETS.to_owned(),
            name: "NdFeB magnets".to_owned(),
            kind: CommodityKind::Product,
            unit: "t NdFeB".to_owned(),
            notes: "Sintered and bonded neodymium-iron-boron magnets.".to_owned(),
        },
    ]
}

fn regions(table: &Table) -> Result<Vec<Region>, DeriveError> {
    table
        .rows
        .iter()
        .map(|row| {
            Ok(Region {
                id: row.text("region").to_owned(),
                name: row.text("name").to_owned(),
                lat: row.number(table, "lat")?,
                lon: row.number(table, "lon")?,
                notes: format!("Members: {}. {}", row.text("members"), row.text("source")),
            })
        })
        .collect()
}

fn countries(table: &Table) -> Result<Vec<Country>, DeriveError> {
    table
        .rows
        .iter()
        .map(|row| {
            Ok(Country {
                iso3: row.text("iso3").to_owned(),
                name: row.text("name").to_owned(),
                region: row.text("demand_region").to_owned(),
                lat: row.number(table, "lat")?,
                lon: row.number(table, "lon")?,
            })
        })
        .collect()
}

fn sources(table: &Table) -> Vec<Source> {
    let mut sources: Vec<Source> = table
        .rows
        .iter()
        .map(|row| Source {
            key: row.text("key").to_owned(),
            citation: row.text("citation").to_owned(),
        })
        .collect();
    sources.extend([
        Source {
            key: "ustr301".to_owned(),
            citation: USTR_SECTION_301.to_owned(),
        },
        Source {
            key: "jogmec".to_owned(),
            citation: JOGMEC_STOCKPILE.to_owned(),
        },
        Source {
            key: "rareflow".to_owned(),
            citation: RAREFLOW_ESTIMATE.to_owned(),
        },
    ]);
    sources
}

const USTR_SECTION_301: &str = "USTR, Four-Year Review of the Section 301 tariffs on China, \
                                2024-05-14: tariff on permanent magnets from 0 % to 25 % in 2026";
const JOGMEC_STOCKPILE: &str = "METI/JOGMEC national stockpiling of rare metals: target of 60 \
                                days of domestic consumption (volumes not public)";
const RAREFLOW_ESTIMATE: &str = "rareflow modelling assumption (ESTIMATE), documented in \
                                 src/derive.rs";

/// Splits `MINE-CHN-light_ree_mines-NDPR-2` into (`MINE-CHN-light_ree_mines`, `NDPR`, 2).
fn split_node_id(node_id: &str) -> Option<(&str, &str, u32)> {
    let (rest, phase) = match node_id.strip_suffix("-2") {
        Some(rest) => (rest, 2),
        None => (node_id, 1),
    };
    let (facility, group) = rest.rsplit_once('-')?;
    Some((facility, group, phase))
}

/// The numbers in a text such as "450,000 t/yr NdFeB capacity; 300,000 t (2024); ...".
fn numbers_in(text: &str) -> Vec<f64> {
    let mut numbers = Vec::new();
    let mut current = String::new();
    for character in text.chars().chain(std::iter::once(' ')) {
        if character.is_ascii_digit() || (character == '.' && !current.is_empty()) {
            current.push(character);
        } else if character == ',' && !current.is_empty() {
            // Thousands separator: keep reading the same number.
        } else if !current.is_empty() {
            if let Ok(number) = current.trim_end_matches('.').parse() {
                numbers.push(number);
            }
            current.clear();
        }
    }
    numbers
}

fn parse_status(table: &Table, text: &str) -> Result<NodeStatus, DeriveError> {
    Ok(match text {
        "operating" => NodeStatus::Operating,
        "construction" => NodeStatus::Construction,
        "planned" => NodeStatus::Planned,
        "pilot" => NodeStatus::Pilot,
        "exploration" => NodeStatus::Exploration,
        other => {
            return Err(data_error(
                &table.file,
                format!("unknown status \"{other}\""),
            ));
        }
    })
}

/// The operator of a facility, where its name does not already say it.
fn operator_of(facility_id: &str) -> &'static str {
    const OPERATORS: &[(&str, &str)] = &[
        (
            "MINE-CHN-light_ree_mines",
            "China Northern Rare Earth Group and others",
        ),
        (
            "MINE-CHN-ion_adsorption_clay",
            "China Rare Earth Group and others",
        ),
        ("MINE-USA-mountain_pass_mp", "MP Materials"),
        ("MINE-AUS-mt_weld_lynas", "Lynas Rare Earths"),
        ("MINE-BRA-serra_verde", "Serra Verde"),
        ("MINE-IND-irel_beach_sand", "IREL (India) Ltd"),
        (
            "MINE-RUS-lovozero_loparite_solikamsk",
            "Lovozero Mining and Processing Plant",
        ),
        ("MINE-AUS-nolans_arafura", "Arafura Rare Earths"),
        ("MINE-USA-round_top_usa", "USA Rare Earth"),
        (
            "MINE-NAM-lofdal_namibia_critical",
            "Namibia Critical Metals / JOGMEC",
        ),
        ("MINE-JPN-minamitorishima_seabed_mud", "SIP / JAMSTEC"),
        ("MINE-PAK-ussm_fwo_partnership", "US Strategic Metals / FWO"),
        ("MINE-AUS-tronox_mineral_sands", "Tronox"),
        ("MINE-AUS-iluka_eneabba_stockpile", "Iluka Resources"),
        (
            "SEP-CHN-separation_plants_northern",
            "China Northern Rare Earth Group, China Rare Earth Group and others",
        ),
        ("SEP-MYS-lynas_malaysia", "Lynas Rare Earths"),
        ("SEP-USA-mountain_pass", "MP Materials"),
        ("SEP-USA-white_mesa_mill", "Energy Fuels"),
        ("SEP-AUS-eneabba_refinery_iluka", "Iluka Resources"),
        ("SEP-AUS-nolans_separation_arafura", "Arafura Rare Earths"),
        ("SEP-EST-npm_silmet_neo", "Neo Performance Materials"),
        ("SEP-FRA-solvay_la_rochelle", "Solvay"),
        (
            "SEP-IND-irel_oscom_aluva",
            "IREL (India) Ltd / Toyotsu Rare Earths India",
        ),
        (
            "SEP-RUS-solikamsk_magnesium_works",
            "Solikamsk Magnesium Works",
        ),
        ("SEP-KAZ-sareco_stepnogorsk", "SARECO"),
        ("SEP-CAN-src_rare_earth", "Saskatchewan Research Council"),
        (
            "MAG-CHN-sintered_bonded_ndfeb",
            "JL Mag, Ningbo Yunsheng, Zhong Ke San Huan and others",
        ),
        (
            "MAG-JPN-japan_shin_etsu",
            "Shin-Etsu, Proterial, TDK, Daido",
        ),
        ("MAG-VNM-vietnam_shin_etsu", "Shin-Etsu and others"),
        ("MAG-DEU-vac_vacuumschmelze_hanau", "Vacuumschmelze (VAC)"),
        ("MAG-USA-noveon_magnetics_san", "Noveon Magnetics"),
        ("MAG-USA-mp_", "MP Materials"),
        ("MAG-USA-evac_magnetics_sumter", "eVAC Magnetics (VAC)"),
        ("MAG-USA-usa_rare_earth", "USA Rare Earth"),
        ("MAG-USA-vulcan_elements_benson", "Vulcan Elements"),
        ("MAG-EST-neo_", "Neo Performance Materials"),
        (
            "MAG-IND-india_repm_scheme",
            "Beneficiaries of India's REPM scheme",
        ),
    ];
    OPERATORS
        .iter()
        .find(|(prefix, _)| facility_id.starts_with(prefix))
        .map_or("", |(_, operator)| operator)
}

/// Joins distinct, non-empty texts with " | ".
fn join_distinct<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut distinct: Vec<&str> = Vec::new();
    for text in texts.flat_map(|text| text.split(" | ")) {
        let text = text.trim();
        if !text.is_empty() && !distinct.contains(&text) {
            distinct.push(text);
        }
    }
    distinct.join(" | ")
}

fn ramp_for(start_year: Option<i32>) -> u32 {
    match start_year {
        Some(start) if start > BASE_YEAR => NEW_CAPACITY_RAMP_YEARS,
        _ => 0,
    }
}

/// Node notes: the data's notes, then any unit cost or capex text, then the estimate flag.
fn node_notes(rows: &[&BTreeMap<String, String>]) -> String {
    let mut notes = join_distinct(rows.iter().map(|row| row.text("notes")));
    let costs = join_distinct(rows.iter().map(|row| row.text("unit_cost")));
    if !costs.is_empty() {
        notes.push_str(&format!(
            ". Unit cost in the data: {costs} (integrated mine and refinery, not split by stage)"
        ));
    }
    let capex = join_distinct(rows.iter().map(|row| row.text("capex")));
    if !capex.is_empty() {
        notes.push_str(&format!(". Capex: {capex}"));
    }
    let estimate = join_distinct(rows.iter().map(|row| row.text("estimate")));
    if !estimate.is_empty() && estimate != "no" {
        notes.push_str(&format!(". Estimate: {estimate}"));
    }
    if let Some(start) = rows
        .iter()
        .find_map(|row| row.text("start_year").parse::<i32>().ok())
        && start > BASE_YEAR
    {
        notes.push_str(&format!(
            ". Ramp to nameplate over {NEW_CAPACITY_RAMP_YEARS} years from {start} (ESTIMATE)"
        ));
    }
    notes
}

fn reported_outputs(
    table: &Table,
    rows: &[&BTreeMap<String, String>],
    commodity_of: impl Fn(&BTreeMap<String, String>) -> String,
) -> Result<Vec<ReportedOutput>, DeriveError> {
    let mut outputs = Vec::new();
    for (year, column) in [(2024, "output_2024_t_reo"), (2025, "output_2025_t_reo")] {
        for row in rows {
            let t = row.optional_number(table, column)?.unwrap_or(0.0);
            if t > 0.0 {
                outputs.push(ReportedOutput {
                    year,
                    commodity: commodity_of(row),
                    t,
                });
            }
        }
    }
    Ok(outputs)
}

fn nodes(data: &Data) -> Result<Vec<Node>, DeriveError> {
    let table = &data.nodes;
    // Facilities in file order, each with its phase-1 and phase-2 rows.
    let mut order: Vec<&str> = Vec::new();
    let mut phases: BTreeMap<&str, [Vec<&BTreeMap<String, String>>; 2]> = BTreeMap::new();
    for row in &table.rows {
        if row.text("stage") == "metal" {
            continue;
        }
        let node_id = row.text("node_id");
        let (facility, _, phase) = split_node_id(node_id).ok_or_else(|| {
            data_error(&table.file, format!("cannot split node_id \"{node_id}\""))
        })?;
        if !phases.contains_key(facility) {
            order.push(facility);
        }
        phases.entry(facility).or_default()[phase as usize - 1].push(row);
    }
    let mut nodes = Vec::new();
    for facility in order {
        let [first, later] = &phases[facility];
        if first.is_empty() {
            return Err(data_error(
                &table.file,
                format!("{facility}: a phase 2 without a phase 1"),
            ));
        }
        let node = match first[0].text("stage") {
            "mine" => mine(data, facility, first)?,
            "refinery" => refinery(table, facility, first, later)?,
            "magnet" => magnet_plant(table, facility, first, later)?,
            other => {
                return Err(data_error(
                    &table.file,
                    format!("unknown stage \"{other}\""),
                ));
            }
        };
        nodes.push(node);
    }
    Ok(nodes)
}

/// Fields every kind of node takes from its phase-1 rows.
fn node_base(
    table: &Table,
    facility: &str,
    rows: &[&BTreeMap<String, String>],
    capacity_t_per_yr: f64,
    reported_output: Vec<ReportedOutput>,
    process: Process,
) -> Result<Node, DeriveError> {
    let first = rows[0];
    let start_year = first.text("start_year").parse::<i32>().ok();
    Ok(Node {
        id: facility.to_owned(),
        name: first.text("facility").to_owned(),
        operator: operator_of(facility).to_owned(),
        country: first.text("iso3").to_owned(),
        status: parse_status(table, first.text("status"))?,
        capacity_t_per_yr,
        start_year,
        ramp_years: ramp_for(start_year),
        expansions: Vec::new(),
        unit_cost_usd_per_kg: None,
        reported_output,
        process,
        source: join_distinct(rows.iter().map(|row| row.text("source"))),
        notes: node_notes(rows),
    })
}

fn composition_of_ore_type(
    compositions: &Table,
    ore_type: &str,
) -> Result<Vec<Share>, DeriveError> {
    let row = compositions
        .rows
        .iter()
        .find(|row| row.text("ore_type") == ore_type)
        .ok_or_else(|| data_error(&compositions.file, format!("no ore type \"{ore_type}\"")))?;
    OXIDES
        .iter()
        .map(|oxide| {
            Ok(Share {
                commodity: (*oxide).to_owned(),
                share: row.number(compositions, oxide)?,
            })
        })
        .collect()
}

/// Placeholder split for mines with no published figures (capacity 0 until one exists).
const PLACEHOLDER_ORE_TYPE: &str = "bastnaesite_generic";

fn mine(
    data: &Data,
    facility: &str,
    rows: &[&BTreeMap<String, String>],
) -> Result<Node, DeriveError> {
    let table = &data.nodes;
    let mut capacity_by_group: Vec<(String, f64)> = Vec::new();
    for row in rows {
        let group = row.text("commodity_group");
        let capacity = row.optional_number(table, "capacity_t_reo")?.unwrap_or(0.0);
        if OXIDES.contains(&group) {
            capacity_by_group.push((group.to_owned(), capacity));
        }
    }
    let capacity: f64 = capacity_by_group.iter().map(|(_, t)| t).sum();
    let named_ore_type = rows[0]
        .text("native_quantity")
        .split("ore type ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    let (ore_type, composition, extra_note) = if !named_ore_type.is_empty() {
        let composition = composition_of_ore_type(&data.compositions, named_ore_type)?;
        // The group rows are the composition times the total, rounded to whole tonnes.
        for (group, t) in &capacity_by_group {
            let share = composition
                .iter()
                .find(|s| s.commodity == *group)
                .map_or(0.0, |s| s.share);
            if (share * capacity - t).abs() > 1.0 {
                return Err(data_error(
                    &table.file,
                    format!("{facility}: {group} row {t} t is not {share} of {capacity} t"),
                ));
            }
        }
        (named_ore_type.to_owned(), composition, "")
    } else if capacity > 0.0 {
        let composition = capacity_by_group
            .iter()
            .map(|(group, t)| Share {
                commodity: group.clone(),
                share: t / capacity,
            })
            .collect();
        ("from the data's group rows".to_owned(), composition, "")
    } else {
        (
            PLACEHOLDER_ORE_TYPE.to_owned(),
            composition_of_ore_type(&data.compositions, PLACEHOLDER_ORE_TYPE)?,
            ". Composition is a placeholder (generic bastnaesite): no split is published and \
             capacity is 0 until a figure exists",
        )
    };
    let outputs = reported_outputs(table, rows, |row| row.text("commodity_group").to_owned())?;
    let mut node = node_base(
        table,
        facility,
        rows,
        capacity,
        outputs,
        Process::Mine {
            ore_type,
            composition,
        },
    )?;
    node.notes.push_str(extra_note);
    Ok(node)
}

fn refinery(
    table: &Table,
    facility: &str,
    rows: &[&BTreeMap<String, String>],
    later: &[&BTreeMap<String, String>],
) -> Result<Node, DeriveError> {
    let node_start = rows[0].text("start_year").parse::<i32>().ok();
    // Every row is a circuit. A circuit that starts later than the node (a planned heavy
    // circuit, or a phase-2 row) keeps its own start year and ramp.
    let mut circuits = Vec::new();
    for row in rows.iter().chain(later) {
        let row_start = row.text("start_year").parse::<i32>().ok();
        let start_year = match (row_start, node_start) {
            (Some(row_year), Some(node_year)) if row_year > node_year => Some(row_year),
            (Some(row_year), None) if row_year > BASE_YEAR => Some(row_year),
            _ => None,
        };
        circuits.push(Circuit {
            commodity: row.text("commodity_group").to_owned(),
            capacity_t_per_yr: row.number(table, "capacity_t_reo")?,
            start_year,
            ramp_years: start_year.map_or(0, |year| ramp_for(Some(year))),
        });
    }
    let capacity: f64 = circuits
        .iter()
        .filter(|circuit| circuit.start_year.is_none())
        .map(|circuit| circuit.capacity_t_per_yr)
        .sum();
    let secondary = rows.iter().any(|row| row.text("subtype") == "secondary");
    let feed = if secondary {
        RefineryFeed::Secondary {
            composition: circuits
                .iter()
                .map(|circuit| Share {
                    commodity: circuit.commodity.clone(),
                    share: circuit.capacity_t_per_yr / capacity,
                })
                .collect(),
        }
    } else {
        RefineryFeed::Concentrate
    };
    let outputs = reported_outputs(table, rows, |row| row.text("commodity_group").to_owned())?;
    let mut node = node_base(
        table,
        facility,
        rows,
        capacity,
        outputs,
        Process::Refinery {
            recovery: if secondary { 1.0 } else { REFINERY_RECOVERY },
            circuits,
            feed,
        },
    )?;
    if !later.is_empty() {
        node.notes.push_str(&format!(
            ". Phase 2: {}",
            join_distinct(later.iter().map(|row| row.text("notes")))
        ));
    }
    Ok(node)
}

/// (capacity, output 2024, output 2025) in t NdFeB from a magnet row's `native_quantity`.
fn magnet_quantities(
    table: &Table,
    row: &BTreeMap<String, String>,
) -> Result<[f64; 3], DeriveError> {
    let text = row.text("native_quantity");
    // "450,000 t/yr NdFeB capacity; 300,000 t (2024); 310,000 t (2025)"
    let numbers = numbers_in(text);
    match numbers.as_slice() {
        [capacity, output_2024, 2024.0, output_2025, 2025.0] => {
            Ok([*capacity, *output_2024, *output_2025])
        }
        _ => Err(data_error(
            &table.file,
            format!(
                "{}: cannot read native_quantity \"{text}\"",
                row.text("node_id")
            ),
        )),
    }
}

fn magnet_plant(
    table: &Table,
    facility: &str,
    rows: &[&BTreeMap<String, String>],
    later: &[&BTreeMap<String, String>],
) -> Result<Node, DeriveError> {
    let ndpr_row = rows
        .iter()
        .find(|row| row.text("commodity_group") == "NDPR")
        .ok_or_else(|| data_error(&table.file, format!("{facility}: no NDPR row")))?;
    let [capacity, output_2024, output_2025] = magnet_quantities(table, ndpr_row)?;
    let ndpr_capacity = ndpr_row.number(table, "capacity_t_reo")?;
    if (capacity * MAGNET_NDPR_T_PER_T - ndpr_capacity).abs() > 1.0 {
        return Err(data_error(
            &table.file,
            format!("{facility}: {capacity} t NdFeB does not match {ndpr_capacity} t NdPr"),
        ));
    }
    let outputs = [(2024, output_2024), (2025, output_2025)]
        .into_iter()
        .filter(|(_, t)| *t > 0.0)
        .map(|(year, t)| ReportedOutput {
            year,
            commodity: MAGNETS.to_owned(),
            t,
        })
        .collect();
    let mut node = node_base(
        table,
        facility,
        rows,
        capacity,
        outputs,
        Process::MagnetPlant {
            product: MAGNETS.to_owned(),
            recipe: vec![
                RecipeInput {
                    commodity: "NDPR".to_owned(),
                    t_per_t: MAGNET_NDPR_T_PER_T,
                },
                RecipeInput {
                    commodity: "DYTB".to_owned(),
                    t_per_t: MAGNET_DYTB_T_PER_T,
                },
            ],
        },
    )?;
    if let Some(ndpr_later) = later
        .iter()
        .find(|row| row.text("commodity_group") == "NDPR")
    {
        let [added, ..] = magnet_quantities(table, ndpr_later)?;
        let year = ndpr_later
            .text("start_year")
            .parse::<i32>()
            .map_err(|_| data_error(&table.file, format!("{facility}-2 has no start year")))?;
        node.expansions.push(Expansion {
            year,
            added_t_per_yr: added,
            ramp_years: ramp_for(Some(year)),
            source: ndpr_later.text("source").to_owned(),
        });
        node.notes
            .push_str(&format!(". Phase 2: {}", ndpr_later.text("notes")));
    }
    Ok(node)
}

/// Reference prices (US$/kg) by commodity, with how each was obtained.
pub struct ReferencePrice {
    pub usd_per_kg: f64,
    pub source: String,
    pub notes: String,
}

/// 2024 reference prices from `prices.csv` (Argus FOB China annual averages):
///
/// * NdPr: NdPr oxide.
/// * Dy/Tb: Dy2O3 and Tb4O7 weighted by China's 2024 output, 214 t Dy : 40.8 t Tb a month
///   (SMM), i.e. 84 % Dy.
/// * Y: Y2O3.
/// * La/Ce: mean of La2O3 and CeO2 (the group is mostly La and Ce by tonnage).
/// * NdFeB magnets: no price in the data. ESTIMATE: oxide content at the 2024 prices
///   (0.25 × NdPr + 0.009 × Dy/Tb ≈ 16.9 $/kg) plus 23 $/kg for metal making, sintering and
///   machining = 40 $/kg.
fn reference_prices(table: &Table) -> Result<BTreeMap<String, ReferencePrice>, DeriveError> {
    let argus_2024 = |commodity: &str| -> Result<(f64, String), DeriveError> {
        let row = table
            .rows
            .iter()
            .find(|row| {
                row.text("commodity") == commodity
                    && row.text("date") == "2024 avg"
                    && row.text("market").starts_with("FOB China")
            })
            .ok_or_else(|| data_error(&table.file, format!("no 2024 average for {commodity}")))?;
        Ok((
            row.number(table, "usd_per_kg_mid")?,
            row.text("source").to_owned(),
        ))
    };
    let round_cents = |value: f64| (value * 100.0).round() / 100.0;
    let (ndpr, ndpr_source) = argus_2024("NdPr oxide")?;
    let (dy, dy_source) = argus_2024("Dy2O3")?;
    let (tb, _) = argus_2024("Tb4O7")?;
    let (y, y_source) = argus_2024("Y2O3")?;
    let (la, la_source) = argus_2024("La2O3")?;
    let (ce, _) = argus_2024("CeO2")?;
    let (dy_t_per_month, tb_t_per_month) = (214.0, 40.8);
    let dytb = round_cents(
        (dy * dy_t_per_month + tb * tb_t_per_month) / (dy_t_per_month + tb_t_per_month),
    );
    let lace = round_cents((la + ce) / 2.0);
    let magnet_conversion_usd_per_kg = 23.0;
    let magnet =
        (MAGNET_NDPR_T_PER_T * ndpr + MAGNET_DYTB_T_PER_T * dytb + magnet_conversion_usd_per_kg)
            .round();
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
                "NdPr oxide, Argus FOB China 2024 average".to_owned(),
            ),
        ),
        (
            "DYTB".to_owned(),
            price(
                dytb,
                &dy_source,
                format!(
                    "Dy2O3 {dy} $/kg and Tb4O7 {tb} $/kg (Argus FOB China 2024 averages) weighted \
                     by China's 2024 output of 214 t Dy : 40.8 t Tb a month (SMM)"
                ),
            ),
        ),
        (
            "Y".to_owned(),
            price(
                y,
                &y_source,
                "Y2O3 99.999 %, Argus FOB China 2024 average".to_owned(),
            ),
        ),
        (
            "LACE".to_owned(),
            price(
                lace,
                &la_source,
                format!(
                    "mean of La2O3 {la} $/kg and CeO2 {ce} $/kg (Argus FOB China 2024 averages)"
                ),
            ),
        ),
        (
            MAGNETS.to_owned(),
            price(
                magnet,
                RAREFLOW_ESTIMATE,
                format!(
                    "ESTIMATE (no magnet price in the data): oxide content at 2024 prices plus \
                     {magnet_conversion_usd_per_kg} $/kg for metal making, sintering and machining"
                ),
            ),
        ),
    ]))
}

/// Short-run price elasticity and yearly growth by commodity (ESTIMATE), with the reason.
fn demand_assumptions(commodity: &str) -> (f64, f64, &'static str) {
    match commodity {
        "NDPR" => (
            0.3,
            0.03,
            "elasticity 0.3 (few substitutes outside magnets), growth 3 %/yr",
        ),
        "DYTB" => (
            0.15,
            0.03,
            "elasticity 0.15 (no substitute at the margin), growth 3 %/yr",
        ),
        "Y" => (
            0.2,
            0.03,
            "elasticity 0.2 (YSZ ceramics and coatings lack substitutes), growth 3 %/yr",
        ),
        "LACE" => (
            0.5,
            0.02,
            "elasticity 0.5 (substitutable in catalysts and polishing), growth 2 %/yr",
        ),
        _ => (
            0.25,
            0.07,
            "elasticity 0.25 (motor redesign takes years), growth 7 %/yr (EV, wind and \
             industrial-motor build-out)",
        ),
    }
}

fn demand(
    table: &Table,
    prices: &BTreeMap<String, ReferencePrice>,
) -> Result<Vec<Demand>, DeriveError> {
    let mut rows_out = Vec::new();
    let mut magnet_dytb: BTreeMap<String, f64> = BTreeMap::new();
    for row in &table.rows {
        let region = row.text("region").to_owned();
        let group = row.text("commodity_group");
        let t_reo = row.number(table, "demand_2024_t_reo")?;
        let (commodity, reference_t) = match (row.text("stage"), group) {
            ("oxide", _) => (group.to_owned(), t_reo),
            ("magnet", "NDPR") => (MAGNETS.to_owned(), t_reo / MAGNET_NDPR_T_PER_T),
            ("magnet", "DYTB") => {
                magnet_dytb.insert(region, t_reo);
                continue;
            }
            (stage, _) => {
                return Err(data_error(
                    &table.file,
                    format!("unexpected stage/group {stage}/{group}"),
                ));
            }
        };
        let price = prices.get(&commodity).ok_or_else(|| {
            data_error(&table.file, format!("no reference price for {commodity}"))
        })?;
        let (elasticity, growth_per_yr, why) = demand_assumptions(&commodity);
        let conversion = if commodity == MAGNETS {
            format!("NdPr for magnets {t_reo} t REO / {MAGNET_NDPR_T_PER_T} t per t NdFeB. ")
        } else {
            String::new()
        };
        rows_out.push(Demand {
            region,
            commodity,
            reference_t_per_yr: reference_t,
            reference_price_usd_per_kg: price.usd_per_kg,
            elasticity,
            growth_per_yr,
            source: format!("{} | price: {}", row.text("source"), price.source),
            notes: format!(
                "{conversion}End uses: {}. {}. Price: {}. Demand curve: {why} (ESTIMATE).",
                row.text("end_uses"),
                row.text("reasoning"),
                price.notes
            ),
        });
    }
    // Magnet Dy/Tb rows must be the recipe's share of the same magnets.
    for demand in rows_out.iter().filter(|d| d.commodity == MAGNETS) {
        let dytb = magnet_dytb.get(&demand.region).copied().unwrap_or(0.0);
        let expected = demand.reference_t_per_yr * MAGNET_DYTB_T_PER_T;
        if (dytb - expected).abs() > 0.01 * expected + 1.0 {
            return Err(data_error(
                &table.file,
                format!(
                    "{}: magnet Dy/Tb {dytb} t is not the recipe's {expected:.0} t",
                    demand.region
                ),
            ));
        }
    }
    Ok(rows_out)
}

/// Transport between countries (ESTIMATE): a container of 20 t from Shanghai to Rotterdam
/// cost about 2,000–4,000 US$ in 2024, i.e. 0.1–0.2 $/kg, plus handling and insurance.
fn trade_costs() -> TradeCosts {
    TradeCosts {
        border_usd_per_kg: 0.1,
        per_1000km_usd_per_kg: 0.01,
        domestic_usd_per_kg: 0.02,
        overrides: Vec::new(),
        source: format!(
            "{RAREFLOW_ESTIMATE}: 0.10 $/kg per border crossing (handling, insurance, customs) \
             plus 0.01 $/kg per 1,000 km between country centroids (container freight \
             2,000–4,000 US$ per 20 t Asia–Europe in 2024); 0.02 $/kg within a country"
        ),
    }
}

/// Non-China demand (t/yr) of an oxide: a proxy for China's exports of it.
fn demand_outside_china(demand: &[Demand], commodity: &str) -> f64 {
    demand
        .iter()
        .filter(|d| d.commodity == commodity && d.region != "CHN")
        .map(|d| d.reference_t_per_yr)
        .sum()
}

/// Policies for the events of `events.csv` that the model can express, all switched off.
///
/// Expressed: EV02 (Malaysia raw-ore ban), EV03 (Myanmar disruption), EV04 (China's 2024
/// mining quota), EV05 (China's licensing of heavy rare earths and magnets, as export
/// quotas), EV06 (MP halts concentrate to China), EV07 (India halts exports to Japan), EV09
/// (China's total-quantity control including imported ore), EV20 (Vietnam raw-ore ban),
/// EV26 (China's ban towards Japan), plus the US Section 301 tariff on magnets (2026) and
/// a JOGMEC stockpile, which are not in `events.csv`.
///
/// Covered by nodes with start years rather than policies: EV14, EV16–EV18, EV21–EV23,
/// EV27–EV31. Not expressible: EV01 and EV11/EV15 (technology controls and the 0.1 %
/// origin rule, which needs origin tracing as a constraint), EV08's price floor, EV10,
/// EV12, EV13, EV19, EV24, EV25, EV32 (agreements, finance or resources with no volumes).
pub fn policies(demand: &[Demand], prices: &BTreeMap<String, ReferencePrice>) -> Vec<Policy> {
    expressible_policies(demand, prices)
}

fn event_policy(
    id: &str,
    label: &str,
    event: Option<&str>,
    years: (i32, Option<i32>),
    kind: PolicyKind,
    source: &str,
    notes: &str,
) -> Policy {
    Policy {
        id: id.to_owned(),
        label: label.to_owned(),
        enabled: false,
        start_year: years.0,
        end_year: years.1,
        kind,
        event: event.map(str::to_owned),
        source: source.to_owned(),
        notes: notes.to_owned(),
    }
}

fn goods(commodities: &[&str], stages: &[Stage]) -> TradeGoods {
    TradeGoods {
        commodities: commodities.iter().map(|c| (*c).to_owned()).collect(),
        stages: stages.to_vec(),
    }
}

fn only(codes: &[&str]) -> Destinations {
    Destinations::Only(codes.iter().map(|c| (*c).to_owned()).collect())
}

/// China's 2024 magnet exports in t NdFeB (Adamas, `sources.csv` key `adamas_exp`).
const CHINA_MAGNET_EXPORTS_2024_T: f64 = 58_152.0;
/// China's magnet exports H1-2025 against H1-2024 (China customs, `events.csv` EV05).
const CHINA_MAGNET_EXPORTS_CHANGE_H1_2025: f64 = -0.189;
/// Indicative cut of China's Dy/Tb and Y exports under licensing (`events.csv` EV05, ESTIMATE).
const CHINA_HEAVY_EXPORTS_CHANGE_2025: f64 = -0.5;

fn expressible_policies(
    demand: &[Demand],
    prices: &BTreeMap<String, ReferencePrice>,
) -> Vec<Policy> {
    use Stage::{Magnet, Mine, Refinery};
    let licence_note = "Licensing is modelled as a cap on export tonnage; licences are \
                        granted case by case, so the cap is indicative.";
    let dytb_quota =
        (demand_outside_china(demand, "DYTB") * (1.0 + CHINA_HEAVY_EXPORTS_CHANGE_2025)).round();
    let y_quota =
        (demand_outside_china(demand, "Y") * (1.0 + CHINA_HEAVY_EXPORTS_CHANGE_2025)).round();
    let magnet_quota =
        (CHINA_MAGNET_EXPORTS_2024_T * (1.0 + CHINA_MAGNET_EXPORTS_CHANGE_H1_2025)).round();
    let japan_dytb_demand: f64 = demand
        .iter()
        .filter(|d| d.region == "JPN" && (d.commodity == "DYTB" || d.commodity == MAGNETS))
        .map(|d| {
            if d.commodity == MAGNETS {
                d.reference_t_per_yr * MAGNET_DYTB_T_PER_T
            } else {
                d.reference_t_per_yr
            }
        })
        .sum();
    let jogmec_stock_t = (japan_dytb_demand * 60.0 / 365.0).round();
    let dytb_price = prices.get("DYTB").map_or(0.0, |p| p.usd_per_kg);
    vec![
        event_policy(
            "my-raw-ore-ban",
            "Malaysia bans raw rare-earth exports",
            Some("EV02"),
            (2024, None),
            PolicyKind::ExportBan {
                exporter: "MYS".to_owned(),
                goods: goods(&[], &[Mine]),
                destinations: Destinations::All,
            },
            "Malaysia raw RE export moratorium effective 2024-01-01 (rareearthexchanges.com; Reuters)",
            "Moratorium on exports of raw (non-radioactive) rare earths; only processed rare earths may leave.",
        ),
        event_policy(
            "mmr-kachin-disruption",
            "Myanmar: Kachin conflict cuts mine output to 22 kt",
            Some("EV03"),
            (2025, None),
            PolicyKind::CapacityChange {
                node: "MINE-MMR-kachin_state_ionic".to_owned(),
                change: crate::model::CapacityChangeKind::SetTo(22_000.0),
            },
            "USGS Mineral Commodity Summaries 2026 v1.3, Rare Earths p.152-153: Burma 43,000 t \
             (2023), 27,000 t (2024), 22,000 t (2025e)",
            "The KIA took the Pangwa/Chipwi mining hub in October 2024; capacity is set to the \
             2025 output.",
        ),
        event_policy(
            "cn-mining-quota-2024",
            "China's 2024 mining quota: 270 kt REO",
            Some("EV04"),
            (2024, Some(2024)),
            PolicyKind::ProductionQuota {
                country: "CHN".to_owned(),
                stage: Mine,
                commodities: Vec::new(),
                max_t_per_yr: 270_000.0,
            },
            "MIIT 2024 quotas via Reuters/starfeu.com/?p=5920 (mining 270,000 t; smelting & \
             separation 254,000 t REO)",
            "The mine nodes' capacities already equal the quota. The separation quota (254 kt) \
             covered domestic ore only in 2024 and is not expressed; see \
             cn-total-quantity-control for 2025 on.",
        ),
        event_policy(
            "cn-licence-dytb",
            "China licenses Dy/Tb oxide exports (−50 %)",
            Some("EV05"),
            (2025, None),
            PolicyKind::ExportQuota {
                exporter: "CHN".to_owned(),
                goods: goods(&["DYTB"], &[Refinery]),
                destinations: Destinations::All,
                limit: QuotaLimit::Tonnes(dytb_quota),
            },
            "MOFCOM/GAC Announcement No.18 of 2025, 2025-04-04 (hklaw.com; osencmagnet.com translation)",
            &format!(
                "Cap = half of 2024 demand for Dy/Tb oxide outside China ({dytb_quota} t/yr), \
                 the indicative −50 % of events.csv (ESTIMATE). {licence_note}"
            ),
        ),
        event_policy(
            "cn-licence-y",
            "China licenses yttrium oxide exports (−50 %)",
            Some("EV05"),
            (2025, None),
            PolicyKind::ExportQuota {
                exporter: "CHN".to_owned(),
                goods: goods(&["Y"], &[Refinery]),
                destinations: Destinations::All,
                limit: QuotaLimit::Tonnes(y_quota),
            },
            "MOFCOM/GAC Announcement No.18 of 2025, 2025-04-04 (hklaw.com; osencmagnet.com translation)",
            &format!(
                "Cap = half of 2024 demand for yttrium oxide outside China ({y_quota} t/yr), \
                 the indicative −50 % of events.csv (ESTIMATE). {licence_note}"
            ),
        ),
        event_policy(
            "cn-licence-magnets",
            "China licenses exports of magnets containing Dy/Tb (−19 %)",
            Some("EV05"),
            (2025, None),
            PolicyKind::ExportQuota {
                exporter: "CHN".to_owned(),
                goods: goods(&[MAGNETS], &[Magnet]),
                destinations: Destinations::All,
                limit: QuotaLimit::Tonnes(magnet_quota),
            },
            "MOFCOM/GAC Announcement No.18 of 2025 | Adamas Intelligence: 58,152 t RE magnet \
             exports from China in 2024 | China GAC via Reuters: H1-2025 magnet exports −18.9 % y/y",
            &format!(
                "Cap = 2024 magnet exports ({CHINA_MAGNET_EXPORTS_2024_T} t) less the H1-2025 fall \
                 of 18.9 % = {magnet_quota} t NdFeB/yr. {licence_note}"
            ),
        ),
        event_policy(
            "us-concentrate-halt-china",
            "MP Materials stops shipping concentrate to China",
            Some("EV06"),
            (2025, None),
            PolicyKind::ExportBan {
                exporter: "USA".to_owned(),
                goods: goods(&[], &[Mine]),
                destinations: only(&["CHN"]),
            },
            "China GAC via Reuters; USGS MCS 2026: US ore/compound exports 37,500 t (2024) -> \
             14,000 t (2025); MP halted shipments in April 2025",
            "From April 2025; modelled for whole years from 2025.",
        ),
        event_policy(
            "in-exports-japan-halt",
            "India halts rare-earth exports to Japan",
            Some("EV07"),
            (2025, None),
            PolicyKind::ExportBan {
                exporter: "IND".to_owned(),
                goods: goods(&[], &[Refinery]),
                destinations: only(&["JPN"]),
            },
            "Reuters via evmagz.com/dqindia.com 2025-06: India asks IREL to suspend 2012 \
             Toyotsu export deal (>1,000 t to Japan in 2024; IREL 2,900 t)",
            "Announced June 2025; a bilateral agreement may delay it.",
        ),
        event_policy(
            "cn-total-quantity-control",
            "China caps separation including imported ore",
            Some("EV09"),
            (2025, None),
            PolicyKind::ProductionQuota {
                country: "CHN".to_owned(),
                stage: Refinery,
                commodities: Vec::new(),
                max_t_per_yr: 324_292.0,
            },
            "MIIT/NDRC/MNR interim measures on total quantity control of RE mining and \
             smelting/separation, incl. imported ore (anews.com.tr 2025-08-23, citing Global Times)",
            "No 2025 quota is published: the cap is China's 2024 separated output including \
             imported feed, 324,292 t REO (nodes.csv; ESTIMATE).",
        ),
        event_policy(
            "vn-raw-ore-ban",
            "Vietnam bans raw rare-earth ore exports",
            Some("EV20"),
            (2026, None),
            PolicyKind::ExportBan {
                exporter: "VNM".to_owned(),
                goods: goods(&[], &[Mine]),
                destinations: Destinations::All,
            },
            "seed002; CTIA 2025-12-12 (forward-rubber.com/en/news/46413.html): Vietnam amended \
             Geology & Minerals Law, raw RE ore export ban from 2026-01-01",
            "Only state-authorised firms may mine and process; raw ore may not be exported.",
        ),
        event_policy(
            "cn-japan-dual-use",
            "China stops Dy/Tb, Y and magnet exports to Japan",
            Some("EV26"),
            (2026, None),
            PolicyKind::ExportBan {
                exporter: "CHN".to_owned(),
                goods: goods(&["DYTB", "Y", MAGNETS], &[Refinery, Magnet]),
                destinations: only(&["JPN"]),
            },
            "MOFCOM Announcement No.1 of 2026 (2026-01-06): dual-use export ban to Japanese \
             military end use (geopolitechs.org; bairdmaritime.com)",
            "The announcement bans military end use; WSJ/Kyodo report a wider licence freeze for \
             Japanese buyers. This policy models the wider freeze, an upper bound.",
        ),
        event_policy(
            "us-magnet-tariff-2026",
            "US Section 301 tariff of 25 % on Chinese magnets",
            None,
            (2026, None),
            PolicyKind::ImportTariff {
                importer: "USA".to_owned(),
                goods: goods(&[MAGNETS], &[Magnet]),
                origins: only(&["CHN"]),
                rate: TariffRate::AdValorem(0.25),
            },
            USTR_SECTION_301,
            "Not in events.csv; added from the USTR decision.",
        ),
        event_policy(
            "jp-jogmec-stockpile",
            "Japan releases its Dy/Tb stockpile (60 days)",
            None,
            (2025, None),
            PolicyKind::Stockpile {
                holder: "JPN".to_owned(),
                commodity: "DYTB".to_owned(),
                initial_stock_t: jogmec_stock_t,
                release: ReleaseRule::PriceTrigger {
                    price_usd_per_kg: (dytb_price * 1.5).round(),
                    max_t_per_yr: jogmec_stock_t,
                },
                also_for: Vec::new(),
            },
            JOGMEC_STOCKPILE,
            &format!(
                "ESTIMATE: 60 days of Japan's 2024 Dy/Tb use ({japan_dytb_demand:.0} t/yr in \
                 oxide and magnets) = {jogmec_stock_t} t, released when the price exceeds 1.5× \
                 the 2024 reference. Actual volumes are not public."
            ),
        ),
    ]
}

/// A scenario file made from the baseline by switching measures on.
pub struct EventScenario {
    pub file_name: &'static str,
    pub scenario: Scenario,
}

/// The ready-made event scenarios: the baseline with the measures of one question on.
pub fn event_scenarios(baseline: &Scenario) -> Vec<EventScenario> {
    let china_licensing = ["cn-licence-dytb", "cn-licence-y", "cn-licence-magnets"];
    let in_force_2026 = [
        "my-raw-ore-ban",
        "mmr-kachin-disruption",
        "cn-licence-dytb",
        "cn-licence-y",
        "cn-licence-magnets",
        "us-concentrate-halt-china",
        "in-exports-japan-halt",
        "cn-total-quantity-control",
        "vn-raw-ore-ban",
        "cn-japan-dual-use",
        "us-magnet-tariff-2026",
    ];
    let western_buildout = [
        "cn-licence-dytb",
        "cn-licence-y",
        "cn-licence-magnets",
        "us-concentrate-halt-china",
        "us-magnet-tariff-2026",
    ];
    let make = |file_name: &'static str, name: &str, description: &str, switched_on: &[&str]| {
        let mut scenario = baseline.clone();
        scenario.meta.name = name.to_owned();
        scenario.meta.description = description.to_owned();
        scenario.meta.reference_note =
            "Compare with the built-in baseline (scenarios/baseline-2024.ron).".to_owned();
        for policy in &mut scenario.policies {
            policy.enabled = switched_on.contains(&policy.id.as_str());
        }
        EventScenario {
            file_name,
            scenario,
        }
    };
    vec![
        make(
            "china-heavy-ree-licensing-2025.ron",
            "China licenses heavy rare-earth exports (April 2025)",
            "China requires licences for exports of Sm, Gd, Tb, Dy, Lu, Sc and Y and of magnets \
             containing them (MOFCOM No.18, 2025-04-04). Who runs short of yttrium and Dy/Tb, \
             inside and outside China, and how hard are prices pushed?",
            &china_licensing,
        ),
        make(
            "vietnam-raw-ore-ban-2026.ron",
            "Vietnam bans raw-ore exports (2026)",
            "Vietnam's amended minerals law bans raw rare-earth ore exports from 2026-01-01. \
             Who loses concentrate feed?",
            &["vn-raw-ore-ban"],
        ),
        make(
            "india-japan-halt-2025.ron",
            "India halts rare-earth exports to Japan (2025)",
            "India asks IREL to suspend its export deal with Toyotsu (June 2025). How much does \
             Japan lose, and how much of its \"Indian\" supply started in Chinese mines?",
            &["in-exports-japan-halt"],
        ),
        make(
            "western-buildout-2028.ron",
            "Western build-out under Chinese licensing (to 2035)",
            "China's licensing of heavy rare earths and magnets stays; MP keeps its concentrate \
             at home and the US tariffs Chinese magnets. Western projects come on stream at \
             their announced years (Lynas Malaysia HRE 2026, Eneabba 2027, Vulcan 2027, MP 10X \
             and Nolans 2028, USA Rare Earth to 4,800 t/yr 2028, Serra Verde phase 2 2029, \
             White Mesa phase 2 2029, Lofdal 2030). When does the gap close? Round Top has no \
             published capacity: its node stays at 0 t/yr until you set one.",
            &western_buildout,
        ),
        make(
            "in-force-2026.ron",
            "Every measure in force in 2026",
            "Every trade measure and disruption in force in 2026: China's licensing and its \
             ban towards Japan, total-quantity control, the Malaysian and Vietnamese raw-ore \
             bans, MP's halt of concentrate to China, India's halt to Japan, Myanmar's lower \
             output and the US tariff on Chinese magnets.",
            &in_force_2026,
        ),
    ]
}

/// Derives every built-in scenario from `data_dir` and writes them to `out_dir`; returns
/// the paths written.
pub fn write_scenarios(data_dir: &Path, out_dir: &Path) -> Result<Vec<PathBuf>, DeriveError> {
    let baseline = derive_baseline(data_dir)?;
    let mut written = Vec::new();
    let path = out_dir.join(BASELINE_FILE_NAME);
    crate::io::save(&path, &baseline)?;
    written.push(path);
    for event in event_scenarios(&baseline) {
        let path = out_dir.join(event.file_name);
        crate::io::save(&path, &event.scenario)?;
        written.push(path);
    }
    Ok(written)
}

/// The baseline's file name in `scenarios/`.
pub const BASELINE_FILE_NAME: &str = "baseline-2024.ron";
