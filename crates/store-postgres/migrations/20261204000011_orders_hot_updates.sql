-- An order changes status about six times. Such an update can be a heap-only (HOT) update —
-- no new entry in any of the order's seven indexes — only if no indexed column changes and
-- the page has room for the new version. The sweep's index covered `updated_at` and, in its
-- predicate, `status` and `courier_id`, so every status change wrote to every index.
--
-- Now the sweep indexes a generated column that changes only when an order starts or stops
-- waiting for a courier, and pages keep a quarter free for new versions (rows are about
-- 2 kB). Being generated, the column is right whatever writes the order (processes of the
-- earlier version during an upgrade included); their sweep still works, unindexed.
alter table ordering.orders set (fillfactor = 75);

-- When the order became ready for pickup without a courier; null otherwise.
alter table ordering.orders add column awaiting_courier_since timestamptz
    generated always as (
        case when status = 'ready_for_pickup' and courier_id is null then updated_at end
    ) stored;

drop index ordering.orders_awaiting_courier_idx;
create index orders_awaiting_courier_idx on ordering.orders
    (dispatch_attempted_at nulls first, awaiting_courier_since, id)
    where awaiting_courier_since is not null;
