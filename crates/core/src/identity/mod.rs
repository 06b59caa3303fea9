//! Identity (the requirements' "User Service"): accounts, sessions and tokens, profiles,
//! preferences, the customer's location and saved delivery addresses.

mod email;
mod error;
mod model;
mod password;
mod ports;
mod service;
mod session_cache;

#[cfg(test)]
mod tests;

pub use email::{Email, InvalidEmail};
pub use error::IdentityError;
pub use model::*;
pub use password::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Password, PasswordHash, WeakPassword};
pub use ports::*;
pub use service::{IdentityPolicy, IdentityPorts, IdentityService, StaffAccount};
pub use session_cache::{ReadStart, SESSION_CACHE_CAPACITY, SESSION_CACHE_TTL, SessionCache};
