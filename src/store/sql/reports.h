#pragma once
// ReportReads in SQL, for every SQL store: reads over the rollup tables and paged scans for
// exports, scoped by the snapshot's tenant. Runs on a read connection inside one read
// transaction, which the store opens and closes.

#include "app/report_ports.h"
#include "store/sql/connection.h"

namespace depot::sql {

class SqlReports : public ReportReads {
 public:
  SqlReports(Connection& db, TenantId tenant) : db_(db), tenant_(tenant) {}

  // Dashboard (reports_dashboard.cpp)
  std::vector<OrderDay> order_days(const std::string& from, const std::string& to) override;
  ShipTotals ship_totals(const std::string& from, const std::string& to) override;
  std::vector<CarrierTotals> carrier_totals(const std::string& from,
                                            const std::string& to) override;
  std::vector<ChannelTotals> channel_totals(const std::string& from,
                                            const std::string& to) override;
  AfterSalesTotals after_sales_totals(const std::string& from, const std::string& to) override;
  std::vector<SkuTotals> top_skus(const std::string& from, const std::string& to,
                                  int limit) override;
  StockSummary stock_summary(int limit) override;
  std::vector<LowStock> low_stock(int limit) override;

  // Exports (reports_exports.cpp)
  std::int64_t count_orders_created_between(Instant from, Instant to) override;
  std::vector<Order> orders_created_between(Instant from, Instant to, const OrderCursor& after,
                                            int limit) override;
  std::int64_t count_movements_between(Instant from, Instant to) override;
  std::vector<LedgerEntry> movements_between(Instant from, Instant to, std::int64_t after_id,
                                             int limit) override;
  std::int64_t count_notifications_between(Instant from, Instant to) override;
  std::vector<Notification> notifications_between(Instant from, Instant to, std::int64_t after_id,
                                                  int limit) override;

  // Forecasts (reports_forecast.cpp)
  std::vector<DemandDay> demand_of(const std::string& sku, const std::string& from,
                                   const std::string& to) override;
  std::vector<DemandDay> demand_by_sku(const std::string& from, const std::string& to) override;
  std::vector<PurchaseDay> repeat_purchases(const std::string& from,
                                            const std::string& to) override;
  std::vector<PurchaseDay> repeat_purchases_of(const std::string& phone, const std::string& from,
                                               const std::string& to,
                                               int utc_offset_minutes) override;

 protected:
  Connection& db_;
  TenantId tenant_;
};

}  // namespace depot::sql
