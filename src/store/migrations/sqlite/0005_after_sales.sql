-- depot schema 5: after-sales: returns and exchanges, refunds and delivery feedback.

-- What completed refunds gave back of the order's payments.
ALTER TABLE orders ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0
  CHECK (refunded_amount >= 0);

-- Returns and exchanges (AFS-2). photos is a JSON array of URLs. The parcel coming back is one
-- merchant's return at a time, so a tracking update about it finds exactly one return.
CREATE TABLE returns (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('return', 'exchange')),
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'received')),
  reason TEXT NOT NULL,
  photos TEXT NOT NULL,
  decision_note TEXT NOT NULL,
  carrier TEXT,
  tracking_no TEXT,
  inspection_note TEXT NOT NULL,
  restocked INTEGER,          -- null until received; then 1 restocked, 0 written off
  location TEXT NOT NULL,
  replacement_order_id INTEGER,
  idempotency_key TEXT,
  fingerprint TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  received_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX returns_order ON returns (tenant_id, order_id, id);
CREATE INDEX returns_status ON returns (tenant_id, status, id);
CREATE UNIQUE INDEX returns_parcel ON returns (tenant_id, carrier, tracking_no)
  WHERE tracking_no IS NOT NULL;
CREATE UNIQUE INDEX returns_idempotency ON returns (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- The units coming back (replacement = 0) and, for an exchange, what goes out instead
-- (replacement = 1).
CREATE TABLE return_lines (
  tenant_id INTEGER NOT NULL,
  return_id INTEGER NOT NULL,
  replacement INTEGER NOT NULL CHECK (replacement IN (0, 1)),
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, return_id, replacement, sku)
) WITHOUT ROWID;

-- Refunds (AFS-3): pending until the money went back.
CREATE TABLE refunds (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  return_id INTEGER,
  amount INTEGER NOT NULL CHECK (amount > 0),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'completed')),
  reference TEXT NOT NULL,
  idempotency_key TEXT,
  fingerprint TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  completed_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX refunds_order ON refunds (tenant_id, order_id, id);
CREATE INDEX refunds_status ON refunds (tenant_id, status, id);
CREATE UNIQUE INDEX refunds_idempotency ON refunds (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- Delivery feedback (AFS-1): once per order.
CREATE TABLE delivery_feedback (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  intact INTEGER NOT NULL CHECK (intact IN (0, 1)),
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX delivery_feedback_order ON delivery_feedback (tenant_id, order_id);
