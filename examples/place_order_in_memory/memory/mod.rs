//! In-memory adapters of every port the catalog, cart and order use cases run behind: what a
//! Rust program embedding Mercato's core implements (Mercato's own are the PostgreSQL stores
//! of `mercato-store-postgres`).
//!
//! One [`Memory`] holds every table, each context's behind its own `Mutex`, and implements
//! every store trait. A method holds one lock at a time, and the ordering context's tables
//! (carts, orders, keys, couriers, tracking, reviews) share one lock, so what the traits
//! require to be one transaction — placing an order closes its cart, assigning a courier
//! changes the order and the courier — is. Events the use cases record go to an outbox
//! (a `Vec` here), live updates to a log the example reads back.

mod catalog;
mod geo;
mod identity;
mod ordering;

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use mercato::core::StoreError;
use mercato::core::catalog::{
    Candidate, CandidateQuery, CatalogStore, DiscoverySort, HeldMenu, Menu, MenuItem, MenuRead,
    MenuSection, Merchant, MerchantHours, MerchantQuery, MerchantRead, MerchantSummary,
    OpenSchedule, OpeningHours, Review, SortPosition, StaffDirectory, delivery_fee_minor,
};
use mercato::core::clock::Clock;
use mercato::core::events::OutboxEvent;
use mercato::core::geo::{COUNTRIES_PKEY, City, Country, CountryCode, GeoStore, LatLng};
use mercato::core::geo::{ServiceCategory, distance_m};
use mercato::core::identity::{
    Address, AddressCreated, AddressFields, AddressStore, Email, NewAccount, PasswordHash,
    Preferences, Profile, User, UserLocation, UserStore,
};
use mercato::core::ids::{
    AddressId, CartId, CartLineId, CityId, ItemId, MerchantId, OrderId, ReviewId, SectionId,
    SessionId, UserId,
};
use mercato::core::money::Money;
use mercato::core::ordering::{
    ASSIGNABLE, AssignOutcome, CartStore, CourierChoice, CourierPosition, CourierStatus,
    CourierStore, IDEMPOTENCY_KEY_LIFETIME, IdempotencyKey, InsightStore, KnownKey, LineAdded,
    Order, OrderReview, OrderStatus, OrderStore, OrderUpdate, PendingAssignment, Placed, Placement,
    PositionOutcome, StatsRows, StatusChange, StoredCart, StoredLine, TRACKABLE,
};
use mercato::core::{Principal, Role};
use time::OffsetDateTime;

/// Locks a table. A panic while holding a lock cannot leave a table half-written (every
/// method checks first and writes last), so a poisoned lock is taken over.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The answer of a method the example's story never calls: a clear refusal rather than a
/// half-done imitation of the real store.
fn unsupported<T>(what: &str) -> Result<T, StoreError> {
    Err(StoreError::Backend(format!(
        "{what}: not supported by the example's in-memory store"
    )))
}

/// The tables of every context the example runs.
#[derive(Default)]
pub struct Memory {
    geo: Mutex<GeoTables>,
    catalog: Mutex<HashMap<MerchantId, MerchantRow>>,
    identity: Mutex<IdentityTables>,
    ordering: Mutex<OrderingTables>,
    /// Domain events recorded by the use cases, in order (a real adapter writes them in
    /// the same transaction as the change and delivers them later).
    outbox: Mutex<Vec<OutboxEvent>>,
    /// Live order updates, in order, as the PostgreSQL store would `NOTIFY` them.
    updates: Mutex<Vec<OrderUpdate>>,
}

#[derive(Default)]
struct GeoTables {
    countries: HashMap<CountryCode, Country>,
    cities: HashMap<CityId, City>,
}

struct MerchantRow {
    merchant: Merchant,
    schedule: OpenSchedule,
    sections: Vec<MenuSection>,
    menu_version: i64,
}

impl MerchantRow {
    fn menu(&self) -> Menu {
        let mut sections = self.sections.clone();
        sections.sort_by_key(|s| (s.position, s.id));
        Menu {
            merchant_id: self.merchant.id,
            currency: self.merchant.currency.clone(),
            version: self.menu_version,
            sections,
        }
    }

    fn menu_read(&self, held: Option<&HeldMenu>) -> MenuRead {
        match held {
            Some(held)
                if held.version == self.menu_version && held.currency == self.merchant.currency =>
            {
                MenuRead::Held
            }
            _ => MenuRead::Current(self.menu()),
        }
    }

    /// Whether the merchant is open at `now`, and when it next opens if not.
    fn open_at(&self, now: OffsetDateTime) -> (bool, Option<OffsetDateTime>) {
        let windows = || self.schedule.windows.iter().filter_map(|w| w.bounds());
        let open = windows().any(|(opens, closes)| opens <= now && now < closes);
        let next = if open {
            None
        } else {
            windows().map(|(opens, _)| opens).find(|opens| *opens > now)
        };
        (open, next)
    }

    fn menu_changed(&mut self) {
        self.menu_version += 1;
    }
}

#[derive(Default)]
struct IdentityTables {
    users: HashMap<UserId, User>,
    staff: HashSet<(UserId, MerchantId)>,
}

struct CartRow {
    cart: StoredCart,
    open: bool,
}

struct KeyRow {
    fingerprint: String,
    response: serde_json::Value,
    created_at: OffsetDateTime,
}

#[derive(Default)]
struct OrderingTables {
    carts: HashMap<CartId, CartRow>,
    orders: HashMap<OrderId, Order>,
    history: HashMap<OrderId, Vec<StatusChange>>,
    keys: HashMap<(UserId, String), KeyRow>,
    couriers: HashMap<UserId, CourierStatus>,
    /// When each courier last posted a position for an order.
    last_posts: HashMap<UserId, OffsetDateTime>,
    /// Tracking points per order, oldest first.
    tracking: HashMap<OrderId, Vec<CourierPosition>>,
}

impl OrderingTables {
    /// Orders matching `keep`, newest first, after the order `after`, at most `limit`.
    fn newest_first(
        &self,
        keep: impl Fn(&Order) -> bool,
        after: Option<OrderId>,
        limit: u32,
    ) -> Vec<Order> {
        let mut orders: Vec<&Order> = self.orders.values().filter(|o| keep(o)).collect();
        orders.sort_by_key(|o| Reverse((o.created_at, o.id)));
        let start = match after.and_then(|id| orders.iter().position(|o| o.id == id)) {
            Some(at) => at + 1,
            None if after.is_some() => orders.len(),
            None => 0,
        };
        orders
            .into_iter()
            .skip(start)
            .take(limit as usize)
            .cloned()
            .collect()
    }
}

impl Memory {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a user directly — the embedding program's own sign-up, which the example does
    /// not run (identity's use cases also need sessions, password hashing and tokens).
    pub fn insert_user(&self, user: User) {
        lock(&self.identity).users.insert(user.id, user);
    }

    /// The principal `user` acts as: what an embedding program derives from its own
    /// authentication (Mercato's server: from a session's access token).
    #[must_use]
    pub fn principal(&self, user: UserId) -> Option<Principal> {
        let identity = lock(&self.identity);
        let found = identity.users.get(&user)?;
        let mut merchant_ids: Vec<MerchantId> = identity
            .staff
            .iter()
            .filter(|(member, _)| *member == user)
            .map(|(_, merchant)| *merchant)
            .collect();
        merchant_ids.sort_unstable();
        Some(Principal {
            user_id: user,
            session_id: SessionId::new(),
            roles: found.roles.clone(),
            merchant_ids,
        })
    }

    /// The topics of the events recorded so far, in order.
    #[must_use]
    pub fn event_topics(&self) -> Vec<&'static str> {
        lock(&self.outbox).iter().map(|e| e.event.topic()).collect()
    }

    /// The live updates published after the first `seen`.
    #[must_use]
    pub fn updates_since(&self, seen: usize) -> Vec<OrderUpdate> {
        lock(&self.updates).iter().skip(seen).cloned().collect()
    }

    fn record(&self, events: &[OutboxEvent]) {
        lock(&self.outbox).extend_from_slice(events);
    }

    fn publish(&self, update: OrderUpdate) {
        lock(&self.updates).push(update);
    }
}

// --- time --------------------------------------------------------------------------------

/// A clock the example moves forward by hand, so the order's timeline reads like a real one
/// without waiting for it.
pub struct SteppingClock(Mutex<OffsetDateTime>);

impl SteppingClock {
    /// A clock showing `start`.
    #[must_use]
    pub fn starting_at(start: OffsetDateTime) -> Self {
        Self(Mutex::new(start))
    }

    /// Moves the clock `by` forward.
    pub fn advance(&self, by: time::Duration) {
        *lock(&self.0) += by;
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> OffsetDateTime {
        *lock(&self.0)
    }
}
