//! The examples of `examples/`, run as tests. Each example is a small `main` over a function
//! that does the work; the example's file is included here by path, and the tests call that
//! function and check what it did — so an example that stops working fails the suite, not
//! only one that stops compiling.

use mercato::core::money::Money;
use mercato::core::ordering::{OrderStatus, OrderUpdate, StatusChange};
use mercato::core::pricing::PriceSummary;

use crate::support::TestApp;

#[allow(dead_code, reason = "the example's `main` is not called here")]
#[path = "../../examples/price_cart.rs"]
mod price_cart;

#[allow(dead_code, reason = "the example's `main` is not called here")]
#[path = "../../examples/place_order_in_memory/main.rs"]
mod place_order_in_memory;

#[allow(dead_code, reason = "the example's `main` is not called here")]
#[path = "../../examples/customer_journey.rs"]
mod customer_journey;

/// The main line of the lifecycle, as every example walks it.
const MAIN_LINE: [OrderStatus; 6] = [
    OrderStatus::Placed,
    OrderStatus::Accepted,
    OrderStatus::Preparing,
    OrderStatus::ReadyForPickup,
    OrderStatus::PickedUp,
    OrderStatus::Delivered,
];

fn statuses_of(updates: &[OrderUpdate]) -> Vec<OrderStatus> {
    updates
        .iter()
        .filter_map(|u| match u {
            OrderUpdate::Status { status, .. } => Some(*status),
            _ => None,
        })
        .collect()
}

fn timeline_of(changes: &[StatusChange]) -> Vec<(OrderStatus, &str)> {
    changes
        .iter()
        .map(|c| (c.status, c.actor.as_str()))
        .collect()
}

/// What the customer pays before any tax is added on top.
fn before_added_tax(summary: &PriceSummary) -> i64 {
    let m = |money: &Money| money.amount_minor;
    m(&summary.subtotal)
        + m(&summary.delivery_fee)
        + m(&summary.service_fee)
        + m(&summary.small_order_fee)
        + m(&summary.tip)
        - m(&summary.discount)
}

#[test]
fn price_cart_prints_each_total_with_its_currencys_decimals_and_taxes_by_its_regime() {
    let carts = price_cart::priced_carts().expect("the example's basket prices");
    let currencies: Vec<&str> = carts.iter().map(|c| c.country.currency.as_str()).collect();
    assert_eq!(currencies, ["USD", "EUR", "JPY", "KWD"]);

    for cart in &carts {
        let currency = cart.country.currency.as_str();
        let summary = &cart.summary;
        assert!(
            summary.lines.len() == 3 && summary.lines[0].quantity == 2,
            "{currency}: the basket's lines"
        );
        assert!(
            summary.delivery_fee.amount_minor > 0 && summary.tip.amount_minor > 0,
            "{currency}: a delivery fee and a tip"
        );

        // The receipt's total is the summary's, with exactly the currency's decimals.
        let receipt = price_cart::render(cart);
        let total_line = receipt
            .lines()
            .find(|l| l.trim_start().starts_with("Total"))
            .unwrap_or_else(|| panic!("{currency}: a total line in\n{receipt}"));
        let printed = total_line
            .split_whitespace()
            .last()
            .expect("an amount ends the total line");
        assert!(
            total_line.contains(&format!("{currency} {printed}")),
            "{total_line}"
        );
        // Every amount on the receipt has the currency's decimals: none for JPY, three for
        // KWD.
        let amounts: Vec<&str> = receipt
            .split(&format!("{currency} "))
            .skip(1)
            .map(|rest| {
                let amount = rest.split_whitespace().next().unwrap_or_default();
                amount.trim_end_matches([',', ':'])
            })
            // Not the heading's "USD (2 decimals)".
            .filter(|amount| amount.starts_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert!(amounts.len() >= 10, "{currency}: amounts in\n{receipt}");
        for amount in amounts {
            let decimals = amount.split_once('.').map_or(0, |(_, d)| d.len());
            assert_eq!(
                decimals,
                usize::from(cart.country.currency_exponent),
                "{currency}: {amount} in\n{receipt}"
            );
        }
        let digits: i64 = printed
            .replace([',', '.'], "")
            .parse()
            .expect("the amount is a number");
        assert_eq!(
            digits, summary.total.amount_minor,
            "{currency}: {total_line}"
        );

        // Tax: added on top in the US, inside the prices elsewhere; the breakdown adds up.
        let added = if summary.tax_included {
            0
        } else {
            summary.tax.amount_minor
        };
        assert_eq!(
            summary.total.amount_minor,
            before_added_tax(summary) + added,
            "{currency}"
        );
        let breakdown: i64 = summary
            .tax_breakdown
            .iter()
            .map(|t| t.tax.amount_minor)
            .sum();
        assert_eq!(breakdown, summary.tax.amount_minor, "{currency}");
    }
    let [usd, eur, jpy, kwd] = [0, 1, 2, 3].map(|i| &carts[i].summary);
    assert!(!usd.tax_included && usd.tax.amount_minor > 0);
    assert!(price_cart::render(&carts[0]).contains("Sales tax"));
    assert!(eur.tax_included && eur.tax.amount_minor > 0);
    // Germany: food at 7 %, the tote bag and the fees at 19 %.
    let rates: Vec<String> = eur
        .tax_breakdown
        .iter()
        .map(|t| t.rate.to_string())
        .collect();
    assert_eq!(rates, ["0.07", "0.19"]);
    assert!(jpy.tax_included && jpy.tax.amount_minor > 0);
    assert_eq!(kwd.tax.amount_minor, 0, "Kuwait has no VAT");
}

#[tokio::test]
async fn place_order_in_memory_takes_an_order_from_the_cart_to_the_door() {
    let mut lines = Vec::new();
    let outcome = place_order_in_memory::run(&mut |line| lines.push(line)).await;
    let outcome = outcome.unwrap_or_else(|err| panic!("{err:#}\n{}", lines.join("\n")));

    let order = &outcome.order;
    assert_eq!(order.status, OrderStatus::Delivered);
    assert_eq!(order.courier_id, Some(outcome.courier));
    assert_eq!(
        outcome.replayed.id, order.id,
        "the key answers the same order"
    );
    // VAT is included: the total is the goods, the fees and the €2 tip.
    assert!(order.summary.tax_included && order.summary.tax.amount_minor > 0);
    assert_eq!(order.summary.tip.amount_minor, 200);
    assert_eq!(
        order.summary.total.amount_minor,
        before_added_tax(&order.summary)
    );
    assert_eq!(order.items.len(), 3);

    assert_eq!(
        timeline_of(&outcome.timeline),
        [
            (OrderStatus::Placed, "customer"),
            (OrderStatus::Accepted, "merchant_staff"),
            (OrderStatus::Preparing, "merchant_staff"),
            (OrderStatus::ReadyForPickup, "merchant_staff"),
            (OrderStatus::PickedUp, "courier"),
            (OrderStatus::Delivered, "courier"),
        ]
    );
    assert_eq!(statuses_of(&outcome.live), MAIN_LINE);
    let assigned = outcome
        .live
        .iter()
        .position(|u| matches!(u, OrderUpdate::CourierAssigned { first_name, .. } if first_name == "Cody"))
        .expect("the customer is told who delivers");
    let positions: Vec<usize> = outcome
        .live
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            matches!(
                u,
                OrderUpdate::Position {
                    distance_left_m: Some(_),
                    ..
                }
            )
        })
        .map(|(i, _)| i)
        .collect();
    let picked_up = outcome
        .live
        .iter()
        .position(|u| {
            matches!(
                u,
                OrderUpdate::Status {
                    status: OrderStatus::PickedUp,
                    ..
                }
            )
        })
        .expect("picked up");
    assert_eq!(positions.len(), 2, "{:?}", outcome.live);
    assert!(assigned < picked_up && positions.iter().all(|p| *p > picked_up));
    assert_eq!(outcome.refused, "orders.illegal_transition");

    assert_eq!(outcome.events.first(), Some(&"ordering.order_placed"));
    let changes = outcome
        .events
        .iter()
        .filter(|t| **t == "ordering.order_status_changed")
        .count();
    assert_eq!(changes, 5);
    assert!(outcome.events.contains(&"ordering.courier_assigned"));
    assert!(
        lines.iter().any(|l| l.contains("picked_up → delivered")),
        "{}",
        lines.join("\n")
    );
}

#[tokio::test]
async fn customer_journey_delivers_an_order_on_a_server_with_the_demo_data() {
    let app = TestApp::spawn().await;
    let journey = customer_journey::Journey {
        base_url: app.base_url.clone(),
        courier: None,
    };
    let mut lines = Vec::new();
    let report = customer_journey::run(&journey, &mut |line| lines.push(line)).await;
    let report = report.unwrap_or_else(|err| panic!("{err:#}\n{}", lines.join("\n")));

    // What the server says, asked independently of the example.
    let customer = app.demo_account(customer_journey::DEMO_CUSTOMER).await;
    let order = customer
        .order(report.order.id)
        .await
        .expect("the customer reads her order");
    assert_eq!(order.status, OrderStatus::Delivered);
    assert_eq!(order.courier_id, Some(report.courier));
    assert_eq!(order.merchant_id, report.merchant);
    assert_eq!(report.replayed, order.id, "the key answers the same order");
    let history = customer
        .order_history(order.id)
        .await
        .expect("the order's history");
    assert_eq!(
        history.iter().map(|c| c.status).collect::<Vec<_>>(),
        MAIN_LINE
    );

    // What the example followed live.
    assert_eq!(statuses_of(&report.updates), MAIN_LINE);
    assert!(
        report
            .updates
            .iter()
            .any(|u| matches!(u, OrderUpdate::CourierAssigned { .. })),
        "{:?}",
        report.updates
    );
    let positions = report
        .updates
        .iter()
        .filter(|u| matches!(u, OrderUpdate::Position { .. }))
        .count();
    assert_eq!(positions, 2);
    assert!(report.stream_closed, "the stream ends with the delivery");
    assert_eq!(report.tracking.status, OrderStatus::Delivered);
    assert!(
        lines.iter().any(|l| l.contains("live ▸ status delivered")),
        "{}",
        lines.join("\n")
    );
}
