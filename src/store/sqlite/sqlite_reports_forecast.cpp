// Reads for forecasts (RPT-3) over the rollups sku_days and customer_sku_days. The demand reads
// walk sku_days' primary key (tenant_id, sku, day) in order, so rows come out grouped and sorted
// without a sort step. customer_sku_days is keyed by day first, which keeps an order's creation
// cheap (schema 0014): the repurchase list sorts the days it reads, and one customer's purchases
// come from the orders by phone, counted as the rollup counts them.
#include "store/sqlite/sqlite_reports.h"
#include "store/sqlite/sqlite_rollups.h"

namespace depot::sqlite {

namespace {

std::vector<DemandDay> demand_rows(Query& q) {
  std::vector<DemandDay> days;
  while (q.step()) days.push_back({q.text(0), q.text(1), q.integer(2)});
  return days;
}

// The rows of `q` (phone, sku, day, in that order) less the customers and SKUs with one day only.
std::vector<PurchaseDay> repeated(Query& q) {
  std::vector<PurchaseDay> days;
  std::size_t group_start = 0;
  auto close_group = [&] {
    if (days.size() - group_start < 2) days.resize(group_start);
    group_start = days.size();
  };
  while (q.step()) {
    PurchaseDay row{q.text(0), q.text(1), q.text(2)};
    if (group_start < days.size() &&
        (row.phone != days[group_start].phone || row.sku != days[group_start].sku)) {
      close_group();
    }
    days.push_back(std::move(row));
  }
  close_group();
  return days;
}

}  // namespace

std::vector<DemandDay> SqliteReports::demand_of(const std::string& sku, const std::string& from,
                                                const std::string& to) {
  Query q = db_.query(
      "SELECT sku, day, units FROM sku_days WHERE tenant_id = ? AND sku = ? AND day >= ? "
      "AND day <= ? ORDER BY day");
  q.bind_all(tenant_, sku, from, to);
  return demand_rows(q);
}

std::vector<DemandDay> SqliteReports::demand_by_sku(const std::string& from,
                                                    const std::string& to) {
  Query q = db_.query(
      "SELECT sku, day, units FROM sku_days WHERE tenant_id = ? AND day >= ? AND day <= ? "
      "ORDER BY sku, day");
  q.bind_all(tenant_, from, to);
  return demand_rows(q);
}

std::vector<PurchaseDay> SqliteReports::repeat_purchases(const std::string& from,
                                                         const std::string& to) {
  Query q = db_.query(
      "SELECT phone, sku, day FROM customer_sku_days "
      "WHERE tenant_id = ? AND day >= ? AND day <= ? ORDER BY phone, sku, day");
  q.bind_all(tenant_, from, to);
  return repeated(q);
}

std::vector<PurchaseDay> SqliteReports::repeat_purchases_of(const std::string& phone,
                                                            const std::string& from,
                                                            const std::string& to) {
  // The orders_phone index finds the customer's orders; a customer has few.
  static const std::string sql = "SELECT o.customer_phone, l.sku, " + day_of("o.created_at") +
                                 " AS d " + customer_lines() +
                                 " AND o.customer_phone = ?3 AND d >= ?4 AND d <= ?5 "
                                 "GROUP BY l.sku, d ORDER BY l.sku, d";
  Query q = db_.query(sql);
  q.bind_all(tenant_, stored_utc_offset(db_, tenant_), phone, from, to);
  return repeated(q);
}

}  // namespace depot::sqlite
