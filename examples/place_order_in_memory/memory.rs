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

// --- geography -----------------------------------------------------------------------------

#[async_trait]
impl GeoStore for Memory {
    async fn list_countries(&self) -> Result<Vec<Country>, StoreError> {
        let mut countries: Vec<Country> = lock(&self.geo).countries.values().cloned().collect();
        countries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(countries)
    }

    async fn country(&self, code: &CountryCode) -> Result<Option<Country>, StoreError> {
        Ok(lock(&self.geo).countries.get(code).cloned())
    }

    async fn create_country(&self, country: &Country) -> Result<(), StoreError> {
        let mut geo = lock(&self.geo);
        if geo.countries.contains_key(&country.code) {
            return Err(StoreError::UniqueViolation(COUNTRIES_PKEY.to_owned()));
        }
        geo.countries.insert(country.code.clone(), country.clone());
        Ok(())
    }

    async fn update_country(&self, country: &Country) -> Result<bool, StoreError> {
        let mut geo = lock(&self.geo);
        Ok(match geo.countries.get_mut(&country.code) {
            Some(row) => {
                *row = country.clone();
                true
            }
            None => false,
        })
    }

    async fn cities_of(&self, country: &CountryCode) -> Result<Vec<City>, StoreError> {
        let geo = lock(&self.geo);
        let mut cities: Vec<City> = geo
            .cities
            .values()
            .filter(|c| &c.country_code == country)
            .cloned()
            .collect();
        cities.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(cities)
    }

    async fn city(&self, id: CityId) -> Result<Option<City>, StoreError> {
        Ok(lock(&self.geo).cities.get(&id).cloned())
    }

    async fn create_city(&self, city: &City) -> Result<(), StoreError> {
        let mut geo = lock(&self.geo);
        if geo.cities.contains_key(&city.id) {
            return Err(StoreError::UniqueViolation("cities_pkey".to_owned()));
        }
        geo.cities.insert(city.id, city.clone());
        Ok(())
    }

    async fn update_city(&self, city: &City) -> Result<bool, StoreError> {
        let mut geo = lock(&self.geo);
        Ok(match geo.cities.get_mut(&city.id) {
            Some(row) => {
                *row = city.clone();
                true
            }
            None => false,
        })
    }

    async fn set_city_category(
        &self,
        city: CityId,
        category: ServiceCategory,
        enabled: bool,
    ) -> Result<Option<City>, StoreError> {
        let mut geo = lock(&self.geo);
        let Some(row) = geo.cities.get_mut(&city) else {
            return Ok(None);
        };
        row.categories.retain(|c| *c != category);
        if enabled {
            row.categories.push(category);
            row.categories.sort_unstable();
        }
        Ok(Some(row.clone()))
    }

    /// Every enabled city of an enabled country: with a handful of cities there is no need
    /// for the bounding boxes a database keeps; the caller checks each zone exactly.
    async fn cities_around(&self, _point: LatLng) -> Result<Vec<City>, StoreError> {
        let geo = lock(&self.geo);
        Ok(geo
            .cities
            .values()
            .filter(|c| {
                c.enabled
                    && geo
                        .countries
                        .get(&c.country_code)
                        .is_some_and(|country| country.enabled)
            })
            .cloned()
            .collect())
    }
}

// --- catalog -------------------------------------------------------------------------------

#[async_trait]
impl CatalogStore for Memory {
    async fn discover(&self, query: &CandidateQuery) -> Result<Vec<Candidate>, StoreError> {
        let catalog = lock(&self.catalog);
        let text = query.text.as_ref().map(|t| t.to_lowercase());
        let mut found: Vec<Candidate> = catalog
            .values()
            .filter_map(|row| {
                let m = &row.merchant;
                let distance = distance_m(m.location, query.point);
                let (open, next_opening_at) = row.open_at(query.now);
                let open_now = open && !m.paused;
                let matches = m.city_id == query.city
                    && distance <= f64::from(m.delivery_radius_m)
                    && m.categories.iter().any(|c| query.categories.contains(c))
                    && query
                        .cuisine
                        .as_ref()
                        .is_none_or(|c| m.cuisines.contains(c))
                    && text.as_ref().is_none_or(|t| {
                        m.name.to_lowercase().contains(t)
                            || row
                                .sections
                                .iter()
                                .flat_map(|s| &s.items)
                                .any(|i| i.name.to_lowercase().contains(t))
                    })
                    && (open_now || !query.open_now);
                if !matches {
                    return None;
                }
                let eta = query.eta.eta_minutes(m.avg_prep_minutes, m.busy, distance);
                let fee = delivery_fee_minor(&m.delivery_fee_bands, distance);
                let key = match query.sort {
                    DiscoverySort::Distance => distance,
                    DiscoverySort::Rating => -m.rating.average,
                    DiscoverySort::Eta => f64::from(eta),
                    // Fees are far below 2^53 minor units: exact as a float.
                    #[allow(clippy::cast_precision_loss)]
                    DiscoverySort::Fee => fee as f64,
                };
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let distance_m = distance.round() as u32;
                Some(Candidate {
                    summary: MerchantSummary {
                        id: m.id,
                        name: m.name.clone(),
                        categories: m.categories.clone(),
                        cuisines: m.cuisines.clone(),
                        rating: m.rating,
                        distance_m,
                        eta_minutes: eta,
                        delivery_fee: Money::new(fee, m.currency.clone()),
                        minimum_order: m.minimum_order.clone(),
                        open_now,
                        next_opening_at,
                        paused: m.paused,
                        image_url: m.image_url.clone(),
                    },
                    position: SortPosition { key, id: m.id },
                })
            })
            .filter(|c| {
                query
                    .after
                    .is_none_or(|after| (c.position.key, c.position.id) > (after.key, after.id))
            })
            .collect();
        found.sort_by(|a, b| {
            a.position
                .key
                .total_cmp(&b.position.key)
                .then(a.position.id.cmp(&b.position.id))
        });
        found.truncate(query.limit as usize);
        Ok(found)
    }

    async fn merchants(
        &self,
        query: &MerchantQuery,
        now: OffsetDateTime,
    ) -> Result<Vec<(Merchant, bool, Option<OffsetDateTime>)>, StoreError> {
        let catalog = lock(&self.catalog);
        let needle = query.name_contains.as_ref().map(|t| t.to_lowercase());
        let mut found: Vec<_> = catalog
            .values()
            .filter(|row| {
                let m = &row.merchant;
                query.only.as_ref().is_none_or(|ids| ids.contains(&m.id))
                    && query.city.is_none_or(|c| m.city_id == c)
                    && needle
                        .as_ref()
                        .is_none_or(|t| m.name.to_lowercase().contains(t))
                    && query.after.is_none_or(|after| m.id > after)
            })
            .map(|row| {
                let (open, next) = row.open_at(now);
                (row.merchant.clone(), open, next)
            })
            .collect();
        found.sort_by_key(|(m, ..)| m.id);
        found.truncate(query.limit as usize);
        Ok(found)
    }

    async fn merchant(
        &self,
        id: MerchantId,
        now: OffsetDateTime,
    ) -> Result<Option<(Merchant, bool, Option<OffsetDateTime>)>, StoreError> {
        Ok(lock(&self.catalog).get(&id).map(|row| {
            let (open, next) = row.open_at(now);
            (row.merchant.clone(), open, next)
        }))
    }

    async fn create_merchant(
        &self,
        merchant: &Merchant,
        schedule: &OpenSchedule,
    ) -> Result<(), StoreError> {
        let mut catalog = lock(&self.catalog);
        if catalog.contains_key(&merchant.id) {
            return Err(StoreError::UniqueViolation("merchants_pkey".to_owned()));
        }
        catalog.insert(
            merchant.id,
            MerchantRow {
                merchant: merchant.clone(),
                schedule: schedule.clone(),
                sections: Vec::new(),
                menu_version: 1,
            },
        );
        Ok(())
    }

    async fn update_merchant(
        &self,
        _merchant: &Merchant,
        _schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        unsupported("editing merchants")
    }

    async fn set_hours(
        &self,
        _id: MerchantId,
        _hours: &OpeningHours,
        _schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        unsupported("changing opening hours")
    }

    async fn set_pause(
        &self,
        _id: MerchantId,
        _paused: bool,
        _busy: Option<bool>,
    ) -> Result<bool, StoreError> {
        unsupported("pausing merchants")
    }

    async fn menu_version(&self, id: MerchantId) -> Result<Option<i64>, StoreError> {
        Ok(lock(&self.catalog).get(&id).map(|row| row.menu_version))
    }

    async fn current_menu(
        &self,
        id: MerchantId,
        held: Option<HeldMenu>,
    ) -> Result<Option<MenuRead>, StoreError> {
        Ok(lock(&self.catalog)
            .get(&id)
            .map(|row| row.menu_read(held.as_ref())))
    }

    async fn merchant_with_menu(
        &self,
        id: MerchantId,
        now: OffsetDateTime,
        held: Option<HeldMenu>,
    ) -> Result<Option<MerchantRead>, StoreError> {
        Ok(lock(&self.catalog).get(&id).map(|row| {
            let (open, next_opening_at) = row.open_at(now);
            MerchantRead {
                merchant: row.merchant.clone(),
                open,
                next_opening_at,
                menu: row.menu_read(held.as_ref()),
            }
        }))
    }

    async fn create_section(
        &self,
        merchant: MerchantId,
        section: &MenuSection,
    ) -> Result<Option<i32>, StoreError> {
        let mut catalog = lock(&self.catalog);
        let Some(row) = catalog.get_mut(&merchant) else {
            return Ok(None);
        };
        let position = if section.position == i32::MAX {
            row.sections
                .iter()
                .map(|s| s.position + 1)
                .max()
                .unwrap_or(0)
        } else {
            section.position
        };
        row.sections.push(MenuSection {
            position,
            ..section.clone()
        });
        row.menu_changed();
        Ok(Some(position))
    }

    async fn update_section(
        &self,
        _merchant: MerchantId,
        _section: &MenuSection,
    ) -> Result<Option<i32>, StoreError> {
        unsupported("editing menu sections")
    }

    async fn delete_section(
        &self,
        _merchant: MerchantId,
        _section: SectionId,
    ) -> Result<bool, StoreError> {
        unsupported("deleting menu sections")
    }

    async fn create_item(
        &self,
        merchant: MerchantId,
        section: SectionId,
        item: &MenuItem,
    ) -> Result<bool, StoreError> {
        let mut catalog = lock(&self.catalog);
        let Some(row) = catalog.get_mut(&merchant) else {
            return Ok(false);
        };
        let Some(stored) = row.sections.iter_mut().find(|s| s.id == section) else {
            return Ok(false);
        };
        stored.items.push(item.clone());
        row.menu_changed();
        Ok(true)
    }

    async fn replace_item(
        &self,
        _merchant: MerchantId,
        _item: &MenuItem,
    ) -> Result<bool, StoreError> {
        unsupported("editing menu items")
    }

    async fn delete_item(&self, _merchant: MerchantId, _item: ItemId) -> Result<bool, StoreError> {
        unsupported("deleting menu items")
    }

    async fn set_item_availability(
        &self,
        _merchant: MerchantId,
        _item: ItemId,
        _available: bool,
    ) -> Result<bool, StoreError> {
        unsupported("marking items unavailable")
    }

    /// None: this store takes no reviews ([`CatalogStore::add_review`]).
    async fn reviews(
        &self,
        _merchant: MerchantId,
        _after: Option<ReviewId>,
        _limit: u32,
    ) -> Result<Vec<Review>, StoreError> {
        Ok(Vec::new())
    }

    async fn add_review(
        &self,
        _merchant: MerchantId,
        _review: &Review,
    ) -> Result<bool, StoreError> {
        unsupported("reviews")
    }

    /// The periodic refresh of open windows (`CatalogService::refresh_open_windows`) is not
    /// run: a merchant's windows cover the next `SCHEDULE_DAYS` (8) days, far more than the
    /// example needs.
    async fn hours_needing_windows(
        &self,
        _horizon: OffsetDateTime,
        _limit: u32,
    ) -> Result<Vec<MerchantHours>, StoreError> {
        unsupported("refreshing open windows")
    }

    async fn replace_windows(
        &self,
        _merchant: &MerchantHours,
        _schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        unsupported("refreshing open windows")
    }
}

// --- identity (what ordering and the catalog use of it) ------------------------------------

#[async_trait]
impl UserStore for Memory {
    /// Accounts come from [`Memory::insert_user`]: this store keeps no passwords or
    /// sessions, so identity's sign-up does not run on it.
    async fn create_user(&self, _account: &NewAccount) -> Result<User, StoreError> {
        unsupported("signing up (insert users with Memory::insert_user)")
    }

    /// Nobody has a password here.
    async fn find_credentials(
        &self,
        _email: &Email,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        Ok(None)
    }

    async fn password_hash(&self, _user: UserId) -> Result<Option<PasswordHash>, StoreError> {
        Ok(None)
    }

    async fn get_user(&self, user: UserId) -> Result<Option<User>, StoreError> {
        Ok(lock(&self.identity).users.get(&user).cloned())
    }

    async fn update_profile(
        &self,
        _user: UserId,
        _profile: &Profile,
    ) -> Result<Option<User>, StoreError> {
        unsupported("editing profiles")
    }

    /// Stores the hash; there are no sessions here to revoke.
    async fn change_password(
        &self,
        _user: UserId,
        _password: &PasswordHash,
        _keep: SessionId,
        _now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        unsupported("passwords")
    }

    async fn set_location(
        &self,
        _user: UserId,
        _location: &UserLocation,
    ) -> Result<(), StoreError> {
        unsupported("recording users' locations")
    }

    async fn preferences(&self, _user: UserId) -> Result<Option<Preferences>, StoreError> {
        unsupported("preferences")
    }

    async fn put_preferences(
        &self,
        _user: UserId,
        _preferences: &Preferences,
    ) -> Result<(), StoreError> {
        unsupported("preferences")
    }
}

#[async_trait]
impl AddressStore for Memory {
    /// None: this store saves no addresses (checkout is given the delivery details).
    async fn list_addresses(&self, _owner: UserId) -> Result<Vec<Address>, StoreError> {
        Ok(Vec::new())
    }

    async fn create_address(
        &self,
        _owner: UserId,
        _id: AddressId,
        _fields: &AddressFields,
        _limit: u32,
        _now: OffsetDateTime,
    ) -> Result<AddressCreated, StoreError> {
        unsupported("saving addresses")
    }

    async fn update_address(
        &self,
        _owner: UserId,
        _id: AddressId,
        _fields: &AddressFields,
        _now: OffsetDateTime,
    ) -> Result<Option<Address>, StoreError> {
        Ok(None)
    }

    async fn delete_address(&self, _owner: UserId, _id: AddressId) -> Result<bool, StoreError> {
        Ok(false)
    }
}

#[async_trait]
impl StaffDirectory for Memory {
    async fn add_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        let mut identity = lock(&self.identity);
        let Some(found) = identity.users.get_mut(&user) else {
            return Ok(false);
        };
        if !found.roles.contains(&Role::MerchantStaff) {
            found.roles.push(Role::MerchantStaff);
        }
        identity.staff.insert((user, merchant));
        Ok(true)
    }

    async fn remove_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        Ok(lock(&self.identity).staff.remove(&(user, merchant)))
    }
}

// --- ordering: carts -----------------------------------------------------------------------

#[async_trait]
impl CartStore for Memory {
    async fn open_cart(&self, new: &StoredCart) -> Result<(StoredCart, bool), StoreError> {
        let mut ordering = lock(&self.ordering);
        if let Some(open) = ordering.carts.values().find(|row| {
            row.open && row.cart.customer == new.customer && row.cart.merchant_id == new.merchant_id
        }) {
            return Ok((open.cart.clone(), false));
        }
        ordering.carts.insert(
            new.id,
            CartRow {
                cart: new.clone(),
                open: true,
            },
        );
        Ok((new.clone(), true))
    }

    async fn open_carts(&self, customer: UserId) -> Result<Vec<StoredCart>, StoreError> {
        let ordering = lock(&self.ordering);
        let mut carts: Vec<StoredCart> = ordering
            .carts
            .values()
            .filter(|row| row.open && row.cart.customer == customer)
            .map(|row| row.cart.clone())
            .collect();
        carts.sort_by_key(|c| Reverse(c.updated_at));
        Ok(carts)
    }

    async fn cart(&self, id: CartId) -> Result<Option<StoredCart>, StoreError> {
        Ok(lock(&self.ordering)
            .carts
            .get(&id)
            .filter(|row| row.open)
            .map(|row| row.cart.clone()))
    }

    async fn add_line(
        &self,
        cart: CartId,
        customer: UserId,
        line: &StoredLine,
        max_lines: u32,
        now: OffsetDateTime,
    ) -> Result<LineAdded, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(row) = ordering
            .carts
            .get_mut(&cart)
            .filter(|row| row.open && row.cart.customer == customer)
        else {
            return Ok(LineAdded::NoCart);
        };
        if row.cart.lines.len() >= max_lines as usize {
            return Ok(LineAdded::LimitReached);
        }
        row.cart.lines.push(line.clone());
        touch(&mut row.cart, now);
        Ok(LineAdded::Added(row.cart.clone()))
    }

    async fn replace_line(
        &self,
        cart: CartId,
        line: &StoredLine,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(row) = ordering.carts.get_mut(&cart).filter(|row| row.open) else {
            return Ok(false);
        };
        let Some(stored) = row.cart.lines.iter_mut().find(|l| l.id == line.id) else {
            return Ok(false);
        };
        *stored = line.clone();
        touch(&mut row.cart, now);
        Ok(true)
    }

    async fn remove_line(
        &self,
        cart: CartId,
        line: CartLineId,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(row) = ordering.carts.get_mut(&cart).filter(|row| row.open) else {
            return Ok(false);
        };
        let before = row.cart.lines.len();
        row.cart.lines.retain(|l| l.id != line);
        if row.cart.lines.len() == before {
            return Ok(false);
        }
        touch(&mut row.cart, now);
        Ok(true)
    }

    async fn clear(&self, cart: CartId, now: OffsetDateTime) -> Result<bool, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(row) = ordering.carts.get_mut(&cart).filter(|row| row.open) else {
            return Ok(false);
        };
        row.cart.lines.clear();
        touch(&mut row.cart, now);
        Ok(true)
    }
}

/// Every change of a cart moves its revision, so checkout can tell it changed.
fn touch(cart: &mut StoredCart, now: OffsetDateTime) {
    cart.updated_at = now;
    cart.revision += 1;
}

// --- ordering: orders ----------------------------------------------------------------------

#[async_trait]
impl OrderStore for Memory {
    async fn known_key(
        &self,
        key: &IdempotencyKey,
        now: OffsetDateTime,
    ) -> Result<Option<KnownKey>, StoreError> {
        let ordering = lock(&self.ordering);
        Ok(ordering
            .keys
            .get(&(key.customer, key.key.clone()))
            .filter(|row| row.created_at >= now - IDEMPOTENCY_KEY_LIFETIME)
            .map(|row| {
                if row.fingerprint == key.fingerprint {
                    KnownKey::Replay(row.response.clone())
                } else {
                    KnownKey::Mismatch
                }
            }))
    }

    async fn place_order(&self, placement: &Placement) -> Result<Placed, StoreError> {
        let mut ordering = lock(&self.ordering);
        let order = &placement.order;
        let key = (placement.key.customer, placement.key.key.clone());
        let now = order.created_at;
        if ordering
            .keys
            .get(&key)
            .is_some_and(|row| row.created_at >= now - IDEMPOTENCY_KEY_LIFETIME)
        {
            return Ok(Placed::KeyTaken);
        }
        let Some(cart) = ordering
            .carts
            .get_mut(&placement.cart)
            .filter(|row| row.open && row.cart.customer == order.customer_id)
        else {
            return Ok(Placed::CartNotOpen);
        };
        if cart.cart.revision != placement.cart_version {
            return Ok(Placed::CartChanged);
        }
        cart.open = false;
        ordering.keys.insert(
            key,
            KeyRow {
                fingerprint: placement.key.fingerprint.clone(),
                response: placement.response.clone(),
                created_at: now,
            },
        );
        ordering.orders.insert(order.id, order.clone());
        ordering
            .history
            .insert(order.id, vec![placement.first.clone()]);
        drop(ordering);
        self.record(&placement.events);
        Ok(Placed::Placed)
    }

    async fn order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        Ok(lock(&self.ordering).orders.get(&id).cloned())
    }

    async fn orders_of(
        &self,
        customer: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        Ok(lock(&self.ordering).newest_first(
            |o| o.customer_id == customer && status.is_none_or(|s| o.status == s),
            after,
            limit,
        ))
    }

    async fn orders_of_merchant(
        &self,
        merchant: MerchantId,
        status: Option<OrderStatus>,
        from: Option<OffsetDateTime>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        Ok(lock(&self.ordering).newest_first(
            |o| {
                o.merchant_id == merchant
                    && status.is_none_or(|s| o.status == s)
                    && from.is_none_or(|from| o.created_at >= from)
            },
            after,
            limit,
        ))
    }

    async fn history(&self, id: OrderId) -> Result<Vec<StatusChange>, StoreError> {
        Ok(lock(&self.ordering)
            .history
            .get(&id)
            .cloned()
            .unwrap_or_default())
    }

    async fn change_status(
        &self,
        id: OrderId,
        expected: OrderStatus,
        change: &StatusChange,
        events: &[OutboxEvent],
    ) -> Result<bool, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(order) = ordering
            .orders
            .get_mut(&id)
            .filter(|o| o.status == expected)
        else {
            return Ok(false);
        };
        order.status = change.status;
        order.updated_at = change.at;
        ordering.history.entry(id).or_default().push(change.clone());
        if change.status.is_terminal() {
            // A finished order frees its courier for the next one.
            for courier in ordering.couriers.values_mut() {
                if courier.active_order_id == Some(id) {
                    courier.active_order_id = None;
                    courier.updated_at = change.at;
                }
            }
        }
        drop(ordering);
        self.record(events);
        self.publish(OrderUpdate::Status {
            order_id: id,
            status: change.status,
            reason: change.reason,
            at: change.at,
            merchant_id: None,
        });
        Ok(true)
    }
}

// --- ordering: couriers and tracking -------------------------------------------------------

#[async_trait]
impl CourierStore for Memory {
    async fn set_courier_status(
        &self,
        courier: UserId,
        first_name: &str,
        online: bool,
        position: Option<CourierPosition>,
        now: OffsetDateTime,
    ) -> Result<CourierStatus, StoreError> {
        let mut ordering = lock(&self.ordering);
        let row = ordering
            .couriers
            .entry(courier)
            .or_insert_with(|| CourierStatus {
                courier_id: courier,
                first_name: first_name.to_owned(),
                online,
                position: None,
                active_order_id: None,
                updated_at: now,
            });
        row.first_name = first_name.to_owned();
        row.online = online;
        // Going offline forgets where the courier is; no position given keeps the last one.
        if !online {
            row.position = None;
        } else if position.is_some() {
            row.position = position;
        }
        row.updated_at = now;
        Ok(row.clone())
    }

    async fn courier(&self, courier: UserId) -> Result<Option<CourierStatus>, StoreError> {
        Ok(lock(&self.ordering).couriers.get(&courier).cloned())
    }

    async fn assign_courier(
        &self,
        choice: CourierChoice,
        pending: &PendingAssignment,
    ) -> Result<AssignOutcome, StoreError> {
        let mut ordering = lock(&self.ordering);
        let assignable = ordering
            .orders
            .get(&pending.order_id)
            .is_some_and(|o| o.courier_id.is_none() && ASSIGNABLE.contains(&o.status));
        if !assignable {
            return Ok(AssignOutcome::OrderNotAssignable);
        }
        let free = |c: &&CourierStatus| c.online && c.active_order_id.is_none();
        let chosen = match choice {
            CourierChoice::Given(id) => match ordering.couriers.get(&id).filter(free) {
                Some(courier) => courier.courier_id,
                None => return Ok(AssignOutcome::CourierUnavailable),
            },
            CourierChoice::Nearest {
                near,
                radius_m,
                fresh_since,
            } => {
                let nearest = ordering
                    .couriers
                    .values()
                    .filter(free)
                    .filter_map(|c| {
                        let position = c.position.filter(|p| p.at >= fresh_since)?;
                        let distance = distance_m(position.point(), near);
                        (distance <= radius_m).then_some((distance, c.courier_id))
                    })
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                match nearest {
                    Some((_, id)) => id,
                    None => return Ok(AssignOutcome::NoCourier),
                }
            }
        };
        if let Some(order) = ordering.orders.get_mut(&pending.order_id) {
            order.courier_id = Some(chosen);
            order.updated_at = pending.at;
        }
        let Some(courier) = ordering.couriers.get_mut(&chosen) else {
            return Err(StoreError::Backend(format!("courier {chosen} vanished")));
        };
        courier.active_order_id = Some(pending.order_id);
        courier.updated_at = pending.at;
        let assigned = courier.clone();
        drop(ordering);
        self.record(&[pending.into_event(chosen)]);
        self.publish(OrderUpdate::CourierAssigned {
            order_id: pending.order_id,
            first_name: assigned.first_name.clone(),
        });
        Ok(AssignOutcome::Assigned(assigned))
    }

    async fn record_position(
        &self,
        courier: UserId,
        order: OrderId,
        position: &CourierPosition,
        min_interval: time::Duration,
    ) -> Result<PositionOutcome, StoreError> {
        let mut ordering = lock(&self.ordering);
        let active = ordering
            .couriers
            .get(&courier)
            .is_some_and(|c| c.active_order_id == Some(order))
            && ordering
                .orders
                .get(&order)
                .is_some_and(|o| o.courier_id == Some(courier) && TRACKABLE.contains(&o.status));
        if !active {
            return Ok(PositionOutcome::NotActive);
        }
        if ordering
            .last_posts
            .get(&courier)
            .is_some_and(|last| *last > position.at - min_interval)
        {
            return Ok(PositionOutcome::TooFrequent);
        }
        ordering.last_posts.insert(courier, position.at);
        ordering.tracking.entry(order).or_default().push(*position);
        if let Some(row) = ordering.couriers.get_mut(&courier) {
            row.position = Some(*position);
            row.updated_at = position.at;
        }
        drop(ordering);
        self.publish(OrderUpdate::Position {
            order_id: order,
            position: *position,
            distance_left_m: None,
            eta_minutes: None,
        });
        Ok(PositionOutcome::Recorded)
    }

    async fn last_position(&self, order: OrderId) -> Result<Option<CourierPosition>, StoreError> {
        Ok(lock(&self.ordering)
            .tracking
            .get(&order)
            .and_then(|points| points.last().copied()))
    }

    async fn courier_orders(
        &self,
        courier: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        Ok(lock(&self.ordering).newest_first(
            |o| o.courier_id == Some(courier) && status.is_none_or(|s| o.status == s),
            after,
            limit,
        ))
    }

    async fn awaiting_courier(&self, limit: u32) -> Result<Vec<Order>, StoreError> {
        let ordering = lock(&self.ordering);
        let mut waiting: Vec<Order> = ordering
            .orders
            .values()
            .filter(|o| o.status == OrderStatus::ReadyForPickup && o.courier_id.is_none())
            .cloned()
            .collect();
        waiting.sort_by_key(|o| (o.updated_at, o.id));
        waiting.truncate(limit as usize);
        Ok(waiting)
    }

    async fn purge_positions(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let mut ordering = lock(&self.ordering);
        let mut purged = 0;
        for points in ordering.tracking.values_mut() {
            let kept = points.len();
            points.retain(|p| p.at >= before);
            purged += (kept - points.len()) as u64;
        }
        Ok(purged)
    }
}

// --- ordering: reviews and statistics ------------------------------------------------------

#[async_trait]
impl InsightStore for Memory {
    async fn add_review(
        &self,
        _review: &OrderReview,
        _events: &[OutboxEvent],
    ) -> Result<bool, StoreError> {
        unsupported("reviews")
    }

    async fn stats(
        &self,
        _merchant: Option<MerchantId>,
        _from: OffsetDateTime,
        _to: OffsetDateTime,
    ) -> Result<StatsRows, StoreError> {
        unsupported("order statistics")
    }
}
