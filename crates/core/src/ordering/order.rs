//! Orders: idempotent checkout of a cart into an order with snapshots of what was bought,
//! and status changes through the one lifecycle function.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::cart::{Cart, CartError, CartLineOption, CartService, CartWarning};
use super::lifecycle::{
    Actor, CancelReason, OrderEvent, OrderStatus, StatusRequestError, TransitionError, transition,
};
use crate::catalog::{CatalogService, OpeningHours, to_timestamp};
use crate::clock::Clock;
use crate::error::{DomainError, ErrorKind, FieldError, StoreError, ValidationErrors};
use crate::events::{DomainEvent, OutboxEvent};
use crate::geo::{LatLng, TaxClass};
use crate::identity::{AddressStore, UserStore};
use crate::ids::{AddressId, CartId, ItemId, MerchantId, OrderId, UserId};
use crate::money::Money;
use crate::page::Page;
use crate::pricing::PriceSummary;
use crate::principal::{Principal, Role};

/// How long a checkout's idempotency key is remembered.
pub const IDEMPOTENCY_KEY_LIFETIME: time::Duration = time::Duration::hours(24);

/// Most orders on one page of a customer's history.
pub const MAX_ORDER_PAGE: u32 = 50;

/// How an order is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PaymentChoice {
    /// `"cash"`: paid to the courier.
    Keyword(PaymentKeyword),
    /// `{"id": "…"}`: a saved card (charged by the payments service).
    Card(CardReference),
}

/// The keyword payment methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKeyword {
    /// Cash on delivery.
    Cash,
}

/// A saved payment method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardReference {
    /// The payment method's id.
    pub id: String,
}

/// Where and to whom an order is delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeliveryDetails {
    /// The address as the courier reads it (1–300 characters).
    pub address: String,
    /// Latitude of the door.
    pub lat: f64,
    /// Longitude of the door.
    pub lng: f64,
    /// Notes for the courier (up to 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// A phone number the courier can call (E.164).
    pub contact_phone: String,
}

/// `POST /api/orders/create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckoutRequest {
    /// The cart to check out (the caller's open cart).
    pub cart_id: CartId,
    /// A saved address of the caller; or give `delivery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_address_id: Option<AddressId>,
    /// Delivery details; or give `deliveryAddressId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliveryDetails>,
    /// Deliver at this time (15 minutes to 7 days ahead, within opening hours).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub scheduled_for: Option<OffsetDateTime>,
    /// A tip for the courier, in the merchant's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip: Option<Money>,
    /// `"cash"` or `{"id": "<payment method id>"}`.
    pub payment_method: PaymentChoice,
    /// The total the customer was shown; when given and the checkout total differs (a
    /// price changed meanwhile), checkout is refused with 409 `checkout.total_changed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_total: Option<Money>,
}

/// A bought item, as it was at checkout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    /// The menu item.
    pub menu_item_id: ItemId,
    /// Its name at checkout.
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Chosen options, as they were.
    pub options: Vec<CartLineOption>,
    /// Unit price with options at checkout.
    pub unit_price: Money,
    /// Tax class at checkout.
    pub tax_class: TaxClass,
    /// `unitPrice × quantity`.
    pub line_total: Money,
    /// Note for the kitchen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The order's id.
    pub id: OrderId,
    /// Who ordered.
    pub customer_id: UserId,
    /// From whom.
    pub merchant_id: MerchantId,
    /// The merchant's name at checkout.
    pub merchant_name: String,
    /// Where it is in its lifecycle.
    pub status: OrderStatus,
    /// What was bought.
    pub items: Vec<OrderItem>,
    /// Where it goes.
    pub delivery: DeliveryDetails,
    /// How it is paid.
    pub payment_method: PaymentChoice,
    /// The price at checkout.
    pub summary: PriceSummary,
    /// When it should arrive, for scheduled orders.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub scheduled_for: Option<OffsetDateTime>,
    /// The courier delivering it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<UserId>,
    /// When it was placed.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One entry of an order's status timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    /// The status entered.
    pub status: OrderStatus,
    /// Who moved it: `customer`, `merchant_staff`, `courier`, `admin` or `system`.
    pub actor: String,
    /// The acting user, when a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<UserId>,
    /// Why, for cancellations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CancelReason>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// `PUT /api/orders/{id}/status`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusUpdate {
    /// The status to move to.
    pub status: OrderStatus,
    /// Required when `status` is `cancelled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CancelReason>,
}

/// `POST /api/orders/{id}/cancel`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelRequest {
    /// Why.
    pub reason: CancelReason,
}

/// `GET /api/orders/user/{userId}` query.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderListParams {
    /// Only orders in this status.
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// Page size, 1–50 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 50, default = 20)]
    pub limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<OrderId>,
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

/// Failures of order use cases.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// Fields failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// No `Idempotency-Key` header, or a malformed one.
    #[error("an Idempotency-Key header of 1 to 255 visible characters is required")]
    KeyRequired,
    /// The key was used for a different request.
    #[error("this Idempotency-Key was used for a different request")]
    KeyReused,
    /// The key's first request is still running.
    #[error("a request with this Idempotency-Key is in progress")]
    KeyInFlight,
    /// No such order (or not visible to the caller).
    #[error("order not found")]
    OrderNotFound,
    /// The cart is empty or nothing in it can be ordered.
    #[error("the cart has nothing that can be ordered")]
    CartEmpty,
    /// Something in the cart cannot be ordered now.
    #[error("an item in the cart is unavailable")]
    ItemUnavailable,
    /// The subtotal is below the merchant's minimum order.
    #[error("the order is below the merchant's minimum")]
    BelowMinimumOrder,
    /// The merchant is closed (and the order is not scheduled into its hours).
    #[error("the merchant is closed")]
    MerchantClosed,
    /// The delivery point is outside the merchant's area.
    #[error("the delivery address is outside the merchant's delivery area")]
    OutsideDeliveryArea,
    /// The cart was checked out meanwhile.
    #[error("the cart was already checked out")]
    CartClosed,
    /// The cart changed while checking out.
    #[error("the cart changed while checking out; review it and try again")]
    CartChanged,
    /// The total differs from the one the customer was shown.
    #[error("the total changed to {} minor units of {}; review the cart and try again", .0.amount_minor, .0.currency)]
    TotalChanged(Money),
    /// The move is not possible from the order's status.
    #[error("the order cannot move to that status now")]
    IllegalTransition(Vec<OrderStatus>),
    /// The caller may not make this move.
    #[error("you may not change this order that way")]
    Forbidden,
    /// Only customers check out.
    #[error("only customers place orders")]
    NotCustomer,
    /// Only the merchant's staff and admins choose an order's courier.
    #[error("only the merchant's staff and admins assign couriers")]
    AssignForbidden,
    /// A courier delivering an order cannot go offline.
    #[error("you are delivering order {0}; finish it before going offline")]
    CourierHasActiveOrder(OrderId),
    /// Only couriers go online and list their deliveries.
    #[error("only couriers may do this")]
    NotCourier,
    /// The order already has a courier or is past the point of assigning one.
    #[error("a courier cannot be assigned to this order now")]
    NotAssignable,
    /// No online courier without an active order is near the merchant.
    #[error("no courier is available near the merchant; the order will be dispatched when one is")]
    NoCourierAvailable,
    /// The chosen courier is unknown, offline or delivering another order.
    #[error("that courier is not available")]
    CourierUnavailable,
    /// Only the order's assigned courier reports its position.
    #[error("only the order's assigned courier reports its position")]
    NotAssignedCourier,
    /// The order is not in a status where its courier is tracked.
    #[error("the order is not being delivered")]
    OrderNotActive,
    /// Positions posted faster than the minimum interval.
    #[error("positions are accepted at most once per second")]
    TooFrequent,
    /// Only the customer who placed the order reviews it.
    #[error("only the customer who placed the order reviews it")]
    CustomersOnlyReview,
    /// Reviews are written once the order is delivered.
    #[error("only delivered orders can be reviewed")]
    NotDelivered,
    /// The order was reviewed already.
    #[error("this order was already reviewed")]
    AlreadyReviewed,
    /// Statistics are for merchant staff and admins.
    #[error("order statistics are for merchant staff and admins")]
    StatsForbidden,
    /// No such merchant (or not one the caller works for).
    #[error("merchant not found")]
    MerchantNotFound,
    /// A cart failure.
    #[error(transparent)]
    Cart(CartError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<CartError> for OrderError {
    fn from(err: CartError) -> Self {
        match err {
            CartError::Invalid(errors) => Self::Invalid(errors),
            CartError::NotCustomer => Self::NotCustomer,
            CartError::Store(err) => Self::Store(err),
            other => Self::Cart(other),
        }
    }
}

impl From<crate::catalog::CatalogError> for OrderError {
    fn from(err: crate::catalog::CatalogError) -> Self {
        Self::Cart(err.into())
    }
}

impl DomainError for OrderError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) | Self::KeyReused | Self::OutsideDeliveryArea => ErrorKind::Validation,
            Self::KeyRequired => ErrorKind::Validation,
            Self::KeyInFlight
            | Self::CartEmpty
            | Self::ItemUnavailable
            | Self::BelowMinimumOrder
            | Self::MerchantClosed
            | Self::CartClosed
            | Self::CartChanged
            | Self::TotalChanged(_)
            | Self::IllegalTransition(_)
            | Self::NotAssignable
            | Self::CourierHasActiveOrder(_)
            | Self::NoCourierAvailable
            | Self::CourierUnavailable
            | Self::OrderNotActive
            | Self::NotDelivered
            | Self::AlreadyReviewed => ErrorKind::Conflict,
            Self::OrderNotFound | Self::MerchantNotFound => ErrorKind::NotFound,
            Self::Forbidden
            | Self::NotCustomer
            | Self::NotCourier
            | Self::AssignForbidden
            | Self::NotAssignedCourier
            | Self::CustomersOnlyReview
            | Self::StatsForbidden => ErrorKind::Forbidden,
            Self::TooFrequent => ErrorKind::TooManyRequests,
            Self::Cart(err) => err.kind(),
            Self::Store(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "validation.failed",
            Self::KeyRequired => "idempotency.key_required",
            Self::KeyReused => "idempotency.key_reused",
            Self::KeyInFlight => "idempotency.in_progress",
            Self::OrderNotFound => "orders.not_found",
            Self::CartEmpty => "checkout.cart_empty",
            Self::ItemUnavailable => "checkout.item_unavailable",
            Self::BelowMinimumOrder => "checkout.below_minimum_order",
            Self::MerchantClosed => "checkout.merchant_closed",
            Self::OutsideDeliveryArea => "checkout.outside_delivery_area",
            Self::CartClosed => "checkout.cart_closed",
            Self::CartChanged => "checkout.cart_changed",
            Self::TotalChanged(_) => "checkout.total_changed",
            Self::IllegalTransition(_) => "orders.illegal_transition",
            Self::Forbidden => "orders.forbidden_transition",
            Self::NotCustomer => "orders.customers_only",
            Self::NotCourier => "couriers.couriers_only",
            Self::CourierHasActiveOrder(_) => "couriers.has_active_order",
            Self::AssignForbidden => "couriers.assign_forbidden",
            Self::NotAssignable => "orders.not_assignable",
            Self::NoCourierAvailable => "couriers.none_available",
            Self::CourierUnavailable => "couriers.unavailable",
            Self::NotAssignedCourier => "tracking.not_assigned_courier",
            Self::OrderNotActive => "tracking.order_not_active",
            Self::TooFrequent => "tracking.too_frequent",
            Self::CustomersOnlyReview => "reviews.customers_only",
            Self::NotDelivered => "reviews.not_delivered",
            Self::AlreadyReviewed => "reviews.already_reviewed",
            Self::StatsForbidden => "orders.stats_forbidden",
            Self::MerchantNotFound => "merchants.not_found",
            Self::Cart(err) => err.code(),
            Self::Store(_) => "internal",
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => &errors.0,
            Self::Cart(err) => err.field_errors(),
            _ => &[],
        }
    }

    fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Self::TooFrequent => Some(std::time::Duration::from_secs(1)),
            _ => None,
        }
    }
}

impl OrderError {
    /// The statuses the caller could move the order to, for `IllegalTransition`.
    #[must_use]
    pub fn allowed_next(&self) -> &[OrderStatus] {
        match self {
            Self::IllegalTransition(allowed) => allowed,
            _ => &[],
        }
    }
}

type Result<T, E = OrderError> = std::result::Result<T, E>;

/// The ports orders need besides carts and the catalog.
#[derive(Clone)]
pub struct OrderPorts {
    /// Orders.
    pub orders: Arc<dyn OrderStore>,
    /// Couriers, assignments and positions.
    pub couriers: Arc<dyn super::fulfilment::CourierStore>,
    /// Reviews and statistics.
    pub insights: Arc<dyn super::insights::InsightStore>,
    /// Saved addresses (identity).
    pub addresses: Arc<dyn AddressStore>,
    /// Users (the contact phone of a saved address).
    pub users: Arc<dyn UserStore>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// Order use cases.
#[derive(Clone)]
pub struct OrderService {
    pub(super) ports: OrderPorts,
    carts: CartService,
    pub(super) catalog: CatalogService,
}

impl OrderService {
    /// Builds the service.
    #[must_use]
    pub fn new(ports: OrderPorts, carts: CartService, catalog: CatalogService) -> Self {
        Self {
            ports,
            carts,
            catalog,
        }
    }

    /// Checks a cart out into an order. Idempotent by `key`: once a key placed an order, the
    /// same request with it answers that order again without placing another, and a
    /// different request with it is refused (422). The key is stored by the statement that
    /// stores the order, so a request that fails leaves no trace of it, and of concurrent
    /// requests with one key exactly one places the order while the others answer it.
    ///
    /// # Errors
    /// `KeyRequired`, `KeyReused`, `Invalid`, the checkout conflicts (`CartEmpty`,
    /// `ItemUnavailable`, `BelowMinimumOrder`, `MerchantClosed`, `CartClosed`,
    /// `CartChanged`, `TotalChanged`), `OutsideDeliveryArea`, `NotCustomer`; `KeyInFlight`
    /// for a key an earlier version holds.
    pub async fn checkout(
        &self,
        principal: &Principal,
        key: Option<&str>,
        request: CheckoutRequest,
    ) -> Result<Order> {
        if !principal.has_role(Role::Customer) {
            return Err(OrderError::NotCustomer);
        }
        let key = match key.map(str::trim) {
            Some(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
                k.to_owned()
            }
            _ => return Err(OrderError::KeyRequired),
        };
        let key = IdempotencyKey {
            customer: principal.user_id,
            key,
            fingerprint: serde_json::to_string(&request).unwrap_or_default(),
        };
        // The first attempt goes straight at the order: a repeated request fails on its
        // closed cart (or on the key itself), and only then is the key asked what it knows —
        // as of the same instant, so that a key the placement found alive is found again.
        let now = self.ports.clock.now();
        let failure = match self.place(principal, request, &key, now).await {
            Ok(order) => return Ok(order),
            // An internal failure (storage) says nothing of the key: the request may simply
            // be retried.
            Err(err) if err.kind() == ErrorKind::Internal => return Err(err),
            Err(err) => err,
        };
        match self.ports.orders.known_key(&key, now).await? {
            None => Err(failure),
            Some(KnownKey::Replay(response)) => serde_json::from_value(response).map_err(|e| {
                OrderError::Store(StoreError::Backend(format!(
                    "stored response unreadable: {e}"
                )))
            }),
            Some(KnownKey::InFlight) => Err(OrderError::KeyInFlight),
            Some(KnownKey::Mismatch) => Err(OrderError::KeyReused),
        }
    }

    async fn place(
        &self,
        principal: &Principal,
        request: CheckoutRequest,
        key: &IdempotencyKey,
        now: OffsetDateTime,
    ) -> Result<Order> {
        let delivery = self.delivery(principal, &request).await?;
        let point = LatLng {
            lat: delivery.lat,
            lng: delivery.lng,
        };
        let stored = self.carts.stored(principal, request.cart_id).await?;
        let revision = stored.revision;
        let (merchant, menu) = self.catalog.merchant_with_menu(stored.merchant_id).await?;
        let mut errors = ValidationErrors::default();
        if let Some(tip) = &request.tip {
            if tip.currency != merchant.merchant.currency {
                errors.add(
                    "tip.currency",
                    format!(
                        "must be {}, the merchant's currency",
                        merchant.merchant.currency
                    ),
                );
            }
            if !(0..=100_000_000).contains(&tip.amount_minor) {
                errors.add("tip.amountMinor", "must be from 0 to 100000000");
            }
        }
        if let Some(at) = request.scheduled_for
            && !(now + time::Duration::minutes(15) <= at && at <= now + time::Duration::days(7))
        {
            errors.add("scheduledFor", "must be 15 minutes to 7 days from now");
        }
        errors.into_result()?;
        // Priced once, with the merchant just read: one catalog read of each per checkout.
        let cart: Cart = self
            .carts
            .quote_stored(stored, point, request.tip.clone(), &merchant, &menu)
            .await?;
        for warning in &cart.warnings {
            match warning {
                CartWarning::ItemUnavailable { .. } => return Err(OrderError::ItemUnavailable),
                CartWarning::OutsideDeliveryArea => return Err(OrderError::OutsideDeliveryArea),
                CartWarning::BelowMinimumOrder { .. } => return Err(OrderError::BelowMinimumOrder),
                CartWarning::MerchantClosed { .. } => {
                    let opens_then = request.scheduled_for.is_some_and(|at| {
                        !merchant.merchant.paused
                            && open_at(&merchant.merchant.hours, &merchant.merchant.time_zone, at)
                    });
                    if !opens_then {
                        return Err(OrderError::MerchantClosed);
                    }
                }
                // The customer sees the current prices in the answer; a change is no error.
                CartWarning::PriceChanged { .. } => {}
            }
        }
        if let Some(at) = request.scheduled_for
            && !open_at(&merchant.merchant.hours, &merchant.merchant.time_zone, at)
        {
            return Err(OrderError::MerchantClosed);
        }
        let summary = cart.summary.clone().ok_or(OrderError::CartEmpty)?;
        if let Some(expected) = &request.expected_total
            && *expected != summary.total
        {
            return Err(OrderError::TotalChanged(summary.total));
        }
        let status = match request.payment_method {
            PaymentChoice::Keyword(PaymentKeyword::Cash) => OrderStatus::Placed,
            PaymentChoice::Card(_) => OrderStatus::PendingPayment,
        };
        let order = Order {
            id: OrderId::new(),
            customer_id: principal.user_id,
            merchant_id: cart.merchant_id,
            merchant_name: cart.merchant_name.clone(),
            status,
            items: cart
                .lines
                .iter()
                .filter(|l| l.available)
                .map(|l| OrderItem {
                    menu_item_id: l.menu_item_id,
                    name: l.name.clone(),
                    quantity: l.quantity,
                    options: l.options.clone(),
                    unit_price: l.unit_price.clone(),
                    tax_class: l.tax_class,
                    line_total: l.line_total.clone(),
                    note: l.note.clone(),
                })
                .collect(),
            delivery,
            payment_method: request.payment_method.clone(),
            summary,
            scheduled_for: request.scheduled_for,
            courier_id: None,
            created_at: now,
            updated_at: now,
        };
        let first = StatusChange {
            status,
            actor: "customer".to_owned(),
            actor_id: Some(principal.user_id),
            reason: None,
            at: now,
        };
        let event = OutboxEvent::new(
            DomainEvent::OrderPlaced {
                order_id: order.id,
                customer_id: order.customer_id,
                merchant_id: order.merchant_id,
                status: status.as_str().to_owned(),
                total: order.summary.total.clone(),
            },
            now,
        );
        let response =
            serde_json::to_value(&order).map_err(|e| StoreError::Backend(e.to_string()))?;
        let placement = Placement {
            order,
            first,
            cart: request.cart_id,
            cart_version: revision,
            events: vec![event],
            key: key.clone(),
            response,
        };
        match self.ports.orders.place_order(&placement).await? {
            Placed::Placed => Ok(placement.order),
            Placed::CartNotOpen => Err(OrderError::CartClosed),
            Placed::CartChanged => Err(OrderError::CartChanged),
            // Answered by what the key says (see `checkout`).
            Placed::KeyTaken => Err(OrderError::KeyInFlight),
        }
    }

    async fn delivery(
        &self,
        principal: &Principal,
        request: &CheckoutRequest,
    ) -> Result<DeliveryDetails> {
        let mut errors = ValidationErrors::default();
        let details = match (&request.delivery_address_id, &request.delivery) {
            (Some(id), None) => {
                let address = self
                    .ports
                    .addresses
                    .list_addresses(principal.user_id)
                    .await?
                    .into_iter()
                    .find(|a| a.id == *id);
                let phone = self
                    .ports
                    .users
                    .get_user(principal.user_id)
                    .await?
                    .and_then(|u| u.phone);
                match (address, phone) {
                    (Some(a), Some(phone)) => Some(DeliveryDetails {
                        address: [
                            Some(a.line1),
                            a.line2,
                            a.postal_code
                                .map(|p| format!("{p} {}", a.city))
                                .or(Some(a.city)),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", "),
                        lat: a.lat,
                        lng: a.lng,
                        instructions: a.instructions,
                        contact_phone: phone,
                    }),
                    (None, _) => {
                        errors.add("deliveryAddressId", "is not one of your saved addresses");
                        None
                    }
                    (Some(_), None) => {
                        errors.add("deliveryAddressId", "needs a phone number on your profile for the courier; or give delivery");
                        None
                    }
                }
            }
            (None, Some(d)) => {
                if d.address.trim().is_empty() || d.address.chars().count() > 300 {
                    errors.add("delivery.address", "must be 1 to 300 characters");
                }
                crate::geo::check_point_fields(&mut errors, "delivery.", d.lat, d.lng);
                if d.instructions
                    .as_ref()
                    .is_some_and(|i| i.chars().count() > 500)
                {
                    errors.add("delivery.instructions", "must be at most 500 characters");
                }
                match crate::identity::parse_phone(Some(&d.contact_phone)) {
                    Ok(Some(phone)) => Some(DeliveryDetails {
                        contact_phone: phone,
                        address: d.address.trim().to_owned(),
                        ..d.clone()
                    }),
                    _ => {
                        errors.add(
                            "delivery.contactPhone",
                            "must be a phone number in international form such as +4930123456",
                        );
                        None
                    }
                }
            }
            (Some(_), Some(_)) | (None, None) => {
                errors.add(
                    "deliveryAddressId",
                    "give exactly one of deliveryAddressId and delivery",
                );
                None
            }
        };
        errors.into_result()?;
        details.ok_or(OrderError::Invalid(ValidationErrors::default()))
    }

    /// Puts the order's items that can still be ordered (available, options still valid)
    /// into the customer's open cart at the order's merchant — created if there is none,
    /// added to if there is. Only the order's customer may reorder. Items that cannot be
    /// added are skipped; the returned cart shows what came back.
    ///
    /// # Errors
    /// `OrderNotFound` for anybody else; `NotCustomer`; merchant or cart failures.
    pub async fn reorder(&self, principal: &Principal, id: OrderId) -> Result<Cart> {
        let order = self
            .ports
            .orders
            .order(id)
            .await?
            .ok_or(OrderError::OrderNotFound)?;
        if order.customer_id != principal.user_id {
            return Err(OrderError::OrderNotFound);
        }
        let (mut cart, _) = self
            .carts
            .open(
                principal,
                super::cart::CreateCart {
                    merchant_id: order.merchant_id,
                },
            )
            .await?;
        for item in &order.items {
            let request = super::cart::AddCartItem {
                menu_item_id: item.menu_item_id,
                quantity: item.quantity,
                options: item.options.iter().map(|o| o.id).collect(),
                note: item.note.clone(),
            };
            match self.carts.add_item(principal, cart.id, request).await {
                Ok(updated) => cart = updated,
                // Gone from the menu, sold out, options changed, cart full: skip the item.
                Err(
                    CartError::ItemNotOnMenu
                    | CartError::ItemUnavailable
                    | CartError::TooManyLines
                    | CartError::Invalid(_),
                ) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Ok(cart)
    }

    /// An order, to those who may see it: its customer, its merchant's staff, its courier,
    /// admins. Everyone else gets `OrderNotFound`.
    ///
    /// # Errors
    /// `OrderNotFound`.
    pub async fn order(&self, principal: &Principal, id: OrderId) -> Result<Order> {
        Ok(self.order_with_actor(principal, id).await?.0)
    }

    /// The order and how the caller relates to it; `OrderNotFound` when not at all.
    pub(super) async fn order_with_actor(
        &self,
        principal: &Principal,
        id: OrderId,
    ) -> Result<(Order, Actor)> {
        let order = self
            .ports
            .orders
            .order(id)
            .await?
            .ok_or(OrderError::OrderNotFound)?;
        match actor_of(principal, &order) {
            Some(actor) => Ok((order, actor)),
            None => Err(OrderError::OrderNotFound),
        }
    }

    /// A customer's orders, newest first: the customer themself or an admin.
    ///
    /// # Errors
    /// `OrderNotFound` for anybody else (the user's orders are not revealed); `Invalid`.
    pub async fn orders_of(
        &self,
        principal: &Principal,
        user: UserId,
        params: OrderListParams,
    ) -> Result<Page<Order>> {
        if principal.user_id != user && !principal.is_admin() {
            return Err(OrderError::OrderNotFound);
        }
        let limit = order_page_size(params.limit)?;
        self.check_cursor(params.cursor, |o| o.customer_id == user)
            .await?;
        let orders = self
            .ports
            .orders
            .orders_of(user, params.status, params.cursor, limit + 1)
            .await?;
        Ok(order_page(orders, limit))
    }

    /// `Invalid` unless `cursor` (when given) is an order `belongs` to the listing.
    pub(super) async fn check_cursor(
        &self,
        cursor: Option<OrderId>,
        belongs: impl Fn(&Order) -> bool + Send,
    ) -> Result<()> {
        if let Some(cursor) = cursor {
            let listed = self
                .ports
                .orders
                .order(cursor)
                .await?
                .is_some_and(|o| belongs(&o));
            if !listed {
                return Err(field("cursor", "is not a cursor from this listing"));
            }
        }
        Ok(())
    }

    /// An order's status timeline.
    ///
    /// # Errors
    /// `OrderNotFound`.
    pub async fn history(&self, principal: &Principal, id: OrderId) -> Result<Vec<StatusChange>> {
        self.order(principal, id).await?;
        Ok(self.ports.orders.history(id).await?)
    }

    /// Moves an order to another status, as the lifecycle allows this caller.
    ///
    /// # Errors
    /// `OrderNotFound`, `IllegalTransition` (with the allowed next statuses), `Forbidden`,
    /// `Invalid` (a missing or unexpected reason).
    pub async fn update_status(
        &self,
        principal: &Principal,
        id: OrderId,
        update: StatusUpdate,
    ) -> Result<Order> {
        match OrderEvent::leading_to(update.status, update.reason) {
            Ok(event) => self.apply(principal, id, &event).await,
            Err(StatusRequestError::MissingReason) => Err(field("reason", "is required to cancel")),
            Err(StatusRequestError::UnexpectedReason) => {
                Err(field("reason", "is only given when cancelling"))
            }
            Err(StatusRequestError::Unreachable(_)) => {
                // No event leads there; answer from the order's status, once we know the
                // caller may see the order at all.
                let order = self
                    .ports
                    .orders
                    .order(id)
                    .await?
                    .ok_or(OrderError::OrderNotFound)?;
                let actor = actor_of(principal, &order).ok_or(OrderError::OrderNotFound)?;
                Err(OrderError::IllegalTransition(
                    super::lifecycle::allowed_next(order.status, &actor),
                ))
            }
        }
    }

    /// Cancels an order, as the lifecycle allows this caller.
    ///
    /// # Errors
    /// As [`OrderService::update_status`].
    pub async fn cancel(
        &self,
        principal: &Principal,
        id: OrderId,
        request: CancelRequest,
    ) -> Result<Order> {
        self.apply(principal, id, &OrderEvent::Cancel(request.reason))
            .await
    }

    async fn apply(&self, principal: &Principal, id: OrderId, event: &OrderEvent) -> Result<Order> {
        let order = self
            .ports
            .orders
            .order(id)
            .await?
            .ok_or(OrderError::OrderNotFound)?;
        let actor = actor_of(principal, &order).ok_or(OrderError::OrderNotFound)?;
        let next = transition(order.status, &actor, event).map_err(|err| match err {
            TransitionError::NotAllowed { allowed } => OrderError::IllegalTransition(allowed),
            TransitionError::Forbidden => OrderError::Forbidden,
            TransitionError::ReasonNotAllowed { allowed, .. } => field(
                "reason",
                &format!(
                    "must be one of: {}",
                    allowed
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        })?;
        let now = self.ports.clock.now();
        let reason = match event {
            OrderEvent::Cancel(reason) => Some(*reason),
            _ => None,
        };
        let change = StatusChange {
            status: next,
            actor: actor_name(&actor).to_owned(),
            actor_id: Some(principal.user_id),
            reason,
            at: now,
        };
        let event = OutboxEvent::new(
            DomainEvent::OrderStatusChanged {
                order_id: order.id,
                customer_id: order.customer_id,
                merchant_id: order.merchant_id,
                from: order.status.as_str().to_owned(),
                to: next.as_str().to_owned(),
                reason: reason.map(|r| r.as_str().to_owned()),
            },
            now,
        );
        if !self
            .ports
            .orders
            .change_status(id, order.status, &change, std::slice::from_ref(&event))
            .await?
        {
            // Somebody else moved it first: decide again from the status that won.
            let current = self
                .ports
                .orders
                .order(id)
                .await?
                .ok_or(OrderError::OrderNotFound)?;
            return Err(OrderError::IllegalTransition(
                super::lifecycle::allowed_next(current.status, &actor),
            ));
        }
        let moved = Order {
            status: next,
            updated_at: now,
            ..order
        };
        if next == OrderStatus::ReadyForPickup && moved.courier_id.is_none() {
            let courier_id = self.dispatch_now(&moved).await;
            return Ok(Order {
                courier_id,
                ..moved
            });
        }
        Ok(moved)
    }
}

/// The page size of an order listing: 1–[`MAX_ORDER_PAGE`], 20 by default.
pub(super) fn order_page_size(limit: Option<u32>) -> Result<u32> {
    let limit = limit.unwrap_or(20);
    if (1..=MAX_ORDER_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(field(
            "limit",
            &format!("must be from 1 to {MAX_ORDER_PAGE}"),
        ))
    }
}

/// A page of orders fetched with one row more than `limit`: that row only tells that a
/// next page exists.
pub(super) fn order_page(mut orders: Vec<Order>, limit: u32) -> Page<Order> {
    let next_cursor = if orders.len() > limit as usize {
        orders.truncate(limit as usize);
        orders.last().map(|o| o.id.to_string())
    } else {
        None
    };
    Page {
        items: orders,
        next_cursor,
    }
}

pub(super) fn field(name: &str, message: &str) -> OrderError {
    let mut errors = ValidationErrors::default();
    errors.add(name, message);
    OrderError::Invalid(errors)
}

/// Whether a merchant with `hours` in `time_zone` is open at `at`.
fn open_at(hours: &OpeningHours, time_zone: &str, at: OffsetDateTime) -> bool {
    match (jiff::tz::TimeZone::get(time_zone), to_timestamp(at)) {
        (Ok(tz), Some(at)) => hours.is_open_at(&tz, at),
        _ => false,
    }
}

/// How the principal relates to the order, if at all (admin first).
fn actor_of(principal: &Principal, order: &Order) -> Option<Actor> {
    if principal.is_admin() {
        Some(Actor::Admin)
    } else if principal.user_id == order.customer_id {
        Some(Actor::Customer)
    } else if principal.acts_for_merchant(order.merchant_id) {
        Some(Actor::MerchantStaff)
    } else if principal.has_role(Role::Courier) && order.courier_id == Some(principal.user_id) {
        Some(Actor::Courier { assigned: true })
    } else {
        None
    }
}

fn actor_name(actor: &Actor) -> &'static str {
    match actor {
        Actor::Customer => "customer",
        Actor::MerchantStaff => "merchant_staff",
        Actor::Courier { .. } => "courier",
        Actor::Admin => "admin",
        Actor::System => "system",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SessionId;

    fn principal(roles: &[Role], merchants: &[MerchantId]) -> Principal {
        Principal {
            user_id: UserId::new(),
            session_id: SessionId::new(),
            roles: roles.to_vec(),
            merchant_ids: merchants.to_vec(),
        }
    }

    fn order(customer: UserId, merchant: MerchantId, courier: Option<UserId>) -> Order {
        let summary: PriceSummary = serde_json::from_value(serde_json::json!({
            "lines": [], "subtotal": {"amountMinor": 0, "currency": "EUR"},
            "deliveryFee": {"amountMinor": 0, "currency": "EUR"},
            "serviceFee": {"amountMinor": 0, "currency": "EUR"},
            "smallOrderFee": {"amountMinor": 0, "currency": "EUR"},
            "discount": {"amountMinor": 0, "currency": "EUR"},
            "tip": {"amountMinor": 0, "currency": "EUR"},
            "tax": {"amountMinor": 0, "currency": "EUR"},
            "taxIncluded": true, "taxBreakdown": [],
            "total": {"amountMinor": 0, "currency": "EUR"}
        }))
        .expect("summary");
        Order {
            id: OrderId::new(),
            customer_id: customer,
            merchant_id: merchant,
            merchant_name: "Pizzeria".to_owned(),
            status: OrderStatus::Placed,
            items: Vec::new(),
            delivery: DeliveryDetails {
                address: "Street 1".to_owned(),
                lat: 52.5,
                lng: 13.4,
                instructions: None,
                contact_phone: "+4930123456".to_owned(),
            },
            payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
            summary,
            scheduled_for: None,
            courier_id: courier,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_customer_who_ordered_acts_as_customer() {
        let customer = principal(&[Role::Customer], &[]);
        let o = order(customer.user_id, MerchantId::new(), None);
        assert_eq!(actor_of(&customer, &o), Some(Actor::Customer));
    }

    #[test]
    fn another_customer_has_no_relation_to_the_order() {
        let other = principal(&[Role::Customer], &[]);
        let o = order(UserId::new(), MerchantId::new(), None);
        assert_eq!(actor_of(&other, &o), None);
    }

    #[test]
    fn staff_of_the_orders_merchant_act_as_merchant_staff_and_others_not() {
        let merchant = MerchantId::new();
        let o = order(UserId::new(), merchant, None);
        assert_eq!(
            actor_of(&principal(&[Role::MerchantStaff], &[merchant]), &o),
            Some(Actor::MerchantStaff)
        );
        assert_eq!(
            actor_of(&principal(&[Role::MerchantStaff], &[MerchantId::new()]), &o),
            None
        );
    }

    #[test]
    fn only_the_assigned_courier_relates_to_the_order() {
        let courier = principal(&[Role::Courier], &[]);
        let assigned = order(UserId::new(), MerchantId::new(), Some(courier.user_id));
        let unassigned = order(UserId::new(), MerchantId::new(), Some(UserId::new()));
        assert_eq!(
            actor_of(&courier, &assigned),
            Some(Actor::Courier { assigned: true })
        );
        assert_eq!(actor_of(&courier, &unassigned), None);
    }

    #[test]
    fn admins_act_as_admin_on_any_order() {
        let o = order(UserId::new(), MerchantId::new(), None);
        assert_eq!(
            actor_of(&principal(&[Role::Admin], &[]), &o),
            Some(Actor::Admin)
        );
    }

    #[test]
    fn payment_choices_read_the_wire_forms() {
        let cash: PaymentChoice = serde_json::from_str("\"cash\"").expect("cash");
        let card: PaymentChoice = serde_json::from_str("{\"id\":\"pm_1\"}").expect("card");
        assert_eq!(cash, PaymentChoice::Keyword(PaymentKeyword::Cash));
        assert_eq!(
            card,
            PaymentChoice::Card(CardReference {
                id: "pm_1".to_owned()
            })
        );
        assert!(serde_json::from_str::<PaymentChoice>("\"bitcoin\"").is_err());
    }
}
