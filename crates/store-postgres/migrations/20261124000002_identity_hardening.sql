-- Identity hardening: attempts counted before the secret is checked, outbox leases and dead
-- letters, and the indexes the hourly purge of stale rows needs.

-- The throttle counts attempts (not only failures) and stores when each key's window ends,
-- so one upsert can restart an ended window whatever the rule's length.
alter table identity.login_failures rename column failures to attempts;
alter table identity.login_failures add column window_ends_at timestamptz;
-- Counters from before this migration used the default 15-minute window.
update identity.login_failures set window_ends_at = window_started_at + interval '15 minutes';
alter table identity.login_failures alter column window_ends_at set not null;
create index login_failures_window_ends_idx on identity.login_failures (window_ends_at);

-- Sessions ended long ago are purged.
create index sessions_expires_idx on identity.sessions (expires_at);
create index sessions_revoked_idx on identity.sessions (revoked_at) where revoked_at is not null;

-- The dispatcher claims events with a short lease instead of holding a transaction open
-- while handlers run; an event that keeps failing is set aside as dead.
alter table platform.outbox add column locked_until timestamptz;
alter table platform.outbox add column dead_at timestamptz;
drop index platform.outbox_pending_idx;
create index outbox_pending_idx on platform.outbox (next_attempt_at)
    where published_at is null and dead_at is null;
create index outbox_published_idx on platform.outbox (published_at)
    where published_at is not null;
