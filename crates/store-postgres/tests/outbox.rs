//! The outbox dispatcher against a real PostgreSQL: events written by a use case's
//! transaction reach the handlers once, and a failed delivery is kept for a later retry.

mod common;

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use common::register;
use mercato_core::events::{EventHandler, HandlerError, OutboxEvent};
use mercato_store_postgres::{OutboxDispatcher, PgStore};
use sqlx::PgPool;
use time::OffsetDateTime;

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
