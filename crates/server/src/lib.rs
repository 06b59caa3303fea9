//! Mercato's HTTP server: axum routers for every context, the auth extractor, problem+json
//! errors, OpenAPI generation (utoipa), configuration, the security adapters (argon2id,
//! JWT) and the `mercato` command line.
//!
//! [`Application::build`] wires everything from a [`Config`]; tests bind it to port 0.

mod access;
pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod events;
pub mod extract;
pub mod geo_cache;
pub mod http;
pub mod live;
pub mod middleware;
pub mod rate_limit;
pub mod security;
pub mod seed;
pub mod state;
pub mod telemetry;

pub use app::Application;
pub use config::{Config, RunMode};
pub use http::openapi;
