//! The statements the catalog's writes share: inserting merchants (one or a batch, with
//! their derived menu documents and search texts), locking a merchant's row, rebuilding its
//! menu document, and binding open windows and menu rows to `unnest`.

use std::collections::HashSet;

use mercato_core::StoreError;
use mercato_core::catalog::{MenuItem, MenuSection, Merchant, OpenSchedule};
use mercato_core::ids::{MerchantId, SectionId};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::out_of_range;
use crate::geo::category_names;
use crate::store_error;

/// A merchant's fields as bound to statements: numbers in their column types, arrays as
/// PostgreSQL array literals (so that several merchants pass through `unnest`, which would
/// flatten two-dimensional arrays).
pub(super) struct MerchantColumns<'a> {
    merchant: &'a Merchant,
    pub(super) categories: String,
    pub(super) cuisines: String,
    pub(super) delivery_radius_m: i32,
    pub(super) fee_band_up_to_m: String,
    pub(super) fee_band_fee_minor: String,
    pub(super) hours: String,
    rating_count: i32,
}

impl<'a> MerchantColumns<'a> {
    pub(super) fn of(merchant: &'a Merchant) -> Result<Self, StoreError> {
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
pub(super) struct NewMerchant<'a> {
    pub(super) merchant: &'a Merchant,
    pub(super) sections: &'a [MenuSection],
    pub(super) windows_until: OffsetDateTime,
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
pub(super) async fn insert_merchants(
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
pub(super) async fn lock_merchant(
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
pub(super) async fn refresh_menu(
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
pub(super) struct WindowRows {
    merchants: Vec<Uuid>,
    opens_at: Vec<OffsetDateTime>,
    closes_at: Vec<OffsetDateTime>,
}

impl WindowRows {
    pub(super) fn add(
        &mut self,
        merchant: MerchantId,
        schedule: &OpenSchedule,
    ) -> Result<(), StoreError> {
        for window in &schedule.windows {
            let (opens_at, closes_at) =
                window.bounds().ok_or_else(|| out_of_range("open window"))?;
            self.merchants.push(merchant.0);
            self.opens_at.push(opens_at);
            self.closes_at.push(closes_at);
        }
        Ok(())
    }

    pub(super) async fn insert(self, conn: &mut PgConnection) -> Result<(), StoreError> {
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
pub(super) async fn rewrite_windows(
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

/// Menu rows as bound to `unnest`: sections, items, option groups and options of one or
/// more merchants, positions being indexes within their parent.
#[derive(Default)]
pub(super) struct MenuRows<'a> {
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

pub(super) fn index_position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

impl<'a> MenuRows<'a> {
    pub(super) fn add_section(&mut self, merchant: MerchantId, section: &'a MenuSection) {
        self.section_ids.push(section.id.0);
        self.section_merchants.push(merchant.0);
        self.section_names.push(&section.name);
        self.section_positions.push(section.position);
        for (i, item) in section.items.iter().enumerate() {
            self.add_item(merchant, section.id, index_position(i), item);
        }
    }

    pub(super) fn add_item(
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

    pub(super) fn add_option_groups(&mut self, merchant: MerchantId, item: &'a MenuItem) {
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
    pub(super) async fn insert(self, conn: &mut PgConnection) -> Result<(), StoreError> {
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
pub(super) fn dietary_tags(item: &MenuItem) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
