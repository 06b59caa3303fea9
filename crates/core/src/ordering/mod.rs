//! Ordering (the requirements' "Order Service"): carts, orders and their lifecycle.
//!
//! The [lifecycle](transition) is pure: one function of (status, actor, event) decides every
//! status change, so the HTTP handlers, the payment webhooks and the timeout sweeper cannot
//! disagree about who may move an order where.

mod cart;
mod fulfilment;
mod insights;
mod lifecycle;
mod order;
#[cfg(test)]
mod use_case_tests;

pub use cart::*;
pub use fulfilment::*;
pub use insights::*;
pub use order::*;

pub use lifecycle::{
    Actor, CancelReason, OrderEvent, OrderStatus, StatusRequestError, TransitionError,
    allowed_next, cancel_reasons, transition,
};
