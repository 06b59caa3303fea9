//! Geography's use cases.

use std::sync::Arc;

use async_trait::async_trait;

use super::model::{
    CategoryToggle, City, CityInput, Country, CountryInput, DeliveryZone, LatLng, Resolution,
    ServiceCategory, TaxRate,
};
use super::ports::{COUNTRIES_PKEY, GeoStore, PointLocator, ServedArea};
use super::{CountryCode, distance_m};
use crate::error::{DomainError, ErrorKind, FieldError, StoreError, ValidationErrors};
use crate::fields::{self, Locale, TimeZoneName};
use crate::ids::CityId;
use crate::money::CurrencyCode;
use crate::principal::Principal;

/// Failures of geography's use cases.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// Fields failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// No such (enabled) country.
    #[error("country not found")]
    CountryNotFound,
    /// No such (enabled) city.
    #[error("city not found")]
    CityNotFound,
    /// A country with this code exists.
    #[error("a country with this code already exists")]
    CountryExists,
    /// Only administrators change geography.
    #[error("only administrators may change countries and cities")]
    Forbidden,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DomainError for GeoError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) => ErrorKind::Validation,
            Self::CountryNotFound | Self::CityNotFound => ErrorKind::NotFound,
            Self::CountryExists => ErrorKind::Conflict,
            Self::Forbidden => ErrorKind::Forbidden,
            Self::Store(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "validation.failed",
            Self::CountryNotFound => "locations.country_not_found",
            Self::CityNotFound => "locations.city_not_found",
            Self::CountryExists => "locations.country_exists",
            Self::Forbidden => "locations.admin_only",
            Self::Store(_) => "internal",
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => &errors.0,
            _ => &[],
        }
    }
}

type Result<T, E = GeoError> = std::result::Result<T, E>;

/// Geography's use cases.
#[derive(Clone)]
pub struct GeoService {
    store: Arc<dyn GeoStore>,
}

impl GeoService {
    /// Builds the service.
    #[must_use]
    pub fn new(store: Arc<dyn GeoStore>) -> Self {
        Self { store }
    }

    /// The countries the marketplace serves (enabled ones), by name.
    ///
    /// # Errors
    /// Storage failures.
    pub async fn countries(&self) -> Result<Vec<Country>> {
        let mut countries = self.store.list_countries().await?;
        countries.retain(|c| c.enabled);
        Ok(countries)
    }

    /// The enabled cities of a served country.
    ///
    /// # Errors
    /// `CountryNotFound` for an unknown or disabled country.
    pub async fn cities(&self, code: &str) -> Result<Vec<City>> {
        let code = CountryCode::parse(code).map_err(|_| GeoError::CountryNotFound)?;
        match self.store.country(&code).await? {
            Some(country) if country.enabled => {}
            _ => return Err(GeoError::CountryNotFound),
        }
        let mut cities = self.store.cities_of(&code).await?;
        cities.retain(|c| c.enabled);
        Ok(cities)
    }

    /// One enabled city of an enabled country, with its categories.
    ///
    /// # Errors
    /// `CityNotFound`.
    pub async fn city(&self, id: CityId) -> Result<City> {
        let city = match self.store.city(id).await? {
            Some(city) if city.enabled => city,
            _ => return Err(GeoError::CityNotFound),
        };
        // A city of a country that is switched off is hidden like the country itself.
        match self.store.country(&city.country_code).await? {
            Some(country) if country.enabled => Ok(city),
            _ => Err(GeoError::CityNotFound),
        }
    }

    /// What can be delivered to a point. A point no city serves is not an error: it answers
    /// `deliverable: false`.
    ///
    /// # Errors
    /// `Invalid` for out-of-range coordinates.
    pub async fn resolve(&self, lat: f64, lng: f64) -> Result<Resolution> {
        let mut errors = ValidationErrors::default();
        let Some(point) = fields::point(&mut errors, "", lat, lng) else {
            return Err(errors.into());
        };
        let point = LatLng::from(point);
        let Some(city) = self.city_at(point).await? else {
            return Ok(Resolution {
                deliverable: false,
                country: None,
                city: None,
                categories: Vec::new(),
            });
        };
        let country = self.store.country(&city.country_code).await?;
        Ok(Resolution {
            deliverable: true,
            categories: city.categories.clone(),
            country,
            city: Some(city),
        })
    }

    /// The enabled city whose zone contains `point`; the nearest centre wins where zones
    /// overlap.
    async fn city_at(&self, point: LatLng) -> Result<Option<City>, StoreError> {
        let candidates = self.store.cities_around(point).await?;
        Ok(candidates
            .into_iter()
            .filter(|c| c.enabled && c.zone.contains(c.center, point))
            .min_by(|a, b| distance_m(a.center, point).total_cmp(&distance_m(b.center, point))))
    }

    /// Whether `principal` may use the administrators' geography operations; asked before a
    /// request body is read, so others are refused whatever they sent.
    ///
    /// # Errors
    /// `Forbidden`.
    pub fn authorize_admin(&self, principal: &Principal) -> Result<()> {
        require_admin(principal)
    }

    /// Admin: adds a country.
    ///
    /// # Errors
    /// `Forbidden`, `Invalid`, `CountryExists`.
    pub async fn create_country(
        &self,
        principal: &Principal,
        input: CountryInput,
    ) -> Result<Country> {
        require_admin(principal)?;
        let country = country_from(input)?;
        self.store
            .create_country(&country)
            .await
            .map_err(|err| match err {
                StoreError::UniqueViolation(c) if c == COUNTRIES_PKEY => GeoError::CountryExists,
                other => other.into(),
            })?;
        Ok(country)
    }

    /// Admin: replaces a country.
    ///
    /// # Errors
    /// `Forbidden`, `Invalid` (also when the body's code differs from the path's),
    /// `CountryNotFound`.
    pub async fn update_country(
        &self,
        principal: &Principal,
        code: &str,
        input: CountryInput,
    ) -> Result<Country> {
        require_admin(principal)?;
        let code = CountryCode::parse(code).map_err(|_| GeoError::CountryNotFound)?;
        if CountryCode::parse(&input.code).ok().as_ref() != Some(&code) {
            let mut errors = ValidationErrors::default();
            errors.add("code", "must match the country code in the path");
            return Err(errors.into());
        }
        let country = country_from(input)?;
        let existing = self
            .store
            .country(&code)
            .await?
            .ok_or(GeoError::CountryNotFound)?;
        if (existing.currency != country.currency)
            || (existing.currency_exponent != country.currency_exponent)
        {
            // Merchants' prices are minor units of this currency; changing it would silently
            // reinterpret them.
            let mut errors = ValidationErrors::default();
            errors.add(
                "currency",
                format!(
                    "cannot change from {} once the country exists",
                    existing.currency
                ),
            );
            return Err(errors.into());
        }
        if self.store.update_country(&country).await? {
            Ok(country)
        } else {
            Err(GeoError::CountryNotFound)
        }
    }

    /// Admin: adds a city to a country.
    ///
    /// # Errors
    /// `Forbidden`, `Invalid`, `CountryNotFound`.
    pub async fn create_city(
        &self,
        principal: &Principal,
        country: &str,
        input: CityInput,
    ) -> Result<City> {
        require_admin(principal)?;
        let code = CountryCode::parse(country).map_err(|_| GeoError::CountryNotFound)?;
        if self.store.country(&code).await?.is_none() {
            return Err(GeoError::CountryNotFound);
        }
        let city = city_from(CityId::new(), code, input)?;
        self.store.create_city(&city).await?;
        Ok(city)
    }

    /// Admin: replaces a city (its country stays).
    ///
    /// # Errors
    /// `Forbidden`, `Invalid`, `CityNotFound`.
    pub async fn update_city(
        &self,
        principal: &Principal,
        id: CityId,
        input: CityInput,
    ) -> Result<City> {
        require_admin(principal)?;
        let existing = self.store.city(id).await?.ok_or(GeoError::CityNotFound)?;
        let city = city_from(id, existing.country_code, input)?;
        if self.store.update_city(&city).await? {
            Ok(city)
        } else {
            Err(GeoError::CityNotFound)
        }
    }

    /// Admin: enables or disables a category in a city.
    ///
    /// # Errors
    /// `Forbidden`, `CityNotFound`.
    pub async fn set_city_category(
        &self,
        principal: &Principal,
        id: CityId,
        category: ServiceCategory,
        toggle: CategoryToggle,
    ) -> Result<City> {
        require_admin(principal)?;
        self.store
            .set_city_category(id, category, toggle.enabled)
            .await?
            .ok_or(GeoError::CityNotFound)
    }
}

#[async_trait]
impl PointLocator for GeoService {
    async fn locate(&self, point: LatLng) -> Result<Option<ServedArea>, StoreError> {
        Ok(self.city_at(point).await?.map(|city| ServedArea {
            country_code: city.country_code,
            city_id: city.id,
            categories: city.categories,
        }))
    }
}

fn require_admin(principal: &Principal) -> Result<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(GeoError::Forbidden)
    }
}

fn check_text(errors: &mut ValidationErrors, field: &str, value: &str, max: usize) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max {
        errors.add(field, format!("must be 1 to {max} characters"));
    }
    trimmed.to_owned()
}

fn country_from(input: CountryInput) -> Result<Country> {
    let mut errors = ValidationErrors::default();
    let code = errors.check("code", CountryCode::parse(&input.code));
    let currency = errors.check("currency", CurrencyCode::parse(&input.currency));
    let name = check_text(&mut errors, "name", &input.name, 100);
    if input.currency_exponent > 4 {
        errors.add("currencyExponent", "must be from 0 to 4");
    }
    if Locale::parse(&input.default_locale).is_err() {
        errors.add("defaultLocale", "must be a language tag such as de-DE");
    }
    if input.time_zones.is_empty() {
        errors.add("timeZones", "must name at least one IANA time zone");
    }
    for (i, zone) in input.time_zones.iter().enumerate() {
        if TimeZoneName::parse(zone).is_err() {
            errors.add(
                format!("timeZones[{i}]"),
                "must be an IANA time zone such as Europe/Berlin",
            );
        }
    }
    check_rates(&mut errors, &input.tax_rates);
    let (Some(code), Some(currency)) = (code, currency) else {
        return Err(errors.into());
    };
    errors.into_result()?;
    Ok(Country {
        code,
        name,
        currency,
        currency_exponent: input.currency_exponent,
        default_locale: input.default_locale.trim().to_owned(),
        time_zones: input.time_zones,
        tax_regime: input.tax_regime,
        tax_rates: input.tax_rates,
        enabled: input.enabled,
    })
}

fn check_rates(errors: &mut ValidationErrors, rates: &[TaxRate]) {
    for (i, rate) in rates.iter().enumerate() {
        if rate.rate.is_sign_negative() || rate.rate >= rust_decimal::Decimal::ONE {
            errors.add(
                format!("taxRates[{i}].rate"),
                "must be a fraction from 0 up to 1",
            );
        }
        if rates[..i].iter().any(|r| r.class == rate.class) {
            errors.add(
                format!("taxRates[{i}].class"),
                "each tax class may appear once",
            );
        }
    }
}

fn city_from(id: CityId, country_code: CountryCode, input: CityInput) -> Result<City> {
    let mut errors = ValidationErrors::default();
    let name = check_text(&mut errors, "name", &input.name, 100);
    fields::point(&mut errors, "center.", input.center.lat, input.center.lng);
    if TimeZoneName::parse(&input.time_zone).is_err() {
        errors.add("timeZone", "must be an IANA time zone such as Asia/Tokyo");
    }
    match &input.zone {
        DeliveryZone::Radius { radius_m } => {
            if !(100..=100_000).contains(radius_m) {
                errors.add("zone.radiusM", "must be from 100 to 100000 metres");
            }
        }
        DeliveryZone::Polygon { points } => {
            if !(3..=500).contains(&points.len()) {
                errors.add("zone.points", "must have 3 to 500 vertices");
            }
            for (i, p) in points.iter().enumerate() {
                fields::point(&mut errors, &format!("zone.points[{i}]."), p.lat, p.lng);
            }
        }
    }
    errors.into_result()?;
    let mut categories = input.categories;
    categories.sort_unstable();
    categories.dedup();
    Ok(City {
        id,
        country_code,
        name,
        center: input.center,
        time_zone: input.time_zone,
        zone: input.zone,
        categories,
        enabled: input.enabled,
    })
}
