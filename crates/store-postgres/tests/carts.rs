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
        revision: 0,
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

/// Adds `line`, checking that the cart returned is the cart as stored.
async fn add(store: &PgStore, cart: CartId, line: &StoredLine) {
    let owner = read(store, cart).await.customer;
    let added = store
        .add_line(cart, owner, line, 50, later(1))
        .await
        .expect("add line");
    assert_eq!(added, LineAdded::Added(read(store, cart).await));
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
            .add_line(old.id, old.customer, &line(1, 100), 50, NOW)
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
        let added = store
            .add_line(cart.id, cart.customer, &line(1, 100), 2, NOW)
            .await
            .expect("the store answers");
        assert!(matches!(added, LineAdded::Added(_)), "{added:?}");
    }

    let third = store
        .add_line(cart.id, cart.customer, &line(1, 100), 2, later(5))
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

    let outcomes = add_all_at_once(&store, &cart, &lines).await;

    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, LineAdded::Added(_)))
            .count(),
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

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn each_concurrent_add_returns_the_cart_with_every_line_before_its_own(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;
    let lines: Vec<StoredLine> = (0..8).map(|_| line(1, 100)).collect();

    let outcomes = add_all_at_once_within(&store, &cart, &lines, 50).await;

    let stored = read(&store, cart.id).await;
    assert_eq!(stored.lines.len(), lines.len());
    for outcome in outcomes {
        let LineAdded::Added(returned) = outcome else {
            panic!("every add fits: {outcome:?}");
        };
        // What an add returns is the stored cart up to (at least) its own line: a prefix of
        // the final lines, never a set with a gap where a concurrent add committed first.
        let seen = returned.lines.len();
        assert!(seen >= 1);
        assert_eq!(returned.lines, stored.lines[..seen]);
    }
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_removed_or_cleared_line_frees_its_place_under_the_limit(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;
    let (first, second) = (line(1, 100), line(2, 200));
    for l in [&first, &second] {
        let added = store
            .add_line(cart.id, cart.customer, l, 2, NOW)
            .await
            .expect("add");
        assert!(matches!(added, LineAdded::Added(_)));
    }

    assert!(
        store
            .remove_line(cart.id, first.id, later(1))
            .await
            .expect("remove")
    );
    let third = line(3, 300);
    let refill = store
        .add_line(cart.id, cart.customer, &third, 2, later(2))
        .await
        .expect("add");
    let overflow = store
        .add_line(cart.id, cart.customer, &line(4, 400), 2, later(3))
        .await
        .expect("add");
    assert!(store.clear(cart.id, later(4)).await.expect("clear"));
    let after_clear = store
        .add_line(cart.id, cart.customer, &line(5, 500), 2, later(5))
        .await
        .expect("add");

    let LineAdded::Added(refilled) = refill else {
        panic!("a removed line's place is free: {refill:?}");
    };
    assert_eq!(refilled.lines, vec![second, third]);
    assert_eq!(overflow, LineAdded::LimitReached);
    assert!(matches!(after_clear, LineAdded::Added(ref c) if c.lines.len() == 1));
}

/// Adds every line at once (each on its own connection), with a limit of three lines.
async fn add_all_at_once(
    store: &PgStore,
    cart: &StoredCart,
    lines: &[StoredLine],
) -> Vec<LineAdded> {
    add_all_at_once_within(store, cart, lines, 3).await
}

/// Adds every line at once (each on its own connection), with a limit of `limit` lines.
async fn add_all_at_once_within(
    store: &PgStore,
    cart: &StoredCart,
    lines: &[StoredLine],
    limit: u32,
) -> Vec<LineAdded> {
    let (id, owner) = (cart.id, cart.customer);
    let mut tasks = tokio::task::JoinSet::new();
    for line in lines {
        let (store, line) = (store.clone(), line.clone());
        tasks.spawn(async move {
            store
                .add_line(id, owner, &line, limit, NOW)
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
        .add_line(CartId::new(), UserId::new(), &line(1, 100), 50, NOW)
        .await
        .expect("the store answers");

    assert_eq!(added, LineAdded::NoCart);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn lines_written_by_other_means_are_counted_for_the_limit_and_positions(pool: PgPool) {
    // As a process of the earlier version (or an operator) writes them: straight into the
    // lines, positions one past the last.
    let store = PgStore::new(pool.clone());
    let cart = open(&store).await;
    let outside = line(1, 100);
    sqlx::query(
        "insert into ordering.cart_items \
         (id, cart_id, position, menu_item_id, quantity, option_ids, seen_unit_price_minor) \
         values ($1, $2, 7, $3, 1, '{}', 100)",
    )
    .bind(outside.id.0)
    .bind(cart.id.0)
    .bind(outside.item_id.0)
    .execute(&pool)
    .await
    .expect("inserted");

    let second = line(2, 200);
    let added = store
        .add_line(cart.id, cart.customer, &second, 2, NOW)
        .await
        .expect("add");
    let full = store
        .add_line(cart.id, cart.customer, &line(3, 300), 2, NOW)
        .await
        .expect("add");
    sqlx::query("delete from ordering.cart_items where id = $1")
        .bind(outside.id.0)
        .execute(&pool)
        .await
        .expect("deleted");
    let room_again = store
        .add_line(cart.id, cart.customer, &line(4, 400), 2, later(1))
        .await
        .expect("add");

    let LineAdded::Added(added) = added else {
        panic!("one line is below the limit of two: {added:?}");
    };
    assert_eq!(added.lines.len(), 2);
    assert_eq!(added.lines[1].id, second.id, "after the line at position 7");
    assert_eq!(full, LineAdded::LimitReached);
    assert!(matches!(room_again, LineAdded::Added(ref c) if c.lines.len() == 2));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn adding_to_another_customers_cart_finds_no_cart(pool: PgPool) {
    let store = PgStore::new(pool);
    let cart = open(&store).await;

    let added = store
        .add_line(cart.id, UserId::new(), &line(1, 100), 50, NOW)
        .await
        .expect("the store answers");

    assert_eq!(added, LineAdded::NoCart);
    assert!(read(&store, cart.id).await.lines.is_empty());
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
        .add_line(older.id, older.customer, &added, 50, later(2))
        .await
        .expect("the store answers");
    let after = store.open_carts(customer).await.expect("the store answers");

    let ids = |carts: &[StoredCart]| carts.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&before), [newer.id, older.id]);
    assert_eq!(ids(&after), [older.id, newer.id]);
    assert_eq!(after[0].lines, [added]);
    assert!(!ids(&after).contains(&someone_elses.id));
}
