//! The catalog service: its ports and menu cache, merchant pages, menus and reviews for
//! everyone, the caller's merchants, and what its use-case groups share (discovery and
//! management are beside it).

use std::sync::Arc;

use jiff::tz::TimeZone;
use time::OffsetDateTime;

use super::delivery::EtaModel;
use super::error::CatalogError;
use super::hours::{OpenWindow, OpeningHours};
use super::model::{Menu, Merchant, MerchantDetails, MyMerchantsParams, PageParams, Review};
use super::ports::{
    CatalogStore, HeldMenu, MenuRead, MerchantQuery, MerchantRead, OpenSchedule, StaffDirectory,
};
use crate::clock::Clock;
use crate::error::{StoreError, ValidationErrors};
use crate::geo::{GeoStore, PointLocator};
use crate::ids::{MerchantId, ReviewId};
use crate::page::Page;
use crate::principal::{Principal, Role};

/// Largest page of any catalog listing.
pub const MAX_PAGE_SIZE: u32 = 50;
/// Page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// How far ahead open windows are computed.
pub const SCHEDULE_DAYS: u16 = 8;
/// Schedules are extended when they would end within this many days.
pub const SCHEDULE_REFRESH_DAYS: i64 = 3;

pub(super) type Result<T, E = CatalogError> = std::result::Result<T, E>;

/// The ports the catalog needs.
#[derive(Clone)]
pub struct CatalogPorts {
    /// Merchants and menus.
    pub store: Arc<dyn CatalogStore>,
    /// Countries and cities (a merchant's country, currency and time zone).
    pub geo: Arc<dyn GeoStore>,
    /// Which city serves a point.
    pub locator: Arc<dyn PointLocator>,
    /// Staff memberships.
    pub staff: Arc<dyn StaffDirectory>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// A menu, or the news that the caller's copy is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuFetch {
    /// The caller's `If-None-Match` matches.
    NotModified {
        /// The current entity tag.
        etag: String,
    },
    /// The menu.
    Menu {
        /// The menu (shared with the process's menu cache).
        menu: Arc<Menu>,
        /// Its entity tag.
        etag: String,
    },
}

/// How many merchants' menus a process keeps (a menu is some tens of kilobytes).
pub const MENU_CACHE_CAPACITY: usize = 1024;

/// The catalog's use cases.
#[derive(Clone)]
pub struct CatalogService {
    pub(super) ports: CatalogPorts,
    pub(super) eta: EtaModel,
    /// Menus read lately. Every read names the version it holds and the store sends the menu
    /// again when that is no longer current, so a cached menu is never used stale; the cache
    /// only saves shipping and decoding the document. Per process, like any cache here.
    menus: Arc<quick_cache::sync::Cache<MerchantId, Arc<Menu>>>,
}

impl CatalogService {
    /// Builds the service.
    #[must_use]
    pub fn new(ports: CatalogPorts, eta: EtaModel) -> Self {
        Self {
            ports,
            eta,
            menus: Arc::new(quick_cache::sync::Cache::new(MENU_CACHE_CAPACITY)),
        }
    }

    /// The cached menu of `id`, if any, and how to name it to the store.
    fn held_menu(&self, id: MerchantId) -> (Option<Arc<Menu>>, Option<HeldMenu>) {
        let cached = self.menus.get(&id);
        let held = cached.as_ref().map(|menu| HeldMenu {
            version: menu.version,
            currency: menu.currency.clone(),
        });
        (cached, held)
    }

    /// The menu a read against `cached` found current, caching a new one.
    fn current_of(
        &self,
        id: MerchantId,
        cached: Option<Arc<Menu>>,
        read: MenuRead,
    ) -> Result<Arc<Menu>> {
        match (read, cached) {
            (MenuRead::Current(menu), _) => {
                let menu = Arc::new(menu);
                self.menus.insert(id, menu.clone());
                Ok(menu)
            }
            (MenuRead::Held, Some(cached)) => Ok(cached),
            (MenuRead::Held, None) => Err(StoreError::Backend(format!(
                "the store called the menu of merchant {id} held, but none was named"
            ))
            .into()),
        }
    }

    /// A merchant with whether it is open, and its current menu: one store read, which
    /// sends the menu only when the process has not got its current version already.
    ///
    /// # Errors
    /// `MerchantNotFound`.
    pub async fn merchant_with_menu(&self, id: MerchantId) -> Result<(MerchantDetails, Arc<Menu>)> {
        let now = self.ports.clock.now();
        let (cached, held) = self.held_menu(id);
        let MerchantRead {
            merchant,
            open,
            next_opening_at,
            menu,
        } = self
            .ports
            .store
            .merchant_with_menu(id, now, held)
            .await?
            .ok_or(CatalogError::MerchantNotFound)?;
        let menu = self.current_of(id, cached, menu)?;
        Ok((details(merchant, open, next_opening_at), menu))
    }

    /// The current menu of a merchant (from the cache when it holds the current version).
    async fn current_menu(&self, id: MerchantId) -> Result<Arc<Menu>> {
        let (cached, held) = self.held_menu(id);
        let read = self
            .ports
            .store
            .current_menu(id, held)
            .await?
            .ok_or(CatalogError::MerchantNotFound)?;
        self.current_of(id, cached, read)
    }

    /// The delivery-time model discovery and tracking estimate with.
    #[must_use]
    pub fn eta_model(&self) -> &EtaModel {
        &self.eta
    }

    /// Adds a customer's review of a delivered order to the merchant's reviews and rating.
    /// Idempotent by the review's id (the event that carries it may be delivered twice);
    /// `false` when it was known already. A review of a merchant that no longer exists is
    /// dropped (`false`).
    ///
    /// # Errors
    /// `Invalid` for a rating outside 1–5; storage failures.
    pub async fn record_review(&self, merchant: MerchantId, review: Review) -> Result<bool> {
        if !(1..=5).contains(&review.rating) {
            let mut errors = ValidationErrors::default();
            errors.add("rating", "must be from 1 to 5");
            return Err(errors.into());
        }
        if self.ports.store.menu_version(merchant).await?.is_none() {
            return Ok(false);
        }
        Ok(self.ports.store.add_review(merchant, &review).await?)
    }

    /// A merchant's page.
    ///
    /// # Errors
    /// `MerchantNotFound`.
    pub async fn merchant(&self, id: MerchantId) -> Result<MerchantDetails> {
        let now = self.ports.clock.now();
        let (merchant, open, next_opening_at) = self
            .ports
            .store
            .merchant(id, now)
            .await?
            .ok_or(CatalogError::MerchantNotFound)?;
        Ok(details(merchant, open, next_opening_at))
    }

    /// The merchants the caller works for, with whether each is open now: its own for
    /// merchant staff, every merchant for admins; by id, cursor-paginated, optionally in one
    /// city and by name.
    ///
    /// # Errors
    /// `NotStaff` for customers and couriers; `Invalid` (q, limit).
    pub async fn my_merchants(
        &self,
        principal: &Principal,
        params: MyMerchantsParams,
    ) -> Result<Page<MerchantDetails>> {
        let only = if principal.is_admin() {
            None
        } else if principal.has_role(Role::MerchantStaff) {
            Some(principal.merchant_ids.clone())
        } else {
            return Err(CatalogError::NotStaff);
        };
        let mut errors = ValidationErrors::default();
        let limit = page_size(&mut errors, params.limit);
        let name_contains = params.q.map(|q| q.trim().to_owned());
        if name_contains
            .as_ref()
            .is_some_and(|q| !(2..=100).contains(&q.chars().count()))
        {
            errors.add("q", "must be 2 to 100 characters");
        }
        errors.into_result()?;
        if only.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        let query = MerchantQuery {
            only,
            city: params.city_id,
            name_contains,
            after: params.cursor,
            limit: limit + 1,
        };
        let now = self.ports.clock.now();
        let mut merchants = self.ports.store.merchants(&query, now).await?;
        let more = merchants.len() > limit as usize;
        merchants.truncate(limit as usize);
        let next_cursor = more
            .then(|| merchants.last().map(|(m, ..)| m.id.0.to_string()))
            .flatten();
        Ok(Page {
            items: merchants
                .into_iter()
                .map(|(merchant, open, next)| details(merchant, open, next))
                .collect(),
            next_cursor,
        })
    }

    /// Whether `principal` may use the administrators' catalog operations; asked before a
    /// request body is read, so others are refused whatever they sent.
    ///
    /// # Errors
    /// `AdminOnly`.
    pub fn authorize_admin(&self, principal: &Principal) -> Result<()> {
        require_admin(principal)
    }

    /// Whether `principal` may manage `merchant` (its staff, or an admin); asked before a
    /// request body is read.
    ///
    /// # Errors
    /// `NotStaff`.
    pub fn authorize_staff(&self, principal: &Principal, merchant: MerchantId) -> Result<()> {
        require_staff(principal, merchant)
    }

    /// A merchant's menu, unless `if_none_match` names the current version.
    ///
    /// # Errors
    /// `MerchantNotFound`.
    pub async fn menu(&self, id: MerchantId, if_none_match: Option<&str>) -> Result<MenuFetch> {
        let menu = self.current_menu(id).await?;
        let etag = menu_etag(id, menu.version);
        if if_none_match.is_some_and(|tags| etag_matches(tags, &etag)) {
            return Ok(MenuFetch::NotModified { etag });
        }
        Ok(MenuFetch::Menu { menu, etag })
    }

    /// A merchant's reviews, newest first.
    ///
    /// # Errors
    /// `MerchantNotFound`; `Invalid` page size or cursor.
    pub async fn reviews(&self, id: MerchantId, params: PageParams) -> Result<Page<Review>> {
        let mut errors = ValidationErrors::default();
        let limit = page_size(&mut errors, params.limit);
        let after = match params.cursor.as_deref() {
            Some(cursor) => errors.check(
                "cursor",
                cursor
                    .parse::<ReviewId>()
                    .map_err(|_| "is not a cursor from this listing"),
            ),
            None => None,
        };
        errors.into_result()?;
        if self.ports.store.menu_version(id).await?.is_none() {
            return Err(CatalogError::MerchantNotFound);
        }
        let mut reviews = self.ports.store.reviews(id, after, limit + 1).await?;
        let next_cursor = if reviews.len() > limit as usize {
            reviews.truncate(limit as usize);
            reviews.last().map(|r| r.id.to_string())
        } else {
            None
        };
        Ok(Page {
            items: reviews,
            next_cursor,
        })
    }

    /// Extends the open windows of merchants whose schedule ends within
    /// [`SCHEDULE_REFRESH_DAYS`]; returns how many were refreshed. Run periodically by
    /// every server process (idempotent).
    ///
    /// # Errors
    /// Storage failures.
    pub async fn refresh_open_windows(&self, batch: u32) -> Result<usize> {
        let now = self.ports.clock.now();
        let horizon = now + time::Duration::days(SCHEDULE_REFRESH_DAYS);
        let due = self
            .ports
            .store
            .hours_needing_windows(horizon, batch)
            .await?;
        let mut refreshed = 0;
        for merchant in &due {
            let schedule = self.schedule(&merchant.hours, &merchant.time_zone);
            if self
                .ports
                .store
                .replace_windows(merchant, &schedule)
                .await?
            {
                refreshed += 1;
            }
        }
        Ok(refreshed)
    }

    /// The open windows of `hours` from now for [`SCHEDULE_DAYS`].
    #[must_use]
    pub fn schedule(&self, hours: &OpeningHours, time_zone: &str) -> OpenSchedule {
        schedule_from(hours, time_zone, self.ports.clock.now())
    }

    pub(super) async fn require_merchant(&self, id: MerchantId) -> Result<()> {
        match self.ports.store.menu_version(id).await? {
            Some(_) => Ok(()),
            None => Err(CatalogError::MerchantNotFound),
        }
    }
}

/// The open windows of `hours` in `time_zone` from `now` for [`SCHEDULE_DAYS`]; an unknown
/// zone (refused at input) yields no windows.
#[must_use]
pub fn schedule_from(hours: &OpeningHours, time_zone: &str, now: OffsetDateTime) -> OpenSchedule {
    let until = now + time::Duration::days(i64::from(SCHEDULE_DAYS));
    let windows = match (TimeZone::get(time_zone), to_timestamp(now)) {
        (Ok(tz), Some(from)) => hours.windows(&tz, from, SCHEDULE_DAYS),
        _ => Vec::new(),
    };
    OpenSchedule { windows, until }
}

/// Converts between the two time libraries: `time` on the wire and in storage, `jiff` for
/// calendars and zones.
#[must_use]
pub fn to_timestamp(instant: OffsetDateTime) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_nanosecond(instant.unix_timestamp_nanos()).ok()
}

/// The inverse of [`to_timestamp`].
#[must_use]
pub fn from_timestamp(instant: jiff::Timestamp) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(instant.as_nanosecond()).ok()
}

impl OpenWindow {
    /// The window's bounds as `time` instants.
    #[must_use]
    pub fn bounds(&self) -> Option<(OffsetDateTime, OffsetDateTime)> {
        Some((
            from_timestamp(self.opens_at)?,
            from_timestamp(self.closes_at)?,
        ))
    }
}

/// A merchant as shown: open now if within its hours and not paused.
pub(super) fn details(
    merchant: Merchant,
    open: bool,
    next_opening_at: Option<OffsetDateTime>,
) -> MerchantDetails {
    MerchantDetails {
        open_now: open && !merchant.paused,
        next_opening_at,
        merchant,
    }
}

pub(super) fn require_admin(principal: &Principal) -> Result<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(CatalogError::AdminOnly)
    }
}

pub(super) fn require_staff(principal: &Principal, merchant: MerchantId) -> Result<()> {
    if principal.acts_for_merchant(merchant) {
        Ok(())
    } else {
        Err(CatalogError::NotStaff)
    }
}

pub(super) fn page_size(errors: &mut ValidationErrors, limit: Option<u32>) -> u32 {
    let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        errors.add("limit", format!("must be from 1 to {MAX_PAGE_SIZE}"));
    }
    limit.clamp(1, MAX_PAGE_SIZE)
}

/// A strong entity tag naming the merchant and its menu version.
fn menu_etag(id: MerchantId, version: i64) -> String {
    format!("\"{}-{version}\"", id.0.simple())
}

/// Whether an `If-None-Match` value (a list of tags, or `*`) matches `etag`; weak tags
/// compare by their opaque part, as RFC 9110 prescribes for `If-None-Match`.
fn etag_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

#[cfg(test)]
mod tests {
    use super::super::discovery::{decode_position, encode_position};
    use super::super::management::{item_from, keep_option_ids};
    use super::*;
    use crate::catalog::{DiscoverySort, ItemInput, MenuSection, SortPosition};
    use crate::ids::{ItemId, SectionId};

    mod menu_cache {
        //! The per-process menu cache: what the store is told the process holds, and what is
        //! answered for each thing the store says back.

        use super::*;
        use crate::catalog::MockCatalogStore;
        use crate::clock::MockClock;
        use crate::geo::{MockGeoStore, MockPointLocator};
        use crate::identity::MockStaffDirectory;
        use crate::money::CurrencyCode;

        fn eur() -> CurrencyCode {
            CurrencyCode::parse("EUR").expect("currency")
        }

        fn menu(merchant: MerchantId, version: i64) -> Menu {
            Menu {
                merchant_id: merchant,
                currency: eur(),
                version,
                sections: vec![MenuSection {
                    id: SectionId::new(),
                    name: format!("Version {version}"),
                    position: 0,
                    items: Vec::new(),
                }],
            }
        }

        fn service(store: MockCatalogStore) -> CatalogService {
            let mut clock = MockClock::new();
            clock
                .expect_now()
                .returning(|| OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000));
            CatalogService::new(
                CatalogPorts {
                    store: Arc::new(store),
                    geo: Arc::new(MockGeoStore::new()),
                    locator: Arc::new(MockPointLocator::new()),
                    staff: Arc::new(MockStaffDirectory::new()),
                    clock: Arc::new(clock),
                },
                EtaModel::default(),
            )
        }

        /// The menu `fetch` answered.
        fn menu_of(fetch: MenuFetch) -> Arc<Menu> {
            match fetch {
                MenuFetch::Menu { menu, .. } => menu,
                MenuFetch::NotModified { .. } => panic!("no If-None-Match was given"),
            }
        }

        #[tokio::test]
        async fn a_menu_read_once_is_named_as_held_and_served_from_the_cache() {
            let id = MerchantId::new();
            let first = menu(id, 3);
            let mut store = MockCatalogStore::new();
            let mut seq = mockall::Sequence::new();
            let sent = first.clone();
            store
                .expect_current_menu()
                .withf(|_, held| held.is_none())
                .times(1)
                .in_sequence(&mut seq)
                .returning(move |_, _| Ok(Some(MenuRead::Current(sent.clone()))));
            store
                .expect_current_menu()
                .withf(|_, held| {
                    *held
                        == Some(HeldMenu {
                            version: 3,
                            currency: eur(),
                        })
                })
                .times(1)
                .in_sequence(&mut seq)
                .returning(|_, _| Ok(Some(MenuRead::Held)));
            let service = service(store);

            let read = menu_of(service.menu(id, None).await.expect("menu"));
            let again = menu_of(service.menu(id, None).await.expect("menu"));

            assert_eq!(*read, first);
            assert_eq!(*again, first);
        }

        #[tokio::test]
        async fn a_changed_menu_replaces_the_held_one() {
            let id = MerchantId::new();
            let (old, new) = (menu(id, 3), menu(id, 4));
            let mut store = MockCatalogStore::new();
            let mut seq = mockall::Sequence::new();
            let sent = old.clone();
            store
                .expect_current_menu()
                .times(1)
                .in_sequence(&mut seq)
                .returning(move |_, _| Ok(Some(MenuRead::Current(sent.clone()))));
            let sent = new.clone();
            store
                .expect_current_menu()
                .withf(|_, held| held.as_ref().is_some_and(|h| h.version == 3))
                .times(1)
                .in_sequence(&mut seq)
                .returning(move |_, _| Ok(Some(MenuRead::Current(sent.clone()))));
            store
                .expect_current_menu()
                .withf(|_, held| held.as_ref().is_some_and(|h| h.version == 4))
                .times(1)
                .in_sequence(&mut seq)
                .returning(|_, _| Ok(Some(MenuRead::Held)));
            let service = service(store);

            menu_of(service.menu(id, None).await.expect("menu"));
            let changed = menu_of(service.menu(id, None).await.expect("menu"));
            let held = menu_of(service.menu(id, None).await.expect("menu"));

            assert_eq!(*changed, new);
            assert_eq!(*held, new);
        }

        #[tokio::test]
        async fn a_store_calling_an_unheld_menu_held_is_an_internal_failure() {
            let mut store = MockCatalogStore::new();
            store
                .expect_current_menu()
                .returning(|_, _| Ok(Some(MenuRead::Held)));
            let service = service(store);

            let failed = service.menu(MerchantId::new(), None).await;

            assert!(matches!(failed, Err(CatalogError::Store(_))), "{failed:?}");
        }

        #[tokio::test]
        async fn an_unknown_merchant_has_no_menu() {
            let mut store = MockCatalogStore::new();
            store.expect_current_menu().returning(|_, _| Ok(None));
            let service = service(store);

            let missing = service.menu(MerchantId::new(), None).await;

            assert!(
                matches!(missing, Err(CatalogError::MerchantNotFound)),
                "{missing:?}"
            );
        }

        #[tokio::test]
        async fn a_matching_entity_tag_is_not_modified_without_sending_the_menu_again() {
            let id = MerchantId::new();
            let first = menu(id, 3);
            let mut store = MockCatalogStore::new();
            let mut seq = mockall::Sequence::new();
            store
                .expect_current_menu()
                .times(1)
                .in_sequence(&mut seq)
                .returning(move |_, _| Ok(Some(MenuRead::Current(first.clone()))));
            store
                .expect_current_menu()
                .times(1)
                .in_sequence(&mut seq)
                .returning(|_, _| Ok(Some(MenuRead::Held)));
            let service = service(store);
            let MenuFetch::Menu { etag, .. } = service.menu(id, None).await.expect("menu") else {
                panic!("no If-None-Match was given");
            };

            let conditional = service.menu(id, Some(&etag)).await.expect("menu");

            assert_eq!(conditional, MenuFetch::NotModified { etag });
        }
    }

    #[test]
    fn cursors_round_trip_and_are_tied_to_their_sort() {
        let position = SortPosition {
            key: 1523.4172,
            id: MerchantId::new(),
        };
        let cursor = encode_position(DiscoverySort::Distance, position);
        assert_eq!(
            decode_position(DiscoverySort::Distance, &cursor),
            Ok(position)
        );
        assert!(decode_position(DiscoverySort::Rating, &cursor).is_err());
        assert!(decode_position(DiscoverySort::Distance, "garbage").is_err());
        assert!(decode_position(DiscoverySort::Distance, "d~NaN~x").is_err());
    }

    #[test]
    fn replacing_an_item_keeps_the_ids_of_same_named_groups_and_options() {
        let eur = crate::money::CurrencyCode::parse("EUR").expect("code");
        let input = |size_names: &[&str]| ItemInput {
            name: "Margherita".to_owned(),
            description: None,
            price_minor: 950,
            tax_class: crate::geo::TaxClass::Food,
            dietary_tags: Vec::new(),
            image_url: None,
            available: true,
            option_groups: vec![super::super::model::OptionGroupInput {
                name: "Size".to_owned(),
                min_selections: 1,
                max_selections: 1,
                options: size_names
                    .iter()
                    .map(|n| super::super::model::OptionInput {
                        name: (*n).to_owned(),
                        price_delta_minor: 0,
                        available: true,
                    })
                    .collect(),
            }],
        };
        let current = item_from(ItemId::new(), input(&["Regular", "Large"]), &eur).expect("valid");
        let mut replacement =
            item_from(current.id, input(&["large", "Family"]), &eur).expect("valid");

        keep_option_ids(&mut replacement, &current);

        let (old, new) = (&current.option_groups[0], &replacement.option_groups[0]);
        assert_eq!(new.id, old.id);
        assert_eq!(new.options[0].id, old.options[1].id, "Large keeps its id");
        assert!(
            old.options.iter().all(|o| o.id != new.options[1].id),
            "Family is new"
        );
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let etag = "\"abc-3\"";
        assert!(etag_matches("\"abc-3\"", etag));
        assert!(etag_matches("\"x\", W/\"abc-3\"", etag));
        assert!(etag_matches("*", etag));
        assert!(!etag_matches("\"abc-2\"", etag));
    }
}
