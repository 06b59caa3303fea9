//! The payment state machine: one pure function decides every move of a payment, whoever
//! reports it — the gateway's synchronous answer, the sandbox's 3-D Secure page, a webhook,
//! the reconciler.
//!
//! ```text
//! pending ──authorize──▶ authorized ──capture──▶ captured ──refund──▶ partially_refunded ──▶ refunded
//!    │  ╲                    │                                 (refund until all is back)
//!    │   ╲──action──▶ requires_action ──authorized/declined──▶ …
//!    │    ╲─unreachable──▶ unknown ──(the reconciler learns the answer)──▶ …
//!    └──declined/failed──▶ failed            authorized ──void──▶ voided
//! ```
//!
//! `failed`, `voided` and `refunded` are terminal. A payment is captured at most once, for
//! at most what was authorized; refunds never exceed what was captured; a void comes only
//! before a capture. The amounts are minor units of the order's currency.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Recorded; the gateway has not answered yet.
    Pending,
    /// The customer must authenticate (3-D Secure) before the gateway decides.
    RequiresAction,
    /// The gateway did not answer (timeout, 5xx): the reconciler asks it until it knows.
    /// Never charged twice: the reconciler repeats the same idempotent request.
    Unknown,
    /// The amount is held on the card.
    Authorized,
    /// The amount due was taken.
    Captured,
    /// Part of the captured amount was given back.
    PartiallyRefunded,
    /// Everything captured was given back.
    Refunded,
    /// The hold was released without taking anything.
    Voided,
    /// Declined or failed; the order may be paid with another method.
    Failed,
}

impl PaymentStatus {
    /// Every status.
    pub const ALL: [Self; 9] = [
        Self::Pending,
        Self::RequiresAction,
        Self::Unknown,
        Self::Authorized,
        Self::Captured,
        Self::PartiallyRefunded,
        Self::Refunded,
        Self::Voided,
        Self::Failed,
    ];

    /// The wire and storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::RequiresAction => "requires_action",
            Self::Unknown => "unknown",
            Self::Authorized => "authorized",
            Self::Captured => "captured",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
            Self::Voided => "voided",
            Self::Failed => "failed",
        }
    }

    /// Parses a storage name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// No move leaves this status.
    #[must_use]
    pub const fn is_terminal(self) -> bool {
        matches!(self, Self::Refunded | Self::Voided | Self::Failed)
    }

    /// The gateway has not decided yet: the order stays `pending_payment`, and no other
    /// payment of the order may start.
    #[must_use]
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::RequiresAction | Self::Unknown)
    }
}

/// A payment's state: its status and the amounts so far (minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentState {
    /// Where it stands.
    pub status: PaymentStatus,
    /// What is (or was) held on the card.
    pub authorized: i64,
    /// What was taken.
    pub captured: i64,
    /// What was given back.
    pub refunded: i64,
}

impl PaymentState {
    /// A payment just recorded, before the gateway is asked.
    #[must_use]
    pub const fn pending() -> Self {
        Self {
            status: PaymentStatus::Pending,
            authorized: 0,
            captured: 0,
            refunded: 0,
        }
    }

    /// What may still be refunded.
    #[must_use]
    pub const fn refundable(&self) -> i64 {
        self.captured - self.refunded
    }
}

/// Something that happened to a payment, as reported by whoever learned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentEvent {
    /// The gateway holds `amount` on the card.
    Authorized {
        /// Minor units held.
        amount: i64,
    },
    /// The gateway wants the customer to authenticate first.
    ActionRequired,
    /// The gateway refused (a decline) or failed for good.
    Declined,
    /// The gateway did not answer; nobody knows yet whether the card was charged.
    Unreachable,
    /// `amount` of the hold was taken.
    Captured {
        /// Minor units taken.
        amount: i64,
    },
    /// The hold was released.
    Voided,
    /// `amount` was given back.
    Refunded {
        /// Minor units given back.
        amount: i64,
    },
}

/// Why a move is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    /// The event does not apply in this status (e.g. a capture after a void, a second
    /// capture, a void after a capture).
    #[error("a payment that is {} cannot take this event", .0.as_str())]
    NotAllowed(PaymentStatus),
    /// The amount is not positive or exceeds what the status allows (capture beyond the
    /// hold, refund beyond what is left).
    #[error("the amount is out of range (at most {max})")]
    AmountOutOfRange {
        /// The most the event could carry.
        max: i64,
    },
}

/// The state after `event`, or why the event does not apply. Pure: every reporter of a
/// payment's news calls this, so they cannot disagree.
///
/// # Errors
/// [`MoveError`] as documented on its variants.
pub fn advance(state: &PaymentState, event: &PaymentEvent) -> Result<PaymentState, MoveError> {
    use PaymentStatus as S;
    let refuse = || Err(MoveError::NotAllowed(state.status));
    let within = |amount: i64, max: i64| {
        if amount > 0 && amount <= max {
            Ok(())
        } else {
            Err(MoveError::AmountOutOfRange { max })
        }
    };
    match (state.status, *event) {
        (S::Pending | S::RequiresAction | S::Unknown, PaymentEvent::Authorized { amount }) => {
            within(amount, i64::MAX)?;
            Ok(PaymentState {
                status: S::Authorized,
                authorized: amount,
                ..*state
            })
        }
        (S::Pending | S::Unknown, PaymentEvent::ActionRequired) => Ok(PaymentState {
            status: S::RequiresAction,
            ..*state
        }),
        (S::Pending | S::RequiresAction | S::Unknown, PaymentEvent::Declined) => Ok(PaymentState {
            status: S::Failed,
            ..*state
        }),
        (S::Pending | S::Unknown, PaymentEvent::Unreachable) => Ok(PaymentState {
            status: S::Unknown,
            ..*state
        }),
        (S::Authorized, PaymentEvent::Captured { amount }) => {
            within(amount, state.authorized)?;
            Ok(PaymentState {
                status: S::Captured,
                captured: amount,
                ..*state
            })
        }
        (S::Authorized, PaymentEvent::Voided) => Ok(PaymentState {
            status: S::Voided,
            ..*state
        }),
        (S::Captured | S::PartiallyRefunded, PaymentEvent::Refunded { amount }) => {
            within(amount, state.refundable())?;
            let refunded = state.refunded + amount;
            Ok(PaymentState {
                status: if refunded == state.captured {
                    S::Refunded
                } else {
                    S::PartiallyRefunded
                },
                refunded,
                ..*state
            })
        }
        (
            S::Pending
            | S::RequiresAction
            | S::Unknown
            | S::Authorized
            | S::Captured
            | S::PartiallyRefunded
            | S::Refunded
            | S::Voided
            | S::Failed,
            PaymentEvent::Authorized { .. }
            | PaymentEvent::ActionRequired
            | PaymentEvent::Declined
            | PaymentEvent::Unreachable
            | PaymentEvent::Captured { .. }
            | PaymentEvent::Voided
            | PaymentEvent::Refunded { .. },
        ) => refuse(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn event() -> impl Strategy<Value = PaymentEvent> {
        prop_oneof![
            (-5i64..20_000).prop_map(|amount| PaymentEvent::Authorized { amount }),
            Just(PaymentEvent::ActionRequired),
            Just(PaymentEvent::Declined),
            Just(PaymentEvent::Unreachable),
            (-5i64..20_000).prop_map(|amount| PaymentEvent::Captured { amount }),
            Just(PaymentEvent::Voided),
            (-5i64..20_000).prop_map(|amount| PaymentEvent::Refunded { amount }),
        ]
    }

    proptest! {
        #[test]
        fn no_sequence_breaks_the_money_rules(events in prop::collection::vec(event(), 0..40)) {
            let mut state = PaymentState::pending();
            let mut captures = 0;
            let mut was_captured = false;
            for event in &events {
                let Ok(next) = advance(&state, event) else {
                    continue;
                };
                if state.status.is_terminal() {
                    prop_assert!(false, "{:?} left terminal {:?}", event, state.status);
                }
                if matches!(event, PaymentEvent::Captured { .. }) {
                    captures += 1;
                }
                if matches!(event, PaymentEvent::Voided) {
                    prop_assert!(!was_captured, "voided after a capture");
                }
                was_captured |= next.captured > 0;
                prop_assert!(next.captured <= next.authorized);
                prop_assert!(next.refunded <= next.captured);
                prop_assert!(next.authorized >= 0 && next.refunded >= 0);
                // What was held, taken or given back never changes once set.
                if state.authorized > 0 {
                    prop_assert_eq!(next.authorized, state.authorized);
                }
                if state.captured > 0 {
                    prop_assert_eq!(next.captured, state.captured);
                }
                prop_assert!(next.refunded >= state.refunded);
                state = next;
            }
            prop_assert!(captures <= 1, "captured {} times", captures);
        }

        #[test]
        fn refunds_add_up_to_at_most_the_capture(
            authorized in 1i64..100_000,
            capture_share in 1u32..=100,
            refunds in prop::collection::vec(1i64..50_000, 1..10),
        ) {
            let captured = (authorized * i64::from(capture_share) / 100).max(1);
            let mut state = advance(&PaymentState::pending(), &PaymentEvent::Authorized { amount: authorized }).expect("the move applies");
            state = advance(&state, &PaymentEvent::Captured { amount: captured }).expect("the move applies");
            let mut given = 0;
            for amount in refunds {
                match advance(&state, &PaymentEvent::Refunded { amount }) {
                    Ok(next) => { given += amount; state = next; }
                    Err(MoveError::AmountOutOfRange { max }) => prop_assert!(amount > max),
                    Err(other) => prop_assert_eq!(state.status, PaymentStatus::Refunded, "{:?}", other),
                }
            }
            prop_assert!(given <= captured);
            prop_assert_eq!(state.refunded, given);
            prop_assert_eq!(state.status == PaymentStatus::Refunded, given == captured);
        }
    }

    #[test]
    fn an_authorization_is_captured_once_and_then_cannot_be_voided() {
        let held = advance(
            &PaymentState::pending(),
            &PaymentEvent::Authorized { amount: 1_000 },
        )
        .expect("the move applies");
        let taken =
            advance(&held, &PaymentEvent::Captured { amount: 800 }).expect("the move applies");
        assert_eq!(taken.status, PaymentStatus::Captured);
        assert_eq!(taken.captured, 800);
        assert_eq!(
            advance(&taken, &PaymentEvent::Captured { amount: 200 }),
            Err(MoveError::NotAllowed(PaymentStatus::Captured))
        );
        assert_eq!(
            advance(&taken, &PaymentEvent::Voided),
            Err(MoveError::NotAllowed(PaymentStatus::Captured))
        );
    }

    #[test]
    fn a_capture_takes_at_most_the_hold() {
        let held = advance(
            &PaymentState::pending(),
            &PaymentEvent::Authorized { amount: 1_000 },
        )
        .expect("the move applies");
        assert_eq!(
            advance(&held, &PaymentEvent::Captured { amount: 1_001 }),
            Err(MoveError::AmountOutOfRange { max: 1_000 })
        );
    }

    #[test]
    fn three_d_secure_then_approval_or_refusal() {
        let asked = advance(&PaymentState::pending(), &PaymentEvent::ActionRequired)
            .expect("the move applies");
        assert_eq!(asked.status, PaymentStatus::RequiresAction);
        let approved =
            advance(&asked, &PaymentEvent::Authorized { amount: 500 }).expect("the move applies");
        assert_eq!(approved.status, PaymentStatus::Authorized);
        let refused = advance(&asked, &PaymentEvent::Declined).expect("the move applies");
        assert_eq!(refused.status, PaymentStatus::Failed);
        // Asking twice is a replay: refused, so the reporter treats it as a no-op.
        assert!(advance(&asked, &PaymentEvent::ActionRequired).is_err());
    }

    #[test]
    fn an_unknown_payment_resolves_whichever_way_the_gateway_says() {
        let unknown = advance(&PaymentState::pending(), &PaymentEvent::Unreachable)
            .expect("the move applies");
        assert_eq!(unknown.status, PaymentStatus::Unknown);
        assert_eq!(
            advance(&unknown, &PaymentEvent::Authorized { amount: 10 })
                .expect("the move applies")
                .status,
            PaymentStatus::Authorized
        );
        assert_eq!(
            advance(&unknown, &PaymentEvent::Declined)
                .expect("the move applies")
                .status,
            PaymentStatus::Failed
        );
        // Nothing to void or capture before the gateway has said yes.
        assert!(advance(&unknown, &PaymentEvent::Captured { amount: 10 }).is_err());
    }

    #[test]
    fn storage_names_round_trip() {
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_value(status).expect("serializes"),
                serde_json::json!(status.as_str())
            );
        }
    }
}
