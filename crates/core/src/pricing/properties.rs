//! Properties of pricing over generated orders in the four launch currencies, under both
//! tax regimes and arbitrary rates.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::tests::{currency, default_policy_for};
use super::*;
use crate::catalog::FeeBand;
use crate::geo::{TaxClass, TaxRate, TaxRegime};
use crate::money::Money;

/// The launch currencies and their exponents.
const CURRENCIES: [(&str, u32); 4] = [("USD", 2), ("EUR", 2), ("JPY", 0), ("KWD", 3)];

const GOODS: [TaxClass; 5] = [
    TaxClass::Food,
    TaxClass::Grocery,
    TaxClass::Alcohol,
    TaxClass::Medicine,
    TaxClass::General,
];

/// A rate from 0 to 30 % with up to four decimals.
fn any_rate() -> impl Strategy<Value = Decimal> {
    (0i64..=3000).prop_map(|basis| Decimal::new(basis, 4))
}

fn any_regime() -> impl Strategy<Value = TaxRegime> {
    prop_oneof![Just(TaxRegime::Inclusive), Just(TaxRegime::Exclusive)]
}

/// An order without its lines: currency, tax rules (some classes unrated), delivery, tip.
fn any_market(uniform_rate: bool) -> impl Strategy<Value = (PricingInput, u32)> {
    let rates = prop::collection::vec(prop::option::of(any_rate()), TaxClass::ALL.len());
    (
        0..CURRENCIES.len(),
        any_regime(),
        rates,
        any_rate(),
        any_delivery(),
        0i64..5000,
    )
        .prop_map(move |(which, tax_regime, rates, uniform, delivery, tip)| {
            let (code, exponent) = CURRENCIES[which];
            let code = currency(code);
            let tax_rates = TaxClass::ALL
                .into_iter()
                .zip(rates)
                .filter_map(|(class, rate)| {
                    let rate = if uniform_rate { Some(uniform) } else { rate };
                    rate.map(|rate| TaxRate { class, rate })
                })
                .collect();
            let delivery = match delivery {
                DeliveryCharge::Fixed(fee) => {
                    DeliveryCharge::Fixed(Money::new(fee.amount_minor, code.clone()))
                }
                other => other,
            };
            let input = PricingInput {
                currency: code.clone(),
                tax_regime,
                tax_rates,
                lines: Vec::new(),
                delivery,
                tip: Money::new(tip, code.clone()),
                discount: Money::zero(code),
            };
            (input, exponent)
        })
}

/// A delivery charge; a fixed fee's currency is set by [`any_market`].
fn any_delivery() -> impl Strategy<Value = DeliveryCharge> {
    let bands = vec![
        FeeBand {
            up_to_m: 2000,
            fee_minor: 199,
        },
        FeeBand {
            up_to_m: 5000,
            fee_minor: 299,
        },
        FeeBand {
            up_to_m: 8000,
            fee_minor: 399,
        },
    ];
    prop_oneof![
        Just(DeliveryCharge::None),
        (0.0f64..12_000.0).prop_map(move |distance_m| DeliveryCharge::ByDistance {
            bands: bands.clone(),
            distance_m,
        }),
        (0i64..2000).prop_map(|fee| DeliveryCharge::Fixed(Money::new(fee, currency("XXX")))),
    ]
}

/// A line's amounts: price, option deltas (some negative, never below a zero unit price),
/// quantity and class; the currency is set by [`with_lines`]. Small prices are frequent, so
/// that orders around the small-order threshold and the service fee bounds are common.
fn any_line() -> impl Strategy<Value = (i64, Vec<i64>, u32, TaxClass)> {
    (
        prop_oneof![0i64..600, 0i64..60_000],
        prop::collection::vec(-200i64..800, 0..3),
        prop_oneof![Just(1u32), 1u32..6],
        prop::sample::select(GOODS.to_vec()),
    )
        .prop_map(|(price, deltas, quantity, class)| {
            let options: i64 = deltas.iter().sum();
            (price.max(-options), deltas, quantity, class)
        })
}

fn with_lines(mut input: PricingInput, lines: &[(i64, Vec<i64>, u32, TaxClass)]) -> PricingInput {
    let money = |amount| Money::new(amount, input.currency.clone());
    input.lines = lines
        .iter()
        .map(|(price, deltas, quantity, class)| PricedLine {
            unit_price: money(*price),
            option_deltas: deltas.iter().copied().map(money).collect(),
            quantity: *quantity,
            tax_class: *class,
        })
        .collect();
    input
}

/// A priceable order and its currency's exponent; the discount is up to the subtotal.
fn any_order(uniform_rate: bool) -> impl Strategy<Value = (PricingInput, u32)> {
    (
        any_market(uniform_rate),
        prop::collection::vec(any_line(), 1..6),
        0i64..=1000,
    )
        .prop_map(|((input, exponent), lines, discount_permille)| {
            let mut input = with_lines(input, &lines);
            let subtotal: i64 = lines
                .iter()
                .map(|(price, deltas, quantity, _)| {
                    (price + deltas.iter().sum::<i64>()) * i64::from(*quantity)
                })
                .sum();
            input.discount.amount_minor = subtotal * discount_permille / 1000;
            (input, exponent)
        })
}

fn priced(input: &PricingInput) -> PriceSummary {
    price(input, &default_policy_for(&input.currency)).expect("a generated order is priceable")
}

fn every_amount(summary: &PriceSummary) -> Vec<&Money> {
    let mut amounts = vec![
        &summary.subtotal,
        &summary.delivery_fee,
        &summary.service_fee,
        &summary.small_order_fee,
        &summary.discount,
        &summary.tip,
        &summary.tax,
        &summary.total,
    ];
    for line in &summary.lines {
        amounts.extend([&line.unit_price, &line.total]);
    }
    for line in &summary.tax_breakdown {
        amounts.extend([&line.net, &line.tax, &line.gross]);
    }
    amounts
}

/// The part of the total that is not added tax.
fn before_added_tax(summary: &PriceSummary) -> i64 {
    if summary.tax_included {
        summary.total.amount_minor
    } else {
        summary.total.amount_minor - summary.tax.amount_minor
    }
}

proptest! {
    #[test]
    fn totals_add_up_exactly((input, _) in any_order(false)) {
        let s = priced(&input);
        let added_tax = if s.tax_included { 0 } else { s.tax.amount_minor };
        prop_assert_eq!(
            s.total.amount_minor,
            s.subtotal.amount_minor + s.delivery_fee.amount_minor + s.service_fee.amount_minor
                + s.small_order_fee.amount_minor + added_tax + s.tip.amount_minor
                - s.discount.amount_minor
        );
        prop_assert_eq!(
            s.subtotal.amount_minor,
            s.lines.iter().map(|line| line.total.amount_minor).sum::<i64>()
        );
    }

    #[test]
    fn the_tax_breakdown_adds_up_to_the_tax_and_the_taxed_amounts((input, _) in any_order(false)) {
        let s = priced(&input);
        for line in &s.tax_breakdown {
            prop_assert_eq!(line.net.amount_minor + line.tax.amount_minor, line.gross.amount_minor);
        }
        prop_assert_eq!(
            s.tax.amount_minor,
            s.tax_breakdown.iter().map(|line| line.tax.amount_minor).sum::<i64>()
        );
        // What was taxed: goods after discount and the fees, never the tip — as listed
        // (gross under inclusive prices, net under exclusive ones).
        let taxed: i64 = s
            .tax_breakdown
            .iter()
            .map(|line| if s.tax_included { line.gross.amount_minor } else { line.net.amount_minor })
            .sum();
        prop_assert_eq!(
            taxed,
            s.subtotal.amount_minor - s.discount.amount_minor + s.delivery_fee.amount_minor
                + s.service_fee.amount_minor + s.small_order_fee.amount_minor
        );
    }

    #[test]
    fn no_amount_is_negative((input, _) in any_order(false)) {
        let s = priced(&input);
        for amount in every_amount(&s) {
            prop_assert!(amount.amount_minor >= 0, "{amount:?} in {s:?}");
        }
    }

    #[test]
    fn every_amount_is_in_the_order_currency((input, _) in any_order(false)) {
        let s = priced(&input);
        for amount in every_amount(&s) {
            prop_assert_eq!(&amount.currency, &input.currency);
        }
    }

    #[test]
    fn an_amount_in_another_currency_is_refused(
        (input, _) in any_order(false),
        line in any::<prop::sample::Index>(),
        other in 0..CURRENCIES.len(),
    ) {
        let foreign = currency(CURRENCIES[other].0);
        prop_assume!(foreign != input.currency);
        let mut mixed = input.clone();
        let line = line.index(mixed.lines.len());
        mixed.lines[line].unit_price.currency = foreign;
        let refused = matches!(
            price(&mixed, &default_policy_for(&input.currency)),
            Err(PricingError::CurrencyMismatch { .. })
        );
        prop_assert!(refused);
    }

    /// Tax is the exact tax rounded to the nearest minor unit — whole yen for JPY
    /// (exponent 0), whole fils for KWD (exponent 3) — and never coarser or finer.
    #[test]
    fn tax_is_rounded_to_the_currency_minor_unit((input, exponent) in any_order(false)) {
        let s = priced(&input);
        let minor_unit = Decimal::new(1, exponent);
        for line in &s.tax_breakdown {
            let in_major = |minor: i64| Decimal::new(minor, exponent);
            let exact = if s.tax_included {
                in_major(line.gross.amount_minor) * line.rate / (Decimal::ONE + line.rate)
            } else {
                in_major(line.net.amount_minor) * line.rate
            };
            let tax = in_major(line.tax.amount_minor);
            prop_assert!(tax.scale() <= exponent);
            prop_assert!((tax - exact).abs() * Decimal::TWO <= minor_unit, "{tax} vs {exact}");
        }
    }

    #[test]
    fn included_tax_never_exceeds_the_price((input, _) in any_order(false)) {
        let mut input = input;
        input.tax_regime = TaxRegime::Inclusive;
        let s = priced(&input);
        for line in &s.tax_breakdown {
            prop_assert!(line.tax.amount_minor <= line.gross.amount_minor);
        }
        prop_assert!(s.tax.amount_minor <= s.total.amount_minor);
    }

    #[test]
    fn service_fee_is_the_rounded_percentage_within_its_bounds((input, _) in any_order(false)) {
        let s = priced(&input);
        let policy = default_policy_for(&input.currency);
        let fee = s.service_fee.amount_minor;
        prop_assert!((policy.service_fee_min_minor..=policy.service_fee_max_minor).contains(&fee));
        let exact = Decimal::from(s.subtotal.amount_minor) * policy.service_fee_rate;
        if fee > policy.service_fee_min_minor && fee < policy.service_fee_max_minor {
            prop_assert!((Decimal::from(fee) - exact).abs() * Decimal::TWO <= Decimal::ONE);
        }
    }

    /// Adding a line never lowers the subtotal, nor the total before added tax. (An added
    /// line can lower the small-order fee by at most its own price, so with sales tax at
    /// mixed rates — untaxed groceries replacing a taxed fee — the tax, and so the total,
    /// may drop by the tax on that fee; see the uniform-rate property.)
    #[test]
    fn adding_a_line_never_lowers_the_subtotal_or_the_pre_tax_total(
        (input, _) in any_order(false),
        extra in any_line(),
    ) {
        let before = priced(&input);
        let mut more = input.clone();
        more.lines.extend(with_lines(input.clone(), &[extra]).lines);
        let after = priced(&more);
        prop_assert!(after.subtotal.amount_minor >= before.subtotal.amount_minor);
        prop_assert!(before_added_tax(&after) >= before_added_tax(&before));
        if input.tax_regime == TaxRegime::Inclusive {
            prop_assert!(after.total.amount_minor >= before.total.amount_minor);
        }
    }

    /// The same around the small-order threshold, where the fee shrinks as lines are added.
    #[test]
    fn near_the_small_order_threshold_adding_a_line_never_lowers_the_pre_tax_total(
        (market, _) in any_market(false),
        prices in prop::collection::vec(0i64..500, 1..4),
        extra in 0i64..400,
        class in prop::sample::select(GOODS.to_vec()),
    ) {
        let lines: Vec<_> = prices.iter().map(|&p| (p, Vec::new(), 1, class)).collect();
        let input = with_lines(market, &lines);
        let before = priced(&input);
        let mut more = input.clone();
        more.lines.extend(with_lines(input.clone(), &[(extra, Vec::new(), 1, TaxClass::Grocery)]).lines);
        let after = priced(&more);
        prop_assert!(before_added_tax(&after) >= before_added_tax(&before));
        if input.tax_regime == TaxRegime::Inclusive {
            prop_assert!(after.total.amount_minor >= before.total.amount_minor);
        }
    }

    #[test]
    fn with_one_rate_adding_a_line_never_lowers_the_total(
        (input, _) in any_order(true),
        extra in any_line(),
    ) {
        let before = priced(&input);
        let mut more = input.clone();
        more.lines.extend(with_lines(input, &[extra]).lines);
        prop_assert!(priced(&more).total.amount_minor >= before.total.amount_minor);
    }

    /// Whatever the amounts, pricing answers — a summary or a refusal — and never panics
    /// or wraps around.
    #[test]
    fn extreme_amounts_are_priced_or_refused(
        (input, _) in any_market(false),
        prices in prop::collection::vec((any::<i64>(), prop::collection::vec(any::<i64>(), 0..3), any::<u32>()), 1..4),
        tip in any::<i64>(),
        discount in any::<i64>(),
    ) {
        let mut input = input;
        let lines: Vec<_> = prices
            .into_iter()
            .map(|(price, deltas, quantity)| (price, deltas, quantity, TaxClass::Food))
            .collect();
        input = with_lines(input, &lines);
        input.tip.amount_minor = tip;
        input.discount.amount_minor = discount;
        if let Ok(s) = price(&input, &default_policy_for(&input.currency)) {
            for amount in every_amount(&s) {
                prop_assert!(amount.amount_minor >= 0);
            }
        }
    }
}
