-- depot schema 7: the audit log, inbound platform connections and the settings of reports.

-- Every write, who made it and what it changed (SEC-3), newest first per object.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  changes TEXT NOT NULL,  -- JSON array of {field, before, after}
  at INTEGER NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (tenant_id, object, id);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);

-- A platform's connection: its webhooks are signed with the secret (INT-2).
CREATE TABLE integrations (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id),
  platform TEXT NOT NULL,
  name TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (tenant_id, name)
);

ALTER TABLE tenant_settings ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT 480;
ALTER TABLE tenant_settings ADD COLUMN reorder_lead_days INTEGER NOT NULL DEFAULT 7;
ALTER TABLE tenant_settings ADD COLUMN reorder_lead_days_by_sku TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tenant_settings ADD COLUMN reorder_service_level REAL NOT NULL DEFAULT 0.95;
ALTER TABLE tenant_settings ADD COLUMN reorder_review_days INTEGER NOT NULL DEFAULT 7;
