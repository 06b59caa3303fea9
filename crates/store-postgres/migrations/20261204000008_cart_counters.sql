-- Carts count their lines, remember their last line's position and count their changes on
-- the cart row, so that adding a line is one statement: its update of the cart waits for a
-- concurrent change, then re-checks the line limit on the row as that change left it; and
-- the revision tells whether the lines the statement read were the latest.
--
-- The line count and last position are kept by triggers on the lines, so they stay right
-- whatever writes the lines (processes of the earlier version during an upgrade included).
-- Writers of carts and lines (processes of the earlier version) wait until this commits.
lock table ordering.carts, ordering.cart_items in share row exclusive mode;

alter table ordering.carts
    add column line_count    integer not null default 0,
    add column last_position integer not null default 0,
    add column revision      bigint  not null default 0;

create function ordering.count_cart_lines() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        update ordering.carts
        set line_count = line_count + 1, last_position = greatest(last_position, new.position)
        where id = new.cart_id;
    else
        update ordering.carts set line_count = line_count - 1 where id = old.cart_id;
    end if;
    return null;
end
$$;

-- Created before the counts are filled in (and nothing writes lines until this commits), so
-- no line is counted twice or missed.
create trigger cart_lines_counted after insert or delete on ordering.cart_items
    for each row execute function ordering.count_cart_lines();

update ordering.carts c
set line_count = l.n, last_position = l.last
from (select cart_id, count(*)::integer as n, max(position) as last
      from ordering.cart_items group by cart_id) l
where l.cart_id = c.id;
