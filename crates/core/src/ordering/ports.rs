//! Ordering's ports: the storage traits its use cases run behind, and the values they
//! exchange with them.

use std::sync::Arc;

use async_trait::async_trait;
use time::OffsetDateTime;

use super::lifecycle::*;
use super::model::*;
use crate::clock::Clock;
use crate::error::StoreError;
use crate::events::{DomainEvent, OutboxEvent};
use crate::geo::LatLng;
use crate::identity::{AddressStore, UserStore};
use crate::ids::{CartId, CartLineId, ItemId, MerchantId, OptionId, OrderId, UserId};
use crate::money::CurrencyCode;

/// How long a checkout's idempotency key is remembered.
pub const IDEMPOTENCY_KEY_LIFETIME: time::Duration = time::Duration::hours(24);

/// A cart line as stored: what the customer chose, and the unit price they saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    /// The line's id.
    pub id: CartLineId,
    /// The menu item.
    pub item_id: ItemId,
    /// How many.
    pub quantity: u32,
    /// Chosen options.
    pub option_ids: Vec<OptionId>,
    /// Note for the kitchen.
    pub note: Option<String>,
    /// Unit price with options when added or last changed, to detect price changes.
    pub seen_unit_price_minor: i64,
}

/// A cart as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCart {
    /// The cart's id.
    pub id: CartId,
    /// Its owner.
    pub customer: UserId,
    /// The merchant it orders from.
    pub merchant_id: MerchantId,
    /// Lines in the order they were added.
    pub lines: Vec<StoredLine>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// How many times it changed: checkout closes the cart only at the revision it priced.
    pub revision: i64,
}

/// Outcome of adding a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineAdded {
    /// Added: the cart with the new line.
    Added(StoredCart),
    /// The cart already holds [`MAX_CART_LINES`] lines.
    LimitReached,
    /// No open cart with that id.
    NoCart,
}

/// Open carts. Every method is one transaction; a customer has at most one open cart per
/// merchant.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait CartStore: Send + Sync {
    /// The customer's open cart at `merchant`, created (as `new`, which has no lines) when
    /// there is none; `true` when it was created.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn open_cart(&self, new: &StoredCart) -> Result<(StoredCart, bool), StoreError>;

    /// The customer's open carts, most recently changed first.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn open_carts(&self, customer: UserId) -> Result<Vec<StoredCart>, StoreError>;

    /// One open cart, whoever owns it.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn cart(&self, id: CartId) -> Result<Option<StoredCart>, StoreError>;

    /// Appends a line to `customer`'s open cart unless it holds `max_lines` already; the
    /// cart as it is then. A cart of somebody else is [`LineAdded::NoCart`].
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn add_line(
        &self,
        cart: CartId,
        customer: UserId,
        line: &StoredLine,
        max_lines: u32,
        now: OffsetDateTime,
    ) -> Result<LineAdded, StoreError>;

    /// Replaces a line of the cart; `false` when the cart has no such line.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn replace_line(
        &self,
        cart: CartId,
        line: &StoredLine,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Removes a line of the cart; `false` when it has no such line.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn remove_line(
        &self,
        cart: CartId,
        line: CartLineId,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Removes every line; `false` when there is no such open cart.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn clear(&self, cart: CartId, now: OffsetDateTime) -> Result<bool, StoreError>;
}

/// An idempotency key as the store keeps it: per customer, with the request it was first
/// used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    /// The customer.
    pub customer: UserId,
    /// The client's key.
    pub key: String,
    /// The canonical request it was first used with.
    pub fingerprint: String,
}

/// What a known idempotency key says of a request that used it.
#[derive(Debug, Clone, PartialEq)]
pub enum KnownKey {
    /// The key completed this same request: its stored response.
    Replay(serde_json::Value),
    /// The key is held by a request still running (only a key written by an earlier
    /// version, which held keys for the whole request, can be seen so).
    InFlight,
    /// The key was used for a different request.
    Mismatch,
}

/// Everything placing an order writes, in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The order.
    pub order: Order,
    /// Its first status change.
    pub first: StatusChange,
    /// The cart it closes.
    pub cart: CartId,
    /// The cart's revision when it was priced: a cart changed since is not closed.
    pub cart_version: i64,
    /// Events recorded with it (`OrderPlaced`).
    pub events: Vec<OutboxEvent>,
    /// The idempotency key it stores, new (or forgotten: older than
    /// [`IDEMPOTENCY_KEY_LIFETIME`]).
    pub key: IdempotencyKey,
    /// The response stored with the key, replayed to retries.
    pub response: serde_json::Value,
}

/// Outcome of placing an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// The order exists; the cart is closed.
    Placed,
    /// The cart was no longer open (checked out concurrently).
    CartNotOpen,
    /// The cart changed after it was priced (another tab edited it).
    CartChanged,
    /// The idempotency key is known already (a concurrent request with it placed first).
    KeyTaken,
}

/// Orders and idempotency keys.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait OrderStore: Send + Sync {
    /// What `key` (of its customer) says, if it is known and younger than
    /// [`IDEMPOTENCY_KEY_LIFETIME`] at `now`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn known_key(
        &self,
        key: &IdempotencyKey,
        now: OffsetDateTime,
    ) -> Result<Option<KnownKey>, StoreError>;

    /// Atomically: stores the idempotency key with the response — only if the key is new
    /// (or forgotten) and the cart is still open and unchanged since it was priced — closes
    /// the cart, stores the order with its items and first status change, and records the
    /// events. Nothing of it when either condition fails.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn place_order(&self, placement: &Placement) -> Result<Placed, StoreError>;

    /// One order.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn order(&self, id: OrderId) -> Result<Option<Order>, StoreError>;

    /// A customer's orders, newest first, after `after`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn orders_of(
        &self,
        customer: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError>;

    /// A merchant's orders, newest first, in `status` (without one: every status but
    /// `pending_payment`) and placed at or after `from`, after `after`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn orders_of_merchant(
        &self,
        merchant: MerchantId,
        status: Option<OrderStatus>,
        from: Option<OffsetDateTime>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError>;

    /// An order's status timeline, oldest first.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn history(&self, id: OrderId) -> Result<Vec<StatusChange>, StoreError>;

    /// Moves the order to `change.status` only if it is still in `expected` (so concurrent
    /// changes cannot both win), appending the change and recording `events`; `false` when
    /// the order was no longer in `expected`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn change_status(
        &self,
        id: OrderId,
        expected: OrderStatus,
        change: &StatusChange,
        events: &[OutboxEvent],
    ) -> Result<bool, StoreError>;
}

/// Which courier to assign.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CourierChoice {
    /// This one (must be online, with no active order).
    Given(UserId),
    /// The nearest online courier with no active order whose position is fresh, within
    /// `radius_m` of `near`.
    Nearest {
        /// The merchant's location.
        near: LatLng,
        /// Search radius.
        radius_m: f64,
        /// Positions older than this do not count.
        fresh_since: OffsetDateTime,
    },
}

/// What assigning a courier did.
#[derive(Debug, Clone, PartialEq)]
pub enum AssignOutcome {
    /// The order now has this courier (whose active order it is).
    Assigned(CourierStatus),
    /// No courier qualifies (nearest) — the order waits for the next dispatch round.
    NoCourier,
    /// The given courier is unknown, offline or busy.
    CourierUnavailable,
    /// The order already has a courier, or is no longer in an assignable status.
    OrderNotAssignable,
}

/// What recording a position did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionOutcome {
    /// Stored, the courier's position updated, watchers notified.
    Recorded,
    /// The courier posted less than the minimum interval ago.
    TooFrequent,
    /// The order is not (any more) this courier's active order.
    NotActive,
}

/// An assignment about to be made: what the event recorded with it needs, except the
/// courier, whom the store picks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAssignment {
    /// The event's id.
    pub event_id: crate::ids::EventId,
    /// When.
    pub at: OffsetDateTime,
    /// The order.
    pub order_id: OrderId,
    /// Who ordered.
    pub customer_id: UserId,
    /// From whom.
    pub merchant_id: crate::ids::MerchantId,
}

impl PendingAssignment {
    /// The `CourierAssigned` event once the store chose `courier`.
    #[must_use]
    pub fn into_event(&self, courier: UserId) -> OutboxEvent {
        OutboxEvent {
            id: self.event_id,
            occurred_at: self.at,
            event: DomainEvent::CourierAssigned {
                order_id: self.order_id,
                customer_id: self.customer_id,
                merchant_id: self.merchant_id,
                courier_id: courier,
            },
        }
    }
}

/// Couriers, assignment and positions.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait CourierStore: Send + Sync {
    /// Creates or updates the courier's row: online flag, first name, and — when given —
    /// position (also stamping the position time). Returns the row.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn set_courier_status(
        &self,
        courier: UserId,
        first_name: &str,
        online: bool,
        position: Option<CourierPosition>,
        now: OffsetDateTime,
    ) -> Result<CourierStatus, StoreError>;

    /// One courier's row.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn courier(&self, courier: UserId) -> Result<Option<CourierStatus>, StoreError>;

    /// In one transaction: picks the courier (`choice`), locking their row and skipping
    /// couriers locked by a concurrent dispatch; sets the order's courier only if the
    /// order has none and is in one of [`ASSIGNABLE`]; marks it the courier's active order;
    /// records [`PendingAssignment::into_event`] for the chosen courier; and notifies the
    /// order's watchers ([`OrderUpdate::CourierAssigned`]).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn assign_courier(
        &self,
        choice: CourierChoice,
        pending: &PendingAssignment,
    ) -> Result<AssignOutcome, StoreError>;

    /// In one transaction, when `order` is `courier`'s active order and in a `TRACKABLE`
    /// status, and the courier's last position is at least `min_interval` old: stores the
    /// tracking point, updates the courier's position, and notifies the order's watchers
    /// (`OrderUpdate::Position`).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn record_position(
        &self,
        courier: UserId,
        order: OrderId,
        position: &CourierPosition,
        min_interval: time::Duration,
    ) -> Result<PositionOutcome, StoreError>;

    /// The latest tracking point of an order.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn last_position(&self, order: OrderId) -> Result<Option<CourierPosition>, StoreError>;

    /// Orders assigned to `courier`, newest first, after `after`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn courier_orders(
        &self,
        courier: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError>;

    /// Orders ready for pickup without a courier, oldest first.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn awaiting_courier(&self, limit: u32) -> Result<Vec<Order>, StoreError>;

    /// Deletes tracking points recorded before `before`; returns how many.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn purge_positions(&self, before: OffsetDateTime) -> Result<u64, StoreError>;
}

/// What the store aggregates for statistics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsRows {
    /// Orders per current status (statuses without orders may be missing).
    pub by_status: Vec<(OrderStatus, u64)>,
    /// Per currency: delivered orders and the sum of their totals in minor units.
    pub sales: Vec<(CurrencyCode, u64, i64)>,
    /// Average seconds from the `accepted` to the `ready_for_pickup` history entry.
    pub average_prep_seconds: Option<f64>,
    /// Average seconds from the `picked_up` to the `delivered` history entry.
    pub average_delivery_seconds: Option<f64>,
}

/// Reviews and statistics.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait InsightStore: Send + Sync {
    /// In one transaction: stores the review unless the order has one, updates the
    /// courier's rating aggregates when it rates the courier, and records `events`.
    /// `false` when the order was already reviewed.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn add_review(
        &self,
        review: &OrderReview,
        events: &[OutboxEvent],
    ) -> Result<bool, StoreError>;

    /// Aggregates over the orders placed in `[from, to)`, of `merchant` or all.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn stats(
        &self,
        merchant: Option<MerchantId>,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<StatsRows, StoreError>;
}

/// The ports orders need besides carts and the catalog.
#[derive(Clone)]
pub struct OrderPorts {
    /// Orders.
    pub orders: Arc<dyn OrderStore>,
    /// Couriers, assignments and positions.
    pub couriers: Arc<dyn CourierStore>,
    /// Reviews and statistics.
    pub insights: Arc<dyn InsightStore>,
    /// Saved addresses (identity).
    pub addresses: Arc<dyn AddressStore>,
    /// Users (the contact phone of a saved address).
    pub users: Arc<dyn UserStore>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}
