-- depot schema 11: write-back to the platform. Each connection may name where shipments of its
-- orders are written back, and each order a connection created remembers it. Only orders a connection created get a row, so
-- creating any other order costs nothing more.

ALTER TABLE integrations ADD COLUMN callback_url TEXT NOT NULL DEFAULT '';

CREATE TABLE integration_orders (
  tenant_id INTEGER NOT NULL,
  order_id INTEGER NOT NULL,
  integration_id INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, order_id)
) WITHOUT ROWID;
