//! The outbox dispatcher against a real PostgreSQL: events written by a use case's
//! transaction reach the handlers once; a failed or hung delivery is kept for a later retry
//! until the event is set aside as dead; handlers run outside any transaction, under a
//! lease; and published events are purged after a week.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use common::register;
use mercato_core::events::{EventHandler, HandlerError, OutboxEvent};
use mercato_store_postgres::{OutboxDispatcher, PgStore};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use time::OffsetDateTime;
use tokio::sync::Notify;

/// Remembers every event it is handed.
#[derive(Default)]
struct Recording {
    received: Mutex<Vec<OutboxEvent>>,
}

impl Recording {
    fn received(&self) -> Vec<OutboxEvent> {
        self.received.lock().expect("not poisoned").clone()
    }
}

#[async_trait]
impl EventHandler for Recording {
    fn name(&self) -> &'static str {
        "recording"
    }

    async fn handle(&self, event: &OutboxEvent) -> Result<(), HandlerError> {
        self.received
            .lock()
            .expect("not poisoned")
            .push(event.clone());
        Ok(())
    }
}

/// Fails every event, like a subscriber whose downstream is down.
struct Failing;

#[async_trait]
impl EventHandler for Failing {
    fn name(&self) -> &'static str {
        "failing"
    }

    async fn handle(&self, _event: &OutboxEvent) -> Result<(), HandlerError> {
        Err(HandlerError("mail relay unavailable".to_owned()))
    }
}

fn dispatcher(pool: &PgPool, handler: Arc<dyn EventHandler>) -> OutboxDispatcher {
    OutboxDispatcher::new(pool.clone(), vec![handler])
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_pending_event_is_delivered_to_the_handler(pool: PgPool) {
    let ann = register(&PgStore::new(pool.clone()), "ann@example.com").await;
    let recording = Arc::new(Recording::default());

    let taken = dispatcher(&pool, recording.clone())
        .dispatch_once()
        .await
        .expect("dispatched");

    assert_eq!(taken, 1);
    assert_eq!(recording.received(), [ann.event]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_delivered_event_is_marked_published_and_not_delivered_again(pool: PgPool) {
    let ann = register(&PgStore::new(pool.clone()), "ann@example.com").await;
    let recording = Arc::new(Recording::default());
    let dispatcher = dispatcher(&pool, recording.clone());
    dispatcher.dispatch_once().await.expect("first dispatch");

    let taken = dispatcher.dispatch_once().await.expect("second dispatch");

    assert_eq!(taken, 0);
    assert_eq!(recording.received().len(), 1);
    let published: Option<OffsetDateTime> =
        sqlx::query_scalar("select published_at from platform.outbox where id = $1")
            .bind(ann.event.id.0)
            .fetch_one(&pool)
            .await
            .expect("query");
    assert!(published.is_some());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_failed_delivery_leaves_the_event_pending_for_a_later_attempt(pool: PgPool) {
    let ann = register(&PgStore::new(pool.clone()), "ann@example.com").await;
    let before: OffsetDateTime = sqlx::query_scalar("select now()")
        .fetch_one(&pool)
        .await
        .expect("database clock");

    let taken = dispatcher(&pool, Arc::new(Failing))
        .dispatch_once()
        .await
        .expect("dispatch does not fail on handler errors");

    assert_eq!(taken, 1);
    let (published, attempts, next_attempt_at, last_error): (Option<OffsetDateTime>, i32, OffsetDateTime, Option<String>) =
        sqlx::query_as(
            "select published_at, attempts, next_attempt_at, last_error from platform.outbox where id = $1",
        )
        .bind(ann.event.id.0)
        .fetch_one(&pool)
        .await
        .expect("query");
    assert_eq!(published, None);
    assert_eq!(attempts, 1);
    assert!(
        next_attempt_at > before,
        "next attempt {next_attempt_at} not after {before}"
    );
    assert!(
        last_error.as_deref().is_some_and(|e| e.contains("failing")),
        "{last_error:?}"
    );
}

/// Never answers, like a subscriber whose downstream hangs.
struct Hanging;

#[async_trait]
impl EventHandler for Hanging {
    fn name(&self) -> &'static str {
        "hanging"
    }

    async fn handle(&self, _event: &OutboxEvent) -> Result<(), HandlerError> {
        std::future::pending().await
    }
}

/// Holds every event until the test lets it through.
#[derive(Default)]
struct Gate {
    entered: Notify,
    release: Notify,
}

#[async_trait]
impl EventHandler for Gate {
    fn name(&self) -> &'static str {
        "gate"
    }

    async fn handle(&self, _event: &OutboxEvent) -> Result<(), HandlerError> {
        self.entered.notify_one();
        self.release.notified().await;
        Ok(())
    }
}

/// Long enough for any dispatch in these tests; reaching it means the dispatcher hung.
const HUNG: Duration = Duration::from_secs(20);

async fn outbox_row(
    pool: &PgPool,
    id: uuid::Uuid,
) -> (
    Option<OffsetDateTime>,
    i32,
    Option<String>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
) {
    sqlx::query_as(
        "select published_at, attempts, last_error, locked_until, dead_at from platform.outbox where id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .expect("query")
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_handler_that_never_answers_is_timed_out_and_the_event_kept_for_a_retry(pool: PgPool) {
    let ann = register(&PgStore::new(pool.clone()), "ann@example.com").await;
    let dispatcher =
        dispatcher(&pool, Arc::new(Hanging)).with_handler_timeout(Duration::from_millis(50));

    let taken = tokio::time::timeout(HUNG, dispatcher.dispatch_once())
        .await
        .expect("the dispatch does not hang")
        .expect("dispatched");

    assert_eq!(taken, 1);
    let (published, attempts, last_error, locked_until, _) =
        outbox_row(&pool, ann.event.id.0).await;
    assert_eq!((published, attempts, locked_until), (None, 1, None));
    assert!(
        last_error
            .as_deref()
            .is_some_and(|e| e.contains("hanging") && e.contains("timed out")),
        "{last_error:?}"
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_event_failing_its_last_attempt_is_set_aside_as_dead(pool: PgPool) {
    let ann = register(&PgStore::new(pool.clone()), "ann@example.com").await;
    let dispatcher = dispatcher(&pool, Arc::new(Failing)).with_max_attempts(2);
    dispatcher.dispatch_once().await.expect("first attempt");
    sqlx::query("update platform.outbox set next_attempt_at = now()")
        .execute(&pool)
        .await
        .expect("due again");

    dispatcher.dispatch_once().await.expect("last attempt");

    let (published, attempts, _, _, dead_at) = outbox_row(&pool, ann.event.id.0).await;
    assert_eq!((published, attempts), (None, 2));
    assert!(dead_at.is_some(), "the event is dead");
    sqlx::query("update platform.outbox set next_attempt_at = now()")
        .execute(&pool)
        .await
        .expect("due again");
    assert_eq!(
        dispatcher.dispatch_once().await.expect("dispatched"),
        0,
        "a dead event is not attempted again"
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn handlers_run_without_holding_a_connection_and_the_claimed_event_is_leased(
    pool_options: PgPoolOptions,
    connect_options: PgConnectOptions,
) {
    let pool = pool_options
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(connect_options)
        .await
        .expect("pool");
    let ann = register(&PgStore::new(pool.clone()), "ann@example.com").await;
    let gate = Arc::new(Gate::default());
    let first = dispatcher(&pool, gate.clone());
    let delivering = tokio::spawn(async move { first.dispatch_once().await });
    tokio::time::timeout(HUNG, gate.entered.notified())
        .await
        .expect("the handler is reached");

    let ping: i32 = sqlx::query_scalar("select 1")
        .fetch_one(&pool)
        .await
        .expect("the only connection is free while the handler runs");
    let taken_elsewhere = dispatcher(&pool, Arc::new(Recording::default()))
        .dispatch_once()
        .await
        .expect("second dispatcher");
    gate.release.notify_one();
    let taken = tokio::time::timeout(HUNG, delivering)
        .await
        .expect("the dispatch finishes")
        .expect("task")
        .expect("dispatched");

    assert_eq!(ping, 1);
    assert_eq!(
        taken_elsewhere, 0,
        "a leased event is not delivered twice at once"
    );
    assert_eq!(taken, 1);
    let (published, attempts, _, locked_until, _) = outbox_row(&pool, ann.event.id.0).await;
    assert!(published.is_some());
    assert_eq!((attempts, locked_until), (1, None));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_event_whose_lease_has_expired_is_delivered_by_another_dispatcher(pool: PgPool) {
    let ann = register(&PgStore::new(pool.clone()), "ann@example.com").await;
    // As if a dispatcher had claimed the event and died.
    sqlx::query("update platform.outbox set locked_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .expect("leased");
    let recording = Arc::new(Recording::default());

    let taken = dispatcher(&pool, recording.clone())
        .dispatch_once()
        .await
        .expect("dispatched");

    assert_eq!(taken, 1);
    assert_eq!(recording.received(), [ann.event]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_dispatcher_without_lease_left_for_a_delivery_hands_the_events_back(pool: PgPool) {
    let ann = register(&PgStore::new(pool.clone()), "ann@example.com").await;
    let recording = Arc::new(Recording::default());
    let short_of_lease = dispatcher(&pool, recording.clone())
        .with_lease(Duration::from_secs(1))
        .with_handler_timeout(Duration::from_secs(10));

    let taken = short_of_lease.dispatch_once().await.expect("dispatched");

    assert_eq!(taken, 0);
    assert!(recording.received().is_empty());
    let (published, attempts, _, locked_until, _) = outbox_row(&pool, ann.event.id.0).await;
    assert_eq!((published, attempts, locked_until), (None, 0, None));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn purging_deletes_events_published_over_a_week_ago_only(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let old = register(&store, "ann@example.com").await;
    let recent = register(&store, "bob@example.com").await;
    let pending = register(&store, "cy@example.com").await;
    let now: OffsetDateTime = sqlx::query_scalar("select now()")
        .fetch_one(&pool)
        .await
        .expect("database clock");
    for (event, published_at) in [
        (&old.event, now - Duration::from_secs(8 * 24 * 3600)),
        (&recent.event, now - Duration::from_secs(24 * 3600)),
    ] {
        sqlx::query("update platform.outbox set published_at = $2 where id = $1")
            .bind(event.id.0)
            .bind(published_at)
            .execute(&pool)
            .await
            .expect("published");
    }

    let purged = store.purge_outbox(now).await.expect("purged");

    assert_eq!(purged, 1);
    let mut left: Vec<uuid::Uuid> = sqlx::query_scalar("select id from platform.outbox")
        .fetch_all(&pool)
        .await
        .expect("query");
    left.sort();
    let mut expected = vec![recent.event.id.0, pending.event.id.0];
    expected.sort();
    assert_eq!(left, expected);
}
