//! Slides: a view exported as a 16:9 image that needs no cropping, with a title band (the
//! view, the scenario, the year, the reference), a source line, and none of the view's
//! interactive controls (a "Reset view" button means nothing on a projector).

use egui::{Vec2, vec2};

use super::state::Tab;
use super::view_ctx::ViewCtx;

/// The views a deck holds, in the order a briefing walks through them.
pub const DECK_TABS: [Tab; 4] = [Tab::Map, Tab::Flows, Tab::Charts, Tab::Compare];

/// A slide is laid out at this size in points whatever its pixel size, so a 2× slide
/// shows the same picture, sharper.
pub const SLIDE_POINTS: Vec2 = vec2(1280.0, 720.0);

/// The pixel size of a slide.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SlideSize {
    /// 1920 × 1080: a projector or a slide deck.
    #[default]
    FullHd,
    /// 3840 × 2160: twice as sharp, for print or a 4K screen.
    Double,
}

impl SlideSize {
    pub fn pixels(self) -> (u32, u32) {
        match self {
            SlideSize::FullHd => (1920, 1080),
            SlideSize::Double => (3840, 2160),
        }
    }

    /// Pixels per point that make [`SLIDE_POINTS`] fill the slide.
    pub fn pixels_per_point(self) -> f32 {
        self.pixels().0 as f32 / SLIDE_POINTS.x
    }
}

/// The id under which a slide being drawn marks its context.
fn controls_hidden_id() -> egui::Id {
    egui::Id::unique("rareflow slide: controls hidden")
}

/// Marks `ctx` as drawing a slide: views leave out buttons and other controls.
pub fn hide_controls(ctx: &egui::Context) {
    ctx.data_mut(|data| data.insert_temp(controls_hidden_id(), true));
}

/// Whether the view is being drawn for a slide, without its controls.
pub fn controls_hidden(ctx: &egui::Context) -> bool {
    ctx.data(|data| data.get_temp::<bool>(controls_hidden_id()))
        .unwrap_or(false)
}

/// The words around a slide's picture.
#[derive(Clone, Debug, PartialEq)]
pub struct SlideText {
    /// "Map: Every measure in force in 2026, 2027"
    pub title: String,
    /// "NdFeB magnets, compared with Baseline 2024"
    pub subtitle: String,
    /// "Data: USGS Mineral Commodity Summaries 2026, IEA, … — rareflow 0.1.0"
    pub source: String,
}

/// Publishers named in the source line when the scenario cites them: (what a citation
/// contains, how the slide names it).
const PUBLISHERS: [(&str, &str); 7] = [
    (
        "USGS Mineral Commodity Summaries 2026",
        "USGS Mineral Commodity Summaries 2026",
    ),
    ("IEA", "IEA"),
    ("Argus", "Argus"),
    ("Adamas", "Adamas Intelligence"),
    ("SMM", "SMM"),
    ("Lynas", "company reports"),
    ("MP Materials", "company reports"),
];

/// The title band and source line of `tab` for the year and scenario of `view`.
pub fn slide_text(view: &ViewCtx<'_>, tab: Tab) -> SlideText {
    let mut named: Vec<&str> = Vec::new();
    for (needle, publisher) in PUBLISHERS {
        let cited = view
            .scenario
            .sources
            .iter()
            .any(|s| s.citation.contains(needle));
        if cited && !named.contains(&publisher) {
            named.push(publisher);
        }
    }
    let data = if named.is_empty() {
        "the scenario's own assumptions".to_owned()
    } else {
        named.join(", ")
    };
    SlideText {
        title: format!(
            "{}: {}, {}",
            tab.label(),
            view.scenario.meta.name,
            view.year
        ),
        subtitle: format!(
            "{}, compared with {}",
            view.commodity_name(&view.prefs.commodity),
            view.reference_scenario.meta.name
        ),
        source: format!(
            "Data: {data}; map: Natural Earth. Model results, not observations \u{2014} \
             rareflow {}",
            env!("CARGO_PKG_VERSION")
        ),
    }
}

/// "in-force-2026_map_2027.png": the scenario (its file's name without the extension, or
/// its name), the view and the year; never a path.
pub fn proposed_file_name(scenario: &str, tab: Tab, year: i32) -> String {
    let mut slug = String::new();
    for c in scenario.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "scenario" } else { slug };
    format!("{slug}_{}_{year}.png", tab.label().to_ascii_lowercase())
}

/// Reads "2025, 2027 2030" into years; each must lie in `first..=last`.
pub fn parse_years(text: &str, first: i32, last: i32) -> Result<Vec<i32>, String> {
    let mut years = Vec::new();
    for word in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let year: i32 = word
            .parse()
            .map_err(|_| format!("\"{word}\" is not a year"))?;
        if !(first..=last).contains(&year) {
            return Err(format!("{year} is outside the horizon {first}-{last}"));
        }
        if !years.contains(&year) {
            years.push(year);
        }
    }
    if years.is_empty() {
        return Err("no year given".to_owned());
    }
    Ok(years)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slide_is_16_by_9_at_full_hd_or_twice_that() {
        assert_eq!(SlideSize::FullHd.pixels(), (1920, 1080));
        assert_eq!(SlideSize::Double.pixels(), (3840, 2160));
        assert_eq!(SlideSize::FullHd.pixels_per_point(), 1.5);
        assert_eq!(SlideSize::Double.pixels_per_point(), 3.0);
        assert_eq!(SLIDE_POINTS.x * 9.0, SLIDE_POINTS.y * 16.0);
    }

    #[test]
    fn the_proposed_name_is_scenario_view_and_year_never_a_path() {
        assert_eq!(
            proposed_file_name("in-force-2026", Tab::Map, 2027),
            "in-force-2026_map_2027.png"
        );
        assert_eq!(
            proposed_file_name("Every measure in force in 2026", Tab::Charts, 2030),
            "every-measure-in-force-in-2026_charts_2030.png"
        );
        assert_eq!(
            proposed_file_name("/tmp/../x", Tab::Flows, 2025),
            "tmp-x_flows_2025.png"
        );
        assert_eq!(
            proposed_file_name("", Tab::Compare, 2025),
            "scenario_compare_2025.png"
        );
    }

    #[test]
    fn years_are_read_from_a_list_and_checked_against_the_horizon() {
        assert_eq!(
            parse_years("2025, 2027 2030;2025", 2024, 2035),
            Ok(vec![2025, 2027, 2030])
        );
        assert_eq!(
            parse_years("2025, 2040", 2024, 2035),
            Err("2040 is outside the horizon 2024-2035".to_owned())
        );
        assert_eq!(
            parse_years("2025, next", 2024, 2035),
            Err("\"next\" is not a year".to_owned())
        );
        assert_eq!(
            parse_years(" , ", 2024, 2035),
            Err("no year given".to_owned())
        );
    }
}
