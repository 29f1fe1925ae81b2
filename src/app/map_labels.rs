//! Where the region labels go, so that none covers another. China, South Korea and Japan
//! sit a few points apart at world scale, and each carries a label wider than itself; a
//! label printed at its anchor alone hides its neighbours' labels and the plants' glyphs.
//!
//! [`place_labels`] is one deterministic pass over the labels, smallest region first: each
//! label tries its anchor, then offsets around it (into open sea, off the glyphs and other
//! regions' land, a thin leader line back to the anchor), then a short form (the figure
//! alone), and is left out rather than cover a label already placed. The ranked strip
//! beside the map lists every region's figure, so a label left out hides nothing. The
//! placement depends only on what is drawn (anchors, sizes, glyphs, land), never on the
//! previous frame, so it is cached until any of that changes.

use egui::{Color32, Pos2, Rect, Stroke, Vec2, vec2};

/// A label to place: the region, its anchor on screen and the sizes of its two forms.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelRequest {
    pub region: String,
    pub anchor: Pos2,
    /// The tab around "Japan +42 %", points.
    pub full_size: Vec2,
    /// The tab around "+42 %", points.
    pub short_size: Vec2,
}

/// Where a label went.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    pub region: String,
    pub anchor: Pos2,
    pub rect: Rect,
    /// Printed as the figure alone.
    pub short: bool,
}

impl PlacedLabel {
    /// Whether the label sits away from its anchor and needs a line back to it.
    pub fn needs_leader(&self) -> bool {
        !self.rect.contains(self.anchor)
    }
}

/// What the labels must stay inside of and should stay off.
pub struct Surroundings<'a> {
    /// The map's rectangle: a label never leaves it.
    pub bounds: Rect,
    /// The plants' glyphs, as boxes.
    pub glyphs: &'a [Rect],
    /// The region whose land lies under a screen point (None: sea or no demand).
    pub region_at: &'a dyn Fn(Pos2) -> Option<&'a str>,
}

/// Points kept free between two labels.
const GAP_POINTS: f32 = 3.0;
/// Directions tried around an anchor (every 30°, starting right, then turning clockwise
/// on screen: right, below-right, ... so ties go the same way every time).
const DIRECTIONS: usize = 12;
/// How far from its anchor a label may move, points (its near edge from the anchor).
const OFFSETS_POINTS: [f32; 7] = [4.0, 12.0, 24.0, 40.0, 60.0, 85.0, 115.0];

/// What a candidate costs, in points of leader line: moving away from the anchor costs
/// its distance, more than that for a long way (a label far from its country reads as
/// another's); the rest weigh what a reader loses.
const LEADER_COST: f32 = 12.0;
/// A leader this long costs twice its length.
const LONG_LEADER_POINTS: f32 = 80.0;
const SHORT_FORM_COST: f32 = 140.0;
/// Per square point of a glyph covered.
const GLYPH_COST_PER_POINT2: f32 = 0.6;
/// For a label covering all of another region's land (per share of its sample points).
const OTHER_LAND_COST: f32 = 90.0;
/// For a label all over sea: a little, so that a large region (China) keeps its label on
/// its own land and leaves the nearby sea to its small neighbours' labels.
const SEA_COST: f32 = 25.0;
/// For a leader line that runs under a label already placed.
const CROSSED_LABEL_COST: f32 = 300.0;
/// For covering another label's anchor (the dot its leader starts from).
const OTHER_ANCHOR_COST: f32 = 400.0;

/// Places `requests` in their order (the first gets the best place); a label that fits
/// nowhere without covering one already placed is left out.
pub fn place_labels(requests: &[LabelRequest], around: &Surroundings<'_>) -> Vec<PlacedLabel> {
    let mut placed: Vec<PlacedLabel> = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        let other_anchors: Vec<Pos2> = requests
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .map(|(_, r)| r.anchor)
            .collect();
        let mut best: Option<(f32, Rect, bool)> = None;
        for (short, size) in [(false, request.full_size), (true, request.short_size)] {
            for (distance, rect) in candidates(request.anchor, size) {
                let free = around.bounds.contains_rect(rect)
                    && !placed
                        .iter()
                        .any(|p| p.rect.expand(GAP_POINTS).intersects(rect));
                if !free {
                    continue;
                }
                let mut cost = distance * (1.0 + distance / LONG_LEADER_POINTS)
                    + if short { SHORT_FORM_COST } else { 0.0 };
                if distance > 0.0 {
                    cost += LEADER_COST;
                }
                cost += GLYPH_COST_PER_POINT2 * covered_area(rect, around.glyphs);
                cost += OTHER_ANCHOR_COST
                    * other_anchors.iter().filter(|a| rect.contains(**a)).count() as f32;
                let leader = [request.anchor, rect.clamp(request.anchor)];
                cost += CROSSED_LABEL_COST
                    * placed.iter().filter(|p| crosses(leader, p.rect)).count() as f32;
                // Sampling the land is the dear part: only for a candidate that can still win.
                if best.is_some_and(|(best_cost, ..)| cost >= best_cost) {
                    continue;
                }
                let (other_land, sea) = land_shares(rect, &request.region, around);
                cost += OTHER_LAND_COST * other_land + SEA_COST * sea;
                if best.is_none_or(|(best_cost, ..)| cost < best_cost) {
                    best = Some((cost, rect, short));
                }
            }
        }
        if let Some((_, rect, short)) = best {
            placed.push(PlacedLabel {
                region: request.region.clone(),
                anchor: request.anchor,
                rect,
                short,
            });
        }
    }
    placed
}

/// The rectangles a label of `size` may take around `anchor`, with how far each moves
/// from it (0: centred on the anchor).
fn candidates(anchor: Pos2, size: Vec2) -> Vec<(f32, Rect)> {
    let mut all = vec![(0.0, Rect::from_center_size(anchor, size))];
    for offset in OFFSETS_POINTS {
        for step in 0..DIRECTIONS {
            let angle = step as f32 * std::f32::consts::TAU / DIRECTIONS as f32;
            let (sin, cos) = angle.sin_cos();
            // The near edge `offset` from the anchor along the direction.
            let centre =
                anchor + vec2(cos * (size.x / 2.0 + offset), sin * (size.y / 2.0 + offset));
            all.push((offset, Rect::from_center_size(centre, size)));
        }
    }
    all
}

/// Square points of `rect` that the glyphs' boxes cover.
fn covered_area(rect: Rect, glyphs: &[Rect]) -> f32 {
    glyphs
        .iter()
        .map(|glyph| rect.intersect(*glyph))
        .filter(|overlap| overlap.is_positive())
        .map(|overlap| overlap.area())
        .sum()
}

/// The shares of a 3 × 3 grid over `rect` that lie on another region's land, and on sea
/// (or land without demand).
fn land_shares(rect: Rect, own_region: &str, around: &Surroundings<'_>) -> (f32, f32) {
    let (mut other_land, mut sea) = (0, 0);
    for row in 0..3 {
        for column in 0..3 {
            let point = rect.min + rect.size() * vec2(column as f32 * 0.5, row as f32 * 0.5);
            match (around.region_at)(point) {
                None => sea += 1,
                Some(region) if region != own_region => other_land += 1,
                Some(_) => {}
            }
        }
    }
    (other_land as f32 / 9.0, sea as f32 / 9.0)
}

/// Whether the segment runs through `rect` (sampled every few points: leaders are short).
fn crosses(segment: [Pos2; 2], rect: Rect) -> bool {
    let steps = (segment[0].distance(segment[1]) / 3.0).ceil().max(1.0) as usize;
    (0..=steps).any(|i| rect.contains(segment[0].lerp(segment[1], i as f32 / steps as f32)))
}

/// Draws a placed label's leader line (if it moved) from a dot at its anchor. All leaders
/// go down before any tab, so that no line runs over a label's text.
pub fn paint_leader(painter: &egui::Painter, label: &PlacedLabel) {
    if label.needs_leader() {
        let nearest = label.rect.clamp(label.anchor);
        painter.line_segment(
            [label.anchor, nearest],
            Stroke::new(1.0, Color32::from_gray(230)),
        );
        painter.circle(
            label.anchor,
            2.5,
            Color32::from_gray(240),
            Stroke::new(1.0, Color32::from_gray(20)),
        );
    }
}

/// Draws a placed label's dark tab, which reads on any colour, and its text.
pub fn paint_tab(
    painter: &egui::Painter,
    label: &PlacedLabel,
    galley: std::sync::Arc<egui::Galley>,
) {
    painter.rect(
        label.rect,
        3.0,
        Color32::from_black_alpha(195),
        Stroke::new(1.0, Color32::from_gray(200)),
        egui::StrokeKind::Inside,
    );
    let text_at = label.rect.center() - galley.size() / 2.0;
    painter.galley(text_at, galley, Color32::WHITE);
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn request(region: &str, anchor: Pos2) -> LabelRequest {
        LabelRequest {
            region: region.to_owned(),
            anchor,
            full_size: vec2(120.0, 20.0),
            short_size: vec2(50.0, 20.0),
        }
    }

    fn open_sea(bounds: Rect, glyphs: &[Rect], place: impl FnOnce(&Surroundings<'_>)) {
        let sea = |_: Pos2| None;
        place(&Surroundings {
            bounds,
            glyphs,
            region_at: &sea,
        });
    }

    #[test]
    fn two_labels_whose_anchors_collide_end_up_apart() {
        let bounds = Rect::from_min_size(pos2(0.0, 0.0), vec2(800.0, 400.0));
        // Korea and Japan: 30 points apart, labels 120 points wide.
        let requests = [
            request("KOR", pos2(400.0, 200.0)),
            request("JPN", pos2(430.0, 200.0)),
        ];
        open_sea(bounds, &[], |around| {
            let placed = place_labels(&requests, around);
            assert_eq!(placed.len(), 2, "{placed:?}");
            for (label, other) in [(&placed[0], &placed[1]), (&placed[1], &placed[0])] {
                assert!(
                    !label.rect.expand(GAP_POINTS).intersects(other.rect),
                    "{:?} and {:?} overlap",
                    label.rect,
                    other.rect
                );
                assert!(
                    !label.rect.contains(other.anchor),
                    "covers the other's anchor"
                );
                assert!(!label.short, "there is room for the full form nearby");
                assert!(bounds.contains_rect(label.rect));
            }
            let japan = &placed[1];
            assert!(japan.needs_leader(), "moved, with a line back to Japan");
            // The nearest free place: just above or below Korea's label, not across the map.
            let moved = japan.rect.center().distance(japan.anchor);
            assert!(moved < 40.0, "moved {moved} points");
            // The same input, the same placement.
            assert_eq!(place_labels(&requests, around), placed);
        });
    }

    #[test]
    fn labels_move_off_glyphs_and_other_regions_land_into_the_sea() {
        let bounds = Rect::from_min_size(pos2(0.0, 0.0), vec2(800.0, 400.0));
        // The anchor sits on a glyph; land of another region lies left of x = 400.
        let glyphs = [Rect::from_center_size(pos2(500.0, 200.0), vec2(30.0, 30.0))];
        let land = |p: Pos2| (p.x < 400.0).then_some("CHN");
        let around = Surroundings {
            bounds,
            glyphs: &glyphs,
            region_at: &land,
        };
        let placed = place_labels(&[request("JPN", pos2(500.0, 200.0))], &around);
        let japan = &placed[0];
        assert!(!japan.rect.intersects(glyphs[0]), "{:?}", japan.rect);
        assert!(
            japan.rect.left() >= 400.0,
            "stays off China: {:?}",
            japan.rect
        );
        assert!(japan.needs_leader());
    }

    #[test]
    fn a_crowded_label_shortens_and_one_with_no_room_is_left_out() {
        // Room for one full label and one short one, side by side, and nothing more.
        let bounds = Rect::from_min_size(pos2(0.0, 0.0), vec2(176.0, 20.0));
        let requests = [
            request("CHN", pos2(60.0, 10.0)),
            request("JPN", pos2(150.0, 10.0)),
            request("KOR", pos2(165.0, 10.0)),
        ];
        open_sea(bounds, &[], |around| {
            let placed = place_labels(&requests, around);
            let regions: Vec<&str> = placed.iter().map(|p| p.region.as_str()).collect();
            assert_eq!(regions, ["CHN", "JPN"], "{placed:?}");
            assert!(!placed[0].short);
            assert!(placed[1].short, "no room for Japan's full form");
            assert!(!placed[0].rect.expand(GAP_POINTS).intersects(placed[1].rect));
        });
    }
}
