//! Amounts people drag and type (a capacity, an export cap): a slider whose range holds
//! still for the whole drag, and a number field beside it for any value.
//!
//! A slider's range recomputed from the value every frame runs away while the pointer is
//! held: the value under a still pointer grows with the range, frame after frame. So the
//! range is computed while no pointer button is down and then held until release. Values
//! beyond the range are typed (or dragged) in the number field, and showing a value never
//! changes it: the slider does not clamp or round what it only displays.

use egui::{Id, SliderClamping};

use crate::units;

/// The largest amount the number field takes, t/yr: far above any plant or trade flow.
pub const MAX_TYPED_T: f64 = 1.0e9;

/// Points the pointer moves to drag the number field across the slider's whole range.
const FIELD_DRAG_POINTS_PER_RANGE: f64 = 600.0;

/// The top of a slider's range for `value_t`: three times the larger of the value and its
/// `nameplate_t` (the amount in the reference scenario), at least `floor_t`, rounded up to
/// 1, 2 or 5 × 10^k so the rail's end reads as a round number.
pub fn slider_top(value_t: f64, nameplate_t: f64, floor_t: f64) -> f64 {
    let wanted = (3.0 * value_t.max(nameplate_t)).max(floor_t);
    if !wanted.is_finite() || wanted <= 0.0 {
        return floor_t.max(1.0);
    }
    let decade = 10f64.powf(wanted.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|mantissa| mantissa * decade)
        .find(|&top| top >= wanted)
        .unwrap_or(10.0 * decade)
}

/// `fresh` while no pointer button is down; while one is, and in the frame it is released
/// (a slider still reads the pointer then), what it was when it went down. So a range or
/// a drag speed cannot change in the middle of a drag.
pub fn held_while_pointer_down(ui: &egui::Ui, id: Id, fresh: f64) -> f64 {
    let pointer_down = ui.input(|i| i.pointer.any_down() || i.pointer.any_released());
    ui.data_mut(|data| {
        let held = data.get_temp_mut_or_insert_with(id, || fresh);
        if !pointer_down {
            *held = fresh;
        }
        *held
    })
}

/// Reads a typed amount of tonnes: "12,000", "12000 t", "12.5 kt", "1.2 Mt", "40k".
pub fn parse_tonnes(text: &str) -> Option<f64> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '_')
        .collect();
    let lower = compact.to_lowercase();
    let (number, factor) = if let Some(n) = lower.strip_suffix("mt") {
        (n, 1e6)
    } else if let Some(n) = lower.strip_suffix("kt") {
        (n, 1e3)
    } else if let Some(n) = lower.strip_suffix('m') {
        (n, 1e6)
    } else if let Some(n) = lower.strip_suffix('k') {
        (n, 1e3)
    } else if let Some(n) = lower.strip_suffix('t') {
        (n, 1.0)
    } else {
        (lower.as_str(), 1.0)
    };
    let value = number.parse::<f64>().ok()? * factor;
    (value.is_finite() && value >= 0.0).then_some(value)
}

/// A labelled amount in tonnes: the label, then a slider over `0..=top` (held fixed while
/// the pointer is down) and a number field for any amount. Both carry the label's name.
///
/// `id` must name what is edited (the node or policy), so that a held range belongs to it.
/// Returns the new amount when the user changed it to something else.
pub fn tonnes_ui(
    ui: &mut egui::Ui,
    id: Id,
    label: &str,
    value_t: f64,
    nameplate_t: f64,
    step_t: Option<f64>,
) -> Option<f64> {
    let top = held_while_pointer_down(
        ui,
        id.with("slider top"),
        slider_top(value_t, nameplate_t, 1_000.0),
    );
    let label = ui.label(label);
    let mut slid = value_t;
    let mut typed = value_t;
    ui.horizontal(|ui| {
        let mut slider = egui::Slider::new(&mut slid, 0.0..=top)
            .show_value(false)
            .clamping(SliderClamping::Edits);
        if let Some(step) = step_t {
            slider = slider.step_by(step);
        }
        ui.add(slider).labelled_by(label.id);
        let field = egui::DragValue::new(&mut typed)
            .range(0.0..=MAX_TYPED_T)
            .clamp_existing_to_range(false)
            .speed(top / FIELD_DRAG_POINTS_PER_RANGE)
            .custom_formatter(|value, _| units::tonnes(value))
            .custom_parser(parse_tonnes)
            // A typed amount counts when it is entered, not at every key: "30000" is one
            // edit and one undo step, not five (3, 30, 300, ...), each sent to the solver.
            .update_while_editing(false);
        ui.add(field)
            .on_hover_text("Drag, or click and type any amount (12,000 or 12 kt)")
            .labelled_by(label.id);
    });
    [slid, typed]
        .into_iter()
        .find(|&new| new != value_t && new.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slider_reaches_three_times_the_larger_amount_rounded_up() {
        assert_eq!(slider_top(12_000.0, 12_000.0, 1_000.0), 50_000.0);
        assert_eq!(slider_top(399_999.0, 399_999.0, 1_000.0), 2_000_000.0);
        assert_eq!(slider_top(0.0, 22_600.0, 1_000.0), 100_000.0);
        assert_eq!(slider_top(30.0, 30.0, 1_000.0), 1_000.0);
        assert_eq!(slider_top(0.0, 0.0, 1_000.0), 1_000.0);
        assert_eq!(slider_top(1_170.0, 1_170.0, 1_000.0), 5_000.0);
    }

    #[test]
    fn typed_tonnes_read_as_written() {
        assert_eq!(parse_tonnes("12,000"), Some(12_000.0));
        assert_eq!(parse_tonnes(" 12000 t"), Some(12_000.0));
        assert_eq!(parse_tonnes("12.5 kt"), Some(12_500.0));
        assert_eq!(parse_tonnes("1.2 Mt"), Some(1_200_000.0));
        assert_eq!(parse_tonnes("40k"), Some(40_000.0));
        assert_eq!(parse_tonnes("-5"), None);
        assert_eq!(parse_tonnes("lots"), None);
    }
}
