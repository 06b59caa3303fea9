//! The catalog store: merchants with their open windows, menus, reviews, discovery, and the
//! bulk import of the demo dataset.
//!
//! Two derived values live on each merchant row so the hot paths are single lookups: the
//! menu document (the menu as the API returns it) and the search text (name and dish
//! names). Every menu write locks the merchant row first, changes the menu tables with the
//! ownership check in the statement, then rebuilds both from the tables and bumps the menu
//! version, all in one transaction; a bulk import writes them along with the merchant.
//!
//! The store is split by use: [`merchants`] (a merchant's details, hours and open windows),
//! [`menus`] (reads and edits of menus), [`discovery`], [`reviews`], and the bulk
//! [`import`]; [`writes`] holds the statements several of them write with, [`rows`] the
//! rows and helpers several of them read with. The port is implemented here, each method
//! handing over to its use's module.

mod discovery;
mod import;
mod menus;
mod merchants;
mod reviews;
mod rows;
mod writes;

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::catalog::{
    Candidate, CandidateQuery, CatalogStore, HeldMenu, MenuItem, MenuRead, MenuSection, Merchant,
    MerchantHours, MerchantQuery, MerchantRead, OpenSchedule, OpeningHours, Review,
};
use mercato_core::ids::{ItemId, MerchantId, ReviewId, SectionId};
use time::OffsetDateTime;

use crate::PgStore;

#[async_trait]
impl CatalogStore for PgStore {
    async fn discover(&self, query: &CandidateQuery) -> Result<Vec<Candidate>, StoreError> {
        discovery::discover(&self.pool, query).await
    }

    async fn merchants(
        &self,
        query: &MerchantQuery,
        now: OffsetDateTime,
    ) -> Result<Vec<(Merchant, bool, Option<OffsetDateTime>)>, StoreError> {
        merchants::merchants(&self.pool, query, now).await
    }

    async fn merchant(
        &self,
        id: MerchantId,
        now: OffsetDateTime,
    ) -> Result<Option<(Merchant, bool, Option<OffsetDateTime>)>, StoreError> {
        merchants::merchant(&self.pool, id, now).await
    }

    async fn create_merchant(
        &self,
        merchant: &Merchant,
        schedule: &OpenSchedule,
    ) -> Result<(), StoreError> {
        merchants::create_merchant(&self.pool, merchant, schedule).await
    }

    async fn update_merchant(
        &self,
        merchant: &Merchant,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        merchants::update_merchant(&self.pool, merchant, schedule).await
    }

    async fn set_hours(
        &self,
        id: MerchantId,
        hours: &OpeningHours,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        merchants::set_hours(&self.pool, id, hours, schedule).await
    }

    async fn set_pause(
        &self,
        id: MerchantId,
        paused: bool,
        busy: Option<bool>,
    ) -> Result<bool, StoreError> {
        merchants::set_pause(&self.pool, id, paused, busy).await
    }

    async fn menu_version(&self, id: MerchantId) -> Result<Option<i64>, StoreError> {
        menus::menu_version(&self.pool, id).await
    }

    async fn current_menu(
        &self,
        id: MerchantId,
        held: Option<HeldMenu>,
    ) -> Result<Option<MenuRead>, StoreError> {
        menus::current_menu(&self.pool, id, held).await
    }

    async fn merchant_with_menu(
        &self,
        id: MerchantId,
        now: OffsetDateTime,
        held: Option<HeldMenu>,
    ) -> Result<Option<MerchantRead>, StoreError> {
        menus::merchant_with_menu(&self.pool, id, now, held).await
    }

    async fn create_section(
        &self,
        merchant: MerchantId,
        section: &MenuSection,
    ) -> Result<Option<i32>, StoreError> {
        menus::create_section(&self.pool, merchant, section).await
    }

    async fn update_section(
        &self,
        merchant: MerchantId,
        section: &MenuSection,
    ) -> Result<Option<i32>, StoreError> {
        menus::update_section(&self.pool, merchant, section).await
    }

    async fn delete_section(
        &self,
        merchant: MerchantId,
        section: SectionId,
    ) -> Result<bool, StoreError> {
        menus::delete_section(&self.pool, merchant, section).await
    }

    async fn create_item(
        &self,
        merchant: MerchantId,
        section: SectionId,
        item: &MenuItem,
    ) -> Result<bool, StoreError> {
        menus::create_item(&self.pool, merchant, section, item).await
    }

    async fn replace_item(
        &self,
        merchant: MerchantId,
        item: &MenuItem,
    ) -> Result<bool, StoreError> {
        menus::replace_item(&self.pool, merchant, item).await
    }

    async fn delete_item(&self, merchant: MerchantId, item: ItemId) -> Result<bool, StoreError> {
        menus::delete_item(&self.pool, merchant, item).await
    }

    async fn set_item_availability(
        &self,
        merchant: MerchantId,
        item: ItemId,
        available: bool,
    ) -> Result<bool, StoreError> {
        menus::set_item_availability(&self.pool, merchant, item, available).await
    }

    async fn add_review(&self, merchant: MerchantId, review: &Review) -> Result<bool, StoreError> {
        reviews::add_review(&self.pool, merchant, review).await
    }

    async fn reviews(
        &self,
        merchant: MerchantId,
        after: Option<ReviewId>,
        limit: u32,
    ) -> Result<Vec<Review>, StoreError> {
        reviews::reviews(&self.pool, merchant, after, limit).await
    }

    async fn hours_needing_windows(
        &self,
        horizon: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<MerchantHours>, StoreError> {
        merchants::hours_needing_windows(&self.pool, horizon, limit).await
    }

    async fn replace_windows(
        &self,
        merchant: &MerchantHours,
        schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        merchants::replace_windows(&self.pool, merchant, schedule).await
    }
}
