//! `rareflow summary`: capacity and reported output by stage, country and commodity.

use std::fmt::Write as _;

use crate::model::{Scenario, Stage};
use crate::summary::Summary;
use crate::units;

/// A stage's heading with its unit, e.g. "Mining (t REO/yr)".
pub fn stage_heading(stage: Stage) -> &'static str {
    match stage {
        Stage::Mine => "Mining (t REO/yr)",
        Stage::Refinery => "Separation, incl. secondary supply (t REO/yr)",
        Stage::Magnet => "Magnet making (t NdFeB/yr)",
    }
}

/// The report of `rareflow summary`.
pub fn summary_report(scenario: &Scenario, year: i32) -> String {
    let summary = Summary::new(scenario, year);
    let output_heading = if summary.has_output {
        format!("output {year}")
    } else {
        "output".to_owned()
    };
    let output_cell = |t: f64| {
        if summary.has_output {
            units::tonnes(t)
        } else {
            "-".to_owned()
        }
    };
    let country_name = |iso3: &str| scenario.country_name(iso3);
    let commodity_name = |id: &str| scenario.commodity_name(id);
    let commodity_short = |id: &str| commodity_short(scenario, id);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — supply in {year}\nCapacity follows start years, ramps and switched-on capacity \
         policies; output is as reported in the data (not a model result).\n",
        scenario.meta.name
    );
    for stage in Stage::ALL {
        let commodities = summary.commodities(stage);
        let _ = writeln!(out, "{}", stage_heading(stage));
        let _ = writeln!(
            out,
            "  {:<28} {:>12} {:>12}",
            "commodity", "capacity", output_heading
        );
        for commodity in &commodities {
            let amounts = summary.total(stage, None, Some(commodity));
            let _ = writeln!(
                out,
                "  {:<28} {:>12} {:>12}",
                commodity_name(commodity),
                units::tonnes(amounts.capacity_t_per_yr),
                output_cell(amounts.output_t),
            );
        }
        let total = summary.total(stage, None, None);
        let _ = writeln!(
            out,
            "  {:<28} {:>12} {:>12}",
            "all",
            units::tonnes(total.capacity_t_per_yr),
            output_cell(total.output_t),
        );
        let _ = write!(
            out,
            "\n  {:<28} {:>12} {:>12}",
            "country", "capacity", output_heading
        );
        if commodities.len() > 1 {
            for commodity in &commodities {
                let _ = write!(
                    out,
                    " {:>12}",
                    format!("{} out", commodity_short(commodity))
                );
            }
        }
        let _ = writeln!(out);
        for country in summary.countries(stage) {
            let amounts = summary.total(stage, Some(&country), None);
            let _ = write!(
                out,
                "  {:<28} {:>12} {:>12}",
                country_name(&country),
                units::tonnes(amounts.capacity_t_per_yr),
                output_cell(amounts.output_t),
            );
            if commodities.len() > 1 {
                for commodity in &commodities {
                    let cell = summary.total(stage, Some(&country), Some(commodity));
                    let _ = write!(out, " {:>12}", output_cell(cell.output_t));
                }
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(out);
    }
    if summary.has_output {
        let _ = writeln!(out, "{}", china_shares_line(scenario, &summary));
    }
    out
}

/// A commodity over a column or in a list: the first word of its name, "NdPr".
fn commodity_short(scenario: &Scenario, id: &str) -> String {
    let name = scenario.commodity_name(id);
    name.split_whitespace().next().unwrap_or(id).to_owned()
}

/// "China's shares of 2024 output: mining 70.3 %, separation 93.6 % (...), magnets 94.6 %".
pub fn china_shares_line(scenario: &Scenario, summary: &Summary) -> String {
    let share = |stage, commodity| {
        summary
            .output_share(stage, "CHN", commodity)
            .map_or_else(|| "-".to_owned(), units::percent)
    };
    let oxides = summary.commodities(Stage::Refinery);
    let by_oxide: Vec<String> = oxides
        .iter()
        .map(|commodity| {
            format!(
                "{} {}",
                commodity_short(scenario, commodity),
                share(Stage::Refinery, Some(commodity.as_str()))
            )
        })
        .collect();
    format!(
        "China's shares of {} output: mining {}, separation {} ({}), magnets {}",
        summary.year,
        share(Stage::Mine, None),
        share(Stage::Refinery, None),
        by_oxide.join(", "),
        share(Stage::Magnet, None),
    )
}
