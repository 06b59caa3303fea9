//! Per-client request rate limits (tower_governor), keyed like every per-client limit by
//! [`ClientAddr`], answering 429 problems with `Retry-After`. State is per process.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use axum::response::IntoResponse;
use std::sync::Weak;

use governor::RateLimiter;
use governor::clock::{QuantaClock, QuantaInstant};
use governor::middleware::RateLimitingMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use tower_governor::GovernorError;
use tower_governor::key_extractor::KeyExtractor;

use crate::error::ApiError;
use crate::extract::ClientAddr;

/// Keys rate limits by client address.
#[derive(Debug, Clone, Copy)]
pub struct ClientKey {
    /// Use the last `X-Forwarded-For` hop.
    pub trust_forwarded_for: bool,
}

impl KeyExtractor for ClientKey {
    type Key = String;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        Ok(ClientAddr::of(req.headers(), req.extensions(), self.trust_forwarded_for).0)
    }
}

/// Periodically drops the state of clients whose quota has fully recovered, so the limiter's
/// memory follows the active clients rather than every address ever seen. Stops when the
/// limiter (the router holding it) is dropped; does nothing outside a Tokio runtime
/// (building the OpenAPI document).
pub fn forget_idle_clients<M>(
    limiter: Weak<RateLimiter<String, DefaultKeyedStateStore<String>, QuantaClock, M>>,
) where
    M: RateLimitingMiddleware<QuantaInstant> + Send + Sync + 'static,
{
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    runtime.spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            let Some(limiter) = limiter.upgrade() else {
                return;
            };
            limiter.retain_recent();
        }
    });
}

/// The 429 problem for a rate-limited request.
pub fn too_many_requests(error: GovernorError) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            ApiError::from_status(StatusCode::TOO_MANY_REQUESTS)
                .retry_after(Duration::from_secs(wait_time.max(1)))
                .into_response()
        }
        GovernorError::UnableToExtractKey | GovernorError::Other { .. } => {
            ApiError::internal(&"rate limiter could not identify the client").into_response()
        }
    }
}
