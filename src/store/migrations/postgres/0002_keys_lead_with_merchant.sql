-- Every primary and unique key of a table that belongs to one merchant now starts with tenant_id,
-- so that the schema can be distributed by merchant (Citus: a unique key of a distributed table
-- must hold its distribution column). Orders, the audit log and integrations took their ids from
-- one sequence each and were keyed by the id alone; every read of them names the merchant
-- already, so the merchant's key serves them as well. An image's file name is random, so unique
-- within its merchant is as good as unique.
--
-- Left as they are, and meant to be reference tables (copied to every node): tenants, api_keys,
-- users and sessions, which are looked up by slug, key, email or session token before the
-- merchant is known; and schema_migrations.

ALTER TABLE orders DROP CONSTRAINT orders_pkey;
ALTER TABLE orders ADD PRIMARY KEY (tenant_id, id);
DROP INDEX orders_tenant_id;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD PRIMARY KEY (tenant_id, id);
DROP INDEX audit_log_tenant;

ALTER TABLE integrations DROP CONSTRAINT integrations_pkey;
ALTER TABLE integrations ADD PRIMARY KEY (tenant_id, id);

ALTER TABLE product_images DROP CONSTRAINT product_images_file_name_key;
ALTER TABLE product_images ADD UNIQUE (tenant_id, file_name);
