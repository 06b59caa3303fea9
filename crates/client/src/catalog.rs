//! Client methods for geography (`/api/locations/...`) and the catalog
//! (`/api/merchants/...`).

use mercato_core::catalog::{
    AvailabilityInput, DiscoveryPage, DiscoveryParams, ItemInput, Menu, MenuItem, MenuSection,
    Merchant, MerchantDetails, MerchantInput, MyMerchantsParams, OpeningHours, PageParams,
    PauseInput, Review, SectionInput, StaffAssignment,
};
use mercato_core::geo::{
    CategoryToggle, City, CityInput, Country, CountryInput, Resolution, ServiceCategory,
};
use mercato_core::ids::{CityId, ItemId, MerchantId, SectionId, UserId};
use mercato_core::page::Page;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};

use crate::{Client, ClientError, Result, path_segment};

/// A menu with the entity tag to revalidate it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedMenu {
    /// The menu.
    pub menu: Menu,
    /// Its `ETag`.
    pub etag: String,
}

impl Client {
    // --- locations ----------------------------------------------------------------------

    /// `GET /api/locations/countries`.
    ///
    /// # Errors
    /// Transport failures.
    pub async fn countries(&self) -> Result<Vec<Country>> {
        self.call(Method::GET, "/api/locations/countries").await
    }

    /// `GET /api/locations/countries/{code}/cities`.
    ///
    /// # Errors
    /// `locations.country_not_found` (404).
    pub async fn cities(&self, country: &str) -> Result<Vec<City>> {
        self.call(
            Method::GET,
            &format!("/api/locations/countries/{}/cities", path_segment(country)),
        )
        .await
    }

    /// `GET /api/locations/cities/{id}`.
    ///
    /// # Errors
    /// `locations.city_not_found` (404).
    pub async fn city(&self, id: CityId) -> Result<City> {
        self.call(Method::GET, &format!("/api/locations/cities/{id}"))
            .await
    }

    /// `GET /api/locations/resolve`.
    ///
    /// # Errors
    /// `validation.failed` (422) for out-of-range coordinates.
    pub async fn resolve(&self, lat: f64, lng: f64) -> Result<Resolution> {
        self.json(
            self.request(Method::GET, "/api/locations/resolve")
                .query(&[("lat", lat), ("lng", lng)]),
        )
        .await
    }

    /// Admin: `POST /api/locations/countries`.
    ///
    /// # Errors
    /// `locations.admin_only` (403), `locations.country_exists` (409), 422.
    pub async fn create_country(&self, input: &CountryInput) -> Result<Country> {
        self.call_with(Method::POST, "/api/locations/countries", input)
            .await
    }

    /// Admin: `PUT /api/locations/countries/{code}`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn update_country(&self, code: &str, input: &CountryInput) -> Result<Country> {
        self.call_with(
            Method::PUT,
            &format!("/api/locations/countries/{}", path_segment(code)),
            input,
        )
        .await
    }

    /// Admin: `POST /api/locations/countries/{code}/cities`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn create_city(&self, country: &str, input: &CityInput) -> Result<City> {
        self.call_with(
            Method::POST,
            &format!("/api/locations/countries/{}/cities", path_segment(country)),
            input,
        )
        .await
    }

    /// Admin: `PUT /api/locations/cities/{id}`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn update_city(&self, id: CityId, input: &CityInput) -> Result<City> {
        self.call_with(Method::PUT, &format!("/api/locations/cities/{id}"), input)
            .await
    }

    /// Admin: `PUT /api/locations/cities/{id}/categories/{category}`.
    ///
    /// # Errors
    /// 403, 404.
    pub async fn set_city_category(
        &self,
        id: CityId,
        category: ServiceCategory,
        enabled: bool,
    ) -> Result<City> {
        self.call_with(
            Method::PUT,
            &format!(
                "/api/locations/cities/{id}/categories/{}",
                category.as_str()
            ),
            &CategoryToggle { enabled },
        )
        .await
    }

    // --- merchants ----------------------------------------------------------------------

    /// `GET /api/merchants`: discovery.
    ///
    /// # Errors
    /// `validation.failed` (422).
    pub async fn discover(&self, params: &DiscoveryParams) -> Result<DiscoveryPage> {
        self.json(self.request(Method::GET, "/api/merchants").query(params))
            .await
    }

    /// `GET /api/merchants/mine`: the merchants the caller works for (every merchant for
    /// admins), with whether each is open now.
    ///
    /// # Errors
    /// `merchants.not_staff` (403), `validation.failed` (422).
    pub async fn my_merchants(&self, params: &MyMerchantsParams) -> Result<Page<MerchantDetails>> {
        self.json(
            self.request(Method::GET, "/api/merchants/mine")
                .query(params),
        )
        .await
    }

    /// `GET /api/merchants/{id}`.
    ///
    /// # Errors
    /// `merchants.not_found` (404).
    pub async fn merchant(&self, id: MerchantId) -> Result<MerchantDetails> {
        self.call(Method::GET, &format!("/api/merchants/{id}"))
            .await
    }

    /// `GET /api/merchants/{id}/menu`.
    ///
    /// # Errors
    /// `merchants.not_found` (404).
    pub async fn menu(&self, id: MerchantId) -> Result<TaggedMenu> {
        self.menu_if_changed(id, None)
            .await?
            .ok_or_else(|| ClientError::Decode("304 without If-None-Match".to_owned()))
    }

    /// `GET /api/merchants/{id}/menu` with `If-None-Match: etag`; `None` when the cached copy
    /// is current (304).
    ///
    /// # Errors
    /// `merchants.not_found` (404).
    pub async fn menu_if_changed(
        &self,
        id: MerchantId,
        etag: Option<&str>,
    ) -> Result<Option<TaggedMenu>> {
        let mut builder = self.request(Method::GET, &format!("/api/merchants/{id}/menu"));
        if let Some(etag) = etag {
            builder = builder.header(IF_NONE_MATCH, etag);
        }
        let response = self.send(builder).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        let etag = response
            .headers()
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| ClientError::Decode("menu without ETag".to_owned()))?;
        let bytes = response.bytes().await?;
        let menu =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode(e.to_string()))?;
        Ok(Some(TaggedMenu { menu, etag }))
    }

    /// `GET /api/merchants/{id}/reviews`.
    ///
    /// # Errors
    /// `merchants.not_found` (404), 422.
    pub async fn reviews(&self, id: MerchantId, params: &PageParams) -> Result<Page<Review>> {
        self.json(
            self.request(Method::GET, &format!("/api/merchants/{id}/reviews"))
                .query(params),
        )
        .await
    }

    /// Admin: `POST /api/merchants`.
    ///
    /// # Errors
    /// `merchants.admin_only` (403), 422.
    pub async fn create_merchant(&self, input: &MerchantInput) -> Result<Merchant> {
        self.call_with(Method::POST, "/api/merchants", input).await
    }

    /// Admin: `PUT /api/merchants/{id}`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn update_merchant(&self, id: MerchantId, input: &MerchantInput) -> Result<Merchant> {
        self.call_with(Method::PUT, &format!("/api/merchants/{id}"), input)
            .await
    }

    /// Admin: `POST /api/merchants/{id}/staff`.
    ///
    /// # Errors
    /// 403, 404.
    pub async fn add_staff(&self, id: MerchantId, user: UserId) -> Result<()> {
        self.call_empty(
            Method::POST,
            &format!("/api/merchants/{id}/staff"),
            Some(&StaffAssignment { user_id: user }),
        )
        .await
    }

    /// Admin: `DELETE /api/merchants/{id}/staff/{userId}`.
    ///
    /// # Errors
    /// 403, 404.
    pub async fn remove_staff(&self, id: MerchantId, user: UserId) -> Result<()> {
        self.call_empty::<()>(
            Method::DELETE,
            &format!("/api/merchants/{id}/staff/{user}"),
            None,
        )
        .await
    }

    /// Staff: `PUT /api/merchants/{id}/pause`.
    ///
    /// # Errors
    /// `merchants.not_staff` (403), 404.
    pub async fn set_pause(&self, id: MerchantId, input: &PauseInput) -> Result<MerchantDetails> {
        self.call_with(Method::PUT, &format!("/api/merchants/{id}/pause"), input)
            .await
    }

    /// Staff: `PUT /api/merchants/{id}/hours`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn set_hours(&self, id: MerchantId, hours: &OpeningHours) -> Result<MerchantDetails> {
        self.call_with(Method::PUT, &format!("/api/merchants/{id}/hours"), hours)
            .await
    }

    /// Staff: `POST /api/merchants/{id}/menu/sections`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn create_section(
        &self,
        id: MerchantId,
        input: &SectionInput,
    ) -> Result<MenuSection> {
        self.call_with(
            Method::POST,
            &format!("/api/merchants/{id}/menu/sections"),
            input,
        )
        .await
    }

    /// Staff: `PUT /api/merchants/{id}/menu/sections/{sectionId}`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn update_section(
        &self,
        id: MerchantId,
        section: SectionId,
        input: &SectionInput,
    ) -> Result<MenuSection> {
        self.call_with(
            Method::PUT,
            &format!("/api/merchants/{id}/menu/sections/{section}"),
            input,
        )
        .await
    }

    /// Staff: `DELETE /api/merchants/{id}/menu/sections/{sectionId}`.
    ///
    /// # Errors
    /// 403, 404.
    pub async fn delete_section(&self, id: MerchantId, section: SectionId) -> Result<()> {
        self.call_empty::<()>(
            Method::DELETE,
            &format!("/api/merchants/{id}/menu/sections/{section}"),
            None,
        )
        .await
    }

    /// Staff: `POST /api/merchants/{id}/menu/sections/{sectionId}/items`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn create_item(
        &self,
        id: MerchantId,
        section: SectionId,
        input: &ItemInput,
    ) -> Result<MenuItem> {
        self.call_with(
            Method::POST,
            &format!("/api/merchants/{id}/menu/sections/{section}/items"),
            input,
        )
        .await
    }

    /// Staff: `PUT /api/merchants/{id}/menu/items/{itemId}`.
    ///
    /// # Errors
    /// 403, 404, 422.
    pub async fn replace_item(
        &self,
        id: MerchantId,
        item: ItemId,
        input: &ItemInput,
    ) -> Result<MenuItem> {
        self.call_with(
            Method::PUT,
            &format!("/api/merchants/{id}/menu/items/{item}"),
            input,
        )
        .await
    }

    /// Staff: `DELETE /api/merchants/{id}/menu/items/{itemId}`.
    ///
    /// # Errors
    /// 403, 404.
    pub async fn delete_item(&self, id: MerchantId, item: ItemId) -> Result<()> {
        self.call_empty::<()>(
            Method::DELETE,
            &format!("/api/merchants/{id}/menu/items/{item}"),
            None,
        )
        .await
    }

    /// Staff: `PUT /api/merchants/{id}/menu/items/{itemId}/availability`.
    ///
    /// # Errors
    /// 403, 404.
    pub async fn set_item_availability(
        &self,
        id: MerchantId,
        item: ItemId,
        available: bool,
    ) -> Result<()> {
        self.call_empty(
            Method::PUT,
            &format!("/api/merchants/{id}/menu/items/{item}/availability"),
            Some(&AvailabilityInput { available }),
        )
        .await
    }
}
