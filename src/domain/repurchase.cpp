#include "domain/repurchase.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace depot {

namespace {

// The scale that makes the median absolute deviation estimate a normal's standard deviation.
constexpr double kMadToSigma = 1.4826;

// REQUIRES: values is not empty. Reorders them.
double median(std::vector<double>& values) {
  std::sort(values.begin(), values.end());
  std::size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) return values[middle];
  return (values[middle - 1] + values[middle]) / 2.0;
}

}  // namespace

std::optional<RepurchasePrediction> predict_repurchase(
    std::span<const std::chrono::sys_days> purchase_days, std::chrono::sys_days today,
    const RepurchaseOptions& options) {
  if (purchase_days.size() < 2) return std::nullopt;
  std::vector<double> intervals;
  for (std::size_t i = 1; i < purchase_days.size(); ++i) {
    intervals.push_back(static_cast<double>((purchase_days[i] - purchase_days[i - 1]).count()));
  }
  auto count = static_cast<double>(intervals.size());
  double interval = median(intervals);

  double spread = options.prior_cv;
  if (intervals.size() >= 2) {
    std::vector<double> deviations;
    for (double days : intervals) deviations.push_back(std::abs(days - interval));
    double observed = kMadToSigma * median(deviations) / interval;
    spread = (count * observed + options.prior_weight * options.prior_cv) /
             (count + options.prior_weight);
  }

  RepurchasePrediction prediction;
  prediction.purchases = static_cast<int>(purchase_days.size());
  prediction.interval_days = interval;
  prediction.last_purchase = purchase_days.back();
  prediction.expected =
      prediction.last_purchase + std::chrono::days{static_cast<int>(std::lround(interval))};
  double tolerance = std::max(1.0, options.tolerance * interval);
  double on_time =
      spread > 0 ? std::erf(tolerance / (spread * interval * std::numbers::sqrt2)) : 1.0;
  double days_late = static_cast<double>((today - prediction.expected).count());
  double still_buying = days_late > 0 ? std::exp(-days_late / interval) : 1.0;
  prediction.confidence = on_time * still_buying;
  return prediction;
}

bool is_due(const RepurchasePrediction& prediction, std::chrono::sys_days today, int within_days) {
  if (prediction.expected >= today + std::chrono::days{within_days}) return false;
  double days_late = static_cast<double>((today - prediction.expected).count());
  return days_late <= prediction.interval_days;
}

}  // namespace depot
