//! The refund policy: what a cancelled order's customer gets back, from the order's cancel
//! reason, the status it was cancelled from and who cancelled it. Pure, so the API, the
//! timeout sweeper and the event handlers apply one rule.
//!
//! | cancelled by  | from                                  | reason                     | back        |
//! |---------------|---------------------------------------|----------------------------|-------------|
//! | customer      | `pending_payment`, `placed`           | any they may give          | everything  |
//! | merchant      | `placed`, `accepted`, `preparing`     | any                        | everything  |
//! | system        | `pending_payment`, `placed`           | payment / acceptance timeout | everything |
//! | admin         | before `accepted`                     | any                        | everything  |
//! | admin         | `accepted` … `ready_for_pickup`       | `customer_changed_mind`, `other` | the admin decides |
//! | admin         | `accepted` … `ready_for_pickup`       | anything else (the merchant's, the courier's or support's doing) | everything |
//! | admin         | `picked_up`                           | any                        | the admin decides |
//!
//! "Everything" releases an authorization (void) or refunds a capture in full. "The admin
//! decides" takes the amount due (the food was made, or is on its way) and leaves refunds to
//! `POST /api/payments/refund`.

use crate::ordering::{ActorKind, CancelReason, OrderStatus};

/// What the customer of a cancelled order gets back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundDecision {
    /// Everything: void the hold, or refund all that was captured.
    Full,
    /// The amount due is kept; an admin refunds what they decide.
    AdminDecides,
}

/// The refund for an order cancelled from `from` by `actor` with `reason`.
#[must_use]
pub fn refund_on_cancel(
    reason: CancelReason,
    from: OrderStatus,
    actor: ActorKind,
) -> RefundDecision {
    use OrderStatus as S;
    let committed = matches!(from, S::Accepted | S::Preparing | S::ReadyForPickup);
    match actor {
        ActorKind::Customer | ActorKind::MerchantStaff | ActorKind::System => RefundDecision::Full,
        // Couriers cannot cancel; should one ever, the customer is not the one to pay.
        ActorKind::Courier => RefundDecision::Full,
        ActorKind::Admin => match (from, reason) {
            (S::PickedUp, _) => RefundDecision::AdminDecides,
            (_, CancelReason::CustomerChangedMind | CancelReason::Other) if committed => {
                RefundDecision::AdminDecides
            }
            _ => RefundDecision::Full,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ordering::{Actor, OrderEvent, transition};

    /// Every cancellation the lifecycle allows, exhaustively: only an admin cancelling a
    /// committed order keeps money; before acceptance everything comes back.
    #[test]
    fn money_is_kept_only_when_an_admin_cancels_a_committed_order() {
        let actors = [
            Actor::Customer,
            Actor::MerchantStaff,
            Actor::Courier { assigned: true },
            Actor::Admin,
            Actor::System,
        ];
        for from in OrderStatus::ALL {
            for reason in CancelReason::ALL {
                for actor in actors {
                    if transition(from, &actor, &OrderEvent::Cancel(reason)).is_err() {
                        continue;
                    }
                    let decision = refund_on_cancel(reason, from, actor.kind());
                    if decision == RefundDecision::AdminDecides {
                        assert_eq!(actor, Actor::Admin);
                        assert!(matches!(
                            from,
                            OrderStatus::Accepted
                                | OrderStatus::Preparing
                                | OrderStatus::ReadyForPickup
                                | OrderStatus::PickedUp
                        ));
                    }
                    if matches!(from, OrderStatus::PendingPayment | OrderStatus::Placed) {
                        assert_eq!(
                            decision,
                            RefundDecision::Full,
                            "{from:?} {reason:?} {actor:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_named_cases() {
        use ActorKind as A;
        use CancelReason as R;
        use OrderStatus as S;
        assert_eq!(
            refund_on_cancel(R::CustomerChangedMind, S::Placed, A::Customer),
            RefundDecision::Full
        );
        assert_eq!(
            refund_on_cancel(R::MerchantRejected, S::Preparing, A::MerchantStaff),
            RefundDecision::Full
        );
        assert_eq!(
            refund_on_cancel(R::AcceptanceTimeout, S::Placed, A::System),
            RefundDecision::Full
        );
        assert_eq!(
            refund_on_cancel(R::CourierUnavailable, S::ReadyForPickup, A::Admin),
            RefundDecision::Full
        );
        assert_eq!(
            refund_on_cancel(R::CustomerChangedMind, S::Preparing, A::Admin),
            RefundDecision::AdminDecides
        );
        assert_eq!(
            refund_on_cancel(R::AdminIntervention, S::PickedUp, A::Admin),
            RefundDecision::AdminDecides
        );
    }
}
