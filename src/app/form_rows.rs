//! What every what-if form is made of: labelled rows, wide text fields, choosers of one
//! item from a list, and the confirm row that checks an edit before sending it.

use crate::model::{Edit, Scenario};

/// A form row whose widget is named by its label (for screen readers and tests).
pub fn field(
    ui: &mut egui::Ui,
    label: &str,
    add: impl FnOnce(&mut egui::Ui) -> egui::Response,
) -> egui::Response {
    let label = ui.label(label);
    let response = add(ui).labelled_by(label.id);
    ui.end_row();
    response
}

/// A text field wide enough for a plant's name or a citation.
pub fn wide_text(ui: &mut egui::Ui, value: &mut String) -> egui::Response {
    ui.add(egui::TextEdit::singleline(value).desired_width(280.0))
}

/// A drop-down choosing one of `options` (id, name) for `chosen`; shows the chosen one's
/// name, or its id when it is not among them.
pub fn pick<'a>(
    ui: &mut egui::Ui,
    salt: impl std::hash::Hash + std::fmt::Debug,
    chosen: &mut String,
    options: impl Iterator<Item = (&'a str, String)> + Clone,
) {
    let shown = options
        .clone()
        .find(|(id, _)| *id == chosen.as_str())
        .map_or_else(|| chosen.clone(), |(_, name)| name);
    egui::ComboBox::from_id_salt(salt)
        .selected_text(shown)
        .height(320.0)
        .show_ui(ui, |ui| {
            for (id, name) in options {
                ui.selectable_value(chosen, id.to_owned(), name);
            }
        });
}

/// The refusal (if any), then "Add"/"Apply" and "Cancel": the edit when confirmed and the
/// scenario accepts it (else the refusal, kept for the next frame), `Some(None)` when
/// cancelled, `None` while the form stays open.
pub fn confirm_edit(
    ui: &mut egui::Ui,
    replaces: bool,
    refusal: &mut Option<String>,
    scenario: &Scenario,
    edit: impl FnOnce() -> Edit,
) -> Option<Option<Edit>> {
    if let Some(refusal) = refusal {
        ui.colored_label(ui.visuals().error_fg_color, refusal.as_str());
    }
    let mut outcome = None;
    ui.horizontal(|ui| {
        if ui.button(if replaces { "Apply" } else { "Add" }).clicked() {
            let edit = edit();
            match scenario.clone().apply(&edit) {
                Ok(()) => outcome = Some(Some(edit)),
                Err(error) => *refusal = Some(format!("Not accepted: {error}")),
            }
        }
        if ui.button("Cancel").clicked() {
            outcome = Some(None);
        }
    });
    outcome
}
