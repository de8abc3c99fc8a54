-- depot schema 14: customer_sku_days keyed by day first.
--
-- Keyed by phone (schema 8), nearly every order inserted its rows at a random place in the table,
-- dirtying a page no other order of its commit touched: the dearest part of an order's creation
-- after the order itself (docs/benchmarks.md). Keyed by day, a day's purchases sit together at the
-- end of the merchant's rows, on pages the whole commit shares. The readers follow: the
-- repurchase list sorts the range it reads, and one customer's purchases are read from the orders
-- by phone (store/sqlite/sqlite_reports_forecast.cpp).
CREATE TABLE customer_sku_days_by_day (
  tenant_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  phone TEXT NOT NULL,
  sku TEXT NOT NULL,
  units INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day, phone, sku)
) WITHOUT ROWID;

INSERT INTO customer_sku_days_by_day (tenant_id, day, phone, sku, units)
  SELECT tenant_id, day, phone, sku, units FROM customer_sku_days;
DROP TABLE customer_sku_days;
ALTER TABLE customer_sku_days_by_day RENAME TO customer_sku_days;
