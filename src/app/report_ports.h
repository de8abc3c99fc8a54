#pragma once
// The store's interface for reports, forecasts and exports (SPEC RPT-1 … RPT-5): reads over the
// rollups the store keeps in the same transaction as every change, and paged scans for exports.
// Apart from ReadTx so that these reads, which may walk a year of rows, are handed only to the use
// cases that need them.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/ports.h"
#include "domain/dashboard.h"

namespace depot {

// Forecasts: units of a SKU sold on one of the merchant's days ("YYYY-MM-DD").
struct DemandDay {
  std::string sku;
  std::string day;
  std::int64_t units = 0;
};

// A day on which a customer (by phone) bought a SKU.
struct PurchaseDay {
  std::string phone;
  std::string sku;
  std::string day;
};

// Where a page of orders for an export ended: its last order's creation time and id.
struct OrderCursor {
  Instant created_at;
  std::int64_t id = 0;
};

// One consistent snapshot of one merchant's reporting data.
class ReportReads {
 public:
  virtual ~ReportReads() = default;

  // Dashboard (RPT-1): sums of the rollups (domain/rollups.h) over the merchant's days `from` to
  // `to` ("YYYY-MM-DD", both included); each reads at most one row per day (and SKU, carrier or
  // channel). Days without rows are left out.
  virtual std::vector<OrderDay> order_days(const std::string& from, const std::string& to) = 0;
  virtual ShipTotals ship_totals(const std::string& from, const std::string& to) = 0;
  virtual std::vector<CarrierTotals> carrier_totals(const std::string& from,
                                                    const std::string& to) = 0;
  virtual std::vector<ChannelTotals> channel_totals(const std::string& from,
                                                    const std::string& to) = 0;
  virtual AfterSalesTotals after_sales_totals(const std::string& from, const std::string& to) = 0;
  // The SKUs that sold the most units, at most `limit`.
  virtual std::vector<SkuTotals> top_skus(const std::string& from, const std::string& to,
                                          int limit) = 0;
  // Stock now: the catalogue's totals and the `limit` products with the least available.
  virtual StockSummary stock_summary(int limit) = 0;
  // Open low-stock alerts, the oldest first, with what is available now.
  virtual std::vector<LowStock> low_stock(int limit) = 0;

  // Exports (RPT-2): the rows of a time range [from, to), oldest first, a page after the last row
  // of the page before, so an export of any size is read one bounded page at a time. Counts are
  // for progress.
  // Orders created in the range with their lines (not their history), by creation time and id.
  virtual std::int64_t count_orders_created_between(Instant from, Instant to) = 0;
  virtual std::vector<Order> orders_created_between(Instant from, Instant to,
                                                    const OrderCursor& after, int limit) = 0;
  // Stock movements of every SKU in the range, by id (the ledger's order).
  virtual std::int64_t count_movements_between(Instant from, Instant to) = 0;
  virtual std::vector<LedgerEntry> movements_between(Instant from, Instant to,
                                                     std::int64_t after_id, int limit) = 0;
  // Notification deliveries created in the range, by id, without their rendered messages.
  virtual std::int64_t count_notifications_between(Instant from, Instant to) = 0;
  virtual std::vector<Notification> notifications_between(Instant from, Instant to,
                                                          std::int64_t after_id, int limit) = 0;

  // Forecasts (RPT-3): units sold per merchant day from the rollups sku_days and customer_sku_days
  // (domain/rollups.h), over days `from` to `to` ("YYYY-MM-DD", both included); a day without a
  // row sold nothing and is left out.
  // One SKU's days, by day.
  virtual std::vector<DemandDay> demand_of(const std::string& sku, const std::string& from,
                                           const std::string& to) = 0;
  // Every SKU's days, by SKU and day.
  virtual std::vector<DemandDay> demand_by_sku(const std::string& from, const std::string& to) = 0;
  // The days each customer bought each SKU, by phone, SKU and day; a customer and SKU with only
  // one such day in the range are left out (one purchase is no pattern).
  virtual std::vector<PurchaseDay> repeat_purchases(const std::string& from,
                                                    const std::string& to) = 0;
  // The same for one customer, whose days are counted from the orders at the merchant's offset
  // from UTC (the one the rollups are kept at).
  virtual std::vector<PurchaseDay> repeat_purchases_of(const std::string& phone,
                                                       const std::string& from,
                                                       const std::string& to,
                                                       int utc_offset_minutes) = 0;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  virtual std::unique_ptr<ReportReads> read_reports(TenantId tenant) = 0;
};

}  // namespace depot
