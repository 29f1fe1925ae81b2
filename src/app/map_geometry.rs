//! The map's geometry: country outlines read from GeoJSON and triangulated once, the
//! projection from degrees to screen points, and hit tests.

use egui::{Pos2, Rect, Vec2, pos2, vec2};

/// One country's shape in degrees: triangles to fill and rings to outline.
pub struct CountryShape {
    pub iso3: String,
    pub name: String,
    pub vertices: Vec<[f32; 2]>,
    pub triangles: Vec<u32>,
    pub rings: Vec<Vec<[f32; 2]>>,
    /// Area of the largest outer ring, square degrees: which member of a region is large
    /// enough to carry the region's label.
    pub largest_area_deg2: f32,
    /// Centroid of the largest outer ring, degrees (lon, lat): where a label sits inside
    /// the country rather than on a far island (France's centroid is not in French Guiana).
    pub label_point: [f32; 2],
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
            vertices: Vec::new(),
            triangles: Vec::new(),
            rings: Vec::new(),
            largest_area_deg2: 0.0,
            label_point: [0.0, 0.0],
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
            let offset = shape.vertices.len() as u32;
            if let Ok(triangles) = earcutr::earcut(&flat, &holes, 2) {
                shape
                    .triangles
                    .extend(triangles.into_iter().map(|i| offset + i as u32));
            }
            for ring in &rings {
                shape.vertices.extend(ring.iter().copied());
            }
            if let Some(outer) = rings.first() {
                let (area, centroid) = area_and_centroid(outer);
                if area > shape.largest_area_deg2 {
                    shape.largest_area_deg2 = area;
                    shape.label_point = centroid;
                }
            }
            shape.rings.extend(rings);
        }
        shapes.push(shape);
    }
    if shapes.is_empty() {
        return Err(MapLoadError::NoOutlines);
    }
    Ok(shapes)
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
        self.triangles.chunks_exact(3).any(|t| {
            in_triangle(
                point,
                self.vertices[t[0] as usize],
                self.vertices[t[1] as usize],
                self.vertices[t[2] as usize],
            )
        })
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
        assert_eq!(square.rings.len(), 2);
        assert_eq!(
            square.rings[0].len(),
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
}
