//! Event handlers the server registers with the outbox dispatcher.

use async_trait::async_trait;
use mercato_core::events::{EventHandler, HandlerError, OutboxEvent};

/// Logs every dispatched event (topic and id only: payloads may hold personal data).
#[derive(Debug, Clone, Copy, Default)]
pub struct EventLog;

#[async_trait]
impl EventHandler for EventLog {
    fn name(&self) -> &'static str {
        "event-log"
    }

    async fn handle(&self, event: &OutboxEvent) -> Result<(), HandlerError> {
        tracing::info!(event_id = %event.id, topic = event.event.topic(), "domain event dispatched");
        metrics::counter!("domain_events_dispatched_total", "topic" => event.event.topic())
            .increment(1);
        Ok(())
    }
}
