// How close depot's ETA (src/domain/eta.h) lands to the real delivery, on a generated year of one
// merchant's shipments whose effects are set here, beside a naive estimate (the median transit of
// every parcel) and the route quantiles without the ship-time adjustment. Prints one JSON object;
// `make bench` (bench/run.sh) runs it and bench/report.py renders it into docs/benchmarks.md.
//
// The year (2025, local time UTC+8): about 150 parcels a day for a busy merchant and 15 for a
// small one (more on Mondays, fewer at the weekend), handed to the carrier between 08:00 and
// midnight with an afternoon peak, from a warehouse in Guangdong ("44"), one in Zhejiang ("33") or
// an unrecorded one ("": either of the two), to 11 provinces; 5 carriers (J&T only from 16
// November). A parcel waits for its carrier's last pickup of the day (17:00–22:00, some carriers
// not at weekends), travels the route's hours times the carrier's speed times a log-normal factor
// (σ = 0.2), and is delivered between 08:00 and 19:00 on the carrier's delivery days; 3% need a
// second attempt the next day and 1.5% are held up for 3–30 days. The seed is fixed, the random
// numbers are drawn by this file alone (not by <random>'s distributions, whose results differ
// between standard libraries), so every run generates the same year.
//
// Evaluation: the parcels shipped in November and December are held out. The model is fitted as
// of 1 November on every parcel delivered before then and estimates November's parcels, then
// fitted again as of 1 December for December's, as depot fits on a merchant's delivered parcels.
// The program fails (exit 1) when the model's mean absolute error is not below the naive one's.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "domain/eta.h"

namespace {

using depot::EtaBasis;
using depot::EtaEstimate;
using depot::EtaModel;
using depot::EtaOptions;
using depot::EtaQuery;
using depot::Instant;
using depot::TransitSample;

constexpr std::uint64_t kSeed = 20250101;
constexpr int kDays = 365;
constexpr double kBusyParcelsPerDay = 150;
constexpr double kSmallParcelsPerDay = 15;
constexpr int kUtcOffsetHours = 8;
constexpr int kNovember1 = 304;  // day of the year (0 = 1 January 2025)
constexpr int kDecember1 = 334;
constexpr int kJtStart = 319;  // 16 November

// Uniform and normal draws from the standard's fully specified mt19937_64.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  double normal() {  // Box–Muller
    double u = 1.0 - uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * uniform());
  }
  // An index drawn with the given weights.
  template <typename Weights>
  std::size_t pick(const Weights& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  std::mt19937_64 engine_;
};

struct CarrierProfile {
  const char* code;
  double share;                  // of the parcels, once in service
  double speed;                  // travel time × this
  double last_pickup;            // local hour: parcels handed over by then leave that day
  std::array<bool, 7> picks_up;  // by weekday, 0 = Sunday
  std::array<bool, 7> delivers;
  int first_day;  // in service from this day of the year
};

constexpr std::array<bool, 7> kEveryDay{true, true, true, true, true, true, true};
constexpr std::array<bool, 7> kNotSunday{false, true, true, true, true, true, true};
constexpr std::array<bool, 7> kWorkingDays{false, true, true, true, true, true, false};

const std::array<CarrierProfile, 5> kCarriers{{
    {"SF", 0.26, 0.75, 20, kEveryDay, kEveryDay, 0},
    {"ZTO", 0.32, 1.00, 18, kNotSunday, kEveryDay, 0},
    {"YTO", 0.22, 1.10, 17, kWorkingDays, kNotSunday, 0},
    {"JD", 0.12, 0.80, 22, kEveryDay, kEveryDay, 0},
    {"JT", 0.08, 1.05, 18, kEveryDay, kEveryDay, kJtStart},
}};

struct Destination {
  const char* code;
  double weight;
  double hours_from_guangdong;  // travel on the road, before the carrier's speed
  double hours_from_zhejiang;
};

const std::array<Destination, 11> kDestinations{{
    {"44", 16, 14, 34},      // 广东
    {"43", 6, 28, 34},       // 湖南
    {"33", 9, 38, 14},       // 浙江
    {"31", 9, 38, 18},       // 上海
    {"32", 9, 42, 20},       // 江苏
    {"11", 8, 52, 44},       // 北京
    {"51", 8, 50, 52},       // 四川
    {"61", 5, 54, 46},       // 陕西
    {"23", 3, 80, 68},       // 黑龙江
    {"65", 2, 110, 100},     // 新疆
    {"54", 0.08, 140, 130},  // 西藏: a few parcels a year, too few for a route of its own
}};

constexpr std::array<const char*, 3> kOrigins{"44", "33", ""};
constexpr std::array<double, 3> kOriginWeights{55, 40, 5};
constexpr std::array<double, 7> kWeekdayVolume{0.6, 1.25, 1.1, 1.0, 1.0, 1.0, 0.75};
constexpr std::array<double, 24> kHourVolume{0.2, 0.1, 0, 0, 0, 0, 0, 0.2, 1, 3, 5, 6,
                                             4,   4,   6, 7, 8, 8, 6, 5,   5, 4, 3, 1};

struct Parcel {
  TransitSample sample;
  bool incident = false;  // a second attempt or a hold-up
};

// Local hours since 1 January 2025 00:00 (UTC+8) to an instant.
Instant instant_of(double local_hours) {
  using namespace std::chrono;
  sys_days new_year = year{2025} / January / 1;
  auto ms = milliseconds{std::llround(local_hours * 3'600'000.0)};
  return Instant{new_year} - hours{kUtcOffsetHours} + ms;
}

int weekday_of(int day) {
  using namespace std::chrono;
  return static_cast<int>(weekday{sys_days{year{2025} / January / 1} + days{day}}.c_encoding());
}

std::vector<Parcel> generate_year(double parcels_per_day) {
  Random random(kSeed);
  std::vector<double> destination_weights;
  for (const Destination& d : kDestinations) destination_weights.push_back(d.weight);
  std::vector<Parcel> parcels;
  for (int day = 0; day < kDays; ++day) {
    int count = static_cast<int>(
        std::lround(parcels_per_day * kWeekdayVolume[weekday_of(day)] * random.uniform(0.8, 1.2)));
    std::vector<double> carrier_weights;
    for (const CarrierProfile& c : kCarriers)
      carrier_weights.push_back(day >= c.first_day ? c.share : 0);
    for (int k = 0; k < count; ++k) {
      const CarrierProfile& carrier = kCarriers[random.pick(carrier_weights)];
      std::size_t origin = random.pick(kOriginWeights);
      bool from_guangdong = origin == 0 || (origin == 2 && random.uniform() < 0.5);
      const Destination& destination = kDestinations[random.pick(destination_weights)];
      double shipped =
          day * 24.0 + static_cast<double>(random.pick(kHourVolume)) + random.uniform();

      // Waits for the carrier's next pickup, travels, then waits for a delivery round.
      int pickup_day = day;
      if (shipped - day * 24.0 > carrier.last_pickup) ++pickup_day;
      while (!carrier.picks_up[static_cast<std::size_t>(weekday_of(pickup_day))]) ++pickup_day;
      double road =
          from_guangdong ? destination.hours_from_guangdong : destination.hours_from_zhejiang;
      double arrival = pickup_day * 24.0 + carrier.last_pickup +
                       road * carrier.speed * std::exp(0.2 * random.normal());
      int arrival_day = static_cast<int>(std::floor(arrival / 24));
      double hour = arrival - arrival_day * 24.0;
      double delivered;
      if (carrier.delivers[static_cast<std::size_t>(weekday_of(arrival_day))] && hour >= 8 &&
          hour < 19) {
        delivered = arrival + random.uniform(0.5, 3);
      } else {
        int round_day = hour < 8 ? arrival_day : arrival_day + 1;
        while (!carrier.delivers[static_cast<std::size_t>(weekday_of(round_day))]) ++round_day;
        delivered = round_day * 24.0 + 8 + random.uniform(0.5, 5);
      }
      bool incident = false;
      double draw = random.uniform();
      if (draw < 0.015) {
        delivered += 24 * random.uniform(3, 30);
        incident = true;
      } else if (draw < 0.045) {
        delivered += 24;
        incident = true;
      }
      parcels.push_back({{carrier.code, kOrigins[origin], destination.code, instant_of(shipped),
                          instant_of(delivered)},
                         incident});
    }
  }
  return parcels;
}

double hours_between(Instant from, Instant to) {
  return std::chrono::duration<double, std::ratio<3600>>(to - from).count();
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double position = q * static_cast<double>(values.size() - 1);
  auto below = static_cast<std::size_t>(position);
  if (below + 1 >= values.size()) return values[below];
  return values[below] +
         (position - static_cast<double>(below)) * (values[below + 1] - values[below]);
}

// Errors of one estimator over a set of parcels.
struct Errors {
  std::vector<double> absolute;
  std::vector<double> signed_hours;  // actual − expected: positive when the parcel came later
  double regular_sum = 0;            // absolute errors of parcels without an incident
  int regular = 0;
  int before_expected = 0;  // delivered at or before the expected ETA
  int before_late = 0;

  void add(const Parcel& parcel, Instant expected, Instant late) {
    double error = hours_between(expected, parcel.sample.delivered_at);
    absolute.push_back(std::abs(error));
    signed_hours.push_back(error);
    if (!parcel.incident) {
      regular_sum += std::abs(error);
      ++regular;
    }
    before_expected += parcel.sample.delivered_at <= expected;
    before_late += parcel.sample.delivered_at <= late;
  }

  double mae() const {
    double sum = 0;
    for (double e : absolute) sum += e;
    return absolute.empty() ? 0 : sum / static_cast<double>(absolute.size());
  }

  void print(const char* name, bool last = false) const {
    double n = std::max<double>(1, static_cast<double>(absolute.size()));
    std::printf(
        "    \"%s\": {\"n\": %zu, \"mae_h\": %.2f, \"mae_regular_h\": %.2f, \"p50_abs_h\": %.2f, "
        "\"p90_abs_h\": %.2f, \"median_signed_h\": %.2f, \"share_before_expected\": %.4f, "
        "\"share_before_late\": %.4f}%s\n",
        name, absolute.size(), mae(), regular ? regular_sum / regular : 0.0,
        quantile(absolute, 0.5), quantile(absolute, 0.9), quantile(signed_hours, 0.5),
        before_expected / n, before_late / n, last ? "" : ",");
  }
};

template <typename Map>
void print_group(const char* name, const Map& groups, bool last = false) {
  std::printf("  \"%s\": {\n", name);
  std::size_t i = 0;
  for (const auto& [key, errors] : groups) {
    errors.print(key.c_str(), ++i == groups.size());
  }
  std::printf("  }%s\n", last ? "" : ",");
}

struct Evaluation {
  Errors model, route_only, naive;
  std::map<std::string, Errors> by_basis, by_carrier, naive_by_carrier, by_ship_time,
      route_only_by_ship_time;
  std::vector<int> history_sizes;
  std::vector<double> fit_ms;  // sorted
  double estimate_ns = 0;      // per call
};

Instant plus_hours(Instant t, double hours) {
  return t + std::chrono::milliseconds{std::llround(hours * 3'600'000.0)};
}

// Fits as of 1 November and 1 December on the parcels delivered by then, and scores the
// estimates of the parcels shipped in the month that follows.
Evaluation evaluate(const std::vector<Parcel>& parcels, const EtaOptions& options) {
  EtaOptions route_only = options;
  route_only.adjust_for_ship_time = false;
  Evaluation result;
  double estimate_ns = 0;
  std::size_t estimates = 0;
  for (auto [from_day, to_day] : {std::pair{kNovember1, kDecember1}, {kDecember1, kDays}}) {
    Instant as_of = instant_of(from_day * 24.0);
    Instant until = instant_of(to_day * 24.0);
    std::vector<TransitSample> history;
    std::vector<double> transit;
    for (const Parcel& p : parcels) {
      if (p.sample.delivered_at < as_of) {
        history.push_back(p.sample);
        transit.push_back(hours_between(p.sample.shipped_at, p.sample.delivered_at));
      }
    }
    result.history_sizes.push_back(static_cast<int>(history.size()));
    double naive_median = quantile(transit, 0.5);
    double naive_p80 = quantile(transit, 0.8);

    EtaModel model = EtaModel::fit(history, options);
    for (int run = 0; run < 5; ++run) {
      auto started = std::chrono::steady_clock::now();
      EtaModel again = EtaModel::fit(history, options);
      result.fit_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count());
    }
    EtaModel plain = EtaModel::fit(history, route_only);

    std::vector<const Parcel*> held_out;
    std::vector<EtaQuery> queries;
    for (const Parcel& p : parcels) {
      if (p.sample.shipped_at < as_of || p.sample.shipped_at >= until) continue;
      held_out.push_back(&p);
      queries.push_back(
          {p.sample.carrier, p.sample.origin, p.sample.destination, p.sample.shipped_at});
    }
    std::vector<EtaEstimate> answers(queries.size());
    auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < queries.size(); ++i) answers[i] = model.estimate(queries[i]);
    estimate_ns +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - started)
            .count();
    estimates += queries.size();

    for (std::size_t i = 0; i < held_out.size(); ++i) {
      const Parcel& p = *held_out[i];
      const EtaEstimate& eta = answers[i];
      EtaEstimate unadjusted = plain.estimate(queries[i]);
      Instant naive_expected = plus_hours(p.sample.shipped_at, naive_median);
      Instant naive_late = plus_hours(p.sample.shipped_at, naive_p80);
      result.model.add(p, eta.expected, eta.late);
      result.route_only.add(p, unadjusted.expected, unadjusted.late);
      result.naive.add(p, naive_expected, naive_late);
      result.by_basis[std::string(depot::to_string(eta.basis))].add(p, eta.expected, eta.late);
      result.by_carrier[p.sample.carrier].add(p, eta.expected, eta.late);
      result.naive_by_carrier[p.sample.carrier].add(p, naive_expected, naive_late);

      // Weekday daytime (Monday–Friday, handed over before 17:00, when every carrier still
      // collects that day) against the rest, where the ship time decides the wait.
      double local = hours_between(instant_of(0), p.sample.shipped_at);
      int day = static_cast<int>(std::floor(local / 24));
      int weekday = weekday_of(day);
      bool daytime = weekday >= 1 && weekday <= 5 && local - day * 24.0 < 17;
      std::string slot = daytime ? "weekday_before_17h" : "evening_or_weekend";
      result.by_ship_time[slot].add(p, eta.expected, eta.late);
      result.route_only_by_ship_time[slot].add(p, unadjusted.expected, unadjusted.late);
    }
  }
  std::sort(result.fit_ms.begin(), result.fit_ms.end());
  result.estimate_ns = estimate_ns / static_cast<double>(std::max<std::size_t>(estimates, 1));
  return result;
}

}  // namespace

int main() {
  EtaOptions options;
  options.utc_offset_minutes = kUtcOffsetHours * 60;
  std::vector<Parcel> parcels = generate_year(kBusyParcelsPerDay);
  std::vector<Parcel> small_parcels = generate_year(kSmallParcelsPerDay);
  Evaluation busy = evaluate(parcels, options);
  Evaluation small = evaluate(small_parcels, options);
  int incidents = 0;
  for (const Parcel& p : parcels) incidents += p.incident;

  std::printf("{\n");
  std::printf(
      "  \"generator\": {\"seed\": %llu, \"year\": 2025, \"parcels_per_day\": %.0f, "
      "\"shipments\": %zu, \"incidents\": %d, \"carriers\": %zu, \"origins\": %zu, "
      "\"destinations\": %zu, \"utc_offset_minutes\": %d},\n",
      static_cast<unsigned long long>(kSeed), kBusyParcelsPerDay, parcels.size(), incidents,
      kCarriers.size(), kOrigins.size(), kDestinations.size(), options.utc_offset_minutes);
  std::printf(
      "  \"fit\": {\"held_out\": \"2025-11, 2025-12\", \"refit\": \"monthly\", \"history\": [%d, "
      "%d], \"fit_ms_median\": %.2f, \"estimate_us\": %.3f, \"optimised_build\": %s, "
      "\"min_route_samples\": %d, \"min_carrier_samples\": %d, \"fallback_hours\": %lld, "
      "\"effect_shrinkage_samples\": %d},\n",
      busy.history_sizes[0], busy.history_sizes[1], busy.fit_ms[busy.fit_ms.size() / 2],
      busy.estimate_ns / 1000.0,
#ifdef __OPTIMIZE__
      "true",
#else
      "false",
#endif
      options.min_route_samples, options.min_carrier_samples,
      static_cast<long long>(options.fallback_transit.count()), options.effect_shrinkage_samples);
  std::printf("  \"estimators\": {\n");
  busy.model.print("model");
  busy.route_only.print("route_only");
  busy.naive.print("naive", true);
  std::printf("  },\n");
  print_group("by_basis", busy.by_basis);
  print_group("by_carrier", busy.by_carrier);
  print_group("naive_by_carrier", busy.naive_by_carrier);
  print_group("by_ship_time", busy.by_ship_time);
  print_group("route_only_by_ship_time", busy.route_only_by_ship_time);
  std::printf(
      "  \"small_merchant\": {\"parcels_per_day\": %.0f, \"shipments\": %zu, "
      "\"history\": [%d, %d],\n",
      kSmallParcelsPerDay, small_parcels.size(), small.history_sizes[0], small.history_sizes[1]);
  std::printf("  \"estimators\": {\n");
  small.model.print("model");
  small.route_only.print("route_only");
  small.naive.print("naive", true);
  std::printf("  },\n");
  print_group("by_basis", small.by_basis, true);
  std::printf("  }\n}\n");

  bool beats_naive = busy.model.mae() < busy.naive.mae() && small.model.mae() < small.naive.mae();
  if (!beats_naive) {
    std::fprintf(stderr, "eta_accuracy: the model does not beat the naive median\n");
  }
  return beats_naive ? 0 : 1;
}
