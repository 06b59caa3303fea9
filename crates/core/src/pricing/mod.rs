//! Pricing (pure): what an order costs — line totals with options, the delivery fee by
//! distance band, the service and small-order fees, discount, tip, and tax by the
//! country's regime — as a [`PriceSummary`] of [`Money`](crate::money::Money) in one
//! currency. Used by ordering (cart and checkout) and payments.
//!
//! # Amounts and rounding
//!
//! Every amount is an integer number of minor units (cents, yen, fils), so results respect
//! each currency's exponent by construction: JPY amounts are whole yen, KWD amounts whole
//! fils. Fractions arise only from rates (the service fee percentage, tax) and become whole
//! minor units in exactly one function, [`round_minor`], by one rule: **round half away
//! from zero** ([`ROUNDING`]). Tax is rounded once per rate on the rate's summed base,
//! never per line. A discount is split over the rates by largest remainder, which keeps
//! the parts summing exactly to the discount.
//!
//! # Tax regimes
//!
//! - Inclusive (VAT, consumption tax): prices and fees include tax; the tax part is
//!   extracted, `tax = round(gross × rate / (1 + rate))`, and shown; it is not added.
//! - Exclusive (sales tax): prices and fees are net; `tax = round(net × rate)` is added.
//!
//! The delivery fee is taxed as [`TaxClass::DeliveryFee`](crate::geo::TaxClass), the
//! service fee and the small-order fee (both the marketplace's charge for its service) as
//! [`TaxClass::ServiceFee`](crate::geo::TaxClass); the tip is not taxed. See [`price`] for
//! every rule in order.

mod error;
mod model;
mod policy;
mod price;
mod rounding;

#[cfg(test)]
mod properties;
#[cfg(test)]
pub(crate) mod tests;

pub use error::PricingError;
pub use model::{DeliveryCharge, LineTotal, PriceSummary, PricedLine, PricingInput, TaxLine};
pub use policy::PricingPolicy;
pub use price::price;
pub use rounding::{ROUNDING, round_minor};
