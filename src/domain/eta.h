#pragma once
// Estimated time of arrival (预计到达时间, SPEC TRK-3) of a parcel without the carrier's own,
// learnt from the merchant's delivered parcels. Pure: the caller passes the history and the ship
// time.
//
// Method. A parcel's transit time is the hours from shipping to delivery. Two things move it:
//   - the route: carrier + origin province + destination province (origin may be "", which is just
//     another key), which sets how long the parcel travels;
//   - when it was shipped, in local time (UTC + utc_offset_minutes): a parcel handed over after the
//     carrier's last pickup waits for the next one, and one shipped on Saturday evening may wait
//     for Monday. This waiting is added to the travel time, so it is modelled as an additive
//     effect in hours per ship-time cell (weekday × local hour, 168 cells).
// The model fits both by backfitting: each route's baseline is the median of its parcels' transit
// less their cell effects; each cell effect is the median of the parcels' transit less their
// route baseline. Medians keep the few parcels that took weeks (lost, held, returned) from moving
// either. A cell with few parcels says little, so its effect is shrunk: a group with n parcels
// keeps n / (n + effect_shrinkage_samples) of its own deviation from its parent (none when n < 3),
// along the chain zero ← hour of day (all carriers) ← weekday × hour (all carriers) ← weekday ×
// hour (the carrier). After a few rounds the parcels' transit less their cell effect — their
// transit as if shipped at an average time — gives each route, and each carrier over all its
// routes, a median and an 80th percentile.
//
// An estimate is the ship time plus the quantile of the most specific level with enough parcels
// (the route, else the carrier over all routes) plus the cell effect of the ship time: `expected`
// from the median (half the parcels arrive before it), `late` from the 80th percentile (about four
// in five do). A carrier without min_carrier_samples parcels gets `fallback_transit` for both.
// Fitting is O(n) per round (medians by nth_element over parcels grouped once): 50,000 parcels fit
// in tens of milliseconds (bench/eta_accuracy.cpp); an estimate is a few map lookups.

#include <array>
#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.h"

namespace depot {

// One delivered parcel of the merchant's history.
struct TransitSample {
  std::string carrier;      // depot's carrier code, "SF"
  std::string origin;       // province code of the sender; "" when unknown
  std::string destination;  // province code of the recipient
  Instant shipped_at;
  Instant delivered_at;
};

struct EtaQuery {
  std::string carrier;
  std::string origin;
  std::string destination;
  Instant shipped_at;
};

// Which level of the history an estimate rests on.
enum class EtaBasis {
  route,     // this carrier on this origin → destination
  carrier,   // this carrier over all its routes: the route had too few parcels
  fallback,  // no usable history: EtaOptions::fallback_transit
};

// "route", "carrier", "default".
std::string_view to_string(EtaBasis basis);

struct EtaEstimate {
  Instant expected;  // median-based: about half the parcels arrive by then
  Instant late;      // 80th-percentile-based, never before expected
  EtaBasis basis = EtaBasis::fallback;
  int samples = 0;  // parcels behind the basis (0 for the fallback)
};

struct EtaOptions {
  // The zone whose weekdays and whole hours make the ship-time cells (China: UTC+8). Shifting it
  // by whole hours only relabels the 168 cells, so it changes estimates only by a fraction of an
  // hour; it makes the effects read in the merchant's local time.
  int utc_offset_minutes = 480;
  int min_route_samples = 5;    // fewer parcels on a route: the carrier over all routes answers
  int min_carrier_samples = 5;  // fewer parcels of a carrier: the fallback answers
  std::chrono::hours fallback_transit{72};
  // How many parcels a ship-time cell needs before half of its own effect counts (see above).
  int effect_shrinkage_samples = 5;
  // Off: plain route quantiles, ignoring when parcels were shipped.
  bool adjust_for_ship_time = true;
};

// A fitted model. Immutable after fit(), so one instance may serve any number of threads.
class EtaModel {
 public:
  // Fits on `history`. Samples delivered before they were shipped are ignored.
  static EtaModel fit(const std::vector<TransitSample>& history, EtaOptions options = {});

  EtaEstimate estimate(const EtaQuery& query) const;

  // The hours a parcel of `carrier` shipped at `shipped_at` takes beyond the average for its
  // route (negative when it is quicker); 0 for a carrier the history does not know.
  double ship_time_effect_hours(const std::string& carrier, Instant shipped_at) const;

  // Samples the model was fitted on (after dropping the malformed ones).
  int samples() const { return samples_; }

 private:
  static constexpr int kCells = 7 * 24;  // weekday (0 = Sunday) × local hour

  struct TransitQuantiles {
    int samples = 0;
    double median_hours = 0;
    double p80_hours = 0;
  };
  struct RouteKey {
    std::string carrier;
    std::string origin;
    std::string destination;
    // clang-tidy 14 reads the defaulted <=>'s comparison with 0 as a null pointer.
    auto operator<=>(const RouteKey&) const = default;  // NOLINT(modernize-use-nullptr)
  };
  struct CarrierModel {
    TransitQuantiles transit;                    // over all of the carrier's routes
    std::array<double, kCells> effects_hours{};  // by ship-time cell
  };

  explicit EtaModel(EtaOptions options) : options_(options) {}
  int cell_of(Instant shipped_at) const;
  EtaEstimate from_quantiles(const EtaQuery& query, const TransitQuantiles& transit,
                             double effect_hours, EtaBasis basis) const;

  EtaOptions options_;
  int samples_ = 0;
  std::map<RouteKey, TransitQuantiles> routes_;  // only routes with min_route_samples or more
  std::map<std::string, CarrierModel, std::less<>> carriers_;
};

}  // namespace depot
