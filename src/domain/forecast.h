#pragma once
// Demand forecasts per SKU from its daily demand (SPEC RPT-3). Pure: the caller passes the series
// of units sold per merchant-local day, oldest first, ending with the last whole day.
//
// Models (docs/forecast.md has the formulas):
//   - holt_winters: additive Holt-Winters with a damped trend and weekly seasonality, its four
//     smoothing parameters fitted by Nelder-Mead on the in-sample one-step squared error;
//   - seasonal_naive: each day repeats the same weekday of the last week; also the baseline every
//     forecast's error is reported beside;
//   - croston_tsb: Teunter-Syntetos-Babai's variant of Croston's method for intermittent demand:
//     the chance of a day with demand and the size of a demand are smoothed apart, and the
//     forecast is their product, flat. Unlike Croston's own, it is unbiased and it decays towards
//     zero when a SKU stops selling, so a dead SKU is not reordered.
//   - croston_tsb_weekly: for a short history that sells most days: croston_tsb on the series
//     divided by its weekday profile (each weekday's share of the whole weeks seen, 1 on average),
//     its forecast multiplied back, so two or three weeks already give the week its shape.
//   - none: no demand at all in the history.
// Selection, by rule: the series starts at its first day with demand (days before a SKU's first
// sale say nothing about its demand). More than intermittent_zero_share of its days at zero:
// croston_tsb. Shorter than min_seasonal_days: croston_tsb_weekly with two whole weeks or more,
// else croston_tsb. Otherwise holt_winters, unless it forecast the held-out weeks worse than
// seasonal_naive did (in mean absolute error), in which case seasonal_naive.
// Error: the model is fitted again on the series less its last holdout_days (four weeks: fewer
// leave the comparison to chance), forecasts them, and is scored against what was sold: MASE (its
// mean absolute error over the in-sample mean absolute error of "same day last week", m = 7, so
// below 1 beats that rule as it did within the history) and sMAPE (percent, 0-200, a day where both
// are zero counts as exact). Both are absent when the series is shorter than holdout_days + two
// weeks; MASE also when the history repeats itself exactly (nothing to scale by).

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace depot {

enum class ForecastModel { none, holt_winters, seasonal_naive, croston_tsb, croston_tsb_weekly };

// "none", "holt_winters", "seasonal_naive", "croston_tsb", "croston_tsb_weekly".
std::string_view to_string(ForecastModel model);

struct ForecastError {
  std::optional<double> mase;
  std::optional<double> smape;  // percent
};

struct ForecastOptions {
  int season_days = 7;
  int holdout_days = 28;
  int min_seasonal_days = 28;
  double intermittent_zero_share = 0.5;
};

struct DemandForecast {
  ForecastModel model = ForecastModel::none;
  std::vector<double> daily;     // the forecast for each of the next `horizon` days, never negative
  ForecastError error;           // the model's, on the held-out days
  ForecastError baseline_error;  // seasonal_naive's, on the same days
  // The standard deviation of one day's demand around the forecast: the root mean square of the
  // chosen model's one-step in-sample errors on the whole series.
  double daily_sigma = 0;
  int history_days = 0;   // the days the models saw: from the first day with demand
  double zero_share = 0;  // of those days, the share without demand
};

// REQUIRES: horizon >= 0, options.season_days >= 1, options.holdout_days >= 1.
DemandForecast forecast_demand(std::span<const double> daily_demand, int horizon,
                               const ForecastOptions& options = {});

// ---- The parts, for tests and the benchmark ----

struct HoltWintersParams {
  double alpha = 0.3;  // level
  double beta = 0.05;  // trend
  double gamma = 0.1;  // season
  double phi = 0.9;    // trend damping
};

// One pass of a smoothing model over a series: its one-step in-sample errors (actual less
// forecast, one per day) and its forecast of the `horizon` days after the series.
struct SmoothingRun {
  std::vector<double> one_step_errors;
  std::vector<double> forecast;
};

// REQUIRES: series.size() >= 2 * season (the first two seasons set the initial states).
SmoothingRun run_holt_winters(std::span<const double> series, int season,
                              const HoltWintersParams& params, int horizon);
// The parameters with the least one-step squared error on `series`.
// REQUIRES: series.size() >= 2 * season.
HoltWintersParams fit_holt_winters(std::span<const double> series, int season);

struct TsbParams {
  double alpha = 0.1;  // demand size
  double beta = 0.1;   // chance of demand
};
// REQUIRES: series is not empty.
SmoothingRun run_croston_tsb(std::span<const double> series, const TsbParams& params, int horizon);
TsbParams fit_croston_tsb(std::span<const double> series);
// Each weekday's share of the series' whole weeks (the last multiple of `season` days), indexed
// by day number modulo `season`, 1 on average; all 1 when those weeks sold nothing.
std::vector<double> weekday_profile(std::span<const double> series, int season);
// REQUIRES: series is not empty.
SmoothingRun run_croston_tsb_weekly(std::span<const double> series, int season, int horizon);

// Each of the `horizon` days after the series repeats the same day of the series' last season.
// REQUIRES: series.size() >= season.
std::vector<double> seasonal_naive(std::span<const double> series, int season, int horizon);

// REQUIRES: actual.size() == predicted.size(), not empty.
std::optional<double> mase(std::span<const double> actual, std::span<const double> predicted,
                           std::span<const double> training, int season);
std::optional<double> smape(std::span<const double> actual, std::span<const double> predicted);

}  // namespace depot
