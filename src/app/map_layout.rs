//! Where the map goes: the camera (what part of the world the map shows) and how the Map
//! tab shares its room between the map, its key and the ranked strip of regions.
//!
//! The world at zoom 1 is cropped to the latitudes that hold the demand (Antarctica's
//! coast at the bottom, no more), about twice as wide as tall. The tab is often taller
//! than that (a 1600 × 1000 window leaves it about 750 × 700 points), so the key and the
//! ranking go under the map when that lets the map grow, and beside it otherwise (a
//! 16:9 slide).

use egui::{Rect, Vec2, vec2};

use super::map_geometry::Projection;

/// Degrees of longitude and latitude shown across the map at zoom 1: 160°W–180°E and
/// 77°S–84°N (north Greenland to Antarctica's coast; the south pole holds no demand).
pub const WORLD_SPAN_DEG: Vec2 = vec2(340.0, 161.0);

/// The middle of that band, degrees (lon, lat).
const WORLD_CENTRE_DEG: Vec2 = vec2(10.0, 3.5);

/// Where the map looks: what a PNG export of the map needs to draw it as seen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapCamera {
    /// Centre of the view, degrees (lon, lat).
    pub center: Vec2,
    /// Zoom: 1 fits `WORLD_SPAN_DEG` in the map's rectangle.
    pub zoom: f32,
}

impl Default for MapCamera {
    fn default() -> Self {
        Self {
            center: WORLD_CENTRE_DEG,
            zoom: 1.0,
        }
    }
}

impl MapCamera {
    /// The projection onto `rect`: `WORLD_SPAN_DEG` fit at zoom 1, its longitude or its
    /// latitude, whichever is tighter.
    pub fn projection(self, rect: Rect) -> Projection {
        Projection {
            rect,
            center: self.center,
            points_per_degree: world_scale(rect.size()) * self.zoom,
        }
    }

    /// Drag pans, scrolling over the map zooms.
    pub fn pan_and_zoom(&mut self, ui: &egui::Ui, response: &egui::Response, map: Rect) {
        if response.dragged() {
            let delta = response.drag_delta() / self.projection(map).points_per_degree;
            self.center.x -= delta.x;
            self.center.y += delta.y;
        }
        if response.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                self.zoom = (self.zoom * (scroll / 300.0).exp()).clamp(0.8, 20.0);
            }
        }
    }
}

/// Points per degree that fit the world band in `size` at zoom 1.
fn world_scale(size: Vec2) -> f32 {
    (size.x / WORLD_SPAN_DEG.x).min(size.y / WORLD_SPAN_DEG.y)
}

/// The sizes the key and the ranked strip need, points.
#[derive(Clone, Copy, Debug)]
pub struct ContentSizes {
    /// The key as one column (beside the map).
    pub key_column: Vec2,
    /// The key as two columns, colours and glyphs side by side (under the map).
    pub key_row: Vec2,
    /// The ranked strip's height (its width follows the room).
    pub ranking_height: f32,
}

/// Where each part of the Map tab goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapLayout {
    pub map: Rect,
    pub key: Rect,
    /// The key is laid out in two columns (under the map), else one.
    pub key_in_two_columns: bool,
    /// The ranked strip, where there is room for it.
    pub ranking: Option<Rect>,
}

/// Points between the map and what is under or beside it.
const GAP: f32 = 6.0;
/// The ranked strip needs at least this width to name a region, draw a bar and a figure.
const RANKING_MIN_WIDTH: f32 = 180.0;

/// A layout without the ranking wins only if its map is this much larger (per degree):
/// the ranking is worth a slightly smaller map, not a cramped one.
const RANKING_WORTH: f32 = 0.9;

/// Shares `panel` between the map, its key and the ranked strip: of the arrangements that
/// fit (under the map or beside it, with or without the ranking), the one whose map has
/// the most points per degree, the ranking weighed in.
pub fn map_layout(panel: Rect, sizes: ContentSizes) -> MapLayout {
    let candidates = [
        under_the_map(panel, sizes, true),
        under_the_map(panel, sizes, false),
        beside_the_map(panel, sizes),
    ];
    let score = |layout: &MapLayout| {
        let scale = world_scale(layout.map.size());
        if layout.ranking.is_some() {
            scale
        } else {
            scale * RANKING_WORTH
        }
    };
    candidates
        .into_iter()
        .flatten()
        .fold(None::<MapLayout>, |best, next| match best {
            Some(best) if score(&best) >= score(&next) => Some(best),
            _ => Some(next),
        })
        .unwrap_or(MapLayout {
            map: panel,
            key: Rect::NOTHING,
            key_in_two_columns: false,
            ranking: None,
        })
}

/// The map across the whole width, the key (in two columns) under it at the right, and
/// the ranking left of the key if asked and there is the width.
fn under_the_map(panel: Rect, sizes: ContentSizes, with_ranking: bool) -> Option<MapLayout> {
    let fits_beside_key = panel.width() >= sizes.key_row.x + GAP + RANKING_MIN_WIDTH;
    if with_ranking && !fits_beside_key {
        return None;
    }
    let band_height = if with_ranking {
        sizes.key_row.y.max(sizes.ranking_height)
    } else {
        sizes.key_row.y
    } + GAP;
    let above_band = vec2(panel.width(), (panel.height() - band_height).max(0.0));
    let map_height = (WORLD_SPAN_DEG.y * world_scale(above_band)).min(above_band.y);
    let map = Rect::from_min_size(panel.min, vec2(panel.width(), map_height));
    let band = panel.with_min_y(map.bottom() + GAP);
    let key = band.with_min_x((band.right() - sizes.key_row.x).max(band.left()));
    Some(MapLayout {
        map,
        key,
        key_in_two_columns: true,
        ranking: with_ranking.then(|| band.with_max_x(key.left() - GAP)),
    })
}

/// The key in a column at the right; the ranking under the map if the map leaves the
/// room (it is held by the width), else under the key if it fits there.
fn beside_the_map(panel: Rect, sizes: ContentSizes) -> Option<MapLayout> {
    let side_width = sizes.key_column.x.min(panel.width() * 0.4);
    let beside = panel.with_max_x(panel.right() - side_width);
    let column = panel.with_min_x(beside.right());
    let map_height = WORLD_SPAN_DEG.y * world_scale(beside.size());
    let spare_under_map = beside.height() - map_height - GAP;
    if spare_under_map >= sizes.ranking_height && beside.width() >= RANKING_MIN_WIDTH {
        let map = beside.with_max_y(beside.top() + map_height);
        return Some(MapLayout {
            map,
            key: column,
            key_in_two_columns: false,
            ranking: Some(beside.with_min_y(map.bottom() + GAP)),
        });
    }
    let key = column.with_max_y(column.top() + sizes.key_column.y);
    let under_key = column.with_min_y(key.bottom() + GAP);
    let fits = under_key.height() >= sizes.ranking_height && under_key.width() >= RANKING_MIN_WIDTH;
    Some(MapLayout {
        map: beside,
        key: if fits { key } else { column },
        key_in_two_columns: false,
        ranking: fits.then(|| {
            Rect::from_min_size(under_key.min, vec2(under_key.width(), sizes.ranking_height))
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn sized(size: Vec2) -> Rect {
        Rect::from_min_size(pos2(0.0, 0.0), size)
    }

    const SIZES: ContentSizes = ContentSizes {
        key_column: vec2(200.0, 360.0),
        key_row: vec2(325.0, 240.0),
        ranking_height: 190.0,
    };

    /// No two parts overlap and every part lies in the panel.
    fn assert_tiled(panel: Rect, layout: &MapLayout) {
        let mut parts = vec![layout.map, layout.key];
        parts.extend(layout.ranking);
        for (i, a) in parts.iter().enumerate() {
            assert!(
                panel.expand(0.01).contains_rect(*a),
                "{a:?} leaves {panel:?}"
            );
            for b in &parts[i + 1..] {
                assert!(!a.intersect(*b).is_positive(), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn a_tall_tab_puts_the_key_and_the_ranking_under_a_larger_map() {
        // The Map tab of a 1600 x 1000 window.
        let panel = sized(vec2(750.0, 700.0));
        let layout = map_layout(panel, SIZES);
        assert_tiled(panel, &layout);
        assert!(layout.key_in_two_columns);
        assert_eq!(layout.map.width(), 750.0, "the map takes the whole width");
        let ranking = layout.ranking.expect("room for the ranking");
        assert!(ranking.top() > layout.map.bottom() && layout.key.top() > layout.map.bottom());
        // Beside the key the map would have 550 points: 1.62 per degree; here 2.21.
        let scale = world_scale(layout.map.size());
        assert!((scale - 750.0 / 340.0).abs() < 0.01, "{scale}");
        assert!(
            (layout.map.height() - 161.0 * scale).abs() < 0.5,
            "no empty band under the map: {:?}",
            layout.map
        );
    }

    #[test]
    fn a_wide_slide_keeps_the_key_beside_the_map_and_ranks_under_the_key() {
        // A 1280 x 720 slide under its title band.
        let panel = sized(vec2(1265.0, 620.0));
        let layout = map_layout(panel, SIZES);
        assert_tiled(panel, &layout);
        assert!(!layout.key_in_two_columns);
        assert_eq!(layout.key.left(), layout.map.right());
        assert_eq!(layout.map.height(), 620.0);
        let ranking = layout.ranking.expect("room under the key");
        assert_eq!(ranking.left(), layout.key.left());
        assert!(ranking.top() >= layout.key.bottom());
    }

    #[test]
    fn a_narrow_tab_drops_the_ranking_rather_than_squeeze_the_map() {
        // Too narrow for the ranking beside the key.
        let panel = sized(vec2(480.0, 560.0));
        let layout = map_layout(panel, SIZES);
        assert_tiled(panel, &layout);
        assert_eq!(layout.ranking, None, "{layout:?}");
        assert!(layout.key_in_two_columns);
        assert_eq!(layout.map.width(), 480.0, "{layout:?}");
    }

    #[test]
    fn the_default_camera_fits_the_band_with_the_demand_and_antarcticas_coast() {
        let projection = MapCamera::default().projection(sized(vec2(680.0, 322.0)));
        assert_eq!(projection.points_per_degree, 2.0);
        let top_left = projection.to_degrees(pos2(0.0, 0.0));
        let bottom_right = projection.to_degrees(pos2(680.0, 322.0));
        assert_eq!((top_left.x, top_left.y), (-160.0, 84.0));
        assert_eq!((bottom_right.x, bottom_right.y), (180.0, -77.0));
    }
}
