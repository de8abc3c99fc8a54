#include "store/sql/rollups.h"

#include <algorithm>
#include <string>
#include <vector>

namespace depot::sql {

namespace {

enum class KeyPart { day, key, phone };

struct Column {
  const char* name;
  KeyPart part;
};

struct Table {
  Rollup rollup;
  const char* name;
  std::vector<Column> keys;         // after tenant_id
  std::vector<const char*> values;  // in the domain's order (domain/rollups.h)
  std::string upsert;
  std::string delete_empty;
};

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

Table table(Rollup rollup, const char* name, std::vector<Column> keys,
            std::vector<const char*> values) {
  Table t{rollup, name, std::move(keys), std::move(values), {}, {}};
  std::vector<std::string> columns{"tenant_id"}, marks{"?"}, conflict{"tenant_id"}, adds, zero;
  std::vector<std::string> where{"tenant_id = ?"};
  for (const Column& key : t.keys) {
    columns.emplace_back(key.name);
    marks.emplace_back("?");
    conflict.emplace_back(key.name);
    where.push_back(std::string(key.name) + " = ?");
  }
  for (const char* value : t.values) {
    columns.emplace_back(value);
    marks.emplace_back("?");
    adds.push_back(std::string(value) + " = " + name + "." + value + " + excluded." + value);
    where.push_back(std::string(value) + " = 0");
  }
  t.upsert = "INSERT INTO " + std::string(name) + " (" + joined(columns, ", ") + ") VALUES (" +
             joined(marks, ", ") + ") ON CONFLICT (" + joined(conflict, ", ") + ") DO UPDATE SET " +
             joined(adds, ", ");
  t.delete_empty = "DELETE FROM " + std::string(name) + " WHERE " + joined(where, " AND ");
  return t;
}

const std::vector<Table>& tables() {
  static const std::vector<Table> all = {
      table(Rollup::order_days, "order_days", {{"day", KeyPart::day}},
            {"orders", "gmv", "refunded", "pending_payment", "awaiting_shipment",
             "partially_shipped", "shipped", "delivered", "completed", "on_hold", "cancelled"}),
      table(Rollup::sku_days, "sku_days", {{"sku", KeyPart::key}, {"day", KeyPart::day}},
            {"units", "revenue", "orders"}),
      table(Rollup::customer_sku_days, "customer_sku_days",
            {{"day", KeyPart::day}, {"phone", KeyPart::phone}, {"sku", KeyPart::key}}, {"units"}),
      table(Rollup::ship_days, "ship_days", {{"day", KeyPart::day}},
            {"shipped", "promised", "on_time", "ship_seconds"}),
      table(Rollup::carrier_days, "carrier_days",
            {{"day", KeyPart::day}, {"carrier", KeyPart::key}}, {"delivered", "transit_seconds"}),
      table(Rollup::notification_days, "notification_days",
            {{"day", KeyPart::day}, {"channel", KeyPart::key}}, {"succeeded", "failed"}),
      table(Rollup::after_sales_days, "after_sales_days", {{"day", KeyPart::day}},
            {"returns", "exchanges", "complaints", "feedback", "rating_sum", "damaged"}),
  };
  return all;
}

const Table& table_of(Rollup rollup) {
  for (const Table& t : tables()) {
    if (t.rollup == rollup) return t;
  }
  throw Error("no table for a rollup");
}

const std::string& key_text(const RollupRow& row, KeyPart part) {
  switch (part) {
    case KeyPart::day:
      return row.day;
    case KeyPart::key:
      return row.key;
    case KeyPart::phone:
      return row.phone;
  }
  return row.day;
}

// SQL that counts the rows of a group meeting `condition` (both databases: PostgreSQL cannot sum a
// boolean).
std::string one_if(const std::string& condition) {
  return "CASE WHEN " + condition + " THEN 1 ELSE 0 END";
}
std::string count_if(const std::string& condition) { return "SUM(" + one_if(condition) + ")"; }
// SQL that sums a millisecond span in whole seconds, a negative span (clocks apart) as zero.
std::string sum_of_seconds(const std::string& span) {
  return "SUM(CASE WHEN " + span + " > 0 THEN (" + span + ") / 1000 ELSE 0 END)";
}

}  // namespace

std::string day_of(const Connection& db, const std::string& column) {
  return db.day_of(column, "?2");
}

std::string customer_lines() {
  return "FROM orders o JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id "
         "WHERE o.tenant_id = ?1 AND o.status <> 'cancelled' AND o.customer_phone <> ''";
}

void apply_rollups(Connection& db, TenantId tenant, const RollupRows& change) {
  for (const RollupRow& row : change) {
    const Table& t = table_of(row.rollup);
    bool fell = false;
    {
      Query q = db.query(t.upsert);
      int index = 0;
      q.bind(++index, tenant);
      for (const Column& key : t.keys) q.bind(++index, key_text(row, key.part));
      for (std::size_t i = 0; i < t.values.size(); ++i) {
        q.bind(++index, row.values[i]);
        fell = fell || row.values[i] < 0;
      }
      q.run();
    }
    if (!fell) continue;
    Query q = db.query(t.delete_empty);
    int index = 0;
    q.bind(++index, tenant);
    for (const Column& key : t.keys) q.bind(++index, key_text(row, key.part));
    q.run();
  }
}

void RollupBuffer::add(TenantId tenant, const RollupRows& change) {
  for (const RollupRow& row : change) {
    RollupValues& sum = rows_[Key{tenant, row.rollup, row.day, row.key, row.phone}];
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += row.values[i];
  }
}

void RollupBuffer::forget(TenantId tenant) {
  std::erase_if(rows_, [tenant](const auto& row) { return std::get<0>(row.first) == tenant; });
}

void RollupBuffer::apply(Connection& db) {
  // Rows are keyed merchant first: one apply_rollups() per merchant.
  for (auto row = rows_.begin(); row != rows_.end();) {
    TenantId tenant = std::get<0>(row->first);
    RollupRows change;
    for (; row != rows_.end() && std::get<0>(row->first) == tenant; ++row) {
      const auto& [ignored, rollup, day, key, phone] = row->first;
      const RollupValues& values = row->second;
      if (std::all_of(values.begin(), values.end(), [](std::int64_t v) { return v == 0; })) {
        continue;  // the batch's changes to this row cancel out
      }
      change.push_back(RollupRow{rollup, day, key, phone, values});
    }
    apply_rollups(db, tenant, change);
  }
  rows_.clear();
}

void rebuild_rollups(Connection& db, TenantId tenant, int utc_offset_minutes) {
  for (const Table& t : tables()) {
    db.query("DELETE FROM " + std::string(t.name) + " WHERE tenant_id = ?").bind_all(tenant).run();
  }
  // ?1 is the merchant, ?2 its offset in minutes. Cancelled orders count only in their status
  // column; their lines count nowhere.
  const std::string order_day = day_of(db, "created_at");
  std::string by_status;
  for (OrderStatus status : kAllOrderStatuses) {
    by_status += ", " + count_if("status = '" + std::string(to_string(status)) + "'");
  }
  const std::vector<std::string> statements = {
      "INSERT INTO order_days SELECT ?1, " + order_day + " AS d, " +
          count_if("status <> 'cancelled'") +
          ", "
          "SUM(CASE WHEN status <> 'cancelled' THEN total ELSE 0 END), "
          "SUM(CASE WHEN status <> 'cancelled' THEN refunded_amount ELSE 0 END)" +
          by_status + " FROM orders WHERE tenant_id = ?1 GROUP BY d",

      "INSERT INTO sku_days SELECT ?1, l.sku, " + day_of(db, "o.created_at") +
          " AS d, SUM(l.quantity), SUM(l.quantity * l.unit_price), COUNT(DISTINCT o.id) "
          "FROM orders o JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id "
          "WHERE o.tenant_id = ?1 AND o.status <> 'cancelled' GROUP BY l.sku, d",

      "INSERT INTO customer_sku_days (tenant_id, day, phone, sku, units) SELECT ?1, " +
          day_of(db, "o.created_at") + " AS d, o.customer_phone, l.sku, SUM(l.quantity) " +
          customer_lines() + " GROUP BY d, o.customer_phone, l.sku",

      "WITH s AS (SELECT o.ship_due_at AS due, "
      "(SELECT MAX(shipped_at) FROM shipments p WHERE p.tenant_id = o.tenant_id "
      "AND p.order_id = o.id) AS shipped_at, "
      "COALESCE((SELECT MIN(h.at) FROM order_history h WHERE h.tenant_id = o.tenant_id "
      "AND h.order_id = o.id AND h.to_status = 'awaiting_shipment'), o.created_at) AS ready_at "
      "FROM orders o WHERE o.tenant_id = ?1 AND o.status IN ('shipped', 'delivered', "
      "'completed')) "
      "INSERT INTO ship_days SELECT ?1, " +
          day_of(db, "shipped_at") + " AS d, COUNT(*), " + count_if("due IS NOT NULL") + ", " +
          count_if("due IS NOT NULL AND shipped_at <= due") + ", " +
          sum_of_seconds("shipped_at - ready_at") +
          " FROM s WHERE shipped_at IS NOT NULL GROUP BY d",

      "INSERT INTO carrier_days SELECT ?1, " + day_of(db, "delivered_at") +
          " AS d, carrier, COUNT(*), " + sum_of_seconds("delivered_at - shipped_at") +
          " FROM parcels WHERE tenant_id = ?1 AND return_id = 0 AND delivered_at IS NOT NULL "
          "GROUP BY d, carrier",

      "INSERT INTO notification_days SELECT ?1, d, channel, ok, failed FROM (SELECT " + order_day +
          " AS d, channel, " + count_if("status IN ('sent', 'delivered')") + " AS ok, " +
          count_if("status = 'dead' OR (status = 'failed' AND next_attempt_at IS NULL)") +
          " AS failed FROM notifications WHERE tenant_id = ?1 GROUP BY d, channel) AS n "
          "WHERE ok > 0 OR failed > 0",

      "INSERT INTO after_sales_days SELECT ?1, d, SUM(r), SUM(x), SUM(c), SUM(f), SUM(rating), "
      "SUM(damaged) FROM ("
      "SELECT " +
          order_day + " AS d, " + one_if("kind = 'return'") + " AS r, " +
          one_if("kind = 'exchange'") +
          " AS x, 0 AS c, 0 AS f, 0 AS rating, "
          "0 AS damaged FROM returns WHERE tenant_id = ?1 "
          "UNION ALL SELECT " +
          order_day +
          ", 0, 0, 1, 0, 0, 0 FROM tickets WHERE tenant_id = ?1 AND kind = 'complaint' "
          "UNION ALL SELECT " +
          order_day + ", 0, 0, 0, 1, rating, " + one_if("intact = 0") +
          " FROM delivery_feedback WHERE tenant_id = ?1) AS a GROUP BY d",
  };
  for (const std::string& sql : statements) {
    db.query(sql).bind_all(tenant, utc_offset_minutes).run();
  }
}

int stored_utc_offset(Connection& db, TenantId tenant) {
  Query q = db.query("SELECT utc_offset_minutes FROM tenant_settings WHERE tenant_id = ?");
  q.bind_all(tenant);
  return q.step() ? static_cast<int>(q.integer(0)) : ReportPolicy{}.utc_offset_minutes;
}

}  // namespace depot::sql
