//! Ordering (the requirements' "Order Service"): carts, orders and their lifecycle.
//!
//! The [lifecycle](transition) is pure: one function of (status, actor, event) decides every
//! status change, so the HTTP handlers, the payment webhooks and the timeout sweeper cannot
//! disagree about who may move an order where.

mod cart;
mod lifecycle;
mod order;

pub use cart::*;
pub use order::*;

pub use lifecycle::{
    Actor, CancelReason, OrderEvent, OrderStatus, StatusRequestError, TransitionError,
    allowed_next, cancel_reasons, transition,
};
