//! The cart store: a customer's open carts, one per merchant, with their lines in the order
//! they were added.
//!
//! Every change to a cart's lines updates the cart row first, locking it; triggers keep the
//! row's line count and last position as the lines change. An addition is one statement
//! whose update of the cart waits for a concurrent change and then re-checks the count on
//! the row as that change left it, so concurrent additions cannot exceed the line limit or
//! take the same position. Other changes lock the cart row first (the `update` that bumps
//! `updated_at` and the revision). Reads are one statement (carts left-joined to their
//! lines), so a cart and its lines come from one snapshot.

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::ids::{CartId, CartLineId, ItemId, MerchantId, OptionId, UserId};
use mercato_core::ordering::{CartStore, LineAdded, StoredCart, StoredLine};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{PgStore, store_error};

/// The columns of [`CartLineRow`]: open carts `c` left-joined to their lines `i`.
macro_rules! cart_select {
    () => {
        "select c.id, c.customer_id, c.merchant_id, c.created_at, c.updated_at, c.revision, \
         i.id as line_id, i.menu_item_id, i.quantity, i.option_ids, i.note, \
         i.seen_unit_price_minor \
         from ordering.carts c left join ordering.cart_items i on i.cart_id = c.id \
         where c.status = 'open' "
    };
}

const CART_BY_ID: &str = concat!(cart_select!(), "and c.id = $1 order by i.position");

const OPEN_CART_AT: &str = concat!(
    cart_select!(),
    "and c.customer_id = $1 and c.merchant_id = $2 order by i.position"
);

const OPEN_CARTS_OF: &str = concat!(
    cart_select!(),
    "and c.customer_id = $1 order by c.updated_at desc, c.created_at desc, c.id, i.position"
);

const INSERT_CART: &str = "insert into ordering.carts \
     (id, customer_id, merchant_id, created_at, updated_at) values ($1, $2, $3, $4, $5) \
     on conflict (customer_id, merchant_id) where status = 'open' do nothing returning id";

/// Adds line `$1` to open cart `$2` of customer `$10` after its last one, at `$9`, unless
/// the cart has `$8` lines already; the cart with its lines (those of the statement's snapshot and the new
/// one), and whether that snapshot was the cart's last revision before this one (if a
/// concurrent change committed while the update waited for its lock, the snapshot misses
/// it). No row when nothing was added.
const ADD_LINE_WITHIN_LIMIT: &str = "with seen as ( \
         select revision from ordering.carts where id = $2), \
     bumped as ( \
         update ordering.carts set updated_at = $9, revision = revision + 1 \
         where id = $2 and customer_id = $10 and status = 'open' and line_count < $8 \
         returning id, customer_id, merchant_id, created_at, updated_at, revision, \
             last_position), \
     added as ( \
         insert into ordering.cart_items \
         (id, cart_id, position, menu_item_id, quantity, option_ids, note, seen_unit_price_minor) \
         select $1, b.id, b.last_position + 1, $3, $4, $5, $6, $7 from bumped b \
         returning id, position, menu_item_id, quantity, option_ids, note, \
             seen_unit_price_minor) \
     select b.id, b.customer_id, b.merchant_id, b.created_at, b.updated_at, b.revision, \
         b.revision = (select revision from seen) + 1 as fresh, \
         i.id as line_id, i.menu_item_id, i.quantity, i.option_ids, i.note, \
         i.seen_unit_price_minor \
     from bumped b cross join lateral ( \
         select id, position, menu_item_id, quantity, option_ids, note, seen_unit_price_minor \
         from ordering.cart_items where cart_id = b.id \
         union all select * from added) i \
     order by i.position";

/// Whether cart `$1` of customer `$2` is open (after [`ADD_LINE_WITHIN_LIMIT`] added
/// nothing: then it is full).
const CART_IS_OPEN: &str = "select exists (select 1 from ordering.carts \
     where id = $1 and customer_id = $2 and status = 'open')";

/// Bumps an open cart's `updated_at` and revision, locking its row; no row when it is not
/// open.
const TOUCH_OPEN_CART: &str = "update ordering.carts set updated_at = $2, revision = revision + 1 \
     where id = $1 and status = 'open'";

const REPLACE_LINE: &str = "update ordering.cart_items set menu_item_id = $3, quantity = $4, \
     option_ids = $5, note = $6, seen_unit_price_minor = $7 where id = $1 and cart_id = $2";

const REMOVE_LINE: &str = "delete from ordering.cart_items where id = $1 and cart_id = $2";

const CLEAR_LINES: &str = "delete from ordering.cart_items where cart_id = $1";

/// One row of [`cart_select`]: a cart with one of its lines, or with none.
#[derive(sqlx::FromRow)]
struct CartLineRow {
    id: Uuid,
    customer_id: Uuid,
    merchant_id: Uuid,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    revision: i64,
    line_id: Option<Uuid>,
    menu_item_id: Option<Uuid>,
    quantity: Option<i32>,
    option_ids: Option<Vec<Uuid>>,
    note: Option<String>,
    seen_unit_price_minor: Option<i64>,
}

impl CartLineRow {
    /// The line of this row; `None` for a cart without lines.
    fn line(&self) -> Result<Option<StoredLine>, StoreError> {
        let Some(line_id) = self.line_id else {
            return Ok(None);
        };
        let bad = |what: &str| {
            StoreError::Backend(format!("cart line {line_id} has an invalid stored {what}"))
        };
        Ok(Some(StoredLine {
            id: CartLineId(line_id),
            item_id: ItemId(self.menu_item_id.ok_or_else(|| bad("menu item"))?),
            quantity: self
                .quantity
                .and_then(|q| u32::try_from(q).ok())
                .ok_or_else(|| bad("quantity"))?,
            option_ids: self
                .option_ids
                .as_deref()
                .ok_or_else(|| bad("options"))?
                .iter()
                .copied()
                .map(OptionId)
                .collect(),
            note: self.note.clone(),
            seen_unit_price_minor: self.seen_unit_price_minor.ok_or_else(|| bad("price"))?,
        }))
    }
}

/// Groups rows, ordered by cart, into carts with their lines in row order.
fn carts_from_rows(rows: Vec<CartLineRow>) -> Result<Vec<StoredCart>, StoreError> {
    let mut carts: Vec<StoredCart> = Vec::new();
    for row in rows {
        let line = row.line()?;
        let cart = match carts.last_mut() {
            Some(cart) if cart.id.0 == row.id => cart,
            _ => {
                carts.push(StoredCart {
                    id: CartId(row.id),
                    customer: UserId(row.customer_id),
                    merchant_id: MerchantId(row.merchant_id),
                    lines: Vec::new(),
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                    revision: row.revision,
                });
                carts.last_mut().expect("a cart was just pushed")
            }
        };
        cart.lines.extend(line);
    }
    Ok(carts)
}

fn stored_quantity(quantity: u32) -> Result<i32, StoreError> {
    i32::try_from(quantity)
        .map_err(|_| StoreError::Backend(format!("quantity {quantity} is out of the stored range")))
}

fn option_uuids(line: &StoredLine) -> Vec<Uuid> {
    line.option_ids.iter().map(|o| o.0).collect()
}

/// Bumps an open cart's `updated_at` and revision, locking it until the transaction ends;
/// `false` when there is no such open cart.
async fn touch_open_cart(
    conn: &mut PgConnection,
    cart: CartId,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let done = sqlx::query(TOUCH_OPEN_CART)
        .bind(cart.0)
        .bind(now)
        .execute(conn)
        .await
        .map_err(store_error)?;
    Ok(done.rows_affected() == 1)
}

#[async_trait]
impl CartStore for PgStore {
    async fn open_cart(&self, new: &StoredCart) -> Result<(StoredCart, bool), StoreError> {
        if !new.lines.is_empty() {
            return Err(StoreError::Backend(
                "a cart is opened empty; lines are added to it".to_owned(),
            ));
        }
        // One statement when the cart is new; a concurrent opener's insert makes this one
        // wait on the unique index and then do nothing, and the read that follows (a fresh
        // snapshot) sees the cart it committed.
        let inserted: Option<Uuid> = sqlx::query_scalar(INSERT_CART)
            .bind(new.id.0)
            .bind(new.customer.0)
            .bind(new.merchant_id.0)
            .bind(new.created_at)
            .bind(new.updated_at)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        if inserted.is_some() {
            return Ok((new.clone(), true));
        }
        let rows = sqlx::query_as(OPEN_CART_AT)
            .bind(new.customer.0)
            .bind(new.merchant_id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        // Empty only if the conflicting cart was checked out in between: a failure the
        // caller may retry.
        let cart = carts_from_rows(rows)?.into_iter().next().ok_or_else(|| {
            StoreError::Backend("the open cart was checked out while opening it".to_owned())
        })?;
        Ok((cart, false))
    }

    async fn open_carts(&self, customer: UserId) -> Result<Vec<StoredCart>, StoreError> {
        let rows = sqlx::query_as(OPEN_CARTS_OF)
            .bind(customer.0)
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        carts_from_rows(rows)
    }

    async fn cart(&self, id: CartId) -> Result<Option<StoredCart>, StoreError> {
        let rows = sqlx::query_as(CART_BY_ID)
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(carts_from_rows(rows)?.into_iter().next())
    }

    async fn add_line(
        &self,
        cart: CartId,
        customer: UserId,
        line: &StoredLine,
        max_lines: u32,
        now: OffsetDateTime,
    ) -> Result<LineAdded, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            line: CartLineRow,
            fresh: bool,
        }
        let max_lines = i32::try_from(max_lines).unwrap_or(i32::MAX);
        let rows: Vec<Row> = sqlx::query_as(ADD_LINE_WITHIN_LIMIT)
            .bind(line.id.0)
            .bind(cart.0)
            .bind(line.item_id.0)
            .bind(stored_quantity(line.quantity)?)
            .bind(option_uuids(line))
            .bind(line.note.as_deref())
            .bind(line.seen_unit_price_minor)
            .bind(max_lines)
            .bind(now)
            .bind(customer.0)
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        let Some(fresh) = rows.first().map(|row| row.fresh) else {
            let open: bool = sqlx::query_scalar(CART_IS_OPEN)
                .bind(cart.0)
                .bind(customer.0)
                .fetch_one(&self.pool)
                .await
                .map_err(store_error)?;
            return Ok(if open {
                LineAdded::LimitReached
            } else {
                LineAdded::NoCart
            });
        };
        let added = carts_from_rows(rows.into_iter().map(|row| row.line).collect())?
            .into_iter()
            .next();
        let Some(added) = added else {
            return Err(StoreError::Backend(format!(
                "adding to cart {cart} returned no cart"
            )));
        };
        if fresh {
            return Ok(LineAdded::Added(added));
        }
        // A concurrent change committed after this statement's snapshot was taken (it waited
        // for that change's lock): read the cart as it is now — or, if a checkout closed it
        // since, answer with what this statement saw, the new line included.
        Ok(LineAdded::Added(self.cart(cart).await?.unwrap_or(added)))
    }

    async fn replace_line(
        &self,
        cart: CartId,
        line: &StoredLine,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        if !touch_open_cart(&mut tx, cart, now).await? {
            return Ok(false);
        }
        let done = sqlx::query(REPLACE_LINE)
            .bind(line.id.0)
            .bind(cart.0)
            .bind(line.item_id.0)
            .bind(stored_quantity(line.quantity)?)
            .bind(option_uuids(line))
            .bind(line.note.as_deref())
            .bind(line.seen_unit_price_minor)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        if done.rows_affected() != 1 {
            // Dropping the transaction rolls the bump back.
            return Ok(false);
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn remove_line(
        &self,
        cart: CartId,
        line: CartLineId,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        if !touch_open_cart(&mut tx, cart, now).await? {
            return Ok(false);
        }
        let done = sqlx::query(REMOVE_LINE)
            .bind(line.0)
            .bind(cart.0)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        if done.rows_affected() != 1 {
            // Dropping the transaction rolls the bump back.
            return Ok(false);
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn clear(&self, cart: CartId, now: OffsetDateTime) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        if !touch_open_cart(&mut tx, cart, now).await? {
            return Ok(false);
        }
        sqlx::query(CLEAR_LINES)
            .bind(cart.0)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }
}
