-- Ordering: carts. A customer has at most one open cart per merchant; a checked-out cart
-- stays for the order that came from it. Merchants, items and options are referred to by id
-- only: the catalog owns them, so there are no foreign keys across schemas.
create schema if not exists ordering;

create table ordering.carts (
    id          uuid        primary key,
    customer_id uuid        not null,
    merchant_id uuid        not null,
    status      text        not null default 'open'
        check (status in ('open', 'checked_out')),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
-- The arbiter of opening a cart (`on conflict … where status = 'open'`); its leading column
-- also serves listing a customer's open carts.
create unique index carts_one_open_idx on ordering.carts (customer_id, merchant_id)
    where status = 'open';

create table ordering.cart_items (
    id                    uuid    primary key,
    cart_id               uuid    not null references ordering.carts on delete cascade,
    -- Order of addition within the cart, from 1.
    position              integer not null,
    menu_item_id          uuid    not null,
    quantity              integer not null check (quantity between 1 and 99),
    option_ids            uuid[]  not null default '{}',
    note                  text,
    -- Unit price with options as the customer last saw it, to warn about price changes.
    seen_unit_price_minor bigint  not null,
    unique (cart_id, position)
);
