-- depot schema 4: parcel tracking (TRK-1 … TRK-5): the aggregator account, each parcel's tracking
-- state and checkpoints, stalled parcels, ETAs, and the key that signs public tracking links.

-- A merchant's account with the tracking aggregator. The callback token is the credential in the
-- push address depot gives the aggregator.
CREATE TABLE carrier_accounts (
  tenant_id INTEGER NOT NULL,
  provider TEXT NOT NULL,
  url TEXT NOT NULL,
  key TEXT NOT NULL,
  customer TEXT NOT NULL,
  salt TEXT NOT NULL,
  callback_token TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, provider)
);

-- Signs the links to the public tracking page; one random key per merchant, never shown.
CREATE TABLE tenant_secrets (
  tenant_id INTEGER PRIMARY KEY,
  link_key TEXT NOT NULL
);
INSERT INTO tenant_secrets (tenant_id, link_key) SELECT id, lower(hex(randomblob(32))) FROM tenants;

-- Hours without news before a parcel counts as stalled, and per-carrier overrides (a JSON object).
ALTER TABLE tenant_settings ADD COLUMN tracking_stall_hours INTEGER NOT NULL DEFAULT 48;
ALTER TABLE tenant_settings ADD COLUMN tracking_stall_hours_by_carrier TEXT NOT NULL DEFAULT '{}';

-- The tracking state of every parcel: those the merchant sent (id = the shipment's id) and those
-- coming back (return_id > 0). `active` is 1 until the parcel is delivered or back with the
-- sender; the partial indexes keep each worker's sweep to the parcels it may act on.
CREATE TABLE parcels (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  return_id INTEGER NOT NULL DEFAULT 0,
  carrier TEXT NOT NULL,
  tracking_no TEXT NOT NULL,
  phone TEXT NOT NULL,
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  status TEXT NOT NULL,
  active INTEGER NOT NULL,
  shipped_at INTEGER NOT NULL,
  last_update_at INTEGER NOT NULL,
  delivered_at INTEGER,
  eta_at INTEGER,
  eta_late_at INTEGER,
  eta_basis TEXT NOT NULL DEFAULT '',
  stalled_at INTEGER,
  stall_notified INTEGER NOT NULL DEFAULT 0,
  subscription TEXT NOT NULL,
  subscribe_attempts INTEGER NOT NULL DEFAULT 0,
  subscribe_error TEXT NOT NULL DEFAULT '',
  next_subscribe_at INTEGER,
  next_poll_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
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

-- Parcels shipped before tracking existed are followed from now on: their subscriptions are due.
INSERT INTO parcels (tenant_id, id, order_id, carrier, tracking_no, phone, origin, destination,
                     status, active, shipped_at, last_update_at, subscription, next_subscribe_at)
SELECT s.tenant_id, s.id, s.order_id, s.carrier, s.tracking_no, o.customer_phone, '',
       o.province_code, 'info_received', 1, s.shipped_at, s.shipped_at, 'pending', s.shipped_at
FROM shipments s JOIN orders o ON o.id = s.order_id AND o.tenant_id = s.tenant_id;

-- Checkpoints, deduplicated by time and text so a repeated push or poll adds nothing.
CREATE TABLE tracking_events (
  tenant_id INTEGER NOT NULL,
  parcel_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL,
  location TEXT NOT NULL,
  raw_state TEXT NOT NULL,
  source TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, parcel_id, at, text)
) WITHOUT ROWID;

-- Merchants who kept the default customer events now also tell customers about their parcels.
UPDATE tenant_settings
SET notify_events = '["order.held","shipment.created","order.cancelled","tracking.out_for_delivery","tracking.delivered","tracking.exception","tracking.stalled"]'
WHERE notify_events = '["order.held","shipment.created","order.cancelled"]';
