//! The catalog's use cases: discovery, merchant pages, menus and reviews for everyone;
//! menu, hours and pause management for merchant staff; merchants and staff for admins.

use std::sync::Arc;

use jiff::tz::TimeZone;
use time::OffsetDateTime;

use super::delivery::{EtaModel, FeeBand};
use super::hours::{OpenWindow, OpeningHours};
use super::model::{
    AvailabilityInput, DiscoveryPage, DiscoveryParams, DiscoverySort, ItemInput, Menu, MenuItem,
    MenuOption, MenuSection, Merchant, MerchantDetails, MerchantInput, MyMerchantsParams,
    OptionGroup, PageParams, PauseInput, Rating, Review, SectionInput, StaffAssignment,
};
use super::ports::{
    CandidateQuery, CatalogStore, HeldMenu, MenuRead, MerchantQuery, MerchantRead, OpenSchedule,
    SortPosition, StaffDirectory,
};
use crate::clock::Clock;
use crate::error::{DomainError, ErrorKind, FieldError, StoreError, ValidationErrors};
use crate::geo::{GeoStore, LatLng, PointLocator, ServiceCategory};
use crate::ids::{ItemId, MerchantId, OptionGroupId, OptionId, ReviewId, SectionId, UserId};
use crate::money::Money;
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

/// Failures of catalog use cases.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// Fields failed validation.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// No such merchant.
    #[error("merchant not found")]
    MerchantNotFound,
    /// The merchant has no such section.
    #[error("menu section not found")]
    SectionNotFound,
    /// The merchant has no such item.
    #[error("menu item not found")]
    ItemNotFound,
    /// No such user (staff assignment).
    #[error("user not found")]
    UserNotFound,
    /// The user is not staff of the merchant.
    #[error("staff membership not found")]
    MembershipNotFound,
    /// Only the merchant's staff (or an admin) may do this.
    #[error("only this merchant's staff may do this")]
    NotStaff,
    /// Only administrators may do this.
    #[error("only administrators may do this")]
    AdminOnly,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DomainError for CatalogError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid(_) => ErrorKind::Validation,
            Self::MerchantNotFound
            | Self::SectionNotFound
            | Self::ItemNotFound
            | Self::UserNotFound
            | Self::MembershipNotFound => ErrorKind::NotFound,
            Self::NotStaff | Self::AdminOnly => ErrorKind::Forbidden,
            Self::Store(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "validation.failed",
            Self::MerchantNotFound => "merchants.not_found",
            Self::SectionNotFound => "menu.section_not_found",
            Self::ItemNotFound => "menu.item_not_found",
            Self::UserNotFound => "users.not_found",
            Self::MembershipNotFound => "merchants.staff_not_found",
            Self::NotStaff => "merchants.not_staff",
            Self::AdminOnly => "merchants.admin_only",
            Self::Store(_) => "internal",
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => &errors.0,
            _ => &[],
        }
    }
}

type Result<T, E = CatalogError> = std::result::Result<T, E>;

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
    ports: CatalogPorts,
    eta: EtaModel,
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

    /// Merchants that deliver to a point, filtered, sorted and paginated.
    ///
    /// # Errors
    /// `Invalid` for bad coordinates, page sizes, search text or cursors.
    pub async fn discover(&self, params: DiscoveryParams) -> Result<DiscoveryPage> {
        let mut errors = ValidationErrors::default();
        crate::geo::check_point_fields(&mut errors, "", params.lat, params.lng);
        let limit = page_size(&mut errors, params.limit);
        let sort = params.sort.unwrap_or_default();
        let after = match params.cursor.as_deref() {
            Some(cursor) => errors.check("cursor", decode_position(sort, cursor)),
            None => None,
        };
        let text = match params.q.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(q) if !(2..=100).contains(&q.chars().count()) => {
                errors.add("q", "must be 2 to 100 characters");
                None
            }
            // Case is folded by the store, on both sides of the comparison alike.
            Some(q) => Some(q.to_owned()),
        };
        let cuisine = params
            .cuisine
            .as_deref()
            .map(|c| c.trim().to_lowercase())
            .filter(|c| !c.is_empty());
        if cuisine.as_ref().is_some_and(|c| c.chars().count() > 40) {
            errors.add("cuisine", "must be at most 40 characters");
        }
        errors.into_result()?;

        let point = LatLng {
            lat: params.lat,
            lng: params.lng,
        };
        let Some(area) = self.ports.locator.locate(point).await? else {
            return Ok(DiscoveryPage {
                deliverable: false,
                city_id: None,
                items: Vec::new(),
                next_cursor: None,
            });
        };
        let city_id = area.city_id;
        let categories: Vec<ServiceCategory> = match params.category {
            Some(wanted) => area
                .categories
                .into_iter()
                .filter(|c| *c == wanted)
                .collect(),
            None => area.categories,
        };
        if categories.is_empty() {
            return Ok(DiscoveryPage {
                deliverable: true,
                city_id: Some(city_id),
                items: Vec::new(),
                next_cursor: None,
            });
        }
        let query = CandidateQuery {
            point,
            city: city_id,
            categories,
            cuisine,
            text,
            open_now: params.open_now.unwrap_or(false),
            sort,
            after,
            limit: limit + 1,
            now: self.ports.clock.now(),
            eta: self.eta,
        };
        let mut candidates = self.ports.store.discover(&query).await?;
        let next_cursor = if candidates.len() > limit as usize {
            candidates.truncate(limit as usize);
            candidates.last().map(|c| encode_position(sort, c.position))
        } else {
            None
        };
        Ok(DiscoveryPage {
            deliverable: true,
            city_id: Some(city_id),
            items: candidates.into_iter().map(|c| c.summary).collect(),
            next_cursor,
        })
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

    /// Admin: creates a merchant in a city.
    ///
    /// # Errors
    /// `AdminOnly`, `Invalid`.
    pub async fn create_merchant(
        &self,
        principal: &Principal,
        input: MerchantInput,
    ) -> Result<Merchant> {
        require_admin(principal)?;
        let merchant = self.merchant_from(MerchantId::new(), input, None).await?;
        let schedule = self.schedule(&merchant.hours, &merchant.time_zone);
        self.ports
            .store
            .create_merchant(&merchant, &schedule)
            .await?;
        Ok(merchant)
    }

    /// Admin: replaces a merchant's details (not its rating, pause or busy flags).
    ///
    /// # Errors
    /// `AdminOnly`, `MerchantNotFound`, `Invalid`.
    pub async fn update_merchant(
        &self,
        principal: &Principal,
        id: MerchantId,
        input: MerchantInput,
    ) -> Result<Merchant> {
        require_admin(principal)?;
        let now = self.ports.clock.now();
        let (existing, _, _) = self
            .ports
            .store
            .merchant(id, now)
            .await?
            .ok_or(CatalogError::MerchantNotFound)?;
        let merchant = self.merchant_from(id, input, Some(&existing)).await?;
        if merchant.currency != existing.currency {
            // Prices are stored in minor units of the merchant's currency; moving it to a
            // country with another currency would silently reinterpret every price.
            let mut errors = ValidationErrors::default();
            errors.add(
                "cityId",
                format!(
                    "must be a city of a country using {}, the currency of this merchant's prices",
                    existing.currency
                ),
            );
            return Err(errors.into());
        }
        let schedule = self.schedule(&merchant.hours, &merchant.time_zone);
        if self
            .ports
            .store
            .update_merchant(&merchant, &schedule)
            .await?
        {
            Ok(merchant)
        } else {
            Err(CatalogError::MerchantNotFound)
        }
    }

    /// Admin: makes a user staff of a merchant.
    ///
    /// # Errors
    /// `AdminOnly`, `MerchantNotFound`, `UserNotFound`.
    pub async fn add_staff(
        &self,
        principal: &Principal,
        id: MerchantId,
        assignment: StaffAssignment,
    ) -> Result<()> {
        require_admin(principal)?;
        self.require_merchant(id).await?;
        if self.ports.staff.add_staff(assignment.user_id, id).await? {
            Ok(())
        } else {
            Err(CatalogError::UserNotFound)
        }
    }

    /// Admin: ends a staff membership.
    ///
    /// # Errors
    /// `AdminOnly`, `MembershipNotFound`.
    pub async fn remove_staff(
        &self,
        principal: &Principal,
        id: MerchantId,
        user: UserId,
    ) -> Result<()> {
        require_admin(principal)?;
        if self.ports.staff.remove_staff(user, id).await? {
            Ok(())
        } else {
            Err(CatalogError::MembershipNotFound)
        }
    }

    /// Staff: replaces the merchant's opening hours.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`, `Invalid`.
    pub async fn set_hours(
        &self,
        principal: &Principal,
        id: MerchantId,
        hours: OpeningHours,
    ) -> Result<MerchantDetails> {
        require_staff(principal, id)?;
        let mut errors = ValidationErrors::default();
        check_hours(&mut errors, "", &hours);
        errors.into_result()?;
        let current = self.merchant(id).await?;
        let schedule = self.schedule(&hours, &current.merchant.time_zone);
        if !self.ports.store.set_hours(id, &hours, &schedule).await? {
            return Err(CatalogError::MerchantNotFound);
        }
        self.merchant(id).await
    }

    /// Staff: pauses or resumes taking orders, and sets the busy flag.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`.
    pub async fn set_pause(
        &self,
        principal: &Principal,
        id: MerchantId,
        input: PauseInput,
    ) -> Result<MerchantDetails> {
        require_staff(principal, id)?;
        if !self
            .ports
            .store
            .set_pause(id, input.paused, input.busy)
            .await?
        {
            return Err(CatalogError::MerchantNotFound);
        }
        self.merchant(id).await
    }

    /// Staff: adds a menu section.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`, `Invalid`.
    pub async fn create_section(
        &self,
        principal: &Principal,
        id: MerchantId,
        input: SectionInput,
    ) -> Result<MenuSection> {
        require_staff(principal, id)?;
        let section = section_from(SectionId::new(), input)?;
        match self.ports.store.create_section(id, &section).await? {
            Some(position) => Ok(MenuSection {
                position,
                ..section
            }),
            None => Err(CatalogError::MerchantNotFound),
        }
    }

    /// Staff: renames or moves a section.
    ///
    /// # Errors
    /// `NotStaff`, `SectionNotFound`, `Invalid`.
    pub async fn update_section(
        &self,
        principal: &Principal,
        id: MerchantId,
        section_id: SectionId,
        input: SectionInput,
    ) -> Result<MenuSection> {
        require_staff(principal, id)?;
        let section = section_from(section_id, input)?;
        match self.ports.store.update_section(id, &section).await? {
            Some(position) => Ok(MenuSection {
                position,
                ..section
            }),
            None => Err(CatalogError::SectionNotFound),
        }
    }

    /// Staff: deletes a section and its items.
    ///
    /// # Errors
    /// `NotStaff`, `SectionNotFound`.
    pub async fn delete_section(
        &self,
        principal: &Principal,
        id: MerchantId,
        section: SectionId,
    ) -> Result<()> {
        require_staff(principal, id)?;
        if self.ports.store.delete_section(id, section).await? {
            Ok(())
        } else {
            Err(CatalogError::SectionNotFound)
        }
    }

    /// Staff: adds an item to a section.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`, `SectionNotFound`, `Invalid`.
    pub async fn create_item(
        &self,
        principal: &Principal,
        id: MerchantId,
        section: SectionId,
        input: ItemInput,
    ) -> Result<MenuItem> {
        require_staff(principal, id)?;
        let currency = self.merchant(id).await?.merchant.currency;
        let item = item_from(ItemId::new(), input, &currency)?;
        if self.ports.store.create_item(id, section, &item).await? {
            Ok(item)
        } else {
            Err(CatalogError::SectionNotFound)
        }
    }

    /// Staff: replaces an item with its option groups. Groups and options keep their ids
    /// where their names are unchanged, so carts holding them stay valid.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`, `ItemNotFound`, `Invalid`.
    pub async fn replace_item(
        &self,
        principal: &Principal,
        id: MerchantId,
        item_id: ItemId,
        input: ItemInput,
    ) -> Result<MenuItem> {
        require_staff(principal, id)?;
        let (merchant, menu) = self.merchant_with_menu(id).await?;
        let mut item = item_from(item_id, input, &merchant.merchant.currency)?;
        if let Some(current) = menu.item(item_id) {
            keep_option_ids(&mut item, current);
        }
        if self.ports.store.replace_item(id, &item).await? {
            Ok(item)
        } else {
            Err(CatalogError::ItemNotFound)
        }
    }

    /// Staff: deletes an item.
    ///
    /// # Errors
    /// `NotStaff`, `ItemNotFound`.
    pub async fn delete_item(
        &self,
        principal: &Principal,
        id: MerchantId,
        item: ItemId,
    ) -> Result<()> {
        require_staff(principal, id)?;
        if self.ports.store.delete_item(id, item).await? {
            Ok(())
        } else {
            Err(CatalogError::ItemNotFound)
        }
    }

    /// Staff: marks an item (un)available.
    ///
    /// # Errors
    /// `NotStaff`, `ItemNotFound`.
    pub async fn set_item_availability(
        &self,
        principal: &Principal,
        id: MerchantId,
        item: ItemId,
        input: AvailabilityInput,
    ) -> Result<()> {
        require_staff(principal, id)?;
        if self
            .ports
            .store
            .set_item_availability(id, item, input.available)
            .await?
        {
            Ok(())
        } else {
            Err(CatalogError::ItemNotFound)
        }
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

    async fn require_merchant(&self, id: MerchantId) -> Result<()> {
        match self.ports.store.menu_version(id).await? {
            Some(_) => Ok(()),
            None => Err(CatalogError::MerchantNotFound),
        }
    }

    async fn merchant_from(
        &self,
        id: MerchantId,
        input: MerchantInput,
        existing: Option<&Merchant>,
    ) -> Result<Merchant> {
        let mut errors = ValidationErrors::default();
        let name = text(&mut errors, "name", &input.name, 1, 100);
        let description = optional_text(
            &mut errors,
            "description",
            input.description.as_deref(),
            500,
        );
        let address = text(&mut errors, "address", &input.address, 1, 200);
        crate::geo::check_point_fields(
            &mut errors,
            "location.",
            input.location.lat,
            input.location.lng,
        );
        if input.categories.is_empty() {
            errors.add("categories", "must name at least one category");
        }
        let cuisines = cuisines(&mut errors, &input.cuisines);
        if !(100..=30_000).contains(&input.delivery_radius_m) {
            errors.add("deliveryRadiusM", "must be from 100 to 30000 metres");
        }
        if !(1..=180).contains(&input.avg_prep_minutes) {
            errors.add("avgPrepMinutes", "must be from 1 to 180 minutes");
        }
        if !(0..=100_000_000).contains(&input.minimum_order_minor) {
            errors.add("minimumOrderMinor", "must be from 0 to 100000000");
        }
        check_bands(&mut errors, &input.delivery_fee_bands);
        check_hours(&mut errors, "hours.", &input.hours);
        let image_url = image_url(&mut errors, "imageUrl", input.image_url.as_deref());
        let city = self.ports.geo.city(input.city_id).await?;
        let country = match &city {
            Some(city) => self.ports.geo.country(&city.country_code).await?,
            None => {
                errors.add("cityId", "is not a known city");
                None
            }
        };
        let time_zone = input
            .time_zone
            .clone()
            .or_else(|| city.as_ref().map(|c| c.time_zone.clone()));
        if let Some(zone) = &input.time_zone
            && TimeZone::get(zone).is_err()
        {
            errors.add(
                "timeZone",
                "must be an IANA time zone such as Europe/Berlin",
            );
        }
        errors.into_result()?;
        let (Some(city), Some(country), Some(time_zone)) = (city, country, time_zone) else {
            let mut errors = ValidationErrors::default();
            errors.add("cityId", "is not a known city");
            return Err(errors.into());
        };
        let mut categories = input.categories;
        categories.sort_unstable();
        categories.dedup();
        Ok(Merchant {
            id,
            name,
            description,
            country_code: country.code,
            city_id: city.id,
            minimum_order: Money::new(input.minimum_order_minor, country.currency.clone()),
            currency: country.currency,
            categories,
            cuisines,
            address,
            location: input.location,
            delivery_radius_m: input.delivery_radius_m,
            avg_prep_minutes: input.avg_prep_minutes,
            delivery_fee_bands: input.delivery_fee_bands,
            time_zone,
            hours: input.hours,
            paused: existing.is_some_and(|m| m.paused),
            busy: existing.is_some_and(|m| m.busy),
            rating: existing.map_or(
                Rating {
                    average: 0.0,
                    count: 0,
                },
                |m| m.rating,
            ),
            image_url,
        })
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
fn details(
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

fn require_admin(principal: &Principal) -> Result<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(CatalogError::AdminOnly)
    }
}

fn require_staff(principal: &Principal, merchant: MerchantId) -> Result<()> {
    if principal.acts_for_merchant(merchant) {
        Ok(())
    } else {
        Err(CatalogError::NotStaff)
    }
}

fn page_size(errors: &mut ValidationErrors, limit: Option<u32>) -> u32 {
    let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        errors.add("limit", format!("must be from 1 to {MAX_PAGE_SIZE}"));
    }
    limit.clamp(1, MAX_PAGE_SIZE)
}

fn sort_tag(sort: DiscoverySort) -> char {
    match sort {
        DiscoverySort::Distance => 'd',
        DiscoverySort::Rating => 'r',
        DiscoverySort::Eta => 'e',
        DiscoverySort::Fee => 'f',
    }
}

/// Cursors are `{sort}~{key}~{id}`: opaque to clients, tied to the sort they came from.
fn encode_position(sort: DiscoverySort, position: SortPosition) -> String {
    format!("{}~{}~{}", sort_tag(sort), position.key, position.id)
}

fn decode_position(sort: DiscoverySort, cursor: &str) -> Result<SortPosition, &'static str> {
    let invalid = "is not a cursor from this listing and sort order";
    let mut parts = cursor.splitn(3, '~');
    let (Some(tag), Some(key), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid);
    };
    if tag.chars().ne(std::iter::once(sort_tag(sort))) {
        return Err(invalid);
    }
    let key: f64 = key.parse().map_err(|_| invalid)?;
    if !key.is_finite() {
        return Err(invalid);
    }
    Ok(SortPosition {
        key,
        id: id.parse().map_err(|_| invalid)?,
    })
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

fn text(errors: &mut ValidationErrors, field: &str, value: &str, min: usize, max: usize) -> String {
    let trimmed = value.trim();
    let chars = trimmed.chars().count();
    if chars < min || chars > max || trimmed.chars().any(char::is_control) {
        errors.add(
            field,
            format!("must be {min} to {max} characters without control characters"),
        );
    }
    trimmed.to_owned()
}

fn optional_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    match value.map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(text(errors, field, v, 1, max)),
    }
}

fn image_url(errors: &mut ValidationErrors, field: &str, value: Option<&str>) -> Option<String> {
    let url = value.map(str::trim).filter(|v| !v.is_empty())?;
    if !url.starts_with("https://") || url.len() > 500 || url.chars().any(char::is_whitespace) {
        errors.add(field, "must be an https URL of at most 500 characters");
    }
    Some(url.to_owned())
}

fn cuisines(errors: &mut ValidationErrors, input: &[String]) -> Vec<String> {
    if input.len() > 10 {
        errors.add("cuisines", "must list at most 10 cuisines");
    }
    let mut out: Vec<String> = Vec::new();
    for (i, cuisine) in input.iter().enumerate() {
        let c = cuisine.trim().to_lowercase();
        if c.is_empty()
            || c.chars().count() > 40
            || !c
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch == '-' || ch == ' ')
        {
            errors.add(
                format!("cuisines[{i}]"),
                "must be a word of 1 to 40 letters",
            );
        } else if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn check_bands(errors: &mut ValidationErrors, bands: &[FeeBand]) {
    if !(1..=10).contains(&bands.len()) {
        errors.add("deliveryFeeBands", "must have 1 to 10 bands");
    }
    for (i, band) in bands.iter().enumerate() {
        if !(0..=10_000_000).contains(&band.fee_minor) {
            errors.add(
                format!("deliveryFeeBands[{i}].feeMinor"),
                "must be from 0 to 10000000",
            );
        }
        if i > 0 && band.up_to_m <= bands[i - 1].up_to_m {
            errors.add(
                format!("deliveryFeeBands[{i}].upToM"),
                "must be greater than the previous band's",
            );
        }
    }
}

fn check_hours(errors: &mut ValidationErrors, prefix: &str, hours: &OpeningHours) {
    if hours.intervals.len() > 50 {
        errors.add(
            format!("{prefix}intervals"),
            "must have at most 50 intervals",
        );
    }
    if hours.closures.len() > 366 {
        errors.add(format!("{prefix}closures"), "must have at most 366 dates");
    }
    for (i, interval) in hours.intervals.iter().enumerate() {
        if interval.opens == super::hours::ClockTime::END_OF_DAY {
            errors.add(
                format!("{prefix}intervals[{i}].opens"),
                "must be before 24:00 (an interval opening at midnight starts the next day at 00:00)",
            );
        }
    }
}

fn section_from(id: SectionId, input: SectionInput) -> Result<MenuSection> {
    let mut errors = ValidationErrors::default();
    let name = text(&mut errors, "name", &input.name, 1, 100);
    errors.into_result()?;
    Ok(MenuSection {
        id,
        name,
        position: input.position.unwrap_or(i32::MAX),
        items: Vec::new(),
    })
}

/// Gives the groups and options of `replacement` the ids of same-named groups and options of
/// `current` (names compared trimmed and case-insensitively; each current id used once).
fn keep_option_ids(replacement: &mut MenuItem, current: &MenuItem) {
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    let mut free_groups: Vec<&OptionGroup> = current.option_groups.iter().collect();
    for group in &mut replacement.option_groups {
        let Some(at) = free_groups.iter().position(|g| same(&g.name, &group.name)) else {
            continue;
        };
        let old = free_groups.remove(at);
        group.id = old.id;
        let mut free_options: Vec<&MenuOption> = old.options.iter().collect();
        for option in &mut group.options {
            if let Some(at) = free_options
                .iter()
                .position(|o| same(&o.name, &option.name))
            {
                option.id = free_options.remove(at).id;
            }
        }
    }
}

fn item_from(
    id: ItemId,
    input: ItemInput,
    currency: &crate::money::CurrencyCode,
) -> Result<MenuItem> {
    let mut errors = ValidationErrors::default();
    let name = text(&mut errors, "name", &input.name, 1, 120);
    let description = optional_text(
        &mut errors,
        "description",
        input.description.as_deref(),
        1000,
    );
    if !(0..=100_000_000).contains(&input.price_minor) {
        errors.add("priceMinor", "must be from 0 to 100000000");
    }
    let image_url = image_url(&mut errors, "imageUrl", input.image_url.as_deref());
    if input.option_groups.len() > 20 {
        errors.add("optionGroups", "must have at most 20 groups");
    }
    let mut groups = Vec::with_capacity(input.option_groups.len());
    for (g, group) in input.option_groups.into_iter().enumerate() {
        let prefix = format!("optionGroups[{g}]");
        let group_name = text(&mut errors, &format!("{prefix}.name"), &group.name, 1, 100);
        if !(1..=50).contains(&group.options.len()) {
            errors.add(format!("{prefix}.options"), "must have 1 to 50 options");
        }
        if group.max_selections == 0
            || usize::from(group.max_selections) > group.options.len().max(1)
        {
            errors.add(
                format!("{prefix}.maxSelections"),
                "must be from 1 to the number of options",
            );
        }
        if group.min_selections > group.max_selections {
            errors.add(
                format!("{prefix}.minSelections"),
                "must not exceed maxSelections",
            );
        }
        let options = group
            .options
            .into_iter()
            .enumerate()
            .map(|(o, option)| {
                let option_name = text(
                    &mut errors,
                    &format!("{prefix}.options[{o}].name"),
                    &option.name,
                    1,
                    100,
                );
                if !(-1_000_000..=1_000_000).contains(&option.price_delta_minor) {
                    errors.add(
                        format!("{prefix}.options[{o}].priceDeltaMinor"),
                        "must be from -1000000 to 1000000",
                    );
                }
                MenuOption {
                    id: OptionId::new(),
                    name: option_name,
                    price_delta: Money::new(option.price_delta_minor, currency.clone()),
                    available: option.available,
                }
            })
            .collect();
        groups.push(OptionGroup {
            id: OptionGroupId::new(),
            name: group_name,
            min_selections: group.min_selections,
            max_selections: group.max_selections,
            options,
        });
    }
    errors.into_result()?;
    let mut dietary_tags = input.dietary_tags;
    dietary_tags.sort_unstable();
    dietary_tags.dedup();
    Ok(MenuItem {
        id,
        name,
        description,
        price: Money::new(input.price_minor, currency.clone()),
        tax_class: input.tax_class,
        dietary_tags,
        image_url,
        available: input.available,
        option_groups: groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
