-- depot schema 1. Every merchant-owned table is keyed by tenant_id first, so the data can be
-- split by merchant; ids are allocated by the store's single writer.

CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE tenant_settings (
  tenant_id INTEGER PRIMARY KEY,
  edit_window_seconds INTEGER NOT NULL,
  unpaid_timeout_seconds INTEGER NOT NULL,
  currency TEXT NOT NULL
);

-- Looked up by hash before the merchant is known, hence the one global unique key.
CREATE TABLE api_keys (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE warehouses (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);

CREATE TABLE locations (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  warehouse_id INTEGER NOT NULL,
  code TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, warehouse_id, code)
);

CREATE TABLE products (
  tenant_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  price INTEGER NOT NULL,
  currency TEXT NOT NULL,
  barcode TEXT NOT NULL,
  attributes TEXT NOT NULL,
  weight_grams INTEGER NOT NULL,
  low_stock_threshold INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, sku)
) WITHOUT ROWID;

CREATE TABLE product_images (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  file_name TEXT NOT NULL UNIQUE,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX product_images_sku ON product_images (tenant_id, sku, id);

CREATE TABLE stock_balances (
  tenant_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  location_id INTEGER NOT NULL,
  on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
  reserved INTEGER NOT NULL CHECK (reserved >= 0 AND reserved <= on_hand),
  PRIMARY KEY (tenant_id, sku, location_id)
) WITHOUT ROWID;

CREATE TABLE stock_movements (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  location_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  on_hand_delta INTEGER NOT NULL,
  reserved_delta INTEGER NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  order_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX stock_movements_sku ON stock_movements (tenant_id, sku, id);

-- Order ids are unique across merchants, so the id is the rowid: reading an order by id is one
-- b-tree descent; every query still names the tenant, and (tenant_id, id) is indexed for lists.
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  order_no TEXT NOT NULL,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  currency TEXT NOT NULL,
  total INTEGER NOT NULL,
  paid_amount INTEGER NOT NULL,
  refund_due INTEGER NOT NULL,
  customer_name TEXT NOT NULL,
  customer_phone TEXT NOT NULL,
  customer_email TEXT NOT NULL,
  customer_wechat_openid TEXT NOT NULL,
  customer_device_token TEXT NOT NULL,
  customer_channels TEXT NOT NULL,
  province TEXT NOT NULL,
  city TEXT NOT NULL,
  district TEXT NOT NULL,
  detail TEXT NOT NULL,
  postcode TEXT NOT NULL,
  platform TEXT,
  external_no TEXT,
  notes TEXT NOT NULL,
  hold_reason TEXT NOT NULL,
  idempotency_key TEXT,
  fingerprint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX orders_tenant_id ON orders (tenant_id, id);
CREATE UNIQUE INDEX orders_order_no ON orders (tenant_id, order_no);
CREATE UNIQUE INDEX orders_idempotency_key ON orders (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX orders_external_no ON orders (tenant_id, platform, external_no)
  WHERE external_no IS NOT NULL;
CREATE INDEX orders_status ON orders (tenant_id, status, id);
CREATE INDEX orders_phone ON orders (tenant_id, customer_phone, id);
CREATE INDEX orders_created ON orders (tenant_id, created_at, id);

CREATE TABLE order_lines (
  tenant_id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  unit_price INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, order_id, line_no)
) WITHOUT ROWID;

-- Which orders hold a SKU, once per order however many lines name it: lists by SKU walk this key
-- newest first and stop at the page size.
CREATE TABLE order_skus (
  tenant_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  order_id INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, sku, order_id)
) WITHOUT ROWID;

-- Orders per status, kept with every change of status: the console's tabs read them without
-- counting a merchant's whole history.
CREATE TABLE order_status_counts (
  tenant_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  orders INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, status)
) WITHOUT ROWID;

CREATE TABLE order_reservations (
  tenant_id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  location_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, order_id, sku, location_id)
) WITHOUT ROWID;

CREATE TABLE order_history (
  tenant_id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, order_id, seq)
) WITHOUT ROWID;

CREATE TABLE payments (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  method TEXT NOT NULL,
  reference TEXT NOT NULL,
  paid_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX payments_order ON payments (tenant_id, order_id, reference);

CREATE TABLE alerts (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  sku TEXT NOT NULL,
  available INTEGER NOT NULL,
  threshold INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  closed_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX alerts_open ON alerts (tenant_id, kind, sku) WHERE closed_at IS NULL;

-- Idempotency keys of requests other than order creation (stock receipts, adjustments,
-- transfers): a retry with the same key and body does nothing again.
CREATE TABLE request_keys (
  tenant_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;

-- The outbox: written with the change that caused each event.
CREATE TABLE events (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  type TEXT NOT NULL,
  order_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  data TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
