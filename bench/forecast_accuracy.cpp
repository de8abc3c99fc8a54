// How well depot's demand forecast (src/domain/forecast.h) and repurchase prediction
// (src/domain/repurchase.h) do on generated histories whose structure is set here, beside naive
// baselines. Prints one JSON object; `make bench` (bench/run.sh) runs it and bench/report.py
// renders it into docs/benchmarks.md.
//
// Forecast. Three families of daily series, 210 days each:
//   - seasonal: a level of 5-80 units a day, a trend of -0.2% to +0.6% of it a day, one of three
//     weekly shapes (weekend-heavy, weekday-heavy, midweek) with an amplitude of 10-50%, noise of
//     10-30% of the mean, and a promotion (1.5-3 times the day's demand) on 2% of days;
//   - intermittent: demand on 5-40% of days, of 1-6 units;
//   - short: a seasonal series of which only the last 21 days are known (a new SKU).
// Each is forecast as depot does, from its first 182 days (21 for the short ones), and scored two
// ways: the model's own held-out error (the last 28 of those days, which depot reports and also
// uses to choose between Holt-Winters and seasonal naive), and the next 28 days, which the model
// never saw, against the seasonal-naive forecast from the same days. MASE is scaled by the
// in-sample "same day last week" error of the days the model had.
//
// Repurchase. 3,000 customers and SKUs over 421 days: periodic buyers (every 7-90 days, the
// interval varying by 5-25% from purchase to purchase, 5% of purchases skipped), periodic buyers
// who stop at some point, irregular buyers (purchases as a Poisson process, one every 20-90 days
// on average) and one-off buyers. The last 56 days are held out: at each of 8 weekly cut-offs the
// history before it (up to a year) predicts who buys within the next 7 days; a hit is a predicted
// customer and SKU bought in that week. Baselines: the mean interval without the lapse rule (last
// purchase + mean interval, due whenever that is before the week's end), and every repeat buyer.
//
// The seed is fixed and the random numbers are drawn by this file alone (not by <random>'s
// distributions, whose results differ between standard libraries), so every run generates the same
// data. The program fails (exit 1) when the forecast does not beat seasonal naive on the seasonal
// series' unseen weeks or the repurchase prediction's F1 does not beat the mean-interval baseline.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "domain/forecast.h"
#include "domain/repurchase.h"

namespace {

using depot::DemandForecast;
using depot::ForecastModel;

constexpr std::uint64_t kSeed = 20250301;
constexpr int kKnownDays = 182;
constexpr int kUnseenDays = 28;
constexpr int kShortDays = 21;
constexpr int kSeasonalSeries = 300;
constexpr int kIntermittentSeries = 150;
constexpr int kShortSeries = 100;
constexpr int kSeason = 7;

constexpr int kRepurchasePairs = 3000;
constexpr int kHistoryDays = 365;
constexpr int kHeldOutDays = 56;
constexpr int kWithinDays = 7;

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  double normal() {  // Box–Muller
    double u = 1.0 - uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * uniform());
  }
  double exponential(double mean) { return -mean * std::log(1.0 - uniform()); }
  int below(int n) { return static_cast<int>(uniform() * n); }

 private:
  std::mt19937_64 engine_;
};

// ---- Forecast ----

constexpr std::array<std::array<double, 7>, 3> kWeekShapes{{
    {-0.6, -0.4, -0.2, 0.0, 0.2, 1.0, 0.7},  // weekend-heavy
    {0.6, 0.5, 0.4, 0.4, 0.2, -1.0, -1.1},   // weekday-heavy (business buyers)
    {-0.5, 0.3, 0.8, 0.8, 0.3, -0.7, -1.0},  // midweek
}};

std::vector<double> seasonal_series(Random& random, int days) {
  double level = random.uniform(5, 80);
  double slope = random.uniform(-0.002, 0.006) * level;
  const auto& shape = kWeekShapes[static_cast<std::size_t>(random.below(3))];
  double amplitude = random.uniform(0.1, 0.5);
  double noise = random.uniform(0.1, 0.3);
  int phase = random.below(7);
  std::vector<double> series;
  for (int t = 0; t < days; ++t) {
    double mean = std::max(0.0, level + slope * t) *
                  (1 + amplitude * shape[static_cast<std::size_t>((t + phase) % 7)]);
    double value = mean * (1 + noise * random.normal());
    if (random.uniform() < 0.02) value *= random.uniform(1.5, 3.0);
    series.push_back(std::max(0.0, std::round(value)));
  }
  return series;
}

std::vector<double> intermittent_series(Random& random, int days) {
  double chance = random.uniform(0.05, 0.4);
  std::vector<double> series;
  for (int t = 0; t < days; ++t) {
    series.push_back(random.uniform() < chance ? 1 + random.below(6) : 0);
  }
  series.front() = std::max(series.front(), 1.0);  // the SKU's first sale opens the window
  return series;
}

struct Scores {
  std::vector<double> model_mase, baseline_mase, model_smape, baseline_smape;
  int wins = 0;  // model MASE below baseline MASE

  void add(std::optional<double> model, std::optional<double> baseline,
           std::optional<double> model_s, std::optional<double> baseline_s) {
    if (!model || !baseline) return;
    model_mase.push_back(*model);
    baseline_mase.push_back(*baseline);
    if (model_s && baseline_s) {
      model_smape.push_back(*model_s);
      baseline_smape.push_back(*baseline_s);
    }
    wins += *model < *baseline;
  }

  static double mean(const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
  }
  static double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  }

  void print(const char* name, bool last) const {
    std::printf(
        "      \"%s\": {\"scored\": %zu, \"wins\": %d, \"model_mase_mean\": %.4f, "
        "\"model_mase_median\": %.4f, \"baseline_mase_mean\": %.4f, \"baseline_mase_median\": "
        "%.4f, \"model_smape_median\": %.3f, \"baseline_smape_median\": %.3f}%s\n",
        name, model_mase.size(), wins, mean(model_mase), median(model_mase), mean(baseline_mase),
        median(baseline_mase), median(model_smape), median(baseline_smape), last ? "" : ",");
  }
};

struct Family {
  std::map<std::string, int> models;
  Scores held_out;          // as the model reports it
  Scores unseen;            // the next four weeks
  double microseconds = 0;  // of processor time, over every series
  int series = 0;
};

void score(Family& family, const std::vector<double>& full, int known) {
  std::vector<double> seen(full.begin(), full.begin() + known);
  std::vector<double> next(full.begin() + known, full.begin() + known + kUnseenDays);
  // Processor time, not wall time: the machine may be busy with other work.
  std::clock_t started = std::clock();
  DemandForecast f = depot::forecast_demand(seen, kUnseenDays);
  family.microseconds += 1e6 * static_cast<double>(std::clock() - started) / CLOCKS_PER_SEC;
  ++family.series;
  ++family.models[std::string(depot::to_string(f.model))];
  family.held_out.add(f.error.mase, f.baseline_error.mase, f.error.smape, f.baseline_error.smape);
  // The history the model saw starts at the first sale, as does the scale of its errors.
  auto first_sale = std::find_if(seen.begin(), seen.end(), [](double d) { return d > 0; });
  std::vector<double> history(first_sale, seen.end());
  std::vector<double> naive = depot::seasonal_naive(history, kSeason, kUnseenDays);
  family.unseen.add(depot::mase(next, f.daily, history, kSeason),
                    depot::mase(next, naive, history, kSeason), depot::smape(next, f.daily),
                    depot::smape(next, naive));
}

void print_family(const char* name, const Family& family, bool last) {
  std::printf("    \"%s\": {\"series\": %d, \"forecast_us\": %.1f, \"models\": {", name,
              family.series, family.microseconds / std::max(1, family.series));
  bool first = true;
  for (const auto& [model, count] : family.models) {
    std::printf("%s\"%s\": %d", first ? "" : ", ", model.c_str(), count);
    first = false;
  }
  std::printf("},\n");
  family.held_out.print("held_out", false);
  family.unseen.print("unseen", true);
  std::printf("    }%s\n", last ? "" : ",");
}

// ---- Repurchase ----

enum class Buyer { periodic, churning, irregular, once };

// Purchase days (0 = the first day) of one customer and SKU.
std::vector<int> purchases_of(Random& random, Buyer kind, int days) {
  std::vector<int> purchases;
  constexpr std::array<double, 7> kIntervals{7, 14, 21, 30, 45, 60, 90};
  if (kind == Buyer::once) return {random.below(days)};
  if (kind == Buyer::irregular) {
    double mean_gap = random.uniform(20, 90);
    for (double day = random.exponential(mean_gap); day < days;
         day += std::max(1.0, random.exponential(mean_gap))) {
      purchases.push_back(static_cast<int>(day));
    }
    return purchases;
  }
  double interval = kIntervals[static_cast<std::size_t>(random.below(7))] + random.uniform(-2, 2);
  double spread = random.uniform(0.05, 0.25);
  int stop = kind == Buyer::churning ? 120 + random.below(days - 120) : days;
  for (double day = random.uniform(0, interval); day < stop;
       day += std::max(1.0, interval * (1 + spread * random.normal()))) {
    if (random.uniform() < 0.05) continue;  // a purchase skipped (bought elsewhere, away)
    purchases.push_back(static_cast<int>(std::lround(day)));
  }
  purchases.erase(std::unique(purchases.begin(), purchases.end()), purchases.end());
  return purchases;
}

struct Tally {
  long predicted = 0, hits = 0;
  double precision() const { return predicted ? static_cast<double>(hits) / predicted : 0; }
};

struct Method {
  Tally tally;
  double recall(long buyers) const {
    return buyers ? static_cast<double>(tally.hits) / static_cast<double>(buyers) : 0;
  }
  double f1(long buyers) const {
    double p = tally.precision(), r = recall(buyers);
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  void print(const char* name, long buyers, bool last) const {
    std::printf(
        "      \"%s\": {\"predicted\": %ld, \"hits\": %ld, \"precision\": %.4f, \"recall\": %.4f, "
        "\"f1\": %.4f}%s\n",
        name, tally.predicted, tally.hits, tally.precision(), recall(buyers), f1(buyers),
        last ? "" : ",");
  }
};

}  // namespace

int main() {
  Random random(kSeed);

  Family seasonal, intermittent, short_history;
  for (int i = 0; i < kSeasonalSeries; ++i) {
    score(seasonal, seasonal_series(random, kKnownDays + kUnseenDays), kKnownDays);
  }
  for (int i = 0; i < kIntermittentSeries; ++i) {
    score(intermittent, intermittent_series(random, kKnownDays + kUnseenDays), kKnownDays);
  }
  for (int i = 0; i < kShortSeries; ++i) {
    score(short_history, seasonal_series(random, kShortDays + kUnseenDays), kShortDays);
  }

  using std::chrono::days;
  const std::chrono::sys_days epoch = std::chrono::year{2025} / std::chrono::January / 1;
  constexpr int kDays = kHistoryDays + kHeldOutDays;
  std::map<std::string, int> kinds;
  std::vector<std::vector<int>> pairs;
  for (int i = 0; i < kRepurchasePairs; ++i) {
    double pick = random.uniform();
    Buyer kind = pick < 0.35  ? Buyer::periodic
                 : pick < 0.5 ? Buyer::churning
                 : pick < 0.7 ? Buyer::irregular
                              : Buyer::once;
    static const char* kNames[] = {"periodic", "churning", "irregular", "once"};
    ++kinds[kNames[static_cast<int>(kind)]];
    pairs.push_back(purchases_of(random, kind, kDays));
  }

  Method model, mean_interval, repeat_buyers;
  std::array<Tally, 3> by_confidence;  // >= 0.7, 0.4-0.7, < 0.4
  long buyers = 0;                     // bought in the week, with two purchases before it
  long all_buyers = 0;                 // bought in the week
  for (int week = 0; week < kHeldOutDays / 7; ++week) {
    int today = kHistoryDays + 7 * week;
    for (const std::vector<int>& purchases : pairs) {
      std::vector<std::chrono::sys_days> history;
      for (int day : purchases) {
        if (day < today && day >= today - kHistoryDays) history.push_back(epoch + days{day});
      }
      bool bought = std::any_of(purchases.begin(), purchases.end(),
                                [&](int day) { return day >= today && day < today + kWithinDays; });
      all_buyers += bought;
      if (history.size() < 2) continue;
      buyers += bought;
      std::chrono::sys_days now = epoch + days{today};

      ++repeat_buyers.tally.predicted;
      repeat_buyers.tally.hits += bought;

      double mean_gap = static_cast<double>((history.back() - history.front()).count()) /
                        static_cast<double>(history.size() - 1);
      auto naive_expected = history.back() + days{static_cast<int>(std::lround(mean_gap))};
      if (naive_expected < now + days{kWithinDays}) {
        ++mean_interval.tally.predicted;
        mean_interval.tally.hits += bought;
      }

      auto prediction = depot::predict_repurchase(history, now);
      if (prediction && depot::is_due(*prediction, now, kWithinDays)) {
        ++model.tally.predicted;
        model.tally.hits += bought;
        std::size_t band = prediction->confidence >= 0.7   ? 0
                           : prediction->confidence >= 0.4 ? 1
                                                           : 2;
        ++by_confidence[band].predicted;
        by_confidence[band].hits += bought;
      }
    }
  }

  std::printf("{\n");
  std::printf(
      "  \"generator\": {\"seed\": %llu, \"known_days\": %d, \"unseen_days\": %d, "
      "\"short_days\": %d, \"repurchase_pairs\": %d, \"repurchase_days\": %d, "
      "\"held_out_days\": %d, \"within_days\": %d, \"optimised_build\": %s},\n",
      static_cast<unsigned long long>(kSeed), kKnownDays, kUnseenDays, kShortDays, kRepurchasePairs,
      kDays, kHeldOutDays, kWithinDays,
#ifdef __OPTIMIZE__
      "true"
#else
      "false"
#endif
  );
  std::printf("  \"forecast\": {\n");
  print_family("seasonal", seasonal, false);
  print_family("intermittent", intermittent, false);
  print_family("short", short_history, true);
  std::printf("  },\n");
  std::printf("  \"repurchase\": {\n    \"kinds\": {");
  bool first = true;
  for (const auto& [kind, count] : kinds) {
    std::printf("%s\"%s\": %d", first ? "" : ", ", kind.c_str(), count);
    first = false;
  }
  std::printf("},\n    \"cutoffs\": %d, \"buyers\": %ld, \"all_buyers\": %ld,\n", kHeldOutDays / 7,
              buyers, all_buyers);
  std::printf("    \"methods\": {\n");
  model.print("model", buyers, false);
  mean_interval.print("mean_interval", buyers, false);
  repeat_buyers.print("repeat_buyers", buyers, true);
  std::printf("    },\n    \"by_confidence\": {\n");
  static const char* kBands[] = {"at_least_0.7", "0.4_to_0.7", "below_0.4"};
  for (std::size_t band = 0; band < by_confidence.size(); ++band) {
    std::printf("      \"%s\": {\"predicted\": %ld, \"hits\": %ld, \"precision\": %.4f}%s\n",
                kBands[band], by_confidence[band].predicted, by_confidence[band].hits,
                by_confidence[band].precision(), band + 1 < by_confidence.size() ? "," : "");
  }
  std::printf("    }\n  }\n}\n");

  bool forecast_wins =
      Scores::mean(seasonal.unseen.model_mase) < Scores::mean(seasonal.unseen.baseline_mase);
  bool repurchase_wins = model.f1(buyers) > mean_interval.f1(buyers);
  if (!forecast_wins) {
    std::fprintf(stderr, "forecast_accuracy: the forecast does not beat seasonal naive\n");
  }
  if (!repurchase_wins) {
    std::fprintf(stderr,
                 "forecast_accuracy: the repurchase prediction does not beat the mean "
                 "interval\n");
  }
  return forecast_wins && repurchase_wins ? 0 : 1;
}
