//! `rareflow tornado`: each uncertain input swung alone across its range, the inputs
//! ranked by how far they move one output, as a table or JSON.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::CliError;
use super::ranges::draw_text;
use super::sweep::open_ranged;
use crate::solver::{SolverSettings, calibrate};
use crate::uncertainty::{Measure, OutputKey, Tornado, tornado};

/// Reads an output key: `price:JPN:DYTB:2027`, `shortfall:EUR:NDFEB:2026` or
/// `welfare:2030`; the measure may also be written as in `quantiles.csv`
/// (`price_usd_per_kg`, `shortfall_share`, `welfare_musd`).
pub fn parse_output_key(text: &str) -> Result<OutputKey, String> {
    let fields: Vec<&str> = text.split(':').map(str::trim).collect();
    let measure = match fields[0] {
        "price" | "price_usd_per_kg" => Measure::Price,
        "shortfall" | "shortfall_share" => Measure::ShortfallShare,
        "welfare" | "welfare_musd" => Measure::Welfare,
        other => {
            return Err(format!(
                "unknown measure \"{other}\": price, shortfall or welfare"
            ));
        }
    };
    let (region, commodity, year) = match (measure, fields.as_slice()) {
        (Measure::Welfare, [_, year]) => ("", "", *year),
        (Measure::Welfare, _) => return Err("write welfare as welfare:YEAR".to_owned()),
        (_, [_, region, commodity, year]) => (*region, *commodity, *year),
        _ => {
            return Err(format!(
                "write the output as {}:REGION:COMMODITY:YEAR, e.g. price:JPN:DYTB:2027",
                fields[0]
            ));
        }
    };
    let year = year
        .parse::<i32>()
        .map_err(|_| format!("\"{year}\" is not a year"))?;
    Ok(OutputKey {
        measure,
        year,
        region: region.to_owned(),
        commodity: commodity.to_owned(),
    })
}

/// The unit an output is in.
fn unit(measure: Measure) -> &'static str {
    match measure {
        Measure::Price => "US$/kg",
        Measure::ShortfallShare => "share of demand",
        Measure::Welfare => "M US$",
    }
}

/// The report of `rareflow tornado FILE --output KEY [--default-ranges] [--json]`.
pub fn tornado_report(
    file: &Path,
    output: &str,
    default_ranges: bool,
    json: bool,
) -> Result<String, CliError> {
    let key = parse_output_key(output).map_err(CliError::Sweep)?;
    let scenario = open_ranged(file, default_ranges)?;
    if !scenario.years().contains(&key.year) {
        return Err(CliError::YearOutsideHorizon {
            year: key.year,
            first_year: scenario.meta.first_year,
            last_year: scenario.meta.last_year,
        });
    }
    let settings = SolverSettings::default();
    let calibration = calibrate(&scenario, &settings)?;
    let cancel = AtomicBool::new(false);
    let chart = tornado(&scenario, &calibration, &settings, &key, &cancel)?;
    Ok(if json {
        to_json(&chart) + "\n"
    } else {
        to_table(&chart)
    })
}

fn describe(key: &OutputKey) -> String {
    match key.measure {
        Measure::Welfare => format!("welfare in {}", key.year),
        Measure::Price => format!("{} price in {} in {}", key.commodity, key.region, key.year),
        Measure::ShortfallShare => format!(
            "{} shortfall share in {} in {}",
            key.commodity, key.region, key.year
        ),
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "failed".to_owned(), |v| format!("{v:.4}"))
}

/// The bars as a table, the widest swing first.
pub fn to_table(chart: &Tornado) -> String {
    let unit = unit(chart.output.measure);
    let mut out = format!(
        "Tornado of {} ({unit}): {:.4} with every input at its scenario value; each input \
         alone at its 5 % (low) and 95 % (high) points\n",
        describe(&chart.output),
        chart.unperturbed
    );
    let _ = writeln!(
        out,
        "{:>4}  {:<44} {:>8} {:>8} {:>14} {:>14} {:>12}  unit",
        "rank", "input", "low", "high", "output at low", "output at high", "swing"
    );
    for (rank, bar) in chart.bars.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>4}  {:<44} {:>8} {:>8} {:>14} {:>14} {:>12.4}  {unit}",
            rank + 1,
            bar.input,
            draw_text(bar.low_draw),
            draw_text(bar.high_draw),
            number(bar.output_at_low),
            number(bar.output_at_high),
            bar.swing(),
        );
    }
    out
}

/// The bars as JSON: the output, its unit and unperturbed value, and the bars in rank
/// order (an end that did not solve is `null`).
pub fn to_json(chart: &Tornado) -> String {
    let bars: Vec<serde_json::Value> = chart
        .bars
        .iter()
        .map(|bar| {
            serde_json::json!({
                "input": bar.input,
                "label": bar.label,
                "low": bar.low_draw.as_number(),
                "high": bar.high_draw.as_number(),
                "output_at_low": bar.output_at_low,
                "output_at_high": bar.output_at_high,
                "swing": bar.swing(),
            })
        })
        .collect();
    let value = serde_json::json!({
        "output": {
            "measure": chart.output.measure.name(),
            "region": chart.output.region,
            "commodity": chart.output.commodity,
            "year": chart.output.year,
        },
        "unit": unit(chart.output.measure),
        "unperturbed": chart.unperturbed,
        "bars": bars,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
