//! The app's state in three homes: [`UiPrefs`] persist between runs (eframe storage),
//! [`Selection`] and the view state live for the session, and the solve results live in
//! the [`crate::solve_session`]. None of them is part of the document.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The centre views.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    #[default]
    Map,
    Flows,
    Charts,
    Table,
    Compare,
    /// The model against observed outcomes (not of the open scenario: of the shipped
    /// episodes).
    Backtest,
    /// How sure are we: sweeps over the scenario's ranges, fan charts, tornado.
    Uncertainty,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Map,
        Tab::Flows,
        Tab::Charts,
        Tab::Table,
        Tab::Compare,
        Tab::Backtest,
        Tab::Uncertainty,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Map => "Map",
            Tab::Flows => "Flows",
            Tab::Charts => "Charts",
            Tab::Table => "Table",
            Tab::Compare => "Compare",
            Tab::Backtest => "Backtest",
            Tab::Uncertainty => "Uncertainty",
        }
    }
}

/// What the map colours countries by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapMetric {
    #[default]
    PricePressure,
    Shortfall,
}

/// Preferences kept between runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct UiPrefs {
    pub recent_files: Vec<PathBuf>,
    pub tab: Tab,
    pub dark_mode: bool,
    pub commodity: String,
    pub map_metric: MapMetric,
    /// The region the time-series charts follow.
    pub chart_region: String,
}

impl Default for UiPrefs {
    fn default() -> Self {
        Self {
            recent_files: Vec::new(),
            tab: Tab::Map,
            dark_mode: true,
            commodity: "NDFEB".to_owned(),
            map_metric: MapMetric::PricePressure,
            chart_region: "JPN".to_owned(),
        }
    }
}

/// Recent files kept in the menu.
const RECENT_FILES: usize = 8;

impl UiPrefs {
    /// The egui theme of the chosen mode.
    pub fn theme(&self) -> egui::Theme {
        if self.dark_mode {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        }
    }

    pub fn remember(&mut self, path: PathBuf) {
        self.recent_files.retain(|p| *p != path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(RECENT_FILES);
    }
}

/// What the inspector shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    #[default]
    Nothing,
    Node(String),
    Country(String),
    Policy(String),
}
