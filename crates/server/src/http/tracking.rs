//! Following an order on its way: the assigned courier posting positions, the tracking
//! snapshot (status, timeline, courier, distance and ETA), and the live stream of updates
//! (Server-Sent Events).

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use mercato_core::Principal;
use mercato_core::identity::IdentityService;
use mercato_core::ids::{MerchantId, OrderId};
use mercato_core::ordering::{
    LiveView, Order, OrderService, OrderStatus, OrderUpdate, PositionUpdate, TrackingInfo,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiPath, Auth, JsonBody};
use crate::live::{MAX_STREAMS_PER_USER, StreamPermit, StreamRefused, Subscription};
use crate::state::AppState;

/// How often an idle event stream sends a comment, so proxies and clients keep it open.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// How often an open stream checks that its watcher is still signed in.
const SESSION_CHECK: Duration = Duration::from_secs(30);

/// The `Retry-After` of a stream refused for the user's cap.
const STREAM_RETRY_AFTER: Duration = Duration::from_secs(5);

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(post_location))
        .routes(routes!(order_tracking))
        .routes(routes!(order_events))
        .routes(routes!(merchant_order_events))
}

/// The order's assigned courier reports where they are (at most once per second) while the
/// order is active; its watchers receive the position live.
#[utoipa::path(post, path = "/api/orders/{id}/location", tag = "tracking",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    request_body = PositionUpdate,
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, description = "`tracking.not_assigned_courier`"),
        (status = 404, description = "`orders.not_found`"),
        (status = 409, description = "`tracking.order_not_active`"),
        (status = 422, description = "`validation.failed` (lat, lng, headingDeg, speedKmh)"),
        (status = 429, description = "`tracking.too_frequent`, with `Retry-After`")
    ))]
async fn post_location(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
    body: JsonBody<PositionUpdate>,
) -> Result<StatusCode, ApiError> {
    let update = body
        .parse_or_refuse(state.orders.authorize_position(&principal, id))
        .await?;
    state.orders.post_location(&principal, id, update).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where the order is: status, timeline, the courier (first name; their position only to
/// those who may see it), distance left and estimated arrival.
#[utoipa::path(get, path = "/api/orders/{id}/tracking", tag = "tracking",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    responses(
        (status = 200, description = "The tracking snapshot", body = TrackingInfo),
        (status = 404, description = "`orders.not_found`")
    ))]
async fn order_tracking(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
) -> Result<Json<TrackingInfo>, ApiError> {
    Ok(Json(state.orders.tracking(&principal, id).await?))
}

/// The order's live updates as Server-Sent Events: first a `status` event with the current
/// status, then `status`, `courier_assigned` and `position` events as they happen (the
/// event name is the update's `type`; courier positions only to those who may see them). A
/// comment every 15 s keeps an idle stream open. The stream ends after a terminal status
/// (`delivered`, `cancelled`) — at once for a finished order —, when the server shuts down,
/// and whenever updates may have been missed (the server lost its database listener, or the
/// client fell too far behind); a client reconnects to resume, receiving the current status
/// first again. A stream also ends within 30 seconds of its session ending (logout,
/// revocation, expiry). A user may have at most 5 streams open at once.
#[utoipa::path(get, path = "/api/orders/{id}/events", tag = "tracking",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = OrderId, Path, description = "Order id")),
    responses(
        (status = 200, description = "An event stream; each event's data is an `OrderUpdate`", body = OrderUpdate, content_type = "text/event-stream"),
        (status = 404, description = "`orders.not_found`"),
        (status = 429, description = "`tracking.too_many_streams`: the user has as many streams open as allowed; retry after `Retry-After`"),
        (status = 503, description = "`http.busy`: the server serves as many streams as it allows; retry after `Retry-After`")
    ))]
async fn order_events(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<OrderId>,
) -> Result<Response, ApiError> {
    let view = state.orders.watch(&principal, id).await?;
    let permit = state
        .live
        .admit_stream(principal.user_id)
        .map_err(refused_stream)?;
    // Subscribe before reading the status, so a change committed in between is not lost.
    let subscription = state.live.subscribe(id);
    let order = state.orders.order(&principal, id).await?;
    let watch = Watch::new(
        view,
        &order,
        subscription,
        permit,
        principal,
        state.identity.clone(),
    );
    Ok(sse_response(events(watch)))
}

/// The error for a stream [`crate::live::LiveHub::admit_stream`] refused.
fn refused_stream(refused: StreamRefused) -> ApiError {
    match refused {
        StreamRefused::Busy => ApiError::busy(),
        StreamRefused::TooManyForUser => ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "tracking.too_many_streams",
            format!(
                "at most {MAX_STREAMS_PER_USER} event streams may be open at once; close one first"
            ),
        )
        .retry_after(STREAM_RETRY_AFTER),
    }
}

/// Who watches a stream: the stream ends when their session does (logout, revocation,
/// expiry), checked every [`SESSION_CHECK`].
struct Watcher {
    principal: Principal,
    identity: IdentityService,
    session_check: tokio::time::Interval,
}

impl Watcher {
    fn new(principal: Principal, identity: IdentityService) -> Self {
        let mut session_check =
            tokio::time::interval_at(tokio::time::Instant::now() + SESSION_CHECK, SESSION_CHECK);
        session_check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Self {
            principal,
            identity,
            session_check,
        }
    }

    /// Reads the watcher again, as they are now; `false` when their session has ended. A
    /// failed check counts as ended: the client reconnects, and is authenticated again.
    async fn still_signed_in(&mut self) -> bool {
        match self.identity.current_principal(&self.principal).await {
            Ok(Some(current)) => {
                self.principal = current;
                true
            }
            Ok(None) | Err(_) => false,
        }
    }
}

/// One stream's state: what the watcher may see and its feed.
struct Watch {
    view: LiveView,
    /// The update to send next, before anything from the feed (the current status).
    first: Option<OrderUpdate>,
    subscription: Subscription,
    /// The stream's place under the process's and the user's caps, given back when the
    /// stream ends.
    _permit: StreamPermit,
    watcher: Watcher,
}

impl Watch {
    /// A stream that starts with `order`'s current status.
    fn new(
        mut view: LiveView,
        order: &Order,
        subscription: Subscription,
        permit: StreamPermit,
        principal: Principal,
        identity: IdentityService,
    ) -> Self {
        Self {
            first: Some(view.opening(order)),
            view,
            subscription,
            _permit: permit,
            watcher: Watcher::new(principal, identity),
        }
    }

    /// The next update for the watcher; `None` when the stream is over.
    async fn next(&mut self) -> Option<OrderUpdate> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        if self.view.finished() {
            return None;
        }
        loop {
            tokio::select! {
                update = self.subscription.recv() => {
                    if let Some(update) = self.view.present(update?) {
                        return Some(update);
                    }
                }
                _ = self.watcher.session_check.tick() => {
                    if !self.watcher.still_signed_in().await {
                        return None;
                    }
                }
            }
        }
    }
}

/// A merchant's order stream, for its staff's tablets and admins: an `order_placed` event
/// (data: the `Order`) when one of its orders is placed, and a `status` event (data: an
/// `OrderUpdate`) whenever one of its orders changes status (by anybody: the kitchen, the
/// courier, the customer cancelling). A comment every 15 s keeps an idle stream open. There
/// is no replay: after (re)connecting, read `GET /api/merchants/{id}/orders` for the current
/// queue. The stream ends when the server shuts down and whenever updates may have been
/// missed (the server lost its database listener, or the client fell too far behind) — the
/// client reconnects and reads the queue again — and within 30 seconds of the session
/// ending or the caller's staff membership being removed. It counts towards the user's 5
/// open streams.
#[utoipa::path(get, path = "/api/merchants/{id}/orders/events", tag = "tracking",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = MerchantId, Path, description = "Merchant id")),
    responses(
        (status = 200, description = "An event stream: `order_placed` events carry an `Order`, `status` events an `OrderUpdate`", body = OrderUpdate, content_type = "text/event-stream"),
        (status = 403, description = "`orders.staff_only`: only merchant staff and admins follow a merchant's orders"),
        (status = 404, description = "`merchants.not_found` (a merchant the caller does not work for)"),
        (status = 429, description = "`tracking.too_many_streams`: the user has as many streams open as allowed; retry after `Retry-After`"),
        (status = 503, description = "`http.busy`: the server serves as many streams as it allows; retry after `Retry-After`")
    ))]
async fn merchant_order_events(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(merchant): ApiPath<MerchantId>,
) -> Result<Response, ApiError> {
    state.orders.require_merchant_access(&principal, merchant)?;
    let permit = state
        .live
        .admit_stream(principal.user_id)
        .map_err(refused_stream)?;
    let watch = MerchantWatch {
        merchant,
        subscription: state.live.subscribe_merchant(merchant),
        _permit: permit,
        orders: state.orders.clone(),
        watcher: Watcher::new(principal, state.identity.clone()),
    };
    let stream = futures::stream::unfold(watch, |mut watch| async move {
        let event = watch.next().await?;
        Some((Ok::<_, Infallible>(event), watch))
    });
    Ok(sse_response(stream))
}

/// One merchant stream's state.
struct MerchantWatch {
    merchant: MerchantId,
    subscription: Subscription,
    _permit: StreamPermit,
    orders: OrderService,
    watcher: Watcher,
}

impl MerchantWatch {
    /// The next event for the merchant; `None` when the stream is over.
    async fn next(&mut self) -> Option<Event> {
        let update = loop {
            tokio::select! {
                update = self.subscription.recv() => break update?,
                _ = self.watcher.session_check.tick() => {
                    // The stream ends with the session, and with the caller's standing at
                    // the merchant (a staff member removed stops hearing its orders).
                    if !self.watcher.still_signed_in().await
                        || self
                            .orders
                            .require_merchant_access(&self.watcher.principal, self.merchant)
                            .is_err()
                    {
                        return None;
                    }
                }
            }
        };
        if let OrderUpdate::Status {
            order_id,
            status: OrderStatus::Placed,
            ..
        } = update
        {
            // The kitchen needs the whole order; one read per new order.
            match self.orders.order(&self.watcher.principal, order_id).await {
                Ok(order) => return Some(named_event("order_placed", &order)),
                Err(err) => {
                    tracing::warn!(error = %err, %order_id, "reading a placed order for its merchant's stream failed")
                }
            }
        }
        Some(event(&update))
    }
}

/// An SSE response of `stream`, kept alive, unbuffered by proxies.
fn sse_response(
    stream: impl Stream<Item = Result<Event, Infallible>> + Send + 'static,
) -> Response {
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // Reverse proxies (nginx) must pass events on as they come instead of buffering them.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

fn events(watch: Watch) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold(watch, |mut watch| async move {
        let update = watch.next().await?;
        Some((Ok(event(&update)), watch))
    })
}

/// The SSE event of an update: named by its type, its JSON as data.
fn event(update: &OrderUpdate) -> Event {
    named_event(update.name(), update)
}

/// An SSE event named `name` with `data` as JSON.
fn named_event(name: &str, data: &impl serde::Serialize) -> Event {
    Event::default()
        .event(name)
        .json_data(data)
        .unwrap_or_else(|err| {
            tracing::error!(error = %err, "serializing a live update failed");
            Event::default().comment("an update could not be sent")
        })
}

#[cfg(test)]
mod tests {
    use axum::body::to_bytes;
    use axum::http::header;

    use mercato_core::Problem;

    use super::*;

    #[tokio::test]
    async fn a_user_with_too_many_streams_gets_429_with_retry_after() {
        let response = refused_stream(StreamRefused::TooManyForUser).into_response();

        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "5");
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let problem: Problem = serde_json::from_slice(&body).expect("a problem document");
        assert_eq!(problem.code, "tracking.too_many_streams");
    }

    #[tokio::test]
    async fn a_full_process_answers_503_busy() {
        let response = refused_stream(StreamRefused::Busy).into_response();

        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
    }
}
