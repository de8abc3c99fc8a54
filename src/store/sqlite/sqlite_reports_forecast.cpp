// Reads for forecasts (RPT-3) over the rollups sku_days and customer_sku_days: each walks the
// table's primary key (tenant_id, sku, day) or (tenant_id, phone, sku, day) in order, so rows come
// out grouped and sorted without a sort step, and a day range costs the rows in it.
#include "store/sqlite/sqlite_reports.h"

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
  // NOT INDEXED keeps SQLite on the primary key, already in the order wanted, rather than the day
  // index followed by a sort of every row in the range.
  Query q = db_.query(
      "SELECT phone, sku, day FROM customer_sku_days NOT INDEXED "
      "WHERE tenant_id = ? AND day >= ? AND day <= ? ORDER BY phone, sku, day");
  q.bind_all(tenant_, from, to);
  return repeated(q);
}

std::vector<PurchaseDay> SqliteReports::repeat_purchases_of(const std::string& phone,
                                                            const std::string& from,
                                                            const std::string& to) {
  Query q = db_.query(
      "SELECT phone, sku, day FROM customer_sku_days NOT INDEXED "
      "WHERE tenant_id = ? AND phone = ? AND day >= ? AND day <= ? ORDER BY sku, day");
  q.bind_all(tenant_, phone, from, to);
  return repeated(q);
}

}  // namespace depot::sqlite
