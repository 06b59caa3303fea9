//! The transactional outbox: writing events inside a use case's transaction, and the
//! dispatcher that delivers them to subscribers at least once.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use mercato_core::StoreError;
use mercato_core::events::{EventHandler, OutboxEvent};
use sqlx::postgres::PgListener;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::store_error;

/// The `LISTEN/NOTIFY` channel that wakes dispatchers when events are committed.
pub const OUTBOX_CHANNEL: &str = "mercato_outbox";

/// Appends `events` to the outbox on the caller's transaction, and signals dispatchers (the
/// notification is delivered only if the transaction commits).
pub(crate) async fn append(
    conn: &mut PgConnection,
    events: &[OutboxEvent],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    for event in events {
        let payload =
            serde_json::to_value(event).map_err(|e| StoreError::Backend(e.to_string()))?;
        sqlx::query(
            "insert into platform.outbox (id, topic, payload, occurred_at) values ($1, $2, $3, $4)",
        )
        .bind(event.id.0)
        .bind(event.event.topic())
        .bind(payload)
        .bind(event.occurred_at)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    }
    sqlx::query("select pg_notify($1, '')")
        .bind(OUTBOX_CHANNEL)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    Ok(())
}

/// Delivers outbox events to handlers. Runs in every server process; `FOR UPDATE SKIP
/// LOCKED` lets several dispatchers share the work without delivering one event twice at
/// once. A failed event is retried with exponential backoff (1 s doubling, at most 1 h).
pub struct OutboxDispatcher {
    pool: PgPool,
    handlers: Vec<Arc<dyn EventHandler>>,
    batch_size: i64,
    poll_interval: Duration,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: Uuid,
    payload: serde_json::Value,
    attempts: i32,
}

impl OutboxDispatcher {
    /// A dispatcher over `pool` delivering to `handlers`.
    #[must_use]
    pub fn new(pool: PgPool, handlers: Vec<Arc<dyn EventHandler>>) -> Self {
        Self {
            pool,
            handlers,
            batch_size: 100,
            poll_interval: Duration::from_secs(2),
        }
    }

    /// Delivers one batch of due events. Returns how many were taken.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails; handler failures are recorded, not returned.
    pub async fn dispatch_once(&self) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let rows: Vec<PendingRow> = sqlx::query_as(
            "select id, payload, attempts from platform.outbox \
             where published_at is null and next_attempt_at <= now() \
             order by occurred_at, id limit $1 for update skip locked",
        )
        .bind(self.batch_size)
        .fetch_all(&mut *tx)
        .await
        .map_err(store_error)?;
        for row in &rows {
            let outcome = match serde_json::from_value::<OutboxEvent>(row.payload.clone()) {
                Ok(event) => self.deliver(&event).await,
                Err(err) => Err(format!("undecodable event: {err}")),
            };
            match outcome {
                Ok(()) => {
                    sqlx::query("update platform.outbox set published_at = now(), attempts = attempts + 1 where id = $1")
                        .bind(row.id)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                }
                Err(reason) => {
                    let backoff = backoff_seconds(row.attempts);
                    tracing::warn!(event_id = %row.id, attempts = row.attempts + 1, %reason, "outbox delivery failed; will retry");
                    sqlx::query(
                        "update platform.outbox set attempts = attempts + 1, last_error = $2, \
                         next_attempt_at = now() + make_interval(secs => $3) where id = $1",
                    )
                    .bind(row.id)
                    .bind(reason)
                    .bind(backoff)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                }
            }
        }
        tx.commit().await.map_err(store_error)?;
        Ok(rows.len())
    }

    async fn deliver(&self, event: &OutboxEvent) -> Result<(), String> {
        for handler in &self.handlers {
            handler
                .handle(event)
                .await
                .map_err(|err| format!("{}: {err}", handler.name()))?;
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
                () = wake => {}
                () = tokio::time::sleep(self.poll_interval) => {}
            }
        }
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
