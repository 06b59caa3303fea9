//! HTTP routers: one module per context, each exposing `routes()`, assembled here into the
//! gateway router (every context under `/api`) and the per-service routers.

pub mod auth;
pub mod carts;
pub mod couriers;
pub mod health;
pub mod locations;
pub mod merchants;
pub mod openapi_responses;
pub mod orders;
pub mod tracking;
pub mod users;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// The services of the requirements, each with its own port under `--service-ports`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Geography and discovery.
    Location,
    /// Merchants, menus, reviews.
    Merchant,
    /// Accounts, sessions, profiles (identity).
    User,
    /// Notifications.
    Notification,
    /// Carts, orders, tracking.
    Order,
    /// Payments.
    Payment,
}

impl Service {
    /// Every service.
    pub const ALL: [Self; 6] = [
        Self::Location,
        Self::Merchant,
        Self::User,
        Self::Notification,
        Self::Order,
        Self::Payment,
    ];

    /// The port the requirements assign to the service.
    #[must_use]
    pub fn port(self) -> u16 {
        match self {
            Self::Location => 3001,
            Self::Merchant => 3002,
            Self::User => 3003,
            Self::Notification => 3004,
            Self::Order => 3006,
            Self::Payment => 3007,
        }
    }

    /// The service's name in logs.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Location => "location",
            Self::Merchant => "merchant",
            Self::User => "user",
            Self::Notification => "notification",
            Self::Order => "order",
            Self::Payment => "payment",
        }
    }

    /// The API routes this service serves.
    #[must_use]
    pub fn routes(self, limits: &RouteLimits) -> OpenApiRouter<AppState> {
        match self {
            Self::User => auth::routes(limits).merge(users::routes()),
            Self::Location => locations::routes(),
            Self::Merchant => merchants::routes(),
            Self::Order => carts::routes()
                .merge(orders::routes())
                .merge(tracking::routes())
                .merge(couriers::routes()),
            Self::Notification | Self::Payment => OpenApiRouter::new(),
        }
    }
}

/// Per-route protections that depend on configuration. The default (no limits) is what the
/// OpenAPI document is generated from; limits do not change the document.
#[derive(Debug, Clone, Copy, Default)]
pub struct RouteLimits {
    /// Requests per minute per client on the credential endpoints; 0 disables.
    pub auth_per_minute: u32,
    /// Take the client address from `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
}

/// The top-level document: title, security schemes, tags.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mercato API",
        description = "Customer-side API of the Mercato delivery marketplace. Errors are \
                       RFC 9457 problem documents (`application/problem+json`) with a stable `code`.",
        license(name = "MIT OR Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    // Schemas only query parameters refer to: `IntoParams` refers to them without adding them.
    components(schemas(mercato_core::catalog::DiscoverySort)),
    tags(
        (name = "auth", description = "Registration, login and sessions"),
        (name = "users", description = "The caller's profile, preferences, location and addresses"),
        (name = "locations", description = "Countries, cities, delivery zones and categories"),
        (name = "merchants", description = "Discovery, merchant pages, menus and reviews"),
        (name = "menu", description = "Menu management by merchant staff"),
        (name = "carts", description = "A customer's open carts, priced from the current menu"),
        (name = "orders", description = "Checkout, orders, their status timeline and lifecycle, reviews, statistics and courier assignment"),
        (name = "tracking", description = "Courier positions, tracking snapshots and live order updates (Server-Sent Events)"),
        (name = "couriers", description = "Couriers going online and their assigned orders"),
        (name = "operations", description = "Health and metrics")
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::security::cookies::ACCESS_COOKIE,
            ))),
        );
    }
}

/// The gateway router: every service's routes plus operations endpoints, with the document
/// they make up.
#[must_use]
pub fn gateway(limits: &RouteLimits) -> OpenApiRouter<AppState> {
    Service::ALL
        .into_iter()
        .fold(
            OpenApiRouter::with_openapi(ApiDoc::openapi()),
            |router, service| router.merge(service.routes(limits)),
        )
        .merge(health::routes())
}

/// The OpenAPI document of the whole API, as served at `/api/openapi.json`.
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = gateway(&RouteLimits::default()).into_openapi();
    openapi_responses::StandardResponses.modify(&mut doc);
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::extract::{MatchedPath, Request};
    use axum::middleware::{self, Next};
    use axum::response::Response;
    use mercato_store_postgres::PgStore;
    use tower::ServiceExt as _;

    use super::*;
    use crate::config::Config;

    /// The route template each request to the Order service's router matched. The state's
    /// database is never reached: requests without credentials stop at authentication.
    async fn matched_route(method: &str, path: &str) -> Option<String> {
        let config = Config::from_env_and_args(["--env", "development"]).expect("config");
        let pool = sqlx::postgres::PgPoolOptions::new()
            .connect_lazy("postgres://unused@127.0.0.1:1/unused")
            .expect("a lazy pool");
        let state = crate::app::app_state(&config, PgStore::new(pool), &[7; 32], Vec::new())
            .expect("state");
        let matched = Arc::new(Mutex::new(None));
        let seen = matched.clone();
        let (router, _) = Service::Order
            .routes(&RouteLimits::default())
            .split_for_parts();
        let app = router
            .layer(middleware::from_fn(move |request: Request, next: Next| {
                let seen = seen.clone();
                async move {
                    *seen.lock().expect("lock") = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map(|p| p.as_str().to_owned());
                    let response: Response = next.run(request).await;
                    response
                }
            }))
            .with_state(state);

        let request = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .body(axum::body::Body::empty())
            .expect("request");
        let _ = app.oneshot(request).await.expect("response");
        matched.lock().expect("lock").clone()
    }

    #[tokio::test]
    async fn order_statistics_are_not_taken_for_an_order_id() {
        assert_eq!(
            matched_route("GET", "/api/orders/stats").await.as_deref(),
            Some("/api/orders/stats")
        );
        assert_eq!(
            matched_route("GET", "/api/orders/0190c3a0-0000-7000-8000-000000000000")
                .await
                .as_deref(),
            Some("/api/orders/{id}")
        );
    }

    #[tokio::test]
    async fn the_order_service_serves_tracking_and_courier_routes() {
        for (method, path, template) in [
            ("GET", "/api/orders/x/events", "/api/orders/{id}/events"),
            ("GET", "/api/orders/x/tracking", "/api/orders/{id}/tracking"),
            (
                "POST",
                "/api/orders/x/location",
                "/api/orders/{id}/location",
            ),
            ("POST", "/api/orders/x/review", "/api/orders/{id}/review"),
            (
                "POST",
                "/api/orders/x/assign-courier",
                "/api/orders/{id}/assign-courier",
            ),
            ("PUT", "/api/couriers/me/status", "/api/couriers/me/status"),
            ("GET", "/api/couriers/me/orders", "/api/couriers/me/orders"),
        ] {
            assert_eq!(
                matched_route(method, path).await.as_deref(),
                Some(template),
                "{method} {path}"
            );
        }
    }
}
