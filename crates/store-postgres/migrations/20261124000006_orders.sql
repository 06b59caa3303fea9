-- Ordering: orders, their items and status timeline, and checkout idempotency keys.
-- What was bought is a snapshot (names, prices, options as they were at checkout): the
-- catalog may change afterwards, the order must not. Merchants, items and users are referred
-- to by id only, as for carts: no foreign keys across schemas.

create table ordering.orders (
    id             uuid        primary key,
    customer_id    uuid        not null,
    merchant_id    uuid        not null,
    merchant_name  text        not null,
    status         text        not null check (status in (
        'pending_payment', 'placed', 'accepted', 'preparing', 'ready_for_pickup',
        'picked_up', 'delivered', 'cancelled')),
    -- serde of DeliveryDetails, PaymentChoice and PriceSummary.
    delivery       jsonb       not null,
    payment_method jsonb       not null,
    summary        jsonb       not null,
    -- The summary's currency and total, as columns for statistics.
    currency       text        not null check (currency ~ '^[A-Z]{3}$'),
    total_minor    bigint      not null,
    scheduled_for  timestamptz,
    courier_id     uuid,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);
-- A customer's orders, newest first (keyset pagination on (created_at, id)).
create index orders_customer_created_idx on ordering.orders (customer_id, created_at desc, id desc);
create index orders_merchant_created_idx on ordering.orders (merchant_id, created_at);

create table ordering.order_items (
    order_id         uuid    not null references ordering.orders on delete cascade,
    -- Order within the order, from 1, as the cart listed them.
    position         integer not null,
    menu_item_id     uuid    not null,
    name             text    not null,
    quantity         integer not null check (quantity >= 1),
    -- serde of the chosen CartLineOptions, as they were.
    options          jsonb   not null default '[]',
    unit_price_minor bigint  not null,
    tax_class        text    not null,
    line_total_minor bigint  not null,
    note             text,
    primary key (order_id, position)
);

create table ordering.order_status_history (
    id       bigint      generated always as identity primary key,
    order_id uuid        not null references ordering.orders on delete cascade,
    status   text        not null,
    actor    text        not null,
    actor_id uuid,
    reason   text,
    at       timestamptz not null
);
create index order_status_history_order_idx on ordering.order_status_history (order_id, at, id);

-- A checkout's Idempotency-Key: held while its request runs, then the response it gave.
create table ordering.idempotency_keys (
    customer_id uuid        not null,
    key         text        not null,
    -- The canonical request the key was first used with.
    fingerprint text        not null,
    state       text        not null default 'in_flight' check (state in ('in_flight', 'done')),
    response    jsonb,
    created_at  timestamptz not null,
    primary key (customer_id, key),
    check ((state = 'done') = (response is not null))
);
