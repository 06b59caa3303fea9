//! Mercato's domain: the marketplace's entities, the use cases that change them, and the
//! ports (storage, gateways, clocks) those use cases run behind.
//!
//! This crate does no I/O. Adapters — `mercato-store-postgres` for storage,
//! `mercato-server` for HTTP and gateways — implement the ports; any Rust program can embed
//! the use cases with its own adapters. Types that travel over the wire derive `serde` and
//! `utoipa::ToSchema` here, once, so the server and the typed client cannot drift apart.

pub mod catalog;
pub mod clock;
pub mod error;
pub mod events;
pub mod fields;
pub mod geo;
pub mod identity;
pub mod ids;
pub mod money;
pub mod ordering;
pub mod page;
pub mod payments;
pub mod pricing;
pub mod principal;

pub use clock::Clock;
pub use error::{
    DomainError, ErrorKind, Extensions, FieldError, Problem, StoreError, ValidationErrors,
};
pub use principal::{Principal, Role};
