//! `/api/auth/...`: registration, login, session, refresh, logout.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use mercato_core::identity::{
    AuthSession, IdentityError, LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest,
    SessionInfo,
};
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::RouteLimits;
use crate::error::ApiError;
use crate::extract::{
    ApiJson, Auth, ClientAddr, CredentialSource, OptionalJson, access_credential, authenticate,
    check_csrf, cookie_value,
};
use crate::rate_limit::{ClientKey, forget_idle_clients, too_many_requests};
use crate::security::cookies::{REFRESH_COOKIE, SessionCookies};
use crate::state::AppState;

pub(crate) fn routes(limits: &RouteLimits) -> OpenApiRouter<AppState> {
    let credentials = OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh));
    let credentials = if limits.auth_per_minute == 0 {
        credentials
    } else {
        let config = GovernorConfigBuilder::default()
            .key_extractor(ClientKey {
                trust_forwarded_for: limits.trust_forwarded_for,
            })
            .per_millisecond(60_000 / u64::from(limits.auth_per_minute).max(1))
            .burst_size((limits.auth_per_minute / 3).max(5))
            .finish();
        match config {
            Some(config) => {
                forget_idle_clients(std::sync::Arc::downgrade(config.limiter()));
                credentials.layer(GovernorLayer::new(config).error_handler(too_many_requests))
            }
            None => credentials,
        }
    };
    credentials.routes(routes!(session)).routes(routes!(logout))
}

fn with_cookies(state: &AppState, session: &AuthSession) -> SessionCookies {
    let policy = state.identity.policy();
    SessionCookies::set(
        &session.access_token,
        policy.access_ttl,
        &session.refresh_token,
        policy.session_ttl,
        state.web.cookie_secure,
    )
}

/// Create a customer account. Logs the new user in: returns tokens and sets the HttpOnly
/// session cookies.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created; logged in", body = AuthSession),
        (status = 409, description = "`auth.email_taken`"),
        (status = 422, description = "`validation.failed`, with field errors"),
        (status = 429, description = "`rate_limited`"),
        (status = 503, description = "`auth.busy` (password hashing saturated), with `Retry-After`")
    ))]
async fn register(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RegisterRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let session = state.identity.register(request).await?;
    Ok((
        StatusCode::CREATED,
        with_cookies(&state, &session),
        Json(session),
    ))
}

/// Log in with email and password. Unknown email and wrong password answer the same 401.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = AuthSession),
        (status = 401, description = "`auth.invalid_credentials`"),
        (status = 429, description = "`auth.too_many_attempts` or `rate_limited`, with `Retry-After`"),
        (status = 503, description = "`auth.busy` (password hashing saturated), with `Retry-After`")
    ))]
async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let session = state.identity.login(request, &client.0).await?;
    Ok((with_cookies(&state, &session), Json(session)))
}

/// The caller and their current session.
#[utoipa::path(get, path = "/api/auth/session", tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The session", body = SessionInfo),
        (status = 401, description = "`auth.unauthenticated` or `auth.session_ended`")
    ))]
async fn session(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<SessionInfo>, ApiError> {
    Ok(Json(state.identity.current_session(&principal).await?))
}

/// Exchange a refresh token (from the body, or the refresh cookie) for new tokens. The
/// presented token is spent; presenting it again revokes the whole session — except within
/// a few seconds of the refresh that spent it (another tab, a retried request), which
/// answers 409 and changes nothing.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth",
    request_body(content = Option<RefreshRequest>, description = "Optional when the refresh cookie is sent"),
    responses(
        (status = 200, description = "New tokens", body = AuthSession),
        (status = 401, description = "`auth.refresh_token_invalid` or `auth.refresh_token_reused`"),
        (status = 403, description = "`auth.csrf_rejected` (cookie from a foreign origin)"),
        (status = 409, description = "`auth.refresh_in_progress`: the token was spent moments ago; use the tokens that refresh returned"),
        (status = 429, description = "`rate_limited`, with `Retry-After`")
    ))]
async fn refresh(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    OptionalJson(body): OptionalJson<RefreshRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let token = match body.and_then(|b| b.refresh_token) {
        Some(token) => token,
        None => {
            let token = cookie_value(&headers, REFRESH_COOKIE)
                .filter(|t| !t.is_empty())
                .ok_or(IdentityError::RefreshInvalid)?;
            check_csrf(&method, &headers, &state)?;
            token.to_owned()
        }
    };
    let session = state.identity.refresh(&token).await?;
    Ok((with_cookies(&state, &session), Json(session)))
}

/// End a session and clear the cookies; its access and refresh tokens stop working at once.
/// The session is the one of the access token (bearer or cookie) or — for a client whose
/// access token has expired — of the refresh token, in the body or the refresh cookie. The
/// cookies are cleared whatever the outcome.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    request_body(content = Option<LogoutRequest>, description = "Optional: the refresh token, for a client whose access token has expired"),
    responses(
        (status = 204, description = "Logged out; the session cookies are cleared"),
        (status = 401, description = "`auth.unauthenticated`, `auth.token_expired`, `auth.session_ended` or `auth.refresh_token_invalid`; the session cookies are cleared anyway")
    ))]
async fn logout(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    body: Result<OptionalJson<LogoutRequest>, ApiError>,
) -> Response {
    let outcome = match body {
        Ok(OptionalJson(body)) => end_session(&state, &method, &headers, body).await,
        Err(err) => Err(err),
    };
    let cleared = SessionCookies::clear(state.web.cookie_secure);
    match outcome {
        Ok(()) => (StatusCode::NO_CONTENT, cleared, ()).into_response(),
        Err(err) => (cleared, err).into_response(),
    }
}

/// Ends the session a logout request names: by the refresh token in the body; else, for a
/// browser, by the refresh cookie (it outlives the access cookie); else by the access token.
async fn end_session(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
    body: Option<LogoutRequest>,
) -> Result<(), ApiError> {
    if let Some(token) = body.and_then(|b| b.refresh_token) {
        return Ok(state.identity.logout_with_refresh(&token).await?);
    }
    let bearer = matches!(
        access_credential(headers),
        Some((_, CredentialSource::Header))
    );
    if !bearer && let Some(token) = cookie_value(headers, REFRESH_COOKIE).filter(|t| !t.is_empty())
    {
        check_csrf(method, headers, state)?;
        return Ok(state.identity.logout_with_refresh(token).await?);
    }
    let principal = authenticate(method, headers, state)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(state.identity.logout(&principal).await?)
}
