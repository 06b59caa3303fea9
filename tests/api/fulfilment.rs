//! Fulfilment end to end: couriers going online, dispatch (automatic and explicit), courier
//! positions and tracking, the live order stream (also across two server processes),
//! reviews and order statistics — and the whole customer journey in every demo country.
//!
//! Every test of this binary shares one database, and every server runs the dispatch sweep,
//! so an idle online courier can be taken by any order waiting within 15 km. Hence the
//! tests that dispatch trade at spots of their own ([`spot`]): in the German countryside,
//! 70 km apart and far from every demo city and every other test file's merchants (which
//! trade in Tokyo). The journeys use demo merchants, whose place cannot be chosen; their
//! courier is assigned explicitly while the order is `accepted`, which the sweep never
//! touches (and the Japanese one runs in Osaka, away from the other files' Tokyo shops).
//! Every test sends its couriers offline at the end (those still delivering cannot go
//! offline, and are never dispatched again).

use std::time::Duration;

use mercato::client::{Client, ClientError, OrderEvents};
use mercato::core::catalog::{
    DiscoveryParams, FeeBand, ItemInput, MenuItem, MerchantInput, OpeningHours, SectionInput,
};
use mercato::core::geo::{LatLng, ServiceCategory, TaxClass};
use mercato::core::identity::{LocationUpdate, RegisterRequest};
use mercato::core::ids::{MerchantId, OrderId, UserId};
use mercato::core::ordering::{
    AddCartItem, AssignCourierRequest, CancelReason, CancelRequest, CheckoutRequest, CourierStatus,
    CourierStatusUpdate, DeliveryDetails, Order, OrderListParams, OrderStatus, OrderUpdate,
    PaymentChoice, PaymentKeyword, PositionUpdate, ReviewRequest, StatsParams, StatusUpdate,
};
use reqwest::StatusCode;

use crate::support::{
    JWT_SECRET, PASSWORD, TestApp, code, database_url, demo_city, invalid_fields, staff_of,
    unique_email,
};

// --- places ------------------------------------------------------------------------------

/// The private spots, one per test that dispatches couriers.
const AUTO_DISPATCH: u8 = 0;
const EXPLICIT_ASSIGN: u8 = 1;
const TRACKING: u8 = 2;
const LIVE: u8 = 3;
const TWO_PROCESSES: u8 = 4;
const REVIEWS: u8 = 5;
const STATS: u8 = 6;
const COURIER_LIST: u8 = 7;
const RACES: u8 = 8;
const CANCELLATION: u8 = 9;
const SIGNED_OUT: u8 = 10;

/// Spot `n`: eight to a row, one degree of longitude (about 71 km) apart from 6° E, on the
/// parallels 50.3° N, 49.3° N… — more than 90 km from Cologne and Munich, the nearest demo
/// cities, and far beyond the 15 km dispatch radius of anything else. The merchants there
/// belong to Berlin (a merchant's city sets its country, currency and tax; its place is its
/// own).
fn spot(n: u8) -> LatLng {
    LatLng {
        lat: 50.3 - f64::from(n / 8),
        lng: 6.0 + f64::from(n % 8),
    }
}

/// `metres` north (negative: south) of `from`.
fn north_of(from: LatLng, metres: f64) -> LatLng {
    LatLng {
        lat: from.lat + metres / 111_320.0,
        lng: from.lng,
    }
}

/// `metres` east of `from` (at these latitudes, near enough).
fn east_of(from: LatLng, metres: f64) -> LatLng {
    LatLng {
        lat: from.lat,
        lng: from.lng + metres / (111_320.0 * from.lat.to_radians().cos()),
    }
}

// --- a private shop ----------------------------------------------------------------------

/// A merchant of a test's own at its spot, with one €12.50 burger, a €10 minimum, a 3 km
/// radius, and its staff.
struct Shop {
    id: MerchantId,
    location: LatLng,
    burger: MenuItem,
    staff: Client,
}

impl Shop {
    /// The customers' door: 500 m north of the shop.
    fn door(&self) -> LatLng {
        north_of(self.location, 500.0)
    }
}

fn shop_input(at: LatLng) -> MerchantInput {
    MerchantInput {
        name: "Fulfilment Test Burgers".to_owned(),
        description: None,
        city_id: demo_city("Berlin").id,
        categories: vec![ServiceCategory::Food],
        cuisines: vec!["burgers".to_owned()],
        address: "Feldweg 1".to_owned(),
        location: at,
        delivery_radius_m: 3_000,
        avg_prep_minutes: 15,
        minimum_order_minor: 1_000,
        delivery_fee_bands: vec![FeeBand {
            up_to_m: 3_000,
            fee_minor: 250,
        }],
        time_zone: None,
        hours: OpeningHours::always_open(),
        image_url: None,
    }
}

async fn open_shop(app: &TestApp, admin: &Client, at: LatLng) -> Shop {
    let merchant = admin
        .create_merchant(&shop_input(at))
        .await
        .expect("merchant created");
    let section = admin
        .create_section(
            merchant.id,
            &SectionInput {
                name: "Burgers".to_owned(),
                position: None,
            },
        )
        .await
        .expect("section created");
    let burger = admin
        .create_item(
            merchant.id,
            section.id,
            &ItemInput {
                name: "Test burger".to_owned(),
                description: None,
                price_minor: 1_250,
                tax_class: TaxClass::Food,
                dietary_tags: Vec::new(),
                image_url: None,
                available: true,
                option_groups: Vec::new(),
            },
        )
        .await
        .expect("item created");
    let staff = staff_of(app, admin, merchant.id).await;
    Shop {
        id: merchant.id,
        location: at,
        burger,
        staff,
    }
}

/// A server, its administrator and a shop at private spot `n`.
async fn arrange(n: u8) -> (TestApp, Client, Shop) {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&app, &admin, spot(n)).await;
    (app, admin, shop)
}

/// An idempotency key no other request uses.
fn fresh_key() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn delivery_at(door: LatLng) -> DeliveryDetails {
    DeliveryDetails {
        address: "Am Feld 2".to_owned(),
        lat: door.lat,
        lng: door.lng,
        instructions: None,
        contact_phone: "+49 30 1234567".to_owned(),
    }
}

/// A placed cash order of a fresh customer at `shop`: one burger to the shop's door.
async fn placed_order(app: &TestApp, shop: &Shop) -> (Client, Order) {
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("cart opened");
    customer
        .add_cart_item(
            cart.id,
            &AddCartItem {
                menu_item_id: shop.burger.id,
                quantity: 1,
                options: Vec::new(),
                note: None,
            },
        )
        .await
        .expect("burger added");
    let order = customer
        .place_order(
            Some(&fresh_key()),
            &CheckoutRequest {
                cart_id: cart.id,
                delivery_address_id: None,
                delivery: Some(delivery_at(shop.door())),
                scheduled_for: None,
                tip: None,
                payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
                expected_total: None,
            },
        )
        .await
        .expect("order placed");
    assert_eq!(order.status, OrderStatus::Placed);
    (customer, order)
}

/// Moves the order to `status` as `actor`, which must be allowed to.
async fn advance(actor: &Client, id: OrderId, status: OrderStatus) -> Order {
    let moved = actor
        .update_order_status(
            id,
            &StatusUpdate {
                status,
                reason: None,
                estimated_prep_minutes: None,
                note: None,
            },
        )
        .await
        .unwrap_or_else(|err| panic!("moving {id} to {status:?}: {err}"));
    assert_eq!(moved.status, status);
    moved
}

// --- couriers ------------------------------------------------------------------------------

async fn go_online(courier: &Client, at: LatLng) -> CourierStatus {
    courier
        .set_courier_status(&CourierStatusUpdate {
            online: true,
            lat: Some(at.lat),
            lng: Some(at.lng),
        })
        .await
        .expect("the courier goes online")
}

async fn go_offline(courier: &Client) {
    courier
        .set_courier_status(&CourierStatusUpdate {
            online: false,
            lat: None,
            lng: None,
        })
        .await
        .expect("the courier goes offline");
}

/// The end of a test's shift: the courier goes offline — unless still delivering an order
/// (which may not be dropped: `couriers.has_active_order`); a busy courier is never
/// dispatched anyway.
async fn sign_off(courier: &Client) {
    let result = courier
        .set_courier_status(&CourierStatusUpdate {
            online: false,
            lat: None,
            lng: None,
        })
        .await;
    match result {
        Ok(status) => assert!(!status.online),
        Err(err) if err.code() == Some("couriers.has_active_order") => {}
        Err(err) => panic!("signing off: {err}"),
    }
}

/// A fresh courier, online at `at`.
async fn online_courier(app: &TestApp, at: LatLng) -> (Client, UserId) {
    let (courier, id) = app.courier().await;
    let status = go_online(&courier, at).await;
    assert!(status.online && status.courier_id == id, "{status:?}");
    (courier, id)
}

fn position(at: LatLng) -> PositionUpdate {
    PositionUpdate {
        lat: at.lat,
        lng: at.lng,
        heading_deg: Some(90.0),
        speed_kmh: Some(18.0),
    }
}

/// Posts a position, waiting out the one-per-second limit when an earlier post (or going
/// online) was too recent.
async fn post_position(courier: &Client, id: OrderId, at: LatLng) {
    for _ in 0..5 {
        match courier.post_location(id, &position(at)).await {
            Ok(()) => return,
            Err(err) if err.code() == Some("tracking.too_frequent") => {
                tokio::time::sleep(Duration::from_millis(1_100)).await;
            }
            Err(err) => panic!("posting a position for {id}: {err}"),
        }
    }
    panic!("a position for {id} was refused as too frequent five times in a row");
}

fn given(courier: UserId) -> AssignCourierRequest {
    AssignCourierRequest {
        courier_id: Some(courier),
    }
}

/// Staff assign `courier` to the accepted order, take it through preparation to
/// `ready_for_pickup`; the courier picks it up, reports a position on the way to `door`,
/// and delivers it.
async fn deliver_with(
    staff: &Client,
    courier: &Client,
    courier_id: UserId,
    id: OrderId,
    door: LatLng,
) -> Order {
    let assigned = staff
        .assign_courier(id, &given(courier_id))
        .await
        .expect("courier assigned");
    assert_eq!(assigned.courier_id, Some(courier_id));
    advance(staff, id, OrderStatus::Preparing).await;
    let ready = advance(staff, id, OrderStatus::ReadyForPickup).await;
    assert_eq!(ready.courier_id, Some(courier_id));
    advance(courier, id, OrderStatus::PickedUp).await;
    post_position(courier, id, north_of(door, -200.0)).await;
    advance(courier, id, OrderStatus::Delivered).await
}

/// The order's courier, polled (every half second) until it has one or `patience` passes.
async fn courier_of_eventually(reader: &Client, id: OrderId, patience: Duration) -> Option<UserId> {
    let waiting = async {
        loop {
            let order = reader.order(id).await.expect("order readable");
            if order.courier_id.is_some() {
                return order.courier_id;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    };
    tokio::time::timeout(patience, waiting).await.ok().flatten()
}

/// The merchant's rating count, polled until it reaches `at_least` or 45 seconds pass.
///
/// The catalog applies reviews asynchronously, from the outbox, usually within a second. But
/// every test's server dispatches the one shared outbox, and a server dies with its test's
/// runtime: events it had just claimed wait out their 30 s lease before another server
/// takes them. Hence the patience (this is no timing assertion).
async fn rating_eventually(reader: &Client, merchant: MerchantId, at_least: u32) -> (u32, f64) {
    let read = || async {
        let rating = reader
            .merchant(merchant)
            .await
            .expect("merchant readable")
            .merchant
            .rating;
        (rating.count, rating.average)
    };
    let waiting = async {
        loop {
            let (count, average) = read().await;
            if count >= at_least {
                return (count, average);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    };
    match tokio::time::timeout(Duration::from_secs(45), waiting).await {
        Ok(rating) => rating,
        Err(_) => read().await,
    }
}

/// The next live update, waiting at most ten seconds; `None` once the stream ended.
async fn next_update(events: &mut OrderEvents) -> Option<OrderUpdate> {
    tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("an update (or the end of the stream) within ten seconds")
        .map(|update| update.expect("a readable update"))
}

/// Every update until the stream ends.
async fn rest_of(events: &mut OrderEvents) -> Vec<OrderUpdate> {
    let mut updates = Vec::new();
    while let Some(update) = next_update(events).await {
        updates.push(update);
        assert!(updates.len() < 100, "the stream does not end: {updates:?}");
    }
    updates
}

/// The updates a customer watching an order from `placed` to `delivered` receives after
/// the initial status: every status change in order, the courier's assignment (after
/// acceptance), and courier positions only between pickup and delivery.
fn assert_customer_saw_the_delivery(updates: &[OrderUpdate], order: OrderId) {
    assert!(updates.iter().all(|u| u.order_id() == order), "{updates:?}");
    let statuses: Vec<OrderStatus> = updates
        .iter()
        .filter_map(|u| match u {
            OrderUpdate::Status { status, .. } => Some(*status),
            _ => None,
        })
        .collect();
    assert_eq!(
        statuses,
        [
            OrderStatus::Accepted,
            OrderStatus::Preparing,
            OrderStatus::ReadyForPickup,
            OrderStatus::PickedUp,
            OrderStatus::Delivered
        ],
        "{updates:?}"
    );
    let index_of = |wanted: OrderStatus| {
        updates
            .iter()
            .position(|u| matches!(u, OrderUpdate::Status { status, .. } if *status == wanted))
            .expect("the status was streamed")
    };
    let assigned: Vec<usize> = updates
        .iter()
        .enumerate()
        .filter(|(_, u)| matches!(u, OrderUpdate::CourierAssigned { .. }))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(assigned.len(), 1, "one assignment: {updates:?}");
    assert!(assigned[0] > index_of(OrderStatus::Accepted), "{updates:?}");
    if let OrderUpdate::CourierAssigned { first_name, .. } = &updates[assigned[0]] {
        assert_eq!(first_name, "Cody");
    }
    let positions: Vec<usize> = updates
        .iter()
        .enumerate()
        .filter(|(_, u)| matches!(u, OrderUpdate::Position { .. }))
        .map(|(i, _)| i)
        .collect();
    assert!(
        !positions.is_empty(),
        "a position after pickup: {updates:?}"
    );
    for &i in &positions {
        assert!(
            i > index_of(OrderStatus::PickedUp) && i < index_of(OrderStatus::Delivered),
            "the customer sees positions only while the order is picked up: {updates:?}"
        );
        if let OrderUpdate::Position {
            distance_left_m,
            eta_minutes,
            ..
        } = &updates[i]
        {
            assert!(
                distance_left_m.is_some() && eta_minutes.is_some(),
                "{updates:?}"
            );
        }
    }
    assert!(
        matches!(
            updates.last(),
            Some(OrderUpdate::Status {
                status: OrderStatus::Delivered,
                ..
            })
        ),
        "the stream ends after delivery: {updates:?}"
    );
}

// --- 1. the whole journey in every demo country ------------------------------------------

/// A customer registered in the country of `city` (with a local phone number).
async fn local_customer(app: &TestApp, country: &str) -> Client {
    let phone = match country {
        "US" => "+1 212 555 0142",
        "JP" => "+81 6 1234 5678",
        "KW" => "+965 2222 3333",
        _ => "+49 30 1234567",
    };
    let client = app.client();
    client
        .register(&RegisterRequest {
            email: unique_email(),
            password: PASSWORD.to_owned(),
            name: "Journey Customer".to_owned(),
            phone: Some(phone.to_owned()),
            country_code: country.to_owned(),
            locale: None,
        })
        .await
        .expect("registered");
    client
}

async fn journey(city_name: &str) {
    let app = TestApp::spawn().await;
    let city = demo_city(city_name);
    let country = city.country_code.to_string();
    let customer = local_customer(&app, &country).await;
    let staff = app
        .demo_account(mercato::server::seed::DEMO_MERCHANT_EMAIL)
        .await;
    // Only shifts the demo dataset's open windows, which do not matter here.
    let now = customer.profile().await.expect("profile").created_at;

    // The merchant: one the demo merchant account works for (each city's first demo
    // merchants, see `mercato::server::seed`).
    let (merchant_id, merchant_at) = mercato::server::seed::demo_merchants(1, now)
        .find(|m| m.merchant.city_id == city.id)
        .map(|m| (m.merchant.id, m.merchant.location))
        .expect("every city has demo merchants");
    let door = north_of(merchant_at, 150.0);
    let location = customer
        .set_location(&LocationUpdate {
            lat: door.lat,
            lng: door.lng,
            accuracy_m: Some(15.0),
        })
        .await
        .expect("location set");
    assert!(location.deliverable, "{city_name}: {location:?}");

    // Discovery finds it from the door.
    let mut found = None;
    let mut cursor = None;
    for _ in 0..20 {
        let page = customer
            .discover(&DiscoveryParams {
                lat: door.lat,
                lng: door.lng,
                limit: Some(50),
                cursor: cursor.clone(),
                ..DiscoveryParams::default()
            })
            .await
            .expect("discovery");
        assert!(page.deliverable, "{city_name}");
        found = page.items.into_iter().find(|m| m.id == merchant_id);
        cursor = page.next_cursor;
        if found.is_some() || cursor.is_none() {
            break;
        }
    }
    let summary = found.unwrap_or_else(|| panic!("{city_name}: the merchant is discoverable"));
    assert!(
        summary.open_now,
        "staffed demo merchants are open around the clock"
    );
    let details = customer.merchant(merchant_id).await.expect("merchant");
    let rating_before = details.merchant.rating.count;
    let minimum = details.merchant.minimum_order.amount_minor;

    // The menu: the first available dish whose option groups can be satisfied, with the
    // fewest options each group requires, enough of it to reach the minimum order.
    let menu = customer.menu(merchant_id).await.expect("menu").menu;
    let (item, options, unit) = menu
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .filter(|i| i.available && i.price.amount_minor > 0)
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
            Some((item, chosen, unit))
        })
        .unwrap_or_else(|| panic!("{city_name}: an orderable dish"));
    let quantity = u32::try_from((minimum / unit.max(1)) + 1)
        .expect("a small quantity")
        .clamp(1, 99);
    let (cart, _) = customer
        .create_cart(merchant_id)
        .await
        .expect("cart opened");
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
        .unwrap_or_else(|err| panic!("{city_name}: adding {}: {err}", item.name));
    let quoted = customer
        .cart(cart.id, Some((door.lat, door.lng)))
        .await
        .expect("cart quoted");
    assert!(
        quoted.warnings.is_empty(),
        "{city_name}: {:?}",
        quoted.warnings
    );
    let total = quoted.summary.expect("priced").total;
    assert_eq!(total.currency, details.merchant.currency);

    // Cash checkout, idempotent by its key.
    let key = fresh_key();
    let checkout = CheckoutRequest {
        cart_id: cart.id,
        delivery_address_id: None,
        delivery: Some(DeliveryDetails {
            contact_phone: "+49 30 1234567".to_owned(),
            ..delivery_at(door)
        }),
        scheduled_for: None,
        tip: None,
        payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
        expected_total: Some(total.clone()),
    };
    let order = customer
        .place_order(Some(&key), &checkout)
        .await
        .unwrap_or_else(|err| panic!("{city_name}: checkout: {err}"));
    let replay = customer
        .place_order(Some(&key), &checkout)
        .await
        .expect("replayed");
    assert_eq!(replay.id, order.id);
    assert_eq!(
        (order.status, &order.summary.total),
        (OrderStatus::Placed, &total)
    );

    // The merchant accepts; a courier is assigned while it is accepted and takes it to the door.
    advance(&staff, order.id, OrderStatus::Accepted).await;
    let (courier, courier_id) = online_courier(&app, north_of(merchant_at, -300.0)).await;
    let delivered = deliver_with(&staff, &courier, courier_id, order.id, door).await;
    assert_eq!(delivered.courier_id, Some(courier_id));

    // The customer reviews; the merchant's rating counts it.
    let review = customer
        .review_order(
            order.id,
            &ReviewRequest {
                merchant_rating: 5,
                courier_rating: Some(4),
                comment: Some("Hot, fast and friendly.".to_owned()),
            },
        )
        .await
        .unwrap_or_else(|err| panic!("{city_name}: review: {err}"));
    assert_eq!(
        (review.order_id, review.merchant_id, review.courier_id),
        (order.id, merchant_id, Some(courier_id))
    );
    let (count, _) = rating_eventually(&customer, merchant_id, rating_before + 1).await;
    assert!(
        count > rating_before,
        "{city_name}: the rating counts the review"
    );

    // Tracking shows the finished order; the courier lists it.
    let tracking = customer.tracking(order.id).await.expect("tracking");
    assert_eq!(tracking.status, OrderStatus::Delivered);
    assert_eq!(
        (
            tracking.distance_left_m,
            tracking.eta_minutes,
            tracking.estimated_arrival_at
        ),
        (None, None, None)
    );
    assert_eq!(
        tracking.timeline.last().map(|c| c.status),
        Some(OrderStatus::Delivered)
    );
    let listed = courier
        .courier_orders(&OrderListParams::default())
        .await
        .expect("courier's orders");
    assert!(listed.items.iter().any(|o| o.id == order.id));
    sign_off(&courier).await;
}

#[tokio::test]
async fn the_whole_journey_works_in_the_united_states() {
    journey("New York").await;
}

#[tokio::test]
async fn the_whole_journey_works_in_germany() {
    journey("Berlin").await;
}

#[tokio::test]
async fn the_whole_journey_works_in_japan() {
    // Osaka: Tokyo hosts the merchants of the other test files, whose orders may wait for a
    // courier near there.
    journey("Osaka").await;
}

#[tokio::test]
async fn the_whole_journey_works_in_kuwait() {
    journey("Kuwait City").await;
}

// --- 2. automatic dispatch ---------------------------------------------------------------

#[tokio::test]
async fn orders_ready_for_pickup_go_to_the_nearest_free_courier_and_wait_when_none_is() {
    let (app, _admin, shop) = arrange(AUTO_DISPATCH).await;
    let (near, near_id) = online_courier(&app, east_of(shop.location, 1_000.0)).await;
    let (far, far_id) = online_courier(&app, east_of(shop.location, 4_000.0)).await;
    let mut orders = Vec::new();
    for _ in 0..3 {
        let (_, order) = placed_order(&app, &shop).await;
        advance(&shop.staff, order.id, OrderStatus::Accepted).await;
        advance(&shop.staff, order.id, OrderStatus::Preparing).await;
        orders.push(order.id);
    }

    let first = advance(&shop.staff, orders[0], OrderStatus::ReadyForPickup).await;
    let second = advance(&shop.staff, orders[1], OrderStatus::ReadyForPickup).await;
    let third = advance(&shop.staff, orders[2], OrderStatus::ReadyForPickup).await;

    assert_eq!(first.courier_id, Some(near_id), "the nearer courier");
    assert_eq!(second.courier_id, Some(far_id), "the nearer one is busy");
    assert_eq!(third.courier_id, None, "both are busy");
    assert_eq!(
        shop.staff.order(orders[2]).await.expect("order").courier_id,
        None
    );

    // Once the near courier delivers, the sweep gives them the waiting order.
    advance(&near, orders[0], OrderStatus::PickedUp).await;
    post_position(&near, orders[0], shop.door()).await;
    advance(&near, orders[0], OrderStatus::Delivered).await;
    let later = courier_of_eventually(&shop.staff, orders[2], Duration::from_secs(30)).await;
    assert_eq!(
        later,
        Some(near_id),
        "the sweep dispatches the waiting order"
    );

    sign_off(&near).await;
    sign_off(&far).await;
}

// --- 3. explicit assignment --------------------------------------------------------------

#[tokio::test]
async fn staff_and_admins_assign_couriers_and_the_refusals_say_why() {
    let (app, admin, shop) = arrange(EXPLICIT_ASSIGN).await;
    let (customer, order) = placed_order(&app, &shop).await;
    advance(&shop.staff, order.id, OrderStatus::Accepted).await;
    let (courier, courier_id) = online_courier(&app, east_of(shop.location, 800.0)).await;
    let other_shop = open_shop(&app, &admin, spot(EXPLICIT_ASSIGN)).await;

    // Who may assign.
    assert_eq!(
        code(customer.assign_courier(order.id, &given(courier_id)).await),
        (
            Some(StatusCode::FORBIDDEN),
            "couriers.assign_forbidden".to_owned()
        )
    );
    assert_eq!(
        code(
            other_shop
                .staff
                .assign_courier(order.id, &given(courier_id))
                .await
        ),
        (Some(StatusCode::NOT_FOUND), "orders.not_found".to_owned())
    );
    let assigned = shop
        .staff
        .assign_courier(order.id, &given(courier_id))
        .await
        .expect("staff assign");
    assert_eq!(
        (assigned.courier_id, assigned.status),
        (Some(courier_id), OrderStatus::Accepted)
    );
    assert_eq!(
        shop.staff.order(order.id).await.expect("order").courier_id,
        Some(courier_id)
    );

    // A courier with an order to deliver stays on duty.
    assert_eq!(
        code(
            courier
                .set_courier_status(&CourierStatusUpdate {
                    online: false,
                    lat: None,
                    lng: None,
                })
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "couriers.has_active_order".to_owned()
        )
    );

    // An order that has a courier.
    assert_eq!(
        code(
            admin
                .assign_courier(order.id, &AssignCourierRequest::default())
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "orders.not_assignable".to_owned()
        )
    );

    // Couriers who cannot take it: busy, offline, never online.
    let (_, second) = placed_order(&app, &shop).await;
    assert_eq!(
        code(
            shop.staff
                .assign_courier(second.id, &given(courier_id))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "couriers.unavailable".to_owned()
        )
    );
    let (resting, resting_id) = online_courier(&app, shop.location).await;
    go_offline(&resting).await;
    assert_eq!(
        code(
            shop.staff
                .assign_courier(second.id, &given(resting_id))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "couriers.unavailable".to_owned()
        )
    );
    let (_, never_online) = app.courier().await;
    assert_eq!(
        code(
            shop.staff
                .assign_courier(second.id, &given(never_online))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "couriers.unavailable".to_owned()
        )
    );
    // A customer's id is no courier at all.
    assert_eq!(
        code(
            shop.staff
                .assign_courier(second.id, &given(order.customer_id))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "couriers.unavailable".to_owned()
        )
    );

    // Nobody free nearby: the only free courier is 20 km away, beyond the dispatch radius.
    let (distant, distant_id) = online_courier(&app, east_of(shop.location, 20_000.0)).await;
    assert_eq!(
        code(
            shop.staff
                .assign_courier(second.id, &AssignCourierRequest::default())
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "couriers.none_available".to_owned()
        )
    );
    // Named explicitly, the distant courier is refused too: they could not fetch it.
    assert_eq!(
        code(
            shop.staff
                .assign_courier(second.id, &given(distant_id))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "couriers.unavailable".to_owned()
        )
    );

    // An admin assigns the nearest free courier to a placed order.
    let (fresh, fresh_id) = online_courier(&app, east_of(shop.location, 2_000.0)).await;
    let by_admin = admin
        .assign_courier(second.id, &AssignCourierRequest::default())
        .await
        .expect("admin assigns the nearest");
    assert_eq!(
        (by_admin.courier_id, by_admin.status),
        (Some(fresh_id), OrderStatus::Placed)
    );

    // A finished order gets no courier.
    let (third_customer, third) = placed_order(&app, &shop).await;
    third_customer
        .cancel_order(
            third.id,
            &CancelRequest {
                reason: CancelReason::CustomerChangedMind,
                note: None,
            },
        )
        .await
        .expect("cancelled");
    let (spare, _) = online_courier(&app, east_of(shop.location, 2_500.0)).await;
    assert_eq!(
        code(
            shop.staff
                .assign_courier(third.id, &AssignCourierRequest::default())
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "orders.not_assignable".to_owned()
        )
    );

    for c in [&courier, &fresh, &spare, &distant] {
        sign_off(c).await;
    }
}

// --- 4. tracking and positions -----------------------------------------------------------

#[tokio::test]
async fn tracking_shows_the_courier_to_the_customer_only_after_pickup() {
    let (app, admin, shop) = arrange(TRACKING).await;
    let (customer, order) = placed_order(&app, &shop).await;
    advance(&shop.staff, order.id, OrderStatus::Accepted).await;
    let (courier, courier_id) = online_courier(&app, north_of(shop.location, -2_000.0)).await;
    shop.staff
        .assign_courier(order.id, &given(courier_id))
        .await
        .expect("assigned");

    let before = customer.tracking(order.id).await.expect("tracking");
    assert_eq!(before.status, OrderStatus::Accepted);
    let tracked = before.courier.expect("the courier is named once assigned");
    assert_eq!(
        (tracked.first_name.as_str(), tracked.position),
        ("Cody", None)
    );
    assert!(before.distance_left_m.is_some() && before.eta_minutes.is_some());

    // Who may post positions, and what.
    let (stranger, _) = app.courier().await;
    assert_eq!(
        code(
            stranger
                .post_location(order.id, &position(shop.location))
                .await
        ),
        (Some(StatusCode::NOT_FOUND), "orders.not_found".to_owned())
    );
    assert_eq!(
        code(
            customer
                .post_location(order.id, &position(shop.location))
                .await
        ),
        (
            Some(StatusCode::FORBIDDEN),
            "tracking.not_assigned_courier".to_owned()
        )
    );
    let nonsense = PositionUpdate {
        lat: 91.0,
        lng: shop.location.lng,
        heading_deg: Some(361.0),
        speed_kmh: Some(-1.0),
    };
    assert_eq!(
        invalid_fields(courier.post_location(order.id, &nonsense).await),
        ["headingDeg", "lat", "speedKmh"]
    );

    // At most one position a second.
    let on_the_way = north_of(shop.location, -1_000.0);
    post_position(&courier, order.id, on_the_way).await;
    let too_soon = courier
        .post_location(order.id, &position(on_the_way))
        .await
        .expect_err("a second position within a second is refused");
    assert_eq!(
        (too_soon.status(), too_soon.code()),
        (
            Some(StatusCode::TOO_MANY_REQUESTS),
            Some("tracking.too_frequent")
        )
    );
    match &too_soon {
        ClientError::Api { retry_after, .. } => {
            assert!(
                retry_after.is_some_and(|s| s >= 1),
                "Retry-After: {retry_after:?}"
            );
        }
        other => panic!("{other}"),
    }
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let answer = courier
        .request(
            reqwest::Method::POST,
            &format!("/api/orders/{}/location", order.id),
        )
        .json(&position(shop.location))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        answer.status(),
        StatusCode::NO_CONTENT,
        "a position after the interval is taken"
    );

    // Before pickup: staff and admins see the courier, the customer does not.
    let hidden = customer.tracking(order.id).await.expect("tracking");
    assert_eq!(hidden.courier.expect("courier").position, None);
    for watcher in [&shop.staff, &admin] {
        let shown = watcher.tracking(order.id).await.expect("tracking");
        let at = shown
            .courier
            .and_then(|c| c.position)
            .expect("position shown");
        assert!((at.lat - shop.location.lat).abs() < 1e-6, "{at:?}");
    }

    // After pickup the customer sees them coming.
    advance(&shop.staff, order.id, OrderStatus::Preparing).await;
    advance(&shop.staff, order.id, OrderStatus::ReadyForPickup).await;
    advance(&courier, order.id, OrderStatus::PickedUp).await;
    let near_door = north_of(shop.door(), -100.0);
    post_position(&courier, order.id, near_door).await;
    let coming = customer.tracking(order.id).await.expect("tracking");
    assert_eq!(coming.status, OrderStatus::PickedUp);
    let at = coming
        .courier
        .and_then(|c| c.position)
        .expect("the customer sees the courier after pickup");
    assert!((at.lat - near_door.lat).abs() < 1e-6, "{at:?}");
    let left = coming.distance_left_m.expect("distance left");
    assert!((50..=150).contains(&left), "about 100 m left: {left}");
    assert!(coming.eta_minutes.is_some() && coming.estimated_arrival_at.is_some());

    // Delivered: no more positions, no estimate.
    advance(&courier, order.id, OrderStatus::Delivered).await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        code(
            courier
                .post_location(order.id, &position(shop.door()))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "tracking.order_not_active".to_owned()
        )
    );
    let done = customer.tracking(order.id).await.expect("tracking");
    assert_eq!(done.status, OrderStatus::Delivered);
    assert_eq!((done.distance_left_m, done.eta_minutes), (None, None));
    assert_eq!(done.courier.and_then(|c| c.position), None);
    let statuses: Vec<OrderStatus> = done.timeline.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            OrderStatus::Placed,
            OrderStatus::Accepted,
            OrderStatus::Preparing,
            OrderStatus::ReadyForPickup,
            OrderStatus::PickedUp,
            OrderStatus::Delivered
        ]
    );
    let (stranger_customer, _) = app.customer().await;
    assert_eq!(
        code(stranger_customer.tracking(order.id).await),
        (Some(StatusCode::NOT_FOUND), "orders.not_found".to_owned())
    );

    sign_off(&courier).await;
}

// --- 5. live updates ---------------------------------------------------------------------

#[tokio::test]
async fn the_customer_follows_the_order_live_until_delivery() {
    let (app, _admin, shop) = arrange(LIVE).await;
    let (customer, order) = placed_order(&app, &shop).await;
    let mut events = customer.order_events(order.id).await.expect("subscribed");
    match next_update(&mut events).await {
        Some(OrderUpdate::Status { status, .. }) => assert_eq!(status, OrderStatus::Placed),
        other => panic!("the stream starts with the current status: {other:?}"),
    }
    let mut staff_events = shop.staff.order_events(order.id).await.expect("subscribed");
    assert!(matches!(
        next_update(&mut staff_events).await,
        Some(OrderUpdate::Status {
            status: OrderStatus::Placed,
            ..
        })
    ));
    let (stranger, _) = app.customer().await;
    match stranger.order_events(order.id).await {
        Ok(_) => panic!("another customer subscribed to the order"),
        Err(err) => assert_eq!(
            (err.status(), err.code()),
            (Some(StatusCode::NOT_FOUND), Some("orders.not_found"))
        ),
    }

    advance(&shop.staff, order.id, OrderStatus::Accepted).await;
    let (courier, courier_id) = online_courier(&app, north_of(shop.location, -1_500.0)).await;
    shop.staff
        .assign_courier(order.id, &given(courier_id))
        .await
        .expect("assigned");
    // Before pickup the courier's position is theirs: the customer is not sent it.
    post_position(&courier, order.id, north_of(shop.location, -1_000.0)).await;
    advance(&shop.staff, order.id, OrderStatus::Preparing).await;
    advance(&shop.staff, order.id, OrderStatus::ReadyForPickup).await;
    advance(&courier, order.id, OrderStatus::PickedUp).await;
    post_position(&courier, order.id, north_of(shop.door(), -200.0)).await;
    advance(&courier, order.id, OrderStatus::Delivered).await;

    let updates = rest_of(&mut events).await;
    assert_customer_saw_the_delivery(&updates, order.id);
    // The merchant's staff see the courier from the assignment on, pickup or not.
    let seen_by_staff = rest_of(&mut staff_events).await;
    let staff_positions = seen_by_staff
        .iter()
        .filter(|u| matches!(u, OrderUpdate::Position { .. }))
        .count();
    assert_eq!(staff_positions, 2, "{seen_by_staff:?}");
    let first_position = seen_by_staff
        .iter()
        .position(|u| matches!(u, OrderUpdate::Position { .. }))
        .expect("a position");
    let picked_up = seen_by_staff
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
    assert!(first_position < picked_up, "{seen_by_staff:?}");
    sign_off(&courier).await;
}

// --- 6. two processes --------------------------------------------------------------------

/// A second `mercato serve` process on the test database; killed when dropped.
struct SecondProcess {
    url: String,
    child: std::process::Child,
}

impl SecondProcess {
    async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// A second process given `extra` command-line arguments too.
    async fn start_with(extra: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("its address")
            .port();
        let listen = format!("127.0.0.1:{port}");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_mercato"))
            .env_remove("MERCATO_JWT_SECRET")
            .env_remove("MERCATO_ENV")
            .env_remove("DATABASE_URL")
            .env_remove("MERCATO_LISTEN")
            .env_remove("MERCATO_CORS_ORIGINS")
            .env("RUST_BACKTRACE", "0")
            .args(["--database-url", database_url()])
            .args(["--listen", &listen])
            .args(["--jwt-secret", JWT_SECRET])
            .args(["--env", "development"])
            .args(["--auth-rate-per-minute", "0"])
            .args(["--db-max-connections", "5"])
            .args(extra)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut process = Self {
            url: format!("http://{listen}"),
            child,
        };
        let probe = Client::new(&process.url);
        let ready = async {
            loop {
                if probe.ready().await.is_ok() {
                    return;
                }
                if let Ok(Some(status)) = process.child.try_wait() {
                    panic!("the second process exited: {status}");
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(120), ready)
            .await
            .expect("the second process gets ready");
        process
    }

    /// Waits until this process hears access changes (its metric says so), so that what it
    /// checks from then on is cached.
    async fn hearing_access_changes(&self) {
        let metrics = format!("{}/metrics", self.url);
        let hearing = async {
            loop {
                let body = reqwest::get(&metrics)
                    .await
                    .expect("metrics answer")
                    .text()
                    .await
                    .expect("metrics body");
                if body
                    .lines()
                    .any(|line| line.trim() == "mercato_session_cache_hearing 1")
                {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), hearing)
            .await
            .expect("the second process hears access changes");
    }

    /// A client of this process acting with `as_who`'s access token.
    fn client_as(&self, as_who: &Client) -> Client {
        let client = Client::new(&self.url);
        client.set_access_token(as_who.access_token());
        client
    }
}

impl Drop for SecondProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_customer_on_one_process_sees_changes_made_through_another() {
    let (app, _admin, shop) = arrange(TWO_PROCESSES).await;
    let second = SecondProcess::start().await;
    let (customer, order) = placed_order(&app, &shop).await;
    let mut events = customer.order_events(order.id).await.expect("subscribed");
    match next_update(&mut events).await {
        Some(OrderUpdate::Status { status, .. }) => assert_eq!(status, OrderStatus::Placed),
        other => panic!("the stream starts with the current status: {other:?}"),
    }
    let (courier_here, courier_id) = app.courier().await;
    let staff = second.client_as(&shop.staff);
    let courier = second.client_as(&courier_here);

    advance(&staff, order.id, OrderStatus::Accepted).await;
    go_online(&courier, north_of(shop.location, -1_500.0)).await;
    staff
        .assign_courier(order.id, &given(courier_id))
        .await
        .expect("assigned through the second process");
    advance(&staff, order.id, OrderStatus::Preparing).await;
    advance(&staff, order.id, OrderStatus::ReadyForPickup).await;
    advance(&courier, order.id, OrderStatus::PickedUp).await;
    post_position(&courier, order.id, north_of(shop.door(), -200.0)).await;
    advance(&courier, order.id, OrderStatus::Delivered).await;

    let updates = rest_of(&mut events).await;
    assert_customer_saw_the_delivery(&updates, order.id);
    sign_off(&courier).await;
}

#[tokio::test]
async fn signing_out_through_one_process_ends_the_session_in_another() {
    let app = TestApp::spawn().await;
    // The second process would trust a session it checked for ten minutes: only hearing of
    // the sign-out can end it there within the test's minute.
    let second = SecondProcess::start_with(&["--session-cache-secs", "600"]).await;
    second.hearing_access_changes().await;
    let (customer, _) = app.customer().await;
    let elsewhere = second.client_as(&customer);
    elsewhere
        .profile()
        .await
        .expect("signed in on the second process too");

    customer
        .logout()
        .await
        .expect("signed out through the first process");

    let refused = async {
        loop {
            match elsewhere.profile().await {
                Err(err) if err.status() == Some(StatusCode::UNAUTHORIZED) => return,
                Ok(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                Err(other) => panic!("unexpected failure: {other}"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), refused)
        .await
        .expect("the second process stops honouring the session");
}

// --- 7. reviews ----------------------------------------------------------------------------

fn review(merchant_rating: u8, courier_rating: Option<u8>, comment: Option<&str>) -> ReviewRequest {
    ReviewRequest {
        merchant_rating,
        courier_rating,
        comment: comment.map(str::to_owned),
    }
}

#[tokio::test]
async fn a_delivered_order_is_reviewed_once_by_its_customer() {
    let (app, admin, shop) = arrange(REVIEWS).await;

    // An order an admin delivered without a courier: there is no courier to rate. (No
    // courier is online at this spot yet, so dispatch finds none.)
    let (lonely_customer, lonely) = placed_order(&app, &shop).await;
    advance(&shop.staff, lonely.id, OrderStatus::Accepted).await;
    advance(&shop.staff, lonely.id, OrderStatus::Preparing).await;
    let ready = advance(&shop.staff, lonely.id, OrderStatus::ReadyForPickup).await;
    assert_eq!(ready.courier_id, None);
    advance(&admin, lonely.id, OrderStatus::PickedUp).await;
    advance(&admin, lonely.id, OrderStatus::Delivered).await;
    assert_eq!(
        invalid_fields(
            lonely_customer
                .review_order(lonely.id, &review(5, Some(5), None))
                .await
        ),
        ["courierRating"]
    );

    let (customer, order) = placed_order(&app, &shop).await;
    assert_eq!(
        code(
            customer
                .review_order(order.id, &review(5, None, None))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "reviews.not_delivered".to_owned()
        )
    );
    advance(&shop.staff, order.id, OrderStatus::Accepted).await;
    let (courier, courier_id) = online_courier(&app, north_of(shop.location, -1_000.0)).await;
    deliver_with(&shop.staff, &courier, courier_id, order.id, shop.door()).await;
    go_offline(&courier).await;

    // Only the customer.
    for other in [&shop.staff, &admin] {
        assert_eq!(
            code(other.review_order(order.id, &review(5, None, None)).await),
            (
                Some(StatusCode::FORBIDDEN),
                "reviews.customers_only".to_owned()
            )
        );
    }
    let (stranger, _) = app.customer().await;
    assert_eq!(
        code(
            stranger
                .review_order(order.id, &review(5, None, None))
                .await
        ),
        (Some(StatusCode::NOT_FOUND), "orders.not_found".to_owned())
    );

    // Bad ratings and comments name their field.
    let long = "x".repeat(1_001);
    for (bad, field) in [
        (review(0, None, None), "merchantRating"),
        (review(6, None, None), "merchantRating"),
        (review(4, Some(0), None), "courierRating"),
        (review(4, Some(6), None), "courierRating"),
        (review(4, None, Some(&long)), "comment"),
    ] {
        assert_eq!(
            invalid_fields(customer.review_order(order.id, &bad).await),
            [field]
        );
    }

    let answer = customer
        .request(
            reqwest::Method::POST,
            &format!("/api/orders/{}/review", order.id),
        )
        .json(&review(4, Some(5), Some("  Still warm.  ")))
        .send()
        .await
        .expect("sent");
    assert_eq!(answer.status(), StatusCode::CREATED);
    let written: mercato::core::ordering::OrderReview = answer.json().await.expect("a review");
    assert_eq!(
        (
            written.order_id,
            written.merchant_id,
            written.courier_id,
            written.merchant_rating,
            written.courier_rating,
            written.comment.as_deref()
        ),
        (
            order.id,
            shop.id,
            Some(courier_id),
            4,
            Some(5),
            Some("Still warm.")
        )
    );
    assert_eq!(
        code(
            customer
                .review_order(order.id, &review(1, None, None))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "reviews.already_reviewed".to_owned()
        )
    );

    // The catalog applies it to the merchant's rating.
    let (count, average) = rating_eventually(&customer, shop.id, 1).await;
    assert_eq!(count, 1, "the merchant's rating counts the review");
    assert!((average - 4.0).abs() < 1e-9, "{average}");
    let shown = customer
        .reviews(shop.id, &mercato::core::catalog::PageParams::default())
        .await
        .expect("the merchant's reviews");
    assert_eq!(
        shown
            .items
            .iter()
            .map(|r| (r.rating, r.comment.as_deref(), r.author_name.as_str()))
            .collect::<Vec<_>>(),
        [(4, Some("Still warm."), "Test")],
        "the review is shown with the author's first name"
    );
}

// --- 8. statistics -------------------------------------------------------------------------

#[tokio::test]
async fn statistics_count_a_merchants_orders_sales_and_cancellations() {
    let (app, admin, shop) = arrange(STATS).await;
    let (_, delivered) = placed_order(&app, &shop).await;
    advance(&shop.staff, delivered.id, OrderStatus::Accepted).await;
    let (courier, courier_id) = online_courier(&app, north_of(shop.location, -1_000.0)).await;
    deliver_with(&shop.staff, &courier, courier_id, delivered.id, shop.door()).await;
    go_offline(&courier).await;
    let (cancelling, cancelled) = placed_order(&app, &shop).await;
    cancelling
        .cancel_order(
            cancelled.id,
            &CancelRequest {
                reason: CancelReason::CustomerChangedMind,
                note: None,
            },
        )
        .await
        .expect("cancelled");
    let (customer, placed) = placed_order(&app, &shop).await;

    let of_shop = StatsParams {
        merchant_id: Some(shop.id),
        from: None,
        to: None,
    };
    let stats = shop.staff.order_stats(&of_shop).await.expect("statistics");

    assert_eq!((stats.merchant_id, stats.total_orders), (Some(shop.id), 3));
    assert_eq!(stats.by_status.len(), 8, "every status is listed");
    for entry in &stats.by_status {
        let expected = match entry.status {
            OrderStatus::Delivered | OrderStatus::Cancelled | OrderStatus::Placed => 1,
            _ => 0,
        };
        assert_eq!(entry.count, expected, "{:?}", entry.status);
    }
    assert_eq!(stats.sales.len(), 1, "{:?}", stats.sales);
    assert_eq!(stats.sales[0].delivered_orders, 1);
    assert_eq!(stats.sales[0].gross_sales, delivered.summary.total);
    assert_eq!(stats.sales[0].average_order_value, delivered.summary.total);
    assert!(
        (stats.cancellation_rate - 1.0 / 3.0).abs() < 1e-3,
        "{}",
        stats.cancellation_rate
    );
    assert!(stats.average_prep_minutes.is_some_and(|m| m >= 0.0));
    assert!(stats.average_delivery_minutes.is_some_and(|m| m >= 0.0));

    // An explicit period around the orders counts them too; admins see the same.
    let hour = Duration::from_secs(3_600);
    let around = StatsParams {
        merchant_id: Some(shop.id),
        from: Some(delivered.created_at - hour),
        to: Some(placed.created_at + hour),
    };
    assert_eq!(
        admin
            .order_stats(&around)
            .await
            .expect("stats")
            .total_orders,
        3
    );
    // The period includes its start and excludes its end (orders as stored).
    let stored_delivered = shop.staff.order(delivered.id).await.expect("order");
    let stored_placed = shop.staff.order(placed.id).await.expect("order");
    let from_the_last = StatsParams {
        merchant_id: Some(shop.id),
        from: Some(stored_placed.created_at),
        to: Some(stored_placed.created_at + hour),
    };
    assert_eq!(
        shop.staff
            .order_stats(&from_the_last)
            .await
            .expect("stats")
            .total_orders,
        1
    );
    let before_the_first = StatsParams {
        merchant_id: Some(shop.id),
        from: Some(stored_delivered.created_at - hour),
        to: Some(stored_delivered.created_at),
    };
    let nothing = shop
        .staff
        .order_stats(&before_the_first)
        .await
        .expect("stats");
    assert_eq!(
        (
            nothing.total_orders,
            nothing.sales.len(),
            nothing.cancellation_rate
        ),
        (0, 0, 0.0)
    );
    let marketplace = admin
        .order_stats(&StatsParams::default())
        .await
        .expect("marketplace statistics");
    assert!(marketplace.merchant_id.is_none() && marketplace.total_orders >= 3);

    // Refusals.
    let other = open_shop(&app, &admin, spot(STATS)).await;
    assert_eq!(
        code(other.staff.order_stats(&of_shop).await),
        (
            Some(StatusCode::NOT_FOUND),
            "merchants.not_found".to_owned()
        )
    );
    assert_eq!(
        code(customer.order_stats(&of_shop).await),
        (
            Some(StatusCode::FORBIDDEN),
            "orders.stats_forbidden".to_owned()
        )
    );
    let backwards = StatsParams {
        merchant_id: Some(shop.id),
        from: Some(placed.created_at),
        to: Some(placed.created_at),
    };
    assert_eq!(
        invalid_fields(shop.staff.order_stats(&backwards).await),
        ["from"]
    );
    assert_eq!(
        invalid_fields(shop.staff.order_stats(&StatsParams::default()).await),
        ["merchantId"]
    );
}

// --- 9. courier endpoints ----------------------------------------------------------------

#[tokio::test]
async fn only_couriers_go_online_and_list_their_deliveries_page_by_page() {
    let (app, _admin, shop) = arrange(COURIER_LIST).await;
    let (customer, _) = app.customer().await;
    assert_eq!(
        code(
            customer
                .set_courier_status(&CourierStatusUpdate {
                    online: true,
                    lat: Some(shop.location.lat),
                    lng: Some(shop.location.lng),
                })
                .await
        ),
        (
            Some(StatusCode::FORBIDDEN),
            "couriers.couriers_only".to_owned()
        )
    );
    assert_eq!(
        code(customer.courier_orders(&OrderListParams::default()).await),
        (
            Some(StatusCode::FORBIDDEN),
            "couriers.couriers_only".to_owned()
        )
    );

    let (courier, courier_id) = app.courier().await;
    for (update, field) in [
        (
            CourierStatusUpdate {
                online: true,
                lat: None,
                lng: None,
            },
            "lat",
        ),
        (
            CourierStatusUpdate {
                online: true,
                lat: Some(shop.location.lat),
                lng: None,
            },
            "lng",
        ),
        (
            CourierStatusUpdate {
                online: true,
                lat: Some(91.0),
                lng: Some(shop.location.lng),
            },
            "lat",
        ),
    ] {
        assert_eq!(
            invalid_fields(courier.set_courier_status(&update).await),
            [field]
        );
    }
    let resting = courier
        .set_courier_status(&CourierStatusUpdate {
            online: false,
            lat: None,
            lng: None,
        })
        .await
        .expect("offline without a position");
    assert!(!resting.online);
    let online = go_online(&courier, north_of(shop.location, -500.0)).await;
    assert_eq!(
        (online.courier_id, online.first_name.as_str(), online.online),
        (courier_id, "Cody", true)
    );
    assert!(online.position.is_some() && online.active_order_id.is_none());

    // Three deliveries, one after the other.
    let mut delivered = Vec::new();
    for _ in 0..3 {
        let (_, order) = placed_order(&app, &shop).await;
        advance(&shop.staff, order.id, OrderStatus::Accepted).await;
        deliver_with(&shop.staff, &courier, courier_id, order.id, shop.door()).await;
        delivered.push(order.id);
    }

    let first = courier
        .courier_orders(&OrderListParams {
            status: None,
            limit: Some(2),
            cursor: None,
        })
        .await
        .expect("first page");
    let ids: Vec<OrderId> = first.items.iter().map(|o| o.id).collect();
    assert_eq!(ids, [delivered[2], delivered[1]], "newest first");
    let cursor: OrderId = first
        .next_cursor
        .as_deref()
        .expect("a next page")
        .parse()
        .expect("an order id cursor");
    let second = courier
        .courier_orders(&OrderListParams {
            status: None,
            limit: Some(2),
            cursor: Some(cursor),
        })
        .await
        .expect("second page");
    assert_eq!(
        second.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        [delivered[0]]
    );
    assert_eq!(second.next_cursor, None);
    let by_status = courier
        .courier_orders(&OrderListParams {
            status: Some(OrderStatus::Delivered),
            limit: Some(50),
            cursor: None,
        })
        .await
        .expect("delivered ones");
    assert_eq!(by_status.items.len(), 3);
    assert!(
        by_status
            .items
            .iter()
            .all(|o| o.courier_id == Some(courier_id))
    );
    assert!(
        courier
            .courier_orders(&OrderListParams {
                status: Some(OrderStatus::PickedUp),
                limit: None,
                cursor: None,
            })
            .await
            .expect("none picked up")
            .items
            .is_empty()
    );
    assert_eq!(
        invalid_fields(
            courier
                .courier_orders(&OrderListParams {
                    status: None,
                    limit: Some(0),
                    cursor: None,
                })
                .await
        ),
        ["limit"]
    );
    let (other, _) = app.courier().await;
    assert!(
        other
            .courier_orders(&OrderListParams::default())
            .await
            .expect("an empty list")
            .items
            .is_empty()
    );
    assert_eq!(
        invalid_fields(
            other
                .courier_orders(&OrderListParams {
                    status: None,
                    limit: None,
                    cursor: Some(cursor),
                })
                .await
        ),
        ["cursor"]
    );

    sign_off(&courier).await;
}

// --- 10. races -----------------------------------------------------------------------------

#[tokio::test]
async fn a_courier_racing_dispatches_get_one_order_only() {
    let (app, _admin, shop) = arrange(RACES).await;

    // Two explicit assignments of one courier at once: one wins.
    let (_, first) = placed_order(&app, &shop).await;
    let (_, second) = placed_order(&app, &shop).await;
    for order in [&first, &second] {
        advance(&shop.staff, order.id, OrderStatus::Accepted).await;
    }
    let (courier, courier_id) = online_courier(&app, north_of(shop.location, -1_000.0)).await;
    let request = given(courier_id);
    let (a, b) = tokio::join!(
        shop.staff.assign_courier(first.id, &request),
        shop.staff.assign_courier(second.id, &request),
    );
    let (won, lost) = match (a, b) {
        (Ok(won), Err(lost)) | (Err(lost), Ok(won)) => (won, lost),
        (a, b) => panic!("exactly one assignment wins: {a:?} / {b:?}"),
    };
    assert_eq!(won.courier_id, Some(courier_id));
    assert_eq!(
        (lost.status(), lost.code()),
        (Some(StatusCode::CONFLICT), Some("couriers.unavailable"))
    );
    let loser = if won.id == first.id {
        second.id
    } else {
        first.id
    };
    assert_eq!(
        shop.staff.order(loser).await.expect("order").courier_id,
        None
    );
    let busy = go_online(&courier, north_of(shop.location, -900.0)).await;
    assert_eq!(busy.active_order_id, Some(won.id));

    // Two orders ready at once with one free courier: one gets them, the other waits.
    let (other, other_id) = online_courier(&app, north_of(shop.location, -1_200.0)).await;
    let (_, third) = placed_order(&app, &shop).await;
    let (_, fourth) = placed_order(&app, &shop).await;
    for order in [&third, &fourth] {
        advance(&shop.staff, order.id, OrderStatus::Accepted).await;
        advance(&shop.staff, order.id, OrderStatus::Preparing).await;
    }
    let ready = StatusUpdate::to(OrderStatus::ReadyForPickup);
    let (a, b) = tokio::join!(
        shop.staff.update_order_status(third.id, &ready),
        shop.staff.update_order_status(fourth.id, &ready),
    );
    let (a, b) = (a.expect("third ready"), b.expect("fourth ready"));
    let mut couriers = vec![
        shop.staff.order(third.id).await.expect("order").courier_id,
        shop.staff.order(fourth.id).await.expect("order").courier_id,
    ];
    couriers.sort_unstable();
    assert_eq!(couriers, [None, Some(other_id)], "{a:?} / {b:?}");
    // What the status updates answered agrees with what was stored.
    assert_eq!([a.courier_id, b.courier_id].iter().flatten().count(), 1);

    sign_off(&courier).await;
    sign_off(&other).await;
}

// --- 11. cancellation and inactive orders -------------------------------------------------

#[tokio::test]
async fn cancelling_an_order_frees_its_courier_and_ends_its_stream() {
    let (app, admin, shop) = arrange(CANCELLATION).await;
    let (customer, order) = placed_order(&app, &shop).await;
    let (courier, courier_id) = online_courier(&app, north_of(shop.location, -1_000.0)).await;

    // Assigned while placed: the courier is not tracked yet.
    shop.staff
        .assign_courier(order.id, &given(courier_id))
        .await
        .expect("assigned while placed");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        code(
            courier
                .post_location(order.id, &position(shop.location))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "tracking.order_not_active".to_owned()
        )
    );
    // The courier sees their order and where it goes.
    assert_eq!(courier.order(order.id).await.expect("visible").id, order.id);
    let theirs = courier.tracking(order.id).await.expect("tracking");
    assert_eq!(theirs.status, OrderStatus::Placed);

    let mut events = customer.order_events(order.id).await.expect("subscribed");
    assert!(matches!(
        next_update(&mut events).await,
        Some(OrderUpdate::Status {
            status: OrderStatus::Placed,
            ..
        })
    ));
    advance(&shop.staff, order.id, OrderStatus::Accepted).await;
    shop.staff
        .cancel_order(
            order.id,
            &CancelRequest {
                reason: CancelReason::ItemUnavailable,
                note: None,
            },
        )
        .await
        .expect("the merchant cancels");
    let updates = rest_of(&mut events).await;
    let statuses: Vec<(OrderStatus, Option<CancelReason>)> = updates
        .iter()
        .filter_map(|u| match u {
            OrderUpdate::Status { status, reason, .. } => Some((*status, *reason)),
            _ => None,
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (OrderStatus::Accepted, None),
            (OrderStatus::Cancelled, Some(CancelReason::ItemUnavailable))
        ],
        "{updates:?}"
    );

    // The courier is free again and takes the next order; the cancelled one is done with.
    let freed = go_online(&courier, north_of(shop.location, -900.0)).await;
    assert_eq!(freed.active_order_id, None);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        code(
            courier
                .post_location(order.id, &position(shop.location))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "tracking.order_not_active".to_owned()
        )
    );
    let (_, next) = placed_order(&app, &shop).await;
    let taken = shop
        .staff
        .assign_courier(next.id, &given(courier_id))
        .await
        .expect("the freed courier takes the next order");
    assert_eq!(taken.courier_id, Some(courier_id));

    // Subscribing to a finished order: its status, then the end.
    let mut late = customer.order_events(order.id).await.expect("subscribed");
    assert!(matches!(
        next_update(&mut late).await,
        Some(OrderUpdate::Status {
            status: OrderStatus::Cancelled,
            ..
        })
    ));
    assert_eq!(next_update(&mut late).await, None);

    // A browser follows its order with its session cookie, as `EventSource` does.
    let browser = app.cookie_client();
    browser
        .register(&crate::support::registration(&unique_email()))
        .await
        .expect("registered");
    let (cart, _) = browser.create_cart(shop.id).await.expect("cart");
    browser
        .add_cart_item(
            cart.id,
            &AddCartItem {
                menu_item_id: shop.burger.id,
                quantity: 1,
                options: Vec::new(),
                note: None,
            },
        )
        .await
        .expect("added");
    let browsed = browser
        .place_order(
            Some(&fresh_key()),
            &CheckoutRequest {
                cart_id: cart.id,
                delivery_address_id: None,
                delivery: Some(delivery_at(shop.door())),
                scheduled_for: None,
                tip: None,
                payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
                expected_total: None,
            },
        )
        .await
        .expect("placed");
    let mut cookie_events = browser
        .order_events(browsed.id)
        .await
        .expect("subscribed with cookies");
    assert!(matches!(
        next_update(&mut cookie_events).await,
        Some(OrderUpdate::Status {
            status: OrderStatus::Placed,
            ..
        })
    ));
    advance(&shop.staff, browsed.id, OrderStatus::Accepted).await;
    assert!(matches!(
        next_update(&mut cookie_events).await,
        Some(OrderUpdate::Status {
            status: OrderStatus::Accepted,
            ..
        })
    ));

    // An order awaiting payment gets no courier.
    let (payer, _) = app.customer().await;
    let (cart, _) = payer.create_cart(shop.id).await.expect("cart");
    payer
        .add_cart_item(
            cart.id,
            &AddCartItem {
                menu_item_id: shop.burger.id,
                quantity: 1,
                options: Vec::new(),
                note: None,
            },
        )
        .await
        .expect("added");
    let unpaid = payer
        .place_order(
            Some(&fresh_key()),
            &CheckoutRequest {
                cart_id: cart.id,
                delivery_address_id: None,
                delivery: Some(delivery_at(shop.door())),
                scheduled_for: None,
                tip: None,
                payment_method: PaymentChoice::Card(mercato::core::ordering::CardReference {
                    id: "pm_x".to_owned(),
                }),
                expected_total: None,
            },
        )
        .await
        .expect("placed");
    assert_eq!(unpaid.status, OrderStatus::PendingPayment);
    assert_eq!(
        code(
            admin
                .assign_courier(unpaid.id, &AssignCourierRequest::default())
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "orders.not_assignable".to_owned()
        )
    );

    sign_off(&courier).await;
}

#[tokio::test]
async fn a_live_stream_ends_when_its_session_does() {
    let (app, _admin, shop) = arrange(SIGNED_OUT).await;
    let (customer, order) = placed_order(&app, &shop).await;
    let mut events = customer.order_events(order.id).await.expect("subscribed");
    assert!(matches!(
        next_update(&mut events).await,
        Some(OrderUpdate::Status {
            status: OrderStatus::Placed,
            ..
        })
    ));

    // The stream is live (not one ended by the server's start-up): it carries a change.
    advance(&shop.staff, order.id, OrderStatus::Accepted).await;
    assert!(matches!(
        next_update(&mut events).await,
        Some(OrderUpdate::Status {
            status: OrderStatus::Accepted,
            ..
        })
    ));

    customer.logout().await.expect("signed out");

    // The stream re-checks its session periodically (every 30 s): it ends without any
    // further update for an order that is still open.
    let end = tokio::time::timeout(Duration::from_secs(90), events.next())
        .await
        .expect("the stream ends after the session did");
    assert!(end.is_none(), "no update after signing out: {end:?}");
}
