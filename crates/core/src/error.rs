//! Error vocabulary shared by every context.
//!
//! Each use case has its own `thiserror` enum naming what can go wrong in its terms. They all
//! implement [`DomainError`], which classifies an error ([`ErrorKind`]) and gives it a stable
//! machine code, so an adapter (the HTTP server) maps every context's errors in one place.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What kind of failure an error is, independent of transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed as a request, not in its fields: a required header is
    /// missing or unreadable.
    BadRequest,
    /// The input is malformed or breaks a rule; see the field errors.
    Validation,
    /// The caller is not authenticated, or its credentials are wrong.
    Unauthenticated,
    /// The caller is authenticated but may not do this.
    Forbidden,
    /// The object does not exist, or the caller may not know it exists.
    NotFound,
    /// The request conflicts with the current state (duplicate, concurrent change).
    Conflict,
    /// Too many attempts; retry later.
    TooManyRequests,
    /// The service is temporarily overloaded; retry later. Nothing was changed.
    Unavailable,
    /// A dependency failed; nothing the caller can fix.
    Internal,
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The field's JSON name (camelCase; nested fields joined with `.`).
    pub field: String,
    /// Why the value was refused, for humans.
    pub message: String,
}

impl FieldError {
    /// A field error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An RFC 9457 problem document: the body of every error response
/// (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI naming the problem type: `urn:mercato:problem:{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the HTTP status.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Stable machine-readable code, e.g. `auth.email_taken`.
    pub code: String,
    /// What went wrong, for humans.
    pub detail: String,
    /// Invalid fields, for validation failures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extension members (RFC 9457 §3.2) that the error's context adds, e.g. the order
    /// lifecycle's `allowedNext` (see `DomainError::extensions`).
    #[serde(flatten)]
    pub extensions: std::collections::BTreeMap<String, serde_json::Value>,
}

/// A problem document's extension members, by JSON name.
pub type Extensions = std::collections::BTreeMap<String, serde_json::Value>;

impl Problem {
    /// The extension member `name`, read as a `T`; `None` when it is absent or not a `T`.
    #[must_use]
    pub fn extension<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.extensions
            .get(name)
            .and_then(|value| T::deserialize(value).ok())
    }
}

/// Implemented by every use-case error so adapters can map them uniformly.
pub trait DomainError: std::error::Error {
    /// The classification of this error.
    fn kind(&self) -> ErrorKind;
    /// A stable machine-readable code such as `auth.invalid_credentials`.
    fn code(&self) -> &'static str;
    /// Invalid fields, for [`ErrorKind::Validation`].
    fn field_errors(&self) -> &[FieldError] {
        &[]
    }
    /// How long to wait before retrying, for [`ErrorKind::TooManyRequests`] and
    /// [`ErrorKind::Unavailable`].
    fn retry_after(&self) -> Option<Duration> {
        None
    }
    /// Members this error adds to its problem document beside the standard ones (RFC 9457
    /// extension members, camelCase), e.g. `allowedNext` for an illegal order transition.
    /// Every context describes its own; the problem document names none of them.
    fn extensions(&self) -> Extensions {
        Extensions::new()
    }
}

/// A failure reported by a storage adapter.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness constraint refused the write; carries the constraint's name.
    #[error("unique constraint {0} violated")]
    UniqueViolation(String),
    /// The backend failed (connection, timeout, bug). The message is for logs only.
    #[error("storage backend failure: {0}")]
    Backend(String),
}

/// Validation failures collected over a whole request, so the caller learns every bad field
/// at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("the request has invalid fields")]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Records a failure of `field`.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Records the outcome of parsing `field`, keeping the value when it is valid.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(err) => {
                self.add(field, err.to_string());
                None
            }
        }
    }

    /// `Ok(())` when nothing was recorded.
    ///
    /// # Errors
    /// Returns `self` when at least one field failed.
    pub fn into_result(self) -> Result<(), Self> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl DomainError for ValidationErrors {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Validation
    }
    fn code(&self) -> &'static str {
        "validation.failed"
    }
    fn field_errors(&self) -> &[FieldError] {
        &self.0
    }
}
