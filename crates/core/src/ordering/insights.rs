//! After the order: the customer's review, and the merchant's order statistics.
//!
//! A review belongs to ordering (one per order, with the courier's rating); the merchant's
//! rating belongs to the catalog. Ordering records an `OrderReviewed` event with the review
//! in the same transaction, and the catalog applies it (idempotently by review id), so
//! neither context writes the other's tables.

use time::OffsetDateTime;

use super::error::*;
use super::lifecycle::*;
use super::model::*;
use super::ports::*;
use super::service::*;
use crate::error::ValidationErrors;
use crate::events::{DomainEvent, OutboxEvent};
use crate::ids::{MerchantId, OrderId, ReviewId};
use crate::money::Money;
use crate::principal::{Principal, Role};

/// The longest review comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// The longest statistics period.
pub const MAX_STATS_PERIOD: time::Duration = time::Duration::days(366);

/// The statistics period when none is given: the last 30 days.
pub const DEFAULT_STATS_PERIOD: time::Duration = time::Duration::days(30);

/// Every status, in lifecycle order.
const STATUSES: [OrderStatus; 8] = [
    OrderStatus::PendingPayment,
    OrderStatus::Placed,
    OrderStatus::Accepted,
    OrderStatus::Preparing,
    OrderStatus::ReadyForPickup,
    OrderStatus::PickedUp,
    OrderStatus::Delivered,
    OrderStatus::Cancelled,
];

impl OrderService {
    /// The customer reviews a delivered order, once.
    ///
    /// # Errors
    /// `OrderNotFound` (invisible), `ReviewersOnlyCustomers` (visible to a non-customer),
    /// `NotDelivered`, `AlreadyReviewed`, `Invalid`.
    pub async fn review(
        &self,
        principal: &Principal,
        id: OrderId,
        request: ReviewRequest,
    ) -> Result<OrderReview, OrderError> {
        let (order, actor) = self.order_with_actor(principal, id).await?;
        if actor != Actor::Customer {
            return Err(OrderError::CustomersOnlyReview);
        }
        let mut errors = ValidationErrors::default();
        if !(1..=5).contains(&request.merchant_rating) {
            errors.add("merchantRating", "must be from 1 to 5");
        }
        match request.courier_rating {
            Some(r) if !(1..=5).contains(&r) => errors.add("courierRating", "must be from 1 to 5"),
            Some(_) if order.courier_id.is_none() => {
                errors.add("courierRating", "this order had no courier to rate");
            }
            _ => {}
        }
        let comment = request
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS) {
            errors.add(
                "comment",
                format!("must be at most {MAX_COMMENT_CHARS} characters"),
            );
        }
        errors.into_result()?;
        if order.status != OrderStatus::Delivered {
            return Err(OrderError::NotDelivered);
        }
        let now = self.ports.clock.now();
        let author = self
            .ports
            .users
            .get_user(principal.user_id)
            .await?
            .map_or_else(|| "Customer".to_owned(), |u| first_name(&u.name));
        let review = OrderReview {
            id: ReviewId::new(),
            order_id: order.id,
            merchant_id: order.merchant_id,
            courier_id: order.courier_id,
            merchant_rating: request.merchant_rating,
            courier_rating: request.courier_rating,
            comment: comment.map(str::to_owned),
            created_at: now,
        };
        let event = OutboxEvent::new(
            DomainEvent::OrderReviewed {
                review_id: review.id,
                order_id: order.id,
                merchant_id: order.merchant_id,
                author_name: author,
                rating: review.merchant_rating,
                comment: review.comment.clone(),
                at: now,
            },
            now,
        );
        if self
            .ports
            .insights
            .add_review(&review, std::slice::from_ref(&event))
            .await?
        {
            Ok(review)
        } else {
            Err(OrderError::AlreadyReviewed)
        }
    }

    /// Order statistics of a merchant (its staff, admins) or of everything (admins).
    ///
    /// # Errors
    /// `StatsForbidden` for callers who are neither; `MerchantNotFound` for a merchant the
    /// caller does not work for; `Invalid` for a bad period.
    pub async fn stats(
        &self,
        principal: &Principal,
        params: StatsParams,
    ) -> Result<OrderStats, OrderError> {
        if !principal.is_admin() && !principal.has_role(Role::MerchantStaff) {
            return Err(OrderError::StatsForbidden);
        }
        let mut errors = ValidationErrors::default();
        match params.merchant_id {
            Some(merchant) if !principal.acts_for_merchant(merchant) => {
                return Err(OrderError::MerchantNotFound);
            }
            None if !principal.is_admin() => errors.add("merchantId", "is required"),
            _ => {}
        }
        let to = params.to.unwrap_or_else(|| self.ports.clock.now());
        let from = params.from.unwrap_or(to - DEFAULT_STATS_PERIOD);
        if from >= to {
            errors.add("from", "must be before to");
        } else if to - from > MAX_STATS_PERIOD {
            errors.add("to", "must be at most 366 days after from");
        }
        errors.into_result()?;
        let rows = self
            .ports
            .insights
            .stats(params.merchant_id, from, to)
            .await?;
        Ok(summarize(params.merchant_id, from, to, &rows))
    }
}

/// Turns the store's aggregates into the statistics answer.
#[must_use]
pub fn summarize(
    merchant_id: Option<MerchantId>,
    from: OffsetDateTime,
    to: OffsetDateTime,
    rows: &StatsRows,
) -> OrderStats {
    let count = |status: OrderStatus| {
        rows.by_status
            .iter()
            .filter(|(s, _)| *s == status)
            .map(|(_, n)| *n)
            .sum::<u64>()
    };
    let by_status: Vec<StatusCount> = STATUSES
        .iter()
        .map(|&status| StatusCount {
            status,
            count: count(status),
        })
        .collect();
    let total_orders: u64 = by_status.iter().map(|s| s.count).sum();
    let mut sales: Vec<CurrencySales> = rows
        .sales
        .iter()
        .filter(|(_, delivered, _)| *delivered > 0)
        .map(|(currency, delivered, sum)| {
            let average =
                rust_decimal::Decimal::from(*sum) / rust_decimal::Decimal::from(*delivered);
            CurrencySales {
                delivered_orders: *delivered,
                gross_sales: Money {
                    amount_minor: *sum,
                    currency: currency.clone(),
                },
                average_order_value: Money {
                    amount_minor: crate::pricing::round_minor(average).unwrap_or(*sum),
                    currency: currency.clone(),
                },
            }
        })
        .collect();
    sales.sort_by(|a, b| a.gross_sales.currency.cmp(&b.gross_sales.currency));
    #[allow(clippy::cast_precision_loss)]
    let cancellation_rate = if total_orders == 0 {
        0.0
    } else {
        count(OrderStatus::Cancelled) as f64 / total_orders as f64
    };
    let minutes = |s: Option<f64>| s.map(|s| (s / 60.0 * 10.0).round() / 10.0);
    OrderStats {
        merchant_id,
        from,
        to,
        total_orders,
        by_status,
        sales,
        average_prep_minutes: minutes(rows.average_prep_seconds),
        average_delivery_minutes: minutes(rows.average_delivery_seconds),
        cancellation_rate: (cancellation_rate * 10_000.0).round() / 10_000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::CurrencyCode;

    #[test]
    fn statistics_list_every_status_and_derive_rates_and_averages() {
        let rows = StatsRows {
            by_status: vec![
                (OrderStatus::Delivered, 3),
                (OrderStatus::Cancelled, 1),
                (OrderStatus::Placed, 4),
            ],
            sales: vec![(CurrencyCode::parse("EUR").expect("currency"), 3, 1000)],
            average_prep_seconds: Some(754.0),
            average_delivery_seconds: None,
        };
        let at = OffsetDateTime::UNIX_EPOCH;
        let stats = summarize(None, at, at + time::Duration::days(1), &rows);
        assert_eq!(stats.total_orders, 8);
        assert_eq!(stats.by_status.len(), 8);
        assert_eq!(
            stats
                .by_status
                .iter()
                .find(|s| s.status == OrderStatus::Accepted)
                .map(|s| s.count),
            Some(0)
        );
        assert!((stats.cancellation_rate - 0.125).abs() < 1e-9);
        assert_eq!(stats.sales[0].gross_sales.amount_minor, 1000);
        // 1000 / 3 = 333.33… → 333.
        assert_eq!(stats.sales[0].average_order_value.amount_minor, 333);
        assert_eq!(stats.average_prep_minutes, Some(12.6));
        assert_eq!(stats.average_delivery_minutes, None);
    }

    #[test]
    fn no_orders_means_zero_rates_and_no_sales() {
        let at = OffsetDateTime::UNIX_EPOCH;
        let stats = summarize(None, at, at, &StatsRows::default());
        assert_eq!(stats.total_orders, 0);
        assert!(stats.cancellation_rate.abs() < f64::EPSILON);
        assert!(stats.sales.is_empty());
    }
}
