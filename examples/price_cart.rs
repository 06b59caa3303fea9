//! Prices one cart with Mercato's pricing module alone — no database, no server — in the four
//! launch markets: the United States (USD, sales tax added on top), Germany (EUR, VAT
//! included in the prices), Japan (JPY, no minor unit) and Kuwait (KWD, three decimals).
//!
//! ```text
//! cargo run --example price_cart
//! ```
//!
//! The same basket — two burgers with two options each, fries and a tote bag, delivered
//! 3.2 km with a tip — is priced at each market's local prices by
//! [`mercato::core::pricing::price`], which applies the fee policy of the currency
//! ([`PricingPolicy::for_currency`]) and the country's tax regime and rates. Every amount is
//! an integer of minor units; only [`format_money`] below, for display, places the decimal
//! point by the country's `currency_exponent`.

use mercato::core::catalog::FeeBand;
use mercato::core::geo::{Country, CountryCode, TaxClass, TaxRate, TaxRegime};
use mercato::core::money::{CurrencyCode, Money};
use mercato::core::pricing::{
    DeliveryCharge, PriceSummary, PricedLine, PricingError, PricingInput, PricingPolicy, price,
};
use rust_decimal::Decimal;

/// How far the door is from the merchant, in metres.
pub const DISTANCE_M: f64 = 3_200.0;

/// One market's prices for the example basket, in minor units of its currency.
struct LocalPrices {
    burger: i64,
    cheese: i64,
    jalapenos: i64,
    fries: i64,
    tote_bag: i64,
    /// The merchant's delivery fee bands (up to 2 km, 5 km, 8 km).
    bands: [i64; 3],
    tip: i64,
}

/// A basket priced in one market.
#[derive(Debug, Clone)]
pub struct PricedCart {
    /// The market (its currency, exponent and tax rules).
    pub country: Country,
    /// What pricing returned.
    pub summary: PriceSummary,
    /// The names of the lines, in the summary's order.
    pub line_names: Vec<String>,
}

/// A country as the demo dataset configures it: `rates` per tax class, in the order of
/// [`TaxClass::ALL`] (food, grocery, alcohol, medicine, general, delivery fee, service fee).
fn country(
    code: &str,
    name: &str,
    currency: &str,
    exponent: u8,
    regime: TaxRegime,
    rates: [&str; 7],
) -> Country {
    Country {
        code: CountryCode::parse(code).expect("a valid country code"),
        name: name.to_owned(),
        currency: CurrencyCode::parse(currency).expect("a valid currency code"),
        currency_exponent: exponent,
        default_locale: "en".to_owned(),
        time_zones: vec!["UTC".to_owned()],
        tax_regime: regime,
        tax_rates: TaxClass::ALL
            .into_iter()
            .zip(rates)
            .map(|(class, rate)| TaxRate {
                class,
                rate: rate.parse().expect("a decimal rate"),
            })
            .collect(),
        enabled: true,
    }
}

/// The four launch markets with the example basket's local prices.
fn markets() -> Vec<(Country, LocalPrices)> {
    let us_sales = "0.0875";
    vec![
        (
            country(
                "US",
                "United States",
                "USD",
                2,
                TaxRegime::Exclusive,
                // Groceries are exempt from sales tax; everything else pays it.
                [
                    us_sales, "0", us_sales, us_sales, us_sales, us_sales, us_sales,
                ],
            ),
            LocalPrices {
                burger: 1250,
                cheese: 100,
                jalapenos: 75,
                fries: 399,
                tote_bag: 250,
                bands: [199, 299, 399],
                tip: 500,
            },
        ),
        (
            country(
                "DE",
                "Germany",
                "EUR",
                2,
                TaxRegime::Inclusive,
                // 7 % on food and groceries, 19 % on everything else.
                ["0.07", "0.07", "0.19", "0.19", "0.19", "0.19", "0.19"],
            ),
            LocalPrices {
                burger: 1190,
                cheese: 80,
                jalapenos: 60,
                fries: 350,
                tote_bag: 200,
                bands: [199, 299, 399],
                tip: 300,
            },
        ),
        (
            country(
                "JP",
                "Japan",
                "JPY",
                0,
                TaxRegime::Inclusive,
                // 8 % on food and groceries, 10 % on everything else.
                ["0.08", "0.08", "0.10", "0.10", "0.10", "0.10", "0.10"],
            ),
            LocalPrices {
                burger: 1280,
                cheese: 100,
                jalapenos: 80,
                fries: 390,
                tote_bag: 300,
                bands: [300, 400, 500],
                tip: 200,
            },
        ),
        (
            country(
                "KW",
                "Kuwait",
                "KWD",
                3,
                TaxRegime::Inclusive,
                // No VAT.
                ["0"; 7],
            ),
            LocalPrices {
                burger: 2750,
                cheese: 250,
                jalapenos: 150,
                fries: 850,
                tote_bag: 500,
                bands: [500, 750, 1000],
                tip: 250,
            },
        ),
    ]
}

/// Prices the example basket in every launch market.
///
/// # Errors
/// What [`price`] refuses (nothing, for this basket).
pub fn priced_carts() -> Result<Vec<PricedCart>, PricingError> {
    markets()
        .into_iter()
        .map(|(country, prices)| {
            let money = |minor| Money::new(minor, country.currency.clone());
            let line = |unit, options: &[i64], quantity, tax_class| PricedLine {
                unit_price: money(unit),
                option_deltas: options.iter().copied().map(money).collect(),
                quantity,
                tax_class,
            };
            let input = PricingInput {
                lines: vec![
                    line(
                        prices.burger,
                        &[prices.cheese, prices.jalapenos],
                        2,
                        TaxClass::Food,
                    ),
                    line(prices.fries, &[], 1, TaxClass::Food),
                    line(prices.tote_bag, &[], 1, TaxClass::General),
                ],
                delivery: DeliveryCharge::ByDistance {
                    bands: [2_000, 5_000, 8_000]
                        .into_iter()
                        .zip(prices.bands)
                        .map(|(up_to_m, fee_minor)| FeeBand { up_to_m, fee_minor })
                        .collect(),
                    distance_m: DISTANCE_M,
                },
                tip: money(prices.tip),
                // Country's currency and tax rules; no discount.
                ..PricingInput::for_country(&country)
            };
            let policy = PricingPolicy::for_currency(&country.currency)?;
            let summary = price(&input, &policy)?;
            Ok(PricedCart {
                country,
                summary,
                line_names: vec![
                    "Burger (+ cheese, + jalapeños)".to_owned(),
                    "Fries".to_owned(),
                    "Tote bag".to_owned(),
                ],
            })
        })
        .collect()
}

/// `money` in major units with the currency's number of decimals, e.g. `USD 41.07`,
/// `JPY 3,920`, `KWD 7.950`.
#[must_use]
pub fn format_money(money: &Money, exponent: u8) -> String {
    let sign = if money.amount_minor < 0 { "-" } else { "" };
    let minor = money.amount_minor.unsigned_abs();
    let scale = 10u64.pow(u32::from(exponent));
    let whole = group_thousands(minor / scale);
    if exponent == 0 {
        format!("{} {sign}{whole}", money.currency)
    } else {
        let fraction = minor % scale;
        let width = usize::from(exponent);
        format!("{} {sign}{whole}.{fraction:0width$}", money.currency)
    }
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A rate as a percentage: `0.0875` → `8.75 %`.
fn percent(rate: Decimal) -> String {
    format!("{} %", (rate * Decimal::ONE_HUNDRED).normalize())
}

/// The summary as a receipt.
#[must_use]
pub fn render(cart: &PricedCart) -> String {
    let country = &cart.country;
    let summary = &cart.summary;
    let fmt = |money: &Money| format_money(money, country.currency_exponent);
    let regime = match country.tax_regime {
        TaxRegime::Exclusive => "sales tax added to prices",
        TaxRegime::Inclusive => "tax included in prices",
    };
    let mut out = format!(
        "{} — {} ({} decimals), {regime}\n",
        country.name, country.currency, country.currency_exponent
    );
    let mut row = |label: &str, amount: String| {
        out.push_str(&format!("  {label:<50}{amount:>14}\n"));
    };
    for (line, name) in summary.lines.iter().zip(&cart.line_names) {
        row(
            &format!("{} × {name} @ {}", line.quantity, fmt(&line.unit_price)),
            fmt(&line.total),
        );
    }
    row("Subtotal", fmt(&summary.subtotal));
    row(
        &format!("Delivery fee ({:.1} km)", DISTANCE_M / 1000.0),
        fmt(&summary.delivery_fee),
    );
    row("Service fee", fmt(&summary.service_fee));
    if summary.small_order_fee.amount_minor != 0 {
        row("Small-order fee", fmt(&summary.small_order_fee));
    }
    if summary.discount.amount_minor != 0 {
        row("Discount", format!("-{}", fmt(&summary.discount)));
    }
    row("Tip", fmt(&summary.tip));
    if !summary.tax_included {
        row("Sales tax", fmt(&summary.tax));
    }
    row("Total", fmt(&summary.total));
    if summary.tax_included {
        out.push_str(&format!(
            "  Tax included above: {}, by rate:\n",
            fmt(&summary.tax)
        ));
    } else {
        out.push_str("  Sales tax by rate:\n");
    }
    for line in &summary.tax_breakdown {
        let classes: Vec<&str> = line.classes.iter().map(|c| c.as_str()).collect();
        out.push_str(&format!(
            "    {:>7} on {}: net {}, tax {}, gross {}\n",
            percent(line.rate),
            classes.join(", "),
            fmt(&line.net),
            fmt(&line.tax),
            fmt(&line.gross),
        ));
    }
    out
}

fn main() -> Result<(), PricingError> {
    for cart in priced_carts()? {
        println!("{}", render(&cart));
    }
    Ok(())
}
