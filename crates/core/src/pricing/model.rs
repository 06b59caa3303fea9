//! What pricing takes (an order's lines, fees and the country's tax rules) and what it
//! returns (the summary shown at checkout and stored with the order).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::catalog::FeeBand;
use crate::geo::{Country, TaxClass, TaxRate, TaxRegime};
use crate::money::{CurrencyCode, Money};

/// Everything [`super::price`] needs to price one order. Amounts follow the country's price
/// convention: tax-inclusive under [`TaxRegime::Inclusive`], net under
/// [`TaxRegime::Exclusive`] — for the lines and for the fees alike.
#[derive(Debug, Clone, PartialEq)]
pub struct PricingInput {
    /// The order's currency; every amount must be in it.
    pub currency: CurrencyCode,
    /// Whether prices include tax.
    pub tax_regime: TaxRegime,
    /// Rates per tax class; a class without a rate is untaxed.
    pub tax_rates: Vec<TaxRate>,
    /// The ordered lines, at least one.
    pub lines: Vec<PricedLine>,
    /// How the delivery fee is found.
    pub delivery: DeliveryCharge,
    /// The customer's tip; never taxed.
    pub tip: Money,
    /// A discount on the goods (not the fees, not the tip); at most the subtotal.
    pub discount: Money,
}

impl PricingInput {
    /// An order in `country`: its currency and tax rules, no lines yet, no delivery fee,
    /// no tip and no discount.
    #[must_use]
    pub fn for_country(country: &Country) -> Self {
        Self {
            currency: country.currency.clone(),
            tax_regime: country.tax_regime,
            tax_rates: country.tax_rates.clone(),
            lines: Vec::new(),
            delivery: DeliveryCharge::None,
            tip: Money::zero(country.currency.clone()),
            discount: Money::zero(country.currency.clone()),
        }
    }
}

/// One ordered line: an item with its chosen options, times a quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    /// The item's price.
    pub unit_price: Money,
    /// The price deltas of the chosen options (each may be negative, as in "no cheese");
    /// the unit price with its options must not be.
    pub option_deltas: Vec<Money>,
    /// How many, at least 1.
    pub quantity: u32,
    /// What the item is taxed as.
    pub tax_class: TaxClass,
}

/// How the delivery fee is found.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryCharge {
    /// No delivery fee (pickup, or delivery offered free).
    None,
    /// The merchant's fee bands (amounts in the order's currency) at the delivery distance,
    /// by [`crate::catalog::delivery_fee_minor`].
    ByDistance {
        /// The merchant's bands, ascending.
        bands: Vec<FeeBand>,
        /// Distance from the merchant to the customer in metres.
        distance_m: f64,
    },
    /// A fee already decided (a quote shown to the customer, a promotion).
    Fixed(Money),
}

/// One priced line of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineTotal {
    /// The item's price with its options.
    pub unit_price: Money,
    /// How many.
    pub quantity: u32,
    /// What it is taxed as.
    pub tax_class: TaxClass,
    /// `unitPrice × quantity`.
    pub total: Money,
}

/// The tax at one rate: every class taxed at that rate, rounded once (invoices in the EU
/// and Japan state tax per rate, and Japan requires one rounding per rate per invoice).
/// Always `net + tax = gross`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaxLine {
    /// The rate as a fraction, e.g. `"0.19"`.
    #[schema(value_type = String, example = "0.19")]
    pub rate: Decimal,
    /// The classes taxed at this rate in this order (goods and fees).
    pub classes: Vec<TaxClass>,
    /// Amount before tax, after the discount.
    pub net: Money,
    /// The tax.
    pub tax: Money,
    /// Amount with tax.
    pub gross: Money,
}

/// An order's price, every amount in the order's currency.
///
/// `total = subtotal + deliveryFee + serviceFee + smallOrderFee + tip − discount`, plus
/// `tax` when the tax is not included in the prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PriceSummary {
    /// The lines, in the order given.
    pub lines: Vec<LineTotal>,
    /// Sum of the line totals.
    pub subtotal: Money,
    /// Delivery fee.
    pub delivery_fee: Money,
    /// Service fee: a percentage of the subtotal between a minimum and a maximum.
    pub service_fee: Money,
    /// Small-order fee: what the subtotal lacks to reach the threshold, up to a maximum.
    pub small_order_fee: Money,
    /// Discount on the goods.
    pub discount: Money,
    /// Tip.
    pub tip: Money,
    /// Total tax; already inside the other amounts when `taxIncluded`.
    pub tax: Money,
    /// Whether prices and fees include the tax (VAT) or it is added on top (sales tax).
    pub tax_included: bool,
    /// Tax per rate, ascending by rate.
    pub tax_breakdown: Vec<TaxLine>,
    /// What the customer pays.
    pub total: Money,
}
