-- A status change may carry its actor's own words (a cancellation's note beside the reason
-- code) and, on acceptance, the preparation time the merchant expects, which the
-- customer's tracking ETA counts down from. Both optional: earlier rows and processes of
-- the earlier version write neither.
--
-- The checks are added `not valid` and validated apart: adding a column without a default
-- rewrites nothing, and validating takes no lock that blocks writers, so status changes go
-- on while the largest ordering table is checked.
alter table ordering.order_status_history
    add column note text,
    add column estimated_prep_minutes smallint;
alter table ordering.order_status_history
    add constraint order_status_history_note_length check (char_length(note) <= 500) not valid,
    add constraint order_status_history_prep_minutes
        check (estimated_prep_minutes between 1 and 180) not valid;
alter table ordering.order_status_history validate constraint order_status_history_note_length;
alter table ordering.order_status_history validate constraint order_status_history_prep_minutes;

-- A merchant's order queue (`GET /api/merchants/{id}/orders`) pages newest first by
-- (created_at, id); the statistics read ranges of created_at, which this index serves too.
create index orders_merchant_queue_idx on ordering.orders (merchant_id, created_at desc, id desc);
drop index ordering.orders_merchant_created_idx;
