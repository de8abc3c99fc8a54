-- depot schema 2: verification, holds, shipments, shipping reminders, rules and blacklists,
-- the geocoder account and bulk shipment imports.

-- Promised ship times (SHP-4), per merchant and per platform (a JSON object of hours).
ALTER TABLE tenant_settings ADD COLUMN ship_sla_hours INTEGER NOT NULL DEFAULT 48;
ALTER TABLE tenant_settings ADD COLUMN ship_due_soon_hours INTEGER NOT NULL DEFAULT 4;
ALTER TABLE tenant_settings ADD COLUMN ship_escalate_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE tenant_settings ADD COLUMN ship_sla_hours_by_platform TEXT NOT NULL DEFAULT '{}';

-- The divisions an address was found in, why an order is held (a JSON array of
-- {code, message, field, rule_id}), which checks an operator overrode (a JSON array of codes),
-- and when it must ship. awaiting_due_at repeats ship_due_at only while the order still waits to
-- ship, so the reminder sweep walks a small index.
ALTER TABLE orders ADD COLUMN province_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN city_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN district_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN hold_reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE orders ADD COLUMN overrides TEXT NOT NULL DEFAULT '[]';
ALTER TABLE orders ADD COLUMN ship_due_at INTEGER;
ALTER TABLE orders ADD COLUMN reminder TEXT NOT NULL DEFAULT 'none';
ALTER TABLE orders ADD COLUMN awaiting_due_at INTEGER;
CREATE INDEX orders_awaiting_due ON orders (tenant_id, awaiting_due_at, id)
  WHERE awaiting_due_at IS NOT NULL;

-- Which orders are held for which reason, one row per order and code: lists by hold reason walk
-- the code's index newest first, as lists by SKU walk order_skus.
CREATE TABLE order_hold_codes (
  tenant_id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  code TEXT NOT NULL,
  PRIMARY KEY (tenant_id, order_id, code)
) WITHOUT ROWID;
CREATE INDEX order_hold_codes_code ON order_hold_codes (tenant_id, code, order_id);

-- Alerts about an order (a held order) beside those about a SKU: one open alert per kind, SKU
-- and order.
ALTER TABLE alerts ADD COLUMN order_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN message TEXT NOT NULL DEFAULT '';
DROP INDEX alerts_open;
CREATE UNIQUE INDEX alerts_open ON alerts (tenant_id, kind, sku, order_id) WHERE closed_at IS NULL;

-- Parcels (SHP-3). One tracking number is one parcel of an order, however often it is confirmed.
CREATE TABLE shipments (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  carrier TEXT NOT NULL,
  tracking_no TEXT NOT NULL,
  shipped_at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX shipments_order ON shipments (tenant_id, order_id, tracking_no);

CREATE TABLE shipment_lines (
  tenant_id INTEGER NOT NULL,
  shipment_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, shipment_id, sku)
) WITHOUT ROWID;

-- Merchants' rules for abnormal orders (SHP-2): data, versioned so compiled forms are cached per
-- version.
CREATE TABLE rules (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  expression TEXT NOT NULL,
  message TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE blacklist (
  tenant_id INTEGER NOT NULL,
  list TEXT NOT NULL,
  value TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, list, value)
) WITHOUT ROWID;

-- The merchant's Amap-protocol geocoder account, when one is configured.
CREATE TABLE geocoder_accounts (
  tenant_id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  key TEXT NOT NULL
);

-- Bulk shipment imports (SHP-5): the job and its rows, stored when the file is accepted so that an
-- import survives a restart and resumes where it stopped.
CREATE TABLE shipment_imports (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  status TEXT NOT NULL,
  total INTEGER NOT NULL,
  applied INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  actor TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX shipment_imports_unfinished ON shipment_imports (tenant_id, id)
  WHERE status <> 'finished';

CREATE TABLE shipment_import_rows (
  tenant_id INTEGER NOT NULL,
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  order_no TEXT NOT NULL,
  carrier TEXT NOT NULL,
  tracking_no TEXT NOT NULL,
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  outcome TEXT NOT NULL,     -- pending, applied, unchanged, failed
  column_name TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (tenant_id, import_id, seq)
) WITHOUT ROWID;
