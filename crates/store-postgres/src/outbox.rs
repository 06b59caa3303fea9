//! The transactional outbox: writing events inside a use case's transaction, the dispatcher
//! that delivers them to subscribers at least once, and the purge of published events.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mercato_core::StoreError;
use mercato_core::events::{EventHandler, OutboxEvent};
use sqlx::postgres::PgListener;
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::channels::OUTBOX_CHANNEL;
use crate::{PgStore, store_error};

/// How long a published event stays in the outbox (for inspection) before it is purged.
const PUBLISHED_EVENT_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

/// Appends `events` to the outbox on the caller's transaction, and signals dispatchers (the
/// notification is delivered only if the transaction commits).
pub(crate) async fn append(
    conn: &mut PgConnection,
    events: &[OutboxEvent],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let rows = Rows::of(events)?;
    // One round trip: the events, and the wake-up of every dispatcher (sent on commit).
    sqlx::query(
        "with added as ( \
             insert into platform.outbox (id, topic, payload, occurred_at) \
             select * from unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[])) \
         select pg_notify($5, '')",
    )
    .bind(&rows.ids)
    .bind(&rows.topics)
    .bind(&rows.payloads)
    .bind(&rows.occurred_at)
    .bind(OUTBOX_CHANNEL)
    .execute(&mut *conn)
    .await
    .map_err(store_error)?;
    Ok(())
}

/// Events as column arrays, for statements that insert them with `unnest`.
pub(crate) struct Rows {
    pub(crate) ids: Vec<Uuid>,
    pub(crate) topics: Vec<&'static str>,
    pub(crate) payloads: Vec<serde_json::Value>,
    pub(crate) occurred_at: Vec<OffsetDateTime>,
}

impl Rows {
    /// The columns of `events`.
    pub(crate) fn of(events: &[OutboxEvent]) -> Result<Self, StoreError> {
        let mut rows = Self {
            ids: Vec::with_capacity(events.len()),
            topics: Vec::with_capacity(events.len()),
            payloads: Vec::with_capacity(events.len()),
            occurred_at: Vec::with_capacity(events.len()),
        };
        for event in events {
            rows.ids.push(event.id.0);
            rows.topics.push(event.event.topic());
            rows.payloads
                .push(serde_json::to_value(event).map_err(|e| StoreError::Backend(e.to_string()))?);
            rows.occurred_at.push(event.occurred_at);
        }
        Ok(rows)
    }
}

/// Delivers outbox events to handlers, at least once. Runs in every server process.
///
/// A batch of due events is *claimed* in one short statement (`FOR UPDATE SKIP LOCKED` picks
/// rows no other dispatcher is claiming; `locked_until` leases them), then delivered with no
/// transaction or connection held, each handler call bounded by a timeout, and each event
/// marked on its own. A dispatcher that dies mid-batch leaves its lease to expire, and
/// another takes the events over. One that runs short of lease hands the rest back rather
/// than risk delivering them alongside another dispatcher.
///
/// A failed event is retried with exponential backoff (1 s doubling, at most 1 h); after
/// `max_attempts` failures it is set aside as dead (`dead_at`) and logged as an error.
pub struct OutboxDispatcher {
    pool: PgPool,
    handlers: Vec<Arc<dyn EventHandler>>,
    batch_size: i64,
    poll_interval: Duration,
    lease: Duration,
    handler_timeout: Duration,
    max_attempts: u32,
    coalesce: Duration,
}

#[derive(sqlx::FromRow)]
struct ClaimedRow {
    id: Uuid,
    payload: serde_json::Value,
    attempts: i32,
    occurred_at: OffsetDateTime,
}

impl OutboxDispatcher {
    /// A dispatcher over `pool` delivering to `handlers`: batches of 100, 30 s leases, 10 s
    /// per handler call, 25 attempts per event; woken by a commit, it waits 20 ms for the
    /// commits that follow, so under load one claim serves many events.
    #[must_use]
    pub fn new(pool: PgPool, handlers: Vec<Arc<dyn EventHandler>>) -> Self {
        Self {
            pool,
            handlers,
            batch_size: 100,
            poll_interval: Duration::from_secs(2),
            lease: Duration::from_secs(30),
            handler_timeout: Duration::from_secs(10),
            max_attempts: 25,
            coalesce: Duration::from_millis(20),
        }
    }

    /// How long one handler may take with one event before the delivery counts as failed.
    #[must_use]
    pub fn with_handler_timeout(mut self, timeout: Duration) -> Self {
        self.handler_timeout = timeout;
        self
    }

    /// How long a claimed batch stays reserved to this dispatcher.
    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How many failed deliveries an event gets before it is set aside as dead.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Delivers one batch of due events. Returns how many were delivered or failed (events
    /// handed back unattempted for lack of lease are not counted).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails; handler failures are recorded, not returned.
    pub async fn dispatch_once(&self) -> Result<usize, StoreError> {
        let leased_at = Instant::now();
        let claimed = self.claim().await?;
        let lease_ends = leased_at + self.lease;
        let worst_delivery = self
            .handler_timeout
            .saturating_mul(u32::try_from(self.handlers.len()).unwrap_or(u32::MAX));
        // Delivered events are marked in one statement per batch (a crash before it only
        // redelivers them: delivery is at least once anyway).
        let mut published = Vec::with_capacity(claimed.len());
        for (handled, row) in claimed.iter().enumerate() {
            if Instant::now() + worst_delivery >= lease_ends {
                let rest: Vec<Uuid> = claimed[handled..].iter().map(|row| row.id).collect();
                self.mark_published(&published).await?;
                self.release(&rest).await?;
                return Ok(handled);
            }
            let outcome = match serde_json::from_value::<OutboxEvent>(row.payload.clone()) {
                Ok(event) => self.deliver(&event).await,
                Err(err) => Err(format!("undecodable event: {err}")),
            };
            match outcome {
                Ok(()) => published.push(row.id),
                Err(reason) => self.mark_failed(row, &reason).await?,
            }
        }
        self.mark_published(&published).await?;
        Ok(claimed.len())
    }

    /// Leases up to a batch of due events, oldest first, in one short statement.
    async fn claim(&self) -> Result<Vec<ClaimedRow>, StoreError> {
        let mut rows: Vec<ClaimedRow> = sqlx::query_as(
            "update platform.outbox set locked_until = now() + make_interval(secs => $2) \
             where id in (select id from platform.outbox \
                 where published_at is null and dead_at is null and next_attempt_at <= now() \
                 and (locked_until is null or locked_until <= now()) \
                 order by occurred_at, id limit $1 for update skip locked) \
             returning id, payload, attempts, occurred_at",
        )
        .bind(self.batch_size)
        .bind(self.lease.as_secs_f64())
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.sort_by_key(|row| (row.occurred_at, row.id));
        Ok(rows)
    }

    async fn release(&self, ids: &[Uuid]) -> Result<(), StoreError> {
        sqlx::query("update platform.outbox set locked_until = null where id = any($1)")
            .bind(ids)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// Marks delivered events published. The dispatcher's bookkeeping commits without
    /// waiting for the WAL flush: losing it in a crash only means a redelivery (consumers are
    /// idempotent by event id), and it saves a synchronous flush per batch.
    async fn mark_published(&self, ids: &[Uuid]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        sqlx::query("set local synchronous_commit = off")
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        sqlx::query(
            "update platform.outbox set published_at = now(), attempts = attempts + 1, \
             locked_until = null where id = any($1)",
        )
        .bind(ids)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(())
    }

    async fn mark_failed(&self, row: &ClaimedRow, reason: &str) -> Result<(), StoreError> {
        let attempts = row.attempts.saturating_add(1);
        let dead = u32::try_from(attempts).unwrap_or(u32::MAX) >= self.max_attempts;
        sqlx::query(
            "update platform.outbox set attempts = attempts + 1, last_error = $2, \
             locked_until = null, next_attempt_at = now() + make_interval(secs => $3), \
             dead_at = case when $4 then now() end where id = $1",
        )
        .bind(row.id)
        .bind(reason)
        .bind(backoff_seconds(row.attempts))
        .bind(dead)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        if dead {
            tracing::error!(event_id = %row.id, attempts, %reason, "outbox event gave up after too many failed deliveries; set aside as dead");
        } else {
            tracing::warn!(event_id = %row.id, attempts, %reason, "outbox delivery failed; will retry");
        }
        Ok(())
    }

    async fn deliver(&self, event: &OutboxEvent) -> Result<(), String> {
        for handler in &self.handlers {
            match tokio::time::timeout(self.handler_timeout, handler.handle(event)).await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => return Err(format!("{}: {err}", handler.name())),
                Err(_) => {
                    return Err(format!(
                        "{}: timed out after {:?}",
                        handler.name(),
                        self.handler_timeout
                    ));
                }
            }
        }
        Ok(())
    }

    /// Runs until `shutdown` completes: drains due events, then sleeps until a commit
    /// notifies the channel or the poll interval passes (retries become due by time).
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        tokio::pin!(shutdown);
        let mut listener = match PgListener::connect_with(&self.pool).await {
            Ok(mut listener) => match listener.listen(OUTBOX_CHANNEL).await {
                Ok(()) => Some(listener),
                Err(err) => {
                    tracing::warn!(error = %err, "outbox LISTEN failed; polling only");
                    None
                }
            },
            Err(err) => {
                tracing::warn!(error = %err, "outbox listener connection failed; polling only");
                None
            }
        };
        loop {
            let drained = match self.dispatch_once().await {
                Ok(taken) => taken < usize::try_from(self.batch_size).unwrap_or(usize::MAX),
                Err(err) => {
                    tracing::error!(error = %err, "outbox dispatch failed");
                    true
                }
            };
            if !drained {
                continue;
            }
            let wake = async {
                match listener.as_mut() {
                    Some(listener) => {
                        if listener.recv().await.is_err() {
                            tokio::time::sleep(self.poll_interval).await;
                        }
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = &mut shutdown => return,
                () = wake => {
                    // Let the commits right behind this one land: one claim for all.
                    tokio::select! {
                        () = &mut shutdown => return,
                        () = tokio::time::sleep(self.coalesce) => {}
                    }
                }
                () = tokio::time::sleep(self.poll_interval) => {}
            }
        }
    }
}

impl PgStore {
    /// Deletes outbox events published more than seven days before `now`. Pending and dead
    /// events stay. Returns how many were deleted.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    pub async fn purge_outbox(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let purged = sqlx::query("delete from platform.outbox where published_at < $1")
            .bind(now - PUBLISHED_EVENT_RETENTION)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(purged.rows_affected())
    }
}

/// Seconds to wait before the next attempt after `attempts` earlier ones: 1, 2, 4 … 3600.
fn backoff_seconds(attempts: i32) -> f64 {
    let exponent = attempts.clamp(0, 12);
    f64::from(1_u32 << exponent).min(3600.0)
}

#[cfg(test)]
mod tests {
    use super::backoff_seconds;

    #[test]
    fn backoff_doubles_and_is_capped_at_an_hour() {
        assert_eq!(backoff_seconds(0), 1.0);
        assert_eq!(backoff_seconds(3), 8.0);
        assert_eq!(backoff_seconds(40), 3600.0);
    }
}
