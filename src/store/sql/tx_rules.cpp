// Rules, blacklists, the customer-history facts rules ask for, and the geocoder account.
#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace {

constexpr const char* kRuleColumns =
    "SELECT id, name, expression, message, enabled, version, created_at, updated_at FROM rules ";

Rule rule_from(Query& q) {
  Rule r;
  r.id = q.integer(0);
  r.name = q.text(1);
  r.expression = q.text(2);
  r.message = q.text(3);
  r.enabled = q.integer(4) != 0;
  r.version = q.integer(5);
  r.created_at = from_millis(q.integer(6));
  r.updated_at = from_millis(q.integer(7));
  return r;
}

}  // namespace

std::vector<Rule> SqlTx::rules() {
  Query q = db_.query(std::string(kRuleColumns) + "WHERE tenant_id = ? ORDER BY id");
  q.bind_all(tenant_);
  std::vector<Rule> rules;
  while (q.step()) rules.push_back(rule_from(q));
  return rules;
}

std::optional<Rule> SqlTx::find_rule(std::int64_t id) {
  Query q = db_.query(std::string(kRuleColumns) + "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  return rule_from(q);
}

std::int64_t SqlTx::insert_rule(const Rule& r) {
  std::int64_t id = next_id("rules");
  db_.query(
         "INSERT INTO rules (tenant_id, id, name, expression, message, enabled, version, "
         "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, id, r.name, r.expression, r.message, r.enabled, r.version,
                to_millis(r.created_at), to_millis(r.updated_at))
      .run();
  return id;
}

void SqlTx::update_rule(const Rule& r) {
  db_.query(
         "UPDATE rules SET name = ?, expression = ?, message = ?, enabled = ?, version = ?, "
         "updated_at = ? WHERE tenant_id = ? AND id = ?")
      .bind_all(r.name, r.expression, r.message, r.enabled, r.version, to_millis(r.updated_at),
                tenant_, r.id)
      .run();
}

bool SqlTx::delete_rule(std::int64_t id) {
  db_.query("DELETE FROM rules WHERE tenant_id = ? AND id = ?").bind_all(tenant_, id).run();
  return db_.changes() > 0;
}

bool SqlTx::on_blacklist(const std::string& list, const std::string& key) {
  Query q = db_.query("SELECT 1 FROM blacklist WHERE tenant_id = ? AND list = ? AND value = ?");
  q.bind_all(tenant_, list, key);
  return q.step();
}

std::vector<BlacklistEntry> SqlTx::blacklist(const std::string& list) {
  Query q = db_.query(
      "SELECT list, value, note, created_at FROM blacklist WHERE tenant_id = ? "
      "AND (? = '' OR list = ?) ORDER BY list, value");
  q.bind_all(tenant_, list, list);
  std::vector<BlacklistEntry> entries;
  while (q.step()) {
    entries.push_back({q.text(0), q.text(1), q.text(2), from_millis(q.integer(3))});
  }
  return entries;
}

void SqlTx::add_to_blacklist(const BlacklistEntry& e) {
  db_.query(
         "INSERT INTO blacklist (tenant_id, list, value, note, created_at) VALUES (?, ?, ?, ?, ?) "
         "ON CONFLICT (tenant_id, list, value) DO UPDATE SET note = excluded.note")
      .bind_all(tenant_, e.list, e.value, e.note, to_millis(e.created_at))
      .run();
}

bool SqlTx::remove_from_blacklist(const std::string& list, const std::string& key) {
  db_.query("DELETE FROM blacklist WHERE tenant_id = ? AND list = ? AND value = ?")
      .bind_all(tenant_, list, key)
      .run();
  return db_.changes() > 0;
}

std::int64_t SqlTx::count_orders_by_phone(const std::string& phone, Instant from, Instant to) {
  Query q = db_.query(
      "SELECT COUNT(*) FROM orders INDEXED BY orders_phone WHERE tenant_id = ? "
      "AND customer_phone = ? AND created_at >= ? AND created_at <= ?");
  q.bind_all(tenant_, phone, to_millis(from), to_millis(to));
  q.step();
  return q.integer(0);
}

std::optional<GeocoderConfig> SqlTx::geocoder_config() {
  Query q = db_.query("SELECT url, key FROM geocoder_accounts WHERE tenant_id = ?");
  q.bind_all(tenant_);
  if (!q.step()) return std::nullopt;
  return GeocoderConfig{q.text(0), q.text(1)};
}

void SqlTx::save_geocoder_config(const std::optional<GeocoderConfig>& config) {
  if (!config) {
    db_.query("DELETE FROM geocoder_accounts WHERE tenant_id = ?").bind_all(tenant_).run();
    return;
  }
  db_.query(
         "INSERT INTO geocoder_accounts (tenant_id, url, key) VALUES (?, ?, ?) "
         "ON CONFLICT (tenant_id) DO UPDATE SET url = excluded.url, key = excluded.key")
      .bind_all(tenant_, config->url, config->key)
      .run();
}

}  // namespace depot::sql
