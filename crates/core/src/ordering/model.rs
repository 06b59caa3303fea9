//! Ordering's wire types: what clients send and receive for carts, orders, tracking,
//! couriers, reviews and statistics.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::lifecycle::*;
use crate::geo::{LatLng, TaxClass};
use crate::ids::{
    AddressId, CartId, CartLineId, ItemId, MerchantId, OptionId, OrderId, ReviewId, UserId,
};
use crate::money::Money;
use crate::pricing::PriceSummary;

/// Most lines one cart holds.
pub const MAX_CART_LINES: u32 = 50;
/// Largest quantity of one line.
pub const MAX_QUANTITY: u32 = 99;

/// Most orders on one page of a customer's history.
pub const MAX_ORDER_PAGE: u32 = 50;

/// A chosen option as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CartLineOption {
    /// The option.
    pub id: OptionId,
    /// Its current name.
    pub name: String,
    /// Its current price delta.
    pub price_delta: Money,
}

/// A cart line as shown, at current catalog prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CartLine {
    /// The line's id.
    pub id: CartLineId,
    /// The menu item.
    pub menu_item_id: ItemId,
    /// Its current name (empty if it left the menu).
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Chosen options.
    pub options: Vec<CartLineOption>,
    /// Note for the kitchen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Current unit price with options.
    pub unit_price: Money,
    /// What the item is taxed as.
    pub tax_class: TaxClass,
    /// `unitPrice × quantity`.
    pub line_total: Money,
    /// Whether it can be ordered now (item and every chosen option available).
    pub available: bool,
}

/// Something that would stop or change checkout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CartWarning {
    /// The item (or a chosen option) is unavailable or gone from the menu.
    #[serde(rename_all = "camelCase")]
    ItemUnavailable {
        /// The line.
        line_id: CartLineId,
    },
    /// The unit price differs from when the line was added.
    #[serde(rename_all = "camelCase")]
    PriceChanged {
        /// The line.
        line_id: CartLineId,
        /// Unit price then.
        was: Money,
        /// Unit price now.
        now: Money,
    },
    /// The subtotal is below the merchant's minimum order.
    #[serde(rename_all = "camelCase")]
    BelowMinimumOrder {
        /// The minimum.
        minimum: Money,
    },
    /// The merchant is closed or paused now.
    #[serde(rename_all = "camelCase")]
    MerchantClosed {
        /// When it next opens, if known.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "time::serde::rfc3339::option"
        )]
        next_opening_at: Option<OffsetDateTime>,
    },
    /// The given delivery point is outside the merchant's delivery area.
    OutsideDeliveryArea,
}

/// `GET /api/carts/{id}`: the cart at current prices, priced, with warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cart {
    /// The cart's id.
    pub id: CartId,
    /// The merchant.
    pub merchant_id: MerchantId,
    /// The merchant's name.
    pub merchant_name: String,
    /// Lines, oldest first.
    pub lines: Vec<CartLine>,
    /// The price of the available lines; absent for an empty cart (or when nothing can be
    /// ordered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<PriceSummary>,
    /// What would stop or change checkout.
    pub warnings: Vec<CartWarning>,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// `POST /api/carts/create`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateCart {
    /// The merchant to order from.
    pub merchant_id: MerchantId,
}

/// `POST /api/carts/{id}/items`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddCartItem {
    /// A menu item of the cart's merchant.
    pub menu_item_id: ItemId,
    /// 1–99.
    pub quantity: u32,
    /// Chosen options, satisfying every option group's minimum and maximum.
    #[serde(default)]
    pub options: Vec<OptionId>,
    /// Up to 200 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// `PUT /api/carts/{id}/items/{itemId}`: what is given changes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateCartItem {
    /// 1–99.
    #[serde(default)]
    pub quantity: Option<u32>,
    /// New option choice.
    #[serde(default)]
    pub options: Option<Vec<OptionId>>,
    /// New note (empty string removes it).
    #[serde(default)]
    pub note: Option<String>,
}

/// `GET /api/carts/{id}` query: an optional delivery point for fees and area warnings.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CartQuery {
    /// Latitude of the delivery point.
    #[serde(default)]
    #[param(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    /// Longitude of the delivery point.
    #[serde(default)]
    #[param(minimum = -180, maximum = 180)]
    pub lng: Option<f64>,
}

/// How an order is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PaymentChoice {
    /// `"cash"`: paid to the courier.
    Keyword(PaymentKeyword),
    /// `{"id": "…"}`: a saved card (charged by the payments service).
    Card(CardReference),
}

/// The keyword payment methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKeyword {
    /// Cash on delivery.
    Cash,
}

/// A saved payment method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardReference {
    /// The payment method's id.
    pub id: String,
}

/// Where and to whom an order is delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeliveryDetails {
    /// The address as the courier reads it (1–300 characters).
    pub address: String,
    /// Latitude of the door.
    pub lat: f64,
    /// Longitude of the door.
    pub lng: f64,
    /// Notes for the courier (up to 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// A phone number the courier can call (E.164).
    pub contact_phone: String,
}

/// `POST /api/orders/create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckoutRequest {
    /// The cart to check out (the caller's open cart).
    pub cart_id: CartId,
    /// A saved address of the caller; or give `delivery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_address_id: Option<AddressId>,
    /// Delivery details; or give `deliveryAddressId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliveryDetails>,
    /// Deliver at this time (15 minutes to 7 days ahead, within opening hours).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub scheduled_for: Option<OffsetDateTime>,
    /// A tip for the courier, in the merchant's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip: Option<Money>,
    /// `"cash"` or `{"id": "<payment method id>"}`.
    pub payment_method: PaymentChoice,
    /// The total the customer was shown; when given and the checkout total differs (a
    /// price changed meanwhile), checkout is refused with 409 `checkout.total_changed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_total: Option<Money>,
}

/// A bought item, as it was at checkout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    /// The menu item.
    pub menu_item_id: ItemId,
    /// Its name at checkout.
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Chosen options, as they were.
    pub options: Vec<CartLineOption>,
    /// Unit price with options at checkout.
    pub unit_price: Money,
    /// Tax class at checkout.
    pub tax_class: TaxClass,
    /// `unitPrice × quantity`.
    pub line_total: Money,
    /// Note for the kitchen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The order's id.
    pub id: OrderId,
    /// Who ordered.
    pub customer_id: UserId,
    /// From whom.
    pub merchant_id: MerchantId,
    /// The merchant's name at checkout.
    pub merchant_name: String,
    /// Where it is in its lifecycle.
    pub status: OrderStatus,
    /// What was bought.
    pub items: Vec<OrderItem>,
    /// Where it goes.
    pub delivery: DeliveryDetails,
    /// How it is paid.
    pub payment_method: PaymentChoice,
    /// The price at checkout.
    pub summary: PriceSummary,
    /// When it should arrive, for scheduled orders.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub scheduled_for: Option<OffsetDateTime>,
    /// The courier delivering it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<UserId>,
    /// When it was placed.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One entry of an order's status timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    /// The status entered.
    pub status: OrderStatus,
    /// Who moved it.
    pub actor: ActorKind,
    /// The acting user, when a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<UserId>,
    /// Why, for cancellations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CancelReason>,
    /// The actor's free-text note (e.g. why a cancellation happened, in their words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For `accepted`: the preparation time the merchant expects, in minutes (tracking's
    /// ETA counts down from it instead of the merchant's usual time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 180)]
    pub estimated_prep_minutes: Option<u16>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Longest free-text note on a status change, in characters.
pub const MAX_STATUS_NOTE_CHARS: usize = 500;

/// Range of an estimated preparation time, in minutes.
pub const PREP_MINUTES: std::ops::RangeInclusive<u16> = 1..=180;

/// `PUT /api/orders/{id}/status`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusUpdate {
    /// The status to move to.
    pub status: OrderStatus,
    /// Required when `status` is `cancelled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CancelReason>,
    /// A free-text note kept in the history (at most 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 500)]
    pub note: Option<String>,
    /// Only with `status: accepted`: how many minutes (1–180) the merchant expects to
    /// prepare the order; the customer's tracking ETA uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 180)]
    pub estimated_prep_minutes: Option<u16>,
}

impl StatusUpdate {
    /// A move to `status` with nothing else said (no reason, note or estimate).
    #[must_use]
    pub fn to(status: OrderStatus) -> Self {
        Self {
            status,
            reason: None,
            note: None,
            estimated_prep_minutes: None,
        }
    }
}

/// `POST /api/orders/{id}/cancel`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelRequest {
    /// Why (a reason code the caller may give).
    pub reason: CancelReason,
    /// The caller's own words beside the reason code, kept in the history (at most 500
    /// characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// `GET /api/merchants/{id}/orders` query: the merchant's order queue.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MerchantOrderParams {
    /// Only orders in this status; without it, every status but `pending_payment` (orders
    /// waiting for their payment, which the kitchen does not prepare yet).
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// Only orders placed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<OffsetDateTime>,
    /// Page size, 1–50 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 50, default = 20)]
    pub limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<OrderId>,
}

/// `GET /api/orders/user/{userId}` query.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderListParams {
    /// Only orders in this status.
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// Page size, 1–50 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 50, default = 20)]
    pub limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<OrderId>,
}

/// `PUT /api/couriers/me/status`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CourierStatusUpdate {
    /// Whether the courier takes orders.
    pub online: bool,
    /// Where the courier is (required when going online).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Where the courier is (required when going online).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
}

/// `POST /api/orders/{id}/location`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PositionUpdate {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
    /// Direction of travel, 0–360 degrees clockwise from north.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_deg: Option<f64>,
    /// Speed, 0–250 km/h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
}

/// Where a courier was.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CourierPosition {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
    /// Direction of travel, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_deg: Option<f64>,
    /// Speed, km/h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl CourierPosition {
    /// The point.
    #[must_use]
    pub fn point(&self) -> LatLng {
        LatLng {
            lat: self.lat,
            lng: self.lng,
        }
    }
}

/// A courier as the ordering context keeps them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CourierStatus {
    /// The courier (a user with the courier role).
    pub courier_id: UserId,
    /// The first name shown to customers.
    pub first_name: String,
    /// Whether they take orders.
    pub online: bool,
    /// Last known position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<CourierPosition>,
    /// The order they are delivering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_order_id: Option<OrderId>,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// `POST /api/orders/{id}/assign-courier`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignCourierRequest {
    /// This courier; without it, the nearest online courier with no active order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<UserId>,
}

/// The courier as a tracking customer sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrackedCourier {
    /// First name only.
    pub first_name: String,
    /// Where they are: for the customer only from pickup to delivery; for the merchant's
    /// staff, admins and the courier while the order is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<CourierPosition>,
}

/// `GET /api/orders/{id}/tracking`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrackingInfo {
    /// The order.
    pub order_id: OrderId,
    /// Where it is in its lifecycle.
    pub status: OrderStatus,
    /// The status timeline, oldest first.
    pub timeline: Vec<StatusChange>,
    /// The courier, once assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier: Option<TrackedCourier>,
    /// Metres left to the door (straight line): from the merchant before pickup, from the
    /// courier after. Absent once the order is finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_left_m: Option<u32>,
    /// Minutes until delivery, estimated. Absent once the order is finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eta_minutes: Option<u32>,
    /// `now + etaMinutes`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub estimated_arrival_at: Option<OffsetDateTime>,
}

/// A live update of an order, as `GET /api/orders/{id}/events` streams it (the SSE event
/// name is the `type`). The store publishes them on commit of the change, to every process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderUpdate {
    /// The order changed status.
    #[serde(rename_all = "camelCase")]
    Status {
        /// The order.
        order_id: OrderId,
        /// The status entered.
        status: OrderStatus,
        /// Why, for cancellations.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<CancelReason>,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
        /// The order's merchant (routes the update to the merchant's order stream).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        merchant_id: Option<MerchantId>,
    },
    /// A courier was assigned.
    #[serde(rename_all = "camelCase")]
    CourierAssigned {
        /// The order.
        order_id: OrderId,
        /// The courier's first name.
        first_name: String,
    },
    /// The courier moved.
    #[serde(rename_all = "camelCase")]
    Position {
        /// The order.
        order_id: OrderId,
        /// Where.
        position: CourierPosition,
        /// Metres left to the door (filled in for the watcher).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        distance_left_m: Option<u32>,
        /// Minutes left (filled in for the watcher).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        eta_minutes: Option<u32>,
    },
}

impl OrderUpdate {
    /// The order it is about.
    #[must_use]
    pub fn order_id(&self) -> OrderId {
        match self {
            Self::Status { order_id, .. }
            | Self::CourierAssigned { order_id, .. }
            | Self::Position { order_id, .. } => *order_id,
        }
    }

    /// The SSE event name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Status { .. } => "status",
            Self::CourierAssigned { .. } => "courier_assigned",
            Self::Position { .. } => "position",
        }
    }
}

/// `POST /api/orders/{id}/review`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReviewRequest {
    /// The merchant, 1–5.
    pub merchant_rating: u8,
    /// The courier, 1–5 (only for delivered orders that had one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_rating: Option<u8>,
    /// Up to 1000 characters, shown on the merchant's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A customer's review of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderReview {
    /// The review's id (also its id among the merchant's reviews).
    pub id: ReviewId,
    /// The order.
    pub order_id: OrderId,
    /// The merchant.
    pub merchant_id: MerchantId,
    /// The courier who delivered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<UserId>,
    /// 1–5.
    pub merchant_rating: u8,
    /// 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_rating: Option<u8>,
    /// The comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When written.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// `GET /api/orders/stats` query.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// The merchant (required for merchant staff; admins may omit it for the whole
    /// marketplace).
    #[serde(default)]
    pub merchant_id: Option<MerchantId>,
    /// Orders placed at or after this instant (RFC 3339; default 30 days before `to`).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<OffsetDateTime>,
    /// Orders placed before this instant (RFC 3339; default now). At most 366 days after
    /// `from`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<OffsetDateTime>,
}

/// How many orders are in a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    /// The status.
    pub status: OrderStatus,
    /// Orders placed in the period that are in it now.
    pub count: u64,
}

/// Sales in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrencySales {
    /// Delivered orders.
    pub delivered_orders: u64,
    /// Sum of the delivered orders' totals.
    pub gross_sales: Money,
    /// `grossSales / deliveredOrders`, rounded half away from zero to the minor unit.
    pub average_order_value: Money,
}

/// `GET /api/orders/stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderStats {
    /// The merchant, or absent for the whole marketplace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<MerchantId>,
    /// Start of the period (inclusive).
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    /// End of the period (exclusive).
    #[serde(with = "time::serde::rfc3339")]
    pub to: OffsetDateTime,
    /// Orders placed in the period.
    pub total_orders: u64,
    /// Those orders by their current status (every status listed, zeros included).
    pub by_status: Vec<StatusCount>,
    /// Delivered orders' sales, one entry per currency (one for a merchant).
    pub sales: Vec<CurrencySales>,
    /// Average minutes from acceptance to ready for pickup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_prep_minutes: Option<f64>,
    /// Average minutes from pickup to delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_delivery_minutes: Option<f64>,
    /// Cancelled orders / orders placed in the period (0 when none).
    pub cancellation_rate: f64,
}
