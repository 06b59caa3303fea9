//! The state every handler receives: the use cases, and the web settings they need.

use std::sync::Arc;

use mercato_core::catalog::CatalogService;
use mercato_core::geo::GeoService;
use mercato_core::identity::IdentityService;
use mercato_core::ordering::{CartService, OrderService};
use mercato_store_postgres::PgStore;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::live::LiveHub;

/// Web-layer settings derived from the configuration.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Origins allowed by CORS and the CSRF check.
    pub allowed_origins: Vec<String>,
    /// Whether cookies are `Secure`.
    pub cookie_secure: bool,
    /// Whether to trust `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
}

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// Identity use cases.
    pub identity: IdentityService,
    /// Geography use cases.
    pub geo: GeoService,
    /// Catalog use cases.
    pub catalog: CatalogService,
    /// Cart use cases.
    pub carts: CartService,
    /// Order use cases.
    pub orders: OrderService,
    /// Live order updates, fanned out to this process's event streams.
    pub live: LiveHub,
    /// The store, for health checks.
    pub store: PgStore,
    /// Web settings.
    pub web: Arc<WebSettings>,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
}
