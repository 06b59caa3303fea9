//! The acting principal: who is calling, with which roles, on behalf of which merchants.
//! Every use case that acts for somebody receives one and makes its authorization decision
//! from it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{MerchantId, SessionId, UserId};

/// A role a user holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Orders from merchants.
    Customer,
    /// Works for one or more merchants (see [`Principal::merchant_ids`]).
    MerchantStaff,
    /// Delivers orders.
    Courier,
    /// Operates the marketplace.
    Admin,
}

impl Role {
    /// The role's stable name, as stored and serialized.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::MerchantStaff => "merchant_staff",
            Self::Courier => "courier",
            Self::Admin => "admin",
        }
    }

    /// Parses a stored role name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "customer" => Some(Self::Customer),
            "merchant_staff" => Some(Self::MerchantStaff),
            "courier" => Some(Self::Courier),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// An authenticated caller, established from a valid access token of a live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user acting.
    pub user_id: UserId,
    /// The session the access token belongs to.
    pub session_id: SessionId,
    /// The user's roles.
    pub roles: Vec<Role>,
    /// Merchants the user is staff of.
    pub merchant_ids: Vec<MerchantId>,
}

impl Principal {
    /// Whether the principal holds `role`.
    #[must_use]
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the principal is an administrator.
    #[must_use]
    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }

    /// Whether the principal may act for `merchant`: its staff, or an admin.
    #[must_use]
    pub fn acts_for_merchant(&self, merchant: MerchantId) -> bool {
        self.is_admin()
            || (self.has_role(Role::MerchantStaff) && self.merchant_ids.contains(&merchant))
    }
}
