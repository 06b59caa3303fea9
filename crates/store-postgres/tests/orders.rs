//! The order store against a real PostgreSQL: checkout as one statement that stores the
//! idempotency key with the order and closes the cart (or writes nothing), idempotency keys
//! (replayed, mismatched, per customer, forgotten after a day, won by exactly one of two
//! concurrent placements), reads of orders and their timelines, and status changes that only
//! move from the status the caller decided from.

mod common;

use common::NOW;
use mercato_core::events::{DomainEvent, OutboxEvent};
use mercato_core::geo::TaxClass;
use mercato_core::ids::{CartId, ItemId, MerchantId, OptionId, OrderId, UserId};
use mercato_core::money::{CurrencyCode, Money};
use mercato_core::ordering::{
    CancelReason, CardReference, CartLineOption, CartStore, DeliveryDetails, IdempotencyKey,
    KnownKey, Order, OrderItem, OrderStatus, OrderStore, PaymentChoice, Placed, Placement,
    StatusChange, StoredCart,
};
use mercato_core::pricing::{LineTotal, PriceSummary};
use mercato_store_postgres::PgStore;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

/// `minutes` after [`NOW`].
fn later(minutes: i64) -> OffsetDateTime {
    NOW + Duration::minutes(minutes)
}

fn eur(minor: i64) -> Money {
    Money::new(minor, CurrencyCode::parse("EUR").expect("valid currency"))
}

fn key(customer: UserId, key: &str, fingerprint: &str) -> IdempotencyKey {
    IdempotencyKey {
        customer,
        key: key.to_owned(),
        fingerprint: fingerprint.to_owned(),
    }
}

/// An order of `customer` created at `at`: two items (the first with an option and a note),
/// paid by card, with a summary that adds up.
fn new_order(customer: UserId, merchant: MerchantId, at: OffsetDateTime) -> Order {
    let items = vec![
        OrderItem {
            menu_item_id: ItemId::new(),
            name: "Margherita".to_owned(),
            quantity: 2,
            options: vec![CartLineOption {
                id: OptionId::new(),
                name: "Extra basil".to_owned(),
                price_delta: eur(50),
            }],
            unit_price: eur(950),
            tax_class: TaxClass::Food,
            line_total: eur(1900),
            note: Some("well done".to_owned()),
        },
        OrderItem {
            menu_item_id: ItemId::new(),
            name: "Lemonade".to_owned(),
            quantity: 1,
            options: Vec::new(),
            unit_price: eur(300),
            tax_class: TaxClass::General,
            line_total: eur(300),
            note: None,
        },
    ];
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
        subtotal: eur(2200),
        delivery_fee: eur(250),
        service_fee: eur(110),
        small_order_fee: eur(0),
        discount: eur(0),
        tip: eur(100),
        tax: eur(0),
        tax_included: true,
        tax_breakdown: Vec::new(),
        total: eur(2660),
    };
    Order {
        id: OrderId::new(),
        customer_id: customer,
        merchant_id: merchant,
        merchant_name: "Luigi's".to_owned(),
        status: OrderStatus::PendingPayment,
        items,
        delivery: DeliveryDetails {
            address: "Torstraße 1, 10119 Berlin".to_owned(),
            lat: 52.529,
            lng: 13.401,
            instructions: Some("ring twice".to_owned()),
            contact_phone: "+4930123456".to_owned(),
        },
        payment_method: PaymentChoice::Card(CardReference {
            id: "pm_123".to_owned(),
        }),
        summary,
        scheduled_for: Some(at + Duration::hours(2)),
        courier_id: None,
        created_at: at,
        updated_at: at,
    }
}

fn first_change(order: &Order) -> StatusChange {
    StatusChange {
        status: order.status,
        actor: mercato_core::ordering::ActorKind::Customer,
        actor_id: Some(order.customer_id),
        reason: None,
        at: order.created_at,
        estimated_prep_minutes: None,
        note: None,
    }
}

fn placed_event(order: &Order) -> OutboxEvent {
    OutboxEvent::new(
        DomainEvent::OrderPlaced {
            order_id: order.id,
            customer_id: order.customer_id,
            merchant_id: order.merchant_id,
            status: order.status.as_str().to_owned(),
            total: order.summary.total.clone(),
        },
        order.created_at,
    )
}

fn status_changed(order: &Order, from: OrderStatus, to: OrderStatus) -> OutboxEvent {
    OutboxEvent::new(
        DomainEvent::OrderStatusChanged {
            order_id: order.id,
            customer_id: order.customer_id,
            merchant_id: order.merchant_id,
            from: from.as_str().to_owned(),
            to: to.as_str().to_owned(),
            reason: None,
        },
        NOW,
    )
}

fn change_to(status: OrderStatus, at: OffsetDateTime) -> StatusChange {
    StatusChange {
        status,
        actor: mercato_core::ordering::ActorKind::MerchantStaff,
        actor_id: Some(UserId::new()),
        reason: None,
        at,
        estimated_prep_minutes: None,
        note: None,
    }
}

/// A fresh open cart of `customer` at `merchant`.
async fn open_cart(store: &PgStore, customer: UserId, merchant: MerchantId) -> CartId {
    let (cart, _) = store
        .open_cart(&StoredCart {
            id: CartId::new(),
            customer,
            merchant_id: merchant,
            lines: Vec::new(),
            created_at: NOW,
            updated_at: NOW,
            revision: 0,
        })
        .await
        .expect("open cart");
    cart.id
}

/// Places `order` from a fresh cart under a fresh key, as checkout does.
async fn place(store: &PgStore, order: &Order) {
    let cart = open_cart(store, order.customer_id, order.merchant_id).await;
    let key = key(order.customer_id, &order.id.to_string(), "request");
    let placed = store
        .place_order(&placement(
            order,
            cart,
            0,
            vec![placed_event(order)],
            &key,
            serde_json::json!({"id": order.id}),
        ))
        .await
        .expect("place order");
    assert_eq!(placed, Placed::Placed);
}

/// What `place_order` is given, as checkout builds it.
fn placement(
    order: &Order,
    cart: CartId,
    cart_version: i64,
    events: Vec<OutboxEvent>,
    key: &IdempotencyKey,
    response: serde_json::Value,
) -> Placement {
    Placement {
        order: order.clone(),
        first: first_change(order),
        cart,
        cart_version,
        events,
        key: key.clone(),
        response,
    }
}

async fn count(pool: &PgPool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

async fn order_rows(pool: &PgPool) -> [i64; 4] {
    [
        count(pool, "select count(*) from ordering.orders").await,
        count(pool, "select count(*) from ordering.order_items").await,
        count(pool, "select count(*) from ordering.order_status_history").await,
        count(pool, "select count(*) from platform.outbox").await,
    ]
}

/// Places `order` from a fresh cart under `key` with `response`; what the store says.
async fn place_under(
    store: &PgStore,
    order: &Order,
    key: &IdempotencyKey,
    response: serde_json::Value,
) -> Placed {
    let cart = open_cart(store, order.customer_id, order.merchant_id).await;
    store
        .place_order(&placement(
            order,
            cart,
            0,
            vec![placed_event(order)],
            key,
            response,
        ))
        .await
        .expect("the store answers")
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_key_is_unknown_until_its_order_is_placed_then_replays_the_response(pool: PgPool) {
    let store = PgStore::new(pool);
    let order = new_order(UserId::new(), MerchantId::new(), NOW);
    let key = key(order.customer_id, "k-1", "cart=1");
    let response = serde_json::to_value(&order).expect("serializable");

    let before = store.known_key(&key, NOW).await.expect("read");
    let placed = place_under(&store, &order, &key, response.clone()).await;
    let after = store.known_key(&key, later(1)).await.expect("read");

    assert_eq!(before, None);
    assert_eq!(placed, Placed::Placed);
    assert_eq!(after, Some(KnownKey::Replay(response)));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_key_used_for_another_request_is_a_mismatch(pool: PgPool) {
    let store = PgStore::new(pool);
    let order = new_order(UserId::new(), MerchantId::new(), NOW);
    place_under(
        &store,
        &order,
        &key(order.customer_id, "k-1", "cart=1"),
        serde_json::json!({}),
    )
    .await;

    let other = store
        .known_key(&key(order.customer_id, "k-1", "cart=2"), later(1))
        .await
        .expect("read");

    assert_eq!(other, Some(KnownKey::Mismatch));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn keys_are_per_customer(pool: PgPool) {
    let store = PgStore::new(pool);
    let order = new_order(UserId::new(), MerchantId::new(), NOW);
    place_under(
        &store,
        &order,
        &key(order.customer_id, "k-1", "a"),
        serde_json::json!({}),
    )
    .await;
    let stranger = new_order(UserId::new(), order.merchant_id, later(1));
    let theirs = key(stranger.customer_id, "k-1", "b");

    let known = store.known_key(&theirs, later(1)).await.expect("read");
    let placed = place_under(&store, &stranger, &theirs, serde_json::json!({})).await;

    assert_eq!(known, None);
    assert_eq!(placed, Placed::Placed);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_known_key_places_nothing_more_and_leaves_the_cart_open(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let first = new_order(UserId::new(), MerchantId::new(), NOW);
    let key = key(first.customer_id, "k-1", "a");
    place_under(&store, &first, &key, serde_json::json!({"first": true})).await;
    let before = order_rows(&pool).await;
    let second = new_order(first.customer_id, MerchantId::new(), later(1));

    let placed = place_under(&store, &second, &key, serde_json::json!({})).await;

    assert_eq!(placed, Placed::KeyTaken);
    assert_eq!(order_rows(&pool).await, before);
    assert_eq!(store.order(second.id).await.expect("read"), None);
    assert_eq!(
        store
            .open_carts(first.customer_id)
            .await
            .expect("carts")
            .len(),
        1,
        "the second cart stays open"
    );
    assert_eq!(
        store.known_key(&key, later(2)).await.expect("read"),
        Some(KnownKey::Replay(serde_json::json!({"first": true})))
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn of_two_concurrent_placements_with_one_key_exactly_one_places(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let customer = UserId::new();
    let (a, b) = (
        new_order(customer, MerchantId::new(), NOW),
        new_order(customer, MerchantId::new(), NOW),
    );
    let (cart_a, cart_b) = (
        open_cart(&store, customer, a.merchant_id).await,
        open_cart(&store, customer, b.merchant_id).await,
    );
    let key = key(customer, "k-1", "request");
    let (pa, pb) = (
        placement(
            &a,
            cart_a,
            0,
            vec![placed_event(&a)],
            &key,
            serde_json::json!({}),
        ),
        placement(
            &b,
            cart_b,
            0,
            vec![placed_event(&b)],
            &key,
            serde_json::json!({}),
        ),
    );

    let (a, b) = tokio::join!(store.place_order(&pa), store.place_order(&pb));

    let mut outcomes = [a.expect("the store answers"), b.expect("the store answers")];
    outcomes.sort_by_key(|o| *o == Placed::Placed);
    assert_eq!(outcomes, [Placed::KeyTaken, Placed::Placed]);
    assert_eq!(order_rows(&pool).await, [1, 2, 1, 1]);
    assert_eq!(
        store.open_carts(customer).await.expect("carts").len(),
        1,
        "the loser's cart stays open"
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn keys_older_than_a_day_are_forgotten(pool: PgPool) {
    let store = PgStore::new(pool);
    let first = new_order(UserId::new(), MerchantId::new(), NOW);
    let key = key(first.customer_id, "k-1", "cart=1");
    place_under(&store, &first, &key, serde_json::json!({})).await;

    let within = store
        .known_key(&key, NOW + Duration::hours(23))
        .await
        .expect("read");
    let after = store
        .known_key(&key, NOW + Duration::hours(25))
        .await
        .expect("read");
    let again = new_order(
        first.customer_id,
        MerchantId::new(),
        NOW + Duration::hours(25),
    );
    let reused = place_under(&store, &again, &key, serde_json::json!({"again": true})).await;

    assert_eq!(within, Some(KnownKey::Replay(serde_json::json!({}))));
    assert_eq!(after, None);
    assert_eq!(reused, Placed::Placed);
    assert_eq!(
        store
            .known_key(&key, NOW + Duration::hours(26))
            .await
            .expect("read"),
        Some(KnownKey::Replay(serde_json::json!({"again": true})))
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn forgotten_keys_are_purged_and_remembered_ones_kept(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let (old, young) = (
        new_order(UserId::new(), MerchantId::new(), NOW),
        new_order(UserId::new(), MerchantId::new(), NOW + Duration::hours(2)),
    );
    for order in [&old, &young] {
        let key = key(order.customer_id, "k-1", "request");
        let cart = open_cart(&store, order.customer_id, order.merchant_id).await;
        let placed = store
            .place_order(&placement(
                order,
                cart,
                0,
                vec![],
                &key,
                serde_json::json!({}),
            ))
            .await
            .expect("placed");
        assert_eq!(placed, Placed::Placed);
    }

    let purged = store
        .purge_idempotency_keys(NOW + Duration::hours(25))
        .await
        .expect("purged");

    assert_eq!(purged, 1);
    assert_eq!(
        count(&pool, "select count(*) from ordering.idempotency_keys").await,
        1
    );
    assert!(
        store
            .known_key(
                &key(young.customer_id, "k-1", "request"),
                NOW + Duration::hours(25)
            )
            .await
            .expect("read")
            .is_some()
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_key_an_earlier_version_holds_in_flight_is_in_flight(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let key = key(UserId::new(), "k-1", "request");
    sqlx::query(
        "insert into ordering.idempotency_keys (customer_id, key, fingerprint, state, created_at) \
         values ($1, $2, $3, 'in_flight', $4)",
    )
    .bind(key.customer.0)
    .bind(&key.key)
    .bind(&key.fingerprint)
    .bind(NOW)
    .execute(&pool)
    .await
    .expect("insert");

    assert_eq!(
        store.known_key(&key, later(1)).await.expect("read"),
        Some(KnownKey::InFlight)
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn placing_closes_the_cart_and_stores_the_order_history_and_event(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let order = new_order(UserId::new(), MerchantId::new(), NOW);

    place(&store, &order).await;

    assert_eq!(
        store.order(order.id).await.expect("read"),
        Some(order.clone())
    );
    assert_eq!(
        store.history(order.id).await.expect("history"),
        vec![first_change(&order)]
    );
    assert_eq!(
        store.open_carts(order.customer_id).await.expect("carts"),
        Vec::new()
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from platform.outbox where topic = 'ordering.order_placed'"
        )
        .await,
        1
    );
    assert_eq!(order_rows(&pool).await, [1, 2, 1, 1]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn placing_from_a_checked_out_cart_writes_nothing(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let customer = UserId::new();
    let merchant = MerchantId::new();
    let cart = open_cart(&store, customer, merchant).await;
    let first = new_order(customer, merchant, NOW);
    let k1 = key(customer, "k-1", "a");
    store
        .place_order(&placement(
            &first,
            cart,
            0,
            vec![placed_event(&first)],
            &k1,
            serde_json::json!({}),
        ))
        .await
        .expect("place");
    let before = order_rows(&pool).await;
    let second = new_order(customer, merchant, later(1));
    let k2 = key(customer, "k-2", "b");

    let placed = store
        .place_order(&placement(
            &second,
            cart,
            0,
            vec![placed_event(&second)],
            &k2,
            serde_json::json!({}),
        ))
        .await
        .expect("the store answers");

    assert_eq!(placed, Placed::CartNotOpen);
    assert_eq!(order_rows(&pool).await, before);
    assert_eq!(store.order(second.id).await.expect("read"), None);
    // The failed placement left no trace of its key.
    assert_eq!(store.known_key(&k2, later(2)).await.expect("read"), None);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn placing_from_another_customers_cart_is_refused(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let merchant = MerchantId::new();
    let cart = open_cart(&store, UserId::new(), merchant).await;
    let order = new_order(UserId::new(), merchant, NOW);
    let k = key(order.customer_id, "k-1", "a");

    let placed = store
        .place_order(&placement(
            &order,
            cart,
            0,
            vec![],
            &k,
            serde_json::json!({}),
        ))
        .await
        .expect("the store answers");

    assert_eq!(placed, Placed::CartNotOpen);
    assert_eq!(order_rows(&pool).await, [0, 0, 0, 0]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_unknown_order_is_none(pool: PgPool) {
    let store = PgStore::new(pool);

    assert_eq!(store.order(OrderId::new()).await.expect("read"), None);
    assert_eq!(
        store.history(OrderId::new()).await.expect("read"),
        Vec::new()
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_change_from_the_expected_status_moves_the_order_and_appends_history(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let order = new_order(UserId::new(), MerchantId::new(), NOW);
    place(&store, &order).await;
    let cancel = StatusChange {
        reason: Some(CancelReason::MerchantRejected),
        ..change_to(OrderStatus::Cancelled, later(5))
    };

    let moved = store
        .change_status(
            order.id,
            OrderStatus::PendingPayment,
            &cancel,
            &[status_changed(
                &order,
                OrderStatus::PendingPayment,
                OrderStatus::Cancelled,
            )],
        )
        .await
        .expect("change");

    assert!(moved);
    let read = store.order(order.id).await.expect("read").expect("exists");
    assert_eq!(read.status, OrderStatus::Cancelled);
    assert_eq!(read.updated_at, later(5));
    assert_eq!(
        store.history(order.id).await.expect("history"),
        vec![first_change(&order), cancel]
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from platform.outbox where topic = 'ordering.order_status_changed'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_change_from_a_stale_status_is_refused_and_writes_nothing(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let order = new_order(UserId::new(), MerchantId::new(), NOW);
    place(&store, &order).await;
    let before = order_rows(&pool).await;

    let moved = store
        .change_status(
            order.id,
            OrderStatus::Placed,
            &change_to(OrderStatus::Accepted, later(5)),
            &[status_changed(
                &order,
                OrderStatus::Placed,
                OrderStatus::Accepted,
            )],
        )
        .await
        .expect("the store answers");

    assert!(!moved);
    assert_eq!(order_rows(&pool).await, before);
    assert_eq!(
        store.order(order.id).await.expect("read"),
        Some(order.clone())
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn of_two_concurrent_changes_from_one_status_exactly_one_wins(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let order = new_order(UserId::new(), MerchantId::new(), NOW);
    place(&store, &order).await;
    let pay = change_to(OrderStatus::Placed, later(1));
    let cancel = StatusChange {
        reason: Some(CancelReason::PaymentTimeout),
        ..change_to(OrderStatus::Cancelled, later(1))
    };
    let pay_event = status_changed(&order, OrderStatus::PendingPayment, OrderStatus::Placed);
    let cancel_event = status_changed(&order, OrderStatus::PendingPayment, OrderStatus::Cancelled);

    let (paid, cancelled) = tokio::join!(
        store.change_status(
            order.id,
            OrderStatus::PendingPayment,
            &pay,
            std::slice::from_ref(&pay_event)
        ),
        store.change_status(
            order.id,
            OrderStatus::PendingPayment,
            &cancel,
            std::slice::from_ref(&cancel_event)
        ),
    );

    let (paid, cancelled) = (paid.expect("change"), cancelled.expect("change"));
    assert!(paid ^ cancelled, "exactly one change wins");
    let winner = if paid { &pay } else { &cancel };
    let read = store.order(order.id).await.expect("read").expect("exists");
    assert_eq!(read.status, winner.status);
    assert_eq!(
        store.history(order.id).await.expect("history"),
        vec![first_change(&order), winner.clone()]
    );
    assert_eq!(order_rows(&pool).await, [1, 2, 2, 2]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_customers_orders_page_newest_first_after_a_cursor(pool: PgPool) {
    let store = PgStore::new(pool);
    let customer = UserId::new();
    let mut orders = Vec::new();
    for minutes in 0..5 {
        let order = new_order(customer, MerchantId::new(), later(minutes));
        place(&store, &order).await;
        orders.push(order);
    }
    // Another customer's order is never listed.
    place(
        &store,
        &new_order(UserId::new(), MerchantId::new(), later(10)),
    )
    .await;
    orders.reverse();

    let first = store
        .orders_of(customer, None, None, 2)
        .await
        .expect("page");
    let second = store
        .orders_of(customer, None, Some(first[1].id), 2)
        .await
        .expect("page");
    let last = store
        .orders_of(customer, None, Some(second[1].id), 2)
        .await
        .expect("page");

    assert_eq!(first, orders[0..2]);
    assert_eq!(second, orders[2..4]);
    assert_eq!(last, orders[4..5]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn orders_created_at_the_same_instant_page_by_id(pool: PgPool) {
    let store = PgStore::new(pool);
    let customer = UserId::new();
    let mut orders = Vec::new();
    for _ in 0..3 {
        let order = new_order(customer, MerchantId::new(), NOW);
        place(&store, &order).await;
        orders.push(order);
    }
    orders.sort_by_key(|o| std::cmp::Reverse(o.id.0));

    let first = store
        .orders_of(customer, None, None, 2)
        .await
        .expect("page");
    let rest = store
        .orders_of(customer, None, Some(first[1].id), 2)
        .await
        .expect("page");

    assert_eq!(first, orders[0..2]);
    assert_eq!(rest, orders[2..3]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_customers_orders_filter_by_status(pool: PgPool) {
    let store = PgStore::new(pool);
    let customer = UserId::new();
    let pending = new_order(customer, MerchantId::new(), NOW);
    let placed = Order {
        status: OrderStatus::Placed,
        payment_method: serde_json::from_value(serde_json::json!("cash")).expect("cash"),
        ..new_order(customer, MerchantId::new(), later(1))
    };
    place(&store, &pending).await;
    place(&store, &placed).await;

    let only_placed = store
        .orders_of(customer, Some(OrderStatus::Placed), None, 10)
        .await
        .expect("page");
    let only_delivered = store
        .orders_of(customer, Some(OrderStatus::Delivered), None, 10)
        .await
        .expect("page");

    assert_eq!(only_placed, vec![placed]);
    assert_eq!(only_delivered, Vec::new());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_cart_changed_after_it_was_priced_is_not_checked_out(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let customer = UserId::new();
    let merchant = MerchantId::new();
    let cart = open_cart(&store, customer, merchant).await;
    let order = new_order(customer, merchant, NOW);
    let k = key(customer, "k-1", "a");
    // Another tab changed the cart after this checkout priced it at revision 0.
    store.clear(cart, later(1)).await.expect("cleared");

    let placed = store
        .place_order(&placement(
            &order,
            cart,
            0,
            vec![],
            &k,
            serde_json::json!({}),
        ))
        .await
        .expect("the store answers");

    assert_eq!(placed, Placed::CartChanged);
    assert_eq!(order_rows(&pool).await, [0, 0, 0, 0]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_merchants_queue_is_its_orders_newest_first_by_status_and_since(pool: PgPool) {
    let store = PgStore::new(pool);
    let (merchant, other) = (MerchantId::new(), MerchantId::new());
    let placed_at = |merchant, at| Order {
        status: OrderStatus::Placed,
        ..new_order(UserId::new(), merchant, at)
    };
    let first = placed_at(merchant, later(1));
    let second = placed_at(merchant, later(2));
    let third = placed_at(merchant, later(3));
    let elsewhere = placed_at(other, later(4));
    // Waiting for its payment: not the kitchen's yet, listed only when asked for.
    let unpaid = new_order(UserId::new(), merchant, later(6));
    assert_eq!(unpaid.status, OrderStatus::PendingPayment);
    for order in [&first, &second, &third, &elsewhere, &unpaid] {
        place(&store, order).await;
    }
    assert!(
        store
            .change_status(
                second.id,
                second.status,
                &change_to(OrderStatus::Cancelled, later(5)),
                &[],
            )
            .await
            .expect("cancel")
    );
    let ids = |orders: Vec<Order>| orders.into_iter().map(|o| o.id).collect::<Vec<_>>();

    let all = store
        .orders_of_merchant(merchant, None, None, None, 10)
        .await
        .expect("queue");
    let placed = store
        .orders_of_merchant(merchant, Some(first.status), None, None, 10)
        .await
        .expect("by status");
    let since = store
        .orders_of_merchant(merchant, None, Some(later(2)), None, 10)
        .await
        .expect("since");
    let after = store
        .orders_of_merchant(merchant, None, None, Some(third.id), 1)
        .await
        .expect("page after the newest");

    let waiting = store
        .orders_of_merchant(merchant, Some(OrderStatus::PendingPayment), None, None, 10)
        .await
        .expect("unpaid ones");

    assert_eq!(ids(all), [third.id, second.id, first.id]);
    assert_eq!(ids(waiting), [unpaid.id]);
    assert_eq!(ids(placed), [third.id, first.id]);
    assert_eq!(ids(since), [third.id, second.id]);
    assert_eq!(ids(after), [second.id]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_status_change_keeps_its_note_and_estimate(pool: PgPool) {
    let store = PgStore::new(pool);
    let order = new_order(UserId::new(), MerchantId::new(), NOW);
    place(&store, &order).await;
    let accepted = StatusChange {
        note: Some("busy night".to_owned()),
        estimated_prep_minutes: Some(40),
        ..change_to(OrderStatus::Accepted, later(1))
    };

    assert!(
        store
            .change_status(order.id, order.status, &accepted, &[])
            .await
            .expect("accept")
    );

    let history = store.history(order.id).await.expect("history");
    assert_eq!(history.last(), Some(&accepted));
}
