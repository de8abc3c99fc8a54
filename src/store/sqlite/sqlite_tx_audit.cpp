// The audit log and inbound platform connections.
#include <boost/json.hpp>

#include "store/sqlite/sqlite_tx.h"

namespace depot::sqlite {

namespace json = boost::json;

namespace {

std::string encode_changes(const std::vector<FieldChange>& changes) {
  json::array array;
  for (const FieldChange& change : changes) {
    array.push_back(
        json::object{{"field", change.field}, {"before", change.before}, {"after", change.after}});
  }
  return json::serialize(array);
}

std::vector<FieldChange> decode_changes(const std::string& text) {
  std::vector<FieldChange> changes;
  json::value parsed = json::parse(text);
  for (const json::value& item : parsed.as_array()) {
    const json::object& object = item.as_object();
    changes.push_back({std::string(object.at("field").as_string()),
                       std::string(object.at("before").as_string()),
                       std::string(object.at("after").as_string())});
  }
  return changes;
}

Integration integration_from(const Query& q) {
  Integration i;
  i.id = q.integer(0);
  i.platform = q.text(1);
  i.name = q.text(2);
  i.secret = q.text(3);
  i.created_at = from_millis(q.integer(4));
  return i;
}

constexpr const char* kIntegrationColumns =
    "SELECT id, platform, name, secret, created_at FROM integrations ";

}  // namespace

std::vector<AuditEntry> SqliteTx::audit_log(const AuditQuery& query) {
  std::string sql =
      "SELECT id, actor, action, object, changes, at FROM audit_log WHERE tenant_id = ?";
  if (!query.object.empty()) sql += " AND object = ?";
  if (query.before_id != 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Query q = db_.query(sql);
  int index = 1;
  q.bind(index++, tenant_);
  if (!query.object.empty()) q.bind(index++, query.object);
  if (query.before_id != 0) q.bind(index++, query.before_id);
  q.bind(index, query.limit);
  std::vector<AuditEntry> entries;
  while (q.step()) {
    entries.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), decode_changes(q.text(4)),
                       from_millis(q.integer(5))});
  }
  return entries;
}

void SqliteTx::append_audit(const AuditEntry& entry) {
  db_.query(
         "INSERT INTO audit_log (id, tenant_id, actor, action, object, changes, at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(next_id("audit_log"), tenant_, entry.actor, entry.action, entry.object,
                encode_changes(entry.changes), to_millis(entry.at))
      .run();
}

std::vector<Integration> SqliteTx::integrations() {
  Query q = db_.query(std::string(kIntegrationColumns) + "WHERE tenant_id = ? ORDER BY id");
  q.bind_all(tenant_);
  std::vector<Integration> found;
  while (q.step()) found.push_back(integration_from(q));
  return found;
}

std::optional<Integration> SqliteTx::find_integration(std::int64_t id) {
  Query q = db_.query(std::string(kIntegrationColumns) + "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  return integration_from(q);
}

void SqliteTx::insert_integration(Integration& integration) {
  integration.id = next_id("integrations");
  db_.query(
         "INSERT INTO integrations (id, tenant_id, platform, name, secret, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?)")
      .bind_all(integration.id, tenant_, integration.platform, integration.name, integration.secret,
                to_millis(integration.created_at))
      .run();
}

bool SqliteTx::delete_integration(std::int64_t id) {
  db_.query("DELETE FROM integrations WHERE tenant_id = ? AND id = ?").bind_all(tenant_, id).run();
  return db_.changes() > 0;
}

}  // namespace depot::sqlite
