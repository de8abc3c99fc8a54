-- depot schema 12: Shopify fulfillments. A Shopify connection's write-back calls the shop's Admin
-- API, which takes an Admin API access token (not the webhook signing secret), and names orders by
-- Shopify's numeric id (not the `name` depot keeps as external_no): each order a connection
-- created keeps the platform's id of it beside the link ('' when the platform gave none).

ALTER TABLE integrations ADD COLUMN access_token TEXT NOT NULL DEFAULT '';

ALTER TABLE integration_orders ADD COLUMN platform_order_id TEXT NOT NULL DEFAULT '';
