//! Cross-cutting HTTP layers: request ids, the request time limit, request metrics.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use tower_http::request_id::{MakeRequestId, RequestId};

use crate::error::ApiError;

/// The header carrying the request id, on requests (honoured if sent and acceptable) and
/// responses.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The longest request id accepted from a client.
pub const MAX_REQUEST_ID_LEN: usize = 64;

/// Whether a client-sent request id may be used as is: 1–64 characters of
/// `[A-Za-z0-9._-]`. Anything else could forge log lines or carry markup into log viewers.
#[must_use]
pub fn is_acceptable_request_id(id: &[u8]) -> bool {
    (1..=MAX_REQUEST_ID_LEN).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Removes a client-sent request id that is not acceptable (or sent more than once), so
/// the request-id layer generates a fresh one instead.
pub async fn drop_unacceptable_request_id(mut request: Request) -> Request {
    let headers = request.headers_mut();
    let mut sent = headers.get_all(REQUEST_ID_HEADER).iter();
    let acceptable = match (sent.next(), sent.next()) {
        (Some(id), None) => is_acceptable_request_id(id.as_bytes()),
        (None, _) => true,
        (Some(_), Some(_)) => false,
    };
    if !acceptable {
        headers.remove(REQUEST_ID_HEADER);
    }
    request
}

/// Answers 503 `http.timeout` when the rest of the stack takes longer than `limit` to
/// produce the response head; the unfinished work is dropped. A streamed body — an event
/// stream (`GET /api/orders/{id}/events`) — is not limited: it flows after the head, for as
/// long as the stream lives.
pub async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::timeout().into_response(),
    }
}

/// Makes request ids as UUIDv7 (time-ordered, so logs sort naturally).
#[derive(Debug, Clone, Copy, Default)]
pub struct MakeRequestUuidV7;

impl MakeRequestId for MakeRequestUuidV7 {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// Records `http_requests_total` and `http_request_duration_seconds` by method, route
/// template (never the raw path, which would explode cardinality) and status.
pub async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::{Body, to_bytes};
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    use mercato_core::Problem;
    use tower::ServiceExt as _;

    use super::*;

    #[test]
    fn request_ids_are_accepted_only_in_a_safe_shape() {
        for ok in ["a", "trace-from-the-edge-42", "A.b_C-9", &"x".repeat(64)] {
            assert!(is_acceptable_request_id(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "",
            &"x".repeat(65),
            "has space",
            "new\nline",
            "<script>",
            "id;drop",
            "ünïcode",
        ] {
            assert!(!is_acceptable_request_id(bad.as_bytes()), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn a_request_over_the_time_limit_is_answered_503_http_timeout() {
        let app = Router::new()
            .route("/slow", get(std::future::pending::<()>))
            .layer(axum::middleware::from_fn_with_state(
                Duration::from_millis(10),
                time_limit,
            ));

        let response = app
            .oneshot(
                axum::http::Request::get("/slow")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");

        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            crate::error::PROBLEM_JSON
        );
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let problem: Problem = serde_json::from_slice(&body).expect("a problem document");
        assert_eq!(problem.code, "http.timeout");
    }

    #[tokio::test]
    async fn a_streamed_body_may_outlast_the_time_limit() {
        let app = Router::new()
            .route(
                "/stream",
                get(|| async {
                    let late = futures::stream::once(async {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, std::convert::Infallible>("data: late\n\n")
                    });
                    Body::from_stream(late)
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                Duration::from_millis(10),
                time_limit,
            ));

        let response = app
            .oneshot(
                axum::http::Request::get("/stream")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");

        assert_eq!(response.status(), StatusCode::OK);
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(&body[..], b"data: late\n\n");
    }
}
