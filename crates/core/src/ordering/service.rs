//! The order service and what its use-case groups share: the ports it runs behind, how a
//! caller relates to an order, paging and field errors.

use super::carts::*;
use super::error::*;
use super::lifecycle::*;
use super::model::*;
use super::ports::*;
use crate::catalog::CatalogService;
use crate::error::ValidationErrors;
use crate::page::Page;
use crate::principal::{Principal, Role};

pub(super) type Result<T, E = OrderError> = std::result::Result<T, E>;

/// Order use cases.
#[derive(Clone)]
pub struct OrderService {
    pub(super) ports: OrderPorts,
    pub(super) carts: CartService,
    pub(super) catalog: CatalogService,
}

impl OrderService {
    /// Builds the service.
    #[must_use]
    pub fn new(ports: OrderPorts, carts: CartService, catalog: CatalogService) -> Self {
        Self {
            ports,
            carts,
            catalog,
        }
    }
}

/// The page size of an order listing: 1–[`MAX_ORDER_PAGE`], 20 by default.
pub(super) fn order_page_size(limit: Option<u32>) -> Result<u32> {
    let limit = limit.unwrap_or(20);
    if (1..=MAX_ORDER_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(field(
            "limit",
            &format!("must be from 1 to {MAX_ORDER_PAGE}"),
        ))
    }
}

/// A page of orders fetched with one row more than `limit`: that row only tells that a
/// next page exists.
pub(super) fn order_page(mut orders: Vec<Order>, limit: u32) -> Page<Order> {
    let next_cursor = if orders.len() > limit as usize {
        orders.truncate(limit as usize);
        orders.last().map(|o| o.id.to_string())
    } else {
        None
    };
    Page {
        items: orders,
        next_cursor,
    }
}

pub(super) fn field(name: &str, message: &str) -> OrderError {
    let mut errors = ValidationErrors::default();
    errors.add(name, message);
    OrderError::Invalid(errors)
}

/// How the principal relates to the order, if at all (admin first).
pub(super) fn actor_of(principal: &Principal, order: &Order) -> Option<Actor> {
    if principal.is_admin() {
        Some(Actor::Admin)
    } else if principal.user_id == order.customer_id {
        Some(Actor::Customer)
    } else if principal.acts_for_merchant(order.merchant_id) {
        Some(Actor::MerchantStaff)
    } else if principal.has_role(Role::Courier) && order.courier_id == Some(principal.user_id) {
        Some(Actor::Courier { assigned: true })
    } else {
        None
    }
}

/// The first word of a display name.
pub(crate) fn first_name(name: &str) -> String {
    name.split_whitespace()
        .next()
        .unwrap_or("Courier")
        .chars()
        .take(50)
        .collect()
}
