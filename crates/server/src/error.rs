//! The one error type of the HTTP layer. Every failure — a use-case error, a bad request
//! body, an unknown route, a rate limit — leaves the server as an RFC 9457
//! `application/problem+json` document with a stable `code`.

use std::borrow::Cow;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mercato_core::{DomainError, ErrorKind, Extensions, FieldError, Problem};

/// The media type of error bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response in the making.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: Cow<'static, str>,
    detail: String,
    errors: Vec<FieldError>,
    retry_after: Option<Duration>,
    extensions: Extensions,
}

impl ApiError {
    /// An error with `status`, stable `code` and human `detail`.
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            extensions: Extensions::new(),
        }
    }

    /// A 422 naming one invalid field.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut err = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation.failed",
            "the request has invalid fields",
        );
        err.errors.push(FieldError::new(field, message));
        err
    }

    /// A 401 for requests without valid credentials.
    #[must_use]
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
            "authentication is required",
        )
    }

    /// A 503 for a request that took longer than the server allows. Not 408: clients and
    /// proxies may retry a 408 on their own, repeating a POST that may have taken effect.
    #[must_use]
    pub fn timeout() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "http.timeout",
            "the request took too long",
        )
    }

    /// A 503 for a request the process has no room for now (e.g. too many open event
    /// streams); the client may come back shortly.
    #[must_use]
    pub fn busy() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "http.busy",
            "the server is busy; try again shortly",
        )
        .retry_after(Duration::from_secs(5))
    }

    /// A 500 that hides `cause` from the caller and logs it (with the request id, from the
    /// current span).
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred",
        )
    }

    /// The error for a bare status produced outside our handlers (router, layers).
    #[must_use]
    pub fn from_status(status: StatusCode) -> Self {
        let (code, detail) = match status {
            StatusCode::NOT_FOUND => ("http.not_found", "no resource at this path"),
            StatusCode::METHOD_NOT_ALLOWED => (
                "http.method_not_allowed",
                "this method is not allowed on this path",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => {
                ("http.payload_too_large", "the request body is too large")
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "http.unsupported_media_type",
                "the content type is not supported",
            ),
            StatusCode::REQUEST_TIMEOUT => ("http.timeout", "the request took too long"),
            StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "too many requests; slow down"),
            StatusCode::UNAUTHORIZED => ("auth.unauthenticated", "authentication is required"),
            StatusCode::FORBIDDEN => ("http.forbidden", "forbidden"),
            s if s.is_server_error() => ("internal", "an internal error occurred"),
            _ => ("http.bad_request", "the request could not be processed"),
        };
        Self::new(status, code, detail)
    }

    /// Adds a `Retry-After`.
    #[must_use]
    pub fn retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("urn:mercato:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            code: self.code.to_string(),
            detail: self.detail.clone(),
            errors: self.errors.clone(),
            extensions: self.extensions.clone(),
        }
    }
}

impl<E: DomainError> From<E> for ApiError {
    fn from(err: E) -> Self {
        let status = match err.kind() {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => return Self::internal(&err),
        };
        Self {
            status,
            code: Cow::Borrowed(err.code()),
            detail: err.to_string(),
            errors: err.field_errors().to_vec(),
            retry_after: err.retry_after(),
            extensions: err.extensions(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.problem())).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(wait) = self.retry_after {
            // Round up: telling a client to come back a little early only earns another 429.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Middleware giving error responses produced outside our handlers — the router's 404 and
/// 405, the body limit's 413, the rate limiter's 429 — the same problem
/// shape as everything else. Headers such as `Allow` and `Retry-After` are kept.
pub async fn problem_for_bare_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let problem = ApiError::from_status(status).into_response();
    let (problem_parts, body) = problem.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in &problem_parts.headers {
        parts.headers.insert(name.clone(), value.clone());
    }
    Response::from_parts(parts, Body::new(body))
}

/// The fallback of every router: unknown paths get a problem 404.
pub async fn not_found() -> ApiError {
    ApiError::from_status(StatusCode::NOT_FOUND)
}

#[cfg(test)]
mod tests {
    use axum::body::to_bytes;
    use mercato_core::identity::IdentityError;

    use super::*;

    #[tokio::test]
    async fn a_busy_password_hasher_answers_503_with_retry_after() {
        let response = ApiError::from(IdentityError::Busy).into_response();

        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let problem: Problem = serde_json::from_slice(&body).expect("a problem document");
        assert_eq!((problem.status, problem.code.as_str()), (503, "auth.busy"));
    }
}
