//! A typed Rust client for every Mercato HTTP endpoint.
//!
//! Request and response types are `mercato-core`'s own wire types, so the client cannot
//! drift from the server. Two ways to authenticate:
//! - **bearer** ([`Client::new`]): tokens from register/login/refresh are kept and sent as
//!   `Authorization: Bearer`; refresh tokens travel in the body.
//! - **cookie** ([`Client::with_cookies`]): behaves like a browser — keeps the HttpOnly
//!   cookies the server sets, sends them back by path, and sends an `Origin` header.
//!
//! Every error response is decoded into [`ClientError::Api`] carrying the server's
//! [`Problem`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), mercato_client::ClientError> {
//! let client = mercato_client::Client::new("http://127.0.0.1:3000");
//! client.login("customer@demo.mercato.dev", "mercato-demo-2026").await?;
//! let me = client.profile().await?;
//! println!("hello {}", me.name);
//! # Ok(()) }
//! ```

mod carts;
mod catalog;
mod fulfilment;
mod orders;

use std::sync::{Arc, Mutex, PoisonError};

pub use catalog::TaggedMenu;
pub use fulfilment::{MerchantOrderEvent, MerchantOrderEvents, OrderEvents};
pub use mercato_core::Problem;
use mercato_core::identity::{
    Address, AddressInput, AuthSession, ChangePasswordRequest, LocationUpdate, LoginRequest,
    LogoutRequest, Preferences, ProfileUpdate, RefreshRequest, RegisterRequest, SessionInfo, User,
    UserLocation,
};
use mercato_core::ids::AddressId;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, ORIGIN, SET_COOKIE};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What went wrong calling the API.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error (a problem document).
    #[error("{status}: {} ({})", problem.detail, problem.code)]
    Api {
        /// HTTP status.
        status: StatusCode,
        /// The decoded problem.
        problem: Box<Problem>,
        /// `Retry-After` in seconds, for 429 and 503.
        retry_after: Option<u64>,
    },
    /// The request did not complete (connection, timeout).
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The response was not what the API promises.
    #[error("unexpected response: {0}")]
    Decode(String),
}

impl ClientError {
    /// The problem's stable code, for API errors.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { problem, .. } => Some(&problem.code),
            _ => None,
        }
    }

    /// The HTTP status, for API errors.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The problem document, for API errors.
    #[must_use]
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Api { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

/// Result of a client call.
pub type Result<T, E = ClientError> = std::result::Result<T, E>;

#[derive(Debug, Clone)]
enum Mode {
    Bearer,
    Cookie { origin: String },
}

#[derive(Clone)]
struct StoredCookie {
    name: String,
    value: String,
    path: String,
}

/// Shows the cookie's name and path, never its value.
impl std::fmt::Debug for StoredCookie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredCookie")
            .field("name", &self.name)
            .field("value", &"***")
            .field("path", &self.path)
            .finish()
    }
}

#[derive(Default)]
struct Credentials {
    access_token: Option<String>,
    refresh_token: Option<String>,
    cookies: Vec<StoredCookie>,
}

/// Shows which credentials are held, never what they are.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_token", &self.access_token.as_ref().map(|_| "***"))
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "***"))
            .field("cookies", &self.cookies)
            .finish()
    }
}

/// The Mercato API client. Cheap to clone; clones share credentials. Its `Debug` never shows
/// tokens or cookie values.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    mode: Mode,
    credentials: Arc<Mutex<Credentials>>,
}

impl Client {
    /// A bearer-token client for the API at `base_url` (e.g. `http://127.0.0.1:3000`).
    #[must_use]
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_http(base_url, reqwest::Client::new())
    }

    /// A bearer-token client using a configured `reqwest::Client` (timeouts, pools).
    #[must_use]
    pub fn with_http(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        Self {
            http,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            mode: Mode::Bearer,
            credentials: Arc::default(),
        }
    }

    /// A cookie-mode client acting like a browser page served from `origin`.
    #[must_use]
    pub fn with_cookies(base_url: impl Into<String>, origin: impl Into<String>) -> Self {
        Self {
            mode: Mode::Cookie {
                origin: origin.into(),
            },
            ..Self::new(base_url)
        }
    }

    /// The API's base URL.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn credentials(&self) -> std::sync::MutexGuard<'_, Credentials> {
        self.credentials
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The current access token (bearer mode).
    #[must_use]
    pub fn access_token(&self) -> Option<String> {
        self.credentials().access_token.clone()
    }

    /// The current refresh token (bearer mode).
    #[must_use]
    pub fn refresh_token(&self) -> Option<String> {
        self.credentials().refresh_token.clone()
    }

    /// Uses `token` as the access token from now on (bearer mode).
    pub fn set_access_token(&self, token: Option<String>) {
        self.credentials().access_token = token;
    }

    /// Uses `token` as the refresh token from now on (bearer mode).
    pub fn set_refresh_token(&self, token: Option<String>) {
        self.credentials().refresh_token = token;
    }

    /// Whether a cookie named `name` is held (cookie mode).
    #[must_use]
    pub fn has_cookie(&self, name: &str) -> bool {
        self.credentials().cookies.iter().any(|c| c.name == name)
    }

    /// A request to `path` with this client's credentials attached: the escape hatch for
    /// calls the typed methods do not cover.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let mut builder = self
            .http
            .request(method, format!("{}{path}", self.base_url));
        let credentials = self.credentials();
        match &self.mode {
            Mode::Bearer => {
                if let Some(token) = &credentials.access_token {
                    builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
                }
            }
            Mode::Cookie { origin } => {
                let cookies: Vec<String> = credentials
                    .cookies
                    .iter()
                    .filter(|c| path.starts_with(&c.path))
                    .map(|c| format!("{}={}", c.name, c.value))
                    .collect();
                if !cookies.is_empty() {
                    builder = builder.header(COOKIE, cookies.join("; "));
                }
                builder = builder.header(ORIGIN, origin);
            }
        }
        builder
    }

    fn remember_cookies(&self, headers: &HeaderMap) {
        if !matches!(self.mode, Mode::Cookie { .. }) {
            return;
        }
        let mut credentials = self.credentials();
        for header in headers.get_all(SET_COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            let mut attributes = text.split(';').map(str::trim);
            let Some((name, value)) = attributes.next().and_then(|kv| kv.split_once('=')) else {
                continue;
            };
            let mut path = "/".to_owned();
            let mut expired = value.is_empty();
            for attribute in attributes {
                if let Some(p) = attribute.strip_prefix("Path=") {
                    p.clone_into(&mut path);
                } else if attribute.eq_ignore_ascii_case("Max-Age=0") {
                    expired = true;
                }
            }
            credentials.cookies.retain(|c| c.name != name);
            if !expired {
                credentials.cookies.push(StoredCookie {
                    name: name.to_owned(),
                    value: value.to_owned(),
                    path,
                });
            }
        }
    }

    async fn send(&self, builder: RequestBuilder) -> Result<Response> {
        let response = builder.send().await?;
        self.remember_cookies(response.headers());
        if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
            return Ok(response);
        }
        Err(decode_error(response).await)
    }

    async fn json<T: DeserializeOwned>(&self, builder: RequestBuilder) -> Result<T> {
        let response = self.send(builder).await?;
        let bytes = response.bytes().await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode(e.to_string()))
    }

    async fn call<T: DeserializeOwned>(&self, method: Method, path: &str) -> Result<T> {
        self.json(self.request(method, path)).await
    }

    async fn call_with<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.json(self.request(method, path).json(body)).await
    }

    async fn call_empty<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<()> {
        let mut builder = self.request(method, path);
        if let Some(body) = body {
            builder = builder.json(body);
        }
        self.send(builder).await.map(drop)
    }

    fn keep_session(&self, session: &AuthSession) {
        if matches!(self.mode, Mode::Bearer) {
            let mut credentials = self.credentials();
            credentials.access_token = Some(session.access_token.clone());
            credentials.refresh_token = Some(session.refresh_token.clone());
        }
    }

    // --- auth -------------------------------------------------------------------------

    /// `POST /api/auth/register`: creates a customer account and logs in.
    ///
    /// # Errors
    /// `auth.email_taken` (409), `validation.failed` (422), `rate_limited` (429).
    pub async fn register(&self, request: &RegisterRequest) -> Result<AuthSession> {
        let session: AuthSession = self
            .call_with(Method::POST, "/api/auth/register", request)
            .await?;
        self.keep_session(&session);
        Ok(session)
    }

    /// `POST /api/auth/login`.
    ///
    /// # Errors
    /// `auth.invalid_credentials` (401), `auth.too_many_attempts` (429).
    pub async fn login(&self, email: &str, password: &str) -> Result<AuthSession> {
        let request = LoginRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        let session: AuthSession = self
            .call_with(Method::POST, "/api/auth/login", &request)
            .await?;
        self.keep_session(&session);
        Ok(session)
    }

    /// `GET /api/auth/session`.
    ///
    /// # Errors
    /// `auth.unauthenticated` / `auth.session_ended` (401).
    pub async fn session(&self) -> Result<SessionInfo> {
        self.call(Method::GET, "/api/auth/session").await
    }

    /// `POST /api/auth/refresh` with the held refresh token (body in bearer mode, cookie in
    /// cookie mode); keeps the new tokens.
    ///
    /// # Errors
    /// `auth.refresh_token_invalid` / `auth.refresh_token_reused` (401);
    /// `auth.refresh_in_progress` (409) when the token was spent moments ago by a concurrent
    /// refresh.
    pub async fn refresh(&self) -> Result<AuthSession> {
        let token = match self.mode {
            Mode::Bearer => self.refresh_token(),
            Mode::Cookie { .. } => None,
        };
        self.refresh_with(token.as_deref()).await
    }

    /// `POST /api/auth/refresh` with an explicit refresh token (`None`: rely on the cookie).
    ///
    /// # Errors
    /// As [`Client::refresh`].
    pub async fn refresh_with(&self, refresh_token: Option<&str>) -> Result<AuthSession> {
        let builder = self.request(Method::POST, "/api/auth/refresh");
        let builder = match refresh_token {
            Some(token) => builder.json(&RefreshRequest {
                refresh_token: Some(token.to_owned()),
            }),
            None => builder,
        };
        let session: AuthSession = self.json(builder).await?;
        self.keep_session(&session);
        Ok(session)
    }

    /// `POST /api/auth/logout`: ends the session — named by the refresh token in bearer mode,
    /// so logging out works after the access token has expired; by the cookies in cookie
    /// mode — and forgets every held token and cookie, whatever the outcome.
    ///
    /// # Errors
    /// `auth.unauthenticated` / `auth.refresh_token_invalid` (401); the credentials are
    /// forgotten all the same.
    pub async fn logout(&self) -> Result<()> {
        let refresh_token = match self.mode {
            Mode::Bearer => self.refresh_token(),
            Mode::Cookie { .. } => None,
        };
        let mut builder = self.request(Method::POST, "/api/auth/logout");
        if let Some(token) = refresh_token {
            builder = builder.json(&LogoutRequest {
                refresh_token: Some(token),
            });
        }
        let outcome = self.send(builder).await.map(drop);
        let mut credentials = self.credentials();
        credentials.access_token = None;
        credentials.refresh_token = None;
        credentials.cookies.clear();
        outcome
    }

    // --- users ------------------------------------------------------------------------

    /// `GET /api/users/profile`.
    ///
    /// # Errors
    /// 401 without a live session.
    pub async fn profile(&self) -> Result<User> {
        self.call(Method::GET, "/api/users/profile").await
    }

    /// `PUT /api/users/profile`.
    ///
    /// # Errors
    /// `validation.failed` (422).
    pub async fn update_profile(&self, update: &ProfileUpdate) -> Result<User> {
        self.call_with(Method::PUT, "/api/users/profile", update)
            .await
    }

    /// `POST /api/users/password`.
    ///
    /// # Errors
    /// `validation.failed` (422) naming `currentPassword` (incorrect) or `newPassword`
    /// (weak); `auth.too_many_attempts` (429); `auth.busy` (503).
    pub async fn change_password(&self, request: &ChangePasswordRequest) -> Result<()> {
        self.call_empty(Method::POST, "/api/users/password", Some(request))
            .await
    }

    /// `POST /api/users/location`.
    ///
    /// # Errors
    /// `validation.failed` (422) for out-of-range coordinates.
    pub async fn set_location(&self, update: &LocationUpdate) -> Result<UserLocation> {
        self.call_with(Method::POST, "/api/users/location", update)
            .await
    }

    /// `GET /api/users/preferences`.
    ///
    /// # Errors
    /// 401 without a live session.
    pub async fn preferences(&self) -> Result<Preferences> {
        self.call(Method::GET, "/api/users/preferences").await
    }

    /// `PUT /api/users/preferences`.
    ///
    /// # Errors
    /// `validation.failed` (422).
    pub async fn put_preferences(&self, preferences: &Preferences) -> Result<Preferences> {
        self.call_with(Method::PUT, "/api/users/preferences", preferences)
            .await
    }

    /// `GET /api/users/addresses`.
    ///
    /// # Errors
    /// 401 without a live session.
    pub async fn addresses(&self) -> Result<Vec<Address>> {
        self.call(Method::GET, "/api/users/addresses").await
    }

    /// `POST /api/users/addresses`.
    ///
    /// # Errors
    /// `addresses.limit_reached` (409), `validation.failed` (422).
    pub async fn create_address(&self, input: &AddressInput) -> Result<Address> {
        self.call_with(Method::POST, "/api/users/addresses", input)
            .await
    }

    /// `PUT /api/users/addresses/{id}`.
    ///
    /// # Errors
    /// `addresses.not_found` (404), `validation.failed` (422).
    pub async fn update_address(&self, id: AddressId, input: &AddressInput) -> Result<Address> {
        self.call_with(Method::PUT, &format!("/api/users/addresses/{id}"), input)
            .await
    }

    /// `DELETE /api/users/addresses/{id}`.
    ///
    /// # Errors
    /// `addresses.not_found` (404).
    pub async fn delete_address(&self, id: AddressId) -> Result<()> {
        self.call_empty::<()>(Method::DELETE, &format!("/api/users/addresses/{id}"), None)
            .await
    }

    // --- operations -------------------------------------------------------------------

    /// `GET /health/live`.
    ///
    /// # Errors
    /// When the server is down.
    pub async fn live(&self) -> Result<()> {
        self.call_empty::<()>(Method::GET, "/health/live", None)
            .await
    }

    /// `GET /health/ready`.
    ///
    /// # Errors
    /// `health.database_unavailable` (503).
    pub async fn ready(&self) -> Result<()> {
        self.call_empty::<()>(Method::GET, "/health/ready", None)
            .await
    }

    /// `GET /api/openapi.json`: the served API document.
    ///
    /// # Errors
    /// Transport failures.
    pub async fn openapi(&self) -> Result<serde_json::Value> {
        self.call(Method::GET, "/api/openapi.json").await
    }
}

/// `text` percent-encoded as one path segment, so free text (a country code typed by a user)
/// cannot add segments, a query or a fragment to the URL. Uses the `url` crate reqwest
/// exports rather than a hand-written encoder; it also encodes `%`, `/` and `\`. The dot
/// segments `.` and `..` cannot be sent as data at all (URL parsers resolve them, even
/// encoded): they become an empty segment, which matches no route.
pub(crate) fn path_segment(text: &str) -> String {
    // Any base would do; only the encoded path is kept.
    let mut url = reqwest::Url::parse("http://segment.invalid/")
        .expect("a constant, valid URL that can be a base");
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.push(text);
    }
    url.path().trim_start_matches('/').to_owned()
}

async fn decode_error(response: Response) -> ClientError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    match response.bytes().await {
        Ok(bytes) => match serde_json::from_slice::<Problem>(&bytes) {
            Ok(problem) => ClientError::Api {
                status,
                problem: Box::new(problem),
                retry_after,
            },
            Err(_) => ClientError::Decode(format!(
                "{status} without a problem document: {}",
                String::from_utf8_lossy(&bytes)
                    .chars()
                    .take(200)
                    .collect::<String>()
            )),
        },
        Err(err) => ClientError::Transport(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_tokens_or_cookie_values() {
        const SECRET: &str = "s3cret-token-value";
        let client = Client::with_cookies("http://127.0.0.1:3000", "http://app.test");
        client.set_access_token(Some(SECRET.to_owned()));
        client.set_refresh_token(Some(SECRET.to_owned()));
        client.credentials().cookies.push(StoredCookie {
            name: "mercato_refresh".to_owned(),
            value: SECRET.to_owned(),
            path: "/api/auth".to_owned(),
        });

        let debug = format!("{client:?}");

        assert!(!debug.contains(SECRET), "{debug}");
        assert!(debug.contains("mercato_refresh"), "{debug}");
    }

    #[test]
    fn path_segment_leaves_plain_text_alone() {
        assert_eq!(path_segment("DE"), "DE");
    }

    #[test]
    fn path_segment_encodes_what_would_change_the_url() {
        assert_eq!(path_segment("a/b"), "a%2Fb");
        assert_eq!(path_segment("a\\b"), "a%5Cb");
        assert_eq!(path_segment("x?y#z"), "x%3Fy%23z");
        assert_eq!(path_segment("50% off"), "50%25%20off");
        assert_eq!(path_segment("Ü"), "%C3%9C");
    }

    #[test]
    fn path_segment_never_sends_a_dot_segment() {
        assert_eq!(path_segment(".."), "");
        assert_eq!(path_segment("."), "");
    }
}
