//! The order store: idempotent checkout of a cart into an order, reads of orders and their
//! status timelines, and compare-and-set status changes.
//!
//! An order's delivery details, payment method and price summary are stored as jsonb (the
//! serde of the core types: snapshots nobody queries into); its items are rows, so they keep
//! their order and stay countable. Every change that writes more than one row is one
//! transaction, domain events included (the outbox).

use std::collections::HashMap;

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::events::OutboxEvent;
use mercato_core::geo::TaxClass;
use mercato_core::ids::{ItemId, MerchantId, OrderId, UserId};
use mercato_core::money::{CurrencyCode, Money};
use mercato_core::ordering::{
    CancelReason, IDEMPOTENCY_LEASE, IdempotencyKey, IdempotencyStart, Order, OrderItem,
    OrderStatus, OrderStore, OrderUpdate, Placed, Placement, StatusChange,
};
use sqlx::PgConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{PgStore, fulfilment, outbox, store_error};

/// How long an idempotency key is remembered.
const KEY_LIFETIME: Duration = Duration::hours(24);

/// The columns of [`OrderRow`], from `ordering.orders`.
macro_rules! order_columns {
    () => {
        "id, customer_id, merchant_id, merchant_name, status, delivery, payment_method, \
         summary, currency, scheduled_for, courier_id, created_at, updated_at"
    };
}

const ORDER_BY_ID: &str = concat!(
    "select ",
    order_columns!(),
    " from ordering.orders where id = $1"
);

/// A customer's orders, newest first, optionally in one status, after the order `$3` (same
/// customer) in that order.
const ORDERS_OF: &str = concat!(
    "select ",
    order_columns!(),
    " from ordering.orders where customer_id = $1 \
     and ($2::text is null or status = $2) \
     and ($3::uuid is null or (created_at, id) < \
          (select created_at, id from ordering.orders where id = $3 and customer_id = $1)) \
     order by created_at desc, id desc limit $4"
);

/// A courier's orders, newest first, optionally in one status, after the order `$3` (same
/// courier) in that order.
pub(crate) const ORDERS_OF_COURIER: &str = concat!(
    "select ",
    order_columns!(),
    " from ordering.orders where courier_id = $1 \
     and ($2::text is null or status = $2) \
     and ($3::uuid is null or (created_at, id) < \
          (select created_at, id from ordering.orders where id = $3 and courier_id = $1)) \
     order by created_at desc, id desc limit $4"
);

/// Orders ready for pickup without a courier: those never tried first, then those tried
/// longest ago, then the longest waiting.
pub(crate) const AWAITING_COURIER: &str = concat!(
    "select ",
    order_columns!(),
    " from ordering.orders where status = 'ready_for_pickup' and courier_id is null \
     order by dispatch_attempted_at nulls first, updated_at, id limit $1"
);

const ITEMS_OF: &str = "select order_id, menu_item_id, name, quantity, options, \
     unit_price_minor, tax_class, line_total_minor, note \
     from ordering.order_items where order_id = any($1) order by order_id, position";

const INSERT_ORDER: &str = "insert into ordering.orders \
     (id, customer_id, merchant_id, merchant_name, status, delivery, payment_method, summary, \
     currency, total_minor, scheduled_for, courier_id, created_at, updated_at) \
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

/// An order's items, one array per column (`$2`…`$10`).
const INSERT_ITEMS: &str = "insert into ordering.order_items \
     (order_id, position, menu_item_id, name, quantity, options, unit_price_minor, tax_class, \
     line_total_minor, note) \
     select $1, i.* from unnest($2::int[], $3::uuid[], $4::text[], $5::int[], $6::jsonb[], \
         $7::bigint[], $8::text[], $9::bigint[], $10::text[]) \
     as i(position, menu_item_id, name, quantity, options, unit_price_minor, tax_class, \
          line_total_minor, note)";

const INSERT_CHANGE: &str = "insert into ordering.order_status_history \
     (order_id, status, actor, actor_id, reason, at) values ($1, $2, $3, $4, $5, $6)";

const HISTORY_OF: &str = "select status, actor, actor_id, reason, at \
     from ordering.order_status_history where order_id = $1 order by at, id";

/// Closes the customer's cart if it is still open and unchanged since it was priced; no row
/// when it is not.
const CHECK_OUT_CART: &str = "update ordering.carts set status = 'checked_out', updated_at = $3 \
     where id = $1 and customer_id = $2 and status = 'open' and updated_at = $4";

/// Whether the customer's cart is still open (after [`CHECK_OUT_CART`] found no row).
const CART_STILL_OPEN: &str = "select exists (select 1 from ordering.carts \
     where id = $1 and customer_id = $2 and status = 'open')";

/// Moves an order on only from the status the caller decided from.
/// Moves order `$1` from `$2` to `$3` and, only if it moved: appends the history entry
/// (`$5` actor, `$6` actor id, `$7` reason, at `$4`); when the new status is terminal (`$8`),
/// frees the courier whose active order it was (they may take the next one and stop posting
/// positions for this one); records the outbox events (`$9`–`$12`, one array per column);
/// and notifies the dispatcher (`$13`) and the order's watchers (`$14`, payload `$15`) — on
/// commit. A row when it moved.
const CHANGE_STATUS: &str = "with moved as ( \
         update ordering.orders set status = $3, updated_at = $4 \
         where id = $1 and status = $2 returning id), \
     history as ( \
         insert into ordering.order_status_history (order_id, status, actor, actor_id, reason, at) \
         select id, $3, $5, $6, $7, $4 from moved), \
     freed as ( \
         update ordering.couriers set active_order_id = null, updated_at = $4 \
         where $8 and active_order_id in (select id from moved)), \
     events as ( \
         insert into platform.outbox (id, topic, payload, occurred_at) \
         select e.id, e.topic, e.payload, e.occurred_at \
         from unnest($9::uuid[], $10::text[], $11::jsonb[], $12::timestamptz[]) \
              as e(id, topic, payload, occurred_at) \
         where exists (select 1 from moved)) \
     select pg_notify($13, ''), pg_notify($14, $15) from moved";

const FORGET_EXPIRED_KEY: &str = "delete from ordering.idempotency_keys \
     where customer_id = $1 and key = $2 and created_at < $3";

/// Holds a key; no row when somebody holds it already.
const HOLD_KEY: &str = "insert into ordering.idempotency_keys \
     (customer_id, key, fingerprint, created_at) values ($1, $2, $3, $4) \
     on conflict (customer_id, key) do nothing returning key";

const READ_KEY: &str = "select fingerprint, state, response from ordering.idempotency_keys \
     where customer_id = $1 and key = $2";

/// Completes a key still held for this request; no row when a retry took it over.
const COMPLETE_KEY: &str = "update ordering.idempotency_keys set state = 'done', response = $3 \
     where customer_id = $1 and key = $2 and state = 'in_flight' and fingerprint = $4";

/// Takes over a key whose request died (held in flight, for the same request, since before
/// the lease cutoff); a row when taken.
const TAKE_OVER_KEY: &str = "update ordering.idempotency_keys set created_at = $4 \
     where customer_id = $1 and key = $2 and fingerprint = $3 and state = 'in_flight' \
     and created_at < $5 returning key";

const RELEASE_KEY: &str = "delete from ordering.idempotency_keys \
     where customer_id = $1 and key = $2 and state = 'in_flight'";

/// One row of [`order_columns`].
#[derive(sqlx::FromRow)]
pub(crate) struct OrderRow {
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
}

/// One row of [`ITEMS_OF`].
#[derive(sqlx::FromRow)]
struct ItemRow {
    order_id: Uuid,
    menu_item_id: Uuid,
    name: String,
    quantity: i32,
    options: serde_json::Value,
    unit_price_minor: i64,
    tax_class: String,
    line_total_minor: i64,
    note: Option<String>,
}

/// One row of [`HISTORY_OF`].
#[derive(sqlx::FromRow)]
struct ChangeRow {
    status: String,
    actor: String,
    actor_id: Option<Uuid>,
    reason: Option<String>,
    at: OffsetDateTime,
}

/// One row of [`READ_KEY`].
#[derive(sqlx::FromRow)]
struct KeyRow {
    fingerprint: String,
    state: String,
    response: Option<serde_json::Value>,
}

fn invalid(what: &str, id: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("order {id} has an invalid stored {what}"))
}

fn json_error(err: serde_json::Error) -> StoreError {
    StoreError::Backend(err.to_string())
}

fn parse_status(name: &str, id: Uuid) -> Result<OrderStatus, StoreError> {
    OrderStatus::parse(name).ok_or_else(|| invalid("status", id))
}

impl ItemRow {
    fn into_item(self, currency: &CurrencyCode) -> Result<OrderItem, StoreError> {
        let id = self.order_id;
        Ok(OrderItem {
            menu_item_id: ItemId(self.menu_item_id),
            name: self.name,
            quantity: u32::try_from(self.quantity).map_err(|_| invalid("item quantity", id))?,
            options: serde_json::from_value(self.options)
                .map_err(|_| invalid("item options", id))?,
            unit_price: Money::new(self.unit_price_minor, currency.clone()),
            tax_class: TaxClass::parse(&self.tax_class).ok_or_else(|| invalid("tax class", id))?,
            line_total: Money::new(self.line_total_minor, currency.clone()),
            note: self.note,
        })
    }
}

impl OrderRow {
    /// The order of this row with `items` (this order's, in position order).
    fn into_order(self, items: Vec<ItemRow>) -> Result<Order, StoreError> {
        let id = self.id;
        let currency = CurrencyCode::parse(&self.currency).map_err(|_| invalid("currency", id))?;
        Ok(Order {
            id: OrderId(id),
            customer_id: UserId(self.customer_id),
            merchant_id: MerchantId(self.merchant_id),
            merchant_name: self.merchant_name,
            status: parse_status(&self.status, id)?,
            items: items
                .into_iter()
                .map(|item| item.into_item(&currency))
                .collect::<Result<_, _>>()?,
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

/// `rows`, in their order, with their items (read in one statement, in position order).
pub(crate) async fn with_items(
    conn: &mut PgConnection,
    rows: Vec<OrderRow>,
) -> Result<Vec<Order>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let items: Vec<ItemRow> = sqlx::query_as(ITEMS_OF)
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await
        .map_err(store_error)?;
    let mut by_order: HashMap<Uuid, Vec<ItemRow>> = HashMap::new();
    for item in items {
        by_order.entry(item.order_id).or_default().push(item);
    }
    rows.into_iter()
        .map(|row| {
            let items = by_order.remove(&row.id).unwrap_or_default();
            row.into_order(items)
        })
        .collect()
}

async fn insert_change(
    conn: &mut PgConnection,
    order: OrderId,
    change: &StatusChange,
) -> Result<(), StoreError> {
    sqlx::query(INSERT_CHANGE)
        .bind(order.0)
        .bind(change.status.as_str())
        .bind(&change.actor)
        .bind(change.actor_id.map(|u| u.0))
        .bind(change.reason.map(CancelReason::as_str))
        .bind(change.at)
        .execute(conn)
        .await
        .map_err(store_error)?;
    Ok(())
}

async fn insert_order(conn: &mut PgConnection, order: &Order) -> Result<(), StoreError> {
    sqlx::query(INSERT_ORDER)
        .bind(order.id.0)
        .bind(order.customer_id.0)
        .bind(order.merchant_id.0)
        .bind(&order.merchant_name)
        .bind(order.status.as_str())
        .bind(serde_json::to_value(&order.delivery).map_err(json_error)?)
        .bind(serde_json::to_value(&order.payment_method).map_err(json_error)?)
        .bind(serde_json::to_value(&order.summary).map_err(json_error)?)
        .bind(order.summary.total.currency.as_str())
        .bind(order.summary.total.amount_minor)
        .bind(order.scheduled_for)
        .bind(order.courier_id.map(|u| u.0))
        .bind(order.created_at)
        .bind(order.updated_at)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    // Every item in one statement (column arrays), positions from 1 in the cart's order.
    let count = order.items.len();
    let (mut positions, mut item_ids, mut names, mut quantities) = (
        Vec::with_capacity(count),
        Vec::with_capacity(count),
        Vec::with_capacity(count),
        Vec::with_capacity(count),
    );
    let (mut options, mut unit_prices, mut tax_classes, mut line_totals, mut notes) = (
        Vec::with_capacity(count),
        Vec::with_capacity(count),
        Vec::with_capacity(count),
        Vec::with_capacity(count),
        Vec::with_capacity(count),
    );
    for (position, item) in (1_i32..).zip(&order.items) {
        let quantity = i32::try_from(item.quantity).map_err(|_| {
            StoreError::Backend(format!(
                "quantity {} is out of the stored range",
                item.quantity
            ))
        })?;
        positions.push(position);
        item_ids.push(item.menu_item_id.0);
        names.push(item.name.as_str());
        quantities.push(quantity);
        options.push(serde_json::to_value(&item.options).map_err(json_error)?);
        unit_prices.push(item.unit_price.amount_minor);
        tax_classes.push(item.tax_class.as_str());
        line_totals.push(item.line_total.amount_minor);
        notes.push(item.note.as_deref());
    }
    sqlx::query(INSERT_ITEMS)
        .bind(order.id.0)
        .bind(&positions)
        .bind(&item_ids)
        .bind(&names)
        .bind(&quantities)
        .bind(&options)
        .bind(&unit_prices)
        .bind(&tax_classes)
        .bind(&line_totals)
        .bind(&notes)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    Ok(())
}

#[async_trait]
impl OrderStore for PgStore {
    async fn begin_idempotent(
        &self,
        key: &IdempotencyKey,
        now: OffsetDateTime,
    ) -> Result<IdempotencyStart, StoreError> {
        // Twice at most: a key released between our insert attempt and our read is simply
        // free again.
        for _ in 0..2 {
            if let Some(start) = self.try_begin(key, now).await? {
                return Ok(start);
            }
        }
        Ok(IdempotencyStart::InFlight)
    }

    async fn release_idempotent(&self, key: &IdempotencyKey) -> Result<(), StoreError> {
        sqlx::query(RELEASE_KEY)
            .bind(key.customer.0)
            .bind(&key.key)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn place_order(&self, placement: &Placement) -> Result<Placed, StoreError> {
        let Placement {
            order,
            first,
            cart,
            cart_version,
            events,
            key,
            response,
        } = placement;
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let closed = sqlx::query(CHECK_OUT_CART)
            .bind(cart.0)
            .bind(order.customer_id.0)
            .bind(order.created_at)
            .bind(*cart_version)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        if closed.rows_affected() != 1 {
            let open: bool = sqlx::query_scalar(CART_STILL_OPEN)
                .bind(cart.0)
                .bind(order.customer_id.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_error)?;
            // Dropping the transaction rolls it back: nothing was written.
            return Ok(if open {
                Placed::CartChanged
            } else {
                Placed::CartNotOpen
            });
        }
        insert_order(&mut tx, order).await?;
        insert_change(&mut tx, order.id, first).await?;
        outbox::append(&mut tx, events).await?;
        let completed = sqlx::query(COMPLETE_KEY)
            .bind(key.customer.0)
            .bind(&key.key)
            .bind(response)
            .bind(&key.fingerprint)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        if completed.rows_affected() != 1 {
            // A retry took the key over: its request places the order (or replays ours if it
            // were done); this one rolls back rather than create a second order.
            return Ok(Placed::KeyLost);
        }
        tx.commit().await.map_err(store_error)?;
        Ok(Placed::Placed)
    }

    async fn order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        // Two statements without a transaction: an order's items are written with it and
        // never change, so they cannot disagree with the order row.
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        let row: Option<OrderRow> = sqlx::query_as(ORDER_BY_ID)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(store_error)?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(with_items(&mut conn, vec![row]).await?.into_iter().next())
    }

    async fn orders_of(
        &self,
        customer: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        self.orders_page(ORDERS_OF, customer, status, after, limit)
            .await
    }

    async fn history(&self, id: OrderId) -> Result<Vec<StatusChange>, StoreError> {
        let rows: Vec<ChangeRow> = sqlx::query_as(HISTORY_OF)
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.into_iter()
            .map(|row| {
                Ok(StatusChange {
                    status: parse_status(&row.status, id.0)?,
                    actor: row.actor,
                    actor_id: row.actor_id.map(UserId),
                    reason: row
                        .reason
                        .map(|r| CancelReason::parse(&r).ok_or_else(|| invalid("reason", id)))
                        .transpose()?,
                    at: row.at,
                })
            })
            .collect()
    }

    async fn change_status(
        &self,
        id: OrderId,
        expected: OrderStatus,
        change: &StatusChange,
        events: &[OutboxEvent],
    ) -> Result<bool, StoreError> {
        let update = serde_json::to_string(&OrderUpdate::Status {
            order_id: id,
            status: change.status,
            reason: change.reason,
            at: change.at,
        })
        .map_err(|e| StoreError::Backend(e.to_string()))?;
        let events = outbox::Rows::of(events)?;
        // One statement, so one implicit transaction and one round trip: the row lock the
        // update takes makes a concurrent change wait, then find the new status and change
        // nothing (no row: every other part is conditional on the move).
        let moved = sqlx::query(CHANGE_STATUS)
            .bind(id.0)
            .bind(expected.as_str())
            .bind(change.status.as_str())
            .bind(change.at)
            .bind(&change.actor)
            .bind(change.actor_id.map(|u| u.0))
            .bind(change.reason.map(CancelReason::as_str))
            .bind(change.status.is_terminal())
            .bind(&events.ids)
            .bind(&events.topics)
            .bind(&events.payloads)
            .bind(&events.occurred_at)
            .bind(outbox::OUTBOX_CHANNEL)
            .bind(fulfilment::ORDER_UPDATES_CHANNEL)
            .bind(update)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(moved.is_some())
    }
}

impl PgStore {
    /// A page of orders by `sql` (`$1` the owner's id, `$2` an optional status, `$3` the
    /// cursor, `$4` the page size), with their items.
    pub(crate) async fn orders_page(
        &self,
        sql: &'static str,
        owner: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        let rows: Vec<OrderRow> = sqlx::query_as(sql)
            .bind(owner.0)
            .bind(status.map(OrderStatus::as_str))
            .bind(after.map(|o| o.0))
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await
            .map_err(store_error)?;
        with_items(&mut conn, rows).await
    }

    /// One attempt at [`OrderStore::begin_idempotent`]; `None` when the key vanished between
    /// the insert attempt and the read (released by its holder).
    async fn try_begin(
        &self,
        key: &IdempotencyKey,
        now: OffsetDateTime,
    ) -> Result<Option<IdempotencyStart>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        sqlx::query(FORGET_EXPIRED_KEY)
            .bind(key.customer.0)
            .bind(&key.key)
            .bind(now - KEY_LIFETIME)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        // A concurrent holder's uncommitted insert makes this one wait on the primary key and
        // then do nothing; the statements below (fresh snapshots) see what it committed.
        let held: Option<String> = sqlx::query_scalar(HOLD_KEY)
            .bind(key.customer.0)
            .bind(&key.key)
            .bind(&key.fingerprint)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_error)?;
        let taken_over = if held.is_some() {
            true
        } else {
            let taken: Option<String> = sqlx::query_scalar(TAKE_OVER_KEY)
                .bind(key.customer.0)
                .bind(&key.key)
                .bind(&key.fingerprint)
                .bind(now)
                .bind(now - IDEMPOTENCY_LEASE)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_error)?;
            taken.is_some()
        };
        if taken_over {
            tx.commit().await.map_err(store_error)?;
            return Ok(Some(IdempotencyStart::Fresh));
        }
        let row: Option<KeyRow> = sqlx::query_as(READ_KEY)
            .bind(key.customer.0)
            .bind(&key.key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(match row {
            Some(row) if row.fingerprint != key.fingerprint => Some(IdempotencyStart::Mismatch),
            Some(KeyRow {
                state,
                response: Some(response),
                ..
            }) if state == "done" => Some(IdempotencyStart::Replay(response)),
            Some(_) => Some(IdempotencyStart::InFlight),
            None => None,
        })
    }
}
