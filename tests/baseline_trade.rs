//! The calibrated 2024 baseline against the bilateral trade in the data
//! (`assets/data/trade_flows.csv`), within stated tolerances:
//!
//! - flows that a contract or captive chain holds (Mountain Pass → China, Mt Weld → Lynas
//!   Malaysia, Lynas → Japan, IREL → Japan): within 3 % (IREL's contracts cover its NdPr
//!   and La/Ce, 976 of the ">1,000 t" by India's output split; its few tonnes of Y and
//!   Dy/Tb trade freely);
//! - flows the market settles that the data observed (not marked as an estimate): within 35 %
//!   each. The widest is Lynas's NdPr into China, 31 % under the observed 3,261 t: the model
//!   sells 1,311 t of it to Vietnam's magnet makers next door, a route the data does not
//!   record;
//! - China's magnet exports as a whole (58,152 t, China customs): within 20 % (the model
//!   exports 67,000 t, 15 % more: `demand.csv` gives the regions outside China more magnet
//!   use than China's recorded exports and their own plants' output add up to).
//!
//! Rows the data itself estimates (destination shares of magnet exports, assumed
//! destinations) are printed beside the model (`cargo test --test baseline_trade --
//! --nocapture`) but not asserted: they are not observations.

use std::collections::BTreeSet;
use std::path::Path;

use rareflow::model::Stage;
use rareflow::solver::{Flow, SolverSettings, YearSolution, Years, calibrate, solve};

/// The data's rare-earth content of a tonne of magnets (`trade_flows.csv`: "x 0.25").
const REO_PER_T_MAGNET: f64 = 0.25;

/// One 2024 row of `trade_flows.csv` with a volume.
#[derive(Debug)]
struct Observed {
    from: String,
    to: String,
    group: String,
    form: String,
    t_reo: f64,
    estimate: bool,
}

fn observed_2024() -> Vec<Observed> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/data/trade_flows.csv");
    let mut reader = csv::Reader::from_path(&path).expect("trade_flows.csv opens");
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("trade_flows.csv has no column {name}"))
    };
    let (from, to, group, form, year, t_reo, estimate) = (
        column("from_iso3"),
        column("to_region"),
        column("commodity_group"),
        column("form"),
        column("year"),
        column("t_reo"),
        column("estimate"),
    );
    reader
        .records()
        .map(|record| record.expect("a readable row"))
        .filter(|row| &row[year] == "2024" && !row[t_reo].is_empty())
        .map(|row| Observed {
            from: row[from].to_owned(),
            to: row[to].to_owned(),
            group: row[group].to_owned(),
            form: row[form].to_owned(),
            t_reo: row[t_reo].parse().expect("t_reo is a number"),
            estimate: row[estimate].trim() == "yes",
        })
        .collect()
}

/// Whether the flow's destination is `to`: a region, or a country (Malaysia for Mt Weld ore).
fn arrives_in(flow: &Flow, to: &str) -> bool {
    flow.to.region == to || flow.to.country_code() == to
}

/// The model's tonnes (REO) on the observed row's route.
fn modelled_t_reo(year: &YearSolution, row: &Observed) -> f64 {
    let stage = match row.form.as_str() {
        "concentrate" => Stage::Mine,
        "oxide" => Stage::Refinery,
        "magnet" => Stage::Magnet,
        other => panic!("unknown form {other}"),
    };
    year.flows
        .iter()
        .filter(|f| f.stage == stage && f.from.country_code() == row.from)
        .filter(|f| f.to.country_code() != row.from && arrives_in(f, &row.to))
        .filter(|f| match (stage, row.group.as_str()) {
            (Stage::Refinery, "MIXED") => true,
            (Stage::Refinery, group) => f.commodity.as_deref() == Some(group),
            _ => true,
        })
        .map(|f| match stage {
            Stage::Magnet => f.t * REO_PER_T_MAGNET,
            _ => f.t,
        })
        .sum()
}

/// Routes a contract or captive chain in `assets/data/contracts.csv` holds in 2024.
fn contracted() -> BTreeSet<(&'static str, &'static str)> {
    [
        ("USA", "CHN"),
        ("AUS", "MYS"),
        ("MYS", "JPN"),
        ("IND", "JPN"),
    ]
    .into_iter()
    .collect()
}

#[test]
fn the_2024_baseline_reproduces_the_observed_bilateral_trade() {
    let scenario = rareflow::baseline().expect("loads");
    let settings = SolverSettings::default();
    let calibration = calibrate(&scenario, &settings).expect("calibrates");
    let solution =
        solve(&scenario, &calibration, Years::Only(2024), &settings, None).expect("solves");
    let year = solution.year(2024).expect("2024");
    let rows = observed_2024();
    assert!(rows.len() >= 15, "trade_flows.csv lost its 2024 rows");
    let contracted = contracted();
    let mut problems = Vec::new();
    println!("route                       observed t    model t   model/obs  kind");
    for row in &rows {
        let model = modelled_t_reo(year, row);
        let ratio = model / row.t_reo;
        let is_contracted = contracted.contains(&(row.from.as_str(), row.to.as_str()));
        let (kind, tolerance) = match (is_contracted, row.estimate) {
            (true, _) => ("contract (±3 %)", Some(0.03)),
            (false, false) => ("market (±35 %)", Some(0.35)),
            (false, true) => ("data's estimate (shown)", None),
        };
        let route = format!("{} {} {}→{}", row.form, row.group, row.from, row.to);
        println!(
            "{route:<26} {:>10.0} {model:>10.0} {ratio:>10.2}  {kind}",
            row.t_reo
        );
        if let Some(tolerance) = tolerance
            && (ratio - 1.0).abs() > tolerance
        {
            problems.push(format!(
                "{route}: model {model:.0} t against {:.0} t observed",
                row.t_reo
            ));
        }
    }
    let china_magnet_exports_t: f64 = year
        .flows
        .iter()
        .filter(|f| f.stage == Stage::Magnet && f.from.country_code() == "CHN")
        .filter(|f| f.to.region != "CHN")
        .map(|f| f.t)
        .sum();
    println!("China's magnet exports: model {china_magnet_exports_t:.0} t against 58,152 t");
    if (china_magnet_exports_t / 58_152.0 - 1.0).abs() > 0.20 {
        problems.push(format!(
            "China's magnet exports: model {china_magnet_exports_t:.0} t against 58,152 t"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
