-- Every change that ends or narrows what a signed-in user may do is announced on the
-- `mercato_access` channel (payload: the user's id), on commit: a session revoked, a role
-- or a staff membership changed, a user removed. Server processes cache the principals of
-- live sessions and forget a user's on hearing this; being triggers, the announcements
-- cannot be forgotten by any code path, nor by an operator's SQL.
--
-- Deleting a session needs none: only sessions already revoked (announced then) or expired
-- (the caches age out) are deleted.
create function identity.announce_access_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('mercato_access',
        (case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end) ->> tg_argv[0]);
    return null;
end
$$;

create trigger sessions_revoked after update of revoked_at on identity.sessions
    for each row when (new.revoked_at is not null and old.revoked_at is null)
    execute function identity.announce_access_change('user_id');

create trigger staff_memberships_changed after insert or update or delete
    on identity.staff_memberships
    for each row execute function identity.announce_access_change('user_id');

create trigger users_access_changed after update of roles on identity.users
    for each row when (new.roles is distinct from old.roles)
    execute function identity.announce_access_change('id');

create trigger users_removed after delete on identity.users
    for each row execute function identity.announce_access_change('id');
