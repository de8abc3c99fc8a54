// The audit log.
#include <boost/json.hpp>

#include "store/sql/sql_tx.h"

namespace depot::sql {

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

}  // namespace

std::vector<AuditEntry> SqlTx::audit_log(const AuditQuery& query) {
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

void SqlTx::append_audit(const AuditEntry& entry) {
  db_.query(
         "INSERT INTO audit_log (id, tenant_id, actor, action, object, changes, at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(next_id("audit_log"), tenant_, entry.actor, entry.action, entry.object,
                encode_changes(entry.changes), to_millis(entry.at))
      .run();
}

}  // namespace depot::sql
