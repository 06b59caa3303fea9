//! The ports the catalog runs behind.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::delivery::EtaModel;
use super::hours::{OpenWindow, OpeningHours};
use super::model::{DiscoverySort, Menu, MenuItem, MenuSection, Merchant, MerchantSummary, Review};
use crate::error::StoreError;
use crate::geo::{LatLng, ServiceCategory};
use crate::ids::{CityId, ItemId, MerchantId, ReviewId, SectionId};
use crate::money::CurrencyCode;

/// Staff memberships belong to identity; the catalog uses them through identity's port.
pub use crate::identity::StaffDirectory;

/// What discovery asks the store for: merchants whose delivery area covers `point`, in one
/// of `categories`, filtered and sorted, after a keyset position.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateQuery {
    /// The delivery point.
    pub point: LatLng,
    /// The city serving the point: only its merchants are listed, so switching a city (or
    /// a category in it) off hides its merchants everywhere.
    pub city: CityId,
    /// Allowed categories (the requested one, intersected with the city's enabled ones).
    pub categories: Vec<ServiceCategory>,
    /// Cuisine filter, lower case.
    pub cuisine: Option<String>,
    /// Text filter over merchant and dish names.
    pub text: Option<String>,
    /// Only merchants open at `now` and not paused.
    pub open_now: bool,
    /// Sort order.
    pub sort: DiscoverySort,
    /// Resume after this position (exclusive).
    pub after: Option<SortPosition>,
    /// Rows wanted.
    pub limit: u32,
    /// The instant "open now" refers to.
    pub now: OffsetDateTime,
    /// ETA model for the `eta` sort and the quoted ETAs.
    pub eta: EtaModel,
}

/// A keyset position: the sort key (ascending in the query's order) and the id breaking
/// ties.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SortPosition {
    /// The sort key: distance in metres, minus the rating, ETA minutes, or fee.
    pub key: f64,
    /// The merchant id.
    pub id: MerchantId,
}

/// One discovery result with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The summary shown to the customer.
    pub summary: MerchantSummary,
    /// Where it sorts.
    pub position: SortPosition,
}

/// A merchant's open windows from now to `until`, computed from its hours by
/// [`OpeningHours::windows`]; stores keep them so "open now" is a comparison of instants.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenSchedule {
    /// The windows, sorted and disjoint.
    pub windows: Vec<OpenWindow>,
    /// Until when they were computed; the schedule is extended before this passes.
    pub until: OffsetDateTime,
}

/// A merchant's hours, for recomputing its open windows.
#[derive(Debug, Clone, PartialEq)]
pub struct MerchantHours {
    /// The merchant.
    pub merchant_id: MerchantId,
    /// Its time zone.
    pub time_zone: String,
    /// Its hours.
    pub hours: OpeningHours,
    /// Until when its current windows were computed, as read: the refresh is skipped when
    /// this changed meanwhile (new hours were saved, or another process refreshed).
    pub computed_until: OffsetDateTime,
}

/// The version of a merchant's menu a reader holds already, so the store need not send it
/// again while it is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldMenu {
    /// The held menu's version.
    pub version: i64,
    /// The currency its prices are in.
    pub currency: CurrencyCode,
}

/// A menu read against a [`HeldMenu`].
#[derive(Debug, Clone, PartialEq)]
pub enum MenuRead {
    /// The held menu is current.
    Held,
    /// The current menu (the held one, if any, is out of date).
    Current(Menu),
}

/// A merchant with whether it is open now, when it next opens, and its menu.
#[derive(Debug, Clone, PartialEq)]
pub struct MerchantRead {
    /// The merchant.
    pub merchant: Merchant,
    /// Open at the instant asked about (paused or not).
    pub open: bool,
    /// When it next opens, if closed.
    pub next_opening_at: Option<OffsetDateTime>,
    /// Its menu.
    pub menu: MenuRead,
}

/// Which merchants [`CatalogStore::merchants`] lists, ordered by id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MerchantQuery {
    /// Only these merchants; every merchant when `None`.
    pub only: Option<Vec<MerchantId>>,
    /// Only merchants in this city.
    pub city: Option<CityId>,
    /// Only merchants whose name contains this text, ignoring case.
    pub name_contains: Option<String>,
    /// Only merchants after this one.
    pub after: Option<MerchantId>,
    /// At most this many.
    pub limit: u32,
}

/// Merchants, menus, reviews.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait CatalogStore: Send + Sync {
    /// Discovery: up to `query.limit` candidates in sort order after `query.after`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn discover(&self, query: &CandidateQuery) -> Result<Vec<Candidate>, StoreError>;

    /// A page of merchants by id, each with whether it is open at `now` and when it next
    /// opens: those of `query.only` (all when `None`), in `query.city`, whose name contains
    /// `query.name_contains` (ignoring case), after `query.after`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn merchants(
        &self,
        query: &MerchantQuery,
        now: OffsetDateTime,
    ) -> Result<Vec<(Merchant, bool, Option<OffsetDateTime>)>, StoreError>;

    /// One merchant, with whether it is open at `now` and when it next opens.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn merchant(
        &self,
        id: MerchantId,
        now: OffsetDateTime,
    ) -> Result<Option<(Merchant, bool, Option<OffsetDateTime>)>, StoreError>;

    /// Adds a merchant with its open windows.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn create_merchant(
        &self,
        merchant: &Merchant,
        schedule: &OpenSchedule,
    ) -> Result<(), StoreError>;

    /// Replaces a merchant's editable fields (not its rating or pause flags) and its open
    /// windows; `false` when it does not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn update_merchant(
        &self,
        merchant: &Merchant,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError>;

    /// Replaces a merchant's hours and open windows; `false` when it does not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn set_hours(
        &self,
        id: MerchantId,
        hours: &OpeningHours,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError>;

    /// Sets the pause flag, and the busy flag when given; `false` when it does not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn set_pause(
        &self,
        id: MerchantId,
        paused: bool,
        busy: Option<bool>,
    ) -> Result<bool, StoreError>;

    /// The merchant's menu version, for conditional requests.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn menu_version(&self, id: MerchantId) -> Result<Option<i64>, StoreError>;

    /// The merchant's menu, sent only when `held` is not its current version (and
    /// currency); `None` when the merchant does not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn current_menu(
        &self,
        id: MerchantId,
        held: Option<HeldMenu>,
    ) -> Result<Option<MenuRead>, StoreError>;

    /// One merchant as [`CatalogStore::merchant`] reads it, with its menu as
    /// [`CatalogStore::current_menu`] does: one read for both.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn merchant_with_menu(
        &self,
        id: MerchantId,
        now: OffsetDateTime,
        held: Option<HeldMenu>,
    ) -> Result<Option<MerchantRead>, StoreError>;

    /// Adds a section at `section.position`, or at the end when that is `i32::MAX`, and
    /// bumps the menu version. Returns the position stored (the end's, when appended), or
    /// `None` when the merchant does not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn create_section(
        &self,
        merchant: MerchantId,
        section: &MenuSection,
    ) -> Result<Option<i32>, StoreError>;

    /// Renames a section of the merchant and moves it to `section.position`, or to the end
    /// when that is `i32::MAX`. Returns the position stored, or `None` when the merchant has
    /// no such section.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn update_section(
        &self,
        merchant: MerchantId,
        section: &MenuSection,
    ) -> Result<Option<i32>, StoreError>;

    /// Deletes a section of the merchant with its items; `false` when it has no such
    /// section.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn delete_section(
        &self,
        merchant: MerchantId,
        section: SectionId,
    ) -> Result<bool, StoreError>;

    /// Adds an item (with its option groups) at the end of a section of the merchant;
    /// `false` when it has no such section.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn create_item(
        &self,
        merchant: MerchantId,
        section: SectionId,
        item: &MenuItem,
    ) -> Result<bool, StoreError>;

    /// Replaces an item of the merchant with its option groups; `false` when it has no such
    /// item.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn replace_item(&self, merchant: MerchantId, item: &MenuItem)
    -> Result<bool, StoreError>;

    /// Deletes an item of the merchant; `false` when it has no such item.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn delete_item(&self, merchant: MerchantId, item: ItemId) -> Result<bool, StoreError>;

    /// Marks an item of the merchant (un)available; `false` when it has no such item.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn set_item_availability(
        &self,
        merchant: MerchantId,
        item: ItemId,
        available: bool,
    ) -> Result<bool, StoreError>;

    /// Reviews of a merchant, newest first, after `after` (the last review of the previous
    /// page).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn reviews(
        &self,
        merchant: MerchantId,
        after: Option<ReviewId>,
        limit: u32,
    ) -> Result<Vec<Review>, StoreError>;

    /// In one transaction: adds `review` to the merchant's reviews unless a review with its
    /// id exists, and then folds its rating into the merchant's rating aggregates. `false`
    /// when it existed (a redelivered event) — the aggregates are then left alone.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn add_review(&self, merchant: MerchantId, review: &Review) -> Result<bool, StoreError>;

    /// Merchants whose open windows were computed only up to before `horizon`, up to
    /// `limit`: those [`super::CatalogService::refresh_open_windows`] must extend.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn hours_needing_windows(
        &self,
        horizon: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<MerchantHours>, StoreError>;

    /// Replaces the open windows of `merchant` computed from the hours read, unless its
    /// schedule changed since (`computed_until` or time zone differ); `true` when replaced.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn replace_windows(
        &self,
        merchant: &MerchantHours,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError>;
}

/// One merchant with everything it comes with, for bulk loading (the demo dataset).
#[derive(Debug, Clone, PartialEq)]
pub struct MerchantImport {
    /// The merchant (its rating is taken as given).
    pub merchant: Merchant,
    /// Its menu sections with items.
    pub sections: Vec<MenuSection>,
    /// Its reviews.
    pub reviews: Vec<Review>,
    /// Its open windows.
    pub schedule: OpenSchedule,
}

/// Bulk loading of merchants.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait CatalogImport: Send + Sync {
    /// Inserts merchants that do not exist yet (by id), with their menus, reviews and
    /// windows, in one transaction; returns how many were new.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn import_merchants(&self, merchants: &[MerchantImport]) -> Result<u64, StoreError>;
}
