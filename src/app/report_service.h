#pragma once
// The dashboard (SPEC RPT-1): one request answers every figure of a range of the merchant's days,
// read from the rollups in one snapshot (app/report_ports.h), so its cost follows the number of
// days, not the number of orders. Thread-safe; reads run on the caller's thread.

#include <string>

#include "app/actor.h"
#include "app/report_ports.h"
#include "domain/dashboard.h"

namespace depot {

// The range as asked: "YYYY-MM-DD" days in the merchant's time zone, "" when not given.
struct DashboardQuery {
  std::string from;
  std::string to;
};

inline constexpr int kDashboardTopSkus = 10;
inline constexpr int kDashboardLowestStock = 20;
inline constexpr int kDashboardLowStockAlerts = 100;

class ReportService {
 public:
  ReportService(Store& store, ReportStore& reports, Clock& clock)
      : store_(store), reports_(reports), clock_(clock) {}

  // Needs read access. Refuses a range that is not one (see dashboard_range) naming `from` or
  // `to`; a missing `to` is the merchant's today, a missing `from` 30 days before it.
  Result<Dashboard> dashboard(const Actor& actor, const DashboardQuery& query);

 private:
  Store& store_;
  ReportStore& reports_;
  Clock& clock_;
};

}  // namespace depot
