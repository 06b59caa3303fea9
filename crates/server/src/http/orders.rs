//! `/api/orders/...`: idempotent checkout of a cart into an order, reading orders and their
//! status timeline, and moving them through the lifecycle (status changes and cancellation).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use mercato_core::ids::{MerchantId, OrderId, UserId};
use mercato_core::ordering::{
    AssignCourierRequest, CancelRequest, Cart, CheckoutRequest, MerchantOrderParams, Order,
    OrderListParams, OrderReview, OrderStats, ReviewRequest, StatsParams, StatusChange,
    StatusUpdate,
};
use mercato_core::page::Page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, JsonBody};
use crate::state::AppState;

/// The header naming a checkout attempt, so a retried request cannot order twice.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_order))
        .routes(routes!(get_order))
        .routes(routes!(list_user_orders))
        .routes(routes!(order_history))
        .routes(routes!(update_order_status))
        .routes(routes!(cancel_order))
        .routes(routes!(reorder))
        .routes(routes!(review_order))
        .routes(routes!(order_stats))
        .routes(routes!(assign_courier))
        .routes(routes!(merchant_orders))
}

/// A merchant's order queue, newest first, for its staff (kitchen tablets) and admins:
/// optionally only one status and only orders placed since `from`. Cursor-paginated
/// (`limit` ≤ 50). Follow `GET /api/merchants/{id}/orders/events` to hear of new orders and
/// status changes as they happen.
#[utoipa::path(get, path = "/api/merchants/{id}/orders", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id"), MerchantOrderParams),
    responses(
        (status = 200, description = "A page of the merchant's orders", body = Page<Order>),
        (status = 403, description = "`orders.staff_only`: only merchant staff and admins see a merchant's orders"),
        (status = 404, description = "`merchants.not_found` (a merchant the caller does not work for)"),
        (status = 422, description = "`validation.failed` (limit, status, from, cursor)")
    ))]
async fn merchant_orders(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(merchant): ApiPath<MerchantId>,
    ApiQuery(params): ApiQuery<MerchantOrderParams>,
) -> Result<Json<Page<Order>>, ApiError> {
    Ok(Json(
        state
            .orders
            .merchant_orders(&principal, merchant, params)
            .await?,
    ))
}

/// Customer: check out one of the caller's open carts. Requires an `Idempotency-Key`
/// header: the same key with the same body answers the first order again (201) without a
/// second order.
#[utoipa::path(post, path = "/api/orders/create", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("Idempotency-Key" = String, Header, description = "1–255 visible ASCII characters naming this checkout attempt")),
    request_body = CheckoutRequest,
    responses(
        (status = 201, description = "Placed (or the replayed order)", body = Order),
        (status = 400, description = "`idempotency.key_required`: no `Idempotency-Key` header, or not 1–255 visible ASCII characters; `http.malformed_json`: the body is not JSON"),
        (status = 403, description = "`orders.customers_only`"),
        (status = 404, description = "`cart.not_found`"),
        (status = 409, description = "`checkout.cart_empty`, `checkout.item_unavailable`, `checkout.below_minimum_order`, `checkout.merchant_closed`, `checkout.cart_closed` or `idempotency.in_progress`"),
        (status = 422, description = "`validation.failed` (delivery, deliveryAddressId, tip, scheduledFor), `checkout.outside_delivery_area` or `idempotency.key_reused`")
    ))]
async fn create_order(
    State(state): State<AppState>,
    Auth(principal): Auth,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CheckoutRequest>,
) -> Result<(StatusCode, Json<Order>), ApiError> {
    // A header that is not visible ASCII counts as missing: the use case refuses it.
    let key = headers.get(IDEMPOTENCY_KEY).and_then(|v| v.to_str().ok());
    let order = state.orders.checkout(&principal, key, request).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

/// An order: to its customer, its merchant's staff, its courier and admins.
#[utoipa::path(get, path = "/api/orders/{id}", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 404, description = "`orders.not_found`")
    ))]
async fn get_order(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
) -> Result<Json<Order>, ApiError> {
    Ok(Json(state.orders.order(&principal, id).await?))
}

/// A customer's orders, newest first (the customer themself or an admin). Cursor-paginated
/// (`limit` ≤ 50).
#[utoipa::path(get, path = "/api/orders/user/{userId}", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("userId" = UserId, Path, description = "The customer's user id"), OrderListParams),
    responses(
        (status = 200, description = "A page of orders", body = Page<Order>),
        (status = 404, description = "`orders.not_found` (another user's orders)"),
        (status = 422, description = "`validation.failed` (limit, status, cursor)")
    ))]
async fn list_user_orders(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(user): ApiPath<UserId>,
    ApiQuery(params): ApiQuery<OrderListParams>,
) -> Result<Json<Page<Order>>, ApiError> {
    Ok(Json(
        state.orders.orders_of(&principal, user, params).await?,
    ))
}

/// An order's status timeline, oldest first: who moved it where, when, and why for
/// cancellations.
#[utoipa::path(get, path = "/api/orders/{id}/history", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    responses(
        (status = 200, description = "The status changes", body = Vec<StatusChange>),
        (status = 404, description = "`orders.not_found`")
    ))]
async fn order_history(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
) -> Result<Json<Vec<StatusChange>>, ApiError> {
    Ok(Json(state.orders.history(&principal, id).await?))
}

/// Move an order to another status, as the lifecycle allows the caller (merchant staff
/// accept, prepare and hand over; couriers pick up and deliver; a reason is required to
/// cancel).
#[utoipa::path(put, path = "/api/orders/{id}/status", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    request_body = StatusUpdate,
    responses(
        (status = 200, description = "Moved; the order", body = Order),
        (status = 403, description = "`orders.forbidden_transition`"),
        (status = 404, description = "`orders.not_found`"),
        (status = 409, description = "`orders.illegal_transition`, with `allowedNext`: the statuses the caller could move the order to"),
        (status = 422, description = "`validation.failed` (reason)")
    ))]
async fn update_order_status(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
    ApiJson(update): ApiJson<StatusUpdate>,
) -> Result<Json<Order>, ApiError> {
    Ok(Json(
        state.orders.update_status(&principal, id, update).await?,
    ))
}

/// Cancel an order with a reason the caller may give (a customer: before the merchant
/// accepts).
#[utoipa::path(post, path = "/api/orders/{id}/cancel", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    request_body = CancelRequest,
    responses(
        (status = 200, description = "Cancelled; the order", body = Order),
        (status = 403, description = "`orders.forbidden_transition`"),
        (status = 404, description = "`orders.not_found`"),
        (status = 409, description = "`orders.illegal_transition`, with `allowedNext`"),
        (status = 422, description = "`validation.failed` (reason)")
    ))]
async fn cancel_order(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
    ApiJson(request): ApiJson<CancelRequest>,
) -> Result<Json<Order>, ApiError> {
    Ok(Json(state.orders.cancel(&principal, id, request).await?))
}

/// The order's customer: put the order's items back into an open cart at its merchant (the
/// customer's open cart there, or a new one). Items that can no longer be ordered (gone
/// from the menu, unavailable, options changed) are left out.
#[utoipa::path(post, path = "/api/orders/{id}/reorder", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    responses(
        (status = 200, description = "The cart holding what could be ordered again", body = Cart),
        (status = 404, description = "`orders.not_found`")
    ))]
async fn reorder(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
) -> Result<Json<Cart>, ApiError> {
    Ok(Json(state.orders.reorder(&principal, id).await?))
}

/// The order's customer reviews a delivered order, once: the merchant (shown on its page)
/// and, when one delivered it, the courier.
#[utoipa::path(post, path = "/api/orders/{id}/review", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    request_body = ReviewRequest,
    responses(
        (status = 201, description = "Reviewed", body = OrderReview),
        (status = 403, description = "`reviews.customers_only`"),
        (status = 404, description = "`orders.not_found`"),
        (status = 409, description = "`reviews.not_delivered` or `reviews.already_reviewed`"),
        (status = 422, description = "`validation.failed` (merchantRating, courierRating, comment)")
    ))]
async fn review_order(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> Result<(StatusCode, Json<OrderReview>), ApiError> {
    let review = state.orders.review(&principal, id, request).await?;
    Ok((StatusCode::CREATED, Json(review)))
}

/// Order statistics over a period (default: the last 30 days; at most 366 days): a
/// merchant's, for its staff and admins, or the whole marketplace's, for admins.
#[utoipa::path(get, path = "/api/orders/stats", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(StatsParams),
    responses(
        (status = 200, description = "The statistics", body = OrderStats),
        (status = 403, description = "`orders.stats_forbidden`"),
        (status = 404, description = "`merchants.not_found` (a merchant the caller does not work for)"),
        (status = 422, description = "`validation.failed` (merchantId, from, to)")
    ))]
async fn order_stats(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> Result<Json<OrderStats>, ApiError> {
    Ok(Json(state.orders.stats(&principal, params).await?))
}

/// The merchant's staff or an admin assigns a courier: the one named, or — with no body or
/// no `courierId` — the nearest online courier without an active order.
#[utoipa::path(post, path = "/api/orders/{id}/assign-courier", tag = "orders",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    request_body(content = Option<AssignCourierRequest>, description = "Optional: without a body, the nearest available courier"),
    responses(
        (status = 200, description = "Assigned; the order", body = Order),
        (status = 403, description = "`couriers.assign_forbidden`"),
        (status = 404, description = "`orders.not_found`"),
        (status = 409, description = "`orders.not_assignable`, `couriers.unavailable` (unknown, offline, busy, or farther than 15 km from the merchant) or `couriers.none_available`")
    ))]
async fn assign_courier(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
    body: JsonBody<AssignCourierRequest>,
) -> Result<Json<Order>, ApiError> {
    state.orders.authorize_assignment(&principal, id).await?;
    let request = body.parse_optional()?.unwrap_or_default();
    Ok(Json(
        state.orders.assign_courier(&principal, id, request).await?,
    ))
}
