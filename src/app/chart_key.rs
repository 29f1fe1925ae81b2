//! Chart keys drawn outside the plots: a legend inside a plot covers the lines it names
//! (the 2025 price spike sat under one), so every key is a row of swatches above its plot.

use egui::Color32;

/// A row (wrapping when narrow) of colour swatches and names, each pair kept together.
/// Returns the height it took, so a plot beside a taller key can be made shorter to match.
pub fn key_above(ui: &mut egui::Ui, entries: &[(String, Color32)]) -> f32 {
    let key = ui.horizontal_wrapped(|ui| {
        let font = egui::TextStyle::Small.resolve(ui.style());
        for (name, colour) in entries {
            // Swatch and name wrap together: start a new row when the pair would not fit.
            let text = ui
                .painter()
                .layout_no_wrap(name.clone(), font.clone(), *colour);
            let pair_width = 9.0 + 3.0 + text.size().x;
            if ui.available_size_before_wrap().x < pair_width {
                ui.end_row();
            }
            ui.spacing_mut().item_spacing.x = 3.0;
            let (rect, _) = ui.allocate_exact_size(egui::vec2(9.0, 9.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, *colour);
            ui.add(
                egui::Label::new(egui::RichText::new(name).small())
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
            ui.add_space(5.0);
        }
    });
    key.response.rect.height() + ui.spacing().item_spacing.y
}
