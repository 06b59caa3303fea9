//! Credential machinery behind identity's ports: argon2id password hashing, JWT access
//! tokens and opaque refresh tokens, and the session cookies for browsers.

pub mod cookies;
mod password;
mod tokens;

pub use password::Argon2Hasher;
pub use tokens::JwtSessionTokens;
