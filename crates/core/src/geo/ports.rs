//! The ports geography runs behind.

use async_trait::async_trait;

use super::CountryCode;
use super::model::{City, Country, LatLng, ServiceCategory};
use crate::error::StoreError;
use crate::ids::CityId;

/// The names of geography's unique constraints, reported in
/// [`StoreError::UniqueViolation`].
pub const COUNTRIES_PKEY: &str = "countries_pkey";

/// Countries and cities.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait GeoStore: Send + Sync {
    /// Every country, enabled or not, by name.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn list_countries(&self) -> Result<Vec<Country>, StoreError>;

    /// One country.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn country(&self, code: &CountryCode) -> Result<Option<Country>, StoreError>;

    /// Adds a country.
    ///
    /// # Errors
    /// [`StoreError::UniqueViolation`] with [`COUNTRIES_PKEY`] when the code exists.
    async fn create_country(&self, country: &Country) -> Result<(), StoreError>;

    /// Replaces a country; `false` when there is none with its code.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn update_country(&self, country: &Country) -> Result<bool, StoreError>;

    /// The cities of a country, enabled or not, by name.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn cities_of(&self, country: &CountryCode) -> Result<Vec<City>, StoreError>;

    /// One city.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn city(&self, id: CityId) -> Result<Option<City>, StoreError>;

    /// Adds a city. The store keeps the zone's bounding box for [`GeoStore::cities_around`].
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn create_city(&self, city: &City) -> Result<(), StoreError>;

    /// Replaces a city; `false` when it does not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn update_city(&self, city: &City) -> Result<bool, StoreError>;

    /// Enables or disables a category in a city; the updated city, or `None` when it does
    /// not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn set_city_category(
        &self,
        city: CityId,
        category: ServiceCategory,
        enabled: bool,
    ) -> Result<Option<City>, StoreError>;

    /// Enabled cities of enabled countries whose zone's bounding box contains `point`:
    /// candidates for [`super::model::DeliveryZone::contains`].
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn cities_around(&self, point: LatLng) -> Result<Vec<City>, StoreError>;
}

/// Read access to the countries the marketplace serves.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait CountryDirectory: Send + Sync {
    /// Whether `code` is a country the marketplace currently serves (exists and is enabled).
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn is_served(&self, code: &CountryCode) -> Result<bool, StoreError>;
}

/// Where a point is served from, as other contexts need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedArea {
    /// The country.
    pub country_code: CountryCode,
    /// The city whose zone contains the point.
    pub city_id: CityId,
    /// Categories enabled there.
    pub categories: Vec<ServiceCategory>,
}

/// Resolves points to the city serving them; implemented by
/// [`super::GeoService`], used by identity and catalog.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait PointLocator: Send + Sync {
    /// The area serving `point`, or `None` when no city delivers there.
    ///
    /// # Errors
    /// [`StoreError`] when the backend fails.
    async fn locate(&self, point: LatLng) -> Result<Option<ServedArea>, StoreError>;
}
