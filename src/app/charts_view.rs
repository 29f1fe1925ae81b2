//! Charts (egui_plot). Top: shortfall and price pressure by region for the chosen commodity
//! and year, the reference as a ghost. Bottom, over the horizon for one region: price,
//! shortfall and supply by mining country, with markers where switched-on policies and new
//! capacity start. Keys sit outside the plots (see [`super::chart_key`]); a slide leaves
//! out the buttons.

use egui_plot::{
    Bar, BarChart, GridMark, Line, LineStyle, Plot, PlotPoints, VLine, uniform_grid_spacer,
};

use super::chart_key::key_above;
use super::commands::Command;
use super::forms::FormRequest;
use super::palette;
use super::view_ctx::ViewCtx;
use crate::solver::YearSolution;

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    let commodity = view.prefs.commodity.as_str();
    let name = view.commodity_name(commodity);
    let Some(year) = view.year_solution() else {
        ui.label("Solving...");
        return;
    };
    let reference = view.reference_year();
    let regions: Vec<String> = year
        .markets
        .iter()
        .filter(|m| m.commodity == commodity)
        .map(|m| m.region.clone())
        .collect();
    // Full-width bar charts: every region needs room for its label.
    let height = ((ui.available_height() - 150.0) / 3.0).max(130.0);
    by_region_shortfall(ui, view, year, reference, &regions, &name, height);
    by_region_pressure(ui, view, &regions, &name, height);
    let region = if regions.contains(&view.prefs.chart_region) {
        view.prefs.chart_region.clone()
    } else {
        regions.first().cloned().unwrap_or_default()
    };
    if super::slide::controls_hidden(ui.ctx()) {
        ui.strong(format!(
            "{name} over the years in {}",
            view.region_name(&region)
        ));
    } else {
        region_buttons_ui(ui, view, &regions, &name, commands);
    }
    // One key for the markers and lines of both time series, in the colours drawn.
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        ui.colored_label(palette::SCENARIO, "\u{2014}\u{2014}");
        ui.weak("this scenario");
        ui.add_space(8.0);
        ui.colored_label(palette::REFERENCE, "\u{2014}\u{2014}");
        ui.weak("reference");
        ui.add_space(12.0);
        ui.colored_label(policy_marker_colour(), "- - -");
        ui.weak("a switched-on policy starts");
        ui.add_space(12.0);
        ui.colored_label(capacity_marker_colour(), "· · ·");
        ui.weak("new capacity starts");
    });
    ui.columns(4, |columns| {
        over_time(
            &mut columns[0],
            view,
            &region,
            commodity,
            height,
            Series::Price,
        );
        over_time(
            &mut columns[1],
            view,
            &region,
            commodity,
            height,
            Series::Shortfall,
        );
        supply_by_origin(&mut columns[2], view, &region, commodity, height);
        built_capacity(&mut columns[3], view, height);
    });
}

/// The region the time series follow, and buttons to edit its demand.
fn region_buttons_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    regions: &[String],
    name: &str,
    commands: &mut Vec<Command>,
) {
    let commodity = view.prefs.commodity.as_str();
    // Wrapped: eight region names in full are wider than the panel, and a row that
    // overflows widens the panel's content, which pushed the fourth chart off its edge.
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("{name} over the years in"));
        for region in regions {
            if ui
                .selectable_label(view.prefs.chart_region == *region, view.region_name(region))
                .clicked()
            {
                commands.push(Command::SetChartRegion(region.clone()));
            }
        }
    });
    ui.horizontal(|ui| {
        let region = view.prefs.chart_region.clone();
        if ui
            .button(format!("Demand in {}…", view.region_name(&region)))
            .on_hover_text("Reference quantity, price, growth and elasticities of this demand")
            .clicked()
        {
            commands.push(Command::OpenForm(FormRequest::Demand {
                region: region.clone(),
                commodity: commodity.to_owned(),
            }));
        }
        if ui
            .button("Add a demand shock…")
            .on_hover_text("A policy that multiplies this demand from a given year")
            .clicked()
        {
            commands.push(Command::OpenForm(FormRequest::NewDemandShock {
                region,
                commodity: commodity.to_owned(),
            }));
        }
    });
}

fn region_formatter(
    regions: &[String],
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String + '_ {
    move |mark, _| {
        let index = mark.value.round();
        if (mark.value - index).abs() < 1e-6 && index >= 0.0 {
            regions.get(index as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

fn by_region_shortfall(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    year: &YearSolution,
    reference: Option<&YearSolution>,
    regions: &[String],
    name: &str,
    height: f32,
) {
    let commodity = view.prefs.commodity.as_str();
    ui.strong(format!("{name}: shortfall in {}, % of demand", view.year))
        .on_hover_text(crate::report::SHORTFALL_MEANS);
    let bars = |solution: Option<&YearSolution>, offset: f64, colour: egui::Color32| -> Vec<Bar> {
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
                        .name(view.region_name(region))
                        .fill(colour),
                )
            })
            .collect()
    };
    let ghost = palette::REFERENCE.gamma_multiply(0.6);
    let tallest = [Some(year), reference]
        .into_iter()
        .flatten()
        .flat_map(|s| s.markets.iter().filter(|m| m.commodity == commodity))
        .map(|m| {
            if m.reference_t > 0.0 {
                100.0 * m.shortfall_t / m.reference_t
            } else {
                0.0
            }
        })
        .fold(5.0, f64::max);
    let key_height = key_above(
        ui,
        &[
            ("reference".to_owned(), ghost),
            ("this scenario".to_owned(), palette::SCENARIO),
        ],
    );
    Plot::new("shortfall")
        .height((height - key_height).max(80.0))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(tallest * 1.1)
        .y_axis_label("%")
        .x_axis_formatter(region_formatter(regions))
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("reference", bars(reference, -0.2, ghost)).color(ghost));
            plot.bar_chart(
                BarChart::new("this scenario", bars(Some(year), 0.2, palette::SCENARIO))
                    .color(palette::SCENARIO),
            );
        });
}

fn by_region_pressure(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    regions: &[String],
    name: &str,
    height: f32,
) {
    let commodity = view.prefs.commodity.as_str();
    ui.strong(format!("{name}: price pressure in {}, %", view.year));
    let bars: Vec<Bar> = regions
        .iter()
        .enumerate()
        .filter_map(|(index, region)| {
            let pressure = view.price_pressure(region, commodity)?;
            Some(
                Bar::new(index as f64, 100.0 * pressure)
                    .width(0.6)
                    .fill(palette::pressure(pressure))
                    .name(view.region_name(region)),
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
        .x_axis_formatter(region_formatter(regions))
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("price pressure", bars))
        });
}

#[derive(Clone, Copy)]
enum Series {
    Price,
    Shortfall,
}

/// Years where a switched-on policy starts, and years where new capacity starts.
fn markers(view: &ViewCtx<'_>) -> (Vec<i32>, Vec<i32>) {
    let meta = &view.scenario.meta;
    let mut policies: Vec<i32> = view
        .scenario
        .policies
        .iter()
        .filter(|p| p.enabled && p.start_year > meta.first_year && p.start_year <= meta.last_year)
        .map(|p| p.start_year)
        .collect();
    let mut capacity: Vec<i32> = view
        .scenario
        .nodes
        .iter()
        .filter_map(|n| n.start_year)
        .filter(|year| *year > meta.base_year && *year <= meta.last_year)
        .collect();
    for years in [&mut policies, &mut capacity] {
        years.sort_unstable();
        years.dedup();
    }
    (policies, capacity)
}

fn over_time(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    region: &str,
    commodity: &str,
    height: f32,
    series: Series,
) {
    let (title, unit) = match series {
        Series::Price => ("price", "$/kg"),
        Series::Shortfall => ("shortfall", "t"),
    };
    let heading = ui.strong(format!("{}: {title}, {unit}", view.region_name(region)));
    if let Series::Shortfall = series {
        heading.on_hover_text(crate::report::SHORTFALL_MEANS);
    }
    let value = |solution: Option<&YearSolution>| -> Option<f64> {
        let market = solution?.market(region, commodity)?;
        Some(match series {
            Series::Price => market.price_usd_per_kg,
            Series::Shortfall => market.shortfall_t,
        })
    };
    let points = |pick: &dyn Fn(i32) -> Option<f64>| -> Vec<[f64; 2]> {
        view.scenario
            .years()
            .filter_map(|y| Some([f64::from(y), pick(y)?]))
            .collect()
    };
    let current = points(&|y| value(view.results.years.get(&y)));
    let baseline = points(&|y| value(view.reference?.year(y)));
    let (policy_starts, capacity_starts) = markers(view);
    let tallest = current
        .iter()
        .chain(&baseline)
        .map(|p| p[1])
        .fold(0.0, f64::max);
    over_the_years_plot(("over time", title), height, unit)
        .include_y(tallest * 1.05)
        .show(ui, |plot| {
            for year in &policy_starts {
                plot.vline(
                    VLine::new("", f64::from(*year))
                        .color(policy_marker_colour())
                        .style(LineStyle::dashed_loose()),
                );
            }
            for year in &capacity_starts {
                plot.vline(
                    VLine::new("", f64::from(*year))
                        .color(capacity_marker_colour())
                        .style(LineStyle::dotted_dense()),
                );
            }
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

/// Consumption by mining country over the years: the five largest sources.
fn supply_by_origin(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    region: &str,
    commodity: &str,
    height: f32,
) {
    ui.strong(format!("{}: supply by origin, t", view.region_name(region)))
        .on_hover_text("Consumption by the country where it was mined: the five largest sources");
    // Source key → (name, tonnes over the horizon).
    let mut totals: std::collections::BTreeMap<&str, (&str, f64)> =
        std::collections::BTreeMap::new();
    for year in view.results.years.values() {
        if let Some(market) = year.market(region, commodity) {
            for share in &market.origin {
                totals
                    .entry(share.source.as_str())
                    .or_insert((share.name.as_str(), 0.0))
                    .1 += share.share * market.consumption_t;
            }
        }
    }
    let mut sources: Vec<(&str, (&str, f64))> = totals.into_iter().collect();
    sources.sort_by(|a, b| b.1.1.total_cmp(&a.1.1));
    sources.truncate(5);
    let series: Vec<(String, Vec<[f64; 2]>)> = sources
        .iter()
        .map(|(source, (name, _))| {
            let points: Vec<[f64; 2]> = view
                .results
                .years
                .iter()
                .filter_map(|(year, solution)| {
                    let market = solution.market(region, commodity)?;
                    let share = market
                        .origin
                        .iter()
                        .find(|o| o.source == *source)
                        .map_or(0.0, |o| o.share);
                    Some([f64::from(*year), share * market.consumption_t])
                })
                .collect();
            ((*name).to_owned(), points)
        })
        .collect();
    let entries: Vec<(String, egui::Color32)> = series
        .iter()
        .map(|(name, _)| name.clone())
        .zip(palette::CATEGORICAL)
        .collect();
    // Shorter by the key's height, so its bottom lines up with the plots beside it.
    let key_height = key_above(ui, &entries);
    over_the_years_plot("supply by origin", (height - key_height).max(80.0), "t").show(
        ui,
        |plot| {
            for ((name, points), colour) in series.into_iter().zip(palette::CATEGORICAL) {
                plot.line(
                    Line::new(name, PlotPoints::from(points))
                        .color(colour)
                        .width(2.0),
                );
            }
        },
    );
}

fn policy_marker_colour() -> egui::Color32 {
    palette::pressure(3.0)
}

/// World capacity built by investors over the horizon, by stage: this scenario's as lines,
/// the reference's dashed.
fn built_capacity(ui: &mut egui::Ui, view: &ViewCtx<'_>, height: f32) {
    ui.strong("World: built by investors, kt/yr").on_hover_text(
        "New mines, separation circuits and magnet plants that pay their annualised capital \
         cost at the year's prices, after their lead time (mines and separation in t REO, \
         magnets in t NdFeB)",
    );
    let stages = [
        (crate::model::Stage::Mine, "mines"),
        (crate::model::Stage::Refinery, "separation"),
        (crate::model::Stage::Magnet, "magnets"),
    ];
    let built = |solution: &YearSolution, stage| -> f64 {
        solution
            .expansions
            .iter()
            .filter(|e| e.stage == stage)
            .map(|e| e.capacity_t_per_yr)
            .sum::<f64>()
            / 1000.0
    };
    let mut entries: Vec<(String, egui::Color32)> = stages
        .iter()
        .map(|(stage, label)| ((*label).to_owned(), palette::stage(*stage)))
        .collect();
    if view.reference.is_some() {
        entries.push(("dashed: reference".to_owned(), palette::REFERENCE));
    }
    let key_height = key_above(ui, &entries);
    over_the_years_plot("built capacity", (height - key_height).max(80.0), "kt/yr").show(
        ui,
        |plot| {
            for (stage, label) in stages {
                let colour = palette::stage(stage);
                let current: Vec<[f64; 2]> = view
                    .results
                    .years
                    .iter()
                    .map(|(year, solution)| [f64::from(*year), built(solution, stage)])
                    .collect();
                plot.line(
                    Line::new(label, PlotPoints::from(current))
                        .color(colour)
                        .width(2.5),
                );
                if let Some(reference) = view.reference {
                    let points: Vec<[f64; 2]> = reference
                        .years
                        .iter()
                        .map(|y| [f64::from(y.year), built(y, stage)])
                        .collect();
                    plot.line(
                        Line::new("", PlotPoints::from(points))
                            .color(colour.gamma_multiply(0.6))
                            .style(LineStyle::dashed_loose())
                            .width(1.5),
                    );
                }
            }
        },
    );
}

fn capacity_marker_colour() -> egui::Color32 {
    palette::stage(crate::model::Stage::Refinery)
}

/// A plot over the horizon, from zero up, with its unit on the y axis. Grid lines every year,
/// thicker every five and ten, so the narrow plots are labelled in whole years rather than
/// one lone tick.
fn over_the_years_plot<'a>(id: impl egui::AsIdSalt, height: f32, unit: &str) -> Plot<'a> {
    Plot::new(id)
        .height(height)
        .include_y(0.0)
        .x_grid_spacer(uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .x_axis_formatter(|mark: GridMark, _range: &std::ops::RangeInclusive<f64>| {
            if mark.value.fract().abs() < 1e-9 {
                format!("{:.0}", mark.value)
            } else {
                String::new()
            }
        })
        .y_axis_label(unit)
}
