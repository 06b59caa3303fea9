//! Distances on the Earth's surface and delivery-zone membership.

use super::model::{DeliveryZone, LatLng};

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres between two points (haversine). Accurate to ~0.5 %,
/// which is far below the precision any ETA or fee band needs.
#[must_use]
pub fn distance_m(a: LatLng, b: LatLng) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat2 - lat1;
    let d_lng = (b.lng - a.lng).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lng / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

impl DeliveryZone {
    /// Whether `point` lies in the zone of a city centred at `center`.
    #[must_use]
    pub fn contains(&self, center: LatLng, point: LatLng) -> bool {
        match self {
            Self::Radius { radius_m } => distance_m(center, point) <= f64::from(*radius_m),
            Self::Polygon { points } => point_in_polygon(points, point),
        }
    }

    /// The smallest latitude/longitude box holding the zone: `(south, west, north, east)`.
    /// Stores use it to narrow candidates before [`DeliveryZone::contains`] decides.
    #[must_use]
    pub fn bounding_box(&self, center: LatLng) -> (f64, f64, f64, f64) {
        match self {
            Self::Radius { radius_m } => {
                let angle = f64::from(*radius_m) / EARTH_RADIUS_M;
                let d_lat = angle.to_degrees();
                // The widest longitude a circle of that angular radius reaches (exact, not the
                // small-angle approximation, which is too narrow at high latitudes).
                let ratio = angle.sin() / center.lat.to_radians().cos().max(1e-9);
                let d_lng = if ratio >= 1.0 {
                    180.0
                } else {
                    ratio.asin().to_degrees()
                };
                (
                    (center.lat - d_lat).max(-90.0),
                    (center.lng - d_lng).max(-180.0),
                    (center.lat + d_lat).min(90.0),
                    (center.lng + d_lng).min(180.0),
                )
            }
            Self::Polygon { points } => points.iter().fold(
                (
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ),
                |(s, w, n, e), p| (s.min(p.lat), w.min(p.lng), n.max(p.lat), e.max(p.lng)),
            ),
        }
    }
}

/// Ray casting on the plane of latitude/longitude; fine for city-sized polygons away from
/// the antimeridian.
fn point_in_polygon(vertices: &[LatLng], p: LatLng) -> bool {
    let mut inside = false;
    let mut j = vertices.len().wrapping_sub(1);
    for (i, vi) in vertices.iter().enumerate() {
        let vj = vertices[j];
        if (vi.lat > p.lat) != (vj.lat > p.lat)
            && p.lng < (vj.lng - vi.lng) * (p.lat - vi.lat) / (vj.lat - vi.lat) + vi.lng
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const BERLIN: LatLng = LatLng {
        lat: 52.5200,
        lng: 13.4050,
    };
    const MUNICH: LatLng = LatLng {
        lat: 48.1351,
        lng: 11.5820,
    };

    #[test]
    fn berlin_to_munich_is_about_504_km() {
        let km = distance_m(BERLIN, MUNICH) / 1000.0;
        assert!((km - 504.0).abs() < 3.0, "{km}");
    }

    #[test]
    fn a_radius_zone_contains_points_up_to_its_edge() {
        let zone = DeliveryZone::Radius { radius_m: 10_000 };
        let near = LatLng {
            lat: 52.56,
            lng: 13.40,
        }; // ~4.5 km north
        let far = LatLng {
            lat: 52.70,
            lng: 13.40,
        }; // ~20 km north
        assert!(zone.contains(BERLIN, near));
        assert!(!zone.contains(BERLIN, far));
    }

    #[test]
    fn a_polygon_zone_contains_inner_points_only() {
        let square = DeliveryZone::Polygon {
            points: vec![
                LatLng { lat: 0.0, lng: 0.0 },
                LatLng { lat: 0.0, lng: 1.0 },
                LatLng { lat: 1.0, lng: 1.0 },
                LatLng { lat: 1.0, lng: 0.0 },
            ],
        };
        assert!(square.contains(BERLIN, LatLng { lat: 0.5, lng: 0.5 }));
        assert!(!square.contains(BERLIN, LatLng { lat: 1.5, lng: 0.5 }));
    }

    fn point() -> impl Strategy<Value = LatLng> {
        (-80.0f64..80.0, -179.0f64..179.0).prop_map(|(lat, lng)| LatLng { lat, lng })
    }

    proptest! {
        #[test]
        fn distance_is_symmetric_and_non_negative(a in point(), b in point()) {
            let (ab, ba) = (distance_m(a, b), distance_m(b, a));
            prop_assert!(ab >= 0.0);
            prop_assert!((ab - ba).abs() < 1e-6);
        }

        #[test]
        fn distance_obeys_the_triangle_inequality(a in point(), b in point(), c in point()) {
            prop_assert!(distance_m(a, c) <= distance_m(a, b) + distance_m(b, c) + 1e-6);
        }

        #[test]
        fn a_radius_zone_lies_inside_its_bounding_box(
            center in point(), radius in 100u32..50_000, bearing in 0.0f64..360.0, frac in 0.0f64..1.0,
        ) {
            // A point at `frac` of the radius along `bearing` (small-distance approximation).
            let d = f64::from(radius) * frac * 0.99;
            let d_lat = (d * bearing.to_radians().cos() / EARTH_RADIUS_M).to_degrees();
            let d_lng = (d * bearing.to_radians().sin() / EARTH_RADIUS_M).to_degrees()
                / center.lat.to_radians().cos();
            let p = LatLng { lat: center.lat + d_lat, lng: center.lng + d_lng };
            let zone = DeliveryZone::Radius { radius_m: radius };
            let (s, w, n, e) = zone.bounding_box(center);
            prop_assume!(zone.contains(center, p));
            prop_assert!(s <= p.lat && p.lat <= n && w <= p.lng && p.lng <= e);
        }
    }
}
