//! The order lifecycle: the statuses an order moves through, who may move it, and the one
//! pure function, [`transition`], that decides every move.
//!
//! ```text
//! pending_payment → placed → accepted → preparing → ready_for_pickup → picked_up → delivered
//! ```
//!
//! plus `cancelled`, reachable from every status before `delivered`. `delivered` and
//! `cancelled` are terminal: nothing leaves them, and no move skips a step of the main line.
//!
//! # Who may do what
//!
//! Moves along the main line:
//!
//! | event              | from → to                        | who may                 |
//! |--------------------|----------------------------------|-------------------------|
//! | `PaymentConfirmed` | `pending_payment` → `placed`     | System                  |
//! | `Accept`           | `placed` → `accepted`            | MerchantStaff, Admin    |
//! | `StartPreparing`   | `accepted` → `preparing`         | MerchantStaff, Admin    |
//! | `MarkReady`        | `preparing` → `ready_for_pickup` | MerchantStaff, Admin    |
//! | `PickUp`           | `ready_for_pickup` → `picked_up` | assigned Courier, Admin |
//! | `Deliver`          | `picked_up` → `delivered`        | assigned Courier, Admin |
//!
//! Cancellation, `Cancel(reason)` → `cancelled`:
//!
//! | who           | from                              | with reasons                                                        |
//! |---------------|-----------------------------------|---------------------------------------------------------------------|
//! | Customer      | `pending_payment`, `placed`       | `customer_changed_mind`, `other`                                    |
//! | MerchantStaff | `placed`, `accepted`, `preparing` | `merchant_rejected`, `merchant_closed`, `item_unavailable`, `other` |
//! | System        | `pending_payment`                 | `payment_failed`, `payment_timeout`                                 |
//! | System        | `placed`                          | `acceptance_timeout`                                                |
//! | Courier       | never                             | —                                                                   |
//! | Admin         | any non-terminal status           | any                                                                 |
//!
//! Why these rules:
//! - Only the system confirms payment: that is the payment context's verdict (a gateway
//!   webhook or a synchronous capture). An admin flipping it by hand would place an unpaid
//!   order, so admins have no override here.
//! - The customer may cancel until the merchant accepts. After that food is being made, and
//!   cancelling is a support matter (an admin).
//! - The system cancels only what automation knows for certain: a payment that failed or
//!   never completed, and a paid order that no merchant accepted in time. Once the merchant
//!   has committed to an order, a person (the merchant or an admin) decides.
//! - Couriers never cancel. A courier who cannot deliver hands the order back through
//!   support, which reassigns it or cancels it (`courier_unavailable`).
//! - Each reason speaks for the party that gives it, so the refund policy can trust the
//!   reason. An admin may record any reason, because support acts on somebody's behalf.
//!
//! # Outcomes
//!
//! [`transition`] checks, in this order:
//! 1. Does the move exist from the current status at all? If not, the result is
//!    [`TransitionError::NotAllowed`] (HTTP 409). It carries [`allowed_next`] for *this
//!    actor*: the statuses this caller could move the order to, so a client can offer exactly
//!    those. It does not list the moves that only somebody else could make.
//! 2. May this actor make the move? If not, the result is [`TransitionError::Forbidden`]
//!    (HTTP 403).
//! 3. For a cancellation, may this actor give this reason from this status? If not, the
//!    result is [`TransitionError::ReasonNotAllowed`] (HTTP 422 on `reason`). It carries the
//!    reasons the actor could give instead.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an order is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Checked out; waiting for the payment to succeed.
    PendingPayment,
    /// Paid; waiting for the merchant to accept.
    Placed,
    /// The merchant has accepted the order.
    Accepted,
    /// The merchant is preparing the order.
    Preparing,
    /// Prepared; waiting for the courier.
    ReadyForPickup,
    /// The courier has the order.
    PickedUp,
    /// Handed to the customer. Terminal.
    Delivered,
    /// Cancelled with a [`CancelReason`]. Terminal.
    Cancelled,
}

impl OrderStatus {
    /// Every status: the main line in order, then `cancelled`.
    pub const ALL: [Self; 8] = [
        Self::PendingPayment,
        Self::Placed,
        Self::Accepted,
        Self::Preparing,
        Self::ReadyForPickup,
        Self::PickedUp,
        Self::Delivered,
        Self::Cancelled,
    ];

    /// The status's stable name, as stored and serialized.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Placed => "placed",
            Self::Accepted => "accepted",
            Self::Preparing => "preparing",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::PickedUp => "picked_up",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a stable name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the order's lifecycle is over: nothing moves it any more.
    #[must_use]
    pub fn is_terminal(self) -> bool {
        match self {
            Self::Delivered | Self::Cancelled => true,
            Self::PendingPayment
            | Self::Placed
            | Self::Accepted
            | Self::Preparing
            | Self::ReadyForPickup
            | Self::PickedUp => false,
        }
    }
}

/// Why an order was cancelled: a stable code that is stored with the order and drives the
/// refund policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// The customer no longer wants the order.
    CustomerChangedMind,
    /// The merchant declined the order.
    MerchantRejected,
    /// The merchant is closed or cannot take orders now.
    MerchantClosed,
    /// An ordered item is not available.
    ItemUnavailable,
    /// The payment was declined or failed.
    PaymentFailed,
    /// The payment was not completed in time.
    PaymentTimeout,
    /// The merchant did not accept the paid order in time.
    AcceptanceTimeout,
    /// No courier could take the order.
    CourierUnavailable,
    /// Support cancelled the order.
    AdminIntervention,
    /// None of the above; the details are kept elsewhere.
    Other,
}

impl CancelReason {
    /// Every reason.
    pub const ALL: [Self; 10] = [
        Self::CustomerChangedMind,
        Self::MerchantRejected,
        Self::MerchantClosed,
        Self::ItemUnavailable,
        Self::PaymentFailed,
        Self::PaymentTimeout,
        Self::AcceptanceTimeout,
        Self::CourierUnavailable,
        Self::AdminIntervention,
        Self::Other,
    ];

    /// The reason's stable code, as stored and serialized.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CustomerChangedMind => "customer_changed_mind",
            Self::MerchantRejected => "merchant_rejected",
            Self::MerchantClosed => "merchant_closed",
            Self::ItemUnavailable => "item_unavailable",
            Self::PaymentFailed => "payment_failed",
            Self::PaymentTimeout => "payment_timeout",
            Self::AcceptanceTimeout => "acceptance_timeout",
            Self::CourierUnavailable => "courier_unavailable",
            Self::AdminIntervention => "admin_intervention",
            Self::Other => "other",
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == code)
    }
}

/// Who is acting on an order, as far as the lifecycle is concerned.
///
/// The use case derives it from the principal *and the order*: `Customer` is the order's own
/// customer, `MerchantStaff` works for the order's merchant, `Courier { assigned }` says
/// whether the acting courier is the one assigned to this order. Ownership is an input, so
/// [`transition`] stays pure. A principal with no standing on the order never gets here (the
/// use case answers 404).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The customer who placed the order.
    Customer,
    /// Staff of the merchant the order is from.
    MerchantStaff,
    /// A courier.
    Courier {
        /// Whether this courier is the one assigned to the order.
        assigned: bool,
    },
    /// A marketplace operator.
    Admin,
    /// Mercato itself: payment outcomes, timeouts.
    System,
}

impl Actor {
    /// The kind of actor, as the order's history records it.
    #[must_use]
    pub fn kind(&self) -> ActorKind {
        match self {
            Self::Customer => ActorKind::Customer,
            Self::MerchantStaff => ActorKind::MerchantStaff,
            Self::Courier { .. } => ActorKind::Courier,
            Self::Admin => ActorKind::Admin,
            Self::System => ActorKind::System,
        }
    }
}

/// Who moved an order, as its history records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// The order's customer.
    Customer,
    /// Staff of the order's merchant.
    MerchantStaff,
    /// The order's courier.
    Courier,
    /// A marketplace operator.
    Admin,
    /// Mercato itself (payment outcomes, timeouts).
    System,
}

impl ActorKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::Customer,
        Self::MerchantStaff,
        Self::Courier,
        Self::Admin,
        Self::System,
    ];

    /// The kind's stable name, as stored and serialized.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::MerchantStaff => "merchant_staff",
            Self::Courier => "courier",
            Self::Admin => "admin",
            Self::System => "system",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for ActorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that happens to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderEvent {
    /// The payment succeeded.
    PaymentConfirmed,
    /// The merchant takes the order.
    Accept,
    /// The merchant starts preparing it.
    StartPreparing,
    /// The order is ready for the courier.
    MarkReady,
    /// The courier collects it.
    PickUp,
    /// The courier hands it to the customer.
    Deliver,
    /// The order is called off, for this reason.
    Cancel(CancelReason),
}

impl OrderEvent {
    /// The main-line events, in order.
    const ADVANCES: [Self; 6] = [
        Self::PaymentConfirmed,
        Self::Accept,
        Self::StartPreparing,
        Self::MarkReady,
        Self::PickUp,
        Self::Deliver,
    ];

    /// The status the event moves an order to, when it is allowed.
    #[must_use]
    pub fn target(self) -> OrderStatus {
        match self {
            Self::PaymentConfirmed => OrderStatus::Placed,
            Self::Accept => OrderStatus::Accepted,
            Self::StartPreparing => OrderStatus::Preparing,
            Self::MarkReady => OrderStatus::ReadyForPickup,
            Self::PickUp => OrderStatus::PickedUp,
            Self::Deliver => OrderStatus::Delivered,
            Self::Cancel(_) => OrderStatus::Cancelled,
        }
    }

    /// The event a request to move an order to `target` stands for, as in
    /// `PUT /api/orders/{id}/status {status, reason?}`.
    ///
    /// # Errors
    /// [`StatusRequestError::MissingReason`] when `target` is `cancelled` without a reason,
    /// [`StatusRequestError::UnexpectedReason`] when a reason comes with any other target, and
    /// [`StatusRequestError::Unreachable`] for `pending_payment`, which no move leads to.
    pub fn leading_to(
        target: OrderStatus,
        reason: Option<CancelReason>,
    ) -> Result<Self, StatusRequestError> {
        let event = match target {
            OrderStatus::PendingPayment => return Err(StatusRequestError::Unreachable(target)),
            OrderStatus::Placed => Self::PaymentConfirmed,
            OrderStatus::Accepted => Self::Accept,
            OrderStatus::Preparing => Self::StartPreparing,
            OrderStatus::ReadyForPickup => Self::MarkReady,
            OrderStatus::PickedUp => Self::PickUp,
            OrderStatus::Delivered => Self::Deliver,
            OrderStatus::Cancelled => {
                return reason
                    .map(Self::Cancel)
                    .ok_or(StatusRequestError::MissingReason);
            }
        };
        match reason {
            Some(_) => Err(StatusRequestError::UnexpectedReason),
            None => Ok(event),
        }
    }

    /// The only status a main-line event moves an order from; `None` for a cancellation,
    /// which applies to every non-terminal status.
    fn source(self) -> Option<OrderStatus> {
        match self {
            Self::PaymentConfirmed => Some(OrderStatus::PendingPayment),
            Self::Accept => Some(OrderStatus::Placed),
            Self::StartPreparing => Some(OrderStatus::Accepted),
            Self::MarkReady => Some(OrderStatus::Preparing),
            Self::PickUp => Some(OrderStatus::ReadyForPickup),
            Self::Deliver => Some(OrderStatus::PickedUp),
            Self::Cancel(_) => None,
        }
    }

    /// The main-line event that moves an order on from `status`, if any.
    fn advancing_from(status: OrderStatus) -> Option<Self> {
        Self::ADVANCES
            .into_iter()
            .find(|e| e.source() == Some(status))
    }
}

/// Why [`transition`] refused a move.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The move does not exist from the order's current status, for anybody (a skipped step,
    /// a repeated step, anything from a terminal status).
    #[error("the order cannot make this move from its current status")]
    NotAllowed {
        /// The statuses this actor could move the order to instead: [`allowed_next`].
        allowed: Vec<OrderStatus>,
    },
    /// The move exists from the current status, but this actor may not make it.
    #[error("this actor may not make this move")]
    Forbidden,
    /// The actor may cancel the order now, but may not give this reason.
    #[error("cancel reason {} may not be given here", .reason.as_str())]
    ReasonNotAllowed {
        /// The reason given.
        reason: CancelReason,
        /// The reasons this actor may give from the current status: [`cancel_reasons`].
        allowed: Vec<CancelReason>,
    },
}

/// Why a requested target status does not name an event ([`OrderEvent::leading_to`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusRequestError {
    /// Cancelling needs a reason.
    #[error("cancelling an order needs a reason")]
    MissingReason,
    /// A reason was given for a target other than `cancelled`.
    #[error("a reason is only given when cancelling")]
    UnexpectedReason,
    /// No move leads to this status (`pending_payment`). The use case answers it like any
    /// illegal move: 409 with [`allowed_next`] from the order's current status.
    #[error("no move leads to {}", .0.as_str())]
    Unreachable(OrderStatus),
}

/// Decides whether `actor` may apply `event` to an order in `state`, and where it leads.
///
/// This is the only place the lifecycle's rules live; the module documentation has them as
/// a table.
///
/// # Errors
/// [`TransitionError::NotAllowed`] when the move does not exist from `state`,
/// [`TransitionError::Forbidden`] when it exists but `actor` may not make it, and
/// [`TransitionError::ReasonNotAllowed`] when `actor` may cancel but not with this reason.
pub fn transition(
    state: OrderStatus,
    actor: &Actor,
    event: &OrderEvent,
) -> Result<OrderStatus, TransitionError> {
    let not_allowed = || TransitionError::NotAllowed {
        allowed: allowed_next(state, actor),
    };
    match *event {
        OrderEvent::Cancel(reason) => {
            if state.is_terminal() {
                return Err(not_allowed());
            }
            let allowed = cancel_reasons(state, actor);
            if allowed.is_empty() {
                return Err(TransitionError::Forbidden);
            }
            if !allowed.contains(&reason) {
                return Err(TransitionError::ReasonNotAllowed { reason, allowed });
            }
        }
        OrderEvent::PaymentConfirmed
        | OrderEvent::Accept
        | OrderEvent::StartPreparing
        | OrderEvent::MarkReady
        | OrderEvent::PickUp
        | OrderEvent::Deliver => {
            if event.source() != Some(state) {
                return Err(not_allowed());
            }
            if !may_advance(actor, *event) {
                return Err(TransitionError::Forbidden);
            }
        }
    }
    Ok(event.target())
}

/// The statuses `actor` may move an order in `state` to: the next main-line status when the
/// actor may take that step, then `cancelled` when the actor may cancel now. Empty from a
/// terminal status, and for an actor with nothing to do.
#[must_use]
pub fn allowed_next(state: OrderStatus, actor: &Actor) -> Vec<OrderStatus> {
    let mut next = Vec::with_capacity(2);
    if let Some(event) = OrderEvent::advancing_from(state)
        && may_advance(actor, event)
    {
        next.push(event.target());
    }
    if !cancel_reasons(state, actor).is_empty() {
        next.push(OrderStatus::Cancelled);
    }
    next
}

/// The reasons `actor` may give to cancel an order in `state`, in [`CancelReason::ALL`]
/// order. Empty when the actor may not cancel it at all.
#[must_use]
pub fn cancel_reasons(state: OrderStatus, actor: &Actor) -> Vec<CancelReason> {
    CancelReason::ALL
        .into_iter()
        .filter(|&reason| may_cancel(state, actor, reason))
        .collect()
}

/// Who may take a main-line step (the first table of the module documentation). Whether the
/// step exists from the current status is checked separately.
fn may_advance(actor: &Actor, event: OrderEvent) -> bool {
    match event {
        OrderEvent::PaymentConfirmed => matches!(actor, Actor::System),
        OrderEvent::Accept | OrderEvent::StartPreparing | OrderEvent::MarkReady => {
            matches!(actor, Actor::MerchantStaff | Actor::Admin)
        }
        OrderEvent::PickUp | OrderEvent::Deliver => {
            matches!(actor, Actor::Courier { assigned: true } | Actor::Admin)
        }
        // Not a step of the main line; cancellations are decided by `may_cancel`.
        OrderEvent::Cancel(_) => false,
    }
}

/// Who may cancel from which status with which reason (the second table of the module
/// documentation). Matching on the reason exhaustively makes a new reason a compile error
/// here until somebody decides who may give it.
fn may_cancel(state: OrderStatus, actor: &Actor, reason: CancelReason) -> bool {
    if state.is_terminal() {
        return false;
    }
    if *actor == Actor::Admin {
        return true;
    }
    let customer_may = *actor == Actor::Customer
        && matches!(state, OrderStatus::PendingPayment | OrderStatus::Placed);
    let merchant_may = *actor == Actor::MerchantStaff
        && matches!(
            state,
            OrderStatus::Placed | OrderStatus::Accepted | OrderStatus::Preparing
        );
    let system = *actor == Actor::System;
    match reason {
        CancelReason::CustomerChangedMind => customer_may,
        CancelReason::MerchantRejected
        | CancelReason::MerchantClosed
        | CancelReason::ItemUnavailable => merchant_may,
        CancelReason::Other => customer_may || merchant_may,
        CancelReason::PaymentFailed | CancelReason::PaymentTimeout => {
            system && state == OrderStatus::PendingPayment
        }
        CancelReason::AcceptanceTimeout => system && state == OrderStatus::Placed,
        // Admin only: support's own judgement.
        CancelReason::CourierUnavailable | CancelReason::AdminIntervention => false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::Hash;

    use proptest::prelude::*;

    use super::*;
    use CancelReason as R;
    use OrderStatus as S;

    const CUSTOMER: Actor = Actor::Customer;
    const MERCHANT: Actor = Actor::MerchantStaff;
    const ASSIGNED_COURIER: Actor = Actor::Courier { assigned: true };
    const OTHER_COURIER: Actor = Actor::Courier { assigned: false };
    const ADMIN: Actor = Actor::Admin;
    const SYSTEM: Actor = Actor::System;

    const ACTORS: [Actor; 6] = [
        CUSTOMER,
        MERCHANT,
        ASSIGNED_COURIER,
        OTHER_COURIER,
        ADMIN,
        SYSTEM,
    ];

    const NON_TERMINAL: [OrderStatus; 6] = [
        S::PendingPayment,
        S::Placed,
        S::Accepted,
        S::Preparing,
        S::ReadyForPickup,
        S::PickedUp,
    ];

    fn every_event() -> Vec<OrderEvent> {
        let mut events = vec![
            OrderEvent::PaymentConfirmed,
            OrderEvent::Accept,
            OrderEvent::StartPreparing,
            OrderEvent::MarkReady,
            OrderEvent::PickUp,
            OrderEvent::Deliver,
        ];
        events.extend(CancelReason::ALL.map(OrderEvent::Cancel));
        events
    }

    fn set<T: Copy + Eq + Hash>(items: &[T]) -> HashSet<T> {
        items.iter().copied().collect()
    }

    // ---- names ----

    #[test]
    fn status_names_round_trip_and_match_serde() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_value(status).expect("serializes"),
                serde_json::json!(status.as_str())
            );
        }
        assert_eq!(OrderStatus::parse("shipped"), None);
    }

    #[test]
    fn reason_codes_round_trip_and_match_serde() {
        for reason in CancelReason::ALL {
            assert_eq!(CancelReason::parse(reason.as_str()), Some(reason));
            assert_eq!(
                serde_json::to_value(reason).expect("serializes"),
                serde_json::json!(reason.as_str())
            );
        }
        assert_eq!(CancelReason::parse("bored"), None);
    }

    #[test]
    fn only_delivered_and_cancelled_are_terminal() {
        let terminal: Vec<_> = OrderStatus::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(terminal, [S::Delivered, S::Cancelled]);
    }

    // ---- the main line ----

    #[test]
    fn the_system_confirms_payment_and_places_the_order() {
        let placed = transition(S::PendingPayment, &SYSTEM, &OrderEvent::PaymentConfirmed);
        assert_eq!(placed, Ok(S::Placed));
    }

    #[test]
    fn nobody_but_the_system_confirms_payment() {
        for actor in [CUSTOMER, MERCHANT, ASSIGNED_COURIER, ADMIN] {
            let refused = transition(S::PendingPayment, &actor, &OrderEvent::PaymentConfirmed);
            assert_eq!(refused, Err(TransitionError::Forbidden), "{actor:?}");
        }
    }

    #[test]
    fn merchant_staff_accept_prepare_and_mark_ready() {
        assert_eq!(
            transition(S::Placed, &MERCHANT, &OrderEvent::Accept),
            Ok(S::Accepted)
        );
        assert_eq!(
            transition(S::Accepted, &MERCHANT, &OrderEvent::StartPreparing),
            Ok(S::Preparing)
        );
        assert_eq!(
            transition(S::Preparing, &MERCHANT, &OrderEvent::MarkReady),
            Ok(S::ReadyForPickup)
        );
    }

    #[test]
    fn customers_couriers_and_the_system_may_not_take_merchant_steps() {
        for actor in [CUSTOMER, ASSIGNED_COURIER, SYSTEM] {
            let refused = transition(S::Placed, &actor, &OrderEvent::Accept);
            assert_eq!(refused, Err(TransitionError::Forbidden), "{actor:?}");
        }
    }

    #[test]
    fn the_assigned_courier_picks_up_and_delivers() {
        assert_eq!(
            transition(S::ReadyForPickup, &ASSIGNED_COURIER, &OrderEvent::PickUp),
            Ok(S::PickedUp)
        );
        assert_eq!(
            transition(S::PickedUp, &ASSIGNED_COURIER, &OrderEvent::Deliver),
            Ok(S::Delivered)
        );
    }

    #[test]
    fn a_courier_not_assigned_to_the_order_may_not_move_it() {
        assert_eq!(
            transition(S::ReadyForPickup, &OTHER_COURIER, &OrderEvent::PickUp),
            Err(TransitionError::Forbidden)
        );
        assert_eq!(
            transition(S::PickedUp, &OTHER_COURIER, &OrderEvent::Deliver),
            Err(TransitionError::Forbidden)
        );
    }

    #[test]
    fn merchant_staff_may_not_pick_up_or_deliver() {
        assert_eq!(
            transition(S::ReadyForPickup, &MERCHANT, &OrderEvent::PickUp),
            Err(TransitionError::Forbidden)
        );
    }

    #[test]
    fn an_admin_may_take_every_merchant_and_courier_step() {
        let steps = [
            (S::Placed, OrderEvent::Accept, S::Accepted),
            (S::Accepted, OrderEvent::StartPreparing, S::Preparing),
            (S::Preparing, OrderEvent::MarkReady, S::ReadyForPickup),
            (S::ReadyForPickup, OrderEvent::PickUp, S::PickedUp),
            (S::PickedUp, OrderEvent::Deliver, S::Delivered),
        ];
        for (from, event, to) in steps {
            assert_eq!(transition(from, &ADMIN, &event), Ok(to), "{event:?}");
        }
    }

    #[test]
    fn skipping_a_step_is_not_allowed_and_lists_this_actors_next_states() {
        let skipped = transition(S::Placed, &MERCHANT, &OrderEvent::MarkReady);
        assert_eq!(
            skipped,
            Err(TransitionError::NotAllowed {
                allowed: vec![S::Accepted, S::Cancelled]
            })
        );
    }

    #[test]
    fn repeating_a_step_is_not_allowed() {
        let repeated = transition(S::Accepted, &MERCHANT, &OrderEvent::Accept);
        assert_eq!(
            repeated,
            Err(TransitionError::NotAllowed {
                allowed: vec![S::Preparing, S::Cancelled]
            })
        );
    }

    #[test]
    fn not_allowed_takes_precedence_over_forbidden() {
        let refused = transition(S::PendingPayment, &CUSTOMER, &OrderEvent::Accept);
        assert_eq!(
            refused,
            Err(TransitionError::NotAllowed {
                allowed: vec![S::Cancelled]
            })
        );
    }

    // ---- cancellation ----

    #[test]
    fn a_customer_cancels_before_acceptance() {
        for from in [S::PendingPayment, S::Placed] {
            let cancelled =
                transition(from, &CUSTOMER, &OrderEvent::Cancel(R::CustomerChangedMind));
            assert_eq!(cancelled, Ok(S::Cancelled), "{from:?}");
        }
    }

    #[test]
    fn cancel_after_acceptance_is_refused_for_customer() {
        for from in [S::Accepted, S::Preparing, S::ReadyForPickup, S::PickedUp] {
            let refused = transition(from, &CUSTOMER, &OrderEvent::Cancel(R::CustomerChangedMind));
            assert_eq!(refused, Err(TransitionError::Forbidden), "{from:?}");
        }
    }

    #[test]
    fn a_customer_may_not_give_a_merchant_reason() {
        let refused = transition(
            S::Placed,
            &CUSTOMER,
            &OrderEvent::Cancel(R::MerchantRejected),
        );
        assert_eq!(
            refused,
            Err(TransitionError::ReasonNotAllowed {
                reason: R::MerchantRejected,
                allowed: vec![R::CustomerChangedMind, R::Other],
            })
        );
    }

    #[test]
    fn merchant_staff_reject_while_placed_accepted_or_preparing() {
        for from in [S::Placed, S::Accepted, S::Preparing] {
            for reason in [R::MerchantRejected, R::MerchantClosed, R::ItemUnavailable] {
                let cancelled = transition(from, &MERCHANT, &OrderEvent::Cancel(reason));
                assert_eq!(cancelled, Ok(S::Cancelled), "{from:?} {reason:?}");
            }
        }
    }

    #[test]
    fn merchant_staff_may_not_cancel_an_unpaid_order_or_one_ready_for_pickup() {
        for from in [S::PendingPayment, S::ReadyForPickup, S::PickedUp] {
            let refused = transition(from, &MERCHANT, &OrderEvent::Cancel(R::MerchantRejected));
            assert_eq!(refused, Err(TransitionError::Forbidden), "{from:?}");
        }
    }

    #[test]
    fn merchant_staff_may_not_claim_a_payment_failure() {
        let refused = transition(S::Placed, &MERCHANT, &OrderEvent::Cancel(R::PaymentFailed));
        assert_eq!(
            refused,
            Err(TransitionError::ReasonNotAllowed {
                reason: R::PaymentFailed,
                allowed: vec![
                    R::MerchantRejected,
                    R::MerchantClosed,
                    R::ItemUnavailable,
                    R::Other
                ],
            })
        );
    }

    #[test]
    fn the_system_cancels_an_unpaid_order_on_payment_failure_or_timeout() {
        for reason in [R::PaymentFailed, R::PaymentTimeout] {
            let cancelled = transition(S::PendingPayment, &SYSTEM, &OrderEvent::Cancel(reason));
            assert_eq!(cancelled, Ok(S::Cancelled), "{reason:?}");
        }
    }

    #[test]
    fn the_system_cancels_a_placed_order_the_merchant_never_accepted() {
        let cancelled = transition(
            S::Placed,
            &SYSTEM,
            &OrderEvent::Cancel(R::AcceptanceTimeout),
        );
        assert_eq!(cancelled, Ok(S::Cancelled));
    }

    #[test]
    fn the_system_gives_only_the_reason_that_fits_the_status() {
        let refused = transition(S::Placed, &SYSTEM, &OrderEvent::Cancel(R::PaymentFailed));
        assert_eq!(
            refused,
            Err(TransitionError::ReasonNotAllowed {
                reason: R::PaymentFailed,
                allowed: vec![R::AcceptanceTimeout],
            })
        );
    }

    #[test]
    fn the_system_may_not_cancel_after_acceptance() {
        for from in [S::Accepted, S::Preparing, S::ReadyForPickup, S::PickedUp] {
            let refused = transition(from, &SYSTEM, &OrderEvent::Cancel(R::Other));
            assert_eq!(refused, Err(TransitionError::Forbidden), "{from:?}");
        }
    }

    #[test]
    fn couriers_never_cancel() {
        for courier in [ASSIGNED_COURIER, OTHER_COURIER] {
            for from in NON_TERMINAL {
                let refused = transition(from, &courier, &OrderEvent::Cancel(R::Other));
                assert_eq!(refused, Err(TransitionError::Forbidden), "{from:?}");
            }
        }
    }

    #[test]
    fn an_admin_cancels_from_every_non_terminal_status_with_any_reason() {
        for from in NON_TERMINAL {
            for reason in CancelReason::ALL {
                let cancelled = transition(from, &ADMIN, &OrderEvent::Cancel(reason));
                assert_eq!(cancelled, Ok(S::Cancelled), "{from:?} {reason:?}");
            }
        }
    }

    #[test]
    fn nothing_leaves_a_terminal_status_not_even_an_admin_cancel() {
        for from in [S::Delivered, S::Cancelled] {
            let refused = transition(from, &ADMIN, &OrderEvent::Cancel(R::AdminIntervention));
            assert_eq!(
                refused,
                Err(TransitionError::NotAllowed { allowed: vec![] }),
                "{from:?}"
            );
        }
    }

    // ---- allowed_next and cancel_reasons ----

    #[test]
    fn allowed_next_lists_the_main_line_step_then_cancelled() {
        assert_eq!(
            allowed_next(S::PendingPayment, &SYSTEM),
            [S::Placed, S::Cancelled]
        );
        assert_eq!(allowed_next(S::Placed, &ADMIN), [S::Accepted, S::Cancelled]);
        assert_eq!(allowed_next(S::Placed, &CUSTOMER), [S::Cancelled]);
        assert_eq!(allowed_next(S::Accepted, &CUSTOMER), []);
        assert_eq!(
            allowed_next(S::ReadyForPickup, &ASSIGNED_COURIER),
            [S::PickedUp]
        );
        assert_eq!(allowed_next(S::ReadyForPickup, &OTHER_COURIER), []);
        assert_eq!(allowed_next(S::ReadyForPickup, &MERCHANT), []);
        assert_eq!(allowed_next(S::Delivered, &ADMIN), []);
    }

    #[test]
    fn cancel_reasons_are_those_of_the_actors_party() {
        assert_eq!(
            cancel_reasons(S::Placed, &CUSTOMER),
            [R::CustomerChangedMind, R::Other]
        );
        assert_eq!(
            cancel_reasons(S::PendingPayment, &SYSTEM),
            [R::PaymentFailed, R::PaymentTimeout]
        );
        assert_eq!(cancel_reasons(S::Preparing, &ADMIN), CancelReason::ALL);
        assert_eq!(cancel_reasons(S::Cancelled, &ADMIN), []);
    }

    // ---- PUT status: target → event ----

    #[test]
    fn every_status_but_pending_payment_and_cancelled_names_the_event_leading_to_it() {
        for target in [
            S::Placed,
            S::Accepted,
            S::Preparing,
            S::ReadyForPickup,
            S::PickedUp,
            S::Delivered,
        ] {
            let event = OrderEvent::leading_to(target, None).expect("an event leads there");
            assert_eq!(event.target(), target);
        }
    }

    #[test]
    fn cancelling_through_put_status_needs_a_reason() {
        assert_eq!(
            OrderEvent::leading_to(S::Cancelled, Some(R::ItemUnavailable)),
            Ok(OrderEvent::Cancel(R::ItemUnavailable))
        );
        assert_eq!(
            OrderEvent::leading_to(S::Cancelled, None),
            Err(StatusRequestError::MissingReason)
        );
    }

    #[test]
    fn a_reason_for_anything_but_cancelling_is_refused() {
        assert_eq!(
            OrderEvent::leading_to(S::Accepted, Some(R::Other)),
            Err(StatusRequestError::UnexpectedReason)
        );
    }

    #[test]
    fn no_event_leads_back_to_pending_payment() {
        assert_eq!(
            OrderEvent::leading_to(S::PendingPayment, None),
            Err(StatusRequestError::Unreachable(S::PendingPayment))
        );
    }

    // ---- an independent statement of the rules, for the properties ----

    /// The rules as a reviewer would write them from the design, without reading the code:
    /// plain rows, no shared helpers.
    mod rules {
        use super::*;

        /// The statuses nothing leaves.
        pub const TERMINAL: [OrderStatus; 2] = [S::Delivered, S::Cancelled];

        /// The main line, in order.
        pub const MAIN_LINE: [OrderStatus; 7] = [
            S::PendingPayment,
            S::Placed,
            S::Accepted,
            S::Preparing,
            S::ReadyForPickup,
            S::PickedUp,
            S::Delivered,
        ];

        /// (event, from, to, who may).
        pub const STEPS: [(OrderEvent, OrderStatus, OrderStatus, &[Actor]); 6] = [
            (
                OrderEvent::PaymentConfirmed,
                S::PendingPayment,
                S::Placed,
                &[SYSTEM],
            ),
            (
                OrderEvent::Accept,
                S::Placed,
                S::Accepted,
                &[MERCHANT, ADMIN],
            ),
            (
                OrderEvent::StartPreparing,
                S::Accepted,
                S::Preparing,
                &[MERCHANT, ADMIN],
            ),
            (
                OrderEvent::MarkReady,
                S::Preparing,
                S::ReadyForPickup,
                &[MERCHANT, ADMIN],
            ),
            (
                OrderEvent::PickUp,
                S::ReadyForPickup,
                S::PickedUp,
                &[ASSIGNED_COURIER, ADMIN],
            ),
            (
                OrderEvent::Deliver,
                S::PickedUp,
                S::Delivered,
                &[ASSIGNED_COURIER, ADMIN],
            ),
        ];

        /// (who, from any of, with any of).
        pub const CANCELS: [(Actor, &[OrderStatus], &[CancelReason]); 5] = [
            (
                CUSTOMER,
                &[S::PendingPayment, S::Placed],
                &[R::CustomerChangedMind, R::Other],
            ),
            (
                MERCHANT,
                &[S::Placed, S::Accepted, S::Preparing],
                &[
                    R::MerchantRejected,
                    R::MerchantClosed,
                    R::ItemUnavailable,
                    R::Other,
                ],
            ),
            (
                SYSTEM,
                &[S::PendingPayment],
                &[R::PaymentFailed, R::PaymentTimeout],
            ),
            (SYSTEM, &[S::Placed], &[R::AcceptanceTimeout]),
            (
                ADMIN,
                &[
                    S::PendingPayment,
                    S::Placed,
                    S::Accepted,
                    S::Preparing,
                    S::ReadyForPickup,
                    S::PickedUp,
                ],
                &[
                    R::CustomerChangedMind,
                    R::MerchantRejected,
                    R::MerchantClosed,
                    R::ItemUnavailable,
                    R::PaymentFailed,
                    R::PaymentTimeout,
                    R::AcceptanceTimeout,
                    R::CourierUnavailable,
                    R::AdminIntervention,
                    R::Other,
                ],
            ),
        ];

        /// What `transition` must answer, with lists compared as sets.
        #[derive(Debug, PartialEq, Eq)]
        pub enum Outcome {
            To(OrderStatus),
            NotAllowed(HashSet<OrderStatus>),
            Forbidden,
            ReasonNotAllowed(HashSet<CancelReason>),
        }

        impl From<Result<OrderStatus, TransitionError>> for Outcome {
            fn from(result: Result<OrderStatus, TransitionError>) -> Self {
                match result {
                    Ok(to) => Self::To(to),
                    Err(TransitionError::NotAllowed { allowed }) => Self::NotAllowed(set(&allowed)),
                    Err(TransitionError::Forbidden) => Self::Forbidden,
                    Err(TransitionError::ReasonNotAllowed { allowed, .. }) => {
                        Self::ReasonNotAllowed(set(&allowed))
                    }
                }
            }
        }

        pub fn reasons(state: OrderStatus, actor: Actor) -> HashSet<CancelReason> {
            CANCELS
                .iter()
                .filter(|(who, from, _)| *who == actor && from.contains(&state))
                .flat_map(|(_, _, reasons)| reasons.iter().copied())
                .collect()
        }

        pub fn next(state: OrderStatus, actor: Actor) -> HashSet<OrderStatus> {
            let mut next: HashSet<_> = STEPS
                .iter()
                .filter(|(_, from, _, who)| *from == state && who.contains(&actor))
                .map(|(_, _, to, _)| *to)
                .collect();
            if !reasons(state, actor).is_empty() {
                next.insert(S::Cancelled);
            }
            next
        }

        pub fn expected(state: OrderStatus, actor: Actor, event: OrderEvent) -> Outcome {
            if let OrderEvent::Cancel(reason) = event {
                if TERMINAL.contains(&state) {
                    return Outcome::NotAllowed(next(state, actor));
                }
                let allowed = reasons(state, actor);
                return if allowed.is_empty() {
                    Outcome::Forbidden
                } else if allowed.contains(&reason) {
                    Outcome::To(S::Cancelled)
                } else {
                    Outcome::ReasonNotAllowed(allowed)
                };
            }
            let (_, from, to, who) = STEPS
                .iter()
                .find(|(e, ..)| *e == event)
                .expect("every main-line event has a row");
            if *from != state {
                Outcome::NotAllowed(next(state, actor))
            } else if who.contains(&actor) {
                Outcome::To(*to)
            } else {
                Outcome::Forbidden
            }
        }
    }

    #[test]
    fn every_combination_of_status_actor_and_event_follows_the_rules_table() {
        // The whole input space is 8 × 6 × 16 cases, so check all of it, not a sample.
        for state in OrderStatus::ALL {
            for actor in ACTORS {
                for event in every_event() {
                    assert_eq!(
                        rules::Outcome::from(transition(state, &actor, &event)),
                        rules::expected(state, actor, event),
                        "{state:?} {actor:?} {event:?}"
                    );
                }
            }
        }
    }

    // ---- properties ----

    fn status() -> impl Strategy<Value = OrderStatus> {
        prop::sample::select(OrderStatus::ALL.to_vec())
    }

    fn actor() -> impl Strategy<Value = Actor> {
        prop::sample::select(ACTORS.to_vec())
    }

    fn event() -> impl Strategy<Value = OrderEvent> {
        prop::sample::select(every_event())
    }

    /// One step of a random run. Uniformly random (actor, event) pairs rarely walk the whole
    /// main line, so most steps take the next main-line event with one of the actors the
    /// rules allow, which makes runs reach `delivered` as well as `cancelled`.
    #[derive(Debug, Clone)]
    enum Step {
        /// The main-line step from wherever the order is, by the `n`th allowed actor.
        Advance(usize),
        /// Anything, by anybody.
        Any(Actor, OrderEvent),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => any::<usize>().prop_map(Step::Advance),
            2 => (actor(), event()).prop_map(|(a, e)| Step::Any(a, e)),
        ]
    }

    fn resolve(step: &Step, state: OrderStatus) -> (Actor, OrderEvent) {
        match *step {
            Step::Any(actor, event) => (actor, event),
            Step::Advance(n) => rules::STEPS
                .iter()
                .find(|(_, from, ..)| *from == state)
                .map_or(
                    // Nothing advances a terminal order; try the strongest move there is.
                    (ADMIN, OrderEvent::Cancel(R::AdminIntervention)),
                    |(event, _, _, who)| (who[n % who.len()], *event),
                ),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn no_sequence_of_events_escapes_a_terminal_status(
            steps in prop::collection::vec(step(), 0..40),
        ) {
            let mut state = S::PendingPayment;
            let mut path = vec![state];
            for step in &steps {
                let (actor, event) = resolve(step, state);
                let result = transition(state, &actor, &event);
                if rules::TERMINAL.contains(&state) {
                    prop_assert!(result.is_err(), "{state:?} left by {actor:?} {event:?}");
                }
                if let Ok(next) = result {
                    state = next;
                    path.push(state);
                }
            }
            // The run is a prefix of the main line, possibly ending in `cancelled`: nothing
            // was skipped, nothing came after the end.
            let (last, walked) = path.split_last().expect("the path starts at pending_payment");
            prop_assert_eq!(walked, &rules::MAIN_LINE[..walked.len()]);
            if *last != S::Cancelled {
                prop_assert_eq!(*last, rules::MAIN_LINE[walked.len()]);
            }
        }

        #[test]
        fn from_a_terminal_status_every_event_is_refused(
            actor in actor(), event in event(),
        ) {
            for state in rules::TERMINAL {
                prop_assert_eq!(
                    transition(state, &actor, &event),
                    Err(TransitionError::NotAllowed { allowed: vec![] })
                );
            }
        }

        #[test]
        fn every_successful_move_is_one_step_forward_or_a_cancellation(
            state in status(), actor in actor(), event in event(),
        ) {
            if let Ok(to) = transition(state, &actor, &event) {
                let one_step_forward = rules::MAIN_LINE
                    .iter()
                    .position(|s| *s == state)
                    .and_then(|i| rules::MAIN_LINE.get(i + 1))
                    == Some(&to);
                let cancellation = to == S::Cancelled && !rules::TERMINAL.contains(&state);
                prop_assert!(one_step_forward || cancellation, "{state:?} → {to:?}");
            }
        }

        #[test]
        fn only_the_actors_in_the_rules_table_succeed(
            state in status(), actor in actor(), event in event(),
        ) {
            prop_assert_eq!(
                rules::Outcome::from(transition(state, &actor, &event)),
                rules::expected(state, actor, event)
            );
        }

        #[test]
        fn allowed_next_is_exactly_what_transition_accepts(state in status(), actor in actor()) {
            let accepted: HashSet<_> = every_event()
                .iter()
                .filter_map(|event| transition(state, &actor, event).ok())
                .collect();
            prop_assert_eq!(set(&allowed_next(state, &actor)), accepted);
        }
    }
}
