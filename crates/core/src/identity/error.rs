//! Identity's errors: what can go wrong with accounts, sessions and profiles, each with its
//! stable code.

use std::time::Duration;

use crate::error::{DomainError, ErrorKind, FieldError, StoreError, ValidationErrors};

use super::ports::{HashError, TokenError};

/// How long a client told the password hasher is busy should wait before retrying.
const BUSY_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Failures shared by most identity use cases.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// Fields failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Registration with an email that has an account.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// Unknown email or wrong password; deliberately the same error for both.
    #[error("the email or password is incorrect")]
    InvalidCredentials,
    /// Too many failed attempts for this account, client or password change.
    #[error("too many failed attempts; try again later")]
    Throttled(Duration),
    /// No usable access token was presented.
    #[error("authentication is required")]
    Unauthenticated,
    /// The access token was valid but has expired; refresh it.
    #[error("the access token has expired; refresh it")]
    TokenExpired,
    /// The access token's session was revoked or has ended.
    #[error("the session has ended; log in again")]
    SessionEnded,
    /// The refresh token is unknown, expired or revoked.
    #[error("the refresh token is invalid or expired")]
    RefreshInvalid,
    /// A refresh token spent moments ago was presented again: another refresh with it is
    /// in progress or has just finished. Nothing was revoked; use the newest tokens.
    #[error("this refresh token was used moments ago; use the tokens that refresh returned")]
    RefreshInProgress,
    /// A spent refresh token was presented again; the session is now revoked.
    #[error("the refresh token was already used; the session has been revoked")]
    RefreshReused,
    /// The user has as many saved addresses as allowed.
    #[error("the maximum number of saved addresses is reached")]
    AddressLimit,
    /// The address does not exist or belongs to somebody else.
    #[error("address not found")]
    AddressNotFound,
    /// The user no longer exists.
    #[error("user not found")]
    UserNotFound,
    /// Every password-hashing slot is taken; nothing was done. Retry shortly.
    #[error("the service is busy; try again shortly")]
    Busy,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing failed.
    #[error(transparent)]
    Hash(HashError),
}

impl From<HashError> for IdentityError {
    fn from(err: HashError) -> Self {
        match err {
            HashError::Busy => Self::Busy,
            failed @ HashError::Failed(_) => Self::Hash(failed),
        }
    }
}

impl DomainError for IdentityError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) => ErrorKind::Validation,
            Self::EmailTaken | Self::AddressLimit | Self::RefreshInProgress => ErrorKind::Conflict,
            Self::InvalidCredentials
            | Self::Unauthenticated
            | Self::TokenExpired
            | Self::SessionEnded
            | Self::RefreshInvalid
            | Self::RefreshReused => ErrorKind::Unauthenticated,
            Self::Throttled(_) => ErrorKind::TooManyRequests,
            Self::Busy => ErrorKind::Unavailable,
            Self::AddressNotFound | Self::UserNotFound => ErrorKind::NotFound,
            Self::Store(_) | Self::Hash(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "validation.failed",
            Self::EmailTaken => "auth.email_taken",
            Self::InvalidCredentials => "auth.invalid_credentials",
            Self::Throttled(_) => "auth.too_many_attempts",
            Self::Unauthenticated => "auth.unauthenticated",
            Self::TokenExpired => "auth.token_expired",
            Self::SessionEnded => "auth.session_ended",
            Self::RefreshInvalid => "auth.refresh_token_invalid",
            Self::RefreshInProgress => "auth.refresh_in_progress",
            Self::RefreshReused => "auth.refresh_token_reused",
            Self::Busy => "auth.busy",
            Self::AddressLimit => "addresses.limit_reached",
            Self::AddressNotFound => "addresses.not_found",
            Self::UserNotFound => "users.not_found",
            Self::Store(_) | Self::Hash(_) => "internal",
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => &errors.0,
            _ => &[],
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Throttled(wait) => Some(*wait),
            Self::Busy => Some(BUSY_RETRY_AFTER),
            _ => None,
        }
    }
}

impl From<TokenError> for IdentityError {
    fn from(err: TokenError) -> Self {
        match err {
            TokenError::Invalid => Self::Unauthenticated,
            TokenError::Expired => Self::TokenExpired,
        }
    }
}
