//! What the order, courier and insight stores share: the order row with its items (one
//! statement reads both), the statements that read whole orders, a page of them, and the
//! helpers for stored values that do not parse.

use mercato_core::StoreError;
use mercato_core::geo::TaxClass;
use mercato_core::ids::{ItemId, MerchantId, OrderId, UserId};
use mercato_core::money::{CurrencyCode, Money};
use mercato_core::ordering::{Order, OrderItem, OrderStatus};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{PgStore, store_error};

/// Orders with their items, as [`OrderRow`]s: `ordering.orders` (unqualified: the item
/// arrays are the only other columns in scope), each with its items as one array per column
/// in position order. One statement reads orders and items alike.
macro_rules! order_select {
    () => {
        "select id, customer_id, merchant_id, merchant_name, status, delivery, payment_method, \
         summary, currency, scheduled_for, courier_id, created_at, updated_at, \
         i.item_ids, i.item_names, i.item_quantities, i.item_options, i.item_unit_prices, \
         i.item_tax_classes, i.item_line_totals, i.item_notes \
         from ordering.orders cross join lateral ( \
             select array_agg(menu_item_id order by position) as item_ids, \
                 array_agg(name order by position) as item_names, \
                 array_agg(quantity order by position) as item_quantities, \
                 array_agg(options order by position) as item_options, \
                 array_agg(unit_price_minor order by position) as item_unit_prices, \
                 array_agg(tax_class order by position) as item_tax_classes, \
                 array_agg(line_total_minor order by position) as item_line_totals, \
                 array_agg(note order by position) as item_notes \
             from ordering.order_items where order_id = orders.id) i "
    };
}

pub(super) const ORDER_BY_ID: &str = concat!(order_select!(), "where id = $1");

/// The orders of one owner (column `$owner`: `$1`), newest first, optionally in one status
/// (`$2`), after the order `$3` (same owner) in that order, at most `$4`.
macro_rules! orders_of_owner {
    ($owner:literal) => {
        concat!(
            order_select!(),
            "where ",
            $owner,
            " = $1 \
             and ($2::text is null or status = $2) \
             and ($3::uuid is null or (created_at, id) < \
                  (select o.created_at, o.id from ordering.orders o \
                   where o.id = $3 and o.",
            $owner,
            " = $1)) \
             order by created_at desc, id desc limit $4"
        )
    };
}

/// A customer's orders, newest first, optionally in one status, after the order `$3` (same
/// customer) in that order.
pub(super) const ORDERS_OF: &str = orders_of_owner!("customer_id");

/// A courier's orders, newest first, optionally in one status, after the order `$3` (same
/// courier) in that order.
pub(super) const ORDERS_OF_COURIER: &str = orders_of_owner!("courier_id");

/// A merchant's orders (`$1`), newest first, in status `$2` (without one: every status but
/// `pending_payment`, orders the kitchen does not prepare yet) and placed at or after `$5`,
/// after the order `$3` (same merchant) in that order, at most `$4`.
pub(super) const ORDERS_OF_MERCHANT: &str = concat!(
    order_select!(),
    "where merchant_id = $1 \
     and (status = $2 or ($2::text is null and status <> 'pending_payment')) \
     and ($5::timestamptz is null or created_at >= $5) \
     and ($3::uuid is null or (created_at, id) < \
          (select o.created_at, o.id from ordering.orders o \
           where o.id = $3 and o.merchant_id = $1)) \
     order by created_at desc, id desc limit $4"
);

/// Orders ready for pickup without a courier: those never tried first, then those tried
/// longest ago, then the longest waiting.
pub(super) const AWAITING_COURIER: &str = concat!(
    order_select!(),
    "where awaiting_courier_since is not null \
     order by dispatch_attempted_at nulls first, awaiting_courier_since, id limit $1"
);

/// One row of [`order_select`]. The item arrays are null for an order without items.
#[derive(sqlx::FromRow)]
pub(super) struct OrderRow {
    id: Uuid,
    customer_id: Uuid,
    merchant_id: Uuid,
    merchant_name: String,
    status: String,
    delivery: serde_json::Value,
    payment_method: serde_json::Value,
    summary: serde_json::Value,
    currency: String,
    scheduled_for: Option<OffsetDateTime>,
    courier_id: Option<Uuid>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    item_ids: Option<Vec<Uuid>>,
    item_names: Option<Vec<String>>,
    item_quantities: Option<Vec<i32>>,
    item_options: Option<Vec<serde_json::Value>>,
    item_unit_prices: Option<Vec<i64>>,
    item_tax_classes: Option<Vec<String>>,
    item_line_totals: Option<Vec<i64>>,
    item_notes: Option<Vec<Option<String>>>,
}

pub(super) fn invalid(what: &str, id: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("order {id} has an invalid stored {what}"))
}

pub(super) fn parse_status(name: &str, id: Uuid) -> Result<OrderStatus, StoreError> {
    OrderStatus::parse(name).ok_or_else(|| invalid("status", id))
}

pub(super) fn backend(message: String) -> StoreError {
    StoreError::Backend(message)
}

impl OrderRow {
    /// The order of this row, with its items.
    pub(super) fn into_order(self) -> Result<Order, StoreError> {
        let id = self.id;
        let currency = CurrencyCode::parse(&self.currency).map_err(|_| invalid("currency", id))?;
        let ids = self.item_ids.unwrap_or_default();
        let count = ids.len();
        let items = ids
            .into_iter()
            .zip(column(self.item_names, count, id)?)
            .zip(column(self.item_quantities, count, id)?)
            .zip(column(self.item_options, count, id)?)
            .zip(column(self.item_unit_prices, count, id)?)
            .zip(column(self.item_tax_classes, count, id)?)
            .zip(column(self.item_line_totals, count, id)?)
            .zip(column(self.item_notes, count, id)?)
            .map(
                |(((((((item, name), quantity), options), unit), tax), total), note)| {
                    Ok(OrderItem {
                        menu_item_id: ItemId(item),
                        name,
                        quantity: u32::try_from(quantity)
                            .map_err(|_| invalid("item quantity", id))?,
                        options: serde_json::from_value(options)
                            .map_err(|_| invalid("item options", id))?,
                        unit_price: Money::new(unit, currency.clone()),
                        tax_class: TaxClass::parse(&tax).ok_or_else(|| invalid("tax class", id))?,
                        line_total: Money::new(total, currency.clone()),
                        note,
                    })
                },
            )
            .collect::<Result<_, StoreError>>()?;
        Ok(Order {
            id: OrderId(id),
            customer_id: UserId(self.customer_id),
            merchant_id: MerchantId(self.merchant_id),
            merchant_name: self.merchant_name,
            status: parse_status(&self.status, id)?,
            items,
            delivery: serde_json::from_value(self.delivery).map_err(|_| invalid("delivery", id))?,
            payment_method: serde_json::from_value(self.payment_method)
                .map_err(|_| invalid("payment method", id))?,
            summary: serde_json::from_value(self.summary).map_err(|_| invalid("summary", id))?,
            scheduled_for: self.scheduled_for,
            courier_id: self.courier_id.map(UserId),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// One item array of order `id`, which must hold `count` values like the ids' (null: none).
fn column<T>(values: Option<Vec<T>>, count: usize, id: Uuid) -> Result<Vec<T>, StoreError> {
    let values = values.unwrap_or_default();
    if values.len() == count {
        Ok(values)
    } else {
        Err(invalid("item list", id))
    }
}

/// Orders of `rows`, in their order.
pub(super) fn orders_of_rows(rows: Vec<OrderRow>) -> Result<Vec<Order>, StoreError> {
    rows.into_iter().map(OrderRow::into_order).collect()
}

impl PgStore {
    /// A page of orders by `sql` (`$1` the owner's id, `$2` an optional status, `$3` the
    /// cursor, `$4` the page size), with their items.
    pub(super) async fn orders_page(
        &self,
        sql: &'static str,
        owner: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        let rows: Vec<OrderRow> = sqlx::query_as(sql)
            .bind(owner.0)
            .bind(status.map(OrderStatus::as_str))
            .bind(after.map(|o| o.0))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        orders_of_rows(rows)
    }
}
