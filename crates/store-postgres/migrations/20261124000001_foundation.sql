-- Foundation: one schema per bounded context, plus the platform schema for the outbox.
create schema if not exists platform;
create schema if not exists geo;
create schema if not exists identity;

-- Domain events written in the same transaction as the change that raised them.
create table platform.outbox (
    id              uuid primary key,
    topic           text        not null,
    payload         jsonb       not null,
    occurred_at     timestamptz not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    published_at    timestamptz,
    last_error      text
);
create index outbox_pending_idx on platform.outbox (next_attempt_at) where published_at is null;

-- Countries the marketplace serves. The launch markets are reference data, present in
-- every environment (production included); more are added by operators.
create table geo.countries (
    code     text primary key check (code ~ '^[A-Z]{2}$'),
    name     text    not null,
    currency text    not null check (currency ~ '^[A-Z]{3}$'),
    enabled  boolean not null default true
);
insert into geo.countries (code, name, currency) values
    ('US', 'United States', 'USD'),
    ('DE', 'Germany', 'EUR'),
    ('JP', 'Japan', 'JPY'),
    ('KW', 'Kuwait', 'KWD');

create table identity.users (
    id                  uuid primary key,
    email               text        not null,
    password_hash       text        not null,
    name                text        not null,
    phone               text,
    country_code        text        not null,
    locale              text        not null,
    roles               text[]      not null default '{customer}',
    location_lat        double precision,
    location_lng        double precision,
    location_accuracy_m double precision,
    location_updated_at timestamptz,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    constraint users_email_key unique (email)
);

create table identity.preferences (
    user_id          uuid primary key references identity.users (id) on delete cascade,
    language         text        not null,
    dietary_tags     text[]      not null default '{}',
    marketing_opt_in boolean     not null,
    notify_push      boolean     not null,
    notify_email     boolean     not null,
    notify_sms       boolean     not null,
    notify_in_app    boolean     not null,
    updated_at       timestamptz not null
);

-- Merchant staff memberships; merchant ids refer to the catalog context (no cross-schema FK).
create table identity.staff_memberships (
    user_id     uuid not null references identity.users (id) on delete cascade,
    merchant_id uuid not null,
    primary key (user_id, merchant_id)
);

create table identity.sessions (
    id                uuid primary key,
    user_id           uuid        not null references identity.users (id) on delete cascade,
    created_at        timestamptz not null,
    expires_at        timestamptz not null,
    last_refreshed_at timestamptz,
    revoked_at        timestamptz
);
create index sessions_user_live_idx on identity.sessions (user_id) where revoked_at is null;

-- Refresh tokens are stored as SHA-256 digests; a spent one is kept to detect reuse.
create table identity.refresh_tokens (
    token_hash bytea primary key,
    session_id uuid        not null references identity.sessions (id) on delete cascade,
    created_at timestamptz not null,
    spent_at   timestamptz
);
create index refresh_tokens_session_idx on identity.refresh_tokens (session_id);

create table identity.addresses (
    id           uuid primary key,
    user_id      uuid             not null references identity.users (id) on delete cascade,
    label        text             not null,
    line1        text             not null,
    line2        text,
    city         text             not null,
    postal_code  text,
    country_code text             not null,
    lat          double precision not null,
    lng          double precision not null,
    instructions text,
    is_default   boolean          not null default false,
    created_at   timestamptz      not null,
    updated_at   timestamptz      not null
);
create index addresses_user_idx on identity.addresses (user_id, created_at desc);
create unique index addresses_one_default_idx on identity.addresses (user_id) where is_default;

-- Failed-login counters (fixed windows), shared by every server process.
create table identity.login_failures (
    key               text primary key,
    window_started_at timestamptz not null,
    failures          integer     not null
);
