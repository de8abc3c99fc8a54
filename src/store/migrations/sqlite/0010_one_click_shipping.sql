-- depot schema 10: one-click shipping. Electronic waybills bought from the aggregator for each
-- parcel (with their labels), batch shipping jobs, and the sender address of each warehouse.

-- The merchant's waybill account: the aggregator's URL, key and secret, and per carrier the
-- account fields (JSON object of objects) the aggregator passes on to that carrier.
CREATE TABLE waybill_accounts (
  tenant_id INTEGER NOT NULL PRIMARY KEY,
  url TEXT NOT NULL,
  key TEXT NOT NULL,
  secret TEXT NOT NULL,
  carriers TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- One waybill per parcel: parcel_key is the `orderId` sent to the aggregator, unique so that a
-- retry finds the waybill it already asked for instead of buying a second one.
CREATE TABLE waybills (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  parcel INTEGER NOT NULL,
  parcel_key TEXT NOT NULL,
  carrier TEXT NOT NULL,
  status TEXT NOT NULL,  -- requested, issued, failed, cancelled
  tracking_no TEXT NOT NULL,
  provider_order_no TEXT NOT NULL,
  label_format TEXT NOT NULL,
  error TEXT NOT NULL,
  batch_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, parcel_key)
);
CREATE INDEX waybills_by_order ON waybills (tenant_id, order_id);

-- Labels are kept apart from the waybills so that the rows read to plan and list stay narrow.
CREATE TABLE waybill_labels (
  tenant_id INTEGER NOT NULL,
  waybill_id INTEGER NOT NULL,
  format TEXT NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (tenant_id, waybill_id)
);

CREATE TABLE shipment_batches (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  carrier TEXT NOT NULL,
  status TEXT NOT NULL,  -- queued, running, finished
  total INTEGER NOT NULL,
  shipped INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  actor TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);

-- A batch's orders, each once, in the order given (seq).
CREATE TABLE shipment_batch_orders (
  tenant_id INTEGER NOT NULL,
  batch_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  outcome TEXT NOT NULL,  -- pending, shipped, skipped, failed
  reasons TEXT NOT NULL,  -- JSON array of strings
  tracking_no TEXT NOT NULL,
  PRIMARY KEY (tenant_id, batch_id, order_id)
) WITHOUT ROWID;

-- A warehouse's sender address: printed as sendMan, and the origin of its parcels' routes.
ALTER TABLE warehouses ADD COLUMN sender_name TEXT;
ALTER TABLE warehouses ADD COLUMN sender_phone TEXT;
ALTER TABLE warehouses ADD COLUMN sender_province TEXT;
ALTER TABLE warehouses ADD COLUMN sender_city TEXT;
ALTER TABLE warehouses ADD COLUMN sender_district TEXT;
ALTER TABLE warehouses ADD COLUMN sender_detail TEXT;
