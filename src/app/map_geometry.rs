//! The map's geometry: country outlines read from GeoJSON and triangulated once, the
//! projection from degrees to screen points, and hit tests.

use egui::{Pos2, Rect, Vec2, pos2, vec2};

/// A shape in degrees: triangles to fill and rings to outline.
#[derive(Default)]
pub struct Outline {
    pub vertices: Vec<[f32; 2]>,
    pub triangles: Vec<u32>,
    pub rings: Vec<Vec<[f32; 2]>>,
}

/// How far (degrees) the coarse outline may stray from the full one: 0.3° is about a
/// point at the scales where it is drawn ([`CountryShape::outline_at`]: the whole world in
/// a 1600-point window is 3 points to a degree).
const COARSE_TOLERANCE_DEG: f32 = 0.3;

/// Below this scale (points per degree) a country is drawn from its coarse outline.
const COARSE_BELOW_POINTS_PER_DEG: f32 = 4.0;

/// One country's shape: in full, for hit tests and close views, and coarse, for the whole
/// world on screen. The full map has 10,600 border points, several to a screen point at
/// world scale; every one becomes triangles a software renderer bins and keeps (the map's
/// borders and a region's outline were a third of the app's resident memory under
/// llvmpipe), so the world view draws under half as many.
pub struct CountryShape {
    pub iso3: String,
    pub name: String,
    pub full: Outline,
    pub coarse: Outline,
    /// Area of the largest outer ring, square degrees: which member of a region is large
    /// enough to carry the region's label.
    pub largest_area_deg2: f32,
    /// Centroid of the largest outer ring, degrees (lon, lat): where a label sits inside
    /// the country rather than on a far island (France's centroid is not in French Guiana).
    pub label_point: [f32; 2],
    /// Corners of the box around every ring, degrees (lon, lat): hit tests skip the
    /// triangles of countries whose box misses the point (label placement asks often).
    pub min_deg: [f32; 2],
    pub max_deg: [f32; 2],
}

/// Why the world map could not be read. The map says so rather than showing an empty sea.
#[derive(Debug, thiserror::Error)]
pub enum MapLoadError {
    #[error("the world map is not valid GeoJSON: {0}")]
    NotJson(#[from] serde_json::Error),
    #[error("the world map has no `features` list")]
    NoFeatures,
    #[error("the world map has no country outline (Polygon or MultiPolygon)")]
    NoOutlines,
}

/// Reads a GeoJSON feature collection (features with `iso3` and `name` properties) and
/// triangulates every polygon (concave ones need it). Input that is not GeoJSON, or holds
/// no outline, is an error.
pub fn load_world(geojson: &str) -> Result<Vec<CountryShape>, MapLoadError> {
    let json = serde_json::from_str::<serde_json::Value>(geojson)?;
    let features = json["features"]
        .as_array()
        .ok_or(MapLoadError::NoFeatures)?;
    let mut shapes = Vec::new();
    for feature in features {
        let iso3 = feature["properties"]["iso3"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let name = feature["properties"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let geometry = &feature["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            Some("MultiPolygon") => geometry["coordinates"]
                .as_array()
                .map(|p| p.iter().collect())
                .unwrap_or_default(),
            _ => continue,
        };
        let mut shape = CountryShape {
            iso3,
            name,
            full: Outline::default(),
            coarse: Outline::default(),
            largest_area_deg2: 0.0,
            label_point: [0.0, 0.0],
            min_deg: [f32::INFINITY; 2],
            max_deg: [f32::NEG_INFINITY; 2],
        };
        for polygon in polygons {
            let rings: Vec<Vec<[f32; 2]>> = polygon
                .as_array()
                .into_iter()
                .flatten()
                .map(|ring| {
                    let mut points: Vec<[f32; 2]> = ring
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|point| {
                            Some([point[0].as_f64()? as f32, point[1].as_f64()? as f32])
                        })
                        .collect();
                    // A zero-length edge (a repeated point, or the closing point GeoJSON
                    // repeats) has no direction: its outline would spike across the map.
                    points.dedup();
                    if points.len() > 1 && points.first() == points.last() {
                        points.pop();
                    }
                    points
                })
                .collect();
            shape.full.add_polygon(&rings);
            let coarse: Vec<Vec<[f32; 2]>> = rings
                .iter()
                .map(|ring| simplify_ring(ring, COARSE_TOLERANCE_DEG))
                .collect();
            shape.coarse.add_polygon(&coarse);
            if let Some(outer) = rings.first() {
                let (area, centroid) = area_and_centroid(outer);
                if area > shape.largest_area_deg2 {
                    shape.largest_area_deg2 = area;
                    shape.label_point = centroid;
                }
            }
        }
        for vertex in &shape.full.vertices {
            for (axis, value) in vertex.iter().enumerate() {
                shape.min_deg[axis] = shape.min_deg[axis].min(*value);
                shape.max_deg[axis] = shape.max_deg[axis].max(*value);
            }
        }
        shapes.push(shape);
    }
    if shapes.is_empty() {
        return Err(MapLoadError::NoOutlines);
    }
    Ok(shapes)
}

impl Outline {
    /// Adds a polygon (its outer ring, then its holes), triangulated: concave ones need it.
    fn add_polygon(&mut self, rings: &[Vec<[f32; 2]>]) {
        let mut flat = Vec::new();
        let mut holes = Vec::new();
        for (index, ring) in rings.iter().enumerate() {
            if index > 0 {
                holes.push(flat.len() / 2);
            }
            for point in ring {
                flat.push(f64::from(point[0]));
                flat.push(f64::from(point[1]));
            }
        }
        let offset = self.vertices.len() as u32;
        if let Ok(triangles) = earcutr::earcut(&flat, &holes, 2) {
            self.triangles
                .extend(triangles.into_iter().map(|i| offset + i as u32));
        }
        for ring in rings {
            self.vertices.extend(ring.iter().copied());
        }
        self.rings.extend(rings.iter().cloned());
    }
}

/// A closed ring with the points that stray less than `tolerance` (degrees) from the line
/// through their neighbours left out (Douglas–Peucker), keeping at least a triangle so
/// that no island disappears.
fn simplify_ring(ring: &[[f32; 2]], tolerance: f32) -> Vec<[f32; 2]> {
    if ring.len() <= 3 {
        return ring.to_vec();
    }
    let distance2 = |p: [f32; 2], q: [f32; 2]| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
    // Anchors: the first point and the one farthest from it, so both halves are open paths.
    let far = (1..ring.len())
        .max_by(|&a, &b| distance2(ring[0], ring[a]).total_cmp(&distance2(ring[0], ring[b])))
        .unwrap_or(1);
    let mut keep = vec![false; ring.len()];
    keep[0] = true;
    keep[far] = true;
    let closed: Vec<[f32; 2]> = ring
        .iter()
        .chain(std::iter::once(&ring[0]))
        .copied()
        .collect();
    keep_farthest(&closed, 0, far, tolerance, &mut keep);
    keep_farthest(&closed, far, ring.len(), tolerance, &mut keep);
    let mut kept: Vec<[f32; 2]> = (0..ring.len())
        .filter(|&i| keep[i])
        .map(|i| ring[i])
        .collect();
    if kept.len() < 3 {
        // A sliver or a speck: its most distant point from the anchors' line makes it a
        // triangle.
        let third = (1..ring.len()).filter(|&i| i != far).max_by(|&a, &b| {
            offset_from(ring[a], ring[0], ring[far])
                .total_cmp(&offset_from(ring[b], ring[0], ring[far]))
        });
        kept = match third {
            Some(third) => {
                let mut three = [0, far, third];
                three.sort_unstable();
                three.iter().map(|&i| ring[i]).collect()
            }
            None => kept,
        };
    }
    kept
}

/// Marks, between `first` and `last` of `points`, the points Douglas–Peucker keeps.
fn keep_farthest(
    points: &[[f32; 2]],
    first: usize,
    last: usize,
    tolerance: f32,
    keep: &mut [bool],
) {
    let mut stack = vec![(first, last)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (farthest, offset) = (a + 1..b)
            .map(|i| (i, offset_from(points[i], points[a], points[b])))
            .fold(
                (a + 1, -1.0_f32),
                |best, next| if next.1 > best.1 { next } else { best },
            );
        if offset > tolerance {
            keep[farthest % keep.len()] = true;
            stack.push((a, farthest));
            stack.push((farthest, b));
        }
    }
}

/// Distance (degrees) of `p` from the segment `a`–`b`.
fn offset_from(p: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((p[0] - a[0] - t * dx).powi(2) + (p[1] - a[1] - t * dy).powi(2)).sqrt()
}

/// Area (square degrees, unsigned) and centroid of a closed ring, by the shoelace formula.
fn area_and_centroid(ring: &[[f32; 2]]) -> (f32, [f32; 2]) {
    let (mut twice_area, mut cx, mut cy) = (0.0_f64, 0.0_f64, 0.0_f64);
    for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
        let (ax, ay, bx, by) = (
            f64::from(a[0]),
            f64::from(a[1]),
            f64::from(b[0]),
            f64::from(b[1]),
        );
        let cross = ax * by - bx * ay;
        twice_area += cross;
        cx += (ax + bx) * cross;
        cy += (ay + by) * cross;
    }
    if twice_area.abs() < 1e-12 {
        let first = ring.first().copied().unwrap_or([0.0, 0.0]);
        return (0.0, first);
    }
    let centroid = [
        (cx / (3.0 * twice_area)) as f32,
        (cy / (3.0 * twice_area)) as f32,
    ];
    ((twice_area.abs() / 2.0) as f32, centroid)
}

/// Degrees to screen points and back.
#[derive(Clone, Copy)]
pub struct Projection {
    pub rect: Rect,
    /// Centre of the view, degrees (lon, lat).
    pub center: Vec2,
    pub points_per_degree: f32,
}

impl Projection {
    pub fn to_screen(self, lon: f32, lat: f32) -> Pos2 {
        let center = self.rect.center();
        pos2(
            center.x + (lon - self.center.x) * self.points_per_degree,
            center.y - (lat - self.center.y) * self.points_per_degree,
        )
    }

    pub fn to_degrees(self, pos: Pos2) -> Vec2 {
        let center = self.rect.center();
        vec2(
            self.center.x + (pos.x - center.x) / self.points_per_degree,
            self.center.y - (pos.y - center.y) / self.points_per_degree,
        )
    }
}

/// Whether `p` lies in triangle (a, b, c).
fn in_triangle(p: [f32; 2], a: [f32; 2], b: [f32; 2], c: [f32; 2]) -> bool {
    let sign = |p1: [f32; 2], p2: [f32; 2], p3: [f32; 2]| {
        (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1])
    };
    let (d1, d2, d3) = (sign(p, a, b), sign(p, b, c), sign(p, c, a));
    let negative = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
    let positive = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
    !(negative && positive)
}

impl CountryShape {
    /// Whether `point` (degrees: lon, lat) lies inside the country.
    pub fn contains(&self, point: [f32; 2]) -> bool {
        let outside_box =
            (0..2).any(|axis| point[axis] < self.min_deg[axis] || point[axis] > self.max_deg[axis]);
        if outside_box {
            return false;
        }
        let full = &self.full;
        full.triangles.chunks_exact(3).any(|t| {
            in_triangle(
                point,
                full.vertices[t[0] as usize],
                full.vertices[t[1] as usize],
                full.vertices[t[2] as usize],
            )
        })
    }

    /// The outline to draw at a scale: coarse while [`COARSE_TOLERANCE_DEG`] is under a
    /// point on screen, in full when zoomed in further.
    pub fn outline_at(&self, points_per_degree: f32) -> &Outline {
        if points_per_degree < COARSE_BELOW_POINTS_PER_DEG {
            &self.coarse
        } else {
            &self.full
        }
    }
}

/// A closed ring as open paths that break wherever the outline turns back on itself.
///
/// A path's miter at a needle-thin border (Sinai, Gaza) spikes across the whole map at a
/// highlight's width; drawing every edge as its own segment avoids that but, for a region
/// of many countries, hands the renderer tens of thousands of shapes a frame (tens of MB
/// more resident memory under a software renderer). Breaking the path only at the needles
/// keeps both away.
pub fn split_at_needles(ring: &[egui::Pos2]) -> Vec<Vec<egui::Pos2>> {
    let mut paths = Vec::new();
    let Some(&first) = ring.first() else {
        return paths;
    };
    let mut path = vec![first];
    let closed = ring.iter().skip(1).chain(std::iter::once(&first));
    for &point in closed {
        let &last = path.last().unwrap_or(&first);
        if path.len() >= 2 {
            let before = last - path[path.len() - 2];
            let after = point - last;
            let turns_back = before.normalized().dot(after.normalized()) < -0.9;
            if turns_back {
                paths.push(std::mem::replace(&mut path, vec![last]));
            }
        }
        if point != last {
            path.push(point);
        }
    }
    if path.len() >= 2 {
        paths.push(path);
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE_WITH_A_HOLE: &str = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"iso3": "SQR", "name": "Square"},
         "geometry": {"type": "Polygon", "coordinates": [
            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
            [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]}}]}"#;

    #[test]
    fn a_polygon_with_a_hole_is_hit_outside_the_hole_only() {
        let world = load_world(SQUARE_WITH_A_HOLE).expect("reads");
        assert_eq!(world.len(), 1);
        let square = &world[0];
        assert_eq!(
            (square.iso3.as_str(), square.name.as_str()),
            ("SQR", "Square")
        );
        assert_eq!(square.full.rings.len(), 2);
        assert_eq!(
            square.full.rings[0].len(),
            4,
            "the repeated closing point is dropped"
        );
        assert!(square.contains([2.0, 2.0]));
        assert!(square.contains([8.0, 5.0]));
        assert!(!square.contains([5.0, 5.0]), "in the hole");
        assert!(!square.contains([12.0, 5.0]), "outside");
        assert_eq!(
            square.largest_area_deg2, 100.0,
            "the outer ring, holes aside"
        );
        assert_eq!(square.label_point, [5.0, 5.0]);
        assert_eq!((square.min_deg, square.max_deg), ([0.0, 0.0], [10.0, 10.0]));
    }

    #[test]
    fn a_map_that_cannot_be_read_is_an_error_not_an_empty_map() {
        let truncated = &SQUARE_WITH_A_HOLE[..SQUARE_WITH_A_HOLE.len() / 2];
        let error = load_world(truncated).err().expect("truncated JSON");
        assert!(matches!(error, MapLoadError::NotJson(_)), "{error}");
        assert!(
            error
                .to_string()
                .starts_with("the world map is not valid GeoJSON: EOF while parsing"),
            "{error}"
        );
        let error = load_world(r#"{"type": "Feature"}"#)
            .err()
            .expect("no features");
        assert!(matches!(error, MapLoadError::NoFeatures), "{error}");
        let points_only = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"iso3": "PNT", "name": "Point"},
             "geometry": {"type": "Point", "coordinates": [1, 2]}}]}"#;
        let error = load_world(points_only).err().expect("no outline");
        assert!(matches!(error, MapLoadError::NoOutlines), "{error}");
    }

    #[test]
    fn the_shipped_world_map_reads() {
        let world = load_world(include_str!("../../assets/data/world-110m.geojson"))
            .expect("the shipped map reads");
        assert!(world.len() > 150, "{} countries", world.len());
        assert!(world.iter().any(|shape| shape.iso3 == "CHN"));
    }

    #[test]
    fn the_projection_maps_degrees_to_points_and_back() {
        let projection = Projection {
            rect: Rect::from_min_size(pos2(0.0, 0.0), vec2(400.0, 200.0)),
            center: vec2(20.0, 25.0),
            points_per_degree: 2.0,
        };
        assert_eq!(projection.to_screen(20.0, 25.0), pos2(200.0, 100.0));
        assert_eq!(projection.to_screen(30.0, 35.0), pos2(220.0, 80.0));
        assert_eq!(projection.to_degrees(pos2(220.0, 80.0)), vec2(30.0, 35.0));
    }

    #[test]
    fn an_outline_breaks_only_where_it_turns_back() {
        use egui::pos2;
        // A square: one path, closed back at its start.
        let square = [
            pos2(0.0, 0.0),
            pos2(1.0, 0.0),
            pos2(1.0, 1.0),
            pos2(0.0, 1.0),
        ];
        let paths = split_at_needles(&square);
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].len(), 5);
        assert_eq!(paths[0][0], paths[0][4]);
        // A needle: out along x and straight back; the path breaks at its tip.
        let needle = [
            pos2(0.0, 0.0),
            pos2(5.0, 0.0),
            pos2(10.0, 0.1),
            pos2(5.0, 0.2),
            pos2(0.0, 1.0),
        ];
        let paths = split_at_needles(&needle);
        assert_eq!(paths.len(), 2, "{paths:?}");
        assert_eq!(paths[0].last(), paths[1].first());
        let drawn: usize = paths.iter().map(|p| p.len() - 1).sum();
        assert_eq!(drawn, needle.len(), "every edge is drawn once");
    }

    #[test]
    fn a_ring_is_simplified_within_its_tolerance_and_never_below_a_triangle() {
        // A square whose sides wobble by 0.05° every degree: within 0.2° it is its corners.
        let mut ring = Vec::new();
        for side in 0..4 {
            for step in 0..10 {
                let along = step as f32;
                let wobble = if step % 2 == 1 { 0.05 } else { 0.0 };
                ring.push(match side {
                    0 => [along, wobble],
                    1 => [10.0 - wobble, along],
                    2 => [10.0 - along, 10.0 - wobble],
                    _ => [wobble, 10.0 - along],
                });
            }
        }
        let simplified = simplify_ring(&ring, 0.2);
        let mut corners = simplified.clone();
        corners.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
        assert_eq!(
            corners,
            vec![[0.0, 0.0], [0.0, 10.0], [10.0, 0.0], [10.0, 10.0]]
        );
        // Every dropped point lies within the tolerance of the simplified outline.
        for point in &ring {
            let nearest = (0..simplified.len())
                .map(|i| {
                    offset_from(
                        *point,
                        simplified[i],
                        simplified[(i + 1) % simplified.len()],
                    )
                })
                .fold(f32::INFINITY, f32::min);
            assert!(nearest <= 0.2, "{point:?} is {nearest}° away");
        }
        // A speck of an island stays a triangle.
        let speck = [
            [0.0, 0.0],
            [0.01, 0.0],
            [0.01, 0.01],
            [0.005, 0.012],
            [0.0, 0.01],
        ];
        assert_eq!(simplify_ring(&speck, 0.2).len(), 3);
    }

    #[test]
    fn the_world_view_draws_a_fraction_of_the_borders_and_hit_tests_in_full() {
        let world = load_world(include_str!("../../assets/data/world-110m.geojson"))
            .expect("the shipped map reads");
        let points = |outline: fn(&CountryShape) -> &Outline| -> usize {
            world
                .iter()
                .flat_map(|shape| &outline(shape).rings)
                .map(Vec::len)
                .sum()
        };
        let full = points(|shape| &shape.full);
        let coarse = points(|shape| &shape.coarse);
        assert!(coarse * 2 < full, "coarse {coarse} of {full} border points");
        assert!(
            world
                .iter()
                .all(|shape| shape.coarse.rings.len() == shape.full.rings.len()),
            "no island is dropped"
        );
        let zoomed_out = &world[0];
        assert!(std::ptr::eq(zoomed_out.outline_at(3.0), &zoomed_out.coarse));
        assert!(std::ptr::eq(zoomed_out.outline_at(20.0), &zoomed_out.full));
    }
}
