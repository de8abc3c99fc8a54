// Demand forecasts and reorder advice (RPT-3) on series with known answers: exact patterns the
// models must reproduce, hand-computed errors and reorder quantities, and generated series on
// which the fitted model must beat the seasonal-naive baseline.
#include "domain/forecast.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "domain/reorder.h"

namespace depot {
namespace {

// Normal draws from the standard's fully specified mt19937_64 by Box-Muller, so every standard
// library generates the same series.
class Noise {
 public:
  explicit Noise(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double normal(double sigma) {
    double u = 1.0 - uniform();
    return sigma * std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * uniform());
  }

 private:
  std::mt19937_64 engine_;
};

const std::vector<double> kWeekPattern = {-6, -2, 0, 1, 3, 9, 7};  // Monday-light, weekend-heavy

// `days` of 20 units a day plus `slope` a day, the weekly pattern and normal noise of `sigma`.
std::vector<double> seasonal_series(int days, double slope, double sigma, std::uint64_t seed) {
  Noise noise(seed);
  std::vector<double> series;
  for (int t = 0; t < days; ++t) {
    double value = 20 + slope * t + kWeekPattern[t % 7] + noise.normal(sigma);
    series.push_back(std::max(0.0, std::round(value)));
  }
  return series;
}

// Demand on about one day in five, of 1 to 5 units.
std::vector<double> intermittent_series(int days, std::uint64_t seed) {
  Noise noise(seed);
  std::vector<double> series;
  for (int t = 0; t < days; ++t) {
    bool sold = noise.uniform() < 0.2;
    series.push_back(sold ? 1 + std::floor(noise.uniform() * 5) : 0);
  }
  series.front() = 3;
  return series;
}

TEST(InverseNormal, MatchesKnownQuantiles) {
  EXPECT_NEAR(inverse_normal_cdf(0.5), 0.0, 1e-12);
  EXPECT_NEAR(inverse_normal_cdf(0.8), 0.8416212335729143, 1e-9);
  EXPECT_NEAR(inverse_normal_cdf(0.9), 1.2815515655446004, 1e-9);
  EXPECT_NEAR(inverse_normal_cdf(0.95), 1.6448536269514722, 1e-9);
  EXPECT_NEAR(inverse_normal_cdf(0.975), 1.959963984540054, 1e-9);
  EXPECT_NEAR(inverse_normal_cdf(0.99), 2.3263478740408408, 1e-9);
  EXPECT_NEAR(inverse_normal_cdf(0.999), 3.090232306167813, 1e-9);
  EXPECT_NEAR(inverse_normal_cdf(0.01), -2.3263478740408408, 1e-9);  // the lower tail
  EXPECT_NEAR(inverse_normal_cdf(0.02), -2.053748910631823, 1e-9);   // beside the central region
  EXPECT_NEAR(inverse_normal_cdf(1e-6), -4.753424308822899, 1e-8);
}

TEST(ForecastErrors, SeasonalNaiveRepeatsTheLastSeason) {
  std::vector<double> series = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
  EXPECT_EQ(seasonal_naive(series, 7, 9), (std::vector<double>{8, 9, 10, 11, 12, 13, 14, 8, 9}));
}

TEST(ForecastErrors, MaseAndSmapeByHand) {
  // Each day is one above the same day a week before: the in-sample seasonal-naive MAE is 1.
  std::vector<double> training = {1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 8};
  std::vector<double> actual = {10, 4};
  std::vector<double> predicted = {8, 5};
  EXPECT_NEAR(*mase(actual, predicted, training, 7), 1.5, 1e-12);  // MAE (2 + 1) / 2 over 1
  // 100 / 2 × (2·2/18 + 2·1/9)
  EXPECT_NEAR(*smape(actual, predicted), 100.0 / 2 * (4.0 / 18 + 2.0 / 9), 1e-12);
  // A day with nothing sold and nothing forecast is exact.
  std::vector<double> zeros = {0, 4};
  EXPECT_NEAR(*smape(zeros, zeros), 0.0, 1e-12);
  // A series that repeats itself exactly has no seasonal-naive error to scale by.
  std::vector<double> flat(14, 5.0);
  EXPECT_FALSE(mase(actual, predicted, flat, 7).has_value());
}

TEST(HoltWinters, ReproducesAnExactSeasonalTrend) {
  // 10 + 0.5 t plus the weekly pattern, no noise: the initial states are exact, every one-step
  // error is zero, and an undamped trend (phi = 1) continues the line exactly.
  std::vector<double> series;
  for (int t = 0; t < 56; ++t) series.push_back(10 + 0.5 * t + kWeekPattern[t % 7]);
  SmoothingRun run = run_holt_winters(series, 7, {0.4, 0.1, 0.2, 1.0}, 10);
  for (double e : run.one_step_errors) EXPECT_NEAR(e, 0.0, 1e-9);
  for (int k = 0; k < 10; ++k) {
    int t = 56 + k;
    EXPECT_NEAR(run.forecast[k], 10 + 0.5 * t + kWeekPattern[t % 7], 1e-9) << "day " << t;
  }
}

TEST(HoltWinters, DampedTrendAddsLessEachDay) {
  // A straight line and no seasonal smoothing (gamma = 0 keeps the effects at their exact zero):
  // h days ahead the forecast adds trend × (phi + … + phi^h), so each day adds phi times what the
  // day before added.
  std::vector<double> series;
  for (int t = 0; t < 28; ++t) series.push_back(100 + 2.0 * t);
  SmoothingRun run = run_holt_winters(series, 7, {0.5, 0.1, 0.0, 0.8}, 4);
  double first_step = run.forecast[1] - run.forecast[0];
  EXPECT_GT(first_step, 0);
  EXPECT_NEAR((run.forecast[2] - run.forecast[1]) / first_step, 0.8, 1e-9);
  EXPECT_NEAR((run.forecast[3] - run.forecast[2]) / first_step, 0.64, 1e-9);
}

TEST(HoltWinters, FittedParametersStayInTheirBounds) {
  std::vector<double> series = seasonal_series(84, 0.2, 3, 7);
  HoltWintersParams p = fit_holt_winters(series, 7);
  EXPECT_GE(p.alpha, 0.01);
  EXPECT_LE(p.alpha, 0.99);
  EXPECT_GE(p.beta, 0.001);
  EXPECT_LE(p.beta, 0.5);
  EXPECT_GE(p.gamma, 0.001);
  EXPECT_LE(p.gamma, 0.99 * (1 - p.alpha) + 1e-12);
  EXPECT_GE(p.phi, 0.8);
  EXPECT_LE(p.phi, 0.98);
  // The fit is no worse than the defaults it may start from.
  auto sse = [&](const HoltWintersParams& params) {
    double sum = 0;
    for (double e : run_holt_winters(series, 7, params, 0).one_step_errors) sum += e * e;
    return sum;
  };
  EXPECT_LE(sse(p), sse(HoltWintersParams{}));
}

TEST(Forecast, SeasonalTrendBeatsSeasonalNaiveOnHeldOutWeeks) {
  // Half a year of weekly seasonality, trend and noise. Four held-out weeks are a small sample,
  // so on one draw of the noise the seasonal-naive forecast may get lucky; over twenty draws the
  // fitted model must win on most and on average.
  constexpr int kDraws = 20;
  int wins = 0;
  double model_mase = 0, baseline_mase = 0;
  for (std::uint64_t seed = 1; seed <= kDraws; ++seed) {
    std::vector<double> series = seasonal_series(182, 0.1, 3, seed);
    DemandForecast f = forecast_demand(series, 28);
    ASSERT_TRUE(f.error.mase && f.baseline_error.mase) << "seed " << seed;
    if (f.model == ForecastModel::holt_winters) {
      ++wins;
      EXPECT_LT(*f.error.mase, *f.baseline_error.mase) << "seed " << seed;
    } else {
      EXPECT_EQ(f.model, ForecastModel::seasonal_naive) << "seed " << seed;
    }
    model_mase += *f.error.mase / kDraws;
    baseline_mase += *f.baseline_error.mase / kDraws;
    ASSERT_EQ(f.daily.size(), 28u);
    // The next week continues the trend: about 20 + 0.1 × 185 a day on average.
    double week = 0;
    for (int k = 0; k < 7; ++k) week += f.daily[k];
    EXPECT_NEAR(week / 7, 20 + 0.1 * 185, 3.0) << "seed " << seed;
    EXPECT_GT(f.daily_sigma, 2.0) << "seed " << seed;  // the noise is 3 a day
    EXPECT_LT(f.daily_sigma, 4.5) << "seed " << seed;
  }
  EXPECT_GE(wins, 16);
  EXPECT_LT(model_mase, 0.9);
  EXPECT_LT(model_mase, baseline_mase - 0.15);
}

TEST(Forecast, IntermittentDemandFallsBackToCroston) {
  std::vector<double> series = intermittent_series(182, 11);
  DemandForecast f = forecast_demand(series, 14);
  EXPECT_EQ(f.model, ForecastModel::croston_tsb);
  EXPECT_GT(f.zero_share, 0.5);
  ASSERT_EQ(f.daily.size(), 14u);
  for (double d : f.daily) EXPECT_DOUBLE_EQ(d, f.daily.front());  // flat
  // The true mean is 0.2 × 3 units a day.
  EXPECT_NEAR(f.daily.front(), 0.6, 0.3);
  EXPECT_TRUE(f.error.mase.has_value());
  EXPECT_TRUE(f.baseline_error.mase.has_value());
}

TEST(Forecast, ShortHistoryFallsBackToWeeklyCrostonWithoutErrors) {
  std::vector<double> series = seasonal_series(20, 0, 1, 3);
  DemandForecast f = forecast_demand(series, 7);
  EXPECT_EQ(f.model, ForecastModel::croston_tsb_weekly);
  EXPECT_EQ(f.history_days, 20);
  EXPECT_FALSE(f.error.mase.has_value());
  EXPECT_FALSE(f.error.smape.has_value());
  EXPECT_FALSE(f.baseline_error.mase.has_value());
  // The week keeps its shape: the heaviest weekday of the pattern (index 5) stays the heaviest.
  int heaviest =
      static_cast<int>(std::max_element(f.daily.begin(), f.daily.end()) - f.daily.begin());
  EXPECT_EQ((20 + heaviest) % 7, 5);
  double week = 0;
  for (double d : f.daily) week += d;
  EXPECT_NEAR(week / 7, 20, 2);
}

TEST(Forecast, ShortWeeklyCrostonKeepsAClosedDayClosed) {
  // Three weeks of 10 a day, nothing on every seventh day (a shop shut on Sundays): the forecast
  // is 10 on open days and 0 on the shut one, not a level dragged down by the shut days.
  std::vector<double> series;
  for (int t = 0; t < 21; ++t) series.push_back(t % 7 == 6 ? 0 : 10);
  DemandForecast f = forecast_demand(series, 7);
  EXPECT_EQ(f.model, ForecastModel::croston_tsb_weekly);
  for (int k = 0; k < 7; ++k) {
    EXPECT_NEAR(f.daily[k], (21 + k) % 7 == 6 ? 0.0 : 10.0, 1e-9) << "day " << k;
  }
  EXPECT_NEAR(f.daily_sigma, 0.0, 1e-9);
  std::vector<double> profile = weekday_profile(series, 7);
  EXPECT_NEAR(profile[0], 7.0 / 6, 1e-12);
  EXPECT_NEAR(profile[6], 0.0, 1e-12);
}

TEST(Forecast, VeryShortHistoryIsFlatCroston) {
  std::vector<double> series = {4, 6, 5, 5, 4, 6, 5, 5, 4, 6};
  DemandForecast f = forecast_demand(series, 7);
  EXPECT_EQ(f.model, ForecastModel::croston_tsb);
  for (double d : f.daily) EXPECT_DOUBLE_EQ(d, f.daily.front());
  EXPECT_NEAR(f.daily.front(), 5, 1);
}

TEST(Forecast, TsbDecaysWhenASkuStopsSelling) {
  std::vector<double> series(60, 4.0);
  series.insert(series.end(), 40, 0.0);  // nothing sold for 40 days
  SmoothingRun run = run_croston_tsb(series, {0.1, 0.1}, 1);
  EXPECT_LT(run.forecast.front(), 4.0 * std::pow(0.9, 40) + 1e-9);
}

TEST(Forecast, DaysBeforeTheFirstSaleAreIgnored) {
  std::vector<double> series(100, 0.0);
  std::vector<double> sold = seasonal_series(84, 0, 2, 5);
  series.insert(series.end(), sold.begin(), sold.end());
  DemandForecast f = forecast_demand(series, 7);
  EXPECT_EQ(f.history_days, 84);
  EXPECT_EQ(f.zero_share, 0.0);
  EXPECT_NE(f.model, ForecastModel::croston_tsb);  // regular demand, however long the wait before
}

TEST(Forecast, NoDemandForecastsNothing) {
  std::vector<double> series(90, 0.0);
  DemandForecast f = forecast_demand(series, 10);
  EXPECT_EQ(f.model, ForecastModel::none);
  EXPECT_EQ(f.daily, std::vector<double>(10, 0.0));
  EXPECT_EQ(f.daily_sigma, 0.0);
  EXPECT_FALSE(f.error.mase.has_value());
}

TEST(Forecast, SeasonalNaiveIsUsedWhenTheModelLosesToIt) {
  // Six weeks of one weekly shape, then five of another: the four held-out weeks repeat the week
  // before them exactly, which the seasonal-naive forecast gets right and a smoothed model cannot.
  std::vector<double> a = {10, 10, 10, 10, 10, 30, 30};
  std::vector<double> b = {30, 30, 10, 10, 10, 10, 10};
  std::vector<double> series;
  for (int week = 0; week < 6; ++week) series.insert(series.end(), a.begin(), a.end());
  for (int week = 0; week < 5; ++week) series.insert(series.end(), b.begin(), b.end());
  DemandForecast f = forecast_demand(series, 7);
  EXPECT_EQ(f.model, ForecastModel::seasonal_naive);
  EXPECT_EQ(f.daily, b);
  ASSERT_TRUE(f.error.smape.has_value());
  EXPECT_DOUBLE_EQ(*f.error.smape, 0.0);
  EXPECT_EQ(f.error.smape, f.baseline_error.smape);
  EXPECT_EQ(f.error.mase, f.baseline_error.mase);
}

TEST(Reorder, QuantitiesMatchHandComputedValues) {
  std::vector<double> forecast(28, 10.0);
  ReorderAdvice advice = advise_reorder(forecast, 3.0, 40, {4, 7, 0.95});
  EXPECT_DOUBLE_EQ(advice.lead_time_demand, 40);
  EXPECT_NEAR(advice.safety_stock, 1.6448536269514722 * 3 * 2, 1e-9);  // z × σ × √4
  EXPECT_NEAR(advice.reorder_point, 49.869121761708833, 1e-9);
  EXPECT_EQ(advice.suggested_quantity, 80);  // ⌈49.87 + 70 − 40⌉
  EXPECT_DOUBLE_EQ(*advice.days_of_cover, 4.0);
  EXPECT_TRUE(advice.reorder_now);

  advice = advise_reorder(forecast, 3.0, 60, {4, 7, 0.95});
  EXPECT_FALSE(advice.reorder_now);          // 60 is above the reorder point
  EXPECT_EQ(advice.suggested_quantity, 60);  // ⌈49.87 + 70 − 60⌉, should it be ordered now
}

TEST(Reorder, UnevenForecastSumsTheRightDays) {
  std::vector<double> forecast = {1, 2, 3, 4, 5, 6, 7};
  ReorderAdvice advice = advise_reorder(forecast, 0.0, 2, {3, 2, 0.9});
  EXPECT_DOUBLE_EQ(advice.lead_time_demand, 6);  // days 1-3
  EXPECT_DOUBLE_EQ(advice.safety_stock, 0);
  EXPECT_EQ(advice.suggested_quantity, 13);  // 6 + (4 + 5) − 2
  EXPECT_DOUBLE_EQ(advice.mean_daily_demand, 4);
  EXPECT_DOUBLE_EQ(*advice.days_of_cover, 0.5);
}

TEST(Reorder, NoDemandNeedsNoOrder) {
  std::vector<double> forecast(14, 0.0);
  ReorderAdvice advice = advise_reorder(forecast, 0.0, 0, {7, 7, 0.95});
  EXPECT_EQ(advice.reorder_point, 0);
  EXPECT_EQ(advice.suggested_quantity, 0);
  EXPECT_FALSE(advice.days_of_cover.has_value());
  EXPECT_FALSE(advice.reorder_now);
}

TEST(Reorder, NoLeadTimeNeedsNoSafetyStock) {
  std::vector<double> forecast(7, 5.0);
  ReorderAdvice advice = advise_reorder(forecast, 4.0, 0, {0, 7, 0.99});
  EXPECT_DOUBLE_EQ(advice.reorder_point, 0);
  EXPECT_EQ(advice.suggested_quantity, 35);
}

TEST(Reorder, FromAForecastEndToEnd) {
  // Ten units every day for eight weeks: Holt-Winters reproduces it with no error, so the reorder
  // point is the lead time's demand alone.
  std::vector<double> series(56, 10.0);
  DemandForecast f = forecast_demand(series, 28);
  EXPECT_EQ(f.model, ForecastModel::holt_winters);
  EXPECT_NEAR(f.daily_sigma, 0.0, 1e-9);
  EXPECT_FALSE(f.error.mase.has_value());  // nothing to scale by: the series never changes
  EXPECT_NEAR(*f.error.smape, 0.0, 1e-9);
  ReorderAdvice advice = advise_reorder(f.daily, f.daily_sigma, 30, {7, 7, 0.95});
  EXPECT_NEAR(advice.reorder_point, 70, 1e-6);
  EXPECT_EQ(advice.suggested_quantity, 110);  // ⌈70 + 70 − 30⌉
  EXPECT_NEAR(*advice.days_of_cover, 3.0, 1e-9);
  EXPECT_TRUE(advice.reorder_now);
}

}  // namespace
}  // namespace depot
