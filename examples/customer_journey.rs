//! The whole customer journey through the typed client, `mercato::client`, against a
//! running server with the demo data:
//!
//! ```text
//! cargo run --release                                  # in one terminal: the server
//! cargo run --example customer_journey                 # in another: this journey
//! cargo run --example customer_journey -- http://127.0.0.1:3000
//! ```
//!
//! The server's base URL is the first argument, else `MERCATO_URL`, else
//! `http://127.0.0.1:3000`; `MERCATO_COURIER` names the demo courier to ride (by default
//! the first free one of `courier1@demo.mercato.dev` … `courier8@…`).
//!
//! The demo customer logs in, discovers the merchants delivering to a door in her city, reads
//! a menu, fills a cart and checks out (cash, with an `Idempotency-Key`; the retry with the
//! same key answers the same order). From then on she follows the order's live events
//! (`GET /api/orders/{id}/events`, Server-Sent Events) and every one is printed as it
//! arrives. The demo merchant's staff accept the order; a demo courier goes online near the
//! merchant and the staff assign them — explicitly, while the order is accepted, so no other
//! order waiting nearby can take them first (left alone, the server's dispatcher gives an
//! order that becomes ready for pickup to the nearest free courier); the staff prepare
//! it and mark it ready; the courier picks it up, reports two positions on the way and
//! delivers it — which ends the event stream.

use std::time::Duration;

use anyhow::{Context as _, anyhow, ensure};
use mercato::client::{Client, ClientError, OrderEvents};
use mercato::core::catalog::{DiscoveryParams, Menu, MenuItem, MerchantSummary};
use mercato::core::geo::{City, LatLng};
use mercato::core::ids::{MerchantId, OptionId, OrderId, UserId};
use mercato::core::money::Money;
use mercato::core::ordering::{
    AddCartItem, AssignCourierRequest, CheckoutRequest, CourierStatusUpdate, DeliveryDetails,
    Order, OrderStatus, OrderUpdate, PaymentChoice, PaymentKeyword, PositionUpdate, StatusUpdate,
    TrackingInfo,
};
use mercato::server::demo::{COURIERS_PER_SCALE, DEMO_PASSWORD, courier_email};
use mercato::server::seed::{DEMO_MERCHANT_EMAIL, STAFF_MERCHANTS_PER_CITY, demo_merchants};
use time::OffsetDateTime;

/// The demo customer (Germany).
pub const DEMO_CUSTOMER: &str = "customer@demo.mercato.dev";

/// The server `cargo run --release` starts.
pub const DEFAULT_URL: &str = "http://127.0.0.1:3000";

/// How long to wait for the next live event before giving up.
const EVENT_PATIENCE: Duration = Duration::from_secs(20);

/// Where the journey runs, and with whom.
#[derive(Debug, Clone)]
pub struct Journey {
    /// The server, e.g. `http://127.0.0.1:3000`.
    pub base_url: String,
    /// The demo courier's email; `None`: the first free numbered demo courier.
    pub courier: Option<String>,
}

impl Journey {
    /// From the command line (first argument) and the environment (`MERCATO_URL`,
    /// `MERCATO_COURIER`).
    #[must_use]
    pub fn from_env() -> Self {
        let base_url = std::env::args()
            .nth(1)
            .or_else(|| std::env::var("MERCATO_URL").ok())
            .unwrap_or_else(|| DEFAULT_URL.to_owned());
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            courier: std::env::var("MERCATO_COURIER").ok(),
        }
    }
}

/// What the journey did, for whoever runs it (the end-to-end tests check it).
#[derive(Debug, Clone)]
pub struct JourneyReport {
    /// The order as checkout answered it.
    pub order: Order,
    /// The order the repeated checkout (same key) answered.
    pub replayed: OrderId,
    /// The merchant it was ordered from.
    pub merchant: MerchantId,
    /// The courier who delivered it.
    pub courier: UserId,
    /// Every live event the customer received, in order, the opening status first.
    pub updates: Vec<OrderUpdate>,
    /// Whether the server ended the event stream after the delivery.
    pub stream_closed: bool,
    /// Tracking as the customer read it at the end.
    pub tracking: TrackingInfo,
}

/// `money` with the currency's decimals (`exponent`), e.g. `EUR 23.97`, `JPY 1840`.
fn format_money(money: &Money, exponent: u8) -> String {
    let scale = 10i64.pow(u32::from(exponent));
    if exponent == 0 {
        format!("{} {}", money.currency, money.amount_minor)
    } else {
        let width = usize::from(exponent);
        format!(
            "{} {}.{:0width$}",
            money.currency,
            money.amount_minor / scale,
            (money.amount_minor % scale).abs()
        )
    }
}

/// `metres` north (negative: south) of `from`.
fn north_of(from: LatLng, metres: f64) -> LatLng {
    LatLng {
        lat: from.lat + metres / 111_320.0,
        lng: from.lng,
    }
}

/// A contact phone for the courier in `country`, when the profile has none.
fn local_phone(country: &str) -> &'static str {
    match country {
        "US" => "+1 212 555 0142",
        "JP" => "+81 3 1234 5678",
        "KW" => "+965 2222 3333",
        _ => "+49 30 1234567",
    }
}

/// A client logged in as the demo account `email`.
async fn logged_in(base_url: &str, email: &str) -> anyhow::Result<(Client, UserId, String)> {
    let client = Client::new(base_url);
    let session = client.login(email, DEMO_PASSWORD).await.with_context(|| {
        format!("logging in as {email} (is the server up, with the demo data?)")
    })?;
    Ok((client, session.user.id, session.user.name))
}

/// The first available item whose required option groups can be met, with the fewest
/// options each group requires, and its unit price with them.
fn orderable(menu: &Menu, skip: Option<&MenuItem>) -> Option<(MenuItem, Vec<OptionId>, i64)> {
    menu.items()
        .filter(|item| item.available && item.price.amount_minor > 0)
        .filter(|item| skip.is_none_or(|s| s.id != item.id))
        .find_map(|item| {
            let mut chosen = Vec::new();
            let mut unit = item.price.amount_minor;
            for group in &item.option_groups {
                let available: Vec<_> = group.options.iter().filter(|o| o.available).collect();
                let needed = usize::from(group.min_selections);
                if available.len() < needed {
                    return None;
                }
                for option in &available[..needed] {
                    chosen.push(option.id);
                    unit += option.price_delta.amount_minor;
                }
            }
            Some((item.clone(), chosen, unit))
        })
}

/// One live event, as printed.
fn describe(update: &OrderUpdate) -> String {
    match update {
        OrderUpdate::Status { status, at, .. } => format!(
            "  live ▸ status {} ({:02}:{:02}:{:02} UTC)",
            status.as_str(),
            at.hour(),
            at.minute(),
            at.second()
        ),
        OrderUpdate::CourierAssigned { first_name, .. } => {
            format!("  live ▸ courier {first_name} assigned")
        }
        OrderUpdate::Position {
            distance_left_m,
            eta_minutes,
            ..
        } => format!(
            "  live ▸ courier {} m from the door, about {} min",
            distance_left_m.unwrap_or_default(),
            eta_minutes.unwrap_or_default()
        ),
    }
}

/// The customer's live events: each is printed and kept as it arrives.
struct Follower {
    events: OrderEvents,
    seen: Vec<OrderUpdate>,
}

impl Follower {
    /// Reads events until one satisfies `wanted` (printing every one), or fails when none
    /// comes within [`EVENT_PATIENCE`] or the stream ends first.
    async fn until(
        &mut self,
        what: &str,
        wanted: impl Fn(&OrderUpdate) -> bool,
        say: &mut (dyn FnMut(String) + Send),
    ) -> anyhow::Result<()> {
        loop {
            let next = tokio::time::timeout(EVENT_PATIENCE, self.events.next())
                .await
                .map_err(|_| anyhow!("no {what} event within {EVENT_PATIENCE:?}"))?;
            let update = next
                .with_context(|| format!("the event stream ended before {what}"))?
                .with_context(|| format!("reading the event stream, waiting for {what}"))?;
            say(describe(&update));
            let done = wanted(&update);
            self.seen.push(update);
            if done {
                return Ok(());
            }
        }
    }

    /// Waits for the status event `status`.
    async fn status(
        &mut self,
        status: OrderStatus,
        say: &mut (dyn FnMut(String) + Send),
    ) -> anyhow::Result<()> {
        self.until(
            status.as_str(),
            |u| matches!(u, OrderUpdate::Status { status: s, .. } if *s == status),
            say,
        )
        .await
    }

    /// Whether the server ends the stream (it does once the order is finished).
    async fn closes(&mut self) -> bool {
        matches!(
            tokio::time::timeout(EVENT_PATIENCE, self.events.next()).await,
            Ok(None)
        )
    }
}

/// Moves the order to `status` as `actor`.
async fn advance(actor: &Client, id: OrderId, status: OrderStatus) -> anyhow::Result<Order> {
    actor
        .update_order_status(id, &StatusUpdate::to(status))
        .await
        .with_context(|| format!("moving the order to {}", status.as_str()))
}

/// Posts a position, waiting out the one-post-per-second limit if needed.
async fn post_position(courier: &Client, id: OrderId, at: LatLng) -> anyhow::Result<()> {
    let update = PositionUpdate {
        lat: at.lat,
        lng: at.lng,
        heading_deg: Some(0.0),
        speed_kmh: Some(16.0),
    };
    for _ in 0..5 {
        match courier.post_location(id, &update).await {
            Err(err) if err.code() == Some("tracking.too_frequent") => {
                tokio::time::sleep(Duration::from_millis(1_100)).await;
            }
            other => return other.context("posting a position"),
        }
    }
    Err(anyhow!(
        "positions refused as too frequent five times in a row"
    ))
}

/// Logs in the demo courier to ride and sends them online at `at`: the one named, or the
/// first numbered demo courier who is not delivering another order.
async fn free_courier(
    journey: &Journey,
    at: LatLng,
    say: &mut (dyn FnMut(String) + Send),
) -> anyhow::Result<(Client, UserId, String)> {
    let candidates: Vec<String> = match &journey.courier {
        Some(email) => vec![email.clone()],
        None => (1..=COURIERS_PER_SCALE).map(courier_email).collect(),
    };
    for email in &candidates {
        let (client, id, name) = logged_in(&journey.base_url, email).await?;
        let status = client
            .set_courier_status(&CourierStatusUpdate {
                online: true,
                lat: Some(at.lat),
                lng: Some(at.lng),
            })
            .await
            .with_context(|| format!("{email} goes online"))?;
        match status.active_order_id {
            None => return Ok((client, id, name)),
            Some(busy) => say(format!(
                "{email} is still delivering order {busy}; next one"
            )),
        }
    }
    Err(anyhow!(
        "every candidate courier is delivering another order: {}",
        candidates.join(", ")
    ))
}

/// The merchant to order from: discovered from `door`, and one the demo merchant account is
/// staff of (the demo dataset is deterministic, so its generator names them: the first
/// [`STAFF_MERCHANTS_PER_CITY`] merchants of every city).
async fn discover_staffed(
    customer: &Client,
    city: &City,
    say: &mut (dyn FnMut(String) + Send),
) -> anyhow::Result<(MerchantSummary, LatLng, LatLng)> {
    let staffed: Vec<(MerchantId, LatLng)> = demo_merchants(1, OffsetDateTime::now_utc())
        .filter(|m| m.merchant.city_id == city.id)
        .take(STAFF_MERCHANTS_PER_CITY as usize)
        .map(|m| (m.merchant.id, m.merchant.location))
        .collect();
    let &(wanted, shop) = staffed
        .first()
        .with_context(|| format!("{} has no demo merchants", city.name))?;
    let door = north_of(shop, 250.0);
    say(format!(
        "discover: merchants delivering to {:.5}, {:.5} in {}",
        door.lat, door.lng, city.name
    ));
    let mut cursor = None;
    let mut listed = 0;
    loop {
        let page = customer
            .discover(&DiscoveryParams {
                lat: door.lat,
                lng: door.lng,
                limit: Some(20),
                cursor: cursor.take(),
                ..DiscoveryParams::default()
            })
            .await
            .context("discovery")?;
        ensure!(page.deliverable, "nobody delivers to {door:?}");
        for found in &page.items {
            if listed < 5 {
                say(format!(
                    "  {:>5} m  {:<32} {:.1}★  about {} min  open: {}",
                    found.distance_m,
                    found.name,
                    found.rating.average,
                    found.eta_minutes,
                    found.open_now
                ));
            }
            listed += 1;
        }
        if let Some(found) = page.items.into_iter().find(|m| m.id == wanted) {
            say(format!(
                "  … {listed} listed; ordering from {} (its staff are the demo merchant)",
                found.name
            ));
            return Ok((found, shop, door));
        }
        cursor = page.next_cursor;
        ensure!(cursor.is_some(), "discovery did not list merchant {wanted}");
    }
}

/// Runs the journey against `journey.base_url`, telling each step to `say`.
///
/// # Errors
/// Whatever the server refuses, or a live event that does not come.
pub async fn run(
    journey: &Journey,
    say: &mut (dyn FnMut(String) + Send),
) -> anyhow::Result<JourneyReport> {
    let base = journey.base_url.as_str();

    // The customer and her city.
    let (customer, _, name) = logged_in(base, DEMO_CUSTOMER).await?;
    let me = customer.profile().await?;
    let country = me.country_code.as_str().to_owned();
    let city = match me.location.as_ref().and_then(|l| l.city_id) {
        Some(id) => customer.city(id).await?,
        None => customer
            .cities(&country)
            .await?
            .into_iter()
            .find(|c| c.enabled)
            .with_context(|| format!("no city of {country} is served"))?,
    };
    let exponent = customer
        .countries()
        .await?
        .into_iter()
        .find(|c| c.code == me.country_code)
        .map_or(2, |c| c.currency_exponent);
    let money = |m: &Money| format_money(m, exponent);
    say(format!(
        "{name} ({DEMO_CUSTOMER}) logged in; city: {}",
        city.name
    ));

    // Discovery, the merchant and its menu.
    let (found, shop, door) = discover_staffed(&customer, &city, say).await?;
    let details = customer.merchant(found.id).await?;
    let menu = customer.menu(found.id).await?.menu;
    let (first, first_options, unit) =
        orderable(&menu, None).context("the menu has an orderable item")?;
    let minimum = details.merchant.minimum_order.amount_minor;
    let quantity = u32::try_from(minimum / unit.max(1) + 1)
        .unwrap_or(1)
        .clamp(1, 5);
    say(format!(
        "menu: {} items in {} sections; minimum order {}",
        menu.items().count(),
        menu.sections.len(),
        money(&details.merchant.minimum_order)
    ));

    // The cart.
    let (cart, created) = customer.create_cart(found.id).await?;
    if !created && !cart.lines.is_empty() {
        customer.clear_cart(cart.id).await?;
        say("an open cart from an earlier run was emptied".to_owned());
    }
    let mut lines = vec![(first.clone(), first_options, quantity)];
    if let Some((second, options, _)) = orderable(&menu, Some(&first)) {
        lines.push((second, options, 1));
    }
    for (item, options, quantity) in lines {
        customer
            .add_cart_item(
                cart.id,
                &AddCartItem {
                    menu_item_id: item.id,
                    quantity,
                    options,
                    note: None,
                },
            )
            .await
            .with_context(|| format!("adding {}", item.name))?;
    }
    let quoted = customer.cart(cart.id, Some((door.lat, door.lng))).await?;
    ensure!(
        quoted.warnings.is_empty(),
        "the cart has warnings: {:?}",
        quoted.warnings
    );
    let summary = quoted.summary.context("a priced cart")?;
    say(format!("cart at {}:", quoted.merchant_name));
    for line in &quoted.lines {
        let options: Vec<&str> = line.options.iter().map(|o| o.name.as_str()).collect();
        say(format!(
            "  {} × {}{} = {}",
            line.quantity,
            line.name,
            if options.is_empty() {
                String::new()
            } else {
                format!(" ({})", options.join(", "))
            },
            money(&line.line_total)
        ));
    }
    say(format!(
        "  subtotal {}, delivery {}, service {}, tax {} ({}), total {}",
        money(&summary.subtotal),
        money(&summary.delivery_fee),
        money(&summary.service_fee),
        money(&summary.tax),
        if summary.tax_included {
            "included"
        } else {
            "added"
        },
        money(&summary.total)
    ));

    // Checkout: cash, idempotent by its key.
    let key = format!("customer-journey-{}", uuid::Uuid::now_v7());
    let checkout = CheckoutRequest {
        cart_id: cart.id,
        delivery_address_id: None,
        delivery: Some(DeliveryDetails {
            address: format!("250 m north of {}", details.merchant.address),
            lat: door.lat,
            lng: door.lng,
            instructions: Some("Ring the bell".to_owned()),
            contact_phone: me
                .phone
                .clone()
                .unwrap_or_else(|| local_phone(&country).to_owned()),
        }),
        scheduled_for: None,
        tip: None,
        payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
        expected_total: Some(summary.total.clone()),
    };
    let order = customer.place_order(Some(&key), &checkout).await?;
    say(format!(
        "checkout (Idempotency-Key {key}): order {} is {}, total {}",
        order.id,
        order.status.as_str(),
        money(&order.summary.total)
    ));
    let replayed = customer.place_order(Some(&key), &checkout).await?;
    say(format!(
        "  the same request again answers order {} — no second order",
        replayed.id
    ));

    // From now on the customer follows the order live.
    let mut follower = Follower {
        events: customer.order_events(order.id).await?,
        seen: Vec::new(),
    };
    say(format!("following GET /api/orders/{}/events", order.id));
    follower.until("the opening status", |_| true, say).await?;

    let (staff, _, staff_name) = logged_in(base, DEMO_MERCHANT_EMAIL).await?;
    say(format!("{staff_name} (merchant staff) accepts"));
    advance(&staff, order.id, OrderStatus::Accepted).await?;
    follower.status(OrderStatus::Accepted, say).await?;

    let pickup_point = north_of(shop, -100.0);
    let (courier, courier_id, courier_name) = free_courier(journey, pickup_point, say).await?;
    say(format!(
        "{courier_name} (courier) is online 100 m from the merchant; the staff assign them"
    ));
    staff
        .assign_courier(
            order.id,
            &AssignCourierRequest {
                courier_id: Some(courier_id),
            },
        )
        .await
        .context("assigning the courier")?;
    follower
        .until(
            "courier_assigned",
            |u| matches!(u, OrderUpdate::CourierAssigned { .. }),
            say,
        )
        .await?;

    say("the kitchen prepares it and marks it ready".to_owned());
    advance(&staff, order.id, OrderStatus::Preparing).await?;
    follower.status(OrderStatus::Preparing, say).await?;
    advance(&staff, order.id, OrderStatus::ReadyForPickup).await?;
    follower.status(OrderStatus::ReadyForPickup, say).await?;

    say(format!("{courier_name} picks it up and rides"));
    advance(&courier, order.id, OrderStatus::PickedUp).await?;
    follower.status(OrderStatus::PickedUp, say).await?;
    for point in [north_of(shop, 120.0), north_of(door, -30.0)] {
        post_position(&courier, order.id, point).await?;
        follower
            .until(
                "a position",
                |u| matches!(u, OrderUpdate::Position { .. }),
                say,
            )
            .await?;
    }
    say(format!("{courier_name} hands it over"));
    advance(&courier, order.id, OrderStatus::Delivered).await?;
    follower.status(OrderStatus::Delivered, say).await?;
    let stream_closed = follower.closes().await;
    say(format!(
        "the server {} the event stream",
        if stream_closed {
            "closed"
        } else {
            "did not close"
        }
    ));

    // The courier signs off; the customer reads the tracking page.
    match courier
        .set_courier_status(&CourierStatusUpdate {
            online: false,
            lat: None,
            lng: None,
        })
        .await
    {
        Ok(_) => {}
        Err(err) => say(format!("{courier_name} could not go offline: {err}")),
    }
    let tracking = customer.tracking(order.id).await?;
    say(format!("tracking: {}", tracking.status.as_str()));
    for change in &tracking.timeline {
        say(format!(
            "  {:02}:{:02}:{:02} {} by {}",
            change.at.hour(),
            change.at.minute(),
            change.at.second(),
            change.status.as_str(),
            change.actor
        ));
    }
    Ok(JourneyReport {
        order,
        replayed: replayed.id,
        merchant: found.id,
        courier: courier_id,
        updates: follower.seen,
        stream_closed,
        tracking,
    })
}

/// A failed call's problem code, if the server sent one.
fn problem_code(err: &anyhow::Error) -> Option<&str> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<ClientError>())
        .and_then(ClientError::code)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let journey = Journey::from_env();
    println!("Mercato at {}", journey.base_url);
    match run(&journey, &mut |line| println!("{line}")).await {
        Ok(report) => {
            println!(
                "order {} delivered; {} live events received",
                report.order.id,
                report.updates.len()
            );
            Ok(())
        }
        Err(err) => {
            if let Some(code) = problem_code(&err) {
                eprintln!("the server answered {code}");
            }
            Err(err)
        }
    }
}
