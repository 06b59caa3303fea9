-- Geography and catalog: countries gain their currency and tax details; cities with their
-- delivery zones; the catalog context (merchants, open windows, menus, reviews).
--
-- The catalog refers to geography (country, city) and identity refers to merchants by id
-- only: each context owns its schema, so there are no foreign keys across schemas.

-- Trigram indexes for discovery's text search, and three-dimensional points for its nearest-
-- first search. Both are trusted extensions: the database owner may create them without
-- superuser rights.
create extension if not exists pg_trgm with schema public;
create extension if not exists cube with schema public;

------------------------------------------------------------------------------------------
-- Geography
------------------------------------------------------------------------------------------

alter table geo.countries
    add column currency_exponent smallint not null default 2
        check (currency_exponent between 0 and 4),
    add column default_locale    text     not null default 'en',
    add column time_zones        text[]   not null default '{}',
    add column tax_regime        text     not null default 'inclusive'
        check (tax_regime in ('inclusive', 'exclusive')),
    -- [{"class": "food", "rate": "0.07"}, …]: rates as decimal strings, never floats.
    add column tax_rates         jsonb    not null default '[]'
        check (jsonb_typeof(tax_rates) = 'array');

-- The launch markets. US sales tax varies by state and city; a representative combined
-- rate (New York City's 8.875 % rounded to 8.75 %) stands in until rates are per city.
update geo.countries set
    currency_exponent = 2,
    default_locale = 'en-US',
    time_zones = '{America/New_York,America/Chicago,America/Denver,America/Los_Angeles}',
    tax_regime = 'exclusive',
    tax_rates = '[{"class": "food", "rate": "0.0875"}, {"class": "grocery", "rate": "0.0"},
                  {"class": "alcohol", "rate": "0.0875"}, {"class": "general", "rate": "0.0875"},
                  {"class": "delivery_fee", "rate": "0.0875"}, {"class": "service_fee", "rate": "0.0875"}]'
where code = 'US';

-- Germany: 7 % on take-away food and groceries, 19 % otherwise.
update geo.countries set
    currency_exponent = 2,
    default_locale = 'de-DE',
    time_zones = '{Europe/Berlin}',
    tax_regime = 'inclusive',
    tax_rates = '[{"class": "food", "rate": "0.07"}, {"class": "grocery", "rate": "0.07"},
                  {"class": "alcohol", "rate": "0.19"}, {"class": "medicine", "rate": "0.19"},
                  {"class": "general", "rate": "0.19"}, {"class": "delivery_fee", "rate": "0.19"},
                  {"class": "service_fee", "rate": "0.19"}]'
where code = 'DE';

-- Japan: reduced 8 % on food and groceries (take-away), 10 % standard.
update geo.countries set
    currency_exponent = 0,
    default_locale = 'ja-JP',
    time_zones = '{Asia/Tokyo}',
    tax_regime = 'inclusive',
    tax_rates = '[{"class": "food", "rate": "0.08"}, {"class": "grocery", "rate": "0.08"},
                  {"class": "alcohol", "rate": "0.10"}, {"class": "medicine", "rate": "0.10"},
                  {"class": "general", "rate": "0.10"}, {"class": "delivery_fee", "rate": "0.10"},
                  {"class": "service_fee", "rate": "0.10"}]'
where code = 'JP';

-- Kuwait levies no VAT or sales tax.
update geo.countries set
    currency_exponent = 3,
    default_locale = 'ar-KW',
    time_zones = '{Asia/Kuwait}',
    tax_regime = 'inclusive',
    tax_rates = '[{"class": "food", "rate": "0.0"}, {"class": "grocery", "rate": "0.0"},
                  {"class": "alcohol", "rate": "0.0"}, {"class": "medicine", "rate": "0.0"},
                  {"class": "general", "rate": "0.0"}, {"class": "delivery_fee", "rate": "0.0"},
                  {"class": "service_fee", "rate": "0.0"}]'
where code = 'KW';

-- Every new country states its details.
alter table geo.countries
    alter column currency_exponent drop default,
    alter column default_locale drop default,
    alter column time_zones drop default,
    alter column tax_regime drop default,
    alter column tax_rates drop default;

create table geo.cities (
    id           uuid primary key,
    country_code text             not null references geo.countries (code),
    name         text             not null,
    center_lat   double precision not null,
    center_lng   double precision not null,
    time_zone    text             not null,
    -- The delivery zone: a radius around the centre, or a polygon's vertices as
    -- [lat, lng, lat, lng, …]. Plain numbers rather than JSON, so coordinates read back
    -- bit for bit.
    zone_radius_m integer          check (zone_radius_m >= 0),
    zone_polygon  double precision[],
    -- The zone's bounding box (degrees), narrowing `cities_around` before the exact test.
    south        double precision not null,
    west         double precision not null,
    north        double precision not null,
    east         double precision not null,
    categories   text[]           not null default '{}',
    enabled      boolean          not null,
    constraint cities_zone_check check ((zone_radius_m is null) <> (zone_polygon is null))
);
create index cities_country_idx on geo.cities (country_code, name);

------------------------------------------------------------------------------------------
-- Catalog
------------------------------------------------------------------------------------------

create schema if not exists catalog;

-- Great-circle distance in metres between two points given as (latitude in radians, its
-- cosine, longitude in degrees). It performs the operations of
-- mercato_core::geo::distance_m in the same order, so both give the same bits on the same
-- libm: the store's coverage test, distances, ETAs and fees agree with the core's.
create function catalog.haversine_m(
    lat1_rad double precision, cos_lat1 double precision, lng1 double precision,
    lat2_rad double precision, cos_lat2 double precision, lng2 double precision
) returns double precision
-- Not `strict`: a strict SQL function is inlined only when its body is provably strict,
-- and `least` is not.
language sql immutable parallel safe
as $$
    select 2 * 6371008.8::double precision * asin(least(sqrt(
        sin((lat2_rad - lat1_rad) / 2) * sin((lat2_rad - lat1_rad) / 2)
        + cos_lat1 * cos_lat2
          * (sin((lng2 - lng1) * (pi() / 180) / 2) * sin((lng2 - lng1) * (pi() / 180) / 2))
    ), 1))
$$;

-- The same distance between two points in degrees.
create function catalog.distance_m(
    lat1 double precision, lng1 double precision, lat2 double precision, lng2 double precision
) returns double precision
language sql immutable parallel safe
as $$
    select catalog.haversine_m(
        lat1 * (pi() / 180), cos(lat1 * (pi() / 180)), lng1,
        lat2 * (pi() / 180), cos(lat2 * (pi() / 180)), lng2)
$$;

-- A latitude/longitude box (x = longitude, y = latitude) holding every point within
-- `radius_m` of the centre, slightly enlarged so rounding never drops a point the exact
-- distance keeps. Boxes reaching a pole or the antimeridian span every longitude.
create function catalog.coverage_box(
    lat double precision, lng double precision, radius_m double precision
) returns box
language plpgsql immutable strict parallel safe
as $$
declare
    delta double precision := radius_m / 6371008.8 * 1.000001 + 1e-9;
    d_lat double precision := degrees(delta);
    d_lng double precision;
begin
    if abs(lat) + d_lat >= 90 then
        return box(point(-180, greatest(lat - d_lat, -90)), point(180, least(lat + d_lat, 90)));
    end if;
    -- The widest longitude of a spherical cap is asin(sin δ / cos φ) from its centre.
    d_lng := degrees(asin(least(1, sin(delta) / cos(radians(lat)))));
    if lng - d_lng < -180 or lng + d_lng > 180 then
        return box(point(-180, lat - d_lat), point(180, lat + d_lat));
    end if;
    return box(point(lng - d_lng, lat - d_lat), point(lng + d_lng, lat + d_lat));
end
$$;

-- A point on the Earth's surface in metres (x, y, z from the centre of a sphere of the core's
-- Earth radius). The Euclidean distance between two such points, the chord, grows with the
-- great-circle distance, so a GiST index on them yields merchants nearest first.
create function catalog.earth_point(lat double precision, lng double precision) returns public.cube
language sql immutable parallel safe
as $$
    -- Schema-qualified: a restore runs generated columns with an empty search_path.
    select public.cube(array[
        6371008.8 * cos(lat * (pi() / 180)) * cos(lng * (pi() / 180)),
        6371008.8 * cos(lat * (pi() / 180)) * sin(lng * (pi() / 180)),
        6371008.8 * sin(lat * (pi() / 180))
    ])
$$;

-- Whether an array is sorted strictly ascending (fee bands; see `merchants`).
create function catalog.strictly_ascending(xs bigint[]) returns boolean
language sql immutable strict parallel safe
as $$
    select xs = array(select distinct x from unnest(xs) as u(x) order by x)
$$;

create table catalog.merchants (
    id                  uuid primary key,
    name                text             not null,
    description         text,
    country_code        text             not null,
    city_id             uuid             not null,
    currency            text             not null,
    categories          text[]           not null,
    cuisines            text[]           not null default '{}',
    address             text             not null,
    lat                 double precision not null check (lat between -90 and 90),
    lng                 double precision not null check (lng between -180 and 180),
    delivery_radius_m   integer          not null check (delivery_radius_m >= 0),
    avg_prep_minutes    integer          not null check (avg_prep_minutes >= 0),
    minimum_order_minor bigint           not null,
    -- Fee bands as two parallel arrays, bands ascending by distance: the fee for a distance
    -- is found by binary search (`width_bucket`), which needs the order.
    fee_band_up_to_m    bigint[]         not null,
    fee_band_fee_minor  bigint[]         not null,
    time_zone           text             not null,
    -- The serde form of mercato_core::catalog::OpeningHours.
    hours               jsonb            not null,
    paused              boolean          not null default false,
    busy                boolean          not null default false,
    rating_avg          double precision not null default 0,
    rating_count        integer          not null default 0 check (rating_count >= 0),
    image_url           text,
    -- Bumped by every menu change (the menu's entity tag).
    menu_version        bigint           not null default 1,
    -- The menu's sections in display order, in the serde form of
    -- Vec<mercato_core::catalog::MenuSection>, so that reading a menu is one primary-key
    -- lookup. Every menu write rebuilds it in its transaction (catalog.menu_document); a
    -- bulk import writes it with the merchant.
    menu_document       json             not null default '[]',
    -- Lower-cased name and dish names, for text search; maintained with menu_document.
    search_text         text             not null,
    -- Until when open_windows were computed.
    windows_until       timestamptz      not null,
    -- Derived geometry for discovery: the latitude in radians and its cosine (the terms of
    -- catalog.haversine_m), the box holding the delivery area, and the location in space.
    lat_rad             double precision generated always as (lat * (pi() / 180)) stored,
    cos_lat             double precision generated always as (cos(lat * (pi() / 180))) stored,
    coverage            box generated always as (catalog.coverage_box(lat, lng, delivery_radius_m)) stored,
    location            public.cube generated always as (catalog.earth_point(lat, lng)) stored,
    constraint merchants_fee_bands_check check (
        cardinality(fee_band_up_to_m) = cardinality(fee_band_fee_minor)
        and catalog.strictly_ascending(fee_band_up_to_m)
    )
);
-- Discovery: merchants whose delivery area's box holds the point, nearest first when asked.
-- It includes every column discovery filters and sorts on, so the scan never visits the
-- table (an index-only scan; `search_text` is the exception, too large to include).
create index merchants_discovery_idx on catalog.merchants using gist (coverage, location)
    include (id, city_id, lat_rad, cos_lat, lng, delivery_radius_m, categories, cuisines, paused, busy,
             rating_avg, avg_prep_minutes, fee_band_up_to_m, fee_band_fee_minor);
create index merchants_search_idx on catalog.merchants using gin (search_text gin_trgm_ops);
create index merchants_windows_until_idx on catalog.merchants (windows_until);

-- A merchant's open windows (sorted, disjoint), computed from its hours by the core. The
-- first window closing after an instant tells both "open now" and "next opening".
create table catalog.open_windows (
    merchant_id uuid        not null references catalog.merchants (id) on delete cascade,
    opens_at    timestamptz not null,
    closes_at   timestamptz not null check (closes_at > opens_at),
    primary key (merchant_id, closes_at) include (opens_at)
);

-- Menus. Every row carries its merchant, so ownership checks are one statement; composite
-- foreign keys keep that copy consistent with the parent's.
create table catalog.menu_sections (
    id          uuid primary key,
    merchant_id uuid    not null references catalog.merchants (id) on delete cascade,
    name        text    not null,
    position    integer not null,
    constraint menu_sections_merchant_key unique (merchant_id, id)
);

create table catalog.menu_items (
    id          uuid primary key,
    merchant_id uuid    not null,
    section_id  uuid    not null,
    position    integer not null,
    name        text    not null,
    description text,
    price_minor bigint  not null,
    tax_class   text    not null,
    dietary_tags text[] not null default '{}',
    image_url   text,
    available   boolean not null,
    constraint menu_items_merchant_key unique (merchant_id, id),
    constraint menu_items_section_fkey foreign key (merchant_id, section_id)
        references catalog.menu_sections (merchant_id, id) on delete cascade
);
create index menu_items_section_idx on catalog.menu_items (merchant_id, section_id, position);

create table catalog.option_groups (
    id             uuid primary key,
    merchant_id    uuid    not null,
    item_id        uuid    not null,
    position       integer not null,
    name           text    not null,
    min_selections integer not null check (min_selections >= 0),
    max_selections integer not null check (max_selections >= min_selections),
    constraint option_groups_merchant_key unique (merchant_id, id),
    constraint option_groups_item_fkey foreign key (merchant_id, item_id)
        references catalog.menu_items (merchant_id, id) on delete cascade
);
create index option_groups_item_idx on catalog.option_groups (merchant_id, item_id);

create table catalog.menu_options (
    id                uuid primary key,
    merchant_id       uuid    not null,
    group_id          uuid    not null,
    position          integer not null,
    name              text    not null,
    price_delta_minor bigint  not null,
    available         boolean not null,
    constraint menu_options_group_fkey foreign key (merchant_id, group_id)
        references catalog.option_groups (merchant_id, id) on delete cascade
);
create index menu_options_group_idx on catalog.menu_options (merchant_id, group_id);

create table catalog.reviews (
    id          uuid primary key,
    merchant_id uuid        not null references catalog.merchants (id) on delete cascade,
    author_name text        not null,
    rating      smallint    not null check (rating between 1 and 5),
    comment     text,
    created_at  timestamptz not null
);
create index reviews_merchant_idx on catalog.reviews (merchant_id, created_at desc, id desc);

-- A merchant's menu, when it has at least one section: the sections in display order, in
-- the serde form of Vec<mercato_core::catalog::MenuSection> with prices in the merchant's
-- currency, and the dish names one per line (for `search_text`). Every menu write rebuilds
-- the merchant's `menu_document` and `search_text` from it.
create function catalog.menu_document(p_merchant uuid)
returns table (document json, dish_names text)
language sql stable parallel safe
as $$
    with options as (
        select o.group_id, json_agg(json_build_object(
                   'id', o.id,
                   'name', o.name,
                   'priceDelta', json_build_object('amountMinor', o.price_delta_minor, 'currency', m.currency),
                   'available', o.available
               ) order by o.position, o.id) as list
        from catalog.menu_options o
        join catalog.merchants m on m.id = o.merchant_id
        where o.merchant_id = p_merchant
        group by o.group_id
    ), groups as (
        select g.item_id, json_agg(json_build_object(
                   'id', g.id,
                   'name', g.name,
                   'minSelections', g.min_selections,
                   'maxSelections', g.max_selections,
                   'options', coalesce(options.list, '[]')
               ) order by g.position, g.id) as list
        from catalog.option_groups g
        left join options on options.group_id = g.id
        where g.merchant_id = p_merchant
        group by g.item_id
    ), items as (
        select i.section_id,
               json_agg(json_build_object(
                   'id', i.id,
                   'name', i.name,
                   'description', i.description,
                   'price', json_build_object('amountMinor', i.price_minor, 'currency', m.currency),
                   'taxClass', i.tax_class,
                   'dietaryTags', i.dietary_tags,
                   'imageUrl', i.image_url,
                   'available', i.available,
                   'optionGroups', coalesce(groups.list, '[]')
               ) order by i.position, i.id) as list,
               string_agg(i.name, E'\n' order by i.position, i.id) as names
        from catalog.menu_items i
        join catalog.merchants m on m.id = i.merchant_id
        left join groups on groups.item_id = i.id
        where i.merchant_id = p_merchant
        group by i.section_id
    )
    select json_agg(json_build_object(
               'id', s.id,
               'name', s.name,
               'position', s.position,
               'items', coalesce(items.list, '[]')
           ) order by s.position, s.id),
           string_agg(items.names, E'\n' order by s.position, s.id)
    from catalog.menu_sections s
    left join items on items.section_id = s.id
    where s.merchant_id = p_merchant
    group by s.merchant_id
$$;
