-- Fulfilment and insights of the ordering context: couriers (their status, position, active
-- order and rating), the tracking points couriers post while delivering, and the customers'
-- reviews of orders. Users are referred to by id only: no foreign keys across schemas.

-- Great-circle distance in metres between two points in degrees (the haversine formula with
-- the core's mean Earth radius; the same as catalog.distance_m, kept here so the ordering
-- schema depends on no other).
create function ordering.distance_m(
    lat1 double precision, lng1 double precision, lat2 double precision, lng2 double precision
) returns double precision
language sql immutable parallel safe
as $$
    select 2 * 6371008.8::double precision * asin(least(sqrt(
        sin((lat2 - lat1) * (pi() / 180) / 2) * sin((lat2 - lat1) * (pi() / 180) / 2)
        + cos(lat1 * (pi() / 180)) * cos(lat2 * (pi() / 180))
          * (sin((lng2 - lng1) * (pi() / 180) / 2) * sin((lng2 - lng1) * (pi() / 180) / 2))
    ), 1))
$$;

-- A courier as ordering knows them. The row is also the dispatch lock: assigning an order
-- locks the courier's row and sets `active_order_id`, so two dispatches racing for one
-- courier serialize here and only one wins.
create table ordering.couriers (
    user_id         uuid             primary key,
    first_name      text             not null,
    online          boolean          not null default false,
    -- The last known position (all of lat, lng and position_at, or none).
    lat             double precision,
    lng             double precision,
    heading_deg     double precision,
    speed_kmh       double precision,
    position_at     timestamptz,
    -- When the courier last posted a tracking point: the per-courier throttle (going
    -- online or updating the status with a position does not count).
    last_post_at    timestamptz,
    active_order_id uuid             references ordering.orders on delete set null,
    -- Unrounded running average of the courier ratings (reads round it).
    rating_avg      double precision not null default 0,
    rating_count    integer          not null default 0 check (rating_count >= 0),
    updated_at      timestamptz      not null,
    check ((lat is null) = (lng is null) and (lat is null) = (position_at is null))
);
-- An order is at most one courier's active order.
create unique index couriers_active_order_idx on ordering.couriers (active_order_id)
    where active_order_id is not null;
-- Dispatch candidates: online couriers without an active order, by position freshness (a
-- city has few of them; the distance is filtered and sorted on these rows).
create index couriers_free_idx on ordering.couriers (position_at)
    where online and active_order_id is null;

-- Positions posted by an order's courier.
create table ordering.order_tracking (
    id          bigint           generated always as identity primary key,
    order_id    uuid             not null references ordering.orders on delete cascade,
    courier_id  uuid             not null,
    lat         double precision not null,
    lng         double precision not null,
    heading_deg double precision,
    speed_kmh   double precision,
    recorded_at timestamptz      not null
);
create index order_tracking_order_idx on ordering.order_tracking (order_id, recorded_at desc, id desc);
-- The retention purge.
create index order_tracking_recorded_idx on ordering.order_tracking (recorded_at);

-- A customer's review of a delivered order, one per order.
create table ordering.order_reviews (
    id              uuid        primary key,
    order_id        uuid        not null unique references ordering.orders on delete cascade,
    merchant_id     uuid        not null,
    customer_id     uuid        not null,
    courier_id      uuid,
    merchant_rating smallint    not null check (merchant_rating between 1 and 5),
    courier_rating  smallint    check (courier_rating between 1 and 5),
    comment         text,
    created_at      timestamptz not null
);

-- A courier's orders, newest first (keyset pagination on (created_at, id)).
create index orders_courier_created_idx on ordering.orders (courier_id, created_at desc, id desc)
    where courier_id is not null;
-- Orders ready for pickup that still wait for a courier, oldest first.
-- When automatic dispatch last tried and found no courier: the sweep tries the orders it
-- has not tried for longest first, so orders nobody can take do not starve the others.
alter table ordering.orders add column dispatch_attempted_at timestamptz;
create index orders_awaiting_courier_idx on ordering.orders
    (dispatch_attempted_at nulls first, updated_at, id)
    where status = 'ready_for_pickup' and courier_id is null;
-- Marketplace-wide statistics by period.
create index orders_created_idx on ordering.orders (created_at);
