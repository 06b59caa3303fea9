//! The identity store: users, sessions and refresh tokens, preferences, addresses, the
//! attempt counters of the login throttle, and the purge of rows nothing needs any more;
//! the staff directory (memberships live in identity's tables); and the listener of access
//! changes.

mod access;
mod addresses;
mod purge;
mod rows;
mod sessions;
mod staff;
mod throttle;
mod users;

pub use access::{AccessChange, AccessChangeListener};
