//! Orders after checkout: reading them and their timeline, status changes through the one
//! lifecycle function, cancellation and reorder.

use super::error::*;
use super::lifecycle::*;
use super::model::*;
use super::service::*;
use crate::error::ValidationErrors;
use crate::events::{DomainEvent, OutboxEvent};
use crate::ids::{MerchantId, OrderId, UserId};
use crate::page::Page;
use crate::principal::{Principal, Role};

impl OrderService {
    /// Puts the order's items that can still be ordered (available, options still valid)
    /// into the customer's open cart at the order's merchant — created if there is none,
    /// added to if there is. Only the order's customer may reorder. Items that cannot be
    /// added are skipped; the returned cart shows what came back.
    ///
    /// # Errors
    /// `OrderNotFound` for anybody else; `NotCustomer`; merchant or cart failures.
    pub async fn reorder(&self, principal: &Principal, id: OrderId) -> Result<Cart> {
        let order = self
            .ports
            .orders
            .order(id)
            .await?
            .ok_or(OrderError::OrderNotFound)?;
        if order.customer_id != principal.user_id {
            return Err(OrderError::OrderNotFound);
        }
        let (mut cart, _) = self
            .carts
            .open(
                principal,
                CreateCart {
                    merchant_id: order.merchant_id,
                },
            )
            .await?;
        for item in &order.items {
            let request = AddCartItem {
                menu_item_id: item.menu_item_id,
                quantity: item.quantity,
                options: item.options.iter().map(|o| o.id).collect(),
                note: item.note.clone(),
            };
            match self.carts.add_item(principal, cart.id, request).await {
                Ok(updated) => cart = updated,
                // Gone from the menu, sold out, options changed, cart full: skip the item.
                Err(
                    CartError::ItemNotOnMenu
                    | CartError::ItemUnavailable
                    | CartError::TooManyLines
                    | CartError::Invalid(_),
                ) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Ok(cart)
    }

    /// An order, to those who may see it: its customer, its merchant's staff, its courier,
    /// admins. Everyone else gets `OrderNotFound`.
    ///
    /// # Errors
    /// `OrderNotFound`.
    pub async fn order(&self, principal: &Principal, id: OrderId) -> Result<Order> {
        Ok(self.order_with_actor(principal, id).await?.0)
    }

    /// The order and how the caller relates to it; `OrderNotFound` when not at all.
    pub(super) async fn order_with_actor(
        &self,
        principal: &Principal,
        id: OrderId,
    ) -> Result<(Order, Actor)> {
        let order = self
            .ports
            .orders
            .order(id)
            .await?
            .ok_or(OrderError::OrderNotFound)?;
        match actor_of(principal, &order) {
            Some(actor) => Ok((order, actor)),
            None => Err(OrderError::OrderNotFound),
        }
    }

    /// A customer's orders, newest first: the customer themself or an admin.
    ///
    /// # Errors
    /// `OrderNotFound` for anybody else (the user's orders are not revealed); `Invalid`.
    pub async fn orders_of(
        &self,
        principal: &Principal,
        user: UserId,
        params: OrderListParams,
    ) -> Result<Page<Order>> {
        if principal.user_id != user && !principal.is_admin() {
            return Err(OrderError::OrderNotFound);
        }
        let limit = order_page_size(params.limit)?;
        self.check_cursor(params.cursor, |o| o.customer_id == user)
            .await?;
        let orders = self
            .ports
            .orders
            .orders_of(user, params.status, params.cursor, limit + 1)
            .await?;
        Ok(order_page(orders, limit))
    }

    /// `Invalid` unless `cursor` (when given) is an order `belongs` to the listing.
    pub(super) async fn check_cursor(
        &self,
        cursor: Option<OrderId>,
        belongs: impl Fn(&Order) -> bool + Send,
    ) -> Result<()> {
        if let Some(cursor) = cursor {
            let listed = self
                .ports
                .orders
                .order(cursor)
                .await?
                .is_some_and(|o| belongs(&o));
            if !listed {
                return Err(field("cursor", "is not a cursor from this listing"));
            }
        }
        Ok(())
    }

    /// An order's status timeline.
    ///
    /// # Errors
    /// `OrderNotFound`.
    pub async fn history(&self, principal: &Principal, id: OrderId) -> Result<Vec<StatusChange>> {
        self.order(principal, id).await?;
        Ok(self.ports.orders.history(id).await?)
    }

    /// Moves an order to another status, as the lifecycle allows this caller.
    ///
    /// # Errors
    /// `OrderNotFound`, `IllegalTransition` (with the allowed next statuses), `Forbidden`,
    /// `Invalid` (a missing or unexpected reason).
    pub async fn update_status(
        &self,
        principal: &Principal,
        id: OrderId,
        update: StatusUpdate,
    ) -> Result<Order> {
        let details = ChangeDetails {
            note: update.note,
            estimated_prep_minutes: update.estimated_prep_minutes,
        };
        match OrderEvent::leading_to(update.status, update.reason) {
            Ok(event) => self.apply(principal, id, &event, details).await,
            Err(StatusRequestError::MissingReason) => Err(field("reason", "is required to cancel")),
            Err(StatusRequestError::UnexpectedReason) => {
                Err(field("reason", "is only given when cancelling"))
            }
            Err(StatusRequestError::Unreachable(_)) => {
                // No event leads there; answer from the order's status, once we know the
                // caller may see the order at all.
                let order = self
                    .ports
                    .orders
                    .order(id)
                    .await?
                    .ok_or(OrderError::OrderNotFound)?;
                let actor = actor_of(principal, &order).ok_or(OrderError::OrderNotFound)?;
                Err(OrderError::IllegalTransition(
                    super::lifecycle::allowed_next(order.status, &actor),
                ))
            }
        }
    }

    /// Cancels an order, as the lifecycle allows this caller.
    ///
    /// # Errors
    /// As [`OrderService::update_status`].
    pub async fn cancel(
        &self,
        principal: &Principal,
        id: OrderId,
        request: CancelRequest,
    ) -> Result<Order> {
        let details = ChangeDetails {
            note: request.note,
            estimated_prep_minutes: None,
        };
        self.apply(principal, id, &OrderEvent::Cancel(request.reason), details)
            .await
    }

    /// The orders of a merchant, newest first: its queue, for its staff and admins.
    /// Cursor-paginated (`limit` ≤ 50), optionally in one status and placed since `from`.
    ///
    /// # Errors
    /// `StaffOnly` for customers and couriers; `MerchantNotFound` for staff of other
    /// merchants; `Invalid` (limit, cursor).
    pub async fn merchant_orders(
        &self,
        principal: &Principal,
        merchant: MerchantId,
        params: MerchantOrderParams,
    ) -> Result<Page<Order>> {
        self.require_merchant_access(principal, merchant)?;
        let limit = order_page_size(params.limit)?;
        self.check_cursor(params.cursor, |o| o.merchant_id == merchant)
            .await?;
        let orders = self
            .ports
            .orders
            .orders_of_merchant(
                merchant,
                params.status,
                params.from,
                params.cursor,
                limit + 1,
            )
            .await?;
        Ok(order_page(orders, limit))
    }

    /// Whether `principal` may follow `merchant`'s orders (its staff and admins).
    ///
    /// # Errors
    /// `StaffOnly` for customers and couriers; `MerchantNotFound` for staff of other
    /// merchants.
    pub fn require_merchant_access(
        &self,
        principal: &Principal,
        merchant: MerchantId,
    ) -> Result<()> {
        if !principal.is_admin() && !principal.has_role(Role::MerchantStaff) {
            return Err(OrderError::StaffOnly);
        }
        if !principal.acts_for_merchant(merchant) {
            return Err(OrderError::MerchantNotFound);
        }
        Ok(())
    }

    async fn apply(
        &self,
        principal: &Principal,
        id: OrderId,
        event: &OrderEvent,
        details: ChangeDetails,
    ) -> Result<Order> {
        let order = self
            .ports
            .orders
            .order(id)
            .await?
            .ok_or(OrderError::OrderNotFound)?;
        let actor = actor_of(principal, &order).ok_or(OrderError::OrderNotFound)?;
        let next = transition(order.status, &actor, event).map_err(|err| match err {
            TransitionError::NotAllowed { allowed } => OrderError::IllegalTransition(allowed),
            TransitionError::Forbidden => OrderError::Forbidden,
            TransitionError::ReasonNotAllowed { allowed, .. } => field(
                "reason",
                &format!(
                    "must be one of: {}",
                    allowed
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        })?;
        let (note, estimated_prep_minutes) = details.checked(next)?;
        let now = self.ports.clock.now();
        let reason = match event {
            OrderEvent::Cancel(reason) => Some(*reason),
            _ => None,
        };
        let change = StatusChange {
            status: next,
            actor: actor.kind(),
            actor_id: Some(principal.user_id),
            reason,
            note,
            estimated_prep_minutes,
            at: now,
        };
        let event = OutboxEvent::new(
            DomainEvent::OrderStatusChanged {
                order_id: order.id,
                customer_id: order.customer_id,
                merchant_id: order.merchant_id,
                from: order.status.as_str().to_owned(),
                to: next.as_str().to_owned(),
                reason: reason.map(|r| r.as_str().to_owned()),
            },
            now,
        );
        if !self
            .ports
            .orders
            .change_status(id, order.status, &change, std::slice::from_ref(&event))
            .await?
        {
            // Somebody else moved it first: decide again from the status that won.
            let current = self
                .ports
                .orders
                .order(id)
                .await?
                .ok_or(OrderError::OrderNotFound)?;
            return Err(OrderError::IllegalTransition(
                super::lifecycle::allowed_next(current.status, &actor),
            ));
        }
        let moved = Order {
            status: next,
            updated_at: now,
            ..order
        };
        if next == OrderStatus::ReadyForPickup && moved.courier_id.is_none() {
            let courier_id = self.dispatch_now(&moved).await;
            return Ok(Order {
                courier_id,
                ..moved
            });
        }
        Ok(moved)
    }
}

/// What a caller may add to a status change beside the status and reason.
struct ChangeDetails {
    note: Option<String>,
    estimated_prep_minutes: Option<u16>,
}

impl ChangeDetails {
    /// The note (trimmed; blank is none) and the preparation estimate, valid for a move
    /// to `next`.
    fn checked(self, next: OrderStatus) -> Result<(Option<String>, Option<u16>)> {
        let mut errors = ValidationErrors::default();
        let note = errors
            .check(
                "note",
                crate::fields::optional_text(self.note.as_deref(), MAX_STATUS_NOTE_CHARS),
            )
            .flatten();
        if let Some(minutes) = self.estimated_prep_minutes {
            if next != OrderStatus::Accepted {
                errors.add("estimatedPrepMinutes", "is only given when accepting");
            } else if !PREP_MINUTES.contains(&minutes) {
                errors.add("estimatedPrepMinutes", "must be from 1 to 180 minutes");
            }
        }
        errors.into_result()?;
        Ok((note, self.estimated_prep_minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MerchantId;
    use crate::ids::SessionId;
    use crate::pricing::PriceSummary;
    use crate::principal::Role;
    use time::OffsetDateTime;

    fn principal(roles: &[Role], merchants: &[MerchantId]) -> Principal {
        Principal {
            user_id: UserId::new(),
            session_id: SessionId::new(),
            roles: roles.to_vec(),
            merchant_ids: merchants.to_vec(),
        }
    }

    fn order(customer: UserId, merchant: MerchantId, courier: Option<UserId>) -> Order {
        let summary: PriceSummary = serde_json::from_value(serde_json::json!({
            "lines": [], "subtotal": {"amountMinor": 0, "currency": "EUR"},
            "deliveryFee": {"amountMinor": 0, "currency": "EUR"},
            "serviceFee": {"amountMinor": 0, "currency": "EUR"},
            "smallOrderFee": {"amountMinor": 0, "currency": "EUR"},
            "discount": {"amountMinor": 0, "currency": "EUR"},
            "tip": {"amountMinor": 0, "currency": "EUR"},
            "tax": {"amountMinor": 0, "currency": "EUR"},
            "taxIncluded": true, "taxBreakdown": [],
            "total": {"amountMinor": 0, "currency": "EUR"}
        }))
        .expect("summary");
        Order {
            id: OrderId::new(),
            customer_id: customer,
            merchant_id: merchant,
            merchant_name: "Pizzeria".to_owned(),
            status: OrderStatus::Placed,
            items: Vec::new(),
            delivery: DeliveryDetails {
                address: "Street 1".to_owned(),
                lat: 52.5,
                lng: 13.4,
                instructions: None,
                contact_phone: "+4930123456".to_owned(),
            },
            payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
            summary,
            scheduled_for: None,
            courier_id: courier,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_customer_who_ordered_acts_as_customer() {
        let customer = principal(&[Role::Customer], &[]);
        let o = order(customer.user_id, MerchantId::new(), None);
        assert_eq!(actor_of(&customer, &o), Some(Actor::Customer));
    }

    #[test]
    fn another_customer_has_no_relation_to_the_order() {
        let other = principal(&[Role::Customer], &[]);
        let o = order(UserId::new(), MerchantId::new(), None);
        assert_eq!(actor_of(&other, &o), None);
    }

    #[test]
    fn staff_of_the_orders_merchant_act_as_merchant_staff_and_others_not() {
        let merchant = MerchantId::new();
        let o = order(UserId::new(), merchant, None);
        assert_eq!(
            actor_of(&principal(&[Role::MerchantStaff], &[merchant]), &o),
            Some(Actor::MerchantStaff)
        );
        assert_eq!(
            actor_of(&principal(&[Role::MerchantStaff], &[MerchantId::new()]), &o),
            None
        );
    }

    #[test]
    fn only_the_assigned_courier_relates_to_the_order() {
        let courier = principal(&[Role::Courier], &[]);
        let assigned = order(UserId::new(), MerchantId::new(), Some(courier.user_id));
        let unassigned = order(UserId::new(), MerchantId::new(), Some(UserId::new()));
        assert_eq!(
            actor_of(&courier, &assigned),
            Some(Actor::Courier { assigned: true })
        );
        assert_eq!(actor_of(&courier, &unassigned), None);
    }

    #[test]
    fn admins_act_as_admin_on_any_order() {
        let o = order(UserId::new(), MerchantId::new(), None);
        assert_eq!(
            actor_of(&principal(&[Role::Admin], &[]), &o),
            Some(Actor::Admin)
        );
    }

    #[test]
    fn payment_choices_read_the_wire_forms() {
        let cash: PaymentChoice = serde_json::from_str("\"cash\"").expect("cash");
        let card: PaymentChoice = serde_json::from_str("{\"id\":\"pm_1\"}").expect("card");
        assert_eq!(cash, PaymentChoice::Keyword(PaymentKeyword::Cash));
        assert_eq!(
            card,
            PaymentChoice::Card(CardReference {
                id: "pm_1".to_owned()
            })
        );
        assert!(serde_json::from_str::<PaymentChoice>("\"bitcoin\"").is_err());
    }
}
