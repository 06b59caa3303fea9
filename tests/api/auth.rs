//! `/api/auth/...` end to end.

use std::net::IpAddr;

use mercato::client::{Client, ClientError, Problem};
use mercato::core::identity::{LocationUpdate, LoginRequest, ProfileUpdate, RegisterRequest};
use reqwest::header::{CONTENT_TYPE, COOKIE, ORIGIN, RETRY_AFTER, SET_COOKIE};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::json;

use crate::support::{
    APP_ORIGIN, PASSWORD, TestApp, code, invalid_fields, problem_of, registration, unique_email,
};

#[tokio::test]
async fn registration_returns_tokens_and_the_normalized_user() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let email = unique_email();
    let session = client
        .register(&registration(&format!("  {}  ", email.to_uppercase())))
        .await
        .expect("registered");
    assert_eq!(session.user.email.as_str(), email);
    assert_eq!(session.user.phone.as_deref(), Some("+49301234567"));
    assert!(!session.access_token.is_empty() && !session.refresh_token.is_empty());
    let me = client.profile().await.expect("profile with the new token");
    assert_eq!(me.id, session.user.id);
}

#[tokio::test]
async fn registering_an_existing_email_is_a_conflict() {
    let app = TestApp::spawn().await;
    let email = unique_email();
    app.client()
        .register(&registration(&email))
        .await
        .expect("first registration");
    let again = app
        .client()
        .register(&registration(&email.to_uppercase()))
        .await;
    assert_eq!(
        code(again),
        (Some(StatusCode::CONFLICT), "auth.email_taken".to_owned())
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_identical_bodies() {
    let app = TestApp::spawn().await;
    let (_, session) = app.customer().await;
    let wrong_password = app
        .client()
        .login(session.user.email.as_str(), "not-the-password-at-all")
        .await;
    let unknown_email = app.client().login(&unique_email(), PASSWORD).await;
    let (wrong, unknown) = (
        wrong_password.expect_err("refused"),
        unknown_email.expect_err("refused"),
    );
    assert_eq!(wrong.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(wrong.problem(), unknown.problem());
}

#[tokio::test]
async fn logout_revokes_the_access_token_everywhere() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let token = client.access_token();
    client.logout().await.expect("logged out");
    client.set_access_token(token);
    assert_eq!(
        code(client.profile().await),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.session_ended".to_owned()
        )
    );
}

#[tokio::test]
async fn presenting_a_spent_refresh_token_after_the_grace_revokes_the_session() {
    let app = TestApp::spawn_with(&["--refresh-reuse-grace-secs", "0"]).await;
    let (client, first) = app.customer().await;
    let second = client.refresh().await.expect("first refresh rotates");
    assert_ne!(second.refresh_token, first.refresh_token);
    let reuse = client.refresh_with(Some(&first.refresh_token)).await;
    assert_eq!(
        code(reuse),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.refresh_token_reused".to_owned()
        )
    );
    // The thief's reuse ended the session for the rightful holder too.
    assert_eq!(code(client.profile().await).1, "auth.session_ended");
    assert_eq!(code(client.refresh().await).1, "auth.refresh_token_invalid");
}

#[tokio::test]
async fn presenting_a_just_spent_refresh_token_is_in_progress_and_keeps_the_session() {
    // A grace far longer than the test can take, so a slow machine cannot turn "just" into
    // "long ago".
    let app = TestApp::spawn_with(&["--refresh-reuse-grace-secs", "3600"]).await;
    let (client, first) = app.customer().await;
    client.refresh().await.expect("first refresh rotates");

    // A second tab, or a retry of a refresh whose response was lost.
    let again = client.refresh_with(Some(&first.refresh_token)).await;

    assert_eq!(
        code(again),
        (
            Some(StatusCode::CONFLICT),
            "auth.refresh_in_progress".to_owned()
        )
    );
    client.profile().await.expect("the session is still live");
    client
        .refresh()
        .await
        .expect("the newest refresh token still works");
}

#[tokio::test]
async fn an_expired_access_token_is_refused_as_token_expired() {
    let app = TestApp::spawn_with(&["--access-token-ttl-secs", "0"]).await;
    let (client, _) = app.customer().await;

    let result = client.profile().await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.token_expired".to_owned()
        )
    );
}

// --- logout ---------------------------------------------------------------------------

#[tokio::test]
async fn an_app_logs_out_with_its_refresh_token_after_the_access_token_expired() {
    let app = TestApp::spawn_with(&["--access-token-ttl-secs", "0"]).await;
    let (client, session) = app.customer().await;
    assert_eq!(code(client.profile().await).1, "auth.token_expired");

    client.logout().await.expect("logged out");

    assert_eq!(
        code(
            app.client()
                .refresh_with(Some(&session.refresh_token))
                .await
        ),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.refresh_token_invalid".to_owned()
        ),
        "the session has ended"
    );
}

#[tokio::test]
async fn a_browser_logs_out_with_its_refresh_cookie_after_the_access_cookie_expired() {
    let app = TestApp::spawn_with(&["--access-token-ttl-secs", "0"]).await;
    let client = app.cookie_client();
    let session = client
        .register(&registration(&unique_email()))
        .await
        .expect("registered");
    assert!(
        !client.has_cookie("mercato_access") && client.has_cookie("mercato_refresh"),
        "only the refresh cookie is left"
    );

    client.logout().await.expect("logged out");

    assert!(!client.has_cookie("mercato_refresh"));
    let (status, problem) = problem_of(browser_request(
        &app,
        Method::POST,
        "/api/auth/refresh",
        ("mercato_refresh", &session.refresh_token),
        Some(APP_ORIGIN),
    ))
    .await;
    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.refresh_token_invalid")
    );
}

#[tokio::test]
async fn a_cookie_logout_from_a_foreign_origin_is_refused_and_ends_nothing() {
    let app = TestApp::spawn().await;
    let (_, session) = app.customer().await;

    let (status, problem) = problem_of(browser_request(
        &app,
        Method::POST,
        "/api/auth/logout",
        ("mercato_refresh", &session.refresh_token),
        Some(EVIL_ORIGIN),
    ))
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::FORBIDDEN, "auth.csrf_rejected")
    );
    app.client()
        .refresh_with(Some(&session.refresh_token))
        .await
        .expect("the session is still live");
}

fn clearing_cookies(response: &reqwest::Response) -> Vec<String> {
    let mut cleared: Vec<String> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ascii"))
        .filter(|cookie| cookie.contains("; Max-Age=0;"))
        .filter_map(|cookie| cookie.split_once('=').map(|(name, _)| name.to_owned()))
        .collect();
    cleared.sort();
    cleared
}

#[tokio::test]
async fn a_logout_without_credentials_is_refused_but_still_clears_the_cookies() {
    let app = TestApp::spawn().await;

    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/logout", app.base_url))
        .send()
        .await
        .expect("request sent");

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        clearing_cookies(&response),
        ["mercato_access", "mercato_refresh"]
    );
}

#[tokio::test]
async fn a_successful_logout_clears_the_cookies() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let response = client
        .request(Method::POST, "/api/auth/logout")
        .send()
        .await
        .expect("request sent");

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        clearing_cookies(&response),
        ["mercato_access", "mercato_refresh"]
    );
}

#[tokio::test]
async fn the_client_forgets_its_tokens_even_when_logout_fails() {
    let app = TestApp::spawn().await;
    let client = app.client();
    client.set_access_token(Some("not.a.jwt".to_owned()));
    client.set_refresh_token(Some("made-up-refresh-token".to_owned()));

    let result = client.logout().await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.refresh_token_invalid".to_owned()
        )
    );
    assert_eq!(
        (client.access_token(), client.refresh_token()),
        (None, None)
    );
}

/// A bearer client whose connections leave from `ip`. Every 127.0.0.0/8 address reaches the
/// loopback server, so per-client limits count this client apart from every other test's.
fn client_from(app: &TestApp, ip: [u8; 4]) -> Client {
    let http = reqwest::Client::builder()
        .local_address(IpAddr::from(ip))
        .build()
        .expect("http client");
    Client::with_http(&app.base_url, http)
}

/// What a browser sends for a page at `origin` (`None`: no `Origin` header): the session
/// cookie `name=value` and nothing else.
fn browser_request(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: (&str, &str),
    origin: Option<&str>,
) -> RequestBuilder {
    let request = reqwest::Client::new()
        .request(method, format!("{}{path}", app.base_url))
        .header(COOKIE, format!("{}={}", cookie.0, cookie.1));
    match origin {
        Some(origin) => request.header(ORIGIN, origin),
        None => request,
    }
}

const EVIL_ORIGIN: &str = "http://evil.test";

fn new_profile(name: &str) -> ProfileUpdate {
    ProfileUpdate {
        name: name.to_owned(),
        phone: None,
        locale: "en-US".to_owned(),
        country_code: "US".to_owned(),
    }
}

// --- registration ---------------------------------------------------------------------

#[tokio::test]
async fn registration_names_every_invalid_field_at_once() {
    let app = TestApp::spawn().await;
    let request = RegisterRequest {
        email: "not-an-email".to_owned(),
        password: "short".to_owned(),
        name: "   ".to_owned(),
        phone: Some("12".to_owned()),
        country_code: "Germany".to_owned(),
        locale: Some("english".to_owned()),
    };

    let result = app.client().register(&request).await;

    assert_eq!(
        invalid_fields(result),
        [
            "countryCode",
            "email",
            "locale",
            "name",
            "password",
            "phone"
        ]
    );
}

#[tokio::test]
async fn registration_refuses_a_common_password() {
    let app = TestApp::spawn().await;
    let request = RegisterRequest {
        password: "password123".to_owned(),
        ..registration(&unique_email())
    };

    let result = app.client().register(&request).await;

    assert_eq!(invalid_fields(result), ["password"]);
}

#[tokio::test]
async fn registration_refuses_a_country_mercato_does_not_serve() {
    let app = TestApp::spawn().await;
    let request = RegisterRequest {
        country_code: "FR".to_owned(),
        ..registration(&unique_email())
    };

    let result = app.client().register(&request).await;

    assert_eq!(invalid_fields(result), ["countryCode"]);
}

#[tokio::test]
async fn registration_refuses_unknown_fields_and_creates_no_account() {
    let app = TestApp::spawn().await;
    let email = unique_email();
    let mut body = serde_json::to_value(registration(&email)).expect("serializes");
    body["role"] = json!("admin");

    let (status, problem) = problem_of(
        app.client()
            .request(Method::POST, "/api/auth/register")
            .json(&body),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation.failed")
    );
    assert_eq!(problem.errors.len(), 1);
    assert_eq!(problem.errors[0].field, "role");
    assert_eq!(
        code(app.client().login(&email, PASSWORD).await).1,
        "auth.invalid_credentials"
    );
}

// --- session and refresh --------------------------------------------------------------

#[tokio::test]
async fn the_session_endpoint_shows_the_caller_and_their_session() {
    let app = TestApp::spawn().await;
    let (client, registered) = app.customer().await;

    let info = client.session().await.expect("session");

    assert_eq!(info.user, registered.user);
    assert_eq!(
        (info.session.expires_at - info.session.created_at).whole_days(),
        30,
        "a session lasts the configured 30 days"
    );
}

#[tokio::test]
async fn each_login_opens_its_own_session() {
    let app = TestApp::spawn().await;
    let (first, registered) = app.customer().await;
    let second = app.client();
    second
        .login(registered.user.email.as_str(), PASSWORD)
        .await
        .expect("second login");

    let (a, b) = (
        first.session().await.expect("first session"),
        second.session().await.expect("second session"),
    );

    assert_ne!(a.session.id, b.session.id);
}

#[tokio::test]
async fn the_session_endpoint_requires_a_token() {
    let app = TestApp::spawn().await;

    let result = app.client().session().await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.unauthenticated".to_owned()
        )
    );
}

#[tokio::test]
async fn the_session_endpoint_refuses_a_garbage_token() {
    let app = TestApp::spawn().await;
    let client = app.client();
    client.set_access_token(Some("not.a.jwt".to_owned()));

    let result = client.session().await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.unauthenticated".to_owned()
        )
    );
}

#[tokio::test]
async fn refreshing_with_the_body_token_issues_working_new_tokens_in_the_same_session() {
    let app = TestApp::spawn().await;
    let (client, first) = app.customer().await;
    let before = client.session().await.expect("session").session;

    let second = client
        .refresh_with(Some(&first.refresh_token))
        .await
        .expect("refreshed");

    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.user.id, first.user.id);
    let after = client.session().await.expect("new access token works");
    assert_eq!(after.session.id, before.id);
}

#[tokio::test]
async fn an_unknown_refresh_token_is_refused() {
    let app = TestApp::spawn().await;

    let result = app.client().refresh_with(Some("made-up-token")).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.refresh_token_invalid".to_owned()
        )
    );
}

// --- login throttling and rate limits -------------------------------------------------

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_even_against_the_right_one() {
    let app = TestApp::spawn().await;
    let (_, victim) = app.customer().await;
    let email = victim.user.email.as_str();
    let attacker = client_from(&app, [127, 0, 0, 11]);
    for attempt in 1..=5 {
        let result = attacker.login(email, "wrong-password-guess").await;
        assert_eq!(
            code(result).1,
            "auth.invalid_credentials",
            "attempt {attempt}"
        );
    }

    let err = attacker
        .login(email, PASSWORD)
        .await
        .expect_err("locked out");

    let ClientError::Api {
        status,
        problem,
        retry_after,
    } = err
    else {
        panic!("expected a problem, got {err}");
    };
    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "auth.too_many_attempts")
    );
    let wait = retry_after.expect("Retry-After is sent");
    assert!(
        (1..=15 * 60).contains(&wait),
        "wait {wait}s lies within the 15-minute window"
    );
}

#[tokio::test]
async fn parallel_wrong_passwords_never_get_past_the_accounts_limit() {
    let app = TestApp::spawn().await;
    let (_, victim) = app.customer().await;
    let email = victim.user.email.as_str().to_owned();
    let attacker = client_from(&app, [127, 0, 0, 17]);
    let mut guesses = tokio::task::JoinSet::new();
    for guess in 0..12 {
        let attacker = attacker.clone();
        let email = email.clone();
        guesses.spawn(async move {
            code(
                attacker
                    .login(&email, &format!("wrong-password-guess-{guess}"))
                    .await,
            )
        });
    }

    let mut outcomes = Vec::new();
    while let Some(outcome) = guesses.join_next().await {
        outcomes.push(outcome.expect("task"));
    }

    let checked = outcomes
        .iter()
        .filter(|(_, code)| code == "auth.invalid_credentials")
        .count();
    let refused = outcomes
        .iter()
        .filter(|(status, code)| {
            *status == Some(StatusCode::TOO_MANY_REQUESTS) && code == "auth.too_many_attempts"
        })
        .count();
    assert_eq!(
        (checked, refused),
        (5, 7),
        "only the account's 5 allowed attempts are checked: {outcomes:?}"
    );
}

#[tokio::test]
async fn a_locked_account_does_not_lock_other_accounts() {
    let app = TestApp::spawn().await;
    let (_, victim) = app.customer().await;
    let (_, bystander) = app.customer().await;
    let client = client_from(&app, [127, 0, 0, 12]);
    for _ in 0..5 {
        let _ = client
            .login(victim.user.email.as_str(), "wrong-password-guess")
            .await;
    }

    let result = client.login(bystander.user.email.as_str(), PASSWORD).await;

    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn failed_logins_spread_over_many_emails_lock_out_the_client() {
    let app = TestApp::spawn_with(&["--login-failures-per-client", "3"]).await;
    let client = client_from(&app, [127, 0, 0, 13]);
    for attempt in 1..=3 {
        let result = client.login(&unique_email(), PASSWORD).await;
        assert_eq!(
            code(result).1,
            "auth.invalid_credentials",
            "attempt {attempt}"
        );
    }

    let result = client.login(&unique_email(), PASSWORD).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::TOO_MANY_REQUESTS),
            "auth.too_many_attempts".to_owned()
        )
    );
}

#[tokio::test]
async fn a_locked_out_client_does_not_lock_out_other_clients() {
    let app = TestApp::spawn_with(&["--login-failures-per-client", "3"]).await;
    let (_, customer) = app.customer().await;
    let locked = client_from(&app, [127, 0, 0, 14]);
    for _ in 0..4 {
        let _ = locked.login(&unique_email(), PASSWORD).await;
    }

    let result = client_from(&app, [127, 0, 0, 15])
        .login(customer.user.email.as_str(), PASSWORD)
        .await;

    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn hammering_login_is_rate_limited_with_a_retry_after() {
    let app = TestApp::spawn_with(&["--auth-rate-per-minute", "6"]).await;
    let client = client_from(&app, [127, 0, 0, 16]);
    let attempt = LoginRequest {
        email: unique_email(),
        password: PASSWORD.to_owned(),
    };

    let mut limited = None;
    for _ in 0..20 {
        let response = client
            .request(Method::POST, "/api/auth/login")
            .json(&attempt)
            .send()
            .await
            .expect("request sent");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
    }

    let response = limited.expect("a 429 within 20 requests at 6 per minute");
    assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
    let wait: u64 = response.headers()[RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("Retry-After in seconds");
    assert!(wait >= 1);
    let problem: Problem = response.json().await.expect("a problem document");
    assert_eq!(
        (problem.status, problem.code.as_str()),
        (429, "rate_limited")
    );
}

// --- cookie mode ----------------------------------------------------------------------

#[tokio::test]
async fn cookie_registration_sets_httponly_strict_session_cookies() {
    let app = TestApp::spawn().await;

    let response = app
        .cookie_client()
        .request(Method::POST, "/api/auth/register")
        .json(&registration(&unique_email()))
        .send()
        .await
        .expect("request sent");

    assert_eq!(response.status(), StatusCode::CREATED);
    let cookies: Vec<&str> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ascii"))
        .collect();
    let find = |name: &str| {
        cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .copied()
            .unwrap_or_else(|| panic!("{name} set in {cookies:?}"))
    };
    for (name, path) in [("mercato_access", "/api"), ("mercato_refresh", "/api/auth")] {
        let cookie = find(name);
        assert!(cookie.contains("; HttpOnly"), "{cookie}");
        assert!(cookie.contains("; SameSite=Strict"), "{cookie}");
        assert!(cookie.contains(&format!("; Path={path};")), "{cookie}");
    }
}

#[tokio::test]
async fn a_cookie_client_is_authenticated_by_its_cookies_alone() {
    let app = TestApp::spawn().await;
    let client = app.cookie_client();
    let session = client
        .register(&registration(&unique_email()))
        .await
        .expect("registered");

    let me = client.profile().await.expect("profile");

    assert!(client.has_cookie("mercato_access") && client.has_cookie("mercato_refresh"));
    assert_eq!(client.access_token(), None, "no bearer token is held");
    assert_eq!(me.id, session.user.id);
}

#[tokio::test]
async fn refreshing_without_a_body_uses_the_refresh_cookie() {
    let app = TestApp::spawn().await;
    let client = app.cookie_client();
    let first = client
        .register(&registration(&unique_email()))
        .await
        .expect("registered");

    let second = client.refresh().await.expect("refreshed from the cookie");

    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.user.id, first.user.id);
    client.profile().await.expect("the new access cookie works");
}

#[tokio::test]
async fn cookie_logout_clears_the_cookies_and_ends_the_session() {
    let app = TestApp::spawn().await;
    let client = app.cookie_client();
    let session = client
        .register(&registration(&unique_email()))
        .await
        .expect("registered");

    client.logout().await.expect("logged out");

    assert!(!client.has_cookie("mercato_access") && !client.has_cookie("mercato_refresh"));
    let (status, problem) = problem_of(browser_request(
        &app,
        Method::GET,
        "/api/users/profile",
        ("mercato_access", &session.access_token),
        Some(APP_ORIGIN),
    ))
    .await;
    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.session_ended")
    );
}

#[tokio::test]
async fn a_cookie_put_from_the_app_origin_is_accepted() {
    let app = TestApp::spawn().await;
    let client = app.cookie_client();
    client
        .register(&registration(&unique_email()))
        .await
        .expect("registered");

    let updated = client.update_profile(&new_profile("Renamed")).await;

    assert_eq!(updated.expect("updated").name, "Renamed");
}

#[tokio::test]
async fn a_cookie_put_from_a_foreign_origin_is_refused_and_not_applied() {
    let app = TestApp::spawn().await;
    let (client, session) = app.customer().await;

    let (status, problem) = problem_of(
        browser_request(
            &app,
            Method::PUT,
            "/api/users/profile",
            ("mercato_access", &session.access_token),
            Some(EVIL_ORIGIN),
        )
        .json(&new_profile("Mallory")),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::FORBIDDEN, "auth.csrf_rejected")
    );
    assert_eq!(
        client.profile().await.expect("profile").name,
        "Test Customer"
    );
}

#[tokio::test]
async fn a_cookie_post_without_an_origin_is_refused() {
    let app = TestApp::spawn().await;
    let (_, session) = app.customer().await;

    let (status, problem) = problem_of(
        browser_request(
            &app,
            Method::POST,
            "/api/users/location",
            ("mercato_access", &session.access_token),
            None,
        )
        .json(&LocationUpdate {
            lat: 52.52,
            lng: 13.405,
            accuracy_m: None,
        }),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::FORBIDDEN, "auth.csrf_rejected")
    );
}

#[tokio::test]
async fn a_cookie_refresh_from_a_foreign_origin_is_refused() {
    let app = TestApp::spawn().await;
    let (_, session) = app.customer().await;

    let (status, problem) = problem_of(browser_request(
        &app,
        Method::POST,
        "/api/auth/refresh",
        ("mercato_refresh", &session.refresh_token),
        Some(EVIL_ORIGIN),
    ))
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::FORBIDDEN, "auth.csrf_rejected")
    );
}

#[tokio::test]
async fn a_cookie_get_from_a_foreign_origin_is_allowed() {
    let app = TestApp::spawn().await;
    let (_, session) = app.customer().await;

    let response = browser_request(
        &app,
        Method::GET,
        "/api/users/profile",
        ("mercato_access", &session.access_token),
        Some(EVIL_ORIGIN),
    )
    .send()
    .await
    .expect("request sent");

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn bearer_requests_need_no_origin() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let updated = client.update_profile(&new_profile("Renamed")).await;

    assert_eq!(updated.expect("updated").name, "Renamed");
}
