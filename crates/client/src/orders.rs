//! Client methods for orders (`/api/orders/...`).

use mercato_core::ids::{MerchantId, OrderId, UserId};
use mercato_core::ordering::{
    CancelRequest, Cart, CheckoutRequest, MerchantOrderParams, Order, OrderListParams,
    StatusChange, StatusUpdate,
};
use mercato_core::page::Page;
use reqwest::Method;

use crate::{Client, Result};

impl Client {
    /// `POST /api/orders/create` with `Idempotency-Key: key` (none when `key` is `None`):
    /// checks a cart out; the same key with the same request answers the same order.
    ///
    /// # Errors
    /// `orders.customers_only` (403), `cart.not_found` (404), the `checkout.*` conflicts and
    /// `idempotency.in_progress` (409), `validation.failed`,
    /// `checkout.outside_delivery_area` and `idempotency.key_reused` (422),
    /// `idempotency.key_required` (400).
    pub async fn place_order(&self, key: Option<&str>, request: &CheckoutRequest) -> Result<Order> {
        let mut builder = self
            .request(Method::POST, "/api/orders/create")
            .json(request);
        if let Some(key) = key {
            builder = builder.header("Idempotency-Key", key);
        }
        self.json(builder).await
    }

    /// `GET /api/orders/{id}`.
    ///
    /// # Errors
    /// `orders.not_found` (404).
    pub async fn order(&self, id: OrderId) -> Result<Order> {
        self.call(Method::GET, &format!("/api/orders/{id}")).await
    }

    /// `GET /api/orders/user/{userId}`: a customer's orders, newest first.
    ///
    /// # Errors
    /// `orders.not_found` (404) for another user's orders, `validation.failed` (422).
    pub async fn orders_of(&self, user: UserId, params: &OrderListParams) -> Result<Page<Order>> {
        self.json(
            self.request(Method::GET, &format!("/api/orders/user/{user}"))
                .query(params),
        )
        .await
    }

    /// `GET /api/merchants/{id}/orders`: the merchant's order queue, newest first (its staff
    /// and admins).
    ///
    /// # Errors
    /// `orders.staff_only` (403), `merchants.not_found` (404), `validation.failed` (422).
    pub async fn merchant_orders(
        &self,
        merchant: MerchantId,
        params: &MerchantOrderParams,
    ) -> Result<Page<Order>> {
        self.json(
            self.request(Method::GET, &format!("/api/merchants/{merchant}/orders"))
                .query(params),
        )
        .await
    }

    /// `GET /api/orders/{id}/history`: the status timeline, oldest first.
    ///
    /// # Errors
    /// `orders.not_found` (404).
    pub async fn order_history(&self, id: OrderId) -> Result<Vec<StatusChange>> {
        self.call(Method::GET, &format!("/api/orders/{id}/history"))
            .await
    }

    /// `PUT /api/orders/{id}/status`.
    ///
    /// # Errors
    /// `orders.forbidden_transition` (403), `orders.not_found` (404),
    /// `orders.illegal_transition` (409, with `allowedNext`), `validation.failed` (422).
    pub async fn update_order_status(&self, id: OrderId, update: &StatusUpdate) -> Result<Order> {
        self.call_with(Method::PUT, &format!("/api/orders/{id}/status"), update)
            .await
    }

    /// `POST /api/orders/{id}/cancel`.
    ///
    /// # Errors
    /// As [`Client::update_order_status`].
    pub async fn cancel_order(&self, id: OrderId, request: &CancelRequest) -> Result<Order> {
        self.call_with(Method::POST, &format!("/api/orders/{id}/cancel"), request)
            .await
    }

    /// `POST /api/orders/{id}/reorder`: the order's items back in an open cart at its
    /// merchant; items that can no longer be ordered are left out.
    ///
    /// # Errors
    /// `orders.not_found` (404).
    pub async fn reorder(&self, id: OrderId) -> Result<Cart> {
        self.call(Method::POST, &format!("/api/orders/{id}/reorder"))
            .await
    }
}
