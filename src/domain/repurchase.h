#pragma once
// Repurchase prediction (根据客户历史订单预测未来需求): when a customer who buys a SKU again and
// again will next buy it, from the days they bought it. Pure: the caller passes the days.
//
// Method (docs/forecast.md):
//   - interval: the median of the days between consecutive purchase days, so one late or early
//     purchase does not move it;
//   - expected: the last purchase day plus the interval, rounded to a day;
//   - confidence, 0-1: the chance that the next purchase falls within a quarter of the interval
//     (at least a day) of the expected day if intervals were normal with the customer's spread,
//     times a decay once the expected day has passed. The spread is the robust coefficient of
//     variation (1.4826 × median absolute deviation / median) shrunk towards prior_cv as if the
//     prior were prior_weight intervals, so that two or three purchases do not claim a certainty
//     they cannot have; a customer with one interval gets prior_cv. Past the expected day the
//     confidence decays as exp(-days late / interval).
//   - due: expected before the end of the window (today + within_days), and not lapsed: a
//     customer more than one whole interval late has stopped buying, as far as depot can tell.
// It is a score for ranking and reminding, not a calibrated probability: bench/forecast_accuracy
// measures how often the customers it lists as due do buy.

#include <chrono>
#include <optional>
#include <span>

namespace depot {

struct RepurchaseOptions {
  double prior_cv = 0.5;
  double prior_weight = 2;
  double tolerance = 0.25;  // of the interval
};

struct RepurchasePrediction {
  int purchases = 0;  // days with a purchase
  double interval_days = 0;
  std::chrono::sys_days last_purchase;
  std::chrono::sys_days expected;
  double confidence = 0;
};

// From the days a customer bought one SKU, ascending and distinct; nothing with fewer than two.
std::optional<RepurchasePrediction> predict_repurchase(
    std::span<const std::chrono::sys_days> purchase_days, std::chrono::sys_days today,
    const RepurchaseOptions& options = {});

// Expected before today + within_days and not lapsed (see above).
bool is_due(const RepurchasePrediction& prediction, std::chrono::sys_days today, int within_days);

}  // namespace depot
