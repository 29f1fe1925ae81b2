//! Every user action is a [`Command`]: menus, keyboard shortcuts, panels and tests all
//! emit commands, and `command_handling.rs` carries them out in one place.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::state::{Selection, Tab};
use crate::model::Edit;

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start from the built-in baseline (asks first if there are unsaved changes).
    NewScenario,
    /// Choose a file to open.
    Open,
    OpenPath(PathBuf),
    Save,
    /// Choose where to save.
    SaveAs,
    SaveAsPath(PathBuf),
    /// Choose a folder for the results as CSV files (markets, flows, nodes, origins, years).
    ExportCsv,
    ExportCsvPath(PathBuf),
    /// Choose where to write the results as an XLSX workbook.
    ExportXlsx,
    ExportXlsxPath(PathBuf),
    /// Choose a CSV folder (`xlsx: false`) or a workbook of scenario tables to import.
    ImportTables {
        xlsx: bool,
    },
    /// Read the tables and show what importing them would change.
    ImportTablesFrom(crate::scenario_tables::TablesLocation),
    /// Merge the previewed tables into the scenario (one undo step).
    ApplyImport,
    CancelImport,
    /// Choose where to write the scenario's tables (CSV folder or workbook).
    ExportScenarioTables {
        xlsx: bool,
    },
    ExportScenarioTablesTo(crate::scenario_tables::TablesLocation),
    /// Choose where to write the view on screen as a 1920 × 1080 slide (PNG).
    ExportPng,
    /// The same at 3840 × 2160.
    ExportPng2x,
    ExportPngPath(PathBuf),
    /// Open the "Export deck" window: a slide per view for chosen years.
    ExportDeck,
    ExportDeckTo(super::deck_dialog::DeckRequest),
    Undo,
    Redo,
    /// Change the scenario; `merge` joins a running slider drag's undo step.
    Apply {
        edit: Edit,
        merge: bool,
    },
    SetYear(i32),
    /// Move the year on screen by this many years (arrow keys, timeline).
    StepYear(i32),
    /// Play the horizon year by year, or pause.
    TogglePlay,
    /// Full screen, large text, editors hidden: for meetings.
    TogglePresentation,
    Select(Selection),
    SetTab(Tab),
    SetCommodity(String),
    SetMapMetric(super::state::MapMetric),
    SetChartRegion(String),
    /// Compare against this reference from now on.
    SetReference(ReferenceChoice),
    /// Choose a scenario file as the reference.
    ChooseReferenceFile,
    ToggleTheme,
    ShowAbout,
    /// Open a form that builds a what-if (a node, a policy, demand, the scenario's name).
    OpenForm(super::forms::FormRequest),
    Quit,
}

/// What to compare the open scenario with.
#[derive(Clone, Debug, PartialEq)]
pub enum ReferenceChoice {
    /// The built-in 2024 baseline (the default).
    BuiltIn,
    /// The open scenario as it is now, so later edits show as changes.
    Snapshot,
    File(PathBuf),
}

/// Commands with a keyboard shortcut, and the shortcut.
pub const SHORTCUTS: &[(KeyboardShortcut, ShortcutCommand)] = &[
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::N),
        ShortcutCommand::NewScenario,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::O),
        ShortcutCommand::Open,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S),
        ShortcutCommand::SaveAs,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::S),
        ShortcutCommand::Save,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z),
        ShortcutCommand::Redo,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::Z),
        ShortcutCommand::Undo,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::Y),
        ShortcutCommand::Redo,
    ),
];

/// The commands that have shortcuts (plain values, so the table can be a constant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShortcutCommand {
    NewScenario,
    Open,
    Save,
    SaveAs,
    Undo,
    Redo,
}

impl ShortcutCommand {
    pub fn command(self) -> Command {
        match self {
            ShortcutCommand::NewScenario => Command::NewScenario,
            ShortcutCommand::Open => Command::Open,
            ShortcutCommand::Save => Command::Save,
            ShortcutCommand::SaveAs => Command::SaveAs,
            ShortcutCommand::Undo => Command::Undo,
            ShortcutCommand::Redo => Command::Redo,
        }
    }

    /// Undo and redo: a focused text field has its own, which these shortcuts leave to it.
    pub fn is_text_editing(self) -> bool {
        matches!(self, ShortcutCommand::Undo | ShortcutCommand::Redo)
    }

    /// The shortcut's text for menus ("Ctrl+S").
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        SHORTCUTS
            .iter()
            .find(|(_, command)| *command == self)
            .map(|(shortcut, _)| ctx.format_shortcut(shortcut))
            .unwrap_or_default()
    }
}
