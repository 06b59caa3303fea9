//! The geography store: countries with their currency and tax details, cities with their
//! delivery zones and enabled categories.

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::geo::{
    City, Country, CountryCode, CountryDirectory, DeliveryZone, GeoStore, LatLng, ServiceCategory,
    TaxRate, TaxRegime,
};
use mercato_core::ids::CityId;
use mercato_core::money::CurrencyCode;
use sqlx::types::Json;
use uuid::Uuid;

use crate::{PgStore, store_error};

/// The columns of [`CountryRow`], as a literal so queries stay `&'static str`.
macro_rules! country_columns {
    () => {
        "code, name, currency, currency_exponent, default_locale, time_zones, tax_regime, \
         tax_rates, enabled"
    };
}

/// The columns of [`CityRow`].
macro_rules! city_columns {
    () => {
        "id, country_code, name, center_lat, center_lng, time_zone, zone_radius_m, zone_polygon, \
         categories, enabled"
    };
}

#[derive(sqlx::FromRow)]
struct CountryRow {
    code: String,
    name: String,
    currency: String,
    currency_exponent: i16,
    default_locale: String,
    time_zones: Vec<String>,
    tax_regime: String,
    tax_rates: Json<Vec<TaxRate>>,
    enabled: bool,
}

impl TryFrom<CountryRow> for Country {
    type Error = StoreError;
    fn try_from(row: CountryRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| {
            StoreError::Backend(format!("country {} has an invalid stored {what}", row.code))
        };
        Ok(Self {
            code: CountryCode::parse(&row.code).map_err(|_| corrupt("code"))?,
            currency: CurrencyCode::parse(&row.currency).map_err(|_| corrupt("currency"))?,
            currency_exponent: u8::try_from(row.currency_exponent)
                .map_err(|_| corrupt("currency exponent"))?,
            tax_regime: match row.tax_regime.as_str() {
                "inclusive" => TaxRegime::Inclusive,
                "exclusive" => TaxRegime::Exclusive,
                _ => return Err(corrupt("tax regime")),
            },
            name: row.name,
            default_locale: row.default_locale,
            time_zones: row.time_zones,
            tax_rates: row.tax_rates.0,
            enabled: row.enabled,
        })
    }
}

fn regime_name(regime: TaxRegime) -> &'static str {
    match regime {
        TaxRegime::Inclusive => "inclusive",
        TaxRegime::Exclusive => "exclusive",
    }
}

#[derive(sqlx::FromRow)]
struct CityRow {
    id: Uuid,
    country_code: String,
    name: String,
    center_lat: f64,
    center_lng: f64,
    time_zone: String,
    zone_radius_m: Option<i32>,
    zone_polygon: Option<Vec<f64>>,
    categories: Vec<String>,
    enabled: bool,
}

impl TryFrom<CityRow> for City {
    type Error = StoreError;
    fn try_from(row: CityRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| {
            StoreError::Backend(format!("city {} has an invalid stored {what}", row.id))
        };
        let zone = match (row.zone_radius_m, &row.zone_polygon) {
            (Some(radius_m), None) => DeliveryZone::Radius {
                radius_m: u32::try_from(radius_m).map_err(|_| corrupt("zone radius"))?,
            },
            (None, Some(points)) if points.len() % 2 == 0 => DeliveryZone::Polygon {
                points: points
                    .chunks_exact(2)
                    .map(|p| LatLng {
                        lat: p[0],
                        lng: p[1],
                    })
                    .collect(),
            },
            _ => return Err(corrupt("zone")),
        };
        Ok(Self {
            id: CityId(row.id),
            country_code: CountryCode::parse(&row.country_code).map_err(|_| corrupt("country"))?,
            name: row.name,
            center: LatLng {
                lat: row.center_lat,
                lng: row.center_lng,
            },
            time_zone: row.time_zone,
            zone,
            categories: parse_categories(&row.categories)?,
            enabled: row.enabled,
        })
    }
}

/// Parses stored category names, in the categories' canonical order.
pub(crate) fn parse_categories(names: &[String]) -> Result<Vec<ServiceCategory>, StoreError> {
    let mut categories = names
        .iter()
        .map(|name| {
            ServiceCategory::parse(name)
                .ok_or_else(|| StoreError::Backend(format!("unknown stored category {name:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    categories.sort_unstable();
    categories.dedup();
    Ok(categories)
}

/// The stored names of `categories`.
pub(crate) fn category_names(categories: &[ServiceCategory]) -> Vec<&'static str> {
    categories.iter().map(|c| c.as_str()).collect()
}

/// A zone as its two columns: the radius, or the polygon's vertices flattened.
fn zone_columns(zone: &DeliveryZone) -> Result<(Option<i32>, Option<Vec<f64>>), StoreError> {
    Ok(match zone {
        DeliveryZone::Radius { radius_m } => (
            Some(i32::try_from(*radius_m).map_err(|_| {
                StoreError::Backend("zone radius is out of the stored range".to_owned())
            })?),
            None,
        ),
        DeliveryZone::Polygon { points } => (
            None,
            Some(points.iter().flat_map(|p| [p.lat, p.lng]).collect()),
        ),
    })
}

/// The box `cities_around` narrows by: the zone's bounding box, widened by a thousandth of
/// its size. The core's box of a radius zone uses the small-angle longitude extent, a hair
/// narrower than the exact one (`asin(sin δ / cos φ)`): about 1e-4 of the width for a
/// 100 km zone at 60° N. Widening only adds candidates, which `DeliveryZone::contains`
/// then decides on.
fn search_box(city: &City) -> (f64, f64, f64, f64) {
    let (south, west, north, east) = city.zone.bounding_box(city.center);
    let pad_lat = (north - south) * 1e-3 + 1e-9;
    let pad_lng = (east - west) * 1e-3 + 1e-9;
    (
        (south - pad_lat).max(-90.0),
        (west - pad_lng).max(-180.0),
        (north + pad_lat).min(90.0),
        (east + pad_lng).min(180.0),
    )
}

#[async_trait]
impl CountryDirectory for PgStore {
    async fn is_served(&self, code: &CountryCode) -> Result<bool, StoreError> {
        sqlx::query_scalar(
            "select exists (select 1 from geo.countries where code = $1 and enabled)",
        )
        .bind(code.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(store_error)
    }
}

#[async_trait]
impl GeoStore for PgStore {
    async fn list_countries(&self) -> Result<Vec<Country>, StoreError> {
        let rows: Vec<CountryRow> = sqlx::query_as(concat!(
            "select ",
            country_columns!(),
            " from geo.countries order by name, code"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.into_iter().map(Country::try_from).collect()
    }

    async fn country(&self, code: &CountryCode) -> Result<Option<Country>, StoreError> {
        let row: Option<CountryRow> = sqlx::query_as(concat!(
            "select ",
            country_columns!(),
            " from geo.countries where code = $1"
        ))
        .bind(code.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.map(Country::try_from).transpose()
    }

    async fn create_country(&self, country: &Country) -> Result<(), StoreError> {
        sqlx::query(concat!(
            "insert into geo.countries (",
            country_columns!(),
            ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(country.code.as_str())
        .bind(&country.name)
        .bind(country.currency.as_str())
        .bind(i16::from(country.currency_exponent))
        .bind(&country.default_locale)
        .bind(&country.time_zones)
        .bind(regime_name(country.tax_regime))
        .bind(Json(&country.tax_rates))
        .bind(country.enabled)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn update_country(&self, country: &Country) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update geo.countries set name = $2, currency = $3, currency_exponent = $4, \
             default_locale = $5, time_zones = $6, tax_regime = $7, tax_rates = $8, enabled = $9 \
             where code = $1",
        )
        .bind(country.code.as_str())
        .bind(&country.name)
        .bind(country.currency.as_str())
        .bind(i16::from(country.currency_exponent))
        .bind(&country.default_locale)
        .bind(&country.time_zones)
        .bind(regime_name(country.tax_regime))
        .bind(Json(&country.tax_rates))
        .bind(country.enabled)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn cities_of(&self, country: &CountryCode) -> Result<Vec<City>, StoreError> {
        let rows: Vec<CityRow> = sqlx::query_as(concat!(
            "select ",
            city_columns!(),
            " from geo.cities where country_code = $1 order by name, id"
        ))
        .bind(country.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.into_iter().map(City::try_from).collect()
    }

    async fn city(&self, id: CityId) -> Result<Option<City>, StoreError> {
        let row: Option<CityRow> = sqlx::query_as(concat!(
            "select ",
            city_columns!(),
            " from geo.cities where id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.map(City::try_from).transpose()
    }

    async fn create_city(&self, city: &City) -> Result<(), StoreError> {
        let (south, west, north, east) = search_box(city);
        let (radius_m, polygon) = zone_columns(&city.zone)?;
        sqlx::query(concat!(
            "insert into geo.cities (",
            city_columns!(),
            ", south, west, north, east) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
             $12, $13, $14)"
        ))
        .bind(city.id.0)
        .bind(city.country_code.as_str())
        .bind(&city.name)
        .bind(city.center.lat)
        .bind(city.center.lng)
        .bind(&city.time_zone)
        .bind(radius_m)
        .bind(polygon)
        .bind(category_names(&city.categories))
        .bind(city.enabled)
        .bind(south)
        .bind(west)
        .bind(north)
        .bind(east)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn update_city(&self, city: &City) -> Result<bool, StoreError> {
        let (south, west, north, east) = search_box(city);
        let (radius_m, polygon) = zone_columns(&city.zone)?;
        let done = sqlx::query(
            "update geo.cities set name = $2, center_lat = $3, center_lng = $4, time_zone = $5, \
             zone_radius_m = $6, zone_polygon = $7, categories = $8, enabled = $9, south = $10, \
             west = $11, north = $12, east = $13 where id = $1",
        )
        .bind(city.id.0)
        .bind(&city.name)
        .bind(city.center.lat)
        .bind(city.center.lng)
        .bind(&city.time_zone)
        .bind(radius_m)
        .bind(polygon)
        .bind(category_names(&city.categories))
        .bind(city.enabled)
        .bind(south)
        .bind(west)
        .bind(north)
        .bind(east)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_city_category(
        &self,
        city: CityId,
        category: ServiceCategory,
        enabled: bool,
    ) -> Result<Option<City>, StoreError> {
        let row: Option<CityRow> = sqlx::query_as(concat!(
            "update geo.cities set categories = case \
                 when not $3 then array_remove(categories, $2) \
                 when $2 = any (categories) then categories \
                 else categories || $2 end \
             where id = $1 returning ",
            city_columns!()
        ))
        .bind(city.0)
        .bind(category.as_str())
        .bind(enabled)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.map(City::try_from).transpose()
    }

    async fn cities_around(&self, point: LatLng) -> Result<Vec<City>, StoreError> {
        let rows: Vec<CityRow> = sqlx::query_as(concat!(
            "select ",
            city_columns!(),
            " from geo.cities c \
             where c.enabled \
               and exists (select 1 from geo.countries k where k.code = c.country_code and k.enabled) \
               and $1 between c.south and c.north and $2 between c.west and c.east \
             order by c.name, c.id"
        ))
        .bind(point.lat)
        .bind(point.lng)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.into_iter().map(City::try_from).collect()
    }
}
