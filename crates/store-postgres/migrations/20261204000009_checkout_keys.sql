-- Checkout stores its idempotency key in the statement that stores the order, so keys are no
-- longer held "in flight" while a request runs. Keys that an earlier version left in flight
-- (its request died, or was running during the upgrade) are dropped: such a request, should
-- it still finish, finds its key gone and places nothing; a retry starts afresh. (The column
-- keeps its default: processes of the earlier version may still be running, and hold keys.)
delete from ordering.idempotency_keys where state = 'in_flight';
