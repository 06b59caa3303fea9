//! Where fractions of a minor unit become whole minor units.
//!
//! Every amount in Mercato is an integer number of minor units, so the currency's exponent
//! never enters this arithmetic: rounding to a whole minor unit *is* rounding to a cent for
//! EUR, to a yen for JPY (exponent 0) and to a fils for KWD (exponent 3).
//!
//! Two operations turn fractions into integers, and nothing else in pricing does:
//!
//! - [`round_minor`] — **the** rounding rule: half away from zero, applied once to an exact
//!   `Decimal` (a percentage fee, a tax amount). Half away from zero is commercial rounding
//!   (German *kaufmännisches Runden*, the usual US invoice rounding); it is also among the
//!   methods Japan's qualified-invoice rules allow, which ask for one rounding per tax rate
//!   per invoice — the granularity [`super::price`] uses.
//! - [`apportion_minor`] — splitting an integer amount (a discount) over integer weights so
//!   the parts add up to the amount exactly (largest remainder). It changes no total, only
//!   which part a leftover minor unit is attributed to.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// The one rounding rule of pricing: midpoints go away from zero (`0.5 → 1`, `2.5 → 3`).
pub const ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// Rounds an exact amount in minor units to a whole number of minor units by [`ROUNDING`].
///
/// Returns `None` when the result does not fit an `i64`.
#[must_use]
pub fn round_minor(exact_minor: Decimal) -> Option<i64> {
    exact_minor.round_dp_with_strategy(0, ROUNDING).to_i64()
}

/// Splits `amount` (`0 ≤ amount ≤ Σ weights`) in proportion to non-negative `weights`:
/// each part is the floor of its exact share, and the minor units left over go one each to
/// the parts with the largest remainders (the earlier part on ties). The parts sum to
/// `amount` exactly and no part exceeds its weight.
///
/// Returns `None` when the preconditions do not hold.
pub(crate) fn apportion_minor(amount: i64, weights: &[i64]) -> Option<Vec<i64>> {
    let total_weight: i128 = weights.iter().map(|&w| i128::from(w)).sum();
    if amount < 0 || weights.iter().any(|&w| w < 0) || i128::from(amount) > total_weight {
        return None;
    }
    if amount == 0 {
        return Some(vec![0; weights.len()]);
    }
    // i64 × i64 fits i128, so the exact shares are computed without loss.
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, &weight) in weights.iter().enumerate() {
        let numerator = i128::from(amount) * i128::from(weight);
        parts.push(i64::try_from(numerator / total_weight).ok()?);
        remainders.push((numerator % total_weight, index));
    }
    let assigned: i64 = parts.iter().sum();
    let leftover = usize::try_from(amount - assigned).ok()?;
    // Largest remainder first; the earlier part wins ties, so the split is deterministic.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, index) in remainders.iter().take(leftover) {
        parts[index] += 1;
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn minor(text: &str) -> Option<i64> {
        round_minor(text.parse().expect("decimal literal"))
    }

    #[test]
    fn midpoints_round_away_from_zero() {
        assert_eq!(minor("0.5"), Some(1));
        assert_eq!(minor("1.5"), Some(2));
        assert_eq!(minor("2.5"), Some(3));
        assert_eq!(minor("-2.5"), Some(-3));
    }

    #[test]
    fn non_midpoints_round_to_the_nearest_minor_unit() {
        assert_eq!(minor("332.2375"), Some(332));
        assert_eq!(minor("130.8411"), Some(131));
        assert_eq!(minor("0.4999"), Some(0));
    }

    #[test]
    fn results_beyond_i64_are_refused() {
        assert_eq!(round_minor(Decimal::from(i64::MAX) + Decimal::ONE), None);
    }

    #[test]
    fn a_leftover_unit_goes_to_the_largest_remainder() {
        // 500 × 2000/2700 = 370.37…, 500 × 700/2700 = 129.63…
        assert_eq!(apportion_minor(500, &[2000, 700]), Some(vec![370, 130]));
    }

    #[test]
    fn ties_go_to_the_earlier_part() {
        assert_eq!(apportion_minor(1, &[5, 5]), Some(vec![1, 0]));
    }

    #[test]
    fn apportioning_more_than_the_weights_is_refused() {
        assert_eq!(apportion_minor(11, &[5, 5]), None);
        assert_eq!(apportion_minor(-1, &[5, 5]), None);
        assert_eq!(apportion_minor(1, &[]), None);
    }

    proptest! {
        #[test]
        fn parts_add_up_and_stay_within_their_weights(
            weights in prop::collection::vec(0i64..1_000_000_000_000, 1..8),
            fraction in 0u32..=1000,
        ) {
            let total: i64 = weights.iter().sum();
            let amount = i64::try_from(i128::from(total) * i128::from(fraction) / 1000)
                .expect("at most the total");
            let parts = apportion_minor(amount, &weights).expect("valid split");
            prop_assert_eq!(parts.iter().sum::<i64>(), amount);
            for (part, weight) in parts.iter().zip(&weights) {
                prop_assert!((0..=*weight).contains(part));
            }
        }
    }
}
