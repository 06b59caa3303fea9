//! Typed identifiers. Every id is a UUIDv7 behind its own newtype, so a user id can never be
//! passed where a session id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered (v7) id.
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Uuid,
                    )))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

id_type!(
    /// Identifies a user account.
    UserId
);
id_type!(
    /// Identifies a login session (one refresh-token family).
    SessionId
);
id_type!(
    /// Identifies a saved delivery address.
    AddressId
);
id_type!(
    /// Identifies a domain event in the outbox.
    EventId
);
id_type!(
    /// Identifies a merchant.
    MerchantId
);
id_type!(
    /// Identifies a city.
    CityId
);
id_type!(
    /// Identifies a menu section.
    SectionId
);
id_type!(
    /// Identifies a menu item.
    ItemId
);
id_type!(
    /// Identifies an option group of a menu item.
    OptionGroupId
);
id_type!(
    /// Identifies an option of an option group.
    OptionId
);
id_type!(
    /// Identifies a review.
    ReviewId
);
id_type!(
    /// Identifies a cart.
    CartId
);
id_type!(
    /// Identifies a line of a cart.
    CartLineId
);
id_type!(
    /// Identifies an order.
    OrderId
);
id_type!(
    /// Identifies a saved payment method (a card kept at the gateway).
    PaymentMethodId
);
id_type!(
    /// Identifies a payment: one attempt to pay one order.
    PaymentId
);
id_type!(
    /// Identifies a money movement (authorization, capture, void, refund, cash).
    TransactionId
);
id_type!(
    /// Identifies a refund.
    RefundId
);
