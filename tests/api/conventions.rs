//! Cross-cutting HTTP conventions: problem documents, request ids, limits, health.

use mercato::client::{Client, Problem};
use mercato::server::demo::DEMO_PASSWORD;
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD,
    ALLOW, CONTENT_TYPE, ORIGIN, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use reqwest::{Method, Response, StatusCode};

use crate::support::{APP_ORIGIN, TestApp, problem_of, registration};

const PROBLEM_JSON: &str = "application/problem+json";

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

async fn send(request: reqwest::RequestBuilder) -> Response {
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn an_unknown_route_answers_a_problem_404() {
    let app = TestApp::spawn().await;

    let response = send(http().get(format!("{}/api/no-such-thing", app.base_url))).await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
    let problem: Problem = response.json().await.expect("a problem document");
    assert_eq!(
        (problem.status, problem.code.as_str()),
        (404, "http.not_found")
    );
}

#[tokio::test]
async fn a_wrong_method_answers_405_naming_the_allowed_ones() {
    let app = TestApp::spawn().await;

    let response = send(http().delete(format!("{}/api/auth/login", app.base_url))).await;

    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[ALLOW], "POST");
    assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
    let problem: Problem = response.json().await.expect("a problem document");
    assert_eq!(problem.code, "http.method_not_allowed");
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let app = TestApp::spawn().await;

    let (status, problem) = problem_of(
        http()
            .post(format!("{}/api/auth/login", app.base_url))
            .header(CONTENT_TYPE, "application/json")
            .body(r#"{"email": "a@example.com", "#),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::BAD_REQUEST, "http.malformed_json")
    );
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_is_unsupported() {
    let app = TestApp::spawn().await;
    let body = serde_json::to_string(&registration("x@example.com")).expect("serializes");

    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let request = http()
            .post(format!("{}/api/auth/register", app.base_url))
            .body(body.clone());
        let request = match content_type {
            Some(value) => request.header(CONTENT_TYPE, value),
            None => request,
        };

        let (status, problem) = problem_of(request).await;

        assert_eq!(
            (status, problem.code.as_str()),
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "http.unsupported_media_type"
            ),
            "{content_type:?}"
        );
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let app = TestApp::spawn_with(&["--body-limit", "1024"]).await;
    let mut request = registration("big@example.com");
    request.name = "n".repeat(2048);

    let (status, problem) = problem_of(
        http()
            .post(format!("{}/api/auth/register", app.base_url))
            .json(&request),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "http.payload_too_large")
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;

    for path in ["/health/live", "/api/no-such-thing", "/api/users/profile"] {
        let response = send(http().get(format!("{}{path}", app.base_url))).await;

        let id = response
            .headers()
            .get("x-request-id")
            .unwrap_or_else(|| panic!("{path} has no x-request-id"));
        assert!(
            uuid::Uuid::parse_str(id.to_str().expect("ascii")).is_ok(),
            "{path}: {id:?}"
        );
    }
}

#[tokio::test]
async fn a_request_id_sent_by_the_caller_is_echoed() {
    let app = TestApp::spawn().await;

    let response = send(
        http()
            .get(format!("{}/health/live", app.base_url))
            .header("x-request-id", "trace-from-the-edge-42"),
    )
    .await;

    assert_eq!(response.headers()["x-request-id"], "trace-from-the-edge-42");
}

#[tokio::test]
async fn an_unacceptable_request_id_is_replaced_by_a_generated_one() {
    let app = TestApp::spawn().await;

    for sent in [
        "<script>alert(1)</script>".to_owned(),
        "has spaces in it".to_owned(),
        "x".repeat(65),
    ] {
        let response = send(
            http()
                .get(format!("{}/health/live", app.base_url))
                .header("x-request-id", &sent),
        )
        .await;

        let id = response.headers()["x-request-id"].to_str().expect("ascii");
        assert!(
            uuid::Uuid::parse_str(id).is_ok(),
            "{sent:?} answered {id:?}"
        );
    }
}

/// Sends `head` and the start of a body over a raw connection, never the rest, and returns
/// the server's response (head and body) as text.
fn send_unfinished_request(address: String, head: &str, partial_body: &str) -> String {
    use std::io::{Read as _, Write as _};

    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("read timeout");
    stream
        .write_all(format!("{head}\r\n\r\n{partial_body}").as_bytes())
        .expect("request written");
    let mut response = Vec::new();
    let mut chunk = [0_u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&response);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())
                        .flatten()
                })
                .expect("a content-length");
            if body.len() >= length {
                return text.into_owned();
            }
        }
        let read = stream.read(&mut chunk).expect("the server answers");
        assert!(read > 0, "connection closed early: {text}");
        response.extend_from_slice(&chunk[..read]);
    }
}

#[tokio::test]
async fn a_request_over_the_time_limit_answers_503_not_408() {
    let app = TestApp::spawn_with(&["--request-timeout-secs", "1"]).await;
    let address = app.base_url.trim_start_matches("http://").to_owned();

    // A body that never finishes arriving keeps the handler waiting past the limit.
    let response = tokio::task::spawn_blocking(move || {
        send_unfinished_request(
            address,
            "POST /api/auth/login HTTP/1.1\r\nHost: mercato.test\r\n\
             Content-Type: application/json\r\nContent-Length: 100",
            r#"{"email": "#,
        )
    })
    .await
    .expect("request task");

    let (head, body) = response.split_once("\r\n\r\n").expect("a response");
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{head}"
    );
    let problem: Problem = serde_json::from_str(body).expect("a problem document");
    assert_eq!(problem.code, "http.timeout");
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::spawn().await;

    for path in ["/health/live", "/api/no-such-thing"] {
        let response = send(http().get(format!("{}{path}", app.base_url))).await;

        assert_eq!(
            response.headers()[X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{path}"
        );
        assert_eq!(response.headers()[X_FRAME_OPTIONS], "DENY", "{path}");
    }
}

#[tokio::test]
async fn the_liveness_probe_answers_ok() {
    let app = TestApp::spawn().await;

    let result = app.client().live().await;

    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn the_readiness_probe_answers_ok_with_the_database_up() {
    let app = TestApp::spawn().await;

    let result = app.client().ready().await;

    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn metrics_count_requests() {
    let app = TestApp::spawn().await;
    app.client().live().await.expect("live");

    let response = send(http().get(format!("{}/metrics", app.base_url))).await;

    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("text");
    assert!(
        text.lines()
            .any(|line| line.starts_with("http_requests_total{")
                && line.contains(r#"route="/health/live""#)),
        "{text}"
    );
}

fn preflight(app: &TestApp, origin: &str) -> reqwest::RequestBuilder {
    http()
        .request(
            Method::OPTIONS,
            format!("{}/api/users/profile", app.base_url),
        )
        .header(ORIGIN, origin)
        .header(ACCESS_CONTROL_REQUEST_METHOD, "PUT")
}

#[tokio::test]
async fn a_cors_preflight_from_the_app_origin_is_allowed_with_credentials() {
    let app = TestApp::spawn().await;

    let response = send(preflight(&app, APP_ORIGIN)).await;

    assert_eq!(response.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], APP_ORIGIN);
    assert_eq!(response.headers()[ACCESS_CONTROL_ALLOW_CREDENTIALS], "true");
}

#[tokio::test]
async fn a_configured_origin_with_a_trailing_slash_matches_what_browsers_send() {
    let app = TestApp::spawn_with(&["--cors-origins", &format!("{APP_ORIGIN}/")]).await;

    let response = send(preflight(&app, APP_ORIGIN)).await;

    assert_eq!(response.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], APP_ORIGIN);
}

#[tokio::test]
async fn a_cors_preflight_from_a_foreign_origin_is_not_allowed() {
    let app = TestApp::spawn().await;

    let response = send(preflight(&app, "http://evil.test")).await;

    assert_eq!(response.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN), None);
}

#[tokio::test]
async fn error_bodies_reveal_no_internals() {
    let app = TestApp::spawn().await;
    let unauthenticated = http().get(format!("{}/api/users/profile", app.base_url));
    let not_found = http().get(format!("{}/api/no-such-thing", app.base_url));
    let invalid = http()
        .post(format!("{}/api/auth/register", app.base_url))
        .json(&serde_json::json!({ "email": 42 }));

    for (expected, request) in [
        (StatusCode::UNAUTHORIZED, unauthenticated),
        (StatusCode::NOT_FOUND, not_found),
        (StatusCode::UNPROCESSABLE_ENTITY, invalid),
    ] {
        let response = send(request).await;
        assert_eq!(response.status(), expected);
        let body = response.text().await.expect("text");

        for leak in ["sqlx", "panicked", "backtrace", "stack", ".rs:"] {
            assert!(!body.contains(leak), "{expected}: {body}");
        }
    }
}

/// Binds the fixed ports 3001–3007: the only test that may, so ports are not contended.
/// Building the server fails (and so does the test) if any of them is taken.
#[tokio::test]
async fn service_ports_serve_each_context_on_its_own_port() {
    let _app = TestApp::spawn_with(&["--service-ports"]).await;

    let user_service = Client::new("http://127.0.0.1:3003");
    let session = user_service
        .login("admin@demo.mercato.dev", DEMO_PASSWORD)
        .await
        .expect("the user service logs in");
    let location_login = send(http().post("http://127.0.0.1:3001/api/auth/login")).await;

    assert_eq!(session.user.email.as_str(), "admin@demo.mercato.dev");
    assert_eq!(location_login.status(), StatusCode::NOT_FOUND);
}

/// The statuses the served API document lists for `method` on `path`.
fn documented_statuses(spec: &serde_json::Value, path: &str, method: &str) -> Vec<String> {
    spec["paths"][path][method]["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is documented"))
        .keys()
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_api_document_lists_the_problems_each_operation_can_answer() {
    let app = TestApp::spawn().await;
    let spec = app.client().openapi().await.expect("spec served");
    let cases: [(&str, &str, &[&str]); 6] = [
        ("/api/users/profile", "get", &["401"]),
        (
            "/api/users/profile",
            "put",
            &["400", "401", "403", "413", "415", "422"],
        ),
        ("/api/users/addresses/{id}", "delete", &["401", "403"]),
        ("/api/auth/login", "post", &["400", "413", "415", "422"]),
        ("/api/auth/refresh", "post", &["409", "429"]),
        ("/api/auth/logout", "post", &["401", "403"]),
    ];

    for (path, method, expected) in cases {
        let documented = documented_statuses(&spec, path, method);

        for status in expected {
            assert!(
                documented.iter().any(|s| s == status),
                "{method} {path} lacks {status}: {documented:?}"
            );
        }
    }
    assert_eq!(
        documented_statuses(&spec, "/health/live", "get"),
        ["200"],
        "a public operation without a body gains nothing"
    );
}
