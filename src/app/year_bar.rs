//! The year slider and the commodity the views show.

use super::commands::Command;
use super::view_ctx::ViewCtx;

pub fn show(ui: &mut egui::Ui, view: &ViewCtx<'_>, playing: bool, commands: &mut Vec<Command>) {
    egui::Panel::bottom("year bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let play = if playing { "Pause" } else { "Play" };
            if ui
                .button(play)
                .on_hover_text(
                    "Step through the horizon year by year (Left/Right arrows step by hand)",
                )
                .clicked()
            {
                commands.push(Command::TogglePlay);
            }
            let meta = &view.scenario.meta;
            let mut year = view.year;
            let label = ui.label("Year");
            ui.spacing_mut().slider_width = 360.0;
            let slider = egui::Slider::new(&mut year, meta.first_year..=meta.last_year).integer();
            if ui.add(slider).labelled_by(label.id).changed() {
                commands.push(Command::SetYear(year));
            }
            ui.separator();
            let label = ui.label("Commodity");
            egui::ComboBox::from_id_salt("commodity")
                .selected_text(view.commodity_name(&view.prefs.commodity))
                .show_ui(ui, |ui| {
                    for commodity in &view.scenario.commodities {
                        if ui
                            .selectable_label(view.prefs.commodity == commodity.id, &commodity.name)
                            .clicked()
                        {
                            commands.push(Command::SetCommodity(commodity.id.clone()));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
    });
}
