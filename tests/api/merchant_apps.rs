//! What merchant apps need end to end: the merchants a caller works for, a merchant's order
//! queue and its live stream of orders (across processes), accepting with an estimated
//! preparation time, cancellation notes, and staff and admin routes refusing other callers
//! before they look at the body.
//!
//! The shops and orders come from `orders.rs`'s fixtures (a Tokyo ramen shop of each test's
//! own).

use std::time::Duration;

use mercato::client::{Client, MerchantOrderEvent, MerchantOrderEvents};
use mercato::core::catalog::{MerchantInput, MyMerchantsParams};
use mercato::core::ordering::{
    ActorKind, CancelReason, CancelRequest, MerchantOrderParams, Order, OrderStatus, OrderUpdate,
    StatusUpdate,
};
use reqwest::StatusCode;

use crate::orders::{arrange, changed_mind, merchant_input, open_shop, placed_order, to};
use crate::support::{TestApp, code, invalid_fields, problem_of, staff_of};

fn accept_in(minutes: u16) -> StatusUpdate {
    StatusUpdate {
        estimated_prep_minutes: Some(minutes),
        ..to(OrderStatus::Accepted)
    }
}

// --- the caller's merchants ----------------------------------------------------------------

#[tokio::test]
async fn staff_see_exactly_their_merchants_with_their_open_state() {
    let (app, admin, shop) = arrange().await;
    let other = open_shop(&admin).await;
    let staff = staff_of(&app, &admin, shop.id).await;

    let mine = staff
        .my_merchants(&MyMerchantsParams::default())
        .await
        .expect("listed");

    let ids: Vec<_> = mine.items.iter().map(|m| m.merchant.id).collect();
    assert_eq!(ids, [shop.id], "not the other merchant {}", other.id);
    assert!(mine.items[0].open_now, "the shop is open around the clock");
    assert_eq!(mine.next_cursor, None);
}

#[tokio::test]
async fn staff_of_two_merchants_page_through_both() {
    let (app, admin, shop) = arrange().await;
    let second = open_shop(&admin).await;
    let (staff, session) = app.customer().await;
    for merchant in [shop.id, second.id] {
        admin
            .add_staff(merchant, session.user.id)
            .await
            .expect("made staff");
    }

    let first_page = staff
        .my_merchants(&MyMerchantsParams {
            limit: Some(1),
            ..MyMerchantsParams::default()
        })
        .await
        .expect("first page");
    let cursor = first_page.next_cursor.clone().expect("a second page");
    let second_page = staff
        .my_merchants(&MyMerchantsParams {
            limit: Some(1),
            cursor: Some(mercato::core::ids::MerchantId(
                cursor.parse().expect("a merchant id"),
            )),
            ..MyMerchantsParams::default()
        })
        .await
        .expect("second page");

    let mut seen: Vec<_> = first_page
        .items
        .iter()
        .chain(&second_page.items)
        .map(|m| m.merchant.id)
        .collect();
    seen.sort();
    let mut expected = vec![shop.id, second.id];
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(second_page.next_cursor, None);
}

#[tokio::test]
async fn admins_find_any_merchant_by_name_and_city() {
    let (_app, admin, _shop) = arrange().await;
    let name = format!("Kitchen Finder {}", uuid::Uuid::now_v7().simple());
    let created = admin
        .create_merchant(&MerchantInput {
            name: name.clone(),
            ..merchant_input()
        })
        .await
        .expect("created");

    let found = admin
        .my_merchants(&MyMerchantsParams {
            q: Some(name.to_uppercase()),
            city_id: Some(created.city_id),
            ..MyMerchantsParams::default()
        })
        .await
        .expect("listed");

    assert_eq!(
        found
            .items
            .iter()
            .map(|m| m.merchant.id)
            .collect::<Vec<_>>(),
        [created.id]
    );
}

#[tokio::test]
async fn customers_have_no_merchants_and_bad_filters_are_named() {
    let (app, admin, _shop) = arrange().await;
    let (customer, _) = app.customer().await;

    assert_eq!(
        code(customer.my_merchants(&MyMerchantsParams::default()).await),
        (
            Some(StatusCode::FORBIDDEN),
            "merchants.not_staff".to_owned()
        )
    );
    assert_eq!(
        invalid_fields(
            admin
                .my_merchants(&MyMerchantsParams {
                    q: Some("x".to_owned()),
                    limit: Some(500),
                    ..MyMerchantsParams::default()
                })
                .await
        ),
        ["limit", "q"]
    );
}

// --- the merchant's order queue -------------------------------------------------------------

#[tokio::test]
async fn the_queue_lists_the_merchants_orders_newest_first_by_status_and_page() {
    let (app, admin, shop) = arrange().await;
    let other = open_shop(&admin).await;
    let (_, elsewhere) = placed_order(&app, &other).await;
    let (_, first) = placed_order(&app, &shop).await;
    let (_, second) = placed_order(&app, &shop).await;
    let (_, third) = placed_order(&app, &shop).await;
    let staff = staff_of(&app, &admin, shop.id).await;
    staff
        .update_order_status(second.id, &to(OrderStatus::Accepted))
        .await
        .expect("accepted");

    let all = staff
        .merchant_orders(shop.id, &MerchantOrderParams::default())
        .await
        .expect("queue");
    let placed = staff
        .merchant_orders(
            shop.id,
            &MerchantOrderParams {
                status: Some(OrderStatus::Placed),
                ..MerchantOrderParams::default()
            },
        )
        .await
        .expect("placed ones");
    let page = staff
        .merchant_orders(
            shop.id,
            &MerchantOrderParams {
                limit: Some(2),
                ..MerchantOrderParams::default()
            },
        )
        .await
        .expect("first page");
    let rest = staff
        .merchant_orders(
            shop.id,
            &MerchantOrderParams {
                limit: Some(2),
                cursor: page.items.last().map(|o| o.id),
                ..MerchantOrderParams::default()
            },
        )
        .await
        .expect("second page");

    let ids = |orders: &[Order]| orders.iter().map(|o| o.id).collect::<Vec<_>>();
    assert_eq!(ids(&all.items), [third.id, second.id, first.id]);
    assert!(!ids(&all.items).contains(&elsewhere.id));
    assert_eq!(ids(&placed.items), [third.id, first.id]);
    assert_eq!(ids(&page.items), [third.id, second.id]);
    assert!(page.next_cursor.is_some());
    assert_eq!(ids(&rest.items), [first.id]);
    assert_eq!(rest.next_cursor, None);
}

#[tokio::test]
async fn the_queue_starts_where_it_is_asked_to() {
    let (app, admin, shop) = arrange().await;
    let (_, earlier) = placed_order(&app, &shop).await;
    let (_, later) = placed_order(&app, &shop).await;

    let since = admin
        .merchant_orders(
            shop.id,
            &MerchantOrderParams {
                from: Some(later.created_at),
                ..MerchantOrderParams::default()
            },
        )
        .await
        .expect("queue since the later order");

    assert_eq!(
        since.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        [later.id]
    );
    assert!(earlier.created_at < later.created_at);
}

#[tokio::test]
async fn only_the_merchants_staff_and_admins_see_its_queue() {
    let (app, admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;
    let other = open_shop(&admin).await;
    let other_staff = staff_of(&app, &admin, other.id).await;
    let (courier, _) = app.courier().await;

    assert_eq!(
        code(
            customer
                .merchant_orders(shop.id, &MerchantOrderParams::default())
                .await
        ),
        (Some(StatusCode::FORBIDDEN), "orders.staff_only".to_owned())
    );
    assert_eq!(
        code(
            courier
                .merchant_orders(shop.id, &MerchantOrderParams::default())
                .await
        ),
        (Some(StatusCode::FORBIDDEN), "orders.staff_only".to_owned())
    );
    assert_eq!(
        code(
            other_staff
                .merchant_orders(shop.id, &MerchantOrderParams::default())
                .await
        ),
        (
            Some(StatusCode::NOT_FOUND),
            "merchants.not_found".to_owned()
        )
    );
    // A cursor from another merchant's queue is refused, not followed.
    let other_order = placed_order(&app, &other).await.1;
    assert_eq!(
        invalid_fields(
            admin
                .merchant_orders(
                    shop.id,
                    &MerchantOrderParams {
                        cursor: Some(other_order.id),
                        ..MerchantOrderParams::default()
                    },
                )
                .await
        ),
        ["cursor"]
    );
    let seen = admin
        .merchant_orders(shop.id, &MerchantOrderParams::default())
        .await
        .expect("admins see every queue");
    assert_eq!(seen.items[0].id, order.id);
}

// --- the merchant's live stream --------------------------------------------------------------

/// The next event of a merchant stream, within ten seconds.
async fn next_event(events: &mut MerchantOrderEvents) -> MerchantOrderEvent {
    tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("an event within ten seconds")
        .expect("the stream goes on")
        .expect("the event parses")
}

#[tokio::test]
async fn a_kitchen_hears_new_orders_and_status_changes_placed_through_another_process() {
    let (app, admin, shop) = arrange().await;
    // The tablet is connected to another server process than the customer's.
    let other_process = TestApp::spawn().await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let tablet = Client::new(&other_process.base_url);
    tablet.set_access_token(staff.access_token());
    let mut events = tablet
        .merchant_order_events(shop.id)
        .await
        .expect("subscribed");

    let (customer, order) = placed_order(&app, &shop).await;
    let placed = next_event(&mut events).await;
    staff
        .update_order_status(order.id, &accept_in(25))
        .await
        .expect("accepted");
    let accepted = next_event(&mut events).await;
    customer
        .order(order.id)
        .await
        .expect("the customer still sees the order");

    match placed {
        MerchantOrderEvent::OrderPlaced(placed) => {
            assert_eq!(placed.id, order.id);
            assert_eq!(placed.items.len(), order.items.len());
            assert_eq!(placed.summary.total, order.summary.total);
        }
        other => panic!("expected the new order first, got {other:?}"),
    }
    match accepted {
        MerchantOrderEvent::Status(OrderUpdate::Status {
            order_id,
            status,
            merchant_id,
            ..
        }) => {
            assert_eq!(
                (order_id, status, merchant_id),
                (order.id, OrderStatus::Accepted, Some(shop.id))
            );
        }
        other => panic!("expected the acceptance, got {other:?}"),
    }
}

#[tokio::test]
async fn a_kitchen_hears_only_its_own_merchants_orders() {
    let (app, admin, shop) = arrange().await;
    let other = open_shop(&admin).await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let mut events = staff
        .merchant_order_events(shop.id)
        .await
        .expect("subscribed");

    placed_order(&app, &other).await;
    let (_, mine) = placed_order(&app, &shop).await;

    match next_event(&mut events).await {
        MerchantOrderEvent::OrderPlaced(order) => assert_eq!(order.id, mine.id),
        other => panic!("expected this merchant's order, got {other:?}"),
    }
}

#[tokio::test]
async fn a_kitchen_stream_ends_when_its_staff_member_is_removed() {
    let (app, admin, shop) = arrange().await;
    let (staff, session) = app.customer().await;
    admin
        .add_staff(shop.id, session.user.id)
        .await
        .expect("made staff");
    let mut events = staff
        .merchant_order_events(shop.id)
        .await
        .expect("subscribed");

    admin
        .remove_staff(shop.id, session.user.id)
        .await
        .expect("removed");

    // Streams check their watcher every 30 seconds.
    let ended = tokio::time::timeout(Duration::from_secs(45), async {
        loop {
            match events.next().await {
                None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream outlived the membership");
    placed_order(&app, &shop).await;
    assert_eq!(
        code(
            staff
                .merchant_orders(shop.id, &MerchantOrderParams::default())
                .await
        ),
        (
            Some(StatusCode::NOT_FOUND),
            "merchants.not_found".to_owned()
        )
    );
}

#[tokio::test]
async fn only_the_merchants_staff_and_admins_follow_its_orders() {
    let (app, admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let other = open_shop(&admin).await;
    let other_staff = staff_of(&app, &admin, other.id).await;

    assert_eq!(
        code(customer.merchant_order_events(shop.id).await),
        (Some(StatusCode::FORBIDDEN), "orders.staff_only".to_owned())
    );
    assert_eq!(
        code(other_staff.merchant_order_events(shop.id).await),
        (
            Some(StatusCode::NOT_FOUND),
            "merchants.not_found".to_owned()
        )
    );
    assert!(admin.merchant_order_events(shop.id).await.is_ok());
}

// --- accepting with an estimate, cancelling with a note -----------------------------------

#[tokio::test]
async fn an_estimate_given_on_accepting_is_kept_and_drives_the_eta() {
    let (app, admin, shop) = arrange().await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let (customer, quick) = placed_order(&app, &shop).await;
    let (slow_customer, slow) = placed_order(&app, &shop).await;

    staff
        .update_order_status(quick.id, &to(OrderStatus::Accepted))
        .await
        .expect("accepted with the usual time");
    staff
        .update_order_status(slow.id, &accept_in(90))
        .await
        .expect("accepted with an estimate");

    let history = slow_customer.order_history(slow.id).await.expect("history");
    let accepted = history
        .iter()
        .find(|c| c.status == OrderStatus::Accepted)
        .expect("accepted entry");
    assert_eq!(accepted.estimated_prep_minutes, Some(90));
    assert_eq!(accepted.actor, ActorKind::MerchantStaff);
    let usual = customer.tracking(quick.id).await.expect("tracking");
    let estimated = slow_customer.tracking(slow.id).await.expect("tracking");
    let (usual, estimated) = (
        usual.eta_minutes.expect("an ETA"),
        estimated.eta_minutes.expect("an ETA"),
    );
    // The shop usually prepares in 15 minutes; the estimate says 90.
    assert!(
        estimated >= usual + 70,
        "usual {usual} min, estimated {estimated} min"
    );
}

#[tokio::test]
async fn an_estimate_is_only_for_accepting_and_within_range() {
    let (app, admin, shop) = arrange().await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let (_, order) = placed_order(&app, &shop).await;

    assert_eq!(
        invalid_fields(staff.update_order_status(order.id, &accept_in(0)).await),
        ["estimatedPrepMinutes"]
    );
    assert_eq!(
        invalid_fields(staff.update_order_status(order.id, &accept_in(181)).await),
        ["estimatedPrepMinutes"]
    );
    staff
        .update_order_status(order.id, &to(OrderStatus::Accepted))
        .await
        .expect("accepted");
    let preparing = StatusUpdate {
        estimated_prep_minutes: Some(20),
        ..to(OrderStatus::Preparing)
    };
    assert_eq!(
        invalid_fields(staff.update_order_status(order.id, &preparing).await),
        ["estimatedPrepMinutes"]
    );
}

#[tokio::test]
async fn a_cancellation_keeps_the_callers_note_beside_the_reason() {
    let (app, _admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;

    let too_long = CancelRequest {
        note: Some("x".repeat(501)),
        ..changed_mind()
    };
    assert_eq!(
        invalid_fields(customer.cancel_order(order.id, &too_long).await),
        ["note"]
    );
    customer
        .cancel_order(
            order.id,
            &CancelRequest {
                note: Some("  ordered at the wrong address  ".to_owned()),
                ..changed_mind()
            },
        )
        .await
        .expect("cancelled");

    let history = customer.order_history(order.id).await.expect("history");
    let cancelled = history.last().expect("an entry");
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    assert_eq!(cancelled.reason, Some(CancelReason::CustomerChangedMind));
    assert_eq!(
        cancelled.note.as_deref(),
        Some("ordered at the wrong address")
    );
}

// --- authorization before the body ----------------------------------------------------------

#[tokio::test]
async fn admin_and_staff_routes_refuse_others_whatever_the_body() {
    let (app, _admin, shop) = arrange().await;
    let (customer, _) = app.customer().await;
    let token = customer.access_token().expect("a token");
    let http = reqwest::Client::new();
    let send = |method: reqwest::Method, path: &str, body: &'static str| {
        http.request(method, format!("{}{path}", app.base_url))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
    };

    for (method, path, expected) in [
        (
            reqwest::Method::POST,
            "/api/merchants".to_owned(),
            "merchants.admin_only",
        ),
        (
            reqwest::Method::PUT,
            format!("/api/merchants/{}/pause", shop.id),
            "merchants.not_staff",
        ),
        (
            reqwest::Method::POST,
            "/api/locations/countries".to_owned(),
            "locations.admin_only",
        ),
    ] {
        for body in [r#"{"name": 7}"#, "not json", "{}"] {
            let (status, problem) = problem_of(send(method.clone(), &path, body)).await;
            assert_eq!(
                (status, problem.code.as_str()),
                (StatusCode::FORBIDDEN, expected),
                "{method} {path} with {body}"
            );
        }
    }
}

#[tokio::test]
async fn an_admin_still_learns_which_field_is_wrong() {
    let (app, admin, _shop) = arrange().await;
    let token = admin.access_token().expect("a token");

    let (status, problem) = problem_of(
        reqwest::Client::new()
            .post(format!("{}/api/merchants", app.base_url))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(r#"{"name": 7}"#),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation.failed")
    );
    assert_eq!(problem.errors[0].field, "name");
}

#[tokio::test]
async fn courier_routes_refuse_others_whatever_the_body() {
    let (app, _admin, shop) = arrange().await;
    let (customer, order) = placed_order(&app, &shop).await;
    let token = customer.access_token().expect("a token");
    let http = reqwest::Client::new();

    for (method, path, expected) in [
        (
            reqwest::Method::PUT,
            "/api/couriers/me/status".to_owned(),
            "couriers.couriers_only",
        ),
        (
            reqwest::Method::POST,
            format!("/api/orders/{}/assign-courier", order.id),
            "couriers.assign_forbidden",
        ),
        (
            reqwest::Method::POST,
            format!("/api/orders/{}/location", order.id),
            "tracking.not_assigned_courier",
        ),
    ] {
        for body in [
            r#"{"lat": "north"}"#,
            "not json",
            "{}",
            r#"{"courierId": 7}"#,
        ] {
            let request = http
                .request(method.clone(), format!("{}{path}", app.base_url))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body);
            let (status, problem) = problem_of(request).await;
            assert_eq!(
                (status, problem.code.as_str()),
                (StatusCode::FORBIDDEN, expected),
                "{method} {path} with {body}"
            );
        }
    }
}
