//! The catalog's errors, each with its stable code.

use crate::error::{DomainError, ErrorKind, FieldError, StoreError, ValidationErrors};

/// Failures of catalog use cases.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// Fields failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// No such merchant.
    #[error("merchant not found")]
    MerchantNotFound,
    /// The merchant has no such section.
    #[error("menu section not found")]
    SectionNotFound,
    /// The merchant has no such item.
    #[error("menu item not found")]
    ItemNotFound,
    /// No such user (staff assignment).
    #[error("user not found")]
    UserNotFound,
    /// The user is not staff of the merchant.
    #[error("staff membership not found")]
    MembershipNotFound,
    /// Only the merchant's staff (or an admin) may do this.
    #[error("only this merchant's staff may do this")]
    NotStaff,
    /// Only administrators may do this.
    #[error("only administrators may do this")]
    AdminOnly,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DomainError for CatalogError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) => ErrorKind::Validation,
            Self::MerchantNotFound
            | Self::SectionNotFound
            | Self::ItemNotFound
            | Self::UserNotFound
            | Self::MembershipNotFound => ErrorKind::NotFound,
            Self::NotStaff | Self::AdminOnly => ErrorKind::Forbidden,
            Self::Store(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "validation.failed",
            Self::MerchantNotFound => "merchants.not_found",
            Self::SectionNotFound => "menu.section_not_found",
            Self::ItemNotFound => "menu.item_not_found",
            Self::UserNotFound => "users.not_found",
            Self::MembershipNotFound => "merchants.staff_not_found",
            Self::NotStaff => "merchants.not_staff",
            Self::AdminOnly => "merchants.admin_only",
            Self::Store(_) => "internal",
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => &errors.0,
            _ => &[],
        }
    }
}
