//! Request extractors whose rejections are [`ApiError`]s, so malformed input answers in the
//! same problem shape as everything else.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use mercato_core::Principal;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// A JSON request body. Requires `Content-Type: application/json`; syntax errors are 400,
/// type and field errors are 422 naming the field, oversized bodies 413.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

/// Like [`ApiJson`], but an empty body — or JSON `null` — is `None`.
#[derive(Debug, Clone, Copy, Default)]
pub struct OptionalJson<T>(pub Option<T>);

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .is_some_and(|mime| {
            mime.eq_ignore_ascii_case("application/json")
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

async fn body_bytes(request: Request, state: &AppState) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            let status = rejection.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::from_status(status)
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "http.unreadable_body",
                    "the request body could not be read",
                )
            }
        })
}

/// The 415 for a body not declared JSON.
fn not_json() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "http.unsupported_media_type",
        "the request body must be JSON (Content-Type: application/json)",
    )
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "http.malformed_json",
                format!("the request body is not valid JSON: {inner}"),
            );
        }
        let message = inner.to_string();
        let field = field_of(&path, &message);
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        ApiError::invalid_field(field, message)
    })?;
    deserializer.end().map_err(|err| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "http.malformed_json",
            format!("the request body is not valid JSON: {err}"),
        )
    })?;
    Ok(value)
}

/// The JSON name of the field a serde error is about. The error's path already ends at an
/// unknown field; a missing field is named only in the message, below its parent's path.
fn field_of(path: &str, message: &str) -> String {
    let base = if path == "." { "" } else { path };
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (base, missing) {
        ("", Some(name)) => name.to_owned(),
        (base, Some(name)) => format!("{base}.{name}"),
        ("", None) => "body".to_owned(),
        (base, None) => base.to_owned(),
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(not_json());
        }
        let bytes = body_bytes(request, state).await?;
        parse_json(&bytes).map(Self)
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let json = is_json(request.headers());
        let bytes = body_bytes(request, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        if !json {
            return Err(ApiError::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        parse_json(&bytes).map(Self)
    }
}

/// A JSON request body read but not yet parsed, for routes reserved to some callers: the
/// handler asks the use case whether the caller may act first, and only then
/// [parses](Self::parse) the body, so a caller without the right answers 403 whatever it
/// sent (a malformed or mistyped body included).
#[derive(Debug, Clone)]
pub struct JsonBody<T> {
    bytes: Bytes,
    json: bool,
    _of: std::marker::PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonBody<T> {
    /// The body as a `T`, with [`ApiJson`]'s rejections: 415 when it is not declared JSON,
    /// 400 when it is not JSON, 422 naming the field that does not fit.
    ///
    /// # Errors
    /// As above.
    pub fn parse(self) -> Result<T, ApiError> {
        if !self.json {
            return Err(not_json());
        }
        parse_json(&self.bytes)
    }

    /// Like [`parse`](Self::parse), but an empty body is `None` (as with [`OptionalJson`]).
    ///
    /// # Errors
    /// As [`parse`](Self::parse), for a body that is not empty.
    pub fn parse_optional(self) -> Result<Option<T>, ApiError> {
        if self.bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        self.parse().map(Some)
    }

    /// The body as a `T`, for routes whose authorization costs a read (an order's owner,
    /// say) and that are hot: the use case authorizes as it acts, so the check here runs
    /// only when the body does not parse, and its refusal answers instead of the body's
    /// fault. A caller without the right thus never learns how its body was wrong.
    ///
    /// # Errors
    /// The refusal of `authorize`, else as [`parse`](Self::parse).
    pub async fn parse_or_refuse<E>(
        self,
        authorize: impl Future<Output = Result<(), E>>,
    ) -> Result<T, ApiError>
    where
        ApiError: From<E>,
    {
        match self.parse() {
            Ok(value) => Ok(value),
            Err(fault) => {
                authorize.await?;
                Err(fault)
            }
        }
    }
}

impl<T: Send> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let json = is_json(request.headers());
        let bytes = body_bytes(request, state).await?;
        Ok(Self {
            bytes,
            json,
            _of: std::marker::PhantomData,
        })
    }
}

/// A path parameter; a malformed one (e.g. not a UUID) is a 400 problem.
#[derive(Debug, Clone, Copy)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Self(value))
            .map_err(|rejection| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "http.invalid_path",
                    format!("invalid path parameter: {rejection}"),
                )
            })
    }
}

/// The client's network address, as used for per-client limits: the peer address, or the
/// last `X-Forwarded-For` hop when the server is configured to trust its proxy.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl ClientAddr {
    /// Reads the client address from a request's parts.
    #[must_use]
    pub fn of(
        headers: &HeaderMap,
        extensions: &axum::http::Extensions,
        trust_forwarded_for: bool,
    ) -> Self {
        if trust_forwarded_for
            && let Some(hop) = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        {
            return Self(hop.to_owned());
        }
        let peer = extensions.get::<ConnectInfo<SocketAddr>>().map_or_else(
            || "unknown".to_owned(),
            |ConnectInfo(addr)| addr.ip().to_string(),
        );
        Self(peer)
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(
            &parts.headers,
            &parts.extensions,
            state.web.trust_forwarded_for,
        ))
    }
}

/// Where a credential came from; cookie credentials on unsafe requests need a CSRF check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    /// `Authorization: Bearer` (or a JSON body field).
    Header,
    /// An HttpOnly cookie sent by a browser.
    Cookie,
}

/// Reads a cookie's value from the request headers.
#[must_use]
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Refuses a cookie-authenticated unsafe request unless it provably comes from an allowed
/// origin. SameSite=Strict cookies already stop most cross-site requests; this is the second
/// line: the `Origin` header (or, failing it, `Sec-Fetch-Site: same-origin`) must match.
///
/// # Errors
/// 403 `auth.csrf_rejected`.
pub fn check_csrf(
    parts_method: &Method,
    headers: &HeaderMap,
    state: &AppState,
) -> Result<(), ApiError> {
    if matches!(*parts_method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match origin {
        Some(origin) => {
            state.web.allowed_origins.iter().any(|o| o == origin)
                || headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .is_some_and(|host| {
                        origin
                            .split_once("://")
                            .is_some_and(|(_, rest)| rest == host)
                    })
        }
        None => headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"same-origin"),
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "auth.csrf_rejected",
            "cookie-authenticated requests must come from an allowed origin",
        ))
    }
}

/// The access token a request presents: `Authorization: Bearer <token>`, or else the
/// access-token cookie.
#[must_use]
pub fn access_credential(headers: &HeaderMap) -> Option<(&str, CredentialSource)> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match bearer {
        Some(token) => Some((token, CredentialSource::Header)),
        None => cookie_value(headers, crate::security::cookies::ACCESS_COOKIE)
            .map(|token| (token, CredentialSource::Cookie)),
    }
}

/// Establishes the principal behind a request's access token, checking CSRF when it came
/// from a cookie. `None` when the request presents no access token.
///
/// # Errors
/// 403 `auth.csrf_rejected`; 401 for a bad or expired token or an ended session.
pub async fn authenticate(
    method: &Method,
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Option<Principal>, ApiError> {
    let Some((token, source)) = access_credential(headers) else {
        return Ok(None);
    };
    if source == CredentialSource::Cookie {
        check_csrf(method, headers, state)?;
    }
    Ok(Some(state.identity.authenticate(token).await?))
}

/// The authenticated caller. Accepts `Authorization: Bearer <token>` or the access-token
/// cookie; the token's session must still be live.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(Self(principal)) = parts.extensions.get::<Self>() {
            return Ok(Self(principal.clone()));
        }
        let principal = authenticate(&parts.method, &parts.headers, state)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        parts.extensions.insert(Self(principal.clone()));
        Ok(Self(principal))
    }
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn field_names_come_from_path_or_serde_message() {
        assert_eq!(
            field_of("role", "unknown field `role`, expected one of `name`"),
            "role"
        );
        assert_eq!(field_of(".", "missing field `email`"), "email");
        assert_eq!(
            field_of("lat", "invalid type: string \"x\", expected f64"),
            "lat"
        );
        assert_eq!(
            field_of("notifications", "missing field `sms`"),
            "notifications.sms"
        );
        assert_eq!(
            field_of(".", "invalid type: integer, expected a map"),
            "body"
        );
    }
}

/// A query string. Values of the wrong type and unknown parameters are 422 problems naming
/// the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Self)
            .map_err(|err| {
                let path = err.path().to_string();
                let message = err.into_inner().to_string();
                ApiError::invalid_field(field_of(&path, &message), message)
            })
    }
}
