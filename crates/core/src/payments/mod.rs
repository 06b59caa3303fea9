//! Payments (the requirements' "Payment Service"): the pure decisions first — the payment
//! state machine, the refund policy and the card-number guard. Methods, processing, the
//! gateway port and its adapters build on them.

mod cards;
mod machine;
mod policy;

pub use cards::{holds_card_number, is_expired, text_holds_card_number};
pub use machine::{MoveError, PaymentEvent, PaymentState, PaymentStatus, advance};
pub use policy::{RefundDecision, refund_on_cancel};
