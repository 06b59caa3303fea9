//! Event handlers the server registers with the outbox dispatcher.

use async_trait::async_trait;
use mercato_core::catalog::{CatalogError, CatalogService, Review};
use mercato_core::events::{DomainEvent, EventHandler, HandlerError, OutboxEvent};

/// Counts every dispatched event by topic, and logs it at debug level (topic and id only:
/// payloads may hold personal data).
#[derive(Debug, Clone, Copy, Default)]
pub struct EventLog;

#[async_trait]
impl EventHandler for EventLog {
    fn name(&self) -> &'static str {
        "event-log"
    }

    async fn handle(&self, event: &OutboxEvent) -> Result<(), HandlerError> {
        tracing::debug!(event_id = %event.id, topic = event.event.topic(), "domain event dispatched");
        metrics::counter!("domain_events_dispatched_total", "topic" => event.event.topic())
            .increment(1);
        Ok(())
    }
}

/// Applies customers' order reviews to their merchants' pages and ratings (idempotent by
/// review id, so a redelivered event changes nothing).
#[derive(Clone)]
pub struct CatalogReviews {
    /// The catalog the reviews go to.
    pub catalog: CatalogService,
}

#[async_trait]
impl EventHandler for CatalogReviews {
    fn name(&self) -> &'static str {
        "catalog-reviews"
    }

    async fn handle(&self, event: &OutboxEvent) -> Result<(), HandlerError> {
        let DomainEvent::OrderReviewed {
            review_id,
            merchant_id,
            author_name,
            rating,
            comment,
            at,
            ..
        } = &event.event
        else {
            return Ok(());
        };
        let review = Review {
            id: *review_id,
            author_name: author_name.clone(),
            rating: *rating,
            comment: comment.clone(),
            created_at: *at,
        };
        match self.catalog.record_review(*merchant_id, review).await {
            Ok(_) => Ok(()),
            // Retrying cannot make an invalid review valid: drop it (ordering validated it,
            // so this is a bug worth an error line, not a poisoned queue).
            Err(CatalogError::Invalid(errors)) => {
                tracing::error!(event_id = %event.id, ?errors, "dropped an invalid order review");
                Ok(())
            }
            Err(err) => Err(HandlerError(err.to_string())),
        }
    }
}
