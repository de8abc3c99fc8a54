#pragma once
// Planning ahead from the merchant's history (docs/forecast.md): a demand forecast and reorder
// advice per SKU and the list of SKUs to reorder now (RPT-3), the customers expected to buy a SKU
// again soon (repurchase prediction), and which carrier is fastest on a route with the latest ship
// time for a promised delivery (RPT-4). The math is the domain's (domain/forecast.h, reorder.h,
// repurchase.h, shipping_advice.h); this gathers its inputs: daily demand and purchase days from
// the report rollups, available stock and settings from a read snapshot, the ETA model from the
// cache. Days are the merchant's (ReportPolicy::utc_offset_minutes); today is still under way, so
// a forecast learns from the days before it and starts with it.
//
// Reads only, on the calling thread; each call costs one forecast per SKU it covers (about a
// millisecond: bench/forecast_accuracy.cpp). Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/eta_cache.h"
#include "app/report_ports.h"
#include "domain/dashboard.h"
#include "domain/forecast.h"
#include "domain/reorder.h"
#include "domain/repurchase.h"
#include "domain/shipping_advice.h"

namespace depot {

struct DailyDemand {
  std::string date;  // YYYY-MM-DD, the merchant's day
  double demand = 0;
};

struct SkuForecast {
  std::string sku;
  std::vector<DailyDemand> history;  // units sold each day of the window, up to yesterday
  std::vector<DailyDemand> daily;    // the forecast from today, ForecastService::horizon days
  DemandForecast forecast;           // its model, errors and spread (its days are in `daily`)
  std::int64_t available = 0;        // over every location, now
  ReorderPolicy policy;
  ReorderAdvice advice;
};

// A SKU to reorder now: its available stock is at or below its reorder point.
struct ReplenishmentLine {
  std::string sku;
  std::string name;
  std::int64_t available = 0;
  ForecastModel model = ForecastModel::none;
  ReorderPolicy policy;
  ReorderAdvice advice;
};

struct RepurchaseDue {
  std::string phone;
  std::string sku;
  RepurchasePrediction prediction;
};

struct RepurchaseDueList {
  std::vector<RepurchaseDue> items;  // the first `limit`, the earliest expected first
  std::int64_t total = 0;            // due in the window, listed or not
};

struct ShippingAdviceQuery {
  std::string province;            // the destination's six-digit province code ("440000")
  std::string origin;              // the sender's; "" for warehouse main's sender, if any
  std::optional<Instant> ship_at;  // default: now
  // The promise, if any: a time, or a day of the merchant's (by the end of it).
  std::optional<Instant> deliver_by;
  std::optional<Day> deliver_on;
};

struct ShippingAdviceAnswer {
  ShippingAdvice advice;
  std::string origin;  // the origin advised for: the query's, else warehouse main's; "" for none
  Instant ship_at;
  std::optional<Instant> deliver_by;
};

class ForecastService {
 public:
  static constexpr int kHistoryDays = 26 * 7;
  static constexpr int kMinHorizonDays = 28;  // four whole weeks: days of cover span the pattern
  static constexpr int kPurchaseHistoryDays = 365;
  static constexpr int kMaxWithinDays = 90;

  ForecastService(Store& store, ReportStore& reports, Clock& clock, EtaCache& etas)
      : store_(store), reports_(reports), clock_(clock), etas_(etas) {}

  // 404 for an unknown SKU.
  Result<SkuForecast> forecast(const Actor& actor, const std::string& sku);
  // Every SKU sold in the window whose stock is at or below its reorder point, the fewest days of
  // cover first.
  Result<std::vector<ReplenishmentLine>> replenishment(const Actor& actor);
  // Customers and SKUs due within `within_days` (1-90) from today; `limit` as for pages.
  Result<RepurchaseDueList> repurchase_due(const Actor& actor, int within_days, int limit);
  // Every SKU one customer bought on two days or more in the last year, with its prediction.
  Result<std::vector<RepurchaseDue>> repurchase_of(const Actor& actor, const std::string& phone);
  Result<ShippingAdviceAnswer> shipping_advice(const Actor& actor,
                                               const ShippingAdviceQuery& query);

  // The days a forecast covers: four weeks, or the lead time and a review period when longer.
  static int horizon(const ReorderPolicy& policy);

 private:
  Store& store_;
  ReportStore& reports_;
  Clock& clock_;
  EtaCache& etas_;
};

}  // namespace depot
