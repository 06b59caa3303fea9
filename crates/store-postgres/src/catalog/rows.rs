//! What the catalog's reads share: the merchant row and its columns, the current open
//! window, and the helpers that turn stored values into the core's.

use mercato_core::StoreError;
use mercato_core::catalog::{FeeBand, Merchant, OpeningHours, Rating};
use mercato_core::geo::{CountryCode, LatLng};
use mercato_core::ids::{CityId, MerchantId};
use mercato_core::money::{CurrencyCode, Money};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::geo::parse_categories;

/// The columns of [`MerchantRow`], of `catalog.merchants m`.
macro_rules! merchant_columns {
    () => {
        "m.id, m.name, m.description, m.country_code, m.city_id, m.currency, m.categories, \
         m.cuisines, m.address, m.lat, m.lng, m.delivery_radius_m, m.avg_prep_minutes, \
         m.minimum_order_minor, m.fee_band_up_to_m, m.fee_band_fee_minor, m.time_zone, m.hours, \
         m.paused, m.busy, m.rating_avg, m.rating_count, m.image_url"
    };
}
pub(super) use merchant_columns;

#[derive(sqlx::FromRow)]
pub(super) struct MerchantRow {
    id: Uuid,
    name: String,
    description: Option<String>,
    country_code: String,
    city_id: Uuid,
    currency: String,
    categories: Vec<String>,
    cuisines: Vec<String>,
    address: String,
    lat: f64,
    lng: f64,
    delivery_radius_m: i32,
    avg_prep_minutes: i32,
    minimum_order_minor: i64,
    fee_band_up_to_m: Vec<i64>,
    fee_band_fee_minor: Vec<i64>,
    time_zone: String,
    hours: Json<OpeningHours>,
    paused: bool,
    busy: bool,
    rating_avg: f64,
    rating_count: i32,
    image_url: Option<String>,
}

pub(super) fn corrupt(kind: &str, id: Uuid, what: &str) -> StoreError {
    StoreError::Backend(format!("{kind} {id} has an invalid stored {what}"))
}

impl TryFrom<MerchantRow> for Merchant {
    type Error = StoreError;
    fn try_from(row: MerchantRow) -> Result<Self, StoreError> {
        let bad = |what: &str| corrupt("merchant", row.id, what);
        let currency = CurrencyCode::parse(&row.currency).map_err(|_| bad("currency"))?;
        let delivery_fee_bands = row
            .fee_band_up_to_m
            .iter()
            .zip(&row.fee_band_fee_minor)
            .map(|(&up_to_m, &fee_minor)| {
                Ok(FeeBand {
                    up_to_m: u32::try_from(up_to_m).map_err(|_| bad("fee band"))?,
                    fee_minor,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Self {
            id: MerchantId(row.id),
            country_code: CountryCode::parse(&row.country_code).map_err(|_| bad("country"))?,
            city_id: CityId(row.city_id),
            minimum_order: Money::new(row.minimum_order_minor, currency.clone()),
            currency,
            categories: parse_categories(&row.categories)?,
            delivery_radius_m: u32::try_from(row.delivery_radius_m)
                .map_err(|_| bad("delivery radius"))?,
            avg_prep_minutes: u16::try_from(row.avg_prep_minutes)
                .map_err(|_| bad("preparation time"))?,
            delivery_fee_bands,
            rating: Rating {
                average: round_rating(row.rating_avg),
                count: u32::try_from(row.rating_count).map_err(|_| bad("rating count"))?,
            },
            name: row.name,
            description: row.description,
            cuisines: row.cuisines,
            address: row.address,
            location: LatLng {
                lat: row.lat,
                lng: row.lng,
            },
            time_zone: row.time_zone,
            hours: row.hours.0,
            paused: row.paused,
            busy: row.busy,
            image_url: row.image_url,
        })
    }
}

pub(super) fn out_of_range(what: &str) -> StoreError {
    StoreError::Backend(format!("{what} is out of the stored range"))
}

/// The open window of merchant `m` that ends first after the instant `$now` (a parameter
/// such as `"$2"`), as `w.opens_at`: the merchant is open if it opened already.
macro_rules! current_window {
    ($now:literal) => {
        concat!(
            "left join lateral (\
                 select ow.opens_at from catalog.open_windows ow \
                 where ow.merchant_id = m.id and ow.closes_at > ",
            $now,
            " order by ow.closes_at limit 1\
             ) w on true"
        )
    };
}
pub(super) use current_window;

/// Whether the merchant is open at `now` and when it next opens, from the first of its
/// (sorted, disjoint) windows closing after `now`.
pub(super) fn open_state(
    first_open: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> (bool, Option<OffsetDateTime>) {
    match first_open {
        Some(opens_at) if opens_at <= now => (true, None),
        other => (false, other),
    }
}

/// A stored rating average as shown: two decimals.
pub(super) fn round_rating(average: f64) -> f64 {
    (average * 100.0).round() / 100.0
}

/// A LIKE pattern finding `text` anywhere, its wildcards and escape character escaped.
pub(super) fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}
