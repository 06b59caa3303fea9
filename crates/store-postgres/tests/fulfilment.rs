//! Fulfilment and insights against a real PostgreSQL: courier status, dispatch (explicit,
//! nearest, and racing), positions and tracking, the live updates published on commit,
//! reviews with courier rating aggregates, statistics, and the tracking purge.

mod common;

use std::time::Duration as StdDuration;

use common::NOW;
use mercato_core::events::{DomainEvent, OutboxEvent};
use mercato_core::geo::{LatLng, TaxClass};
use mercato_core::ids::{CartId, EventId, ItemId, MerchantId, OrderId, ReviewId, UserId};
use mercato_core::money::{CurrencyCode, Money};
use mercato_core::ordering::{
    AssignOutcome, CardReference, CartStore, CourierChoice, CourierPosition, CourierStatus,
    CourierStore, DeliveryDetails, IdempotencyKey, InsightStore, Order, OrderItem, OrderReview,
    OrderStatus, OrderStore, OrderUpdate, PaymentChoice, PendingAssignment, Placed, Placement,
    PositionOutcome, StatsRows, StatusChange, StoredCart,
};
use mercato_core::pricing::{LineTotal, PriceSummary};
use mercato_store_postgres::{OrderUpdateListener, PgStore};
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Where the merchant of the dispatch tests is.
const SHOP: LatLng = LatLng {
    lat: 52.52,
    lng: 13.405,
};

fn eur(minor: i64) -> Money {
    Money::new(minor, CurrencyCode::parse("EUR").expect("valid currency"))
}

/// `metres` north of the shop.
fn north_of_shop(metres: f64) -> (f64, f64) {
    (SHOP.lat + metres / 111_195.0, SHOP.lng)
}

/// An order of a fresh customer at `merchant`, created at `at`, totalling 26.60 EUR.
fn new_order(merchant: MerchantId, at: OffsetDateTime) -> Order {
    let items = vec![OrderItem {
        menu_item_id: ItemId::new(),
        name: "Margherita".to_owned(),
        quantity: 2,
        options: Vec::new(),
        unit_price: eur(1200),
        tax_class: TaxClass::Food,
        line_total: eur(2400),
        note: None,
    }];
    let summary = PriceSummary {
        lines: items
            .iter()
            .map(|i| LineTotal {
                unit_price: i.unit_price.clone(),
                quantity: i.quantity,
                tax_class: i.tax_class,
                total: i.line_total.clone(),
            })
            .collect(),
        subtotal: eur(2400),
        delivery_fee: eur(260),
        service_fee: eur(0),
        small_order_fee: eur(0),
        discount: eur(0),
        tip: eur(0),
        tax: eur(0),
        tax_included: true,
        tax_breakdown: Vec::new(),
        total: eur(2660),
    };
    Order {
        id: OrderId::new(),
        customer_id: UserId::new(),
        merchant_id: merchant,
        merchant_name: "Luigi's".to_owned(),
        status: OrderStatus::PendingPayment,
        items,
        delivery: DeliveryDetails {
            address: "Torstraße 1, 10119 Berlin".to_owned(),
            lat: 52.529,
            lng: 13.401,
            instructions: None,
            contact_phone: "+4930123456".to_owned(),
        },
        payment_method: PaymentChoice::Card(CardReference {
            id: "pm_123".to_owned(),
        }),
        summary,
        scheduled_for: None,
        courier_id: None,
        created_at: at,
        updated_at: at,
    }
}

/// Places `order` from a fresh cart under a fresh key, as checkout does.
async fn place(store: &PgStore, order: &Order) {
    let (cart, _) = store
        .open_cart(&StoredCart {
            id: CartId::new(),
            customer: order.customer_id,
            merchant_id: order.merchant_id,
            lines: Vec::new(),
            created_at: NOW,
            updated_at: NOW,
            revision: 0,
        })
        .await
        .expect("open cart");
    let key = IdempotencyKey {
        customer: order.customer_id,
        key: order.id.to_string(),
        fingerprint: "request".to_owned(),
    };
    let placed = store
        .place_order(&Placement {
            order: order.clone(),
            first: StatusChange {
                status: order.status,
                actor: mercato_core::ordering::ActorKind::Customer,
                actor_id: Some(order.customer_id),
                reason: None,
                at: order.created_at,
                estimated_prep_minutes: None,
                note: None,
            },
            cart: cart.id,
            cart_version: 0,
            events: Vec::new(),
            key,
            response: serde_json::json!({"id": order.id}),
        })
        .await
        .expect("place order");
    assert_eq!(placed, Placed::Placed);
}

/// A placed order (status `placed`) of `merchant` created at [`NOW`].
async fn placed_order(store: &PgStore, merchant: MerchantId) -> Order {
    let order = new_order(merchant, NOW);
    place(store, &order).await;
    move_to(
        store,
        &order,
        OrderStatus::PendingPayment,
        OrderStatus::Placed,
        NOW,
    )
    .await;
    order
}

/// Moves `order` from `from` to `to` at `at`.
async fn move_to(
    store: &PgStore,
    order: &Order,
    from: OrderStatus,
    to: OrderStatus,
    at: OffsetDateTime,
) {
    let moved = store
        .change_status(
            order.id,
            from,
            &StatusChange {
                status: to,
                actor: mercato_core::ordering::ActorKind::System,
                actor_id: None,
                reason: None,
                at,
                estimated_prep_minutes: None,
                note: None,
            },
            &[],
        )
        .await
        .expect("change status");
    assert!(moved, "{from:?} -> {to:?}");
}

fn position(lat: f64, lng: f64, at: OffsetDateTime) -> CourierPosition {
    CourierPosition {
        lat,
        lng,
        heading_deg: Some(90.0),
        speed_kmh: Some(18.0),
        at,
    }
}

/// A courier online `metres` north of the shop since `at`.
async fn online_courier(store: &PgStore, name: &str, metres: f64, at: OffsetDateTime) -> UserId {
    let courier = UserId::new();
    let (lat, lng) = north_of_shop(metres);
    store
        .set_courier_status(courier, name, true, Some(position(lat, lng, at)), at)
        .await
        .expect("courier online");
    courier
}

fn pending(order: &Order) -> PendingAssignment {
    PendingAssignment {
        event_id: EventId::new(),
        at: NOW,
        order_id: order.id,
        customer_id: order.customer_id,
        merchant_id: order.merchant_id,
    }
}

fn nearest() -> CourierChoice {
    CourierChoice::Nearest {
        near: SHOP,
        radius_m: 15_000.0,
        fresh_since: NOW - Duration::minutes(15),
    }
}

async fn assign(store: &PgStore, choice: CourierChoice, order: &Order) -> AssignOutcome {
    store
        .assign_courier(choice, &pending(order))
        .await
        .expect("assign")
}

fn assigned(outcome: AssignOutcome) -> CourierStatus {
    match outcome {
        AssignOutcome::Assigned(courier) => courier,
        other => panic!("expected an assignment, got {other:?}"),
    }
}

async fn count(pool: &PgPool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

async fn order_courier(pool: &PgPool, order: OrderId) -> Option<Uuid> {
    sqlx::query_scalar("select courier_id from ordering.orders where id = $1")
        .bind(order.0)
        .fetch_one(pool)
        .await
        .expect("order courier")
}

async fn next_update(listener: &mut OrderUpdateListener) -> OrderUpdate {
    tokio::time::timeout(StdDuration::from_secs(5), listener.try_recv())
        .await
        .expect("an update within 5 s")
        .expect("update")
        .expect("an update, not a lost connection")
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_courier_status_keeps_the_position_while_online_and_forgets_it_offline(pool: PgPool) {
    let store = PgStore::new(pool);
    let courier = UserId::new();
    let at = NOW - Duration::minutes(5);

    let created = store
        .set_courier_status(courier, "Kim", true, Some(position(52.5, 13.4, at)), at)
        .await
        .expect("online");
    let renamed = store
        .set_courier_status(courier, "Kimberly", true, None, NOW - Duration::minutes(1))
        .await
        .expect("still online");
    let offline = store
        .set_courier_status(courier, "Kimberly", false, None, NOW)
        .await
        .expect("offline");
    let read = store.courier(courier).await.expect("read");
    let unknown = store.courier(UserId::new()).await.expect("read");

    assert_eq!(created.courier_id, courier);
    assert!(created.online);
    assert_eq!(created.position, Some(position(52.5, 13.4, at)));
    assert_eq!(created.active_order_id, None);
    assert_eq!(created.updated_at, at);
    assert_eq!(renamed.first_name, "Kimberly");
    assert_eq!(renamed.position, Some(position(52.5, 13.4, at)));
    assert!(!offline.online);
    assert_eq!(
        offline.position, None,
        "an off-duty courier's whereabouts are not kept"
    );
    assert_eq!(offline.updated_at, NOW);
    assert_eq!(read, Some(offline));
    assert_eq!(unknown, None);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_new_position_replaces_the_old_one(pool: PgPool) {
    let store = PgStore::new(pool);
    let courier = online_courier(&store, "Kim", 100.0, NOW - Duration::hours(1)).await;
    let new = CourierPosition {
        lat: 52.0,
        lng: 13.0,
        heading_deg: None,
        speed_kmh: None,
        at: NOW,
    };

    let status = store
        .set_courier_status(courier, "Kim", true, Some(new), NOW)
        .await
        .expect("online");

    assert_eq!(status.position, Some(new));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn nearest_dispatch_picks_the_nearest_fresh_online_free_courier(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let merchant = MerchantId::new();
    let fresh = NOW - Duration::minutes(1);
    let offline = online_courier(&store, "Off", 100.0, fresh).await;
    store
        .set_courier_status(offline, "Off", false, None, NOW)
        .await
        .expect("offline");
    online_courier(&store, "Stale", 200.0, NOW - Duration::minutes(20)).await;
    let busy = online_courier(&store, "Busy", 300.0, fresh).await;
    let other = placed_order(&store, merchant).await;
    assigned(assign(&store, CourierChoice::Given(busy), &other).await);
    online_courier(&store, "Far", 20_000.0, fresh).await;
    online_courier(&store, "Second", 2_000.0, fresh).await;
    let nearest_free = online_courier(&store, "Nearest", 1_000.0, fresh).await;
    let order = placed_order(&store, merchant).await;

    let courier = assigned(assign(&store, nearest(), &order).await);

    assert_eq!(courier.courier_id, nearest_free);
    assert_eq!(courier.first_name, "Nearest");
    assert_eq!(courier.active_order_id, Some(order.id));
    assert_eq!(order_courier(&pool, order.id).await, Some(nearest_free.0));
    let read = store.courier(nearest_free).await.expect("read");
    assert_eq!(read.and_then(|c| c.active_order_id), Some(order.id));
    let assigned_order = store.order(order.id).await.expect("read").expect("order");
    assert_eq!(assigned_order.courier_id, Some(nearest_free));
    assert_eq!(assigned_order.updated_at, NOW);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn nearest_dispatch_without_a_qualifying_courier_finds_none(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    online_courier(&store, "Far", 20_000.0, NOW).await;
    online_courier(&store, "Stale", 10.0, NOW - Duration::hours(1)).await;
    let order = placed_order(&store, MerchantId::new()).await;

    let outcome = assign(&store, nearest(), &order).await;

    assert_eq!(outcome, AssignOutcome::NoCourier);
    assert_eq!(order_courier(&pool, order.id).await, None);
    assert_eq!(
        count(&pool, "select count(*) from platform.outbox").await,
        0
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn assignment_records_the_courier_assigned_event(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let courier = online_courier(&store, "Kim", 500.0, NOW).await;
    let order = placed_order(&store, MerchantId::new()).await;
    let pending = pending(&order);

    let outcome = store
        .assign_courier(CourierChoice::Given(courier), &pending)
        .await
        .expect("assign");

    assigned(outcome);
    let (id, topic, payload): (Uuid, String, serde_json::Value) =
        sqlx::query_as("select id, topic, payload from platform.outbox")
            .fetch_one(&pool)
            .await
            .expect("one event");
    assert_eq!(id, pending.event_id.0);
    assert_eq!(topic, "ordering.courier_assigned");
    let event: OutboxEvent = serde_json::from_value(payload).expect("event");
    assert_eq!(event, pending.into_event(courier));
    assert!(matches!(
        event.event,
        DomainEvent::CourierAssigned { courier_id, .. } if courier_id == courier
    ));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_given_courier_must_be_known_online_and_free(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let merchant = MerchantId::new();
    let busy = online_courier(&store, "Busy", 100.0, NOW).await;
    assigned(
        assign(
            &store,
            CourierChoice::Given(busy),
            &placed_order(&store, merchant).await,
        )
        .await,
    );
    let offline = online_courier(&store, "Off", 100.0, NOW).await;
    store
        .set_courier_status(offline, "Off", false, None, NOW)
        .await
        .expect("offline");
    // Position freshness does not matter for an explicit choice.
    let stale = online_courier(&store, "Stale", 100.0, NOW - Duration::days(1)).await;
    let order = placed_order(&store, merchant).await;
    let events = count(&pool, "select count(*) from platform.outbox").await;

    let to_busy = assign(&store, CourierChoice::Given(busy), &order).await;
    let to_offline = assign(&store, CourierChoice::Given(offline), &order).await;
    let to_unknown = assign(&store, CourierChoice::Given(UserId::new()), &order).await;

    assert_eq!(to_busy, AssignOutcome::CourierUnavailable);
    assert_eq!(to_offline, AssignOutcome::CourierUnavailable);
    assert_eq!(to_unknown, AssignOutcome::CourierUnavailable);
    assert_eq!(order_courier(&pool, order.id).await, None);
    assert_eq!(
        count(&pool, "select count(*) from platform.outbox").await,
        events
    );
    let courier = assigned(assign(&store, CourierChoice::Given(stale), &order).await);
    assert_eq!(courier.courier_id, stale);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_assigned_or_finished_order_is_not_assignable_and_nothing_is_written(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let merchant = MerchantId::new();
    let first = online_courier(&store, "First", 100.0, NOW).await;
    let free = online_courier(&store, "Free", 200.0, NOW).await;
    let taken = placed_order(&store, merchant).await;
    assigned(assign(&store, CourierChoice::Given(first), &taken).await);
    let delivered = placed_order(&store, merchant).await;
    move_to(
        &store,
        &delivered,
        OrderStatus::Placed,
        OrderStatus::Delivered,
        NOW,
    )
    .await;
    let unpaid = new_order(merchant, NOW);
    place(&store, &unpaid).await;
    let events = count(&pool, "select count(*) from platform.outbox").await;

    let again = assign(&store, CourierChoice::Given(free), &taken).await;
    let nearest_again = assign(&store, nearest(), &taken).await;
    let finished = assign(&store, CourierChoice::Given(free), &delivered).await;
    let not_paid = assign(&store, nearest(), &unpaid).await;

    assert_eq!(again, AssignOutcome::OrderNotAssignable);
    assert_eq!(nearest_again, AssignOutcome::OrderNotAssignable);
    assert_eq!(finished, AssignOutcome::OrderNotAssignable);
    assert_eq!(not_paid, AssignOutcome::OrderNotAssignable);
    assert_eq!(order_courier(&pool, taken.id).await, Some(first.0));
    assert_eq!(order_courier(&pool, delivered.id).await, None);
    let free = store.courier(free).await.expect("read").expect("courier");
    assert_eq!(free.active_order_id, None);
    assert_eq!(
        count(&pool, "select count(*) from platform.outbox").await,
        events
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn concurrent_dispatches_give_one_free_courier_exactly_one_order(pool: PgPool) {
    let store_a = PgStore::new(pool.clone());
    let store_b = PgStore::new(pool.clone());
    let merchant = MerchantId::new();
    for round in 0..5 {
        let courier = online_courier(&store_a, "Only", 500.0, NOW).await;
        let one = placed_order(&store_a, merchant).await;
        let two = placed_order(&store_a, merchant).await;
        let (pending_one, pending_two) = (pending(&one), pending(&two));

        let (a, b) = tokio::join!(
            store_a.assign_courier(nearest(), &pending_one),
            store_b.assign_courier(nearest(), &pending_two)
        );

        let outcomes = [a.expect("assign"), b.expect("assign")];
        let winners: Vec<&AssignOutcome> = outcomes
            .iter()
            .filter(|o| matches!(o, AssignOutcome::Assigned(_)))
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {outcomes:?}");
        assert!(
            outcomes.contains(&AssignOutcome::NoCourier),
            "round {round}: {outcomes:?}"
        );
        let with_courier: i64 = sqlx::query_scalar(
            "select count(*) from ordering.orders where id = any($1) and courier_id = $2",
        )
        .bind(vec![one.id.0, two.id.0])
        .bind(courier.0)
        .fetch_one(&pool)
        .await
        .expect("count");
        assert_eq!(with_courier, 1, "round {round}");
        // The courier is busy now: the next round brings a fresh one.
    }
    assert_eq!(
        count(&pool, "select count(*) from platform.outbox").await,
        5
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn concurrent_explicit_assignments_of_one_courier_give_one_order(pool: PgPool) {
    let store_a = PgStore::new(pool.clone());
    let store_b = PgStore::new(pool.clone());
    let merchant = MerchantId::new();
    let courier = online_courier(&store_a, "Only", 500.0, NOW).await;
    let one = placed_order(&store_a, merchant).await;
    let two = placed_order(&store_a, merchant).await;
    let (pending_one, pending_two) = (pending(&one), pending(&two));

    let (a, b) = tokio::join!(
        store_a.assign_courier(CourierChoice::Given(courier), &pending_one),
        store_b.assign_courier(CourierChoice::Given(courier), &pending_two)
    );

    let outcomes = [a.expect("assign"), b.expect("assign")];
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, AssignOutcome::Assigned(_)))
            .count(),
        1,
        "{outcomes:?}"
    );
    assert!(outcomes.contains(&AssignOutcome::CourierUnavailable));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn positions_are_recorded_for_the_active_order_at_most_once_per_interval(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let merchant = MerchantId::new();
    let courier = online_courier(&store, "Kim", 500.0, NOW).await;
    let order = placed_order(&store, merchant).await;
    let other = placed_order(&store, merchant).await;
    assigned(assign(&store, CourierChoice::Given(courier), &order).await);
    let interval = Duration::seconds(1);
    let at = |seconds: f64| NOW + Duration::seconds_f64(seconds);

    // Placed is assignable but not trackable.
    let too_early = store
        .record_position(courier, order.id, &position(52.5, 13.4, at(10.0)), interval)
        .await
        .expect("record");
    move_to(
        &store,
        &order,
        OrderStatus::Placed,
        OrderStatus::Accepted,
        at(11.0),
    )
    .await;
    // A status update with a position just before does not count against the throttle:
    // only posted tracking points do.
    store
        .set_courier_status(
            courier,
            "Kim",
            true,
            Some(position(52.509, 13.409, at(19.9))),
            at(19.9),
        )
        .await
        .expect("status");
    let first = store
        .record_position(
            courier,
            order.id,
            &position(52.51, 13.41, at(20.0)),
            interval,
        )
        .await
        .expect("record");
    let too_soon = store
        .record_position(
            courier,
            order.id,
            &position(52.52, 13.42, at(20.5)),
            interval,
        )
        .await
        .expect("record");
    let second = store
        .record_position(
            courier,
            order.id,
            &position(52.53, 13.43, at(21.0)),
            interval,
        )
        .await
        .expect("record");
    let wrong_order = store
        .record_position(
            courier,
            other.id,
            &position(52.54, 13.44, at(40.0)),
            interval,
        )
        .await
        .expect("record");
    let not_the_courier = store
        .record_position(
            UserId::new(),
            order.id,
            &position(52.54, 13.44, at(40.0)),
            interval,
        )
        .await
        .expect("record");

    assert_eq!(too_early, PositionOutcome::NotActive);
    assert_eq!(first, PositionOutcome::Recorded);
    assert_eq!(too_soon, PositionOutcome::TooFrequent);
    assert_eq!(second, PositionOutcome::Recorded);
    assert_eq!(wrong_order, PositionOutcome::NotActive);
    assert_eq!(not_the_courier, PositionOutcome::NotActive);
    assert_eq!(
        count(&pool, "select count(*) from ordering.order_tracking").await,
        2
    );
    assert_eq!(
        store.last_position(order.id).await.expect("last"),
        Some(position(52.53, 13.43, at(21.0)))
    );
    assert_eq!(store.last_position(other.id).await.expect("last"), None);
    let status = store
        .courier(courier)
        .await
        .expect("read")
        .expect("courier");
    assert_eq!(status.position, Some(position(52.53, 13.43, at(21.0))));

    move_to(
        &store,
        &order,
        OrderStatus::Accepted,
        OrderStatus::Delivered,
        at(30.0),
    )
    .await;
    let after_delivery = store
        .record_position(
            courier,
            order.id,
            &position(52.55, 13.45, at(50.0)),
            interval,
        )
        .await
        .expect("record");

    assert_eq!(after_delivery, PositionOutcome::NotActive);
    let status = store
        .courier(courier)
        .await
        .expect("read")
        .expect("courier");
    assert_eq!(status.active_order_id, None);
    assert_eq!(status.updated_at, at(30.0));
    // Free again, the courier can take the other order.
    assigned(assign(&store, CourierChoice::Given(courier), &other).await);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn cancelling_frees_the_courier(pool: PgPool) {
    let store = PgStore::new(pool);
    let courier = online_courier(&store, "Kim", 500.0, NOW).await;
    let order = placed_order(&store, MerchantId::new()).await;
    assigned(assign(&store, CourierChoice::Given(courier), &order).await);

    move_to(
        &store,
        &order,
        OrderStatus::Placed,
        OrderStatus::Cancelled,
        NOW,
    )
    .await;

    let status = store
        .courier(courier)
        .await
        .expect("read")
        .expect("courier");
    assert_eq!(status.active_order_id, None);
    let order = store.order(order.id).await.expect("read").expect("order");
    assert_eq!(
        order.courier_id,
        Some(courier),
        "the order keeps its courier"
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn listeners_receive_committed_updates_only(pool: PgPool) {
    let store = PgStore::new(pool);
    let mut listener = store.order_update_listener().await.expect("listener");
    let courier = online_courier(&store, "Kim", 500.0, NOW).await;
    let order = new_order(MerchantId::new(), NOW);
    place(&store, &order).await;

    // Not assignable while unpaid: rolled back, nothing published.
    assert_eq!(
        assign(&store, CourierChoice::Given(courier), &order).await,
        AssignOutcome::OrderNotAssignable
    );
    move_to(
        &store,
        &order,
        OrderStatus::PendingPayment,
        OrderStatus::Accepted,
        NOW,
    )
    .await;
    assigned(assign(&store, CourierChoice::Given(courier), &order).await);
    let at = NOW + Duration::seconds(5);
    let recorded = store
        .record_position(
            courier,
            order.id,
            &position(52.5, 13.4, at),
            Duration::seconds(1),
        )
        .await
        .expect("record");
    assert_eq!(recorded, PositionOutcome::Recorded);
    // Refused as too frequent: nothing published.
    let refused = store
        .record_position(
            courier,
            order.id,
            &position(52.6, 13.5, at),
            Duration::seconds(1),
        )
        .await
        .expect("record");
    assert_eq!(refused, PositionOutcome::TooFrequent);
    let cancelled_at = NOW + Duration::minutes(1);
    let moved = store
        .change_status(
            order.id,
            OrderStatus::Accepted,
            &StatusChange {
                status: OrderStatus::Cancelled,
                actor: mercato_core::ordering::ActorKind::MerchantStaff,
                actor_id: None,
                reason: Some(mercato_core::ordering::CancelReason::ItemUnavailable),
                at: cancelled_at,
                estimated_prep_minutes: None,
                note: None,
            },
            &[],
        )
        .await
        .expect("cancel");
    assert!(moved);

    // Placing the order is announced; an order waiting for its payment not yet to its
    // merchant (no merchant id to route it by).
    assert_eq!(order.status, OrderStatus::PendingPayment);
    assert_eq!(
        next_update(&mut listener).await,
        OrderUpdate::Status {
            order_id: order.id,
            status: order.status,
            reason: None,
            at: order.created_at,
            merchant_id: None,
        }
    );
    assert_eq!(
        next_update(&mut listener).await,
        OrderUpdate::Status {
            order_id: order.id,
            status: OrderStatus::Accepted,
            reason: None,
            at: NOW,
            merchant_id: Some(order.merchant_id),
        }
    );
    assert_eq!(
        next_update(&mut listener).await,
        OrderUpdate::CourierAssigned {
            order_id: order.id,
            first_name: "Kim".to_owned(),
        }
    );
    assert_eq!(
        next_update(&mut listener).await,
        OrderUpdate::Position {
            order_id: order.id,
            position: position(52.5, 13.4, at),
            distance_left_m: None,
            eta_minutes: None,
        }
    );
    assert_eq!(
        next_update(&mut listener).await,
        OrderUpdate::Status {
            order_id: order.id,
            status: OrderStatus::Cancelled,
            reason: Some(mercato_core::ordering::CancelReason::ItemUnavailable),
            at: cancelled_at,
            merchant_id: Some(order.merchant_id),
        }
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_payload_that_does_not_parse_is_reported_as_a_gap(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let mut listener = store.order_update_listener().await.expect("listener");
    let order = OrderId::new();
    let update = OrderUpdate::CourierAssigned {
        order_id: order,
        first_name: "Kim".to_owned(),
    };

    sqlx::query("select pg_notify($1, 'not json')")
        .bind(mercato_store_postgres::ORDER_UPDATES_CHANNEL)
        .execute(&pool)
        .await
        .expect("notify");
    sqlx::query("select pg_notify($1, $2)")
        .bind(mercato_store_postgres::ORDER_UPDATES_CHANNEL)
        .bind(serde_json::to_string(&update).expect("json"))
        .execute(&pool)
        .await
        .expect("notify");

    let gap = tokio::time::timeout(StdDuration::from_secs(10), listener.try_recv())
        .await
        .expect("an answer")
        .expect("no failure");
    assert_eq!(gap, None, "a watcher may have missed something: a gap");
    assert_eq!(next_update(&mut listener).await, update);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_listener_reports_a_lost_connection_then_listens_again(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let mut listener = store.order_update_listener().await.expect("listener");
    let update = OrderUpdate::CourierAssigned {
        order_id: OrderId::new(),
        first_name: "Kim".to_owned(),
    };

    let terminated: bool = sqlx::query_scalar(
        "select bool_or(pg_terminate_backend(pid)) from pg_stat_activity \
         where datname = current_database() and query ilike 'listen%'",
    )
    .fetch_one(&pool)
    .await
    .expect("terminate the listening backend");
    assert!(terminated, "the listening backend was found");

    let lost = tokio::time::timeout(StdDuration::from_secs(5), listener.try_recv())
        .await
        .expect("the loss noticed within 5 s");
    assert!(
        matches!(lost, Ok(None)),
        "a lost connection is reported, not hidden: {lost:?}"
    );
    sqlx::query("select pg_notify($1, $2)")
        .bind(mercato_store_postgres::ORDER_UPDATES_CHANNEL)
        .bind(serde_json::to_string(&update).expect("json"))
        .execute(&pool)
        .await
        .expect("notify");
    assert_eq!(next_update(&mut listener).await, update);
}

fn review(order: &Order, courier: Option<UserId>, rating: Option<u8>) -> OrderReview {
    OrderReview {
        id: ReviewId::new(),
        order_id: order.id,
        merchant_id: order.merchant_id,
        courier_id: courier,
        merchant_rating: 4,
        courier_rating: rating,
        comment: Some("Hot and on time".to_owned()),
        created_at: NOW,
    }
}

fn reviewed_event(review: &OrderReview) -> OutboxEvent {
    OutboxEvent::new(
        DomainEvent::OrderReviewed {
            review_id: review.id,
            order_id: review.order_id,
            merchant_id: review.merchant_id,
            author_name: "Ann".to_owned(),
            rating: review.merchant_rating,
            comment: review.comment.clone(),
            at: review.created_at,
        },
        NOW,
    )
}

async fn courier_rating(pool: &PgPool, courier: UserId) -> (f64, i32) {
    sqlx::query_as("select rating_avg, rating_count from ordering.couriers where user_id = $1")
        .bind(courier.0)
        .fetch_one(pool)
        .await
        .expect("rating")
}

/// A delivered order of `courier`.
async fn delivered_by(store: &PgStore, courier: UserId) -> Order {
    let order = placed_order(store, MerchantId::new()).await;
    assigned(assign(store, CourierChoice::Given(courier), &order).await);
    move_to(
        store,
        &order,
        OrderStatus::Placed,
        OrderStatus::Delivered,
        NOW,
    )
    .await;
    order
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_order_is_reviewed_once_and_rates_its_courier(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let courier = online_courier(&store, "Kim", 500.0, NOW).await;
    let first = delivered_by(&store, courier).await;
    let second = delivered_by(&store, courier).await;
    let third = delivered_by(&store, courier).await;
    let events = count(&pool, "select count(*) from platform.outbox").await;
    let once = review(&first, Some(courier), Some(5));

    let added = store
        .add_review(&once, &[reviewed_event(&once)])
        .await
        .expect("review");
    let again = review(&first, Some(courier), Some(1));
    let added_again = store
        .add_review(&again, &[reviewed_event(&again)])
        .await
        .expect("review");
    let other = review(&second, Some(courier), Some(4));
    store
        .add_review(&other, &[reviewed_event(&other)])
        .await
        .expect("review");
    // No courier rating: the aggregates stay.
    let unrated = review(&third, Some(courier), None);
    store.add_review(&unrated, &[]).await.expect("review");

    assert!(added);
    assert!(!added_again);
    assert_eq!(courier_rating(&pool, courier).await, (4.5, 2));
    assert_eq!(
        count(&pool, "select count(*) from ordering.order_reviews").await,
        3
    );
    assert_eq!(
        count(&pool, "select count(*) from platform.outbox").await,
        events + 2
    );
    let (customer, rating, comment): (Uuid, Option<i16>, Option<String>) = sqlx::query_as(
        "select customer_id, courier_rating, comment from ordering.order_reviews where id = $1",
    )
    .bind(once.id.0)
    .fetch_one(&pool)
    .await
    .expect("stored review");
    assert_eq!(customer, first.customer_id.0);
    assert_eq!(rating, Some(5));
    assert_eq!(comment.as_deref(), Some("Hot and on time"));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn rating_a_courier_without_a_row_only_stores_the_review(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let order = placed_order(&store, MerchantId::new()).await;
    let review = review(&order, Some(UserId::new()), Some(3));

    let added = store.add_review(&review, &[]).await.expect("review");

    assert!(added);
    assert_eq!(
        count(&pool, "select count(*) from ordering.couriers").await,
        0
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn reviewing_an_unknown_order_fails(pool: PgPool) {
    let store = PgStore::new(pool);
    let order = new_order(MerchantId::new(), NOW);

    let result = store.add_review(&review(&order, None, None), &[]).await;

    assert!(result.is_err());
}

/// Places an order of `merchant` created at `created`, then walks it through `steps`
/// (status entered, minutes after `created`).
async fn history(store: &PgStore, order: Order, steps: &[(OrderStatus, i64)]) -> Order {
    let created = order.created_at;
    place(store, &order).await;
    let mut from = OrderStatus::PendingPayment;
    for &(to, minutes) in steps {
        move_to(
            store,
            &order,
            from,
            to,
            created + Duration::minutes(minutes),
        )
        .await;
        from = to;
    }
    order
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn statistics_count_statuses_sales_and_durations_of_the_period(pool: PgPool) {
    use OrderStatus::{
        Accepted, Cancelled, Delivered, PickedUp, Placed as PlacedStatus, Preparing, ReadyForPickup,
    };
    let store = PgStore::new(pool);
    let merchant = MerchantId::new();
    let from = NOW - Duration::days(1);
    let to = NOW;
    // Prep 10 min, delivery 20 min; created exactly at `from` (included).
    history(
        &store,
        new_order(merchant, from),
        &[
            (PlacedStatus, 1),
            (Accepted, 2),
            (Preparing, 3),
            (ReadyForPickup, 12),
            (PickedUp, 15),
            (Delivered, 35),
        ],
    )
    .await;
    // Prep 20 min, delivery 5 min, accepted twice (the first acceptance counts).
    history(
        &store,
        new_order(merchant, NOW - Duration::hours(3)),
        &[
            (Accepted, 0),
            (PlacedStatus, 1),
            (Accepted, 5),
            (ReadyForPickup, 20),
            (PickedUp, 30),
            (Delivered, 35),
        ],
    )
    .await;
    history(
        &store,
        new_order(merchant, NOW - Duration::hours(2)),
        &[(PlacedStatus, 1), (Cancelled, 2)],
    )
    .await;
    history(
        &store,
        new_order(merchant, NOW - Duration::hours(1)),
        &[(PlacedStatus, 1)],
    )
    .await;
    // Outside the period: just before `from`, and exactly at `to`.
    history(
        &store,
        new_order(merchant, from - Duration::seconds(1)),
        &[(Accepted, 1), (ReadyForPickup, 100), (Delivered, 200)],
    )
    .await;
    history(
        &store,
        new_order(merchant, to),
        &[(Accepted, 1), (ReadyForPickup, 100), (Delivered, 200)],
    )
    .await;
    // Another merchant, in dollars, delivered without acceptance or pickup entries.
    let mut dollars = new_order(MerchantId::new(), NOW - Duration::hours(5));
    dollars.summary.total = Money::new(1000, CurrencyCode::parse("USD").expect("currency"));
    history(&store, dollars, &[(Delivered, 60)]).await;

    let mine = store.stats(Some(merchant), from, to).await.expect("stats");
    let all = store.stats(None, from, to).await.expect("stats");
    let nobody = store
        .stats(Some(MerchantId::new()), from, to)
        .await
        .expect("stats");

    let eur = CurrencyCode::parse("EUR").expect("currency");
    let usd = CurrencyCode::parse("USD").expect("currency");
    let sorted = |mut rows: StatsRows| {
        rows.by_status.sort_by_key(|(s, _)| s.as_str());
        rows.sales.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    };
    let mine = sorted(mine);
    assert_eq!(
        mine.by_status,
        vec![(Cancelled, 1), (Delivered, 2), (PlacedStatus, 1)]
    );
    assert_eq!(mine.sales, vec![(eur.clone(), 2, 5320)]);
    // Prep: 10 min, and 20 min from the second order's first acceptance: 15 min = 900 s.
    assert_eq!(mine.average_prep_seconds, Some(900.0));
    // (20 + 5) / 2 minutes = 750 s.
    assert_eq!(mine.average_delivery_seconds, Some(750.0));
    let all = sorted(all);
    assert_eq!(
        all.by_status,
        vec![(Cancelled, 1), (Delivered, 3), (PlacedStatus, 1)]
    );
    assert_eq!(all.sales, vec![(eur, 2, 5320), (usd, 1, 1000)]);
    assert_eq!(all.average_prep_seconds, Some(900.0));
    assert_eq!(all.average_delivery_seconds, Some(750.0));
    assert_eq!(nobody, StatsRows::default());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn the_purge_deletes_only_old_tracking_points(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let courier = online_courier(&store, "Kim", 500.0, NOW - Duration::days(10)).await;
    let order = placed_order(&store, MerchantId::new()).await;
    move_to(
        &store,
        &order,
        OrderStatus::Placed,
        OrderStatus::Accepted,
        NOW,
    )
    .await;
    assigned(assign(&store, CourierChoice::Given(courier), &order).await);
    let cutoff = NOW - Duration::days(7);
    for at in [
        NOW - Duration::days(8),
        cutoff - Duration::seconds(1),
        cutoff,
        NOW - Duration::days(1),
    ] {
        let outcome = store
            .record_position(
                courier,
                order.id,
                &position(52.5, 13.4, at),
                Duration::seconds(1),
            )
            .await
            .expect("record");
        assert_eq!(outcome, PositionOutcome::Recorded);
    }

    let purged = store.purge_positions(cutoff).await.expect("purge");
    let again = store.purge_positions(cutoff).await.expect("purge");

    assert_eq!(purged, 2);
    assert_eq!(again, 0);
    let left: Vec<OffsetDateTime> =
        sqlx::query_scalar("select recorded_at from ordering.order_tracking order by recorded_at")
            .fetch_all(&pool)
            .await
            .expect("points");
    assert_eq!(left, vec![cutoff, NOW - Duration::days(1)]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_couriers_orders_are_listed_newest_first_with_filter_and_cursor(pool: PgPool) {
    let store = PgStore::new(pool);
    let courier = online_courier(&store, "Kim", 500.0, NOW).await;
    let merchant = MerchantId::new();
    let mut ids = Vec::new();
    for minutes in [30, 20, 10] {
        let order = new_order(merchant, NOW - Duration::minutes(minutes));
        place(&store, &order).await;
        move_to(
            &store,
            &order,
            OrderStatus::PendingPayment,
            OrderStatus::Placed,
            NOW,
        )
        .await;
        assigned(assign(&store, CourierChoice::Given(courier), &order).await);
        move_to(
            &store,
            &order,
            OrderStatus::Placed,
            OrderStatus::Delivered,
            NOW,
        )
        .await;
        ids.push(order.id);
    }
    // Somebody else's order.
    let other = online_courier(&store, "Lou", 500.0, NOW).await;
    let theirs = placed_order(&store, merchant).await;
    assigned(assign(&store, CourierChoice::Given(other), &theirs).await);

    let all = store
        .courier_orders(courier, None, None, 10)
        .await
        .expect("list");
    let page = store
        .courier_orders(courier, Some(OrderStatus::Delivered), Some(ids[2]), 1)
        .await
        .expect("list");
    let placed = store
        .courier_orders(courier, Some(OrderStatus::Placed), None, 10)
        .await
        .expect("list");

    let listed: Vec<OrderId> = all.iter().map(|o| o.id).collect();
    assert_eq!(listed, vec![ids[2], ids[1], ids[0]]);
    assert_eq!(all[0].items.len(), 1);
    assert_eq!(page.iter().map(|o| o.id).collect::<Vec<_>>(), vec![ids[1]]);
    assert!(placed.is_empty());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn orders_awaiting_a_courier_are_ready_ones_without_one_oldest_first(pool: PgPool) {
    let store = PgStore::new(pool);
    let merchant = MerchantId::new();
    let courier = online_courier(&store, "Kim", 500.0, NOW).await;
    let later_ready = placed_order(&store, merchant).await;
    move_to(
        &store,
        &later_ready,
        OrderStatus::Placed,
        OrderStatus::ReadyForPickup,
        NOW + Duration::minutes(5),
    )
    .await;
    let first_ready = placed_order(&store, merchant).await;
    move_to(
        &store,
        &first_ready,
        OrderStatus::Placed,
        OrderStatus::ReadyForPickup,
        NOW + Duration::minutes(1),
    )
    .await;
    let has_courier = placed_order(&store, merchant).await;
    assigned(assign(&store, CourierChoice::Given(courier), &has_courier).await);
    move_to(
        &store,
        &has_courier,
        OrderStatus::Placed,
        OrderStatus::ReadyForPickup,
        NOW,
    )
    .await;
    placed_order(&store, merchant).await;

    let waiting = store.awaiting_courier(10).await.expect("awaiting");
    let one = store.awaiting_courier(1).await.expect("awaiting");

    let ids: Vec<OrderId> = waiting.iter().map(|o| o.id).collect();
    assert_eq!(ids, vec![first_ready.id, later_ready.id]);
    assert_eq!(
        one.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![first_ready.id]
    );

    // A dispatch that found nobody for the first order sends it behind the untried one, so
    // orders nobody can take do not starve the sweep.
    let nobody = CourierChoice::Nearest {
        near: LatLng { lat: 0.0, lng: 0.0 },
        radius_m: 1.0,
        fresh_since: NOW,
    };
    assert_eq!(
        assign(&store, nobody, &first_ready).await,
        AssignOutcome::NoCourier
    );
    let after_attempt: Vec<OrderId> = store
        .awaiting_courier(10)
        .await
        .expect("awaiting")
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(after_attempt, vec![later_ready.id, first_ready.id]);
}
