//! Ordering's errors: what can go wrong with a cart or an order, each with its stable code.

use super::lifecycle::*;
use crate::catalog::CatalogError;
use crate::error::{DomainError, ErrorKind, Extensions, FieldError, StoreError, ValidationErrors};
use crate::ids::OrderId;
use crate::money::Money;

/// Failures of cart use cases.
#[derive(Debug, thiserror::Error)]
pub enum CartError {
    /// Fields failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// No such cart (or not the caller's).
    #[error("cart not found")]
    CartNotFound,
    /// No such line in the cart.
    #[error("cart line not found")]
    LineNotFound,
    /// The merchant does not exist.
    #[error("merchant not found")]
    MerchantNotFound,
    /// The item is not on this merchant's menu.
    #[error("the item is not on this merchant's menu")]
    ItemNotOnMenu,
    /// The item or a chosen option cannot be ordered now.
    #[error("the item or one of its options is unavailable")]
    ItemUnavailable,
    /// The cart is full.
    #[error("a cart holds at most 50 lines")]
    TooManyLines,
    /// Only customers have carts.
    #[error("only customers have carts")]
    NotCustomer,
    /// Catalog failure.
    #[error(transparent)]
    Catalog(CatalogError),
    /// Storage failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Pricing failed (a catalog inconsistency).
    #[error("the cart could not be priced: {0}")]
    Pricing(String),
}

impl From<CatalogError> for CartError {
    fn from(err: CatalogError) -> Self {
        match err {
            CatalogError::MerchantNotFound => Self::MerchantNotFound,
            other => Self::Catalog(other),
        }
    }
}

impl DomainError for CartError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) | Self::ItemNotOnMenu => ErrorKind::Validation,
            Self::CartNotFound | Self::LineNotFound | Self::MerchantNotFound => ErrorKind::NotFound,
            Self::ItemUnavailable | Self::TooManyLines => ErrorKind::Conflict,
            Self::NotCustomer => ErrorKind::Forbidden,
            Self::Catalog(err) => err.kind(),
            Self::Store(_) | Self::Pricing(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "validation.failed",
            Self::CartNotFound => "cart.not_found",
            Self::LineNotFound => "cart.line_not_found",
            Self::MerchantNotFound => "merchants.not_found",
            Self::ItemNotOnMenu => "cart.item_not_on_menu",
            Self::ItemUnavailable => "cart.item_unavailable",
            Self::TooManyLines => "cart.too_many_lines",
            Self::NotCustomer => "cart.customers_only",
            Self::Catalog(err) => err.code(),
            Self::Store(_) | Self::Pricing(_) => "internal",
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => &errors.0,
            Self::Catalog(err) => err.field_errors(),
            _ => &[],
        }
    }
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
    /// A merchant's orders are for its staff and admins.
    #[error("a merchant's orders are for its staff and admins")]
    StaffOnly,
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
            // The IETF idempotency-key draft: a missing key is 400 (a reused one 422, a
            // concurrent one 409).
            Self::KeyRequired => ErrorKind::BadRequest,
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
            | Self::StatsForbidden
            | Self::StaffOnly => ErrorKind::Forbidden,
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
            Self::StaffOnly => "orders.staff_only",
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

    /// An illegal transition names the statuses the caller could move the order to from
    /// where it is now (`allowedNext`, empty when none).
    fn extensions(&self) -> Extensions {
        let mut members = Extensions::new();
        if let Self::IllegalTransition(allowed) = self {
            members.insert(
                ALLOWED_NEXT.to_owned(),
                serde_json::to_value(allowed).unwrap_or_default(),
            );
        }
        members
    }
}

/// The problem member naming where an order could move instead of an illegal transition.
pub const ALLOWED_NEXT: &str = "allowedNext";

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
