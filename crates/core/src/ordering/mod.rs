//! Ordering (the requirements' "Order Service"): carts, checkout, orders and their
//! lifecycle, fulfilment (couriers, dispatch, tracking, live updates) and insights
//! (reviews, statistics).
//!
//! The shape is every context's: [`model`](self) wire types, ports, errors, and one file
//! per use-case group. Dependencies run one way: `lifecycle` and `model` ← `ports` ←
//! `error` ← `carts` ← `service` (the order service and what its groups share) ←
//! `checkout`, `orders`, `fulfilment`, `insights`, which never import each other.
//!
//! The [lifecycle](transition) is pure: one function of (status, actor, event) decides every
//! status change, so the HTTP handlers, the payment webhooks and the timeout sweeper cannot
//! disagree about who may move an order where.

mod carts;
mod checkout;
mod error;
mod fulfilment;
mod insights;
mod lifecycle;
mod model;
mod orders;
mod ports;
mod service;
#[cfg(test)]
mod use_case_tests;

pub use carts::CartService;
pub use error::{ALLOWED_NEXT, CartError, OrderError};
pub use fulfilment::*;
pub use insights::*;
pub use lifecycle::{
    Actor, ActorKind, CancelReason, OrderEvent, OrderStatus, StatusRequestError, TransitionError,
    allowed_next, cancel_reasons, transition,
};
pub use model::*;
pub use ports::*;
pub use service::OrderService;
