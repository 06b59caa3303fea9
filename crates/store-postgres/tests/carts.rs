//! The cart store against a real PostgreSQL: one open cart per customer and merchant (even
//! when opened concurrently), lines in the order added, the line limit, and changes scoped to
//! the cart they name.

mod common;

use common::NOW;
use mercato_core::ids::{CartId, CartLineId, ItemId, MerchantId, OptionId, UserId};
use mercato_core::ordering::{CartStore, LineAdded, StoredCart, StoredLine};
use mercato_store_postgres::PgStore;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

/// `minutes` after [`NOW`].
fn later(minutes: i64) -> OffsetDateTime {
    NOW + Duration::minutes(minutes)
}

/// An empty cart of `customer` at `merchant`, created at [`NOW`].
fn new_cart(customer: UserId, merchant: MerchantId) -> StoredCart {
    StoredCart {
        id: CartId::new(),
        customer,
        merchant_id: merchant,
        lines: Vec::new(),
        created_at: NOW,
        updated_at: NOW,
    }
}

/// A line of `quantity` of a fresh item with two options and a note.
fn line(quantity: u32, price_minor: i64) -> StoredLine {
    StoredLine {
        id: CartLineId::new(),
        item_id: ItemId::new(),
        quantity,
        option_ids: vec![OptionId::new(), OptionId::new()],
        note: Some("no onions".to_owned()),
        seen_unit_price_minor: price_minor,
    }
}

/// The open cart of a fresh customer at a fresh merchant.
async fn open(store: &PgStore) -> StoredCart {
    let (cart, _) = store
        .open_cart(&new_cart(UserId::new(), MerchantId::new()))
        .await
        .expect("open cart");
    cart
}

async fn add(store: &PgStore, cart: CartId, line: &StoredLine) {
    let added = store
        .add_line(cart, line, 50, later(1))
        .await
        .expect("add line");
    assert_eq!(added, LineAdded::Added);
}

async fn read(store: &PgStore, cart: CartId) -> StoredCart {
    store
        .cart(cart)
        .await
        .expect("read cart")
        .expect("open cart")
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn opening_twice_returns_the_same_cart(pool: PgPool) {
    let store = PgStore::new(pool);
    let (customer, merchant) = (UserId::new(), MerchantId::new());

    let (first, first_created) = store
        .open_cart(&new_cart(customer, merchant))
        .await
        .expect("the store answers");
    let (second, second_created) = store
        .open_cart(&new_cart(customer, merchant))
        .await
        .expect("the store answers");

    assert!(first_created);
    assert!(!second_created);
    assert_eq!(second, first);
    assert_eq!(first.created_at, NOW);
    assert!(first.lines.is_empty());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn concurrent_opens_create_exactly_one_cart(pool: PgPool) {
    let store = PgStore::new(pool);
    let (customer, merchant) = (UserId::new(), MerchantId::new());
    let (a, b) = (new_cart(customer, merchant), new_cart(customer, merchant));

    let (a, b) = tokio::join!(store.open_cart(&a), store.open_cart(&b));

    let ((a, a_created), (b, b_created)) =
        (a.expect("the store answers"), b.expect("the store answers"));
    assert!(a_created ^ b_created, "exactly one open creates the cart");
    assert_eq!(a.id, b.id);
    assert_eq!(
        store
            .open_carts(customer)
            .await
            .expect("the store answers")
            .len(),
        1
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn each_merchant_gets_its_own_cart(pool: PgPool) {
    let store = PgStore::new(pool);
    let customer = UserId::new();

    let (a, a_created) = store
        .open_cart(&new_cart(customer, MerchantId::new()))
        .await
        .expect("the store answers");
    let (b, b_created) = store
        .open_cart(&new_cart(customer, MerchantId::new()))
        .await
        .expect("the store answers");

    assert!(a_created && b_created);
    assert_ne!(a.id, b.id);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_checked_out_cart_is_no_longer_open(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let (customer, merchant) = (UserId::new(), MerchantId::new());
    let (old, _) = store
        .open_cart(&new_cart(customer, merchant))
        .await
        .expect("the store answers");
    sqlx::query("update ordering.carts set status = 'checked_out' where id = $1")
        .bind(old.id.0)
        .execute(&pool)
        .await
        .expect("the store answers");

    let (new, created) = store
        .open_cart(&new_cart(customer, merchant))
        .await
        .expect("the store answers");

    assert!(created);
    assert_ne!(new.id, old.id);
    assert_eq!(store.cart(old.id).await.expect("the store answers"), None);
    assert_eq!(
        store
            .add_line(old.id, &line(1, 100), 50, NOW)
            .await
            .expect("the store answers"),
        LineAdded::NoCart
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn lines_read_back_in_the_order_added(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;
    let mut plain = line(3, 250);
    plain.option_ids.clear();
    plain.note = None;
    let lines = [line(2, 1_250), plain, line(99, 0)];

    for line in &lines {
        add(&store, cart.id, line).await;
    }

    let stored = read(&store, cart.id).await;
    assert_eq!(stored.lines, lines);
    assert_eq!(stored.updated_at, later(1));
    assert_eq!(stored.created_at, NOW);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_full_cart_refuses_another_line(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;
    for _ in 0..2 {
        assert_eq!(
            store
                .add_line(cart.id, &line(1, 100), 2, NOW)
                .await
                .expect("the store answers"),
            LineAdded::Added
        );
    }

    let third = store
        .add_line(cart.id, &line(1, 100), 2, later(5))
        .await
        .expect("the store answers");

    assert_eq!(third, LineAdded::LimitReached);
    let stored = read(&store, cart.id).await;
    assert_eq!(stored.lines.len(), 2);
    assert_eq!(stored.updated_at, NOW);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn concurrent_adds_never_pass_the_limit(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;
    let lines: Vec<StoredLine> = (0..6).map(|_| line(1, 100)).collect();

    let outcomes = add_all_at_once(&store, cart.id, &lines).await;

    assert_eq!(
        outcomes.iter().filter(|o| **o == LineAdded::Added).count(),
        3,
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == LineAdded::LimitReached)
            .count(),
        3
    );
    let stored = read(&store, cart.id).await;
    assert_eq!(stored.lines.len(), 3);
}

/// Adds every line at once (each on its own connection), with a limit of three lines.
async fn add_all_at_once(store: &PgStore, cart: CartId, lines: &[StoredLine]) -> Vec<LineAdded> {
    let mut tasks = tokio::task::JoinSet::new();
    for line in lines {
        let (store, line) = (store.clone(), line.clone());
        tasks.spawn(async move {
            store
                .add_line(cart, &line, 3, NOW)
                .await
                .expect("the store answers")
        });
    }
    let mut outcomes = Vec::new();
    while let Some(outcome) = tasks.join_next().await {
        outcomes.push(outcome.expect("task"));
    }
    outcomes
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn adding_to_an_unknown_cart_finds_no_cart(pool: PgPool) {
    let store = PgStore::new(pool);

    let added = store
        .add_line(CartId::new(), &line(1, 100), 50, NOW)
        .await
        .expect("the store answers");

    assert_eq!(added, LineAdded::NoCart);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_replaced_line_keeps_its_place(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;
    let (first, second) = (line(1, 100), line(2, 200));
    add(&store, cart.id, &first).await;
    add(&store, cart.id, &second).await;
    let changed = StoredLine {
        quantity: 5,
        option_ids: vec![OptionId::new()],
        note: None,
        seen_unit_price_minor: 120,
        ..first.clone()
    };

    let replaced = store
        .replace_line(cart.id, &changed, later(7))
        .await
        .expect("the store answers");

    assert!(replaced);
    let stored = read(&store, cart.id).await;
    assert_eq!(stored.lines, [changed, second]);
    assert_eq!(stored.updated_at, later(7));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_removed_line_is_gone(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;
    let (first, second) = (line(1, 100), line(2, 200));
    add(&store, cart.id, &first).await;
    add(&store, cart.id, &second).await;

    let removed = store
        .remove_line(cart.id, first.id, later(7))
        .await
        .expect("the store answers");

    assert!(removed);
    let stored = read(&store, cart.id).await;
    assert_eq!(stored.lines, [second]);
    assert_eq!(stored.updated_at, later(7));
    assert!(
        !store
            .remove_line(cart.id, first.id, later(8))
            .await
            .expect("the store answers")
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_line_of_another_cart_cannot_be_changed_through_this_cart(pool: PgPool) {
    let store = PgStore::new(pool);
    let (mine, theirs) = (open(&store).await, open(&store).await);
    let their_line = line(1, 100);
    add(&store, theirs.id, &their_line).await;
    let changed = StoredLine {
        quantity: 9,
        ..their_line.clone()
    };

    let replaced = store
        .replace_line(mine.id, &changed, later(7))
        .await
        .expect("the store answers");
    let removed = store
        .remove_line(mine.id, their_line.id, later(7))
        .await
        .expect("the store answers");

    assert!(!replaced);
    assert!(!removed);
    let stored = read(&store, theirs.id).await;
    assert_eq!(stored.lines, [their_line]);
    assert_eq!(
        read(&store, mine.id).await.updated_at,
        NOW,
        "a refused change bumps nothing"
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn clearing_empties_the_cart(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;
    add(&store, cart.id, &line(1, 100)).await;
    add(&store, cart.id, &line(2, 200)).await;

    let cleared = store
        .clear(cart.id, later(9))
        .await
        .expect("the store answers");

    assert!(cleared);
    let stored = read(&store, cart.id).await;
    assert!(stored.lines.is_empty());
    assert_eq!(stored.updated_at, later(9));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn clearing_an_unknown_cart_is_refused(pool: PgPool) {
    let store = PgStore::new(pool);

    assert!(
        !store
            .clear(CartId::new(), NOW)
            .await
            .expect("the store answers")
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn open_carts_list_the_most_recently_changed_first(pool: PgPool) {
    let store = PgStore::new(pool);
    let customer = UserId::new();
    let (older, _) = store
        .open_cart(&new_cart(customer, MerchantId::new()))
        .await
        .expect("the store answers");
    let mut newer = new_cart(customer, MerchantId::new());
    newer.created_at = later(1);
    newer.updated_at = later(1);
    let (newer, _) = store.open_cart(&newer).await.expect("the store answers");
    let someone_elses = open(&store).await;
    let added = line(1, 100);

    let before = store.open_carts(customer).await.expect("the store answers");
    store
        .add_line(older.id, &added, 50, later(2))
        .await
        .expect("the store answers");
    let after = store.open_carts(customer).await.expect("the store answers");

    let ids = |carts: &[StoredCart]| carts.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&before), [newer.id, older.id]);
    assert_eq!(ids(&after), [older.id, newer.id]);
    assert_eq!(after[0].lines, [added]);
    assert!(!ids(&after).contains(&someone_elses.id));
}
