//! Ordering in memory: carts, orders, couriers and tracking, reviews and statistics.

use super::*;

#[async_trait]
impl CartStore for Memory {
    async fn open_cart(&self, new: &StoredCart) -> Result<(StoredCart, bool), StoreError> {
        let mut ordering = lock(&self.ordering);
        if let Some(open) = ordering.carts.values().find(|row| {
            row.open && row.cart.customer == new.customer && row.cart.merchant_id == new.merchant_id
        }) {
            return Ok((open.cart.clone(), false));
        }
        ordering.carts.insert(
            new.id,
            CartRow {
                cart: new.clone(),
                open: true,
            },
        );
        Ok((new.clone(), true))
    }

    async fn open_carts(&self, customer: UserId) -> Result<Vec<StoredCart>, StoreError> {
        let ordering = lock(&self.ordering);
        let mut carts: Vec<StoredCart> = ordering
            .carts
            .values()
            .filter(|row| row.open && row.cart.customer == customer)
            .map(|row| row.cart.clone())
            .collect();
        carts.sort_by_key(|c| Reverse(c.updated_at));
        Ok(carts)
    }

    async fn cart(&self, id: CartId) -> Result<Option<StoredCart>, StoreError> {
        Ok(lock(&self.ordering)
            .carts
            .get(&id)
            .filter(|row| row.open)
            .map(|row| row.cart.clone()))
    }

    async fn add_line(
        &self,
        cart: CartId,
        customer: UserId,
        line: &StoredLine,
        max_lines: u32,
        now: OffsetDateTime,
    ) -> Result<LineAdded, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(row) = ordering
            .carts
            .get_mut(&cart)
            .filter(|row| row.open && row.cart.customer == customer)
        else {
            return Ok(LineAdded::NoCart);
        };
        if row.cart.lines.len() >= max_lines as usize {
            return Ok(LineAdded::LimitReached);
        }
        row.cart.lines.push(line.clone());
        touch(&mut row.cart, now);
        Ok(LineAdded::Added(row.cart.clone()))
    }

    async fn replace_line(
        &self,
        cart: CartId,
        line: &StoredLine,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(row) = ordering.carts.get_mut(&cart).filter(|row| row.open) else {
            return Ok(false);
        };
        let Some(stored) = row.cart.lines.iter_mut().find(|l| l.id == line.id) else {
            return Ok(false);
        };
        *stored = line.clone();
        touch(&mut row.cart, now);
        Ok(true)
    }

    async fn remove_line(
        &self,
        cart: CartId,
        line: CartLineId,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(row) = ordering.carts.get_mut(&cart).filter(|row| row.open) else {
            return Ok(false);
        };
        let before = row.cart.lines.len();
        row.cart.lines.retain(|l| l.id != line);
        if row.cart.lines.len() == before {
            return Ok(false);
        }
        touch(&mut row.cart, now);
        Ok(true)
    }

    async fn clear(&self, cart: CartId, now: OffsetDateTime) -> Result<bool, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(row) = ordering.carts.get_mut(&cart).filter(|row| row.open) else {
            return Ok(false);
        };
        row.cart.lines.clear();
        touch(&mut row.cart, now);
        Ok(true)
    }
}

/// Every change of a cart moves its revision, so checkout can tell it changed.
fn touch(cart: &mut StoredCart, now: OffsetDateTime) {
    cart.updated_at = now;
    cart.revision += 1;
}

// --- ordering: orders ----------------------------------------------------------------------

#[async_trait]
impl OrderStore for Memory {
    async fn known_key(
        &self,
        key: &IdempotencyKey,
        now: OffsetDateTime,
    ) -> Result<Option<KnownKey>, StoreError> {
        let ordering = lock(&self.ordering);
        Ok(ordering
            .keys
            .get(&(key.customer, key.key.clone()))
            .filter(|row| row.created_at >= now - IDEMPOTENCY_KEY_LIFETIME)
            .map(|row| {
                if row.fingerprint == key.fingerprint {
                    KnownKey::Replay(row.response.clone())
                } else {
                    KnownKey::Mismatch
                }
            }))
    }

    async fn place_order(&self, placement: &Placement) -> Result<Placed, StoreError> {
        let mut ordering = lock(&self.ordering);
        let order = &placement.order;
        let key = (placement.key.customer, placement.key.key.clone());
        let now = order.created_at;
        if ordering
            .keys
            .get(&key)
            .is_some_and(|row| row.created_at >= now - IDEMPOTENCY_KEY_LIFETIME)
        {
            return Ok(Placed::KeyTaken);
        }
        let Some(cart) = ordering
            .carts
            .get_mut(&placement.cart)
            .filter(|row| row.open && row.cart.customer == order.customer_id)
        else {
            return Ok(Placed::CartNotOpen);
        };
        if cart.cart.revision != placement.cart_version {
            return Ok(Placed::CartChanged);
        }
        cart.open = false;
        ordering.keys.insert(
            key,
            KeyRow {
                fingerprint: placement.key.fingerprint.clone(),
                response: placement.response.clone(),
                created_at: now,
            },
        );
        ordering.orders.insert(order.id, order.clone());
        ordering
            .history
            .insert(order.id, vec![placement.first.clone()]);
        drop(ordering);
        self.record(&placement.events);
        Ok(Placed::Placed)
    }

    async fn order(&self, id: OrderId) -> Result<Option<Order>, StoreError> {
        Ok(lock(&self.ordering).orders.get(&id).cloned())
    }

    async fn orders_of(
        &self,
        customer: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        Ok(lock(&self.ordering).newest_first(
            |o| o.customer_id == customer && status.is_none_or(|s| o.status == s),
            after,
            limit,
        ))
    }

    async fn orders_of_merchant(
        &self,
        merchant: MerchantId,
        status: Option<OrderStatus>,
        from: Option<OffsetDateTime>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        Ok(lock(&self.ordering).newest_first(
            |o| {
                o.merchant_id == merchant
                    && status.map_or(o.status != OrderStatus::PendingPayment, |s| o.status == s)
                    && from.is_none_or(|from| o.created_at >= from)
            },
            after,
            limit,
        ))
    }

    async fn history(&self, id: OrderId) -> Result<Vec<StatusChange>, StoreError> {
        Ok(lock(&self.ordering)
            .history
            .get(&id)
            .cloned()
            .unwrap_or_default())
    }

    async fn change_status(
        &self,
        id: OrderId,
        expected: OrderStatus,
        change: &StatusChange,
        events: &[OutboxEvent],
    ) -> Result<bool, StoreError> {
        let mut ordering = lock(&self.ordering);
        let Some(order) = ordering
            .orders
            .get_mut(&id)
            .filter(|o| o.status == expected)
        else {
            return Ok(false);
        };
        order.status = change.status;
        order.updated_at = change.at;
        ordering.history.entry(id).or_default().push(change.clone());
        if change.status.is_terminal() {
            // A finished order frees its courier for the next one.
            for courier in ordering.couriers.values_mut() {
                if courier.active_order_id == Some(id) {
                    courier.active_order_id = None;
                    courier.updated_at = change.at;
                }
            }
        }
        drop(ordering);
        self.record(events);
        self.publish(OrderUpdate::Status {
            order_id: id,
            status: change.status,
            reason: change.reason,
            at: change.at,
            merchant_id: None,
        });
        Ok(true)
    }
}

// --- ordering: couriers and tracking -------------------------------------------------------

#[async_trait]
impl CourierStore for Memory {
    async fn set_courier_status(
        &self,
        courier: UserId,
        first_name: &str,
        online: bool,
        position: Option<CourierPosition>,
        now: OffsetDateTime,
    ) -> Result<CourierStatus, StoreError> {
        let mut ordering = lock(&self.ordering);
        let row = ordering
            .couriers
            .entry(courier)
            .or_insert_with(|| CourierStatus {
                courier_id: courier,
                first_name: first_name.to_owned(),
                online,
                position: None,
                active_order_id: None,
                updated_at: now,
            });
        row.first_name = first_name.to_owned();
        row.online = online;
        // Going offline forgets where the courier is; no position given keeps the last one.
        if !online {
            row.position = None;
        } else if position.is_some() {
            row.position = position;
        }
        row.updated_at = now;
        Ok(row.clone())
    }

    async fn courier(&self, courier: UserId) -> Result<Option<CourierStatus>, StoreError> {
        Ok(lock(&self.ordering).couriers.get(&courier).cloned())
    }

    async fn assign_courier(
        &self,
        choice: CourierChoice,
        pending: &PendingAssignment,
    ) -> Result<AssignOutcome, StoreError> {
        let mut ordering = lock(&self.ordering);
        let assignable = ordering
            .orders
            .get(&pending.order_id)
            .is_some_and(|o| o.courier_id.is_none() && ASSIGNABLE.contains(&o.status));
        if !assignable {
            return Ok(AssignOutcome::OrderNotAssignable);
        }
        let free = |c: &&CourierStatus| c.online && c.active_order_id.is_none();
        let chosen = match choice {
            CourierChoice::Given(id) => match ordering.couriers.get(&id).filter(free) {
                Some(courier) => courier.courier_id,
                None => return Ok(AssignOutcome::CourierUnavailable),
            },
            CourierChoice::Nearest {
                near,
                radius_m,
                fresh_since,
            } => {
                let nearest = ordering
                    .couriers
                    .values()
                    .filter(free)
                    .filter_map(|c| {
                        let position = c.position.filter(|p| p.at >= fresh_since)?;
                        let distance = distance_m(position.point(), near);
                        (distance <= radius_m).then_some((distance, c.courier_id))
                    })
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                match nearest {
                    Some((_, id)) => id,
                    None => return Ok(AssignOutcome::NoCourier),
                }
            }
        };
        if let Some(order) = ordering.orders.get_mut(&pending.order_id) {
            order.courier_id = Some(chosen);
            order.updated_at = pending.at;
        }
        let Some(courier) = ordering.couriers.get_mut(&chosen) else {
            return Err(StoreError::Backend(format!("courier {chosen} vanished")));
        };
        courier.active_order_id = Some(pending.order_id);
        courier.updated_at = pending.at;
        let assigned = courier.clone();
        drop(ordering);
        self.record(&[pending.into_event(chosen)]);
        self.publish(OrderUpdate::CourierAssigned {
            order_id: pending.order_id,
            first_name: assigned.first_name.clone(),
        });
        Ok(AssignOutcome::Assigned(assigned))
    }

    async fn record_position(
        &self,
        courier: UserId,
        order: OrderId,
        position: &CourierPosition,
        min_interval: time::Duration,
    ) -> Result<PositionOutcome, StoreError> {
        let mut ordering = lock(&self.ordering);
        let active = ordering
            .couriers
            .get(&courier)
            .is_some_and(|c| c.active_order_id == Some(order))
            && ordering
                .orders
                .get(&order)
                .is_some_and(|o| o.courier_id == Some(courier) && TRACKABLE.contains(&o.status));
        if !active {
            return Ok(PositionOutcome::NotActive);
        }
        if ordering
            .last_posts
            .get(&courier)
            .is_some_and(|last| *last > position.at - min_interval)
        {
            return Ok(PositionOutcome::TooFrequent);
        }
        ordering.last_posts.insert(courier, position.at);
        ordering.tracking.entry(order).or_default().push(*position);
        if let Some(row) = ordering.couriers.get_mut(&courier) {
            row.position = Some(*position);
            row.updated_at = position.at;
        }
        drop(ordering);
        self.publish(OrderUpdate::Position {
            order_id: order,
            position: *position,
            distance_left_m: None,
            eta_minutes: None,
        });
        Ok(PositionOutcome::Recorded)
    }

    async fn last_position(&self, order: OrderId) -> Result<Option<CourierPosition>, StoreError> {
        Ok(lock(&self.ordering)
            .tracking
            .get(&order)
            .and_then(|points| points.last().copied()))
    }

    async fn courier_orders(
        &self,
        courier: UserId,
        status: Option<OrderStatus>,
        after: Option<OrderId>,
        limit: u32,
    ) -> Result<Vec<Order>, StoreError> {
        Ok(lock(&self.ordering).newest_first(
            |o| o.courier_id == Some(courier) && status.is_none_or(|s| o.status == s),
            after,
            limit,
        ))
    }

    async fn awaiting_courier(&self, limit: u32) -> Result<Vec<Order>, StoreError> {
        let ordering = lock(&self.ordering);
        let mut waiting: Vec<Order> = ordering
            .orders
            .values()
            .filter(|o| o.status == OrderStatus::ReadyForPickup && o.courier_id.is_none())
            .cloned()
            .collect();
        waiting.sort_by_key(|o| (o.updated_at, o.id));
        waiting.truncate(limit as usize);
        Ok(waiting)
    }

    async fn purge_positions(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let mut ordering = lock(&self.ordering);
        let mut purged = 0;
        for points in ordering.tracking.values_mut() {
            let kept = points.len();
            points.retain(|p| p.at >= before);
            purged += (kept - points.len()) as u64;
        }
        Ok(purged)
    }
}

// --- ordering: reviews and statistics ------------------------------------------------------

#[async_trait]
impl InsightStore for Memory {
    async fn add_review(
        &self,
        _review: &OrderReview,
        _events: &[OutboxEvent],
    ) -> Result<bool, StoreError> {
        unsupported("reviews")
    }

    async fn stats(
        &self,
        _merchant: Option<MerchantId>,
        _from: OffsetDateTime,
        _to: OffsetDateTime,
    ) -> Result<StatsRows, StoreError> {
        unsupported("order statistics")
    }
}
