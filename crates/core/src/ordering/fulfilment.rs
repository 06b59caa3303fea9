//! Fulfilment: couriers going online, dispatch (explicit and automatic), courier positions,
//! tracking with distance and ETA, and the live updates pushed to an order's watchers.
//!
//! A courier carries at most one active order. The store keeps that invariant on the
//! courier's own row (its `active order`), so two dispatches racing for one courier
//! serialize on that row and only one wins.

use time::OffsetDateTime;

use super::error::*;
use super::lifecycle::*;
use super::model::*;
use super::ports::*;
use super::service::*;
use crate::catalog::EtaModel;
use crate::error::ValidationErrors;
use crate::geo::{LatLng, distance_m};
use crate::ids::{OrderId, UserId};
use crate::page::Page;
use crate::principal::{Principal, Role};

/// Couriers report positions at most this often; faster posts are refused with 429.
pub const POSITION_MIN_INTERVAL: time::Duration = time::Duration::seconds(1);

/// An online courier whose last position is older than this is not dispatched.
pub const COURIER_POSITION_FRESH: time::Duration = time::Duration::minutes(15);

/// Dispatch considers couriers within this distance of the merchant.
pub const DISPATCH_RADIUS_M: f64 = 15_000.0;

/// How long courier positions are kept (the hourly purge deletes older ones).
pub const TRACKING_RETENTION: time::Duration = time::Duration::days(7);

/// Statuses in which an order may get a courier.
pub const ASSIGNABLE: [OrderStatus; 4] = [
    OrderStatus::Placed,
    OrderStatus::Accepted,
    OrderStatus::Preparing,
    OrderStatus::ReadyForPickup,
];

/// Statuses in which the assigned courier posts positions.
pub const TRACKABLE: [OrderStatus; 4] = [
    OrderStatus::Accepted,
    OrderStatus::Preparing,
    OrderStatus::ReadyForPickup,
    OrderStatus::PickedUp,
];

/// Whether `actor` may see the courier's position while the order is in `status`: the
/// customer only from pickup to delivery (before that the courier's whereabouts are their
/// own business); the merchant's staff, admins and the courier while the order is active.
#[must_use]
pub fn position_visible(actor: &Actor, status: OrderStatus) -> bool {
    match actor {
        Actor::Customer => status == OrderStatus::PickedUp,
        Actor::MerchantStaff | Actor::Admin | Actor::Courier { .. } | Actor::System => {
            TRACKABLE.contains(&status)
        }
    }
}

/// What the tracking estimate needs to know about an order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EstimateInput {
    /// The order's status.
    pub status: OrderStatus,
    /// The merchant's location.
    pub merchant: LatLng,
    /// The door.
    pub destination: LatLng,
    /// The preparation time: the merchant's estimate when accepting, else its usual time.
    pub prep_minutes: u16,
    /// When the merchant accepted the order.
    pub accepted_at: Option<OffsetDateTime>,
    /// The courier's last position, if known.
    pub courier: Option<LatLng>,
    /// Now.
    pub now: OffsetDateTime,
}

/// Distance left (metres) and minutes until delivery; `None` for finished orders.
///
/// Before pickup: the remaining preparation (the usual time minus what has passed since
/// acceptance, never below zero), plus — once ready — the courier's ride to the merchant,
/// plus the handoff, plus the ride from the merchant to the door. After pickup: the ride from
/// the courier's position (or the merchant's, when unknown) to the door.
#[must_use]
pub fn estimate(input: &EstimateInput, model: &EtaModel) -> Option<(u32, u32)> {
    let to_door = |from: LatLng| distance_m(from, input.destination);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let metres = |d: f64| d.round().max(0.0) as u32;
    match input.status {
        OrderStatus::Delivered | OrderStatus::Cancelled => None,
        OrderStatus::PickedUp => {
            let d = to_door(input.courier.unwrap_or(input.merchant));
            Some((metres(d), model.travel_minutes(d)))
        }
        OrderStatus::ReadyForPickup => {
            let d = to_door(input.merchant);
            let fetch = input
                .courier
                .map_or(0, |c| model.travel_minutes(distance_m(c, input.merchant)));
            Some((
                metres(d),
                fetch + u32::from(model.handoff_minutes) + model.travel_minutes(d),
            ))
        }
        OrderStatus::PendingPayment
        | OrderStatus::Placed
        | OrderStatus::Accepted
        | OrderStatus::Preparing => {
            let d = to_door(input.merchant);
            let elapsed = input
                .accepted_at
                .map_or(0, |at| (input.now - at).whole_minutes().max(0));
            let prep = (i64::from(input.prep_minutes) - elapsed).max(0);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let prep = prep as u32;
            Some((
                metres(d),
                prep + u32::from(model.handoff_minutes) + model.travel_minutes(d),
            ))
        }
    }
}

fn check_heading_speed(errors: &mut ValidationErrors, update: &PositionUpdate) {
    if update
        .heading_deg
        .is_some_and(|h| !(h.is_finite() && (0.0..=360.0).contains(&h)))
    {
        errors.add("headingDeg", "must be from 0 to 360");
    }
    if update
        .speed_kmh
        .is_some_and(|s| !(s.is_finite() && (0.0..=250.0).contains(&s)))
    {
        errors.add("speedKmh", "must be from 0 to 250");
    }
}

/// Only the order's assigned courier reports its positions.
fn tracks(principal: &Principal, order: &Order) -> Result<(), OrderError> {
    if principal.has_role(Role::Courier) && order.courier_id == Some(principal.user_id) {
        Ok(())
    } else {
        Err(OrderError::NotAssignedCourier)
    }
}

impl OrderService {
    /// Whether the caller may set a courier status at all (before its body is read).
    ///
    /// # Errors
    /// `NotCourier`.
    pub fn authorize_courier(&self, principal: &Principal) -> Result<(), OrderError> {
        if principal.has_role(Role::Courier) {
            Ok(())
        } else {
            Err(OrderError::NotCourier)
        }
    }

    /// Whether the caller may assign a courier to the order (before its body is read).
    ///
    /// # Errors
    /// `OrderNotFound` (invisible), `AssignForbidden`.
    pub async fn authorize_assignment(
        &self,
        principal: &Principal,
        id: OrderId,
    ) -> Result<(), OrderError> {
        let order = self.order(principal, id).await?;
        if principal.acts_for_merchant(order.merchant_id) {
            Ok(())
        } else {
            Err(OrderError::AssignForbidden)
        }
    }

    /// Whether the caller may report positions for the order (before its body is read).
    ///
    /// # Errors
    /// `OrderNotFound` (invisible), `NotAssignedCourier`.
    pub async fn authorize_position(
        &self,
        principal: &Principal,
        id: OrderId,
    ) -> Result<(), OrderError> {
        let order = self.order(principal, id).await?;
        tracks(principal, &order)
    }

    /// A courier goes online (with a position) or offline.
    ///
    /// # Errors
    /// `NotCourier`; `Invalid` for a missing or bad position.
    pub async fn set_courier_status(
        &self,
        principal: &Principal,
        update: CourierStatusUpdate,
    ) -> Result<CourierStatus, OrderError> {
        self.authorize_courier(principal)?;
        let mut errors = ValidationErrors::default();
        let now = self.ports.clock.now();
        let position = match (update.lat, update.lng) {
            // Going offline forgets the position; one sent along is not kept.
            _ if !update.online => None,
            (Some(lat), Some(lng)) => {
                crate::fields::point(&mut errors, "", lat, lng).map(|point| CourierPosition {
                    lat: point.lat(),
                    lng: point.lng(),
                    heading_deg: None,
                    speed_kmh: None,
                    at: now,
                })
            }
            (lat, _) => {
                let missing = if lat.is_none() { "lat" } else { "lng" };
                errors.add(missing, "is required when going online (give lat and lng)");
                None
            }
        };
        errors.into_result()?;
        let user = self
            .ports
            .users
            .get_user(principal.user_id)
            .await?
            .ok_or(OrderError::NotCourier)?;
        if !update.online
            && let Some(active) = self
                .ports
                .couriers
                .courier(principal.user_id)
                .await?
                .and_then(|c| c.active_order_id)
        {
            // Nobody else can deliver it: finish it (or have it reassigned) first.
            return Err(OrderError::CourierHasActiveOrder(active));
        }
        let first_name = first_name(&user.name);
        Ok(self
            .ports
            .couriers
            .set_courier_status(principal.user_id, &first_name, update.online, position, now)
            .await?)
    }

    /// The orders assigned to the calling courier, newest first.
    ///
    /// # Errors
    /// `NotCourier`; `Invalid` for a bad limit or cursor.
    pub async fn courier_orders(
        &self,
        principal: &Principal,
        params: OrderListParams,
    ) -> Result<Page<Order>, OrderError> {
        if !principal.has_role(Role::Courier) {
            return Err(OrderError::NotCourier);
        }
        let limit = order_page_size(params.limit)?;
        let courier = principal.user_id;
        self.check_cursor(params.cursor, |o| o.courier_id == Some(courier))
            .await?;
        let orders = self
            .ports
            .couriers
            .courier_orders(courier, params.status, params.cursor, limit + 1)
            .await?;
        Ok(order_page(orders, limit))
    }

    /// Assigns a courier to an order: the given one (online, free, and within the dispatch
    /// radius of the merchant), or the nearest available.
    ///
    /// # Errors
    /// `OrderNotFound` (invisible), `AssignForbidden` (not the merchant's staff or an admin),
    /// `CourierUnavailable`, `NoCourierAvailable`, `NotAssignable`.
    pub async fn assign_courier(
        &self,
        principal: &Principal,
        id: OrderId,
        request: AssignCourierRequest,
    ) -> Result<Order, OrderError> {
        let order = self.order(principal, id).await?;
        if !principal.acts_for_merchant(order.merchant_id) {
            return Err(OrderError::AssignForbidden);
        }
        if order.courier_id.is_some() || !ASSIGNABLE.contains(&order.status) {
            return Err(OrderError::NotAssignable);
        }
        let choice = match request.courier_id {
            Some(courier) => {
                // Whoever assigns, the courier must be where they can fetch the order.
                let merchant = self.catalog.merchant(order.merchant_id).await?.merchant;
                let near = self
                    .ports
                    .couriers
                    .courier(courier)
                    .await?
                    .and_then(|c| c.position)
                    .is_some_and(|p| distance_m(p.point(), merchant.location) <= DISPATCH_RADIUS_M);
                if !near {
                    return Err(OrderError::CourierUnavailable);
                }
                CourierChoice::Given(courier)
            }
            None => self.nearest_choice(&order).await?,
        };
        match self.assign(&order, choice).await? {
            AssignOutcome::Assigned(courier) => Ok(Order {
                courier_id: Some(courier.courier_id),
                updated_at: self.ports.clock.now(),
                ..order
            }),
            AssignOutcome::NoCourier => Err(OrderError::NoCourierAvailable),
            AssignOutcome::CourierUnavailable => Err(OrderError::CourierUnavailable),
            AssignOutcome::OrderNotAssignable => Err(OrderError::NotAssignable),
        }
    }

    /// Dispatches orders ready for pickup that have no courier (the periodic sweep, in
    /// every process; concurrent sweeps cannot double-assign). Returns how many got one.
    ///
    /// # Errors
    /// Storage failures.
    pub async fn dispatch_waiting(&self, limit: u32) -> Result<usize, OrderError> {
        let mut assigned = 0;
        for order in self.ports.couriers.awaiting_courier(limit).await? {
            // One order failing (its merchant gone, a timeout) must not stop the others.
            if self.dispatch_now(&order).await.is_some() {
                assigned += 1;
            }
        }
        Ok(assigned)
    }

    /// Best-effort automatic dispatch right after an order became ready for pickup; the
    /// periodic sweep retries what this could not place.
    pub(super) async fn dispatch_now(&self, order: &Order) -> Option<UserId> {
        let attempt = async {
            let choice = self.nearest_choice(order).await?;
            self.assign(order, choice).await
        };
        match attempt.await {
            Ok(AssignOutcome::Assigned(courier)) => Some(courier.courier_id),
            Ok(_) => None,
            Err(err) => {
                tracing::warn!(order_id = %order.id, error = %err, "automatic dispatch failed");
                None
            }
        }
    }

    async fn nearest_choice(&self, order: &Order) -> Result<CourierChoice, OrderError> {
        let merchant = self.catalog.merchant(order.merchant_id).await?;
        Ok(CourierChoice::Nearest {
            near: merchant.merchant.location,
            radius_m: DISPATCH_RADIUS_M,
            fresh_since: self.ports.clock.now() - COURIER_POSITION_FRESH,
        })
    }

    async fn assign(
        &self,
        order: &Order,
        choice: CourierChoice,
    ) -> Result<AssignOutcome, OrderError> {
        let pending = PendingAssignment {
            event_id: crate::ids::EventId::new(),
            at: self.ports.clock.now(),
            order_id: order.id,
            customer_id: order.customer_id,
            merchant_id: order.merchant_id,
        };
        Ok(self.ports.couriers.assign_courier(choice, &pending).await?)
    }

    /// The assigned courier reports a position for an active order.
    ///
    /// # Errors
    /// `OrderNotFound` (invisible), `NotAssignedCourier` (visible but not theirs to track),
    /// `Invalid`, `OrderNotActive`, `TooFrequent`.
    pub async fn post_location(
        &self,
        principal: &Principal,
        id: OrderId,
        update: PositionUpdate,
    ) -> Result<(), OrderError> {
        let mut errors = ValidationErrors::default();
        crate::fields::point(&mut errors, "", update.lat, update.lng);
        check_heading_speed(&mut errors, &update);
        let order = self.order(principal, id).await?;
        tracks(principal, &order)?;
        errors.into_result()?;
        if !TRACKABLE.contains(&order.status) {
            return Err(OrderError::OrderNotActive);
        }
        let position = CourierPosition {
            lat: update.lat,
            lng: update.lng,
            heading_deg: update.heading_deg,
            speed_kmh: update.speed_kmh,
            at: self.ports.clock.now(),
        };
        match self
            .ports
            .couriers
            .record_position(principal.user_id, id, &position, POSITION_MIN_INTERVAL)
            .await?
        {
            PositionOutcome::Recorded => Ok(()),
            PositionOutcome::TooFrequent => Err(OrderError::TooFrequent),
            PositionOutcome::NotActive => Err(OrderError::OrderNotActive),
        }
    }

    /// Where the order is: status, timeline, courier, distance and ETA.
    ///
    /// # Errors
    /// `OrderNotFound` when the caller may not see the order.
    pub async fn tracking(
        &self,
        principal: &Principal,
        id: OrderId,
    ) -> Result<TrackingInfo, OrderError> {
        let (order, actor) = self.order_with_actor(principal, id).await?;
        let timeline = self.ports.orders.history(id).await?;
        let merchant = self.catalog.merchant(order.merchant_id).await?.merchant;
        let now = self.ports.clock.now();
        let (courier, shown_position) = match order.courier_id {
            Some(courier_id) => {
                let row = self.ports.couriers.courier(courier_id).await?;
                let shown = if position_visible(&actor, order.status) {
                    self.ports.couriers.last_position(id).await?
                } else {
                    None
                };
                (
                    row.map(|c| TrackedCourier {
                        first_name: c.first_name,
                        position: shown,
                    }),
                    shown,
                )
            }
            None => (None, None),
        };
        let accepted = timeline.iter().find(|c| c.status == OrderStatus::Accepted);
        let input = EstimateInput {
            status: order.status,
            merchant: merchant.location,
            destination: LatLng {
                lat: order.delivery.lat,
                lng: order.delivery.lng,
            },
            // The merchant's own estimate when it gave one on accepting, else its usual time.
            prep_minutes: accepted
                .and_then(|c| c.estimated_prep_minutes)
                .unwrap_or(merchant.avg_prep_minutes),
            accepted_at: accepted.map(|c| c.at),
            // Only what the caller may see: a hidden position must not show through the ETA.
            courier: shown_position.map(|p| p.point()),
            now,
        };
        let estimate = estimate(&input, self.catalog.eta_model());
        Ok(TrackingInfo {
            order_id: order.id,
            status: order.status,
            timeline,
            courier,
            distance_left_m: estimate.map(|(d, _)| d),
            eta_minutes: estimate.map(|(_, m)| m),
            estimated_arrival_at: estimate.map(|(_, m)| now + time::Duration::minutes(m.into())),
        })
    }

    /// Opens a live view of an order for the caller: what they may see of the updates that
    /// follow.
    ///
    /// # Errors
    /// `OrderNotFound` when the caller may not see the order.
    pub async fn watch(&self, principal: &Principal, id: OrderId) -> Result<LiveView, OrderError> {
        let (order, actor) = self.order_with_actor(principal, id).await?;
        let merchant = self.catalog.merchant(order.merchant_id).await?.merchant;
        Ok(LiveView {
            actor,
            status: order.status,
            destination: LatLng {
                lat: order.delivery.lat,
                lng: order.delivery.lng,
            },
            merchant: merchant.location,
            eta: *self.catalog.eta_model(),
        })
    }
}

/// One watcher's view of an order's live updates: it follows the status and hides courier
/// positions the watcher may not see.
#[derive(Debug, Clone)]
pub struct LiveView {
    actor: Actor,
    status: OrderStatus,
    destination: LatLng,
    merchant: LatLng,
    eta: EtaModel,
}

impl LiveView {
    /// The first update of a stream: the order's current status, read after subscribing to
    /// its updates (so nothing committed later is missed).
    pub fn opening(&mut self, order: &Order) -> OrderUpdate {
        self.status = order.status;
        OrderUpdate::Status {
            order_id: order.id,
            status: order.status,
            reason: None,
            at: order.updated_at,
            merchant_id: Some(order.merchant_id),
        }
    }

    /// The update as this watcher receives it, or `None` when it is not for them. Statuses
    /// only move forward, so a status not beyond the one the watcher was last told is stale
    /// (committed before the opening read, delivered after it) and dropped.
    pub fn present(&mut self, update: OrderUpdate) -> Option<OrderUpdate> {
        match update {
            OrderUpdate::Status { status, .. } => {
                if lifecycle_rank(status) <= lifecycle_rank(self.status) {
                    return None;
                }
                self.status = status;
                Some(update)
            }
            OrderUpdate::CourierAssigned { .. } => Some(update),
            OrderUpdate::Position {
                order_id, position, ..
            } => {
                if !position_visible(&self.actor, self.status) {
                    return None;
                }
                let input = EstimateInput {
                    status: self.status,
                    merchant: self.merchant,
                    destination: self.destination,
                    prep_minutes: 0,
                    accepted_at: None,
                    courier: Some(position.point()),
                    now: position.at,
                };
                let estimate = estimate(&input, &self.eta);
                Some(OrderUpdate::Position {
                    order_id,
                    position,
                    distance_left_m: estimate.map(|(d, _)| d),
                    eta_minutes: estimate.map(|(_, m)| m),
                })
            }
        }
    }

    /// Whether the order has finished (the stream may end).
    #[must_use]
    pub fn finished(&self) -> bool {
        self.status.is_terminal()
    }
}

/// A status's place in the lifecycle; `cancelled`, reachable from anywhere, comes last.
fn lifecycle_rank(status: OrderStatus) -> usize {
    OrderStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const BERLIN: LatLng = LatLng {
        lat: 52.52,
        lng: 13.405,
    };
    const DOOR: LatLng = LatLng {
        lat: 52.53,
        lng: 13.42,
    };

    fn input(status: OrderStatus) -> EstimateInput {
        EstimateInput {
            status,
            merchant: BERLIN,
            destination: DOOR,
            prep_minutes: 20,
            accepted_at: None,
            courier: None,
            now: OffsetDateTime::UNIX_EPOCH + time::Duration::hours(1),
        }
    }

    #[test]
    fn customers_see_the_courier_only_between_pickup_and_delivery() {
        for status in [
            OrderStatus::Placed,
            OrderStatus::Accepted,
            OrderStatus::Preparing,
            OrderStatus::ReadyForPickup,
            OrderStatus::Delivered,
            OrderStatus::Cancelled,
        ] {
            assert!(!position_visible(&Actor::Customer, status), "{status:?}");
        }
        assert!(position_visible(&Actor::Customer, OrderStatus::PickedUp));
        assert!(position_visible(
            &Actor::MerchantStaff,
            OrderStatus::ReadyForPickup
        ));
        assert!(!position_visible(&Actor::Admin, OrderStatus::Delivered));
    }

    #[test]
    fn finished_orders_have_no_estimate() {
        let model = EtaModel::default();
        assert_eq!(estimate(&input(OrderStatus::Delivered), &model), None);
        assert_eq!(estimate(&input(OrderStatus::Cancelled), &model), None);
    }

    #[test]
    fn preparation_counts_down_from_acceptance() {
        let model = EtaModel::default();
        let fresh = input(OrderStatus::Placed);
        let (distance, full) = estimate(&fresh, &model).expect("estimate");
        let ride = model.travel_minutes(distance_m(BERLIN, DOOR));
        assert_eq!(full, 20 + u32::from(model.handoff_minutes) + ride);
        assert_eq!(f64::from(distance), distance_m(BERLIN, DOOR).round());
        let later = EstimateInput {
            status: OrderStatus::Preparing,
            accepted_at: Some(fresh.now - time::Duration::minutes(8)),
            ..fresh
        };
        assert_eq!(estimate(&later, &model).expect("estimate").1, full - 8);
        let overdue = EstimateInput {
            accepted_at: Some(fresh.now - time::Duration::minutes(90)),
            ..later
        };
        assert_eq!(
            estimate(&overdue, &model).expect("estimate").1,
            u32::from(model.handoff_minutes) + ride
        );
    }

    #[test]
    fn after_pickup_only_the_ride_from_the_courier_counts() {
        let model = EtaModel::default();
        let at_door = EstimateInput {
            courier: Some(DOOR),
            ..input(OrderStatus::PickedUp)
        };
        assert_eq!(estimate(&at_door, &model), Some((0, 0)));
        let at_merchant = EstimateInput {
            courier: Some(BERLIN),
            ..input(OrderStatus::PickedUp)
        };
        let (d, m) = estimate(&at_merchant, &model).expect("estimate");
        assert!(d > 1000);
        assert_eq!(m, model.travel_minutes(distance_m(BERLIN, DOOR)));
    }

    #[test]
    fn a_live_view_hides_positions_from_the_customer_until_pickup() {
        let mut view = LiveView {
            actor: Actor::Customer,
            status: OrderStatus::ReadyForPickup,
            destination: DOOR,
            merchant: BERLIN,
            eta: EtaModel::default(),
        };
        let order_id = OrderId::new();
        let position = OrderUpdate::Position {
            order_id,
            position: CourierPosition {
                lat: BERLIN.lat,
                lng: BERLIN.lng,
                heading_deg: None,
                speed_kmh: None,
                at: OffsetDateTime::UNIX_EPOCH,
            },
            distance_left_m: None,
            eta_minutes: None,
        };
        assert_eq!(view.present(position.clone()), None);
        let stale = OrderUpdate::Status {
            order_id,
            status: OrderStatus::Preparing,
            reason: None,
            at: OffsetDateTime::UNIX_EPOCH,
            merchant_id: None,
        };
        assert_eq!(view.present(stale), None, "statuses never go back");
        let picked = OrderUpdate::Status {
            order_id,
            status: OrderStatus::PickedUp,
            reason: None,
            at: OffsetDateTime::UNIX_EPOCH,
            merchant_id: None,
        };
        assert_eq!(view.present(picked.clone()), Some(picked));
        match view.present(position) {
            Some(OrderUpdate::Position {
                distance_left_m: Some(d),
                eta_minutes: Some(_),
                ..
            }) => assert!(d > 1000),
            other => panic!("expected a position with an estimate, got {other:?}"),
        }
        assert!(!view.finished());
    }

    #[test]
    fn the_lifecycle_ranks_statuses_forward_with_cancelled_last() {
        let ranks: Vec<usize> = OrderStatus::ALL
            .iter()
            .map(|s| lifecycle_rank(*s))
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            lifecycle_rank(OrderStatus::Cancelled),
            OrderStatus::ALL.len() - 1
        );
    }

    #[test]
    fn first_names_are_the_first_word() {
        assert_eq!(first_name("Cody  Courier"), "Cody");
        assert_eq!(first_name("   "), "Courier");
    }

    proptest! {
        #[test]
        fn the_estimate_never_grows_as_preparation_passes(
            minutes in 0i64..200, later in 0i64..200, prep in 0u16..120,
        ) {
            let model = EtaModel::default();
            let base = input(OrderStatus::Preparing);
            let at = |m: i64| EstimateInput {
                prep_minutes: prep,
                accepted_at: Some(base.now - time::Duration::minutes(m)),
                ..base
            };
            let a = estimate(&at(minutes), &model).expect("estimate").1;
            let b = estimate(&at(minutes + later), &model).expect("estimate").1;
            prop_assert!(b <= a);
        }
    }
}
