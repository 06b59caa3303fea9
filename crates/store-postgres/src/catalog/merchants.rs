//! A merchant's details, opening hours and pause, and the open windows computed from its
//! hours (written when they change, and renewed ahead by the refresher).

use mercato_core::StoreError;
use mercato_core::catalog::{Merchant, MerchantHours, MerchantQuery, OpenSchedule, OpeningHours};
use mercato_core::ids::MerchantId;
use sqlx::PgPool;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::{MerchantRow, contains_pattern, current_window, merchant_columns, open_state};
use super::writes::{
    MerchantColumns, NewMerchant, WindowRows, insert_merchants, lock_merchant, refresh_menu,
    rewrite_windows,
};
use crate::store_error;

pub(super) async fn merchant(
    pool: &PgPool,
    id: MerchantId,
    now: OffsetDateTime,
) -> Result<Option<(Merchant, bool, Option<OffsetDateTime>)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        merchant: MerchantRow,
        opens_at: Option<OffsetDateTime>,
    }
    let row: Option<Row> = sqlx::query_as(concat!(
        "select ",
        merchant_columns!(),
        ", w.opens_at from catalog.merchants m ",
        current_window!("$2"),
        " where m.id = $1"
    ))
    .bind(id.0)
    .bind(now)
    .fetch_optional(pool)
    .await
    .map_err(store_error)?;
    row.map(|row| {
        let (open, next) = open_state(row.opens_at, now);
        Ok((Merchant::try_from(row.merchant)?, open, next))
    })
    .transpose()
}

/// A page of merchants by id (see [`CatalogStore::merchants`]).
///
/// [`CatalogStore::merchants`]: mercato_core::catalog::CatalogStore::merchants
pub(super) async fn merchants(
    pool: &PgPool,
    query: &MerchantQuery,
    now: OffsetDateTime,
) -> Result<Vec<(Merchant, bool, Option<OffsetDateTime>)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        merchant: MerchantRow,
        opens_at: Option<OffsetDateTime>,
    }
    let only: Option<Vec<Uuid>> = query
        .only
        .as_ref()
        .map(|ids| ids.iter().map(|id| id.0).collect());
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "select ",
        merchant_columns!(),
        ", w.opens_at from catalog.merchants m ",
        current_window!("$2"),
        " where ($1::uuid[] is null or m.id = any($1)) \
           and ($3::uuid is null or m.city_id = $3) \
           and ($4::text is null or lower(m.name) like lower($4)) \
           and ($5::uuid is null or m.id > $5) \
         order by m.id limit $6"
    ))
    .bind(only)
    .bind(now)
    .bind(query.city.map(|c| c.0))
    .bind(query.name_contains.as_deref().map(contains_pattern))
    .bind(query.after.map(|m| m.0))
    .bind(i64::from(query.limit))
    .fetch_all(pool)
    .await
    .map_err(store_error)?;
    rows.into_iter()
        .map(|row| {
            let (open, next) = open_state(row.opens_at, now);
            Ok((Merchant::try_from(row.merchant)?, open, next))
        })
        .collect()
}

pub(super) async fn create_merchant(
    pool: &PgPool,
    merchant: &Merchant,
    schedule: &OpenSchedule,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    let new = NewMerchant {
        merchant,
        sections: &[],
        windows_until: schedule.until,
    };
    let inserted = insert_merchants(&mut tx, &[new]).await?;
    if inserted.is_empty() {
        return Err(StoreError::UniqueViolation("merchants_pkey".to_owned()));
    }
    let mut windows = WindowRows::default();
    windows.add(merchant.id, schedule)?;
    windows.insert(&mut tx).await?;
    tx.commit().await.map_err(store_error)
}

pub(super) async fn update_merchant(
    pool: &PgPool,
    merchant: &Merchant,
    schedule: &OpenSchedule,
) -> Result<bool, StoreError> {
    let columns = MerchantColumns::of(merchant)?;
    let mut tx = pool.begin().await.map_err(store_error)?;
    let Some(old_currency) = lock_merchant(&mut tx, merchant.id).await? else {
        return Ok(false);
    };
    sqlx::query(
        "update catalog.merchants set name = $2, description = $3, country_code = $4, \
             city_id = $5, currency = $6, categories = $7::text[], cuisines = $8::text[], \
             address = $9, lat = $10, lng = $11, delivery_radius_m = $12, \
             avg_prep_minutes = $13, minimum_order_minor = $14, \
             fee_band_up_to_m = $15::bigint[], fee_band_fee_minor = $16::bigint[], \
             time_zone = $17, hours = $18::jsonb, image_url = $19, windows_until = $20 \
         where id = $1",
    )
    .bind(merchant.id.0)
    .bind(&merchant.name)
    .bind(&merchant.description)
    .bind(merchant.country_code.as_str())
    .bind(merchant.city_id.0)
    .bind(merchant.currency.as_str())
    .bind(&columns.categories)
    .bind(&columns.cuisines)
    .bind(&merchant.address)
    .bind(merchant.location.lat)
    .bind(merchant.location.lng)
    .bind(columns.delivery_radius_m)
    .bind(i32::from(merchant.avg_prep_minutes))
    .bind(merchant.minimum_order.amount_minor)
    .bind(&columns.fee_band_up_to_m)
    .bind(&columns.fee_band_fee_minor)
    .bind(&merchant.time_zone)
    .bind(&columns.hours)
    .bind(&merchant.image_url)
    .bind(schedule.until)
    .execute(&mut *tx)
    .await
    .map_err(store_error)?;
    rewrite_windows(&mut tx, merchant.id, schedule).await?;
    // The search text follows the name; the menu's prices follow the currency.
    let currency_changed = old_currency != merchant.currency.as_str();
    refresh_menu(&mut tx, merchant.id, currency_changed).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}

pub(super) async fn set_hours(
    pool: &PgPool,
    id: MerchantId,
    hours: &OpeningHours,
    schedule: &OpenSchedule,
) -> Result<bool, StoreError> {
    let hours = serde_json::to_string(hours)
        .map_err(|e| StoreError::Backend(format!("hours not serializable: {e}")))?;
    let mut tx = pool.begin().await.map_err(store_error)?;
    let done = sqlx::query(
        "update catalog.merchants set hours = $2::jsonb, windows_until = $3 where id = $1",
    )
    .bind(id.0)
    .bind(hours)
    .bind(schedule.until)
    .execute(&mut *tx)
    .await
    .map_err(store_error)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    rewrite_windows(&mut tx, id, schedule).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}

pub(super) async fn set_pause(
    pool: &PgPool,
    id: MerchantId,
    paused: bool,
    busy: Option<bool>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update catalog.merchants set paused = $2, busy = coalesce($3, busy) where id = $1",
    )
    .bind(id.0)
    .bind(paused)
    .bind(busy)
    .execute(pool)
    .await
    .map_err(store_error)?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn hours_needing_windows(
    pool: &PgPool,
    horizon: OffsetDateTime,
    limit: u32,
) -> Result<Vec<MerchantHours>, StoreError> {
    let rows: Vec<(Uuid, String, Json<OpeningHours>, OffsetDateTime)> = sqlx::query_as(
        "select id, time_zone, hours, windows_until from catalog.merchants \
         where windows_until < $1 order by windows_until, id limit $2",
    )
    .bind(horizon)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(store_error)?;
    Ok(rows
        .into_iter()
        .map(|(id, time_zone, hours, computed_until)| MerchantHours {
            merchant_id: MerchantId(id),
            time_zone,
            hours: hours.0,
            computed_until,
        })
        .collect())
}

pub(super) async fn replace_windows(
    pool: &PgPool,
    merchant: &MerchantHours,
    schedule: &OpenSchedule,
) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    // Only if nothing rewrote the schedule since `merchant` was read: hours changed by
    // staff meanwhile, or another process's refresher, win; the row lock serializes them.
    let done = sqlx::query(
        "update catalog.merchants set windows_until = $2 \
         where id = $1 and windows_until = $3 and time_zone = $4",
    )
    .bind(merchant.merchant_id.0)
    .bind(schedule.until)
    .bind(merchant.computed_until)
    .bind(&merchant.time_zone)
    .execute(&mut *tx)
    .await
    .map_err(store_error)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    rewrite_windows(&mut tx, merchant.merchant_id, schedule).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}
