//! Checkout: a cart becomes an order, idempotently by the client's key, with snapshots of
//! what was bought and where it goes.

use time::OffsetDateTime;

use super::error::*;
use super::lifecycle::*;
use super::model::*;
use super::ports::*;
use super::service::*;
use crate::catalog::{OpeningHours, to_timestamp};
use crate::error::{DomainError, ErrorKind, StoreError, ValidationErrors};
use crate::events::{DomainEvent, OutboxEvent};
use crate::geo::LatLng;
use crate::ids::OrderId;
use crate::principal::{Principal, Role};

impl OrderService {
    /// Checks a cart out into an order. Idempotent by `key`: once a key placed an order, the
    /// same request with it answers that order again without placing another, and a
    /// different request with it is refused (422). The key is stored by the statement that
    /// stores the order, so a request that fails leaves no trace of it, and of concurrent
    /// requests with one key exactly one places the order while the others answer it.
    ///
    /// # Errors
    /// `KeyRequired`, `KeyReused`, `Invalid`, the checkout conflicts (`CartEmpty`,
    /// `ItemUnavailable`, `BelowMinimumOrder`, `MerchantClosed`, `CartClosed`,
    /// `CartChanged`, `TotalChanged`), `OutsideDeliveryArea`, `NotCustomer`; `KeyInFlight`
    /// for a key an earlier version holds.
    pub async fn checkout(
        &self,
        principal: &Principal,
        key: Option<&str>,
        request: CheckoutRequest,
    ) -> Result<Order> {
        if !principal.has_role(Role::Customer) {
            return Err(OrderError::NotCustomer);
        }
        let key = match key.map(str::trim) {
            Some(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
                k.to_owned()
            }
            _ => return Err(OrderError::KeyRequired),
        };
        let key = IdempotencyKey {
            customer: principal.user_id,
            key,
            fingerprint: serde_json::to_string(&request).unwrap_or_default(),
        };
        // The first attempt goes straight at the order: a repeated request fails on its
        // closed cart (or on the key itself), and only then is the key asked what it knows —
        // as of the same instant, so that a key the placement found alive is found again.
        let now = self.ports.clock.now();
        let failure = match self.place(principal, request, &key, now).await {
            Ok(order) => return Ok(order),
            // An internal failure (storage) says nothing of the key: the request may simply
            // be retried.
            Err(err) if err.kind() == ErrorKind::Internal => return Err(err),
            Err(err) => err,
        };
        match self.ports.orders.known_key(&key, now).await? {
            None => Err(failure),
            Some(KnownKey::Replay(response)) => serde_json::from_value(response).map_err(|e| {
                OrderError::Store(StoreError::Backend(format!(
                    "stored response unreadable: {e}"
                )))
            }),
            Some(KnownKey::InFlight) => Err(OrderError::KeyInFlight),
            Some(KnownKey::Mismatch) => Err(OrderError::KeyReused),
        }
    }

    async fn place(
        &self,
        principal: &Principal,
        request: CheckoutRequest,
        key: &IdempotencyKey,
        now: OffsetDateTime,
    ) -> Result<Order> {
        let delivery = self.delivery(principal, &request).await?;
        let point = LatLng {
            lat: delivery.lat,
            lng: delivery.lng,
        };
        let stored = self.carts.stored(principal, request.cart_id).await?;
        let revision = stored.revision;
        let (merchant, menu) = self.catalog.merchant_with_menu(stored.merchant_id).await?;
        let mut errors = ValidationErrors::default();
        if let Some(tip) = &request.tip {
            if tip.currency != merchant.merchant.currency {
                errors.add(
                    "tip.currency",
                    format!(
                        "must be {}, the merchant's currency",
                        merchant.merchant.currency
                    ),
                );
            }
            if !(0..=100_000_000).contains(&tip.amount_minor) {
                errors.add("tip.amountMinor", "must be from 0 to 100000000");
            }
        }
        if let Some(at) = request.scheduled_for
            && !(now + time::Duration::minutes(15) <= at && at <= now + time::Duration::days(7))
        {
            errors.add("scheduledFor", "must be 15 minutes to 7 days from now");
        }
        errors.into_result()?;
        // Priced once, with the merchant just read: one catalog read of each per checkout.
        let cart: Cart = self
            .carts
            .quote_stored(stored, point, request.tip.clone(), &merchant, &menu)
            .await?;
        for warning in &cart.warnings {
            match warning {
                CartWarning::ItemUnavailable { .. } => return Err(OrderError::ItemUnavailable),
                CartWarning::OutsideDeliveryArea => return Err(OrderError::OutsideDeliveryArea),
                CartWarning::BelowMinimumOrder { .. } => return Err(OrderError::BelowMinimumOrder),
                CartWarning::MerchantClosed { .. } => {
                    let opens_then = request.scheduled_for.is_some_and(|at| {
                        !merchant.merchant.paused
                            && open_at(&merchant.merchant.hours, &merchant.merchant.time_zone, at)
                    });
                    if !opens_then {
                        return Err(OrderError::MerchantClosed);
                    }
                }
                // The customer sees the current prices in the answer; a change is no error.
                CartWarning::PriceChanged { .. } => {}
            }
        }
        if let Some(at) = request.scheduled_for
            && !open_at(&merchant.merchant.hours, &merchant.merchant.time_zone, at)
        {
            return Err(OrderError::MerchantClosed);
        }
        let summary = cart.summary.clone().ok_or(OrderError::CartEmpty)?;
        if let Some(expected) = &request.expected_total
            && *expected != summary.total
        {
            return Err(OrderError::TotalChanged(summary.total));
        }
        let status = match request.payment_method {
            PaymentChoice::Keyword(PaymentKeyword::Cash) => OrderStatus::Placed,
            PaymentChoice::Card(_) => OrderStatus::PendingPayment,
        };
        let order = Order {
            id: OrderId::new(),
            customer_id: principal.user_id,
            merchant_id: cart.merchant_id,
            merchant_name: cart.merchant_name.clone(),
            status,
            items: cart
                .lines
                .iter()
                .filter(|l| l.available)
                .map(|l| OrderItem {
                    menu_item_id: l.menu_item_id,
                    name: l.name.clone(),
                    quantity: l.quantity,
                    options: l.options.clone(),
                    unit_price: l.unit_price.clone(),
                    tax_class: l.tax_class,
                    line_total: l.line_total.clone(),
                    note: l.note.clone(),
                })
                .collect(),
            delivery,
            payment_method: request.payment_method.clone(),
            summary,
            scheduled_for: request.scheduled_for,
            courier_id: None,
            created_at: now,
            updated_at: now,
        };
        let first = StatusChange {
            status,
            actor: ActorKind::Customer,
            actor_id: Some(principal.user_id),
            reason: None,
            note: None,
            estimated_prep_minutes: None,
            at: now,
        };
        let event = OutboxEvent::new(
            DomainEvent::OrderPlaced {
                order_id: order.id,
                customer_id: order.customer_id,
                merchant_id: order.merchant_id,
                status: status.as_str().to_owned(),
                total: order.summary.total.clone(),
            },
            now,
        );
        let response =
            serde_json::to_value(&order).map_err(|e| StoreError::Backend(e.to_string()))?;
        let placement = Placement {
            order,
            first,
            cart: request.cart_id,
            cart_version: revision,
            events: vec![event],
            key: key.clone(),
            response,
        };
        match self.ports.orders.place_order(&placement).await? {
            Placed::Placed => Ok(placement.order),
            Placed::CartNotOpen => Err(OrderError::CartClosed),
            Placed::CartChanged => Err(OrderError::CartChanged),
            // Answered by what the key says (see `checkout`).
            Placed::KeyTaken => Err(OrderError::KeyInFlight),
        }
    }

    async fn delivery(
        &self,
        principal: &Principal,
        request: &CheckoutRequest,
    ) -> Result<DeliveryDetails> {
        let mut errors = ValidationErrors::default();
        let details = match (&request.delivery_address_id, &request.delivery) {
            (Some(id), None) => {
                let address = self
                    .ports
                    .addresses
                    .list_addresses(principal.user_id)
                    .await?
                    .into_iter()
                    .find(|a| a.id == *id);
                let phone = self
                    .ports
                    .users
                    .get_user(principal.user_id)
                    .await?
                    .and_then(|u| u.phone);
                match (address, phone) {
                    (Some(a), Some(phone)) => Some(DeliveryDetails {
                        address: [
                            Some(a.line1),
                            a.line2,
                            a.postal_code
                                .map(|p| format!("{p} {}", a.city))
                                .or(Some(a.city)),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", "),
                        lat: a.lat,
                        lng: a.lng,
                        instructions: a.instructions,
                        contact_phone: phone,
                    }),
                    (None, _) => {
                        errors.add("deliveryAddressId", "is not one of your saved addresses");
                        None
                    }
                    (Some(_), None) => {
                        errors.add("deliveryAddressId", "needs a phone number on your profile for the courier; or give delivery");
                        None
                    }
                }
            }
            (None, Some(d)) => {
                if d.address.trim().is_empty() || d.address.chars().count() > 300 {
                    errors.add("delivery.address", "must be 1 to 300 characters");
                }
                crate::fields::point(&mut errors, "delivery.", d.lat, d.lng);
                if d.instructions
                    .as_ref()
                    .is_some_and(|i| i.chars().count() > 500)
                {
                    errors.add("delivery.instructions", "must be at most 500 characters");
                }
                match crate::fields::phone(Some(&d.contact_phone)) {
                    Ok(Some(phone)) => Some(DeliveryDetails {
                        contact_phone: phone.into_string(),
                        address: d.address.trim().to_owned(),
                        ..d.clone()
                    }),
                    _ => {
                        errors.add(
                            "delivery.contactPhone",
                            "must be a phone number in international form such as +4930123456",
                        );
                        None
                    }
                }
            }
            (Some(_), Some(_)) | (None, None) => {
                errors.add(
                    "deliveryAddressId",
                    "give exactly one of deliveryAddressId and delivery",
                );
                None
            }
        };
        errors.into_result()?;
        details.ok_or(OrderError::Invalid(ValidationErrors::default()))
    }
}

/// Whether a merchant with `hours` in `time_zone` is open at `at`.
fn open_at(hours: &OpeningHours, time_zone: &str, at: OffsetDateTime) -> bool {
    match (jiff::tz::TimeZone::get(time_zone), to_timestamp(at)) {
        (Ok(tz), Some(at)) => hours.is_open_at(&tz, at),
        _ => false,
    }
}
