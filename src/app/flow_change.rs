//! Flows drawn as change against the reference: what a band or a line between two places
//! looks like when it stands for the change in a route rather than its tonnes. Lost routes
//! are red, new routes green, routes that carry less or more a paler red or green, and
//! thickness is the size of the change. The Sankey uses it; the map can call the same
//! functions so both read alike.

use std::collections::BTreeMap;

use egui::{Color32, Pos2, Rect, Stroke, pos2, vec2};

use crate::plant_compare::{RouteFate, fate_of};
use crate::units;

/// Lost routes and lost feed.
pub const LOST: Color32 = Color32::from_rgb(0xe0, 0x4f, 0x4f);
/// New routes and gained feed.
pub const GAINED: Color32 = Color32::from_rgb(0x4c, 0xb8, 0x6a);
/// Routes that carry about what they carried.
const UNCHANGED: Color32 = Color32::from_rgb(0x8a, 0x8f, 0x98);

/// The colour of a route that carried `reference_t` and now carries `scenario_t`.
pub fn change_colour(reference_t: f64, scenario_t: f64) -> Color32 {
    match fate_of(reference_t, scenario_t) {
        RouteFate::Lost => LOST,
        RouteFate::New => GAINED,
        RouteFate::Changed if scenario_t < reference_t => LOST.gamma_multiply(0.55),
        RouteFate::Changed => GAINED.gamma_multiply(0.55),
        RouteFate::Unchanged => UNCHANGED.gamma_multiply(0.25),
    }
}

/// "288 t -> 0 t, lost": a route's change for a tooltip.
pub fn change_words(reference_t: f64, scenario_t: f64) -> String {
    format!(
        "{} -> {} ({:+.0} t), {}",
        units::tonnes_short(reference_t),
        units::tonnes_short(scenario_t),
        scenario_t - reference_t,
        fate_of(reference_t, scenario_t).label()
    )
}

/// The "Change against the reference" switch; kept in egui's memory, so the app's state
/// needs no field for it.
pub fn change_toggle(ui: &mut egui::Ui, key: &str) -> bool {
    let id = egui::Id::unique(key);
    let mut on = ui.ctx().data(|d| d.get_temp::<bool>(id)).unwrap_or(false);
    if super::slide::controls_hidden(ui.ctx()) {
        return on;
    }
    ui.checkbox(&mut on, "Change against the reference")
        .on_hover_text("Lost routes red, new routes green, thickness by the size of the change");
    ui.ctx().data_mut(|d| d.insert_temp(id, on));
    on
}

/// A link between two places in the reference and the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkChange<K> {
    pub from: K,
    pub to: K,
    pub reference_t: f64,
    pub scenario_t: f64,
}

impl<K> LinkChange<K> {
    /// What a drawing makes its thickness of: the size of the change, t.
    pub fn size_t(&self) -> f64 {
        (self.scenario_t - self.reference_t).abs()
    }
}

/// Every link of either drawing, matched by its ends, in key order.
pub fn link_changes<K: Ord + Clone>(
    reference: &BTreeMap<(K, K), f64>,
    scenario: &BTreeMap<(K, K), f64>,
) -> Vec<LinkChange<K>> {
    let mut links: BTreeMap<(K, K), (f64, f64)> = BTreeMap::new();
    for (key, t) in reference {
        links.entry(key.clone()).or_default().0 += t;
    }
    for (key, t) in scenario {
        links.entry(key.clone()).or_default().1 += t;
    }
    links
        .into_iter()
        .map(|((from, to), (reference_t, scenario_t))| LinkChange {
            from,
            to,
            reference_t,
            scenario_t,
        })
        .collect()
}

/// The legend of a change drawing, in the bottom-right corner of `rect` (below the
/// Sankey's last column, whose few regions leave it free).
pub fn paint_legend(painter: &egui::Painter, rect: Rect, text_colour: Color32) {
    let entries = [
        (LOST, "route lost"),
        (LOST.gamma_multiply(0.55), "carries less"),
        (GAINED.gamma_multiply(0.55), "carries more"),
        (GAINED, "new route"),
    ];
    let font = egui::FontId::proportional(12.5);
    let line_height = 17.0;
    let height = line_height * (entries.len() as f32 + 1.0) + 8.0;
    let width = 290.0;
    let frame = Rect::from_min_size(
        pos2(rect.right() - width, rect.bottom() - height),
        vec2(width, height),
    );
    painter.rect_filled(frame, 4.0, Color32::from_black_alpha(150));
    painter.rect_stroke(
        frame,
        4.0,
        Stroke::new(1.0, UNCHANGED),
        egui::StrokeKind::Inside,
    );
    let mut at = frame.min + vec2(8.0, 4.0);
    painter.text(
        at,
        egui::Align2::LEFT_TOP,
        "Change against the reference (thickness: t)",
        font.clone(),
        text_colour,
    );
    for (colour, label) in entries {
        at += vec2(0.0, line_height);
        let swatch = Rect::from_min_size(at + vec2(0.0, 3.0), vec2(22.0, 9.0));
        painter.rect_filled(swatch, 1.0, colour);
        painter.text(
            Pos2::new(swatch.right() + 6.0, at.y),
            egui::Align2::LEFT_TOP,
            label,
            font.clone(),
            text_colour,
        );
    }
}
