#pragma once
// Shipping advice (SPEC RPT-4): which carrier is fastest on a route by the merchant's own history,
// and the latest time a parcel may leave to arrive by a promised time. Pure: built on a fitted ETA
// model (domain/eta.h), which learns each carrier's transit on each route from delivered parcels
// and how the hour of handing over shifts it.
//
// For each carrier the model knows (from parcels on this route, or over all the carrier's routes
// when the route has too few), the advice gives the transit of a parcel shipped at `ship_at`: the
// median hours (half arrive sooner) and the 80th-percentile hours (about four in five arrive
// sooner). Carriers are ordered by the median; the fastest is the first whose estimate rests on
// the route itself, else the first of all (the history has no parcel on this route at all).
//
// The latest ship time for a promise (`deliver_by`): the latest whole hour, not after the promise,
// at which a parcel handed over arrives by its 80th-percentile estimate no later than the promise.
// The ship-time effect makes transit depend on the hour (a parcel handed over after the last pickup
// waits for the next), so the hours are tried one by one back from the promise, at most
// kLatestShipSearchDays; none found: no ship time meets it.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/eta.h"
#include "domain/time.h"

namespace depot {

inline constexpr int kLatestShipSearchDays = 30;

struct CarrierAdvice {
  std::string carrier;
  EtaBasis basis = EtaBasis::route;  // route or carrier: carriers without history are left out
  int samples = 0;
  double median_hours = 0;
  double p80_hours = 0;
  Instant expected_at;  // ship_at + median
  Instant late_at;      // ship_at + p80
  // With a promise: the latest whole hour to ship (see above), and whether shipping at ship_at
  // arrives by it (by the 80th percentile).
  std::optional<Instant> latest_ship_at;
  bool meets_promise = false;
};

struct ShippingAdvice {
  std::vector<CarrierAdvice> carriers;  // fastest median first
  std::string fastest;                  // a carrier code; empty when no carrier has history
};

// `carriers`: the codes to consider (depot's carriers). `origin` may be "" (parcels whose origin
// is not recorded, which is every outbound parcel today).
ShippingAdvice advise_shipping(const EtaModel& model, std::span<const std::string_view> carriers,
                               const std::string& origin, const std::string& destination,
                               Instant ship_at, std::optional<Instant> deliver_by);

}  // namespace depot
