#include "domain/eta.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

namespace depot {

namespace {

// Rounds of backfitting between route baselines and ship-time effects; on the benchmark's year
// the estimates stop moving after two (bench/eta_accuracy.cpp).
constexpr int kBackfitRounds = 3;
constexpr int kHours = 24;
// A group of fewer parcels has no ship-time deviation of its own: the median of one or two
// parcels is one parcel's word, and the same lone parcel would count again at every level.
constexpr int kMinGroupSamples = 3;
constexpr double kMillisPerHour = 3'600'000.0;

double hours_between(Instant from, Instant to) {
  return static_cast<double>((to - from).count()) / kMillisPerHour;
}

std::chrono::milliseconds duration_of_hours(double hours) {
  return std::chrono::milliseconds{std::llround(hours * kMillisPerHour)};
}

// The q-quantile of `values`, linear between order statistics; reorders them.
// REQUIRES: values is not empty.
double quantile(std::span<double> values, double q) {
  double position = q * static_cast<double>(values.size() - 1);
  auto below = static_cast<std::size_t>(position);
  std::nth_element(values.begin(), values.begin() + below, values.end());
  double low = values[below];
  if (below + 1 >= values.size()) return low;
  double high = *std::min_element(values.begin() + below + 1, values.end());
  return low + (position - static_cast<double>(below)) * (high - low);
}

// The samples grouped once by an integer key (a counting sort), so that a quantile of every group
// costs O(n) in all, however many groups there are.
class Groups {
 public:
  Groups(const std::vector<int>& group_of_sample, int group_count)
      : offsets_(static_cast<std::size_t>(group_count) + 1, 0), order_(group_of_sample.size()) {
    for (int group : group_of_sample) ++offsets_[static_cast<std::size_t>(group) + 1];
    std::partial_sum(offsets_.begin(), offsets_.end(), offsets_.begin());
    std::vector<std::size_t> next(offsets_.begin(), offsets_.end() - 1);
    for (std::size_t i = 0; i < group_of_sample.size(); ++i) {
      order_[next[static_cast<std::size_t>(group_of_sample[i])]++] = i;
    }
  }

  int size() const { return static_cast<int>(offsets_.size()) - 1; }
  int count(int group) const {
    auto g = static_cast<std::size_t>(group);
    return static_cast<int>(offsets_[g + 1] - offsets_[g]);
  }

  // The q-quantile of `values` (one per sample) within each group; 0 for an empty group.
  std::vector<double> quantiles(const std::vector<double>& values, double q) {
    buffer_.resize(order_.size());
    for (std::size_t k = 0; k < order_.size(); ++k) buffer_[k] = values[order_[k]];
    std::vector<double> result(static_cast<std::size_t>(size()), 0.0);
    for (int group = 0; group < size(); ++group) {
      if (count(group) == 0) continue;
      std::span<double> members(buffer_.data() + offsets_[static_cast<std::size_t>(group)],
                                static_cast<std::size_t>(count(group)));
      result[static_cast<std::size_t>(group)] = quantile(members, q);
    }
    return result;
  }

 private:
  std::vector<std::size_t> offsets_;  // group g's samples are order_[offsets_[g], offsets_[g+1])
  std::vector<std::size_t> order_;
  std::vector<double> buffer_;
};

// One level of the chain of ship-time effects: each group's effect is its parent's plus its own
// median deviation from the parent, shrunk by n / (n + shrinkage) (none below kMinGroupSamples).
// `parent_of_group` holds the parent's effect for each group, `residuals` the samples' transit
// less their route baseline.
std::vector<double> shrunk_effects(Groups& groups, const std::vector<int>& group_of_sample,
                                   const std::vector<double>& residuals,
                                   const std::vector<double>& parent_of_group, int shrinkage) {
  std::vector<double> deviations(residuals.size());
  for (std::size_t i = 0; i < residuals.size(); ++i) {
    deviations[i] = residuals[i] - parent_of_group[static_cast<std::size_t>(group_of_sample[i])];
  }
  std::vector<double> effects = groups.quantiles(deviations, 0.5);
  for (int group = 0; group < groups.size(); ++group) {
    double n = groups.count(group);
    auto g = static_cast<std::size_t>(group);
    double own = n < kMinGroupSamples ? 0.0 : effects[g] * n / (n + std::max(shrinkage, 0));
    effects[g] = parent_of_group[g] + own;
  }
  return effects;
}

}  // namespace

std::string_view to_string(EtaBasis basis) {
  switch (basis) {
    case EtaBasis::route:
      return "route";
    case EtaBasis::carrier:
      return "carrier";
    case EtaBasis::fallback:
      return "default";
  }
  return "default";
}

int EtaModel::cell_of(Instant shipped_at) const {
  auto local = shipped_at + std::chrono::minutes{options_.utc_offset_minutes};
  auto day = std::chrono::floor<std::chrono::days>(local);
  auto weekday = std::chrono::weekday{day}.c_encoding();  // 0 = Sunday
  auto hour = std::chrono::floor<std::chrono::hours>(local - day).count();
  return static_cast<int>(weekday) * kHours + static_cast<int>(hour);
}

EtaModel EtaModel::fit(const std::vector<TransitSample>& history, EtaOptions options) {
  EtaModel model(options);

  // Index the samples: transit hours, route, carrier and ship-time cell of each.
  std::map<RouteKey, int> route_ids;
  std::map<std::string, int, std::less<>> carrier_ids;
  std::vector<double> transit;
  std::vector<int> route_of, carrier_of, ship_cell_of, ship_hour_of, carrier_cell_of;
  for (const TransitSample& sample : history) {
    if (sample.delivered_at < sample.shipped_at) continue;
    auto route = route_ids
                     .try_emplace({sample.carrier, sample.origin, sample.destination},
                                  static_cast<int>(route_ids.size()))
                     .first->second;
    auto carrier =
        carrier_ids.try_emplace(sample.carrier, static_cast<int>(carrier_ids.size())).first->second;
    int cell = model.cell_of(sample.shipped_at);
    transit.push_back(hours_between(sample.shipped_at, sample.delivered_at));
    route_of.push_back(route);
    carrier_of.push_back(carrier);
    ship_cell_of.push_back(cell);
    ship_hour_of.push_back(cell % kHours);
    carrier_cell_of.push_back(carrier * kCells + cell);
  }
  const std::size_t n = transit.size();
  const int carriers = static_cast<int>(carrier_ids.size());
  model.samples_ = static_cast<int>(n);

  Groups by_route(route_of, static_cast<int>(route_ids.size()));
  Groups by_carrier(carrier_of, carriers);
  Groups by_hour(ship_hour_of, kHours);
  Groups by_cell(ship_cell_of, kCells);
  Groups by_carrier_cell(carrier_cell_of, carriers * kCells);

  // Backfitting: route baselines from transit less effects, effects from transit less baselines.
  std::vector<double> adjusted(transit);  // transit less the effect of its ship-time cell
  std::vector<double> carrier_cell_effects(static_cast<std::size_t>(carriers) * kCells, 0.0);
  const int rounds = options.adjust_for_ship_time ? kBackfitRounds : 0;
  for (int round = 0; round < rounds; ++round) {
    std::vector<double> route_median = by_route.quantiles(adjusted, 0.5);
    std::vector<double> carrier_median = by_carrier.quantiles(adjusted, 0.5);
    std::vector<double> residuals(n);
    for (std::size_t i = 0; i < n; ++i) {
      bool route_counts = by_route.count(route_of[i]) >= options.min_route_samples;
      double baseline = route_counts ? route_median[static_cast<std::size_t>(route_of[i])]
                                     : carrier_median[static_cast<std::size_t>(carrier_of[i])];
      residuals[i] = transit[i] - baseline;
    }
    const int shrinkage = options.effect_shrinkage_samples;
    std::vector<double> hour_effects = shrunk_effects(by_hour, ship_hour_of, residuals,
                                                      std::vector<double>(kHours, 0.0), shrinkage);
    std::vector<double> parents(kCells);
    for (int cell = 0; cell < kCells; ++cell) {
      parents[static_cast<std::size_t>(cell)] =
          hour_effects[static_cast<std::size_t>(cell % kHours)];
    }
    std::vector<double> cell_effects =
        shrunk_effects(by_cell, ship_cell_of, residuals, parents, shrinkage);
    parents.resize(carrier_cell_effects.size());
    for (std::size_t g = 0; g < parents.size(); ++g) parents[g] = cell_effects[g % kCells];
    carrier_cell_effects =
        shrunk_effects(by_carrier_cell, carrier_cell_of, residuals, parents, shrinkage);
    for (std::size_t i = 0; i < n; ++i) {
      adjusted[i] = transit[i] - carrier_cell_effects[static_cast<std::size_t>(carrier_cell_of[i])];
    }
  }

  // Quantiles of the adjusted transit: per route with enough samples, per carrier over all routes.
  std::vector<double> route_median = by_route.quantiles(adjusted, 0.5);
  std::vector<double> route_p80 = by_route.quantiles(adjusted, 0.8);
  for (const auto& [key, id] : route_ids) {
    auto g = static_cast<std::size_t>(id);
    if (by_route.count(id) < options.min_route_samples) continue;
    model.routes_.emplace(key, TransitQuantiles{by_route.count(id), route_median[g], route_p80[g]});
  }
  std::vector<double> carrier_median = by_carrier.quantiles(adjusted, 0.5);
  std::vector<double> carrier_p80 = by_carrier.quantiles(adjusted, 0.8);
  for (const auto& [code, id] : carrier_ids) {
    auto g = static_cast<std::size_t>(id);
    CarrierModel& carrier = model.carriers_[code];
    carrier.transit = TransitQuantiles{by_carrier.count(id), carrier_median[g], carrier_p80[g]};
    std::copy_n(carrier_cell_effects.begin() + static_cast<std::ptrdiff_t>(g * kCells), kCells,
                carrier.effects_hours.begin());
  }
  return model;
}

double EtaModel::ship_time_effect_hours(const std::string& carrier, Instant shipped_at) const {
  auto found = carriers_.find(carrier);
  if (found == carriers_.end()) return 0.0;
  return found->second.effects_hours[static_cast<std::size_t>(cell_of(shipped_at))];
}

EtaEstimate EtaModel::from_quantiles(const EtaQuery& query, const TransitQuantiles& transit,
                                     double effect_hours, EtaBasis basis) const {
  // A parcel never arrives before it leaves, and the late estimate never precedes the expected.
  double expected_hours = std::max(0.0, transit.median_hours + effect_hours);
  double late_hours = std::max(expected_hours, transit.p80_hours + effect_hours);
  return EtaEstimate{query.shipped_at + duration_of_hours(expected_hours),
                     query.shipped_at + duration_of_hours(late_hours), basis, transit.samples};
}

EtaEstimate EtaModel::estimate(const EtaQuery& query) const {
  auto carrier = carriers_.find(query.carrier);
  if (carrier != carriers_.end()) {
    double effect =
        carrier->second.effects_hours[static_cast<std::size_t>(cell_of(query.shipped_at))];
    auto route = routes_.find(RouteKey{query.carrier, query.origin, query.destination});
    if (route != routes_.end()) {
      return from_quantiles(query, route->second, effect, EtaBasis::route);
    }
    if (carrier->second.transit.samples >= options_.min_carrier_samples) {
      return from_quantiles(query, carrier->second.transit, effect, EtaBasis::carrier);
    }
  }
  Instant arrival = query.shipped_at + options_.fallback_transit;
  return EtaEstimate{arrival, arrival, EtaBasis::fallback, 0};
}

}  // namespace depot
