// Platform connections and the orders each created.
#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace {

Integration integration_from(const Query& q) {
  Integration i;
  i.id = q.integer(0);
  i.platform = q.text(1);
  i.name = q.text(2);
  i.secret = q.text(3);
  i.callback_url = q.text(4);
  i.created_at = from_millis(q.integer(5));
  i.access_token = q.text(6);
  return i;
}

constexpr const char* kIntegrationColumns =
    "SELECT id, platform, name, secret, callback_url, created_at, access_token "
    "FROM integrations ";

}  // namespace

std::vector<Integration> SqlTx::integrations() {
  Query q = db_.query(std::string(kIntegrationColumns) + "WHERE tenant_id = ? ORDER BY id");
  q.bind_all(tenant_);
  std::vector<Integration> found;
  while (q.step()) found.push_back(integration_from(q));
  return found;
}

std::optional<Integration> SqlTx::find_integration(std::int64_t id) {
  Query q = db_.query(std::string(kIntegrationColumns) + "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  return integration_from(q);
}

std::optional<Integration> SqlTx::integration_of_order(std::int64_t order_id) {
  Query q = db_.query(std::string(kIntegrationColumns) +
                      "WHERE tenant_id = ? AND id = (SELECT integration_id FROM integration_orders "
                      "WHERE tenant_id = ? AND order_id = ?)");
  q.bind_all(tenant_, tenant_, order_id);
  if (!q.step()) return std::nullopt;
  return integration_from(q);
}

std::string SqlTx::platform_order_id(std::int64_t order_id) {
  Query q = db_.query(
      "SELECT platform_order_id FROM integration_orders WHERE tenant_id = ? AND order_id = ?");
  q.bind_all(tenant_, order_id);
  return q.step() ? q.text(0) : std::string();
}

void SqlTx::insert_integration(Integration& integration) {
  integration.id = next_id("integrations");
  db_.query(
         "INSERT INTO integrations (id, tenant_id, platform, name, secret, callback_url, "
         "created_at, access_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(integration.id, tenant_, integration.platform, integration.name, integration.secret,
                integration.callback_url, to_millis(integration.created_at),
                integration.access_token)
      .run();
}

void SqlTx::update_integration(const Integration& integration) {
  db_.query(
         "UPDATE integrations SET name = ?, callback_url = ?, access_token = ? "
         "WHERE tenant_id = ? AND id = ?")
      .bind_all(integration.name, integration.callback_url, integration.access_token, tenant_,
                integration.id)
      .run();
}

bool SqlTx::delete_integration(std::int64_t id) {
  db_.query("DELETE FROM integrations WHERE tenant_id = ? AND id = ?").bind_all(tenant_, id).run();
  bool deleted = db_.changes() > 0;
  db_.query("DELETE FROM integration_orders WHERE tenant_id = ? AND integration_id = ?")
      .bind_all(tenant_, id)
      .run();
  return deleted;
}

void SqlTx::link_integration_order(std::int64_t order_id, std::int64_t integration_id,
                                   const std::string& platform_order_id) {
  db_.query(
         "INSERT INTO integration_orders (tenant_id, order_id, integration_id, "
         "platform_order_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .bind_all(tenant_, order_id, integration_id, platform_order_id)
      .run();
}

}  // namespace depot::sql
