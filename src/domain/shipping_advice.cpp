#include "domain/shipping_advice.h"

#include <algorithm>

namespace depot {

namespace {

double hours_between(Instant from, Instant to) {
  return std::chrono::duration<double, std::ratio<3600>>(to - from).count();
}

std::optional<Instant> latest_ship_at(const EtaModel& model, const EtaQuery& route,
                                      Instant deliver_by) {
  EtaQuery query = route;
  // The last whole hour at or before the promise.
  query.shipped_at = std::chrono::floor<std::chrono::hours>(deliver_by);
  for (int hour = 0; hour < kLatestShipSearchDays * 24; ++hour) {
    if (model.estimate(query).late <= deliver_by) return query.shipped_at;
    query.shipped_at -= std::chrono::hours{1};
  }
  return std::nullopt;
}

}  // namespace

ShippingAdvice advise_shipping(const EtaModel& model, std::span<const std::string_view> carriers,
                               const std::string& origin, const std::string& destination,
                               Instant ship_at, std::optional<Instant> deliver_by) {
  ShippingAdvice advice;
  for (std::string_view code : carriers) {
    EtaQuery query{std::string(code), origin, destination, ship_at};
    EtaEstimate estimate = model.estimate(query);
    if (estimate.basis == EtaBasis::fallback) continue;
    CarrierAdvice carrier;
    carrier.carrier = query.carrier;
    carrier.basis = estimate.basis;
    carrier.samples = estimate.samples;
    carrier.median_hours = hours_between(ship_at, estimate.expected);
    carrier.p80_hours = hours_between(ship_at, estimate.late);
    carrier.expected_at = estimate.expected;
    carrier.late_at = estimate.late;
    if (deliver_by) {
      carrier.latest_ship_at = latest_ship_at(model, query, *deliver_by);
      carrier.meets_promise = estimate.late <= *deliver_by;
    }
    advice.carriers.push_back(std::move(carrier));
  }
  std::stable_sort(advice.carriers.begin(), advice.carriers.end(),
                   [](const CarrierAdvice& a, const CarrierAdvice& b) {
                     return a.median_hours < b.median_hours;
                   });
  auto on_route = std::find_if(advice.carriers.begin(), advice.carriers.end(),
                               [](const CarrierAdvice& c) { return c.basis == EtaBasis::route; });
  if (on_route != advice.carriers.end()) {
    advice.fastest = on_route->carrier;
  } else if (!advice.carriers.empty()) {
    advice.fastest = advice.carriers.front().carrier;
  }
  return advice;
}

}  // namespace depot
