// The outbox (events stored with their data as a JSON object) and request idempotency keys.
#include <boost/json.hpp>

#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace json = boost::json;

namespace {

std::string encode_data(const DomainEvent& event) {
  json::object object;
  for (const auto& [key, value] : event.data) {
    std::visit([&, &k = key](const auto& v) { object[k] = v; }, value);
  }
  return json::serialize(object);
}

void decode_data(const std::string& text, DomainEvent& event) {
  json::value parsed = json::parse(text);
  for (const auto& [key, value] : parsed.as_object()) {
    if (value.is_int64()) {
      event.data.emplace_back(std::string(key), value.get_int64());
    } else if (value.is_bool()) {
      event.data.emplace_back(std::string(key), value.get_bool());
    } else if (value.is_string()) {
      event.data.emplace_back(std::string(key), std::string(value.get_string()));
    }
  }
}

}  // namespace

void SqlTx::append_event(const DomainEvent& event, Instant at) {
  db_.query(
         "INSERT INTO events (tenant_id, id, type, order_id, sku, data, at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, next_id("events"), to_string(event.type), event.order_id, event.sku,
                encode_data(event), to_millis(at))
      .run();
  appended_events_ = true;
}

std::vector<EventRecord> SqlTx::events_after(std::int64_t after_id, int limit) {
  Query q = db_.query(
      "SELECT id, type, order_id, sku, data, at FROM events WHERE tenant_id = ? AND id > ? "
      "AND id <= ? ORDER BY id LIMIT ?");
  q.bind_all(tenant_, after_id, last_visible_event_, limit);
  std::vector<EventRecord> records;
  while (q.step()) {
    EventRecord record;
    record.id = q.integer(0);
    std::optional<EventType> type = parse_event_type(q.text(1));
    if (!type) continue;  // a type this build does not know was written by a newer one
    record.event.type = *type;
    record.event.order_id = q.integer(2);
    record.event.sku = q.text(3);
    decode_data(q.text(4), record.event);
    record.at = from_millis(q.integer(5));
    records.push_back(std::move(record));
  }
  return records;
}

std::int64_t SqlTx::latest_event_id() {
  Query q = db_.query("SELECT COALESCE(MAX(id), 0) FROM events WHERE tenant_id = ? AND id <= ?");
  q.bind_all(tenant_, last_visible_event_);
  return q.step() ? q.integer(0) : 0;
}

std::optional<std::string> SqlTx::request_fingerprint(const std::string& key) {
  Query q = db_.query("SELECT fingerprint FROM request_keys WHERE tenant_id = ? AND key = ?");
  q.bind_all(tenant_, key);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void SqlTx::remember_request(const std::string& key, const std::string& fingerprint, Instant at) {
  db_.query(
         "INSERT INTO request_keys (tenant_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?)")
      .bind_all(tenant_, key, fingerprint, to_millis(at))
      .run();
}

}  // namespace depot::sql
