#pragma once
// Who buys from the demo shop and how parcels reach them: Chinese names, unique mainland mobile
// numbers (13x, 15x, 18x), street addresses in real divisions (full names as the division data
// spells them), and the carriers the shop ships with, each with its speed on a route and its
// tracking-number shape. The shop's warehouse is in Hangzhou; a place's zone says how far it is
// from there, as carriers price and time their routes. Pure data and draws from a DemoRandom.

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "cli/demo_random.h"
#include "domain/order.h"
#include "domain/time.h"

namespace depot::cli {

// A district customers live in, how far it is from Hangzhou (0: Zhejiang, 1: the neighbouring
// provinces, 2: the east and south, 3: the north-east, south-west and west, 4: the far west) and
// how many of the shop's buyers live there, relatively.
struct DemoPlace {
  std::string_view province;
  std::string_view city;
  std::string_view district;
  int zone = 0;
  double weight = 1;
};

std::span<const DemoPlace> demo_places();

// The city where the demo shop's warehouse is, as scans name it.
inline constexpr std::string_view kWarehouseCity = "杭州市";

struct DemoBuyer {
  Customer customer;
  Address address;
  int zone = 0;
};

// A new buyer with a number no one in `phones_taken` has (it is added there).
DemoBuyer new_buyer(DemoRandom& random, std::set<std::string>& phones_taken);

// A carrier the shop ships with: how long it takes per zone and how it numbers parcels.
struct DemoCarrier {
  std::string_view code;  // depot's carrier code
  double speed = 1;       // a share of the standard transit time: below 1 is faster
};

std::span<const DemoCarrier> demo_carriers();

// Hours from pickup to arrival in `zone` for a carrier at standard speed.
double standard_transit_hours(int zone);

// Unique, well-formed tracking numbers per carrier, drawn in sequence from a fixed start.
class TrackingNumbers {
 public:
  std::string next(std::string_view carrier);

 private:
  std::int64_t issued_ = 0;
};

// The short name of a city for scans: 杭州市 -> 杭州.
std::string short_city(std::string_view city);

}  // namespace depot::cli
