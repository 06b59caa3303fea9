//! Geography's entities and their wire shapes.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::CountryCode;
use crate::ids::CityId;
use crate::money::CurrencyCode;

/// A point as sent and returned on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LatLng {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lng: f64,
}

/// A line of business the marketplace offers; enabled per city.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCategory {
    /// Restaurants and take-away.
    Food,
    /// Supermarkets.
    Grocery,
    /// Pharmacies and drugstores.
    Pharmacy,
    /// Convenience stores.
    Convenience,
    /// Florists.
    Flowers,
    /// Alcohol retailers.
    Alcohol,
}

impl ServiceCategory {
    /// Every category.
    pub const ALL: [Self; 6] = [
        Self::Food,
        Self::Grocery,
        Self::Pharmacy,
        Self::Convenience,
        Self::Flowers,
        Self::Alcohol,
    ];

    /// The category's stable name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Food => "food",
            Self::Grocery => "grocery",
            Self::Pharmacy => "pharmacy",
            Self::Convenience => "convenience",
            Self::Flowers => "flowers",
            Self::Alcohol => "alcohol",
        }
    }

    /// Parses a stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// What a price is taxed as. Rates per class are set per country.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TaxClass {
    /// Prepared food.
    Food,
    /// Groceries (often a reduced rate).
    Grocery,
    /// Alcoholic drinks.
    Alcohol,
    /// Medicines.
    Medicine,
    /// Anything else.
    General,
    /// The delivery fee.
    DeliveryFee,
    /// The service fee.
    ServiceFee,
}

impl TaxClass {
    /// Every class.
    pub const ALL: [Self; 7] = [
        Self::Food,
        Self::Grocery,
        Self::Alcohol,
        Self::Medicine,
        Self::General,
        Self::DeliveryFee,
        Self::ServiceFee,
    ];

    /// The class's stable name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Food => "food",
            Self::Grocery => "grocery",
            Self::Alcohol => "alcohol",
            Self::Medicine => "medicine",
            Self::General => "general",
            Self::DeliveryFee => "delivery_fee",
            Self::ServiceFee => "service_fee",
        }
    }

    /// Parses a stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// How a country taxes consumer prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxRegime {
    /// Listed prices include tax (VAT, consumption tax); the tax part is extracted.
    Inclusive,
    /// Tax is added on top of listed prices (US sales tax).
    Exclusive,
}

/// The rate of one tax class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaxRate {
    /// The class.
    pub class: TaxClass,
    /// The rate as a fraction, e.g. `"0.19"` for 19 %.
    #[schema(value_type = String, example = "0.19")]
    pub rate: Decimal,
}

/// A country the marketplace serves (or may serve, when enabled).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: CountryCode,
    /// English name.
    pub name: String,
    /// ISO 4217 currency.
    pub currency: CurrencyCode,
    /// Decimal places of the currency's minor unit (JPY 0, EUR 2, KWD 3).
    pub currency_exponent: u8,
    /// Default locale (BCP 47).
    pub default_locale: String,
    /// IANA time zones in use, the first being the default.
    pub time_zones: Vec<String>,
    /// Whether prices include tax.
    pub tax_regime: TaxRegime,
    /// Rates per tax class; a class without a rate is untaxed.
    pub tax_rates: Vec<TaxRate>,
    /// Whether the marketplace operates there now.
    pub enabled: bool,
}

/// The area a city delivers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeliveryZone {
    /// Everything within `radiusM` metres of the city centre.
    #[serde(rename_all = "camelCase")]
    Radius {
        /// Radius in metres.
        radius_m: u32,
    },
    /// A polygon (at least three vertices, not closed: the last connects to the first).
    Polygon {
        /// Vertices in order.
        points: Vec<LatLng>,
    },
}

/// A city with its delivery zone and enabled categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct City {
    /// The city's id.
    pub id: CityId,
    /// Its country.
    pub country_code: CountryCode,
    /// Name.
    pub name: String,
    /// City centre.
    pub center: LatLng,
    /// IANA time zone.
    pub time_zone: String,
    /// Where deliveries are made.
    pub zone: DeliveryZone,
    /// Categories enabled here.
    pub categories: Vec<ServiceCategory>,
    /// Whether the city is live.
    pub enabled: bool,
}

/// `GET /api/locations/resolve`: what can be delivered to a point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    /// Whether any city delivers to the point.
    pub deliverable: bool,
    /// The country, when deliverable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// The city, when deliverable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<City>,
    /// Categories enabled at the point (empty when not deliverable).
    pub categories: Vec<ServiceCategory>,
}

/// Admin: create or replace a country (`POST /api/locations/countries`,
/// `PUT /api/locations/countries/{code}`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CountryInput {
    /// ISO 3166-1 alpha-2 code (must match the path on PUT).
    pub code: String,
    /// English name.
    pub name: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Minor-unit decimals, 0–4.
    pub currency_exponent: u8,
    /// Default locale.
    pub default_locale: String,
    /// IANA time zones, at least one.
    pub time_zones: Vec<String>,
    /// Tax regime.
    pub tax_regime: TaxRegime,
    /// Rates per class, each class at most once, 0 ≤ rate < 1.
    pub tax_rates: Vec<TaxRate>,
    /// Enabled.
    pub enabled: bool,
}

/// Admin: create or replace a city.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CityInput {
    /// Name, 1–100 characters.
    pub name: String,
    /// Centre.
    pub center: LatLng,
    /// IANA time zone.
    pub time_zone: String,
    /// Delivery zone; radius up to 100 km, polygons of 3–500 vertices.
    pub zone: DeliveryZone,
    /// Enabled categories.
    pub categories: Vec<ServiceCategory>,
    /// Enabled.
    pub enabled: bool,
}

/// Admin: enable or disable one category in a city.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CategoryToggle {
    /// Whether the category is offered.
    pub enabled: bool,
}
