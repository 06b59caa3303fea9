//! Order reviews (with the courier's rating aggregates) and order statistics (schema
//! `ordering`).

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::events::OutboxEvent;
use mercato_core::ids::MerchantId;
use mercato_core::money::CurrencyCode;
use mercato_core::ordering::{InsightStore, OrderReview, OrderStatus, StatsRows};
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::backend;
use crate::{PgStore, outbox, store_error};

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
