//! The menu bar: File, Edit, View, Help. Every item emits a [`Command`].

use super::commands::{Command, ShortcutCommand};
use super::state::Tab;
use super::view_ctx::ViewCtx;
use crate::document::Document;

pub fn show(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    document: &Document,
    commands: &mut Vec<Command>,
) {
    egui::Panel::top("menu bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            let ctx = ui.ctx().clone();
            let item = |ui: &mut egui::Ui, text: &str, shortcut: ShortcutCommand| {
                ui.add(egui::Button::new(text).shortcut_text(shortcut.shortcut_text(&ctx)))
                    .clicked()
            };
            ui.menu_button("File", |ui| {
                if item(ui, "New (baseline)", ShortcutCommand::NewScenario) {
                    commands.push(Command::NewScenario);
                }
                if item(ui, "Open...", ShortcutCommand::Open) {
                    commands.push(Command::Open);
                }
                ui.menu_button("Open Recent", |ui| {
                    if view.prefs.recent_files.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in &view.prefs.recent_files {
                        if ui.button(path.display().to_string()).clicked() {
                            commands.push(Command::OpenPath(path.clone()));
                        }
                    }
                });
                ui.separator();
                if item(ui, "Save", ShortcutCommand::Save) {
                    commands.push(Command::Save);
                }
                if item(ui, "Save As...", ShortcutCommand::SaveAs) {
                    commands.push(Command::SaveAs);
                }
                ui.separator();
                ui.menu_button("Import tables", |ui| {
                    if ui.button("From a CSV folder...").clicked() {
                        commands.push(Command::ImportTables { xlsx: false });
                    }
                    if ui.button("From a workbook (XLSX)...").clicked() {
                        commands.push(Command::ImportTables { xlsx: true });
                    }
                });
                ui.menu_button("Export", |ui| {
                    if ui.button("Scenario tables as CSV files...").clicked() {
                        commands.push(Command::ExportScenarioTables { xlsx: false });
                    }
                    if ui
                        .button("Scenario tables as a workbook (XLSX)...")
                        .clicked()
                    {
                        commands.push(Command::ExportScenarioTables { xlsx: true });
                    }
                    ui.separator();
                    if ui.button("Results as CSV files...").clicked() {
                        commands.push(Command::ExportCsv);
                    }
                    if ui.button("Results as a workbook (XLSX)...").clicked() {
                        commands.push(Command::ExportXlsx);
                    }
                    if ui
                        .button("The current view as PNG (1920 x 1080)...")
                        .clicked()
                    {
                        commands.push(Command::ExportPng);
                    }
                    if ui.button("A sharper slide (3840 x 2160)...").clicked() {
                        commands.push(Command::ExportPng2x);
                    }
                });
                if ui.button("Export deck...").clicked() {
                    commands.push(Command::ExportDeck);
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    commands.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = document
                    .undo_label()
                    .map_or_else(|| "Undo".to_owned(), |label| format!("Undo: {label}"));
                let redo = document
                    .redo_label()
                    .map_or_else(|| "Redo".to_owned(), |label| format!("Redo: {label}"));
                ui.add_enabled_ui(document.undo_label().is_some(), |ui| {
                    if item(ui, &undo, ShortcutCommand::Undo) {
                        commands.push(Command::Undo);
                    }
                });
                ui.add_enabled_ui(document.redo_label().is_some(), |ui| {
                    if item(ui, &redo, ShortcutCommand::Redo) {
                        commands.push(Command::Redo);
                    }
                });
            });
            ui.menu_button("View", |ui| {
                for tab in Tab::ALL {
                    if ui.radio(view.prefs.tab == tab, tab.label()).clicked() {
                        commands.push(Command::SetTab(tab));
                    }
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Presentation mode").shortcut_text("F11"))
                    .clicked()
                {
                    commands.push(Command::TogglePresentation);
                }
                let theme = if view.prefs.dark_mode {
                    "Light theme"
                } else {
                    "Dark theme"
                };
                if ui.button(theme).clicked() {
                    commands.push(Command::ToggleTheme);
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("About rareflow and its data").clicked() {
                    commands.push(Command::ShowAbout);
                }
            });
        });
    });
}
