//! The marketplace's fees: service fee and small-order fee.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::PricingError;
use crate::money::CurrencyCode;

/// The marketplace's fees in one currency. Amounts are minor units of `currency` in the
/// country's price convention (tax-inclusive where prices include tax).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PricingPolicy {
    /// The currency of every amount below; must be the order's.
    pub currency: CurrencyCode,
    /// Service fee as a fraction of the subtotal, `0 ≤ rate ≤ 1`.
    pub service_fee_rate: Decimal,
    /// Smallest service fee.
    pub service_fee_min_minor: i64,
    /// Largest service fee, at least the smallest.
    pub service_fee_max_minor: i64,
    /// Subtotals below this pay a small-order fee.
    pub small_order_threshold_minor: i64,
    /// Largest small-order fee. The fee is what the subtotal lacks to reach the threshold,
    /// up to this amount, so adding to the basket never raises subtotal + fee.
    pub small_order_fee_max_minor: i64,
}

impl PricingPolicy {
    /// The default fees of a launch currency: a 2 % service fee between 0.99 and 4.99
    /// (USD, EUR), ¥99 and ¥499 (JPY), 0.099 and 0.499 KWD; a small-order fee of up to 2.00
    /// under 10.00 (¥200 under ¥1,000; 0.200 KWD under 1.000 KWD).
    ///
    /// Fee levels are market decisions, not a function of the exponent, so they are listed
    /// per currency rather than derived.
    ///
    /// # Errors
    /// [`PricingError::UnknownCurrency`] for a currency without defaults.
    pub fn for_currency(currency: &CurrencyCode) -> Result<Self, PricingError> {
        // (service min, service max, small-order threshold, small-order max), minor units.
        // Listed per market even where the figures coincide: each changes on its own.
        let (min, max, threshold, small_max) = match currency.as_str() {
            // Cents.
            "USD" | "EUR" => (99, 499, 1000, 200),
            // Yen: no minor unit.
            "JPY" => (99, 499, 1000, 200),
            // Fils: 1000 to the dinar.
            "KWD" => (99, 499, 1000, 200),
            _ => return Err(PricingError::UnknownCurrency(currency.clone())),
        };
        Ok(Self {
            currency: currency.clone(),
            service_fee_rate: Decimal::new(2, 2),
            service_fee_min_minor: min,
            service_fee_max_minor: max,
            small_order_threshold_minor: threshold,
            small_order_fee_max_minor: small_max,
        })
    }

    /// Checks the policy applies to `currency` and is consistent.
    pub(crate) fn check(&self, currency: &CurrencyCode) -> Result<(), PricingError> {
        if &self.currency != currency {
            return Err(PricingError::CurrencyMismatch {
                field: "policy.currency".to_owned(),
                expected: currency.clone(),
                found: self.currency.clone(),
            });
        }
        if self.service_fee_rate.is_sign_negative() || self.service_fee_rate > Decimal::ONE {
            return Err(PricingError::InvalidPolicy(
                "the service fee rate must be from 0 to 1",
            ));
        }
        let amounts = [
            ("policy.serviceFeeMinMinor", self.service_fee_min_minor),
            ("policy.serviceFeeMaxMinor", self.service_fee_max_minor),
            (
                "policy.smallOrderThresholdMinor",
                self.small_order_threshold_minor,
            ),
            (
                "policy.smallOrderFeeMaxMinor",
                self.small_order_fee_max_minor,
            ),
        ];
        if let Some((field, _)) = amounts.iter().find(|(_, amount)| *amount < 0) {
            return Err(PricingError::NegativeAmount {
                field: (*field).to_owned(),
            });
        }
        if self.service_fee_min_minor > self.service_fee_max_minor {
            return Err(PricingError::InvalidPolicy(
                "the service fee minimum exceeds its maximum",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> CurrencyCode {
        CurrencyCode::parse(text).expect("currency code")
    }

    #[test]
    fn launch_currencies_have_defaults_in_their_own_minor_units() {
        let usd = PricingPolicy::for_currency(&code("USD")).expect("USD");
        assert_eq!(usd.service_fee_rate, Decimal::new(2, 2));
        assert_eq!(
            (usd.service_fee_min_minor, usd.service_fee_max_minor),
            (99, 499)
        );
        assert_eq!(usd.small_order_threshold_minor, 1000);
        let kwd = PricingPolicy::for_currency(&code("KWD")).expect("KWD");
        // 0.099 and 0.499 KWD: three decimals.
        assert_eq!(
            (kwd.service_fee_min_minor, kwd.service_fee_max_minor),
            (99, 499)
        );
        for currency in ["EUR", "JPY"] {
            let policy = PricingPolicy::for_currency(&code(currency)).expect(currency);
            assert_eq!(policy.currency, code(currency));
            assert!(policy.check(&code(currency)).is_ok());
        }
    }

    #[test]
    fn other_currencies_have_no_defaults() {
        assert_eq!(
            PricingPolicy::for_currency(&code("GBP")),
            Err(PricingError::UnknownCurrency(code("GBP")))
        );
    }

    #[test]
    fn a_policy_applies_to_its_own_currency_only() {
        let policy = PricingPolicy::for_currency(&code("EUR")).expect("EUR");
        assert!(matches!(
            policy.check(&code("JPY")),
            Err(PricingError::CurrencyMismatch { .. })
        ));
    }

    #[test]
    fn inconsistent_policies_are_refused() {
        let valid = PricingPolicy::for_currency(&code("EUR")).expect("EUR");
        let eur = code("EUR");
        let too_high = PricingPolicy {
            service_fee_rate: Decimal::new(101, 2),
            ..valid.clone()
        };
        assert!(matches!(
            too_high.check(&eur),
            Err(PricingError::InvalidPolicy(_))
        ));
        let inverted = PricingPolicy {
            service_fee_min_minor: 600,
            ..valid.clone()
        };
        assert!(matches!(
            inverted.check(&eur),
            Err(PricingError::InvalidPolicy(_))
        ));
        let negative = PricingPolicy {
            small_order_fee_max_minor: -1,
            ..valid
        };
        assert_eq!(
            negative.check(&eur),
            Err(PricingError::NegativeAmount {
                field: "policy.smallOrderFeeMaxMinor".to_owned()
            })
        );
    }
}
