#pragma once
// Reorder advice for one SKU (SPEC RPT-3) from its demand forecast (domain/forecast.h): when to
// order and how much. Pure.
//
//   lead-time demand   D_L = the forecast summed over the lead time's L days
//   safety stock       SS  = z(service level) × σ × √L, σ the forecast's daily error
//   reorder point      ROP = D_L + SS: order when the available stock is at or below it
//   review demand      D_R = the forecast summed over the R review days after the lead time
//   suggested quantity Q   = max(0, ⌈ROP + D_R − available⌉): enough to cover the lead time at the
//                            service level and then the days until stock is next reviewed
//   days of cover          = available / the mean daily forecast; absent when no demand is
//                            forecast (the stock lasts indefinitely)
// The service level is the chance of not running out during a lead time (a cycle service level);
// z is its standard normal quantile.

#include <cstdint>
#include <optional>
#include <span>

namespace depot {

// The z with P(Z ≤ z) = p for a standard normal Z: Acklam's rational approximation (relative error
// below 1.2e-9) refined by one step of Halley's method, which brings it to double precision.
// REQUIRES: 0 < p < 1.
double inverse_normal_cdf(double p);

struct ReorderPolicy {
  std::int64_t lead_days = 7;
  std::int64_t review_days = 7;
  double service_level = 0.95;  // REQUIRES: 0.5 <= service_level < 1
};

struct ReorderAdvice {
  double mean_daily_demand = 0;  // over the whole forecast given
  double lead_time_demand = 0;
  double safety_stock = 0;
  double reorder_point = 0;
  std::int64_t suggested_quantity = 0;
  std::optional<double> days_of_cover;
  // The available stock is at or below the reorder point and there is something to order.
  bool reorder_now = false;
};

// REQUIRES: daily_forecast.size() >= lead_days + review_days, daily_sigma >= 0.
ReorderAdvice advise_reorder(std::span<const double> daily_forecast, double daily_sigma,
                             std::int64_t available, const ReorderPolicy& policy);

}  // namespace depot
