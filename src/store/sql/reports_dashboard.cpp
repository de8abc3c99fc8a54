// The dashboard's reads: sums of the rollup tables (schema 0008) over a range of the merchant's
// days, and the stock as it is now.
#include "store/sql/reports.h"

namespace depot::sql {

namespace {

std::string order_day_columns() {
  std::string columns = "day, orders, gmv, refunded";
  for (OrderStatus status : kAllOrderStatuses) columns += ", " + std::string(to_string(status));
  return columns;
}

}  // namespace

std::vector<OrderDay> SqlReports::order_days(const std::string& from, const std::string& to) {
  static const std::string sql = "SELECT " + order_day_columns() +
                                 " FROM order_days WHERE tenant_id = ? AND day BETWEEN ? AND ? "
                                 "ORDER BY day";
  Query q = db_.query(sql);
  q.bind_all(tenant_, from, to);
  std::vector<OrderDay> days;
  while (q.step()) {
    OrderDay& day = days.emplace_back();
    day.day = q.text(0);
    day.orders = q.integer(1);
    day.gmv = q.integer(2);
    day.refunded = q.integer(3);
    for (std::size_t i = 0; i < day.by_status.size(); ++i) {
      day.by_status[i] = q.integer(4 + static_cast<int>(i));
    }
  }
  return days;
}

ShipTotals SqlReports::ship_totals(const std::string& from, const std::string& to) {
  Query q = db_.query(
      "SELECT COALESCE(SUM(shipped), 0), COALESCE(SUM(promised), 0), COALESCE(SUM(on_time), 0), "
      "COALESCE(SUM(ship_seconds), 0) "
      "FROM ship_days WHERE tenant_id = ? AND day BETWEEN ? AND ?");
  q.bind_all(tenant_, from, to);
  ShipTotals totals;
  if (q.step()) {
    totals.shipped = q.integer(0);
    totals.promised = q.integer(1);
    totals.on_time = q.integer(2);
    totals.ship_seconds = q.integer(3);
  }
  return totals;
}

std::vector<CarrierTotals> SqlReports::carrier_totals(const std::string& from,
                                                      const std::string& to) {
  Query q = db_.query(
      "SELECT carrier, SUM(delivered) AS n, SUM(transit_seconds) FROM carrier_days "
      "WHERE tenant_id = ? AND day BETWEEN ? AND ? GROUP BY carrier ORDER BY n DESC, carrier");
  q.bind_all(tenant_, from, to);
  std::vector<CarrierTotals> carriers;
  while (q.step()) carriers.push_back({q.text(0), q.integer(1), q.integer(2)});
  return carriers;
}

std::vector<ChannelTotals> SqlReports::channel_totals(const std::string& from,
                                                      const std::string& to) {
  Query q = db_.query(
      "SELECT channel, SUM(succeeded), SUM(failed) FROM notification_days "
      "WHERE tenant_id = ? AND day BETWEEN ? AND ? GROUP BY channel ORDER BY channel");
  q.bind_all(tenant_, from, to);
  std::vector<ChannelTotals> channels;
  while (q.step()) channels.push_back({q.text(0), q.integer(1), q.integer(2)});
  return channels;
}

AfterSalesTotals SqlReports::after_sales_totals(const std::string& from, const std::string& to) {
  Query q = db_.query(
      "SELECT COALESCE(SUM(returns), 0), COALESCE(SUM(exchanges), 0), COALESCE(SUM(complaints), "
      "0), COALESCE(SUM(feedback), 0), "
      "COALESCE(SUM(rating_sum), 0), COALESCE(SUM(damaged), 0) FROM after_sales_days "
      "WHERE tenant_id = ? AND day BETWEEN ? AND ?");
  q.bind_all(tenant_, from, to);
  AfterSalesTotals totals;
  if (q.step()) {
    totals.returns = q.integer(0);
    totals.exchanges = q.integer(1);
    totals.complaints = q.integer(2);
    totals.feedback = q.integer(3);
    totals.rating_sum = q.integer(4);
    totals.damaged = q.integer(5);
  }
  return totals;
}

std::vector<SkuTotals> SqlReports::top_skus(const std::string& from, const std::string& to,
                                            int limit) {
  Query q = db_.query(
      "SELECT sku, SUM(units) AS units, SUM(revenue), SUM(orders) FROM sku_days "
      "WHERE tenant_id = ? AND day BETWEEN ? AND ? GROUP BY sku ORDER BY units DESC, sku "
      "LIMIT ?");
  q.bind_all(tenant_, from, to, limit);
  std::vector<SkuTotals> skus;
  while (q.step()) skus.push_back({q.text(0), q.integer(1), q.integer(2), q.integer(3)});
  return skus;
}

StockSummary SqlReports::stock_summary(int limit) {
  StockSummary summary;
  {
    Query q = db_.query(
        "SELECT (SELECT COUNT(*) FROM products WHERE tenant_id = ?1), COALESCE(SUM(on_hand), 0), "
        "COALESCE(SUM(reserved), 0) FROM stock_balances WHERE tenant_id = ?1");
    q.bind_all(tenant_);
    if (q.step()) {
      summary.skus = q.integer(0);
      summary.on_hand = q.integer(1);
      summary.reserved = q.integer(2);
    }
  }
  // A product with no balance row has nothing: it sorts first.
  Query q = db_.query(
      "SELECT p.sku, p.name, COALESCE(SUM(b.on_hand), 0), COALESCE(SUM(b.reserved), 0), "
      "p.low_stock_threshold FROM products p LEFT JOIN stock_balances b "
      "ON b.tenant_id = p.tenant_id AND b.sku = p.sku WHERE p.tenant_id = ? "
      "GROUP BY p.sku, p.name, p.low_stock_threshold "
      "ORDER BY COALESCE(SUM(b.on_hand - b.reserved), 0), p.sku LIMIT ?");
  q.bind_all(tenant_, limit);
  while (q.step()) {
    summary.lowest.push_back({q.text(0), q.text(1), q.integer(2), q.integer(3), q.integer(4)});
  }
  return summary;
}

std::vector<LowStock> SqlReports::low_stock(int limit) {
  Query q = db_.query(
      "SELECT a.sku, (SELECT COALESCE(SUM(b.on_hand - b.reserved), 0) FROM stock_balances b "
      "WHERE b.tenant_id = a.tenant_id AND b.sku = a.sku), a.threshold, a.opened_at "
      "FROM alerts a WHERE a.tenant_id = ? AND a.kind = 'low_stock' AND a.closed_at IS NULL "
      "ORDER BY a.opened_at, a.id LIMIT ?");
  q.bind_all(tenant_, limit);
  std::vector<LowStock> alerts;
  while (q.step()) {
    alerts.push_back({q.text(0), q.integer(1), q.integer(2), from_millis(q.integer(3))});
  }
  return alerts;
}

}  // namespace depot::sql
