// Reads for forecasts (RPT-3) over the rollups sku_days and customer_sku_days. The demand reads
// walk sku_days' primary key (tenant_id, sku, day) in order, so rows come out grouped and sorted
// without a sort step. customer_sku_days is keyed by day first, which keeps an order's creation
// cheap (schema 0014): the repurchase reads group the days they read by customer themselves, and
// one customer's purchases come from the orders by phone, counted as the rollup counts them.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "store/sql/reports.h"
#include "store/sql/rollups.h"

namespace depot::sql {

namespace {

std::vector<DemandDay> demand_rows(Query& q) {
  std::vector<DemandDay> days;
  while (q.step()) days.push_back({q.text(0), q.text(1), q.integer(2)});
  return days;
}

// Texts numbered in the order first seen, and their ranks in sorted order.
class Names {
 public:
  std::uint32_t id_of(std::string text) {
    auto [found, added] =
        ids_.try_emplace(std::move(text), static_cast<std::uint32_t>(ids_.size()));
    if (added) names_.push_back(&found->first);
    return found->second;
  }
  const std::string& name(std::uint32_t id) const { return *names_[id]; }
  std::vector<std::uint32_t> ranks() const {
    std::vector<std::uint32_t> by_name(names_.size());
    std::iota(by_name.begin(), by_name.end(), 0);
    std::sort(by_name.begin(), by_name.end(),
              [&](std::uint32_t a, std::uint32_t b) { return *names_[a] < *names_[b]; });
    std::vector<std::uint32_t> rank(names_.size());
    for (std::uint32_t i = 0; i < by_name.size(); ++i) rank[by_name[i]] = i;
    return rank;
  }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<const std::string*> names_;
};

// The rows of `q` (phone, sku, day, in any order, each once) by phone, SKU and day, less the
// customers and SKUs with one day only. A year of a large merchant's purchases is millions of
// rows, so they are sorted as numbered triples (12 bytes) rather than as strings.
std::vector<PurchaseDay> repeated(Query& q) {
  struct Purchase {
    std::uint32_t phone, sku, day;
  };
  Names phones, skus, days;
  std::vector<Purchase> purchases;
  while (q.step()) {
    purchases.push_back({phones.id_of(q.text(0)), skus.id_of(q.text(1)), days.id_of(q.text(2))});
  }
  const std::vector<std::uint32_t> phone_rank = phones.ranks(), sku_rank = skus.ranks(),
                                   day_rank = days.ranks();
  auto key = [&](const Purchase& p) {
    return std::tuple(phone_rank[p.phone], sku_rank[p.sku], day_rank[p.day]);
  };
  std::sort(purchases.begin(), purchases.end(),
            [&](const Purchase& a, const Purchase& b) { return key(a) < key(b); });
  std::vector<PurchaseDay> repeats;
  for (std::size_t begin = 0, end = 0; begin < purchases.size(); begin = end) {
    end = begin + 1;
    while (end < purchases.size() && purchases[end].phone == purchases[begin].phone &&
           purchases[end].sku == purchases[begin].sku) {
      ++end;
    }
    if (end - begin < 2) continue;  // one purchase is no pattern
    for (std::size_t i = begin; i < end; ++i) {
      repeats.push_back({phones.name(purchases[i].phone), skus.name(purchases[i].sku),
                         days.name(purchases[i].day)});
    }
  }
  return repeats;
}

}  // namespace

std::vector<DemandDay> SqlReports::demand_of(const std::string& sku, const std::string& from,
                                             const std::string& to) {
  Query q = db_.query(
      "SELECT sku, day, units FROM sku_days WHERE tenant_id = ? AND sku = ? AND day >= ? "
      "AND day <= ? ORDER BY day");
  q.bind_all(tenant_, sku, from, to);
  return demand_rows(q);
}

std::vector<DemandDay> SqlReports::demand_by_sku(const std::string& from, const std::string& to) {
  Query q = db_.query(
      "SELECT sku, day, units FROM sku_days WHERE tenant_id = ? AND day >= ? AND day <= ? "
      "ORDER BY sku, day");
  q.bind_all(tenant_, from, to);
  return demand_rows(q);
}

std::vector<PurchaseDay> SqlReports::repeat_purchases(const std::string& from,
                                                      const std::string& to) {
  // Rows come in the key's order, by day, and repeated() groups them: an ORDER BY here would cost
  // SQLite several times as much, and hold every row of the range in memory as text.
  Query q = db_.query(
      "SELECT phone, sku, day FROM customer_sku_days "
      "WHERE tenant_id = ? AND day >= ? AND day <= ?");
  q.bind_all(tenant_, from, to);
  return repeated(q);
}

std::vector<PurchaseDay> SqlReports::repeat_purchases_of(const std::string& phone,
                                                         const std::string& from,
                                                         const std::string& to,
                                                         int utc_offset_minutes) {
  // The orders_phone index finds the customer's orders; a customer has few.
  const std::string day = day_of(db_, "o.created_at");
  const std::string sql = "SELECT o.customer_phone, l.sku, " + day + " AS d " + customer_lines() +
                          " AND o.customer_phone = ?3 AND " + day + " BETWEEN ?4 AND ?5 " +
                          "GROUP BY o.customer_phone, l.sku, d";
  Query q = db_.query(sql);
  q.bind_all(tenant_, utc_offset_minutes, phone, from, to);
  return repeated(q);
}

}  // namespace depot::sql
