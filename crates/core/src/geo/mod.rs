//! Geography (the requirements' "Location Service"): countries with their currency and tax
//! regime, cities with delivery zones and the service categories enabled in each, and
//! resolving a point to what can be delivered there.

mod distance;
mod model;
mod ports;
mod service;

pub use distance::{EARTH_RADIUS_M, distance_m};
pub use model::*;
pub use ports::*;
pub use service::{GeoError, GeoService};

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

/// Why a country code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be an ISO 3166-1 alpha-2 country code such as \"DE\"")]
pub struct InvalidCountryCode;

impl CountryCode {
    /// Parses a two-letter code, accepting lower case.
    ///
    /// # Errors
    /// [`InvalidCountryCode`] unless the input is exactly two ASCII letters.
    pub fn parse(input: &str) -> Result<Self, InvalidCountryCode> {
        let code = input.trim();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(code.to_ascii_uppercase()))
        } else {
            Err(InvalidCountryCode)
        }
    }

    /// The code as a string slice.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CountryCode {
    type Error = InvalidCountryCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> Self {
        code.0
    }
}

impl utoipa::PartialSchema for CountryCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[A-Z]{2}$"))
            .examples([serde_json::json!("DE")])
            .into()
    }
}

impl utoipa::ToSchema for CountryCode {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_upper_cased() {
        assert_eq!(CountryCode::parse(" de ").map(|c| c.0), Ok("DE".to_owned()));
    }

    #[test]
    fn country_codes_must_be_two_letters() {
        for bad in ["", "D", "DEU", "1A", "D-"] {
            assert_eq!(CountryCode::parse(bad), Err(InvalidCountryCode), "{bad}");
        }
    }
}

/// A point on Earth in WGS 84 degrees, both finite and in range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    lat: f64,
    lng: f64,
}

/// Why a coordinate was refused; names the offending axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidCoordinates {
    /// Latitude outside −90..=90 or not a number.
    #[error("latitude must be a number from -90 to 90")]
    Latitude,
    /// Longitude outside −180..=180 or not a number.
    #[error("longitude must be a number from -180 to 180")]
    Longitude,
}

impl Coordinates {
    /// Validates a latitude/longitude pair.
    ///
    /// # Errors
    /// [`InvalidCoordinates`] for the first axis out of range (NaN and infinities included).
    pub fn new(lat: f64, lng: f64) -> Result<Self, InvalidCoordinates> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(InvalidCoordinates::Latitude);
        }
        if !(lng.is_finite() && (-180.0..=180.0).contains(&lng)) {
            return Err(InvalidCoordinates::Longitude);
        }
        Ok(Self { lat, lng })
    }

    /// Latitude in degrees.
    #[must_use]
    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Longitude in degrees.
    #[must_use]
    pub fn lng(self) -> f64 {
        self.lng
    }
}

#[cfg(test)]
mod coordinate_tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn in_range_pairs_are_accepted(lat in -90.0f64..=90.0, lng in -180.0f64..=180.0) {
            prop_assert!(Coordinates::new(lat, lng).is_ok());
        }

        #[test]
        fn out_of_range_latitudes_are_refused(lat in 90.000_001f64..1e9, lng in -180.0f64..=180.0) {
            prop_assert_eq!(Coordinates::new(lat, lng), Err(InvalidCoordinates::Latitude));
            prop_assert_eq!(Coordinates::new(-lat, lng), Err(InvalidCoordinates::Latitude));
        }
    }

    #[test]
    fn non_finite_values_are_refused() {
        assert_eq!(
            Coordinates::new(f64::NAN, 0.0),
            Err(InvalidCoordinates::Latitude)
        );
        assert_eq!(
            Coordinates::new(0.0, f64::INFINITY),
            Err(InvalidCoordinates::Longitude)
        );
    }
}
