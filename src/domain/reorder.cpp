#include "domain/reorder.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace depot {

namespace {

// Acklam's coefficients: a rational function of p - 1/2 in the centre, of √(-2 ln p) in the tails.
constexpr double kA[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                         1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
constexpr double kB[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                         6.680131188771972e+01, -1.328068155288572e+01};
constexpr double kC[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                         -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
constexpr double kD[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                         3.754408661907416e+00};
constexpr double kTail = 0.02425;

// The lower tail's approximation at q = √(-2 ln p).
double lower_tail(double q) {
  return (((((kC[0] * q + kC[1]) * q + kC[2]) * q + kC[3]) * q + kC[4]) * q + kC[5]) /
         ((((kD[0] * q + kD[1]) * q + kD[2]) * q + kD[3]) * q + 1.0);
}

double sum(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

}  // namespace

double inverse_normal_cdf(double p) {
  double x;
  if (p < kTail) {
    x = lower_tail(std::sqrt(-2.0 * std::log(p)));
  } else if (p > 1.0 - kTail) {
    x = -lower_tail(std::sqrt(-2.0 * std::log(1.0 - p)));
  } else {
    double q = p - 0.5;
    double r = q * q;
    x = (((((kA[0] * r + kA[1]) * r + kA[2]) * r + kA[3]) * r + kA[4]) * r + kA[5]) * q /
        (((((kB[0] * r + kB[1]) * r + kB[2]) * r + kB[3]) * r + kB[4]) * r + 1.0);
  }
  // One Halley step on Φ(x) - p, with Φ from erfc (accurate in both tails).
  double error = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
  double u = error * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
  return x - u / (1.0 + x * u / 2.0);
}

ReorderAdvice advise_reorder(std::span<const double> daily_forecast, double daily_sigma,
                             std::int64_t available, const ReorderPolicy& policy) {
  auto lead = static_cast<std::size_t>(policy.lead_days);
  auto review = static_cast<std::size_t>(policy.review_days);
  ReorderAdvice advice;
  if (!daily_forecast.empty()) {
    advice.mean_daily_demand = sum(daily_forecast) / static_cast<double>(daily_forecast.size());
  }
  advice.lead_time_demand = sum(daily_forecast.first(lead));
  advice.safety_stock = inverse_normal_cdf(policy.service_level) * daily_sigma *
                        std::sqrt(static_cast<double>(policy.lead_days));
  advice.reorder_point = advice.lead_time_demand + advice.safety_stock;
  double review_demand = sum(daily_forecast.subspan(lead, review));
  double shortfall = advice.reorder_point + review_demand - static_cast<double>(available);
  // A shortfall a rounding error above a whole number is that number.
  advice.suggested_quantity =
      std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(shortfall - 1e-9)));
  if (advice.mean_daily_demand > 0) {
    advice.days_of_cover = std::max(0.0, static_cast<double>(available)) / advice.mean_daily_demand;
  }
  advice.reorder_now =
      static_cast<double>(available) <= advice.reorder_point && advice.suggested_quantity > 0;
  return advice;
}

}  // namespace depot
