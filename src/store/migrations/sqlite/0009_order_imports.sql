-- depot schema 9: bulk imports of orders (INT-2). They share the shipment imports' jobs, their
-- progress and their runner; `kind` tells the two apart, and each keeps its rows in its own table.

ALTER TABLE shipment_imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'shipments';

-- One row of an order file: one line of one order, stored when the file is accepted so that an
-- import survives a restart and resumes where it stopped.
CREATE TABLE order_import_rows (
  tenant_id INTEGER NOT NULL,
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  platform TEXT NOT NULL,
  external_no TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  phone TEXT NOT NULL,
  email TEXT NOT NULL,
  province TEXT NOT NULL,
  city TEXT NOT NULL,
  district TEXT NOT NULL,
  detail TEXT NOT NULL,
  postcode TEXT NOT NULL,
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  unit_price INTEGER NOT NULL,
  paid INTEGER NOT NULL,
  notes TEXT NOT NULL,
  outcome TEXT NOT NULL,     -- pending, applied, unchanged, failed
  column_name TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (tenant_id, import_id, seq)
) WITHOUT ROWID;
