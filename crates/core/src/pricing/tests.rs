//! Hand-computed examples for the launch markets, and the refusals.

use rust_decimal::Decimal;

use super::*;
use crate::catalog::FeeBand;
use crate::geo::{Country, CountryCode, TaxClass, TaxRate, TaxRegime};
use crate::money::{CurrencyCode, Money};

pub(super) fn currency(code: &str) -> CurrencyCode {
    CurrencyCode::parse(code).expect("currency code")
}

pub(super) fn rate(text: &str) -> Decimal {
    text.parse().expect("decimal rate")
}

fn country(code: &str, money: &str, exponent: u8, regime: TaxRegime, rates: &[&str; 7]) -> Country {
    // Rates in the order of `TaxClass::ALL`: food, grocery, alcohol, medicine, general,
    // delivery fee, service fee.
    Country {
        code: CountryCode::parse(code).expect("country code"),
        name: code.to_owned(),
        currency: currency(money),
        currency_exponent: exponent,
        default_locale: "en".to_owned(),
        time_zones: vec!["UTC".to_owned()],
        tax_regime: regime,
        tax_rates: TaxClass::ALL
            .into_iter()
            .zip(rates)
            .map(|(class, text)| TaxRate {
                class,
                rate: rate(text),
            })
            .collect(),
        enabled: true,
    }
}

/// The launch markets as the demo dataset configures them.
pub(super) fn united_states() -> Country {
    let sales = "0.0875";
    country(
        "US",
        "USD",
        2,
        TaxRegime::Exclusive,
        &[sales, "0", sales, sales, sales, sales, sales],
    )
}

pub(crate) fn germany() -> Country {
    let (reduced, standard) = ("0.07", "0.19");
    let rates = [
        reduced, reduced, standard, standard, standard, standard, standard,
    ];
    country("DE", "EUR", 2, TaxRegime::Inclusive, &rates)
}

pub(super) fn japan() -> Country {
    let (reduced, standard) = ("0.08", "0.10");
    let rates = [
        reduced, reduced, standard, standard, standard, standard, standard,
    ];
    country("JP", "JPY", 0, TaxRegime::Inclusive, &rates)
}

pub(super) fn kuwait() -> Country {
    country("KW", "KWD", 3, TaxRegime::Inclusive, &["0.0"; 7])
}

pub(super) fn line(
    country: &Country,
    price: i64,
    options: &[i64],
    quantity: u32,
    class: TaxClass,
) -> PricedLine {
    let money = |amount| Money::new(amount, country.currency.clone());
    PricedLine {
        unit_price: money(price),
        option_deltas: options.iter().copied().map(money).collect(),
        quantity,
        tax_class: class,
    }
}

fn order(country: &Country, lines: Vec<PricedLine>) -> PricingInput {
    PricingInput {
        lines,
        ..PricingInput::for_country(country)
    }
}

fn priced(input: &PricingInput) -> PriceSummary {
    price(input, &default_policy_for(&input.currency)).expect("priceable order")
}

pub(super) fn default_policy_for(code: &CurrencyCode) -> PricingPolicy {
    PricingPolicy::for_currency(code).expect("launch currency")
}

fn minor(money: &Money) -> i64 {
    money.amount_minor
}

/// (rate, classes, net, tax, gross) of each tax line.
fn breakdown(summary: &PriceSummary) -> Vec<(Decimal, Vec<TaxClass>, i64, i64, i64)> {
    summary
        .tax_breakdown
        .iter()
        .map(|t| {
            (
                t.rate,
                t.classes.clone(),
                minor(&t.net),
                minor(&t.tax),
                minor(&t.gross),
            )
        })
        .collect()
}

fn bands() -> Vec<FeeBand> {
    [(2000, 199), (5000, 299), (8000, 399)]
        .into_iter()
        .map(|(up_to_m, fee_minor)| FeeBand { up_to_m, fee_minor })
        .collect()
}

#[test]
fn us_sales_tax_is_added_on_goods_and_fees() {
    let us = united_states();
    let input = PricingInput {
        // Burger $12.50 with cheese $1.00 and bacon $1.50, twice; fries $3.99.
        lines: vec![
            line(&us, 1250, &[100, 150], 2, TaxClass::Food),
            line(&us, 399, &[], 1, TaxClass::Food),
        ],
        delivery: DeliveryCharge::ByDistance {
            bands: bands(),
            distance_m: 3200.0,
        },
        tip: Money::new(500, us.currency.clone()),
        ..PricingInput::for_country(&us)
    };

    let summary = priced(&input);

    assert_eq!(minor(&summary.lines[0].unit_price), 1500);
    assert_eq!(minor(&summary.lines[0].total), 3000);
    assert_eq!(minor(&summary.subtotal), 3399);
    assert_eq!(minor(&summary.delivery_fee), 299);
    // 2 % of $33.99 is $0.68, below the $0.99 minimum.
    assert_eq!(minor(&summary.service_fee), 99);
    assert_eq!(minor(&summary.small_order_fee), 0);
    // (3399 + 299 + 99) × 0.0875 = 332.2375 → 332.
    assert_eq!(
        breakdown(&summary),
        vec![(
            rate("0.0875"),
            vec![TaxClass::Food, TaxClass::DeliveryFee, TaxClass::ServiceFee],
            3797,
            332,
            4129
        )]
    );
    assert_eq!(minor(&summary.tax), 332);
    assert!(!summary.tax_included);
    assert_eq!(minor(&summary.total), 3399 + 299 + 99 + 332 + 500);
}

#[test]
fn us_untaxed_groceries_form_a_zero_rate_line() {
    let us = united_states();
    let input = order(&us, vec![line(&us, 850, &[], 1, TaxClass::Grocery)]);

    let summary = priced(&input);

    // $8.50 lacks $1.50 to reach $10.00; service fee at its minimum.
    assert_eq!(minor(&summary.small_order_fee), 150);
    assert_eq!(minor(&summary.service_fee), 99);
    // (99 + 150) × 0.0875 = 21.7875 → 22.
    assert_eq!(
        breakdown(&summary),
        vec![
            (rate("0"), vec![TaxClass::Grocery], 850, 0, 850),
            (rate("0.0875"), vec![TaxClass::ServiceFee], 249, 22, 271),
        ]
    );
    assert_eq!(minor(&summary.total), 850 + 99 + 150 + 22);
}

#[test]
fn untaxed_groceries_replacing_a_taxed_small_order_fee_lower_the_sales_tax() {
    // Why the total is monotonic in the lines only before added tax: $9.50 of groceries
    // pay a $0.50 small-order fee taxed at 8.75 %; $0.50 more of (untaxed) groceries
    // replace that fee, and its 4 cents of tax disappear with it.
    let us = united_states();
    let groceries = |lines| order(&us, lines);
    let before = priced(&groceries(vec![line(&us, 950, &[], 1, TaxClass::Grocery)]));
    let after = priced(&groceries(vec![
        line(&us, 950, &[], 1, TaxClass::Grocery),
        line(&us, 50, &[], 1, TaxClass::Grocery),
    ]));

    // Before: (99 + 50) × 0.0875 = 13.04 → 13; after: 99 × 0.0875 = 8.66 → 9.
    assert_eq!((minor(&before.tax), minor(&after.tax)), (13, 9));
    assert_eq!(minor(&before.total) - minor(&before.tax), 950 + 99 + 50);
    assert_eq!(minor(&after.total) - minor(&after.tax), 1000 + 99);
    assert_eq!(minor(&after.total), minor(&before.total) - 4);
}

#[test]
fn us_sales_tax_applies_to_the_discounted_price() {
    let us = united_states();
    let input = PricingInput {
        discount: Money::new(1000, us.currency.clone()),
        ..order(&us, vec![line(&us, 5000, &[], 1, TaxClass::Food)])
    };

    let summary = priced(&input);

    // Service fee on the undiscounted $50.00: $1.00. Tax: (5000 − 1000 + 100) × 0.0875
    // = 358.75 → 359.
    assert_eq!(minor(&summary.service_fee), 100);
    assert_eq!(minor(&summary.tax), 359);
    assert_eq!(minor(&summary.total), 5000 + 100 - 1000 + 359);
}

fn german_dinner(de: &Country) -> PricingInput {
    PricingInput {
        // Pizza €8.50 with extra mozzarella €1.50, twice; beer €3.50, twice.
        lines: vec![
            line(de, 850, &[150], 2, TaxClass::Food),
            line(de, 350, &[], 2, TaxClass::Alcohol),
        ],
        delivery: DeliveryCharge::ByDistance {
            bands: bands(),
            distance_m: 1500.0,
        },
        tip: Money::new(200, de.currency.clone()),
        ..PricingInput::for_country(de)
    }
}

#[test]
fn german_vat_is_extracted_per_rate_from_inclusive_prices() {
    let de = germany();

    let summary = priced(&german_dinner(&de));

    assert_eq!(minor(&summary.subtotal), 2700);
    assert_eq!(minor(&summary.delivery_fee), 199);
    assert_eq!(minor(&summary.service_fee), 99);
    // 2000 × 0.07 / 1.07 = 130.84 → 131; (700 + 199 + 99) × 0.19 / 1.19 = 159.34 → 159.
    assert_eq!(
        breakdown(&summary),
        vec![
            (rate("0.07"), vec![TaxClass::Food], 1869, 131, 2000),
            (
                rate("0.19"),
                vec![
                    TaxClass::Alcohol,
                    TaxClass::DeliveryFee,
                    TaxClass::ServiceFee
                ],
                839,
                159,
                998
            ),
        ]
    );
    assert_eq!(minor(&summary.tax), 290);
    assert!(summary.tax_included);
    // The VAT is inside the prices: it is shown, not added.
    assert_eq!(minor(&summary.total), 2700 + 199 + 99 + 200);
}

#[test]
fn german_discount_is_apportioned_over_the_rates_by_their_goods() {
    let de = germany();
    let input = PricingInput {
        discount: Money::new(500, de.currency.clone()),
        ..german_dinner(&de)
    };

    let summary = priced(&input);

    // 500 × 2000/2700 = 370.37 and 500 × 700/2700 = 129.63: the leftover cent goes to the
    // larger remainder, so 370 and 130. Then 1630 × 0.07 / 1.07 = 106.64 → 107 and
    // (570 + 199 + 99) × 0.19 / 1.19 = 138.59 → 139.
    assert_eq!(
        breakdown(&summary)
            .into_iter()
            .map(|(_, _, net, tax, gross)| (net, tax, gross))
            .collect::<Vec<_>>(),
        vec![(1523, 107, 1630), (729, 139, 868)]
    );
    assert_eq!(minor(&summary.discount), 500);
    assert_eq!(minor(&summary.total), 2700 + 199 + 99 + 200 - 500);
}

#[test]
fn japanese_consumption_tax_is_in_whole_yen() {
    let jp = japan();
    let input = PricingInput {
        // Ramen ¥980 with a seasoned egg ¥150; beer ¥550.
        lines: vec![
            line(&jp, 980, &[150], 1, TaxClass::Food),
            line(&jp, 550, &[], 1, TaxClass::Alcohol),
        ],
        delivery: DeliveryCharge::Fixed(Money::new(300, jp.currency.clone())),
        ..PricingInput::for_country(&jp)
    };

    let summary = priced(&input);

    assert_eq!(minor(&summary.subtotal), 1680);
    // 2 % of ¥1,680 is ¥33.6, below the ¥99 minimum.
    assert_eq!(minor(&summary.service_fee), 99);
    // 1130 × 0.08 / 1.08 = 83.70 → ¥84; (550 + 300 + 99) × 0.10 / 1.10 = 86.27 → ¥86.
    assert_eq!(
        breakdown(&summary),
        vec![
            (rate("0.08"), vec![TaxClass::Food], 1046, 84, 1130),
            (
                rate("0.10"),
                vec![
                    TaxClass::Alcohol,
                    TaxClass::DeliveryFee,
                    TaxClass::ServiceFee
                ],
                863,
                86,
                949
            ),
        ]
    );
    assert_eq!(minor(&summary.tax), 170);
    assert_eq!(minor(&summary.total), 1680 + 300 + 99);
}

#[test]
fn small_order_fee_tops_up_to_the_threshold_up_to_its_maximum() {
    let jp = japan();
    let fee_for = |subtotal| {
        let input = order(&jp, vec![line(&jp, subtotal, &[], 1, TaxClass::Food)]);
        minor(&priced(&input).small_order_fee)
    };

    assert_eq!(fee_for(600), 200);
    assert_eq!(fee_for(900), 100);
    assert_eq!(fee_for(999), 1);
    assert_eq!(fee_for(1000), 0);
}

#[test]
fn kuwaiti_orders_carry_no_tax_and_three_decimals() {
    let kw = kuwait();
    let input = PricingInput {
        // Machboos 2.750 KWD, twice; laban 0.350 KWD.
        lines: vec![
            line(&kw, 2750, &[], 2, TaxClass::Food),
            line(&kw, 350, &[], 1, TaxClass::General),
        ],
        delivery: DeliveryCharge::ByDistance {
            bands: vec![
                FeeBand {
                    up_to_m: 3000,
                    fee_minor: 500,
                },
                FeeBand {
                    up_to_m: 6000,
                    fee_minor: 750,
                },
            ],
            distance_m: 2500.0,
        },
        tip: Money::new(250, kw.currency.clone()),
        ..PricingInput::for_country(&kw)
    };

    let summary = priced(&input);

    assert_eq!(minor(&summary.subtotal), 5850);
    // 2 % of 5.850 KWD = 0.117 KWD, between 0.099 and 0.499.
    assert_eq!(minor(&summary.service_fee), 117);
    assert_eq!(minor(&summary.delivery_fee), 500);
    assert_eq!(
        breakdown(&summary),
        vec![(
            rate("0.0"),
            vec![
                TaxClass::Food,
                TaxClass::General,
                TaxClass::DeliveryFee,
                TaxClass::ServiceFee
            ],
            6467,
            0,
            6467
        )]
    );
    assert_eq!(minor(&summary.total), 5850 + 500 + 117 + 250);
}

#[test]
fn tax_in_kwd_is_rounded_to_the_fils() {
    // A 5 % VAT, as the GCC framework foresees.
    let kw = country("KW", "KWD", 3, TaxRegime::Inclusive, &["0.05"; 7]);
    let input = order(&kw, vec![line(&kw, 1234, &[], 1, TaxClass::Food)]);

    let summary = priced(&input);

    // (1234 + 99) × 0.05 / 1.05 = 63.48 fils → 0.063 KWD (not 0.06, not 0).
    assert_eq!(minor(&summary.tax), 63);
}

#[test]
fn service_fee_percentages_round_half_away_from_zero() {
    let de = germany();
    let fee_for = |subtotal| {
        let input = order(&de, vec![line(&de, subtotal, &[], 1, TaxClass::Food)]);
        minor(&priced(&input).service_fee)
    };

    // 2 % of €123.25 is €2.465: half a cent rounds up (half-even would give €2.46).
    assert_eq!(fee_for(12_325), 247);
    // 2 % of €300 is €6, above the €4.99 maximum.
    assert_eq!(fee_for(30_000), 499);
}

#[test]
fn negative_option_deltas_lower_the_unit_price() {
    let de = germany();
    let input = order(&de, vec![line(&de, 500, &[-100], 3, TaxClass::Food)]);

    let summary = priced(&input);

    assert_eq!(minor(&summary.lines[0].unit_price), 400);
    assert_eq!(minor(&summary.subtotal), 1200);
}

#[test]
fn the_summary_is_camel_case_money_objects() {
    let de = germany();
    let summary = priced(&german_dinner(&de));

    let json = serde_json::to_value(&summary).expect("serializable");

    assert_eq!(
        json["subtotal"],
        serde_json::json!({"amountMinor": 2700, "currency": "EUR"})
    );
    assert_eq!(json["smallOrderFee"]["amountMinor"], 0);
    assert_eq!(json["taxIncluded"], true);
    assert_eq!(json["taxBreakdown"][1]["rate"], "0.19");
    assert_eq!(json["taxBreakdown"][1]["classes"][0], "alcohol");
    let back: PriceSummary = serde_json::from_value(json).expect("deserializable");
    assert_eq!(back, summary);
}

// Refusals.

fn refusal(input: &PricingInput) -> PricingError {
    price(input, &default_policy_for(&input.currency)).expect_err("refused")
}

#[test]
fn an_order_without_lines_is_refused() {
    assert_eq!(
        refusal(&PricingInput::for_country(&germany())),
        PricingError::NoLines
    );
}

#[test]
fn a_zero_quantity_is_refused() {
    let de = germany();
    let input = order(
        &de,
        vec![
            line(&de, 500, &[], 1, TaxClass::Food),
            line(&de, 500, &[], 0, TaxClass::Food),
        ],
    );
    assert_eq!(refusal(&input), PricingError::ZeroQuantity { line: 1 });
}

#[test]
fn negative_prices_are_refused() {
    let de = germany();
    let negative = |field: &str| PricingError::NegativeAmount {
        field: field.to_owned(),
    };
    let input = order(&de, vec![line(&de, -1, &[], 1, TaxClass::Food)]);
    assert_eq!(refusal(&input), negative("lines[0].unitPrice"));
    let input = order(&de, vec![line(&de, 100, &[-150], 1, TaxClass::Food)]);
    assert_eq!(refusal(&input), negative("lines[0].optionDeltas"));
}

#[test]
fn negative_tips_discounts_and_fees_are_refused() {
    let de = germany();
    let eur = |amount| Money::new(amount, de.currency.clone());
    let base = order(&de, vec![line(&de, 500, &[], 1, TaxClass::Food)]);
    let negative = |field: &str| PricingError::NegativeAmount {
        field: field.to_owned(),
    };

    let tip = PricingInput {
        tip: eur(-1),
        ..base.clone()
    };
    assert_eq!(refusal(&tip), negative("tip"));
    let discount = PricingInput {
        discount: eur(-1),
        ..base.clone()
    };
    assert_eq!(refusal(&discount), negative("discount"));
    let fixed = PricingInput {
        delivery: DeliveryCharge::Fixed(eur(-1)),
        ..base.clone()
    };
    assert_eq!(refusal(&fixed), negative("delivery"));
    let banded = PricingInput {
        delivery: DeliveryCharge::ByDistance {
            bands: vec![FeeBand {
                up_to_m: 1000,
                fee_minor: -5,
            }],
            distance_m: 10.0,
        },
        ..base
    };
    assert_eq!(refusal(&banded), negative("delivery.bands[0].feeMinor"));
}

#[test]
fn amounts_in_another_currency_are_refused() {
    let de = germany();
    let yen = Money::new(100, currency("JPY"));
    let base = order(&de, vec![line(&de, 500, &[], 1, TaxClass::Food)]);
    let mismatch = |field: &str| PricingError::CurrencyMismatch {
        field: field.to_owned(),
        expected: currency("EUR"),
        found: currency("JPY"),
    };

    let mut foreign_option = base.clone();
    foreign_option.lines[0].option_deltas.push(yen.clone());
    assert_eq!(
        refusal(&foreign_option),
        mismatch("lines[0].optionDeltas[0]")
    );
    let foreign_tip = PricingInput {
        tip: yen.clone(),
        ..base.clone()
    };
    assert_eq!(refusal(&foreign_tip), mismatch("tip"));
    let foreign_fee = PricingInput {
        delivery: DeliveryCharge::Fixed(yen),
        ..base.clone()
    };
    assert_eq!(refusal(&foreign_fee), mismatch("delivery"));
    let yen_policy = default_policy_for(&currency("JPY"));
    assert_eq!(price(&base, &yen_policy), Err(mismatch("policy.currency")));
}

#[test]
fn a_discount_above_the_subtotal_is_refused() {
    let de = germany();
    let input = PricingInput {
        discount: Money::new(501, de.currency.clone()),
        ..order(&de, vec![line(&de, 500, &[], 1, TaxClass::Food)])
    };
    assert_eq!(refusal(&input), PricingError::DiscountExceedsSubtotal);
}

#[test]
fn invalid_distances_are_refused() {
    let de = germany();
    for distance_m in [f64::NAN, -1.0, f64::INFINITY] {
        let input = PricingInput {
            delivery: DeliveryCharge::ByDistance {
                bands: bands(),
                distance_m,
            },
            ..order(&de, vec![line(&de, 500, &[], 1, TaxClass::Food)])
        };
        assert_eq!(
            refusal(&input),
            PricingError::InvalidDistance,
            "{distance_m}"
        );
    }
}

#[test]
fn invalid_or_repeated_tax_rates_are_refused() {
    let de = germany();
    let base = order(&de, vec![line(&de, 500, &[], 1, TaxClass::Food)]);
    let mut whole = base.clone();
    whole.tax_rates[0].rate = Decimal::ONE;
    assert_eq!(
        refusal(&whole),
        PricingError::InvalidTaxRate {
            class: TaxClass::Food
        }
    );
    let mut repeated = base;
    repeated.tax_rates.push(TaxRate {
        class: TaxClass::General,
        rate: rate("0.07"),
    });
    assert_eq!(
        refusal(&repeated),
        PricingError::InvalidTaxRate {
            class: TaxClass::General
        }
    );
}

#[test]
fn amounts_beyond_64_bits_are_refused_not_wrapped() {
    let de = germany();
    let huge_line = order(&de, vec![line(&de, i64::MAX, &[], 2, TaxClass::Food)]);
    assert_eq!(refusal(&huge_line), PricingError::Overflow);
    let huge_sum = order(
        &de,
        vec![
            line(&de, i64::MAX, &[], 1, TaxClass::Food),
            line(&de, 1, &[], 1, TaxClass::Food),
        ],
    );
    assert_eq!(refusal(&huge_sum), PricingError::Overflow);
    let huge_option = order(&de, vec![line(&de, i64::MAX, &[1], 1, TaxClass::Food)]);
    assert_eq!(refusal(&huge_option), PricingError::Overflow);
}
