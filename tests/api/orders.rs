//! `/api/orders/...` end to end: idempotent checkout of a cart into an order with its
//! snapshots, the checkout refusals, who may see an order, and moving it through its
//! lifecycle.
//!
//! Every test opens its own merchant in Tokyo with known prices (as `carts.rs` does): two
//! ramen dishes (¥950 and ¥1,200), a ¥1,000 minimum and a 1.5 km delivery radius.

use mercato::client::Client;
use mercato::core::catalog::{FeeBand, ItemInput, MenuItem, MerchantInput, OpeningHours};
use mercato::core::geo::{LatLng, ServiceCategory, TaxClass};
use mercato::core::identity::AddressInput;
use mercato::core::ids::{CartId, MerchantId};
use mercato::core::ordering::{
    AddCartItem, CancelReason, CancelRequest, CardReference, Cart, CheckoutRequest,
    DeliveryDetails, Order, OrderListParams, OrderStatus, PaymentChoice, PaymentKeyword,
    StatusUpdate,
};
use reqwest::StatusCode;

use crate::support::{TestApp, code, demo_city, invalid_fields, staff_of};

/// Where this file's merchants trade: ten kilometres south of Tokyo's centre, like
/// `carts.rs`, beyond the reach of any demo merchant.
pub(crate) fn shop_spot() -> LatLng {
    let tokyo = demo_city("Tokyo").center;
    LatLng {
        lat: tokyo.lat - 0.09,
        lng: tokyo.lng,
    }
}

/// A door about 110 m north of the shop: inside its first fee band.
pub(crate) fn door() -> LatLng {
    let spot = shop_spot();
    LatLng {
        lat: spot.lat + 0.001,
        lng: spot.lng,
    }
}

pub(crate) fn merchant_input() -> MerchantInput {
    MerchantInput {
        name: "Order Test Ramen".to_owned(),
        description: None,
        city_id: demo_city("Tokyo").id,
        categories: vec![ServiceCategory::Food],
        cuisines: vec!["ramen".to_owned()],
        address: "3-3 Test-dori, Ota-ku".to_owned(),
        location: shop_spot(),
        delivery_radius_m: 1_500,
        avg_prep_minutes: 15,
        minimum_order_minor: 1_000,
        delivery_fee_bands: vec![FeeBand {
            up_to_m: 1_500,
            fee_minor: 200,
        }],
        time_zone: None,
        hours: OpeningHours::always_open(),
        image_url: None,
    }
}

pub(crate) fn item_input(name: &str, price_minor: i64) -> ItemInput {
    ItemInput {
        name: name.to_owned(),
        description: None,
        price_minor,
        tax_class: TaxClass::Food,
        dietary_tags: Vec::new(),
        image_url: None,
        available: true,
        option_groups: Vec::new(),
    }
}

/// A merchant of this file's own with two dishes.
pub(crate) struct Shop {
    pub(crate) id: MerchantId,
    pub(crate) shoyu: MenuItem,
    pub(crate) miso: MenuItem,
}

pub(crate) async fn open_shop(admin: &Client) -> Shop {
    let merchant = admin
        .create_merchant(&merchant_input())
        .await
        .expect("merchant created");
    let section = admin
        .create_section(
            merchant.id,
            &mercato::core::catalog::SectionInput {
                name: "Ramen".to_owned(),
                position: None,
            },
        )
        .await
        .expect("section created");
    let shoyu = admin
        .create_item(merchant.id, section.id, &item_input("Shoyu ramen", 950))
        .await
        .expect("item created");
    let miso = admin
        .create_item(merchant.id, section.id, &item_input("Miso ramen", 1_200))
        .await
        .expect("item created");
    Shop {
        id: merchant.id,
        shoyu,
        miso,
    }
}

/// A server, its administrator and a shop of this file's own.
pub(crate) async fn arrange() -> (TestApp, Client, Shop) {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin).await;
    (app, admin, shop)
}

/// The customer's cart at the shop holding `quantity` × `item`.
pub(crate) async fn cart_with(
    customer: &Client,
    shop: &Shop,
    item: &MenuItem,
    quantity: u32,
) -> Cart {
    let (cart, _) = customer.create_cart(shop.id).await.expect("cart opened");
    customer
        .add_cart_item(
            cart.id,
            &AddCartItem {
                menu_item_id: item.id,
                quantity,
                options: Vec::new(),
                note: None,
            },
        )
        .await
        .expect("item added")
}

/// Two shoyu and a miso: ¥3,100, above the minimum.
pub(crate) async fn filled_cart(customer: &Client, shop: &Shop) -> Cart {
    cart_with(customer, shop, &shop.shoyu, 2).await;
    cart_with(customer, shop, &shop.miso, 1).await
}

pub(crate) fn delivery_at(point: LatLng) -> DeliveryDetails {
    DeliveryDetails {
        address: "1-1 Door-dori, Ota-ku".to_owned(),
        lat: point.lat,
        lng: point.lng,
        instructions: None,
        contact_phone: "+81 3 1234 5678".to_owned(),
    }
}

/// Cash on delivery to the door.
pub(crate) fn cash_checkout(cart: CartId) -> CheckoutRequest {
    CheckoutRequest {
        cart_id: cart,
        delivery_address_id: None,
        delivery: Some(delivery_at(door())),
        scheduled_for: None,
        tip: None,
        payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
        expected_total: None,
    }
}

/// An idempotency key no other request uses.
pub(crate) fn fresh_key() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A placed (cash) order of a fresh customer.
pub(crate) async fn placed_order(app: &TestApp, shop: &Shop) -> (Client, Order) {
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, shop).await;
    let order = customer
        .place_order(Some(&fresh_key()), &cash_checkout(cart.id))
        .await
        .expect("order placed");
    (customer, order)
}

pub(crate) fn to(status: OrderStatus) -> StatusUpdate {
    StatusUpdate {
        status,
        reason: None,
        estimated_prep_minutes: None,
        note: None,
    }
}

pub(crate) fn changed_mind() -> CancelRequest {
    CancelRequest {
        reason: CancelReason::CustomerChangedMind,
        note: None,
    }
}

// --- checkout ------------------------------------------------------------------------------

#[tokio::test]
async fn a_cash_checkout_places_the_order_at_the_carts_quoted_total() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let quote = customer
        .cart(cart.id, Some((door().lat, door().lng)))
        .await
        .expect("quoted")
        .summary
        .expect("priced");

    let order = customer
        .place_order(Some(&fresh_key()), &cash_checkout(cart.id))
        .await
        .expect("order placed");

    assert_eq!(order.status, OrderStatus::Placed);
    assert_eq!(order.merchant_id, shop.id);
    assert_eq!(order.summary.total, quote.total);
    let mut items: Vec<(&str, u32, i64)> = order
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.quantity, i.line_total.amount_minor))
        .collect();
    items.sort_unstable();
    assert_eq!(items, [("Miso ramen", 1, 1_200), ("Shoyu ramen", 2, 1_900)]);
}

#[tokio::test]
async fn checkout_at_the_total_the_customer_saw_succeeds_and_at_another_is_refused() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let seen = customer
        .cart(cart.id, Some((door().lat, door().lng)))
        .await
        .expect("quoted")
        .summary
        .expect("priced")
        .total;
    let stale = mercato::core::money::Money::new(seen.amount_minor - 100, seen.currency.clone());

    let refused = customer
        .place_order(
            Some(&fresh_key()),
            &CheckoutRequest {
                expected_total: Some(stale),
                ..cash_checkout(cart.id)
            },
        )
        .await;
    let placed = customer
        .place_order(
            Some(&fresh_key()),
            &CheckoutRequest {
                expected_total: Some(seen.clone()),
                ..cash_checkout(cart.id)
            },
        )
        .await
        .expect("placed at the total seen");

    assert_eq!(
        refused.expect_err("a changed total is refused").code(),
        Some("checkout.total_changed")
    );
    assert_eq!(placed.summary.total, seen);
}

#[tokio::test]
async fn checkout_closes_the_cart() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;

    customer
        .place_order(Some(&fresh_key()), &cash_checkout(cart.id))
        .await
        .expect("order placed");

    assert_eq!(
        code(customer.cart(cart.id, None).await),
        (Some(StatusCode::NOT_FOUND), "cart.not_found".to_owned())
    );
    let (next, created) = customer.create_cart(shop.id).await.expect("opened");
    assert!(created && next.id != cart.id && next.lines.is_empty());
}

#[tokio::test]
async fn replaying_a_checkout_with_its_key_answers_the_same_order_once() {
    let (app, _admin, shop) = arrange().await;
    let (customer, session) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let key = fresh_key();

    let first = customer
        .place_order(Some(&key), &cash_checkout(cart.id))
        .await
        .expect("order placed");
    let replay = customer
        .place_order(Some(&key), &cash_checkout(cart.id))
        .await
        .expect("replayed");

    assert_eq!(replay.id, first.id);
    let orders = customer
        .orders_of(session.user.id, &OrderListParams::default())
        .await
        .expect("listed");
    assert_eq!(
        orders.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        [first.id]
    );
}

#[tokio::test]
async fn concurrent_checkouts_with_one_key_place_one_order_and_all_answer_it() {
    let (app, _admin, shop) = arrange().await;
    let (customer, session) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let key = fresh_key();
    let request = cash_checkout(cart.id);

    let (a, b, c, d) = tokio::join!(
        customer.place_order(Some(&key), &request),
        customer.place_order(Some(&key), &request),
        customer.place_order(Some(&key), &request),
        customer.place_order(Some(&key), &request),
    );

    let ids: Vec<_> = [a, b, c, d]
        .into_iter()
        .map(|attempt| attempt.expect("every attempt answers the order").id)
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    let orders = customer
        .orders_of(session.user.id, &OrderListParams::default())
        .await
        .expect("listed");
    assert_eq!(
        orders.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        [ids[0]]
    );
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_refused() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let key = fresh_key();
    customer
        .place_order(Some(&key), &cash_checkout(cart.id))
        .await
        .expect("order placed");
    let other = CheckoutRequest {
        delivery: Some(DeliveryDetails {
            instructions: Some("Ring twice".to_owned()),
            ..delivery_at(door())
        }),
        ..cash_checkout(cart.id)
    };

    assert_eq!(
        code(customer.place_order(Some(&key), &other).await),
        (
            Some(StatusCode::UNPROCESSABLE_ENTITY),
            "idempotency.key_reused".to_owned()
        )
    );
}

#[tokio::test]
async fn a_checkout_without_a_key_is_refused() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;

    assert_eq!(
        code(customer.place_order(None, &cash_checkout(cart.id)).await),
        (
            Some(StatusCode::BAD_REQUEST),
            "idempotency.key_required".to_owned()
        )
    );
}

#[tokio::test]
async fn a_card_checkout_waits_for_payment() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let request = CheckoutRequest {
        payment_method: PaymentChoice::Card(CardReference {
            id: "pm_x".to_owned(),
        }),
        ..cash_checkout(cart.id)
    };

    let order = customer
        .place_order(Some(&fresh_key()), &request)
        .await
        .expect("order placed");

    assert_eq!(order.status, OrderStatus::PendingPayment);
}

#[tokio::test]
async fn a_cart_with_an_unavailable_item_cannot_be_checked_out() {
    let (app, admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    admin
        .set_item_availability(shop.id, shop.shoyu.id, false)
        .await
        .expect("made unavailable");

    assert_eq!(
        code(
            customer
                .place_order(Some(&fresh_key()), &cash_checkout(cart.id))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "checkout.item_unavailable".to_owned()
        )
    );
}

#[tokio::test]
async fn a_cart_below_the_minimum_order_cannot_be_checked_out() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = cart_with(&customer, &shop, &shop.shoyu, 1).await;

    assert_eq!(
        code(
            customer
                .place_order(Some(&fresh_key()), &cash_checkout(cart.id))
                .await
        ),
        (
            Some(StatusCode::CONFLICT),
            "checkout.below_minimum_order".to_owned()
        )
    );
}

#[tokio::test]
async fn a_delivery_point_outside_the_area_is_refused() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let request = CheckoutRequest {
        delivery: Some(delivery_at(demo_city("Tokyo").center)),
        ..cash_checkout(cart.id)
    };

    assert_eq!(
        code(customer.place_order(Some(&fresh_key()), &request).await),
        (
            Some(StatusCode::UNPROCESSABLE_ENTITY),
            "checkout.outside_delivery_area".to_owned()
        )
    );
}

#[tokio::test]
async fn invalid_delivery_details_are_refused_naming_the_field() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let address = customer
        .create_address(&tokyo_address())
        .await
        .expect("address saved");
    let bad_phone = CheckoutRequest {
        delivery: Some(DeliveryDetails {
            contact_phone: "call me".to_owned(),
            ..delivery_at(door())
        }),
        ..cash_checkout(cart.id)
    };
    let bad_lat = CheckoutRequest {
        delivery: Some(DeliveryDetails {
            lat: 91.0,
            ..delivery_at(door())
        }),
        ..cash_checkout(cart.id)
    };
    let both = CheckoutRequest {
        delivery_address_id: Some(address.id),
        ..cash_checkout(cart.id)
    };

    for (name, request) in [("phone", bad_phone), ("lat", bad_lat), ("both", both)] {
        let fields = invalid_fields(customer.place_order(Some(&fresh_key()), &request).await);
        assert!(!fields.is_empty(), "{name}");
    }
}

fn tokyo_address() -> AddressInput {
    let door = door();
    AddressInput {
        label: "Home".to_owned(),
        line1: "1-1 Door-dori".to_owned(),
        line2: None,
        city: "Tokyo".to_owned(),
        postal_code: Some("144-0052".to_owned()),
        country_code: "JP".to_owned(),
        lat: door.lat,
        lng: door.lng,
        instructions: Some("Blue door".to_owned()),
        is_default: true,
    }
}

#[tokio::test]
async fn a_saved_address_delivers_with_the_profile_phone() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let cart = filled_cart(&customer, &shop).await;
    let address = customer
        .create_address(&tokyo_address())
        .await
        .expect("address saved");
    let request = CheckoutRequest {
        delivery: None,
        delivery_address_id: Some(address.id),
        ..cash_checkout(cart.id)
    };

    let order = customer
        .place_order(Some(&fresh_key()), &request)
        .await
        .expect("order placed");

    assert_eq!(order.status, OrderStatus::Placed);
    assert!(order.delivery.address.starts_with("1-1 Door-dori"));
    assert_eq!(order.delivery.instructions.as_deref(), Some("Blue door"));
    assert!(order.delivery.contact_phone.starts_with("+49"));
}

// --- who sees an order ------------------------------------------------------------------------

#[tokio::test]
async fn another_customers_order_is_not_found() {
    let (app, _admin, shop) = arrange().await;
    let (_, order) = placed_order(&app, &shop).await;
    let (stranger, _) = app.customer().await;

    assert_eq!(
        code(stranger.order(order.id).await),
        (Some(StatusCode::NOT_FOUND), "orders.not_found".to_owned())
    );
    assert_eq!(
        code(stranger.order_history(order.id).await),
        (Some(StatusCode::NOT_FOUND), "orders.not_found".to_owned())
    );
}

#[tokio::test]
async fn the_merchants_staff_see_its_orders_and_other_staff_do_not() {
    let (app, admin, shop) = arrange().await;
    let (_, order) = placed_order(&app, &shop).await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let other_shop = open_shop(&admin).await;
    let other_staff = staff_of(&app, &admin, other_shop.id).await;

    assert_eq!(staff.order(order.id).await.expect("visible").id, order.id);
    assert_eq!(
        code(other_staff.order(order.id).await),
        (Some(StatusCode::NOT_FOUND), "orders.not_found".to_owned())
    );
}

#[tokio::test]
async fn another_users_order_list_is_not_found() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = placed_order(&app, &shop).await;
    let (_, other) = app.customer().await;

    assert_eq!(
        code(
            customer
                .orders_of(other.user.id, &OrderListParams::default())
                .await
        ),
        (Some(StatusCode::NOT_FOUND), "orders.not_found".to_owned())
    );
}

#[tokio::test]
async fn the_history_starts_with_the_customer_placing_the_order() {
    let (app, _admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;

    let history = customer.order_history(order.id).await.expect("history");

    assert_eq!(history.len(), 1);
    assert_eq!(history[0].status, OrderStatus::Placed);
    assert_eq!(
        history[0].actor,
        mercato::core::ordering::ActorKind::Customer
    );
    assert_eq!(history[0].actor_id, Some(order.customer_id));
}

// --- lifecycle ------------------------------------------------------------------------------

#[tokio::test]
async fn staff_move_an_order_from_placed_to_ready_for_pickup() {
    let (app, admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;
    let staff = staff_of(&app, &admin, shop.id).await;

    for status in [
        OrderStatus::Accepted,
        OrderStatus::Preparing,
        OrderStatus::ReadyForPickup,
    ] {
        let moved = staff
            .update_order_status(order.id, &to(status))
            .await
            .unwrap_or_else(|err| panic!("moving to {status:?}: {err}"));
        assert_eq!(moved.status, status);
    }

    let statuses: Vec<OrderStatus> = customer
        .order_history(order.id)
        .await
        .expect("history")
        .into_iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(
        statuses,
        [
            OrderStatus::Placed,
            OrderStatus::Accepted,
            OrderStatus::Preparing,
            OrderStatus::ReadyForPickup
        ]
    );
}

#[tokio::test]
async fn a_customer_cannot_accept_their_own_order() {
    let (app, _admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;

    assert_eq!(
        code(
            customer
                .update_order_status(order.id, &to(OrderStatus::Accepted))
                .await
        ),
        (
            Some(StatusCode::FORBIDDEN),
            "orders.forbidden_transition".to_owned()
        )
    );
}

#[tokio::test]
async fn a_customer_cancels_a_placed_order_with_a_reason() {
    let (app, _admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;

    let cancelled = customer
        .cancel_order(order.id, &changed_mind())
        .await
        .expect("cancelled");

    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    let history = customer.order_history(order.id).await.expect("history");
    let last = history.last().expect("a change");
    assert_eq!(
        (last.status, last.reason),
        (
            OrderStatus::Cancelled,
            Some(CancelReason::CustomerChangedMind)
        )
    );
}

#[tokio::test]
async fn cancel_after_acceptance_is_refused_for_customer() {
    // Cancelling an accepted order is a legal move (for the merchant or an admin); the
    // customer is the wrong actor for it: 403, not 409.
    let (app, admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;
    let staff = staff_of(&app, &admin, shop.id).await;
    staff
        .update_order_status(order.id, &to(OrderStatus::Accepted))
        .await
        .expect("accepted");

    let err = customer
        .cancel_order(order.id, &changed_mind())
        .await
        .expect_err("refused");

    assert_eq!(
        (err.status(), err.code()),
        (
            Some(StatusCode::FORBIDDEN),
            Some("orders.forbidden_transition")
        )
    );
    let still = customer.order(order.id).await.expect("visible");
    assert_eq!(still.status, OrderStatus::Accepted);
}

#[tokio::test]
async fn skipping_a_status_is_refused_naming_the_next_one() {
    let (app, admin, shop) = arrange().await;
    let (_, order) = placed_order(&app, &shop).await;
    let staff = staff_of(&app, &admin, shop.id).await;

    let err = staff
        .update_order_status(order.id, &to(OrderStatus::Preparing))
        .await
        .expect_err("refused");

    assert_eq!(
        (err.status(), err.code()),
        (
            Some(StatusCode::CONFLICT),
            Some("orders.illegal_transition")
        )
    );
    let allowed = err
        .problem()
        .and_then(|p| p.extension::<Vec<OrderStatus>>("allowedNext"))
        .expect("the problem names the allowed statuses");
    assert!(allowed.contains(&OrderStatus::Accepted), "{allowed:?}");
}

// --- reorder -------------------------------------------------------------------------------

/// A cart's (or order's) lines as sorted `(item, quantity)` pairs.
fn lines_of(cart: &Cart) -> Vec<(mercato::core::ids::ItemId, u32)> {
    let mut lines: Vec<_> = cart
        .lines
        .iter()
        .map(|l| (l.menu_item_id, l.quantity))
        .collect();
    lines.sort_unstable();
    lines
}

#[tokio::test]
async fn reordering_puts_the_orders_items_back_in_a_cart() {
    let (app, _admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;

    let cart = customer.reorder(order.id).await.expect("reordered");

    assert_eq!(cart.merchant_id, shop.id);
    let mut ordered: Vec<_> = order
        .items
        .iter()
        .map(|i| (i.menu_item_id, i.quantity))
        .collect();
    ordered.sort_unstable();
    assert_eq!(lines_of(&cart), ordered);
    let mut expected = vec![(shop.shoyu.id, 2), (shop.miso.id, 1)];
    expected.sort_unstable();
    assert_eq!(lines_of(&cart), expected);
}

#[tokio::test]
async fn reordering_leaves_out_an_item_made_unavailable() {
    let (app, admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;
    let staff = staff_of(&app, &admin, shop.id).await;
    staff
        .set_item_availability(shop.id, shop.miso.id, false)
        .await
        .expect("miso sold out");

    let cart = customer.reorder(order.id).await.expect("reordered");

    assert_eq!(cart.merchant_id, shop.id);
    assert_eq!(lines_of(&cart), vec![(shop.shoyu.id, 2)]);
}

#[tokio::test]
async fn reordering_someone_elses_order_is_not_found() {
    let (app, _admin, shop) = arrange().await;
    let (_, order) = placed_order(&app, &shop).await;
    let (stranger, _) = app.customer().await;

    let err = stranger.reorder(order.id).await.expect_err("refused");

    assert_eq!(
        (err.status(), err.code()),
        (Some(StatusCode::NOT_FOUND), Some("orders.not_found"))
    );
}
