//! The desktop app (feature `gui`).
//!
//! For now a plain window that shows the open scenario's supply summary; the full editor
//! (map, flows, charts, inspector) follows in later work.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::model::{Scenario, Stage};
use crate::summary::Summary;
use crate::units;

/// Opens the window on `file`, or on the built-in baseline.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let loaded = match &file {
        Some(path) => crate::io::load(path),
        None => crate::baseline(),
    };
    let scenario = match loaded {
        Ok(scenario) => scenario,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let title = match &file {
        Some(path) => format!("rareflow — {}", path.display()),
        None => format!("rareflow — {} (built-in)", scenario.meta.name),
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "rareflow",
        options,
        Box::new(|_creation| Ok(Box::new(App::new(scenario)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rareflow could not open its window: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The application state.
pub struct App {
    scenario: Scenario,
    summary: Summary,
}

impl App {
    pub fn new(scenario: Scenario) -> Self {
        let summary = Summary::new(&scenario, scenario.meta.base_year);
        Self { scenario, summary }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(&self.scenario.meta.name);
            ui.label(&self.scenario.meta.description);
            ui.add_space(8.0);
            ui.label(crate::cli::china_shares_line(&self.summary));
            ui.add_space(8.0);
            egui::ScrollArea::vertical().show(ui, |ui| {
                for stage in Stage::ALL {
                    stage_table_ui(ui, &self.scenario, &self.summary, stage);
                }
            });
        });
    }
}

fn stage_table_ui(ui: &mut egui::Ui, scenario: &Scenario, summary: &Summary, stage: Stage) {
    let unit = if stage == Stage::Magnet {
        "t NdFeB/yr"
    } else {
        "t REO/yr"
    };
    ui.strong(format!("{} ({unit}), {}", stage.label(), summary.year));
    egui::Grid::new(("stage", stage as u8))
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            ui.label("country");
            ui.label("capacity");
            ui.label("output");
            ui.end_row();
            for country in summary.countries(stage) {
                let amounts = summary.total(stage, Some(&country), None);
                let name = scenario
                    .country(&country)
                    .map_or(country.as_str(), |c| c.name.as_str());
                ui.label(name);
                ui.label(units::tonnes_short(amounts.capacity_t_per_yr));
                ui.label(units::tonnes_short(amounts.output_t));
                ui.end_row();
            }
        });
    ui.add_space(12.0);
}
