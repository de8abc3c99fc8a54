-- depot schema 8: rollups for reports, kept in the same transaction as each change.
--
-- Each row is keyed by a day in the merchant's time zone ('YYYY-MM-DD', tenant_settings
-- .utc_offset_minutes) and holds counts and sums that add up over days. What each column counts is
-- defined once, in src/domain/rollups.h (docs/reports.md in prose); the store adds a change's
-- rollups(after) - rollups(before) to them. Rows whose values all return to 0 are deleted.

-- By the order's creation day: orders not cancelled, their totals and refunds, and every order by
-- its current status (one column per status).
CREATE TABLE order_days (
  tenant_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  orders INTEGER NOT NULL,
  gmv INTEGER NOT NULL,
  refunded INTEGER NOT NULL,
  pending_payment INTEGER NOT NULL,
  awaiting_shipment INTEGER NOT NULL,
  partially_shipped INTEGER NOT NULL,
  shipped INTEGER NOT NULL,
  delivered INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  on_hold INTEGER NOT NULL,
  cancelled INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day)
) WITHOUT ROWID;

-- By creation day and SKU, over orders not cancelled (forecasts read these too).
CREATE TABLE sku_days (
  tenant_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  day TEXT NOT NULL,
  units INTEGER NOT NULL,
  revenue INTEGER NOT NULL,
  orders INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, sku, day)
) WITHOUT ROWID;
-- A range of days without reading every day of every SKU; entries change only when a SKU's first
-- order of a day arrives (or its last goes).
CREATE INDEX sku_days_day ON sku_days (tenant_id, day);

-- The same per customer phone (orders with a phone), for repurchase predictions. Keyed by phone,
-- so nearly every order inserts a row at a random place: the dearest rollup to keep (docs/reports.md
-- measures it). No index by day: its readers walk the key (store/sqlite/sqlite_reports_forecast.cpp),
-- and one would cost each creation about 3 µs more.
CREATE TABLE customer_sku_days (
  tenant_id INTEGER NOT NULL,
  phone TEXT NOT NULL,
  sku TEXT NOT NULL,
  day TEXT NOT NULL,
  units INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, phone, sku, day)
) WITHOUT ROWID;

-- By the day an order's last unit left.
CREATE TABLE ship_days (
  tenant_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  shipped INTEGER NOT NULL,
  promised INTEGER NOT NULL,
  on_time INTEGER NOT NULL,
  ship_seconds INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day)
) WITHOUT ROWID;

-- By delivery day and carrier, parcels the merchant sent.
CREATE TABLE carrier_days (
  tenant_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  carrier TEXT NOT NULL,
  delivered INTEGER NOT NULL,
  transit_seconds INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day, carrier)
) WITHOUT ROWID;

-- By the day a delivery was planned, and channel: outcomes once final.
CREATE TABLE notification_days (
  tenant_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  channel TEXT NOT NULL,
  succeeded INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day, channel)
) WITHOUT ROWID;

-- By the day each was made: return and exchange requests, complaints, delivery feedback.
CREATE TABLE after_sales_days (
  tenant_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  returns INTEGER NOT NULL,
  exchanges INTEGER NOT NULL,
  complaints INTEGER NOT NULL,
  feedback INTEGER NOT NULL,
  rating_sum INTEGER NOT NULL,
  damaged INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day)
) WITHOUT ROWID;

-- Merchants whose rollups are to be rebuilt from the raw tables: every merchant with history when
-- this schema arrives. The store rebuilds them when it opens (store/sqlite/sqlite_rollups.cpp).
CREATE TABLE rollup_rebuilds (
  tenant_id INTEGER PRIMARY KEY
);
INSERT INTO rollup_rebuilds (tenant_id) SELECT id FROM tenants;
