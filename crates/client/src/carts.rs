//! Client methods for carts (`/api/carts/...`).

use mercato_core::ids::{CartId, CartLineId, MerchantId};
use mercato_core::ordering::{AddCartItem, Cart, CreateCart, UpdateCartItem};
use reqwest::{Method, StatusCode};

use crate::{Client, ClientError, Result};

impl Client {
    /// `POST /api/carts/create`: the caller's open cart at `merchant`; `true` when it was
    /// created (201), `false` when it already existed (200).
    ///
    /// # Errors
    /// `cart.customers_only` (403), `merchants.not_found` (404).
    pub async fn create_cart(&self, merchant: MerchantId) -> Result<(Cart, bool)> {
        let builder = self
            .request(Method::POST, "/api/carts/create")
            .json(&CreateCart {
                merchant_id: merchant,
            });
        let response = self.send(builder).await?;
        let created = response.status() == StatusCode::CREATED;
        let bytes = response.bytes().await?;
        let cart =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode(e.to_string()))?;
        Ok((cart, created))
    }

    /// `GET /api/carts`: the caller's open carts.
    ///
    /// # Errors
    /// 401.
    pub async fn carts(&self) -> Result<Vec<Cart>> {
        self.call(Method::GET, "/api/carts").await
    }

    /// `GET /api/carts/{id}`, priced for the delivery point `(lat, lng)` when given.
    ///
    /// # Errors
    /// `cart.not_found` (404), 422 for out-of-range coordinates.
    pub async fn cart(&self, id: CartId, point: Option<(f64, f64)>) -> Result<Cart> {
        let mut builder = self.request(Method::GET, &format!("/api/carts/{id}"));
        if let Some((lat, lng)) = point {
            builder = builder.query(&[("lat", lat), ("lng", lng)]);
        }
        self.json(builder).await
    }

    /// `DELETE /api/carts/{id}`: removes every line.
    ///
    /// # Errors
    /// `cart.not_found` (404).
    pub async fn clear_cart(&self, id: CartId) -> Result<()> {
        self.call_empty::<()>(Method::DELETE, &format!("/api/carts/{id}"), None)
            .await
    }

    /// `POST /api/carts/{id}/items`.
    ///
    /// # Errors
    /// `cart.not_found` (404), `cart.item_unavailable` / `cart.too_many_lines` (409),
    /// `validation.failed` / `cart.item_not_on_menu` (422).
    pub async fn add_cart_item(&self, id: CartId, request: &AddCartItem) -> Result<Cart> {
        self.call_with(Method::POST, &format!("/api/carts/{id}/items"), request)
            .await
    }

    /// `PUT /api/carts/{id}/items/{lineId}`.
    ///
    /// # Errors
    /// `cart.not_found` / `cart.line_not_found` (404), 409, 422.
    pub async fn update_cart_item(
        &self,
        id: CartId,
        line: CartLineId,
        request: &UpdateCartItem,
    ) -> Result<Cart> {
        self.call_with(
            Method::PUT,
            &format!("/api/carts/{id}/items/{line}"),
            request,
        )
        .await
    }

    /// `DELETE /api/carts/{id}/items/{lineId}`.
    ///
    /// # Errors
    /// `cart.not_found` / `cart.line_not_found` (404).
    pub async fn remove_cart_item(&self, id: CartId, line: CartLineId) -> Result<Cart> {
        self.call(Method::DELETE, &format!("/api/carts/{id}/items/{line}"))
            .await
    }
}
