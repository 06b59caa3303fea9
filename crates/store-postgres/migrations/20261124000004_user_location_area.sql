-- Where the customer's reported position is served from (resolved by geography).
alter table identity.users
    add column location_deliverable  boolean,
    add column location_country_code text,
    add column location_city_id      uuid;
