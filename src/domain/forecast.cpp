#include "domain/forecast.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numeric>

namespace depot {

namespace {

// The bounds of the smoothing parameters. A level or season that ignores the data (0) or follows
// only the last day (1) is never what a sales series needs; a trend smoothed harder than 0.5
// chases daily noise; a damping below 0.8 leaves no trend to speak of, and 1 none at all.
constexpr double kAlphaLow = 0.01, kAlphaHigh = 0.99;
constexpr double kBetaLow = 0.001, kBetaHigh = 0.5;
constexpr double kGammaLow = 0.001;  // and at most 0.99 (1 - alpha), keeping the model stable
constexpr double kPhiLow = 0.8, kPhiHigh = 0.98;

constexpr int kNelderMeadIterations = 300;
// The search stops when the simplex's squared errors agree to this fraction: a finer fit changes
// the forecasts by far less than their error (bench/forecast_accuracy.cpp) and costs twice the
// time.
constexpr double kNelderMeadTolerance = 1e-6;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double logit(double p) { return std::log(p / (1.0 - p)); }

// A point of the unbounded search space, and the parameters it stands for.
using Point = std::array<double, 4>;

HoltWintersParams params_at(const Point& u) {
  HoltWintersParams p;
  p.alpha = kAlphaLow + (kAlphaHigh - kAlphaLow) * sigmoid(u[0]);
  p.beta = kBetaLow + (kBetaHigh - kBetaLow) * sigmoid(u[1]);
  double gamma_high = 0.99 * (1.0 - p.alpha);
  p.gamma = kGammaLow + (gamma_high - kGammaLow) * sigmoid(u[2]);
  p.phi = kPhiLow + (kPhiHigh - kPhiLow) * sigmoid(u[3]);
  return p;
}

Point point_of(const HoltWintersParams& p) {
  double gamma_high = 0.99 * (1.0 - p.alpha);
  return {logit((p.alpha - kAlphaLow) / (kAlphaHigh - kAlphaLow)),
          logit((p.beta - kBetaLow) / (kBetaHigh - kBetaLow)),
          logit((p.gamma - kGammaLow) / (gamma_high - kGammaLow)),
          logit((p.phi - kPhiLow) / (kPhiHigh - kPhiLow))};
}

// Nelder and Mead's simplex search for a minimum of `f`, from `start` with steps of `step` along
// each axis (the standard coefficients: reflect 1, expand 2, contract 1/2, shrink 1/2).
Point nelder_mead(const std::function<double(const Point&)>& f, Point start, double step) {
  constexpr std::size_t kDims = std::tuple_size_v<Point>;
  std::array<Point, kDims + 1> simplex;
  std::array<double, kDims + 1> values;
  simplex[0] = start;
  for (std::size_t i = 0; i < kDims; ++i) {
    simplex[i + 1] = start;
    simplex[i + 1][i] += step;
  }
  for (std::size_t i = 0; i <= kDims; ++i) values[i] = f(simplex[i]);

  auto along = [](const Point& from, const Point& to, double t) {
    Point p;
    for (std::size_t i = 0; i < kDims; ++i) p[i] = from[i] + t * (to[i] - from[i]);
    return p;
  };
  for (int iteration = 0; iteration < kNelderMeadIterations; ++iteration) {
    std::array<std::size_t, kDims + 1> order;
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::size_t best = order.front(), worst = order.back(), second = order[kDims - 1];
    if (values[worst] - values[best] <= kNelderMeadTolerance * (1.0 + std::abs(values[best]))) {
      break;
    }

    Point centroid{};
    for (std::size_t i : order) {
      if (i == worst) continue;
      for (std::size_t d = 0; d < kDims; ++d) centroid[d] += simplex[i][d] / kDims;
    }
    Point reflected = along(centroid, simplex[worst], -1.0);
    double reflected_value = f(reflected);
    if (reflected_value < values[best]) {
      Point expanded = along(centroid, simplex[worst], -2.0);
      double expanded_value = f(expanded);
      bool expand = expanded_value < reflected_value;
      simplex[worst] = expand ? expanded : reflected;
      values[worst] = expand ? expanded_value : reflected_value;
    } else if (reflected_value < values[second]) {
      simplex[worst] = reflected;
      values[worst] = reflected_value;
    } else {
      bool outside = reflected_value < values[worst];
      Point contracted = along(centroid, outside ? reflected : simplex[worst], 0.5);
      double contracted_value = f(contracted);
      if (contracted_value < std::min(reflected_value, values[worst])) {
        simplex[worst] = contracted;
        values[worst] = contracted_value;
      } else {
        for (std::size_t i = 0; i <= kDims; ++i) {
          if (i == best) continue;
          simplex[i] = along(simplex[best], simplex[i], 0.5);
          values[i] = f(simplex[i]);
        }
      }
    }
  }
  return simplex[static_cast<std::size_t>(std::min_element(values.begin(), values.end()) -
                                          values.begin())];
}

double sum_of_squares(std::span<const double> values) {
  double sum = 0;
  for (double v : values) sum += v * v;
  return sum;
}

double root_mean_square(std::span<const double> values) {
  return values.empty() ? 0.0 : std::sqrt(sum_of_squares(values) / values.size());
}

double mean_absolute_error(std::span<const double> actual, std::span<const double> predicted) {
  double sum = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) sum += std::abs(actual[i] - predicted[i]);
  return sum / static_cast<double>(actual.size());
}

double mean(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// The errors of "the same day last season" within the series, for the days that have one.
std::vector<double> seasonal_naive_errors(std::span<const double> series, int season) {
  std::vector<double> errors;
  for (std::size_t t = static_cast<std::size_t>(season); t < series.size(); ++t) {
    errors.push_back(series[t] - series[t - static_cast<std::size_t>(season)]);
  }
  return errors;
}

ForecastError score(std::span<const double> actual, std::span<const double> predicted,
                    std::span<const double> training, int season) {
  return {mase(actual, predicted, training, season), smape(actual, predicted)};
}

// A forecast of `series` by the model the selection rule names, fitted on all of it.
SmoothingRun run_model(ForecastModel model, std::span<const double> series, int season,
                       int horizon) {
  switch (model) {
    case ForecastModel::holt_winters:
      return run_holt_winters(series, season, fit_holt_winters(series, season), horizon);
    case ForecastModel::croston_tsb:
      return run_croston_tsb(series, fit_croston_tsb(series), horizon);
    case ForecastModel::croston_tsb_weekly:
      return run_croston_tsb_weekly(series, season, horizon);
    case ForecastModel::seasonal_naive:
      return {seasonal_naive_errors(series, season), seasonal_naive(series, season, horizon)};
    case ForecastModel::none:
      break;
  }
  return {{}, std::vector<double>(static_cast<std::size_t>(horizon), 0.0)};
}

}  // namespace

std::string_view to_string(ForecastModel model) {
  switch (model) {
    case ForecastModel::none:
      return "none";
    case ForecastModel::holt_winters:
      return "holt_winters";
    case ForecastModel::seasonal_naive:
      return "seasonal_naive";
    case ForecastModel::croston_tsb:
      return "croston_tsb";
    case ForecastModel::croston_tsb_weekly:
      return "croston_tsb_weekly";
  }
  return "none";
}

SmoothingRun run_holt_winters(std::span<const double> series, int season,
                              const HoltWintersParams& p, int horizon) {
  auto m = static_cast<std::size_t>(season);
  // Initial states from the first two seasons: the trend from the step between their means, the
  // level and each day's seasonal effect from the deviations from that line, the effects summing
  // to zero. A season's mean is the line's value at its middle day.
  double first = mean(series.subspan(0, m));
  double second = mean(series.subspan(m, m));
  double trend = (second - first) / static_cast<double>(m);
  double middle = static_cast<double>(m - 1) / 2.0;
  double level = first - trend * (middle + 1.0);  // just before the first day
  std::vector<double> effects(m);
  for (std::size_t i = 0; i < m; ++i) {
    double from_middle = trend * (static_cast<double>(i) - middle);
    effects[i] = ((series[i] - first - from_middle) + (series[i + m] - second - from_middle)) / 2.0;
  }
  double effect_mean = mean(effects);
  for (double& e : effects) e -= effect_mean;

  SmoothingRun run;
  run.one_step_errors.reserve(series.size());
  for (std::size_t t = 0; t < series.size(); ++t) {
    double& effect = effects[t % m];
    double y = series[t];
    double damped = level + p.phi * trend;
    run.one_step_errors.push_back(y - (damped + effect));
    double next_level = p.alpha * (y - effect) + (1.0 - p.alpha) * damped;
    trend = p.beta * (next_level - level) + (1.0 - p.beta) * p.phi * trend;
    effect = p.gamma * (y - next_level) + (1.0 - p.gamma) * effect;
    level = next_level;
  }
  double damping = 0;
  double phi_power = 1;
  for (int k = 1; k <= horizon; ++k) {
    phi_power *= p.phi;
    damping += phi_power;
    double value = level + damping * trend + effects[(series.size() + k - 1) % m];
    run.forecast.push_back(std::max(0.0, value));
  }
  return run;
}

HoltWintersParams fit_holt_winters(std::span<const double> series, int season) {
  auto sse = [&](const Point& u) {
    return sum_of_squares(run_holt_winters(series, season, params_at(u), 0).one_step_errors);
  };
  // Start the simplex from the best of a coarse grid, so that it does not settle in a poor
  // local minimum far from it.
  Point start = point_of(HoltWintersParams{});
  double start_value = sse(start);
  for (double alpha : {0.1, 0.3, 0.6}) {
    for (double beta : {0.01, 0.1}) {
      for (double gamma : {0.05, 0.2}) {
        Point candidate = point_of({alpha, beta, gamma, 0.9});
        double value = sse(candidate);
        if (value < start_value) {
          start = candidate;
          start_value = value;
        }
      }
    }
  }
  return params_at(nelder_mead(sse, start, 1.0));
}

SmoothingRun run_croston_tsb(std::span<const double> series, const TsbParams& p, int horizon) {
  double demand_days = 0;
  double total = 0;
  for (double y : series) {
    if (y > 0) {
      demand_days += 1;
      total += y;
    }
  }
  double chance = demand_days / static_cast<double>(series.size());
  double size = demand_days > 0 ? total / demand_days : 0.0;
  SmoothingRun run;
  run.one_step_errors.reserve(series.size());
  for (double y : series) {
    run.one_step_errors.push_back(y - chance * size);
    if (y > 0) {
      chance += p.beta * (1.0 - chance);
      size += p.alpha * (y - size);
    } else {
      chance -= p.beta * chance;
    }
  }
  run.forecast.assign(static_cast<std::size_t>(horizon), chance * size);
  return run;
}

TsbParams fit_croston_tsb(std::span<const double> series) {
  TsbParams best;
  double best_sse = sum_of_squares(run_croston_tsb(series, best, 0).one_step_errors);
  for (double alpha : {0.05, 0.1, 0.15, 0.2, 0.3}) {
    for (double beta : {0.02, 0.05, 0.1, 0.2, 0.3}) {
      double sse = sum_of_squares(run_croston_tsb(series, {alpha, beta}, 0).one_step_errors);
      if (sse < best_sse) {
        best = {alpha, beta};
        best_sse = sse;
      }
    }
  }
  return best;
}

std::vector<double> weekday_profile(std::span<const double> series, int season) {
  auto m = static_cast<std::size_t>(season);
  std::vector<double> profile(m, 0.0);
  std::size_t whole = series.size() / m * m;
  double total = 0;
  for (std::size_t t = series.size() - whole; t < series.size(); ++t) {
    profile[t % m] += series[t];
    total += series[t];
  }
  if (total <= 0) return std::vector<double>(m, 1.0);
  for (double& share : profile) share *= static_cast<double>(m) / total;
  return profile;
}

SmoothingRun run_croston_tsb_weekly(std::span<const double> series, int season, int horizon) {
  auto m = static_cast<std::size_t>(season);
  std::vector<double> profile = weekday_profile(series, season);
  // The level: each day over its weekday's share. A weekday that never sold in the whole weeks
  // (a shop shut on Sundays) says nothing about the level and is left out; it stays at zero.
  std::vector<double> level_series;
  for (std::size_t t = 0; t < series.size(); ++t) {
    if (profile[t % m] > 0) level_series.push_back(series[t] / profile[t % m]);
  }
  SmoothingRun level = run_croston_tsb(level_series, fit_croston_tsb(level_series), 1);
  SmoothingRun run;
  std::size_t kept = 0;
  for (std::size_t t = 0; t < series.size(); ++t) {
    double share = profile[t % m];
    run.one_step_errors.push_back(share > 0 ? level.one_step_errors[kept++] * share : series[t]);
  }
  for (std::size_t k = 0; k < static_cast<std::size_t>(horizon); ++k) {
    run.forecast.push_back(level.forecast.front() * profile[(series.size() + k) % m]);
  }
  return run;
}

std::vector<double> seasonal_naive(std::span<const double> series, int season, int horizon) {
  auto m = static_cast<std::size_t>(season);
  std::size_t last_season = series.size() - m;
  std::vector<double> forecast;
  for (std::size_t k = 0; k < static_cast<std::size_t>(horizon); ++k) {
    forecast.push_back(series[last_season + k % m]);
  }
  return forecast;
}

std::optional<double> mase(std::span<const double> actual, std::span<const double> predicted,
                           std::span<const double> training, int season) {
  std::vector<double> naive = seasonal_naive_errors(training, season);
  if (naive.empty()) return std::nullopt;
  double scale = 0;
  for (double e : naive) scale += std::abs(e);
  scale /= static_cast<double>(naive.size());
  if (scale < 1e-12) return std::nullopt;
  return mean_absolute_error(actual, predicted) / scale;
}

std::optional<double> smape(std::span<const double> actual, std::span<const double> predicted) {
  double sum = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    double denominator = std::abs(actual[i]) + std::abs(predicted[i]);
    if (denominator > 0) sum += 2.0 * std::abs(actual[i] - predicted[i]) / denominator;
  }
  return 100.0 * sum / static_cast<double>(actual.size());
}

DemandForecast forecast_demand(std::span<const double> daily_demand, int horizon,
                               const ForecastOptions& options) {
  DemandForecast result;
  auto first_sale = std::find_if(daily_demand.begin(), daily_demand.end(),
                                 [](double units) { return units > 0; });
  std::span<const double> series(first_sale, daily_demand.end());
  result.history_days = static_cast<int>(series.size());
  if (series.empty()) {
    result.daily.assign(static_cast<std::size_t>(horizon), 0.0);
    return result;
  }
  int season = options.season_days;
  auto zero_days = std::count(series.begin(), series.end(), 0.0);
  result.zero_share = static_cast<double>(zero_days) / static_cast<double>(series.size());

  int n = result.history_days;
  bool seasonal = n >= std::max(options.min_seasonal_days, 2 * season) &&
                  result.zero_share <= options.intermittent_zero_share;
  bool intermittent = result.zero_share > options.intermittent_zero_share;
  if (seasonal) {
    result.model = ForecastModel::holt_winters;
  } else if (!intermittent && n >= 2 * season) {
    result.model = ForecastModel::croston_tsb_weekly;
  } else {
    result.model = ForecastModel::croston_tsb;
  }

  if (n >= options.holdout_days + 2 * season) {
    std::span<const double> training =
        series.first(static_cast<std::size_t>(n - options.holdout_days));
    std::span<const double> held_out = series.last(static_cast<std::size_t>(options.holdout_days));
    std::vector<double> predicted =
        run_model(result.model, training, season, options.holdout_days).forecast;
    std::vector<double> baseline = seasonal_naive(training, season, options.holdout_days);
    result.error = score(held_out, predicted, training, season);
    result.baseline_error = score(held_out, baseline, training, season);
    if (result.model == ForecastModel::holt_winters &&
        mean_absolute_error(held_out, predicted) > mean_absolute_error(held_out, baseline)) {
      result.model = ForecastModel::seasonal_naive;
      result.error = result.baseline_error;
    }
  }
  SmoothingRun run = run_model(result.model, series, season, horizon);
  result.daily = std::move(run.forecast);
  result.daily_sigma = root_mean_square(run.one_step_errors);
  return result;
}

}  // namespace depot
