-- A list of one status within a date range, in creation order (the console's and the API's usual
-- question), reads only the rows of its page, however large the store.
CREATE INDEX orders_status_created ON orders (tenant_id, status, created_at, id);
