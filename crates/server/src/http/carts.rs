//! `/api/carts/...`: a customer's open carts — opening one per merchant, adding, changing
//! and removing lines, clearing — each answered with the cart priced from the current menu.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mercato_core::ids::{CartId, CartLineId};
use mercato_core::ordering::{AddCartItem, Cart, CartQuery, CreateCart, UpdateCartItem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use crate::state::AppState;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_cart))
        .routes(routes!(list_carts))
        .routes(routes!(get_cart, clear_cart))
        .routes(routes!(add_item))
        .routes(routes!(update_item, remove_item))
}

/// Customer: open a cart at a merchant. Answers the existing open cart (200) when there is
/// one, so a customer has at most one open cart per merchant.
#[utoipa::path(post, path = "/api/carts/create", tag = "carts",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CreateCart,
    responses(
        (status = 201, description = "Created", body = Cart),
        (status = 200, description = "The customer's open cart at that merchant", body = Cart),
        (status = 403, description = "`cart.customers_only`"),
        (status = 404, description = "`merchants.not_found`")
    ))]
async fn create_cart(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(request): ApiJson<CreateCart>,
) -> Result<(StatusCode, Json<Cart>), ApiError> {
    let (cart, created) = state.carts.open(&principal, request).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(cart)))
}

/// The caller's open carts, most recently changed first.
#[utoipa::path(get, path = "/api/carts", tag = "carts",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The open carts", body = Vec<Cart>)
    ))]
async fn list_carts(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<Vec<Cart>>, ApiError> {
    Ok(Json(state.carts.list(&principal).await?))
}

/// One of the caller's carts at current prices, with warnings; given a delivery point, also
/// its delivery fee and whether the merchant delivers there.
#[utoipa::path(get, path = "/api/carts/{id}", tag = "carts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = CartId, Path, description = "Cart id"), CartQuery),
    responses(
        (status = 200, description = "The cart", body = Cart),
        (status = 404, description = "`cart.not_found`"),
        (status = 422, description = "`validation.failed` (lat, lng)")
    ))]
async fn get_cart(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<CartId>,
    ApiQuery(query): ApiQuery<CartQuery>,
) -> Result<Json<Cart>, ApiError> {
    Ok(Json(state.carts.get(&principal, id, query).await?))
}

/// Remove every line of one of the caller's carts.
#[utoipa::path(delete, path = "/api/carts/{id}", tag = "carts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = CartId, Path, description = "Cart id")),
    responses(
        (status = 204, description = "Cleared"),
        (status = 404, description = "`cart.not_found`")
    ))]
async fn clear_cart(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<CartId>,
) -> Result<StatusCode, ApiError> {
    state.carts.clear(&principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a menu item of the cart's merchant, with options satisfying every option group.
#[utoipa::path(post, path = "/api/carts/{id}/items", tag = "carts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = CartId, Path, description = "Cart id")),
    request_body = AddCartItem,
    responses(
        (status = 201, description = "Added; the cart", body = Cart),
        (status = 404, description = "`cart.not_found`"),
        (status = 409, description = "`cart.item_unavailable` or `cart.too_many_lines`"),
        (status = 422, description = "`validation.failed` (quantity, options, note) or `cart.item_not_on_menu`")
    ))]
async fn add_item(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<CartId>,
    ApiJson(request): ApiJson<AddCartItem>,
) -> Result<(StatusCode, Json<Cart>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.carts.add_item(&principal, id, request).await?),
    ))
}

/// Change a line's quantity, options or note.
#[utoipa::path(put, path = "/api/carts/{id}/items/{itemId}", tag = "carts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = CartId, Path, description = "Cart id"), ("itemId" = CartLineId, Path, description = "Cart line id")),
    request_body = UpdateCartItem,
    responses(
        (status = 200, description = "Updated; the cart", body = Cart),
        (status = 404, description = "`cart.not_found` or `cart.line_not_found`"),
        (status = 409, description = "`cart.item_unavailable`"),
        (status = 422, description = "`validation.failed` (quantity, options, note)")
    ))]
async fn update_item(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, line)): ApiPath<(CartId, CartLineId)>,
    ApiJson(request): ApiJson<UpdateCartItem>,
) -> Result<Json<Cart>, ApiError> {
    Ok(Json(
        state
            .carts
            .update_item(&principal, id, line, request)
            .await?,
    ))
}

/// Remove a line.
#[utoipa::path(delete, path = "/api/carts/{id}/items/{itemId}", tag = "carts",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = CartId, Path, description = "Cart id"), ("itemId" = CartLineId, Path, description = "Cart line id")),
    responses(
        (status = 200, description = "Removed; the cart", body = Cart),
        (status = 404, description = "`cart.not_found` or `cart.line_not_found`")
    ))]
async fn remove_item(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, line)): ApiPath<(CartId, CartLineId)>,
) -> Result<Json<Cart>, ApiError> {
    Ok(Json(state.carts.remove_item(&principal, id, line).await?))
}
