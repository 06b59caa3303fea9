-- Every change that ends or narrows what a signed-in user may do is announced on the
-- `mercato_access` channel (payload: the user's id; `*` when every user may be concerned),
-- on commit: a session revoked, cut short, moved or deleted while live; a role or a staff
-- membership changed; a user removed; any of these tables truncated. Server processes cache
-- the principals of live sessions and forget a user's on hearing this; being triggers, the
-- announcements are made whatever writes the rows, an operator's SQL included.
create function identity.announce_access_change() returns trigger
language plpgsql as $$
begin
    if tg_level = 'STATEMENT' then
        perform pg_notify('mercato_access', '*');
    elsif tg_op = 'INSERT' then
        perform pg_notify('mercato_access', to_jsonb(new) ->> tg_argv[0]);
    elsif tg_op = 'DELETE' then
        perform pg_notify('mercato_access', to_jsonb(old) ->> tg_argv[0]);
    else
        -- Whoever had the row, and whoever has it now (announced once if the same).
        perform pg_notify('mercato_access', to_jsonb(old) ->> tg_argv[0]);
        perform pg_notify('mercato_access', to_jsonb(new) ->> tg_argv[0]);
    end if;
    return null;
end
$$;

create trigger sessions_ended after update on identity.sessions
    for each row when (old.revoked_at is distinct from new.revoked_at
                       or old.user_id is distinct from new.user_id
                       or new.expires_at < old.expires_at)
    execute function identity.announce_access_change('user_id');

-- Deleting ended sessions (the purge) needs no announcement.
create trigger sessions_deleted after delete on identity.sessions
    for each row when (old.revoked_at is null and old.expires_at > now())
    execute function identity.announce_access_change('user_id');

create trigger staff_memberships_changed after insert or update or delete
    on identity.staff_memberships
    for each row execute function identity.announce_access_change('user_id');

create trigger users_access_changed after update on identity.users
    for each row when (old.roles is distinct from new.roles or old.id is distinct from new.id)
    execute function identity.announce_access_change('id');

create trigger users_removed after delete on identity.users
    for each row execute function identity.announce_access_change('id');

create trigger sessions_truncated after truncate on identity.sessions
    for each statement execute function identity.announce_access_change();
create trigger staff_memberships_truncated after truncate on identity.staff_memberships
    for each statement execute function identity.announce_access_change();
create trigger users_truncated after truncate on identity.users
    for each statement execute function identity.announce_access_change();
