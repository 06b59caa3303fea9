//! An in-process cache of the countries and served cities in front of the geography store.
//!
//! Every discovery request and every reported location first asks which city serves a
//! point, and every cart price needs its country's tax regime. The answers depend on a few
//! dozen rows that change only when an administrator edits geography, so each process keeps
//! them in memory: writes through this process refresh it at once, and other processes see a
//! change within [`CITY_CACHE_TTL`]. That saves a database round trip on the hottest paths.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::geo::{City, Country, CountryCode, GeoStore, LatLng, ServiceCategory};
use mercato_core::ids::CityId;

/// How long another process's geography change may take to show here.
pub const CITY_CACHE_TTL: Duration = Duration::from_secs(30);

/// What the cache holds: every country, and the enabled cities of enabled countries.
#[derive(Debug, Default)]
struct Snapshot {
    countries: Vec<Country>,
    served: Vec<City>,
}

/// A [`GeoStore`] that answers [`GeoStore::cities_around`] and [`GeoStore::country`] from
/// memory.
pub struct CachedGeoStore {
    inner: Arc<dyn GeoStore>,
    ttl: Duration,
    served: RwLock<Option<(Instant, Arc<Snapshot>)>>,
    /// Bumped by every write, so a load that started before a write never stores its
    /// (possibly stale) result after it.
    generation: AtomicU64,
}

impl CachedGeoStore {
    /// Caches `inner`'s served cities for `ttl`.
    #[must_use]
    pub fn new(inner: Arc<dyn GeoStore>, ttl: Duration) -> Self {
        Self {
            inner,
            ttl,
            served: RwLock::new(None),
            generation: AtomicU64::new(0),
        }
    }

    fn fresh(&self) -> Option<Arc<Snapshot>> {
        let guard = self
            .served
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard
            .as_ref()
            .filter(|(loaded, _)| loaded.elapsed() < self.ttl)
            .map(|(_, cities)| Arc::clone(cities))
    }

    fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        *self
            .served
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// Every country, and the enabled cities of enabled countries.
    async fn snapshot(&self) -> Result<Arc<Snapshot>, StoreError> {
        if let Some(snapshot) = self.fresh() {
            return Ok(snapshot);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let countries = self.inner.list_countries().await?;
        let mut cities = Vec::new();
        for country in countries.iter().filter(|c| c.enabled) {
            cities.extend(
                self.inner
                    .cities_of(&country.code)
                    .await?
                    .into_iter()
                    .filter(|c| c.enabled),
            );
        }
        let snapshot = Arc::new(Snapshot {
            countries,
            served: cities,
        });
        let mut served = self
            .served
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.generation.load(Ordering::SeqCst) == generation {
            *served = Some((Instant::now(), Arc::clone(&snapshot)));
        }
        Ok(snapshot)
    }
}

#[async_trait]
impl GeoStore for CachedGeoStore {
    async fn list_countries(&self) -> Result<Vec<Country>, StoreError> {
        self.inner.list_countries().await
    }

    async fn country(&self, code: &CountryCode) -> Result<Option<Country>, StoreError> {
        Ok(self
            .snapshot()
            .await?
            .countries
            .iter()
            .find(|c| c.code == *code)
            .cloned())
    }

    async fn create_country(&self, country: &Country) -> Result<(), StoreError> {
        let created = self.inner.create_country(country).await;
        self.invalidate();
        created
    }

    async fn update_country(&self, country: &Country) -> Result<bool, StoreError> {
        let updated = self.inner.update_country(country).await;
        self.invalidate();
        updated
    }

    async fn cities_of(&self, country: &CountryCode) -> Result<Vec<City>, StoreError> {
        self.inner.cities_of(country).await
    }

    async fn city(&self, id: CityId) -> Result<Option<City>, StoreError> {
        self.inner.city(id).await
    }

    async fn create_city(&self, city: &City) -> Result<(), StoreError> {
        let created = self.inner.create_city(city).await;
        self.invalidate();
        created
    }

    async fn update_city(&self, city: &City) -> Result<bool, StoreError> {
        let updated = self.inner.update_city(city).await;
        self.invalidate();
        updated
    }

    async fn set_city_category(
        &self,
        city: CityId,
        category: ServiceCategory,
        enabled: bool,
    ) -> Result<Option<City>, StoreError> {
        let updated = self.inner.set_city_category(city, category, enabled).await;
        self.invalidate();
        updated
    }

    async fn cities_around(&self, point: LatLng) -> Result<Vec<City>, StoreError> {
        let snapshot = self.snapshot().await?;
        Ok(snapshot
            .served
            .iter()
            .filter(|city| {
                let (south, west, north, east) = city.zone.bounding_box(city.center);
                (south..=north).contains(&point.lat) && (west..=east).contains(&point.lng)
            })
            .cloned()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use mercato_core::geo::{DeliveryZone, MockGeoStore};

    use super::*;

    fn berlin() -> City {
        City {
            id: CityId::new(),
            country_code: CountryCode::parse("DE").expect("code"),
            name: "Berlin".to_owned(),
            center: LatLng {
                lat: 52.52,
                lng: 13.405,
            },
            time_zone: "Europe/Berlin".to_owned(),
            zone: DeliveryZone::Radius { radius_m: 15_000 },
            categories: vec![ServiceCategory::Food],
            enabled: true,
        }
    }

    fn germany() -> Country {
        serde_json::from_value(serde_json::json!({
            "code": "DE", "name": "Germany", "currency": "EUR", "currencyExponent": 2,
            "defaultLocale": "de-DE", "timeZones": ["Europe/Berlin"], "taxRegime": "inclusive",
            "taxRates": [], "enabled": true
        }))
        .expect("country")
    }

    fn store_with_berlin(loads: usize) -> MockGeoStore {
        let mut store = MockGeoStore::new();
        store
            .expect_list_countries()
            .times(loads)
            .returning(|| Ok(vec![germany()]));
        store
            .expect_cities_of()
            .times(loads)
            .returning(|_| Ok(vec![berlin()]));
        store
    }

    #[tokio::test]
    async fn cities_around_a_point_are_answered_from_memory_after_the_first_load() {
        let cache = CachedGeoStore::new(Arc::new(store_with_berlin(1)), CITY_CACHE_TTL);
        let centre = LatLng {
            lat: 52.52,
            lng: 13.405,
        };
        assert_eq!(cache.cities_around(centre).await.expect("cities").len(), 1);
        assert_eq!(cache.cities_around(centre).await.expect("cities").len(), 1);
        let far = LatLng {
            lat: 35.68,
            lng: 139.76,
        };
        assert!(cache.cities_around(far).await.expect("cities").is_empty());
    }

    #[tokio::test]
    async fn a_write_through_the_cache_reloads_the_cities() {
        let mut store = store_with_berlin(2);
        store
            .expect_set_city_category()
            .times(1)
            .returning(|_, _, _| Ok(None));
        let cache = CachedGeoStore::new(Arc::new(store), CITY_CACHE_TTL);
        let centre = LatLng {
            lat: 52.52,
            lng: 13.405,
        };
        cache.cities_around(centre).await.expect("first load");
        cache
            .set_city_category(CityId::new(), ServiceCategory::Food, false)
            .await
            .expect("toggled");
        cache.cities_around(centre).await.expect("second load");
    }

    #[tokio::test]
    async fn an_expired_cache_reloads() {
        let cache = CachedGeoStore::new(Arc::new(store_with_berlin(2)), Duration::ZERO);
        let centre = LatLng {
            lat: 52.52,
            lng: 13.405,
        };
        cache.cities_around(centre).await.expect("first load");
        cache.cities_around(centre).await.expect("second load");
    }
}
