-- depot schema 3: customer notifications (NTF-1 … NTF-7): the merchant's channel accounts and
-- templates, the dispatcher's place in the outbox, deliveries and their attempts, tickets and the
-- sandbox inbox.

-- What notifies whom (NTF-1, NTF-3, NTF-5, NTF-7): lists as JSON arrays.
ALTER TABLE tenant_settings ADD COLUMN notification_retry_base_ms INTEGER NOT NULL DEFAULT 30000;
ALTER TABLE tenant_settings ADD COLUMN default_channels TEXT NOT NULL
  DEFAULT '["sms","wechat","push","email"]';
ALTER TABLE tenant_settings ADD COLUMN notify_events TEXT NOT NULL
  DEFAULT '["order.held","shipment.created","order.cancelled"]';
ALTER TABLE tenant_settings ADD COLUMN alert_contacts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tenant_settings ADD COLUMN public_url TEXT NOT NULL DEFAULT '';

-- The language a customer's notifications are written in.
ALTER TABLE orders ADD COLUMN customer_locale TEXT NOT NULL DEFAULT 'zh-CN';

-- One account per merchant and channel; settings and provider templates as JSON objects.
CREATE TABLE channel_accounts (
  tenant_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  url TEXT NOT NULL,
  settings TEXT NOT NULL,
  templates TEXT NOT NULL,
  sandbox INTEGER NOT NULL,
  disabled INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, channel)
) WITHOUT ROWID;

-- A merchant's own templates; depot's defaults cover the rest.
CREATE TABLE notification_templates (
  tenant_id INTEGER NOT NULL,
  event TEXT NOT NULL,
  channel TEXT NOT NULL,
  locale TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, event, channel, locale)
) WITHOUT ROWID;

-- The last outbox event the dispatcher planned, per merchant: moved in the same transaction as
-- the deliveries it planned, so no event is planned twice or skipped.
CREATE TABLE dispatch_positions (
  tenant_id INTEGER PRIMARY KEY,
  after_event_id INTEGER NOT NULL
);

-- One delivery of one event to one recipient on one channel: the unit of retry, log and dedupe.
-- The message is rendered when planned, so the log shows exactly what was sent.
CREATE TABLE notifications (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  dedupe_key TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  event TEXT NOT NULL,
  order_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  audience TEXT NOT NULL,
  customer_phone TEXT NOT NULL,
  locale TEXT NOT NULL,
  template TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  html TEXT NOT NULL,
  link TEXT NOT NULL,
  variables TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER,
  last_error TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  fallbacks TEXT NOT NULL,
  resend_of INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  delivered_at INTEGER,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, dedupe_key)
);
-- Deliveries with work left, soonest first: the sender's index stays as small as its backlog.
CREATE INDEX notifications_due ON notifications (tenant_id, next_attempt_at)
  WHERE next_attempt_at IS NOT NULL;
CREATE INDEX notifications_order ON notifications (tenant_id, order_id, id);
CREATE INDEX notifications_customer ON notifications (tenant_id, customer_phone, channel);

-- Every attempt, numbered from 1; an attempt a crash interrupted is logged as such and made again
-- under its number.
CREATE TABLE notification_attempts (
  tenant_id INTEGER NOT NULL,
  notification_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  response TEXT NOT NULL,
  PRIMARY KEY (tenant_id, notification_id, id)
) WITHOUT ROWID;

-- Customer-service tickets (AFS-4). A dead notification opens at most one per event.
CREATE TABLE tickets (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  order_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  notification_id INTEGER NOT NULL,
  subject TEXT NOT NULL,
  assignee TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX tickets_event ON tickets (tenant_id, kind, event_id) WHERE event_id > 0;
CREATE INDEX tickets_order ON tickets (tenant_id, order_id, id);

CREATE TABLE ticket_comments (
  tenant_id INTEGER NOT NULL,
  ticket_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, ticket_id, id)
) WITHOUT ROWID;

-- What the sandbox provider "sent": a merchant trying depot reads each customer's message here.
CREATE TABLE sandbox_messages (
  tenant_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  notification_id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  html TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sandbox_messages_order ON sandbox_messages (tenant_id, order_id, id);
