//! The HttpOnly session cookies that let browsers authenticate without handling tokens in
//! script. The access cookie goes to every API path; the refresh cookie only to the auth
//! endpoints. Both are SameSite=Strict; `Secure` unless disabled for plain-HTTP development.

use std::time::Duration;

use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponseParts, ResponseParts};

/// The access-token cookie.
pub const ACCESS_COOKIE: &str = "mercato_access";
/// The refresh-token cookie.
pub const REFRESH_COOKIE: &str = "mercato_refresh";

/// `Set-Cookie` headers to add to a response.
#[derive(Debug, Default)]
pub struct SessionCookies(Vec<HeaderValue>);

fn cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: Duration,
    secure: bool,
) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
        max_age.as_secs()
    ))
    .ok()
}

impl SessionCookies {
    /// Cookies carrying a fresh access and refresh token.
    #[must_use]
    pub fn set(
        access: &str,
        access_ttl: Duration,
        refresh: &str,
        session_ttl: Duration,
        secure: bool,
    ) -> Self {
        Self(
            [
                cookie(ACCESS_COOKIE, access, "/api", access_ttl, secure),
                cookie(REFRESH_COOKIE, refresh, "/api/auth", session_ttl, secure),
            ]
            .into_iter()
            .flatten()
            .collect(),
        )
    }

    /// Cookies that delete both.
    #[must_use]
    pub fn clear(secure: bool) -> Self {
        Self(
            [
                cookie(ACCESS_COOKIE, "", "/api", Duration::ZERO, secure),
                cookie(REFRESH_COOKIE, "", "/api/auth", Duration::ZERO, secure),
            ]
            .into_iter()
            .flatten()
            .collect(),
        )
    }
}

impl IntoResponseParts for SessionCookies {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        for value in self.0 {
            res.headers_mut().append(SET_COOKIE, value);
        }
        Ok(res)
    }
}
