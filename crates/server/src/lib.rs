//! Mercato's HTTP server: axum routers for every context, the auth extractor, problem+json
//! errors, OpenAPI generation (utoipa), configuration, the security adapters (argon2id,
//! JWT) and the `mercato` command line.
//!
//! [`Application::build`] wires everything from a [`Config`]; tests bind it to port 0.

mod access;
pub mod app;
pub mod cli;
pub mod config;
pub mod error;
pub mod events;
pub mod extract;
pub mod geo_cache;
pub mod http;
pub mod live;
pub mod middleware;
pub mod rate_limit;
pub mod security;
pub mod state;
pub mod telemetry;

/// The demo dataset (cities, merchants, the loader): the `mercato-demo` crate.
pub use mercato_demo as seed;
/// The demo accounts (password, roles, numbered couriers): [`mercato_demo::accounts`].
pub use mercato_demo::accounts as demo;

pub use app::Application;
pub use config::{Config, RunMode};
pub use http::openapi;
