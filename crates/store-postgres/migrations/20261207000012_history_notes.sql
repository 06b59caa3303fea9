-- A status change may carry its actor's own words (a cancellation's note beside the reason
-- code) and, on acceptance, the preparation time the merchant expects, which the
-- customer's tracking ETA counts down from. Both optional: earlier rows and processes of
-- the earlier version write neither.
alter table ordering.order_status_history
    add column note text check (char_length(note) <= 500),
    add column estimated_prep_minutes smallint
        check (estimated_prep_minutes between 1 and 180);
