-- Carts count their lines, number their positions and count their changes on the cart row,
-- so that adding a line is one statement: its update of the cart waits for a concurrent
-- change, then re-checks the line limit on the row as that change left it; and the revision
-- tells whether the lines the statement read were the latest.
alter table ordering.carts
    add column line_count    integer not null default 0,
    add column last_position integer not null default 0,
    add column revision      bigint  not null default 0;

update ordering.carts c
set line_count = l.n, last_position = l.last
from (select cart_id, count(*)::integer as n, max(position) as last
      from ordering.cart_items group by cart_id) l
where l.cart_id = c.id;
