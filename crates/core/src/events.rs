//! Domain events and the outbox they travel through.
//!
//! A use case that changes state hands its events to the store port together with the state
//! change, and the adapter writes both in one transaction. A dispatcher later delivers each
//! [`OutboxEvent`] at least once to every [`EventHandler`]; handlers are idempotent by
//! [`OutboxEvent::id`].

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{EventId, MerchantId, OrderId, ReviewId, UserId};
use crate::money::Money;

/// Something that happened in the domain, as other contexts learn of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum DomainEvent {
    /// A customer created an account.
    #[serde(rename_all = "camelCase")]
    UserRegistered {
        /// The new user.
        user_id: UserId,
        /// Normalized email address.
        email: String,
        /// Display name.
        name: String,
        /// Preferred locale (BCP 47).
        locale: String,
        /// ISO 3166-1 alpha-2 country.
        country_code: String,
    },
    /// A customer checked out a cart.
    #[serde(rename_all = "camelCase")]
    OrderPlaced {
        /// The order.
        order_id: OrderId,
        /// Who ordered.
        customer_id: UserId,
        /// From whom.
        merchant_id: MerchantId,
        /// `placed` (cash) or `pending_payment` (card).
        status: String,
        /// The amount due.
        total: Money,
    },
    /// An order moved to another status.
    #[serde(rename_all = "camelCase")]
    OrderStatusChanged {
        /// The order.
        order_id: OrderId,
        /// Who ordered.
        customer_id: UserId,
        /// From whom.
        merchant_id: MerchantId,
        /// The status before.
        from: String,
        /// The status now.
        to: String,
        /// Why, for cancellations.
        reason: Option<String>,
    },
    /// A courier was assigned to an order.
    #[serde(rename_all = "camelCase")]
    CourierAssigned {
        /// The order.
        order_id: OrderId,
        /// Who ordered.
        customer_id: UserId,
        /// From whom.
        merchant_id: MerchantId,
        /// The courier.
        courier_id: UserId,
    },
    /// A customer reviewed a delivered order; the catalog adds it to the merchant's reviews
    /// and rating.
    #[serde(rename_all = "camelCase")]
    OrderReviewed {
        /// The review (also its id among the merchant's reviews).
        review_id: ReviewId,
        /// The order.
        order_id: OrderId,
        /// The merchant.
        merchant_id: MerchantId,
        /// The reviewer's first name.
        author_name: String,
        /// 1–5.
        rating: u8,
        /// The comment.
        comment: Option<String>,
        /// When written.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

impl DomainEvent {
    /// The event's stable topic name, e.g. `identity.user_registered`.
    #[must_use]
    pub fn topic(&self) -> &'static str {
        match self {
            Self::UserRegistered { .. } => "identity.user_registered",
            Self::OrderPlaced { .. } => "ordering.order_placed",
            Self::OrderStatusChanged { .. } => "ordering.order_status_changed",
            Self::CourierAssigned { .. } => "ordering.courier_assigned",
            Self::OrderReviewed { .. } => "ordering.order_reviewed",
        }
    }
}

/// An event as stored in the outbox: the domain event plus delivery metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEvent {
    /// Unique id; consumers deduplicate on it.
    pub id: EventId,
    /// When the change happened.
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    /// The event itself.
    pub event: DomainEvent,
}

impl OutboxEvent {
    /// Wraps `event`, stamped with a fresh id.
    #[must_use]
    pub fn new(event: DomainEvent, occurred_at: OffsetDateTime) -> Self {
        Self {
            id: EventId::new(),
            occurred_at,
            event,
        }
    }
}

/// Why a handler could not process an event; the dispatcher retries later.
#[derive(Debug, thiserror::Error)]
#[error("event handler failed: {0}")]
pub struct HandlerError(pub String);

/// A subscriber to domain events (notification rules, live streams, exports).
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait EventHandler: Send + Sync {
    /// A short name for logs and metrics.
    fn name(&self) -> &'static str;

    /// Processes one event. Called at least once per event; must be idempotent by event id.
    ///
    /// # Errors
    /// A [`HandlerError`] makes the dispatcher retry the event with backoff.
    async fn handle(&self, event: &OutboxEvent) -> Result<(), HandlerError>;
}
