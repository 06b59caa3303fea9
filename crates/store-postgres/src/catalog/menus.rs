//! Menus: reads by version (the document only when the reader's copy is stale), and the
//! edits of sections and items, each rebuilding the merchant's menu document.

use mercato_core::StoreError;
use mercato_core::catalog::{
    HeldMenu, Menu, MenuItem, MenuRead, MenuSection, Merchant, MerchantRead,
};
use mercato_core::ids::{ItemId, MerchantId, SectionId};
use mercato_core::money::CurrencyCode;
use sqlx::PgPool;
use sqlx::types::Json;
use time::OffsetDateTime;

use super::rows::{MerchantRow, corrupt, current_window, merchant_columns, open_state};
use super::writes::{MenuRows, dietary_tags, index_position, lock_merchant, refresh_menu};
use crate::store_error;

/// The section position that means "after the last section".
const APPEND: i32 = i32::MAX;

/// A merchant's menu version and currency, and its document unless the reader holds that
/// version (`$2`) in that currency (`$3`), of `catalog.merchants m`.
macro_rules! menu_columns {
    () => {
        "m.currency as menu_currency, m.menu_version, \
         case when m.menu_version = $2 and m.currency = $3 then null \
         else m.menu_document end as menu_document"
    };
}

/// One row of [`menu_columns`].
#[derive(sqlx::FromRow)]
struct MenuRow {
    menu_currency: String,
    menu_version: i64,
    menu_document: Option<Json<Vec<MenuSection>>>,
}

impl MenuRow {
    /// The menu of merchant `id`, or that the reader's copy is current.
    fn into_read(self, id: MerchantId) -> Result<MenuRead, StoreError> {
        let Some(sections) = self.menu_document else {
            return Ok(MenuRead::Held);
        };
        Ok(MenuRead::Current(Menu {
            merchant_id: id,
            currency: CurrencyCode::parse(&self.menu_currency)
                .map_err(|_| corrupt("merchant", id.0, "currency"))?,
            version: self.menu_version,
            sections: sections.0,
        }))
    }
}

pub(super) async fn menu_version(pool: &PgPool, id: MerchantId) -> Result<Option<i64>, StoreError> {
    sqlx::query_scalar("select menu_version from catalog.merchants where id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .map_err(store_error)
}

pub(super) async fn current_menu(
    pool: &PgPool,
    id: MerchantId,
    held: Option<HeldMenu>,
) -> Result<Option<MenuRead>, StoreError> {
    let row: Option<MenuRow> = sqlx::query_as(concat!(
        "select ",
        menu_columns!(),
        " from catalog.merchants m where m.id = $1"
    ))
    .bind(id.0)
    .bind(held.as_ref().map(|h| h.version))
    .bind(held.as_ref().map(|h| h.currency.as_str()))
    .fetch_optional(pool)
    .await
    .map_err(store_error)?;
    row.map(|row| row.into_read(id)).transpose()
}

pub(super) async fn merchant_with_menu(
    pool: &PgPool,
    id: MerchantId,
    now: OffsetDateTime,
    held: Option<HeldMenu>,
) -> Result<Option<MerchantRead>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        merchant: MerchantRow,
        #[sqlx(flatten)]
        menu: MenuRow,
        opens_at: Option<OffsetDateTime>,
    }
    let row: Option<Row> = sqlx::query_as(concat!(
        "select ",
        merchant_columns!(),
        ", ",
        menu_columns!(),
        ", w.opens_at from catalog.merchants m ",
        current_window!("$4"),
        " where m.id = $1"
    ))
    .bind(id.0)
    .bind(held.as_ref().map(|h| h.version))
    .bind(held.as_ref().map(|h| h.currency.as_str()))
    .bind(now)
    .fetch_optional(pool)
    .await
    .map_err(store_error)?;
    row.map(|row| {
        let (open, next_opening_at) = open_state(row.opens_at, now);
        Ok(MerchantRead {
            menu: row.menu.into_read(id)?,
            merchant: Merchant::try_from(row.merchant)?,
            open,
            next_opening_at,
        })
    })
    .transpose()
}

pub(super) async fn create_section(
    pool: &PgPool,
    merchant: MerchantId,
    section: &MenuSection,
) -> Result<Option<i32>, StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    if lock_merchant(&mut tx, merchant).await?.is_none() {
        return Ok(None);
    }
    let stored: i32 = sqlx::query_scalar(
        "insert into catalog.menu_sections (id, merchant_id, name, position) \
         values ($1, $2, $3, case when $4 = $5 then \
             (select coalesce(least(max(s.position), $5 - 1) + 1, 0) \
              from catalog.menu_sections s where s.merchant_id = $2) \
             else $4 end) \
         returning position",
    )
    .bind(section.id.0)
    .bind(merchant.0)
    .bind(&section.name)
    .bind(section.position)
    .bind(APPEND)
    .fetch_one(&mut *tx)
    .await
    .map_err(store_error)?;
    let mut rows = MenuRows::default();
    for (i, item) in section.items.iter().enumerate() {
        rows.add_item(merchant, section.id, index_position(i), item);
    }
    rows.insert(&mut tx).await?;
    refresh_menu(&mut tx, merchant, true).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(Some(stored))
}

pub(super) async fn update_section(
    pool: &PgPool,
    merchant: MerchantId,
    section: &MenuSection,
) -> Result<Option<i32>, StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    if lock_merchant(&mut tx, merchant).await?.is_none() {
        return Ok(None);
    }
    let position: Option<i32> = sqlx::query_scalar(
        "update catalog.menu_sections s set name = $3, \
             position = case when $4 = $5 then s.position else $4 end \
         where s.id = $2 and s.merchant_id = $1 \
         returning s.position",
    )
    .bind(merchant.0)
    .bind(section.id.0)
    .bind(&section.name)
    .bind(section.position)
    .bind(APPEND)
    .fetch_optional(&mut *tx)
    .await
    .map_err(store_error)?;
    if position.is_none() {
        return Ok(None);
    }
    refresh_menu(&mut tx, merchant, true).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(position)
}

pub(super) async fn delete_section(
    pool: &PgPool,
    merchant: MerchantId,
    section: SectionId,
) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    if lock_merchant(&mut tx, merchant).await?.is_none() {
        return Ok(false);
    }
    let done = sqlx::query("delete from catalog.menu_sections where id = $2 and merchant_id = $1")
        .bind(merchant.0)
        .bind(section.0)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    refresh_menu(&mut tx, merchant, true).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}

pub(super) async fn create_item(
    pool: &PgPool,
    merchant: MerchantId,
    section: SectionId,
    item: &MenuItem,
) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    if lock_merchant(&mut tx, merchant).await?.is_none() {
        return Ok(false);
    }
    let done = sqlx::query(
        "insert into catalog.menu_items (id, merchant_id, section_id, position, name, \
             description, price_minor, tax_class, dietary_tags, image_url, available) \
         select $3, s.merchant_id, s.id, \
             (select coalesce(max(i.position) + 1, 0) from catalog.menu_items i \
              where i.merchant_id = s.merchant_id and i.section_id = s.id), \
             $4, $5, $6, $7, $8::text[], $9, $10 \
         from catalog.menu_sections s where s.id = $2 and s.merchant_id = $1",
    )
    .bind(merchant.0)
    .bind(section.0)
    .bind(item.id.0)
    .bind(&item.name)
    .bind(&item.description)
    .bind(item.price.amount_minor)
    .bind(item.tax_class.as_str())
    .bind(dietary_tags(item))
    .bind(&item.image_url)
    .bind(item.available)
    .execute(&mut *tx)
    .await
    .map_err(store_error)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let mut rows = MenuRows::default();
    rows.add_option_groups(merchant, item);
    rows.insert(&mut tx).await?;
    refresh_menu(&mut tx, merchant, true).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}

pub(super) async fn replace_item(
    pool: &PgPool,
    merchant: MerchantId,
    item: &MenuItem,
) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    if lock_merchant(&mut tx, merchant).await?.is_none() {
        return Ok(false);
    }
    let done = sqlx::query(
        "update catalog.menu_items set name = $3, description = $4, price_minor = $5, \
             tax_class = $6, dietary_tags = $7::text[], image_url = $8, available = $9 \
         where id = $2 and merchant_id = $1",
    )
    .bind(merchant.0)
    .bind(item.id.0)
    .bind(&item.name)
    .bind(&item.description)
    .bind(item.price.amount_minor)
    .bind(item.tax_class.as_str())
    .bind(dietary_tags(item))
    .bind(&item.image_url)
    .bind(item.available)
    .execute(&mut *tx)
    .await
    .map_err(store_error)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    // Option groups are replaced wholesale; their options go with them (cascade).
    sqlx::query("delete from catalog.option_groups where merchant_id = $1 and item_id = $2")
        .bind(merchant.0)
        .bind(item.id.0)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
    let mut rows = MenuRows::default();
    rows.add_option_groups(merchant, item);
    rows.insert(&mut tx).await?;
    refresh_menu(&mut tx, merchant, true).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}

pub(super) async fn delete_item(
    pool: &PgPool,
    merchant: MerchantId,
    item: ItemId,
) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    if lock_merchant(&mut tx, merchant).await?.is_none() {
        return Ok(false);
    }
    let done = sqlx::query("delete from catalog.menu_items where id = $2 and merchant_id = $1")
        .bind(merchant.0)
        .bind(item.0)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    refresh_menu(&mut tx, merchant, true).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}

pub(super) async fn set_item_availability(
    pool: &PgPool,
    merchant: MerchantId,
    item: ItemId,
    available: bool,
) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await.map_err(store_error)?;
    if lock_merchant(&mut tx, merchant).await?.is_none() {
        return Ok(false);
    }
    let done = sqlx::query(
        "update catalog.menu_items set available = $3 where id = $2 and merchant_id = $1",
    )
    .bind(merchant.0)
    .bind(item.0)
    .bind(available)
    .execute(&mut *tx)
    .await
    .map_err(store_error)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    refresh_menu(&mut tx, merchant, true).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}
