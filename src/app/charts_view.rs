//! Charts (egui_plot): shortfall and price pressure by region for the chosen commodity and
//! year, and the price over the horizon, each with the reference scenario as a ghost.

use egui_plot::{Bar, BarChart, Corner, Legend, Line, Plot, PlotPoints};

use super::ViewCtx;
use super::commands::Command;
use super::palette;

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>, _commands: &mut Vec<Command>) {
    let commodity = view.prefs.commodity.as_str();
    let name = view.commodity_name(commodity);
    let Some(year) = view.year_solution() else {
        ui.label("Solving...");
        return;
    };
    let reference = view.reference_year();
    let regions: Vec<&str> = year
        .markets
        .iter()
        .filter(|m| m.commodity == commodity)
        .map(|m| m.region.as_str())
        .collect();
    let region_axis = regions.clone();
    let formatter = move |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        let index = mark.value.round();
        if (mark.value - index).abs() < 1e-6 && index >= 0.0 {
            region_axis
                .get(index as usize)
                .map_or_else(String::new, |r| (*r).to_owned())
        } else {
            String::new()
        }
    };
    let height = ((ui.available_height() - 90.0) / 3.0).max(160.0);

    ui.strong(format!(
        "{name}: shortfall in {}, % of demand at the reference price",
        view.year
    ));
    let shortfall_bars = |solution: Option<&crate::solver::YearSolution>,
                          offset: f64,
                          colour: egui::Color32|
     -> Vec<Bar> {
        regions
            .iter()
            .enumerate()
            .filter_map(|(index, region)| {
                let market = solution?.market(region, commodity)?;
                let share = if market.reference_t > 0.0 {
                    100.0 * market.shortfall_t / market.reference_t
                } else {
                    0.0
                };
                Some(
                    Bar::new(index as f64 + offset, share)
                        .width(0.38)
                        .name(*region)
                        .fill(colour),
                )
            })
            .collect()
    };
    Plot::new("shortfall")
        .height(height)
        .legend(Legend::default().position(Corner::LeftTop))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(5.0)
        .y_axis_label("%")
        .x_axis_formatter(formatter.clone())
        .show(ui, |plot| {
            let ghost = palette::REFERENCE.gamma_multiply(0.6);
            plot.bar_chart(
                BarChart::new("reference", shortfall_bars(reference, -0.2, ghost)).color(ghost),
            );
            plot.bar_chart(
                BarChart::new(
                    "this scenario",
                    shortfall_bars(Some(year), 0.2, palette::SCENARIO),
                )
                .color(palette::SCENARIO),
            );
        });

    ui.strong(format!(
        "{name}: price pressure in {} against the reference, %",
        view.year
    ));
    let pressure_bars: Vec<Bar> = regions
        .iter()
        .enumerate()
        .filter_map(|(index, region)| {
            let pressure = view.price_pressure(region, commodity)?;
            Some(
                Bar::new(index as f64, 100.0 * pressure)
                    .width(0.6)
                    .fill(palette::pressure(pressure))
                    .name(*region),
            )
        })
        .collect();
    Plot::new("pressure")
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(10.0)
        .y_axis_label("%")
        .x_axis_formatter(formatter)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("price pressure", pressure_bars))
        });

    let region = match view.selection {
        super::state::Selection::Country(iso3) => view
            .scenario
            .country(iso3)
            .map_or("JPN", |c| c.region.as_str()),
        _ => "JPN",
    };
    ui.strong(format!("{name}: price in {region} over the years, $/kg"));
    let series = |solution: &dyn Fn(i32) -> Option<f64>| -> Vec<[f64; 2]> {
        view.scenario
            .years()
            .filter_map(|y| Some([f64::from(y), solution(y)?]))
            .collect()
    };
    let current = series(&|y| {
        view.results
            .years
            .get(&y)?
            .market(region, commodity)
            .map(|m| m.price_usd_per_kg)
    });
    let baseline = series(&|y| {
        view.reference?
            .year(y)?
            .market(region, commodity)
            .map(|m| m.price_usd_per_kg)
    });
    Plot::new("price over time")
        .height(height)
        .legend(Legend::default().position(Corner::LeftTop))
        .include_y(0.0)
        .y_axis_label("$/kg")
        .show(ui, |plot| {
            plot.line(
                Line::new("reference", PlotPoints::from(baseline))
                    .color(palette::REFERENCE)
                    .width(2.0),
            );
            plot.line(
                Line::new("this scenario", PlotPoints::from(current))
                    .color(palette::SCENARIO)
                    .width(2.5),
            );
        });
}
