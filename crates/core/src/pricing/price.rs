//! The pricing computation itself.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::rounding::{apportion_minor, round_minor};
use super::{
    DeliveryCharge, LineTotal, PriceSummary, PricedLine, PricingError, PricingInput, PricingPolicy,
    TaxLine,
};
use crate::catalog::delivery_fee_minor;
use crate::geo::{TaxClass, TaxRate, TaxRegime};
use crate::money::{CurrencyCode, Money};

type Result<T, E = PricingError> = std::result::Result<T, E>;

/// Prices an order: line totals, fees, discount, tip, tax and total.
///
/// The rules, in order:
///
/// 1. Each line costs `(unit price + option deltas) × quantity`; the subtotal is their sum.
/// 2. The delivery fee comes from the merchant's distance bands (or is given).
/// 3. The service fee is `policy.service_fee_rate × subtotal`, rounded, then clamped to
///    the policy's minimum and maximum.
/// 4. Below the policy's threshold, the small-order fee is what the subtotal lacks to reach
///    it, up to the policy's maximum — so adding an item never lowers subtotal + fees, as a
///    flat fee dropping at the threshold would.
/// 5. The discount applies to the goods only, and is apportioned over the tax rates in
///    proportion to the goods at each rate (largest remainder, exact to the minor unit);
///    the service and small-order fees are computed on the subtotal before discount.
/// 6. Tax: the goods, the delivery fee (class [`TaxClass::DeliveryFee`]) and the service
///    and small-order fees (both [`TaxClass::ServiceFee`]) are grouped by rate; each rate's
///    base is rounded once — `base × rate` when tax is added, `base × rate / (1 + rate)`
///    extracted from the gross when it is included. The tip is never taxed.
/// 7. `total = subtotal + fees + tip − discount`, plus the tax when it is added on top.
///
/// Every fraction becomes whole minor units through [`super::round_minor`] (half away from
/// zero); every other step is exact integer arithmetic, checked for overflow.
///
/// # Errors
/// [`PricingError`] for no lines, a zero quantity, a negative amount, an amount in another
/// currency, an invalid tax rate or policy, a bad distance, a discount above the subtotal,
/// or amounts beyond 64-bit minor units.
pub fn price(input: &PricingInput, policy: &PricingPolicy) -> Result<PriceSummary> {
    let currency = &input.currency;
    policy.check(currency)?;
    let rates = rates_by_class(&input.tax_rates)?;
    if input.lines.is_empty() {
        return Err(PricingError::NoLines);
    }
    let lines = input
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| line_total(index, line, currency))
        .collect::<Result<Vec<_>>>()?;
    let subtotal = sum(lines.iter().map(|line| line.total.amount_minor))?;
    let delivery_fee = delivery_fee(&input.delivery, currency)?;
    let service_fee = service_fee(subtotal, policy)?;
    let small_order_fee = small_order_fee(subtotal, policy);
    let tip = non_negative("tip", &input.tip, currency)?;
    let discount = non_negative("discount", &input.discount, currency)?;
    if discount > subtotal {
        return Err(PricingError::DiscountExceedsSubtotal);
    }

    let fees = [
        (TaxClass::DeliveryFee, delivery_fee),
        (TaxClass::ServiceFee, service_fee),
        (TaxClass::ServiceFee, small_order_fee),
    ];
    let tax_breakdown = tax_per_rate(&rates, &lines, &fees, discount, input.tax_regime, currency)?;
    let tax = sum(tax_breakdown.iter().map(|line| line.tax.amount_minor))?;

    let before_tax = sum([subtotal, delivery_fee, service_fee, small_order_fee, tip])?
        .checked_sub(discount)
        .ok_or(PricingError::Overflow)?;
    let total = match input.tax_regime {
        TaxRegime::Inclusive => before_tax,
        TaxRegime::Exclusive => sum([before_tax, tax])?,
    };

    let money = |amount_minor| Money::new(amount_minor, currency.clone());
    Ok(PriceSummary {
        lines,
        subtotal: money(subtotal),
        delivery_fee: money(delivery_fee),
        service_fee: money(service_fee),
        small_order_fee: money(small_order_fee),
        discount: money(discount),
        tip: money(tip),
        tax: money(tax),
        tax_included: input.tax_regime == TaxRegime::Inclusive,
        tax_breakdown,
        total: money(total),
    })
}

fn rates_by_class(rates: &[TaxRate]) -> Result<BTreeMap<TaxClass, Decimal>> {
    let mut by_class = BTreeMap::new();
    for rate in rates {
        let in_range = !rate.rate.is_sign_negative() && rate.rate < Decimal::ONE;
        if !in_range || by_class.insert(rate.class, rate.rate).is_some() {
            return Err(PricingError::InvalidTaxRate { class: rate.class });
        }
    }
    Ok(by_class)
}

fn line_total(index: usize, line: &PricedLine, currency: &CurrencyCode) -> Result<LineTotal> {
    if line.quantity == 0 {
        return Err(PricingError::ZeroQuantity { line: index });
    }
    let mut unit = non_negative(
        &format!("lines[{index}].unitPrice"),
        &line.unit_price,
        currency,
    )?;
    for (option, delta) in line.option_deltas.iter().enumerate() {
        in_currency(
            &format!("lines[{index}].optionDeltas[{option}]"),
            delta,
            currency,
        )?;
        unit = unit
            .checked_add(delta.amount_minor)
            .ok_or(PricingError::Overflow)?;
    }
    if unit < 0 {
        return Err(PricingError::NegativeAmount {
            field: format!("lines[{index}].optionDeltas"),
        });
    }
    let total = unit
        .checked_mul(i64::from(line.quantity))
        .ok_or(PricingError::Overflow)?;
    Ok(LineTotal {
        unit_price: Money::new(unit, currency.clone()),
        quantity: line.quantity,
        tax_class: line.tax_class,
        total: Money::new(total, currency.clone()),
    })
}

fn delivery_fee(delivery: &DeliveryCharge, currency: &CurrencyCode) -> Result<i64> {
    match delivery {
        DeliveryCharge::None => Ok(0),
        DeliveryCharge::ByDistance { bands, distance_m } => {
            if !(distance_m.is_finite() && *distance_m >= 0.0) {
                return Err(PricingError::InvalidDistance);
            }
            if let Some(index) = bands.iter().position(|band| band.fee_minor < 0) {
                return Err(PricingError::NegativeAmount {
                    field: format!("delivery.bands[{index}].feeMinor"),
                });
            }
            Ok(delivery_fee_minor(bands, *distance_m))
        }
        DeliveryCharge::Fixed(fee) => non_negative("delivery", fee, currency),
    }
}

fn service_fee(subtotal: i64, policy: &PricingPolicy) -> Result<i64> {
    let exact = Decimal::from(subtotal)
        .checked_mul(policy.service_fee_rate)
        .ok_or(PricingError::Overflow)?;
    let fee = round_minor(exact).ok_or(PricingError::Overflow)?;
    Ok(fee.clamp(policy.service_fee_min_minor, policy.service_fee_max_minor))
}

fn small_order_fee(subtotal: i64, policy: &PricingPolicy) -> i64 {
    if subtotal < policy.small_order_threshold_minor {
        // 0 ≤ subtotal < threshold, so the difference cannot overflow.
        (policy.small_order_threshold_minor - subtotal).min(policy.small_order_fee_max_minor)
    } else {
        0
    }
}

/// The goods and fees taxed at one rate.
struct RateGroup {
    classes: Vec<TaxClass>,
    goods: i64,
    fees: i64,
}

fn tax_per_rate(
    rates: &BTreeMap<TaxClass, Decimal>,
    lines: &[LineTotal],
    fees: &[(TaxClass, i64)],
    discount: i64,
    regime: TaxRegime,
    currency: &CurrencyCode,
) -> Result<Vec<TaxLine>> {
    let rate_of = |class| rates.get(&class).copied().unwrap_or(Decimal::ZERO);
    let mut groups: BTreeMap<Decimal, RateGroup> = BTreeMap::new();
    let mut add = |class: TaxClass, amount: i64, is_goods: bool| -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let group = groups.entry(rate_of(class)).or_insert(RateGroup {
            classes: Vec::new(),
            goods: 0,
            fees: 0,
        });
        if !group.classes.contains(&class) {
            group.classes.push(class);
        }
        let bucket = if is_goods {
            &mut group.goods
        } else {
            &mut group.fees
        };
        *bucket = bucket.checked_add(amount).ok_or(PricingError::Overflow)?;
        Ok(())
    };
    for line in lines {
        add(line.tax_class, line.total.amount_minor, true)?;
    }
    for &(class, amount) in fees {
        add(class, amount, false)?;
    }

    let goods: Vec<i64> = groups.values().map(|group| group.goods).collect();
    let discounts =
        apportion_minor(discount, &goods).ok_or(PricingError::DiscountExceedsSubtotal)?;
    groups
        .into_iter()
        .zip(discounts)
        .map(|((rate, mut group), discount)| {
            // A group's discount never exceeds its goods, so the base stays non-negative.
            let base = (group.goods - discount)
                .checked_add(group.fees)
                .ok_or(PricingError::Overflow)?;
            let (net, tax) = match regime {
                TaxRegime::Exclusive => (base, tax_on(base, rate)?),
                TaxRegime::Inclusive => {
                    let tax = tax_within(base, rate)?;
                    (base - tax, tax)
                }
            };
            let gross = net.checked_add(tax).ok_or(PricingError::Overflow)?;
            group.classes.sort_unstable();
            let money = |amount_minor| Money::new(amount_minor, currency.clone());
            Ok(TaxLine {
                rate,
                classes: group.classes,
                net: money(net),
                tax: money(tax),
                gross: money(gross),
            })
        })
        .collect()
}

/// Tax added on top of a net amount.
fn tax_on(net: i64, rate: Decimal) -> Result<i64> {
    let exact = Decimal::from(net)
        .checked_mul(rate)
        .ok_or(PricingError::Overflow)?;
    round_minor(exact).ok_or(PricingError::Overflow)
}

/// Tax contained in a gross amount: `gross − gross / (1 + rate)`, computed as
/// `gross × rate / (1 + rate)`. For `0 ≤ rate < 1` it is below half the gross, so it never
/// exceeds it after rounding. A quotient that lands on a midpoint terminates and `Decimal`
/// holds it exactly; one that does not terminate is far from any midpoint compared with
/// `Decimal`'s 28 digits — so the rounding rule is applied to the exact value.
fn tax_within(gross: i64, rate: Decimal) -> Result<i64> {
    let exact = Decimal::from(gross)
        .checked_mul(rate)
        .and_then(|taxed| taxed.checked_div(Decimal::ONE + rate))
        .ok_or(PricingError::Overflow)?;
    round_minor(exact).ok_or(PricingError::Overflow)
}

fn sum(amounts: impl IntoIterator<Item = i64>) -> Result<i64> {
    amounts
        .into_iter()
        .try_fold(0i64, i64::checked_add)
        .ok_or(PricingError::Overflow)
}

fn in_currency(field: &str, amount: &Money, currency: &CurrencyCode) -> Result<i64> {
    if &amount.currency == currency {
        Ok(amount.amount_minor)
    } else {
        Err(PricingError::CurrencyMismatch {
            field: field.to_owned(),
            expected: currency.clone(),
            found: amount.currency.clone(),
        })
    }
}

fn non_negative(field: &str, amount: &Money, currency: &CurrencyCode) -> Result<i64> {
    let minor = in_currency(field, amount, currency)?;
    if minor < 0 {
        return Err(PricingError::NegativeAmount {
            field: field.to_owned(),
        });
    }
    Ok(minor)
}
