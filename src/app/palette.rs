//! Colours and text sizes, chosen to read on a projector: one diverging scale for price
//! pressure (blue = cheaper, grey = unchanged, orange to red = dearer), one sequential
//! scale for shortfall (the map steps both, see `map_regions.rs`), and a colour per stage.

use egui::{Color32, FontId, TextStyle};

use crate::model::Stage;

/// Slightly larger text than egui's defaults, for meetings.
pub fn install_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        for (text_style, font) in [
            (TextStyle::Body, FontId::proportional(15.0)),
            (TextStyle::Button, FontId::proportional(15.0)),
            (TextStyle::Heading, FontId::proportional(21.0)),
            (TextStyle::Small, FontId::proportional(12.0)),
            (TextStyle::Monospace, FontId::monospace(13.5)),
        ] {
            style.text_styles.insert(text_style, font);
        }
    });
}

fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let t = t.clamp(0.0, 1.0);
    let mix = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

pub const NEUTRAL: Color32 = Color32::from_rgb(0x8a, 0x8f, 0x98);
pub const NO_DATA: Color32 = Color32::from_rgb(0x55, 0x5a, 0x62);
const CHEAPER: Color32 = Color32::from_rgb(0x3b, 0x82, 0xc4);
const DEARER: Color32 = Color32::from_rgb(0xf0, 0x9a, 0x3e);
const MUCH_DEARER: Color32 = Color32::from_rgb(0xc8, 0x2a, 0x2a);

/// Price pressure colour: −50 % blue … 0 grey … +100 % orange … +300 % or more red.
pub fn pressure(fraction: f64) -> Color32 {
    if fraction < 0.0 {
        lerp(NEUTRAL, CHEAPER, (-fraction / 0.5) as f32)
    } else if fraction <= 1.0 {
        lerp(NEUTRAL, DEARER, fraction as f32)
    } else {
        lerp(DEARER, MUCH_DEARER, ((fraction - 1.0) / 2.0) as f32)
    }
}

pub fn stage(stage: Stage) -> Color32 {
    match stage {
        Stage::Mine => Color32::from_rgb(0xc9, 0x8b, 0x4a),
        Stage::Refinery => Color32::from_rgb(0x2f, 0xa8, 0x9a),
        Stage::Magnet => Color32::from_rgb(0x9b, 0x6c, 0xd6),
    }
}

/// The reference scenario in charts: a pale ghost.
pub const REFERENCE: Color32 = Color32::from_rgb(0x9a, 0xa4, 0xb0);
/// The scenario in charts.
pub const SCENARIO: Color32 = Color32::from_rgb(0xf0, 0x9a, 0x3e);

/// Distinct series colours (Okabe–Ito, safe for the common colour-vision deficiencies),
/// for lines that have no meaning of their own, such as mining countries.
pub const CATEGORICAL: [Color32; 5] = [
    Color32::from_rgb(0x56, 0xb4, 0xe9),
    Color32::from_rgb(0xe6, 0x9f, 0x00),
    Color32::from_rgb(0x00, 0x9e, 0x73),
    Color32::from_rgb(0xcc, 0x79, 0xa7),
    Color32::from_rgb(0xf0, 0xe4, 0x42),
];
