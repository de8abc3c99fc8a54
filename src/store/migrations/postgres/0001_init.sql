-- depot's PostgreSQL schema, version 1 of its own numbered migrations: the same tables, columns,
-- keys and indexes as the SQLite schema, so that the store's shared SQL runs on either.
--
-- Integers (ids, counts, cents, millisecond times, 0/1 flags) are BIGINT because the code binds
-- and reads them as 64-bit integers, flags included. Text compares and sorts by bytes, as in
-- SQLite, hence COLLATE "C" on every TEXT column whatever the database's own collation.
-- Merchant-owned tables lead their keys with tenant_id so the data can be split by merchant; the
-- exceptions are keys looked up before the merchant is known, and the global ids of orders, the
-- audit log and integrations.
--
-- Ids are chosen by the store, never by a column default: the store draws them from the
-- <table>_id_seq sequences below.

CREATE TABLE tenants (
  id BIGINT PRIMARY KEY,
  slug TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE SEQUENCE tenants_id_seq;

-- Lists (channels, events, contacts) and per-platform, per-carrier and per-SKU overrides are JSON
-- documents, read and written whole by the store.
CREATE TABLE tenant_settings (
  tenant_id BIGINT PRIMARY KEY,
  edit_window_seconds BIGINT NOT NULL,
  unpaid_timeout_seconds BIGINT NOT NULL,
  currency TEXT COLLATE "C" NOT NULL,
  ship_sla_hours BIGINT NOT NULL DEFAULT 48,
  ship_due_soon_hours BIGINT NOT NULL DEFAULT 4,
  ship_escalate_hours BIGINT NOT NULL DEFAULT 24,
  ship_sla_hours_by_platform TEXT COLLATE "C" NOT NULL DEFAULT '{}',
  notification_retry_base_ms BIGINT NOT NULL DEFAULT 30000,
  default_channels TEXT COLLATE "C" NOT NULL DEFAULT '["sms","wechat","push","email"]',
  notify_events TEXT COLLATE "C" NOT NULL
    DEFAULT '["order.held","shipment.created","order.cancelled"]',
  alert_contacts TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  public_url TEXT COLLATE "C" NOT NULL DEFAULT '',
  tracking_stall_hours BIGINT NOT NULL DEFAULT 48,
  tracking_stall_hours_by_carrier TEXT COLLATE "C" NOT NULL DEFAULT '{}',
  utc_offset_minutes BIGINT NOT NULL DEFAULT 480,
  reorder_lead_days BIGINT NOT NULL DEFAULT 7,
  reorder_lead_days_by_sku TEXT COLLATE "C" NOT NULL DEFAULT '{}',
  reorder_service_level DOUBLE PRECISION NOT NULL DEFAULT 0.95,
  reorder_review_days BIGINT NOT NULL DEFAULT 7
);

-- Signs the links to the public tracking page; one random key per merchant, never shown.
CREATE TABLE tenant_secrets (
  tenant_id BIGINT PRIMARY KEY,
  link_key TEXT COLLATE "C" NOT NULL
);

-- Looked up by hash before the merchant is known, hence the one global unique key.
CREATE TABLE api_keys (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  key_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  prefix TEXT COLLATE "C" NOT NULL,
  role TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE api_keys_id_seq;

-- A login names only the email, so an email is unique across all merchants.
CREATE TABLE users (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  email TEXT COLLATE "C" NOT NULL UNIQUE,
  role TEXT COLLATE "C" NOT NULL,
  password_hash TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  last_login_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE users_id_seq;

-- Only the SHA-256 of a session's token is kept; a request presents the token before its merchant
-- is known.
CREATE TABLE sessions (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  csrf_token TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id);
CREATE INDEX sessions_by_expiry ON sessions (tenant_id, expires_at);

-- The sender columns are a warehouse's sender address: printed on waybills, and the origin of its
-- parcels' routes. NULL until the merchant gives one.
CREATE TABLE warehouses (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  code TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  sender_name TEXT COLLATE "C",
  sender_phone TEXT COLLATE "C",
  sender_province TEXT COLLATE "C",
  sender_city TEXT COLLATE "C",
  sender_district TEXT COLLATE "C",
  sender_detail TEXT COLLATE "C",
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
CREATE SEQUENCE warehouses_id_seq;

CREATE TABLE locations (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  warehouse_id BIGINT NOT NULL,
  code TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, warehouse_id, code)
);
CREATE SEQUENCE locations_id_seq;

-- attributes is a JSON object.
CREATE TABLE products (
  tenant_id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  price BIGINT NOT NULL,
  currency TEXT COLLATE "C" NOT NULL,
  barcode TEXT COLLATE "C" NOT NULL,
  attributes TEXT COLLATE "C" NOT NULL,
  weight_grams BIGINT NOT NULL,
  low_stock_threshold BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, sku)
);

-- The file name is the image's public address, so it is unique across merchants.
CREATE TABLE product_images (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  file_name TEXT COLLATE "C" NOT NULL UNIQUE,
  content_type TEXT COLLATE "C" NOT NULL,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE product_images_id_seq;
CREATE INDEX product_images_sku ON product_images (tenant_id, sku, id);

CREATE TABLE stock_balances (
  tenant_id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  location_id BIGINT NOT NULL,
  on_hand BIGINT NOT NULL CHECK (on_hand >= 0),
  reserved BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, sku, location_id),
  CHECK (reserved >= 0 AND reserved <= on_hand)
);

CREATE TABLE stock_movements (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  location_id BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  on_hand_delta BIGINT NOT NULL,
  reserved_delta BIGINT NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  order_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE stock_movements_id_seq;
CREATE INDEX stock_movements_sku ON stock_movements (tenant_id, sku, id);

-- Order ids are unique across merchants, so an order is read by id alone; every query still names
-- the tenant, and (tenant_id, id) is indexed for lists.
--
-- hold_reasons is a JSON array of {code, message, field, rule_id} and overrides a JSON array of
-- the checks an operator overrode. awaiting_due_at repeats ship_due_at only while the order still
-- waits to ship, so the reminder sweep walks a small index.
CREATE TABLE orders (
  id BIGINT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  order_no TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  version BIGINT NOT NULL,
  currency TEXT COLLATE "C" NOT NULL,
  total BIGINT NOT NULL,
  paid_amount BIGINT NOT NULL,
  refund_due BIGINT NOT NULL,
  customer_name TEXT COLLATE "C" NOT NULL,
  customer_phone TEXT COLLATE "C" NOT NULL,
  customer_email TEXT COLLATE "C" NOT NULL,
  customer_wechat_openid TEXT COLLATE "C" NOT NULL,
  customer_device_token TEXT COLLATE "C" NOT NULL,
  customer_channels TEXT COLLATE "C" NOT NULL,
  province TEXT COLLATE "C" NOT NULL,
  city TEXT COLLATE "C" NOT NULL,
  district TEXT COLLATE "C" NOT NULL,
  detail TEXT COLLATE "C" NOT NULL,
  postcode TEXT COLLATE "C" NOT NULL,
  platform TEXT COLLATE "C",
  external_no TEXT COLLATE "C",
  notes TEXT COLLATE "C" NOT NULL,
  hold_reason TEXT COLLATE "C" NOT NULL,
  idempotency_key TEXT COLLATE "C",
  fingerprint TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  province_code TEXT COLLATE "C" NOT NULL DEFAULT '',
  city_code TEXT COLLATE "C" NOT NULL DEFAULT '',
  district_code TEXT COLLATE "C" NOT NULL DEFAULT '',
  hold_reasons TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  overrides TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  ship_due_at BIGINT,
  reminder TEXT COLLATE "C" NOT NULL DEFAULT 'none',
  awaiting_due_at BIGINT,
  customer_locale TEXT COLLATE "C" NOT NULL DEFAULT 'zh-CN',
  refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0)
);
CREATE SEQUENCE orders_id_seq;
CREATE UNIQUE INDEX orders_tenant_id ON orders (tenant_id, id);
CREATE UNIQUE INDEX orders_order_no ON orders (tenant_id, order_no);
CREATE UNIQUE INDEX orders_idempotency_key ON orders (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX orders_external_no ON orders (tenant_id, platform, external_no)
  WHERE external_no IS NOT NULL;
CREATE INDEX orders_status ON orders (tenant_id, status, id);
CREATE INDEX orders_phone ON orders (tenant_id, customer_phone, id);
CREATE INDEX orders_created ON orders (tenant_id, created_at, id);
CREATE INDEX orders_awaiting_due ON orders (tenant_id, awaiting_due_at, id)
  WHERE awaiting_due_at IS NOT NULL;

CREATE TABLE order_lines (
  tenant_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, order_id, line_no)
);

-- Which orders hold a SKU, once per order however many lines name it: lists by SKU walk this key
-- newest first and stop at the page size.
CREATE TABLE order_skus (
  tenant_id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  order_id BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, sku, order_id)
);

-- Orders per status, kept with every change of status: the console's tabs read them without
-- counting a merchant's whole history.
CREATE TABLE order_status_counts (
  tenant_id BIGINT NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  orders BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, status)
);

CREATE TABLE order_reservations (
  tenant_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  location_id BIGINT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, order_id, sku, location_id)
);

CREATE TABLE order_history (
  tenant_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  from_status TEXT COLLATE "C",
  to_status TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, order_id, seq)
);

-- Which orders are held for which reason, one row per order and code: lists by hold reason walk
-- the code's index newest first, as lists by SKU walk order_skus.
CREATE TABLE order_hold_codes (
  tenant_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  code TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, order_id, code)
);
CREATE INDEX order_hold_codes_code ON order_hold_codes (tenant_id, code, order_id);

CREATE TABLE payments (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  method TEXT COLLATE "C" NOT NULL,
  reference TEXT COLLATE "C" NOT NULL,
  paid_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE payments_id_seq;
CREATE INDEX payments_order ON payments (tenant_id, order_id, reference);

-- Alerts about a SKU (low stock) and about an order (a held order, sku ''): one open alert per
-- kind, SKU and order.
CREATE TABLE alerts (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  available BIGINT NOT NULL,
  threshold BIGINT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  order_id BIGINT NOT NULL DEFAULT 0,
  message TEXT COLLATE "C" NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE alerts_id_seq;
CREATE UNIQUE INDEX alerts_open ON alerts (tenant_id, kind, sku, order_id) WHERE closed_at IS NULL;

-- Idempotency keys of requests other than order creation (stock receipts, adjustments,
-- transfers): a retry with the same key and body does nothing again.
CREATE TABLE request_keys (
  tenant_id BIGINT NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

-- The outbox: written with the change that caused each event.
CREATE TABLE events (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  order_id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  data TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE events_id_seq;

-- Parcels. One tracking number is one parcel of an order, however often it is confirmed. A
-- shipment's id is its parcel's id, so shipments take their ids from parcels_id_seq and have no
-- sequence of their own.
CREATE TABLE shipments (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  carrier TEXT COLLATE "C" NOT NULL,
  tracking_no TEXT COLLATE "C" NOT NULL,
  shipped_at BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX shipments_order ON shipments (tenant_id, order_id, tracking_no);

CREATE TABLE shipment_lines (
  tenant_id BIGINT NOT NULL,
  shipment_id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, shipment_id, sku)
);

-- Merchants' rules for abnormal orders: data, versioned so compiled forms are cached per version.
CREATE TABLE rules (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  expression TEXT COLLATE "C" NOT NULL,
  message TEXT COLLATE "C" NOT NULL,
  enabled BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE rules_id_seq;

CREATE TABLE blacklist (
  tenant_id BIGINT NOT NULL,
  list TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  note TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, list, value)
);

-- The merchant's Amap-protocol geocoder account, when one is configured.
CREATE TABLE geocoder_accounts (
  tenant_id BIGINT PRIMARY KEY,
  url TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL
);

-- Bulk imports of shipments and of orders: the job and its rows, stored when the file is accepted
-- so that an import survives a restart and resumes where it stopped. `kind` tells the two apart;
-- each keeps its rows in its own table.
CREATE TABLE shipment_imports (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  total BIGINT NOT NULL,
  applied BIGINT NOT NULL,
  unchanged BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  kind TEXT COLLATE "C" NOT NULL DEFAULT 'shipments',
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE shipment_imports_id_seq;
CREATE INDEX shipment_imports_unfinished ON shipment_imports (tenant_id, id)
  WHERE status <> 'finished';

CREATE TABLE shipment_import_rows (
  tenant_id BIGINT NOT NULL,
  import_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  line BIGINT NOT NULL,
  order_no TEXT COLLATE "C" NOT NULL,
  carrier TEXT COLLATE "C" NOT NULL,
  tracking_no TEXT COLLATE "C" NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  quantity BIGINT NOT NULL,
  outcome TEXT COLLATE "C" NOT NULL,     -- pending, applied, unchanged, failed
  column_name TEXT COLLATE "C" NOT NULL,
  message TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, import_id, seq)
);

-- One row of an order file: one line of one order.
CREATE TABLE order_import_rows (
  tenant_id BIGINT NOT NULL,
  import_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  line BIGINT NOT NULL,
  platform TEXT COLLATE "C" NOT NULL,
  external_no TEXT COLLATE "C" NOT NULL,
  customer_name TEXT COLLATE "C" NOT NULL,
  phone TEXT COLLATE "C" NOT NULL,
  email TEXT COLLATE "C" NOT NULL,
  province TEXT COLLATE "C" NOT NULL,
  city TEXT COLLATE "C" NOT NULL,
  district TEXT COLLATE "C" NOT NULL,
  detail TEXT COLLATE "C" NOT NULL,
  postcode TEXT COLLATE "C" NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price BIGINT NOT NULL,
  paid BIGINT NOT NULL,
  notes TEXT COLLATE "C" NOT NULL,
  outcome TEXT COLLATE "C" NOT NULL,     -- pending, applied, unchanged, failed
  column_name TEXT COLLATE "C" NOT NULL,
  message TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, import_id, seq)
);

-- One account per merchant and channel; settings and provider templates as JSON objects.
CREATE TABLE channel_accounts (
  tenant_id BIGINT NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  url TEXT COLLATE "C" NOT NULL,
  settings TEXT COLLATE "C" NOT NULL,
  templates TEXT COLLATE "C" NOT NULL,
  sandbox BIGINT NOT NULL,
  disabled BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, channel)
);

-- A merchant's own templates; depot's defaults cover the rest.
CREATE TABLE notification_templates (
  tenant_id BIGINT NOT NULL,
  event TEXT COLLATE "C" NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  locale TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, event, channel, locale)
);

-- The last outbox event the dispatcher planned, per merchant: moved in the same transaction as
-- the deliveries it planned, so no event is planned twice or skipped.
CREATE TABLE dispatch_positions (
  tenant_id BIGINT PRIMARY KEY,
  after_event_id BIGINT NOT NULL
);

-- One delivery of one event to one recipient on one channel: the unit of retry, log and dedupe.
-- The message is rendered when planned, so the log shows exactly what was sent.
CREATE TABLE notifications (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  dedupe_key TEXT COLLATE "C" NOT NULL,
  event_id BIGINT NOT NULL,
  event TEXT COLLATE "C" NOT NULL,
  order_id BIGINT NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  recipient TEXT COLLATE "C" NOT NULL,
  audience TEXT COLLATE "C" NOT NULL,
  customer_phone TEXT COLLATE "C" NOT NULL,
  locale TEXT COLLATE "C" NOT NULL,
  template TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  html TEXT COLLATE "C" NOT NULL,
  link TEXT COLLATE "C" NOT NULL,
  variables TEXT COLLATE "C" NOT NULL,
  payload TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  attempts BIGINT NOT NULL,
  next_attempt_at BIGINT,
  last_error TEXT COLLATE "C" NOT NULL,
  provider_id TEXT COLLATE "C" NOT NULL,
  fallbacks TEXT COLLATE "C" NOT NULL,
  resend_of BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sent_at BIGINT,
  delivered_at BIGINT,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, dedupe_key)
);
CREATE SEQUENCE notifications_id_seq;
-- Deliveries with work left, per channel and soonest first: the sender claims each channel's due
-- deliveries on their own, so a slow channel (SMTP) cannot hold the places of a fast one
-- (webhooks), and the index stays as small as the backlog.
CREATE INDEX notifications_due_by_channel ON notifications (tenant_id, channel, next_attempt_at)
  WHERE next_attempt_at IS NOT NULL;
CREATE INDEX notifications_order ON notifications (tenant_id, order_id, id);
CREATE INDEX notifications_customer ON notifications (tenant_id, customer_phone, channel);

-- Every attempt, numbered from 1; an attempt a crash interrupted is logged as such and made again
-- under its number.
CREATE TABLE notification_attempts (
  tenant_id BIGINT NOT NULL,
  notification_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  n BIGINT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  outcome TEXT COLLATE "C" NOT NULL,
  response TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, notification_id, id)
);
CREATE SEQUENCE notification_attempts_id_seq;

-- Customer-service tickets. A dead notification opens at most one per event.
CREATE TABLE tickets (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  order_id BIGINT NOT NULL,
  event_id BIGINT NOT NULL,
  notification_id BIGINT NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  assignee TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE tickets_id_seq;
CREATE UNIQUE INDEX tickets_event ON tickets (tenant_id, kind, event_id) WHERE event_id > 0;
CREATE INDEX tickets_order ON tickets (tenant_id, order_id, id);

CREATE TABLE ticket_comments (
  tenant_id BIGINT NOT NULL,
  ticket_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  author TEXT COLLATE "C" NOT NULL,
  text TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, ticket_id, id)
);
CREATE SEQUENCE ticket_comments_id_seq;

-- What the sandbox provider "sent": a merchant trying depot reads each customer's message here.
CREATE TABLE sandbox_messages (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  notification_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  recipient TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  html TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE sandbox_messages_id_seq;
CREATE INDEX sandbox_messages_order ON sandbox_messages (tenant_id, order_id, id);

-- A merchant's account with the tracking aggregator. The callback token is the credential in the
-- push address depot gives the aggregator.
CREATE TABLE carrier_accounts (
  tenant_id BIGINT NOT NULL,
  provider TEXT COLLATE "C" NOT NULL,
  url TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  customer TEXT COLLATE "C" NOT NULL,
  salt TEXT COLLATE "C" NOT NULL,
  callback_token TEXT COLLATE "C" NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, provider)
);

-- The tracking state of every parcel: those the merchant sent (id = the shipment's id) and those
-- coming back (return_id > 0). `active` is 1 until the parcel is delivered or back with the
-- sender; the partial indexes keep each worker's sweep to the parcels it may act on.
CREATE TABLE parcels (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  return_id BIGINT NOT NULL DEFAULT 0,
  carrier TEXT COLLATE "C" NOT NULL,
  tracking_no TEXT COLLATE "C" NOT NULL,
  phone TEXT COLLATE "C" NOT NULL,
  origin TEXT COLLATE "C" NOT NULL,
  destination TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  active BIGINT NOT NULL,
  shipped_at BIGINT NOT NULL,
  last_update_at BIGINT NOT NULL,
  delivered_at BIGINT,
  eta_at BIGINT,
  eta_late_at BIGINT,
  eta_basis TEXT COLLATE "C" NOT NULL DEFAULT '',
  stalled_at BIGINT,
  stall_notified BIGINT NOT NULL DEFAULT 0,
  subscription TEXT COLLATE "C" NOT NULL,
  subscribe_attempts BIGINT NOT NULL DEFAULT 0,
  subscribe_error TEXT COLLATE "C" NOT NULL DEFAULT '',
  next_subscribe_at BIGINT,
  next_poll_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE parcels_id_seq;
CREATE INDEX parcels_order ON parcels (tenant_id, order_id, id);
CREATE INDEX parcels_number ON parcels (tenant_id, tracking_no);
CREATE INDEX parcels_subscribe ON parcels (tenant_id, next_subscribe_at)
  WHERE next_subscribe_at IS NOT NULL;
CREATE INDEX parcels_poll ON parcels (tenant_id, next_poll_at) WHERE next_poll_at IS NOT NULL;
CREATE INDEX parcels_quiet ON parcels (tenant_id, last_update_at, id)
  WHERE active = 1 AND stalled_at IS NULL;
-- Delivered parcels, newest first: the history ETAs are learnt from.
CREATE INDEX parcels_delivered ON parcels (tenant_id, delivered_at)
  WHERE delivered_at IS NOT NULL AND return_id = 0;

-- Checkpoints, deduplicated by time and text so a repeated push or poll adds nothing.
CREATE TABLE tracking_events (
  tenant_id BIGINT NOT NULL,
  parcel_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  text TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  location TEXT COLLATE "C" NOT NULL,
  raw_state TEXT COLLATE "C" NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, parcel_id, at, text)
);

-- Returns and exchanges. photos is a JSON array of URLs. The parcel coming back is one merchant's
-- return at a time, so a tracking update about it finds exactly one return.
CREATE TABLE returns (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('return', 'exchange')),
  status TEXT COLLATE "C" NOT NULL
    CHECK (status IN ('requested', 'approved', 'rejected', 'received')),
  reason TEXT COLLATE "C" NOT NULL,
  photos TEXT COLLATE "C" NOT NULL,
  decision_note TEXT COLLATE "C" NOT NULL,
  carrier TEXT COLLATE "C",
  tracking_no TEXT COLLATE "C",
  inspection_note TEXT COLLATE "C" NOT NULL,
  restocked BIGINT,          -- null until received; then 1 restocked, 0 written off
  location TEXT COLLATE "C" NOT NULL,
  replacement_order_id BIGINT,
  idempotency_key TEXT COLLATE "C",
  fingerprint TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  received_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE returns_id_seq;
CREATE INDEX returns_order ON returns (tenant_id, order_id, id);
CREATE INDEX returns_status ON returns (tenant_id, status, id);
CREATE UNIQUE INDEX returns_parcel ON returns (tenant_id, carrier, tracking_no)
  WHERE tracking_no IS NOT NULL;
CREATE UNIQUE INDEX returns_idempotency ON returns (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- The units coming back (replacement = 0) and, for an exchange, what goes out instead
-- (replacement = 1).
CREATE TABLE return_lines (
  tenant_id BIGINT NOT NULL,
  return_id BIGINT NOT NULL,
  replacement BIGINT NOT NULL CHECK (replacement IN (0, 1)),
  sku TEXT COLLATE "C" NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, return_id, replacement, sku)
);

-- Refunds: pending until the money went back.
CREATE TABLE refunds (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  return_id BIGINT,
  amount BIGINT NOT NULL CHECK (amount > 0),
  reason TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('pending', 'completed')),
  reference TEXT COLLATE "C" NOT NULL,
  idempotency_key TEXT COLLATE "C",
  fingerprint TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  completed_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE refunds_id_seq;
CREATE INDEX refunds_order ON refunds (tenant_id, order_id, id);
CREATE INDEX refunds_status ON refunds (tenant_id, status, id);
CREATE UNIQUE INDEX refunds_idempotency ON refunds (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- Delivery feedback: once per order.
CREATE TABLE delivery_feedback (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  intact BIGINT NOT NULL CHECK (intact IN (0, 1)),
  rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE delivery_feedback_id_seq;
CREATE UNIQUE INDEX delivery_feedback_order ON delivery_feedback (tenant_id, order_id);

-- Every write, who made it and what it changed, newest first per object. The SQLite schema
-- declares tenant_id here and in integrations as REFERENCES tenants (id), but SQLite never
-- enforces it (foreign_keys is off); enforcing it here would refuse writes SQLite accepts and tie
-- these rows to the tenants table when merchants are split, so neither is declared.
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  object TEXT COLLATE "C" NOT NULL,
  changes TEXT COLLATE "C" NOT NULL,  -- JSON array of {field, before, after}
  at BIGINT NOT NULL
);
CREATE SEQUENCE audit_log_id_seq;
CREATE INDEX audit_log_object ON audit_log (tenant_id, object, id);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);

-- A platform's connection: its webhooks are signed with the secret. Write-back of shipments goes
-- to callback_url; a Shopify connection's write-back calls the shop's Admin API, which takes
-- access_token rather than the signing secret.
CREATE TABLE integrations (
  id BIGINT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  platform TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  secret TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  callback_url TEXT COLLATE "C" NOT NULL DEFAULT '',
  access_token TEXT COLLATE "C" NOT NULL DEFAULT '',
  UNIQUE (tenant_id, name)
);
CREATE SEQUENCE integrations_id_seq;

-- Each order a connection created, with the platform's own id of it ('' when the platform gave
-- none). Only such orders get a row, so creating any other order costs nothing more.
CREATE TABLE integration_orders (
  tenant_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  integration_id BIGINT NOT NULL,
  platform_order_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, order_id)
);

-- Rollups for reports, kept in the same transaction as each change. Each row is keyed by a day in
-- the merchant's time zone ('YYYY-MM-DD', tenant_settings.utc_offset_minutes) and holds counts
-- and sums that add up over days. What each column counts is defined once, in
-- src/domain/rollups.h (docs/reports.md in prose). Rows whose values all return to 0 are deleted.

-- By the order's creation day: orders not cancelled, their totals and refunds, and every order by
-- its current status (one column per status).
CREATE TABLE order_days (
  tenant_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  orders BIGINT NOT NULL,
  gmv BIGINT NOT NULL,
  refunded BIGINT NOT NULL,
  pending_payment BIGINT NOT NULL,
  awaiting_shipment BIGINT NOT NULL,
  partially_shipped BIGINT NOT NULL,
  shipped BIGINT NOT NULL,
  delivered BIGINT NOT NULL,
  completed BIGINT NOT NULL,
  on_hold BIGINT NOT NULL,
  cancelled BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, day)
);

-- By creation day and SKU, over orders not cancelled (forecasts read these too).
CREATE TABLE sku_days (
  tenant_id BIGINT NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  units BIGINT NOT NULL,
  revenue BIGINT NOT NULL,
  orders BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, sku, day)
);
-- A range of days without reading every day of every SKU.
CREATE INDEX sku_days_day ON sku_days (tenant_id, day);

-- The same per customer phone (orders with a phone), for repurchase predictions. Keyed by day
-- first, so that a day's purchases sit together at the end of the merchant's rows instead of each
-- order writing at a random place per phone; one customer's purchases are read from the orders by
-- phone, hence no index by phone.
CREATE TABLE customer_sku_days (
  tenant_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  phone TEXT COLLATE "C" NOT NULL,
  sku TEXT COLLATE "C" NOT NULL,
  units BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, day, phone, sku)
);

-- By the day an order's last unit left.
CREATE TABLE ship_days (
  tenant_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  shipped BIGINT NOT NULL,
  promised BIGINT NOT NULL,
  on_time BIGINT NOT NULL,
  ship_seconds BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, day)
);

-- By delivery day and carrier, parcels the merchant sent.
CREATE TABLE carrier_days (
  tenant_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  carrier TEXT COLLATE "C" NOT NULL,
  delivered BIGINT NOT NULL,
  transit_seconds BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, day, carrier)
);

-- By the day a delivery was planned, and channel: outcomes once final.
CREATE TABLE notification_days (
  tenant_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  succeeded BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, day, channel)
);

-- By the day each was made: return and exchange requests, complaints, delivery feedback.
CREATE TABLE after_sales_days (
  tenant_id BIGINT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  returns BIGINT NOT NULL,
  exchanges BIGINT NOT NULL,
  complaints BIGINT NOT NULL,
  feedback BIGINT NOT NULL,
  rating_sum BIGINT NOT NULL,
  damaged BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, day)
);

-- The merchant's waybill account: the aggregator's URL, key and secret, and per carrier the
-- account fields (JSON object of objects) the aggregator passes on to that carrier.
CREATE TABLE waybill_accounts (
  tenant_id BIGINT NOT NULL PRIMARY KEY,
  url TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  secret TEXT COLLATE "C" NOT NULL,
  carriers TEXT COLLATE "C" NOT NULL,
  updated_at BIGINT NOT NULL
);

-- One waybill per parcel: parcel_key is the `orderId` sent to the aggregator, unique so that a
-- retry finds the waybill it already asked for instead of buying a second one.
CREATE TABLE waybills (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  parcel BIGINT NOT NULL,
  parcel_key TEXT COLLATE "C" NOT NULL,
  carrier TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,  -- requested, issued, failed, cancelled
  tracking_no TEXT COLLATE "C" NOT NULL,
  provider_order_no TEXT COLLATE "C" NOT NULL,
  label_format TEXT COLLATE "C" NOT NULL,
  error TEXT COLLATE "C" NOT NULL,
  batch_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, parcel_key)
);
CREATE SEQUENCE waybills_id_seq;
CREATE INDEX waybills_by_order ON waybills (tenant_id, order_id);

-- Labels are kept apart from the waybills so that the rows read to plan and list stay narrow.
CREATE TABLE waybill_labels (
  tenant_id BIGINT NOT NULL,
  waybill_id BIGINT NOT NULL,
  format TEXT COLLATE "C" NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (tenant_id, waybill_id)
);

CREATE TABLE shipment_batches (
  tenant_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  carrier TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,  -- queued, running, finished
  total BIGINT NOT NULL,
  shipped BIGINT NOT NULL,
  skipped BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE SEQUENCE shipment_batches_id_seq;

-- A batch's orders, each once, in the order given (seq).
CREATE TABLE shipment_batch_orders (
  tenant_id BIGINT NOT NULL,
  batch_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  outcome TEXT COLLATE "C" NOT NULL,  -- pending, shipped, skipped, failed
  reasons TEXT COLLATE "C" NOT NULL,  -- JSON array of strings
  tracking_no TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, batch_id, order_id)
);
