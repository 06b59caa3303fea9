//! The order store: idempotent checkout of a cart into an order, reads of orders and their
//! status timelines, and compare-and-set status changes.
//!
//! An order's delivery details, payment method and price summary are stored as jsonb (the
//! serde of the core types: snapshots nobody queries into); its items are rows, so they keep
//! their order and stay countable. Every change that writes more than one row is one
//! transaction, domain events included (the outbox).

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::events::OutboxEvent;
use mercato_core::ids::{MerchantId, OrderId, UserId};
use mercato_core::ordering::{
    ActorKind, CancelReason, IDEMPOTENCY_KEY_LIFETIME, IdempotencyKey, KnownKey, Order, OrderItem,
    OrderStatus, OrderStore, OrderUpdate, Placed, Placement, StatusChange,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::{
    ORDER_BY_ID, ORDERS_OF, ORDERS_OF_MERCHANT, OrderRow, invalid, orders_of_rows, parse_status,
};
use crate::channels::{ORDER_UPDATES_CHANNEL, OUTBOX_CHANNEL};
use crate::{PgStore, outbox, store_error};

/// Checkout, in one statement: locks cart `$1` of customer `$2` if it is still open and
/// still at revision `$4`; only then stores idempotency key `$5` — new, or forgotten: created
/// before `$38` — for request `$7` with response `$6`, at `$3`; only then closes the cart and
/// stores order `$8`… (`$8`–`$18`, its customer being `$2`, created at `$3`) with its items
/// (`$19`–`$27`, one array per column), its first status change (`$28`–`$32`) and its events
/// (`$33`–`$36`), and wakes the dispatchers (channel `$37`) and tells the order's merchant
/// (channel `$39`, payload `$40`), on commit. Says whether the cart was ready and the order
/// placed; if it was not placed, nothing was written.
///
/// The cart is locked first (`for update` re-checks a row that a concurrent statement
/// changed), so once the key is stored, closing the cart cannot fail; a concurrent insert of
/// the same key makes this one wait for it, then find the key taken.
const PLACE_ORDER: &str = "with ready as ( \
         select id from ordering.carts \
         where id = $1 and customer_id = $2 and status = 'open' and revision = $4 \
         for update), \
     keyed as ( \
         insert into ordering.idempotency_keys as k \
         (customer_id, key, fingerprint, state, response, created_at) \
         select $2, $5, $7, 'done', $6, $3 from ready \
         on conflict (customer_id, key) do update \
         set fingerprint = excluded.fingerprint, state = 'done', \
             response = excluded.response, created_at = excluded.created_at \
         where k.created_at < $38 \
         returning 1), \
     closed as ( \
         update ordering.carts set status = 'checked_out', updated_at = $3 \
         where id = $1 and exists (select 1 from keyed) \
         returning id), \
     placed as ( \
         insert into ordering.orders \
         (id, customer_id, merchant_id, merchant_name, status, delivery, payment_method, \
          summary, currency, total_minor, scheduled_for, courier_id, created_at, updated_at) \
         select $8, $2, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $3, $3 \
         where exists (select 1 from closed) \
         returning id), \
     items as ( \
         insert into ordering.order_items \
         (order_id, position, menu_item_id, name, quantity, options, unit_price_minor, \
          tax_class, line_total_minor, note) \
         select p.id, i.* from placed p, unnest($19::int[], $20::uuid[], $21::text[], \
             $22::int[], $23::jsonb[], $24::bigint[], $25::text[], $26::bigint[], $27::text[]) \
         as i(position, menu_item_id, name, quantity, options, unit_price_minor, tax_class, \
              line_total_minor, note)), \
     history as ( \
         insert into ordering.order_status_history \
         (order_id, status, actor, actor_id, reason, at) \
         select p.id, $28, $29, $30, $31, $32 from placed p), \
     events as ( \
         insert into platform.outbox (id, topic, payload, occurred_at) \
         select e.* from unnest($33::uuid[], $34::text[], $35::jsonb[], $36::timestamptz[]) \
              as e(id, topic, payload, occurred_at) \
         where exists (select 1 from placed)) \
     select exists (select 1 from ready) as ready, \
         exists (select 1 from placed) as placed, \
         (select count(*) from (select pg_notify($37, ''), pg_notify($39, $40) from placed) n) \
         as woken";

const HISTORY_OF: &str = "select status, actor, actor_id, reason, note, estimated_prep_minutes, at \
     from ordering.order_status_history where order_id = $1 order by at, id";

/// Whether the customer's cart is still open (after [`PLACE_ORDER`] did not close it).
const CART_STILL_OPEN: &str = "select exists (select 1 from ordering.carts \
     where id = $1 and customer_id = $2 and status = 'open')";

/// Moves order `$1` from `$2` to `$3` and, only if it moved: appends the history entry
/// (`$5` actor, `$6` actor id, `$7` reason, `$16` note, `$17` estimated preparation
/// minutes, at `$4`); when the new status is terminal (`$8`),
/// frees the courier whose active order it was (they may take the next one and stop posting
/// positions for this one); records the outbox events (`$9`–`$12`, one array per column);
/// and notifies the dispatcher (`$13`) and the order's and its merchant's watchers (`$14`,
/// payload `$15` with the merchant's id added) — on commit. A row when it moved.
const CHANGE_STATUS: &str = "with moved as ( \
         update ordering.orders set status = $3, updated_at = $4 \
         where id = $1 and status = $2 returning id, merchant_id), \
     history as ( \
         insert into ordering.order_status_history \
         (order_id, status, actor, actor_id, reason, note, estimated_prep_minutes, at) \
         select id, $3, $5, $6, $7, $16, $17, $4 from moved), \
     freed as ( \
         update ordering.couriers set active_order_id = null, updated_at = $4 \
         where $8 and active_order_id in (select id from moved)), \
     events as ( \
         insert into platform.outbox (id, topic, payload, occurred_at) \
         select e.id, e.topic, e.payload, e.occurred_at \
         from unnest($9::uuid[], $10::text[], $11::jsonb[], $12::timestamptz[]) \
              as e(id, topic, payload, occurred_at) \
         where exists (select 1 from moved)) \
     select pg_notify($13, ''), \
         pg_notify($14, ($15::jsonb || jsonb_build_object('merchantId', merchant_id))::text) \
     from moved";

/// Key `$2` of customer `$1` unless it was created before `$3` (forgotten).
const READ_KEY: &str = "select fingerprint, state, response from ordering.idempotency_keys \
     where customer_id = $1 and key = $2 and created_at >= $3";

/// One row of [`HISTORY_OF`].
#[derive(sqlx::FromRow)]
struct ChangeRow {
    status: String,
    actor: String,
    actor_id: Option<Uuid>,
    reason: Option<String>,
    note: Option<String>,
    estimated_prep_minutes: Option<i16>,
    at: OffsetDateTime,
}

/// One row of [`READ_KEY`].
#[derive(sqlx::FromRow)]
struct KeyRow {
    fingerprint: String,
    state: String,
    response: Option<serde_json::Value>,
}

fn json_error(err: serde_json::Error) -> StoreError {
    StoreError::Backend(err.to_string())
}

/// An order's items as column arrays, for [`PLACE_ORDER`]'s `unnest`; positions from 1 in
/// the cart's order.
struct ItemColumns<'a> {
    positions: Vec<i32>,
    item_ids: Vec<Uuid>,
    names: Vec<&'a str>,
    quantities: Vec<i32>,
    options: Vec<serde_json::Value>,
    unit_prices: Vec<i64>,
    tax_classes: Vec<&'static str>,
    line_totals: Vec<i64>,
    notes: Vec<Option<&'a str>>,
}

impl<'a> ItemColumns<'a> {
    fn of(items: &'a [OrderItem]) -> Result<Self, StoreError> {
        let count = items.len();
        let mut columns = Self {
            positions: Vec::with_capacity(count),
            item_ids: Vec::with_capacity(count),
            names: Vec::with_capacity(count),
            quantities: Vec::with_capacity(count),
            options: Vec::with_capacity(count),
            unit_prices: Vec::with_capacity(count),
            tax_classes: Vec::with_capacity(count),
            line_totals: Vec::with_capacity(count),
            notes: Vec::with_capacity(count),
        };
        for (position, item) in (1_i32..).zip(items) {
            let quantity = i32::try_from(item.quantity).map_err(|_| {
                StoreError::Backend(format!(
                    "quantity {} is out of the stored range",
                    item.quantity
                ))
            })?;
            columns.positions.push(position);
            columns.item_ids.push(item.menu_item_id.0);
            columns.names.push(item.name.as_str());
            columns.quantities.push(quantity);
            columns
                .options
                .push(serde_json::to_value(&item.options).map_err(json_error)?);
            columns.unit_prices.push(item.unit_price.amount_minor);
            columns.tax_classes.push(item.tax_class.as_str());
            columns.line_totals.push(item.line_total.amount_minor);
            columns.notes.push(item.note.as_deref());
        }
        Ok(columns)
    }
}

#[async_trait]
impl OrderStore for PgStore {
    async fn known_key(
        &self,
        key: &IdempotencyKey,
        now: OffsetDateTime,
    ) -> Result<Option<KnownKey>, StoreError> {
        let row: Option<KeyRow> = sqlx::query_as(READ_KEY)
            .bind(key.customer.0)
            .bind(&key.key)
            .bind(now - IDEMPOTENCY_KEY_LIFETIME)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(row.map(|row| match row {
            KeyRow { fingerprint, .. } if fingerprint != key.fingerprint => KnownKey::Mismatch,
            KeyRow {
                state,
                response: Some(response),
                ..
            } if state == "done" => KnownKey::Replay(response),
            KeyRow { .. } => KnownKey::InFlight,
        }))
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
        let items = ItemColumns::of(&order.items)?;
        let events = outbox::Rows::of(events)?;
        let placed_update = serde_json::to_string(&OrderUpdate::Status {
            order_id: order.id,
            status: order.status,
            reason: None,
            at: order.created_at,
            // The kitchen hears of an order once it is to be prepared: an order waiting for
            // its payment reaches the merchant's stream when the payment moves it to placed.
            merchant_id: (order.status == OrderStatus::Placed).then_some(order.merchant_id),
        })
        .map_err(json_error)?;
        // One statement, so one round trip and one implicit transaction.
        let (ready, placed, _woken): (bool, bool, i64) = sqlx::query_as(PLACE_ORDER)
            .bind(cart.0)
            .bind(order.customer_id.0)
            .bind(order.created_at)
            .bind(*cart_version)
            .bind(&key.key)
            .bind(response)
            .bind(&key.fingerprint)
            .bind(order.id.0)
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
            .bind(&items.positions)
            .bind(&items.item_ids)
            .bind(&items.names)
            .bind(&items.quantities)
            .bind(&items.options)
            .bind(&items.unit_prices)
            .bind(&items.tax_classes)
            .bind(&items.line_totals)
            .bind(&items.notes)
            .bind(first.status.as_str())
            .bind(first.actor.as_str())
            .bind(first.actor_id.map(|u| u.0))
            .bind(first.reason.map(CancelReason::as_str))
            .bind(first.at)
            .bind(&events.ids)
            .bind(&events.topics)
            .bind(&events.payloads)
            .bind(&events.occurred_at)
            .bind(OUTBOX_CHANNEL)
            .bind(order.created_at - IDEMPOTENCY_KEY_LIFETIME)
            .bind(ORDER_UPDATES_CHANNEL)
            .bind(placed_update)
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        if placed {
            return Ok(Placed::Placed);
        }
        if ready {
            return Ok(Placed::KeyTaken);
        }
        // Nothing was written. A fresh snapshot tells a closed cart from a changed one.
        let open: bool = sqlx::query_scalar(CART_STILL_OPEN)
            .bind(cart.0)
            .bind(order.customer_id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(if open {
            Placed::CartChanged
        } else {
            Placed::CartNotOpen
        })
    }

    async fn order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        let row: Option<OrderRow> = sqlx::query_as(ORDER_BY_ID)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        row.map(OrderRow::into_order).transpose()
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

    async fn orders_of_merchant(
        &self,
        merchant: MerchantId,
        status: Option<OrderStatus>,
        from: Option<OffsetDateTime>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        let rows: Vec<OrderRow> = sqlx::query_as(ORDERS_OF_MERCHANT)
            .bind(merchant.0)
            .bind(status.map(OrderStatus::as_str))
            .bind(after.map(|o| o.0))
            .bind(i64::from(limit))
            .bind(from)
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        orders_of_rows(rows)
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
                    actor: ActorKind::parse(&row.actor).ok_or_else(|| invalid("actor", id))?,
                    actor_id: row.actor_id.map(UserId),
                    reason: row
                        .reason
                        .map(|r| CancelReason::parse(&r).ok_or_else(|| invalid("reason", id)))
                        .transpose()?,
                    note: row.note,
                    estimated_prep_minutes: row
                        .estimated_prep_minutes
                        .map(|m| u16::try_from(m).map_err(|_| invalid("preparation time", id)))
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
            merchant_id: None,
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
            .bind(change.actor.as_str())
            .bind(change.actor_id.map(|u| u.0))
            .bind(change.reason.map(CancelReason::as_str))
            .bind(change.status.is_terminal())
            .bind(&events.ids)
            .bind(&events.topics)
            .bind(&events.payloads)
            .bind(&events.occurred_at)
            .bind(OUTBOX_CHANNEL)
            .bind(ORDER_UPDATES_CHANNEL)
            .bind(update)
            .bind(change.note.as_deref())
            .bind(
                change
                    .estimated_prep_minutes
                    .map(i16::try_from)
                    .transpose()
                    .map_err(|_| StoreError::Backend("preparation time out of range".to_owned()))?,
            )
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(moved.is_some())
    }
}

impl PgStore {
    /// Deletes the checkout idempotency keys forgotten at `now` (older than
    /// [`IDEMPOTENCY_KEY_LIFETIME`]); how many.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    pub async fn purge_idempotency_keys(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let purged = sqlx::query("delete from ordering.idempotency_keys where created_at < $1")
            .bind(now - IDEMPOTENCY_KEY_LIFETIME)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(purged.rows_affected())
    }
}
