//! File > Import tables: what the tables would add, change and remove, and the rows they
//! refuse with the reason, before anything changes; Apply makes the merge one undo step.

use crate::model::Scenario;
use crate::scenario_tables::{
    ImportPreview, MergeOptions, PreviewEntry, RawTable, TablesLocation, merge_tables,
};

use super::commands::Command;

/// The tables read for an import, and what they would do to the open scenario.
pub struct ImportView {
    location: TablesLocation,
    tables: Vec<RawTable>,
    options: MergeOptions,
    preview: ImportPreview,
}

impl ImportView {
    /// Reads the tables at `location` and previews their merge into `scenario`.
    pub fn read(scenario: &Scenario, location: TablesLocation) -> Result<Self, String> {
        let tables = match &location {
            TablesLocation::CsvFolder(folder) => crate::scenario_tables::read_csv_folder(folder),
            TablesLocation::Xlsx(path) => crate::scenario_tables::read_xlsx(path),
        }
        .map_err(|error| error.to_string())?;
        let options = MergeOptions::default();
        let preview = merge_tables(scenario, &tables, options).preview;
        Ok(Self {
            location,
            tables,
            options,
            preview,
        })
    }

    pub fn preview(&self) -> &ImportPreview {
        &self.preview
    }

    /// The merge into `scenario` as it is now (it may have changed since the preview), and
    /// the undo label; `Err` with the refusals when it does not go through.
    pub fn merged(&self, scenario: &Scenario) -> Result<(Scenario, String), String> {
        let import = merge_tables(scenario, &self.tables, self.options);
        let label = format!("import of tables from {}", self.source_name());
        import
            .scenario
            .map(|merged| (merged, label))
            .ok_or_else(|| format!("The import was refused:\n{}", import.preview.to_text()))
    }

    fn source_name(&self) -> String {
        match &self.location {
            TablesLocation::CsvFolder(path) | TablesLocation::Xlsx(path) => {
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |name| name.to_string_lossy().into_owned(),
                )
            }
        }
    }

    /// The preview window; Apply and Cancel become commands.
    pub fn show(&mut self, ctx: &egui::Context, scenario: &Scenario, commands: &mut Vec<Command>) {
        let mut open = true;
        egui::Window::new("Import tables")
            .collapsible(false)
            .default_width(560.0)
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label(format!("From {}", self.source_name()));
                let mut remove_missing = self.options.remove_missing_rows;
                ui.checkbox(
                    &mut remove_missing,
                    "Remove items that have no row in their table",
                )
                .on_hover_text(
                    "Off: only rows marked `remove` remove items; items without a row stay.",
                );
                if remove_missing != self.options.remove_missing_rows {
                    self.options.remove_missing_rows = remove_missing;
                    self.preview = merge_tables(scenario, &self.tables, self.options).preview;
                }
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(420.0)
                    .show(ui, |ui| {
                        preview_ui(ui, &self.preview);
                    });
                ui.separator();
                let can_apply = self.preview.refused.is_empty() && !self.preview.is_empty();
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(can_apply, egui::Button::new("Apply"))
                        .clicked()
                    {
                        commands.push(Command::ApplyImport);
                    }
                    if ui.button("Cancel").clicked() {
                        commands.push(Command::CancelImport);
                    }
                });
            });
        if !open {
            commands.push(Command::CancelImport);
        }
    }
}

/// The four lists of the preview, refusals first: they decide whether anything happens.
fn preview_ui(ui: &mut egui::Ui, preview: &ImportPreview) {
    if !preview.refused.is_empty() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!(
                "Refused: {} row(s). Nothing will change until they are fixed.",
                preview.refused.len()
            ),
        );
        for refusal in &preview.refused {
            ui.label(format!("• {refusal}"));
        }
        return;
    }
    if preview.is_empty() {
        ui.label("The tables change nothing.");
    }
    entries_ui(ui, "Added", &preview.added);
    entries_ui(ui, "Changed", &preview.changed);
    entries_ui(ui, "Removed", &preview.removed);
    if !preview.not_in_tables.is_empty() {
        ui.label(format!(
            "Kept: {} item(s) with no row in their table.",
            preview.not_in_tables.len()
        ));
    }
}

fn entries_ui(ui: &mut egui::Ui, heading: &str, entries: &[PreviewEntry]) {
    if entries.is_empty() {
        return;
    }
    ui.strong(format!("{heading} ({})", entries.len()));
    for entry in entries {
        let fields = if entry.fields.is_empty() {
            String::new()
        } else {
            format!(": {}", entry.fields.join(", "))
        };
        ui.label(format!("• {} {}{fields}", entry.table, entry.id));
    }
}
