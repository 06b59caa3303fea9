//! The catalog store: merchants with their open windows, menus, reviews, discovery, and the
//! bulk import of the demo dataset.
//!
//! Two derived values live on each merchant row so the hot paths are single lookups: the
//! menu document (the menu as the API returns it) and the search text (name and dish
//! names). Every menu write locks the merchant row first, changes the menu tables with the
//! ownership check in the statement, then rebuilds both from the tables and bumps the menu
//! version, all in one transaction; a bulk import writes them along with the merchant.

use std::collections::HashSet;

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::catalog::{
    Candidate, CandidateQuery, CatalogImport, CatalogStore, DiscoverySort, FeeBand, HeldMenu, Menu,
    MenuItem, MenuRead, MenuSection, Merchant, MerchantHours, MerchantImport, MerchantRead,
    MerchantSummary, OpenSchedule, OpeningHours, Rating, Review, SortPosition,
};
use mercato_core::geo::{CountryCode, LatLng};
use mercato_core::ids::{CityId, ItemId, MerchantId, ReviewId, SectionId};
use mercato_core::money::{CurrencyCode, Money};
use sqlx::PgConnection;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::geo::{category_names, parse_categories};
use crate::{PgStore, store_error};

/// Merchants imported per statement; a call's batches share one transaction.
const IMPORT_BATCH: usize = 500;

/// The section position that means "after the last section".
const APPEND: i32 = i32::MAX;

// ---------------------------------------------------------------------------------------
// Merchants
// ---------------------------------------------------------------------------------------

/// The columns of [`MerchantRow`], of `catalog.merchants m`.
macro_rules! merchant_columns {
    () => {
        "m.id, m.name, m.description, m.country_code, m.city_id, m.currency, m.categories, \
         m.cuisines, m.address, m.lat, m.lng, m.delivery_radius_m, m.avg_prep_minutes, \
         m.minimum_order_minor, m.fee_band_up_to_m, m.fee_band_fee_minor, m.time_zone, m.hours, \
         m.paused, m.busy, m.rating_avg, m.rating_count, m.image_url"
    };
}

#[derive(sqlx::FromRow)]
struct MerchantRow {
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

fn corrupt(kind: &str, id: Uuid, what: &str) -> StoreError {
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

fn out_of_range(what: &str) -> StoreError {
    StoreError::Backend(format!("{what} is out of the stored range"))
}

/// A merchant's fields as bound to statements: numbers in their column types, arrays as
/// PostgreSQL array literals (so that several merchants pass through `unnest`, which would
/// flatten two-dimensional arrays).
struct MerchantColumns<'a> {
    merchant: &'a Merchant,
    categories: String,
    cuisines: String,
    delivery_radius_m: i32,
    fee_band_up_to_m: String,
    fee_band_fee_minor: String,
    hours: String,
    rating_count: i32,
}

impl<'a> MerchantColumns<'a> {
    fn of(merchant: &'a Merchant) -> Result<Self, StoreError> {
        let bands = &merchant.delivery_fee_bands;
        Ok(Self {
            merchant,
            categories: array_literal(category_names(&merchant.categories)),
            cuisines: array_literal(merchant.cuisines.iter().map(String::as_str)),
            delivery_radius_m: i32::try_from(merchant.delivery_radius_m)
                .map_err(|_| out_of_range("delivery radius"))?,
            fee_band_up_to_m: number_array_literal(bands.iter().map(|b| i64::from(b.up_to_m))),
            fee_band_fee_minor: number_array_literal(bands.iter().map(|b| b.fee_minor)),
            hours: serde_json::to_string(&merchant.hours)
                .map_err(|e| StoreError::Backend(format!("hours not serializable: {e}")))?,
            rating_count: i32::try_from(merchant.rating.count)
                .map_err(|_| out_of_range("rating count"))?,
        })
    }
}

/// A merchant to insert, with the menu it comes with (not inserted here) and until when its
/// open windows are computed.
struct NewMerchant<'a> {
    merchant: &'a Merchant,
    sections: &'a [MenuSection],
    windows_until: OffsetDateTime,
}

/// A merchant's menu as `catalog.menu_document` derives it from the menu tables: sections
/// by position (then id), items and options in the order given, prices in the merchant's
/// currency. A bulk import derives it from the rows it is about to write, rather than
/// updating every merchant it has just inserted (which would leave as many dead rows in
/// the hot discovery table).
fn menu_in_display_order(merchant: &Merchant, sections: &[MenuSection]) -> Vec<MenuSection> {
    let mut sections = sections.to_vec();
    sections.sort_by_key(|s| (s.position, s.id));
    for item in sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
        item.price.currency = merchant.currency.clone();
        for option in item
            .option_groups
            .iter_mut()
            .flat_map(|g| g.options.iter_mut())
        {
            option.price_delta.currency = merchant.currency.clone();
        }
    }
    sections
}

/// What `search_text` is the lower case of: the name, then the dish names, one per line.
fn search_source(merchant: &Merchant, sections: &[MenuSection]) -> String {
    let mut text = merchant.name.clone();
    for item in sections.iter().flat_map(|s| &s.items) {
        text.push('\n');
        text.push_str(&item.name);
    }
    text
}

/// One field of every row, as an array to bind to `unnest`.
fn column<'r, R, T>(rows: &'r [R], field: impl Fn(&'r R) -> T) -> Vec<T> {
    rows.iter().map(field).collect()
}

/// Inserts merchants that do not exist yet (by id), with their menu documents and search
/// texts; returns the ids inserted.
async fn insert_merchants(
    conn: &mut PgConnection,
    merchants: &[NewMerchant<'_>],
) -> Result<HashSet<Uuid>, StoreError> {
    let columns = merchants
        .iter()
        .map(|m| MerchantColumns::of(m.merchant))
        .collect::<Result<Vec<_>, _>>()?;
    let mut documents = Vec::with_capacity(merchants.len());
    let mut search = Vec::with_capacity(merchants.len());
    for new in merchants {
        let sections = menu_in_display_order(new.merchant, new.sections);
        documents.push(
            serde_json::to_string(&sections)
                .map_err(|e| StoreError::Backend(format!("menu not serializable: {e}")))?,
        );
        search.push(search_source(new.merchant, &sections));
    }
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "insert into catalog.merchants (id, name, description, country_code, city_id, currency, \
             categories, cuisines, address, lat, lng, delivery_radius_m, avg_prep_minutes, \
             minimum_order_minor, fee_band_up_to_m, fee_band_fee_minor, time_zone, hours, paused, \
             busy, rating_avg, rating_count, image_url, windows_until, menu_document, search_text) \
         select u.id, u.name, u.description, u.country_code, u.city_id, u.currency, \
             u.categories::text[], u.cuisines::text[], u.address, u.lat, u.lng, \
             u.delivery_radius_m, u.avg_prep_minutes, u.minimum_order_minor, \
             u.fee_band_up_to_m::bigint[], u.fee_band_fee_minor::bigint[], u.time_zone, \
             u.hours::jsonb, u.paused, u.busy, u.rating_avg, u.rating_count, u.image_url, \
             u.windows_until, u.menu_document::json, lower(u.search_source) \
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], \
             $7::text[], $8::text[], $9::text[], $10::float8[], $11::float8[], $12::int4[], \
             $13::int4[], $14::int8[], $15::text[], $16::text[], $17::text[], $18::text[], \
             $19::bool[], $20::bool[], $21::float8[], $22::int4[], $23::text[], \
             $24::timestamptz[], $25::text[], $26::text[]) \
             as u(id, name, description, country_code, city_id, currency, categories, cuisines, \
                  address, lat, lng, delivery_radius_m, avg_prep_minutes, minimum_order_minor, \
                  fee_band_up_to_m, fee_band_fee_minor, time_zone, hours, paused, busy, \
                  rating_avg, rating_count, image_url, windows_until, menu_document, \
                  search_source) \
         on conflict (id) do nothing \
         returning id",
    )
    .bind(column(&columns, |c| c.merchant.id.0))
    .bind(column(&columns, |c| c.merchant.name.as_str()))
    .bind(column(&columns, |c| c.merchant.description.as_deref()))
    .bind(column(&columns, |c| c.merchant.country_code.as_str()))
    .bind(column(&columns, |c| c.merchant.city_id.0))
    .bind(column(&columns, |c| c.merchant.currency.as_str()))
    .bind(column(&columns, |c| c.categories.as_str()))
    .bind(column(&columns, |c| c.cuisines.as_str()))
    .bind(column(&columns, |c| c.merchant.address.as_str()))
    .bind(column(&columns, |c| c.merchant.location.lat))
    .bind(column(&columns, |c| c.merchant.location.lng))
    .bind(column(&columns, |c| c.delivery_radius_m))
    .bind(column(&columns, |c| i32::from(c.merchant.avg_prep_minutes)))
    .bind(column(&columns, |c| c.merchant.minimum_order.amount_minor))
    .bind(column(&columns, |c| c.fee_band_up_to_m.as_str()))
    .bind(column(&columns, |c| c.fee_band_fee_minor.as_str()))
    .bind(column(&columns, |c| c.merchant.time_zone.as_str()))
    .bind(column(&columns, |c| c.hours.as_str()))
    .bind(column(&columns, |c| c.merchant.paused))
    .bind(column(&columns, |c| c.merchant.busy))
    .bind(column(&columns, |c| c.merchant.rating.average))
    .bind(column(&columns, |c| c.rating_count))
    .bind(column(&columns, |c| c.merchant.image_url.as_deref()))
    .bind(column(merchants, |m| m.windows_until))
    .bind(documents)
    .bind(search)
    .fetch_all(conn)
    .await
    .map_err(store_error)?;
    Ok(ids.into_iter().collect())
}

/// Locks a merchant's row for a change of its menu, windows or details, so concurrent
/// changes to one merchant apply one after the other (each statement after the lock sees
/// the previous change committed). Returns its currency, or `None` when it does not exist.
async fn lock_merchant(
    conn: &mut PgConnection,
    merchant: MerchantId,
) -> Result<Option<String>, StoreError> {
    sqlx::query_scalar("select currency from catalog.merchants where id = $1 for no key update")
        .bind(merchant.0)
        .fetch_optional(conn)
        .await
        .map_err(store_error)
}

/// Rebuilds a merchant's menu document and search text from the menu tables, bumping the
/// menu version when `bump`.
async fn refresh_menu(
    conn: &mut PgConnection,
    merchant: MerchantId,
    bump: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "with d as (select * from catalog.menu_document($1)) \
         update catalog.merchants m set \
             menu_version = m.menu_version + case when $2 then 1 else 0 end, \
             menu_document = coalesce((select d.document from d), '[]'), \
             search_text = lower(m.name || coalesce(E'\\n' || (select d.dish_names from d), '')) \
         where m.id = $1",
    )
    .bind(merchant.0)
    .bind(bump)
    .execute(conn)
    .await
    .map_err(store_error)?;
    Ok(())
}

/// Open windows as bound to `unnest`.
#[derive(Default)]
struct WindowRows {
    merchants: Vec<Uuid>,
    opens_at: Vec<OffsetDateTime>,
    closes_at: Vec<OffsetDateTime>,
}

impl WindowRows {
    fn add(&mut self, merchant: MerchantId, schedule: &OpenSchedule) -> Result<(), StoreError> {
        for window in &schedule.windows {
            let (opens_at, closes_at) =
                window.bounds().ok_or_else(|| out_of_range("open window"))?;
            self.merchants.push(merchant.0);
            self.opens_at.push(opens_at);
            self.closes_at.push(closes_at);
        }
        Ok(())
    }

    async fn insert(self, conn: &mut PgConnection) -> Result<(), StoreError> {
        if self.merchants.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "insert into catalog.open_windows (merchant_id, opens_at, closes_at) \
             select * from unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[])",
        )
        .bind(self.merchants)
        .bind(self.opens_at)
        .bind(self.closes_at)
        .execute(conn)
        .await
        .map_err(store_error)?;
        Ok(())
    }
}

/// Replaces a merchant's open windows (the caller holds the merchant's row).
async fn rewrite_windows(
    conn: &mut PgConnection,
    merchant: MerchantId,
    schedule: &OpenSchedule,
) -> Result<(), StoreError> {
    let mut rows = WindowRows::default();
    rows.add(merchant, schedule)?;
    sqlx::query("delete from catalog.open_windows where merchant_id = $1")
        .bind(merchant.0)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    rows.insert(conn).await
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

/// Whether the merchant is open at `now` and when it next opens, from the first of its
/// (sorted, disjoint) windows closing after `now`.
fn open_state(
    first_open: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> (bool, Option<OffsetDateTime>) {
    match first_open {
        Some(opens_at) if opens_at <= now => (true, None),
        other => (false, other),
    }
}

// ---------------------------------------------------------------------------------------
// Menus
// ---------------------------------------------------------------------------------------

/// Menu rows as bound to `unnest`: sections, items, option groups and options of one or
/// more merchants, positions being indexes within their parent.
#[derive(Default)]
struct MenuRows<'a> {
    section_ids: Vec<Uuid>,
    section_merchants: Vec<Uuid>,
    section_names: Vec<&'a str>,
    section_positions: Vec<i32>,
    item_ids: Vec<Uuid>,
    item_merchants: Vec<Uuid>,
    item_sections: Vec<Uuid>,
    item_positions: Vec<i32>,
    item_names: Vec<&'a str>,
    item_descriptions: Vec<Option<&'a str>>,
    item_prices: Vec<i64>,
    item_tax_classes: Vec<&'static str>,
    item_tags: Vec<String>,
    item_images: Vec<Option<&'a str>>,
    item_available: Vec<bool>,
    group_ids: Vec<Uuid>,
    group_merchants: Vec<Uuid>,
    group_items: Vec<Uuid>,
    group_positions: Vec<i32>,
    group_names: Vec<&'a str>,
    group_min: Vec<i32>,
    group_max: Vec<i32>,
    option_ids: Vec<Uuid>,
    option_merchants: Vec<Uuid>,
    option_groups: Vec<Uuid>,
    option_positions: Vec<i32>,
    option_names: Vec<&'a str>,
    option_deltas: Vec<i64>,
    option_available: Vec<bool>,
}

fn index_position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

impl<'a> MenuRows<'a> {
    fn add_section(&mut self, merchant: MerchantId, section: &'a MenuSection) {
        self.section_ids.push(section.id.0);
        self.section_merchants.push(merchant.0);
        self.section_names.push(&section.name);
        self.section_positions.push(section.position);
        for (i, item) in section.items.iter().enumerate() {
            self.add_item(merchant, section.id, index_position(i), item);
        }
    }

    fn add_item(
        &mut self,
        merchant: MerchantId,
        section: SectionId,
        position: i32,
        item: &'a MenuItem,
    ) {
        self.item_ids.push(item.id.0);
        self.item_merchants.push(merchant.0);
        self.item_sections.push(section.0);
        self.item_positions.push(position);
        self.item_names.push(&item.name);
        self.item_descriptions.push(item.description.as_deref());
        self.item_prices.push(item.price.amount_minor);
        self.item_tax_classes.push(item.tax_class.as_str());
        self.item_tags.push(dietary_tags(item));
        self.item_images.push(item.image_url.as_deref());
        self.item_available.push(item.available);
        self.add_option_groups(merchant, item);
    }

    fn add_option_groups(&mut self, merchant: MerchantId, item: &'a MenuItem) {
        for (g, group) in item.option_groups.iter().enumerate() {
            self.group_ids.push(group.id.0);
            self.group_merchants.push(merchant.0);
            self.group_items.push(item.id.0);
            self.group_positions.push(index_position(g));
            self.group_names.push(&group.name);
            self.group_min.push(i32::from(group.min_selections));
            self.group_max.push(i32::from(group.max_selections));
            for (o, option) in group.options.iter().enumerate() {
                self.option_ids.push(option.id.0);
                self.option_merchants.push(merchant.0);
                self.option_groups.push(group.id.0);
                self.option_positions.push(index_position(o));
                self.option_names.push(&option.name);
                self.option_deltas.push(option.price_delta.amount_minor);
                self.option_available.push(option.available);
            }
        }
    }

    /// Inserts every row, parents first.
    async fn insert(self, conn: &mut PgConnection) -> Result<(), StoreError> {
        if !self.section_ids.is_empty() {
            sqlx::query(
                "insert into catalog.menu_sections (id, merchant_id, name, position) \
                 select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::int4[])",
            )
            .bind(self.section_ids)
            .bind(self.section_merchants)
            .bind(self.section_names)
            .bind(self.section_positions)
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
        }
        if !self.item_ids.is_empty() {
            sqlx::query(
                "insert into catalog.menu_items (id, merchant_id, section_id, position, name, \
                     description, price_minor, tax_class, dietary_tags, image_url, available) \
                 select u.id, u.merchant_id, u.section_id, u.position, u.name, u.description, \
                     u.price_minor, u.tax_class, u.dietary_tags::text[], u.image_url, u.available \
                 from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int4[], $5::text[], \
                     $6::text[], $7::int8[], $8::text[], $9::text[], $10::text[], $11::bool[]) \
                     as u(id, merchant_id, section_id, position, name, description, price_minor, \
                          tax_class, dietary_tags, image_url, available)",
            )
            .bind(self.item_ids)
            .bind(self.item_merchants)
            .bind(self.item_sections)
            .bind(self.item_positions)
            .bind(self.item_names)
            .bind(self.item_descriptions)
            .bind(self.item_prices)
            .bind(self.item_tax_classes)
            .bind(self.item_tags)
            .bind(self.item_images)
            .bind(self.item_available)
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
        }
        if !self.group_ids.is_empty() {
            sqlx::query(
                "insert into catalog.option_groups (id, merchant_id, item_id, position, name, \
                     min_selections, max_selections) \
                 select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int4[], $5::text[], \
                     $6::int4[], $7::int4[])",
            )
            .bind(self.group_ids)
            .bind(self.group_merchants)
            .bind(self.group_items)
            .bind(self.group_positions)
            .bind(self.group_names)
            .bind(self.group_min)
            .bind(self.group_max)
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
        }
        if !self.option_ids.is_empty() {
            sqlx::query(
                "insert into catalog.menu_options (id, merchant_id, group_id, position, name, \
                     price_delta_minor, available) \
                 select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int4[], $5::text[], \
                     $6::int8[], $7::bool[])",
            )
            .bind(self.option_ids)
            .bind(self.option_merchants)
            .bind(self.option_groups)
            .bind(self.option_positions)
            .bind(self.option_names)
            .bind(self.option_deltas)
            .bind(self.option_available)
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
        }
        Ok(())
    }
}

/// An item's dietary tags as a PostgreSQL array literal of their serde names.
fn dietary_tags(item: &MenuItem) -> String {
    let names: Vec<String> = item
        .dietary_tags
        .iter()
        .filter_map(|tag| match serde_json::to_value(tag) {
            Ok(serde_json::Value::String(name)) => Some(name),
            _ => None,
        })
        .collect();
    array_literal(names.iter().map(String::as_str))
}

/// A PostgreSQL text array literal: `{"a","b \"c\""}`.
fn array_literal<'s>(items: impl IntoIterator<Item = &'s str>) -> String {
    let mut out = String::from("{");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for ch in item.chars() {
            if ch == '"' || ch == '\\' {
                out.push('\\');
            }
            out.push(ch);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// A PostgreSQL integer array literal: `{1,2}`.
fn number_array_literal(items: impl IntoIterator<Item = i64>) -> String {
    let items: Vec<String> = items.into_iter().map(|n| n.to_string()).collect();
    format!("{{{}}}", items.join(","))
}

// ---------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------
//
// Parameters, shared by every discovery statement: $1 latitude, $2 longitude, $3 latitude
// in radians and $4 its cosine (the point's terms of catalog.haversine_m, computed as the
// core computes them), $5 allowed categories, $6 cuisine, $7 now, $8 sort ('rating', 'eta'
// or 'fee'; distance has statements of its own), $9 and $10 the keyset position, $11 limit,
// $12 hand-off minutes, $13 busy extra minutes, $14 courier speed (km/h), $15 the city
// serving the point, and in the text statements $16 the LIKE pattern.
//
// Optional filters that need a subquery or a table column outside the index (open now,
// text) make statements of their own rather than `$n is null or …` conditions: PostgreSQL
// then prefers the statement's generic plan, prepared once per connection, to planning
// every execution anew (planning costs more than running these queries).

/// Distance in metres from merchant `m` to the point.
macro_rules! distance_sql {
    () => {
        "catalog.haversine_m(m.lat_rad, m.cos_lat, m.lng, $3, $4, $2)"
    };
}

/// `EtaModel::eta_minutes` of the merchant columns of `$t` at distance `$d` (float8).
macro_rules! eta_sql {
    ($t:literal, $d:literal) => {
        concat!(
            "(",
            $t,
            ".avg_prep_minutes + case when ",
            $t,
            ".busy then $13 else 0 end + $12 + ceil(greatest(",
            $d,
            ", 0) / 1000 / $14 * 60))"
        )
    };
}

/// `delivery_fee_minor` of the bands of `$t` at distance `$d` (bigint): the first band
/// reaching at least `$d`, else the last. Bands are integers sorted ascending, so the
/// bands below `$d` are those up to `ceil($d) - 1`, which `width_bucket` counts by binary
/// search.
macro_rules! fee_sql {
    ($t:literal, $d:literal) => {
        concat!(
            "coalesce(",
            $t,
            ".fee_band_fee_minor[least(width_bucket(ceil(",
            $d,
            ")::bigint - 1, ",
            $t,
            ".fee_band_up_to_m) + 1, cardinality(",
            $t,
            ".fee_band_fee_minor))], 0)"
        )
    };
}

/// The filters every discovery applies to `catalog.merchants m`, answered by
/// `merchants_discovery_idx` alone.
macro_rules! discovery_filters {
    () => {
        "m.coverage @> box(point($2, $1), point($2, $1)) \
         and m.city_id = $15 \
         and m.categories && $5 \
         and ($6::text is null or $6 = any (m.cuisines))"
    };
}

/// Open now (and not paused): a window contains the instant.
macro_rules! open_filter {
    () => {
        " and not m.paused and exists (select 1 from catalog.open_windows ow \
             where ow.merchant_id = m.id and ow.closes_at > $7 and ow.opens_at <= $7)"
    };
}

/// The text filter: merchant and dish names, lower-cased as stored.
macro_rules! text_filter {
    () => {
        " and m.search_text like lower($16)"
    };
}

/// Nearest first: a nearest-neighbour scan of the index in order of the chord to the
/// point (which grows with the great-circle distance), stopping after `limit` rows and
/// those tied with the last; they are then ordered by (chord, id). The chord is the sort
/// key: the same expression the index orders by, so pages never overlap or skip.
macro_rules! nearest_candidates {
    ($($filters:tt)*) => {
        concat!(
            "select t.id, t.distance_m, t.sort_key from (\
                 select m.id, ", distance_sql!(), " as distance_m, \
                     m.location <-> catalog.earth_point($1, $2) as sort_key \
                 from catalog.merchants m \
                 where ", discovery_filters!(), $($filters)*,
            "      and ", distance_sql!(), " <= m.delivery_radius_m \
                   and ($9::float8 is null \
                        or (m.location <-> catalog.earth_point($1, $2), m.id) > ($9, $10)) \
                 order by m.location <-> catalog.earth_point($1, $2) \
                 fetch first $11 rows with ties\
             ) t \
             order by t.sort_key, t.id \
             limit $11"
        )
    };
}

/// Rating, ETA or fee first: every merchant covering the point, with its distance computed
/// once (the `offset 0` fences keep the planner from repeating the expression), ranked by
/// the key and the id.
macro_rules! ranked_candidates {
    ($($filters:tt)*) => {
        concat!(
            "select k.id, k.distance_m, k.sort_key from (\
                 select s.id, s.distance_m, \
                     case $8 when 'rating' then -s.rating_avg \
                             when 'eta' then ", eta_sql!("s", "s.distance_m"), "::float8 \
                             else ", fee_sql!("s", "s.distance_m"), "::float8 end as sort_key \
                 from (\
                     select m.id, m.delivery_radius_m, m.rating_avg, m.avg_prep_minutes, m.busy, \
                         m.fee_band_up_to_m, m.fee_band_fee_minor, ", distance_sql!(), " as distance_m \
                     from catalog.merchants m \
                     where ", discovery_filters!(), $($filters)*,
            "        offset 0\
                 ) s \
                 where s.distance_m <= s.delivery_radius_m \
                 offset 0\
             ) k \
             where $9::float8 is null or (k.sort_key, k.id) > ($9, $10) \
             order by k.sort_key, k.id \
             limit $11"
        )
    };
}

/// The chosen candidates with what their summaries show.
macro_rules! summaries {
    ($($candidates:tt)*) => {
        concat!(
            "select m.id, m.name, m.categories, m.cuisines, m.rating_avg, m.rating_count, \
                 m.minimum_order_minor, m.currency, m.paused, m.image_url, c.distance_m, ",
            eta_sql!("m", "c.distance_m"), "::int4 as eta_minutes, ",
            fee_sql!("m", "c.distance_m"), " as fee_minor, c.sort_key, w.opens_at \
             from (", $($candidates)*, ") c \
             join catalog.merchants m on m.id = c.id \
             left join lateral (\
                 select ow.opens_at from catalog.open_windows ow \
                 where ow.merchant_id = c.id and ow.closes_at > $7 \
                 order by ow.closes_at limit 1\
             ) w on true \
             order by c.sort_key, c.id"
        )
    };
}

/// The discovery statements by `[nearest first][open now only][text filter]`.
const DISCOVER: [[[&str; 2]; 2]; 2] = [
    [
        [
            summaries!(ranked_candidates!("")),
            summaries!(ranked_candidates!(text_filter!())),
        ],
        [
            summaries!(ranked_candidates!(open_filter!())),
            summaries!(ranked_candidates!(open_filter!(), text_filter!())),
        ],
    ],
    [
        [
            summaries!(nearest_candidates!("")),
            summaries!(nearest_candidates!(text_filter!())),
        ],
        [
            summaries!(nearest_candidates!(open_filter!())),
            summaries!(nearest_candidates!(open_filter!(), text_filter!())),
        ],
    ],
];

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: Uuid,
    name: String,
    categories: Vec<String>,
    cuisines: Vec<String>,
    rating_avg: f64,
    rating_count: i32,
    minimum_order_minor: i64,
    currency: String,
    paused: bool,
    image_url: Option<String>,
    distance_m: f64,
    eta_minutes: i32,
    fee_minor: i64,
    sort_key: f64,
    opens_at: Option<OffsetDateTime>,
}

impl CandidateRow {
    fn into_candidate(self, now: OffsetDateTime) -> Result<Candidate, StoreError> {
        let bad = |what: &str| corrupt("merchant", self.id, what);
        let currency = CurrencyCode::parse(&self.currency).map_err(|_| bad("currency"))?;
        let (open, next_opening_at) = open_state(self.opens_at, now);
        // Distances within any delivery radius are far below u32::MAX metres.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let distance_m = self.distance_m.round() as u32;
        Ok(Candidate {
            summary: MerchantSummary {
                id: MerchantId(self.id),
                name: self.name,
                categories: parse_categories(&self.categories)?,
                cuisines: self.cuisines,
                rating: Rating {
                    average: round_rating(self.rating_avg),
                    count: u32::try_from(self.rating_count).map_err(|_| bad("rating count"))?,
                },
                distance_m,
                eta_minutes: u32::try_from(self.eta_minutes).map_err(|_| bad("ETA"))?,
                delivery_fee: Money::new(self.fee_minor, currency.clone()),
                minimum_order: Money::new(self.minimum_order_minor, currency),
                open_now: open && !self.paused,
                next_opening_at,
                paused: self.paused,
                image_url: self.image_url,
            },
            position: SortPosition {
                key: self.sort_key,
                id: MerchantId(self.id),
            },
        })
    }
}

/// A LIKE pattern finding `text` anywhere, its wildcards and escape character escaped.
fn contains_pattern(text: &str) -> String {
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

// ---------------------------------------------------------------------------------------
// The ports
// ---------------------------------------------------------------------------------------

#[async_trait]
impl CatalogStore for PgStore {
    async fn discover(&self, query: &CandidateQuery) -> Result<Vec<Candidate>, StoreError> {
        let pattern = query.text.as_deref().map(contains_pattern);
        let nearest = query.sort == DiscoverySort::Distance;
        let sql = DISCOVER[usize::from(nearest)][usize::from(query.open_now)]
            [usize::from(pattern.is_some())];
        let sort = match query.sort {
            DiscoverySort::Distance => "distance",
            DiscoverySort::Rating => "rating",
            DiscoverySort::Eta => "eta",
            DiscoverySort::Fee => "fee",
        };
        // The point's haversine terms exactly as `mercato_core::geo::distance_m` derives them.
        let lat_rad = query.point.lat.to_radians();
        let mut statement = sqlx::query_as::<_, CandidateRow>(sql)
            .bind(query.point.lat)
            .bind(query.point.lng)
            .bind(lat_rad)
            .bind(lat_rad.cos())
            .bind(category_names(&query.categories))
            .bind(query.cuisine.as_deref())
            .bind(query.now)
            .bind(sort)
            .bind(query.after.map(|p| p.key))
            .bind(query.after.map(|p| p.id.0))
            .bind(i64::from(query.limit))
            .bind(i32::from(query.eta.handoff_minutes))
            .bind(i32::from(query.eta.busy_extra_minutes))
            .bind(f64::from(query.eta.courier_speed_kmh.max(1)))
            .bind(query.city.0);
        if let Some(pattern) = pattern {
            statement = statement.bind(pattern);
        }
        let rows = statement.fetch_all(&self.pool).await.map_err(store_error)?;
        rows.into_iter()
            .map(|row| row.into_candidate(query.now))
            .collect()
    }

    async fn merchant(
        &self,
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
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.map(|row| {
            let (open, next) = open_state(row.opens_at, now);
            Ok((Merchant::try_from(row.merchant)?, open, next))
        })
        .transpose()
    }

    async fn create_merchant(
        &self,
        merchant: &Merchant,
        schedule: &OpenSchedule,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn update_merchant(
        &self,
        merchant: &Merchant,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        let columns = MerchantColumns::of(merchant)?;
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn set_hours(
        &self,
        id: MerchantId,
        hours: &OpeningHours,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        let hours = serde_json::to_string(hours)
            .map_err(|e| StoreError::Backend(format!("hours not serializable: {e}")))?;
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn set_pause(
        &self,
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
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn menu_version(&self, id: MerchantId) -> Result<Option<i64>, StoreError> {
        sqlx::query_scalar("select menu_version from catalog.merchants where id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)
    }

    async fn current_menu(
        &self,
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
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.map(|row| row.into_read(id)).transpose()
    }

    async fn merchant_with_menu(
        &self,
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
        .fetch_optional(&self.pool)
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

    async fn create_section(
        &self,
        merchant: MerchantId,
        section: &MenuSection,
    ) -> Result<Option<i32>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn update_section(
        &self,
        merchant: MerchantId,
        section: &MenuSection,
    ) -> Result<Option<i32>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn delete_section(
        &self,
        merchant: MerchantId,
        section: SectionId,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        if lock_merchant(&mut tx, merchant).await?.is_none() {
            return Ok(false);
        }
        let done =
            sqlx::query("delete from catalog.menu_sections where id = $2 and merchant_id = $1")
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

    async fn create_item(
        &self,
        merchant: MerchantId,
        section: SectionId,
        item: &MenuItem,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn replace_item(
        &self,
        merchant: MerchantId,
        item: &MenuItem,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn delete_item(&self, merchant: MerchantId, item: ItemId) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn set_item_availability(
        &self,
        merchant: MerchantId,
        item: ItemId,
        available: bool,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn add_review(&self, merchant: MerchantId, review: &Review) -> Result<bool, StoreError> {
        // One statement: the insert and the aggregate update commit together, and a review
        // already known (a redelivered event) changes nothing. The average is kept unrounded
        // (rounding each step would stall it); reads round it.
        let added: Option<i32> = sqlx::query_scalar(
            "with added as ( \
                 insert into catalog.reviews (id, merchant_id, author_name, rating, comment, created_at) \
                 select $1, m.id, $3, $4, $5, $6 from catalog.merchants m where m.id = $2 \
                 on conflict (id) do nothing \
                 returning merchant_id, rating) \
             update catalog.merchants m \
             set rating_avg = (m.rating_avg * m.rating_count + a.rating) / (m.rating_count + 1), \
                 rating_count = m.rating_count + 1 \
             from added a where m.id = a.merchant_id \
             returning m.rating_count",
        )
        .bind(review.id.0)
        .bind(merchant.0)
        .bind(&review.author_name)
        .bind(i16::from(review.rating))
        .bind(review.comment.as_deref())
        .bind(review.created_at)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(added.is_some())
    }

    async fn reviews(
        &self,
        merchant: MerchantId,
        after: Option<ReviewId>,
        limit: u32,
    ) -> Result<Vec<Review>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            author_name: String,
            rating: i16,
            comment: Option<String>,
            created_at: OffsetDateTime,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "select r.id, r.author_name, r.rating, r.comment, r.created_at \
             from catalog.reviews r \
             where r.merchant_id = $1 \
               and ($2::uuid is null or (r.created_at, r.id) < \
                   (select a.created_at, a.id from catalog.reviews a \
                    where a.id = $2 and a.merchant_id = $1)) \
             order by r.created_at desc, r.id desc \
             limit $3",
        )
        .bind(merchant.0)
        .bind(after.map(|r| r.0))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.into_iter()
            .map(|row| {
                Ok(Review {
                    rating: u8::try_from(row.rating)
                        .map_err(|_| corrupt("review", row.id, "rating"))?,
                    id: ReviewId(row.id),
                    author_name: row.author_name,
                    comment: row.comment,
                    created_at: row.created_at,
                })
            })
            .collect()
    }

    async fn hours_needing_windows(
        &self,
        horizon: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<MerchantHours>, StoreError> {
        let rows: Vec<(Uuid, String, Json<OpeningHours>, OffsetDateTime)> = sqlx::query_as(
            "select id, time_zone, hours, windows_until from catalog.merchants \
             where windows_until < $1 order by windows_until, id limit $2",
        )
        .bind(horizon)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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

    async fn replace_windows(
        &self,
        merchant: &MerchantHours,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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
}

#[async_trait]
impl CatalogImport for PgStore {
    async fn import_merchants(&self, merchants: &[MerchantImport]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let mut created = 0u64;
        // An id given twice in one call is imported once, from its first occurrence.
        let mut seen: HashSet<Uuid> = HashSet::with_capacity(merchants.len());
        for batch in merchants.chunks(IMPORT_BATCH) {
            let batch: Vec<&MerchantImport> = batch
                .iter()
                .filter(|m| seen.insert(m.merchant.id.0))
                .collect();
            let rows: Vec<NewMerchant<'_>> = batch
                .iter()
                .map(|m| NewMerchant {
                    merchant: &m.merchant,
                    sections: &m.sections,
                    windows_until: m.schedule.until,
                })
                .collect();
            let inserted = insert_merchants(&mut tx, &rows).await?;
            let new: Vec<&MerchantImport> = batch
                .into_iter()
                .filter(|m| inserted.contains(&m.merchant.id.0))
                .collect();
            let mut menus = MenuRows::default();
            let mut windows = WindowRows::default();
            let mut reviews = ReviewRows::default();
            for import in &new {
                let id = import.merchant.id;
                for section in &import.sections {
                    menus.add_section(id, section);
                }
                windows.add(id, &import.schedule)?;
                for review in &import.reviews {
                    reviews.add(id, review);
                }
            }
            menus.insert(&mut tx).await?;
            windows.insert(&mut tx).await?;
            reviews.insert(&mut tx).await?;
            created += new.len() as u64;
        }
        tx.commit().await.map_err(store_error)?;
        // Discovery reads merchants and open windows by index-only scans, which must visit
        // the table for every row on a page not yet marked all-visible: until autovacuum
        // comes by, freshly loaded merchants are several times slower to discover.
        if created > 0
            && let Err(err) =
                sqlx::query("vacuum (analyze) catalog.merchants, catalog.open_windows")
                    .execute(&self.pool)
                    .await
        {
            tracing::warn!(error = %err, "could not vacuum the catalog after an import");
        }
        Ok(created)
    }
}

/// Reviews as bound to `unnest`.
#[derive(Default)]
struct ReviewRows<'a> {
    ids: Vec<Uuid>,
    merchants: Vec<Uuid>,
    authors: Vec<&'a str>,
    ratings: Vec<i16>,
    comments: Vec<Option<&'a str>>,
    created_at: Vec<OffsetDateTime>,
}

impl<'a> ReviewRows<'a> {
    fn add(&mut self, merchant: MerchantId, review: &'a Review) {
        self.ids.push(review.id.0);
        self.merchants.push(merchant.0);
        self.authors.push(&review.author_name);
        self.ratings.push(i16::from(review.rating));
        self.comments.push(review.comment.as_deref());
        self.created_at.push(review.created_at);
    }

    async fn insert(self, conn: &mut PgConnection) -> Result<(), StoreError> {
        if self.ids.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "insert into catalog.reviews (id, merchant_id, author_name, rating, comment, created_at) \
             select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::int2[], $5::text[], \
                 $6::timestamptz[])",
        )
        .bind(self.ids)
        .bind(self.merchants)
        .bind(self.authors)
        .bind(self.ratings)
        .bind(self.comments)
        .bind(self.created_at)
        .execute(conn)
        .await
        .map_err(store_error)?;
        Ok(())
    }
}

/// A stored rating average as shown: two decimals.
fn round_rating(average: f64) -> f64 {
    (average * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_search_text_are_escaped() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn array_literals_quote_every_element() {
        assert_eq!(
            array_literal(["a", "b \"c\"", "d\\e"]),
            r#"{"a","b \"c\"","d\\e"}"#
        );
        assert_eq!(array_literal([]), "{}");
        assert_eq!(number_array_literal([1, -2]), "{1,-2}");
    }
}
