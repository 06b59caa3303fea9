//! Couriers, assignments, tracking points, reviews and statistics (schema `ordering`), and the
//! live order updates published to every process over `LISTEN/NOTIFY`.
//!
//! A courier's row is both the dispatch lock and the "busy" marker: assigning locks the
//! order row, then the courier's row (`for update`, or `for update skip locked` when picking
//! the nearest), and sets the courier's `active_order_id`. Two dispatches racing for one
//! courier therefore serialize on that row; the loser skips it, or re-reads it and finds it
//! busy. Locks are always taken order first, courier second (as `change_status` does), so
//! the two cannot deadlock.

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::events::OutboxEvent;
use mercato_core::ids::{MerchantId, OrderId, UserId};
use mercato_core::money::CurrencyCode;
use mercato_core::ordering::{
    ASSIGNABLE, AssignOutcome, CourierChoice, CourierPosition, CourierStatus, CourierStore,
    InsightStore, Order, OrderReview, OrderStatus, OrderUpdate, PendingAssignment, PositionOutcome,
    StatsRows, TRACKABLE,
};
use sqlx::PgConnection;
use sqlx::postgres::PgListener;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::orders::{AWAITING_COURIER, ORDERS_OF_COURIER, OrderRow, orders_of_rows};
use crate::{PgStore, outbox, store_error};

/// The `LISTEN/NOTIFY` channel carrying [`OrderUpdate`]s (JSON) to every server process.
/// Notifications are sent inside the transaction that makes the change, so they are
/// delivered only if it commits.
pub const ORDER_UPDATES_CHANNEL: &str = "mercato_order_updates";

/// How many tracking points one purge statement deletes.
const PURGE_BATCH: i64 = 5000;

/// The columns of [`CourierRow`].
macro_rules! courier_columns {
    () => {
        "user_id, first_name, online, lat, lng, heading_deg, speed_kmh, position_at, \
         active_order_id, updated_at"
    };
}

/// Creates or updates a courier; without a position (`$4` null) the old one stays, and going
/// offline forgets it (where an off-duty courier is, is nobody's business).
const UPSERT_COURIER: &str = concat!(
    "insert into ordering.couriers as c \
     (user_id, first_name, online, lat, lng, heading_deg, speed_kmh, position_at, updated_at) \
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     on conflict (user_id) do update set first_name = excluded.first_name, \
     online = excluded.online, \
     lat = case when not excluded.online then null \
                when excluded.position_at is null then c.lat else excluded.lat end, \
     lng = case when not excluded.online then null \
                when excluded.position_at is null then c.lng else excluded.lng end, \
     heading_deg = case when not excluded.online then null \
                   when excluded.position_at is null then c.heading_deg \
                   else excluded.heading_deg end, \
     speed_kmh = case when not excluded.online then null \
                 when excluded.position_at is null then c.speed_kmh \
                 else excluded.speed_kmh end, \
     position_at = case when not excluded.online then null \
                   else coalesce(excluded.position_at, c.position_at) end, \
     updated_at = excluded.updated_at \
     returning ",
    courier_columns!()
);

const COURIER_BY_ID: &str = concat!(
    "select ",
    courier_columns!(),
    " from ordering.couriers where user_id = $1"
);

/// An order that may get a courier (`$1`: none yet, in a status of `$2`), locked; the part
/// of a statement that locks its courier (`c`) only once the order is locked.
macro_rules! assignable_order {
    () => {
        "with target as ( \
             select id from ordering.orders \
             where id = $1 and courier_id is null and status = any($2) for update) \
         select c.* from target cross join lateral "
    };
}

/// Locks order `$1` if it may get a courier (see [`assignable_order`]), then courier `$3`;
/// the courier's row, or no row when either is missing.
const LOCK_ORDER_AND_COURIER: &str = concat!(
    assignable_order!(),
    "(select ",
    courier_columns!(),
    " from ordering.couriers where user_id = $3 for update) c"
);

/// Locks order `$1` if it may get a courier (see [`assignable_order`]), then the nearest
/// online courier without an active order whose position is fresh (since `$5`), within
/// `$6` metres of (`$3`, `$4`), skipping couriers a concurrent dispatch holds; no row when
/// either is missing. A courier row updated by a dispatch that committed meanwhile is
/// re-checked, so a courier who just became busy drops out.
const LOCK_ORDER_AND_NEAREST_COURIER: &str = concat!(
    assignable_order!(),
    "(select ",
    courier_columns!(),
    " from ordering.couriers \
     where online and active_order_id is null and position_at >= $5 \
     and ordering.distance_m(lat, lng, $3, $4) <= $6 \
     order by ordering.distance_m(lat, lng, $3, $4), user_id \
     limit 1 for update skip locked) c"
);

/// Whether order `$1` may get a courier (after a lock found no courier for it).
const IS_ASSIGNABLE: &str = "select exists (select 1 from ordering.orders \
     where id = $1 and courier_id is null and status = any($2))";

/// Remembers that no courier could be found for order `$1` (if it may still get one) at
/// `$3`, so the sweep tries other waiting orders first next time; a row changed when it may.
const MARK_DISPATCH_ATTEMPT: &str = "update ordering.orders set dispatch_attempted_at = $3 \
     where id = $1 and courier_id is null and status = any($2)";

/// Gives order `$1` (locked, assignable) to courier `$2` (locked, free) at `$3`, both sides;
/// records the events (`$4`–`$7`, one array per column) and notifies the dispatchers (`$8`)
/// and the order's watchers (`$9`, payload `$10`) on commit. The courier as assigned; no row
/// only if either was not as locked.
const ASSIGN: &str = concat!(
    "with set_order as ( \
         update ordering.orders set courier_id = $2, updated_at = $3 \
         where id = $1 and courier_id is null returning id), \
     set_courier as ( \
         update ordering.couriers set active_order_id = $1, updated_at = $3 \
         where user_id = $2 and active_order_id is null and exists (select 1 from set_order) \
         returning ",
    courier_columns!(),
    "), \
     events as ( \
         insert into platform.outbox (id, topic, payload, occurred_at) \
         select e.* from unnest($4::uuid[], $5::text[], $6::jsonb[], $7::timestamptz[]) \
              as e(id, topic, payload, occurred_at) \
         where exists (select 1 from set_courier)) \
     select c.*, pg_notify($8, '') as woken, pg_notify($9, $10) as told from set_courier c"
);

/// Moves the courier to the posted position when `$2` is their active order, in a trackable
/// status, and their last posted point is old enough (at or before `$8`).
const MOVE_COURIER: &str = "update ordering.couriers set lat = $3, lng = $4, \
     heading_deg = $5, speed_kmh = $6, position_at = $7, last_post_at = $7, updated_at = $7 \
     where user_id = $1 and active_order_id = $2 \
     and (last_post_at is null or last_post_at <= $8) \
     and exists (select 1 from ordering.orders o \
                 where o.id = $2 and o.courier_id = $1 and o.status = any($9)) \
     returning user_id";

/// Whether `$2` is the courier's active order and trackable (after [`MOVE_COURIER`] moved
/// nothing: then the position was too recent).
const IS_ACTIVE: &str = "select exists (select 1 from ordering.couriers c \
     join ordering.orders o on o.id = c.active_order_id \
     where c.user_id = $1 and c.active_order_id = $2 and o.courier_id = $1 \
     and o.status = any($3))";

const INSERT_POINT: &str = "insert into ordering.order_tracking \
     (order_id, courier_id, lat, lng, heading_deg, speed_kmh, recorded_at) \
     values ($1, $2, $3, $4, $5, $6, $7)";

const LAST_POINT: &str = "select lat, lng, heading_deg, speed_kmh, recorded_at \
     from ordering.order_tracking where order_id = $1 \
     order by recorded_at desc, id desc limit 1";

const PURGE_POINTS: &str = "delete from ordering.order_tracking where id = any(array( \
     select id from ordering.order_tracking where recorded_at < $1 limit $2))";

/// Stores a review unless the order has one; the customer comes from the order row.
const INSERT_REVIEW: &str = "insert into ordering.order_reviews \
     (id, order_id, merchant_id, customer_id, courier_id, merchant_rating, courier_rating, \
     comment, created_at) \
     select $1, o.id, $3, o.customer_id, $4, $5, $6, $7, $8 \
     from ordering.orders o where o.id = $2 \
     on conflict (order_id) do nothing returning id";

const ORDER_EXISTS: &str = "select exists (select 1 from ordering.orders where id = $1)";

/// Folds a rating into the courier's unrounded running average (rounding each step would
/// stall it).
const RATE_COURIER: &str = "update ordering.couriers \
     set rating_avg = (rating_avg * rating_count + $2) / (rating_count + 1), \
     rating_count = rating_count + 1 where user_id = $1";

/// The period's orders `o` (of merchant `$3`, or all with the second variant).
macro_rules! period_orders {
    (merchant) => {
        "select id, status, currency, total_minor from ordering.orders \
         where merchant_id = $3 and created_at >= $1 and created_at < $2"
    };
    (all) => {
        "select id, status, currency, total_minor from ordering.orders \
         where created_at >= $1 and created_at < $2"
    };
}

/// Orders per current status and currency, with the sum of their totals.
macro_rules! counts_sql {
    ($which:tt) => {
        concat!(
            "select o.status, o.currency, count(*) as orders, \
             sum(o.total_minor)::bigint as total_minor from (",
            period_orders!($which),
            ") o group by o.status, o.currency"
        )
    };
}

/// Average seconds from the first `accepted` to the first `ready_for_pickup` history entry,
/// and from the first `picked_up` to the first `delivered`, over the orders having both.
macro_rules! durations_sql {
    ($which:tt) => {
        concat!(
            "select avg(extract(epoch from h.ready - h.accepted))::float8 as prep, \
             avg(extract(epoch from h.delivered - h.picked))::float8 as delivery \
             from (select min(s.at) filter (where s.status = 'accepted') as accepted, \
                          min(s.at) filter (where s.status = 'ready_for_pickup') as ready, \
                          min(s.at) filter (where s.status = 'picked_up') as picked, \
                          min(s.at) filter (where s.status = 'delivered') as delivered \
                   from (",
            period_orders!($which),
            ") o join ordering.order_status_history s on s.order_id = o.id \
             where s.status in ('accepted', 'ready_for_pickup', 'picked_up', 'delivered') \
             group by o.id) h"
        )
    };
}

const COUNTS_OF_MERCHANT: &str = counts_sql!(merchant);
const COUNTS_OF_ALL: &str = counts_sql!(all);
const DURATIONS_OF_MERCHANT: &str = durations_sql!(merchant);
const DURATIONS_OF_ALL: &str = durations_sql!(all);

/// One row of [`courier_columns`].
#[derive(sqlx::FromRow)]
struct CourierRow {
    user_id: Uuid,
    first_name: String,
    online: bool,
    lat: Option<f64>,
    lng: Option<f64>,
    heading_deg: Option<f64>,
    speed_kmh: Option<f64>,
    position_at: Option<OffsetDateTime>,
    active_order_id: Option<Uuid>,
    updated_at: OffsetDateTime,
}

impl From<CourierRow> for CourierStatus {
    fn from(row: CourierRow) -> Self {
        let position = match (row.lat, row.lng, row.position_at) {
            (Some(lat), Some(lng), Some(at)) => Some(CourierPosition {
                lat,
                lng,
                heading_deg: row.heading_deg,
                speed_kmh: row.speed_kmh,
                at,
            }),
            _ => None,
        };
        Self {
            courier_id: UserId(row.user_id),
            first_name: row.first_name,
            online: row.online,
            position,
            active_order_id: row.active_order_id.map(OrderId),
            updated_at: row.updated_at,
        }
    }
}

/// One row of [`LAST_POINT`].
#[derive(sqlx::FromRow)]
struct PointRow {
    lat: f64,
    lng: f64,
    heading_deg: Option<f64>,
    speed_kmh: Option<f64>,
    recorded_at: OffsetDateTime,
}

/// One row of the statistics' counts.
#[derive(sqlx::FromRow)]
struct CountRow {
    status: String,
    currency: String,
    orders: i64,
    total_minor: Option<i64>,
}

/// The one row of the statistics' durations.
#[derive(sqlx::FromRow)]
struct DurationRow {
    prep: Option<f64>,
    delivery: Option<f64>,
}

fn status_names(statuses: &[OrderStatus]) -> Vec<&'static str> {
    statuses.iter().map(|s| s.as_str()).collect()
}

fn backend(message: String) -> StoreError {
    StoreError::Backend(message)
}

/// Publishes `update` on [`ORDER_UPDATES_CHANNEL`] from the caller's transaction: every
/// listening process receives it when (and only if) the transaction commits.
pub(crate) async fn notify(
    conn: &mut PgConnection,
    update: &OrderUpdate,
) -> Result<(), StoreError> {
    let payload = serde_json::to_string(update).map_err(|e| backend(e.to_string()))?;
    sqlx::query("select pg_notify($1, $2)")
        .bind(ORDER_UPDATES_CHANNEL)
        .bind(payload)
        .execute(conn)
        .await
        .map_err(store_error)?;
    Ok(())
}

/// Receives the [`OrderUpdate`]s every process publishes (one dedicated connection).
///
/// Notifications are transient: those sent while the connection is down are lost for
/// good. So a lost connection is not hidden: [`Self::try_recv`] re-establishes it and then
/// reports the gap, and the caller decides how to recover (the server's hub ends every
/// event stream, so clients reconnect and start again from the order's current status).
pub struct OrderUpdateListener {
    listener: PgListener,
}

impl std::fmt::Debug for OrderUpdateListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrderUpdateListener")
            .field("channel", &ORDER_UPDATES_CHANNEL)
            .finish_non_exhaustive()
    }
}

impl OrderUpdateListener {
    /// The next update committed by any process, or `None` when the connection was lost
    /// and has been re-established since: updates committed in between were missed. The
    /// next call goes on listening.
    ///
    /// A payload that does not parse (written by a newer or older version) is reported as
    /// `None` too — it may have been the update a watcher waits for — with a warning giving
    /// only its length: payloads carry couriers' names and positions.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the connection fails otherwise or cannot be
    /// re-established; updates may have been missed then too.
    pub async fn try_recv(&mut self) -> Result<Option<OrderUpdate>, StoreError> {
        let Some(notification) = self.listener.try_recv().await.map_err(store_error)? else {
            return Ok(None);
        };
        match serde_json::from_str(notification.payload()) {
            Ok(update) => Ok(Some(update)),
            Err(err) => {
                tracing::warn!(
                    error_line = err.line(),
                    error_column = err.column(),
                    error_category = ?err.classify(),
                    payload_len = notification.payload().len(),
                    "an order update does not parse; reporting a gap"
                );
                Ok(None)
            }
        }
    }
}

impl PgStore {
    /// A listener of every process's [`OrderUpdate`]s, on its own connection.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when connecting or `LISTEN` fails.
    pub async fn order_update_listener(&self) -> Result<OrderUpdateListener, StoreError> {
        Ok(OrderUpdateListener {
            listener: self.listener_on(ORDER_UPDATES_CHANNEL).await?,
        })
    }
}

#[async_trait]
impl CourierStore for PgStore {
    async fn set_courier_status(
        &self,
        courier: UserId,
        first_name: &str,
        online: bool,
        position: Option<CourierPosition>,
        now: OffsetDateTime,
    ) -> Result<CourierStatus, StoreError> {
        let row: CourierRow = sqlx::query_as(UPSERT_COURIER)
            .bind(courier.0)
            .bind(first_name)
            .bind(online)
            .bind(position.map(|p| p.lat))
            .bind(position.map(|p| p.lng))
            .bind(position.and_then(|p| p.heading_deg))
            .bind(position.and_then(|p| p.speed_kmh))
            .bind(position.map(|p| p.at))
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(row.into())
    }

    async fn courier(&self, courier: UserId) -> Result<Option<CourierStatus>, StoreError> {
        let row: Option<CourierRow> = sqlx::query_as(COURIER_BY_ID)
            .bind(courier.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(row.map(Into::into))
    }

    async fn assign_courier(
        &self,
        choice: CourierChoice,
        pending: &PendingAssignment,
    ) -> Result<AssignOutcome, StoreError> {
        let assignable = status_names(&ASSIGNABLE);
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        // Order first, courier second (in one statement): the lock order of
        // `change_status` too.
        let courier = match choice {
            CourierChoice::Given(id) => {
                let row: Option<CourierRow> = sqlx::query_as(LOCK_ORDER_AND_COURIER)
                    .bind(pending.order_id.0)
                    .bind(&assignable)
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_error)?;
                match row {
                    Some(row) if row.online && row.active_order_id.is_none() => row,
                    Some(_) => return Ok(AssignOutcome::CourierUnavailable),
                    None => {
                        let assignable: bool = sqlx::query_scalar(IS_ASSIGNABLE)
                            .bind(pending.order_id.0)
                            .bind(&assignable)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        return Ok(if assignable {
                            AssignOutcome::CourierUnavailable
                        } else {
                            AssignOutcome::OrderNotAssignable
                        });
                    }
                }
            }
            CourierChoice::Nearest {
                near,
                radius_m,
                fresh_since,
            } => {
                let row: Option<CourierRow> = sqlx::query_as(LOCK_ORDER_AND_NEAREST_COURIER)
                    .bind(pending.order_id.0)
                    .bind(&assignable)
                    .bind(near.lat)
                    .bind(near.lng)
                    .bind(fresh_since)
                    .bind(radius_m)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_error)?;
                let Some(row) = row else {
                    let marked = sqlx::query(MARK_DISPATCH_ATTEMPT)
                        .bind(pending.order_id.0)
                        .bind(&assignable)
                        .bind(pending.at)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    tx.commit().await.map_err(store_error)?;
                    return Ok(if marked.rows_affected() == 1 {
                        AssignOutcome::NoCourier
                    } else {
                        AssignOutcome::OrderNotAssignable
                    });
                };
                row
            }
        };
        let events = outbox::Rows::of(&[pending.into_event(UserId(courier.user_id))])?;
        let update = serde_json::to_string(&OrderUpdate::CourierAssigned {
            order_id: pending.order_id,
            first_name: courier.first_name.clone(),
        })
        .map_err(|e| backend(e.to_string()))?;
        let assigned: Option<CourierRow> = sqlx::query_as(ASSIGN)
            .bind(pending.order_id.0)
            .bind(courier.user_id)
            .bind(pending.at)
            .bind(&events.ids)
            .bind(&events.topics)
            .bind(&events.payloads)
            .bind(&events.occurred_at)
            .bind(outbox::OUTBOX_CHANNEL)
            .bind(ORDER_UPDATES_CHANNEL)
            .bind(update)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_error)?;
        // Both rows are locked and were free: only a broken invariant gets here (and the
        // transaction rolls back as it is dropped).
        let Some(assigned) = assigned else {
            return Err(backend(format!(
                "order {} or its courier changed while locked",
                pending.order_id
            )));
        };
        tx.commit().await.map_err(store_error)?;
        Ok(AssignOutcome::Assigned(CourierStatus::from(assigned)))
    }

    async fn record_position(
        &self,
        courier: UserId,
        order: OrderId,
        position: &CourierPosition,
        min_interval: time::Duration,
    ) -> Result<PositionOutcome, StoreError> {
        let trackable = status_names(&TRACKABLE);
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let moved: Option<Uuid> = sqlx::query_scalar(MOVE_COURIER)
            .bind(courier.0)
            .bind(order.0)
            .bind(position.lat)
            .bind(position.lng)
            .bind(position.heading_deg)
            .bind(position.speed_kmh)
            .bind(position.at)
            .bind(position.at - min_interval)
            .bind(&trackable)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_error)?;
        if moved.is_none() {
            let active: bool = sqlx::query_scalar(IS_ACTIVE)
                .bind(courier.0)
                .bind(order.0)
                .bind(&trackable)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_error)?;
            return Ok(if active {
                PositionOutcome::TooFrequent
            } else {
                PositionOutcome::NotActive
            });
        }
        sqlx::query(INSERT_POINT)
            .bind(order.0)
            .bind(courier.0)
            .bind(position.lat)
            .bind(position.lng)
            .bind(position.heading_deg)
            .bind(position.speed_kmh)
            .bind(position.at)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        notify(
            &mut tx,
            &OrderUpdate::Position {
                order_id: order,
                position: *position,
                distance_left_m: None,
                eta_minutes: None,
            },
        )
        .await?;
        tx.commit().await.map_err(store_error)?;
        Ok(PositionOutcome::Recorded)
    }

    async fn last_position(&self, order: OrderId) -> Result<Option<CourierPosition>, StoreError> {
        let row: Option<PointRow> = sqlx::query_as(LAST_POINT)
            .bind(order.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(row.map(|row| CourierPosition {
            lat: row.lat,
            lng: row.lng,
            heading_deg: row.heading_deg,
            speed_kmh: row.speed_kmh,
            at: row.recorded_at,
        }))
    }

    async fn courier_orders(
        &self,
        courier: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        self.orders_page(ORDERS_OF_COURIER, courier, status, after, limit)
            .await
    }

    async fn awaiting_courier(&self, limit: u32) -> Result<Vec<Order>, StoreError> {
        let rows: Vec<OrderRow> = sqlx::query_as(AWAITING_COURIER)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        orders_of_rows(rows)
    }

    async fn purge_positions(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        // In batches, each its own short transaction, so a large backlog never holds locks
        // (or bloats one transaction) for long.
        let mut purged = 0;
        loop {
            let deleted = sqlx::query(PURGE_POINTS)
                .bind(before)
                .bind(PURGE_BATCH)
                .execute(&self.pool)
                .await
                .map_err(store_error)?
                .rows_affected();
            purged += deleted;
            if deleted < PURGE_BATCH.unsigned_abs() {
                return Ok(purged);
            }
        }
    }
}

#[async_trait]
impl InsightStore for PgStore {
    async fn add_review(
        &self,
        review: &OrderReview,
        events: &[OutboxEvent],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let added: Option<Uuid> = sqlx::query_scalar(INSERT_REVIEW)
            .bind(review.id.0)
            .bind(review.order_id.0)
            .bind(review.merchant_id.0)
            .bind(review.courier_id.map(|c| c.0))
            .bind(i16::from(review.merchant_rating))
            .bind(review.courier_rating.map(i16::from))
            .bind(review.comment.as_deref())
            .bind(review.created_at)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_error)?;
        if added.is_none() {
            let exists: bool = sqlx::query_scalar(ORDER_EXISTS)
                .bind(review.order_id.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_error)?;
            if !exists {
                return Err(backend(format!(
                    "cannot review order {}: no such order",
                    review.order_id
                )));
            }
            return Ok(false);
        }
        if let (Some(courier), Some(rating)) = (review.courier_id, review.courier_rating) {
            // A courier without a row (never went online here) has no aggregates to update.
            sqlx::query(RATE_COURIER)
                .bind(courier.0)
                .bind(f64::from(rating))
                .execute(&mut *tx)
                .await
                .map_err(store_error)?;
        }
        outbox::append(&mut tx, events).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn stats(
        &self,
        merchant: Option<MerchantId>,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<StatsRows, StoreError> {
        let (counts_sql, durations_sql) = match merchant {
            Some(_) => (COUNTS_OF_MERCHANT, DURATIONS_OF_MERCHANT),
            None => (COUNTS_OF_ALL, DURATIONS_OF_ALL),
        };
        // Both statements see one snapshot.
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        sqlx::query("set transaction isolation level repeatable read, read only")
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        // A year of marketplace-wide durations is the worst case: bounded, so an abandoned
        // request cannot keep a backend busy.
        sqlx::query("set local statement_timeout = '20s'")
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        let mut counts = sqlx::query_as::<_, CountRow>(counts_sql)
            .bind(from)
            .bind(to);
        if let Some(merchant) = merchant {
            counts = counts.bind(merchant.0);
        }
        let counts: Vec<CountRow> = counts.fetch_all(&mut *tx).await.map_err(store_error)?;
        let mut durations = sqlx::query_as::<_, DurationRow>(durations_sql)
            .bind(from)
            .bind(to);
        if let Some(merchant) = merchant {
            durations = durations.bind(merchant.0);
        }
        let durations: DurationRow = durations.fetch_one(&mut *tx).await.map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;

        let mut rows = StatsRows {
            average_prep_seconds: durations.prep,
            average_delivery_seconds: durations.delivery,
            ..StatsRows::default()
        };
        for row in counts {
            let status = OrderStatus::parse(&row.status)
                .ok_or_else(|| backend(format!("invalid stored order status {}", row.status)))?;
            let orders = u64::try_from(row.orders)
                .map_err(|_| backend(format!("invalid order count {}", row.orders)))?;
            match rows.by_status.iter_mut().find(|(s, _)| *s == status) {
                Some((_, n)) => *n += orders,
                None => rows.by_status.push((status, orders)),
            }
            if status == OrderStatus::Delivered {
                let currency = CurrencyCode::parse(&row.currency).map_err(|_| {
                    backend(format!("invalid stored order currency {}", row.currency))
                })?;
                rows.sales
                    .push((currency, orders, row.total_minor.unwrap_or(0)));
            }
        }
        Ok(rows)
    }
}
