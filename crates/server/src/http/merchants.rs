//! `/api/merchants/...`: discovery, merchant pages, menus (with `ETag`) and reviews for
//! everyone; menu, hours and pause management for the merchant's staff; merchants and staff
//! assignment for administrators.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mercato_core::catalog::{
    AvailabilityInput, DiscoveryPage, DiscoveryParams, ItemInput, Menu, MenuFetch, MenuItem,
    MenuSection, Merchant, MerchantDetails, MerchantInput, MyMerchantsParams, OpeningHours,
    PageParams, PauseInput, Review, SectionInput, StaffAssignment,
};
use mercato_core::ids::{ItemId, MerchantId, SectionId, UserId};
use mercato_core::page::Page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery, Auth, JsonBody};
use crate::state::AppState;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(discover, create_merchant))
        .routes(routes!(my_merchants))
        .routes(routes!(get_merchant, update_merchant))
        .routes(routes!(get_menu))
        .routes(routes!(list_reviews))
        .routes(routes!(set_pause))
        .routes(routes!(set_hours))
        .routes(routes!(add_staff))
        .routes(routes!(remove_staff))
        .routes(routes!(create_section))
        .routes(routes!(update_section, delete_section))
        .routes(routes!(create_item))
        .routes(routes!(replace_item, delete_item))
        .routes(routes!(set_item_availability))
}

/// Merchants delivering to a point: only those whose delivery area covers it, in a city
/// where the category is enabled, with distance, ETA, delivery fee and opening state.
/// Cursor-paginated (`limit` ≤ 50).
#[utoipa::path(get, path = "/api/merchants", tag = "merchants",
    params(DiscoveryParams),
    responses(
        (status = 200, description = "A page of merchants, and whether the point is served", body = DiscoveryPage),
        (status = 422, description = "`validation.failed` (coordinates, limit, q, cursor, category)")
    ))]
async fn discover(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<DiscoveryParams>,
) -> Result<Json<DiscoveryPage>, ApiError> {
    Ok(Json(state.catalog.discover(params).await?))
}

/// The merchants the caller works for, each with whether it is open now: for merchant
/// staff their own merchants, for admins every merchant (narrow it with `cityId` and `q`).
/// By id, cursor-paginated (`limit` ≤ 50).
#[utoipa::path(get, path = "/api/merchants/mine", tag = "merchants",
    security(("bearer" = []), ("cookie" = [])),
    params(MyMerchantsParams),
    responses(
        (status = 200, description = "A page of the caller's merchants", body = Page<MerchantDetails>),
        (status = 403, description = "`merchants.not_staff`: only merchant staff and admins have merchants"),
        (status = 422, description = "`validation.failed` (cityId, q, limit, cursor)")
    ))]
async fn my_merchants(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(params): ApiQuery<MyMerchantsParams>,
) -> Result<Json<Page<MerchantDetails>>, ApiError> {
    Ok(Json(state.catalog.my_merchants(&principal, params).await?))
}

/// Admin: create a merchant.
#[utoipa::path(post, path = "/api/merchants", tag = "merchants",
    security(("bearer" = []), ("cookie" = [])),
    request_body = MerchantInput,
    responses(
        (status = 201, description = "Created", body = Merchant),
        (status = 403, description = "`merchants.admin_only`")
    ))]
async fn create_merchant(
    State(state): State<AppState>,
    Auth(principal): Auth,
    body: JsonBody<MerchantInput>,
) -> Result<(StatusCode, Json<Merchant>), ApiError> {
    state.catalog.authorize_admin(&principal)?;
    let input = body.parse()?;
    Ok((
        StatusCode::CREATED,
        Json(state.catalog.create_merchant(&principal, input).await?),
    ))
}

/// A merchant's details, hours and whether it is open now.
#[utoipa::path(get, path = "/api/merchants/{id}", tag = "merchants",
    params(("id" = MerchantId, Path, description = "Merchant id")),
    responses(
        (status = 200, description = "The merchant", body = MerchantDetails),
        (status = 404, description = "`merchants.not_found`")
    ))]
async fn get_merchant(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<MerchantId>,
) -> Result<Json<MerchantDetails>, ApiError> {
    Ok(Json(state.catalog.merchant(id).await?))
}

/// Admin: replace a merchant's details.
#[utoipa::path(put, path = "/api/merchants/{id}", tag = "merchants",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id")),
    request_body = MerchantInput,
    responses(
        (status = 200, description = "Updated", body = Merchant),
        (status = 403, description = "`merchants.admin_only`"),
        (status = 404, description = "`merchants.not_found`")
    ))]
async fn update_merchant(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<MerchantId>,
    body: JsonBody<MerchantInput>,
) -> Result<Json<Merchant>, ApiError> {
    state.catalog.authorize_admin(&principal)?;
    let input = body.parse()?;
    Ok(Json(
        state.catalog.update_merchant(&principal, id, input).await?,
    ))
}

/// A merchant's menu. Carries an `ETag`; a request whose `If-None-Match` matches gets 304.
#[utoipa::path(get, path = "/api/merchants/{id}/menu", tag = "merchants",
    params(
        ("id" = MerchantId, Path, description = "Merchant id"),
        ("If-None-Match" = Option<String>, Header, description = "ETag of a cached copy")
    ),
    responses(
        (status = 200, description = "The menu", body = Menu, headers(("ETag" = String, description = "Menu version tag"))),
        (status = 304, description = "The cached copy is current", headers(("ETag" = String, description = "Menu version tag"))),
        (status = 404, description = "`merchants.not_found`")
    ))]
async fn get_menu(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<MerchantId>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    let caching = |etag: &str| {
        [
            (
                header::ETAG,
                HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"\"")),
            ),
            // Cacheable, but revalidated on every use: menus change without notice.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ]
    };
    Ok(match state.catalog.menu(id, if_none_match).await? {
        MenuFetch::NotModified { etag } => {
            (StatusCode::NOT_MODIFIED, caching(&etag)).into_response()
        }
        MenuFetch::Menu { menu, etag } => (caching(&etag), Json(menu)).into_response(),
    })
}

/// A merchant's reviews, newest first.
#[utoipa::path(get, path = "/api/merchants/{id}/reviews", tag = "merchants",
    params(("id" = MerchantId, Path, description = "Merchant id"), PageParams),
    responses(
        (status = 200, description = "A page of reviews", body = Page<Review>),
        (status = 404, description = "`merchants.not_found`")
    ))]
async fn list_reviews(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<MerchantId>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Page<Review>>, ApiError> {
    Ok(Json(state.catalog.reviews(id, params).await?))
}

/// Staff: pause or resume taking orders; optionally flag busy.
#[utoipa::path(put, path = "/api/merchants/{id}/pause", tag = "merchants",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id")),
    request_body = PauseInput,
    responses(
        (status = 200, description = "The merchant", body = MerchantDetails),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`merchants.not_found`")
    ))]
async fn set_pause(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<MerchantId>,
    body: JsonBody<PauseInput>,
) -> Result<Json<MerchantDetails>, ApiError> {
    state.catalog.authorize_staff(&principal, id)?;
    let input = body.parse()?;
    Ok(Json(state.catalog.set_pause(&principal, id, input).await?))
}

/// Staff: replace the opening hours and closure dates.
#[utoipa::path(put, path = "/api/merchants/{id}/hours", tag = "merchants",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id")),
    request_body = OpeningHours,
    responses(
        (status = 200, description = "The merchant", body = MerchantDetails),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`merchants.not_found`")
    ))]
async fn set_hours(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<MerchantId>,
    body: JsonBody<OpeningHours>,
) -> Result<Json<MerchantDetails>, ApiError> {
    state.catalog.authorize_staff(&principal, id)?;
    let hours = body.parse()?;
    Ok(Json(state.catalog.set_hours(&principal, id, hours).await?))
}

/// Admin: make a user staff of the merchant.
#[utoipa::path(post, path = "/api/merchants/{id}/staff", tag = "merchants",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id")),
    request_body = StaffAssignment,
    responses(
        (status = 204, description = "Assigned"),
        (status = 403, description = "`merchants.admin_only`"),
        (status = 404, description = "`merchants.not_found` or `users.not_found`")
    ))]
async fn add_staff(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<MerchantId>,
    body: JsonBody<StaffAssignment>,
) -> Result<StatusCode, ApiError> {
    state.catalog.authorize_admin(&principal)?;
    let assignment = body.parse()?;
    state.catalog.add_staff(&principal, id, assignment).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Admin: end a user's staff membership of the merchant.
#[utoipa::path(delete, path = "/api/merchants/{id}/staff/{userId}", tag = "merchants",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id"), ("userId" = UserId, Path, description = "User id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "`merchants.admin_only`"),
        (status = 404, description = "`merchants.staff_not_found`")
    ))]
async fn remove_staff(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, user)): ApiPath<(MerchantId, UserId)>,
) -> Result<StatusCode, ApiError> {
    state.catalog.remove_staff(&principal, id, user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Staff: add a menu section.
#[utoipa::path(post, path = "/api/merchants/{id}/menu/sections", tag = "menu",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id")),
    request_body = SectionInput,
    responses(
        (status = 201, description = "Created", body = MenuSection),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`merchants.not_found`")
    ))]
async fn create_section(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<MerchantId>,
    body: JsonBody<SectionInput>,
) -> Result<(StatusCode, Json<MenuSection>), ApiError> {
    state.catalog.authorize_staff(&principal, id)?;
    let input = body.parse()?;
    Ok((
        StatusCode::CREATED,
        Json(state.catalog.create_section(&principal, id, input).await?),
    ))
}

/// Staff: rename or move a section.
#[utoipa::path(put, path = "/api/merchants/{id}/menu/sections/{sectionId}", tag = "menu",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id"), ("sectionId" = SectionId, Path, description = "Section id")),
    request_body = SectionInput,
    responses(
        (status = 200, description = "Updated", body = MenuSection),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`menu.section_not_found`")
    ))]
async fn update_section(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, section)): ApiPath<(MerchantId, SectionId)>,
    body: JsonBody<SectionInput>,
) -> Result<Json<MenuSection>, ApiError> {
    state.catalog.authorize_staff(&principal, id)?;
    let input = body.parse()?;
    Ok(Json(
        state
            .catalog
            .update_section(&principal, id, section, input)
            .await?,
    ))
}

/// Staff: delete a section and its items.
#[utoipa::path(delete, path = "/api/merchants/{id}/menu/sections/{sectionId}", tag = "menu",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id"), ("sectionId" = SectionId, Path, description = "Section id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`menu.section_not_found`")
    ))]
async fn delete_section(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, section)): ApiPath<(MerchantId, SectionId)>,
) -> Result<StatusCode, ApiError> {
    state
        .catalog
        .delete_section(&principal, id, section)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Staff: add an item, with its option groups, to a section.
#[utoipa::path(post, path = "/api/merchants/{id}/menu/sections/{sectionId}/items", tag = "menu",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id"), ("sectionId" = SectionId, Path, description = "Section id")),
    request_body = ItemInput,
    responses(
        (status = 201, description = "Created", body = MenuItem),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`merchants.not_found` or `menu.section_not_found`")
    ))]
async fn create_item(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, section)): ApiPath<(MerchantId, SectionId)>,
    body: JsonBody<ItemInput>,
) -> Result<(StatusCode, Json<MenuItem>), ApiError> {
    state.catalog.authorize_staff(&principal, id)?;
    let input = body.parse()?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .catalog
                .create_item(&principal, id, section, input)
                .await?,
        ),
    ))
}

/// Staff: replace an item and its option groups.
#[utoipa::path(put, path = "/api/merchants/{id}/menu/items/{itemId}", tag = "menu",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id"), ("itemId" = ItemId, Path, description = "Item id")),
    request_body = ItemInput,
    responses(
        (status = 200, description = "Replaced", body = MenuItem),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`menu.item_not_found`")
    ))]
async fn replace_item(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, item)): ApiPath<(MerchantId, ItemId)>,
    body: JsonBody<ItemInput>,
) -> Result<Json<MenuItem>, ApiError> {
    state.catalog.authorize_staff(&principal, id)?;
    let input = body.parse()?;
    Ok(Json(
        state
            .catalog
            .replace_item(&principal, id, item, input)
            .await?,
    ))
}

/// Staff: delete an item.
#[utoipa::path(delete, path = "/api/merchants/{id}/menu/items/{itemId}", tag = "menu",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id"), ("itemId" = ItemId, Path, description = "Item id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`menu.item_not_found`")
    ))]
async fn delete_item(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, item)): ApiPath<(MerchantId, ItemId)>,
) -> Result<StatusCode, ApiError> {
    state.catalog.delete_item(&principal, id, item).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Staff: mark an item available or sold out.
#[utoipa::path(put, path = "/api/merchants/{id}/menu/items/{itemId}/availability", tag = "menu",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id"), ("itemId" = ItemId, Path, description = "Item id")),
    request_body = AvailabilityInput,
    responses(
        (status = 204, description = "Updated"),
        (status = 403, description = "`merchants.not_staff`"),
        (status = 404, description = "`menu.item_not_found`")
    ))]
async fn set_item_availability(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, item)): ApiPath<(MerchantId, ItemId)>,
    body: JsonBody<AvailabilityInput>,
) -> Result<StatusCode, ApiError> {
    state.catalog.authorize_staff(&principal, id)?;
    let input = body.parse()?;
    state
        .catalog
        .set_item_availability(&principal, id, item, input)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
