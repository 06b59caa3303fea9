//! What can make an order unpriceable.

use crate::error::{DomainError, ErrorKind};
use crate::geo::TaxClass;
use crate::money::CurrencyCode;

/// Why [`super::price`] (or a default policy) refused its input. Field names are those of
/// [`super::PricingInput`] in camelCase (`lines[2].optionDeltas[0]`), for logs; the use case
/// that built the input maps them to its own request fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    /// An order needs at least one line.
    #[error("the order has no lines")]
    NoLines,
    /// A line's quantity is zero.
    #[error("lines[{line}].quantity must be at least 1")]
    ZeroQuantity {
        /// Index of the line.
        line: usize,
    },
    /// An amount that must not be negative is (a price after its options, a fee, a tip,
    /// a discount, a policy amount).
    #[error("{field} must not be negative")]
    NegativeAmount {
        /// The field.
        field: String,
    },
    /// An amount is not in the order's currency.
    #[error("{field} is in {found} but the order is in {expected}")]
    CurrencyMismatch {
        /// The field.
        field: String,
        /// The order's currency.
        expected: CurrencyCode,
        /// The amount's currency.
        found: CurrencyCode,
    },
    /// A tax class's rate is outside `0 ≤ rate < 1`, or the class is listed twice.
    #[error("the tax rate of {} must be listed once, from 0 up to 1", class.as_str())]
    InvalidTaxRate {
        /// The class.
        class: TaxClass,
    },
    /// The pricing policy is inconsistent.
    #[error("invalid pricing policy: {0}")]
    InvalidPolicy(&'static str),
    /// The delivery distance is negative or not a number.
    #[error("the delivery distance must be a non-negative number of metres")]
    InvalidDistance,
    /// The discount is larger than the subtotal it applies to.
    #[error("the discount exceeds the subtotal")]
    DiscountExceedsSubtotal,
    /// An amount does not fit 64-bit minor units.
    #[error("the amounts are too large")]
    Overflow,
    /// There are no default fees for this currency.
    #[error("no default pricing policy for {0}")]
    UnknownCurrency(CurrencyCode),
}

impl DomainError for PricingError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NoLines
            | Self::ZeroQuantity { .. }
            | Self::NegativeAmount { .. }
            | Self::CurrencyMismatch { .. }
            | Self::InvalidDistance
            | Self::DiscountExceedsSubtotal
            | Self::Overflow => ErrorKind::Validation,
            // Tax rates and policies are configuration, not the customer's input.
            Self::InvalidTaxRate { .. } | Self::InvalidPolicy(_) | Self::UnknownCurrency(_) => {
                ErrorKind::Internal
            }
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::NoLines => "pricing.no_lines",
            Self::ZeroQuantity { .. } => "pricing.zero_quantity",
            Self::NegativeAmount { .. } => "pricing.negative_amount",
            Self::CurrencyMismatch { .. } => "pricing.currency_mismatch",
            Self::InvalidTaxRate { .. } => "pricing.invalid_tax_rate",
            Self::InvalidPolicy(_) => "pricing.invalid_policy",
            Self::InvalidDistance => "pricing.invalid_distance",
            Self::DiscountExceedsSubtotal => "pricing.discount_exceeds_subtotal",
            Self::Overflow => "pricing.amount_too_large",
            Self::UnknownCurrency(_) => "pricing.unknown_currency",
        }
    }
}
