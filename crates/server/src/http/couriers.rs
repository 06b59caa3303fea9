//! `/api/couriers/me/...`: a courier going online or offline, and the orders assigned to
//! them.

use axum::Json;
use axum::extract::State;
use mercato_core::ordering::{CourierStatus, CourierStatusUpdate, Order, OrderListParams};
use mercato_core::page::Page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiQuery, Auth, JsonBody};
use crate::state::AppState;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_courier_status))
        .routes(routes!(courier_orders))
}

/// The calling courier goes online (with where they are: `lat` and `lng`) or offline.
/// Online couriers without an active order are dispatched to orders near them while their
/// position is fresh: an idle courier sends this every few minutes (within 15) as a
/// heartbeat. Going offline forgets the position, and is refused while delivering.
#[utoipa::path(put, path = "/api/couriers/me/status", tag = "couriers",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CourierStatusUpdate,
    responses(
        (status = 200, description = "The courier's status", body = CourierStatus),
        (status = 403, description = "`couriers.couriers_only`"),
        (status = 409, description = "`couriers.has_active_order`: going offline while delivering"),
        (status = 422, description = "`validation.failed` (lat, lng)")
    ))]
async fn set_courier_status(
    State(state): State<AppState>,
    Auth(principal): Auth,
    body: JsonBody<CourierStatusUpdate>,
) -> Result<Json<CourierStatus>, ApiError> {
    state.orders.authorize_courier(&principal)?;
    let update = body.parse()?;
    Ok(Json(
        state.orders.set_courier_status(&principal, update).await?,
    ))
}

/// The orders assigned to the calling courier, newest first. Cursor-paginated
/// (`limit` ≤ 50).
#[utoipa::path(get, path = "/api/couriers/me/orders", tag = "couriers",
    security(("bearer" = []), ("cookie" = [])),
    params(OrderListParams),
    responses(
        (status = 200, description = "A page of orders", body = Page<Order>),
        (status = 403, description = "`couriers.couriers_only`"),
        (status = 422, description = "`validation.failed` (limit, status, cursor)")
    ))]
async fn courier_orders(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(params): ApiQuery<OrderListParams>,
) -> Result<Json<Page<Order>>, ApiError> {
    Ok(Json(state.orders.courier_orders(&principal, params).await?))
}
