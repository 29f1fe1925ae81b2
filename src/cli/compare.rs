//! `rareflow compare`: the markets' changes ([`crate::report::compare_text`]) and, after
//! them, who is hurt: the plants whose input, output or feed by origin changed most, and
//! the routes lost, new or changed ([`crate::plant_compare`]).

use std::fmt::Write as _;
use std::path::Path;

use super::{CliError, open, solve_file};
use crate::plant_compare::{PlantChange, PlantComparison, RouteChange};
use crate::solver::{Endpoint, Solution};
use crate::units;

/// Output formats of `rareflow compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Table,
    Json,
}

/// The report of `rareflow compare`: markets, then the `plants_shown` plants and routes
/// that changed most, year by year.
pub fn compare_report(
    base: &Path,
    other: &Path,
    year: Option<i32>,
    plants_shown: usize,
    format: CompareFormat,
) -> Result<String, CliError> {
    let base_solution = solve_file(base, year)?;
    let other_solution = solve_file(other, year)?;
    let other_scenario = open(other)?;
    let comparisons: Vec<PlantComparison> = other_solution
        .years
        .iter()
        .filter_map(|now| {
            let before = base_solution.year(now.year)?;
            Some(PlantComparison::new(before, now, &other_scenario))
        })
        .collect();
    Ok(match format {
        CompareFormat::Table => {
            let mut out = crate::report::compare_text(&base_solution, &other_solution);
            for comparison in &comparisons {
                out += &plants_text(comparison, plants_shown);
            }
            out
        }
        CompareFormat::Json => {
            plants_json(&base_solution, &other_solution, &comparisons, plants_shown) + "\n"
        }
    })
}

/// "880 → 592".
fn before_after(before: f64, after: f64) -> String {
    format!("{} → {}", units::tonnes(before), units::tonnes(after))
}

/// "Vietnam -288 t, Australia +120 t": the two biggest changes of a plant's feed by origin.
fn origin_changes_text(plant: &PlantChange) -> String {
    plant
        .origins
        .iter()
        .filter(|origin| origin.change_t().abs() >= crate::plant_compare::NEGLIGIBLE_T)
        .take(2)
        .map(|origin| format!("{} {:+.0} t", origin.name, origin.change_t()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn endpoint_text(end: &Endpoint) -> &str {
    &end.name
}

fn route_goods(route: &RouteChange) -> String {
    match &route.commodity {
        Some(commodity) => format!("{} {commodity}", route.stage.label()),
        None => "concentrate".to_owned(),
    }
}

/// One year's plant table and changed routes, largest change first, `shown` of each.
pub fn plants_text(comparison: &PlantComparison, shown: usize) -> String {
    let mut out = String::new();
    let changed: Vec<&PlantChange> = comparison.changed_plants().collect();
    let _ = writeln!(
        out,
        "  {} — plants, largest change first ({} of {} changed; t/yr)",
        comparison.year,
        changed.len().min(shown),
        changed.len()
    );
    if changed.is_empty() {
        let _ = writeln!(
            out,
            "  no plant's input, output or feed changed by 0.5 t or more"
        );
    } else {
        let _ = writeln!(
            out,
            "  {:<44} {:<14} {:>19} {:>19} {:>11}  biggest feed changes by origin",
            "plant", "country", "input", "output", "used %"
        );
    }
    for plant in changed.iter().take(shown) {
        let _ = writeln!(
            out,
            "  {:<44} {:<14} {:>19} {:>19} {:>11}  {}",
            truncate(&plant.name, 44),
            truncate(&plant.country_name, 14),
            before_after(plant.input_reference_t, plant.input_scenario_t),
            before_after(plant.output_reference_t, plant.output_scenario_t),
            format!(
                "{:.0} → {:.0}",
                plant.utilisation_reference * 100.0,
                plant.utilisation_scenario * 100.0
            ),
            origin_changes_text(plant)
        );
    }
    let routes: Vec<&RouteChange> = comparison.changed_routes().collect();
    if !routes.is_empty() {
        let _ = writeln!(
            out,
            "\n  {} — routes, largest change first ({} of {})",
            comparison.year,
            routes.len().min(shown),
            routes.len()
        );
    }
    for route in routes.iter().take(shown) {
        let _ = writeln!(
            out,
            "  {:<8} {:>19} ({:+.0})  {} → {}, {}",
            route.fate().label(),
            before_after(route.reference_t, route.scenario_t),
            route.change_t(),
            endpoint_text(&route.from),
            endpoint_text(&route.to),
            route_goods(route)
        );
    }
    let _ = writeln!(out);
    out
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(chars - 1).collect();
        cut.push('…');
        cut
    }
}

fn plant_json(plant: &PlantChange) -> serde_json::Value {
    serde_json::json!({
        "node": plant.node,
        "name": plant.name,
        "country": plant.country,
        "country_name": plant.country_name,
        "region": plant.region,
        "stage": plant.stage,
        "input_reference_t": plant.input_reference_t,
        "input_scenario_t": plant.input_scenario_t,
        "output_reference_t": plant.output_reference_t,
        "output_scenario_t": plant.output_scenario_t,
        "utilisation_reference": plant.utilisation_reference,
        "utilisation_scenario": plant.utilisation_scenario,
        "change_size_t": plant.change_size_t(),
        "origins": plant.origins.iter().map(|origin| serde_json::json!({
            "source": origin.source,
            "name": origin.name,
            "reference_t": origin.reference_t,
            "scenario_t": origin.scenario_t,
            "change_t": origin.change_t(),
        })).collect::<Vec<_>>(),
    })
}

fn route_json(route: &RouteChange) -> serde_json::Value {
    serde_json::json!({
        "stage": route.stage,
        "commodity": route.commodity,
        "from": route.from,
        "to": route.to,
        "reference_t": route.reference_t,
        "scenario_t": route.scenario_t,
        "change_t": route.change_t(),
        "fate": route.fate().label(),
    })
}

/// The plants and routes that changed most, year by year, as JSON.
fn plants_json(
    base: &Solution,
    other: &Solution,
    comparisons: &[PlantComparison],
    shown: usize,
) -> String {
    let years: Vec<serde_json::Value> = comparisons
        .iter()
        .map(|comparison| {
            serde_json::json!({
                "year": comparison.year,
                "plants": comparison.changed_plants().take(shown).map(plant_json)
                    .collect::<Vec<_>>(),
                "routes": comparison.changed_routes().take(shown).map(route_json)
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let record = serde_json::json!({
        "reference": base.scenario,
        "scenario": other.scenario,
        "years": years,
    });
    serde_json::to_string_pretty(&record).unwrap_or_default()
}
