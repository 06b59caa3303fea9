//! Couriers, assignments and tracking points (schema `ordering`).
//!
//! A courier's row is both the dispatch lock and the "busy" marker: assigning locks the
//! order row, then the courier's row (`for update`, or `for update skip locked` when picking
//! the nearest), and sets the courier's `active_order_id`. Two dispatches racing for one
//! courier therefore serialize on that row; the loser skips it, or re-reads it and finds it
//! busy. Locks are always taken order first, courier second (as `change_status` does), so
//! the two cannot deadlock.

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::ids::{OrderId, UserId};
use mercato_core::ordering::{
    ASSIGNABLE, AssignOutcome, CourierChoice, CourierPosition, CourierStatus, CourierStore, Order,
    OrderStatus, OrderUpdate, PendingAssignment, PositionOutcome, TRACKABLE,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::live::notify;
use super::rows::{AWAITING_COURIER, ORDERS_OF_COURIER, OrderRow, backend, orders_of_rows};
use crate::channels::{ORDER_UPDATES_CHANNEL, OUTBOX_CHANNEL};
use crate::{PgStore, outbox, store_error};

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

fn status_names(statuses: &[OrderStatus]) -> Vec<&'static str> {
    statuses.iter().map(|s| s.as_str()).collect()
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
            .bind(OUTBOX_CHANNEL)
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
