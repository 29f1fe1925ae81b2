//! Input that is not a widget's: keyboard shortcuts, the arrow keys and F11, files dropped
//! on the window, and the window's close button.

use std::path::PathBuf;

use super::commands::{Command, SHORTCUTS};

/// What the input of one frame asks for.
#[derive(Default)]
pub struct FrameInput {
    pub commands: Vec<Command>,
    /// The window's close button was pressed.
    pub close_requested: bool,
}

/// Reads this frame's keys, drops and close request. In presentation mode the arrows step
/// years even when a widget has keyboard focus (the editors are hidden then).
pub fn read_input(ui: &mut egui::Ui, presenting: bool) -> FrameInput {
    let mut input = FrameInput::default();
    let commands = &mut input.commands;
    let pressed = |ui: &mut egui::Ui, key: egui::Key| {
        ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key))
    };
    if pressed(ui, egui::Key::F11) || (presenting && pressed(ui, egui::Key::Escape)) {
        commands.push(Command::TogglePresentation);
    }
    if presenting || !ui.ctx().egui_wants_keyboard_input() {
        if pressed(ui, egui::Key::ArrowRight) {
            commands.push(Command::StepYear(1));
        }
        if pressed(ui, egui::Key::ArrowLeft) {
            commands.push(Command::StepYear(-1));
        }
    }
    // Shortcuts are read before any widget, from the first frame on: they need no widget
    // to have focus. But while a text field is being typed in, Ctrl+Z and Ctrl+Y are its
    // own undo and redo (egui's `TextEdit` reads them), not the scenario's.
    let typing = ui.ctx().text_edit_focused();
    for (shortcut, command) in SHORTCUTS {
        if typing && command.is_text_editing() {
            continue;
        }
        if ui.input_mut(|i| i.consume_shortcut(shortcut)) {
            commands.push(command.command());
        }
    }
    let dropped: Vec<PathBuf> = ui.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_owned())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    for path in dropped {
        if path.extension().is_some_and(|e| e == "ron") {
            commands.push(Command::OpenPath(path));
        }
    }
    input.close_requested = ui.input(|i| i.viewport().close_requested());
    input
}
